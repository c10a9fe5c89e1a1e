//! Agent configuration: the YAML file as written (`RawConfig`), merged with
//! the same keys from flags and `TAILWATCH_*` variables into resolved,
//! validated `RunSettings`. Precedence: flag or environment variable, then
//! the file, then defaults.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::aggregate::{AggregateSettings, Clock};
use crate::framing::DEFAULT_MAX_LINE_BYTES;
use crate::matcher::records::{Grouping, Preset};
use crate::redact::{Redaction, Redactor};
use crate::tail::StartAt;
use std::sync::Arc;

/// `config/tailwatch.yaml` as written, and the keys flags and variables
/// set. Every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    /// Glob patterns of the files to tail; `-` reads standard input.
    #[serde(default)]
    pub paths: Vec<String>,
    /// Where files seen for the first time at start-up begin.
    pub start_at: Option<StartAt>,
    /// Directory of the checkpoint; none means no checkpoints.
    pub checkpoint_dir: Option<PathBuf>,
    pub checkpoint_interval_ms: Option<u64>,
    /// The polling fallback's interval (change notification comes first).
    pub poll_interval_ms: Option<u64>,
    /// How often globs are expanded again when change notification reports
    /// no new or renamed file.
    pub glob_interval_ms: Option<u64>,
    /// A renamed or deleted file is let go after it was read to its end and
    /// stayed idle this long.
    pub rotate_wait_ms: Option<u64>,
    /// Address of the HTTP server (`/healthz`, `/metrics`).
    pub listen: Option<String>,
    /// Rule directories added to the embedded pack.
    #[serde(default)]
    pub patterns: Vec<PathBuf>,
    pub no_default_rules: Option<bool>,
    /// Every match as a JSON line to this file (`-`: stdout).
    pub matches_out: Option<String>,
    pub max_line_bytes: Option<usize>,
    /// After this long, a last line still without its newline is read as a line.
    pub partial_line_flush_ms: Option<u64>,
    /// An incident closes after this long without a match.
    pub incident_quiet_secs: Option<u64>,
    /// Series per extracted metric; label values past it fold into `other`.
    pub max_series_per_metric: Option<usize>,
    /// Multi-line record grouping per path glob (the first that matches);
    /// other paths get `auto`.
    #[serde(default)]
    pub multiline: Vec<MultilineGroup>,
    /// A multi-line record is matched after this long without a next line.
    pub multiline_flush_ms: Option<u64>,
    /// An extracted series (gauge or histogram) not updated for this long
    /// expires.
    pub series_ttl_secs: Option<u64>,
    /// OTLP collector (spans); the `OTEL_EXPORTER_OTLP_*` variables also
    /// turn export on.
    pub otlp_endpoint: Option<String>,
    /// Match spans per rule per second, at most.
    pub otlp_spans_per_rule: Option<u32>,
    /// An open incident's span is sent again this often.
    pub incident_span_interval_secs: Option<u64>,
    /// What is redacted before it leaves the process.
    #[serde(default)]
    pub redact: RawRedact,
    /// Redact the match output too (it keeps the original line otherwise).
    pub redact_matches_out: Option<bool>,
}

/// The `redact:` section.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRedact {
    /// Regexes whose matches are replaced, after the built-in patterns.
    #[serde(default)]
    pub patterns: Vec<String>,
    /// Per output; each defaults to true.
    pub spans: Option<bool>,
    pub reports: Option<bool>,
    pub metrics: Option<bool>,
}

/// One `multiline:` entry of the config file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MultilineGroup {
    /// Glob of the paths it applies to (`-` for stdin).
    pub path: String,
    /// A built-in grouping (default `auto`).
    #[serde(default)]
    pub preset: Preset,
    /// A line matching this regex starts a record; other lines continue it.
    pub start: Option<String>,
    /// A line matching this regex continues the record before it.
    #[serde(rename = "continue")]
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

    fn compile(groups: Vec<MultilineGroup>) -> Result<Groupings, ConfigError> {
        let regex = |r: Option<String>| {
            r.map(|r| {
                regex::bytes::Regex::new(&r).map_err(|e| ConfigError::Multiline {
                    message: format!("`{r}` is not a valid regex: {e}"),
                })
            })
            .transpose()
        };
        groups
            .into_iter()
            .map(|g| {
                let glob = glob::Pattern::new(&g.path).map_err(|e| ConfigError::Glob {
                    pattern: g.path.clone(),
                    message: e.to_string(),
                })?;
                let grouping = Grouping {
                    preset: g.preset,
                    start: regex(g.start)?,
                    continues: regex(g.continues)?,
                };
                Ok((glob, Arc::new(grouping)))
            })
            .collect::<Result<_, _>>()
            .map(Groupings)
    }
}

/// Settings of `tailwatch run`, resolved and validated.
#[derive(Debug, Clone)]
pub struct RunSettings {
    /// Globs of the files to tail, compiled.
    pub file_inputs: Vec<glob::Pattern>,
    /// `-` was among the paths: read standard input.
    pub stdin: bool,
    pub start_at: StartAt,
    pub checkpoint_dir: Option<PathBuf>,
    pub checkpoint_interval: Duration,
    pub poll_interval: Duration,
    pub glob_interval: Duration,
    pub rotate_wait: Duration,
    pub listen: SocketAddr,
    pub patterns: Vec<PathBuf>,
    pub no_default_rules: bool,
    pub matches_out: Option<String>,
    pub max_line_bytes: usize,
    pub partial_line_flush: Duration,
    pub multiline: Groupings,
    pub multiline_flush: Duration,
    pub aggregate: AggregateSettings,
    pub otlp_endpoint: Option<String>,
    pub otlp_spans_per_rule: u32,
    pub incident_span_interval: Duration,
    pub redaction: Redaction,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("config {path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("no inputs: give --path GLOB (or `paths:` in the config file, or TAILWATCH_PATH)")]
    NoInputs,
    #[error("listen address `{0}` is not HOST:PORT (for example 0.0.0.0:9464)")]
    Listen(String),
    #[error("{0} must be greater than 0")]
    Zero(&'static str),
    #[error("multiline: {message}")]
    Multiline { message: String },
    #[error("`{pattern}` is not a valid glob: {message}")]
    Glob { pattern: String, message: String },
    #[error("redact: {0}")]
    Redact(#[from] crate::redact::RedactError),
}

pub const DEFAULT_LISTEN: &str = "0.0.0.0:9464";

impl RunSettings {
    /// Resolves `flags` (keys set by flags or variables) over the config
    /// file at `config`, over the defaults.
    pub fn resolve(config: Option<&Path>, flags: RawConfig) -> Result<RunSettings, ConfigError> {
        let file = match config {
            Some(path) => load(path)?,
            None => RawConfig::default(),
        };
        let paths = if flags.paths.is_empty() {
            file.paths
        } else {
            flags.paths
        };
        if paths.is_empty() {
            return Err(ConfigError::NoInputs);
        }
        let file_inputs = paths
            .iter()
            .filter(|p| *p != "-")
            .map(|p| {
                glob::Pattern::new(p).map_err(|e| ConfigError::Glob {
                    pattern: p.clone(),
                    message: e.to_string(),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let listen_text = flags
            .listen
            .or(file.listen)
            .unwrap_or_else(|| DEFAULT_LISTEN.to_string());
        let listen = listen_text
            .parse()
            .map_err(|_| ConfigError::Listen(listen_text.clone()))?;
        let ms = |flag: Option<u64>, file: Option<u64>, default: u64, name| {
            let v = flag.or(file).unwrap_or(default);
            if v == 0 {
                Err(ConfigError::Zero(name))
            } else {
                Ok(Duration::from_millis(v))
            }
        };
        let secs = |flag: Option<u64>, file: Option<u64>, default: u64, name| {
            ms(
                flag.map(|s| s.saturating_mul(1000)),
                file.map(|s| s.saturating_mul(1000)),
                default * 1000,
                name,
            )
        };
        let max_line_bytes = flags
            .max_line_bytes
            .or(file.max_line_bytes)
            .unwrap_or(DEFAULT_MAX_LINE_BYTES);
        if max_line_bytes == 0 {
            return Err(ConfigError::Zero("max_line_bytes"));
        }
        let max_series = flags
            .max_series_per_metric
            .or(file.max_series_per_metric)
            .unwrap_or(1000);
        if max_series == 0 {
            return Err(ConfigError::Zero("max_series_per_metric"));
        }
        let aggregate = AggregateSettings {
            max_series,
            series_ttl: Some(secs(
                flags.series_ttl_secs,
                file.series_ttl_secs,
                600,
                "series_ttl_secs",
            )?),
            incident_quiet: secs(
                flags.incident_quiet_secs,
                file.incident_quiet_secs,
                300,
                "incident_quiet_secs",
            )?,
            clock: Clock::Wall,
        };
        let mut patterns = file.patterns;
        patterns.extend(flags.patterns);
        Ok(RunSettings {
            stdin: paths.iter().any(|p| p == "-"),
            file_inputs,
            start_at: flags.start_at.or(file.start_at).unwrap_or(StartAt::End),
            checkpoint_dir: flags.checkpoint_dir.or(file.checkpoint_dir),
            checkpoint_interval: ms(
                flags.checkpoint_interval_ms,
                file.checkpoint_interval_ms,
                1000,
                "checkpoint_interval_ms",
            )?,
            poll_interval: ms(
                flags.poll_interval_ms,
                file.poll_interval_ms,
                250,
                "poll_interval_ms",
            )?,
            glob_interval: ms(
                flags.glob_interval_ms,
                file.glob_interval_ms,
                2000,
                "glob_interval_ms",
            )?,
            rotate_wait: ms(
                flags.rotate_wait_ms,
                file.rotate_wait_ms,
                5000,
                "rotate_wait_ms",
            )?,
            listen,
            patterns,
            no_default_rules: flags.no_default_rules.unwrap_or(false)
                || file.no_default_rules.unwrap_or(false),
            matches_out: flags.matches_out.or(file.matches_out),
            otlp_endpoint: flags.otlp_endpoint.or(file.otlp_endpoint),
            otlp_spans_per_rule: match flags.otlp_spans_per_rule.or(file.otlp_spans_per_rule) {
                Some(0) => return Err(ConfigError::Zero("otlp_spans_per_rule")),
                n => n.unwrap_or(100),
            },
            incident_span_interval: match flags
                .incident_span_interval_secs
                .or(file.incident_span_interval_secs)
            {
                Some(0) => return Err(ConfigError::Zero("incident_span_interval_secs")),
                n => Duration::from_secs(n.unwrap_or(60)),
            },
            redaction: Redaction {
                redactor: Some(Arc::new(Redactor::new(&file.redact.patterns)?)),
                spans: file.redact.spans.unwrap_or(true),
                reports: file.redact.reports.unwrap_or(true),
                metrics: file.redact.metrics.unwrap_or(true),
                matches_out: flags
                    .redact_matches_out
                    .or(file.redact_matches_out)
                    .unwrap_or(false),
            },
            max_line_bytes,
            partial_line_flush: ms(
                flags.partial_line_flush_ms,
                file.partial_line_flush_ms,
                5000,
                "partial_line_flush_ms",
            )?,
            multiline: Groupings::compile(
                flags.multiline.into_iter().chain(file.multiline).collect(),
            )?,
            multiline_flush: ms(
                flags.multiline_flush_ms,
                file.multiline_flush_ms,
                1000,
                "multiline_flush_ms",
            )?,
            aggregate,
        })
    }
}

fn load(path: &Path) -> Result<RawConfig, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    serde_yaml_ng::from_str(&text).map_err(|e| ConfigError::Parse {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::RunArgs;
    use clap::Parser;

    fn resolve(extra: &[&str]) -> Result<RunSettings, ConfigError> {
        let mut argv = vec!["run"];
        argv.extend_from_slice(extra);
        let args = RunArgs::parse_from(argv);
        RunSettings::resolve(args.config.as_deref(), args.overrides())
    }

    #[test]
    fn flags_override_the_file_which_overrides_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("c.yaml");
        std::fs::write(
            &cfg,
            "paths: ['/var/log/app/*.log']\nstart_at: beginning\npoll_interval_ms: 100\n",
        )
        .unwrap();
        let s = resolve(&[
            "--config",
            cfg.to_str().unwrap(),
            "--poll-interval-ms",
            "50",
        ])
        .unwrap();
        assert_eq!(s.file_inputs[0].as_str(), "/var/log/app/*.log");
        assert_eq!(s.start_at, StartAt::Beginning);
        assert_eq!(s.poll_interval, Duration::from_millis(50));
        assert_eq!(s.checkpoint_interval, Duration::from_secs(1));
        assert_eq!(s.listen.to_string(), DEFAULT_LISTEN);
    }

    #[test]
    fn unknown_keys_and_missing_inputs_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("c.yaml");
        std::fs::write(&cfg, "path: ['/x']\n").unwrap();
        let err = resolve(&["--config", cfg.to_str().unwrap()]).unwrap_err();
        assert!(err.to_string().contains("unknown field `path`"), "{err}");
        let err = resolve(&[]).unwrap_err();
        assert!(matches!(err, ConfigError::NoInputs));
    }

    #[test]
    fn the_shipped_config_documents_valid_keys_and_their_defaults() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/config/tailwatch.yaml");
        let shipped = resolve(&["--config", path]).unwrap();
        let defaults = resolve(&[
            "--path",
            "/var/log/app/*.log",
            "--checkpoint-dir",
            "/var/lib/tailwatch",
        ])
        .unwrap();
        assert_eq!(format!("{shipped:?}"), format!("{defaults:?}"));
    }

    #[test]
    fn multiline_groups_come_from_the_file_and_flags_first_match_wins() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("c.yaml");
        std::fs::write(
            &cfg,
            "paths: ['/x/*.log']\nmultiline:\n  - path: /x/pg-*.log\n    preset: postgres\n  - path: /x/*.log\n    start: '^\\['\n",
        )
        .unwrap();
        let s = resolve(&[
            "--config",
            cfg.to_str().unwrap(),
            "--multiline",
            "/x/app.log=java",
        ])
        .unwrap();
        let choose = |p: &str| s.multiline.choose(Path::new(p));
        assert_eq!(choose("/x/app.log").preset, Preset::Java);
        assert_eq!(choose("/x/pg-1.log").preset, Preset::Postgres);
        assert!(choose("/x/other.log").start.is_some());
        assert_eq!(choose("/y/z.log").preset, Preset::Auto);
        let bad = dir.path().join("bad.yaml");
        std::fs::write(
            &bad,
            "paths: ['/x']\nmultiline:\n  - path: /x\n    start: '('\n",
        )
        .unwrap();
        let err = resolve(&["--config", bad.to_str().unwrap()]).unwrap_err();
        assert!(err.to_string().contains("is not a valid regex"), "{err}");
        let err = RunArgs::try_parse_from(["run", "--multiline", "/x=cobol"]).unwrap_err();
        assert!(err.to_string().contains("not a preset"), "{err}");
    }
}
