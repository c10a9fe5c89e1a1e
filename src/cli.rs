//! Command-line flags. No I/O here.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::config::RawConfig;
use crate::framing::DEFAULT_MAX_LINE_BYTES;
use crate::rules::Severity;

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
    /// Validate rule files (the embedded pack plus DIRs), or with --config
    /// an agent config and the rules it names, without running.
    Check {
        /// Rule directories or files to check with the embedded pack.
        dirs: Vec<PathBuf>,
        #[arg(long)]
        no_default_rules: bool,
        /// Also list each rule's prefilter literals.
        #[arg(long, short)]
        verbose: bool,
        /// Check this agent config, with the TAILWATCH_* variables over it,
        /// as `run --config FILE` would take it.
        #[arg(long, value_name = "FILE", conflicts_with = "dirs")]
        config: Option<PathBuf>,
        /// With --config: rule directories in place of the config's
        /// `patterns` (repeatable).
        #[arg(long = "patterns", value_name = "DIR", requires = "config")]
        patterns: Vec<PathBuf>,
        /// With --config: findings for people, or as one JSON document.
        #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
        format: OutputFormat,
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
    /// Propose rules for the trouble no rule matched: records logged at
    /// WARN or worse (or without a level, using an error word), clustered
    /// into templates, most frequent first, each with a rule in the pack's
    /// YAML.
    Suggest(SuggestArgs),
    /// Show a running agent's live view (diagnoses, open incidents, rules
    /// and their rates) from its /report, redrawn: `kubectl port-forward
    /// pod/x 9464 & tailwatch top`.
    Top {
        /// The agent's address.
        #[arg(default_value = "http://127.0.0.1:9464")]
        url: String,
        /// How often to redraw.
        #[arg(long, default_value = "2s", value_parser = parse_duration)]
        interval: std::time::Duration,
        /// Print the view once and exit (2 if the agent cannot be reached).
        #[arg(long)]
        once: bool,
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

#[derive(Debug, clap::Args)]
pub struct SuggestArgs {
    /// Files to read (gzip is detected); none or `-` reads stdin.
    pub files: Vec<String>,
    /// `text`: the templates with their rules, for reading; `yaml`: a rule
    /// file that `tailwatch check` and `tailwatch test` accept as it is.
    #[arg(long, value_enum, default_value_t = SuggestFormat::Text)]
    pub format: SuggestFormat,
    /// Write the rule file (`suggested.yaml`) into DIR instead of stdout.
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Only templates seen at least this many times.
    #[arg(long, default_value_t = 2, value_name = "N")]
    pub min_count: u64,
    /// Only templates whose records reached this level: warn or error.
    #[arg(long, value_enum, default_value_t = SuggestLevel::Warn)]
    pub level: SuggestLevel,
    /// Only records logged within this long before now: 30s, 10m, 2h, 1d.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub since: Option<std::time::Duration>,
    /// How many templates at most.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub top: usize,
    /// Longest line read; the rest of a longer line is skipped and counted.
    #[arg(long, default_value_t = DEFAULT_MAX_LINE_BYTES, value_name = "BYTES")]
    pub max_line_bytes: usize,
    /// The container log envelope; `auto` detects it per source.
    #[arg(long, value_enum, default_value_t = EnvelopeArg::Auto)]
    pub envelope: EnvelopeArg,
    #[command(flatten)]
    pub rules: RuleArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SuggestFormat {
    Text,
    Yaml,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SuggestLevel {
    Warn,
    Error,
}

/// Flags of `tailwatch run`: the config file, and a flag for each setting
/// (see `config::settings`), which overrides the file and the setting's
/// `TAILWATCH_*` variable.
#[derive(Debug, Parser)]
pub struct RunArgs {
    /// The YAML config file (config/tailwatch.yaml documents every key).
    #[arg(long, env = "TAILWATCH_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub settings: RawConfig,
}

/// The command line, with each setting's default and variable in the
/// help of its flag (both come from the settings' one declaration).
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    let defaults = crate::config::RawConfig::defaults();
    Cli::command().mut_subcommand("run", |mut run| {
        for setting in crate::config::SETTINGS {
            if run.get_arguments().all(|a| a.get_id() != setting.name) {
                continue;
            }
            let default = defaults.default_text(setting.name);
            run = run.mut_arg(setting.name, |arg| {
                let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
                let default = default
                    .map(|d| format!(" [default: {d}]"))
                    .unwrap_or_default();
                arg.help(format!("{help}{default} [env: {}]", setting.variable()))
            });
        }
        run
    })
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
