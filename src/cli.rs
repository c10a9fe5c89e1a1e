//! Command-line flags. No I/O here.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

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
pub enum Command {
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
    #[command(flatten)]
    pub rules: RuleArgs,
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
