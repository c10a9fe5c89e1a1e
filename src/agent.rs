//! `tailwatch run`: the sidecar. One plain thread reads and matches (the
//! hot path never awaits); a current-thread tokio runtime serves HTTP and
//! waits for signals. They meet in two places: the snapshot the reader
//! publishes for `/metrics`, and the stop flag a signal sets.
//!
//! Shutdown order on SIGTERM/SIGINT: the reader finishes the block in hand,
//! flushes match output, writes the final checkpoint and returns; then the
//! HTTP server stops.

use std::io::{self, BufWriter, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender};
use std::sync::Arc;
use std::time::Instant;

use notify::{RecursiveMode, Watcher};

use crate::aggregate::Aggregator;
use crate::config::RunSettings;
use crate::framing::{Chunk, LineReader};
use crate::matcher::{Matcher, Scanner};
use crate::metrics::{MetricsSink, MetricsState};
use crate::output::MatchWriter;
use crate::report::Report;
use crate::rules::Severity;
use crate::scan::SourceAware;
use crate::scan::SourceSummary;
use crate::server::{self, Shared};
use crate::sink::{Match, MatchSink};
use crate::tail::checkpoint::{Checkpoint, CheckpointStore, CounterState, RuleCount};
use crate::tail::{TailEvent, TailSettings, Tailer};

#[derive(Debug, thiserror::Error)]
pub enum AgentError {
    #[error(transparent)]
    Checkpoint(#[from] crate::tail::checkpoint::CheckpointError),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: std::net::SocketAddr,
        #[source]
        source: io::Error,
    },
    #[error("cannot open match output {path}: {source}")]
    MatchesOut {
        path: String,
        #[source]
        source: io::Error,
    },
    #[error("I/O error: {0}")]
    Io(#[from] io::Error),
}

/// Runs the agent until SIGTERM/SIGINT, or until stdin ends when it is the
/// only input.
pub fn run(settings: RunSettings, matcher: Matcher) -> Result<(), AgentError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let listener = runtime
        .block_on(server::bind(settings.listen))
        .map_err(|source| AgentError::Listen {
            addr: settings.listen,
            source,
        })?;
    let shared = Arc::new(Shared {
        metrics: std::sync::Mutex::new(MetricsState::new(&matcher.rules, settings.metrics.clone())),
        report: std::sync::Mutex::new("{}".into()),
    });
    let stop = Arc::new(AtomicBool::new(false));
    // Wakes the reader: change notifications, signals.
    let (wake_tx, wake_rx) = mpsc::sync_channel::<()>(1);
    // Set by the reader when it has returned.
    let (done_tx, done_rx) = tokio::sync::watch::channel(false);

    std::thread::scope(|scope| {
        let reader = {
            let (shared, stop) = (shared.clone(), stop.clone());
            let wake_tx = wake_tx.clone();
            let settings = &settings;
            let matcher = &matcher;
            scope.spawn(move || {
                let result = read_loop(settings, matcher, &shared, &stop, wake_tx, wake_rx);
                let _ = done_tx.send(true);
                result
            })
        };
        runtime.block_on(async {
            let mut server_done = done_rx.clone();
            let server = tokio::spawn(server::serve(listener, shared.clone(), async move {
                let _ = server_done.wait_for(|done| *done).await;
            }));
            let mut reader_done = done_rx.clone();
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
                _ = reader_done.wait_for(|done| *done) => {}
            }
            stop.store(true, Ordering::SeqCst);
            let _ = wake_tx.try_send(());
            let _ = server.await;
            Ok::<(), io::Error>(())
        })?;
        reader.join().expect("reading thread does not panic")
    })
}

/// The match output of run mode: a file or stdout, buffered.
type MatchOutput = MatchWriter<BufWriter<Box<dyn Write + Send>>>;

fn open_matches_out(path: &Option<String>) -> Result<Option<MatchOutput>, AgentError> {
    let Some(path) = path else { return Ok(None) };
    let out: Box<dyn Write + Send> = if path == "-" {
        Box::new(io::stdout())
    } else {
        let err = |source| AgentError::MatchesOut {
            path: path.clone(),
            source,
        };
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(path)
            .map_err(err)?;
        end_torn_line(&mut file).map_err(err)?;
        Box::new(file)
    };
    Ok(Some(MatchWriter::new(BufWriter::new(out))))
}

/// A crash can leave the match output ending in half a record: end it with
/// a newline so the records appended after a restart stay whole lines.
fn end_torn_line(file: &mut std::fs::File) -> io::Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok(());
    }
    let mut last = [0u8; 1];
    file.seek(SeekFrom::Start(len - 1))?;
    file.read_exact(&mut last)?;
    if last[0] != b'\n' {
        file.write_all(b"\n")?;
    }
    Ok(())
}

/// Reads standard input on its own thread, which a signal cannot interrupt,
/// handing blocks over a bounded channel.
fn spawn_stdin_reader(
    max_line_bytes: usize,
    wake: SyncSender<()>,
) -> Receiver<Option<(Vec<u8>, bool)>> {
    let (tx, rx) = mpsc::sync_channel(16);
    std::thread::spawn(move || {
        let mut reader = LineReader::new(io::stdin().lock(), max_line_bytes);
        loop {
            let item = match reader.next_chunk() {
                Ok(Some(Chunk::Lines { data, .. })) => Some((data.to_vec(), false)),
                Ok(Some(Chunk::Oversized { data, .. })) => Some((data.to_vec(), true)),
                Ok(None) | Err(_) => None,
            };
            let end = item.is_none();
            if tx.send(item).is_err() || end {
                let _ = wake.try_send(());
                return;
            }
            let _ = wake.try_send(());
        }
    });
    rx
}

fn read_loop(
    settings: &RunSettings,
    matcher: &Matcher,
    shared: &Shared,
    stop: &AtomicBool,
    wake_tx: SyncSender<()>,
    wake_rx: Receiver<()>,
) -> Result<(), AgentError> {
    let file_inputs: Vec<String> = settings
        .paths
        .iter()
        .filter(|p| *p != "-")
        .cloned()
        .collect();
    let stdin_input = settings.paths.iter().any(|p| p == "-");
    let mut tailer = Tailer::new(
        matcher,
        TailSettings {
            inputs: file_inputs,
            start_at: settings.start_at,
            max_line_bytes: settings.max_line_bytes,
            partial_line_flush: settings.partial_line_flush,
        },
    );
    let mut aggregator = Aggregator::new(&matcher.rules);
    let store = match &settings.checkpoint_dir {
        Some(dir) => Some(CheckpointStore::new(dir)?),
        None => None,
    };
    if let Some(Checkpoint::V1 {
        discovered_at_ms,
        files,
        counters,
    }) = store
        .as_ref()
        .map(CheckpointStore::load)
        .transpose()?
        .flatten()
    {
        restore_counts(&mut aggregator, matcher, &counters);
        let discovered_at =
            std::time::UNIX_EPOCH + std::time::Duration::from_millis(discovered_at_ms);
        tailer.restore(files, &counters, discovered_at);
        eprintln!(
            "tailwatch: resuming from checkpoint {}",
            store.as_ref().unwrap().path().display()
        );
    }
    let mut matches_out = open_matches_out(&settings.matches_out)?;

    // Change notification wakes the loop early; polling stays on because
    // overlay and network filesystems drop events.
    let watch_tx = wake_tx.clone();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        use notify::event::{EventKind, ModifyKind};
        // Our own reads raise access events: waking on those would spin.
        let wake = match res {
            Ok(e) => matches!(
                e.kind,
                EventKind::Create(_)
                    | EventKind::Remove(_)
                    | EventKind::Modify(
                        ModifyKind::Data(_) | ModifyKind::Name(_) | ModifyKind::Any
                    )
                    | EventKind::Any
            ),
            Err(_) => true,
        };
        if wake {
            let _ = watch_tx.try_send(());
        }
    })
    .ok();
    if let Some(w) = watcher.as_mut() {
        for dir in tailer.watch_dirs() {
            if let Err(e) = w.watch(&dir, RecursiveMode::NonRecursive) {
                eprintln!(
                    "tailwatch: no change notification for {}: {e}; polling",
                    dir.display()
                );
            }
        }
    }

    let stdin_rx =
        stdin_input.then(|| spawn_stdin_reader(settings.max_line_bytes, wake_tx.clone()));
    let mut stdin_scanner = Scanner::new(matcher, None, settings.max_line_bytes);
    let mut stdin_offset = 0u64;
    let mut stdin_open = stdin_rx.is_some();

    let mut events = Vec::new();
    // The first checkpoint is written after the first pass, so that a crash
    // at any moment after start-up finds one.
    let mut last_checkpoint: Option<Instant> = None;
    let mut last_report: Option<Instant> = None;
    loop {
        tailer.discover(&mut events);
        // Held for the pass: a scrape waits for at most one pass.
        let mut metrics = shared.metrics.lock().expect("metrics lock");
        let more = {
            let mut sink = RunSink {
                aggregator: &mut aggregator,
                metrics: MetricsSink {
                    state: &mut metrics,
                    now: Instant::now(),
                },
                out: matches_out.as_mut(),
            };
            let mut more = tailer.read_all(&mut sink, &mut events);
            if let Some(rx) = &stdin_rx {
                sink.set_source("stdin");
                while stdin_open {
                    match rx.try_recv() {
                        Ok(Some((data, oversized))) => {
                            if oversized {
                                stdin_scanner.scan_oversized(&data, stdin_offset, &mut sink);
                            } else {
                                stdin_scanner.scan_block(&data, stdin_offset, &mut sink);
                            }
                            stdin_offset += data.len() as u64;
                            more = true;
                        }
                        Ok(None) | Err(mpsc::TryRecvError::Disconnected) => {
                            stdin_scanner.finish(&mut sink);
                            stdin_open = false;
                        }
                        Err(mpsc::TryRecvError::Empty) => break,
                    }
                }
            }
            more
        };
        for e in events.drain(..) {
            log_event(&e);
        }
        if let Some(w) = matches_out.as_mut() {
            w.flush()?;
        }
        publish(
            &mut metrics,
            &aggregator,
            &tailer,
            &stdin_scanner,
            stdin_input,
        );
        if last_report.is_none_or(|t| t.elapsed() >= REPORT_INTERVAL) {
            let report = report_json(matcher, &aggregator, &tailer, &stdin_scanner, &metrics);
            *shared.report.lock().expect("report lock") = report;
            last_report = Some(Instant::now());
        }
        drop(metrics);
        let stopping = stop.load(Ordering::SeqCst)
            || (stdin_input && !stdin_open && tailer.inputs().is_empty());
        if stopping || last_checkpoint.is_none_or(|t| t.elapsed() >= settings.checkpoint_interval) {
            if let Some(store) = &store {
                store.save(&checkpoint(matcher, &aggregator, &tailer))?;
            }
            last_checkpoint = Some(Instant::now());
        }
        if stopping {
            return Ok(());
        }
        if !more {
            match wake_rx.recv_timeout(settings.poll_interval) {
                Ok(()) | Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return Ok(()),
            }
        }
    }
}

/// Where matches go in run mode: the aggregation, and the match output
/// when there is one.
struct RunSink<'a, W: Write> {
    aggregator: &'a mut Aggregator,
    metrics: MetricsSink<'a>,
    out: Option<&'a mut MatchWriter<W>>,
}

impl<W: Write> MatchSink for RunSink<'_, W> {
    fn matched(&mut self, m: &Match<'_>) {
        self.aggregator.matched(m);
        self.metrics.matched(m);
        if let Some(out) = self.out.as_mut() {
            out.matched(m);
        }
    }
}

impl<W: Write> SourceAware for RunSink<'_, W> {
    fn set_source(&mut self, name: &str) {
        if let Some(out) = self.out.as_mut() {
            out.set_source(name);
        }
    }
}

fn log_event(event: &TailEvent) {
    match event {
        TailEvent::Opened { path, offset } => {
            eprintln!("tailwatch: tailing {} from byte {offset}", path.display())
        }
        TailEvent::Rotated { path } => eprintln!(
            "tailwatch: {} was rotated or deleted; reading the old file to its end",
            path.display()
        ),
        TailEvent::Released { path } => eprintln!("tailwatch: released {}", path.display()),
        TailEvent::Abandoned {
            path,
            bytes,
            reason,
        } => eprintln!(
            "tailwatch: warning: gave up {bytes} unread bytes of {} ({reason})",
            path.display()
        ),
        TailEvent::Error { path, error } => {
            eprintln!("tailwatch: error reading {}: {error}", path.display())
        }
    }
}

/// Sets the aggregation's counts to a checkpoint's.
fn restore_counts(aggregator: &mut Aggregator, matcher: &Matcher, counters: &CounterState) {
    for c in &counters.matches {
        if let Some(id) = matcher.rules.rules.iter().position(|r| r.name == c.rule) {
            let stats = &mut aggregator.rules[id];
            stats.by_severity[c.severity as usize] = c.count;
            stats.count = stats.by_severity.iter().sum();
            if c.count > 0 {
                stats.worst = stats.worst.max(Some(c.severity));
            }
        }
    }
}

fn checkpoint(matcher: &Matcher, aggregator: &Aggregator, tailer: &Tailer<'_>) -> Checkpoint {
    let mut matches = Vec::new();
    for (rule, stats) in matcher.rules.rules.iter().zip(&aggregator.rules) {
        for sev in Severity::ALL {
            let count = stats.by_severity[sev as usize];
            if count > 0 {
                matches.push(RuleCount {
                    rule: rule.name.clone(),
                    severity: sev,
                    count,
                });
            }
        }
    }
    let read = tailer.read_by_input();
    let discovered_at_ms = tailer
        .discovered_at
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    Checkpoint::V1 {
        discovered_at_ms,
        files: tailer.file_checkpoints(),
        counters: CounterState {
            matches,
            lines_by_input: read.iter().map(|(i, l, _)| (i.clone(), *l)).collect(),
            bytes_by_input: read.iter().map(|(i, _, b)| (i.clone(), *b)).collect(),
            bytes_abandoned: tailer.bytes_abandoned(),
        },
    }
}

/// How often `/report` is rebuilt.
const REPORT_INTERVAL: std::time::Duration = std::time::Duration::from_secs(1);

/// Brings the metrics up to date after a pass.
fn publish(
    metrics: &mut MetricsState,
    aggregator: &Aggregator,
    tailer: &Tailer<'_>,
    stdin: &Scanner<'_>,
    stdin_input: bool,
) {
    for (counts, stats) in metrics.matches.iter_mut().zip(&aggregator.rules) {
        *counts = stats.by_severity;
    }
    let mut inputs = tailer.read_by_input();
    if stdin_input {
        inputs.push(("-".into(), stdin.stats.lines, stdin.stats.bytes));
    }
    let mut stats = tailer.scan_stats();
    stats.add(&stdin.stats);
    metrics.agent = crate::metrics::AgentCounters {
        inputs,
        decode_errors: stats.errors,
        files_tailed: tailer.files_tailed() as u64,
        bytes_behind: tailer.bytes_behind(),
        bytes_abandoned: tailer.bytes_abandoned(),
        rule_evaluation_seconds: tailer.eval_time().as_secs_f64(),
    };
    metrics.expire(Instant::now());
    // Ready once rules are loaded (they are, to get here) and inputs are
    // open: some file found, or stdin being read.
    metrics.ready = tailer.files_tailed() > 0 || stdin_input;
}

/// The report of everything read since start-up, with open incidents.
fn report_json(
    matcher: &Matcher,
    aggregator: &Aggregator,
    tailer: &Tailer<'_>,
    stdin: &Scanner<'_>,
    metrics: &MetricsState,
) -> String {
    let mut sources: Vec<SourceSummary> = tailer
        .read_by_input()
        .into_iter()
        .map(|(name, lines, bytes)| SourceSummary {
            name,
            envelope: crate::decode::Envelope::Raw,
            stats: crate::matcher::ScanStats {
                lines,
                bytes,
                ..Default::default()
            },
        })
        .collect();
    if stdin.stats.bytes > 0 {
        sources.push(SourceSummary {
            name: "-".into(),
            envelope: stdin.envelope().unwrap_or(crate::decode::Envelope::Raw),
            stats: stdin.stats.clone(),
        });
    }
    let mut report = Report::build(&matcher.rules, aggregator, &sources);
    // Lines and bytes per input are checkpointed; the rest of the totals
    // come from the scanners of this run.
    let mut stats = tailer.scan_stats();
    stats.add(&stdin.stats);
    stats.lines = report.totals.lines;
    stats.bytes = report.totals.bytes;
    report.totals = crate::report::Totals::from_stats(&stats, report.totals.matches);
    report.incidents = Some(metrics.open_incidents());
    report.state = metrics.state().map_or("ok", crate::rules::Severity::as_str);
    serde_json::to_string_pretty(&report).unwrap_or_else(|_| "{}".into())
}
