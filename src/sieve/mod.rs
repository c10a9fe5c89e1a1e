//! A many-literal sieve: every occurrence of any of many literals in a
//! haystack, ASCII case-insensitively, at a cost per byte that does not
//! grow with the number of literals.
//!
//! The design is Hyperscan's FDR. Each literal is searched for by an
//! *anchor*: its rarest stretch of bytes, judged by how often its bytes
//! follow each other in routine log text ([`rarity`]) and by whether it
//! occurs in routine lines the caller knows of. A two-byte *window* is
//! looked at every `stride` bytes (one or two); anchors are spread over
//! eight *buckets*, short with short. A table indexed by a window says, for
//! each bucket and each of eight distances (in windows looked at) from an
//! anchor's last such window, whether some anchor of the bucket has that
//! window there. The scan shift-ORs the table entries of eight windows into
//! a 128-bit state: a zero bit left in the low half says that every window
//! of some anchor of a bucket matched up to that position. Only then is
//! anything compared: the bucket's anchors that end in the same last
//! bytes (a hash lookup), then each literal around its anchor.
//!
//! At stride two an anchor is seen through the windows at even or at odd
//! offsets, depending on where it starts; both sets are in the table, and
//! a candidate is confirmed at the one or two positions its anchor can end
//! at. The stride is chosen when the sieve is built: two halves the table
//! lookups, but needs anchors of three bytes or more and sees each through
//! half its windows; the cheaper by an estimate of both is taken.
//!
//! Invariants:
//! - case is folded in the window's key (bit 5 of both bytes cleared),
//!   never by copying the haystack; folding maps more than letters
//!   together, which can only add candidates, and every report is
//!   confirmed byte for byte;
//! - a window that some anchor needs clears that anchor's bucket bit at its
//!   distance; a bucket's lanes beyond the fewest windows any of its
//!   anchors is seen through are cleared in every entry (they say nothing):
//!   so an anchor occurrence always leaves its bit clear, and no
//!   occurrence is missed;
//! - reports come in the order of their anchors' ends, and each occurrence
//!   of a literal is reported once: it has one anchor, at one offset, which
//!   ends at one position.
//!
//! Why by hand: `aho-corasick` is the well-kept crate for many literals,
//! but its fast searcher (Teddy) takes 64 patterns a pass and fingerprints
//! their first bytes only, and its automata step byte by byte; with a rule
//! pack of hundreds of literals and a user's hundreds more, its cost per
//! byte grew with every rule (measured on the bench corpus: 4.3 times the
//! shipped pack's time with 420 rules more). No crate offers FDR, whose
//! cost per byte does not grow.
//!
//! The module stands alone (its only dependency is the rarity table) and is
//! tested against `aho-corasick` as the oracle.

pub mod rarity;

use std::collections::{HashMap, HashSet};

/// Lanes of the state: windows per step, and distances an anchor is seen
/// through.
const LANES: usize = 8;

/// Buckets: the bits per lane of the state.
const BUCKETS: usize = 8;

/// Bits of a window's key: bit 5 of each byte is ASCII case, and bit 7
/// of the second only sets non-ASCII bytes apart. What the mask folds
/// together beyond case (printable ASCII with control bytes, `{` with `[`,
/// ASCII with non-ASCII second bytes) is rare in log text; the table holds
/// `0x5FE0` entries, of which ASCII text touches 4096 (32 KiB).
const KEY_MASK: u16 = 0x5FDF;

/// Entries of the table: every key indexes it, so the hot loop's lookups
/// need no bounds checks.
const TABLE_LEN: usize = KEY_MASK as usize + 1;

type Table = [u64; TABLE_LEN];

/// A window's key: two bytes, case folded.
#[inline(always)]
fn key(pair: u16) -> usize {
    (pair & KEY_MASK) as usize
}

/// Estimated instructions per haystack byte of the scan loop at stride one
/// and two, and per candidate confirmed (measured with callgrind on the
/// bench corpus); they choose the stride.
const LOOP_COST: [f64; 2] = [9.6, 5.2];
const CONFIRM_COST: f64 = 60.0;

#[derive(Debug, Clone)]
struct Anchor {
    /// Lowercased.
    bytes: Box<[u8]>,
    /// The literals it anchors, with its offset in each.
    uses: Vec<(u32, u32)>,
}

/// What confirms a bucket's candidates.
#[derive(Debug, Clone, Default)]
struct Bucket {
    /// How many of an anchor's last bytes key it: as many as the bucket's
    /// shortest anchor has, at most eight.
    tail: usize,
    /// Anchors by their last `tail` bytes, lowercased, packed into a u64
    /// (see [`tail_key`]).
    by_tail: HashMap<u64, Box<[u32]>, foldhash::fast::FixedState>,
}

/// Finds every occurrence of any of its literals. See the module docs.
#[derive(Clone)]
pub struct Sieve {
    /// Indexed by window key: bit `8 * d + b` is clear when an anchor of
    /// bucket `b` has that window `d` windows before its last.
    table: Box<Table>,
    /// Bytes between the windows looked at: 1 or 2.
    stride: usize,
    buckets: [Bucket; BUCKETS],
    anchors: Vec<Anchor>,
    /// Lowercased, in the order given.
    literals: Vec<Box<[u8]>>,
    /// The state carried into the first step: windows before the
    /// haystack match nothing, at the distances each bucket looks at.
    start: u64,
}

impl std::fmt::Debug for Sieve {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sieve")
            .field("literals", &self.literals.len())
            .field("anchors", &self.anchors.len())
            .field("stride", &self.stride)
            .finish()
    }
}

/// One occurrence: the literal's index (in the order given) and where it
/// starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hit {
    pub literal: usize,
    pub start: usize,
}

/// Anchors and buckets for one stride, with the estimated cost per byte.
struct Plan {
    stride: usize,
    anchors: Vec<Anchor>,
    bucket_of: Vec<usize>,
    cost: f64,
}

impl Sieve {
    /// A sieve for `literals`, each at least two bytes long (ASCII case is
    /// ignored; other bytes are compared as they are).
    ///
    /// # Panics
    /// When a literal is shorter than two bytes.
    pub fn new<L: AsRef<[u8]>>(literals: &[L]) -> Sieve {
        Sieve::with_routine::<L, &[u8]>(literals, &[])
    }

    /// A sieve whose anchors avoid stretches that occur in `routine`:
    /// lines of what is searched when nothing is wrong.
    ///
    /// # Panics
    /// When a literal is shorter than two bytes.
    pub fn with_routine<L: AsRef<[u8]>, R: AsRef<[u8]>>(literals: &[L], routine: &[R]) -> Sieve {
        let literals = lowercased(literals, 2);
        let routine: Vec<Vec<u8>> = routine
            .iter()
            .map(|r| r.as_ref().to_ascii_lowercase())
            .collect();
        // A two-byte anchor has one window, which stride two sees only
        // at one parity.
        let strides: &[usize] = if literals.iter().all(|l| l.len() >= 3) {
            &[1, 2]
        } else {
            &[1]
        };
        let plan = strides
            .iter()
            .map(|&stride| Plan::new(&literals, &routine, stride))
            .min_by(|a, b| a.cost.total_cmp(&b.cost))
            .expect("a stride");
        Sieve::build(literals, plan)
    }

    /// A sieve at a given stride, whatever it costs: for tests and fuzzing
    /// of both.
    ///
    /// # Panics
    /// When the stride is not 1 or 2, or a literal is shorter than two
    /// bytes (three at stride two).
    pub fn with_stride<L: AsRef<[u8]>>(literals: &[L], stride: usize) -> Sieve {
        assert!(stride == 1 || stride == 2, "the stride is 1 or 2");
        let literals = lowercased(literals, stride + 1);
        let plan = Plan::new(&literals, &[], stride);
        Sieve::build(literals, plan)
    }

    fn build(literals: Vec<Box<[u8]>>, plan: Plan) -> Sieve {
        let Plan {
            stride,
            anchors,
            bucket_of,
            ..
        } = plan;
        let mut table: Box<Table> = vec![u64::MAX; TABLE_LEN]
            .into_boxed_slice()
            .try_into()
            .expect("TABLE_LEN entries");
        let mut seen = [LANES; BUCKETS];
        let mut shortest = [usize::MAX; BUCKETS];
        for (a, anchor) in anchors.iter().enumerate() {
            let b = bucket_of[a];
            let bytes = &anchor.bytes;
            shortest[b] = shortest[b].min(bytes.len());
            for (last, count) in views(bytes.len(), stride) {
                seen[b] = seen[b].min(count);
                for d in 0..count {
                    let j = last - stride * d;
                    let pair = u16::from_le_bytes([bytes[j], bytes[j + 1]]);
                    table[key(pair)] &= !(1u64 << (8 * d + b));
                }
            }
        }
        // Lanes past what a bucket's anchors are all seen through say
        // nothing about it.
        let mut dont_care = 0u64;
        for (b, &n) in seen.iter().enumerate() {
            for d in n..LANES {
                dont_care |= 1u64 << (8 * d + b);
            }
        }
        for entry in table.iter_mut() {
            *entry &= !dont_care;
        }
        // What a step over windows that all match nothing would carry.
        let start = (1..LANES).fold(0, |carry, j| carry | !dont_care >> (64 - 8 * j));
        let mut by_tail: Vec<HashMap<u64, Vec<u32>>> = vec![HashMap::new(); BUCKETS];
        for (a, anchor) in anchors.iter().enumerate() {
            let b = bucket_of[a];
            let n = anchor.bytes.len();
            let tail = &anchor.bytes[n - shortest[b].min(8)..];
            by_tail[b].entry(pack(tail)).or_default().push(a as u32);
        }
        let buckets: [Bucket; BUCKETS] = std::array::from_fn(|b| Bucket {
            tail: shortest[b].min(8),
            by_tail: std::mem::take(&mut by_tail[b])
                .into_iter()
                .map(|(k, v)| (k, v.into_boxed_slice()))
                .collect(),
        });
        Sieve {
            table,
            stride,
            buckets,
            anchors,
            literals,
            start,
        }
    }

    pub fn literal_count(&self) -> usize {
        self.literals.len()
    }

    /// Literal `i` (lowercased).
    pub fn literal(&self, i: usize) -> &[u8] {
        &self.literals[i]
    }

    /// The anchors, for `check --verbose`.
    pub fn anchors(&self) -> impl Iterator<Item = &[u8]> {
        self.anchors.iter().map(|a| &a.bytes[..])
    }

    /// Bytes between the windows the scan looks at.
    pub fn stride(&self) -> usize {
        self.stride
    }

    /// Calls `f` with every occurrence in `hay`, in the order of their
    /// anchors' ends, until it returns false.
    pub fn for_each_hit(&self, hay: &[u8], mut f: impl FnMut(Hit) -> bool) {
        if self.literals.is_empty() || hay.len() < 2 {
            return;
        }
        match self.stride {
            1 => self.scan::<1>(hay, &mut f),
            _ => self.scan::<2>(hay, &mut f),
        }
    }

    /// The scan at stride `S`: each step looks at the eight windows at
    /// `at`, `at + S`, ... and moves on `8 * S` bytes.
    #[inline(always)]
    fn scan<const S: usize>(&self, hay: &[u8], f: &mut impl FnMut(Hit) -> bool) {
        let table = &*self.table;
        // The bytes one step reads: its last window starts at `7 * S`.
        let reads = 7 * S + 2;
        let mut carry = self.start;
        let mut at = 0;
        while at + reads <= hay.len() {
            let (low, high) = step::<S>(table, &hay[at..at + reads], carry);
            carry = high;
            if low != u64::MAX && !self.confirm::<S>(hay, at, !low, f) {
                return;
            }
            at += 8 * S;
        }
        // The last windows, from a copy padded past the end; lanes of
        // windows that do not exist are left out.
        if hay.len() >= at + 2 {
            let windows = (hay.len() - at - 2) / S + 1;
            let mut chunk = [0u8; 16];
            chunk[..hay.len() - at].copy_from_slice(&hay[at..]);
            let (low, _) = step::<S>(table, &chunk[..reads], carry);
            let candidates = !low & ((1u64 << (8 * windows)) - 1);
            if candidates != 0 {
                self.confirm::<S>(hay, at, candidates, f);
            }
        }
    }

    /// Checks the candidates of the eight windows from `at`: bit `8 * i +
    /// b` says that an anchor of bucket `b` may have its last window
    /// looked at in window `at + S * i`, and so end two to `S + 1` bytes
    /// after it. Returns false once `f` does.
    #[cold]
    #[inline(never)]
    fn confirm<const S: usize>(
        &self,
        hay: &[u8],
        at: usize,
        mut candidates: u64,
        f: &mut impl FnMut(Hit) -> bool,
    ) -> bool {
        // Lane by lane, end by end, then bucket by bucket: reports follow
        // the anchors' ends.
        while candidates != 0 {
            let lane = candidates.trailing_zeros() as usize / 8;
            let buckets = (candidates >> (8 * lane)) as u8;
            candidates &= !(0xFF << (8 * lane));
            let window = at + S * lane;
            for end in window + 2..window + 2 + S {
                if end > hay.len() {
                    break;
                }
                // Every anchor has a view whose last window looked at is
                // its last two bytes: their entry must hold the bucket's
                // bit clear at distance 0, which rules out most second
                // ends of stride two with one lookup.
                let last = u16::from_le_bytes([hay[end - 2], hay[end - 1]]);
                let mut bits = buckets & !(self.table[key(last)] as u8);
                while bits != 0 {
                    let bucket = &self.buckets[bits.trailing_zeros() as usize];
                    bits &= bits - 1;
                    if end < bucket.tail {
                        continue;
                    }
                    let Some(anchors) = bucket.by_tail.get(&tail_key(hay, end, bucket.tail)) else {
                        continue;
                    };
                    for &a in anchors.iter() {
                        if !self.report(hay, &self.anchors[a as usize], end, f) {
                            return false;
                        }
                    }
                }
            }
        }
        true
    }

    /// Reports the literals of `anchor` if it ends at `end`, each if it
    /// occurs around it. Returns false once `f` does.
    #[inline]
    fn report(
        &self,
        hay: &[u8],
        anchor: &Anchor,
        end: usize,
        f: &mut impl FnMut(Hit) -> bool,
    ) -> bool {
        let n = anchor.bytes.len();
        if end < n || !hay[end - n..end].eq_ignore_ascii_case(&anchor.bytes) {
            return true;
        }
        for &(literal, offset) in &anchor.uses {
            let lit = &self.literals[literal as usize];
            let Some(start) = (end - n).checked_sub(offset as usize) else {
                continue;
            };
            if hay
                .get(start..start + lit.len())
                .is_some_and(|s| s.eq_ignore_ascii_case(lit))
                && !f(Hit {
                    literal: literal as usize,
                    start,
                })
            {
                return false;
            }
        }
        true
    }
}

/// The literals lowercased, each checked to be `shortest` bytes or longer.
fn lowercased<L: AsRef<[u8]>>(literals: &[L], shortest: usize) -> Vec<Box<[u8]>> {
    literals
        .iter()
        .map(|l| {
            let l = l.as_ref();
            assert!(
                l.len() >= shortest,
                "a literal is shorter than {shortest} bytes"
            );
            l.to_ascii_lowercase().into_boxed_slice()
        })
        .collect()
}

/// The ways an anchor of `n` bytes is seen at `stride`: for each offset
/// parity its first looked-at window can have, the offset of the last
/// window looked at and how many are (at most [`LANES`]).
fn views(n: usize, stride: usize) -> impl Iterator<Item = (usize, usize)> {
    (0..stride).filter(move |&q| q + 2 <= n).map(move |q| {
        let last = q + stride * ((n - 2 - q) / stride);
        (last, ((last - q) / stride + 1).min(LANES))
    })
}

impl Plan {
    /// Chooses anchors and buckets for `stride`, and estimates the cost.
    fn new(literals: &[Box<[u8]>], routine: &[Vec<u8>], stride: usize) -> Plan {
        let anchors = choose_anchors(literals, routine, 1 + LANES * stride);
        let lanes: Vec<Vec<f64>> = anchors
            .iter()
            .map(|a| lane_probabilities(&a.bytes, stride))
            .collect();
        let (bucket_of, fires) = assign_buckets(&lanes);
        Plan {
            stride,
            anchors,
            bucket_of,
            cost: LOOP_COST[stride - 1] + CONFIRM_COST * fires,
        }
    }
}

/// Each literal's anchor: the stretch of at most `longest` bytes that
/// occurs in the fewest routine lines, and of those the rarest by the
/// rarity model; literals that share one share its anchor.
fn choose_anchors(literals: &[Box<[u8]>], routine: &[Vec<u8>], longest: usize) -> Vec<Anchor> {
    // Stretches to choose among, then how many routine lines hold each:
    // one pass over the routine lines, not one search per stretch.
    let choices: HashSet<&[u8]> = literals
        .iter()
        .filter(|l| l.len() > longest)
        .flat_map(|l| l.windows(longest))
        .collect();
    let mut in_routine: HashMap<&[u8], u32> = HashMap::new();
    if !choices.is_empty() {
        for line in routine {
            let mut own = HashSet::new();
            for w in line.windows(longest) {
                if let Some(&c) = choices.get(w) {
                    if own.insert(c) {
                        *in_routine.entry(c).or_default() += 1;
                    }
                }
            }
        }
    }
    let mut anchors: Vec<Anchor> = Vec::new();
    let mut by_bytes: HashMap<&[u8], usize> = HashMap::new();
    for (i, lit) in literals.iter().enumerate() {
        let n = lit.len().min(longest);
        let offset = (0..=lit.len() - n)
            .max_by_key(|&o| {
                let w = &lit[o..o + n];
                let seen = in_routine.get(w).copied().unwrap_or(0);
                (
                    std::cmp::Reverse(seen),
                    rarity::surprise(w),
                    std::cmp::Reverse(o),
                )
            })
            .expect("a literal has a window");
        let bytes = &lit[offset..offset + n];
        let a = *by_bytes.entry(bytes).or_insert_with(|| {
            anchors.push(Anchor {
                bytes: bytes.into(),
                uses: Vec::new(),
            });
            anchors.len() - 1
        });
        anchors[a].uses.push((i as u32, offset as u32));
    }
    anchors
}

/// The chance, by distance from the last window looked at, that routine
/// text has one of the anchor's windows there (its views summed), over
/// the distances all its views reach.
fn lane_probabilities(bytes: &[u8], stride: usize) -> Vec<f64> {
    let reach = views(bytes.len(), stride)
        .map(|(_, count)| count)
        .min()
        .expect("an anchor has a view");
    let mut probabilities = vec![0.0; reach];
    for (last, _) in views(bytes.len(), stride) {
        for (d, p) in probabilities.iter_mut().enumerate() {
            let j = last - stride * d;
            *p += rarity::pair_probability(bytes[j], bytes[j + 1]);
        }
    }
    probabilities
}

/// Spreads the anchors over the buckets so that they fire as seldom as
/// can be, and returns each anchor's bucket with the estimated chance
/// that some bucket fires at a window. A bucket fires when, at every
/// distance it looks at (as many as its least-seen anchor has), the window
/// there is one of its anchors'; its lanes beyond are blind. So anchors
/// seen through few windows go together, apart from the others: sorted by
/// that number, the anchors are cut into eight runs by dynamic
/// programming, minimising the summed chance that each run's bucket fires
/// at a window of routine text (each lane's chance taken as the sum of its
/// windows' chances, at most one).
fn assign_buckets(lanes: &[Vec<f64>]) -> (Vec<usize>, f64) {
    let mut order: Vec<usize> = (0..lanes.len()).collect();
    order.sort_by_key(|&a| lanes[a].len());
    // Runs start and end at cuts: every anchor while they are few, every
    // `stride`-th beyond, which keeps this quadratic step to a few
    // milliseconds for any number of anchors.
    let stride = order.len().div_ceil(256).max(1);
    let cuts: Vec<usize> = (0..order.len())
        .step_by(stride)
        .chain([order.len()])
        .collect();
    // fires[x][y - x - 1]: the chance that a bucket of the anchors from cut
    // x to cut y fires (the first is seen through the fewest windows).
    let fires: Vec<Vec<f64>> = (0..cuts.len() - 1)
        .map(|x| {
            let seen = lanes[order[cuts[x]]].len();
            let mut sums = [0.0f64; LANES];
            cuts[x..]
                .windows(2)
                .map(|run| {
                    for &a in &order[run[0]..run[1]] {
                        for (s, p) in sums.iter_mut().zip(&lanes[a][..seen]) {
                            *s += p;
                        }
                    }
                    sums[..seen].iter().map(|s| s.min(1.0)).product()
                })
                .collect()
        })
        .collect();
    // best[k][y]: the least summed chance of the anchors before cut y in k
    // buckets, and the cut where the last of them starts.
    let mut best = vec![vec![(f64::INFINITY, 0); cuts.len()]; BUCKETS + 1];
    best[0][0] = (0.0, 0);
    for k in 1..=BUCKETS {
        for y in 0..cuts.len() {
            // An empty bucket costs nothing.
            let mut here = (best[k - 1][y].0, y);
            for x in 0..y {
                let cost = best[k - 1][x].0 + fires[x][y - x - 1];
                if cost < here.0 {
                    here = (cost, x);
                }
            }
            best[k][y] = here;
        }
    }
    let mut bucket_of = vec![0; lanes.len()];
    let mut y = cuts.len() - 1;
    for k in (1..=BUCKETS).rev() {
        let x = best[k][y].1;
        for &a in &order[cuts[x]..cuts[y]] {
            bucket_of[a] = k - 1;
        }
        y = x;
    }
    (bucket_of, best[BUCKETS][cuts.len() - 1].0)
}

/// `bytes` (at most eight) packed into a u64, first byte lowest.
fn pack(bytes: &[u8]) -> u64 {
    let mut word = [0u8; 8];
    word[..bytes.len()].copy_from_slice(bytes);
    u64::from_le_bytes(word)
}

/// The `n` bytes of `hay` that end at `end`, lowercased and packed as
/// [`pack`] does: one load and a few word operations where eight bytes
/// precede `end`.
#[inline]
fn tail_key(hay: &[u8], end: usize, n: usize) -> u64 {
    let word = match hay.get(end.wrapping_sub(8)..end) {
        Some(last8) => {
            let word = u64::from_le_bytes(last8.try_into().expect("eight bytes"));
            word >> (8 * (8 - n))
        }
        None => pack(&hay[end - n..end]),
    };
    lowercase_word(word)
}

/// ASCII-lowercases the eight bytes of a word at once (SWAR): a byte
/// whose high bit is clear and which lies in `A..=Z` gets bit 5 set.
#[inline]
fn lowercase_word(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let heptets = x & (0x7F * ONES);
    // Per byte, the high bit says `>= b'A'`, then `> b'Z'`; no byte
    // carries into the next.
    let at_least_a = heptets + (0x80 - u64::from(b'A')) * ONES;
    let beyond_z = heptets + (0x7F - u64::from(b'Z')) * ONES;
    let upper = at_least_a & !beyond_z & !x & (0x80 * ONES);
    x | (upper >> 2)
}

/// One step of the scan over `chunk` (`7 * S + 2` bytes): the state's low
/// half (a lane per window looked at, a bit per bucket, clear where an
/// anchor's last window may be) and the high half to carry into the next
/// step.
#[inline(always)]
fn step<const S: usize>(table: &Table, chunk: &[u8], carry: u64) -> (u64, u64) {
    let entry = |i: usize| {
        let pair = u16::from_le_bytes([chunk[S * i], chunk[S * i + 1]]);
        table[key(pair)]
    };
    let mut low = carry | entry(0);
    let mut high = 0u64;
    // Window `i`'s entry moves up `i` lanes, so that every lane of the low
    // half collects the entries of the eight windows that end there.
    macro_rules! lane {
        ($i:literal) => {{
            let e = entry($i);
            low |= e << (8 * $i);
            high |= e >> (64 - 8 * $i);
        }};
    }
    lane!(1);
    lane!(2);
    lane!(3);
    lane!(4);
    lane!(5);
    lane!(6);
    lane!(7);
    (low, high)
}

#[cfg(test)]
mod tests;
