//! OpenAI chat-completions and embeddings, and every server that speaks them
//! (xAI, OpenRouter, Mistral, Groq, DeepSeek, Together, vLLM, LM Studio,
//! llama.cpp, custom gateways).
//!
//! The body Python built is already the OpenAI request, so it is sent as is,
//! and success bodies come back as is: no parse on the hot path except a scan
//! for an `error` object that some servers send with status 200
//! (platform.openai.com/docs/api-reference/chat, /embeddings, /streaming).

use bytes::Bytes;
use serde::Deserialize;
use serde_json::Value;

use super::{Endpoint, Provider, StreamDecoder, Target};
use crate::error::{Error, Kind};
use crate::http::HttpRequest;
use crate::sse;

pub struct OpenAi;

impl Provider for OpenAi {
    fn request(
        &self,
        endpoint: Endpoint,
        target: &Target,
        body: Vec<u8>,
    ) -> Result<HttpRequest, Error> {
        let path = match endpoint {
            Endpoint::Chat => "/chat/completions",
            Endpoint::Embedding => "/embeddings",
        };
        let url = format!("{}{path}", target.base.trim_end_matches('/'));
        let mut req = HttpRequest::post_json(url, Bytes::from(body));
        if let Some(key) = target.api_key {
            req.bearer(key)?;
        }
        Ok(req)
    }

    fn response(&self, _endpoint: Endpoint, body: Vec<u8>) -> Result<Vec<u8>, Error> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Err(Error::new(Kind::Api, "the provider returned an empty body"));
        }
        match serde_json::from_slice::<ErrorProbe>(&body) {
            Ok(ErrorProbe { error: None }) => Ok(body),
            Ok(ErrorProbe { error: Some(err) }) => Err(error_object(200, &err, &body)),
            Err(e) => Err(Error::new(
                Kind::Api,
                format!("the provider returned a body that is not valid JSON ({e})"),
            )),
        }
    }

    fn stream_decoder(&self) -> Box<dyn StreamDecoder> {
        Box::new(ChunkDecoder::default())
    }

    fn error(&self, status: u16, body: &[u8]) -> Error {
        match serde_json::from_slice::<ErrorProbe>(body) {
            Ok(ErrorProbe { error: Some(err) }) => error_object(status, &err, body),
            _ => {
                let text = String::from_utf8_lossy(body);
                let message = if text.trim().is_empty() {
                    format!("HTTP {status} with an empty body")
                } else {
                    text.into_owned()
                };
                Error::http(Kind::from_status(status), status, message, body)
            }
        }
    }
}

/// Only the top-level `error` member; the rest of the document is skipped.
#[derive(Deserialize)]
struct ErrorProbe {
    #[serde(default)]
    error: Option<Value>,
}

/// An OpenAI error object `{"message", "type", "code", "param"}` (or a bare
/// string, as some compatible servers send) at `status`.
fn error_object(status: u16, err: &Value, body: &[u8]) -> Error {
    let field = |k: &str| err.get(k).and_then(Value::as_str).unwrap_or_default();
    let message = match err {
        Value::String(s) => s.clone(),
        _ => field("message").to_owned(),
    };
    let (etype, code) = (field("type"), field("code"));
    // An error inside a 200 body carries its real status in `code` when numeric.
    let status = match (status, err.get("code").and_then(Value::as_u64)) {
        (200, Some(c)) if (400..600).contains(&c) => c as u16,
        (200, _) => 500,
        (s, _) => s,
    };
    let kind = match (code, etype) {
        ("context_length_exceeded", _) | (_, "exceed_context_size_error") => {
            Kind::ContextWindowExceeded
        }
        ("content_policy_violation" | "content_filter", _) => Kind::ContentPolicy,
        _ => Kind::from_status(status),
    };
    Error::http(kind, status, message, body)
}

/// SSE `data:` payloads are OpenAI chunks already; `[DONE]` ends the stream
/// and an `error` object raises after the chunks before it.
#[derive(Default)]
struct ChunkDecoder {
    sse: sse::Decoder,
    done: bool,
}

impl ChunkDecoder {
    fn events(&mut self, events: Vec<sse::Event>) -> Result<Vec<Vec<u8>>, Error> {
        let mut out = Vec::with_capacity(events.len());
        for ev in events {
            if self.done {
                break;
            }
            let data = ev.data.trim();
            if data == "[DONE]" {
                self.done = true;
            } else if data.is_empty() {
                continue;
            } else if data.contains("\"error\"") || ev.event.as_deref() == Some("error") {
                match serde_json::from_str::<ErrorProbe>(data) {
                    Ok(ErrorProbe { error: Some(err) }) => {
                        return Err(error_object(200, &err, data.as_bytes()))
                    }
                    Ok(_) => out.push(ev.data.into_bytes()),
                    Err(e) => return Err(bad_chunk(data, &e)),
                }
            } else {
                out.push(ev.data.into_bytes());
            }
        }
        Ok(out)
    }
}

fn bad_chunk(data: &str, e: &serde_json::Error) -> Error {
    let shown: String = data.chars().take(200).collect();
    Error::new(
        Kind::Api,
        format!("the provider sent a stream event that is not valid JSON ({e}): {shown}"),
    )
}

impl StreamDecoder for ChunkDecoder {
    fn feed(&mut self, bytes: &[u8]) -> Result<Vec<Vec<u8>>, Error> {
        let events = self.sse.feed(bytes);
        self.events(events)
    }

    fn finish(&mut self) -> Result<Vec<Vec<u8>>, Error> {
        let last = self.sse.finish();
        self.events(last.into_iter().collect())
    }

    fn done(&self) -> bool {
        self.done
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_goes_to_the_right_path_with_bearer_auth() {
        let t = Target {
            base: "http://h/v1/",
            api_key: Some("sk-x"),
            model: "gpt-4o",
        };
        let r = OpenAi.request(Endpoint::Chat, &t, b"{}".to_vec()).unwrap();
        assert_eq!(r.url, "http://h/v1/chat/completions");
        assert_eq!(r.headers["authorization"], "Bearer sk-x");
        assert!(r.headers["authorization"].is_sensitive());
        let r = OpenAi
            .request(Endpoint::Embedding, &t, b"{}".to_vec())
            .unwrap();
        assert_eq!(r.url, "http://h/v1/embeddings");
    }

    #[test]
    fn errors_map_by_status_and_code() {
        // platform.openai.com/docs/guides/error-codes
        let body = br#"{"error":{"message":"This model's maximum context length is 8192 tokens","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}"#;
        let e = OpenAi.error(400, body);
        assert_eq!((e.kind, e.status), (Kind::ContextWindowExceeded, Some(400)));
        assert!(e.message.starts_with("This model's maximum context length"));
        // llama.cpp's llama-server
        let body = br#"{"error":{"code":400,"message":"request (9000 tokens) exceeds the available context size (4096 tokens)","type":"exceed_context_size_error"}}"#;
        assert_eq!(OpenAi.error(400, body).kind, Kind::ContextWindowExceeded);
        let body = br#"{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}"#;
        assert_eq!(OpenAi.error(401, body).kind, Kind::Authentication);
        let e = OpenAi.error(502, b"<html>bad gateway</html>");
        assert_eq!(
            (e.kind, e.message.as_str()),
            (Kind::BadGateway, "<html>bad gateway</html>")
        );
        assert_eq!(
            OpenAi.error(503, b"").message,
            "HTTP 503 with an empty body"
        );
    }

    #[test]
    fn success_bodies_pass_through_and_embedded_errors_raise() {
        let ok = br#"{"id":"x","choices":[]}"#.to_vec();
        assert_eq!(OpenAi.response(Endpoint::Chat, ok.clone()).unwrap(), ok);
        let e = OpenAi
            .response(
                Endpoint::Chat,
                br#"{"error":{"message":"overloaded","code":503}}"#.to_vec(),
            )
            .unwrap_err();
        assert_eq!((e.kind, e.status), (Kind::ServiceUnavailable, Some(503)));
        assert_eq!(
            OpenAi
                .response(Endpoint::Chat, b"{\"id\":".to_vec())
                .unwrap_err()
                .kind,
            Kind::Api
        );
        assert_eq!(
            OpenAi
                .response(Endpoint::Chat, b" ".to_vec())
                .unwrap_err()
                .kind,
            Kind::Api
        );
    }

    #[test]
    fn stream_yields_chunks_until_done_and_raises_on_error_events() {
        let mut d = OpenAi.stream_decoder();
        let out = d
            .feed(b": keepalive\n\ndata: {\"a\":1}\n\ndata: {\"b\":\"no \\\"error\\\" here\"}\n\ndata: [DONE]\n\ndata: {\"late\":1}\n\n")
            .unwrap();
        assert_eq!(
            out,
            vec![
                b"{\"a\":1}".to_vec(),
                b"{\"b\":\"no \\\"error\\\" here\"}".to_vec()
            ]
        );
        assert!(d.done());

        let mut d = OpenAi.stream_decoder();
        assert_eq!(d.feed(b"data: {\"a\":1}\n\n").unwrap().len(), 1);
        let e = d
            .feed(b"data: {\"error\":{\"message\":\"upstream died\",\"code\":502}}\n\n")
            .unwrap_err();
        assert_eq!((e.status, e.message.as_str()), (Some(502), "upstream died"));
    }
}
