//! OpenAI chat-completions and embeddings, and every server that speaks them
//! (xAI, OpenRouter, Mistral, Groq, DeepSeek, Together, vLLM, LM Studio,
//! llama.cpp, custom gateways).
//!
//! The body Python built is already the OpenAI request, so it is sent as is,
//! and success bodies come back as is: no parse on the hot path except a scan
//! for an `error` object that some servers send with status 200
//! (platform.openai.com/docs/api-reference/chat, /embeddings, /streaming).
//! What a provider does differently is data, a [`Quirks`] value per registry
//! entry: the body is parsed and rewritten only when a quirk applies.

use bytes::Bytes;
use reqwest::header::{HeaderName, HeaderValue};
use reqwest::Method;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::body::{parse_body, parse_event, raw_message};
use super::framed::{Framed, Translate};
use super::{Endpoint, Provider, StreamDecoder, Target};
use crate::error::{Error, Kind};
use crate::http::HttpRequest;
use crate::{multipart, sse};

/// The OpenAI wire format with one provider's [`Quirks`].
pub struct OpenAi {
    pub quirks: Quirks,
}

/// What one OpenAI-compatible provider does differently from OpenAI.
pub struct Quirks {
    /// Model-id prefixes whose `max_tokens` is sent as `max_completion_tokens`
    /// (litellm's o-series and gpt-5 configs: those models reject `max_tokens`).
    pub max_completion_tokens_models: &'static [&'static str],
    /// The field `seed` is sent as (Mistral: `random_seed`).
    pub seed_field: Option<&'static str>,
    /// What `tool_choice: "required"` is sent as (Mistral: `"any"`).
    pub tool_choice_required: Option<&'static str>,
    /// Tool-call ids must be exactly this many ASCII alphanumerics (Mistral: 9);
    /// other ids are remapped by [`short_id`], the same way every time.
    pub tool_call_id_len: Option<usize>,
    /// Headers sent unless `extra_headers` overrides them:
    /// (header, env var holding the value, value when the env var is unset).
    pub default_headers: &'static [(&'static str, &'static str, &'static str)],
    /// The message / delta field a provider puts reasoning text in, returned
    /// as litellm's `reasoning_content` (OpenRouter: `reasoning`).
    pub reasoning_field: Option<&'static str>,
    /// The most inputs one embeddings request may carry.
    pub embedding_batch: Option<usize>,
    /// The rerank path under the base (Cohere: `/v2/rerank` under the host root).
    pub rerank_path: &'static str,
}

impl Quirks {
    /// OpenAI's own behaviour: nothing to rewrite.
    pub const NONE: Quirks = Quirks {
        max_completion_tokens_models: &[],
        seed_field: None,
        tool_choice_required: None,
        tool_call_id_len: None,
        default_headers: &[],
        reasoning_field: None,
        embedding_batch: None,
        rerank_path: "/rerank",
    };
}

/// Any OpenAI-compatible server (Groq, DeepSeek, Together, vLLM, LM Studio, llama.cpp).
pub const COMPATIBLE: OpenAi = OpenAi {
    quirks: Quirks::NONE,
};

/// api.openai.com: o-series and gpt-5 models take `max_completion_tokens`.
pub const OPENAI: OpenAi = OpenAi {
    quirks: Quirks {
        max_completion_tokens_models: &["o1", "o3", "o4", "gpt-5"],
        ..Quirks::NONE
    },
};

/// Mistral (docs.mistral.ai/api): `random_seed`, `tool_choice: "any"`,
/// 9-character tool-call ids. The embeddings batch limit is not documented;
/// the API rejects large batches with "Too many inputs in request, split into
/// more batches" (observed at 257 inputs) and also caps tokens per request, so
/// we send at most 128 inputs per request.
pub const MISTRAL: OpenAi = OpenAi {
    quirks: Quirks {
        seed_field: Some("random_seed"),
        tool_choice_required: Some("any"),
        tool_call_id_len: Some(9),
        embedding_batch: Some(128),
        ..Quirks::NONE
    },
};

/// Cohere (docs.cohere.com/reference/rerank): the base is the host root and
/// rerank is `/v2/rerank` under it, as litellm sends it.
pub const COHERE: OpenAi = OpenAi {
    quirks: Quirks {
        rerank_path: "/v2/rerank",
        ..Quirks::NONE
    },
};

/// OpenRouter (openrouter.ai/docs): app attribution headers with litellm's
/// env vars and defaults, and `reasoning` returned as `reasoning_content`.
/// Its own parameters (`transforms`, `models`, `route`, `provider`) pass
/// through in the body.
pub const OPENROUTER: OpenAi = OpenAi {
    quirks: Quirks {
        default_headers: &[
            ("http-referer", "OR_SITE_URL", "https://litellm.ai"),
            ("x-title", "OR_APP_NAME", "liteLLM"),
        ],
        reasoning_field: Some("reasoning"),
        ..Quirks::NONE
    },
};

impl Provider for OpenAi {
    fn request(
        &self,
        endpoint: Endpoint,
        target: &Target,
        body: Vec<u8>,
    ) -> Result<HttpRequest, Error> {
        let base = target.base.trim_end_matches('/');
        let json = |path: &str, body: Vec<u8>| {
            HttpRequest::post_json(format!("{base}{path}"), Bytes::from(body))
        };
        let mut req = match endpoint {
            Endpoint::Chat => json(
                "/chat/completions",
                self.quirks.chat_body(target.model, body)?,
            ),
            Endpoint::Embedding => json("/embeddings", body),
            Endpoint::Responses => json("/responses", body),
            Endpoint::ResponsesGet | Endpoint::ResponsesDelete => {
                let method = if endpoint == Endpoint::ResponsesGet {
                    Method::GET
                } else {
                    Method::DELETE
                };
                let id = response_id(&body)?;
                HttpRequest::bodiless(method, format!("{base}/responses/{id}"))
            }
            Endpoint::ImageGeneration => json("/images/generations", body),
            Endpoint::Moderation => json("/moderations", body),
            Endpoint::Rerank => json(self.quirks.rerank_path, body),
            Endpoint::Speech => json("/audio/speech", body),
            Endpoint::TextCompletion => json("/completions", body),
            Endpoint::Transcription => {
                let fields: Map<String, Value> = serde_json::from_slice(&body).map_err(|e| {
                    Error::new(
                        Kind::BadRequest,
                        format!("the request is not a JSON object ({e})"),
                    )
                })?;
                let (bytes, ctype) = multipart::encode(&fields, target.uploads)?;
                HttpRequest::post(format!("{base}/audio/transcriptions"), bytes, ctype)
            }
        };
        if let Some(key) = target.api_key {
            req.bearer(key)?;
        }
        for (name, var, default) in self.quirks.default_headers {
            let value = std::env::var(var)
                .ok()
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| (*default).to_owned());
            let value = HeaderValue::from_str(&value).map_err(|_| {
                Error::new(
                    Kind::BadRequest,
                    format!("{var} is not a valid HTTP header value"),
                )
            })?;
            req.headers.insert(HeaderName::from_static(name), value);
        }
        Ok(req)
    }

    fn embedding_batch_size(&self, _model: &str) -> Option<usize> {
        self.quirks.embedding_batch
    }

    fn response(&self, endpoint: Endpoint, _model: &str, body: Vec<u8>) -> Result<Vec<u8>, Error> {
        // Audio comes back as it is; a transcription asked for as text, srt or
        // vtt is not JSON.
        let not_json = !body.trim_ascii_start().starts_with(b"{");
        if endpoint == Endpoint::Speech || (endpoint == Endpoint::Transcription && not_json) {
            return Ok(body);
        }
        match parse_body::<ErrorProbe>(&body)? {
            ErrorProbe { error: None } => match (endpoint, self.quirks.reasoning_field) {
                (Endpoint::Chat, Some(field)) => rename_reasoning(body, field, "message"),
                _ => Ok(body),
            },
            ErrorProbe { error: Some(err) } => Err(error_object(200, &err, &body)),
        }
    }

    fn stream_decoder(&self, endpoint: Endpoint) -> Box<dyn StreamDecoder> {
        if endpoint == Endpoint::Responses {
            return Framed::boxed(ResponsesDecoder::default());
        }
        Framed::boxed(ChunkDecoder {
            reasoning_field: self.quirks.reasoning_field,
            ..ChunkDecoder::default()
        })
    }

    fn error(&self, status: u16, body: &[u8]) -> Error {
        match serde_json::from_slice::<ErrorProbe>(body) {
            Ok(ErrorProbe { error: Some(err) }) => error_object(status, &err, body),
            _ => {
                let message = raw_message(status, body);
                Error::http(Kind::from_status(status), status, message, body)
            }
        }
    }
}

impl Quirks {
    /// Whether any request quirk could change a chat body for `model`.
    fn rewrites(&self, model: &str) -> bool {
        self.seed_field.is_some()
            || self.tool_choice_required.is_some()
            || self.tool_call_id_len.is_some()
            || self.takes_max_completion_tokens(model)
    }

    fn takes_max_completion_tokens(&self, model: &str) -> bool {
        let id = model.rsplit('/').next().unwrap_or(model);
        self.max_completion_tokens_models
            .iter()
            .any(|p| id.starts_with(p))
    }

    /// The chat body with this provider's rewrites applied (the same bytes
    /// when none applies).
    pub(crate) fn chat_body(&self, model: &str, body: Vec<u8>) -> Result<Vec<u8>, Error> {
        if !self.rewrites(model) {
            return Ok(body);
        }
        let mut req: Map<String, Value> = serde_json::from_slice(&body).map_err(|e| {
            Error::new(
                Kind::BadRequest,
                format!("the request body is not a JSON object ({e})"),
            )
        })?;
        if self.takes_max_completion_tokens(model) {
            if let Some(v) = req.remove("max_tokens") {
                req.entry("max_completion_tokens").or_insert(v);
            }
        }
        if let Some(field) = self.seed_field {
            if let Some(v) = req.remove("seed") {
                req.entry(field).or_insert(v);
            }
        }
        if let Some(value) = self.tool_choice_required {
            if let Some(choice) = req.get_mut("tool_choice") {
                if choice.as_str() == Some("required") {
                    *choice = Value::from(value);
                }
            }
        }
        if let Some(len) = self.tool_call_id_len {
            remap_tool_call_ids(&mut req, len);
        }
        serde_json::to_vec(&req).map_err(|e| Error::new(Kind::BadRequest, e.to_string()))
    }
}

/// Rewrite every tool-call id in the history (assistant `tool_calls[].id`
/// and tool messages' `tool_call_id`) to a `len`-character id the provider
/// accepts. The mapping is a pure function of the id, so an assistant call
/// and the tool result answering it stay paired across calls and providers.
fn remap_tool_call_ids(req: &mut Map<String, Value>, len: usize) {
    let Some(Value::Array(messages)) = req.get_mut("messages") else {
        return;
    };
    let fix = |v: &mut Value| {
        if let Some(id) = v.as_str() {
            let short = short_id(id, len);
            if short != id {
                *v = Value::String(short);
            }
        }
    };
    for m in messages.iter_mut() {
        if let Some(v) = m.get_mut("tool_call_id") {
            fix(v);
        }
        if let Some(Value::Array(calls)) = m.get_mut("tool_calls") {
            for call in calls.iter_mut() {
                if let Some(v) = call.get_mut("id") {
                    fix(v);
                }
            }
        }
    }
}

/// `id` itself when it is already `len` ASCII alphanumerics, else `len`
/// base-62 digits of its FNV-1a hash (62^9 ≈ 1.4e16 ids for Mistral's 9).
pub fn short_id(id: &str, len: usize) -> String {
    if id.len() == len && id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return id.to_owned();
    }
    const DIGITS: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut h = fnv1a(id.as_bytes());
    (0..len)
        .map(|_| {
            let d = DIGITS[(h % 62) as usize] as char;
            h /= 62;
            d
        })
        .collect()
}

/// 64-bit FNV-1a: a small, stable, non-cryptographic hash.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Move `choices[].{container}.{field}` to `reasoning_content` (litellm's
/// name), in a whole response (`message`) or a stream chunk (`delta`).
fn rename_reasoning(body: Vec<u8>, field: &str, container: &str) -> Result<Vec<u8>, Error> {
    if !contains(&body, format!("\"{field}\"").as_bytes()) {
        return Ok(body);
    }
    let mut doc: Value = parse_body(&body)?;
    let mut changed = false;
    if let Some(Value::Array(choices)) = doc.get_mut("choices") {
        for choice in choices.iter_mut() {
            let Some(Value::Object(m)) = choice.get_mut(container) else {
                continue;
            };
            if let Some(v) = m.remove(field) {
                changed = true;
                if v.is_string() {
                    m.entry("reasoning_content").or_insert(v);
                }
            }
        }
    }
    if !changed {
        return Ok(body);
    }
    serde_json::to_vec(&doc).map_err(|e| Error::new(Kind::Api, e.to_string()))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Only the top-level `error` member; the rest of the document is skipped.
#[derive(Deserialize)]
struct ErrorProbe {
    #[serde(default)]
    error: Option<Value>,
}

/// An OpenAI error object `{"message", "type", "code", "param"}` (or a bare
/// string, as some compatible servers send) at `status`.
pub(crate) fn error_object(status: u16, err: &Value, body: &[u8]) -> Error {
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
    done: bool,
    /// [`Quirks::reasoning_field`].
    reasoning_field: Option<&'static str>,
}

impl Translate for ChunkDecoder {
    type Framing = sse::Decoder;

    fn decode(&mut self, events: Vec<sse::Event>, out: &mut Vec<Vec<u8>>) -> Result<(), Error> {
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
                match parse_event::<ErrorProbe>(data)? {
                    ErrorProbe { error: Some(err) } => {
                        return Err(error_object(200, &err, data.as_bytes()))
                    }
                    ErrorProbe { error: None } => out.push(self.shape(ev.data.into_bytes())?),
                }
            } else {
                out.push(self.shape(ev.data.into_bytes())?);
            }
        }
        Ok(())
    }

    fn done(&self) -> bool {
        self.done
    }
}

/// The id of a stored response, from the body `{"response_id": ...}`; only
/// the characters OpenAI's ids use, so it is safe in a URL path.
fn response_id(body: &[u8]) -> Result<String, Error> {
    #[derive(Deserialize)]
    struct Id {
        response_id: String,
    }
    let bad = || {
        Error::new(
            Kind::BadRequest,
            "response_id must be a non-empty id such as \"resp_abc123\"",
        )
    };
    let id = serde_json::from_slice::<Id>(body)
        .map_err(|_| bad())?
        .response_id;
    let ok = !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    ok.then_some(id).ok_or_else(bad)
}

/// Responses API stream events (platform.openai.com/docs/api-reference/responses-streaming):
/// every `data:` payload is a typed event passed on as it is; `response.completed`,
/// `response.failed`, `response.incomplete` or `[DONE]` end the stream; an `error`
/// event raises after the events before it.
#[derive(Default)]
struct ResponsesDecoder {
    done: bool,
}

/// The `type` of a Responses stream event and, for `error` events, the error.
#[derive(Deserialize)]
struct EventProbe {
    #[serde(default, rename = "type")]
    kind: String,
    #[serde(default)]
    error: Option<Value>,
}

impl Translate for ResponsesDecoder {
    type Framing = sse::Decoder;

    fn decode(&mut self, events: Vec<sse::Event>, out: &mut Vec<Vec<u8>>) -> Result<(), Error> {
        for ev in events {
            if self.done {
                break;
            }
            let data = ev.data.trim();
            if data == "[DONE]" {
                self.done = true;
                continue;
            }
            if data.is_empty() {
                continue;
            }
            let probe: EventProbe = parse_event(data)?;
            match probe.kind.as_str() {
                "error" => {
                    // OpenAI sends the fields on the event; some servers nest them in `error`.
                    let err = match probe.error {
                        Some(e) if e.is_object() => e,
                        _ => parse_event::<Value>(data)?,
                    };
                    return Err(error_object(200, &err, data.as_bytes()));
                }
                "response.completed" | "response.failed" | "response.incomplete" => {
                    self.done = true;
                }
                _ => {}
            }
            out.push(ev.data.into_bytes());
        }
        Ok(())
    }

    fn done(&self) -> bool {
        self.done
    }
}

impl ChunkDecoder {
    fn shape(&self, data: Vec<u8>) -> Result<Vec<u8>, Error> {
        match self.reasoning_field {
            Some(field) => rename_reasoning(data, field, "delta"),
            None => Ok(data),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_endpoint_has_its_path_and_method() {
        let t = target("m");
        let cases = [
            (Endpoint::Responses, "POST", "http://h/v1/responses"),
            (
                Endpoint::ImageGeneration,
                "POST",
                "http://h/v1/images/generations",
            ),
            (Endpoint::Moderation, "POST", "http://h/v1/moderations"),
            (Endpoint::Rerank, "POST", "http://h/v1/rerank"),
            (Endpoint::Speech, "POST", "http://h/v1/audio/speech"),
            (
                Endpoint::Transcription,
                "POST",
                "http://h/v1/audio/transcriptions",
            ),
            (
                Endpoint::ResponsesGet,
                "GET",
                "http://h/v1/responses/resp_1-a",
            ),
            (
                Endpoint::ResponsesDelete,
                "DELETE",
                "http://h/v1/responses/resp_1-a",
            ),
        ];
        for (ep, method, url) in cases {
            let r = OPENAI
                .request(
                    ep,
                    &t,
                    br#"{"model":"m","response_id":"resp_1-a"}"#.to_vec(),
                )
                .unwrap();
            assert_eq!((r.method.as_str(), r.url.as_str()), (method, url), "{ep:?}");
        }
        for bad in [r#"{"response_id":"../x"}"#, r#"{"response_id":""}"#, "{}"] {
            let e = OPENAI
                .request(Endpoint::ResponsesGet, &t, bad.as_bytes().to_vec())
                .unwrap_err();
            assert_eq!(e.kind, Kind::BadRequest, "{bad}");
        }
    }

    #[test]
    fn audio_and_text_transcripts_pass_through() {
        let audio = b"\xff\xfb\x90\x00 not json".to_vec();
        assert_eq!(
            OPENAI
                .response(Endpoint::Speech, "m", audio.clone())
                .unwrap(),
            audio
        );
        let srt = b"1\n00:00:00,000 --> 00:00:01,000\nhi\n".to_vec();
        assert_eq!(
            OPENAI
                .response(Endpoint::Transcription, "m", srt.clone())
                .unwrap(),
            srt
        );
        let e = OPENAI
            .response(
                Endpoint::Transcription,
                "m",
                br#"{"error":{"message":"x","code":429}}"#.to_vec(),
            )
            .unwrap_err();
        assert_eq!(e.kind, Kind::RateLimit);
    }

    #[test]
    fn responses_stream_passes_events_and_ends_on_completed() {
        let mut d = OPENAI.stream_decoder(Endpoint::Responses);
        let body = concat!(
            "event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\"error\":null}}\n\n",
            "data: {\"type\":\"response.output_text.delta\",\"delta\":\"hi\"}\n\n",
            "data: {\"type\":\"response.completed\",\"response\":{}}\n\n",
            "data: {\"type\":\"response.output_text.delta\",\"delta\":\"late\"}\n\n",
        );
        let out = d.feed(body.as_bytes()).unwrap();
        assert_eq!(out.len(), 3);
        assert!(d.done());
        let mut d = OPENAI.stream_decoder(Endpoint::Responses);
        let body = concat!(
            "data: {\"type\":\"response.output_text.delta\",\"delta\":\"a\"}\n\n",
            "data: {\"type\":\"error\",\"code\":\"rate_limit_exceeded\",\"message\":\"slow down\"}\n\n",
        );
        assert_eq!(d.feed(body.as_bytes()).unwrap().len(), 1);
        let e = d.feed(b"").unwrap_err();
        assert_eq!(e.message, "slow down");
        let mut d = OPENAI.stream_decoder(Endpoint::Responses);
        let nested = "data: {\"type\":\"error\",\"error\":{\"code\":\"context_length_exceeded\",\"message\":\"long\"}}\n\n";
        assert_eq!(
            d.feed(nested.as_bytes()).unwrap_err().kind,
            Kind::ContextWindowExceeded
        );
    }

    #[test]
    fn request_goes_to_the_right_path_with_bearer_auth() {
        let t = Target {
            base: "http://h/v1/",
            api_key: Some("sk-x"),
            token: None,
            model: "gpt-4o",
            uploads: &[],
            params: &crate::providers::NO_PARAMS,
            fetched: None,
        };
        let r = COMPATIBLE
            .request(Endpoint::Chat, &t, b"{}".to_vec())
            .unwrap();
        assert_eq!(r.url, "http://h/v1/chat/completions");
        assert_eq!(r.headers["authorization"], "Bearer sk-x");
        assert!(r.headers["authorization"].is_sensitive());
        let r = COMPATIBLE
            .request(Endpoint::Embedding, &t, b"{}".to_vec())
            .unwrap();
        assert_eq!(r.url, "http://h/v1/embeddings");
    }

    #[test]
    fn errors_map_by_status_and_code() {
        // platform.openai.com/docs/guides/error-codes
        let body = br#"{"error":{"message":"This model's maximum context length is 8192 tokens","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}"#;
        let e = COMPATIBLE.error(400, body);
        assert_eq!((e.kind, e.status), (Kind::ContextWindowExceeded, Some(400)));
        assert!(e.message.starts_with("This model's maximum context length"));
        // llama.cpp's llama-server
        let body = br#"{"error":{"code":400,"message":"request (9000 tokens) exceeds the available context size (4096 tokens)","type":"exceed_context_size_error"}}"#;
        assert_eq!(
            COMPATIBLE.error(400, body).kind,
            Kind::ContextWindowExceeded
        );
        let body = br#"{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}"#;
        assert_eq!(COMPATIBLE.error(401, body).kind, Kind::Authentication);
        let e = COMPATIBLE.error(502, b"<html>bad gateway</html>");
        assert_eq!(
            (e.kind, e.message.as_str()),
            (Kind::BadGateway, "<html>bad gateway</html>")
        );
        assert_eq!(
            COMPATIBLE.error(503, b"").message,
            "HTTP 503 with an empty body"
        );
    }

    #[test]
    fn success_bodies_pass_through_and_embedded_errors_raise() {
        let ok = br#"{"id":"x","choices":[]}"#.to_vec();
        assert_eq!(
            COMPATIBLE
                .response(Endpoint::Chat, "m", ok.clone())
                .unwrap(),
            ok
        );
        let e = COMPATIBLE
            .response(
                Endpoint::Chat,
                "m",
                br#"{"error":{"message":"overloaded","code":503}}"#.to_vec(),
            )
            .unwrap_err();
        assert_eq!((e.kind, e.status), (Kind::ServiceUnavailable, Some(503)));
        assert_eq!(
            COMPATIBLE
                .response(Endpoint::Chat, "m", b"{\"id\":".to_vec())
                .unwrap_err()
                .kind,
            Kind::Api
        );
        assert_eq!(
            COMPATIBLE
                .response(Endpoint::Chat, "m", b" ".to_vec())
                .unwrap_err()
                .kind,
            Kind::Api
        );
    }

    #[test]
    fn stream_yields_chunks_until_done_and_raises_on_error_events() {
        let mut d = COMPATIBLE.stream_decoder(Endpoint::Chat);
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

        let mut d = COMPATIBLE.stream_decoder(Endpoint::Chat);
        assert_eq!(d.feed(b"data: {\"a\":1}\n\n").unwrap().len(), 1);
        let e = d
            .feed(b"data: {\"error\":{\"message\":\"upstream died\",\"code\":502}}\n\n")
            .unwrap_err();
        assert_eq!((e.status, e.message.as_str()), (Some(502), "upstream died"));
    }

    fn target(model: &str) -> Target<'_> {
        Target {
            base: "http://h/v1",
            api_key: None,
            token: None,
            model,
            uploads: &[],
            params: &crate::providers::NO_PARAMS,
            fetched: None,
        }
    }

    fn sent(adapter: &OpenAi, model: &str, body: Value) -> Value {
        let r = adapter
            .request(
                Endpoint::Chat,
                &target(model),
                serde_json::to_vec(&body).unwrap(),
            )
            .unwrap();
        serde_json::from_slice(&r.body).unwrap()
    }

    #[test]
    fn bodies_without_an_applicable_quirk_are_sent_byte_for_byte() {
        let raw = br#"{"model":"gpt-4o",  "max_tokens":5,"seed":1}"#.to_vec();
        for (adapter, model) in [(&OPENAI, "gpt-4o"), (&COMPATIBLE, "o3")] {
            let r = adapter
                .request(Endpoint::Chat, &target(model), raw.clone())
                .unwrap();
            assert_eq!(r.body.as_ref(), raw.as_slice(), "{model}");
        }
    }

    #[test]
    fn openai_reasoning_models_take_max_completion_tokens() {
        let body = serde_json::json!({"model": "o3-mini", "max_tokens": 5});
        let out = sent(&OPENAI, "o3-mini", body);
        assert_eq!(
            out,
            serde_json::json!({"model": "o3-mini", "max_completion_tokens": 5})
        );
        let body = serde_json::json!({"max_tokens": 5, "max_completion_tokens": 7});
        let out = sent(&OPENAI, "gpt-5", body);
        assert_eq!(out, serde_json::json!({"max_completion_tokens": 7}));
    }

    #[test]
    fn mistral_seed_tool_choice_and_ids() {
        // docs.mistral.ai/api: random_seed, tool_choice "any", 9-char ids
        let body = serde_json::json!({
            "seed": 3,
            "tool_choice": "required",
            "messages": [
                {"role": "assistant", "tool_calls": [{"id": "call_0123456789", "function": {"name": "f", "arguments": "{}"}}]},
                {"role": "tool", "tool_call_id": "call_0123456789", "content": "x"},
                {"role": "tool", "tool_call_id": "Ab3dE6g8Z", "content": "y"},
            ],
        });
        let out = sent(&MISTRAL, "mistral-small", body);
        assert_eq!(out["random_seed"], 3);
        assert!(out.get("seed").is_none());
        assert_eq!(out["tool_choice"], "any");
        let id = out["messages"][0]["tool_calls"][0]["id"].as_str().unwrap();
        assert_eq!(id, short_id("call_0123456789", 9));
        assert!(id.len() == 9 && id.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_eq!(out["messages"][1]["tool_call_id"], id);
        assert_eq!(out["messages"][2]["tool_call_id"], "Ab3dE6g8Z");
        assert_ne!(short_id("call_a", 9), short_id("call_b", 9));
        assert_eq!(MISTRAL.embedding_batch_size("mistral-embed"), Some(128));
        assert_eq!(OPENAI.embedding_batch_size("text-embedding-3-small"), None);
    }

    #[test]
    fn openrouter_headers_and_reasoning() {
        let r = OPENROUTER
            .request(Endpoint::Chat, &target("x/y"), b"{}".to_vec())
            .unwrap();
        assert!(r.headers.contains_key("http-referer") && r.headers.contains_key("x-title"));
        let body = br#"{"choices":[{"index":0,"message":{"role":"assistant","content":"a","reasoning":"r"}}]}"#;
        let out: Value = serde_json::from_slice(
            &OPENROUTER
                .response(Endpoint::Chat, "m", body.to_vec())
                .unwrap(),
        )
        .unwrap();
        assert_eq!(
            out["choices"][0]["message"],
            serde_json::json!({"role": "assistant", "content": "a", "reasoning_content": "r"})
        );
        let mut d = OPENROUTER.stream_decoder(Endpoint::Chat);
        let out = d
            .feed(b": OPENROUTER PROCESSING\n\ndata: {\"choices\":[{\"delta\":{\"reasoning\":\"t\"}}]}\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"c\",\"reasoning\":null}}]}\n\n")
            .unwrap();
        let out: Vec<Value> = out
            .iter()
            .map(|c| serde_json::from_slice(c).unwrap())
            .collect();
        assert_eq!(
            out[0]["choices"][0]["delta"],
            serde_json::json!({"reasoning_content": "t"})
        );
        assert_eq!(
            out[1]["choices"][0]["delta"],
            serde_json::json!({"content": "c"})
        );
        // Without the quirk the field is left alone.
        let plain = COMPATIBLE
            .response(Endpoint::Chat, "m", body.to_vec())
            .unwrap();
        assert_eq!(plain, body.to_vec());
    }
}
