//! Measures how often each byte, and each byte after another, occurs in
//! routine log text, and writes the table the literal sieve uses to tell
//! rare anchors from common ones (`src/sieve/pair_costs.bin`).
//!
//!     cargo run --release --example pair_frequencies -- src/sieve/pair_costs.bin
//!
//! The text is what the repository ships and did not write itself: the
//! lines of `patterns/corpus/` labelled benign (routine output of
//! PostgreSQL, MariaDB, Redis, nginx, the JVM, Node, CPython, Go, ...
//! captured from the real programs), the fixtures of real multi-line
//! output, and the rule pack's `no_match` examples (routine lines that hold
//! the rules' words in a benign sense). Trouble lines are left out: an
//! anchor should be rare in what a service logs when nothing is wrong.
//!
//! The output is 256 + 65 536 bytes, each a cost in eighths of a bit
//! (`-8 log2 p`, capped at 255): first the probability of each byte, then
//! of each byte given the one before it, both ASCII-lowercased, with
//! add-one smoothing.

use std::path::Path;

fn main() {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "src/sieve/pair_costs.bin".into());
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut text: Vec<u8> = Vec::new();
    let mut add = |line: &str| {
        text.extend(line.bytes().map(|b| b.to_ascii_lowercase()));
        text.push(b'\n');
    };
    let real = root.join("patterns/corpus");
    let mut files: Vec<_> = std::fs::read_dir(&real)
        .expect("patterns/corpus")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    for file in files {
        for line in std::fs::read_to_string(&file).unwrap().lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            if v["category"] == "benign" {
                for l in v["line"].as_str().unwrap().lines() {
                    add(l);
                }
            }
        }
    }
    let multiline = root.join("tests/data/multiline");
    let mut fixtures: Vec<_> = std::fs::read_dir(&multiline)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e != "md"))
        .collect();
    fixtures.sort();
    fixtures.push(root.join("tests/data/postgresql-15.log"));
    fixtures.push(root.join("tests/data/postgresql-15.jsonlog"));
    for file in fixtures {
        for line in std::fs::read_to_string(&file).unwrap().lines() {
            add(line);
        }
    }
    let rules = tailwatch::rules::RuleSet::embedded();
    for rule in &rules.rules {
        for example in &rule.examples_no_match {
            for l in example.lines() {
                add(l);
            }
        }
    }

    let mut single = vec![1u64; 256];
    let mut pairs = vec![1u64; 65536];
    for w in text.windows(2) {
        single[w[0] as usize] += 1;
        pairs[(w[0] as usize) << 8 | w[1] as usize] += 1;
    }
    let cost = |p: f64| (-8.0 * p.log2()).round().clamp(0.0, 255.0) as u8;
    let total: u64 = single.iter().sum();
    let mut table: Vec<u8> = single
        .iter()
        .map(|&n| cost(n as f64 / total as f64))
        .collect();
    for x in 0..256 {
        let row = &pairs[x << 8..(x + 1) << 8];
        let sum: u64 = row.iter().sum();
        table.extend(row.iter().map(|&n| cost(n as f64 / sum as f64)));
    }
    std::fs::write(&out, &table).unwrap();
    eprintln!("{} bytes of routine text measured; wrote {out}", text.len());
}
