//! What the pack does not recognise: records logged at WARN or worse that
//! no rule matched, clustered into templates so that a team sees the
//! messages its pack misses and can turn them into rules
//! ([`suggest`]).
//!
//! The clustering is Drain's (He et al., "Drain: An Online Log Parsing
//! Approach with Fixed Depth Tree", ICWS 2017): a message is split into
//! tokens, variable-looking tokens (numbers, ids, hex, UUIDs, addresses,
//! durations, paths, quoted values) are masked, and the message joins the
//! most similar template among those of the same length and first token,
//! if similar enough; the positions where they differ become wildcards.
//! It is written here because what it must do is narrow and small: a cap
//! on templates and samples, eviction, and masking tuned to log values;
//! Drain's reference implementation (drain3) is Python, and a general
//! clustering crate would still need all three.
//!
//! Cost: nothing on a line a rule matched or the prefilter passed over;
//! for an unmatched WARN+ record, one tokenisation of its first line and a
//! comparison with the templates of its shape.
//!
//! Memory is bounded: at most [`MinerSettings::max_templates`] templates
//! (the least recently seen tenth is dropped when full) of at most
//! [`MAX_TOKENS`] tokens, each with at most [`MinerSettings::samples`]
//! samples of at most [`SAMPLE_BYTES`] bytes, and all samples within
//! [`MinerSettings::sample_budget_bytes`] (4 MiB by default).

pub mod suggest;

use std::collections::HashMap;

use serde::Serialize;

use crate::decode::Level;

/// Tokens of a message kept; the rest of a longer message is one more
/// wildcard.
pub const MAX_TOKENS: usize = 40;
/// The longest sample kept, in bytes (a longer one is cut, and not
/// offered as a rule's example): a Python record with its traceback
/// fits.
pub const SAMPLE_BYTES: usize = 8192;
/// A template's first sample once the samples' budget is spent is cut to
/// this.
pub const SHORT_SAMPLE_BYTES: usize = 1024;
/// The longest message line kept beside a sample, in bytes.
pub const MESSAGE_BYTES: usize = 512;
/// What a masked token is written as in a template.
pub const WILDCARD: &str = "<*>";

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MinerSettings {
    pub max_templates: usize,
    pub samples: usize,
    /// The share of positions that must agree for a message to join a
    /// template (Drain's similarity threshold).
    pub similarity: f64,
    /// Bytes of samples kept in all; past it, a new template keeps one
    /// short sample and no more.
    pub sample_budget_bytes: usize,
}

impl Default for MinerSettings {
    fn default() -> Self {
        MinerSettings {
            max_templates: 1000,
            samples: 3,
            similarity: 0.5,
            sample_budget_bytes: 4 << 20,
        }
    }
}

/// The levels unmatched records are counted by: WARN, ERROR, FATAL, and
/// `none` for text without a level that uses the usual error words.
pub const LEVELS: [&str; 4] = ["warn", "error", "fatal", "none"];

/// The index in [`LEVELS`] of a record at `level`, if it is trouble: at
/// WARN or worse, or without a level and with an error word in `text`.
pub fn trouble_level(level: Option<Level>, text: &str) -> Option<usize> {
    match level {
        Some(Level::Warn) => Some(0),
        Some(Level::Error) => Some(1),
        Some(Level::Fatal) => Some(2),
        Some(_) => None,
        None => has_error_word(text).then_some(3),
    }
}

/// The words a message without a level says trouble with. Also the
/// prefilter's literals for records no rule may match (see
/// `matcher::prefilter`), so a line without any of them is never decoded
/// for this.
pub const ERROR_WORDS: [&str; 15] = [
    "warn",
    "error",
    "fatal",
    "crit",
    "panic",
    "severe",
    "exception",
    "fail",
    "timeout",
    "timed out",
    "deadline exceeded",
    "refused",
    "unable to",
    "cannot",
    "could not",
];

pub fn has_error_word(text: &str) -> bool {
    let bytes = text.as_bytes();
    ERROR_WORDS.iter().any(|w| {
        bytes
            .windows(w.len())
            .any(|win| win.eq_ignore_ascii_case(w.as_bytes()))
    })
}

/// One template: the constant tokens and wildcards of a family of
/// messages.
#[derive(Debug, Clone, Serialize)]
pub struct Template {
    pub tokens: Vec<String>,
    pub count: u64,
    /// The log's timestamps (Unix µs) of the first and last record.
    pub first_seen: Option<i64>,
    pub last_seen: Option<i64>,
    /// The worst level among its records (an index into [`LEVELS`]).
    pub level: usize,
    /// The first records' messages as read (redacted where reports are).
    pub samples: Vec<String>,
    /// The first line of each sample's message (what was tokenised), for
    /// generalising the wildcards.
    #[serde(skip)]
    pub messages: Vec<String>,
    #[serde(skip)]
    touched: u64,
}

impl Template {
    pub fn text(&self) -> String {
        self.tokens.join(" ")
    }

    pub fn level_name(&self) -> &'static str {
        LEVELS[self.level]
    }
}

/// The templates of unmatched trouble, and their counts.
#[derive(Debug, Clone, Default)]
pub struct Miner {
    settings: MinerSettings,
    templates: Vec<Template>,
    /// (token count, first token) -> indexes into `templates`.
    shapes: HashMap<(usize, String), Vec<usize>>,
    /// Ticks on every record: what "recently" means for eviction.
    clock: u64,
    /// Records added.
    pub records: u64,
    /// Records whose template was dropped to stay within the cap.
    pub evicted: u64,
    /// Bytes of samples and their messages kept.
    sample_bytes: usize,
}

impl Miner {
    pub fn new(settings: MinerSettings) -> Miner {
        Miner {
            settings,
            ..Miner::default()
        }
    }

    pub fn templates(&self) -> &[Template] {
        &self.templates
    }

    /// The templates, most frequent first.
    pub fn top(&self, n: usize) -> Vec<&Template> {
        let mut all: Vec<&Template> = self.templates.iter().collect();
        all.sort_by(|a, b| b.count.cmp(&a.count).then(a.first_seen.cmp(&b.first_seen)));
        all.truncate(n);
        all
    }

    /// Counts one unmatched record: `message` is what it says (its first
    /// line is what is clustered), `sample` makes what a report may show
    /// of it (called only when a sample is kept: redaction is not paid on
    /// every record).
    pub fn add<S: AsRef<str>>(
        &mut self,
        message: &str,
        level: usize,
        at: Option<i64>,
        sample: impl FnOnce() -> S,
    ) {
        self.clock += 1;
        self.records += 1;
        let tokens = tokenize(message);
        if tokens.is_empty() {
            return;
        }
        let key = (tokens.len(), tokens[0].clone());
        let best = self.shapes.get(&key).and_then(|ids| {
            ids.iter()
                .map(|&i| (i, similarity(&self.templates[i].tokens, &tokens)))
                .filter(|(_, s)| *s > self.settings.similarity)
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(i, _)| i)
        });
        let i = match best {
            Some(i) => {
                let t = &mut self.templates[i];
                for (have, new) in t.tokens.iter_mut().zip(&tokens) {
                    if have != new && have != WILDCARD {
                        *have = WILDCARD.to_string();
                    }
                }
                i
            }
            None => {
                if self.templates.len() >= self.settings.max_templates {
                    self.evict();
                }
                self.templates.push(Template {
                    tokens,
                    count: 0,
                    first_seen: at,
                    last_seen: at,
                    level,
                    samples: Vec::new(),
                    messages: Vec::new(),
                    touched: 0,
                });
                let i = self.templates.len() - 1;
                self.shapes.entry(key).or_default().push(i);
                i
            }
        };
        let t = &mut self.templates[i];
        t.count += 1;
        t.touched = self.clock;
        // `none` (no level) yields to any level seen.
        if t.level == 3 || (level < 3 && level > t.level) {
            t.level = level;
        }
        if let Some(at) = at {
            t.first_seen = Some(t.first_seen.map_or(at, |f| f.min(at)));
            t.last_seen = Some(t.last_seen.map_or(at, |l| l.max(at)));
        }
        if t.samples.len() >= self.settings.samples {
            return;
        }
        let sample = sample();
        let sample = sample.as_ref();
        if t.samples.iter().any(|s| s == sample) {
            return;
        }
        let first = message.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        let first = cut(first, MESSAGE_BYTES);
        let mut sample = cut(sample, SAMPLE_BYTES);
        let spent =
            self.sample_bytes + sample.len() + first.len() > self.settings.sample_budget_bytes;
        if spent && !t.samples.is_empty() {
            return;
        }
        if spent {
            sample = cut(sample, SHORT_SAMPLE_BYTES);
        }
        self.sample_bytes += sample.len() + first.len();
        t.samples.push(sample.to_string());
        t.messages.push(first.to_string());
    }

    /// Drops the least recently seen tenth of the templates (at least
    /// one), and re-indexes the rest.
    fn evict(&mut self) {
        let drop = (self.settings.max_templates / 10).max(1);
        let mut by_age: Vec<u64> = self.templates.iter().map(|t| t.touched).collect();
        by_age.sort_unstable();
        let cutoff = by_age[drop.min(by_age.len()) - 1];
        let before = self.templates.len();
        let mut evicted = 0;
        let mut freed = 0;
        self.templates.retain(|t| {
            let keep = t.touched > cutoff;
            if !keep {
                evicted += t.count;
                freed += t
                    .samples
                    .iter()
                    .chain(&t.messages)
                    .map(String::len)
                    .sum::<usize>();
            }
            keep
        });
        self.sample_bytes -= freed;
        self.evicted += evicted;
        debug_assert!(self.templates.len() < before);
        self.shapes.clear();
        for (i, t) in self.templates.iter().enumerate() {
            self.shapes
                .entry((t.tokens.len(), t.tokens[0].clone()))
                .or_default()
                .push(i);
        }
    }
}

/// The share of positions where `template` and `tokens` (of one length)
/// agree; a wildcard agrees with anything but counts half, so that a
/// message prefers a template that spells its words.
fn similarity(template: &[String], tokens: &[String]) -> f64 {
    let mut score = 0.0;
    for (a, b) in template.iter().zip(tokens) {
        if a == b {
            score += if a == WILDCARD { 0.5 } else { 1.0 };
        } else if a == WILDCARD {
            score += 0.5;
        }
    }
    score / tokens.len() as f64
}

/// The first line of `message`, split on whitespace, variable tokens
/// masked, at most [`MAX_TOKENS`] (the rest one wildcard).
pub fn tokenize(message: &str) -> Vec<String> {
    let first = message.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut tokens: Vec<String> = Vec::new();
    for (n, raw) in first.split_whitespace().enumerate() {
        if n == MAX_TOKENS {
            tokens.push(WILDCARD.to_string());
            break;
        }
        tokens.push(if is_variable(raw) {
            WILDCARD.to_string()
        } else {
            raw.to_string()
        });
    }
    tokens
}

/// Whether a token looks like a value rather than a word: it holds a
/// digit (numbers, ids, hex, UUIDs, IPs, durations, versions), is a path
/// or URL, a quoted value, or a `key=value` pair.
pub fn is_variable(token: &str) -> bool {
    let t = token.trim_matches([',', ';', '.', ':', '(', ')', '[', ']']);
    if t.is_empty() {
        return false;
    }
    t.bytes().any(|b| b.is_ascii_digit())
        || t.contains('/')
        || t.contains('\\')
        || t.contains('=')
        || t.contains('@')
        || (t.len() > 1 && (t.starts_with('"') || t.starts_with('\'') || t.starts_with('`')))
        || (t.len() >= 16 && t.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-'))
}

/// `text` cut to at most `max` bytes, on a character boundary.
fn cut(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mine(lines: &[&str]) -> Miner {
        let mut m = Miner::new(MinerSettings::default());
        for l in lines {
            m.add(l, 1, None, || *l);
        }
        m
    }

    #[test]
    fn messages_that_differ_in_ids_numbers_and_durations_share_a_template() {
        let m = mine(&[
            "payment 8812 for account acct-19 failed after 1.5s: upstream 10.0.3.7:5432 closed",
            "payment 9 for account acct-7731 failed after 300ms: upstream 10.0.9.1:5432 closed",
            "payment 77 for account acct-3 failed after 12s: upstream [::1]:5432 closed",
        ]);
        assert_eq!(m.templates().len(), 1, "{:#?}", m.templates());
        let t = &m.templates()[0];
        assert_eq!(t.count, 3);
        assert_eq!(
            t.text(),
            "payment <*> for account <*> failed after <*> upstream <*> closed"
        );
        assert_eq!(t.samples.len(), 3);
    }

    #[test]
    fn different_messages_get_different_templates() {
        let m = mine(&[
            "ledger projection rebuild failed for tenant 7",
            "ledger projection rebuild failed for tenant 8",
            "ledger snapshot upload is slow",
            "ledger snapshot is stale: rebuild needed",
            "could not reach the fraud service at 10.0.0.4",
        ]);
        let texts: Vec<String> = m.templates().iter().map(Template::text).collect();
        assert_eq!(
            texts,
            [
                "ledger projection rebuild failed for tenant <*>",
                "ledger snapshot upload is slow",
                "ledger snapshot is stale: rebuild needed",
                "could not reach the fraud service at <*>",
            ]
        );
    }

    #[test]
    fn memory_stays_under_the_cap_with_a_million_distinct_messages() {
        let mut m = Miner::new(MinerSettings {
            max_templates: 1000,
            ..MinerSettings::default()
        });
        for i in 0..1_000_000u64 {
            // Letters only, and first tokens that all differ: no two
            // messages share a template.
            let msg = format!("{} job stopped", radix26(i));
            m.add(&msg, 0, None, || msg.clone());
            assert!(m.templates().len() <= 1000);
        }
        assert!(m.evicted > 0);
        assert!(m.templates().iter().all(|t| t.samples.len() <= 3));
        assert!(m.sample_bytes <= MinerSettings::default().sample_budget_bytes);
        assert!(m.shapes.values().map(Vec::len).sum::<usize>() <= 1000);
    }

    fn radix26(mut i: u64) -> String {
        let mut s = String::new();
        loop {
            s.push((b'a' + (i % 26) as u8) as char);
            i /= 26;
            if i == 0 {
                return s;
            }
        }
    }

    #[test]
    fn only_trouble_levels_count() {
        assert_eq!(trouble_level(Some(Level::Info), "failed"), None);
        assert_eq!(trouble_level(Some(Level::Warn), "slow"), Some(0));
        assert_eq!(trouble_level(None, "job FAILED"), Some(3));
        assert_eq!(trouble_level(None, "job done"), None);
    }
}
