//! Ollama's native API (docs.ollama.com/api): `POST /api/chat`,
//! `POST /api/generate` and `POST /api/embed`, translated to and from the
//! OpenAI shapes.
//!
//! As in litellm, `ollama_chat/<model>` uses `/api/chat` (messages, tools,
//! images per message) and `ollama/<model>` uses `/api/generate`, with the
//! messages flattened into one prompt by litellm's `ollama_pt` template
//! (`### User:` / `### System:` / `### Assistant:` blocks) and the images of
//! every message collected. Tool calling needs `/api/chat`.
//!
//! Request: `max_tokens`/`max_completion_tokens` → `options.num_predict`;
//! `temperature`, `top_p`, `seed`, `stop`, `presence_penalty`,
//! `frequency_penalty` → `options`; `response_format` → `format` (`"json"`
//! or the JSON schema); `reasoning_effort` → `think`; `format`, `think`,
//! `keep_alive`, `tools` pass through; an `options` dict and any other
//! keyword (Ollama's own option names: `num_ctx`, `top_k`,
//! `repeat_penalty`, `min_p`, …) go into `options`. OpenAI parameters Ollama
//! has no use for (`tool_choice`, `user`, `logprobs`, …) are not sent.
//! Non-streamed calls send `"stream": false` (Ollama streams by default).
//!
//! Response: `message.content` (or `response`) → `content`,
//! `message.thinking` (or `thinking`) → `reasoning_content`, tool calls
//! (whole, with `arguments` as an object) → OpenAI tool calls with
//! `arguments` as a JSON string and a synthesized id stable for the same
//! response, `done_reason` → `finish_reason` (`tool_calls` when the model
//! called tools), `prompt_eval_count`/`eval_count` → `usage`. Streams are
//! NDJSON: one object per line, the last with `done: true`.

use std::collections::HashMap;
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::body::{parse_body, parse_event, raw_message};
use super::framed::{Framed, Translate};
use super::openai::fnv1a;
use super::{unsupported, Endpoint, Provider, StreamDecoder, Target};
use crate::error::{Error, Kind};
use crate::http::HttpRequest;
use crate::ndjson;

/// Which Ollama endpoint chat requests use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Api {
    /// `/api/chat` (litellm's `ollama_chat/`).
    Chat,
    /// `/api/generate` (litellm's `ollama/`).
    Generate,
}

/// The Ollama adapter for one chat endpoint.
pub struct Ollama {
    api: Api,
}

/// `ollama_chat/<model>`: `/api/chat`.
pub const CHAT: Ollama = Ollama { api: Api::Chat };
/// `ollama/<model>`: `/api/generate`.
pub const GENERATE: Ollama = Ollama { api: Api::Generate };

/// OpenAI parameters sent as an Ollama option of another name or as is.
const OPTIONS: &[(&str, &str)] = &[
    ("max_tokens", "num_predict"),
    ("max_completion_tokens", "num_predict"),
    ("temperature", "temperature"),
    ("top_p", "top_p"),
    ("seed", "seed"),
    ("presence_penalty", "presence_penalty"),
    ("frequency_penalty", "frequency_penalty"),
];

/// OpenAI parameters Ollama has no counterpart for: not sent (litellm drops
/// `tool_choice` too: it makes Ollama hang).
const NOT_SENT: &[&str] = &[
    "tool_choice",
    "parallel_tool_calls",
    "stream_options",
    "user",
    "logit_bias",
    "logprobs",
    "top_logprobs",
    "functions",
    "function_call",
    "service_tier",
    "store",
    "modalities",
    "prediction",
    "audio",
    "web_search_options",
    "verbosity",
    "prompt_cache_key",
    "safety_identifier",
    "encoding_format",
];

impl Provider for Ollama {
    fn request(
        &self,
        endpoint: Endpoint,
        target: &Target,
        body: Vec<u8>,
    ) -> Result<HttpRequest, Error> {
        let req: Map<String, Value> = serde_json::from_slice(&body).map_err(|e| {
            Error::new(
                Kind::BadRequest,
                format!("the request body is not a JSON object ({e})"),
            )
        })?;
        let (path, out) = match (endpoint, self.api) {
            (Endpoint::Embedding, _) => ("/api/embed", embed_request(req)),
            (Endpoint::Chat, Api::Chat) => ("/api/chat", chat_request(req, self.api)?),
            (Endpoint::Chat, Api::Generate) => ("/api/generate", chat_request(req, self.api)?),
            (other, _) => return Err(unsupported(other, "ollama")),
        };
        let body =
            serde_json::to_vec(&out).map_err(|e| Error::new(Kind::BadRequest, e.to_string()))?;
        let url = format!("{}{path}", target.base.trim_end_matches('/'));
        let mut http = HttpRequest::post_json(url, Bytes::from(body));
        // ollama.com's hosted API takes a bearer key; a local server needs none.
        if let Some(key) = target.api_key {
            http.bearer(key)?;
        }
        Ok(http)
    }

    fn response(&self, endpoint: Endpoint, _model: &str, body: Vec<u8>) -> Result<Vec<u8>, Error> {
        let out = match endpoint {
            Endpoint::Chat => {
                let r: Reply = parse_body(&body)?;
                if let Some(err) = &r.error {
                    return Err(in_body_error(err, &body));
                }
                completion(&r)
            }
            Endpoint::Embedding => {
                let r: EmbedReply = parse_body(&body)?;
                if let Some(err) = &r.error {
                    return Err(in_body_error(err, &body));
                }
                embeddings(r)
            }
            other => return Err(unsupported(other, "ollama")),
        };
        serde_json::to_vec(&out).map_err(|e| Error::new(Kind::Api, e.to_string()))
    }

    fn stream_decoder(&self, _endpoint: Endpoint) -> Box<dyn StreamDecoder> {
        Framed::boxed(Chunks::default())
    }

    /// Ollama answers errors as `{"error": "<message>"}`; the class follows
    /// the status (404 for an unknown model, 400 for a bad request, …).
    fn error(&self, status: u16, body: &[u8]) -> Error {
        let message = match serde_json::from_slice::<ErrorBody>(body) {
            Ok(ErrorBody { error: Some(e) }) => error_text(&e),
            _ => raw_message(status, body),
        };
        Error::http(Kind::from_status(status), status, message, body)
    }

    fn unreachable(&self, base: &str, mut err: Error) -> Error {
        err.message = format!(
            "the Ollama server is not reachable at {base}: start it with `ollama serve`, or pass \
             api_base=... / set OLLAMA_API_BASE to where it runs ({})",
            err.message
        );
        err
    }
}

// -- requests ----------------------------------------------------------------

fn bad(message: impl Into<String>) -> Error {
    Error::new(Kind::BadRequest, message)
}

/// The `/api/chat` or `/api/generate` body for an OpenAI chat request.
fn chat_request(mut req: Map<String, Value>, api: Api) -> Result<Map<String, Value>, Error> {
    let model = req.remove("model").unwrap_or(Value::Null);
    let mut out = Map::new();
    out.insert("model".into(), model.clone());
    let stream = req
        .remove("stream")
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    out.insert("stream".into(), Value::Bool(stream));
    let messages = match req.remove("messages") {
        Some(Value::Array(m)) => m,
        _ => return Err(bad("messages must be a list")),
    };
    match api {
        Api::Chat => {
            out.insert("messages".into(), Value::Array(chat_messages(&messages)?));
        }
        Api::Generate => {
            if req
                .get("tools")
                .is_some_and(|t| t.as_array().is_some_and(|a| !a.is_empty()))
            {
                return Err(bad(
                    "ollama/ uses Ollama's /api/generate, which has no tool calling: use the \
                     ollama_chat/ prefix (/api/chat) for tools",
                ));
            }
            req.remove("tools");
            let (prompt, images) = generate_prompt(&messages)?;
            out.insert("prompt".into(), Value::String(prompt));
            if !images.is_empty() {
                out.insert("images".into(), json!(images));
            }
        }
    }
    let mut options = match req.remove("options") {
        Some(Value::Object(o)) => o,
        None | Some(Value::Null) => Map::new(),
        Some(_) => return Err(bad("options must be a dict of Ollama options")),
    };
    let model_id = model.as_str().unwrap_or_default();
    // Explicit `format` / `think` win over ones derived from OpenAI parameters.
    let mut derived = Map::new();
    for (k, v) in req {
        match k.as_str() {
            "tools" | "format" | "keep_alive" | "think" => {
                out.insert(k, v);
            }
            "response_format" => {
                if let Some(f) = format_for(&v) {
                    derived.insert("format".into(), f);
                }
            }
            "reasoning_effort" => {
                derived.insert("think".into(), think_for(model_id, &v));
            }
            "stop" => {
                let stop = if v.is_string() { json!([v]) } else { v };
                options.entry("stop").or_insert(stop);
            }
            "n" => {
                if v.as_u64().is_some_and(|n| n > 1) {
                    return Err(Error::new(
                        Kind::UnsupportedParams,
                        "Ollama returns one choice per request: n must be 1",
                    ));
                }
            }
            _ if NOT_SENT.contains(&k.as_str()) => {}
            _ => {
                let name = OPTIONS
                    .iter()
                    .find(|(openai, _)| *openai == k)
                    .map_or(k.as_str(), |(_, ollama)| *ollama);
                options.entry(name).or_insert(v);
            }
        }
    }
    for (k, v) in derived {
        out.entry(k).or_insert(v);
    }
    if !options.is_empty() {
        out.insert("options".into(), Value::Object(options));
    }
    Ok(out)
}

/// The `/api/embed` body: `input` (a string or a list) is sent as is.
fn embed_request(mut req: Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    let mut options = match req.remove("options") {
        Some(Value::Object(o)) => o,
        _ => Map::new(),
    };
    for (k, v) in req {
        match k.as_str() {
            "model" | "input" | "truncate" | "keep_alive" | "dimensions" => {
                out.insert(k, v);
            }
            _ if NOT_SENT.contains(&k.as_str()) => {}
            _ => {
                options.entry(k).or_insert(v);
            }
        }
    }
    if !options.is_empty() {
        out.insert("options".into(), Value::Object(options));
    }
    out
}

/// `response_format` → Ollama's `format`: `"json"` for `json_object`, the
/// schema itself for `json_schema` (litellm's mapping).
fn format_for(rf: &Value) -> Option<Value> {
    match rf.get("type").and_then(Value::as_str) {
        Some("json_object") => Some(Value::from("json")),
        Some("json_schema") => rf.get("json_schema").and_then(|s| s.get("schema")).cloned(),
        _ => None,
    }
}

/// `reasoning_effort` → `think` (litellm's rule): gpt-oss models take the
/// level itself, others think for `low`/`medium`/`high` and not otherwise.
fn think_for(model: &str, effort: &Value) -> Value {
    let level = effort.as_str().unwrap_or_default();
    if model.starts_with("gpt-oss") {
        return effort.clone();
    }
    Value::Bool(matches!(level, "low" | "medium" | "high"))
}

/// The text of an OpenAI `content` (string, or parts whose text is
/// concatenated) and its images as Ollama wants them: bare base64.
fn content_parts(content: Option<&Value>) -> Result<(String, Vec<String>), Error> {
    let mut text = String::new();
    let mut images = Vec::new();
    match content {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) => text.push_str(s),
        Some(Value::Array(parts)) => {
            for part in parts {
                match part.get("type").and_then(Value::as_str) {
                    Some("text") => {
                        text.push_str(part.get("text").and_then(Value::as_str).unwrap_or_default())
                    }
                    Some("image_url") => {
                        let url = part.get("image_url").map(|u| u.get("url").unwrap_or(u));
                        images.push(image_base64(
                            url.and_then(Value::as_str).unwrap_or_default(),
                        )?);
                    }
                    _ => {}
                }
            }
        }
        Some(other) => return Err(bad(format!("unsupported message content {other}"))),
    }
    Ok((text, images))
}

/// A `data:` URL's base64 payload, or a bare base64 string as is. Ollama
/// cannot fetch URLs and we do not download on the caller's behalf.
fn image_base64(url: &str) -> Result<String, Error> {
    if let Some(rest) = url.strip_prefix("data:") {
        return rest
            .split_once(";base64,")
            .map(|(_, b64)| b64.to_owned())
            .ok_or_else(|| bad("an image data URL must be base64 (data:<type>;base64,...)"));
    }
    if url.starts_with("http://") || url.starts_with("https://") {
        return Err(bad(
            "Ollama takes images as base64: pass a data:image/...;base64,... URL instead of an http(s) URL",
        ));
    }
    Ok(url.to_owned())
}

/// A tool call's `arguments` (a JSON string in OpenAI's shape) as the
/// object Ollama wants.
fn arguments_object(args: Option<&Value>) -> Result<Value, Error> {
    match args {
        None | Some(Value::Null) => Ok(json!({})),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(json!({})),
        Some(Value::String(s)) => serde_json::from_str(s)
            .map_err(|e| bad(format!("tool call arguments are not valid JSON ({e}): {s}"))),
        Some(v) => Ok(v.clone()),
    }
}

fn role_of(m: &Value) -> &str {
    match m.get("role").and_then(Value::as_str).unwrap_or("user") {
        "developer" => "system",
        "function" => "tool",
        r => r,
    }
}

/// OpenAI messages → `/api/chat` messages: `images` per message, tool
/// calls with object arguments, `reasoning_content` → `thinking`, tool
/// results named by `tool_name` (looked up from `tool_call_id`).
fn chat_messages(messages: &[Value]) -> Result<Vec<Value>, Error> {
    let mut tool_names: HashMap<String, String> = HashMap::new();
    let mut out = Vec::with_capacity(messages.len());
    for m in messages {
        let role = role_of(m);
        let (text, images) = content_parts(m.get("content"))?;
        let mut o = Map::new();
        o.insert("role".into(), Value::from(role));
        o.insert("content".into(), Value::String(text));
        if !images.is_empty() {
            o.insert("images".into(), json!(images));
        }
        if let Some(thinking) = m.get("reasoning_content").filter(|v| v.is_string()) {
            o.insert("thinking".into(), thinking.clone());
        }
        if let Some(Value::Array(calls)) = m.get("tool_calls") {
            let mut converted = Vec::with_capacity(calls.len());
            for call in calls {
                let f = call.get("function").unwrap_or(&Value::Null);
                let name = f.get("name").and_then(Value::as_str).unwrap_or_default();
                if let Some(id) = call.get("id").and_then(Value::as_str) {
                    tool_names.insert(id.to_owned(), name.to_owned());
                }
                let args = arguments_object(f.get("arguments"))?;
                converted.push(json!({"function": {"name": name, "arguments": args}}));
            }
            o.insert("tool_calls".into(), Value::Array(converted));
        }
        if role == "tool" {
            let name = m.get("name").and_then(Value::as_str).or_else(|| {
                m.get("tool_call_id")
                    .and_then(Value::as_str)
                    .and_then(|id| tool_names.get(id).map(String::as_str))
            });
            if let Some(name) = name {
                o.insert("tool_name".into(), Value::from(name));
            }
        }
        out.push(Value::Object(o));
    }
    Ok(out)
}

/// A tool call as litellm's `ollama_pt` writes it into the prompt.
#[derive(Serialize)]
struct PromptToolCall<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    function: PromptFunction<'a>,
}

#[derive(Serialize)]
struct PromptFunction<'a> {
    name: &'a str,
    arguments: Value,
}

/// litellm's `ollama_pt`: consecutive user/tool messages, system messages and
/// assistant messages each merge into one `### User:`, `### System:` or
/// `### Assistant:` block (assistant tool calls appended as `Tool Calls:`
/// and indented JSON); images are collected from every message.
fn generate_prompt(messages: &[Value]) -> Result<(String, Vec<String>), Error> {
    #[derive(PartialEq, Clone, Copy)]
    enum Block {
        User,
        System,
        Assistant,
    }
    let mut prompt = String::new();
    let mut images = Vec::new();
    let mut current: Option<(Block, String)> = None;
    let flush = |prompt: &mut String, block: Option<(Block, String)>| {
        if let Some((kind, text)) = block.filter(|(_, t)| !t.is_empty()) {
            let head = match kind {
                Block::User => "### User:",
                Block::System => "### System:",
                Block::Assistant => "### Assistant:",
            };
            prompt.push_str(&format!("{head}\n{text}\n\n"));
        }
    };
    for m in messages {
        let kind = match role_of(m) {
            "system" => Block::System,
            "assistant" => Block::Assistant,
            _ => Block::User,
        };
        let (mut text, imgs) = content_parts(m.get("content"))?;
        images.extend(imgs);
        if let Some(Value::Array(calls)) = m.get("tool_calls").filter(|_| kind == Block::Assistant)
        {
            let mut listed = Vec::with_capacity(calls.len());
            for call in calls {
                let f = call.get("function").unwrap_or(&Value::Null);
                listed.push(PromptToolCall {
                    id: call.get("id").and_then(Value::as_str).unwrap_or_default(),
                    kind: "function",
                    function: PromptFunction {
                        name: f.get("name").and_then(Value::as_str).unwrap_or_default(),
                        arguments: arguments_object(f.get("arguments"))?,
                    },
                });
            }
            if !listed.is_empty() {
                let dumped =
                    serde_json::to_string_pretty(&listed).map_err(|e| bad(e.to_string()))?;
                text.push_str(&format!("Tool Calls: {dumped}"));
            }
        }
        match &mut current {
            Some((k, acc)) if *k == kind => acc.push_str(&text),
            _ => {
                flush(&mut prompt, current.take());
                current = Some((kind, text));
            }
        }
    }
    flush(&mut prompt, current);
    Ok((prompt, images))
}

// -- responses ---------------------------------------------------------------

/// One `/api/chat` or `/api/generate` object (a whole response or a stream line).
#[derive(Deserialize, Default)]
struct Reply {
    #[serde(default)]
    model: String,
    #[serde(default)]
    created_at: String,
    #[serde(default)]
    message: Option<ReplyMessage>,
    /// `/api/generate`'s text.
    #[serde(default)]
    response: Option<String>,
    /// `/api/generate`'s reasoning.
    #[serde(default)]
    thinking: Option<String>,
    #[serde(default)]
    done: bool,
    #[serde(default)]
    done_reason: Option<String>,
    #[serde(default)]
    prompt_eval_count: Option<u64>,
    #[serde(default)]
    eval_count: Option<u64>,
    #[serde(default)]
    error: Option<Value>,
}

#[derive(Deserialize, Default)]
struct ReplyMessage {
    #[serde(default)]
    content: Option<String>,
    #[serde(default)]
    thinking: Option<String>,
    #[serde(default)]
    tool_calls: Option<Vec<ReplyToolCall>>,
}

#[derive(Deserialize)]
struct ReplyToolCall {
    #[serde(default)]
    id: Option<String>,
    function: ReplyFunction,
}

#[derive(Deserialize)]
struct ReplyFunction {
    name: String,
    #[serde(default)]
    arguments: Value,
}

#[derive(Deserialize)]
struct EmbedReply {
    #[serde(default)]
    model: String,
    #[serde(default)]
    embeddings: Vec<Value>,
    #[serde(default)]
    prompt_eval_count: Option<u64>,
    #[serde(default)]
    error: Option<Value>,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    error: Option<Value>,
}

fn error_text(err: &Value) -> String {
    match err {
        Value::String(s) => s.clone(),
        other => other
            .get("message")
            .and_then(Value::as_str)
            .map_or_else(|| other.to_string(), str::to_owned),
    }
}

/// An `error` inside a 200 body or a stream line: no status says more.
fn in_body_error(err: &Value, body: &[u8]) -> Error {
    Error::http(Kind::InternalServer, 500, error_text(err), body)
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// A fresh response id (not cryptographic: a hash keyed afresh per call).
fn response_id() -> String {
    use std::hash::BuildHasher;
    let bits = std::collections::hash_map::RandomState::new().hash_one(now());
    format!("chatcmpl-{bits:016x}")
}

/// OpenAI tool calls for Ollama's: `arguments` serialized to a JSON string,
/// the id Ollama sent or one derived from the response's `created_at`, the
/// call's position, name and arguments (the same response gives the same id).
fn tool_calls(calls: &[ReplyToolCall], created_at: &str, first_index: usize) -> Vec<Value> {
    calls
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let index = first_index + i;
            let arguments = match &c.function.arguments {
                Value::String(s) => s.clone(),
                Value::Null => "{}".to_owned(),
                v => v.to_string(),
            };
            let id = c.id.clone().unwrap_or_else(|| {
                let seed = format!("{created_at}\0{index}\0{}\0{arguments}", c.function.name);
                format!("call_{:016x}", fnv1a(seed.as_bytes()))
            });
            json!({
                "index": index,
                "id": id,
                "type": "function",
                "function": {"name": c.function.name, "arguments": arguments},
            })
        })
        .collect()
}

fn finish_reason(done_reason: Option<&str>, called_tools: bool) -> &'static str {
    match done_reason {
        Some("length") => "length",
        _ if called_tools => "tool_calls",
        _ => "stop",
    }
}

fn usage(r: &Reply) -> Value {
    let (p, c) = (r.prompt_eval_count.unwrap_or(0), r.eval_count.unwrap_or(0));
    json!({"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c})
}

/// Text and reasoning of a reply, from `/api/chat`'s `message` or
/// `/api/generate`'s top level.
fn text_of(r: &Reply) -> (Option<&str>, Option<&str>) {
    match &r.message {
        Some(m) => (m.content.as_deref(), m.thinking.as_deref()),
        None => (r.response.as_deref(), r.thinking.as_deref()),
    }
}

/// A whole response → an OpenAI `chat.completion`.
fn completion(r: &Reply) -> Value {
    let (content, thinking) = text_of(r);
    let calls = r
        .message
        .as_ref()
        .and_then(|m| m.tool_calls.as_deref())
        .unwrap_or_default();
    let mut message = Map::new();
    message.insert("role".into(), Value::from("assistant"));
    let content = content.filter(|c| !c.is_empty() || calls.is_empty());
    message.insert("content".into(), content.map_or(Value::Null, Value::from));
    if let Some(t) = thinking.filter(|t| !t.is_empty()) {
        message.insert("reasoning_content".into(), Value::from(t));
    }
    if !calls.is_empty() {
        let mut listed = tool_calls(calls, &r.created_at, 0);
        for c in &mut listed {
            if let Some(o) = c.as_object_mut() {
                o.remove("index");
            }
        }
        message.insert("tool_calls".into(), Value::Array(listed));
    }
    json!({
        "id": response_id(),
        "object": "chat.completion",
        "created": now(),
        "model": r.model,
        "choices": [{
            "index": 0,
            "message": message,
            "finish_reason": finish_reason(r.done_reason.as_deref(), !calls.is_empty()),
        }],
        "usage": usage(r),
    })
}

/// `/api/embed`'s answer → an OpenAI embeddings list.
fn embeddings(r: EmbedReply) -> Value {
    let data: Vec<Value> = r
        .embeddings
        .into_iter()
        .enumerate()
        .map(|(i, e)| json!({"object": "embedding", "index": i, "embedding": e}))
        .collect();
    let tokens = r.prompt_eval_count.unwrap_or(0);
    json!({
        "object": "list",
        "data": data,
        "model": r.model,
        "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
    })
}

/// NDJSON lines → OpenAI `chat.completion.chunk`s. The `done: true` line
/// gives the chunk with `finish_reason`, then a usage chunk (`choices: []`)
/// as OpenAI sends with `include_usage`; an `error` line raises after the
/// chunks before it.
#[derive(Default)]
struct Chunks {
    id: String,
    created: u64,
    /// Tool calls emitted so far (the next one's `index`).
    tool_calls: usize,
    started: bool,
    done: bool,
}

impl Translate for Chunks {
    type Framing = ndjson::Decoder;

    fn decode(&mut self, lines: Vec<Vec<u8>>, out: &mut Vec<Vec<u8>>) -> Result<(), Error> {
        for line in lines {
            if self.done {
                break;
            }
            let r: Reply = parse_event(&String::from_utf8_lossy(&line))?;
            if let Some(err) = &r.error {
                return Err(in_body_error(err, &line));
            }
            for chunk in self.chunks(&r) {
                out.push(
                    serde_json::to_vec(&chunk).map_err(|e| Error::new(Kind::Api, e.to_string()))?,
                );
            }
        }
        Ok(())
    }

    fn done(&self) -> bool {
        self.done
    }
}

impl Chunks {
    fn chunks(&mut self, r: &Reply) -> Vec<Value> {
        let mut delta = Map::new();
        if !self.started {
            self.started = true;
            self.id = response_id();
            self.created = now();
            delta.insert("role".into(), Value::from("assistant"));
        }
        let (content, thinking) = text_of(r);
        if let Some(c) = content.filter(|c| !c.is_empty()) {
            delta.insert("content".into(), Value::from(c));
        }
        if let Some(t) = thinking.filter(|t| !t.is_empty()) {
            delta.insert("reasoning_content".into(), Value::from(t));
        }
        let calls = r
            .message
            .as_ref()
            .and_then(|m| m.tool_calls.as_deref())
            .unwrap_or_default();
        if !calls.is_empty() {
            delta.insert(
                "tool_calls".into(),
                Value::Array(tool_calls(calls, &r.created_at, self.tool_calls)),
            );
            self.tool_calls += calls.len();
        }
        let head = |choices: Value| {
            json!({
                "id": self.id,
                "object": "chat.completion.chunk",
                "created": self.created,
                "model": r.model,
                "choices": choices,
            })
        };
        let finish = r
            .done
            .then(|| finish_reason(r.done_reason.as_deref(), self.tool_calls > 0));
        let mut out = vec![head(
            json!([{"index": 0, "delta": delta, "finish_reason": finish}]),
        )];
        if r.done {
            self.done = true;
            let mut last = head(json!([]));
            if let Some(o) = last.as_object_mut() {
                o.insert("usage".into(), usage(r));
            }
            out.push(last);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target() -> Target<'static> {
        Target {
            base: "http://localhost:11434/",
            api_key: None,
            token: None,
            model: "llama3.2",
            uploads: &[],
            params: &crate::providers::NO_PARAMS,
            fetched: None,
        }
    }

    fn sent(adapter: &Ollama, endpoint: Endpoint, body: Value) -> (String, Value) {
        let r = adapter
            .request(endpoint, &target(), serde_json::to_vec(&body).unwrap())
            .unwrap();
        (r.url, serde_json::from_slice(&r.body).unwrap())
    }

    fn decode(body: &[u8]) -> Result<Vec<Value>, Error> {
        let mut d = CHAT.stream_decoder(Endpoint::Chat);
        let mut out = d.feed(body)?;
        out.extend(d.finish()?);
        Ok(out
            .iter()
            .map(|c| serde_json::from_slice(c).unwrap())
            .collect())
    }

    #[test]
    fn chat_request_maps_parameters() {
        let (url, body) = sent(
            &CHAT,
            Endpoint::Chat,
            json!({"model": "llama3.2", "messages": [{"role": "developer", "content": "x"}],
                   "max_completion_tokens": 5, "stop": "s", "num_ctx": 8192, "tool_choice": "auto",
                   "options": {"num_predict": 9}, "response_format": {"type": "json_object"},
                   "format": {"type": "object"}, "keep_alive": -1}),
        );
        assert_eq!(url, "http://localhost:11434/api/chat");
        assert_eq!(
            body,
            json!({"model": "llama3.2", "stream": false,
                   "messages": [{"role": "system", "content": "x"}],
                   "format": {"type": "object"}, "keep_alive": -1,
                   "options": {"num_predict": 9, "stop": ["s"], "num_ctx": 8192}})
        );
        let e = CHAT
            .request(
                Endpoint::Chat,
                &target(),
                br#"{"model":"m","messages":[],"n":2}"#.to_vec(),
            )
            .unwrap_err();
        assert_eq!(e.kind, Kind::UnsupportedParams);
    }

    #[test]
    fn generate_prompt_follows_litellm_ollama_pt() {
        let messages = json!([
            {"role": "user", "content": "a"},
            {"role": "tool", "content": "b"},
            {"role": "assistant", "content": "c", "tool_calls": [{"id": "t1", "type": "function",
                "function": {"name": "f", "arguments": "{\"x\":1}"}}]},
            {"role": "system", "content": "s"},
        ]);
        let (prompt, images) = generate_prompt(messages.as_array().unwrap()).unwrap();
        assert_eq!(
            prompt,
            "### User:\nab\n\n### Assistant:\ncTool Calls: [\n  {\n    \"id\": \"t1\",\n    \"type\": \"function\",\n    \"function\": {\n      \"name\": \"f\",\n      \"arguments\": {\n        \"x\": 1\n      }\n    }\n  }\n]\n\n### System:\ns\n\n"
        );
        assert!(images.is_empty());
        let (url, body) = sent(
            &GENERATE,
            Endpoint::Chat,
            json!({"model": "gpt-oss:20b", "messages": [{"role": "user", "content": "q"}],
                   "reasoning_effort": "low", "stream": true}),
        );
        assert_eq!(url, "http://localhost:11434/api/generate");
        assert_eq!(
            body,
            json!({"model": "gpt-oss:20b", "prompt": "### User:\nq\n\n", "stream": true, "think": "low"})
        );
    }

    #[test]
    fn whole_chat_response_with_tool_call_and_thinking() {
        // docs.ollama.com/api/chat: a response with tools
        let body = br#"{"model":"llama3.2","created_at":"2025-07-07T20:22:19.184789Z",
            "message":{"role":"assistant","content":"","thinking":"need weather",
            "tool_calls":[{"function":{"name":"get_weather","arguments":{"city":"Tokyo"}}}]},
            "done_reason":"stop","done":true,"total_duration":3244883583,
            "prompt_eval_count":169,"eval_count":17}"#;
        let out: Value =
            serde_json::from_slice(&CHAT.response(Endpoint::Chat, "m", body.to_vec()).unwrap())
                .unwrap();
        let choice = &out["choices"][0];
        assert_eq!(choice["finish_reason"], "tool_calls");
        assert_eq!(choice["message"]["content"], Value::Null);
        assert_eq!(choice["message"]["reasoning_content"], "need weather");
        let call = &choice["message"]["tool_calls"][0];
        assert_eq!(
            call["function"],
            json!({"name": "get_weather", "arguments": "{\"city\":\"Tokyo\"}"})
        );
        assert!(call["id"].as_str().unwrap().starts_with("call_"));
        assert!(call.get("index").is_none());
        assert_eq!(
            out["usage"],
            json!({"prompt_tokens": 169, "completion_tokens": 17, "total_tokens": 186})
        );
        assert_eq!(out["model"], "llama3.2");
        let again: Value =
            serde_json::from_slice(&CHAT.response(Endpoint::Chat, "m", body.to_vec()).unwrap())
                .unwrap();
        assert_eq!(
            again["choices"][0]["message"]["tool_calls"][0]["id"],
            call["id"]
        );
        // /api/generate: text in `response`, length finish, missing prompt count
        let body =
            br#"{"model":"m","response":"hi","done":true,"done_reason":"length","eval_count":1}"#;
        let out: Value = serde_json::from_slice(
            &GENERATE
                .response(Endpoint::Chat, "m", body.to_vec())
                .unwrap(),
        )
        .unwrap();
        assert_eq!(out["choices"][0]["message"]["content"], "hi");
        assert_eq!(out["choices"][0]["finish_reason"], "length");
        assert_eq!(out["usage"]["total_tokens"], 1);
    }

    #[test]
    fn ndjson_stream_becomes_chunks_then_usage() {
        let body = b"{\"model\":\"qwen3\",\"created_at\":\"t\",\"message\":{\"role\":\"assistant\",\"content\":\"\",\"thinking\":\"hm\"},\"done\":false}\n\
{\"model\":\"qwen3\",\"created_at\":\"t\",\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"done\":false}\n\
{\"model\":\"qwen3\",\"created_at\":\"t\",\"message\":{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"function\":{\"name\":\"f\",\"arguments\":{}}}]},\"done\":false}\n\
{\"model\":\"qwen3\",\"created_at\":\"t\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\",\"prompt_eval_count\":3,\"eval_count\":4}\n\
{\"model\":\"qwen3\",\"late\":true}\n";
        let whole = decode(body).unwrap();
        assert_eq!(whole.len(), 5);
        assert_eq!(
            whole[0]["choices"][0]["delta"],
            json!({"role": "assistant", "reasoning_content": "hm"})
        );
        assert_eq!(whole[1]["choices"][0]["delta"], json!({"content": "Hi"}));
        let call = &whole[2]["choices"][0]["delta"]["tool_calls"][0];
        assert_eq!(
            (call["index"].clone(), call["function"]["arguments"].clone()),
            (json!(0), json!("{}"))
        );
        assert_eq!(whole[3]["choices"][0]["finish_reason"], "tool_calls");
        assert_eq!(whole[4]["choices"], json!([]));
        assert_eq!(whole[4]["usage"]["total_tokens"], 7);
        let ids: std::collections::HashSet<_> = whole.iter().map(|c| c["id"].clone()).collect();
        assert_eq!(ids.len(), 1);
        assert_eq!(whole[0]["object"], "chat.completion.chunk");
        // Split anywhere: the same chunks (ids differ per stream, so compare choices).
        for cut in 0..body.len() {
            let mut d = CHAT.stream_decoder(Endpoint::Chat);
            let mut out = d.feed(&body[..cut]).unwrap();
            out.extend(d.feed(&body[cut..]).unwrap());
            out.extend(d.finish().unwrap());
            assert!(d.done());
            let choices: Vec<Value> = out
                .iter()
                .map(|c| serde_json::from_slice::<Value>(c).unwrap()["choices"].clone())
                .collect();
            let expected: Vec<Value> = whole.iter().map(|c| c["choices"].clone()).collect();
            assert_eq!(choices, expected, "cut at {cut}");
        }
    }

    #[test]
    fn errors_in_bodies_and_streams() {
        let e = CHAT.error(
            404,
            br#"{"error":"model \"x\" not found, try pulling it first"}"#,
        );
        assert_eq!((e.kind, e.status), (Kind::NotFound, Some(404)));
        assert_eq!(e.message, "model \"x\" not found, try pulling it first");
        assert_eq!(CHAT.error(500, b"").message, "HTTP 500 with an empty body");
        assert_eq!(CHAT.error(502, b"bad gateway").kind, Kind::BadGateway);
        let e = decode(b"{\"message\":{\"content\":\"a\"},\"done\":false}\n{\"error\":\"boom\"}\n")
            .unwrap_err();
        assert_eq!((e.kind, e.message.as_str()), (Kind::InternalServer, "boom"));
        assert_eq!(decode(b"{not json}\n").unwrap_err().kind, Kind::Api);
        let e = CHAT
            .response(Endpoint::Chat, "m", br#"{"error":"bad"}"#.to_vec())
            .unwrap_err();
        assert_eq!(e.message, "bad");
        let e = CHAT.unreachable("http://h:1", Error::new(Kind::Connection, "refused"));
        assert!(
            e.message
                .contains("Ollama server is not reachable at http://h:1")
                && e.message.contains("refused")
        );
    }

    #[test]
    fn embed_request_and_response() {
        let (url, body) = sent(
            &CHAT,
            Endpoint::Embedding,
            json!({"model": "all-minilm", "input": ["a", "b"], "encoding_format": "float", "num_ctx": 512, "truncate": false}),
        );
        assert_eq!(url, "http://localhost:11434/api/embed");
        assert_eq!(
            body,
            json!({"model": "all-minilm", "input": ["a", "b"], "truncate": false, "options": {"num_ctx": 512}})
        );
        // docs.ollama.com/api/embed
        let reply = br#"{"model":"all-minilm","embeddings":[[0.010071029,-0.0017594862],[-0.0098027075,0.06042469]],"total_duration":14143917,"load_duration":1019500,"prompt_eval_count":8}"#;
        let out: Value = serde_json::from_slice(
            &GENERATE
                .response(Endpoint::Embedding, "m", reply.to_vec())
                .unwrap(),
        )
        .unwrap();
        assert_eq!(
            out,
            json!({"object": "list", "model": "all-minilm",
                   "data": [{"object": "embedding", "index": 0, "embedding": [0.010071029, -0.0017594862]},
                            {"object": "embedding", "index": 1, "embedding": [-0.0098027075, 0.06042469]}],
                   "usage": {"prompt_tokens": 8, "total_tokens": 8}})
        );
    }

    #[test]
    fn images_and_arguments_are_checked_before_io() {
        assert_eq!(image_base64("data:image/png;base64,QUJD").unwrap(), "QUJD");
        assert_eq!(image_base64("QUJD").unwrap(), "QUJD");
        assert_eq!(
            image_base64("https://x/y.png").unwrap_err().kind,
            Kind::BadRequest
        );
        assert_eq!(
            image_base64("data:image/png,raw").unwrap_err().kind,
            Kind::BadRequest
        );
        assert_eq!(
            arguments_object(Some(&json!("{bad"))).unwrap_err().kind,
            Kind::BadRequest
        );
        assert_eq!(arguments_object(Some(&json!(""))).unwrap(), json!({}));
    }
}
