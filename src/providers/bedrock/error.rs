//! Bedrock's errors → litellm's exceptions. The error type comes from the
//! `x-amzn-ErrorType` header (`ThrottlingException:http://…`), else the body's
//! `__type` (`com.amazon…#ValidationException`) or `code`; the message from the
//! body's `message`/`Message`. Types (docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html,
//! "Errors", and the common errors page) map as litellm's `_map_bedrock_exception`
//! does; a status without a known type follows litellm's status table for
//! Bedrock (500 → `ServiceUnavailableError`). Context overflow has no type of
//! its own: as litellm, a message with "too many tokens", "Input is too long",
//! "prompt is too long" or "Too many input tokens" is `ContextWindowExceededError`.

use serde_json::Value;

use crate::error::{Error, Kind};
use crate::providers::body::raw_message;

/// The kind (and, for a stream exception that has no HTTP status, the status)
/// of an AWS error type, compared without the case of its first letter (event
/// stream exceptions are `throttlingException`, HTTP errors `ThrottlingException`).
pub fn by_type(etype: &str) -> Option<(Kind, u16)> {
    let t = etype.to_ascii_lowercase();
    Some(match t.as_str() {
        "throttlingexception" | "servicequotaexceededexception" | "toomanyrequestsexception" => {
            (Kind::RateLimit, 429)
        }
        "validationexception" => (Kind::BadRequest, 400),
        "accessdeniedexception" => (Kind::PermissionDenied, 403),
        "unrecognizedclientexception"
        | "invalidsignatureexception"
        | "incompletesignatureexception"
        | "expiredtokenexception"
        | "missingauthenticationtokenexception"
        | "invalidclienttokenid" => (Kind::Authentication, 403),
        "resourcenotfoundexception" => (Kind::NotFound, 404),
        "serviceunavailableexception" | "modelnotreadyexception" => (Kind::ServiceUnavailable, 503),
        "modeltimeoutexception" => (Kind::Timeout, 408),
        "internalserverexception" => (Kind::ServiceUnavailable, 500),
        "modelstreamerrorexception" | "modelerrorexception" => (Kind::Api, 424),
        _ => return None,
    })
}

/// The type name of `raw` (`Name:uri`, `ns#Name`, or `Name`).
fn type_name(raw: &str) -> &str {
    let raw = raw.split(':').next().unwrap_or(raw);
    raw.rsplit('#').next().unwrap_or(raw).trim()
}

fn is_context_overflow(message: &str) -> bool {
    [
        "too many tokens",
        "Input is too long",
        "input is too long",
        "prompt is too long",
        "Too many input tokens",
        "too many input tokens",
    ]
    .iter()
    .any(|p| message.contains(p))
}

/// litellm's status table for Bedrock errors whose type it does not know.
fn by_status(status: u16) -> Kind {
    match status {
        500 => Kind::ServiceUnavailable,
        424 => Kind::Api,
        s => Kind::from_status(s),
    }
}

/// Map an error response: `status`, the `x-amzn-ErrorType` header if any, the body.
pub fn map(status: u16, header_type: Option<&str>, body: &[u8]) -> Error {
    let doc: Option<Value> = serde_json::from_slice(body).ok();
    let field = |k: &str| {
        doc.as_ref()
            .and_then(|d| d.get(k))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let etype = header_type
        .map(str::to_owned)
        .or_else(|| field("__type"))
        .or_else(|| field("code"))
        .map(|t| type_name(&t).to_owned());
    let message = field("message")
        .or_else(|| field("Message"))
        .unwrap_or_else(|| raw_message(status, body));
    let kind = match etype.as_deref().and_then(by_type) {
        Some((k, _)) => k,
        None => by_status(status),
    };
    let kind = if matches!(kind, Kind::BadRequest) && is_context_overflow(&message) {
        Kind::ContextWindowExceeded
    } else {
        kind
    };
    let message = match etype {
        Some(t) => format!("{t}: {message}"),
        None => message,
    };
    Error::http(kind, status, message, body)
}

/// An `exception` message of an event stream (`:exception-type` and its
/// JSON payload `{"message": …}`), raised after the chunks before it.
pub fn stream_exception(etype: &str, payload: &[u8]) -> Error {
    let status = by_type(etype).map_or(500, |(_, s)| s);
    let mut e = map(status, Some(etype), payload);
    if by_type(etype).is_none() {
        e.kind = Kind::InternalServer;
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_from_header_or_body() {
        let cases: &[(u16, Option<&str>, &str, Kind)] = &[
            (
                400,
                Some("ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/"),
                r#"{"message":"Malformed input request"}"#,
                Kind::BadRequest,
            ),
            (
                429,
                None,
                r#"{"__type":"com.amazon.bedrock#ThrottlingException","message":"Too many requests, please wait before trying again."}"#,
                Kind::RateLimit,
            ),
            (
                403,
                Some("AccessDeniedException"),
                r#"{"message":"You don't have access to the model with the specified model ID."}"#,
                Kind::PermissionDenied,
            ),
            (
                403,
                Some("UnrecognizedClientException"),
                r#"{"message":"The security token included in the request is invalid."}"#,
                Kind::Authentication,
            ),
            (
                403,
                Some("InvalidSignatureException"),
                r#"{"message":"The request signature we calculated does not match the signature you provided."}"#,
                Kind::Authentication,
            ),
            (
                404,
                Some("ResourceNotFoundException"),
                r#"{"message":"Could not resolve the foundation model"}"#,
                Kind::NotFound,
            ),
            (
                503,
                Some("ServiceUnavailableException"),
                r#"{"message":"Bedrock is unable to process your request."}"#,
                Kind::ServiceUnavailable,
            ),
            (
                429,
                Some("ModelNotReadyException"),
                r#"{"message":"Model is not ready"}"#,
                Kind::ServiceUnavailable,
            ),
            (
                408,
                Some("ModelTimeoutException"),
                r#"{"message":"Model has timed out"}"#,
                Kind::Timeout,
            ),
            (
                400,
                Some("ValidationException"),
                r#"{"message":"Input is too long for requested model."}"#,
                Kind::ContextWindowExceeded,
            ),
            (
                400,
                None,
                r#"{"message":"too many input tokens"}"#,
                Kind::ContextWindowExceeded,
            ),
            (500, None, "oops", Kind::ServiceUnavailable),
            (401, None, "", Kind::Authentication),
        ];
        for (status, header, body, want) in cases {
            let e = map(*status, *header, body.as_bytes());
            assert_eq!(e.kind, *want, "{status} {header:?} {body}");
            assert_eq!(e.status, Some(*status));
        }
        let e = map(400, Some("ValidationException:x"), br#"{"message":"bad"}"#);
        assert_eq!(e.message, "ValidationException: bad");
    }

    #[test]
    fn stream_exceptions() {
        let e = stream_exception("throttlingException", br#"{"message":"slow down"}"#);
        assert_eq!((e.kind, e.status), (Kind::RateLimit, Some(429)));
        let e = stream_exception("modelStreamErrorException", br#"{"message":"boom"}"#);
        assert_eq!((e.kind, e.status), (Kind::Api, Some(424)));
        let e = stream_exception("weirdException", b"{}");
        assert_eq!(e.kind, Kind::InternalServer);
    }
}
