//! The shipped rule pack, scored on the labelled corpus of real log lines in
//! `tests/data/real/`: it finds the trouble (recall) without raising false
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
use tailwatch::matcher::records::Grouping;
use tailwatch::matcher::{Matcher, Scanner, SourceScan};
use tailwatch::rules::{RuleSet, Severity, BUILTIN_CATEGORIES};
use tailwatch::sink::Match;

const MIN_RECALL: f64 = 0.95;
const MIN_PRECISION: f64 = 0.98;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    /// A built-in category, or `benign`.
    category: String,
    /// The log line as a file holds it; a multi-line record's lines joined
    /// by `\n`.
    line: String,
    /// Where the text comes from: `captured: ...` or `owner/repo@rev path`.
    source: String,
    /// Other categories that are right for this line too.
    #[serde(default)]
    accept: Vec<String>,
    #[serde(skip)]
    at: String,
}

fn corpus() -> Vec<Entry> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/real");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("tests/data/real exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    let mut entries = Vec::new();
    for path in files {
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
}

#[test]
fn the_pack_finds_real_trouble_and_raises_no_false_alarm() {
    let entries = corpus();
    let mut by_category: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut missed = Vec::new();
    let mut false_alarms = Vec::new();
    for e in &entries {
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

    let mut table = format!(
        "{:<22} {:>6} {:>6} {:>7}\n",
        "category", "lines", "found", "recall"
    );
    for (c, t) in &by_category {
        table += &format!(
            "{:<22} {:>6} {:>6} {:>7.3}\n",
            c,
            t.lines,
            t.found,
            t.found as f64 / t.lines as f64
        );
    }
    table += &format!(
        "trouble {trouble}: recall {recall:.3}; false alarms {}: precision {precision:.3}\n",
        false_alarms.len()
    );
    println!("{table}");
    for m in &missed {
        println!("missed {m}");
    }
    for f in &false_alarms {
        println!("false alarm {f}");
    }
    assert!(
        recall >= MIN_RECALL && precision >= MIN_PRECISION,
        "recall {recall:.3} (at least {MIN_RECALL}), precision {precision:.3} (at least {MIN_PRECISION})\n{table}"
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
        assert!(!e.source.trim().is_empty(), "{}: no source", e.at);
    }
    for category in BUILTIN_CATEGORIES {
        let n = entries.iter().filter(|e| e.category == *category).count();
        assert!(n >= 10, "only {n} lines of {category}");
    }
}
