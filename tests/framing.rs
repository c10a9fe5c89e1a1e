//! One framing for every source: each case runs through `scan` of a file,
//! of a gzip file and of stdin, `run` on stdin, and `run` tailing a file
//! written in parts, and every one must lend the same lines at the same
//! offsets, cut at the same cap.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::Duration;

use crate::sidecar::{appender, Agent};
use crate::util::tailwatch;

/// A rule that matches every line with content, so the match output shows
/// every line framing lends.
const EVERY_LINE: &str = r#"
rules:
  - name: every_line
    category: panic
    severity: info
    description: Every line.
    action: None.
    match:
      fields: [line]
      regex: '(?s).'
"#;

struct Case {
    name: &'static str,
    input: Vec<u8>,
    max_line_bytes: usize,
}

/// What every source kind must produce: (offset, line) of each line with
/// content, the head of an oversized line cut at the cap; and the number of
/// oversized lines.
fn expected(case: &Case) -> (Vec<(u64, String)>, u64) {
    let mut lines = Vec::new();
    let mut oversized = 0;
    let mut at = 0u64;
    for line in case.input.split_inclusive(|&b| b == b'\n') {
        let content = line.strip_suffix(b"\n").unwrap_or(line);
        let kept = if content.len() > case.max_line_bytes {
            oversized += 1;
            &content[..case.max_line_bytes]
        } else {
            content
        };
        let kept = kept.strip_suffix(b"\r").unwrap_or(kept);
        if !kept.is_empty() {
            lines.push((at, String::from_utf8(kept.to_vec()).unwrap()));
        }
        at += line.len() as u64;
    }
    (lines, oversized)
}

/// (offset, line) of every record in a match output file.
fn matched(path: &Path) -> Vec<(u64, String)> {
    let mut out: Vec<(u64, String)> = fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| {
            let m: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                m["offset"].as_u64().unwrap(),
                m["line"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

fn cases() -> Vec<Case> {
    let mut big = Vec::new();
    for i in 0..30_000 {
        writeln!(
            big,
            "{{\"seq\":{i},\"msg\":\"a line of about seventy bytes of routine text\"}}"
        )
        .unwrap();
        if i == 15_000 {
            // Longer than the cap, and than the reads it spans.
            big.extend(std::iter::repeat_n(b'x', 1_500_000));
            big.push(b'\n');
        }
    }
    vec![
        Case {
            name: "partial, CRLF, empty and unterminated lines",
            input: b"one\ntwo\r\nthree\n\n\r\nlast-without-newline".to_vec(),
            max_line_bytes: 1024,
        },
        Case {
            name: "oversized lines in the middle and at the end",
            input: [
                &b"short\n"[..],
                &[b'x'; 40],
                b"\nafter\n12345678\n123456789\n1234567\r\n",
                &[b'y'; 20],
            ]
            .concat(),
            max_line_bytes: 8,
        },
        Case {
            name: "empty input",
            input: Vec::new(),
            max_line_bytes: 8,
        },
        Case {
            name: "two megabytes across reads with a 1.5 MB line",
            input: big,
            max_line_bytes: 256 * 1024,
        },
    ]
}

fn write_rules(dir: &Path) -> String {
    let rules = dir.join("every.yaml");
    fs::write(&rules, EVERY_LINE).unwrap();
    rules.display().to_string()
}

/// Writes `data` to `child`'s stdin in parts, pausing between them so that
/// reads end in the middle of lines.
fn trickle(child: &mut Child, data: &[u8]) {
    let mut stdin = child.stdin.take().unwrap();
    for part in data.chunks(data.len().div_ceil(7).max(1)) {
        stdin.write_all(part).unwrap();
        stdin.flush().unwrap();
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `scan` over `input` (a file, or stdin when `None`): the matches and the
/// JSON report.
fn scan(case: &Case, dir: &Path, input: Option<&Path>) -> (Vec<(u64, String)>, serde_json::Value) {
    let out = dir.join("scan-matches.jsonl");
    let _ = fs::remove_file(&out);
    let cap = case.max_line_bytes.to_string();
    let rules = write_rules(dir);
    let mut cmd = tailwatch();
    cmd.args([
        "scan",
        "--format",
        "json",
        "--no-default-rules",
        "--patterns",
        &rules,
    ])
    .args(["--max-line-bytes", &cap, "--matches-out"])
    .arg(&out)
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = match input {
        Some(path) => cmd.arg(path).stdin(Stdio::null()).spawn().unwrap(),
        None => {
            let mut child = cmd.stdin(Stdio::piped()).spawn().unwrap();
            trickle(&mut child, &case.input);
            child
        }
    };
    child.stdin.take();
    let done = child.wait_with_output().unwrap();
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    (matched(&out), serde_json::from_slice(&done.stdout).unwrap())
}

#[test]
fn every_source_kind_frames_lines_alike() {
    for case in cases() {
        let dir = tempfile::tempdir().unwrap();
        let (lines, oversized) = expected(&case);
        let line_count = case.input.split_inclusive(|&b| b == b'\n').count() as u64;
        let file = dir.path().join("input.log");
        fs::write(&file, &case.input).unwrap();
        let gz = dir.path().join("input.log.1");
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(&case.input).unwrap();
        fs::write(&gz, enc.finish().unwrap()).unwrap();

        for (mode, input) in [("file", Some(&file)), ("gzip", Some(&gz)), ("stdin", None)] {
            let (got, report) = scan(&case, dir.path(), input.map(|p| p.as_path()));
            let what = format!("{}: scan {mode}", case.name);
            assert_eq!(got, lines, "{what}");
            assert_eq!(report["totals"]["lines"], line_count, "{what}");
            assert_eq!(report["totals"]["bytes"], case.input.len() as u64, "{what}");
            assert_eq!(
                report["totals"]["decode_errors"]["oversized"], oversized,
                "{what}"
            );
        }

        let got = run_stdin(&case, dir.path());
        assert_eq!(got, lines, "{}: run on stdin", case.name);

        let (got, metrics) = run_tail(&case, dir.path());
        assert_eq!(got, lines, "{}: run tailing a file", case.name);
        let value = |series: &str| {
            metrics
                .lines()
                .find(|l| l.starts_with(series))
                .and_then(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        };
        assert_eq!(
            value("tailwatch_decode_errors_total{kind=\"oversized\"}"),
            Some(oversized as f64),
            "{}: run tailing a file",
            case.name
        );
        if !case.input.is_empty() {
            assert_eq!(
                value("tailwatch_lines_read_total{"),
                Some(line_count as f64),
                "{}: run tailing a file",
                case.name
            );
        }
    }
}

fn run_stdin(case: &Case, dir: &Path) -> Vec<(u64, String)> {
    let out = dir.join("run-stdin-matches.jsonl");
    let rules = write_rules(dir);
    let mut child = tailwatch()
        .args([
            "run",
            "--path",
            "-",
            "--no-default-rules",
            "--patterns",
            &rules,
        ])
        .args(["--listen", "127.0.0.1:0"])
        .args(["--max-line-bytes", &case.max_line_bytes.to_string()])
        .arg("--matches-out")
        .arg(&out)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    trickle(&mut child, &case.input);
    let done = child.wait_with_output().unwrap();
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    matched(&out)
}

/// Tails a file written in three parts, each cut in the middle of a line
/// and read before the next is written; the unterminated last line is read
/// after the partial-line timeout. Returns the matches and `/metrics`.
fn run_tail(case: &Case, dir: &Path) -> (Vec<(u64, String)>, String) {
    let rules = write_rules(dir);
    let cap = case.max_line_bytes.to_string();
    let agent_dir = dir.join("agent");
    let agent = Agent::start(
        &agent_dir,
        &[
            "--start-at",
            "beginning",
            "--no-default-rules",
            "--patterns",
            &rules,
            "--max-line-bytes",
            &cap,
            "--partial-line-flush-ms",
            "200",
        ],
    );
    let glob = format!("{}/logs/*.log", agent_dir.display());
    let bytes_read = format!("tailwatch_bytes_read_total{{input=\"{glob}\"}}");
    let mut out = appender(&agent.log());
    let third = case.input.len().div_ceil(3).max(1);
    let mut written = 0;
    for part in case.input.chunks(third) {
        out.write_all(part).unwrap();
        written += part.len();
        agent.wait_until(Duration::from_secs(60), || {
            agent.metric(&bytes_read) == Some(written as f64)
        });
    }
    let (lines, _) = expected(case);
    let matches = agent_dir.join("matches.jsonl");
    agent.wait_until(Duration::from_secs(60), || {
        matched(&matches).len() >= lines.len()
    });
    // A moment for anything extra to show up, then read the final state.
    agent.wait_until(Duration::from_secs(60), || {
        agent
            .get("/metrics")
            .is_some_and(|m| m.contains("tailwatch_lines_read_total{"))
    });
    std::thread::sleep(Duration::from_millis(400));
    (matched(&matches), agent.get("/metrics").unwrap())
}
