//! Vertex AI Model Garden partner models served as a service ("MaaS") through
//! Vertex's OpenAI-compatible endpoint: Llama (`meta/llama-...-maas`),
//! DeepSeek (`deepseek-ai/...`), Qwen (`qwen/...`), GPT-OSS
//! (`openai/gpt-oss-...`), MiniMax, Moonshot, Z.ai and Gemma MaaS.
//!
//! As litellm 1.110.2 sends them (`vertex_ai_partner_models/main.py`
//! `is_vertex_partner_model`, `should_use_openai_handler`;
//! `vertex_llm_base.py` `create_vertex_url` for `VertexPartnerProvider.llama`):
//! `POST {base}/v1/projects/{project}/locations/{location}/endpoints/openapi/chat/completions`,
//! where `{base}` is the location's host or the caller's `api_base` as given
//! (the path is always appended: litellm does not graft partner-model paths
//! onto a custom base), with the OpenAI chat body whose `model` is the
//! publisher-qualified id (`meta/llama-3.3-70b-instruct-maas`), a stream asked
//! for by `"stream": true` in the body, and the same bearer token as every
//! Vertex AI call. Answers and stream chunks are OpenAI's.
//!
//! litellm's `VertexAILlama3Config`, which serves every one of these but
//! GPT-OSS, sends `max_completion_tokens` as `max_tokens`; and a `file`
//! content part with inline `file_data` is sent as an `image_url` part of that
//! data URL (litellm's `messages_with_file_parts_as_image_urls`).

use std::sync::Arc;

use serde_json::{json, Map, Value};

use super::{location, object, post, project, token_source};
use crate::error::Error;
use crate::http::HttpRequest;
use crate::providers::openai::COMPATIBLE;
use crate::providers::TokenSource;
use crate::providers::{gemini, unsupported, Endpoint, Params, Provider, StreamDecoder, Target};

/// Partner models on Vertex AI's OpenAI-compatible endpoint,
/// [`super::Google::variant`] for the ids [`serves`] accepts.
pub struct OpenApi;

/// Model-id prefixes litellm treats as Vertex AI partner models
/// (`PartnerModelPrefixes`) whose wire format is not OpenAI's: they go to
/// their publisher's own route, not to this adapter.
const OTHER_PARTNERS: &[&str] = &["mistral", "codestral", "jamba", "claude"];
/// Partner-model prefixes (`PartnerModelPrefixes`) that may be served by the
/// OpenAI-compatible endpoint.
const PARTNER_PREFIXES: &[&str] = &[
    "meta/",
    "deepseek-ai",
    "qwen",
    "openai/gpt-oss-",
    "minimaxai/",
    "moonshotai/",
    "zai-org/",
    "google/gemma-",
];
/// Substrings that send a partner model to the OpenAI-compatible endpoint
/// (litellm's `OPENAI_LIKE_VERTEX_PROVIDERS`, matched anywhere in the id).
const OPENAI_LIKE: &[&str] = &[
    "llama",
    "deepseek-ai",
    "qwen",
    "openai/gpt-oss-",
    "minimaxai/",
    "moonshotai/",
    "zai-org/",
    "google/gemma-",
];

/// Whether litellm sends `model` (the id after `vertex_ai/`) to the
/// OpenAI-compatible endpoint: a partner model (by prefix) whose id names an
/// OpenAI-like family, and not one of the partners with their own wire format.
pub fn serves(model: &str) -> bool {
    PARTNER_PREFIXES.iter().any(|p| model.starts_with(p))
        && !OTHER_PARTNERS.iter().any(|p| model.contains(p))
        && OPENAI_LIKE.iter().any(|p| model.contains(p))
}

/// Every `{"type": "file", "file": {"file_data": "data:..."}}` content part of
/// `req`'s messages as `{"type": "image_url", "image_url": {"url": "data:..."}}`,
/// keeping the part's other fields (`cache_control`, ...).
fn file_parts_as_image_urls(req: &mut Map<String, Value>) {
    let Some(Value::Array(messages)) = req.get_mut("messages") else {
        return;
    };
    let parts = messages
        .iter_mut()
        .filter_map(|m| m.get_mut("content").and_then(Value::as_array_mut))
        .flatten();
    for part in parts {
        let Some(obj) = part.as_object_mut() else {
            continue;
        };
        if obj.get("type").and_then(Value::as_str) != Some("file") {
            continue;
        }
        let data = obj.get("file").and_then(|f| f.get("file_data"));
        let Some(url) = data.and_then(Value::as_str).filter(|d| !d.is_empty()) else {
            continue;
        };
        let url = url.to_owned();
        obj.remove("file");
        obj.insert("type".into(), "image_url".into());
        obj.insert("image_url".into(), json!({ "url": url }));
    }
}

/// The endpoint's URL for the call's project and location.
fn url(target: &Target) -> Result<String, Error> {
    let params = target.params;
    Ok(format!(
        "{}/v1/projects/{}/locations/{}/endpoints/openapi/chat/completions",
        target.base.trim_end_matches('/'),
        project(params)?,
        location(params)?,
    ))
}

impl Provider for OpenApi {
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
        req.insert("model".into(), target.model.into());
        file_parts_as_image_urls(&mut req);
        if !target.model.contains("gpt-oss") {
            if let Some(v) = req.remove("max_completion_tokens") {
                req.entry("max_tokens").or_insert(v);
            }
        }
        post(url(target)?, &Value::Object(req), target)
    }

    fn token_source(
        &self,
        params: &Params,
        api_key: Option<&str>,
    ) -> Result<Option<Arc<dyn TokenSource>>, Error> {
        token_source(params, api_key)
    }

    fn base(&self, params: &Params) -> Result<Option<String>, Error> {
        super::Google.base(params)
    }

    fn response(&self, endpoint: Endpoint, model: &str, body: Vec<u8>) -> Result<Vec<u8>, Error> {
        COMPATIBLE.response(endpoint, model, body)
    }

    fn stream_decoder(&self, endpoint: Endpoint) -> Box<dyn StreamDecoder> {
        COMPATIBLE.stream_decoder(endpoint)
    }

    /// Vertex AI's front end (authentication, quota, project and location)
    /// answers Google's error body (`error.status`), also as a one-element
    /// list; anything else is read as OpenAI's.
    fn error(&self, status: u16, body: &[u8]) -> Error {
        let doc = serde_json::from_slice::<Value>(body).ok();
        let first = match &doc {
            Some(Value::Array(items)) => items.first(),
            other => other.as_ref(),
        };
        if first.is_some_and(|v| v.pointer("/error/status").is_some_and(Value::is_string)) {
            gemini::Gemini.error(status, body)
        } else {
            COMPATIBLE.error(status, body)
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::error::Kind;
    use crate::providers::vertex::{host, DEFAULT_LOCATION};

    fn request(model: &str, body: Value, base: &str, p: &[(&str, &str)]) -> HttpRequest {
        let params = Params::new(
            p.iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect::<BTreeMap<_, _>>(),
        );
        let t = Target {
            base,
            api_key: None,
            token: Some("ya29.token"),
            model,
            uploads: &[],
            params: &params,
            fetched: None,
        };
        OpenApi
            .request(Endpoint::Chat, &t, body.to_string().into_bytes())
            .unwrap()
    }

    #[test]
    fn which_models_go_to_the_openai_endpoint() {
        for m in [
            "meta/llama-3.3-70b-instruct-maas",
            "meta/llama-4-maverick-17b-128e-instruct-maas",
            "deepseek-ai/deepseek-r1-0528-maas",
            "qwen/qwen3-235b-a22b-instruct-2507-maas",
            "openai/gpt-oss-120b-maas",
            "zai-org/glm-4.7-maas",
            "google/gemma-4-26b-a4b-it-maas",
        ] {
            assert!(serves(m), "{m}");
            assert!(super::super::Google.variant(m).is_some(), "{m}");
        }
        for m in [
            "gemini-2.5-flash",
            "claude-sonnet-4-5@20250929",
            "mistral-large@2411",
            "meta/other-model",
            "text-embedding-005",
            "gemma/gemma-3-12b-it",
        ] {
            assert!(!serves(m), "{m}");
        }
    }

    #[test]
    fn url_body_and_bearer() {
        let base = host("us-east5");
        let body = json!({"model": "x", "max_completion_tokens": 7, "stream": true,
            "messages": [{"role": "user", "content": "hi"}]});
        let p = [("vertex_project", "p1"), ("vertex_location", "us-east5")];
        let req = request("meta/llama-3.3-70b-instruct-maas", body.clone(), &base, &p);
        assert_eq!(
            req.url,
            "https://us-east5-aiplatform.googleapis.com/v1/projects/p1/locations/us-east5/\
             endpoints/openapi/chat/completions"
        );
        assert_eq!(req.headers["authorization"], "Bearer ya29.token");
        let sent: Value = serde_json::from_slice(&req.body).unwrap();
        assert_eq!(sent["model"], "meta/llama-3.3-70b-instruct-maas");
        assert_eq!(
            (sent["max_tokens"].clone(), sent["stream"].clone()),
            (json!(7), json!(true))
        );
        assert!(sent.get("max_completion_tokens").is_none());
        // GPT-OSS keeps OpenAI's name; a custom base gets the whole path appended.
        let p = [("vertex_project", "p1")];
        let req = request("openai/gpt-oss-20b-maas", body, "http://gw.local/", &p);
        assert_eq!(
            req.url,
            format!(
                "http://gw.local/v1/projects/p1/locations/{DEFAULT_LOCATION}/endpoints/openapi/chat/completions"
            )
        );
        let sent: Value = serde_json::from_slice(&req.body).unwrap();
        assert_eq!(sent["max_completion_tokens"], 7);
    }

    #[test]
    fn file_parts_go_as_image_urls() {
        let pdf = "data:application/pdf;base64,JVBERi0=";
        let body = json!({"messages": [{"role": "user", "content": [
            {"type": "text", "text": "read"},
            {"type": "file", "file": {"file_data": pdf}, "cache_control": {"type": "ephemeral"}},
            {"type": "file", "file": {"file_id": "file-1"}}]}]});
        let base = host(DEFAULT_LOCATION);
        let req = request(
            "meta/llama-3.3-70b-instruct-maas",
            body,
            &base,
            &[("vertex_project", "p")],
        );
        let sent: Value = serde_json::from_slice(&req.body).unwrap();
        assert_eq!(
            sent["messages"][0]["content"],
            json!([{"type": "text", "text": "read"},
                {"type": "image_url", "image_url": {"url": pdf}, "cache_control": {"type": "ephemeral"}},
                {"type": "file", "file": {"file_id": "file-1"}}])
        );
    }

    #[test]
    fn errors_google_or_openai_shaped() {
        // The front end's body, also as a list: Google's mapping (the wait from RetryInfo).
        let google = br#"[{"error": {"code": 429, "message": "Quota exceeded", "status": "RESOURCE_EXHAUSTED",
            "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "2s"}]}}]"#;
        let e = OpenApi.error(429, google);
        assert_eq!((e.kind, e.retry_after), (Kind::RateLimit, Some(2.0)));
        // The model server's own body: OpenAI's mapping (by error.code).
        let openai = br#"{"error": {"message": "too long", "type": "invalid_request_error",
            "code": "context_length_exceeded"}}"#;
        assert_eq!(OpenApi.error(400, openai).kind, Kind::ContextWindowExceeded);
    }
}
