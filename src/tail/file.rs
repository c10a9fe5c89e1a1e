//! One tailed file: its open handle, identity, position, the partial line
//! at its end, and its own scanner (envelope, CRI partials).

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use memchr::{memchr, memrchr};

use super::checkpoint::{FileCheckpoint, FileId, Fingerprint, FINGERPRINT_BYTES};
use crate::matcher::{Matcher, Scanner};
use crate::sink::MatchSink;

/// Bytes read from a file per read call.
const READ_BYTES: usize = 256 * 1024;

/// How long a renamed or deleted file is still read after it was detached:
/// a writer may append to it until it reopens its log.
pub const DETACHED_GRACE: Duration = Duration::from_secs(1);

/// Bytes read from one file per pass, so that one busy file cannot keep
/// the others (and checkpoints) waiting.
const PASS_BYTES: u64 = 4 * 1024 * 1024;

pub struct TailedFile<'m> {
    /// The path it was found at (it may since have been renamed away).
    pub path: PathBuf,
    /// Index of the configured input (glob) it was found by.
    pub input: usize,
    file: File,
    pub id: FileId,
    pub fingerprint: Fingerprint,
    /// Start of the first line not yet processed.
    pub offset: u64,
    /// The file's size when last looked at.
    pub size_seen: u64,
    /// Bytes after `offset` already read: a line whose newline has not come.
    partial: Vec<u8>,
    partial_since: Option<Instant>,
    /// Skipping the rest of a line longer than the cap.
    skipping: bool,
    /// Since when the path no longer leads to this file (renamed or
    /// deleted): it is read to its end, then let go.
    pub detached: Option<Instant>,
    scanner: Scanner<'m>,
    max_line_bytes: usize,
    /// Time spent scanning this file's lines.
    pub eval_time: Duration,
}

/// What one read pass over a file found.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ReadOutcome {
    pub bytes: u64,
    pub lines: u64,
    /// Bytes written after the last read and given up because the file
    /// was truncated under the reader.
    pub truncated_lost: u64,
    pub at_eof: bool,
}

impl<'m> TailedFile<'m> {
    /// Opens `path` and positions it at `offset` (clamped to the size).
    pub fn open(
        path: PathBuf,
        input: usize,
        offset: Option<u64>,
        matcher: &'m Matcher,
        max_line_bytes: usize,
    ) -> io::Result<TailedFile<'m>> {
        let mut file = File::open(&path)?;
        let meta = file.metadata()?;
        let id = FileId {
            dev: meta.dev(),
            ino: meta.ino(),
        };
        let fingerprint = read_fingerprint(&mut file)?;
        let start = offset.unwrap_or(meta.len()).min(meta.len());
        // Starting at the end of a file means starting after its last
        // whole line, not in the middle of one.
        let start = if offset.is_none() {
            line_start_before(&mut file, start)?
        } else {
            start
        };
        file.seek(SeekFrom::Start(start))?;
        Ok(TailedFile {
            path,
            input,
            file,
            id,
            fingerprint,
            offset: start,
            size_seen: meta.len(),
            partial: Vec::new(),
            partial_since: None,
            skipping: false,
            detached: None,
            scanner: Scanner::new(matcher, None, max_line_bytes),
            max_line_bytes,
            eval_time: Duration::ZERO,
        })
    }

    pub fn checkpoint(&self) -> FileCheckpoint {
        FileCheckpoint {
            path: self.path.clone(),
            id: self.id,
            fingerprint: self.fingerprint,
            offset: self.offset,
            size_seen: self.size_seen,
        }
    }

    /// Reads what was appended since the last call and scans every whole
    /// line; a final line without its newline waits for it, or for
    /// `flush_after` to pass. `buf` is scratch shared by all files.
    pub fn read_new<S: MatchSink>(
        &mut self,
        buf: &mut Vec<u8>,
        flush_after: Duration,
        sink: &mut S,
    ) -> io::Result<ReadOutcome> {
        let mut outcome = ReadOutcome::default();
        let meta = self.file.metadata()?;
        let read_to = self.offset + self.partial.len() as u64;
        // Truncated under us (copytruncate), perhaps already written past
        // our position again: the size shrank, or the first bytes changed.
        let rewritten = meta.len() < read_to || {
            let now = Fingerprint::of_prefix(&mut self.file, self.fingerprint.len)?;
            now.len == self.fingerprint.len && now != self.fingerprint
        };
        if rewritten {
            // What was written after our last read and before the
            // truncation is gone.
            outcome.truncated_lost = self.size_seen.saturating_sub(read_to);
            self.restart_from_zero()?;
        }
        self.file
            .seek(SeekFrom::Start(self.offset + self.partial.len() as u64))?;
        self.size_seen = meta.len();
        if self.fingerprint.len < FINGERPRINT_BYTES as u32
            && meta.len() > u64::from(self.fingerprint.len)
        {
            self.fingerprint = read_fingerprint(&mut self.file)?;
            self.file
                .seek(SeekFrom::Start(self.offset + self.partial.len() as u64))?;
        }
        loop {
            buf.clear();
            buf.extend_from_slice(&self.partial);
            let have = buf.len();
            buf.resize(have + READ_BYTES, 0);
            let n = loop {
                match self.file.read(&mut buf[have..]) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                }
            };
            buf.truncate(have + n);
            outcome.bytes += n as u64;
            if n == 0 {
                outcome.at_eof = true;
                self.partial_since.get_or_insert_with(Instant::now);
                let waited = self
                    .partial_since
                    .is_some_and(|t| t.elapsed() >= flush_after);
                let released = self.detached.is_some_and(|t| t.elapsed() >= DETACHED_GRACE);
                if !self.partial.is_empty() && (waited || released) {
                    // A writer that never ends its last line, or a file that
                    // will get no more: the partial line is a line.
                    let line = std::mem::take(&mut self.partial);
                    outcome.lines += self.scan_lines(&line, sink);
                }
                return Ok(outcome);
            }
            self.partial_since = None;
            self.partial.clear();
            let data = &buf[..];
            outcome.lines += self.consume(data, sink);
            if outcome.bytes >= PASS_BYTES {
                return Ok(outcome);
            }
        }
    }

    /// Scans the whole lines of `data` (which starts at `offset`), keeps the
    /// unfinished tail as the partial line, and handles lines over the cap.
    fn consume<S: MatchSink>(&mut self, mut data: &[u8], sink: &mut S) -> u64 {
        let mut lines = 0;
        if self.skipping {
            match memchr(b'\n', data) {
                Some(i) => {
                    self.offset += i as u64 + 1;
                    data = &data[i + 1..];
                    self.skipping = false;
                }
                None => {
                    self.offset += data.len() as u64;
                    return 0;
                }
            }
        }
        if let Some(last) = memrchr(b'\n', data) {
            lines += self.scan_lines(&data[..=last], sink);
            data = &data[last + 1..];
        }
        if data.len() > self.max_line_bytes {
            let offset = self.offset;
            self.scanner
                .scan_oversized(&data[..self.max_line_bytes], offset, sink);
            lines += 1;
            self.offset += data.len() as u64;
            self.skipping = true;
        } else {
            self.partial.extend_from_slice(data);
        }
        lines
    }

    fn scan_lines<S: MatchSink>(&mut self, lines: &[u8], sink: &mut S) -> u64 {
        let before = self.scanner.stats.lines;
        let start = Instant::now();
        self.scanner.scan_block(lines, self.offset, sink);
        self.eval_time += start.elapsed();
        self.offset += lines.len() as u64;
        self.scanner.stats.lines - before
    }

    fn restart_from_zero(&mut self) -> io::Result<()> {
        self.file.seek(SeekFrom::Start(0))?;
        self.offset = 0;
        self.partial.clear();
        self.partial_since = None;
        self.skipping = false;
        self.fingerprint = read_fingerprint(&mut self.file)?;
        self.file.seek(SeekFrom::Start(0))?;
        Ok(())
    }

    /// What the scanner counted in this file so far.
    pub fn stats(&self) -> &crate::matcher::ScanStats {
        &self.scanner.stats
    }

    /// Flushes a CRI line whose last part never came, before letting go.
    pub fn finish<S: MatchSink>(&mut self, sink: &mut S) {
        self.scanner.finish(sink);
    }
}

/// The fingerprint of a file's first bytes. Moves the file position: the
/// caller seeks afterwards.
pub fn read_fingerprint(file: &mut File) -> io::Result<Fingerprint> {
    Fingerprint::of_prefix(file, FINGERPRINT_BYTES as u32)
}

impl Fingerprint {
    /// The fingerprint of a file's first `len` bytes (fewer if it is
    /// shorter). Moves the file position.
    pub fn of_prefix(file: &mut File, len: u32) -> io::Result<Fingerprint> {
        let mut head = [0u8; FINGERPRINT_BYTES];
        let want = (len as usize).min(FINGERPRINT_BYTES);
        file.seek(SeekFrom::Start(0))?;
        let mut n = 0;
        while n < want {
            match file.read(&mut head[n..want])? {
                0 => break,
                k => n += k,
            }
        }
        Ok(Fingerprint::of(&head[..n]))
    }
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

impl std::fmt::Debug for TailedFile<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TailedFile")
            .field("path", &self.path)
            .field("id", &self.id)
            .field("offset", &self.offset)
            .field("detached", &self.detached)
            .finish()
    }
}
