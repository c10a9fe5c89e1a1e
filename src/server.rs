//! The HTTP side of the agent: `/healthz`, `/readyz`, `/metrics` and
//! `/report`. Handlers read only what the reading thread publishes (atomics
//! and a report snapshot), so a request never waits for a read pass and a
//! slow scrape never holds up reading.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

use crate::export::prometheus::Prometheus;

/// State shared between the reading thread and the server.
#[derive(Debug)]
pub struct Shared {
    pub prometheus: Arc<Prometheus>,
    /// The current report as JSON (same shape as `scan --format json`, plus
    /// open incidents), replaced by the reading thread; the lock is held
    /// only to swap or clone the pointer.
    pub report: Mutex<Arc<str>>,
}

impl Shared {
    pub fn new(prometheus: Arc<Prometheus>) -> Shared {
        Shared {
            prometheus,
            report: Mutex::new(Arc::from("{}")),
        }
    }

    pub fn publish_report(&self, json: String) {
        *self.report.lock().expect("report lock") = Arc::from(json);
    }
}

pub async fn serve(
    listener: tokio::net::TcpListener,
    shared: Arc<Shared>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = Router::new()
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/report", get(report))
        .with_state(shared);
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}

pub async fn bind(addr: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(addr).await
}

/// Ready means the rules are loaded and the server is up, which is true
/// from the first request the server answers. Never "inputs open": a
/// sidecar's readiness counts toward its pod's, and a pod that is not
/// ready leaves its Service, so an application would get no traffic until
/// it logged its first line. Open inputs are `tailwatch_inputs_open`.
async fn readyz() -> &'static str {
    "ready\n"
}

async fn metrics(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        shared.prometheus.render(),
    )
}

async fn report(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    let text = shared.report.lock().expect("report lock").clone();
    (
        [(header::CONTENT_TYPE, "application/json")],
        text.to_string(),
    )
}
