//! The literal sieve alone over a generated corpus held in memory, with the
//! embedded pack's literals and with three times as many, beside
//! aho-corasick (ASCII case-insensitive, overlapping: the same answer) and
//! memchr counting lines, measured in the same run. A set of 64 literals
//! shows where aho-corasick's Teddy would be at its best.

mod corpus;

use aho_corasick::AhoCorasick;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use tailwatch::rules::RuleSet;
use tailwatch::sieve::Sieve;

/// The pack's cover literals, each once, and its routine lines.
fn pack_literals() -> (Vec<Vec<u8>>, Vec<String>) {
    let rules = RuleSet::embedded();
    let mut literals: Vec<Vec<u8>> = rules
        .rules
        .iter()
        .flat_map(|r| r.cover.iter().flatten().cloned())
        .collect();
    literals.sort();
    literals.dedup();
    let routine = rules
        .rules
        .iter()
        .flat_map(|r| r.examples_no_match.iter().cloned())
        .collect();
    (literals, routine)
}

/// Three times the literals, the others made from the pack's own: each
/// literal's words in reverse order, and each with the next literal's
/// first word after it, so that they read like log text as the pack's do.
fn tripled(literals: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let words = |l: &[u8]| -> Vec<Vec<u8>> {
        l.split(|&b| b == b' ')
            .filter(|w| !w.is_empty())
            .map(<[u8]>::to_vec)
            .collect()
    };
    let mut more = literals.to_vec();
    for (i, lit) in literals.iter().enumerate() {
        let mut reversed = words(lit);
        reversed.reverse();
        more.push(reversed.join(&b' '));
        let next = &literals[(i + 1) % literals.len()];
        let mut joined = lit.clone();
        joined.push(b' ');
        joined.extend_from_slice(&words(next).into_iter().next().unwrap_or_default());
        more.push(joined);
    }
    more.sort();
    more.dedup();
    more
}

fn bench_sieve(c: &mut Criterion) {
    let mut text = String::new();
    corpus::generate(&mut text, 20_000, 608, 0.02);
    let hay = text.as_bytes();
    let (shipped, routine) = pack_literals();
    let sets = [
        (
            "64",
            shipped
                .iter()
                .step_by(shipped.len() / 64)
                .take(64)
                .cloned()
                .collect(),
        ),
        ("shipped", shipped.clone()),
        ("shipped_x3", tripled(&shipped)),
    ];

    let mut group = c.benchmark_group("sieve");
    group.throughput(Throughput::Bytes(hay.len() as u64));
    group.bench_function("count_lines_memchr", |b| {
        b.iter(|| memchr::memchr_iter(b'\n', std::hint::black_box(hay)).count())
    });
    for (name, literals) in &sets {
        let literals: &Vec<Vec<u8>> = literals;
        let label = format!("{name} ({} literals)", literals.len());
        let sieve = Sieve::with_routine(literals, &routine);
        group.bench_with_input(BenchmarkId::new("sieve", &label), hay, |b, hay| {
            b.iter(|| {
                let mut hits = 0u64;
                sieve.for_each_hit(hay, |_| {
                    hits += 1;
                    true
                });
                hits
            })
        });
        let ac = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(literals)
            .expect("literals within aho-corasick's limits");
        group.bench_with_input(BenchmarkId::new("aho_corasick", &label), hay, |b, hay| {
            b.iter(|| ac.find_overlapping_iter(hay).count())
        });
    }
    group.finish();
}

criterion_group!(benches, bench_sieve);
criterion_main!(benches);
