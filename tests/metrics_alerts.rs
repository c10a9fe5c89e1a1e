//! `/metrics`, `/readyz` and `/report` of a running agent, the shipped
//! alert rules checked and unit-tested with the real promtool, and the
//! alerts proven end to end through a real Prometheus and Alertmanager.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::sidecar::Agent;
use crate::util::http_get;

/// A program the tests need; CI installs it, and its absence fails the test.
fn require(program: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|d| d.join(program))
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "`{program}` is not installed: apt-get install prometheus prometheus-alertmanager"
            )
        })
}

pub(crate) fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn append(path: &Path, lines: &[String]) {
    let mut f = crate::sidecar::appender(path);
    for l in lines {
        writeln!(f, "{l}").unwrap();
    }
}

fn tracing(level: &str, message: &str, fields: &str) -> String {
    tracing_at("08:00:00", level, message, fields)
}

/// A tracing-subscriber JSON line logged at `time` on 2026-11-22.
fn tracing_at(time: &str, level: &str, message: &str, fields: &str) -> String {
    format!(
        r#"{{"timestamp":"2026-11-22T{time}Z","level":"{level}","fields":{{"message":"{message}"{fields}}},"target":"app"}}"#
    )
}

#[test]
fn metrics_hold_exact_values_and_pass_promtool() {
    let dir = tempfile::tempdir().unwrap();
    let agent = Agent::start(dir.path(), &["--start-at", "beginning"]);

    // Before any match, the series of every severity each rule can reach
    // (its base, escalations and the floors its lines' levels set) exist
    // at 0, so that increase() sees the first match.
    let before = agent.get("/metrics").unwrap();
    for rule in tailwatch::rules::RuleSet::embedded().rules {
        for severity in rule.reachable_severities() {
            let series = format!(
                "tailwatch_matches_total{{rule=\"{}\",category=\"{}\",severity=\"{severity}\"}} 0",
                rule.name, rule.category
            );
            assert!(before.contains(&series), "missing {series}");
        }
    }
    assert!(before.contains(
        r#"tailwatch_matches_total{rule="pg_serialization_failure",category="concurrency_conflict",severity="error"} 0"#
    ), "a severity reached only through the line's level");
    assert!(before.contains("tailwatch_state 0"));

    let log = agent.log();
    append(
        &log,
        &[
            tracing("ERROR", "Command failed", r#","error":"deadlock detected""#),
            tracing("ERROR", "Command failed", r#","error":"deadlock detected""#),
            tracing("ERROR", "Command failed", r#","error":"deadlock detected""#),
            tracing(
                "WARN",
                "Projection lag detected",
                r#","projection_name":"p1","lag_seconds":420"#,
            ),
            tracing(
                "WARN",
                "Projection lag detected",
                r#","projection_name":"p2","lag_seconds":2400"#,
            ),
            tracing(
                "WARN",
                "High connection pool utilization",
                r#","utilization_percent":97"#,
            ),
            tracing(
                "ERROR",
                "Command failed",
                r#","total_duration_ms":30000,"error":"command execution timeout after 30s""#,
            ),
            r#"{"level":"error","msg":"truncated"#.to_string(),
            tracing(
                "INFO",
                "Command completed successfully",
                r#","total_duration_ms":12"#,
            ),
        ],
    );
    let series = |s: &str| agent.metric(s);
    let glob = format!("{}/logs/*.log", dir.path().display());
    let lines_read = format!("tailwatch_lines_read_total{{input=\"{glob}\"}}");
    agent.wait_until(Duration::from_secs(60), || series(&lines_read) == Some(9.0));
    let text = agent.get("/metrics").unwrap();
    let expect = [
        (crate::sidecar::DEADLOCKS, 3.0),
        (
            r#"tailwatch_matches_total{rule="projection_lag",category="projection_lag",severity="warning"}"#,
            1.0,
        ),
        (
            r#"tailwatch_matches_total{rule="projection_lag",category="projection_lag",severity="critical"}"#,
            1.0,
        ),
        (
            r#"tailwatch_matches_total{rule="projection_lag",category="projection_lag",severity="info"}"#,
            0.0,
        ),
        (
            r#"tailwatch_matches_total{rule="pool_utilization_high",category="pool_pressure",severity="critical"}"#,
            1.0,
        ),
        (
            r#"tailwatch_incident_open{rule="projection_lag",category="projection_lag",severity="critical"}"#,
            1.0,
        ),
        (
            r#"tailwatch_incident_open{rule="projection_lag",category="projection_lag",severity="warning"}"#,
            0.0,
        ),
        (
            r#"tailwatch_incident_open{rule="deadlock_detected",category="deadlock",severity="error"}"#,
            1.0,
        ),
        ("tailwatch_state", 4.0),
        (
            r#"tailwatch_projection_lag_seconds{projection="p1"}"#,
            420.0,
        ),
        (
            r#"tailwatch_projection_lag_seconds{projection="p2"}"#,
            2400.0,
        ),
        ("tailwatch_pool_utilization_ratio", 0.97),
        (r#"tailwatch_command_duration_seconds_bucket{le="10"}"#, 0.0),
        (r#"tailwatch_command_duration_seconds_bucket{le="30"}"#, 1.0),
        ("tailwatch_command_duration_seconds_count", 1.0),
        ("tailwatch_command_duration_seconds_sum", 30.0),
        (
            r#"tailwatch_decode_errors_total{kind="truncated_json"}"#,
            1.0,
        ),
        ("tailwatch_files_tailed", 1.0),
    ];
    for (name, value) in expect {
        assert_eq!(series(name), Some(value), "{name}\n{text}");
    }
    assert!(series("process_resident_memory_bytes").unwrap() > 0.0);
    assert!(series("process_cpu_seconds_total").is_some());

    promtool_check_metrics(&text);
}

/// `promtool check metrics` accepts `text` (no parse error, no lint).
pub(crate) fn promtool_check_metrics(text: &str) {
    let mut check = Command::new(require("promtool"))
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    check
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = check.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "promtool check metrics: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The port a Prometheus or Alertmanager started on port 0 got: both log
/// `msg="Listening on" address=127.0.0.1:PORT` (logfmt) to `log`.
fn listening_port(log: &Path) -> u16 {
    let mut port = None;
    crate::util::wait_until(Duration::from_secs(60), || {
        let text = fs::read_to_string(log).unwrap_or_default();
        port = text
            .lines()
            .filter(|l| l.contains(r#"msg="Listening on""#))
            .find_map(|l| {
                let after = l.split("address=127.0.0.1:").nth(1)?;
                after.split_whitespace().next()?.parse().ok()
            });
        port.is_some()
    });
    port.unwrap()
}

/// `/report` as JSON.
fn report(agent: &Agent) -> serde_json::Value {
    serde_json::from_str(&agent.get("/report").unwrap()).unwrap()
}

#[test]
fn readyz_never_waits_for_inputs_which_are_a_metric_and_report_shows_open_incidents() {
    let dir = tempfile::tempdir().unwrap();
    let agent = Agent::start(dir.path(), &["--start-at", "beginning"]);
    // No file matches the glob yet: a sidecar that said "not ready" now
    // would take its application out of the Service.
    assert_eq!(agent.request("/readyz").unwrap().0, 200);
    assert_eq!(agent.metric("tailwatch_inputs_open"), Some(0.0));
    agent.wait_until(Duration::from_secs(60), || {
        agent
            .get("/report")
            .is_some_and(|r| r.contains("inputs_open"))
    });
    assert_eq!(report(&agent)["inputs_open"], 0);
    append(
        &agent.log(),
        &[tracing(
            "ERROR",
            "Command failed",
            r#","error":"deadlock detected""#,
        )],
    );
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric("tailwatch_inputs_open") == Some(1.0)
    });
    assert_eq!(agent.request("/readyz").unwrap().0, 200);
    agent.wait_until(Duration::from_secs(60), || {
        agent
            .get("/report")
            .is_some_and(|r| r.contains("deadlock_detected"))
    });
    let report = report(&agent);
    assert_eq!(report["inputs_open"], 1);
    assert_eq!(report["state"], "error");
    assert_eq!(report["totals"]["lines"], 1);
    assert_eq!(report["rules"][0]["name"], "deadlock_detected");
    assert_eq!(report["rules"][0]["count"], 1);
    assert_eq!(report["incidents"][0]["rule"], "deadlock_detected");
    assert_eq!(report["incidents"][0]["severity"], "error");
    assert_eq!(report["incidents"][0]["matches"], 1);
}

/// Time is the subject here, so the agent goes by the log's clock: the
/// incident stays open however slow the machine, until the log says the
/// quiet period has passed.
#[test]
fn incidents_close_after_the_quiet_period() {
    let dir = tempfile::tempdir().unwrap();
    let agent = Agent::start(
        dir.path(),
        &[
            "--start-at",
            "beginning",
            "--clock",
            "log",
            "--incident-quiet-secs",
            "60",
        ],
    );
    let deadlock = |time| {
        tracing_at(
            time,
            "ERROR",
            "Command failed",
            r#","error":"deadlock detected""#,
        )
    };
    let timeout = |time| {
        tracing_at(
            time,
            "ERROR",
            "Command failed",
            r#","error":"pool timed out while waiting for an open connection""#,
        )
    };
    let open =
        r#"tailwatch_incident_open{rule="deadlock_detected",category="deadlock",severity="error"}"#;
    append(&agent.log(), &[deadlock("08:00:00")]);
    agent.wait_until(Duration::from_secs(60), || agent.metric(open) == Some(1.0));
    assert_eq!(agent.metric("tailwatch_state"), Some(3.0));
    // Other trouble 59 s later in the log: still within the quiet period.
    append(&agent.log(), &[timeout("08:00:59")]);
    let timeouts = r#"tailwatch_matches_total{rule="pool_acquire_timeout",category="pool_exhaustion",severity="critical"}"#;
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric(timeouts) == Some(1.0)
    });
    assert_eq!(agent.metric(open), Some(1.0));
    // 61 s: closed.
    append(&agent.log(), &[timeout("08:01:01")]);
    agent.wait_until(Duration::from_secs(60), || agent.metric(open) == Some(0.0));
    // The counter stays.
    assert_eq!(agent.metric(crate::sidecar::DEADLOCKS), Some(1.0));
}

#[test]
fn label_values_from_logs_are_capped_and_memory_stays_flat() {
    let dir = tempfile::tempdir().unwrap();
    let agent = Agent::start(dir.path(), &["--start-at", "beginning"]);
    let lag = |i: u64| {
        tracing(
            "WARN",
            "Projection lag detected",
            &format!(r#","projection_name":"projection_{i}","lag_seconds":400"#),
        )
    };
    let count = |agent: &Agent| {
        agent
            .get("/metrics")
            .unwrap()
            .lines()
            .filter(|l| l.starts_with("tailwatch_projection_lag_seconds{"))
            .count()
    };
    let dropped = r#"tailwatch_series_dropped_total{metric="tailwatch_projection_lag_seconds"}"#;
    append(&agent.log(), &(0..20_000).map(lag).collect::<Vec<_>>());
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric(dropped) == Some(19_000.0)
    });
    // Warmed up (buffers, caches and the allocator's arenas at their
    // working size), memory must not grow with more names.
    append(
        &agent.log(),
        &(20_000..100_000).map(lag).collect::<Vec<_>>(),
    );
    agent.wait_until(Duration::from_secs(120), || {
        agent.metric(dropped) == Some(99_000.0)
    });
    let rss_warm = agent.metric("process_resident_memory_bytes").unwrap();
    append(
        &agent.log(),
        &(100_000..180_000).map(lag).collect::<Vec<_>>(),
    );
    agent.wait_until(Duration::from_secs(120), || {
        agent.metric(dropped) == Some(179_000.0)
    });
    let rss_later = agent.metric("process_resident_memory_bytes").unwrap();
    assert_eq!(count(&agent), 1001, "1000 series and `other`");
    assert_eq!(
        agent.metric(r#"tailwatch_projection_lag_seconds{projection="other"}"#),
        Some(400.0)
    );
    let growth = rss_later - rss_warm;
    eprintln!("resident memory after 100 000 names: {rss_warm} B, after 180 000: {rss_later} B");
    assert!(
        growth < 4.0 * 1024.0 * 1024.0,
        "RSS grew {growth} bytes over 80 000 more names"
    );
}

#[test]
fn extracted_gauges_expire_when_no_longer_updated() {
    let dir = tempfile::tempdir().unwrap();
    let agent = Agent::start(
        dir.path(),
        &["--start-at", "beginning", "--series-ttl-secs", "1"],
    );
    let lag = tracing(
        "WARN",
        "Projection lag detected",
        r#","projection_name":"p1","lag_seconds":400"#,
    );
    let series = r#"tailwatch_projection_lag_seconds{projection="p1"}"#;
    // Updated until seen, however long a busy machine takes to look: a
    // series kept fresh is served.
    agent.wait_until(Duration::from_secs(60), || {
        append(&agent.log(), std::slice::from_ref(&lag));
        agent.metric(series) == Some(400.0)
    });
    agent.wait_until(Duration::from_secs(60), || agent.metric(series).is_none());
}

#[test]
fn shipped_alert_files_are_generated_from_the_pack() {
    let dir = tempfile::tempdir().unwrap();
    let out = crate::util::run(&["alerts", "--out", dir.path().to_str().unwrap()], b"");
    assert!(out.status.success(), "{}", crate::util::stderr(&out));
    for file in [
        "tailwatch.rules.yml",
        "tailwatch.rules.test.yml",
        "tailwatch.inhibit.yml",
    ] {
        let fresh = fs::read_to_string(dir.path().join(file)).unwrap();
        let shipped = fs::read_to_string(repo("config/alerts").join(file)).unwrap();
        assert!(
            fresh == shipped,
            "config/alerts/{file} is out of date: run `tailwatch alerts --out config/alerts`"
        );
    }
}

/// The alert rules of the rules file at `path`.
fn alert_rules(path: &Path) -> Vec<serde_yaml_ng::Value> {
    let rules: serde_yaml_ng::Value =
        serde_yaml_ng::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    rules["groups"]
        .as_sequence()
        .unwrap()
        .iter()
        .flat_map(|g| g["rules"].as_sequence().unwrap().clone())
        .collect()
}

/// promtool accepts the rules in `dir` and their unit tests pass; every
/// alert has a test where it fires and one where it stays quiet, and the
/// annotations on-call reads.
fn promtool_passes(dir: &Path) {
    let promtool = require("promtool");
    let check = Command::new(&promtool)
        .args(["check", "rules", "tailwatch.rules.yml"])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let test = Command::new(&promtool)
        .args(["test", "rules", "tailwatch.rules.test.yml"])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        test.status.success(),
        "{}{}",
        String::from_utf8_lossy(&test.stdout),
        String::from_utf8_lossy(&test.stderr)
    );
    let tests: serde_yaml_ng::Value =
        serde_yaml_ng::from_str(&fs::read_to_string(dir.join("tailwatch.rules.test.yml")).unwrap())
            .unwrap();
    let expectations: Vec<(String, bool)> = tests["tests"]
        .as_sequence()
        .unwrap()
        .iter()
        .flat_map(|t| t["alert_rule_test"].as_sequence().unwrap().clone())
        .map(|a| {
            (
                a["alertname"].as_str().unwrap().to_string(),
                !a["exp_alerts"].as_sequence().unwrap().is_empty(),
            )
        })
        .collect();
    for rule in alert_rules(&dir.join("tailwatch.rules.yml")) {
        let name = rule["alert"].as_str().unwrap();
        for fires in [true, false] {
            assert!(
                expectations.contains(&(name.to_string(), fires)),
                "{name} has no test where it {}",
                if fires { "fires" } else { "stays quiet" }
            );
        }
        for key in ["summary", "description", "runbook_url", "action"] {
            assert!(rule["annotations"][key].is_string(), "{name} lacks {key}");
        }
        assert!(
            rule["labels"]["severity"].is_string(),
            "{name} lacks a severity label"
        );
    }
}

#[test]
fn promtool_checks_and_unit_tests_the_shipped_rules() {
    promtool_passes(&repo("config/alerts"));
}

#[test]
fn every_severity_a_rule_can_reach_pages_and_info_never_does() {
    let alerts = alert_rules(&repo("config/alerts/tailwatch.rules.yml"));
    let mut watched = 0;
    for rule in tailwatch::rules::RuleSet::embedded().rules {
        for severity in rule.reachable_severities() {
            let selects = |a: &&serde_yaml_ng::Value| {
                let expr = a["expr"].as_str().unwrap();
                expr.contains(&format!("rule=\"{}\"", rule.name))
                    && expr.contains(&format!("severity=\"{severity}\""))
            };
            let alert = alerts.iter().find(selects);
            if severity >= tailwatch::rules::Severity::Warning {
                let alert = alert.unwrap_or_else(|| {
                    panic!(
                        "{} reaches {severity} and no alert watches that series",
                        rule.name
                    )
                });
                assert_eq!(alert["labels"]["severity"], severity.as_str());
                watched += 1;
            } else {
                assert!(alert.is_none(), "{} pages at info", rule.name);
            }
        }
    }
    assert!(
        alerts
            .iter()
            .any(|a| a["alert"] == "TailwatchPgSerializationFailureError"),
        "the error severity a serialization failure reaches by its line's level"
    );
    for alert in &alerts {
        assert_ne!(alert["labels"]["severity"], "info", "{:?}", alert["alert"]);
    }
    eprintln!("{watched} (rule, severity) pairs page");
}

#[test]
fn a_selector_goes_into_every_expression_and_no_job_is_assumed() {
    let dir = tempfile::tempdir().unwrap();
    let out = crate::util::run(
        &[
            "alerts",
            "--selector",
            r#"namespace="payments",cluster=~"eu-1|eu-2""#,
            "--out",
            dir.path().to_str().unwrap(),
        ],
        b"",
    );
    assert!(out.status.success(), "{}", crate::util::stderr(&out));
    for (path, matchers) in [
        (
            dir.path().join("tailwatch.rules.yml"),
            r#"namespace="payments",cluster=~"eu-1|eu-2""#,
        ),
        (repo("config/alerts/tailwatch.rules.yml"), ""),
    ] {
        for alert in alert_rules(&path) {
            let expr = alert["expr"].as_str().unwrap();
            assert!(!expr.contains("job="), "{expr}");
            // Every tailwatch series the expression reads is selected with
            // the user's matchers.
            for (at, _) in expr.match_indices("tailwatch_") {
                let rest = &expr[at..];
                let name_end = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(rest.len());
                let selector = rest[name_end..]
                    .strip_prefix('{')
                    .and_then(|r| r.split_once('}'))
                    .map_or("", |(inside, _)| inside);
                assert!(
                    selector.ends_with(matchers),
                    "{} reads {} without the selector: {expr}",
                    alert["alert"].as_str().unwrap(),
                    &rest[..name_end]
                );
            }
        }
    }
    promtool_passes(dir.path());

    let out = crate::util::run(&["alerts", "--selector", "namespace=payments"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(crate::util::stderr(&out).contains("double quotes"));
}

/// A child process stopped when the test ends.
pub(crate) struct Running(pub(crate) Child);
impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A real Prometheus, with the rules at `rules` (their `for:` shortened,
/// so a test does not wait minutes; promtool tests the shipped values)
/// and `scrape_configs`, sending alerts to a real Alertmanager.
pub(crate) struct Monitoring {
    prometheus: u16,
    alertmanager: u16,
    _processes: [Running; 2],
}

impl Monitoring {
    pub(crate) fn start(dir: &Path, rules: &Path, scrape_configs: &str) -> Monitoring {
        Monitoring::start_with(dir, rules, scrape_configs, "")
    }

    /// `start`, with `alertmanager_extra` (YAML, such as `inhibit_rules`)
    /// added to Alertmanager's config.
    pub(crate) fn start_with(
        dir: &Path,
        rules: &Path,
        scrape_configs: &str,
        alertmanager_extra: &str,
    ) -> Monitoring {
        let prometheus = require("prometheus");
        let alertmanager = require("prometheus-alertmanager");
        fs::write(
            dir.join("alertmanager.yml"),
            format!("route:\n  receiver: default\n  group_wait: 1s\n  group_interval: 1s\nreceivers:\n  - name: default\n{alertmanager_extra}"),
        )
        .unwrap();
        let am = Running(
            Command::new(&alertmanager)
                .arg(format!(
                    "--config.file={}",
                    dir.join("alertmanager.yml").display()
                ))
                .arg(format!("--storage.path={}", dir.join("am").display()))
                .arg("--web.listen-address=127.0.0.1:0")
                .arg("--cluster.listen-address=")
                .stdout(Stdio::null())
                .stderr(fs::File::create(dir.join("alertmanager.log")).unwrap())
                .spawn()
                .unwrap(),
        );
        let am_port = listening_port(&dir.join("alertmanager.log"));
        let shortened = fs::read_to_string(rules)
            .unwrap()
            .replace("for: 1m", "for: 0s")
            .replace("for: 0m", "for: 0s");
        fs::write(dir.join("rules.yml"), shortened).unwrap();
        fs::write(
            dir.join("prometheus.yml"),
            format!(
                "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files:\n  - {rules}\nalerting:\n  alertmanagers:\n    - static_configs:\n        - targets: ['127.0.0.1:{am_port}']\nscrape_configs:\n{scrape_configs}",
                rules = dir.join("rules.yml").display(),
            ),
        )
        .unwrap();
        let prom = Running(
            Command::new(&prometheus)
                .arg(format!(
                    "--config.file={}",
                    dir.join("prometheus.yml").display()
                ))
                .arg(format!(
                    "--storage.tsdb.path={}",
                    dir.join("tsdb").display()
                ))
                .arg("--web.listen-address=127.0.0.1:0")
                .stdout(Stdio::null())
                .stderr(fs::File::create(dir.join("prometheus.log")).unwrap())
                .spawn()
                .unwrap(),
        );
        let prom_port = listening_port(&dir.join("prometheus.log"));
        for port in [am_port, prom_port] {
            crate::util::wait_until(Duration::from_secs(60), || {
                http_get(port, "/-/ready").is_some_and(|(s, _)| s == 200)
            });
        }
        Monitoring {
            prometheus: prom_port,
            alertmanager: am_port,
            _processes: [prom, am],
        }
    }

    /// Waits until `query` returns `n` series.
    pub(crate) fn wait_for_series(&self, query: &str, n: usize) {
        let encoded: String = query
            .bytes()
            .map(|b| match b {
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' | b'-' | b'.' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect();
        crate::util::wait_until(Duration::from_secs(60), || {
            http_get(self.prometheus, &format!("/api/v1/query?query={encoded}"))
                .and_then(|(_, body)| {
                    let json = &body[body.find('{')?..=body.rfind('}')?];
                    let v: serde_json::Value = serde_json::from_str(json).ok()?;
                    Some(v["data"]["result"].as_array()?.len() == n)
                })
                .unwrap_or(false)
        });
    }

    /// The active alerts called `name` once `count` of them reached
    /// Alertmanager.
    pub(crate) fn wait_for_alerts(&self, name: &str, count: usize) -> Vec<serde_json::Value> {
        let start = Instant::now();
        loop {
            if let Some((200, body)) = http_get(self.alertmanager, "/api/v2/alerts?active=true") {
                // Alertmanager answers chunked: the JSON array sits between
                // the chunk sizes.
                let json = body.find('[').map(|i| &body[i..]).unwrap_or("");
                let json = &json[..json.rfind(']').map_or(0, |i| i + 1)];
                if let Ok(serde_json::Value::Array(alerts)) = serde_json::from_str(json) {
                    let found: Vec<serde_json::Value> = alerts
                        .into_iter()
                        .filter(|a| a["labels"]["alertname"] == name)
                        .collect();
                    if found.len() >= count {
                        eprintln!("{name} reached Alertmanager after {:?}", start.elapsed());
                        return found;
                    }
                }
            }
            assert!(
                start.elapsed() < Duration::from_secs(90),
                "{name} did not reach Alertmanager within 90 s"
            );
            std::thread::sleep(Duration::from_millis(500));
        }
    }
}

#[test]
fn pool_exhaustion_alert_reaches_a_real_alertmanager() {
    let dir = tempfile::tempdir().unwrap();
    let agent = Agent::start(dir.path(), &["--start-at", "beginning"]);
    let monitoring = Monitoring::start(
        dir.path(),
        &repo("config/alerts/tailwatch.rules.yml"),
        &format!(
            "  - job_name: tailwatch\n    static_configs:\n      - targets: ['127.0.0.1:{}']\n",
            agent.port
        ),
    );
    // Let the first scrape see the counter at 0, so the increase is real.
    monitoring.wait_for_series(r#"tailwatch_matches_total{rule="pool_acquire_timeout"}"#, 1);
    append(
        &agent.log(),
        &[tracing(
            "ERROR",
            "Command failed",
            r#","error":"pool timed out while waiting for an open connection""#,
        )],
    );
    let alert = monitoring
        .wait_for_alerts("TailwatchPoolAcquireTimeoutCritical", 1)
        .remove(0);
    assert_eq!(alert["labels"]["severity"], "critical");
    assert_eq!(alert["labels"]["rule"], "pool_acquire_timeout");
    assert_eq!(alert["labels"]["category"], "pool_exhaustion");
    assert_eq!(alert["labels"]["job"], "tailwatch");
    let ann = &alert["annotations"];
    assert!(ann["summary"]
        .as_str()
        .unwrap()
        .contains("no free connection"));
    assert!(ann["action"].as_str().unwrap().contains("max_connections"));
    assert!(ann["description"]
        .as_str()
        .unwrap()
        .contains(&format!("127.0.0.1:{}", agent.port)));
    assert!(ann["runbook_url"].as_str().unwrap().starts_with("https://"));
}

/// The labels two Kubernetes scrape setups give a sidecar's series:
/// Prometheus's `kubernetes-pods` job (the prometheus.io annotations) and
/// a Prometheus Operator PodMonitor (`job` is `<namespace>/<name>`). A
/// static target relabelled as service discovery would label it.
fn kubernetes_scrape_configs(port: u16) -> String {
    format!(
        r#"  - job_name: kubernetes-pods
    static_configs:
      - targets: ['127.0.0.1:{port}']
    relabel_configs:
      - {{target_label: namespace, replacement: payments}}
      - {{target_label: pod, replacement: ledger-7d9c6b5f4-x2x8q}}
      - {{target_label: node, replacement: node-a}}
  - job_name: podMonitor/payments/ledger-tailwatch/0
    static_configs:
      - targets: ['127.0.0.1:{port}']
    relabel_configs:
      - {{target_label: job, replacement: payments/ledger-tailwatch}}
      - {{target_label: namespace, replacement: payments}}
      - {{target_label: pod, replacement: ledger-7d9c6b5f4-x2x8q}}
      - {{target_label: container, replacement: tailwatch}}
      - {{target_label: endpoint, replacement: metrics}}
"#
    )
}

#[test]
fn an_error_level_serialization_failure_pages_under_kubernetes_scrape_labels() {
    let dir = tempfile::tempdir().unwrap();
    let agent = Agent::start(dir.path(), &["--start-at", "beginning"]);
    let alerts = dir.path().join("alerts");
    let out = crate::util::run(
        &[
            "alerts",
            "--selector",
            r#"namespace="payments""#,
            "--out",
            alerts.to_str().unwrap(),
        ],
        b"",
    );
    assert!(out.status.success(), "{}", crate::util::stderr(&out));
    let monitoring = Monitoring::start(
        dir.path(),
        &alerts.join("tailwatch.rules.yml"),
        &kubernetes_scrape_configs(agent.port),
    );
    let series = r#"tailwatch_matches_total{rule="pg_serialization_failure",severity="error",namespace="payments"}"#;
    monitoring.wait_for_series(series, 2);
    // The rule's base severity is warning; PostgreSQL's ERROR level
    // raises it.
    append(
        &agent.log(),
        &["2026-12-01 22:55:16.600 UTC [17866] ERROR:  could not serialize access due to concurrent update".to_string()],
    );
    let fired = monitoring.wait_for_alerts("TailwatchPgSerializationFailureError", 2);
    let mut jobs: Vec<&str> = fired
        .iter()
        .map(|a| a["labels"]["job"].as_str().unwrap())
        .collect();
    jobs.sort();
    assert_eq!(jobs, ["kubernetes-pods", "payments/ledger-tailwatch"]);
    for alert in &fired {
        assert_eq!(alert["labels"]["severity"], "error");
        assert_eq!(alert["labels"]["namespace"], "payments");
        assert_eq!(alert["labels"]["pod"], "ledger-7d9c6b5f4-x2x8q");
        let description = alert["annotations"]["description"].as_str().unwrap();
        assert!(
            description.contains("in pod payments/ledger-7d9c6b5f4-x2x8q."),
            "{description}"
        );
    }
}

/// Metric names used by a query text (`_bucket`/`_sum`/`_count` stripped).
fn metric_names(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("tailwatch_") {
        let name: String = rest[i..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        rest = &rest[i + name.len()..];
        let base = ["_bucket", "_sum", "_count"]
            .iter()
            .fold(name.clone(), |n, s| {
                n.strip_suffix(s).map_or(n.clone(), str::to_string)
            });
        names.push(base);
    }
    names.sort();
    names.dedup();
    names
}

/// The exposition of an agent that has read every rule's examples from a
/// tailed file: every metric the agent can export, with a series.
fn exposition_after_every_example() -> String {
    use tailwatch::export::prometheus::{
        InputReading, MatchMetrics, Prometheus, ReadingStats, SourceMetrics,
    };
    use tailwatch::matcher::{Matcher, Scanner, SourceScan};
    let matcher = Matcher::new(tailwatch::rules::RuleSet::embedded());
    let prometheus = Prometheus::new(&matcher.rules, None);
    let mut aggregation =
        tailwatch::aggregate::Aggregation::new(&matcher.rules, Default::default());
    aggregation.subscribe(Box::new(MatchMetrics::new(
        prometheus.clone(),
        &matcher.rules,
    )));
    let mut scanner = Scanner::new(usize::MAX);
    for rule in &matcher.rules.rules {
        for line in &rule.examples_match {
            let mut source = SourceScan::new(None);
            scanner.scan_block(&matcher, &mut source, line.as_bytes(), 0, &mut aggregation);
        }
    }
    // Registered when OTLP export is on, and by the agent for reloads.
    prometheus.span_counters();
    prometheus.reload_metrics();
    SourceMetrics::new(prometheus.clone()).publish(&ReadingStats {
        inputs: vec![InputReading {
            name: "/var/log/app/*.log".into(),
            lines: 1,
            bytes: 1,
            errors: 0,
        }],
        files: vec![("/var/log/app/app.log".into(), 0)],
        ..ReadingStats::default()
    });
    prometheus.render()
}

#[test]
fn dashboard_and_alerts_query_only_metrics_the_agent_exports() {
    let exported = exposition_after_every_example();
    let dashboard = fs::read_to_string(repo("config/grafana/tailwatch-dashboard.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&dashboard).unwrap();
    assert_eq!(json["templating"]["list"][0]["name"], "datasource");
    for panel in json["panels"].as_array().unwrap() {
        assert_eq!(
            panel["datasource"]["uid"], "${datasource}",
            "{}",
            panel["title"]
        );
    }
    let alerts = fs::read_to_string(repo("config/alerts/tailwatch.rules.yml")).unwrap();
    for name in metric_names(&dashboard)
        .into_iter()
        .chain(metric_names(&alerts))
    {
        assert!(
            exported.contains(&format!("# TYPE {name} ")),
            "{name} is queried but not exported"
        );
    }
}

/// The value of label `name` in an exposition line, unescaped as the text
/// format says (`\\`, `\"`, `\n`).
fn label_value(line: &str, name: &str) -> Option<String> {
    let start = line.find(&format!("{name}=\""))? + name.len() + 2;
    let mut out = String::new();
    let mut chars = line[start..].chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(out),
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                other => out.push(other),
            },
            c => out.push(c),
        }
    }
    None
}

#[test]
fn label_values_round_trip_through_metrics_and_report() {
    let dir = tempfile::tempdir().unwrap();
    // The log's clock: the last minute's window is the log's last minute,
    // however long the machine takes to get to the report.
    let agent = Agent::start(dir.path(), &["--start-at", "beginning", "--clock", "log"]);
    let names = [
        "orders,eu",
        "say \"hi\"",
        "two\nlines",
        r#"C:\logs\"x"\"#,
        "prøjëctïon ünïcødé",
    ];
    let lines: Vec<String> = names
        .iter()
        .map(|n| {
            tracing(
                "WARN",
                "Projection lag detected",
                &format!(
                    r#","projection_name":{},"lag_seconds":42"#,
                    serde_json::to_string(n).unwrap()
                ),
            )
        })
        .collect();
    append(&agent.log(), &lines);
    let exported = |agent: &Agent| -> Vec<String> {
        let mut got: Vec<String> = agent
            .get("/metrics")
            .unwrap()
            .lines()
            .filter(|l| l.starts_with("tailwatch_projection_lag_seconds{"))
            .filter_map(|l| label_value(l, "projection"))
            .collect();
        got.sort();
        got
    };
    let mut want: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    want.sort();
    agent.wait_until(Duration::from_secs(60), || exported(&agent) == want);

    promtool_check_metrics(&agent.get("/metrics").unwrap());

    agent.wait_until(Duration::from_secs(60), || {
        agent
            .get("/report")
            .is_some_and(|r| r.contains("projection_lag"))
    });
    let report: serde_json::Value = serde_json::from_str(&agent.get("/report").unwrap()).unwrap();
    let rule = report["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "projection_lag")
        .unwrap();
    let mut in_report: Vec<String> = rule["extracted"][0]["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["labels"]["projection"].as_str().unwrap().to_string())
        .collect();
    in_report.sort();
    assert_eq!(in_report, want);
    assert_eq!(rule["windows"]["1m"], 5);
    assert_eq!(rule["windows"]["15m"], 5);
}

#[test]
fn a_restart_serves_restored_incidents_and_counters_from_its_first_answer() {
    let dir = tempfile::tempdir().unwrap();
    let agent = Agent::start(dir.path(), &["--start-at", "beginning"]);
    append(
        &agent.log(),
        &[
            tracing("ERROR", "Command failed", r#","error":"deadlock detected""#),
            tracing("ERROR", "Command failed", r#","error":"deadlock detected""#),
        ],
    );
    let open =
        r#"tailwatch_incident_open{rule="deadlock_detected",category="deadlock",severity="error"}"#;
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric(crate::sidecar::DEADLOCKS) == Some(2.0) && agent.metric(open) == Some(1.0)
    });
    let (_, status) = agent.terminate();
    assert!(status.success());

    let agent = Agent::spawn(dir.path(), &[]);
    let mut answers = 0;
    agent.wait_until(Duration::from_secs(60), || {
        let Some(text) = agent.get("/metrics") else {
            return false;
        };
        answers += 1;
        let value = |series: &str| {
            text.lines()
                .find(|l| l.starts_with(series) && l[series.len()..].starts_with(' '))
                .and_then(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        };
        // From the very first answer on, nothing restored reads as zero.
        assert_eq!(
            value("tailwatch_state"),
            Some(3.0),
            "answer {answers}:\n{text}"
        );
        assert_eq!(value(open), Some(1.0), "answer {answers}");
        assert_eq!(
            value(crate::sidecar::DEADLOCKS),
            Some(2.0),
            "answer {answers}"
        );
        text.contains("tailwatch_lines_read_total{")
    });
    let report: serde_json::Value = serde_json::from_str(&agent.get("/report").unwrap()).unwrap();
    assert_eq!(report["state"], "error");
    assert_eq!(report["incidents"][0]["rule"], "deadlock_detected");
    assert_eq!(report["incidents"][0]["matches"], 2);
}

#[test]
fn healthz_metrics_and_readiness_answer_while_a_large_backlog_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    fs::create_dir_all(&logs).unwrap();
    // About 64 MB, one line in 50 a deadlock.
    let mut block = String::new();
    for i in 0..50 {
        let line = if i == 0 {
            tracing("ERROR", "Command failed", r#","error":"deadlock detected""#)
        } else {
            tracing(
                "INFO",
                "Command completed successfully",
                r#","total_duration_ms":12"#,
            )
        };
        block.push_str(&line);
        block.push('\n');
    }
    let copies = (64 << 20) / block.len();
    let mut backlog = fs::File::create(logs.join("app.log")).unwrap();
    for _ in 0..copies {
        backlog.write_all(block.as_bytes()).unwrap();
    }
    drop(backlog);
    let total = (copies * block.len()) as f64;

    let agent = Agent::spawn(dir.path(), &["--start-at", "beginning"]);
    let glob = format!("{}/*.log", logs.display());
    let bytes_read = format!("tailwatch_bytes_read_total{{input=\"{glob}\"}}");
    agent.wait_until(Duration::from_secs(60), || agent.get("/healthz").is_some());
    let mut seen_mid_backlog = Vec::new();
    let mut ready_mid_backlog = false;
    agent.wait_until(Duration::from_secs(600), || {
        assert_eq!(
            agent.request("/healthz").map(|(s, _)| s),
            Some(200),
            "/healthz did not answer"
        );
        let ready = agent.request("/readyz").map(|(s, _)| s) == Some(200);
        let text = agent
            .get("/metrics")
            .expect("/metrics answers while the backlog is read");
        let read = text
            .lines()
            .find(|l| l.starts_with(&bytes_read))
            .and_then(|l| l.rsplit(' ').next()?.parse::<f64>().ok());
        match read {
            Some(r) if r < total => {
                seen_mid_backlog.push(r);
                ready_mid_backlog |= ready;
                false
            }
            Some(_) => true,
            None => false,
        }
    });
    eprintln!(
        "/metrics answered {} times while {total} bytes of backlog were read",
        seen_mid_backlog.len()
    );
    assert!(
        seen_mid_backlog.windows(2).any(|w| w[0] < w[1]),
        "no two answers saw the backlog being read: {seen_mid_backlog:?}"
    );
    assert!(ready_mid_backlog, "/readyz waited for the backlog");
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric(crate::sidecar::DEADLOCKS) == Some(copies as f64)
    });
}
