//! Agent configuration. Every setting is declared once in [`settings`];
//! the config file (`RawConfig` as written), the `TAILWATCH_*` variables
//! ([`env`]) and the flags give values, in that order of precedence from
//! lowest to highest, over the defaults; [`RunSettings::build`] validates
//! them and compiles what the agent runs with. [`check`] reports on a
//! config without running it.

pub mod check;
mod env;
pub mod settings;

pub use settings::{RawConfig, Reload, Setting, Values, SETTINGS};

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::aggregate::AggregateSettings;
use crate::matcher::records::{Grouping, Preset};
use crate::redact::{Redaction, Redactor};
use crate::tail::StartAt;

pub const DEFAULT_LISTEN: &str = "0.0.0.0:9464";

/// The `redact:` section.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawRedact {
    /// Regexes whose matches are replaced, after the built-in patterns.
    #[serde(default)]
    pub patterns: Vec<String>,
    /// Whether span attributes are redacted.
    #[serde(default = "redacted")]
    pub spans: bool,
    /// Whether `/report` and `scan`'s reports are redacted.
    #[serde(default = "redacted")]
    pub reports: bool,
    /// Whether label values on `/metrics` are redacted.
    #[serde(default = "redacted")]
    pub metrics: bool,
}

fn redacted() -> bool {
    true
}

impl Default for RawRedact {
    fn default() -> Self {
        RawRedact {
            patterns: Vec::new(),
            spans: true,
            reports: true,
            metrics: true,
        }
    }
}

/// One `multiline:` entry of the config file.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MultilineGroup {
    /// Glob of the paths it applies to (`-` for stdin).
    pub path: String,
    /// A built-in grouping (default `auto`).
    #[serde(default)]
    pub preset: Preset,
    /// A line matching this regex starts a record; other lines continue it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// A line matching this regex continues the record before it.
    #[serde(rename = "continue", skip_serializing_if = "Option::is_none")]
    pub continues: Option<String>,
}

/// The grouping of each configured path glob, compiled.
#[derive(Debug, Clone, Default)]
pub struct Groupings(Vec<(glob::Pattern, Arc<Grouping>)>);

impl Groupings {
    /// The grouping for `path`: the first entry whose glob matches it, or
    /// `auto`.
    pub fn choose(&self, path: &Path) -> Arc<Grouping> {
        self.0
            .iter()
            .find(|(glob, _)| glob.matches_path(path))
            .map_or_else(|| Arc::new(Grouping::default()), |(_, g)| g.clone())
    }

    fn compile(groups: &[MultilineGroup]) -> Result<Groupings, ConfigError> {
        let regex = |r: &Option<String>| {
            r.as_ref()
                .map(|r| {
                    regex::bytes::Regex::new(r).map_err(|e| ConfigError::Invalid {
                        key: "multiline",
                        message: format!("`{r}` is not a valid regex: {e}"),
                    })
                })
                .transpose()
        };
        groups
            .iter()
            .map(|g| {
                let grouping = Grouping {
                    preset: g.preset,
                    start: regex(&g.start)?,
                    continues: regex(&g.continues)?,
                };
                Ok((glob(&g.path)?, Arc::new(grouping)))
            })
            .collect::<Result<_, _>>()
            .map(Groupings)
    }
}

/// Settings of `tailwatch run`, resolved and validated.
#[derive(Debug, Clone)]
pub struct RunSettings {
    /// Every setting's value, as given (what a reload compares).
    pub values: Values,
    /// Globs of the files to tail, compiled.
    pub file_inputs: Vec<glob::Pattern>,
    /// `-` was among the paths: read standard input.
    pub stdin: bool,
    pub checkpoint_interval: Duration,
    pub poll_interval: Duration,
    pub glob_interval: Duration,
    pub rotate_wait: Duration,
    pub listen: SocketAddr,
    pub partial_line_flush: Duration,
    pub multiline: Groupings,
    pub multiline_flush: Duration,
    pub aggregate: AggregateSettings,
    pub incident_span_interval: Duration,
    pub redaction: Redaction,
    pub shutdown_timeout: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file does not parse, or a key is unknown or of the wrong type.
    #[error("config {}{}: {}{message}", path.display(), at(*line, *column), key.as_deref().map(|k| format!("{k}: ")).unwrap_or_default())]
    Parse {
        path: PathBuf,
        /// Where in the file, when the parser says (1-based).
        line: Option<usize>,
        column: Option<usize>,
        /// The key's path (`redact.spans`), when known.
        key: Option<String>,
        message: String,
    },
    #[error("{variable}: {message}")]
    Variable { variable: String, message: String },
    #[error("no inputs: give --path GLOB (or `paths:` in the config file, or TAILWATCH_PATHS)")]
    NoInputs,
    #[error("{key} must be greater than 0")]
    Zero { key: &'static str },
    #[error("{key}: {message}")]
    Invalid { key: &'static str, message: String },
}

impl ConfigError {
    /// The setting the error is about, when it is one.
    pub fn key(&self) -> Option<&str> {
        match self {
            ConfigError::Parse { key, .. } => key.as_deref(),
            ConfigError::Zero { key } | ConfigError::Invalid { key, .. } => Some(key),
            ConfigError::NoInputs => Some("paths"),
            ConfigError::Read { .. } | ConfigError::Variable { .. } => None,
        }
    }
}

/// `:line:column`, when known.
fn at(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(":{l}:{c}"),
        (Some(l), None) => format!(":{l}"),
        _ => String::new(),
    }
}

fn glob(pattern: &str) -> Result<glob::Pattern, ConfigError> {
    glob::Pattern::new(pattern).map_err(|e| ConfigError::Invalid {
        key: "paths",
        message: format!("`{pattern}` is not a valid glob: {e}"),
    })
}

impl RunSettings {
    /// The settings given by the config file at `config` (if any), the
    /// `TAILWATCH_*` variables and `flags`, over the defaults.
    pub fn resolve(config: Option<&Path>, flags: RawConfig) -> Result<RunSettings, ConfigError> {
        RunSettings::build(given(config, flags, std::env::vars())?.values())
    }

    /// Validates `values` and compiles what the agent runs with.
    pub fn build(values: Values) -> Result<RunSettings, ConfigError> {
        let paths = values
            .paths
            .as_deref()
            .filter(|p| !p.is_empty())
            .ok_or(ConfigError::NoInputs)?;
        let file_inputs = paths
            .iter()
            .filter(|p| *p != "-")
            .map(|p| glob(p))
            .collect::<Result<Vec<_>, _>>()?;
        let listen = values.listen.parse().map_err(|_| ConfigError::Invalid {
            key: "listen",
            message: format!(
                "`{}` is not HOST:PORT (for example 0.0.0.0:9464)",
                values.listen
            ),
        })?;
        let positive = |key: &'static str, v: u64| {
            if v == 0 {
                Err(ConfigError::Zero { key })
            } else {
                Ok(v)
            }
        };
        let ms = |key, v| positive(key, v).map(Duration::from_millis);
        let secs = |key, v| positive(key, v).map(Duration::from_secs);
        positive("max_line_bytes", values.max_line_bytes as u64)?;
        positive("max_series_per_metric", values.max_series_per_metric as u64)?;
        positive("otlp_spans_per_rule", u64::from(values.otlp_spans_per_rule))?;
        let redact = &values.redact;
        Ok(RunSettings {
            stdin: paths.iter().any(|p| p == "-"),
            file_inputs,
            checkpoint_interval: ms("checkpoint_interval_ms", values.checkpoint_interval_ms)?,
            poll_interval: ms("poll_interval_ms", values.poll_interval_ms)?,
            glob_interval: ms("glob_interval_ms", values.glob_interval_ms)?,
            rotate_wait: ms("rotate_wait_ms", values.rotate_wait_ms)?,
            listen,
            partial_line_flush: ms("partial_line_flush_ms", values.partial_line_flush_ms)?,
            multiline: Groupings::compile(&values.multiline)?,
            multiline_flush: ms("multiline_flush_ms", values.multiline_flush_ms)?,
            aggregate: AggregateSettings {
                max_series: values.max_series_per_metric,
                series_ttl: Some(secs("series_ttl_secs", values.series_ttl_secs)?),
                incident_quiet: secs("incident_quiet_secs", values.incident_quiet_secs)?,
                clock: values.clock,
            },
            incident_span_interval: secs(
                "incident_span_interval_secs",
                values.incident_span_interval_secs,
            )?,
            redaction: Redaction {
                redactor: Some(Arc::new(Redactor::new(&redact.patterns).map_err(|e| {
                    ConfigError::Invalid {
                        key: "redact",
                        message: e.to_string(),
                    }
                })?)),
                spans: redact.spans,
                reports: redact.reports,
                metrics: redact.metrics,
                matches_out: values.redact_matches_out,
            },
            shutdown_timeout: secs("shutdown_timeout_secs", values.shutdown_timeout_secs)?,
            values,
        })
    }

    pub fn start_at(&self) -> StartAt {
        self.values.start_at
    }
}

/// The settings the config file at `config`, the variables in `vars` and
/// `flags` give, each over the one before.
pub fn given(
    config: Option<&Path>,
    flags: RawConfig,
    vars: impl Iterator<Item = (String, String)>,
) -> Result<RawConfig, ConfigError> {
    let file = match config {
        Some(path) => load(path)?,
        None => RawConfig::default(),
    };
    Ok(file
        .overridden_by(env::from_vars(vars)?)
        .overridden_by(flags))
}

/// Reads a config file.
pub fn load(path: &Path) -> Result<RawConfig, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse(path, &text)
}

/// Parses a config file's text: an unknown key or a value of the wrong type
/// is reported with its key's path and its line and column.
pub fn parse(path: &Path, text: &str) -> Result<RawConfig, ConfigError> {
    if text.trim().is_empty() {
        return Ok(RawConfig::default());
    }
    serde_path_to_error::deserialize(serde_yaml_ng::Deserializer::from_str(text)).map_err(|e| {
        let key = e.path().to_string();
        let inner = e.into_inner();
        let location = inner.location();
        // The parser's own text ends with where it is; that is said apart.
        let message = inner.to_string();
        let mut message = match message.rfind(" at line ") {
            Some(at) if location.is_some() => message[..at].to_string(),
            _ => message,
        };
        // The parser names the enclosing key too; the key's path is said
        // apart.
        if let Some((prefix, rest)) = message.split_once(": ") {
            if key.starts_with(prefix) && !prefix.contains(' ') {
                message = rest.to_string();
            }
        }
        ConfigError::Parse {
            path: path.to_path_buf(),
            line: location.as_ref().map(|l| l.line()),
            column: location.as_ref().map(|l| l.column()),
            key: (key != ".").then_some(key),
            message,
        }
    })
}

/// A YAML value on one line, in flow style: `250`, `end`, `[]`,
/// `{patterns: []}`.
pub fn yaml_inline(value: &serde_yaml_ng::Value) -> String {
    use serde_yaml_ng::Value;
    match value {
        Value::Sequence(items) => format!(
            "[{}]",
            items.iter().map(yaml_inline).collect::<Vec<_>>().join(", ")
        ),
        Value::Mapping(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{}: {}", yaml_inline(k), yaml_inline(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => serde_yaml_ng::to_string(other)
            .map(|t| t.trim_end().to_string())
            .unwrap_or_default(),
    }
}

pub fn parse_start_at(s: &str) -> Result<StartAt, String> {
    s.parse()
}

pub fn parse_multiline(arg: &str) -> Result<MultilineGroup, String> {
    let (path, preset) = arg
        .rsplit_once('=')
        .ok_or_else(|| format!("`{arg}` is not GLOB=PRESET"))?;
    let preset = serde_yaml_ng::from_str(preset).map_err(|_| {
        format!("`{preset}` is not a preset: use auto, java, python, go, postgres, mysql or off")
    })?;
    Ok(MultilineGroup {
        path: path.to_string(),
        preset,
        start: None,
        continues: None,
    })
}

#[cfg(test)]
mod tests;

/// The README's table of settings, as the declaration says it: key, flag,
/// default, whether a reload changes it, and what it does.
pub fn reference_table() -> String {
    use clap::CommandFactory;
    let command = crate::cli::RunArgs::command();
    let defaults = RawConfig::defaults();
    let mut table = String::from(
        "| key (variable `TAILWATCH_<KEY>`) | flag | default | on reload | what it does |\n|---|---|---|---|---|\n",
    );
    for setting in SETTINGS {
        let flag = command
            .get_arguments()
            .find(|a| a.get_id() == setting.name)
            .and_then(|a| {
                let value = a
                    .get_value_names()
                    .and_then(|v| v.first())
                    .map(|v| format!(" {v}"))
                    .unwrap_or_default();
                Some(format!("`--{}{value}`", a.get_long()?))
            })
            .unwrap_or_else(|| "none".into());
        let default = match defaults.default_text(setting.name) {
            Some(d) => format!("`{d}`"),
            None if setting.name == "paths" => "required".into(),
            None => "none".into(),
        };
        let reload = match setting.reload {
            Reload::Live => "applied",
            Reload::Restart => "restart",
        };
        table.push_str(&format!(
            "| `{}` | {flag} | {default} | {reload} | {} |\n",
            setting.name,
            setting.doc.trim().replace('|', "\\|")
        ));
    }
    table
}
