//! The adapter on Google's documented payloads.

use super::*;

fn target<'a>(base: &'a str, key: Option<&'a str>) -> Target<'a> {
    Target {
        base,
        api_key: key,
        token: None,
        model: "gemini-2.5-flash",
        uploads: &[],
        params: &crate::providers::NO_PARAMS,
        fetched: None,
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
        token: None,
        model: "gemini-3-flash",
        uploads: &[],
        params: &crate::providers::NO_PARAMS,
        fetched: None,
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
        token: None,
        model: "gemini-3-pro-preview",
        uploads: &[],
        params: &crate::providers::NO_PARAMS,
        fetched: None,
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
