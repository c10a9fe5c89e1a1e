//! Measures how long a line appended to a tailed file takes to reach the
//! match output of a running `tailwatch run`, and how much CPU the agent
//! uses while 20 tailed files sit idle.
//!
//! usage: cargo run --release --example append_latency -- target/release/tailwatch [SAMPLES]

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn cpu_seconds(pid: u32) -> f64 {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(") ").next().unwrap_or("").split(' ').collect();
    let ticks: f64 = fields.get(11).and_then(|v| v.parse().ok()).unwrap_or(0.0)
        + fields.get(12).and_then(|v| v.parse().ok()).unwrap_or(0.0);
    ticks / 100.0
}

fn main() {
    let mut args = std::env::args().skip(1);
    let binary = args
        .next()
        .expect("usage: append_latency PATH_TO_TAILWATCH [SAMPLES]");
    let samples: usize = args
        .next()
        .map_or(200, |a| a.parse().expect("SAMPLES is a number"));
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    fs::create_dir_all(&logs).unwrap();
    for i in 0..20 {
        fs::write(logs.join(format!("idle-{i}.log")), "").unwrap();
    }
    let matches = dir.path().join("matches.jsonl");
    let mut agent = Command::new(binary)
        .args([
            "run",
            "--path",
            &format!("{}/*.log", logs.display()),
            "--listen",
            "127.0.0.1:0",
        ])
        .arg("--matches-out")
        .arg(&matches)
        .stderr(Stdio::null())
        .spawn()
        .expect("tailwatch starts");
    std::thread::sleep(Duration::from_secs(2));

    let before = cpu_seconds(agent.id());
    std::thread::sleep(Duration::from_secs(10));
    let idle = cpu_seconds(agent.id()) - before;
    println!(
        "idle: {idle:.3} CPU seconds over 10 s with 20 idle files ({:.2} % of a core)",
        idle * 10.0
    );

    let mut out = OpenOptions::new()
        .append(true)
        .open(logs.join("idle-0.log"))
        .unwrap();
    let mut latencies = Vec::new();
    for seq in 0..samples {
        let before = fs::metadata(&matches).map_or(0, |m| m.len());
        let start = Instant::now();
        writeln!(
            out,
            r#"{{"level":"error","msg":"deadlock detected","seq":{seq}}}"#
        )
        .unwrap();
        while fs::metadata(&matches).map_or(0, |m| m.len()) == before {
            assert!(
                start.elapsed() < Duration::from_secs(5),
                "no match within 5 s"
            );
            std::thread::sleep(Duration::from_micros(200));
        }
        latencies.push(start.elapsed());
        std::thread::sleep(Duration::from_millis(20));
    }
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() - 1) as f64 * p) as usize];
    println!(
        "append-to-match latency over {samples} lines: p50 {:?}, p99 {:?}, max {:?}",
        pct(0.5),
        pct(0.99),
        latencies[latencies.len() - 1]
    );
    let _ = agent.kill();
    let _ = agent.wait();
}
