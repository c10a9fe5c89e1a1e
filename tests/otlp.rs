//! OTLP traces, checked against a real OTLP receiver on 127.0.0.1: a gRPC
//! `TraceService` (tonic) and an HTTP `POST /v1/traces` endpoint, both
//! decoding the official protobuf definitions (`opentelemetry-proto`) and
//! keeping what they receive.

use std::collections::VecDeque;
use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use opentelemetry_proto::tonic::collector::trace::v1::trace_service_server::{
    TraceService, TraceServiceServer,
};
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use opentelemetry_proto::tonic::common::v1::any_value::Value;
use opentelemetry_proto::tonic::common::v1::KeyValue;
use opentelemetry_proto::tonic::trace::v1::{status::StatusCode, ResourceSpans, Span};
use prost::Message;
use tempfile::TempDir;

use crate::sidecar::{appender, Agent};

/// What the receiver got: each resource's spans; and, for HTTP, the
/// answers to give before accepting (status, `Retry-After` seconds) and
/// when each request came.
#[derive(Clone, Default)]
pub(crate) struct Received {
    spans: Arc<Mutex<Vec<ResourceSpans>>>,
    refusals: Arc<Mutex<VecDeque<Refusal>>>,
    requests: Arc<Mutex<Vec<Instant>>>,
    headers: Arc<Mutex<Vec<axum::http::HeaderMap>>>,
}

/// An HTTP status to answer with, and its `Retry-After` in seconds.
type Refusal = (u16, Option<u64>);

impl Received {
    fn keep(&self, request: ExportTraceServiceRequest) {
        self.spans.lock().unwrap().extend(request.resource_spans);
    }

    /// The answer to an HTTP request: a scripted refusal, or acceptance.
    fn answer(
        &self,
        headers: axum::http::HeaderMap,
        body: axum::body::Bytes,
    ) -> axum::response::Response {
        use axum::response::IntoResponse;
        self.requests.lock().unwrap().push(Instant::now());
        self.headers.lock().unwrap().push(headers);
        if let Some((status, retry_after)) = self.refusals.lock().unwrap().pop_front() {
            let status = axum::http::StatusCode::from_u16(status).unwrap();
            return match retry_after {
                Some(secs) => (status, [("retry-after", secs.to_string())]).into_response(),
                None => status.into_response(),
            };
        }
        match ExportTraceServiceRequest::decode(body) {
            Ok(request) => {
                self.keep(request);
                let response = ExportTraceServiceResponse {
                    partial_success: None,
                };
                (axum::http::StatusCode::OK, response.encode_to_vec()).into_response()
            }
            Err(_) => axum::http::StatusCode::BAD_REQUEST.into_response(),
        }
    }

    fn refuse_next(&self, status: u16, retry_after: Option<u64>) {
        self.refusals
            .lock()
            .unwrap()
            .push_back((status, retry_after));
    }

    /// The value of header `name` in each HTTP request.
    fn requests_header(&self, name: &str) -> Vec<String> {
        self.headers
            .lock()
            .unwrap()
            .iter()
            .filter_map(|h| Some(h.get(name)?.to_str().ok()?.to_string()))
            .collect()
    }

    fn requests(&self) -> Vec<Instant> {
        self.requests.lock().unwrap().clone()
    }

    /// Every span received, with its resource's attributes.
    pub(crate) fn spans(&self) -> Vec<(Vec<KeyValue>, Span)> {
        let mut out = Vec::new();
        for rs in self.spans.lock().unwrap().iter() {
            let resource = rs
                .resource
                .clone()
                .map(|r| r.attributes)
                .unwrap_or_default();
            for ss in &rs.scope_spans {
                for span in &ss.spans {
                    out.push((resource.clone(), span.clone()));
                }
            }
        }
        out
    }

    fn scopes(&self) -> Vec<(String, String)> {
        let received = self.spans.lock().unwrap();
        received
            .iter()
            .flat_map(|rs| &rs.scope_spans)
            .filter_map(|ss| ss.scope.as_ref())
            .map(|s| (s.name.clone(), s.version.clone()))
            .collect()
    }

    pub(crate) fn named(&self, name: &str) -> Vec<(Vec<KeyValue>, Span)> {
        self.spans()
            .into_iter()
            .filter(|(_, s)| s.name == name)
            .collect()
    }
}

#[tonic::async_trait]
impl TraceService for Received {
    async fn export(
        &self,
        request: tonic::Request<ExportTraceServiceRequest>,
    ) -> Result<tonic::Response<ExportTraceServiceResponse>, tonic::Status> {
        self.keep(request.into_inner());
        Ok(tonic::Response::new(ExportTraceServiceResponse {
            partial_success: None,
        }))
    }
}

/// A receiver listening on 127.0.0.1: gRPC on `grpc`, HTTP on `http`.
pub(crate) struct Receiver {
    pub(crate) received: Received,
    grpc: SocketAddr,
    pub(crate) http: SocketAddr,
}

impl Receiver {
    /// Starts both servers on a thread of their own, for the rest of the
    /// test process.
    pub(crate) fn start() -> Receiver {
        let http = tokio::net::TcpSocket::new_v4().unwrap();
        http.bind("127.0.0.1:0".parse().unwrap()).unwrap();
        Receiver::start_with_http(http)
    }

    /// `start`, with HTTP on this socket (bound, not yet listening).
    fn start_with_http(http: tokio::net::TcpSocket) -> Receiver {
        let received = Received::default();
        let (addrs_tx, addrs_rx) = std::sync::mpsc::channel();
        let keep = received.clone();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let grpc = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                let http = http.listen(1024).unwrap();
                addrs_tx
                    .send((grpc.local_addr().unwrap(), http.local_addr().unwrap()))
                    .unwrap();
                let service = TraceServiceServer::new(keep.clone());
                let grpc_server = tonic::transport::Server::builder()
                    .add_service(service)
                    .serve_with_incoming(tonic::transport::server::TcpIncoming::from(grpc));
                let app = axum::Router::new().route(
                    "/v1/traces",
                    axum::routing::post(
                        move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
                            let keep = keep.clone();
                            async move { keep.answer(headers, body) }
                        },
                    ),
                );
                let http_server = axum::serve(http, app);
                let _ = tokio::join!(grpc_server, http_server);
            });
        });
        let (grpc, http) = addrs_rx.recv().unwrap();
        Receiver {
            received,
            grpc,
            http,
        }
    }
}

fn attr<'a>(attrs: &'a [KeyValue], key: &str) -> Option<&'a Value> {
    attrs
        .iter()
        .find(|kv| kv.key == key)
        .and_then(|kv| kv.value.as_ref())
        .and_then(|v| v.value.as_ref())
}

pub(crate) fn text(attrs: &[KeyValue], key: &str) -> String {
    match attr(attrs, key) {
        Some(Value::StringValue(s)) => s.clone(),
        other => panic!("attribute {key}: {other:?} in {attrs:?}"),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

const TRACE: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
const PARENT: &str = "00f067aa0ba902b7";

/// A pool timeout the application logged inside a request's trace, with a
/// password in its connection string and an e-mail in its error.
fn trouble_line() -> String {
    format!(
        concat!(
            r#"{{"timestamp":"2026-12-02T03:00:00.250Z","level":"ERROR","service":"payments","#,
            r#""message":"pool timed out while waiting for an open connection (postgres://app:hunter2@db:5432/bank)","#,
            r#""error":"checkout for jane.doe@example.com failed","trace_id":"{}","span_id":"{}"}}"#,
            "\n"
        ),
        TRACE, PARENT
    )
}

/// An agent reading `dir/logs/app.log` from its beginning, the file
/// holding `lines`, with `args` and `env`.
fn agent_reading(dir: &Path, lines: &str, args: &[&str], env: &[(&str, &str)]) -> Agent {
    std::fs::create_dir_all(dir.join("logs")).unwrap();
    appender(&dir.join("logs/app.log"))
        .write_all(lines.as_bytes())
        .unwrap();
    let mut all = vec!["--start-at", "beginning"];
    all.extend_from_slice(args);
    Agent::spawn_with_env(dir, &all, env)
}

/// The one match of [`trouble_line`], exported with `args` and `env`
/// (`{grpc}` and `{http}` in them stand for the receiver's addresses);
/// incidents close after a second.
fn export_one_match(
    env: &[(&str, &str)],
    args: &[&str],
) -> (Receiver, Vec<(Vec<KeyValue>, Span)>, Agent, TempDir) {
    let receiver = Receiver::start();
    let dir = tempfile::tempdir().unwrap();
    let at = |v: &str| {
        v.replace("{grpc}", &receiver.grpc.to_string())
            .replace("{http}", &receiver.http.to_string())
    };
    let env: Vec<(String, String)> = env.iter().map(|(k, v)| (k.to_string(), at(v))).collect();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut args: Vec<String> = args.iter().map(|a| at(a)).collect();
    args.extend(["--incident-quiet-secs".to_string(), "1".to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let agent = agent_reading(dir.path(), &trouble_line(), &args, &env);
    // Generous: a debug build on a busy machine, a batch sent within a
    // second of its first span.
    let name = "tailwatch pool_acquire_timeout";
    agent.wait_until(Duration::from_secs(60), || {
        !receiver.received.named(name).is_empty()
    });
    let spans = receiver.received.named(name);
    (receiver, spans, agent, dir)
}

fn assert_match_span(resource: &[KeyValue], span: &Span) {
    assert_eq!(hex(&span.trace_id), TRACE, "the request's own trace");
    assert_eq!(
        hex(&span.parent_span_id),
        PARENT,
        "a child of the logged span"
    );
    assert_eq!(span.span_id.len(), 8);
    assert_ne!(hex(&span.span_id), PARENT);
    let at = 1_796_180_400_250_000_000u64; // 2026-12-02T03:00:00.250Z
    assert_eq!(
        (span.start_time_unix_nano, span.end_time_unix_nano),
        (at, at)
    );
    let attrs = &span.attributes;
    assert_eq!(text(attrs, "tailwatch.rule"), "pool_acquire_timeout");
    assert_eq!(text(attrs, "tailwatch.category"), "pool_exhaustion");
    assert_eq!(text(attrs, "tailwatch.severity"), "critical");
    assert!(!text(attrs, "tailwatch.action").is_empty());
    let message = text(attrs, "log.message");
    assert!(message.contains("pool timed out"), "{message}");
    assert!(
        message.contains("postgres://app:[REDACTED]@db:5432/bank"),
        "{message}"
    );
    let error = text(attrs, "exception.message");
    assert_eq!(error, "checkout for [REDACTED] failed");
    assert!(text(attrs, "log.source").ends_with("app.log"));
    assert_eq!(attr(attrs, "log.offset"), Some(&Value::IntValue(0)));
    let status = span.status.as_ref().expect("a status");
    assert_eq!(status.code, StatusCode::Error as i32);
    assert_eq!(span.flags & 0x1, 0x1, "sampled, whatever the parent said");
    assert!(!resource.is_empty());
}

#[test]
fn a_match_is_a_span_in_the_trace_of_its_request_over_http() {
    let (receiver, spans, agent, _dir) = export_one_match(
        &[("OTEL_EXPORTER_OTLP_HEADERS", "x-api-key=k3y")],
        &["--otlp-endpoint", "http://{http}"],
    );
    let (resource, span) = &spans[0];
    assert_match_span(resource, span);
    assert_eq!(
        text(resource, "service.name"),
        "payments",
        "the records' own service"
    );
    assert_eq!(
        receiver.received.requests_header("x-api-key"),
        vec!["k3y".to_string()],
        "OTEL_EXPORTER_OTLP_HEADERS"
    );
    assert_eq!(
        receiver.received.scopes()[0],
        (
            "tailwatch".to_string(),
            env!("CARGO_PKG_VERSION").to_string()
        )
    );
    agent.wait_until(Duration::from_secs(60), || {
        agent
            .metric("tailwatch_spans_exported_total")
            .unwrap_or(0.0)
            >= 1.0
    });
    assert_eq!(
        agent.metric("tailwatch_spans_dropped_total{reason=\"queue_full\"}"),
        Some(0.0)
    );
}

#[test]
fn the_otel_variables_choose_grpc_the_endpoint_and_the_resource() {
    let (receiver, spans, _agent, _dir) = export_one_match(
        &[
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://{grpc}"),
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"),
            ("OTEL_SERVICE_NAME", "bank-ledger"),
            ("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=staging"),
            ("K8S_POD_NAME", "ledger-7d9f"),
        ],
        &[],
    );
    let (resource, span) = &spans[0];
    assert_match_span(resource, span);
    assert_eq!(text(resource, "service.name"), "bank-ledger");
    assert_eq!(text(resource, "deployment.environment"), "staging");
    assert_eq!(text(resource, "k8s.pod.name"), "ledger-7d9f");
    drop(receiver);
}

#[test]
fn a_closed_incident_is_a_root_span_linked_to_its_matches() {
    let (receiver, spans, agent, _dir) =
        export_one_match(&[], &["--otlp-endpoint", "http://{http}"]);
    let (_, matched) = &spans[0];
    // The incident closes after a second without a match.
    agent.wait_until(Duration::from_secs(60), || {
        !receiver
            .received
            .named("tailwatch incident pool_acquire_timeout")
            .is_empty()
    });
    let (_, incident) = &receiver
        .received
        .named("tailwatch incident pool_acquire_timeout")[0];
    assert!(incident.parent_span_id.is_empty(), "a root span");
    assert_ne!(incident.trace_id, matched.trace_id);
    assert!(incident.start_time_unix_nano <= incident.end_time_unix_nano);
    assert_eq!(
        attr(&incident.attributes, "tailwatch.incident.matches"),
        Some(&Value::IntValue(1))
    );
    assert_eq!(text(&incident.attributes, "tailwatch.severity"), "critical");
    assert_eq!(incident.links.len(), 1);
    assert_eq!(incident.links[0].trace_id, matched.trace_id);
    assert_eq!(incident.links[0].span_id, matched.span_id);
}

#[test]
fn a_record_replayed_after_sigkill_resends_the_same_span() {
    let receiver = Receiver::start();
    let dir = tempfile::tempdir().unwrap();
    let endpoint = format!("http://{}", receiver.http);
    // The first checkpoint (before the line) is the only one written.
    let args = [
        "--otlp-endpoint",
        endpoint.as_str(),
        "--checkpoint-interval-ms",
        "600000",
    ];
    let agent = Agent::start(dir.path(), &args);
    appender(&dir.path().join("logs/app.log"))
        .write_all(trouble_line().as_bytes())
        .unwrap();
    let name = "tailwatch pool_acquire_timeout";
    agent.wait_until(Duration::from_secs(60), || {
        receiver.received.named(name).len() == 1
    });
    agent.kill9();
    // The restart reads the line again from the checkpoint.
    let again = Agent::spawn(dir.path(), &args);
    again.wait_until(Duration::from_secs(60), || {
        receiver.received.named(name).len() == 2
    });
    let spans = receiver.received.named(name);
    assert_eq!(
        spans[0].1.span_id, spans[1].1.span_id,
        "a second copy, not a second span"
    );
    assert_eq!(spans[0].1.trace_id, spans[1].1.trace_id);
}

#[test]
fn a_failed_command_span_covers_the_command_duration() {
    let receiver = Receiver::start();
    let dir = tempfile::tempdir().unwrap();
    // EventCore's "Command failed" with its total duration, inside a trace.
    let line = format!(
        concat!(
            r#"{{"timestamp":"2026-12-02T03:00:10.000Z","level":"ERROR","fields":{{"message":"Command failed","#,
            r#""total_duration_ms":1480,"error":"concurrency conflict after 4 retry attempts"}},"#,
            r#""target":"ledger_api::commands","trace_id":"{}","span_id":"{}"}}"#,
            "\n"
        ),
        TRACE, PARENT
    );
    let endpoint = format!("http://{}", receiver.http);
    let agent = agent_reading(dir.path(), &line, &["--otlp-endpoint", &endpoint], &[]);
    let name = "tailwatch eventcore_command_failed";
    agent.wait_until(Duration::from_secs(60), || {
        !receiver.received.named(name).is_empty()
    });
    let (_, span) = &receiver.received.named(name)[0];
    let end = 1_796_180_410_000_000_000u64; // 2026-12-02T03:00:10Z
    assert_eq!(span.end_time_unix_nano, end);
    assert_eq!(span.start_time_unix_nano, end - 1_480_000_000);
    assert_eq!(hex(&span.parent_span_id), PARENT);
    assert_eq!(
        attr(&span.attributes, "tailwatch.duration_ms"),
        Some(&Value::IntValue(1480))
    );
    // A warning (over 1 s, under 10 s): not an error status.
    assert_eq!(text(&span.attributes, "tailwatch.severity"), "warning");
    assert_ne!(
        span.status.as_ref().map_or(0, |s| s.code),
        StatusCode::Error as i32
    );
}

/// A record no rule matched, counted by resemblance, is a span like any
/// match, and says it is a resemblance and how strong.
#[test]
fn a_resemblance_span_carries_its_probability() {
    let receiver = Receiver::start();
    let dir = tempfile::tempdir().unwrap();
    let line = format!(
        concat!(
            r#"{{"timestamp":"2026-12-02T03:00:20.000Z","level":"ERROR","#,
            r#""message":"giving up on billing, it took ages","trace_id":"{}","span_id":"{}"}}"#,
            "\n"
        ),
        TRACE, PARENT
    );
    let endpoint = format!("http://{}", receiver.http);
    let rules = crate::util::data("resembling");
    let args = [
        "--otlp-endpoint",
        &endpoint,
        "--no-default-rules",
        "--patterns",
        &rules,
    ];
    let agent = agent_reading(dir.path(), &line, &args, &[]);
    let name = "tailwatch took_too_long";
    agent.wait_until(Duration::from_secs(60), || {
        !receiver.received.named(name).is_empty()
    });
    let (_, span) = &receiver.received.named(name)[0];
    assert_eq!(hex(&span.trace_id), TRACE);
    assert_eq!(text(&span.attributes, "tailwatch.severity"), "warning");
    match attr(&span.attributes, "tailwatch.resembled") {
        Some(Value::DoubleValue(p)) => assert!((0.7..=1.0).contains(p), "{p}"),
        other => panic!("tailwatch.resembled: {other:?}"),
    }
}

/// A rule of the user's that puts a field of the record into a metric
/// label, so that redaction of label values can be seen.
const LABELLED_RULE: &str = r#"
rules:
  - name: payment_declined
    category: timeout
    severity: error
    description: A payment was declined after a gateway timeout.
    action: Check the gateway.
    match:
      regex: 'payment gateway timed out'
    extract:
      - field: elapsed_ms
        metric: payment_gateway_wait_seconds
        kind: gauge
        unit: milliseconds
        labels: {customer: customer}
    examples:
      match:
        - '{"message":"payment gateway timed out","elapsed_ms":5000,"customer":"a"}'
        - '{"message":"payment gateway timed out","elapsed_ms":6000,"customer":"b"}'
        - '{"message":"payment gateway timed out","elapsed_ms":7000,"customer":"c"}'
      no_match:
        - '{"message":"payment gateway answered","elapsed_ms":50}'
        - '{"message":"payment captured"}'
"#;

#[test]
fn secrets_in_matched_lines_never_leave_the_pod() {
    let receiver = Receiver::start();
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    std::fs::create_dir_all(&rules).unwrap();
    std::fs::write(rules.join("payments.yaml"), LABELLED_RULE).unwrap();
    let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
    let secrets = ["hunter2", "s3cr3t-token-value", jwt, "jane.doe@example.com"];
    let line = format!(
        concat!(
            r#"{{"timestamp":"2026-12-02T03:00:00Z","level":"ERROR","#,
            r#""message":"payment gateway timed out (postgres://app:hunter2@db/bank, Authorization: Bearer s3cr3t-token-value, session {jwt})","#,
            r#""elapsed_ms":5200,"customer":"jane.doe@example.com","trace_id":"{trace}","span_id":"{parent}"}}"#,
            "\n"
        ),
        jwt = jwt,
        trace = TRACE,
        parent = PARENT
    );
    let endpoint = format!("http://{}", receiver.http);
    let agent = agent_reading(
        dir.path(),
        &line,
        &[
            "--otlp-endpoint",
            &endpoint,
            "--patterns",
            rules.to_str().unwrap(),
        ],
        &[],
    );
    agent.wait_until(Duration::from_secs(60), || {
        !receiver
            .received
            .named("tailwatch payment_declined")
            .is_empty()
    });
    let spans = format!("{:?}", receiver.received.spans());
    agent.wait_until(Duration::from_secs(60), || {
        agent
            .get("/report")
            .is_some_and(|r| r.contains("payment_declined"))
    });
    let report = agent.get("/report").unwrap();
    let metrics = agent.get("/metrics").unwrap();
    assert!(
        metrics.contains("tailwatch_payment_gateway_wait_seconds{customer=\"[REDACTED]\"}"),
        "{metrics}"
    );
    assert!(
        report.contains("postgres://app:[REDACTED]@db/bank"),
        "{report}"
    );
    for secret in secrets {
        assert!(
            !spans.contains(secret),
            "{secret} exported in a span: {spans}"
        );
        assert!(!report.contains(secret), "{secret} in /report: {report}");
        assert!(!metrics.contains(secret), "{secret} in /metrics");
    }
    // The match output is the pod's own audit trail: the line as read.
    agent.wait_until(Duration::from_secs(60), || {
        std::fs::read_to_string(dir.path().join("matches.jsonl"))
            .is_ok_and(|m| m.contains("hunter2"))
    });
}

#[test]
fn scan_reports_are_redacted_unless_asked_and_scan_exports_spans_when_asked() {
    let receiver = Receiver::start();
    let line = trouble_line();
    let endpoint = format!("http://{}", receiver.http);
    let out = crate::util::run(
        &["scan", "--format", "json", "--otlp-endpoint", &endpoint],
        line.as_bytes(),
    );
    let report = crate::util::stdout(&out);
    assert!(
        report.contains("postgres://app:[REDACTED]@db:5432/bank"),
        "{report}"
    );
    assert!(!report.contains("hunter2"));
    // Sent before scan exits: the match span and the incident's.
    assert_eq!(
        receiver
            .received
            .named("tailwatch pool_acquire_timeout")
            .len(),
        1
    );
    assert_eq!(
        receiver
            .received
            .named("tailwatch incident pool_acquire_timeout")
            .len(),
        1
    );
    assert!(
        crate::util::stderr(&out).contains("2 spans exported"),
        "{}",
        crate::util::stderr(&out)
    );
    let raw = crate::util::run(
        &["scan", "--format", "json", "--no-redact"],
        line.as_bytes(),
    );
    assert!(crate::util::stdout(&raw).contains("hunter2"));
}

/// The sum of a counter's series in a `/metrics` text.
fn total(metrics: &str, name: &str) -> f64 {
    metrics
        .lines()
        .filter(|l| l.starts_with(name) && l[name.len()..].starts_with(['{', ' ']))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

#[test]
fn a_collector_that_is_down_costs_spans_not_reading_and_export_resumes() {
    // The collector's port, bound but not listening: connections to it are
    // refused (the collector is down) and no other test can take it.
    let collector = tokio::net::TcpSocket::new_v4().unwrap();
    collector.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let port = collector.local_addr().unwrap().port();
    let dir = tempfile::tempdir().unwrap();
    let lines = 20_000u64;
    let trouble = |i: u64| {
        format!(
            concat!(
                r#"{{"timestamp":"2026-12-02T03:00:00Z","level":"ERROR","message":"pool timed out while waiting for an open connection","#,
                r#""trace_id":"{:032x}","span_id":"{:016x}"}}"#,
                "\n"
            ),
            i + 1,
            i + 1
        )
    };
    let endpoint = format!("http://127.0.0.1:{port}");
    let agent = agent_reading(
        dir.path(),
        &(0..lines).map(trouble).collect::<String>(),
        &[
            "--otlp-endpoint",
            &endpoint,
            "--otlp-spans-per-rule",
            "1000000",
        ],
        &[],
    );
    let mut log = appender(&dir.path().join("logs/app.log"));
    // Every line is read and matched while nothing listens.
    agent.wait_until(Duration::from_secs(120), || {
        agent.get("/metrics").is_some_and(|m| {
            total(&m, "tailwatch_lines_read_total") >= lines as f64
                && total(&m, "tailwatch_matches_total") >= lines as f64
        })
    });
    agent.wait_until(Duration::from_secs(60), || {
        agent
            .metric("tailwatch_spans_dropped_total{reason=\"queue_full\"}")
            .is_some_and(|n| n > 0.0)
    });
    let metrics = agent.get("/metrics").unwrap();
    assert_eq!(total(&metrics, "tailwatch_spans_exported_total"), 0.0);
    // The queue is bounded: what waits for the collector stays small.
    let rss = total(&metrics, "process_resident_memory_bytes");
    assert!(rss > 0.0 && rss < 100.0 * 1024.0 * 1024.0, "RSS {rss}");
    // The collector comes up: what is queued goes out (the batch being
    // retried within its backoff), then new matches flow as they come.
    let receiver = Receiver::start_with_http(collector);
    agent.wait_until(Duration::from_secs(120), || {
        agent
            .metric("tailwatch_spans_exported_total")
            .is_some_and(|n| n > 0.0)
    });
    for i in lines..lines + 10 {
        log.write_all(trouble(i).as_bytes()).unwrap();
    }
    log.flush().unwrap();
    agent.wait_until(Duration::from_secs(120), || {
        receiver
            .received
            .spans()
            .iter()
            .any(|(_, s)| hex(&s.trace_id) == format!("{:032x}", lines + 10))
    });
}

#[test]
fn sigterm_sends_the_spans_still_queued() {
    let receiver = Receiver::start();
    let dir = tempfile::tempdir().unwrap();
    let endpoint = format!("http://{}", receiver.http);
    let agent = Agent::start(dir.path(), &["--otlp-endpoint", &endpoint]);
    appender(&dir.path().join("logs/app.log"))
        .write_all(trouble_line().as_bytes())
        .unwrap();
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric("tailwatch_matches_total{rule=\"pool_acquire_timeout\",category=\"pool_exhaustion\",severity=\"critical\"}")
            .is_some_and(|n| n >= 1.0)
    });
    // Within the batch's second: the span is still queued.
    let (_, status) = agent.terminate();
    assert!(status.success(), "{status:?}");
    assert_eq!(
        receiver
            .received
            .named("tailwatch pool_acquire_timeout")
            .len(),
        1
    );
}

#[test]
fn a_busy_collector_is_retried_after_the_time_it_asks_and_a_bad_request_is_not() {
    let receiver = Receiver::start();
    receiver.received.refuse_next(503, Some(3));
    receiver.received.refuse_next(429, None);
    let dir = tempfile::tempdir().unwrap();
    let endpoint = format!("http://{}", receiver.http);
    let agent = agent_reading(
        dir.path(),
        &trouble_line(),
        &["--otlp-endpoint", &endpoint],
        &[],
    );
    agent.wait_until(Duration::from_secs(60), || {
        receiver
            .received
            .named("tailwatch pool_acquire_timeout")
            .len()
            == 1
    });
    let requests = receiver.received.requests();
    assert_eq!(requests.len(), 3, "503, 429, then accepted");
    assert!(
        requests[1] - requests[0] >= Duration::from_secs(3),
        "Retry-After: 3 honoured, not the first backoff of 0.5 s"
    );
    assert_eq!(agent.metric("tailwatch_spans_exported_total"), Some(1.0));
    // A request the collector rejects as bad is not sent again.
    receiver.received.refuse_next(400, None);
    appender(&dir.path().join("logs/app.log"))
        .write_all(
            trouble_line()
                .replace("03:00:00.250", "03:00:01.250")
                .as_bytes(),
        )
        .unwrap();
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric("tailwatch_spans_dropped_total{reason=\"export_failed\"}") == Some(1.0)
    });
    assert_eq!(receiver.received.requests().len(), 4);
}

#[test]
fn a_traceback_span_carries_the_exception_raised_and_its_trace() {
    // python-json-logger with OpenTelemetry's logging instrumentation:
    // the trace context in `otelTraceID` / `otelSpanID`, the traceback in
    // `exc_info`.
    let receiver = Receiver::start();
    let line = format!(
        concat!(
            r#"{{"asctime": "2026-12-02 03:00:00,250", "levelname": "ERROR", "name": "orders.db", "message": "checkout failed", "#,
            r#""exc_info": "Traceback (most recent call last):\n  File \"/app/db.py\", line 12, in checkout\n    conn = engine.connect()\n"#,
            r#"sqlalchemy.exc.TimeoutError: QueuePool limit of size 5 overflow 10 reached, connection timed out, timeout 30.00", "#,
            r#""otelTraceID": "{}", "otelSpanID": "{}", "otelServiceName": "orders"}}"#,
            "\n"
        ),
        TRACE, PARENT
    );
    let endpoint = format!("http://{}", receiver.http);
    let out = crate::util::run(
        &["scan", "--format", "json", "--otlp-endpoint", &endpoint],
        line.as_bytes(),
    );
    assert!(out.status.success(), "{}", crate::util::stderr(&out));
    let spans = receiver.received.named("tailwatch python_pool_timeout");
    assert_eq!(spans.len(), 1);
    let span = &spans[0].1;
    assert_eq!(hex(&span.trace_id), TRACE, "the request's own trace");
    assert_eq!(hex(&span.parent_span_id), PARENT);
    assert_eq!(
        text(&span.attributes, "exception.message"),
        "sqlalchemy.exc.TimeoutError: QueuePool limit of size 5 overflow 10 reached, connection timed out, timeout 30.00"
    );
    let trace = text(&span.attributes, "exception.stacktrace");
    assert!(
        trace.starts_with("Traceback (most recent call last):"),
        "{trace}"
    );
    assert!(trace.contains("File \"/app/db.py\", line 12"), "{trace}");
}

/// A diagnosis in traces: the symptom's incident span links to the cause's
/// incident span, and both name the diagnosis.
#[test]
fn a_symptom_incident_span_links_to_its_cause_and_both_name_the_diagnosis() {
    let receiver = Receiver::start();
    let rules = tailwatch::rules::RuleSet::embedded();
    let d = rules
        .diagnoses
        .iter()
        .find(|d| d.name == "timeouts_from_pool_exhaustion")
        .unwrap();
    let log = d.examples_fire[0].join("\n") + "\n";
    let endpoint = format!("http://{}", receiver.http);
    let out = crate::util::run(
        &["scan", "--format", "json", "--otlp-endpoint", &endpoint],
        log.as_bytes(),
    );
    assert!(out.status.success(), "{}", crate::util::stderr(&out));
    let cause = receiver
        .received
        .named("tailwatch incident pool_acquire_timeout");
    let symptom = receiver
        .received
        .named("tailwatch incident statement_timeout");
    let (cause, symptom) = (&cause.last().unwrap().1, &symptom.last().unwrap().1);
    for span in [cause, symptom] {
        assert_eq!(
            text(&span.attributes, "tailwatch.diagnosis"),
            "timeouts_from_pool_exhaustion"
        );
    }
    assert_eq!(text(&cause.attributes, "tailwatch.diagnosis.role"), "cause");
    assert_eq!(
        text(&symptom.attributes, "tailwatch.diagnosis.role"),
        "symptom"
    );
    assert!(
        symptom
            .links
            .iter()
            .any(|l| l.trace_id == cause.trace_id && l.span_id == cause.span_id),
        "{:?}",
        symptom.links
    );
}
