//! The HTTP side of the agent: `/healthz`, `/readyz`, `/metrics` and
//! `/report`. Handlers only read state the reading thread maintains.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

use crate::metrics::MetricsState;

/// State shared between the reading thread and the server.
#[derive(Debug)]
pub struct Shared {
    pub metrics: Mutex<MetricsState>,
    /// The current report as JSON (same shape as `scan --format json`, plus
    /// open incidents), refreshed by the reading thread.
    pub report: Mutex<String>,
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

async fn readyz(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    if shared.metrics.lock().expect("metrics lock").ready {
        (StatusCode::OK, "ready\n")
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            "not ready: inputs not open yet\n",
        )
    }
}

async fn metrics(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    let text = shared.metrics.lock().expect("metrics lock").render();
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
}

async fn report(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    let text = shared.report.lock().expect("report lock").clone();
    ([(header::CONTENT_TYPE, "application/json")], text)
}
