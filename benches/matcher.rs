//! The matcher over a generated corpus held in memory: the hot loop as
//! `scan` drives it, against two references measured in the same run —
//! counting lines with memchr (the floor) and decoding every line and
//! running every rule (what the prefilter saves).

mod corpus;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use tailwatch::decode::Envelope;
use tailwatch::matcher::{Matcher, Scanner, SourceScan};
use tailwatch::rules::RuleSet;
use tailwatch::sink::Match;

fn bench_matcher(c: &mut Criterion) {
    let mut text = String::new();
    corpus::generate(&mut text, 20_000, 608, 0.02);
    let bytes = text.as_bytes();
    let matcher = Matcher::new(RuleSet::embedded());

    let mut group = c.benchmark_group("matcher");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("count_lines_memchr", |b| {
        b.iter(|| memchr::memchr_iter(b'\n', std::hint::black_box(bytes)).count())
    });
    group.bench_function("scan_block_prefiltered", |b| {
        b.iter(|| {
            let mut scanner = Scanner::new(256 * 1024);
            let mut source = SourceScan::new(Some(Envelope::Raw));
            let mut matches = 0u64;
            let mut pos = 0;
            while pos < bytes.len() {
                // Blocks of whole lines, as the reader lends them.
                let window = &bytes[pos..(pos + 256 * 1024).min(bytes.len())];
                let end = memchr::memrchr(b'\n', window).map_or(window.len(), |i| i + 1);
                scanner.scan_block(
                    &matcher,
                    &mut source,
                    &window[..end],
                    pos as u64,
                    &mut |_: &Match<'_>| matches += 1,
                );
                pos += end;
            }
            matches
        })
    });
    group.sample_size(10);
    group.bench_function("decode_every_line_naive", |b| {
        b.iter(|| {
            text.lines()
                .map(|l| matcher.naive(l.as_bytes(), Envelope::Raw).len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, bench_matcher);
criterion_main!(benches);
