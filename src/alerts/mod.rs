//! `tailwatch alerts`: Prometheus alert rules and their `promtool test
//! rules` unit tests, generated from the rule pack (a user's rules
//! included), plus the thresholds on extracted metrics and the agent's own
//! health. The shipped `config/alerts/` files are this module's output.
//!
//! The rules fire under any scrape setup: no expression names a `job`;
//! the user's `--selector` goes into every one; nothing aggregates away the
//! labels that say which pod is in trouble (`namespace`, `pod`,
//! `instance`, `job`, and a node agent's `container`); and the tests feed
//! the series a Prometheus Operator PodMonitor would scrape.

mod selector;

pub use selector::{LabelMatcher, Op, Selector};

use std::collections::BTreeMap;

use serde::Serialize;

use crate::metric_names as names;
use crate::rules::diagnosis::Diagnosis;
use crate::rules::{Rule, RuleSet, Severity};

/// Where runbook links point unless a rule has its own `runbook_url`; a
/// placeholder to replace with `--runbook-base`.
pub const DEFAULT_RUNBOOK_BASE: &str = "https://runbooks.example.com/tailwatch";

#[derive(Debug, Serialize)]
pub struct RuleFile {
    pub groups: Vec<Group>,
}

#[derive(Debug, Serialize)]
pub struct Group {
    pub name: String,
    pub rules: Vec<AlertRule>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AlertRule {
    pub alert: String,
    pub expr: String,
    #[serde(rename = "for")]
    pub for_: String,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
}

#[derive(Debug, Serialize)]
pub struct TestFile {
    pub rule_files: Vec<String>,
    pub evaluation_interval: String,
    pub tests: Vec<TestCase>,
}

#[derive(Debug, Serialize)]
pub struct TestCase {
    pub name: String,
    pub interval: String,
    pub input_series: Vec<InputSeries>,
    pub alert_rule_test: Vec<AlertTest>,
}

#[derive(Debug, Clone, Serialize)]
pub struct InputSeries {
    pub series: String,
    pub values: String,
}

#[derive(Debug, Serialize)]
pub struct AlertTest {
    pub eval_time: String,
    pub alertname: String,
    pub exp_alerts: Vec<ExpAlert>,
}

#[derive(Debug, Serialize)]
pub struct ExpAlert {
    pub exp_labels: BTreeMap<String, String>,
    pub exp_annotations: BTreeMap<String, String>,
}

/// Who the alert is about, as Prometheus's template language says it:
/// the pod when the labels name one (a Kubernetes scrape), else the
/// scrape target.
const WHERE: &str = "{{ if $labels.pod }}pod {{ $labels.namespace }}/{{ $labels.pod }}{{ else }}{{ $labels.instance }}{{ end }}";

/// What [`WHERE`] expands to for `labels`.
fn where_text(labels: &BTreeMap<String, String>) -> String {
    match labels.get("pod").filter(|p| !p.is_empty()) {
        Some(pod) => format!(
            "pod {}/{pod}",
            labels.get("namespace").map_or("", String::as_str)
        ),
        None => labels.get("instance").cloned().unwrap_or_default(),
    }
}

/// The labels of the series the generated tests feed: a sidecar scraped
/// through a Prometheus Operator PodMonitor `payments/tailwatch`.
fn test_target() -> BTreeMap<String, String> {
    map(&[
        ("job", "payments/tailwatch"),
        ("namespace", "payments"),
        ("pod", "ledger-7d9c6b5f4-x2x8q"),
        ("container", "tailwatch"),
        ("endpoint", "metrics"),
        ("instance", "10.0.3.17:9464"),
    ])
}

fn camel(s: &str) -> String {
    s.split('_')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            c.next().map_or(String::new(), |f| {
                f.to_ascii_uppercase().to_string() + c.as_str()
            })
        })
        .collect()
}

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// `labels` with `extra` added (or replaced).
fn with(labels: &BTreeMap<String, String>, extra: &[(&str, &str)]) -> BTreeMap<String, String> {
    let mut out = labels.clone();
    out.extend(map(extra));
    out
}

/// `labels` without `names`.
fn without(labels: &BTreeMap<String, String>, names: &[&str]) -> BTreeMap<String, String> {
    let mut out = labels.clone();
    out.retain(|k, _| !names.contains(&k.as_str()));
    out
}

/// One input series of a test: `name{labels}` and its values.
fn series(name: &str, labels: &BTreeMap<String, String>, values: &str) -> InputSeries {
    let labels: Vec<String> = labels
        .iter()
        .map(|(k, v)| format!("{k}={}", serde_json::to_string(v).unwrap_or_default()))
        .collect();
    InputSeries {
        series: format!("{name}{{{}}}", labels.join(",")),
        values: values.to_string(),
    }
}

/// One test of an alert: input series, and at `eval_time` the labels of
/// the alert that must fire (beyond the rule's own), or none.
struct Case {
    name: &'static str,
    input: Vec<InputSeries>,
    eval_time: &'static str,
    fires: Option<BTreeMap<String, String>>,
}

/// An alert and its tests.
struct Spec {
    rule: AlertRule,
    cases: Vec<Case>,
}

/// Builds the alerts of one selector.
struct Generator<'a> {
    selector: &'a Selector,
    runbook_base: &'a str,
    /// The test series' labels, made to match the selector.
    target: BTreeMap<String, String>,
}

impl Generator<'_> {
    /// `name{matchers,selector}`.
    fn metric(&self, name: &str, matchers: &[&str]) -> String {
        let user = self.selector.to_string();
        let all: Vec<&str> = matchers
            .iter()
            .copied()
            .chain((!user.is_empty()).then_some(user.as_str()))
            .collect();
        if all.is_empty() {
            name.to_string()
        } else {
            format!("{name}{{{}}}", all.join(","))
        }
    }

    // Each call is one row of the table of fixed alerts, its fields in
    // the order an alert rule writes them.
    #[allow(clippy::too_many_arguments)]
    fn alert(
        &self,
        name: &str,
        expr: String,
        for_: &str,
        severity: &str,
        summary: &str,
        description: &str,
        action: &str,
    ) -> AlertRule {
        AlertRule {
            alert: name.to_string(),
            expr,
            for_: for_.to_string(),
            labels: map(&[("severity", severity)]),
            annotations: map(&[
                ("summary", summary),
                ("description", description),
                ("action", action),
                (
                    "runbook_url",
                    &format!("{}#{}", self.runbook_base, name.to_ascii_lowercase()),
                ),
            ]),
        }
    }

    /// A rule's alerts: one per severity from `warning` up that its
    /// matches can reach. `info` never pages.
    fn rule_alerts(&self, rule: &Rule) -> Vec<Spec> {
        let runbook = rule
            .runbook_url
            .clone()
            .unwrap_or_else(|| format!("{}#{}", self.runbook_base, rule.name));
        rule.reachable_severities()
            .into_iter()
            .filter(|&sev| sev >= Severity::Warning)
            .map(|sev| {
                let ids = [
                    ("rule", rule.name.as_str()),
                    ("category", rule.category.as_str()),
                    ("severity", sev.as_str()),
                ];
                let matchers: Vec<String> = ids
                    .iter()
                    .map(|(k, v)| format!("{k}={}", serde_json::to_string(v).unwrap_or_default()))
                    .collect();
                let m = self.metric(
                    names::MATCHES,
                    &matchers.iter().map(String::as_str).collect::<Vec<_>>(),
                );
                let labelled = |target: &BTreeMap<String, String>| with(target, &ids);
                let (b, c) = (
                    with(&self.target, &[("instance", "10.0.3.18:9464")]),
                    with(&self.target, &[("instance", "10.0.3.19:9464")]),
                );
                let d = with(
                    &self.target,
                    &[("instance", "10.0.3.20:9464"), ("pod", "ledger-7d9c6b5f4-q7k2m")],
                );
                Spec {
                    rule: AlertRule {
                        alert: format!("Tailwatch{}{}", camel(&rule.name), camel(sev.as_str())),
                        expr: new_matches(&m),
                        for_: if sev == Severity::Critical { "0m".into() } else { "1m".into() },
                        labels: map(&[
                            ("severity", sev.as_str()),
                            ("rule", &rule.name),
                            ("category", &rule.category),
                        ]),
                        annotations: map(&[
                            ("summary", rule.description.trim()),
                            (
                                "description",
                                &format!(
                                    "tailwatch saw log lines matching rule {} ({}) at severity {sev} in the last 5 minutes, in {WHERE}. Action: {}",
                                    rule.name,
                                    rule.category,
                                    rule.action.trim()
                                ),
                            ),
                            ("action", rule.action.trim()),
                            ("runbook_url", &runbook),
                        ]),
                    },
                    cases: vec![
                        Case {
                            name: "fires",
                            input: vec![series(names::MATCHES, &labelled(&self.target), "0 0 0 1 2 3 4 5 6 7")],
                            eval_time: "6m",
                            fires: Some(labelled(&self.target)),
                        },
                        // A node agent's series of a pod appear with the
                        // pod's first match.
                        Case {
                            name: "fires on a series that appears with its first match",
                            input: vec![
                                series(names::MATCHES, &labelled(&self.target), "_x5 1x5"),
                                series("up", &self.target, "1x10"),
                            ],
                            eval_time: "6m",
                            fires: Some(labelled(&self.target)),
                        },
                        // Nothing new: a counter that stays; one restored
                        // from the checkpoint by an agent that came back at
                        // another address; one of a target first scraped
                        // (or scraped again after a long outage) with old
                        // counts.
                        Case {
                            name: "stays quiet",
                            input: vec![
                                series(names::MATCHES, &labelled(&self.target), "0x10"),
                                series(names::MATCHES, &labelled(&b), "3x4"),
                                series("up", &b, "1x4"),
                                series(names::MATCHES, &labelled(&c), "_x5 3x5"),
                                series("up", &c, "_x5 1x5"),
                                series(names::MATCHES, &labelled(&d), "_x5 3x5"),
                                series("up", &d, "_x5 1x5"),
                            ],
                            eval_time: "6m",
                            fires: None,
                        },
                    ],
                }
            })
            .collect()
    }
}

/// Fires when the counter `m` rose in the last 5 minutes, or appeared
/// with a count (a node agent's series of a pod start at the pod's first
/// match, which `increase()` alone does not see) on a target that was
/// already scraped 5 minutes ago. A target seen for the first time (an
/// agent restarted elsewhere with its checkpoint, or Prometheus back from
/// a long outage) brings old counts, not new matches.
fn new_matches(m: &str) -> String {
    format!(
        "increase({m}[5m]) > 0\nor\n(\n  ({m} > 0 unless ignoring(instance) {m} offset 5m)\n  and on(job, instance) (up offset 5m == 1)\n)"
    )
}
impl Generator<'_> {
    /// Alerts on extracted metrics, rates by category, and the agent
    /// itself.
    fn fixed_alerts(&self) -> Vec<Spec> {
        let t = &self.target;
        let quiet = |input: Vec<InputSeries>, eval_time| Case {
            name: "stays quiet",
            input,
            eval_time,
            fires: None,
        };
        let fires = |input: Vec<InputSeries>, eval_time, labels| Case {
            name: "fires",
            input,
            eval_time,
            fires: Some(labels),
        };
        let lag = "tailwatch_projection_lag_seconds";
        let util = "tailwatch_pool_utilization_ratio";
        let consumer = "tailwatch_consumer_lag_messages";
        let es = "tailwatch_event_store_operation_duration_seconds_bucket";
        let with_projection = with(t, &[("projection", "user_summary")]);
        let timeouts = with(
            t,
            &[
                ("rule", "command_timeout"),
                ("category", "timeout"),
                ("severity", "error"),
            ],
        );
        let conflicts = with(
            t,
            &[
                ("rule", "concurrency_conflict"),
                ("category", "concurrency_conflict"),
                ("severity", "warning"),
            ],
        );
        let le = |le: &str| with(t, &[("le", le)]);
        let group = with(t, &[("group", "ledger")]);
        let path = with(t, &[("path", "/var/log/app/app.log")]);
        let decode = with(t, &[("kind", "invalid_json")]);
        let dropped = with(t, &[("reason", "queue_full")]);
        let abandoned = with(t, &[("reason", "truncated")]);
        // Another scrape target that is not a tailwatch.
        let other_target = with(t, &[("instance", "10.0.3.99:8080"), ("pod", "other-0")]);
        vec![
            Spec {
                rule: self.alert(
                    "TailwatchProjectionLagWarning",
                    format!("{} > 300", self.metric(lag, &[])),
                    "2m", "warning",
                    "A read-model projection is more than 5 minutes behind the event store.",
                    &format!("Projection {{{{ $labels.projection }}}} in {WHERE} is more than 300 s behind."),
                    "Check the projection's handler latency and error rate; scale it or rebuild it from a checkpoint.",
                ),
                cases: vec![
                    fires(vec![series(lag, &with_projection, "420x10")], "5m", with_projection.clone()),
                    quiet(vec![series(lag, &with_projection, "60x10")], "5m"),
                ],
            },
            Spec {
                rule: self.alert(
                    "TailwatchProjectionLagCritical",
                    format!("{} > 1800", self.metric(lag, &[])),
                    "2m", "critical",
                    "A read-model projection is more than 30 minutes behind the event store.",
                    &format!("Projection {{{{ $labels.projection }}}} in {WHERE} is more than 1800 s behind; read models are stale."),
                    "Page the owning team; check for a stuck or crashing projection handler and rebuild from a checkpoint.",
                ),
                cases: vec![
                    fires(vec![series(lag, &with_projection, "2400x10")], "5m", with_projection.clone()),
                    quiet(vec![series(lag, &with_projection, "420x10")], "5m"),
                ],
            },
            Spec {
                rule: self.alert(
                    "TailwatchPoolPressure",
                    format!("{} > 0.8", self.metric(util, &[])),
                    "5m", "warning",
                    "A connection pool reports more than 80 % of its connections in use.",
                    &format!("Pool utilisation in {WHERE} has been above 80 % for 5 minutes."),
                    "Find slow queries holding connections; size the pool to the database's capacity before it exhausts.",
                ),
                cases: vec![
                    fires(vec![series(util, t, "0.9x10")], "7m", t.clone()),
                    quiet(vec![series(util, t, "0.5x10")], "7m"),
                ],
            },
            Spec {
                rule: self.alert(
                    "TailwatchPoolNearlyExhausted",
                    format!("{} > 0.95", self.metric(util, &[])),
                    "1m", "critical",
                    "A connection pool reports more than 95 % of its connections in use.",
                    &format!("Pool utilisation in {WHERE} is above 95 %; acquire timeouts are next."),
                    "Check for connection leaks and long transactions now; shed load or add database capacity.",
                ),
                cases: vec![
                    fires(vec![series(util, t, "0.97x10")], "5m", t.clone()),
                    quiet(vec![series(util, t, "0.9x10")], "5m"),
                ],
            },
            Spec {
                rule: self.alert(
                    "TailwatchTimeoutsRate",
                    format!(
                        "sum without (rule, severity) (rate({}[5m])) > 0.1",
                        self.metric(names::MATCHES, &[r#"category="timeout""#])
                    ),
                    "5m", "error",
                    "Timeouts are being logged at more than one every ten seconds.",
                    &format!("{WHERE} logs timeouts at more than 0.1 per second."),
                    "Check database latency and the slowest statements; check downstream services' saturation.",
                ),
                cases: vec![
                    fires(
                        vec![series(names::MATCHES, &timeouts, "0+60x20")],
                        "15m",
                        without(&timeouts, &["rule", "severity"]),
                    ),
                    quiet(vec![series(names::MATCHES, &timeouts, "0+1x20")], "15m"),
                ],
            },
            Spec {
                rule: self.alert(
                    "TailwatchConcurrencyConflictsRate",
                    format!(
                        "sum without (rule, severity) (rate({}[5m])) > 1",
                        self.metric(names::MATCHES, &[r#"category="concurrency_conflict""#])
                    ),
                    "5m", "warning",
                    "Optimistic-concurrency conflicts at more than one per second.",
                    &format!("{WHERE} logs more than one concurrency conflict per second: hot streams or aggregates."),
                    "Find the conflicting streams, shorten command read-to-write windows, check retry back-off.",
                ),
                cases: vec![
                    fires(
                        vec![series(names::MATCHES, &conflicts, "0+120x20")],
                        "15m",
                        without(&conflicts, &["rule", "severity"]),
                    ),
                    quiet(vec![series(names::MATCHES, &conflicts, "0+30x20")], "15m"),
                ],
            },
            Spec {
                rule: self.alert(
                    "TailwatchEventStoreLatencyHigh",
                    format!("histogram_quantile(0.99, rate({}[5m])) > 2", self.metric(es, &[])),
                    "5m", "warning",
                    "Slow event-store operations: p99 above 2 s.",
                    &format!("The p99 of slow event-store operations logged in {WHERE} is above 2 s."),
                    "Check the database behind the event store (I/O, locks, vacuum), stream sizes and snapshots.",
                ),
                cases: vec![
                    fires(
                        vec![series(es, &le("1"), "0x20"), series(es, &le("5"), "0+10x20"), series(es, &le("+Inf"), "0+10x20")],
                        "15m",
                        t.clone(),
                    ),
                    quiet(
                        vec![series(es, &le("1"), "0+10x20"), series(es, &le("5"), "0+10x20"), series(es, &le("+Inf"), "0+10x20")],
                        "15m",
                    ),
                ],
            },
            Spec {
                rule: self.alert(
                    "TailwatchConsumerLagHigh",
                    format!("{} > 10000", self.metric(consumer, &[])),
                    "5m", "warning",
                    "A message consumer group is more than 10 000 messages behind.",
                    &format!("Consumer group {{{{ $labels.group }}}} seen in {WHERE} is more than 10 000 messages behind."),
                    "Compare produce and consume rates per partition; scale consumers or fix slow handlers.",
                ),
                cases: vec![
                    fires(vec![series(consumer, &group, "52000x10")], "7m", group.clone()),
                    quiet(vec![series(consumer, &group, "100x10")], "7m"),
                ],
            },
            Spec {
                // `up` has no tailwatch label to select by: a target is a
                // tailwatch if it exported tailwatch_state within the hour.
                rule: self.alert(
                    "TailwatchAgentDown",
                    format!(
                        "up == 0 and on(job, instance) group by (job, instance) (last_over_time({}[1h]))",
                        self.metric(names::STATE, &[])
                    ),
                    "2m", "warning",
                    "Prometheus cannot scrape a tailwatch agent.",
                    &format!("tailwatch in {WHERE} is not answering scrapes: trouble in its logs goes unseen."),
                    "Check the tailwatch container (restarts, OOM kills, its listen address) and the scrape configuration.",
                ),
                cases: vec![
                    fires(
                        vec![series("up", t, "0x10"), series(names::STATE, t, "0x2")],
                        "5m",
                        t.clone(),
                    ),
                    quiet(
                        vec![
                            series("up", t, "1x10"),
                            series(names::STATE, t, "0x10"),
                            series("up", &other_target, "0x10"),
                        ],
                        "5m",
                    ),
                ],
            },
            Spec {
                rule: self.alert(
                    "TailwatchAgentAbsent",
                    format!("absent({})", self.metric(names::STATE, &[])),
                    "10m", "warning",
                    "No tailwatch agent is being scraped at all.",
                    "Prometheus has no tailwatch_state series from any target: the agents are not deployed or not discovered.",
                    "Check the scrape configuration (the PodMonitor, ServiceMonitor or prometheus.io annotations) and that tailwatch is in the pod spec.",
                ),
                cases: vec![
                    fires(
                        vec![series("up", &other_target, "1x20")],
                        "15m",
                        self.selector
                            .equalities()
                            .map(|(k, v)| (k.to_string(), v.to_string()))
                            .collect(),
                    ),
                    quiet(vec![series(names::STATE, t, "0x20")], "15m"),
                ],
            },
            Spec {
                rule: self.alert(
                    "TailwatchNoInputs",
                    format!("{} == 0", self.metric(names::INPUTS_OPEN, &[])),
                    "30m", "warning",
                    "tailwatch has had no log file open for 30 minutes.",
                    &format!("tailwatch in {WHERE} has found no file matching its paths for 30 minutes: it watches nothing."),
                    "Check the agent's `paths` against where the application writes its logs, and that the log volume is mounted.",
                ),
                cases: vec![
                    fires(vec![series(names::INPUTS_OPEN, t, "0x40")], "35m", t.clone()),
                    quiet(vec![series(names::INPUTS_OPEN, t, "1x40")], "35m"),
                ],
            },
            Spec {
                rule: self.alert(
                    "TailwatchConfigReloadFailed",
                    format!("{} == 0", self.metric(names::LAST_RELOAD_SUCCESSFUL, &[])),
                    "5m", "warning",
                    "tailwatch could not reload its config or rules.",
                    &format!("The last reload of tailwatch in {WHERE} failed: it runs on the config and rules it had before."),
                    "Find `reload failed` in the agent's log and check the new config with `tailwatch check --config`; fix it and reload again.",
                ),
                cases: vec![
                    fires(vec![series(names::LAST_RELOAD_SUCCESSFUL, t, "0x10")], "7m", t.clone()),
                    quiet(vec![series(names::LAST_RELOAD_SUCCESSFUL, t, "1x10")], "7m"),
                ],
            },
            Spec {
                rule: self.alert(
                    "TailwatchTailingStalled",
                    format!(
                        "{m} > 10485760 and delta({m}[10m]) > 0",
                        m = self.metric(names::FILE_BYTES_BEHIND, &[])
                    ),
                    "10m", "warning",
                    "tailwatch is more than 10 MiB behind a log file and falling further behind.",
                    &format!("tailwatch in {WHERE} is behind on {{{{ $labels.path }}}} and the gap keeps growing."),
                    "Give the agent more CPU, or look for a rule without a prefilter literal (tailwatch check -v).",
                ),
                cases: vec![
                    fires(vec![series(names::FILE_BYTES_BEHIND, &path, "20000000+1000000x30")], "25m", path.clone()),
                    quiet(vec![series(names::FILE_BYTES_BEHIND, &path, "20000000-1000000x30")], "25m"),
                ],
            },
            Spec {
                rule: self.alert(
                    "TailwatchSpansDropped",
                    format!(
                        "increase({}[10m]) > 0",
                        self.metric(names::SPANS_DROPPED, &[r#"reason!="rate_limited""#])
                    ),
                    "5m", "warning",
                    "tailwatch is dropping trace spans.",
                    &format!("tailwatch in {WHERE} dropped spans ({{{{ $labels.reason }}}}) in the last 10 minutes: the OTLP collector is down, too slow, or refusing them."),
                    "Check the OTLP collector's health and the agent's --otlp-endpoint.",
                ),
                cases: vec![
                    fires(vec![series(names::SPANS_DROPPED, &dropped, "0+10x20")], "15m", dropped.clone()),
                    quiet(vec![series(names::SPANS_DROPPED, &dropped, "0x20")], "15m"),
                ],
            },
            Spec {
                rule: self.alert(
                    "TailwatchDecodeErrorsSpiking",
                    format!(
                        "sum without (kind) (rate({}[5m])) > 1",
                        self.metric(names::DECODE_ERRORS, &[])
                    ),
                    "10m", "warning",
                    "More than one bad log line per second (invalid UTF-8, truncated JSON, oversized lines).",
                    &format!("tailwatch in {WHERE} counts more than one undecodable line per second."),
                    "Look at tailwatch_decode_errors_total by kind; check the application's log encoding and line lengths.",
                ),
                cases: vec![
                    fires(vec![series(names::DECODE_ERRORS, &decode, "0+300x30")], "25m", t.clone()),
                    quiet(vec![series(names::DECODE_ERRORS, &decode, "0+6x30")], "25m"),
                ],
            },
            Spec {
                rule: self.alert(
                    "TailwatchBytesAbandoned",
                    format!("increase({}[10m]) > 0", self.metric(names::BYTES_ABANDONED, &[])),
                    "0m", "warning",
                    "tailwatch gave up log bytes unread (copytruncate or deletion before reading).",
                    &format!("tailwatch in {WHERE} could not read some log bytes ({{{{ $labels.reason }}}})."),
                    "Switch the log rotation from copytruncate to rename, or rotate less aggressively.",
                ),
                cases: vec![
                    fires(vec![series(names::BYTES_ABANDONED, &abandoned, "0 0 0 500 500 500 500 500 500 500")], "6m", abandoned.clone()),
                    quiet(vec![series(names::BYTES_ABANDONED, &abandoned, "0x10")], "6m"),
                ],
            },
        ]
    }

    /// A diagnosis's alert: it fires while the diagnosis holds; the
    /// inhibit rule ([`Alerts::render_inhibit_rules`]) then silences the
    /// symptom's alerts, so the person on call is paged for the cause.
    fn diagnosis_alert(&self, d: &Diagnosis) -> Spec {
        let name = format!("TailwatchDiagnosis{}", camel(&d.name));
        let ids = [
            ("diagnosis", d.name.as_str()),
            ("cause", d.cause.name.as_str()),
            ("symptom", d.symptom.name.as_str()),
        ];
        let matcher = format!(
            "diagnosis={}",
            serde_json::to_string(&d.name).unwrap_or_default()
        );
        let labelled = with(&self.target, &ids);
        let mut labels = map(&[("severity", "warning")]);
        labels.extend(ids.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        Spec {
            rule: AlertRule {
                alert: name.clone(),
                expr: format!("{} == 1", self.metric(names::DIAGNOSIS_ACTIVE, &[&matcher])),
                for_: "0m".into(),
                labels,
                annotations: map(&[
                    ("summary", d.conclusion.trim()),
                    (
                        "description",
                        &format!(
                            "tailwatch finds incidents of {} open, begun before incidents of {}, in {WHERE}: {}. Action: {}",
                            d.cause.name,
                            d.symptom.name,
                            d.conclusion.trim(),
                            d.action.trim()
                        ),
                    ),
                    ("action", d.action.trim()),
                    (
                        "runbook_url",
                        &format!("{}#{}", self.runbook_base, name.to_ascii_lowercase()),
                    ),
                ]),
            },
            cases: vec![
                Case {
                    name: "fires",
                    input: vec![series(names::DIAGNOSIS_ACTIVE, &labelled, "0 0 0 1 1 1 1 1 1 1")],
                    eval_time: "6m",
                    fires: Some(labelled.clone()),
                },
                Case {
                    name: "stays quiet",
                    input: vec![series(names::DIAGNOSIS_ACTIVE, &labelled, "0 1 1 0 0 0 0 0 0 0")],
                    eval_time: "6m",
                    fires: None,
                },
            ],
        }
    }

    /// Every alert: the rules' and the diagnoses', then the fixed ones.
    fn specs(&self, rules: &RuleSet) -> (Vec<Spec>, Vec<Spec>) {
        (
            rules
                .rules
                .iter()
                .flat_map(|r| self.rule_alerts(r))
                .chain(rules.diagnoses.iter().map(|d| self.diagnosis_alert(d)))
                .collect(),
            self.fixed_alerts(),
        )
    }
}

/// An Alertmanager inhibit rule.
#[derive(Debug, Clone, Serialize)]
pub struct InhibitRule {
    pub source_matchers: Vec<String>,
    pub target_matchers: Vec<String>,
    pub equal: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct InhibitFile {
    pub inhibit_rules: Vec<InhibitRule>,
}

/// While a diagnosis's alert fires, its symptom's alerts from the same
/// agent are inhibited: the cause pages, the symptom waits.
fn inhibit_rule(d: &Diagnosis, rules: &RuleSet) -> InhibitRule {
    let alternatives = |names: Vec<&str>| {
        let mut names = names;
        names.sort_unstable();
        names.dedup();
        names.join("|")
    };
    // By category where the diagnosis names categories, by rule for the
    // rules it names one by one.
    let categories: Vec<&str> = d
        .symptom
        .rules
        .iter()
        .map(|&r| rules.rules[r].category.as_str())
        .filter(|c| d.symptom.name.split(',').any(|n| n == *c))
        .collect();
    let named: Vec<&str> = d
        .symptom
        .rules
        .iter()
        .map(|&r| &rules.rules[r])
        .filter(|r| !categories.contains(&r.category.as_str()))
        .map(|r| r.name.as_str())
        .collect();
    let mut target = vec!["alertname=~\"Tailwatch.+\"".to_string()];
    if !categories.is_empty() && named.is_empty() {
        target.push(format!("category=~\"{}\"", alternatives(categories)));
    } else {
        let all: Vec<&str> = d
            .symptom
            .rules
            .iter()
            .map(|&r| rules.rules[r].name.as_str())
            .collect();
        target.push(format!("rule=~\"{}\"", alternatives(all)));
    }
    InhibitRule {
        source_matchers: vec![format!(
            "alertname=\"TailwatchDiagnosis{}\"",
            camel(&d.name)
        )],
        target_matchers: target,
        // The same agent (a sidecar is its pod; a node agent's diagnoses
        // are the node's).
        equal: vec!["job".into(), "instance".into()],
    }
}

/// Generated alert rules and their tests.
pub struct Alerts {
    per_rule: Vec<Spec>,
    fixed: Vec<Spec>,
    inhibit: Vec<InhibitRule>,
    selector: Selector,
    /// Why no test series can match the selector, if none can: the rules
    /// are fine, their tests cannot be generated.
    untestable: Option<String>,
}

impl Alerts {
    /// The alerts of `rules`, each expression selecting with `selector`.
    pub fn generate(rules: &RuleSet, selector: &Selector, runbook_base: &str) -> Alerts {
        let mut target = test_target();
        let untestable = selector.satisfy(&mut target).err();
        let generator = Generator {
            selector,
            runbook_base,
            target,
        };
        let (per_rule, fixed) = generator.specs(rules);
        Alerts {
            per_rule,
            fixed,
            inhibit: rules
                .diagnoses
                .iter()
                .map(|d| inhibit_rule(d, rules))
                .collect(),
            selector: selector.clone(),
            untestable,
        }
    }

    /// The alert rules file.
    pub fn rule_file(&self) -> RuleFile {
        let rules = |specs: &[Spec]| specs.iter().map(|s| s.rule.clone()).collect();
        RuleFile {
            groups: vec![
                Group {
                    name: "tailwatch-rules".into(),
                    rules: rules(&self.per_rule),
                },
                Group {
                    name: "tailwatch-thresholds-and-agent".into(),
                    rules: rules(&self.fixed),
                },
            ],
        }
    }

    /// The `promtool test rules` file for `rule_file_name`: for every
    /// alert, cases where it fires and where it must not.
    ///
    /// The rules' alerts are tested together, one test per kind of case:
    /// their series are apart (each has its rule and severity), and
    /// promtool evaluates every rule of the file for each test, so one
    /// test per alert and case would take minutes.
    pub fn test_file(&self, rule_file_name: &str) -> TestFile {
        let mut tests: Vec<TestCase> = Vec::new();
        for spec in &self.per_rule {
            for case in &spec.cases {
                let name = format!("every rule's alert {}", case.name);
                let at = match tests.iter().position(|t| t.name == name) {
                    Some(at) => at,
                    None => {
                        tests.push(TestCase {
                            name,
                            interval: "1m".into(),
                            input_series: Vec::new(),
                            alert_rule_test: Vec::new(),
                        });
                        tests.len() - 1
                    }
                };
                let test = &mut tests[at];
                for s in &case.input {
                    if !test.input_series.iter().any(|t| t.series == s.series) {
                        test.input_series.push(s.clone());
                    }
                }
                test.alert_rule_test.push(alert_test(spec, case));
            }
        }
        for spec in &self.fixed {
            for case in &spec.cases {
                tests.push(TestCase {
                    name: format!("{} {}", spec.rule.alert, case.name),
                    interval: "1m".into(),
                    input_series: case.input.clone(),
                    alert_rule_test: vec![alert_test(spec, case)],
                });
            }
        }
        TestFile {
            rule_files: vec![rule_file_name.to_string()],
            evaluation_interval: "1m".into(),
            tests,
        }
    }

    fn header(&self) -> String {
        let mut header = String::from("# Generated by `tailwatch alerts` from the rule pack; do not edit by hand.\n# Regenerate: tailwatch alerts --out config/alerts [--patterns DIR ...]\n");
        if !self.selector.0.is_empty() {
            header.push_str(&format!("# Selector: {}\n", self.selector));
        }
        header
    }

    /// The inhibit rules, to merge into Alertmanager's `inhibit_rules`.
    pub fn render_inhibit_rules(&self) -> String {
        format!(
            "{}# Merge into alertmanager.yml: while a diagnosis alert fires, the alerts of\n# its symptom from the same agent are inhibited, so the cause pages alone.\n{}",
            self.header(),
            serde_yaml_ng::to_string(&InhibitFile {
                inhibit_rules: self.inhibit.clone(),
            })
            .expect("inhibit rules serialize")
        )
    }

    pub fn render_rules(&self) -> String {
        format!(
            "{}{}",
            self.header(),
            serde_yaml_ng::to_string(&self.rule_file()).expect("alert rules serialize")
        )
    }

    /// The tests, or why they cannot be generated for the selector.
    pub fn render_tests(&self, rule_file_name: &str) -> Result<String, String> {
        if let Some(why) = &self.untestable {
            return Err(why.clone());
        }
        Ok(format!(
            "{}{}",
            self.header(),
            serde_yaml_ng::to_string(&self.test_file(rule_file_name))
                .expect("alert tests serialize")
        ))
    }
}

/// What `case` expects of `spec`'s alert.
fn alert_test(spec: &Spec, case: &Case) -> AlertTest {
    let exp_alerts = case
        .fires
        .iter()
        .map(|series_labels| {
            let mut labels = series_labels.clone();
            labels.extend(spec.rule.labels.clone());
            ExpAlert {
                exp_annotations: spec
                    .rule
                    .annotations
                    .iter()
                    .map(|(k, v)| (k.clone(), expand(v, &labels)))
                    .collect(),
                exp_labels: labels,
            }
        })
        .collect();
    AlertTest {
        eval_time: case.eval_time.into(),
        alertname: spec.rule.alert.clone(),
        exp_alerts,
    }
}

/// Expands the templates the generated annotations use: [`WHERE`] and
/// `{{ $labels.x }}`.
fn expand(template: &str, labels: &BTreeMap<String, String>) -> String {
    let mut out = template.replace(WHERE, &where_text(labels));
    for (k, v) in labels {
        out = out.replace(&format!("{{{{ $labels.{k} }}}}"), v);
    }
    out
}
