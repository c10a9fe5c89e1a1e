//! Record decoding on arbitrary bytes, under every envelope (detected,
//! raw, CRI, Docker) and with an arbitrary runtime timestamp: every JSON
//! format, text prefixes, trace and time conventions. Nothing panics.
//!
//!     RUSTC_BOOTSTRAP=1 cargo fuzz run decode

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
#[allow(dead_code)]
mod checks;

fuzz_target!(|input: (&[u8], &[u8])| checks::decode(input));
