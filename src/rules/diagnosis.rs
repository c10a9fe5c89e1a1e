//! Diagnoses: what a set of open incidents most likely means, as the
//! runbooks reason ("timeouts are commonly caused by pool exhaustion").
//! A diagnosis names a cause and a symptom (categories or rules); it holds
//! while an incident of each is open and the cause's opened first, by a
//! lead within bounds. It is evaluated on incident changes, never per line.

use std::time::Duration;

use super::schema::{RawDiagnosis, RawHotKey, RawSide};
use super::{MetricDecl, MetricId, Rule, RuleId};
use crate::decode::FieldRef;
use crate::error::RuleError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

/// One side of a diagnosis: the rules whose incidents count, and how it
/// was written (categories and rule names), for labels and reports.
#[derive(Debug, Clone)]
pub struct Side {
    pub rules: Vec<RuleId>,
    pub name: String,
    /// (metric, threshold): the metric's latest value in some label set
    /// must be above it.
    pub above: Vec<(MetricId, f64)>,
}

/// A key whose one value dominating the symptom's matches is the cause.
#[derive(Debug, Clone)]
pub struct HotKey {
    pub name: String,
    pub fields: Vec<FieldRef>,
    pub regex: Option<regex::Regex>,
    pub share: f64,
    pub min_matches: u64,
}

impl HotKey {
    /// The key of a match: the first field the record has, else the
    /// regex's first group in the matched text.
    pub fn of(&self, record: &crate::decode::Record<'_>, text: &str) -> Option<String> {
        self.fields
            .iter()
            .find_map(|f| record.field(f).map(|v| v.into_owned()))
            .or_else(|| {
                let caps = self.regex.as_ref()?.captures(text)?;
                Some(caps.get(1)?.as_str().to_string())
            })
    }
}

#[derive(Debug, Clone)]
pub struct Diagnosis {
    pub name: String,
    pub conclusion: String,
    /// Incidents of the cause; empty with a `hot_key`.
    pub cause: Side,
    pub hot_key: Option<HotKey>,
    pub symptom: Side,
    /// Bounds of (symptom opened - cause opened), µs.
    pub lead_min_us: i64,
    pub lead_max_us: i64,
    pub confidence: Confidence,
    pub action: String,
    pub examples_fire: Vec<Vec<String>>,
    pub examples_no_fire: Vec<Vec<String>>,
    pub origin: String,
}

/// The longest lead allowed when `lead.max` is not given.
pub const DEFAULT_MAX_LEAD: Duration = Duration::from_secs(600);

pub(super) fn compile(
    file: &str,
    line: usize,
    raw: RawDiagnosis,
    rules: &[Rule],
    metrics: &[MetricDecl],
) -> Result<Diagnosis, RuleError> {
    let invalid = |message: String| RuleError::InvalidDiagnosis {
        file: file.to_string(),
        line,
        diagnosis: raw.name.clone(),
        message,
    };
    let side = |which: &str, side: &RawSide| -> Result<Side, RuleError> {
        let mut ids = Vec::new();
        for c in &side.categories {
            let of: Vec<RuleId> = (0..rules.len())
                .filter(|&i| rules[i].category == *c)
                .collect();
            if of.is_empty() {
                return Err(invalid(format!(
                    "{which}.categories: no rule has category `{c}`"
                )));
            }
            ids.extend(of);
        }
        for r in &side.rules {
            let id = rules
                .iter()
                .position(|rule| rule.name == *r)
                .ok_or_else(|| invalid(format!("{which}.rules: no rule is named `{r}`")))?;
            ids.push(id);
        }
        if ids.is_empty() {
            return Err(invalid(format!("{which} names no category and no rule")));
        }
        ids.sort_unstable();
        ids.dedup();
        let mut above = Vec::new();
        for (metric, threshold) in &side.above {
            let id = metrics
                .iter()
                .position(|m| m.name == *metric)
                .ok_or_else(|| {
                    invalid(format!(
                        "{which}.above: no rule extracts a metric named `{metric}`"
                    ))
                })?;
            above.push((id, *threshold));
        }
        let name = side
            .categories
            .iter()
            .chain(&side.rules)
            .cloned()
            .collect::<Vec<_>>()
            .join(",");
        Ok(Side {
            rules: ids,
            name,
            above,
        })
    };
    let (cause, hot_key) = match (&raw.cause, &raw.hot_key) {
        (Some(c), None) => (side("cause", c)?, None),
        (None, Some(h)) => (
            Side {
                rules: Vec::new(),
                name: h.name.clone(),
                above: Vec::new(),
            },
            Some(hot_key(h).map_err(invalid)?),
        ),
        (None, None) => return Err(invalid("name a `cause` (or a `hot_key`)".into())),
        (Some(_), Some(_)) => {
            return Err(invalid(
                "a diagnosis has a `cause` or a `hot_key`, not both".into(),
            ))
        }
    };
    let symptom = side("symptom", &raw.symptom)?;
    if cause.rules.iter().any(|r| symptom.rules.contains(r)) {
        return Err(invalid(
            "a rule is both cause and symptom: a cause must be another symptom".into(),
        ));
    }
    let duration = |key: &str, text: &Option<String>, default: Duration| match text {
        None => Ok(default),
        Some(t) => humantime::parse_duration(t)
            .map_err(|e| invalid(format!("lead.{key}: {e} (write 30s, 10m, 2h)"))),
    };
    let lead_min = duration("min", &raw.lead.min, Duration::ZERO)?;
    let lead_max = duration("max", &raw.lead.max, DEFAULT_MAX_LEAD)?;
    if lead_min > lead_max {
        return Err(invalid("lead.min is longer than lead.max".into()));
    }
    let confidence = match raw.confidence.as_str() {
        "low" => Confidence::Low,
        "medium" => Confidence::Medium,
        "high" => Confidence::High,
        other => {
            return Err(invalid(format!(
                "unknown confidence `{other}`: use low, medium or high"
            )))
        }
    };
    if raw.examples.fires.is_empty() {
        return Err(invalid(
            "examples.fires is empty: give at least one log that produces it".into(),
        ));
    }
    Ok(Diagnosis {
        name: raw.name,
        conclusion: raw.conclusion,
        cause,
        hot_key,
        symptom,
        lead_min_us: lead_min.as_micros() as i64,
        lead_max_us: lead_max.as_micros() as i64,
        confidence,
        action: raw.action,
        examples_fire: raw.examples.fires,
        examples_no_fire: raw.examples.does_not_fire,
        origin: file.to_string(),
    })
}

fn hot_key(raw: &RawHotKey) -> Result<HotKey, String> {
    if raw.fields.is_empty() && raw.regex.is_none() {
        return Err("hot_key needs `fields` or a `regex`".into());
    }
    let regex = match &raw.regex {
        None => None,
        Some(r) => {
            let re =
                regex::Regex::new(r).map_err(|e| format!("bad regex in hot_key.regex: {e}"))?;
            if re.captures_len() < 2 {
                return Err("hot_key.regex needs a group: the key is what it captures".into());
            }
            Some(re)
        }
    };
    let share = raw.share.unwrap_or(0.5);
    if !(share > 0.0 && share <= 1.0) {
        return Err(format!("hot_key.share {share} is not in (0, 1]"));
    }
    Ok(HotKey {
        name: raw.name.clone(),
        fields: raw.fields.iter().map(|f| FieldRef::parse(f)).collect(),
        regex,
        share,
        min_matches: raw.min_matches.unwrap_or(5).max(1),
    })
}
