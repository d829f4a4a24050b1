//! The Responses API over chat completions, for providers without `/responses`
//! (Anthropic, Gemini, Ollama, OpenAI-compatible servers): a Responses request
//! becomes an OpenAI chat request, which the provider's adapter translates as
//! usual, and the OpenAI-shaped chat answer (or chunk stream) becomes a
//! Responses object (or typed event stream).
//!
//! Request: `instructions` → a system message; input messages → chat
//! messages; `function_call` items → assistant `tool_calls`;
//! `function_call_output` items → `tool` messages; `reasoning` items are
//! dropped (chat has no input for them); function tools and `tool_choice`
//! reshaped; `max_output_tokens` → `max_tokens`; `reasoning.effort` →
//! `reasoning_effort`; `text.format` → `response_format`. Answer: reasoning
//! text → a `reasoning` item, content → a `message` item, tool calls →
//! `function_call` items, usage renamed (platform.openai.com/docs/api-reference/responses).

use serde_json::{json, Map, Value};

use super::body::parse_body;
use super::StreamDecoder;
use crate::error::{Error, Kind};

fn bad(message: impl Into<String>) -> Error {
    Error::new(Kind::BadRequest, message)
}

fn encode(v: &Value) -> Result<Vec<u8>, Error> {
    serde_json::to_vec(v).map_err(|e| Error::new(Kind::Api, format!("cannot encode ({e})")))
}

/// Parse a Responses request body.
pub fn request(body: &[u8]) -> Result<Map<String, Value>, Error> {
    serde_json::from_slice(body).map_err(|e| bad(format!("the request is not a JSON object ({e})")))
}

/// The chat-completions body for a Responses request.
pub fn to_chat(req: &Map<String, Value>) -> Result<Vec<u8>, Error> {
    if req
        .get("previous_response_id")
        .is_some_and(|v| !v.is_null())
    {
        return Err(bad(
            "previous_response_id needs a provider that stores responses; this provider's \
             Responses API is bridged onto chat completions: send the whole conversation as input",
        ));
    }
    let mut messages: Vec<Value> = Vec::new();
    if let Some(sys) = req.get("instructions").and_then(Value::as_str) {
        messages.push(json!({"role": "system", "content": sys}));
    }
    match req.get("input") {
        Some(Value::String(s)) => messages.push(json!({"role": "user", "content": s})),
        Some(Value::Array(items)) => {
            for item in items {
                input_item(item, &mut messages)?;
            }
        }
        _ => return Err(bad("input must be a string or a list of input items")),
    }
    let mut out = Map::new();
    out.insert(
        "model".into(),
        req.get("model").cloned().unwrap_or(Value::Null),
    );
    out.insert("messages".into(), Value::Array(messages));
    for (k, v) in req {
        match k.as_str() {
            "model"
            | "input"
            | "instructions"
            | "previous_response_id"
            | "store"
            | "include"
            | "truncation"
            | "background"
            | "metadata"
            | "prompt" => {}
            "max_output_tokens" => {
                out.insert("max_tokens".into(), v.clone());
            }
            "tools" => {
                out.insert("tools".into(), tools(v)?);
            }
            "tool_choice" => {
                out.insert("tool_choice".into(), tool_choice(v));
            }
            "reasoning" => {
                if let Some(effort) = v.get("effort").filter(|e| !e.is_null()) {
                    out.insert("reasoning_effort".into(), effort.clone());
                }
            }
            "text" => {
                if let Some(format) = v.get("format").and_then(response_format) {
                    out.insert("response_format".into(), format);
                }
            }
            "stream" => {
                out.insert("stream".into(), v.clone());
                if v == &Value::Bool(true) {
                    out.insert("stream_options".into(), json!({"include_usage": true}));
                }
            }
            _ => {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    encode(&Value::Object(out))
}

fn text_parts(content: &Value) -> Value {
    match content {
        Value::Array(parts) => Value::Array(
            parts
                .iter()
                .map(|p| match p.get("type").and_then(Value::as_str) {
                    Some("input_text" | "output_text") => {
                        json!({"type": "text", "text": p.get("text").cloned().unwrap_or_default()})
                    }
                    Some("input_image") => {
                        let url = p.get("image_url").cloned().unwrap_or_default();
                        json!({"type": "image_url", "image_url": {"url": url}})
                    }
                    _ => p.clone(),
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Assistant content as one string (the text parts joined).
fn joined(content: &Value) -> Value {
    match content {
        Value::Array(parts) => Value::String(
            parts
                .iter()
                .filter_map(|p| p.get("text").and_then(Value::as_str))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn input_item(item: &Value, messages: &mut Vec<Value>) -> Result<(), Error> {
    let kind = item
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("message");
    let field = |k: &str| item.get(k).cloned().unwrap_or(Value::Null);
    match kind {
        "message" => {
            let role = item.get("role").and_then(Value::as_str).unwrap_or("user");
            let content = field("content");
            let content = if role == "assistant" {
                joined(&content)
            } else {
                text_parts(&content)
            };
            messages.push(json!({"role": role, "content": content}));
        }
        "function_call" => {
            let call = json!({
                "id": field("call_id"),
                "type": "function",
                "function": {"name": field("name"), "arguments": field("arguments")},
            });
            // Consecutive calls belong to one assistant turn.
            let last = messages.last_mut().filter(|m| {
                m["role"] == "assistant" && (m.get("tool_calls").is_some() || m["content"].is_null())
            });
            match last {
                Some(m) => match m.get_mut("tool_calls").and_then(Value::as_array_mut) {
                    Some(calls) => calls.push(call),
                    None => {
                        m["tool_calls"] = json!([call]);
                    }
                },
                None => messages.push(json!({"role": "assistant", "content": null, "tool_calls": [call]})),
            }
        }
        "function_call_output" => {
            let output = match field("output") {
                Value::String(s) => Value::String(s),
                other => Value::String(other.to_string()),
            };
            messages.push(json!({"role": "tool", "tool_call_id": field("call_id"), "content": output}));
        }
        "reasoning" => {}
        other => {
            return Err(bad(format!(
                "input item type {other:?} is not available when the Responses API is bridged onto chat completions"
            )))
        }
    }
    Ok(())
}

fn tools(v: &Value) -> Result<Value, Error> {
    let Some(list) = v.as_array() else {
        return Err(bad("tools must be a list"));
    };
    let mut out = Vec::with_capacity(list.len());
    for t in list {
        match t.get("type").and_then(Value::as_str) {
            Some("function") => {
                let mut f = Map::new();
                for k in ["name", "description", "parameters", "strict"] {
                    if let Some(x) = t.get(k).filter(|x| !x.is_null()) {
                        f.insert(k.into(), x.clone());
                    }
                }
                out.push(json!({"type": "function", "function": f}));
            }
            other => {
                return Err(bad(format!(
                    "tool type {other:?} is not available when the Responses API is bridged onto chat completions; use function tools"
                )))
            }
        }
    }
    Ok(Value::Array(out))
}

fn tool_choice(v: &Value) -> Value {
    match v.get("name") {
        Some(name) if v.get("type").and_then(Value::as_str) == Some("function") => {
            json!({"type": "function", "function": {"name": name}})
        }
        _ => v.clone(),
    }
}

fn response_format(format: &Value) -> Option<Value> {
    match format.get("type")?.as_str()? {
        "json_schema" => {
            let mut schema = Map::new();
            for k in ["name", "schema", "strict", "description"] {
                if let Some(x) = format.get(k) {
                    schema.insert(k.into(), x.clone());
                }
            }
            Some(json!({"type": "json_schema", "json_schema": schema}))
        }
        "json_object" => Some(json!({"type": "json_object"})),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------

fn usage(u: &Value) -> Value {
    let n = |p: &str| u.pointer(p).and_then(Value::as_u64).unwrap_or(0);
    json!({
        "input_tokens": n("/prompt_tokens"),
        "input_tokens_details": {
            "cached_tokens": n("/prompt_tokens_details/cached_tokens"),
            "cache_write_tokens": n("/prompt_tokens_details/cache_creation_tokens"),
        },
        "output_tokens": n("/completion_tokens"),
        "output_tokens_details": {"reasoning_tokens": n("/completion_tokens_details/reasoning_tokens")},
        "total_tokens": n("/total_tokens"),
    })
}

fn reasoning_item(id: &str, text: &str) -> Value {
    json!({"type": "reasoning", "id": format!("rs_{id}"), "summary": [{"type": "summary_text", "text": text}]})
}

fn message_item(id: &str, text: &str) -> Value {
    json!({
        "type": "message",
        "id": format!("msg_{id}"),
        "status": "completed",
        "role": "assistant",
        "content": [{"type": "output_text", "text": text, "annotations": []}],
    })
}

fn call_item(id: &str, n: usize, call_id: &Value, name: &Value, arguments: &str) -> Value {
    json!({
        "type": "function_call",
        "id": format!("fc_{id}_{n}"),
        "status": "completed",
        "call_id": call_id,
        "name": name,
        "arguments": arguments,
    })
}

/// The Responses object for `output` items, echoing the request's settings.
fn response(
    req: &Map<String, Value>,
    id: &str,
    created: &Value,
    model: &Value,
    output: Vec<Value>,
    finish: Option<&str>,
    usage_doc: Option<&Value>,
) -> Value {
    let echo = |k: &str| req.get(k).cloned().unwrap_or(Value::Null);
    // Not every chat translation has a `created` (Anthropic's answer has none).
    let created = match created {
        Value::Number(_) => created.clone(),
        _ => json!(std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0)),
    };
    let (status, incomplete) = match finish {
        Some("length") => ("incomplete", json!({"reason": "max_output_tokens"})),
        Some("content_filter") => ("incomplete", json!({"reason": "content_filter"})),
        _ => ("completed", Value::Null),
    };
    json!({
        "id": format!("resp_{id}"),
        "object": "response",
        "created_at": created,
        "status": status,
        "error": null,
        "incomplete_details": incomplete,
        "instructions": echo("instructions"),
        "max_output_tokens": echo("max_output_tokens"),
        "model": model,
        "output": output,
        "parallel_tool_calls": req.get("parallel_tool_calls").cloned().unwrap_or(Value::Bool(true)),
        "previous_response_id": null,
        "reasoning": echo("reasoning"),
        "store": false,
        "temperature": echo("temperature"),
        "tool_choice": req.get("tool_choice").cloned().unwrap_or_else(|| json!("auto")),
        "tools": req.get("tools").cloned().unwrap_or_else(|| json!([])),
        "top_p": echo("top_p"),
        "metadata": req.get("metadata").cloned().unwrap_or_else(|| json!({})),
        "usage": usage_doc.map(usage),
    })
}

/// The Responses object for an OpenAI-shaped chat completion.
pub fn from_chat(req: &Map<String, Value>, chat: &[u8]) -> Result<Vec<u8>, Error> {
    let doc: Value = parse_body(chat)?;
    let id = doc
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or("bridge")
        .to_owned();
    let choice = doc.pointer("/choices/0").cloned().unwrap_or(Value::Null);
    let msg = &choice["message"];
    let mut output = Vec::new();
    if let Some(r) = msg
        .get("reasoning_content")
        .and_then(Value::as_str)
        .filter(|r| !r.is_empty())
    {
        output.push(reasoning_item(&id, r));
    }
    if let Some(text) = msg
        .get("content")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
    {
        output.push(message_item(&id, text));
    }
    for (n, call) in msg
        .get("tool_calls")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let f = &call["function"];
        let args = f.get("arguments").and_then(Value::as_str).unwrap_or("");
        output.push(call_item(&id, n, &call["id"], &f["name"], args));
    }
    let finish = choice.get("finish_reason").and_then(Value::as_str);
    let r = response(
        req,
        &id,
        &doc["created"],
        &doc["model"],
        output,
        finish,
        doc.get("usage"),
    );
    encode(&r)
}

// ---------------------------------------------------------------------------
// Streams
// ---------------------------------------------------------------------------

/// An output item being streamed.
enum Open {
    Reasoning { index: usize, text: String },
    Message { index: usize, text: String },
}

struct Call {
    index: usize,
    id: Value,
    name: Value,
    arguments: String,
}

/// Chat chunks (from the provider's own decoder) → Responses stream events.
pub struct EventStream {
    inner: Box<dyn StreamDecoder>,
    req: Map<String, Value>,
    seq: u64,
    id: Option<String>,
    created: Value,
    model: Value,
    open: Option<Open>,
    items: Vec<(usize, Value)>,
    calls: Vec<Call>,
    next_index: usize,
    finish: Option<String>,
    usage: Option<Value>,
    completed: bool,
}

impl EventStream {
    pub fn boxed(inner: Box<dyn StreamDecoder>, req: Map<String, Value>) -> Box<dyn StreamDecoder> {
        Box::new(EventStream {
            inner,
            req,
            seq: 0,
            id: None,
            created: Value::Null,
            model: Value::Null,
            open: None,
            items: Vec::new(),
            calls: Vec::new(),
            next_index: 0,
            finish: None,
            usage: None,
            completed: false,
        })
    }

    fn id(&self) -> &str {
        self.id.as_deref().unwrap_or("bridge")
    }

    fn emit(&mut self, out: &mut Vec<Vec<u8>>, kind: &str, mut fields: Value) -> Result<(), Error> {
        fields["type"] = json!(kind);
        fields["sequence_number"] = json!(self.seq);
        self.seq += 1;
        out.push(encode(&fields)?);
        Ok(())
    }

    fn current(&self, status: &str) -> Value {
        let mut r = response(
            &self.req,
            self.id(),
            &self.created,
            &self.model,
            Vec::new(),
            None,
            None,
        );
        r["status"] = json!(status);
        r
    }

    fn close_open(&mut self, out: &mut Vec<Vec<u8>>) -> Result<(), Error> {
        let id = self.id().to_owned();
        match self.open.take() {
            None => {}
            Some(Open::Reasoning { index, text }) => {
                let item = reasoning_item(&id, &text);
                let item_id = item["id"].clone();
                self.emit(out, "response.reasoning_summary_text.done",
                    json!({"item_id": item_id, "output_index": index, "summary_index": 0, "text": text}))?;
                self.emit(
                    out,
                    "response.output_item.done",
                    json!({"output_index": index, "item": item}),
                )?;
                self.items.push((index, item));
            }
            Some(Open::Message { index, text }) => {
                let item = message_item(&id, &text);
                let item_id = item["id"].clone();
                let part = item["content"][0].clone();
                self.emit(out, "response.output_text.done",
                    json!({"item_id": item_id, "output_index": index, "content_index": 0, "text": text}))?;
                self.emit(out, "response.content_part.done",
                    json!({"item_id": item_id, "output_index": index, "content_index": 0, "part": part}))?;
                self.emit(
                    out,
                    "response.output_item.done",
                    json!({"output_index": index, "item": item}),
                )?;
                self.items.push((index, item));
            }
        }
        Ok(())
    }

    fn chunk(&mut self, raw: &[u8], out: &mut Vec<Vec<u8>>) -> Result<(), Error> {
        let c: Value = serde_json::from_slice(raw).map_err(|e| {
            Error::new(
                Kind::Api,
                format!("bad chunk from the chat translation ({e})"),
            )
        })?;
        if self.id.is_none() {
            self.id = Some(
                c.get("id")
                    .and_then(Value::as_str)
                    .unwrap_or("bridge")
                    .to_owned(),
            );
            self.created = c.get("created").cloned().unwrap_or(Value::Null);
            self.model = c.get("model").cloned().unwrap_or(Value::Null);
            let start = self.current("in_progress");
            self.emit(out, "response.created", json!({"response": start}))?;
            let start = self.current("in_progress");
            self.emit(out, "response.in_progress", json!({"response": start}))?;
        }
        if let Some(u) = c.get("usage").filter(|u| u.is_object()) {
            self.usage = Some(u.clone());
        }
        let Some(choice) = c.pointer("/choices/0") else {
            return Ok(());
        };
        if let Some(f) = choice.get("finish_reason").and_then(Value::as_str) {
            self.finish = Some(f.to_owned());
        }
        let delta = &choice["delta"];
        let id = self.id().to_owned();
        if let Some(r) = delta
            .get("reasoning_content")
            .and_then(Value::as_str)
            .filter(|r| !r.is_empty())
        {
            if !matches!(self.open, Some(Open::Reasoning { .. })) {
                self.close_open(out)?;
                let index = self.next_index;
                self.next_index += 1;
                let item = json!({"type": "reasoning", "id": format!("rs_{id}"), "summary": []});
                self.emit(
                    out,
                    "response.output_item.added",
                    json!({"output_index": index, "item": item}),
                )?;
                self.open = Some(Open::Reasoning {
                    index,
                    text: String::new(),
                });
            }
            if let Some(Open::Reasoning { index, text }) = &mut self.open {
                text.push_str(r);
                let index = *index;
                self.emit(out, "response.reasoning_summary_text.delta",
                    json!({"item_id": format!("rs_{id}"), "output_index": index, "summary_index": 0, "delta": r}))?;
            }
        }
        if let Some(t) = delta
            .get("content")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
        {
            if !matches!(self.open, Some(Open::Message { .. })) {
                self.close_open(out)?;
                let index = self.next_index;
                self.next_index += 1;
                let item = json!({"type": "message", "id": format!("msg_{id}"), "status": "in_progress",
                                  "role": "assistant", "content": []});
                self.emit(
                    out,
                    "response.output_item.added",
                    json!({"output_index": index, "item": item}),
                )?;
                self.emit(
                    out,
                    "response.content_part.added",
                    json!({"item_id": format!("msg_{id}"),
                    "output_index": index, "content_index": 0,
                    "part": {"type": "output_text", "text": "", "annotations": []}}),
                )?;
                self.open = Some(Open::Message {
                    index,
                    text: String::new(),
                });
            }
            if let Some(Open::Message { index, text }) = &mut self.open {
                text.push_str(t);
                let index = *index;
                self.emit(
                    out,
                    "response.output_text.delta",
                    json!({"item_id": format!("msg_{id}"),
                    "output_index": index, "content_index": 0, "delta": t}),
                )?;
            }
        }
        for tc in delta
            .get("tool_calls")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let n = tc.get("index").and_then(Value::as_u64).unwrap_or(0) as usize;
            if n >= self.calls.len() {
                self.close_open(out)?;
                let index = self.next_index;
                self.next_index += 1;
                let call = Call {
                    index,
                    id: tc.get("id").cloned().unwrap_or(Value::Null),
                    name: tc.pointer("/function/name").cloned().unwrap_or(Value::Null),
                    arguments: String::new(),
                };
                let mut item = call_item(&id, n, &call.id, &call.name, "");
                item["status"] = json!("in_progress");
                self.calls.push(call);
                self.emit(
                    out,
                    "response.output_item.added",
                    json!({"output_index": index, "item": item}),
                )?;
            }
            let piece = tc
                .pointer("/function/arguments")
                .and_then(Value::as_str)
                .unwrap_or("");
            if let Some(call) = self.calls.get_mut(n).filter(|_| !piece.is_empty()) {
                call.arguments.push_str(piece);
                let index = call.index;
                self.emit(out, "response.function_call_arguments.delta",
                    json!({"item_id": format!("fc_{id}_{n}"), "output_index": index, "delta": piece}))?;
            }
        }
        Ok(())
    }

    fn complete(&mut self, out: &mut Vec<Vec<u8>>) -> Result<(), Error> {
        if self.completed || self.id.is_none() {
            return Ok(());
        }
        self.close_open(out)?;
        let id = self.id().to_owned();
        for n in 0..self.calls.len() {
            let (index, item) = {
                let c = &self.calls[n];
                (c.index, call_item(&id, n, &c.id, &c.name, &c.arguments))
            };
            self.emit(out, "response.function_call_arguments.done",
                json!({"item_id": item["id"], "output_index": index, "arguments": item["arguments"]}))?;
            self.emit(
                out,
                "response.output_item.done",
                json!({"output_index": index, "item": item}),
            )?;
            self.items.push((index, item));
        }
        self.items.sort_by_key(|(i, _)| *i);
        let output = self.items.iter().map(|(_, item)| item.clone()).collect();
        let r = response(
            &self.req,
            &id,
            &self.created,
            &self.model,
            output,
            self.finish.as_deref(),
            self.usage.as_ref(),
        );
        let kind = if r["status"] == "incomplete" {
            "response.incomplete"
        } else {
            "response.completed"
        };
        self.emit(out, kind, json!({"response": r}))?;
        self.completed = true;
        Ok(())
    }

    fn translate(&mut self, chunks: Vec<Vec<u8>>, end: bool) -> Result<Vec<Vec<u8>>, Error> {
        let mut out = Vec::new();
        for c in chunks {
            self.chunk(&c, &mut out)?;
        }
        if end || self.inner.done() {
            self.complete(&mut out)?;
        }
        Ok(out)
    }
}

impl StreamDecoder for EventStream {
    fn feed(&mut self, bytes: &[u8]) -> Result<Vec<Vec<u8>>, Error> {
        let chunks = self.inner.feed(bytes)?;
        self.translate(chunks, false)
    }

    fn finish(&mut self) -> Result<Vec<Vec<u8>>, Error> {
        let chunks = self.inner.finish()?;
        self.translate(chunks, true)
    }

    fn done(&self) -> bool {
        self.completed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(v: Value) -> Map<String, Value> {
        let Value::Object(m) = v else { unreachable!() };
        m
    }

    #[test]
    fn input_items_become_chat_messages() {
        let r = req(json!({
            "model": "m",
            "instructions": "sys",
            "input": [
                {"role": "user", "content": [{"type": "input_text", "text": "hi"}]},
                {"type": "reasoning", "id": "rs_1", "summary": []},
                {"type": "function_call", "call_id": "c1", "name": "f", "arguments": "{}"},
                {"type": "function_call", "call_id": "c2", "name": "g", "arguments": "{}"},
                {"type": "function_call_output", "call_id": "c1", "output": "ok"},
                {"type": "function_call_output", "call_id": "c2", "output": {"n": 1}},
            ],
            "tools": [{"type": "function", "name": "f", "parameters": {}}],
            "tool_choice": {"type": "function", "name": "f"},
            "max_output_tokens": 5,
            "reasoning": {"effort": "low"},
            "store": true,
            "stream": true,
        }));
        let chat: Value = serde_json::from_slice(&to_chat(&r).unwrap()).unwrap();
        assert_eq!(
            chat["messages"],
            json!([
                {"role": "system", "content": "sys"},
                {"role": "user", "content": [{"type": "text", "text": "hi"}]},
                {"role": "assistant", "content": null, "tool_calls": [
                    {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}},
                    {"id": "c2", "type": "function", "function": {"name": "g", "arguments": "{}"}},
                ]},
                {"role": "tool", "tool_call_id": "c1", "content": "ok"},
                {"role": "tool", "tool_call_id": "c2", "content": "{\"n\":1}"},
            ])
        );
        assert_eq!(
            chat["tools"],
            json!([{"type": "function", "function": {"name": "f", "parameters": {}}}])
        );
        assert_eq!(
            chat["tool_choice"],
            json!({"type": "function", "function": {"name": "f"}})
        );
        assert_eq!(
            (chat["max_tokens"].clone(), chat["reasoning_effort"].clone()),
            (json!(5), json!("low"))
        );
        assert_eq!(chat["stream_options"], json!({"include_usage": true}));
        assert!(chat.get("store").is_none());
        let e = to_chat(&req(json!({"input": "x", "previous_response_id": "r"}))).unwrap_err();
        assert_eq!(e.kind, Kind::BadRequest);
        assert!(to_chat(&req(
            json!({"input": "x", "tools": [{"type": "web_search"}]})
        ))
        .is_err());
        assert!(to_chat(&req(json!({"input": 3}))).is_err());
    }

    #[test]
    fn chat_answers_become_output_items() {
        let chat = json!({
            "id": "chatcmpl-1", "created": 7, "model": "m",
            "choices": [{"index": 0, "finish_reason": "length", "message": {
                "role": "assistant", "content": "hi", "reasoning_content": "hmm",
                "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}],
            }}],
            "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5},
        });
        let r = req(json!({"input": "x", "max_output_tokens": 2}));
        let out: Value =
            serde_json::from_slice(&from_chat(&r, chat.to_string().as_bytes()).unwrap()).unwrap();
        let kinds: Vec<&str> = out["output"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["type"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["reasoning", "message", "function_call"]);
        assert_eq!(out["output"][1]["content"][0]["text"], "hi");
        assert_eq!(out["output"][2]["call_id"], "c1");
        assert_eq!(
            (out["status"].as_str(), out["created_at"].as_u64()),
            (Some("incomplete"), Some(7))
        );
        assert_eq!(out["usage"]["input_tokens"], 3);
        assert_eq!(out["max_output_tokens"], 2);
    }
}
