//! The match output of run mode: a file, or stdout.
//!
//! Records of a pass are collected in memory and written at its end. To a
//! regular file the output is exactly once: the checkpoint records the
//! file's length after a complete write, and a restart truncates the file
//! back to that length before reading resumes from the same checkpoint, so
//! records written after it (and a record torn by a crash) are written
//! again once. To stdout or a pipe it is at least once.
//!
//! A failed write keeps what was not written and is tried again on the
//! next pass; while anything is pending the agent writes no checkpoint
//! (which would claim those records written). Pending records are capped,
//! so that the agent's whole resident memory stays within its container's
//! limit while the output is blocked (a full disk): past the cap, records
//! are dropped and counted, and the output is no longer complete.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::PathBuf;

use crate::output::MatchWriter;
use crate::sink::{Match, MatchSink, Source};

/// Bytes of records kept while the output cannot be written: with the
/// agent's own 30 MiB or so (the pack, its prefilter and compiled regexes,
/// the read buffers), 12 MiB keeps it under 48 MiB. It was 16 MiB when the
/// agent's own was 20 MiB; the pack's growth since took that margin.
pub const MAX_PENDING: usize = 12 * 1024 * 1024;

/// What the record buffer keeps of its capacity between passes.
const KEPT_CAPACITY: usize = 1024 * 1024;

/// Records are written as they come once this many bytes wait (unless a
/// failed write waits for its retry): a pass that reads a backlog makes
/// records four times the size of the lines it reads, more than the cap.
const WRITE_AT: usize = 1024 * 1024;

pub struct RunOutput {
    records: MatchWriter<Vec<u8>>,
    /// Of `records`' buffer, bytes already written.
    written: usize,
    target: Target,
    /// Records dropped because too much was pending: not yet logged, and
    /// in all.
    dropped: u64,
    dropped_total: u64,
    /// A write failed; the next is the pass's, after its backoff. A
    /// failure while records were being collected waits here to be
    /// reported.
    failing: bool,
    failure: Option<io::Error>,
}

enum Target {
    /// A file, and its length after the last complete write.
    File {
        file: File,
        path: PathBuf,
        len: u64,
    },
    Stdout,
}

impl RunOutput {
    /// Opens `path` (`-` for stdout). A file is cut back to `resume_len`
    /// (the length the checkpoint recorded) when it is longer, and a torn
    /// last record is ended otherwise.
    pub fn open(
        path: &str,
        resume_len: Option<u64>,
        redactor: Option<std::sync::Arc<crate::redact::Redactor>>,
    ) -> io::Result<RunOutput> {
        let target = if path == "-" {
            Target::Stdout
        } else {
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .read(true)
                .append(true)
                .open(path)?;
            let mut len = file.metadata()?.len();
            match resume_len {
                Some(at) if at < len && file.metadata()?.is_file() => {
                    file.set_len(at)?;
                    len = at;
                }
                _ => len += end_torn_line(&mut file, len)?,
            }
            Target::File {
                file,
                path: PathBuf::from(path),
                len,
            }
        };
        Ok(RunOutput {
            records: MatchWriter::new(Vec::new()).redacted(redactor),
            written: 0,
            target,
            dropped: 0,
            dropped_total: 0,
            failing: false,
            failure: None,
        })
    }

    /// The file's length after the last complete write, for the
    /// checkpoint; `None` for stdout, and while records are pending (a
    /// checkpoint must wait for them).
    pub fn checkpoint_len(&self) -> Option<u64> {
        match &self.target {
            Target::File { len, .. } if self.pending() == 0 => Some(*len),
            _ => None,
        }
    }

    /// Bytes of records not yet written.
    pub fn pending(&self) -> usize {
        self.records.get_ref().len() - self.written
    }

    /// Writes the records collected. On an error what was not written
    /// stays for the next call.
    pub fn write_out(&mut self) -> io::Result<()> {
        if let Some(e) = self.failure.take() {
            return Err(e);
        }
        let written = self.write_pending();
        self.failing = written.is_err();
        written
    }

    fn write_pending(&mut self) -> io::Result<()> {
        let buf = self.records.get_ref();
        while self.written < buf.len() {
            let result = match &mut self.target {
                Target::File { file, .. } => file.write(&buf[self.written..]),
                Target::Stdout => io::stdout().lock().write(&buf[self.written..]),
            };
            match result {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => {
                    self.written += n;
                    if let Target::File { len, .. } = &mut self.target {
                        *len += n as u64;
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        if let Target::Stdout = self.target {
            io::stdout().lock().flush()?;
        }
        let buf = self.records.get_mut();
        buf.clear();
        // A backlog's buffer is given back once it is written.
        buf.shrink_to(KEPT_CAPACITY);
        self.written = 0;
        Ok(())
    }

    /// Records dropped since the last call because too much was pending.
    pub fn take_dropped(&mut self) -> u64 {
        std::mem::take(&mut self.dropped)
    }

    /// Records dropped since the agent started.
    pub fn dropped_total(&self) -> u64 {
        self.dropped_total
    }

    /// Redacts the records written from now on with `redactor`.
    pub fn set_redactor(&mut self, redactor: Option<std::sync::Arc<crate::redact::Redactor>>) {
        self.records.set_redactor(redactor);
    }

    /// Makes what was written durable. Stdout, pipes and devices have
    /// nothing to sync.
    pub fn sync(&mut self) -> io::Result<()> {
        match &self.target {
            Target::File { file, .. } => match file.sync_data() {
                Err(e) if e.kind() == io::ErrorKind::InvalidInput => Ok(()),
                result => result,
            },
            Target::Stdout => Ok(()),
        }
    }

    /// What the output is, for messages.
    pub fn name(&self) -> String {
        match &self.target {
            Target::File { path, .. } => path.display().to_string(),
            Target::Stdout => "stdout".into(),
        }
    }
}

impl MatchSink for RunOutput {
    fn matched(&mut self, m: &Match<'_>) {
        if self.pending() >= MAX_PENDING {
            self.dropped += 1;
            self.dropped_total += 1;
            return;
        }
        self.records.matched(m);
        if !self.failing && self.pending() >= WRITE_AT {
            if let Err(e) = self.write_pending() {
                self.failing = true;
                self.failure = Some(e);
            }
        }
    }

    fn source(&mut self, source: &Source<'_>) {
        self.records.source(source);
    }
}

/// A crash without a checkpoint to go back to can leave the file ending in
/// half a record: end it with a newline so the records appended after a
/// restart stay whole lines. Returns the bytes written.
fn end_torn_line(file: &mut File, len: u64) -> io::Result<u64> {
    if len == 0 {
        return Ok(0);
    }
    let mut last = [0u8; 1];
    file.seek(SeekFrom::Start(len - 1))?;
    file.read_exact(&mut last)?;
    if last[0] == b'\n' {
        return Ok(0);
    }
    file.write_all(b"\n")?;
    Ok(1)
}
