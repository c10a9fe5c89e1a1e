//! The aggregation as its subscribers and reports see it: events, restored
//! state, caps and expiry, windows, and the two clocks.

use std::sync::{Arc, Mutex};

use super::*;
use crate::matcher::{Matcher, Scanner, SourceScan};

const RULES: &str = r#"
rules:
  - name: lag
    category: projection_lag
    severity: info
    description: d
    action: a
    match:
      regex: 'projection lag'
    extract:
      - field: lag_seconds
        metric: projection_lag_seconds
        labels: {projection: projection_name}
    escalate:
      - when: lag_seconds > 300
        severity: warning
      - when: lag_seconds > 1800
        severity: critical
  - name: deadlock
    category: deadlock
    severity: error
    description: d
    action: a
    match:
      regex: 'deadlock detected'
"#;

const S: i64 = 1_000_000;

fn matcher() -> Matcher {
    Matcher::new(RuleSet::from_texts(&[("t.yaml", RULES)]).unwrap())
}

fn lag(name: &str, secs: u32) -> String {
    format!(
        r#"{{"msg":"projection lag","projection_name":{},"lag_seconds":{secs}}}"#,
        serde_json::to_string(name).unwrap()
    )
}

/// What a subscriber heard, in words.
#[derive(Clone, Default)]
struct Heard(Arc<Mutex<Vec<String>>>);

impl Subscriber for Heard {
    fn on_event(&mut self, event: &Event<'_>) {
        let text = match event {
            Event::Matched { rule, severity, .. } => format!("matched {rule} {severity}"),
            Event::Extracted { labels, value, .. } => format!("extracted {labels:?} {value}"),
            Event::SeriesDropped { .. } => "dropped".into(),
            Event::Incident {
                rule,
                change,
                incident,
                state,
            } => format!(
                "{} {rule} {} state {:?}",
                change.as_str(),
                incident.severity,
                state
            ),
            Event::Restored { matches, state, .. } => format!("restored {matches:?} {state:?}"),
        };
        self.0.lock().unwrap().push(text);
    }
}

impl Heard {
    fn take(&self) -> Vec<String> {
        std::mem::take(&mut self.0.lock().unwrap())
    }
}

/// Scans `line` and records its matches at time `now`.
fn feed(m: &Matcher, agg: &mut Aggregation, line: &str, now: i64) {
    let mut scanner = Scanner::new(usize::MAX);
    let mut source = SourceScan::new(None);
    scanner.scan_block(m, &mut source, line.as_bytes(), 0, &mut |hit: &Match<
        '_,
    >| {
        agg.record(hit, now)
    });
}

fn settings() -> AggregateSettings {
    AggregateSettings {
        max_series: 2,
        series_ttl: Some(Duration::from_secs(60)),
        incident_quiet: Duration::from_secs(300),
        clock: Clock::Wall,
    }
}

#[test]
fn incidents_open_escalate_and_close_after_the_quiet_period() {
    let m = matcher();
    let mut agg = Aggregation::new(&m.rules, settings());
    let heard = Heard::default();
    agg.subscribe(Box::new(heard.clone()));
    let t0 = 1_795_334_400 * S;

    feed(&m, &mut agg, &lag("p", 10), t0);
    assert_eq!(
        heard.take(),
        [
            "matched 0 info",
            "extracted [\"p\"] 10",
            "opened 0 info state Some(Info)"
        ]
    );
    feed(&m, &mut agg, &lag("p", 400), t0 + S);
    assert_eq!(heard.take()[2], "escalated 0 warning state Some(Warning)");
    feed(&m, &mut agg, "deadlock detected", t0 + 2 * S);
    assert_eq!(heard.take()[1], "opened 1 error state Some(Error)");
    feed(&m, &mut agg, &lag("p", 60), t0 + 3 * S);
    assert_eq!(heard.take().len(), 2, "no change to the open incident");
    assert_eq!(agg.incident(0).unwrap().matches, 3);
    assert_eq!(agg.incident(0).unwrap().severity, Severity::Warning);

    // Quiet for less than the quiet period: nothing closes.
    agg.tick(t0 + 300 * S);
    assert!(heard.take().is_empty());
    // The lag incident's last match was at t0 + 3 s; the deadlock's at 2 s.
    agg.tick(t0 + 302 * S);
    assert_eq!(heard.take(), ["closed 1 error state Some(Warning)"]);
    agg.tick(t0 + 303 * S);
    assert_eq!(heard.take(), ["closed 0 warning state None"]);
    assert_eq!(agg.state(), None);
    // Counts stay when incidents close.
    assert_eq!(agg.rule(0).count, 3);
    assert_eq!(agg.worst(), Some(Severity::Error));
}

#[test]
fn checkpointed_counts_and_incidents_come_back_by_rule_name() {
    let m = matcher();
    let mut agg = Aggregation::new(&m.rules, settings());
    let t0 = 1_795_334_400 * S;
    feed(&m, &mut agg, &lag("p", 2000), t0);
    feed(&m, &mut agg, "deadlock detected", t0);
    feed(&m, &mut agg, "deadlock detected", t0 + S);
    let saved = agg.checkpoint(&m.rules);

    // The rules are loaded in another order after the restart.
    let reordered = RULES.replace("  - name: lag", "  - name: lag_moved_below");
    let rules = RuleSet::from_texts(&[("t.yaml", &reordered)]).unwrap();
    let mut restored = Aggregation::new(&rules, settings());
    let heard = Heard::default();
    restored.subscribe(Box::new(heard.clone()));
    restored.restore(&rules, &saved);
    assert_eq!(
        heard.take(),
        ["restored [[0, 0, 0, 0], [0, 0, 2, 0]] Some(Error)"],
        "the renamed rule's counts are left out; the deadlock incident is open again"
    );
    assert_eq!(restored.rule(1).count, 2);
    let incident = restored.incident(1).unwrap();
    assert_eq!((incident.matches, incident.last_match), (2, t0 + S));
    // The quiet period runs on from the last match before the restart.
    restored.tick(t0 + S + 300 * S);
    assert_eq!(heard.take(), ["closed 1 error state None"]);
}

#[test]
fn extracted_label_sets_are_capped_and_expire() {
    let m = matcher();
    let mut agg = Aggregation::new(&m.rules, settings());
    let heard = Heard::default();
    agg.subscribe(Box::new(heard.clone()));
    let t0 = 1_795_334_400 * S;
    for (i, name) in ["a,b", "c\"d", "e\nf", "ünï"].iter().enumerate() {
        feed(&m, &mut agg, &lag(name, 5), t0 + i as i64 * S);
    }
    let series = &agg.metric(0).series;
    assert_eq!(series.len(), 3, "two label sets and `other`");
    assert!(series.contains_key(&vec!["a,b".to_string()]));
    assert!(series.contains_key(&vec!["c\"d".to_string()]));
    assert_eq!(series[&vec![OTHER.to_string()]].count, 2);
    assert_eq!(agg.metric(0).folded, 2);
    let heard = heard.take();
    assert_eq!(heard.iter().filter(|e| *e == "dropped").count(), 2);
    assert!(heard.contains(&"extracted [\"other\"] 5".to_string()));

    agg.tick(t0 + 62 * S);
    let left: Vec<_> = agg.metric(0).series.keys().cloned().collect();
    assert_eq!(
        left,
        [vec![OTHER.to_string()]],
        "only `other` was updated lately"
    );
}

#[test]
fn windows_count_the_last_minutes_on_the_aggregation_clock() {
    let m = matcher();
    let mut agg = Aggregation::new(&m.rules, settings());
    let t0 = 1_795_334_400 * S;
    feed(&m, &mut agg, "deadlock detected", t0);
    feed(&m, &mut agg, "deadlock detected", t0 + 10 * 60 * S);
    feed(&m, &mut agg, "deadlock detected", t0 + 14 * 60 * S);
    agg.tick(t0 + 14 * 60 * S + 30 * S);
    assert_eq!(
        agg.windows(1),
        WindowCounts {
            one_minute: 1,
            five_minutes: 2,
            fifteen_minutes: 3
        }
    );
    agg.tick(t0 + 60 * 60 * S);
    assert_eq!(agg.windows(1), WindowCounts::default());
    assert_eq!(agg.rule(1).count, 3);
}

#[test]
fn the_log_clock_follows_record_timestamps() {
    let m = matcher();
    let mut agg = Aggregation::new(
        &m.rules,
        AggregateSettings {
            clock: Clock::Log,
            ..settings()
        },
    );
    let mut scanner = Scanner::new(usize::MAX);
    let mut source = SourceScan::new(None);
    let lines = concat!(
        r#"{"time":"2026-11-22T08:00:00Z","msg":"deadlock detected"}"#,
        "\n",
        r#"{"time":"2026-11-22T09:00:00Z","msg":"deadlock detected"}"#,
        "\n",
        // No timestamp of its own: the latest seen stands in.
        r#"{"msg":"deadlock detected"}"#,
        "\n",
    );
    scanner.scan_block(&m, &mut source, lines.as_bytes(), 0, &mut agg);
    assert_eq!(
        agg.windows(1).fifteen_minutes,
        2,
        "the 08:00 match is an hour old"
    );
    assert_eq!(
        agg.incident(1).unwrap().matches,
        2,
        "a new incident opened at 09:00"
    );
}
