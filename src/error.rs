//! Typed errors of the library shared by several modules; `main.rs` adds
//! context and prints them.

use std::path::PathBuf;

/// A problem in a rule file. Each message names the file (and line where the
/// YAML parser knows it) and says what to change.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    #[error("{file}: {message}")]
    Yaml { file: String, message: String },
    #[error("{file}:{line}: rule `{rule}`: {message}")]
    Invalid {
        file: String,
        /// The line of the rule's `name:`.
        line: usize,
        rule: String,
        message: String,
    },
    #[error("{file}:{line}: diagnosis `{diagnosis}`: {message}")]
    InvalidDiagnosis {
        file: String,
        /// The line of the diagnosis's `name:`.
        line: usize,
        diagnosis: String,
        message: String,
    },
    #[error(
        "{file}: rule `{rule}` is defined twice in this file (line {line}); names must be unique"
    )]
    Duplicate {
        file: String,
        rule: String,
        line: usize,
    },
    #[error("cannot read rule file {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: no rule files (*.yaml, *.yml) found here")]
    NoRuleFiles { path: PathBuf },
}

/// Several rule errors found in one pass, so `check` reports all of them.
#[derive(Debug, thiserror::Error)]
#[error("{}", render_all(.0))]
pub struct RuleErrors(pub Vec<RuleError>);

fn render_all(errors: &[RuleError]) -> String {
    errors
        .iter()
        .map(|e| format!("error: {e}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A source that cannot be opened or read.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("cannot open {path}: {source}")]
    Open {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("error reading {name}: {source}")]
    Read {
        name: String,
        #[source]
        source: std::io::Error,
    },
}
