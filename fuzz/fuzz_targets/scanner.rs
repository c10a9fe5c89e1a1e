//! The scanner with the shipped pack over arbitrary bytes, lent in
//! arbitrary chunks as framing would lend them, with multi-line grouping:
//! nothing panics, and every line is counted once.
//!
//!     RUSTC_BOOTSTRAP=1 cargo fuzz run scanner

#![no_main]

use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use tailwatch::matcher::records::Grouping;
use tailwatch::matcher::{Matcher, Scanner, SourceScan};
use tailwatch::sink::Match;

fn matcher() -> &'static Matcher {
    static M: OnceLock<Matcher> = OnceLock::new();
    M.get_or_init(|| Matcher::new(tailwatch::rules::RuleSet::embedded()))
}

fuzz_target!(|input: (Vec<u8>, u8)| {
    let (data, cut) = input;
    let m = matcher();
    let mut scanner = Scanner::new(4096);
    let mut source = SourceScan::new(None);
    source.set_grouping(Arc::new(Grouping::default()));
    let mut sink = |_: &Match<'_>| {};
    // Blocks end after a newline, as framing lends them; the cut byte
    // chooses how many newlines go in each.
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
});
