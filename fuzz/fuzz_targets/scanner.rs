//! The scanner with the shipped pack over arbitrary bytes, lent in
//! arbitrary chunks as framing would lend them, with multi-line grouping:
//! nothing panics, and every line is counted once.
//!
//!     RUSTC_BOOTSTRAP=1 cargo fuzz run scanner

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
#[allow(dead_code)]
mod checks;

fuzz_target!(|input: (Vec<u8>, u8)| checks::scanner(input));
