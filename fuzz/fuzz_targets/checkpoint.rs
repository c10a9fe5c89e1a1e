//! The checkpoint reader on arbitrary bytes: a corrupt or truncated
//! checkpoint is an error (the agent says to move it away) or a state the
//! aggregation restores and reports from; never a panic.
//!
//!     RUSTC_BOOTSTRAP=1 cargo fuzz run checkpoint

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tailwatch::aggregate::{AggregateSettings, Aggregation};
use tailwatch::checkpoint::Checkpoint;
use tailwatch::report::Report;
use tailwatch::rules::RuleSet;

fn rules() -> &'static RuleSet {
    static R: OnceLock<RuleSet> = OnceLock::new();
    R.get_or_init(RuleSet::embedded)
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(Checkpoint::V1 { counters, .. }) = serde_json::from_slice::<Checkpoint>(bytes) else {
        return;
    };
    let rules = rules();
    let mut aggregation = Aggregation::new(rules, AggregateSettings::default());
    aggregation.restore(rules, &counters.aggregate());
    let _ = serde_json::to_string(&Report::build(rules, &aggregation, &[]));
});
