//! `--selector`: the user's label matchers, put into every expression so
//! that the alerts watch the agents of one scrape setup, namespace or
//! team (`namespace="payments"`, `job=~".*/tailwatch"`).

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// A label matcher's operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Re,
    NotRe,
}

impl Op {
    fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Re => "=~",
            Op::NotRe => "!~",
        }
    }
}

/// One `name op "value"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelMatcher {
    pub name: String,
    pub op: Op,
    pub value: String,
}

impl LabelMatcher {
    /// Whether a series whose label is `value` (empty when it has none)
    /// matches, as Prometheus decides: a regex matches the whole value.
    fn accepts(&self, value: &str) -> Result<bool, String> {
        let regex = || {
            regex::Regex::new(&format!("^(?:{})$", self.value))
                .map_err(|e| format!("`{}` is not a valid regex: {e}", self.value))
        };
        Ok(match self.op {
            Op::Eq => value == self.value,
            Op::Ne => value != self.value,
            Op::Re => regex()?.is_match(value),
            Op::NotRe => !regex()?.is_match(value),
        })
    }
}

/// The matchers, in the order given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selector(pub Vec<LabelMatcher>);

impl Selector {
    /// The equality matchers: the labels `absent()` gives its result.
    pub fn equalities(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0
            .iter()
            .filter(|m| m.op == Op::Eq)
            .map(|m| (m.name.as_str(), m.value.as_str()))
    }

    /// `labels` changed so that a series carrying them matches every
    /// matcher, for the generated unit tests: an equality sets its value,
    /// a regex that is a set of literals its first one.
    pub fn satisfy(&self, labels: &mut BTreeMap<String, String>) -> Result<(), String> {
        for m in &self.0 {
            match m.op {
                Op::Eq => {
                    labels.insert(m.name.clone(), m.value.clone());
                }
                Op::Re => {
                    if let Some(literal) = first_literal(&m.value) {
                        labels.insert(m.name.clone(), literal);
                    }
                }
                Op::Ne | Op::NotRe => {}
            }
        }
        for m in &self.0 {
            let value = labels.get(&m.name).map_or("", String::as_str);
            if !m.accepts(value)? {
                return Err(format!(
                    "cannot make a test series that matches {} (label {} is `{value}`): write the promtool tests for this selector by hand, or use = and =~ over literals",
                    m, m.name
                ));
            }
        }
        Ok(())
    }
}

/// A string the regex matches whole, when the regex is a set of
/// literals (`payments|billing`).
fn first_literal(pattern: &str) -> Option<String> {
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    let seq = regex_syntax::hir::literal::Extractor::new().extract(&hir);
    let literal = seq.literals()?.iter().find(|l| l.is_exact())?;
    String::from_utf8(literal.as_bytes().to_vec()).ok()
}

impl fmt::Display for LabelMatcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A JSON string is a valid PromQL double-quoted string.
        let quoted = serde_json::to_string(&self.value).map_err(|_| fmt::Error)?;
        write!(f, "{}{}{quoted}", self.name, self.op.as_str())
    }
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, m) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{m}")?;
        }
        Ok(())
    }
}

impl FromStr for Selector {
    type Err = String;

    /// `name="value",name=~"regex",...`, with or without the braces of a
    /// PromQL selector.
    fn from_str(text: &str) -> Result<Selector, String> {
        let mut rest = text.trim();
        if let Some(inner) = rest.strip_prefix('{').and_then(|r| r.strip_suffix('}')) {
            rest = inner.trim();
        }
        let mut matchers = Vec::new();
        while !rest.is_empty() {
            let name_len = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            let name = &rest[..name_len];
            if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
                return Err(format!(
                    "`{text}`: expected a label name at `{rest}` (write name=\"value\", comma-separated)"
                ));
            }
            rest = rest[name_len..].trim_start();
            let op = [Op::Re, Op::NotRe, Op::Ne, Op::Eq]
                .into_iter()
                .find(|op| rest.starts_with(op.as_str()))
                .ok_or_else(|| format!("`{text}`: expected =, !=, =~ or !~ after `{name}`"))?;
            rest = rest[op.as_str().len()..].trim_start();
            let (value, after) = quoted(rest).ok_or_else(|| {
                format!("`{text}`: the value of `{name}` must be in double quotes")
            })?;
            let matcher = LabelMatcher {
                name: name.to_string(),
                op,
                value,
            };
            matcher.accepts("")?;
            matchers.push(matcher);
            rest = after.trim_start();
            if let Some(r) = rest.strip_prefix(',') {
                rest = r.trim_start();
            } else if !rest.is_empty() {
                return Err(format!("`{text}`: expected `,` before `{rest}`"));
            }
        }
        Ok(Selector(matchers))
    }
}

/// A double-quoted string with PromQL's escapes at the start of `text`,
/// and what follows it.
fn quoted(text: &str) -> Option<(String, &str)> {
    let body = text.strip_prefix('"')?;
    let mut value = String::new();
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((value, &body[i + 1..])),
            '\\' => match chars.next()?.1 {
                'n' => value.push('\n'),
                't' => value.push('\t'),
                other => value.push(other),
            },
            c => value.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matchers_parse_and_print_as_promql() {
        let s: Selector = r#"{namespace="payments", job=~".*/tailwatch",pod!="x\"y"}"#
            .parse()
            .unwrap();
        assert_eq!(s.0.len(), 3);
        assert_eq!(s.0[2].value, "x\"y");
        assert_eq!(
            s.to_string(),
            r#"namespace="payments",job=~".*/tailwatch",pod!="x\"y""#
        );
        assert_eq!("".parse::<Selector>().unwrap(), Selector::default());
    }

    #[test]
    fn bad_selectors_say_what_is_wrong() {
        for (bad, says) in [
            ("namespace=payments", "double quotes"),
            ("namespace", "expected =, !=, =~ or !~"),
            (r#"1ns="a""#, "label name"),
            (r#"a="b" c="d""#, "expected `,`"),
            (r#"a=~"(""#, "not a valid regex"),
        ] {
            let err = bad.parse::<Selector>().unwrap_err();
            assert!(err.contains(says), "{bad}: {err}");
        }
    }

    #[test]
    fn test_series_are_made_to_match_the_selector() {
        let mut labels = BTreeMap::from([("namespace".to_string(), "default".to_string())]);
        let s: Selector = r#"namespace="payments",team=~"ledger|cards",pod!="""#
            .parse()
            .unwrap();
        labels.insert("pod".into(), "ledger-0".into());
        s.satisfy(&mut labels).unwrap();
        assert_eq!(labels["namespace"], "payments");
        assert_eq!(labels["team"], "ledger");
        let s: Selector = r#"team=~"led.*""#.parse().unwrap();
        assert!(s
            .satisfy(&mut BTreeMap::new())
            .unwrap_err()
            .contains("by hand"));
    }
}
