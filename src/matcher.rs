//! The hot loop: find the lines any rule can match, decode only those, and
//! confirm them with the rules' regexes. No I/O; `scan`, the sidecar and
//! the benches all drive a [`Scanner`] with blocks of whole lines.
//!
//! Invariants of the hot path (everything a line no rule can match costs):
//! - a block is ASCII-lowercased once into a reused scratch buffer and one
//!   case-sensitive Aho-Corasick automaton of lowercased literals searches
//!   it; lines are located around each hit with memchr, never split up
//!   front;
//! - the per-line pass only counts lines, classifies them as JSON or text by
//!   their first byte, and spots truncated JSON by the last byte;
//! - nothing allocates per line until a line is a candidate.
//!
//! Exactness: every line whose decoded fields a rule's regex matches holds
//! one of the rule's cover literals in its lowercased raw bytes, or holds a
//! `\u` escape or a Serilog template, which make it a candidate for every
//! rule (see `rules::literals`). The property test in `tests/` checks the
//! scanner against decoding and evaluating every line.

use memchr::{memchr, memchr_iter};

use crate::decode::{self, parse_cri, Envelope, Format, Record};
use crate::prefilter::Prefilter;
use crate::rules::{RuleId, RuleSet, Severity};
use crate::sink::{Match, MatchSink};

/// The rule set with its prefilter, built once and shared by every scanner.
#[derive(Debug)]
pub struct Matcher {
    pub rules: RuleSet,
    pub prefilter: Prefilter,
}

/// What the scanner counted, beyond matches.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScanStats {
    pub lines: u64,
    pub bytes: u64,
    pub json_lines: u64,
    pub text_lines: u64,
    /// Lines the prefilter admitted, and so decoded.
    pub candidates: u64,
    /// Decoded lines by record format (indexed like `Format::ALL`).
    pub decoded_by_format: [u64; 8],
    pub errors: DecodeErrors,
}

/// Bad input, counted by kind. None of it stops a scan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DecodeErrors {
    pub invalid_utf8: u64,
    pub nul_bytes: u64,
    /// Lines that open a JSON object but do not close it.
    pub truncated_json: u64,
    /// Candidate lines that look like whole JSON objects but do not parse.
    pub invalid_json: u64,
    /// Lines longer than the cap; their excess was skipped.
    pub oversized: u64,
}

impl DecodeErrors {
    pub fn by_kind(&self) -> [(&'static str, u64); 5] {
        [
            ("invalid_utf8", self.invalid_utf8),
            ("nul_bytes", self.nul_bytes),
            ("truncated_json", self.truncated_json),
            ("invalid_json", self.invalid_json),
            ("oversized", self.oversized),
        ]
    }
}

impl ScanStats {
    pub fn add(&mut self, o: &ScanStats) {
        self.lines += o.lines;
        self.bytes += o.bytes;
        self.json_lines += o.json_lines;
        self.text_lines += o.text_lines;
        self.candidates += o.candidates;
        for (a, b) in self.decoded_by_format.iter_mut().zip(o.decoded_by_format) {
            *a += b;
        }
        let (e, f) = (&mut self.errors, &o.errors);
        e.invalid_utf8 += f.invalid_utf8;
        e.nul_bytes += f.nul_bytes;
        e.truncated_json += f.truncated_json;
        e.invalid_json += f.invalid_json;
        e.oversized += f.oversized;
    }
}

impl Matcher {
    pub fn new(rules: RuleSet) -> Matcher {
        Matcher {
            prefilter: Prefilter::new(&rules),
            rules,
        }
    }

    /// Evaluates rule `id` on a decoded record. Returns the severity after
    /// escalation, the field index and the matched range; fills `values`
    /// with the rule's extracted numbers.
    pub fn evaluate(
        &self,
        id: RuleId,
        record: &Record<'_>,
        values: &mut Vec<Option<f64>>,
    ) -> Option<(Severity, usize, (usize, usize))> {
        let rule = &self.rules.rules[id];
        if let Some(min) = rule.min_level {
            if record.level.is_none_or(|l| l < min) {
                return None;
            }
        }
        let (field, span) = rule.fields.iter().enumerate().find_map(|(i, f)| {
            let text = record.field(f)?;
            let m = rule.regex.find(&text)?;
            Some((i, (m.start(), m.end())))
        })?;
        values.clear();
        values.extend(
            rule.extract
                .iter()
                .map(|e| record.number(&e.field).map(|v| e.unit.to_base(v))),
        );
        let mut severity = rule.severity;
        for esc in &rule.escalate {
            if record.number(&esc.field).is_some_and(|v| esc.holds(v)) {
                severity = severity.max(esc.severity);
            }
        }
        Some((severity, field, span))
    }

    /// Decodes `line` and evaluates every rule on it, with no prefilter:
    /// the reference the scanner must agree with.
    pub fn naive(&self, line: &[u8], envelope: Envelope) -> Vec<(RuleId, Severity)> {
        let record = decode::decode(strip_cr(line), envelope, None);
        let mut values = Vec::new();
        (0..self.rules.rules.len())
            .filter_map(|id| {
                self.evaluate(id, &record, &mut values)
                    .map(|(s, _, _)| (id, s))
            })
            .collect()
    }
}

fn strip_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Per-source scanning state: scratch buffers, the source's envelope, CRI
/// partial lines awaiting their end, and counters.
pub struct Scanner<'m> {
    matcher: &'m Matcher,
    envelope: Option<Envelope>,
    lower: Vec<u8>,
    mask: Vec<bool>,
    values: Vec<Option<f64>>,
    /// CRI `P` parts of the line in progress, with the first part's offset
    /// and the runtime's timestamp.
    partial: Vec<u8>,
    partial_offset: u64,
    partial_time: Vec<u8>,
    max_line_bytes: usize,
    /// The block being scanned is the head of an oversized line, whose
    /// missing end is not a JSON error.
    cut_line: bool,
    pub stats: ScanStats,
}

impl<'m> Scanner<'m> {
    /// `envelope: None` detects it from the source's first line.
    pub fn new(matcher: &'m Matcher, envelope: Option<Envelope>, max_line_bytes: usize) -> Self {
        Scanner {
            matcher,
            envelope,
            lower: Vec::new(),
            mask: vec![false; matcher.rules.rules.len()],
            values: Vec::new(),
            partial: Vec::new(),
            partial_offset: 0,
            partial_time: Vec::new(),
            max_line_bytes,
            cut_line: false,
            stats: ScanStats::default(),
        }
    }

    pub fn envelope(&self) -> Option<Envelope> {
        self.envelope
    }

    /// Scans the first `max_line_bytes` of a line the reader cut at the
    /// cap, and counts the cut.
    pub fn scan_oversized<S: MatchSink>(&mut self, head: &[u8], offset: u64, sink: &mut S) {
        self.stats.errors.oversized += 1;
        self.cut_line = true;
        self.scan_block(head, offset, sink);
        self.cut_line = false;
    }

    /// Scans a block of whole lines that starts at byte `offset` of its
    /// source. Lines end with `\n`; only a source's last line may lack it.
    pub fn scan_block<S: MatchSink>(&mut self, block: &[u8], offset: u64, sink: &mut S) {
        if block.is_empty() {
            return;
        }
        let envelope = *self.envelope.get_or_insert_with(|| {
            let first = &block[..memchr(b'\n', block).unwrap_or(block.len())];
            Envelope::detect(first)
        });
        self.stats.bytes += block.len() as u64;
        self.count_bad_bytes(block);
        if envelope == Envelope::Cri {
            self.scan_cri(block, offset, sink);
            return;
        }
        self.classify_lines(block);
        match self.matcher.prefilter.scans_blocks() {
            true => self.prefilter_block(block, offset, envelope, sink),
            false => {
                let mut start = 0;
                while start < block.len() {
                    let end = memchr(b'\n', &block[start..]).map_or(block.len(), |i| start + i);
                    self.lower.clear();
                    self.lower
                        .extend(block[start..end].iter().map(u8::to_ascii_lowercase));
                    let lowered = std::mem::take(&mut self.lower);
                    self.candidate(
                        &block[start..end],
                        &lowered,
                        offset + start as u64,
                        envelope,
                        None,
                        sink,
                    );
                    self.lower = lowered;
                    start = end + 1;
                }
            }
        }
    }

    /// Flushes a CRI line whose last part never came (the source ended).
    pub fn finish<S: MatchSink>(&mut self, sink: &mut S) {
        if !self.partial.is_empty() {
            let line = std::mem::take(&mut self.partial);
            let time = std::mem::take(&mut self.partial_time);
            self.logical_line(&line, self.partial_offset, Envelope::Cri, Some(&time), sink);
        }
    }

    fn prefilter_block<S: MatchSink>(
        &mut self,
        block: &[u8],
        offset: u64,
        envelope: Envelope,
        sink: &mut S,
    ) {
        self.lower.clear();
        self.lower.extend(block.iter().map(u8::to_ascii_lowercase));
        let lower = std::mem::take(&mut self.lower);
        let prefilter = &self.matcher.prefilter;
        prefilter.for_each_anchored_line(block, &lower, |start, end| {
            self.candidate(
                &block[start..end],
                &lower[start..end],
                offset + start as u64,
                envelope,
                None,
                sink,
            );
        });
        self.lower = lower;
    }

    fn candidate<S: MatchSink>(
        &mut self,
        raw: &[u8],
        lowered: &[u8],
        offset: u64,
        envelope: Envelope,
        envelope_time: Option<&[u8]>,
        sink: &mut S,
    ) {
        // A line over the cap is read up to the cap; the rest is skipped
        // (the reader cuts lines that do not fit its buffer the same way).
        let cap = raw.len().min(self.max_line_bytes);
        let (raw, lowered) = (&raw[..cap], &lowered[..cap]);
        let matcher = self.matcher;
        if !matcher.prefilter.candidate_rules(lowered, &mut self.mask) {
            return;
        }
        self.stats.candidates += 1;
        let record = decode::decode(strip_cr(raw), envelope, envelope_time);
        let format_index = Format::ALL
            .iter()
            .position(|f| *f == record.format)
            .unwrap_or(0);
        self.stats.decoded_by_format[format_index] += 1;
        if record.invalid_json && looks_complete_json(raw) {
            self.stats.errors.invalid_json += 1;
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
    fn logical_line<S: MatchSink>(
        &mut self,
        line: &[u8],
        offset: u64,
        envelope: Envelope,
        envelope_time: Option<&[u8]>,
        sink: &mut S,
    ) {
        self.classify_line(line);
        self.lower.clear();
        self.lower.extend(line.iter().map(u8::to_ascii_lowercase));
        let lowered = std::mem::take(&mut self.lower);
        if self.matcher.prefilter.admits(&lowered) {
            self.candidate(line, &lowered, offset, envelope, envelope_time, sink);
        }
        self.lower = lowered;
    }

    fn scan_cri<S: MatchSink>(&mut self, block: &[u8], offset: u64, sink: &mut S) {
        let mut start = 0;
        while start < block.len() {
            let end = memchr(b'\n', &block[start..]).map_or(block.len(), |i| start + i);
            let line = strip_cr(&block[start..end]);
            let line_offset = offset + start as u64;
            match parse_cri(line) {
                Some(cri) if cri.partial => {
                    if self.partial.is_empty() {
                        self.partial_offset = line_offset;
                        self.partial_time.clear();
                        self.partial_time.extend_from_slice(cri.time);
                    }
                    let room = self.max_line_bytes.saturating_sub(self.partial.len());
                    if cri.body.len() > room {
                        self.stats.errors.oversized += u64::from(room > 0);
                    }
                    self.partial
                        .extend_from_slice(&cri.body[..cri.body.len().min(room)]);
                }
                Some(cri) => {
                    if self.partial.is_empty() {
                        self.logical_line(
                            cri.body,
                            line_offset,
                            Envelope::Cri,
                            Some(cri.time),
                            sink,
                        );
                    } else {
                        let mut joined = std::mem::take(&mut self.partial);
                        let room = self.max_line_bytes.saturating_sub(joined.len());
                        joined.extend_from_slice(&cri.body[..cri.body.len().min(room)]);
                        let time = std::mem::take(&mut self.partial_time);
                        self.logical_line(
                            &joined,
                            self.partial_offset,
                            Envelope::Cri,
                            Some(&time),
                            sink,
                        );
                        joined.clear();
                        self.partial = joined;
                        self.partial_time = time;
                    }
                }
                None => self.logical_line(line, line_offset, Envelope::Raw, None, sink),
            }
            start = end + 1;
        }
    }

    fn classify_lines(&mut self, block: &[u8]) {
        let mut start = 0;
        for nl in memchr_iter(b'\n', block) {
            self.classify_line(&block[start..nl]);
            start = nl + 1;
        }
        if start < block.len() {
            self.classify_line(&block[start..]);
        }
    }

    #[inline]
    fn classify_line(&mut self, line: &[u8]) {
        self.stats.lines += 1;
        if line.len() > self.max_line_bytes {
            self.stats.errors.oversized += 1;
        }
        match line.first() {
            Some(b'{') => {
                self.stats.json_lines += 1;
                if !self.cut_line && !looks_complete_json(line) {
                    self.stats.errors.truncated_json += 1;
                }
            }
            _ => self.stats.text_lines += 1,
        }
    }

    /// Counts lines holding invalid UTF-8 or NUL bytes. Both scans run over
    /// the whole block at SIMD speed and only look at lines when they find
    /// something.
    fn count_bad_bytes(&mut self, block: &[u8]) {
        // Most log blocks are pure ASCII, which checks faster than UTF-8.
        let mut rest = if block.is_ascii() {
            &block[block.len()..]
        } else {
            block
        };
        while let Err(e) = std::str::from_utf8(rest) {
            self.stats.errors.invalid_utf8 += 1;
            let bad = e.valid_up_to();
            match memchr(b'\n', &rest[bad..]) {
                Some(i) => rest = &rest[bad + i + 1..],
                None => break,
            }
        }
        let mut pos = 0;
        while let Some(i) = memchr(0, &block[pos..]) {
            self.stats.errors.nul_bytes += 1;
            match memchr(b'\n', &block[pos + i..]) {
                Some(j) => pos += i + j + 1,
                None => break,
            }
        }
    }
}

fn looks_complete_json(line: &[u8]) -> bool {
    line.iter()
        .rev()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'}')
}

#[cfg(test)]
mod tests;
