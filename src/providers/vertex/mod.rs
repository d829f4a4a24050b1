//! Vertex AI: Gemini (publisher `google`), Claude (publisher `anthropic`), partner models
//! on the OpenAI-compatible endpoint and text embeddings, with Google OAuth2 bearer tokens ([`auth`]).
//!
//! URLs, as litellm builds them (`vertex_ai/common_utils.py` `get_vertex_url`,
//! `get_vertex_base_url`; `vertex_llm_base.py` `create_vertex_url`,
//! `_check_custom_proxy`), under
//! `{host}/v1/projects/{project}/locations/{location}/publishers/{publisher}/models/{model}`:
//! - Gemini: `:generateContent`, streamed `:streamGenerateContent?alt=sse`;
//!   the body is the Gemini API's (`gemini::chat_request`);
//! - Claude: `:rawPredict`, streamed `:streamRawPredict`; the body is the
//!   Messages API's without `model` and with `anthropic_version:
//!   vertex-2023-10-16` (litellm's `VertexAIAnthropicConfig`);
//! - embeddings: `:predict` with `instances: [{content}]`
//!   (litellm's `VertexAITextEmbeddingConfig`);
//! - partner models as a service (Llama, DeepSeek, Qwen, GPT-OSS, ...):
//!   the OpenAI-compatible `endpoints/openapi/chat/completions` ([`openapi`]).
//! - Mistral and Codestral (publisher `mistralai`): `:rawPredict`, streamed
//!   `:streamRawPredict`, with Mistral's chat body ([`mistral`]).
//!
//! The host is `{location}-aiplatform.googleapis.com`, `aiplatform.googleapis.com`
//! for `global`, and `aiplatform.{geo}.rep.googleapis.com` for a multi-region
//! geography (`us`, `eu`). A custom `api_base` (`VERTEXAI_API_BASE`) of scheme
//! and host gets the whole path; one ending in `/v1` or `/v1beta1` gets the
//! rest of it; any other names the model resource and gets `:{method}` only.
//! Through a custom base a stream always asks for `alt=sse`, as litellm does.

pub mod auth;
pub mod mistral;
pub mod openapi;

use std::sync::Arc;

use bytes::Bytes;
use serde_json::{json, Map, Value};

use super::{anthropic, gemini, unsupported, Endpoint, Params, Provider, StreamDecoder, Target};
use super::{body::parse_body, TokenSource};
use crate::error::{Error, Kind};
use crate::http::HttpRequest;

/// Gemini and the text-embedding models (publisher `google`); the registry row's adapter.
pub struct Google;
/// Claude on Vertex AI (publisher `anthropic`), [`Google::variant`] for `claude*` models.
pub struct Claude;

/// litellm's `get_default_vertex_location`.
pub const DEFAULT_LOCATION: &str = "us-central1";
/// The `anthropic_version` Claude on Vertex AI requires in the body.
pub const CLAUDE_VERSION: &str = "vertex-2023-10-16";

fn bad(message: impl Into<String>) -> Error {
    Error::new(Kind::BadRequest, message)
}

/// `vertex_location`, `VERTEXAI_LOCATION` / `VERTEX_LOCATION`, else
/// [`DEFAULT_LOCATION`]; refused unless `global` or a lowercase
/// letters-digits-hyphens name (litellm's `validate_vertex_location`: a
/// location is part of the host name).
pub fn location(params: &Params) -> Result<String, Error> {
    let loc = params
        .get_or_env("vertex_location", &["VERTEXAI_LOCATION", "VERTEX_LOCATION"])
        .unwrap_or_else(|| DEFAULT_LOCATION.to_owned());
    let valid = loc.starts_with(|c: char| c.is_ascii_lowercase())
        && loc
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !valid {
        return Err(bad(format!(
            "vertex_location {loc:?} is not a Vertex AI location (e.g. us-central1, europe-west4, global)"
        )));
    }
    Ok(loc)
}

/// The API host for `location` (litellm's `get_vertex_base_url`).
pub fn host(location: &str) -> String {
    if location == "global" {
        "https://aiplatform.googleapis.com".to_owned()
    } else if !location.contains('-') {
        format!("https://aiplatform.{location}.rep.googleapis.com")
    } else {
        format!("https://{location}-aiplatform.googleapis.com")
    }
}

/// `vertex_project`, `VERTEXAI_PROJECT`, else the credentials' `project_id`.
fn project(params: &Params) -> Result<String, Error> {
    if let Some(p) = params.get_or_env("vertex_project", &["VERTEXAI_PROJECT"]) {
        return Ok(p);
    }
    auth::account(params)?
        .and_then(|a| a.project_id().map(str::to_owned))
        .ok_or_else(|| {
            bad(
                "no Vertex AI project: pass vertex_project=..., set litellm.vertex_project or \
                 VERTEXAI_PROJECT, or use credentials that name a project_id",
            )
        })
}

/// The URL of `method` on `publisher`'s `model` (see the module docs); `sse`
/// asks for `alt=sse`.
fn url(target: &Target, publisher: &str, method: &str, sse: bool) -> Result<String, Error> {
    let params = target.params;
    let location = location(params)?;
    let base = target.base.trim_end_matches('/');
    let base_path = base
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]))
        .unwrap_or("");
    let resource = || -> Result<String, Error> {
        Ok(format!(
            "/projects/{}/locations/{location}/publishers/{publisher}/models/{}:{method}",
            project(params)?,
            target.model
        ))
    };
    let mut url = match base_path {
        "" => format!("{base}/v1{}", resource()?),
        "/v1" | "/v1beta1" => format!("{base}{}", resource()?),
        // The base names the model resource itself: no project needed.
        _ => format!("{base}:{method}"),
    };
    // Through a custom base every stream asks for SSE (litellm's `_check_custom_proxy`).
    let custom = base != host(&location);
    if sse || (custom && method.starts_with("stream")) {
        url.push_str(if url.contains('?') {
            "&alt=sse"
        } else {
            "?alt=sse"
        });
    }
    Ok(url)
}

/// The OpenAI-shaped body as a JSON object.
fn object(body: &[u8]) -> Result<Map<String, Value>, Error> {
    serde_json::from_slice(body)
        .map_err(|e| bad(format!("the request body is not a JSON object ({e})")))
}

fn streams(req: &Map<String, Value>) -> bool {
    req.get("stream") == Some(&Value::Bool(true))
}

/// A JSON POST with the bearer token, if any.
fn post(url: String, payload: &Value, target: &Target) -> Result<HttpRequest, Error> {
    let bytes = serde_json::to_vec(payload)
        .map_err(|e| bad(format!("the request could not be serialized ({e})")))?;
    post_bytes(url, bytes, target)
}

/// [`post`] of a body already serialized.
fn post_bytes(url: String, bytes: Vec<u8>, target: &Target) -> Result<HttpRequest, Error> {
    let mut req = HttpRequest::post_json(url, Bytes::from(bytes));
    if let Some(token) = target.token.or(target.api_key) {
        req.bearer(token)?;
    }
    Ok(req)
}

/// The call's credentials as a token source, after the location is checked. Without credentials, an
/// `api_key` is sent as the bearer access token as given; with neither, the
/// call is refused before any I/O.
fn token_source(
    params: &Params,
    api_key: Option<&str>,
) -> Result<Option<Arc<dyn TokenSource>>, Error> {
    // The location is part of the URL's host: checked here, before the token exchange,
    // even when an api_base means no host is built from it.
    location(params)?;
    match auth::account(params)? {
        Some(account) => Ok(Some(account)),
        None if api_key.is_some() => Ok(None),
        None => Err(Error::new(
            Kind::Authentication,
            "no Vertex AI credentials: pass vertex_credentials=... (a service account JSON \
             file path, JSON string or dict), set VERTEXAI_CREDENTIALS or \
             GOOGLE_APPLICATION_CREDENTIALS, or run `gcloud auth application-default login`; \
             an access token may be passed as api_key=...",
        )),
    }
}

impl Provider for Google {
    fn request(
        &self,
        endpoint: Endpoint,
        target: &Target,
        body: Vec<u8>,
    ) -> Result<HttpRequest, Error> {
        let req = object(&body)?;
        match endpoint {
            Endpoint::Chat => {
                let payload = gemini::chat_request(&req, target.model)?;
                let stream = streams(&req);
                let method = if stream {
                    "streamGenerateContent"
                } else {
                    "generateContent"
                };
                post(url(target, "google", method, stream)?, &payload, target)
            }
            Endpoint::Embedding => {
                let payload = predict_request(&req)?;
                post(url(target, "google", "predict", false)?, &payload, target)
            }
            other => Err(unsupported(other, "vertex_ai")),
        }
    }

    fn variant(&self, model: &str) -> Option<&'static dyn Provider> {
        if model.starts_with("claude") {
            Some(&Claude)
        } else if openapi::serves(model) {
            Some(&openapi::OpenApi)
        } else if mistral::serves(model) {
            Some(&mistral::Mistral)
        } else {
            None
        }
    }

    fn token_source(
        &self,
        params: &Params,
        api_key: Option<&str>,
    ) -> Result<Option<Arc<dyn TokenSource>>, Error> {
        token_source(params, api_key)
    }

    fn base(&self, params: &Params) -> Result<Option<String>, Error> {
        Ok(Some(host(&location(params)?)))
    }

    fn response(&self, endpoint: Endpoint, model: &str, body: Vec<u8>) -> Result<Vec<u8>, Error> {
        match endpoint {
            Endpoint::Embedding => {
                let doc: Value = parse_body(&body)?;
                serde_json::to_vec(&predict_response(&doc, model)?)
                    .map_err(|e| Error::new(Kind::Api, e.to_string()))
            }
            other => gemini::Gemini.response(other, model, body),
        }
    }

    fn stream_decoder(&self, endpoint: Endpoint) -> Box<dyn StreamDecoder> {
        gemini::Gemini.stream_decoder(endpoint)
    }

    fn error(&self, status: u16, body: &[u8]) -> Error {
        gemini::Gemini.error(status, body)
    }
}

impl Provider for Claude {
    fn request(
        &self,
        endpoint: Endpoint,
        target: &Target,
        body: Vec<u8>,
    ) -> Result<HttpRequest, Error> {
        if endpoint != Endpoint::Chat {
            return Err(unsupported(endpoint, "vertex_ai"));
        }
        let req = object(&body)?;
        let mut payload = anthropic::build_body(&req, target.model)?;
        if let Value::Object(m) = &mut payload {
            m.remove("model");
            m.insert("anthropic_version".into(), CLAUDE_VERSION.into());
        }
        let method = if streams(&req) {
            "streamRawPredict"
        } else {
            "rawPredict"
        };
        post(url(target, "anthropic", method, false)?, &payload, target)
    }

    fn token_source(
        &self,
        params: &Params,
        api_key: Option<&str>,
    ) -> Result<Option<Arc<dyn TokenSource>>, Error> {
        token_source(params, api_key)
    }

    fn base(&self, params: &Params) -> Result<Option<String>, Error> {
        Ok(Some(host(&location(params)?)))
    }

    fn response(&self, endpoint: Endpoint, model: &str, body: Vec<u8>) -> Result<Vec<u8>, Error> {
        anthropic::Anthropic.response(endpoint, model, body)
    }

    fn stream_decoder(&self, endpoint: Endpoint) -> Box<dyn StreamDecoder> {
        anthropic::Anthropic.stream_decoder(endpoint)
    }

    /// Vertex AI's front end (authentication, quota, routing) answers Google's
    /// error body (`error.status`); the model's own refusals are Anthropic's
    /// (`error.type`).
    fn error(&self, status: u16, body: &[u8]) -> Error {
        let google = serde_json::from_slice::<Value>(body)
            .ok()
            .is_some_and(|v| v.pointer("/error/status").is_some_and(Value::is_string));
        if google {
            gemini::Gemini.error(status, body)
        } else {
            anthropic::Anthropic.error(status, body)
        }
    }
}

// -- text embeddings (`:predict`) ---------------------------------------------

/// `{"instances": [{"content", "task_type"?, "title"?}], "parameters"?}`:
/// `dimensions` → `outputDimensionality`, `auto_truncate` → `autoTruncate`,
/// `input_type` / `task_type` and `title` on each instance (litellm's
/// `transform_openai_request_to_vertex_embedding_request`).
fn predict_request(req: &Map<String, Value>) -> Result<Value, Error> {
    let texts: Vec<&Value> = match req.get("input") {
        Some(one @ Value::String(_)) => vec![one],
        Some(Value::Array(items)) if !items.is_empty() => items.iter().collect(),
        _ => return Err(bad("input must be a string or a non-empty list of strings")),
    };
    let get = |k: &str| req.get(k).filter(|v| !v.is_null());
    let task = get("input_type").or_else(|| get("task_type"));
    let title = get("title");
    let instances = texts
        .into_iter()
        .map(|t| {
            let text = t
                .as_str()
                .ok_or_else(|| bad("Vertex AI text embeddings take strings, not token ids"))?;
            let mut instance = json!({ "content": text });
            if let Some(task) = task {
                instance["task_type"] = task.clone();
            }
            if let Some(title) = title {
                instance["title"] = title.clone();
            }
            Ok(instance)
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let mut parameters = Map::new();
    if let Some(d) = get("dimensions") {
        parameters.insert("outputDimensionality".into(), d.clone());
    }
    if let Some(t) = get("auto_truncate") {
        parameters.insert("autoTruncate".into(), t.clone());
    }
    let mut out = json!({ "instances": instances });
    if !parameters.is_empty() {
        out["parameters"] = Value::Object(parameters);
    }
    Ok(out)
}

/// `predictions[].embeddings.values` as an OpenAI embedding list; usage is the
/// sum of `embeddings.statistics.token_count`.
fn predict_response(doc: &Value, model: &str) -> Result<Value, Error> {
    let predictions = doc
        .get("predictions")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            Error::new(
                Kind::Api,
                "the Vertex AI embedding response has no predictions",
            )
        })?;
    let mut tokens = 0u64;
    let mut data = Vec::with_capacity(predictions.len());
    for (i, p) in predictions.iter().enumerate() {
        let e = p.get("embeddings").unwrap_or(&Value::Null);
        let values = e.get("values").filter(|v| v.is_array()).ok_or_else(|| {
            Error::new(
                Kind::Api,
                format!("prediction {i} has no embeddings.values"),
            )
        })?;
        tokens += e
            .pointer("/statistics/token_count")
            .and_then(Value::as_f64)
            .map_or(0, |n| n as u64);
        data.push(json!({"object": "embedding", "index": i, "embedding": values}));
    }
    Ok(json!({
        "object": "list",
        "model": model,
        "data": data,
        "usage": {"prompt_tokens": tokens, "completion_tokens": 0, "total_tokens": tokens},
    }))
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::providers::Params;

    use crate::providers::test_params as params;

    fn target<'a>(base: &'a str, model: &'a str, p: &'a Params) -> Target<'a> {
        Target {
            base,
            api_key: Some("ya29.token"),
            token: None,
            model,
            uploads: &[],
            params: p,
            fetched: None,
        }
    }

    fn sent(req: &HttpRequest) -> Value {
        serde_json::from_slice(&req.body).unwrap()
    }

    #[test]
    fn hosts_by_location() {
        assert_eq!(
            host("us-central1"),
            "https://us-central1-aiplatform.googleapis.com"
        );
        assert_eq!(host("global"), "https://aiplatform.googleapis.com");
        assert_eq!(host("eu"), "https://aiplatform.eu.rep.googleapis.com");
        let p = params(&[("vertex_location", "evil.com#")]);
        assert_eq!(location(&p).unwrap_err().kind, Kind::BadRequest);
        let p = params(&[("vertex_location", "europe-west4")]);
        assert_eq!(
            Google.base(&p).unwrap().as_deref(),
            Some("https://europe-west4-aiplatform.googleapis.com")
        );
    }

    #[test]
    fn gemini_urls_body_and_bearer() {
        let p = params(&[("vertex_project", "p1"), ("vertex_location", "us-east5")]);
        let base = host("us-east5");
        let t = target(&base, "gemini-2.5-flash", &p);
        let body = json!({"model": "gemini-2.5-flash", "stream": true,
            "messages": [{"role": "system", "content": "be brief"}, {"role": "user", "content": "hi"}]});
        let req = Google
            .request(Endpoint::Chat, &t, body.to_string().into_bytes())
            .unwrap();
        assert_eq!(
            req.url,
            "https://us-east5-aiplatform.googleapis.com/v1/projects/p1/locations/us-east5/\
             publishers/google/models/gemini-2.5-flash:streamGenerateContent?alt=sse"
        );
        assert_eq!(req.headers["authorization"], "Bearer ya29.token");
        let b = sent(&req);
        assert_eq!(b["contents"][0]["parts"][0]["text"], "hi");
        assert_eq!(b["systemInstruction"]["parts"][0]["text"], "be brief");
    }

    #[test]
    fn custom_bases_as_litellm_grafts_them() {
        let p = params(&[("vertex_project", "p1")]);
        let body = json!({"messages": [{"role": "user", "content": "hi"}]}).to_string();
        let at = |base: &str, stream: bool| {
            let mut b: Value = serde_json::from_str(&body).unwrap();
            b["stream"] = stream.into();
            let t = target(base, "claude-sonnet-4-5@20250929", &p);
            Claude
                .request(Endpoint::Chat, &t, b.to_string().into_bytes())
                .unwrap()
                .url
        };
        let tail = "/projects/p1/locations/us-central1/publishers/anthropic/models/\
                    claude-sonnet-4-5@20250929";
        assert_eq!(
            at("https://us-central1-aiplatform.googleapis.com", true),
            format!("https://us-central1-aiplatform.googleapis.com/v1{tail}:streamRawPredict")
        );
        assert_eq!(
            at("http://gw.local/", false),
            format!("http://gw.local/v1{tail}:rawPredict")
        );
        assert_eq!(
            at("http://gw.local/v1beta1", true),
            format!("http://gw.local/v1beta1{tail}:streamRawPredict?alt=sse")
        );
        assert_eq!(
            at("http://gw.local/proxy/my-claude", false),
            "http://gw.local/proxy/my-claude:rawPredict"
        );
    }

    #[test]
    fn claude_body_has_the_vertex_version_and_no_model() {
        let p = params(&[("vertex_project", "p1")]);
        let base = host(DEFAULT_LOCATION);
        let t = target(&base, "claude-sonnet-4-5@20250929", &p);
        let body = json!({"model": "claude-sonnet-4-5@20250929", "max_tokens": 10,
            "messages": [{"role": "user", "content": "hi"}]});
        let req = Claude
            .request(Endpoint::Chat, &t, body.to_string().into_bytes())
            .unwrap();
        let b = sent(&req);
        assert_eq!(b["anthropic_version"], CLAUDE_VERSION);
        assert!(b.get("model").is_none());
        assert_eq!(b["max_tokens"], 10);
        assert!(req.url.ends_with(":rawPredict"));
        assert!(Google.variant("claude-3-5-haiku@20241022").is_some());
        assert!(Google.variant("gemini-2.5-pro").is_none());
    }

    #[test]
    fn claude_errors_by_body_shape() {
        let google = br#"{"error": {"code": 429, "message": "Quota exceeded", "status": "RESOURCE_EXHAUSTED",
            "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "2s"}]}}"#;
        let e = Claude.error(429, google);
        assert_eq!((e.kind, e.retry_after), (Kind::RateLimit, Some(2.0)));
        let own =
            br#"{"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}"#;
        assert_eq!(Claude.error(529, own).kind, Kind::InternalServer);
    }

    #[test]
    fn embeddings_through_predict() {
        let p = params(&[("vertex_project", "p1")]);
        let base = host(DEFAULT_LOCATION);
        let t = target(&base, "text-embedding-005", &p);
        let body = json!({"input": ["a", "b"], "dimensions": 8, "input_type": "RETRIEVAL_QUERY"});
        let req = Google
            .request(Endpoint::Embedding, &t, body.to_string().into_bytes())
            .unwrap();
        assert!(req
            .url
            .ends_with("/publishers/google/models/text-embedding-005:predict"));
        assert_eq!(
            sent(&req),
            json!({"instances": [
                {"content": "a", "task_type": "RETRIEVAL_QUERY"},
                {"content": "b", "task_type": "RETRIEVAL_QUERY"}],
                "parameters": {"outputDimensionality": 8}})
        );
        let answer = json!({"predictions": [
            {"embeddings": {"values": [0.1, 0.2], "statistics": {"token_count": 2, "truncated": false}}},
            {"embeddings": {"values": [0.3, 0.4], "statistics": {"token_count": 3.0}}}]});
        let out: Value = serde_json::from_slice(
            &Google
                .response(
                    Endpoint::Embedding,
                    "text-embedding-005",
                    answer.to_string().into_bytes(),
                )
                .unwrap(),
        )
        .unwrap();
        assert_eq!(out["data"][1]["embedding"], json!([0.3, 0.4]));
        assert_eq!(out["usage"]["prompt_tokens"], 5);
    }

    #[test]
    fn no_credentials_no_key_is_refused() {
        let p = params(&[("vertex_credentials", "/nonexistent/sa.json")]);
        let e = token_source(&p, None).err().unwrap();
        assert_eq!(e.kind, Kind::Authentication);
        assert!(e.message.contains("/nonexistent/sa.json"), "{}", e.message);
        let p = params(&[("vertex_project", "p")]);
        assert!(project(&p).is_ok());
    }
}
