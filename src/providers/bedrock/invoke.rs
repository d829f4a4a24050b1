//! InvokeModel for Anthropic Claude (`/model/{id}/invoke` and
//! `/invoke-with-response-stream`), as litellm's `AmazonAnthropicClaudeConfig`
//! (`chat/invoke_transformations/anthropic_claude3_transformation.py`): the
//! Messages API body of the Anthropic adapter without `model` and `stream` (the
//! URL carries both) and with `anthropic_version: bedrock-2023-05-31`; the
//! answer is a Messages API response. Other InvokeModel families (Titan text,
//! Llama 2, Cohere Command, Mistral 7B, …) are refused before any I/O: they are
//! reachable through Converse.

use serde_json::{Map, Value};

use super::{bad, base_model, is_claude};
use crate::error::Error;
use crate::providers::anthropic;

/// The `anthropic_version` Bedrock's Claude bodies carry.
pub const BEDROCK_ANTHROPIC_VERSION: &str = "bedrock-2023-05-31";

/// The InvokeModel body for `req` to model `id`.
pub fn build(req: &Map<String, Value>, id: &str) -> Result<Value, Error> {
    if !is_claude(id) {
        return Err(bad(format!(
            "bedrock/invoke/ is served for Anthropic Claude models only; call {id:?} through \
             the Converse API instead: model=\"bedrock/converse/{id}\""
        )));
    }
    let mut body = anthropic::build_body(req, base_model(id))?;
    if let Some(o) = body.as_object_mut() {
        o.remove("model");
        o.remove("stream");
        o.insert(
            "anthropic_version".into(),
            Value::from(BEDROCK_ANTHROPIC_VERSION),
        );
    }
    Ok(body)
}

/// A Messages API answer → an OpenAI chat completion.
pub fn response(v: &Value, raw: &[u8]) -> Result<Value, Error> {
    anthropic::translate_response(v, raw)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn claude_bodies_and_refusals() {
        let req = json!({"messages": [{"role": "system", "content": "s"}, {"role": "user", "content": "hi"}],
            "max_tokens": 10, "stream": true});
        let req = req.as_object().unwrap();
        let out = build(req, "us.anthropic.claude-3-5-sonnet-20240620-v1:0").unwrap();
        assert_eq!(
            out,
            json!({"messages": [{"role": "user", "content": [{"type": "text", "text": "hi"}]}],
                "system": [{"type": "text", "text": "s"}], "max_tokens": 10,
                "anthropic_version": "bedrock-2023-05-31"})
        );
        let e = build(req, "amazon.titan-text-express-v1").unwrap_err();
        assert!(e
            .message
            .contains("bedrock/converse/amazon.titan-text-express-v1"));
    }
}
