//! What the agent writes besides metrics: the match records of each pass
//! and the checkpoint. A failed write is logged with its operation and
//! path, counted, and tried again with backoff; the agent never stops for
//! one. No checkpoint is written while match records wait to be written, as
//! it would claim them written.

use std::time::{Duration, Instant};

use super::pipeline::Pipeline;
use super::AgentError;
use crate::checkpoint::{Checkpoint, CheckpointError, CounterState, OutputCheckpoint};

impl Pipeline<'_> {
    /// Writes the records of the pass to the match output, unless a failed
    /// write is waiting for its retry (`force` tries anyway). Returns true
    /// when nothing is left pending.
    pub(super) fn write_matches(&mut self, force: bool) -> bool {
        let Some(out) = self.out.as_mut() else {
            return true;
        };
        let dropped = out.take_dropped();
        if dropped > 0 {
            tracing::warn!(
                records = dropped,
                pending_bytes = out.pending(),
                output = %out.name(),
                "match records dropped: the match output's backlog is full"
            );
        }
        if out.pending() == 0 || !(force || self.out_retry.due()) {
            return out.pending() == 0;
        }
        match out.write_out() {
            Ok(()) => self.out_retry.succeeded(),
            Err(e) => {
                let wait = self.out_retry.failed();
                if self.out_retry.logs() {
                    tracing::error!(
                        operation = "writing match output",
                        output = %out.name(),
                        error = %e,
                        pending_bytes = out.pending(),
                        retry_in = ?wait,
                        failures = self.out_retry.failures,
                        "cannot write the match output; records are kept and tried again"
                    );
                }
            }
        }
        out.pending() == 0
    }

    /// Writes the checkpoint unless a failed write is waiting for its
    /// retry (`force` tries anyway), or match records are still pending
    /// (the checkpoint would say they were written). Returns true when the
    /// checkpoint on disk is current.
    pub(super) fn checkpoint(&mut self, force: bool) -> bool {
        if self.out.as_ref().is_some_and(|o| o.pending() > 0)
            || !(force || self.checkpoint_retry.due())
        {
            return false;
        }
        match self.save_checkpoint() {
            Ok(()) => {
                self.checkpoint_retry.succeeded();
                true
            }
            Err(e) => {
                let wait = self.checkpoint_retry.failed();
                if self.checkpoint_retry.logs() {
                    tracing::error!(
                        error = %e,
                        retry_in = ?wait,
                        failures = self.checkpoint_retry.failures,
                        "cannot write the checkpoint; trying again"
                    );
                }
                false
            }
        }
    }

    /// At shutdown: the last records and the last checkpoint, tried a few
    /// times. If they cannot be written, the previous checkpoint stands: a
    /// restart reads from there again, and counters stay exact.
    pub(super) fn finish(&mut self) -> Result<(), AgentError> {
        for attempt in 0..FINAL_ATTEMPTS {
            if attempt > 0 {
                std::thread::sleep(Duration::from_millis(200));
            }
            if self.write_matches(true) && (self.store.is_none() || self.checkpoint(true)) {
                return Ok(());
            }
        }
        Err(AgentError::FinalWrite)
    }

    /// Writes the checkpoint, unless nothing changed since the last one.
    pub(super) fn save_checkpoint(&mut self) -> Result<(), CheckpointError> {
        let Some(store) = &self.store else {
            return Ok(());
        };
        // The length the checkpoint records must survive a power loss as
        // the checkpoint does.
        if let Some(out) = self.out.as_mut() {
            out.sync().map_err(|source| CheckpointError::Write {
                op: "syncing match output",
                path: out.name().into(),
                source,
            })?;
        }
        let totals = self.inputs.totals_to_resume();
        let files = self.settings.file_inputs.len();
        let aggregate = self.aggregation.checkpoint(self.rules());
        let checkpoint = Checkpoint::V1 {
            files: self.inputs.tailer.file_checkpoints(),
            finished: Some(self.inputs.tailer.finished_checkpoints()),
            matches_out: self.out.as_ref().and_then(|o| {
                Some(OutputCheckpoint {
                    path: self.settings.values.matches_out.clone()?,
                    len: o.checkpoint_len()?,
                })
            }),
            counters: CounterState {
                matches: aggregate.matches,
                matches_in_pods: aggregate.matches_in_pods,
                pod_matches: aggregate.pod_matches,
                incidents: aggregate.incidents,
                lines_by_input: totals[..files]
                    .iter()
                    .map(|t| (t.name.clone(), t.stats.lines))
                    .collect(),
                bytes_by_input: totals[..files]
                    .iter()
                    .map(|t| (t.name.clone(), t.stats.bytes))
                    .collect(),
                bytes_abandoned: self.inputs.tailer.bytes_abandoned(),
                stats_by_input: totals[..files]
                    .iter()
                    .map(|t| (t.name.clone(), t.stats.clone()))
                    .collect(),
                seen: aggregate.seen,
                span: aggregate.span,
            },
        };
        if self.last_saved.as_ref() != Some(&checkpoint) {
            store.save(&checkpoint)?;
            self.last_saved = Some(checkpoint);
        }
        Ok(())
    }
}

/// Tries of the last writes at shutdown.
const FINAL_ATTEMPTS: u32 = 5;

/// When a write that failed is tried again: after 100 ms, doubling up to
/// 30 s, so that a full disk neither stops the agent nor floods its log.
#[derive(Debug, Default)]
pub(super) struct Backoff {
    pub(super) failures: u64,
    /// Failures since the last success.
    run: u64,
    wait: Duration,
    next: Option<Instant>,
}

impl Backoff {
    pub(super) fn due(&self) -> bool {
        self.next.is_none_or(|t| Instant::now() >= t)
    }

    /// Counts a failure; returns the wait before the next try.
    pub(super) fn failed(&mut self) -> Duration {
        self.failures += 1;
        self.run += 1;
        self.wait = (self.wait * 2).clamp(Duration::from_millis(100), Duration::from_secs(30));
        self.next = Some(Instant::now() + self.wait);
        self.wait
    }

    pub(super) fn succeeded(&mut self) {
        self.wait = Duration::ZERO;
        self.next = None;
        self.run = 0;
    }

    /// Whether the failure just counted is logged: the first of a run of
    /// failures, then every tenth (the retry interval grows to 30 s, so a
    /// failure that lasts logs a line every few minutes). The counter
    /// counts every one.
    pub(super) fn logs(&self) -> bool {
        self.run % 10 == 1
    }
}
