//! The checkpoint reader on arbitrary bytes: a corrupt or truncated
//! checkpoint is an error (the agent says to move it away) or a state the
//! aggregation restores and reports from; never a panic.
//!
//!     RUSTC_BOOTSTRAP=1 cargo fuzz run checkpoint

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
#[allow(dead_code)]
mod checks;

fuzz_target!(|bytes: &[u8]| checks::checkpoint(bytes));
