//! One provider request with retries: a 429 or 5xx answer, a timeout or a lost connection is
//! retried with exponential backoff, honouring `Retry-After`; every attempt has its own timeout.

use super::providers::{Prompt, Provider, Reply};
use super::settings::LlmSettings;
use crate::bounded::{human, read_body, BodyError, LLM_BODY_LIMIT};
use reqwest::StatusCode;
use serde_json::Value;
use std::time::Duration;

/// The longest `Retry-After` honoured.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
/// The longest backoff between attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(8);

/// Why a request failed after its retries.
#[derive(Debug, Clone)]
pub enum CallError {
    /// The provider cannot be reached at all (refused, DNS, TLS): no later unit will do better.
    Unreachable(String),
    /// The provider refused the key (401, 403): no later unit will do better either.
    Rejected(String),
    /// This request failed (timeouts, 4xx, 5xx after retries, unreadable bodies).
    Failed(String),
}

impl CallError {
    pub fn message(&self) -> &str {
        match self {
            CallError::Unreachable(m) | CallError::Rejected(m) | CallError::Failed(m) => m,
        }
    }

    /// Whether every later request would fail the same way.
    pub fn is_fatal(&self) -> bool {
        matches!(self, CallError::Unreachable(_) | CallError::Rejected(_))
    }
}

/// What one attempt came to.
enum Attempt {
    Done(Value),
    /// Worth retrying, after the server's `Retry-After` if it gave one.
    Retry(CallError, Option<Duration>),
    Fail(CallError),
}

/// An HTTP client for one provider.
pub struct Client {
    http: reqwest::Client,
    settings: LlmSettings,
    url: String,
}

impl Client {
    pub fn new(settings: &LlmSettings) -> Result<Client, String> {
        let url = settings.provider.url(&settings.base_url);
        let mut b = reqwest::Client::builder()
            .connect_timeout(settings.timeout.min(Duration::from_secs(30)))
            .user_agent(concat!("goaudit/", env!("CARGO_PKG_VERSION")));
        if is_loopback(&url) {
            b = b.no_proxy();
        }
        let http = b
            .build()
            .map_err(|e| format!("cannot start the HTTP client: {e}"))?;
        Ok(Client {
            http,
            settings: settings.clone(),
            url,
        })
    }

    pub fn provider(&self) -> Provider {
        self.settings.provider
    }

    /// Sends one prompt, retrying as configured, and reads the reply.
    pub async fn call(&self, system: &str, user: &str) -> Result<Reply, CallError> {
        let s = &self.settings;
        let body = s.provider.body(&Prompt {
            model: &s.model,
            system,
            user,
            max_output_tokens: s.max_output_tokens,
        });
        let mut attempt = 0;
        loop {
            match self.attempt(&body).await {
                Attempt::Done(v) => {
                    return s.provider.reply(&v).map_err(|e| {
                        CallError::Failed(format!("unexpected response from {}: {e}", self.url))
                    })
                }
                Attempt::Fail(e) => return Err(e),
                Attempt::Retry(e, after) => {
                    if attempt >= s.retries {
                        return Err(e);
                    }
                    tokio::time::sleep(after.unwrap_or_else(|| backoff(s.backoff, attempt))).await;
                    attempt += 1;
                }
            }
        }
    }

    async fn attempt(&self, body: &Value) -> Attempt {
        let mut req = self
            .http
            .post(&self.url)
            .timeout(self.settings.timeout)
            .header("content-type", "application/json")
            .body(body.to_string());
        for (name, value) in self
            .settings
            .provider
            .headers(self.settings.api_key.as_deref())
        {
            req = req.header(name, value);
        }
        let resp = match req.send().await {
            Ok(r) => r,
            Err(e) => return self.transport_error(e),
        };
        let status = resp.status();
        let after = retry_after(resp.headers());
        match read_body(resp, LLM_BODY_LIMIT).await {
            Ok(bytes) => self.judge(status, after, &bytes),
            Err(BodyError::Transport(e)) => self.transport_error(e),
            Err(BodyError::TooLarge(limit)) => Attempt::Fail(CallError::Failed(format!(
                "{} answered {status} with a body over the {} limit; the unit is not reviewed",
                self.url,
                human(limit)
            ))),
        }
    }

    fn judge(&self, status: StatusCode, after: Option<RetryAfter>, bytes: &[u8]) -> Attempt {
        let excerpt = || {
            String::from_utf8_lossy(&bytes[..bytes.len().min(200)])
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        if status.is_success() {
            return match serde_json::from_slice(bytes) {
                Ok(v) => Attempt::Done(v),
                Err(_) => Attempt::Retry(
                    CallError::Failed(format!(
                        "{} answered with a body that is not JSON: {}",
                        self.url,
                        excerpt()
                    )),
                    None,
                ),
            };
        }
        let msg = format!("{} answered {status}: {}", self.url, excerpt());
        if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
            match after {
                Some(RetryAfter::TooLong(v)) => Attempt::Fail(CallError::Failed(format!(
                    "{msg} (it asks to retry after {v} s, longer than the {} s goaudit waits)",
                    MAX_RETRY_AFTER.as_secs()
                ))),
                Some(RetryAfter::Wait(d)) => Attempt::Retry(CallError::Failed(msg), Some(d)),
                None => Attempt::Retry(CallError::Failed(msg), None),
            }
        } else if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
            Attempt::Fail(CallError::Rejected(format!(
                "the provider refused the API key: {msg}"
            )))
        } else {
            Attempt::Fail(CallError::Failed(msg))
        }
    }

    fn transport_error(&self, e: reqwest::Error) -> Attempt {
        let chain = error_chain(&e);
        if e.is_timeout() {
            let secs = self.settings.timeout.as_secs_f64();
            return Attempt::Retry(
                CallError::Failed(format!(
                    "{} did not answer within {secs}s (--llm-timeout)",
                    self.url
                )),
                None,
            );
        }
        if e.is_connect() {
            return Attempt::Retry(
                CallError::Unreachable(format!(
                    "cannot reach the LLM provider at {}: {chain}",
                    self.url
                )),
                None,
            );
        }
        Attempt::Retry(
            CallError::Failed(format!("request to {} failed: {chain}", self.url)),
            None,
        )
    }
}

/// An error and its causes, deduplicated, on one line.
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        let s = err.to_string();
        if !parts.iter().any(|p| p.contains(&s)) {
            parts.push(s);
        }
        cur = err.source();
    }
    parts.last().cloned().unwrap_or_default()
}

fn is_loopback(url: &str) -> bool {
    let host = url
        .split("://")
        .nth(1)
        .unwrap_or("")
        .split(['/', '?'])
        .next()
        .unwrap_or("");
    host.starts_with("127.") || host.starts_with("localhost") || host.starts_with("[::1]")
}

/// What a server's `Retry-After` (in seconds) asks for.
#[derive(Debug, PartialEq)]
enum RetryAfter {
    /// Wait this long, then retry.
    Wait(Duration),
    /// Longer than `MAX_RETRY_AFTER` (any value, even one past `u64`): not worth waiting for.
    TooLong(String),
}

/// The server's `Retry-After` in seconds (an HTTP date is not honoured: backoff applies). A
/// value over `MAX_RETRY_AFTER` never becomes a `Duration`.
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<RetryAfter> {
    let v = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    let secs: f64 = v.parse().ok()?;
    if secs < 0.0 || secs.is_nan() {
        return None;
    }
    Some(if secs > MAX_RETRY_AFTER.as_secs_f64() {
        RetryAfter::TooLong(v.to_string())
    } else {
        RetryAfter::Wait(Duration::from_secs_f64(secs))
    })
}

/// `base × 2^attempt`, capped, with up to a quarter more of jitter.
fn backoff(base: Duration, attempt: u32) -> Duration {
    let d = base.saturating_mul(1 << attempt.min(16)).min(MAX_BACKOFF);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |t| t.subsec_nanos());
    d + d.mul_f64(f64::from(nanos % 1000) / 4000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let b = Duration::from_millis(100);
        assert!(backoff(b, 0) >= b && backoff(b, 0) <= b.mul_f64(1.25));
        assert!(backoff(b, 3) >= b * 8);
        assert!(backoff(b, 30) <= MAX_BACKOFF.mul_f64(1.25));
    }

    /// A header map holding only `Retry-After: value`.
    fn retry_after_header(value: &str) -> reqwest::header::HeaderMap {
        let mut h = reqwest::header::HeaderMap::new();
        h.insert(reqwest::header::RETRY_AFTER, value.parse().unwrap());
        h
    }

    #[test]
    fn a_retry_after_over_the_cap_is_not_waited_for_nor_a_panic() {
        for v in [
            "18446744073709551616",
            "99999999999999999999",
            "1e400",
            "inf",
            "61",
        ] {
            assert_eq!(
                retry_after(&retry_after_header(v)),
                Some(RetryAfter::TooLong(v.to_string())),
                "{v}"
            );
        }
        assert_eq!(
            retry_after(&retry_after_header("2")),
            Some(RetryAfter::Wait(Duration::from_secs(2)))
        );
        assert_eq!(retry_after(&retry_after_header("-1")), None);
        assert_eq!(retry_after(&retry_after_header("NaN")), None);
    }

    #[test]
    fn loopback_urls_are_recognised() {
        assert!(is_loopback("http://127.0.0.1:8080/v1/chat/completions"));
        assert!(is_loopback("http://localhost/v1"));
        assert!(!is_loopback("https://api.openai.com/v1"));
    }
}
