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

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/// Google's error object `{"code", "message", "status", "details"}` at HTTP
/// `status` (200 when it arrived inside a stream), mapped by its canonical
/// `status` code; a key Google rejects (`ErrorInfo.reason == API_KEY_INVALID`,
/// sent with 400) is an authentication error, as litellm makes it. A
/// `RetryInfo` detail's `retryDelay` (e.g. `"43s"`, Google's way of saying
/// retry-after on a 429) becomes the error's `retry_after`.
fn google_error(status: u16, err: &Value, body: &[u8]) -> Error {
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
fn is_context_overflow(message: &str) -> bool {
    message.starts_with("The input token count (")
        && message.contains(") exceeds the maximum number of tokens allowed (")
}

/// Seconds of a protobuf JSON `Duration` (`"43s"`, `"0.250s"`).
fn duration_secs(text: &str) -> Option<f64> {
    let secs: f64 = text.strip_suffix('s')?.parse().ok()?;
    (secs.is_finite() && secs >= 0.0).then_some(secs)
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

// ---------------------------------------------------------------------------
// Chat request
// ---------------------------------------------------------------------------

/// The `GenerateContentRequest` for an OpenAI chat-completions body (also
/// Vertex AI's, which takes the same body at its own URL).
pub fn chat_request(req: &Map<String, Value>, model: &str) -> Result<Value, Error> {
    let messages = req
        .get("messages")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("messages must be a list of message objects"))?;
    let (system, contents) = convert_messages(messages, model)?;
    let mut out = Map::new();
    out.insert("contents".into(), contents);
    if let Some(system) = system {
        out.insert("systemInstruction".into(), system);
    }
    let tools = tools(req)?;
    if !tools.is_empty() {
        out.insert("tools".into(), Value::Array(tools));
    }
    if let Some(choice) = present(req, "tool_choice") {
        out.insert("toolConfig".into(), tool_config(choice)?);
    }
    if let Some(settings) = present(req, "safety_settings") {
        out.insert("safetySettings".into(), settings.clone());
    }
    if let Some(cached) = present(req, "cached_content") {
        out.insert("cachedContent".into(), cached.clone());
    }
    let config = generation_config(req, model)?;
    if !config.is_empty() {
        out.insert("generationConfig".into(), Value::Object(config));
    }
    // Gemini's own request fields (e.g. sent through `extra_body`) are merged
    // over what was built, as litellm merges `extra_body`.
    for key in [
        "generationConfig",
        "safetySettings",
        "toolConfig",
        "systemInstruction",
        "cachedContent",
    ] {
        if let Some(v) = present(req, key) {
            match (out.get_mut(key), v) {
                (Some(Value::Object(have)), Value::Object(extra)) => {
                    have.extend(extra.iter().map(|(k, v)| (k.clone(), v.clone())));
                }
                _ => {
                    out.insert(key.into(), v.clone());
                }
            }
        }
    }
    Ok(Value::Object(out))
}

/// `req[key]` unless absent or null.
fn present<'a>(req: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    req.get(key).filter(|v| !v.is_null())
}

/// Contents being built: consecutive turns of one role are merged, as Gemini
/// wants alternating `user` / `model` turns.
#[derive(Default)]
struct Turns(Vec<(&'static str, Vec<Value>)>);

impl Turns {
    fn push(&mut self, role: &'static str, parts: Vec<Value>) {
        if parts.is_empty() {
            return;
        }
        match self.0.last_mut() {
            Some((last, have)) if *last == role => have.extend(parts),
            _ => self.0.push((role, parts)),
        }
    }
}

/// `(systemInstruction, contents)` for OpenAI `messages`.
fn convert_messages(messages: &[Value], model: &str) -> Result<(Option<Value>, Value), Error> {
    let mut system = Vec::new();
    let mut turns = Turns::default();
    // Tool call id → function name, to name each `functionResponse`.
    let mut call_names: HashMap<String, String> = HashMap::new();
    for (i, m) in messages.iter().enumerate() {
        let content = m.get("content").filter(|c| !c.is_null());
        match str_of(m, "role") {
            "system" | "developer" => system.extend(system_parts(content, i)?),
            "user" => turns.push("user", user_parts(content, i)?),
            "assistant" => turns.push("model", model_parts(m, model, &mut call_names, i)?),
            "tool" | "function" => {
                turns.push("user", vec![function_response(m, &call_names, i)?]);
            }
            other => {
                return Err(bad(format!(
                    "messages[{i}] has role {other:?}, which Gemini cannot take"
                )))
            }
        }
    }
    if turns.0.is_empty() {
        // Gemini refuses empty contents; litellm sends one blank user turn.
        turns.push("user", vec![json!({"text": " "})]);
    }
    let contents = turns
        .0
        .into_iter()
        .map(|(role, parts)| json!({"role": role, "parts": parts}))
        .collect();
    let system = (!system.is_empty()).then(|| json!({"parts": system}));
    Ok((system, Value::Array(contents)))
}

fn system_parts(content: Option<&Value>, i: usize) -> Result<Vec<Value>, Error> {
    let mut parts = Vec::new();
    match content {
        None => {}
        Some(Value::String(s)) => push_text(&mut parts, s),
        Some(Value::Array(items)) => {
            for item in items {
                match str_of(item, "type") {
                    "text" => push_text(&mut parts, str_of(item, "text")),
                    other => {
                        return Err(bad(format!(
                            "messages[{i}]: a system message takes text parts only, got {other:?}"
                        )))
                    }
                }
            }
        }
        Some(_) => {
            return Err(bad(format!(
                "messages[{i}].content must be a string or a list"
            )))
        }
    }
    Ok(parts)
}

fn push_text(parts: &mut Vec<Value>, text: &str) {
    if !text.is_empty() {
        parts.push(json!({"text": text}));
    }
}

/// A user message's parts: text, images, audio and files (litellm's
/// `_gemini_convert_messages_with_history`).
fn user_parts(content: Option<&Value>, i: usize) -> Result<Vec<Value>, Error> {
    let items = match content {
        None => return Ok(Vec::new()),
        Some(Value::String(s)) => {
            let mut parts = Vec::new();
            push_text(&mut parts, s);
            return Ok(parts);
        }
        Some(Value::Array(items)) => items,
        Some(_) => {
            return Err(bad(format!(
                "messages[{i}].content must be a string or a list"
            )))
        }
    };
    let mut parts = Vec::with_capacity(items.len());
    for (j, item) in items.iter().enumerate() {
        let at = || format!("messages[{i}].content[{j}]");
        match str_of(item, "type") {
            "text" => push_text(&mut parts, str_of(item, "text")),
            "image_url" => {
                let image = item.get("image_url");
                let (url, format) = match image {
                    Some(Value::String(url)) => (url.as_str(), None),
                    Some(obj) => (
                        str_of(obj, "url"),
                        obj.get("format").and_then(Value::as_str),
                    ),
                    None => ("", None),
                };
                parts.push(media_part(url, format).map_err(|e| bad(format!("{}: {e}", at())))?);
            }
            "input_audio" => {
                let audio = item.get("input_audio").unwrap_or(&Value::Null);
                let (data, format) = (str_of(audio, "data"), str_of(audio, "format"));
                if data.is_empty() || format.is_empty() {
                    return Err(bad(format!("{}: input_audio needs data and format", at())));
                }
                let mime = if format.starts_with("audio/") {
                    format.to_owned()
                } else {
                    format!("audio/{format}")
                };
                parts.push(json!({"inlineData": {"mimeType": mime, "data": data}}));
            }
            "file" => {
                let file = item.get("file").unwrap_or(&Value::Null);
                let source = [str_of(file, "file_data"), str_of(file, "file_id")]
                    .into_iter()
                    .find(|s| !s.is_empty())
                    .ok_or_else(|| bad(format!("{}: file needs file_data or file_id", at())))?;
                let format = file.get("format").and_then(Value::as_str);
                parts.push(media_part(source, format).map_err(|e| bad(format!("{}: {e}", at())))?);
            }
            other => {
                return Err(bad(format!(
                    "{}: content part type {other:?} is not supported by Gemini",
                    at()
                )))
            }
        }
    }
    Ok(parts)
}

/// A `data:` URL becomes `inlineData`; an `https://`, `http://` or `gs://` URI
/// becomes `fileData` with the MIME type from `format` or the file extension
/// (litellm's `_process_gemini_media`, without its download of https images).
fn media_part(url: &str, format: Option<&str>) -> Result<Value, String> {
    if let Some(rest) = url.strip_prefix("data:") {
        let (meta, data) = rest
            .split_once(',')
            .ok_or("a data: URL needs a comma before its data")?;
        let mime = meta
            .strip_suffix(";base64")
            .ok_or("only base64 data: URLs are supported")?;
        let mime = format.unwrap_or(mime);
        if mime.is_empty() {
            return Err("the data: URL names no MIME type; pass format".into());
        }
        return Ok(json!({"inlineData": {"mimeType": mime, "data": data}}));
    }
    if ["https://", "http://", "gs://"]
        .iter()
        .any(|p| url.starts_with(p))
    {
        let mut file = Map::new();
        if let Some(mime) = format.or_else(|| mime_from_extension(url)) {
            file.insert("mimeType".into(), mime.into());
        }
        file.insert("fileUri".into(), url.into());
        return Ok(json!({"fileData": file}));
    }
    Err("expected a base64 data: URL or an https://, http:// or gs:// URI".into())
}

/// MIME types Gemini takes, by extension (litellm's `_get_image_mime_type_from_url`).
fn mime_from_extension(url: &str) -> Option<&'static str> {
    let path = url
        .split(['?', '#'])
        .next()
        .unwrap_or(url)
        .to_ascii_lowercase();
    let ext = path.rsplit_once('.').map(|(_, e)| e)?;
    Some(match ext {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "webp" => "image/webp",
        "heic" => "image/heic",
        "heif" => "image/heif",
        "pdf" => "application/pdf",
        "txt" => "text/plain",
        "mp3" => "audio/mp3",
        "wav" => "audio/wav",
        "mp4" => "video/mp4",
        "mov" => "video/mov",
        "mpeg" | "mpg" => "video/mpeg",
        "avi" => "video/avi",
        "wmv" => "video/wmv",
        "flv" => "video/flv",
        _ => return None,
    })
}

/// An assistant message's parts: its reasoning as a thought part, its text
/// (with a thought signature from `provider_specific_fields`), and one
/// `functionCall` part per tool call.
fn model_parts(
    m: &Value,
    model: &str,
    call_names: &mut HashMap<String, String>,
    i: usize,
) -> Result<Vec<Value>, Error> {
    let mut parts = Vec::new();
    if let Some(reasoning) = m.get("reasoning_content").and_then(Value::as_str) {
        if !reasoning.is_empty() {
            parts.push(json!({"text": reasoning, "thought": true}));
        }
    }
    match m.get("content") {
        Some(Value::String(s)) if !s.is_empty() => {
            let mut part = json!({"text": s});
            let signature = m
                .pointer("/provider_specific_fields/thought_signatures/0")
                .and_then(Value::as_str);
            if let Some(sig) = signature {
                part["thoughtSignature"] = sig.into();
            }
            parts.push(part);
        }
        Some(Value::Array(items)) => {
            for item in items.iter().filter(|p| str_of(p, "type") == "text") {
                push_text(&mut parts, str_of(item, "text"));
            }
        }
        _ => {}
    }
    let gemini_3 = model.contains("gemini-3");
    if let Some(calls) = m.get("tool_calls").and_then(Value::as_array) {
        for (j, call) in calls.iter().enumerate() {
            let function = call
                .get("function")
                .ok_or_else(|| bad(format!("messages[{i}].tool_calls[{j}] has no function")))?;
            let name = str_of(function, "name");
            let id = str_of(call, "id");
            if !id.is_empty() {
                call_names.insert(id.to_owned(), name.to_owned());
            }
            let signature = [
                call.pointer("/provider_specific_fields/thought_signature"),
                function.pointer("/provider_specific_fields/thought_signature"),
            ]
            .into_iter()
            .flatten()
            .find_map(Value::as_str)
            .filter(|s| !s.is_empty())
            .or_else(|| id.split_once(THOUGHT_SEPARATOR).map(|(_, sig)| sig))
            .or(gemini_3.then_some(DUMMY_SIGNATURE));
            let at = format!("messages[{i}].tool_calls[{j}]");
            parts.push(function_call_part(
                name,
                function.get("arguments"),
                signature,
                &at,
            )?);
        }
    } else if let Some(function) = m.get("function_call").filter(|f| f.is_object()) {
        let signature = function
            .pointer("/provider_specific_fields/thought_signature")
            .and_then(Value::as_str)
            .or(gemini_3.then_some(DUMMY_SIGNATURE));
        let at = format!("messages[{i}].function_call");
        parts.push(function_call_part(
            str_of(function, "name"),
            function.get("arguments"),
            signature,
            &at,
        )?);
    }
    Ok(parts)
}

fn function_call_part(
    name: &str,
    arguments: Option<&Value>,
    signature: Option<&str>,
    at: &str,
) -> Result<Value, Error> {
    let args = match arguments {
        None | Some(Value::Null) => json!({}),
        Some(Value::String(s)) if s.trim().is_empty() => json!({}),
        Some(Value::String(s)) => serde_json::from_str::<Value>(s)
            .map_err(|e| bad(format!("{at}.function.arguments is not valid JSON ({e})")))?,
        Some(other) => other.clone(),
    };
    if !args.is_object() {
        return Err(bad(format!(
            "{at}.function.arguments must be a JSON object"
        )));
    }
    let mut part = json!({"functionCall": {"name": name, "args": args}});
    if let Some(sig) = signature {
        part["thoughtSignature"] = sig.into();
    }
    Ok(part)
}

/// A `tool` (or legacy `function`) message as a `functionResponse` part, named
/// after the assistant tool call whose id it answers.
fn function_response(
    m: &Value,
    call_names: &HashMap<String, String>,
    i: usize,
) -> Result<Value, Error> {
    let name = m
        .get("tool_call_id")
        .and_then(Value::as_str)
        .and_then(|id| call_names.get(id).map(String::as_str))
        .or_else(|| m.get("name").and_then(Value::as_str))
        .filter(|n| !n.is_empty())
        .ok_or_else(|| {
            bad(format!(
                "messages[{i}]: the tool result's tool_call_id matches no earlier assistant tool call"
            ))
        })?;
    let text = match m.get("content") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .filter(|p| str_of(p, "type") == "text")
            .map(|p| str_of(p, "text"))
            .collect(),
        _ => String::new(),
    };
    Ok(json!({"functionResponse": {"name": name, "response": {"content": text}}}))
}

// ---------------------------------------------------------------------------
// Tools and schemas
// ---------------------------------------------------------------------------

/// `tools` / `functions` as `functionDeclarations`; Gemini's own tools
/// (`googleSearch`, `codeExecution`, `urlContext`, ...) pass through, and
/// `web_search_options` becomes `googleSearch`, as litellm does.
fn tools(req: &Map<String, Value>) -> Result<Vec<Value>, Error> {
    let mut declarations = Vec::new();
    let mut native = Vec::new();
    for (j, tool) in req
        .get("tools")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        if let Some(function) = tool.get("function") {
            declarations.push(declaration(function)?);
        } else {
            let mut own = tool.as_object().cloned().unwrap_or_default();
            own.remove("type");
            if own.is_empty() {
                return Err(bad(format!(
                    "tools[{j}] is neither a function nor one of Gemini's own tools"
                )));
            }
            native.push(Value::Object(own));
        }
    }
    for function in req
        .get("functions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        declarations.push(declaration(function)?);
    }
    if present(req, "web_search_options").is_some() {
        native.push(json!({"googleSearch": {}}));
    }
    let mut out = Vec::with_capacity(native.len() + 1);
    if !declarations.is_empty() {
        out.push(json!({"functionDeclarations": declarations}));
    }
    out.extend(native);
    Ok(out)
}

fn declaration(function: &Value) -> Result<Value, Error> {
    let name = str_of(function, "name");
    if name.is_empty() {
        return Err(bad("every tool function needs a name"));
    }
    let mut out = json!({"name": name});
    if let Some(d) = function.get("description").filter(|d| d.is_string()) {
        out["description"] = d.clone();
    }
    if let Some(params) = function.get("parameters").filter(|p| p.is_object()) {
        let schema = gemini_schema(params, false)?;
        // Gemini refuses an OBJECT without properties; a function taking no
        // arguments is declared without parameters.
        let empty_object = schema.get("type").and_then(Value::as_str) == Some("object")
            && schema
                .get("properties")
                .and_then(Value::as_object)
                .map_or(true, Map::is_empty);
        if !empty_object {
            out["parameters"] = schema;
        }
    }
    Ok(out)
}

/// Reduce a JSON Schema to Gemini's OpenAPI subset, as litellm's
/// `_build_vertex_schema` does: `$ref`s into `$defs` / `definitions` are
/// inlined, `anyOf` alternatives of type null become `nullable`, a type list
/// with `null` becomes `nullable`, unknown keywords (`additionalProperties`,
/// `$schema`, `strict`, ...) are dropped, `format` is kept only for `enum` and
/// `date-time`, and `properties` implies `type: object`. With `ordering`
/// (response schemas) `propertyOrdering` records the properties' order.
fn gemini_schema(schema: &Value, ordering: bool) -> Result<Value, Error> {
    let empty = Map::new();
    let defs = schema
        .get("$defs")
        .or_else(|| schema.get("definitions"))
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    reduce_schema(schema, defs, ordering, 0)
}

fn reduce_schema(
    schema: &Value,
    defs: &Map<String, Value>,
    ordering: bool,
    depth: usize,
) -> Result<Value, Error> {
    if depth > MAX_SCHEMA_DEPTH {
        return Err(bad(
            "a tool or response schema nests too deeply (or refers to itself), which Gemini's schema subset cannot express",
        ));
    }
    let Some(obj) = schema.as_object() else {
        return Ok(schema.clone());
    };
    if let Some(reference) = obj.get("$ref").and_then(Value::as_str) {
        let name = reference.rsplit('/').next().unwrap_or(reference);
        let mut merged = defs
            .get(name)
            .and_then(Value::as_object)
            .cloned()
            .ok_or_else(|| bad(format!("schema $ref {reference:?} names no $defs entry")))?;
        merged.extend(
            obj.iter()
                .filter(|(k, _)| k.as_str() != "$ref")
                .map(|(k, v)| (k.clone(), v.clone())),
        );
        return reduce_schema(&Value::Object(merged), defs, ordering, depth + 1);
    }
    if let Some(alternatives) = obj
        .get("anyOf")
        .or_else(|| obj.get("oneOf"))
        .and_then(Value::as_array)
    {
        return any_of(obj, alternatives, defs, ordering, depth);
    }
    let mut out = Map::new();
    for (key, value) in obj {
        match key.as_str() {
            "type" => match value {
                Value::Array(types) => {
                    let named: Vec<&str> = types.iter().filter_map(Value::as_str).collect();
                    let kept: Vec<&str> = named.iter().copied().filter(|t| *t != "null").collect();
                    if kept.len() != 1 {
                        let alternatives: Vec<Value> =
                            named.iter().map(|t| json!({"type": t})).collect();
                        let mut rest = obj.clone();
                        rest.remove("type");
                        return any_of(&rest, &alternatives, defs, ordering, depth);
                    }
                    out.insert("type".into(), kept[0].into());
                    if kept.len() < named.len() {
                        out.insert("nullable".into(), true.into());
                    }
                }
                other => {
                    out.insert("type".into(), other.clone());
                }
            },
            "properties" => {
                let mut props = Map::new();
                for (name, prop) in value.as_object().into_iter().flatten() {
                    props.insert(
                        name.clone(),
                        reduce_schema(prop, defs, ordering, depth + 1)?,
                    );
                }
                out.insert(key.clone(), Value::Object(props));
            }
            "items" => {
                let items = match value.as_object() {
                    Some(o) if o.is_empty() => json!({"type": "object"}),
                    _ => reduce_schema(value, defs, ordering, depth + 1)?,
                };
                out.insert(key.clone(), items);
            }
            "format" => {
                if matches!(value.as_str(), Some("enum" | "date-time")) {
                    out.insert(key.clone(), value.clone());
                }
            }
            "required" if value.is_null() => {}
            k if SCHEMA_KEYWORDS.contains(&k) => {
                out.insert(key.clone(), value.clone());
            }
            _ => {}
        }
    }
    if let Some(names) = out.get("properties").and_then(Value::as_object) {
        let names: Vec<Value> = names.keys().map(|k| Value::String(k.clone())).collect();
        out.insert("type".into(), "object".into());
        if ordering && !out.contains_key("propertyOrdering") {
            out.insert("propertyOrdering".into(), Value::Array(names));
        }
    }
    Ok(Value::Object(out))
}

/// `anyOf` (or `oneOf`): null alternatives are removed and the others marked
/// `nullable`; only `anyOf` is kept, the parent's title and description
/// copied into each alternative (litellm's `convert_anyof_null_to_nullable`
/// and `_filter_anyof_fields`).
fn any_of(
    parent: &Map<String, Value>,
    alternatives: &[Value],
    defs: &Map<String, Value>,
    ordering: bool,
    depth: usize,
) -> Result<Value, Error> {
    let is_null = |a: &Value| a.get("type").and_then(Value::as_str) == Some("null");
    let nullable = alternatives.iter().any(is_null);
    let mut kept = Vec::with_capacity(alternatives.len());
    for alternative in alternatives.iter().filter(|a| !is_null(a)) {
        let mut reduced = match alternative.as_object() {
            Some(o) if o.is_empty() => json!({"type": "object"}),
            _ => reduce_schema(alternative, defs, ordering, depth + 1)?,
        };
        if let Some(obj) = reduced.as_object_mut() {
            if nullable {
                obj.insert("nullable".into(), true.into());
            }
            for key in ["title", "description"] {
                if let Some(v) = parent.get(key) {
                    obj.insert(key.into(), v.clone());
                }
            }
        }
        kept.push(reduced);
    }
    if kept.is_empty() {
        return Err(bad(
            "a schema anyOf holds only the null type, which Gemini cannot express",
        ));
    }
    Ok(json!({"anyOf": kept}))
}

/// `tool_choice` as `toolConfig.functionCallingConfig` (litellm's
/// `map_tool_choice_values`).
fn tool_config(choice: &Value) -> Result<Value, Error> {
    let config = match choice {
        Value::String(s) => match s.as_str() {
            "auto" => json!({"mode": "AUTO"}),
            "required" => json!({"mode": "ANY"}),
            "none" => json!({"mode": "NONE"}),
            other => {
                return Err(bad(format!(
                    "Gemini does not support tool_choice={other:?}; use \"auto\", \"required\", \"none\" or a function"
                )))
            }
        },
        Value::Object(_) => {
            let name = choice
                .pointer("/function/name")
                .and_then(Value::as_str)
                .filter(|n| !n.is_empty())
                .ok_or_else(|| bad("tool_choice must name a function: {\"type\": \"function\", \"function\": {\"name\": ...}}"))?;
            json!({"mode": "ANY", "allowedFunctionNames": [name]})
        }
        _ => return Err(bad("tool_choice must be a string or an object")),
    };
    Ok(json!({"functionCallingConfig": config}))
}

// ---------------------------------------------------------------------------
// Generation config
// ---------------------------------------------------------------------------

/// litellm's `map_openai_params` for Gemini, in Gemini's field names.
fn generation_config(req: &Map<String, Value>, model: &str) -> Result<Map<String, Value>, Error> {
    let mut config = Map::new();
    for (openai, gemini) in [
        ("temperature", "temperature"),
        ("top_p", "topP"),
        ("top_k", "topK"),
        ("n", "candidateCount"),
        ("seed", "seed"),
        ("presence_penalty", "presencePenalty"),
        ("frequency_penalty", "frequencyPenalty"),
        ("logprobs", "responseLogprobs"),
        ("top_logprobs", "logprobs"),
    ] {
        if let Some(v) = present(req, openai) {
            config.insert(gemini.into(), v.clone());
        }
    }
    if let Some(v) = present(req, "max_completion_tokens").or_else(|| present(req, "max_tokens")) {
        config.insert("maxOutputTokens".into(), v.clone());
    }
    match present(req, "stop") {
        Some(Value::String(s)) => {
            config.insert("stopSequences".into(), json!([s]));
        }
        Some(v @ Value::Array(_)) => {
            config.insert("stopSequences".into(), v.clone());
        }
        _ => {}
    }
    if let Some(format) = present(req, "response_format") {
        response_format(format, &mut config)?;
    }
    if let Some(modalities) = present(req, "modalities").and_then(Value::as_array) {
        let upper: Vec<Value> = modalities
            .iter()
            .filter_map(Value::as_str)
            .map(|m| match m {
                "text" | "image" | "audio" => Value::String(m.to_ascii_uppercase()),
                _ => Value::String("MODALITY_UNSPECIFIED".into()),
            })
            .collect();
        config.insert("responseModalities".into(), Value::Array(upper));
    }
    if let Some(effort) = present(req, "reasoning_effort") {
        let effort = effort
            .as_str()
            .ok_or_else(|| bad("reasoning_effort must be a string"))?;
        config.insert("thinkingConfig".into(), thinking_for_effort(effort, model)?);
    }
    if let Some(thinking) = present(req, "thinking") {
        let budget = thinking.get("budget_tokens").and_then(Value::as_i64);
        let mut t = Map::new();
        if str_of(thinking, "type") == "enabled" && budget != Some(0) {
            t.insert("includeThoughts".into(), true.into());
        }
        if let Some(b) = budget {
            t.insert("thinkingBudget".into(), b.into());
        }
        config.insert("thinkingConfig".into(), Value::Object(t));
    }
    Ok(config)
}

/// `response_format` as `responseMimeType` and `responseSchema` (litellm's
/// `apply_response_schema_transformation`).
fn response_format(format: &Value, config: &mut Map<String, Value>) -> Result<(), Error> {
    let schema = match str_of(format, "type") {
        "text" => {
            config.insert("responseMimeType".into(), "text/plain".into());
            None
        }
        "json_object" => {
            config.insert("responseMimeType".into(), "application/json".into());
            format.get("response_schema")
        }
        "json_schema" => {
            config.insert("responseMimeType".into(), "application/json".into());
            format
                .get("response_schema")
                .or_else(|| format.pointer("/json_schema/schema"))
        }
        other => {
            return Err(bad(format!(
                "response_format type {other:?} is not one of text, json_object, json_schema"
            )))
        }
    };
    if let Some(schema) = schema.filter(|s| s.is_object()) {
        config.insert("responseSchema".into(), gemini_schema(schema, true)?);
    }
    Ok(())
}

/// `reasoning_effort` as a thinking config: a budget before Gemini 3, a
/// level from Gemini 3 on (litellm's `_map_reasoning_effort_to_thinking_budget`
/// and `_to_thinking_level`, with litellm's default budgets in tokens).
fn thinking_for_effort(effort: &str, model: &str) -> Result<Value, Error> {
    if model.contains("gemini-3") {
        let (level, include) = match effort {
            "minimal" | "low" => ("low", true),
            "medium" | "high" => ("high", true),
            "disable" | "none" => ("low", false),
            other => return Err(unknown_effort(other)),
        };
        return Ok(json!({"thinkingLevel": level, "includeThoughts": include}));
    }
    let (budget, include) = match effort {
        "minimal" if model.contains("gemini-2.5-flash-lite") => (512, true),
        "minimal" if model.contains("gemini-2.5-flash") => (1, true),
        "minimal" => (128, true),
        "low" => (1024, true),
        "medium" => (2048, true),
        "high" => (4096, true),
        "disable" | "none" => (0, false),
        other => return Err(unknown_effort(other)),
    };
    Ok(json!({"thinkingBudget": budget, "includeThoughts": include}))
}

fn unknown_effort(effort: &str) -> Error {
    bad(format!(
        "reasoning_effort {effort:?} is not one of minimal, low, medium, high, disable, none"
    ))
}

// ---------------------------------------------------------------------------
// Embeddings
// ---------------------------------------------------------------------------

/// `(method, body)`: `embedContent` for one string, `batchEmbedContents` for a
/// list (litellm's `batch_embed_content_transformation.py`); `dimensions` →
/// `outputDimensionality`, `task_type` → `taskType`, `title` passes through.
fn embed_request(req: &Map<String, Value>, model: &str) -> Result<(&'static str, Value), Error> {
    let mut params = Map::new();
    for (openai, gemini) in [
        ("dimensions", "outputDimensionality"),
        ("task_type", "taskType"),
        ("taskType", "taskType"),
        ("title", "title"),
    ] {
        if let Some(v) = present(req, openai) {
            params.insert(gemini.into(), v.clone());
        }
    }
    let request = |text: &Value| -> Result<Value, Error> {
        let text = text.as_str().ok_or_else(|| {
            bad("Gemini embeddings take strings (text or base64 data: URLs), not token ids")
        })?;
        let part = if text.starts_with("data:") || text.starts_with("gs://") {
            media_part(text, None).map_err(|e| bad(format!("embedding input: {e}")))?
        } else {
            json!({"text": text})
        };
        let mut r = Map::new();
        r.insert("model".into(), format!("models/{model}").into());
        r.insert("content".into(), json!({"parts": [part]}));
        r.extend(params.clone());
        Ok(Value::Object(r))
    };
    match req.get("input") {
        Some(one @ Value::String(_)) => Ok(("embedContent", request(one)?)),
        Some(Value::Array(items)) if !items.is_empty() => {
            let requests = items.iter().map(request).collect::<Result<Vec<_>, _>>()?;
            Ok(("batchEmbedContents", json!({"requests": requests})))
        }
        _ => Err(bad("input must be a string or a non-empty list of strings")),
    }
}

// ---------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------

fn translate_response(
    endpoint: Endpoint,
    model: Option<&str>,
    body: &[u8],
) -> Result<Vec<u8>, Error> {
    let doc: Value = parse_body(body)?;
    if let Some(err) = doc.get("error") {
        return Err(google_error(200, err, body));
    }
    let out = match endpoint {
        Endpoint::Chat => chat_response(&doc, model),
        Endpoint::Embedding => embedding_response(&doc, model)?,
        Endpoint::ImageGeneration => imagen::response(&doc),
        other => return Err(unsupported(other, "gemini")),
    };
    serde_json::to_vec(&out).map_err(|e| Error::new(Kind::Api, e.to_string()))
}

/// An OpenAI `chat.completion` for a `GenerateContentResponse`: one choice per
/// candidate; a blocked prompt gives one empty `content_filter` choice, as
/// litellm's `_handle_blocked_response`.
fn chat_response(doc: &Value, model: Option<&str>) -> Value {
    let mut out = Map::new();
    if let Some(id) = doc.get("responseId").and_then(Value::as_str) {
        out.insert("id".into(), id.into());
    }
    out.insert("object".into(), "chat.completion".into());
    let model = model.or_else(|| doc.get("modelVersion").and_then(Value::as_str));
    if let Some(model) = model {
        out.insert("model".into(), model.into());
    }
    let candidates = doc
        .get("candidates")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let blocked = doc.pointer("/promptFeedback/blockReason").is_some() && candidates.is_empty();
    let choices: Vec<Value> = if blocked {
        vec![json!({
            "index": 0,
            "message": {"role": "assistant", "content": null},
            "finish_reason": "content_filter",
        })]
    } else {
        candidates
            .iter()
            .enumerate()
            .map(|(i, c)| choice(c, i))
            .collect()
    };
    out.insert("choices".into(), Value::Array(choices));
    out.insert(
        "usage".into(),
        usage(doc.get("usageMetadata").unwrap_or(&Value::Null)),
    );
    // Grounding, safety and citation metadata, under litellm's names.
    for (ours, theirs) in [
        ("vertex_ai_grounding_metadata", "groundingMetadata"),
        ("vertex_ai_url_context_metadata", "urlContextMetadata"),
        ("vertex_ai_safety_results", "safetyRatings"),
        ("vertex_ai_citation_metadata", "citationMetadata"),
    ] {
        let found: Vec<Value> = candidates
            .iter()
            .filter_map(|c| c.get(theirs))
            .cloned()
            .collect();
        out.insert(ours.into(), Value::Array(found));
    }
    Value::Object(out)
}

/// What one candidate's parts say, in OpenAI's terms.
#[derive(Default)]
struct Reply {
    content: Option<String>,
    reasoning: Option<String>,
    tool_calls: Vec<Value>,
    text_signatures: Vec<Value>,
}

impl Reply {
    /// Read `parts`; tool calls get `index` values from `next_index` on.
    fn read(parts: &[Value], next_index: usize) -> Reply {
        let mut r = Reply::default();
        for part in parts {
            let signature = part.get("thoughtSignature").and_then(Value::as_str);
            if let Some(call) = part.get("functionCall") {
                r.tool_calls
                    .push(tool_call(call, signature, next_index + r.tool_calls.len()));
            } else if let Some(text) = part.get("text").and_then(Value::as_str) {
                let thought = part.get("thought") == Some(&Value::Bool(true));
                let into = if thought {
                    &mut r.reasoning
                } else {
                    &mut r.content
                };
                into.get_or_insert_with(String::new).push_str(text);
                if let (Some(sig), false) = (signature, thought) {
                    r.text_signatures.push(sig.into());
                }
            }
        }
        r
    }

    /// The message (or delta) fields, without the role.
    fn fields(self) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert(
            "content".into(),
            self.content.map_or(Value::Null, Value::String),
        );
        if let Some(r) = self.reasoning {
            m.insert("reasoning_content".into(), r.into());
        }
        if !self.tool_calls.is_empty() {
            m.insert("tool_calls".into(), Value::Array(self.tool_calls));
        }
        if !self.text_signatures.is_empty() {
            m.insert(
                "provider_specific_fields".into(),
                json!({"thought_signatures": self.text_signatures}),
            );
        }
        m
    }
}

/// An OpenAI tool call for a `functionCall` part: a fresh id (with the
/// thought signature after `__thought__`, as litellm encodes it) and the
/// arguments as a JSON string.
fn tool_call(call: &Value, signature: Option<&str>, index: usize) -> Value {
    let id = match signature {
        Some(sig) => format!("{}{THOUGHT_SEPARATOR}{sig}", call_id()),
        None => call_id(),
    };
    let arguments = call
        .get("args")
        .filter(|a| !a.is_null())
        .map_or_else(|| "{}".to_owned(), Value::to_string);
    let mut out = json!({
        "index": index,
        "id": id,
        "type": "function",
        "function": {"name": str_of(call, "name"), "arguments": arguments},
    });
    if let Some(sig) = signature {
        out["provider_specific_fields"] = json!({"thought_signature": sig});
    }
    out
}

/// `call_` and 24 hex digits, unique within the process.
fn call_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let state = std::collections::hash_map::RandomState::new();
    let (a, b) = (state.hash_one(n), state.hash_one(!n));
    format!("call_{a:016x}{:08x}", b as u32)
}

fn choice(candidate: &Value, i: usize) -> Value {
    let index = candidate
        .get("index")
        .and_then(Value::as_u64)
        .unwrap_or(i as u64);
    let reason = candidate.get("finishReason").and_then(Value::as_str);
    let mut message = Map::new();
    message.insert("role".into(), "assistant".into());
    let finish = if reason.is_some_and(is_flagged) {
        // litellm drops a flagged candidate's content.
        message.insert("content".into(), Value::Null);
        "content_filter"
    } else {
        let parts = candidate
            .pointer("/content/parts")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let reply = Reply::read(parts, 0);
        let called = !reply.tool_calls.is_empty();
        message.extend(reply.fields());
        finish_reason(reason, called)
    };
    let mut out = json!({"index": index, "message": message, "finish_reason": finish});
    if let Some(logprobs) = candidate.get("logprobsResult").and_then(logprobs) {
        out["logprobs"] = logprobs;
    }
    out
}

/// Finish reasons that mean a safety or policy filter stopped the candidate.
fn is_flagged(reason: &str) -> bool {
    matches!(
        reason,
        "SAFETY" | "RECITATION" | "BLOCKLIST" | "PROHIBITED_CONTENT" | "SPII" | "IMAGE_SAFETY"
    )
}

/// litellm's `_check_finish_reason`: `tool_calls` when the candidate called a
/// function, else Gemini's reason mapped (`STOP` → `stop`, `MAX_TOKENS` →
/// `length`, filters → `content_filter`, anything else → `stop`).
fn finish_reason(reason: Option<&str>, called: bool) -> &'static str {
    if called {
        return "tool_calls";
    }
    match reason {
        Some("MAX_TOKENS") => "length",
        Some("LANGUAGE" | "OTHER") => "content_filter",
        Some(r) if is_flagged(r) => "content_filter",
        _ => "stop",
    }
}

/// `logprobsResult` as OpenAI's `{"content": [{token, logprob, top_logprobs}]}`.
fn logprobs(result: &Value) -> Option<Value> {
    let chosen = result.get("chosenCandidates")?.as_array()?;
    let top = result.get("topCandidates").and_then(Value::as_array);
    let content: Vec<Value> = chosen
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let alternatives: Vec<Value> = top
                .and_then(|t| t.get(i))
                .and_then(|t| t.get("candidates"))
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|t| json!({"token": t.get("token"), "logprob": t.get("logProbability")}))
                .collect();
            json!({
                "token": c.get("token"),
                "logprob": c.get("logProbability"),
                "top_logprobs": alternatives,
            })
        })
        .collect();
    Some(json!({"content": content}))
}

/// `usageMetadata` in OpenAI's shape (litellm's `_calculate_usage`): thoughts
/// count as completion tokens and as `reasoning_tokens`; cached content as
/// `prompt_tokens_details.cached_tokens`.
fn usage(meta: &Value) -> Value {
    let count = |k: &str| meta.get(k).and_then(Value::as_u64);
    let prompt = count("promptTokenCount").unwrap_or(0);
    let candidates = count("candidatesTokenCount").unwrap_or(0);
    let thoughts = count("thoughtsTokenCount");
    let total = count("totalTokenCount");
    // Gemini counts thoughts outside candidatesTokenCount when the total says so.
    let inclusive = total == Some(prompt + candidates);
    let completion = candidates + if inclusive { 0 } else { thoughts.unwrap_or(0) };
    let mut out = json!({
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": total.unwrap_or(prompt + completion),
    });
    if let Some(t) = thoughts {
        out["completion_tokens_details"] = json!({"reasoning_tokens": t});
    }
    if let Some(c) = count("cachedContentTokenCount") {
        out["prompt_tokens_details"] = json!({"cached_tokens": c});
    }
    out
}

/// An OpenAI embedding list for `embedContent` (`{"embedding": {"values"}}`)
/// or `batchEmbedContents` (`{"embeddings": [{"values"}]}`); usage is
/// Google's `usageMetadata` when sent, else zero.
fn embedding_response(doc: &Value, model: Option<&str>) -> Result<Value, Error> {
    let vectors: Vec<&Value> = match (doc.get("embedding"), doc.get("embeddings")) {
        (Some(one), _) => vec![one],
        (None, Some(Value::Array(many))) => many.iter().collect(),
        _ => {
            return Err(Error::new(
                Kind::Api,
                "the provider's embedding response has neither embedding nor embeddings",
            ))
        }
    };
    let data: Vec<Value> = vectors
        .iter()
        .enumerate()
        .map(|(i, v)| json!({"object": "embedding", "index": i, "embedding": v.get("values")}))
        .collect();
    let prompt = doc
        .pointer("/usageMetadata/promptTokenCount")
        .and_then(Value::as_u64)
        .unwrap_or(0);
    Ok(json!({
        "object": "list",
        "model": model,
        "data": data,
        "usage": {"prompt_tokens": prompt, "completion_tokens": 0, "total_tokens": prompt},
    }))
}

// ---------------------------------------------------------------------------
// Streaming
// ---------------------------------------------------------------------------

/// Each SSE record is a whole `GenerateContentResponse`; each becomes one
/// OpenAI chunk. Function calls arrive whole and leave as complete tool-call
/// deltas. The last `usageMetadata` seen is sent after the body ends as a
/// usage-only chunk (`choices: []`), as OpenAI sends it.
#[derive(Default)]
struct ChunkDecoder {
    /// Tool calls sent so far, per candidate index.
    calls: HashMap<u64, usize>,
    usage: Option<Value>,
    id: Option<String>,
    model: Option<String>,
}

impl Translate for ChunkDecoder {
    type Framing = sse::Decoder;

    fn decode(&mut self, events: Vec<sse::Event>, out: &mut Vec<Vec<u8>>) -> Result<(), Error> {
        for ev in events {
            let data = ev.data.trim();
            if data.is_empty() {
                continue;
            }
            let doc: Value = parse_event(data)?;
            if let Some(err) = doc.get("error") {
                return Err(google_error(200, err, data.as_bytes()));
            }
            if let Some(chunk) = self.chunk(&doc) {
                out.push(chunk.to_string().into_bytes());
            }
        }
        Ok(())
    }

    /// The last `usageMetadata` seen, as a usage-only chunk.
    fn end(&mut self, out: &mut Vec<Vec<u8>>) {
        if let Some(usage) = self.usage.take() {
            let mut chunk = self.head(json!([]));
            chunk["usage"] = usage;
            out.push(chunk.to_string().into_bytes());
        }
    }
}

impl ChunkDecoder {
    fn chunk(&mut self, doc: &Value) -> Option<Value> {
        if let Some(id) = doc.get("responseId").and_then(Value::as_str) {
            self.id = Some(id.to_owned());
        }
        if let Some(model) = doc.get("modelVersion").and_then(Value::as_str) {
            self.model = Some(model.to_owned());
        }
        if let Some(meta) = doc.get("usageMetadata") {
            self.usage = Some(usage(meta));
        }
        let candidates = doc
            .get("candidates")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let choices: Vec<Value> =
            if candidates.is_empty() && doc.pointer("/promptFeedback/blockReason").is_some() {
                vec![json!({"index": 0, "delta": {}, "finish_reason": "content_filter"})]
            } else {
                candidates
                    .iter()
                    .enumerate()
                    .map(|(i, c)| self.streamed_choice(c, i))
                    .collect()
            };
        (!choices.is_empty()).then(|| self.head(Value::Array(choices)))
    }

    fn streamed_choice(&mut self, candidate: &Value, i: usize) -> Value {
        let index = candidate
            .get("index")
            .and_then(Value::as_u64)
            .unwrap_or(i as u64);
        let parts = candidate
            .pointer("/content/parts")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let sent = self.calls.entry(index).or_default();
        let reply = Reply::read(parts, *sent);
        *sent += reply.tool_calls.len();
        let called = *sent > 0;
        let finish = candidate
            .get("finishReason")
            .and_then(Value::as_str)
            .map(|r| match r {
                r if is_flagged(r) => "content_filter",
                r => finish_reason(Some(r), called),
            });
        let mut delta = reply.fields();
        if delta.get("content") == Some(&Value::Null) {
            delta.remove("content");
        }
        json!({"index": index, "delta": delta, "finish_reason": finish})
    }

    fn head(&self, choices: Value) -> Value {
        let mut chunk = json!({"object": "chat.completion.chunk", "choices": choices});
        if let Some(id) = &self.id {
            chunk["id"] = id.as_str().into();
        }
        if let Some(model) = &self.model {
            chunk["model"] = model.as_str().into();
        }
        chunk
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target<'a>(base: &'a str, key: Option<&'a str>) -> Target<'a> {
        Target {
            base,
            api_key: key,
            model: "gemini-2.5-flash",
            uploads: &[],
            params: &crate::providers::NO_PARAMS,
        }
    }

    fn body(req: &HttpRequest) -> Value {
        serde_json::from_slice(&req.body).unwrap()
    }

    fn chat(req: Value) -> Value {
        let t = target("https://generativelanguage.googleapis.com", Some("k"));
        body(
            &Gemini
                .request(Endpoint::Chat, &t, req.to_string().into_bytes())
                .unwrap(),
        )
    }

    fn respond(doc: Value) -> Value {
        let out = Gemini
            .response(
                Endpoint::Chat,
                "gemini-2.5-flash",
                doc.to_string().into_bytes(),
            )
            .unwrap();
        serde_json::from_slice(&out).unwrap()
    }

    #[test]
    fn urls_and_the_key_header() {
        let t = target(
            "https://generativelanguage.googleapis.com/",
            Some("AIza-secret"),
        );
        let r = Gemini
            .request(Endpoint::Chat, &t, br#"{"messages":[]}"#.to_vec())
            .unwrap();
        assert_eq!(
            r.url,
            "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent"
        );
        assert_eq!(r.headers["x-goog-api-key"], "AIza-secret");
        assert!(r.headers["x-goog-api-key"].is_sensitive());
        assert!(!r.url.contains("AIza"));
        let r = Gemini
            .request(
                Endpoint::Chat,
                &t,
                br#"{"messages":[],"stream":true}"#.to_vec(),
            )
            .unwrap();
        assert!(r
            .url
            .ends_with("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"));
        let proxy = target("http://gw/google/v1beta", None);
        let r = Gemini
            .request(Endpoint::Embedding, &proxy, br#"{"input":"hi"}"#.to_vec())
            .unwrap();
        assert_eq!(
            r.url,
            "http://gw/google/v1beta/models/gemini-2.5-flash:embedContent"
        );
        assert!(r.headers.get("x-goog-api-key").is_none());
    }

    #[test]
    fn messages_become_contents_with_system_instruction_and_merged_turns() {
        let out = chat(json!({
            "model": "gemini-2.5-flash",
            "messages": [
                {"role": "system", "content": "Be brief."},
                {"role": "user", "content": "Hi"},
                {"role": "user", "content": [
                    {"type": "text", "text": "What is this?"},
                    {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
                    {"type": "image_url", "image_url": "https://example.com/cat.jpg"},
                    {"type": "input_audio", "input_audio": {"data": "UklGRg==", "format": "wav"}},
                    {"type": "file", "file": {"file_data": "data:application/pdf;base64,JVBERi0="}}
                ]},
                {"role": "assistant", "content": "A cat."},
                {"role": "user", "content": "Thanks"}
            ]
        }));
        assert_eq!(
            out,
            json!({
                "contents": [
                    {"role": "user", "parts": [
                        {"text": "Hi"},
                        {"text": "What is this?"},
                        {"inlineData": {"mimeType": "image/png", "data": "iVBORw0KGgo="}},
                        {"fileData": {"mimeType": "image/jpeg", "fileUri": "https://example.com/cat.jpg"}},
                        {"inlineData": {"mimeType": "audio/wav", "data": "UklGRg=="}},
                        {"inlineData": {"mimeType": "application/pdf", "data": "JVBERi0="}}
                    ]},
                    {"role": "model", "parts": [{"text": "A cat."}]},
                    {"role": "user", "parts": [{"text": "Thanks"}]}
                ],
                "systemInstruction": {"parts": [{"text": "Be brief."}]}
            })
        );
        // Only a system message: Gemini needs some contents.
        let out = chat(json!({"messages": [{"role": "system", "content": "x"}]}));
        assert_eq!(
            out["contents"],
            json!([{"role": "user", "parts": [{"text": " "}]}])
        );
    }

    #[test]
    fn tool_calls_and_results_round_trip_the_thought_signature() {
        let out = chat(json!({
            "model": "gemini-3-pro-preview",
            "messages": [
                {"role": "user", "content": "Weather in Paris and Rome?"},
                {"role": "assistant", "content": null, "reasoning_content": "I should call the tool.",
                 "tool_calls": [
                    {"id": "call_a", "type": "function",
                     "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"},
                     "provider_specific_fields": {"thought_signature": "sigA"}},
                    {"id": "call_b__thought__sigB", "type": "function",
                     "function": {"name": "get_time", "arguments": ""}}
                 ]},
                {"role": "tool", "tool_call_id": "call_a", "content": "18C"},
                {"role": "tool", "tool_call_id": "call_b__thought__sigB", "content": [{"type": "text", "text": "noon"}]},
                {"role": "user", "content": "And tomorrow?"}
            ]
        }));
        assert_eq!(
            out["contents"],
            json!([
                {"role": "user", "parts": [{"text": "Weather in Paris and Rome?"}]},
                {"role": "model", "parts": [
                    {"text": "I should call the tool.", "thought": true},
                    {"functionCall": {"name": "get_weather", "args": {"city": "Paris"}}, "thoughtSignature": "sigA"},
                    {"functionCall": {"name": "get_time", "args": {}}, "thoughtSignature": "sigB"}
                ]},
                {"role": "user", "parts": [
                    {"functionResponse": {"name": "get_weather", "response": {"content": "18C"}}},
                    {"functionResponse": {"name": "get_time", "response": {"content": "noon"}}},
                    {"text": "And tomorrow?"}
                ]}
            ])
        );
        // Without a signature: nothing before Gemini 3, Google's placeholder from Gemini 3 on.
        let out = chat(json!({"model": "x", "messages": [
            {"role": "assistant", "tool_calls": [{"id": "c", "function": {"name": "f", "arguments": "{}"}}]}
        ]}));
        assert!(out["contents"][0]["parts"][0]
            .get("thoughtSignature")
            .is_none());
        let t = Target {
            base: "http://h",
            api_key: None,
            model: "gemini-3-flash",
            uploads: &[],
            params: &crate::providers::NO_PARAMS,
        };
        let req = json!({"messages": [
            {"role": "assistant", "tool_calls": [{"id": "c", "function": {"name": "f", "arguments": "{}"}}]}
        ]});
        let r = body(
            &Gemini
                .request(Endpoint::Chat, &t, req.to_string().into_bytes())
                .unwrap(),
        );
        assert_eq!(
            r["contents"][0]["parts"][0]["thoughtSignature"],
            DUMMY_SIGNATURE
        );
        // A result for an unknown call is refused before any I/O.
        let t = target("http://h", None);
        let req = json!({"messages": [{"role": "tool", "tool_call_id": "nope", "content": "x"}]});
        let e = Gemini
            .request(Endpoint::Chat, &t, req.to_string().into_bytes())
            .unwrap_err();
        assert_eq!(e.kind, Kind::BadRequest);
        assert!(e.message.contains("tool_call_id"), "{}", e.message);
    }

    #[test]
    fn parameters_map_to_generation_config() {
        let out = chat(json!({
            "messages": [{"role": "user", "content": "hi"}],
            "temperature": 0.2, "top_p": 0.9, "top_k": 40, "max_tokens": 5,
            "max_completion_tokens": 7, "stop": "END", "n": 2, "seed": 3,
            "presence_penalty": 0.1, "frequency_penalty": 0.2,
            "reasoning_effort": "low", "user": "u1", "logit_bias": {"1": 2},
            "safety_settings": [{"category": "HARM_CATEGORY_HARASSMENT", "threshold": "BLOCK_NONE"}],
            "response_format": {"type": "json_object"}
        }));
        assert_eq!(
            out["generationConfig"],
            json!({
                "temperature": 0.2, "topP": 0.9, "topK": 40, "candidateCount": 2, "seed": 3,
                "presencePenalty": 0.1, "frequencyPenalty": 0.2, "maxOutputTokens": 7,
                "stopSequences": ["END"], "responseMimeType": "application/json",
                "thinkingConfig": {"thinkingBudget": 1024, "includeThoughts": true}
            })
        );
        assert_eq!(
            out["safetySettings"],
            json!([{"category": "HARM_CATEGORY_HARASSMENT", "threshold": "BLOCK_NONE"}])
        );
        let thinking =
            chat(json!({"messages": [], "thinking": {"type": "enabled", "budget_tokens": 2000}}));
        assert_eq!(
            thinking["generationConfig"]["thinkingConfig"],
            json!({"includeThoughts": true, "thinkingBudget": 2000})
        );
        let t = Target {
            base: "http://h",
            api_key: None,
            model: "gemini-3-pro-preview",
            uploads: &[],
            params: &crate::providers::NO_PARAMS,
        };
        let req = json!({"messages": [], "reasoning_effort": "medium"});
        let r = body(
            &Gemini
                .request(Endpoint::Chat, &t, req.to_string().into_bytes())
                .unwrap(),
        );
        assert_eq!(
            r["generationConfig"]["thinkingConfig"],
            json!({"thinkingLevel": "high", "includeThoughts": true})
        );
        for bad_req in [
            json!({"messages": [], "reasoning_effort": "max"}),
            json!({"messages": [], "tool_choice": "sometimes"}),
            json!({"messages": [], "response_format": {"type": "xml"}}),
        ] {
            let t = target("http://h", None);
            let e = Gemini
                .request(Endpoint::Chat, &t, bad_req.to_string().into_bytes())
                .unwrap_err();
            assert_eq!(e.kind, Kind::BadRequest, "{bad_req}");
        }
    }

    #[test]
    fn tools_and_schemas_are_reduced_to_geminis_subset() {
        // A pydantic v2 schema with a nested model, an Optional field and extras.
        let params = json!({
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$defs": {"Unit": {"type": "string", "enum": ["C", "F"], "title": "Unit"}},
            "type": "object",
            "additionalProperties": false,
            "properties": {
                "city": {"type": "string", "format": "email", "description": "City"},
                "unit": {"$ref": "#/$defs/Unit"},
                "days": {"anyOf": [{"type": "integer"}, {"type": "null"}], "default": null, "title": "Days"},
                "tags": {"type": ["array", "null"], "items": {}},
                "when": {"type": "string", "format": "date-time"}
            },
            "required": ["city"],
            "strict": true
        });
        let out = chat(json!({
            "messages": [{"role": "user", "content": "hi"}],
            "tools": [
                {"type": "function", "function": {"name": "get_weather", "description": "Weather", "parameters": params, "strict": true}},
                {"type": "function", "function": {"name": "now", "parameters": {"type": "object", "properties": {}}}},
                {"googleSearch": {}}
            ],
            "tool_choice": {"type": "function", "function": {"name": "get_weather"}}
        }));
        assert_eq!(
            out["tools"],
            json!([
                {"functionDeclarations": [
                    {"name": "get_weather", "description": "Weather", "parameters": {
                        "type": "object",
                        "properties": {
                            "city": {"type": "string", "description": "City"},
                            "unit": {"type": "string", "enum": ["C", "F"], "title": "Unit"},
                            "days": {"anyOf": [{"type": "integer", "nullable": true, "title": "Days"}]},
                            "tags": {"type": "array", "nullable": true, "items": {"type": "object"}},
                            "when": {"type": "string", "format": "date-time"}
                        },
                        "required": ["city"]
                    }},
                    {"name": "now"}
                ]},
                {"googleSearch": {}}
            ])
        );
        assert_eq!(
            out["toolConfig"],
            json!({"functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": ["get_weather"]}})
        );
        // Response schemas also record the property order.
        let out = chat(
            json!({"messages": [], "response_format": {"type": "json_schema",
            "json_schema": {"name": "x", "strict": true, "schema": {"type": "object", "additionalProperties": false,
                "properties": {"b": {"type": "string"}, "a": {"type": "integer"}}, "required": ["b", "a"]}}}}),
        );
        assert_eq!(
            out["generationConfig"],
            json!({"responseMimeType": "application/json", "responseSchema": {
                "type": "object", "properties": {"b": {"type": "string"}, "a": {"type": "integer"}},
                "required": ["b", "a"], "propertyOrdering": ["b", "a"]}})
        );
        // A self-referencing schema cannot be inlined.
        let t = target("http://h", None);
        let req = json!({"messages": [], "tools": [{"type": "function", "function": {"name": "f", "parameters":
            {"$defs": {"N": {"type": "object", "properties": {"next": {"$ref": "#/$defs/N"}}}}, "$ref": "#/$defs/N"}}}]});
        let e = Gemini
            .request(Endpoint::Chat, &t, req.to_string().into_bytes())
            .unwrap_err();
        assert_eq!(e.kind, Kind::BadRequest);
    }

    #[test]
    fn response_with_thoughts_calls_and_usage() {
        // Shapes from ai.google.dev/gemini-api/docs/thought-signatures and /thinking.
        let out = respond(json!({
            "candidates": [{
                "content": {"role": "model", "parts": [
                    {"text": "Checking the flight.", "thought": true},
                    {"functionCall": {"name": "check_flight", "args": {"flight": "AA100"}}, "thoughtSignature": "SigA"}
                ]},
                "finishReason": "STOP",
                "index": 0
            }],
            "usageMetadata": {"promptTokenCount": 10, "candidatesTokenCount": 5, "thoughtsTokenCount": 20,
                              "cachedContentTokenCount": 4, "totalTokenCount": 35},
            "modelVersion": "gemini-2.5-flash-preview-09-2025",
            "responseId": "resp-1"
        }));
        assert_eq!(out["id"], "resp-1");
        assert_eq!(out["model"], "gemini-2.5-flash");
        let choice = &out["choices"][0];
        assert_eq!(choice["finish_reason"], "tool_calls");
        let message = &choice["message"];
        assert_eq!(message["content"], Value::Null);
        assert_eq!(message["reasoning_content"], "Checking the flight.");
        let call = &message["tool_calls"][0];
        assert_eq!(
            call["function"],
            json!({"name": "check_flight", "arguments": "{\"flight\":\"AA100\"}"})
        );
        assert_eq!(
            call["provider_specific_fields"],
            json!({"thought_signature": "SigA"})
        );
        let id = call["id"].as_str().unwrap();
        assert!(
            id.starts_with("call_") && id.ends_with("__thought__SigA"),
            "{id}"
        );
        assert_eq!(
            out["usage"],
            json!({"prompt_tokens": 10, "completion_tokens": 25, "total_tokens": 35,
                   "completion_tokens_details": {"reasoning_tokens": 20},
                   "prompt_tokens_details": {"cached_tokens": 4}})
        );
        // Two candidates, text with a signature, MAX_TOKENS.
        let out = respond(json!({
            "candidates": [
                {"content": {"role": "model", "parts": [{"text": "Hello"}, {"text": " there", "thoughtSignature": "SigT"}]}, "finishReason": "STOP", "index": 0},
                {"content": {"role": "model", "parts": [{"text": "Hi"}]}, "finishReason": "MAX_TOKENS", "index": 1}
            ],
            "usageMetadata": {"promptTokenCount": 4, "candidatesTokenCount": 3, "totalTokenCount": 7}
        }));
        assert_eq!(out["choices"][0]["message"]["content"], "Hello there");
        assert_eq!(
            out["choices"][0]["message"]["provider_specific_fields"],
            json!({"thought_signatures": ["SigT"]})
        );
        assert_eq!(out["choices"][0]["finish_reason"], "stop");
        assert_eq!(
            (
                out["choices"][1]["index"].clone(),
                out["choices"][1]["finish_reason"].clone()
            ),
            (json!(1), json!("length"))
        );
        assert_eq!(
            out["usage"],
            json!({"prompt_tokens": 4, "completion_tokens": 3, "total_tokens": 7})
        );
        assert!(out.get("id").is_none());
    }

    #[test]
    fn blocked_prompts_and_flagged_candidates_are_content_filtered() {
        let out = respond(json!({
            "promptFeedback": {"blockReason": "SAFETY", "safetyRatings": [
                {"category": "HARM_CATEGORY_DANGEROUS_CONTENT", "probability": "HIGH"}]},
            "usageMetadata": {"promptTokenCount": 8, "totalTokenCount": 8}
        }));
        assert_eq!(
            out["choices"],
            json!([{"index": 0, "message": {"role": "assistant", "content": null}, "finish_reason": "content_filter"}])
        );
        assert_eq!(out["usage"]["prompt_tokens"], 8);
        let out = respond(
            json!({"candidates": [{"content": {"parts": [{"text": "partial"}]},
            "finishReason": "RECITATION", "index": 0, "safetyRatings": []}]}),
        );
        assert_eq!(out["choices"][0]["message"]["content"], Value::Null);
        assert_eq!(out["choices"][0]["finish_reason"], "content_filter");
        assert_eq!(out["vertex_ai_safety_results"], json!([[]]));
    }

    #[test]
    fn stream_records_become_chunks_and_usage_comes_last() {
        let events = [
            json!({"candidates": [{"content": {"role": "model", "parts": [{"text": "Think", "thought": true}]}, "index": 0}],
                   "usageMetadata": {"promptTokenCount": 3, "totalTokenCount": 3}, "modelVersion": "gemini-2.5-flash", "responseId": "r1"}),
            json!({"candidates": [{"content": {"role": "model", "parts": [{"text": "Hello"}]}, "index": 0}], "responseId": "r1"}),
            json!({"candidates": [{"content": {"role": "model", "parts": [
                    {"functionCall": {"name": "f", "args": {"a": 1}}, "thoughtSignature": "S1"},
                    {"functionCall": {"name": "g", "args": {}}}]}, "index": 0}], "responseId": "r1"}),
            json!({"candidates": [{"content": {"role": "model", "parts": [{"text": ""}]}, "finishReason": "STOP", "index": 0}],
                   "usageMetadata": {"promptTokenCount": 3, "candidatesTokenCount": 4, "totalTokenCount": 7}, "responseId": "r1"}),
        ];
        let wire: String = events
            .iter()
            .map(|e| format!("data: {e}\r\n\r\n"))
            .collect();
        let mut d = Gemini.stream_decoder(Endpoint::Chat);
        let mut chunks = Vec::new();
        for piece in wire.as_bytes().chunks(7) {
            chunks.extend(d.feed(piece).unwrap());
        }
        chunks.extend(d.finish().unwrap());
        assert!(!d.done());
        let chunks: Vec<Value> = chunks
            .iter()
            .map(|c| serde_json::from_slice(c).unwrap())
            .collect();
        assert_eq!(chunks.len(), 5);
        assert!(chunks
            .iter()
            .all(|c| c["id"] == "r1" && c["object"] == "chat.completion.chunk"));
        assert_eq!(
            chunks[0]["choices"][0]["delta"],
            json!({"reasoning_content": "Think"})
        );
        assert_eq!(
            chunks[1]["choices"][0]["delta"],
            json!({"content": "Hello"})
        );
        let calls = &chunks[2]["choices"][0]["delta"]["tool_calls"];
        assert_eq!(
            (calls[0]["index"].clone(), calls[1]["index"].clone()),
            (json!(0), json!(1))
        );
        assert_eq!(
            calls[0]["function"],
            json!({"name": "f", "arguments": "{\"a\":1}"})
        );
        assert_eq!(
            calls[0]["provider_specific_fields"]["thought_signature"],
            "S1"
        );
        assert_eq!(
            calls[1]["function"],
            json!({"name": "g", "arguments": "{}"})
        );
        assert_eq!(chunks[2]["choices"][0]["finish_reason"], Value::Null);
        assert_eq!(chunks[3]["choices"][0]["finish_reason"], "tool_calls");
        assert_eq!(chunks[4]["choices"], json!([]));
        assert_eq!(
            chunks[4]["usage"],
            json!({"prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7})
        );
    }

    #[test]
    fn retry_info_becomes_retry_after() {
        // ai.google.dev/gemini-api/docs/rate-limits: a 429 carries google.rpc.RetryInfo.
        let body = br#"{"error": {"code": 429, "message": "You exceeded your current quota.",
            "status": "RESOURCE_EXHAUSTED", "details": [
            {"@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": []},
            {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "43s"}]}}"#;
        let e = Gemini.error(429, body);
        assert_eq!((e.kind, e.retry_after), (Kind::RateLimit, Some(43.0)));
        assert_eq!(duration_secs("0.250s"), Some(0.25));
        assert_eq!(duration_secs("-1s"), None);
        assert_eq!(duration_secs("43"), None);
        assert_eq!(Gemini.error(503, b"{}").retry_after, None);
    }

    #[test]
    fn stream_errors_and_blocked_prompts() {
        let mut d = Gemini.stream_decoder(Endpoint::Chat);
        let first = d
            .feed(b"data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\"}]},\"index\":0}]}\n\n")
            .unwrap();
        assert_eq!(first.len(), 1);
        let e = d
            .feed(b"data: {\"error\":{\"code\":503,\"message\":\"The model is overloaded.\",\"status\":\"UNAVAILABLE\"}}\n\n")
            .unwrap_err();
        assert_eq!((e.kind, e.status), (Kind::ServiceUnavailable, Some(503)));
        let mut d = Gemini.stream_decoder(Endpoint::Chat);
        let out = d
            .feed(b"data: {\"promptFeedback\":{\"blockReason\":\"PROHIBITED_CONTENT\"}}\n\n")
            .unwrap();
        let chunk: Value = serde_json::from_slice(&out[0]).unwrap();
        assert_eq!(chunk["choices"][0]["finish_reason"], "content_filter");
        assert_eq!(
            Gemini
                .stream_decoder(Endpoint::Chat)
                .feed(b"data: {nope\n\n")
                .unwrap_err()
                .kind,
            Kind::Api
        );
    }

    #[test]
    fn errors_map_by_google_status() {
        // ai.google.dev/gemini-api/docs/troubleshooting
        let cases: &[(u16, &str, Kind, u16)] = &[
            (
                400,
                r#"{"error":{"code":400,"message":"Request contains an invalid argument.","status":"INVALID_ARGUMENT"}}"#,
                Kind::BadRequest,
                400,
            ),
            (
                400,
                r#"{"error":{"code":400,"message":"The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).","status":"INVALID_ARGUMENT"}}"#,
                Kind::ContextWindowExceeded,
                400,
            ),
            (
                // Not anchored at the start: an ordinary 400.
                400,
                r#"{"error":{"code":400,"message":"Bad tool: The input token count (1) exceeds the maximum number of tokens allowed (0).","status":"INVALID_ARGUMENT"}}"#,
                Kind::BadRequest,
                400,
            ),
            (
                400,
                r#"{"error":{"code":400,"message":"User location is not supported for the API use.","status":"FAILED_PRECONDITION"}}"#,
                Kind::BadRequest,
                400,
            ),
            (
                400,
                r#"{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com"}]}}"#,
                Kind::Authentication,
                401,
            ),
            (
                403,
                r#"{"error":{"code":403,"message":"Permission denied.","status":"PERMISSION_DENIED"}}"#,
                Kind::PermissionDenied,
                403,
            ),
            (
                404,
                r#"{"error":{"code":404,"message":"models/nope is not found","status":"NOT_FOUND"}}"#,
                Kind::NotFound,
                404,
            ),
            (
                429,
                r#"[{"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}]"#,
                Kind::RateLimit,
                429,
            ),
            (
                500,
                r#"{"error":{"code":500,"message":"An internal error has occurred.","status":"INTERNAL"}}"#,
                Kind::InternalServer,
                500,
            ),
            (
                503,
                r#"{"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}"#,
                Kind::ServiceUnavailable,
                503,
            ),
            (
                504,
                r#"{"error":{"code":504,"message":"Deadline expired","status":"DEADLINE_EXCEEDED"}}"#,
                Kind::Timeout,
                504,
            ),
            (502, "<html>Bad Gateway</html>", Kind::BadGateway, 502),
        ];
        for (status, body, kind, mapped) in cases {
            let e = Gemini.error(*status, body.as_bytes());
            assert_eq!((e.kind, e.status), (*kind, Some(*mapped)), "{body}");
        }
        assert_eq!(
            Gemini
                .error(
                    429,
                    br#"{"error":{"code":429,"message":"Quota","status":"RESOURCE_EXHAUSTED"}}"#
                )
                .message,
            "Quota"
        );
        let e = Gemini
            .response(
                Endpoint::Chat,
                "m",
                br#"{"error":{"code":500,"message":"boom","status":"INTERNAL"}}"#.to_vec(),
            )
            .unwrap_err();
        assert_eq!((e.kind, e.status), (Kind::InternalServer, Some(500)));
        assert_eq!(
            Gemini
                .response(Endpoint::Chat, "m", b" ".to_vec())
                .unwrap_err()
                .kind,
            Kind::Api
        );
    }

    #[test]
    fn embeddings_single_and_batch() {
        let t = target("https://generativelanguage.googleapis.com", Some("k"));
        let one = Gemini
            .request(
                Endpoint::Embedding,
                &t,
                br#"{"model":"x","input":"Hello","dimensions":4,"task_type":"RETRIEVAL_QUERY"}"#
                    .to_vec(),
            )
            .unwrap();
        assert!(one
            .url
            .ends_with("/v1beta/models/gemini-2.5-flash:embedContent"));
        assert_eq!(
            body(&one),
            json!({"model": "models/gemini-2.5-flash", "content": {"parts": [{"text": "Hello"}]},
                   "outputDimensionality": 4, "taskType": "RETRIEVAL_QUERY"})
        );
        let many = Gemini
            .request(Endpoint::Embedding, &t, br#"{"input":["a","b"]}"#.to_vec())
            .unwrap();
        assert!(many.url.ends_with(":batchEmbedContents"));
        assert_eq!(
            body(&many)["requests"][1],
            json!({"model": "models/gemini-2.5-flash", "content": {"parts": [{"text": "b"}]}})
        );
        let e = Gemini
            .request(Endpoint::Embedding, &t, br#"{"input":[[1,2]]}"#.to_vec())
            .unwrap_err();
        assert_eq!(e.kind, Kind::BadRequest);

        let out = Gemini
            .response(
                Endpoint::Embedding,
                "text-embedding-004",
                br#"{"embeddings":[{"values":[0.1,0.2]},{"values":[0.3,0.4]}]}"#.to_vec(),
            )
            .unwrap();
        let out: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(
            out,
            json!({"object": "list", "model": "text-embedding-004",
                   "data": [{"object": "embedding", "index": 0, "embedding": [0.1, 0.2]},
                            {"object": "embedding", "index": 1, "embedding": [0.3, 0.4]}],
                   "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}})
        );
        let out = Gemini
            .response(
                Endpoint::Embedding,
                "m",
                br#"{"embedding":{"values":[1.0]}}"#.to_vec(),
            )
            .unwrap();
        let out: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(out["data"][0]["embedding"], json!([1.0]));
    }
}
