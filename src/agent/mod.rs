//! `tailwatch run`: the sidecar. One plain thread reads and matches (the
//! hot path never awaits); a current-thread tokio runtime serves HTTP and
//! waits for signals. They share only atomics and a report snapshot the
//! reader publishes (see `server::Shared`), and the stop flag a signal
//! sets.
//!
//! Shutdown order on SIGTERM/SIGINT: the reader finishes the block in hand,
//! flushes match output, writes the final checkpoint and returns; then the
//! HTTP server stops.

mod output;
mod persist;
mod reader;
mod watch;

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Arc;

use crate::checkpoint::CheckpointError;
use crate::config::RunSettings;
use crate::export::prometheus::Prometheus;
use crate::matcher::Matcher;
use crate::server::{self, Shared};

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

/// Runs the agent until SIGTERM/SIGINT, or until stdin ends when it is the
/// only input.
pub fn run(settings: RunSettings, matcher: Matcher) -> Result<(), AgentError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(AgentError::Runtime)?;
    let listener = runtime
        .block_on(server::bind(settings.listen))
        .map_err(|source| AgentError::Listen {
            addr: settings.listen,
            source,
        })?;
    let prometheus = Prometheus::new(&matcher.rules, settings.aggregate.series_ttl);
    let shared = Arc::new(Shared::new(prometheus));
    let stop = Arc::new(AtomicBool::new(false));
    // Wakes the reader: change notifications, stdin, signals.
    let (wake_tx, wake_rx) = mpsc::sync_channel::<()>(1);
    // Set by the reader when it has returned.
    let (done_tx, done_rx) = tokio::sync::watch::channel(false);
    let matcher = Arc::new(matcher);

    // Restored counters and incidents are in place before the server
    // answers its first request: a restart never shows them at zero.
    let reader = reader::Reader::start(&settings, matcher, &shared, wake_tx.clone())?;
    std::thread::scope(|scope| {
        let reader = {
            let stop = stop.clone();
            scope.spawn(move || {
                let result = reader.run(&stop, wake_rx);
                let _ = done_tx.send(true);
                result
            })
        };
        let served = runtime.block_on(async {
            let mut server_done = done_rx.clone();
            let server = tokio::spawn(server::serve(listener, shared.clone(), async move {
                let _ = server_done.wait_for(|done| *done).await;
            }));
            let mut reader_done = done_rx.clone();
            let waited =
                match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                    Ok(mut term) => {
                        tokio::select! {
                            _ = term.recv() => {}
                            _ = tokio::signal::ctrl_c() => {}
                            _ = reader_done.wait_for(|done| *done) => {}
                        }
                        Ok(())
                    }
                    Err(e) => Err(AgentError::Signals(e)),
                };
            stop.store(true, Ordering::SeqCst);
            let _ = wake_tx.try_send(());
            let _ = server.await;
            waited
        });
        let read = reader.join().expect("reading thread does not panic");
        read.and(served)
    })
}
