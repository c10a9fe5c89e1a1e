//! A rule's matches over the log's own time, for the report's sparkline;
//! bounded whatever the span: buckets coarsen as keys accumulate.

use std::collections::BTreeMap;

/// Distinct keys kept before the bucket width doubles.
const TIMELINE_KEYS: usize = 512;

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
