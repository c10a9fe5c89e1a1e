//! The prefiltered scanner finds exactly what decoding every line and
//! running every rule on it finds, over generated lines: the rules' own
//! examples and the real lines of `patterns/corpus/`, spliced, mutated,
//! escaped, case-flipped and relevelled.

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

/// The lines of the labelled corpus of real log lines.
fn corpus_lines() -> Vec<String> {
    let mut lines: Vec<String> = crate::corpus::corpus()
        .into_iter()
        .map(|e| e.line)
        .collect();
    lines.sort();
    lines
}

fn example_lines() -> Vec<String> {
    matcher()
        .rules
        .rules
        .iter()
        .flat_map(|r| r.examples_match.iter().chain(&r.examples_no_match).cloned())
        .chain(corpus_lines())
        .collect()
}

/// Levels as the formats write them, swapped for one another so that rules
/// whose severity follows the line's level see every level.
const LEVEL_SWAPS: &[(&str, &str)] = &[
    ("\"INFO\"", "\"WARN\""),
    ("\"WARN\"", "\"ERROR\""),
    ("\"ERROR\"", "\"INFO\""),
    ("\"info\"", "\"warn\""),
    ("\"warn\"", "\"error\""),
    ("\"error\"", "\"debug\""),
    ("\"level\":30", "\"level\":40"),
    ("\"level\":40", "\"level\":50"),
    (" INFO ", " WARN "),
    (" WARN ", " ERROR "),
    ("LOG:  ", "WARNING:  "),
];

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
    (0..n, 0..n, 0usize..13, any::<u64>(), 1usize..7).prop_map(move |(a, b, how, seed, every)| {
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
            // Logged at another level.
            7 => {
                let (from, to) = LEVEL_SWAPS[seed as usize % LEVEL_SWAPS.len()];
                ex.replacen(from, to, 1)
            }
            // Coloured, a code splitting the words wherever it falls,
            // or another escape taken out with what it escapes.
            8 => {
                let i = cut(ex, seed);
                let escape = ["\x1b[1;31m", "\x1b[0m", "\x1b7"][seed as usize % 3];
                format!("\x1b[2m{}{escape}{}\x1b[0m", &ex[..i], &ex[i..])
            }
            // A JSON message coloured by escaped codes (`\u001b[31m`),
            // one wherever it falls.
            9 => {
                let i = cut(ex, seed);
                format!(
                    r#"{{"level":"warn","msg":"{}\u001b[31m{}\u001b[0m"}}"#,
                    json_escape_some(&ex[..i], every + 5),
                    json_escape_some(&ex[i..], every + 5)
                )
            }
            // An escape after an escaped backslash, which JSON reads as
            // text, beside the example's text.
            10 => format!(
                r#"{{"msg":"\\u0041 {} \\u{:04x}"}}"#,
                json_escape_some(ex, every),
                seed % 0x80
            ),
            // A message that is an array, which decoding reads back as
            // JSON text, where a control character is written as `\t`,
            // `\n`, ...: the first such letter after the cut is sent as
            // that character, `\u0009` for the `t` of `timeout`.
            11 => {
                let (head, tail) = ex.split_at(cut(ex, seed));
                let tail = match tail.find(['b', 'f', 'n', 'r', 't']) {
                    Some(k) => {
                        let code = match tail.as_bytes()[k] {
                            b'b' => 8,
                            b'f' => 12,
                            b'n' => 10,
                            b'r' => 13,
                            _ => 9,
                        };
                        format!(
                            "{}\\u{code:04x}{}",
                            json_escape_some(&tail[..k], every + 5),
                            json_escape_some(&tail[k + 1..], every + 5)
                        )
                    }
                    None => json_escape_some(tail, every + 5),
                };
                format!(
                    r#"{{"level":"error","msg":["{}{tail}"]}}"#,
                    json_escape_some(head, every + 5)
                )
            }
            _ => ex.to_uppercase(),
        }
    })
}

/// `line` as Docker's json-file driver writes it: JSON-escaped into the
/// `log` of an entry, control characters (a colour code's escape) as `\u`.
fn docker_entry(line: &str) -> String {
    let mut log = String::new();
    for c in line.chars() {
        match c {
            '"' | '\\' => {
                log.push('\\');
                log.push(c);
            }
            '\n' => log.push_str("\\n"),
            '\t' => log.push_str("\\t"),
            c if c.is_control() => log.push_str(&format!("\\u{:04x}", c as u32)),
            c => log.push(c),
        }
    }
    format!(r#"{{"log":"{log}\n","stream":"stdout","time":"2026-12-06T10:00:00.000000000Z"}}"#)
}

/// Each line's matches as the scanner reports them, and how many it left
/// out as another record of an event already counted (`event_key`).
fn scanned(lines: &[String], envelope: Envelope) -> (Vec<Vec<(RuleId, Severity)>>, u64) {
    let mut block = String::new();
    let mut starts = Vec::new();
    for l in lines {
        starts.push(block.len() as u64);
        block.push_str(&l.replace('\n', " "));
        block.push('\n');
    }
    let mut found = vec![Vec::new(); lines.len()];
    let mut scanner = Scanner::new(usize::MAX);
    let mut source = SourceScan::new(Some(envelope));
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
    (found, source.stats.repeated_events)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn prefiltered_matches_equal_naive_evaluation(lines in prop::collection::vec(line_strategy(), 1..24)) {
        holds_for(&lines, Envelope::Raw)?;
    }

    #[test]
    fn prefiltered_matches_equal_naive_evaluation_in_docker_entries(lines in prop::collection::vec(line_strategy(), 1..24)) {
        let entries: Vec<String> = lines.iter().map(|l| docker_entry(&l.replace('\n', " "))).collect();
        holds_for(&entries, Envelope::Docker)?;
    }
}

/// The scanner reports for each line what decoding and evaluating every
/// rule on it finds.
fn holds_for(lines: &[String], envelope: Envelope) -> Result<(), TestCaseError> {
    let (got, repeated) = scanned(lines, envelope);
    let rules = &matcher().rules.rules;
    // The scanner counts an event once (one count per symptom): a
    // match of a rule with an `event_key` whose category an earlier
    // line already matched may be left out, and each one left out is
    // counted in `repeated_events`. Nothing else may differ.
    let mut events_seen = std::collections::HashSet::new();
    let mut left_out = 0;
    for (line, got) in lines.iter().zip(got) {
        let want = matcher().naive(line.replace('\n', " ").as_bytes(), envelope);
        let kept: Vec<(RuleId, Severity)> = want
            .iter()
            .copied()
            .filter(|w| {
                let rule = &rules[w.0];
                let repeat = !got.contains(w)
                    && rule.event_key.is_some()
                    && events_seen.contains(&rule.category);
                left_out += u64::from(repeat);
                !repeat
            })
            .collect();
        for w in &want {
            if rules[w.0].event_key.is_some() {
                events_seen.insert(rules[w.0].category.clone());
            }
        }
        prop_assert_eq!(got, kept, "line: {}", line);
    }
    prop_assert_eq!(repeated, left_out);
    Ok(())
}

/// The property above only covers what the pack uses: it must use every
/// kind of condition a rule can state.
#[test]
fn the_pack_exercises_every_rule_feature() {
    let rules = &matcher().rules.rules;
    let uses = |what: &str, f: &dyn Fn(&tailwatch::rules::Rule) -> bool| {
        assert!(rules.iter().any(f), "no shipped rule uses {what}");
    };
    uses("level_severity", &|r| !r.level_severity.is_empty());
    uses("match.present", &|r| !r.present.is_empty());
    uses("extract from a capture", &|r| {
        r.extract.iter().any(|e| e.capture.is_some())
    });
    uses("escalate on a capture", &|r| {
        r.escalate
            .iter()
            .any(|e| !matches!(e.when.operand, tailwatch::rules::Operand::Field))
    });
    uses("match.when", &|r| r.when.is_some());
    uses("an extract that feeds no metric", &|r| {
        r.extract.iter().any(|e| e.metric.is_none())
    });
    uses("level_ceiling", &|r| !r.level_ceiling.is_empty());
    uses("match.unless", &|r| r.unless.is_some());
    uses("match.unless_below", &|r| r.unless_below.is_some());
    uses("event_key", &|r| r.event_key.is_some());
    uses("an extract from a capture, else a field", &|r| {
        r.extract.iter().any(|e| e.or_field.is_some())
    });
    uses("extract from a field", &|r| {
        r.extract.iter().any(|e| e.capture.is_none())
    });
    uses("a multi-line regex", &|r| {
        r.regex.as_str().contains("(?m") || r.regex.as_str().contains("(?s")
    });
    uses("a field other than message and error", &|r| {
        r.fields.iter().any(|f| {
            !matches!(
                f,
                tailwatch::decode::FieldRef::Message | tailwatch::decode::FieldRef::Error
            )
        })
    });
}

/// Multi-line entries of the corpus (and multi-line examples), grouped by
/// the scanner: every match is one the naive evaluation of its record
/// makes, and every rule the naive evaluation finds in the whole entry is
/// found, or for a catch-all a specific rule of its category. (An entry
/// may hold more than one record.)
fn check_grouped(text: &str) {
    let mut scanner = Scanner::new(usize::MAX);
    let mut source = SourceScan::new(Some(Envelope::Raw));
    source.set_grouping(std::sync::Arc::new(Grouping::default()));
    let mut got = Vec::new();
    let mut sink = |m: &Match<'_>| {
        let record = String::from_utf8_lossy(m.raw).into_owned();
        got.push((m.rule_id, m.severity, record));
    };
    let block = format!("{text}\n");
    scanner.scan_block(matcher(), &mut source, block.as_bytes(), 0, &mut sink);
    scanner.finish(matcher(), &mut source, &mut sink);
    for (id, severity, record) in &got {
        let naive = matcher().naive(record.as_bytes(), Envelope::Raw);
        assert!(
            naive.contains(&(*id, *severity)),
            "rule {id} at {severity:?} not confirmed on its record:\n{record}"
        );
    }
    let rules = &matcher().rules.rules;
    for (id, _) in matcher().naive(text.as_bytes(), Envelope::Raw) {
        // A catch-all that the whole text gets may be one a record's
        // specific rule of its category stands in for.
        assert!(
            got.iter().any(|(g, _, _)| {
                *g == id || (rules[id].fallback && rules[*g].category == rules[id].category)
            }),
            "rule {} missed in:\n{text}",
            rules[id].name
        );
    }
}

#[test]
fn grouped_records_match_as_their_joined_text() {
    let examples = matcher()
        .rules
        .rules
        .iter()
        .flat_map(|r| r.examples_match.iter().chain(&r.examples_no_match).cloned());
    for text in corpus_lines()
        .into_iter()
        .chain(examples)
        .filter(|l| l.contains('\n'))
    {
        check_grouped(&text);
    }
}

#[test]
fn every_must_match_example_is_found_by_the_scanner() {
    for rule in &matcher().rules.rules {
        // Multi-line examples are records: `grouped_records_match_as_their_joined_text`.
        let lines: Vec<String> = rule
            .examples_match
            .iter()
            .filter(|l| !l.contains('\n'))
            .cloned()
            .collect();
        let (found, _) = scanned(&lines, Envelope::Raw);
        for (line, hits) in lines.iter().zip(found) {
            let rules = &matcher().rules.rules;
            // A catch-all's line may be counted by a specific rule instead.
            assert!(
                hits.iter().any(|(id, _)| {
                    rules[*id].name == rule.name
                        || (rule.fallback && rules[*id].category == rule.category)
                }),
                "{}: {line}",
                rule.name
            );
        }
    }
}

#[path = "../benches/corpus.rs"]
#[allow(dead_code)]
mod bench_corpus;

/// The prefilter keeps the shipped pack's work to the lines that may be
/// trouble: on the generated corpus (2 % trouble, routine lines full of
/// `connection`, `command`, `read`, `timeout` in benign senses), the lines
/// decoded and matched stay a few percent. A rule whose cover is a word
/// every routine line holds (once `read`, from `read timeout`) makes every
/// line a candidate and fails this, however fast the machine.
#[test]
fn the_shipped_pack_decodes_only_the_lines_that_may_be_trouble() {
    let mut text = String::new();
    bench_corpus::generate(&mut text, 50_000, 7, 0.02);
    let mut scanner = Scanner::new(256 * 1024);
    let mut source = SourceScan::new(None);
    let mut matches = 0u64;
    scanner.scan_block(
        matcher(),
        &mut source,
        text.as_bytes(),
        0,
        &mut |_: &Match<'_>| matches += 1,
    );
    let stats = &source.stats;
    assert_eq!(stats.lines, 50_000);
    assert!(matches > 500, "{matches} matches");
    assert!(
        stats.candidates * 100 < stats.lines * 5,
        "{} of {} lines were candidates",
        stats.candidates,
        stats.lines
    );
}
