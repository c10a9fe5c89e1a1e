//! Match counts per pod, for a node agent that reads many pods' logs:
//! what `tailwatch_matches_total` shows with `namespace`, `pod` and
//! `container` labels. Bounded whatever the node runs: (pod, rule) entries
//! are capped, more fold into the `other` pod; and a pod's entries are
//! forgotten once none of its files is open any more and it has been
//! quiet for a grace period, so the series of deleted pods go away.

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::pod::PodLabels;
use crate::rules::{RuleId, Severity};

/// One pod's matches of one rule.
#[derive(Debug, Clone, Copy, Default)]
pub struct PodCount {
    pub by_severity: [u64; 4],
    /// The latest match, on the aggregation's clock (µs).
    pub last_match: i64,
}

/// A pod's count at one severity, as the checkpoint keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PodRuleCount {
    #[serde(flatten)]
    pub pod: PodLabels,
    pub rule: String,
    pub severity: Severity,
    pub count: u64,
}

#[derive(Debug, Default)]
pub struct PodCounts {
    entries: HashMap<(Arc<PodLabels>, RuleId), PodCount>,
    /// The labels of folded entries, allocated once.
    other: Option<Arc<PodLabels>>,
    /// Matches folded into `other` by the cap.
    pub folded: u64,
}

impl PodCounts {
    /// Counts a match of `rule` in `pod`'s log, or in the `other` pod when
    /// `max_entries` other (pod, rule) entries exist. Returns the labels
    /// counted under, the count now at `severity`, and whether it folded.
    pub fn record(
        &mut self,
        pod: &Arc<PodLabels>,
        rule: RuleId,
        severity: Severity,
        now: i64,
        max_entries: usize,
    ) -> (Arc<PodLabels>, u64, bool) {
        let key = (pod.clone(), rule);
        let folded = !self.entries.contains_key(&key) && self.entries.len() >= max_entries;
        let key = if folded {
            self.folded += 1;
            let other = self
                .other
                .get_or_insert_with(|| Arc::new(PodLabels::other()))
                .clone();
            (other, rule)
        } else {
            key
        };
        let labels = key.0.clone();
        let entry = self.entries.entry(key).or_default();
        entry.by_severity[severity as usize] += 1;
        entry.last_match = entry.last_match.max(now);
        (labels, entry.by_severity[severity as usize], folded)
    }

    /// Forgets the entries of pods for which `open` is false that have not
    /// matched within `grace_us` of `now`; returns what was forgotten.
    pub fn forget_closed(
        &mut self,
        open: impl Fn(&PodLabels) -> bool,
        now: i64,
        grace_us: i64,
    ) -> Vec<(Arc<PodLabels>, RuleId)> {
        let mut gone = Vec::new();
        // The `other` pod has no files: its entries stay.
        let other = self.other.clone();
        self.entries.retain(|(pod, rule), count| {
            let keep = now - count.last_match < grace_us
                || open(pod)
                || other.as_ref().is_some_and(|o| Arc::ptr_eq(o, pod));
            if !keep {
                gone.push((pod.clone(), *rule));
            }
            keep
        });
        gone
    }

    /// Moves each entry to its rule's new id (a reload); entries of rules
    /// gone (`None`) are dropped.
    pub fn retarget(&mut self, new_id: impl Fn(RuleId) -> Option<RuleId>) {
        self.entries = std::mem::take(&mut self.entries)
            .into_iter()
            .filter_map(|((pod, rule), count)| Some(((pod, new_id(rule)?), count)))
            .collect();
    }

    /// Every entry, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&Arc<PodLabels>, RuleId, &PodCount)> {
        self.entries.iter().map(|((pod, rule), c)| (pod, *rule, c))
    }

    /// Sets an entry from a checkpoint, as of `now`.
    pub fn restore(
        &mut self,
        pod: PodLabels,
        rule: RuleId,
        severity: Severity,
        count: u64,
        now: i64,
    ) {
        let pod = if pod == PodLabels::other() {
            self.other
                .get_or_insert_with(|| Arc::new(PodLabels::other()))
                .clone()
        } else {
            Arc::new(pod)
        };
        let entry = self.entries.entry((pod, rule)).or_default();
        entry.by_severity[severity as usize] = count;
        entry.last_match = now;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(name: &str) -> Arc<PodLabels> {
        Arc::new(PodLabels {
            namespace: "ns".into(),
            pod: name.into(),
            container: "c".into(),
        })
    }

    #[test]
    fn entries_past_the_cap_fold_into_the_other_pod() {
        let mut counts = PodCounts::default();
        assert_eq!(
            counts.record(&pod("a"), 0, Severity::Error, 0, 2),
            (pod("a"), 1, false)
        );
        assert!(!counts.record(&pod("a"), 1, Severity::Error, 0, 2).2);
        let (labels, n, folded) = counts.record(&pod("b"), 0, Severity::Error, 0, 2);
        assert_eq!((*labels == PodLabels::other(), n, folded), (true, 1, true));
        // Known entries still count in place.
        assert_eq!(
            counts.record(&pod("a"), 0, Severity::Error, 0, 2),
            (pod("a"), 2, false)
        );
        assert_eq!(counts.folded, 1);
    }

    #[test]
    fn a_closed_pod_is_forgotten_after_its_grace_period() {
        let mut counts = PodCounts::default();
        counts.record(&pod("gone"), 0, Severity::Error, 0, 10);
        counts.record(&pod("live"), 0, Severity::Error, 0, 10);
        let open = |p: &PodLabels| p.pod == "live";
        assert!(counts.forget_closed(open, 50, 100).is_empty());
        assert_eq!(counts.forget_closed(open, 150, 100), vec![(pod("gone"), 0)]);
        assert_eq!(counts.iter().count(), 1);
    }
}
