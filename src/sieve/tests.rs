//! The sieve against `aho-corasick` (overlapping, ASCII case-insensitive)
//! as the oracle: every occurrence of every literal, nothing else.

use super::*;
use aho_corasick::AhoCorasick;
use proptest::prelude::*;

/// Every (literal, start) the oracle finds, sorted.
fn oracle(literals: &[Vec<u8>], hay: &[u8]) -> Vec<Hit> {
    let ac = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(literals)
        .unwrap();
    let mut hits: Vec<Hit> = ac
        .find_overlapping_iter(hay)
        .map(|m| Hit {
            literal: m.pattern().as_usize(),
            start: m.start(),
        })
        .collect();
    hits.sort();
    hits
}

/// What the sieve finds, sorted, at every stride the literals allow (and
/// the same whatever the stride).
fn sieved(literals: &[Vec<u8>], hay: &[u8]) -> Vec<Hit> {
    let strides: &[usize] = if literals.iter().all(|l| l.len() >= 3) {
        &[1, 2]
    } else {
        &[1]
    };
    let mut found: Option<Vec<Hit>> = None;
    for &stride in strides {
        let sieve = Sieve::with_stride(literals, stride);
        let mut hits = Vec::new();
        sieve.for_each_hit(hay, |h| {
            hits.push(h);
            true
        });
        hits.sort();
        if let Some(before) = &found {
            assert_eq!(before, &hits, "stride {stride} differs");
        }
        found = Some(hits);
    }
    found.expect("a stride")
}

#[test]
fn finds_each_occurrence_once_whatever_the_case() {
    let literals: Vec<Vec<u8>> = [
        "deadlock detected",
        "timed out",
        "\\u",
        "Pool Timed Out",
        "ab",
        "abab",
        "x\u{212A}y",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    let hay = "ERROR: DEADLOCK DETECTED; pool timed out\\u00e9 ababab X\u{212A}Y".as_bytes();
    assert_eq!(sieved(&literals, hay), oracle(&literals, hay));
    assert_eq!(sieved(&literals, b""), vec![]);
    assert_eq!(sieved(&literals, b"a"), vec![]);
    assert_eq!(sieved(&literals, b"ab"), oracle(&literals, b"ab"));
}

#[test]
fn many_literals_in_every_bucket_and_every_length() {
    let words = [
        "timeout",
        "deadlock",
        "serializ",
        "pool",
        "exhausted",
        "connection",
        "refused",
        "kafka",
        "lag",
        "projection",
        "behind",
        "oom",
        "killed",
        "panicked",
        "queuepool",
        "too many clients",
        "sqlstate 40001",
        "could not obtain lock",
        "hikaripool",
    ];
    let mut literals: Vec<Vec<u8>> = Vec::new();
    for (i, a) in words.iter().enumerate() {
        for b in &words[i..] {
            literals.push(format!("{a} {b}").into_bytes());
        }
        literals.push(a.as_bytes().to_vec());
    }
    let mut hay = Vec::new();
    for (i, lit) in literals.iter().enumerate().step_by(3) {
        hay.extend_from_slice(b"{\"level\":\"info\",\"msg\":\"");
        let mut l = lit.clone();
        if i % 2 == 0 {
            l.make_ascii_uppercase();
        }
        hay.extend_from_slice(&l);
        hay.extend_from_slice(b"\"}\n");
    }
    assert_eq!(sieved(&literals, &hay), oracle(&literals, &hay));
}

/// Bytes drawn mostly from a small alphabet, so that literals occur.
fn bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![
            8 => prop::sample::select(b"abcABC x_\n".to_vec()),
            1 => any::<u8>(),
        ],
        0..max,
    )
}

#[test]
fn the_cheaper_stride_is_chosen_and_short_literals_force_stride_one() {
    let long = [
        "deadlock detected",
        "could not obtain lock on row",
        "too many clients",
    ];
    assert_eq!(Sieve::new(&long).stride(), 2);
    let mut with_short = long.to_vec();
    with_short.push("\\u");
    assert_eq!(Sieve::new(&with_short).stride(), 1);
}

#[test]
fn anchors_avoid_stretches_of_routine_lines() {
    let literals = ["command execution timed out"];
    let routine = ["INFO command execution completed in 3ms"];
    let sieve = Sieve::with_routine(&literals, &routine);
    let anchor = sieve.anchors().next().unwrap().to_vec();
    let routine = routine[0].to_ascii_lowercase().into_bytes();
    assert!(
        !routine.windows(anchor.len()).any(|w| w == anchor),
        "{:?}",
        String::from_utf8_lossy(&anchor)
    );
}

#[test]
fn lowercases_a_word_as_ascii_lowercasing_does_every_byte() {
    for b in 0..=255u8 {
        for filler in [0u8, b'A', b'z', 0x80, 0xFF] {
            for at in 0..8 {
                let mut bytes = [filler; 8];
                bytes[at] = b;
                let word = u64::from_le_bytes(bytes);
                assert_eq!(
                    lowercase_word(word).to_le_bytes().to_vec(),
                    bytes.to_ascii_lowercase(),
                    "{bytes:?}"
                );
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn agrees_with_aho_corasick(
        literals in prop::collection::vec(
            prop::collection::vec(
                prop_oneof![
                    8 => prop::sample::select(b"abcABC x_".to_vec()),
                    1 => any::<u8>(),
                ],
                2..14,
            ),
            1..40,
        ),
        hay in bytes(300),
    ) {
        prop_assert_eq!(sieved(&literals, &hay), oracle(&literals, &hay));
    }

    /// The prefilter relies on this: with no literal holding a newline,
    /// the hits of one line come before those of the next.
    #[test]
    fn hits_come_line_by_line(
        literals in prop::collection::vec(
            prop::collection::vec(prop::sample::select(b"abcAB x".to_vec()), 2..12),
            1..30,
        ),
        hay in bytes(600),
    ) {
        for &stride in &[1, 2] {
            if stride == 2 && literals.iter().any(|l| l.len() < 3) {
                continue;
            }
            let sieve = Sieve::with_stride(&literals, stride);
            let mut lines = Vec::new();
            sieve.for_each_hit(&hay, |h| {
                lines.push(hay[..h.start].iter().filter(|&&b| b == b'\n').count());
                true
            });
            prop_assert!(lines.windows(2).all(|w| w[0] <= w[1]), "{:?}", lines);
        }
    }

    #[test]
    fn agrees_with_aho_corasick_on_literals_taken_from_the_haystack(
        hay in bytes(400),
        picks in prop::collection::vec((0usize..400, 2usize..20), 1..30),
    ) {
        let literals: Vec<Vec<u8>> = picks
            .iter()
            .filter(|(at, len)| at + len <= hay.len())
            .map(|(at, len)| hay[*at..at + len].to_vec())
            .collect();
        prop_assume!(!literals.is_empty());
        prop_assert_eq!(sieved(&literals, &hay), oracle(&literals, &hay));
    }
}
