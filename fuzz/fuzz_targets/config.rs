//! Agent config loading on arbitrary text: parse, resolve over the
//! defaults and validate; an error with its place, never a panic.
//!
//!     RUSTC_BOOTSTRAP=1 cargo fuzz run config

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
#[allow(dead_code)]
mod checks;

fuzz_target!(|text: &str| checks::config(text));
