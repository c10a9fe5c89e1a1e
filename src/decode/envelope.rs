//! Container log envelopes: what the runtime wraps around each line the
//! application wrote.

use serde::Deserialize;

/// How a physical line is wrapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Envelope {
    /// The application's line as it wrote it.
    Raw,
    /// CRI (containerd, CRI-O): `<RFC3339Nano> <stream> <P|F> <line>`.
    Cri,
    /// Docker's json-file driver: `{"log":"...\n","stream":"stdout","time":"..."}`.
    Docker,
}

impl Envelope {
    pub fn as_str(self) -> &'static str {
        match self {
            Envelope::Raw => "raw",
            Envelope::Cri => "cri",
            Envelope::Docker => "docker",
        }
    }

    /// Guesses the envelope from a source's first line.
    pub fn detect(line: &[u8]) -> Envelope {
        if line.starts_with(b"{\"log\":\"") && memchr::memmem::find(line, b"\"stream\":").is_some()
        {
            Envelope::Docker
        } else if parse_cri(line).is_some() {
            Envelope::Cri
        } else {
            Envelope::Raw
        }
    }
}

/// A CRI line split into its parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CriLine<'a> {
    pub time: &'a [u8],
    pub stream: &'a [u8],
    /// `P`: the runtime split a long line and more of it follows.
    pub partial: bool,
    pub body: &'a [u8],
}

/// Splits a CRI line, or `None` when the line is not in CRI form.
pub fn parse_cri(line: &[u8]) -> Option<CriLine<'_>> {
    let sp1 = memchr::memchr(b' ', line)?;
    let time = &line[..sp1];
    if time.len() < 20 || !time[0].is_ascii_digit() || time[4] != b'-' || time[10] != b'T' {
        return None;
    }
    let rest = &line[sp1 + 1..];
    let sp2 = memchr::memchr(b' ', rest)?;
    let stream = &rest[..sp2];
    if stream != b"stdout" && stream != b"stderr" {
        return None;
    }
    let rest = &rest[sp2 + 1..];
    let (tag, body) = match memchr::memchr(b' ', rest) {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, &rest[rest.len()..]),
    };
    // The tag field may carry more flags after a colon in future runtimes.
    let partial = match tag.split(|b| *b == b':').next() {
        Some(b"P") => true,
        Some(b"F") => false,
        _ => return None,
    };
    Some(CriLine {
        time,
        stream,
        partial,
        body,
    })
}

/// A decoded Docker json-file entry.
#[derive(Debug, Deserialize)]
pub struct DockerLine {
    pub log: String,
    #[serde(default)]
    pub time: Option<String>,
}

pub fn parse_docker(line: &str) -> Option<DockerLine> {
    let mut entry: DockerLine = serde_json::from_str(line).ok()?;
    if entry.log.ends_with('\n') {
        entry.log.pop();
        if entry.log.ends_with('\r') {
            entry.log.pop();
        }
    }
    Some(entry)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_each_envelope() {
        assert_eq!(
            Envelope::detect(
                br#"{"log":"hello\n","stream":"stdout","time":"2026-11-22T08:00:00.1Z"}"#
            ),
            Envelope::Docker
        );
        assert_eq!(
            Envelope::detect(b"2026-11-22T08:00:00.123456789Z stdout F {\"msg\":\"x\"}"),
            Envelope::Cri
        );
        assert_eq!(Envelope::detect(br#"{"msg":"x"}"#), Envelope::Raw);
        assert_eq!(
            Envelope::detect(b"2026-11-22 08:00:00 UTC [7] LOG: x"),
            Envelope::Raw
        );
    }

    #[test]
    fn splits_cri_partial_and_full_lines() {
        let p = parse_cri(b"2026-11-22T08:00:00.123456789Z stderr P part one").unwrap();
        assert!(p.partial);
        assert_eq!(p.body, b"part one");
        assert_eq!(p.stream, b"stderr");
        let f = parse_cri(b"2026-11-22T08:00:00.123456789Z stdout F ").unwrap();
        assert!(!f.partial && f.body.is_empty());
    }
}
