//! A model of the tailer under random writers, rotations and crashes.
//!
//! A writer appends numbered records — lines, lines written in two parts,
//! multi-line records (a line and its `at` frames, sometimes written in two
//! parts), and, for a CRI source, lines the runtime split into `P` parts —
//! and rotates by renaming (numbered with shifts, or dated), by
//! copytruncate (after the tailer caught up, outside copytruncate's
//! inherent window) or by swapping a symlink. The tailer and the real
//! scanner make passes, checkpoint, restart cleanly, and crash (everything
//! delivered after the last checkpoint is dropped, as a restarted agent
//! cuts its match output back). At the end every record written is
//! delivered exactly once.

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use proptest::prelude::*;
use tailwatch::framing::{Chunk, Framer};
use tailwatch::matcher::{Matcher, Scanner, SourceScan};
use tailwatch::rules::RuleSet;
use tailwatch::sink::Match;
use tailwatch::tail::checkpoint::FileCheckpoint;
use tailwatch::tail::{FileSink, StartAt, TailSettings, Tailer};

#[derive(Debug, Clone)]
enum Op {
    Append(u8),
    /// Half a line now; the writer ends it before anything else.
    HalfLine,
    /// A record of a line and `n` frames.
    Record(u8),
    /// A line and a frame now, more frames before anything else.
    HalfRecord,
    /// A line the runtime split into parts (`P`, then `F`); on a raw
    /// source, a whole line.
    Split,
    Rotate,
    /// A rotated file is deleted, once the tailer read it and
    /// checkpointed.
    Delete,
    Pass,
    Checkpoint,
    /// Checkpoint and restart (SIGTERM).
    Restart,
    /// Restart from the last checkpoint (SIGKILL).
    Crash,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scheme {
    Numbered,
    Dated,
    CopyTruncate,
    Symlink,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (1u8..40).prop_map(Op::Append),
        1 => Just(Op::HalfLine),
        1 => (1u8..4).prop_map(Op::Record),
        1 => Just(Op::HalfRecord),
        1 => Just(Op::Split),
        2 => Just(Op::Rotate),
        1 => Just(Op::Delete),
        4 => Just(Op::Pass),
        1 => Just(Op::Checkpoint),
        1 => Just(Op::Restart),
        1 => Just(Op::Crash),
    ]
}

fn scheme() -> impl Strategy<Value = Scheme> {
    prop_oneof![
        Just(Scheme::Numbered),
        Just(Scheme::Dated),
        Just(Scheme::CopyTruncate),
        Just(Scheme::Symlink),
    ]
}

/// Every record the scanner hands downstream, by the number its first
/// line carries, in order.
#[derive(Default)]
struct Delivered(Vec<u64>);

impl Delivered {
    fn record(&mut self, raw: &[u8]) {
        let text = std::str::from_utf8(raw).unwrap();
        let rest = text
            .strip_prefix("2026-12-01 line ")
            .unwrap_or_else(|| panic!("not a record's start: {text:?}"));
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        self.0.push(digits.parse().unwrap());
    }
}

/// The scanner with a rule every record matches, between tailer and
/// delivery.
struct Downstream<'a> {
    matcher: &'a Matcher,
    scanner: &'a mut Scanner,
    out: &'a mut Delivered,
}

impl FileSink<SourceScan> for Downstream<'_> {
    fn chunk(&mut self, _path: &Path, state: &mut SourceScan, chunk: Chunk<'_>) {
        let out = &mut *self.out;
        self.scanner
            .scan(self.matcher, state, chunk, &mut |m: &Match<'_>| {
                out.record(m.raw)
            });
    }

    fn at_end(&mut self, _path: &Path, state: &mut SourceScan) {
        let out = &mut *self.out;
        self.scanner
            .finish_stale(self.matcher, state, &mut |m: &Match<'_>| out.record(m.raw));
    }

    fn truncated(&mut self, _path: &Path, state: &mut SourceScan) {
        state.drop_held();
    }

    fn released(&mut self, _file: &Path, _input: usize, _consumed: u64, mut state: SourceScan) {
        let out = &mut *self.out;
        self.scanner
            .finish(self.matcher, &mut state, &mut |m: &Match<'_>| {
                out.record(m.raw)
            });
    }
}

const ANY: &str = r#"
rules:
  - name: any
    category: panic
    severity: error
    description: d
    action: a
    match:
      regex: '(?s)^2026-12-01 line'
"#;

/// The writer's side: the log, where it writes, what it wrote.
struct Writer {
    dir: PathBuf,
    scheme: Scheme,
    out: File,
    /// The file the log's path leads to (the link's target for symlinks).
    target: PathBuf,
    written: u64,
    /// The rest of a line or record written in part.
    half: Option<String>,
    rotations: u32,
    /// Lines are wrapped as CRI writes them.
    cri: bool,
}

impl Writer {
    fn log(&self) -> PathBuf {
        self.dir.join("logs/app.log")
    }

    /// One physical line, wrapped for CRI when the source is (`P`: more of
    /// the line follows).
    fn physical(&self, body: &str, partial: bool) -> String {
        if self.cri {
            let tag = if partial { "P" } else { "F" };
            format!("2026-12-01T10:00:00.000000000Z stdout {tag} {body}\n")
        } else {
            format!("{body}\n")
        }
    }

    fn new(dir: &Path, scheme: Scheme, cri: bool) -> Writer {
        fs::create_dir_all(dir.join("logs")).unwrap();
        fs::create_dir_all(dir.join("data")).unwrap();
        let log = dir.join("logs/app.log");
        let target = if scheme == Scheme::Symlink {
            let target = dir.join("data/0.log");
            File::create(&target).unwrap();
            std::os::unix::fs::symlink(&target, &log).unwrap();
            target
        } else {
            log
        };
        Writer {
            dir: dir.to_path_buf(),
            scheme,
            out: append(&target),
            target,
            written: 0,
            half: None,
            rotations: 0,
            cri,
        }
    }

    fn end_half(&mut self) {
        if let Some(rest) = self.half.take() {
            self.out.write_all(rest.as_bytes()).unwrap();
        }
    }

    fn append(&mut self, n: u8) {
        self.end_half();
        let lines: String = (0..n)
            .map(|i| {
                self.physical(
                    &format!("2026-12-01 line {}", self.written + u64::from(i)),
                    false,
                )
            })
            .collect();
        self.out.write_all(lines.as_bytes()).unwrap();
        self.written += u64::from(n);
    }

    fn half_line(&mut self) {
        self.end_half();
        let line = self.physical(&format!("2026-12-01 line {}", self.written), false);
        self.written += 1;
        let (a, b) = line.split_at(line.len() / 2);
        self.out.write_all(a.as_bytes()).unwrap();
        self.half = Some(b.to_string());
    }

    /// A record of a line and `frames` frames; with `split`, the line and
    /// its first frame are written now and the rest later.
    fn record(&mut self, frames: u8, split: bool) {
        self.end_half();
        let mut lines =
            vec![self.physical(&format!("2026-12-01 line {} failed", self.written), false)];
        for f in 0..frames {
            lines.push(self.physical(&format!("\tat a.b.C.m{f}(C.java:{f})"), false));
        }
        self.written += 1;
        let at = if split {
            2.min(lines.len())
        } else {
            lines.len()
        };
        self.out.write_all(lines[..at].concat().as_bytes()).unwrap();
        if at < lines.len() {
            self.half = Some(lines[at..].concat());
        }
    }

    /// A line the runtime split in three parts, with a whole line of the
    /// other stream between its first two; the last part is written by
    /// the next operation (a restart or a crash may come first).
    fn split(&mut self) {
        self.end_half();
        if !self.cri {
            return self.append(1);
        }
        let line = format!("2026-12-01 line {} is long", self.written);
        let other = format!(
            "2026-12-01T10:00:00.000000000Z stderr F 2026-12-01 line {} on stderr\n",
            self.written + 1
        );
        self.written += 2;
        let (a, rest) = line.split_at(14);
        let (b, c) = rest.split_at(rest.len() / 2);
        let text = [self.physical(a, true), other, self.physical(b, true)].concat();
        self.out.write_all(text.as_bytes()).unwrap();
        self.half = Some(self.physical(c, false));
    }

    /// Rotates; `caught_up` runs the tailer to the end first (copytruncate,
    /// outside its inherent window).
    fn rotate(&mut self, caught_up: impl FnOnce()) {
        // copytruncate: the tailer catches up, then the writer ends what
        // it had half written and the file is copied and truncated, so the
        // copy holds lines the tailer has only begun.
        if self.scheme != Scheme::CopyTruncate {
            self.end_half();
        }
        self.rotations += 1;
        let log = self.log();
        let numbered = |n: u32| log.with_extension(format!("log.{n}"));
        match self.scheme {
            Scheme::Numbered => {
                for n in (1..self.rotations).rev() {
                    if numbered(n).exists() {
                        fs::rename(numbered(n), numbered(n + 1)).unwrap();
                    }
                }
                fs::rename(&log, numbered(1)).unwrap();
                self.out = append(&log);
            }
            Scheme::Dated => {
                let dated = log.with_extension(format!("log-2026120{}", self.rotations));
                fs::rename(&log, dated).unwrap();
                self.out = append(&log);
            }
            Scheme::CopyTruncate => {
                caught_up();
                self.end_half();
                fs::copy(&log, numbered(self.rotations)).unwrap();
                self.out.set_len(0).unwrap();
            }
            Scheme::Symlink => {
                let target = self.dir.join(format!("data/{}.log", self.rotations));
                File::create(&target).unwrap();
                let tmp = self.dir.join("logs/.app.log.tmp");
                std::os::unix::fs::symlink(&target, &tmp).unwrap();
                fs::rename(&tmp, &log).unwrap();
                self.out = append(&target);
                self.target = target;
            }
        }
    }
}

impl Writer {
    /// Deletes one rotated file (never the one written to); `caught_up`
    /// runs the tailer to the end and checkpoints first, as the agent has
    /// long before logrotate deletes a file.
    fn delete_one(&mut self, caught_up: impl FnOnce()) {
        self.end_half();
        let mut old: Vec<PathBuf> = ["logs", "data"]
            .iter()
            .flat_map(|d| fs::read_dir(self.dir.join(d)).unwrap())
            .map(|e| e.unwrap().path())
            .filter(|p| *p != self.log() && *p != self.target)
            .collect();
        old.sort();
        if let Some(victim) = old.first() {
            caught_up();
            fs::remove_file(victim).unwrap();
        }
    }
}

fn append(path: &Path) -> File {
    OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap()
}

/// What a checkpoint keeps, and what had been delivered when it was taken.
#[derive(Clone)]
struct Saved {
    files: Vec<FileCheckpoint>,
    finished: Vec<FileCheckpoint>,
    delivered: usize,
}

struct Agent {
    settings: TailSettings,
    tailer: Tailer<SourceScan>,
    framer: Framer,
    matcher: Matcher,
    scanner: Scanner,
    saved: Option<Saved>,
}

fn scanner() -> Scanner {
    let mut scanner = Scanner::new(1 << 20);
    // Parts and records wait for what completes them: through
    // checkpoints and restarts.
    scanner.partial_line_flush = Duration::from_secs(3600);
    scanner.multiline_flush = Duration::from_secs(3600);
    scanner
}

impl Agent {
    fn new(dir: &Path) -> Agent {
        let settings = TailSettings {
            inputs: vec![glob::Pattern::new(&format!("{}/logs/*.log", dir.display())).unwrap()],
            start_at: StartAt::Beginning,
            partial_line_flush: Duration::from_secs(3600),
            glob_interval: Duration::ZERO,
            poll_interval: Duration::ZERO,
            rotate_wait: Duration::ZERO,
        };
        Agent {
            tailer: Tailer::new(settings.clone()).with_held(SourceScan::held_from),
            settings,
            framer: Framer::new(1 << 20),
            matcher: Matcher::new(RuleSet::from_texts(&[("any.yaml", ANY)]).unwrap()),
            scanner: scanner(),
            saved: None,
        }
    }

    fn pass(&mut self, out: &mut Delivered) {
        let mut events = Vec::new();
        self.tailer.discover(true, &mut events);
        let mut sink = Downstream {
            matcher: &self.matcher,
            scanner: &mut self.scanner,
            out,
        };
        while self
            .tailer
            .read_all(&mut self.framer, &mut sink, None, &mut events)
        {}
    }

    fn checkpoint(&mut self, out: &Delivered) {
        self.saved = Some(Saved {
            files: self.tailer.file_checkpoints(),
            finished: self.tailer.finished_checkpoints(),
            delivered: out.0.len(),
        });
    }

    /// A new process resuming from the last checkpoint; what was delivered
    /// after it is dropped.
    fn restart(&mut self, out: &mut Delivered) {
        self.tailer = Tailer::new(self.settings.clone()).with_held(SourceScan::held_from);
        self.framer = Framer::new(1 << 20);
        self.scanner = scanner();
        if let Some(saved) = self.saved.clone() {
            self.tailer.restore(saved.files, Some(saved.finished), &[]);
            out.0.truncate(saved.delivered);
        } else {
            out.0.clear();
        }
    }
}

fn run(scheme: Scheme, cri: bool, ops: &[Op]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let mut writer = Writer::new(dir.path(), scheme, cri);
    let mut agent = Agent::new(dir.path());
    let mut out = Delivered::default();
    agent.pass(&mut out);
    agent.checkpoint(&out);
    for op in ops {
        match op {
            Op::Append(n) => writer.append(*n),
            Op::HalfLine => writer.half_line(),
            Op::Record(n) => writer.record(*n, false),
            Op::HalfRecord => writer.record(2, true),
            Op::Split => writer.split(),
            Op::Rotate => {
                writer.rotate(|| agent.pass(&mut out));
                // copytruncate's inherent window: a file truncated and
                // written past its old length before anyone looks can be
                // byte for byte what appending would have made. Outside
                // it, the tailer looks before the writer writes again.
                if scheme == Scheme::CopyTruncate {
                    agent.pass(&mut out);
                }
            }
            // Deleted long after it was read: read and checkpointed.
            Op::Delete => writer.delete_one(|| {
                agent.pass(&mut out);
                agent.pass(&mut out);
                agent.checkpoint(&out);
            }),
            Op::Pass => agent.pass(&mut out),
            Op::Checkpoint => agent.checkpoint(&out),
            Op::Restart => {
                agent.checkpoint(&out);
                agent.restart(&mut out);
            }
            Op::Crash => agent.restart(&mut out),
        }
    }
    // A last line ends any record still open.
    writer.append(1);
    agent.pass(&mut out);
    agent.pass(&mut out);
    let mut count: HashMap<u64, u32> = HashMap::new();
    for seq in &out.0 {
        *count.entry(*seq).or_default() += 1;
    }
    let missing: Vec<u64> = (0..writer.written)
        .filter(|s| !count.contains_key(s))
        .collect();
    let twice: Vec<u64> = count
        .iter()
        .filter(|(_, &n)| n > 1)
        .map(|(s, _)| *s)
        .collect();
    prop_assert!(
        missing.is_empty(),
        "{} lines never delivered, first {:?}",
        missing.len(),
        &missing[..missing.len().min(5)]
    );
    prop_assert!(
        twice.is_empty(),
        "{} lines delivered twice: {:?}",
        twice.len(),
        &twice[..twice.len().min(5)]
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn every_line_is_delivered_once_through_rotations_and_restarts(
        scheme in scheme(),
        cri in any::<bool>(),
        ops in prop::collection::vec(op(), 1..40),
    ) {
        run(scheme, cri, &ops)?;
    }
}

#[test]
fn files_shifted_while_the_directory_is_listed_are_not_read_again() {
    // A numbered window of files whose names shift round and round while
    // the tailer looks: a listing can miss a file (its old name already
    // taken by another, its new one listed before it got it); a file a
    // listing missed must not be taken for one never read.
    let dir = tempfile::tempdir().unwrap();
    let mut writer = Writer::new(dir.path(), Scheme::Numbered, false);
    let mut agent = Agent::new(dir.path());
    let mut out = Delivered::default();
    agent.pass(&mut out);
    for _ in 0..8 {
        writer.append(20);
        agent.pass(&mut out);
        writer.rotate(|| {});
        agent.pass(&mut out);
    }
    writer.append(20);
    agent.pass(&mut out);
    agent.pass(&mut out);
    let before = out.0.len();
    assert_eq!(before as u64, writer.written);
    let log = writer.log();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let shifter = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let name = |n: u32| log.with_extension(format!("log.{n}"));
            let tmp = log.with_extension("log.tmp");
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                fs::rename(name(8), &tmp).unwrap();
                for n in (1..8).rev() {
                    fs::rename(name(n), name(n + 1)).unwrap();
                }
                fs::rename(&log, name(1)).unwrap();
                fs::rename(&tmp, &log).unwrap();
            }
        })
    };
    for _ in 0..300 {
        agent.pass(&mut out);
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    shifter.join().unwrap();
    agent.pass(&mut out);
    assert_eq!(
        out.0.len(),
        before,
        "files read again: {:?}",
        &out.0[before..out.0.len().min(before + 5)]
    );
}
