//! Converse answers → OpenAI shape, whole and streamed (litellm's
//! `AmazonConverseConfig._transform_response` and `AWSEventStreamDecoder`):
//! text as `content`, `toolUse` as `tool_calls` (the `json_tool_call` tool of
//! `response_format` as content), `reasoningContent` as `reasoning_content`
//! plus `thinking_blocks`, `stopReason` as `finish_reason`, and usage with the
//! cache reads and writes counted into `prompt_tokens` (litellm's `transform_usage`).
//!
//! The stream decoder also serves InvokeModel streams: their `chunk` events
//! carry an Anthropic Messages stream event as base64 `bytes`, handed to the
//! Anthropic adapter's stream translation.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use serde_json::{json, Map, Value};

use super::error::stream_exception;
use crate::error::{Error, Kind};
use crate::eventstream::{self, Message};
use crate::providers::anthropic::{self, JSON_TOOL_NAME};
use crate::providers::framed::{Framed, Translate};
use crate::providers::StreamDecoder;
use crate::sse;

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// A response id (Converse returns none): `chatcmpl-` and 16 hex digits,
/// unique per process and call.
fn response_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let seed = format!(
        "{nanos}:{}:{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    format!(
        "chatcmpl-{}",
        &crate::sigv4::sha256_hex(seed.as_bytes())[..16]
    )
}

/// Converse's `stopReason` → OpenAI's `finish_reason`.
pub fn finish_reason(reason: Option<&str>) -> &'static str {
    match reason {
        Some("tool_use") => "tool_calls",
        Some("max_tokens" | "model_context_window_exceeded") => "length",
        Some("guardrail_intervened" | "content_filtered") => "content_filter",
        _ => "stop",
    }
}

/// Converse `usage` → OpenAI usage as litellm reports it.
pub fn usage(u: &Value) -> Value {
    let n = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| u.get(*k).and_then(Value::as_u64))
            .unwrap_or(0)
    };
    let raw_input = n(&["inputTokens"]);
    let output = n(&["outputTokens"]);
    let read = n(&["cacheReadInputTokens", "cacheReadInputTokenCount"]);
    let write = n(&["cacheWriteInputTokens", "cacheWriteInputTokenCount"]);
    let prompt = raw_input + read + write;
    let total = u
        .get("totalTokens")
        .and_then(Value::as_u64)
        .unwrap_or(prompt + output);
    json!({
        "prompt_tokens": prompt,
        "completion_tokens": output,
        "total_tokens": total,
        "prompt_tokens_details": { "cached_tokens": read, "cache_creation_tokens": write },
        "cache_creation_input_tokens": write,
        "cache_read_input_tokens": read,
    })
}

fn thinking_block(r: &Value) -> Option<Value> {
    if let Some(t) = r.get("reasoningText") {
        let mut b =
            json!({ "type": "thinking", "thinking": t.get("text").cloned().unwrap_or_default() });
        if let Some(sig) = t.get("signature") {
            b["signature"] = sig.clone();
        }
        return Some(b);
    }
    r.get("redactedContent")
        .map(|d| json!({ "type": "redacted_thinking", "data": d }))
}

/// A whole Converse response to `model` → an OpenAI chat completion.
pub fn response(v: &Value, model: &str) -> Result<Value, Error> {
    let blocks = v
        .pointer("/output/message/content")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            Error::new(
                Kind::Api,
                "the provider returned a Converse response without output.message.content",
            )
        })?;
    let mut a = anthropic::Answer::default();
    for b in blocks {
        if let Some(t) = b.get("text").and_then(Value::as_str) {
            a.text.push_str(t);
        } else if let Some(tu) = b.get("toolUse") {
            let name = tu.get("name").and_then(Value::as_str).unwrap_or_default();
            let input = tu.get("input").cloned().unwrap_or_else(|| json!({}));
            let id = tu.get("toolUseId").cloned().unwrap_or_default();
            a.tool_use(id, name, &input);
        } else if let Some(r) = b.get("reasoningContent") {
            if let Some(t) = r.pointer("/reasoningText/text").and_then(Value::as_str) {
                a.reasoning.push_str(t);
            }
            a.thinking.extend(thinking_block(r));
        }
    }
    let (message, finish) = a.message(finish_reason(v.get("stopReason").and_then(Value::as_str)));
    Ok(json!({
        "id": response_id(),
        "object": "chat.completion",
        "created": now(),
        "model": model,
        "choices": [{ "index": 0, "message": message, "finish_reason": finish }],
        "usage": usage(v.get("usage").unwrap_or(&Value::Null)),
    }))
}

// -- streaming ----------------------------------------------------------------

/// A fresh decoder for a `converse-stream` or `invoke-with-response-stream` body.
pub fn decoder() -> Box<dyn StreamDecoder> {
    Framed::boxed(ConverseStream::default())
}

/// What a content block index of a Converse stream is.
enum Block {
    Tool(u32),
    Json,
}

/// The Converse event translation (and the InvokeModel `chunk` unwrapping).
struct ConverseStream {
    id: String,
    created: u64,
    blocks: std::collections::HashMap<u64, Block>,
    next_tool: u32,
    json_seen: bool,
    done: bool,
    /// The Anthropic stream inside InvokeModel `chunk` events, once one arrived.
    invoke: Option<anthropic::MessageStream>,
}

impl Default for ConverseStream {
    fn default() -> Self {
        ConverseStream {
            id: response_id(),
            created: now(),
            blocks: Default::default(),
            next_tool: 0,
            json_seen: false,
            done: false,
            invoke: None,
        }
    }
}

impl Translate for ConverseStream {
    type Framing = eventstream::Decoder;

    fn decode(
        &mut self,
        events: Vec<Result<Message, Error>>,
        out: &mut Vec<Vec<u8>>,
    ) -> Result<(), Error> {
        for ev in events {
            let msg = ev?;
            match msg.header(":message-type") {
                Some("exception") | Some("error") => {
                    let etype = msg
                        .header(":exception-type")
                        .or_else(|| msg.header(":error-code"))
                        .unwrap_or("unknownException");
                    return Err(stream_exception(etype, &msg.payload));
                }
                _ => {}
            }
            let kind = msg.header(":event-type").unwrap_or_default().to_owned();
            let v: Value =
                crate::providers::body::parse_event(&String::from_utf8_lossy(&msg.payload))?;
            if kind == "chunk" {
                self.chunk(&v, out)?;
            } else {
                self.event(&kind, &v, out);
            }
        }
        Ok(())
    }

    fn done(&self) -> bool {
        self.done || self.invoke.as_ref().is_some_and(Translate::done)
    }
}

impl ConverseStream {
    fn chunk_doc(&self, choices: Value, usage: Option<Value>) -> Vec<u8> {
        let mut c = json!({
            "id": self.id,
            "object": "chat.completion.chunk",
            "created": self.created,
            "model": Value::Null,
            "choices": choices,
        });
        if let Some(u) = usage {
            c["usage"] = u;
        }
        c.to_string().into_bytes()
    }

    fn delta(&self, delta: Value) -> Vec<u8> {
        self.chunk_doc(
            json!([{ "index": 0, "delta": delta, "finish_reason": null }]),
            None,
        )
    }

    /// An InvokeModel `chunk` event: `{"bytes": base64 of an Anthropic stream event}`.
    fn chunk(&mut self, v: &Value, out: &mut Vec<Vec<u8>>) -> Result<(), Error> {
        let b64 = v.get("bytes").and_then(Value::as_str).unwrap_or_default();
        let raw = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .map_err(|e| Error::new(Kind::Api, format!("a stream chunk is not base64 ({e})")))?;
        let data = String::from_utf8(raw)
            .map_err(|_| Error::new(Kind::Api, "a stream chunk is not UTF-8"))?;
        let inner = self.invoke.get_or_insert_with(Default::default);
        inner.decode(vec![sse::Event { event: None, data }], out)
    }

    fn event(&mut self, kind: &str, v: &Value, out: &mut Vec<Vec<u8>>) {
        let index = v
            .get("contentBlockIndex")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        match kind {
            "messageStart" => out.push(self.delta(json!({ "role": "assistant", "content": "" }))),
            "contentBlockStart" => {
                let Some(tu) = v.pointer("/start/toolUse") else {
                    return;
                };
                let name = tu.get("name").and_then(Value::as_str).unwrap_or_default();
                if name == JSON_TOOL_NAME {
                    self.blocks.insert(index, Block::Json);
                    self.json_seen = true;
                    return;
                }
                let tool = self.next_tool;
                self.next_tool += 1;
                self.blocks.insert(index, Block::Tool(tool));
                out.push(self.delta(json!({ "tool_calls": [{
                    "index": tool,
                    "id": tu.get("toolUseId").cloned().unwrap_or_default(),
                    "type": "function",
                    "function": { "name": name, "arguments": "" },
                }]})));
            }
            "contentBlockDelta" => {
                let Some(d) = v.get("delta") else { return };
                if let Some(t) = d.get("text").and_then(Value::as_str) {
                    out.push(self.delta(json!({ "content": t })));
                } else if let Some(input) = d.pointer("/toolUse/input").and_then(Value::as_str) {
                    match self.blocks.get(&index) {
                        Some(Block::Json) => out.push(self.delta(json!({ "content": input }))),
                        Some(Block::Tool(tool)) => out.push(self.delta(json!({ "tool_calls": [{
                            "index": tool,
                            "function": { "arguments": input },
                        }]}))),
                        None => {}
                    }
                } else if let Some(r) = d.get("reasoningContent") {
                    let mut delta = Map::new();
                    if let Some(t) = r.get("text").and_then(Value::as_str) {
                        delta.insert("reasoning_content".into(), Value::from(t));
                        delta.insert(
                            "thinking_blocks".into(),
                            json!([{ "type": "thinking", "thinking": t }]),
                        );
                    } else if let Some(sig) = r.get("signature") {
                        delta.insert(
                            "thinking_blocks".into(),
                            json!([{ "type": "thinking", "thinking": "", "signature": sig }]),
                        );
                    } else if let Some(data) = r.get("redactedContent") {
                        delta.insert(
                            "thinking_blocks".into(),
                            json!([{ "type": "redacted_thinking", "data": data }]),
                        );
                    }
                    if !delta.is_empty() {
                        out.push(self.delta(Value::Object(delta)));
                    }
                }
            }
            "messageStop" => {
                let reason = v.get("stopReason").and_then(Value::as_str);
                let finish = if self.json_seen && self.next_tool == 0 {
                    "stop"
                } else {
                    finish_reason(reason)
                };
                out.push(self.chunk_doc(
                    json!([{ "index": 0, "delta": {}, "finish_reason": finish }]),
                    None,
                ));
            }
            "metadata" => {
                let u = usage(v.get("usage").unwrap_or(&Value::Null));
                out.push(self.chunk_doc(json!([]), Some(u)));
                self.done = true;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eventstream::encode;

    fn event(kind: &str, payload: Value) -> Vec<u8> {
        encode(
            &[
                (":event-type", kind),
                (":content-type", "application/json"),
                (":message-type", "event"),
            ],
            payload.to_string().as_bytes(),
        )
    }

    fn run(body: &[u8]) -> (Vec<Value>, Option<Error>) {
        let mut d = decoder();
        let mut chunks = Vec::new();
        let mut fault = None;
        for piece in body.chunks(7) {
            match d.feed(piece) {
                Ok(c) => chunks.extend(c),
                Err(e) => {
                    fault = Some(e);
                    break;
                }
            }
        }
        if fault.is_none() {
            match d.finish() {
                Ok(c) => chunks.extend(c),
                Err(e) => fault = Some(e),
            }
        }
        let docs = chunks
            .iter()
            .map(|c| serde_json::from_slice(c).unwrap())
            .collect();
        (docs, fault)
    }

    #[test]
    fn whole_response_with_tools_reasoning_and_cache_usage() {
        let v = json!({
            "output": {"message": {"role": "assistant", "content": [
                {"reasoningContent": {"reasoningText": {"text": "think", "signature": "sig"}}},
                {"text": "Let me check."},
                {"toolUse": {"toolUseId": "tooluse_1", "name": "get_weather", "input": {"city": "Paris"}}},
            ]}},
            "stopReason": "tool_use",
            "usage": {"inputTokens": 10, "outputTokens": 5, "totalTokens": 35,
                      "cacheReadInputTokens": 20, "cacheWriteInputTokens": 0},
            "metrics": {"latencyMs": 100},
        });
        let r = response(&v, "anthropic.claude-3-7-sonnet-20250219-v1:0").unwrap();
        assert_eq!(r["choices"][0]["finish_reason"], "tool_calls");
        let m = &r["choices"][0]["message"];
        assert_eq!(m["content"], "Let me check.");
        assert_eq!(
            m["tool_calls"][0]["function"]["arguments"],
            "{\"city\":\"Paris\"}"
        );
        assert_eq!(m["tool_calls"][0]["id"], "tooluse_1");
        assert_eq!(m["reasoning_content"], "think");
        assert_eq!(
            m["thinking_blocks"][0],
            json!({"type": "thinking", "thinking": "think", "signature": "sig"})
        );
        assert_eq!(r["usage"]["prompt_tokens"], 30);
        assert_eq!(r["usage"]["prompt_tokens_details"]["cached_tokens"], 20);
        assert_eq!(r["model"], "anthropic.claude-3-7-sonnet-20250219-v1:0");
        assert!(r["id"].as_str().unwrap().starts_with("chatcmpl-"));
        for (reason, want) in [
            ("end_turn", "stop"),
            ("max_tokens", "length"),
            ("stop_sequence", "stop"),
            ("guardrail_intervened", "content_filter"),
            ("content_filtered", "content_filter"),
        ] {
            assert_eq!(finish_reason(Some(reason)), want);
        }
    }

    #[test]
    fn converse_stream_events_become_chunks_then_exceptions_raise() {
        let mut body = event("messageStart", json!({"role": "assistant"}));
        body.extend(event(
            "contentBlockDelta",
            json!({"contentBlockIndex": 0, "delta": {"text": "Hi"}}),
        ));
        body.extend(event("contentBlockStop", json!({"contentBlockIndex": 0})));
        body.extend(event(
            "contentBlockStart",
            json!({"contentBlockIndex": 1,
            "start": {"toolUse": {"toolUseId": "t1", "name": "f"}}}),
        ));
        body.extend(event(
            "contentBlockDelta",
            json!({"contentBlockIndex": 1,
            "delta": {"toolUse": {"input": "{\"a\":"}}}),
        ));
        body.extend(event(
            "contentBlockDelta",
            json!({"contentBlockIndex": 1,
            "delta": {"toolUse": {"input": "1}"}}}),
        ));
        body.extend(event("messageStop", json!({"stopReason": "tool_use"})));
        body.extend(event(
            "metadata",
            json!({"usage": {"inputTokens": 3, "outputTokens": 4, "totalTokens": 7},
            "metrics": {"latencyMs": 1}}),
        ));
        let (docs, fault) = run(&body);
        assert!(fault.is_none());
        assert_eq!(docs[0]["choices"][0]["delta"]["role"], "assistant");
        assert_eq!(docs[1]["choices"][0]["delta"]["content"], "Hi");
        assert_eq!(docs[2]["choices"][0]["delta"]["tool_calls"][0]["id"], "t1");
        assert_eq!(
            docs[4]["choices"][0]["delta"]["tool_calls"][0]["function"]["arguments"],
            "1}"
        );
        assert_eq!(docs[5]["choices"][0]["finish_reason"], "tool_calls");
        assert_eq!(docs[6]["usage"]["total_tokens"], 7);
        assert_eq!(docs[6]["choices"], json!([]));

        let mut cut = event("messageStart", json!({"role": "assistant"}));
        cut.extend(event(
            "contentBlockDelta",
            json!({"contentBlockIndex": 0, "delta": {"text": "partial"}}),
        ));
        cut.extend(encode(
            &[
                (":exception-type", "throttlingException"),
                (":content-type", "application/json"),
                (":message-type", "exception"),
            ],
            br#"{"message":"Too many tokens, please wait before trying again."}"#,
        ));
        let (docs, fault) = run(&cut);
        assert_eq!(docs.len(), 2, "every chunk before the exception");
        let e = fault.unwrap();
        assert_eq!((e.kind, e.status), (Kind::RateLimit, Some(429)));
    }

    #[test]
    fn invoke_chunks_carry_anthropic_events() {
        let b64 = |v: Value| base64::engine::general_purpose::STANDARD.encode(v.to_string());
        let mut body = Vec::new();
        for ev in [
            json!({"type": "message_start", "message": {"id": "msg_1", "model": "claude", "usage": {"input_tokens": 5, "output_tokens": 0}}}),
            json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
            json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hello"}}),
            json!({"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": {"output_tokens": 2}}),
            json!({"type": "message_stop"}),
        ] {
            body.extend(event("chunk", json!({"bytes": b64(ev)})));
        }
        let (docs, fault) = run(&body);
        assert!(fault.is_none(), "{fault:?}");
        let text: String = docs
            .iter()
            .filter_map(|d| d["choices"][0]["delta"]["content"].as_str())
            .collect();
        assert_eq!(text, "Hello");
        assert!(docs
            .iter()
            .any(|d| d["choices"][0]["finish_reason"] == "stop"));
    }
}
