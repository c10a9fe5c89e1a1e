//! `scan` on a stream that stays open: trouble shows as it happens, and
//! every ending (EOF, Ctrl-C, SIGTERM, a closed match-output pipe) ends the
//! scan the same way, with the full report.
//!
//! - On a terminal (stderr), a live view redrawn at most once a second:
//!   what was read and how fast, and the rules that matched in the order
//!   of the final report, the newest incident marked. Plain ANSI (clear
//!   and home): the view is a page of text, which no terminal UI crate
//!   would make simpler.
//! - Otherwise, one plain line per incident event on stderr, so that
//!   `2>&1 | tee` keeps a readable log.
//!
//! A first SIGINT or SIGTERM asks the scan to stop; a second SIGINT exits
//! at once with status 130.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::aggregate::{Aggregation, Event, IncidentChange, Subscriber};
use crate::decode::time::format_rfc3339;
use crate::report::Report;
use crate::rules::RuleSet;
use crate::scan::Watch;

/// The live view is redrawn at most this often.
const REDRAW: Duration = Duration::from_secs(1);

/// Below this width the view has no room for its table, and incident
/// lines are written instead.
const MIN_VIEW_COLUMNS: usize = 60;

/// Sets `stop` on the first SIGINT or SIGTERM; a second SIGINT exits with
/// status 130.
pub fn stop_on_signals(stop: &Arc<AtomicBool>) -> io::Result<()> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    // Registered first, so it sees the flag before the second handler
    // sets it: only an interrupt after the first exits at once.
    signal_hook::flag::register_conditional_shutdown(SIGINT, 130, stop.clone())?;
    signal_hook::flag::register(SIGINT, stop.clone())?;
    signal_hook::flag::register(SIGTERM, stop.clone())?;
    Ok(())
}

/// How trouble is shown while the scan runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Display {
    /// Nothing until the end (`--no-live`, or input that is a file).
    Quiet,
    /// One line per incident event on stderr.
    Lines,
    /// The live view on the terminal (stderr).
    View { columns: usize },
}

impl Display {
    /// The view when stderr is a terminal that can show it, else lines.
    pub fn choose(stderr_is_terminal: bool) -> Display {
        let dumb = std::env::var("TERM").map_or(true, |t| t.is_empty() || t == "dumb");
        let columns = terminal_columns();
        match (stderr_is_terminal, dumb, columns) {
            (true, false, Some(columns)) if columns >= MIN_VIEW_COLUMNS => {
                Display::View { columns }
            }
            _ => Display::Lines,
        }
    }
}

/// The width of the terminal on stderr, if it has one.
fn terminal_columns() -> Option<usize> {
    terminal_size::terminal_size_of(io::stderr()).map(|(w, _)| usize::from(w.0))
}

/// The watch of a live scan: stops on a signal or a closed output, and
/// redraws the view.
pub struct LiveWatch<'a> {
    pub stop: Arc<AtomicBool>,
    /// Set when the match output can no longer be written (its pipe
    /// closed).
    pub output_closed: Arc<AtomicBool>,
    pub display: Display,
    pub rules: &'a RuleSet,
    started: Instant,
    last_draw: Option<Instant>,
    drawn: bool,
}

impl<'a> LiveWatch<'a> {
    pub fn new(rules: &'a RuleSet, display: Display) -> LiveWatch<'a> {
        LiveWatch {
            stop: Arc::new(AtomicBool::new(false)),
            output_closed: Arc::new(AtomicBool::new(false)),
            display,
            rules,
            started: Instant::now(),
            last_draw: None,
            drawn: false,
        }
    }

    /// Clears the view, before the final report.
    pub fn clear(&mut self) {
        if self.drawn {
            let _ = write!(io::stderr(), "\x1b[H\x1b[2J");
            self.drawn = false;
        }
    }

    fn draw(&mut self, aggregation: &Aggregation, lines: u64, bytes: u64, columns: usize) {
        let report = Report::build(self.rules, aggregation, &[]);
        let elapsed = self.started.elapsed().as_secs_f64().max(0.001);
        let header = [
            format!(
                "tailwatch scan — live, Ctrl-C for the report   state: {}",
                report.state.to_uppercase()
            ),
            format!(
                "read {lines} lines in {}s, {:.1} MB, {:.0} lines/s; {} at WARN or worse matched no rule",
                elapsed as u64,
                bytes as f64 / 1e6,
                lines as f64 / elapsed,
                aggregation.miner().records
            ),
        ];
        let json = serde_json::to_value(&report).unwrap_or_default();
        let newest = aggregation_newest(aggregation, self.rules);
        let page = page(&header, &json, newest, columns);
        let mut err = io::stderr().lock();
        let _ = write!(err, "\x1b[H\x1b[2J{page}");
        let _ = err.flush();
        self.drawn = true;
    }
}

/// A live page: `header`, then the report's diagnoses and its rules (the
/// `newest` marked), each line cut to `columns`. Shared by `scan`'s live
/// view and `tailwatch top`, which reads the same report from an agent.
pub fn page(
    header: &[String],
    report: &serde_json::Value,
    newest: Option<&str>,
    columns: usize,
) -> String {
    let mut page = String::new();
    let mut line = |text: String| {
        let cut: String = text.chars().take(columns).collect();
        page.push_str(&cut);
        page.push_str("\x1b[K\n");
    };
    for h in header {
        line(h.clone());
    }
    line(String::new());
    let text = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
    let empty = Vec::new();
    let diagnoses = report["diagnoses"].as_array().unwrap_or(&empty);
    for d in diagnoses.iter().filter(|d| d["active"] == true) {
        line(format!(
            "! DIAGNOSIS ({}) {}",
            text(&d["confidence"]),
            text(&d["summary"])
        ));
        line(format!("    do: {}", text(&d["action"])));
    }
    if diagnoses.iter().any(|d| d["active"] == true) {
        line(String::new());
    }
    let rules = report["rules"].as_array().unwrap_or(&empty);
    if rules.is_empty() {
        line("No rule matched yet.".into());
        return page;
    }
    line(format!(
        "  {:<8}  {:<32}  {:>7}  {:>5}  {:<8}  {:<8}  sample",
        "severity", "rule", "count", "5m", "last", "trend"
    ));
    for r in rules {
        let name = text(&r["name"]);
        let mark = if Some(name.as_str()) == newest {
            ">"
        } else {
            " "
        };
        let last = text(&r["last_seen"]);
        let last = last.get(11..19).unwrap_or(&last).to_string();
        let buckets: Vec<u64> = r["timeline"]["buckets"]
            .as_array()
            .map(|b| b.iter().filter_map(|v| v.as_u64()).collect())
            .unwrap_or_default();
        let sample: String = text(&r["sample"])
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        line(format!(
            "{mark} {:<8}  {:<32}  {:>7}  {:>5}  {:<8}  {:<8}  {}",
            text(&r["severity"]),
            name,
            r["count"].as_u64().unwrap_or(0),
            r["windows"]["5m"].as_u64().unwrap_or(0),
            last,
            sparkline(&buckets, 8),
            sample
        ));
    }
    page
}

/// The rule whose incident opened or escalated last, if one is open.
fn aggregation_newest<'r>(aggregation: &Aggregation, rules: &'r RuleSet) -> Option<&'r str> {
    (0..rules.rules.len())
        .filter_map(|id| aggregation.incident(id).map(|i| (i.last_match, id)))
        .max()
        .map(|(_, id)| rules.rules[id].name.as_str())
}

/// `counts` as `width` block characters, the tallest the largest.
fn sparkline(counts: &[u64], width: usize) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    if counts.is_empty() {
        return String::new();
    }
    // Fold the buckets into `width` columns.
    let per = counts.len().div_ceil(width);
    let cols: Vec<u64> = counts.chunks(per).map(|c| c.iter().sum()).collect();
    let max = cols.iter().copied().max().unwrap_or(0).max(1);
    cols.iter()
        .map(|&c| {
            if c == 0 {
                ' '
            } else {
                BARS[((c * 7) / max) as usize]
            }
        })
        .collect()
}

impl Watch for LiveWatch<'_> {
    fn tick(&mut self, aggregation: &mut Aggregation, lines: u64, bytes: u64) -> bool {
        if self.stop.load(Ordering::SeqCst) || self.output_closed.load(Ordering::SeqCst) {
            return false;
        }
        if let Display::View { columns } = self.display {
            if self.last_draw.is_none_or(|t| t.elapsed() >= REDRAW) {
                self.draw(aggregation, lines, bytes, columns);
                self.last_draw = Some(Instant::now());
            }
        }
        true
    }
}

/// One plain line per incident event on stderr.
pub struct IncidentLines {
    /// Per rule: name, category.
    rules: Vec<(String, String)>,
}

impl IncidentLines {
    pub fn new(rules: &RuleSet) -> IncidentLines {
        IncidentLines {
            rules: rules
                .rules
                .iter()
                .map(|r| (r.name.clone(), r.category.clone()))
                .collect(),
        }
    }
}

impl Subscriber for IncidentLines {
    fn on_event(&mut self, event: &Event<'_>) {
        let Event::Incident {
            rule,
            change,
            incident,
            ..
        } = event
        else {
            return;
        };
        let (name, category) = &self.rules[*rule];
        let what = match change {
            IncidentChange::Opened => format!("opened at {}", incident.severity.as_str()),
            IncidentChange::Escalated { from } => {
                format!(
                    "escalated {} -> {}",
                    from.as_str(),
                    incident.severity.as_str()
                )
            }
            IncidentChange::Closed => format!(
                "closed after {} matches, at {}",
                incident.matches,
                incident.severity.as_str()
            ),
        };
        let at = format_rfc3339(incident.last_match);
        let mut err = io::stderr().lock();
        let _ = writeln!(err, "tailwatch: {at} incident {what}: {name} ({category})");
        let _ = err.flush();
    }
}

/// Standard output for a match output that is read as it comes: each
/// record is flushed, and a closed pipe is noticed (the scan then ends).
pub struct FlushingStdout {
    pub closed: Arc<AtomicBool>,
}

impl Write for FlushingStdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut out = io::stdout().lock();
        let result = out.write_all(buf).and_then(|()| out.flush());
        if let Err(e) = result {
            self.closed.store(true, Ordering::SeqCst);
            return Err(e);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        io::stdout().lock().flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sparkline_scales_to_the_largest_column() {
        assert_eq!(sparkline(&[0, 1, 2, 4], 4), " ▂▄█");
        assert_eq!(sparkline(&[1, 1, 0, 0, 5, 5], 3), "▂ █");
        assert_eq!(sparkline(&[], 4), "");
    }
}
