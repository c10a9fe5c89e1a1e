//! The agent's Prometheus metrics: match counters, incidents, the gauges
//! and histograms rules extract, and self-observation; rendered as text
//! exposition at scrape time.
//!
//! All of it lives in one [`MetricsState`] behind a mutex that the reading
//! thread holds for one pass at a time and a scrape holds while rendering.
//! It is written out here rather than through a metrics recorder because
//! the counters must be restored from a checkpoint to exact values and move
//! in step with the offsets written beside them, and because series of
//! extracted metrics need a cap that folds into `other` and an expiry.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::{Duration, Instant, SystemTime};

use crate::matcher::DecodeErrors;
use crate::rules::{MetricKind, RuleSet, Severity};
use crate::sink::{Match, MatchSink};

/// Histogram buckets for extracted durations, in seconds.
pub const DURATION_BUCKETS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
];

#[derive(Debug, Clone)]
pub struct MetricSettings {
    /// Series per extracted metric; more fold into `other`.
    pub max_series: usize,
    /// An extracted gauge series not updated for this long is dropped.
    pub series_ttl: Duration,
    /// An incident closes after this long without a match.
    pub incident_quiet: Duration,
}

impl Default for MetricSettings {
    fn default() -> Self {
        MetricSettings {
            max_series: 1000,
            series_ttl: Duration::from_secs(600),
            incident_quiet: Duration::from_secs(300),
        }
    }
}

/// Matches of one rule that keep coming.
#[derive(Debug, Clone)]
pub struct Incident {
    pub opened: SystemTime,
    pub last_match: Instant,
    pub last_match_wall: SystemTime,
    /// The highest severity reached, escalation included.
    pub severity: Severity,
    pub matches: u64,
}

#[derive(Debug, Clone)]
enum Value {
    Gauge(f64),
    Histogram {
        buckets: Vec<u64>,
        sum: f64,
        count: u64,
    },
}

#[derive(Debug, Clone)]
struct Series {
    value: Value,
    updated: Instant,
}

#[derive(Debug, Clone)]
struct Family {
    name: String,
    kind: MetricKind,
    help: String,
    labels: Vec<String>,
    series: BTreeMap<Vec<String>, Series>,
}

/// Per-rule facts the exposition needs.
#[derive(Debug, Clone)]
struct RuleMeta {
    name: String,
    category: String,
    /// Severities a match of this rule can have: the base and every
    /// escalation's. Their series exist at 0 from start-up.
    severities: Vec<Severity>,
}

/// Self-observation the reading thread sets after each pass.
#[derive(Debug, Clone, Default)]
pub struct AgentCounters {
    /// (input, lines, bytes).
    pub inputs: Vec<(String, u64, u64)>,
    pub decode_errors: DecodeErrors,
    pub files_tailed: u64,
    /// (path, bytes behind).
    pub bytes_behind: Vec<(String, u64)>,
    pub bytes_abandoned: Vec<(String, u64)>,
    pub rule_evaluation_seconds: f64,
}

#[derive(Debug, Clone)]
pub struct MetricsState {
    settings: MetricSettings,
    rules: Vec<RuleMeta>,
    /// Counts by rule and severity (copied from the aggregation).
    pub matches: Vec<[u64; 4]>,
    pub incidents: Vec<Option<Incident>>,
    families: Vec<Family>,
    /// For each rule, for each of its extracts, the family it feeds.
    extract_family: Vec<Vec<usize>>,
    /// Updates folded into `other` by the series cap, by metric.
    pub series_dropped: BTreeMap<String, u64>,
    pub agent: AgentCounters,
    /// Rules loaded and inputs open.
    pub ready: bool,
}

impl MetricsState {
    pub fn new(rules: &RuleSet, settings: MetricSettings) -> Self {
        let mut families: Vec<Family> = Vec::new();
        let mut extract_family = Vec::new();
        for rule in &rules.rules {
            let mut idx = Vec::new();
            for e in &rule.extract {
                let name = format!("tailwatch_{}", e.metric);
                let i = match families.iter().position(|f| f.name == name) {
                    Some(i) => i,
                    None => {
                        families.push(Family {
                            name,
                            kind: e.kind,
                            help: format!(
                                "Extracted by rule {} from field {}.",
                                rule.name, e.field
                            ),
                            labels: e.labels.iter().map(|(l, _)| l.clone()).collect(),
                            series: BTreeMap::new(),
                        });
                        families.len() - 1
                    }
                };
                idx.push(i);
            }
            extract_family.push(idx);
        }
        MetricsState {
            settings,
            rules: rules
                .rules
                .iter()
                .map(|r| {
                    let mut severities: Vec<Severity> = std::iter::once(r.severity)
                        .chain(r.escalate.iter().map(|e| e.severity))
                        .collect();
                    severities.sort();
                    severities.dedup();
                    RuleMeta {
                        name: r.name.clone(),
                        category: r.category.clone(),
                        severities,
                    }
                })
                .collect(),
            matches: vec![[0; 4]; rules.rules.len()],
            incidents: vec![None; rules.rules.len()],
            families,
            extract_family,
            series_dropped: BTreeMap::new(),
            agent: AgentCounters::default(),
            ready: false,
        }
    }

    /// Closes incidents quiet for longer than the quiet period, and drops
    /// gauge series not updated within their time to live.
    pub fn expire(&mut self, now: Instant) {
        for slot in &mut self.incidents {
            if slot
                .as_ref()
                .is_some_and(|i| now.duration_since(i.last_match) >= self.settings.incident_quiet)
            {
                *slot = None;
            }
        }
        let ttl = self.settings.series_ttl;
        for f in self
            .families
            .iter_mut()
            .filter(|f| f.kind == MetricKind::Gauge)
        {
            f.series.retain(|_, s| now.duration_since(s.updated) < ttl);
        }
    }

    /// The worst severity among open incidents.
    pub fn state(&self) -> Option<Severity> {
        self.incidents.iter().flatten().map(|i| i.severity).max()
    }

    /// Number of series of an extracted metric (for tests and checks).
    pub fn series_count(&self, metric: &str) -> usize {
        self.families
            .iter()
            .find(|f| f.name == metric)
            .map_or(0, |f| f.series.len())
    }

    fn observe(&mut self, m: &Match<'_>, now: Instant) {
        let incident = self.incidents[m.rule_id].get_or_insert_with(|| Incident {
            opened: SystemTime::now(),
            last_match: now,
            last_match_wall: SystemTime::now(),
            severity: m.severity,
            matches: 0,
        });
        incident.last_match = now;
        incident.last_match_wall = SystemTime::now();
        incident.severity = incident.severity.max(m.severity);
        incident.matches += 1;
        for ((spec, value), &fi) in m
            .rule
            .extract
            .iter()
            .zip(m.values)
            .zip(&self.extract_family[m.rule_id])
        {
            let Some(v) = *value else { continue };
            let family = &mut self.families[fi];
            let mut key = m.label_values(spec);
            if family.series.len() >= self.settings.max_series && !family.series.contains_key(&key)
            {
                *self.series_dropped.entry(family.name.clone()).or_default() += 1;
                key = vec!["other".to_string(); key.len()];
            }
            let series = family.series.entry(key).or_insert_with(|| Series {
                value: match family.kind {
                    MetricKind::Gauge => Value::Gauge(v),
                    MetricKind::Histogram => Value::Histogram {
                        buckets: vec![0; DURATION_BUCKETS.len()],
                        sum: 0.0,
                        count: 0,
                    },
                },
                updated: now,
            });
            series.updated = now;
            match &mut series.value {
                Value::Gauge(g) => *g = v,
                Value::Histogram {
                    buckets,
                    sum,
                    count,
                } => {
                    for (b, le) in buckets.iter_mut().zip(DURATION_BUCKETS) {
                        if v <= *le {
                            *b += 1;
                        }
                    }
                    *sum += v;
                    *count += 1;
                }
            }
        }
    }

    /// The Prometheus text exposition (format 0.0.4).
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(16 * 1024);
        let head = |out: &mut String, name: &str, kind: &str, help: &str| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
        };
        head(
            &mut out,
            "tailwatch_matches_total",
            "counter",
            "Log lines that matched a rule, by rule and the severity the match reached.",
        );
        for (meta, counts) in self.rules.iter().zip(&self.matches) {
            for sev in Severity::ALL {
                let n = counts[sev as usize];
                if n > 0 || meta.severities.contains(&sev) {
                    let _ = writeln!(
                        out,
                        "tailwatch_matches_total{{rule=\"{}\",category=\"{}\",severity=\"{sev}\"}} {n}",
                        escape(&meta.name),
                        escape(&meta.category)
                    );
                }
            }
        }
        head(&mut out, "tailwatch_incident_open", "gauge", "1 while a rule's incident is open (matches keep coming), at the highest severity it reached.");
        for (meta, incident) in self.rules.iter().zip(&self.incidents) {
            let open = incident.as_ref().map(|i| i.severity);
            for sev in &meta.severities {
                let _ = writeln!(
                    out,
                    "tailwatch_incident_open{{rule=\"{}\",category=\"{}\",severity=\"{sev}\"}} {}",
                    escape(&meta.name),
                    escape(&meta.category),
                    u8::from(open == Some(*sev))
                );
            }
            if let Some(sev) = open.filter(|s| !meta.severities.contains(s)) {
                let _ = writeln!(
                    out,
                    "tailwatch_incident_open{{rule=\"{}\",category=\"{}\",severity=\"{sev}\"}} 1",
                    escape(&meta.name),
                    escape(&meta.category)
                );
            }
        }
        head(
            &mut out,
            "tailwatch_state",
            "gauge",
            "Worst severity among open incidents: 0 ok, 1 info, 2 warning, 3 error, 4 critical.",
        );
        let _ = writeln!(
            out,
            "tailwatch_state {}",
            self.state().map_or(0, |s| s as u8 + 1)
        );

        for f in &self.families {
            let kind = match f.kind {
                MetricKind::Gauge => "gauge",
                MetricKind::Histogram => "histogram",
            };
            head(&mut out, &f.name, kind, &f.help);
            for (key, s) in &f.series {
                let labels: Vec<String> = f
                    .labels
                    .iter()
                    .zip(key)
                    .map(|(l, v)| format!("{l}=\"{}\"", escape(v)))
                    .collect();
                match &s.value {
                    Value::Gauge(v) => {
                        let _ = writeln!(out, "{}{} {}", f.name, braces(&labels), number(*v));
                    }
                    Value::Histogram {
                        buckets,
                        sum,
                        count,
                    } => {
                        for (b, le) in buckets.iter().zip(DURATION_BUCKETS) {
                            let mut l = labels.clone();
                            l.push(format!("le=\"{}\"", number(*le)));
                            let _ = writeln!(out, "{}_bucket{} {b}", f.name, braces(&l));
                        }
                        let mut l = labels.clone();
                        l.push("le=\"+Inf\"".into());
                        let _ = writeln!(out, "{}_bucket{} {count}", f.name, braces(&l));
                        let _ = writeln!(out, "{}_sum{} {}", f.name, braces(&labels), number(*sum));
                        let _ = writeln!(out, "{}_count{} {count}", f.name, braces(&labels));
                    }
                }
            }
        }

        head(&mut out, "tailwatch_series_dropped_total", "counter", "Updates of extracted metrics folded into the `other` series because the metric reached its series cap.");
        for f in &self.families {
            let n = self.series_dropped.get(&f.name).copied().unwrap_or(0);
            let _ = writeln!(
                out,
                "tailwatch_series_dropped_total{{metric=\"{}\"}} {n}",
                f.name
            );
        }
        let a = &self.agent;
        head(
            &mut out,
            "tailwatch_lines_read_total",
            "counter",
            "Lines read, by input.",
        );
        for (input, lines, _) in &a.inputs {
            let _ = writeln!(
                out,
                "tailwatch_lines_read_total{{input=\"{}\"}} {lines}",
                escape(input)
            );
        }
        head(
            &mut out,
            "tailwatch_bytes_read_total",
            "counter",
            "Bytes read, by input.",
        );
        for (input, _, bytes) in &a.inputs {
            let _ = writeln!(
                out,
                "tailwatch_bytes_read_total{{input=\"{}\"}} {bytes}",
                escape(input)
            );
        }
        head(
            &mut out,
            "tailwatch_decode_errors_total",
            "counter",
            "Bad input lines, by kind; they are counted and skipped or read as text.",
        );
        for (kind, n) in a.decode_errors.by_kind() {
            let _ = writeln!(out, "tailwatch_decode_errors_total{{kind=\"{kind}\"}} {n}");
        }
        head(
            &mut out,
            "tailwatch_bytes_abandoned_total",
            "counter",
            "Bytes given up unread, by reason.",
        );
        for reason in ["truncated", "deleted_before_read"] {
            let n = a
                .bytes_abandoned
                .iter()
                .find(|(r, _)| r == reason)
                .map_or(0, |(_, n)| *n);
            let _ = writeln!(
                out,
                "tailwatch_bytes_abandoned_total{{reason=\"{reason}\"}} {n}"
            );
        }
        head(
            &mut out,
            "tailwatch_files_tailed",
            "gauge",
            "Files open for reading.",
        );
        let _ = writeln!(out, "tailwatch_files_tailed {}", a.files_tailed);
        head(
            &mut out,
            "tailwatch_file_bytes_behind",
            "gauge",
            "Bytes between the read position and the end of each tailed file.",
        );
        for (path, n) in &a.bytes_behind {
            let _ = writeln!(
                out,
                "tailwatch_file_bytes_behind{{path=\"{}\"}} {n}",
                escape(path)
            );
        }
        head(
            &mut out,
            "tailwatch_rule_evaluation_seconds_total",
            "counter",
            "Time spent matching lines against the rules (prefilter, decoding and regexes).",
        );
        let _ = writeln!(
            out,
            "tailwatch_rule_evaluation_seconds_total {}",
            number(a.rule_evaluation_seconds)
        );
        if let Some((rss, cpu)) = process_usage() {
            head(
                &mut out,
                "process_resident_memory_bytes",
                "gauge",
                "Resident memory size in bytes.",
            );
            let _ = writeln!(out, "process_resident_memory_bytes {rss}");
            head(
                &mut out,
                "process_cpu_seconds_total",
                "counter",
                "Total user and system CPU time spent in seconds.",
            );
            let _ = writeln!(out, "process_cpu_seconds_total {}", number(cpu));
        }
        out
    }

    /// Open incidents for `/report`.
    pub fn open_incidents(&self) -> Vec<IncidentReport> {
        self.rules
            .iter()
            .zip(&self.incidents)
            .filter_map(|(meta, i)| {
                let i = i.as_ref()?;
                Some(IncidentReport {
                    rule: meta.name.clone(),
                    category: meta.category.clone(),
                    severity: i.severity,
                    matches: i.matches,
                    opened: crate::decode::time::format_rfc3339(unix_micros(i.opened)),
                    last_match: crate::decode::time::format_rfc3339(unix_micros(i.last_match_wall)),
                })
            })
            .collect()
    }
}

/// An open incident as `/report` shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct IncidentReport {
    pub rule: String,
    pub category: String,
    pub severity: Severity,
    pub matches: u64,
    pub opened: String,
    pub last_match: String,
}

fn unix_micros(t: SystemTime) -> i64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as i64)
}

/// Feeds matches into the metrics during one pass.
pub struct MetricsSink<'a> {
    pub state: &'a mut MetricsState,
    pub now: Instant,
}

impl MatchSink for MetricsSink<'_> {
    fn matched(&mut self, m: &Match<'_>) {
        self.state.observe(m, self.now);
    }
}

fn braces(labels: &[String]) -> String {
    if labels.is_empty() {
        String::new()
    } else {
        format!("{{{}}}", labels.join(","))
    }
}

fn number(v: f64) -> String {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

fn escape(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Resident memory (bytes) and CPU time (seconds) of this process, from
/// /proc; `None` where there is no /proc.
fn process_usage() -> Option<(u64, f64)> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit(") ").next()?.split(' ').collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    // Page size and clock ticks are 4096 and 100 on the Linux targets we
    // build for; reading them needs libc's sysconf.
    Some((pages * 4096, ticks / 100.0))
}
