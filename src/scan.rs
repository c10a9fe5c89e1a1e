//! One-shot scanning of files and standard input: open each source
//! (gunzipping rotated `.gz` files), feed its blocks to a [`Scanner`], and
//! collect the statistics the report needs.

use std::fs::File;
use std::io::{self, IsTerminal, Read, Write};
use std::path::PathBuf;

use flate2::read::MultiGzDecoder;

use crate::aggregate::Aggregator;
use crate::decode::{self, parse_cri, Envelope};
use crate::framing::{Chunk, LineReader};
use crate::matcher::{Matcher, ScanStats, Scanner};
use crate::sink::{MatchSink, Tee};

/// Where lines come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    pub fn from_arg(arg: &str) -> Input {
        if arg == "-" {
            Input::Stdin
        } else {
            Input::File(PathBuf::from(arg))
        }
    }

    pub fn name(&self) -> String {
        match self {
            Input::Stdin => "stdin".into(),
            Input::File(p) => p.display().to_string(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("cannot open {path}: {source}")]
    Open {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("error reading {name}: {source}")]
    Read {
        name: String,
        #[source]
        source: io::Error,
    },
}

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

/// A sink that wants to know which source the next matches come from.
pub trait SourceAware: MatchSink {
    fn set_source(&mut self, name: &str);
}

/// A sink that ignores matches and sources.
pub struct NoSink;
impl MatchSink for NoSink {
    fn matched(&mut self, _: &crate::sink::Match<'_>) {}
}
impl SourceAware for NoSink {
    fn set_source(&mut self, _: &str) {}
}

/// Scans every input in order into `aggregator`, also passing each match
/// to `extra` (the match output). Stops at the first source that cannot be
/// opened or read.
pub fn scan_inputs<S: SourceAware>(
    matcher: &Matcher,
    inputs: &[Input],
    options: &ScanOptions,
    aggregator: &mut Aggregator,
    extra: &mut S,
) -> Result<Vec<SourceSummary>, ScanError> {
    let mut summaries = Vec::new();
    for input in inputs {
        let name = input.name();
        extra.set_source(&name);
        let (reader, size) = open(input)?;
        let progress = (options.progress && size > 64 << 20 && io::stderr().is_terminal())
            .then(|| Progress::new(&name, size));
        let mut scanner = Scanner::new(matcher, options.envelope, options.max_line_bytes);
        let mut lines = LineReader::new(reader, options.max_line_bytes);
        let mut first_line_seen = false;
        let mut last_line: Vec<u8> = Vec::new();
        loop {
            let chunk = lines.next_chunk().map_err(|source| ScanError::Read {
                name: name.clone(),
                source,
            })?;
            let Some(chunk) = chunk else { break };
            let mut sink = Tee(aggregator, extra);
            match chunk {
                Chunk::Lines { data, offset } => {
                    scanner.scan_block(data, offset, &mut sink);
                    let body = data.strip_suffix(b"\n").unwrap_or(data);
                    let last_start = memchr::memrchr(b'\n', body).map_or(0, |i| i + 1);
                    if !first_line_seen {
                        first_line_seen = true;
                        let first = &body[..memchr::memchr(b'\n', body).unwrap_or(body.len())];
                        if let Some(t) = line_timestamp(first, scanner.envelope()) {
                            sink.0.observe_time(t);
                        }
                    }
                    last_line.clear();
                    last_line.extend_from_slice(&body[last_start..]);
                    if let Some(p) = &progress {
                        p.update(offset + data.len() as u64);
                    }
                }
                Chunk::Oversized { data, offset } => {
                    scanner.scan_oversized(data, offset, &mut sink);
                }
            }
        }
        scanner.finish(&mut Tee(aggregator, extra));
        if let Some(t) = line_timestamp(&last_line, scanner.envelope()) {
            aggregator.observe_time(t);
        }
        if let Some(p) = progress {
            p.clear();
        }
        summaries.push(SourceSummary {
            name,
            envelope: scanner.envelope().unwrap_or(Envelope::Raw),
            stats: scanner.stats.clone(),
        });
    }
    Ok(summaries)
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

fn open(input: &Input) -> Result<(Box<dyn Read>, u64), ScanError> {
    match input {
        Input::Stdin => Ok((Box::new(io::stdin().lock()), 0)),
        Input::File(path) => {
            let err = |source| ScanError::Open {
                path: path.clone(),
                source,
            };
            let mut file = File::open(path).map_err(err)?;
            let size = file.metadata().map(|m| m.len()).unwrap_or(0);
            let gz = is_gzip(&mut file).map_err(err)?;
            if gz {
                Ok((
                    Box::new(MultiGzDecoder::new(io::BufReader::new(file))),
                    size,
                ))
            } else {
                Ok((Box::new(file), size))
            }
        }
    }
}

/// Gzip by its magic bytes, whatever the file is called (rotated logs are
/// not always named `.gz`). Leaves the file positioned at its start.
fn is_gzip(file: &mut File) -> io::Result<bool> {
    use std::io::Seek;
    let mut magic = [0u8; 2];
    let n = file.read(&mut magic)?;
    file.seek(io::SeekFrom::Start(0))?;
    Ok(n == 2 && magic == [0x1f, 0x8b])
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
