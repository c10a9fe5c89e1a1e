//! `tailwatch check --config FILE`: a config and the rules it names,
//! validated without running. Every problem found is reported, not only
//! the first: unknown keys and type errors with their key's path, line
//! and column; bad values; globs whose directory cannot be listed; rule
//! files that do not load and regexes that do not compile; and settings
//! that conflict.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{given, ConfigError, RawConfig, RunSettings, Values};
use crate::error::RuleError;
use crate::rules::RuleSet;

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The file it is in: the config, or a rule file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// The setting it is about (`redact.spans`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    pub message: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{file}")?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
                if let Some(column) = self.column {
                    write!(f, ":{column}")?;
                }
            }
            write!(f, ": ")?;
        }
        if let Some(key) = &self.key {
            write!(f, "{key}: ")?;
        }
        write!(f, "{}", self.message)
    }
}

/// What `check --config` found.
#[derive(Debug, Default, Serialize)]
pub struct CheckReport {
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<PathBuf>,
    /// Rules loaded, when they loaded.
    pub rules: usize,
    pub errors: Vec<Finding>,
    pub warnings: Vec<Finding>,
}

impl CheckReport {
    fn error(&mut self, finding: Finding) {
        self.errors.push(finding);
    }

    fn warn(&mut self, key: &str, message: String) {
        self.warnings.push(Finding {
            file: None,
            line: None,
            column: None,
            key: Some(key.to_string()),
            message,
        });
    }

    fn config_error(&mut self, config: Option<&Path>, e: &ConfigError) {
        let finding = match e {
            ConfigError::Parse {
                path,
                line,
                column,
                key,
                message,
            } => Finding {
                file: Some(path.display().to_string()),
                line: *line,
                column: *column,
                key: key.clone(),
                message: message.clone(),
            },
            ConfigError::Zero { key } => Finding {
                file: config.map(|c| c.display().to_string()),
                line: None,
                column: None,
                key: Some(key.to_string()),
                message: "must be greater than 0".into(),
            },
            ConfigError::Invalid { key, message } => Finding {
                file: config.map(|c| c.display().to_string()),
                line: None,
                column: None,
                key: Some(key.to_string()),
                message: message.clone(),
            },
            other => Finding {
                file: None,
                line: None,
                column: None,
                key: other.key().map(str::to_string),
                message: other.to_string(),
            },
        };
        self.error(finding);
    }
}

/// Checks the config at `config` (if any) with `flags` and the variables
/// in `vars` over it, as `run` would take them.
pub fn check(
    config: Option<&Path>,
    flags: RawConfig,
    vars: impl Iterator<Item = (String, String)>,
) -> CheckReport {
    let mut report = CheckReport {
        config: config.map(Path::to_path_buf),
        ..CheckReport::default()
    };
    let values = match given(config, flags, vars) {
        Ok(raw) => raw.values(),
        Err(e) => {
            report.config_error(config, &e);
            return report;
        }
    };
    if let Err(e) = RunSettings::build(values.clone()) {
        report.config_error(config, &e);
    }
    rules(&values, &mut report);
    inputs(&values, &mut report);
    conflicts(&values, config, &mut report);
    report.ok = report.errors.is_empty();
    report
}

/// The rule files the config names load, and their regexes compile.
fn rules(values: &Values, report: &mut CheckReport) {
    let loaded = RuleSet::load(!values.no_default_rules, &values.patterns)
        .and_then(|(set, warnings)| set.compile_all().map(|()| (set, warnings)));
    match loaded {
        Ok((set, warnings)) => {
            report.rules = set.rules.len();
            for w in warnings {
                report.warn("patterns", w.to_string());
            }
            if set.rules.is_empty() {
                report.error(Finding {
                    file: None,
                    line: None,
                    column: None,
                    key: Some("patterns".into()),
                    message: "no rules: no_default_rules is true and no rule file was given".into(),
                });
            }
        }
        Err(errors) => {
            for e in errors.0 {
                let (file, line) = match &e {
                    RuleError::Yaml { file, .. } => (Some(file.clone()), None),
                    RuleError::Invalid { file, line, .. }
                    | RuleError::InvalidDiagnosis { file, line, .. }
                    | RuleError::Duplicate { file, line, .. } => (Some(file.clone()), Some(*line)),
                    RuleError::Io { path, .. } | RuleError::NoRuleFiles { path } => {
                        (Some(path.display().to_string()), None)
                    }
                };
                let message = e.to_string();
                // The file (and line) lead the message already.
                let message = file
                    .as_deref()
                    .and_then(|f| message.strip_prefix(f))
                    .map(|rest| {
                        rest.trim_start_matches(|c: char| c == ':' || c.is_ascii_digit())
                            .trim_start()
                            .to_string()
                    })
                    .unwrap_or(message);
                report.error(Finding {
                    file,
                    line,
                    column: None,
                    key: None,
                    message,
                });
            }
        }
    }
}

/// The directory a glob starts from: its components up to the first with
/// a wildcard.
fn fixed_dir(pattern: &str) -> PathBuf {
    let mut dir = PathBuf::new();
    let components: Vec<_> = Path::new(pattern).components().collect();
    for (i, c) in components.iter().enumerate() {
        let text = c.as_os_str().to_string_lossy();
        if text.contains(['*', '?', '[']) || i + 1 == components.len() {
            break;
        }
        dir.push(c);
    }
    dir
}

/// Each glob's directory can be listed (one that does not exist yet is
/// only a warning: a pod's log directory may appear later).
fn inputs(values: &Values, report: &mut CheckReport) {
    for pattern in values.paths.iter().flatten().filter(|p| *p != "-") {
        let dir = fixed_dir(pattern);
        let shown = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir.as_path()
        };
        match std::fs::read_dir(shown) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => report.warn(
                "paths",
                format!(
                    "{} does not exist (yet): `{pattern}` matches nothing until it does",
                    shown.display()
                ),
            ),
            Err(e) => report.error(Finding {
                file: None,
                line: None,
                column: None,
                key: Some("paths".into()),
                message: format!(
                    "cannot list {} for `{pattern}`: {e}; the agent would see no file there",
                    shown.display()
                ),
            }),
        }
    }
}

/// Settings that work against each other.
fn conflicts(values: &Values, config: Option<&Path>, report: &mut CheckReport) {
    let globs: Vec<glob::Pattern> = values
        .paths
        .iter()
        .flatten()
        .filter_map(|p| glob::Pattern::new(p).ok())
        .collect();
    let tailed = |path: &Path| globs.iter().find(|g| g.matches_path(path));
    let mut conflict = |key: &str, message: String| {
        report.error(Finding {
            file: None,
            line: None,
            column: None,
            key: Some(key.into()),
            message,
        })
    };
    if let Some(out) = values.matches_out.as_deref().filter(|o| *o != "-") {
        if let Some(g) = tailed(Path::new(out)) {
            conflict(
                "matches_out",
                format!("{out} is matched by `{g}` in paths: the agent would read its own match output and count every match again"),
            );
        }
    }
    if let Some(dir) = &values.checkpoint_dir {
        let file = crate::checkpoint::CheckpointStore::file_in(dir);
        if let Some(g) = tailed(&file) {
            conflict(
                "checkpoint_dir",
                format!(
                    "the checkpoint {} is matched by `{g}` in paths",
                    file.display()
                ),
            );
        }
    }
    if values.watch_config && config.is_none() && values.patterns.is_empty() {
        report.warn(
            "watch_config",
            "there is no config file or rule file to watch".into(),
        );
    }
    if values.enable_lifecycle
        && values
            .listen
            .parse::<std::net::SocketAddr>()
            .is_ok_and(|a| !a.ip().is_loopback())
    {
        report.warn(
            "enable_lifecycle",
            format!(
                "anyone who can reach {} can make the agent reload its config",
                values.listen
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_globs_directory_is_where_its_wildcards_begin() {
        assert_eq!(fixed_dir("/var/log/app/*.log"), Path::new("/var/log/app"));
        assert_eq!(
            fixed_dir("/var/log/pods/*/*/*.log"),
            Path::new("/var/log/pods")
        );
        assert_eq!(fixed_dir("/var/log/app.log"), Path::new("/var/log"));
        assert_eq!(fixed_dir("*.log"), Path::new(""));
    }
}
