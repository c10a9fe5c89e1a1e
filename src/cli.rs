//! Command-line flags. No I/O here.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::config::{MultilineGroup, RawConfig};
use crate::framing::DEFAULT_MAX_LINE_BYTES;
use crate::rules::Severity;
use crate::tail::StartAt;

#[derive(Debug, Parser)]
#[command(
    name = "tailwatch",
    version,
    about = "Recognises known production trouble in JSON logs"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// Where rules come from: the embedded pack plus the user's directories.
#[derive(Debug, clap::Args)]
pub struct RuleArgs {
    /// A directory (or file) of rule YAML files; adds rules and replaces
    /// embedded rules of the same name. Repeatable.
    #[arg(long = "patterns", value_name = "DIR")]
    pub patterns: Vec<PathBuf>,
    /// Leave the embedded rule pack out.
    #[arg(long)]
    pub no_default_rules: bool,
}

#[derive(Debug, Subcommand)]
// Parsed once at start-up: the size of the largest variant costs nothing.
#[allow(clippy::large_enum_variant)]
pub enum Command {
    /// The sidecar: tail files (or stdin), match, serve /healthz and /metrics.
    Run(RunArgs),
    /// Read files or stdin to the end and report what matched.
    Scan(ScanArgs),
    /// Validate rule files (the embedded pack plus DIRs).
    Check {
        /// Rule directories or files to check with the embedded pack.
        dirs: Vec<PathBuf>,
        #[arg(long)]
        no_default_rules: bool,
        /// Also list each rule's prefilter literals.
        #[arg(long, short)]
        verbose: bool,
    },
    /// Run every rule's examples (must match / must not match).
    Test {
        /// Rule directories or files to test with the embedded pack.
        dirs: Vec<PathBuf>,
        #[arg(long)]
        no_default_rules: bool,
    },
    /// Generate Prometheus alert rules and their promtool tests from the rules.
    Alerts {
        /// Write tailwatch.rules.yml and tailwatch.rules.test.yml into DIR
        /// (without it, the rules are printed to stdout).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Base URL of runbook links for rules without their own runbook_url.
        #[arg(long, value_name = "URL", default_value = crate::alerts::DEFAULT_RUNBOOK_BASE)]
        runbook_base: String,
        /// Label matchers put into every expression, to watch the agents
        /// of one scrape setup or namespace: 'namespace="payments"',
        /// 'job=~".*/tailwatch",cluster="eu-1"'. None by default: the
        /// alerts watch every tailwatch Prometheus scrapes.
        #[arg(long, value_name = "MATCHERS", default_value = "", value_parser = parse_selector)]
        selector: crate::alerts::Selector,
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Show how a line is decoded and which rules match it, and why.
    Explain {
        /// The log line, as the application or runtime wrote it.
        line: String,
        #[command(flatten)]
        rules: RuleArgs,
    },
}

#[derive(Debug, clap::Args)]
pub struct ScanArgs {
    /// Files to read (gzip is detected); none or `-` reads stdin.
    pub files: Vec<String>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
    /// Exit with status 1 when a rule of this severity or worse matched.
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity)]
    pub fail_on: Option<Severity>,
    /// Write every match as a JSON line to FILE (`-`: stdout, and the
    /// report goes to stderr).
    #[arg(long, value_name = "FILE")]
    pub matches_out: Option<String>,
    /// Longest line read; the rest of a longer line is skipped and counted.
    #[arg(long, default_value_t = DEFAULT_MAX_LINE_BYTES, value_name = "BYTES")]
    pub max_line_bytes: usize,
    /// The container log envelope; `auto` detects it per source.
    #[arg(long, value_enum, default_value_t = EnvelopeArg::Auto)]
    pub envelope: EnvelopeArg,
    /// Colours in the human report.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Export spans over OTLP, to --otlp-endpoint or where the
    /// OTEL_EXPORTER_OTLP_* variables say.
    #[arg(long)]
    pub otlp: bool,
    /// The OTLP collector (implies --otlp).
    #[arg(long, value_name = "URL")]
    pub otlp_endpoint: Option<String>,
    /// Show secrets in the report as they were read (they are redacted by
    /// default).
    #[arg(long)]
    pub no_redact: bool,
    /// Redact secrets in the match output too.
    #[arg(long)]
    pub redact_matches_out: bool,
    /// Silent until the input ends, even on a stream that stays open.
    #[arg(long)]
    pub no_live: bool,
    /// Follow the FILEs as they grow, through rotation, until Ctrl-C.
    #[arg(long, short = 'f')]
    pub follow: bool,
    /// Only records logged within this long before now (by their own
    /// timestamps): 30s, 10m, 2h, 1d.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub since: Option<std::time::Duration>,
    #[command(flatten)]
    pub rules: RuleArgs,
}

/// Flags of `tailwatch run`. Each one can also come from its `TAILWATCH_*`
/// variable, and overrides the same key in the config file.
#[derive(Debug, Parser)]
pub struct RunArgs {
    /// The YAML config file (see config/tailwatch.yaml for every key).
    #[arg(long, env = "TAILWATCH_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// A glob of files to tail, or `-` for stdin. Repeatable.
    #[arg(
        long,
        env = "TAILWATCH_PATH",
        value_name = "GLOB",
        value_delimiter = ','
    )]
    pub path: Vec<String>,
    /// Where files seen for the first time at start-up begin: beginning or
    /// end [default: end].
    #[arg(long, env = "TAILWATCH_START_AT", value_name = "WHERE", value_parser = parse_start_at)]
    pub start_at: Option<StartAt>,
    /// Directory for the checkpoint (offsets and counters).
    #[arg(long, env = "TAILWATCH_CHECKPOINT_DIR", value_name = "DIR")]
    pub checkpoint_dir: Option<PathBuf>,
    /// HTTP address for /healthz and /metrics [default: 0.0.0.0:9464].
    #[arg(long, env = "TAILWATCH_LISTEN", value_name = "ADDR")]
    pub listen: Option<String>,
    /// Rule directories added to the embedded pack. Repeatable.
    #[arg(
        long = "patterns",
        env = "TAILWATCH_PATTERNS",
        value_name = "DIR",
        value_delimiter = ','
    )]
    pub patterns: Vec<PathBuf>,
    #[arg(long, env = "TAILWATCH_NO_DEFAULT_RULES")]
    pub no_default_rules: bool,
    /// Every match as a JSON line to FILE (`-`: stdout).
    #[arg(long, env = "TAILWATCH_MATCHES_OUT", value_name = "FILE")]
    pub matches_out: Option<String>,
    /// Checkpoint interval [default: 1000].
    #[arg(long, env = "TAILWATCH_CHECKPOINT_INTERVAL_MS", value_name = "MS")]
    pub checkpoint_interval_ms: Option<u64>,
    /// Polling interval, the fallback for missed change events [default: 250].
    #[arg(long, env = "TAILWATCH_POLL_INTERVAL_MS", value_name = "MS")]
    pub poll_interval_ms: Option<u64>,
    /// Globs are expanded again at least this often when change
    /// notification reports no new file [default: 2000].
    #[arg(long, env = "TAILWATCH_GLOB_INTERVAL_MS", value_name = "MS")]
    pub glob_interval_ms: Option<u64>,
    /// A rotated or deleted file is let go after it was read to its end
    /// and stayed idle this long [default: 5000].
    #[arg(long, env = "TAILWATCH_ROTATE_WAIT_MS", value_name = "MS")]
    pub rotate_wait_ms: Option<u64>,
    /// Longest line read [default: 262144].
    #[arg(long, env = "TAILWATCH_MAX_LINE_BYTES", value_name = "BYTES")]
    pub max_line_bytes: Option<usize>,
    /// A last line without newline is read after this long [default: 5000].
    #[arg(long, env = "TAILWATCH_PARTIAL_LINE_FLUSH_MS", value_name = "MS")]
    pub partial_line_flush_ms: Option<u64>,
    /// Multi-line grouping for paths matching GLOB: auto, java, python, go,
    /// postgres, mysql or off (repeatable; others get auto).
    #[arg(long, value_name = "GLOB=PRESET", value_parser = parse_multiline)]
    pub multiline: Vec<MultilineGroup>,
    /// A multi-line record is matched after this long without a next line [default: 1000].
    #[arg(long, env = "TAILWATCH_MULTILINE_FLUSH_MS", value_name = "MS")]
    pub multiline_flush_ms: Option<u64>,
    /// An incident closes after this long without a match [default: 300].
    #[arg(long, env = "TAILWATCH_INCIDENT_QUIET_SECS", value_name = "SECS")]
    pub incident_quiet_secs: Option<u64>,
    /// Series per extracted metric before label values fold into `other` [default: 1000].
    #[arg(long, env = "TAILWATCH_MAX_SERIES_PER_METRIC", value_name = "N")]
    pub max_series_per_metric: Option<usize>,
    /// An extracted series (gauge or histogram) not updated for this long expires [default: 600].
    #[arg(long, env = "TAILWATCH_SERIES_TTL_SECS", value_name = "SECS")]
    pub series_ttl_secs: Option<u64>,
    /// Export spans to this OTLP collector (an HTTP base URL such as
    /// http://otel-collector:4318, or with OTEL_EXPORTER_OTLP_PROTOCOL=grpc
    /// http://otel-collector:4317). The OTEL_EXPORTER_OTLP_* variables
    /// also turn export on.
    #[arg(long, env = "TAILWATCH_OTLP_ENDPOINT", value_name = "URL")]
    pub otlp_endpoint: Option<String>,
    /// Match spans per rule per second, at most [default: 100].
    #[arg(long, env = "TAILWATCH_OTLP_SPANS_PER_RULE", value_name = "N")]
    pub otlp_spans_per_rule: Option<u32>,
    /// Redact secrets in the match output too (it keeps the original line
    /// by default).
    #[arg(long, env = "TAILWATCH_REDACT_MATCHES_OUT")]
    pub redact_matches_out: bool,
}

impl RunArgs {
    /// The config keys these flags (and variables) set.
    pub fn overrides(&self) -> RawConfig {
        RawConfig {
            paths: self.path.clone(),
            start_at: self.start_at,
            checkpoint_dir: self.checkpoint_dir.clone(),
            checkpoint_interval_ms: self.checkpoint_interval_ms,
            poll_interval_ms: self.poll_interval_ms,
            glob_interval_ms: self.glob_interval_ms,
            rotate_wait_ms: self.rotate_wait_ms,
            listen: self.listen.clone(),
            patterns: self.patterns.clone(),
            no_default_rules: self.no_default_rules.then_some(true),
            matches_out: self.matches_out.clone(),
            max_line_bytes: self.max_line_bytes,
            partial_line_flush_ms: self.partial_line_flush_ms,
            multiline_flush_ms: self.multiline_flush_ms,
            multiline: self.multiline.clone(),
            incident_quiet_secs: self.incident_quiet_secs,
            max_series_per_metric: self.max_series_per_metric,
            series_ttl_secs: self.series_ttl_secs,
            otlp_endpoint: self.otlp_endpoint.clone(),
            otlp_spans_per_rule: self.otlp_spans_per_rule,
            incident_span_interval_secs: None,
            redact: Default::default(),
            redact_matches_out: self.redact_matches_out.then_some(true),
        }
    }
}

fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    humantime::parse_duration(s).map_err(|e| format!("{e} (write 30s, 10m, 2h or 1d)"))
}

fn parse_selector(s: &str) -> Result<crate::alerts::Selector, String> {
    s.parse()
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    s.parse()
}

fn parse_start_at(s: &str) -> Result<StartAt, String> {
    s.parse()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EnvelopeArg {
    Auto,
    Raw,
    Cri,
    Docker,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

fn parse_multiline(arg: &str) -> Result<MultilineGroup, String> {
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
