//! Reading provider bodies: the JSON parses and error texts every adapter shares.

use serde::de::DeserializeOwned;

use crate::error::{Error, Kind};

/// A success body parsed as JSON; an empty or malformed one is an `APIError`
/// (litellm raises its `APIError` family for a 2xx it cannot read).
pub fn parse_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, Error> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::new(Kind::Api, "the provider returned an empty body"));
    }
    serde_json::from_slice(body).map_err(|e| {
        Error::new(
            Kind::Api,
            format!("the provider returned a body that is not valid JSON ({e})"),
        )
    })
}

/// One stream event's data parsed as JSON; a malformed one is an `APIError`
/// that shows its first 200 characters.
pub fn parse_event<T: DeserializeOwned>(data: &str) -> Result<T, Error> {
    serde_json::from_str(data).map_err(|e| {
        let shown: String = data.chars().take(200).collect();
        Error::new(
            Kind::Api,
            format!("the provider sent a stream event that is not valid JSON ({e}): {shown}"),
        )
    })
}

/// The message for an error status whose body is not the provider's error
/// JSON (an HTML page from a gateway, plain text, nothing): the body itself.
pub fn raw_message(status: u16, body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    if text.trim().is_empty() {
        format!("HTTP {status} with an empty body")
    } else {
        text.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn empty_malformed_and_good_bodies() {
        assert!(parse_body::<Value>(b" \n")
            .unwrap_err()
            .message
            .contains("empty body"));
        assert!(parse_body::<Value>(b"{\"a\":")
            .unwrap_err()
            .message
            .contains("not valid JSON"));
        assert_eq!(parse_body::<Value>(b"{\"a\":1}").unwrap()["a"], 1);
        let long = format!("{{{}", "x".repeat(500));
        let e = parse_event::<Value>(&long).unwrap_err();
        assert!(e.message.len() < 400 && e.kind == Kind::Api);
        assert_eq!(raw_message(502, b"<html>bad</html>"), "<html>bad</html>");
        assert_eq!(raw_message(503, b""), "HTTP 503 with an empty body");
    }
}
