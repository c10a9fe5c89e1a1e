//! The literal sieve against aho-corasick (ASCII case-insensitive,
//! overlapping) on arbitrary literals and haystacks, at both strides: the
//! same occurrences, each once, and hits line by line.
//!
//!     RUSTC_BOOTSTRAP=1 cargo fuzz run sieve

#![no_main]

use aho_corasick::AhoCorasick;
use libfuzzer_sys::fuzz_target;
use tailwatch::sieve::{Hit, Sieve};

fuzz_target!(|input: (Vec<Vec<u8>>, Vec<u8>)| {
    let (literals, hay) = input;
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
});
