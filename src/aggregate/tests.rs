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
            Event::Matched { m, pod: None, .. } => {
                format!("matched {} {}", m.rule_id, m.severity)
            }
            Event::Matched {
                m, pod: Some(pod), ..
            } => format!(
                "matched {} {} in {}/{}/{}: {}{}",
                m.rule_id,
                m.severity,
                pod.labels.namespace,
                pod.labels.pod,
                pod.labels.container,
                pod.count,
                if pod.folded { " folded" } else { "" }
            ),
            Event::PodsForgotten { series } => format!(
                "forgot {:?}",
                series
                    .iter()
                    .map(|(p, rule)| format!("{}/{rule}", p.pod))
                    .collect::<Vec<_>>()
            ),
            Event::Extracted { labels, value, .. } => format!("extracted {labels:?} {value}"),
            Event::SeriesDropped { .. } => "dropped".into(),
            Event::Diagnosis {
                diagnosis, active, ..
            } => format!("diagnosis {diagnosis} {active}"),
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
            Event::Restored {
                matches,
                in_pods,
                pods,
                state,
                ..
            } => {
                let mut pods: Vec<String> = pods
                    .iter()
                    .map(|(p, rule, c)| format!("{}/{rule} {:?}", p.pod, c.by_severity))
                    .collect();
                pods.sort();
                if pods.is_empty() {
                    format!("restored {matches:?} {state:?}")
                } else {
                    format!("restored {matches:?} {state:?}, in pods {in_pods:?}: {pods:?}")
                }
            }
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

/// How many of a rule's matches were resemblances is counted, reported
/// and kept across a restart.
#[test]
fn resemblances_are_counted_apart_and_survive_a_restart() {
    let pack = include_str!("../../tests/data/resembling/slow.yaml");
    let rules = RuleSet::from_texts(&[("slow.yaml", pack)]).unwrap();
    let m = Matcher::new(rules);
    let mut agg = Aggregation::new(&m.rules, settings());
    let t0 = 1_795_334_400 * S;
    feed(
        &m,
        &mut agg,
        "2026-12-06 10:00:00 ERROR giving up on billing, it took ages\n",
        t0,
    );
    feed(
        &m,
        &mut agg,
        "2026-12-06 10:00:01 ERROR request to billing took too long\n",
        t0,
    );
    assert_eq!((agg.rule(0).count, agg.rule(0).resembled), (2, 1));
    let saved = agg.checkpoint(&m.rules);
    let mut restored = Aggregation::new(&m.rules, settings());
    restored.restore(&m.rules, &saved);
    assert_eq!((restored.rule(0).count, restored.rule(0).resembled), (2, 1));
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

/// Scans `line` as read from the file at `path` and records its matches
/// at time `now`.
fn feed_from(m: &Matcher, agg: &mut Aggregation, path: &str, line: &str, now: i64) {
    let pod = crate::pod::PodSource::from_path(std::path::Path::new(path));
    agg.source(&Source {
        name: path,
        pod: pod.as_ref(),
    });
    feed(m, agg, line, now);
}

const UID: &str = "0d7d3c5e-4b8e-4a59-9a4f-2b7f0c8e9a11";

#[test]
fn matches_in_a_pods_log_are_counted_per_pod_and_survive_a_restart() {
    let m = matcher();
    let mut agg = Aggregation::new(&m.rules, settings());
    let heard = Heard::default();
    agg.subscribe(Box::new(heard.clone()));
    let t0 = 1_795_334_400 * S;
    let ledger = format!("/var/log/pods/payments_ledger-0_{UID}/ledger/0.log");
    feed_from(&m, &mut agg, &ledger, "deadlock detected", t0);
    feed_from(&m, &mut agg, &ledger, "deadlock detected", t0 + S);
    feed_from(
        &m,
        &mut agg,
        "/var/log/app/app.log",
        "deadlock detected",
        t0 + S,
    );
    let matched: Vec<String> = heard
        .take()
        .into_iter()
        .filter(|e| e.starts_with("matched"))
        .collect();
    assert_eq!(
        matched,
        [
            "matched 1 error in payments/ledger-0/ledger: 1",
            "matched 1 error in payments/ledger-0/ledger: 2",
            // A file outside a pod directory.
            "matched 1 error",
        ]
    );
    assert_eq!(agg.rule(1).count, 3);
    assert_eq!(agg.rule(1).in_pods, [0, 0, 2, 0]);

    let saved = agg.checkpoint(&m.rules);
    let mut restored = Aggregation::new(&m.rules, settings());
    restored.subscribe(Box::new(heard.clone()));
    restored.restore(&m.rules, &saved);
    assert_eq!(
        heard.take(),
        ["restored [[0, 0, 0, 0], [0, 0, 3, 0]] Some(Error), in pods [[0, 0, 0, 0], [0, 0, 2, 0]]: [\"ledger-0/1 [0, 0, 2, 0]\"]"]
    );
    assert_eq!(restored.checkpoint(&m.rules), saved);
}

#[test]
fn pod_series_are_capped_and_go_once_the_pods_files_are_closed() {
    let m = matcher();
    let mut agg = Aggregation::new(&m.rules, settings());
    let heard = Heard::default();
    agg.subscribe(Box::new(heard.clone()));
    let t0 = 1_795_334_400 * S;
    let log = |pod: &str| format!("/var/log/pods/payments_{pod}_{UID}/app/0.log");
    for (i, pod) in ["a", "b", "c"].iter().enumerate() {
        feed_from(
            &m,
            &mut agg,
            &log(pod),
            "deadlock detected",
            t0 + i as i64 * S,
        );
    }
    assert_eq!(
        heard.take().last().unwrap(),
        "matched 1 error in other/other/other: 1 folded",
        "two (pod, rule) entries at most"
    );
    // Pod a's files are all closed; b's are not. Within the grace period
    // nothing goes.
    let open = |p: &PodLabels| p.pod == "b";
    agg.tick(t0 + 10 * S);
    agg.forget_closed_pods(open);
    assert!(heard.take().is_empty());
    agg.tick(t0 + POD_GRACE.as_micros() as i64 + 10 * S);
    agg.forget_closed_pods(open);
    let heard_now = heard.take();
    assert!(
        heard_now.contains(&"forgot [\"a/1\"]".to_string()),
        "{heard_now:?}"
    );
    assert_eq!(
        agg.checkpoint(&m.rules).pod_matches.len(),
        2,
        "b and `other`"
    );
}
