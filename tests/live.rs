//! `scan` on a stream that stays open (`kubectl logs -f | tailwatch scan`):
//! trouble shows while the stream is open, and every ending gives the
//! report.

use std::io::{Read, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::util::{data, tailwatch, wait_until};

/// A `tailwatch scan` reading a pipe the test keeps open (or following
/// files), its output collected as it comes.
struct LiveScan {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: Collected,
    stderr: Collected,
}

/// A child's output stream, read on a thread into a buffer.
struct Collected {
    buf: Arc<Mutex<Vec<u8>>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Collected {
    fn new(mut from: impl Read + Send + 'static) -> Collected {
        let buf = Arc::new(Mutex::new(Vec::new()));
        let sink = buf.clone();
        let reader = std::thread::spawn(move || {
            let mut chunk = [0u8; 4096];
            while let Ok(n) = from.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&chunk[..n]);
            }
        });
        Collected {
            buf,
            reader: Some(reader),
        }
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.buf.lock().unwrap()).into_owned()
    }

    /// Waits until the stream has been read to its end (the child exited).
    fn finish(&mut self) {
        if let Some(reader) = self.reader.take() {
            reader.join().unwrap();
        }
    }
}

/// Waits for `child` to exit by itself (generously: a debug build on a
/// busy machine), calling `meanwhile` between looks.
fn wait_for_exit(child: &mut Child, mut meanwhile: impl FnMut()) -> ExitStatus {
    let deadline = Instant::now() + LIMIT;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "scan did not end");
        meanwhile();
        std::thread::sleep(Duration::from_millis(50));
    }
}

impl LiveScan {
    /// `tailwatch scan ARGS` on a pipe the test writes to.
    fn start(args: &[&str]) -> LiveScan {
        LiveScan::spawn(args, Stdio::piped())
    }

    fn spawn(args: &[&str], stdin: Stdio) -> LiveScan {
        let mut child = tailwatch()
            .arg("scan")
            .args(args)
            .stdin(stdin)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("tailwatch starts");
        let stdout = Collected::new(child.stdout.take().unwrap());
        let stderr = Collected::new(child.stderr.take().unwrap());
        LiveScan {
            stdin: child.stdin.take(),
            child,
            stdout,
            stderr,
        }
    }

    fn write(&mut self, text: &str) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(text.as_bytes()).unwrap();
        stdin.flush().unwrap();
    }

    fn stdout(&self) -> String {
        self.stdout.text()
    }

    fn stderr(&self) -> String {
        self.stderr.text()
    }

    fn signal(&self, signal: i32) {
        assert_eq!(unsafe { libc::kill(self.child.id() as i32, signal) }, 0);
    }

    /// Waits for the scan to end by itself, and for all it wrote.
    fn wait(&mut self) -> ExitStatus {
        let status = wait_for_exit(&mut self.child, || {});
        self.stdout.finish();
        self.stderr.finish();
        status
    }
}

impl Drop for LiveScan {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn sample() -> String {
    std::fs::read_to_string(data("sample.log")).unwrap()
}

const LIMIT: Duration = Duration::from_secs(60);

#[test]
fn incidents_show_while_the_stream_is_open_and_ctrl_c_gives_the_report() {
    let mut scan = LiveScan::start(&[]);
    scan.write(&sample());
    // The pipe stays open: the incident lines come anyway.
    wait_until(LIMIT, || {
        scan.stderr()
            .contains("incident opened at critical: pool_acquire_timeout (pool_exhaustion)")
    });
    assert!(scan.stdout().is_empty(), "no report before the end");
    scan.signal(libc::SIGINT);
    let status = scan.wait();
    assert_eq!(status.code(), Some(0), "{}", scan.stderr());
    let report = scan.stdout();
    assert!(report.contains("state: CRITICAL"), "{report}");
    assert!(report.contains("pool_acquire_timeout"), "{report}");
    assert!(
        report.contains("20 lines"),
        "every line read is reported: {report}"
    );
}

#[test]
fn sigterm_gives_the_json_report_and_fail_on_decides_the_exit_code() {
    let mut scan = LiveScan::start(&["--format", "json", "--fail-on", "error"]);
    scan.write(&sample());
    wait_until(LIMIT, || scan.stderr().contains("incident opened"));
    scan.signal(libc::SIGTERM);
    let status = scan.wait();
    assert_eq!(
        status.code(),
        Some(1),
        "a critical match with --fail-on error"
    );
    let report: serde_json::Value = serde_json::from_str(&scan.stdout()).expect("a JSON report");
    assert_eq!(report["state"], "critical");
    assert_eq!(report["totals"]["lines"], 20);
}

#[test]
fn matches_stream_to_stdout_as_they_happen_and_a_closed_pipe_ends_the_scan() {
    let mut child = tailwatch()
        .args(["scan", "--matches-out", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("tailwatch starts");
    let mut stderr = Collected::new(child.stderr.take().unwrap());
    // The reader of the matches takes one line and goes away (`| head -1`).
    let mut stdout = child.stdout.take().unwrap();
    let (first_tx, first_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = Vec::new();
        let mut byte = [0u8; 1];
        while stdout.read(&mut byte).is_ok_and(|n| n == 1) && byte[0] != b'\n' {
            line.push(byte[0]);
        }
        let _ = first_tx.send(line);
        // `stdout` is dropped here: the pipe's read end closes.
    });
    let trouble = sample()
        .lines()
        .find(|l| l.contains("pool timed out"))
        .unwrap()
        .to_string();
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "{trouble}").unwrap();
    stdin.flush().unwrap();
    // One JSON line per match, flushed while the input stays open.
    let first = first_rx
        .recv_timeout(LIMIT)
        .expect("a match record while the pipe is open");
    let record: serde_json::Value = serde_json::from_slice(&first).unwrap();
    assert_eq!(record["rule"], "pool_acquire_timeout");
    // The next match cannot be written: the scan ends, its report on
    // stderr, the input still open.
    let status = wait_for_exit(&mut child, || {
        let _ = writeln!(stdin, "{trouble}").and_then(|()| stdin.flush());
    });
    stderr.finish();
    let stderr = stderr.text();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("state: CRITICAL"), "{stderr}");
}

#[test]
fn no_live_and_since_keep_a_script_quiet_and_recent() {
    let mut scan = LiveScan::start(&["--no-live"]);
    scan.write(&sample());
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(scan.stderr(), "", "--no-live: silent until the end");
    scan.stdin = None;
    assert_eq!(scan.wait().code(), Some(0));
    assert!(scan.stdout().contains("pool_acquire_timeout"));

    // The sample was logged in 2026-11; records of the last hour only.
    let recent = format!(
        "{{\"timestamp\":\"{}\",\"level\":\"ERROR\",\"message\":\"pool timed out while waiting for an open connection\"}}\n",
        tailwatch::decode::time::format_rfc3339(tailwatch::aggregate::wall_now())
    );
    let out = crate::util::run(
        &["scan", "--since", "1h", "--format", "json"],
        format!("{}{recent}", sample()).as_bytes(),
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(crate::util::count(&report, "pool_acquire_timeout"), 1);
    assert_eq!(report["totals"]["lines"], 21, "every line is still read");
    let bad = crate::util::run(&["scan", "--since", "yesterday"], b"");
    assert_eq!(bad.status.code(), Some(2));
    assert!(crate::util::stderr(&bad).contains("write 30s, 10m, 2h or 1d"));
}

/// The live view in a real terminal: tmux runs the scan on a pipe that
/// stays open, the screen is read twice while it runs, and after Ctrl-C.
#[test]
fn the_live_view_redraws_in_a_terminal_and_ctrl_c_replaces_it_with_the_report() {
    let session = format!("tailwatch-live-{}", std::process::id());
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    std::fs::write(&log, sample()).unwrap();
    let bin = env!("CARGO_BIN_EXE_tailwatch");
    let command = format!(
        "(cat {}; sleep 300) | {bin} scan --color never",
        log.display()
    );
    /// The test's own tmux server, killed however the test ends.
    struct Server(String);
    impl Drop for Server {
        fn drop(&mut self) {
            let _ = Command::new("tmux")
                .args(["-L", &self.0, "kill-server"])
                .stdin(Stdio::null())
                .output();
        }
    }
    let _server = Server(session.clone());
    let tmux = |args: &[&str]| {
        // Without a stdin of its own, the server tmux forks would share the
        // test's.
        let out = Command::new("tmux")
            .args(["-L", &session])
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("tmux is installed (.ci/run installs it)");
        assert!(out.status.success(), "tmux {args:?}: {out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    tmux(&[
        "new-session",
        "-d",
        "-s",
        &session,
        "-x",
        "150",
        "-y",
        "80",
        "-e",
        "TERM=xterm",
        &command,
    ]);
    tmux(&["set-option", "-t", &session, "remain-on-exit", "on"]);
    let screen = || tmux(&["capture-pane", "-p", "-t", &session]);
    // A capture can fall between a redraw's clear and its text, so each
    // condition is judged on one capture, and that capture is kept.
    let screen_where = |condition: &dyn Fn(&str) -> bool| {
        let mut seen = String::new();
        wait_until(LIMIT, || {
            seen = screen();
            condition(&seen)
        });
        seen
    };
    let watched = |screen: &str| {
        let at = screen.find(" lines in ")? + " lines in ".len();
        let secs = &screen[at..at + screen[at..].find('s')?];
        secs.parse::<u64>().ok()
    };
    let first = screen_where(&|s| s.contains("pool_acquire_timeout") && watched(s).is_some());
    assert!(first.contains("tailwatch scan — live"), "{first}");
    assert!(first.contains("read 20 lines"), "{first}");
    // Redrawn while nothing comes: the time watched moves on.
    let second = screen_where(&|s| watched(s).is_some_and(|w| w > watched(&first).unwrap()));
    assert!(second.contains("pool_acquire_timeout"), "{second}");
    tmux(&["send-keys", "-t", &session, "C-c"]);
    // The header of the view says "state:" too, so the report is judged
    // once the scan has exited and the screen no longer changes.
    wait_until(LIMIT, || {
        tmux(&["display-message", "-p", "-t", &session, "#{pane_dead}"]).trim() == "1"
    });
    let last = screen();
    assert!(
        !last.contains("tailwatch scan — live"),
        "the view is cleared: {last}"
    );
    assert!(last.contains("state: CRITICAL"), "{last}");
    assert!(last.contains("pool_acquire_timeout"), "{last}");
}

#[test]
fn follow_reads_a_file_through_a_rename_rotation_until_ctrl_c() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    let line = |message: &str| {
        format!("{{\"timestamp\":\"2026-12-02T03:00:00Z\",\"level\":\"ERROR\",\"message\":\"{message}\"}}\n")
    };
    std::fs::write(
        &log,
        line("pool timed out while waiting for an open connection"),
    )
    .unwrap();
    let mut scan = LiveScan::spawn(&["--follow", log.to_str().unwrap()], Stdio::null());
    wait_until(LIMIT, || {
        scan.stderr()
            .contains("incident opened at critical: pool_acquire_timeout")
    });
    // The writer rotates: the file is renamed and a new one takes its name.
    std::fs::rename(&log, dir.path().join("app.log.1")).unwrap();
    std::fs::write(&log, line("deadlock detected")).unwrap();
    wait_until(LIMIT, || scan.stderr().contains("deadlock_detected"));
    assert!(scan.stdout().is_empty(), "following until interrupted");
    scan.signal(libc::SIGINT);
    let status = scan.wait();
    assert_eq!(status.code(), Some(0), "{}", scan.stderr());
    let report = scan.stdout();
    assert!(
        report.contains("pool_acquire_timeout") && report.contains("deadlock_detected"),
        "{report}"
    );
    assert!(report.starts_with("2 lines"), "{report}");
}

#[test]
fn a_report_reader_that_went_away_is_no_error() {
    // `tailwatch scan app.log | head -1`, with `head` gone before the
    // report is written.
    let mut child = tailwatch()
        .args(["scan", "--fail-on", "critical", &data("sample.log")])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "--fail-on still decides: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
