//! OAuth2 access tokens fetched before a request (RFC 6749): the machinery the
//! token sources of Vertex AI (Google service accounts, gcloud user
//! credentials) and Azure (Entra ID service principals) share.
//!
//! - [`Registry`]: loaded credentials kept by their source, so that each set of
//!   credentials has one token cache per process (bounded: a process serving
//!   many tenants starts over past [`MAX_SOURCES`]).
//! - [`TokenCache`]: one credential's access token (or another fetched secret:
//!   Bedrock's AWS temporary credentials), reused until a margin before it
//!   expires; concurrent callers wait for one exchange.
//! - [`exchange`]: one form-encoded token request through the call's client,
//!   deadline and retries, answered by `{"access_token", "expires_in"}`.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::Value;
use tokio::time::Instant;

use super::Exchange;
use crate::error::{Error, Kind};
use crate::http::{self, HttpRequest};

/// Credentials a [`Registry`] keeps at most before it forgets them all.
pub const MAX_SOURCES: usize = 64;
/// The lifetime assumed when a token endpoint sends no `expires_in` (seconds).
const DEFAULT_LIFETIME: f64 = 3600.0;
/// The longest lifetime believed (seconds): a token is refreshed at least daily.
const MAX_LIFETIME: f64 = 86_400.0;

/// Loaded credentials by a key naming their source (which may hold the
/// secret itself: the keys are never printed).
pub struct Registry<T>(Mutex<BTreeMap<String, Arc<T>>>);

impl<T> Default for Registry<T> {
    fn default() -> Self {
        Registry::new()
    }
}

impl<T> Registry<T> {
    /// An empty registry (usable in a `static`).
    pub const fn new() -> Registry<T> {
        Registry(Mutex::new(BTreeMap::new()))
    }

    /// The credentials kept under `key`, else `load()`'s, kept (a concurrent
    /// loader of the same key may win; its value is then shared). `load`'s
    /// error is returned and nothing is kept.
    pub fn get_or_load(
        &self,
        key: String,
        load: impl FnOnce() -> Result<T, Error>,
    ) -> Result<Arc<T>, Error> {
        let all = || self.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(found) = all().get(&key) {
            return Ok(found.clone());
        }
        // Loaded without the lock: reading a file or parsing a key may be slow.
        let loaded = Arc::new(load()?);
        let mut all = all();
        if all.len() >= MAX_SOURCES {
            all.clear();
        }
        Ok(all.entry(key).or_insert(loaded).clone())
    }
}

struct Cached<T> {
    token: T,
    refresh_at: Instant,
}

/// One credential's access token (`T`: any fetched secret), refreshed
/// `margin` before it expires.
pub struct TokenCache<T = String> {
    slot: tokio::sync::Mutex<Option<Cached<T>>>,
    margin: Duration,
}

impl<T: Clone> TokenCache<T> {
    /// An empty cache whose tokens are refreshed `margin` before they expire
    /// (google-auth's `REFRESH_THRESHOLD`, azure-identity's refresh offset).
    pub fn new(margin: Duration) -> TokenCache<T> {
        TokenCache {
            slot: tokio::sync::Mutex::new(None),
            margin,
        }
    }

    /// The cached token while it is fresh, else `fetch()`'s token (a token and
    /// its lifetime), cached. Callers arriving during a fetch wait for it and
    /// share its token; a failed fetch caches nothing (the next caller tries again).
    pub async fn get<F, Fut>(&self, fetch: F) -> Result<T, Error>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<(T, Duration), Error>>,
    {
        let mut slot = self.slot.lock().await;
        if let Some(c) = slot.as_ref().filter(|c| Instant::now() < c.refresh_at) {
            return Ok(c.token.clone());
        }
        let (token, lifetime) = fetch().await?;
        *slot = Some(Cached {
            token: token.clone(),
            refresh_at: Instant::now() + lifetime.saturating_sub(self.margin),
        });
        Ok(token)
    }
}

/// One token request: `form` (an `application/x-www-form-urlencoded` body)
/// POSTed to `uri` with the call's client, deadline and retries; an error
/// status is mapped by `refused` (`status`, body; token endpoints say what they
/// refuse in the body, so the headers are not passed on). Returns the access token and
/// how long it lives (`expires_in`, seconds; 1 h when absent, at most a day).
///
/// Errors: `refused`'s; `Authentication` when the answer is not JSON or has
/// no `access_token`; transport errors as [`http::fetch`] maps them.
pub async fn exchange(
    how: &Exchange<'_>,
    uri: &str,
    form: String,
    refused: &(dyn Fn(u16, &[u8]) -> Error + Sync),
) -> Result<(String, Duration), Error> {
    let req = HttpRequest::post(
        uri.to_owned(),
        Bytes::from(form),
        HeaderValue::from_static("application/x-www-form-urlencoded"),
    );
    let mapper = |status: u16, _: &HeaderMap, body: &[u8]| refused(status, body);
    let body = http::fetch(
        how.client,
        &req,
        how.deadline,
        how.num_retries,
        &mapper,
        how.log,
    )
    .await?;
    let bad = |what: &str| {
        Error::new(
            Kind::Authentication,
            format!("the token endpoint {uri} {what}"),
        )
    };
    let doc: Value = serde_json::from_slice(&body).map_err(|_| bad("did not answer with JSON"))?;
    let token = doc
        .get("access_token")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| bad("sent no access_token"))?;
    // Entra ID's v1 endpoints send `expires_in` as a string.
    let lifetime = match doc.get("expires_in") {
        Some(Value::String(s)) => s.parse().unwrap_or(DEFAULT_LIFETIME),
        Some(v) => v.as_f64().unwrap_or(DEFAULT_LIFETIME),
        None => DEFAULT_LIFETIME,
    };
    Ok((
        token.to_owned(),
        Duration::from_secs_f64(lifetime.clamp(0.0, MAX_LIFETIME)),
    ))
}

/// The pairs as an `application/x-www-form-urlencoded` body.
pub fn form(pairs: &[(&str, &str)]) -> Result<String, Error> {
    serde_urlencoded::to_string(pairs)
        .map_err(|e| Error::new(Kind::Api, format!("cannot encode the token request: {e}")))
}

/// A token endpoint's refusal (RFC 6749 §5.2 `{"error", "error_description"}`)
/// as `error: description`, else the body's first 300 bytes.
pub fn refusal_detail(body: &[u8]) -> String {
    let doc: Option<Value> = serde_json::from_slice(body).ok();
    let text = |k: &str| {
        doc.as_ref()
            .and_then(|d| d.get(k))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    match (text("error"), text("error_description")) {
        (Some(e), Some(d)) => format!("{e}: {d}"),
        (Some(e), None) => e,
        _ => String::from_utf8_lossy(&body[..body.len().min(300)]).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn a_fresh_token_is_reused_and_an_expired_one_fetched_again() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        let fetches = AtomicUsize::new(0);
        let fetch = |life: u64| {
            let n = fetches.fetch_add(1, Ordering::SeqCst);
            async move { Ok((format!("t{n}"), Duration::from_secs(life))) }
        };
        let cache = TokenCache::new(Duration::from_secs(10));
        rt.block_on(async {
            assert_eq!(cache.get(|| fetch(3600)).await.unwrap(), "t0");
            assert_eq!(cache.get(|| fetch(3600)).await.unwrap(), "t0");
        });
        // A lifetime within the margin is stale at once.
        let short = TokenCache::new(Duration::from_secs(10));
        rt.block_on(async {
            assert_eq!(short.get(|| fetch(5)).await.unwrap(), "t1");
            assert_eq!(short.get(|| fetch(5)).await.unwrap(), "t2");
        });
        let failing = TokenCache::new(Duration::ZERO);
        rt.block_on(async {
            let e = failing
                .get(|| async { Err(Error::new(Kind::Authentication, "no")) })
                .await
                .unwrap_err();
            assert_eq!(e.kind, Kind::Authentication);
            assert_eq!(failing.get(|| fetch(60)).await.unwrap(), "t3");
        });
    }

    #[test]
    fn the_registry_loads_once_per_key_and_keeps_no_failure() {
        let reg: Registry<u32> = Registry::new();
        let a = reg.get_or_load("a".into(), || Ok(1)).unwrap();
        let again = reg.get_or_load("a".into(), || Ok(2)).unwrap();
        assert!(Arc::ptr_eq(&a, &again));
        assert!(reg
            .get_or_load("b".into(), || Err(Error::new(Kind::Authentication, "x")))
            .is_err());
        assert_eq!(*reg.get_or_load("b".into(), || Ok(3)).unwrap(), 3);
    }

    #[test]
    fn refusals_read_rfc6749_errors() {
        assert_eq!(
            refusal_detail(br#"{"error":"invalid_grant","error_description":"Bad JWT."}"#),
            "invalid_grant: Bad JWT."
        );
        assert_eq!(
            refusal_detail(br#"{"error":"invalid_client"}"#),
            "invalid_client"
        );
        assert_eq!(refusal_detail(b"<html>"), "<html>");
    }
}
