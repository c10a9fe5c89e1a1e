//! Diagnoses: from symptoms open together to their likely cause, in the
//! report, the JSON report, `/metrics`, `tailwatch top` and `check`.

use std::fs;
use std::io::Write;
use std::time::Duration;

use tailwatch::matcher::Matcher;
use tailwatch::rule_tests::diagnosis_fires;
use tailwatch::rules::RuleSet;

use crate::metrics_alerts::{repo, Monitoring};
use crate::sidecar::{appender, Agent};
use crate::util::{run, scan_json, stderr, stdout};

fn pool_then_timeouts() -> String {
    let rules = RuleSet::embedded();
    let d = rules
        .diagnoses
        .iter()
        .find(|d| d.name == "timeouts_from_pool_exhaustion")
        .unwrap();
    d.examples_fire[0].join("\n") + "\n"
}

/// `tailwatch_diagnosis_active` of the pool-then-timeouts diagnosis.
const POOL_TIMEOUTS_ACTIVE: &str = r#"tailwatch_diagnosis_active{diagnosis="timeouts_from_pool_exhaustion",cause="pool_exhaustion",symptom="timeout"}"#;

/// Writes a pool timeout, then (once the agent counted it, so that on its
/// clock the pool's trouble comes first) a statement timeout, and waits
/// until the diagnosis holds.
fn pool_then_timeout_into(agent: &Agent) {
    let lines: Vec<String> = pool_then_timeouts().lines().map(str::to_string).collect();
    let mut log = appender(&agent.log());
    log.write_all(format!("{}\n", lines[0]).as_bytes()).unwrap();
    let pool = r#"tailwatch_matches_total{rule="pool_acquire_timeout",category="pool_exhaustion",severity="critical"}"#;
    agent.wait_until(Duration::from_secs(60), || agent.metric(pool) == Some(1.0));
    log.write_all(format!("{}\n", lines[2]).as_bytes()).unwrap();
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric(POOL_TIMEOUTS_ACTIVE) == Some(1.0)
    });
}

#[test]
fn every_shipped_diagnosis_fires_on_its_pattern_and_not_out_of_order_window_or_alone() {
    let matcher = Matcher::new(RuleSet::embedded());
    let diagnoses = &matcher.rules.diagnoses;
    assert!(diagnoses.len() >= 9, "{} diagnoses", diagnoses.len());
    for (i, d) in diagnoses.iter().enumerate() {
        // In order and in window; the symptom first; one side missing;
        // the cause too long before; the cause over before the symptom.
        assert!(d.examples_fire.len() >= 2, "{}", d.name);
        assert!(d.examples_no_fire.len() >= 4, "{}", d.name);
        for log in &d.examples_fire {
            assert!(
                diagnosis_fires(&matcher, i, log),
                "{} did not fire on {log:#?}",
                d.name
            );
        }
        for log in &d.examples_no_fire {
            assert!(
                !diagnosis_fires(&matcher, i, log),
                "{} fired on {log:#?}",
                d.name
            );
        }
    }
}

#[test]
fn scan_shows_the_diagnosis_above_the_rules_and_in_the_json_report() {
    let out = run(
        &["scan", "--color", "never"],
        pool_then_timeouts().as_bytes(),
    );
    let text = stdout(&out);
    let sentence = "DIAGNOSIS (high confidence) Timeouts are most likely caused by connection-pool exhaustion: pool_acquire_timeout (pool_exhaustion) began 40s before statement_timeout (timeout); both are still open.";
    let at = text.find(sentence).unwrap_or_else(|| panic!("{text}"));
    assert!(at < text.find("SEVERITY").unwrap(), "{text}");

    let report = scan_json(pool_then_timeouts().as_bytes(), &[]);
    let d = &report["diagnoses"][0];
    assert_eq!(d["name"], "timeouts_from_pool_exhaustion");
    assert_eq!(d["active"], true);
    assert_eq!(d["cause"]["rule"], "pool_acquire_timeout");
    assert_eq!(d["cause"]["opened"], "2026-11-22T08:00:00.000Z");
    assert_eq!(d["symptom"]["rule"], "statement_timeout");
    assert_eq!(d["symptom"]["opened"], "2026-11-22T08:00:40.000Z");
    assert_eq!(d["lead_seconds"], 40.0);
    assert_eq!(d["last_seen"], "2026-11-22T08:00:50.000Z");
    assert!(d["action"].as_str().unwrap().contains("pool"));
    // Deterministic: the same input, the same diagnoses.
    assert_eq!(
        scan_json(pool_then_timeouts().as_bytes(), &[])["diagnoses"],
        report["diagnoses"]
    );
}

#[test]
fn check_says_what_is_wrong_with_a_diagnosis() {
    let dir = tempfile::tempdir().unwrap();
    let case = |body: &str| -> String {
        let file = dir.path().join("d.yaml");
        fs::write(&file, format!("diagnoses:\n  - name: mine\n{body}")).unwrap();
        let out = run(&["check", file.to_str().unwrap()], b"");
        assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
        stderr(&out)
    };
    let base = |cause: &str, symptom: &str, extra: &str| {
        format!(
            "    conclusion: x\n    cause: {cause}\n    symptom: {symptom}\n    confidence: high\n    action: y\n{extra}    examples:\n      fires: [[\"a\"]]\n"
        )
    };
    let e = case(&base("{categories: [nope]}", "{categories: [timeout]}", ""));
    assert!(
        e.contains("d.yaml:2: diagnosis `mine`: cause.categories: no rule has category `nope`"),
        "{e}"
    );
    let e = case(&base(
        "{categories: [timeout]}",
        "{categories: [timeout]}",
        "",
    ));
    assert!(e.contains("a rule is both cause and symptom"), "{e}");
    let e = case(&base(
        "{rules: [pool_acquire_timeout]}",
        "{categories: [timeout]}",
        "    lead: {min: 5m, max: 1m}\n",
    ));
    assert!(e.contains("lead.min is longer than lead.max"), "{e}");
    let e = case(&base(
        "{rules: [no_such_rule]}",
        "{categories: [timeout]}",
        "",
    ));
    assert!(
        e.contains("cause.rules: no rule is named `no_such_rule`"),
        "{e}"
    );
}

#[test]
fn a_users_diagnosis_runs_beside_the_shipped_ones() {
    let dir = tempfile::tempdir().unwrap();
    let log = "2026-11-22 08:00:00.000 UTC [1] ERROR:  deadlock detected\n2026-11-22 08:00:30.000 UTC [2] FATAL:  sorry, too many clients already\n";
    fs::write(
        dir.path().join("mine.yaml"),
        format!(
            "diagnoses:\n  - name: clients_pile_up_behind_deadlocks\n    conclusion: Connections pile up behind deadlocked transactions\n    cause: {{categories: [deadlock]}}\n    symptom: {{rules: [db_connection_limit_reached]}}\n    lead: {{min: 10s, max: 2m}}\n    confidence: medium\n    action: Find the deadlocked transactions.\n    examples:\n      fires:\n        - {:?}\n",
            log.lines().collect::<Vec<_>>()
        ),
    )
    .unwrap();
    let patterns = dir.path().to_str().unwrap();
    let out = run(&["test", patterns], b"");
    assert!(out.status.success(), "{}", stdout(&out));
    let report = scan_json(log.as_bytes(), &["--patterns", patterns]);
    let names: Vec<&str> = report["diagnoses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["clients_pile_up_behind_deadlocks"]);
}

#[test]
fn the_agent_shows_the_diagnosis_in_metrics_report_and_top() {
    let dir = tempfile::tempdir().unwrap();
    let agent = Agent::start(dir.path(), &["--start-at", "beginning"]);
    assert_eq!(agent.metric(POOL_TIMEOUTS_ACTIVE), Some(0.0));
    pool_then_timeout_into(&agent);
    let url = format!("http://127.0.0.1:{}", agent.port);
    let mut top = String::new();
    agent.wait_until(Duration::from_secs(60), || {
        top = stdout(&run(&["top", "--once", &url], b""));
        top.contains(
            "! DIAGNOSIS (high) Timeouts are most likely caused by connection-pool exhaustion",
        )
    });
    assert!(top.contains("statement_timeout"), "{top}");
    assert!(top.contains("open incidents: 2"), "{top}");
}

/// The shipped inhibit rule, in a real Alertmanager fed by a real
/// Prometheus with the shipped alert rules: while the diagnosis alert
/// fires, the symptom's alert is suppressed and the cause's is not.
#[test]
fn the_shipped_inhibit_rule_silences_the_symptom_while_the_cause_pages() {
    let dir = tempfile::tempdir().unwrap();
    let agent = Agent::start(dir.path(), &["--start-at", "beginning"]);
    let monitoring = Monitoring::start_with(
        dir.path(),
        &repo("config/alerts/tailwatch.rules.yml"),
        &format!(
            "  - job_name: tailwatch\n    static_configs:\n      - targets: ['127.0.0.1:{}']\n",
            agent.port
        ),
        &fs::read_to_string(repo("config/alerts/tailwatch.inhibit.yml")).unwrap(),
    );
    // The first scrapes see the counters at 0, so the increases are real.
    monitoring.wait_for_series(r#"tailwatch_matches_total{rule="statement_timeout"}"#, 1);
    pool_then_timeout_into(&agent);
    // Prometheus has seen it before it can alert on it.
    monitoring.wait_for_series(
        r#"tailwatch_diagnosis_active{diagnosis="timeouts_from_pool_exhaustion"} == 1"#,
        1,
    );

    monitoring.wait_for_alerts("TailwatchDiagnosisTimeoutsFromPoolExhaustion", 1);
    let cause = monitoring.wait_for_alerts("TailwatchPoolAcquireTimeoutCritical", 1);
    assert_eq!(cause[0]["status"]["state"], "active", "{cause:#?}");
    let mut symptom = Vec::new();
    agent.wait_until(Duration::from_secs(60), || {
        symptom = monitoring.wait_for_alerts("TailwatchStatementTimeoutError", 1);
        symptom[0]["status"]["state"] == "suppressed"
    });
    let by = symptom[0]["status"]["inhibitedBy"].as_array().unwrap();
    assert_eq!(by.len(), 1, "{symptom:#?}");
}

/// Real PostgreSQL 15 output (patterns/corpus/capture/diagnoses/
/// pg_pool_then_timeouts.sh): clients turned away at max_connections for
/// 20 s, then statement timeouts.
#[test]
fn real_postgresql_output_of_a_full_server_then_timeouts_is_diagnosed() {
    let report = scan_json(
        &fs::read(crate::util::data("pg-pool-then-timeouts.log")).unwrap(),
        &[],
    );
    let d = &report["diagnoses"];
    assert_eq!(d.as_array().unwrap().len(), 1, "{d:#}");
    assert_eq!(d[0]["name"], "timeouts_from_pool_exhaustion");
    assert_eq!(d[0]["cause"]["rule"], "db_connection_limit_reached");
    assert_eq!(d[0]["symptom"]["rule"], "statement_timeout");
    assert_eq!(d[0]["cause"]["opened"], "2026-12-06T02:16:55.461Z");
    assert_eq!(d[0]["symptom"]["opened"], "2026-12-06T02:17:34.576Z");
}

/// What a user sees of the story, from `/report`: everything but what
/// moves with the clock (the 1-minute window) and the inputs open.
fn story(report: &serde_json::Value) -> serde_json::Value {
    let mut r = report.clone();
    for key in ["inputs_open", "input_problems", "incidents"] {
        r.as_object_mut().unwrap().remove(key);
    }
    for rule in r["rules"].as_array_mut().unwrap() {
        rule["windows"].as_object_mut().unwrap().remove("1m");
    }
    r
}

/// SIGKILL in the middle of trouble, then a restart: `/report` tells the
/// same story — counts, first and last seen, samples, timelines,
/// 5- and 15-minute windows, totals by format, the time span, and the
/// diagnosis with the incidents it rests on.
#[test]
fn a_restart_changes_nothing_the_report_shows() {
    let dir = tempfile::tempdir().unwrap();
    let agent = Agent::start(dir.path(), &["--start-at", "beginning"]);
    let mut log = appender(&agent.log());
    let lines: Vec<String> = pool_then_timeouts().lines().map(str::to_string).collect();
    log.write_all(format!("{}\n{}\n", lines[0], lines[1]).as_bytes())
        .unwrap();
    let pool = r#"tailwatch_matches_total{rule="pool_acquire_timeout",category="pool_exhaustion",severity="critical"}"#;
    agent.wait_until(Duration::from_secs(60), || agent.metric(pool) == Some(2.0));
    log.write_all(format!("{}\n{}\n", lines[2], lines[3]).as_bytes())
        .unwrap();
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric(POOL_TIMEOUTS_ACTIVE) == Some(1.0)
    });
    let report = |agent: &Agent| -> serde_json::Value {
        serde_json::from_str(&agent.get("/report").unwrap_or_default()).unwrap_or_default()
    };
    let checkpoint = dir.path().join("checkpoints/tailwatch.checkpoint.json");
    let mut before = serde_json::Value::Null;
    // Every line matched (a PostgreSQL record is held a moment for its
    // continuation lines), and the checkpoint has it all.
    let saved_timeouts = || -> Option<u64> {
        let c: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(&checkpoint).ok()?).ok()?;
        c["counters"]["matches"]
            .as_array()?
            .iter()
            .find(|m| m["rule"] == "statement_timeout")?["count"]
            .as_u64()
    };
    agent.wait_until(Duration::from_secs(60), || {
        before = report(&agent);
        crate::util::count(&before, "statement_timeout") == 2 && saved_timeouts() == Some(2)
    });
    agent.kill9();

    let agent = Agent::start(dir.path(), &["--start-at", "beginning"]);
    assert_eq!(agent.metric(POOL_TIMEOUTS_ACTIVE), Some(1.0));
    let mut after = serde_json::Value::Null;
    agent.wait_until(Duration::from_secs(60), || {
        after = report(&agent);
        after["totals"]["lines"] == 4
    });
    let (after, before) = (story(&after), story(&before));
    assert!(
        after == before,
        "{}",
        differences(&before, &after, "").join("\n")
    );
}

/// Where two JSON documents differ, by path.
fn differences(a: &serde_json::Value, b: &serde_json::Value, at: &str) -> Vec<String> {
    match (a, b) {
        (serde_json::Value::Object(x), serde_json::Value::Object(y)) => x
            .keys()
            .chain(y.keys())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .flat_map(|k| {
                let null = serde_json::Value::Null;
                differences(
                    x.get(k).unwrap_or(&null),
                    y.get(k).unwrap_or(&null),
                    &format!("{at}.{k}"),
                )
            })
            .collect(),
        (serde_json::Value::Array(x), serde_json::Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .flat_map(|(i, (x, y))| differences(x, y, &format!("{at}[{i}]")))
            .collect(),
        _ if a == b => Vec::new(),
        _ => vec![format!("{at}: before {a}, after {b}")],
    }
}

#[test]
fn a_stream_that_takes_most_conflicts_is_named_as_the_cause() {
    let rules = RuleSet::embedded();
    let d = rules
        .diagnoses
        .iter()
        .find(|d| d.name == "conflicts_from_a_hot_stream")
        .unwrap();
    let report = scan_json((d.examples_fire[0].join("\n") + "\n").as_bytes(), &[]);
    let found = &report["diagnoses"][0];
    assert_eq!(found["name"], "conflicts_from_a_hot_stream");
    assert_eq!(found["hot_key"]["name"], "stream");
    assert_eq!(found["hot_key"]["value"], "account-42");
    assert_eq!(found["hot_key"]["matches"], 6);
    assert_eq!(found["hot_key"]["of"], 8);
    assert!(found["summary"]
        .as_str()
        .unwrap()
        .contains("stream account-42 holds 6 of 8 matches of concurrency_conflict"));
}
