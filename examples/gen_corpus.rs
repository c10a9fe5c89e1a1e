//! Writes the benchmark corpus to stdout.
//!
//! usage: cargo run --release --example gen_corpus -- LINES [SEED] [TROUBLE_PERCENT] > corpus.jsonl

#[path = "../benches/corpus.rs"]
mod corpus;

use std::io::Write;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: gen_corpus LINES [SEED] [TROUBLE_PERCENT]";
    let lines: usize = args.next().and_then(|a| a.parse().ok()).expect(usage);
    let seed: u64 = args.next().map_or(608, |a| a.parse().expect(usage));
    let trouble: f64 = args.next().map_or(2.0, |a| a.parse().expect(usage));
    let mut out = std::io::stdout().lock();
    let mut buf = String::with_capacity(1 << 22);
    let chunk = 10_000;
    for start in (0..lines).step_by(chunk) {
        buf.clear();
        // Each chunk gets its own seed so that chunks stay deterministic.
        corpus::generate(
            &mut buf,
            chunk.min(lines - start),
            seed ^ start as u64,
            trouble / 100.0,
        );
        out.write_all(buf.as_bytes())?;
    }
    Ok(())
}
