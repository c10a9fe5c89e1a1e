//! What the pack does not recognise: unmatched WARN+ records counted,
//! clustered into templates, shown in the report and metrics, and turned
//! into rules by `tailwatch suggest` that check, test and hold on real
//! logs.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::Arc;
use std::time::Duration;

use tailwatch::aggregate::{AggregateSettings, Aggregation, Clock};
use tailwatch::matcher::records::Grouping;
use tailwatch::matcher::{Matcher, Scanner, SourceScan};
use tailwatch::mine::suggest::{rule_file, suggest};
use tailwatch::rules::{RuleSet, Severity};
use tailwatch::sink::{Match, MatchSink, Unmatched};

use crate::corpus::{corpus, Entry};
use crate::sidecar::{appender, Agent};
use crate::util::{run, scan_json, stderr, stdout};

/// JSON lines at `level` saying `message`, at consecutive seconds.
fn json_lines(level: &str, messages: &[String]) -> String {
    messages
        .iter()
        .enumerate()
        .map(|(i, m)| {
            format!(
                "{{\"time\":\"2026-12-01T10:00:{:02}Z\",\"level\":\"{level}\",\"msg\":{}}}\n",
                i % 60,
                serde_json::to_string(m).unwrap()
            )
        })
        .collect()
}

/// Unknown trouble in three shapes, each seen several times with other
/// ids, hosts and durations.
fn unknown_trouble() -> String {
    let mut text = String::new();
    text += &json_lines(
        "error",
        &(0..6)
            .map(|i| format!("ledger sync to 10.0.{i}.4 failed after {}ms", 100 + i * 37))
            .collect::<Vec<_>>(),
    );
    text += &json_lines(
        "warn",
        &(0..4)
            .map(|i| {
                format!(
                    "quota service answered slowly for tenant acme-{i} in {}.5s",
                    i + 1
                )
            })
            .collect::<Vec<_>>(),
    );
    text += &json_lines(
        "error",
        &(0..3)
            .map(|i| {
                format!(
                    "reconciliation batch b-{i}7 rejected by clearing house: code {}",
                    40 + i
                )
            })
            .collect::<Vec<_>>(),
    );
    text
}

#[derive(Default)]
struct Seen {
    matched: Vec<String>,
    unmatched: Vec<(String, usize)>,
}

impl MatchSink for Seen {
    fn matched(&mut self, m: &Match<'_>) {
        self.matched.push(m.rule.name.clone());
    }

    fn unmatched(&mut self, u: &Unmatched<'_>) {
        self.unmatched
            .push((String::from_utf8_lossy(u.raw).into_owned(), u.level));
    }
}

#[test]
fn a_line_some_rule_matches_never_reaches_the_miner() {
    let matcher = Matcher::new(RuleSet::embedded());
    let lines = [
        // A rule knows it (at error).
        r#"{"level":"error","msg":"ERROR: deadlock detected"}"#,
        // A rule knows it at info only: still known, not unmatched.
        r#"{"level":"error","msg":"http: panic serving 10.0.0.1:5000: boom"}"#,
        // No rule knows these.
        r#"{"level":"error","msg":"ledger sync to 10.0.0.4 failed after 1.5s"}"#,
        "2026-12-01 10:00:00 job 7 FAILED with code 3",
        // Routine: not trouble, whatever the words.
        r#"{"level":"info","msg":"ledger sync failed over to the replica, as planned"}"#,
        r#"{"level":"debug","msg":"error budget 99.9%"}"#,
    ];
    let text = lines.join("\n") + "\n";
    let mut seen = Seen::default();
    let mut scanner = Scanner::new(1 << 20);
    let mut source = SourceScan::new(None);
    scanner.scan_block(&matcher, &mut source, text.as_bytes(), 0, &mut seen);
    scanner.finish(&matcher, &mut source, &mut seen);
    assert_eq!(seen.matched.len(), 2, "{:?}", seen.matched);
    assert_eq!(
        seen.unmatched,
        vec![(lines[2].to_string(), 1), (lines[3].to_string(), 3)]
    );
    assert_eq!(source.stats.unmatched, [0, 1, 0, 1]);
}

#[test]
fn the_report_says_how_much_went_unmatched_with_its_templates() {
    let report = scan_json(unknown_trouble().as_bytes(), &[]);
    let u = &report["unmatched"];
    assert_eq!(u["lines"], 13, "{u:#}");
    assert_eq!(u["by_level"]["error"], 9);
    assert_eq!(u["by_level"]["warn"], 4);
    assert_eq!(report["sources"][0]["unmatched"], 13);
    let templates: Vec<(String, u64)> = u["templates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["template"].as_str().unwrap().to_string(),
                t["count"].as_u64().unwrap(),
            )
        })
        .collect();
    // Lines that differ only in ids, addresses, numbers and durations
    // share a template; different messages do not.
    assert_eq!(
        templates,
        vec![
            ("ledger sync to <*> failed after <*>".to_string(), 6),
            (
                "quota service answered slowly for tenant <*> in <*>".to_string(),
                4
            ),
            (
                "reconciliation batch <*> rejected by clearing house: code <*>".to_string(),
                3
            ),
        ]
    );
    assert_eq!(u["templates"][0]["samples"].as_array().unwrap().len(), 3);
    assert_eq!(u["templates"][0]["first_seen"], "2026-12-01T10:00:00.000Z");

    let out = run(&["scan", "--color", "never"], unknown_trouble().as_bytes());
    let human = stdout(&out);
    assert!(
        human.contains(
            "13 lines at WARN or worse matched no rule (error 9, warn 4); top templates:"
        ) && human.contains("ledger sync to <*> failed after <*>"),
        "{human}"
    );
}

#[test]
fn secrets_in_unmatched_samples_are_redacted() {
    let text = json_lines(
        "error",
        &["vault login failed for https://ops:hunter2secret@vault.internal/v1".to_string()],
    );
    let report = scan_json(text.as_bytes(), &[]);
    let sample = report["unmatched"]["templates"][0]["samples"][0]
        .as_str()
        .unwrap()
        .to_string();
    assert!(!sample.contains("hunter2secret"), "{sample}");
}

#[test]
fn the_agent_counts_unmatched_lines_in_metrics_and_lists_templates_in_report() {
    let dir = tempfile::tempdir().unwrap();
    let agent = Agent::start(dir.path(), &["--start-at", "beginning"]);
    let mut log = appender(&agent.log());
    use std::io::Write;
    log.write_all(unknown_trouble().as_bytes()).unwrap();
    let error = r#"tailwatch_unmatched_lines_total{level="error"}"#;
    let warn = r#"tailwatch_unmatched_lines_total{level="warn"}"#;
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric(error) == Some(9.0) && agent.metric(warn) == Some(4.0)
    });
    let report = || -> serde_json::Value {
        serde_json::from_str(&agent.get("/report").unwrap_or_default()).unwrap_or_default()
    };
    // /report is refreshed on its own beat.
    agent.wait_until(Duration::from_secs(60), || {
        report()["unmatched"]["lines"] == 13
    });
    let report = report();
    assert_eq!(
        report["unmatched"]["templates"][0]["template"],
        "ledger sync to <*> failed after <*>"
    );
}

/// Whether any rule of `matcher` matches `line` at warning or worse, read
/// as `scan` reads a file.
/// Writes `text` as `app.log` in `dir` and runs `tailwatch suggest
/// --format yaml --output DIR/suggested` on it, which must succeed: its
/// output, and the folder of the suggested rules.
fn suggest_yaml(dir: &Path, text: &str) -> (Output, PathBuf) {
    let log = dir.join("app.log");
    fs::write(&log, text).unwrap();
    let rules = dir.join("suggested");
    let out = run(
        &[
            "suggest",
            log.to_str().unwrap(),
            "--format",
            "yaml",
            "--output",
            rules.to_str().unwrap(),
        ],
        b"",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    (out, rules)
}

fn alarms(matcher: &Matcher, line: &str) -> Vec<(String, String, Severity)> {
    let mut scanner = Scanner::new(1 << 20);
    let mut source = SourceScan::new(None);
    source.set_grouping(Arc::new(Grouping::default()));
    let mut found = Vec::new();
    let mut sink = |m: &Match<'_>| {
        if m.severity >= Severity::Warning {
            found.push((m.rule.name.clone(), m.rule.category.clone(), m.severity));
        }
    };
    let text = format!("{line}\n");
    scanner.scan_block(matcher, &mut source, text.as_bytes(), 0, &mut sink);
    scanner.finish(matcher, &mut source, &mut sink);
    found
}

#[test]
fn suggested_rules_pass_check_and_test_and_raise_no_alarm_on_benign_lines() {
    let dir = tempfile::tempdir().unwrap();
    let (out, out_dir) = suggest_yaml(dir.path(), &unknown_trouble());
    assert!(
        stderr(&out).contains("13 at WARN or worse matched no rule, in 3 templates; 3 suggested"),
        "{}",
        stderr(&out)
    );
    let yaml = fs::read_to_string(out_dir.join("suggested.yaml")).unwrap();
    // A duration becomes a named capture, ready for `extract`.
    assert!(yaml.contains("(?P<value>"), "{yaml}");
    assert!(yaml.contains("TODO"), "{yaml}");
    for command in ["check", "test"] {
        let out = run(&[command, out_dir.to_str().unwrap()], b"");
        assert!(
            out.status.success(),
            "{command}: {}{}\n{yaml}",
            stdout(&out),
            stderr(&out)
        );
    }
    let (rules, _) = RuleSet::load(false, std::slice::from_ref(&out_dir)).unwrap();
    assert_eq!(rules.rules.len(), 3);
    let matcher = Matcher::new(rules);
    for line in unknown_trouble().lines() {
        assert!(
            !alarms(&matcher, line).is_empty(),
            "no suggested rule matches {line}"
        );
    }
    let shipped = RuleSet::embedded();
    let benign = corpus()
        .into_iter()
        .filter(|e| e.category == "benign")
        .map(|e| e.line);
    let routine = shipped
        .rules
        .iter()
        .flat_map(|r| r.examples_no_match.iter().cloned());
    for line in benign.chain(routine) {
        let found = alarms(&matcher, &line);
        assert!(found.is_empty(), "{found:?} on a routine line: {line}");
    }
}

/// Lines as tracing-subscriber's `fmt` colours them: time and target dim,
/// the level in its colour.
fn coloured_lines(level: &str, colour: u8, messages: &[String]) -> String {
    messages
        .iter()
        .enumerate()
        .map(|(i, m)| {
            format!(
                "\x1b[2m2026-12-01T10:00:{:02}.000000Z\x1b[0m \x1b[{colour}m{level:>5}\x1b[0m \x1b[2mledger::sync\x1b[0m\x1b[2m:\x1b[0m {m}\n",
                i % 60
            )
        })
        .collect()
}

#[test]
fn coloured_lines_are_reported_and_suggested_without_their_codes() {
    let mut text = coloured_lines(
        "ERROR",
        31,
        &(0..4)
            .map(|i| format!("ledger sync to 10.0.{i}.4 failed after {}ms", 100 + i * 37))
            .collect::<Vec<_>>(),
    );
    text += &coloured_lines(
        "ERROR",
        31,
        &["deadlock detected on ledger row 42".to_string()],
    );
    text += &coloured_lines("INFO", 32, &["ledger sync to 10.0.9.4 done".to_string()]);

    let report = scan_json(text.as_bytes(), &[]);
    let unmatched = &report["unmatched"];
    assert_eq!(unmatched["by_level"]["error"], 4, "{unmatched}");
    assert_eq!(
        unmatched["templates"][0]["samples"][0],
        "2026-12-01T10:00:00.000000Z ERROR ledger::sync: ledger sync to 10.0.0.4 failed after 100ms"
    );
    let out = run(&["scan", "--matches-out", "-"], text.as_bytes());
    let matches: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(matches.len(), 1, "{}", stdout(&out));
    assert_eq!(matches[0]["time"], "2026-12-01T10:00:00.000Z");
    assert_eq!(
        matches[0]["line"],
        "2026-12-01T10:00:00.000000Z ERROR ledger::sync: deadlock detected on ledger row 42"
    );

    let dir = tempfile::tempdir().unwrap();
    let (_, rules) = suggest_yaml(dir.path(), &text);
    let yaml = fs::read_to_string(rules.join("suggested.yaml")).unwrap();
    assert!(!yaml.contains('\x1b') && !yaml.contains("\\e["), "{yaml}");
    assert!(
        yaml.contains("ERROR ledger::sync: ledger sync to 10.0.0.4 failed after 100ms"),
        "{yaml}"
    );
    let tested = run(&["test", rules.to_str().unwrap()], b"");
    assert!(tested.status.success(), "{}", stdout(&tested));
}

#[test]
fn suggest_narrows_by_count_and_level() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    fs::write(&log, unknown_trouble()).unwrap();
    let path = log.to_str().unwrap();
    // Each template heads its suggestion as "COUNT x LEVEL  TEMPLATE".
    let heads = |args: &[&str]| -> Vec<String> {
        stdout(&run(args, b""))
            .lines()
            .filter(|l| l.contains(" x "))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(
        heads(&["suggest", path, "--min-count", "5"]),
        ["6 x error  ledger sync to <*> failed after <*>"]
    );
    assert_eq!(
        heads(&["suggest", path, "--level", "error"]),
        [
            "6 x error  ledger sync to <*> failed after <*>",
            "3 x error  reconciliation batch <*> rejected by clearing house: code <*>"
        ]
    );
}

/// The labelled corpus with the pack's rules of one category removed:
/// the suggestions mined from that category's lines bring its recall
/// back, and raise an alarm on at most 1 % of the corpus's benign lines.
#[test]
fn suggestions_bring_back_the_recall_of_a_category_the_pack_lost() {
    let category = "timeout";
    let mut pack = RuleSet::embedded();
    pack.rules.retain(|r| r.category != category);
    // Diagnoses name rules by their place in the pack.
    pack.diagnoses.clear();
    let without = Matcher::new(pack);
    let entries = corpus();
    let trouble: Vec<&str> = entries
        .iter()
        .filter(|e| e.category == category)
        .map(|e| e.line.as_str())
        .collect();
    let found_by = |m: &Matcher| trouble.iter().filter(|l| !alarms(m, l).is_empty()).count();
    let before = found_by(&without);

    // Mine what the reduced pack leaves unmatched.
    let mut aggregation = Aggregation::new(
        &without.rules,
        AggregateSettings {
            clock: Clock::Log,
            ..AggregateSettings::default()
        },
    );
    let mut scanner = Scanner::new(1 << 20);
    for line in &trouble {
        let mut source = SourceScan::new(None);
        source.set_grouping(Arc::new(Grouping::default()));
        let text = format!("{line}\n");
        scanner.scan_block(&without, &mut source, text.as_bytes(), 0, &mut aggregation);
        scanner.finish(&without, &mut source, &mut aggregation);
    }
    let all = aggregation.miner().top(usize::MAX);
    let suggestions = suggest(&all, &all, None);
    let guessed: BTreeMap<&str, usize> = suggestions.iter().fold(BTreeMap::new(), |mut m, s| {
        *m.entry(s.rule.category.as_str()).or_default() += 1;
        m
    });
    let suggested =
        Matcher::new(RuleSet::from_texts(&[("suggested.yaml", &rule_file(&suggestions))]).unwrap());
    let recovered = trouble
        .iter()
        .filter(|l| !alarms(&without, l).is_empty() || !alarms(&suggested, l).is_empty())
        .count();
    let recall = recovered as f64 / trouble.len() as f64;
    println!(
        "{category}: {} lines; recall without its rules {:.3}, with {} suggested rules {recall:.3}; guessed categories {guessed:?}",
        trouble.len(),
        before as f64 / trouble.len() as f64,
        suggestions.len()
    );
    assert!(recall >= 0.8, "recall {recall:.3}");
    // The category is a guess, but mostly a right one.
    let right = guessed.get(category).copied().unwrap_or(0);
    assert!(right * 10 >= suggestions.len() * 7, "{guessed:?}");
    // Mined from trouble alone, a suggestion can match the same words in
    // a routine record (an exception a retry logs and survives): rarely.
    let benign: Vec<&Entry> = entries.iter().filter(|e| e.category == "benign").collect();
    let false_alarms: Vec<String> = benign
        .iter()
        .filter_map(|e| {
            let found = alarms(&suggested, &e.line);
            (!found.is_empty()).then(|| format!("{found:?} on benign {}", e.line))
        })
        .collect();
    println!(
        "alarms on {} of {} benign lines",
        false_alarms.len(),
        benign.len()
    );
    assert!(
        false_alarms.len() * 100 <= benign.len(),
        "{}",
        false_alarms.join("\n")
    );
}

/// A template no category word places takes the category its sample
/// resembles, and says so; one that resembles nothing stays unclassified.
#[test]
fn a_suggestion_no_word_places_takes_the_category_it_resembles() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    fs::write(
        &log,
        concat!(
            "2026-12-06 10:00:00 ERROR giving up on billing, it took ages\n",
            "2026-12-06 10:00:01 ERROR giving up on ledger, it took ages\n",
            "2026-12-06 10:00:02 ERROR giving up on payments, it took ages\n",
            "2026-12-06 10:00:03 ERROR user 42 entered an invalid postcode value\n",
            "2026-12-06 10:00:04 ERROR user 43 entered an invalid postcode value\n",
        ),
    )
    .unwrap();
    let rules = crate::util::data("resembling");
    let out = run(
        &[
            "suggest",
            "--no-default-rules",
            "--patterns",
            &rules,
            "--min-count",
            "2",
            "--format",
            "yaml",
            log.to_str().unwrap(),
        ],
        b"",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let yaml = stdout(&out);
    let giving_up = &yaml[yaml.find("giving_took_ages").expect(&yaml)..];
    let giving_up = &giving_up[..giving_up.find("examples:").unwrap()];
    assert!(giving_up.contains("category: timeout"), "{yaml}");
    assert!(
        yaml.contains("its sample's words most resemble the pack's lines of it (probability"),
        "{yaml}"
    );
    let postcode = &yaml[yaml.find("user_entered_invalid").expect(&yaml)..];
    assert!(postcode.contains("category: unclassified"), "{yaml}");
}
