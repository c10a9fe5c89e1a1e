//! Tailing files: find them by glob, follow them through rotation
//! (rename-and-create, copytruncate, symlink swaps), read what is appended,
//! and say where each was read to.
//!
//! Everything here runs on the reading thread; nothing blocks but file I/O.
//! How rotation is told apart:
//! - a path whose device+inode changed, or vanished, had its file renamed
//!   or deleted: the old file (still open) is read to its end, then closed;
//! - a file whose size fell below the read position, or whose first bytes
//!   changed, was truncated in place: reading restarts at 0;
//! - a file first seen after start-up is read from its beginning, since it
//!   was created while we watched; at start-up, files with a checkpoint
//!   resume there, files a checkpoint does not know start at the beginning
//!   (they appeared while the agent was down), and only on a first start
//!   without any checkpoint do files start at `start_at`.

pub mod checkpoint;
mod file;

use std::collections::BTreeMap;
use std::collections::VecDeque;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

/// How far the kernel's coarse ctime may lag the precise clock.
const CTIME_SLACK: Duration = Duration::from_millis(20);

/// Released files remembered so rotated siblings are not read twice.
const RELEASED_MEMORY: usize = 256;

use checkpoint::{FileCheckpoint, FileId, Fingerprint};
use file::{TailedFile, DETACHED_GRACE};

use crate::matcher::Matcher;
use crate::scan::SourceAware;

/// Where to start a file seen for the first time at start-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum StartAt {
    Beginning,
    End,
}

#[derive(Debug, Clone)]
pub struct TailSettings {
    /// Glob patterns, one per input.
    pub inputs: Vec<String>,
    pub start_at: StartAt,
    pub max_line_bytes: usize,
    /// A last line without its newline counts as a line after this long.
    pub partial_line_flush: Duration,
}

/// Counters the tailer keeps beside the matches.
#[derive(Debug, Clone, Default)]
pub struct TailCounters {
    pub lines_by_input: Vec<u64>,
    pub bytes_by_input: Vec<u64>,
    /// Bytes given up, by reason (`truncated`, `deleted_before_read`).
    pub bytes_abandoned: BTreeMap<String, u64>,
    /// Scanner counts and scanning time of files already let go.
    pub released_stats: crate::matcher::ScanStats,
    pub released_eval: Duration,
}

/// A notable event for the agent's own log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TailEvent {
    Opened {
        path: PathBuf,
        offset: u64,
    },
    Rotated {
        path: PathBuf,
    },
    Released {
        path: PathBuf,
    },
    Abandoned {
        path: PathBuf,
        bytes: u64,
        reason: &'static str,
    },
    Error {
        path: PathBuf,
        error: String,
    },
}

pub struct Tailer<'m> {
    matcher: &'m Matcher,
    settings: TailSettings,
    files: Vec<TailedFile<'m>>,
    /// Checkpoint entries not yet matched to an open file (start-up only).
    restored: Vec<FileCheckpoint>,
    /// Resumed from a checkpoint: a file it does not know appeared since,
    /// and is read from its beginning whatever `start_at` says.
    resumed: bool,
    /// Rotated files changed (renamed) before this time are history, not
    /// rotations this agent has to catch up on: the start, or the time the
    /// agent that wrote the checkpoint last looked for rotations.
    since: SystemTime,
    /// When the last discovery pass began: every rotation before it has
    /// been seen (and its file opened, or read and released).
    pub discovered_at: SystemTime,
    /// Files read to their end and let go, so a scan for rotated siblings
    /// does not read them again. Bounded: the oldest are forgotten.
    released: VecDeque<(FileId, Fingerprint)>,
    discovered_once: bool,
    buf: Vec<u8>,
    pub counters: TailCounters,
}

impl<'m> Tailer<'m> {
    pub fn new(matcher: &'m Matcher, settings: TailSettings) -> Self {
        let n = settings.inputs.len();
        Tailer {
            matcher,
            settings,
            files: Vec::new(),
            restored: Vec::new(),
            resumed: false,
            since: SystemTime::now(),
            discovered_at: SystemTime::UNIX_EPOCH,
            released: VecDeque::new(),
            discovered_once: false,
            buf: Vec::new(),
            counters: TailCounters {
                lines_by_input: vec![0; n],
                bytes_by_input: vec![0; n],
                bytes_abandoned: BTreeMap::new(),
                released_stats: Default::default(),
                released_eval: Duration::ZERO,
            },
        }
    }

    /// Resumes from a checkpoint: its files are matched on the first
    /// discovery, its counters restored now.
    pub fn restore(
        &mut self,
        files: Vec<FileCheckpoint>,
        counters: &checkpoint::CounterState,
        discovered_at: SystemTime,
    ) {
        self.restored = files;
        self.resumed = true;
        // ctime comes from the kernel's coarse clock, which may lag the
        // precise one by a tick: a rename just after the last discovery
        // must not look older than it.
        self.since = discovered_at - CTIME_SLACK;
        for (i, input) in self.settings.inputs.iter().enumerate() {
            let find =
                |v: &[(String, u64)]| v.iter().find(|(k, _)| k == input).map_or(0, |(_, n)| *n);
            self.counters.lines_by_input[i] = find(&counters.lines_by_input);
            self.counters.bytes_by_input[i] = find(&counters.bytes_by_input);
        }
        self.counters.bytes_abandoned = counters.bytes_abandoned.iter().cloned().collect();
    }

    pub fn inputs(&self) -> &[String] {
        &self.settings.inputs
    }

    /// Files open now (detached ones being read to their end included).
    pub fn files_tailed(&self) -> usize {
        self.files.len()
    }

    /// Bytes between each open file's read position and its end when last
    /// seen.
    pub fn bytes_behind(&self) -> Vec<(String, u64)> {
        self.files
            .iter()
            .map(|f| {
                (
                    f.path.display().to_string(),
                    f.size_seen.saturating_sub(f.offset),
                )
            })
            .collect()
    }

    /// Bytes given up, by reason.
    pub fn bytes_abandoned(&self) -> Vec<(String, u64)> {
        self.counters
            .bytes_abandoned
            .iter()
            .map(|(k, v)| (k.clone(), *v))
            .collect()
    }

    /// Lines and bytes read, by input.
    pub fn read_by_input(&self) -> Vec<(String, u64, u64)> {
        self.settings
            .inputs
            .iter()
            .zip(
                self.counters
                    .lines_by_input
                    .iter()
                    .zip(&self.counters.bytes_by_input),
            )
            .map(|(name, (lines, bytes))| (name.clone(), *lines, *bytes))
            .collect()
    }

    /// Scanner counts over every file read since start-up.
    pub fn scan_stats(&self) -> crate::matcher::ScanStats {
        let mut total = self.counters.released_stats.clone();
        for f in &self.files {
            total.add(f.stats());
        }
        total
    }

    /// Time spent scanning since start-up.
    pub fn eval_time(&self) -> Duration {
        self.counters.released_eval + self.files.iter().map(|f| f.eval_time).sum::<Duration>()
    }

    /// The directories that hold the inputs, for change notification.
    pub fn watch_dirs(&self) -> Vec<PathBuf> {
        let mut dirs: Vec<PathBuf> = self
            .settings
            .inputs
            .iter()
            .map(|g| {
                let fixed: PathBuf = Path::new(g)
                    .components()
                    .take_while(|c| !c.as_os_str().to_string_lossy().contains(['*', '?', '[']))
                    .collect();
                if fixed.as_os_str().len() == g.len() {
                    fixed.parent().map(Path::to_path_buf).unwrap_or_default()
                } else {
                    fixed
                }
            })
            .filter(|d| d.is_dir())
            .collect();
        dirs.sort();
        dirs.dedup();
        dirs
    }

    /// Finds new, rotated and vanished files.
    pub fn discover(&mut self, events: &mut Vec<TailEvent>) {
        self.discovered_at = SystemTime::now();
        let first = !self.discovered_once;
        self.discovered_once = true;
        let mut rotated = first && self.resumed;
        for f in self.files.iter_mut().filter(|f| f.detached.is_none()) {
            let same =
                fs::metadata(&f.path).is_ok_and(|m| m.dev() == f.id.dev && m.ino() == f.id.ino);
            if !same {
                f.detached = Some(Instant::now());
                rotated = true;
                events.push(TailEvent::Rotated {
                    path: f.path.clone(),
                });
            }
        }
        for (input, pattern) in self.settings.inputs.clone().iter().enumerate() {
            let Ok(paths) = glob::glob(pattern) else {
                continue;
            };
            for path in paths.flatten() {
                let Ok(meta) = fs::metadata(&path) else {
                    continue;
                };
                if !meta.is_file() {
                    continue;
                }
                let id = FileId {
                    dev: meta.dev(),
                    ino: meta.ino(),
                };
                if let Some(f) = self.files.iter_mut().find(|f| f.id == id) {
                    if f.detached.is_some() && f.path != path {
                        // Renamed to a name that is also tailed: keep reading it there.
                        f.path = path;
                        f.detached = None;
                    }
                    continue;
                }
                let offset = match self.take_restored(&path, id) {
                    Some(o) => Some(o),
                    None if first && !self.resumed && self.settings.start_at == StartAt::End => {
                        None
                    }
                    None => Some(0),
                };
                self.open(path, input, offset, events);
            }
        }
        if first {
            self.reopen_restored_elsewhere(events);
        }
        if rotated {
            self.adopt_missed_rotations(events);
        }
    }

    /// A writer may rotate faster than we look (or while the agent is
    /// down): a file can be created, written and renamed away between two
    /// passes, and no glob names it any more. After each rotation, look
    /// beside every tailed file for rotated siblings (`app.log.1`,
    /// `app.log-20261122`) that changed since `since` and that we have not
    /// read, and read them from their start. Compressed siblings are
    /// copies made later, not new lines.
    fn adopt_missed_rotations(&mut self, events: &mut Vec<TailEvent>) {
        let mut bases: Vec<PathBuf> = self.files.iter().map(|f| f.path.clone()).collect();
        for pattern in &self.settings.inputs {
            if let Ok(paths) = glob::glob(pattern) {
                bases.extend(paths.flatten());
            }
        }
        bases.sort();
        bases.dedup();
        let since = self.since;
        let mut found = Vec::new();
        for base in &bases {
            let (Some(dir), Some(name)) =
                (base.parent(), base.file_name().and_then(|n| n.to_str()))
            else {
                continue;
            };
            let Ok(entries) = fs::read_dir(dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                let Some(other) = path.file_name().and_then(|n| n.to_str()) else {
                    continue;
                };
                let rotated_name = other.len() > name.len()
                    && other.starts_with(name)
                    && other[name.len()..].starts_with(['.', '-', '_'])
                    && ![".gz", ".bz2", ".xz", ".zst", ".zip"]
                        .iter()
                        .any(|e| other.ends_with(e));
                if !rotated_name || self.matched_by_input(&path) {
                    continue;
                }
                let Ok(meta) = fs::metadata(&path) else {
                    continue;
                };
                let changed = std::time::UNIX_EPOCH
                    + Duration::new(meta.ctime().max(0) as u64, meta.ctime_nsec().max(0) as u32);
                let id = FileId {
                    dev: meta.dev(),
                    ino: meta.ino(),
                };
                if !meta.is_file() || changed < since || self.files.iter().any(|f| f.id == id) {
                    continue;
                }
                let Ok(fp) = fs::File::open(&path).and_then(|mut f| file::read_fingerprint(&mut f))
                else {
                    continue;
                };
                if self
                    .released
                    .iter()
                    .any(|(rid, rfp)| *rid == id && *rfp == fp)
                    || found.iter().any(|(_, fid)| *fid == id)
                {
                    continue;
                }
                let input = self.input_of(base);
                found.push(((path, input), id));
            }
        }
        for ((path, input), _) in found {
            if self.open(path, input, Some(0), events) {
                if let Some(f) = self.files.last_mut() {
                    f.detached = Some(Instant::now());
                }
            }
        }
    }

    fn matched_by_input(&self, path: &Path) -> bool {
        self.settings
            .inputs
            .iter()
            .any(|g| glob::Pattern::new(g).is_ok_and(|p| p.matches_path(path)))
    }

    /// The input whose glob matches `path` (the first input if none does).
    fn input_of(&self, path: &Path) -> usize {
        self.settings
            .inputs
            .iter()
            .position(|g| glob::Pattern::new(g).is_ok_and(|p| p.matches_path(path)))
            .unwrap_or(0)
    }

    /// The checkpointed offset of the file at `path`, if its identity and
    /// first bytes are those the checkpoint recorded (a reused inode is a
    /// new file).
    fn take_restored(&mut self, path: &Path, id: FileId) -> Option<u64> {
        let i = self.restored.iter().position(|c| c.id == id)?;
        let entry = self.restored.remove(i);
        let mut file = fs::File::open(path).ok()?;
        let now = checkpoint::Fingerprint::of_prefix(&mut file, entry.fingerprint.len).ok()?;
        (now == entry.fingerprint).then_some(entry.offset)
    }

    /// Checkpointed files no glob matches any more were rotated away while
    /// the agent was down: find each by identity in its directory and read
    /// it to its end; count what cannot be found.
    fn reopen_restored_elsewhere(&mut self, events: &mut Vec<TailEvent>) {
        for entry in std::mem::take(&mut self.restored) {
            let dir = entry.path.parent().unwrap_or(Path::new("."));
            let found = fs::read_dir(dir).ok().and_then(|rd| {
                rd.flatten().map(|e| e.path()).find(|p| {
                    fs::metadata(p)
                        .is_ok_and(|m| m.dev() == entry.id.dev && m.ino() == entry.id.ino)
                        && fs::File::open(p)
                            .and_then(|mut f| {
                                checkpoint::Fingerprint::of_prefix(&mut f, entry.fingerprint.len)
                            })
                            .is_ok_and(|fp| fp == entry.fingerprint)
                })
            });
            match found {
                Some(path) => {
                    let input = self.input_of(&entry.path);
                    if self.open(path, input, Some(entry.offset), events) {
                        if let Some(f) = self.files.last_mut() {
                            f.detached = Some(Instant::now());
                        }
                    }
                }
                None => {
                    let bytes = entry.size_seen.saturating_sub(entry.offset);
                    if bytes > 0 {
                        *self
                            .counters
                            .bytes_abandoned
                            .entry("deleted_before_read".into())
                            .or_default() += bytes;
                        events.push(TailEvent::Abandoned {
                            path: entry.path,
                            bytes,
                            reason: "deleted_before_read",
                        });
                    }
                }
            }
        }
    }

    fn open(
        &mut self,
        path: PathBuf,
        input: usize,
        offset: Option<u64>,
        events: &mut Vec<TailEvent>,
    ) -> bool {
        match TailedFile::open(
            path.clone(),
            input,
            offset,
            self.matcher,
            self.settings.max_line_bytes,
        ) {
            Ok(f) => {
                events.push(TailEvent::Opened {
                    path,
                    offset: f.offset,
                });
                self.files.push(f);
                true
            }
            Err(e) => {
                events.push(TailEvent::Error {
                    path,
                    error: e.to_string(),
                });
                false
            }
        }
    }

    /// Reads every open file; closes detached files read to their end.
    /// Returns true when some file may have more to read right away.
    pub fn read_all<S: SourceAware>(&mut self, sink: &mut S, events: &mut Vec<TailEvent>) -> bool {
        let mut more = false;
        let flush = self.settings.partial_line_flush;
        let mut i = 0;
        while i < self.files.len() {
            let f = &mut self.files[i];
            sink.set_source(&f.path.to_string_lossy());
            match f.read_new(&mut self.buf, flush, sink) {
                Ok(outcome) => {
                    self.counters.lines_by_input[f.input] += outcome.lines;
                    self.counters.bytes_by_input[f.input] += outcome.bytes;
                    if outcome.truncated_lost > 0 {
                        *self
                            .counters
                            .bytes_abandoned
                            .entry("truncated".into())
                            .or_default() += outcome.truncated_lost;
                        events.push(TailEvent::Abandoned {
                            path: f.path.clone(),
                            bytes: outcome.truncated_lost,
                            reason: "truncated",
                        });
                    }
                    more |= !outcome.at_eof;
                    if outcome.at_eof && f.detached.is_some_and(|t| t.elapsed() >= DETACHED_GRACE) {
                        f.finish(sink);
                        self.counters.released_stats.add(f.stats());
                        self.counters.released_eval += f.eval_time;
                        if self.released.len() >= RELEASED_MEMORY {
                            self.released.pop_front();
                        }
                        self.released.push_back((f.id, f.fingerprint));
                        events.push(TailEvent::Released {
                            path: f.path.clone(),
                        });
                        self.files.swap_remove(i);
                        continue;
                    }
                }
                Err(e) => {
                    events.push(TailEvent::Error {
                        path: f.path.clone(),
                        error: e.to_string(),
                    });
                }
            }
            i += 1;
        }
        more
    }

    /// Where every open file was read to.
    pub fn file_checkpoints(&self) -> Vec<FileCheckpoint> {
        self.files.iter().map(TailedFile::checkpoint).collect()
    }
}
