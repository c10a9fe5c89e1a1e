//! The HTTP side of the agent: `/healthz` and `/metrics`, served from a
//! snapshot the reading thread publishes after each pass. Scrapes never
//! touch the reading thread's state.

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

use crate::rules::Severity;

/// What `/metrics` shows, as of the last pass of the reading thread.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// (rule, category, base severity, counts by severity).
    pub matches: Vec<(String, String, Severity, [u64; 4])>,
    /// (input, lines, bytes).
    pub inputs: Vec<(String, u64, u64)>,
    pub files_tailed: u64,
    pub bytes_behind: u64,
    pub bytes_abandoned: Vec<(String, u64)>,
}

/// State shared between the reading thread and the server.
#[derive(Debug, Default)]
pub struct Shared {
    pub snapshot: Mutex<Snapshot>,
}

pub async fn serve(
    listener: tokio::net::TcpListener,
    shared: Arc<Shared>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = Router::new()
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/metrics", get(metrics))
        .with_state(shared);
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}

pub async fn bind(addr: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(addr).await
}

async fn metrics(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    let snapshot = shared.snapshot.lock().expect("snapshot lock").clone();
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        render(&snapshot),
    )
}

/// The Prometheus text exposition of a snapshot.
pub fn render(s: &Snapshot) -> String {
    let mut out = String::new();
    let mut family = |name: &str, kind: &str, help: &str| {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
        name.to_string()
    };
    let _ = family(
        "tailwatch_matches_total",
        "counter",
        "Log lines that matched a rule, by rule and the severity the match reached.",
    );
    for (rule, category, base, counts) in &s.matches {
        for sev in Severity::ALL {
            let n = counts[sev as usize];
            if n > 0 || sev == *base {
                let _ = writeln!(
                    out,
                    "tailwatch_matches_total{{rule=\"{}\",category=\"{}\",severity=\"{}\"}} {n}",
                    escape(rule),
                    escape(category),
                    sev
                );
            }
        }
    }
    let _ = writeln!(out, "# HELP tailwatch_lines_read_total Lines read, by input.\n# TYPE tailwatch_lines_read_total counter");
    for (input, lines, _) in &s.inputs {
        let _ = writeln!(
            out,
            "tailwatch_lines_read_total{{input=\"{}\"}} {lines}",
            escape(input)
        );
    }
    let _ = writeln!(out, "# HELP tailwatch_bytes_read_total Bytes read, by input.\n# TYPE tailwatch_bytes_read_total counter");
    for (input, _, bytes) in &s.inputs {
        let _ = writeln!(
            out,
            "tailwatch_bytes_read_total{{input=\"{}\"}} {bytes}",
            escape(input)
        );
    }
    let _ = writeln!(
        out,
        "# HELP tailwatch_bytes_abandoned_total Bytes given up unread, by reason.\n# TYPE tailwatch_bytes_abandoned_total counter"
    );
    for reason in ["truncated", "deleted_before_read"] {
        let n = s
            .bytes_abandoned
            .iter()
            .find(|(r, _)| r == reason)
            .map_or(0, |(_, n)| *n);
        let _ = writeln!(
            out,
            "tailwatch_bytes_abandoned_total{{reason=\"{reason}\"}} {n}"
        );
    }
    let _ = writeln!(
        out,
        "# HELP tailwatch_files_tailed Files open for reading.\n# TYPE tailwatch_files_tailed gauge\ntailwatch_files_tailed {}",
        s.files_tailed
    );
    let _ = writeln!(
        out,
        "# HELP tailwatch_bytes_behind Bytes between the read positions and the ends of the tailed files.\n# TYPE tailwatch_bytes_behind gauge\ntailwatch_bytes_behind {}",
        s.bytes_behind
    );
    out
}

fn escape(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}
