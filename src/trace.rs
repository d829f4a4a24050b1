//! Debug events of a call (request line, each attempt's status and time,
//! retries with their wait and reason), for Python's `logging` at DEBUG.
//!
//! Off unless the call asks: Python passes a non-zero `debug` tag only when
//! the `"LiteLLM"` logger is enabled for DEBUG, and a [`Trace`] of tag 0 does
//! nothing (not even format its message). Events are kept per tag in one
//! process-wide map and taken by Python after the call
//! (`take_debug_events(tag)`), so no native thread ever re-enters the
//! interpreter to log. Header values marked sensitive (every credential the
//! adapters set) and credential-named headers are redacted; a `key=` query
//! parameter is too.

use std::collections::BTreeMap;
use std::sync::Mutex;

use pyo3::prelude::*;
use reqwest::header::HeaderMap;

static EVENTS: Mutex<BTreeMap<u64, Vec<String>>> = Mutex::new(BTreeMap::new());

/// Header names whose values are credentials whatever the adapter marked.
const CREDENTIAL_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "x-api-key",
    "api-key",
    "x-goog-api-key",
    "cookie",
];

/// The debug events sink of one call; `Trace::OFF` records nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Trace(u64);

impl Trace {
    pub const OFF: Trace = Trace(0);

    pub fn new(tag: u64) -> Self {
        Trace(tag)
    }

    /// Record the event `message()` builds, when this call is traced.
    pub fn event(self, message: impl FnOnce() -> String) {
        if self.0 == 0 {
            return;
        }
        let mut events = EVENTS.lock().unwrap_or_else(|p| p.into_inner());
        events.entry(self.0).or_default().push(message());
    }
}

/// `headers` as `{name: value}` text with every credential shown as `[REDACTED]`.
pub fn redacted_headers(headers: &HeaderMap) -> String {
    let parts: Vec<String> = headers
        .iter()
        .map(|(name, value)| {
            let secret = value.is_sensitive() || CREDENTIAL_HEADERS.contains(&name.as_str());
            let shown = if secret {
                "[REDACTED]".to_owned()
            } else {
                String::from_utf8_lossy(value.as_bytes()).into_owned()
            };
            format!("{}: {shown}", name.as_str())
        })
        .collect();
    format!("{{{}}}", parts.join(", "))
}

/// `url` with the value of a `key=` query parameter replaced by `[REDACTED]`.
pub fn redacted_url(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut u) if u.query_pairs().any(|(k, _)| k == "key") => {
            let pairs: Vec<(String, String)> = u
                .query_pairs()
                .map(|(k, v)| {
                    let v = if k == "key" {
                        "[REDACTED]".into()
                    } else {
                        v.into_owned()
                    };
                    (k.into_owned(), v)
                })
                .collect();
            u.query_pairs_mut().clear().extend_pairs(pairs);
            u.to_string()
        }
        _ => url.to_owned(),
    }
}

/// `take_debug_events(tag)` → the events recorded for `tag`, oldest first (then forgotten).
#[pyfunction]
pub fn take_debug_events(tag: u64) -> Vec<String> {
    let mut events = EVENTS.lock().unwrap_or_else(|p| p.into_inner());
    events.remove(&tag).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn off_records_nothing_and_on_records_in_order() {
        Trace::OFF.event(|| unreachable!("not formatted when off"));
        let t = Trace::new(u64::MAX - 7);
        t.event(|| "one".into());
        t.event(|| "two".into());
        assert_eq!(take_debug_events(u64::MAX - 7), vec!["one", "two"]);
        assert!(take_debug_events(u64::MAX - 7).is_empty());
    }

    #[test]
    fn credentials_are_redacted() {
        let mut h = HeaderMap::new();
        let mut secret = HeaderValue::from_static("Bearer sk-abc");
        secret.set_sensitive(true);
        h.insert("authorization", secret);
        h.insert("x-api-key", HeaderValue::from_static("sk-def"));
        h.insert("content-type", HeaderValue::from_static("application/json"));
        let text = redacted_headers(&h);
        assert!(
            !text.contains("sk-abc") && !text.contains("sk-def"),
            "{text}"
        );
        assert!(text.contains("content-type: application/json"));
        let url = redacted_url("https://h/v1/models/m:generate?alt=sse&key=sk-ghi");
        assert!(!url.contains("sk-ghi") && url.contains("alt=sse"), "{url}");
    }
}
