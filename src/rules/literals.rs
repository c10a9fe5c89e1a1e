//! Derives, from a rule's regex, a set of literals one of which every match
//! must contain: the rule's prefilter "cover".
//!
//! The prefilter runs over raw line bytes that have been ASCII-lowercased,
//! while the regex runs over decoded field values. A literal is only safe
//! when finding it in the raw bytes is implied by the regex matching the
//! decoded text, so a literal run is broken at every character where the
//! two can disagree:
//!
//! - characters JSON may write as a short escape (`"`, `\`, `/`, control
//!   characters): the raw bytes hold `\"`, not `"`;
//! - case-insensitive letters whose Unicode case class holds non-ASCII
//!   members other than the two below: ASCII lowercasing of the raw bytes
//!   cannot fold those.
//!
//! Some things can hide any literal, and the matcher makes lines holding
//! them candidates for every rule, which keeps the prefilter exact:
//! `\uXXXX` escapes, Serilog templates (`@mt`, rendered from properties),
//! and the only two non-ASCII characters that `(?i)` folds to ASCII
//! letters, U+212A KELVIN SIGN (`k`) and U+017F LATIN SMALL LETTER LONG S
//! (`s`). Allowing those two here keeps literals like `deadlock` whole.

use regex_syntax::hir::{Class, Hir, HirKind};

/// Estimates how many routine lines a literal would admit, so that the
/// cover of each rule is built from the rarest literals its regex requires.
///
/// Three signals: how often its bytes follow each other in routine log
/// text (the sieve's rarity model: long literals of rare byte pairs are
/// rare); some words occur in routine lines and target names all the time;
/// and the rule pack's own `no_match` examples, which are written to hold
/// the rules' trap words in a benign sense, show which literals routine
/// lines contain. A literal of one byte cannot be searched for at all.
#[derive(Debug, Default, Clone)]
pub struct LiteralCost {
    /// Lowercased routine lines.
    background: Vec<Vec<u8>>,
    /// Costs already computed: cover selection asks for the same literal
    /// many times, and each answer searches the whole background.
    memo: std::cell::RefCell<std::collections::HashMap<Vec<u8>, f64>>,
}

/// Words routine log lines are full of (in messages, field names and
/// targets): a literal or anchor made of one finds routine lines.
pub const COMMON_WORDS: &[&str] = &[
    "pool",
    "connection",
    "connections",
    "projection",
    "command",
    "event",
    "events",
    "stream",
    "streams",
    "store",
    "consumer",
    "kafka",
    "error",
    "failed",
    "request",
    "timeout",
    "time",
    "memory",
    "lock",
    "version",
    "status",
    "info",
    "debug",
    "warn",
    "executor",
    "query",
    "client",
    "server",
    "database",
    "offset",
    "message",
    "level",
    "target",
    "span",
    "fields",
    "duration",
    "latency",
    "retry",
    "task",
    "thread",
    "to",
    "the",
    "of",
    "in",
    "on",
    "at",
    "for",
    "is",
    "and",
];

impl LiteralCost {
    pub fn with_background<'a>(lines: impl IntoIterator<Item = &'a str>) -> Self {
        LiteralCost {
            background: lines
                .into_iter()
                .map(|l| l.to_ascii_lowercase().into_bytes())
                .collect(),
            memo: Default::default(),
        }
    }

    pub fn cost(&self, literal: &[u8]) -> f64 {
        if let Some(&c) = self.memo.borrow().get(literal) {
            return c;
        }
        let c = self.compute(literal);
        self.memo.borrow_mut().insert(literal.to_vec(), c);
        c
    }

    fn compute(&self, literal: &[u8]) -> f64 {
        if literal.len() < 2 {
            return f64::INFINITY;
        }
        // The share of lines holding it: by the model, over the positions
        // of a typical 300-byte line, or as the routine lines show it.
        let modelled = 300.0 * crate::sieve::rarity::probability(literal);
        let word = std::str::from_utf8(literal).unwrap_or("").trim();
        let common = if COMMON_WORDS.contains(&word) {
            8.0
        } else {
            1.0
        };
        let finder = memchr::memmem::Finder::new(literal);
        let seen = self
            .background
            .iter()
            .filter(|line| finder.find(line).is_some())
            .count();
        let observed = seen as f64 / self.background.len().max(1) as f64;
        // A short word hides inside longer ones (`kill` in `skill`,
        // `lost` in `lostCount`) more often than its byte pairs say, and
        // the sieve files every anchor of five bytes or fewer in one
        // bucket that looks at every line: a fixed charge makes a cover
        // take the longer phrase its regex also requires, when it has one.
        let short = if literal.len() <= SHORT_LITERAL {
            SHORT_LITERAL_CHARGE
        } else {
            0.0
        };
        common * modelled.max(observed) + short
    }
}

/// Literals of this many bytes or fewer pay [`SHORT_LITERAL_CHARGE`].
const SHORT_LITERAL: usize = 5;
/// The extra cost of a short literal, as a share of lines: of the order
/// of what a short word already costs (0.005 to 0.01; a rare phrase costs
/// 0.002 or less), so it tips a choice between a short word and a longer
/// phrase of the same regex.
const SHORT_LITERAL_CHARGE: f64 = 0.005;

/// The cheapest cover of `hir`, or `None` when some match of the regex
/// contains no literal at all (for example `\d+` or `.*`).
pub fn cover(hir: &Hir, cost: &LiteralCost) -> Option<Vec<Vec<u8>>> {
    let mut covers = cover_inner(hir, cost)?;
    // A one-byte literal is no filter: the sieve searches two or more.
    if covers.iter().any(|l| l.len() < 2) {
        return None;
    }
    covers.sort();
    covers.dedup();
    Some(covers)
}

fn total_cost(cover: &[Vec<u8>], cost: &LiteralCost) -> f64 {
    cover.iter().map(|l| cost.cost(l)).sum()
}

fn cover_inner(hir: &Hir, cost: &LiteralCost) -> Option<Vec<Vec<u8>>> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => None,
        HirKind::Literal(_) => best_of(
            literal_runs(std::iter::once(hir))
                .into_iter()
                .map(|r| vec![r])
                .collect(),
            cost,
        ),
        HirKind::Class(_) => literal_char(hir).map(|b| vec![vec![b]]),
        HirKind::Repetition(rep) => {
            if rep.min >= 1 {
                cover_inner(&rep.sub, cost)
            } else {
                None
            }
        }
        HirKind::Capture(cap) => cover_inner(&cap.sub, cost),
        HirKind::Concat(children) => {
            let mut options: Vec<Vec<Vec<u8>>> = literal_runs(children.iter())
                .into_iter()
                .map(|r| vec![r])
                .collect();
            for child in children {
                if !is_literal_like(child) {
                    if let Some(c) = cover_inner(child, cost) {
                        options.push(c);
                    }
                }
            }
            best_of(options, cost)
        }
        HirKind::Alternation(branches) => {
            let mut union = Vec::new();
            for branch in branches {
                union.extend(cover_inner(branch, cost)?);
            }
            Some(union)
        }
    }
}

fn best_of(options: Vec<Vec<Vec<u8>>>, cost: &LiteralCost) -> Option<Vec<Vec<u8>>> {
    options
        .into_iter()
        .filter(|c| !c.is_empty())
        .min_by(|a, b| total_cost(a, cost).total_cmp(&total_cost(b, cost)))
}

fn is_literal_like(hir: &Hir) -> bool {
    matches!(hir.kind(), HirKind::Literal(_)) || literal_char(hir).is_some()
}

/// Splits a sequence of HIR nodes into maximal runs of safe literal bytes
/// (lowercased). Anything that is not a safe literal ends the current run.
fn literal_runs<'h>(nodes: impl Iterator<Item = &'h Hir>) -> Vec<Vec<u8>> {
    let mut runs = Vec::new();
    let mut run = Vec::new();
    let close = |run: &mut Vec<u8>, runs: &mut Vec<Vec<u8>>| {
        let trimmed = trim_ascii_space(run);
        if !trimmed.is_empty() {
            runs.push(trimmed.to_vec());
        }
        run.clear();
    };
    for node in nodes {
        match node.kind() {
            HirKind::Literal(lit) => {
                for &b in lit.0.iter() {
                    if is_json_escapable(b) {
                        close(&mut run, &mut runs);
                    } else {
                        run.push(b.to_ascii_lowercase());
                    }
                }
            }
            _ => match literal_char(node) {
                Some(b) => run.push(b),
                None => close(&mut run, &mut runs),
            },
        }
    }
    close(&mut run, &mut runs);
    runs
}

fn trim_ascii_space(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| *b != b' ').unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| *b != b' ')
        .map_or(start, |e| e + 1);
    &bytes[start..end]
}

/// `keyword` as it is and as JSON strings write it, once and twice
/// escaped (`"` as `\\"`, `\\` as `\\\\`, control characters as `\\n` or
/// `\\u00XX`, `/` as it is or as `\\/`): a keyword is searched in raw
/// lines, and decoding reads text from a JSON string, and from one inside
/// Docker's `log`. A keyword without such a character is its only form.
pub fn keyword_forms(keyword: &[u8]) -> Vec<Vec<u8>> {
    fn escaped(text: &[u8], slash: bool) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len() + 8);
        for &b in text {
            match b {
                b'"' | b'\\' => out.extend_from_slice(&[b'\\', b]),
                b'/' if slash => out.extend_from_slice(b"\\/"),
                b'\n' => out.extend_from_slice(b"\\n"),
                b'\t' => out.extend_from_slice(b"\\t"),
                b'\r' => out.extend_from_slice(b"\\r"),
                b if b < 0x20 => out.extend_from_slice(format!("\\u{b:04x}").as_bytes()),
                b => out.push(b),
            }
        }
        out
    }
    let mut forms = vec![keyword.to_vec()];
    if keyword.iter().any(|&b| is_json_escapable(b)) {
        for slash in [false, true] {
            let once = escaped(keyword, slash);
            forms.push(escaped(&once, false));
            forms.push(escaped(&once, true));
            forms.push(once);
        }
    }
    forms.sort();
    forms.dedup();
    forms
}

fn is_json_escapable(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\' || b == b'/'
}

/// A class that stands for one ASCII character in either case (what `(?i)`
/// makes of a letter), as its lowercase byte. `None` when the class admits
/// anything else, non-ASCII case variants included.
fn literal_char(hir: &Hir) -> Option<u8> {
    let HirKind::Class(class) = hir.kind() else {
        return None;
    };
    let mut members: Vec<u32> = Vec::new();
    match class {
        Class::Unicode(c) => {
            for r in c.ranges() {
                let (s, e) = (r.start() as u32, r.end() as u32);
                if e - s > 2 {
                    return None;
                }
                members.extend(s..=e);
            }
        }
        Class::Bytes(c) => {
            for r in c.ranges() {
                let (s, e) = (r.start() as u32, r.end() as u32);
                if e - s > 2 {
                    return None;
                }
                members.extend(s..=e);
            }
        }
    }
    // The two non-ASCII simple case folds of ASCII letters; lines holding
    // them are universal candidates (see the module docs).
    members.retain(|&m| m != 0x212A && m != 0x017F);
    if members.is_empty() || members.iter().any(|&m| m > 0x7f) {
        return None;
    }
    let lower = (members[0] as u8).to_ascii_lowercase();
    if is_json_escapable(lower)
        || members
            .iter()
            .any(|&m| (m as u8).to_ascii_lowercase() != lower)
    {
        return None;
    }
    Some(lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cover_of(re: &str) -> Option<Vec<String>> {
        let hir = regex_syntax::parse(re).unwrap();
        cover(&hir, &LiteralCost::default()).map(|c| {
            c.into_iter()
                .map(|l| String::from_utf8(l).unwrap())
                .collect()
        })
    }

    #[test]
    fn prefers_long_literals_unless_routine_lines_hold_them() {
        let hir = regex_syntax::parse("(?i)projection.*(lag|behind)").unwrap();
        let plain = cover(&hir, &LiteralCost::default()).unwrap();
        assert_eq!(plain, vec![b"projection".to_vec()]);
        let routine = LiteralCost::with_background([
            r#"{"message":"Rebuild progress","target":"eventcore::projection"}"#,
        ]);
        let steered = cover(&hir, &routine).unwrap();
        assert_eq!(steered, vec![b"behind".to_vec(), b"lag".to_vec()]);
    }

    #[test]
    fn keywords_are_searched_as_json_strings_write_them() {
        let forms = |k: &str| -> Vec<String> {
            keyword_forms(k.as_bytes())
                .into_iter()
                .map(|f| String::from_utf8(f).unwrap())
                .collect()
        };
        assert_eq!(forms("deadlock"), ["deadlock"]);
        assert_eq!(
            forms(r#""504""#),
            [r#""504""#, r#"\"504\""#, r#"\\\"504\\\""#]
        );
        assert_eq!(forms("a/b"), ["a/b", r"a\/b", r"a\\/b", r"a\\\/b"]);
    }

    #[test]
    fn short_literals_pay_a_charge() {
        // By its byte pairs `kill` is rarer than `server`, a common word;
        // but a word of five bytes or fewer hides inside longer ones and
        // shares the sieve's busiest bucket, so the cover takes the
        // longer literal.
        assert_eq!(cover_of("(?i)kill.*server").unwrap(), vec!["server"]);
        // Where the regex requires nothing longer, the short word is the
        // cover.
        assert_eq!(cover_of("(?i)kill(ed)?").unwrap(), vec!["kill"]);
    }

    #[test]
    fn breaks_literals_at_letters_with_other_non_ascii_case_variants() {
        // `k` and `s` fold to U+212A and U+017F, which the matcher handles.
        assert_eq!(cover_of("(?i)deadlock").unwrap(), vec!["deadlock"]);
        // `(?i)µ` admits U+039C and U+03BC: no safe literal byte there.
        assert_eq!(cover_of("(?i)max µs exceeded").unwrap(), vec!["s exceeded"]);
    }

    #[test]
    fn background_lines_steer_the_choice_away_from_routine_literals() {
        let hir = regex_syntax::parse("(?i)command timeout (after|expired)").unwrap();
        let cost = LiteralCost::with_background(["Command timeout configured"]);
        let c = cover(&hir, &cost).unwrap();
        assert_eq!(c, vec![b"after".to_vec(), b"expired".to_vec()]);
    }

    #[test]
    fn breaks_literals_at_json_escapable_characters() {
        // In raw JSON these bytes may be written `\"`, `\/`, `\n`.
        assert_eq!(cover_of(r#"max "pool" size"#).unwrap(), vec!["size"]);
        let pieces = cover_of(r"read/write\ttimed").unwrap();
        assert_eq!(pieces.len(), 1);
        assert!(
            ["read", "write", "timed"].contains(&pieces[0].as_str()),
            "{pieces:?}"
        );
    }

    #[test]
    fn has_no_cover_when_a_match_needs_no_literal() {
        assert_eq!(cover_of(r"\d+"), None);
        assert_eq!(cover_of(r"(?i)timeout|\d{3}"), None);
        assert_eq!(cover_of(r"(?i)(x)?"), None);
        // One byte is no filter.
        assert_eq!(cover_of(r"(?i)x\d+"), None);
        assert_eq!(cover_of(r"ab|c\d"), None);
    }
}
