//! A rule written for `message` works whatever the pod's containers write:
//! every envelope and record format, end to end through `scan`.

use crate::util::{count, rule_entry, scan_json};

/// The same trouble ("deadlock detected") in every supported format.
const DEADLOCK_IN_EVERY_FORMAT: &[(&str, &str)] = &[
    (
        "tracing_json",
        r#"{"timestamp":"2026-11-22T08:00:00Z","level":"ERROR","fields":{"message":"deadlock detected"},"target":"db"}"#,
    ),
    (
        "tracing_json",
        r#"{"timestamp":"2026-11-22T08:00:00Z","level":"ERROR","message":"deadlock detected","target":"db","span":{"name":"tx"}}"#,
    ),
    (
        "bunyan",
        r#"{"name":"api","hostname":"h","pid":1,"level":50,"msg":"deadlock detected","time":"2026-11-22T08:00:00.000Z","v":0}"#,
    ),
    (
        "ecs",
        r#"{"@timestamp":"2026-11-22T08:00:00Z","log.level":"error","message":"deadlock detected","ecs.version":"1.6.0"}"#,
    ),
    (
        "ecs",
        r#"{"@timestamp":"2026-11-22T08:00:00Z","@version":"1","message":"deadlock detected","logger_name":"x","level":"ERROR"}"#,
    ),
    (
        "clef",
        r#"{"@t":"2026-11-22T08:00:00Z","@mt":"{What} detected","@l":"Error","What":"deadlock"}"#,
    ),
    (
        "clef",
        r#"{"@t":"2026-11-22T08:00:00Z","@m":"deadlock detected","@l":"Error"}"#,
    ),
    (
        "zap",
        r#"{"level":"error","ts":1795334400.5,"caller":"db/tx.go:12","msg":"deadlock detected"}"#,
    ),
    (
        "zap",
        r#"{"time":"2026-11-22T08:00:00Z","level":"ERROR","msg":"deadlock detected"}"#,
    ),
    (
        "pg_jsonlog",
        r#"{"timestamp":"2026-11-22 08:00:00.123 UTC","error_severity":"ERROR","state_code":"40P01","message":"deadlock detected"}"#,
    ),
    ("json", r#"{"when":"now","log":"deadlock detected"}"#),
    (
        "text",
        "2026-11-22 08:00:00.123 UTC [4242] ERROR:  deadlock detected",
    ),
];

#[test]
fn every_record_format_is_decoded_and_matched() {
    for (format, line) in DEADLOCK_IN_EVERY_FORMAT {
        let report = scan_json(format!("{line}\n").as_bytes(), &[]);
        assert_eq!(count(&report, "deadlock_detected"), 1, "{format}: {line}");
        assert_eq!(
            report["totals"]["decoded_by_format"][format], 1,
            "{format}: {line}"
        );
    }
}

#[test]
fn docker_json_file_envelope_is_unwrapped() {
    let input = concat!(
        r#"{"log":"{\"level\":\"error\",\"msg\":\"deadlock detected\"}\n","stream":"stderr","time":"2026-11-22T08:00:00.5Z"}"#,
        "\n",
        r#"{"log":"routine line\n","stream":"stdout","time":"2026-11-22T08:00:01.5Z"}"#,
        "\n"
    );
    let report = scan_json(input.as_bytes(), &[]);
    assert_eq!(report["sources"][0]["envelope"], "docker");
    let entry = rule_entry(&report, "deadlock_detected").unwrap();
    assert_eq!(entry["count"], 1);
    assert_eq!(entry["first_seen"], "2026-11-22T08:00:00.500Z");
    assert_eq!(report["totals"]["decoded_by_format"]["zap"], 1);
}

#[test]
fn cri_envelope_joins_partial_lines_before_matching() {
    // The runtime split the line inside the trouble words: neither part
    // matches alone.
    let input = concat!(
        "2026-11-22T08:00:00.000000001Z stdout P {\"level\":\"error\",\"msg\":\"dead\n",
        "2026-11-22T08:00:00.000000002Z stdout F lock detected\"}\n",
        "2026-11-22T08:00:01.000000000Z stderr F 2026-11-22 08:00:01 UTC [7] ERROR:  deadlock detected\n",
        "2026-11-22T08:00:02.000000000Z stdout F {\"level\":\"info\",\"msg\":\"routine\"}\n",
    );
    let report = scan_json(input.as_bytes(), &[]);
    assert_eq!(report["sources"][0]["envelope"], "cri");
    assert_eq!(count(&report, "deadlock_detected"), 2);
    assert_eq!(report["totals"]["lines"], 3, "partials count as one line");
    let entry = rule_entry(&report, "deadlock_detected").unwrap();
    assert_eq!(entry["first_seen"], "2026-11-22T08:00:00.000Z");
}

#[test]
fn cri_partial_matches_report_the_first_parts_offset() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m.jsonl");
    let first = "2026-11-22T08:00:00.000000000Z stdout F {\"msg\":\"ok\"}\n";
    let input = format!(
        "{first}2026-11-22T08:00:01.000000001Z stdout P {{\"level\":\"error\",\"msg\":\"dead\n2026-11-22T08:00:01.000000002Z stdout F lock detected\"}}\n"
    );
    scan_json(input.as_bytes(), &["--matches-out", out.to_str().unwrap()]);
    let m: serde_json::Value =
        serde_json::from_str(std::fs::read_to_string(&out).unwrap().trim()).unwrap();
    assert_eq!(m["offset"], first.len() as u64);
}

#[test]
fn trace_context_is_read_from_every_spelling() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m.jsonl");
    let t = "4bf92f3577b34da6a3ce929d0e0e4736";
    let s = "00f067aa0ba902b7";
    let input = [
        format!(r#"{{"msg":"deadlock detected","trace_id":"{t}","span_id":"{s}"}}"#),
        format!(r#"{{"msg":"deadlock detected","traceId":"{t}","spanId":"{s}"}}"#),
        format!(r#"{{"message":"deadlock detected","trace.id":"{t}","span.id":"{s}"}}"#),
        format!(
            r#"{{"message":"deadlock detected","trace":{{"id":"{t}"}},"span":{{"id":"{s}"}}}}"#
        ),
        format!(r#"{{"msg":"deadlock detected","traceparent":"00-{t}-{s}-01"}}"#),
    ]
    .join("\n");
    scan_json(input.as_bytes(), &["--matches-out", out.to_str().unwrap()]);
    let text = std::fs::read_to_string(&out).unwrap();
    let matches: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(matches.len(), 5);
    for m in matches {
        assert_eq!(m["trace_id"], t, "{m}");
        assert_eq!(m["span_id"], s, "{m}");
    }
}

/// Lines PostgreSQL 15.18 (Debian) wrote, as text (`log_destination =
/// stderr`) and `jsonlog`, while a session provoked each error.
#[test]
fn real_postgresql_15_server_logs_are_recognised() {
    for file in ["postgresql-15.log", "postgresql-15.jsonlog"] {
        let out = crate::util::run(&["scan", "--format", "json", &crate::util::data(file)], b"");
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        for rule in [
            "statement_timeout",
            "lock_wait_timeout",
            "deadlock_detected",
            "pg_serialization_failure",
            "db_connection_limit_reached",
        ] {
            assert_eq!(count(&report, rule), 1, "{file}: {rule}");
        }
        assert_eq!(
            report["totals"]["matches"], 5,
            "{file}: startup lines match nothing"
        );
    }
}
