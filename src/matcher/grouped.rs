//! Scanning with multi-line records (see `records` for which lines
//! continue a record).
//!
//! Blocks of a file or stdin: the block is prefiltered as usual; lines
//! are then walked with the grouping rules, and each record
//! with a candidate line among its lines is decoded and matched once, as
//! the block's bytes from its first line to its last (no copy). A record
//! that may go on at the end of a block is copied and held for the next
//! read, for `multiline_flush` at most.
//!
//! CRI lines arrive one logical line at a time (after their `P` parts are
//! joined); they are grouped through the held record.

use std::time::Instant;

use memchr::memchr;

use super::records::{Grouping, Open, MAX_RECORD_LINES};
use super::scanner::{classify_line, HeldRecord};
use super::{Matcher, Scanner, SourceScan};
use crate::decode::Envelope;
use crate::framing::line_content;
use crate::sink::MatchSink;

impl Scanner {
    /// Scans a block of whole lines of a raw source, grouping records.
    /// Lines were classified by the caller; `postgres` says whether the
    /// block holds PostgreSQL's `:  `, without which its continuations are
    /// not looked for.
    pub(super) fn scan_grouped<S: MatchSink>(
        &mut self,
        matcher: &Matcher,
        source: &mut SourceScan,
        block: &[u8],
        offset: u64,
        postgres: bool,
        sink: &mut S,
    ) {
        let grouping = source.grouping.clone().unwrap_or_default();
        let grouping = &*grouping;
        let mut candidates = std::mem::take(&mut self.candidates);
        candidates.clear();
        let every_line = !matcher.prefilter.scans_blocks();
        if !every_line {
            // Only which lines: the rules are asked of each record whole.
            let mut mask = self.take_mask(matcher);
            matcher
                .prefilter
                .for_each_candidate_line(block, &mut mask, |start, _, _| candidates.push(start));
            self.mask = mask;
        }
        let mut next_candidate = 0;
        // The record being built in this block: its first byte, the end of
        // its first line, the end of its last line, its lines and kind.
        let mut record: Option<(usize, usize, usize, u32, Open)> = None;
        let line_end =
            |from: usize| memchr(b'\n', &block[from..]).map_or(block.len(), |i| from + i);
        let mut pos = 0;
        let mut end = line_end(0);
        while pos < block.len() {
            let line = line_content(&block[pos..end]);
            let following = end + 1;
            let next_end = if following < block.len() {
                line_end(following)
            } else {
                block.len()
            };
            let next = (following < block.len()).then(|| line_content(&block[following..next_end]));
            if source.record.open.is_some() {
                if self.extend_held(grouping, &mut source.record, line, next, postgres) {
                    (pos, end) = (following, next_end);
                    continue;
                }
                self.close_record(matcher, source, sink);
            }
            if let Some((start, first_end, last_end, lines, open)) = record {
                let first = line_content(&block[start..first_end]);
                if lines < MAX_RECORD_LINES {
                    if let Some(open) = grouping.continues(open, first, line, next, postgres) {
                        record = Some((start, first_end, end, lines + 1, open));
                        (pos, end) = (following, next_end);
                        continue;
                    }
                }
                let any =
                    every_line || has_candidate(&candidates, &mut next_candidate, start, last_end);
                if any {
                    self.scan_range(matcher, source, block, start, last_end, offset, sink);
                }
            }
            record = Some((pos, end, end, 1, grouping.starts(line)));
            (pos, end) = (following, next_end);
        }
        if let Some((start, first_end, last_end, lines, mut open)) = record {
            if lines == 1 {
                open = grouping.last_in_read(open, line_content(&block[start..first_end]));
            }
            if open.may_grow() {
                let held = &mut source.record;
                held.text.clear();
                let end = last_end.min(start.saturating_add(self.max_line_bytes));
                held.text.extend_from_slice(&block[start..end]);
                // Counted oversized when it is matched.
                held.cut = end < last_end;
                held.first_len = first_end - start;
                held.lines = lines;
                held.open = Some(open);
                held.offset = offset + start as u64;
                held.envelope_time.clear();
                held.since = Some(Instant::now());
            } else if every_line || has_candidate(&candidates, &mut next_candidate, start, last_end)
            {
                self.scan_range(matcher, source, block, start, last_end, offset, sink);
            }
        }
        self.candidates = candidates;
    }

    /// Decodes and matches the record `block[start..end]`, cut at the cap.
    #[allow(clippy::too_many_arguments)]
    fn scan_range<S: MatchSink>(
        &mut self,
        matcher: &Matcher,
        source: &mut SourceScan,
        block: &[u8],
        start: usize,
        end: usize,
        offset: u64,
        sink: &mut S,
    ) {
        let capped = end.min(start.saturating_add(self.max_line_bytes));
        if capped < end {
            source.stats.errors.oversized += 1;
        }
        let envelope = source.envelope().unwrap_or(Envelope::Raw);
        self.candidate(
            matcher,
            &mut source.stats,
            &mut source.events,
            &block[start..capped],
            offset + start as u64,
            envelope,
            None,
            sink,
        );
    }

    /// Adds `line` to the held record if it continues it.
    fn extend_held(
        &self,
        grouping: &Grouping,
        held: &mut HeldRecord,
        line: &[u8],
        next: Option<&[u8]>,
        postgres: bool,
    ) -> bool {
        let Some(open) = held.open else {
            return false;
        };
        if held.lines >= MAX_RECORD_LINES {
            return false;
        }
        let first = &held.text[..held.first_len];
        let Some(open) = grouping.continues(open, first, line, next, postgres) else {
            return false;
        };
        held.open = Some(open);
        held.lines += 1;
        held.since = Some(Instant::now());
        let room = self.max_line_bytes.saturating_sub(held.text.len());
        if line.len() + 1 > room {
            held.cut = true;
        }
        let take = (line.len() + 1).min(room);
        if take > 0 {
            held.text.push(b'\n');
            held.text.extend_from_slice(&line[..take - 1]);
        }
        true
    }

    /// Matches the held record, if there is one, and lets it go.
    pub(super) fn close_record<S: MatchSink>(
        &mut self,
        matcher: &Matcher,
        source: &mut SourceScan,
        sink: &mut S,
    ) {
        if source.record.open.take().is_none() {
            return;
        }
        let held = &mut source.record;
        held.since = None;
        held.lines = 0;
        if held.cut {
            source.stats.errors.oversized += 1;
            held.cut = false;
        }
        let text = std::mem::take(&mut held.text);
        let time = std::mem::take(&mut held.envelope_time);
        let envelope = source.envelope().unwrap_or(Envelope::Raw);
        let envelope_time = (!time.is_empty()).then_some(time.as_slice());
        let offset = source.record.offset;
        self.candidate(
            matcher,
            &mut source.stats,
            &mut source.events,
            &text,
            offset,
            envelope,
            envelope_time,
            sink,
        );
        source.record.text = text;
        source.record.envelope_time = time;
    }

    /// One logical line of a CRI source (its parts joined): counted, then
    /// added to the held record or starting the next. Without grouping, or
    /// for a JSON line, it is matched at once.
    pub(super) fn group_logical<S: MatchSink>(
        &mut self,
        matcher: &Matcher,
        source: &mut SourceScan,
        line: &[u8],
        offset: u64,
        time: &[u8],
        sink: &mut S,
    ) {
        let grouping = source.grouping.clone().unwrap_or_default();
        if grouping.off() {
            self.logical_line(
                matcher,
                &mut source.stats,
                &mut source.events,
                line,
                offset,
                Envelope::Cri,
                Some(time),
                sink,
            );
            return;
        }
        classify_line(&mut source.stats, line, self.cut_line);
        if self.extend_held(&grouping, &mut source.record, line, None, true) {
            return;
        }
        self.close_record(matcher, source, sink);
        let held = &mut source.record;
        held.text.clear();
        let capped = line.len().min(self.max_line_bytes);
        held.text.extend_from_slice(&line[..capped]);
        held.cut = capped < line.len();
        held.first_len = capped;
        held.lines = 1;
        held.open = Some(grouping.starts(line));
        held.offset = offset;
        held.envelope_time.clear();
        held.envelope_time.extend_from_slice(time);
        held.since = Some(Instant::now());
        if held.open == Some(Open::Json) {
            self.close_record(matcher, source, sink);
        }
    }

    /// At the end of a block of CRI lines: a held record that cannot grow
    /// is matched now rather than after the flush wait.
    pub(super) fn end_of_block<S: MatchSink>(
        &mut self,
        matcher: &Matcher,
        source: &mut SourceScan,
        sink: &mut S,
    ) {
        let held = &mut source.record;
        if let (Some(open), 1) = (held.open, held.lines) {
            let grouping = source.grouping.clone().unwrap_or_default();
            held.open = Some(grouping.last_in_read(open, &held.text[..held.first_len]));
        }
        if source.record.open.is_some_and(|o| !o.may_grow()) {
            self.close_record(matcher, source, sink);
        }
    }
}

/// Whether a candidate line starts in `start..end`; `next` walks the
/// ascending candidate list once per block.
fn has_candidate(candidates: &[usize], next: &mut usize, start: usize, end: usize) -> bool {
    while *next < candidates.len() && candidates[*next] < start {
        *next += 1;
    }
    *next < candidates.len() && candidates[*next] <= end
}
