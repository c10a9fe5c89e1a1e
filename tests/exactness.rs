//! Exact on real inputs: each test is named after a way the sidecar once
//! lost or repeated lines, and writes the way real software does.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::time::Duration;

use crate::sidecar::{appender, line, seen, wait_for_all, Agent, DEADLOCKS};

/// Writes lines `seqs` to `log`, rotating under the numbered scheme of
/// logrotate without `dateext`, Python's `RotatingFileHandler` and
/// logback's fixed window every `every` lines: `app.log.1` → `app.log.2`,
/// ..., `app.log` → `app.log.1`, keeping `keep` old files.
fn write_with_numbered_rotation(log: &Path, seqs: std::ops::Range<u64>, every: u64, keep: u32) {
    let numbered = |n: u32| log.with_extension(format!("log.{n}"));
    let mut out = appender(log);
    for seq in seqs {
        if seq > 0 && seq % every == 0 {
            drop(out);
            let _ = fs::remove_file(numbered(keep));
            for n in (1..keep).rev() {
                if numbered(n).exists() {
                    fs::rename(numbered(n), numbered(n + 1)).unwrap();
                }
            }
            fs::rename(log, numbered(1)).unwrap();
            out = appender(log);
        }
        out.write_all(line(seq).as_bytes()).unwrap();
    }
}

#[test]
fn numbered_rotation_after_a_restart_counts_each_line_once() {
    let dir = tempfile::tempdir().unwrap();
    let agent = Agent::start(
        dir.path(),
        &["--start-at", "beginning", "--rotate-wait-ms", "300"],
    );
    let log = agent.log();
    write_with_numbered_rotation(&log, 0..5_000, 1_000, 9);
    wait_for_all(dir.path(), 5_000, Duration::from_secs(60));
    // The rotated files are read and let go: only the checkpoint knows
    // them now.
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric("tailwatch_files_tailed") == Some(1.0)
    });
    let (_, status) = agent.terminate();
    assert!(status.success(), "{status:?}");
    // While the agent is down every old file shifts three places.
    write_with_numbered_rotation(&log, 5_000..8_000, 1_000, 9);
    let agent = Agent::start(dir.path(), &[]);
    let read = wait_for_all(dir.path(), 8_000, Duration::from_secs(60));
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric(DEADLOCKS).is_some_and(|n| n >= 8_000.0)
    });
    let twice: Vec<u64> = read
        .iter()
        .filter(|(_, &n)| n > 1)
        .map(|(s, _)| *s)
        .collect();
    assert!(twice.is_empty(), "{} lines read twice", twice.len());
    // Once more, with the agent running through the shifts.
    write_with_numbered_rotation(&log, 8_000..12_000, 1_000, 9);
    wait_for_all(dir.path(), 12_000, Duration::from_secs(60));
    let (_, status) = agent.terminate();
    assert!(status.success(), "{status:?}");
    let seen = seen(dir.path());
    let mut twice: Vec<u64> = seen
        .iter()
        .filter(|(_, &n)| n > 1)
        .map(|(s, _)| *s)
        .collect();
    twice.sort_unstable();
    if !twice.is_empty() && std::env::var_os("TAILWATCH_TEST_KEEP").is_some() {
        let _ = std::process::Command::new("cp")
            .arg("-a")
            .arg(dir.path())
            .arg("/tmp/tailwatch-failed-test")
            .status();
    }
    assert!(
        twice.is_empty(),
        "{} lines read twice: {:?}",
        twice.len(),
        &twice[..twice.len().min(5)]
    );
    let agent = Agent::start(dir.path(), &[]);
    assert_eq!(agent.metric(DEADLOCKS), Some(12_000.0));
}

#[test]
fn a_transient_failure_writing_the_checkpoint_does_not_exit_the_agent() {
    let dir = tempfile::tempdir().unwrap();
    // A directory where the checkpoint's temporary file goes makes every
    // write fail until it is removed.
    let blocker = dir.path().join("checkpoints/tailwatch.checkpoint.json.tmp");
    fs::create_dir_all(&blocker).unwrap();
    let agent = Agent::start(dir.path(), &["--start-at", "beginning"]);
    let mut out = appender(&agent.log());
    for seq in 0..100 {
        out.write_all(line(seq).as_bytes()).unwrap();
    }
    wait_for_all(dir.path(), 100, Duration::from_secs(60));
    let errors = r#"tailwatch_write_errors_total{target="checkpoint"}"#;
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric(errors).is_some_and(|n| n >= 2.0)
    });
    assert!(agent.get("/healthz").is_some());
    fs::remove_dir(&blocker).unwrap();
    let checkpoint = dir.path().join("checkpoints/tailwatch.checkpoint.json");
    agent.wait_until(Duration::from_secs(60), || checkpoint.exists());
    let (_, status) = agent.terminate();
    assert!(status.success(), "{status:?}");
    let log = fs::read_to_string(dir.path().join("agent.log")).unwrap();
    assert!(
        log.contains(&format!("creating {}", blocker.display())),
        "the error names the operation and the path:\n{log}"
    );
    let agent = Agent::start(dir.path(), &[]);
    assert_eq!(agent.metric(DEADLOCKS), Some(100.0));
}

#[test]
fn a_failing_match_output_is_counted_and_reading_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    // Every write to /dev/full fails with "no space left on device".
    let agent = Agent::start(
        dir.path(),
        &["--start-at", "beginning", "--matches-out", "/dev/full"],
    );
    let mut out = appender(&agent.log());
    for seq in 0..100 {
        out.write_all(line(seq).as_bytes()).unwrap();
    }
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric(DEADLOCKS) == Some(100.0)
    });
    let errors = r#"tailwatch_write_errors_total{target="matches_out"}"#;
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric(errors).is_some_and(|n| n >= 2.0)
    });
    // The records wait in memory; no checkpoint claims them written.
    let checkpoint: serde_json::Value = serde_json::from_slice(
        &fs::read(dir.path().join("checkpoints/tailwatch.checkpoint.json")).unwrap(),
    )
    .unwrap();
    let counted = checkpoint["counters"]["matches"].as_array().unwrap();
    assert!(
        counted.iter().all(|m| m["count"] == 0),
        "a checkpoint was written past unwritten records: {counted:?}"
    );
    let (_, status) = agent.terminate();
    assert!(
        !status.success(),
        "records that could not be written are an error at exit"
    );
    // Said in the agent's own JSON log, with the operation and the path.
    let log = fs::read_to_string(dir.path().join("agent.log")).unwrap();
    let failure = log
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|l| l["fields"]["operation"] == "writing match output")
        .unwrap_or_else(|| panic!("no line about the failed write: {log}"));
    assert_eq!(failure["level"], "ERROR");
    assert_eq!(failure["fields"]["output"], "/dev/full");
    assert!(failure["fields"]["error"]
        .as_str()
        .unwrap()
        .contains("No space left on device"));
}

#[test]
fn an_invalid_glob_is_an_error_at_start_up() {
    let out = crate::util::run(&["run", "--path", "/var/log/[app.log"], b"");
    assert!(!out.status.success());
    let err = crate::util::stderr(&out);
    assert!(
        err.contains("`/var/log/[app.log` is not a valid glob"),
        "{err}"
    );
}

#[test]
fn a_stdin_read_error_is_counted_not_taken_as_its_end() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("agent.log");
    // Reading a directory fails (EISDIR) every time.
    let mut child = crate::util::tailwatch()
        .args(["run", "--path", "-", "--listen", "127.0.0.1:0"])
        .stdin(fs::File::open(dir.path()).unwrap())
        .stderr(fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let port = crate::util::listening_port(&log, 0, &mut child);
    let errors = r#"tailwatch_read_errors_total{input="-"}"#;
    crate::util::wait_until(Duration::from_secs(60), || {
        crate::util::metric(port, errors).is_some_and(|n| n >= 2.0)
    });
    // Still running: an error is not the end of the input.
    assert!(child.try_wait().unwrap().is_none());
    child.kill().unwrap();
    child.wait().unwrap();
    let err = fs::read_to_string(&log).unwrap();
    assert!(err.contains("cannot read stdin"), "{err}");
}

#[test]
fn a_rotated_file_is_read_until_it_has_been_idle_for_rotate_wait() {
    let dir = tempfile::tempdir().unwrap();
    // A rotated file is kept for ten minutes at first: no machine is slow
    // enough for the writer's late line to miss it.
    let agent = Agent::start_with_config(
        dir.path(),
        "rotate_wait_ms: 600000\n",
        &["--start-at", "beginning"],
    );
    let log = agent.log();
    let mut old = appender(&log);
    old.write_all(line(0).as_bytes()).unwrap();
    wait_for_all(dir.path(), 1, Duration::from_secs(60));
    fs::rename(&log, log.with_extension("log.1")).unwrap();
    appender(&log).write_all(line(1).as_bytes()).unwrap();
    wait_for_all(dir.path(), 2, Duration::from_secs(60));
    // A slow writer still has the old file open and writes to it after
    // the rotation has been seen, within rotate_wait.
    old.write_all(line(2).as_bytes()).unwrap();
    wait_for_all(dir.path(), 3, Duration::from_secs(60));
    // Let go once idle (for a short rotate_wait now); what is written
    // after that is counted, found when the next rotation has the
    // directory looked at again.
    agent.reload("rotate_wait_ms: 300\n");
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric("tailwatch_files_tailed") == Some(1.0)
    });
    let late = line(3);
    old.write_all(late.as_bytes()).unwrap();
    fs::rename(&log, log.with_extension("log.2")).unwrap();
    appender(&log).write_all(line(4).as_bytes()).unwrap();
    let abandoned = r#"tailwatch_bytes_abandoned_total{reason="written_after_release"}"#;
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric(abandoned) == Some(late.len() as f64)
    });
    agent.wait_until(Duration::from_secs(60), || {
        seen(dir.path()).contains_key(&4)
    });
    assert_eq!(
        seen(dir.path()).get(&3),
        None,
        "a line written after release is not read"
    );
}

/// A CRI record of `body` (`P`: more of the line follows).
fn cri(tag: &str, body: &str) -> String {
    format!("2026-12-01T10:00:00.123456789Z stdout {tag} {body}\n")
}

/// A Docker json-file entry whose `log` is `text` (a whole line ends in
/// `\n`; the driver splits longer ones into entries without it).
fn docker(text: &str) -> String {
    let entry = serde_json::json!({"log": text, "stream": "stdout", "time": "2026-12-01T10:00:00.123456789Z"});
    format!("{entry}\n")
}

fn behind(agent: &Agent) -> Option<f64> {
    let path = agent.log().display().to_string();
    agent.metric(&format!("tailwatch_file_bytes_behind{{path=\"{path}\"}}"))
}

#[test]
fn a_cri_partial_line_split_across_a_restart_is_matched_whole() {
    let dir = tempfile::tempdir().unwrap();
    let agent = Agent::start(dir.path(), &["--start-at", "beginning"]);
    let mut out = appender(&agent.log());
    out.write_all(cri("F", line(0).trim_end()).as_bytes())
        .unwrap();
    wait_for_all(dir.path(), 1, Duration::from_secs(60));
    // The runtime split line 1 in three; the agent reads two parts, then
    // stops (its last checkpoint is written at exit).
    let whole = line(1);
    let (a, rest) = whole.trim_end().split_at(20);
    let (b, c) = rest.split_at(15);
    out.write_all(cri("P", a).as_bytes()).unwrap();
    out.write_all(cri("P", b).as_bytes()).unwrap();
    agent.wait_until(Duration::from_secs(60), || behind(&agent) == Some(0.0));
    let (_, status) = agent.terminate();
    assert!(status.success(), "{status:?}");
    out.write_all(cri("F", c).as_bytes()).unwrap();
    let agent = Agent::start(dir.path(), &[]);
    let seen = wait_for_all(dir.path(), 2, Duration::from_secs(60));
    assert_eq!(seen[&1], 1);
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric(DEADLOCKS) == Some(2.0)
    });
    let glob = format!("{}/logs/*.log", dir.path().display());
    let bytes = fs::metadata(agent.log()).unwrap().len() as f64;
    assert_eq!(
        agent.metric(&format!("tailwatch_bytes_read_total{{input=\"{glob}\"}}")),
        Some(bytes),
        "the parts read before the restart are counted once"
    );
}

#[test]
fn a_line_still_without_its_newline_across_restarts_is_counted_once() {
    let dir = tempfile::tempdir().unwrap();
    // The unfinished line is not flushed as a line of its own while the
    // test runs: it must wait for its newline across both restarts.
    let flush = ["--partial-line-flush-ms", "600000"];
    let mut agent = Agent::start(
        dir.path(),
        &[&flush[..], &["--start-at", "beginning"]].concat(),
    );
    let mut out = appender(&agent.log());
    let whole = line(1);
    let (start, end) = whole.split_at(30);
    out.write_all(line(0).as_bytes()).unwrap();
    out.write_all(start.as_bytes()).unwrap();
    agent.wait_until(Duration::from_secs(60), || behind(&agent) == Some(0.0));
    // Each start reads the unfinished line again from where it begins.
    for _ in 0..2 {
        let (_, status) = agent.terminate();
        assert!(status.success(), "{status:?}");
        agent = Agent::start(dir.path(), &flush);
        agent.wait_until(Duration::from_secs(60), || behind(&agent) == Some(0.0));
    }
    out.write_all(end.as_bytes()).unwrap();
    let seen = wait_for_all(dir.path(), 2, Duration::from_secs(60));
    assert_eq!(seen[&1], 1);
    let input = format!("{{input=\"{}/logs/*.log\"}}", dir.path().display());
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric(&format!("tailwatch_lines_read_total{input}")) == Some(2.0)
    });
    let size = fs::metadata(agent.log()).unwrap().len() as f64;
    assert_eq!(
        agent.metric(&format!("tailwatch_bytes_read_total{input}")),
        Some(size),
        "the unfinished line's bytes count once, not once per start"
    );
}
#[test]
fn docker_entries_split_by_the_driver_are_joined_and_capped_after_the_join() {
    let dir = tempfile::tempdir().unwrap();
    let agent = Agent::start(
        dir.path(),
        &["--start-at", "beginning", "--max-line-bytes", "300"],
    );
    let mut out = appender(&agent.log());
    // "deadlock detected" is cut in two by the split.
    let whole = line(0);
    let cut = whole.find("lock detected").unwrap();
    out.write_all(docker(&whole[..cut]).as_bytes()).unwrap();
    out.write_all(docker(&whole[cut..]).as_bytes()).unwrap();
    // A long line in 100-byte parts: each part is under the cap, the line
    // is not; it is cut at 300 bytes and counted once.
    let long = format!("{}{}", line(1).trim_end(), " ".repeat(1000));
    let parts: Vec<&str> = long
        .as_bytes()
        .chunks(100)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    for p in &parts {
        out.write_all(docker(p).as_bytes()).unwrap();
    }
    out.write_all(docker("\n").as_bytes()).unwrap();
    out.write_all(docker(&line(2)).as_bytes()).unwrap();
    let seen = wait_for_all(dir.path(), 3, Duration::from_secs(60));
    assert!(seen.values().all(|&n| n == 1), "{seen:?}");
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric(DEADLOCKS) == Some(3.0)
    });
    assert_eq!(
        agent.metric(r#"tailwatch_decode_errors_total{kind="oversized"}"#),
        Some(1.0)
    );
}

#[test]
fn an_unfinished_partial_line_is_read_after_the_flush_timeout_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let agent = Agent::start(
        dir.path(),
        &["--start-at", "beginning", "--partial-line-flush-ms", "300"],
    );
    let mut out = appender(&agent.log());
    out.write_all(cri("F", line(0).trim_end()).as_bytes())
        .unwrap();
    // The container died before the runtime wrote the last part.
    out.write_all(cri("P", line(1).trim_end()).as_bytes())
        .unwrap();
    let seen = wait_for_all(dir.path(), 2, Duration::from_secs(60));
    assert_eq!(seen[&1], 1);
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric(r#"tailwatch_decode_errors_total{kind="unfinished"}"#) == Some(1.0)
    });
}

#[test]
fn a_java_exception_is_matched_once_as_a_whole_record() {
    let dir = tempfile::tempdir().unwrap();
    let agent = Agent::start(dir.path(), &["--start-at", "beginning"]);
    let mut out = appender(&agent.log());
    let first = "2026-12-01 10:00:00.000 INFO  [main] c.e.App - started\n";
    out.write_all(first.as_bytes()).unwrap();
    let event = concat!(
        "2026-12-01 10:00:01.000 ERROR [http-1] c.e.Api - request failed\n",
        "org.springframework.dao.CannotAcquireLockException: could not execute statement\n",
        "\tat org.hibernate.Foo.bar(Foo.java:10)\n",
        "\tat org.hibernate.Foo.baz(Foo.java:20)\n",
        "Caused by: org.postgresql.util.PSQLException: ERROR: deadlock detected\n",
        "\tat org.postgresql.Bar.run(Bar.java:30)\n",
        "\t... 2 more\n",
    );
    // A logger writes an event, trace included, in one write.
    out.write_all(event.as_bytes()).unwrap();
    out.write_all(b"2026-12-01 10:00:02.000 INFO  [main] c.e.App - next\n")
        .unwrap();
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric(DEADLOCKS) == Some(1.0)
    });
    let text = fs::read_to_string(dir.path().join("matches.jsonl")).unwrap();
    let records: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|m: &serde_json::Value| m["rule"] == "deadlock_detected")
        .collect();
    assert_eq!(records.len(), 1, "{text}");
    assert_eq!(records[0]["line"], event.trim_end());
    assert_eq!(records[0]["offset"], first.len());
}

#[test]
fn a_record_that_may_go_on_is_held_until_the_multiline_flush() {
    let dir = tempfile::tempdir().unwrap();
    // Held for ten minutes: no machine is slow enough to get there first.
    let agent = Agent::start_with_config(
        dir.path(),
        "multiline_flush_ms: 600000\n",
        &["--start-at", "beginning"],
    );
    let mut out = appender(&agent.log());
    // A PostgreSQL error may get DETAIL lines; none come.
    out.write_all(b"2026-12-01 10:00:00.001 UTC [7] ERROR:  deadlock detected\n")
        .unwrap();
    agent.wait_until(Duration::from_secs(60), || behind(&agent) == Some(0.0));
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        agent.metric(DEADLOCKS),
        Some(0.0),
        "held for its flush time"
    );
    // A shorter flush time, reloaded, applies to the record held.
    agent.reload("multiline_flush_ms: 200\n");
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric(DEADLOCKS) == Some(1.0)
    });
}

#[test]
fn a_record_a_file_holds_is_read_when_the_agent_stops_and_not_again_after() {
    let dir = tempfile::tempdir().unwrap();
    // Held for ten minutes: only the stop can end them.
    let config = "multiline_flush_ms: 600000\n";
    let agent = Agent::start_with_config(dir.path(), config, &["--start-at", "beginning"]);
    let mut out = appender(&agent.log());
    // A PostgreSQL error that may get DETAIL lines, and an exception whose
    // frames may go on: a dying pod's last words, which its deletion takes
    // with it.
    out.write_all(b"2026-12-01 10:00:00.001 UTC [7] ERROR:  deadlock detected\n")
        .unwrap();
    out.write_all(b"2026-12-01 10:00:01.000 ERROR [main] c.e.Cache - load failed\njava.lang.OutOfMemoryError: Java heap space\n\tat com.example.Cache.load(Cache.java:42)\n")
        .unwrap();
    agent.wait_until(Duration::from_secs(60), || behind(&agent) == Some(0.0));
    let matched = |what: &str| {
        fs::read_to_string(dir.path().join("matches.jsonl"))
            .unwrap_or_default()
            .lines()
            .filter(|l| l.contains(what))
            .count()
    };
    assert_eq!(matched("OutOfMemoryError"), 0, "held until the stop");
    let (_, status) = agent.terminate();
    assert!(status.success());
    assert_eq!(matched("deadlock detected"), 1);
    assert_eq!(matched("OutOfMemoryError"), 1);
    // The checkpoint is past them: a next start does not count them again.
    let agent = Agent::start_with_config(dir.path(), config, &[]);
    out.write_all(b"2026-12-01 10:00:02.000 INFO next\n")
        .unwrap();
    agent.wait_until(Duration::from_secs(60), || behind(&agent) == Some(0.0));
    let (_, status) = agent.terminate();
    assert!(status.success());
    assert_eq!(matched("deadlock detected"), 1);
    assert_eq!(matched("OutOfMemoryError"), 1);
}

#[test]
fn a_reloaded_multiline_setting_applies_to_the_files_already_open() {
    let dir = tempfile::tempdir().unwrap();
    let config = |preset: &str| {
        format!(
            "multiline:\n  - path: \"{}/logs/*.log\"\n    preset: \"{preset}\"\n",
            dir.path().display()
        )
    };
    let agent = Agent::start_with_config(dir.path(), &config("off"), &["--start-at", "beginning"]);
    let mut out = appender(&agent.log());
    let record = "2026-12-01 10:00:00.000 ERROR [main] c.e.Cache - load failed\njava.lang.OutOfMemoryError: Java heap space\n\tat com.example.Cache.load(Cache.java:42)\n2026-12-01 10:00:01.000 INFO [main] c.e.App - next\n";
    let oom_lines = || -> Vec<String> {
        fs::read_to_string(dir.path().join("matches.jsonl"))
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .filter(|m| m["line"].as_str().unwrap().contains("OutOfMemoryError"))
            .map(|m| m["line"].as_str().unwrap().to_string())
            .collect()
    };
    out.write_all(record.as_bytes()).unwrap();
    agent.wait_until(Duration::from_secs(60), || oom_lines().len() == 1);
    assert!(!oom_lines()[0].contains('\n'), "off: one line, one record");
    // The file stays open; its next record is grouped as the reload says.
    agent.reload(&config("java"));
    out.write_all(record.as_bytes()).unwrap();
    agent.wait_until(Duration::from_secs(60), || oom_lines().len() == 2);
    assert!(
        oom_lines()[1].contains("load failed\njava.lang.OutOfMemoryError"),
        "java: the exception joins its line: {:?}",
        oom_lines()
    );
}

/// Starts `tailwatch run` reading its stdin (piped), with its own log in
/// `dir`; returns it and the port it listens on.
fn run_on_stdin(dir: &Path, extra: &[&str]) -> (std::process::Child, u16) {
    let log = dir.join("agent.log");
    let mut child = crate::util::tailwatch()
        .args(["run", "--path", "-", "--listen", "127.0.0.1:0"])
        .args(extra)
        .stdin(std::process::Stdio::piped())
        .stderr(fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let port = crate::util::listening_port(&log, 0, &mut child);
    (child, port)
}

#[test]
fn a_record_held_on_stdin_is_read_when_the_agent_stops() {
    let dir = tempfile::tempdir().unwrap();
    let matches = dir.path().join("m.jsonl");
    let (mut child, port) = run_on_stdin(
        dir.path(),
        &[
            "--matches-out",
            matches.to_str().unwrap(),
            "--multiline-flush-ms",
            "600000",
        ],
    );
    let mut stdin = child.stdin.take().unwrap();
    // A PostgreSQL error may get DETAIL lines: it is held, and stdin has
    // no checkpoint to resume it at.
    stdin
        .write_all(b"2026-12-01 10:00:00.001 UTC [7] ERROR:  deadlock detected\n")
        .unwrap();
    stdin.flush().unwrap();
    let lines = r#"tailwatch_lines_read_total{input="-"}"#;
    crate::util::wait_until(Duration::from_secs(60), || {
        crate::util::metric(port, lines) == Some(1.0)
    });
    assert_eq!(
        fs::read_to_string(&matches).unwrap_or_default(),
        "",
        "held, not matched yet"
    );
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    assert!(child.wait().unwrap().success());
    let text = fs::read_to_string(&matches).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.contains("deadlock detected"), "{text}");
}

#[test]
fn stdin_faster_than_the_scan_still_lets_the_agent_publish_and_stop() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, port) = run_on_stdin(dir.path(), &[]);
    // A backlog piped in (`kubectl logs` of a busy pod): the pipe is never
    // empty while the agent reads, for as long as it runs.
    let mut stdin = child.stdin.take().unwrap();
    let producer = std::thread::spawn(move || {
        let block = r#"{"timestamp":"2026-11-22T08:02:20.000Z","level":"ERROR","message":"deadlock detected"}
"#
        .repeat(16 * 1024);
        while stdin.write_all(block.as_bytes()).is_ok() {}
    });
    let lines = r#"tailwatch_lines_read_total{input="-"}"#;
    crate::util::wait_until(Duration::from_secs(120), || {
        crate::util::metric(port, lines).is_some_and(|n| n > 0.0)
    });
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    crate::util::wait_until(Duration::from_secs(120), || {
        child.try_wait().unwrap().is_some()
    });
    assert!(child.wait().unwrap().success());
    producer.join().unwrap();
}

#[test]
fn a_record_held_when_copytruncate_rotates_counts_its_bytes_once() {
    let dir = tempfile::tempdir().unwrap();
    // The record stays held until its file is let go.
    let config = "multiline_flush_ms: 600000\n";
    let agent = Agent::start_with_config(dir.path(), config, &["--start-at", "beginning"]);
    let log = agent.log();
    let mut out = appender(&log);
    out.write_all(line(0).as_bytes()).unwrap();
    out.write_all(b"2026-12-01 10:00:01.000 ERROR [main] c.e.Cache - load failed\njava.lang.OutOfMemoryError: Java heap space\n\tat com.example.Cache.load(Cache.java:42)\n")
        .unwrap();
    // And a last line still without its newline.
    out.write_all(b"2026-12-01 10:00:02.000 INFO half").unwrap();
    agent.wait_until(Duration::from_secs(60), || behind(&agent) == Some(0.0));
    // copytruncate: the record and the half line are read again from the
    // copy, where they end.
    let copy = log.with_extension("log.1");
    fs::copy(&log, &copy).unwrap();
    fs::File::options()
        .write(true)
        .open(&log)
        .unwrap()
        .set_len(0)
        .unwrap();
    out.write_all(line(1).as_bytes()).unwrap();
    let seen = wait_for_all(dir.path(), 2, Duration::from_secs(60));
    assert_eq!(seen[&1], 1);
    let oom = || {
        fs::read_to_string(dir.path().join("matches.jsonl"))
            .unwrap_or_default()
            .matches("OutOfMemoryError")
            .count()
    };
    agent.wait_until(Duration::from_secs(60), || oom() > 0);
    let input = format!("{{input=\"{}/logs/*.log\"}}", dir.path().display());
    let written = fs::metadata(&copy).unwrap().len() + fs::metadata(&log).unwrap().len();
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric(&format!("tailwatch_lines_read_total{input}")) == Some(6.0)
    });
    assert_eq!(
        agent.metric(&format!("tailwatch_bytes_read_total{input}")),
        Some(written as f64),
        "every byte of the copy and of the file counts once"
    );
    assert_eq!(oom(), 1, "the held record is matched once, from the copy");
}
