//! Tailing files: find them by glob, follow them through rotation
//! (rename-and-create, copytruncate, symlink swaps), read what is appended
//! through the shared framer, and say where each was read to.
//!
//! The tailer is a source and nothing more: it hands each file's chunks,
//! with the state the reader downstream keeps for that file, to a
//! [`FileSink`]. Everything here runs on the reading thread; nothing blocks
//! but file I/O. How rotation is told apart:
//! - a path whose device+inode changed, or vanished, had its file renamed
//!   or deleted: the old file (still open) is read to its end and closed
//!   once nothing was written to it for `rotate_wait`; it is then
//!   remembered as finished (identity, first bytes, length), in the
//!   checkpoint too;
//! - after a rotation, and at start-up, rotated siblings of each tailed
//!   file (`app.log.1`, `app.log-20261122`) that are neither open nor
//!   finished were rotated before we saw them and are read from their
//!   start; a numbered shift renames a finished file, which keeps its
//!   identity and is not read again;
//! - a file whose size fell below the read position, or whose first bytes
//!   changed, was truncated in place: reading restarts at 0;
//! - a file first seen after start-up is read from its beginning, since it
//!   was created while we watched; at start-up, files with a checkpoint
//!   resume there, files a checkpoint does not know start at the beginning
//!   (they appeared while the agent was down), and only on a first start
//!   without any checkpoint do files start at `start_at`.
//!
//! What a pass costs when nothing was written: one `fstat` per open file.
//! Globs are expanded again (a directory listing and a `stat` per entry)
//! only when change notification reports a file created, renamed or
//! removed, and otherwise every `glob_interval`.

pub mod checkpoint;
mod discover;
mod file;

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{Duration, Instant};

use checkpoint::{FileCheckpoint, FileId, Fingerprint};
use file::{TailedFile, Timing};

use crate::framing::{Chunk, Framer};

/// Where to start a file seen for the first time at start-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StartAt {
    Beginning,
    End,
}

impl FromStr for StartAt {
    type Err = String;
    fn from_str(s: &str) -> Result<StartAt, String> {
        match s {
            "beginning" => Ok(StartAt::Beginning),
            "end" => Ok(StartAt::End),
            _ => Err(format!(
                "`{s}` is not a start position: use beginning or end"
            )),
        }
    }
}

#[derive(Debug, Clone)]
pub struct TailSettings {
    /// Glob patterns, one per input; checked at start-up.
    pub inputs: Vec<glob::Pattern>,
    pub start_at: StartAt,
    /// A last line without its newline counts as a line after this long.
    pub partial_line_flush: Duration,
    /// Globs are expanded again at least this often when no change
    /// notification says a file appeared or went.
    pub glob_interval: Duration,
    /// The first wait before an idle file is looked at again.
    pub poll_interval: Duration,
    /// A renamed or deleted file is let go once it has been read to its
    /// end and nothing was written to it for this long: a writer may
    /// append to it until it reopens its log.
    pub rotate_wait: Duration,
}

/// The longest an idle file goes unchecked when change notification does
/// not name it (a filesystem that sends no events, a file behind a symlink
/// into an unwatched directory).
pub const IDLE_CHECK_MAX: Duration = Duration::from_secs(1);

/// Where read data goes: one call per chunk, with the state kept for the
/// file it came from, and one call when a file is let go.
pub trait FileSink<T> {
    fn chunk(&mut self, path: &Path, state: &mut T, chunk: Chunk<'_>);

    /// `file` was read to its end and closed; `consumed` is the bytes read
    /// from it.
    fn released(&mut self, file: &Path, input: usize, consumed: u64, state: T);

    /// The file was read to its current end: nothing more is there now.
    fn at_end(&mut self, _path: &Path, _state: &mut T) {}

    /// The file was truncated in place: what downstream held of its old
    /// content is dropped, as its copy is read on from the start of it.
    fn truncated(&mut self, _path: &Path, _state: &mut T) {}
}

/// An open file, as [`Tailer::files`] shows it.
pub struct OpenFile<'a, T> {
    /// The configured input it was found by.
    pub input: usize,
    pub path: &'a Path,
    /// Bytes between the read position and its end, when last looked at.
    pub bytes_behind: u64,
    /// Bytes framed from it since it was opened.
    pub consumed: u64,
    /// The start of the first line not yet framed.
    pub offset: u64,
    /// Bytes of a last line read without its newline yet: a restart
    /// reads them again from `offset`.
    pub unfinished_line: u64,
    pub state: &'a T,
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
    /// A file could not be opened or read, or a directory a glob names
    /// could not be listed; tried again on the next pass or discovery.
    Error {
        path: PathBuf,
        /// The configured input the file belongs to.
        input: usize,
        /// What failed: `open`, `read` or `list`.
        operation: &'static str,
        error: String,
    },
}

/// Bytes read from all files in one pass (and from stdin in another), so
/// that a backlog cannot keep publishing, checkpoints, change notification
/// and shutdown waiting.
pub const PASS_BYTES: u64 = 4 * 1024 * 1024;

/// Finished files remembered at most; the oldest are forgotten first, and
/// files that no longer exist are forgotten when their directory is next
/// listed.
const FINISHED_MEMORY: usize = 4096;

pub struct Tailer<T> {
    settings: TailSettings,
    files: Vec<TailedFile<T>>,
    /// Checkpoint entries not yet matched to an open file (start-up only).
    restored: Vec<FileCheckpoint>,
    /// Resumed from a checkpoint: a file it does not know appeared since,
    /// and is read from its beginning whatever `start_at` says.
    resumed: bool,
    /// Files that need no more reading, with how far they were read:
    /// rotated files read to their end and let go, and rotated files that
    /// were already there when tailing first began. A rotated sibling
    /// found later (`app.log.2` after a shift) is recognised here by
    /// identity and first bytes, never by its timestamps; one that is
    /// neither here nor open was never read. Checkpointed. `None` until
    /// the first discovery when resuming from a checkpoint written before
    /// this list was kept: the siblings then found become its history.
    finished: Option<VecDeque<FileCheckpoint>>,
    last_glob: Option<Instant>,
    /// Finished files that recent listings of their directory missed, and
    /// how many times in a row.
    misses: HashMap<(FileId, Fingerprint), (u8, Instant)>,
    /// A file was truncated in place: look for its copy at the next
    /// discovery.
    look_for_copies: bool,
    /// Bytes given up, by reason (`truncated`, `deleted_before_read`).
    bytes_abandoned: BTreeMap<String, u64>,
    /// Where the last pass started in `files`.
    first_in_pass: usize,
    /// Where downstream holds an unfinished record of a file (its first
    /// byte), which a checkpoint or a copy must resume at.
    held: fn(&T) -> Option<u64>,
}

impl<T: Default> Tailer<T> {
    pub fn new(settings: TailSettings) -> Self {
        Tailer {
            settings,
            files: Vec::new(),
            restored: Vec::new(),
            resumed: false,
            finished: None,
            last_glob: None,
            misses: HashMap::new(),
            look_for_copies: false,
            bytes_abandoned: BTreeMap::new(),
            first_in_pass: 0,
            held: |_| None,
        }
    }

    /// Takes new timings (a reload); the globs stay those of the start.
    pub fn retime(&mut self, settings: TailSettings) {
        debug_assert_eq!(settings.inputs, self.settings.inputs);
        self.settings = settings;
    }

    /// Tells where downstream holds an unfinished record of a file.
    pub fn with_held(mut self, held: fn(&T) -> Option<u64>) -> Self {
        self.held = held;
        self
    }

    /// Resumes from a checkpoint: its open files are matched on the first
    /// discovery, its finished files are not read again.
    pub fn restore(
        &mut self,
        files: Vec<FileCheckpoint>,
        finished: Option<Vec<FileCheckpoint>>,
        bytes_abandoned: &[(String, u64)],
    ) {
        self.restored = files;
        self.resumed = true;
        self.finished = finished.map(VecDeque::from);
        self.bytes_abandoned = bytes_abandoned.iter().cloned().collect();
    }

    /// The directories that hold the open files, symlinks resolved: where
    /// change notification reports their writes.
    pub fn file_dirs(&self) -> impl Iterator<Item = &Path> {
        self.files.iter().filter_map(|f| f.real_path.parent())
    }

    /// Files open now (detached ones being read to their end included).
    pub fn files_tailed(&self) -> usize {
        self.files.len()
    }

    /// Each open file, as the reader downstream sees it.
    pub fn files(&self) -> impl Iterator<Item = OpenFile<'_, T>> {
        self.files.iter().map(|f| OpenFile {
            input: f.input,
            path: f.path.as_path(),
            bytes_behind: f.bytes_behind(),
            consumed: f.consumed(),
            offset: f.offset(),
            unfinished_line: f.unfinished_line(),
            state: &f.state,
        })
    }

    /// Each open file's path and downstream state, to change how it is
    /// read from here on (a reload).
    pub fn states_mut(&mut self) -> impl Iterator<Item = (&Path, &mut T)> {
        self.files
            .iter_mut()
            .map(|f| (f.path.as_path(), &mut f.state))
    }

    /// Bytes given up, by reason.
    pub fn bytes_abandoned(&self) -> Vec<(String, u64)> {
        self.bytes_abandoned
            .iter()
            .map(|(k, v)| (k.clone(), *v))
            .collect()
    }

    fn abandon(
        &mut self,
        path: PathBuf,
        bytes: u64,
        reason: &'static str,
        events: &mut Vec<TailEvent>,
    ) {
        if bytes > 0 {
            *self.bytes_abandoned.entry(reason.into()).or_default() += bytes;
            events.push(TailEvent::Abandoned {
                path,
                bytes,
                reason,
            });
        }
    }

    /// Reads the open files that are due: those `notified` names (real
    /// paths), those with more to read or a timer running, and idle ones
    /// whose wait is over (`None`: every file). Closes detached files read
    /// to their end. Returns true when some file may have more to read
    /// right away.
    pub fn read_all<S: FileSink<T>>(
        &mut self,
        framer: &mut Framer,
        sink: &mut S,
        notified: Option<&HashSet<PathBuf>>,
        events: &mut Vec<TailEvent>,
    ) -> bool {
        let timing = Timing {
            partial_line_flush: self.settings.partial_line_flush,
            rotate_wait: self.settings.rotate_wait,
            poll_interval: self.settings.poll_interval,
            idle_check_max: IDLE_CHECK_MAX,
        };
        let now = Instant::now();
        let mut more = false;
        let mut budget = PASS_BYTES;
        let mut done = Vec::new();
        // Each pass starts one file further, so that a budget spent early
        // does not always leave the same files for later.
        let n = self.files.len();
        self.first_in_pass = self.first_in_pass.wrapping_add(1);
        for k in 0..n {
            if budget == 0 {
                more = true;
                break;
            }
            let i = (self.first_in_pass + k) % n;
            let f = &mut self.files[i];
            if !f.due(notified.is_none_or(|n| n.contains(&f.real_path)), now) {
                continue;
            }
            match f.read_new(self.held, framer, timing, budget, sink) {
                Ok(outcome) => {
                    f.schedule(&outcome, timing, now);
                    budget = budget.saturating_sub(outcome.bytes);
                    more |= !outcome.at_eof;
                    if let Some(before) = outcome.truncated {
                        let path = f.path.clone();
                        self.truncated(path, before);
                    }
                    if outcome.at_eof && self.files[i].released(timing) {
                        done.push(i);
                    }
                }
                Err(e) => events.push(TailEvent::Error {
                    path: f.path.clone(),
                    input: f.input,
                    operation: "read",
                    error: e.to_string(),
                }),
            }
        }
        // Highest index first: `swap_remove` moves only files already seen.
        done.sort_unstable();
        for i in done.into_iter().rev() {
            let f = self.files.swap_remove(i);
            self.release(f, sink, events);
        }
        more
    }

    fn release<S: FileSink<T>>(
        &mut self,
        f: TailedFile<T>,
        sink: &mut S,
        events: &mut Vec<TailEvent>,
    ) {
        self.remember_finished(f.checkpoint(None));
        events.push(TailEvent::Released {
            path: f.path.clone(),
        });
        let consumed = f.consumed();
        sink.released(&f.path, f.input, consumed, f.state);
    }

    /// Where every open file was read to; `held` tells where the reader
    /// downstream still holds an unfinished record that began earlier.
    /// Entries restored but not looked for yet (no discovery since the
    /// start) still stand.
    pub fn file_checkpoints(&self) -> Vec<FileCheckpoint> {
        self.files
            .iter()
            .map(|f| f.checkpoint((self.held)(&f.state)))
            .chain(self.restored.iter().cloned())
            .collect()
    }

    /// The files that need no more reading, for the checkpoint.
    pub fn finished_checkpoints(&self) -> Vec<FileCheckpoint> {
        self.finished
            .as_ref()
            .map_or_else(Vec::new, |f| f.iter().cloned().collect())
    }

    /// A file was truncated in place (copytruncate): its copy, found beside
    /// it by its first bytes, is read from where the file was read to.
    fn truncated(
        &mut self,
        path: PathBuf,
        (fingerprint, read, size_seen): (Fingerprint, u64, u64),
    ) {
        self.remember_finished(FileCheckpoint {
            path,
            id: checkpoint::COPIED,
            fingerprint,
            offset: read,
            size_seen,
            skipping: false,
            real_path: None,
        });
        self.look_for_copies = true;
    }

    fn remember_finished(&mut self, entry: FileCheckpoint) {
        let finished = self.finished.get_or_insert_with(VecDeque::new);
        if entry.id != checkpoint::COPIED {
            finished.retain(|f| f.id != entry.id);
        }
        if finished.len() >= FINISHED_MEMORY {
            finished.pop_front();
        }
        finished.push_back(entry);
    }
}
