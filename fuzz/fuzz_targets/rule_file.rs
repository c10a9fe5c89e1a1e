//! Rule-file loading on arbitrary text: a YAML or rule error, or a rule
//! set whose regexes compile and whose examples run; never a panic.
//!
//!     RUSTC_BOOTSTRAP=1 cargo fuzz run rule_file

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
#[allow(dead_code)]
mod checks;

fuzz_target!(|text: &str| checks::rule_file(text));
