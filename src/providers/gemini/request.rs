//! The `GenerateContentRequest` for an OpenAI chat body (messages, parts,
//! generation config) and the embedding requests.

use super::*;

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
pub(super) fn present<'a>(req: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    req.get(key).filter(|v| !v.is_null())
}

/// Contents being built: consecutive turns of one role are merged, as Gemini
/// wants alternating `user` / `model` turns.
#[derive(Default)]
pub(super) struct Turns(Vec<(&'static str, Vec<Value>)>);

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
pub(super) fn convert_messages(
    messages: &[Value],
    model: &str,
) -> Result<(Option<Value>, Value), Error> {
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

pub(super) fn system_parts(content: Option<&Value>, i: usize) -> Result<Vec<Value>, Error> {
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

pub(super) fn push_text(parts: &mut Vec<Value>, text: &str) {
    if !text.is_empty() {
        parts.push(json!({"text": text}));
    }
}

/// A user message's parts: text, images, audio and files (litellm's
/// `_gemini_convert_messages_with_history`).
pub(super) fn user_parts(content: Option<&Value>, i: usize) -> Result<Vec<Value>, Error> {
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
pub(super) fn media_part(url: &str, format: Option<&str>) -> Result<Value, String> {
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
pub(super) fn mime_from_extension(url: &str) -> Option<&'static str> {
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
pub(super) fn model_parts(
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

pub(super) fn function_call_part(
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
pub(super) fn function_response(
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

/// litellm's `map_openai_params` for Gemini, in Gemini's field names.
pub(super) fn generation_config(
    req: &Map<String, Value>,
    model: &str,
) -> Result<Map<String, Value>, Error> {
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
pub(super) fn response_format(
    format: &Value,
    config: &mut Map<String, Value>,
) -> Result<(), Error> {
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
pub(super) fn thinking_for_effort(effort: &str, model: &str) -> Result<Value, Error> {
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

pub(super) fn unknown_effort(effort: &str) -> Error {
    bad(format!(
        "reasoning_effort {effort:?} is not one of minimal, low, medium, high, disable, none"
    ))
}

/// `(method, body)`: `embedContent` for one string, `batchEmbedContents` for a
/// list (litellm's `batch_embed_content_transformation.py`); `dimensions` →
/// `outputDimensionality`, `task_type` → `taskType`, `title` passes through.
pub(super) fn embed_request(
    req: &Map<String, Value>,
    model: &str,
) -> Result<(&'static str, Value), Error> {
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
