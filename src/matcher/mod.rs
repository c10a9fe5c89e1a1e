//! Matching: which rules a line matches, found by a literal prefilter over
//! whole blocks and confirmed by decoding and the rules' regexes. No I/O;
//! `scan`, the sidecar, the commands and the benches all drive a
//! [`Scanner`] with the chunks framing lends.

mod grouped;
mod prefilter;
pub mod records;
pub mod resemblance;
mod scanner;
mod split;

pub use prefilter::Prefilter;
pub use resemblance::{Closest, Resemblance};
pub use scanner::{Scanner, SourceScan};

use std::sync::OnceLock;

use crate::decode::Level;
use crate::decode::{self, Envelope, Record};
use crate::framing::line_content;
use crate::mine;
use crate::rules::{quantity, Condition, Operand, RuleId, RuleSet, Severity, Unit};

/// The rule set with its prefilter, built once; a reading thread takes it
/// (behind an `Arc`) for one pass at a time, so it can be swapped between
/// passes.
#[derive(Debug)]
pub struct Matcher {
    pub rules: RuleSet,
    pub prefilter: Prefilter,
    /// Rule ids in the order they are tried: `fallback` rules last.
    order: Vec<RuleId>,
    /// Whether a rule has `resembles: true`.
    resembling: bool,
    /// Trained on the first record that needs it.
    resemblance: OnceLock<Resemblance>,
}

/// What a rule made of a record it matched.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// After escalations, level floors and ceilings.
    pub severity: Severity,
    /// Index into the rule's `fields` of the field that matched.
    pub field: usize,
    /// The matched range of that field's text.
    pub span: (usize, usize),
    /// The event's identity (the rule's `event_key`), when the record
    /// holds it.
    pub event: Option<String>,
    /// No rule matched: the record resembles the rule's category with
    /// this probability (see [`resemblance`]).
    pub resembled: Option<f32>,
}

/// A step in deciding whether a rule matches and at what severity, for
/// `explain`.
#[derive(Debug, Clone, PartialEq)]
pub enum SeverityStep {
    /// The rule's `escalate` entry `index`: the value read, and whether
    /// its condition held.
    Escalation {
        index: usize,
        value: Option<f64>,
        held: bool,
    },
    /// The line is at `level` or above: raised to `severity`.
    Floor { level: Level, severity: Severity },
    /// The line is at `level` or below: held down to `severity`.
    Ceiling { level: Level, severity: Severity },
    /// The regex matched rule field `field`, and `match.when` did not hold
    /// on the value read: no match. Always the last step.
    WhenUnmet { field: usize, value: Option<f64> },
    /// The regex matched, and the rule's `unless` or `unless_below` set
    /// the record aside as a routine sense of its words: no match, and no
    /// guess of the rule's category by resemblance either.
    SetAside,
}

/// What the scanner counted, beyond matches. Checkpointed per input, so
/// a report's totals tell the same story after a restart.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ScanStats {
    pub lines: u64,
    /// Bytes framed from the source, skipped parts of oversized lines
    /// included; filled in from the framing cursor by whoever reads the
    /// source (the scanner sees only what is lent).
    pub bytes: u64,
    pub json_lines: u64,
    pub text_lines: u64,
    /// Lines the prefilter admitted, and so decoded.
    pub candidates: u64,
    /// Matches not counted because they report an event counted already
    /// (a rule's `event_key`: the same identity, of the same category,
    /// within seconds).
    pub repeated_events: u64,
    /// Records at WARN or worse that no rule matched, by level (indexed
    /// like `mine::LEVELS`).
    pub unmatched: [u64; 4],
    /// Decoded lines by record format (indexed like `Format::ALL`).
    pub decoded_by_format: [u64; 8],
    pub errors: DecodeErrors,
}

/// Bad input, counted by kind. None of it stops a scan.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct DecodeErrors {
    pub invalid_utf8: u64,
    pub nul_bytes: u64,
    /// Lines that open a JSON object but do not close it.
    pub truncated_json: u64,
    /// Candidate lines that look like whole JSON objects but do not parse.
    pub invalid_json: u64,
    /// Lines longer than the cap; their excess was skipped.
    pub oversized: u64,
    /// Lines a container runtime split (CRI `P`, Docker entries without
    /// their newline) whose last part never came: read as they were after
    /// `partial_line_flush_ms`.
    pub unfinished: u64,
}

impl DecodeErrors {
    pub fn by_kind(&self) -> [(&'static str, u64); 6] {
        [
            ("unfinished", self.unfinished),
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
        self.repeated_events += o.repeated_events;
        for (a, b) in self.unmatched.iter_mut().zip(o.unmatched) {
            *a += b;
        }
        for (a, b) in self.decoded_by_format.iter_mut().zip(o.decoded_by_format) {
            *a += b;
        }
        let (e, f) = (&mut self.errors, &o.errors);
        e.invalid_utf8 += f.invalid_utf8;
        e.nul_bytes += f.nul_bytes;
        e.truncated_json += f.truncated_json;
        e.invalid_json += f.invalid_json;
        e.oversized += f.oversized;
        e.unfinished += f.unfinished;
    }
}

impl Matcher {
    pub fn new(rules: RuleSet) -> Matcher {
        let mut order: Vec<RuleId> = (0..rules.rules.len()).collect();
        order.sort_by_key(|&id| rules.rules[id].fallback);
        Matcher {
            prefilter: Prefilter::new(&rules),
            resembling: rules.rules.iter().any(|r| r.resembles),
            rules,
            order,
            resemblance: OnceLock::new(),
        }
    }

    /// What `record` resembles, for a record resemblance may count when
    /// no rule matched it: logged at ERROR or worse, with an error word (so
    /// that the prefilter, which looks for those words, decodes it).
    /// `None` for any other record, and when no rule has `resembles: true`.
    pub fn resemblance(&self, record: &Record<'_>) -> Option<Closest> {
        if record.level.is_none_or(|l| l < Level::Error) || !mine::has_error_word(&record.line) {
            return None;
        }
        Some(self.resemblance_model()?.closest(&record.line))
    }

    /// The model, trained on first use; `None` when no rule has
    /// `resembles: true`.
    pub fn resemblance_model(&self) -> Option<&Resemblance> {
        self.resembling.then(|| {
            self.resemblance
                .get_or_init(|| Resemblance::train(&self.rules))
        })
    }

    /// Evaluates rule `id` on a decoded record: its verdict if it
    /// matches; fills `values` with the rule's extracted numbers.
    pub fn evaluate(
        &self,
        id: RuleId,
        record: &Record<'_>,
        values: &mut Vec<Option<f64>>,
    ) -> Option<Verdict> {
        self.evaluate_explained(id, record, values, |_| {})
    }

    /// [`Matcher::evaluate`], telling `note` how the severity was decided.
    pub fn evaluate_explained(
        &self,
        id: RuleId,
        record: &Record<'_>,
        values: &mut Vec<Option<f64>>,
        mut note: impl FnMut(SeverityStep),
    ) -> Option<Verdict> {
        let rule = &self.rules.rules[id];
        if let Some(min) = rule.min_level {
            if record.level.is_none_or(|l| l < min) {
                return None;
            }
        }
        if !rule.present.iter().all(|f| record.field(f).is_some()) {
            return None;
        }
        values.clear();
        let mut captured: Vec<Option<String>> = Vec::new();
        let (field, span) = rule.fields.iter().enumerate().find_map(|(i, f)| {
            let text = record.field(f)?;
            let mut undone = || {
                let undone = rule.undone_by(&text, record.level).is_some();
                if undone {
                    note(SeverityStep::SetAside);
                }
                undone
            };
            if !rule.reads_captures {
                let m = rule.regex.get()?.find(&text)?;
                return (!undone()).then_some((i, (m.start(), m.end())));
            }
            // Only a match pays for the capturing engine, and its
            // allocation: matches are rare next to lines.
            let caps = rule.regex.get()?.captures(&text)?;
            if undone() {
                return None;
            }
            captured = caps
                .iter()
                .map(|g| g.map(|g| g.as_str().to_string()))
                .collect();
            let m = caps.get(0)?;
            Some((i, (m.start(), m.end())))
        })?;
        let capture = |g: usize, unit: Option<Unit>| {
            let text = captured.get(g)?.as_deref()?;
            quantity::parse(text, unit).map(|q| q.value)
        };
        values.extend(rule.extract.iter().map(|e| match e.capture {
            Some(g) => capture(g, Some(e.unit)).or_else(|| {
                let field = e.or_field.as_deref()?;
                field_quantity(record, field, e.unit)
            }),
            None => field_quantity(record, &e.field, e.unit),
        }));
        let value_of = |c: &Condition| match c.operand {
            Operand::Extract(i) => values[i],
            Operand::Capture(g) => capture(g, None),
            Operand::Field => record.number(&c.field),
        };
        if let Some(when) = &rule.when {
            let value = value_of(when);
            if !value.is_some_and(|v| when.holds(v)) {
                note(SeverityStep::WhenUnmet { field, value });
                return None;
            }
        }
        // The base, raised by the escalations that hold and by the line's
        // level, then held down by the ceiling for its level.
        let mut severity = rule.severity;
        for (index, esc) in rule.escalate.iter().enumerate() {
            let value = value_of(&esc.when);
            let held = value.is_some_and(|v| esc.when.holds(v));
            if held {
                severity = severity.max(esc.severity);
            }
            note(SeverityStep::Escalation { index, value, held });
        }
        if let Some(level) = record.level {
            for &(at, least) in &rule.level_severity {
                if level >= at && least > severity {
                    severity = least;
                    note(SeverityStep::Floor {
                        level: at,
                        severity,
                    });
                }
            }
            for &(at, most) in &rule.level_ceiling {
                if level <= at && most < severity {
                    severity = most;
                    note(SeverityStep::Ceiling {
                        level: at,
                        severity,
                    });
                }
            }
        }
        let event = rule.event_key.as_ref().and_then(|key| {
            key.capture
                .and_then(|g| captured.get(g)?.clone())
                .or_else(|| {
                    decode::lookup(record.json.as_ref()?, key.field.as_deref()?)
                        .map(|v| decode::value_text(v).into_owned())
                })
        });
        Some(Verdict {
            severity,
            field,
            span,
            event,
            resembled: None,
        })
    }

    /// Evaluates on `record` every rule `admitted` lets through and calls
    /// `matched(rule, verdict, values)` for what counts: one match per
    /// category (one count per symptom). A specific rule beats a
    /// `fallback` one, which is not even tried when a specific rule of its
    /// category matched; of several specific rules, or of several fallback
    /// ones, the highest severity, then the first in the pack, counts. The
    /// agent's own log records are never matched.
    pub fn evaluate_admitted(
        &self,
        admitted: impl Fn(RuleId) -> bool,
        record: &Record<'_>,
        values: &mut Vec<Option<f64>>,
        mut matched: impl FnMut(RuleId, &Verdict, &[Option<f64>]),
    ) {
        if record.is_own_log() {
            return;
        }
        let rules = &self.rules.rules;
        // The match counted so far for each category that has one.
        let mut counted: Vec<(RuleId, Verdict, Vec<Option<f64>>)> = Vec::new();
        // Rules whose `unless` said the record is a routine sense of their
        // words: resemblance does not guess their categories.
        let mut set_aside: Vec<RuleId> = Vec::new();
        for &id in &self.order {
            let rule = &rules[id];
            if !admitted(id) {
                continue;
            }
            let same = counted
                .iter()
                .position(|(other, _, _)| rules[*other].category == rule.category);
            if rule.fallback && same.is_some_and(|i| !rules[counted[i].0].fallback) {
                continue;
            }
            let note = |step| {
                if step == SeverityStep::SetAside {
                    set_aside.push(id);
                }
            };
            let Some(verdict) = self.evaluate_explained(id, record, values, note) else {
                continue;
            };
            match same {
                Some(i) if counted[i].1.severity >= verdict.severity => {}
                Some(i) => counted[i] = (id, verdict, values.clone()),
                None => counted.push((id, verdict, values.clone())),
            }
        }
        counted.sort_by_key(|(id, _, _)| (rules[*id].fallback, *id));
        for (id, verdict, values) in &counted {
            matched(*id, verdict, values);
        }
        if counted.is_empty() {
            if let Some(closest) = self.resemblance(record) {
                let routine = |id: RuleId| {
                    set_aside
                        .iter()
                        .any(|&other| rules[other].category == rules[id].category)
                };
                if let Some(id) = closest.counted_by.filter(|&id| !routine(id)) {
                    let verdict = self.resembled(id, record, closest.probability);
                    values.clear();
                    values.resize(rules[id].extract.len(), None);
                    matched(id, &verdict, values);
                }
            }
        }
    }

    /// The verdict of a record counted under rule `id` by resemblance: at
    /// `warning`, never raised (a guess does not page), the rule's first
    /// field matched whole.
    fn resembled(&self, id: RuleId, record: &Record<'_>, probability: f32) -> Verdict {
        let rule = &self.rules.rules[id];
        let (field, len) = rule
            .fields
            .iter()
            .enumerate()
            .find_map(|(i, f)| Some((i, record.field(f)?.len())))
            .unwrap_or((0, 0));
        Verdict {
            severity: Severity::Warning,
            field,
            span: (0, len),
            event: None,
            resembled: Some(probability),
        }
    }

    /// Decodes `line` and evaluates every rule on it, with no prefilter:
    /// the reference the scanner must agree with.
    pub fn naive(&self, line: &[u8], envelope: Envelope) -> Vec<(RuleId, Severity)> {
        let record = decode::decode(line_content(line), envelope, None);
        let mut values = Vec::new();
        let mut found = Vec::new();
        self.evaluate_admitted(
            |_| true,
            &record,
            &mut values,
            |id, verdict, _| found.push((id, verdict.severity)),
        );
        found
    }
}

/// A field's number in the extract's base unit: a JSON number is in the
/// declared unit, a string may say its own (`"61877ms"`).
fn field_quantity(record: &Record<'_>, path: &str, unit: Unit) -> Option<f64> {
    match decode::lookup(record.json.as_ref()?, path)? {
        serde_json::Value::Number(n) => n.as_f64().map(|v| unit.to_base(v)),
        serde_json::Value::String(s) => quantity::parse(s, Some(unit)).map(|q| q.value),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
