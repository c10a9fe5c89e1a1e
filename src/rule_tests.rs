//! `tailwatch test`: every rule's examples run through the real scanner
//! (prefilter included), so a keyword that misses an example fails too.

use crate::aggregate::{AggregateSettings, Aggregation, Clock};
use crate::decode::Envelope;
use crate::matcher::{Matcher, Scanner, SourceScan};
use crate::rules::Severity;
use crate::sink::Match;

/// An example that did not behave as its rule file says.
#[derive(Debug, Clone)]
pub struct ExampleFailure {
    pub rule: String,
    pub origin: String,
    /// The list the line is in: `match`, `no_match`, `fires`,
    /// `does_not_fire` or `routine`.
    pub list: &'static str,
    pub line: String,
    pub detail: String,
}

/// Runs every example of every rule and every diagnosis. Returns the
/// number of examples run and the failures.
pub fn run_examples(matcher: &Matcher) -> (usize, Vec<ExampleFailure>) {
    let (mut run, mut failures) = run_rule_examples(matcher);
    let (diagnoses, mut more) = run_diagnosis_examples(matcher);
    run += diagnoses;
    failures.append(&mut more);
    let (routine, mut more) = run_routine_lines(matcher);
    run += routine;
    failures.append(&mut more);
    (run, failures)
}

/// The rule files' `routine:` lines: no rule may raise an alarm
/// (`warning` or worse) on one, by its regex or by resemblance.
fn run_routine_lines(matcher: &Matcher) -> (usize, Vec<ExampleFailure>) {
    let mut failures = Vec::new();
    let mut scanner = Scanner::new(usize::MAX);
    for routine in &matcher.rules.routine {
        let line = routine.line.as_bytes();
        let mut alarms: Vec<(String, String)> = Vec::new();
        let mut sink = |m: &Match<'_>| {
            if m.severity >= Severity::Warning {
                alarms.push((m.rule.name.clone(), m.severity.to_string()));
            }
        };
        let mut source = SourceScan::new(Some(Envelope::detect(line)));
        scanner.scan_block(matcher, &mut source, line, 0, &mut sink);
        scanner.finish(matcher, &mut source, &mut sink);
        for (rule, severity) in alarms {
            failures.push(ExampleFailure {
                rule,
                origin: routine.origin.clone(),
                list: "routine",
                line: routine.line.clone(),
                detail: format!("a `routine:` line, matched at {severity}"),
            });
        }
    }
    (matcher.rules.routine.len(), failures)
}

/// Whether `diagnosis` held at some point while `lines` (one log, in its
/// own time) were read.
pub fn diagnosis_fires(matcher: &Matcher, diagnosis: usize, lines: &[String]) -> bool {
    let mut aggregation = Aggregation::new(
        &matcher.rules,
        AggregateSettings {
            clock: Clock::Log,
            ..AggregateSettings::default()
        },
    );
    let mut scanner = Scanner::new(usize::MAX);
    let mut source = SourceScan::new(None);
    let text = lines.join("\n") + "\n";
    scanner.scan_block(matcher, &mut source, text.as_bytes(), 0, &mut aggregation);
    scanner.finish(matcher, &mut source, &mut aggregation);
    let fired = aggregation
        .diagnoses()
        .nth(diagnosis)
        .is_some_and(|(_, state)| state.times > 0);
    fired
}

/// Each diagnosis's example logs: those under `fires` must produce it,
/// those under `does_not_fire` must not.
fn run_diagnosis_examples(matcher: &Matcher) -> (usize, Vec<ExampleFailure>) {
    let mut failures = Vec::new();
    let mut run = 0;
    for (i, d) in matcher.rules.diagnoses.iter().enumerate() {
        let cases = d
            .examples_fire
            .iter()
            .map(|l| (true, l))
            .chain(d.examples_no_fire.iter().map(|l| (false, l)));
        for (expected, lines) in cases {
            run += 1;
            if diagnosis_fires(matcher, i, lines) == expected {
                continue;
            }
            failures.push(ExampleFailure {
                rule: d.name.clone(),
                origin: d.origin.clone(),
                list: if expected { "fires" } else { "does_not_fire" },
                line: lines.join("\n      "),
                detail: if expected {
                    "expected the diagnosis, it did not hold".into()
                } else {
                    "expected no diagnosis, it held".into()
                },
            });
        }
    }
    (run, failures)
}

/// Runs every example of every rule.
fn run_rule_examples(matcher: &Matcher) -> (usize, Vec<ExampleFailure>) {
    let mut failures = Vec::new();
    let mut run = 0;
    let mut scanner = Scanner::new(usize::MAX);
    for (id, rule) in matcher.rules.rules.iter().enumerate() {
        let cases = rule
            .examples_match
            .iter()
            .map(|l| (true, l))
            .chain(rule.examples_no_match.iter().map(|l| (false, l)));
        for (expected, line) in cases {
            run += 1;
            let mut hit: Option<String> = None;
            let mut source = SourceScan::new(Some(Envelope::detect(line.as_bytes())));
            let mut values = Vec::new();
            let mut sink = |m: &Match<'_>| {
                if m.resembled.is_some() {
                    // Not the rule's regex: an example says what the regex
                    // matches, so a resemblance neither passes nor fails it.
                } else if m.rule_id == id {
                    let text = m.record.field(m.field).unwrap_or_default();
                    hit = Some(format!(
                        "matched field `{}`: {:?}",
                        m.field.name(),
                        &text[m.span.0..m.span.1]
                    ));
                } else if m.rule.category == rule.category
                    && matcher.evaluate(id, m.record, &mut values).is_some()
                {
                    // One count per symptom: another rule of the category
                    // counts the record this rule matches.
                    hit = Some(format!("matched, counted by `{}`", m.rule.name));
                }
            };
            scanner.scan_block(matcher, &mut source, line.as_bytes(), 0, &mut sink);
            scanner.finish(matcher, &mut source, &mut sink);
            let detail = match (expected, hit) {
                (true, Some(_)) | (false, None) => continue,
                (true, None) => {
                    let naive = matcher.naive(line.as_bytes(), Envelope::detect(line.as_bytes()));
                    if naive.iter().any(|(r, _)| *r == id) {
                        "the regex matches but the prefilter skips the line: its keywords miss it"
                            .into()
                    } else {
                        "expected a match, got none".into()
                    }
                }
                (false, Some(how)) => format!("expected no match, but {how}"),
            };
            failures.push(ExampleFailure {
                rule: rule.name.clone(),
                origin: rule.origin.clone(),
                list: if expected { "match" } else { "no_match" },
                line: line.clone(),
                detail,
            });
        }
    }
    (run, failures)
}
