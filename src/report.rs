//! The scan report: a serializable summary (the `--format json` document)
//! and its rendering for people on a terminal.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::aggregate::{Aggregation, WindowCounts};
use crate::decode::time::format_rfc3339;
use crate::decode::Format;
use crate::matcher::ScanStats;
use crate::mine::LEVELS;
use crate::rules::{RuleSet, Severity};
use crate::scan::SourceSummary;

/// Buckets in a rule's timeline.
pub const TIMELINE_BUCKETS: usize = 24;

#[derive(Debug, Serialize)]
pub struct Report {
    /// The worst severity among rules that matched, or `ok`.
    pub state: &'static str,
    pub totals: Totals,
    pub time_span: Option<TimeSpan>,
    pub sources: Vec<SourceReport>,
    /// Diagnoses that held: those holding now first, then by confidence
    /// and the weight of their evidence.
    pub diagnoses: Vec<DiagnosisReport>,
    /// Rules that matched, by worst severity reached, then by count.
    pub rules: Vec<RuleReport>,
    /// Records at WARN or worse that no rule matched, and their most
    /// frequent templates.
    pub unmatched: UnmatchedReport,
    /// Open incidents (the agent's `/report` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub incidents: Option<Vec<IncidentReport>>,
    /// Inputs open now: files tailed, and stdin while it is read (the
    /// agent's `/report` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inputs_open: Option<u64>,
    /// Files that cannot be read and directories that cannot be listed,
    /// lately (the agent's `/report` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_problems: Option<Vec<InputProblem>>,
}

/// A failure reading an input, as `/report` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct InputProblem {
    pub path: String,
    /// `open`, `read` or `list` (a directory a glob names).
    pub operation: &'static str,
    pub error: String,
    /// Times it happened since the agent started.
    pub count: u64,
}

/// An open incident as `/report` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct IncidentReport {
    pub rule: String,
    pub category: String,
    pub severity: Severity,
    pub matches: u64,
    pub opened: String,
    pub last_match: String,
}

#[derive(Debug, Serialize)]
pub struct Totals {
    pub lines: u64,
    pub bytes: u64,
    /// Every line, by its first byte: a JSON object or plain text.
    pub lines_by_format: BTreeMap<&'static str, u64>,
    /// Lines the prefilter admitted, decoded and tried against the rules.
    pub candidate_lines: u64,
    /// The candidate lines by record format.
    pub decoded_by_format: BTreeMap<&'static str, u64>,
    pub decode_errors: BTreeMap<&'static str, u64>,
    pub matches: u64,
    /// Matches not counted: another record of an event already counted
    /// (one count per symptom).
    pub repeated_events: u64,
}

/// A diagnosis that held, and the incidents it rests on.
#[derive(Debug, Serialize)]
pub struct DiagnosisReport {
    pub name: String,
    pub conclusion: String,
    pub confidence: &'static str,
    /// It holds now: both incidents are open.
    pub active: bool,
    /// The cause's incident (the last it rested on).
    pub cause: IncidentRef,
    pub symptom: IncidentRef,
    /// How long before the symptom the cause began.
    pub lead_seconds: f64,
    /// For a hot-key diagnosis: the key that holds most of the
    /// symptom's matches.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hot_key: Option<HotKeyReport>,
    /// The conclusion and its evidence in one sentence.
    pub summary: String,
    /// When it first and last held.
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub action: String,
}

#[derive(Debug, Serialize)]
pub struct HotKeyReport {
    /// What the key is ("stream").
    pub name: String,
    pub value: String,
    /// Its matches, of all the symptom's matches with a key.
    pub matches: u64,
    pub of: u64,
}

/// One side of a diagnosis: what it names, and the rule whose incident
/// is the evidence.
#[derive(Debug, Serialize)]
pub struct IncidentRef {
    /// The categories and rules the diagnosis names.
    pub names: String,
    pub rule: String,
    pub category: String,
    pub opened: String,
}

impl DiagnosisReport {
    fn build(rules: &RuleSet, agg: &Aggregation) -> Vec<DiagnosisReport> {
        let mut found: Vec<(DiagnosisReport, u8, u64)> = agg
            .diagnoses()
            .filter_map(|(d, state)| {
                let f = state.active.or(state.last)?;
                let side = |names: &str, rule: usize, opened: i64| IncidentRef {
                    names: names.to_string(),
                    rule: rules.rules[rule].name.clone(),
                    category: rules.rules[rule].category.clone(),
                    opened: format_rfc3339(opened),
                };
                let mut report = DiagnosisReport {
                    name: d.name.clone(),
                    conclusion: d.conclusion.clone(),
                    confidence: d.confidence.as_str(),
                    active: state.active.is_some(),
                    cause: side(&d.cause.name, f.cause, f.cause_opened),
                    symptom: side(&d.symptom.name, f.symptom, f.symptom_opened),
                    lead_seconds: f.lead_us() as f64 / 1e6,
                    hot_key: d.hot_key.as_ref().zip(state.hot.as_ref()).map(|(k, v)| {
                        HotKeyReport {
                            name: k.name.clone(),
                            value: v.key.clone(),
                            matches: v.count,
                            of: v.total,
                        }
                    }),
                    first_seen: state.first_at.map(format_rfc3339),
                    // Holding now: until the later incident's last match.
                    last_seen: match state.active {
                        Some(a) => [a.cause, a.symptom]
                            .iter()
                            .filter_map(|&r| agg.incident(r).map(|i| i.last_match))
                            .max(),
                        None => state.last_at,
                    }
                    .map(format_rfc3339),
                    action: d.action.clone(),
                    summary: String::new(),
                };
                report.summary = report.sentence();
                Some((report, d.confidence as u8, f.matches))
            })
            .collect();
        found.sort_by(|a, b| {
            (b.0.active, b.1, b.2)
                .cmp(&(a.0.active, a.1, a.2))
                .then(a.0.name.cmp(&b.0.name))
        });
        found.into_iter().map(|(r, ..)| r).collect()
    }

    /// The conclusion and the evidence it rests on.
    fn sentence(&self) -> String {
        let when = if self.active {
            "both are still open".to_string()
        } else {
            format!(
                "held {} .. {}",
                self.first_seen.as_deref().unwrap_or("-"),
                self.last_seen.as_deref().unwrap_or("-")
            )
        };
        if let Some(h) = &self.hot_key {
            return format!(
                "{}: {} {} holds {} of {} matches of {} ({}); {}.",
                self.conclusion,
                h.name,
                h.value,
                h.matches,
                h.of,
                self.symptom.rule,
                self.symptom.category,
                if self.active {
                    "still open".to_string()
                } else {
                    when
                }
            );
        }
        format!(
            "{}: {} ({}) began {} before {} ({}); {}.",
            self.conclusion,
            self.cause.rule,
            self.cause.category,
            human_duration(self.lead_seconds),
            self.symptom.rule,
            self.symptom.category,
            when
        )
    }
}

/// `40s`, `5m10s`, `1h2m`.
fn human_duration(seconds: f64) -> String {
    let s = seconds.round() as i64;
    match s {
        s if s < 60 => format!("{s}s"),
        s if s < 3600 => format!("{}m{:02}s", s / 60, s % 60),
        s => format!("{}h{:02}m", s / 3600, s % 3600 / 60),
    }
}

/// The trouble the pack did not recognise.
#[derive(Debug, Serialize)]
pub struct UnmatchedReport {
    pub lines: u64,
    /// By the record's level (`none`: text without a level that uses an
    /// error word).
    pub by_level: BTreeMap<&'static str, u64>,
    /// The most frequent templates ([`UNMATCHED_TEMPLATES`] at most);
    /// `tailwatch suggest` turns them into rules.
    pub templates: Vec<TemplateReport>,
}

/// Templates the report lists.
pub const UNMATCHED_TEMPLATES: usize = 10;

#[derive(Debug, Serialize)]
pub struct TemplateReport {
    pub template: String,
    pub level: &'static str,
    pub count: u64,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub samples: Vec<String>,
}

impl UnmatchedReport {
    fn build(stats: &ScanStats, agg: &Aggregation) -> UnmatchedReport {
        UnmatchedReport {
            lines: stats.unmatched.iter().sum(),
            by_level: LEVELS
                .iter()
                .copied()
                .zip(stats.unmatched)
                .filter(|(_, n)| *n > 0)
                .collect(),
            templates: agg
                .miner()
                .top(UNMATCHED_TEMPLATES)
                .into_iter()
                .map(|t| TemplateReport {
                    template: t.text(),
                    level: t.level_name(),
                    count: t.count,
                    first_seen: t.first_seen.map(format_rfc3339),
                    last_seen: t.last_seen.map(format_rfc3339),
                    samples: t.samples.clone(),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct TimeSpan {
    pub first: String,
    pub last: String,
}

#[derive(Debug, Serialize)]
pub struct SourceReport {
    pub name: String,
    pub envelope: &'static str,
    pub lines: u64,
    pub bytes: u64,
    /// Records at WARN or worse no rule matched.
    pub unmatched: u64,
}

#[derive(Debug, Serialize)]
pub struct RuleReport {
    pub name: String,
    pub category: String,
    /// The worst severity this rule's matches reached (escalation included).
    pub severity: Severity,
    pub count: u64,
    pub count_by_severity: BTreeMap<&'static str, u64>,
    /// Of `count`, records no rule matched, counted by resemblance.
    #[serde(skip_serializing_if = "is_zero")]
    pub resembled: u64,
    /// Matches in the last 1, 5 and 15 minutes (to 5 s), on the clock the
    /// aggregation keeps: the wall clock for `run`, the log's own
    /// timestamps for a one-shot `scan`.
    pub windows: WindowCounts,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub sample: String,
    pub description: String,
    pub action: String,
    pub runbook_url: Option<String>,
    pub timeline: Option<TimelineReport>,
    pub extracted: Vec<ExtractReport>,
}

#[derive(Debug, Serialize)]
pub struct TimelineReport {
    pub start: String,
    pub end: String,
    pub bucket_seconds: f64,
    pub buckets: Vec<u64>,
}

#[derive(Debug, Serialize)]
pub struct ExtractReport {
    pub metric: String,
    pub field: String,
    /// The metric's values by label set (every rule that feeds the metric
    /// included).
    pub values: Vec<ExtractValue>,
    /// Updates whose label values were folded into `other` by the cap.
    pub folded: u64,
}

#[derive(Debug, Serialize)]
pub struct ExtractValue {
    pub labels: BTreeMap<String, String>,
    pub last: f64,
    pub max: f64,
    pub count: u64,
}

impl Totals {
    /// The totals of what scanners counted.
    pub fn from_stats(stats: &ScanStats, matches: u64) -> Totals {
        Totals {
            lines: stats.lines,
            bytes: stats.bytes,
            lines_by_format: [("json", stats.json_lines), ("text", stats.text_lines)].into(),
            candidate_lines: stats.candidates,
            decoded_by_format: Format::ALL
                .iter()
                .zip(stats.decoded_by_format)
                .filter(|(_, n)| *n > 0)
                .map(|(f, n)| (f.as_str(), n))
                .collect(),
            decode_errors: stats.errors.by_kind().into_iter().collect(),
            matches,
            repeated_events: stats.repeated_events,
        }
    }
}

impl Report {
    pub fn build(rules: &RuleSet, agg: &Aggregation, sources: &[SourceSummary]) -> Report {
        let mut totals = ScanStats::default();
        for s in sources {
            totals.add(&s.stats);
        }
        let mut rule_reports: Vec<RuleReport> = rules
            .rules
            .iter()
            .enumerate()
            .filter(|(id, _)| agg.rule(*id).count > 0)
            .map(|(id, rule)| {
                let s = agg.rule(id);
                RuleReport {
                    name: rule.name.clone(),
                    category: rule.category.clone(),
                    severity: s.worst.unwrap_or(rule.severity),
                    count: s.count,
                    count_by_severity: Severity::ALL
                        .iter()
                        .map(|sev| (sev.as_str(), s.by_severity[*sev as usize]))
                        .filter(|(_, n)| *n > 0)
                        .collect(),
                    resembled: s.resembled,
                    windows: agg.windows(id),
                    first_seen: s.first_seen.map(format_rfc3339),
                    last_seen: s.last_seen.map(format_rfc3339),
                    sample: agg.sample(id).into_owned(),
                    description: rule.description.clone(),
                    action: rule.action.clone(),
                    runbook_url: rule.runbook_url.clone(),
                    timeline: agg
                        .span
                        .filter(|_| !s.timeline.counts.is_empty())
                        .map(|(a, b)| TimelineReport {
                            start: format_rfc3339(a),
                            end: format_rfc3339(b),
                            bucket_seconds: (b - a) as f64 / 1e6 / TIMELINE_BUCKETS as f64,
                            buckets: s.timeline.buckets(a, b, TIMELINE_BUCKETS),
                        }),
                    extracted: rule
                        .extract
                        .iter()
                        .filter_map(|spec| {
                            // A value kept for `escalate` alone is not reported.
                            let (id, metric) = (spec.metric_id?, spec.metric.clone()?);
                            let series = agg.metric(id);
                            let names = &rules.metrics[id].labels;
                            Some(ExtractReport {
                                metric,
                                field: spec.field.clone(),
                                folded: series.folded,
                                values: series
                                    .series
                                    .iter()
                                    .map(|(key, v)| ExtractValue {
                                        labels: names
                                            .iter()
                                            .cloned()
                                            .zip(key.iter().cloned())
                                            .collect(),
                                        last: v.last,
                                        max: v.max,
                                        count: v.count,
                                    })
                                    .collect(),
                            })
                        })
                        .collect(),
                }
            })
            .collect();
        rule_reports.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then(b.count.cmp(&a.count))
                .then(a.name.cmp(&b.name))
        });
        let matches = rule_reports.iter().map(|r| r.count).sum();
        Report {
            state: agg.worst().map_or("ok", Severity::as_str),
            totals: Totals::from_stats(&totals, matches),
            time_span: agg.span.map(|(a, b)| TimeSpan {
                first: format_rfc3339(a),
                last: format_rfc3339(b),
            }),
            sources: sources
                .iter()
                .map(|s| SourceReport {
                    name: s.name.clone(),
                    envelope: s.envelope.as_str(),
                    lines: s.stats.lines,
                    bytes: s.stats.bytes,
                    unmatched: s.stats.unmatched.iter().sum(),
                })
                .collect(),
            diagnoses: DiagnosisReport::build(rules, agg),
            rules: rule_reports,
            unmatched: UnmatchedReport::build(&totals, agg),
            incidents: None,
            inputs_open: None,
            input_problems: None,
        }
    }

    /// Adds the open incidents, and makes the state theirs: the worst
    /// severity among them (the agent's view, where closed incidents are
    /// over).
    pub fn add_incidents(&mut self, rules: &RuleSet, agg: &Aggregation) {
        self.incidents = Some(
            rules
                .rules
                .iter()
                .enumerate()
                .filter_map(|(id, rule)| {
                    let i = agg.incident(id)?;
                    Some(IncidentReport {
                        rule: rule.name.clone(),
                        category: rule.category.clone(),
                        severity: i.severity,
                        matches: i.matches,
                        opened: format_rfc3339(i.opened),
                        last_match: format_rfc3339(i.last_match),
                    })
                })
                .collect(),
        );
        self.state = agg.state().map_or("ok", Severity::as_str);
    }

    /// The report for a person: one block per rule, worst first.
    pub fn render_human(&self, color: bool) -> String {
        let paint = |code: &str, s: &str| {
            if color {
                format!("\x1b[{code}m{s}\x1b[0m")
            } else {
                s.to_string()
            }
        };
        let sev_color = |s: &str| match s {
            "critical" => "1;31",
            "error" => "31",
            "warning" => "33",
            "info" => "36",
            _ => "32",
        };
        let mut out = String::new();
        let t = &self.totals;
        let _ = write!(
            out,
            "{} lines, {} from {} source{}",
            group(t.lines),
            human_bytes(t.bytes),
            self.sources.len(),
            if self.sources.len() == 1 { "" } else { "s" }
        );
        if let Some(span) = &self.time_span {
            let _ = write!(out, ", {} .. {}", span.first, span.last);
        }
        out.push('\n');
        let errors: Vec<String> = t
            .decode_errors
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(k, n)| format!("{k} {}", group(*n)))
            .collect();
        if !errors.is_empty() {
            let _ = writeln!(
                out,
                "bad input (counted, skipped where needed): {}",
                errors.join(", ")
            );
        }
        let _ = writeln!(
            out,
            "state: {}\n",
            paint(sev_color(self.state), &self.state.to_uppercase())
        );
        for d in &self.diagnoses {
            let _ = writeln!(
                out,
                "{} ({} confidence) {}\n          do: {}\n",
                paint(if d.active { "1;35" } else { "35" }, "DIAGNOSIS"),
                d.confidence,
                d.summary,
                d.action
            );
        }
        if self.rules.is_empty() {
            out.push_str("No rule matched.\n");
        } else {
            self.render_rules(&mut out, &paint, &sev_color);
        }
        self.render_unmatched(&mut out);
        out
    }

    /// How much trouble no rule recognised, and its top templates.
    fn render_unmatched(&self, out: &mut String) {
        let u = &self.unmatched;
        if u.lines == 0 {
            return;
        }
        let levels: Vec<String> = u
            .by_level
            .iter()
            .map(|(l, n)| format!("{l} {}", group(*n)))
            .collect();
        let _ = writeln!(
            out,
            "\n{} line{} at WARN or worse matched no rule ({}); top templates:",
            group(u.lines),
            if u.lines == 1 { "" } else { "s" },
            levels.join(", ")
        );
        for t in u.templates.iter().take(5) {
            let _ = writeln!(
                out,
                "  {:>9}  {:<5}  {}",
                group(t.count),
                t.level,
                one_line(&t.template, 140)
            );
        }
        out.push_str("  (tailwatch suggest proposes rules for them)\n");
    }

    fn render_rules(
        &self,
        out: &mut String,
        paint: &dyn Fn(&str, &str) -> String,
        sev_color: &dyn Fn(&str) -> &'static str,
    ) {
        let name_w = self
            .rules
            .iter()
            .map(|r| r.name.len())
            .max()
            .unwrap_or(4)
            .max(4);
        let cat_w = self
            .rules
            .iter()
            .map(|r| r.category.len())
            .max()
            .unwrap_or(8)
            .max(8);
        let _ = writeln!(
            out,
            "{:<8}  {:<name_w$}  {:<cat_w$}  {:>9}  {:<24}  {:<24}  TIMELINE",
            "SEVERITY", "RULE", "CATEGORY", "COUNT", "FIRST SEEN", "LAST SEEN"
        );
        for r in &self.rules {
            let sev = r.severity.as_str();
            let _ = writeln!(
                out,
                "{}  {:<name_w$}  {:<cat_w$}  {:>9}  {:<24}  {:<24}  {}",
                paint(sev_color(sev), &format!("{sev:<8}")),
                r.name,
                r.category,
                group(r.count),
                r.first_seen.as_deref().unwrap_or("-"),
                r.last_seen.as_deref().unwrap_or("-"),
                r.timeline
                    .as_ref()
                    .map(|t| sparkline(&t.buckets))
                    .unwrap_or_default(),
            );
            let _ = writeln!(out, "          sample: {}", one_line(&r.sample, 160));
            if r.resembled > 0 {
                let _ = writeln!(
                    out,
                    "          of which {} by resemblance: no rule matched them, their words resemble `{}`",
                    group(r.resembled),
                    r.category
                );
            }
            let _ = writeln!(out, "          action: {}", r.action);
        }
    }
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// Eight-level bar characters for a row of counts.
pub fn sparkline(buckets: &[u64]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = buckets.iter().copied().max().unwrap_or(0);
    buckets
        .iter()
        .map(|&c| match c {
            0 => ' ',
            c => BARS[(c * 7 / max.max(1)) as usize],
        })
        .collect()
}

fn one_line(s: &str, max_chars: usize) -> String {
    let flat: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if flat.chars().count() > max_chars {
        format!("{}…", flat.chars().take(max_chars).collect::<String>())
    } else {
        flat
    }
}

fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 30 => format!("{:.1} GiB", n as f64 / (1u64 << 30) as f64),
        n if n >= 1 << 20 => format!("{:.1} MiB", n as f64 / (1u64 << 20) as f64),
        n if n >= 1 << 10 => format!("{:.1} KiB", n as f64 / 1024.0),
        n => format!("{n} B"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparkline_scales_to_the_busiest_bucket() {
        assert_eq!(sparkline(&[0, 1, 7, 14]), " ▁▄█");
        assert_eq!(group(1234567), "1,234,567");
    }
}
