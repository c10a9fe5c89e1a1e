//! Numbers as log text writes them: `61877ms`, `1.5 s`, `93.3%`, `14/15`,
//! `1843MB`, `512MiB`, `2G`. A unit written beside the number wins over the
//! unit the rule declares; a bare number is in the declared unit.
//!
//! Written by hand: the crates that parse durations or byte sizes each take
//! one family and reject the other, and none reads ratios or percentages.

use super::{BaseUnit, Unit};

/// A quantity read from text, in its base unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quantity {
    pub value: f64,
    /// `None` for a bare number with no declared unit.
    pub base: Option<BaseUnit>,
}

/// A value in its base unit, for people: `14.2 s`, `512 MiB`, `93.3 %`.
pub fn format(value: f64, base: BaseUnit) -> String {
    let short = |v: f64| {
        let s = format!("{v:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    match base {
        BaseUnit::Seconds => format!("{} s", short(value)),
        BaseUnit::Ratio => format!("{} %", short(value * 100.0)),
        BaseUnit::Bytes if value >= 1024.0 * 1024.0 => {
            format!("{} MiB", short(value / 1024.0 / 1024.0))
        }
        BaseUnit::Bytes => format!("{} B", short(value)),
        BaseUnit::Count => short(value),
    }
}

/// Reads `text` (a regex capture, or a string field) as a number with an
/// optional unit. `declared` is what a bare number means; a written unit of
/// another family than the declared one yields `None` (a byte size is not a
/// duration), as does text that is not a quantity.
pub fn parse(text: &str, declared: Option<Unit>) -> Option<Quantity> {
    let text = text.trim();
    if let Some((a, b)) = text.split_once('/') {
        let (a, b): (f64, f64) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
        if b == 0.0 {
            return None;
        }
        return fit(a / b, BaseUnit::Ratio, declared);
    }
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | ',')))
        .unwrap_or(text.len());
    let (number, suffix) = text.split_at(split);
    // Thousands separators ("1,843 ms") are dropped; log text does not use
    // the comma as a decimal point often enough to be worth guessing.
    let number: f64 = number.replace(',', "").parse().ok()?;
    let suffix = suffix.trim();
    if suffix.is_empty() {
        return Some(match declared {
            Some(unit) => Quantity {
                value: unit.to_base(number),
                base: Some(unit.base()),
            },
            None => Quantity {
                value: number,
                base: None,
            },
        });
    }
    if let Some((scale, base)) = suffix_scale(suffix) {
        return fit(number * scale, base, declared);
    }
    fit(compound_duration(text)?, BaseUnit::Seconds, declared)
}

/// Seconds in a duration written as Go's `time.Duration` prints one, a
/// number and a unit after another: `15m12.402s`, `1h0m3s`, `1m0.012s`,
/// `2.5ms`. Any other text is `None`.
fn compound_duration(text: &str) -> Option<f64> {
    let mut rest = text;
    let mut seconds = 0.0;
    while !rest.is_empty() {
        let number_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .filter(|&i| i > 0)?;
        let (number, tail) = rest.split_at(number_end);
        let unit_end = tail
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(tail.len());
        let (unit, tail) = tail.split_at(unit_end);
        let scale = match unit {
            "h" => 3600.0,
            "m" => 60.0,
            "s" => 1.0,
            "ms" => 1e-3,
            "us" | "µs" | "μs" => 1e-6,
            "ns" => 1e-9,
            _ => return None,
        };
        seconds += number.parse::<f64>().ok()? * scale;
        rest = tail;
    }
    Some(seconds)
}

fn fit(value: f64, base: BaseUnit, declared: Option<Unit>) -> Option<Quantity> {
    match declared {
        Some(unit) if unit.base() != base && unit != Unit::Count => None,
        _ => Some(Quantity {
            value,
            base: Some(base),
        }),
    }
}

/// The factor to the base unit of a unit written after a number. SI
/// prefixes on bytes (`KB`, `MB`, `GB`) are powers of 1000; binary ones
/// (`KiB`, `Mi`) and the JVM's bare letters (`512M`, `2G`) are powers of 1024.
fn suffix_scale(suffix: &str) -> Option<(f64, BaseUnit)> {
    const KI: f64 = 1024.0;
    let seconds = |f: f64| Some((f, BaseUnit::Seconds));
    let bytes = |f: f64| Some((f, BaseUnit::Bytes));
    match suffix {
        "%" => return Some((0.01, BaseUnit::Ratio)),
        "K" => return bytes(KI),
        "M" => return bytes(KI * KI),
        "G" => return bytes(KI * KI * KI),
        "m" => return seconds(60.0),
        _ => {}
    }
    match suffix.to_ascii_lowercase().as_str() {
        "ns" => seconds(1e-9),
        "us" | "µs" | "μs" => seconds(1e-6),
        "ms" | "msec" | "msecs" | "millis" | "milliseconds" => seconds(1e-3),
        "s" | "sec" | "secs" | "second" | "seconds" => seconds(1.0),
        "min" | "mins" | "minute" | "minutes" => seconds(60.0),
        "h" | "hr" | "hour" | "hours" => seconds(3600.0),
        "b" | "byte" | "bytes" => bytes(1.0),
        "kb" => bytes(1e3),
        "mb" => bytes(1e6),
        "gb" => bytes(1e9),
        "tb" => bytes(1e12),
        "kib" | "ki" => bytes(KI),
        "mib" | "mi" => bytes(KI * KI),
        "gib" | "gi" => bytes(KI * KI * KI),
        "tib" | "ti" => bytes(KI * KI * KI * KI),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str, declared: Option<Unit>) -> Option<f64> {
        parse(text, declared).map(|q| q.value)
    }

    #[test]
    fn durations_are_read_in_seconds_whatever_unit_the_text_uses() {
        let ms = Some(Unit::Milliseconds);
        assert_eq!(value("61877ms", ms), Some(61.877));
        assert_eq!(value("61877", ms), Some(61.877));
        assert_eq!(value("1.5 s", ms), Some(1.5));
        assert_eq!(value("2min", None), Some(120.0));
        assert_eq!(value("250us", Some(Unit::Seconds)), Some(0.000_25));
    }

    #[test]
    fn go_durations_of_several_units_are_read_whole() {
        let s = Some(Unit::Seconds);
        assert_eq!(value("15m12.5s", s), Some(912.5));
        assert_eq!(value("1h0m3s", None), Some(3603.0));
        assert_eq!(value("1m0.25s", s), Some(60.25));
        assert_eq!(value("15m12.5s", Some(Unit::Bytes)), None);
        assert_eq!(value("15m12", s), None);
        assert_eq!(value("15m12x", s), None);
    }

    #[test]
    fn percentages_and_ratios_become_a_zero_to_one_ratio() {
        let q = parse("93.3%", Some(Unit::Percent)).unwrap();
        assert!((q.value - 0.933).abs() < 1e-9);
        assert_eq!(q.base, Some(BaseUnit::Ratio));
        let q = parse("14/15", Some(Unit::Ratio)).unwrap();
        assert!((q.value - 14.0 / 15.0).abs() < 1e-12);
        assert_eq!(parse("3/0", None), None);
    }

    #[test]
    fn byte_sizes_tell_si_from_binary_prefixes() {
        let b = Some(Unit::Bytes);
        assert_eq!(value("1843MB", b), Some(1_843e6));
        assert_eq!(value("512MiB", b), Some(512.0 * 1024.0 * 1024.0));
        assert_eq!(value("2G", b), Some(2.0 * 1024.0 * 1024.0 * 1024.0));
        assert_eq!(value("100Mi", b), Some(100.0 * 1024.0 * 1024.0));
        assert_eq!(value("1,843 MB", b), Some(1_843e6));
    }

    #[test]
    fn a_unit_of_another_family_than_declared_is_no_value() {
        assert_eq!(value("1843MB", Some(Unit::Seconds)), None);
        assert_eq!(value("5s", Some(Unit::Bytes)), None);
        assert_eq!(value("twelve", None), None);
        assert_eq!(value("12 parsecs", None), None);
    }

    #[test]
    fn a_bare_number_with_no_declared_unit_is_as_written() {
        assert_eq!(
            parse("15234", None),
            Some(Quantity {
                value: 15234.0,
                base: None
            })
        );
        // A count takes whatever the text says.
        assert_eq!(value("30s", Some(Unit::Count)), Some(30.0));
    }
}
