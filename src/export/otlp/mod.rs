//! OTLP traces: matches with trace context become spans in their request's
//! trace, incidents become root spans.
//!
//! Spans are built here as plain records on the reading thread
//! ([`span::Spans`], a subscriber of the aggregation) and handed through a
//! bounded queue of our own to one export thread, which turns them into
//! `SpanData` and sends batches with `opentelemetry-otlp`'s exporter. Not
//! the SDK's tracer and batch processor: span ids here are derived from the
//! record (a replay re-sends the same span), the timestamps are the log's,
//! the sampled flag of the parent must not drop the span, and the SDK's
//! processor counts its drops privately and cannot say why. Our own queue
//! gives `tailwatch_spans_dropped_total{reason}` and the retry policy.
//!
//! Reading never waits on export: a full queue drops the span, counted.

mod export;
mod http;
pub mod span;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use metrics::Counter;

use crate::redact::Redactor;
use tokio::sync::mpsc::error::TrySendError;
use tokio_util::sync::CancellationToken;

pub use span::{SpanRecord, Spans};

/// Spans waiting for export, at most; about 1 KiB each.
pub const QUEUE_SPANS: usize = 4096;

/// Spans per export request, at most.
pub const BATCH_SPANS: usize = 512;

/// A batch is sent when it is full or this long after its first span.
pub const BATCH_WAIT: Duration = Duration::from_secs(1);

/// The transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    Grpc,
    HttpProtobuf,
}

impl Protocol {
    pub fn parse(text: &str) -> Option<Protocol> {
        match text.trim() {
            "grpc" => Some(Protocol::Grpc),
            "http/protobuf" => Some(Protocol::HttpProtobuf),
            _ => None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum OtlpError {
    #[error("OTLP protocol `{0}` is not supported: use `grpc` or `http/protobuf`")]
    Protocol(String),
    #[error("cannot start OTLP export: {0}")]
    Start(String),
    #[error("OTLP endpoint `{0}` uses https, and this build sends OTLP over plain http only: send to a collector in the cluster or on the node over http")]
    Https(String),
}

/// Where and how spans go. The exporter itself also reads the standard
/// `OTEL_EXPORTER_OTLP_*` variables for what is not set here (the
/// endpoint, headers and timeout).
#[derive(Debug, Clone)]
pub struct OtlpSettings {
    /// From `--otlp-endpoint`; `None` leaves it to the variables.
    pub endpoint: Option<String>,
    pub protocol: Protocol,
    /// `OTEL_SERVICE_NAME`; otherwise the records' own service field, else
    /// `tailwatch`.
    pub service_name: Option<String>,
    /// `OTEL_RESOURCE_ATTRIBUTES` and the Kubernetes downward-API names.
    pub resource: Vec<(String, String)>,
    /// Match spans per rule per second, at most.
    pub spans_per_rule: u32,
    /// How often an open incident's span is sent again.
    pub incident_span_interval: Duration,
}

impl OtlpSettings {
    /// Export is on when an endpoint is given on the command line or in
    /// `OTEL_EXPORTER_OTLP_ENDPOINT` / `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`.
    pub fn from_env(endpoint: Option<String>) -> Result<Option<OtlpSettings>, OtlpError> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let from_env = var("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
            .or_else(|| var("OTEL_EXPORTER_OTLP_ENDPOINT"));
        let Some(effective) = endpoint.clone().or(from_env) else {
            return Ok(None);
        };
        if effective
            .trim_start()
            .to_ascii_lowercase()
            .starts_with("https:")
        {
            return Err(OtlpError::Https(effective));
        }
        let protocol = match var("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
            .or_else(|| var("OTEL_EXPORTER_OTLP_PROTOCOL"))
        {
            Some(p) => Protocol::parse(&p).ok_or(OtlpError::Protocol(p))?,
            // The specification's default.
            None => Protocol::HttpProtobuf,
        };
        let mut resource: Vec<(String, String)> = var("OTEL_RESOURCE_ATTRIBUTES")
            .map(|attrs| parse_resource_attributes(&attrs))
            .unwrap_or_default();
        // The downward API's usual names; a container's name is not in
        // it, and a bare CONTAINER_NAME is too common to trust.
        let downward: [(&str, &[&str]); 4] = [
            ("k8s.pod.name", &["K8S_POD_NAME", "POD_NAME"]),
            (
                "k8s.namespace.name",
                &["K8S_NAMESPACE_NAME", "POD_NAMESPACE"],
            ),
            ("k8s.node.name", &["K8S_NODE_NAME", "NODE_NAME"]),
            ("k8s.container.name", &["K8S_CONTAINER_NAME"]),
        ];
        for (attribute, names) in downward {
            if resource.iter().any(|(k, _)| k == attribute) {
                continue;
            }
            if let Some(v) = names.iter().find_map(|n| var(n)) {
                resource.push((attribute.to_string(), v));
            }
        }
        let service_name = var("OTEL_SERVICE_NAME").or_else(|| {
            resource
                .iter()
                .find(|(k, _)| k == "service.name")
                .map(|(_, v)| v.clone())
        });
        resource.retain(|(k, _)| k != "service.name");
        Ok(Some(OtlpSettings {
            endpoint: endpoint.map(|e| http_traces_path(e, protocol)),
            protocol,
            service_name,
            resource,
            spans_per_rule: 100,
            incident_span_interval: span::DEFAULT_INCIDENT_SPAN_INTERVAL,
        }))
    }
}

/// An HTTP endpoint given on the command line is a base URL, as in
/// `OTEL_EXPORTER_OTLP_ENDPOINT`: the signal's path is added unless the
/// URL has a path of its own (the exporter sends to a URL set in code as
/// it is).
fn http_traces_path(endpoint: String, protocol: Protocol) -> String {
    if protocol != Protocol::HttpProtobuf {
        return endpoint;
    }
    let after_scheme = endpoint.split_once("://").map_or(&endpoint[..], |(_, r)| r);
    match after_scheme.find('/') {
        Some(i) if after_scheme[i..] != *"/" => endpoint,
        _ => format!("{}/v1/traces", endpoint.trim_end_matches('/')),
    }
}

/// `key1=value1,key2=value2`, values percent-decoded.
fn parse_resource_attributes(text: &str) -> Vec<(String, String)> {
    text.split(',')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), percent_decode(v.trim())))
        .filter(|(k, _)| !k.is_empty())
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Why a span was not exported.
#[derive(Debug, Clone, Copy)]
pub enum DropReason {
    QueueFull,
    RateLimited,
    ExportFailed,
}

impl DropReason {
    pub const ALL: [DropReason; 3] = [
        DropReason::QueueFull,
        DropReason::RateLimited,
        DropReason::ExportFailed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DropReason::QueueFull => "queue_full",
            DropReason::RateLimited => "rate_limited",
            DropReason::ExportFailed => "export_failed",
        }
    }
}

/// `tailwatch_spans_exported_total` and `tailwatch_spans_dropped_total`.
#[derive(Clone)]
pub struct SpanCounters {
    pub exported: Counter,
    /// By [`DropReason`], in the order of `DropReason::ALL`.
    pub dropped: [Counter; 3],
    /// The values behind the counters, when they are not in a registry.
    cells: Option<[Arc<AtomicU64>; 4]>,
}

impl SpanCounters {
    pub fn dropped(&self, reason: DropReason, n: u64) {
        self.dropped[reason as usize].increment(n);
    }

    /// Counters in a registry (the agent's `/metrics`).
    pub fn registered(exported: Counter, dropped: [Counter; 3]) -> SpanCounters {
        SpanCounters {
            exported,
            dropped,
            cells: None,
        }
    }

    /// Counters outside any registry, read with [`SpanCounters::summary`]
    /// (`scan` has no `/metrics`).
    pub fn counting() -> SpanCounters {
        let cells: [Arc<AtomicU64>; 4] = Default::default();
        SpanCounters {
            exported: Counter::from_arc(cells[0].clone()),
            dropped: [1, 2, 3].map(|i| Counter::from_arc(cells[i].clone())),
            cells: Some(cells),
        }
    }

    /// What was exported and dropped, in words (counters made by
    /// [`SpanCounters::counting`]).
    pub fn summary(&self) -> String {
        let Some(cells) = &self.cells else {
            return String::new();
        };
        let read = |i: usize| cells[i].load(Ordering::Relaxed);
        let mut text = format!("{} spans exported", read(0));
        for (i, reason) in DropReason::ALL.iter().enumerate() {
            if read(i + 1) > 0 {
                text.push_str(&format!(", {} dropped ({})", read(i + 1), reason.as_str()));
            }
        }
        text
    }
}

/// The sending end of the export queue, shared by the span builders.
#[derive(Clone)]
pub struct SpanQueue {
    sender: tokio::sync::mpsc::Sender<SpanRecord>,
    pub counters: SpanCounters,
}

impl SpanQueue {
    pub fn new(sender: tokio::sync::mpsc::Sender<SpanRecord>, counters: SpanCounters) -> SpanQueue {
        SpanQueue { sender, counters }
    }

    /// Queues a span; a full queue drops it, counted. Never waits.
    pub fn send(&self, span: SpanRecord) {
        match self.sender.try_send(span) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => self.counters.dropped(DropReason::QueueFull, 1),
            // The export thread is gone (shutting down): nothing to count.
            Err(TrySendError::Closed(_)) => {}
        }
    }
}

/// The running export: its queue and its thread.
pub struct Otlp {
    queue: tokio::sync::mpsc::Sender<SpanRecord>,
    closing: CancellationToken,
    abandon: CancellationToken,
    /// Disconnected when the export thread ends.
    ended: mpsc::Receiver<()>,
    thread: JoinHandle<()>,
    pub counters: SpanCounters,
    pub settings: OtlpSettings,
}

impl Otlp {
    /// Starts the export thread; the exporter is built there, so a bad
    /// endpoint is reported here.
    pub fn start(settings: OtlpSettings, counters: SpanCounters) -> Result<Otlp, OtlpError> {
        let (tx, rx) = tokio::sync::mpsc::channel(QUEUE_SPANS);
        let closing = CancellationToken::new();
        let abandon = CancellationToken::new();
        let (ready_tx, ready_rx) = mpsc::channel();
        let (ended_tx, ended) = mpsc::channel::<()>();
        let thread = {
            let settings = settings.clone();
            let counters = counters.clone();
            let stop = export::Stop {
                closing: closing.clone(),
                abandon: abandon.clone(),
            };
            std::thread::Builder::new()
                .name("otlp-export".into())
                .spawn(move || {
                    export::run(settings, rx, counters, stop, ready_tx);
                    drop(ended_tx);
                })
                .map_err(|e| OtlpError::Start(e.to_string()))?
        };
        match ready_rx.recv() {
            Ok(Ok(())) => {}
            Ok(Err(message)) => return Err(OtlpError::Start(message)),
            Err(_) => return Err(OtlpError::Start("the export thread ended".into())),
        }
        Ok(Otlp {
            queue: tx,
            closing,
            abandon,
            ended,
            thread,
            counters,
            settings,
        })
    }

    /// A sender into the queue, for the span builders.
    pub fn queue(&self) -> SpanQueue {
        SpanQueue::new(self.queue.clone(), self.counters.clone())
    }

    /// The aggregation subscriber that turns `rules`' matches and
    /// incidents into spans for this export, redacted by `redactor`.
    pub fn spans(&self, rules: &crate::rules::RuleSet, redactor: Option<Arc<Redactor>>) -> Spans {
        Spans::new(
            rules,
            self.queue(),
            self.settings.spans_per_rule,
            self.settings.incident_span_interval,
            redactor,
        )
    }

    /// Sends what is queued, taking at most `within`: returns as soon as
    /// the queue is empty and acknowledged (at once when it is idle).
    /// What is still unsent then is given up, the request in flight cut
    /// short, and counted as `export_failed`. Senders still held elsewhere
    /// do not hold it up: nothing they send now is waited for.
    pub fn shutdown(self, within: Duration) {
        self.closing.cancel();
        if self.ended.recv_timeout(within).is_err() {
            self.abandon.cancel();
            // The request in flight is dropped at its next poll.
            let _ = self.ended.recv_timeout(Duration::from_secs(1));
        }
        if self.thread.is_finished() {
            let _ = self.thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_http_base_url_gets_the_traces_path() {
        let http = |e: &str| http_traces_path(e.to_string(), Protocol::HttpProtobuf);
        assert_eq!(http("http://c:4318"), "http://c:4318/v1/traces");
        assert_eq!(http("http://c:4318/"), "http://c:4318/v1/traces");
        assert_eq!(http("http://c:4318/custom"), "http://c:4318/custom");
        assert_eq!(
            http_traces_path("http://c:4317".into(), Protocol::Grpc),
            "http://c:4317"
        );
    }

    #[test]
    fn an_https_collector_is_refused_with_a_clear_error() {
        let err = OtlpSettings::from_env(Some("https://collector:4318".into())).unwrap_err();
        assert!(err.to_string().contains("plain http only"), "{err}");
        assert!(OtlpSettings::from_env(Some("http://collector:4318".into()))
            .unwrap()
            .is_some());
    }

    #[test]
    fn resource_attributes_are_pairs_with_decoded_values() {
        assert_eq!(
            parse_resource_attributes("deployment.environment=prod, team=pay%20ments,bad"),
            vec![
                ("deployment.environment".to_string(), "prod".to_string()),
                ("team".to_string(), "pay ments".to_string()),
            ]
        );
    }
}
