//! Every input of the fuzz targets' committed corpora (`fuzz/corpus/`), and
//! any crash input left in `fuzz/artifacts/` (not committed: a fixed
//! crash's input goes into the corpus), passes its target's check again,
//! in the ordinary test build: the regression half of fuzzing needs
//! neither libFuzzer nor its instrumented build. An input becomes the
//! target's typed argument exactly as libFuzzer's `fuzz_target!` makes it
//! (`Arbitrary::arbitrary_take_rest`), so a corpus file means the same
//! thing here as under `cargo fuzz run`.

use std::fs;
use std::path::Path;

use arbitrary::{Arbitrary, Unstructured};

#[path = "../fuzz/checks.rs"]
mod checks;

/// Runs `check` on every input kept for `target`; returns how many.
fn replay<'a, T: Arbitrary<'a>>(target: &str, inputs: &'a [Vec<u8>], check: fn(T)) -> usize {
    let mut replayed = 0;
    for bytes in inputs {
        if let Ok(input) = T::arbitrary_take_rest(Unstructured::new(bytes)) {
            check(input);
            replayed += 1;
        }
    }
    assert!(replayed > 0, "{target}: no input replayed");
    replayed
}

/// The bytes of every file kept for `target`.
fn inputs(target: &str) -> Vec<Vec<u8>> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut files = Vec::new();
    for dir in [
        fuzz.join("corpus").join(target),
        fuzz.join("artifacts").join(target),
    ] {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_file() {
                files.push(fs::read(&path).unwrap());
            }
        }
    }
    files
}

#[test]
fn every_kept_fuzz_input_passes_its_check_again() {
    let (checkpoint, config, decode) = (inputs("checkpoint"), inputs("config"), inputs("decode"));
    let (rule_file, scanner, sieve) = (inputs("rule_file"), inputs("scanner"), inputs("sieve"));
    let replayed = [
        replay("checkpoint", &checkpoint, |b: &[u8]| checks::checkpoint(b)),
        replay("config", &config, |t: &str| checks::config(t)),
        replay("decode", &decode, checks::decode),
        replay("rule_file", &rule_file, |t: &str| checks::rule_file(t)),
        replay("scanner", &scanner, checks::scanner),
        replay("sieve", &sieve, checks::sieve),
    ];
    // The seeded corpora hold the labelled lines: a few hundred decode
    // inputs at least, so an emptied corpus does not pass unnoticed.
    assert!(
        replayed[2] >= 500,
        "decode inputs replayed: {}",
        replayed[2]
    );
}
