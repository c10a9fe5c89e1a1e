//! Timestamps as logs write them, to and from Unix microseconds.
//!
//! Written by hand because one allocation-free function has to accept the
//! layouts of every format we read: RFC 3339 with `T` or a space, with or
//! without fractions, `Z`, numeric offsets or PostgreSQL's ` UTC`, and
//! numeric epochs in seconds, milliseconds, microseconds or nanoseconds.
//! Date-time crates each accept a subset of these and need a format per call.

/// The months as syslog (RFC 3164) and the journal abbreviate them at the
/// start of a line: `Dec  3 10:15:22 host ...`.
pub const MONTH_ABBREVIATIONS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Parses a textual timestamp into Unix microseconds. Returns `None` for
/// anything that is not a date-time; a missing zone is read as UTC.
pub fn parse_text(s: &str) -> Option<i64> {
    let b = s.trim().as_bytes();
    if b.len() < 19 {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let mut v = 0i64;
        for &c in &b[r] {
            if !c.is_ascii_digit() {
                return None;
            }
            v = v * 10 + i64::from(c - b'0');
        }
        Some(v)
    };
    if b[4] != b'-' || b[7] != b'-' || !(b[10] == b'T' || b[10] == b' ' || b[10] == b't') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut i = 19;
    let mut micros = 0i64;
    if i < b.len() && (b[i] == b'.' || b[i] == b',') {
        i += 1;
        let mut digits = 0;
        while i < b.len() && b[i].is_ascii_digit() {
            if digits < 6 {
                micros = micros * 10 + i64::from(b[i] - b'0');
            }
            digits += 1;
            i += 1;
        }
        for _ in digits..6 {
            micros *= 10;
        }
    }
    let rest = std::str::from_utf8(&b[i..]).ok()?.trim();
    let offset_secs = match rest {
        "" | "Z" | "z" | "UTC" | "GMT" => 0,
        r if r.starts_with('+') || r.starts_with('-') => {
            let sign = if r.starts_with('-') { -1 } else { 1 };
            let (h, m) = offset(&r.as_bytes()[1..])?;
            sign * (h * 3600 + m * 60)
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset_secs;
    Some(secs * 1_000_000 + micros)
}

/// A zone offset's hours and minutes, written `HH`, `HHMM` or `HH:MM`
/// and nothing else (what follows a time in a text line is not an offset
/// because it starts with `-`: `08:00:00 - worker-12 - ERROR`).
fn offset(b: &[u8]) -> Option<(i64, i64)> {
    let two = |d: &[u8]| -> Option<i64> {
        d.iter()
            .all(u8::is_ascii_digit)
            .then(|| i64::from(d[0] - b'0') * 10 + i64::from(d[1] - b'0'))
    };
    let (h, m) = match b.len() {
        2 => (two(b)?, 0),
        4 => (two(&b[..2])?, two(&b[2..])?),
        5 if b[2] == b':' => (two(&b[..2])?, two(&b[3..])?),
        _ => return None,
    };
    (h <= 23 && m <= 59).then_some((h, m))
}

/// The earliest and latest time a numeric epoch may stand for: a number
/// outside them in a time field is not a timestamp (pgx writes a query's
/// duration in seconds as `time`), and reading it as one would put the
/// record in 1970.
const EPOCH_RANGE_MICROS: std::ops::Range<f64> = 946_684_800e6..4_102_444_800e6; // 2000 .. 2100

/// Reads a numeric epoch whose unit is guessed from its size (seconds,
/// milliseconds, microseconds or nanoseconds since 1970); `None` for a
/// number that is no time between 2000 and 2100 in any of those units.
pub fn parse_epoch(v: f64) -> Option<i64> {
    if !v.is_finite() || v <= 0.0 {
        return None;
    }
    let micros = if v < 1e11 {
        v * 1e6
    } else if v < 1e14 {
        v * 1e3
    } else if v < 1e17 {
        v
    } else {
        v / 1e3
    };
    EPOCH_RANGE_MICROS
        .contains(&micros)
        .then_some(micros as i64)
}

/// Formats Unix microseconds as RFC 3339 UTC with millisecond precision.
pub fn format_rfc3339(micros: i64) -> String {
    let secs = micros.div_euclid(1_000_000);
    let sub = micros.rem_euclid(1_000_000);
    let (days, sod) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        sod / 3600,
        sod % 3600 / 60,
        sod % 60,
        sub / 1000
    )
}

// Howard Hinnant's days_from_civil / civil_from_days.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_layouts_of_every_format() {
        let utc = parse_text("2026-11-22T08:00:00.123456Z").unwrap();
        assert_eq!(format_rfc3339(utc), "2026-11-22T08:00:00.123Z");
        assert_eq!(parse_text("2026-11-22 08:00:00.123456 UTC"), Some(utc));
        assert_eq!(parse_text("2026-11-22T09:00:00.123456+01:00"), Some(utc));
        assert_eq!(parse_text("2026-11-22T08:00:00.123456789Z"), Some(utc));
        assert_eq!(parse_text("2026-11-22T08:00:00Z"), Some(utc - 123_456));
        assert_eq!(parse_text("not a time at all, no"), None);
        assert_eq!(parse_text("2026-11-22T09:00:00+0100"), Some(utc - 123_456));
        assert_eq!(parse_text("2026-11-22T09:00:00+01"), Some(utc - 123_456));
        // Only an offset follows a time: not a separator and a name.
        assert_eq!(parse_text("2026-11-22 08:00:00 - 42"), None);
        assert_eq!(parse_text("2026-11-22 08:00:00 -0w12"), None);
        assert_eq!(parse_text("2026-11-22T08:00:00+25:00"), None);
        // A number too small to be a time in any unit is none.
        assert_eq!(parse_epoch(1.0021), None);
        assert_eq!(parse_epoch(0.0), None);
        assert_eq!(
            parse_epoch(1_795_334_400.0),
            parse_text("2026-11-22T08:00:00Z")
        );
        assert_eq!(
            parse_epoch(1_795_334_400_000.0),
            parse_text("2026-11-22T08:00:00Z")
        );
        assert_eq!(
            parse_epoch(1_795_334_400_000_000.0),
            parse_text("2026-11-22T08:00:00Z")
        );
    }
}
