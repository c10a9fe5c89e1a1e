//! The hot loop: let the prefilter pick the lines some rule can match,
//! and which rules, decode only those, and confirm them with the rules'
//! regexes.
//!
//! A [`Scanner`] holds the scratch buffers and is shared by every source a
//! thread reads; a [`SourceScan`] is what one source keeps between chunks
//! (its envelope, a CRI line waiting for its last part, its counts), so
//! memory does not grow with the number of sources.
//!
//! Invariants of the hot path (everything a line no rule can match costs):
//! - one sieve of every rule's literals searches the block's bytes as they
//!   are (ASCII case ignored, nothing copied); lines are located around
//!   each hit with memchr, never split up front;
//! - the per-line pass only counts lines, classifies them as JSON or text
//!   by their first byte, and spots truncated JSON by the last byte;
//! - nothing allocates per line until a line is a candidate;
//! - a line with a terminal colour code or a `\u` escape is a candidate
//!   for every rule; its text as decoding reads it (Docker's `log`
//!   unwrapped, the codes taken out, the JSON escapes read) is written
//!   into kept buffers and searched by the sieve again, and it is decoded
//!   only when that text holds a literal;
//! - a line no rule matched is looked at again only if it is a candidate
//!   (the error words of `mine::ERROR_WORDS` are among the sieve's
//!   literals) and is logged at WARN or worse: then it is counted and
//!   handed to the sink as unmatched, for the template miner.
//!
//! Exactness: every line whose decoded fields a rule's regex matches holds
//! one of the rule's cover literals in its raw bytes (ASCII case ignored),
//! or holds a `\u` escape, a Serilog template or a colour code, which make
//! it a candidate for every rule (see `rules::literals`). A line with a
//! colour code or a `\u` escape has its decoded fields from its text as
//! decoding reads it: a text line's fields hold that text as it is, a JSON
//! line's hold its strings with their escapes read, and a literal (which
//! holds no character JSON escapes) that a field holds is in one of the
//! two (control characters stay written as JSON writes them, as in a
//! field that is an array or an object, read back as JSON text). The
//! property tests in `tests/` check the scanner against decoding and
//! evaluating every line, bare and inside Docker's json-file entries.

use std::sync::Arc;
use std::time::{Duration, Instant};

use memchr::{memchr, memchr_iter, memmem};

use super::records::{self, Grouping, Open};
use super::split::{has_docker_split, Deferred, Held};
use super::{Matcher, ScanStats};
use crate::decode::{self, Envelope, Format};
use crate::framing::{line_content, lines, Chunk};
use crate::mine;
use crate::sink::{Match, MatchSink, Unmatched};

/// What one source keeps between chunks.
#[derive(Debug, Clone, Default)]
pub struct SourceScan {
    /// `None` until the first line shows it (or the user named it).
    envelope: Option<Envelope>,
    /// A line the container runtime split (CRI `P` parts, Docker entries
    /// without their newline), joined so far.
    pub(super) held: Held,
    /// The other stream's lines read while `held` waits for its last part,
    /// scanned after it.
    pub(super) deferred: Deferred,
    /// How lines group into records; `None` until the reader chooses (then
    /// `auto`).
    pub(super) grouping: Option<Arc<Grouping>>,
    /// A multi-line record that may go on in the next read.
    pub(super) record: HeldRecord,
    /// Events counted lately, to know one reported again.
    pub(super) events: RecentEvents,
    pub stats: ScanStats,
}

/// Events this source's matches were counted for lately, by category and
/// identity (a rule's `event_key`): a program that reports one event in
/// two records (PostgreSQL's `LOG: ... detected deadlock while waiting`,
/// then the `ERROR: deadlock detected` of the same backend) is counted
/// once. Bounded: the last [`RecentEvents::KEPT`] events.
#[derive(Debug, Clone, Default)]
pub(super) struct RecentEvents {
    /// Category, identity, the record's time (Unix microseconds).
    seen: std::collections::VecDeque<(String, String, Option<i64>)>,
}

impl RecentEvents {
    const KEPT: usize = 64;
    /// How far apart two records of one event are at most.
    const WINDOW_MICROS: i64 = 5_000_000;

    /// Whether this event was counted already; remembers it if not. Two
    /// records are of one event when category and identity agree and they
    /// are at most [`RecentEvents::WINDOW_MICROS`] apart (or either has no
    /// time).
    fn repeated(&mut self, category: &str, key: &str, at: Option<i64>) -> bool {
        let same = self.seen.iter().any(|(c, k, t)| {
            c == category
                && k == key
                && match (t, at) {
                    (Some(t), Some(at)) => (at - t).abs() <= Self::WINDOW_MICROS,
                    _ => true,
                }
        });
        if !same {
            if self.seen.len() == Self::KEPT {
                self.seen.pop_front();
            }
            self.seen
                .push_back((category.to_string(), key.to_string(), at));
        }
        same
    }
}

/// A multi-line record held between reads: its lines joined by `\n`
/// (capped at `max_line_bytes`), where its first line ends, and its kind.
#[derive(Debug, Clone, Default)]
pub(super) struct HeldRecord {
    pub(super) text: Vec<u8>,
    pub(super) first_len: usize,
    pub(super) lines: u32,
    pub(super) open: Option<Open>,
    pub(super) offset: u64,
    pub(super) envelope_time: Vec<u8>,
    pub(super) since: Option<Instant>,
    pub(super) cut: bool,
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

    /// The offset of the first part of a split line still waiting for its
    /// last part, or of the first line of a record that may go on: a
    /// checkpoint must resume there, so that a restart reads the whole line
    /// or record again.
    pub fn held_from(&self) -> Option<u64> {
        let split = self.held.open.then_some(self.held.offset);
        let record = self.record.open.map(|_| self.record.offset);
        split.into_iter().chain(record).min()
    }

    /// Drops what is held of a file truncated in place: its copy is read
    /// on from where the held line or record began. Its lines are counted
    /// again there.
    pub fn drop_held(&mut self) {
        self.stats.lines -= u64::from(self.record.lines).min(self.stats.lines);
        self.held = Held::default();
        self.deferred = Deferred::default();
        self.record = HeldRecord::default();
    }

    /// Lines of a held record already counted as read: a restart reads
    /// them again.
    pub fn held_lines(&self) -> u64 {
        u64::from(self.record.lines)
    }

    /// Groups this source's lines as `grouping` says.
    pub fn set_grouping(&mut self, grouping: Arc<Grouping>) {
        self.grouping = Some(grouping);
    }

    pub fn has_grouping(&self) -> bool {
        self.grouping.is_some()
    }
}

/// Scratch buffers of the hot loop, lent to one source at a time.
#[derive(Debug)]
pub struct Scanner {
    /// One flag per rule: the rules a candidate line may match.
    pub(super) mask: Vec<bool>,
    /// A coloured line's text without its codes, that text with its JSON
    /// escapes read, and the rules they may match (see
    /// `readable_candidate_rules`).
    decoded_text: String,
    escapes_read: String,
    /// A JSON string's text as decoding holds it when its colour codes are
    /// written as `\u001b` escapes: the codes real, then taken out.
    string_text: String,
    decoded_mask: Vec<bool>,
    values: Vec<Option<f64>>,
    /// The cap on a line joined from its parts, and on a record.
    pub(super) max_line_bytes: usize,
    /// Line starts of a block's candidate lines (grouped blocks).
    pub(super) candidates: Vec<usize>,
    /// A split line's last part, and a multi-line record's next line, are
    /// waited for this long.
    pub partial_line_flush: Duration,
    pub multiline_flush: Duration,
    /// The chunk being scanned is the head of an oversized line, whose
    /// missing end is not a JSON error.
    pub(super) cut_line: bool,
    /// Time spent scanning (prefilter, decoding, regexes).
    pub busy: Duration,
    /// Chunks scanned.
    pub chunks: u64,
}

impl Scanner {
    pub fn new(max_line_bytes: usize) -> Scanner {
        Scanner {
            mask: Vec::new(),
            decoded_text: String::new(),
            escapes_read: String::new(),
            string_text: String::new(),
            decoded_mask: Vec::new(),
            values: Vec::new(),
            max_line_bytes,
            candidates: Vec::new(),
            partial_line_flush: Duration::from_secs(5),
            multiline_flush: Duration::from_secs(1),
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
        let envelope = *source.envelope.get_or_insert_with(|| {
            let first = &block[..memchr(b'\n', block).unwrap_or(block.len())];
            Envelope::detect(first)
        });
        count_bad_bytes(&mut source.stats, block);
        if envelope == Envelope::Cri {
            self.scan_cri(matcher, source, block, offset, sink);
            return;
        }
        if envelope == Envelope::Docker && (source.held.open || has_docker_split(block)) {
            self.scan_docker(matcher, source, block, offset, sink);
            return;
        }
        let text_before = source.stats.text_lines;
        let groupable = self.classify_lines(&mut source.stats, block);
        let grouping = source.grouping.clone().unwrap_or_default();
        if !grouping.off() {
            let text = source.stats.text_lines > text_before;
            // PostgreSQL's continuation lines look like any dated line;
            // its `:  ` says they may be there.
            let postgres = text && memchr::memmem::find(block, b":  ").is_some();
            if source.record.open.is_some()
                || grouping.always()
                || (text && (groupable || postgres || records::last_may_be_header(block)))
            {
                self.scan_grouped(matcher, source, block, offset, postgres, sink);
                return;
            }
        }
        if !matcher.prefilter.scans_blocks() {
            for (start, line) in lines(block) {
                self.candidate(
                    matcher,
                    &mut source.stats,
                    &mut source.events,
                    line,
                    offset + start as u64,
                    envelope,
                    None,
                    sink,
                );
            }
            return;
        }
        let mut mask = self.take_mask(matcher);
        matcher
            .prefilter
            .for_each_candidate_line(block, &mut mask, |start, end, mask| {
                self.decode_and_match(
                    matcher,
                    &mut source.stats,
                    &mut source.events,
                    line_content(&block[start..end]),
                    mask,
                    offset + start as u64,
                    envelope,
                    None,
                    sink,
                );
            });
        self.mask = mask;
    }

    /// Scans what a source still holds when it ends or is let go: a split
    /// line whose last part never came (counted as unfinished), and a
    /// multi-line record.
    pub fn finish<S: MatchSink>(
        &mut self,
        matcher: &Matcher,
        source: &mut SourceScan,
        sink: &mut S,
    ) {
        // The deferred lines scanned after a split line may hold another.
        while source.held.open {
            source.stats.errors.unfinished += 1;
            self.scan_held(matcher, source, sink);
        }
        self.close_record(matcher, source, sink);
    }

    /// Closes the record held for more lines, as it is, unless a split
    /// line is held too: its writer finishes that line, and a restart reads
    /// both whole from where they begin.
    pub fn end_record<S: MatchSink>(
        &mut self,
        matcher: &Matcher,
        source: &mut SourceScan,
        sink: &mut S,
    ) {
        if !source.held.open {
            self.close_record(matcher, source, sink);
        }
    }

    /// Scans a split line held for `partial_line_flush`, and a record that
    /// got no line for `multiline_flush`.
    pub fn finish_stale<S: MatchSink>(
        &mut self,
        matcher: &Matcher,
        source: &mut SourceScan,
        sink: &mut S,
    ) {
        if source
            .held
            .since
            .is_some_and(|t| t.elapsed() >= self.partial_line_flush)
        {
            source.stats.errors.unfinished += 1;
            self.scan_held(matcher, source, sink);
        }
        if source
            .record
            .since
            .is_some_and(|t| t.elapsed() >= self.multiline_flush)
        {
            self.close_record(matcher, source, sink);
        }
    }

    /// A line or record outside the block search (CRI lines, joined
    /// parts, multi-line records, every line when some rule has no
    /// cover): asks the prefilter which rules it may match, then decodes
    /// and matches it if any.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn candidate<S: MatchSink>(
        &mut self,
        matcher: &Matcher,
        stats: &mut ScanStats,
        events: &mut RecentEvents,
        raw: &[u8],
        offset: u64,
        envelope: Envelope,
        envelope_time: Option<&[u8]>,
        sink: &mut S,
    ) {
        let raw = line_content(raw);
        let mut mask = self.take_mask(matcher);
        if matcher.prefilter.candidate_rules(raw, &mut mask) {
            self.decode_and_match(
                matcher,
                stats,
                events,
                raw,
                &mask,
                offset,
                envelope,
                envelope_time,
                sink,
            );
        }
        self.mask = mask;
    }

    /// The rule mask, sized for `matcher` (one scanner serves matchers
    /// swapped between passes); put it back when done.
    pub(super) fn take_mask(&mut self, matcher: &Matcher) -> Vec<bool> {
        let mut mask = std::mem::take(&mut self.mask);
        mask.resize(matcher.rules.rules.len(), false);
        mask
    }

    /// Decodes a candidate and evaluates the rules `mask` admits.
    #[allow(clippy::too_many_arguments)]
    fn decode_and_match<S: MatchSink>(
        &mut self,
        matcher: &Matcher,
        stats: &mut ScanStats,
        events: &mut RecentEvents,
        raw: &[u8],
        mask: &[bool],
        offset: u64,
        envelope: Envelope,
        envelope_time: Option<&[u8]>,
        sink: &mut S,
    ) {
        // A line with a terminal colour code or a `\u` escape is a
        // candidate for every rule, since a code can split a literal and an
        // escape can spell one. Read as decoding reads them, the line's text
        // says which rules to try, and a line whose text holds no literal
        // is not decoded at all.
        let readable = needs_reading(raw);
        if readable && !self.readable_candidate_rules(matcher, raw, envelope, envelope_time) {
            return;
        }
        let admitted = if readable { &self.decoded_mask } else { mask };
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
        let mut matched = false;
        matcher.evaluate_admitted(
            |id| admitted[id],
            &record,
            &mut self.values,
            |id, verdict, values| {
                // A record counted by resemblance matched no rule: it is
                // still unmatched trouble, for `suggest` to write a rule for.
                matched |= verdict.resembled.is_none();
                let rule = &matcher.rules.rules[id];
                if let Some(key) = &verdict.event {
                    if events.repeated(&rule.category, key, record.timestamp) {
                        stats.repeated_events += 1;
                        return;
                    }
                }
                sink.matched(&Match {
                    rule_id: id,
                    rule,
                    severity: verdict.severity,
                    record: &record,
                    offset,
                    raw,
                    field: &rule.fields[verdict.field],
                    span: verdict.span,
                    values,
                    resembled: verdict.resembled,
                });
            },
        );
        if matched || record.is_own_log() {
            return;
        }
        if let Some(level) = mine::trouble_level(record.level, &record.line) {
            stats.unmatched[level] += 1;
            sink.unmatched(&Unmatched {
                record: &record,
                raw,
                level,
            });
        }
    }

    /// The rules a line with a colour code or a `\u` escape may match,
    /// into `decoded_mask`; false when there are none. It takes the steps
    /// decoding takes: Docker's `log` unwrapped, the terminal escapes taken
    /// out; then the literals of that text, and of it with its JSON
    /// escapes read (see `decode::write_json_escapes_read`). A Serilog
    /// template or a letter `(?i)` folds to ASCII, in the text with its
    /// escapes read, makes every rule a candidate.
    fn readable_candidate_rules(
        &mut self,
        matcher: &Matcher,
        raw: &[u8],
        envelope: Envelope,
        envelope_time: Option<&[u8]>,
    ) -> bool {
        let prefilter = &matcher.prefilter;
        let mask = &mut self.decoded_mask;
        mask.resize(matcher.rules.rules.len(), false);
        let (unwrapped, _) = decode::unwrapped(raw, envelope, envelope_time);
        let line: &str = if unwrapped.contains('\x1b') {
            decode::write_without_escapes(&unwrapped, &mut self.decoded_text);
            &self.decoded_text
        } else {
            &unwrapped
        };
        self.escapes_read.clear();
        if memmem::find(line.as_bytes(), b"\\u").is_none() {
            return prefilter.candidate_rules(line.as_bytes(), mask);
        }
        decode::write_json_escapes_read(line, &mut self.escapes_read);
        let read = self.escapes_read.as_bytes();
        if prefilter.holds_unreadable(read) {
            mask.fill(true);
            return true;
        }
        // A text line's fields hold its escapes as written, a JSON line's
        // hold them read.
        let mut any = prefilter.uncovered_into(mask)
            | prefilter.literal_rules_into(line.as_bytes(), mask)
            | prefilter.literal_rules_into(read, mask);
        // The text above keeps control characters as JSON writes them, but
        // a string field holds a colour code written `\u001b[31m` as the
        // real code, and a regex may match across it (`\S+ \S+ sC` over
        // `-\x1b[31m - sCD`) where a keyword does not: that field's text
        // is searched without its codes too. Such lines are rare, so the
        // replacement's allocation is left.
        let colour = |e: &[u8]| memmem::find(read, e).is_some();
        if colour(b"\\u001b") || colour(b"\\u001B") {
            let real = self
                .escapes_read
                .replace("\\u001b", "\x1b")
                .replace("\\u001B", "\x1b");
            decode::write_without_escapes(&real, &mut self.string_text);
            any |= prefilter.literal_rules_into(self.string_text.as_bytes(), mask);
        }
        any
    }

    /// The rules the scanner tries on one line (its envelope's body), and
    /// for a line with a colour code or a `\u` escape the texts it
    /// searched instead, one a line: for `explain`. No rule when the line
    /// would not be decoded.
    pub fn rules_tried(
        &mut self,
        matcher: &Matcher,
        raw: &[u8],
        envelope: Envelope,
        envelope_time: Option<&[u8]>,
    ) -> (Vec<bool>, Option<String>) {
        let mut mask = self.take_mask(matcher);
        let any = matcher.prefilter.candidate_rules(raw, &mut mask);
        let tried = if !any {
            vec![false; mask.len()]
        } else if !needs_reading(raw) {
            mask.clone()
        } else {
            let any = self.readable_candidate_rules(matcher, raw, envelope, envelope_time);
            self.decoded_mask.iter().map(|&t| t && any).collect()
        };
        self.mask = mask;
        let searched = needs_reading(raw).then(|| {
            // The line `readable_candidate_rules` searched, which it
            // borrows or keeps in a buffer, and its escapes read.
            let (unwrapped, _) = decode::unwrapped(raw, envelope, envelope_time);
            let line = decode::without_escapes(unwrapped);
            format!("{line}\n{}", self.escapes_read)
        });
        (tried, searched)
    }

    /// One logical line outside the block search (CRI lines, joined
    /// partials): counted and classified, then a candidate on its own.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn logical_line<S: MatchSink>(
        &mut self,
        matcher: &Matcher,
        stats: &mut ScanStats,
        events: &mut RecentEvents,
        line: &[u8],
        offset: u64,
        envelope: Envelope,
        envelope_time: Option<&[u8]>,
        sink: &mut S,
    ) {
        classify_line(stats, line, self.cut_line);
        self.candidate(
            matcher,
            stats,
            events,
            line,
            offset,
            envelope,
            envelope_time,
            sink,
        );
    }

    /// Counts and classifies a block's lines; returns whether one of them
    /// may start or continue a multi-line record (a test of its first
    /// bytes, on the line start this walk has at hand anyway).
    fn classify_lines(&self, stats: &mut ScanStats, block: &[u8]) -> bool {
        let mut start = 0;
        let mut groupable = false;
        for nl in memchr_iter(b'\n', block) {
            groupable |= classify_line(stats, &block[start..nl], self.cut_line);
            start = nl + 1;
        }
        if start < block.len() {
            groupable |= classify_line(stats, &block[start..], self.cut_line);
        }
        groupable
    }
}

#[inline]
/// Counts a line as JSON or text; returns whether a text line may start or
/// continue a multi-line record (JSON lines never do).
pub(super) fn classify_line(stats: &mut ScanStats, line: &[u8], cut_line: bool) -> bool {
    stats.lines += 1;
    match line.first() {
        Some(b'{') => {
            stats.json_lines += 1;
            if !cut_line && !looks_complete_json(line) {
                stats.errors.truncated_json += 1;
            }
            false
        }
        _ => {
            stats.text_lines += 1;
            records::opens_or_continues(line)
        }
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

/// Whether a candidate line holds a terminal escape or a `\u` escape, so
/// that the rules to try come from its text as decoding reads it.
fn needs_reading(raw: &[u8]) -> bool {
    memchr(0x1b, raw).is_some() || memmem::find(raw, b"\\u").is_some()
}
