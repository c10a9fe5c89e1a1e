//! The rule file format as written on disk. Every struct denies unknown
//! keys so that a typo is an error, not a silently ignored setting.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{MetricKind, Unit};
use crate::error::RuleError;

/// One rule file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    /// Categories this file adds to the built-in ones.
    #[serde(default)]
    pub categories: Vec<String>,
    #[serde(default)]
    pub rules: Vec<RawRule>,
    /// Causes inferred from symptoms open together (see
    /// `rules::diagnosis`).
    #[serde(default)]
    pub diagnoses: Vec<RawDiagnosis>,
    /// Real lines logged at WARN or worse that are not trouble: no rule
    /// may raise an alarm on them, and they teach resemblance what is
    /// not trouble.
    #[serde(default)]
    pub routine: Vec<String>,
    /// `false` turns resemblance off for the whole rule set.
    #[serde(default)]
    pub resemblance: Option<bool>,
}

/// A diagnosis as written: when incidents of `cause` and `symptom` are
/// open together, the cause's having begun first (by `lead`), conclude.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDiagnosis {
    pub name: String,
    /// One sentence, as the report shows it: "Timeouts are most likely
    /// caused by connection-pool exhaustion".
    pub conclusion: String,
    /// Incidents of these categories or rules; or, with `hot_key`, none.
    #[serde(default)]
    pub cause: Option<RawSide>,
    /// Instead of a cause incident: one value of a key (a stream id)
    /// holds most of the symptom's matches.
    #[serde(default)]
    pub hot_key: Option<RawHotKey>,
    pub symptom: RawSide,
    /// How long before the symptom's incident opened the cause's opened:
    /// at least `min` (default 0s: not after), at most `max` (default
    /// 10m).
    #[serde(default)]
    pub lead: RawLead,
    /// `low`, `medium` or `high`: how often the runbooks find this cause
    /// behind this symptom. Ranks diagnoses that fit together.
    pub confidence: String,
    /// What to do about the cause.
    pub action: String,
    #[serde(default)]
    pub examples: RawDiagnosisExamples,
}

/// Incidents of these categories or rules (either, or both).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSide {
    #[serde(default)]
    pub categories: Vec<String>,
    #[serde(default)]
    pub rules: Vec<String>,
    /// Extracted metrics (by name) whose latest value, in some label set,
    /// must be above the threshold for this side to count.
    #[serde(default)]
    pub above: BTreeMap<String, f64>,
}

/// Where a match's key is read: the first of `fields` the record has,
/// else the first group of `regex` in the matched text.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHotKey {
    /// What the key is, for reports ("stream").
    pub name: String,
    #[serde(default)]
    pub fields: Vec<String>,
    #[serde(default)]
    pub regex: Option<String>,
    /// The share of the symptom's matches one value must hold (default
    /// 0.5) ...
    #[serde(default)]
    pub share: Option<f64>,
    /// ... once the symptom has this many matches with a key (default 5).
    #[serde(default)]
    pub min_matches: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLead {
    pub min: Option<String>,
    pub max: Option<String>,
}

/// Logs (timestamped lines, each example one log) that must and must not
/// produce the diagnosis.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDiagnosisExamples {
    #[serde(rename = "fires", default)]
    pub fires: Vec<Vec<String>>,
    #[serde(rename = "does_not_fire", default)]
    pub does_not_fire: Vec<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    pub name: String,
    pub category: String,
    pub severity: String,
    pub description: String,
    pub action: String,
    #[serde(default)]
    pub runbook_url: Option<String>,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(rename = "match")]
    pub matcher: RawMatch,
    #[serde(default)]
    pub extract: Vec<RawExtract>,
    #[serde(default)]
    pub escalate: Vec<RawEscalate>,
    /// Tried only when no other rule of the category matched the record.
    #[serde(default)]
    pub fallback: bool,
    /// Also stands for records at ERROR or worse that no rule matched and
    /// whose words most resemble the pack's lines of its category (see
    /// `matcher::resemblance`). One rule per category at most.
    #[serde(default)]
    pub resembles: bool,
    /// The `extract` entry (by field or capture name, a time) that says
    /// how long the operation the record describes took: its span starts
    /// that long before the record's timestamp.
    #[serde(default)]
    pub span_duration: Option<String>,
    /// Level of the line -> the least severity a match on it has.
    #[serde(default)]
    pub level_severity: BTreeMap<String, String>,
    /// Level of the line -> the most severity a match on a line at that
    /// level or below has.
    #[serde(default)]
    pub level_ceiling: BTreeMap<String, String>,
    /// A capture or field that identifies the event across records: a
    /// later match of the category with the same value soon after is the
    /// same event, not counted again.
    #[serde(default)]
    pub event_key: Option<RawEventKey>,
    #[serde(default)]
    pub examples: RawExamples,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMatch {
    /// Fields the regex is tried on; the rule matches if any of them does.
    #[serde(default = "default_fields")]
    pub fields: Vec<String>,
    pub regex: String,
    /// Minimum level of the line.
    #[serde(default)]
    pub level: Option<String>,
    /// Literals for the prefilter; derived from the regex when absent.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Fields the record must have (events that carry no message).
    #[serde(default)]
    pub present: Vec<String>,
    /// A regex that, found in the field the rule matched, undoes the
    /// match (a routine sense of the rule's words: "retrying", "restored").
    #[serde(default)]
    pub unless: Option<String>,
    /// `unless` for a record logged below a level (or with no level): a
    /// retry announced at WARN is the client coping, at ERROR it says the
    /// program is failing.
    #[serde(default)]
    pub unless_below: Option<RawUnlessBelow>,
    /// `<field or capture> <op> <number>`: the rule matches only when
    /// the value meets it.
    #[serde(default)]
    pub when: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawUnlessBelow {
    pub level: String,
    pub regex: String,
}

fn default_fields() -> Vec<String> {
    vec!["message".into(), "error".into()]
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExtract {
    /// A record field; with `capture`, the field read when the regex's
    /// group did not capture.
    #[serde(default)]
    pub field: Option<String>,
    /// A named group of the regex.
    #[serde(default)]
    pub capture: Option<String>,
    /// The metric the values feed; without one they only decide
    /// `escalate` and show in `explain`.
    #[serde(default)]
    pub metric: Option<String>,
    #[serde(default = "default_kind")]
    pub kind: MetricKind,
    #[serde(default = "default_unit")]
    pub unit: Unit,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
}

fn default_kind() -> MetricKind {
    MetricKind::Gauge
}

fn default_unit() -> Unit {
    Unit::Count
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEscalate {
    pub when: String,
    pub severity: String,
}

/// `event_key: pid` names a capture, else the field of that name;
/// `event_key: {capture: pid, field: session_id}` names them apart, when
/// the text and the JSON form of a log identify the event differently.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum RawEventKey {
    Name(String),
    Parts(RawEventKeyParts),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEventKeyParts {
    #[serde(default)]
    pub capture: Option<String>,
    #[serde(default)]
    pub field: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExamples {
    #[serde(rename = "match", default)]
    pub must_match: Vec<String>,
    #[serde(default)]
    pub no_match: Vec<String>,
}

pub fn parse_file(file: &str, text: &str) -> Result<RuleFile, RuleError> {
    serde_yaml_ng::from_str(text).map_err(|e| RuleError::Yaml {
        file: match e.location() {
            Some(loc) => format!("{file}:{}:{}", loc.line(), loc.column()),
            None => file.to_string(),
        },
        message: e.to_string(),
    })
}

/// The 1-based line of the last `name: <name>` of each name in `text`, for
/// messages about a rule (serde does not keep positions of successfully
/// parsed values). One pass per file: a file of hundreds of rules is read
/// once, not once per rule.
pub fn name_lines(text: &str) -> std::collections::HashMap<&str, usize> {
    text.lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let l = l.trim_start().trim_start_matches("- ").trim();
            let name = l.strip_prefix("name:")?;
            Some((name.trim().trim_matches(|c| c == '"' || c == '\''), i + 1))
        })
        .collect()
}
