//! Anthropic's Messages API (`POST {base}/v1/messages`), translated from and to
//! OpenAI chat completions as litellm's `AnthropicConfig` does
//! (`litellm/llms/anthropic/chat/transformation.py` and `handler.py`,
//! `anthropic_messages_pt` in `litellm_core_utils/prompt_templates/factory.py`),
//! on the wire formats of docs.anthropic.com/en/api/messages,
//! /en/api/messages-streaming and /en/api/errors.
//!
//! Request: system messages become top-level `system` blocks; consecutive
//! user/tool turns and consecutive assistant turns are merged into one turn
//! each; tool calls become `tool_use` blocks and tool results `tool_result`
//! blocks; `max_tokens` is always sent (the caller's, else litellm's default);
//! `response_format` becomes a forced `json_tool_call` tool whose input is
//! returned as the message content.

use std::collections::HashMap;
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use reqwest::header::{HeaderName, HeaderValue};
use serde_json::{json, Map, Value};

use super::body::{parse_body, parse_event, raw_message};
use super::framed::{Framed, Translate};
use super::{Endpoint, Provider, StreamDecoder, Target};
use crate::error::{Error, Kind};
use crate::http::HttpRequest;
use crate::sse;

/// The Messages API adapter.
pub struct Anthropic;

/// The `anthropic-version` header every request carries.
pub const API_VERSION: &str = "2023-06-01";
/// The tool litellm adds for `response_format` (its `RESPONSE_FORMAT_TOOL_NAME`).
pub const JSON_TOOL_NAME: &str = "json_tool_call";
/// litellm's `DEFAULT_MAX_TOKENS`, added to a thinking budget when the caller
/// gives no `max_tokens`; also `DEFAULT_ANTHROPIC_CHAT_MAX_TOKENS`, the default
/// for models not in the table below.
const DEFAULT_MAX_TOKENS: u64 = 4096;
/// The model's maximum output tokens (`max_output_tokens` in litellm's model
/// map), which litellm sends as `max_tokens` when the caller gives none.
/// First matching prefix wins.
const MAX_OUTPUT_TOKENS: &[(&str, u64)] = &[
    ("claude-3-7-sonnet", 128_000),
    ("claude-3-5-", 8192),
    ("claude-3-", 4096),
    ("claude-opus-4-5", 64_000),
    ("claude-opus-4", 32_000),
    ("claude-sonnet-4", 64_000),
    ("claude-haiku-4", 64_000),
];
/// OpenAI parameters the Messages API has no counterpart for: not sent. Python
/// refuses them before this point unless `drop_params` removed them or the caller
/// forced them with `allowed_openai_params` (litellm: accepted, not sent).
const DROPPED: &[&str] = &[
    "frequency_penalty",
    "presence_penalty",
    "logit_bias",
    "seed",
    "logprobs",
    "top_logprobs",
    "stream_options",
    "modalities",
    "audio",
    "prediction",
    "store",
    "verbosity",
    "prompt_cache_key",
    "safety_identifier",
];
/// OpenAI parameters this adapter translates (everything else not in
/// [`DROPPED`] passes through, as litellm's `extra_body`).
const TRANSLATED: &[&str] = &[
    "model",
    "messages",
    "max_tokens",
    "max_completion_tokens",
    "stop",
    "user",
    "tools",
    "tool_choice",
    "parallel_tool_calls",
    "response_format",
    "reasoning_effort",
    "thinking",
    "stream",
    "n",
];

impl Provider for Anthropic {
    fn request(
        &self,
        endpoint: Endpoint,
        target: &Target,
        body: Vec<u8>,
    ) -> Result<HttpRequest, Error> {
        if endpoint != Endpoint::Chat {
            return Err(bad("Anthropic has no embeddings endpoint"));
        }
        let openai: Map<String, Value> = serde_json::from_slice(&body)
            .map_err(|e| bad(format!("the request is not a JSON object ({e})")))?;
        let out = build_body(&openai, target.model)?;
        let bytes = serde_json::to_vec(&out)
            .map_err(|e| Error::new(Kind::Api, format!("cannot encode the request ({e})")))?;
        let mut req = HttpRequest::post_json(messages_url(target.base), Bytes::from(bytes));
        req.headers.insert(
            HeaderName::from_static("anthropic-version"),
            HeaderValue::from_static(API_VERSION),
        );
        if let Some(key) = target.api_key {
            req.secret_header(HeaderName::from_static("x-api-key"), key)?;
        }
        Ok(req)
    }

    fn response(&self, _endpoint: Endpoint, _model: &str, body: Vec<u8>) -> Result<Vec<u8>, Error> {
        let v: Value = parse_body(&body)?;
        let out = translate_response(&v, &body)?;
        serde_json::to_vec(&out)
            .map_err(|e| Error::new(Kind::Api, format!("cannot encode the response ({e})")))
    }

    fn stream_decoder(&self, _endpoint: Endpoint) -> Box<dyn StreamDecoder> {
        Framed::boxed(MessageStream::default())
    }

    fn error(&self, status: u16, body: &[u8]) -> Error {
        match serde_json::from_slice::<Value>(body) {
            Ok(v) if v.get("error").is_some() => error_object(status, &v, body),
            _ => {
                let message = raw_message(status, body);
                Error::http(status_kind(status, None), status, message, body)
            }
        }
    }
}

fn bad(message: impl Into<String>) -> Error {
    Error::new(Kind::BadRequest, message)
}

/// `{base}/v1/messages`. A base already ending in `/v1/messages` is used as
/// is (as litellm does); one ending in `/v1` gets `/messages` only (litellm
/// would append `/v1/messages` again).
pub fn messages_url(base: &str) -> String {
    let b = base.trim_end_matches('/');
    if b.ends_with("/v1/messages") {
        b.to_owned()
    } else if b.ends_with("/v1") {
        format!("{b}/messages")
    } else {
        format!("{b}/v1/messages")
    }
}

// -- request ------------------------------------------------------------------

/// Translate an OpenAI chat-completions body into a Messages API body for
/// `model`. Raises `BadRequest` for input the API cannot take.
pub fn build_body(req: &Map<String, Value>, model: &str) -> Result<Value, Error> {
    if req.contains_key("functions") || req.contains_key("function_call") {
        return Err(bad(
            "functions/function_call are not supported for Anthropic; use tools/tool_choice",
        ));
    }
    if let Some(n) = req.get("n").filter(|n| !n.is_null()) {
        if n.as_u64() != Some(1) {
            return Err(Error::new(
                Kind::UnsupportedParams,
                format!("n={n} is not supported by Anthropic (one choice per call)"),
            ));
        }
    }
    let messages = req
        .get("messages")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("messages must be a list of message dicts"))?;
    let (system, rest) = split_system(messages)?;
    if rest.is_empty() {
        return Err(bad("Anthropic requires at least one non-system message"));
    }

    let mut out = Map::new();
    for (k, v) in req {
        if !v.is_null() && !TRANSLATED.contains(&k.as_str()) && !DROPPED.contains(&k.as_str()) {
            out.insert(k.clone(), v.clone());
        }
    }
    out.insert("model".into(), Value::from(model));
    out.insert("messages".into(), Value::Array(convert_messages(&rest)?));
    if !system.is_empty() {
        out.insert("system".into(), Value::Array(system));
    }

    let thinking = thinking(req)?;
    let budget = thinking
        .as_ref()
        .filter(|t| t.get("type").and_then(Value::as_str) == Some("enabled"))
        .map(|t| t.get("budget_tokens").and_then(Value::as_u64));
    let explicit = ["max_completion_tokens", "max_tokens"]
        .iter()
        .find_map(|k| req.get(*k).filter(|v| !v.is_null()));
    let max_tokens = match (explicit, budget) {
        (Some(v), _) => positive_int(v, "max_tokens")?,
        (None, Some(Some(b))) => b + DEFAULT_MAX_TOKENS,
        (None, _) => default_max_tokens(model),
    };
    out.insert("max_tokens".into(), Value::from(max_tokens));

    if let Some(stop) = req.get("stop").filter(|v| !v.is_null()) {
        let seqs = match stop {
            Value::String(s) => vec![Value::from(s.as_str())],
            Value::Array(a) if a.iter().all(Value::is_string) => a.clone(),
            _ => return Err(bad("stop must be a string or a list of strings")),
        };
        if !seqs.is_empty() {
            out.insert("stop_sequences".into(), Value::Array(seqs));
        }
    }
    if let Some(user) = req.get("user").and_then(Value::as_str) {
        if valid_user_id(user) {
            out.insert("metadata".into(), json!({ "user_id": user }));
        }
    }
    if req.get("stream").and_then(Value::as_bool) == Some(true) {
        out.insert("stream".into(), Value::Bool(true));
    }

    let mut tools = match req.get("tools") {
        Some(Value::Array(t)) => t.iter().map(convert_tool).collect::<Result<Vec<_>, _>>()?,
        None | Some(Value::Null) => Vec::new(),
        Some(_) => return Err(bad("tools must be a list")),
    };
    let parallel = req.get("parallel_tool_calls").and_then(Value::as_bool);
    let mut tool_choice = tool_choice(req.get("tool_choice"), parallel)?;
    if let Some(schema) = json_mode_schema(req.get("response_format"))? {
        tools.push(json!({ "name": JSON_TOOL_NAME, "input_schema": schema }));
        if budget.is_none() {
            tool_choice = Some(json!({ "name": JSON_TOOL_NAME, "type": "tool" }));
        }
    }
    if !tools.is_empty() {
        out.insert("tools".into(), Value::Array(tools));
    }
    if let Some(tc) = tool_choice {
        out.insert("tool_choice".into(), tc);
    }
    if let Some(t) = thinking {
        out.insert("thinking".into(), t);
    }
    Ok(Value::Object(out))
}

/// litellm's default `max_tokens` for `model` (its model map's maximum output).
pub fn default_max_tokens(model: &str) -> u64 {
    MAX_OUTPUT_TOKENS
        .iter()
        .find(|(prefix, _)| model.starts_with(prefix))
        .map_or(DEFAULT_MAX_TOKENS, |(_, n)| *n)
}

fn positive_int(v: &Value, name: &str) -> Result<u64, Error> {
    match (v.as_u64(), v.as_f64()) {
        (Some(n), _) if n > 0 => Ok(n),
        (None, Some(f)) if f.is_finite() && f > 0.0 => Ok((f.round() as u64).max(1)),
        _ => Err(bad(format!("{name} must be a positive integer, got {v}"))),
    }
}

/// `thinking` as given, else `reasoning_effort` mapped to a thinking budget
/// (litellm's `DEFAULT_REASONING_EFFORT_*_THINKING_BUDGET`).
pub fn thinking(req: &Map<String, Value>) -> Result<Option<Value>, Error> {
    if let Some(t) = req.get("thinking").filter(|t| !t.is_null()) {
        if !t.is_object() {
            return Err(bad(
                "thinking must be a dict, e.g. {\"type\": \"enabled\", \"budget_tokens\": 1024}",
            ));
        }
        return Ok(Some(t.clone()));
    }
    let budget = match req.get("reasoning_effort") {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(e)) => match e.as_str() {
            "none" => return Ok(None),
            "minimal" | "low" => 1024,
            "medium" => 2048,
            "high" => 4096,
            other => {
                return Err(bad(format!(
                    "reasoning_effort={other:?} is not supported for Anthropic; use 'minimal', 'low', 'medium', 'high' or 'none'"
                )))
            }
        },
        Some(v) => return Err(bad(format!("reasoning_effort must be a string, got {v}"))),
    };
    Ok(Some(json!({ "type": "enabled", "budget_tokens": budget })))
}

/// litellm's `_valid_user_id`: Anthropic refuses e-mail addresses and phone
/// numbers as `metadata.user_id`, so those are not sent.
fn valid_user_id(id: &str) -> bool {
    let email = id.split_once('@').is_some_and(|(local, domain)| {
        let tld = domain.rsplit_once('.').map(|(_, t)| t);
        !local.is_empty()
            && local
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._%+-".contains(c))
            && domain
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-".contains(c))
            && tld.is_some_and(|t| t.len() >= 2 && t.chars().all(|c| c.is_ascii_alphabetic()))
    });
    let digits = id.strip_prefix('+').unwrap_or(id);
    let phone = digits.chars().count() >= 7
        && digits
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_whitespace() || "()-".contains(c));
    !(email || phone)
}

fn role(m: &Value) -> &str {
    m.get("role").and_then(Value::as_str).unwrap_or_default()
}

/// Copy the `cache_control` of `src` (a message, content part or tool) onto `block`.
fn with_cache(mut block: Value, src: &Value) -> Value {
    if let (Some(cc), Some(obj)) = (src.get("cache_control"), block.as_object_mut()) {
        if cc.is_object() {
            obj.insert("cache_control".into(), cc.clone());
        }
    }
    block
}

fn text_block(text: &str, src: &Value) -> Value {
    with_cache(json!({ "type": "text", "text": text }), src)
}

/// System (and developer) messages → `system` text blocks (empty texts are
/// dropped, `cache_control` kept); the other messages, in order.
fn split_system(messages: &[Value]) -> Result<(Vec<Value>, Vec<&Value>), Error> {
    let mut system = Vec::new();
    let mut rest = Vec::new();
    for (i, m) in messages.iter().enumerate() {
        if !matches!(role(m), "system" | "developer") {
            rest.push(m);
            continue;
        }
        match m.get("content") {
            Some(Value::String(s)) if !s.is_empty() => system.push(text_block(s, m)),
            Some(Value::Array(parts)) => {
                for p in parts {
                    let text = p.get("text").and_then(Value::as_str).unwrap_or_default();
                    if p.get("type").and_then(Value::as_str) != Some("text") {
                        return Err(bad(format!(
                            "messages[{i}]: system content parts must be text parts"
                        )));
                    }
                    if !text.is_empty() {
                        system.push(text_block(text, p));
                    }
                }
            }
            _ => {}
        }
    }
    Ok((system, rest))
}

/// The non-system messages as alternating user/assistant turns: consecutive
/// user and tool messages merge into one user turn, consecutive assistant
/// messages into one assistant turn; a final assistant turn's last text
/// block loses its trailing whitespace (litellm strips every text block of it).
fn convert_messages(messages: &[&Value]) -> Result<Vec<Value>, Error> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < messages.len() {
        let start = i;
        let mut user = Vec::new();
        while i < messages.len() && matches!(role(messages[i]), "user" | "tool") {
            user_blocks(messages[i], i, &mut user)?;
            i += 1;
        }
        if !user.is_empty() {
            out.push(json!({ "role": "user", "content": user }));
        }
        let mut assistant = Vec::new();
        while i < messages.len() && role(messages[i]) == "assistant" {
            assistant_blocks(messages[i], i, &mut assistant)?;
            i += 1;
        }
        if !assistant.is_empty() {
            out.push(json!({ "role": "assistant", "content": assistant }));
        }
        if i == start {
            return Err(bad(format!(
                "messages: role {:?} is not supported for Anthropic",
                role(messages[i])
            )));
        }
    }
    // The API refuses a final assistant turn ending in whitespace.
    if let Some(last) = out.last_mut().filter(|m| role(m) == "assistant") {
        let text = last
            .get_mut("content")
            .and_then(Value::as_array_mut)
            .and_then(|blocks| blocks.last_mut())
            .filter(|b| b.get("type").and_then(Value::as_str) == Some("text"));
        if let Some(b) = text {
            let trimmed = b["text"].as_str().unwrap_or_default().trim_end().to_owned();
            b["text"] = Value::from(trimmed);
        }
    }
    Ok(out)
}

fn user_blocks(m: &Value, i: usize, out: &mut Vec<Value>) -> Result<(), Error> {
    if role(m) == "tool" {
        out.push(tool_result(m, i)?);
        return Ok(());
    }
    match m.get("content") {
        Some(Value::String(s)) => out.push(text_block(s, m)),
        Some(Value::Array(parts)) => {
            for p in parts {
                out.push(user_part(p, i)?);
            }
        }
        _ => {}
    }
    Ok(())
}

fn part_type(p: &Value) -> &str {
    p.get("type").and_then(Value::as_str).unwrap_or_default()
}

fn user_part(p: &Value, i: usize) -> Result<Value, Error> {
    match part_type(p) {
        "text" => Ok(text_block(
            p.get("text").and_then(Value::as_str).unwrap_or_default(),
            p,
        )),
        "image_url" => Ok(with_cache(image_part(p, i)?, p)),
        "file" => Ok(with_cache(file_block(p, i)?, p)),
        // Already in Anthropic's shape (litellm passes these through).
        "document" | "image" => Ok(p.clone()),
        other => Err(bad(format!(
            "messages[{i}]: content part type {other:?} is not supported for Anthropic"
        ))),
    }
}

/// An OpenAI `image_url` part (`{"url": ..., "format"?: ...}` or a bare string).
fn image_part(p: &Value, i: usize) -> Result<Value, Error> {
    let image = p.get("image_url");
    let url = image
        .and_then(|u| u.as_str().or_else(|| u.get("url").and_then(Value::as_str)))
        .ok_or_else(|| bad(format!("messages[{i}]: image_url part without a url")))?;
    let format = image.and_then(|u| u.get("format")).and_then(Value::as_str);
    media_block(url, format, i)
}

/// A `data:` URL → a base64 `image` block (a `document` block for PDFs); an
/// http(s) URL → an `image` block with a `url` source.
fn media_block(url: &str, format: Option<&str>, i: usize) -> Result<Value, Error> {
    if let Some((media, data)) = parse_data_url(url) {
        let media = format.unwrap_or(media);
        let kind = if media == "application/pdf" {
            "document"
        } else {
            "image"
        };
        return Ok(json!({
            "type": kind,
            "source": { "type": "base64", "media_type": media, "data": data }
        }));
    }
    if url.starts_with("https://") || url.starts_with("http://") {
        return Ok(json!({ "type": "image", "source": { "type": "url", "url": url } }));
    }
    Err(bad(format!(
        "messages[{i}]: image url must be an http(s) URL or a base64 data: URL (data:image/png;base64,...)"
    )))
}

/// `data:<media type>;base64,<data>` → (media type, data).
fn parse_data_url(url: &str) -> Option<(&str, &str)> {
    let (meta, data) = url.strip_prefix("data:")?.split_once(',')?;
    let media = meta.strip_suffix(";base64")?;
    Some((media, data))
}

/// An OpenAI `file` part: inline `file_data` → a base64 `document`; a
/// `file_id` → the block litellm picks for its `format` (or, without one, a
/// URL document for http ids and a `container_upload` otherwise).
fn file_block(p: &Value, i: usize) -> Result<Value, Error> {
    let f = p.get("file").unwrap_or(&Value::Null);
    let format = f.get("format").and_then(Value::as_str);
    if let Some(data_url) = f.get("file_data").and_then(Value::as_str) {
        let (media, data) = parse_data_url(data_url).ok_or_else(|| {
            bad(format!(
                "messages[{i}]: file_data must be a base64 data: URL"
            ))
        })?;
        let media = format.unwrap_or(media);
        return Ok(json!({
            "type": "document",
            "source": { "type": "base64", "media_type": media, "data": data }
        }));
    }
    let id = f.get("file_id").and_then(Value::as_str).ok_or_else(|| {
        bad(format!(
            "messages[{i}]: a file part needs file_data or file_id"
        ))
    })?;
    Ok(match format {
        Some("application/pdf" | "text/plain") => {
            json!({ "type": "document", "source": { "type": "file", "file_id": id } })
        }
        Some("image/jpeg" | "image/png" | "image/gif" | "image/webp") => {
            json!({ "type": "image", "source": { "type": "file", "file_id": id } })
        }
        None if id.starts_with("http") => {
            json!({ "type": "document", "source": { "type": "url", "url": id } })
        }
        _ => json!({ "type": "container_upload", "file_id": id }),
    })
}

/// A `role: "tool"` message → a `tool_result` block (text and image parts kept).
fn tool_result(m: &Value, i: usize) -> Result<Value, Error> {
    let id = m
        .get("tool_call_id")
        .and_then(Value::as_str)
        .ok_or_else(|| bad(format!("messages[{i}]: a tool message needs tool_call_id")))?;
    let content = match m.get("content") {
        Some(Value::String(s)) => Value::from(s.as_str()),
        Some(Value::Array(parts)) => Value::Array(
            parts
                .iter()
                .filter_map(|p| match part_type(p) {
                    "text" => Some(Ok(json!({
                        "type": "text",
                        "text": p.get("text").and_then(Value::as_str).unwrap_or_default()
                    }))),
                    "image_url" => Some(image_part(p, i)),
                    _ => None,
                })
                .collect::<Result<Vec<_>, _>>()?,
        ),
        _ => Value::from(""),
    };
    Ok(with_cache(
        json!({ "type": "tool_result", "tool_use_id": id, "content": content }),
        m,
    ))
}

/// An assistant message → its `thinking_blocks` first (verbatim, signatures
/// included: the API requires them first when thinking continues after a
/// tool call), then its non-empty text, then its tool calls as `tool_use`.
fn assistant_blocks(m: &Value, i: usize, out: &mut Vec<Value>) -> Result<(), Error> {
    if let Some(Value::Array(blocks)) = m.get("thinking_blocks") {
        out.extend(blocks.iter().cloned());
    }
    match m.get("content") {
        Some(Value::String(s)) if !s.is_empty() => out.push(text_block(s, m)),
        Some(Value::Array(parts)) => {
            for p in parts {
                let field = |k: &str| p.get(k).and_then(Value::as_str).unwrap_or_default();
                match part_type(p) {
                    "thinking" if !field("thinking").is_empty() => out.push(p.clone()),
                    "redacted_thinking" => out.push(p.clone()),
                    "text" if !field("text").is_empty() => out.push(text_block(field("text"), p)),
                    _ => {}
                }
            }
        }
        _ => {}
    }
    if m.get("function_call").is_some_and(|f| !f.is_null()) {
        return Err(bad(format!(
            "messages[{i}]: function_call is not supported for Anthropic; use tool_calls"
        )));
    }
    if let Some(Value::Array(calls)) = m.get("tool_calls") {
        for tc in calls {
            out.push(tool_use(tc, i)?);
        }
    }
    Ok(())
}

fn tool_use(tc: &Value, i: usize) -> Result<Value, Error> {
    let f = tc.get("function").unwrap_or(&Value::Null);
    let (Some(id), Some(name)) = (
        tc.get("id").and_then(Value::as_str),
        f.get("name").and_then(Value::as_str),
    ) else {
        return Err(bad(format!(
            "messages[{i}]: every tool call needs an id and a function name"
        )));
    };
    let args = f
        .get("arguments")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let input: Value = if args.trim().is_empty() {
        json!({})
    } else {
        serde_json::from_str(args).map_err(|e| {
            bad(format!(
                "messages[{i}]: tool call {id} has arguments that are not JSON ({e})"
            ))
        })?
    };
    Ok(with_cache(
        json!({ "type": "tool_use", "id": id, "name": name, "input": input }),
        tc,
    ))
}

/// An OpenAI function tool → `{name, description?, input_schema, cache_control?}`;
/// a tool already in Anthropic's shape (`input_schema`, or a server tool type
/// such as `web_search_20250305`) passes through.
fn convert_tool(t: &Value) -> Result<Value, Error> {
    let kind = t.get("type").and_then(Value::as_str).unwrap_or("function");
    if t.get("input_schema").is_some() || !matches!(kind, "function" | "custom") {
        return Ok(t.clone());
    }
    let f = t
        .get("function")
        .ok_or_else(|| bad("a function tool needs a 'function' object"))?;
    let name = f
        .get("name")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("a function tool needs a name"))?;
    let mut schema = match f.get("parameters") {
        Some(Value::Object(p)) => p.clone(),
        _ => Map::new(),
    };
    // The API requires an object schema (litellm coerces it too).
    if schema.get("type").and_then(Value::as_str) != Some("object") {
        schema.insert("type".into(), Value::from("object"));
        schema.entry("properties").or_insert_with(|| json!({}));
    }
    let mut tool = json!({ "name": name, "input_schema": schema });
    if let Some(d) = f.get("description").filter(|d| d.is_string()) {
        tool["description"] = d.clone();
    }
    let tool = with_cache(tool, f);
    Ok(with_cache(tool, t))
}

/// OpenAI `tool_choice` (+ `parallel_tool_calls`) → Anthropic's `tool_choice`:
/// auto → auto, required → any, none → none, a named function → tool;
/// `parallel_tool_calls=false` → `disable_parallel_tool_use: true`.
fn tool_choice(choice: Option<&Value>, parallel: Option<bool>) -> Result<Option<Value>, Error> {
    let simple = |t: &str| -> Result<Value, Error> {
        match t {
            "auto" => Ok(json!({ "type": "auto" })),
            "required" | "any" => Ok(json!({ "type": "any" })),
            "none" => Ok(json!({ "type": "none" })),
            other => Err(bad(format!("tool_choice {other:?} is not supported"))),
        }
    };
    let mut mapped = match choice {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(simple(s)?),
        Some(Value::Object(o)) => match o.get("function").and_then(|f| f.get("name")) {
            Some(Value::String(name)) => Some(json!({ "type": "tool", "name": name })),
            _ => match o.get("type").and_then(Value::as_str) {
                Some("tool") => Some(Value::Object(o.clone())),
                Some(t) => Some(simple(t)?),
                None => return Err(bad("tool_choice must name a function")),
            },
        },
        Some(_) => return Err(bad("tool_choice must be a string or a dict")),
    };
    if let Some(p) = parallel {
        let none = mapped
            .as_ref()
            .is_some_and(|c| c.get("type").and_then(Value::as_str) == Some("none"));
        if !none {
            let c = mapped.get_or_insert_with(|| json!({ "type": "auto" }));
            c["disable_parallel_tool_use"] = Value::Bool(!p);
        }
    }
    Ok(mapped)
}

/// The input schema of the `json_tool_call` tool for a `response_format`, if
/// it asks for JSON: a `json_schema`'s schema, or any object for `json_object`.
fn json_mode_schema(rf: Option<&Value>) -> Result<Option<Value>, Error> {
    let Some(rf) = rf.filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    let schema = match rf.get("type").and_then(Value::as_str) {
        Some("text") => return Ok(None),
        Some("json_schema") => rf.get("json_schema").and_then(|j| j.get("schema")).cloned(),
        Some("json_object") => rf.get("response_schema").cloned(),
        _ => {
            return Err(bad(
                "response_format must have type text, json_object or json_schema",
            ))
        }
    };
    let mut input = Map::new();
    input.insert("type".into(), Value::from("object"));
    match schema {
        Some(Value::Object(s)) => input.extend(s),
        _ => {
            input.insert("additionalProperties".into(), Value::Bool(true));
            input.insert("properties".into(), json!({}));
        }
    }
    Ok(Some(Value::Object(input)))
}

// -- response -----------------------------------------------------------------

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Anthropic's `stop_reason` → OpenAI's `finish_reason` (litellm's `map_finish_reason`).
pub fn finish_reason(stop_reason: Option<&str>) -> &'static str {
    match stop_reason {
        Some("max_tokens" | "model_context_window_exceeded") => "length",
        Some("tool_use") => "tool_calls",
        Some("refusal") => "content_filter",
        _ => "stop",
    }
}

/// Anthropic `usage` → OpenAI usage as litellm's `calculate_usage` reports it:
/// `prompt_tokens` counts cache writes and reads too, `cached_tokens` is the
/// cache read, and the raw cache counters are kept.
pub fn usage(u: &Value) -> Value {
    let n = |k: &str| u.get(k).and_then(Value::as_u64).unwrap_or(0);
    let (input, output) = (n("input_tokens"), n("output_tokens"));
    let (created, read) = (
        n("cache_creation_input_tokens"),
        n("cache_read_input_tokens"),
    );
    let prompt = input + created + read;
    json!({
        "prompt_tokens": prompt,
        "completion_tokens": output,
        "total_tokens": prompt + output,
        "prompt_tokens_details": { "cached_tokens": read, "cache_creation_tokens": created },
        "cache_creation_input_tokens": created,
        "cache_read_input_tokens": read,
    })
}

/// The arguments of the `json_tool_call` tool as message content (litellm
/// unwraps a top-level `values` key).
pub fn json_tool_content(input: &Value) -> String {
    let v = input.get("values").unwrap_or(input);
    v.to_string()
}

/// The content blocks of a Messages-API-shaped answer (Anthropic's, and Bedrock
/// Converse's), gathered into an OpenAI assistant message.
#[derive(Default)]
pub struct Answer {
    pub text: String,
    pub calls: Vec<Value>,
    /// The forced `json_tool_call` tool's arguments: the answer's content.
    pub json_content: Vec<String>,
    pub reasoning: String,
    pub thinking: Vec<Value>,
}

impl Answer {
    /// A tool call `id` / `name` / `input`, `index`ed as litellm sets it on
    /// non-streamed tool calls too; the `json_tool_call` tool's input is
    /// content instead.
    pub fn tool_use(&mut self, id: Value, name: &str, input: &Value) {
        if name == JSON_TOOL_NAME {
            self.json_content.push(json_tool_content(input));
        } else {
            self.calls.push(json!({
                "index": self.calls.len(),
                "id": id,
                "type": "function",
                "function": { "name": name, "arguments": input.to_string() },
            }));
        }
    }

    /// The assistant message, and its finish reason: `finish`, or `stop` when
    /// a forced `json_tool_call` is the answer (not a tool call).
    pub fn message(mut self, finish: &'static str) -> (Value, &'static str) {
        let finish = if self.calls.is_empty() && !self.json_content.is_empty() {
            "stop"
        } else {
            finish
        };
        for j in &self.json_content {
            self.text.push_str(j);
        }
        let text = self.text;
        let mut message = json!({
            "role": "assistant",
            "content": if text.is_empty() { Value::Null } else { Value::from(text) },
        });
        if !self.calls.is_empty() {
            message["tool_calls"] = Value::Array(self.calls);
        }
        if !self.thinking.is_empty() {
            message["reasoning_content"] = Value::from(self.reasoning);
            message["thinking_blocks"] = Value::Array(self.thinking);
        }
        (message, finish)
    }
}

/// A Messages API response → an OpenAI chat completion.
pub fn translate_response(v: &Value, raw: &[u8]) -> Result<Value, Error> {
    if v.get("error").is_some() {
        return Err(error_object(200, v, raw));
    }
    let blocks = v
        .get("content")
        .and_then(Value::as_array)
        .ok_or_else(|| Error::new(Kind::Api, "the provider returned a message without content"))?;
    let mut a = Answer::default();
    for b in blocks {
        let field = |k: &str| b.get(k).and_then(Value::as_str).unwrap_or_default();
        match field("type") {
            "text" => a.text.push_str(field("text")),
            "tool_use" | "server_tool_use" => {
                let input = b.get("input").cloned().unwrap_or_else(|| json!({}));
                a.tool_use(Value::from(field("id")), field("name"), &input);
            }
            "thinking" => {
                a.reasoning.push_str(field("thinking"));
                a.thinking.push(b.clone());
            }
            "redacted_thinking" => a.thinking.push(b.clone()),
            _ => {}
        }
    }
    let (message, finish) = a.message(finish_reason(v.get("stop_reason").and_then(Value::as_str)));
    Ok(json!({
        "id": v.get("id").cloned().unwrap_or(Value::Null),
        "object": "chat.completion",
        "created": now(),
        "model": v.get("model").cloned().unwrap_or(Value::Null),
        "choices": [{ "index": 0, "message": message, "finish_reason": finish }],
        "usage": usage(v.get("usage").unwrap_or(&Value::Null)),
    }))
}

/// An Anthropic error document `{"type": "error", "error": {"type", "message"}}`
/// at HTTP `status` (200 for an error inside a success body or a stream).
/// The kind follows the HTTP status when the common table knows it, else the
/// error type (docs.anthropic.com/en/api/errors: 413 `request_too_large`, 529
/// `overloaded_error`); an error without an HTTP status takes its type's kind
/// and status. As litellm's `_map_anthropic_exception`, `overloaded_error` is
/// an `InternalServerError` (litellm reports status 500; we keep the 529).
fn error_object(status: u16, v: &Value, raw: &[u8]) -> Error {
    let err = v.get("error").unwrap_or(&Value::Null);
    let etype = err.get("type").and_then(Value::as_str).unwrap_or_default();
    let message = err
        .get("message")
        .and_then(Value::as_str)
        .map_or_else(|| err.to_string(), str::to_owned);
    let by_type = match etype {
        "invalid_request_error" => Some((Kind::BadRequest, 400)),
        "request_too_large" => Some((Kind::BadRequest, 413)),
        "authentication_error" => Some((Kind::Authentication, 401)),
        "permission_error" => Some((Kind::PermissionDenied, 403)),
        "not_found_error" => Some((Kind::NotFound, 404)),
        "rate_limit_error" => Some((Kind::RateLimit, 429)),
        // Anthropic's catch-all: a gateway's 502/503/504 or a 408 says more than it does.
        "api_error" if matches!(status, 200 | 500) => Some((Kind::InternalServer, 500)),
        "timeout_error" => Some((Kind::Timeout, 504)),
        "overloaded_error" => Some((Kind::InternalServer, 529)),
        _ => None,
    };
    let (kind, status) = match (status, by_type) {
        (200, Some((k, s))) => (k, s),
        (200, None) => (Kind::InternalServer, 500),
        (s, by_type) => (status_kind(s, by_type.map(|(k, _)| k)), s),
    };
    let kind = if kind == Kind::BadRequest && is_context_overflow(&message) {
        Kind::ContextWindowExceeded
    } else {
        kind
    };
    Error::http(kind, status, message, raw)
}

/// Anthropic's context-overflow 400 has no error type of its own: its documented message
/// is `prompt is too long: 208310 tokens > 200000 maximum`. Matched at the start only.
fn is_context_overflow(message: &str) -> bool {
    message.starts_with("prompt is too long:")
}

/// The kind of an HTTP error status: the common table's, else the error
/// type's, else Anthropic's own statuses as litellm maps them (413 →
/// `BadRequestError`, 529 → `InternalServerError`).
fn status_kind(status: u16, by_type: Option<Kind>) -> Kind {
    match (Kind::from_status(status), by_type) {
        (Kind::Api, Some(k)) => k,
        (Kind::Api, None) => match status {
            413 => Kind::BadRequest,
            529 => Kind::InternalServer,
            _ => Kind::Api,
        },
        (k, _) => k,
    }
}

// -- streaming ----------------------------------------------------------------

/// What a content block index of the stream is.
enum Block {
    /// A tool call, with its OpenAI tool-call index, whether argument
    /// fragments arrived, and the `input` its start event carried.
    Tool {
        index: u32,
        args_seen: bool,
        start_input: Value,
    },
    /// The `json_tool_call` tool: its arguments stream as content.
    Json,
    Other,
}

/// Turns the Messages SSE stream (message_start, content_block_start/delta/stop,
/// message_delta, message_stop, ping, error; unknown events ignored) into
/// OpenAI chunks: text as `content`, tool calls as indexed `tool_calls`
/// deltas (id and name first, argument fragments after), thinking as
/// `reasoning_content` plus `thinking_blocks` fragments (signatures and
/// redacted blocks too), the stop reason as `finish_reason`, then a
/// usage-only chunk (`choices: []`) with the whole call's usage.
pub struct MessageStream {
    done: bool,
    id: Value,
    model: Value,
    created: u64,
    usage: Map<String, Value>,
    blocks: HashMap<u64, Block>,
    next_tool: u32,
    json_seen: bool,
}

impl Default for MessageStream {
    fn default() -> Self {
        MessageStream {
            done: false,
            id: Value::Null,
            model: Value::Null,
            created: now(),
            usage: Map::new(),
            blocks: HashMap::new(),
            next_tool: 0,
            json_seen: false,
        }
    }
}

impl Translate for MessageStream {
    type Framing = sse::Decoder;

    fn decode(&mut self, events: Vec<sse::Event>, out: &mut Vec<Vec<u8>>) -> Result<(), Error> {
        for ev in events {
            if self.done {
                break;
            }
            let data = ev.data.trim();
            if data.is_empty() {
                continue;
            }
            let v: Value = parse_event(data)?;
            let kind = v
                .get("type")
                .and_then(Value::as_str)
                .or(ev.event.as_deref())
                .unwrap_or_default()
                .to_owned();
            if kind == "error" {
                return Err(error_object(200, &v, data.as_bytes()));
            }
            self.event(&kind, &v, out);
        }
        Ok(())
    }

    fn done(&self) -> bool {
        self.done
    }
}

impl MessageStream {
    /// One chunk document; `usage` only on the last.
    fn chunk(&self, choices: Value, usage: Option<Value>) -> Vec<u8> {
        let mut c = json!({
            "id": if self.id.is_null() { Value::from("") } else { self.id.clone() },
            "object": "chat.completion.chunk",
            "created": self.created,
            "model": self.model,
            "choices": choices,
        });
        if let Some(u) = usage {
            c["usage"] = u;
        }
        c.to_string().into_bytes()
    }

    fn delta(&self, delta: Value) -> Vec<u8> {
        self.chunk(
            json!([{ "index": 0, "delta": delta, "finish_reason": null }]),
            None,
        )
    }

    fn event(&mut self, kind: &str, v: &Value, out: &mut Vec<Vec<u8>>) {
        let index = v.get("index").and_then(Value::as_u64).unwrap_or(0);
        match kind {
            "message_start" => {
                let m = v.get("message").unwrap_or(&Value::Null);
                self.id = m.get("id").cloned().unwrap_or(Value::Null);
                self.model = m.get("model").cloned().unwrap_or(Value::Null);
                if let Some(Value::Object(u)) = m.get("usage") {
                    self.usage.extend(u.clone());
                }
            }
            "content_block_start" => {
                let b = v.get("content_block").unwrap_or(&Value::Null);
                let field = |k: &str| b.get(k).and_then(Value::as_str).unwrap_or_default();
                let block = match field("type") {
                    "tool_use" | "server_tool_use" if field("name") == JSON_TOOL_NAME => {
                        self.json_seen = true;
                        Block::Json
                    }
                    "tool_use" | "server_tool_use" => {
                        let i = self.next_tool;
                        self.next_tool += 1;
                        out.push(self.delta(json!({ "tool_calls": [{
                            "index": i,
                            "id": field("id"),
                            "type": "function",
                            "function": { "name": field("name"), "arguments": "" },
                        }]})));
                        Block::Tool {
                            index: i,
                            args_seen: false,
                            start_input: b.get("input").cloned().unwrap_or(Value::Null),
                        }
                    }
                    "text" if !field("text").is_empty() => {
                        out.push(self.delta(json!({ "content": field("text") })));
                        Block::Other
                    }
                    "thinking" if !field("thinking").is_empty() => {
                        out.push(self.thinking_delta(field("thinking")));
                        Block::Other
                    }
                    "redacted_thinking" => {
                        out.push(self.delta(json!({ "thinking_blocks": [b] })));
                        Block::Other
                    }
                    _ => Block::Other,
                };
                self.blocks.insert(index, block);
            }
            "content_block_delta" => {
                let d = v.get("delta").unwrap_or(&Value::Null);
                let field = |k: &str| d.get(k).and_then(Value::as_str).unwrap_or_default();
                match field("type") {
                    "text_delta" => out.push(self.delta(json!({ "content": field("text") }))),
                    "thinking_delta" => out.push(self.thinking_delta(field("thinking"))),
                    "signature_delta" => out.push(self.delta(json!({ "thinking_blocks": [{
                        "type": "thinking", "thinking": "", "signature": field("signature"),
                    }]}))),
                    "input_json_delta" if !field("partial_json").is_empty() => {
                        let partial = field("partial_json");
                        match self.blocks.get_mut(&index) {
                            Some(Block::Json) => {
                                out.push(self.delta(json!({ "content": partial })));
                            }
                            Some(Block::Tool {
                                index: i,
                                args_seen,
                                ..
                            }) => {
                                *args_seen = true;
                                let i = *i;
                                out.push(self.delta(json!({ "tool_calls": [{
                                    "index": i, "function": { "arguments": partial },
                                }]})));
                            }
                            _ => {}
                        }
                    }
                    _ => {}
                }
            }
            "content_block_stop" => {
                // A tool whose input never streamed: its start input, else `{}`.
                if let Some(Block::Tool {
                    index: i,
                    args_seen: false,
                    start_input,
                }) = self.blocks.get(&index)
                {
                    let args = match start_input {
                        Value::Object(o) if !o.is_empty() => start_input.to_string(),
                        _ => "{}".to_owned(),
                    };
                    out.push(self.delta(json!({ "tool_calls": [{
                        "index": i, "function": { "arguments": args },
                    }]})));
                }
                self.blocks.remove(&index);
            }
            "message_delta" => {
                if let Some(Value::Object(u)) = v.get("usage") {
                    for (k, val) in u {
                        if !val.is_null() {
                            self.usage.insert(k.clone(), val.clone());
                        }
                    }
                }
                let stop = v
                    .get("delta")
                    .and_then(|d| d.get("stop_reason"))
                    .and_then(Value::as_str);
                let finish = if self.json_seen && self.next_tool == 0 {
                    "stop"
                } else {
                    finish_reason(stop)
                };
                out.push(self.chunk(
                    json!([{ "index": 0, "delta": {}, "finish_reason": finish }]),
                    None,
                ));
                let total = usage(&Value::Object(self.usage.clone()));
                out.push(self.chunk(json!([]), Some(total)));
            }
            "message_stop" => self.done = true,
            // "ping" and event types added after this adapter was written.
            _ => {}
        }
    }

    fn thinking_delta(&self, text: &str) -> Vec<u8> {
        self.delta(json!({
            "reasoning_content": text,
            "thinking_blocks": [{ "type": "thinking", "thinking": text }],
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(v: Value) -> Value {
        let Value::Object(m) = v else {
            panic!("not an object")
        };
        build_body(&m, "claude-3-5-sonnet-20241022").unwrap()
    }

    fn refused(v: Value) -> Error {
        let Value::Object(m) = v else {
            panic!("not an object")
        };
        build_body(&m, "claude-3-5-sonnet-20241022").unwrap_err()
    }

    fn decode(parts: &[&str]) -> Result<Vec<Value>, Error> {
        let mut d = Anthropic.stream_decoder(Endpoint::Chat);
        let mut out = Vec::new();
        for p in parts {
            out.extend(d.feed(p.as_bytes())?);
        }
        out.extend(d.finish()?);
        Ok(out
            .iter()
            .map(|c| serde_json::from_slice(c).unwrap())
            .collect())
    }

    fn sse(events: &[Value]) -> String {
        events
            .iter()
            .map(|e| format!("event: {}\ndata: {e}\n\n", e["type"].as_str().unwrap()))
            .collect()
    }

    #[test]
    fn url_headers_and_key() {
        assert_eq!(
            messages_url("https://api.anthropic.com"),
            "https://api.anthropic.com/v1/messages"
        );
        assert_eq!(messages_url("http://h:1/"), "http://h:1/v1/messages");
        assert_eq!(messages_url("http://h/v1"), "http://h/v1/messages");
        assert_eq!(messages_url("http://h/v1/messages"), "http://h/v1/messages");
        let t = Target {
            base: "http://h",
            api_key: Some("sk-ant-x"),
            token: None,
            model: "claude-3-haiku-20240307",
            uploads: &[],
            params: &crate::providers::NO_PARAMS,
            fetched: None,
        };
        let msgs = br#"{"model":"x","messages":[{"role":"user","content":"hi"}]}"#.to_vec();
        let r = Anthropic.request(Endpoint::Chat, &t, msgs).unwrap();
        assert_eq!(r.url, "http://h/v1/messages");
        assert_eq!(r.headers["x-api-key"], "sk-ant-x");
        assert!(r.headers["x-api-key"].is_sensitive());
        assert_eq!(r.headers["anthropic-version"], API_VERSION);
        assert!(r.headers.get("authorization").is_none());
        let sent: Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(sent["model"], "claude-3-haiku-20240307");
        assert_eq!(sent["max_tokens"], 4096);
        assert!(Anthropic
            .request(Endpoint::Embedding, &t, b"{}".to_vec())
            .is_err());
    }

    #[test]
    fn system_messages_become_blocks_with_cache_control() {
        let b = body(json!({"messages": [
            {"role": "system", "content": "You are terse."},
            {"role": "system", "content": [
                {"type": "text", "text": "Long doc", "cache_control": {"type": "ephemeral"}},
                {"type": "text", "text": ""}]},
            {"role": "developer", "content": "dev rule"},
            {"role": "user", "content": "hi"}]}));
        assert_eq!(
            b["system"],
            json!([
                {"type": "text", "text": "You are terse."},
                {"type": "text", "text": "Long doc", "cache_control": {"type": "ephemeral"}},
                {"type": "text", "text": "dev rule"}])
        );
        assert_eq!(
            b["messages"],
            json!([{"role": "user", "content": [{"type": "text", "text": "hi"}]}])
        );
        let e = refused(json!({"messages": [{"role": "system", "content": "only"}]}));
        assert_eq!(e.kind, Kind::BadRequest);
    }

    #[test]
    fn max_tokens_caller_then_thinking_then_model_default() {
        let m = json!([{"role": "user", "content": "hi"}]);
        assert_eq!(
            body(json!({"messages": m, "max_tokens": 10}))["max_tokens"],
            10
        );
        assert_eq!(
            body(json!({"messages": m, "max_completion_tokens": 12}))["max_tokens"],
            12
        );
        assert_eq!(body(json!({"messages": m}))["max_tokens"], 8192);
        let t = body(json!({"messages": m,
            "thinking": {"type": "enabled", "budget_tokens": 2000}}));
        assert_eq!(t["max_tokens"], 6096);
        assert_eq!(
            t["thinking"],
            json!({"type": "enabled", "budget_tokens": 2000})
        );
        for (model, n) in [
            ("claude-3-haiku-20240307", 4096),
            ("claude-3-7-sonnet-latest", 128_000),
            ("claude-opus-4-1-20250805", 32_000),
            ("claude-sonnet-4-5", 64_000),
            ("some-proxy-model", 4096),
        ] {
            assert_eq!(default_max_tokens(model), n, "{model}");
        }
        assert_eq!(
            refused(json!({"messages": m, "max_tokens": 0})).kind,
            Kind::BadRequest
        );
    }

    #[test]
    fn sampling_stop_user_and_dropped_params() {
        let b = body(json!({"messages": [{"role": "user", "content": "hi"}],
            "stop": "END", "top_k": 5, "temperature": 0.2, "user": "user-123",
            "frequency_penalty": 1, "logit_bias": {"1": 2}, "seed": 3,
            "stream": true, "stream_options": {"include_usage": true}, "n": 1}));
        assert_eq!(b["stop_sequences"], json!(["END"]));
        assert_eq!(
            (b["top_k"].clone(), b["temperature"].clone()),
            (json!(5), json!(0.2))
        );
        assert_eq!(b["metadata"], json!({"user_id": "user-123"}));
        assert_eq!(b["stream"], true);
        for gone in [
            "stop",
            "user",
            "frequency_penalty",
            "logit_bias",
            "seed",
            "stream_options",
            "n",
        ] {
            assert!(b.get(gone).is_none(), "{gone}");
        }
        let b = body(json!({"messages": [{"role": "user", "content": "hi"}],
            "stop": ["a", "b"], "user": "me@example.com"}));
        assert_eq!(b["stop_sequences"], json!(["a", "b"]));
        assert!(b.get("metadata").is_none());
        assert!(!valid_user_id("+1 (555) 123-4567"));
        assert!(valid_user_id("abc-123"));
        assert_eq!(
            refused(json!({"messages": [{"role": "user", "content": "hi"}], "n": 2})).kind,
            Kind::UnsupportedParams
        );
    }

    #[test]
    fn consecutive_roles_merge_and_tool_turns_translate() {
        let b = body(json!({"messages": [
            {"role": "user", "content": "a"},
            {"role": "user", "content": [{"type": "text", "text": "b",
                "cache_control": {"type": "ephemeral"}}]},
            {"role": "assistant", "content": "Let me check. ", "tool_calls": [
                {"id": "toolu_1", "type": "function",
                 "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}},
                {"id": "toolu_2", "type": "function",
                 "function": {"name": "get_time", "arguments": ""}}]},
            {"role": "tool", "tool_call_id": "toolu_1", "content": "sunny"},
            {"role": "tool", "tool_call_id": "toolu_2",
             "content": [{"type": "text", "text": "noon"}]},
            {"role": "user", "content": "thanks"},
            {"role": "assistant", "content": "You're "},
            {"role": "assistant", "content": "welcome.  "}],
            "tools": [{"type": "function", "function": {"name": "get_weather"}}]}));
        assert_eq!(
            b["messages"],
            json!([
                {"role": "user", "content": [
                    {"type": "text", "text": "a"},
                    {"type": "text", "text": "b", "cache_control": {"type": "ephemeral"}}]},
                {"role": "assistant", "content": [
                    {"type": "text", "text": "Let me check. "},
                    {"type": "tool_use", "id": "toolu_1", "name": "get_weather",
                     "input": {"city": "Paris"}},
                    {"type": "tool_use", "id": "toolu_2", "name": "get_time", "input": {}}]},
                {"role": "user", "content": [
                    {"type": "tool_result", "tool_use_id": "toolu_1", "content": "sunny"},
                    {"type": "tool_result", "tool_use_id": "toolu_2",
                     "content": [{"type": "text", "text": "noon"}]},
                    {"type": "text", "text": "thanks"}]},
                {"role": "assistant", "content": [
                    {"type": "text", "text": "You're "},
                    {"type": "text", "text": "welcome."}]}])
        );
        let bad_args = json!({"messages": [{"role": "user", "content": "a"},
            {"role": "assistant", "tool_calls": [{"id": "t", "type": "function",
             "function": {"name": "f", "arguments": "{nope"}}]}]});
        assert_eq!(refused(bad_args).kind, Kind::BadRequest);
        let no_id = json!({"messages": [{"role": "tool", "content": "x"}]});
        assert_eq!(refused(no_id).kind, Kind::BadRequest);
    }

    #[test]
    fn thinking_blocks_go_back_first_and_verbatim() {
        let thinking = json!([
            {"type": "thinking", "thinking": "I should call the tool.", "signature": "EqQBCg=="},
            {"type": "redacted_thinking", "data": "EmwKAhgB"}]);
        let b = body(json!({"messages": [
            {"role": "user", "content": "weather?"},
            {"role": "assistant", "content": null, "thinking_blocks": thinking,
             "tool_calls": [{"id": "toolu_9", "type": "function",
                "function": {"name": "w", "arguments": "{}"}}]},
            {"role": "tool", "tool_call_id": "toolu_9", "content": "rain"}],
            "reasoning_effort": "low",
            "tools": [{"type": "function", "function": {"name": "w"}}]}));
        let content = &b["messages"][1]["content"];
        assert_eq!(content[0], thinking[0]);
        assert_eq!(content[1], thinking[1]);
        assert_eq!(content[2]["type"], "tool_use");
        assert_eq!(
            b["thinking"],
            json!({"type": "enabled", "budget_tokens": 1024})
        );
        assert_eq!(b["max_tokens"], 1024 + 4096);
        for (effort, budget) in [("minimal", 1024), ("medium", 2048), ("high", 4096)] {
            let b = body(json!({"messages": [{"role": "user", "content": "x"}],
                "reasoning_effort": effort}));
            assert_eq!(b["thinking"]["budget_tokens"], budget);
        }
        let b = body(json!({"messages": [{"role": "user", "content": "x"}],
            "reasoning_effort": "none"}));
        assert!(b.get("thinking").is_none());
        let e = refused(json!({"messages": [{"role": "user", "content": "x"}],
            "reasoning_effort": "extreme"}));
        assert_eq!(e.kind, Kind::BadRequest);
    }

    #[test]
    fn tools_and_tool_choice() {
        let tools = json!([
            {"type": "function", "cache_control": {"type": "ephemeral"}, "function": {
                "name": "get_weather", "description": "Get the weather",
                "parameters": {"type": "object", "properties": {"city": {"type": "string"}},
                               "required": ["city"]}}},
            {"type": "function", "function": {"name": "noargs"}},
            {"type": "web_search_20250305", "name": "web_search", "max_uses": 2}]);
        let m = json!([{"role": "user", "content": "x"}]);
        let b = body(json!({"messages": m, "tools": tools, "tool_choice": "auto"}));
        assert_eq!(
            b["tools"],
            json!([
                {"name": "get_weather", "description": "Get the weather",
                 "input_schema": {"type": "object",
                    "properties": {"city": {"type": "string"}}, "required": ["city"]},
                 "cache_control": {"type": "ephemeral"}},
                {"name": "noargs", "input_schema": {"type": "object", "properties": {}}},
                {"type": "web_search_20250305", "name": "web_search", "max_uses": 2}])
        );
        let choice = |c: Value, p: Value| {
            body(json!({"messages": m, "tools": tools, "tool_choice": c,
                "parallel_tool_calls": p}))
            .get("tool_choice")
            .cloned()
        };
        assert_eq!(
            choice(json!("auto"), Value::Null),
            Some(json!({"type": "auto"}))
        );
        assert_eq!(
            choice(json!("required"), Value::Null),
            Some(json!({"type": "any"}))
        );
        assert_eq!(
            choice(json!("none"), json!(false)),
            Some(json!({"type": "none"}))
        );
        assert_eq!(
            choice(
                json!({"type": "function", "function": {"name": "get_weather"}}),
                json!(false)
            ),
            Some(json!({"type": "tool", "name": "get_weather", "disable_parallel_tool_use": true}))
        );
        assert_eq!(
            choice(Value::Null, json!(false)),
            Some(json!({"type": "auto", "disable_parallel_tool_use": true}))
        );
        assert_eq!(choice(Value::Null, Value::Null), None);
    }

    #[test]
    fn images_and_documents() {
        let b = body(json!({"messages": [{"role": "user", "content": [
            {"type": "image_url", "image_url": {"url": "https://x.test/cat.jpg"}},
            {"type": "image_url", "image_url": "data:image/png;base64,iVBORw0KGgo="},
            {"type": "image_url", "image_url": {"url": "data:application/pdf;base64,JVBERi0="},
             "cache_control": {"type": "ephemeral"}},
            {"type": "file", "file": {"file_data": "data:application/pdf;base64,JVBERi0x"}},
            {"type": "file", "file": {"file_id": "file_011", "format": "application/pdf"}},
            {"type": "document", "source": {"type": "text", "media_type": "text/plain",
             "data": "plain"}}]}]}));
        assert_eq!(
            b["messages"][0]["content"],
            json!([
                {"type": "image", "source": {"type": "url", "url": "https://x.test/cat.jpg"}},
                {"type": "image", "source": {"type": "base64", "media_type": "image/png",
                 "data": "iVBORw0KGgo="}},
                {"type": "document", "source": {"type": "base64",
                 "media_type": "application/pdf", "data": "JVBERi0="},
                 "cache_control": {"type": "ephemeral"}},
                {"type": "document", "source": {"type": "base64",
                 "media_type": "application/pdf", "data": "JVBERi0x"}},
                {"type": "document", "source": {"type": "file", "file_id": "file_011"}},
                {"type": "document", "source": {"type": "text", "media_type": "text/plain",
                 "data": "plain"}}])
        );
        let e = refused(json!({"messages": [{"role": "user", "content": [
            {"type": "image_url", "image_url": {"url": "ftp://x"}}]}]}));
        assert_eq!(e.kind, Kind::BadRequest);
        let e = refused(json!({"messages": [{"role": "user", "content": [
            {"type": "input_audio", "input_audio": {}}]}]}));
        assert!(e.message.contains("input_audio"));
    }

    #[test]
    fn file_ids_and_cache_control_on_tool_blocks() {
        let part = |file: Value| {
            let b = body(json!({"messages": [{"role": "user", "content": [
                {"type": "file", "file": file}]}]}));
            b["messages"][0]["content"][0].clone()
        };
        assert_eq!(
            part(json!({"file_id": "https://x.test/a.pdf"})),
            json!({"type": "document", "source": {"type": "url", "url": "https://x.test/a.pdf"}})
        );
        assert_eq!(
            part(json!({"file_id": "file_1", "format": "image/png"})),
            json!({"type": "image", "source": {"type": "file", "file_id": "file_1"}})
        );
        assert_eq!(
            part(json!({"file_id": "file_2"})),
            json!({"type": "container_upload", "file_id": "file_2"})
        );
        let cc = json!({"type": "ephemeral"});
        let b = body(json!({"messages": [
            {"role": "user", "content": "x"},
            {"role": "assistant", "tool_calls": [{"id": "t1", "type": "function",
                "cache_control": cc, "function": {"name": "f", "arguments": "{}"}}]},
            {"role": "tool", "tool_call_id": "t1", "content": "r", "cache_control": cc}]}));
        assert_eq!(b["messages"][1]["content"][0]["cache_control"], cc);
        assert_eq!(b["messages"][2]["content"][0]["cache_control"], cc);
    }

    #[test]
    fn response_format_becomes_a_forced_json_tool() {
        let schema = json!({"type": "object", "properties": {"ok": {"type": "boolean"}},
            "required": ["ok"]});
        let b = body(json!({"messages": [{"role": "user", "content": "x"}],
            "response_format": {"type": "json_schema",
                "json_schema": {"name": "r", "schema": schema}}}));
        assert_eq!(
            b["tools"],
            json!([{"name": JSON_TOOL_NAME, "input_schema": schema}])
        );
        assert_eq!(
            b["tool_choice"],
            json!({"name": JSON_TOOL_NAME, "type": "tool"})
        );
        assert!(b.get("response_format").is_none());
        // With thinking on, the tool is offered but not forced (the API refuses forcing).
        let b = body(json!({"messages": [{"role": "user", "content": "x"}],
            "thinking": {"type": "enabled", "budget_tokens": 1024},
            "response_format": {"type": "json_object"}}));
        assert_eq!(
            b["tools"][0]["input_schema"],
            json!({"type": "object", "additionalProperties": true, "properties": {}})
        );
        assert!(b.get("tool_choice").is_none());
        let b = body(json!({"messages": [{"role": "user", "content": "x"}],
            "response_format": {"type": "text"}}));
        assert!(b.get("tools").is_none());
    }

    fn translate(v: Value) -> Value {
        let out = Anthropic
            .response(Endpoint::Chat, "m", v.to_string().into_bytes())
            .unwrap();
        serde_json::from_slice(&out).unwrap()
    }

    #[test]
    fn response_text_and_usage() {
        // docs.anthropic.com/en/api/messages (example response)
        let r = translate(
            json!({"content": [{"text": "Hi! My name is Claude.", "type": "text"}],
            "id": "msg_013Zva2CMHLNnXjNJJKqJ2EF", "model": "claude-3-7-sonnet-20250219",
            "role": "assistant", "stop_reason": "end_turn", "stop_sequence": null,
            "type": "message", "usage": {"input_tokens": 2095, "output_tokens": 503,
            "cache_creation_input_tokens": 10, "cache_read_input_tokens": 100}}),
        );
        assert_eq!(r["id"], "msg_013Zva2CMHLNnXjNJJKqJ2EF");
        assert_eq!(r["model"], "claude-3-7-sonnet-20250219");
        assert_eq!(
            r["choices"][0]["message"]["content"],
            "Hi! My name is Claude."
        );
        assert_eq!(r["choices"][0]["finish_reason"], "stop");
        assert_eq!(
            r["usage"],
            json!({"prompt_tokens": 2205, "completion_tokens": 503, "total_tokens": 2708,
                "prompt_tokens_details": {"cached_tokens": 100, "cache_creation_tokens": 10},
                "cache_creation_input_tokens": 10, "cache_read_input_tokens": 100})
        );
        for (stop, finish) in [
            ("max_tokens", "length"),
            ("stop_sequence", "stop"),
            ("tool_use", "tool_calls"),
            ("end_turn", "stop"),
        ] {
            let r = translate(json!({"content": [], "stop_reason": stop, "usage": {}}));
            assert_eq!(r["choices"][0]["finish_reason"], finish, "{stop}");
            assert_eq!(r["choices"][0]["message"]["content"], Value::Null);
        }
    }

    #[test]
    fn response_tool_use_and_thinking() {
        let r = translate(
            json!({"id": "msg_01Aq9w938a90dw8q", "model": "claude-opus-4-1",
            "stop_reason": "tool_use", "role": "assistant", "content": [
            {"type": "thinking", "thinking": "Let me analyze this step by step...",
             "signature": "WaUjzkypQ2mUEVM36O2TxuC06KN8xyfbJwyem2dw3URve"},
            {"type": "redacted_thinking", "data": "EmwKAhgBEgy3va3pzix"},
            {"type": "text", "text": "I'll check the current weather in San Francisco for you."},
            {"type": "tool_use", "id": "toolu_01A09q90qw90lq917835lq9", "name": "get_weather",
             "input": {"location": "San Francisco, CA"}}],
            "usage": {"input_tokens": 5, "output_tokens": 7}}),
        );
        let m = &r["choices"][0]["message"];
        assert_eq!(
            m["content"],
            "I'll check the current weather in San Francisco for you."
        );
        assert_eq!(
            m["tool_calls"],
            json!([{"index": 0, "id": "toolu_01A09q90qw90lq917835lq9", "type": "function",
                "function": {"name": "get_weather",
                             "arguments": "{\"location\":\"San Francisco, CA\"}"}}])
        );
        assert_eq!(
            m["reasoning_content"],
            "Let me analyze this step by step..."
        );
        assert_eq!(
            m["thinking_blocks"][0]["signature"],
            "WaUjzkypQ2mUEVM36O2TxuC06KN8xyfbJwyem2dw3URve"
        );
        assert_eq!(
            m["thinking_blocks"][1],
            json!({"type": "redacted_thinking", "data": "EmwKAhgBEgy3va3pzix"})
        );
        assert_eq!(r["choices"][0]["finish_reason"], "tool_calls");
        // JSON mode: the forced tool's input is the content.
        let r = translate(json!({"content": [{"type": "tool_use", "id": "t",
            "name": JSON_TOOL_NAME, "input": {"ok": true}}], "stop_reason": "tool_use",
            "usage": {}}));
        assert_eq!(r["choices"][0]["message"]["content"], "{\"ok\":true}");
        assert!(r["choices"][0]["message"].get("tool_calls").is_none());
        assert_eq!(r["choices"][0]["finish_reason"], "stop");
    }

    #[test]
    fn errors_map_by_type_then_status() {
        // docs.anthropic.com/en/api/errors
        let err = |t: &str| {
            format!(
                r#"{{"type":"error","error":{{"type":"{t}","message":"m"}},"request_id":"req_1"}}"#
            )
        };
        for (status, t, kind) in [
            (400, "invalid_request_error", Kind::BadRequest),
            (401, "authentication_error", Kind::Authentication),
            (403, "permission_error", Kind::PermissionDenied),
            (404, "not_found_error", Kind::NotFound),
            (413, "request_too_large", Kind::BadRequest),
            (429, "rate_limit_error", Kind::RateLimit),
            (500, "api_error", Kind::InternalServer),
            (529, "overloaded_error", Kind::InternalServer),
            (503, "api_error", Kind::ServiceUnavailable),
            (418, "new_error", Kind::Api),
            (408, "api_error", Kind::Timeout),
            (502, "api_error", Kind::BadGateway),
            (503, "api_error", Kind::ServiceUnavailable),
            (504, "api_error", Kind::Timeout),
        ] {
            let e = Anthropic.error(status, err(t).as_bytes());
            assert_eq!(
                (e.kind, e.status, e.message.as_str()),
                (kind, Some(status), "m"),
                "{t}"
            );
        }
        let e = Anthropic.error(529, b"");
        assert_eq!(e.kind, Kind::InternalServer);
        let e = Anthropic
            .response(Endpoint::Chat, "m", err("overloaded_error").into_bytes())
            .unwrap_err();
        assert_eq!((e.kind, e.status), (Kind::InternalServer, Some(529)));
        let e = Anthropic
            .response(Endpoint::Chat, "m", b"{".to_vec())
            .unwrap_err();
        assert_eq!(e.kind, Kind::Api);
    }

    #[test]
    fn stream_text_from_the_documented_example() {
        // docs.anthropic.com/en/api/messages-streaming (basic request)
        let raw = r#"event: message_start
data: {"type": "message_start", "message": {"id": "msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY", "type": "message", "role": "assistant", "content": [], "model": "claude-opus-4-20250514", "stop_reason": null, "stop_sequence": null, "usage": {"input_tokens": 25, "output_tokens": 1}}}

event: content_block_start
data: {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}

event: ping
data: {"type": "ping"}

event: content_block_delta
data: {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hello"}}

event: content_block_delta
data: {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "!"}}

event: content_block_stop
data: {"type": "content_block_stop", "index": 0}

event: brand_new_event
data: {"type": "brand_new_event", "x": 1}

event: message_delta
data: {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence":null}, "usage": {"output_tokens": 15}}

event: message_stop
data: {"type": "message_stop"}

"#;
        let whole = decode(&[raw]).unwrap();
        let texts: Vec<&str> = whole
            .iter()
            .filter_map(|c| c["choices"][0]["delta"]["content"].as_str())
            .collect();
        assert_eq!(texts, ["Hello", "!"]);
        assert!(whole
            .iter()
            .all(|c| c["id"] == "msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY"));
        assert_eq!(whole[2]["choices"][0]["finish_reason"], "stop");
        assert_eq!(whole[3]["choices"], json!([]));
        assert_eq!(whole[3]["usage"]["prompt_tokens"], 25);
        assert_eq!(whole[3]["usage"]["completion_tokens"], 15);
        assert_eq!(whole.len(), 4);
        // Split anywhere, the same chunks come out.
        for cut in (1..raw.len()).step_by(37) {
            if raw.is_char_boundary(cut) {
                let split = decode(&[&raw[..cut], &raw[cut..]]).unwrap();
                assert_eq!(split.len(), whole.len());
                assert_eq!(split[3]["usage"], whole[3]["usage"]);
            }
        }
    }

    #[test]
    fn stream_tool_use_and_thinking() {
        let raw = sse(&[
            json!({"type": "message_start", "message": {"id": "msg_t", "model": "claude-sonnet-4-5",
                "usage": {"input_tokens": 472, "output_tokens": 2, "cache_read_input_tokens": 8}}}),
            json!({"type": "content_block_start", "index": 0,
                "content_block": {"type": "thinking", "thinking": ""}}),
            json!({"type": "content_block_delta", "index": 0,
                "delta": {"type": "thinking_delta", "thinking": "Need the tool."}}),
            json!({"type": "content_block_delta", "index": 0,
                "delta": {"type": "signature_delta", "signature": "EqQBCgIYAhIM"}}),
            json!({"type": "content_block_stop", "index": 0}),
            json!({"type": "content_block_start", "index": 1,
                "content_block": {"type": "redacted_thinking", "data": "EmwK"}}),
            json!({"type": "content_block_stop", "index": 1}),
            json!({"type": "content_block_start", "index": 2, "content_block": {"type": "tool_use",
                "id": "toolu_01T1x1fJ34qAmk2tNTrN7Up6", "name": "get_weather", "input": {}}}),
            json!({"type": "content_block_delta", "index": 2,
                "delta": {"type": "input_json_delta", "partial_json": ""}}),
            json!({"type": "content_block_delta", "index": 2,
                "delta": {"type": "input_json_delta", "partial_json": "{\"location\":"}}),
            json!({"type": "content_block_delta", "index": 2,
                "delta": {"type": "input_json_delta", "partial_json": " \"San Francisco, CA\"}"}}),
            json!({"type": "content_block_stop", "index": 2}),
            json!({"type": "content_block_start", "index": 3, "content_block": {"type": "tool_use",
                "id": "toolu_2", "name": "get_time", "input": {}}}),
            json!({"type": "content_block_stop", "index": 3}),
            json!({"type": "message_delta", "delta": {"stop_reason": "tool_use"},
                "usage": {"output_tokens": 89}}),
            json!({"type": "message_stop"}),
        ]);
        let c = decode(&[&raw]).unwrap();
        let d = |i: usize| c[i]["choices"][0]["delta"].clone();
        assert_eq!(
            d(0),
            json!({"reasoning_content": "Need the tool.",
            "thinking_blocks": [{"type": "thinking", "thinking": "Need the tool."}]})
        );
        assert_eq!(
            d(1),
            json!({"thinking_blocks": [{"type": "thinking", "thinking": "",
            "signature": "EqQBCgIYAhIM"}]})
        );
        assert_eq!(
            d(2),
            json!({"thinking_blocks": [{"type": "redacted_thinking", "data": "EmwK"}]})
        );
        assert_eq!(
            d(3),
            json!({"tool_calls": [{"index": 0, "id": "toolu_01T1x1fJ34qAmk2tNTrN7Up6",
            "type": "function", "function": {"name": "get_weather", "arguments": ""}}]})
        );
        assert_eq!(
            d(4),
            json!({"tool_calls": [{"index": 0,
            "function": {"arguments": "{\"location\":"}}]})
        );
        assert_eq!(
            d(5)["tool_calls"][0]["function"]["arguments"],
            " \"San Francisco, CA\"}"
        );
        assert_eq!(d(6)["tool_calls"][0]["index"], 1);
        assert_eq!(d(6)["tool_calls"][0]["id"], "toolu_2");
        assert_eq!(
            d(7),
            json!({"tool_calls": [{"index": 1, "function": {"arguments": "{}"}}]})
        );
        assert_eq!(c[8]["choices"][0]["finish_reason"], "tool_calls");
        assert_eq!(c[9]["usage"]["prompt_tokens"], 480);
        assert_eq!(c[9]["usage"]["prompt_tokens_details"]["cached_tokens"], 8);
        assert_eq!(c[9]["usage"]["completion_tokens"], 89);
        assert_eq!(c.len(), 10);
    }

    #[test]
    fn stream_json_mode_streams_content() {
        let raw = sse(&[
            json!({"type": "message_start", "message": {"id": "m", "usage": {"input_tokens": 1}}}),
            json!({"type": "content_block_start", "index": 0, "content_block": {"type": "tool_use",
                "id": "t", "name": JSON_TOOL_NAME, "input": {}}}),
            json!({"type": "content_block_delta", "index": 0,
                "delta": {"type": "input_json_delta", "partial_json": "{\"ok\":"}}),
            json!({"type": "content_block_delta", "index": 0,
                "delta": {"type": "input_json_delta", "partial_json": " true}"}}),
            json!({"type": "content_block_stop", "index": 0}),
            json!({"type": "message_delta", "delta": {"stop_reason": "tool_use"}, "usage": {}}),
        ]);
        let c = decode(&[&raw]).unwrap();
        let text: String = c
            .iter()
            .filter_map(|c| c["choices"][0]["delta"]["content"].as_str())
            .collect();
        assert_eq!(text, "{\"ok\": true}");
        assert!(c
            .iter()
            .all(|c| c["choices"][0]["delta"].get("tool_calls").is_none()));
        assert_eq!(c[2]["choices"][0]["finish_reason"], "stop");
    }

    #[test]
    fn stream_error_event_comes_after_earlier_chunks() {
        let raw = sse(&[
            json!({"type": "message_start", "message": {"id": "m", "usage": {}}}),
            json!({"type": "content_block_delta", "index": 0,
                "delta": {"type": "text_delta", "text": "partial"}}),
            json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}),
        ]);
        let mut d = Anthropic.stream_decoder(Endpoint::Chat);
        let first = d.feed(raw.as_bytes()).unwrap();
        assert_eq!(first.len(), 1);
        assert!(!d.done());
        let e = d.finish().unwrap_err();
        assert_eq!((e.kind, e.status), (Kind::InternalServer, Some(529)));
        assert_eq!(e.message, "Overloaded");
        let e = decode(&["event: error\ndata: {\"type\": \"error\", \"error\": {\"type\": \"api_error\", \"message\": \"boom\"}}\n\n"]).unwrap_err();
        assert_eq!((e.kind, e.status), (Kind::InternalServer, Some(500)));
        assert_eq!(decode(&["data: {nope\n\n"]).unwrap_err().kind, Kind::Api);
    }

    #[test]
    fn prompt_too_long_is_context_window_exceeded() {
        // docs.anthropic.com/en/api/errors: the overflow is an invalid_request_error.
        let err = |m: &str| {
            let raw =
                json!({"type": "error", "error": {"type": "invalid_request_error", "message": m}});
            error_object(400, &raw, raw.to_string().as_bytes())
        };
        let e = err("prompt is too long: 208310 tokens > 200000 maximum");
        assert_eq!((e.kind, e.status), (Kind::ContextWindowExceeded, Some(400)));
        assert_eq!(
            err("messages: the prompt is too long: 5 > 4").kind,
            Kind::BadRequest
        );
        assert_eq!(
            err("max_tokens: 9 > 8, which is the maximum").kind,
            Kind::BadRequest
        );
    }
}
