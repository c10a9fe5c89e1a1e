//! What a match counts for and at what severity: one count per symptom,
//! the line's level as a floor and a ceiling, values read from wherever
//! they are, and the words that say what went wrong.

use std::path::Path;

use crate::util::{count, data, rule_entry, run, scan_json, stderr, stdout};

/// A rule file of two rules of one category, `ledger`, that both match a
/// multi-line ledger report, and a rule with an `event_key`.
const LEDGER_RULES: &str = r#"
categories: [ledger]
rules:
  - name: ledger_imbalance
    category: ledger
    severity: warning
    description: The ledger does not balance.
    action: Reconcile.
    match:
      regex: '(?i)ledger imbalance'
    examples:
      match: ['ledger imbalance', 'Ledger imbalance found', 'LEDGER IMBALANCE']
      no_match: ['ledger balanced', 'imbalance of power']
  - name: ledger_negative_balance
    category: ledger
    severity: error
    description: An account went negative.
    action: Freeze the account.
    match:
      regex: '(?i)negative balance on account (?P<account>\d+)'
    event_key: account
    examples:
      match: ['negative balance on account 7', 'Negative balance on account 8', 'NEGATIVE BALANCE ON ACCOUNT 9']
      no_match: ['balance on account 7', 'positive balance on account 7']
"#;

/// A directory holding `rules` as its one rule file, `r.yaml`.
fn rule_dir(rules: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("r.yaml"), rules).unwrap();
    dir
}

fn scan_with(rules: &Path, input: &str) -> serde_json::Value {
    scan_json(input.as_bytes(), &["--patterns", rules.to_str().unwrap()])
}

#[test]
fn one_record_counts_once_per_category_at_its_most_specific_rule() {
    let rules = rule_dir(LEDGER_RULES);
    // A Java exception's record: both ledger rules match its lines.
    let record = "2026-12-02 03:00:00.250 ERROR [ledger] ledger imbalance detected\n\
                  com.example.LedgerException: negative balance on account 7\n\
                  \tat com.example.Ledger.post(Ledger.java:41)\n";
    let report = scan_with(rules.path(), record);
    assert_eq!(count(&report, "ledger_negative_balance"), 1);
    assert_eq!(
        count(&report, "ledger_imbalance"),
        0,
        "the same symptom, counted once"
    );
    // On their own, each counts.
    let report = scan_with(rules.path(), "ledger imbalance detected\n");
    assert_eq!(count(&report, "ledger_imbalance"), 1);
}

#[test]
fn an_event_reported_in_two_records_counts_once() {
    let rules = rule_dir(LEDGER_RULES);
    let lines = "2026-12-02 03:00:00.100 ERROR negative balance on account 7 (posting)\n\
                 2026-12-02 03:00:00.400 ERROR negative balance on account 7 (rollback)\n\
                 2026-12-02 03:00:00.500 ERROR negative balance on account 8\n\
                 2026-12-02 03:10:00.000 ERROR negative balance on account 7 (again, later)\n";
    let report = scan_with(rules.path(), lines);
    assert_eq!(count(&report, "ledger_negative_balance"), 3);
    assert_eq!(report["totals"]["repeated_events"], 1);
}

#[test]
fn a_postgresql_deadlock_logged_twice_counts_once() {
    // Real PostgreSQL 15 output with log_lock_waits = on: each of 6
    // deadlocks' victims logs `LOG: process N detected deadlock while
    // waiting ...` and then `ERROR: deadlock detected`.
    for file in ["pg-deadlock-pairs.log", "pg-deadlock-pairs.jsonlog"] {
        let text = std::fs::read_to_string(data(file)).unwrap();
        assert_eq!(text.matches("deadlock detected").count(), 6, "{file}");
        let report = scan_json(text.as_bytes(), &[]);
        assert_eq!(count(&report, "deadlock_detected"), 6, "{file}");
        assert_eq!(report["totals"]["repeated_events"], 6, "{file}");
    }
}

#[test]
fn deadlocks_one_node_process_logs_in_a_row_count_each() {
    // pino writes its own process's pid in every record: three deadlocks a
    // second apart are three events, not one backend's two lines.
    let lines: String = (0..3)
        .map(|i| {
            format!(
                "{{\"level\":50,\"time\":179542918{i}000,\"pid\":4242,\"hostname\":\"api-7\",\"msg\":\"transfer failed\",\"err\":{{\"type\":\"DatabaseError\",\"message\":\"deadlock detected\",\"code\":\"40P01\"}}}}\n"
            )
        })
        .collect();
    let report = scan_json(lines.as_bytes(), &[]);
    assert_eq!(count(&report, "deadlock_detected"), 3, "{report}");
    assert_eq!(report["totals"]["repeated_events"], 0);
}

#[test]
fn the_lines_level_raises_and_holds_down_the_severity() {
    let rule = r#"
rules:
  - name: cache_miss_storm
    category: timeout
    severity: error
    description: d
    action: a
    match:
      regex: 'cache backend timed out'
    level_severity: {fatal: critical}
    level_ceiling: {info: warning, debug: info}
    examples:
      match: ['{"level":"error","msg":"cache backend timed out"}', 'cache backend timed out', 'ERROR cache backend timed out']
      no_match: ['cache backend ok', 'cache timed']
"#;
    let dir = rule_dir(rule);
    let severity = |level: &str| {
        let line = format!("{{\"level\":\"{level}\",\"msg\":\"cache backend timed out\"}}\n");
        let report = scan_with(dir.path(), &line);
        rule_entry(&report, "cache_miss_storm").unwrap()["severity"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(severity("debug"), "info");
    assert_eq!(severity("info"), "warning");
    assert_eq!(severity("warn"), "error");
    assert_eq!(severity("error"), "error");
    assert_eq!(severity("fatal"), "critical");
    // `explain` says why.
    let out = run(
        &[
            "explain",
            "--patterns",
            dir.path().to_str().unwrap(),
            r#"{"level":"info","msg":"cache backend timed out"}"#,
        ],
        b"",
    );
    let text = stdout(&out);
    assert!(text.contains("severity: error (the rule's)"), "{text}");
    assert!(
        text.contains("the line is at info or below: held down to warning (level_ceiling)"),
        "{text}"
    );
    // The generated alerts know the severities a ceiling makes reachable.
    let alerts = stdout(&run(
        &[
            "alerts",
            "--no-default-rules",
            "--patterns",
            dir.path().to_str().unwrap(),
        ],
        b"",
    ));
    for name in [
        "TailwatchCacheMissStormWarning",
        "TailwatchCacheMissStormError",
        "TailwatchCacheMissStormCritical",
    ] {
        assert!(alerts.contains(name), "{name} in\n{alerts}");
    }
}

#[test]
fn a_retry_at_warn_is_routine_and_at_error_is_trouble() {
    // The shipped fallbacks drop a connection refused or a timeout that the
    // program says it will retry, unless it logs that at ERROR or above.
    // urllib3 2.7 (captured; the request succeeded on a later attempt) and
    // watermill (ThreeDotsLabs/watermill, middleware/retry.go) wrote these.
    let warn = "2026-12-01 23:02:36,665 WARNING urllib3.connectionpool Retrying (Retry(total=4, connect=None, read=None, redirect=None, status=None)) after connection broken by 'NewConnectionError(\"HTTPConnection(host='127.0.0.1', port=55575): Failed to establish a new connection: [Errno 111] Connection refused\")': /\n";
    let error = "[watermill] 2024/05/01 12:00:00.123456 retry.go:79: \tlevel=ERROR msg=\"Error occurred, retrying\" err=\"dial tcp 10.0.7.3:8080: connect: connection refused\" max_retries=3 retry_no=1 wait_time=100ms\n";
    let rule = "connection_refused_or_reset";
    assert_eq!(count(&scan_json(warn.as_bytes(), &[]), rule), 0);
    // `explain` says what undid the match.
    let why = stdout(&run(&["explain", warn.trim_end()], b""));
    assert!(
        why.contains(
            "no match  connection_refused_or_reset: regex matched message, and match.unless_below"
        ) && why.contains("the line is at warn, below error"),
        "{why}"
    );
    let report = scan_json(error.as_bytes(), &[]);
    assert_eq!(count(&report, rule), 1);
    assert_eq!(rule_entry(&report, rule).unwrap()["severity"], "error");

    // In a rule file of one's own: `unless_below` undoes the match below
    // its level and on a line with no level.
    let rules = r#"
rules:
  - name: broker_unreachable
    category: upstream_unavailable
    severity: warning
    description: d
    action: a
    match:
      regex: 'broker unreachable'
      unless_below: {level: error, regex: 'will retry'}
    examples:
      match: ['broker unreachable', 'ERROR broker unreachable, will retry', 'broker unreachable!']
      no_match: ['broker unreachable, will retry', 'WARN broker unreachable, will retry']
"#;
    let dir = rule_dir(rules);
    let matches = |line: &str| {
        count(
            &scan_with(dir.path(), &format!("{line}\n")),
            "broker_unreachable",
        )
    };
    assert_eq!(
        matches(r#"{"level":"warn","msg":"broker unreachable, will retry"}"#),
        0
    );
    assert_eq!(matches("broker unreachable, will retry"), 0);
    assert_eq!(
        matches(r#"{"level":"error","msg":"broker unreachable, will retry"}"#),
        1
    );
    assert_eq!(
        matches(r#"{"level":"fatal","msg":"broker unreachable, will retry"}"#),
        1
    );
    assert_eq!(matches(r#"{"level":"warn","msg":"broker unreachable"}"#), 1);
    // A bad level is a clear error.
    std::fs::write(
        dir.path().join("r.yaml"),
        rules.replace("level: error", "level: loud"),
    )
    .unwrap();
    let out = run(&["scan", "--patterns", dir.path().to_str().unwrap()], b"");
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("unknown level `loud` in match.unless_below"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn values_are_read_from_their_own_field_when_the_text_lacks_them() {
    // sqlx's slow acquire: in JSON the number is a field, in text it
    // follows the message; above 10 s the match is `error`.
    let json = r#"{"timestamp":"2026-11-22T09:23:09.912Z","level":"WARN","fields":{"message":"acquired connection, but time to acquire exceeded slow threshold","acquired_after_secs":14.2,"slow_acquire_threshold_secs":2.0},"target":"sqlx::pool::acquire"}"#;
    let text = "2026-11-22T09:23:10.881532Z  WARN sqlx::pool::acquire: acquired connection, but time to acquire exceeded slow threshold acquired_after_secs=2.731 slow_acquire_threshold_secs=2.0";
    let severity = |line: &str| {
        let report = scan_json(format!("{line}\n").as_bytes(), &[]);
        rule_entry(&report, "slow_pool_acquire").unwrap()["severity"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(severity(json), "error");
    assert_eq!(severity(text), "warning");
    let out = stdout(&run(&["explain", json], b""));
    assert!(
        out.contains("extract pool_acquire_seconds = 14.2 s (from capture `acquired`, else field `acquired_after_secs`)"),
        "{out}"
    );
    assert!(
        out.contains("escalate when acquired > 10: acquired = 14.2 s, holds: at least error"),
        "{out}"
    );
}

#[test]
fn a_traceback_shows_the_exception_raised_in_the_report() {
    // python-json-logger puts the traceback in `exc_info`.
    let line = r#"{"asctime": "2026-12-02 03:00:00,250", "levelname": "ERROR", "name": "orders.db", "message": "checkout failed", "exc_info": "Traceback (most recent call last):\n  File \"/app/db.py\", line 12, in checkout\n    conn = engine.connect()\n  File \"/usr/lib/python3/dist-packages/sqlalchemy/pool/impl.py\", line 164, in _do_get\n    raise exc.TimeoutError(\nsqlalchemy.exc.TimeoutError: QueuePool limit of size 5 overflow 10 reached, connection timed out, timeout 30.00"}"#;
    let report = scan_json(format!("{line}\n").as_bytes(), &[]);
    let sample = rule_entry(&report, "python_pool_timeout").unwrap()["sample"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        sample,
        "sqlalchemy.exc.TimeoutError: QueuePool limit of size 5 overflow 10 reached, connection timed out, timeout 30.00"
    );
    assert_eq!(
        report["time_span"]["first"], "2026-12-02T03:00:00.250Z",
        "asctime"
    );
    let out = run(
        &["scan", "--format", "human"],
        format!("{line}\n").as_bytes(),
    );
    let human = stdout(&out);
    assert!(
        human.contains("sample: sqlalchemy.exc.TimeoutError: QueuePool limit"),
        "{human}{}",
        stderr(&out)
    );
}
