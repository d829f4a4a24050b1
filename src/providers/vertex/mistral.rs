//! Mistral and Codestral chat on Vertex AI (publisher `mistralai`).
//!
//! As litellm 1.110.2 sends them (`vertex_ai_partner_models/main.py`,
//! `VertexPartnerProvider.mistralai` in `vertex_llm_base.py`
//! `create_vertex_url`, then `_check_custom_proxy`): `:rawPredict`, streamed
//! `:streamRawPredict`, on
//! `{host}/v1/projects/{project}/locations/{location}/publishers/mistralai/models/{model}`
//! where `{model}` is the id as given (`mistral-large@2411`), and Mistral's
//! own chat body (OpenAI's, with litellm's `MistralConfig` mapping:
//! `max_completion_tokens` as `max_tokens`, `seed` as `random_seed`,
//! `tool_choice: "required"` as `"any"`, 9-character tool-call ids) whose
//! `model` is the id without its `@version`. Answers and stream chunks are
//! OpenAI's. Codestral's fill-in-the-middle (`text_completion`) is not served.

use std::sync::Arc;

use super::openapi::OpenApi;
use super::{object, post_bytes, token_source, url};
use crate::error::{Error, Kind};
use crate::http::HttpRequest;
use crate::providers::openai::MISTRAL;
use crate::providers::TokenSource;
use crate::providers::{unsupported, Endpoint, Params, Provider, StreamDecoder, Target};

/// Mistral and Codestral on Vertex AI, [`super::Google::variant`] for the ids
/// [`serves`] accepts.
pub struct Mistral;

/// Whether `model` (the id after `vertex_ai/`) is a Mistral partner model
/// (litellm's `PartnerModelPrefixes` `mistral`, `codestral`).
pub fn serves(model: &str) -> bool {
    model.starts_with("mistral") || model.starts_with("codestral")
}

impl Provider for Mistral {
    fn request(
        &self,
        endpoint: Endpoint,
        target: &Target,
        body: Vec<u8>,
    ) -> Result<HttpRequest, Error> {
        if endpoint != Endpoint::Chat {
            return Err(unsupported(endpoint, "vertex_ai"));
        }
        let mut req = object(&body)?;
        let name = target.model.split('@').next().unwrap_or(target.model);
        req.insert("model".into(), name.into());
        if let Some(v) = req.remove("max_completion_tokens") {
            req.entry("max_tokens").or_insert(v);
        }
        let stream = super::streams(&req);
        let bytes =
            serde_json::to_vec(&req).map_err(|e| Error::new(Kind::BadRequest, e.to_string()))?;
        let method = if stream {
            "streamRawPredict"
        } else {
            "rawPredict"
        };
        let url = url(target, "mistralai", method, false)?;
        post_bytes(url, MISTRAL.quirks.chat_body(name, bytes)?, target)
    }

    fn token_source(
        &self,
        params: &Params,
        api_key: Option<&str>,
    ) -> Result<Option<Arc<dyn TokenSource>>, Error> {
        token_source(params, api_key)
    }

    fn base(&self, params: &Params) -> Result<Option<String>, Error> {
        OpenApi.base(params)
    }

    fn response(&self, endpoint: Endpoint, model: &str, body: Vec<u8>) -> Result<Vec<u8>, Error> {
        OpenApi.response(endpoint, model, body)
    }

    fn stream_decoder(&self, endpoint: Endpoint) -> Box<dyn StreamDecoder> {
        OpenApi.stream_decoder(endpoint)
    }

    /// Google's error body from Vertex AI's front end, else OpenAI's (as [`OpenApi`]).
    fn error(&self, status: u16, body: &[u8]) -> Error {
        OpenApi.error(status, body)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::{json, Value};

    use super::*;
    use crate::providers::vertex::{host, DEFAULT_LOCATION};

    #[test]
    fn raw_predict_url_and_mistral_body() {
        let params = Params::new(
            [("vertex_project".to_owned(), "p1".to_owned())]
                .into_iter()
                .collect::<BTreeMap<_, _>>(),
        );
        let base = host(DEFAULT_LOCATION);
        let t = Target {
            base: &base,
            api_key: None,
            token: Some("ya29.token"),
            model: "mistral-large@2411",
            uploads: &[],
            params: &params,
            fetched: None,
        };
        let body = json!({"model": "x", "stream": true, "seed": 3, "max_completion_tokens": 9,
            "tool_choice": "required", "messages": [{"role": "user", "content": "hi"}]});
        let req = Mistral
            .request(Endpoint::Chat, &t, body.to_string().into_bytes())
            .unwrap();
        assert_eq!(
            req.url,
            "https://us-central1-aiplatform.googleapis.com/v1/projects/p1/locations/us-central1/\
             publishers/mistralai/models/mistral-large@2411:streamRawPredict"
        );
        assert_eq!(req.headers["authorization"], "Bearer ya29.token");
        let sent: Value = serde_json::from_slice(&req.body).unwrap();
        assert_eq!(sent["model"], "mistral-large");
        assert_eq!(
            (sent["random_seed"].clone(), sent["max_tokens"].clone()),
            (json!(3), json!(9))
        );
        assert_eq!(sent["tool_choice"], "any");
        assert!(sent.get("seed").is_none());
        assert!(super::super::Google.variant("codestral@2405").is_some());
        assert!(serves("mistral-small-2503@001") && !serves("meta/llama-3.3-70b-instruct-maas"));
    }
}
