//! Operating the agent while it runs: reloads (SIGHUP, `POST /-/reload`,
//! a watched rule file), what a reload may not change, a bounded
//! shutdown, the agent's own JSON logs and how it reports failures that
//! repeat, `check --config`, and memory while the match output is
//! blocked.

use std::fs;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::sidecar::{appender, line, Agent, DEADLOCKS};
use crate::util::{http_request, metric, tailwatch, wait_until};

/// A rule file with one rule, `name`, matching messages that contain
/// `words`.
fn rule_file(name: &str, words: &str) -> String {
    format!(
        r#"rules:
  - name: {name}
    category: timeout
    severity: error
    description: A test rule.
    action: Nothing.
    match:
      regex: '{words}'
"#
    )
}

fn matches_of(rule: &str) -> String {
    format!(r#"tailwatch_matches_total{{rule="{rule}",category="timeout",severity="error"}}"#)
}

fn message(text: &str) -> String {
    format!("{{\"level\":\"error\",\"msg\":\"{text}\"}}\n")
}

fn sighup(agent: &Agent) {
    unsafe { libc::kill(agent.child.id() as i32, libc::SIGHUP) };
}

const RELOADED: &str = r#"tailwatch_config_reloads_total{result="success"}"#;
const RELOAD_FAILED: &str = r#"tailwatch_config_reloads_total{result="failure"}"#;
const LAST_OK: &str = "tailwatch_config_last_reload_successful";

/// The agent's own log lines, parsed.
fn agent_log(dir: &Path) -> Vec<serde_json::Value> {
    fs::read_to_string(dir.join("agent.log"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|_| panic!("not a JSON line: {l}")))
        .collect()
}

#[test]
fn sighup_reloads_rules_that_then_match_while_counters_and_incidents_carry_on() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    fs::create_dir_all(&rules).unwrap();
    fs::write(
        rules.join("a.yaml"),
        rule_file("custom_alpha", "alpha trouble"),
    )
    .unwrap();
    let agent = Agent::start(
        dir.path(),
        &[
            "--start-at",
            "beginning",
            "--patterns",
            rules.to_str().unwrap(),
        ],
    );
    let mut log = appender(&agent.log());
    log.write_all((line(0) + &message("alpha trouble")).as_bytes())
        .unwrap();
    let open =
        r#"tailwatch_incident_open{rule="deadlock_detected",category="deadlock",severity="error"}"#;
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric(DEADLOCKS) == Some(1.0) && agent.metric(open) == Some(1.0)
    });
    assert_eq!(agent.metric(&matches_of("custom_alpha")), Some(1.0));
    assert_eq!(agent.metric(&matches_of("custom_beta")), None);

    fs::write(
        rules.join("b.yaml"),
        rule_file("custom_beta", "beta trouble"),
    )
    .unwrap();
    sighup(&agent);
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric(RELOADED) == Some(1.0)
    });
    // The new rule's series exists at 0 from the reload on.
    assert_eq!(agent.metric(&matches_of("custom_beta")), Some(0.0));
    assert_eq!(agent.metric(LAST_OK), Some(1.0));
    log.write_all((message("beta trouble") + &line(1)).as_bytes())
        .unwrap();
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric(&matches_of("custom_beta")) == Some(1.0)
            && agent.metric(DEADLOCKS) == Some(2.0)
    });
    assert_eq!(agent.metric(&matches_of("custom_alpha")), Some(1.0));
    assert_eq!(agent.metric(open), Some(1.0), "the incident stayed open");
    agent.wait_until(Duration::from_secs(60), || {
        let report: serde_json::Value =
            serde_json::from_str(&agent.get("/report").unwrap()).unwrap();
        report["incidents"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["rule"] == "deadlock_detected" && i["matches"] == 2)
    });

    // SIGHUP never ends the process, however many come.
    for reloads in 2..=4 {
        sighup(&agent);
        agent.wait_until(Duration::from_secs(60), || {
            agent.metric(RELOADED) == Some(reloads as f64)
        });
    }
    let mut agent = agent;
    assert!(agent.child.try_wait().unwrap().is_none());
    let reloads: Vec<_> = agent_log(dir.path())
        .into_iter()
        .filter(|l| l["fields"]["message"] == "reloaded the config and rules")
        .collect();
    assert_eq!(reloads.len(), 4);
    assert_eq!(reloads[0]["fields"]["trigger"], "SIGHUP");
}

#[test]
fn a_broken_rule_file_keeps_the_running_rules_and_counts_the_failure() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    fs::create_dir_all(&rules).unwrap();
    fs::write(
        rules.join("a.yaml"),
        rule_file("custom_alpha", "alpha trouble"),
    )
    .unwrap();
    let agent = Agent::start(
        dir.path(),
        &[
            "--start-at",
            "beginning",
            "--patterns",
            rules.to_str().unwrap(),
        ],
    );
    fs::write(
        rules.join("a.yaml"),
        rule_file("custom_alpha", "alpha (trouble"),
    )
    .unwrap();
    sighup(&agent);
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric(RELOAD_FAILED) == Some(1.0)
    });
    assert_eq!(agent.metric(LAST_OK), Some(0.0));
    assert_eq!(agent.metric(RELOADED), Some(0.0));
    appender(&agent.log())
        .write_all(message("alpha trouble").as_bytes())
        .unwrap();
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric(&matches_of("custom_alpha")) == Some(1.0)
    });
    let failure = agent_log(dir.path())
        .into_iter()
        .find(|l| l["fields"]["message"] == "reload failed; the running config and rules stay")
        .expect("the failure is logged");
    assert_eq!(failure["level"], "ERROR");
    assert!(
        failure["fields"]["error"]
            .as_str()
            .unwrap()
            .contains("bad regex"),
        "{failure}"
    );
}

#[test]
fn post_reload_answers_only_when_lifecycle_requests_are_enabled() {
    let dir = tempfile::tempdir().unwrap();
    let agent = Agent::start(dir.path(), &[]);
    let (status, body) = http_request(agent.port, "POST", "/-/reload").unwrap();
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("--enable-lifecycle"), "{body}");
    assert_eq!(agent.metric(RELOADED), Some(0.0));
    drop(agent);

    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    fs::create_dir_all(&rules).unwrap();
    fs::write(
        rules.join("a.yaml"),
        rule_file("custom_alpha", "alpha trouble"),
    )
    .unwrap();
    let agent = Agent::start(
        dir.path(),
        &["--enable-lifecycle", "--patterns", rules.to_str().unwrap()],
    );
    let (status, body) = http_request(agent.port, "POST", "/-/reload").unwrap();
    assert_eq!((status, body.as_str()), (200, "reloaded\n"));
    assert_eq!(agent.metric(RELOADED), Some(1.0));
    fs::write(rules.join("a.yaml"), "rules: [").unwrap();
    let (status, body) = http_request(agent.port, "POST", "/-/reload").unwrap();
    assert_eq!(status, 500, "{body}");
    assert!(body.starts_with("reload failed: "), "{body}");
    assert!(body.contains("a.yaml"), "{body}");
    assert_eq!(agent.metric(RELOAD_FAILED), Some(1.0));
}

#[test]
fn watch_config_follows_a_rule_directory_a_reload_added() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    for (d, name) in [(&a, "custom_alpha"), (&b, "custom_beta")] {
        fs::create_dir_all(d).unwrap();
        fs::write(d.join("r.yaml"), rule_file(name, "first words")).unwrap();
    }
    let config = |dirs: &[&Path]| {
        let list: Vec<String> = dirs
            .iter()
            .map(|d| format!("\"{}\"", d.display()))
            .collect();
        format!("watch_config: true\npatterns: [{}]\n", list.join(", "))
    };
    let agent = Agent::start_with_config(dir.path(), &config(&[&a]), &["--start-at", "beginning"]);
    // The config names a second rule directory: a reload takes it.
    fs::write(dir.path().join("tailwatch.yaml"), config(&[&a, &b])).unwrap();
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric(RELOADED) == Some(1.0)
    });
    // A change there reloads too.
    fs::write(b.join("r.yaml"), rule_file("custom_beta", "beta trouble")).unwrap();
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric(RELOADED).is_some_and(|n| n >= 2.0)
    });
    appender(&agent.log())
        .write_all(message("beta trouble").as_bytes())
        .unwrap();
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric(&matches_of("custom_beta")) == Some(1.0)
    });
}

#[test]
fn watch_config_reloads_when_a_rule_file_changes() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    fs::create_dir_all(&rules).unwrap();
    fs::write(
        rules.join("a.yaml"),
        rule_file("custom_alpha", "alpha trouble"),
    )
    .unwrap();
    let agent = Agent::start(
        dir.path(),
        &[
            "--start-at",
            "beginning",
            "--watch-config",
            "--patterns",
            rules.to_str().unwrap(),
        ],
    );
    fs::write(
        rules.join("a.yaml"),
        rule_file("custom_alpha", "gamma trouble"),
    )
    .unwrap();
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric(RELOADED) == Some(1.0)
    });
    appender(&agent.log())
        .write_all((message("alpha trouble") + &message("gamma trouble")).as_bytes())
        .unwrap();
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric(&matches_of("custom_alpha")) == Some(1.0)
    });
    // Only the new wording matched.
    agent.wait_until(Duration::from_secs(60), || {
        let report: serde_json::Value =
            serde_json::from_str(&agent.get("/report").unwrap()).unwrap();
        crate::util::count(&report, "custom_alpha") == 1
    });
    assert_eq!(agent.metric(&matches_of("custom_alpha")), Some(1.0));
    let watched = agent_log(dir.path())
        .into_iter()
        .find(|l| l["fields"]["message"] == "reloaded the config and rules")
        .unwrap();
    assert_eq!(watched["fields"]["trigger"], "a changed file");
}

#[test]
fn a_reload_that_changes_the_listen_address_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("logs")).unwrap();
    let config = dir.path().join("tailwatch.yaml");
    let write_config = |port: u16, poll: u64| {
        fs::write(
            &config,
            format!(
                "paths: ['{}/logs/*.log']\nlisten: 127.0.0.1:{port}\npoll_interval_ms: {poll}\n",
                dir.path().display()
            ),
        )
        .unwrap();
    };
    write_config(0, 100);
    let mut child = crate::metrics_alerts::Running(
        tailwatch()
            .args(["run", "--config", config.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(fs::File::create(dir.path().join("agent.log")).unwrap())
            .spawn()
            .unwrap(),
    );
    let port = crate::util::listening_port(&dir.path().join("agent.log"), 0, &mut child.0);
    wait_until(Duration::from_secs(60), || {
        metric(port, "tailwatch_state").is_some()
    });
    // Another port (never bound: the reload is refused).
    write_config(1, 200);
    unsafe { libc::kill(child.0.id() as i32, libc::SIGHUP) };
    wait_until(Duration::from_secs(60), || {
        metric(port, RELOAD_FAILED) == Some(1.0)
    });
    let failure = agent_log(dir.path())
        .into_iter()
        .find(|l| l["fields"]["message"] == "reload failed; the running config and rules stay")
        .unwrap();
    assert_eq!(
        failure["fields"]["error"],
        "listen cannot change while tailwatch runs: restart it to apply the new value"
    );
    // A change a reload can apply, with the old address back, goes through.
    write_config(0, 200);
    unsafe { libc::kill(child.0.id() as i32, libc::SIGHUP) };
    wait_until(Duration::from_secs(60), || {
        metric(port, RELOADED) == Some(1.0)
    });
    assert!(child.0.try_wait().unwrap().is_none());
}

/// Stops `agent` with SIGTERM; how long it took, and whether it exited 0.
fn stop(agent: Agent) -> (Duration, bool) {
    let (took, status) = agent.terminate();
    (took, status.success())
}

#[test]
fn sigterm_with_otlp_on_costs_nothing_when_idle_and_at_most_the_timeout_when_stuck() {
    // The same agent without export, measured on this machine, is the
    // reference: an idle exporter adds (almost) nothing to it.
    let without = {
        let dir = tempfile::tempdir().unwrap();
        stop(Agent::start(dir.path(), &[]))
    };
    let receiver = crate::otlp::Receiver::start();
    let idle = {
        let dir = tempfile::tempdir().unwrap();
        let endpoint = format!("http://{}", receiver.http);
        stop(Agent::start(dir.path(), &["--otlp-endpoint", &endpoint]))
    };
    assert!(without.1 && idle.1);
    assert!(
        idle.0 < without.0 + Duration::from_secs(3),
        "an idle exporter held shutdown up: {:?} against {:?} without export",
        idle.0,
        without.0
    );
    // A collector that takes the connection and never answers: the
    // export in flight is given up once the timeout is over.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", silent.local_addr().unwrap());
    let (connected, export_started) = std::sync::mpsc::channel();
    let held = std::thread::spawn(move || {
        let mut connections = Vec::new();
        for c in silent.incoming().take(4) {
            connections.push(c);
            let _ = connected.send(());
        }
        std::thread::sleep(Duration::from_secs(60));
    });
    let dir = tempfile::tempdir().unwrap();
    let agent = Agent::start(
        dir.path(),
        &[
            "--start-at",
            "beginning",
            "--otlp-endpoint",
            &endpoint,
            "--shutdown-timeout-secs",
            "2",
        ],
    );
    appender(&agent.log())
        .write_all(b"{\"level\":\"error\",\"msg\":\"deadlock detected\",\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"span_id\":\"00f067aa0ba902b7\"}\n")
        .unwrap();
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric(DEADLOCKS) == Some(1.0)
    });
    // The batch goes out, and hangs.
    export_started
        .recv_timeout(Duration::from_secs(60))
        .expect("the exporter connects to the collector");
    let stuck = stop(agent);
    assert!(stuck.1);
    assert!(
        stuck.0 >= Duration::from_secs(2) && stuck.0 < without.0 + Duration::from_secs(2 + 3),
        "took {:?} with a 2 s shutdown timeout ({:?} without export)",
        stuck.0,
        without.0
    );
    drop(held);
}

#[test]
fn the_agent_logs_json_lines_with_fields_and_never_matches_them() {
    let dir = tempfile::tempdir().unwrap();
    let agent = Agent::start(dir.path(), &["--start-at", "beginning"]);
    appender(&agent.log())
        .write_all(line(0).as_bytes())
        .unwrap();
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric(DEADLOCKS) == Some(1.0)
    });
    let lines = agent_log(dir.path());
    let tailing = lines
        .iter()
        .find(|l| l["fields"]["message"] == "tailing")
        .expect("a line about the file it tails");
    assert_eq!(tailing["level"], "INFO");
    assert!(tailing["target"].as_str().unwrap().starts_with("tailwatch"));
    assert!(tailing["fields"]["path"]
        .as_str()
        .unwrap()
        .ends_with("logs/app.log"));
    assert!(tailing["timestamp"].is_string());
    drop(agent);

    // Its own log, tailed, is read and never matched, even a failure that
    // reads like trouble.
    let dir2 = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir2.path().join("logs")).unwrap();
    let mut own: String = fs::read_to_string(dir.path().join("agent.log")).unwrap();
    own.push_str(r#"{"timestamp":"2026-12-05T22:25:23.188530Z","level":"ERROR","fields":{"message":"OTLP export failed","error":"deadlock detected: operation timed out","spans":3},"target":"tailwatch::export::otlp::export"}"#);
    own.push('\n');
    fs::write(dir2.path().join("logs/app.log"), &own).unwrap();
    let agent = Agent::start(dir2.path(), &["--start-at", "beginning"]);
    let glob = format!("{}/logs/*.log", dir2.path().display());
    let lines = format!("tailwatch_lines_read_total{{input=\"{glob}\"}}");
    let written = own.lines().count() as f64;
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric(&lines) == Some(written)
    });
    let report: serde_json::Value = serde_json::from_str(&agent.get("/report").unwrap()).unwrap();
    assert_eq!(report["totals"]["matches"], 0, "{report}");
}

/// Runs `command` as uid and gid 65532 (an unprivileged user, as the
/// image runs), so that files root keeps to itself cannot be read.
fn as_nobody(mut command: Command) -> Command {
    assert_eq!(
        unsafe { libc::geteuid() },
        0,
        "running as another user takes root (CI runs as root)"
    );
    command.uid(65532).gid(65532);
    command
}

fn mode(path: &Path, mode: u32) {
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn unreadable_inputs_are_counted_every_time_shown_in_report_and_logged_once() {
    let dir = tempfile::tempdir().unwrap();
    mode(dir.path(), 0o755);
    let logs = dir.path().join("logs");
    let secret = dir.path().join("secret");
    fs::create_dir_all(&logs).unwrap();
    fs::create_dir_all(&secret).unwrap();
    mode(&logs, 0o755);
    mode(&secret, 0o700);
    let unreadable = logs.join("app.log");
    fs::write(&unreadable, line(0)).unwrap();
    mode(&unreadable, 0o600);
    let secret_glob = format!("{}/*.log", secret.display());
    let mut agent = tailwatch();
    agent
        .args([
            "run",
            "--path",
            &format!("{}/*.log", logs.display()),
            "--path",
            &secret_glob,
            "--glob-interval-ms",
            "100",
            "--poll-interval-ms",
            "100",
            "--listen",
            "127.0.0.1:0",
        ])
        .stdout(Stdio::null())
        .stderr(fs::File::create(dir.path().join("agent.log")).unwrap());
    let mut agent = crate::metrics_alerts::Running(as_nobody(agent).spawn().unwrap());
    let port = crate::util::listening_port(&dir.path().join("agent.log"), 0, &mut agent.0);
    let errors = |glob: &str| format!("tailwatch_read_errors_total{{input=\"{glob}\"}}");
    let file_errors = errors(&format!("{}/*.log", logs.display()));
    let dir_errors = errors(&secret_glob);
    // Tried again at every discovery, for about 20 seconds.
    wait_until(Duration::from_secs(120), || {
        metric(port, &file_errors).is_some_and(|n| n >= 100.0)
            && metric(port, &dir_errors).is_some_and(|n| n >= 100.0)
    });
    let logged = |path: &Path| {
        agent_log(dir.path())
            .into_iter()
            .filter(|l| {
                l["fields"]["path"] == path.display().to_string()
                    && l["fields"]["operation"].is_string()
            })
            .collect::<Vec<_>>()
    };
    let file_lines = logged(&unreadable);
    assert_eq!(file_lines.len(), 1, "{file_lines:?}");
    assert_eq!(file_lines[0]["level"], "ERROR");
    assert_eq!(file_lines[0]["fields"]["operation"], "open");
    assert!(file_lines[0]["fields"]["error"]
        .as_str()
        .unwrap()
        .contains("Permission denied"));
    let dir_lines = logged(&secret);
    assert_eq!(dir_lines.len(), 1, "{dir_lines:?}");
    assert_eq!(dir_lines[0]["fields"]["operation"], "list");
    assert!(dir_lines[0]["fields"]["message"]
        .as_str()
        .unwrap()
        .contains("cannot list a directory"));
    let report = || -> serde_json::Value {
        serde_json::from_str(&crate::util::http_get(port, "/report").unwrap().1).unwrap()
    };
    // The report is rebuilt once a second.
    wait_until(Duration::from_secs(60), || {
        report()["input_problems"]
            .as_array()
            .is_some_and(|p| p.len() == 2 && p.iter().all(|p| p["count"].as_u64() >= Some(100)))
    });
    let report = report();
    let problems = report["input_problems"].as_array().unwrap();
    for (path, operation) in [(&unreadable, "open"), (&secret, "list")] {
        let p = problems
            .iter()
            .find(|p| p["path"] == path.display().to_string())
            .unwrap_or_else(|| panic!("{report}"));
        assert_eq!(p["operation"], operation);
        assert!(p["count"].as_u64().unwrap() >= 100);
        assert!(p["error"].as_str().unwrap().contains("Permission denied"));
    }
}

#[test]
fn memory_stays_under_48_mib_while_the_match_output_is_blocked() {
    let dir = tempfile::tempdir().unwrap();
    // The release build, as deployed; /dev/full fails every write (a full
    // disk).
    let agent = Agent::spawn_program(
        Command::new(crate::deploy::release_binary()),
        dir.path(),
        &["--start-at", "beginning", "--matches-out", "/dev/full"],
        &[],
    );
    agent.wait_until(Duration::from_secs(60), || agent.get("/healthz").is_some());
    // About 40 MB of match records, more than twice the backlog's cap.
    let mut log = appender(&agent.log());
    let mut batch = String::new();
    let total = 200_000;
    for seq in 0..total {
        batch.push_str(&line(seq));
        if seq % 10_000 == 9_999 {
            log.write_all(batch.as_bytes()).unwrap();
            batch.clear();
        }
    }
    agent.wait_until(Duration::from_secs(120), || {
        agent.metric(DEADLOCKS) == Some(total as f64)
    });
    let dropped = agent
        .metric("tailwatch_match_records_dropped_total")
        .unwrap();
    assert!(dropped > 100_000.0, "{dropped} records dropped and counted");
    let rss = agent.metric("process_resident_memory_bytes").unwrap();
    eprintln!("resident memory with the match output blocked: {rss} B, {dropped} records dropped");
    assert!(rss < 48.0 * 1024.0 * 1024.0, "{rss} bytes resident");
}

/// `tailwatch check --config FILE` with `args`: the exit code, stdout
/// and stderr.
fn check(config: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let mut all = vec!["check", "--config", config.to_str().unwrap()];
    all.extend_from_slice(args);
    let out = crate::util::run(&all, b"");
    (
        out.status.code(),
        crate::util::stdout(&out),
        crate::util::stderr(&out),
    )
}

#[test]
fn check_config_passes_the_shipped_configs_and_says_what_is_wrong_with_others() {
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/tailwatch.yaml");
    let (code, out, err) = check(&shipped, &[]);
    assert_eq!(code, Some(0), "{err}");
    let rules = tailwatch::rules::RuleSet::embedded().rules.len();
    assert!(out.contains(&format!("OK, {rules} rules")), "{out}");

    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    fs::create_dir_all(&logs).unwrap();
    let config = dir.path().join("c.yaml");
    let broken = |text: &str, args: &[&str]| {
        fs::write(&config, text).unwrap();
        let (code, _, err) = check(&config, args);
        assert_eq!(code, Some(2), "{err}");
        err
    };
    let at = config.display().to_string();
    let paths = format!("paths: ['{}/*.log']\n", logs.display());
    // An unknown key, with its path, line and column.
    let err = broken(&format!("{paths}redact:\n  span: true\n"), &[]);
    assert!(
        err.contains(&format!(
            "error: {at}:3:3: redact.span: unknown field `span`"
        )),
        "{err}"
    );
    // A value of the wrong type.
    let err = broken(&format!("{paths}poll_interval_ms: soon\n"), &[]);
    assert!(
        err.contains(&format!("error: {at}:2:19: poll_interval_ms: invalid type")),
        "{err}"
    );
    // A bad glob, a bad regex, a zero.
    let err = broken("paths: ['/var/log/[x']\n", &[]);
    assert!(
        err.contains("paths: `/var/log/[x` is not a valid glob"),
        "{err}"
    );
    let err = broken(
        &format!("{paths}multiline:\n  - path: '*'\n    start: '('\n"),
        &[],
    );
    assert!(err.contains("multiline: `(` is not a valid regex"), "{err}");
    let err = broken(&format!("{paths}checkpoint_interval_ms: 0\n"), &[]);
    assert!(
        err.contains("checkpoint_interval_ms: must be greater than 0"),
        "{err}"
    );
    // Rules the config names, with their file and line.
    let rules = dir.path().join("rules");
    fs::create_dir_all(&rules).unwrap();
    fs::write(
        rules.join("bad.yaml"),
        rule_file("custom_bad", "bad (regex"),
    )
    .unwrap();
    let err = broken(&format!("{paths}patterns: ['{}']\n", rules.display()), &[]);
    assert!(
        err.contains("bad.yaml:2: rule `custom_bad`: bad regex"),
        "{err}"
    );
    // --patterns in place of the config's.
    fs::write(rules.join("bad.yaml"), rule_file("custom_ok", "fine")).unwrap();
    fs::write(&config, &paths).unwrap();
    assert_eq!(
        check(&config, &["--patterns", rules.to_str().unwrap()]).0,
        Some(0)
    );
    // Settings that work against each other: the agent reading its own
    // match output.
    let err = broken(
        &format!("{paths}matches_out: {}/matches.log\n", logs.display()),
        &[],
    );
    assert!(
        err.contains("matches_out: ") && err.contains("would read its own match output"),
        "{err}"
    );
    // A glob's directory that cannot be listed (checked as the agent's
    // own unprivileged user would list it).
    mode(dir.path(), 0o755);
    let secret = dir.path().join("secret");
    fs::create_dir_all(&secret).unwrap();
    mode(&secret, 0o700);
    fs::write(&config, format!("paths: ['{}/*.log']\n", secret.display())).unwrap();
    mode(&config, 0o644);
    let mut run = tailwatch();
    run.args(["check", "--config", config.to_str().unwrap()]);
    let out = as_nobody(run).output().unwrap();
    let err = crate::util::stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!("paths: cannot list {}", secret.display()))
            && err.contains("Permission denied"),
        "{err}"
    );
    // One that does not exist yet is only a warning.
    fs::write(&config, "paths: ['/var/log/not-yet-here/*.log']\n").unwrap();
    let (code, _, err) = check(&config, &[]);
    assert_eq!(code, Some(0));
    assert!(
        err.contains("warning: paths: /var/log/not-yet-here does not exist (yet)"),
        "{err}"
    );

    // For machines: every finding, as JSON.
    fs::write(&config, format!("{paths}redact:\n  span: true\n")).unwrap();
    let (code, out, _) = check(&config, &["--format", "json"]);
    assert_eq!(code, Some(2));
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["ok"], false);
    let error = &report["errors"][0];
    assert_eq!(
        (&error["line"], &error["column"], &error["key"]),
        (&3.into(), &3.into(), &"redact.span".into())
    );
}

#[test]
fn a_second_stop_signal_exits_at_once() {
    // A collector that never answers holds the first stop for the whole
    // shutdown timeout (a minute); the second signal does not wait.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", silent.local_addr().unwrap());
    let held = std::thread::spawn(move || {
        let connections: Vec<_> = silent.incoming().take(2).collect();
        std::thread::sleep(Duration::from_secs(120));
        drop(connections);
    });
    let dir = tempfile::tempdir().unwrap();
    let mut agent = Agent::start(
        dir.path(),
        &[
            "--start-at",
            "beginning",
            "--otlp-endpoint",
            &endpoint,
            "--shutdown-timeout-secs",
            "60",
        ],
    );
    appender(&agent.log())
        .write_all(b"{\"level\":\"error\",\"msg\":\"deadlock detected\",\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"span_id\":\"00f067aa0ba902b7\"}\n")
        .unwrap();
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric(DEADLOCKS) == Some(1.0)
    });
    let pid = agent.child.id() as i32;
    unsafe { libc::kill(pid, libc::SIGTERM) };
    // Still stopping: the span is in flight.
    std::thread::sleep(Duration::from_secs(2));
    assert!(agent.child.try_wait().unwrap().is_none());
    unsafe { libc::kill(pid, libc::SIGTERM) };
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(status) = agent.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the second SIGTERM did not end the agent"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(143));
    drop(held);
}
