//! litellm's shaping of stream chunks (`CustomStreamWrapper`,
//! `litellm_core_utils/streaming_handler.py`), done here on the chunk JSON so
//! Python only validates each chunk into its `ModelResponseStream`:
//!
//! - a chunk whose choices all have an empty delta and no `finish_reason`
//!   (the provider's role-only opening chunk, keep-alives) is dropped; so is a
//!   chunk without `choices`;
//! - every later chunk carries the first chunk's `id` (`"chatcmpl-<uuid4>"`
//!   when the first had none) and the call's `model` (no provider prefix);
//! - `delta.role` is `"assistant"` in the first chunk passed on, `null` after;
//! - every streamed tool-call fragment has a `type` (`"function"` when unset);
//! - `usage` is `null` unless `stream_options={"include_usage": True}`; then
//!   the provider's usage-only chunk (`choices: []`) gets one empty choice.
//!
//! A chunk that is not shaped as a chunk (not an object, `choices` not a
//! list, an `id` that is not a string...) is passed on untouched, so Python's
//! validation raises for it as it would without shaping.

use serde_json::{Map, Value};

/// `chunks` shaped by `shaper` (those it drops left out), or unchanged without one.
pub fn batch(shaper: Option<&mut Shaper>, chunks: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    match shaper {
        Some(s) => chunks.into_iter().filter_map(|c| s.shape(c)).collect(),
        None => chunks,
    }
}

/// The shaping state of one stream.
pub struct Shaper {
    model: String,
    include_usage: bool,
    id: Option<String>,
    sent_first: bool,
}

impl Shaper {
    /// For a stream of `model` (the id without provider prefix); `include_usage`
    /// is the caller's `stream_options["include_usage"]`.
    pub fn new(model: String, include_usage: bool) -> Self {
        Shaper {
            model,
            include_usage,
            id: None,
            sent_first: false,
        }
    }

    /// The chunk to hand to Python, or `None` when litellm drops it.
    pub fn shape(&mut self, raw: Vec<u8>) -> Option<Vec<u8>> {
        let Ok(Value::Object(mut chunk)) = serde_json::from_slice::<Value>(&raw) else {
            return Some(raw);
        };
        let id = match (&self.id, chunk.get("id")) {
            (Some(id), _) => id.clone(),
            (None, Some(Value::String(first))) => first.clone(),
            (None, None) => new_id(),
            (None, Some(_)) => return Some(raw),
        };
        self.id = Some(id.clone());
        let keep = match chunk.get_mut("choices") {
            None => false,
            Some(Value::Array(choices)) if choices.is_empty() => {
                let usage = chunk.get("usage").is_some_and(|u| !u.is_null());
                if usage && self.include_usage {
                    chunk.insert(
                        "choices".into(),
                        Value::Array(vec![Value::Object(Map::new())]),
                    );
                    true
                } else {
                    false
                }
            }
            Some(Value::Array(choices)) => {
                let shaped = |c: &Value| {
                    c.as_object()
                        .is_some_and(|c| c.get("delta").map_or(true, Value::is_object))
                };
                if !choices.iter().all(shaped) {
                    return Some(raw);
                }
                !choices.iter().all(empty)
            }
            Some(_) => return Some(raw),
        };
        if !keep {
            return None;
        }
        chunk.insert("id".into(), Value::String(id));
        chunk.insert("model".into(), Value::String(self.model.clone()));
        let role = match self.sent_first {
            false => Value::String("assistant".into()),
            true => Value::Null,
        };
        if let Some(Value::Array(choices)) = chunk.get_mut("choices") {
            for choice in choices.iter_mut().filter_map(Value::as_object_mut) {
                let delta = choice
                    .entry("delta")
                    .or_insert_with(|| Value::Object(Map::new()));
                let Some(delta) = delta.as_object_mut() else {
                    continue; // checked above: every delta is an object
                };
                delta.insert("role".into(), role.clone());
                if let Some(Value::Array(calls)) = delta.get_mut("tool_calls") {
                    for call in calls.iter_mut().filter_map(Value::as_object_mut) {
                        if !call.get("type").is_some_and(truthy) {
                            call.insert("type".into(), Value::String("function".into()));
                        }
                    }
                }
            }
        }
        if !self.include_usage {
            chunk.insert("usage".into(), Value::Null);
        }
        self.sent_first = true;
        Some(serde_json::to_vec(&Value::Object(chunk)).unwrap_or(raw))
    }
}

/// A choice with nothing to show: no `finish_reason` and an empty delta.
fn empty(choice: &Value) -> bool {
    let absent = |v: Option<&Value>| !v.is_some_and(truthy);
    let delta = choice.get("delta");
    let field = |name: &str| delta.and_then(|d| d.get(name));
    matches!(choice.get("finish_reason"), None | Some(Value::Null))
        && absent(field("content"))
        && absent(field("tool_calls"))
        && matches!(field("function_call"), None | Some(Value::Null))
        && absent(field("reasoning_content"))
        && absent(field("thinking_blocks"))
}

/// Python's truth value of the JSON value.
fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// litellm's id for a response the provider sent none for: `"chatcmpl-"` and
/// a random (version 4) UUID.
fn new_id() -> String {
    use std::hash::BuildHasher;
    let half = |n: u8| std::collections::hash_map::RandomState::new().hash_one(n);
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&half(0).to_le_bytes());
    b[8..].copy_from_slice(&half(1).to_le_bytes());
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "chatcmpl-{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(shaper: &mut Shaper, chunk: Value) -> Option<Value> {
        let raw = serde_json::to_vec(&chunk).unwrap();
        shaper
            .shape(raw)
            .map(|out| serde_json::from_slice(&out).unwrap())
    }

    #[test]
    fn role_id_model_and_usage_as_litellm() {
        let mut s = Shaper::new("m".into(), false);
        let open =
            json!({"id": "a", "model": "p/m", "choices": [{"delta": {"role": "assistant"}}]});
        assert_eq!(run(&mut s, open), None);
        let text = json!({"id": "b", "choices": [{"index": 0, "delta": {"content": "hi"}}],
                          "usage": {"total_tokens": 1}});
        let out = run(&mut s, text.clone()).unwrap();
        assert_eq!(out["id"], "a");
        assert_eq!(out["model"], "m");
        assert_eq!(out["choices"][0]["delta"]["role"], "assistant");
        assert_eq!(out["usage"], Value::Null);
        let out = run(&mut s, text).unwrap();
        assert_eq!(out["choices"][0]["delta"]["role"], Value::Null);
        let usage_only = json!({"id": "c", "choices": [], "usage": {"total_tokens": 3}});
        assert_eq!(run(&mut s, usage_only), None);
    }

    #[test]
    fn usage_chunk_gets_one_empty_choice_when_asked_for() {
        let mut s = Shaper::new("m".into(), true);
        let out = run(&mut s, json!({"choices": [], "usage": {"total_tokens": 3}})).unwrap();
        assert!(out["id"].as_str().unwrap().starts_with("chatcmpl-"));
        assert_eq!(out["id"].as_str().unwrap().len(), 9 + 36);
        assert_eq!(out["choices"], json!([{"delta": {"role": "assistant"}}]));
        assert_eq!(out["usage"]["total_tokens"], 3);
    }

    #[test]
    fn finish_reason_and_tool_calls_are_kept_and_typed() {
        let mut s = Shaper::new("m".into(), false);
        let finish = json!({"id": "a", "choices": [{"delta": {}, "finish_reason": "stop"}]});
        assert!(run(&mut s, finish).is_some());
        let tool = json!({"id": "a", "choices": [{"delta": {"tool_calls": [
            {"index": 0, "function": {"arguments": "{"}}, {"type": "function"}]}}]});
        let out = run(&mut s, tool).unwrap();
        assert_eq!(
            out["choices"][0]["delta"]["tool_calls"][0]["type"],
            "function"
        );
        let keepalive = json!({"id": "a", "choices": [{"delta": {"content": ""}}]});
        assert_eq!(run(&mut s, keepalive), None);
    }

    #[test]
    fn malformed_chunks_pass_untouched() {
        let mut s = Shaper::new("m".into(), false);
        for raw in [&b"[1]"[..], b"not json", br#"{"id": 3, "choices": []}"#] {
            assert_eq!(s.shape(raw.to_vec()).unwrap(), raw);
        }
        let bad = br#"{"id": "x", "choices": [{"delta": null}]}"#;
        assert_eq!(s.shape(bad.to_vec()).unwrap(), bad);
        let odd = br#"{"id": "x", "choices": "no"}"#;
        assert_eq!(s.shape(odd.to_vec()).unwrap(), odd);
    }
}
