//! A seeded generator of benchmark log lines: tracing-subscriber JSON as an
//! event-sourced service on PostgreSQL and Kafka writes it, about 300 bytes
//! a line, a small share of them trouble (pool exhaustion and pressure,
//! command timeouts, concurrency and version conflicts, projection lag,
//! slow event-store operations, out of memory, consumer lag, deadlocks).
//!
//! Shared by `benches/matcher.rs` and `examples/gen_corpus.rs`. It uses a
//! hand-written xorshift generator so that the same seed gives the same
//! bytes on every platform and crate version, which is what a benchmark
//! corpus needs.

use std::fmt::Write as _;

pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A value in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }

    /// A float in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next_u64() % items.len() as u64) as usize]
    }
}

const COMMANDS: &[&str] = &[
    "TransferMoney",
    "OpenAccount",
    "CloseAccount",
    "DepositFunds",
    "WithdrawFunds",
    "CreateUser",
    "PlaceOrder",
    "CancelOrder",
];
const PROJECTIONS: &[&str] = &[
    "user_summary",
    "account_balance",
    "order_history",
    "audit_trail",
];

/// Writes `lines` lines into `out`; `trouble` is the share (0-1) of
/// trouble lines.
pub fn generate(out: &mut String, lines: usize, seed: u64, trouble: f64) {
    let mut r = Rng::new(seed);
    let t0_secs = 1_795_334_400u64; // 2026-11-22T08:00:00Z
    for i in 0..lines {
        let micros = i as u64 * 731;
        let (level, target, message, fields) = if r.unit() < trouble {
            trouble_event(&mut r)
        } else {
            routine_event(&mut r)
        };
        let secs = t0_secs + micros / 1_000_000;
        let (h, m, s) = (secs / 3600 % 24, secs / 60 % 60, secs % 60);
        let _ = write!(
            out,
            r#"{{"timestamp":"2026-11-22T{h:02}:{m:02}:{s:02}.{:06}Z","level":"{level}","fields":{{"message":"{message}"{fields}}},"target":"{target}","span":{{"command_type":"{}","name":"execute"}},"threadId":"ThreadId({})""#,
            micros % 1_000_000,
            r.pick(COMMANDS),
            r.range(2, 17)
        );
        if r.next_u64().is_multiple_of(2) {
            let _ = write!(
                out,
                r#","trace_id":"{:016x}{:016x}","span_id":"{:016x}""#,
                r.next_u64(),
                r.next_u64(),
                r.next_u64()
            );
        }
        out.push_str("}\n");
    }
}

type Event = (&'static str, &'static str, &'static str, String);

fn routine_event(r: &mut Rng) -> Event {
    let k = r.unit();
    let cmd = r.pick(COMMANDS);
    if k < 0.35 {
        let f = format!(
            r#","total_duration_ms":{},"events_written":{}"#,
            r.range(1, 180),
            r.range(1, 4)
        );
        (
            "INFO",
            "eventcore::executor",
            "Command completed successfully",
            f,
        )
    } else if k < 0.55 {
        (
            "DEBUG",
            "eventcore::executor",
            "Starting command execution",
            format!(r#","command_type":"{cmd}""#),
        )
    } else if k < 0.65 {
        let f = format!(
            r#","stream_count":{},"streams":"[account-{}, account-{}]""#,
            r.range(1, 5),
            r.range(1, 9999),
            r.range(1, 9999)
        );
        (
            "DEBUG",
            "eventcore::executor",
            "Command will read from streams",
            f,
        )
    } else if k < 0.75 {
        let size = r.range(5, 20);
        let idle = r.range(0, size);
        let f = format!(
            r#","max_connections":20,"current_size":{size},"idle_connections":{idle},"active_connections":{}"#,
            size - idle
        );
        ("INFO", "sqlx::pool", "Connection pool status", f)
    } else if k < 0.85 {
        let f = format!(
            r#","method":"{}","uri":"/api/accounts/{}","status":{},"latency_ms":{}"#,
            r.pick(&["GET", "POST"]),
            r.range(1, 99_999),
            r.pick(&["200", "200", "200", "201", "204", "404"]),
            r.range(1, 90)
        );
        (
            "INFO",
            "tower_http::trace",
            "finished processing request",
            f,
        )
    } else if k < 0.92 {
        let f = format!(
            r#","projection_name":"{}","events_processed":{}"#,
            r.pick(PROJECTIONS),
            r.range(1, 100) * 10_000
        );
        ("INFO", "eventcore::projection", "Rebuild progress", f)
    } else {
        let f = format!(
            r#","partition":{},"offset":{}"#,
            r.range(0, 11),
            r.range(1000, 10_000_000)
        );
        ("INFO", "banking_es::kafka", "Committed consumer offsets", f)
    }
}

fn trouble_event(r: &mut Rng) -> Event {
    match r.range(0, 9) {
        0 => {
            let f = format!(
                r#","total_duration_ms":{},"error":"connection pool exhausted: too many connections (max 20)""#,
                r.range(3000, 30_000)
            );
            ("ERROR", "eventcore::executor", "Command failed", f)
        }
        1 => {
            let f = format!(r#","utilization_percent":{:.1}"#, 80.0 + r.unit() * 20.0);
            ("WARN", "sqlx::pool", "High connection pool utilization", f)
        }
        2 => (
            "ERROR",
            "eventcore::executor",
            "Command failed",
            r#","total_duration_ms":30000,"error":"command execution timeout after 30s""#.into(),
        ),
        3 => {
            let f = format!(
                r#","retry_attempt":{},"delay_ms":{},"conflicting_streams":"[account-{}]""#,
                r.range(1, 3),
                100 << r.range(0, 3),
                r.range(1, 9999)
            );
            (
                "WARN",
                "eventcore::executor",
                "Retrying command due to concurrency conflict",
                f,
            )
        }
        4 => {
            let f = format!(
                r#","projection_name":"{}","lag_seconds":{}"#,
                r.pick(PROJECTIONS),
                r.range(60, 3600)
            );
            (
                "WARN",
                "eventcore::projection",
                "Projection lag detected: projection is behind",
                f,
            )
        }
        5 => {
            let f = format!(
                r#","stream_id":"account-{}","expected":7,"actual":8"#,
                r.range(1, 9999)
            );
            (
                "ERROR",
                "eventcore::event_store",
                "Optimistic concurrency conflict: version conflict on stream",
                f,
            )
        }
        6 => {
            let f = format!(
                r#","operation":"{}","duration_ms":{},"success":true"#,
                r.pick(&["read_stream", "write_events"]),
                r.range(1000, 9000)
            );
            (
                "WARN",
                "eventcore::event_store",
                "High latency event store operation",
                f,
            )
        }
        7 => {
            let f = format!(r#","requested_bytes":{}"#, r.range(1, 64) * 1_048_576);
            (
                "ERROR",
                "banking_es::api",
                "memory allocation failed: out of memory",
                f,
            )
        }
        8 => {
            let f = format!(
                r#","group":"banking-es-group","lag":{}"#,
                r.range(10_000, 500_000)
            );
            (
                "ERROR",
                "banking_es::kafka",
                "Kafka consumer lag is high",
                f,
            )
        }
        _ => {
            let f = format!(
                r#","total_duration_ms":{},"command_type":"{}","error":"deadlock detected while waiting for lock on stream""#,
                r.range(100, 900),
                r.pick(COMMANDS)
            );
            ("ERROR", "eventcore::executor", "Command failed", f)
        }
    }
}
