//! One-shot scanning of files and standard input: each source is read
//! through the one framer and scanner into the aggregation (and the match
//! output), and what was read is summed up for the report.

use std::io::{self, IsTerminal, Write};

use crate::aggregate::Aggregation;
use crate::decode::{self, parse_cri, Envelope};
use crate::error::InputError;
use crate::framing::{line_content, Chunk, Cursor, Framer};
use crate::input::Input;
use crate::matcher::{Matcher, ScanStats, Scanner, SourceScan};
use crate::sink::{MatchSink, Tee};

#[derive(Debug, Clone)]
pub struct ScanOptions {
    pub max_line_bytes: usize,
    /// `None`: detect each source's envelope from its first line.
    pub envelope: Option<Envelope>,
    /// Show a progress line on stderr for large files (when it is a terminal).
    pub progress: bool,
}

/// What was read from one source.
#[derive(Debug, Clone)]
pub struct SourceSummary {
    pub name: String,
    pub envelope: Envelope,
    pub stats: ScanStats,
}

/// Scans every input in order into `aggregation`, also passing each match
/// to `out` (the match output). Stops at the first source that cannot be
/// opened or read.
pub fn scan_inputs<S: MatchSink>(
    matcher: &Matcher,
    inputs: &[Input],
    options: &ScanOptions,
    aggregation: &mut Aggregation,
    out: &mut S,
) -> Result<Vec<SourceSummary>, InputError> {
    let mut framer = Framer::new(options.max_line_bytes);
    let mut scanner = Scanner::new(options.max_line_bytes);
    let mut summaries = Vec::new();
    for input in inputs {
        let name = input.name();
        out.source(&name);
        let (mut reader, size) = input.open()?;
        let progress = (options.progress && size > 64 << 20 && io::stderr().is_terminal())
            .then(|| Progress::new(&name, size));
        let mut cursor = Cursor::default();
        let mut source = SourceScan::new(options.envelope);
        let mut edges = TimeEdges::default();
        let mut sink = Tee(aggregation, out);
        loop {
            let n = framer
                .read(&mut cursor, &mut reader, |chunk| {
                    edges.see(&chunk);
                    scanner.scan(matcher, &mut source, chunk, &mut sink);
                })
                .map_err(|source| InputError::Read {
                    name: name.clone(),
                    source,
                })?;
            if n == 0 {
                break;
            }
            if let Some(p) = &progress {
                p.update(cursor.consumed());
            }
        }
        framer.flush(&mut cursor, |chunk| {
            edges.see(&chunk);
            scanner.scan(matcher, &mut source, chunk, &mut sink);
        });
        scanner.finish(matcher, &mut source, &mut sink);
        for line in [&edges.first, &edges.last] {
            if let Some(t) = line_timestamp(line, source.envelope()) {
                sink.0.observe_time(t);
            }
        }
        if let Some(p) = progress {
            p.clear();
        }
        let mut stats = source.stats.clone();
        stats.bytes = cursor.consumed();
        summaries.push(SourceSummary {
            name,
            envelope: source.envelope().unwrap_or(Envelope::Raw),
            stats,
        });
    }
    Ok(summaries)
}

/// A source's first and last lines, whose timestamps bound the log's time
/// span whether or not they matched.
#[derive(Default)]
struct TimeEdges {
    first: Vec<u8>,
    last: Vec<u8>,
    seen: bool,
}

impl TimeEdges {
    fn see(&mut self, chunk: &Chunk<'_>) {
        let data = match chunk {
            Chunk::Lines { data, .. } => line_content(data),
            Chunk::Oversized { .. } => return,
        };
        if !self.seen {
            self.seen = true;
            let end = memchr::memchr(b'\n', data).unwrap_or(data.len());
            self.first.extend_from_slice(line_content(&data[..end]));
        }
        let start = memchr::memrchr(b'\n', data).map_or(0, |i| i + 1);
        self.last.clear();
        self.last.extend_from_slice(line_content(&data[start..]));
    }
}

/// The log's own timestamp of one physical line, if it has one.
fn line_timestamp(line: &[u8], envelope: Option<Envelope>) -> Option<i64> {
    if line.is_empty() {
        return None;
    }
    match envelope {
        Some(Envelope::Cri) => {
            let cri = parse_cri(line)?;
            decode::decode(cri.body, Envelope::Cri, Some(cri.time)).timestamp
        }
        Some(e) => decode::decode(line, e, None).timestamp,
        None => decode::decode(line, Envelope::Raw, None).timestamp,
    }
}

/// A one-line progress indicator on stderr.
struct Progress {
    name: String,
    size: u64,
}

impl Progress {
    fn new(name: &str, size: u64) -> Self {
        Progress {
            name: name.to_string(),
            size,
        }
    }

    fn update(&self, done: u64) {
        let pct = done.saturating_mul(100) / self.size.max(1);
        let _ = write!(
            io::stderr(),
            "\rscanning {} {:>3}%",
            self.name,
            pct.min(100)
        );
    }

    fn clear(&self) {
        let _ = write!(io::stderr(), "\r{}\r", " ".repeat(self.name.len() + 16));
    }
}
