//! Sending one provider request: headers, the whole-call deadline, retries
//! with exponential backoff and `retry-after`, and reading error bodies.
//!
//! Retry policy (litellm's, which is the openai SDK's): statuses 408, 409, 429,
//! 500, 502, 503, 504 and 529 and connection failures are retried up to
//! `num_retries` times; the wait is `retry-after-ms` / `retry-after` when the
//! server sends one (capped at [`MAX_RETRY_AFTER`]), else
//! `min(0.5 s * 2^attempt, 8 s)` with up to 25 % jitter. A wait that would pass
//! the call's deadline is not taken: the last error is raised instead.

use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use tokio::time::Instant;

use crate::error::{Error, Kind};
use crate::trace::{self, Trace};
use crate::trust;

/// The longest server-requested wait we honour between attempts.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
const BACKOFF_BASE: Duration = Duration::from_millis(500);
const BACKOFF_MAX: Duration = Duration::from_secs(8);

/// TLS verification for a call (litellm's `ssl_verify`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, pyo3::FromPyObject)]
pub enum Verify {
    /// `True`: the system trust store (`SSL_CERT_FILE` when set); `False`: none.
    Flag(bool),
    /// A path to a PEM bundle of CA certificates trusted besides the system's.
    CaFile(String),
}

/// Build a pooled client whose idle connections live `idle` at most. Redirects are followed (up to 10) only within the
/// same origin: a redirect to another host or port is not followed, so no
/// credential header (`Authorization`, `x-api-key`, `x-goog-api-key`, ...)
/// ever reaches a host the caller did not name. Proxies come from
/// `HTTP_PROXY`/`HTTPS_PROXY`/`ALL_PROXY`/`NO_PROXY`; the trust store is read
/// once per process ([`trust`]) and shared by every client.
pub fn client(verify: &Verify, idle: Duration) -> Result<reqwest::Client, Error> {
    let same_origin = reqwest::redirect::Policy::custom(|attempt| {
        let prev = attempt.previous().last();
        let same = prev.is_some_and(|p| {
            p.scheme() == attempt.url().scheme()
                && p.host_str() == attempt.url().host_str()
                && p.port_or_known_default() == attempt.url().port_or_known_default()
        });
        if attempt.previous().len() > 10 {
            attempt.error("too many redirects")
        } else if same {
            attempt.follow()
        } else {
            attempt.stop()
        }
    });
    let mut builder = reqwest::Client::builder()
        .pool_idle_timeout(idle)
        .pool_max_idle_per_host(1024)
        .tcp_nodelay(true)
        .redirect(same_origin);
    builder = match verify {
        Verify::Flag(true) => builder.use_preconfigured_tls(trust::config(None)?),
        Verify::CaFile(path) => builder.use_preconfigured_tls(trust::config(Some(path))?),
        // Nothing is verified, so no trust store is read.
        Verify::Flag(false) => builder
            .tls_built_in_root_certs(false)
            .danger_accept_invalid_certs(true),
    };
    builder
        .build()
        .map_err(|e| Error::new(Kind::Api, format!("cannot build the HTTP client: {e}")))
}

/// A request ready to send: built by a provider adapter.
#[derive(Debug, Clone)]
pub struct HttpRequest {
    pub method: reqwest::Method,
    pub url: String,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl HttpRequest {
    /// A JSON POST to `url`.
    pub fn post_json(url: String, body: Bytes) -> Self {
        Self::post(url, body, HeaderValue::from_static("application/json"))
    }

    /// A POST to `url` of `body` with the given `Content-Type`.
    pub fn post(url: String, body: Bytes, content_type: HeaderValue) -> Self {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, content_type);
        HttpRequest {
            method: reqwest::Method::POST,
            url,
            headers,
            body,
        }
    }

    /// A bodiless request (`GET`, `DELETE`) to `url`.
    pub fn bodiless(method: reqwest::Method, url: String) -> Self {
        HttpRequest {
            method,
            url,
            headers: HeaderMap::new(),
            body: Bytes::new(),
        }
    }

    /// Add a header whose value is a secret: hidden from `Debug` output.
    pub fn secret_header(&mut self, name: HeaderName, value: &str) -> Result<(), Error> {
        let mut v = HeaderValue::from_str(value).map_err(|_| {
            Error::new(
                Kind::BadRequest,
                "api_key contains characters not allowed in an HTTP header",
            )
        })?;
        v.set_sensitive(true);
        self.headers.insert(name, v);
        Ok(())
    }

    /// `Authorization: Bearer <key>`.
    pub fn bearer(&mut self, key: &str) -> Result<(), Error> {
        self.secret_header(AUTHORIZATION, &format!("Bearer {key}"))
    }

    /// The caller's `extra_headers`, which override the adapter's.
    pub fn extra_headers(&mut self, extra: &[(String, String)]) -> Result<(), Error> {
        for (name, value) in extra {
            let bad = || {
                Error::new(
                    Kind::BadRequest,
                    format!("extra_headers: invalid header {name:?}"),
                )
            };
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| bad())?;
            let value = HeaderValue::from_str(value).map_err(|_| bad())?;
            self.headers.insert(name, value);
        }
        Ok(())
    }
}

/// What the provider adapter makes of an error status, headers and body.
pub type ErrorMapper<'a> = &'a (dyn Fn(u16, &HeaderMap, &[u8]) -> Error + Sync);

/// Send `req`, retrying as documented above, until a success status arrives.
/// The success response's body is left unread (for streams).
pub async fn send(
    client: &reqwest::Client,
    req: &HttpRequest,
    deadline: Option<Instant>,
    num_retries: u32,
    map_error: ErrorMapper<'_>,
    log: Trace,
) -> Result<reqwest::Response, Error> {
    retry(deadline, num_retries, log, || {
        attempt(client, req, deadline, map_error, log)
    })
    .await
}

/// Send `req` and read the whole success body, retrying as documented above;
/// a body cut off mid-way counts as a connection failure and is retried too.
pub async fn fetch(
    client: &reqwest::Client,
    req: &HttpRequest,
    deadline: Option<Instant>,
    num_retries: u32,
    map_error: ErrorMapper<'_>,
    log: Trace,
) -> Result<Bytes, Error> {
    retry(deadline, num_retries, log, || async {
        let resp = attempt(client, req, deadline, map_error, log).await?;
        within(deadline, resp.bytes())
            .await?
            .map_err(|e| Error::transport(&e))
    })
    .await
}

/// One attempt: the response if its status is a success, else the mapped error
/// (with the server's retry-after).
async fn attempt(
    client: &reqwest::Client,
    req: &HttpRequest,
    deadline: Option<Instant>,
    map_error: ErrorMapper<'_>,
    log: Trace,
) -> Result<reqwest::Response, Error> {
    log.event(|| {
        format!(
            "POST {} headers={} body={} bytes",
            trace::redacted_url(&req.url),
            trace::redacted_headers(&req.headers),
            req.body.len()
        )
    });
    let started = std::time::Instant::now();
    let sent = client
        .request(req.method.clone(), &req.url)
        .headers(req.headers.clone())
        .body(req.body.clone())
        .send();
    let resp = within(deadline, sent)
        .await?
        .map_err(|e| Error::transport(&e))?;
    log.event(|| {
        format!(
            "status {} in {:.1} ms",
            resp.status().as_u16(),
            started.elapsed().as_secs_f64() * 1000.0
        )
    });
    if resp.status().is_success() {
        return Ok(resp);
    }
    let status = resp.status().as_u16();
    if resp.status().is_redirection() {
        let location = resp
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("?")
            .to_owned();
        return Err(Error::http(
            Kind::Api,
            status,
            format!(
                "the server redirected to {location}, another host: only same-origin redirects \
                 are followed, so credentials never leave the host you named"
            ),
            b"",
        ));
    }
    let retry_after = retry_after(resp.headers());
    let headers = resp.headers().clone();
    let body = within(deadline, resp.bytes()).await?.unwrap_or_default();
    let mut e = map_error(status, &headers, &body);
    // The header wins over a delay the adapter read from the body.
    if let Some(wait) = retry_after {
        e.retry_after = Some(wait.as_secs_f64());
    }
    Err(e)
}

/// Run `op` until it succeeds, fails for good, or retries run out.
async fn retry<T, F, Fut>(
    deadline: Option<Instant>,
    num_retries: u32,
    log: Trace,
    mut op: F,
) -> Result<T, Error>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, Error>>,
{
    let mut attempt: u32 = 0;
    loop {
        attempt += 1;
        let mut err = match op().await {
            Ok(v) => return Ok(v),
            Err(e) => e,
        };
        err.attempts = attempt;
        if attempt > num_retries || !retryable(&err) {
            return Err(err);
        }
        let wait = err
            .retry_after
            .map(|s| Duration::from_secs_f64(s).min(MAX_RETRY_AFTER))
            .unwrap_or_else(|| backoff(attempt));
        if deadline.is_some_and(|d| Instant::now() + wait >= d) {
            log.event(|| format!("no retry: a {wait:?} wait would pass the timeout"));
            return Err(err);
        }
        log.event(|| {
            let reason = match err.status {
                Some(s) => format!("status {s}"),
                None => format!("{:?}: {}", err.kind, err.message),
            };
            let source = if err.retry_after.is_some() {
                "retry-after"
            } else {
                "backoff"
            };
            format!(
                "retry {attempt}/{num_retries} in {:.3} s ({source}) after {reason}",
                wait.as_secs_f64()
            )
        });
        tokio::time::sleep(wait).await;
    }
}

/// Run `fut` within the call's deadline, failing with a `Timeout` error.
pub async fn within<F: std::future::Future>(
    deadline: Option<Instant>,
    fut: F,
) -> Result<F::Output, Error> {
    match deadline {
        None => Ok(fut.await),
        Some(d) => tokio::time::timeout_at(d, fut)
            .await
            .map_err(|_| Error::new(Kind::Timeout, "the request timed out (timeout reached)")),
    }
}

fn retryable(err: &Error) -> bool {
    match err.status {
        Some(s) => matches!(s, 408 | 409 | 429 | 500 | 502 | 503 | 504 | 529),
        None => err.kind == Kind::Connection,
    }
}

/// `retry-after-ms` (milliseconds) or `retry-after` (seconds), as sent by the server.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let parse = |name: &str| -> Option<f64> {
        let v: f64 = headers.get(name)?.to_str().ok()?.trim().parse().ok()?;
        (v.is_finite() && v >= 0.0).then_some(v)
    };
    parse("retry-after-ms")
        .map(|ms| Duration::from_secs_f64(ms / 1000.0))
        .or_else(|| parse("retry-after").map(Duration::from_secs_f64))
}

/// Exponential backoff with jitter for the given (1-based) attempt.
fn backoff(attempt: u32) -> Duration {
    let exp = BACKOFF_BASE.saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
    let wait = exp.min(BACKOFF_MAX);
    wait.mul_f64(1.0 - 0.25 * jitter())
}

/// A number in [0, 1) that differs between calls (not cryptographic): each
/// `RandomState` is keyed afresh, so hashing a constant gives a new value.
fn jitter() -> f64 {
    use std::hash::BuildHasher;
    let bits = std::collections::hash_map::RandomState::new().hash_one(0u8);
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_prefers_milliseconds() {
        let mut h = HeaderMap::new();
        h.insert("retry-after", HeaderValue::from_static("3"));
        assert_eq!(retry_after(&h), Some(Duration::from_secs(3)));
        h.insert("retry-after-ms", HeaderValue::from_static("250"));
        assert_eq!(retry_after(&h), Some(Duration::from_millis(250)));
        h.insert("retry-after-ms", HeaderValue::from_static("-1"));
        assert_eq!(retry_after(&h), Some(Duration::from_secs(3)));
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        for attempt in 1..20 {
            let b = backoff(attempt);
            let full = BACKOFF_BASE
                .saturating_mul(1 << (attempt - 1).min(16))
                .min(BACKOFF_MAX);
            assert!(
                b <= full && b >= full.mul_f64(0.75),
                "attempt {attempt}: {b:?}"
            );
        }
    }

    #[test]
    fn only_transient_failures_retry() {
        let status = |s| Error::http(Kind::from_status(s), s, String::new(), b"");
        for s in [408, 409, 429, 500, 502, 503, 504, 529] {
            assert!(retryable(&status(s)), "{s}");
        }
        for s in [400, 401, 403, 404, 422] {
            assert!(!retryable(&status(s)), "{s}");
        }
        assert!(retryable(&Error::new(Kind::Connection, "refused")));
        assert!(!retryable(&Error::new(Kind::Timeout, "slow")));
    }
}
