//! Log levels in every spelling the supported formats use.

use aho_corasick::{AhoCorasick, MatchKind};
use serde::Serialize;

/// A normalised level. Ordered from least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Trace,
    Debug,
    Info,
    Warn,
    Error,
    Fatal,
}

impl Level {
    /// Reads a level name: tracing's `WARN`, Serilog's `Warning`, syslog's
    /// `crit`, PostgreSQL's `LOG`/`FATAL`/`PANIC`, and so on.
    pub fn parse(s: &str) -> Option<Level> {
        let s = s.trim();
        let eq = |names: &[&str]| names.iter().any(|n| s.eq_ignore_ascii_case(n));
        Some(if eq(&["trace", "verbose", "finest", "finer"]) {
            Level::Trace
        } else if eq(&[
            "debug", "debug1", "debug2", "debug3", "debug4", "debug5", "fine", "dbg",
        ]) {
            Level::Debug
        } else if eq(&[
            "info",
            "information",
            "log",
            "notice",
            "statement",
            "detail",
            "config",
            // go-zero's periodic statistics.
            "stat",
        ]) {
            Level::Info
        } else if eq(&[
            "warn", "warning", "wrn", // go-zero's slow calls.
            "slow",
        ]) {
            Level::Warn
        } else if eq(&["error", "err", "severe", "eror"]) {
            Level::Error
        } else if eq(&[
            "fatal",
            "critical",
            "crit",
            "panic",
            "alert",
            "emerg",
            "emergency",
            "dpanic",
            "ftl",
        ]) {
            Level::Fatal
        } else {
            return None;
        })
    }

    /// Bunyan and pino numeric levels (10 trace ... 60 fatal).
    pub fn from_number(n: f64) -> Level {
        match n as i64 {
            i64::MIN..=10 => Level::Trace,
            11..=20 => Level::Debug,
            21..=30 => Level::Info,
            31..=40 => Level::Warn,
            41..=50 => Level::Error,
            _ => Level::Fatal,
        }
    }

    /// MongoDB's severity letter (`F`, `E`, `W`, `I`, `D1` to `D5`).
    pub fn from_mongodb(s: &str) -> Option<Level> {
        Some(match s.as_bytes().first()? {
            b'F' => Level::Fatal,
            b'E' => Level::Error,
            b'W' => Level::Warn,
            b'I' => Level::Info,
            b'D' => Level::Debug,
            _ => return None,
        })
    }

    /// Syslog's numeric severity (0 emerg ... 7 debug), as the journal
    /// writes it.
    pub fn from_syslog_priority(s: &str) -> Option<Level> {
        Some(match s.trim() {
            "0" | "1" | "2" => Level::Fatal,
            "3" => Level::Error,
            "4" => Level::Warn,
            "5" | "6" => Level::Info,
            "7" => Level::Debug,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Trace => "trace",
            Level::Debug => "debug",
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Error => "error",
            Level::Fatal => "fatal",
        }
    }
}

/// Markers that give a plain-text line its level. Of several in a line the
/// earliest wins (the logger writes its level before the message, which
/// may quote another: `INFO ... (last cause: ERROR: relation is locked)`);
/// of two at the same place, the one listed first, most severe first.
pub const TEXT_MARKERS: &[(&str, Level)] = &[
    ("PANIC:", Level::Fatal),
    ("FATAL:", Level::Fatal),
    ("[emerg]", Level::Fatal),
    ("[alert]", Level::Fatal),
    ("[crit]", Level::Fatal),
    (" FATAL ", Level::Fatal),
    // gunicorn's and Python's `[CRITICAL]`, Python's `%(levelname)s`
    // between spaces, and bracketed `[FATAL]`.
    ("[CRITICAL]", Level::Fatal),
    (" CRITICAL ", Level::Fatal),
    ("[FATAL]", Level::Fatal),
    ("level=fatal", Level::Fatal),
    ("level=panic", Level::Fatal),
    // log15's logfmt (`lvl=eror`, Grafana before 9, InfluxDB 1.x).
    ("lvl=crit", Level::Fatal),
    // Three-letter levels in brackets: Serilog's console template
    // (`[10:16:41 ERR]`), EventStoreDB's (`[    1, 7,10:16:41.902,ERR]`),
    // NATS's and Rebus's (`[ERR]`).
    ("[FTL]", Level::Fatal),
    (" FTL]", Level::Fatal),
    (",FTL]", Level::Fatal),
    ("ERROR:", Level::Error),
    // java.util.logging's SimpleFormatter (`SEVERE: message` on the line
    // after the date) and Tomcat's OneLineFormatter (`... SEVERE [main]`).
    ("SEVERE:", Level::Error),
    (" SEVERE ", Level::Error),
    ("[error]", Level::Error),
    ("[ERROR]", Level::Error),
    (" ERROR ", Level::Error),
    ("level=error", Level::Error),
    ("level=ERROR", Level::Error),
    ("lvl=eror", Level::Error),
    ("lvl=error", Level::Error),
    ("[ERR]", Level::Error),
    ("] error: ", Level::Error),
    // A letter in brackets after the time: frp's and beego's
    // (`2026-12-03 10:22:01.123 [E] [visitor/xtcp.go:168] ...`).
    (" [E] ", Level::Error),
    (" ERR]", Level::Error),
    (",ERR]", Level::Error),
    ("WARNING:", Level::Warn),
    ("[warn]", Level::Warn),
    ("[WARN]", Level::Warn),
    ("[warning]", Level::Warn),
    // gunicorn's and Python's `[WARNING]`; MySQL's and MariaDB's error log
    // (`[Warning] [MY-010055]`); log4j's padded `%-5p` in brackets, as
    // Elasticsearch, OpenSearch and Logstash write it (`[WARN ]`).
    ("[WARNING]", Level::Warn),
    ("[Warning]", Level::Warn),
    ("[WARN ]", Level::Warn),
    (" WARN ", Level::Warn),
    (" WARNING ", Level::Warn),
    ("level=warn", Level::Warn),
    ("level=WARN", Level::Warn),
    ("lvl=warn", Level::Warn),
    ("WARN:", Level::Warn),
    ("[WRN]", Level::Warn),
    // winston's `timestamp` and `label` formats before its level:
    // `2026-12-03T10:15:22.481Z [EG:policy] warn: message`.
    ("] warn: ", Level::Warn),
    (" [W] ", Level::Warn),
    (" WRN]", Level::Warn),
    (",WRN]", Level::Warn),
    ("LOG:", Level::Info),
    ("[notice]", Level::Info),
    ("[info]", Level::Info),
    ("[INFO]", Level::Info),
    ("[INFO ]", Level::Info),
    // MySQL's `[System]` (start and stop) and PostgreSQL's `NOTICE:`.
    // MySQL's `[Note]` is left unread: InnoDB writes trouble at it (the
    // deadlock dump of innodb_print_all_deadlocks, page_cleaner's stalls),
    // so it is not a routine level.
    ("[System]", Level::Info),
    ("NOTICE:", Level::Info),
    ("[NOTICE]", Level::Info),
    (" INFO ", Level::Info),
    ("] info: ", Level::Info),
    (" [I] ", Level::Info),
    ("level=info", Level::Info),
    ("level=INFO", Level::Info),
    ("lvl=info", Level::Info),
    ("[INF]", Level::Info),
    (" INF]", Level::Info),
    (",INF]", Level::Info),
    (" DEBUG ", Level::Debug),
    ("] debug: ", Level::Debug),
    (" [D] ", Level::Debug),
    ("[DEBUG]", Level::Debug),
    ("[debug]", Level::Debug),
    ("level=debug", Level::Debug),
    ("level=DEBUG", Level::Debug),
    ("lvl=dbug", Level::Debug),
    ("lvl=debug", Level::Debug),
    ("[DBG]", Level::Debug),
    (" DBG]", Level::Debug),
    (",DBG]", Level::Debug),
    (" TRACE ", Level::Trace),
    ("[TRACE]", Level::Trace),
    ("[TRC]", Level::Trace),
    ("[VRB]", Level::Trace),
    (" VRB]", Level::Trace),
    (",VRB]", Level::Trace),
    // CloudWeGo's klog and hlog (Kitex, Hertz) after Go's `log` prefix
    // and the file: `2026/12/06 11:58:02.123456 handler.go:41: [Error] `.
    (": [Fatal] ", Level::Fatal),
    (": [Error] ", Level::Error),
    (": [Warn] ", Level::Warn),
    (": [Notice] ", Level::Info),
    (": [Info] ", Level::Info),
    (": [Debug] ", Level::Debug),
    (": [Trace] ", Level::Trace),
    // Telegraf's `E!`, `W!`, `I!` and `D!`.
    (" E! ", Level::Error),
    (" W! ", Level::Warn),
    (" I! ", Level::Info),
    (" D! ", Level::Debug),
    // Apache httpd 2.4's `[module:level]` (`[proxy_http:error]`). Its
    // `notice` is left unread: httpd reports a child's segfault at it
    // (`[core:notice] ... AH00052: child pid 4321 exit signal
    // Segmentation fault`), so it is not a routine level.
    (":emerg]", Level::Fatal),
    (":alert]", Level::Fatal),
    (":crit]", Level::Fatal),
    (":error]", Level::Error),
    (":warn]", Level::Warn),
    (":info]", Level::Info),
    (":debug]", Level::Debug),
    (":trace1]", Level::Trace),
    (":trace2]", Level::Trace),
    (":trace3]", Level::Trace),
    (":trace4]", Level::Trace),
    (":trace5]", Level::Trace),
    (":trace6]", Level::Trace),
    (":trace7]", Level::Trace),
    (":trace8]", Level::Trace),
    // spdlog's (and so Envoy's) `[critical]` and `[trace]`; its other
    // words are the bracketed ones above.
    ("[critical]", Level::Fatal),
    ("[trace]", Level::Trace),
    // Fluent Bit right-aligns its level in five columns.
    ("[ warn]", Level::Warn),
    ("[ info]", Level::Info),
    ("[ help]", Level::Info),
    // structlog's console renderer pads the level to nine columns.
    ("[critical ]", Level::Fatal),
    ("[exception]", Level::Error),
    ("[error    ]", Level::Error),
    ("[warning  ]", Level::Warn),
    ("[warn     ]", Level::Warn),
    ("[info     ]", Level::Info),
    ("[debug    ]", Level::Debug),
    // HAProxy's own messages (`[ALERT]    (1) : ...`): its alerts are
    // what stops it or leaves a backend without a server.
    ("[ALERT]", Level::Fatal),
    // ClickHouse's `<Error>` after the thread and query id.
    ("<Fatal>", Level::Fatal),
    ("<Critical>", Level::Fatal),
    ("<Error>", Level::Error),
    ("<Warning>", Level::Warn),
    ("<Notice>", Level::Info),
    ("<Information>", Level::Info),
    ("<Debug>", Level::Debug),
    ("<Trace>", Level::Trace),
    ("<Test>", Level::Trace),
    // NLog's default layout: `2026-12-07 10:00:00.1234|ERROR|logger|...`.
    ("|FATAL|", Level::Fatal),
    ("|ERROR|", Level::Error),
    ("|WARN|", Level::Warn),
    ("|INFO|", Level::Info),
    ("|DEBUG|", Level::Debug),
    ("|TRACE|", Level::Trace),
    // Celery's `[2026-12-07 10:00:00,123: ERROR/MainProcess]`.
    (": CRITICAL/", Level::Fatal),
    (": ERROR/", Level::Error),
    (": WARNING/", Level::Warn),
    (": INFO/", Level::Info),
    (": DEBUG/", Level::Debug),
    // supervisord's four-letter levels (its `WARN` and `INFO` are above).
    (" CRIT ", Level::Fatal),
    (" ERRO ", Level::Error),
    (" DEBG ", Level::Debug),
    (" TRAC ", Level::Trace),
    (" BLAT ", Level::Trace),
    // loguru's `| SUCCESS  |` (its other levels are the words above).
    ("| SUCCESS ", Level::Info),
    // Erlang/OTP's report headers (`=ERROR REPORT==== 7-Dec-2026::...`).
    ("=EMERGENCY REPORT====", Level::Fatal),
    ("=ALERT REPORT====", Level::Fatal),
    ("=CRITICAL REPORT====", Level::Fatal),
    ("=ERROR REPORT====", Level::Error),
    ("=CRASH REPORT====", Level::Error),
    ("=SUPERVISOR REPORT====", Level::Error),
    ("=WARNING REPORT====", Level::Warn),
    ("=NOTICE REPORT====", Level::Info),
    ("=INFO REPORT====", Level::Info),
    ("=PROGRESS REPORT====", Level::Info),
    ("=DEBUG REPORT====", Level::Debug),
    // PHP's error log (`PHP Fatal error:  Uncaught ...`).
    ("PHP Fatal error:", Level::Fatal),
    ("PHP Recoverable fatal error:", Level::Error),
    ("PHP Parse error:", Level::Fatal),
    ("PHP Warning:", Level::Warn),
    ("PHP Notice:", Level::Info),
    ("PHP Deprecated:", Level::Info),
    ("PHP Strict Standards:", Level::Info),
    // Postfix's lowercase words after the daemon's pid
    // (`postfix/smtpd[1234]: warning: ...`), and Dovecot's capitalised
    // ones after its process prefix (`imap(alice)<4321><AbCd>: Error:`).
    ("]: panic: ", Level::Fatal),
    ("]: fatal: ", Level::Fatal),
    ("]: error: ", Level::Error),
    ("]: warning: ", Level::Warn),
    (": Panic: ", Level::Fatal),
    (": Fatal: ", Level::Fatal),
    (": Error: ", Level::Error),
    (": Warning: ", Level::Warn),
    // Tarantool's letter before `>` (`main/103/interactive E> ...`).
    (" F> ", Level::Fatal),
    (" C> ", Level::Fatal),
    (" !> ", Level::Error),
    (" E> ", Level::Error),
    (" W> ", Level::Warn),
    (" I> ", Level::Info),
    (" V> ", Level::Debug),
    (" D> ", Level::Debug),
    // Heroku's router (`at=error code=H12 desc="Request timeout"`).
    (" at=error ", Level::Error),
    (" at=info ", Level::Info),
    // GlusterFS's letter after the time (`[2026-12-07 10:14:03.512345
    // +0000] W [MSGID: 109033] [dht-diskusage.c:250:...] ...`); its `M`,
    // `A` and `C` are emergency, alert and critical.
    ("] M [", Level::Fatal),
    ("] A [", Level::Fatal),
    ("] C [", Level::Fatal),
    ("] E [", Level::Error),
    ("] W [", Level::Warn),
    ("] I [", Level::Info),
    ("] D [", Level::Debug),
    ("] T [", Level::Trace),
    // capnslog's letter between the time and the package (etcd 3.3 and
    // before, Dragonboat: `2026-12-07 10:14:03.512345 W | etcdserver: ...`).
    (" C | ", Level::Fatal),
    (" E | ", Level::Error),
    (" W | ", Level::Warn),
    (" N | ", Level::Info),
    (" I | ", Level::Info),
    (" D | ", Level::Debug),
    // Asterisk's level and thread (`[Dec  7 10:14:03] WARNING[28841]: ...`).
    ("] ERROR[", Level::Error),
    ("] WARNING[", Level::Warn),
    ("] NOTICE[", Level::Info),
    ("] VERBOSE[", Level::Debug),
    ("] DEBUG[", Level::Debug),
    // Icinga 2's level and facility (`[2026-12-07 10:14:03 +0000]
    // warning/ApiListener: ...`); `critical` is its worst.
    ("] critical/", Level::Error),
    ("] warning/", Level::Warn),
    ("] information/", Level::Info),
    ("] notice/", Level::Info),
    ("] debug/", Level::Debug),
    // FreeRADIUS's `radius.log` (`Mon Dec  7 10:14:03 2026 : Info: ...`;
    // its `Error:` and `Warning:` are above).
    (" : Info: ", Level::Info),
    (" : Debug: ", Level::Debug),
    // Apache Geode's lowercase level before the year (`[warn 2026/12/07
    // 10:14:03.512 UTC server1 <Thread 7> tid=0x5c] ...`), and its older
    // `severe` and `warning`.
    ("[fatal 2", Level::Fatal),
    ("[severe 2", Level::Error),
    ("[error 2", Level::Error),
    ("[warning 2", Level::Warn),
    ("[warn 2", Level::Warn),
    ("[info 2", Level::Info),
    ("[debug 2", Level::Debug),
    ("[trace 2", Level::Trace),
    // GlassFish's and Payara's ODL-style record (`[#|2026-12-07T10:14:03
    // .512+0000|WARNING|GlassFish 7.0|...`); its `INFO` is above.
    ("|SEVERE|", Level::Error),
    ("|WARNING|", Level::Warn),
    ("|CONFIG|", Level::Info),
    ("|FINE|", Level::Debug),
    ("|FINER|", Level::Trace),
    ("|FINEST|", Level::Trace),
    // Apache Traffic Server's `NOTE:` and `STATUS:` after the thread
    // (`[Dec  7 10:14:03.512] [ET_NET 3] NOTE: ...`, or `{0x7f...} NOTE:`
    // before 9); its `WARNING:`, `ERROR:` and `FATAL:` are above.
    ("] NOTE: ", Level::Info),
    ("} NOTE: ", Level::Info),
    ("] STATUS: ", Level::Info),
    ("} STATUS: ", Level::Info),
    ("] ALERT: ", Level::Fatal),
    ("} ALERT: ", Level::Fatal),
    ("] EMERGENCY: ", Level::Fatal),
    ("} EMERGENCY: ", Level::Fatal),
];

/// Markers a line starts with: .NET's console logger (`fail: Category[0]`),
/// Python's `logging.basicConfig` (`DEBUG:name:message`; its `INFO:` is
/// read by [`python_info_level`], since the kernel's hung-task warning
/// starts with `INFO: task`) and
/// loggers that put the level first (`TRACE 2026-12-06 ...`, Scylla's
/// `INFO  2026-...`).
pub const LINE_START_MARKERS: &[(&str, Level)] = &[
    ("crit: ", Level::Fatal),
    ("fail: ", Level::Error),
    ("warn: ", Level::Warn),
    ("info: ", Level::Info),
    ("dbug: ", Level::Debug),
    ("trce: ", Level::Trace),
    ("CRITICAL:", Level::Fatal),
    ("DEBUG:", Level::Debug),
    ("ERROR ", Level::Error),
    ("WARN ", Level::Warn),
    ("INFO ", Level::Info),
    ("DEBUG ", Level::Debug),
    ("TRACE ", Level::Trace),
    // go-ethereum's terminal format pads the level to five before the
    // time in brackets: `ERROR[12-08|10:53:31.004]`, `CRIT [12-08|...`.
    ("CRIT [", Level::Fatal),
    ("ERROR[", Level::Error),
    ("DEBUG[", Level::Debug),
    ("TRACE[", Level::Trace),
];

/// The level of a glog or klog line (`I1206 11:58:03.223456 12345
/// file.cc:80] ...`; with the year, `W20261206 ...`, or CockroachDB's
/// `E261206 ...`): its first letter, when a date of four, six or eight
/// digits and a time follow it.
fn glog_level(line: &str) -> Option<(Level, &'static str)> {
    let b = line.as_bytes();
    let (level, marker) = match b.first()? {
        b'I' => (Level::Info, "I"),
        b'W' => (Level::Warn, "W"),
        b'E' => (Level::Error, "E"),
        b'F' => (Level::Fatal, "F"),
        _ => return None,
    };
    let digits = b[1..].iter().take_while(|c| c.is_ascii_digit()).count();
    let time = b.get(digits + 2..digits + 5)?;
    (matches!(digits, 4 | 6 | 8)
        && b[digits + 1] == b' '
        && time[..2].iter().all(u8::is_ascii_digit)
        && time[2] == b':')
        .then_some((level, marker))
}

/// The level of a Redis or Valkey server line (`4123:M 07 Dec 2026
/// 10:31:02.123 # msg`): the mark after the time, `.` debug, `-` verbose,
/// `*` notice (the default verbosity: routine), `#` warning. The pid, a
/// role letter and the `%d %b %Y` date must come first, so a `#` or `*`
/// in any other line is not read as a level.
fn redis_level(line: &str) -> Option<(Level, &'static str)> {
    let b = line.as_bytes();
    let pid = b.iter().take_while(|c| c.is_ascii_digit()).count();
    let rest = b.get(pid..)?;
    // `:R ` then `dd Mon yyyy hh:mm:ss.mmm ` then the mark and a space.
    let head = rest.get(..29)?;
    let well_formed = pid > 0
        && head[0] == b':'
        && matches!(head[1], b'M' | b'S' | b'C' | b'X')
        && head[2] == b' '
        && head[3..5].iter().all(u8::is_ascii_digit)
        && head[5] == b' '
        && head[6..9].iter().all(u8::is_ascii_alphabetic)
        && head[9] == b' '
        && head[10..14].iter().all(u8::is_ascii_digit)
        && head[14] == b' '
        && head[17] == b':'
        && head[23] == b'.'
        && head[27] == b' ';
    if !well_formed || rest.get(29) != Some(&b' ') {
        return None;
    }
    match head[28] {
        b'#' => Some((Level::Warn, "#")),
        b'*' => Some((Level::Info, "*")),
        b'-' => Some((Level::Debug, "-")),
        b'.' => Some((Level::Debug, ".")),
        _ => None,
    }
}

/// Levels of zap's console encoder, as its capital or lowercase level
/// encoders write them.
const ZAP_CONSOLE_LEVELS: &[(&str, Level)] = &[
    ("DEBUG", Level::Debug),
    ("INFO", Level::Info),
    ("WARN", Level::Warn),
    ("ERROR", Level::Error),
    ("DPANIC", Level::Fatal),
    ("PANIC", Level::Fatal),
    ("FATAL", Level::Fatal),
];

/// Levels of zerolog's `ConsoleWriter`: three capitals.
const ZEROLOG_CONSOLE_LEVELS: &[(&str, Level)] = &[
    ("TRC", Level::Trace),
    ("DBG", Level::Debug),
    ("INF", Level::Info),
    ("WRN", Level::Warn),
    ("ERR", Level::Error),
    ("FTL", Level::Fatal),
    ("PNC", Level::Fatal),
];

/// The level of a line from Go's console encoders, which write it as the
/// second column after the time: zap's (`zap.NewDevelopment`, and so
/// every controller-runtime operator) between tabs, in capitals or not
/// (`2026-12-06T10:16:41.902Z\tERROR\tmain.go:12\tfailed`), and
/// zerolog's `ConsoleWriter` (without colour) after a space
/// (`10:16AM ERR failed`), as slog's tint handler writes it too, after
/// its default `Dec  9 14:22:31.408` time or a time in brackets
/// (`[14:22:31.408] ERR failed`), and with a level between the usual
/// ones as `ERR+2`. The first column must look like a time: a digit
/// first, a colon in it. zap's time column may hold a space of its own
/// (a `2006-01-02 15:04:05` time encoder, as dubbo-go's).
fn console_level(line: &str) -> Option<(Level, &'static str)> {
    let looks_like_time = |t: &str| t.starts_with(|c: char| c.is_ascii_digit()) && t.contains(':');
    let zap = || {
        let (time, rest) = line.split_once('\t')?;
        let column = rest.split('\t').next()?;
        if !looks_like_time(time) {
            return None;
        }
        ZAP_CONSOLE_LEVELS
            .iter()
            .find(|(name, _)| column.eq_ignore_ascii_case(name))
    };
    let zerolog = || {
        let rest = match stamp_time_len(line) {
            Some(len) => line[len..].strip_prefix(' ')?,
            None => {
                let (time, rest) = line.split_once(' ')?;
                let time = time
                    .strip_prefix('[')
                    .and_then(|t| t.strip_suffix(']'))
                    .unwrap_or(time);
                if !looks_like_time(time) || time.contains('\t') {
                    return None;
                }
                rest
            }
        };
        let column = rest.split(' ').next()?;
        // tint writes a level between two of slog's as the lower one
        // and the distance: `WRN+2`, `ERR-1`.
        let column = column.split(['+', '-']).next()?;
        ZEROLOG_CONSOLE_LEVELS
            .iter()
            .find(|(name, _)| column == *name)
    };
    zap().or_else(zerolog).map(|(name, level)| (*level, *name))
}

/// The length of a Go `time.Stamp` or `time.StampMilli` time at the
/// start of `line` (`Dec  9 14:22:31` or `Dec  9 14:22:31.408`), tint's
/// default.
fn stamp_time_len(line: &str) -> Option<usize> {
    let b = line.as_bytes();
    let month = super::time::MONTH_ABBREVIATIONS
        .iter()
        .any(|m| line.starts_with(m));
    let day = b.get(4..6)?;
    let clock = b.get(7..15)?;
    let well_formed = month
        && b[3] == b' '
        && (day[0] == b' ' || day[0].is_ascii_digit())
        && day[1].is_ascii_digit()
        && b[6] == b' '
        && clock[2] == b':'
        && clock[5] == b':'
        && [0, 1, 3, 4, 6, 7]
            .iter()
            .all(|&i| clock[i].is_ascii_digit());
    if !well_formed {
        return None;
    }
    let fraction = match b.get(15) {
        Some(b'.') => 1 + b[16..].iter().take_while(|c| c.is_ascii_digit()).count(),
        _ => 0,
    };
    Some(15 + fraction)
}

/// logrus's text formatter on a terminal writes its level in four
/// capitals before the seconds since start or the time, in brackets:
/// `ERRO[0012] msg`, `WARN[2026-12-07T10:00:00Z] msg`.
fn logrus_level(line: &str) -> Option<(Level, &'static str)> {
    const LEVELS: &[(&str, Level)] = &[
        ("PANI[", Level::Fatal),
        ("FATA[", Level::Fatal),
        ("ERRO[", Level::Error),
        ("WARN[", Level::Warn),
        ("INFO[", Level::Info),
        ("DEBU[", Level::Debug),
        ("TRAC[", Level::Trace),
    ];
    let (marker, level) = LEVELS.iter().find(|(m, _)| line.starts_with(m))?;
    line.as_bytes()
        .get(5)
        .is_some_and(u8::is_ascii_digit)
        .then_some((*level, *marker))
}

/// Python's `logging.basicConfig` writes `INFO:name:message`, the
/// logger's name right after the colon; the kernel's hung-task warning,
/// which is trouble, writes `INFO: task kworker/0:1:42 blocked ...`, with
/// a space.
fn python_info_level(line: &str) -> Option<(Level, &'static str)> {
    line.strip_prefix("INFO:")
        .is_some_and(|rest| rest.starts_with(|c: char| !c.is_whitespace()))
        .then_some((Level::Info, "INFO:"))
}

/// [`TEXT_MARKERS`] as one automaton: a single pass over the line finds
/// the earliest marker, and of two starting at the same place the one
/// listed first (leftmost-first), instead of one search per marker.
static TEXT_MARKER_SEARCH: std::sync::LazyLock<AhoCorasick> = std::sync::LazyLock::new(|| {
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostFirst)
        .build(TEXT_MARKERS.iter().map(|(m, _)| m))
        .expect("the text markers are plain literals")
});

/// The level of a plain-text line from its markers: a line-start marker
/// first (it is the logger's own), then logrus's, then glog's letter,
/// then Redis's mark, then a console encoder's column, then the earliest
/// of [`TEXT_MARKERS`] in the line.
///
/// A line that syslog or the journal wrote (`Dec  3 10:15:22 node-3
/// kubelet[2315]: E1203 10:15:22.217027 ...`) has the program's own line
/// after its header: the line-start markers are looked for there.
pub fn text_level(line: &str) -> Option<(Level, &'static str)> {
    let start = syslog_body(line).unwrap_or(line);
    LINE_START_MARKERS
        .iter()
        .find(|(m, _)| start.starts_with(m))
        .map(|(m, l)| (*l, *m))
        .or_else(|| python_info_level(start))
        .or_else(|| logrus_level(start))
        .or_else(|| glog_level(start))
        .or_else(|| redis_level(start))
        .or_else(|| console_level(start))
        .or_else(|| {
            let found = TEXT_MARKER_SEARCH.find(line)?;
            let (marker, level) = TEXT_MARKERS[found.pattern().as_usize()];
            Some((level, marker))
        })
}

/// What follows the header syslog (RFC 3164) and `journalctl`'s default
/// and `short-iso` outputs put before a program's line: `Dec  3 10:15:22`
/// or `2026-12-03T10:15:22+0000`, the host, the program's name with its
/// pid in brackets or not, and `: `. `None` for a line without one.
fn syslog_body(line: &str) -> Option<&str> {
    let b = line.as_bytes();
    let after_time = if let Some(len) = stamp_time_len(line) {
        // `Dec  3 10:15:22 ` or `Dec 03 10:15:22 `, without a fraction.
        (len == 15 && b.get(15) == Some(&b' ')).then_some(16)?
    } else if b.len() > 19 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' && b[10] == b'T'
    {
        line.find(' ')? + 1
    } else {
        return None;
    };
    let rest = &line[after_time..];
    let (host, rest) = rest.split_once(' ')?;
    let (tag, body) = rest.split_once(": ")?;
    let name = tag.split_once('[').map_or(tag, |(name, pid)| {
        if pid
            .strip_suffix(']')
            .is_some_and(|p| p.bytes().all(|c| c.is_ascii_digit()))
        {
            name
        } else {
            ""
        }
    });
    let is_name = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b'/' | b'@'))
    };
    (!host.is_empty() && is_name(name)).then_some(body)
}
