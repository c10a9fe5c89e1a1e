//! The HTTP client the OTLP exporter sends with: reqwest, keeping the
//! status and `Retry-After` of the last response.
//!
//! The exporter's own clients turn every non-2xx answer into the same
//! "network error", so a 429 or 503 (try again, maybe after `Retry-After`)
//! could not be told from a 400 (never succeeds). This client hands every
//! response back as it came and notes its status on the side for the
//! export loop's retry policy.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use opentelemetry_http::{Bytes, HttpClient, HttpError, Request, Response};

/// What the collector answered to the last request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub retry_after: Option<Duration>,
}

#[derive(Debug, Clone)]
pub struct StatusClient {
    inner: reqwest::Client,
    last: Arc<Mutex<Option<Answer>>>,
}

impl StatusClient {
    /// A client whose requests give up after `timeout`.
    pub fn new(timeout: Duration) -> Result<StatusClient, String> {
        let inner = reqwest::Client::builder()
            .timeout(timeout)
            .build()
            .map_err(|e| e.to_string())?;
        Ok(StatusClient {
            inner,
            last: Arc::new(Mutex::new(None)),
        })
    }

    /// The answer to the last request, taken (none after a connection
    /// error).
    pub fn take_answer(&self) -> Option<Answer> {
        self.last.lock().expect("not poisoned").take()
    }
}

#[async_trait::async_trait]
impl HttpClient for StatusClient {
    async fn send_bytes(&self, request: Request<Bytes>) -> Result<Response<Bytes>, HttpError> {
        *self.last.lock().expect("not poisoned") = None;
        let response = self.inner.execute(request.try_into()?).await?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        *self.last.lock().expect("not poisoned") = Some(Answer {
            status: status.as_u16(),
            retry_after,
        });
        let headers = response.headers().clone();
        let mut out = Response::builder()
            .status(status)
            .body(response.bytes().await?)?;
        *out.headers_mut() = headers;
        Ok(out)
    }
}

/// `Retry-After` in seconds. The HTTP-date form is not read: collectors
/// send seconds, and a date would need the clocks to agree.
fn parse_retry_after(value: &str) -> Option<Duration> {
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// The request timeout the variables give (milliseconds), else 10 s.
pub fn timeout_from_env() -> Duration {
    [
        "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT",
        "OTEL_EXPORTER_OTLP_TIMEOUT",
    ]
    .iter()
    .find_map(|k| std::env::var(k).ok()?.trim().parse::<u64>().ok())
    .map_or(Duration::from_secs(10), Duration::from_millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_is_read_in_seconds() {
        assert_eq!(parse_retry_after("7"), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after(" 0 "), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
    }
}
