//! Decoding a candidate line: strip the envelope, recognise the record
//! format, and find the message, error, level, target, time and trace
//! context under whatever names the format uses.
//!
//! Only lines the prefilter admits are decoded, so this module may
//! allocate; the hot loop in `matcher` never calls it for other lines.

mod envelope;
pub mod exception;
mod field;
mod level;
pub mod time;

pub use envelope::{parse_cri, parse_docker, CriLine, Envelope};
pub use field::FieldRef;
pub use level::{text_level, Level, LINE_START_MARKERS};

use std::borrow::Cow;
use std::fmt::Write as _;

use serde_json::{Map, Value};

/// The record format of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// tracing-subscriber's JSON formatter (`fields.message`, `target`, `span`).
    TracingJson,
    /// Bunyan and pino (`msg`, numeric `level`).
    Bunyan,
    /// Elastic Common Schema and logstash-logback (`message`, `log.level`, `@timestamp`).
    Ecs,
    /// Serilog's compact JSON (`@t`, `@m`/`@mt`, `@l`, `@x`).
    Clef,
    /// Go's zap and slog (`msg`, string `level`).
    Zap,
    /// PostgreSQL's `jsonlog` (`error_severity`, `state_code`).
    PgJsonlog,
    /// Any other JSON object, read through the usual field names.
    OtherJson,
    /// Not JSON: server logs, crash output, nginx.
    Text,
}

impl Format {
    pub const ALL: [Format; 8] = [
        Format::TracingJson,
        Format::Bunyan,
        Format::Ecs,
        Format::Clef,
        Format::Zap,
        Format::PgJsonlog,
        Format::OtherJson,
        Format::Text,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::TracingJson => "tracing_json",
            Format::Bunyan => "bunyan",
            Format::Ecs => "ecs",
            Format::Clef => "clef",
            Format::Zap => "zap",
            Format::PgJsonlog => "pg_jsonlog",
            Format::OtherJson => "json",
            Format::Text => "text",
        }
    }

    fn detect(obj: &Map<String, Value>) -> Format {
        let has = |k: &str| obj.contains_key(k);
        if has("@t") || has("@mt") || has("@m") {
            Format::Clef
        } else if has("error_severity") {
            Format::PgJsonlog
        } else if obj.get("fields").is_some_and(Value::is_object)
            || (has("target") && has("timestamp"))
        {
            Format::TracingJson
        } else if has("@timestamp") || has("log.level") || has("ecs.version") || has("ecs") {
            Format::Ecs
        } else if has("msg") && obj.get("level").is_some_and(Value::is_number) {
            Format::Bunyan
        } else if has("msg") {
            Format::Zap
        } else {
            Format::OtherJson
        }
    }
}

/// A decoded line. Fields are looked up by the names the format uses and
/// exposed under tailwatch's own names (`message`, `error`, ...).
#[derive(Debug, Clone)]
pub struct Record<'a> {
    pub envelope: Envelope,
    pub format: Format,
    /// The line the application wrote (envelope removed).
    pub line: Cow<'a, str>,
    /// True when the line looked like JSON but did not parse.
    pub invalid_json: bool,
    pub json: Option<Map<String, Value>>,
    pub message: Option<String>,
    pub error: Option<String>,
    pub level: Option<Level>,
    pub level_text: Option<String>,
    pub target: Option<String>,
    /// Unix microseconds, from the record or else from the envelope.
    pub timestamp: Option<i64>,
    pub trace_id: Option<String>,
    pub span_id: Option<String>,
}

impl Record<'_> {
    /// Whether tailwatch itself logged this record (its `target` is
    /// `tailwatch` or one of its modules). Such records are never matched:
    /// a node agent reads its own container's log, and a match of its own
    /// line could log again.
    pub fn is_own_log(&self) -> bool {
        self.target.as_deref().is_some_and(|t| {
            t.strip_prefix(crate::telemetry::OWN_TARGET)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with("::"))
        })
    }
}

/// Decodes one logical line. For CRI, and for Docker lines joined from
/// split entries, the parts are already joined and unwrapped, and
/// `envelope_time` is the runtime's timestamp; a Docker line without
/// `envelope_time` is still wrapped.
pub fn decode<'a>(raw: &'a [u8], envelope: Envelope, envelope_time: Option<&[u8]>) -> Record<'a> {
    let (line, docker_time) = unwrapped(raw, envelope, envelope_time);
    let envelope_ts = match envelope_time {
        Some(t) => std::str::from_utf8(t).ok().and_then(time::parse_text),
        None => docker_time.as_deref().and_then(time::parse_text),
    };
    let mut record = decode_record(without_escapes(line));
    record.envelope = envelope;
    if record.timestamp.is_none() {
        record.timestamp = envelope_ts;
    }
    record
}

/// The line the application wrote, as [`decode`] reads it before taking
/// out its terminal escapes: a Docker entry's `log` (and its `time`) when
/// the line is still wrapped, any other line as it is (CRI lines and
/// joined parts come unwrapped).
pub fn unwrapped<'a>(
    raw: &'a [u8],
    envelope: Envelope,
    envelope_time: Option<&[u8]>,
) -> (Cow<'a, str>, Option<String>) {
    let text = String::from_utf8_lossy(raw);
    match envelope {
        Envelope::Docker if envelope_time.is_none() => match parse_docker(&text) {
            Some(d) => (Cow::Owned(d.log), d.time),
            None => (text, None),
        },
        Envelope::Docker | Envelope::Raw | Envelope::Cri => (text, None),
    }
}

/// `line` with its JSON escapes read into `text`, which is cleared first,
/// as a JSON string's value holds them: `\uXXXX` (a surrogate pair as one
/// char, a lone surrogate as U+FFFD), `\"`, `\\` and `\/`. A control
/// character is written as JSON writes it (`\t`, `\n`, `\u0001`): a field
/// that is an array or an object is read back as JSON text, where it stays
/// so, and no literal holds one. Every other byte stays as it is. Decoding
/// reads one level of JSON (after Docker's `log`), so a literal that a
/// JSON line's fields hold is in this text, found without parsing the line.
pub fn write_json_escapes_read(line: &str, text: &mut String) {
    fn unit(b: &[u8], at: usize) -> Option<u32> {
        let hex = b.get(at..at + 4)?;
        hex.iter()
            .all(u8::is_ascii_hexdigit)
            .then(|| u32::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok())
            .flatten()
    }
    text.clear();
    let b = line.as_bytes();
    let (mut copied, mut at) = (0, 0);
    while let Some(found) = memchr::memchr(b'\\', &b[at..]) {
        let start = at + found;
        text.push_str(&line[copied..start]);
        let (c, end) = match b.get(start + 1) {
            Some(b'u') => match unit(b, start + 2) {
                Some(high @ 0xD800..=0xDBFF) => match unit(b, start + 8) {
                    Some(low @ 0xDC00..=0xDFFF) if b[start + 6..].starts_with(br"\u") => (
                        char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)),
                        start + 12,
                    ),
                    _ => (None, start + 6),
                },
                Some(unit) => (char::from_u32(unit), start + 6),
                None => (Some('\\'), start + 1),
            },
            Some(b'"') => (Some('"'), start + 2),
            Some(b'\\') => (Some('\\'), start + 2),
            Some(b'/') => (Some('/'), start + 2),
            Some(b'b') => (Some('\u{8}'), start + 2),
            Some(b'f') => (Some('\u{c}'), start + 2),
            Some(b'n') => (Some('\n'), start + 2),
            Some(b'r') => (Some('\r'), start + 2),
            Some(b't') => (Some('\t'), start + 2),
            // Not an escape JSON knows: the backslash as it is.
            _ => (Some('\\'), start + 1),
        };
        match c.unwrap_or(char::REPLACEMENT_CHARACTER) {
            '\u{8}' => text.push_str("\\b"),
            '\u{c}' => text.push_str("\\f"),
            '\n' => text.push_str("\\n"),
            '\r' => text.push_str("\\r"),
            '\t' => text.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(text, "\\u{:04x}", u32::from(c));
            }
            c => text.push(c),
        }
        copied = end;
        at = end;
    }
    text.push_str(&line[copied..]);
}

/// `line` without its terminal escape sequences, when it has any.
/// Loggers that colour their output by default (tracing-subscriber's
/// `fmt`, zerolog's `ConsoleWriter`, Rails) write the codes into container
/// logs too, where they glue a level to its neighbours
/// (`\x1b[31mERROR\x1b[0m`), a field's name to its value and a timestamp
/// to nothing a parser knows.
pub fn without_escapes(line: Cow<'_, str>) -> Cow<'_, str> {
    if !line.contains('\x1b') {
        return line;
    }
    let mut text = String::with_capacity(line.len());
    write_without_escapes(&line, &mut text);
    Cow::Owned(text)
}

/// [`without_escapes`] into `text`, which is cleared first: a buffer the
/// caller keeps, so that a coloured line costs no allocation.
pub fn write_without_escapes(line: &str, text: &mut String) {
    text.clear();
    if !without_csi(line, text) {
        text.clear();
        through_vte(line, text);
    }
}

/// Copies `line` into `text` without its control sequences (`ESC [`,
/// parameters, a final byte), which is what colours are; false when it
/// holds another escape. The runs between sequences are copied whole,
/// several times cheaper than a terminal parser, which every line of a
/// coloured log would go through.
fn without_csi(line: &str, text: &mut String) -> bool {
    let mut rest = line;
    while let Some(at) = rest.find('\x1b') {
        text.push_str(&rest[..at]);
        let Some(sequence) = rest[at..].strip_prefix("\x1b[") else {
            return false;
        };
        let sequence = sequence.as_bytes();
        let Some(last) = sequence.iter().position(|b| (0x40..=0x7E).contains(b)) else {
            return false;
        };
        if !sequence[..last].iter().all(|b| (0x20..=0x3F).contains(b)) {
            return false;
        }
        // Every byte of the sequence is ASCII: the cut is a char boundary.
        rest = &rest[at + 2 + last + 1..];
    }
    text.push_str(rest);
    true
}

/// Copies `line` into `text` without any escape sequence (an OSC
/// hyperlink, a cursor move), parsed by `vte` (Alacritty's parser of what
/// terminals receive); `strip-ansi-escapes`, built on it, also drops the
/// tabs that zap's columns and a JVM stack's frames are made of.
fn through_vte(line: &str, text: &mut String) {
    struct Text<'a>(&'a mut String);
    impl vte::Perform for Text<'_> {
        fn print(&mut self, c: char) {
            self.0.push(c);
        }
        fn execute(&mut self, byte: u8) {
            if matches!(byte, b'\n' | b'\t') {
                self.0.push(char::from(byte));
            }
        }
    }
    vte::Parser::new().advance(&mut Text(text), line.as_bytes());
}

fn decode_record(line: Cow<'_, str>) -> Record<'_> {
    let trimmed = line.trim();
    let mut record = Record {
        envelope: Envelope::Raw,
        format: Format::Text,
        invalid_json: false,
        json: None,
        message: None,
        error: None,
        level: None,
        level_text: None,
        target: None,
        timestamp: None,
        trace_id: None,
        span_id: None,
        line: Cow::Borrowed(""),
    };
    if trimmed.starts_with('{') {
        match serde_json::from_str::<Map<String, Value>>(trimmed) {
            Ok(obj) => {
                fill_from_json(&mut record, &obj);
                record.json = Some(obj);
            }
            Err(_) => record.invalid_json = true,
        }
    }
    if record.json.is_none() {
        fill_from_text(&mut record, trimmed);
    }
    record.line = line;
    record
}

fn fill_from_text(record: &mut Record<'_>, line: &str) {
    record.format = Format::Text;
    record.message = Some(line.to_string());
    if let Some((level, marker)) = text_level(line) {
        record.level = Some(level);
        let word = marker.trim_matches(|c: char| !c.is_ascii_alphabetic());
        // Tarantool's `!>` has no letter: name the level instead.
        let word = if word.is_empty() {
            level.as_str()
        } else {
            word
        };
        record.level_text = Some(word.to_string());
    }
    record.timestamp = leading_timestamp(line);
    if let Some(tp) = find_after(line, "traceparent=") {
        set_traceparent(record, tp);
    } else if let Some(dd) = find_after(line, "dd.trace_id=") {
        // Datadog's log injection writes decimal ids.
        let decimal = |s: &str| -> String { s.chars().take_while(char::is_ascii_digit).collect() };
        record.trace_id = IdForm::Decimal.read(&decimal(dd), 32);
        record.span_id =
            find_after(line, "dd.span_id=").and_then(|s| IdForm::Decimal.read(&decimal(s), 16));
    } else {
        // OpenTelemetry's Python logging writes `trace_id=0 span_id=0`
        // outside a span: an all-zero id is no id, as in JSON.
        let id = |key| {
            find_after(line, key)
                .map(hex_prefix)
                .filter(|s| s.chars().any(|c| c != '0'))
        };
        record.trace_id = id("trace_id=");
        record.span_id = id("span_id=");
    }
}

/// A timestamp at the start of a text line (`2026-11-22 08:00:00.123 UTC
/// [42] ...`): the date and time, a fraction, and the zone when one follows
/// (`Z`, `+01:00`, `+0100`, ` UTC`, ` GMT`, ` +0000`). It ends where they
/// end, so what comes next (`- 42 - ERROR`, a name in any script) is never
/// read as part of it.
fn leading_timestamp(line: &str) -> Option<i64> {
    let b = line.as_bytes();
    if b.len() < 19 || !b[..19].is_ascii() {
        return None;
    }
    let digits_from = |at: usize| b[at..].iter().take_while(|c| c.is_ascii_digit()).count();
    // The offset's length at `at` (`+01`, `+0100`, `+01:00`), if one is there.
    let offset_at = |at: usize| -> usize {
        if !matches!(b.get(at), Some(b'+' | b'-')) {
            return 0;
        }
        match digits_from(at + 1) {
            4 => 5,
            2 if b.get(at + 3) == Some(&b':') && digits_from(at + 4) == 2 => 6,
            2 => 3,
            _ => 0,
        }
    };
    let mut end = 19;
    if matches!(b.get(end), Some(b'.' | b',')) {
        end += 1 + digits_from(end + 1);
    }
    end += match b.get(end) {
        Some(b'Z' | b'z') => 1,
        Some(b'+' | b'-') => offset_at(end),
        Some(b' ') if [b" UTC", b" GMT"].iter().any(|z| b[end..].starts_with(*z)) => 4,
        // Apart from the time, only a full offset (`%z`): ` -12` is more
        // likely a field than a zone.
        Some(b' ') => match offset_at(end + 1) {
            n @ (5 | 6) => 1 + n,
            _ => 0,
        },
        _ => 0,
    };
    time::parse_text(&line[..end])
}

fn find_after<'s>(line: &'s str, key: &str) -> Option<&'s str> {
    line.find(key).map(|i| &line[i + key.len()..])
}

fn hex_prefix(s: &str) -> String {
    s.chars().take_while(char::is_ascii_hexdigit).collect()
}

fn set_traceparent(record: &mut Record<'_>, tp: &str) {
    // version-traceid-spanid-flags
    let mut parts = tp.split('-');
    let (_, trace, span) = (parts.next(), parts.next(), parts.next());
    if let (Some(t), Some(s)) = (trace, span) {
        let (t, s) = (hex_prefix(t), hex_prefix(s));
        if t.len() == 32 && s.len() >= 16 {
            record.trace_id = Some(t);
            record.span_id = Some(s[..16].to_string());
        }
    }
}

/// Looks a field up by name: as a flat key (`log.level`), as a dotted path
/// (`log` -> `level`), then under tracing's `fields` object.
pub fn lookup<'v>(obj: &'v Map<String, Value>, path: &str) -> Option<&'v Value> {
    if let Some(v) = obj.get(path) {
        return Some(v);
    }
    if path.contains('.') {
        let mut parts = path.split('.');
        let mut cur = obj.get(parts.next()?)?;
        for p in parts {
            cur = cur.as_object()?.get(p)?;
        }
        return Some(cur);
    }
    obj.get("fields")?.as_object()?.get(path)
}

fn first<'v>(obj: &'v Map<String, Value>, names: &[&str]) -> Option<&'v Value> {
    names.iter().find_map(|n| lookup(obj, n))
}

/// A value as text: strings as they are, other scalars as JSON.
pub fn value_text(v: &Value) -> Cow<'_, str> {
    match v {
        Value::String(s) => Cow::Borrowed(s),
        Value::Null => Cow::Borrowed(""),
        other => Cow::Owned(other.to_string()),
    }
}

/// Text of an error value: a string, or an object's message, type and stack
/// (Elasticsearch's error bodies give the message as `reason`).
fn error_text(v: &Value) -> String {
    match v {
        Value::Object(o) => [
            "type",
            "kind",
            "message",
            "msg",
            "reason",
            "stack_trace",
            "stack",
            "stacktrace",
            // MongoDB's `{"code": 6, "codeName": "HostUnreachable",
            // "errmsg": "..."}`.
            "codeName",
            "errmsg",
        ]
        .iter()
        .filter_map(|k| o.get(*k))
        .map(|v| value_text(v).into_owned())
        .collect::<Vec<_>>()
        .join("\n"),
        // `"error": true` is a flag beside the error's text, not its text.
        Value::Bool(_) => String::new(),
        other => value_text(other).into_owned(),
    }
}

fn fill_from_json(record: &mut Record<'_>, obj: &Map<String, Value>) {
    let format = Format::detect(obj);
    record.format = format;
    record.message = match format {
        Format::Clef => obj
            .get("@m")
            .map(|v| value_text(v).into_owned())
            .or_else(|| {
                obj.get("@mt")
                    .and_then(Value::as_str)
                    .map(|t| render_template(t, obj))
            }),
        // `Message`, `LogLevel`, `Category`, `Exception`: .NET's JSON
        // console formatter (Microsoft.Extensions.Logging); `event`:
        // structlog's JSON renderer; `content`: go-zero's logx.
        _ => first(
            obj,
            &[
                "message", "msg", "@message", "log", "text", "Message", "event", "MESSAGE",
                "content",
            ],
        )
        .filter(|v| !v.is_object())
        .map(|v| value_text(v).into_owned()),
    };
    let errors: Vec<String> = [
        "error",
        "err",
        "exception",
        "@x",
        "error.message",
        "error.type",
        "error.stack_trace",
        "stack_trace",
        "Exception",
        "exc_info",
        // AWS Lambda's runtimes and HTTP APIs (ArangoDB's among them)
        // write an error as `errorType` and `errorMessage`.
        "errorType",
        "errorMessage",
        "error_message",
        // CouchDB's and other HTTP APIs' error bodies: `{"error":
        // "conflict", "reason": "Document update conflict."}`.
        "reason",
    ]
    .iter()
    .filter_map(|k| obj.get(*k))
    .chain(obj.get("fields").and_then(|f| f.get("error")))
    // MongoDB's structured log keeps a message's error among its
    // attributes.
    .chain(obj.get("attr").and_then(|a| a.get("error")))
    .map(error_text)
    .filter(|s| !s.is_empty())
    .collect();
    record.error = (!errors.is_empty()).then(|| errors.join("\n"));

    let level = first(
        obj,
        &[
            "level",
            "log.level",
            "@l",
            "error_severity",
            "severity",
            "levelname",
            "lvl",
            "LogLevel",
            // Other common spellings: `loglevel` (Rails' and others'
            // JSON), `log_level`, `Level` (NLog's JsonLayout and Go's
            // capitalised fields), OpenTelemetry's `severityText`.
            "loglevel",
            "log_level",
            "Level",
            "severityText",
            "SeverityText",
            // hclog's JSON format (Vault, Consul, Nomad, Terraform).
            "@level",
        ],
    );
    match level {
        None if format == Format::Clef => {
            // CLEF leaves `@l` out for Information.
            record.level = Some(Level::Info);
            record.level_text = Some("Information".into());
        }
        // MongoDB's structured log (4.4 and later): `"s": "E"`.
        None if obj.contains_key("c") && obj.contains_key("ctx") => {
            if let Some(s) = obj.get("s").and_then(Value::as_str) {
                record.level = Level::from_mongodb(s);
                record.level_text = Some(s.to_string());
            }
        }
        // The journal's export (`journalctl -o json`): syslog's numeric
        // priority as a string, `"PRIORITY": "3"`.
        None => {
            if let Some(p) = obj.get("PRIORITY").and_then(Value::as_str) {
                record.level = Level::from_syslog_priority(p);
                record.level_text = Some(p.to_string());
            }
        }
        Some(Value::Number(n)) => {
            record.level = n.as_f64().map(Level::from_number);
            record.level_text = Some(n.to_string());
        }
        Some(Value::String(s)) => {
            record.level = Level::parse(s);
            record.level_text = Some(s.clone());
        }
        _ => {}
    }
    record.target = first(
        obj,
        &[
            "target",
            "logger",
            "logger_name",
            "log.logger",
            "SourceContext",
            "Category",
            "@module",
        ],
    )
    .map(|v| value_text(v).into_owned());
    record.timestamp = TIME_KEYS
        .iter()
        .filter_map(|k| lookup(obj, k))
        .find_map(|v| match v {
            // The journal writes its microseconds as a string.
            Value::String(s) => time::parse_text(s).or_else(|| {
                s.bytes()
                    .all(|b| b.is_ascii_digit())
                    .then(|| s.parse::<f64>().ok().and_then(time::parse_epoch))
                    .flatten()
            }),
            Value::Number(n) => n.as_f64().and_then(time::parse_epoch),
            // MongoDB: `"t": {"$date": "2026-12-07T10:00:00.123+00:00"}`.
            Value::Object(o) if o.contains_key("$date") => o
                .get("$date")
                .and_then(Value::as_str)
                .and_then(time::parse_text),
            // log4j2's JsonLayout: `"instant": {"epochSecond": .., "nanoOfSecond": ..}`.
            Value::Object(o) => {
                let secs = o.get("epochSecond")?.as_i64()?;
                let nanos = o.get("nanoOfSecond").and_then(Value::as_i64).unwrap_or(0);
                time::parse_epoch(secs as f64).map(|micros| micros + nanos / 1000)
            }
            _ => None,
        });
    if let Some(tp) = obj.get("traceparent").and_then(Value::as_str) {
        set_traceparent(record, tp);
    }
    for &(trace, span, form) in TRACE_KEYS {
        if record.trace_id.is_some() {
            break;
        }
        let read = |key: &str, width: usize| {
            let v = lookup(obj, key)?;
            form.read(&value_text(v), width)
        };
        if let Some(t) = read(trace, 32) {
            record.trace_id = Some(t);
            record.span_id = read(span, 16);
        }
    }
}

/// Where records keep their time, most specific first: tracing, ECS,
/// CLEF, zap and the usual spellings, python-json-logger's `asctime` and
/// `created`, log4j2's `timeMillis` and `instant`, .NET's `Timestamp`.
const TIME_KEYS: &[&str] = &[
    "timestamp",
    "@timestamp",
    "@t",
    "time",
    "ts",
    "t",
    "date",
    "datetime",
    "Timestamp",
    "asctime",
    "created",
    "timeMillis",
    "instant",
    "eventTime",
    "__REALTIME_TIMESTAMP",
];

/// Where records keep their trace context: the trace id's key, the span
/// id's, and how the ids are written. W3C and OpenTelemetry names, .NET's,
/// Serilog's, ECS's (flat or nested), OpenTelemetry's Python logging
/// instrumentation, Datadog's (decimal) and Google Cloud Logging's.
const TRACE_KEYS: &[(&str, &str, IdForm)] = &[
    ("trace_id", "span_id", IdForm::AsWritten),
    ("traceId", "spanId", IdForm::AsWritten),
    ("trace.id", "span.id", IdForm::AsWritten),
    ("TraceId", "SpanId", IdForm::AsWritten),
    ("@tr", "@sp", IdForm::AsWritten),
    ("otelTraceID", "otelSpanID", IdForm::AsWritten),
    ("dd.trace_id", "dd.span_id", IdForm::Decimal),
    (
        "logging.googleapis.com/trace",
        "logging.googleapis.com/spanId",
        IdForm::GooglePath,
    ),
];

/// How a convention writes its ids.
#[derive(Debug, Clone, Copy)]
enum IdForm {
    /// Kept as written (W3C hex, or whatever the application uses).
    AsWritten,
    /// Decimal integers (Datadog), turned into W3C hex of the id's width.
    Decimal,
    /// `projects/<project>/traces/<hex>` for traces (Google Cloud Logging).
    GooglePath,
}

impl IdForm {
    /// The id as the report and spans carry it; `width` is the W3C width
    /// in hex digits (32 for traces, 16 for spans).
    fn read(self, text: &str, width: usize) -> Option<String> {
        let text = text.trim();
        let id = match self {
            IdForm::AsWritten => text.to_string(),
            IdForm::Decimal => {
                let n: u128 = text.parse().ok()?;
                format!("{n:0width$x}")
            }
            IdForm::GooglePath => text.rsplit('/').next()?.to_string(),
        };
        (!id.is_empty() && id.chars().any(|c| c != '0')).then_some(id)
    }
}

/// Renders a Serilog message template with the record's properties:
/// `{Name}`, `{@Name}`, `{$Name}` and `{Name:format}`; `{{` and `}}` are
/// literal braces. Unknown properties stay as written.
pub fn render_template(template: &str, obj: &Map<String, Value>) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
            continue;
        }
        if tail.starts_with('{') {
            if let Some(end) = tail.find('}') {
                let hole = &tail[1..end];
                let name = hole
                    .trim_start_matches(['@', '$'])
                    .split([':', ','])
                    .next()
                    .unwrap_or("");
                match obj.get(name) {
                    Some(v) => out.push_str(&value_text(v)),
                    None => out.push_str(&tail[..=end]),
                }
                rest = &tail[end + 1..];
                continue;
            }
        }
        out.push_str(&tail[..1]);
        rest = &tail[1..];
    }
    out.push_str(rest);
    out
}

impl Record<'_> {
    /// The text of `field` in this record, if it has one.
    pub fn field(&self, field: &FieldRef) -> Option<Cow<'_, str>> {
        match field {
            FieldRef::Message => self.message.as_deref().map(Cow::Borrowed),
            FieldRef::Error => self.error.as_deref().map(Cow::Borrowed),
            FieldRef::Level => self.level_text.as_deref().map(Cow::Borrowed),
            FieldRef::Target => self.target.as_deref().map(Cow::Borrowed),
            FieldRef::Line => Some(Cow::Borrowed(&self.line)),
            FieldRef::Path(p) => lookup(self.json.as_ref()?, p)
                .filter(|v| !v.is_null())
                .map(value_text),
        }
    }

    /// A numeric field (numbers, or strings holding a number).
    pub fn number(&self, path: &str) -> Option<f64> {
        match lookup(self.json.as_ref()?, path)? {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().trim_end_matches('%').parse().ok(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests;
