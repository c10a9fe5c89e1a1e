//! The literal prefilter: which lines of a block can match any rule at all.
//!
//! Two stages, both over ASCII-lowercased bytes:
//!
//! 1. Block search. A few short *anchors* are chosen so that every cover
//!    literal of every rule contains one (see [`choose_anchors`]); they are
//!    searched over the whole block with aho-corasick's SIMD searcher
//!    (Teddy). Teddy fingerprints only the first bytes of each pattern and
//!    handles few patterns best, so anchors are few, and start with bytes
//!    that are rare in log text.
//! 2. Line check. On a line holding an anchor, one overlapping automaton of
//!    the full literals says which rules the line can match; a line with no
//!    full literal is dropped there, before any decoding.
//!
//! Exactness rests on `rules::literals` (a rule's regex cannot match
//! without one of its literals in the lowercased raw line) plus the
//! universal patterns below.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, Input, MatchKind};
use memchr::{memchr, memrchr};

use super::buckets::{teddy_passes, PASS_PATTERNS};
use crate::rules::{RuleId, RuleSet};

/// Patterns that make a line a candidate for every rule: a JSON `\u`
/// escape can spell any literal, a Serilog template's rendered message is
/// assembled from several places in the line, and U+212A (KELVIN SIGN) and
/// U+017F (LONG S) match `k` and `s` under `(?i)` though ASCII lowercasing
/// leaves them alone.
const UNIVERSAL_PATTERNS: &[&[u8]] = &[
    b"\\u",
    b"\"@mt\"",
    "\u{212A}".as_bytes(),
    "\u{17F}".as_bytes(),
];

/// Longest anchor taken from a literal. Teddy looks at up to four leading
/// bytes; a few more make its verification step reject more.
const ANCHOR_BYTES: usize = 6;

/// Shortest anchor taken from a longer literal.
const MIN_ANCHOR_BYTES: usize = 4;

#[derive(Debug)]
pub struct Prefilter {
    /// Leftmost-first automata over whole blocks; empty when some rule has
    /// no cover, and every line is a candidate.
    block_acs: Vec<BlockSearcher>,
    /// The anchors, for `check --verbose`.
    anchors: Vec<Vec<u8>>,
    /// Overlapping automaton of the full literals, run on anchored lines.
    line_ac: AhoCorasick,
    /// For each pattern of `line_ac`, the rules it stands for; empty for
    /// the universal patterns.
    pattern_rules: Vec<Vec<RuleId>>,
    /// Rules without a cover: candidates on every line.
    always: Vec<RuleId>,
}

impl Prefilter {
    pub fn new(rules: &RuleSet) -> Prefilter {
        let mut literals: Vec<Vec<u8>> = UNIVERSAL_PATTERNS.iter().map(|p| p.to_vec()).collect();
        let mut pattern_rules: Vec<Vec<RuleId>> = vec![Vec::new(); literals.len()];
        let mut always = Vec::new();
        for (id, rule) in rules.rules.iter().enumerate() {
            let Some(cover) = &rule.cover else {
                always.push(id);
                continue;
            };
            for lit in cover {
                match literals.iter().position(|l| l == lit) {
                    Some(i) => pattern_rules[i].push(id),
                    None => {
                        literals.push(lit.clone());
                        pattern_rules.push(vec![id]);
                    }
                }
            }
        }
        let build = |kind, ac_kind, patterns: &[Vec<u8>]| {
            AhoCorasickBuilder::new()
                .kind(Some(ac_kind))
                .match_kind(kind)
                .build(patterns)
                .expect("literal automaton within aho-corasick's limits")
        };
        let background: Vec<Vec<u8>> = rules
            .rules
            .iter()
            .flat_map(|r| &r.examples_no_match)
            .map(|l| l.to_ascii_lowercase().into_bytes())
            .collect();
        let mut anchors = choose_anchors(&literals, &background);
        // Teddy's fingerprint is as long as the group's shortest pattern:
        // keep short anchors apart so they do not blunt the long ones.
        anchors.sort_by_key(|a| std::cmp::Reverse(a.len()));
        let (long, short): (Vec<_>, Vec<_>) = anchors.iter().cloned().partition(|a| a.len() >= 4);
        let mut block_acs = Vec::new();
        if always.is_empty() {
            // Teddy does the searching here; a contiguous NFA builds in a
            // fraction of a DFA's time, and start-up is part of every scan.
            for pass in teddy_passes(long, &background) {
                block_acs.push(BlockSearcher::Literals(build(
                    MatchKind::LeftmostFirst,
                    AhoCorasickKind::ContiguousNFA,
                    &pass,
                )));
            }
            let mut lead: Vec<u8> = short.iter().map(|a| a[0]).collect();
            lead.sort_unstable();
            lead.dedup();
            if !short.is_empty() && lead.len() <= 3 {
                block_acs.push(BlockSearcher::LeadBytes {
                    lead,
                    anchors: short,
                });
            } else if !short.is_empty() {
                for group in short.chunks(PASS_PATTERNS) {
                    block_acs.push(BlockSearcher::Literals(build(
                        MatchKind::LeftmostFirst,
                        AhoCorasickKind::ContiguousNFA,
                        group,
                    )));
                }
            }
        }
        Prefilter {
            block_acs,
            anchors,
            // A contiguous NFA, not a DFA: over the pack's ~600 literals a
            // DFA takes 4 MiB and a sixth of a second's worth of start-up,
            // more than its faster line check saves on a 300 MB file.
            line_ac: build(
                MatchKind::Standard,
                AhoCorasickKind::ContiguousNFA,
                &literals,
            ),
            pattern_rules,
            always,
        }
    }

    /// True when block search is in use (no rule lacks a cover).
    pub fn scans_blocks(&self) -> bool {
        !self.block_acs.is_empty()
    }

    pub fn anchors(&self) -> &[Vec<u8>] {
        &self.anchors
    }

    /// Rules evaluated on every line because no literal covers them.
    pub fn uncovered_rules(&self) -> &[RuleId] {
        &self.always
    }

    /// Whether a single lowercased line holds an anchor.
    pub fn admits(&self, lowered: &[u8]) -> bool {
        self.block_acs.is_empty()
            || self
                .block_acs
                .iter()
                .any(|ac| ac.find(lowered, 0).is_some())
    }

    /// Calls `f(start, end)` for each line of `block` (`lower` is the block
    /// lowercased) that holds an anchor, in order, each line once. The hits
    /// of the block automata are merged: each one's next hit is kept until
    /// the scan has passed it.
    pub fn for_each_anchored_line(
        &self,
        block: &[u8],
        lower: &[u8],
        mut f: impl FnMut(usize, usize),
    ) {
        let find = |ac: &BlockSearcher, pos: usize| ac.find(lower, pos);
        let mut next: Vec<Option<(usize, usize)>> =
            self.block_acs.iter().map(|ac| find(ac, 0)).collect();
        let mut pos = 0;
        while let Some((hit_start, hit_end)) = next.iter().flatten().min().copied() {
            let start = memrchr(b'\n', &block[pos..hit_start]).map_or(pos, |i| pos + i + 1);
            let end = memchr(b'\n', &block[hit_end..]).map_or(block.len(), |i| hit_end + i);
            f(start, end);
            pos = end + 1;
            for (ac, hit) in self.block_acs.iter().zip(next.iter_mut()) {
                if hit.is_some_and(|(s, _)| s < pos) {
                    *hit = if pos < block.len() {
                        find(ac, pos)
                    } else {
                        None
                    };
                }
            }
        }
    }

    /// The rules a lowercased line may match, into `mask`. Returns false
    /// when there are none (the line held an anchor but no full literal).
    pub fn candidate_rules(&self, lowered: &[u8], mask: &mut [bool]) -> bool {
        mask.fill(false);
        let mut any = false;
        for &id in &self.always {
            mask[id] = true;
            any = true;
        }
        for m in self.line_ac.find_overlapping_iter(lowered) {
            let rules = &self.pattern_rules[m.pattern().as_usize()];
            if rules.is_empty() {
                mask.fill(true);
                return true;
            }
            for &id in rules {
                mask[id] = true;
            }
            any = true;
        }
        any
    }

    /// The full literals found in a lowercased line, each with the rules it
    /// stands for (empty for the universal patterns).
    pub fn literal_hits(&self, lowered: &[u8]) -> Vec<(String, &[RuleId])> {
        let mut hits: Vec<(String, &[RuleId])> = self
            .line_ac
            .find_overlapping_iter(lowered)
            .map(|m| {
                let lit = String::from_utf8_lossy(&lowered[m.start()..m.end()]).into_owned();
                (lit, &self.pattern_rules[m.pattern().as_usize()][..])
            })
            .collect();
        hits.dedup_by(|a, b| a.0 == b.0);
        hits
    }
}

/// One searcher over whole blocks.
#[derive(Debug)]
enum BlockSearcher {
    /// Anchors searched with aho-corasick (Teddy).
    Literals(AhoCorasick),
    /// Short anchors that start with at most three distinct bytes, rare in
    /// log text (the universal patterns `\u`, U+212A, U+017F): memchr3 on
    /// those bytes, then a comparison, beats a second Teddy pass.
    LeadBytes {
        lead: Vec<u8>,
        anchors: Vec<Vec<u8>>,
    },
}

impl BlockSearcher {
    /// The first anchor at or after `pos`, as a byte range.
    fn find(&self, hay: &[u8], pos: usize) -> Option<(usize, usize)> {
        match self {
            BlockSearcher::Literals(ac) => ac
                .find(Input::new(hay).span(pos..hay.len()))
                .map(|m| (m.start(), m.end())),
            BlockSearcher::LeadBytes { lead, anchors } => {
                let mut at = pos;
                loop {
                    let rest = hay.get(at..)?;
                    let i = at
                        + match lead[..] {
                            [a] => memchr(a, rest),
                            [a, b] => memchr::memchr2(a, b, rest),
                            [a, b, c] => memchr::memchr3(a, b, c, rest),
                            _ => unreachable!("one to three lead bytes"),
                        }?;
                    if let Some(a) = anchors.iter().find(|a| hay[i..].starts_with(a)) {
                        return Some((i, i + a.len()));
                    }
                    at = i + 1;
                }
            }
        }
    }
}

/// How common a byte is in log text, 0 (rare) to 10 (everywhere). Anchors
/// that start with rare bytes give Teddy few false fingerprints.
fn byte_commonness(b: u8) -> u32 {
    match b {
        b' ' | b'"' | b'e' => 10,
        b't' | b'a' | b'o' | b'i' | b'n' | b's' | b'r' => 8,
        b':' | b',' | b'0'..=b'9' | b'l' | b'c' | b'd' => 7,
        b'u' | b'm' | b'h' => 6,
        b'p' | b'_' | b'g' | b'f' | b'.' | b'{' | b'}' => 5,
        b'y' | b'b' | b'w' | b'-' | b'/' | b'=' => 4,
        b'v' | b'k' => 3,
        b'x' | b'(' | b')' | b'[' | b']' => 2,
        _ => 1,
    }
}

/// Chooses anchors: substrings of `MIN_ANCHOR_BYTES` to `ANCHOR_BYTES`
/// bytes (a shorter literal is its own window) such that every literal
/// contains one. Greedy set cover: repeatedly take the window that covers
/// the most literals not yet covered per unit of cost, where cost grows
/// with how common its leading bytes are, with shortness, and with
/// appearing in routine (`background`) lines. Shorter windows are shared by
/// more literals, which keeps the anchors few.
///
/// Runs at every start, so windows are counted with hash maps (a pass over
/// each literal and each routine line), not searched for.
pub fn choose_anchors(literals: &[Vec<u8>], background: &[Vec<u8>]) -> Vec<Vec<u8>> {
    // foldhash: these maps hold tens of thousands of short keys, built at
    // every start; SipHash would double the time of choosing anchors.
    type Map<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;
    type Set<K> = std::collections::HashSet<K, foldhash::fast::FixedState>;

    let lengths = |len: usize| {
        let longest = len.min(ANCHOR_BYTES);
        longest.min(MIN_ANCHOR_BYTES)..=longest
    };
    // For each window, the literals that contain it.
    let mut covers: Map<&[u8], Vec<usize>> = Map::default();
    let mut window_lengths = [false; ANCHOR_BYTES + 1];
    for (i, lit) in literals.iter().enumerate() {
        let mut own = Set::default();
        for n in lengths(lit.len()) {
            for w in lit.windows(n) {
                if own.insert(w) {
                    covers.entry(w).or_default().push(i);
                }
            }
            window_lengths[n] = true;
        }
    }
    // For each window, the routine lines that hold it.
    let mut routine: Map<&[u8], u32> = Map::default();
    for line in background {
        let mut own = Set::default();
        // A literal shorter than the shortest anchor is its own only
        // window, chosen whatever routine lines hold.
        for n in (MIN_ANCHOR_BYTES..=ANCHOR_BYTES).filter(|&n| window_lengths[n]) {
            for w in line.windows(n) {
                if covers.contains_key(w) && own.insert(w) {
                    *routine.entry(w).or_default() += 1;
                }
            }
        }
    }
    let cost = |w: &[u8]| -> f64 {
        let lead: u32 = w.iter().take(4).map(|&b| byte_commonness(b)).sum();
        let short = (ANCHOR_BYTES.saturating_sub(w.len()) * 6) as f64;
        let seen = f64::from(routine.get(w).copied().unwrap_or(0));
        1.0 + f64::from(lead) + short + 20.0 * seen
    };
    let windows: Vec<(&[u8], Vec<usize>, f64)> = {
        let mut v: Vec<_> = covers.into_iter().map(|(w, c)| (w, c, cost(w))).collect();
        // Ties are broken by the window's bytes, so the choice is stable
        // (the windows are distinct: an unstable sort gives the same order).
        v.sort_unstable_by(|a, b| a.0.cmp(b.0));
        v
    };
    // One Teddy pass takes up to `PASS_PATTERNS` anchors, and each group
    // more costs a whole pass over every block. So each anchor is charged a
    // price, raised until the anchors fit two passes. Not one: for the
    // shipped pack's ~600 literals that takes anchors as common as `time`,
    // which send nearly every line through the line check, a cost greater
    // than the pass saved (measured in instructions on the bench corpus).
    let mut best = greedy_cover(literals.len(), &windows, 0.0);
    let mut price = 16.0;
    while best.len() > 2 * PASS_PATTERNS && price < 1e6 {
        let fewer = greedy_cover(literals.len(), &windows, price);
        if fewer.len() < best.len() {
            best = fewer;
        }
        price *= 2.0;
    }
    best
}

/// Greedy weighted set cover of `n` literals by `windows` (window, the
/// literals it covers, its cost), each window charged `price` more.
fn greedy_cover(n: usize, windows: &[(&[u8], Vec<usize>, f64)], price: f64) -> Vec<Vec<u8>> {
    use std::collections::BinaryHeap;
    // Lazy greedy: a window's gain only falls as literals get covered, so
    // a popped window whose recomputed gain still beats the next best is
    // the best.
    #[derive(PartialEq)]
    struct Gain(f64, usize);
    impl Eq for Gain {}
    impl PartialOrd for Gain {
        fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
            Some(self.cmp(o))
        }
    }
    impl Ord for Gain {
        fn cmp(&self, o: &Self) -> std::cmp::Ordering {
            self.0.total_cmp(&o.0).then(o.1.cmp(&self.1))
        }
    }
    let mut covered = vec![false; n];
    let gain = |i: usize, covered: &[bool]| {
        let (_, lits, cost) = &windows[i];
        lits.iter().filter(|&&l| !covered[l]).count() as f64 / (cost + price)
    };
    let mut heap: BinaryHeap<Gain> = (0..windows.len())
        .map(|i| Gain(gain(i, &covered), i))
        .collect();
    let mut anchors = Vec::new();
    while let Some(Gain(_, i)) = heap.pop() {
        let now = gain(i, &covered);
        if now == 0.0 {
            continue;
        }
        if heap.peek().is_some_and(|next| next.0 > now) {
            heap.push(Gain(now, i));
            continue;
        }
        for &l in &windows[i].1 {
            covered[l] = true;
        }
        anchors.push(windows[i].0.to_vec());
    }
    anchors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_cover_every_literal_with_fewer_patterns() {
        let literals: Vec<Vec<u8>> = [
            "command execution timed out",
            "command execution timeout",
            "command timed out",
            "operation timed out",
            "deadlock detected",
            "\\u",
        ]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .collect();
        let anchors = choose_anchors(&literals, &[]);
        assert!(anchors.len() < literals.len(), "{anchors:?}");
        for lit in &literals {
            assert!(
                anchors
                    .iter()
                    .any(|a| memchr::memmem::find(lit, a).is_some()),
                "{lit:?} uncovered by {anchors:?}"
            );
        }
    }

    #[test]
    fn anchors_avoid_windows_seen_in_routine_lines() {
        let literals = vec![b"queuepool limit".to_vec()];
        let background = vec![b"queue depth 5, pool size 20, limit 30".to_vec()];
        let anchors = choose_anchors(&literals, &background);
        assert!(
            background[0]
                .windows(anchors[0].len())
                .all(|w| w != anchors[0]),
            "{anchors:?}"
        );
    }
}
