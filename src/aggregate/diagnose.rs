//! Which diagnoses the open incidents support. A pure function of the
//! incidents (deterministic for a given input), run by the aggregation
//! when an incident opens or closes: no work per line.

use super::Incident;
use crate::rules::diagnosis::Diagnosis;
use crate::rules::RuleId;

/// A diagnosis the incidents support: the cause's and the symptom's
/// incidents it rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finding {
    pub cause: RuleId,
    pub cause_opened: i64,
    pub symptom: RuleId,
    pub symptom_opened: i64,
    /// Matches in both incidents: the weight of the evidence.
    pub matches: u64,
}

impl Finding {
    /// How long before the symptom the cause began, µs.
    pub fn lead_us(&self) -> i64 {
        self.symptom_opened - self.cause_opened
    }
}

/// The best-supported pair of open incidents for `d`: a cause incident
/// and a symptom incident whose lead is within the diagnosis's bounds,
/// the pair with the most matches (then the earliest cause) first.
pub fn support(d: &Diagnosis, incidents: &[Option<Incident>]) -> Option<Finding> {
    let open = |rules: &[RuleId]| -> Vec<(RuleId, Incident)> {
        rules
            .iter()
            .filter_map(|&r| incidents.get(r).copied().flatten().map(|i| (r, i)))
            .collect()
    };
    let causes = open(&d.cause.rules);
    let symptoms = open(&d.symptom.rules);
    let mut best: Option<Finding> = None;
    for (c, ci) in &causes {
        for (s, si) in &symptoms {
            let f = Finding {
                cause: *c,
                cause_opened: ci.opened,
                symptom: *s,
                symptom_opened: si.opened,
                matches: ci.matches + si.matches,
            };
            if f.lead_us() < d.lead_min_us || f.lead_us() > d.lead_max_us {
                continue;
            }
            let better =
                best.is_none_or(|b| (f.matches, -f.cause_opened) > (b.matches, -b.cause_opened));
            if better {
                best = Some(f);
            }
        }
    }
    best
}

/// What the aggregation remembers of one diagnosis.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DiagnosisState {
    /// The incidents it rests on now, if it holds.
    pub active: Option<Finding>,
    /// The last incidents it rested on.
    pub last: Option<Finding>,
    /// When it first held and when it last held (or holds), on the
    /// aggregation's clock.
    pub first_at: Option<i64>,
    pub last_at: Option<i64>,
    /// Times it began to hold.
    pub times: u64,
}
