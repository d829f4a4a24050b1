//! `GenerateContentResponse` and embedding answers as OpenAI responses.

use super::*;

pub(super) fn translate_response(
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
pub(super) fn chat_response(doc: &Value, model: Option<&str>) -> Value {
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
pub(super) struct Reply {
    content: Option<String>,
    reasoning: Option<String>,
    pub(super) tool_calls: Vec<Value>,
    text_signatures: Vec<Value>,
}

impl Reply {
    /// Read `parts`; tool calls get `index` values from `next_index` on.
    pub(super) fn read(parts: &[Value], next_index: usize) -> Reply {
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
    pub(super) fn fields(self) -> Map<String, Value> {
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
pub(super) fn tool_call(call: &Value, signature: Option<&str>, index: usize) -> Value {
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
pub(super) fn call_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let state = std::collections::hash_map::RandomState::new();
    let (a, b) = (state.hash_one(n), state.hash_one(!n));
    format!("call_{a:016x}{:08x}", b as u32)
}

pub(super) fn choice(candidate: &Value, i: usize) -> Value {
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
pub(super) fn is_flagged(reason: &str) -> bool {
    matches!(
        reason,
        "SAFETY" | "RECITATION" | "BLOCKLIST" | "PROHIBITED_CONTENT" | "SPII" | "IMAGE_SAFETY"
    )
}

/// litellm's `_check_finish_reason`: `tool_calls` when the candidate called a
/// function, else Gemini's reason mapped (`STOP` → `stop`, `MAX_TOKENS` →
/// `length`, filters → `content_filter`, anything else → `stop`).
pub(super) fn finish_reason(reason: Option<&str>, called: bool) -> &'static str {
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
pub(super) fn logprobs(result: &Value) -> Option<Value> {
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
pub(super) fn usage(meta: &Value) -> Value {
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
pub(super) fn embedding_response(doc: &Value, model: Option<&str>) -> Result<Value, Error> {
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
