//! Every setting of `tailwatch run`, declared once: its key (the field's
//! name), type, default, flag, whether it can change while the agent runs,
//! and its doc. The config file's parser, the flags (`clap` reads the same
//! struct), the `TAILWATCH_*` variables ([`super::env`]), the resolved
//! values and the reload check all come from this one list;
//! `config/tailwatch.yaml` and the README's table are checked against it by
//! tests.
//!
//! Units are in the names (`_ms`, `_secs`, `_bytes`), as in Vector's
//! component configs.

use std::path::PathBuf;

use super::{parse_multiline, parse_start_at, MultilineGroup, RawRedact, DEFAULT_LISTEN};
use crate::aggregate::Clock;
use crate::framing::DEFAULT_MAX_LINE_BYTES;
use crate::tail::StartAt;

/// Whether a setting can change while the agent runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reload {
    /// A reload applies it.
    Live,
    /// Only a restart does; a reload that changes it is refused.
    Restart,
}

/// One setting, as documentation and the reload check see it.
#[derive(Debug, Clone, Copy)]
pub struct Setting {
    /// The config file's key.
    pub name: &'static str,
    pub reload: Reload,
    /// What it does, in one line.
    pub doc: &'static str,
}

impl Setting {
    /// The environment variable that sets it.
    pub fn variable(&self) -> String {
        format!("TAILWATCH_{}", self.name.to_ascii_uppercase())
    }
}

/// Declares the settings. For each: doc comment, the `clap` argument
/// (`#[arg(skip)]` for none), `name: Type [= default], Reload;`. A setting
/// without a default is optional.
macro_rules! settings {
    ($(
        $(#[doc = $doc:literal])+
        #[arg($($arg:tt)*)]
        $name:ident: $ty:ty $(= $default:expr)?, $reload:ident;
    )+) => {
        /// The settings as a config file, variables or flags give them:
        /// each optional; unknown keys are refused.
        #[derive(Debug, Default, Clone, PartialEq, serde::Deserialize, serde::Serialize, clap::Args)]
        #[serde(deny_unknown_fields)]
        pub struct RawConfig {
            $(
                $(#[doc = $doc])+
                #[serde(default, skip_serializing_if = "Option::is_none")]
                #[arg($($arg)*)]
                pub $name: Option<$ty>,
            )+
        }

        /// Every setting's value: its default, overridden by the config
        /// file, then the variables, then the flags.
        #[derive(Debug, Clone, PartialEq)]
        pub struct Values {
            $(
                $(#[doc = $doc])+
                pub $name: settings!(@value_type $ty $(, $default)?),
            )+
        }

        impl RawConfig {
            /// Every setting that has a default, at it.
            pub fn defaults() -> RawConfig {
                RawConfig { $( $name: settings!(@default $($default)?), )+ }
            }

            /// `self`, with each setting `over` gives taken from it.
            pub fn overridden_by(self, over: RawConfig) -> RawConfig {
                RawConfig { $( $name: over.$name.or(self.$name), )+ }
            }

            /// Setting `name`'s value as the reference config writes it
            /// (flow-style YAML on one line), when it has one.
            pub fn default_text(&self, name: &str) -> Option<String> {
                let value = match name {
                    $( stringify!($name) => serde_yaml_ng::to_value(&self.$name).ok()?, )+
                    _ => return None,
                };
                (!value.is_null()).then(|| super::yaml_inline(&value))
            }

            /// The value of every setting, defaults filled in.
            pub fn values(self) -> Values {
                Values { $( $name: settings!(@value self.$name $(, $default)?), )+ }
            }
        }

        impl Values {
            /// The settings that only a restart can change and that differ
            /// between `self` and `running`.
            pub fn restart_only_changes(&self, running: &Values) -> Vec<&'static str> {
                let mut changed = Vec::new();
                $(
                    if Reload::$reload == Reload::Restart && self.$name != running.$name {
                        changed.push(stringify!($name));
                    }
                )+
                changed
            }
        }

        /// Every setting, in the order of the reference config.
        pub const SETTINGS: &[Setting] = &[
            $( Setting { name: stringify!($name), reload: Reload::$reload, doc: concat!($($doc),+) }, )+
        ];
    };
    (@value_type $ty:ty) => { Option<$ty> };
    (@value_type $ty:ty, $default:expr) => { $ty };
    (@default) => { None };
    (@default $default:expr) => { Some($default) };
    (@value $v:expr) => { $v };
    (@value $v:expr, $default:expr) => { $v.unwrap_or_else(|| $default) };
}

settings! {
    /// Glob patterns of the files to tail (`-`: standard input); the flag is repeatable or comma-separated.
    #[arg(long = "path", value_name = "GLOB", value_delimiter = ',')]
    paths: Vec<String>, Restart;

    /// Where files seen on a first start without a checkpoint begin: `beginning` or `end`.
    #[arg(long, value_name = "WHERE", value_parser = parse_start_at)]
    start_at: StartAt = StartAt::End, Live;

    /// Directory of the checkpoint (offsets, counters, incidents); none means no checkpoints.
    #[arg(long, value_name = "DIR")]
    checkpoint_dir: PathBuf, Restart;

    /// How often the checkpoint is written, besides at shutdown.
    #[arg(long, value_name = "MS")]
    checkpoint_interval_ms: u64 = 1000, Live;

    /// The polling fallback: a file just written is looked at again after this long.
    #[arg(long, value_name = "MS")]
    poll_interval_ms: u64 = 250, Live;

    /// Globs are expanded again this often when change notification reports no new file.
    #[arg(long, value_name = "MS")]
    glob_interval_ms: u64 = 2000, Live;

    /// A rotated or deleted file is let go once read to its end and idle this long.
    #[arg(long, value_name = "MS")]
    rotate_wait_ms: u64 = 5000, Live;

    /// HTTP address of /healthz, /readyz, /metrics, /report and /-/reload.
    #[arg(long, value_name = "ADDR")]
    listen: String = DEFAULT_LISTEN.to_string(), Restart;

    /// Rule directories (or files) added to the embedded pack; the flag is repeatable or comma-separated.
    #[arg(long, value_name = "DIR", value_delimiter = ',')]
    patterns: Vec<PathBuf> = Vec::new(), Live;

    /// Leave the embedded rule pack out.
    #[arg(long, value_name = "BOOL", num_args = 0..=1, default_missing_value = "true")]
    no_default_rules: bool = false, Live;

    /// Every match as a JSON line to this file (`-`: stdout); none by default.
    #[arg(long, value_name = "FILE")]
    matches_out: String, Restart;

    /// Redact secrets in the match output too (it keeps the original line otherwise).
    #[arg(long, value_name = "BOOL", num_args = 0..=1, default_missing_value = "true")]
    redact_matches_out: bool = false, Live;

    /// The longest line read; the rest of a longer line is skipped and counted.
    #[arg(long, value_name = "BYTES")]
    max_line_bytes: usize = DEFAULT_MAX_LINE_BYTES, Restart;

    /// A last line still without its newline after this long is read as a line.
    #[arg(long, value_name = "MS")]
    partial_line_flush_ms: u64 = 5000, Live;

    /// Multi-line grouping per path glob, first match wins (flag: GLOB=PRESET); other paths get `auto`.
    #[arg(long, value_name = "GLOB=PRESET", value_parser = parse_multiline)]
    multiline: Vec<MultilineGroup> = Vec::new(), Live;

    /// A multi-line record is matched after this long without a next line.
    #[arg(long, value_name = "MS")]
    multiline_flush_ms: u64 = 1000, Live;

    /// What time windows and incidents go by: `wall`, or `log` (the matched records' own timestamps, to replay old logs). The series on /metrics expire by the wall clock either way.
    #[arg(long, value_name = "CLOCK", value_enum)]
    clock: Clock = Clock::Wall, Restart;

    /// An incident closes after this long without a match.
    #[arg(long, value_name = "SECS")]
    incident_quiet_secs: u64 = 300, Live;

    /// Series per extracted metric, and (pod, rule) pairs of a node agent; more fold into `other`.
    #[arg(long, value_name = "N")]
    max_series_per_metric: usize = 1000, Live;

    /// An extracted series, or the series of a rule a reload removed, expires after this long without an update.
    #[arg(long, value_name = "SECS")]
    series_ttl_secs: u64 = 600, Restart;

    /// OTLP collector of spans (the OTEL_EXPORTER_OTLP_* variables also turn export on).
    #[arg(long, value_name = "URL")]
    otlp_endpoint: String, Restart;

    /// Match spans per rule per second, at most; more are dropped and counted.
    #[arg(long, value_name = "N")]
    otlp_spans_per_rule: u32 = 100, Live;

    /// An open incident's span is sent again this often.
    #[arg(long, value_name = "SECS")]
    incident_span_interval_secs: u64 = 60, Live;

    /// What is redacted before it leaves the process: `patterns` of your own, and per output `spans`, `reports`, `metrics`.
    #[arg(skip)]
    redact: RawRedact = RawRedact::default(), Live;

    /// Accept POST /-/reload on the listen address (which the whole network can reach).
    #[arg(long, value_name = "BOOL", num_args = 0..=1, default_missing_value = "true")]
    enable_lifecycle: bool = false, Restart;

    /// Reload when the config file or a rule file under `patterns` (as the last reload set it) changes.
    #[arg(long, value_name = "BOOL", num_args = 0..=1, default_missing_value = "true")]
    watch_config: bool = false, Restart;

    /// SIGTERM gives the OTLP queue at most this long to be sent.
    #[arg(long, value_name = "SECS")]
    shutdown_timeout_secs: u64 = 5, Live;

    /// The agent's own log level: error, warn, info, debug or trace, or a `RUST_LOG` filter (default: `RUST_LOG`, else info).
    #[arg(long, value_name = "LEVEL")]
    log_level: String, Restart;
}
