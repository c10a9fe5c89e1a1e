//! Diagnoses: what a set of open incidents most likely means, as the
//! runbooks reason ("timeouts are commonly caused by pool exhaustion").
//! A diagnosis names a cause and a symptom (categories or rules); it holds
//! while an incident of each is open and the cause's opened first, by a
//! lead within bounds. It is evaluated on incident changes, never per line.

use std::time::Duration;

use super::schema::{RawDiagnosis, RawSide};
use super::{Rule, RuleId};
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
}

#[derive(Debug, Clone)]
pub struct Diagnosis {
    pub name: String,
    pub conclusion: String,
    pub cause: Side,
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
        let name = side
            .categories
            .iter()
            .chain(&side.rules)
            .cloned()
            .collect::<Vec<_>>()
            .join(",");
        Ok(Side { rules: ids, name })
    };
    let cause = side("cause", &raw.cause)?;
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
