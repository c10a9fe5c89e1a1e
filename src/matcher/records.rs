//! Multi-line records: which lines continue the record before them.
//!
//! A Java exception with its frames and `Caused by:` chain, a Python
//! traceback, a Go panic with its goroutine dump, a PostgreSQL error with
//! its `DETAIL:`/`STATEMENT:` lines, an InnoDB deadlock report: each is one
//! event written over many lines, and is matched once, as a whole.
//!
//! Grouping decides line by line from cheap byte tests (leading whitespace,
//! a few fixed prefixes, the bytes a PostgreSQL line shares with the line
//! that opened its record). A JSON line is always a record of its own. The
//! scanner only groups a block when a cheap look says it may hold a
//! continuation (see [`opens_or_continues`]); other blocks cost nothing
//! more.

use regex::bytes::Regex;
use serde::Deserialize;

/// Lines a record holds at most; the next line starts a new one.
pub const MAX_RECORD_LINES: u32 = 500;

/// Built-in groupings. `auto` applies the continuations that are
/// unambiguous in any log (indented `at` frames, `Caused by:`, a Python
/// traceback, a Go panic, a JVM thread dump, PostgreSQL continuation
/// lines after a PostgreSQL line); a named preset adds what is only safe
/// where that software writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Preset {
    #[default]
    Auto,
    /// Also: every indented line continues (Java, .NET and Node traces).
    Java,
    /// Also: every indented line continues.
    Python,
    /// Also: a goroutine dump without a panic.
    Go,
    /// What `auto` does for PostgreSQL, named for configs that say so.
    Postgres,
    /// InnoDB's reports: unprefixed lines and `InnoDB: ***` lines continue.
    Mysql,
    /// Every line is a record.
    Off,
}

/// How one source's lines are grouped.
#[derive(Debug, Clone, Default)]
pub struct Grouping {
    pub preset: Preset,
    /// A line matching it starts a record; others continue (user groups).
    pub start: Option<Regex>,
    /// A line matching it continues the record before it.
    pub continues: Option<Regex>,
}

/// What the record being built is, as far as grouping cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Open {
    /// A line that only auto continuations extend.
    #[default]
    Plain,
    /// An exception with frames (Java, .NET, Node).
    Trace,
    /// A Python traceback; `ended` once its exception line came.
    Python { ended: bool },
    /// A Go panic or goroutine dump, or a JVM thread dump: everything up
    /// to the next timestamped or JSON line.
    Dump,
    /// A PostgreSQL line; its continuations repeat its first `prefix` bytes.
    Postgres { prefix: usize },
    /// An InnoDB report.
    Innodb,
    /// InnoDB's monitor output, up to its closing banner.
    Monitor,
    /// .NET's console logger: `fail: Category[0]`, then the message and
    /// its exception, each line indented.
    Dotnet,
    /// A line that may be an exception's first line
    /// (`java.lang.IllegalStateException: ...`), last in its read: frames
    /// may follow in the next.
    Header,
    /// A record that takes no more lines.
    Closed,
    /// A JSON line: never continued.
    Json,
}

impl Open {
    /// Whether a record of this kind may still get lines from a later
    /// read, so that it is held at the end of a block rather than matched
    /// at once.
    pub fn may_grow(self) -> bool {
        // An ended traceback too: a chained one may follow.
        !matches!(self, Open::Plain | Open::Json | Open::Closed)
    }
}

/// PostgreSQL writes these after the line they belong to, with its prefix.
const PG_CONTINUATIONS: [&[u8]; 6] = [
    b"DETAIL:  ",
    b"HINT:  ",
    b"CONTEXT:  ",
    b"STATEMENT:  ",
    b"QUERY:  ",
    b"LOCATION:  ",
];

/// PostgreSQL's message severities, written as `SEVERITY:  ` (two spaces).
const PG_SEVERITIES: [&[u8]; 8] = [
    b"ERROR", b"FATAL", b"PANIC", b"WARNING", b"LOG", b"NOTICE", b"INFO", b"DEBUG",
];

/// Whether a block's last line may be an exception's first line whose
/// frames come in the next read.
pub fn last_may_be_header(block: &[u8]) -> bool {
    let body = block.strip_suffix(b"\n").unwrap_or(block);
    let last = memchr::memrchr(b'\n', body).map_or(body, |i| &body[i + 1..]);
    may_be_header(last)
}

/// Whether a line may start or continue a multi-line record, by its first
/// bytes: whitespace, or one of a few fixed prefixes.
#[inline]
pub fn opens_or_continues(line: &[u8]) -> bool {
    match line.first() {
        Some(b' ' | b'\t') => true,
        Some(b'C') => line.starts_with(b"Caused by: "),
        Some(b'T') => line.starts_with(b"Traceback ("),
        Some(b'p') => line.starts_with(b"panic: "),
        Some(b'f') => line.starts_with(b"fatal error: ") || dotnet_category_line(line),
        Some(b'F') => line.starts_with(b"Full thread dump "),
        Some(b'g') => line.starts_with(b"goroutine "),
        Some(b'c' | b'w' | b'i' | b'd' | b't') => dotnet_category_line(line),
        _ => false,
    }
}

/// .NET's console logger opens each entry with its level and category on a
/// line of their own (`fail: Npgsql.Connector[0]`); the message follows,
/// indented.
fn dotnet_category_line(line: &[u8]) -> bool {
    line.ends_with(b"]")
        && crate::decode::LINE_START_MARKERS
            .iter()
            .any(|(m, _)| line.starts_with(m.as_bytes()))
}

/// Whether `line`, last in its read, may be an exception's first line
/// whose frames come in the next read: not JSON, not dated, not indented,
/// and shaped like `package.Class: message` or `package.ClassException`.
pub fn may_be_header(line: &[u8]) -> bool {
    if line.is_empty() || starts_record_line(line) || matches!(line[0], b' ' | b'\t') {
        return false;
    }
    // `java.lang.IllegalStateException: ...`, `System.IO.IOException`,
    // Node's `TypeError: ...`: a name, then a colon or the end, that names
    // an exception or error.
    let name_end = memchr::memchr2(b':', b' ', line).unwrap_or(line.len());
    let name = &line[..name_end];
    let named = [&b"Exception"[..], b"Error", b"Throwable"]
        .iter()
        .any(|suffix| name.ends_with(suffix));
    named && (name_end == line.len() || line[name_end] == b':')
}

impl Grouping {
    /// What a one-line record that is last in its read may become when the
    /// next read continues it: a PostgreSQL line waiting for its `DETAIL`,
    /// or an exception's first line waiting for its frames. Runs once per
    /// read, not per line.
    pub fn last_in_read(&self, open: Open, line: &[u8]) -> Open {
        if open != Open::Plain {
            open
        } else if let Some(prefix) = postgres_prefix(line) {
            Open::Postgres { prefix }
        } else if may_be_header(line) {
            Open::Header
        } else {
            open
        }
    }

    /// Whether every block must be grouped line by line (user groups and
    /// InnoDB reports cannot be spotted by first bytes).
    pub fn always(&self) -> bool {
        self.start.is_some() || self.continues.is_some() || self.preset == Preset::Mysql
    }

    pub fn off(&self) -> bool {
        self.preset == Preset::Off && !self.always()
    }

    /// What record `line` starts, from cheap tests of its first bytes. A
    /// PostgreSQL line is recognised when a line continues it (see
    /// [`continues`](Self::continues)), or by [`last_in_read`](Self::last_in_read).
    pub fn starts(&self, line: &[u8]) -> Open {
        let Some(&b) = line.first() else {
            return Open::Plain;
        };
        let mysql = self.preset == Preset::Mysql;
        match b {
            b'{' => Open::Json,
            // Dated lines are the common case: one comparison.
            b'0'..=b'9' if mysql && memchr::memmem::find(line, b"] InnoDB: ").is_some() => {
                Open::Innodb
            }
            b'0'..=b'9' => Open::Plain,
            b' ' | b'\t' if trim_start(line).starts_with(b"at ") => Open::Trace,
            b'T' if line.starts_with(b"Traceback (most recent call last):") => {
                Open::Python { ended: false }
            }
            b'p' if line.starts_with(b"panic: ") => Open::Dump,
            b'f' if line.starts_with(b"fatal error: ") => Open::Dump,
            b'F' if line.starts_with(b"Full thread dump ") => Open::Dump,
            b'g' if self.preset == Preset::Go && line.starts_with(b"goroutine ") => Open::Dump,
            b'c' | b'f' | b'w' | b'i' | b'd' | b't' if dotnet_category_line(line) => Open::Dotnet,
            b'=' if mysql && line.starts_with(b"=====") => Open::Monitor,
            _ => Open::Plain,
        }
    }

    /// Whether `line` continues the record `open`, whose first line is
    /// `first`; `next` is the line after `line` when it is known. Returns
    /// the record's kind with `line` in it.
    ///
    /// `postgres` says whether the read may hold PostgreSQL lines (it has
    /// PostgreSQL's `:  `); without it their continuations are not looked
    /// for.
    pub fn continues(
        &self,
        open: Open,
        first: &[u8],
        line: &[u8],
        next: Option<&[u8]>,
        postgres: bool,
    ) -> Option<Open> {
        if open == Open::Json || line.first() == Some(&b'{') {
            return None;
        }
        if self.start.is_some() || self.continues.is_some() {
            let by_start = self.start.as_ref().is_some_and(|s| !s.is_match(line));
            let by_continue = self.continues.as_ref().is_some_and(|c| c.is_match(line));
            return (by_start || by_continue).then_some(open);
        }
        let indented = matches!(line.first(), Some(b' ' | b'\t'));
        let rest = trim_start(line);
        match open {
            Open::Dump => (!starts_record_line(line)).then_some(open),
            Open::Dotnet => indented.then_some(open),
            Open::Monitor => Some(
                if memchr::memmem::find(line, b"END OF INNODB MONITOR OUTPUT").is_some() {
                    Open::Innodb
                } else {
                    open
                },
            ),
            Open::Innodb if line.starts_with(b"=====") => {
                // The banner after the monitor's last line ends it; a banner
                // elsewhere opens the next monitor output.
                let ending = memchr::memmem::find(first, b"INNODB MONITOR OUTPUT").is_some()
                    || first.starts_with(b"=====");
                ending.then_some(Open::Closed)
            }
            Open::Innodb => {
                let continued = !starts_record_line(line)
                    || memchr::memmem::find(line, b"] InnoDB: ").is_some_and(|i| {
                        let msg = &line[i + 10..];
                        msg.is_empty() || msg.starts_with(b"*** ")
                    });
                continued.then_some(open)
            }
            Open::Python { ended: false } => {
                if indented || line.is_empty() {
                    Some(open)
                } else {
                    // The exception line ends the traceback.
                    Some(Open::Python { ended: true })
                }
            }
            Open::Python { ended: true } => {
                let chained = |l: &[u8]| {
                    l.starts_with(b"During handling of the above exception")
                        || l.starts_with(b"The above exception was the direct cause")
                };
                if line.is_empty() {
                    // Between the parts of a chained exception; when the
                    // next line is not read yet, kept (a blank line at the
                    // end of a record changes nothing).
                    next.is_none_or(|n| {
                        chained(n)
                            || n.starts_with(b"Traceback (most recent call last):")
                            || error_detail_line(n)
                    })
                    .then_some(open)
                } else if chained(line) || error_detail_line(line) {
                    Some(open)
                } else if line.starts_with(b"Traceback (most recent call last):") {
                    Some(Open::Python { ended: false })
                } else {
                    None
                }
            }
            Open::Postgres { prefix } => {
                let keyword = line.len() > prefix
                    && line[..prefix] == first[..prefix]
                    && PG_CONTINUATIONS
                        .iter()
                        .any(|k| line[prefix..].starts_with(k));
                (keyword || line.first() == Some(&b'\t')).then_some(open)
            }
            Open::Plain | Open::Trace | Open::Header => match line.first() {
                Some(b' ' | b'\t') => {
                    let frame = rest.starts_with(b"at ")
                        || rest.starts_with(b"... ")
                        || rest.starts_with(b"Suppressed: ")
                        || rest.starts_with(b"Caused by: ")
                        || rest.starts_with(b"--- End of inner exception");
                    let loose = matches!(self.preset, Preset::Java | Preset::Python);
                    if frame || loose {
                        Some(Open::Trace)
                    } else if error_detail_line(line) {
                        Some(open)
                    } else if postgres && open == Open::Plain {
                        postgres_continuation(first, line)
                    } else {
                        None
                    }
                }
                Some(b'C') if line.starts_with(b"Caused by: ") => Some(Open::Trace),
                // `logging.exception()`: the traceback belongs to the line
                // that logged it. A traceback that starts a record is one
                // the interpreter printed as it died.
                Some(b'T')
                    if open == Open::Plain
                        && line.starts_with(b"Traceback (most recent call last):") =>
                {
                    Some(Open::Python { ended: false })
                }
                Some(b'0'..=b'9') if postgres && open == Open::Plain => {
                    postgres_continuation(first, line)
                }
                Some(b'0'..=b'9') => None,
                Some(_) if error_detail_line(line) => Some(open),
                // Spring Boot's default layout (`%wEx`) writes a blank line
                // between the message and its exception: kept when an
                // exception's first line follows, and that line then
                // joins if frames follow it.
                None => (open == Open::Plain && next.is_some_and(may_be_header)).then_some(open),
                // An exception's first line (`java.lang.IllegalStateException:
                // ...`) belongs to the line before it when frames follow.
                Some(_) => {
                    let header = open == Open::Plain
                        && may_be_header(line)
                        && next.is_some_and(|n| {
                            matches!(n.first(), Some(b' ' | b'\t'))
                                && trim_start(n).starts_with(b"at ")
                        });
                    header.then_some(Open::Trace)
                }
            },
            Open::Json | Open::Closed => None,
        }
    }
}

fn trim_start(line: &[u8]) -> &[u8] {
    let n = line
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t'))
        .unwrap_or(line.len());
    &line[n..]
}

/// Whether `line` goes on with a database error's message as a client
/// prints it: PostgreSQL's fields (`DETAIL:  ` as psycopg writes them,
/// `  Detail: ` as PgJDBC does, hint, context, position), the lines of a
/// deadlock's detail (`Process 7 waits for ...`, `Process 7: <statement>`)
/// and SQLAlchemy's `[SQL: ...]`, `[parameters: ...]` and `(Background on
/// this error at: ...)`. A PostgreSQL server's own lines start with their
/// prefix and are grouped by it (`postgres_continuation`).
fn error_detail_line(line: &[u8]) -> bool {
    const FIELDS: [&[u8]; 11] = [
        b"DETAIL:",
        b"Detail:",
        b"HINT:",
        b"Hint:",
        b"CONTEXT:",
        b"Where:",
        b"Position:",
        b"[SQL:",
        b"[parameters:",
        b"(Background on this error at:",
        b"(Background on this error at ",
    ];
    let t = trim_start(line);
    if FIELDS.iter().any(|f| t.starts_with(f)) {
        return true;
    }
    let Some(rest) = t.strip_prefix(b"Process ") else {
        return false;
    };
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    digits > 0 && (rest[digits..].starts_with(b" waits for ") || rest[digits..].starts_with(b": "))
}

/// A line that starts a record of its own in any common format: JSON, or
/// starting with a date, a time, a klog or syslog prefix, or logfmt's
/// `time=`/`level=`. A dump ends at such a line.
fn starts_record_line(line: &[u8]) -> bool {
    let digits = |r: std::ops::Range<usize>| {
        line.get(r)
            .is_some_and(|b| b.iter().all(u8::is_ascii_digit))
    };
    match line.first() {
        Some(b'{') => true,
        // `2026-12-01 ...`, `2026/12/01 ...`
        Some(b'0'..=b'9') if line.len() > 4 && digits(0..4) && matches!(line[4], b'-' | b'/') => {
            true
        }
        // `10:00:00.001 INFO ...`
        Some(b'0'..=b'9') => line.len() > 5 && digits(0..2) && line[2] == b':' && digits(3..5),
        // klog: `I1201 10:00:00.001 ...`
        Some(b'I' | b'W' | b'E' | b'F') if line.get(5) == Some(&b' ') && digits(1..5) => true,
        // syslog: `Dec  1 10:00:00 host ...`
        Some(b'A'..=b'Z') if line.get(3) == Some(&b' ') => crate::decode::time::MONTH_ABBREVIATIONS
            .iter()
            .any(|m| line.starts_with(m.as_bytes())),
        // logfmt: `time=... level=...`
        Some(b'l' | b't' | b'm') => [&b"level="[..], b"time=", b"ts=", b"msg="]
            .iter()
            .any(|k| line.starts_with(k)),
        _ => false,
    }
}

/// Whether `line` continues the PostgreSQL line `first`: a `DETAIL:`-like
/// line with the same prefix, or a tab-indented line. The cheap tests come
/// first: a common dated prefix, or a leading tab; only then is `first`
/// searched for its severity.
fn postgres_continuation(first: &[u8], line: &[u8]) -> Option<Open> {
    match line.first() {
        Some(b'\t') => postgres_prefix(first).map(|prefix| Open::Postgres { prefix }),
        Some(b'0'..=b'9') if first.first() == line.first() => {
            let n = first.iter().zip(line).take_while(|(a, b)| a == b).count();
            let keyword = PG_CONTINUATIONS.iter().any(|k| line[n..].starts_with(k));
            (keyword && postgres_prefix(first) == Some(n)).then_some(Open::Postgres { prefix: n })
        }
        _ => None,
    }
}

/// Where a PostgreSQL line's severity starts (`... [4242] ERROR:  ...`):
/// the prefix its continuation lines repeat. `None` for other lines.
fn postgres_prefix(line: &[u8]) -> Option<usize> {
    let colon = memchr::memmem::find(line, b":  ")?;
    let word_start = line[..colon]
        .iter()
        .rposition(|b| *b == b' ')
        .map_or(0, |i| i + 1);
    let word = &line[word_start..colon];
    let severity = PG_SEVERITIES
        .iter()
        .any(|s| word.starts_with(s) && word[s.len()..].iter().all(u8::is_ascii_digit));
    (severity && word_start > 0).then_some(word_start)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Groups `text` line by line, all of it known at once; returns each
    /// record's first and last line (1-based). The scanner's own grouping
    /// is tested on real output in `matcher::tests`.
    fn group(grouping: &Grouping, text: &str) -> Vec<(usize, usize)> {
        let lines: Vec<&[u8]> = text.lines().map(str::as_bytes).collect();
        let mut records = Vec::new();
        let mut i = 0;
        while i < lines.len() {
            let first = lines[i];
            let mut open = grouping.starts(first);
            let mut j = i + 1;
            while j < lines.len() && (j - i) < MAX_RECORD_LINES as usize {
                match grouping.continues(open, first, lines[j], lines.get(j + 1).copied(), true) {
                    Some(o) => open = o,
                    None => break,
                }
                j += 1;
            }
            records.push((i + 1, j));
            i = j;
        }
        records
    }

    #[test]
    fn json_lines_are_never_merged() {
        let text = "{\"msg\":\"a\"}\n\tat x.y(Z.java:1)\n{\"msg\":\"b\"}\n";
        assert_eq!(
            group(&Grouping::default(), text),
            vec![(1, 1), (2, 2), (3, 3)]
        );
    }

    #[test]
    fn a_java_exception_joins_the_line_before_it() {
        let text = "2026-12-01 ERROR boom\njava.lang.IllegalStateException: x\n\tat a.b(C.java:1)\nCaused by: java.sql.SQLException: y\n\t... 4 more\n2026-12-01 INFO next\n";
        assert_eq!(group(&Grouping::default(), text), vec![(1, 5), (6, 6)]);
    }

    #[test]
    fn postgres_continuations_need_the_same_prefix() {
        let text = "2026-12-01 10:00:00.001 UTC [7] ERROR:  deadlock detected\n2026-12-01 10:00:00.001 UTC [7] DETAIL:  Process 7 waits\n\tProcess 8 waits\n2026-12-01 10:00:00.001 UTC [8] DETAIL:  other backend\n";
        assert_eq!(group(&Grouping::default(), text), vec![(1, 3), (4, 4)]);
    }

    #[test]
    fn a_dump_ends_at_the_next_record_in_any_common_format() {
        for next in [
            "I1201 10:00:00.001 1 main.go:1] next",
            "Dec  1 10:00:00 host app[1]: next",
            "level=info msg=next",
            "10:00:00.001 INFO next",
        ] {
            let text = format!(
                "panic: boom\n\ngoroutine 1 [running]:\nmain.main()\n\t/x.go:1 +0x1\n{next}\n"
            );
            assert_eq!(
                group(&Grouping::default(), &text),
                vec![(1, 5), (6, 6)],
                "{next}"
            );
        }
    }

    #[test]
    fn spring_boots_blank_line_before_an_exception_stays_in_the_record() {
        let text = "2026-03-14T11:44:06.000Z  WARN 1 --- [loop-3-4] i.n.c.DefaultChannelPipeline : An exceptionCaught() event was fired\n\njava.io.IOException: Connection reset by peer\n\tat sun.nio.ch.SocketDispatcher.read0(Native Method)\n2026-03-14T11:44:07.000Z  INFO 1 --- [main] a.B : next\n";
        assert_eq!(group(&Grouping::default(), text), vec![(1, 4), (5, 5)]);
        // A blank line before anything else still ends the record.
        let text = "2026-12-01 ERROR a\n\nsome words\n";
        assert_eq!(
            group(&Grouping::default(), text),
            vec![(1, 1), (2, 2), (3, 3)]
        );
    }

    #[test]
    fn a_dotnet_console_entry_holds_its_indented_lines() {
        let text = "fail: Npgsql.NpgsqlConnector[0]\n      Failed to read\n      System.IO.EndOfStreamException: stream ended\n         at Npgsql.Internal.NpgsqlReadBuffer.Fill()\ninfo: Microsoft.Hosting.Lifetime[0]\n      Application started.\nwarn: not a category line\n      indented\n";
        assert_eq!(
            group(&Grouping::default(), text),
            vec![(1, 4), (5, 6), (7, 7), (8, 8)]
        );
    }

    #[test]
    fn a_database_errors_detail_stays_with_the_error_a_client_logged() {
        // psycopg's exception, its message going on after the traceback.
        let psycopg = "2026-12-01 22:55:16,102 ERROR [app.repo] transfer failed\nTraceback (most recent call last):\n  File \"/app/repo.py\", line 41, in t1\n    a.execute(\"update acc set bal=bal+1 where id=2\")\npsycopg.errors.DeadlockDetected: deadlock detected\nDETAIL:  Process 17829 waits for ShareLock on transaction 742; blocked by process 17830.\nProcess 17830 waits for ShareLock on transaction 741; blocked by process 17829.\nHINT:  See server log for query details.\nCONTEXT:  while updating tuple (0,2) in relation \"acc\"\n2026-12-01 22:55:17,001 INFO [app.repo] next\n";
        assert_eq!(group(&Grouping::default(), psycopg), vec![(1, 9), (10, 10)]);
        // SQLAlchemy's, with a blank line before the statement.
        let sqlalchemy = "Traceback (most recent call last):\n  File \"/app/t.py\", line 40, in run\n    session.commit()\nsqlalchemy.exc.OperationalError: (psycopg2.errors.DeadlockDetected) deadlock detected\nDETAIL:  Process 1 waits for ShareLock on transaction 2; blocked by process 3.\n\n[SQL: UPDATE acc SET bal=bal+1 WHERE id=2]\n(Background on this error at: https://sqlalche.me/e/14/e3q8)\nsome other words\n";
        assert_eq!(
            group(&Grouping::default(), sqlalchemy),
            vec![(1, 8), (9, 9)]
        );
        // PgJDBC's message through Hibernate's logger.
        let pgjdbc = "2026-11-23T10:42:01.552Z ERROR 1 --- [ledger] [nio-8080-exec-6] o.h.engine.jdbc.spi.SqlExceptionHelper   : ERROR: deadlock detected\n  Detail: Process 28811 waits for ShareLock on transaction 91377; blocked by process 28790.\nProcess 28790 waits for ShareLock on transaction 91376; blocked by process 28811.\n  Hint: See server log for query details.\n  Where: while updating tuple (12,4) in relation \"account\"\n2026-11-23T10:42:02.000Z  INFO 1 --- [ledger] [main] a.B : next\n";
        assert_eq!(group(&Grouping::default(), pgjdbc), vec![(1, 5), (6, 6)]);
        // Words that only look like it stay apart.
        let other = "2026-12-01 ERROR a\nProcess exited with code 1\nProcessing: 4\n";
        assert_eq!(
            group(&Grouping::default(), other),
            vec![(1, 1), (2, 2), (3, 3)]
        );
    }

    #[test]
    fn only_an_exception_name_joins_the_line_before_it() {
        let text = "2026-12-01 INFO a\nsome.host.name: refused\n\tat x.y(Z.java:1)\n";
        assert_eq!(group(&Grouping::default(), text), vec![(1, 1), (2, 3)]);
        let text = "2026-12-01 ERROR a\nTypeError: x is undefined\n    at f (/app/a.js:1:2)\n";
        assert_eq!(group(&Grouping::default(), text), vec![(1, 3)]);
    }
}
