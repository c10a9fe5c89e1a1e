//! The push interface between the matcher and whatever consumes matches
//! (aggregation, match output, tests). The matcher knows nothing else.

use crate::decode::Record;
use crate::rules::{FieldRef, Rule, RuleId, Severity};

/// One confirmed match, borrowed from the scanner for the duration of the
/// call; a sink copies what it keeps.
#[derive(Debug)]
pub struct Match<'a> {
    pub rule_id: RuleId,
    pub rule: &'a Rule,
    /// The rule's severity, raised by any `escalate` condition that held.
    pub severity: Severity,
    pub record: &'a Record<'a>,
    /// Byte offset of the physical line in its source.
    pub offset: u64,
    /// The physical line as read (envelope included, no newline).
    pub raw: &'a [u8],
    /// The field whose text the regex matched.
    pub field: &'a FieldRef,
    /// The matched text's byte range within that field's text.
    pub span: (usize, usize),
    /// One value per `rule.extract` entry, in base units; `None` when the
    /// record lacks the field.
    pub values: &'a [Option<f64>],
}

impl Match<'_> {
    /// The values of an extract's labels, read from the record's fields
    /// (empty where the record lacks one).
    pub fn label_values(&self, spec: &crate::rules::Extract) -> Vec<String> {
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

/// Receives matches as the scanner confirms them.
pub trait MatchSink {
    fn matched(&mut self, m: &Match<'_>);
}

impl<F: FnMut(&Match<'_>)> MatchSink for F {
    fn matched(&mut self, m: &Match<'_>) {
        self(m)
    }
}

/// Sends every match to both sinks.
pub struct Tee<'a, A, B>(pub &'a mut A, pub &'a mut B);

impl<A: MatchSink, B: MatchSink> MatchSink for Tee<'_, A, B> {
    fn matched(&mut self, m: &Match<'_>) {
        self.0.matched(m);
        self.1.matched(m);
    }
}
