//! Rule files: the YAML schema, validation, and compilation into a
//! [`RuleSet`] that the matcher borrows for its whole life.

mod literals;
mod schema;

pub use literals::LiteralCost;
pub use schema::{RawRule, RuleFile};

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::decode::Level;
use crate::error::{RuleError, RuleErrors};

/// The categories every tailwatch knows. Rule files may declare their own
/// under a top-level `categories:` list.
pub const BUILTIN_CATEGORIES: &[&str] = &[
    "pool_exhaustion",
    "pool_pressure",
    "timeout",
    "concurrency_conflict",
    "deadlock",
    "projection_lag",
    "event_store_latency",
    "memory_pressure",
    "consumer_lag",
    "dead_letter",
    "panic",
];

/// The shipped rule pack, compiled into the binary so that tailwatch works
/// with no files at all.
pub const EMBEDDED_PACK: &[(&str, &str)] = &[
    (
        "patterns/pools.yaml",
        include_str!("../../patterns/pools.yaml"),
    ),
    (
        "patterns/timeouts.yaml",
        include_str!("../../patterns/timeouts.yaml"),
    ),
    (
        "patterns/concurrency.yaml",
        include_str!("../../patterns/concurrency.yaml"),
    ),
    (
        "patterns/event_sourcing.yaml",
        include_str!("../../patterns/event_sourcing.yaml"),
    ),
    (
        "patterns/memory.yaml",
        include_str!("../../patterns/memory.yaml"),
    ),
    (
        "patterns/messaging.yaml",
        include_str!("../../patterns/messaging.yaml"),
    ),
    (
        "patterns/panics.yaml",
        include_str!("../../patterns/panics.yaml"),
    ),
];

/// How bad a match is. Ordered: `Info < Warning < Error < Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::Info,
        Severity::Warning,
        Severity::Error,
        Severity::Critical,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Severity::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| format!("unknown severity `{s}`: use info, warning, error or critical"))
    }
}

/// Which part of a decoded record a rule's regex looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldRef {
    /// The record's message, whatever the format calls it.
    Message,
    /// Error text: `error`, `err`, `exception`, `error.message`, `@x`, ...
    Error,
    /// The level as written in the record.
    Level,
    /// The logger name or tracing target.
    Target,
    /// The whole logical line (after the envelope is removed).
    Line,
    /// Any other field, by dotted path (`fields.` is searched too).
    Path(String),
}

impl FieldRef {
    fn parse(name: &str) -> FieldRef {
        match name {
            "message" | "msg" => FieldRef::Message,
            "error" => FieldRef::Error,
            "level" => FieldRef::Level,
            "target" | "logger" => FieldRef::Target,
            "line" => FieldRef::Line,
            other => FieldRef::Path(other.to_string()),
        }
    }

    pub fn name(&self) -> &str {
        match self {
            FieldRef::Message => "message",
            FieldRef::Error => "error",
            FieldRef::Level => "level",
            FieldRef::Target => "target",
            FieldRef::Line => "line",
            FieldRef::Path(p) => p,
        }
    }
}

/// How an extracted number is recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MetricKind {
    Gauge,
    Histogram,
}

/// The unit an extracted field is written in; values are converted to the
/// base unit (seconds, bytes, ratio 0-1) of the metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    Seconds,
    Milliseconds,
    Microseconds,
    Percent,
    Ratio,
    Bytes,
    Count,
}

impl Unit {
    /// Converts a value written in this unit to the metric's base unit.
    pub fn to_base(self, v: f64) -> f64 {
        match self {
            Unit::Milliseconds => v / 1e3,
            Unit::Microseconds => v / 1e6,
            Unit::Percent => v / 100.0,
            Unit::Seconds | Unit::Ratio | Unit::Bytes | Unit::Count => v,
        }
    }
}

/// A numeric field turned into a metric.
#[derive(Debug, Clone)]
pub struct Extract {
    pub field: String,
    pub metric: String,
    pub kind: MetricKind,
    pub unit: Unit,
    /// Metric label name -> record field that holds its value.
    pub labels: Vec<(String, String)>,
}

/// Comparison in an `escalate` condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Gt,
    Ge,
    Lt,
    Le,
}

/// `when: <field> <op> <number>` raises the match's severity.
#[derive(Debug, Clone)]
pub struct Escalation {
    pub field: String,
    pub cmp: Cmp,
    pub threshold: f64,
    pub severity: Severity,
}

impl Escalation {
    pub fn holds(&self, v: f64) -> bool {
        match self.cmp {
            Cmp::Gt => v > self.threshold,
            Cmp::Ge => v >= self.threshold,
            Cmp::Lt => v < self.threshold,
            Cmp::Le => v <= self.threshold,
        }
    }
}

/// A compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub name: String,
    pub category: String,
    pub severity: Severity,
    pub description: String,
    pub action: String,
    pub runbook_url: Option<String>,
    pub labels: BTreeMap<String, String>,
    pub fields: Vec<FieldRef>,
    pub regex: Regex,
    /// Lines below this level never match.
    pub min_level: Option<Level>,
    /// Lowercase literals one of which every match contains; `None` when
    /// the rule cannot be prefiltered and every line is a candidate for it.
    pub cover: Option<Vec<Vec<u8>>>,
    /// True when `cover` came from the rule's `keywords` rather than its regex.
    pub cover_from_keywords: bool,
    pub extract: Vec<Extract>,
    pub escalate: Vec<Escalation>,
    pub examples_match: Vec<String>,
    pub examples_no_match: Vec<String>,
    /// The file the rule came from (`patterns/pools.yaml` for embedded ones).
    pub origin: String,
}

/// A finding of `check` that does not stop loading.
#[derive(Debug, Clone)]
pub struct RuleWarning(pub String);

impl fmt::Display for RuleWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Every rule in effect, in load order; a rule's index is its `RuleId`.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
}

pub type RuleId = usize;

impl RuleSet {
    /// Loads the embedded pack (unless `embedded` is false), then every
    /// `*.yaml`/`*.yml` under `dirs`; a user's rule replaces an embedded
    /// rule of the same name. All problems are collected before returning.
    pub fn load(
        embedded: bool,
        dirs: &[PathBuf],
    ) -> Result<(RuleSet, Vec<RuleWarning>), RuleErrors> {
        let mut sources: Vec<(String, String)> = Vec::new();
        let mut errors = Vec::new();
        if embedded {
            sources.extend(
                EMBEDDED_PACK
                    .iter()
                    .map(|(p, t)| (p.to_string(), t.to_string())),
            );
        }
        let builtin_count = sources.len();
        for dir in dirs {
            match rule_files(dir) {
                Ok(files) => {
                    for path in files {
                        match std::fs::read_to_string(&path) {
                            Ok(text) => sources.push((path.display().to_string(), text)),
                            Err(source) => errors.push(RuleError::Io { path, source }),
                        }
                    }
                }
                Err(e) => errors.push(e),
            }
        }
        let (set, warnings, mut more) = Self::compile_sources(&sources, builtin_count);
        errors.append(&mut more);
        if errors.is_empty() {
            Ok((set, warnings))
        } else {
            Err(RuleErrors(errors))
        }
    }

    /// Compiles rule file texts. Rules from the first `builtin_count`
    /// sources may be overridden by name by later ones; any other repeated
    /// name is an error.
    fn compile_sources(
        sources: &[(String, String)],
        builtin_count: usize,
    ) -> (RuleSet, Vec<RuleWarning>, Vec<RuleError>) {
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        let mut rules: Vec<Rule> = Vec::new();
        let mut by_name: HashMap<String, (usize, bool)> = HashMap::new();
        for (i, (file, text)) in sources.iter().enumerate() {
            let builtin = i < builtin_count;
            let parsed = match schema::parse_file(file, text) {
                Ok(p) => p,
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            };
            for raw in parsed.rules {
                let name = raw.name.clone();
                match compile_rule(file, &parsed.categories, raw) {
                    Ok((rule, mut w)) => {
                        warnings.append(&mut w);
                        match by_name.get(&name) {
                            Some(&(at, was_builtin)) if was_builtin && !builtin => {
                                rules[at] = rule;
                                by_name.insert(name, (at, false));
                            }
                            Some(_) => errors.push(RuleError::Duplicate {
                                file: file.clone(),
                                line: schema::line_of_name(text, &name),
                                rule: name,
                            }),
                            None => {
                                by_name.insert(name, (rules.len(), builtin));
                                rules.push(rule);
                            }
                        }
                    }
                    Err(e) => errors.push(e),
                }
            }
        }
        choose_covers(&mut rules);
        (RuleSet { rules }, warnings, errors)
    }

    /// Compiles rule file texts given in memory (used by tests and benches).
    pub fn from_texts(sources: &[(&str, &str)]) -> Result<RuleSet, RuleErrors> {
        let owned: Vec<(String, String)> = sources
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        let (set, _, errors) = Self::compile_sources(&owned, 0);
        if errors.is_empty() {
            Ok(set)
        } else {
            Err(RuleErrors(errors))
        }
    }

    /// The embedded pack alone.
    pub fn embedded() -> RuleSet {
        Self::load(true, &[])
            .expect("the embedded rule pack is validated by the test suite")
            .0
    }

    pub fn by_name(&self, name: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.name == name)
    }
}

/// Rule files under `dir` (or `dir` itself when it is a file), sorted so
/// that load order, and so override order, is stable.
fn rule_files(dir: &Path) -> Result<Vec<PathBuf>, RuleError> {
    let io = |source| RuleError::Io {
        path: dir.to_path_buf(),
        source,
    };
    if dir.is_file() {
        return Ok(vec![dir.to_path_buf()]);
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        let ext = path.extension().and_then(|e| e.to_str());
        if path.is_file() && matches!(ext, Some("yaml" | "yml")) {
            files.push(path);
        }
    }
    if files.is_empty() {
        return Err(RuleError::NoRuleFiles {
            path: dir.to_path_buf(),
        });
    }
    files.sort();
    Ok(files)
}

fn is_snake_case(s: &str) -> bool {
    !s.is_empty()
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn compile_rule(
    file: &str,
    declared_categories: &[String],
    raw: RawRule,
) -> Result<(Rule, Vec<RuleWarning>), RuleError> {
    let invalid = |message: String| RuleError::Invalid {
        file: file.to_string(),
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
    let min_level = match &raw.matcher.level {
        None => None,
        Some(l) => Some(Level::parse(l).ok_or_else(|| {
            invalid(format!(
                "unknown level `{l}` in match.level: use trace, debug, info, warn, error or fatal"
            ))
        })?),
    };
    let regex = Regex::new(&raw.matcher.regex)
        .map_err(|e| invalid(format!("bad regex in match.regex: {e}")))?;
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
            .map(|k| k.to_ascii_lowercase().into_bytes())
            .collect();
        if kw.iter().any(|k| k.is_empty()) {
            return Err(invalid("match.keywords holds an empty keyword".into()));
        }
        (Some(kw), true)
    } else {
        let hir = regex_syntax::parse(&raw.matcher.regex)
            .map_err(|e| invalid(format!("bad regex in match.regex: {e}")))?;
        let cover = literals::cover(&hir, &LiteralCost::default());
        if cover.is_none() {
            warnings.push(RuleWarning(format!(
                "{file}: rule `{}`: no literal prefilter covers this regex, so every line pays for it; {}",
                raw.name,
                suggest_keyword(&raw.examples.must_match)
            )));
        }
        (cover, false)
    };

    let mut extract = Vec::new();
    for e in &raw.extract {
        if !is_snake_case(&e.metric) {
            return Err(invalid(format!(
                "extract metric `{}` must be snake_case",
                e.metric
            )));
        }
        extract.push(Extract {
            field: e.field.clone(),
            metric: e.metric.clone(),
            kind: e.kind,
            unit: e.unit,
            labels: e
                .labels
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        });
    }
    let mut escalate = Vec::new();
    for e in &raw.escalate {
        let severity: Severity = e.severity.parse().map_err(invalid)?;
        let (field, cmp, threshold) = parse_condition(&e.when).ok_or_else(|| {
            invalid(format!(
                "cannot read escalate condition `{}`: write `<field> > <number>` (>, >=, <, <=)",
                e.when
            ))
        })?;
        escalate.push(Escalation {
            field,
            cmp,
            threshold,
            severity,
        });
    }
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
            min_level,
            cover,
            cover_from_keywords,
            extract,
            escalate,
            examples_match: raw.examples.must_match,
            examples_no_match: raw.examples.no_match,
            origin: file.to_string(),
        },
        warnings,
    ))
}

/// Recomputes regex-derived covers with every rule's `no_match` examples
/// as the background of routine lines, now that all rules are known.
fn choose_covers(rules: &mut [Rule]) {
    let background: Vec<String> = rules
        .iter()
        .flat_map(|r| r.examples_no_match.iter().cloned())
        .collect();
    let cost = LiteralCost::with_background(background.iter().map(String::as_str));
    for rule in rules.iter_mut().filter(|r| !r.cover_from_keywords) {
        if let Ok(hir) = regex_syntax::parse(rule.regex.as_str()) {
            rule.cover = literals::cover(&hir, &cost);
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

    fn load_one(yaml: &str) -> Result<RuleSet, String> {
        RuleSet::from_texts(&[("t.yaml", yaml)]).map_err(|e| e.to_string())
    }

    const MINIMAL: &str = r#"
rules:
  - name: pool_gone
    category: pool_exhaustion
    severity: critical
    description: d
    action: a
    match:
      regex: '(?i)pool exhausted'
"#;

    #[test]
    fn minimal_rule_defaults_to_message_and_error_fields() {
        let set = load_one(MINIMAL).unwrap();
        assert_eq!(
            set.rules[0].fields,
            vec![FieldRef::Message, FieldRef::Error]
        );
        assert_eq!(set.rules[0].severity, Severity::Critical);
    }

    #[test]
    fn unknown_keys_are_errors_with_a_line() {
        let err = load_one(&MINIMAL.replace("action: a", "action: a\n    acton: b")).unwrap_err();
        assert!(
            err.contains("t.yaml") && err.contains("acton") && err.contains("line"),
            "{err}"
        );
    }

    #[test]
    fn bad_regex_unknown_category_and_severity_are_reported() {
        let err = load_one(&MINIMAL.replace("pool exhausted", "pool (exhausted")).unwrap_err();
        assert!(err.contains("bad regex"), "{err}");
        let err = load_one(&MINIMAL.replace("pool_exhaustion", "pools")).unwrap_err();
        assert!(err.contains("unknown category `pools`"), "{err}");
        let err = load_one(&MINIMAL.replace("critical", "fatal")).unwrap_err();
        assert!(err.contains("unknown severity `fatal`"), "{err}");
    }

    #[test]
    fn declared_categories_are_accepted() {
        let yaml = format!(
            "categories: [pools]\n{}",
            MINIMAL.replace("pool_exhaustion", "pools")
        );
        assert_eq!(load_one(&yaml).unwrap().rules[0].category, "pools");
    }

    #[test]
    fn escalation_conditions_parse() {
        let (f, c, t) = parse_condition("lag_seconds > 300").unwrap();
        assert_eq!((f.as_str(), c, t), ("lag_seconds", Cmp::Gt, 300.0));
        assert!(parse_condition("lag seconds > x").is_none());
    }

    #[test]
    fn user_rules_override_embedded_ones_by_name() {
        let (set, _, errors) = RuleSet::compile_sources(
            &[
                ("builtin.yaml".into(), MINIMAL.into()),
                ("mine.yaml".into(), MINIMAL.replace("critical", "warning")),
            ],
            1,
        );
        assert!(errors.is_empty());
        assert_eq!(set.rules.len(), 1);
        assert_eq!(set.rules[0].severity, Severity::Warning);
    }
}
