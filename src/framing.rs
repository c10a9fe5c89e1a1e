//! Turns the bytes of any source into lines: one framer for files, gzip,
//! stdin and tailed files alike, so that partial lines, the line cap, CRLF
//! and each line's offset are handled in one place.
//!
//! A [`Framer`] is shared by every source a thread reads (it holds the one
//! read buffer); a [`Cursor`] is what one source keeps between reads: its
//! offset, the start of a line whose newline has not come yet (at most
//! `max_line_bytes`), and whether it is skipping the rest of an oversized
//! line. Lines are lent in runs (`Chunk::Lines`) straight from the read
//! buffer; only a line split across two reads is copied, into its cursor.
//!
//! Invariants of what is lent:
//! - every line's content (without its `\n`) is at most `max_line_bytes`;
//!   a longer line is lent as its first `max_line_bytes` bytes
//!   (`Chunk::Oversized`) and the rest of it, up to its newline, is
//!   skipped;
//! - every line ends with `\n`, except a source's last when [`Framer::flush`]
//!   lends it unfinished;
//! - offsets are those of each run's first byte in the source, and a
//!   cursor's offset is always the start of a line, so a checkpoint may
//!   point there.

use std::io::{self, Read};

use memchr::{memchr, memrchr};

/// Bytes asked of a source per read.
pub const READ_BYTES: usize = 1024 * 1024;

const PAGE: usize = 4096;

/// The default cap on one line.
pub const DEFAULT_MAX_LINE_BYTES: usize = 256 * 1024;

/// A partial line's buffer bigger than this is freed once the line is
/// lent, so that one long line does not pin memory in every cursor.
const KEEP_PARTIAL_CAPACITY: usize = 16 * 1024;

/// What the framer lends.
#[derive(Debug, PartialEq, Eq)]
pub enum Chunk<'a> {
    /// Whole lines, each ending in `\n` except a flushed last line.
    Lines { data: &'a [u8], offset: u64 },
    /// The first `max_line_bytes` of a line that was longer; the rest of
    /// it is skipped.
    Oversized { head: &'a [u8], offset: u64 },
}

/// The content of one line: without its `\n`, and without the `\r` of a
/// CRLF ending.
#[inline]
pub fn line_content(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// The lines of a block, each with the offset of its first byte in the
/// block; a line is lent without its `\n` (a last line may lack one).
pub fn lines(block: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    let mut start = 0;
    std::iter::from_fn(move || {
        (start < block.len()).then(|| {
            let end = memchr(b'\n', &block[start..]).map_or(block.len(), |i| start + i);
            let line = (start, &block[start..end]);
            start = end + 1;
            line
        })
    })
}

/// Where one source stands between reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cursor {
    /// Source offset of the first byte not yet lent: the start of
    /// `partial`, or the end of what was skipped.
    offset: u64,
    /// The start of a line whose newline has not come yet.
    partial: Vec<u8>,
    /// Skipping the rest of an oversized line up to its newline.
    skipping: bool,
    /// Bytes framed since the cursor was made (never goes back).
    consumed: u64,
}

impl Cursor {
    /// A cursor at the start of a line at `offset` of its source.
    pub fn at(offset: u64) -> Cursor {
        Cursor {
            offset,
            ..Cursor::default()
        }
    }

    /// A cursor that resumes skipping an oversized line (from a checkpoint
    /// taken while skipping).
    pub fn skipping_at(offset: u64) -> Cursor {
        Cursor {
            offset,
            skipping: true,
            ..Cursor::default()
        }
    }

    /// Where every byte before has been lent or skipped: the place to
    /// resume after a restart (see [`Cursor::is_skipping`]).
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// Where the next byte read from the source belongs.
    pub fn read_to(&self) -> u64 {
        self.offset + self.partial.len() as u64
    }

    /// Bytes of an unfinished line held.
    pub fn pending(&self) -> usize {
        self.partial.len()
    }

    /// True while the rest of an oversized line is being skipped.
    pub fn is_skipping(&self) -> bool {
        self.skipping
    }

    /// Bytes framed since the cursor was made, whatever restarts it saw.
    pub fn consumed(&self) -> u64 {
        self.consumed
    }

    /// Starts over at `offset` (the source was truncated): an unfinished
    /// line and any skipping are forgotten. The last `read_again` bytes
    /// before the read position (an unfinished record or line, which a
    /// copy of the source gives again) no longer count as consumed.
    pub fn restart(&mut self, offset: u64, read_again: u64) {
        self.consumed = self.consumed.saturating_sub(read_again);
        self.offset = offset;
        self.partial = Vec::new();
        self.skipping = false;
    }

    fn lent_partial(&mut self, skipped_after: u64) {
        self.offset += self.partial.len() as u64 + skipped_after;
        if self.partial.capacity() > KEEP_PARTIAL_CAPACITY {
            self.partial = Vec::new();
        } else {
            self.partial.clear();
        }
    }
}

/// Frames bytes into lines with one read buffer, lent to each source in
/// turn.
#[derive(Debug)]
pub struct Framer {
    buf: Vec<u8>,
    /// Where in `buf` reads land (see [`Framer::read`]).
    read_at: usize,
    max_line_bytes: usize,
}

impl Framer {
    pub fn new(max_line_bytes: usize) -> Framer {
        Framer {
            buf: Vec::new(),
            read_at: 0,
            max_line_bytes: max_line_bytes.max(1),
        }
    }

    /// Reads once from `src` (at most [`READ_BYTES`]) and lends the lines
    /// that completes. Returns the bytes read: 0 at the end of the source
    /// (or of what a file holds now).
    pub fn read<R: Read + ?Sized>(
        &mut self,
        cursor: &mut Cursor,
        src: &mut R,
        emit: impl FnMut(Chunk<'_>),
    ) -> io::Result<usize> {
        if self.buf.is_empty() {
            self.buf = vec![0; READ_BYTES + PAGE];
            // Reads land half a page off the page grid. The kernel copies
            // from page-aligned page-cache pages; a destination at (nearly)
            // the same offset within its page makes every load and store
            // alias in the store buffer, and the copy ran 3x slower (the
            // read syscalls were a quarter of a whole scan's CPU).
            let misalign = self.buf.as_ptr() as usize % PAGE;
            self.read_at = (PAGE / 2 + PAGE - misalign) % PAGE;
        }
        let buf = &mut self.buf[self.read_at..self.read_at + READ_BYTES];
        let n = loop {
            match src.read(buf) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        frame(
            self.max_line_bytes,
            cursor,
            &self.buf[self.read_at..self.read_at + n],
            emit,
        );
        Ok(n)
    }

    /// Frames bytes already in memory (stdin blocks handed over by its
    /// reading thread).
    pub fn feed(&self, cursor: &mut Cursor, data: &[u8], emit: impl FnMut(Chunk<'_>)) {
        frame(self.max_line_bytes, cursor, data, emit);
    }

    /// Lends the unfinished last line as a line: the source ended, or its
    /// writer has not finished the line for too long.
    pub fn flush(&self, cursor: &mut Cursor, mut emit: impl FnMut(Chunk<'_>)) {
        cursor.skipping = false;
        if !cursor.partial.is_empty() {
            emit(Chunk::Lines {
                data: &cursor.partial,
                offset: cursor.offset,
            });
            cursor.lent_partial(0);
        }
    }
}

fn frame(max: usize, cursor: &mut Cursor, mut data: &[u8], mut emit: impl FnMut(Chunk<'_>)) {
    cursor.consumed += data.len() as u64;
    if cursor.skipping {
        match memchr(b'\n', data) {
            Some(i) => {
                cursor.offset += i as u64 + 1;
                cursor.skipping = false;
                data = &data[i + 1..];
            }
            None => {
                cursor.offset += data.len() as u64;
                return;
            }
        }
    }
    if !cursor.partial.is_empty() {
        // Complete the line begun in an earlier read. It fits the cap
        // while its content is at most `room` more bytes.
        let room = max - cursor.partial.len();
        match memchr(b'\n', data) {
            Some(i) if i <= room => {
                cursor.partial.extend_from_slice(&data[..=i]);
                emit(Chunk::Lines {
                    data: &cursor.partial,
                    offset: cursor.offset,
                });
                cursor.lent_partial(0);
                data = &data[i + 1..];
            }
            Some(i) => {
                cursor.partial.extend_from_slice(&data[..room]);
                emit(Chunk::Oversized {
                    head: &cursor.partial,
                    offset: cursor.offset,
                });
                cursor.lent_partial((i + 1 - room) as u64);
                data = &data[i + 1..];
            }
            None if data.len() <= room => {
                cursor.partial.extend_from_slice(data);
                return;
            }
            None => {
                cursor.partial.extend_from_slice(&data[..room]);
                emit(Chunk::Oversized {
                    head: &cursor.partial,
                    offset: cursor.offset,
                });
                cursor.lent_partial((data.len() - room) as u64);
                cursor.skipping = true;
                return;
            }
        }
    }
    // `data` starts at the start of a line, at `cursor.offset`.
    let rest = match memrchr(b'\n', data) {
        Some(last) => {
            emit_whole_lines(max, &data[..=last], cursor.offset, &mut emit);
            cursor.offset += last as u64 + 1;
            &data[last + 1..]
        }
        None => data,
    };
    if rest.len() > max {
        emit(Chunk::Oversized {
            head: &rest[..max],
            offset: cursor.offset,
        });
        cursor.offset += rest.len() as u64;
        cursor.skipping = true;
    } else {
        cursor.partial.extend_from_slice(rest);
    }
}

/// Lends `block` (whole lines, ending in `\n`) as runs of lines, cutting
/// out lines longer than `max`.
///
/// Finding long lines without looking at every line: a line whose content
/// exceeds `max` holds, whatever its alignment, a whole aligned window of
/// `w = max / 2` bytes without a newline (a gap of `g` bytes contains an
/// aligned window once `g >= 2w - 1`, and `max + 1 > 2w - 1`). So the block
/// is probed one window at a time; memchr finds a newline near the start
/// of almost every window, and only a window without one is looked at
/// closely.
fn emit_whole_lines(max: usize, block: &[u8], offset: u64, emit: &mut impl FnMut(Chunk<'_>)) {
    if block.len() <= max + 1 {
        emit(Chunk::Lines {
            data: block,
            offset,
        });
        return;
    }
    let w = (max / 2).max(1);
    let mut run_start = 0;
    let mut probe = 0;
    while probe + w <= block.len() {
        if memchr(b'\n', &block[probe..probe + w]).is_some() {
            probe += w;
            continue;
        }
        let line_start = memrchr(b'\n', &block[..probe]).map_or(0, |i| i + 1);
        let line_end = probe
            + w
            + memchr(b'\n', &block[probe + w..]).expect("a block of whole lines ends in a newline");
        if line_end - line_start > max {
            if line_start > run_start {
                emit(Chunk::Lines {
                    data: &block[run_start..line_start],
                    offset: offset + run_start as u64,
                });
            }
            emit(Chunk::Oversized {
                head: &block[line_start..line_start + max],
                offset: offset + line_start as u64,
            });
            run_start = line_end + 1;
        }
        probe = (line_end + 1).div_ceil(w) * w;
    }
    if run_start < block.len() {
        emit(Chunk::Lines {
            data: &block[run_start..],
            offset: offset + run_start as u64,
        });
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

    /// Every line lent, split out of its run: (oversized, text, offset).
    fn lines(input: &[u8], step: usize, cap: usize) -> Vec<(bool, String, u64)> {
        let mut framer = Framer::new(cap);
        let mut cursor = Cursor::default();
        let mut src = Trickle(input, step);
        let mut out = Vec::new();
        let mut push = |c: Chunk<'_>| match c {
            Chunk::Lines { data, offset } => {
                let mut at = 0;
                for line in data.split_inclusive(|&b| b == b'\n') {
                    out.push((
                        false,
                        String::from_utf8_lossy(line).into_owned(),
                        offset + at,
                    ));
                    at += line.len() as u64;
                }
            }
            Chunk::Oversized { head, offset } => {
                out.push((true, String::from_utf8_lossy(head).into_owned(), offset))
            }
        };
        while framer.read(&mut cursor, &mut src, &mut push).unwrap() > 0 {}
        framer.flush(&mut cursor, &mut push);
        assert_eq!(cursor.consumed(), input.len() as u64);
        assert_eq!(cursor.offset(), input.len() as u64);
        out
    }

    /// What framing must lend: each line with its offset, cut at the cap.
    fn reference(input: &[u8], cap: usize) -> Vec<(bool, String, u64)> {
        let mut out = Vec::new();
        let mut at = 0u64;
        for line in input.split_inclusive(|&b| b == b'\n') {
            let content = line.strip_suffix(b"\n").unwrap_or(line);
            if content.len() > cap {
                out.push((
                    true,
                    String::from_utf8_lossy(&content[..cap]).into_owned(),
                    at,
                ));
            } else {
                out.push((false, String::from_utf8_lossy(line).into_owned(), at));
            }
            at += line.len() as u64;
        }
        out
    }

    #[test]
    fn lends_whole_lines_with_offsets_whatever_the_read_sizes() {
        let input = b"one\ntwo\r\nthree\nlast-without-newline";
        for step in 1..=input.len() {
            assert_eq!(lines(input, step, 1024), reference(input, 1024), "{step}");
        }
    }

    #[test]
    fn cuts_oversized_lines_and_skips_to_the_next_newline() {
        let input = b"short\n0123456789abcdef\nafter\nexactly8\n123456789";
        for step in 1..=input.len() {
            let got = lines(input, step, 8);
            assert_eq!(got, reference(input, 8), "step {step}");
        }
        assert!(reference(input, 8).contains(&(true, "01234567".into(), 6)));
        assert!(reference(input, 8).contains(&(false, "exactly8\n".into(), 29)));
    }

    #[test]
    fn finds_long_lines_inside_one_read_for_any_cap() {
        let mut input = Vec::new();
        for (i, len) in [3usize, 40, 7, 0, 65, 9, 10, 11, 300, 1].iter().enumerate() {
            input.extend(std::iter::repeat_n(b'a' + i as u8, *len));
            input.push(b'\n');
        }
        for cap in 1..70 {
            assert_eq!(
                lines(&input, 4096, cap),
                reference(&input, cap),
                "cap {cap}"
            );
        }
    }

    #[test]
    fn line_content_drops_lf_and_crlf() {
        assert_eq!(line_content(b"a\r\n"), b"a");
        assert_eq!(line_content(b"a\n"), b"a");
        assert_eq!(line_content(b"a\r"), b"a");
        assert_eq!(line_content(b"a\r\r\n"), b"a\r");
    }

    #[test]
    fn a_cursor_shrinks_after_a_long_line() {
        let framer = Framer::new(1 << 20);
        let mut cursor = Cursor::default();
        framer.feed(&mut cursor, &vec![b'x'; 100_000], |_| {});
        assert_eq!(cursor.pending(), 100_000);
        framer.feed(&mut cursor, b"\n", |_| {});
        assert_eq!(cursor.pending(), 0);
        assert!(cursor.partial.capacity() <= KEEP_PARTIAL_CAPACITY);
    }
}
