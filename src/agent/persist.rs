//! What the agent writes besides metrics: the match records of each pass
//! and the checkpoint. A failed write is logged with its operation and
//! path, counted, and tried again with backoff; the agent never stops for
//! one. No checkpoint is written while match records wait to be written, as
//! it would claim them written.

use std::time::{Duration, Instant};

use super::reader::Reader;
use super::AgentError;
use crate::checkpoint::{Checkpoint, CheckpointError, CounterState, OutputCheckpoint};
use crate::matcher::Matcher;

impl Reader<'_> {
    /// Writes the records of the pass to the match output, unless a failed
    /// write is waiting for its retry (`force` tries anyway). Returns true
    /// when nothing is left pending.
    pub(super) fn write_matches(&mut self, force: bool) -> bool {
        let Some(out) = self.out.as_mut() else {
            return true;
        };
        let dropped = out.take_dropped();
        if dropped > 0 {
            eprintln!(
                "tailwatch: warning: {dropped} match records dropped: {} bytes wait to be written to {}",
                out.pending(),
                out.name()
            );
        }
        if out.pending() == 0 || !(force || self.out_retry.due()) {
            return out.pending() == 0;
        }
        match out.write_out() {
            Ok(()) => self.out_retry.succeeded(),
            Err(e) => {
                let wait = self.out_retry.failed();
                eprintln!(
                    "tailwatch: error: writing match output {}: {e}; {} bytes kept, trying again in {wait:?}",
                    out.name(),
                    out.pending()
                );
            }
        }
        out.pending() == 0
    }

    /// Writes the checkpoint unless a failed write is waiting for its
    /// retry (`force` tries anyway), or match records are still pending
    /// (the checkpoint would say they were written). Returns true when the
    /// checkpoint on disk is current.
    pub(super) fn checkpoint(&mut self, matcher: &Matcher, force: bool) -> bool {
        if self.out.as_ref().is_some_and(|o| o.pending() > 0)
            || !(force || self.checkpoint_retry.due())
        {
            return false;
        }
        match self.save_checkpoint(matcher) {
            Ok(()) => {
                self.checkpoint_retry.succeeded();
                true
            }
            Err(e) => {
                let wait = self.checkpoint_retry.failed();
                eprintln!("tailwatch: error: {e}; trying again in {wait:?}");
                false
            }
        }
    }

    /// At shutdown: the last records and the last checkpoint, tried a few
    /// times. If they cannot be written, the previous checkpoint stands: a
    /// restart reads from there again, and counters stay exact.
    pub(super) fn finish(&mut self, matcher: &Matcher) -> Result<(), AgentError> {
        for attempt in 0..FINAL_ATTEMPTS {
            if attempt > 0 {
                std::thread::sleep(Duration::from_millis(200));
            }
            if self.write_matches(true) && (self.store.is_none() || self.checkpoint(matcher, true))
            {
                return Ok(());
            }
        }
        Err(AgentError::FinalWrite)
    }

    /// Writes the checkpoint, unless nothing changed since the last one.
    pub(super) fn save_checkpoint(&mut self, matcher: &Matcher) -> Result<(), CheckpointError> {
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
        let totals = self.input_totals();
        let files = self.settings.file_inputs.len();
        let aggregate = self.aggregation.checkpoint(&matcher.rules);
        let checkpoint = Checkpoint::V1 {
            files: self.tailer.file_checkpoints(),
            finished: Some(self.tailer.finished_checkpoints()),
            matches_out: self.out.as_ref().and_then(|o| {
                Some(OutputCheckpoint {
                    path: self.settings.matches_out.clone()?,
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
                bytes_abandoned: self.tailer.bytes_abandoned(),
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
        self.wait = (self.wait * 2).clamp(Duration::from_millis(100), Duration::from_secs(30));
        self.next = Some(Instant::now() + self.wait);
        self.wait
    }

    pub(super) fn succeeded(&mut self) {
        self.wait = Duration::ZERO;
        self.next = None;
    }
}
