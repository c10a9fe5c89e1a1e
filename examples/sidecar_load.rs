//! Measures a running `tailwatch run` as a sidecar or node agent sees it:
//! resident memory with many tailed files, CPU while they sit idle, and
//! CPU and memory under a sustained write rate.
//!
//! usage:
//!   cargo run --release --example sidecar_load -- BINARY files N LINES_PER_FILE
//!       N files of LINES_PER_FILE corpus lines each (about 300 bytes a line),
//!       read from their beginning; prints peak and settled RSS once every
//!       line is read, then the CPU used over 10 s of idleness.
//!   cargo run --release --example sidecar_load -- BINARY rate LINES_PER_SEC SECONDS
//!       one file appended at LINES_PER_SEC in batches of 5 000 lines for
//!       SECONDS; prints the agent's CPU and peak RSS over the run.

#[path = "../benches/corpus.rs"]
mod corpus;

use std::fs::{self, OpenOptions};
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: sidecar_load BINARY (files N LINES_PER_FILE | rate LINES_PER_SEC SECONDS)";
    let [binary, mode, a, b] = &args[..] else {
        panic!("{usage}")
    };
    let (a, b): (u64, u64) = (a.parse().expect(usage), b.parse().expect(usage));
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    fs::create_dir_all(&logs).unwrap();
    match mode.as_str() {
        "files" => files(binary, &logs, a, b),
        "rate" => rate(binary, &logs, a, b),
        _ => panic!("{usage}"),
    }
}

fn corpus_lines(n: u64, seed: u64) -> String {
    let mut text = String::new();
    corpus::generate(&mut text, n as usize, seed, 0.02);
    text
}

fn files(binary: &str, logs: &Path, n: u64, lines: u64) {
    let mut bytes = 0;
    for i in 0..n {
        let text = corpus_lines(lines, i);
        bytes += text.len();
        fs::write(logs.join(format!("app-{i}.log")), text).unwrap();
    }
    println!(
        "{n} files of {lines} lines ({:.1} MiB in all)",
        bytes as f64 / (1 << 20) as f64
    );
    let agent = Agent::start(binary, logs);
    let start = Instant::now();
    agent.wait_for_lines(n * lines, Duration::from_secs(300));
    println!("read every line in {:.2?}", start.elapsed());
    std::thread::sleep(Duration::from_secs(2));
    let (rss, peak) = agent.memory_kib();
    println!(
        "resident memory: {:.1} MiB settled, {:.1} MiB peak",
        rss as f64 / 1024.0,
        peak as f64 / 1024.0
    );
    let before = agent.cpu_seconds();
    std::thread::sleep(Duration::from_secs(10));
    let idle = agent.cpu_seconds() - before;
    println!(
        "idle: {idle:.3} CPU seconds over 10 s ({:.2} % of a core)",
        idle * 10.0
    );
}

fn rate(binary: &str, logs: &Path, per_sec: u64, seconds: u64) {
    let log = logs.join("app.log");
    fs::write(&log, "").unwrap();
    let agent = Agent::start(binary, logs);
    const BATCH: u64 = 5_000;
    let batches: Vec<String> = (0..8).map(|s| corpus_lines(BATCH, s)).collect();
    let mut out = OpenOptions::new().append(true).open(&log).unwrap();
    let total = per_sec * seconds / BATCH * BATCH;
    let before = agent.cpu_seconds();
    let start = Instant::now();
    for i in 0..total / BATCH {
        out.write_all(batches[i as usize % batches.len()].as_bytes())
            .unwrap();
        let due = start + Duration::from_secs_f64(((i + 1) * BATCH) as f64 / per_sec as f64);
        if let Some(wait) = due.checked_duration_since(Instant::now()) {
            std::thread::sleep(wait);
        }
    }
    agent.wait_for_lines(total, Duration::from_secs(300));
    let wall = start.elapsed().as_secs_f64();
    let cpu = agent.cpu_seconds() - before;
    let (rss, peak) = agent.memory_kib();
    println!(
        "{total} lines in {wall:.1} s ({:.0} lines/s): agent CPU {cpu:.2} s = {:.2} % of a core; \
         RSS {:.1} MiB at the end, {:.1} MiB peak",
        total as f64 / wall,
        cpu / wall * 100.0,
        rss as f64 / 1024.0,
        peak as f64 / 1024.0
    );
}

struct Agent {
    child: Child,
    port: u16,
}

impl Agent {
    /// Starts the agent on `logs/*.log`, with its checkpoint beside `logs`,
    /// as a sidecar runs.
    fn start(binary: &str, logs: &Path) -> Agent {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(binary)
            .args(["run", "--start-at", "beginning", "--listen"])
            .arg(format!("127.0.0.1:{port}"))
            .arg("--path")
            .arg(format!("{}/*.log", logs.display()))
            .arg("--checkpoint-dir")
            .arg(logs.with_file_name("checkpoint"))
            .stderr(Stdio::null())
            .spawn()
            .expect("tailwatch starts");
        Agent { child, port }
    }

    fn metrics(&self) -> Option<String> {
        let mut s = std::net::TcpStream::connect(("127.0.0.1", self.port)).ok()?;
        write!(
            s,
            "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        .ok()?;
        let mut text = String::new();
        s.read_to_string(&mut text).ok()?;
        Some(text)
    }

    /// Waits until the agent has read `lines` lines in all.
    fn wait_for_lines(&self, lines: u64, limit: Duration) {
        let start = Instant::now();
        loop {
            let read: f64 = self
                .metrics()
                .unwrap_or_default()
                .lines()
                .filter(|l| l.starts_with("tailwatch_lines_read_total{"))
                .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
                .sum();
            if read as u64 >= lines {
                return;
            }
            assert!(
                start.elapsed() < limit,
                "read {read} of {lines} lines in {limit:?}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn cpu_seconds(&self) -> f64 {
        let stat = fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap();
        let fields: Vec<&str> = stat.rsplit(") ").next().unwrap().split(' ').collect();
        let ticks: f64 = fields[11].parse::<f64>().unwrap() + fields[12].parse::<f64>().unwrap();
        ticks / unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64
    }

    /// (VmRSS, VmHWM) in KiB.
    fn memory_kib(&self) -> (u64, u64) {
        let status = fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.split_whitespace().next()?.parse().ok())
                .unwrap_or(0)
        };
        (field("VmRSS:"), field("VmHWM:"))
    }
}

impl Drop for Agent {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
