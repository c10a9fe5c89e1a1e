//! Incidents: matches of one rule that keep coming. One opens on a rule's
//! first match, takes the highest severity its matches reach, and closes
//! after a quiet period without a match.

use serde::{Deserialize, Serialize};

use crate::rules::Severity;

/// An open incident. Times are on the aggregation's clock (µs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Incident {
    pub opened: i64,
    pub last_match: i64,
    /// The highest severity reached, escalation included.
    pub severity: Severity,
    pub matches: u64,
}

/// How an incident changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncidentChange {
    Opened,
    /// A match raised its severity.
    Escalated {
        from: Severity,
    },
    /// Quiet for the quiet period.
    Closed,
}

impl IncidentChange {
    pub fn as_str(self) -> &'static str {
        match self {
            IncidentChange::Opened => "opened",
            IncidentChange::Escalated { .. } => "escalated",
            IncidentChange::Closed => "closed",
        }
    }
}

impl Incident {
    /// Opens an incident on a match at `now`, or adds the match to the open
    /// one; says how the incident changed, if it did.
    pub fn on_match(
        slot: &mut Option<Incident>,
        severity: Severity,
        now: i64,
    ) -> Option<IncidentChange> {
        match slot {
            None => {
                *slot = Some(Incident {
                    opened: now,
                    last_match: now,
                    severity,
                    matches: 1,
                });
                Some(IncidentChange::Opened)
            }
            Some(i) => {
                i.last_match = i.last_match.max(now);
                i.matches += 1;
                (severity > i.severity).then(|| {
                    let from = std::mem::replace(&mut i.severity, severity);
                    IncidentChange::Escalated { from }
                })
            }
        }
    }

    /// Whether the incident has been quiet for `quiet_us` at `now`.
    pub fn is_quiet(&self, now: i64, quiet_us: i64) -> bool {
        now - self.last_match >= quiet_us
    }
}

/// An open incident as the checkpoint keeps it, by rule name so that a
/// changed rule set still finds its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentCheckpoint {
    pub rule: String,
    pub severity: Severity,
    pub matches: u64,
    /// Unix microseconds.
    pub opened_us: i64,
    pub last_match_us: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_escalates_and_goes_quiet() {
        let mut slot = None;
        assert_eq!(
            Incident::on_match(&mut slot, Severity::Warning, 10),
            Some(IncidentChange::Opened)
        );
        assert_eq!(Incident::on_match(&mut slot, Severity::Info, 20), None);
        assert_eq!(
            Incident::on_match(&mut slot, Severity::Critical, 30),
            Some(IncidentChange::Escalated {
                from: Severity::Warning
            })
        );
        let i = slot.unwrap();
        assert_eq!((i.opened, i.last_match, i.matches), (10, 30, 3));
        assert_eq!(i.severity, Severity::Critical);
        assert!(!i.is_quiet(39, 10));
        assert!(i.is_quiet(40, 10));
    }
}
