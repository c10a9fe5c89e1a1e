//! Spans from the aggregation's events ([`Spans`], a subscriber on the
//! reading thread): matches with trace context and incidents, as plain
//! owned records the export thread turns into OTLP.
//!
//! Work on the reading thread is bounded per match: parse two hex ids,
//! hash the record's identity, copy a few strings (redacted, truncated),
//! and `try_send` into the bounded queue. Nothing here waits.

use crate::aggregate::{Event, Incident, IncidentChange, Subscriber};
use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::decode::exception;
use crate::decode::time::format_rfc3339;
use crate::pod::PodSource;
use crate::redact::{self, Redactor};
use crate::rules::{RuleId, RuleSet, Severity};
use crate::sink::{Match, Source};

use super::{DropReason, SpanQueue};

/// The longest message or error text put on a span, in bytes.
pub const MAX_TEXT_BYTES: usize = 1024;

/// The longest `exception.stacktrace`, in bytes.
const MAX_TRACE_BYTES: usize = 8 * 1024;

/// Links an incident span keeps to the traces of its matches.
pub const MAX_LINKS: usize = 32;

pub type TraceId = [u8; 16];
pub type SpanId = [u8; 8];

/// An attribute value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Str(String),
    Int(i64),
    Float(f64),
}

/// One span, ready to export. Times are Unix microseconds.
#[derive(Debug, Clone, PartialEq)]
pub struct SpanRecord {
    pub trace_id: TraceId,
    pub span_id: SpanId,
    pub parent: Option<SpanId>,
    pub name: String,
    pub start_us: i64,
    pub end_us: i64,
    pub attributes: Vec<(&'static str, Value)>,
    pub links: Vec<(TraceId, SpanId)>,
    /// Error status, with this description.
    pub error: Option<String>,
    /// The application's service name from the record, if it said one.
    pub service: Option<String>,
    /// The pod whose log the record is in, for the resource's Kubernetes
    /// attributes (files in a kubelet pod log directory).
    pub pod: Option<PodSource>,
}

/// Span ids and trace ids derived from identities: the same record, rule
/// or incident always gives the same id, so a record replayed after a
/// crash re-sends its span instead of adding a second one.
///
/// FNV-1a, written out here because the ids must not change with a
/// hashing crate's version or seed (std's `DefaultHasher` promises
/// neither); they need spread, not resistance to attack.
pub fn derive_id<const N: usize>(parts: &[&[u8]]) -> [u8; N] {
    let mut out = [0u8; N];
    for (round, chunk) in out.chunks_mut(8).enumerate() {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ round as u64;
        for part in parts {
            for &b in part.iter().chain(&(part.len() as u64).to_le_bytes()) {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
        }
        // Final avalanche (from MurmurHash3's fmix64), so that records one
        // byte apart get unrelated ids.
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        chunk.copy_from_slice(&h.to_be_bytes()[..chunk.len()]);
    }
    if out.iter().all(|&b| b == 0) {
        // All-zero ids are invalid in OTLP.
        out[N - 1] = 1;
    }
    out
}

/// Lowercase hex of exactly `N` bytes (`0`-`9`, `a`-`f`, either case), not
/// all zero.
pub fn parse_hex<const N: usize>(text: &str) -> Option<[u8; N]> {
    let text = text.as_bytes();
    if text.len() != 2 * N {
        return None;
    }
    let nibble = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut out = [0u8; N];
    for (i, pair) in text.chunks(2).enumerate() {
        out[i] = nibble(pair[0])? << 4 | nibble(pair[1])?;
    }
    out.iter().any(|&b| b != 0).then_some(out)
}

/// `text` cut to at most `max` bytes at a character boundary, with `…`
/// appended when cut.
pub fn truncate(text: &str, max: usize) -> String {
    let head = cut(text, max);
    if head.len() == text.len() {
        text.to_string()
    } else {
        format!("{head}…")
    }
}

/// The longest prefix of `text` of at most `max` bytes that ends at a
/// character boundary.
fn cut(text: &str, max: usize) -> &str {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// A token bucket per rule: `rate` spans a second, bursts up to `rate`.
#[derive(Debug)]
struct RateLimit {
    rate: f64,
    tokens: Vec<f64>,
    last: Vec<Instant>,
}

impl RateLimit {
    fn new(rules: usize, rate: u32) -> RateLimit {
        let now = Instant::now();
        RateLimit {
            rate: f64::from(rate),
            tokens: vec![f64::from(rate); rules],
            last: vec![now; rules],
        }
    }

    fn allow(&mut self, rule: RuleId, now: Instant) -> bool {
        let elapsed = now.saturating_duration_since(self.last[rule]).as_secs_f64();
        self.last[rule] = now;
        let t = &mut self.tokens[rule];
        *t = (*t + elapsed * self.rate).min(self.rate.max(1.0));
        if *t >= 1.0 {
            *t -= 1.0;
            true
        } else {
            false
        }
    }
}

/// The traces an open incident's matches were in, for its span's links,
/// and its latest message.
#[derive(Debug, Default, Clone)]
struct IncidentTraces {
    links: VecDeque<(TraceId, SpanId)>,
    sample: String,
}

/// A rule as its spans name it.
struct RuleNames {
    name: String,
    category: String,
    action: String,
    description: String,
    /// The duration extract's index, if the rule has one.
    duration: Option<usize>,
}

/// The aggregation's events as spans, queued for export.
///
/// - A match whose record carries trace context becomes a span in that
///   trace, a child of the record's span.
/// - An incident becomes a root span from its first to its last match,
///   linked to the traces of up to `MAX_LINKS` of its matches, sent when
///   it closes and every `interval` while it stays open (with the same
///   ids, each time covering more). Its ids are derived from the rule and
///   the time it opened.
pub struct Spans {
    queue: SpanQueue,
    limit: RateLimit,
    redactor: Option<Arc<Redactor>>,
    rules: Vec<RuleNames>,
    /// Per rule: the traces of its recent matches.
    traces: Vec<IncidentTraces>,
    /// Per rule: the open incident as the events told it, and when its
    /// span was last sent (aggregation clock, µs).
    open: Vec<Option<(Incident, i64)>>,
    /// Per rule: the diagnoses that hold with its incident as their cause
    /// or symptom; a symptom's carries the link to the cause's span.
    diagnosed: Vec<Vec<DiagnosisMark>>,
    interval_us: i64,
}

/// A diagnosis an incident takes part in.
#[derive(Debug, Clone)]
struct DiagnosisMark {
    name: String,
    role: &'static str,
    /// For the symptom: the cause's incident span.
    cause: Option<(TraceId, SpanId)>,
}

impl Spans {
    pub fn new(
        rules: &RuleSet,
        queue: SpanQueue,
        rate_per_rule: u32,
        incident_interval: Duration,
        redactor: Option<Arc<Redactor>>,
    ) -> Spans {
        let n = rules.rules.len();
        Spans {
            queue,
            limit: RateLimit::new(n, rate_per_rule),
            redactor,
            rules: rules
                .rules
                .iter()
                .map(|r| RuleNames {
                    name: r.name.clone(),
                    category: r.category.clone(),
                    action: r.action.clone(),
                    description: r.description.clone(),
                    duration: r.span_duration,
                })
                .collect(),
            traces: vec![IncidentTraces::default(); n],
            open: vec![None; n],
            diagnosed: vec![Vec::new(); n],
            interval_us: incident_interval.as_micros() as i64,
        }
    }

    fn text(&self, text: &str) -> String {
        truncate(
            &redact::apply(self.redactor.as_deref(), text),
            MAX_TEXT_BYTES,
        )
    }

    /// A match: its span, if its record carries trace context, and its
    /// trace for the incident's links.
    fn matched(&mut self, m: &Match<'_>, source: &Source<'_>) {
        let record = m.record;
        let message = record.message.as_deref().unwrap_or(&record.line);
        let context = record
            .trace_id
            .as_deref()
            .and_then(parse_hex::<16>)
            .zip(record.span_id.as_deref().and_then(parse_hex::<8>));
        let traces = &mut self.traces[m.rule_id];
        // Kept as read; redacted only if an incident span carries it.
        traces.sample.clear();
        traces.sample.push_str(cut(message, MAX_TEXT_BYTES));
        let Some((trace_id, parent)) = context else {
            return;
        };
        let span_id = derive_id::<8>(&[m.raw, &m.offset.to_le_bytes(), m.rule.name.as_bytes()]);
        if traces.links.len() == MAX_LINKS {
            traces.links.pop_front();
        }
        traces.links.push_back((trace_id, span_id));
        if !self.limit.allow(m.rule_id, Instant::now()) {
            self.queue.counters.dropped(DropReason::RateLimited, 1);
            return;
        }
        let sample = self.text(message);
        let at = record.timestamp.unwrap_or_else(crate::aggregate::wall_now);
        // A duration in seconds (the extract's base unit for time).
        let duration_us = self.rules[m.rule_id]
            .duration
            .and_then(|i| m.values.get(i).copied().flatten())
            .filter(|d| d.is_finite() && *d > 0.0)
            .map(|d| (d * 1e6) as i64);
        let mut attributes = vec![
            ("tailwatch.rule", Value::Str(m.rule.name.clone())),
            ("tailwatch.category", Value::Str(m.rule.category.clone())),
            ("tailwatch.severity", Value::Str(m.severity.as_str().into())),
            ("tailwatch.action", Value::Str(m.rule.action.clone())),
            ("log.message", Value::Str(sample)),
            ("log.source", Value::Str(source.name.to_string())),
            ("log.offset", Value::Int(m.offset as i64)),
        ];
        if let Some(error) = &record.error {
            // OpenTelemetry's exception conventions: the words of what was
            // thrown, and the trace, cut in its middle when long.
            let headline = exception::headline(error);
            attributes.push(("exception.message", Value::Str(self.text(&headline))));
            if headline.len() != error.len() {
                let trace = redact::apply(self.redactor.as_deref(), error);
                attributes.push((
                    "exception.stacktrace",
                    Value::Str(exception::cut_middle(&trace, MAX_TRACE_BYTES).into_owned()),
                ));
            }
        }
        if let Some(ts) = record.timestamp {
            attributes.push(("log.time", Value::Str(format_rfc3339(ts))));
        }
        if let Some(d) = duration_us {
            attributes.push(("tailwatch.duration_ms", Value::Int(d / 1000)));
        }
        if let Some(p) = m.resembled {
            attributes.push(("tailwatch.resembled", Value::Float(f64::from(p))));
        }
        let service = record
            .json
            .as_ref()
            .and_then(|j| service_name(j))
            .map(str::to_string);
        self.queue.send(SpanRecord {
            trace_id,
            span_id,
            parent: Some(parent),
            name: format!("tailwatch {}", m.rule.name),
            start_us: at - duration_us.unwrap_or(0),
            end_us: at,
            attributes,
            links: Vec::new(),
            error: (m.severity >= Severity::Error)
                .then(|| self.rules[m.rule_id].description.clone()),
            service,
            pod: source.pod.cloned(),
        });
    }

    fn incident_span(&mut self, rule: RuleId, incident: &Incident, closed: bool) -> SpanRecord {
        let traces = if closed {
            std::mem::take(&mut self.traces[rule])
        } else {
            self.traces[rule].clone()
        };
        let RuleNames {
            name,
            category,
            action,
            ..
        } = &self.rules[rule];
        let (trace_id, span_id) = incident_span_id(name, incident.opened);
        let marks = &self.diagnosed[rule];
        let mut diagnosis_attributes = Vec::new();
        if !marks.is_empty() {
            let join =
                |f: fn(&DiagnosisMark) -> &str| marks.iter().map(f).collect::<Vec<_>>().join(",");
            diagnosis_attributes.push(("tailwatch.diagnosis", Value::Str(join(|m| &m.name))));
            diagnosis_attributes.push(("tailwatch.diagnosis.role", Value::Str(join(|m| m.role))));
        }
        let cause_links: Vec<(TraceId, SpanId)> = marks.iter().filter_map(|m| m.cause).collect();
        SpanRecord {
            trace_id,
            span_id,
            parent: None,
            name: format!("tailwatch incident {name}"),
            start_us: incident.opened,
            end_us: incident.last_match.max(incident.opened),
            attributes: vec![
                ("tailwatch.rule", Value::Str(name.clone())),
                ("tailwatch.category", Value::Str(category.clone())),
                (
                    "tailwatch.severity",
                    Value::Str(incident.severity.as_str().into()),
                ),
                ("tailwatch.action", Value::Str(action.clone())),
                (
                    "tailwatch.incident.matches",
                    Value::Int(incident.matches as i64),
                ),
                ("tailwatch.incident.open", Value::Str((!closed).to_string())),
                (
                    "log.message",
                    Value::Str(
                        redact::apply(self.redactor.as_deref(), &traces.sample).into_owned(),
                    ),
                ),
            ]
            .into_iter()
            .chain(diagnosis_attributes)
            .collect(),
            links: cause_links.into_iter().chain(traces.links).collect(),
            error: (incident.severity >= Severity::Error)
                .then(|| format!("{} matches of {name}", incident.matches)),
            service: None,
            pod: None,
        }
    }
}

impl Subscriber for Spans {
    fn on_event(&mut self, event: &Event<'_>) {
        match event {
            Event::Matched { m, at, source, .. } => {
                self.matched(m, source);
                // The incident's own event follows a match that changes
                // it; a match that does not is counted here.
                let rule = m.rule_id;
                let Some((open, sent)) = &mut self.open[rule] else {
                    return;
                };
                open.matches += 1;
                open.last_match = open.last_match.max(*at);
                if *at - *sent >= self.interval_us {
                    *sent = *at;
                    let open = *open;
                    let span = self.incident_span(rule, &open, false);
                    self.queue.send(span);
                }
            }
            Event::Incident {
                rule,
                change: IncidentChange::Closed,
                incident,
                ..
            } => {
                self.open[*rule] = None;
                let span = self.incident_span(*rule, incident, true);
                self.diagnosed[*rule].clear();
                self.queue.send(span);
            }
            Event::Incident {
                rule,
                change: IncidentChange::Opened,
                incident,
                ..
            } => self.open[*rule] = Some((**incident, incident.opened)),
            Event::Incident { rule, incident, .. } => {
                if let Some((open, _)) = &mut self.open[*rule] {
                    *open = **incident;
                }
            }
            // An incident that took part in a diagnosis says so in its
            // spans until it closes, even after the diagnosis stops to
            // hold (the other side closed first).
            Event::Diagnosis {
                name,
                active: true,
                finding: Some(f),
                ..
            } => {
                for marks in &mut self.diagnosed {
                    marks.retain(|m| m.name != *name);
                }
                // A hot-key diagnosis rests on the symptom alone.
                let linked = f.cause != f.symptom;
                if linked {
                    self.diagnosed[f.cause].push(DiagnosisMark {
                        name: name.to_string(),
                        role: "cause",
                        cause: None,
                    });
                }
                {
                    let cause =
                        linked.then(|| incident_span_id(&self.rules[f.cause].name, f.cause_opened));
                    self.diagnosed[f.symptom].push(DiagnosisMark {
                        name: name.to_string(),
                        role: "symptom",
                        cause,
                    });
                }
            }
            // Incidents restored from a checkpoint are refreshed as before
            // the restart: their last span went out at their last match
            // at the latest.
            Event::Restored { incidents, .. } => {
                for (slot, incident) in self.open.iter_mut().zip(incidents.iter()) {
                    *slot = incident.map(|i| (i, i.last_match));
                }
            }
            _ => {}
        }
    }
}

/// The trace and span ids of the incident span of rule `name` opened at
/// `opened`: derived, so that a restart and a diagnosis find the same.
fn incident_span_id(name: &str, opened: i64) -> (TraceId, SpanId) {
    let trace_id = derive_id::<16>(&[name.as_bytes(), &opened.to_le_bytes()]);
    (trace_id, derive_id::<8>(&[&trace_id, b"incident"]))
}

/// The service a JSON record says it comes from, in the spellings of the
/// usual formats.
fn service_name(json: &serde_json::Map<String, serde_json::Value>) -> Option<&str> {
    let get = |k: &str| json.get(k).and_then(|v| v.as_str());
    get("service.name")
        .or_else(|| get("service"))
        .or_else(|| get("serviceName"))
        .or_else(|| get("service_name"))
        .or_else(|| get("app"))
        .or_else(|| {
            json.get("service")
                .and_then(|s| s.get("name"))
                .and_then(|v| v.as_str())
        })
}

/// The interval after which an open incident's span is sent again.
pub const DEFAULT_INCIDENT_SPAN_INTERVAL: Duration = Duration::from_secs(60);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::otlp::SpanCounters;

    #[test]
    fn ids_depend_on_every_part_and_nothing_else() {
        let a = derive_id::<8>(&[b"line", b"\x00\x01", b"rule"]);
        assert_eq!(a, derive_id::<8>(&[b"line", b"\x00\x01", b"rule"]));
        assert_ne!(a, derive_id::<8>(&[b"line", b"\x00\x02", b"rule"]));
        assert_ne!(a, derive_id::<8>(&[b"lin", b"e\x00\x01", b"rule"]));
        let t = derive_id::<16>(&[b"x"]);
        assert_ne!(t[..8], t[8..]);
    }

    #[test]
    fn trace_context_is_hex_of_the_right_length() {
        assert_eq!(
            parse_hex::<8>("00f067aa0ba902b7"),
            Some([0, 0xf0, 0x67, 0xaa, 0x0b, 0xa9, 0x02, 0xb7])
        );
        assert!(parse_hex::<8>("00F067AA0BA902B7").is_some());
        assert_eq!(parse_hex::<8>("00f067aa0ba902b"), None);
        assert_eq!(parse_hex::<8>("00f067aa0ba902bz"), None);
        assert_eq!(parse_hex::<8>("0000000000000000"), None);
    }

    #[test]
    fn the_rate_limit_allows_a_burst_then_the_rate() {
        let mut limit = RateLimit::new(1, 100);
        let t0 = Instant::now();
        assert_eq!((0..150).filter(|_| limit.allow(0, t0)).count(), 100);
        let t1 = t0 + Duration::from_millis(500);
        assert_eq!((0..150).filter(|_| limit.allow(0, t1)).count(), 50);
    }

    #[test]
    fn an_open_incident_is_sent_every_interval_and_once_more_when_it_closes() {
        let (rules, _) = RuleSet::load(true, &[]).unwrap();
        let (tx, mut rx) = tokio::sync::mpsc::channel(16);
        let mut spans = Spans::new(
            &rules,
            SpanQueue::new(tx, SpanCounters::counting()),
            100,
            Duration::from_secs(10),
            None,
        );
        let rule = 0;
        let s = |secs: i64| secs * 1_000_000;
        let mut incident = Incident {
            opened: s(100),
            last_match: s(100),
            severity: Severity::Error,
            matches: 1,
        };
        // A match without trace context: no span of its own.
        let record = crate::decode::decode(b"trouble", crate::decode::Envelope::Raw, None);
        let field = crate::decode::FieldRef::Message;
        let m = Match {
            rule_id: rule,
            rule: &rules.rules[rule],
            severity: Severity::Error,
            record: &record,
            offset: 0,
            raw: b"trouble",
            field: &field,
            span: (0, 7),
            values: &[],
            resembled: None,
        };
        let matched = |spans: &mut Spans, at| {
            spans.on_event(&Event::Matched {
                m: &m,
                at,
                source: Source::named("app.log"),
                pod: None,
            })
        };
        matched(&mut spans, s(100));
        let changed = |change, incident: &Incident| {
            let incident = *incident;
            move |spans: &mut Spans| {
                spans.on_event(&Event::Incident {
                    rule,
                    change,
                    incident: &incident,
                    state: Some(Severity::Error),
                })
            }
        };
        changed(IncidentChange::Opened, &incident)(&mut spans);
        matched(&mut spans, s(105));
        assert!(rx.try_recv().is_err(), "not before the interval");
        matched(&mut spans, s(111));
        let ongoing = rx.try_recv().expect("a span after the interval");
        assert_eq!((ongoing.start_us, ongoing.end_us), (s(100), s(111)));
        assert!(ongoing
            .attributes
            .contains(&("tailwatch.incident.matches", Value::Int(3))));
        assert!(ongoing.parent.is_none());
        incident.matches = 3;
        incident.last_match = s(111);
        changed(IncidentChange::Closed, &incident)(&mut spans);
        let closed = rx.try_recv().expect("a span when it closes");
        assert_eq!(closed.span_id, ongoing.span_id);
        assert_eq!(closed.trace_id, ongoing.trace_id);
        assert!(closed
            .attributes
            .contains(&("tailwatch.incident.open", Value::Str("false".into()))));
        assert!(closed
            .attributes
            .contains(&("log.message", Value::Str("trouble".into()))));
    }

    #[test]
    fn long_text_is_cut_at_a_character() {
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate("aé", 2), "a…");
    }
}
