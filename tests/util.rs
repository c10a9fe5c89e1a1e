//! Running the real binary on files and stdin.

use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

/// The files of `dir` whose names end in `.{extension}`, sorted.
pub fn files_with_extension(dir: &Path, extension: &str) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == extension))
        .collect();
    files.sort();
    files
}

pub fn tailwatch() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tailwatch"))
}

/// Runs tailwatch with `args`, feeding `stdin`.
pub fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = tailwatch()
        .args(args)
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("tailwatch starts");
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().expect("tailwatch finishes");
    writer.join().unwrap();
    out
}

/// `tailwatch scan --format json` over stdin; the parsed report.
pub fn scan_json(stdin: &[u8], extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["scan", "--format", "json"];
    args.extend_from_slice(extra);
    let out = run(&args, stdin);
    assert!(
        out.status.success(),
        "scan failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the report is JSON")
}

/// The count of `rule` in a JSON report (0 when it did not match).
pub fn count(report: &serde_json::Value, rule: &str) -> u64 {
    rule_entry(report, rule).map_or(0, |r| r["count"].as_u64().unwrap())
}

pub fn rule_entry<'a>(report: &'a serde_json::Value, rule: &str) -> Option<&'a serde_json::Value> {
    report["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == rule)
}

pub fn data(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
        .display()
        .to_string()
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// GET `path` from 127.0.0.1:`port`: the status code and body.
pub fn http_get(port: u16, path: &str) -> Option<(u16, String)> {
    http_request(port, "GET", path)
}

/// `method` `path` (no body) to 127.0.0.1:`port`: the status code and
/// body.
pub fn http_request(port: u16, method: &str, path: &str) -> Option<(u16, String)> {
    use std::io::Read;
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    // Generous: a reload loads the whole rule pack.
    s.set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .ok()?;
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut text = String::new();
    s.read_to_string(&mut text).ok()?;
    let (head, body) = text.split_once("\r\n\r\n")?;
    Some((head.split(' ').nth(1)?.parse().ok()?, body.to_string()))
}

/// The value of one sample of the `/metrics` of the agent on `port`.
pub fn metric(port: u16, series: &str) -> Option<f64> {
    let (_, text) = http_get(port, "/metrics")?;
    text.lines()
        .find(|l| l.starts_with(series) && l[series.len()..].starts_with(' '))
        .and_then(|l| l.rsplit(' ').next()?.parse().ok())
}

/// Waits until `ready`, failing after `limit` (generous: a debug build on
/// a busy machine).
pub fn wait_until(limit: std::time::Duration, mut ready: impl FnMut() -> bool) {
    let start = std::time::Instant::now();
    while !ready() {
        assert!(start.elapsed() < limit, "timed out after {limit:?}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// The port an agent started with `--listen 127.0.0.1:0` says it listens
/// on: its "listening" line in `log` (the file its stderr goes to), from
/// byte `from` on. 0 if it exits before saying.
pub fn listening_port(log: &Path, from: usize, child: &mut Child) -> u16 {
    let mut port = 0;
    wait_until(std::time::Duration::from_secs(60), || {
        let text = std::fs::read(log).unwrap_or_default();
        let text = String::from_utf8_lossy(text.get(from..).unwrap_or_default());
        port = text
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .find(|l| l["fields"]["message"] == "listening")
            .and_then(|l| {
                l["fields"]["address"]
                    .as_str()?
                    .rsplit(':')
                    .next()?
                    .parse()
                    .ok()
            })
            .unwrap_or(0);
        port != 0 || child.try_wait().ok().flatten().is_some()
    });
    port
}
