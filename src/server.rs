//! The HTTP side of the agent: `/healthz`, `/readyz`, `/metrics`,
//! `/report`, and `POST /-/reload` when lifecycle requests are enabled.
//! Handlers read only what the reading thread publishes (atomics and a
//! report snapshot), so a request never waits for a read pass and a slow
//! scrape never holds up reading.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use tokio::sync::{mpsc, oneshot};

use crate::agent::reload::Trigger;
use crate::export::prometheus::Prometheus;

/// State shared between the reading thread and the server.
#[derive(Debug)]
pub struct Shared {
    pub prometheus: Arc<Prometheus>,
    /// The current report as JSON (same shape as `scan --format json`, plus
    /// open incidents), replaced by the reading thread; the lock is held
    /// only to swap or clone the pointer.
    pub report: Mutex<Arc<str>>,
    /// `POST /-/reload` is accepted.
    lifecycle: bool,
    reloads: mpsc::Sender<Trigger>,
}

impl Shared {
    pub fn new(
        prometheus: Arc<Prometheus>,
        lifecycle: bool,
        reloads: mpsc::Sender<Trigger>,
    ) -> Shared {
        Shared {
            prometheus,
            report: Mutex::new(Arc::from("{}")),
            lifecycle,
            reloads,
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
        .route("/-/reload", post(reload))
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

/// Reloads the config and rules, as SIGHUP does, and says how it went.
/// Off unless enabled: the listen address is open to the whole network
/// (Prometheus's `--web.enable-lifecycle` is the model).
async fn reload(State(shared): State<Arc<Shared>>) -> (StatusCode, String) {
    if !shared.lifecycle {
        return (
            StatusCode::FORBIDDEN,
            "lifecycle requests are not enabled: start tailwatch with --enable-lifecycle (or enable_lifecycle: true)\n".into(),
        );
    }
    let (reply, outcome) = oneshot::channel();
    if shared.reloads.send(Trigger::Http(reply)).await.is_err() {
        return (StatusCode::SERVICE_UNAVAILABLE, "stopping\n".into());
    }
    match outcome.await {
        Ok(Ok(())) => (StatusCode::OK, "reloaded\n".into()),
        Ok(Err(e)) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("reload failed: {e}\n"),
        ),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "stopping\n".into()),
    }
}
