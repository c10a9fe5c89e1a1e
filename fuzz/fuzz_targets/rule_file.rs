//! Rule-file loading on arbitrary text: a YAML or rule error, or a rule
//! set whose regexes compile and whose examples run; never a panic.
//!
//!     RUSTC_BOOTSTRAP=1 cargo fuzz run rule_file

#![no_main]

use libfuzzer_sys::fuzz_target;
use tailwatch::matcher::Matcher;
use tailwatch::rules::RuleSet;

fuzz_target!(|text: &str| {
    let Ok(rules) = RuleSet::from_texts(&[("fuzz.yaml", text)]) else {
        return;
    };
    if rules.compile_all().is_err() {
        return;
    }
    let _ = tailwatch::rule_tests::run_examples(&Matcher::new(rules));
});
