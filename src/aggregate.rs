//! Per-rule aggregation of matches: counts, first and last seen, the latest
//! sample, the worst severity reached, extracted values and a timeline.
//! Memory is bounded whatever the input: the timeline coarsens itself and
//! extracted label values are capped.

use std::collections::BTreeMap;

use crate::rules::{RuleId, RuleSet, Severity};
use crate::sink::{Match, MatchSink};

/// Distinct timeline keys kept per rule before the bucket width doubles.
const TIMELINE_KEYS: usize = 512;
/// Distinct label values kept per extracted metric; more fold into `other`.
pub const MAX_LABEL_VALUES: usize = 1000;
/// The longest sample message kept, in bytes.
const SAMPLE_BYTES: usize = 2048;

/// Match counts over time, in buckets of `width_us` microseconds keyed by
/// their start. The width doubles whenever the keys exceed `TIMELINE_KEYS`.
#[derive(Debug, Clone)]
pub struct Timeline {
    pub width_us: i64,
    pub counts: BTreeMap<i64, u64>,
}

impl Default for Timeline {
    fn default() -> Self {
        Timeline {
            width_us: 1_000,
            counts: BTreeMap::new(),
        }
    }
}

impl Timeline {
    pub fn add(&mut self, t: i64) {
        *self
            .counts
            .entry(t.div_euclid(self.width_us) * self.width_us)
            .or_default() += 1;
        while self.counts.len() > TIMELINE_KEYS {
            self.width_us *= 2;
            let old = std::mem::take(&mut self.counts);
            for (k, v) in old {
                *self
                    .counts
                    .entry(k.div_euclid(self.width_us) * self.width_us)
                    .or_default() += v;
            }
        }
    }

    /// Counts in `n` equal buckets over `[start, end]`.
    pub fn buckets(&self, start: i64, end: i64, n: usize) -> Vec<u64> {
        let mut out = vec![0; n];
        let span = (end - start).max(1) as f64;
        for (&k, &v) in &self.counts {
            let t = k.clamp(start, end);
            let i = (((t - start) as f64 / span) * n as f64) as usize;
            out[i.min(n - 1)] += v;
        }
        out
    }
}

/// Last and largest value of one extracted metric for one label set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ValueStats {
    pub last: f64,
    pub max: f64,
    pub count: u64,
}

#[derive(Debug, Clone, Default)]
pub struct ExtractStats {
    /// Label values joined with `,` (empty when the metric has no labels).
    pub by_labels: BTreeMap<String, ValueStats>,
    /// Updates folded into `other` because of the label cap.
    pub folded: u64,
}

/// Everything known about one rule's matches.
#[derive(Debug, Clone, Default)]
pub struct RuleStats {
    pub count: u64,
    pub by_severity: [u64; 4],
    pub worst: Option<Severity>,
    pub first_seen: Option<i64>,
    pub last_seen: Option<i64>,
    pub sample: String,
    pub timeline: Timeline,
    pub extracted: Vec<ExtractStats>,
}

/// Aggregation over all rules, fed as a [`MatchSink`].
#[derive(Debug, Clone)]
pub struct Aggregator {
    pub rules: Vec<RuleStats>,
    /// Earliest and latest log timestamps seen (matched or not).
    pub span: Option<(i64, i64)>,
}

impl Aggregator {
    pub fn new(rules: &RuleSet) -> Self {
        Aggregator {
            rules: rules
                .rules
                .iter()
                .map(|r| RuleStats {
                    extracted: vec![ExtractStats::default(); r.extract.len()],
                    ..RuleStats::default()
                })
                .collect(),
            span: None,
        }
    }

    /// Widens the log's time span to include `t`.
    pub fn observe_time(&mut self, t: i64) {
        self.span = Some(match self.span {
            None => (t, t),
            Some((a, b)) => (a.min(t), b.max(t)),
        });
    }

    pub fn stats(&self, id: RuleId) -> &RuleStats {
        &self.rules[id]
    }

    /// The worst severity among rules that matched.
    pub fn worst(&self) -> Option<Severity> {
        self.rules.iter().filter_map(|r| r.worst).max()
    }
}

impl MatchSink for Aggregator {
    fn matched(&mut self, m: &Match<'_>) {
        if let Some(t) = m.record.timestamp {
            self.observe_time(t);
        }
        let s = &mut self.rules[m.rule_id];
        s.count += 1;
        s.by_severity[m.severity as usize] += 1;
        s.worst = s.worst.max(Some(m.severity));
        if let Some(t) = m.record.timestamp {
            s.first_seen = Some(s.first_seen.map_or(t, |f| f.min(t)));
            s.last_seen = Some(s.last_seen.map_or(t, |l| l.max(t)));
            s.timeline.add(t);
        }
        s.sample.clear();
        let text = m.record.field(m.field);
        let text = text.as_deref().unwrap_or("");
        let mut end = text.len().min(SAMPLE_BYTES);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        s.sample.push_str(&text[..end]);
        for ((spec, value), stats) in m.rule.extract.iter().zip(m.values).zip(&mut s.extracted) {
            let Some(v) = *value else { continue };
            let key = m.label_values(spec).join(",");
            let key = if stats.by_labels.len() >= MAX_LABEL_VALUES
                && !stats.by_labels.contains_key(&key)
            {
                stats.folded += 1;
                "other".to_string()
            } else {
                key
            };
            let e = stats.by_labels.entry(key).or_insert(ValueStats {
                last: v,
                max: v,
                count: 0,
            });
            e.last = v;
            e.max = e.max.max(v);
            e.count += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeline_stays_bounded_and_keeps_every_count() {
        let mut t = Timeline::default();
        for i in 0..100_000i64 {
            t.add(i * 7_000_000);
        }
        assert!(t.counts.len() <= TIMELINE_KEYS);
        assert_eq!(t.counts.values().sum::<u64>(), 100_000);
        let b = t.buckets(0, 99_999 * 7_000_000, 20);
        assert_eq!(b.iter().sum::<u64>(), 100_000);
        assert!(b.iter().all(|&c| c > 4000), "{b:?}");
    }
}
