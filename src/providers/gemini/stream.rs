//! `streamGenerateContent?alt=sse` records as OpenAI chunks.

use super::*;

/// Each SSE record is a whole `GenerateContentResponse`; each becomes one
/// OpenAI chunk. Function calls arrive whole and leave as complete tool-call
/// deltas. The last `usageMetadata` seen is sent after the body ends as a
/// usage-only chunk (`choices: []`), as OpenAI sends it.
#[derive(Default)]
pub(super) struct ChunkDecoder {
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
