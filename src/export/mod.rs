//! Exporters: where aggregation events and the agent's own numbers leave
//! the process: Prometheus metrics and OTLP traces; each exporter subscribes to the
//! aggregation instead of being called from the read loop.

pub mod otlp;
pub mod process;
pub mod prometheus;
