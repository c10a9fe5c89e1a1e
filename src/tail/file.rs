//! One tailed file: its open handle, identity, framing cursor, what it
//! looked like when last seen, and the downstream state it carries.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use memchr::memrchr;

use super::checkpoint::{FileCheckpoint, FileId, Fingerprint, FINGERPRINT_BYTES};
use super::FileSink;
use crate::framing::{Cursor, Framer};

pub struct TailedFile<T> {
    /// The path it was found at (it may since have been renamed away).
    pub path: PathBuf,
    /// Index of the configured input (glob) it was found by.
    pub input: usize,
    file: File,
    pub id: FileId,
    pub fingerprint: Fingerprint,
    cursor: Cursor,
    /// Size and modification time when last looked at: a file that shows
    /// the same is not read again.
    size_seen: u64,
    mtime_seen: (i64, i64),
    /// Since when the file has been at its end with a line unfinished.
    partial_since: Option<Instant>,
    /// Since when the path no longer leads to this file (renamed or
    /// deleted): it is read to its end, then let go once idle.
    pub detached: Option<Instant>,
    /// When bytes were last read from it.
    last_data: Instant,
    /// Truncated in place since the last read: downstream finishes what it
    /// holds of the old content before the new is read.
    truncated: bool,
    /// The file's path with symlinks resolved: where change notification
    /// reports its writes.
    pub real_path: PathBuf,
    /// When to look at the file next without a change notification; the
    /// wait doubles (up to [`Timing::idle_check_max`]) while it stays idle.
    next_check: Instant,
    idle_wait: Duration,
    /// What the reader downstream keeps about this file.
    pub state: T,
}

/// What one read pass over a file found.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ReadOutcome {
    pub bytes: u64,
    /// The file was truncated in place: what it was before (its first
    /// bytes, how far it was read, its size when last seen), so that its
    /// copy is known.
    pub truncated: Option<(Fingerprint, u64, u64)>,
    pub at_eof: bool,
}

/// When a file's unfinished last line is read as a line, when a detached
/// file is let go, and how often idle files are looked at.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    pub partial_line_flush: Duration,
    pub rotate_wait: Duration,
    /// The wait before an idle file is looked at again, at first.
    pub poll_interval: Duration,
    /// The longest an idle file goes unchecked when no change
    /// notification names it.
    pub idle_check_max: Duration,
}

impl<T> TailedFile<T> {
    /// Takes `file`, opened from `path`, and positions it at `start`
    /// (clamped to the size); `None` starts after the last whole line.
    pub fn open(
        path: PathBuf,
        mut file: File,
        input: usize,
        start: Option<Cursor>,
        state: T,
    ) -> io::Result<TailedFile<T>> {
        let meta = file.metadata()?;
        let fingerprint = Fingerprint::of_file(&file, FINGERPRINT_BYTES as u32)?;
        let cursor = match start {
            Some(c) if c.offset() <= meta.len() => c,
            Some(_) => Cursor::at(meta.len()),
            // Starting at the end of a file means starting after its last
            // whole line, not in the middle of one.
            None => Cursor::at(line_start_before(&mut file, meta.len())?),
        };
        file.seek(SeekFrom::Start(cursor.read_to()))?;
        let real_path = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        Ok(TailedFile {
            real_path,
            next_check: Instant::now(),
            idle_wait: Duration::ZERO,
            path,
            input,
            id: FileId {
                dev: meta.dev(),
                ino: meta.ino(),
            },
            file,
            fingerprint,
            cursor,
            // Unseen, so that the first pass looks.
            size_seen: u64::MAX,
            mtime_seen: (0, 0),
            partial_since: None,
            detached: None,
            last_data: Instant::now(),
            truncated: false,
            state,
        })
    }

    /// Where a restart resumes: the start of the first line not yet read,
    /// or `held`, the start of a record downstream has not finished.
    pub fn checkpoint(&self, held: Option<u64>) -> FileCheckpoint {
        let offset = self.cursor.offset();
        match held {
            Some(held) if held < offset => FileCheckpoint {
                offset: held,
                skipping: false,
                ..self.checkpoint(None)
            },
            _ => FileCheckpoint {
                path: self.path.clone(),
                id: self.id,
                fingerprint: self.fingerprint,
                offset,
                size_seen: self.size(),
                skipping: self.cursor.is_skipping(),
                real_path: (self.real_path != self.path).then(|| self.real_path.clone()),
            },
        }
    }

    /// Where reading starts after a restart (the start of the first line
    /// not yet read).
    pub fn offset(&self) -> u64 {
        self.cursor.offset()
    }

    /// The size when last looked at.
    pub fn size(&self) -> u64 {
        if self.size_seen == u64::MAX {
            self.cursor.read_to()
        } else {
            self.size_seen
        }
    }

    /// Bytes between the read position and the end, when last looked at.
    pub fn bytes_behind(&self) -> u64 {
        self.size().saturating_sub(self.cursor.read_to())
    }

    /// Bytes of a last line read without its newline yet.
    pub fn unfinished_line(&self) -> u64 {
        self.cursor.pending() as u64
    }

    /// Bytes framed from this file since it was opened.
    pub fn consumed(&self) -> u64 {
        self.cursor.consumed()
    }

    /// Reads what was appended since the last call (up to about `budget`
    /// bytes) and hands every whole line to `sink`; a final line without
    /// its newline waits for it, or for the flush timeout. A file whose size
    /// and modification time have not changed costs one `fstat`.
    pub fn read_new<S: FileSink<T>>(
        &mut self,
        held: fn(&T) -> Option<u64>,
        framer: &mut Framer,
        timing: Timing,
        budget: u64,
        sink: &mut S,
    ) -> io::Result<ReadOutcome> {
        let mut outcome = ReadOutcome::default();
        let (size, changed, truncated) = self.look(held)?;
        outcome.truncated = truncated;
        if std::mem::take(&mut self.truncated) {
            sink.truncated(&self.path, &mut self.state);
        }
        if changed || self.cursor.read_to() < size {
            self.file.seek(SeekFrom::Start(self.cursor.read_to()))?;
            loop {
                let (path, state) = (&self.path, &mut self.state);
                let n = framer.read(&mut self.cursor, &mut self.file, |chunk| {
                    sink.chunk(path, state, chunk)
                })?;
                outcome.bytes += n as u64;
                if n == 0 {
                    break;
                }
                self.partial_since = None;
                self.last_data = Instant::now();
                if outcome.bytes >= budget {
                    return Ok(outcome);
                }
            }
        }
        outcome.at_eof = true;
        if self.cursor.pending() > 0 {
            let since = *self.partial_since.get_or_insert_with(Instant::now);
            if since.elapsed() >= timing.partial_line_flush || self.released(timing) {
                // A writer that never ends its last line, or a file that
                // will get no more: the partial line is a line.
                let (path, state) = (&self.path, &mut self.state);
                framer.flush(&mut self.cursor, |chunk| sink.chunk(path, state, chunk));
            }
        }
        sink.at_end(&self.path, &mut self.state);
        Ok(outcome)
    }

    /// Looks at the file: its size, whether it changed since the last
    /// look, and whether it was truncated in place (copytruncate), perhaps
    /// already written past our position again: the size shrank, or the
    /// first bytes changed. A truncated file is read again from 0; what it
    /// was before is returned (first bytes, how far it was read, its size
    /// when last seen), since what was written after our last read and
    /// before the truncation is only in its copy, if there is one.
    ///
    /// `held` is where downstream holds an unfinished record of the file:
    /// its copy is read on from there, or from the first line not yet read.
    #[allow(clippy::type_complexity)]
    pub fn look(
        &mut self,
        held: fn(&T) -> Option<u64>,
    ) -> io::Result<(u64, bool, Option<(Fingerprint, u64, u64)>)> {
        let meta = self.file.metadata()?;
        let (size, mtime) = (meta.len(), (meta.mtime(), meta.mtime_nsec()));
        let changed = size != self.size_seen || mtime != self.mtime_seen;
        let mut truncated = None;
        if changed {
            let read_to = self.cursor.read_to();
            let rewritten = size < read_to || {
                let now = Fingerprint::of_file(&self.file, self.fingerprint.len)?;
                now.len == self.fingerprint.len && now != self.fingerprint
            };
            if rewritten {
                let resume =
                    held(&self.state).map_or(self.cursor.offset(), |h| h.min(self.cursor.offset()));
                truncated = Some((self.fingerprint, resume, self.size()));
                self.truncated = true;
                // Its copy is read from `resume`: what lies after it was
                // read here and counts there.
                self.cursor.restart(0, read_to - resume);
                self.partial_since = None;
                self.fingerprint = Fingerprint::of_file(&self.file, FINGERPRINT_BYTES as u32)?;
            } else if self.fingerprint.len < FINGERPRINT_BYTES as u32
                && size > u64::from(self.fingerprint.len)
            {
                self.fingerprint = Fingerprint::of_file(&self.file, FINGERPRINT_BYTES as u32)?;
            }
            self.size_seen = size;
            self.mtime_seen = mtime;
        }
        Ok((size, changed, truncated))
    }

    /// Whether the file begins with `head` (a copy of it would).
    pub fn starts_with(&self, head: &[u8]) -> bool {
        if head.is_empty() {
            return false;
        }
        let mut mine = [0u8; FINGERPRINT_BYTES];
        let mine = &mut mine[..head.len().min(FINGERPRINT_BYTES)];
        read_head(&self.file, mine).is_ok_and(|n| n == head.len() && *mine == *head)
    }

    /// Whether the file is to be read in this pass: a change notification
    /// named it, it has more to read or a timer running, or it has been
    /// idle for its current wait.
    pub fn due(&self, notified: bool, now: Instant) -> bool {
        notified
            || now >= self.next_check
            || self.cursor.pending() > 0
            || self.detached.is_some()
            || self.truncated
    }

    /// Sets when to look next: at once while data comes, then after waits
    /// that double while the file stays idle.
    pub fn schedule(&mut self, outcome: &ReadOutcome, timing: Timing, now: Instant) {
        self.idle_wait = if outcome.bytes > 0 || !outcome.at_eof {
            Duration::ZERO
        } else {
            (self.idle_wait * 2)
                .max(timing.poll_interval)
                .min(timing.idle_check_max)
        };
        self.next_check = now + self.idle_wait;
    }

    /// Whether a detached file has had its `rotate_wait` for late writes:
    /// that long since it was detached and since its last bytes were read.
    pub fn released(&self, timing: Timing) -> bool {
        self.detached.is_some_and(|t| {
            t.elapsed() >= timing.rotate_wait && self.last_data.elapsed() >= timing.rotate_wait
        })
    }
}

impl Fingerprint {
    /// The fingerprint of a file's first `len` bytes (fewer if it is
    /// shorter), read without moving the file position.
    pub fn of_file(file: &File, len: u32) -> io::Result<Fingerprint> {
        let mut head = [0u8; FINGERPRINT_BYTES];
        let want = (len as usize).min(FINGERPRINT_BYTES);
        let n = read_head(file, &mut head[..want])?;
        Ok(Fingerprint::of(&head[..n]))
    }
}

/// Reads a file's first bytes into `buf` without moving its position;
/// returns how many there were (fewer than `buf` when the file is shorter).
pub fn read_head(file: &File, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read_at(&mut buf[n..], n as u64) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// The start of the line that `pos` falls in: the byte after the last
/// newline before it (0 when there is none in the last 64 KiB).
fn line_start_before(file: &mut File, pos: u64) -> io::Result<u64> {
    let from = pos.saturating_sub(64 * 1024);
    let mut tail = vec![0u8; (pos - from) as usize];
    file.seek(SeekFrom::Start(from))?;
    file.read_exact(&mut tail)?;
    Ok(match memrchr(b'\n', &tail) {
        Some(i) => from + i as u64 + 1,
        None if from == 0 => 0,
        None => pos,
    })
}

impl<T> std::fmt::Debug for TailedFile<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TailedFile")
            .field("path", &self.path)
            .field("id", &self.id)
            .field("offset", &self.cursor.offset())
            .field("detached", &self.detached)
            .finish()
    }
}
