//! The hot loop on its own: what it counts, what it decodes, and what it
//! hands the sink, block by block.

use super::*;
use crate::framing::Chunk;
use crate::sink::Match;

const RULES: &str = r#"
rules:
  - name: deadlock
    category: deadlock
    severity: error
    description: d
    action: a
    match:
      regex: '(?i)deadlock detected'
  - name: pool
    category: pool_exhaustion
    severity: critical
    description: d
    action: a
    match:
      regex: 'pool timed out'
"#;

/// A rule no literal covers: every line is a candidate for it.
const UNCOVERED: &str = r#"
rules:
  - name: error_code
    category: panic
    severity: error
    description: d
    action: a
    match:
      regex: '[A-Z]{3}\d{3}'
"#;

fn matcher(text: &str) -> Matcher {
    Matcher::new(RuleSet::from_texts(&[("t.yaml", text)]).unwrap())
}

/// (rule name, offset, raw line) of every match in `block`, and the stats.
fn scan(m: &Matcher, source: &mut SourceScan, block: &str) -> Vec<(String, u64, String)> {
    let mut hits = Vec::new();
    let mut scanner = Scanner::new(1024);
    scanner.scan_block(m, source, block.as_bytes(), 0, &mut |hit: &Match<'_>| {
        hits.push((
            hit.rule.name.clone(),
            hit.offset,
            String::from_utf8_lossy(hit.raw).into_owned(),
        ))
    });
    hits
}

#[test]
fn only_lines_holding_a_literal_are_decoded() {
    let m = matcher(RULES);
    let mut source = SourceScan::new(Some(Envelope::Raw));
    let block = concat!(
        "{\"msg\":\"all good\"}\n",
        "{\"msg\":\"DEADLOCK DETECTED in tx 7\"}\n",
        "plain text about a pool that is fine\n",
        "{\"msg\":\"deadlock\",\"note\":\"the word alone\"}\n",
        "ERROR: pool timed out\n",
    );
    let hits = scan(&m, &mut source, block);
    assert_eq!(
        hits,
        [
            (
                "deadlock".to_string(),
                19,
                "{\"msg\":\"DEADLOCK DETECTED in tx 7\"}".to_string()
            ),
            ("pool".to_string(), 135, "ERROR: pool timed out".to_string()),
        ]
    );
    let s = &source.stats;
    assert_eq!((s.lines, s.json_lines, s.text_lines), (5, 3, 2));
    assert_eq!(
        s.candidates, 2,
        "lines without a whole literal are never decoded"
    );
    assert_eq!(s.decoded_by_format.iter().sum::<u64>(), 2);
}

#[test]
fn colour_codes_neither_hide_a_match_nor_make_one() {
    let m = matcher(RULES);
    let mut source = SourceScan::new(Some(Envelope::Raw));
    // Colour codes split `pool timed out` in the raw line: the line is a
    // candidate for every rule, and the rules its decoded text may match
    // are tried. A coloured line without a rule's words stays unmatched.
    let block = concat!(
        "\x1b[2m2026-12-06T10:16:41Z\x1b[0m \x1b[31mERROR\x1b[0m \x1b[1mpool\x1b[0m timed out\n",
        "\x1b[2m2026-12-06T10:16:42Z\x1b[0m \x1b[32m INFO\x1b[0m all good\n",
        "\x1b[31mdead\x1b[0mlock detected\n",
        // An escape that is not a colour, taken out with what it escapes.
        "pool\x1b7 timed out\n",
    );
    let hits: Vec<String> = scan(&m, &mut source, block)
        .into_iter()
        .map(|(rule, _, _)| rule)
        .collect();
    assert_eq!(hits, ["pool", "deadlock", "pool"]);
    for line in block.lines() {
        let naive: Vec<_> = m
            .naive(line.as_bytes(), Envelope::Raw)
            .into_iter()
            .map(|(id, _)| m.rules.rules[id].name.clone())
            .collect();
        assert_eq!(
            naive.len(),
            usize::from(!line.contains("all good")),
            "{line:?}"
        );
    }
    assert_eq!(
        source.stats.candidates, 3,
        "a coloured line is decoded only when its text holds a literal"
    );
}

#[test]
fn unicode_escapes_neither_hide_a_match_nor_make_one() {
    let m = matcher(RULES);
    // JSON lines: escapes spell `deadlock` and `pool`; Python's ensure_ascii
    // escapes every non-ASCII letter of a routine line; a text line keeps
    // its escapes as written.
    let json = concat!(
        r#"{"msg":"\u0064eadlock detected"}"#,
        "\n",
        r#"{"msg":"\u0070ool timed out","user":"Jos\u00e9"}"#,
        "\n",
        r#"{"msg":"all good","user":"Jos\u00e9 M\u00fcller \ud83d\ude00"}"#,
        "\n",
        r#"java: deadlock detected at \u00e9"#,
        "\n",
    );
    let mut source = SourceScan::new(Some(Envelope::Raw));
    let hits: Vec<String> = scan(&m, &mut source, json)
        .into_iter()
        .map(|(rule, _, _)| rule)
        .collect();
    assert_eq!(hits, ["deadlock", "pool", "deadlock"]);
    assert_eq!(
        source.stats.candidates, 3,
        "a line with escapes is decoded only when its text, escapes read, holds a literal"
    );
    // The same inside Docker's json-file entries, where the application's
    // escapes are escaped once more and a colour code is `\u001b`.
    let docker = concat!(
        r#"{"log":"{\"msg\":\"\\u0064eadlock detected\"}\n","stream":"stdout","time":"2026-12-06T10:16:41Z"}"#,
        "\n",
        r#"{"log":"{\"msg\":\"all good\",\"user\":\"Jos\\u00e9\"}\n","stream":"stdout","time":"2026-12-06T10:16:41Z"}"#,
        "\n",
        r#"{"log":"\u001b[31mERROR\u001b[0m \u001b[1mpool\u001b[0m timed out\n","stream":"stdout","time":"2026-12-06T10:16:42Z"}"#,
        "\n",
        r#"{"log":"\u001b[32m INFO\u001b[0m all good\n","stream":"stdout","time":"2026-12-06T10:16:43Z"}"#,
        "\n",
    );
    let mut source = SourceScan::new(Some(Envelope::Docker));
    let hits: Vec<String> = scan(&m, &mut source, docker)
        .into_iter()
        .map(|(rule, _, _)| rule)
        .collect();
    assert_eq!(hits, ["deadlock", "pool"]);
    assert_eq!(source.stats.candidates, 2);
    for (block, envelope) in [(json, Envelope::Raw), (docker, Envelope::Docker)] {
        for line in block.lines() {
            let naive = m.naive(line.as_bytes(), envelope);
            assert_eq!(
                naive.len(),
                usize::from(!line.contains("all good")),
                "{line:?}"
            );
        }
    }
    // A field that is an array is read back as JSON text, where a control
    // character stays escaped: `\u0009imeout` is `\timeout` there.
    let m = matcher(&RULES.replace("pool timed out", "timeout reading"));
    let mut source = SourceScan::new(Some(Envelope::Raw));
    let line = r#"{"level":"error","msg":["\u0009imeout reading from socket"]}"#;
    let hits = scan(&m, &mut source, &format!("{line}\n"));
    assert_eq!(hits.len(), m.naive(line.as_bytes(), Envelope::Raw).len());
    assert_eq!(hits.len(), 1);
    // A string field holds a colour code written `\u001b` as the real code;
    // a regex may match across it where the rule's keyword does not.
    let m = matcher(
        r#"
rules:
  - name: connect_state
    category: timeout
    severity: warning
    description: d
    action: a
    match:
      regex: '\s\S+ \S+ sC[A-Z]{2}\s'
      keywords: ["- - sc"]
"#,
    );
    let line = r#"{"level":"warn","msg":"fe be/s1 504 -\u001b[31m - sCNN 0/0"}"#;
    let mut source = SourceScan::new(Some(Envelope::Raw));
    let hits = scan(&m, &mut source, &format!("{line}\n"));
    assert_eq!(hits.len(), m.naive(line.as_bytes(), Envelope::Raw).len());
    assert_eq!(hits.len(), 1);
}

#[test]
fn crlf_endings_are_not_part_of_the_line() {
    let m = matcher(RULES);
    let mut source = SourceScan::new(None);
    let hits = scan(
        &m,
        &mut source,
        "x\r\ndeadlock detected\r\nlast deadlock detected\r",
    );
    assert_eq!(
        hits,
        [
            ("deadlock".to_string(), 3, "deadlock detected".to_string()),
            (
                "deadlock".to_string(),
                22,
                "last deadlock detected".to_string()
            ),
        ]
    );
}

#[test]
fn bad_input_is_counted_by_kind() {
    let m = matcher(RULES);
    let mut source = SourceScan::new(Some(Envelope::Raw));
    let mut block = b"{\"msg\":\"cut off\n".to_vec();
    block.extend_from_slice(b"bad \xff\xfe utf-8 deadlock detected\n");
    block.extend_from_slice(b"nul \0 byte\n");
    block.extend_from_slice(b"{\"msg\":\"deadlock detected\",}\n");
    let mut hits = 0;
    let mut scanner = Scanner::new(1024);
    scanner.scan_block(&m, &mut source, &block, 0, &mut |_: &Match<'_>| hits += 1);
    let e = &source.stats.errors;
    assert_eq!(
        (
            e.truncated_json,
            e.invalid_utf8,
            e.nul_bytes,
            e.invalid_json
        ),
        (1, 1, 1, 1)
    );
    assert_eq!(hits, 2, "bad lines are still read, as text");
    // The head of an oversized line does not end its JSON: not truncation.
    scanner.scan(
        &m,
        &mut source,
        Chunk::Oversized {
            head: b"{\"msg\":\"deadlock detected",
            offset: 99,
        },
        &mut |_: &Match<'_>| hits += 1,
    );
    assert_eq!(source.stats.errors.truncated_json, 1);
    assert_eq!(source.stats.errors.oversized, 1);
    assert_eq!(hits, 3);
}

/// Offsets and raw lines of matches, collected.
#[derive(Default)]
struct Hits(Vec<(u64, String)>);

impl crate::sink::MatchSink for Hits {
    fn matched(&mut self, hit: &Match<'_>) {
        self.0
            .push((hit.offset, String::from_utf8_lossy(hit.raw).into_owned()));
    }
}

impl Hits {
    fn take(&mut self) -> Vec<(u64, String)> {
        std::mem::take(&mut self.0)
    }
}

#[test]
fn cri_partials_are_joined_per_source_and_capped_after_the_join() {
    let m = matcher(RULES);
    let mut scanner = Scanner::new(40);
    let (mut a, mut b) = (SourceScan::new(None), SourceScan::new(None));
    let mut sink = Hits::default();
    let t = "2026-11-22T08:00:00.000000000Z stdout";
    // Two sources interleave their parts through one scanner.
    scanner.scan_block(&m, &mut a, format!("{t} P dead\n").as_bytes(), 0, &mut sink);
    scanner.scan_block(
        &m,
        &mut b,
        format!("{t} P pool ti\n").as_bytes(),
        0,
        &mut sink,
    );
    scanner.scan_block(
        &m,
        &mut a,
        format!("{t} F lock detected\n").as_bytes(),
        45,
        &mut sink,
    );
    scanner.scan_block(
        &m,
        &mut b,
        format!("{t} F med out\n").as_bytes(),
        48,
        &mut sink,
    );
    assert_eq!(
        sink.take(),
        [
            (0, "deadlock detected".into()),
            (0, "pool timed out".into())
        ]
    );
    // A joined line longer than the cap is cut at the cap, once.
    let long = "x".repeat(30);
    scanner.scan_block(
        &m,
        &mut a,
        format!("{t} P {long}\n").as_bytes(),
        90,
        &mut sink,
    );
    scanner.scan_block(
        &m,
        &mut a,
        format!("{t} F {long} deadlock detected\n").as_bytes(),
        160,
        &mut sink,
    );
    assert!(sink.take().is_empty(), "the literal fell past the cap");
    assert_eq!(a.stats.errors.oversized, 1);
    // A part never finished is read when the source ends.
    scanner.scan_block(
        &m,
        &mut b,
        format!("{t} P deadlock detected\n").as_bytes(),
        300,
        &mut sink,
    );
    scanner.finish(&m, &mut b, &mut sink);
    assert_eq!(sink.take(), [(300, "deadlock detected".into())]);
}

/// A container's stdout and stderr interleave in one file, and the
/// runtime splits each stream's long lines on its own: a part of one
/// stream is never glued to a line of the other, and what comes between
/// the parts waits for the split line, so that the checkpoint's offset (the
/// first part's) leaves nothing scanned behind it.
#[test]
fn split_lines_are_joined_per_stream_in_file_order() {
    let m = matcher(RULES);
    let mut scanner = Scanner::new(1000);
    let mut sink = Hits::default();
    let t = "2026-11-22T08:00:00.000000000Z";
    let mut cri = SourceScan::new(None);
    let first = format!("{t} stdout P dead\n{t} stderr F pool timed out\n");
    scanner.scan_block(&m, &mut cri, first.as_bytes(), 0, &mut sink);
    assert_eq!(sink.take(), [], "the stderr line waits for the split line");
    assert_eq!(cri.held_from(), Some(0));
    let last = format!("{t} stdout F lock detected\n");
    scanner.scan_block(&m, &mut cri, last.as_bytes(), first.len() as u64, &mut sink);
    assert_eq!(
        sink.take(),
        [
            (0, "deadlock detected".into()),
            (45, "pool timed out".into())
        ]
    );
    assert_eq!(cri.held_from(), None);

    let entry = |log: &str, stream: &str| {
        format!(r#"{{"log":"{log}","stream":"{stream}","time":"2026-11-22T08:00:00.1Z"}}"#)
    };
    let block = [
        entry("dead", "stdout"),
        entry("pool timed out\\n", "stderr"),
        entry("lock detected\\n", "stdout"),
    ]
    .join("\n")
        + "\n";
    let mut docker = SourceScan::new(None);
    scanner.scan_block(&m, &mut docker, block.as_bytes(), 0, &mut sink);
    let hits: Vec<String> = sink.take().into_iter().map(|(_, line)| line).collect();
    assert_eq!(hits.len(), 2, "{hits:?}");
    assert!(hits[0].contains("deadlock detected"), "{hits:?}");
    assert!(hits[1].contains("pool timed out"), "{hits:?}");
    assert_eq!(docker.held_from(), None);
}

/// The other stream is not held back without end: past the line cap of
/// deferred lines, the split line is given up as unfinished.
#[test]
fn lines_deferred_behind_a_split_line_are_bounded() {
    let m = matcher(RULES);
    let mut scanner = Scanner::new(100);
    let mut sink = Hits::default();
    let t = "2026-11-22T08:00:00.000000000Z";
    let mut cri = SourceScan::new(None);
    let mut block = format!("{t} stdout P dead\n");
    for _ in 0..3 {
        block.push_str(&format!("{t} stderr F pool timed out\n"));
    }
    scanner.scan_block(&m, &mut cri, block.as_bytes(), 0, &mut sink);
    let hits = sink.take();
    assert_eq!(cri.stats.errors.unfinished, 1);
    assert_eq!(hits.len(), 3, "{hits:?}");
    assert!(!cri.held.open);
}

#[test]
fn rules_without_a_literal_see_every_line() {
    let m = matcher(UNCOVERED);
    assert!(!m.prefilter.scans_blocks());
    let mut source = SourceScan::new(None);
    let hits = scan(&m, &mut source, "ok\nfailed with ERR042\nE12\n");
    assert_eq!(
        hits,
        [("error_code".into(), 3, "failed with ERR042".into())]
    );
    assert_eq!(source.stats.candidates, 3);
}

#[test]
fn one_scanner_serves_matchers_swapped_between_passes() {
    let (small, big) = (matcher(UNCOVERED), matcher(RULES));
    let mut scanner = Scanner::new(1024);
    let mut source = SourceScan::new(None);
    let mut names = Vec::new();
    for m in [&small, &big, &small] {
        scanner.scan_block(
            m,
            &mut source,
            b"ERR042 pool timed out\n",
            0,
            &mut |hit: &Match<'_>| names.push(hit.rule.name.clone()),
        );
    }
    assert_eq!(names, ["error_code", "pool", "error_code"]);
}

/// Every record, whatever it says: a rule no literal covers.
const ANY: &str = r#"
rules:
  - name: any
    category: panic
    severity: error
    description: d
    action: a
    match:
      regex: '(?s).'
"#;

/// Real output of the JVM, CPython, Go, PostgreSQL and MariaDB (how each was
/// produced: tests/data/multiline/README.md), the grouping each is read
/// with, and its multi-line records as (first line, last line), 1-based;
/// blank lines that end a record are not part of what is matched.
type Fixture = (&'static str, records::Preset, &'static [(usize, usize)]);

const FIXTURES: &[Fixture] = &[
    (
        "java.log",
        records::Preset::Auto,
        &[(3, 18), (20, 32), (36, 164)],
    ),
    (
        "python.log",
        records::Preset::Auto,
        &[(3, 20), (22, 42), (44, 59)],
    ),
    ("go.log", records::Preset::Auto, &[(5, 37)]),
    ("go_signal.log", records::Preset::Auto, &[(4, 13)]),
    (
        "postgres.log",
        records::Preset::Auto,
        &[
            (5, 7),
            (8, 11),
            (12, 19),
            (20, 26),
            (27, 28),
            (29, 35),
            (36, 39),
            (40, 42),
            (43, 45),
            (46, 49),
        ],
    ),
    (
        "mariadb.log",
        records::Preset::Mysql,
        &[(20, 77), (80, 195)],
    ),
    ("mariadb.log", records::Preset::Auto, &[]),
];

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/data/multiline/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// Scans `text` in reads of `lines_per_read` lines, then ends the source;
/// returns each match's (first line, last line), 1-based.
fn records_matched(
    m: &Matcher,
    preset: records::Preset,
    text: &str,
    lines_per_read: usize,
) -> Vec<(usize, usize)> {
    let mut source = SourceScan::new(Some(Envelope::Raw));
    source.set_grouping(std::sync::Arc::new(records::Grouping {
        preset,
        ..Default::default()
    }));
    let mut scanner = Scanner::new(1 << 20);
    let mut found = Vec::new();
    let mut sink = |hit: &Match<'_>| {
        let first = text[..hit.offset as usize].matches('\n').count() + 1;
        let lines = String::from_utf8_lossy(hit.raw)
            .trim_end()
            .lines()
            .count()
            .max(1);
        found.push((first, first + lines - 1));
    };
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut offset = 0u64;
    for read in lines.chunks(lines_per_read) {
        let block = read.concat();
        scanner.scan_block(m, &mut source, block.as_bytes(), offset, &mut sink);
        offset += block.len() as u64;
    }
    scanner.finish(m, &mut source, &mut sink);
    assert_eq!(
        source.stats.lines,
        lines.len() as u64,
        "every physical line is counted once"
    );
    found
}

#[test]
fn real_multiline_output_is_matched_once_per_record() {
    let m = matcher(ANY);
    for (name, preset, expected) in FIXTURES {
        let text = fixture(name);
        let total = text.lines().count();
        // Read whole, and a line per read (records held between reads).
        for lines_per_read in [usize::MAX, 1, 7] {
            let mut found = records_matched(&m, *preset, &text, lines_per_read);
            // The log line before an exception joins it only when both come
            // in one read (a logger writes an event in one write).
            for (a, b) in expected.iter() {
                if let Some(i) = found.iter().position(|r| *r == (*a, *a)) {
                    if found.get(i + 1) == Some(&(a + 1, *b)) {
                        found[i] = (*a, *b);
                        found.remove(i + 1);
                    }
                }
            }
            let multi: Vec<(usize, usize)> = found.iter().copied().filter(|(a, b)| b > a).collect();
            assert_eq!(
                &multi, expected,
                "{name} ({preset:?}), {lines_per_read} lines per read"
            );
            let mut covered = vec![0; total + 1];
            for (a, b) in &found {
                (*a..=*b).for_each(|l| covered[l] += 1);
            }
            for (i, line) in text.lines().enumerate() {
                let n = covered[i + 1];
                assert!(
                    n == 1 || (n == 0 && line.is_empty()),
                    "{name}:{}: in {n} records",
                    i + 1
                );
            }
        }
    }
}

#[test]
fn a_record_is_matched_once_through_the_block_prefilter() {
    // The deadlock's ERROR line and its DETAIL lines both say "deadlock".
    let m = matcher(RULES);
    let text = fixture("postgres.log");
    let found = records_matched(&m, records::Preset::Auto, &text, usize::MAX);
    assert!(found.contains(&(12, 19)), "{found:?}");
    assert_eq!(found.iter().filter(|r| **r == (12, 19)).count(), 1);
}

#[test]
fn json_lines_are_never_merged_with_indented_lines() {
    let m = matcher(ANY);
    let text = "{\"msg\":\"a\"}\n\tat x.y(Z.java:1)\n  more\n{\"msg\":\"b\"}\n";
    let found = records_matched(&m, records::Preset::Java, text, usize::MAX);
    assert_eq!(found, vec![(1, 1), (2, 3), (4, 4)]);
}

fn grouped(m: &Matcher, grouping: records::Grouping, text: &str) -> Vec<(usize, usize)> {
    let mut source = SourceScan::new(Some(Envelope::Raw));
    source.set_grouping(std::sync::Arc::new(grouping));
    let mut scanner = Scanner::new(64);
    let mut found = Vec::new();
    let mut sink = |hit: &Match<'_>| {
        let first = text[..hit.offset as usize].matches('\n').count() + 1;
        found.push((
            first,
            first + hit.raw.iter().filter(|b| **b == b'\n').count(),
        ));
    };
    scanner.scan_block(m, &mut source, text.as_bytes(), 0, &mut sink);
    scanner.finish(m, &mut source, &mut sink);
    found
}

#[test]
fn a_group_of_your_own_starts_records_where_its_regex_says() {
    let m = matcher(ANY);
    let grouping = records::Grouping {
        start: Some(regex::bytes::Regex::new(r"^\[\d").unwrap()),
        ..Default::default()
    };
    let text = "[1] first\nmore of it\n  and more\n[2] second\n[3] third\nrest\n";
    assert_eq!(grouped(&m, grouping, text), vec![(1, 3), (4, 4), (5, 6)]);
    let grouping = records::Grouping {
        continues: Some(regex::bytes::Regex::new(r"^\+").unwrap()),
        ..Default::default()
    };
    let text = "one\n+ two\n+ three\nfour\n";
    assert_eq!(grouped(&m, grouping, text), vec![(1, 3), (4, 4)]);
}

#[test]
fn a_record_holds_at_most_500_lines_and_max_line_bytes() {
    let m = matcher(ANY);
    let mut text = String::from("2026-12-01 boom\n");
    for i in 0..600 {
        text.push_str(&format!("\tat f{i}\n"));
    }
    let mut source = SourceScan::new(Some(Envelope::Raw));
    let mut scanner = Scanner::new(1 << 20);
    let mut records = Vec::new();
    scanner.scan_block(&m, &mut source, text.as_bytes(), 0, &mut |hit: &Match<
        '_,
    >| {
        records.push(hit.raw.iter().filter(|b| **b == b'\n').count() + 1)
    });
    scanner.finish(&m, &mut source, &mut |hit: &Match<'_>| {
        records.push(hit.raw.iter().filter(|b| **b == b'\n').count() + 1)
    });
    assert_eq!(records, vec![500, 101]);
    // With a 64-byte cap the record is cut and counted once.
    let grouping = records::Grouping::default();
    let mut source = SourceScan::new(Some(Envelope::Raw));
    source.set_grouping(std::sync::Arc::new(grouping));
    let mut scanner = Scanner::new(64);
    let mut cut = Vec::new();
    let text = "2026-12-01 boom\n\tat a.b.c.d.e.f.g(H.java:1)\n\tat a.b.c.d.e.f.g(H.java:2)\n\tat x(Y.java:3)\n2026-12-01 next\n";
    scanner.scan_block(&m, &mut source, text.as_bytes(), 0, &mut |hit: &Match<
        '_,
    >| {
        cut.push(hit.raw.len())
    });
    assert_eq!(cut, vec![64, 15]);
    assert_eq!(source.stats.errors.oversized, 1);
}

/// A pack in which one category's words are learned from its examples:
/// `giving up` and `took too long` lean to `timeout`, a user's invalid
/// input to nothing.
const RESEMBLING: &str = include_str!("../../tests/data/resembling/slow.yaml");

/// (rule, severity, resembled) of each match of `line`.
fn resembling_matches(m: &Matcher, line: &str) -> Vec<(String, Severity, Option<f32>)> {
    let mut hits = Vec::new();
    let mut scanner = Scanner::new(1024);
    let mut source = SourceScan::new(Some(Envelope::Raw));
    let text = format!("{line}\n");
    scanner.scan_block(m, &mut source, text.as_bytes(), 0, &mut |hit: &Match<
        '_,
    >| {
        hits.push((hit.rule.name.clone(), hit.severity, hit.resembled))
    });
    hits
}

#[test]
fn a_record_no_rule_matched_counts_under_the_category_it_resembles() {
    let m = matcher(RESEMBLING);
    // No rule's regex matches; the words are the timeouts' words.
    let hits = resembling_matches(&m, "ERROR giving up on billing, it took ages");
    assert_eq!(hits.len(), 1, "{hits:?}");
    let (rule, severity, resembled) = &hits[0];
    assert_eq!(
        (rule.as_str(), *severity),
        ("took_too_long", Severity::Warning)
    );
    assert!(resembled.is_some_and(|p| p >= resemblance::MIN_PROBABILITY));
    // Logged at CRITICAL, a resemblance is still only a warning.
    let hits = resembling_matches(
        &m,
        "2026-12-06 10:00:00 CRITICAL giving up on billing, it took ages",
    );
    assert_eq!(hits[0].1, Severity::Warning);
    // The rule's own match is not a resemblance.
    let hits = resembling_matches(&m, "ERROR request to billing took too long");
    assert_eq!(hits, [("took_too_long".into(), Severity::Warning, None)]);
}

#[test]
fn routine_levels_other_words_and_lines_without_an_error_word_are_not_guessed() {
    let m = matcher(RESEMBLING);
    // A routine line, however it reads.
    assert_eq!(
        resembling_matches(&m, "INFO giving up on billing, fine"),
        []
    );
    assert_eq!(resembling_matches(&m, "WARN giving up on billing"), []);
    // At ERROR, but words of no category.
    assert_eq!(resembling_matches(&m, "ERROR invalid postcode entered"), []);
    // A JSON record at ERROR without any error word is not decoded for it.
    assert_eq!(
        resembling_matches(&m, r#"{"level":50,"msg":"giving up on billing"}"#),
        []
    );
}

#[test]
fn a_record_a_rule_set_aside_is_not_guessed_into_its_category() {
    // The rule knows `giving up` too, but not when it is done on purpose.
    let m = matcher(&RESEMBLING.replace(
        "      regex: 'took too long'\n",
        "      regex: 'took too long|giving up'\n      unless: 'on purpose'\n",
    ));
    let line = "ERROR giving up on billing on purpose, it took ages";
    let record = crate::decode::decode(line.as_bytes(), Envelope::Raw, None);
    let guess = m.resemblance(&record).expect("at ERROR with an error word");
    assert!(guess.counted_by.is_some(), "{guess:?}");
    // The words resemble `timeout`, but the rule of `timeout` said they
    // are its routine sense here.
    assert_eq!(resembling_matches(&m, line), []);
    // Without the words the rule sets aside, it is the rule's own match.
    assert_eq!(
        resembling_matches(&m, "ERROR giving up on billing, it took ages"),
        [("took_too_long".into(), Severity::Warning, None)]
    );
}

#[test]
fn a_pack_without_a_resembles_rule_guesses_nothing() {
    let m = matcher(&RESEMBLING.replace("    resembles: true\n", ""));
    assert_eq!(resembling_matches(&m, "ERROR giving up on billing"), []);
}
