//! The shipped rule pack, scored on the labelled corpus of real log lines in
//! `patterns/corpus/`: it finds the trouble (recall) without raising false
//! alarms (precision), category by category.
//!
//! A trouble line is found when a rule of its category (or of a category its
//! entry also accepts) matches it at `warning` or worse. A benign line that
//! any rule matches at `warning` or worse is a false alarm, and so is a
//! trouble line matched at `warning` or worse only by rules of other
//! categories. `info` matches are neither.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Deserialize;
use tailwatch::decode::{decode, Envelope, Level};
use tailwatch::matcher::records::Grouping;
use tailwatch::matcher::{Matcher, Scanner, SourceScan};
use tailwatch::rules::{RuleSet, Severity, BUILTIN_CATEGORIES};
use tailwatch::sink::Match;

const MIN_RECALL: f64 = 0.95;
const MIN_PRECISION: f64 = 0.98;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// A built-in category, or `benign`.
    pub category: String,
    /// The log line as a file holds it; a multi-line record's lines joined
    /// by `\n`.
    pub line: String,
    /// Where the text comes from: `captured: ...` or `owner/repo@rev path`.
    source: String,
    /// Other categories that are right for this line too.
    #[serde(default)]
    pub accept: Vec<String>,
    #[serde(skip)]
    at: String,
}

pub fn corpus() -> Vec<Entry> {
    entries_in("patterns/corpus")
}

/// The labelled entries of every `.jsonl` file of the set in `dir`.
fn entries_in(dir: &str) -> Vec<Entry> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut entries = Vec::new();
    for path in crate::util::files_with_extension(&dir, "jsonl") {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let mut e: Entry =
                serde_json::from_str(line).unwrap_or_else(|err| panic!("{name}:{}: {err}", n + 1));
            e.at = format!("{name}:{}", n + 1);
            entries.push(e);
        }
    }
    entries
}

fn matcher() -> &'static Matcher {
    static M: std::sync::OnceLock<Matcher> = std::sync::OnceLock::new();
    M.get_or_init(|| Matcher::new(RuleSet::embedded()))
}

/// Every (category, severity) the pack matches in one entry, read as its
/// own source the way `scan` reads a file: envelope detected, multi-line
/// records grouped.
fn matches(entry: &Entry) -> Vec<(String, Severity, String)> {
    let m = matcher();
    let mut scanner = Scanner::new(1 << 20);
    let mut source = SourceScan::new(None);
    source.set_grouping(Arc::new(Grouping::default()));
    let mut found = Vec::new();
    let mut sink = |hit: &Match<'_>| {
        found.push((
            hit.rule.category.clone(),
            hit.severity,
            hit.rule.name.clone(),
        ))
    };
    let text = format!("{}\n", entry.line);
    scanner.scan_block(m, &mut source, text.as_bytes(), 0, &mut sink);
    scanner.finish(m, &mut source, &mut sink);
    found
}

#[derive(Default)]
struct Tally {
    lines: usize,
    found: usize,
    /// Trouble that no rule matched and whose record says nothing worse
    /// than INFO (or has no level): what a word in a WARN-or-worse line
    /// cannot reach, and a generic rule cannot count without alarming on
    /// the routine lines that use the same words.
    missed_routine: usize,
}

/// Whether the record the entry starts with is logged at INFO or below,
/// or without a level the decoder reads.
fn logged_as_routine(entry: &Entry) -> bool {
    let head = entry.line.lines().next().unwrap_or_default().as_bytes();
    let record = decode(head, Envelope::detect(head), None);
    record.level.is_none_or(|level| level < Level::Warn)
}

/// How the pack does on a set of labelled entries.
struct Score {
    recall: f64,
    precision: f64,
    /// Per category, then the totals; the misses and false alarms after.
    table: String,
    /// Per category and the totals only.
    summary: String,
}

fn score(entries: &[Entry]) -> Score {
    let mut by_category: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut missed = Vec::new();
    let mut false_alarms = Vec::new();
    for e in entries {
        let hits: Vec<_> = matches(e)
            .into_iter()
            .filter(|(_, s, _)| *s >= Severity::Warning)
            .collect();
        let tally = by_category.entry(e.category.as_str()).or_default();
        tally.lines += 1;
        if e.category == "benign" {
            if hits.is_empty() {
                tally.found += 1;
            } else {
                false_alarms.push(format!("{} {:?}\n    {}", e.at, hits, e.line));
            }
            continue;
        }
        let right = |c: &String| *c == e.category || e.accept.contains(c);
        if hits.iter().any(|(c, _, _)| right(c)) {
            tally.found += 1;
        } else if hits.is_empty() {
            tally.missed_routine += usize::from(logged_as_routine(e));
            missed.push(format!("{} [{}]\n    {}", e.at, e.category, e.line));
        } else {
            false_alarms.push(format!(
                "{} [{}] matched as {:?}\n    {}",
                e.at, e.category, hits, e.line
            ));
        }
    }
    let trouble: usize = by_category
        .iter()
        .filter(|(c, _)| **c != "benign")
        .map(|(_, t)| t.lines)
        .sum();
    let found: usize = by_category
        .iter()
        .filter(|(c, _)| **c != "benign")
        .map(|(_, t)| t.found)
        .sum();
    let recall = found as f64 / trouble as f64;
    let precision = found as f64 / (found + false_alarms.len()) as f64;

    let missed_routine: usize = by_category.values().map(|t| t.missed_routine).sum();

    let mut table = format!(
        "{:<22} {:>6} {:>6} {:>7} {:>15}\n",
        "category", "lines", "found", "recall", "missed, routine"
    );
    for (c, t) in &by_category {
        table += &format!(
            "{:<22} {:>6} {:>6} {:>7.3} {:>15}\n",
            c,
            t.lines,
            t.found,
            t.found as f64 / t.lines as f64,
            t.missed_routine
        );
    }
    table += &format!(
        "trouble {trouble}: recall {recall:.3}; false alarms {}: precision {precision:.3}\n",
        false_alarms.len()
    );
    table += &format!(
        "missed {}, of which logged at INFO or below or without a level: {missed_routine}\n",
        missed.len()
    );
    let summary = table.clone();
    for m in &missed {
        table += &format!("missed {m}\n");
    }
    for f in &false_alarms {
        table += &format!("false alarm {f}\n");
    }
    Score {
        recall,
        precision,
        table,
        summary,
    }
}

impl Score {
    /// Fails unless recall and precision reach their floors on `set`;
    /// `shown` is what the failure prints.
    fn holds(&self, set: &str, min_recall: f64, min_precision: f64, shown: &str) {
        assert!(
            self.recall >= min_recall && self.precision >= min_precision,
            "recall {:.3} (at least {min_recall}), precision {:.3} (at least {min_precision}) on {set}\n{shown}",
            self.recall,
            self.precision,
        );
    }
}

#[test]
fn the_pack_finds_real_trouble_and_raises_no_false_alarm() {
    let score = score(&corpus());
    println!("{}", score.table);
    score.holds("the corpus", MIN_RECALL, MIN_PRECISION, &score.table);
}

/// The held-out set (`tests/data/heldout/`): real messages no rule was
/// written from. Its even-numbered lines are the half a rule change may be
/// checked against while it is written; the odd-numbered half is only
/// scored, so the figure it gives is one on logs the rules have not seen.
///
/// The goal is the corpus's 0.95 / 0.98 there too; the pack is not there
/// yet (recall 0.893, precision 0.979 on the unseen half), so this holds
/// the line at what it reached: a change that loses unseen messages
/// fails.
const HELDOUT_MIN_RECALL: f64 = 0.86;
const HELDOUT_MIN_PRECISION: f64 = 0.97;

#[test]
fn the_pack_holds_on_messages_it_was_not_written_from() {
    let entries = entries_in("tests/data/heldout");
    assert!(entries.len() >= 500, "{} entries", entries.len());
    let (seen, unseen): (Vec<Entry>, Vec<Entry>) = entries
        .into_iter()
        .partition(|e| e.at.rsplit(':').next().unwrap().parse::<usize>().unwrap() % 2 == 0);
    let unseen = score(&unseen);
    println!("unseen half:\n{}", unseen.table);
    println!("seen half:\n{}", score(&seen).table);
    unseen.holds(
        "the unseen half",
        HELDOUT_MIN_RECALL,
        HELDOUT_MIN_PRECISION,
        &unseen.table,
    );
}

/// The blind set (`tests/data/blind/`): real messages of 47 programs that
/// neither the pack, the labelled corpus nor the held-out set draws on,
/// collected by someone who never ran the pack on them. Rules are not
/// written from it, so it prints its figures only; its misses and false
/// alarms are shown with `TAILWATCH_SHOW_BLIND=1`, which spends its
/// blindness. Its figure is the one to quote for software the pack has
/// never met; like the held-out set it holds the line at what it reached.
///
/// Programs the set draws on were later read for the corpus too (a sweep
/// of job queues, proxies and pools that chose its programs without
/// knowing the set's list): for those the set is no longer blind. Its
/// entries are split by whether the corpus (or the breadth set) cites the
/// same repository, and the part neither cites is the figure for software
/// never met.
/// Resemblance has learnt from the labelled corpus as well as from the
/// rules' examples since 0.709 (0.736; one line is 0.7 points of this
/// set): four more lines found, three of them in the uncited part, no
/// more alarms.
const BLIND_MIN_RECALL: f64 = 0.72;
/// Both precision floors were 0.95 before resemblance, which finds three
/// more of the set's trouble lines (one of them in the uncited part) and
/// raises one more alarm, in the uncited part (see the README's
/// "Resemblance").
const BLIND_MIN_PRECISION: f64 = 0.94;
const UNREAD_MIN_RECALL: f64 = 0.69;
const UNREAD_MIN_PRECISION: f64 = 0.93;

/// The repositories a source cites at a commit (`owner/repo@<40 hex>`),
/// lowercased.
fn cited_repositories(source: &str) -> Vec<String> {
    static CITE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let cite = CITE.get_or_init(|| {
        regex::Regex::new(r"([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)@[0-9a-f]{40}\b").unwrap()
    });
    cite.captures_iter(source)
        .map(|c| c[1].to_lowercase())
        .collect()
}

/// Scores a blind set and prints only its table by category, unless
/// `TAILWATCH_SHOW_BLIND` asks for its misses and false alarms too (which
/// spends the set); fails below the floors.
fn holds_blind(set: &str, entries: &[Entry], min_recall: f64, min_precision: f64) {
    let blind = score(entries);
    let shown = if std::env::var_os("TAILWATCH_SHOW_BLIND").is_some() {
        &blind.table
    } else {
        &blind.summary
    };
    println!("{set}:\n{shown}");
    blind.holds(set, min_recall, min_precision, shown);
}

/// Every repository the labelled corpus, the breadth set or the pack's own
/// examples and `routine:` lines cite: the software whose messages rules,
/// generic words and resemblance were written or learned from.
fn read_repositories() -> std::collections::HashSet<String> {
    let patterns = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("patterns");
    let pack: Vec<String> = crate::util::files_with_extension(&patterns, "yaml")
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect();
    corpus()
        .iter()
        .chain(&breadth())
        .flat_map(|e| cited_repositories(&e.source))
        .chain(pack.iter().flat_map(|text| cited_repositories(text)))
        .collect()
}

#[test]
fn the_pack_holds_on_software_it_has_never_met() {
    let entries = entries_in("tests/data/blind");
    assert!(entries.len() >= 200, "{} entries", entries.len());
    holds_blind(
        "the blind set",
        &entries,
        BLIND_MIN_RECALL,
        BLIND_MIN_PRECISION,
    );
    let read = read_repositories();
    let (cited, unread): (Vec<Entry>, Vec<Entry>) = entries.into_iter().partition(|e| {
        cited_repositories(&e.source)
            .iter()
            .any(|r| read.contains(r))
    });
    // The summary's last two lines: recall and precision, then the misses.
    let totals = |s: &Score| {
        let lines: Vec<&str> = s.summary.lines().collect();
        lines[lines.len().saturating_sub(2)..].join("; ")
    };
    let unread = score(&unread);
    println!(
        "of which programs the corpus or the breadth set cites: {}\nof which programs neither cites: {}",
        totals(&score(&cited)),
        totals(&unread)
    );
    unread.holds(
        "the blind set's programs neither the corpus nor the breadth set cites",
        UNREAD_MIN_RECALL,
        UNREAD_MIN_PRECISION,
        &totals(&unread),
    );
}

/// A second blind set (`tests/data/blind2/`), collected when the first had
/// been partly read: real messages of programs that neither the corpus,
/// the held-out set nor the first blind set cites, by someone who never ran
/// the pack. Scored like the first and printed as its table by category
/// only (`TAILWATCH_SHOW_BLIND=1` shows its misses too); it fails when the
/// corpus comes to cite one of its programs, which would spend the set.
const BLIND2_MIN_RECALL: f64 = 0.38;
const BLIND2_MIN_PRECISION: f64 = 0.94;

#[test]
fn the_pack_holds_on_a_second_set_of_software_it_has_never_met() {
    let entries = entries_in("tests/data/blind2");
    assert!(entries.len() >= 150, "{} entries", entries.len());
    let read = read_repositories();
    for e in &entries {
        let cited: Vec<String> = cited_repositories(&e.source)
            .into_iter()
            .filter(|r| read.contains(r))
            .collect();
        assert!(
            cited.is_empty(),
            "{}: the corpus or the breadth set cites {cited:?}, which the second blind set draws on: for it the set is no longer blind",
            e.at
        );
    }
    holds_blind(
        "the second blind set",
        &entries,
        BLIND2_MIN_RECALL,
        BLIND2_MIN_PRECISION,
    );
}

/// The breadth set (`tests/data/breadth/`): a few messages each from about
/// 190 programs, read in their sources at cited commits, in the categories
/// where the pack did worst on software it had never met (stores that stall,
/// replicas behind, crashes, consumers behind, pools near their limit) and
/// across the rest, and benign lines of 46 more that use the same words
/// harmlessly. The generic fallback words were chosen on it, but no
/// rule was written for one program's wording, so it is not part of the
/// corpus with its 0.95 / 0.98: it measures how far words shared across
/// ecosystems reach, and holds the line at what they reached.
const BREADTH_MIN_RECALL: f64 = 0.76;
const BREADTH_MIN_PRECISION: f64 = 0.98;

fn breadth() -> Vec<Entry> {
    entries_in("tests/data/breadth")
}

/// Fails unless the entry's category and the ones it accepts are known.
fn assert_labelled(e: &Entry) {
    assert!(
        e.category == "benign" || BUILTIN_CATEGORIES.contains(&e.category.as_str()),
        "{}: unknown category {}",
        e.at,
        e.category
    );
    assert!(
        e.accept
            .iter()
            .all(|c| BUILTIN_CATEGORIES.contains(&c.as_str())),
        "{}: unknown accepted category",
        e.at
    );
}

#[test]
fn generic_words_hold_across_many_programs() {
    let entries = breadth();
    assert!(entries.len() >= 600, "{} entries", entries.len());
    for e in &entries {
        assert_labelled(e);
        assert!(
            !cited_repositories(&e.source).is_empty() || e.source.contains("https://"),
            "{}: no source cited at a commit or a documentation page",
            e.at
        );
    }
    let score = score(&entries);
    println!("the breadth set:\n{}", score.table);
    score.holds(
        "the breadth set",
        BREADTH_MIN_RECALL,
        BREADTH_MIN_PRECISION,
        &score.table,
    );
}

#[test]
fn the_corpus_is_large_varied_and_sourced() {
    let entries = corpus();
    let benign = entries.iter().filter(|e| e.category == "benign").count();
    let trouble = entries.len() - benign;
    assert!(entries.len() >= 600, "{} lines", entries.len());
    assert!(
        trouble >= 300 && benign >= 300,
        "{trouble} trouble, {benign} benign"
    );
    for e in &entries {
        assert_labelled(e);
        assert!(!e.source.trim().is_empty(), "{}: no source", e.at);
    }
    for category in BUILTIN_CATEGORIES {
        let n = entries.iter().filter(|e| e.category == *category).count();
        assert!(n >= 10, "only {n} lines of {category}");
    }
}

/// One alarm the pack raises on logs from outside its world, as
/// `tests/data/foreign/alarms.tsv` lists it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Alarm {
    file: String,
    rule: String,
    severity: Severity,
    count: usize,
}

#[test]
fn logs_from_outside_our_world_raise_only_the_listed_alarms() {
    let root = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/foreign"));
    let mut files: Vec<std::path::PathBuf> = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_none_or(|e| e != "md" && e != "tsv") {
                files.push(path);
            }
        }
    }
    files.sort();
    let m = matcher();
    let mut counts: BTreeMap<(String, String, Severity), usize> = BTreeMap::new();
    let mut lines = 0;
    for path in &files {
        let name = path.strip_prefix(root).unwrap().display().to_string();
        let text = std::fs::read(path).unwrap();
        let mut scanner = Scanner::new(1 << 20);
        let mut source = SourceScan::new(None);
        source.set_grouping(Arc::new(Grouping::default()));
        let mut sink = |hit: &Match<'_>| {
            if hit.severity >= Severity::Warning {
                *counts
                    .entry((name.clone(), hit.rule.name.clone(), hit.severity))
                    .or_default() += 1;
            }
        };
        scanner.scan_block(m, &mut source, &text, 0, &mut sink);
        scanner.finish(m, &mut source, &mut sink);
        lines += source.stats.lines;
    }
    let found: Vec<Alarm> = counts
        .into_iter()
        .map(|((file, rule, severity), count)| Alarm {
            file,
            rule,
            severity,
            count,
        })
        .collect();
    // file, rule, severity, count, trouble|routine, why
    let listed_text = std::fs::read_to_string(root.join("alarms.tsv")).unwrap();
    let mut listed = Vec::new();
    for row in listed_text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let cols: Vec<&str> = row.split('\t').collect();
        assert_eq!(cols.len(), 6, "alarms.tsv: {row}");
        let severity: Severity = cols[2].parse().unwrap();
        assert!(
            cols[4] == "trouble" || (cols[4] == "routine" && severity < Severity::Error),
            "alarms.tsv: an alarm at error or above on these logs must be real trouble: {row}"
        );
        assert!(cols[5].len() > 20, "alarms.tsv: say why: {row}");
        listed.push(Alarm {
            file: cols[0].into(),
            rule: cols[1].into(),
            severity,
            count: cols[3].parse().unwrap(),
        });
    }
    listed.sort();
    println!("{} files, {lines} lines; alarms: {found:#?}", files.len());
    assert!(lines >= 10_000, "{lines} lines");
    assert_eq!(
        found, listed,
        "the alarms on tests/data/foreign differ from alarms.tsv"
    );
}
