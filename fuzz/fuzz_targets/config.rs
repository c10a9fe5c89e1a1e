//! Agent config loading on arbitrary text: parse, resolve over the
//! defaults and validate; an error with its place, never a panic.
//!
//!     RUSTC_BOOTSTRAP=1 cargo fuzz run config

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use tailwatch::config::{self, RunSettings};

fuzz_target!(|text: &str| {
    let Ok(raw) = config::parse(Path::new("fuzz.yaml"), text) else {
        return;
    };
    let _ = RunSettings::build(raw.values());
});
