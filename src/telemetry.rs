//! The agent's own logs, through `tracing`: JSON lines on stderr in `run`
//! mode when stderr is not a terminal (what a container runtime collects),
//! human lines otherwise. Messages carry fields (`path`, `error`,
//! `operation`) rather than prose. A failure that keeps happening is
//! logged once, then at a growing interval with the count in between
//! ([`Throttle`]); the metrics count every occurrence.
//!
//! The agent's own records are never matched (see
//! [`crate::decode::Record::is_own_log`]): a node agent tails its own
//! container's log, and matching it could feed itself.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::time::{Duration, Instant};

use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// The `target` of every record the agent logs: `tailwatch` and its
/// modules.
pub const OWN_TARGET: &str = "tailwatch";

/// How the agent's log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Json,
    Human,
}

impl LogFormat {
    /// JSON for `run` when stderr is not a terminal; human otherwise.
    pub fn for_agent() -> LogFormat {
        if std::io::stderr().is_terminal() {
            LogFormat::Human
        } else {
            LogFormat::Json
        }
    }
}

/// Installs the subscriber. `level` is `--log-level` (a level or a
/// `RUST_LOG`-style filter); without it `RUST_LOG`, else `default`.
pub fn init(format: LogFormat, level: Option<&str>, default: &str) -> Result<(), String> {
    let spec = level
        .map(str::to_string)
        .or_else(|| std::env::var("RUST_LOG").ok().filter(|v| !v.is_empty()))
        .unwrap_or_else(|| default.to_string());
    // Directives as `RUST_LOG` writes them (`warn,tailwatch::agent=debug`),
    // without `EnvFilter`'s span and field matching: that would pull in
    // regex engine features that change how every rule regex is built.
    let filter: Targets = spec
        .parse()
        .map_err(|e| format!("log level `{spec}` is not a level or filter: {e}"))?;
    let json = (format == LogFormat::Json).then(|| {
        tracing_subscriber::fmt::layer()
            .with_writer(std::io::stderr)
            .json()
    });
    let human = (format == LogFormat::Human).then(|| {
        tracing_subscriber::fmt::layer()
            .with_writer(std::io::stderr)
            .with_ansi(std::io::stderr().is_terminal())
    });
    // A subscriber already installed (tests) stays.
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(json)
        .with(human)
        .try_init();
    Ok(())
}

/// The first interval after which a repeated failure is logged again.
const FIRST_REPEAT: Duration = Duration::from_secs(60);
/// The longest interval between two lines about one failure.
const MAX_REPEAT: Duration = Duration::from_secs(3600);
/// Failures remembered at most; the longest quiet is forgotten first.
const MAX_KEYS: usize = 1024;

/// When a failure that keeps happening is logged again: at once the first
/// time, then after 1 minute, 2, 4, ... up to an hour, each time with how
/// often it happened in between. A failure quiet for an hour starts over.
#[derive(Debug, Default)]
pub struct Throttle {
    failures: HashMap<String, Repeat>,
}

#[derive(Debug)]
struct Repeat {
    next: Instant,
    interval: Duration,
    /// Occurrences since the last line.
    unlogged: u64,
    last: Instant,
}

impl Throttle {
    /// Notes an occurrence of the failure `key` at `now`. `Some(n)` when it
    /// should be logged now, `n` being the occurrences not logged since
    /// the last line.
    pub fn note(&mut self, key: &str, now: Instant) -> Option<u64> {
        if let Some(r) = self.failures.get_mut(key) {
            if now.saturating_duration_since(r.last) < MAX_REPEAT {
                r.last = now;
                if now < r.next {
                    r.unlogged += 1;
                    return None;
                }
                let unlogged = std::mem::take(&mut r.unlogged);
                r.interval = (r.interval * 2).min(MAX_REPEAT);
                r.next = now + r.interval;
                return Some(unlogged);
            }
        }
        if self.failures.len() >= MAX_KEYS && !self.failures.contains_key(key) {
            if let Some(oldest) = self
                .failures
                .iter()
                .min_by_key(|(_, r)| r.last)
                .map(|(k, _)| k.clone())
            {
                self.failures.remove(&oldest);
            }
        }
        self.failures.insert(
            key.to_string(),
            Repeat {
                next: now + FIRST_REPEAT,
                interval: FIRST_REPEAT,
                unlogged: 0,
                last: now,
            },
        );
        Some(0)
    }

    /// Forgets `key`: it stopped failing.
    pub fn clear(&mut self, key: &str) {
        self.failures.remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_failure_is_logged_at_a_growing_interval_with_its_count() {
        let mut t = Throttle::default();
        let t0 = Instant::now();
        let at = |s: u64| t0 + Duration::from_secs(s);
        assert_eq!(t.note("f", at(0)), Some(0));
        // Every 1.5 s for a minute: counted, not logged.
        let logged = (1..40)
            .filter(|i| t.note("f", t0 + Duration::from_millis(1500 * i)).is_some())
            .count();
        assert_eq!(logged, 0);
        assert_eq!(t.note("f", at(61)), Some(39));
        assert_eq!(t.note("f", at(100)), None, "the next interval is 2 minutes");
        assert_eq!(t.note("f", at(182)), Some(1));
        // An hour and more of an occurrence a second: a few lines.
        let lines = (183..4000)
            .filter(|s| t.note("f", at(*s)).is_some())
            .count();
        assert!(lines <= 6, "{lines}");
        // Another failure is its own.
        assert_eq!(t.note("g", at(4000)), Some(0));
        t.clear("f");
        assert_eq!(t.note("f", at(4001)), Some(0));
    }
}
