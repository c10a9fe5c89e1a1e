//! The names of the metrics tailwatch exports about itself and its matches;
//! a rule's extracted metric may not take one of them.

/// Prefix of every metric tailwatch exports, extracted ones included.
pub const PREFIX: &str = "tailwatch_";

pub const MATCHES: &str = "tailwatch_matches_total";
pub const INCIDENT_OPEN: &str = "tailwatch_incident_open";
pub const DIAGNOSIS_ACTIVE: &str = "tailwatch_diagnosis_active";
pub const STATE: &str = "tailwatch_state";
pub const SERIES_DROPPED: &str = "tailwatch_series_dropped_total";
pub const LINES_READ: &str = "tailwatch_lines_read_total";
pub const BYTES_READ: &str = "tailwatch_bytes_read_total";
pub const DECODE_ERRORS: &str = "tailwatch_decode_errors_total";
pub const UNMATCHED_LINES: &str = "tailwatch_unmatched_lines_total";
pub const READ_ERRORS: &str = "tailwatch_read_errors_total";
pub const BYTES_ABANDONED: &str = "tailwatch_bytes_abandoned_total";
pub const FILES_TAILED: &str = "tailwatch_files_tailed";
pub const INPUTS_OPEN: &str = "tailwatch_inputs_open";
pub const FILE_BYTES_BEHIND: &str = "tailwatch_file_bytes_behind";
pub const RULE_EVALUATION: &str = "tailwatch_rule_evaluation_seconds_total";
pub const SPANS_EXPORTED: &str = "tailwatch_spans_exported_total";
pub const SPANS_DROPPED: &str = "tailwatch_spans_dropped_total";
pub const WRITE_ERRORS: &str = "tailwatch_write_errors_total";
pub const MATCH_RECORDS_DROPPED: &str = "tailwatch_match_records_dropped_total";
pub const RELOADS: &str = "tailwatch_config_reloads_total";
pub const LAST_RELOAD_SUCCESSFUL: &str = "tailwatch_config_last_reload_successful";
pub const LAST_RELOAD_SUCCESS_TIME: &str = "tailwatch_config_last_reload_success_timestamp_seconds";
pub const PROCESS_RSS: &str = "process_resident_memory_bytes";
pub const PROCESS_CPU: &str = "process_cpu_seconds_total";

/// Every name above: reserved for tailwatch's own series.
pub const OWN: &[&str] = &[
    MATCHES,
    INCIDENT_OPEN,
    DIAGNOSIS_ACTIVE,
    STATE,
    SERIES_DROPPED,
    LINES_READ,
    BYTES_READ,
    DECODE_ERRORS,
    UNMATCHED_LINES,
    READ_ERRORS,
    BYTES_ABANDONED,
    FILES_TAILED,
    INPUTS_OPEN,
    FILE_BYTES_BEHIND,
    RULE_EVALUATION,
    SPANS_EXPORTED,
    SPANS_DROPPED,
    WRITE_ERRORS,
    MATCH_RECORDS_DROPPED,
    RELOADS,
    LAST_RELOAD_SUCCESSFUL,
    LAST_RELOAD_SUCCESS_TIME,
    PROCESS_RSS,
    PROCESS_CPU,
];

/// Whether `name` is a valid Prometheus label name that tailwatch may use
/// for labels of extracted metrics: `[a-zA-Z_][a-zA-Z0-9_]*`, not one the
/// exposition reserves (`le` for histogram buckets, `quantile` for
/// summaries, anything starting with `__`).
pub fn label_name_problem(name: &str) -> Option<&'static str> {
    let valid = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        Some("is not a Prometheus label name (letters, digits and `_`, not starting with a digit)")
    } else if name == "le" || name == "quantile" {
        Some("is reserved by Prometheus for histogram buckets and summary quantiles")
    } else if name.starts_with("__") {
        Some("starts with `__`, which Prometheus reserves for its own labels")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_names_follow_the_prometheus_data_model() {
        assert_eq!(label_name_problem("projection"), None);
        assert_eq!(label_name_problem("_group2"), None);
        for bad in ["2x", "pro-jection", "", "le", "quantile", "__name__", "ünï"] {
            assert!(label_name_problem(bad).is_some(), "{bad}");
        }
    }
}
