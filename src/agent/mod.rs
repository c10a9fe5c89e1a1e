//! `tailwatch run`: the agent as a process. The [`pipeline::Pipeline`]
//! reads and matches on a plain thread of its own (the hot path never
//! awaits); a current-thread tokio runtime serves HTTP, waits for signals
//! and carries out reloads. They share atomics, a report snapshot the
//! reading thread publishes (`server::Shared`), a channel of reloads, and
//! the shutdown token.
//!
//! Signals: SIGTERM or SIGINT stops the agent — the reading thread stops
//! reading, finishes the records in hand, writes the match output and the
//! checkpoint, gives the OTLP queue at most `shutdown_timeout`, and
//! returns; then the HTTP server stops. A second SIGTERM or SIGINT exits at
//! once. SIGHUP reloads and never ends the process.

mod inputs;
mod output;
mod persist;
mod pipeline;
pub mod reload;
mod watch;

pub use inputs::{CurrentSource, FileScan};

use std::io;
use std::sync::mpsc;
use std::sync::Arc;

use tokio::signal::unix::{signal, SignalKind};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::checkpoint::CheckpointError;
use crate::config::RunSettings;
use crate::export::prometheus::Prometheus;
use crate::matcher::Matcher;
use crate::server::{self, Shared};
use pipeline::Pipeline;
use reload::{ConfigSource, Trigger};

#[derive(Debug, thiserror::Error)]
pub enum AgentError {
    #[error(transparent)]
    Checkpoint(#[from] CheckpointError),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: std::net::SocketAddr,
        #[source]
        source: io::Error,
    },
    #[error("cannot open match output {path}: {source}")]
    MatchesOut {
        path: String,
        #[source]
        source: io::Error,
    },
    #[error("the last match records or checkpoint could not be written (see above); a restart reads again from the last checkpoint written")]
    FinalWrite,
    #[error("cannot start the async runtime: {0}")]
    Runtime(#[source] io::Error),
    #[error("cannot listen for signals: {0}")]
    Signals(#[source] io::Error),
    #[error(transparent)]
    Otlp(#[from] crate::export::otlp::OtlpError),
}

/// Runs the agent with `settings` and the rules of `matcher` (both loaded
/// from `source`, which reloads read again) until SIGTERM/SIGINT, or until
/// stdin ends when it is the only input.
pub fn run(
    source: ConfigSource,
    settings: RunSettings,
    matcher: Matcher,
) -> Result<(), AgentError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(AgentError::Runtime)?;
    // Installed before anything slow: from here on SIGHUP does not end
    // the process.
    let mut signals = runtime
        .block_on(async {
            Ok::<_, io::Error>([
                signal(SignalKind::terminate())?,
                signal(SignalKind::interrupt())?,
                signal(SignalKind::hangup())?,
            ])
        })
        .map_err(AgentError::Signals)?;
    let listener = runtime
        .block_on(server::bind(settings.listen))
        .map_err(|source| AgentError::Listen {
            addr: settings.listen,
            source,
        })?;
    // The address bound: with port 0, the one the system chose.
    if let Ok(address) = listener.local_addr() {
        tracing::info!(%address, "listening");
    }
    let prometheus = Prometheus::new(&matcher.rules, settings.aggregate.series_ttl);
    let reload_metrics = prometheus.reload_metrics();
    let (trigger_tx, trigger_rx) = tokio::sync::mpsc::channel(8);
    let shared = Arc::new(Shared::new(
        prometheus,
        settings.values.enable_lifecycle,
        trigger_tx.clone(),
    ));
    let shutdown = CancellationToken::new();
    let reader_done = CancellationToken::new();
    // Wakes the reader: change notifications, stdin, signals, reloads.
    let (wake_tx, wake_rx) = mpsc::sync_channel::<()>(1);
    let (reload_tx, reload_rx) = mpsc::channel();
    let source = Arc::new(source);
    let running = settings.values.clone();
    let watch_config = settings.values.watch_config;
    let (patterns_tx, patterns_rx) = tokio::sync::watch::channel(settings.values.patterns.clone());
    let pipeline = Pipeline::start(settings, matcher, &shared, wake_tx.clone())?;

    std::thread::scope(|scope| {
        let reader = scope.spawn(|| {
            let result = pipeline.run(&shutdown, wake_rx, reload_rx);
            reader_done.cancel();
            result
        });
        runtime.block_on(async {
            let tasks = TaskTracker::new();
            tasks.spawn(server::serve(
                listener,
                shared.clone(),
                reader_done.clone().cancelled_owned(),
            ));
            tasks.spawn(reload::coordinate(
                source.clone(),
                running,
                trigger_rx,
                reload_tx,
                wake_tx.clone(),
                reload_metrics,
                patterns_tx,
                reader_done.clone(),
            ));
            if watch_config {
                tasks.spawn(reload::watch_files(
                    source.clone(),
                    patterns_rx,
                    trigger_tx.clone(),
                    reader_done.clone(),
                ));
            }
            tasks.close();
            let [term, int, hup] = &mut signals;
            loop {
                let stop_code = tokio::select! {
                    _ = reader_done.cancelled() => break,
                    _ = term.recv() => 143,
                    _ = int.recv() => 130,
                    _ = hup.recv() => {
                        let _ = trigger_tx.try_send(Trigger::Signal);
                        continue;
                    }
                };
                if shutdown.is_cancelled() {
                    tracing::warn!("second stop signal: exiting at once");
                    std::process::exit(stop_code);
                }
                tracing::info!("stopping: finishing the records in hand");
                shutdown.cancel();
                let _ = wake_tx.try_send(());
            }
            tasks.wait().await;
        });
        reader.join().expect("reading thread does not panic")
    })
}
