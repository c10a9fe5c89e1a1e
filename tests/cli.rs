//! `scan`, `--fail-on`, `--matches-out` and `explain`, as a user runs them.

use std::io::Write;

use crate::util::{count, data, rule_entry, run, scan_json, stderr, stdout};

const POOL_TIMEOUT: &str = r#"{"timestamp":"2026-11-22T08:01:30.000Z","level":"ERROR","fields":{"message":"Command failed","error":"pool timed out while waiting for an open connection"},"target":"eventcore::executor","trace_id":"5bf92f3577b34da6a3ce929d0e0e4737","span_id":"10f067aa0ba902b8"}"#;
const CONFLICT: &str = r#"{"timestamp":"2026-11-22T08:02:10.000Z","level":"WARN","fields":{"message":"Retrying command due to concurrency conflict"},"target":"eventcore::executor"}"#;
const ROUTINE: &str = r#"{"timestamp":"2026-11-22T08:00:01.000Z","level":"INFO","fields":{"message":"Command completed successfully","total_duration_ms":42},"target":"eventcore::executor"}"#;

fn lines(ls: &[&str]) -> Vec<u8> {
    ls.iter()
        .flat_map(|l| format!("{l}\n").into_bytes())
        .collect()
}

#[test]
fn json_report_has_totals_and_one_entry_per_matched_rule() {
    let report = scan_json(&std::fs::read(data("sample.log")).unwrap(), &[]);
    let totals = &report["totals"];
    assert_eq!(totals["lines"], 20);
    assert_eq!(
        totals["bytes"],
        std::fs::metadata(data("sample.log")).unwrap().len()
    );
    assert_eq!(totals["lines_by_format"]["json"], 19);
    assert_eq!(totals["lines_by_format"]["text"], 1);
    for kind in [
        "invalid_utf8",
        "nul_bytes",
        "truncated_json",
        "invalid_json",
        "oversized",
    ] {
        assert_eq!(totals["decode_errors"][kind], 0, "{kind}");
    }
    assert_eq!(report["state"], "critical");
    assert_eq!(report["time_span"]["first"], "2026-11-22T08:00:00.000Z");
    assert_eq!(report["time_span"]["last"], "2026-11-22T08:06:00.000Z");

    let pool = rule_entry(&report, "pool_acquire_timeout").unwrap();
    assert_eq!(pool["count"], 2);
    assert_eq!(pool["category"], "pool_exhaustion");
    assert_eq!(pool["severity"], "critical");
    assert_eq!(pool["first_seen"], "2026-11-22T08:01:30.000Z");
    assert_eq!(pool["last_seen"], "2026-11-22T08:01:31.000Z");
    assert_eq!(
        pool["sample"],
        "pool timed out while waiting for an open connection"
    );
    assert!(pool["action"].as_str().unwrap().contains("max_connections"));
    let buckets = pool["timeline"]["buckets"].as_array().unwrap();
    assert_eq!(buckets.len(), 24);
    assert_eq!(buckets.iter().map(|b| b.as_u64().unwrap()).sum::<u64>(), 2);
    // 08:01:30 is a quarter into 08:00..08:06: the trouble shows there.
    assert_eq!(buckets[6], 2);

    // Routine lines that share trap words matched nothing.
    assert_eq!(count(&report, "request_deadline_exceeded"), 0);
    // 13 trouble lines; the three "Command failed" are also counted as
    // failed commands, and the uncaught OutOfMemoryError is a crash too.
    assert_eq!(count(&report, "crashed"), 1);
    assert_eq!(report["totals"]["matches"], 17);
}

#[test]
fn rules_are_ordered_by_severity_then_count() {
    let report = scan_json(&lines(&[CONFLICT, CONFLICT, CONFLICT, POOL_TIMEOUT]), &[]);
    let names: Vec<&str> = report["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    // "Command failed" is counted as an EventCore command failure too.
    assert_eq!(
        names,
        vec![
            "pool_acquire_timeout",
            "concurrency_conflict",
            "eventcore_command_failed"
        ]
    );
}

#[test]
fn escalation_raises_severity_by_extracted_value() {
    let lag = |secs: u32| {
        format!(
            r#"{{"level":"INFO","fields":{{"message":"Projection lag detected","projection_name":"p{secs}","lag_seconds":{secs}}},"target":"eventcore::projection"}}"#
        )
    };
    let input = lines(&[&lag(60), &lag(420), &lag(2400)]);
    let report = scan_json(&input, &[]);
    let entry = rule_entry(&report, "projection_lag").unwrap();
    assert_eq!(entry["severity"], "critical");
    assert_eq!(entry["count_by_severity"]["info"], 1);
    assert_eq!(entry["count_by_severity"]["warning"], 1);
    assert_eq!(entry["count_by_severity"]["critical"], 1);
    let values = entry["extracted"][0]["values"].as_array().unwrap();
    assert_eq!(entry["extracted"][0]["metric"], "projection_lag_seconds");
    let by_projection: Vec<(String, f64)> = values
        .iter()
        .map(|v| {
            (
                v["labels"]["projection"].as_str().unwrap().to_string(),
                v["last"].as_f64().unwrap(),
            )
        })
        .collect();
    assert!(
        by_projection.contains(&("p2400".into(), 2400.0)),
        "{by_projection:?}"
    );

    let util = |p: f64| {
        format!(
            r#"{{"level":"WARN","fields":{{"message":"High connection pool utilization","utilization_percent":{p}}}}}"#
        )
    };
    let report = scan_json(&lines(&[&util(50.0), &util(85.0)]), &[]);
    let entry = rule_entry(&report, "pool_utilization_high").unwrap();
    assert_eq!(entry["severity"], "warning");
    assert_eq!(
        entry["extracted"][0]["values"][0]["max"], 0.85,
        "percent becomes a 0-1 ratio"
    );
}

#[test]
fn fail_on_sets_the_exit_code_by_worst_severity() {
    let warning_only = lines(&[ROUTINE, CONFLICT]);
    let code = |level: &str, input: &[u8]| {
        run(&["scan", "--format", "json", "--fail-on", level], input)
            .status
            .code()
    };
    assert_eq!(code("warning", &warning_only), Some(1));
    assert_eq!(code("error", &warning_only), Some(0));
    assert_eq!(code("critical", &lines(&[POOL_TIMEOUT])), Some(1));
    assert_eq!(code("error", &lines(&[ROUTINE])), Some(0));
    let bad = run(&["scan", "--fail-on", "severe"], b"");
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("unknown severity `severe`"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn matches_out_writes_every_match_with_the_documented_keys() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("matches.jsonl");
    let input = lines(&[ROUTINE, POOL_TIMEOUT, ROUTINE, CONFLICT]);
    let out = run(
        &[
            "scan",
            "--format",
            "json",
            "--matches-out",
            out_path.to_str().unwrap(),
        ],
        &input,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&out_path).unwrap();
    let matches: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // The failed command is counted as a pool timeout and as a failed command.
    assert_eq!(matches.len(), 3);
    let m = &matches[0];
    let mut keys: Vec<&str> = m.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        vec![
            "category", "line", "offset", "rule", "severity", "source", "span_id", "time",
            "trace_id"
        ]
    );
    assert_eq!(m["rule"], "pool_acquire_timeout");
    assert_eq!(m["source"], "stdin");
    assert_eq!(m["offset"], ROUTINE.len() as u64 + 1);
    assert_eq!(m["line"], POOL_TIMEOUT);
    assert_eq!(m["time"], "2026-11-22T08:01:30.000Z");
    assert_eq!(m["trace_id"], "5bf92f3577b34da6a3ce929d0e0e4737");
    assert_eq!(m["span_id"], "10f067aa0ba902b8");
    assert_eq!(matches[1]["rule"], "eventcore_command_failed");
    assert_eq!(matches[1]["offset"], m["offset"]);
    assert_eq!(matches[2]["rule"], "concurrency_conflict");
    assert_eq!(matches[2]["trace_id"], serde_json::Value::Null);
}

#[test]
fn matches_out_to_stdout_moves_the_report_to_stderr() {
    let out = run(&["scan", "--matches-out", "-"], &lines(&[POOL_TIMEOUT]));
    assert!(out.status.success());
    let first: serde_json::Value =
        serde_json::from_str(stdout(&out).lines().next().unwrap()).unwrap();
    assert_eq!(first["rule"], "pool_acquire_timeout");
    assert!(stderr(&out).contains("pool_acquire_timeout"));
}

#[test]
fn scans_several_files_including_gzipped_rotations() {
    let dir = tempfile::tempdir().unwrap();
    let current = dir.path().join("app.log");
    let rotated = dir.path().join("app.log.1.gz");
    std::fs::write(&current, lines(&[POOL_TIMEOUT, ROUTINE])).unwrap();
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&rotated).unwrap(),
        flate2::Compression::fast(),
    );
    gz.write_all(&lines(&[CONFLICT, CONFLICT, POOL_TIMEOUT]))
        .unwrap();
    gz.finish().unwrap();
    let out = run(
        &[
            "scan",
            "--format",
            "json",
            current.to_str().unwrap(),
            rotated.to_str().unwrap(),
        ],
        b"",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["totals"]["lines"], 5);
    assert_eq!(count(&report, "pool_acquire_timeout"), 2);
    assert_eq!(count(&report, "concurrency_conflict"), 2);
    assert_eq!(report["sources"].as_array().unwrap().len(), 2);
}

#[test]
fn a_missing_file_is_a_clear_error() {
    let out = run(&["scan", "/nonexistent/app.log"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot open /nonexistent/app.log"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn human_report_has_no_colours_off_a_terminal_unless_asked() {
    let input = lines(&[POOL_TIMEOUT]);
    let plain = stdout(&run(&["scan"], &input));
    assert!(!plain.contains('\x1b'));
    assert!(plain.contains("pool_acquire_timeout") && plain.contains("action: "));
    assert!(plain.contains("state: CRITICAL"));
    let coloured = stdout(&run(&["scan", "--color", "always"], &input));
    assert!(coloured.contains("\x1b[1;31m"));
}

#[test]
fn explain_shows_decoding_and_the_matching_field() {
    let out = run(&["explain", POOL_TIMEOUT], b"");
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(text.contains("format:    tracing_json"), "{text}");
    assert!(text.contains(r#"message:   "Command failed""#), "{text}");
    assert!(text.contains("level:     \"ERROR\" (error)"), "{text}");
    assert!(
        text.contains("trace_id:  \"5bf92f3577b34da6a3ce929d0e0e4737\""),
        "{text}"
    );
    assert!(
        text.contains(r#"MATCH     pool_acquire_timeout (pool_exhaustion, critical): field `error` matched "pool timed out while waiting for an open connection""#),
        "{text}"
    );

    let routine = stdout(&run(&["explain", ROUTINE], b""));
    assert!(
        routine.contains("no rule's literals occur in this line"),
        "{routine}"
    );

    let near_miss = stdout(&run(
        &[
            "explain",
            r#"{"level":"info","msg":"command timeout configured"}"#,
        ],
        b"",
    ));
    assert!(
        near_miss.contains("no match  command_timeout: regex"),
        "{near_miss}"
    );

    // A line with `\u` escapes is explained as the scanner reads it: the
    // literals its escapes spell, only the rules they stand for, and a
    // routine one not decoded at all.
    let escaped = stdout(&run(
        &[
            "explain",
            r#"{"level":"error","msg":"\u0064eadlock detected","user":"Jos\u00e9"}"#,
        ],
        b"",
    ));
    assert!(
        escaped
            .lines()
            .any(|l| l.starts_with("prefilter: literals found:") && l.contains(", deadlock")),
        "{escaped}"
    );
    assert!(escaped.contains("JSON escapes read"), "{escaped}");
    assert!(!escaped.contains("candidate for every rule"), "{escaped}");
    assert!(!escaped.contains("no match  command_timeout"), "{escaped}");
    let routine = stdout(&run(
        &[
            "explain",
            r#"{"level":"info","msg":"order placed","user":"Jos\u00e9"}"#,
        ],
        b"",
    ));
    assert!(
        routine.contains("no rule's literals occur in this line"),
        "{routine}"
    );
}

#[test]
fn a_resemblance_is_explained_and_marked_in_the_match_output() {
    let dir = data("resembling");
    let pack = ["--no-default-rules", "--patterns", &dir];
    let line = "2026-12-06 10:00:00 ERROR giving up on billing, it took ages";

    let explained = stdout(&run(&[&["explain", line][..], &pack].concat(), b""));
    assert!(
        explained.contains("RESEMBLES took_too_long (timeout, warning): no rule matched"),
        "{explained}"
    );
    assert!(explained.contains("at least 0.70 counts"), "{explained}");
    let routine = stdout(&run(
        &[
            &[
                "explain",
                "2026-12-06 10:00:00 ERROR invalid postcode entered",
            ][..],
            &pack,
        ]
        .concat(),
        b"",
    ));
    assert!(routine.contains("(below 0.70): not counted"), "{routine}");

    let out = run(
        &[&["scan", "--matches-out", "-"][..], &pack].concat(),
        format!("{line}\n2026-12-06 10:00:01 ERROR request to billing took too long\n").as_bytes(),
    );
    let matches: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(matches.len(), 2, "{matches:?}");
    assert_eq!(matches[0]["rule"], "took_too_long");
    assert_eq!(matches[0]["severity"], "warning");
    assert!(
        matches[0]["resembled"].as_f64().unwrap() >= 0.7,
        "{matches:?}"
    );
    // The rule's own match says nothing of resemblance.
    assert!(matches[1].get("resembled").is_none(), "{matches:?}");

    // The report counts the resemblances among the rule's matches.
    let two = format!("{line}\n2026-12-06 10:00:01 ERROR request to billing took too long\n");
    let report = scan_json(two.as_bytes(), &pack);
    assert_eq!(report["rules"][0]["count"], 2, "{report}");
    assert_eq!(report["rules"][0]["resembled"], 1, "{report}");
    let human = stdout(&run(&[&["scan"][..], &pack].concat(), two.as_bytes()));
    assert!(
        human.contains(
            "of which 1 by resemblance: no rule matched them, their words resemble `timeout`"
        ),
        "{human}"
    );
}

#[test]
fn explain_says_when_a_rule_set_a_record_aside_from_resemblance() {
    let dir = tempfile::tempdir().unwrap();
    let pack = std::fs::read_to_string(data("resembling/slow.yaml"))
        .unwrap()
        .replace(
            "      regex: 'took too long'\n",
            "      regex: 'took too long|giving up'\n      unless: 'on purpose'\n",
        );
    std::fs::write(dir.path().join("slow.yaml"), pack).unwrap();
    let pack = [
        "--no-default-rules",
        "--patterns",
        dir.path().to_str().unwrap(),
    ];
    let line = "2026-12-06 10:00:00 ERROR giving up on billing on purpose, it took ages";
    let explained = stdout(&run(&[&["explain", line][..], &pack].concat(), b""));
    assert!(!explained.contains("RESEMBLES"), "{explained}");
    assert!(
        explained.contains("resembles `timeout`")
            && explained.contains(
                "but took_too_long of that category set the record aside as a routine sense of its words: not counted"
            ),
        "{explained}"
    );
    let out = run(
        &[&["scan", "--matches-out", "-"][..], &pack].concat(),
        format!("{line}\n").as_bytes(),
    );
    assert_eq!(stdout(&out), "");
}

#[test]
fn resemblance_false_in_a_rule_file_turns_it_off() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(data("resembling/slow.yaml"), dir.path().join("slow.yaml")).unwrap();
    std::fs::write(dir.path().join("off.yaml"), "resemblance: false\n").unwrap();
    let pack = [
        "--no-default-rules",
        "--patterns",
        dir.path().to_str().unwrap(),
    ];
    let line = "2026-12-06 10:00:00 ERROR giving up on billing, it took ages";
    let explained = stdout(&run(&[&["explain", line][..], &pack].concat(), b""));
    assert!(!explained.contains("RESEMBLES"), "{explained}");
    let out = run(
        &[&["scan", "--matches-out", "-"][..], &pack].concat(),
        format!("{line}\n").as_bytes(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    // The rule itself still matches.
    let out = run(
        &[&["scan", "--matches-out", "-"][..], &pack].concat(),
        b"2026-12-06 10:00:01 ERROR request to billing took too long\n",
    );
    assert_eq!(stdout(&out).lines().count(), 1);
}
