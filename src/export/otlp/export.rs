//! The export thread: batches from the queue, `SpanData`, the OTLP
//! exporter, and retries.
//!
//! It runs its own current-thread tokio runtime (tonic needs one), so the
//! agent's HTTP server and the reading thread never wait on a collector.
//! A batch that fails with a transient error (the collector unreachable,
//! UNAVAILABLE, RESOURCE_EXHAUSTED, a timeout, HTTP 429/502/503/504) is
//! tried again with exponential backoff, or after `Retry-After` when the
//! collector says longer; meanwhile the queue fills and the reading thread drops new
//! spans as `queue_full`. A batch that still fails is dropped as
//! `export_failed`.
//!
//! Shutdown is two tokens: `closing` says nothing more is coming, so what
//! is queued goes out at once and the thread ends when the queue is empty
//! (an idle exporter ends at once); `abandon` says time is up, so the
//! request in flight and any wait are cut short and what is left is
//! counted as `export_failed`.

use std::borrow::Cow;
use std::time::{Duration, SystemTime};

use opentelemetry::trace::{
    Link, SpanContext, SpanId, SpanKind, Status, TraceFlags, TraceId, TraceState,
};
use opentelemetry::{InstrumentationScope, KeyValue};
use opentelemetry_otlp::{WithExportConfig, WithHttpConfig};
use opentelemetry_sdk::error::OTelSdkError;
use opentelemetry_sdk::trace::{SpanData, SpanEvents, SpanExporter as _, SpanLinks};
use opentelemetry_sdk::Resource;
use tokio::sync::mpsc::Receiver;
use tokio_util::sync::CancellationToken;

use super::http::{timeout_from_env, Answer, StatusClient};
use super::span::{SpanRecord, Value};
use super::{DropReason, OtlpSettings, Protocol, SpanCounters, BATCH_SPANS, BATCH_WAIT};
use crate::pod::PodSource;

/// Attempts per batch before it is given up.
const ATTEMPTS: u32 = 6;
const FIRST_BACKOFF: Duration = Duration::from_millis(500);
const MAX_BACKOFF: Duration = Duration::from_secs(16);
/// The longest `Retry-After` honoured.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// How the export thread is told to stop.
pub(super) struct Stop {
    pub(super) closing: CancellationToken,
    pub(super) abandon: CancellationToken,
}

pub(super) fn run(
    settings: OtlpSettings,
    rx: Receiver<SpanRecord>,
    counters: SpanCounters,
    stop: Stop,
    ready: std::sync::mpsc::Sender<Result<(), String>>,
) {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            let _ = ready.send(Err(e.to_string()));
            return;
        }
    };
    let (exporter, http) = match runtime.block_on(async { build(&settings) }) {
        Ok(e) => e,
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    };
    let _ = ready.send(Ok(()));
    runtime.block_on(
        Export {
            exporter,
            http,
            counters,
            stop,
            scope: InstrumentationScope::builder("tailwatch")
                .with_version(env!("CARGO_PKG_VERSION"))
                .build(),
            resource_of: None,
        }
        .run(&settings, rx),
    );
}

struct Export {
    exporter: opentelemetry_otlp::SpanExporter,
    http: Option<StatusClient>,
    counters: SpanCounters,
    stop: Stop,
    scope: InstrumentationScope,
    /// The resource the exporter was last given.
    resource_of: Option<ResourceKey>,
}

impl Export {
    async fn run(mut self, settings: &OtlpSettings, mut rx: Receiver<SpanRecord>) {
        // Without a service name from the settings, the first record that
        // names one names it for every span not from a pod's log.
        let mut service = settings.service_name.clone();
        let mut batch: Vec<SpanRecord> = Vec::with_capacity(BATCH_SPANS);
        while self.fill(&mut rx, &mut batch).await {
            if self.stop.abandon.is_cancelled() {
                break;
            }
            if service.is_none() {
                service = batch
                    .iter()
                    .filter(|s| s.pod.is_none())
                    .find_map(|s| s.service.clone());
            }
            // One request per resource: a node agent's spans come from
            // many pods, each its own resource.
            let mut groups: Vec<(ResourceKey, Vec<SpanData>)> = Vec::new();
            for span in batch.drain(..) {
                let key =
                    ResourceKey::of(&span, service.as_deref(), settings.service_name.as_deref());
                let data = span_data(span, &self.scope);
                match groups.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, spans)) => spans.push(data),
                    None => groups.push((key, vec![data])),
                }
            }
            for (key, data) in groups {
                if self.resource_of.as_ref() != Some(&key) {
                    self.exporter.set_resource(&key.resource(settings));
                    self.resource_of = Some(key);
                }
                self.send(data).await;
            }
        }
        // Time is up: what was not sent is lost, and counted.
        rx.close();
        let mut left = batch.len();
        while rx.try_recv().is_ok() {
            left += 1;
        }
        self.counters.dropped(DropReason::ExportFailed, left as u64);
    }

    /// Waits for a first span, then takes what follows for up to
    /// `BATCH_WAIT` or until the batch is full; once closing, takes what
    /// is queued without waiting. Returns false when nothing more will be
    /// sent: closing with the queue empty, every sender gone, or
    /// abandoned.
    async fn fill(&self, rx: &mut Receiver<SpanRecord>, batch: &mut Vec<SpanRecord>) -> bool {
        let Stop { closing, abandon } = &self.stop;
        if !closing.is_cancelled() {
            tokio::select! {
                biased;
                _ = abandon.cancelled() => return false,
                span = rx.recv() => match span {
                    Some(span) => batch.push(span),
                    None => return false,
                },
                _ = closing.cancelled() => {}
            }
            let deadline = tokio::time::sleep(BATCH_WAIT);
            tokio::pin!(deadline);
            while batch.len() < BATCH_SPANS && !closing.is_cancelled() {
                tokio::select! {
                    biased;
                    span = rx.recv() => match span {
                        Some(span) => batch.push(span),
                        None => break,
                    },
                    _ = &mut deadline => break,
                    _ = closing.cancelled() => break,
                }
            }
        }
        if closing.is_cancelled() {
            while batch.len() < BATCH_SPANS {
                match rx.try_recv() {
                    Ok(span) => batch.push(span),
                    Err(_) => break,
                }
            }
        }
        !batch.is_empty() && !abandon.is_cancelled()
    }

    /// Exports one request's spans, retrying what may succeed later;
    /// counts them exported or dropped.
    async fn send(&mut self, data: Vec<SpanData>) {
        let n = data.len() as u64;
        let mut backoff = FIRST_BACKOFF;
        for attempt in 1..=ATTEMPTS {
            let result = tokio::select! {
                biased;
                _ = self.stop.abandon.cancelled() => break,
                result = self.exporter.export(data.clone()) => result,
            };
            let answer = self.http.as_ref().and_then(StatusClient::take_answer);
            let error = match result {
                Ok(()) => {
                    self.counters.exported.increment(n);
                    return;
                }
                Err(e) => e,
            };
            let Some(after) = retry_after(&error, answer).filter(|_| attempt < ATTEMPTS) else {
                tracing::warn!(spans = n, %error, "OTLP export failed");
                break;
            };
            tokio::select! {
                biased;
                _ = self.stop.abandon.cancelled() => break,
                _ = tokio::time::sleep(backoff.max(after.unwrap_or_default())) => {}
            }
            backoff = (backoff * 2).min(MAX_BACKOFF);
        }
        self.counters.dropped(DropReason::ExportFailed, n);
    }
}

/// Who a span comes from: its service, and the pod for a pod's log.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ResourceKey {
    service: String,
    pod: Option<PodSource>,
}

impl ResourceKey {
    /// A pod's span is its record's service, else `OTEL_SERVICE_NAME`,
    /// else its container's; any other span is the settings' or first
    /// record's service (`default_service`), else `tailwatch`.
    fn of(span: &SpanRecord, default_service: Option<&str>, configured: Option<&str>) -> Self {
        let service = match &span.pod {
            Some(pod) => span
                .service
                .as_deref()
                .or(configured)
                .unwrap_or(&pod.labels.container),
            None => default_service.unwrap_or("tailwatch"),
        };
        ResourceKey {
            service: service.to_string(),
            pod: span.pod.clone(),
        }
    }

    /// The resource: the configured attributes, with a pod's own
    /// Kubernetes attributes in place of the agent's.
    fn resource(&self, settings: &OtlpSettings) -> Resource {
        let pod: Vec<(&str, &str)> = match &self.pod {
            Some(p) => vec![
                ("k8s.namespace.name", &p.labels.namespace),
                ("k8s.pod.name", &p.labels.pod),
                ("k8s.pod.uid", &p.uid),
                ("k8s.container.name", &p.labels.container),
            ],
            None => Vec::new(),
        };
        let configured = settings
            .resource
            .iter()
            .filter(|(k, _)| !pod.iter().any(|(p, _)| p == k))
            .map(|(k, v)| KeyValue::new(k.clone(), v.clone()));
        Resource::builder_empty()
            .with_service_name(self.service.clone())
            .with_attributes(
                configured.chain(
                    pod.iter()
                        .map(|(k, v)| KeyValue::new(k.to_string(), v.to_string())),
                ),
            )
            .build()
    }
}

/// Whether a failed export may succeed if tried again (`Some`), and after
/// how long the collector asked to wait. Over HTTP the collector's answer
/// says it: 429, 502, 503 and 504 are worth a retry, honouring
/// `Retry-After`; any other status is not. Without an answer (no
/// connection, a timeout) and over gRPC, the exporter's error text says it:
/// gRPC names its status code.
fn retry_after(error: &OTelSdkError, answer: Option<Answer>) -> Option<Option<Duration>> {
    if let Some(answer) = answer {
        return matches!(answer.status, 429 | 502 | 503 | 504)
            .then(|| answer.retry_after.map(|d| d.min(MAX_RETRY_AFTER)));
    }
    let transient = match error {
        OTelSdkError::Timeout(_) => true,
        OTelSdkError::AlreadyShutdown => false,
        OTelSdkError::InternalFailure(text) => [
            "Unavailable",
            "ResourceExhausted",
            "DeadlineExceeded",
            "Cancelled",
            "network error",
            "error sending request",
        ]
        .iter()
        .any(|code| text.contains(code)),
    };
    transient.then_some(None)
}

/// The exporter, and for HTTP the client whose answers it keeps.
fn build(
    settings: &OtlpSettings,
) -> Result<(opentelemetry_otlp::SpanExporter, Option<StatusClient>), String> {
    match settings.protocol {
        Protocol::Grpc => {
            let mut b = opentelemetry_otlp::SpanExporter::builder().with_tonic();
            if let Some(e) = &settings.endpoint {
                b = b.with_endpoint(e.clone());
            }
            Ok((b.build().map_err(|e| e.to_string())?, None))
        }
        Protocol::HttpProtobuf => {
            // The exporter applies no timeout to a client of our own.
            let client = StatusClient::new(timeout_from_env())?;
            let mut b = opentelemetry_otlp::SpanExporter::builder()
                .with_http()
                .with_http_client(client.clone())
                .with_protocol(opentelemetry_otlp::Protocol::HttpBinary);
            if let Some(e) = &settings.endpoint {
                b = b.with_endpoint(e.clone());
            }
            Ok((b.build().map_err(|e| e.to_string())?, Some(client)))
        }
    }
}

fn time(us: i64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_micros(us.max(0) as u64)
}

fn span_data(s: SpanRecord, scope: &InstrumentationScope) -> SpanData {
    let mut links = SpanLinks::default();
    for (trace, span) in &s.links {
        let context = SpanContext::new(
            TraceId::from_bytes(*trace),
            SpanId::from_bytes(*span),
            TraceFlags::SAMPLED,
            true,
            TraceState::default(),
        );
        links.links.push(Link::new(context, Vec::new(), 0));
    }
    let attributes = s
        .attributes
        .into_iter()
        .map(|(k, v)| match v {
            Value::Str(text) => KeyValue::new(k, text),
            Value::Int(n) => KeyValue::new(k, n),
            Value::Float(x) => KeyValue::new(k, x),
        })
        .collect();
    SpanData {
        // Sampled whatever the parent said: the agent saw the trouble.
        span_context: SpanContext::new(
            TraceId::from_bytes(s.trace_id),
            SpanId::from_bytes(s.span_id),
            TraceFlags::SAMPLED,
            false,
            TraceState::default(),
        ),
        parent_span_id: s.parent.map_or(SpanId::INVALID, SpanId::from_bytes),
        parent_span_is_remote: s.parent.is_some(),
        span_kind: SpanKind::Internal,
        name: Cow::Owned(s.name),
        start_time: time(s.start_us),
        end_time: time(s.end_us),
        attributes,
        dropped_attributes_count: 0,
        events: SpanEvents::default(),
        links,
        status: match s.error {
            Some(description) => Status::error(description),
            None => Status::Unset,
        },
        instrumentation_scope: scope.clone(),
    }
}
