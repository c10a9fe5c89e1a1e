//! The values rules extract, per metric and label set. Bounded whatever the
//! logs hold: label sets past a metric's cap fold into one `other` set,
//! and a set not updated for the series' time to live is forgotten.

use std::collections::BTreeMap;

/// The label value every label of a folded series takes.
pub const OTHER: &str = "other";

/// Last and largest value of one metric for one label set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ValueStats {
    pub last: f64,
    pub max: f64,
    pub count: u64,
    /// When it was last updated, on the aggregation's clock (µs).
    pub updated: i64,
}

/// One extracted metric's series.
#[derive(Debug, Clone, Default)]
pub struct MetricSeries {
    /// Label values (in the order of the metric's label names) to values.
    pub series: BTreeMap<Vec<String>, ValueStats>,
    /// Updates folded into `other` because of the cap.
    pub folded: u64,
}

impl MetricSeries {
    /// Records `value` under `labels`, or under `other` when the metric
    /// already has `max_series` other sets. Returns the label set used and
    /// whether it was folded.
    pub fn record(
        &mut self,
        labels: Vec<String>,
        value: f64,
        now: i64,
        max_series: usize,
    ) -> (Vec<String>, bool) {
        let folded = self.series.len() >= max_series && !self.series.contains_key(&labels);
        let key = if folded {
            self.folded += 1;
            vec![OTHER.to_string(); labels.len()]
        } else {
            labels
        };
        match self.series.get_mut(&key) {
            Some(s) => {
                s.last = value;
                s.max = s.max.max(value);
                s.count += 1;
                s.updated = now;
            }
            None => {
                self.series.insert(
                    key.clone(),
                    ValueStats {
                        last: value,
                        max: value,
                        count: 1,
                        updated: now,
                    },
                );
            }
        }
        (key, folded)
    }

    /// Forgets the series not updated within `ttl_us` of `now`.
    pub fn expire(&mut self, now: i64, ttl_us: i64) {
        self.series.retain(|_, s| now - s.updated < ttl_us);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(v: &str) -> Vec<String> {
        vec![v.to_string()]
    }

    #[test]
    fn label_sets_past_the_cap_fold_into_other() {
        let mut m = MetricSeries::default();
        for i in 0..5 {
            let (key, folded) = m.record(labels(&format!("p{i}")), i as f64, 0, 3);
            assert_eq!(folded, i >= 3);
            assert_eq!(
                key,
                if i < 3 {
                    labels(&format!("p{i}"))
                } else {
                    labels(OTHER)
                }
            );
        }
        // Known sets still update in place.
        assert!(!m.record(labels("p1"), 9.0, 0, 3).1);
        assert_eq!(m.series.len(), 4, "three sets and `other`");
        assert_eq!(m.folded, 2);
        assert_eq!(m.series[&labels(OTHER)].last, 4.0);
        assert_eq!(m.series[&labels("p1")].max, 9.0);
    }

    #[test]
    fn quiet_series_expire_and_free_their_place_under_the_cap() {
        let mut m = MetricSeries::default();
        m.record(labels("old"), 1.0, 0, 1);
        m.record(labels("new"), 1.0, 50, 1);
        assert!(m.series.contains_key(&labels(OTHER)));
        m.expire(100, 60);
        assert!(!m.series.contains_key(&labels("old")));
        assert!(m.series.contains_key(&labels(OTHER)));
        m.expire(200, 60);
        assert!(m.series.is_empty());
        assert!(!m.record(labels("newer"), 1.0, 200, 1).1);
    }
}
