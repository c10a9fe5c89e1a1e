//! Redaction: secrets and personal data are replaced before text leaves the
//! process (span attributes, `/report`, `/metrics` label values, the human
//! and JSON reports; the match output only when asked).
//!
//! The built-in patterns cover what matched log lines carry in practice:
//! passwords in connection strings and URLs, `password=`/`pwd=`-style
//! settings (also as JSON members), bearer and basic credentials, JWTs,
//! common cloud and SaaS key shapes, and e-mail addresses. The user's own
//! regexes come after them. Only text that is exported passes through
//! here, never the hot loop: a match is redacted once, when it is kept.

use std::borrow::Cow;

use regex::Regex;

/// What replaces a secret.
pub const MASK: &str = "[REDACTED]";

/// The built-in patterns, in the order they apply, each with what it keeps
/// (`$1`, `$2`: the text around the secret).
const BUILT_IN: &[(&str, &str)] = &[
    // `scheme://user:secret@host`: the user stays, the password goes.
    (
        r"(?i)\b([a-z][a-z0-9+.-]*://[^:/@\s]*:)[^@\s/]+@",
        "${1}[REDACTED]@",
    ),
    // JSON members: `"password": "..."`.
    (
        r#"(?i)("[a-z_.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key)"\s*:\s*")(?:[^"\\]|\\.)*"#,
        "${1}[REDACTED]",
    ),
    // Settings: `password=...`, `Pwd=...;`, `api_key: ...`, and with a
    // prefix as in JSON (`client_secret=`, `AWS_SECRET_ACCESS_KEY=`).
    (
        r#"(?i)\b([a-z_.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key)\s*[=:]\s*)(?:'[^']*'|"[^"]*"|[^\s'";,&)]+)"#,
        "${1}[REDACTED]",
    ),
    // `Authorization: Bearer ...`, `Basic ...`.
    (
        r"(?i)\b(bearer|basic)(\s+)[a-z0-9._~+/-]{8,}=*",
        "${1}${2}[REDACTED]",
    ),
    // JSON Web Tokens.
    (
        r"\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*",
        "[REDACTED]",
    ),
    // Cloud and SaaS keys: AWS access key ids, GitHub, Slack, Google API
    // keys, Stripe secret keys.
    (
        r"\b(?:(?:AKIA|ASIA)[A-Z0-9]{16}|gh[pousr]_[A-Za-z0-9]{36,}|xox[abprs]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35}|[sr]k_live_[0-9A-Za-z]{16,})\b",
        "[REDACTED]",
    ),
    // E-mail addresses.
    (
        r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b",
        "[REDACTED]",
    ),
];

#[derive(Debug, thiserror::Error)]
#[error("redaction pattern `{pattern}` is not a valid regex: {source}")]
pub struct RedactError {
    pattern: String,
    #[source]
    source: regex::Error,
}

/// A compiled list of patterns and their replacements.
#[derive(Debug, Clone)]
pub struct Redactor {
    patterns: Vec<(Regex, &'static str)>,
}

impl Default for Redactor {
    fn default() -> Self {
        Redactor::new(&[]).expect("built-in patterns compile")
    }
}

impl Redactor {
    /// The built-in patterns, then `extra` (whole matches are replaced).
    pub fn new(extra: &[String]) -> Result<Redactor, RedactError> {
        let compile = |pattern: &str| {
            Regex::new(pattern).map_err(|source| RedactError {
                pattern: pattern.to_string(),
                source,
            })
        };
        let mut patterns = Vec::with_capacity(BUILT_IN.len() + extra.len());
        for (pattern, keep) in BUILT_IN {
            patterns.push((compile(pattern)?, *keep));
        }
        for pattern in extra {
            patterns.push((compile(pattern)?, MASK));
        }
        Ok(Redactor { patterns })
    }

    /// `text` with every secret replaced; borrowed when there was none.
    pub fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut out = Cow::Borrowed(text);
        for (regex, keep) in &self.patterns {
            if let Cow::Owned(changed) = regex.replace_all(&out, *keep) {
                out = Cow::Owned(changed);
            }
        }
        out
    }
}

/// Which outputs redact. The match output is an audit trail on the pod's
/// own disk and keeps the original line unless asked.
#[derive(Debug, Clone)]
pub struct Redaction {
    pub redactor: Option<std::sync::Arc<Redactor>>,
    pub spans: bool,
    pub reports: bool,
    pub metrics: bool,
    pub matches_out: bool,
}

impl Default for Redaction {
    fn default() -> Self {
        Redaction {
            redactor: Some(std::sync::Arc::new(Redactor::default())),
            spans: true,
            reports: true,
            metrics: true,
            matches_out: false,
        }
    }
}

impl Redaction {
    fn when(&self, on: bool) -> Option<&Redactor> {
        self.redactor.as_deref().filter(|_| on)
    }

    /// The redactor for span attributes, if they are redacted.
    pub fn for_spans(&self) -> Option<&Redactor> {
        self.when(self.spans)
    }

    pub fn for_reports(&self) -> Option<&Redactor> {
        self.when(self.reports)
    }

    pub fn for_metrics(&self) -> Option<&Redactor> {
        self.when(self.metrics)
    }

    pub fn for_matches_out(&self) -> Option<&Redactor> {
        self.when(self.matches_out)
    }
}

/// `text` through `redactor` when there is one.
pub fn apply<'a>(redactor: Option<&Redactor>, text: &'a str) -> Cow<'a, str> {
    match redactor {
        Some(r) => r.redact(text),
        None => Cow::Borrowed(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redacted(text: &str) -> String {
        Redactor::default().redact(text).into_owned()
    }

    #[test]
    fn connection_string_passwords_go_and_the_rest_stays() {
        assert_eq!(
            redacted("cannot connect to postgres://app:s3cr3t@db.internal:5432/bank"),
            "cannot connect to postgres://app:[REDACTED]@db.internal:5432/bank"
        );
        assert_eq!(
            redacted("Host=db;Username=app;Password=hunter2;Pooling=true"),
            "Host=db;Username=app;Password=[REDACTED];Pooling=true"
        );
        assert_eq!(
            redacted("dsn: host=db user=app password='p@ss w' dbname=x"),
            "dsn: host=db user=app password=[REDACTED] dbname=x"
        );
        assert_eq!(
            redacted("Server=db;Pwd=abc123;"),
            "Server=db;Pwd=[REDACTED];"
        );
        assert_eq!(
            redacted(r#"{"db_password":"x\"y","user":"app"}"#),
            r#"{"db_password":"[REDACTED]","user":"app"}"#
        );
        // A prefixed key is a secret in a setting as it is in JSON.
        assert_eq!(
            redacted("oauth refresh failed: client_secret=s3cr3tValue123 access_token=ya29.a0Af auth_token=abc AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI"),
            "oauth refresh failed: client_secret=[REDACTED] access_token=[REDACTED] auth_token=[REDACTED] AWS_SECRET_ACCESS_KEY=[REDACTED]"
        );
    }

    #[test]
    fn tokens_keys_and_addresses_go() {
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
        assert_eq!(
            redacted(&format!("token {jwt} rejected")),
            "token [REDACTED] rejected"
        );
        assert_eq!(
            redacted("Authorization: Bearer abc.DEF-123_xyz"),
            "Authorization: Bearer [REDACTED]"
        );
        assert_eq!(redacted("auth Basic dXNlcjpwYXNz"), "auth Basic [REDACTED]");
        assert_eq!(
            redacted("key AKIAIOSFODNN7EXAMPLE used"),
            "key [REDACTED] used"
        );
        assert_eq!(
            redacted("payment for jane.doe+bank@example.co.uk failed"),
            "payment for [REDACTED] failed"
        );
    }

    #[test]
    fn trouble_text_without_secrets_is_left_alone() {
        for line in [
            "connection pool exhausted: 20/20 in use, waited 30000ms",
            "could not serialize access due to concurrent update",
            "statement_timeout = 30s",
            "max_tokens=4096 exceeded the context window",
            "password authentication failed for user \"app\"",
            "Basic auth disabled",
        ] {
            assert!(
                matches!(Redactor::default().redact(line), Cow::Borrowed(_)),
                "{line}"
            );
        }
    }

    #[test]
    fn the_users_patterns_apply_after_the_built_in_ones() {
        let r = Redactor::new(&[r"acct-\d{6}".to_string()]).unwrap();
        assert_eq!(
            r.redact("account acct-123456 overdrawn"),
            "account [REDACTED] overdrawn"
        );
        assert!(Redactor::new(&["(".to_string()]).is_err());
    }
}
