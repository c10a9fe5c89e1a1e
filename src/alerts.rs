//! `tailwatch alerts`: Prometheus alert rules and their `promtool test
//! rules` unit tests, generated from the rule pack (a user's rules
//! included), plus the thresholds on extracted metrics and the agent's own
//! health. The shipped `config/alerts/` files are this module's output.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::rules::{Rule, RuleSet, Severity};

/// The job name the rules expect tailwatch to be scraped under.
pub const JOB: &str = "tailwatch";

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

#[derive(Debug, Serialize)]
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

/// The instance label the generated tests use.
const INSTANCE: &str = "app-1:9464";

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

/// One alert with its tests: input series that make it fire at `eval_time`
/// and series that must not.
struct Spec {
    rule: AlertRule,
    firing: Vec<InputSeries>,
    quiet: Vec<InputSeries>,
    eval_time: &'static str,
    /// Labels of the fired alert beyond the rule's own (from the series).
    series_labels: BTreeMap<String, String>,
}

fn series(s: &str, values: &str) -> InputSeries {
    InputSeries {
        series: s.to_string(),
        values: values.to_string(),
    }
}

fn rule_alerts(rule: &Rule, runbook_base: &str) -> Vec<Spec> {
    let mut severities: Vec<Severity> = std::iter::once(rule.severity)
        .chain(rule.escalate.iter().map(|e| e.severity))
        .collect();
    severities.sort();
    severities.dedup();
    let runbook = rule
        .runbook_url
        .clone()
        .unwrap_or_else(|| format!("{runbook_base}#{}", rule.name));
    severities
        .into_iter()
        .map(|sev| {
            let selector = format!(
                "tailwatch_matches_total{{job=\"{JOB}\",rule=\"{}\",category=\"{}\",severity=\"{sev}\"}}",
                rule.name, rule.category
            );
            Spec {
                rule: AlertRule {
                    alert: format!("Tailwatch{}{}", camel(&rule.name), camel(sev.as_str())),
                    expr: format!("increase({selector}[5m]) > 0"),
                    for_: if sev == Severity::Critical { "0m".into() } else { "1m".into() },
                    labels: map(&[("severity", sev.as_str()), ("rule", &rule.name), ("category", &rule.category)]),
                    annotations: map(&[
                        ("summary", rule.description.trim()),
                        (
                            "description",
                            &format!(
                                "tailwatch on {{{{ $labels.instance }}}} saw log lines matching rule {} ({}) at severity {sev} in the last 5 minutes. Action: {}",
                                rule.name,
                                rule.category,
                                rule.action.trim()
                            ),
                        ),
                        ("action", rule.action.trim()),
                        ("runbook_url", &runbook),
                    ]),
                },
                firing: vec![series(
                    &selector.replace('}', &format!(",instance=\"{INSTANCE}\"}}")),
                    "0 0 0 1 2 3 4 5 6 7",
                )],
                quiet: vec![series(&selector.replace('}', &format!(",instance=\"{INSTANCE}\"}}")), "0x10")],
                eval_time: "6m",
                series_labels: map(&[("job", JOB), ("instance", INSTANCE)]),
            }
        })
        .collect()
}

/// Alerts on extracted metrics, rates by category, and the agent itself.
fn fixed_alerts(runbook_base: &str) -> Vec<Spec> {
    let inst = |s: &str| s.replace('}', &format!(",instance=\"{INSTANCE}\"}}"));
    let common = map(&[("job", JOB), ("instance", INSTANCE)]);
    let alert = |name: &str,
                 expr: String,
                 for_: &str,
                 sev: &str,
                 summary: &str,
                 description: &str,
                 action: &str| AlertRule {
        alert: name.to_string(),
        expr,
        for_: for_.to_string(),
        labels: map(&[("severity", sev)]),
        annotations: map(&[
            ("summary", summary),
            ("description", description),
            ("action", action),
            (
                "runbook_url",
                &format!("{runbook_base}#{}", name.to_ascii_lowercase()),
            ),
        ]),
    };
    let lag =
        format!("tailwatch_projection_lag_seconds{{job=\"{JOB}\",projection=\"user_summary\"}}");
    let util = format!("tailwatch_pool_utilization_ratio{{job=\"{JOB}\"}}");
    let consumer = format!("tailwatch_consumer_lag_messages{{job=\"{JOB}\",group=\"ledger\"}}");
    let timeouts = format!("tailwatch_matches_total{{job=\"{JOB}\",rule=\"command_timeout\",category=\"timeout\",severity=\"error\"}}");
    let conflicts = format!("tailwatch_matches_total{{job=\"{JOB}\",rule=\"concurrency_conflict\",category=\"concurrency_conflict\",severity=\"warning\"}}");
    let es = |le: &str| {
        format!(
            "tailwatch_event_store_operation_duration_seconds_bucket{{job=\"{JOB}\",le=\"{le}\"}}"
        )
    };
    let behind =
        format!("tailwatch_file_bytes_behind{{job=\"{JOB}\",path=\"/var/log/app/app.log\"}}");
    let decode = format!("tailwatch_decode_errors_total{{job=\"{JOB}\",kind=\"invalid_json\"}}");
    let dropped = format!("tailwatch_spans_dropped_total{{job=\"{JOB}\",reason=\"queue_full\"}}");
    let abandoned =
        format!("tailwatch_bytes_abandoned_total{{job=\"{JOB}\",reason=\"truncated\"}}");
    let up = format!("up{{job=\"{JOB}\"}}");
    let with = |extra: &[(&str, &str)]| {
        let mut m = common.clone();
        m.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        m
    };
    vec![
        Spec {
            rule: alert(
                "TailwatchProjectionLagWarning",
                format!("max by (job, instance, projection) (tailwatch_projection_lag_seconds{{job=\"{JOB}\"}}) > 300"),
                "2m", "warning",
                "A read-model projection is more than 5 minutes behind the event store.",
                "Projection {{ $labels.projection }} on {{ $labels.instance }} is more than 300 s behind.",
                "Check the projection's handler latency and error rate; scale it or rebuild it from a checkpoint.",
            ),
            firing: vec![series(&inst(&lag), "420x10")],
            quiet: vec![series(&inst(&lag), "60x10")],
            eval_time: "5m",
            series_labels: with(&[("projection", "user_summary")]),
        },
        Spec {
            rule: alert(
                "TailwatchProjectionLagCritical",
                format!("max by (job, instance, projection) (tailwatch_projection_lag_seconds{{job=\"{JOB}\"}}) > 1800"),
                "2m", "critical",
                "A read-model projection is more than 30 minutes behind the event store.",
                "Projection {{ $labels.projection }} on {{ $labels.instance }} is more than 1800 s behind; read models are stale.",
                "Page the owning team; check for a stuck or crashing projection handler and rebuild from a checkpoint.",
            ),
            firing: vec![series(&inst(&lag), "2400x10")],
            quiet: vec![series(&inst(&lag), "420x10")],
            eval_time: "5m",
            series_labels: with(&[("projection", "user_summary")]),
        },
        Spec {
            rule: alert(
                "TailwatchPoolPressure",
                format!("max by (job, instance) (tailwatch_pool_utilization_ratio{{job=\"{JOB}\"}}) > 0.8"),
                "5m", "warning",
                "A connection pool reports more than 80 % of its connections in use.",
                "Pool utilisation on {{ $labels.instance }} has been above 80 % for 5 minutes.",
                "Find slow queries holding connections; size the pool to the database's capacity before it exhausts.",
            ),
            firing: vec![series(&inst(&util), "0.9x10")],
            quiet: vec![series(&inst(&util), "0.5x10")],
            eval_time: "7m",
            series_labels: common.clone(),
        },
        Spec {
            rule: alert(
                "TailwatchPoolNearlyExhausted",
                format!("max by (job, instance) (tailwatch_pool_utilization_ratio{{job=\"{JOB}\"}}) > 0.95"),
                "1m", "critical",
                "A connection pool reports more than 95 % of its connections in use.",
                "Pool utilisation on {{ $labels.instance }} is above 95 %; acquire timeouts are next.",
                "Check for connection leaks and long transactions now; shed load or add database capacity.",
            ),
            firing: vec![series(&inst(&util), "0.97x10")],
            quiet: vec![series(&inst(&util), "0.9x10")],
            eval_time: "5m",
            series_labels: common.clone(),
        },
        Spec {
            rule: alert(
                "TailwatchTimeoutsRate",
                format!("sum by (job, instance) (rate(tailwatch_matches_total{{job=\"{JOB}\",category=\"timeout\"}}[5m])) > 0.1"),
                "5m", "error",
                "Timeouts are being logged at more than one every ten seconds.",
                "{{ $labels.instance }} logs timeouts at more than 0.1 per second.",
                "Check database latency and the slowest statements; check downstream services' saturation.",
            ),
            firing: vec![series(&inst(&timeouts), "0+60x20")],
            quiet: vec![series(&inst(&timeouts), "0+1x20")],
            eval_time: "15m",
            series_labels: common.clone(),
        },
        Spec {
            rule: alert(
                "TailwatchConcurrencyConflictsRate",
                format!("sum by (job, instance) (rate(tailwatch_matches_total{{job=\"{JOB}\",category=\"concurrency_conflict\"}}[5m])) > 1"),
                "5m", "warning",
                "Optimistic-concurrency conflicts at more than one per second.",
                "{{ $labels.instance }} logs more than one concurrency conflict per second: hot streams or aggregates.",
                "Find the conflicting streams, shorten command read-to-write windows, check retry back-off.",
            ),
            firing: vec![series(&inst(&conflicts), "0+120x20")],
            quiet: vec![series(&inst(&conflicts), "0+30x20")],
            eval_time: "15m",
            series_labels: common.clone(),
        },
        Spec {
            rule: alert(
                "TailwatchEventStoreLatencyHigh",
                format!("histogram_quantile(0.99, sum by (job, instance, le) (rate(tailwatch_event_store_operation_duration_seconds_bucket{{job=\"{JOB}\"}}[5m]))) > 2"),
                "5m", "warning",
                "Slow event-store operations: p99 above 2 s.",
                "The p99 of slow event-store operations logged on {{ $labels.instance }} is above 2 s.",
                "Check the database behind the event store (I/O, locks, vacuum), stream sizes and snapshots.",
            ),
            firing: vec![series(&inst(&es("1")), "0x20"), series(&inst(&es("5")), "0+10x20"), series(&inst(&es("+Inf")), "0+10x20")],
            quiet: vec![series(&inst(&es("1")), "0+10x20"), series(&inst(&es("5")), "0+10x20"), series(&inst(&es("+Inf")), "0+10x20")],
            eval_time: "15m",
            series_labels: common.clone(),
        },
        Spec {
            rule: alert(
                "TailwatchConsumerLagHigh",
                format!("max by (job, instance, group) (tailwatch_consumer_lag_messages{{job=\"{JOB}\"}}) > 10000"),
                "5m", "warning",
                "A message consumer group is more than 10 000 messages behind.",
                "Consumer group {{ $labels.group }} seen by {{ $labels.instance }} is more than 10 000 messages behind.",
                "Compare produce and consume rates per partition; scale consumers or fix slow handlers.",
            ),
            firing: vec![series(&inst(&consumer), "52000x10")],
            quiet: vec![series(&inst(&consumer), "100x10")],
            eval_time: "7m",
            series_labels: with(&[("group", "ledger")]),
        },
        Spec {
            rule: alert(
                "TailwatchAgentDown",
                format!("up{{job=\"{JOB}\"}} == 0"),
                "2m", "warning",
                "Prometheus cannot scrape a tailwatch agent.",
                "tailwatch on {{ $labels.instance }} is not answering scrapes: trouble in its pod's logs goes unseen.",
                "Check the sidecar container (restarts, OOM kills, its listen address) and the scrape configuration.",
            ),
            firing: vec![series(&inst(&up), "0x10")],
            quiet: vec![series(&inst(&up), "1x10")],
            eval_time: "5m",
            series_labels: common.clone(),
        },
        Spec {
            rule: AlertRule {
                labels: map(&[("severity", "warning"), ("job", JOB)]),
                ..alert(
                    "TailwatchAgentAbsent",
                    format!("absent(up{{job=\"{JOB}\"}})"),
                    "10m", "warning",
                    "No tailwatch agent is being scraped at all.",
                    "Prometheus has no scrape target for job tailwatch: the sidecars are not deployed or not discovered.",
                    "Check the scrape configuration (job name tailwatch) and that the sidecar is in the pod spec.",
                )
            },
            firing: vec![series("other_metric", "1x20")],
            quiet: vec![series(&inst(&up), "1x20")],
            eval_time: "15m",
            series_labels: map(&[("job", JOB)]),
        },
        Spec {
            rule: alert(
                "TailwatchTailingStalled",
                format!("tailwatch_file_bytes_behind{{job=\"{JOB}\"}} > 10485760 and delta(tailwatch_file_bytes_behind{{job=\"{JOB}\"}}[10m]) > 0"),
                "10m", "warning",
                "tailwatch is more than 10 MiB behind a log file and falling further behind.",
                "tailwatch on {{ $labels.instance }} is behind on {{ $labels.path }} and the gap keeps growing.",
                "Give the sidecar more CPU, or look for a rule without a prefilter literal (tailwatch check -v).",
            ),
            firing: vec![series(&inst(&behind), "20000000+1000000x30")],
            quiet: vec![series(&inst(&behind), "20000000-1000000x30")],
            eval_time: "25m",
            series_labels: with(&[("path", "/var/log/app/app.log")]),
        },
        Spec {
            rule: alert(
                "TailwatchSpansDropped",
                format!("increase(tailwatch_spans_dropped_total{{job=\"{JOB}\",reason!=\"rate_limited\"}}[10m]) > 0"),
                "5m", "warning",
                "tailwatch is dropping trace spans.",
                "tailwatch on {{ $labels.instance }} dropped spans ({{ $labels.reason }}) in the last 10 minutes: the OTLP collector is down, too slow, or refusing them.",
                "Check the OTLP collector's health and the agent's --otlp-endpoint.",
            ),
            firing: vec![series(&inst(&dropped), "0+10x20")],
            quiet: vec![series(&inst(&dropped), "0x20")],
            eval_time: "15m",
            series_labels: with(&[("reason", "queue_full")]),
        },
        Spec {
            rule: alert(
                "TailwatchDecodeErrorsSpiking",
                format!("sum by (job, instance) (rate(tailwatch_decode_errors_total{{job=\"{JOB}\"}}[5m])) > 1"),
                "10m", "warning",
                "More than one bad log line per second (invalid UTF-8, truncated JSON, oversized lines).",
                "tailwatch on {{ $labels.instance }} counts more than one undecodable line per second.",
                "Look at tailwatch_decode_errors_total by kind; check the application's log encoding and line lengths.",
            ),
            firing: vec![series(&inst(&decode), "0+300x30")],
            quiet: vec![series(&inst(&decode), "0+6x30")],
            eval_time: "25m",
            series_labels: common.clone(),
        },
        Spec {
            rule: alert(
                "TailwatchBytesAbandoned",
                format!("increase(tailwatch_bytes_abandoned_total{{job=\"{JOB}\"}}[10m]) > 0"),
                "0m", "warning",
                "tailwatch gave up log bytes unread (copytruncate or deletion before reading).",
                "tailwatch on {{ $labels.instance }} could not read some log bytes ({{ $labels.reason }}).",
                "Switch the log rotation from copytruncate to rename, or rotate less aggressively.",
            ),
            firing: vec![series(&inst(&abandoned), "0 0 0 500 500 500 500 500 500 500")],
            quiet: vec![series(&inst(&abandoned), "0x10")],
            eval_time: "6m",
            series_labels: with(&[("reason", "truncated")]),
        },
    ]
}

fn all_specs(rules: &RuleSet, runbook_base: &str) -> (Vec<Spec>, Vec<Spec>) {
    (
        rules
            .rules
            .iter()
            .flat_map(|r| rule_alerts(r, runbook_base))
            .collect(),
        fixed_alerts(runbook_base),
    )
}

/// The alert rules file.
pub fn rule_file(rules: &RuleSet, runbook_base: &str) -> RuleFile {
    let (per_rule, fixed) = all_specs(rules, runbook_base);
    RuleFile {
        groups: vec![
            Group {
                name: "tailwatch-rules".into(),
                rules: per_rule.into_iter().map(|s| s.rule).collect(),
            },
            Group {
                name: "tailwatch-thresholds-and-agent".into(),
                rules: fixed.into_iter().map(|s| s.rule).collect(),
            },
        ],
    }
}

/// Expands the `{{ $labels.x }}` templates the generated annotations use.
fn expand(template: &str, labels: &BTreeMap<String, String>) -> String {
    let mut out = template.to_string();
    for (k, v) in labels {
        out = out.replace(&format!("{{{{ $labels.{k} }}}}"), v);
    }
    out
}

/// The `promtool test rules` file for `rule_file_name`: for every alert, a
/// case where it fires and one where it must not.
pub fn test_file(rules: &RuleSet, runbook_base: &str, rule_file_name: &str) -> TestFile {
    let (per_rule, fixed) = all_specs(rules, runbook_base);
    let mut tests = Vec::new();
    for spec in per_rule.into_iter().chain(fixed) {
        let mut labels = spec.series_labels.clone();
        labels.extend(spec.rule.labels.clone());
        let annotations = spec
            .rule
            .annotations
            .iter()
            .map(|(k, v)| (k.clone(), expand(v, &labels)))
            .collect();
        tests.push(TestCase {
            name: format!("{} fires", spec.rule.alert),
            interval: "1m".into(),
            input_series: spec.firing,
            alert_rule_test: vec![AlertTest {
                eval_time: spec.eval_time.into(),
                alertname: spec.rule.alert.clone(),
                exp_alerts: vec![ExpAlert {
                    exp_labels: labels,
                    exp_annotations: annotations,
                }],
            }],
        });
        tests.push(TestCase {
            name: format!("{} stays quiet", spec.rule.alert),
            interval: "1m".into(),
            input_series: spec.quiet,
            alert_rule_test: vec![AlertTest {
                eval_time: spec.eval_time.into(),
                alertname: spec.rule.alert.clone(),
                exp_alerts: vec![],
            }],
        });
    }
    TestFile {
        rule_files: vec![rule_file_name.to_string()],
        evaluation_interval: "1m".into(),
        tests,
    }
}

const HEADER: &str = "# Generated by `tailwatch alerts` from the rule pack; do not edit by hand.\n# Regenerate: tailwatch alerts --out config/alerts [--patterns DIR ...]\n";

pub fn render_rules(rules: &RuleSet, runbook_base: &str) -> String {
    format!(
        "{HEADER}{}",
        serde_yaml_ng::to_string(&rule_file(rules, runbook_base)).expect("alert rules serialize")
    )
}

pub fn render_tests(rules: &RuleSet, runbook_base: &str, rule_file_name: &str) -> String {
    format!(
        "{HEADER}{}",
        serde_yaml_ng::to_string(&test_file(rules, runbook_base, rule_file_name))
            .expect("alert tests serialize")
    )
}
