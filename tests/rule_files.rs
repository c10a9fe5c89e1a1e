//! `check` and `test` on rule files, and user rules next to the embedded pack.

use std::path::Path;

use crate::util::{count, files_with_extension, run, scan_json, stderr, stdout};

const GOOD_RULE: &str = r#"
rules:
  - name: ledger_imbalance
    category: ledger
    severity: error
    description: The ledger does not balance.
    action: Stop transfers and reconcile.
    match:
      regex: '(?i)ledger imbalance'
    examples:
      match:
        - '{"level":"error","msg":"ledger imbalance on account 7"}'
        - 'ERROR: Ledger imbalance detected'
        - '{"message":"ledger imbalance","level":"error"}'
      no_match:
        - '{"level":"info","msg":"ledger balanced"}'
        - '{"level":"info","msg":"imbalance check scheduled for ledger"}'
categories: [ledger]
"#;

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

fn check(dir: &Path) -> (Option<i32>, String) {
    let out = run(&["check", dir.to_str().unwrap()], b"");
    (
        out.status.code(),
        format!("{}{}", stdout(&out), stderr(&out)),
    )
}

#[test]
fn the_shipped_pack_checks_clean_and_passes_its_examples() {
    let out = run(&["check"], b"");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
    let out = run(&["test"], b"");
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(stdout(&out).contains(" 0 failed"), "{}", stdout(&out));
}

#[test]
fn the_shipped_pack_covers_every_category_with_enough_examples() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("patterns");
    let mut categories = std::collections::BTreeSet::new();
    let mut rules = 0;
    for path in files_with_extension(&dir, "yaml") {
        let text = std::fs::read_to_string(path).unwrap();
        let file: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).unwrap();
        // A file of diagnoses alone has no `rules`.
        for rule in file["rules"].as_sequence().into_iter().flatten() {
            rules += 1;
            categories.insert(rule["category"].as_str().unwrap().to_string());
            let name = rule["name"].as_str().unwrap();
            let matches = rule["examples"]["match"].as_sequence().map_or(0, Vec::len);
            let no_matches = rule["examples"]["no_match"]
                .as_sequence()
                .map_or(0, Vec::len);
            assert!(
                matches >= 3 && no_matches >= 2,
                "{name}: {matches} match, {no_matches} no_match examples"
            );
        }
    }
    assert!(rules >= 15, "{rules} rules");
    for c in tailwatch::rules::BUILTIN_CATEGORIES {
        assert!(categories.contains(*c), "no rule for category {c}");
    }
}

#[test]
fn user_rules_add_to_and_override_the_pack() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ledger.yaml", GOOD_RULE);
    write(
        dir.path(),
        "override.yml",
        r#"
rules:
  - name: deadlock_detected
    category: deadlock
    severity: critical
    description: Deadlocks are critical here.
    action: Page the DBA.
    match:
      regex: '(?i)deadlock detected'
"#,
    );
    let (code, text) = check(dir.path());
    assert_eq!(code, Some(0), "{text}");
    let input = b"{\"level\":\"error\",\"msg\":\"ledger imbalance on account 7\"}\n{\"msg\":\"deadlock detected\"}\n";
    let report = scan_json(input, &["--patterns", dir.path().to_str().unwrap()]);
    assert_eq!(count(&report, "ledger_imbalance"), 1);
    let deadlock = crate::util::rule_entry(&report, "deadlock_detected").unwrap();
    assert_eq!(deadlock["severity"], "critical");
    assert_eq!(deadlock["action"], "Page the DBA.");
}

#[test]
fn check_reports_yaml_errors_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "broken.yaml",
        "rules:\n  - name: x\n    category: [unclosed\n",
    );
    let (code, text) = check(dir.path());
    assert_eq!(code, Some(2));
    assert!(text.contains("broken.yaml:"), "{text}");
    assert!(text.contains("line"), "{text}");
}

#[test]
fn check_reports_unknown_keys_bad_regexes_and_unknown_values() {
    let cases = [
        (
            GOOD_RULE.replace("    action:", "    acton: x\n    action:"),
            "unknown field `acton`",
        ),
        (
            GOOD_RULE.replace("(?i)ledger imbalance", "(?i)ledger (imbalance"),
            "bad regex in match.regex",
        ),
        (
            GOOD_RULE.replace("severity: error", "severity: major"),
            "unknown severity `major`",
        ),
        (
            GOOD_RULE.replace("category: ledger", "category: money"),
            "unknown category `money`",
        ),
        (
            GOOD_RULE.replace("name: ledger_imbalance", "name: Ledger-Imbalance"),
            "snake_case",
        ),
        (
            GOOD_RULE.replace("      regex:", "      level: loud\n      regex:"),
            "unknown level `loud`",
        ),
    ];
    for (yaml, expected) in cases {
        let text = check_rejects(&yaml, expected);
        assert!(text.contains("rules.yaml"), "{text}");
    }
}

/// Runs `check` on `yaml` as `rules.yaml`: it must fail, saying `expected`.
/// Returns what it printed.
fn check_rejects(yaml: &str, expected: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "rules.yaml", yaml);
    let (code, text) = check(dir.path());
    assert_eq!(code, Some(2), "{expected}: {text}");
    assert!(text.contains(expected), "expected {expected:?} in: {text}");
    text
}

#[test]
fn check_reports_duplicate_names_with_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let rule = GOOD_RULE.split("categories:").next().unwrap();
    let twice = format!(
        "categories: [ledger]\n{rule}{}",
        rule.replace("rules:\n", "")
    );
    write(dir.path(), "dup.yaml", &twice);
    let (code, text) = check(dir.path());
    assert_eq!(code, Some(2), "{text}");
    assert!(
        text.contains("`ledger_imbalance` is defined twice"),
        "{text}"
    );
    assert!(text.contains("(line 20)"), "{text}");
}

/// A rule that extracts `lag_seconds` into `metric`, with `labels`.
fn extracting(name: &str, metric: &str, kind: &str, unit: &str, labels: &str) -> String {
    format!(
        r#"
  - name: {name}
    category: projection_lag
    severity: info
    description: d
    action: a
    match:
      regex: 'projection lag'
    extract:
      - field: lag_seconds
        metric: {metric}
        kind: {kind}
        unit: {unit}
        labels: {labels}
"#
    )
}

#[test]
fn check_rejects_extractions_that_would_break_metrics() {
    let cases = [
        (
            extracting("a", "lag_seconds", "gauge", "seconds", "{le: projection_name}"),
            "label `le` is reserved by Prometheus",
        ),
        (
            extracting("a", "lag_seconds", "gauge", "seconds", "{__name: projection_name}"),
            "label `__name` starts with `__`",
        ),
        (
            extracting("a", "lag_seconds", "gauge", "seconds", "{2x: projection_name}"),
            "label `2x` is not a Prometheus label name",
        ),
        (
            extracting("a", "matches_total", "gauge", "count", "{}"),
            "would export `tailwatch_matches_total`, which is tailwatch's own metric",
        ),
        (
            extracting("a", "file_bytes_behind", "gauge", "bytes", "{}"),
            "would export `tailwatch_file_bytes_behind`",
        ),
        (
            extracting("a", "lag_seconds", "gauge", "seconds", "{projection: projection_name}")
                + &extracting("b", "lag_seconds", "histogram", "seconds", "{projection: projection_name}"),
            "extract metric `lag_seconds` is declared by another rule as a Gauge in seconds with labels [projection]; this rule declares a Histogram",
        ),
        (
            extracting("a", "lag_seconds", "gauge", "seconds", "{projection: projection_name}")
                + &extracting("b", "lag_seconds", "gauge", "seconds", "{name: projection_name}"),
            "with labels [name]",
        ),
        (
            extracting("a", "lag_seconds", "gauge", "seconds", "{}")
                + &extracting("b", "lag_seconds", "gauge", "percent", "{}"),
            "this rule declares a Gauge in ratio",
        ),
        (
            extracting("a", "lag_seconds", "gauge", "seconds", "{}") + "    span_duration: lag\n",
            "span_duration `lag` names no `extract` entry of the rule",
        ),
        (
            extracting("a", "lag_seconds", "gauge", "percent", "{}")
                + "    span_duration: lag_seconds\n",
            "span_duration `lag_seconds` is not a time",
        ),
        (
            extracting("a", "lag", "histogram", "seconds", "{}")
                + &extracting("b", "lag_count", "gauge", "count", "{}"),
            "extract metric `lag_count` exports `tailwatch_lag_count`, which metric `tailwatch_lag` exports too",
        ),
    ];
    for (rules, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "lag.yaml", &format!("rules:{rules}"));
        let (code, text) = check(dir.path());
        assert_eq!(code, Some(2), "{text}");
        assert!(text.contains(expected), "expected `{expected}` in\n{text}");
        // The rule is named with its file and line.
        let file = dir.path().join("lag.yaml");
        assert!(
            text.contains(&format!("{}:2: rule `a`", file.display()))
                || text.contains(&format!("{}:16: rule `b`", file.display())),
            "{text}"
        );
    }
}

#[test]
fn check_warns_about_rules_no_literal_can_prefilter_and_suggests_one() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "slow.yaml",
        &GOOD_RULE.replace("(?i)ledger imbalance", r"(?i)ledger imbalance|\d{12}"),
    );
    let (code, text) = check(dir.path());
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("no literal of two bytes or more is in every match of this regex, so every line is decoded and tried against it"),
        "{text}"
    );
    assert!(text.contains(r#"add `keywords: ["imbalance"]`"#), "{text}");
}

#[test]
fn test_prints_each_failing_example_with_its_rule_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let wrong = GOOD_RULE.replace(
        "'{\"level\":\"info\",\"msg\":\"ledger balanced\"}'",
        "'{\"level\":\"info\",\"msg\":\"no ledger imbalance today\"}'",
    );
    write(dir.path(), "ledger.yaml", &wrong);
    let out = run(&["test", dir.path().to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("FAIL ledger_imbalance"), "{text}");
    assert!(
        text.contains("expected no match, but matched field `message`"),
        "{text}"
    );
    assert!(
        text.contains(r#"no_match: {"level":"info","msg":"no ledger imbalance today"}"#),
        "{text}"
    );
    assert!(text.contains("1 failed"), "{text}");
}

#[test]
fn test_catches_keywords_that_miss_an_example() {
    let dir = tempfile::tempdir().unwrap();
    let keyworded = GOOD_RULE.replace(
        "      regex:",
        "      keywords: [imbalance on]\n      regex:",
    );
    write(dir.path(), "ledger.yaml", &keyworded);
    let out = run(&["test", dir.path().to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("the prefilter skips the line: its keywords miss it"),
        "{}",
        stdout(&out)
    );
}

/// The rule files in the README's "Rules" section (the format, and the
/// worked example) check clean and pass their own examples: the documented
/// format is the real one.
#[test]
fn the_readme_rule_examples_are_valid_and_pass_their_examples() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = &readme[readme.find("\n## Rules").unwrap()..];
    let section = &section[..section[1..].find("\n## ").unwrap()];
    let blocks: Vec<&str> = section
        .split("```yaml\n")
        .skip(1)
        .map(|b| &b[..b.find("```").unwrap()])
        .collect();
    assert_eq!(
        blocks.len(),
        3,
        "the format, a rule from `tailwatch suggest` and the worked example"
    );
    // The format's block: three examples and a `routine:` line.
    for (yaml, examples) in blocks.iter().zip([4, 3, 5]) {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "readme.yaml", yaml);
        let (code, text) = check(dir.path());
        assert_eq!(code, Some(0), "{text}");
        let out = run(
            &["test", "--no-default-rules", dir.path().to_str().unwrap()],
            b"",
        );
        assert!(out.status.success(), "{}", stdout(&out));
        assert!(
            stdout(&out).contains(&format!("{examples} passed, 0 failed")),
            "{}",
            stdout(&out)
        );
    }
}

const LANGUAGE_RULES: &str = r#"
rules:
  - name: lag_reported
    category: projection_lag
    severity: info
    description: d
    action: a
    level_severity: {warn: warning, fatal: critical}
    match:
      regex: '(?i)projection lag detected(?:, lag: (?P<lag>[\d.]+\s*\w*))?'
    extract:
      - capture: lag
        metric: reported_lag_seconds
        unit: milliseconds
    escalate:
      - when: lag > 60
        severity: error
  - name: memory_critical
    category: memory_pressure
    severity: warning
    description: d
    action: a
    match:
      regex: '(?i)memory usage critical: (?P<used>\d+\s*[KMG]i?B?)(?: \((?P<share>[\d.]+%|\d+/\d+)\))?'
    extract:
      - capture: used
        metric: reported_memory_bytes
        unit: bytes
      - capture: share
        metric: reported_memory_ratio
        unit: ratio
    escalate:
      - when: share >= 0.9
        severity: critical
  - name: retries_exhausted
    category: event_store_latency
    severity: error
    description: d
    action: a
    match:
      fields: [target]
      regex: '^eventcore::executor$'
      present: [max_retries, streams]
"#;

/// `scan`'s JSON report of `input` with only the rules in `rules_dir`.
fn report_with(rules_dir: &std::path::Path, input: &str) -> serde_json::Value {
    scan_json(
        input.as_bytes(),
        &[
            "--no-default-rules",
            "--patterns",
            rules_dir.to_str().unwrap(),
        ],
    )
}

fn matched(rules: &str, input: &str) -> Vec<(String, String)> {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "r.yaml", rules);
    let out = run(
        &[
            "scan",
            "--no-default-rules",
            "--patterns",
            dir.path().to_str().unwrap(),
            "--matches-out",
            "-",
        ],
        input.as_bytes(),
    );
    stdout(&out)
        .lines()
        .map(|l| {
            let m: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                m["rule"].as_str().unwrap().into(),
                m["severity"].as_str().unwrap().into(),
            )
        })
        .collect()
}

#[test]
fn the_lines_own_level_sets_a_floor_on_severity() {
    let lines = [
        r#"{"level":"INFO","fields":{"message":"High projection lag detected"}}"#,
        r#"{"level":"WARN","fields":{"message":"High projection lag detected"}}"#,
        r#"{"level":60,"msg":"High projection lag detected"}"#,
        r#"2026-11-22 08:00:00.123 UTC [7] DEBUG:  projection lag detected"#,
    ];
    let got = matched(LANGUAGE_RULES, &(lines.join("\n") + "\n"));
    let severities: Vec<&str> = got.iter().map(|(_, s)| s.as_str()).collect();
    assert_eq!(severities, ["info", "warning", "critical", "info"]);
}

#[test]
fn numbers_written_in_the_text_are_extracted_with_their_units_and_escalate() {
    let input = [
        // 61877 ms is past the 60 s threshold; 59.5 s and 500 ms are not.
        r#"{"level":"INFO","msg":"High projection lag detected, lag: 61877ms"}"#,
        r#"{"level":"INFO","msg":"High projection lag detected, lag: 59.5 s"}"#,
        r#"{"level":"INFO","msg":"High projection lag detected, lag: 500"}"#,
        r#"{"level":"WARN","msg":"Memory usage critical: 1843MB (93.3%)"}"#,
        r#"{"level":"WARN","msg":"Memory usage critical: 512MiB (14/20)"}"#,
    ]
    .join("\n")
        + "\n";
    let got = matched(LANGUAGE_RULES, &input);
    let severities: Vec<&str> = got.iter().map(|(_, s)| s.as_str()).collect();
    assert_eq!(severities, ["error", "info", "info", "critical", "warning"]);

    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "r.yaml", LANGUAGE_RULES);
    let report = report_with(dir.path(), &input);
    let last = |rule: &str, metric: &str| -> f64 {
        let entry = crate::util::rule_entry(&report, rule).unwrap();
        let e = entry["extracted"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["metric"] == metric)
            .unwrap();
        e["values"][0]["max"].as_f64().unwrap()
    };
    assert_eq!(last("lag_reported", "reported_lag_seconds"), 61.877);
    assert_eq!(last("memory_critical", "reported_memory_bytes"), 1_843e6);
    assert!((last("memory_critical", "reported_memory_ratio") - 0.933).abs() < 1e-9);
}

/// A rule that reads a number only to decide whether the line is trouble.
const WHEN_RULES: &str = r#"
rules:
  - name: replica_behind
    category: projection_lag
    severity: warning
    description: d
    action: a
    match:
      regex: '(?i)\blag(?: is|=)\s?(?P<lag>\d+(?:\.\d+)?\s?[a-z]*)'
      when: "lag >= 30"
    extract:
      - capture: lag
        unit: milliseconds
"#;

#[test]
fn match_when_keeps_only_the_lines_whose_value_meets_it() {
    let input = [
        // 412 s, 15 min 12 s and 61.877 s meet it, whatever the line's level.
        "INFO: lag is 412 seconds",
        "[INFO] slow table [lag=15m12.402s]",
        "DEBUG replica lag=61877",
        // 4.2 s, a bare 3 read as 3 ms, and no number at all do not.
        "WARNING: lag is 4.2s",
        "ERROR replica lag=3",
        "ERROR replica lag is unknown",
    ]
    .join("\n")
        + "\n";
    let got = matched(WHEN_RULES, &input);
    assert_eq!(
        got,
        vec![("replica_behind".to_string(), "warning".to_string()); 3]
    );

    // The value that decided is kept for `explain`, not exported.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "r.yaml", WHEN_RULES);
    let report = report_with(dir.path(), &input);
    let entry = crate::util::rule_entry(&report, "replica_behind").unwrap();
    assert_eq!(entry["count"], 3);
    assert_eq!(entry["extracted"], serde_json::json!([]));
    let explain = |line: &str| {
        let args = ["explain", "--no-default-rules", "--patterns"];
        let dir = dir.path().to_str().unwrap();
        stdout(&run(&[&args[..], &[dir, line]].concat(), b""))
    };
    let explained = explain("INFO: lag is 412 seconds");
    assert!(
        explained.contains("extract lag = 412 s (from capture `lag`)"),
        "{explained}"
    );
    let explained = explain("WARNING: lag is 4.2s");
    assert!(
        explained.contains(
            "no match  replica_behind: regex matched message, and match.when `lag >= 30` does not hold: lag is 4.2 s"
        ),
        "{explained}"
    );
}

#[test]
fn events_with_no_message_match_on_target_and_present_fields() {
    let input = [
        r#"{"timestamp":"2026-11-22T08:00:00Z","level":"ERROR","fields":{"max_retries":5,"streams":"[account-7]"},"target":"eventcore::executor"}"#,
        // One of the two fields is missing.
        r#"{"timestamp":"2026-11-22T08:00:00Z","level":"ERROR","fields":{"max_retries":5},"target":"eventcore::executor"}"#,
        // Another target.
        r#"{"timestamp":"2026-11-22T08:00:00Z","level":"ERROR","fields":{"max_retries":5,"streams":"[a]"},"target":"eventcore::store"}"#,
    ]
    .join("\n")
        + "\n";
    let got = matched(LANGUAGE_RULES, &input);
    assert_eq!(
        got,
        [("retries_exhausted".to_string(), "error".to_string())]
    );
}

#[test]
fn check_rejects_misused_rule_language() {
    let base = LANGUAGE_RULES;
    let cases = [
        (
            base.replace("capture: lag\n", "capture: lagg\n"),
            "capture `lagg` is not a named group of match.regex",
        ),
        (
            base.replace("      - capture: lag\n        metric:", "      - metric:"),
            "name `field` (a record field), `capture` (a named group of match.regex), or both",
        ),
        (
            base.replace("{warn: warning, fatal: critical}", "{loud: warning}"),
            "unknown level `loud` in level_severity",
        ),
        (
            base.replace("{warn: warning, fatal: critical}", "{warn: bad}"),
            "unknown severity `bad`",
        ),
        (
            base.replace("present: [max_retries, streams]", "present: ['']"),
            "match.present holds an empty field name",
        ),
        (
            base.replace(
                "      regex: '^eventcore::executor$'\n",
                "      regex: '^eventcore::executor$'\n      when: max_retries is 5\n",
            ),
            "cannot read match.when condition `max_retries is 5`",
        ),
        (
            base.replace(
                "        metric: reported_lag_seconds\n",
                "        labels: {projection: projection}\n",
            ),
            "extract of capture `lag`: `labels` name a metric's labels; name the `metric` too",
        ),
    ];
    for (rules, expected) in cases {
        check_rejects(&rules, expected);
    }
}

#[test]
fn a_fallback_rule_counts_only_what_no_other_rule_of_its_category_counts() {
    let rules = r#"
rules:
  - name: any_oom
    category: memory_pressure
    severity: error
    fallback: true
    description: d
    action: a
    match:
      regex: '(?i)out of memory'
  - name: jvm_oom
    category: memory_pressure
    severity: critical
    description: d
    action: a
    match:
      regex: 'OutOfMemoryError: Java heap space'
  - name: crash
    category: panic
    severity: critical
    description: d
    action: a
    match:
      regex: 'Exception in thread'
"#;
    let input = [
        // The specific rule counts it; the catch-all does not count it again.
        r#"{"level":"error","msg":"worker died: out of memory (java.lang.OutOfMemoryError: Java heap space)"}"#,
        // No specific rule: the catch-all counts it.
        r#"{"level":"error","msg":"allocator: out of memory"}"#,
        // A rule of another category does not stand in for the catch-all.
        r#"Exception in thread "main" out of memory"#,
    ]
    .join("\n")
        + "\n";
    let got = matched(rules, &input);
    let names: Vec<&str> = got.iter().map(|(r, _)| r.as_str()).collect();
    assert_eq!(names, ["jvm_oom", "any_oom", "crash", "any_oom"]);
}

#[test]
fn of_several_fallback_rules_the_highest_severity_counts() {
    let rules = r#"
rules:
  - name: crashed_words
    category: panic
    severity: warning
    fallback: true
    level_ceiling: {info: info}
    description: d
    action: a
    match:
      regex: 'crashed'
  - name: killed_exit_code
    category: panic
    severity: warning
    fallback: true
    description: d
    action: a
    match:
      regex: 'status code 137'
  - name: aborted_words
    category: panic
    severity: warning
    fallback: true
    description: d
    action: a
    match:
      regex: 'aborted'
"#;
    let input = [
        // Held down to info by its ceiling, the first fallback does not
        // keep the second, which has none, from counting the kill.
        "INFO run 7 crashed: exited with status code 137",
        // Routine words alone: the capped fallback counts, at info.
        "INFO run 8 crashed on purpose (chaos test)",
        // Two fallbacks at the same severity: the first in the pack counts.
        "WARN run 9 crashed and aborted",
    ]
    .join("\n")
        + "\n";
    let got = matched(rules, &input);
    let got: Vec<(&str, &str)> = got.iter().map(|(r, s)| (r.as_str(), s.as_str())).collect();
    assert_eq!(
        got,
        [
            ("killed_exit_code", "warning"),
            ("crashed_words", "info"),
            ("crashed_words", "warning"),
        ]
    );
}

/// Every example of the shipped pack says where its text comes from, in a
/// comment on the line above it.
#[test]
fn every_shipped_example_cites_its_source() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("patterns");
    for path in files_with_extension(&dir, "yaml") {
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let mut in_examples = false;
        let mut in_routine = false;
        for (i, line) in lines.iter().enumerate() {
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            if indent == 0 && !trimmed.is_empty() && !trimmed.starts_with('#') {
                in_routine = trimmed == "routine:";
            }
            if trimmed == "match:" && indent == 6 || trimmed == "no_match:" {
                in_examples = true;
            } else if indent <= 6 && !trimmed.is_empty() && !trimmed.starts_with('#') {
                in_examples = trimmed == "match:" && indent == 6;
            }
            let example = in_examples && indent == 8 || in_routine && indent == 2;
            if example && trimmed.starts_with("- ") {
                assert!(
                    lines[i - 1].trim_start().starts_with('#'),
                    "{}:{}: an example with no source comment above it",
                    path.display(),
                    i + 1
                );
            }
        }
    }
}

#[test]
fn a_regex_that_parses_but_is_too_big_to_compile_fails_check_and_run_and_is_reported_by_scan() {
    let dir = tempfile::tempdir().unwrap();
    let huge = GOOD_RULE.replace(
        "(?i)ledger imbalance",
        r"(?i)ledger imbalance (?:\w{100}){100}",
    );
    write(dir.path(), "huge.yaml", &huge);
    write(
        dir.path(),
        "other.yaml",
        &GOOD_RULE
            .replace("ledger_imbalance", "ledger_frozen")
            .replace("ledger imbalance", "ledger frozen"),
    );
    let (code, text) = check(dir.path());
    assert_eq!(code, Some(2), "{text}");
    assert!(
        text.contains("huge.yaml:3: rule `ledger_imbalance`: bad regex"),
        "{text}"
    );
    assert!(text.contains("exceeds size limit"), "{text}");

    // `scan` compiles a regex when a line first needs it: the rule is
    // reported once and matches nothing; the others go on matching.
    let input = b"{\"msg\":\"ledger imbalance x\"}\n{\"msg\":\"ledger frozen\"}\n{\"msg\":\"ledger imbalance y\"}\n";
    let args = [
        "scan",
        "--format",
        "json",
        "--patterns",
        dir.path().to_str().unwrap(),
    ];
    let out = run(&args, input);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(count(&report, "ledger_frozen"), 1);
    assert_eq!(count(&report, "ledger_imbalance"), 0);
    assert_eq!(
        stderr(&out).matches("rule=ledger_imbalance").count(),
        1,
        "{}",
        stderr(&out)
    );

    // `run` runs for months: a rule that cannot work stops it at start.
    let logs = tempfile::tempdir().unwrap();
    let glob = format!("{}/*.log", logs.path().display());
    let out = run(
        &[
            "run",
            "--path",
            &glob,
            "--listen",
            "127.0.0.1:0",
            "--patterns",
            dir.path().to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("exceeds size limit"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_rule_whose_only_literal_is_one_byte_runs_on_every_line_and_still_matches() {
    let dir = tempfile::tempdir().unwrap();
    let rule = GOOD_RULE.replace("(?i)ledger imbalance", r"(?i)x\d{4}");
    write(dir.path(), "short.yaml", &rule);
    let (code, text) = check(dir.path());
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("no literal of two bytes or more"), "{text}");
    let report = scan_json(
        b"{\"msg\":\"code X1234\"}\n{\"msg\":\"code y1234\"}\n",
        &["--patterns", dir.path().to_str().unwrap()],
    );
    assert_eq!(count(&report, "ledger_imbalance"), 1);

    let keyword = GOOD_RULE.replace(
        "regex: '(?i)ledger imbalance'",
        "regex: '(?i)ledger imbalance'\n      keywords: [\"l\"]",
    );
    write(dir.path(), "short.yaml", &keyword);
    let (code, text) = check(dir.path());
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("shorter than two bytes"), "{text}");

    // A keyword is searched as JSON strings write it too: quoted, it
    // still finds the quoted words inside a JSON string.
    let quoted = GOOD_RULE.replace(
        "regex: '(?i)ledger imbalance'",
        "regex: '(?i)\"ledger imbalance\"'\n      keywords: ['\"ledger imbalance\"']",
    );
    write(dir.path(), "short.yaml", &quoted);
    let report = scan_json(
        b"{\"msg\":\"saw \\\"ledger imbalance\\\" twice\"}\n",
        &["--patterns", dir.path().to_str().unwrap()],
    );
    assert_eq!(count(&report, "ledger_imbalance"), 1);
}

#[test]
fn check_rejects_two_rules_that_resemble_one_category() {
    let rule = GOOD_RULE.split("categories:").next().unwrap().replace(
        "    severity: error\n",
        "    severity: error\n    resembles: true\n",
    );
    let second = rule
        .replace("rules:\n", "")
        .replace("ledger_imbalance", "ledger_words");
    check_rejects(
        &format!("categories: [ledger]\n{rule}{second}"),
        "rule `ledger_imbalance` already stands for what resembles `ledger`; one rule per category",
    );
}

#[test]
fn test_fails_when_a_rule_raises_an_alarm_on_a_routine_line() {
    let dir = tempfile::tempdir().unwrap();
    let routine = format!(
        "{GOOD_RULE}routine:\n  - 'ERROR: ledger imbalance report generated for the auditors'\n"
    );
    write(dir.path(), "ledger.yaml", &routine);
    let out = run(&["test", dir.path().to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(text.contains("FAIL ledger_imbalance"), "{text}");
    assert!(
        text.contains("a `routine:` line, matched at error"),
        "{text}"
    );
    assert!(text.contains("1 failed"), "{text}");
}

/// Resemblance learns from the corpus compiled into the binary: every file
/// of `patterns/corpus/` is in it, so it is what `tests/corpus.rs` parses,
/// labels and scores line by line.
#[test]
fn the_binary_holds_the_whole_labelled_corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("patterns/corpus");
    let on_disk: Vec<String> = files_with_extension(&dir, "jsonl")
        .iter()
        .map(|p| {
            format!(
                "patterns/corpus/{}",
                p.file_name().unwrap().to_string_lossy()
            )
        })
        .collect();
    let mut embedded: Vec<String> = tailwatch::rules::EMBEDDED_CORPUS
        .iter()
        .map(|(name, _)| name.to_string())
        .collect();
    embedded.sort();
    assert_eq!(embedded, on_disk);
}
