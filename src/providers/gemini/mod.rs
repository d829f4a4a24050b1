//! Google's Gemini API (Google AI Studio, `generativelanguage.googleapis.com`).
//!
//! Chat: `POST {base}/v1beta/models/{model}:generateContent`, streamed through
//! `:streamGenerateContent?alt=sse`, where every SSE record is a whole
//! `GenerateContentResponse`. Embeddings: `:embedContent` for one string,
//! `:batchEmbedContents` for a list. The key travels in the `x-goog-api-key`
//! header, never in the URL (ai.google.dev/api/generate-content,
//! ai.google.dev/api/embeddings, ai.google.dev/gemini-api/docs/thought-signatures).
//!
//! The translation follows litellm's (`litellm/llms/vertex_ai/gemini/
//! transformation.py`, `vertex_and_google_ai_studio_gemini.py`, and
//! `prompt_templates/factory.py` for tool calls): system messages become
//! `systemInstruction`, roles map to `user`/`model` with consecutive turns
//! merged, tool results become `functionResponse` parts named from the
//! matching call, JSON Schemas are reduced to the subset Gemini accepts, and a
//! function call's `thoughtSignature` is carried in the OpenAI tool call
//! (`provider_specific_fields.thought_signature` and, as litellm does, after
//! `__thought__` in its id) so a history passed back in keeps it.
//!
//! Layout: `request.rs` (messages, generation config, embedding requests),
//! `tools.rs` (tools, `tool_choice`, schemas), `response.rs`, `stream.rs`,
//! `error.rs`; the imports they share are made here once (`use super::*`).
//! Vertex AI reuses [`chat_request`] and this adapter's response, stream and
//! error handling at its own URLs (`providers::vertex`).

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use reqwest::header::HeaderName;
use serde_json::{json, Map, Value};

use super::body::{parse_body, parse_event, raw_message};
use super::framed::{Framed, Translate};
use super::{imagen, unsupported, Endpoint, Provider, StreamDecoder, Target};
use crate::error::{Error, Kind};
use crate::http::HttpRequest;
use crate::sse;

mod error;
mod request;
mod response;
mod stream;
mod tools;

use error::*;
pub use request::chat_request;
use request::*;
use response::*;
use stream::*;
use tools::*;

pub struct Gemini;

/// Separates a tool call id from the thought signature litellm embeds in it.
const THOUGHT_SEPARATOR: &str = "__thought__";
/// Google's documented placeholder signature (base64 of
/// `skip_thought_signature_validator`), sent for a Gemini 3 function call
/// that has none, as litellm does (e.g. a history from another model).
const DUMMY_SIGNATURE: &str = "c2tpcF90aG91Z2h0X3NpZ25hdHVyZV92YWxpZGF0b3I=";
/// Deepest JSON Schema nesting (and `$ref` chain) translated.
const MAX_SCHEMA_DEPTH: usize = 40;
/// Schema keywords Gemini's `Schema` object accepts (litellm's `Schema` TypedDict).
const SCHEMA_KEYWORDS: &[&str] = &[
    "type",
    "format",
    "title",
    "description",
    "nullable",
    "default",
    "enum",
    "required",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "pattern",
    "example",
    "propertyOrdering",
];

impl Provider for Gemini {
    fn request(
        &self,
        endpoint: Endpoint,
        target: &Target,
        body: Vec<u8>,
    ) -> Result<HttpRequest, Error> {
        let req: Map<String, Value> = serde_json::from_slice(&body)
            .map_err(|e| bad(format!("the request body is not a JSON object ({e})")))?;
        let model = target.model.strip_prefix("models/").unwrap_or(target.model);
        let base = target.base.trim_end_matches('/');
        let root = if base.ends_with("/v1beta") || base.ends_with("/v1") {
            format!("{base}/models/{model}")
        } else {
            format!("{base}/v1beta/models/{model}")
        };
        let (url, payload) = match endpoint {
            Endpoint::Chat => {
                let method = if req.get("stream") == Some(&Value::Bool(true)) {
                    "streamGenerateContent?alt=sse"
                } else {
                    "generateContent"
                };
                (format!("{root}:{method}"), chat_request(&req, model)?)
            }
            Endpoint::Embedding => {
                let (method, payload) = embed_request(&req, model)?;
                (format!("{root}:{method}"), payload)
            }
            Endpoint::ImageGeneration => (format!("{root}:predict"), imagen::request(&req)?),
            other => return Err(unsupported(other, "gemini")),
        };
        let bytes = serde_json::to_vec(&payload)
            .map_err(|e| bad(format!("the request could not be serialized ({e})")))?;
        let mut http = HttpRequest::post_json(url, Bytes::from(bytes));
        if let Some(key) = target.api_key {
            http.secret_header(HeaderName::from_static("x-goog-api-key"), key)?;
        }
        Ok(http)
    }

    fn response(&self, endpoint: Endpoint, model: &str, body: Vec<u8>) -> Result<Vec<u8>, Error> {
        translate_response(endpoint, Some(model), &body)
    }

    fn stream_decoder(&self, _endpoint: Endpoint) -> Box<dyn StreamDecoder> {
        Framed::boxed(ChunkDecoder::default())
    }

    fn error(&self, status: u16, body: &[u8]) -> Error {
        let parsed: Option<Value> = serde_json::from_slice(body).ok();
        // streamGenerateContent without alt=sse wraps errors in a JSON array.
        let err = parsed.as_ref().and_then(|v| match v {
            Value::Array(items) => items.first()?.get("error"),
            other => other.get("error"),
        });
        match err {
            Some(err) => google_error(status, err, body),
            None => {
                let message = raw_message(status, body);
                Error::http(Kind::from_status(status), status, message, body)
            }
        }
    }
}

fn bad(message: impl Into<String>) -> Error {
    Error::new(Kind::BadRequest, message)
}

#[cfg(test)]
mod tests;
