//! Lines a container runtime split: CRI `P` parts, and Docker json-file
//! entries over 16 KiB whose `log` does not end in a newline. The parts are
//! joined per stream (the line cap applies after the join) and held, with
//! the first part's offset, until the last part comes: a checkpoint resumes
//! at that offset, so a restart reads the whole line again.
//!
//! stdout and stderr interleave in one file, each split on its own: the
//! other stream's lines are matched as they come, not glued to the held
//! one. A restart in the middle of such a split line reads the other
//! stream's lines after its first part again (the checkpoint holds one
//! offset per file), so they can be counted twice then; nothing is lost.

use std::time::Instant;

use memchr::memchr_iter;

use super::{Matcher, Scanner, SourceScan};
use crate::decode::{parse_cri, parse_docker, stream_index, Envelope};
use crate::framing::{line_content, lines};
use crate::sink::MatchSink;

/// The parts of a split line joined so far (capped at `max_line_bytes`),
/// with the first part's offset and the runtime's timestamp.
#[derive(Debug, Clone, Default)]
pub(super) struct Held {
    pub(super) line: Vec<u8>,
    /// Whether a line is held (it may be empty: an empty `P` part).
    pub(super) open: bool,
    pub(super) offset: u64,
    pub(super) time: Vec<u8>,
    pub(super) since: Option<Instant>,
    /// It reached the cap (and was counted oversized).
    pub(super) cut: bool,
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
            let line = line_content(line);
            let line_offset = offset + start as u64;
            let cri = parse_cri(line);
            let stream = cri.map_or(0, |c| stream_index(c.stream));
            match cri {
                Some(cri) if cri.partial => {
                    self.hold(source, stream, cri.body, line_offset, cri.time)
                }
                Some(cri) if !source.held[stream].open => {
                    self.group_logical(matcher, source, cri.body, line_offset, cri.time, sink)
                }
                Some(cri) => {
                    self.hold(source, stream, cri.body, line_offset, cri.time);
                    self.scan_held(matcher, source, stream, sink);
                }
                None => self.logical_line(
                    matcher,
                    &mut source.stats,
                    &mut source.events,
                    line,
                    line_offset,
                    Envelope::Raw,
                    None,
                    sink,
                ),
            }
        }
        self.end_of_block(matcher, source, sink);
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
            let line = line_content(line);
            let line_offset = offset + start as u64;
            let entry = std::str::from_utf8(line).ok().and_then(parse_docker);
            let stream = entry.as_ref().map_or(0, |d| {
                stream_index(d.stream.as_deref().unwrap_or("").as_bytes())
            });
            match entry {
                // A whole entry, nothing held: the usual path.
                Some(_) if !source.held[stream].open && docker_entry_complete(line) => self
                    .logical_line(
                        matcher,
                        &mut source.stats,
                        &mut source.events,
                        line,
                        line_offset,
                        Envelope::Docker,
                        None,
                        sink,
                    ),
                Some(d) => {
                    let complete = docker_entry_complete(line);
                    let time = d.time.as_deref().unwrap_or_default().as_bytes();
                    self.hold(source, stream, d.log.as_bytes(), line_offset, time);
                    if complete {
                        self.scan_held(matcher, source, stream, sink);
                    }
                }
                None => self.logical_line(
                    matcher,
                    &mut source.stats,
                    &mut source.events,
                    line,
                    line_offset,
                    Envelope::Raw,
                    None,
                    sink,
                ),
            }
        }
    }

    /// Scans the line of `stream` joined from its parts, and starts the
    /// next.
    pub(super) fn scan_held<S: MatchSink>(
        &mut self,
        matcher: &Matcher,
        source: &mut SourceScan,
        stream: usize,
        sink: &mut S,
    ) {
        let envelope = source.envelope().unwrap_or(Envelope::Cri);
        let held = std::mem::take(&mut source.held[stream]);
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
        source.held[stream].line = line;
        source.held[stream].time = time;
    }

    /// Adds a part to `stream`'s split line in progress, up to the cap
    /// after the join; the line is counted oversized once, when it first
    /// passes the cap.
    pub(super) fn hold(
        &self,
        source: &mut SourceScan,
        stream: usize,
        part: &[u8],
        offset: u64,
        time: &[u8],
    ) {
        let held = &mut source.held[stream];
        if !held.open {
            held.open = true;
            held.offset = offset;
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
