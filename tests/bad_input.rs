//! Bad input is counted by kind and never stops the scan: the trouble line
//! after each bad line is still found.

use crate::util::{count, run, scan_json};

const TROUBLE: &str = r#"{"level":"error","msg":"deadlock detected"}"#;

fn errors(report: &serde_json::Value, kind: &str) -> u64 {
    report["totals"]["decode_errors"][kind].as_u64().unwrap()
}

#[test]
fn invalid_utf8_is_counted_and_the_line_still_matched() {
    let mut input = b"{\"level\":\"error\",\"msg\":\"deadlock detected \xff\xfe\"}\n".to_vec();
    input.extend_from_slice(format!("{TROUBLE}\n").as_bytes());
    let report = scan_json(&input, &[]);
    assert_eq!(errors(&report, "invalid_utf8"), 1);
    assert_eq!(count(&report, "deadlock_detected"), 2);
}

#[test]
fn nul_bytes_are_counted() {
    let input = format!("{{\"msg\":\"x\0y\"}}\n\0\0\n{TROUBLE}\n");
    let report = scan_json(input.as_bytes(), &[]);
    assert_eq!(errors(&report, "nul_bytes"), 2);
    assert_eq!(count(&report, "deadlock_detected"), 1);
}

#[test]
fn truncated_and_invalid_json_are_counted_and_read_as_text() {
    let input = format!(
        "{{\"level\":\"error\",\"msg\":\"deadlock detec\n{{\"level\":\"error\",\"msg\":\"deadlock detected\",}}\n{TROUBLE}\n"
    );
    let report = scan_json(input.as_bytes(), &[]);
    assert_eq!(errors(&report, "truncated_json"), 1);
    assert_eq!(errors(&report, "invalid_json"), 1);
    // The invalid (but complete) line still carries the words as text.
    assert_eq!(count(&report, "deadlock_detected"), 2);
}

#[test]
fn oversized_lines_are_cut_counted_and_skipped_to_the_next_line() {
    let long = format!("{{\"msg\":\"{}\"}}", "x".repeat(5000));
    let input = format!("{long}\n{TROUBLE}\n{long}{TROUBLE}\n{TROUBLE}\n");
    let report = scan_json(input.as_bytes(), &["--max-line-bytes", "1024"]);
    assert_eq!(errors(&report, "oversized"), 2);
    // The trouble text past the cap on the third line is skipped with it.
    assert_eq!(count(&report, "deadlock_detected"), 2);
}

#[test]
fn an_unterminated_last_line_is_read() {
    let report = scan_json(TROUBLE.as_bytes(), &[]);
    assert_eq!(count(&report, "deadlock_detected"), 1);
    assert_eq!(report["totals"]["lines"], 1);
}

#[test]
fn random_bytes_never_crash_the_scan() {
    let mut state = 0x2545F4914F6CDD1Du64;
    let mut junk = Vec::with_capacity(1 << 20);
    while junk.len() < 1 << 20 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        junk.extend_from_slice(&state.to_le_bytes());
    }
    junk.extend_from_slice(format!("\n{TROUBLE}\n").as_bytes());
    let out = run(&["scan", "--format", "json"], &junk);
    assert!(out.status.success());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(count(&report, "deadlock_detected"), 1);
}

/// Every kind of bad input, each followed by a trouble line: a raw file, a
/// CRI file and a Docker json-file, written into `dir`.
fn write_bad_inputs(dir: &std::path::Path) {
    let trouble = format!("{TROUBLE}\n");
    let mut input: Vec<u8> = Vec::new();
    let mut push = |bad: &[u8]| {
        input.extend_from_slice(bad);
        input.push(b'\n');
        input.extend_from_slice(trouble.as_bytes());
    };
    // Invalid UTF-8, NUL bytes, a binary block.
    push(b"{\"level\":\"error\",\"msg\":\"ledger \xc3\x28 down\"}");
    push(b"plain \0 text with a NUL");
    let binary: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .filter(|b| *b != b'\n')
        .collect();
    push(&binary);
    // A 10 MiB line (cut at the 256 KiB cap, the rest skipped).
    push(&vec![b'x'; 10 << 20]);
    // JSON nested 200 000 deep (over the cap too), and 20 000 deep
    // (under it: serde_json's recursion limit makes it invalid JSON, read
    // as text).
    let nested = |depth: usize| {
        let mut s = "{\"a\":".repeat(depth);
        s.push_str("\"deadlock detected\"");
        s.push_str(&"}".repeat(depth));
        s.into_bytes()
    };
    push(&nested(200_000));
    push(&nested(20_000));
    // A number out of range, and duplicate keys (the last one wins).
    push(br#"{"level":"error","msg":"deadlock detected","n":1e999999}"#);
    push(br#"{"level":"error","msg":"x","msg":"deadlock detected"}"#);
    // Windows line endings.
    push(b"{\"level\":\"error\",\"msg\":\"deadlock detected\"}\r");
    // A JSON line cut short.
    push(br#"{"level":"error","msg":"deadlock detec"#);
    std::fs::write(dir.join("bad.log"), &input).unwrap();

    // CRI: a stdout line split in two with a stderr line between them, a
    // split line whose parts run past the line cap (cut, counted oversized)
    // and one cut off by the end of the file.
    let t = "2026-12-01T10:00:00.123456789Z";
    let mut cri = vec![
        format!("{t} stdout P {}", &TROUBLE[..20]),
        format!("{t} stderr F {TROUBLE}"),
        format!("{t} stdout F {}", &TROUBLE[20..]),
        format!(r#"{t} stdout P {{"level":"error","msg":"never ends"#),
    ];
    cri.extend((0..100).map(|_| format!("{t} stdout P {}", "y".repeat(4000))));
    cri.push(format!("{t} stdout F tail"));
    cri.push(format!("{t} stdout F {TROUBLE}"));
    cri.push(format!(r#"{t} stdout P {{"level":"error","msg":"cut"#));
    std::fs::write(dir.join("cri.log"), cri.join("\n") + "\n").unwrap();

    // Docker: a line split by the driver in the middle of a character
    // (the driver writes each half's broken byte as U+FFFD, as Go does).
    let entry = |log: &str| {
        serde_json::json!({"log": log, "stream": "stdout", "time": "2026-12-01T10:00:00.1Z"})
            .to_string()
    };
    let docker = [
        entry("{\"level\":\"error\",\"msg\":\"deadlock detected \u{fffd}"),
        entry("\u{fffd} ünïcødé\"}\n"),
        entry(&trouble),
    ];
    std::fs::write(dir.join("docker.log"), docker.join("\n") + "\n").unwrap();
}

/// What every reader of the bad inputs must count, by kind; and the lines
/// and matches of deadlock_detected.
const BAD_KINDS: [(&str, u64); 6] = [
    ("invalid_utf8", 2),
    ("nul_bytes", 2),
    ("oversized", 3),
    ("invalid_json", 2),
    ("truncated_json", 3),
    ("unfinished", 1),
];
// bad.log: 20 lines, every trouble line after a bad one and the bad lines
// that say it (20 000 deep read as text, the number out of range, the
// duplicate key, the CRLF line). cri.log: 5 lines, 3 of them trouble.
// docker.log: 2 lines, both trouble.
const BAD_LINES: u64 = 20 + 5 + 2;
const BAD_DEADLOCKS: u64 = 10 + 4 + 3 + 2;

fn kinds(report: &serde_json::Value) -> Vec<(&'static str, u64)> {
    BAD_KINDS
        .iter()
        .map(|(k, _)| (*k, errors(report, k)))
        .collect()
}

/// `scan` over every kind of bad input: it survives it, counts each kind
/// exactly, still finds every trouble line, and its memory stays bounded
/// although one line is 10 MiB and one JSON object is nested 200 000 deep.
#[test]
fn a_file_of_every_kind_of_bad_input_is_counted_exactly_and_bounded() {
    let dir = tempfile::tempdir().unwrap();
    write_bad_inputs(dir.path());
    let files: Vec<String> = ["bad.log", "cri.log", "docker.log"]
        .iter()
        .map(|f| dir.path().join(f).display().to_string())
        .collect();
    // Waited for with wait4, for the kernel's accounting of this child
    // alone (its peak resident memory); std's wait would not give it.
    #[allow(clippy::zombie_processes)]
    let mut child = crate::util::tailwatch()
        .args(["scan", "--format", "json"])
        .args(&files)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = Vec::new();
    std::io::Read::read_to_end(&mut child.stdout.take().unwrap(), &mut stdout).unwrap();
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as i32);
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "status {status}"
    );
    let report: serde_json::Value = serde_json::from_slice(&stdout).unwrap();
    assert_eq!(kinds(&report), BAD_KINDS);
    assert_eq!(count(&report, "deadlock_detected"), BAD_DEADLOCKS);
    assert_eq!(report["totals"]["lines"], BAD_LINES);
    // Peak memory: bounded by the line cap, not by the 10 MiB line.
    let peak_mib = usage.ru_maxrss as f64 / 1024.0;
    println!("scan: peak RSS {peak_mib:.1} MiB");
    assert!(peak_mib < 64.0, "{peak_mib} MiB");
}

/// The agent tailing the same files: the same counts, its peak memory
/// within the sidecar manifest's 64 MiB limit, and it goes on reading.
#[test]
fn the_agent_counts_every_kind_of_bad_input_exactly_and_stays_bounded() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("logs")).unwrap();
    write_bad_inputs(&dir.path().join("logs"));
    let agent = crate::sidecar::Agent::start(
        dir.path(),
        &["--start-at", "beginning", "--partial-line-flush-ms", "500"],
    );
    let report = || -> serde_json::Value {
        serde_json::from_str(&agent.get("/report").unwrap_or_default()).unwrap_or_default()
    };
    agent.wait_until(std::time::Duration::from_secs(60), || {
        let r = report();
        r["totals"]["lines"] == BAD_LINES && r["totals"]["decode_errors"]["unfinished"] == 1
    });
    let r = report();
    assert_eq!(kinds(&r), BAD_KINDS);
    assert_eq!(count(&r, "deadlock_detected"), BAD_DEADLOCKS);
    // Still reading: a line appended after all that is matched.
    let mut out = crate::sidecar::appender(&dir.path().join("logs/bad.log"));
    std::io::Write::write_all(&mut out, format!("{TROUBLE}\n").as_bytes()).unwrap();
    agent.wait_until(std::time::Duration::from_secs(60), || {
        count(&report(), "deadlock_detected") == BAD_DEADLOCKS + 1
    });
    let status = std::fs::read_to_string(format!("/proc/{}/status", agent.child.id())).unwrap();
    let peak_kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    println!("run: peak RSS {:.1} MiB", peak_kib / 1024.0);
    assert!(peak_kib < 64.0 * 1024.0, "{peak_kib} KiB");
}
