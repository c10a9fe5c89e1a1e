//! tailwatch reads log lines, recognises known production trouble in them
//! with a rule pack, and reports it.
//!
//! # Layout
//!
//! The modules follow the data flow:
//!
//! ```text
//!  scan ─▶ framing ─▶ matcher ───────────────▶ sink ─▶ aggregate ─▶ report
//!  (open    (blocks    (prefilter, decode      (push    (counts,      (JSON,
//!  sources) of lines)  candidates, confirm)    API)     timelines)    human)
//!                          │                     └──▶ output (match lines)
//!                        decode, rules
//! ```
//!
//! - [`rules`]: the YAML rule format, validation, the embedded pack, and
//!   the literal covers the prefilter is built from.
//! - [`framing`]: reads a source in large blocks and lends whole lines.
//! - [`matcher`]: the hot loop (no I/O): Aho-Corasick prefilter over each
//!   block, decoding and regex confirmation of candidate lines.
//! - [`prefilter`]: anchors and literals that pick out candidate lines.
//! - [`decode`]: envelopes (raw, CRI, Docker) and record formats.
//! - [`sink`]: the push interface matches leave the matcher through.
//! - [`aggregate`]: per-rule counts, times, samples, extracted values.
//! - [`report`]: the scan report as JSON and for terminals.
//! - [`output`]: every match as a JSON line.
//! - [`scan`]: one-shot scanning of files and stdin.
//! - [`explain`], [`rule_tests`]: the `explain` and `test` commands.
//! - [`agent`]: `tailwatch run`, the sidecar loop; [`tail`] follows files
//!   through rotation and checkpoints them; [`metrics`] keeps incidents,
//!   extracted series and counters and renders them; [`server`] serves
//!   `/healthz`, `/readyz`, `/metrics` and `/report`; [`config`] resolves
//!   the config file, flags and `TAILWATCH_*` variables.
//! - [`alerts`]: Prometheus alert rules and promtool tests from the rules.

pub mod agent;
pub mod aggregate;
pub mod alerts;
pub mod cli;
pub mod config;
pub mod decode;
pub mod error;
pub mod explain;
pub mod framing;
pub mod matcher;
pub mod metrics;
pub mod output;
pub mod prefilter;
pub mod report;
pub mod rule_tests;
pub mod rules;
pub mod scan;
pub mod server;
pub mod sink;
pub mod tail;
