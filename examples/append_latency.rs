//! Measures how long a line appended to a tailed file takes to reach the
//! match output and `/metrics` of a running `tailwatch run`, and how much
//! CPU the agent uses while 20 tailed files sit idle.
//!
//! usage: cargo run --release --example append_latency -- target/release/tailwatch [SAMPLES]

use std::fs::{self, OpenOptions};
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn cpu_seconds(pid: u32) -> f64 {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(") ").next().unwrap_or("").split(' ').collect();
    let ticks: f64 = fields.get(11).and_then(|v| v.parse().ok()).unwrap_or(0.0)
        + fields.get(12).and_then(|v| v.parse().ok()).unwrap_or(0.0);
    ticks / unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64
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
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut agent = Command::new(binary)
        .args([
            "run",
            "--path",
            &format!("{}/*.log", logs.display()),
            "--listen",
            &format!("127.0.0.1:{port}"),
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
    print_latencies("append-to-match", &mut latencies);

    // The same through `/metrics`: the line's counter as a scrape sees it.
    let mut latencies = Vec::new();
    for seq in 0..samples as u64 {
        let want = (samples as u64 + seq + 1) as f64;
        let start = Instant::now();
        writeln!(
            out,
            r#"{{"level":"error","msg":"deadlock detected","seq":{seq}}}"#
        )
        .unwrap();
        while deadlocks(port) < want {
            assert!(
                start.elapsed() < Duration::from_secs(5),
                "not on /metrics within 5 s"
            );
            std::thread::sleep(Duration::from_micros(500));
        }
        latencies.push(start.elapsed());
        std::thread::sleep(Duration::from_millis(20));
    }
    print_latencies("append-to-/metrics", &mut latencies);
    let _ = agent.kill();
    let _ = agent.wait();
}

fn print_latencies(what: &str, latencies: &mut [Duration]) {
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() - 1) as f64 * p) as usize];
    println!(
        "{what} latency over {} lines: p50 {:?}, p99 {:?}, max {:?}",
        latencies.len(),
        pct(0.5),
        pct(0.99),
        latencies[latencies.len() - 1]
    );
}

/// The agent's count of `deadlock_detected` matches, from `/metrics`.
fn deadlocks(port: u16) -> f64 {
    let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return 0.0;
    };
    let _ = write!(
        s,
        "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    );
    let mut text = String::new();
    let _ = s.read_to_string(&mut text);
    text.lines()
        .filter(|l| l.starts_with("tailwatch_matches_total{rule=\"deadlock_detected\""))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}
