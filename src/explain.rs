//! `tailwatch explain`: how one line was decoded and which rules matched it,
//! on which field, and why the others did not.

use std::fmt::Write as _;

use crate::decode::FieldRef;
use crate::decode::{self, time::format_rfc3339, Envelope, Record};
use crate::matcher::{resemblance, Closest, Matcher, Scanner, SeverityStep};
use crate::rules::{quantity, Condition, Operand, Rule, RuleId, Undone};

pub fn explain(matcher: &Matcher, line: &str) -> String {
    let raw = line.trim_end_matches(['\n', '\r']).as_bytes();
    let envelope = Envelope::detect(raw);
    let (body, envelope_time) = match envelope {
        Envelope::Cri => match decode::parse_cri(raw) {
            Some(c) => (c.body, Some(c.time)),
            None => (raw, None),
        },
        _ => (raw, None),
    };
    let record = decode::decode(body, envelope, envelope_time);
    let mut out = String::new();
    let show = |v: Option<&str>| v.map_or("-".to_string(), |s| format!("{s:?}"));
    let _ = writeln!(out, "envelope:  {}", envelope.as_str());
    let _ = writeln!(
        out,
        "format:    {}{}",
        record.format.as_str(),
        if record.invalid_json {
            " (looked like JSON but did not parse; read as text)"
        } else {
            ""
        }
    );
    let _ = writeln!(out, "message:   {}", show(record.message.as_deref()));
    let _ = writeln!(out, "error:     {}", show(record.error.as_deref()));
    let _ = writeln!(
        out,
        "level:     {}",
        match (&record.level_text, record.level) {
            (Some(t), Some(l)) => format!("{t:?} ({})", l.as_str()),
            (Some(t), None) => format!("{t:?} (not a known level)"),
            _ => "-".into(),
        }
    );
    let _ = writeln!(out, "target:    {}", show(record.target.as_deref()));
    let _ = writeln!(
        out,
        "time:      {}",
        record.timestamp.map_or("-".into(), format_rfc3339)
    );
    let _ = writeln!(out, "trace_id:  {}", show(record.trace_id.as_deref()));
    let _ = writeln!(out, "span_id:   {}", show(record.span_id.as_deref()));
    out.push('\n');

    // The rules the scanner tries, chosen as it chooses them: on a line
    // with a colour code or a `\u` escape, by the line as decoding reads it.
    let (tried, readable) =
        Scanner::new(usize::MAX).rules_tried(matcher, body, envelope, envelope_time);
    let searched = readable.as_deref().map_or(body, str::as_bytes);
    let mut hits = matcher.prefilter.literal_hits(searched);
    if readable.is_some() {
        // The escapes were read: the patterns that stand for them are not
        // what the scanner went by.
        hits.retain(|(literal, _)| !matcher.prefilter.is_universal(literal.as_bytes()));
    }
    if !tried.contains(&true) {
        out.push_str("prefilter: no rule's literals occur in this line");
        if matcher.resemblance(&record).is_some() {
            // Its error word makes it a candidate for resemblance.
            out.push_str("; as unmatched trouble:\n");
            explain_resemblance(&mut out, matcher, &record, &[]);
        } else {
            out.push_str("; it would not be decoded.\n");
        }
        return out;
    }
    let literals: Vec<&str> = hits.iter().map(|(l, _)| l.as_str()).collect();
    let _ = writeln!(out, "prefilter: literals found: {}", literals.join(", "));
    if readable.is_some() {
        out.push_str(
            "           (in the line as decoding reads it: Docker's log unwrapped, terminal colour codes taken out, JSON escapes read)\n",
        );
    }
    if !tried.contains(&false) && tried.len() > 1 {
        out.push_str("           (a \\u escape, a Serilog template or a letter (?i) folds to ASCII makes the line a candidate for every rule)\n");
    }
    let mut values = Vec::new();
    let mut counted = Vec::new();
    // The rules whose regex counts the record; a resemblance is explained
    // apart, below.
    matcher.evaluate_admitted(
        |_| true,
        &record,
        &mut values,
        |id, verdict, _| {
            if verdict.resembled.is_none() {
                counted.push(id)
            }
        },
    );
    let mut any = false;
    let mut set_aside = Vec::new();
    for (id, rule) in matcher.rules.rules.iter().enumerate() {
        if !tried[id] {
            continue;
        }
        any = true;
        let mut steps = Vec::new();
        match matcher.evaluate_explained(id, &record, &mut values, |s| steps.push(s)) {
            Some(verdict) => {
                let f = &rule.fields[verdict.field];
                let text = record.field(f).unwrap_or_default();
                let (start, end) = verdict.span;
                let mark = if counted.contains(&id) {
                    "MATCH    "
                } else {
                    "not counted"
                };
                let _ = writeln!(
                    out,
                    "{mark} {} ({}, {}): field `{}` matched {:?}",
                    rule.name,
                    rule.category,
                    verdict.severity,
                    f.name(),
                    &text[start..end]
                );
                if !counted.contains(&id) {
                    let _ = writeln!(
                        out,
                        "          another rule of `{}` counts this record (one count per symptom: {})",
                        rule.category,
                        if rule.fallback {
                            "a fallback rule yields to a specific one"
                        } else {
                            "the highest severity, then the first rule, counts"
                        }
                    );
                }
                explain_values(&mut out, rule, &values, &steps);
                if let Some(event) = &verdict.event {
                    let _ = writeln!(
                        out,
                        "          event {event:?}: a record of `{}` with the same identity within 5 s is the same event, not counted again",
                        rule.category
                    );
                }
            }
            None => {
                if steps.contains(&SeverityStep::SetAside) {
                    set_aside.push(id);
                }
                let reason = why_not(rule, &record, &steps);
                let _ = writeln!(out, "no match  {}: {reason}", rule.name);
            }
        }
    }
    if !any {
        out.push_str("no rule was a candidate.\n");
    }
    if counted.is_empty() {
        explain_resemblance(&mut out, matcher, &record, &set_aside);
    }
    out
}

/// What a record no rule matched resembles, when it is one resemblance
/// may count (at ERROR or worse, with an error word); `set_aside` are the
/// rules whose `unless` set the record aside.
fn explain_resemblance(
    out: &mut String,
    matcher: &Matcher,
    record: &Record<'_>,
    set_aside: &[RuleId],
) {
    let Some(closest) = matcher.resemblance(record) else {
        return;
    };
    let min = resemblance::MIN_PROBABILITY;
    let Closest {
        category,
        probability,
        counted_by,
    } = closest;
    let rules = &matcher.rules.rules;
    let routine = counted_by.and_then(|id| {
        set_aside
            .iter()
            .find(|&&other| rules[other].category == rules[id].category)
    });
    match (counted_by, routine) {
        (Some(_), Some(&aside)) => {
            let _ = writeln!(
                out,
                "resembles `{category}` (probability {probability:.2}), but {} of that category set the record aside as a routine sense of its words: not counted",
                rules[aside].name
            );
        }
        (Some(id), None) => {
            let _ = writeln!(
                out,
                "RESEMBLES {} ({category}, warning): no rule matched; at ERROR or worse, its words are most like the pack's lines of `{category}` (probability {probability:.2}, at least {min:.2} counts); a resemblance is never raised above warning",
                rules[id].name
            );
        }
        (None, _) if probability >= min => {
            let _ = writeln!(
                out,
                "resembles `{category}` (probability {probability:.2}), but no rule of it has `resembles: true`: not counted"
            );
        }
        (None, _) => {
            let _ = writeln!(
                out,
                "resembles `{category}` most, with probability {probability:.2} (below {min:.2}): not counted"
            );
        }
    }
}

/// The numbers a match read, and how its severity was decided.
fn explain_values(out: &mut String, rule: &Rule, values: &[Option<f64>], steps: &[SeverityStep]) {
    for (spec, v) in rule.extract.iter().zip(values) {
        let source = match (&spec.capture, &spec.or_field) {
            (Some(_), Some(field)) => format!("capture `{}`, else field `{field}`", spec.field),
            (Some(_), None) => format!("capture `{}`", spec.field),
            (None, _) => format!("field `{}`", spec.field),
        };
        let name = spec.metric.as_deref().unwrap_or(&spec.field);
        match v {
            Some(v) => {
                let _ = writeln!(
                    out,
                    "          extract {name} = {} (from {source})",
                    quantity::format(*v, spec.unit.base())
                );
            }
            None => {
                let _ = writeln!(out, "          extract {name}: no value (from {source})");
            }
        }
    }
    let _ = writeln!(out, "          severity: {} (the rule's)", rule.severity);
    for step in steps {
        let line = match *step {
            SeverityStep::Escalation { index, value, held } => {
                let esc = &rule.escalate[index];
                format!(
                    "escalate when {}: {} = {}, {}",
                    condition(&esc.when),
                    esc.when.field,
                    read(rule, &esc.when, value),
                    if held {
                        format!("holds: at least {}", esc.severity)
                    } else {
                        "does not hold".to_string()
                    }
                )
            }
            SeverityStep::Floor { level, severity } => format!(
                "the line is at {} or above: raised to {severity} (level_severity)",
                level.as_str()
            ),
            SeverityStep::Ceiling { level, severity } => format!(
                "the line is at {} or below: held down to {severity} (level_ceiling)",
                level.as_str()
            ),
            // Only a rule that did not match takes these steps.
            SeverityStep::WhenUnmet { .. } | SeverityStep::SetAside => continue,
        };
        let _ = writeln!(out, "          {line}");
    }
}

/// `lag >= 30`.
fn condition(c: &Condition) -> String {
    format!("{} {} {}", c.field, c.cmp.as_str(), c.threshold)
}

/// A condition's value as the matcher read it.
fn read(rule: &Rule, c: &Condition, value: Option<f64>) -> String {
    match (value, &c.operand) {
        (None, _) => "no value".to_string(),
        (Some(v), Operand::Extract(i)) => quantity::format(v, rule.extract[*i].unit.base()),
        (Some(v), Operand::Capture(_)) => format!("{v} (base unit)"),
        (Some(v), Operand::Field) => format!("{v}"),
    }
}

/// Why rule `rule` did not match, after the steps the matcher took on it.
fn why_not(rule: &Rule, record: &decode::Record<'_>, steps: &[SeverityStep]) -> String {
    if let Some(&SeverityStep::WhenUnmet { field, value }) = steps.last() {
        let when = rule.when.as_ref().expect("only a rule with match.when");
        let read = match value {
            Some(_) => format!("{} is {}", when.field, read(rule, when, value)),
            None => format!("{} has no value", when.field),
        };
        return format!(
            "regex matched {}, and match.when `{}` does not hold: {read}",
            rule.fields[field].name(),
            condition(when)
        );
    }
    if let Some(min) = rule.min_level {
        if record.level.is_none_or(|l| l < min) {
            return format!("needs level {} or above", min.as_str());
        }
    }
    if let Some(missing) = rule.present.iter().find(|f| record.field(f).is_none()) {
        return format!("needs the field {}, which the line lacks", missing.name());
    }
    // The regex found its words, and a routine sense of them undid the match.
    for f in &rule.fields {
        let Some(text) = record.field(f) else {
            continue;
        };
        if !rule.regex.get().is_some_and(|r| r.is_match(&text)) {
            continue;
        }
        match rule.undone_by(&text, record.level) {
            Some(Undone::Unless(unless)) => {
                return format!(
                    "regex matched {}, and match.unless /{}/ undid it",
                    f.name(),
                    unless.as_str()
                )
            }
            Some(Undone::UnlessBelow(below, unless)) => {
                return format!(
                    "regex matched {}, and match.unless_below /{}/ undid it: the line is {}",
                    f.name(),
                    unless.as_str(),
                    match record.level {
                        Some(level) => format!("at {}, below {}", level.as_str(), below.as_str()),
                        None => "without a level".to_string(),
                    }
                )
            }
            None => {}
        }
    }
    let present: Vec<&str> = rule
        .fields
        .iter()
        .filter(|f| record.field(f).is_some())
        .map(FieldRef::name)
        .collect();
    if present.is_empty() {
        let names: Vec<&str> = rule.fields.iter().map(FieldRef::name).collect();
        format!("the line has none of the fields {}", names.join(", "))
    } else {
        format!(
            "regex /{}/ did not match {}",
            rule.regex.as_str(),
            present.join(", ")
        )
    }
}
