//! tailwatch reads log lines, recognises known production trouble in them
//! with a rule pack, and reports it: as a one-shot report (`scan`), or as a
//! sidecar serving Prometheus metrics (`run`).
//!
//! # Layout
//!
//! The modules follow the data flow. Both paths share one framer, one
//! scanner and one aggregation; they differ in their sources and in where
//! the aggregation's results go.
//!
//! ```text
//!  scan:  input ──┐                                 ┌─▶ report (JSON, human)
//!  (files, gzip,  │                                 │
//!   stdin)        ├─▶ framing ─▶ matcher ─▶ sink ─┬─▶ aggregate ──events──┬─▶ export::prometheus (/metrics)
//!                 │   (lines,    (prefilter,  │    │  (counts,    (match,  ├─▶ export::otlp (spans)
//!  run:   tail ───┤    cap,      decode,      │    │   windows,    incident ├─▶ live (scan's view)
//!  (globs,        │    offsets)  confirm)     │    │   incidents,  opened,  │
//!   rotation,     │                           │    │   series,     closed)  │
//!   checkpoint) ──┘                           │    │   pods)              │
//!  input::stdin ──┘                           │    └─▶ report (/report)
//!                                             └──────▶ output (match lines)
//! ```
//!
//! - Sources: [`input`] opens files (gzip detected) and stdin; [`tail`]
//!   follows files through rotation and says where each was read to.
//! - [`framing`]: one framer for every source: lines, the line cap, CRLF,
//!   offsets, partial lines.
//! - [`matcher`]: the hot loop (no I/O): the literal prefilter over each
//!   block, decoding ([`decode`]) and regex confirmation of candidates,
//!   against the compiled [`rules`]; [`sieve`]: the many-literal filter
//!   the prefilter searches with, a module that stands alone.
//! - [`sink`]: the push interface matches leave the matcher through.
//! - [`aggregate`]: the one state matches are counted into; it tells its
//!   subscribers each match, incident change and series change as events.
//! - [`export`]: the Prometheus exposition and the OTLP spans, both
//!   subscribers of the aggregation, plus the agent's own numbers
//!   ([`metric_names`] lists them); [`live`]: `scan`'s view of a stream,
//!   another subscriber; [`redact`]: what is hidden before text leaves the
//!   process.
//! - [`report`]: the report as JSON and for terminals; [`output`]: every
//!   match as a JSON line; [`pod`]: the pod a file under a kubelet pod log
//!   directory comes from, for their labels.
//! - [`scan`]: `tailwatch scan`, one-shot; [`agent`]: `tailwatch run` — the
//!   pipeline's one owner on the reading thread, signals, reloads and a
//!   bounded shutdown; [`checkpoint`]: offsets and aggregation state in one
//!   atomic write; [`server`]: `/healthz`, `/readyz`, `/metrics`,
//!   `/report`, `/-/reload`.
//! - [`cli`], [`config`]: flags, and every setting declared once with its
//!   config key, `TAILWATCH_*` variable and default; [`telemetry`]: the
//!   agent's own logs; [`error`]: errors shared by several modules.
//! - [`explain`], [`rule_tests`], [`alerts`]: the `explain`, `test` and
//!   `alerts` commands.

#![forbid(unsafe_code)]

pub mod agent;
pub mod aggregate;
pub mod alerts;
pub mod checkpoint;
pub mod cli;
pub mod config;
pub mod decode;
pub mod error;
pub mod explain;
pub mod export;
pub mod framing;
pub mod input;
pub mod live;
pub mod matcher;
pub mod metric_names;
pub mod mine;
pub mod output;
pub mod pod;
pub mod redact;
pub mod report;
pub mod rule_tests;
pub mod rules;
pub mod scan;
pub mod server;
pub mod sieve;
pub mod sink;
pub mod tail;
pub mod telemetry;
