//! Match output: every match as one JSON line, for piping into other
//! tools, for audits, and for tests that follow every line.

use std::io::{self, Write};

use serde::Serialize;

use std::sync::Arc;

use crate::decode::{self, time::format_rfc3339};
use crate::pod::PodLabels;
use crate::redact::{self, Redactor};
use crate::sink::{Match, MatchSink, Source};

/// Writes matches as JSON lines. The first write error is kept and later
/// matches are dropped, so a closed pipe does not stop the scan.
pub struct MatchWriter<W: Write> {
    out: W,
    source: String,
    /// The pod the source belongs to, if it is a pod's log.
    pod: Option<Arc<PodLabels>>,
    pub error: Option<io::Error>,
    /// Redacts the line, when asked (it is kept as read by default: the
    /// match output is an audit trail on the machine's own disk).
    redactor: Option<Arc<Redactor>>,
}

#[derive(Serialize)]
struct MatchLine<'a> {
    time: Option<String>,
    source: &'a str,
    offset: u64,
    rule: &'a str,
    category: &'a str,
    severity: &'a str,
    trace_id: Option<&'a str>,
    span_id: Option<&'a str>,
    /// For a record no rule matched, counted by resemblance: how strongly
    /// it resembles the category.
    #[serde(skip_serializing_if = "Option::is_none")]
    resembled: Option<f32>,
    /// `namespace`, `pod` and `container`, for a pod's log.
    #[serde(flatten)]
    pod: Option<&'a PodLabels>,
    line: &'a str,
}

impl<W: Write> MatchWriter<W> {
    pub fn new(out: W) -> Self {
        MatchWriter {
            out,
            source: String::new(),
            pod: None,
            error: None,
            redactor: None,
        }
    }

    /// Redacts each line with `redactor`.
    pub fn redacted(mut self, redactor: Option<Arc<Redactor>>) -> Self {
        self.redactor = redactor;
        self
    }

    /// Redacts the lines written from now on with `redactor` (a reload).
    pub fn set_redactor(&mut self, redactor: Option<Arc<Redactor>>) {
        self.redactor = redactor;
    }

    pub fn get_ref(&self) -> &W {
        &self.out
    }

    pub fn get_mut(&mut self) -> &mut W {
        &mut self.out
    }

    pub fn flush(&mut self) -> io::Result<()> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.out.flush()
    }
}

impl<W: Write> MatchSink for MatchWriter<W> {
    fn matched(&mut self, m: &Match<'_>) {
        if self.error.is_some() {
            return;
        }
        // The line as read, less its terminal colour codes.
        let line = decode::without_escapes(String::from_utf8_lossy(m.raw));
        let line = redact::apply(self.redactor.as_deref(), &line);
        let record = MatchLine {
            time: m.record.timestamp.map(format_rfc3339),
            source: &self.source,
            offset: m.offset,
            rule: &m.rule.name,
            category: &m.rule.category,
            severity: m.severity.as_str(),
            trace_id: m.record.trace_id.as_deref(),
            span_id: m.record.span_id.as_deref(),
            resembled: m.resembled,
            pod: self.pod.as_deref(),
            line: &line,
        };
        let result = serde_json::to_writer(&mut self.out, &record)
            .map_err(io::Error::from)
            .and_then(|()| self.out.write_all(b"\n"));
        if let Err(e) = result {
            self.error = Some(e);
        }
    }

    fn source(&mut self, source: &Source<'_>) {
        self.source.clear();
        self.source.push_str(source.name);
        self.pod = source.pod.map(|p| p.labels.clone());
    }
}
