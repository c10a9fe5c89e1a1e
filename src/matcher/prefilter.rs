//! The literal prefilter: which lines of a block can match which rules.
//!
//! One [`Sieve`] holds every cover literal of every rule and searches raw
//! bytes, ASCII case ignored, at a cost per byte that does not grow with
//! the number of literals. Its hits are exact literal occurrences, so a
//! line it reports is one some rule may match, and the hits say which
//! rules: nothing is lowercased, and no second pass looks at the line. The
//! universal patterns below are found beside it.
//!
//! Exactness rests on `rules::literals` (a rule's regex cannot match
//! without one of its literals in the raw line, ASCII case ignored) plus
//! the universal patterns below.

use std::collections::HashMap;

use memchr::{memchr, memchr2, memchr3, memmem, memrchr};

use crate::rules::{RuleId, RuleSet};
use crate::sieve::Sieve;

/// Patterns that make a line a candidate for every rule: a JSON `\u`
/// escape can spell any literal (JSON writes the `u` lowercase), a Serilog
/// template's rendered message is assembled from several places in the
/// line (its `@mt` key as written, or escaped inside Docker's `log`),
/// U+212A (KELVIN SIGN) and U+017F (LONG S) match `k` and `s` under
/// `(?i)` though ASCII case folding leaves them alone, and a terminal
/// escape (a colour code) can split a literal that the decoded line,
/// without it, holds (the scanner then asks which rules the decoded line
/// may match).
/// They are searched with memchr beside the sieve, by their first bytes,
/// which are rare in log text: too short for the sieve's stride two, or
/// made of windows common in JSON (`t"`).
const UNIVERSAL: [&[u8]; 6] = [
    b"\\u",
    b"@mt\"",
    b"@mt\\\"",
    "\u{212A}".as_bytes(),
    "\u{17F}".as_bytes(),
    b"\x1b",
];

/// Calls `f` with each position of a universal pattern in `hay`, until it
/// returns false: the ASCII ones (`\u` and the templates) in order, then
/// the others in order. Each group is found by memchr on their first
/// bytes.
fn for_each_universal(hay: &[u8], mut f: impl FnMut(usize) -> bool) {
    let [escape, template, escaped_template, kelvin, long_s, colour] = UNIVERSAL;
    let ascii = |h: &[u8]| memchr2(escape[0], template[0], h);
    let others = |h: &[u8]| memchr3(kelvin[0], long_s[0], colour[0], h);
    if each_start(hay, &[escape, template, escaped_template], ascii, &mut f) {
        each_start(hay, &[kelvin, long_s, colour], others, &mut f);
    }
}

/// Calls `f` with each position in `hay` where one of `patterns` starts,
/// `next` finding the candidates (a memchr on their first bytes), until
/// `f` returns false; returns whether it never did.
fn each_start(
    hay: &[u8],
    patterns: &[&[u8]],
    next: impl Fn(&[u8]) -> Option<usize>,
    f: &mut impl FnMut(usize) -> bool,
) -> bool {
    let mut at = 0;
    while let Some(i) = next(&hay[at..]) {
        let i = at + i;
        if patterns.iter().any(|p| hay[i..].starts_with(p)) && !f(i) {
            return false;
        }
        at = i + 1;
    }
    true
}

#[derive(Debug)]
pub struct Prefilter {
    /// Every distinct cover literal.
    sieve: Sieve,
    /// For each literal of the sieve, the rules it stands for.
    literal_rules: Vec<Box<[RuleId]>>,
    /// Rules without a cover: candidates on every line.
    always: Vec<RuleId>,
}

impl Prefilter {
    pub fn new(rules: &RuleSet) -> Prefilter {
        let mut literals: Vec<&[u8]> = Vec::new();
        let mut literal_rules: Vec<Vec<RuleId>> = Vec::new();
        let mut index: HashMap<&[u8], usize> = HashMap::new();
        let mut always = Vec::new();
        for (id, rule) in rules.rules.iter().enumerate() {
            // Covers hold literals of two bytes or more, none with a
            // newline (`rules::literals`).
            let Some(cover) = &rule.cover else {
                always.push(id);
                continue;
            };
            for lit in cover {
                let i = *index.entry(lit).or_insert_with(|| {
                    literals.push(lit);
                    literal_rules.push(Vec::new());
                    literals.len() - 1
                });
                literal_rules[i].push(id);
            }
        }
        // The error words: a line holding one may be trouble no rule
        // knows, to be counted as unmatched when it is logged at WARN or
        // worse. They stand for no rule.
        for word in crate::mine::ERROR_WORDS {
            index.entry(word.as_bytes()).or_insert_with(|| {
                literals.push(word.as_bytes());
                literal_rules.push(Vec::new());
                literals.len() - 1
            });
        }
        // Routine lines the pack knows of: anchors that occur in them
        // would send the sieve to confirm on every such line.
        let routine: Vec<&[u8]> = rules
            .rules
            .iter()
            .flat_map(|r| &r.examples_no_match)
            .map(|l| l.as_bytes())
            .collect();
        Prefilter {
            sieve: Sieve::with_routine(&literals, &routine),
            literal_rules: literal_rules
                .into_iter()
                .map(Vec::into_boxed_slice)
                .collect(),
            always,
        }
    }

    /// False when some rule has no cover, so every line is a
    /// candidate and blocks are walked line by line.
    pub fn scans_blocks(&self) -> bool {
        self.always.is_empty()
    }

    /// The sieve's anchors, for `check --verbose`.
    pub fn anchors(&self) -> impl Iterator<Item = &[u8]> {
        self.sieve.anchors()
    }

    /// Distinct literals in the sieve.
    pub fn literal_count(&self) -> usize {
        self.sieve.literal_count()
    }

    /// Bytes between the windows the sieve looks at.
    pub fn stride(&self) -> usize {
        self.sieve.stride()
    }

    /// Rules evaluated on every line because no literal covers them.
    pub fn uncovered_rules(&self) -> &[RuleId] {
        &self.always
    }

    /// Calls `f(start, end, mask)` for each line of `block` that holds a
    /// literal, in order, each line once: `mask` (one flag per rule) says
    /// which rules it may match. For blocks of single-line records; with
    /// rules lacking a cover ([`Prefilter::scans_blocks`] false), walk the
    /// lines and ask [`Prefilter::candidate_rules`] instead.
    pub fn for_each_candidate_line(
        &self,
        block: &[u8],
        mask: &mut [bool],
        mut f: impl FnMut(usize, usize, &[bool]),
    ) {
        // The line being collected: its bounds. Hits arrive in the order
        // of their ends, so a line's hits come together; the universal
        // patterns' hits, one a line at most, are merged in by position.
        let mut line: Option<(usize, usize)> = None;
        mask.fill(false);
        let mut visit = |at: usize, literal: Option<usize>| {
            match line {
                Some((_, end)) if at < end => {}
                _ => {
                    if let Some((start, end)) = line.take() {
                        f(start, end, mask);
                        mask.fill(false);
                    }
                    let start = memrchr(b'\n', &block[..at]).map_or(0, |i| i + 1);
                    let end = memchr(b'\n', &block[at..]).map_or(block.len(), |i| at + i);
                    line = Some((start, end));
                }
            }
            match literal {
                Some(literal) => self.mark(literal, mask),
                None => mask.fill(true),
            }
        };
        let universal = self.universal_hits(block);
        let mut universal = universal.iter().copied().peekable();
        self.sieve.for_each_hit(block, |hit| {
            while let Some(at) = universal.next_if(|&at| at < hit.start) {
                visit(at, None);
            }
            visit(hit.start, Some(hit.literal));
            true
        });
        for at in universal {
            visit(at, None);
        }
        if let Some((start, end)) = line {
            f(start, end, mask);
        }
    }

    /// Where the universal patterns occur in `hay`, in order, the first
    /// of each line only: one makes its line a candidate for every rule.
    /// Mostly nowhere (the vector is empty and allocates nothing); in a
    /// coloured log, on every line.
    fn universal_hits(&self, hay: &[u8]) -> Vec<usize> {
        let mut hits = Vec::new();
        for_each_universal(hay, |at| {
            hits.push(at);
            true
        });
        hits.sort_unstable();
        hits.dedup_by(|later, earlier| memchr(b'\n', &hay[*earlier..*later]).is_none());
        hits
    }

    /// Whether `text` holds a universal pattern, which makes it a
    /// candidate for every rule.
    pub fn has_universal(&self, text: &[u8]) -> bool {
        let mut any = false;
        for_each_universal(text, |_| {
            any = true;
            false
        });
        any
    }

    /// The rules `text` (a line or a multi-line record) may match, into
    /// `mask`. Returns false when there are none.
    pub fn candidate_rules(&self, text: &[u8], mask: &mut [bool]) -> bool {
        if self.has_universal(text) {
            mask.fill(true);
            return true;
        }
        self.uncovered_into(mask) | self.literal_rules_into(text, mask)
    }

    /// Clears `mask` but for the rules without a cover; returns whether
    /// there are any.
    pub fn uncovered_into(&self, mask: &mut [bool]) -> bool {
        mask.fill(false);
        for &id in &self.always {
            mask[id] = true;
        }
        !self.always.is_empty()
    }

    /// Adds to `mask` the rules of the literals `text` holds, universal
    /// patterns aside; returns whether it holds any.
    pub fn literal_rules_into(&self, text: &[u8], mask: &mut [bool]) -> bool {
        let mut any = false;
        self.sieve.for_each_hit(text, |hit| {
            any = true;
            self.mark(hit.literal, mask);
            true
        });
        any
    }

    /// Whether `pattern` is one of the universal patterns.
    pub fn is_universal(&self, pattern: &[u8]) -> bool {
        UNIVERSAL.contains(&pattern)
    }

    /// Whether `text` holds a universal pattern that reading its escapes
    /// does not take away: a Serilog template, or a letter `(?i)` folds to
    /// ASCII.
    pub fn holds_unreadable(&self, text: &[u8]) -> bool {
        let [_, template, escaped_template, kelvin, long_s, _] = UNIVERSAL;
        [template, escaped_template, kelvin, long_s]
            .iter()
            .any(|p| memmem::find(text, p).is_some())
    }

    /// Marks the rules of `literal` in `mask`.
    #[inline]
    fn mark(&self, literal: usize, mask: &mut [bool]) {
        for &id in self.literal_rules[literal].iter() {
            mask[id] = true;
        }
    }

    /// The literals found in `text`, lowercased and each once, with the
    /// rules each stands for (empty for the universal patterns).
    pub fn literal_hits(&self, text: &[u8]) -> Vec<(String, &[RuleId])> {
        let mut hits: Vec<(String, &[RuleId])> = UNIVERSAL
            .into_iter()
            .filter(|p| memmem::find(text, p).is_some())
            .map(|p| (String::from_utf8_lossy(p).into_owned(), &[][..]))
            .collect();
        let mut seen = Vec::new();
        self.sieve.for_each_hit(text, |hit| {
            if !seen.contains(&hit.literal) {
                seen.push(hit.literal);
            }
            true
        });
        hits.extend(seen.iter().map(|&i| {
            let lit = String::from_utf8_lossy(self.sieve.literal(i)).into_owned();
            (lit, &self.literal_rules[i][..])
        }));
        hits
    }
}
