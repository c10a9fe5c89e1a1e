//! Sliding-window match counts (the last 1, 5 and 15 minutes) in a ring of
//! 5-second buckets: 720 bytes per rule that matched, whatever the rate.

use serde::Serialize;

const BUCKET_US: i64 = 5_000_000;
const BUCKETS: usize = 180;

/// The windows reported, in buckets.
const ONE_MINUTE: i64 = 12;
const FIVE_MINUTES: i64 = 60;
const FIFTEEN_MINUTES: i64 = 180;

/// Match counts in the last 1, 5 and 15 minutes, to 5 seconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct WindowCounts {
    #[serde(rename = "1m")]
    pub one_minute: u64,
    #[serde(rename = "5m")]
    pub five_minutes: u64,
    #[serde(rename = "15m")]
    pub fifteen_minutes: u64,
}

#[derive(Debug, Clone)]
pub struct Windows {
    /// Index of the newest bucket (time / `BUCKET_US`).
    head: i64,
    counts: Box<[u32; BUCKETS]>,
}

impl Windows {
    pub fn new(t: i64) -> Windows {
        Windows {
            head: t.div_euclid(BUCKET_US),
            counts: Box::new([0; BUCKETS]),
        }
    }

    /// Counts a match at time `t` (microseconds). A match older than the
    /// longest window is not counted here (it is in the totals).
    pub fn add(&mut self, t: i64) {
        let b = t.div_euclid(BUCKET_US);
        if b > self.head {
            for i in (self.head + 1)..=b.min(self.head + BUCKETS as i64) {
                self.counts[i.rem_euclid(BUCKETS as i64) as usize] = 0;
            }
            self.head = b;
        }
        if self.head - b < BUCKETS as i64 {
            let slot = &mut self.counts[b.rem_euclid(BUCKETS as i64) as usize];
            *slot = slot.saturating_add(1);
        }
    }

    /// The newest bucket and the ring, oldest bucket first: what a
    /// checkpoint keeps.
    pub fn ring(&self) -> (i64, Vec<u32>) {
        let ring = (self.head - BUCKETS as i64 + 1..=self.head)
            .map(|b| self.counts[b.rem_euclid(BUCKETS as i64) as usize])
            .collect();
        (self.head, ring)
    }

    /// The windows [`Windows::ring`] described.
    pub fn from_ring(head: i64, ring: &[u32]) -> Windows {
        let mut counts = Box::new([0; BUCKETS]);
        let first = head - ring.len().min(BUCKETS) as i64 + 1;
        for (b, n) in (first..=head).zip(ring.iter().rev().take(BUCKETS).rev()) {
            counts[b.rem_euclid(BUCKETS as i64) as usize] = *n;
        }
        Windows { head, counts }
    }

    /// The counts of the windows that end at `now`.
    pub fn counts(&self, now: i64) -> WindowCounts {
        let now = now.div_euclid(BUCKET_US).max(self.head);
        let sum = |span: i64| -> u64 {
            (now - span + 1..=now)
                .filter(|b| *b <= self.head && self.head - b < BUCKETS as i64)
                .map(|b| u64::from(self.counts[b.rem_euclid(BUCKETS as i64) as usize]))
                .sum()
        };
        WindowCounts {
            one_minute: sum(ONE_MINUTE),
            five_minutes: sum(FIVE_MINUTES),
            fifteen_minutes: sum(FIFTEEN_MINUTES),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: i64 = 1_000_000;

    #[test]
    fn counts_what_falls_in_each_window_as_time_moves_on() {
        let t0 = 1_795_334_400 * S;
        let mut w = Windows::new(t0);
        w.add(t0); // 15 minutes before `now` below: out of every window
        w.add(t0 + 10 * 60 * S); // in the 15- and 5-minute windows
        for i in 0..3 {
            w.add(t0 + 15 * 60 * S + i * S); // the last minute
        }
        let now = t0 + 15 * 60 * S + 5 * S;
        assert_eq!(
            w.counts(now),
            WindowCounts {
                one_minute: 3,
                five_minutes: 3,
                fifteen_minutes: 4
            }
        );
        // An hour later nothing is left in any window.
        assert_eq!(w.counts(now + 3600 * S), WindowCounts::default());
        w.add(now + 3600 * S);
        assert_eq!(w.counts(now + 3600 * S).one_minute, 1);
        assert_eq!(w.counts(now + 3600 * S).fifteen_minutes, 1);
    }

    #[test]
    fn a_ring_comes_back_as_it_was() {
        let t0 = 1_795_334_400 * S;
        let mut w = Windows::new(t0);
        for i in 0..40 {
            w.add(t0 + i * 7 * S);
        }
        let (head, ring) = w.ring();
        let back = Windows::from_ring(head, &ring);
        let now = t0 + 300 * S;
        assert_eq!(back.counts(now), w.counts(now));
        assert_eq!(back.ring(), (head, ring));
    }

    #[test]
    fn late_matches_count_while_their_bucket_is_in_the_ring() {
        let t0 = 1_000 * S;
        let mut w = Windows::new(t0 + 60 * S);
        w.add(t0 + 60 * S);
        w.add(t0 + 30 * S); // arrived late, still within 15 minutes
        w.add(t0 - 3600 * S); // far too old
        assert_eq!(w.counts(t0 + 60 * S).fifteen_minutes, 2);
        assert_eq!(w.counts(t0 + 60 * S).one_minute, 2);
    }
}
