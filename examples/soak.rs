//! A soak of `tailwatch run` living as a sidecar does: a writer appends at a
//! fixed rate into a file that real `logrotate` rotates (numbered,
//! `compress`, `delaycompress`); the agent keeps checkpoints and a match
//! output, `/metrics` is scraped every second, spans go to an OTLP receiver
//! that is fast, then slow, then down, then back; and the agent is killed
//! with SIGKILL at random moments and started again at once.
//!
//! It reports the rate sustained, the agent's CPU and resident memory, the
//! latency from a line written to its count on `/metrics`, spans exported
//! and dropped by reason, and trouble lines lost or counted twice — which
//! must be 0: it exits 1 otherwise.
//!
//! usage:
//!   cargo run --release --example soak -- [--binary target/release/tailwatch]
//!       [--seconds 120] [--rate 50000] [--rotate-secs 10] [--seed 1]
//!
//! Needs `logrotate` on PATH (Debian: `apt-get install logrotate`).

use std::collections::{BTreeMap, HashMap};
use std::fs::{self, File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU16, AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use prost::Message;

/// One in this many lines is trouble (a deadlock, with a trace), as in the
/// bench corpus.
const TROUBLE_EVERY: u64 = 50;
const DEADLOCKS: &str = "tailwatch_matches_total{rule=\"deadlock_detected\"";
const PROBES: &str = "tailwatch_matches_total{rule=\"pool_acquire_timeout\"";

struct Options {
    binary: PathBuf,
    seconds: u64,
    rate: u64,
    rotate_secs: u64,
    seed: u64,
}

impl Options {
    fn parse() -> Options {
        let mut o = Options {
            binary: PathBuf::from("target/release/tailwatch"),
            seconds: 120,
            rate: 50_000,
            rotate_secs: 10,
            seed: 1,
        };
        let args: Vec<String> = std::env::args().skip(1).collect();
        for pair in args.chunks(2) {
            let [flag, value] = pair else {
                panic!("usage: soak [--binary PATH] [--seconds N] [--rate N] [--rotate-secs N] [--seed N]")
            };
            let number = || value.parse::<u64>().expect("a number");
            match flag.as_str() {
                "--binary" => o.binary = PathBuf::from(value),
                "--seconds" => o.seconds = number(),
                "--rate" => o.rate = number(),
                "--rotate-secs" => o.rotate_secs = number().max(1),
                "--seed" => o.seed = number(),
                other => panic!("unknown option {other}"),
            }
        }
        o.binary = fs::canonicalize(&o.binary).unwrap_or_else(|e| {
            panic!(
                "{}: {e} (build it: cargo build --release)",
                o.binary.display()
            )
        });
        o
    }
}

/// The receiver's behaviour, by phase.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u8)]
enum Collector {
    Fast = 0,
    /// Each export answered after 5 s.
    Slow = 1,
    /// Not listening.
    Down = 2,
}

/// An OTLP/HTTP receiver whose behaviour the soak changes as it goes; it
/// counts the spans it accepts.
struct Receiver {
    port: u16,
    mode: Arc<AtomicU8>,
    spans: Arc<AtomicU64>,
}

impl Receiver {
    fn start() -> Receiver {
        let mode = Arc::new(AtomicU8::new(Collector::Fast as u8));
        let spans = Arc::new(AtomicU64::new(0));
        let (port_tx, port_rx) = std::sync::mpsc::channel();
        let (m, s) = (mode.clone(), spans.clone());
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(serve(m, s, port_tx));
        });
        Receiver {
            port: port_rx.recv().unwrap(),
            mode,
            spans,
        }
    }

    fn set(&self, mode: Collector) {
        self.mode.store(mode as u8, Ordering::SeqCst);
    }
}

/// Serves while the mode is not `Down`; closes the listener while it is,
/// and listens on the same port again after.
async fn serve(mode: Arc<AtomicU8>, spans: Arc<AtomicU64>, port_tx: std::sync::mpsc::Sender<u16>) {
    let mut port = 0;
    loop {
        while mode.load(Ordering::SeqCst) == Collector::Down as u8 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .unwrap();
        if port == 0 {
            port = listener.local_addr().unwrap().port();
            port_tx.send(port).unwrap();
        }
        let (m, s) = (mode.clone(), spans.clone());
        let app = axum::Router::new().route(
            "/v1/traces",
            axum::routing::post(move |body: axum::body::Bytes| {
                let (m, s) = (m.clone(), s.clone());
                async move {
                    if m.load(Ordering::SeqCst) == Collector::Slow as u8 {
                        tokio::time::sleep(Duration::from_secs(5)).await;
                    }
                    let Ok(request) = ExportTraceServiceRequest::decode(body) else {
                        return (axum::http::StatusCode::BAD_REQUEST, Vec::new());
                    };
                    let n: usize = request
                        .resource_spans
                        .iter()
                        .flat_map(|r| &r.scope_spans)
                        .map(|s| s.spans.len())
                        .sum();
                    s.fetch_add(n as u64, Ordering::SeqCst);
                    let response = ExportTraceServiceResponse {
                        partial_success: None,
                    };
                    (axum::http::StatusCode::OK, response.encode_to_vec())
                }
            }),
        );
        let down = mode.clone();
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                while down.load(Ordering::SeqCst) != Collector::Down as u8 {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            })
            .await;
    }
}

/// The application's line `seq`: trouble one in [`TROUBLE_EVERY`].
fn app_line(seq: u64, out: &mut String) {
    use std::fmt::Write as _;
    if seq.is_multiple_of(TROUBLE_EVERY) {
        let _ = writeln!(
            out,
            r#"{{"timestamp":"2026-12-06T10:00:00Z","level":"ERROR","message":"deadlock detected","seq":{seq},"trace_id":"{:032x}","span_id":"{:016x}"}}"#,
            seq + 1,
            seq + 1
        );
    } else {
        let _ = writeln!(
            out,
            r#"{{"timestamp":"2026-12-06T10:00:00Z","level":"INFO","message":"Command completed successfully","seq":{seq},"total_duration_ms":{}}}"#,
            seq % 997
        );
    }
}

/// Appends to `path` at `rate` lines a second in batches every 10 ms,
/// opening the file again when a rotation has moved it away; `written`
/// says how many so far.
fn write_at_rate(path: &Path, rate: u64, stop: &AtomicBool, written: &AtomicU64) {
    let per_batch = (rate / 100).max(1);
    let open = || {
        OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .unwrap()
    };
    let mut file = open();
    let mut text = String::new();
    let start = Instant::now();
    let mut seq = 0u64;
    let mut batch = 0u64;
    while !stop.load(Ordering::SeqCst) {
        let moved = fs::metadata(path).map_or(true, |m| m.ino() != file.metadata().unwrap().ino());
        if moved {
            file = open();
        }
        text.clear();
        for _ in 0..per_batch {
            app_line(seq, &mut text);
            seq += 1;
        }
        file.write_all(text.as_bytes()).unwrap();
        written.store(seq, Ordering::SeqCst);
        batch += 1;
        let due = start + Duration::from_millis(batch * 10);
        if let Some(wait) = due.checked_duration_since(Instant::now()) {
            std::thread::sleep(wait);
        }
    }
}

fn http_get(port: u16, path: &str) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").ok()?;
    let mut text = String::new();
    s.read_to_string(&mut text).ok()?;
    let (head, body) = text.split_once("\r\n\r\n")?;
    (head.split(' ').nth(1) == Some("200")).then(|| body.to_string())
}

/// The sum of the samples of `/metrics` whose name and labels start with
/// `prefix`.
fn sum(metrics: &str, prefix: &str) -> f64 {
    metrics
        .lines()
        .filter(|l| l.starts_with(prefix))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

/// One run of the agent.
struct Agent {
    child: Child,
    port: u16,
}

impl Agent {
    fn start(o: &Options, dir: &Path, collector: u16) -> Agent {
        let log = dir.join("agent.log");
        let from = fs::metadata(&log).map_or(0, |m| m.len());
        let child = Command::new(&o.binary)
            .args(["run", "--path"])
            .arg(dir.join("logs/*.log"))
            .arg("--checkpoint-dir")
            .arg(dir.join("checkpoints"))
            .arg("--matches-out")
            .arg(dir.join("matches.jsonl"))
            .args(["--listen", "127.0.0.1:0", "--start-at", "beginning"])
            .args(["--otlp-endpoint", &format!("http://127.0.0.1:{collector}")])
            .stdout(Stdio::null())
            .stderr(
                OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&log)
                    .unwrap(),
            )
            .spawn()
            .expect("the agent starts");
        let mut agent = Agent { child, port: 0 };
        let started = Instant::now();
        while agent.port == 0 {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the agent never listened"
            );
            assert!(
                agent.child.try_wait().unwrap().is_none(),
                "the agent exited"
            );
            std::thread::sleep(Duration::from_millis(20));
            let mut text = Vec::new();
            let mut f = File::open(&log).unwrap();
            std::io::Seek::seek(&mut f, std::io::SeekFrom::Start(from)).unwrap();
            f.read_to_end(&mut text).unwrap();
            agent.port = String::from_utf8_lossy(&text)
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
        }
        agent
    }

    /// Ends it with `signal`; its CPU seconds and peak resident memory
    /// (KiB), as the kernel accounted them.
    fn end(self, signal: i32) -> (f64, u64) {
        let pid = self.child.id() as i32;
        let mut status = 0;
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        unsafe {
            libc::kill(pid, signal);
            libc::wait4(pid, &mut status, 0, &mut usage);
        }
        let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
        (
            secs(usage.ru_utime) + secs(usage.ru_stime),
            usage.ru_maxrss as u64,
        )
    }
}

/// Resident memory now (KiB) of `pid`.
fn rss_kib(pid: u32) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// What the scrapes saw, across the agent's runs: the counters of spans
/// are not kept across a restart, so each run's last value is added up.
#[derive(Default)]
struct Scraped {
    /// The current run's counters, by series.
    run: BTreeMap<String, f64>,
    /// Finished runs' counters, summed.
    done: BTreeMap<String, f64>,
    scrapes: u64,
    max_bytes_behind: f64,
}

impl Scraped {
    const COUNTERS: [&'static str; 2] = [
        "tailwatch_spans_exported_total",
        "tailwatch_spans_dropped_total",
    ];

    fn sample(&mut self, metrics: &str) {
        self.scrapes += 1;
        for l in metrics.lines() {
            if Self::COUNTERS.iter().any(|c| l.starts_with(c)) {
                if let Some((series, value)) = l.rsplit_once(' ') {
                    if let Ok(v) = value.parse() {
                        self.run.insert(series.to_string(), v);
                    }
                }
            }
        }
        self.max_bytes_behind = self
            .max_bytes_behind
            .max(sum(metrics, "tailwatch_file_bytes_behind"));
    }

    fn run_ended(&mut self) {
        for (series, v) in std::mem::take(&mut self.run) {
            *self.done.entry(series).or_default() += v;
        }
    }
}

fn logrotate(dir: &Path) {
    let config = dir.join("logrotate.conf");
    fs::write(
        &config,
        format!(
            "{}/logs/app.log {{\n  size 1\n  rotate 4\n  compress\n  delaycompress\n  missingok\n  notifempty\n}}\n",
            dir.display()
        ),
    )
    .unwrap();
    let status = Command::new("logrotate")
        .arg("-s")
        .arg(dir.join("logrotate.state"))
        .arg(&config)
        .status()
        .expect("logrotate is installed (apt-get install logrotate)");
    assert!(status.success(), "logrotate failed");
}

/// A small deterministic generator for the kill times.
fn next_random(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() -> ExitCode {
    let o = Options::parse();
    let tempdir = tempfile::tempdir().unwrap();
    let dir = tempdir.path();
    fs::create_dir_all(dir.join("logs")).unwrap();
    let log = dir.join("logs/app.log");
    let receiver = Receiver::start();
    let first_start = Instant::now();
    let mut agent = Agent::start(&o, dir, receiver.port);
    let rss_start = {
        std::thread::sleep(Duration::from_millis(500));
        rss_kib(agent.child.id()).unwrap_or(0)
    };

    let stop = Arc::new(AtomicBool::new(false));
    let written = Arc::new(AtomicU64::new(0));
    let writer = {
        let (log, stop, written, rate) = (log.clone(), stop.clone(), written.clone(), o.rate);
        std::thread::spawn(move || write_at_rate(&log, rate, &stop, &written))
    };
    // The port of the agent's current run, 0 while it is restarted; and
    // its run number, so a probe across a restart is left out.
    let port = Arc::new(AtomicU16::new(agent.port));
    let run = Arc::new(AtomicU64::new(0));
    let scraped = Arc::new(Mutex::new(Scraped::default()));
    let scraper = {
        let (stop, port, run, scraped) = (stop.clone(), port.clone(), run.clone(), scraped.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                let (r, p) = (run.load(Ordering::SeqCst), port.load(Ordering::SeqCst));
                if let Some(metrics) = (p != 0).then(|| http_get(p, "/metrics")).flatten() {
                    // A scrape of a run that has since been killed is
                    // left out: that run's counts are already summed.
                    let mut scraped = scraped.lock().unwrap();
                    if run.load(Ordering::SeqCst) == r {
                        scraped.sample(&metrics);
                    }
                }
                std::thread::sleep(Duration::from_secs(1));
            }
        })
    };
    // Once a second a probe line (a rule the stream has no other line of)
    // is appended, and its counter watched until it moves.
    let latencies = Arc::new(Mutex::new(Vec::new()));
    let probes_written = Arc::new(AtomicU64::new(0));
    let probes_unseen = Arc::new(AtomicU64::new(0));
    let prober = {
        let (probes_written, probes_unseen) = (probes_written.clone(), probes_unseen.clone());
        let (stop, port, run, latencies, log) = (
            stop.clone(),
            port.clone(),
            run.clone(),
            latencies.clone(),
            log.clone(),
        );
        std::thread::spawn(move || {
            let mut probes = 0u64;
            while !stop.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_secs(1));
                let (p, r) = (port.load(Ordering::SeqCst), run.load(Ordering::SeqCst));
                let Some(before) = (p != 0).then(|| http_get(p, "/metrics")).flatten() else {
                    continue;
                };
                let before = sum(&before, PROBES);
                probes += 1;
                probes_written.store(probes, Ordering::SeqCst);
                let line = format!(
                    "{{\"timestamp\":\"2026-12-06T10:00:00Z\",\"level\":\"ERROR\",\"message\":\"pool timed out while waiting for an open connection\",\"probe\":{probes}}}\n"
                );
                let written_at = Instant::now();
                // One write with O_APPEND: whole, between the writer's batches.
                // The writer creates the file again after a rotation.
                let mut f = OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&log)
                    .unwrap();
                f.write_all(line.as_bytes()).unwrap();
                loop {
                    if run.load(Ordering::SeqCst) != r {
                        break;
                    }
                    if http_get(p, "/metrics").is_some_and(|m| sum(&m, PROBES) > before) {
                        latencies.lock().unwrap().push(written_at.elapsed());
                        break;
                    }
                    if written_at.elapsed() > Duration::from_secs(30) {
                        probes_unseen.fetch_add(1, Ordering::SeqCst);
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(10));
                }
            }
        })
    };

    let start = Instant::now();
    let total = Duration::from_secs(o.seconds);
    let mut random = o.seed.max(1) * 0x9E37_79B9_7F4A_7C15;
    let mut next_kill = start + Duration::from_secs(10 + next_random(&mut random) % 30);
    let mut next_rotate = start + Duration::from_secs(o.rotate_secs);
    let (mut cpu, mut peak_kib, mut kills, mut rotations) = (0.0, 0u64, 0u32, 0u32);
    let mut phase = Collector::Fast;
    let mut accepted_when_back = None;
    while start.elapsed() < total {
        // Fast for the first third, slow to the half, down to two thirds,
        // then back.
        let want = match start.elapsed().as_secs_f64() / total.as_secs_f64() {
            f if f < 1.0 / 3.0 => Collector::Fast,
            f if f < 0.5 => Collector::Slow,
            f if f < 2.0 / 3.0 => Collector::Down,
            _ => Collector::Fast,
        };
        if want != phase {
            eprintln!(
                "{:>5.0} s: collector {want:?}",
                start.elapsed().as_secs_f64()
            );
            receiver.set(want);
            if phase == Collector::Down {
                accepted_when_back = Some(receiver.spans.load(Ordering::SeqCst));
            }
            phase = want;
        }
        let now = Instant::now();
        if now >= next_rotate {
            logrotate(dir);
            rotations += 1;
            next_rotate = now + Duration::from_secs(o.rotate_secs);
        }
        if now >= next_kill {
            port.store(0, Ordering::SeqCst);
            run.fetch_add(1, Ordering::SeqCst);
            let (used, peak) = agent.end(libc::SIGKILL);
            scraped.lock().unwrap().run_ended();
            cpu += used;
            peak_kib = peak_kib.max(peak);
            kills += 1;
            eprintln!(
                "{:>5.0} s: SIGKILL, started again",
                start.elapsed().as_secs_f64()
            );
            agent = Agent::start(&o, dir, receiver.port);
            port.store(agent.port, Ordering::SeqCst);
            next_kill = now + Duration::from_secs(10 + next_random(&mut random) % 30);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    stop.store(true, Ordering::SeqCst);
    writer.join().unwrap();
    let writing = start.elapsed();
    scraper.join().unwrap();
    prober.join().unwrap();
    let lines = written.load(Ordering::SeqCst);
    let probes = probes_written.load(Ordering::SeqCst);
    let trouble = lines.div_ceil(TROUBLE_EVERY);
    receiver.set(Collector::Fast);
    // Caught up: every line read and every trouble line counted, as the
    // counters (kept across restarts by the checkpoint) say.
    let caught_up = Instant::now();
    let counters = |metrics: &str| {
        [
            sum(metrics, "tailwatch_lines_read_total"),
            sum(metrics, DEADLOCKS),
            sum(metrics, PROBES),
        ]
    };
    let want = [(lines + probes) as f64, trouble as f64, probes as f64];
    let mut last = String::new();
    while caught_up.elapsed() < Duration::from_secs(300) {
        last = http_get(agent.port, "/metrics").unwrap_or_default();
        if counters(&last) == want {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let behind_at_end = caught_up.elapsed();
    let got = counters(&last);
    scraped.lock().unwrap().sample(&last);
    let rss_end = rss_kib(agent.child.id()).unwrap_or(0);
    let (used, peak) = agent.end(libc::SIGTERM);
    cpu += used;
    peak_kib = peak_kib.max(peak);
    let mut scraped = scraped.lock().unwrap();
    scraped.run_ended();

    // Every deadlock line once in the match output.
    let mut seen: HashMap<u64, u32> = HashMap::new();
    let matches = BufReader::new(File::open(dir.join("matches.jsonl")).unwrap());
    for l in matches.lines() {
        let l = l.unwrap();
        let Ok(m) = serde_json::from_str::<serde_json::Value>(&l) else {
            continue;
        };
        if m["rule"] != "deadlock_detected" {
            continue;
        }
        let seq = m["line"]
            .as_str()
            .and_then(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .and_then(|line| line["seq"].as_u64());
        if let Some(seq) = seq {
            *seen.entry(seq).or_default() += 1;
        }
    }
    let lost = (0..lines)
        .step_by(TROUBLE_EVERY as usize)
        .filter(|s| !seen.contains_key(s))
        .count();
    let twice: u32 = seen.values().map(|n| n - 1).sum();

    let mut latencies = latencies.lock().unwrap().clone();
    latencies.sort();
    let exported = scraped
        .done
        .get("tailwatch_spans_exported_total")
        .copied()
        .unwrap_or(0.0);
    let dropped: Vec<String> = scraped
        .done
        .iter()
        .filter(|(s, _)| s.starts_with("tailwatch_spans_dropped_total"))
        .map(|(s, v)| {
            format!(
                "{} {v}",
                s.trim_start_matches("tailwatch_spans_dropped_total")
            )
        })
        .collect();
    let wall = first_start.elapsed();
    println!("soak: {:.0} s at {} lines/s, {rotations} logrotate runs (numbered, compress, delaycompress), {kills} SIGKILLs", writing.as_secs_f64(), o.rate);
    println!(
        "lines written        {lines} ({:.0} lines/s sustained)",
        lines as f64 / writing.as_secs_f64()
    );
    println!("caught up            {:.1} s after the writer stopped; most bytes behind in a scrape: {:.0}", behind_at_end.as_secs_f64(), scraped.max_bytes_behind);
    println!(
        "agent CPU            {cpu:.1} s ({:.1} % of a core)",
        cpu / wall.as_secs_f64() * 100.0
    );
    println!(
        "agent RSS            start {:.1} MiB, end {:.1} MiB, peak {:.1} MiB",
        rss_start as f64 / 1024.0,
        rss_end as f64 / 1024.0,
        peak_kib as f64 / 1024.0
    );
    println!(
        "line to /metrics     p50 {:?}, p99 {:?} ({} probes)",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        latencies.len()
    );
    println!("/metrics scrapes     {}", scraped.scrapes);
    println!("spans exported       {exported:.0} (the receiver accepted {}; runs ended by SIGKILL lose their last second of counts)", receiver.spans.load(Ordering::SeqCst));
    println!(
        "spans dropped        {}",
        if dropped.is_empty() {
            "none".to_string()
        } else {
            dropped.join(", ")
        }
    );
    println!(
        "lines read           {:.0} of {} (and {} probes), counted {:.0} of {trouble} deadlocks and {:.0} of {probes} probes",
        got[0], lines + probes, probes, got[1], got[2]
    );
    println!(
        "deadlock lines       {trouble} written; in the match output: lost {lost}, twice {twice}"
    );
    let accepted = receiver.spans.load(Ordering::SeqCst);
    let mut failures = Vec::new();
    if got != want {
        failures.push("the counters do not equal what was written".to_string());
    }
    if lost != 0 || twice != 0 {
        failures.push("a trouble line is missing from the match output or in it twice".into());
    }
    if probes_unseen.load(Ordering::SeqCst) > 0 {
        failures.push(format!(
            "{} probes were not counted within 30 s",
            probes_unseen.load(Ordering::SeqCst)
        ));
    }
    // The sidecar manifest's memory limit.
    if peak_kib > 64 * 1024 {
        failures.push(format!("peak RSS {peak_kib} KiB over 64 MiB"));
    }
    if accepted_when_back.is_some_and(|n| accepted <= n) {
        failures.push("no span was exported after the collector came back".into());
    }
    if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        for f in failures {
            println!("FAILED: {f}");
        }
        println!("the soak's files are kept in {}", tempdir.keep().display());
        ExitCode::FAILURE
    }
}
