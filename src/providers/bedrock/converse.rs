//! OpenAI chat completions → a Converse request body
//! (docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html),
//! as litellm's `AmazonConverseConfig` (`chat/converse_transformation.py`) and
//! `_bedrock_converse_messages_pt` (`prompt_templates/factory.py`) build it.
//!
//! The message work is the Anthropic adapter's ([`anthropic::build_body`]:
//! system messages pulled out, consecutive user/tool and assistant turns
//! merged, tool calls and results paired, `response_format` as the forced
//! `json_tool_call` tool, `reasoning_effort` as a thinking budget); its blocks
//! are then rewritten into Converse's: `text`, `image`/`document` with base64
//! `source.bytes`, `toolUse`, `toolResult`, `reasoningContent`, and a
//! `cachePoint` after every block that carried `cache_control`. Sampling and
//! length go to `inferenceConfig`; `thinking` (Claude), `reasoningConfig`
//! (Nova 2) and every parameter Converse has no field for go to
//! `additionalModelRequestFields`, as litellm sends them.

use serde_json::{json, Map, Value};

use super::bad;
use crate::error::{Error, Kind};
use crate::providers::anthropic;
use crate::sigv4::sha256_hex;

/// Keys of the Anthropic body that are not model request fields.
const HANDLED: &[&str] = &[
    "model",
    "messages",
    "system",
    "max_tokens",
    "stop_sequences",
    "temperature",
    "top_p",
    "tools",
    "tool_choice",
    "thinking",
    "stream",
    "metadata",
];
/// Converse's own top-level fields, passed through when given.
const TOP_LEVEL: &[&str] = &[
    "requestMetadata",
    "guardrailConfig",
    "performanceConfig",
    "promptVariables",
    "additionalModelResponseFieldPaths",
];

fn cache_point() -> Value {
    json!({ "cachePoint": { "type": "default" } })
}

/// Push `block`, then a `cachePoint` if the Anthropic block had `cache_control`.
fn push(out: &mut Vec<Value>, block: Value, src: &Value) {
    out.push(block);
    if src.get("cache_control").is_some_and(Value::is_object) {
        out.push(cache_point());
    }
}

/// The Converse request for `req` to `model` (its base model id).
pub fn build(req: &Map<String, Value>, model: &str) -> Result<Value, Error> {
    let claude = model.starts_with("anthropic.");
    let nova2 = model.starts_with("amazon.nova-2");
    let mut req = req.clone();
    // Reasoning as litellm's `_handle_reasoning_effort_parameter`: Claude gets
    // a thinking budget (via the Anthropic translation), Nova 2 a
    // `reasoningConfig`, other models the value itself.
    let mut additional = Map::new();
    if !claude {
        if let Some(effort) = req.remove("reasoning_effort").filter(|v| !v.is_null()) {
            if nova2 {
                let e = effort.as_str().unwrap_or_default();
                if !matches!(e, "low" | "medium" | "high") {
                    return Err(bad(format!(
                        "Invalid reasoning_effort value '{e}' for Nova 2 models. Supported values: ['low', 'medium', 'high']"
                    )));
                }
                additional.insert(
                    "reasoningConfig".into(),
                    json!({ "type": "enabled", "maxReasoningEffort": e }),
                );
            } else {
                additional.insert("reasoning_effort".into(), effort);
            }
        }
    }
    if orphaned_tool_blocks(&req) {
        return Err(Error::new(
            Kind::UnsupportedParams,
            "Bedrock doesn't support tool calling without `tools=` param specified. Pass \
             `tools=` param OR set `litellm.modify_params = True` // \
             `litellm_settings::modify_params: True` to add dummy tool to the request.",
        ));
    }
    let explicit_max = ["max_completion_tokens", "max_tokens"]
        .iter()
        .any(|k| req.get(*k).is_some_and(|v| !v.is_null()));
    let body = anthropic::build_body(&req, model)?;
    let Value::Object(body) = body else {
        return Err(Error::new(
            Kind::Api,
            "the request did not translate to an object",
        ));
    };

    let mut out = Map::new();
    out.insert("messages".into(), Value::Array(messages(&body)?));
    if let Some(Value::Array(system)) = body.get("system") {
        let mut blocks = Vec::new();
        for b in system {
            push(
                &mut blocks,
                json!({ "text": b.get("text").cloned().unwrap_or_default() }),
                b,
            );
        }
        out.insert("system".into(), Value::Array(blocks));
    }

    let mut inference = Map::new();
    let thinking = body.get("thinking").filter(|t| t.is_object());
    // litellm sends maxTokens only when asked (or to make room for a thinking budget).
    if explicit_max || thinking.is_some() {
        if let Some(n) = body.get("max_tokens") {
            inference.insert("maxTokens".into(), n.clone());
        }
    }
    if let Some(t) = body.get("temperature").filter(|v| !v.is_null()) {
        inference.insert("temperature".into(), t.clone());
    }
    if let Some(t) = body.get("top_p").filter(|v| !v.is_null()) {
        inference.insert("topP".into(), t.clone());
    }
    if let Some(s) = body.get("stop_sequences") {
        inference.insert("stopSequences".into(), s.clone());
    }
    if !inference.is_empty() {
        out.insert("inferenceConfig".into(), Value::Object(inference));
    }

    if let Some(Value::Array(tools)) = body.get("tools") {
        let mut specs = Vec::new();
        for t in tools {
            push(&mut specs, tool_spec(t)?, t);
        }
        let mut config = json!({ "tools": specs });
        if let Some(choice) = body.get("tool_choice") {
            if let Some(c) = tool_choice(choice)? {
                config["toolChoice"] = c;
            }
        }
        out.insert("toolConfig".into(), config);
    }

    if let Some(t) = thinking {
        additional.insert("thinking".into(), t.clone());
    }
    for (k, v) in &body {
        if HANDLED.contains(&k.as_str()) || v.is_null() {
            continue;
        }
        if TOP_LEVEL.contains(&k.as_str()) {
            out.insert(k.clone(), v.clone());
        } else if k == "service_tier" {
            out.insert("serviceTier".into(), json!({ "type": v }));
        } else {
            additional.insert(k.clone(), v.clone());
        }
    }
    if !additional.is_empty() {
        out.insert(
            "additionalModelRequestFields".into(),
            Value::Object(additional),
        );
    }
    Ok(Value::Object(out))
}

/// Whether the history holds tool calls or results while no `tools` are given,
/// which Converse refuses (litellm's `_handle_orphaned_tool_blocks` raises
/// `UnsupportedParamsError` before any I/O unless `modify_params` adds a dummy tool).
fn orphaned_tool_blocks(req: &Map<String, Value>) -> bool {
    let tools = req
        .get("tools")
        .and_then(Value::as_array)
        .is_some_and(|t| !t.is_empty());
    let messages = req.get("messages").and_then(Value::as_array);
    !tools
        && messages.into_iter().flatten().any(|m| {
            let role = str_of(m, "role");
            let calls = m
                .get("tool_calls")
                .and_then(Value::as_array)
                .is_some_and(|c| !c.is_empty());
            (role == "assistant" && calls) || matches!(role, "tool" | "function")
        })
}

/// The Anthropic turns' blocks rewritten as Converse content blocks.
fn messages(body: &Map<String, Value>) -> Result<Vec<Value>, Error> {
    let turns = body
        .get("messages")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("messages must be a list of message dicts"))?;
    let mut out = Vec::with_capacity(turns.len());
    for turn in turns {
        let mut content = Vec::new();
        for b in turn
            .get("content")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            push(&mut content, block(b)?, b);
        }
        out.push(
            json!({ "role": turn.get("role").cloned().unwrap_or_default(), "content": content }),
        );
    }
    Ok(out)
}

fn str_of<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or_default()
}

/// One Anthropic content block → one Converse content block.
fn block(b: &Value) -> Result<Value, Error> {
    Ok(match str_of(b, "type") {
        "text" => json!({ "text": str_of(b, "text") }),
        "image" | "document" => media(b)?,
        "tool_use" => json!({ "toolUse": {
            "toolUseId": tool_use_id(str_of(b, "id")),
            "name": str_of(b, "name"),
            "input": b.get("input").cloned().unwrap_or_else(|| json!({})),
        }}),
        "tool_result" => {
            let content = match b.get("content") {
                Some(Value::String(s)) => vec![json!({ "text": s })],
                Some(Value::Array(parts)) => parts
                    .iter()
                    .map(|p| match str_of(p, "type") {
                        "text" => Ok(json!({ "text": str_of(p, "text") })),
                        _ => media(p),
                    })
                    .collect::<Result<Vec<_>, _>>()?,
                _ => vec![json!({ "text": "" })],
            };
            json!({ "toolResult": {
                "toolUseId": tool_use_id(str_of(b, "tool_use_id")),
                "content": content,
            }})
        }
        "thinking" => {
            let mut text = json!({ "text": str_of(b, "thinking") });
            if let Some(sig) = b.get("signature").filter(|s| s.is_string()) {
                text["signature"] = sig.clone();
            }
            json!({ "reasoningContent": { "reasoningText": text } })
        }
        "redacted_thinking" => {
            json!({ "reasoningContent": { "redactedContent": str_of(b, "data") } })
        }
        other => {
            return Err(bad(format!(
                "content of type {other:?} cannot be sent to Bedrock's Converse API"
            )))
        }
    })
}

/// A tool-call id as Converse takes it (`[a-zA-Z0-9_.:-]{1,64}`), as litellm's
/// `_sanitize_bedrock_tool_use_id`: other characters become `_`; an id that
/// changed or is too long gets `_` and 8 hex of the original's SHA-256 (within
/// 64), so distinct ids stay distinct and a call and its result still match.
fn tool_use_id(id: &str) -> String {
    const MAX: usize = 64;
    let clean: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "_.:-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    if clean == id && clean.len() <= MAX {
        return clean;
    }
    let digest = sha256_hex(id.as_bytes());
    let keep: String = clean.chars().take(MAX - 9).collect();
    format!("{keep}_{}", &digest[..8])
}

/// A base64 image or document → Converse's `image` / `document` block
/// (`format` from the media type; documents named as litellm names them:
/// `DocumentPDFmessages_{first 16 hex of sha256(data + len)}_{format}`).
/// URL sources are refused: Converse takes bytes, and they are not fetched here.
fn media(b: &Value) -> Result<Value, Error> {
    let source = b.get("source").unwrap_or(&Value::Null);
    if str_of(source, "type") != "base64" {
        return Err(bad(
            "Bedrock takes images and documents as bytes: pass them as base64 data: URLs \
             (http(s) URLs are not downloaded)",
        ));
    }
    let media_type = str_of(source, "media_type");
    let data: String = str_of(source, "data").split_whitespace().collect();
    let format = media_type.split('/').nth(1).unwrap_or(media_type);
    let format = match format {
        "jpg" => "jpeg",
        "plain" => "txt",
        "vnd.openxmlformats-officedocument.wordprocessingml.document" => "docx",
        "vnd.openxmlformats-officedocument.spreadsheetml.sheet" => "xlsx",
        "msword" => "doc",
        "vnd.ms-excel" => "xls",
        other => other,
    };
    let document = media_type.starts_with("application") || media_type.starts_with("text");
    if document {
        let sample = &data.as_bytes()[..data.len().min(64 * 1024)];
        let mut hashed = sample.to_vec();
        hashed.extend_from_slice(data.len().to_string().as_bytes());
        let hash = sha256_hex(&hashed);
        Ok(json!({ "document": {
            "format": format,
            "name": format!("DocumentPDFmessages_{}_{format}", &hash[..16]),
            "source": { "bytes": data },
        }}))
    } else if media_type.starts_with("video") {
        Ok(json!({ "video": { "format": format, "source": { "bytes": data } } }))
    } else {
        Ok(json!({ "image": { "format": format, "source": { "bytes": data } } }))
    }
}

/// An Anthropic tool → `{toolSpec: {name, description?, inputSchema: {json}}}`.
fn tool_spec(t: &Value) -> Result<Value, Error> {
    let name = t
        .get("name")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("every tool needs a function name"))?;
    let Some(schema) = t.get("input_schema") else {
        return Err(bad(format!(
            "tool {name:?} is not a function tool; Bedrock's Converse API takes function tools only"
        )));
    };
    let mut spec = json!({ "name": name, "inputSchema": { "json": schema } });
    if let Some(d) = t.get("description").filter(|d| d.is_string()) {
        spec["description"] = d.clone();
    }
    Ok(json!({ "toolSpec": spec }))
}

/// Anthropic's `tool_choice` → Converse's `toolChoice` (litellm's
/// `map_tool_choice_values`: auto → auto, required → any, a named function →
/// tool; `none` is refused as litellm does).
fn tool_choice(c: &Value) -> Result<Option<Value>, Error> {
    Ok(match str_of(c, "type") {
        "auto" => Some(json!({ "auto": {} })),
        "any" => Some(json!({ "any": {} })),
        "tool" => Some(json!({ "tool": { "name": str_of(c, "name") } })),
        "none" => {
            return Err(Error::new(
                Kind::UnsupportedParams,
                "Bedrock doesn't support tool_choice=none. To drop it from the call, set `litellm.drop_params = True.",
            ))
        }
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => unreachable!(),
        }
    }

    #[test]
    fn messages_system_tools_and_inference_config() {
        let r = req(json!({
            "model": "anthropic.claude-3-5-sonnet-20240620-v1:0",
            "messages": [
                {"role": "system", "content": "be brief", "cache_control": {"type": "ephemeral"}},
                {"role": "user", "content": "weather?"},
                {"role": "user", "content": [
                    {"type": "text", "text": "in Paris"},
                    {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}
                ]},
                {"role": "assistant", "content": null, "tool_calls": [{"id": "tooluse_1", "type": "function",
                    "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]},
                {"role": "tool", "tool_call_id": "tooluse_1", "content": "18C"},
            ],
            "tools": [{"type": "function", "function": {"name": "get_weather", "description": "w",
                "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}],
            "tool_choice": "required",
            "max_tokens": 100, "temperature": 0.2, "top_p": 0.9, "stop": "END", "top_k": 5,
            "stream": true,
        }));
        let out = build(&r, "anthropic.claude-3-5-sonnet-20240620-v1:0").unwrap();
        assert_eq!(
            out,
            json!({
                "messages": [
                    {"role": "user", "content": [
                        {"text": "weather?"}, {"text": "in Paris"},
                        {"image": {"format": "png", "source": {"bytes": "iVBORw0KGgo="}}},
                    ]},
                    {"role": "assistant", "content": [
                        {"toolUse": {"toolUseId": "tooluse_1", "name": "get_weather", "input": {"city": "Paris"}}},
                    ]},
                    {"role": "user", "content": [
                        {"toolResult": {"toolUseId": "tooluse_1", "content": [{"text": "18C"}]}},
                    ]},
                ],
                "system": [{"text": "be brief"}, {"cachePoint": {"type": "default"}}],
                "inferenceConfig": {"maxTokens": 100, "temperature": 0.2, "topP": 0.9, "stopSequences": ["END"]},
                "toolConfig": {
                    "tools": [{"toolSpec": {"name": "get_weather", "description": "w",
                        "inputSchema": {"json": {"type": "object", "properties": {"city": {"type": "string"}}}}}}],
                    "toolChoice": {"any": {}},
                },
                "additionalModelRequestFields": {"top_k": 5},
            })
        );
    }

    #[test]
    fn reasoning_documents_and_defaults() {
        let r = req(json!({
            "messages": [{"role": "user", "content": [
                {"type": "file", "file": {"file_data": "data:application/pdf;base64,JVBERi0="}},
                {"type": "text", "text": "sum up", "cache_control": {"type": "ephemeral"}},
            ]}],
            "reasoning_effort": "low",
        }));
        let out = build(&r, "anthropic.claude-3-7-sonnet-20250219-v1:0").unwrap();
        assert_eq!(out["inferenceConfig"], json!({"maxTokens": 1024 + 4096}));
        assert_eq!(
            out["additionalModelRequestFields"],
            json!({"thinking": {"type": "enabled", "budget_tokens": 1024}})
        );
        let content = &out["messages"][0]["content"];
        let hash = sha256_hex(b"JVBERi0=8");
        assert_eq!(
            content[0],
            json!({"document": {"format": "pdf", "name": format!("DocumentPDFmessages_{}_pdf", &hash[..16]),
                "source": {"bytes": "JVBERi0="}}})
        );
        assert_eq!(content[2], json!({"cachePoint": {"type": "default"}}));

        let plain = req(json!({"messages": [{"role": "user", "content": "hi"}]}));
        let out = build(&plain, "amazon.nova-lite-v1:0").unwrap();
        assert!(
            out.get("inferenceConfig").is_none(),
            "no maxTokens unless asked"
        );
        let nova2 = req(
            json!({"messages": [{"role": "user", "content": "hi"}], "reasoning_effort": "high"}),
        );
        let out = build(&nova2, "amazon.nova-2-lite-v1:0").unwrap();
        assert_eq!(
            out["additionalModelRequestFields"]["reasoningConfig"],
            json!({"type": "enabled", "maxReasoningEffort": "high"})
        );
        assert_eq!(tool_use_id("call_Ab-1.x:y"), "call_Ab-1.x:y");
        let odd = tool_use_id("toolu/01 é");
        assert!(
            odd.starts_with("toolu_01__") && odd.len() == 10 + 9,
            "{odd}"
        );
        assert_eq!(tool_use_id(&"a".repeat(70)).len(), 64);
        assert_ne!(tool_use_id("a/b"), tool_use_id("a b"));
        let url = req(json!({"messages": [{"role": "user", "content": [
            {"type": "image_url", "image_url": "https://example.com/a.png"}]}]}));
        assert_eq!(
            build(&url, "amazon.nova-lite-v1:0").unwrap_err().kind,
            Kind::BadRequest
        );
        let orphan = req(json!({"messages": [
            {"role": "user", "content": "hi"},
            {"role": "assistant", "tool_calls": [{"id": "t1", "type": "function",
                "function": {"name": "f", "arguments": "{}"}}]},
            {"role": "tool", "tool_call_id": "t1", "content": "ok"},
        ]}));
        let e = build(&orphan, "amazon.nova-lite-v1:0").unwrap_err();
        assert_eq!(e.kind, Kind::UnsupportedParams);
        assert!(e.message.contains("without `tools=`"));
        let none = req(
            json!({"messages": [{"role": "user", "content": "hi"}], "tool_choice": "none",
            "tools": [{"type": "function", "function": {"name": "f"}}]}),
        );
        assert_eq!(
            build(&none, "amazon.nova-lite-v1:0").unwrap_err().kind,
            Kind::UnsupportedParams
        );
    }
}
