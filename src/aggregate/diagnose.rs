//! Which diagnoses the open incidents support. A pure function of the
//! incidents (deterministic for a given input), run by the aggregation
//! when an incident opens or closes: no work per line.

use std::collections::HashMap;

use super::Incident;
use crate::rules::diagnosis::{Diagnosis, HotKey};
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
/// the pair with the most matches (then the earliest cause) first; none
/// unless every `above` of both sides holds (`above(metric, threshold)`:
/// the metric's latest value is above it in some label set).
pub fn support(
    d: &Diagnosis,
    incidents: &[Option<Incident>],
    above: impl Fn(usize, f64) -> bool,
) -> Option<Finding> {
    let values_hold = |side: &crate::rules::diagnosis::Side| {
        side.above
            .iter()
            .all(|&(metric, threshold)| above(metric, threshold))
    };
    if !values_hold(&d.cause) || !values_hold(&d.symptom) {
        return None;
    }
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

/// The keys of a hot-key diagnosis's symptom matches while its incident
/// is open. Bounded: past [`KeyCounts::KEPT`] keys, new ones count in the
/// total only.
#[derive(Debug, Clone, Default)]
pub struct KeyCounts {
    counts: HashMap<String, u64>,
    total: u64,
}

impl KeyCounts {
    const KEPT: usize = 256;

    pub fn add(&mut self, key: String) {
        self.total += 1;
        let kept = self.counts.len();
        match self.counts.get_mut(&key) {
            Some(n) => *n += 1,
            None if kept < Self::KEPT => {
                self.counts.insert(key, 1);
            }
            None => {}
        }
    }

    pub fn clear(&mut self) {
        self.counts.clear();
        self.total = 0;
    }

    /// The key with the most matches (the smallest such, for a tie), its
    /// count and the total.
    fn top(&self) -> Option<HotValue> {
        let (key, count) = self
            .counts
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))?;
        Some(HotValue {
            key: key.clone(),
            count: *count,
            total: self.total,
        })
    }
}

/// One key's share of a symptom's matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HotValue {
    pub key: String,
    pub count: u64,
    pub total: u64,
}

/// For a hot-key diagnosis: the symptom's open incident, if one key
/// holds its share of the symptom's matches.
pub fn hot_support(
    d: &Diagnosis,
    hot: &HotKey,
    incidents: &[Option<Incident>],
    keys: &KeyCounts,
) -> Option<(Finding, HotValue)> {
    let (rule, incident) = d
        .symptom
        .rules
        .iter()
        .filter_map(|&r| incidents.get(r).copied().flatten().map(|i| (r, i)))
        .min_by_key(|(_, i)| i.opened)?;
    let top = keys.top()?;
    if top.total < hot.min_matches || (top.count as f64) < hot.share * top.total as f64 {
        return None;
    }
    Some((
        Finding {
            cause: rule,
            cause_opened: incident.opened,
            symptom: rule,
            symptom_opened: incident.opened,
            matches: top.total,
        },
        top,
    ))
}

/// What the aggregation remembers of one diagnosis.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
    /// For a hot-key diagnosis: the dominant key, now or last.
    pub hot: Option<HotValue>,
}
