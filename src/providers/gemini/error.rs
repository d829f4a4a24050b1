//! Google's error objects, as HTTP answers and inside streams.

use super::*;

/// Google's error object `{"code", "message", "status", "details"}` at HTTP
/// `status` (200 when it arrived inside a stream), mapped by its canonical
/// `status` code; a key Google rejects (`ErrorInfo.reason == API_KEY_INVALID`,
/// sent with 400) is an authentication error, as litellm makes it. A
/// `RetryInfo` detail's `retryDelay` (e.g. `"43s"`, Google's way of saying
/// retry-after on a 429) becomes the error's `retry_after`.
pub(super) fn google_error(status: u16, err: &Value, body: &[u8]) -> Error {
    let message = match err {
        Value::String(s) => s.clone(),
        _ => str_of(err, "message").to_owned(),
    };
    let code = err
        .get("code")
        .and_then(Value::as_u64)
        .and_then(|c| u16::try_from(c).ok());
    let status = match (status, code) {
        (200, Some(c)) if (400..600).contains(&c) => c,
        (200, _) => 500,
        (s, _) => s,
    };
    let details = err.get("details").and_then(Value::as_array);
    let key_invalid =
        details.is_some_and(|d| d.iter().any(|x| str_of(x, "reason") == "API_KEY_INVALID"));
    let retry_delay = details.and_then(|d| {
        d.iter()
            .filter(|x| str_of(x, "@type").ends_with("google.rpc.RetryInfo"))
            .find_map(|x| duration_secs(str_of(x, "retryDelay")))
    });
    let (kind, status) = if key_invalid {
        (Kind::Authentication, 401)
    } else {
        let kind = match str_of(err, "status") {
            "INVALID_ARGUMENT" | "FAILED_PRECONDITION" | "OUT_OF_RANGE" => Kind::BadRequest,
            "UNAUTHENTICATED" => Kind::Authentication,
            "PERMISSION_DENIED" => Kind::PermissionDenied,
            "NOT_FOUND" => Kind::NotFound,
            "RESOURCE_EXHAUSTED" => Kind::RateLimit,
            "UNAVAILABLE" => Kind::ServiceUnavailable,
            "INTERNAL" => Kind::InternalServer,
            "DEADLINE_EXCEEDED" => Kind::Timeout,
            _ => Kind::from_status(status),
        };
        (kind, status)
    };
    let kind = if kind == Kind::BadRequest && is_context_overflow(&message) {
        Kind::ContextWindowExceeded
    } else {
        kind
    };
    let mut e = Error::http(kind, status, message, body);
    e.retry_after = retry_delay;
    e
}

/// Gemini's context-overflow 400 (`INVALID_ARGUMENT`, no reason of its own) reads
/// `The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).`
/// Matched from the start, with the sentence's fixed second half.
pub(super) fn is_context_overflow(message: &str) -> bool {
    message.starts_with("The input token count (")
        && message.contains(") exceeds the maximum number of tokens allowed (")
}

/// Seconds of a protobuf JSON `Duration` (`"43s"`, `"0.250s"`).
pub(super) fn duration_secs(text: &str) -> Option<f64> {
    let secs: f64 = text.strip_suffix('s')?.parse().ok()?;
    (secs.is_finite() && secs >= 0.0).then_some(secs)
}

pub(super) fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}
