//! The prefiltered scanner finds exactly what decoding every line and
//! running every rule on it finds, over generated lines: the rules' own
//! examples, spliced, mutated, escaped and case-flipped.

use proptest::prelude::*;
use tailwatch::decode::Envelope;
use tailwatch::matcher::records::{Grouping, Preset};
use tailwatch::matcher::{Matcher, Scanner, SourceScan};
use tailwatch::rules::{RuleId, RuleSet, Severity};
use tailwatch::sink::Match;

fn matcher() -> &'static Matcher {
    static M: std::sync::OnceLock<Matcher> = std::sync::OnceLock::new();
    M.get_or_init(|| Matcher::new(RuleSet::embedded()))
}

fn example_lines() -> Vec<String> {
    matcher()
        .rules
        .rules
        .iter()
        .flat_map(|r| r.examples_match.iter().chain(&r.examples_no_match).cloned())
        .collect()
}

/// Writes `s` as JSON string content with every non-ASCII char and some
/// ASCII ones as `\u` escapes, as some JSON encoders do.
fn json_escape_some(s: &str, every: usize) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if !c.is_ascii() || (c.is_ascii_alphabetic() && i % every == 0) {
            let mut buf = [0u16; 2];
            for unit in c.encode_utf16(&mut buf) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else if c == '"' || c == '\\' {
            out.push('\\');
            out.push(c);
        } else {
            out.push(c);
        }
    }
    out
}

/// A line built from a rule example by one of several transformations.
fn line_strategy() -> impl Strategy<Value = String> {
    let examples = example_lines();
    let n = examples.len();
    (0..n, 0..n, 0usize..8, any::<u64>(), 1usize..7).prop_map(move |(a, b, how, seed, every)| {
        let ex = &examples[a];
        let other = &examples[b];
        let cut = |s: &str, at: u64| {
            let mut i = (at as usize) % (s.len() + 1);
            while !s.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        match how {
            0 => ex.clone(),
            // Text of one example inside another's message.
            1 => {
                let i = cut(other, seed);
                format!("{}{}{}", &other[..i], ex.replace('\n', " "), &other[i..])
            }
            // The example's text as an escaped JSON message.
            2 => format!(
                r#"{{"level":"error","msg":"{}"}}"#,
                json_escape_some(ex, every)
            ),
            // Case flipped, including letters with non-ASCII case folds.
            3 => ex
                .chars()
                .enumerate()
                .map(|(i, c)| match (c, (i as u64 + seed) % 5) {
                    ('k', 0) | ('K', 0) => '\u{212A}'.to_string(),
                    ('s', 0) | ('S', 0) => '\u{17F}'.to_string(),
                    (c, 1) => c.to_uppercase().to_string(),
                    (c, _) => c.to_lowercase().to_string(),
                })
                .collect(),
            // Truncated mid-line.
            4 => ex[..cut(ex, seed)].to_string(),
            // Non-ASCII text around the example's words.
            5 => format!(
                r#"{{"msg":"Ärger: {} — ошибка"}}"#,
                ex.replace(['"', '\\'], "'")
            ),
            // A Serilog template whose rendered message holds the words.
            6 => {
                let i = cut(ex, seed);
                let (x, y) = ex.split_at(i);
                let esc = |s: &str| {
                    s.replace('\\', "\\\\")
                        .replace('"', "\\\"")
                        .replace(['{', '}'], "")
                };
                format!(
                    r#"{{"@t":"2026-11-22T08:00:00Z","@mt":"{}{{P}}","P":"{}"}}"#,
                    esc(x),
                    esc(y)
                )
            }
            _ => ex.to_uppercase(),
        }
    })
}

fn scanned(lines: &[String]) -> Vec<Vec<(RuleId, Severity)>> {
    let mut block = String::new();
    let mut starts = Vec::new();
    for l in lines {
        starts.push(block.len() as u64);
        block.push_str(&l.replace('\n', " "));
        block.push('\n');
    }
    let mut found = vec![Vec::new(); lines.len()];
    let mut scanner = Scanner::new(usize::MAX);
    let mut source = SourceScan::new(Some(Envelope::Raw));
    // Line by line, as the naive evaluation sees them: no multi-line records.
    source.set_grouping(std::sync::Arc::new(Grouping {
        preset: Preset::Off,
        ..Grouping::default()
    }));
    let mut sink = |m: &Match<'_>| {
        let i = starts
            .binary_search(&m.offset)
            .expect("offset is a line start");
        found[i].push((m.rule_id, m.severity));
    };
    scanner.scan_block(matcher(), &mut source, block.as_bytes(), 0, &mut sink);
    scanner.finish(matcher(), &mut source, &mut sink);
    found
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn prefiltered_matches_equal_naive_evaluation(lines in prop::collection::vec(line_strategy(), 1..24)) {
        let got = scanned(&lines);
        for (line, got) in lines.iter().zip(got) {
            let want = matcher().naive(line.replace('\n', " ").as_bytes(), Envelope::Raw);
            prop_assert_eq!(got, want, "line: {}", line);
        }
    }
}

#[test]
fn every_must_match_example_is_found_by_the_scanner() {
    for rule in &matcher().rules.rules {
        let found = scanned(&rule.examples_match);
        for (line, hits) in rule.examples_match.iter().zip(found) {
            assert!(
                hits.iter()
                    .any(|(id, _)| matcher().rules.rules[*id].name == rule.name),
                "{}: {line}",
                rule.name
            );
        }
    }
}
