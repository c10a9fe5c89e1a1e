//! The hot loop: lowercase a block once, let the prefilter pick the lines
//! any rule can match, decode only those, and confirm them with the rules'
//! regexes.
//!
//! A [`Scanner`] holds the scratch buffers and is shared by every source a
//! thread reads; a [`SourceScan`] is what one source keeps between chunks
//! (its envelope, a CRI line waiting for its last part, its counts), so
//! memory does not grow with the number of sources.
//!
//! Invariants of the hot path (everything a line no rule can match costs):
//! - a block is ASCII-lowercased once into the reused scratch buffer and
//!   one case-sensitive Aho-Corasick automaton of lowercased literals
//!   searches it; lines are located around each hit with memchr, never
//!   split up front;
//! - the per-line pass only counts lines, classifies them as JSON or text
//!   by their first byte, and spots truncated JSON by the last byte;
//! - nothing allocates per line until a line is a candidate.
//!
//! Exactness: every line whose decoded fields a rule's regex matches holds
//! one of the rule's cover literals in its lowercased raw bytes, or holds a
//! `\u` escape or a Serilog template, which make it a candidate for every
//! rule (see `rules::literals`). The property test in `tests/` checks the
//! scanner against decoding and evaluating every line.

use std::time::{Duration, Instant};

use memchr::{memchr, memchr_iter};

use super::{Matcher, ScanStats};
use crate::decode::{self, parse_cri, Envelope, Format};
use crate::framing::{line_content, Chunk};
use crate::sink::{Match, MatchSink};

/// What one source keeps between chunks.
#[derive(Debug, Clone, Default)]
pub struct SourceScan {
    /// `None` until the first line shows it (or the user named it).
    envelope: Option<Envelope>,
    /// CRI `P` parts of the line in progress (capped at `max_line_bytes`),
    /// with the first part's offset and the runtime's timestamp.
    cri_line: Vec<u8>,
    cri_offset: u64,
    cri_time: Vec<u8>,
    /// The line in progress reached the cap (and was counted oversized).
    cri_cut: bool,
    pub stats: ScanStats,
}

impl SourceScan {
    /// `envelope: None` detects it from the source's first line.
    pub fn new(envelope: Option<Envelope>) -> SourceScan {
        SourceScan {
            envelope,
            ..SourceScan::default()
        }
    }

    pub fn envelope(&self) -> Option<Envelope> {
        self.envelope
    }
}

/// Scratch buffers of the hot loop, lent to one source at a time.
#[derive(Debug)]
pub struct Scanner {
    lower: Vec<u8>,
    mask: Vec<bool>,
    values: Vec<Option<f64>>,
    /// The cap on a CRI line joined from its parts.
    max_line_bytes: usize,
    /// The chunk being scanned is the head of an oversized line, whose
    /// missing end is not a JSON error.
    cut_line: bool,
    /// Time spent scanning (prefilter, decoding, regexes).
    pub busy: Duration,
    /// Chunks scanned.
    pub chunks: u64,
}

impl Scanner {
    pub fn new(max_line_bytes: usize) -> Scanner {
        Scanner {
            lower: Vec::new(),
            mask: Vec::new(),
            values: Vec::new(),
            max_line_bytes,
            cut_line: false,
            busy: Duration::ZERO,
            chunks: 0,
        }
    }

    /// Scans one chunk of `source`, as framing lent it.
    pub fn scan<S: MatchSink>(
        &mut self,
        matcher: &Matcher,
        source: &mut SourceScan,
        chunk: Chunk<'_>,
        sink: &mut S,
    ) {
        let start = Instant::now();
        match chunk {
            Chunk::Lines { data, offset } => self.scan_block(matcher, source, data, offset, sink),
            Chunk::Oversized { head, offset } => {
                source.stats.errors.oversized += 1;
                self.cut_line = true;
                self.scan_block(matcher, source, head, offset, sink);
                self.cut_line = false;
            }
        }
        self.busy += start.elapsed();
        self.chunks += 1;
    }

    /// Scans a block of whole lines that starts at byte `offset` of its
    /// source. Lines end with `\n`; only a source's last line may lack it.
    pub fn scan_block<S: MatchSink>(
        &mut self,
        matcher: &Matcher,
        source: &mut SourceScan,
        block: &[u8],
        offset: u64,
        sink: &mut S,
    ) {
        if block.is_empty() {
            return;
        }
        self.mask.resize(matcher.rules.rules.len(), false);
        let envelope = *source.envelope.get_or_insert_with(|| {
            let first = &block[..memchr(b'\n', block).unwrap_or(block.len())];
            Envelope::detect(first)
        });
        count_bad_bytes(&mut source.stats, block);
        if envelope == Envelope::Cri {
            self.scan_cri(matcher, source, block, offset, sink);
            return;
        }
        self.classify_lines(&mut source.stats, block);
        let mut lower = std::mem::take(&mut self.lower);
        if matcher.prefilter.scans_blocks() {
            lower.clear();
            lower.extend(block.iter().map(u8::to_ascii_lowercase));
            matcher
                .prefilter
                .for_each_anchored_line(block, &lower, |start, end| {
                    self.candidate(
                        matcher,
                        &mut source.stats,
                        &block[start..end],
                        &lower[start..end],
                        offset + start as u64,
                        envelope,
                        None,
                        sink,
                    );
                });
        } else {
            let mut start = 0;
            while start < block.len() {
                let end = memchr(b'\n', &block[start..]).map_or(block.len(), |i| start + i);
                lower.clear();
                lower.extend(block[start..end].iter().map(u8::to_ascii_lowercase));
                self.candidate(
                    matcher,
                    &mut source.stats,
                    &block[start..end],
                    &lower,
                    offset + start as u64,
                    envelope,
                    None,
                    sink,
                );
                start = end + 1;
            }
        }
        self.lower = lower;
    }

    /// Scans a CRI line whose last part never came (the source ended or
    /// is let go).
    pub fn finish<S: MatchSink>(
        &mut self,
        matcher: &Matcher,
        source: &mut SourceScan,
        sink: &mut S,
    ) {
        if !source.cri_line.is_empty() {
            self.scan_cri_line(matcher, source, sink);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn candidate<S: MatchSink>(
        &mut self,
        matcher: &Matcher,
        stats: &mut ScanStats,
        raw: &[u8],
        lowered: &[u8],
        offset: u64,
        envelope: Envelope,
        envelope_time: Option<&[u8]>,
        sink: &mut S,
    ) {
        let raw = line_content(raw);
        let lowered = &lowered[..raw.len()];
        if !matcher.prefilter.candidate_rules(lowered, &mut self.mask) {
            return;
        }
        stats.candidates += 1;
        let record = decode::decode(raw, envelope, envelope_time);
        let format_index = Format::ALL
            .iter()
            .position(|f| *f == record.format)
            .unwrap_or(0);
        stats.decoded_by_format[format_index] += 1;
        if record.invalid_json && looks_complete_json(raw) {
            stats.errors.invalid_json += 1;
        }
        for id in 0..self.mask.len() {
            if !self.mask[id] {
                continue;
            }
            if let Some((severity, field, span)) = matcher.evaluate(id, &record, &mut self.values) {
                let rule = &matcher.rules.rules[id];
                sink.matched(&Match {
                    rule_id: id,
                    rule,
                    severity,
                    record: &record,
                    offset,
                    raw,
                    field: &rule.fields[field],
                    span,
                    values: &self.values,
                });
            }
        }
    }

    /// One logical line outside the block prefilter (CRI lines, joined
    /// partials): lowercase it alone and ask the automaton.
    #[allow(clippy::too_many_arguments)]
    fn logical_line<S: MatchSink>(
        &mut self,
        matcher: &Matcher,
        stats: &mut ScanStats,
        line: &[u8],
        offset: u64,
        envelope: Envelope,
        envelope_time: Option<&[u8]>,
        sink: &mut S,
    ) {
        classify_line(stats, line, self.cut_line);
        let mut lower = std::mem::take(&mut self.lower);
        lower.clear();
        lower.extend(line.iter().map(u8::to_ascii_lowercase));
        if matcher.prefilter.admits(&lower) {
            self.candidate(
                matcher,
                stats,
                line,
                &lower,
                offset,
                envelope,
                envelope_time,
                sink,
            );
        }
        self.lower = lower;
    }

    fn scan_cri<S: MatchSink>(
        &mut self,
        matcher: &Matcher,
        source: &mut SourceScan,
        block: &[u8],
        offset: u64,
        sink: &mut S,
    ) {
        let mut start = 0;
        while start < block.len() {
            let end = memchr(b'\n', &block[start..]).map_or(block.len(), |i| start + i);
            let line = line_content(&block[start..end]);
            let line_offset = offset + start as u64;
            match parse_cri(line) {
                Some(cri) if cri.partial => {
                    if source.cri_line.is_empty() {
                        source.cri_offset = line_offset;
                        source.cri_time.clear();
                        source.cri_time.extend_from_slice(cri.time);
                    }
                    self.append_cri(source, cri.body);
                }
                Some(cri) if source.cri_line.is_empty() => self.logical_line(
                    matcher,
                    &mut source.stats,
                    cri.body,
                    line_offset,
                    Envelope::Cri,
                    Some(cri.time),
                    sink,
                ),
                Some(cri) => {
                    self.append_cri(source, cri.body);
                    self.scan_cri_line(matcher, source, sink);
                }
                None => self.logical_line(
                    matcher,
                    &mut source.stats,
                    line,
                    line_offset,
                    Envelope::Raw,
                    None,
                    sink,
                ),
            }
            start = end + 1;
        }
    }

    /// Scans the CRI line joined from its parts, and starts the next.
    fn scan_cri_line<S: MatchSink>(
        &mut self,
        matcher: &Matcher,
        source: &mut SourceScan,
        sink: &mut S,
    ) {
        let mut line = std::mem::take(&mut source.cri_line);
        let mut time = std::mem::take(&mut source.cri_time);
        self.logical_line(
            matcher,
            &mut source.stats,
            &line,
            source.cri_offset,
            Envelope::Cri,
            Some(&time),
            sink,
        );
        line.clear();
        time.clear();
        source.cri_line = line;
        source.cri_time = time;
        source.cri_cut = false;
    }

    /// Adds a CRI part to the line in progress, up to the cap; the line is
    /// counted oversized once, when it first passes the cap.
    fn append_cri(&self, source: &mut SourceScan, part: &[u8]) {
        let room = self.max_line_bytes.saturating_sub(source.cri_line.len());
        if part.len() > room && !source.cri_cut {
            source.stats.errors.oversized += 1;
            source.cri_cut = true;
        }
        source
            .cri_line
            .extend_from_slice(&part[..part.len().min(room)]);
    }

    fn classify_lines(&self, stats: &mut ScanStats, block: &[u8]) {
        let mut start = 0;
        for nl in memchr_iter(b'\n', block) {
            classify_line(stats, &block[start..nl], self.cut_line);
            start = nl + 1;
        }
        if start < block.len() {
            classify_line(stats, &block[start..], self.cut_line);
        }
    }
}

#[inline]
fn classify_line(stats: &mut ScanStats, line: &[u8], cut_line: bool) {
    stats.lines += 1;
    match line.first() {
        Some(b'{') => {
            stats.json_lines += 1;
            if !cut_line && !looks_complete_json(line) {
                stats.errors.truncated_json += 1;
            }
        }
        _ => stats.text_lines += 1,
    }
}

/// Counts lines holding invalid UTF-8 or NUL bytes. Both scans run over the
/// whole block at SIMD speed and only look at lines when they find
/// something.
fn count_bad_bytes(stats: &mut ScanStats, block: &[u8]) {
    // Most log blocks are pure ASCII, which checks faster than UTF-8.
    let mut rest = if block.is_ascii() {
        &block[block.len()..]
    } else {
        block
    };
    while let Err(e) = std::str::from_utf8(rest) {
        stats.errors.invalid_utf8 += 1;
        let bad = e.valid_up_to();
        match memchr(b'\n', &rest[bad..]) {
            Some(i) => rest = &rest[bad + i + 1..],
            None => break,
        }
    }
    let mut pos = 0;
    while let Some(i) = memchr(0, &block[pos..]) {
        stats.errors.nul_bytes += 1;
        match memchr(b'\n', &block[pos + i..]) {
            Some(j) => pos += i + j + 1,
            None => break,
        }
    }
}

fn looks_complete_json(line: &[u8]) -> bool {
    line.iter()
        .rev()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'}')
}
