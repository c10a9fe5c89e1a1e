//! What each fuzz target checks, one function per target, shared by the
//! targets in `fuzz_targets/` and by the test suite, which replays every
//! committed corpus input through them (`tests/fuzz_corpora.rs`): the
//! regression half of fuzzing runs in the ordinary test build, and only
//! the search for new inputs needs libFuzzer's instrumented one.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use aho_corasick::AhoCorasick;
use tailwatch::aggregate::{AggregateSettings, Aggregation};
use tailwatch::checkpoint::Checkpoint;
use tailwatch::config::{self, RunSettings};
use tailwatch::decode::{decode as decode_line, exception, Envelope};
use tailwatch::matcher::records::Grouping;
use tailwatch::matcher::{Matcher, Scanner, SourceScan};
use tailwatch::report::Report;
use tailwatch::rules::RuleSet;
use tailwatch::sieve::{Hit, Sieve};
use tailwatch::sink::Match;

fn rules() -> &'static RuleSet {
    static R: OnceLock<RuleSet> = OnceLock::new();
    R.get_or_init(RuleSet::embedded)
}

fn embedded() -> &'static Matcher {
    static M: OnceLock<Matcher> = OnceLock::new();
    M.get_or_init(|| Matcher::new(RuleSet::embedded()))
}

/// A checkpoint of any bytes is an error, or a state the aggregation
/// restores and reports from.
pub fn checkpoint(bytes: &[u8]) {
    let Ok(Checkpoint::V1 { counters, .. }) = serde_json::from_slice::<Checkpoint>(bytes) else {
        return;
    };
    let rules = rules();
    let mut aggregation = Aggregation::new(rules, AggregateSettings::default());
    aggregation.restore(rules, &counters.aggregate());
    let _ = serde_json::to_string(&Report::build(rules, &aggregation, &[]));
}

/// An agent config of any text is parsed, resolved and validated, or
/// refused.
pub fn config(text: &str) {
    let Ok(raw) = config::parse(Path::new("fuzz.yaml"), text) else {
        return;
    };
    let _ = RunSettings::build(raw.values());
}

/// A line of any bytes decodes under every envelope, with and without an
/// arbitrary runtime timestamp.
pub fn decode((line, time): (&[u8], &[u8])) {
    for envelope in [
        Envelope::detect(line),
        Envelope::Raw,
        Envelope::Cri,
        Envelope::Docker,
    ] {
        let record = decode_line(line, envelope, None);
        let _ = decode_line(line, envelope, Some(time));
        if let Some(m) = &record.message {
            let _ = exception::headline(m);
        }
    }
}

/// A rule file of any text is loaded, compiled and its examples run, or
/// refused.
pub fn rule_file(text: &str) {
    let Ok(rules) = RuleSet::from_texts(&[("fuzz.yaml", text)]) else {
        return;
    };
    if rules.compile_all().is_err() {
        return;
    }
    let _ = tailwatch::rule_tests::run_examples(&Matcher::new(rules));
}

/// The shipped pack over any bytes, lent in blocks that end after a
/// newline as framing lends them (`cut` chooses how many newlines go in
/// each), with multi-line grouping: no line is a candidate twice.
pub fn scanner((data, cut): (Vec<u8>, u8)) {
    let m = embedded();
    let mut scanner = Scanner::new(4096);
    let mut source = SourceScan::new(None);
    source.set_grouping(Arc::new(Grouping::default()));
    let mut sink = |_: &Match<'_>| {};
    let every = usize::from(cut % 7) + 1;
    let mut start = 0;
    let mut newlines = 0;
    for (i, b) in data.iter().enumerate() {
        if *b == b'\n' {
            newlines += 1;
            if newlines % every == 0 {
                scanner.scan_block(m, &mut source, &data[start..=i], start as u64, &mut sink);
                start = i + 1;
            }
        }
    }
    if start < data.len() {
        scanner.scan_block(m, &mut source, &data[start..], start as u64, &mut sink);
    }
    scanner.finish(m, &mut source, &mut sink);
    assert!(source.stats.candidates <= source.stats.lines + 1);
}

/// The literal sieve finds, at every stride, exactly the hits
/// `aho-corasick` finds, in line order.
pub fn sieve((literals, hay): (Vec<Vec<u8>>, Vec<u8>)) {
    let literals: Vec<Vec<u8>> = literals
        .into_iter()
        .filter(|l| l.len() >= 2 && !l.contains(&b'\n'))
        .take(200)
        .collect();
    if literals.is_empty() {
        return;
    }
    let ac = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(&literals)
        .unwrap();
    let mut expected: Vec<Hit> = ac
        .find_overlapping_iter(&hay)
        .map(|m| Hit {
            literal: m.pattern().as_usize(),
            start: m.start(),
        })
        .collect();
    expected.sort();
    let mut sieves = vec![Sieve::new(&literals), Sieve::with_stride(&literals, 1)];
    if literals.iter().all(|l| l.len() >= 3) {
        sieves.push(Sieve::with_stride(&literals, 2));
    }
    for sieve in &sieves {
        let mut found = Vec::new();
        sieve.for_each_hit(&hay, |hit| {
            found.push(hit);
            true
        });
        let lines: Vec<usize> = found
            .iter()
            .map(|h| hay[..h.start].iter().filter(|&&b| b == b'\n').count())
            .collect();
        assert!(
            lines.windows(2).all(|w| w[0] <= w[1]),
            "hits out of line order"
        );
        found.sort();
        assert_eq!(found, expected, "stride {}", sieve.stride());
    }
}
