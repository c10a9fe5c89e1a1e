//! Behaviour of tailwatch as its users rely on it. One test binary; each
//! module specifies one area.

mod util;

mod bad_input;
mod cli;
mod corpus;
mod deploy;
mod diagnose;
mod exactness;
mod formats;
mod framing;
mod fuzz_corpora;
mod live;
mod metrics_alerts;
mod operate;
mod otlp;
mod prefilter_exactness;
mod rule_files;
mod sidecar;
mod suggest;
mod symptoms;
mod tail_model;
