//! Prometheus exposition. Everything is recorded through the `metrics`
//! facade on handles registered once, so the reading thread's cost per
//! match is an atomic add, and `metrics-exporter-prometheus` renders the
//! text format at scrape time. Nothing here is shared with the reading
//! thread but atomics: a scrape never waits for a pass.
//!
//! - [`Prometheus`]: the recorders and the renderer (the server holds it);
//! - [`MatchMetrics`]: subscribes to aggregation events — match counters,
//!   incidents, state, extracted gauges and histograms;
//! - [`SourceMetrics`]: the reading thread's own numbers, published once a
//!   pass (lines and bytes read, bad input, files and their backlog).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use metrics::{Counter, Gauge, Key, KeyName, Label, Level, Metadata, Recorder, SharedString};
use metrics_exporter_prometheus::{
    Matcher, PrometheusBuilder, PrometheusHandle, PrometheusRecorder,
};
use metrics_util::MetricKindMask;

use crate::aggregate::{Event, IncidentChange, Subscriber};
use crate::export::otlp::{DropReason, SpanCounters};
use crate::matcher::DecodeErrors;
use crate::metric_names as names;
use crate::pod::PodLabels;
use crate::rules::{BaseUnit, MetricDecl, MetricKind, RuleId, RuleSet, Severity};

static METADATA: Metadata<'static> = Metadata::new("tailwatch", Level::INFO, None);

const MATCHES_HELP: &str = "Log lines that matched a rule, by rule and the severity the match reached; with namespace, pod and container for a pod's log read on a node.";

/// Histogram buckets by the unit a metric is exported in.
pub fn buckets(unit: BaseUnit) -> &'static [f64] {
    match unit {
        BaseUnit::Seconds => &[
            0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
        ],
        BaseUnit::Ratio => &[0.1, 0.25, 0.5, 0.75, 0.8, 0.9, 0.95, 0.99, 1.0],
        BaseUnit::Bytes => &[
            1024.0,
            16384.0,
            262_144.0,
            1_048_576.0,
            16_777_216.0,
            268_435_456.0,
            1_073_741_824.0,
            4_294_967_296.0,
        ],
        BaseUnit::Count => &[
            1.0, 5.0, 10.0, 50.0, 100.0, 500.0, 1000.0, 5000.0, 10_000.0, 100_000.0, 1e6,
        ],
    }
}

/// The recorders and the renderer.
///
/// Three recorders, because the exporter's idle timeout applies by metric
/// kind, not by name:
/// - `own`: the agent's numbers (`tailwatch_state`, lines read, ...),
///   which never expire;
/// - `rules`: each rule's `tailwatch_matches_total` and
///   `tailwatch_incident_open`, which must not expire while the rule is
///   loaded (they are kept alive, see [`Prometheus::upkeep`]) and expire
///   like any quiet series once a reload removed the rule;
/// - `content`: series whose labels come from log content (extracted
///   metrics, per-file backlog), which expire when quiet.
pub struct Prometheus {
    own: PrometheusRecorder,
    rules: PrometheusRecorder,
    content: PrometheusRecorder,
    own_handle: PrometheusHandle,
    rules_handle: PrometheusHandle,
    content_handle: PrometheusHandle,
    /// The loaded rules' series, touched at every upkeep so that the
    /// idle timeout spares them.
    rule_series: Mutex<Vec<RuleSeries>>,
    /// Extracted histograms and their units: their buckets are set when
    /// the recorder is built.
    histograms: Vec<(String, BaseUnit)>,
    /// Time spent matching, in nanoseconds (see [`Prometheus::render`]).
    evaluation_nanos: AtomicU64,
    rss: Gauge,
    /// `tailwatch_matches_total` of matches in pods' logs (see
    /// [`PodSeries`]).
    pod_series: Mutex<PodSeries>,
}

/// Match counters per pod, rule and severity, written into the
/// `tailwatch_matches_total` family at scrape time.
///
/// Not recorded through the facade: a pod's series must go when the pod
/// does, and the exporter removes a series only when it has been idle
/// for a timeout, which would also take away the series of a pod that is
/// merely quiet (and a counter that vanishes and comes back loses the
/// increase of its return to `increase()`). The aggregation says when a
/// pod is gone; the series go then.
#[derive(Debug, Default)]
struct PodSeries {
    /// (pod, rule, severity) -> count.
    counts: BTreeMap<(Arc<PodLabels>, RuleId, Severity), u64>,
    /// Per rule: name and category.
    rules: Vec<(String, String)>,
}

impl PodSeries {
    /// The series as exposition lines.
    fn render(&self) -> String {
        let mut out = String::new();
        for ((pod, rule, severity), count) in &self.counts {
            let (name, category) = &self.rules[*rule];
            let _ = writeln!(
                out,
                "{}{{namespace=\"{}\",pod=\"{}\",container=\"{}\",rule=\"{}\",category=\"{}\",severity=\"{severity}\"}} {count}",
                names::MATCHES,
                escape(&pod.namespace),
                escape(&pod.pod),
                escape(&pod.container),
                escape(name),
                escape(category),
            );
        }
        out
    }
}

/// A label value as the text format writes it.
fn escape(value: &str) -> std::borrow::Cow<'_, str> {
    if value.contains(['\\', '"', '\n']) {
        value
            .replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\n', "\\n")
            .into()
    } else {
        value.into()
    }
}

/// Puts `lines` at the end of the family `name` in `exposition` (text
/// format 0.0.4, where a family's samples must be one group), or appends
/// the family when it has none.
fn add_to_family(exposition: &mut String, name: &str, help: &str, kind: &str, lines: &str) {
    if lines.is_empty() {
        return;
    }
    let type_line = format!("# TYPE {name} {kind}\n");
    match exposition.find(&type_line) {
        Some(at) => {
            let body = at + type_line.len();
            // The family ends at the first line that is not one of its
            // samples.
            let end = exposition[body..]
                .split_inclusive('\n')
                .take_while(|l| l.starts_with(name) && !l.starts_with('#'))
                .map(str::len)
                .sum::<usize>();
            exposition.insert_str(body + end, lines);
        }
        None => {
            let _ = write!(exposition, "# HELP {name} {help}\n{type_line}{lines}\n");
        }
    }
}

impl std::fmt::Debug for Prometheus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prometheus").finish_non_exhaustive()
    }
}

impl Prometheus {
    /// Recorders for `rules`' metrics; content-derived series expire after
    /// `series_ttl` without an update.
    pub fn new(rules: &RuleSet, series_ttl: Option<Duration>) -> Arc<Prometheus> {
        let mut content = PrometheusBuilder::new().idle_timeout(
            MetricKindMask::GAUGE | MetricKindMask::HISTOGRAM,
            series_ttl,
        );
        for m in rules
            .metrics
            .iter()
            .filter(|m| m.kind == MetricKind::Histogram)
        {
            content = content
                .set_buckets_for_metric(Matcher::Full(m.name.clone()), buckets(m.unit))
                .expect("bucket lists are not empty");
        }
        let own = PrometheusBuilder::new().build_recorder();
        let content = content.build_recorder();
        let rules_recorder = PrometheusBuilder::new()
            .idle_timeout(MetricKindMask::COUNTER | MetricKindMask::GAUGE, series_ttl)
            .build_recorder();
        describe_extracted(&content, rules);
        content.describe_gauge(
            KeyName::from_const_str(names::FILE_BYTES_BEHIND),
            None,
            "Bytes between the read position and the end of each tailed file.".into(),
        );
        rules_recorder.describe_counter(
            KeyName::from_const_str(names::MATCHES),
            None,
            MATCHES_HELP.into(),
        );
        rules_recorder.describe_gauge(
            KeyName::from_const_str(names::DIAGNOSIS_ACTIVE),
            None,
            "1 while a diagnosis holds: an incident of its cause and one of its symptom are open, the cause's begun first (see patterns/diagnoses.yaml).".into(),
        );
        rules_recorder.describe_gauge(
            KeyName::from_const_str(names::INCIDENT_OPEN),
            None,
            "1 while a rule's incident is open (matches keep coming), at the highest severity it reached.".into(),
        );
        for (name, help) in [
            (names::SERIES_DROPPED, "Updates of extracted metrics folded into the `other` series because the metric reached its series cap."),
            (names::LINES_READ, "Lines read, by input."),
            (names::BYTES_READ, "Bytes read, by input."),
            (names::DECODE_ERRORS, "Bad input lines, by kind; they are counted and skipped or read as text."),
            (names::UNMATCHED_LINES, "Records at WARN or worse (or, without a level, using an error word) that no rule matched, by level: trouble the rule pack does not know. /report lists their templates; `tailwatch suggest` turns them into rules."),
            (names::BYTES_ABANDONED, "Bytes given up unread, by reason."),
            (names::READ_ERRORS, "Failed reads, by input; reading goes on."),
            (names::SPANS_EXPORTED, "Spans sent to the OTLP collector."),
            (names::SPANS_DROPPED, "Spans not sent, by reason: queue_full (the collector is slow or down), rate_limited (a rule over its spans per second), export_failed (the collector refused them or stayed unreachable)."),
            (names::WRITE_ERRORS, "Failed writes of the checkpoint or the match output, by target; they are tried again."),
            (names::MATCH_RECORDS_DROPPED, "Match records dropped because the match output could not be written and its backlog was full."),
            (names::RELOADS, "Reloads of the config and rules, by result: success, or failure (the running config stays)."),
        ] {
            own.describe_counter(KeyName::from_const_str(name), None, help.into());
        }
        for (name, help) in [
            (names::STATE, "Worst severity among open incidents: 0 ok, 1 info, 2 warning, 3 error, 4 critical."),
            (names::FILES_TAILED, "Files open for reading."),
            (names::INPUTS_OPEN, "Inputs open: files tailed, and standard input while it is read. 0 while no file matches a glob; readiness does not depend on it."),
            (names::PROCESS_RSS, "Resident memory size in bytes."),
            (names::LAST_RELOAD_SUCCESSFUL, "1 when the last reload of the config and rules succeeded (or none was tried), 0 when it failed."),
            (names::LAST_RELOAD_SUCCESS_TIME, "When the config and rules in use were loaded, in Unix seconds."),
        ] {
            own.describe_gauge(KeyName::from_const_str(name), None, help.into());
        }
        let rss = own.register_gauge(&Key::from_static_name(names::PROCESS_RSS), &METADATA);
        Arc::new(Prometheus {
            own_handle: own.handle(),
            rules_handle: rules_recorder.handle(),
            content_handle: content.handle(),
            own,
            rules: rules_recorder,
            content,
            rule_series: Mutex::new(Vec::new()),
            histograms: rules
                .metrics
                .iter()
                .filter(|m| m.kind == MetricKind::Histogram)
                .map(|m| (m.name.clone(), m.unit))
                .collect(),
            evaluation_nanos: AtomicU64::new(0),
            rss,
            pod_series: Mutex::new(PodSeries::default()),
        })
    }

    /// The span export counters, registered (they show from the first
    /// scrape, at zero, once export is on).
    pub fn span_counters(&self) -> SpanCounters {
        SpanCounters::registered(
            self.own_counter(names::SPANS_EXPORTED, Vec::new()),
            DropReason::ALL.map(|r| {
                self.own_counter(names::SPANS_DROPPED, vec![Label::new("reason", r.as_str())])
            }),
        )
    }

    fn own_counter(&self, name: &'static str, labels: Vec<Label>) -> Counter {
        self.own
            .register_counter(&Key::from_parts(name, labels), &METADATA)
    }

    fn own_gauge(&self, name: &'static str, labels: Vec<Label>) -> Gauge {
        self.own
            .register_gauge(&Key::from_parts(name, labels), &METADATA)
    }

    /// A loaded rule's counter, kept alive at every upkeep.
    fn rule_counter(&self, labels: Vec<Label>) -> Counter {
        let c = self
            .rules
            .register_counter(&Key::from_parts(names::MATCHES, labels), &METADATA);
        self.rule_series
            .lock()
            .expect("rule series lock")
            .push(RuleSeries::Counter(c.clone()));
        c
    }

    /// A loaded rule's incident gauge, kept alive at every upkeep.
    fn rule_gauge(&self, labels: Vec<Label>) -> Gauge {
        self.rules_gauge(names::INCIDENT_OPEN, labels)
    }

    /// A gauge of the loaded rules (`name`), kept alive at every upkeep.
    fn rules_gauge(&self, name: &'static str, labels: Vec<Label>) -> Gauge {
        let g = self
            .rules
            .register_gauge(&Key::from_parts(name, labels), &METADATA);
        self.rule_series
            .lock()
            .expect("rule series lock")
            .push(RuleSeries::Gauge(g.clone()));
        g
    }

    /// Whether a reload to `rules` can be recorded: an extracted
    /// histogram's buckets are set when the recorder is built.
    pub fn accepts(&self, rules: &RuleSet) -> Result<(), String> {
        for m in rules
            .metrics
            .iter()
            .filter(|m| m.kind == MetricKind::Histogram)
        {
            if !self.histograms.contains(&(m.name.clone(), m.unit)) {
                return Err(format!(
                    "the rules declare the histogram {} ({}), which was not there at start: its buckets are set then; restart tailwatch to add it",
                    m.name,
                    m.unit.as_str()
                ));
            }
        }
        describe_extracted(&self.content, rules);
        Ok(())
    }

    /// The reload metrics, registered (at start: one successful load).
    pub fn reload_metrics(&self) -> ReloadMetrics {
        let metrics = ReloadMetrics {
            successful: self.own_gauge(names::LAST_RELOAD_SUCCESSFUL, Vec::new()),
            success_time: self.own_gauge(names::LAST_RELOAD_SUCCESS_TIME, Vec::new()),
            reloads: ["success", "failure"]
                .map(|r| self.own_counter(names::RELOADS, vec![Label::new("result", r)])),
        };
        metrics.record(true);
        metrics
    }

    /// Drains recorded histogram samples into their buckets (without a
    /// scrape they would pile up), and keeps the loaded rules' series
    /// alive: the reading thread calls this once a pass.
    pub fn upkeep(&self) {
        for series in self.rule_series.lock().expect("rule series lock").iter() {
            // A touch, not a change: the idle timeout counts updates.
            match series {
                RuleSeries::Counter(c) => c.increment(0),
                RuleSeries::Gauge(g) => g.increment(0.0),
            }
        }
        self.content_handle.run_upkeep();
        self.rules_handle.run_upkeep();
        self.own_handle.run_upkeep();
    }

    /// The text exposition (format 0.0.4).
    ///
    /// `process_cpu_seconds_total` and
    /// `tailwatch_rule_evaluation_seconds_total` are written here rather
    /// than recorded: they are fractional seconds, and the facade's
    /// counters are integers. Truncated to whole seconds they would be
    /// useless for an agent meant to use about 2 % of a core.
    pub fn render(&self) -> String {
        let usage = super::process::usage();
        if let Some((rss, _)) = usage {
            self.rss.set(rss as f64);
        }
        let mut out = self.own_handle.render();
        out.push_str(&self.rules_handle.render());
        let pods = self.pod_series.lock().expect("pod series lock").render();
        add_to_family(&mut out, names::MATCHES, MATCHES_HELP, "counter", &pods);
        out.push_str(&self.content_handle.render());
        let mut float_counter = |name: &str, help: &str, value: f64| {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}\n"
            );
        };
        float_counter(
            names::RULE_EVALUATION,
            "Time spent matching lines against the rules (prefilter, decoding and regexes).",
            self.evaluation_nanos.load(Ordering::Relaxed) as f64 / 1e9,
        );
        if let Some((_, cpu)) = usage {
            float_counter(
                names::PROCESS_CPU,
                "Total user and system CPU time spent in seconds.",
                cpu,
            );
        }
        out
    }
}

fn key_name(name: &str) -> KeyName {
    KeyName::from(name.to_string())
}

/// The HELP text of the metrics `rules` extract.
fn describe_extracted(content: &PrometheusRecorder, rules: &RuleSet) {
    for m in &rules.metrics {
        let help = SharedString::from(m.help.clone());
        match m.kind {
            MetricKind::Gauge => content.describe_gauge(key_name(&m.name), None, help),
            MetricKind::Histogram => content.describe_histogram(key_name(&m.name), None, help),
        }
    }
}

/// A loaded rule's series.
enum RuleSeries {
    Counter(Counter),
    Gauge(Gauge),
}

/// `tailwatch_config_reloads_total{result}` and the last reload's result
/// and time.
pub struct ReloadMetrics {
    successful: Gauge,
    success_time: Gauge,
    /// success, failure
    reloads: [Counter; 2],
}

impl ReloadMetrics {
    /// Records a reload (or the first load) that succeeded or failed.
    fn record(&self, succeeded: bool) {
        self.successful.set(if succeeded { 1.0 } else { 0.0 });
        if succeeded {
            self.success_time
                .set(crate::aggregate::wall_now() as f64 / 1e6);
        }
    }

    /// Counts a reload tried.
    pub fn tried(&self, succeeded: bool) {
        self.reloads[usize::from(!succeeded)].increment(1);
        self.record(succeeded);
    }
}

/// Label values are handed to the exporter with every backslash doubled:
/// its sanitizer reads `\\` as an escaped backslash but drops a lone one
/// before `"` or a newline, so a value holding `\"` would not come back as
/// written.
fn label(key: &str, value: &str) -> Label {
    let value = if value.contains('\\') {
        value.replace('\\', "\\\\")
    } else {
        value.to_string()
    };
    Label::new(key.to_string(), value)
}

fn rule_labels(name: &str, category: &str, severity: Severity) -> Vec<Label> {
    vec![
        label("rule", name),
        label("category", category),
        Label::new("severity", severity.as_str()),
    ]
}

/// The aggregation's events as metrics.
pub struct MatchMetrics {
    prom: Arc<Prometheus>,
    rules: Vec<(String, String)>,
    /// `tailwatch_matches_total` per rule and severity; registered at
    /// start-up for each severity a rule can reach, so that every series
    /// exists at 0 before its first match.
    matches: Vec<[Option<Counter>; 4]>,
    incident_open: Vec<[Option<Gauge>; 4]>,
    /// `tailwatch_diagnosis_active` per diagnosis, at 0 from the start.
    diagnoses: Vec<Gauge>,
    state: Gauge,
    /// Per extracted metric, then for the pods' match series: updates
    /// folded into `other` by the cap.
    dropped: Vec<Counter>,
    metrics: Vec<MetricDecl>,
}

impl MatchMetrics {
    /// The metrics of `rules`; those of rules loaded before (a reload)
    /// are no longer kept alive, and a pod's series are shown again from
    /// the aggregation's next [`Event::Restored`].
    pub fn new(prom: Arc<Prometheus>, rules: &RuleSet) -> MatchMetrics {
        prom.rule_series.lock().expect("rule series lock").clear();
        *prom.pod_series.lock().expect("pod series lock") = PodSeries {
            counts: BTreeMap::new(),
            rules: rules
                .rules
                .iter()
                .map(|r| (r.name.clone(), r.category.clone()))
                .collect(),
        };
        let mut matches = Vec::new();
        let mut incident_open = Vec::new();
        for rule in &rules.rules {
            let mut counters: [Option<Counter>; 4] = Default::default();
            let mut gauges: [Option<Gauge>; 4] = Default::default();
            for sev in rule.reachable_severities() {
                let labels = rule_labels(&rule.name, &rule.category, sev);
                counters[sev as usize] = Some(prom.rule_counter(labels.clone()));
                let gauge = prom.rule_gauge(labels);
                gauge.set(0.0);
                gauges[sev as usize] = Some(gauge);
            }
            matches.push(counters);
            incident_open.push(gauges);
        }
        let diagnoses = rules
            .diagnoses
            .iter()
            .map(|d| {
                let g = prom.rules_gauge(
                    names::DIAGNOSIS_ACTIVE,
                    vec![
                        label("diagnosis", &d.name),
                        label("cause", &d.cause.name),
                        label("symptom", &d.symptom.name),
                    ],
                );
                g.set(0.0);
                g
            })
            .collect();
        let state = prom.own_gauge(names::STATE, Vec::new());
        state.set(0.0);
        let dropped = rules
            .metrics
            .iter()
            .map(|m| m.name.as_str())
            .chain([names::MATCHES])
            .map(|m| prom.own_counter(names::SERIES_DROPPED, vec![label("metric", m)]))
            .collect();
        MatchMetrics {
            rules: rules
                .rules
                .iter()
                .map(|r| (r.name.clone(), r.category.clone()))
                .collect(),
            matches,
            incident_open,
            diagnoses,
            state,
            dropped,
            metrics: rules.metrics.clone(),
            prom,
        }
    }

    fn counter(&mut self, rule: usize, severity: Severity) -> &Counter {
        let (name, category) = &self.rules[rule];
        let prom = &self.prom;
        self.matches[rule][severity as usize]
            .get_or_insert_with(|| prom.rule_counter(rule_labels(name, category, severity)))
    }

    /// Shows `rule`'s incident open at `open` (or closed), and the state.
    fn show_incident(&mut self, rule: usize, open: Option<Severity>) {
        if let Some(sev) = open {
            if self.incident_open[rule][sev as usize].is_none() {
                let (name, category) = &self.rules[rule];
                self.incident_open[rule][sev as usize] =
                    Some(self.prom.rule_gauge(rule_labels(name, category, sev)));
            }
        }
        for (sev, gauge) in Severity::ALL.iter().zip(&self.incident_open[rule]) {
            if let Some(g) = gauge {
                g.set(if open == Some(*sev) { 1.0 } else { 0.0 });
            }
        }
    }

    fn show_state(&self, state: Option<Severity>) {
        self.state
            .set(state.map_or(0.0, |s| f64::from(s as u8 + 1)));
    }
}

impl Subscriber for MatchMetrics {
    fn on_event(&mut self, event: &Event<'_>) {
        match event {
            Event::Matched { m, pod: None, .. } => self.counter(m.rule_id, m.severity).increment(1),
            Event::Matched {
                m, pod: Some(pod), ..
            } => {
                if pod.folded {
                    self.dropped.last().expect("the matches' own").increment(1);
                }
                self.prom
                    .pod_series
                    .lock()
                    .expect("pod series lock")
                    .counts
                    .insert((pod.labels.clone(), m.rule_id, m.severity), pod.count);
            }
            Event::PodsForgotten { series } => {
                let mut shown = self.prom.pod_series.lock().expect("pod series lock");
                for (pod, rule) in series.iter() {
                    for sev in Severity::ALL {
                        shown.counts.remove(&(pod.clone(), *rule, sev));
                    }
                }
            }
            Event::Extracted {
                metric,
                labels,
                value,
            } => {
                // Registered on every update, not kept: the exporter drops
                // a series that went quiet, and a kept handle would then
                // record into nothing.
                let decl = &self.metrics[*metric];
                let key = Key::from_parts(
                    decl.name.clone(),
                    decl.labels
                        .iter()
                        .zip(labels.iter())
                        .map(|(k, v)| label(k, v))
                        .collect::<Vec<_>>(),
                );
                match decl.kind {
                    MetricKind::Gauge => self
                        .prom
                        .content
                        .register_gauge(&key, &METADATA)
                        .set(*value),
                    MetricKind::Histogram => self
                        .prom
                        .content
                        .register_histogram(&key, &METADATA)
                        .record(*value),
                }
            }
            Event::SeriesDropped { metric } => self.dropped[*metric].increment(1),
            Event::Diagnosis {
                diagnosis, active, ..
            } => self.diagnoses[*diagnosis].set(if *active { 1.0 } else { 0.0 }),
            Event::Incident {
                rule,
                change,
                incident,
                state,
            } => {
                let open = (*change != IncidentChange::Closed).then_some(incident.severity);
                self.show_incident(*rule, open);
                self.show_state(*state);
            }
            Event::Restored {
                matches,
                in_pods,
                pods,
                incidents,
                state,
            } => {
                for (rule, (counts, in_pods)) in matches.iter().zip(*in_pods).enumerate() {
                    for sev in Severity::ALL {
                        let outside_pods = counts[sev as usize] - in_pods[sev as usize];
                        if outside_pods > 0 {
                            self.counter(rule, sev).absolute(outside_pods);
                        }
                    }
                }
                let mut series = self.prom.pod_series.lock().expect("pod series lock");
                for (pod, rule, count) in pods.iter() {
                    for sev in Severity::ALL {
                        if count.by_severity[sev as usize] > 0 {
                            series
                                .counts
                                .insert((pod.clone(), rule, sev), count.by_severity[sev as usize]);
                        }
                    }
                }
                drop(series);
                for (rule, incident) in incidents.iter().enumerate() {
                    self.show_incident(rule, incident.map(|i| i.severity));
                }
                self.show_state(*state);
            }
        }
    }
}

/// What the reading thread publishes about its inputs once a pass.
#[derive(Debug, Clone, Default)]
pub struct ReadingStats {
    /// Per input, totals since the first start.
    pub inputs: Vec<InputReading>,
    pub decode_errors: DecodeErrors,
    /// Unmatched WARN+ records by level (indexed like `mine::LEVELS`).
    pub unmatched: [u64; 4],
    /// (reason, bytes).
    pub bytes_abandoned: Vec<(String, u64)>,
    /// (path, bytes behind) of each open file.
    pub files: Vec<(String, u64)>,
    /// Time spent matching since start-up.
    pub busy: Duration,
    /// Failed writes by target (`checkpoint`, `matches_out`).
    pub write_errors: [u64; WRITE_TARGETS.len()],
    /// Files tailed, and stdin while it is read.
    pub inputs_open: u64,
    /// Match records dropped since the start: the output was blocked and
    /// its backlog full.
    pub match_records_dropped: u64,
}

/// What was read from one input.
#[derive(Debug, Clone, Default)]
pub struct InputReading {
    pub name: String,
    pub lines: u64,
    pub bytes: u64,
    /// Reads that failed.
    pub errors: u64,
}

/// What the agent writes; a failed write is counted by target.
pub const WRITE_TARGETS: [&str; 2] = ["checkpoint", "matches_out"];

/// Reasons bytes are given up; their series exist at 0 from start-up.
pub const ABANDON_REASONS: [&str; 3] =
    ["truncated", "deleted_before_read", "written_after_release"];

/// The reading thread's own numbers.
pub struct SourceMetrics {
    prom: Arc<Prometheus>,
    /// Per input, registered on the first publish (after the first pass).
    inputs: Vec<(String, Counter, Counter, Counter)>,
    decode_errors: Vec<Counter>,
    unmatched: Vec<Counter>,
    write_errors: Vec<Counter>,
    abandoned: Vec<Counter>,
    files_tailed: Gauge,
    inputs_open: Gauge,
    match_records_dropped: Counter,
}

impl SourceMetrics {
    pub fn new(prom: Arc<Prometheus>) -> SourceMetrics {
        let decode_errors = DecodeErrors::default()
            .by_kind()
            .iter()
            .map(|(kind, _)| {
                prom.own_counter(names::DECODE_ERRORS, vec![Label::new("kind", *kind)])
            })
            .collect();
        let unmatched = crate::mine::LEVELS
            .iter()
            .map(|l| prom.own_counter(names::UNMATCHED_LINES, vec![Label::new("level", *l)]))
            .collect();
        let abandoned = ABANDON_REASONS
            .iter()
            .map(|r| prom.own_counter(names::BYTES_ABANDONED, vec![Label::new("reason", *r)]))
            .collect();
        let write_errors = WRITE_TARGETS
            .iter()
            .map(|t| prom.own_counter(names::WRITE_ERRORS, vec![Label::new("target", *t)]))
            .collect();
        let files_tailed = prom.own_gauge(names::FILES_TAILED, Vec::new());
        files_tailed.set(0.0);
        let inputs_open = prom.own_gauge(names::INPUTS_OPEN, Vec::new());
        inputs_open.set(0.0);
        let match_records_dropped = prom.own_counter(names::MATCH_RECORDS_DROPPED, Vec::new());
        SourceMetrics {
            prom,
            inputs: Vec::new(),
            decode_errors,
            unmatched,
            write_errors,
            abandoned,
            files_tailed,
            inputs_open,
            match_records_dropped,
        }
    }

    pub fn publish(&mut self, stats: &ReadingStats) {
        for input in &stats.inputs {
            let i = match self.inputs.iter().position(|(n, ..)| *n == input.name) {
                Some(i) => i,
                None => {
                    let l = vec![label("input", &input.name)];
                    self.inputs.push((
                        input.name.clone(),
                        self.prom.own_counter(names::LINES_READ, l.clone()),
                        self.prom.own_counter(names::BYTES_READ, l.clone()),
                        self.prom.own_counter(names::READ_ERRORS, l),
                    ));
                    self.inputs.len() - 1
                }
            };
            let (_, lines, bytes, errors) = &self.inputs[i];
            lines.absolute(input.lines);
            bytes.absolute(input.bytes);
            errors.absolute(input.errors);
        }
        for (counter, n) in self.write_errors.iter().zip(stats.write_errors) {
            counter.absolute(n);
        }
        for (counter, (_, n)) in self.decode_errors.iter().zip(stats.decode_errors.by_kind()) {
            counter.absolute(n);
        }
        for (counter, n) in self.unmatched.iter().zip(stats.unmatched) {
            counter.absolute(n);
        }
        for (counter, reason) in self.abandoned.iter().zip(ABANDON_REASONS) {
            let n = stats
                .bytes_abandoned
                .iter()
                .find(|(r, _)| r == reason)
                .map_or(0, |(_, n)| *n);
            counter.absolute(n);
        }
        self.files_tailed.set(stats.files.len() as f64);
        self.inputs_open.set(stats.inputs_open as f64);
        self.match_records_dropped
            .absolute(stats.match_records_dropped);
        for (path, behind) in &stats.files {
            self.prom
                .content
                .register_gauge(
                    &Key::from_parts(names::FILE_BYTES_BEHIND, vec![label("path", path)]),
                    &METADATA,
                )
                .set(*behind as f64);
        }
        self.prom
            .evaluation_nanos
            .store(stats.busy.as_nanos() as u64, Ordering::Relaxed);
        self.prom.upkeep();
    }
}
