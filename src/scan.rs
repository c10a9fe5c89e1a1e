//! One-shot scanning of files and standard input: each source is read
//! through the one framer and scanner into the aggregation (and the match
//! output), and what was read is summed up for the report.

use std::io::{self, IsTerminal, Write};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use crate::agent::FileScan;
use crate::aggregate::Aggregation;
use crate::config::Groupings;
use crate::decode::{self, parse_cri, Envelope};
use crate::error::InputError;
use crate::framing::{line_content, Chunk, Cursor, Framer};
use crate::input::{spawn_stdin_reader, Input, StdinBlock};
use crate::matcher::{Matcher, ScanStats, Scanner, SourceScan};
use crate::pod::PodSource;
use crate::sink::{MatchSink, Since, Source, Tee};
use crate::tail::{StartAt, TailEvent, TailSettings, Tailer};

#[derive(Debug, Clone)]
pub struct ScanOptions {
    pub max_line_bytes: usize,
    /// `None`: detect each source's envelope from its first line.
    pub envelope: Option<Envelope>,
    /// Show a progress line on stderr for large files (when it is a terminal).
    pub progress: bool,
    /// Standard input is a stream that may stay open: read it as it comes.
    pub stream: bool,
    /// Matches of records logged before this (Unix µs) are left out.
    pub since: Option<i64>,
}

/// What was read from one source.
#[derive(Debug, Clone)]
pub struct SourceSummary {
    pub name: String,
    pub envelope: Envelope,
    pub stats: ScanStats,
}

/// What a scan checks while it reads.
pub trait Watch {
    /// Called after each block and, on a stream that stays open, at least
    /// every [`IDLE_TICK`] while it is quiet, with the lines and bytes read
    /// so far. False stops the scan: what was read is reported.
    fn tick(&mut self, aggregation: &mut Aggregation, lines: u64, bytes: u64) -> bool;
}

/// A scan that runs to the end of its inputs.
pub struct ToTheEnd;

impl Watch for ToTheEnd {
    fn tick(&mut self, _: &mut Aggregation, _: u64, _: u64) -> bool {
        true
    }
}

/// How often a quiet stream is looked at: the watch's tick, and a record
/// that may go on waiting for its next line.
pub const IDLE_TICK: Duration = Duration::from_millis(200);

/// Scans every input in order into `aggregation`, also passing each match
/// to `out` (the match output). Stops at the first source that cannot be
/// opened or read, or when `watch` says so.
pub fn scan_inputs<S: MatchSink>(
    matcher: &Matcher,
    inputs: &[Input],
    options: &ScanOptions,
    aggregation: &mut Aggregation,
    out: &mut S,
    watch: &mut dyn Watch,
) -> Result<Vec<SourceSummary>, InputError> {
    let mut framer = Framer::new(options.max_line_bytes);
    let mut scanner = Scanner::new(options.max_line_bytes);
    let mut summaries: Vec<SourceSummary> = Vec::new();
    let mut stopped = false;
    for input in inputs {
        if stopped {
            break;
        }
        let name = input.name();
        let pod = match input {
            Input::File(path) => PodSource::from_path(path),
            Input::Stdin => None,
        };
        out.source(&Source {
            name: &name,
            pod: pod.as_ref(),
        });
        let mut cursor = Cursor::default();
        let mut reading = SourceReading {
            matcher,
            scanner: &mut scanner,
            source: SourceScan::new(options.envelope),
            edges: TimeEdges::default(),
        };
        let (lines_before, bytes_before) = summaries
            .iter()
            .fold((0, 0), |(l, b), s| (l + s.stats.lines, b + s.stats.bytes));
        let mut go_on = |aggregation: &mut Aggregation, source: &SourceScan, cursor: &Cursor| {
            watch.tick(
                aggregation,
                lines_before + source.stats.lines,
                bytes_before + cursor.consumed(),
            )
        };
        if *input == Input::Stdin && options.stream {
            // A stream that may stay open (`kubectl logs -f`): read on a
            // thread of its own, so that the scan can look up (the watch,
            // a record waiting for its next line) while nothing comes.
            let (wake, _) = mpsc::sync_channel(1);
            let blocks = spawn_stdin_reader(wake);
            loop {
                match blocks.recv_timeout(IDLE_TICK) {
                    Ok(StdinBlock::Data(data)) => {
                        let mut sink = matches_to(options.since, aggregation, out);
                        framer.feed(&mut cursor, &data, |chunk| reading.chunk(chunk, &mut sink));
                    }
                    Ok(StdinBlock::End) | Err(RecvTimeoutError::Disconnected) => break,
                    Ok(StdinBlock::Failed { error, last }) => {
                        if last {
                            return Err(InputError::Read {
                                name: name.clone(),
                                source: error,
                            });
                        }
                        tracing::error!(input = %name, %error, "cannot read; reading again");
                    }
                    Err(RecvTimeoutError::Timeout) => {
                        reading.stale(&mut matches_to(options.since, aggregation, out));
                    }
                }
                if !go_on(aggregation, &reading.source, &cursor) {
                    stopped = true;
                    break;
                }
            }
        } else {
            let (mut reader, size) = input.open()?;
            let progress = (options.progress && size > 64 << 20 && io::stderr().is_terminal())
                .then(|| Progress::new(&name, size));
            loop {
                let mut sink = matches_to(options.since, aggregation, out);
                let n = framer
                    .read(&mut cursor, &mut reader, |chunk| {
                        reading.chunk(chunk, &mut sink)
                    })
                    .map_err(|source| InputError::Read {
                        name: name.clone(),
                        source,
                    })?;
                if n == 0 {
                    break;
                }
                if let Some(p) = &progress {
                    p.update(cursor.consumed());
                }
                if !go_on(aggregation, &reading.source, &cursor) {
                    stopped = true;
                    break;
                }
            }
            if let Some(p) = progress {
                p.clear();
            }
        }
        let mut sink = matches_to(options.since, aggregation, out);
        framer.flush(&mut cursor, |chunk| reading.chunk(chunk, &mut sink));
        reading.finish(&mut sink);
        let SourceReading { source, edges, .. } = reading;
        for line in [&edges.first, &edges.last] {
            if let Some(t) = line_timestamp(line, source.envelope()) {
                sink.inner.0.observe_time(t);
            }
        }
        let mut stats = source.stats.clone();
        stats.bytes = cursor.consumed();
        summaries.push(SourceSummary {
            name,
            envelope: source.envelope().unwrap_or(Envelope::Raw),
            stats,
        });
    }
    Ok(summaries)
}

/// Follows `paths` (`--follow`) with the sidecar's tailer: from their
/// beginning, through rename and copy-truncate rotation and files that
/// appear later, until `watch` says stop. One summary per path.
pub fn follow_files<S: MatchSink>(
    matcher: &Matcher,
    paths: &[String],
    options: &ScanOptions,
    aggregation: &mut Aggregation,
    out: &mut S,
    watch: &mut dyn Watch,
) -> Result<Vec<SourceSummary>, InputError> {
    let inputs: Vec<glob::Pattern> = paths
        .iter()
        .map(|p| {
            glob::Pattern::new(&glob::Pattern::escape(p)).expect("an escaped path is a pattern")
        })
        .collect();
    let mut tailer: Tailer<SourceScan> = Tailer::new(TailSettings {
        inputs,
        start_at: StartAt::Beginning,
        partial_line_flush: Duration::from_secs(5),
        glob_interval: Duration::from_secs(1),
        poll_interval: IDLE_TICK,
        rotate_wait: Duration::from_secs(5),
    })
    .with_held(SourceScan::held_from);
    let mut framer = Framer::new(options.max_line_bytes);
    let mut scanner = Scanner::new(options.max_line_bytes);
    let mut released = vec![ScanStats::default(); paths.len()];
    let groupings = Groupings::default();
    let mut events = Vec::new();
    loop {
        tailer.discover(false, &mut events);
        let more = tailer.read_all(
            &mut framer,
            &mut FileScan {
                matcher,
                scanner: &mut scanner,
                matches: &mut matches_to(options.since, aggregation, out),
                released: &mut released,
                groupings: &groupings,
                current: Default::default(),
            },
            None,
            &mut events,
        );
        for e in events.drain(..) {
            if let TailEvent::Error {
                path,
                operation,
                error,
                ..
            } = &e
            {
                tracing::error!(path = %path.display(), operation, %error, "cannot read");
            }
        }
        let (lines, bytes) = totals(&tailer, &released)
            .into_iter()
            .fold((0, 0), |(l, b), s| (l + s.lines, b + s.bytes));
        if !watch.tick(aggregation, lines, bytes) {
            break;
        }
        if !more {
            std::thread::sleep(IDLE_TICK);
        }
    }
    Ok(totals(&tailer, &released)
        .into_iter()
        .zip(paths)
        .map(|(stats, name)| SourceSummary {
            name: name.clone(),
            envelope: Envelope::Raw,
            stats,
        })
        .collect())
}

/// What was read per input: files let go, and the open ones so far.
fn totals(tailer: &Tailer<SourceScan>, released: &[ScanStats]) -> Vec<ScanStats> {
    let mut totals = released.to_vec();
    for f in tailer.files() {
        let mut stats = f.state.stats.clone();
        stats.bytes = f.consumed;
        totals[f.input].add(&stats);
    }
    totals
}

/// Where a source's matches go: the aggregation and the outputs, leaving
/// out records logged before `since`.
fn matches_to<'s, S: MatchSink>(
    since: Option<i64>,
    aggregation: &'s mut Aggregation,
    out: &'s mut S,
) -> Since<Tee<'s, Aggregation, S>> {
    Since {
        since,
        inner: Tee(aggregation, out),
    }
}

/// One source being scanned: its state and edge lines, with the scanner
/// lent to it.
struct SourceReading<'a> {
    matcher: &'a Matcher,
    scanner: &'a mut Scanner,
    source: SourceScan,
    edges: TimeEdges,
}

impl SourceReading<'_> {
    /// Scans one chunk, noting the source's edge lines.
    fn chunk<S: MatchSink>(&mut self, chunk: Chunk<'_>, sink: &mut S) {
        self.edges.see(&chunk);
        self.scanner
            .scan(self.matcher, &mut self.source, chunk, sink);
    }

    /// Matches a held record whose next line is late.
    fn stale<S: MatchSink>(&mut self, sink: &mut S) {
        if self.source.held_from().is_some() {
            self.scanner
                .finish_stale(self.matcher, &mut self.source, sink);
        }
    }

    /// The source ended: matches what it still holds.
    fn finish<S: MatchSink>(&mut self, sink: &mut S) {
        self.scanner.finish(self.matcher, &mut self.source, sink);
    }
}

/// A source's first and last lines, whose timestamps bound the log's time
/// span whether or not they matched.
#[derive(Default)]
struct TimeEdges {
    first: Vec<u8>,
    last: Vec<u8>,
    seen: bool,
}

impl TimeEdges {
    fn see(&mut self, chunk: &Chunk<'_>) {
        let data = match chunk {
            Chunk::Lines { data, .. } => line_content(data),
            Chunk::Oversized { .. } => return,
        };
        if !self.seen {
            self.seen = true;
            let end = memchr::memchr(b'\n', data).unwrap_or(data.len());
            self.first.extend_from_slice(line_content(&data[..end]));
        }
        let start = memchr::memrchr(b'\n', data).map_or(0, |i| i + 1);
        self.last.clear();
        self.last.extend_from_slice(line_content(&data[start..]));
    }
}

/// The log's own timestamp of one physical line, if it has one.
fn line_timestamp(line: &[u8], envelope: Option<Envelope>) -> Option<i64> {
    if line.is_empty() {
        return None;
    }
    match envelope {
        Some(Envelope::Cri) => {
            let cri = parse_cri(line)?;
            decode::decode(cri.body, Envelope::Cri, Some(cri.time)).timestamp
        }
        Some(e) => decode::decode(line, e, None).timestamp,
        None => decode::decode(line, Envelope::Raw, None).timestamp,
    }
}

/// A one-line progress indicator on stderr.
struct Progress {
    name: String,
    size: u64,
}

impl Progress {
    fn new(name: &str, size: u64) -> Self {
        Progress {
            name: name.to_string(),
            size,
        }
    }

    fn update(&self, done: u64) {
        let pct = done.saturating_mul(100) / self.size.max(1);
        let _ = write!(
            io::stderr(),
            "\rscanning {} {:>3}%",
            self.name,
            pct.min(100)
        );
    }

    fn clear(&self) {
        let _ = write!(io::stderr(), "\r{}\r", " ".repeat(self.name.len() + 16));
    }
}
