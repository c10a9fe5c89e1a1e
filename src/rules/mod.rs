//! Rule files: the YAML schema, validation, and compilation into a
//! [`RuleSet`], with the metrics its rules declare.

mod compile;
pub mod diagnosis;
mod literals;
pub mod quantity;
mod schema;

pub use literals::LiteralCost;
pub use schema::{RawRule, RuleFile};

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::decode::{FieldRef, Level};
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
    "upstream_unavailable",
];

/// `(path, text)` of files compiled into the binary, each path relative
/// to the crate's root and written once.
macro_rules! embedded_files {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../../", $path)))),*]
    };
}

/// The shipped rule pack, compiled into the binary so that tailwatch works
/// with no files at all.
pub const EMBEDDED_PACK: &[(&str, &str)] = embedded_files![
    "patterns/pools.yaml",
    "patterns/timeouts.yaml",
    "patterns/concurrency.yaml",
    "patterns/event_sourcing.yaml",
    "patterns/memory.yaml",
    "patterns/messaging.yaml",
    "patterns/panics.yaml",
    "patterns/upstreams.yaml",
    "patterns/generic.yaml",
    "patterns/diagnoses.yaml",
    "patterns/routine.yaml",
];

/// The shipped pack's labelled corpus (`patterns/corpus/*.jsonl`): real
/// lines, each with its category or `benign`, that the rules were written
/// from and are scored on. Resemblance learns from it too (see
/// [`crate::matcher::resemblance`]).
pub const EMBEDDED_CORPUS: &[(&str, &str)] = embedded_files![
    "patterns/corpus/captured-clients.jsonl",
    "patterns/corpus/captured-generic.jsonl",
    "patterns/corpus/captured-servers.jsonl",
    "patterns/corpus/concurrency.jsonl",
    "patterns/corpus/event_sourcing.jsonl",
    "patterns/corpus/memory.jsonl",
    "patterns/corpus/messaging.jsonl",
    "patterns/corpus/panics.jsonl",
    "patterns/corpus/pools.jsonl",
    "patterns/corpus/read-from-source-cloud.jsonl",
    "patterns/corpus/read-from-source-dotnet.jsonl",
    "patterns/corpus/read-from-source-go.jsonl",
    "patterns/corpus/read-from-source-jvm.jsonl",
    "patterns/corpus/read-from-source-node-rust.jsonl",
    "patterns/corpus/read-from-source-python-ruby-php-elixir.jsonl",
    "patterns/corpus/read-from-source-servers-2.jsonl",
    "patterns/corpus/read-from-source-servers.jsonl",
    "patterns/corpus/read-from-source-wave3-crash.jsonl",
    "patterns/corpus/read-from-source-wave3-infra.jsonl",
    "patterns/corpus/read-from-source-wave3-messaging.jsonl",
    "patterns/corpus/read-from-source-wave3-pools.jsonl",
    "patterns/corpus/timeouts.jsonl",
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

    pub fn base(self) -> BaseUnit {
        match self {
            Unit::Seconds | Unit::Milliseconds | Unit::Microseconds => BaseUnit::Seconds,
            Unit::Percent | Unit::Ratio => BaseUnit::Ratio,
            Unit::Bytes => BaseUnit::Bytes,
            Unit::Count => BaseUnit::Count,
        }
    }
}

/// The unit an extracted metric is exported in, whatever unit its fields
/// are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaseUnit {
    Seconds,
    Ratio,
    Bytes,
    Count,
}

impl BaseUnit {
    pub fn as_str(self) -> &'static str {
        match self {
            BaseUnit::Seconds => "seconds",
            BaseUnit::Ratio => "ratio",
            BaseUnit::Bytes => "bytes",
            BaseUnit::Count => "count",
        }
    }
}

/// A number turned into a metric: a record field, or a named group of the
/// rule's regex.
#[derive(Debug, Clone)]
pub struct Extract {
    /// The field's path, or the capture group's name.
    pub field: String,
    /// The regex group the number is read from, with its unit parsed from
    /// the text; `None` reads `field`.
    pub capture: Option<usize>,
    /// With `capture`: the record field read when the group did not
    /// capture (the value is in its own field, not in the text).
    pub or_field: Option<String>,
    /// The metric's name as the rule wrote it (exported with the
    /// `tailwatch_` prefix); `None` when the value only decides `escalate`.
    pub metric: Option<String>,
    pub kind: MetricKind,
    pub unit: Unit,
    /// Metric label name -> record field that holds its value, sorted by
    /// label name.
    pub labels: Vec<(String, String)>,
    /// Index of the metric in [`RuleSet::metrics`].
    pub metric_id: Option<MetricId>,
}

pub type MetricId = usize;

/// One metric that `extract` entries feed, as every rule that feeds it
/// agrees to declare it: one kind, one base unit, one label set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricDecl {
    /// The exported name, `tailwatch_` included.
    pub name: String,
    pub kind: MetricKind,
    pub unit: BaseUnit,
    /// Label names, sorted.
    pub labels: Vec<String>,
    /// HELP text.
    pub help: String,
}

/// Comparison in an `escalate` condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Gt,
    Ge,
    Lt,
    Le,
}

impl Cmp {
    pub fn as_str(self) -> &'static str {
        match self {
            Cmp::Gt => ">",
            Cmp::Ge => ">=",
            Cmp::Lt => "<",
            Cmp::Le => "<=",
        }
    }
}

/// `<field or capture> <op> <number>`: an `escalate` entry's `when`, or
/// `match.when`.
#[derive(Debug, Clone)]
pub struct Condition {
    /// The name the condition was written with.
    pub field: String,
    pub operand: Operand,
    pub cmp: Cmp,
    pub threshold: f64,
}

/// `when: <condition>` raises the match's severity.
#[derive(Debug, Clone)]
pub struct Escalation {
    pub when: Condition,
    pub severity: Severity,
}

/// What an escalation compares.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    /// The value of an `extract` entry (by index), in its base unit: its
    /// capture, or its field when the text did not hold it.
    Extract(usize),
    /// A capture no extract reads, in the base unit written in the text.
    Capture(usize),
    /// A record field, as written.
    Field,
}

impl Condition {
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
    pub regex: RuleRegex,
    /// Found in the matched field, it undoes the match.
    pub unless: Option<RuleRegex>,
    /// Like `unless`, on a record below the level or with none.
    pub unless_below: Option<(Level, RuleRegex)>,
    /// Lines below this level never match.
    pub min_level: Option<Level>,
    /// Lowercase literals one of which every match contains; `None` when
    /// the rule cannot be prefiltered and every line is a candidate for it.
    pub cover: Option<Vec<Vec<u8>>>,
    /// True when `cover` came from the rule's `keywords` rather than its regex.
    pub cover_from_keywords: bool,
    pub extract: Vec<Extract>,
    /// `match.when`: a match whose value does not meet it is no match.
    pub when: Option<Condition>,
    pub escalate: Vec<Escalation>,
    /// A line at or above the level is matched at least at the severity
    /// (sorted by level).
    pub level_severity: Vec<(Level, Severity)>,
    /// A line at or below the level is matched at most at the severity
    /// (sorted by level).
    pub level_ceiling: Vec<(Level, Severity)>,
    /// What identifies the event across records (see [`EventKey`]).
    pub event_key: Option<EventKey>,
    /// Fields the record must have.
    pub present: Vec<FieldRef>,
    /// A catch-all: tried only when no other rule of its category matched.
    pub fallback: bool,
    /// Counts the records no rule matched that resemble its category's
    /// examples (see `matcher::resemblance`).
    pub resembles: bool,
    /// Index of the `extract` entry that gives the duration of the
    /// operation the record describes (its span ends at the record).
    pub span_duration: Option<usize>,
    /// An extract or escalation reads a capture group, so a match runs the
    /// regex's capturing engine.
    pub reads_captures: bool,
    pub examples_match: Vec<String>,
    pub examples_no_match: Vec<String>,
    /// The file the rule came from (`patterns/pools.yaml` for embedded ones).
    pub origin: String,
    /// Part of the embedded pack (whose regexes `check` compiles in the
    /// test suite).
    pub embedded: bool,
    /// The line of the rule's `name:` in that file.
    pub line: usize,
}

/// The clause of a rule that undid a match of its regex.
#[derive(Debug)]
pub enum Undone<'r> {
    /// `match.unless` was found in the matched text.
    Unless(&'r RuleRegex),
    /// `match.unless_below` was found, on a record below the level or with
    /// none.
    UnlessBelow(Level, &'r RuleRegex),
}

impl Rule {
    /// Which clause, if any, undoes a match of the regex in `text` of a
    /// record at `level`: the matcher drops the match, `explain` says why.
    pub fn undone_by(&self, text: &str, level: Option<Level>) -> Option<Undone<'_>> {
        let found = |u: &RuleRegex| u.get().is_some_and(|u| u.is_match(text));
        if let Some(u) = self.unless.as_ref().filter(|u| found(u)) {
            return Some(Undone::Unless(u));
        }
        let (below, u) = self.unless_below.as_ref()?;
        (level.is_none_or(|l| l < *below) && found(u)).then_some(Undone::UnlessBelow(*below, u))
    }

    /// Every severity a match of this rule can reach, ascending: the base,
    /// and each escalation and level floor above it. A match's severity is
    /// the highest of the base and the escalations and floors that held,
    /// so it is always one of these. Series are registered and alerts
    /// generated for exactly this set.
    pub fn reachable_severities(&self) -> Vec<Severity> {
        let raised: Vec<Severity> = std::iter::once(self.severity)
            .chain(self.escalate.iter().map(|e| e.severity))
            .chain(self.level_severity.iter().map(|&(_, s)| s))
            .filter(|&s| s >= self.severity)
            .collect();
        let highest = raised.iter().copied().max().unwrap_or(self.severity);
        // A ceiling lowers what is above it to itself.
        let mut reachable: Vec<Severity> = raised
            .into_iter()
            .chain(
                self.level_ceiling
                    .iter()
                    .map(|&(_, s)| s)
                    .filter(|&s| s < highest),
            )
            .collect();
        reachable.sort();
        reachable.dedup();
        reachable
    }
}

/// Where a match's event identity is read: the regex's group if it has
/// one and it captured, else the record field (PostgreSQL's backend is
/// the pid in a text line's prefix, and jsonlog's `session_id`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventKey {
    pub capture: Option<usize>,
    /// Read when the capture is absent or did not capture.
    pub field: Option<String>,
}

/// A rule's regex, compiled when first needed. Most rules of a large pack
/// never see a candidate line in a given log, and compiling every regex up
/// front would cost more than scanning a small file. The syntax is checked
/// when the rule is loaded; what can still fail is the compiled size.
/// `check` and `test` compile every regex, `run` the user's at each load
/// (it runs for months: a rule that cannot work is an error at start), and
/// `scan` compiles each when a line first needs it: one that fails then is
/// reported once and matches nothing.
#[derive(Debug, Clone)]
pub struct RuleRegex {
    /// The rule's name, for the report of a regex that does not compile.
    rule: String,
    pattern: String,
    compiled: std::sync::OnceLock<Option<Regex>>,
}

impl RuleRegex {
    pub(crate) fn new(rule: &str, pattern: &str) -> RuleRegex {
        RuleRegex {
            rule: rule.to_string(),
            pattern: pattern.to_string(),
            compiled: std::sync::OnceLock::new(),
        }
    }

    /// Compiles the regex now, reporting why it does not compile.
    pub fn compile(&self) -> Result<&Regex, regex::Error> {
        if let Some(Some(r)) = self.compiled.get() {
            return Ok(r);
        }
        let r = Regex::new(&self.pattern)?;
        Ok(self
            .compiled
            .get_or_init(|| Some(r))
            .as_ref()
            .expect("compiled"))
    }

    /// The compiled regex; `None` (reported once) when it does not
    /// compile.
    pub fn get(&self) -> Option<&Regex> {
        self.compiled
            .get_or_init(|| {
                Regex::new(&self.pattern)
                    .inspect_err(|e| {
                        tracing::error!(rule = %self.rule, error = %e, "the rule's regex does not compile; it matches nothing");
                    })
                    .ok()
            })
            .as_ref()
    }

    pub fn as_str(&self) -> &str {
        &self.pattern
    }
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
    /// The metrics the rules extract, each declared once.
    pub metrics: Vec<MetricDecl>,
    /// Causes inferred from incidents open together.
    pub diagnoses: Vec<diagnosis::Diagnosis>,
    /// Lines at WARN or worse that are not trouble, with the file each
    /// came from: `tailwatch test` checks that no rule raises an alarm on
    /// them, and resemblance learns from them.
    pub routine: Vec<RoutineLine>,
}

/// A line of a rule file's `routine:` list.
#[derive(Debug, Clone)]
pub struct RoutineLine {
    pub line: String,
    pub origin: String,
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
        let mut hirs = Vec::new();
        let mut by_name: HashMap<String, (usize, bool)> = HashMap::new();
        // Diagnoses name rules: compiled once every rule is.
        let mut raw_diagnoses = Vec::new();
        let mut routine = Vec::new();
        let mut resemblance = true;
        for (i, (file, text)) in sources.iter().enumerate() {
            let builtin = i < builtin_count;
            let parsed = match schema::parse_file(file, text) {
                Ok(p) => p,
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            };
            let name_lines = schema::name_lines(text);
            resemblance &= parsed.resemblance != Some(false);
            routine.extend(parsed.routine.into_iter().map(|line| RoutineLine {
                line,
                origin: file.clone(),
            }));
            for raw in parsed.diagnoses {
                let line = name_lines.get(raw.name.as_str()).copied().unwrap_or(0);
                raw_diagnoses.push((file.clone(), line, builtin, raw));
            }
            for raw in parsed.rules {
                let name = raw.name.clone();
                let line = name_lines.get(name.as_str()).copied().unwrap_or(0);
                match compile::compile_rule(file, line, &parsed.categories, raw, builtin) {
                    Ok((rule, mut w, hir)) => {
                        warnings.append(&mut w);
                        match by_name.get(&name) {
                            Some(&(at, was_builtin)) if was_builtin && !builtin => {
                                rules[at] = rule;
                                hirs[at] = hir;
                                by_name.insert(name, (at, false));
                            }
                            Some(_) => errors.push(RuleError::Duplicate {
                                file: file.clone(),
                                line,
                                rule: name,
                            }),
                            None => {
                                by_name.insert(name, (rules.len(), builtin));
                                rules.push(rule);
                                hirs.push(hir);
                            }
                        }
                    }
                    Err(e) => errors.push(e),
                }
            }
        }
        if !resemblance {
            for rule in &mut rules {
                rule.resembles = false;
            }
        }
        let mut resembling: HashMap<&str, &str> = HashMap::new();
        for rule in rules.iter().filter(|r| r.resembles) {
            if let Some(other) = resembling.insert(&rule.category, &rule.name) {
                errors.push(RuleError::Invalid {
                    file: rule.origin.clone(),
                    line: rule.line,
                    rule: rule.name.clone(),
                    message: format!(
                        "`resembles: true`, but rule `{other}` already stands for what resembles `{}`; one rule per category",
                        rule.category
                    ),
                });
            }
        }
        compile::choose_covers(&mut rules, &hirs, &mut warnings);
        drop(hirs);
        let metrics = compile::declare_metrics(&mut rules).unwrap_or_else(|mut e| {
            errors.append(&mut e);
            Vec::new()
        });
        let mut diagnoses: Vec<diagnosis::Diagnosis> = Vec::new();
        for (file, line, builtin, raw) in raw_diagnoses {
            match diagnosis::compile(&file, line, raw, &rules, &metrics) {
                Ok(d) => match diagnoses.iter().position(|o| o.name == d.name) {
                    // A user's diagnosis replaces an embedded one of its name.
                    Some(at)
                        if !builtin
                            && sources[..builtin_count]
                                .iter()
                                .any(|(f, _)| *f == diagnoses[at].origin) =>
                    {
                        diagnoses[at] = d
                    }
                    Some(_) => errors.push(RuleError::Duplicate {
                        file,
                        rule: d.name,
                        line,
                    }),
                    None => diagnoses.push(d),
                },
                Err(e) => errors.push(e),
            }
        }
        (
            RuleSet {
                rules,
                metrics,
                diagnoses,
                routine,
            },
            warnings,
            errors,
        )
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

    /// Compiles every rule's regex (each is compiled on first use
    /// otherwise): what `check` reports.
    pub fn compile_all(&self) -> Result<(), RuleErrors> {
        self.compile_where(|_| true)
    }

    /// Compiles the regexes of the rules that are not the embedded pack's,
    /// whose are compiled by the test suite's `check`.
    pub fn compile_added(&self) -> Result<(), RuleErrors> {
        self.compile_where(|r| !r.embedded)
    }

    fn compile_where(&self, which: impl Fn(&Rule) -> bool) -> Result<(), RuleErrors> {
        let errors: Vec<RuleError> = self
            .rules
            .iter()
            .filter(|r| which(r))
            .filter_map(|r| {
                let regex = r.regex.compile().err().map(|e| ("regex", e));
                let unless = || r.unless.as_ref()?.compile().err().map(|e| ("unless", e));
                let unless_below = || {
                    let (_, u) = r.unless_below.as_ref()?;
                    u.compile().err().map(|e| ("unless_below", e))
                };
                regex
                    .or_else(unless)
                    .or_else(unless_below)
                    .map(|(key, e)| RuleError::Invalid {
                        file: r.origin.clone(),
                        line: r.line,
                        rule: r.name.clone(),
                        message: format!("bad regex in match.{key}: {e}"),
                    })
            })
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(RuleErrors(errors))
        }
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
