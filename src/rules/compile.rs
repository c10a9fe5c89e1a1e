//! Compiling one raw rule into a [`Rule`] (regex, prefilter cover,
//! extractions, escalations), and the checks that need every rule at once:
//! prefilter covers against all rules' routine lines, and the metrics the
//! rules declare.

use std::collections::BTreeMap;

use regex_syntax::hir::Hir;

use super::literals::{self, LiteralCost};
use super::schema::{RawEventKey, RawEventKeyParts, RawRule};
use super::{
    BaseUnit, Cmp, Condition, Escalation, EventKey, Extract, MetricDecl, MetricKind, Operand, Rule,
    RuleRegex, RuleWarning, Severity, BUILTIN_CATEGORIES,
};
use crate::decode::{FieldRef, Level};
use crate::error::RuleError;
use crate::metric_names;

fn is_snake_case(s: &str) -> bool {
    !s.is_empty()
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

pub(super) fn compile_rule(
    file: &str,
    line: usize,
    declared_categories: &[String],
    raw: RawRule,
    embedded: bool,
) -> Result<(Rule, Vec<RuleWarning>, Hir), RuleError> {
    let invalid = |message: String| RuleError::Invalid {
        file: file.to_string(),
        line,
        rule: raw.name.clone(),
        message,
    };
    if !is_snake_case(&raw.name) {
        return Err(invalid(
            "names are snake_case (lowercase letters, digits, `_`)".into(),
        ));
    }
    if !BUILTIN_CATEGORIES.contains(&raw.category.as_str())
        && !declared_categories.contains(&raw.category)
    {
        return Err(invalid(format!(
            "unknown category `{}`: use one of {} or declare it under a top-level `categories:` list",
            raw.category,
            BUILTIN_CATEGORIES.join(", ")
        )));
    }
    let severity: Severity = raw.severity.parse().map_err(invalid)?;
    let level_in = |key: &str, l: &str| {
        Level::parse(l).ok_or_else(|| {
            invalid(format!(
                "unknown level `{l}` in {key}: use trace, debug, info, warn, error or fatal"
            ))
        })
    };
    let min_level = match &raw.matcher.level {
        None => None,
        Some(l) => Some(level_in("match.level", l)?),
    };
    let bad_regex = |e: &dyn std::fmt::Display| invalid(format!("bad regex in match.regex: {e}"));
    let hir = regex_syntax::parse(&raw.matcher.regex).map_err(|e| bad_regex(&e))?;
    let regex = RuleRegex::new(&raw.name, &raw.matcher.regex);
    let unless = match &raw.matcher.unless {
        None => None,
        Some(u) => {
            regex_syntax::parse(u)
                .map_err(|e| invalid(format!("bad regex in match.unless: {e}")))?;
            Some(RuleRegex::new(&raw.name, u))
        }
    };
    let unless_below = match &raw.matcher.unless_below {
        None => None,
        Some(u) => {
            let level = level_in("match.unless_below", &u.level)?;
            regex_syntax::parse(&u.regex)
                .map_err(|e| invalid(format!("bad regex in match.unless_below: {e}")))?;
            Some((level, RuleRegex::new(&raw.name, &u.regex)))
        }
    };
    if raw.matcher.fields.is_empty() {
        return Err(invalid(
            "match.fields is empty: name at least one field".into(),
        ));
    }
    let fields: Vec<FieldRef> = raw
        .matcher
        .fields
        .iter()
        .map(|f| FieldRef::parse(f))
        .collect();

    let mut warnings = Vec::new();
    let (cover, cover_from_keywords) = if !raw.matcher.keywords.is_empty() {
        let kw: Vec<Vec<u8>> = raw
            .matcher
            .keywords
            .iter()
            .flat_map(|k| literals::keyword_forms(k.to_ascii_lowercase().as_bytes()))
            .collect();
        if kw.iter().any(|k| k.len() < 2) {
            return Err(invalid(
                "match.keywords holds a keyword shorter than two bytes, which cannot be searched for"
                    .into(),
            ));
        }
        (Some(kw), true)
    } else {
        // Chosen by `choose_covers` once every rule's routine lines are known.
        (None, false)
    };

    let names = capture_names(&hir);
    let group = |name: &str| {
        names
            .iter()
            .find(|(_, n)| n == name)
            .map(|(i, _)| *i)
            .ok_or_else(|| {
                invalid(format!(
                    "capture `{name}` is not a named group of match.regex: write `(?P<{name}>...)`"
                ))
            })
    };
    let mut extract = Vec::new();
    for e in &raw.extract {
        // How the entry is named in errors: its metric, else what it reads.
        let named = match (&e.metric, &e.capture, &e.field) {
            (Some(m), _, _) => format!("extract metric `{m}`"),
            (None, Some(c), _) => format!("extract of capture `{c}`"),
            (None, None, Some(f)) => format!("extract of field `{f}`"),
            (None, None, None) => "extract".to_string(),
        };
        if let Some(metric) = &e.metric {
            if !is_snake_case(metric) {
                return Err(invalid(format!("{named} must be snake_case")));
            }
            if let Some(own) = exported_names(metric, e.kind)
                .into_iter()
                .find(|n| metric_names::OWN.contains(&n.as_str()))
            {
                return Err(invalid(format!(
                    "{named} would export `{own}`, which is tailwatch's own metric: choose another name"
                )));
            }
        } else if !e.labels.is_empty() {
            return Err(invalid(format!(
                "{named}: `labels` name a metric's labels; name the `metric` too, or leave the labels out"
            )));
        }
        for label in e.labels.keys() {
            if let Some(problem) = metric_names::label_name_problem(label) {
                return Err(invalid(format!("{named}: label `{label}` {problem}")));
            }
        }
        let (field, capture, or_field) = match (&e.field, &e.capture) {
            (Some(f), None) => (f.clone(), None, None),
            (None, Some(c)) => (c.clone(), Some(group(c)?), None),
            (Some(f), Some(c)) => (c.clone(), Some(group(c)?), Some(f.clone())),
            (None, None) => {
                return Err(invalid(format!(
                    "{named}: name `field` (a record field), `capture` (a named group of match.regex), or both (the field is read when the group did not capture)"
                )))
            }
        };
        extract.push(Extract {
            field,
            capture,
            or_field,
            metric: e.metric.clone(),
            kind: e.kind,
            unit: e.unit,
            labels: e
                .labels
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            metric_id: None,
        });
    }
    let condition = |what: &str, when: &str| {
        let (field, cmp, threshold) = parse_condition(when).ok_or_else(|| {
            invalid(format!(
                "cannot read {what} condition `{when}`: write `<field or capture> > <number>` (>, >=, <, <=)"
            ))
        })?;
        // A name the regex captures is the capture (through the extract
        // that reads it, if one does); any other is a field.
        let operand = match group(&field) {
            Ok(g) => match extract.iter().position(|x| x.capture == Some(g)) {
                Some(i) => Operand::Extract(i),
                None => Operand::Capture(g),
            },
            Err(_) => Operand::Field,
        };
        Ok(Condition {
            field,
            operand,
            cmp,
            threshold,
        })
    };
    let when = raw
        .matcher
        .when
        .as_deref()
        .map(|w| condition("match.when", w))
        .transpose()?;
    let mut escalate = Vec::new();
    for e in &raw.escalate {
        escalate.push(Escalation {
            when: condition("escalate", &e.when)?,
            severity: e.severity.parse().map_err(invalid)?,
        });
    }
    let mut level_severity = Vec::new();
    for (level, severity) in &raw.level_severity {
        let l = level_in("level_severity", level)?;
        level_severity.push((l, severity.parse::<Severity>().map_err(invalid)?));
    }
    level_severity.sort();
    let mut level_ceiling = Vec::new();
    for (level, severity) in &raw.level_ceiling {
        let l = level_in("level_ceiling", level)?;
        level_ceiling.push((l, severity.parse::<Severity>().map_err(invalid)?));
    }
    level_ceiling.sort();
    let event_key = match &raw.event_key {
        None => None,
        Some(RawEventKey::Name(name)) => Some(EventKey {
            capture: group(name).ok(),
            field: Some(name.clone()),
        }),
        Some(RawEventKey::Parts(RawEventKeyParts { capture, field })) => {
            if capture.is_none() && field.is_none() {
                return Err(invalid(
                    "event_key names neither a capture nor a field".into(),
                ));
            }
            Some(EventKey {
                capture: capture.as_deref().map(group).transpose()?,
                field: field.clone(),
            })
        }
    };
    if raw.matcher.present.iter().any(|f| f.is_empty()) {
        return Err(invalid("match.present holds an empty field name".into()));
    }
    let present = raw
        .matcher
        .present
        .iter()
        .map(|f| FieldRef::parse(f))
        .collect();
    let span_duration = match &raw.span_duration {
        None => None,
        Some(name) => {
            let i = extract.iter().position(|e| &e.field == name).ok_or_else(|| {
                invalid(format!(
                    "span_duration `{name}` names no `extract` entry of the rule (write the entry's field or capture)"
                ))
            })?;
            if extract[i].unit.base() != BaseUnit::Seconds {
                return Err(invalid(format!(
                    "span_duration `{name}` is not a time: give its `extract` entry a unit of time (ms, s, ...)"
                )));
            }
            Some(i)
        }
    };
    let reads_captures = extract.iter().any(|e| e.capture.is_some())
        || escalate
            .iter()
            .map(|e| &e.when)
            .chain(&when)
            .any(|c| matches!(c.operand, Operand::Capture(_)))
        || event_key.as_ref().is_some_and(|k| k.capture.is_some());
    if raw.examples.must_match.is_empty() {
        warnings.push(RuleWarning(format!(
            "{file}: rule `{}` has no `examples.match`; `tailwatch test` cannot check it",
            raw.name
        )));
    }

    Ok((
        Rule {
            name: raw.name,
            category: raw.category,
            severity,
            description: raw.description,
            action: raw.action,
            runbook_url: raw.runbook_url,
            labels: raw.labels,
            fields,
            regex,
            unless,
            unless_below,
            min_level,
            cover,
            cover_from_keywords,
            extract,
            when,
            escalate,
            level_severity,
            level_ceiling,
            event_key,
            present,
            fallback: raw.fallback,
            resembles: raw.resembles,
            span_duration,
            reads_captures,
            examples_match: raw.examples.must_match,
            examples_no_match: raw.examples.no_match,
            origin: file.to_string(),
            embedded,
            line,
        },
        warnings,
        hir,
    ))
}

/// The named capture groups of a regex, with their group indexes.
fn capture_names(hir: &Hir) -> Vec<(usize, String)> {
    use regex_syntax::hir::HirKind;
    let mut names = Vec::new();
    let mut stack = vec![hir];
    while let Some(h) = stack.pop() {
        match h.kind() {
            HirKind::Capture(c) => {
                if let Some(n) = &c.name {
                    names.push((c.index as usize, n.to_string()));
                }
                stack.push(&c.sub);
            }
            HirKind::Concat(v) | HirKind::Alternation(v) => stack.extend(v.iter()),
            HirKind::Repetition(r) => stack.push(&r.sub),
            _ => {}
        }
    }
    names
}

/// The series names a metric is exported under: a histogram adds
/// `_bucket`, `_sum` and `_count`.
fn exported_names(metric: &str, kind: MetricKind) -> Vec<String> {
    let name = format!("{}{metric}", metric_names::PREFIX);
    match kind {
        MetricKind::Gauge => vec![name],
        MetricKind::Histogram => ["", "_bucket", "_sum", "_count"]
            .iter()
            .map(|s| format!("{name}{s}"))
            .collect(),
    }
}

/// Collects the metrics the rules extract into one declaration each and
/// points every extract at its own. Rules that feed one metric must agree
/// on its kind, base unit and label names, and no two metrics may export
/// the same series name; otherwise `/metrics` would be ambiguous.
pub(super) fn declare_metrics(rules: &mut [Rule]) -> Result<Vec<MetricDecl>, Vec<RuleError>> {
    let mut decls: Vec<MetricDecl> = Vec::new();
    // Exported series name -> the metric that owns it.
    let mut owners: BTreeMap<String, usize> = BTreeMap::new();
    let mut errors = Vec::new();
    for rule in rules.iter_mut() {
        for e in &mut rule.extract {
            let Some(metric) = &e.metric else { continue };
            let invalid = |message: String| RuleError::Invalid {
                file: rule.origin.clone(),
                line: rule.line,
                rule: rule.name.clone(),
                message,
            };
            let name = format!("{}{}", metric_names::PREFIX, metric);
            let labels: Vec<String> = e.labels.iter().map(|(l, _)| l.clone()).collect();
            if let Some(id) = decls.iter().position(|d| d.name == name) {
                let d = &decls[id];
                if d.kind != e.kind || d.unit != e.unit.base() || d.labels != labels {
                    errors.push(invalid(format!(
                        "extract metric `{}` is declared by another rule as a {:?} in {} with labels [{}]; \
                         this rule declares a {:?} in {} with labels [{}]: declare it the same way, or name it differently",
                        metric,
                        d.kind,
                        d.unit.as_str(),
                        d.labels.join(", "),
                        e.kind,
                        e.unit.base().as_str(),
                        labels.join(", ")
                    )));
                }
                e.metric_id = Some(id);
                continue;
            }
            let id = decls.len();
            for series in exported_names(metric, e.kind) {
                if let Some(&other) = owners.get(&series) {
                    errors.push(invalid(format!(
                        "extract metric `{}` exports `{series}`, which metric `{}` exports too: name it differently",
                        metric, decls[other].name
                    )));
                }
                owners.insert(series, id);
            }
            decls.push(MetricDecl {
                name,
                kind: e.kind,
                unit: e.unit.base(),
                labels,
                help: format!(
                    "Extracted by rule {} from {} {} (in {}).",
                    rule.name,
                    if e.capture.is_some() {
                        "capture"
                    } else {
                        "field"
                    },
                    e.field,
                    e.unit.base().as_str()
                ),
            });
            e.metric_id = Some(id);
        }
    }
    if errors.is_empty() {
        Ok(decls)
    } else {
        Err(errors)
    }
}

/// Chooses the regex-derived covers with every rule's `no_match` examples
/// as the background of routine lines, now that all rules are known;
/// `hirs` are the rules' parsed regexes. Warns about a rule no literal
/// covers.
pub(super) fn choose_covers(rules: &mut [Rule], hirs: &[Hir], warnings: &mut Vec<RuleWarning>) {
    let background: Vec<String> = rules
        .iter()
        .flat_map(|r| r.examples_no_match.iter().cloned())
        .collect();
    let cost = LiteralCost::with_background(background.iter().map(String::as_str));
    for (rule, hir) in rules.iter_mut().zip(hirs) {
        if rule.cover_from_keywords {
            continue;
        }
        rule.cover = literals::cover(hir, &cost);
        if rule.cover.is_none() {
            warnings.push(RuleWarning(format!(
                "{}: rule `{}`: no literal of two bytes or more is in every match of this regex, so every line is decoded and tried against it{}, several times the cost of the rest of the pack; {}",
                rule.origin,
                rule.name,
                match rule.min_level {
                    Some(level) => format!(" (its regex only on lines at level {} or above)", level.as_str()),
                    None => String::new(),
                },
                suggest_keyword(&rule.examples_match)
            )));
        }
    }
}

/// Suggests a keyword for a rule whose regex has no literal cover: the
/// rarest word that every must-match example contains.
fn suggest_keyword(examples: &[String]) -> String {
    let words = |s: &str| -> Vec<String> {
        s.to_ascii_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .filter(|w| w.len() >= 4)
            .map(str::to_string)
            .collect()
    };
    let Some(first) = examples.first() else {
        return "add `keywords:` under `match` with a word every matching line contains".into();
    };
    let mut common: Vec<String> = words(first)
        .into_iter()
        .filter(|w| examples[1..].iter().all(|e| words(e).contains(w)))
        .collect();
    let cost = LiteralCost::default();
    common.sort_by(|a, b| cost.cost(a.as_bytes()).total_cmp(&cost.cost(b.as_bytes())));
    match common.first() {
        Some(w) => format!("add `keywords: [\"{w}\"]` under `match` (every example contains it)"),
        None => "add `keywords:` under `match` with a word every matching line contains".into(),
    }
}

fn parse_condition(s: &str) -> Option<(String, Cmp, f64)> {
    let s = s.trim();
    for (op, cmp) in [
        (">=", Cmp::Ge),
        ("<=", Cmp::Le),
        (">", Cmp::Gt),
        ("<", Cmp::Lt),
    ] {
        if let Some((field, num)) = s.split_once(op) {
            let field = field.trim();
            if field.is_empty() || field.contains(char::is_whitespace) {
                return None;
            }
            return Some((field.to_string(), cmp, num.trim().parse().ok()?));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escalation_conditions_parse() {
        let (f, c, t) = parse_condition("lag_seconds > 300").unwrap();
        assert_eq!((f.as_str(), c, t), ("lag_seconds", Cmp::Gt, 300.0));
        assert!(parse_condition("lag seconds > x").is_none());
    }
}
