//! Aggregation: the one state per process that matches are counted into —
//! per rule and severity, first and last seen, the latest sample, a
//! timeline, sliding windows, incidents, and the values rules extract. It
//! says what changed as [`Event`]s to its subscribers (the Prometheus
//! exporter, later stages), which are never called from the read loop.
//!
//! Memory is bounded whatever the input: timelines coarsen, windows are
//! rings, extracted label sets are capped per metric and expire.

pub mod diagnose;
mod incident;
mod pods;
mod series;
mod timeline;
mod window;

pub use incident::{Incident, IncidentChange, IncidentCheckpoint};
pub use pods::{PodCount, PodCounts, PodRuleCount};
pub use series::{MetricSeries, ValueStats, OTHER};
pub use timeline::Timeline;
pub use window::{WindowCounts, Windows};

use std::time::{Duration, SystemTime};

use std::borrow::Cow;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::decode::{self, exception};
use crate::mine::{Miner, MinerSettings};
use crate::pod::{PodLabels, PodSource};
use crate::redact::{self, Redaction, Redactor};
use crate::rules::diagnosis::Diagnosis;
use crate::rules::{MetricId, RuleId, RuleSet, Severity};
use crate::sink::{Match, MatchSink, Source, Unmatched};
use diagnose::{DiagnosisState, Finding, KeyCounts};

/// The longest sample message kept, in bytes.
const SAMPLE_BYTES: usize = 2048;

/// A pod's match series stay this long after its last match even when
/// none of its files is open, so that a scrape sees the last count.
pub const POD_GRACE: Duration = Duration::from_secs(300);

/// Incidents are checked for quiet at most this often as matches come
/// (on the aggregation's clock); [`Aggregation::tick`] checks at once.
const TICK_US: i64 = 1_000_000;

/// Bounds and timings of the aggregation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AggregateSettings {
    /// Label sets per extracted metric; more fold into `other`.
    pub max_series: usize,
    /// An extracted series not updated for this long is forgotten; `None`
    /// keeps every one (up to the cap) for a one-shot report.
    pub series_ttl: Option<Duration>,
    /// An incident closes after this long without a match.
    pub incident_quiet: Duration,
    pub clock: Clock,
}

impl Default for AggregateSettings {
    fn default() -> Self {
        AggregateSettings {
            max_series: 1000,
            series_ttl: Some(Duration::from_secs(600)),
            incident_quiet: Duration::from_secs(300),
            clock: Clock::Wall,
        }
    }
}

/// What "now" is for windows, incidents and expiry.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Clock {
    /// The wall clock when a match is recorded: the sidecar and anything
    /// watching a live stream.
    Wall,
    /// The log's own timestamps (a record without one takes the latest
    /// seen): one-shot scans of what was written earlier.
    Log,
}

/// Unix microseconds now.
pub fn wall_now() -> i64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as i64)
}

/// What subscribers hear.
#[derive(Debug)]
pub enum Event<'a> {
    /// A rule matched (`m.severity` is the severity the match reached),
    /// at `at` on the aggregation's clock, in the log `source`.
    Matched {
        m: &'a Match<'a>,
        at: i64,
        source: Source<'a>,
        /// For a match in a pod's log: that pod's count.
        pod: Option<PodMatch<'a>>,
    },
    /// A value was extracted into `metric` under `labels` (label values in
    /// the order of the metric's label names; `other` past the cap).
    Extracted {
        metric: MetricId,
        labels: &'a [String],
        value: f64,
    },
    /// An update was folded into `other` by the cap.
    SeriesDropped { metric: MetricId },
    /// A diagnosis began or stopped to hold (see `rules::diagnosis`).
    Diagnosis {
        /// Its index in the rule set's diagnoses, and its name.
        diagnosis: usize,
        name: &'a str,
        active: bool,
        /// The incidents it rests on (the last ones, when it stopped).
        finding: Option<diagnose::Finding>,
    },
    /// An incident opened, escalated or closed; `state` is the worst
    /// severity among the incidents open after the change.
    Incident {
        rule: RuleId,
        change: IncidentChange,
        incident: &'a Incident,
        state: Option<Severity>,
    },
    /// Counts and open incidents were set from a checkpoint: subscribers
    /// take them as they are (not as new matches).
    Restored {
        /// Per rule, by severity: every match, and those in pods' logs.
        matches: &'a [[u64; 4]],
        in_pods: &'a [[u64; 4]],
        pods: &'a PodCounts,
        incidents: &'a [Option<Incident>],
        state: Option<Severity>,
    },
    /// These pods' series were forgotten: none of their files is open
    /// any more.
    PodsForgotten {
        series: &'a [(Arc<PodLabels>, RuleId)],
    },
}

/// A match in a pod's log, as counted per pod.
#[derive(Debug, Clone, Copy)]
pub struct PodMatch<'a> {
    /// The pod's labels, or `other`'s when the cap folded it.
    pub labels: &'a Arc<PodLabels>,
    /// The pod's matches of the rule at this severity, this one included.
    pub count: u64,
    pub folded: bool,
}

/// A listener to aggregation events. Runs on the reading thread: anything
/// slow belongs behind a bounded queue of its own.
pub trait Subscriber: Send {
    fn on_event(&mut self, event: &Event<'_>);
}

/// Everything known about one rule's matches.
#[derive(Debug, Clone, Default)]
pub struct RuleStats {
    pub count: u64,
    pub by_severity: [u64; 4],
    /// Of `by_severity`, the matches in pods' logs (counted per pod too).
    pub in_pods: [u64; 4],
    pub worst: Option<Severity>,
    /// Of `count`, the records no rule matched, counted by resemblance.
    pub resembled: u64,
    /// The log's own timestamps of the first and last match.
    pub first_seen: Option<i64>,
    pub last_seen: Option<i64>,
    /// The latest matched text as read; see [`Aggregation::sample`].
    sample: String,
    pub timeline: Timeline,
    /// Matches in the last 1, 5 and 15 minutes; allocated on a first match.
    windows: Option<Box<Windows>>,
}

/// A rule's count at one severity, as the checkpoint keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleCount {
    pub rule: String,
    pub severity: Severity,
    pub count: u64,
}

/// What of the aggregation survives a restart.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AggregateCheckpoint {
    pub matches: Vec<RuleCount>,
    /// Of `matches`, those in pods' logs.
    pub matches_in_pods: Vec<RuleCount>,
    /// The pods' own counts.
    pub pod_matches: Vec<PodRuleCount>,
    pub incidents: Vec<IncidentCheckpoint>,
    pub seen: Vec<RuleSeen>,
    pub span: Option<(i64, i64)>,
}

/// What a report shows of a rule beyond its counts, as the checkpoint
/// keeps it: first and last seen, the sample, the timeline's buckets and
/// the windows' ring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSeen {
    pub rule: String,
    pub first_seen_us: Option<i64>,
    pub last_seen_us: Option<i64>,
    pub sample: String,
    /// Matches counted by resemblance.
    #[serde(default)]
    pub resembled: u64,
    pub timeline_width_us: i64,
    /// (bucket start, matches).
    pub timeline: Vec<(i64, u64)>,
    /// The windows' newest 5-second bucket and the ring, oldest first.
    pub windows: Option<(i64, Vec<u32>)>,
}

pub struct Aggregation {
    settings: AggregateSettings,
    rules: Vec<RuleStats>,
    metrics: Vec<MetricSeries>,
    incidents: Vec<Option<Incident>>,
    pods: PodCounts,
    /// The log the matches now coming are in, and its pod.
    source: String,
    pod: Option<PodSource>,
    /// Earliest and latest log timestamps seen (matched or not).
    pub span: Option<(i64, i64)>,
    /// The latest time on the aggregation's clock (µs).
    now: i64,
    last_tick: i64,
    subscribers: Vec<Box<dyn Subscriber>>,
    /// Redacts samples when reports show them, and extracted label values
    /// (for metrics and reports) as they are kept.
    redact_samples: Option<Arc<Redactor>>,
    redact_labels: Option<Arc<Redactor>>,
    /// Templates of the records at WARN or worse that no rule matched.
    miner: Miner,
    /// The rule set's diagnoses, and what each holds now and held.
    diagnoses: Arc<Vec<Diagnosis>>,
    diagnosed: Vec<DiagnosisState>,
    /// Per diagnosis with a hot key: the keys of its symptom's matches.
    hot_keys: Vec<KeyCounts>,
}

impl std::fmt::Debug for Aggregation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Aggregation")
            .field("settings", &self.settings)
            .field("rules", &self.rules.len())
            .field("now", &self.now)
            .finish()
    }
}

impl Aggregation {
    pub fn new(rules: &RuleSet, settings: AggregateSettings) -> Aggregation {
        Aggregation {
            settings,
            rules: vec![RuleStats::default(); rules.rules.len()],
            metrics: vec![MetricSeries::default(); rules.metrics.len()],
            incidents: vec![None; rules.rules.len()],
            pods: PodCounts::default(),
            source: String::new(),
            pod: None,
            span: None,
            now: 0,
            last_tick: 0,
            subscribers: Vec::new(),
            redact_samples: None,
            redact_labels: None,
            miner: Miner::new(MinerSettings::default()),
            diagnoses: Arc::new(rules.diagnoses.clone()),
            diagnosed: vec![DiagnosisState::default(); rules.diagnoses.len()],
            hot_keys: vec![KeyCounts::default(); rules.diagnoses.len()],
        }
    }

    /// Redacts what the reports show (samples) and what label values
    /// carry, as `redaction` says.
    pub fn redact(&mut self, redaction: &Redaction) {
        self.redact_samples = redaction.for_reports().cloned().map(Arc::new);
        self.redact_labels = redaction.for_metrics().cloned().map(Arc::new);
    }

    /// The templates of unmatched trouble so far.
    pub fn miner(&self) -> &Miner {
        &self.miner
    }

    /// Adds a listener; it hears every event from now on.
    pub fn subscribe(&mut self, subscriber: Box<dyn Subscriber>) {
        self.subscribers.push(subscriber);
    }

    fn emit(&mut self, event: &Event<'_>) {
        for s in &mut self.subscribers {
            s.on_event(event);
        }
    }

    /// Widens the log's time span to include `t`.
    pub fn observe_time(&mut self, t: i64) {
        self.span = Some(match self.span {
            None => (t, t),
            Some((a, b)) => (a.min(t), b.max(t)),
        });
    }

    pub fn rule(&self, id: RuleId) -> &RuleStats {
        &self.rules[id]
    }

    /// The latest message a rule matched, as reports may show it.
    pub fn sample(&self, id: RuleId) -> Cow<'_, str> {
        redact::apply(self.redact_samples.as_deref(), &self.rules[id].sample)
    }

    pub fn metric(&self, id: MetricId) -> &MetricSeries {
        &self.metrics[id]
    }

    pub fn incident(&self, id: RuleId) -> Option<&Incident> {
        self.incidents[id].as_ref()
    }

    /// The worst severity any match reached.
    pub fn worst(&self) -> Option<Severity> {
        self.rules.iter().filter_map(|r| r.worst).max()
    }

    /// The worst severity among open incidents.
    pub fn state(&self) -> Option<Severity> {
        self.incidents.iter().flatten().map(|i| i.severity).max()
    }

    /// A rule's matches in the windows that end now.
    pub fn windows(&self, id: RuleId) -> WindowCounts {
        self.rules[id]
            .windows
            .as_ref()
            .map_or_else(WindowCounts::default, |w| w.counts(self.now))
    }

    /// Counts one match at `now` (µs on the aggregation's clock).
    pub fn record(&mut self, m: &Match<'_>, now: i64) {
        self.now = self.now.max(now);
        if let Some(t) = m.record.timestamp {
            self.observe_time(t);
        }
        let s = &mut self.rules[m.rule_id];
        s.count += 1;
        s.resembled += u64::from(m.resembled.is_some());
        s.by_severity[m.severity as usize] += 1;
        s.worst = s.worst.max(Some(m.severity));
        if let Some(t) = m.record.timestamp {
            s.first_seen = Some(s.first_seen.map_or(t, |f| f.min(t)));
            s.last_seen = Some(s.last_seen.map_or(t, |l| l.max(t)));
            s.timeline.add(t);
        }
        s.windows
            .get_or_insert_with(|| Box::new(Windows::new(now)))
            .add(now);
        s.sample.clear();
        let text = m.record.field(m.field);
        // Kept as read; redacted when a report shows it (at most once a
        // second), not on every match. A traceback shows its exception.
        let text = exception::headline(text.as_deref().unwrap_or(""));
        let mut end = text.len().min(SAMPLE_BYTES);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        s.sample.push_str(&text[..end]);
        let in_pod = self.pod.as_ref().map(|pod| {
            s.in_pods[m.severity as usize] += 1;
            self.pods.record(
                &pod.labels,
                m.rule_id,
                m.severity,
                now,
                self.settings.max_series,
            )
        });
        let event = Event::Matched {
            m,
            at: now,
            source: Source {
                name: &self.source,
                pod: self.pod.as_ref(),
            },
            pod: in_pod.as_ref().map(|(labels, count, folded)| PodMatch {
                labels,
                count: *count,
                folded: *folded,
            }),
        };
        for s in &mut self.subscribers {
            s.on_event(&event);
        }

        for (spec, value) in m.rule.extract.iter().zip(m.values) {
            let (Some(v), Some(metric)) = (*value, spec.metric_id) else {
                continue;
            };
            let mut values = m.label_values(spec);
            if let Some(r) = &self.redact_labels {
                for v in &mut values {
                    if let Cow::Owned(redacted) = r.redact(v) {
                        *v = redacted;
                    }
                }
            }
            let (labels, folded) =
                self.metrics[metric].record(values, v, now, self.settings.max_series);
            if folded {
                self.emit(&Event::SeriesDropped { metric });
            }
            self.emit(&Event::Extracted {
                metric,
                labels: &labels,
                value: v,
            });
        }

        // A match after the quiet period belongs to a new incident, even if
        // no tick has closed the old one yet.
        let quiet = self.settings.incident_quiet.as_micros() as i64;
        if self.incidents[m.rule_id].is_some_and(|i| i.is_quiet(now, quiet)) {
            self.close_incident(m.rule_id);
        }
        if let Some(change) = Incident::on_match(&mut self.incidents[m.rule_id], m.severity, now) {
            let incident = self.incidents[m.rule_id].expect("an incident that changed is open");
            let state = self.state();
            self.emit(&Event::Incident {
                rule: m.rule_id,
                change,
                incident: &incident,
                state,
            });
            if change == IncidentChange::Opened {
                self.rediagnose(now);
            }
        }
        // The keys of a hot-key diagnosis's symptom: counted per match of
        // the symptom (matches are few; lines cost nothing here).
        let mut keyed = false;
        for (i, d) in self.diagnoses.iter().enumerate() {
            let Some(hot) = &d.hot_key else { continue };
            if !d.symptom.rules.contains(&m.rule_id) {
                continue;
            }
            let text = m.record.field(m.field).unwrap_or_default();
            if let Some(key) = hot.of(m.record, &text) {
                self.hot_keys[i].add(key);
                keyed = true;
            }
        }
        if keyed {
            self.rediagnose(now);
        }
        if now - self.last_tick >= TICK_US {
            self.tick(now);
        }
    }

    fn close_incident(&mut self, rule: RuleId) {
        if let Some(incident) = self.incidents[rule].take() {
            let state = self.state();
            self.emit(&Event::Incident {
                rule,
                change: IncidentChange::Closed,
                incident: &incident,
                state,
            });
            self.rediagnose(incident.last_match);
        }
    }

    /// Re-evaluates every diagnosis on the open incidents (an incident
    /// opened or closed at `now`), and tells subscribers of each that
    /// began or stopped to hold.
    fn rediagnose(&mut self, now: i64) {
        for i in 0..self.diagnoses.len() {
            let finding = self.finding(i);
            let state = &mut self.diagnosed[i];
            let was = state.active.is_some();
            if let Some(f) = finding {
                state.first_at.get_or_insert(now);
                state.last = Some(f);
                if !was {
                    state.times += 1;
                }
            }
            if finding.is_some() || was {
                state.last_at = Some(now);
            }
            state.active = finding;
            if was != finding.is_some() {
                let diagnoses = self.diagnoses.clone();
                let last = self.diagnosed[i].last;
                self.emit(&Event::Diagnosis {
                    diagnosis: i,
                    name: &diagnoses[i].name,
                    active: finding.is_some(),
                    finding: finding.or(last),
                });
            }
        }
    }

    /// The incidents diagnosis `i` rests on now, if it holds; for a
    /// hot-key diagnosis also its dominant key (kept in its state), and
    /// its keys forgotten once no symptom incident is open.
    fn finding(&mut self, i: usize) -> Option<Finding> {
        let d = &self.diagnoses[i];
        let Some(hot) = &d.hot_key else {
            let metrics = &self.metrics;
            let above = |metric: usize, threshold: f64| {
                metrics
                    .get(metric)
                    .is_some_and(|m| m.series.values().any(|v| v.last > threshold))
            };
            return diagnose::support(d, &self.incidents, above);
        };
        if !d
            .symptom
            .rules
            .iter()
            .any(|&r| self.incidents.get(r).is_some_and(Option::is_some))
        {
            self.hot_keys[i].clear();
        }
        let (finding, value) = diagnose::hot_support(d, hot, &self.incidents, &self.hot_keys[i])?;
        self.diagnosed[i].hot = Some(value);
        Some(finding)
    }

    /// The rule set's diagnoses and what each holds now and held.
    pub fn diagnoses(&self) -> impl Iterator<Item = (&Diagnosis, &DiagnosisState)> {
        self.diagnoses.iter().zip(&self.diagnosed)
    }

    /// Closes every open incident (the input ended), so that subscribers
    /// hear each one close.
    pub fn close_incidents(&mut self) {
        for rule in 0..self.incidents.len() {
            self.close_incident(rule);
        }
    }

    /// Now on the aggregation's clock: the wall clock's, or the latest
    /// time the log has given.
    pub fn clock_now(&self) -> i64 {
        match self.settings.clock {
            Clock::Wall => wall_now(),
            Clock::Log => self.now,
        }
    }

    /// Moves the clock to `now`: closes incidents quiet for the quiet
    /// period, and forgets extracted series past their time to live.
    pub fn tick(&mut self, now: i64) {
        self.now = self.now.max(now);
        self.last_tick = self.now;
        let quiet = self.settings.incident_quiet.as_micros() as i64;
        for rule in 0..self.incidents.len() {
            if self.incidents[rule].is_some_and(|i| i.is_quiet(self.now, quiet)) {
                self.close_incident(rule);
            }
        }
        if let Some(ttl) = self.settings.series_ttl {
            let now = self.now;
            for m in &mut self.metrics {
                m.expire(now, ttl.as_micros() as i64);
            }
        }
    }

    /// Forgets the per-pod counts of pods for which `open` is false (none
    /// of their files is open) that have not matched for [`POD_GRACE`].
    pub fn forget_closed_pods(&mut self, open: impl Fn(&PodLabels) -> bool) {
        let gone = self
            .pods
            .forget_closed(open, self.now, POD_GRACE.as_micros() as i64);
        if !gone.is_empty() {
            self.emit(&Event::PodsForgotten { series: &gone });
        }
    }

    pub fn pods(&self) -> &PodCounts {
        &self.pods
    }

    /// Counts and open incidents for the checkpoint.
    pub fn checkpoint(&self, rules: &RuleSet) -> AggregateCheckpoint {
        let counts = |of: fn(&RuleStats) -> &[u64; 4]| {
            let mut list = Vec::new();
            for (rule, stats) in rules.rules.iter().zip(&self.rules) {
                for sev in Severity::ALL {
                    let count = of(stats)[sev as usize];
                    if count > 0 {
                        list.push(RuleCount {
                            rule: rule.name.clone(),
                            severity: sev,
                            count,
                        });
                    }
                }
            }
            list
        };
        let mut pod_matches: Vec<PodRuleCount> = self
            .pods
            .iter()
            .flat_map(|(pod, rule, count)| {
                Severity::ALL
                    .into_iter()
                    .filter(|&sev| count.by_severity[sev as usize] > 0)
                    .map(move |sev| PodRuleCount {
                        pod: (**pod).clone(),
                        rule: rules.rules[rule].name.clone(),
                        severity: sev,
                        count: count.by_severity[sev as usize],
                    })
            })
            .collect();
        // In a stable order, so that an unchanged state is an unchanged
        // checkpoint.
        pod_matches
            .sort_by(|a, b| (&a.pod, &a.rule, a.severity).cmp(&(&b.pod, &b.rule, b.severity)));
        let incidents = rules
            .rules
            .iter()
            .zip(&self.incidents)
            .filter_map(|(rule, i)| {
                let i = i.as_ref()?;
                Some(IncidentCheckpoint {
                    rule: rule.name.clone(),
                    severity: i.severity,
                    matches: i.matches,
                    opened_us: i.opened,
                    last_match_us: i.last_match,
                })
            })
            .collect();
        let seen = rules
            .rules
            .iter()
            .zip(&self.rules)
            .filter(|(_, s)| s.count > 0)
            .map(|(rule, s)| RuleSeen {
                rule: rule.name.clone(),
                first_seen_us: s.first_seen,
                last_seen_us: s.last_seen,
                sample: s.sample.clone(),
                resembled: s.resembled,
                timeline_width_us: s.timeline.width_us,
                timeline: s.timeline.counts.iter().map(|(k, v)| (*k, *v)).collect(),
                windows: s.windows.as_ref().map(|w| w.ring()),
            })
            .collect();
        AggregateCheckpoint {
            matches: counts(|s| &s.by_severity),
            matches_in_pods: counts(|s| &s.in_pods),
            pod_matches,
            incidents,
            seen,
            span: self.span,
        }
    }

    /// Takes counts and open incidents from a checkpoint, by rule name
    /// (rules no longer loaded are left out), and tells subscribers.
    pub fn restore(&mut self, rules: &RuleSet, checkpoint: &AggregateCheckpoint) {
        let id = |name: &str| rules.rules.iter().position(|r| r.name == name);
        for c in &checkpoint.matches {
            let Some(id) = id(&c.rule) else { continue };
            let stats = &mut self.rules[id];
            stats.by_severity[c.severity as usize] = c.count;
            stats.count = stats.by_severity.iter().sum();
            if c.count > 0 {
                stats.worst = stats.worst.max(Some(c.severity));
            }
        }
        for c in &checkpoint.matches_in_pods {
            let Some(id) = id(&c.rule) else { continue };
            self.rules[id].in_pods[c.severity as usize] = c.count;
        }
        // A restored pod's grace period starts now.
        let now = self.clock_now();
        for c in &checkpoint.pod_matches {
            let Some(id) = id(&c.rule) else { continue };
            self.pods
                .restore(c.pod.clone(), id, c.severity, c.count, now);
        }
        for c in &checkpoint.seen {
            let Some(id) = id(&c.rule) else { continue };
            let s = &mut self.rules[id];
            s.first_seen = c.first_seen_us;
            s.last_seen = c.last_seen_us;
            s.sample = c.sample.clone();
            s.resembled = c.resembled;
            s.timeline = Timeline {
                width_us: c.timeline_width_us.max(1),
                counts: c.timeline.iter().copied().collect(),
            };
            s.windows = c
                .windows
                .as_ref()
                .map(|(head, ring)| Box::new(Windows::from_ring(*head, ring)));
        }
        if let Some((a, b)) = checkpoint.span {
            self.observe_time(a);
            self.observe_time(b);
        }
        for c in &checkpoint.incidents {
            let Some(id) = id(&c.rule) else { continue };
            self.incidents[id] = Some(Incident {
                opened: c.opened_us,
                last_match: c.last_match_us,
                severity: c.severity,
                matches: c.matches,
            });
        }
        self.announce();
    }

    /// Tells subscribers the whole state as it is now, as
    /// [`Event::Restored`]: after a restore, and to the subscribers of a
    /// new rule set.
    pub fn announce(&mut self) {
        let matches: Vec<[u64; 4]> = self.rules.iter().map(|r| r.by_severity).collect();
        let in_pods: Vec<[u64; 4]> = self.rules.iter().map(|r| r.in_pods).collect();
        let incidents = self.incidents.clone();
        let state = self.state();
        let pods = std::mem::take(&mut self.pods);
        self.emit(&Event::Restored {
            matches: &matches,
            in_pods: &in_pods,
            pods: &pods,
            incidents: &incidents,
            state,
        });
        self.pods = pods;
        // The diagnoses the incidents carried over support, told afresh;
        // one that holds began to when its symptom's incident opened.
        for i in 0..self.diagnoses.len() {
            let finding = self.finding(i);
            let state = &mut self.diagnosed[i];
            if let Some(f) = finding {
                if state.active.is_none() {
                    state.times += 1;
                }
                state.first_at.get_or_insert(f.symptom_opened);
                state.last_at = Some(
                    state
                        .last_at
                        .map_or(f.symptom_opened, |t| t.max(f.symptom_opened)),
                );
                state.last = Some(f);
            }
            state.active = finding;
            let diagnoses = self.diagnoses.clone();
            self.emit(&Event::Diagnosis {
                diagnosis: i,
                name: &diagnoses[i].name,
                active: finding.is_some(),
                finding,
            });
        }
    }

    /// Drops every subscriber (their rules are being replaced).
    pub fn unsubscribe_all(&mut self) {
        self.subscribers.clear();
    }

    /// Takes a new rule set and settings (a reload). What a rule that
    /// stays (by name) has counted stays with it, as do the series of a
    /// metric that stays declared alike; what removed rules counted goes.
    /// Subscribers are left to the caller, who replaces them.
    pub fn retarget(&mut self, old: &RuleSet, new: &RuleSet, settings: AggregateSettings) {
        let position = |name: &str| old.rules.iter().position(|r| r.name == name);
        let mut rules = vec![RuleStats::default(); new.rules.len()];
        let mut incidents = vec![None; new.rules.len()];
        let mut moved = vec![None; old.rules.len()];
        for (i, rule) in new.rules.iter().enumerate() {
            if let Some(j) = position(&rule.name) {
                rules[i] = std::mem::take(&mut self.rules[j]);
                incidents[i] = self.incidents[j].take();
                moved[j] = Some(i);
            }
        }
        let mut metrics = vec![MetricSeries::default(); new.metrics.len()];
        for (i, decl) in new.metrics.iter().enumerate() {
            if let Some(j) = old.metrics.iter().position(|m| m == decl) {
                metrics[i] = std::mem::take(&mut self.metrics[j]);
            }
        }
        self.pods.retarget(|rule| moved[rule]);
        // What went unmatched may be matched by the new rules.
        self.miner = Miner::new(MinerSettings::default());
        // Diagnoses are judged afresh on the incidents carried over.
        self.diagnoses = Arc::new(new.diagnoses.clone());
        self.diagnosed = vec![DiagnosisState::default(); new.diagnoses.len()];
        self.hot_keys = vec![KeyCounts::default(); new.diagnoses.len()];
        self.rules = rules;
        self.incidents = incidents;
        self.metrics = metrics;
        self.settings = settings;
    }
}

/// The aggregation as a match sink, on its own clock.
impl MatchSink for Aggregation {
    fn matched(&mut self, m: &Match<'_>) {
        let now = match self.settings.clock {
            Clock::Wall => wall_now(),
            Clock::Log => m
                .record
                .timestamp
                .or(self.span.map(|(_, last)| last))
                .unwrap_or(self.now),
        };
        self.record(m, now);
    }

    fn unmatched(&mut self, u: &Unmatched<'_>) {
        let at = match self.settings.clock {
            Clock::Wall => Some(wall_now()),
            Clock::Log => u.record.timestamp,
        };
        // What the record says: its message, else its error (a pino or
        // zap record may carry only `err`), else the whole line.
        let message = [&u.record.message, &u.record.error]
            .into_iter()
            .flatten()
            .find(|m| !m.trim().is_empty())
            .map_or(&*u.record.line, String::as_str);
        let redactor = self.redact_samples.as_deref();
        self.miner
            .add(&exception::headline(message), u.level, at, || {
                // The line as read, less its terminal colour codes: a
                // suggested rule's examples are its samples.
                let line = decode::without_escapes(String::from_utf8_lossy(u.raw));
                redact::apply(redactor, &line).into_owned()
            });
    }

    fn source(&mut self, source: &Source<'_>) {
        if self.source != source.name {
            self.source.clear();
            self.source.push_str(source.name);
        }
        if self.pod.as_ref() != source.pod {
            self.pod = source.pod.cloned();
        }
    }
}

#[cfg(test)]
mod tests;
