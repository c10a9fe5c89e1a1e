//! The literal sieve against aho-corasick (ASCII case-insensitive,
//! overlapping) on arbitrary literals and haystacks, at both strides: the
//! same occurrences, each once, and hits line by line.
//!
//!     RUSTC_BOOTSTRAP=1 cargo fuzz run sieve

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
#[allow(dead_code)]
mod checks;

fuzz_target!(|input: (Vec<Vec<u8>>, Vec<u8>)| checks::sieve(input));
