//! The push interface between the matcher and whatever consumes matches
//! (aggregation, match output, tests). The matcher knows nothing else.

use crate::decode::{FieldRef, Record};
use crate::pod::PodSource;
use crate::rules::{Extract, Rule, RuleId, Severity};

/// Where the matches that follow come from.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// The file's path, or `stdin`.
    pub name: &'a str,
    /// The pod whose container wrote it, for a file in a kubelet pod log
    /// directory.
    pub pod: Option<&'a PodSource>,
}

impl<'a> Source<'a> {
    /// A source that is not a pod's log.
    pub fn named(name: &'a str) -> Source<'a> {
        Source { name, pod: None }
    }
}

/// One confirmed match, borrowed from the scanner for the duration of the
/// call; a sink copies what it keeps.
#[derive(Debug)]
pub struct Match<'a> {
    pub rule_id: RuleId,
    pub rule: &'a Rule,
    /// The rule's severity, raised by any `escalate` condition that held.
    pub severity: Severity,
    pub record: &'a Record<'a>,
    /// Byte offset of the line's first byte in its source.
    pub offset: u64,
    /// The line as read, without its line ending: envelope included, except
    /// for CRI, whose parts are joined into the line the container wrote.
    pub raw: &'a [u8],
    /// The field whose text the regex matched.
    pub field: &'a FieldRef,
    /// The matched text's byte range within that field's text.
    pub span: (usize, usize),
    /// One value per `rule.extract` entry, in base units; `None` when the
    /// record lacks the field.
    pub values: &'a [Option<f64>],
    /// Set when no rule matched and the record counts under `rule` by
    /// resemblance (see `matcher::resemblance`): the probability.
    pub resembled: Option<f32>,
}

impl Match<'_> {
    /// The values of an extract's labels, read from the record's fields
    /// (empty where the record lacks one), in the order of `spec.labels`.
    pub fn label_values(&self, spec: &Extract) -> Vec<String> {
        spec.labels
            .iter()
            .map(|(_, field)| {
                self.record
                    .field(&FieldRef::Path(field.clone()))
                    .map(|c| c.into_owned())
                    .unwrap_or_default()
            })
            .collect()
    }
}

/// A record logged at WARN or worse (or, without a level, using an
/// error word) that no rule matched.
#[derive(Debug)]
pub struct Unmatched<'a> {
    pub record: &'a Record<'a>,
    /// The line as read (see [`Match::raw`]).
    pub raw: &'a [u8],
    /// An index into `mine::LEVELS`.
    pub level: usize,
}

/// Receives matches as the scanner confirms them.
pub trait MatchSink {
    fn matched(&mut self, m: &Match<'_>);

    /// A record of trouble no rule matched.
    fn unmatched(&mut self, _u: &Unmatched<'_>) {}

    /// The matches that follow come from `source`.
    fn source(&mut self, _source: &Source<'_>) {}
}

impl<F: FnMut(&Match<'_>)> MatchSink for F {
    fn matched(&mut self, m: &Match<'_>) {
        self(m)
    }
}

impl<S: MatchSink> MatchSink for Option<S> {
    fn matched(&mut self, m: &Match<'_>) {
        if let Some(s) = self {
            s.matched(m)
        }
    }

    fn unmatched(&mut self, u: &Unmatched<'_>) {
        if let Some(s) = self {
            s.unmatched(u)
        }
    }

    fn source(&mut self, source: &Source<'_>) {
        if let Some(s) = self {
            s.source(source)
        }
    }
}

/// Sends every match, and every change of source, to both sinks.
pub struct Tee<'a, A, B>(pub &'a mut A, pub &'a mut B);

impl<A: MatchSink, B: MatchSink> MatchSink for Tee<'_, A, B> {
    fn matched(&mut self, m: &Match<'_>) {
        self.0.matched(m);
        self.1.matched(m);
    }

    fn unmatched(&mut self, u: &Unmatched<'_>) {
        self.0.unmatched(u);
        self.1.unmatched(u);
    }

    fn source(&mut self, source: &Source<'_>) {
        self.0.source(source);
        self.1.source(source);
    }
}

/// Passes on only the matches of records logged at or after `since`
/// (Unix µs); a record without a timestamp passes.
pub struct Since<S> {
    pub since: Option<i64>,
    pub inner: S,
}

impl<S: MatchSink> MatchSink for Since<S> {
    fn matched(&mut self, m: &Match<'_>) {
        if let (Some(since), Some(t)) = (self.since, m.record.timestamp) {
            if t < since {
                return;
            }
        }
        self.inner.matched(m);
    }

    fn unmatched(&mut self, u: &Unmatched<'_>) {
        if let (Some(since), Some(t)) = (self.since, u.record.timestamp) {
            if t < since {
                return;
            }
        }
        self.inner.unmatched(u);
    }

    fn source(&mut self, source: &Source<'_>) {
        self.inner.source(source);
    }
}
