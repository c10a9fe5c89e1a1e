//! The agent's inputs: the files its globs name (the tailer, with change
//! notification waking it) and standard input, read through the one framer
//! and scanner into a match sink. [`FileScan`] is the glue between the
//! tailer and the scanner (`scan --follow` uses it too).

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, TryRecvError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use super::watch::{watch, Notified, MAX_WATCHED_DIRS};
use crate::config::{Groupings, RunSettings};
use crate::decode::Envelope;
use crate::framing::{Chunk, Cursor, Framer};
use crate::input::{spawn_stdin_reader, StdinBlock};
use crate::matcher::{Matcher, ScanStats, Scanner, SourceScan};
use crate::pod::PodSource;
use crate::report::InputProblem;
use crate::scan::SourceSummary;
use crate::sink::{MatchSink, Source};
use crate::tail::checkpoint::FileCheckpoint;
use crate::tail::{FileSink, TailEvent, TailSettings, Tailer, PASS_BYTES};
use crate::telemetry::Throttle;

/// A read or listing problem is shown in `/report` until it has not
/// happened for this long.
const PROBLEM_MEMORY: Duration = Duration::from_secs(300);

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

/// Files and stdin, with what was read from them.
pub struct Inputs {
    pub(super) tailer: Tailer<SourceScan>,
    stdin: Option<StdinInput>,
    globs: Vec<glob::Pattern>,
    /// Per file input: what files already let go read (and, from the
    /// checkpoint, the lines and bytes of earlier runs).
    pub(super) released: Vec<ScanStats>,
    /// Read errors per input (files by glob, then stdin).
    pub(super) read_errors: Vec<u64>,
    /// Failures lately, and when each last happened.
    problems: BTreeMap<(PathBuf, &'static str), (InputProblem, Instant)>,
    throttle: Throttle,
    /// What change notification reported since the last pass.
    notified: Arc<Mutex<Notified>>,
    watcher: Option<notify::RecommendedWatcher>,
    /// Directories under watch: those of the globs, and those the open
    /// files really live in (symlinks resolved).
    watched: HashSet<PathBuf>,
    events: Vec<TailEvent>,
}

/// The tailer's settings as the agent's settings give them.
fn tail_settings(settings: &RunSettings) -> TailSettings {
    TailSettings {
        inputs: settings.file_inputs.clone(),
        start_at: settings.start_at(),
        partial_line_flush: settings.partial_line_flush,
        glob_interval: settings.glob_interval,
        poll_interval: settings.poll_interval,
        rotate_wait: settings.rotate_wait,
    }
}

impl Inputs {
    /// The inputs `settings` name; `wake` is poked when there is
    /// something to read.
    pub fn open(settings: &RunSettings, wake: SyncSender<()>) -> Inputs {
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
        Inputs {
            tailer: Tailer::new(tail_settings(settings)).with_held(SourceScan::held_from),
            stdin,
            globs: settings.file_inputs.clone(),
            released: vec![ScanStats::default(); settings.file_inputs.len()],
            read_errors: vec![0; settings.file_inputs.len() + 1],
            problems: BTreeMap::new(),
            throttle: Throttle::default(),
            notified,
            watcher,
            watched: HashSet::new(),
            events: Vec::new(),
        }
    }

    /// Takes the timings of reloaded settings.
    pub fn retime(&mut self, settings: &RunSettings) {
        self.tailer.retime(tail_settings(settings));
    }

    /// Groups the lines of the files open and of stdin as reloaded
    /// `multiline` settings say, from their next lines on.
    pub fn regroup(&mut self, groupings: &Groupings) {
        for (path, state) in self.tailer.states_mut() {
            state.set_grouping(groupings.choose(path));
        }
        if let Some(stdin) = &mut self.stdin {
            stdin.scan.set_grouping(groupings.choose(Path::new("-")));
        }
    }

    /// Resumes from a checkpoint: file positions, the files finished, and
    /// the lines and bytes each input read before.
    pub fn restore(
        &mut self,
        files: Vec<FileCheckpoint>,
        finished: Option<Vec<FileCheckpoint>>,
        lines_by_input: &[(String, u64)],
        bytes_by_input: &[(String, u64)],
        stats_by_input: &[(String, ScanStats)],
        bytes_abandoned: &[(String, u64)],
    ) {
        for (glob, stats) in self.globs.iter().zip(&mut self.released) {
            // The whole count where the checkpoint has it; lines and bytes
            // from an older one.
            if let Some((_, saved)) = stats_by_input.iter().find(|(k, _)| k == glob.as_str()) {
                *stats = saved.clone();
                continue;
            }
            let find = |v: &[(String, u64)]| {
                v.iter()
                    .find(|(k, _)| k == glob.as_str())
                    .map_or(0, |(_, n)| *n)
            };
            stats.lines = find(lines_by_input);
            stats.bytes = find(bytes_by_input);
        }
        self.tailer.restore(files, finished, bytes_abandoned);
    }

    /// One pass: finds files, reads what was appended to them and to
    /// stdin into `sink`. Returns (something may be left to read at once,
    /// something happened).
    pub fn read<S: MatchSink>(
        &mut self,
        matcher: &Matcher,
        framer: &mut Framer,
        scanner: &mut Scanner,
        groupings: &Groupings,
        first: bool,
        sink: &mut S,
    ) -> (bool, bool) {
        let chunks_before = scanner.chunks;
        let notified = std::mem::take(&mut *self.notified.lock().expect("notify lock"));
        let mut events = std::mem::take(&mut self.events);
        self.tailer.discover(notified.paths_changed, &mut events);
        if first || events.iter().any(|e| matches!(e, TailEvent::Opened { .. })) {
            self.watch_new_dirs();
        }
        let files_more = self.tailer.read_all(
            framer,
            &mut FileScan {
                matcher,
                scanner: &mut *scanner,
                matches: sink,
                released: &mut self.released,
                groupings,
                current: CurrentSource::default(),
            },
            (!notified.overflow).then_some(&notified.written),
            &mut events,
        );
        let stdin_more = self.read_stdin(matcher, framer, scanner, sink);
        let active = scanner.chunks != chunks_before || !events.is_empty();
        for e in events.drain(..) {
            self.note(&e);
        }
        self.events = events;
        (files_more || stdin_more, active)
    }

    /// Logs a tailer event; counts and throttles failures.
    fn note(&mut self, event: &TailEvent) {
        match event {
            TailEvent::Opened { path, offset } => {
                tracing::info!(path = %path.display(), offset, "tailing");
            }
            TailEvent::Rotated { path } => tracing::info!(
                path = %path.display(),
                "rotated or deleted; reading the old file to its end"
            ),
            TailEvent::Released { path } => tracing::info!(path = %path.display(), "released"),
            TailEvent::Abandoned {
                path,
                bytes,
                reason,
            } => tracing::warn!(path = %path.display(), bytes, reason, "gave up unread bytes"),
            TailEvent::Error {
                path,
                input,
                operation,
                error,
            } => {
                self.read_errors[*input] += 1;
                let now = Instant::now();
                let (problem, last) = self
                    .problems
                    .entry((path.clone(), *operation))
                    .or_insert_with(|| {
                        let problem = InputProblem {
                            path: path.display().to_string(),
                            operation,
                            error: String::new(),
                            count: 0,
                        };
                        (problem, now)
                    });
                problem.error.clone_from(error);
                problem.count += 1;
                *last = now;
                let key = format!("{operation} {}", path.display());
                if let Some(repeated) = self.throttle.note(&key, now) {
                    let what = if *operation == "list" {
                        "cannot list a directory a glob names: the files under it go unseen"
                    } else {
                        "cannot read a file"
                    };
                    tracing::error!(
                        path = %path.display(),
                        operation,
                        %error,
                        repeated,
                        "{what}"
                    );
                }
            }
        }
    }

    /// Input problems seen lately, for `/report`.
    pub fn problems(&mut self) -> Vec<InputProblem> {
        self.problems
            .retain(|_, (_, last)| last.elapsed() < PROBLEM_MEMORY);
        self.problems.values().map(|(p, _)| p.clone()).collect()
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
                tracing::warn!(
                    path = %dir.display(),
                    error = %e,
                    "no change notification for this directory; its files are polled"
                );
            }
            self.watched.insert(dir);
        }
    }

    /// Frames and scans what the stdin thread has handed over, up to
    /// [`PASS_BYTES`] a pass: a producer faster than the scan must not
    /// keep the loop from publishing, checkpointing, the files and a
    /// shutdown. Returns true when it read something.
    fn read_stdin<S: MatchSink>(
        &mut self,
        matcher: &Matcher,
        framer: &mut Framer,
        scanner: &mut Scanner,
        sink: &mut S,
    ) -> bool {
        let Some(stdin) = self.stdin.as_mut() else {
            return false;
        };
        sink.source(&Source::named("stdin"));
        let mut read = false;
        let mut budget = PASS_BYTES;
        while stdin.open && budget > 0 {
            let block = match stdin.rx.try_recv() {
                Ok(block) => block,
                Err(TryRecvError::Empty) => {
                    if stdin.scan.held_from().is_some() {
                        scanner.finish_stale(matcher, &mut stdin.scan, sink);
                    }
                    break;
                }
                Err(TryRecvError::Disconnected) => StdinBlock::End,
            };
            match block {
                StdinBlock::Data(data) => {
                    framer.feed(&mut stdin.cursor, &data, |chunk| {
                        scanner.scan(matcher, &mut stdin.scan, chunk, sink)
                    });
                    budget = budget.saturating_sub(data.len() as u64);
                    read = true;
                }
                StdinBlock::Failed { error, last } => {
                    *self.read_errors.last_mut().expect("one slot for stdin") += 1;
                    tracing::error!(%error, giving_up = last, "cannot read stdin");
                    if last {
                        // What it holds is read as it is, as at its end.
                        stdin.end(framer, scanner, matcher, sink);
                    }
                }
                StdinBlock::End => stdin.end(framer, scanner, matcher, sink),
            }
        }
        read
    }

    /// The agent stops. A file's record held for more lines is read as it
    /// is: its writer may be gone with its pod, and its last record is
    /// often the trouble it died of. A file's unfinished line is left to
    /// the next start (its writer, if alive, finishes it). What stdin
    /// holds, line or record, is read as it is: it has no checkpoint to
    /// resume at.
    pub fn end<S: MatchSink>(
        &mut self,
        matcher: &Matcher,
        framer: &Framer,
        scanner: &mut Scanner,
        groupings: &Groupings,
        sink: &mut S,
    ) {
        let mut files = FileScan {
            matcher,
            scanner: &mut *scanner,
            matches: &mut *sink,
            released: &mut self.released,
            groupings,
            current: CurrentSource::default(),
        };
        for (path, state) in self.tailer.states_mut() {
            files.end_record(path, state);
        }
        if let Some(stdin) = self.stdin.as_mut().filter(|s| s.open) {
            sink.source(&Source::named("stdin"));
            stdin.end(framer, scanner, matcher, sink);
        }
    }

    /// Stdin was the only input, and it ended.
    pub fn all_ended(&self) -> bool {
        self.globs.is_empty() && self.stdin.as_ref().is_some_and(|s| !s.open)
    }

    /// Files tailed, and stdin while it is read.
    pub fn open_count(&self) -> u64 {
        self.tailer.files_tailed() as u64 + u64::from(self.stdin.as_ref().is_some_and(|s| s.open))
    }

    /// The pods whose logs are open now.
    pub fn open_pods(&self) -> HashSet<crate::pod::PodLabels> {
        self.tailer
            .files()
            .filter_map(|f| PodSource::from_path(f.path))
            .map(|p| (*p.labels).clone())
            .collect()
    }

    /// Lines and bytes read per input since the first start, with what the
    /// scanners counted in this run.
    pub fn totals(&self) -> Vec<SourceSummary> {
        self.totals_counting(Unfinished::Counted)
    }

    /// The totals to save in a checkpoint: without the bytes of a file's
    /// last line that has no newline yet, which the next start reads again
    /// from where the line begins. The live counter keeps them, so that it
    /// says what was read.
    pub fn totals_to_resume(&self) -> Vec<SourceSummary> {
        self.totals_counting(Unfinished::ReadAgain)
    }

    fn totals_counting(&self, unfinished: Unfinished) -> Vec<SourceSummary> {
        let mut totals: Vec<SourceSummary> = self
            .globs
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
            let read_again = match unfinished {
                Unfinished::Counted => held,
                Unfinished::ReadAgain => held + f.unfinished_line,
            };
            stats.bytes = f.consumed.saturating_sub(read_again);
            // Its lines too, by format: a restart classifies them again.
            let held_lines = f.state.held_lines();
            stats.lines -= held_lines.min(stats.lines);
            let text = held_lines.min(stats.text_lines);
            stats.text_lines -= text;
            stats.json_lines -= (held_lines - text).min(stats.json_lines);
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
}

/// Whether [`Inputs::totals`] counts the bytes of a last line read
/// without its newline.
#[derive(Clone, Copy)]
enum Unfinished {
    Counted,
    ReadAgain,
}

/// Where the tailer's chunks go: scanned into `matches`, each file's
/// reading summed into `released` by input when the file is let go.
pub struct FileScan<'p, M> {
    pub matcher: &'p Matcher,
    pub scanner: &'p mut Scanner,
    pub matches: &'p mut M,
    pub released: &'p mut [ScanStats],
    pub groupings: &'p Groupings,
    /// The file `matches` was last told of, with its pod.
    pub current: CurrentSource,
}

/// The source a sink was last told of: a pass reads many chunks of one
/// file in a row, and its path is turned into a name and a pod once.
#[derive(Debug, Default)]
pub struct CurrentSource {
    path: PathBuf,
    name: String,
    pod: Option<PodSource>,
}

impl<M: MatchSink> FileScan<'_, M> {
    /// Tells `matches` that what follows comes from `path`.
    fn switch_to(&mut self, path: &Path) {
        let current = &mut self.current;
        if current.path != path {
            current.path = path.to_path_buf();
            current.name = path.to_string_lossy().into_owned();
            current.pod = PodSource::from_path(path);
        }
        self.matches.source(&Source {
            name: &current.name,
            pod: current.pod.as_ref(),
        });
    }

    /// The agent stops: `path`'s record held for more lines is closed.
    fn end_record(&mut self, path: &Path, state: &mut SourceScan) {
        if state.held_from().is_some() {
            self.switch_to(path);
            self.scanner.end_record(self.matcher, state, self.matches);
        }
    }
}

impl<M: MatchSink> FileSink<SourceScan> for FileScan<'_, M> {
    fn chunk(&mut self, path: &Path, state: &mut SourceScan, chunk: Chunk<'_>) {
        if !state.has_grouping() {
            state.set_grouping(self.groupings.choose(path));
        }
        self.switch_to(path);
        self.scanner.scan(self.matcher, state, chunk, self.matches);
    }

    fn at_end(&mut self, path: &Path, state: &mut SourceScan) {
        if state.held_from().is_some() {
            self.switch_to(path);
            self.scanner.finish_stale(self.matcher, state, self.matches);
        }
    }

    fn truncated(&mut self, _path: &Path, state: &mut SourceScan) {
        state.drop_held();
    }

    fn released(&mut self, path: &Path, input: usize, consumed: u64, mut state: SourceScan) {
        self.switch_to(path);
        self.scanner.finish(self.matcher, &mut state, self.matches);
        let mut stats = state.stats;
        stats.bytes = consumed;
        self.released[input].add(&stats);
    }
}
