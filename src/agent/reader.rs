//! The reading thread of `tailwatch run`. Each pass discovers files, reads
//! what was appended to them (and stdin) through the one framer and
//! scanner, lets the aggregation count the matches, then publishes: the
//! agent's numbers for `/metrics`, readiness, once a second the report,
//! and on its interval the checkpoint.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, TryRecvError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use super::output::RunOutput;
use super::persist::Backoff;
use super::watch::{watch, Notified, MAX_WATCHED_DIRS};
use super::AgentError;
use crate::aggregate::{wall_now, AggregateCheckpoint, Aggregation};
use crate::checkpoint::{Checkpoint, CheckpointStore};
use crate::config::RunSettings;
use crate::decode::Envelope;
use crate::export::otlp::{MatchSpans, Otlp, OtlpSettings};
use crate::export::prometheus::{InputReading, MatchMetrics, ReadingStats, SourceMetrics};
use crate::framing::{Cursor, Framer};
use crate::input::{spawn_stdin_reader, StdinBlock};
use crate::matcher::{Matcher, ScanStats, Scanner, SourceScan};
use crate::pod::{PodLabels, PodSource};
use crate::report::Report;
use crate::scan::{FileScan, SourceSummary};
use crate::server::Shared;
use crate::sink::{MatchSink, Source, Tee};
use crate::tail::{TailEvent, TailSettings, Tailer};

/// How long SIGTERM waits for the last spans to be sent.
const OTLP_SHUTDOWN: Duration = Duration::from_secs(5);

/// How often `/report` is rebuilt.
const REPORT_INTERVAL: Duration = Duration::from_secs(1);

/// How often an idle agent publishes its numbers, at most.
const IDLE_PUBLISH_INTERVAL: Duration = Duration::from_secs(1);

/// Standard input in run mode.
struct StdinInput {
    rx: Receiver<StdinBlock>,
    cursor: Cursor,
    scan: SourceScan,
    open: bool,
}

impl StdinInput {
    /// Reads what is held as it is; nothing more is read.
    fn end<S: MatchSink>(
        &mut self,
        framer: &Framer,
        scanner: &mut Scanner,
        matcher: &Matcher,
        sink: &mut S,
    ) {
        framer.flush(&mut self.cursor, |chunk| {
            scanner.scan(matcher, &mut self.scan, chunk, sink)
        });
        scanner.finish(matcher, &mut self.scan, sink);
        self.open = false;
    }
}

pub struct Reader<'a> {
    pub(super) settings: &'a RunSettings,
    shared: &'a Shared,
    /// The rules, taken anew for each pass.
    matcher: Arc<Matcher>,
    framer: Framer,
    scanner: Scanner,
    pub(super) tailer: Tailer<SourceScan>,
    stdin: Option<StdinInput>,
    pub(super) aggregation: Aggregation,
    /// Per file input: what files already let go read (and, from the
    /// checkpoint, the lines and bytes of earlier runs).
    released: Vec<ScanStats>,
    sources: SourceMetrics,
    pub(super) out: Option<RunOutput>,
    /// Match spans, when OTLP export is on, and the export itself.
    spans: Option<MatchSpans>,
    otlp: Option<Otlp>,
    pub(super) store: Option<CheckpointStore>,
    /// When failed writes of the match output and the checkpoint are
    /// tried again.
    pub(super) out_retry: Backoff,
    pub(super) checkpoint_retry: Backoff,
    /// Read errors per input (files by glob, then stdin).
    read_errors: Vec<u64>,
    /// What change notification reported since the last pass.
    notified: Arc<Mutex<Notified>>,
    watcher: Option<notify::RecommendedWatcher>,
    /// Directories under watch: those of the globs, and those the open
    /// files really live in (symlinks resolved).
    watched: HashSet<PathBuf>,
    /// The last checkpoint written, so an idle agent does not rewrite it.
    pub(super) last_saved: Option<Checkpoint>,
    /// How often an idle pass publishes.
    idle_publish: Duration,
}

impl<'a> Reader<'a> {
    /// Sets up the inputs, the aggregation and its exporters, and resumes
    /// from the checkpoint if there is one.
    pub fn start(
        settings: &'a RunSettings,
        matcher: Arc<Matcher>,
        shared: &'a Shared,
        wake: SyncSender<()>,
    ) -> Result<Reader<'a>, AgentError> {
        let mut tailer = Tailer::new(TailSettings {
            inputs: settings.file_inputs.clone(),
            start_at: settings.start_at,
            partial_line_flush: settings.partial_line_flush,
            glob_interval: settings.glob_interval,
            poll_interval: settings.poll_interval,
            rotate_wait: settings.rotate_wait,
        })
        .with_held(SourceScan::held_from);
        let mut aggregation = Aggregation::new(&matcher.rules, settings.aggregate.clone());
        aggregation.redact(&settings.redaction);
        aggregation.subscribe(Box::new(MatchMetrics::new(
            shared.prometheus.clone(),
            &matcher.rules,
        )));
        let otlp = match OtlpSettings::from_env(settings.otlp_endpoint.clone())? {
            Some(mut otlp_settings) => {
                otlp_settings.spans_per_rule = settings.otlp_spans_per_rule;
                otlp_settings.incident_span_interval = settings.incident_span_interval;
                Some(Otlp::start(
                    otlp_settings,
                    shared.prometheus.span_counters(),
                )?)
            }
            None => None,
        };
        let spans = otlp.as_ref().map(|otlp| {
            let spans = MatchSpans::new(
                &matcher.rules,
                otlp.queue(),
                otlp.settings.spans_per_rule,
                settings.redaction.for_spans().cloned().map(Arc::new),
            );
            aggregation.subscribe(Box::new(
                spans.incident_spans(&matcher.rules, otlp.settings.incident_span_interval),
            ));
            spans
        });
        let mut released = vec![ScanStats::default(); settings.file_inputs.len()];
        let store = match &settings.checkpoint_dir {
            Some(dir) => Some(CheckpointStore::new(dir)?),
            None => None,
        };
        let mut resume_out = None;
        if let Some(Checkpoint::V1 {
            files,
            finished,
            counters,
            matches_out,
        }) = store
            .as_ref()
            .map(CheckpointStore::load)
            .transpose()?
            .flatten()
        {
            aggregation.restore(
                &matcher.rules,
                &AggregateCheckpoint {
                    matches: counters.matches,
                    matches_in_pods: counters.matches_in_pods,
                    pod_matches: counters.pod_matches,
                    incidents: counters.incidents,
                },
            );
            for (glob, stats) in settings.file_inputs.iter().zip(&mut released) {
                let find = |v: &[(String, u64)]| {
                    v.iter()
                        .find(|(k, _)| k == glob.as_str())
                        .map_or(0, |(_, n)| *n)
                };
                stats.lines = find(&counters.lines_by_input);
                stats.bytes = find(&counters.bytes_by_input);
            }
            tailer.restore(files, finished, &counters.bytes_abandoned);
            resume_out = matches_out.filter(|o| settings.matches_out.as_ref() == Some(&o.path));
            if let Some(store) = &store {
                eprintln!(
                    "tailwatch: resuming from checkpoint {}",
                    store.path().display()
                );
            }
        }
        let out = match settings.matches_out.as_deref() {
            Some(path) => Some(
                RunOutput::open(
                    path,
                    resume_out.map(|o| o.len),
                    settings.redaction.for_matches_out().cloned().map(Arc::new),
                )
                .map_err(|source| AgentError::MatchesOut {
                    path: path.to_string(),
                    source,
                })?,
            ),
            None => None,
        };

        let notified = Arc::new(Mutex::new(Notified::default()));
        let watcher = watch(notified.clone(), wake.clone());
        let stdin = settings.stdin.then(|| {
            let mut scan = SourceScan::new(None);
            scan.set_grouping(settings.multiline.choose(Path::new("-")));
            StdinInput {
                rx: spawn_stdin_reader(wake),
                cursor: Cursor::default(),
                scan,
                open: true,
            }
        });
        let mut scanner = Scanner::new(settings.max_line_bytes);
        scanner.partial_line_flush = settings.partial_line_flush;
        scanner.multiline_flush = settings.multiline_flush;
        Ok(Reader {
            framer: Framer::new(settings.max_line_bytes),
            scanner,
            sources: SourceMetrics::new(shared.prometheus.clone()),
            settings,
            shared,
            matcher,
            tailer,
            stdin,
            aggregation,
            released,
            out,
            spans,
            otlp,
            store,
            out_retry: Backoff::default(),
            checkpoint_retry: Backoff::default(),
            read_errors: vec![0; settings.file_inputs.len() + 1],
            notified,
            watcher,
            watched: HashSet::new(),
            last_saved: None,
            idle_publish: settings
                .aggregate
                .series_ttl
                .map_or(IDLE_PUBLISH_INTERVAL, |ttl| {
                    (ttl / 2).min(IDLE_PUBLISH_INTERVAL)
                }),
        })
    }

    /// Reads until `stop` is set, or until stdin ends when it is the only
    /// input.
    pub fn run(mut self, stop: &AtomicBool, wake: Receiver<()>) -> Result<(), AgentError> {
        let mut events = Vec::new();
        // The first checkpoint is written after the first pass, so that a
        // crash at any moment after start-up finds one.
        let mut last_checkpoint: Option<Instant> = None;
        let mut last_report: Option<Instant> = None;
        let mut last_publish: Option<Instant> = None;
        loop {
            let matcher = self.matcher.clone();
            let chunks_before = self.scanner.chunks;
            let notified = std::mem::take(&mut *self.notified.lock().expect("notify lock"));
            self.tailer.discover(notified.paths_changed, &mut events);
            if last_report.is_none() || events.iter().any(|e| matches!(e, TailEvent::Opened { .. }))
            {
                self.watch_new_dirs();
            }
            let files_more = self.tailer.read_all(
                &mut self.framer,
                &mut FileScan {
                    matcher: &matcher,
                    scanner: &mut self.scanner,
                    matches: Tee(
                        &mut self.aggregation,
                        &mut Tee(&mut self.out, &mut self.spans),
                    ),
                    released: &mut self.released,
                    groupings: &self.settings.multiline,
                    current: Default::default(),
                },
                (!notified.overflow).then_some(&notified.written),
                &mut events,
            );
            let read_stdin = self.read_stdin(&matcher);
            let more = files_more || read_stdin;
            let active = self.scanner.chunks != chunks_before || !events.is_empty();
            for e in events.drain(..) {
                if let TailEvent::Error { input, .. } = e {
                    self.read_errors[input] += 1;
                }
                log_event(&e);
            }
            self.write_matches(false);
            self.aggregation.tick(wall_now());
            // An idle pass publishes only now and then: often enough to
            // refresh per-file series well within their time to live.
            if active || last_publish.is_none_or(|t| t.elapsed() >= self.idle_publish) {
                self.publish();
                last_publish = Some(Instant::now());
            }
            if last_report.is_none_or(|t| t.elapsed() >= REPORT_INTERVAL) {
                self.shared.publish_report(self.report_json(&matcher));
                last_report = Some(Instant::now());
            }
            let stdin_ended = self.stdin.as_ref().is_some_and(|s| !s.open);
            let stopping = stop.load(Ordering::SeqCst)
                || (stdin_ended && self.settings.file_inputs.is_empty());
            if stopping {
                // Stdin has no checkpoint to resume a held line or record
                // at: it is read as it is.
                self.end_stdin(&matcher);
                let finished = self.finish(&matcher);
                // Spans queued so far go out within the shutdown bound.
                self.spans = None;
                if let Some(otlp) = self.otlp.take() {
                    otlp.shutdown(OTLP_SHUTDOWN);
                }
                return finished;
            }
            // Until it is written (records pending, a failed write waiting
            // for its retry), each pass tries again.
            if last_checkpoint.is_none_or(|t| t.elapsed() >= self.settings.checkpoint_interval)
                && self.checkpoint(&matcher, false)
            {
                last_checkpoint = Some(Instant::now());
            }
            if !more {
                match wake.recv_timeout(self.settings.poll_interval) {
                    Ok(()) | Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) => return Ok(()),
                }
            }
        }
    }

    /// Watches the directories of globs and open files not watched yet, so
    /// that writes, creations and renames wake the reader. Runs when files
    /// were opened.
    fn watch_new_dirs(&mut self) {
        let Some(watcher) = self.watcher.as_mut() else {
            return;
        };
        let watched = &self.watched;
        let mut dirs: Vec<PathBuf> = self
            .tailer
            .file_dirs()
            .filter(|d| !watched.contains(*d))
            .map(Path::to_path_buf)
            .collect();
        dirs.extend(
            self.tailer
                .watch_dirs()
                .into_iter()
                .filter(|d| !watched.contains(d)),
        );
        dirs.sort();
        dirs.dedup();
        for dir in dirs {
            if self.watched.len() >= MAX_WATCHED_DIRS {
                return;
            }
            if let Err(e) = watcher.watch(&dir, RecursiveMode::NonRecursive) {
                eprintln!(
                    "tailwatch: no change notification for {}: {e}; polling",
                    dir.display()
                );
            }
            self.watched.insert(dir);
        }
    }

    /// Frames and scans what the stdin thread has handed over. Returns true
    /// when it read something.
    fn read_stdin(&mut self, matcher: &Matcher) -> bool {
        let Some(stdin) = self.stdin.as_mut() else {
            return false;
        };
        let mut outputs = Tee(&mut self.out, &mut self.spans);
        let mut sink = Tee(&mut self.aggregation, &mut outputs);
        sink.source(&Source::named("stdin"));
        let (framer, scanner) = (&mut self.framer, &mut self.scanner);
        let mut read = false;
        while stdin.open {
            let block = match stdin.rx.try_recv() {
                Ok(block) => block,
                Err(TryRecvError::Empty) => {
                    if stdin.scan.held_from().is_some() {
                        scanner.finish_stale(matcher, &mut stdin.scan, &mut sink);
                    }
                    break;
                }
                Err(TryRecvError::Disconnected) => StdinBlock::End,
            };
            match block {
                StdinBlock::Data(data) => {
                    framer.feed(&mut stdin.cursor, &data, |chunk| {
                        scanner.scan(matcher, &mut stdin.scan, chunk, &mut sink)
                    });
                    read = true;
                }
                StdinBlock::Failed { error, last } => {
                    *self.read_errors.last_mut().expect("one slot for stdin") += 1;
                    eprintln!(
                        "tailwatch: error reading stdin: {error}{}",
                        if last {
                            "; giving up"
                        } else {
                            "; reading again"
                        }
                    );
                    if last {
                        stdin.open = false;
                    }
                }
                StdinBlock::End => {
                    stdin.end(framer, scanner, matcher, &mut sink);
                }
            }
        }
        read
    }

    /// Reads what stdin still holds (a last line without its newline, a
    /// split line, a record) as it is, when the agent stops.
    fn end_stdin(&mut self, matcher: &Matcher) {
        if let Some(stdin) = self.stdin.as_mut().filter(|s| s.open) {
            let mut outputs = Tee(&mut self.out, &mut self.spans);
            let mut sink = Tee(&mut self.aggregation, &mut outputs);
            sink.source(&Source::named("stdin"));
            stdin.end(&self.framer, &mut self.scanner, matcher, &mut sink);
        }
    }

    /// Lines and bytes read per input since the first start, with what the
    /// scanners counted in this run: (name, envelope, stats).
    pub(super) fn input_totals(&self) -> Vec<SourceSummary> {
        let mut totals: Vec<SourceSummary> = self
            .settings
            .file_inputs
            .iter()
            .zip(&self.released)
            .map(|(glob, stats)| SourceSummary {
                name: glob.as_str().to_string(),
                envelope: Envelope::Raw,
                stats: stats.clone(),
            })
            .collect();
        for f in self.tailer.files() {
            let mut stats = f.state.stats.clone();
            // Bytes of a record not finished yet are read again after a
            // restart: they count once it is.
            let held = f
                .state
                .held_from()
                .map_or(0, |h| f.offset.saturating_sub(h));
            stats.bytes = f.consumed.saturating_sub(held);
            stats.lines -= f.state.held_lines().min(stats.lines);
            totals[f.input].stats.add(&stats);
        }
        if let Some(stdin) = &self.stdin {
            let mut stats = stdin.scan.stats.clone();
            stats.bytes = stdin.cursor.consumed();
            totals.push(SourceSummary {
                name: "-".into(),
                envelope: stdin.scan.envelope().unwrap_or(Envelope::Raw),
                stats,
            });
        }
        totals
    }

    /// The agent's own numbers for `/metrics`, and readiness.
    fn publish(&mut self) {
        self.forget_deleted_pods();
        let totals = self.input_totals();
        let mut errors = ScanStats::default();
        for t in &totals {
            errors.add(&t.stats);
        }
        self.sources.publish(&ReadingStats {
            inputs: totals
                .iter()
                .zip(&self.read_errors)
                .map(|(t, errors)| InputReading {
                    name: t.name.clone(),
                    lines: t.stats.lines,
                    bytes: t.stats.bytes,
                    errors: *errors,
                })
                .collect(),
            decode_errors: errors.errors,
            bytes_abandoned: self.tailer.bytes_abandoned(),
            files: self
                .tailer
                .files()
                .map(|f| (f.path.display().to_string(), f.bytes_behind))
                .collect(),
            busy: self.scanner.busy,
            write_errors: [self.checkpoint_retry.failures, self.out_retry.failures],
            inputs_open: self.inputs_open(),
        });
    }

    /// Lets the match series of pods whose logs are all closed go (the
    /// pod was deleted, and the kubelet removed its log directory).
    fn forget_deleted_pods(&mut self) {
        if self.aggregation.pods().iter().next().is_none() {
            return;
        }
        let open: HashSet<PodLabels> = self
            .tailer
            .files()
            .filter_map(|f| PodSource::from_path(f.path))
            .map(|p| (*p.labels).clone())
            .collect();
        self.aggregation
            .forget_closed_pods(|pod| open.contains(pod));
    }

    /// Files tailed, and stdin while it is read.
    fn inputs_open(&self) -> u64 {
        self.tailer.files_tailed() as u64 + u64::from(self.stdin.as_ref().is_some_and(|s| s.open))
    }

    /// The report of everything read since the first start, with open
    /// incidents.
    fn report_json(&self, matcher: &Matcher) -> String {
        let mut report = Report::build(&matcher.rules, &self.aggregation, &self.input_totals());
        report.add_incidents(&matcher.rules, &self.aggregation);
        report.inputs_open = Some(self.inputs_open());
        serde_json::to_string_pretty(&report).unwrap_or_else(|_| "{}".into())
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
        TailEvent::Error { path, error, .. } => {
            eprintln!("tailwatch: error reading {}: {error}", path.display())
        }
    }
}
