//! Rules proposed from templates of unmatched trouble: a regex with the
//! constant words kept and the variable parts generalised, keywords for
//! the prefilter, a guessed category and severity, and the samples as
//! examples. Each proposal is checked the way `tailwatch test` checks a
//! rule file before it is offered; what fails is dropped, not shown.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::{is_variable, Template, LEVELS, SAMPLE_BYTES, WILDCARD};
use crate::matcher::{Matcher, Resemblance};
use crate::rule_tests::run_examples;
use crate::rules::RuleSet;

/// The category of a template no word of the table below places.
pub const UNCLASSIFIED: &str = "unclassified";

/// Words that suggest a category, tried in order (the more specific
/// symptoms first: a pool timeout is a pool's trouble).
const CATEGORY_WORDS: &[(&str, &[&str])] = &[
    ("deadlock", &["deadlock", "lock wait", "lock timeout"]),
    (
        "pool_exhaustion",
        &[
            "pool exhausted",
            "pool is full",
            "too many connections",
            "too many clients",
            "acquire",
        ],
    ),
    ("timeout", &["timeout", "timed out", "deadline"]),
    (
        "memory_pressure",
        &["out of memory", "memory", "oom", "heap"],
    ),
    (
        "upstream_unavailable",
        &[
            "refused",
            "reset by peer",
            "unreachable",
            "unavailable",
            "no route",
        ],
    ),
    (
        "concurrency_conflict",
        &["conflict", "concurrency", "serializ"],
    ),
    (
        "dead_letter",
        &["dead letter", "dead-letter", "dlq", "poison"],
    ),
    ("consumer_lag", &["consumer", "rebalanc", "offset", " lag"]),
    (
        "projection_lag",
        &["projection", "subscription", "checkpoint"],
    ),
    (
        "event_store_latency",
        &["event store", "eventstore", "append"],
    ),
    (
        "panic",
        &["panic", "crash", "fatal", "exception", "segfault"],
    ),
    ("pool_pressure", &["pool", "starvation", "leak"]),
];

/// One proposed rule, in the pack's YAML shape.
#[derive(Debug, Clone, Serialize)]
pub struct SuggestedRule {
    pub name: String,
    pub category: String,
    pub severity: String,
    /// Mined from WARN-or-worse records, a suggestion does not page on the
    /// same words in a line logged at INFO or below (they count at `info`).
    pub level_ceiling: BTreeMap<&'static str, &'static str>,
    pub description: String,
    pub action: String,
    #[serde(rename = "match")]
    pub matcher: SuggestedMatch,
    pub examples: SuggestedExamples,
}

#[derive(Debug, Clone, Serialize)]
pub struct SuggestedMatch {
    pub regex: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SuggestedExamples {
    #[serde(rename = "match")]
    pub must_match: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub no_match: Vec<String>,
}

/// A template and the rule proposed for it.
#[derive(Debug, Clone)]
pub struct Suggestion {
    pub template: Template,
    pub rule: SuggestedRule,
    /// The words the category was guessed from; empty when none placed it.
    pub category_words: Vec<&'static str>,
    /// When no word placed it: how strongly its samples resemble the
    /// pack's lines of the category chosen; `None` leaves it
    /// `unclassified`.
    pub resembled: Option<f32>,
}

/// The least probability with which a template's sample must resemble a
/// category for a suggestion to take it (a person reviews it, so lower
/// than what counts a record: more likely than all the others together).
pub const SUGGEST_MIN_PROBABILITY: f32 = 0.5;

/// Rules for `templates` (most frequent first); `neighbours` are other
/// templates whose samples serve as `no_match` examples where the
/// proposed regex leaves them alone. A template no category word places
/// takes the category its sample resembles, with `model`. Proposals whose
/// examples do not pass are left out.
pub fn suggest(
    templates: &[&Template],
    neighbours: &[&Template],
    model: Option<&Resemblance>,
) -> Vec<Suggestion> {
    let mut names = BTreeSet::new();
    templates
        .iter()
        .filter_map(|t| propose(t, neighbours, model, &mut names))
        .filter(passes_its_examples)
        .collect()
}

fn propose(
    template: &Template,
    neighbours: &[&Template],
    model: Option<&Resemblance>,
    names: &mut BTreeSet<String>,
) -> Option<Suggestion> {
    // A rule needs words to stand on: two at least, one of them long
    // enough to be rare ("failed" alone would match half of any log).
    let words: Vec<&String> = template
        .tokens
        .iter()
        .filter(|t| *t != WILDCARD && t.chars().any(|c| c.is_alphabetic()))
        .collect();
    if words.len() < 2 || words.iter().all(|w| w.len() < 5) {
        return None;
    }
    whole_samples(template).next()?;
    let regex = regex_for(template)?;
    let compiled = regex::Regex::new(&regex).ok()?;
    let keywords: Vec<String> = template
        .tokens
        .iter()
        .filter(|t| *t != WILDCARD && t.chars().all(|c| c.is_ascii_alphabetic()))
        .max_by_key(|t| t.len())
        .filter(|t| t.len() >= 4)
        .map(|t| vec![t.to_ascii_lowercase()])
        .unwrap_or_default();
    // The message's words first; else the whole samples' (an exception
    // in a traceback or an error field often names the symptom).
    let guess = |text: String| {
        CATEGORY_WORDS.iter().find_map(|(category, words)| {
            let found: Vec<&'static str> =
                words.iter().copied().filter(|w| text.contains(w)).collect();
            (!found.is_empty()).then_some((*category, found))
        })
    };
    let (mut category, category_words) = guess(template.text().to_ascii_lowercase())
        .or_else(|| guess(template.samples.join("\n").to_ascii_lowercase()))
        .map_or((UNCLASSIFIED.to_string(), Vec::new()), |(c, w)| {
            (c.to_string(), w)
        });
    let mut resembled = None;
    if let (true, Some(model), Some(sample)) = (
        category_words.is_empty(),
        model,
        whole_samples(template).next(),
    ) {
        let closest = model.closest(sample);
        if closest.probability >= SUGGEST_MIN_PROBABILITY {
            category = closest.category;
            resembled = Some(closest.probability);
        }
    }
    let severity = match LEVELS[template.level] {
        "error" | "fatal" => "error",
        _ => "warning",
    };
    let no_match: Vec<String> = neighbours
        .iter()
        .filter(|n| n.tokens != template.tokens)
        .flat_map(|n| whole_samples(n).next())
        .filter(|s| !compiled.is_match(s))
        .take(2)
        .cloned()
        .collect();
    let name = unique_name(&regex, names);
    Some(Suggestion {
        template: template.clone(),
        rule: SuggestedRule {
            name,
            category,
            severity: severity.to_string(),
            level_ceiling: BTreeMap::from([("info", "info")]),
            description: format!(
                "TODO: say what this means. Suggested from {} unmatched {} records like: {}",
                template.count,
                template.level_name(),
                template.text()
            ),
            action: "TODO: say what the person on call should do.".to_string(),
            matcher: SuggestedMatch { regex, keywords },
            examples: SuggestedExamples {
                must_match: whole_samples(template).cloned().collect(),
                no_match,
            },
        },
        category_words,
        resembled,
    })
}

/// The samples kept whole: a cut one may not decode as its record did.
fn whole_samples(t: &Template) -> impl Iterator<Item = &String> {
    t.samples.iter().filter(|s| s.len() < SAMPLE_BYTES)
}

/// What one position of a template becomes in a rule's regex.
enum Part {
    /// A constant token.
    Word(String),
    /// A wildcard whose samples are all numbers with these units: a named
    /// capture, ready for `extract`.
    Quantity(BTreeSet<String>),
    /// A wildcard where the messages hold different words (Drain merged
    /// them): those words, not anything, so the rule keeps their sense.
    OneOf(BTreeSet<String>),
    /// A value: anything.
    Any,
}

/// The template's tokens generalised (see [`Part`]) from the first that
/// is not `Any` to the last (wildcards at either end constrain nothing),
/// joined by whitespace.
fn regex_for(template: &Template) -> Option<String> {
    let sample_tokens: Vec<Vec<&str>> = template
        .messages
        .iter()
        .map(|s| first_line_tokens(s, template.tokens.len()))
        .collect();
    let aligned = !sample_tokens.iter().any(Vec::is_empty);
    let parts: Vec<Part> = template
        .tokens
        .iter()
        .enumerate()
        .map(|(i, token)| {
            if token != WILDCARD {
                return Part::Word(token.clone());
            }
            if !aligned {
                return Part::Any;
            }
            let seen: Vec<&str> = sample_tokens.iter().map(|t| t[i]).collect();
            if let Some(units) = seen
                .iter()
                .map(|t| unit_of(t))
                .collect::<Option<BTreeSet<_>>>()
            {
                return Part::Quantity(units.into_iter().map(str::to_string).collect());
            }
            // A short number after a label (`errno:`, `code=`) that every
            // sample agrees on is a code, not a value: errno 110 is a
            // timeout, 11 is not.
            let after_label = i > 0
                && template.tokens[i - 1] != WILDCARD
                && template.tokens[i - 1].ends_with([':', '=']);
            // So is a quoted name after a label (`EventName: 'OnTimeout',`):
            // the kind of event, which its neighbours differ in.
            if after_label
                && seen.iter().all(|t| *t == seen[0])
                && (is_code(seen[0]) || is_quoted_name(seen[0]))
            {
                return Part::Word(seen[0].to_string());
            }
            if seen.iter().all(|t| !is_variable(t)) {
                return Part::OneOf(seen.iter().map(|t| t.to_string()).collect());
            }
            Part::Any
        })
        .collect();
    // Text lines start with a prefix of time, level, pid and thread: the
    // rule starts at a constant token that the next one does not leave
    // open (the logger or the message), else at the first constant.
    let first = parts
        .windows(2)
        .position(|w| matches!(w[0], Part::Word(_)) && !matches!(w[1], Part::Any))
        .or_else(|| parts.iter().position(|p| !matches!(p, Part::Any)))?;
    let last = parts.iter().rposition(|p| !matches!(p, Part::Any))?;
    let mut captures = 0;
    let regex: Vec<String> = parts[first..=last]
        .iter()
        .map(|part| match part {
            Part::Word(w) => regex::escape(w),
            Part::Quantity(units) => {
                captures += 1;
                let name = if captures == 1 {
                    "value".to_string()
                } else {
                    format!("value{captures}")
                };
                let units: Vec<String> = units.iter().map(|u| regex::escape(u)).collect();
                format!(r"(?P<{name}>\d+(?:\.\d+)?) ?(?:{})\S*", units.join("|"))
            }
            Part::OneOf(words) => {
                let words: Vec<String> = words.iter().map(|w| regex::escape(w)).collect();
                format!("(?:{})", words.join("|"))
            }
            Part::Any => r"\S+".to_string(),
        })
        .collect();
    Some(regex.join(r"\s+"))
}

/// The whitespace tokens of a sample's message, if they line up with the
/// template's (a message cut at [`super::MAX_TOKENS`] does not: its
/// wildcards fall back to `\S+`).
fn first_line_tokens(message: &str, n: usize) -> Vec<&str> {
    let tokens: Vec<&str> = message.split_whitespace().collect();
    if tokens.len() == n {
        tokens
    } else {
        Vec::new()
    }
}

/// Whether `token` is a short integer (at most 4 digits), punctuation
/// around it aside.
fn is_code(token: &str) -> bool {
    let t = token.trim_matches(|c: char| c.is_ascii_punctuation());
    !t.is_empty() && t.len() <= 4 && t.bytes().all(|b| b.is_ascii_digit())
}

/// Whether `token` is a quoted name without digits (`'OnTimeout',`,
/// `"ECONNRESET"`), punctuation after it aside.
fn is_quoted_name(token: &str) -> bool {
    let t = token.trim_end_matches([',', ';', '.', ')']);
    let Some(quote) = t.chars().next().filter(|c| matches!(c, '\'' | '"' | '`')) else {
        return false;
    };
    let Some(inner) = t[1..].strip_suffix(quote) else {
        return false;
    };
    inner.chars().any(char::is_alphabetic)
        && inner
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, '_' | '-' | '.'))
}

/// The unit of a token like `1.5s`, `300ms`, `12MB` (trailing
/// punctuation ignored).
fn unit_of(token: &str) -> Option<&'static str> {
    const UNITS: [&str; 13] = [
        "ms", "us", "µs", "ns", "s", "m", "h", "KiB", "MiB", "GiB", "KB", "MB", "GB",
    ];
    let t = token.trim_end_matches([',', ';', ':', '.', ')']);
    let digits = t
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.'))
        .map_or(t.len(), |(i, _)| i);
    if digits == 0 {
        return None;
    }
    UNITS.into_iter().find(|u| &t[digits..] == *u)
}

/// `unmatched_` and the first four words (letters only, three or more)
/// of the rule's regex, made unique.
fn unique_name(regex: &str, names: &mut BTreeSet<String>) -> String {
    let words: Vec<String> = regex
        .split(r"\s+")
        .map(|t| t.trim_matches(|c: char| !c.is_ascii_alphabetic()))
        .filter(|t| t.len() >= 3 && t.chars().all(|c| c.is_ascii_alphabetic()))
        .map(|t| t.to_ascii_lowercase())
        .take(4)
        .collect();
    let base = format!("unmatched_{}", words.join("_"));
    let mut name = base.clone();
    let mut n = 2;
    while !names.insert(name.clone()) {
        name = format!("{base}_{n}");
        n += 1;
    }
    name
}

/// The rule file for `suggestions`, as `tailwatch check` and `tailwatch
/// test` read it.
pub fn rule_file(suggestions: &[Suggestion]) -> String {
    let mut out = String::from(
        "# Rules suggested by `tailwatch suggest` from records logged at WARN or worse\n\
         # that no rule matched. Review each: fill in the TODOs, check the category\n\
         # and severity, and widen or narrow the regex before relying on it.\n",
    );
    if suggestions.iter().any(|s| s.rule.category == UNCLASSIFIED) {
        out.push_str("categories: [unclassified]\n");
    }
    out.push_str("rules:\n");
    for s in suggestions {
        out.push_str(&rule_entry(s));
    }
    out
}

/// One suggestion as an entry of a rule file's `rules:` list, headed by a
/// comment with its counts and how its category was chosen.
pub fn rule_entry(s: &Suggestion) -> String {
    let t = &s.template;
    let mut out = format!("  # {} records at {}", t.count, t.level_name());
    if let (Some(first), Some(last)) = (t.first_seen, t.last_seen) {
        out.push_str(&format!(", {} .. {}", time_text(first), time_text(last)));
    }
    out.push('\n');
    if let Some(p) = s.resembled {
        out.push_str(&format!(
            "  # category: no word placed it; its sample's words most resemble the pack's lines of it (probability {p:.2}); check it\n"
        ));
    } else if s.category_words.is_empty() {
        out.push_str("  # category: no word placed it; choose one\n");
    } else {
        let words: Vec<String> = s
            .category_words
            .iter()
            .map(|w| format!("{:?}", w.trim()))
            .collect();
        out.push_str(&format!(
            "  # category: a guess from the words {}\n",
            words.join(", ")
        ));
    }
    let yaml = serde_yaml_ng::to_string(&[&s.rule]).expect("a rule serialises");
    for line in yaml.lines() {
        out.push_str("  ");
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn time_text(micros: i64) -> String {
    let t = std::time::UNIX_EPOCH + std::time::Duration::from_micros(micros.max(0) as u64);
    humantime::format_rfc3339_seconds(t).to_string()
}

/// Whether the proposal, compiled as a rule file on its own, matches its
/// samples and none of its `no_match` lines through the real scanner.
fn passes_its_examples(s: &Suggestion) -> bool {
    let text = rule_file(std::slice::from_ref(s));
    let Ok(rules) = RuleSet::from_texts(&[("suggested.yaml", &text)]) else {
        return false;
    };
    if rules.compile_all().is_err() {
        return false;
    }
    run_examples(&Matcher::new(rules)).1.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mine::{Miner, MinerSettings};

    fn regex_of(lines: &[&str]) -> String {
        let mut m = Miner::new(MinerSettings::default());
        for l in lines {
            m.add(l, 1, None, || *l);
        }
        assert_eq!(m.templates().len(), 1, "{:#?}", m.templates());
        regex_for(&m.templates()[0]).unwrap()
    }

    #[test]
    fn values_generalise_and_words_where_messages_differ_stay_words() {
        assert_eq!(
            regex_of(&[
                "ledger projection rebuild failed for tenant 7 after 1.5s",
                "ledger snapshot upload failed for tenant 9 after 300ms",
            ]),
            r"ledger\s+(?:projection|snapshot)\s+(?:rebuild|upload)\s+failed\s+for\s+tenant\s+\S+\s+after\s+(?P<value>\d+(?:\.\d+)?) ?(?:ms|s)\S*"
        );
    }

    #[test]
    fn a_code_after_a_label_is_kept_and_the_time_prefix_is_left_out() {
        assert_eq!(
            regex_of(&[
                "2026-12-01 22:57:42 8 [Warning] Could not read packet: fd: 43 errno: 110",
                "2026-12-01 22:58:42 9 [Warning] Could not read packet: fd: 41 errno: 110",
            ]),
            r"\[Warning\]\s+Could\s+not\s+read\s+packet:\s+fd:\s+\S+\s+errno:\s+110"
        );
    }

    #[test]
    fn a_quoted_name_after_a_label_is_kept() {
        // Polly logs every resilience event in one shape; the event's name
        // is what tells a timeout from a circuit closing again.
        assert_eq!(
            regex_of(&[
                "Resilience event occurred. EventName: 'OnTimeout', Source: 'pricing//Standard-AttemptTimeout', Operation Key: '', Result: ''",
                "Resilience event occurred. EventName: 'OnTimeout', Source: 'catalog//Standard-AttemptTimeout', Operation Key: '', Result: ''",
            ]),
            r"Resilience\s+event\s+occurred\.\s+EventName:\s+'OnTimeout',\s+Source:\s+\S+\s+Operation\s+Key:\s+\S+\s+Result:"
        );
    }
}
