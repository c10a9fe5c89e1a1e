//! Reads a source in large blocks and lends out runs of whole lines.
//!
//! One buffer per source, reused for its whole life: the unfinished tail
//! of a block is moved to the front (`copy_within`) before the next read.
//! A line longer than `max_line_bytes` is cut at the cap; the rest of it up
//! to its newline is skipped and the cut is reported, so one runaway line
//! cannot make the buffer grow.

use std::io::{self, Read};

use memchr::{memchr, memrchr};

/// Bytes asked of the source per read.
pub const READ_BYTES: usize = 1024 * 1024;

/// The default cap on one line.
pub const DEFAULT_MAX_LINE_BYTES: usize = 256 * 1024;

/// What the reader lends out.
#[derive(Debug, PartialEq, Eq)]
pub enum Chunk<'a> {
    /// Whole lines, each ending in `\n` except the source's last one.
    Lines { data: &'a [u8], offset: u64 },
    /// The first `max_line_bytes` of a line that was longer; the rest of it
    /// is skipped.
    Oversized { data: &'a [u8], offset: u64 },
}

pub struct LineReader<R> {
    source: R,
    buf: Vec<u8>,
    /// `buf[start..end]` holds bytes read but not yet lent out.
    start: usize,
    end: usize,
    /// Source offset of `buf[start]`.
    offset: u64,
    max_line_bytes: usize,
    /// Skipping the remainder of an oversized line.
    skipping: bool,
    eof: bool,
}

impl<R: Read> LineReader<R> {
    pub fn new(source: R, max_line_bytes: usize) -> Self {
        let max_line_bytes = max_line_bytes.max(1);
        LineReader {
            source,
            buf: vec![0; READ_BYTES + max_line_bytes],
            start: 0,
            end: 0,
            offset: 0,
            max_line_bytes,
            skipping: false,
            eof: false,
        }
    }

    /// Bytes consumed from the source so far (lent out or skipped).
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// The next chunk, or `None` at the end of the source.
    pub fn next_chunk(&mut self) -> io::Result<Option<Chunk<'_>>> {
        loop {
            let pending = &self.buf[self.start..self.end];
            if self.skipping {
                if let Some(i) = memchr(b'\n', pending) {
                    self.consume(i + 1);
                    self.skipping = false;
                    continue;
                }
                let n = pending.len();
                self.consume(n);
            } else if let Some(last_nl) = memrchr(b'\n', pending) {
                let (start, offset) = (self.start, self.offset);
                self.consume(last_nl + 1);
                return Ok(Some(Chunk::Lines {
                    data: &self.buf[start..start + last_nl + 1],
                    offset,
                }));
            } else if pending.len() >= self.max_line_bytes {
                let (start, offset) = (self.start, self.offset);
                let cap = self.max_line_bytes;
                self.consume(pending.len());
                self.skipping = true;
                return Ok(Some(Chunk::Oversized {
                    data: &self.buf[start..start + cap],
                    offset,
                }));
            } else if self.eof {
                if pending.is_empty() {
                    return Ok(None);
                }
                let (start, end, offset) = (self.start, self.end, self.offset);
                self.consume(end - start);
                return Ok(Some(Chunk::Lines {
                    data: &self.buf[start..end],
                    offset,
                }));
            }
            self.fill()?;
        }
    }

    fn consume(&mut self, n: usize) {
        self.start += n;
        self.offset += n as u64;
    }

    fn fill(&mut self) -> io::Result<()> {
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        let want = (self.end + READ_BYTES).min(self.buf.len());
        loop {
            match self.source.read(&mut self.buf[self.end..want]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(());
                }
                Ok(n) => {
                    self.end += n;
                    return Ok(());
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A source that returns at most `step` bytes a read, to cut lines
    /// across reads.
    struct Trickle<'a>(&'a [u8], usize);
    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let n = self.0.len().min(self.1).min(out.len());
            out[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    fn chunks(input: &[u8], step: usize, cap: usize) -> Vec<(bool, String, u64)> {
        let mut r = LineReader::new(Trickle(input, step), cap);
        let mut out = Vec::new();
        while let Some(c) = r.next_chunk().unwrap() {
            out.push(match c {
                Chunk::Lines { data, offset } => {
                    (false, String::from_utf8_lossy(data).into_owned(), offset)
                }
                Chunk::Oversized { data, offset } => {
                    (true, String::from_utf8_lossy(data).into_owned(), offset)
                }
            });
        }
        out
    }

    #[test]
    fn lends_whole_lines_with_offsets_whatever_the_read_sizes() {
        let input = b"one\ntwo\nthree\nlast-without-newline";
        for step in [1, 2, 3, 7, 64] {
            let got = chunks(input, step, 1024);
            let joined: String = got.iter().map(|c| c.1.clone()).collect();
            assert_eq!(joined.as_bytes(), input, "step {step}");
            for (_, text, offset) in &got {
                assert!(input[*offset as usize..].starts_with(text.as_bytes()));
            }
        }
    }

    #[test]
    fn cuts_oversized_lines_and_skips_to_the_next_newline() {
        let input = b"short\n0123456789abcdef\nafter\n";
        let got = chunks(input, 4, 8);
        assert!(got.contains(&(true, "01234567".into(), 6)), "{got:?}");
        let lines: String = got.iter().filter(|c| !c.0).map(|c| c.1.clone()).collect();
        assert_eq!(lines, "short\nafter\n");
    }
}
