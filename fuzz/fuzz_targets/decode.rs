//! Record decoding on arbitrary bytes, under every envelope (detected,
//! raw, CRI, Docker) and with an arbitrary runtime timestamp: every JSON
//! format, text prefixes, trace and time conventions. Nothing panics.
//!
//!     RUSTC_BOOTSTRAP=1 cargo fuzz run decode

#![no_main]

use libfuzzer_sys::fuzz_target;
use tailwatch::decode::{decode, exception, Envelope};

fuzz_target!(|input: (&[u8], &[u8])| {
    let (line, time) = input;
    for envelope in [
        Envelope::detect(line),
        Envelope::Raw,
        Envelope::Cri,
        Envelope::Docker,
    ] {
        let record = decode(line, envelope, None);
        let _ = decode(line, envelope, Some(time));
        if let Some(m) = &record.message {
            let _ = exception::headline(m);
        }
    }
});
