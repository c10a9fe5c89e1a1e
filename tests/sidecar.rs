//! `tailwatch run` as a sidecar: real files, a real writer, real signals.
//! Every line the writer appends carries a sequence number and matches a
//! rule, so `--matches-out` shows exactly which lines were read.

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::util::tailwatch;

/// A running agent and the paths it works with.
pub struct Agent {
    pub child: Child,
    pub port: u16,
    dir: PathBuf,
}

impl Agent {
    /// Starts an agent and waits until it has made its first pass.
    pub fn start(dir: &Path, extra: &[&str]) -> Agent {
        let agent = Agent::spawn(dir, extra);
        // Limits are generous: a debug build on a busy 2-core machine.
        agent.wait_until(Duration::from_secs(60), || agent.get("/healthz").is_some());
        // Per-input counters appear once the first pass is done: files made
        // after that are new to the agent, not there at its start.
        agent.wait_until(Duration::from_secs(60), || {
            agent
                .get("/metrics")
                .is_some_and(|m| m.contains("tailwatch_lines_read_total{"))
        });
        agent
    }

    /// Starts an agent tailing `dir/logs/*.log`, with its checkpoint and
    /// match output in `dir` (unless `extra` names another), and returns
    /// at once.
    pub fn spawn(dir: &Path, extra: &[&str]) -> Agent {
        Agent::spawn_with_env(dir, extra, &[])
    }

    /// `spawn`, with these environment variables set for the agent.
    pub fn spawn_with_env(dir: &Path, extra: &[&str], env: &[(&str, &str)]) -> Agent {
        Agent::spawn_program(tailwatch(), dir, extra, env)
    }

    /// `spawn`, running `program` (a build of tailwatch) with `env`.
    pub fn spawn_program(
        mut program: std::process::Command,
        dir: &Path,
        extra: &[&str],
        env: &[(&str, &str)],
    ) -> Agent {
        let logs = dir.join("logs");
        fs::create_dir_all(&logs).unwrap();
        let glob = format!("{}/*.log", logs.display());
        // Port 0: the agent binds a free port and says which; no race
        // with other tests for a port picked in advance.
        let listen = "127.0.0.1:0".to_string();
        let checkpoints = dir.join("checkpoints");
        let matches = dir.join("matches.jsonl");
        let mut args = vec![
            "run",
            "--path",
            &glob,
            "--checkpoint-dir",
            checkpoints.to_str().unwrap(),
            "--listen",
            &listen,
        ];
        if !extra.contains(&"--poll-interval-ms") {
            args.extend(["--poll-interval-ms", "100"]);
        }
        if !extra.contains(&"--matches-out") {
            args.extend(["--matches-out", matches.to_str().unwrap()]);
        }
        args.extend_from_slice(extra);
        // The agent's own log, kept beside the test's files for diagnosis.
        let log_path = dir.join("agent.log");
        let log = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_path)
            .unwrap();
        let logged_before = fs::metadata(&log_path).map_or(0, |m| m.len()) as usize;
        let child = program
            .args(&args)
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("tailwatch run starts");
        let mut agent = Agent {
            child,
            port: 0,
            dir: dir.to_path_buf(),
        };
        agent.port = crate::util::listening_port(&log_path, logged_before, &mut agent.child);
        agent
    }

    pub fn get(&self, path: &str) -> Option<String> {
        let (status, body) = self.request(path)?;
        (status == 200).then_some(body)
    }

    /// GET `path`: the status code and body.
    pub fn request(&self, path: &str) -> Option<(u16, String)> {
        crate::util::http_get(self.port, path)
    }

    /// The value of one sample of `/metrics`.
    pub fn metric(&self, series: &str) -> Option<f64> {
        crate::util::metric(self.port, series)
    }

    pub fn wait_until(&self, limit: Duration, ready: impl FnMut() -> bool) {
        crate::util::wait_until(limit, ready)
    }

    /// `start`, with `text` as its config file (`dir/tailwatch.yaml`),
    /// which [`Agent::reload`] rewrites.
    pub fn start_with_config(dir: &Path, text: &str, extra: &[&str]) -> Agent {
        let config = dir.join("tailwatch.yaml");
        fs::write(&config, text).unwrap();
        let mut args = vec!["--config", config.to_str().unwrap()];
        args.extend_from_slice(extra);
        Agent::start(dir, &args)
    }

    /// Writes `text` to the config file of an agent started with
    /// [`Agent::start_with_config`] and reloads it with SIGHUP; returns
    /// once the reload has been applied.
    pub fn reload(&self, text: &str) {
        let reloads = r#"tailwatch_config_reloads_total{result="success"}"#;
        let before = self.metric(reloads).unwrap_or(0.0);
        fs::write(self.dir.join("tailwatch.yaml"), text).unwrap();
        unsafe { libc::kill(self.child.id() as i32, libc::SIGHUP) };
        self.wait_until(Duration::from_secs(60), || {
            self.metric(reloads).is_some_and(|n| n > before)
        });
    }

    pub fn kill9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// SIGTERM; returns how long the agent took to exit, and its status.
    pub fn terminate(mut self) -> (Duration, std::process::ExitStatus) {
        let start = Instant::now();
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let status = self.child.wait().unwrap();
        (start.elapsed(), status)
    }

    pub fn log(&self) -> PathBuf {
        self.dir.join("logs/app.log")
    }
}

impl Drop for Agent {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The counter of the rule every numbered line matches.
pub const DEADLOCKS: &str =
    r#"tailwatch_matches_total{rule="deadlock_detected",category="deadlock",severity="error"}"#;

/// Opens `path` for appending, creating it.
pub fn appender(path: &Path) -> File {
    OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap()
}

pub fn line(seq: u64) -> String {
    format!("{{\"level\":\"error\",\"msg\":\"deadlock detected\",\"seq\":{seq}}}\n")
}

/// How often each sequence number appears in the match output.
pub fn seen(dir: &Path) -> HashMap<u64, u32> {
    let mut output = MatchOutput::new(dir);
    output.read_new();
    output.counts
}

/// The match output read as it grows: each look parses only what was
/// appended since the last, so waiting on a large output does not compete
/// with the agent under test for the machine.
pub struct MatchOutput {
    path: PathBuf,
    read: u64,
    pub counts: HashMap<u64, u32>,
}

impl MatchOutput {
    pub fn new(dir: &Path) -> MatchOutput {
        MatchOutput {
            path: dir.join("matches.jsonl"),
            read: 0,
            counts: HashMap::new(),
        }
    }

    /// Counts the whole lines appended since the last look (from the
    /// start again if the file shrank).
    pub fn read_new(&mut self) {
        use std::io::{Read, Seek, SeekFrom};
        let Ok(mut file) = File::open(&self.path) else {
            return;
        };
        let len = file.metadata().map_or(0, |m| m.len());
        if len < self.read {
            self.read = 0;
            self.counts.clear();
        }
        let mut bytes = Vec::new();
        file.seek(SeekFrom::Start(self.read)).unwrap();
        file.read_to_end(&mut bytes).unwrap();
        let whole = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        self.read += whole as u64;
        for l in String::from_utf8_lossy(&bytes[..whole]).lines() {
            if let Some(seq) = sequence(l) {
                *self.counts.entry(seq).or_insert(0) += 1;
            }
        }
    }
}

/// The sequence number of the application line a match record holds.
fn sequence(record: &str) -> Option<u64> {
    let m = serde_json::from_str::<serde_json::Value>(record).ok()?;
    let mut orig = serde_json::from_str::<serde_json::Value>(m["line"].as_str()?).ok()?;
    // A Docker json-file entry: the application's line is its `log`.
    if let Some(log) = orig["log"].as_str() {
        orig = serde_json::from_str(log).ok()?;
    }
    orig["seq"].as_u64()
}

pub fn wait_for_all(dir: &Path, total: u64, limit: Duration) -> HashMap<u64, u32> {
    let start = Instant::now();
    let mut output = MatchOutput::new(dir);
    loop {
        output.read_new();
        let s = &output.counts;
        if (0..total).all(|i| s.contains_key(&i)) {
            return output.counts;
        }
        if start.elapsed() > limit {
            if std::env::var_os("TAILWATCH_TEST_KEEP").is_some() {
                let keep = std::env::temp_dir().join("tailwatch-failed-test");
                let _ = fs::remove_dir_all(&keep);
                let _ = std::process::Command::new("cp")
                    .arg("-a")
                    .arg(dir)
                    .arg(&keep)
                    .status();
            }
            let missing: Vec<u64> = (0..total).filter(|i| !s.contains_key(i)).take(10).collect();
            panic!(
                "{} of {total} lines never matched, first: {missing:?}",
                (0..total).filter(|i| !s.contains_key(i)).count()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Appends `total` numbered lines to `log`, renaming it away every
/// `rotate_every` lines (rename-and-create, as logrotate and rolling
/// appenders do). `pace` sleeps that long every 1000 lines.
fn write_with_rename_rotation(log: &Path, total: u64, rotate_every: u64, pace: Duration) {
    let mut out = appender(log);
    for seq in 0..total {
        if seq > 0 && seq % rotate_every == 0 {
            drop(out);
            fs::rename(
                log,
                log.with_extension(format!("log.{}", seq / rotate_every)),
            )
            .unwrap();
            out = appender(log);
        }
        out.write_all(line(seq).as_bytes()).unwrap();
        if seq % 1000 == 999 && !pace.is_zero() {
            std::thread::sleep(pace);
        }
    }
}

#[test]
fn rename_rotation_under_full_speed_writes_loses_no_line() {
    let dir = tempfile::tempdir().unwrap();
    let agent = Agent::start(dir.path(), &["--start-at", "beginning"]);
    write_with_rename_rotation(&agent.log(), 200_000, 20_000, Duration::ZERO);
    wait_for_all(dir.path(), 200_000, Duration::from_secs(120));
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric(DEADLOCKS) == Some(200_000.0)
    });
}

#[test]
fn copytruncate_rotation_loses_nothing_outside_its_window() {
    // copytruncate copies the file and then truncates it; lines written
    // between the agent's last read and the truncation are only in the
    // copy. The writer here waits for the agent to catch up before each
    // rotation, which closes that window; every line must then be read.
    let dir = tempfile::tempdir().unwrap();
    let agent = Agent::start(dir.path(), &["--start-at", "beginning"]);
    let log = agent.log();
    let mut out = appender(&log);
    let total = 100_000;
    for seq in 0..total {
        if seq > 0 && seq % 20_000 == 0 {
            wait_for_all(dir.path(), seq, Duration::from_secs(60));
            fs::copy(&log, log.with_extension(format!("log.{}", seq / 20_000))).unwrap();
            File::options()
                .write(true)
                .open(&log)
                .unwrap()
                .set_len(0)
                .unwrap();
        }
        out.write_all(line(seq).as_bytes()).unwrap();
    }
    wait_for_all(dir.path(), total, Duration::from_secs(60));
    assert_eq!(
        agent.metric(r#"tailwatch_bytes_abandoned_total{reason="truncated"}"#),
        Some(0.0)
    );
}

#[test]
fn sigkill_restarts_lose_no_line_and_keep_counters_and_match_output_exact() {
    let dir = tempfile::tempdir().unwrap();
    let total = 200_000u64;
    let log = dir.path().join("logs/app.log");
    let mut agent = Agent::start(dir.path(), &["--start-at", "beginning"]);
    // About 40 000 lines a second, so that the run spans the three kills.
    let writer = {
        let log = log.clone();
        std::thread::spawn(move || {
            write_with_rename_rotation(&log, total, 20_000, Duration::from_millis(25))
        })
    };
    for _ in 0..3 {
        std::thread::sleep(Duration::from_millis(1200));
        agent.kill9();
        agent = Agent::start(dir.path(), &["--start-at", "beginning"]);
    }
    writer.join().unwrap();
    let seen = wait_for_all(dir.path(), total, Duration::from_secs(120));
    // Each crash replays what came after the last checkpoint; the match
    // file was cut back to its checkpointed length first, so the replayed
    // records replace those written after it.
    let duplicates: u64 = seen.values().map(|&n| u64::from(n - 1)).sum();
    assert_eq!(duplicates, 0, "records in the match output twice");
    // The counter resumed from the checkpoint with the offsets: replayed
    // lines are counted once, so it equals the lines written exactly.
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric(DEADLOCKS) == Some(total as f64)
    });
}

#[test]
fn sigterm_exits_promptly_and_a_restart_reads_no_line_twice() {
    let dir = tempfile::tempdir().unwrap();
    let agent = Agent::start(dir.path(), &["--start-at", "beginning"]);
    let log = agent.log();
    let mut out = appender(&log);
    for seq in 0..1000 {
        out.write_all(line(seq).as_bytes()).unwrap();
    }
    wait_for_all(dir.path(), 1000, Duration::from_secs(60));
    let (took, status) = agent.terminate();
    assert!(status.success(), "{status:?}");
    // Well within the sidecar manifest's grace period (30 s), however busy
    // the machine: nothing is waited for but the last checkpoint.
    assert!(took < Duration::from_secs(15), "{took:?}");
    for seq in 1000..2000 {
        out.write_all(line(seq).as_bytes()).unwrap();
    }
    let agent = Agent::start(dir.path(), &[]);
    let seen = wait_for_all(dir.path(), 2000, Duration::from_secs(60));
    assert!(seen.values().all(|&n| n == 1), "a line was read twice");
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric(DEADLOCKS) == Some(2000.0)
    });
}

#[test]
fn truncation_to_a_smaller_file_restarts_at_its_beginning() {
    let dir = tempfile::tempdir().unwrap();
    let agent = Agent::start(dir.path(), &["--start-at", "beginning"]);
    let log = agent.log();
    let mut out = appender(&log);
    for seq in 0..100 {
        out.write_all(line(seq).as_bytes()).unwrap();
    }
    wait_for_all(dir.path(), 100, Duration::from_secs(60));
    out.set_len(0).unwrap();
    for seq in 100..110 {
        out.write_all(line(seq).as_bytes()).unwrap();
    }
    wait_for_all(dir.path(), 110, Duration::from_secs(60));
}

#[test]
fn a_reused_inode_with_other_content_is_read_from_its_start() {
    // While the agent is down the file is replaced in place by another one
    // (same device and inode, as when a freed inode is reused), longer than
    // the checkpointed offset: its first bytes tell it apart.
    let dir = tempfile::tempdir().unwrap();
    let agent = Agent::start(dir.path(), &["--start-at", "beginning"]);
    let log = agent.log();
    let mut out = appender(&log);
    for seq in 0..50 {
        out.write_all(line(seq).as_bytes()).unwrap();
    }
    wait_for_all(dir.path(), 50, Duration::from_secs(60));
    let (_, status) = agent.terminate();
    assert!(status.success());
    out.set_len(0).unwrap();
    let replacement: String = (1000..1100)
        .map(|s| format!("{{\"x\":1,{}", &line(s)[1..]))
        .collect();
    out.write_all(replacement.as_bytes()).unwrap();
    let _agent = Agent::start(dir.path(), &[]);
    let mut output = MatchOutput::new(dir.path());
    crate::util::wait_until(Duration::from_secs(60), || {
        output.read_new();
        (1000..1100).all(|i| output.counts.contains_key(&i))
    });
}

#[test]
fn a_line_appended_to_a_tailed_file_is_read_when_written_not_at_the_next_poll() {
    // Polling alone would take ten minutes: only the change notification
    // can bring each line in before the (generous) limit.
    let dir = tempfile::tempdir().unwrap();
    let agent = Agent::start(dir.path(), &["--poll-interval-ms", "600000"]);
    let log = agent.log();
    let mut out = appender(&log);
    let mut output = MatchOutput::new(dir.path());
    let mut latencies = Vec::new();
    for seq in 0..20 {
        let start = Instant::now();
        out.write_all(line(seq).as_bytes()).unwrap();
        out.flush().unwrap();
        crate::util::wait_until(Duration::from_secs(120), || {
            output.read_new();
            output.counts.contains_key(&seq)
        });
        latencies.push(start.elapsed());
    }
    latencies.sort();
    eprintln!(
        "append-to-match latency: p50 {:?}, max {:?}",
        latencies[10], latencies[19]
    );
}

#[test]
fn files_created_later_and_partial_lines_are_read() {
    let dir = tempfile::tempdir().unwrap();
    // Partial lines wait ten minutes at first: no machine is slow enough
    // for a line written in two parts to be flushed between them.
    let agent = Agent::start_with_config(dir.path(), "partial_line_flush_ms: 600000\n", &[]);
    let other = dir.path().join("logs/other.log");
    let mut out = File::create(&other).unwrap();
    out.write_all(line(0).as_bytes()).unwrap();
    // A line written in two parts is read once, whole.
    let second = line(1);
    out.write_all(&second.as_bytes()[..10]).unwrap();
    std::thread::sleep(Duration::from_millis(150));
    out.write_all(&second.as_bytes()[10..]).unwrap();
    // A last line that never gets its newline is read after the flush
    // timeout, once it is short.
    out.write_all(line(2).trim_end().as_bytes()).unwrap();
    wait_for_all(dir.path(), 2, Duration::from_secs(60));
    assert!(
        !seen(dir.path()).contains_key(&2),
        "held for its flush time"
    );
    agent.reload("partial_line_flush_ms: 300\n");
    let seen = wait_for_all(dir.path(), 3, Duration::from_secs(60));
    assert!(seen.values().all(|&n| n == 1));
}

#[test]
fn an_idle_agent_does_not_spin() {
    // Its own reads must not wake it (inotify reports them as access
    // events); with nothing written it only polls.
    let dir = tempfile::tempdir().unwrap();
    for i in 0..5 {
        fs::create_dir_all(dir.path().join("logs")).unwrap();
        fs::write(dir.path().join(format!("logs/idle-{i}.log")), line(i)).unwrap();
    }
    let agent = Agent::start(dir.path(), &["--start-at", "beginning"]);
    wait_for_all(dir.path(), 5, Duration::from_secs(60));
    let cpu = || {
        let stat = fs::read_to_string(format!("/proc/{}/stat", agent.child.id())).unwrap();
        let f: Vec<u64> = stat
            .rsplit(") ")
            .next()
            .unwrap()
            .split(' ')
            .skip(11)
            .take(2)
            .map(|v| v.parse().unwrap())
            .collect();
        f[0] + f[1]
    };
    let before = cpu();
    std::thread::sleep(Duration::from_secs(2));
    let ticks = cpu() - before;
    // A busy loop would use all 200 ticks; polling uses about none.
    assert!(ticks < 50, "{ticks} ticks of CPU in 2 s idle");
}

#[test]
fn a_kubernetes_style_symlink_swap_is_followed() {
    // /var/log/containers/*.log are symlinks into the pods' directories;
    // when a container restarts the link is swapped to a new file.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    fs::create_dir_all(&data).unwrap();
    fs::create_dir_all(dir.path().join("logs")).unwrap();
    let (first, second) = (data.join("0.log"), data.join("1.log"));
    let link = dir.path().join("logs/app.log");
    fs::write(&first, "").unwrap();
    std::os::unix::fs::symlink(&first, &link).unwrap();
    let agent = Agent::start(dir.path(), &["--start-at", "beginning"]);
    let mut out = OpenOptions::new().append(true).open(&first).unwrap();
    for seq in 0..100 {
        out.write_all(line(seq).as_bytes()).unwrap();
    }
    wait_for_all(dir.path(), 100, Duration::from_secs(60));
    // The old container writes its last lines, the link moves on, and the
    // old file is deleted while the agent still has it open.
    for seq in 100..110 {
        out.write_all(line(seq).as_bytes()).unwrap();
    }
    fs::write(&second, (110..120).map(line).collect::<String>()).unwrap();
    let tmp = dir.path().join("logs/app.log.tmp-link");
    std::os::unix::fs::symlink(&second, &tmp).unwrap();
    fs::rename(&tmp, &link).unwrap();
    fs::remove_file(&first).unwrap();
    let seen = wait_for_all(dir.path(), 120, Duration::from_secs(60));
    assert!(seen.values().all(|&n| n == 1));
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric("tailwatch_files_tailed") == Some(1.0)
    });
}

#[test]
fn run_mode_reads_stdin_and_exits_at_its_end() {
    let dir = tempfile::tempdir().unwrap();
    let matches = dir.path().join("m.jsonl");
    let input: String = (0..500).map(line).collect();
    let out = crate::util::run(
        &[
            "run",
            "--path",
            "-",
            "--listen",
            "127.0.0.1:0",
            "--matches-out",
            matches.to_str().unwrap(),
        ],
        input.as_bytes(),
    );
    assert!(out.status.success(), "{}", crate::util::stderr(&out));
    assert_eq!(fs::read_to_string(&matches).unwrap().lines().count(), 500);
}

#[test]
fn a_restart_in_the_middle_of_an_oversized_line_skips_its_rest() {
    let dir = tempfile::tempdir().unwrap();
    let extra = ["--start-at", "beginning", "--max-line-bytes", "1000"];
    let agent = Agent::start(dir.path(), &extra);
    let mut out = appender(&agent.log());
    out.write_all(&[b'x'; 5000]).unwrap();
    let oversized = r#"tailwatch_decode_errors_total{kind="oversized"}"#;
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric(oversized) == Some(1.0)
    });
    let (_, status) = agent.terminate();
    assert!(status.success());
    // The rest of the long line would match if it were read as a line.
    out.write_all(b" deadlock detected\n").unwrap();
    out.write_all(line(0).as_bytes()).unwrap();
    let agent = Agent::start(dir.path(), &extra);
    let seen = wait_for_all(dir.path(), 1, Duration::from_secs(60));
    assert_eq!(seen[&0], 1);
    let glob = format!("{}/logs/*.log", dir.path().display());
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric(&format!("tailwatch_lines_read_total{{input=\"{glob}\"}}")) == Some(2.0)
    });
    assert_eq!(agent.metric(DEADLOCKS), Some(1.0), "the rest was skipped");
}
