//! The run pipeline's one owner, on the reading thread: inputs, the framer
//! and scanner, the aggregation (whose subscribers are the Prometheus
//! metrics and the spans), the match output and the checkpoint. Each pass
//! reads what was appended, lets the aggregation count the matches, then
//! publishes the agent's numbers for `/metrics`, the report for `/report`
//! once a second, and the checkpoint on its interval. A reload and
//! shutdown act on it between passes.

use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;

use super::inputs::Inputs;
use super::output::RunOutput;
use super::persist::Backoff;
use super::reload::Reload;
use super::AgentError;
use crate::aggregate::Aggregation;
use crate::checkpoint::{Checkpoint, CheckpointStore};
use crate::config::RunSettings;
use crate::export::otlp::{Otlp, OtlpSettings};
use crate::export::prometheus::{InputReading, MatchMetrics, ReadingStats, SourceMetrics};
use crate::framing::Framer;
use crate::matcher::{Matcher, ScanStats, Scanner};
use crate::report::Report;
use crate::server::Shared;
use crate::sink::Tee;

/// How often `/report` is rebuilt.
const REPORT_INTERVAL: Duration = Duration::from_secs(1);

/// How often an idle agent publishes its numbers, at most.
const IDLE_PUBLISH_INTERVAL: Duration = Duration::from_secs(1);

pub struct Pipeline<'a> {
    pub(super) settings: RunSettings,
    /// The rules, taken anew for each pass (a reload replaces them).
    matcher: Arc<Matcher>,
    pub(super) inputs: Inputs,
    framer: Framer,
    scanner: Scanner,
    pub(super) aggregation: Aggregation,
    pub(super) out: Option<RunOutput>,
    otlp: Option<Otlp>,
    shared: &'a Shared,
    sources: SourceMetrics,
    pub(super) store: Option<CheckpointStore>,
    /// When failed writes of the match output and the checkpoint are
    /// tried again.
    pub(super) out_retry: Backoff,
    pub(super) checkpoint_retry: Backoff,
    /// The last checkpoint written, so an idle agent does not rewrite it.
    pub(super) last_saved: Option<Checkpoint>,
}

impl<'a> Pipeline<'a> {
    /// Sets up the inputs, the aggregation and its exporters, and resumes
    /// from the checkpoint if there is one: restored counters and
    /// incidents are in place before the server answers its first
    /// request.
    pub fn start(
        settings: RunSettings,
        matcher: Matcher,
        shared: &'a Shared,
        wake: SyncSender<()>,
    ) -> Result<Pipeline<'a>, AgentError> {
        let inputs = Inputs::open(&settings, wake);
        let mut aggregation = Aggregation::new(&matcher.rules, settings.aggregate.clone());
        aggregation.redact(&settings.redaction);
        let otlp = match OtlpSettings::from_env(settings.values.otlp_endpoint.clone())? {
            Some(mut otlp_settings) => {
                otlp_settings.spans_per_rule = settings.values.otlp_spans_per_rule;
                otlp_settings.incident_span_interval = settings.incident_span_interval;
                Some(Otlp::start(
                    otlp_settings,
                    shared.prometheus.span_counters(),
                )?)
            }
            None => None,
        };
        let store = match &settings.values.checkpoint_dir {
            Some(dir) => Some(CheckpointStore::new(dir)?),
            None => None,
        };
        let mut pipeline = Pipeline {
            framer: Framer::new(settings.values.max_line_bytes),
            scanner: Scanner::new(settings.values.max_line_bytes),
            sources: SourceMetrics::new(shared.prometheus.clone()),
            matcher: Arc::new(matcher),
            inputs,
            aggregation,
            out: None,
            otlp,
            shared,
            store,
            out_retry: Backoff::default(),
            checkpoint_retry: Backoff::default(),
            last_saved: None,
            settings,
        };
        pipeline.subscribe();
        pipeline.time_scanner();
        let mut resume_out = None;
        let saved = pipeline
            .store
            .as_ref()
            .map(CheckpointStore::load)
            .transpose()?
            .flatten();
        if let Some(Checkpoint::V1 {
            files,
            finished,
            counters,
            matches_out,
        }) = saved
        {
            pipeline
                .aggregation
                .restore(&pipeline.matcher.rules, &counters.clone().aggregate());
            pipeline.inputs.restore(
                files,
                finished,
                &counters.lines_by_input,
                &counters.bytes_by_input,
                &counters.stats_by_input,
                &counters.bytes_abandoned,
            );
            resume_out = matches_out
                .filter(|o| pipeline.settings.values.matches_out.as_ref() == Some(&o.path));
            if let Some(store) = &pipeline.store {
                tracing::info!(path = %store.path().display(), "resuming from the checkpoint");
            }
        }
        if let Some(path) = pipeline.settings.values.matches_out.as_deref() {
            let redactor = pipeline
                .settings
                .redaction
                .for_matches_out()
                .cloned()
                .map(Arc::new);
            pipeline.out = Some(
                RunOutput::open(path, resume_out.map(|o| o.len), redactor).map_err(|source| {
                    AgentError::MatchesOut {
                        path: path.to_string(),
                        source,
                    }
                })?,
            );
        }
        Ok(pipeline)
    }

    /// The aggregation's subscribers for the rules in use: the metrics,
    /// and the spans when OTLP export is on.
    fn subscribe(&mut self) {
        let rules = &self.matcher.rules;
        self.aggregation.unsubscribe_all();
        self.aggregation.subscribe(Box::new(MatchMetrics::new(
            self.shared.prometheus.clone(),
            rules,
        )));
        if let Some(otlp) = &self.otlp {
            let redactor = self.settings.redaction.for_spans().cloned().map(Arc::new);
            self.aggregation
                .subscribe(Box::new(otlp.spans(rules, redactor)));
        }
    }

    /// The rules in use.
    pub(super) fn rules(&self) -> &crate::rules::RuleSet {
        &self.matcher.rules
    }

    fn time_scanner(&mut self) {
        self.scanner.partial_line_flush = self.settings.partial_line_flush;
        self.scanner.multiline_flush = self.settings.multiline_flush;
    }

    /// Reads until `shutdown`, or until stdin ends when it is the only
    /// input; takes reloads between passes.
    pub fn run(
        mut self,
        shutdown: &CancellationToken,
        wake: Receiver<()>,
        reloads: Receiver<Reload>,
    ) -> Result<(), AgentError> {
        // The first checkpoint is written after the first pass, so that a
        // crash at any moment after start-up finds one.
        let mut last_checkpoint: Option<Instant> = None;
        let mut last_report: Option<Instant> = None;
        let mut last_publish: Option<Instant> = None;
        // Often enough to refresh per-file series well within their time
        // to live.
        let idle_publish = self
            .settings
            .aggregate
            .series_ttl
            .map_or(IDLE_PUBLISH_INTERVAL, |ttl| {
                (ttl / 2).min(IDLE_PUBLISH_INTERVAL)
            });
        loop {
            while let Ok(reload) = reloads.try_recv() {
                let applied = self.reload(reload.settings, reload.matcher);
                let _ = reload.reply.send(applied);
            }
            let matcher = self.matcher.clone();
            let (more, active) = self.inputs.read(
                &matcher,
                &mut self.framer,
                &mut self.scanner,
                &self.settings.multiline,
                last_report.is_none(),
                &mut Tee(&mut self.aggregation, &mut self.out),
            );
            self.write_matches(false);
            self.aggregation.tick(self.aggregation.clock_now());
            if active || last_publish.is_none_or(|t| t.elapsed() >= idle_publish) {
                self.publish();
                last_publish = Some(Instant::now());
            }
            if last_report.is_none_or(|t| t.elapsed() >= REPORT_INTERVAL) {
                self.shared.publish_report(self.report_json());
                last_report = Some(Instant::now());
            }
            if shutdown.is_cancelled() || self.inputs.all_ended() {
                return self.stop();
            }
            // Until it is written (records pending, a failed write waiting
            // for its retry), each pass tries again.
            if last_checkpoint.is_none_or(|t| t.elapsed() >= self.settings.checkpoint_interval)
                && self.checkpoint(false)
            {
                last_checkpoint = Some(Instant::now());
            }
            if !more {
                match wake.recv_timeout(self.settings.poll_interval) {
                    Ok(()) | Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) => return self.stop(),
                }
            }
        }
    }

    /// Shutdown: one more pass reads what was written up to the signal,
    /// then what the inputs still hold is read as it is (see
    /// [`Inputs::end`]), the match output and the checkpoint are written,
    /// and the OTLP queue gets at most `shutdown_timeout`.
    fn stop(mut self) -> Result<(), AgentError> {
        let matcher = self.matcher.clone();
        let mut sink = Tee(&mut self.aggregation, &mut self.out);
        self.inputs.read(
            &matcher,
            &mut self.framer,
            &mut self.scanner,
            &self.settings.multiline,
            false,
            &mut sink,
        );
        self.inputs.end(
            &matcher,
            &self.framer,
            &mut self.scanner,
            &self.settings.multiline,
            &mut sink,
        );
        let finished = self.finish();
        if let Some(otlp) = self.otlp.take() {
            otlp.shutdown(self.settings.shutdown_timeout);
        }
        finished
    }

    /// Takes reloaded settings and rules: counters, incidents, windows,
    /// file positions, held records and the OTLP queue carry on.
    fn reload(&mut self, settings: RunSettings, matcher: Matcher) -> Result<(), String> {
        self.shared.prometheus.accepts(&matcher.rules)?;
        let matcher = Arc::new(matcher);
        self.aggregation.retarget(
            &self.matcher.rules,
            &matcher.rules,
            settings.aggregate.clone(),
        );
        self.aggregation.redact(&settings.redaction);
        if let Some(out) = &mut self.out {
            out.set_redactor(settings.redaction.for_matches_out().cloned().map(Arc::new));
        }
        self.inputs.retime(&settings);
        self.inputs.regroup(&settings.multiline);
        self.matcher = matcher;
        self.settings = settings;
        self.time_scanner();
        self.subscribe();
        self.aggregation.announce();
        Ok(())
    }

    /// The agent's own numbers for `/metrics`.
    fn publish(&mut self) {
        let open = self.inputs.open_pods();
        self.aggregation
            .forget_closed_pods(|pod| open.contains(pod));
        let totals = self.inputs.totals();
        let mut errors = ScanStats::default();
        for t in &totals {
            errors.add(&t.stats);
        }
        self.sources.publish(&ReadingStats {
            inputs: totals
                .iter()
                .zip(&self.inputs.read_errors)
                .map(|(t, errors)| InputReading {
                    name: t.name.clone(),
                    lines: t.stats.lines,
                    bytes: t.stats.bytes,
                    errors: *errors,
                })
                .collect(),
            decode_errors: errors.errors,
            unmatched: errors.unmatched,
            bytes_abandoned: self.inputs.tailer.bytes_abandoned(),
            files: self
                .inputs
                .tailer
                .files()
                .map(|f| (f.path.display().to_string(), f.bytes_behind))
                .collect(),
            busy: self.scanner.busy,
            write_errors: [self.checkpoint_retry.failures, self.out_retry.failures],
            inputs_open: self.inputs.open_count(),
            match_records_dropped: self.out.as_ref().map_or(0, RunOutput::dropped_total),
        });
    }

    /// The report of everything read since the first start, with open
    /// incidents, the inputs open and their problems.
    fn report_json(&mut self) -> String {
        let mut report = Report::build(
            &self.matcher.rules,
            &self.aggregation,
            &self.inputs.totals(),
        );
        report.add_incidents(&self.matcher.rules, &self.aggregation);
        report.inputs_open = Some(self.inputs.open_count());
        report.input_problems = Some(self.inputs.problems());
        serde_json::to_string_pretty(&report).unwrap_or_else(|_| "{}".into())
    }
}
