//! Azure OpenAI's legacy completions (`azure_text/<deployment>`, litellm's
//! `AzureTextCompletion` with `AzureOpenAITextConfig`): instruct deployments
//! (gpt-35-turbo-instruct) at `{api_base}/openai/deployments/{deployment}/completions?api-version=…`,
//! with Azure's URLs, auth and errors ([`super::Azure`]).
//!
//! `text_completion` sends its prompt as given. A chat call is sent as
//! litellm's `AzureTextCompletion` sends it: the messages' texts, joined, are
//! the prompt (`prompt_factory` → `azure_text_pt`: string contents and text
//! parts, no separator, roles dropped), and the answer's choices become
//! assistant messages (`convert_to_chat_model_response_object`); stream chunks'
//! `text` becomes `delta.content`.

use std::sync::Arc;

use serde_json::{Map, Value};

use super::Azure;
use crate::error::{Error, Kind};
use crate::http::HttpRequest;
use crate::providers::body::parse_body;
use crate::providers::{
    unsupported, Endpoint, Params, Provider, StreamDecoder, Target, TokenSource,
};

/// Azure OpenAI's completions API: `azure_text/<deployment>`.
pub struct AzureText;

fn object(body: &[u8]) -> Result<Map<String, Value>, Error> {
    match parse_body(body)? {
        Value::Object(m) => Ok(m),
        _ => Err(Error::new(
            Kind::BadRequest,
            "the request is not a JSON object",
        )),
    }
}

fn to_bytes(v: &Value) -> Result<Vec<u8>, Error> {
    serde_json::to_vec(v).map_err(|e| Error::new(Kind::Api, e.to_string()))
}

/// A message's text: its string content, or its content parts' `text`s joined
/// (litellm's `convert_content_list_to_str`; other parts contribute nothing).
fn message_text(message: &Value) -> String {
    match message.get("content") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(parts)) => parts
            .iter()
            .filter_map(|p| p.get("text").and_then(Value::as_str))
            .collect(),
        _ => String::new(),
    }
}

/// litellm's `azure_text_pt`: the prompt for `messages`, their texts joined.
fn prompt(messages: &[Value]) -> String {
    messages.iter().map(message_text).collect()
}

/// A chat request as a completions request: `messages` replaced by `prompt`.
fn completions_request(body: &[u8]) -> Result<Vec<u8>, Error> {
    let mut req = object(body)?;
    let messages = match req.remove("messages") {
        Some(Value::Array(m)) if !m.is_empty() => m,
        _ => {
            return Err(Error::new(
                Kind::BadRequest,
                "messages must be a non-empty list",
            ))
        }
    };
    req.insert("prompt".into(), Value::String(prompt(&messages)));
    to_bytes(&Value::Object(req))
}

/// One completions choice (`text`) as a chat choice: a `message` in an
/// answer, a `delta` in a stream chunk.
fn chat_choice(choice: &Value, position: usize, field: &str) -> Value {
    let mut out = Map::new();
    let index = choice
        .get("index")
        .cloned()
        .unwrap_or_else(|| Value::from(position));
    out.insert("index".into(), index);
    let text = choice.get("text").cloned().unwrap_or(Value::Null);
    let mut message = Map::new();
    if field == "message" {
        message.insert("role".into(), Value::from("assistant"));
    }
    message.insert("content".into(), text);
    out.insert(field.into(), Value::Object(message));
    for k in ["logprobs", "content_filter_results"] {
        if let Some(v) = choice.get(k) {
            out.insert(k.into(), v.clone());
        }
    }
    out.insert(
        "finish_reason".into(),
        choice.get("finish_reason").cloned().unwrap_or(Value::Null),
    );
    Value::Object(out)
}

/// A completions answer (or stream chunk) as a chat one.
fn as_chat(body: &[u8], object_name: &str, field: &str) -> Result<Vec<u8>, Error> {
    let mut doc = match parse_body(body)? {
        Value::Object(m) => m,
        _ => return Ok(body.to_vec()),
    };
    if let Some(Value::Array(choices)) = doc.get_mut("choices") {
        let converted: Vec<Value> = choices
            .iter()
            .enumerate()
            .map(|(i, c)| chat_choice(c, i, field))
            .collect();
        *choices = converted;
    }
    doc.insert("object".into(), Value::from(object_name));
    to_bytes(&Value::Object(doc))
}

impl Provider for AzureText {
    fn request(
        &self,
        endpoint: Endpoint,
        target: &Target,
        body: Vec<u8>,
    ) -> Result<HttpRequest, Error> {
        let body = match endpoint {
            Endpoint::TextCompletion => body,
            Endpoint::Chat => completions_request(&body)?,
            other => return Err(unsupported(other, "azure_text")),
        };
        Azure.request(Endpoint::TextCompletion, target, body)
    }

    fn token_source(
        &self,
        params: &Params,
        api_key: Option<&str>,
    ) -> Result<Option<Arc<dyn TokenSource>>, Error> {
        Azure.token_source(params, api_key)
    }

    fn response(&self, endpoint: Endpoint, model: &str, body: Vec<u8>) -> Result<Vec<u8>, Error> {
        let body = Azure.response(Endpoint::TextCompletion, model, body)?;
        match endpoint {
            // Then each choice's filter results go where Azure's chat answers have them.
            Endpoint::Chat => {
                as_chat(&body, "chat.completion", "message").and_then(super::choice_fields_kept)
            }
            _ => Ok(body),
        }
    }

    fn stream_decoder(&self, endpoint: Endpoint) -> Box<dyn StreamDecoder> {
        let _ = endpoint;
        Box::new(TextChunks {
            inner: Azure.stream_decoder(Endpoint::Chat),
        })
    }

    fn error(&self, status: u16, body: &[u8]) -> Error {
        Azure.error(status, body)
    }
}

/// A completions stream's chunks as chat chunks (after Azure's prompt-filter
/// chunk is dropped by Azure's stream decoder).
struct TextChunks {
    inner: Box<dyn StreamDecoder>,
}

impl TextChunks {
    fn convert(chunks: Vec<Vec<u8>>) -> Result<Vec<Vec<u8>>, Error> {
        chunks
            .iter()
            .map(|c| as_chat(c, "chat.completion.chunk", "delta"))
            .collect()
    }
}

impl StreamDecoder for TextChunks {
    fn feed(&mut self, bytes: &[u8]) -> Result<Vec<Vec<u8>>, Error> {
        self.inner.feed(bytes).and_then(TextChunks::convert)
    }

    fn finish(&mut self) -> Result<Vec<Vec<u8>>, Error> {
        self.inner.finish().and_then(TextChunks::convert)
    }

    fn done(&self) -> bool {
        self.inner.done()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::NO_PARAMS;
    use serde_json::json;

    fn request(endpoint: Endpoint, body: Value) -> HttpRequest {
        let t = Target {
            base: "https://r.openai.azure.com",
            api_key: Some("k"),
            token: None,
            model: "instruct",
            uploads: &[],
            params: &NO_PARAMS,
            fetched: None,
        };
        AzureText
            .request(endpoint, &t, serde_json::to_vec(&body).unwrap())
            .unwrap()
    }

    #[test]
    fn chat_messages_become_litellms_azure_text_prompt() {
        let r = request(
            Endpoint::Chat,
            json!({"model": "instruct", "messages": [{"role": "user", "content": "Say hi"}], "max_tokens": 5}),
        );
        assert!(r.url.starts_with(
            "https://r.openai.azure.com/openai/deployments/instruct/completions?api-version="
        ));
        let sent: Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(
            sent,
            json!({"model": "instruct", "prompt": "Say hi", "max_tokens": 5})
        );
        let r = request(
            Endpoint::Chat,
            json!({"model": "instruct", "messages": [
                {"role": "system", "content": "Be brief."},
                {"role": "user", "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]},
            ]}),
        );
        let sent: Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(sent["prompt"], json!("Be brief.ab"));
        let r = request(
            Endpoint::TextCompletion,
            json!({"model": "instruct", "prompt": ["x", "y"]}),
        );
        assert_eq!(
            serde_json::from_slice::<Value>(&r.body).unwrap()["prompt"],
            json!(["x", "y"])
        );
    }

    #[test]
    fn answers_and_chunks_become_chat_shaped() {
        // learn.microsoft.com/azure/ai-services/openai/reference#completions
        let answer = br#"{"id":"cmpl-1","object":"text_completion","created":1,"model":"gpt-35-turbo-instruct","choices":[{"text":" hi","index":0,"finish_reason":"length","logprobs":null,"content_filter_results":{}}],"usage":{"prompt_tokens":2,"completion_tokens":1,"total_tokens":3}}"#;
        let out: Value = serde_json::from_slice(
            &AzureText
                .response(Endpoint::Chat, "d", answer.to_vec())
                .unwrap(),
        )
        .unwrap();
        assert_eq!(out["object"], "chat.completion");
        assert_eq!(
            out["choices"][0]["message"],
            json!({"role": "assistant", "content": " hi"})
        );
        assert_eq!(out["choices"][0]["finish_reason"], "length");
        assert_eq!(out["usage"]["total_tokens"], 3);
        let same = AzureText
            .response(Endpoint::TextCompletion, "d", answer.to_vec())
            .unwrap();
        assert_eq!(
            serde_json::from_slice::<Value>(&same).unwrap()["choices"][0]["text"],
            " hi"
        );
        let mut d = AzureText.stream_decoder(Endpoint::Chat);
        let out = d
            .feed(b"data: {\"id\":\"\",\"object\":\"\",\"created\":0,\"model\":\"\",\"choices\":[],\"prompt_filter_results\":[{\"prompt_index\":0}]}\n\ndata: {\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,\"model\":\"m\",\"choices\":[{\"text\":\"Hel\",\"index\":0,\"finish_reason\":null,\"logprobs\":null}]}\n\ndata: [DONE]\n\n")
            .unwrap();
        assert_eq!(out.len(), 1);
        let chunk: Value = serde_json::from_slice(&out[0]).unwrap();
        assert_eq!(chunk["object"], "chat.completion.chunk");
        assert_eq!(chunk["choices"][0]["delta"], json!({"content": "Hel"}));
        assert!(d.done());
    }
}
