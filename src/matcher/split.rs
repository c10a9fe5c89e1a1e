//! Lines a container runtime split: CRI `P` parts, and Docker json-file
//! entries over 16 KiB whose `log` does not end in a newline. The parts are
//! joined (the line cap applies after the join) and held, with the first
//! part's offset, until the last part comes: a checkpoint resumes at that
//! offset, so a restart reads the whole line again.
//!
//! A container's stdout and stderr interleave in one file, each split on
//! its own. A line of the other stream that comes while a split line is
//! held is not glued to it: it is kept as read and scanned after the split
//! line, so everything from the first part on is still unscanned and the
//! checkpoint's offset stays exact (nothing read twice after a restart).
//! The wait is bounded: past `max_line_bytes` of deferred lines, the split
//! line is given up as unfinished.

use std::time::Instant;

use memchr::memchr_iter;

use super::{Matcher, Scanner, SourceScan};
use crate::decode::{parse_cri, parse_docker, Envelope};
use crate::framing::{line_content, lines};
use crate::sink::MatchSink;

/// The parts of a split line joined so far (capped at `max_line_bytes`),
/// with the first part's offset, stream and the runtime's timestamp.
#[derive(Debug, Clone, Default)]
pub(super) struct Held {
    pub(super) line: Vec<u8>,
    /// Whether a line is held (it may be empty: an empty `P` part).
    pub(super) open: bool,
    pub(super) offset: u64,
    /// Which stream its parts come from (0 stdout, 1 stderr).
    stream: u8,
    pub(super) time: Vec<u8>,
    pub(super) since: Option<Instant>,
    /// It reached the cap (and was counted oversized).
    pub(super) cut: bool,
}

/// Whole lines read while a split line is held that are not its parts
/// (the other stream's, or lines in no envelope form), as read, in file
/// order: one buffer and its line ends, kept between uses.
#[derive(Debug, Clone, Default)]
pub(super) struct Deferred {
    bytes: Vec<u8>,
    /// Each line's offset in the file and end in `bytes`.
    lines: Vec<(u64, usize)>,
}

impl Deferred {
    /// Keeps `line` unless that would pass `cap` bytes.
    fn push(&mut self, line: &[u8], offset: u64, cap: usize) -> bool {
        if self.bytes.len() + line.len() > cap {
            return false;
        }
        self.bytes.extend_from_slice(line);
        self.lines.push((offset, self.bytes.len()));
        true
    }
}

/// The stream a Docker json-file entry came from, without decoding it.
fn docker_stream(line: &[u8]) -> u8 {
    u8::from(memchr::memmem::find(line, br#""stream":"stderr""#).is_some())
}

impl Scanner {
    pub(super) fn scan_cri<S: MatchSink>(
        &mut self,
        matcher: &Matcher,
        source: &mut SourceScan,
        block: &[u8],
        offset: u64,
        sink: &mut S,
    ) {
        for (start, line) in lines(block) {
            self.cri_line(
                matcher,
                source,
                line_content(line),
                offset + start as u64,
                sink,
            );
        }
        self.end_of_block(matcher, source, sink);
    }

    fn cri_line<S: MatchSink>(
        &mut self,
        matcher: &Matcher,
        source: &mut SourceScan,
        line: &[u8],
        offset: u64,
        sink: &mut S,
    ) {
        let cri = parse_cri(line);
        let stream = cri.map(|c| u8::from(c.stream == b"stderr"));
        if self.deferred(matcher, source, line, offset, stream, sink) {
            return;
        }
        match cri {
            Some(cri) if cri.partial => self.hold(source, cri.body, offset, cri.time, stream),
            Some(cri) if !source.held.open => {
                self.group_logical(matcher, source, cri.body, offset, cri.time, sink)
            }
            Some(cri) => {
                self.hold(source, cri.body, offset, cri.time, stream);
                self.scan_held(matcher, source, sink);
            }
            None => self.raw_line(matcher, source, line, offset, sink),
        }
    }

    /// Docker's json-file driver splits a line over 16 KiB into entries
    /// whose `log` does not end in a newline; they are joined here. The
    /// block path is kept for blocks without a split entry.
    pub(super) fn scan_docker<S: MatchSink>(
        &mut self,
        matcher: &Matcher,
        source: &mut SourceScan,
        block: &[u8],
        offset: u64,
        sink: &mut S,
    ) {
        for (start, line) in lines(block) {
            self.docker_line(
                matcher,
                source,
                line_content(line),
                offset + start as u64,
                sink,
            );
        }
    }

    fn docker_line<S: MatchSink>(
        &mut self,
        matcher: &Matcher,
        source: &mut SourceScan,
        line: &[u8],
        offset: u64,
        sink: &mut S,
    ) {
        let entry = std::str::from_utf8(line).ok().and_then(parse_docker);
        let stream = entry.as_ref().map(|_| docker_stream(line));
        if self.deferred(matcher, source, line, offset, stream, sink) {
            return;
        }
        match entry {
            // A whole entry, nothing held: the usual path.
            Some(_) if !source.held.open && docker_entry_complete(line) => self.logical_line(
                matcher,
                &mut source.stats,
                &mut source.events,
                line,
                offset,
                Envelope::Docker,
                None,
                sink,
            ),
            Some(d) => {
                let time = d.time.as_deref().unwrap_or_default().as_bytes();
                self.hold(source, d.log.as_bytes(), offset, time, stream);
                if docker_entry_complete(line) {
                    self.scan_held(matcher, source, sink);
                }
            }
            None => self.raw_line(matcher, source, line, offset, sink),
        }
    }

    /// A line in no envelope form in a container log, scanned as it is.
    fn raw_line<S: MatchSink>(
        &mut self,
        matcher: &Matcher,
        source: &mut SourceScan,
        line: &[u8],
        offset: u64,
        sink: &mut S,
    ) {
        self.logical_line(
            matcher,
            &mut source.stats,
            &mut source.events,
            line,
            offset,
            Envelope::Raw,
            None,
            sink,
        );
    }

    /// Defers `line` (of `stream`, `None` when in no envelope form) when a
    /// split line of another stream is held; when the deferred lines would
    /// pass the cap, gives the split line up first (it is scanned as
    /// unfinished, then what it held back). Whether `line` was deferred.
    fn deferred<S: MatchSink>(
        &mut self,
        matcher: &Matcher,
        source: &mut SourceScan,
        line: &[u8],
        offset: u64,
        stream: Option<u8>,
        sink: &mut S,
    ) -> bool {
        if !source.held.open || stream == Some(source.held.stream) {
            return false;
        }
        if source.deferred.push(line, offset, self.max_line_bytes) {
            return true;
        }
        source.stats.errors.unfinished += 1;
        self.scan_held(matcher, source, sink);
        // What was deferred may have started another split line.
        source.held.open
            && stream != Some(source.held.stream)
            && source.deferred.push(line, offset, self.max_line_bytes)
    }

    /// Scans the line joined from its parts, then the lines deferred while
    /// it was held, and starts the next.
    pub(super) fn scan_held<S: MatchSink>(
        &mut self,
        matcher: &Matcher,
        source: &mut SourceScan,
        sink: &mut S,
    ) {
        let envelope = source.envelope().unwrap_or(Envelope::Cri);
        let held = std::mem::take(&mut source.held);
        if envelope == Envelope::Cri {
            // A joined CRI line is one line of the application's: it may
            // belong to a multi-line record.
            self.group_logical(matcher, source, &held.line, held.offset, &held.time, sink);
        } else {
            self.logical_line(
                matcher,
                &mut source.stats,
                &mut source.events,
                &held.line,
                held.offset,
                envelope,
                Some(&held.time),
                sink,
            );
        }
        // The buffers are kept for the next split line.
        let Held {
            mut line, mut time, ..
        } = held;
        line.clear();
        time.clear();
        source.held.line = line;
        source.held.time = time;

        let mut deferred = std::mem::take(&mut source.deferred);
        let mut start = 0;
        for &(offset, end) in &deferred.lines {
            let line = &deferred.bytes[start..end];
            start = end;
            match envelope {
                Envelope::Cri => self.cri_line(matcher, source, line, offset, sink),
                _ => self.docker_line(matcher, source, line, offset, sink),
            }
        }
        // Kept for the next wait, unless the lines deferred again have them.
        if source.deferred.lines.is_empty() {
            deferred.bytes.clear();
            deferred.lines.clear();
            source.deferred = deferred;
        }
    }

    /// Adds a part of `stream` to the split line in progress, up to the cap
    /// after the join; the line is counted oversized once, when it first
    /// passes the cap.
    pub(super) fn hold(
        &self,
        source: &mut SourceScan,
        part: &[u8],
        offset: u64,
        time: &[u8],
        stream: Option<u8>,
    ) {
        let held = &mut source.held;
        if !held.open {
            held.open = true;
            held.offset = offset;
            held.stream = stream.unwrap_or(0);
            held.since = Some(Instant::now());
            held.time.clear();
            held.time.extend_from_slice(time);
        }
        let room = self.max_line_bytes.saturating_sub(held.line.len());
        if part.len() > room && !held.cut {
            source.stats.errors.oversized += 1;
            held.cut = true;
        }
        held.line.extend_from_slice(&part[..part.len().min(room)]);
    }
}

/// The end of a Docker json-file entry whose `log` ends in a newline: the
/// driver writes `log` first and `stream` right after it.
const DOCKER_WHOLE: &[u8] = br#"\n","stream":""#;

/// Whether a block holds a Docker entry split by the driver: fewer entries
/// end their `log` with a newline than the block has lines. One pass of
/// memchr and memmem over the block, nothing per line.
pub(super) fn has_docker_split(block: &[u8]) -> bool {
    let lines = memchr_iter(b'\n', block).count() + usize::from(!block.ends_with(b"\n"));
    memchr::memmem::find_iter(block, DOCKER_WHOLE).count() < lines
}

/// Whether this Docker entry's `log` ends in a newline.
fn docker_entry_complete(line: &[u8]) -> bool {
    memchr::memmem::find(line, DOCKER_WHOLE).is_some()
}
