//! The whole-process bench: CPU of `tailwatch scan --format json` over the
//! generated 1M-line corpus with the shipped pack, and with 140 and 420
//! user rules more, against `wc -l` over the same file in the same run.
//!
//!     cargo build --release --examples
//!     ./target/release/examples/bench_packs [RUNS [BINARY]]
//!
//! BINARY (default `target/release/tailwatch`) lets one build be compared
//! with another in the same run of the machine.
//!
//! The user rules are a few hundred regexes of the kind users write:
//! Debian's `logcheck-database` (its `ignore.d.server` patterns with the
//! syslog prefix stripped), fetched with `apt-get download` and kept when
//! tailwatch accepts them. They match nothing in the corpus, so what they
//! cost is the cost of having them. Everything is made under
//! `target/bench-packs/` and reused by later runs.
//!
//! Commands run in turn (wc, shipped, +140, +420, then again), RUNS times
//! (default 7); CPU is user + system of each child, from `getrusage`. The
//! table gives medians, and ratios taken run by run.

#[path = "../benches/corpus.rs"]
mod corpus;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use tailwatch::rules::RuleSet;

fn main() {
    let usage = "usage: bench_packs [RUNS [BINARY]]";
    let mut args = std::env::args().skip(1);
    let runs: usize = args.next().map_or(7, |a| a.parse().expect(usage));
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let binary = args
        .next()
        .map_or_else(|| root.join("target/release/tailwatch"), PathBuf::from);
    assert!(
        binary.exists(),
        "{} is missing: cargo build --release\n{usage}",
        binary.display()
    );
    let work = root.join("target/bench-packs");
    std::fs::create_dir_all(&work).unwrap();
    let corpus = make_corpus(&work);
    let patterns = logcheck_patterns(&work);
    let user140 = write_user_rules(&work, "user140", &patterns, 140);
    let user420 = write_user_rules(&work, "user420", &patterns, 420);

    let scan = |extra: &[&Path]| {
        let mut args: Vec<String> = vec!["scan".into(), "--format".into(), "json".into()];
        for dir in extra {
            args.push("--patterns".into());
            args.push(dir.display().to_string());
        }
        args.push(corpus.display().to_string());
        (binary.display().to_string(), args)
    };
    let commands: Vec<(&str, (String, Vec<String>))> = vec![
        (
            "`wc -l`",
            ("wc".into(), vec!["-l".into(), corpus.display().to_string()]),
        ),
        ("shipped pack", scan(&[])),
        ("shipped + 140 user rules", scan(&[&user140])),
        ("shipped + 420 user rules", scan(&[&user420])),
    ];
    let mut cpu: Vec<Vec<f64>> = vec![Vec::new(); commands.len()];
    // One run of each not counted: the file into the page cache.
    for (_, (program, args)) in &commands {
        child_cpu(program, args);
    }
    for _ in 0..runs {
        for (i, (_, (program, args))) in commands.iter().enumerate() {
            cpu[i].push(child_cpu(program, args));
        }
    }
    let size = std::fs::metadata(&corpus).unwrap().len() as f64;
    println!(
        "{} runs over {} ({:.0} MB); CPU = user + sys, medians; ratios run by run",
        runs,
        corpus.display(),
        size / 1e6
    );
    println!();
    println!("| pack | CPU s | × `wc -l` | × shipped | MB per CPU-second |");
    println!("|---|---|---|---|---|");
    for (i, (name, _)) in commands.iter().enumerate() {
        let ratio = |j: usize| median(cpu[i].iter().zip(&cpu[j]).map(|(a, b)| a / b).collect());
        let own = median(cpu[i].clone());
        if i == 0 {
            println!("| {name} | {own:.3} | | | {:.0} |", size / 1e6 / own);
        } else {
            println!(
                "| {name} | {own:.3} | {:.1} | {:.2} | {:.0} |",
                ratio(0),
                ratio(1),
                size / 1e6 / own
            );
        }
    }
}

/// The bench corpus, as `gen_corpus 1000000` writes it.
fn make_corpus(work: &Path) -> PathBuf {
    let path = work.join("corpus.jsonl");
    if !path.exists() {
        let mut text = String::new();
        let mut buf = String::new();
        for start in (0..1_000_000).step_by(10_000) {
            buf.clear();
            corpus::generate(&mut buf, 10_000, 608 ^ start as u64, 0.02);
            text.push_str(&buf);
        }
        std::fs::write(&path, text).unwrap();
    }
    path
}

/// logcheck's server patterns, syslog prefix stripped, in file order.
fn logcheck_patterns(work: &Path) -> Vec<String> {
    let tree = work.join("logcheck-database");
    let dir = tree.join("etc/logcheck/ignore.d.server");
    if !dir.exists() {
        let status = Command::new("apt-get")
            .args(["download", "logcheck-database"])
            .current_dir(work)
            .status()
            .expect("apt-get runs (a Debian or Ubuntu machine)");
        assert!(
            status.success(),
            "apt-get download logcheck-database failed"
        );
        let deb = std::fs::read_dir(work)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("logcheck-database"))
                    && p.extension().is_some_and(|e| e == "deb")
            })
            .expect("the downloaded package");
        let status = Command::new("dpkg-deb")
            .arg("-x")
            .arg(&deb)
            .arg(&tree)
            .status()
            .expect("dpkg-deb runs");
        assert!(status.success(), "dpkg-deb -x failed");
    }
    // `^(\w{3} [ :[:digit:]]{11}|[0-9T:.+-]{32}) [._[:alnum:]-]+ `, as the
    // files spell it (with `0-9` or `[:digit:]`).
    let prefix = regex::Regex::new(
        r"^\^\(\\w\{3\} \[ :(0-9|\[:digit:\])\]\{11\}\|\[0-9T:\\?\.\\?\+-\]\{32\}\) \[\._\[:alnum:\]-\]\+ ",
    )
    .unwrap();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    let mut patterns = Vec::new();
    for file in files {
        let text = String::from_utf8_lossy(&std::fs::read(&file).unwrap()).into_owned();
        for line in text.lines() {
            if let Some(m) = prefix.find(line) {
                patterns.push(line[m.end()..].to_string());
            }
        }
    }
    assert!(
        patterns.len() >= 420,
        "{} logcheck patterns",
        patterns.len()
    );
    patterns
}

fn rule_yaml(index: usize, pattern: &str) -> String {
    format!(
        "  - name: user_rule_{index}\n    category: syslog\n    severity: warning\n    \
         description: a logcheck pattern\n    action: none\n    match:\n      regex: '{}'\n",
        pattern.replace('\'', "''")
    )
}

/// The first `count` patterns tailwatch accepts, as one rule file in
/// `work/name/`.
fn write_user_rules(work: &Path, name: &str, patterns: &[String], count: usize) -> PathBuf {
    let mut rules = String::from("categories: [syslog]\nrules:\n");
    let mut kept = 0;
    for pattern in patterns {
        if kept == count {
            break;
        }
        let one = format!("categories: [syslog]\nrules:\n{}", rule_yaml(0, pattern));
        let accepted =
            RuleSet::from_texts(&[("user.yaml", &one)]).is_ok_and(|set| set.compile_all().is_ok());
        if accepted {
            rules.push_str(&rule_yaml(kept, pattern));
            kept += 1;
        }
    }
    assert_eq!(kept, count, "only {kept} logcheck patterns are accepted");
    let dir = work.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("user.yaml"), rules).unwrap();
    dir
}

/// Runs `program args` to the end, output discarded, and returns its CPU
/// seconds (user + system).
fn child_cpu(program: &str, args: &[String]) -> f64 {
    let before = children_cpu();
    let status = Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("the command runs");
    assert!(status.success(), "{program} {args:?} failed");
    children_cpu() - before
}

fn children_cpu() -> f64 {
    // SAFETY: getrusage writes one rusage into the zeroed struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        assert_eq!(libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage), 0);
        usage
    };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}
