//! How the block anchors are split into Teddy passes and ordered within
//! each, so that Teddy's buckets hold anchors that look alike.
//!
//! Teddy fingerprints a position by the low and high nibble of each of its
//! first four bytes, per bucket: a bucket admits any byte whose low nibble
//! is one of its anchors' and whose high nibble is one of its anchors'. A
//! bucket of dissimilar anchors therefore admits the cross product of their
//! nibbles, and each admitted position costs a verification against every
//! anchor in the bucket. With the shipped pack's 116 anchors in buckets
//! filled in the order they were chosen, Teddy made about one pattern
//! verification per five bytes of the bench corpus; grouping like anchors
//! cuts that by more than half, and Teddy's instructions by 30 %.
//!
//! aho-corasick (1.1) puts a pattern whose low-nibble prefix it has not
//! seen into bucket `15 - id % 16` (Fat Teddy; `7 - id % 8` Slim), so the
//! order of the patterns chooses the buckets. Should that change, only the
//! speed changes: any order finds the same anchors.

/// Patterns per Teddy pass (its limit before aho-corasick gives up on it).
pub const PASS_PATTERNS: usize = 64;

/// Buckets of Fat Teddy, the variant used above 32 patterns.
const BUCKETS: usize = 16;

/// Teddy's fingerprint length: the first four bytes of each anchor.
const FINGERPRINT: usize = 4;

/// Splits `anchors` (each at least `FINGERPRINT` bytes) into as few Teddy
/// passes as hold them, each ordered so that the anchors aho-corasick puts
/// in one bucket admit few positions of text like `background`.
pub fn teddy_passes(anchors: Vec<Vec<u8>>, background: &[Vec<u8>]) -> Vec<Vec<Vec<u8>>> {
    if anchors.is_empty() {
        return Vec::new();
    }
    let model = NibbleModel::from_text(background);
    let passes = anchors.len().div_ceil(PASS_PATTERNS);
    // Spread evenly: the pass sizes differ by at most one.
    let sizes: Vec<usize> = (0..passes)
        .map(|p| anchors.len() / passes + usize::from(p < anchors.len() % passes))
        .collect();
    // Bucket `b` of pass `p` is slot `p * BUCKETS + b`; its capacity is the
    // number of ids of that pass the round-robin sends to it.
    let mut slots: Vec<Bucket> = sizes
        .iter()
        .flat_map(|&n| {
            (0..BUCKETS).map(move |b| Bucket {
                capacity: (0..n).filter(|i| bucket_of(*i) == b).count(),
                ..Bucket::default()
            })
        })
        .collect();
    // Greedy: the anchors that admit the most text alone are placed first,
    // each into the bucket its nibbles widen least.
    let mut order: Vec<(f64, Vec<u8>)> = anchors
        .into_iter()
        .map(|a| (model.admitted(Nibbles::default().with(&a)), a))
        .collect();
    order.sort_by(|x, y| y.0.total_cmp(&x.0).then_with(|| x.1.cmp(&y.1)));
    for (_, anchor) in order {
        let best = slots
            .iter()
            .enumerate()
            .filter(|(_, s)| s.anchors.len() < s.capacity)
            .map(|(i, s)| {
                // Each admitted position is verified against every anchor
                // of the bucket.
                let n = s.anchors.len() as f64;
                let cost = model.admitted(s.nibbles.with(&anchor)) * (n + 1.0)
                    - model.admitted(s.nibbles) * n;
                (i, cost)
            })
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(i, _)| i)
            .expect("capacities add up to the number of anchors");
        let slot = &mut slots[best];
        slot.nibbles = slot.nibbles.with(&anchor);
        slot.anchors.push(anchor);
    }
    // Lay each pass out so that id `i` lands in `bucket_of(i)`.
    slots
        .chunks_mut(BUCKETS)
        .zip(&sizes)
        .map(|(buckets, &n)| {
            (0..n)
                .map(|i| buckets[bucket_of(i)].anchors.pop().expect("sized"))
                .collect()
        })
        .collect()
}

/// The Fat Teddy bucket aho-corasick gives the pattern with id `i`.
fn bucket_of(i: usize) -> usize {
    BUCKETS - 1 - i % BUCKETS
}

#[derive(Debug, Default)]
struct Bucket {
    capacity: usize,
    anchors: Vec<Vec<u8>>,
    nibbles: Nibbles,
}

/// The nibbles a bucket admits at each fingerprint byte, as bit sets.
#[derive(Debug, Clone, Copy, Default)]
struct Nibbles {
    low: [u16; FINGERPRINT],
    high: [u16; FINGERPRINT],
}

impl Nibbles {
    fn with(mut self, anchor: &[u8]) -> Nibbles {
        for (j, &b) in anchor.iter().take(FINGERPRINT).enumerate() {
            self.low[j] |= 1 << (b & 15);
            self.high[j] |= 1 << (b >> 4);
        }
        self
    }
}

/// Byte frequencies of routine log text, as a table by nibbles.
struct NibbleModel {
    /// `freq[low][high]`: the share of bytes with those nibbles.
    freq: [[f64; 16]; 16],
}

impl NibbleModel {
    fn from_text(lines: &[Vec<u8>]) -> NibbleModel {
        // Every byte gets one count, so a byte the text lacks is rare, not
        // impossible.
        let mut counts = [[1.0f64; 16]; 16];
        for &b in lines.iter().flatten() {
            counts[usize::from(b & 15)][usize::from(b >> 4)] += 1.0;
        }
        let total: f64 = counts.iter().flatten().sum();
        for row in &mut counts {
            for c in row {
                *c /= total;
            }
        }
        NibbleModel { freq: counts }
    }

    /// The share of text positions a bucket admits, bytes taken as
    /// independent.
    fn admitted(&self, bucket: Nibbles) -> f64 {
        (0..FINGERPRINT)
            .map(|j| {
                let mut share = 0.0;
                for low in (0..16).filter(|l| bucket.low[j] >> l & 1 == 1) {
                    for high in (0..16).filter(|h| bucket.high[j] >> h & 1 == 1) {
                        share += self.freq[low][high];
                    }
                }
                share
            })
            .product()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(ws: &[&str]) -> Vec<Vec<u8>> {
        ws.iter().map(|w| w.as_bytes().to_vec()).collect()
    }

    #[test]
    fn every_anchor_lands_in_exactly_one_pass_of_at_most_64() {
        let anchors: Vec<Vec<u8>> = (0..150).map(|i| format!("w{i:04}x").into_bytes()).collect();
        let passes = teddy_passes(anchors.clone(), &[]);
        assert_eq!(passes.len(), 3);
        assert!(passes.iter().all(|p| p.len() <= PASS_PATTERNS));
        let mut laid: Vec<Vec<u8>> = passes.concat();
        laid.sort();
        let mut want = anchors;
        want.sort();
        assert_eq!(laid, want);
    }

    #[test]
    fn alike_anchors_share_a_bucket() {
        // 32 anchors, two per bucket: each `timeXX` should pair with its
        // twin `timeYY` rather than with an unrelated word.
        let mut anchors = Vec::new();
        for i in 0..16u8 {
            let c = b'a' + i;
            anchors.push(vec![c, c, c, c, b'1']);
            anchors.push(vec![c, c, c, c, b'2']);
        }
        let passes = teddy_passes(anchors, &words(&["some routine text"]));
        let pass = &passes[0];
        for i in 0..pass.len() {
            for j in 0..pass.len() {
                if bucket_of(i) == bucket_of(j) {
                    assert_eq!(pass[i][..4], pass[j][..4], "{pass:?}");
                }
            }
        }
    }
}
