//! Azure OpenAI (`azure/<deployment>`) and Azure AI Foundry model inference
//! (`azure_ai/<model>`): OpenAI's wire format ([`super::openai`], its request
//! bodies, answers, streams and error objects) under Azure's URLs and auth.
//!
//! Azure OpenAI (learn.microsoft.com/azure/ai-services/openai/reference, and
//! the openai SDK's `AzureOpenAI` client that litellm's `azure/` path uses):
//! - dated `api_version`: `{api_base}/openai/deployments/{deployment}/{path}?api-version=…`
//!   (an `api_base` already naming `/openai/deployments/…` is used as it is);
//!   the key goes in `api-key`, an Entra ID token in `Authorization: Bearer`;
//! - `api_version` `v1` / `latest` / `preview` (litellm's v1 routes, served by
//!   the plain OpenAI client): `{api_base}/openai/v1/{path}` with the
//!   deployment as the body's `model` and the key (else the token) as bearer.
//!
//! Azure AI Foundry (litellm's `AzureAIStudioConfig`): `{api_base}/models/chat/completions`
//! on `*.services.ai.azure.com`, else `{api_base}/chat/completions`, with
//! `?api-version=` when the call gives one; the key in `api-key` on
//! `*.services.ai.azure.com` / `*.openai.azure.com` hosts, else as bearer.
//!
//! Entra ID credentials (a service principal's secret, a user's password) are
//! exchanged for a bearer token first: [`entra`].

mod entra;
mod foundry;
mod text;

pub use foundry::AzureAi;
pub use text::AzureText;

use std::sync::Arc;

use reqwest::header::HeaderName;
use reqwest::Url;
use serde_json::{Map, Value};

use super::body::parse_body;
use super::openai::{error_object, OPENAI};
use super::{Endpoint, Params, Provider, StreamDecoder, Target, TokenSource};
use crate::error::{Error, Kind};
use crate::http::HttpRequest;

/// litellm's `AZURE_DEFAULT_API_VERSION` (1.110.2 `litellm/__init__.py`), used
/// when neither the call, `litellm.api_version`, `AZURE_API_VERSION` nor the
/// module's `AZURE_DEFAULT_API_VERSION` (the param `azure_default_api_version`) sets one.
pub const AZURE_DEFAULT_API_VERSION: &str = "2025-02-01-preview";

/// The call's `api-version`, in litellm's order: `api_version` (the call's,
/// else `litellm.api_version`), `AZURE_API_VERSION`,
/// `litellm.AZURE_DEFAULT_API_VERSION`, else [`AZURE_DEFAULT_API_VERSION`].
fn api_version(params: &Params) -> String {
    params
        .get_or_env("api_version", &["AZURE_API_VERSION"])
        .or_else(|| params.get("azure_default_api_version").map(str::to_owned))
        .unwrap_or_else(|| AZURE_DEFAULT_API_VERSION.to_owned())
}

/// The `api_version` values litellm sends to Azure's v1 API
/// (`BaseAzureLLM.is_azure_v1_api_version`).
const V1_VERSIONS: &[&str] = &["v1", "latest", "preview"];

/// The choice fields of litellm's `Choices`; any other field of an answer's
/// choice (Azure's `content_filter_results`) goes to `provider_specific_fields`.
const CHOICE_FIELDS: &[&str] = &[
    "finish_reason",
    "index",
    "message",
    "logprobs",
    "provider_specific_fields",
];

/// Azure OpenAI: `azure/<deployment>`.
pub struct Azure;

/// How a call authenticates.
enum Credential<'a> {
    /// An API key (`api_key`, `litellm.azure_key`, `AZURE_API_KEY`, ...).
    Key(&'a str),
    /// An Entra ID access token (`azure_ad_token`, a token provider's answer,
    /// one fetched with the call's Entra ID credentials, `AZURE_AD_TOKEN`).
    Token(String),
}

/// The call's credential, in litellm's order (`get_azure_request_auth_headers`):
/// the call's `azure_ad_token` (Python puts an `azure_ad_token_provider`'s
/// answer there), else the token fetched with its Entra ID credentials (only
/// fetched without a key or token: [`entra::token_source`]), else the API key, else the `AZURE_AD_TOKEN` /
/// `AZURE_OPENAI_AD_TOKEN` env var (read by Python, as the param
/// `azure_ad_token_env`, so that it is stripped from errors); none is an
/// `AuthenticationError` before any I/O.
fn credential<'a>(
    target: &Target<'a>,
    provider: &str,
    key_env: &str,
) -> Result<Credential<'a>, Error> {
    if let Some(token) = target.params.get("azure_ad_token").or(target.token) {
        return Ok(Credential::Token(token.to_owned()));
    }
    if let Some(key) = target.api_key.filter(|k| !k.is_empty()) {
        return Ok(Credential::Key(key));
    }
    if let Some(token) = target.params.get("azure_ad_token_env") {
        return Ok(Credential::Token(token.to_owned()));
    }
    Err(Error::new(
        Kind::Authentication,
        format!(
            "no credentials for provider {provider}: pass api_key=..., azure_ad_token=... or \
             azure_ad_token_provider=...{entra}, or set {key_env} or AZURE_AD_TOKEN",
            entra = match provider {
                "azure" =>
                    " or tenant_id=, client_id= and client_secret= (AZURE_TENANT_ID, \
                            AZURE_CLIENT_ID, AZURE_CLIENT_SECRET)",
                _ => "",
            }
        ),
    ))
}

/// The secret a plain OpenAI client of litellm's sends as its bearer `api_key`:
/// the key when the call has one, else the token (Azure's v1 API, Foundry embeddings).
fn key_first<'a>(cred: &'a Credential<'a>, target: &Target<'a>) -> &'a str {
    match (cred, target.api_key.filter(|k| !k.is_empty())) {
        (_, Some(key)) | (&Credential::Key(key), None) => key,
        (Credential::Token(t), None) => t.as_str(),
    }
}

/// `base` without its query (and trailing `/`), and the query's pairs.
fn split_query(base: &str) -> Result<(String, Vec<(String, String)>), Error> {
    let mut url = Url::parse(base).map_err(|e| {
        Error::new(
            Kind::BadRequest,
            format!("api_base {base:?} is not a valid URL ({e})"),
        )
    })?;
    let pairs = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    url.set_query(None);
    url.set_fragment(None);
    Ok((url.as_str().trim_end_matches('/').to_owned(), pairs))
}

/// `url` with `pairs`, then `api-version={version}` unless `pairs` has one.
fn with_query(
    url: &str,
    pairs: &[(String, String)],
    version: Option<&str>,
) -> Result<String, Error> {
    let version = version.filter(|_| !pairs.iter().any(|(k, _)| k == "api-version"));
    if pairs.is_empty() && version.is_none() {
        return Ok(url.to_owned());
    }
    let mut u = Url::parse(url)
        .map_err(|e| Error::new(Kind::BadRequest, format!("bad request URL {url:?} ({e})")))?;
    {
        let mut q = u.query_pairs_mut();
        q.extend_pairs(pairs);
        if let Some(v) = version {
            q.append_pair("api-version", v);
        }
    }
    Ok(u.into())
}

/// `base` ending in `route` (litellm's `ensure_api_route`): as it is when
/// its path already ends so, else with `route` appended.
fn ensure_route(base: &str, route: &str) -> String {
    if base.ends_with(route) {
        base.to_owned()
    } else {
        format!("{base}{route}")
    }
}

/// The deployment name as a URL path segment: Azure's names are letters,
/// digits, `-`, `_` and `.`; anything else is refused before any I/O.
fn deployment(model: &str) -> Result<&str, Error> {
    let ok = !model.is_empty()
        && model
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    ok.then_some(model).ok_or_else(|| {
        Error::new(
            Kind::BadRequest,
            format!(
                "azure deployment name {model:?} must be letters, digits, '-', '_' or '.' \
                 (model=\"azure/<deployment>\")"
            ),
        )
    })
}

/// The endpoints Azure serves under `/openai/deployments/{deployment}`.
fn per_deployment(endpoint: Endpoint) -> bool {
    matches!(
        endpoint,
        Endpoint::Chat
            | Endpoint::Embedding
            | Endpoint::ImageGeneration
            | Endpoint::Transcription
            | Endpoint::Speech
            | Endpoint::TextCompletion
    )
}

/// The model the OpenAI request quirks are decided by: litellm's `base_model`
/// when the call names one (a deployment called e.g. `prod` serving o3-mini),
/// else the deployment name.
fn quirk_model<'a>(target: &Target<'a>) -> &'a str {
    target.params.get("base_model").unwrap_or(target.model)
}

/// The OpenAI adapter's request for `endpoint` under `base`, with no auth.
fn openai_request(
    endpoint: Endpoint,
    target: &Target,
    base: &str,
    body: Vec<u8>,
) -> Result<HttpRequest, Error> {
    let inner = Target {
        base,
        api_key: None,
        token: None,
        model: quirk_model(target),
        uploads: target.uploads,
        params: target.params,
        fetched: target.fetched,
    };
    OPENAI.request(endpoint, &inner, body)
}

impl Provider for Azure {
    fn request(
        &self,
        endpoint: Endpoint,
        target: &Target,
        body: Vec<u8>,
    ) -> Result<HttpRequest, Error> {
        let cred = credential(target, "azure", "AZURE_API_KEY / AZURE_OPENAI_API_KEY")?;
        let version = api_version(target.params);
        let (base, pairs) = split_query(target.base)?;
        if V1_VERSIONS.contains(&version.as_str()) {
            // The v1 API: OpenAI's paths, the deployment as `model`, the key (else
            // the token) as bearer, no api-version (litellm's plain OpenAI client).
            let base = ensure_route(&base, "/openai/v1");
            let mut req = openai_request(endpoint, target, &base, body)?;
            req.url = with_query(&req.url, &pairs, None)?;
            req.bearer(key_first(&cred, target))?;
            return Ok(req);
        }
        let base = if !per_deployment(endpoint) {
            return Err(super::unsupported(endpoint, "azure"));
        } else if base.contains("/openai/deployments") {
            base
        } else {
            format!("{base}/openai/deployments/{}", deployment(target.model)?)
        };
        let mut req = openai_request(endpoint, target, &base, body)?;
        req.url = with_query(&req.url, &pairs, Some(&version))?;
        match cred {
            Credential::Token(t) => req.bearer(&t)?,
            Credential::Key(k) => req.secret_header(HeaderName::from_static("api-key"), k)?,
        }
        Ok(req)
    }

    fn token_source(
        &self,
        params: &Params,
        api_key: Option<&str>,
    ) -> Result<Option<Arc<dyn TokenSource>>, Error> {
        entra::token_source(params, api_key)
    }

    fn response(&self, endpoint: Endpoint, model: &str, body: Vec<u8>) -> Result<Vec<u8>, Error> {
        let body = OPENAI.response(endpoint, model, body)?;
        match endpoint {
            Endpoint::Chat => choice_fields_kept(body),
            _ => Ok(body),
        }
    }

    fn stream_decoder(&self, endpoint: Endpoint) -> Box<dyn StreamDecoder> {
        Box::new(FilteredStream {
            inner: OPENAI.stream_decoder(endpoint),
        })
    }

    fn error(&self, status: u16, body: &[u8]) -> Error {
        azure_error(status, body)
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// An answer's choices with their fields beyond litellm's `Choices` fields
/// (Azure's `content_filter_results`) moved into `provider_specific_fields`,
/// as litellm's `convert_to_model_response_object` does; the response's
/// `prompt_filter_results` stays at the top level (litellm sets it as an
/// attribute of the `ModelResponse`). The same bytes when there is none.
fn choice_fields_kept(body: Vec<u8>) -> Result<Vec<u8>, Error> {
    if !contains(&body, b"\"content_filter_") {
        return Ok(body);
    }
    let mut doc: Value = parse_body(&body)?;
    let Some(Value::Array(choices)) = doc.get_mut("choices") else {
        return Ok(body);
    };
    for choice in choices.iter_mut().filter_map(Value::as_object_mut) {
        let extra: Vec<String> = choice
            .keys()
            .filter(|k| !CHOICE_FIELDS.contains(&k.as_str()))
            .cloned()
            .collect();
        if extra.is_empty() {
            continue;
        }
        let mut fields = match choice.remove("provider_specific_fields") {
            Some(Value::Object(m)) => m,
            _ => Map::new(),
        };
        for k in extra {
            if let Some(v) = choice.remove(&k) {
                fields.insert(k, v);
            }
        }
        choice.insert("provider_specific_fields".into(), Value::Object(fields));
    }
    serde_json::to_vec(&doc).map_err(|e| Error::new(Kind::Api, e.to_string()))
}

/// OpenAI's chunk decoder without Azure's opening chunk that carries only
/// `prompt_filter_results` (`choices: []`, an empty `id` and `model`), which
/// litellm's stream handler yields nothing for. Each choice's
/// `content_filter_results` stays on the chunk's choice, as in litellm; a
/// trailing chunk of filter offsets alone (no delta) is skipped by the stream
/// shaping like any chunk that carries nothing.
struct FilteredStream {
    inner: Box<dyn StreamDecoder>,
}

impl FilteredStream {
    fn clean(mut chunks: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
        chunks.retain(|c| !(contains(c, b"\"prompt_filter_results\"") && filter_only(c)));
        chunks
    }
}

/// Whether a chunk has no choices and no usage (Azure's prompt-filter chunk).
fn filter_only(chunk: &[u8]) -> bool {
    match serde_json::from_slice::<Value>(chunk) {
        Ok(Value::Object(doc)) => {
            let no_choices = doc
                .get("choices")
                .and_then(Value::as_array)
                .is_some_and(Vec::is_empty);
            no_choices && doc.get("usage").map_or(true, Value::is_null)
        }
        _ => false,
    }
}

impl StreamDecoder for FilteredStream {
    fn feed(&mut self, bytes: &[u8]) -> Result<Vec<Vec<u8>>, Error> {
        self.inner.feed(bytes).map(FilteredStream::clean)
    }

    fn finish(&mut self) -> Result<Vec<Vec<u8>>, Error> {
        self.inner.finish().map(FilteredStream::clean)
    }

    fn done(&self) -> bool {
        self.inner.done()
    }
}

/// Azure's error bodies (learn.microsoft.com/azure/ai-services/openai/reference,
/// /concepts/content-filter): `{"error": {"code", "message", "innererror"}}`, or a
/// bare `{"statusCode", "message"}` from the gateway in front. Mapped as litellm's
/// `exception_mapping_utils` azure branch does, by code: `content_filter` /
/// `content_policy_violation` / `innererror.code == ResponsibleAIPolicyViolation`
/// → content policy, `DeploymentNotFound` → not found, `context_length_exceeded`
/// → context window; else by status.
fn azure_error(status: u16, body: &[u8]) -> Error {
    let doc: Option<Value> = serde_json::from_slice(body).ok();
    let err = match &doc {
        Some(d) => d.get("error").filter(|e| e.is_object()).or(Some(d)),
        None => None,
    };
    let Some(err) = err.filter(|e| e.get("message").is_some()) else {
        return OPENAI.error(status, body);
    };
    let code = err.get("code").and_then(Value::as_str).unwrap_or_default();
    let inner = err
        .get("innererror")
        .or_else(|| err.get("inner_error"))
        .and_then(|i| i.get("code"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mut e = error_object(status, err, body);
    if inner == "ResponsibleAIPolicyViolation" || code == "content_policy_violation" {
        e.kind = Kind::ContentPolicy;
    } else if code == "DeploymentNotFound" {
        e.kind = Kind::NotFound;
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::{Params, NO_PARAMS as NO};

    use crate::providers::test_params as params;

    /// `adapter`'s request for a small chat body (shared with the other Azure adapters' tests).
    pub(super) fn build(
        adapter: &dyn Provider,
        endpoint: Endpoint,
        base: &str,
        key: Option<&str>,
        model: &str,
        p: &Params,
    ) -> Result<HttpRequest, Error> {
        let t = Target {
            base,
            api_key: key,
            token: None,
            model,
            uploads: &[],
            params: p,
            fetched: None,
        };
        adapter.request(endpoint, &t, br#"{"model":"x","max_tokens":3}"#.to_vec())
    }

    #[test]
    fn deployment_routes_carry_the_version_and_the_api_key_header() {
        let p = params(&[("api_version", "2024-10-21")]);
        let r = build(
            &Azure,
            Endpoint::Chat,
            "https://r.openai.azure.com/",
            Some("k1"),
            "gpt-4o",
            &p,
        )
        .unwrap();
        assert_eq!(
            r.url,
            "https://r.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21"
        );
        assert_eq!(r.headers["api-key"], "k1");
        assert!(r.headers["api-key"].is_sensitive());
        assert!(!r.headers.contains_key("authorization"));
        let r = build(
            &Azure,
            Endpoint::Embedding,
            "https://r.openai.azure.com",
            Some("k1"),
            "emb",
            &p,
        )
        .unwrap();
        assert_eq!(
            r.url,
            "https://r.openai.azure.com/openai/deployments/emb/embeddings?api-version=2024-10-21"
        );
        // A base already naming the deployment, with its own api-version, is kept.
        let base = "https://r.openai.azure.com/openai/deployments/d1?api-version=2024-06-01";
        let r = build(&Azure, Endpoint::Chat, base, Some("k1"), "gpt-4o", &p).unwrap();
        assert_eq!(
            r.url,
            "https://r.openai.azure.com/openai/deployments/d1/chat/completions?api-version=2024-06-01"
        );
        let e = build(&Azure, Endpoint::Chat, "https://r", Some("k"), "a/b", &p).unwrap_err();
        assert_eq!(e.kind, Kind::BadRequest);
        let e = build(
            &Azure,
            Endpoint::Moderation,
            "https://r",
            Some("k"),
            "m",
            &p,
        )
        .unwrap_err();
        assert_eq!(e.kind, Kind::BadRequest);
    }

    #[test]
    fn tokens_win_over_keys_and_nothing_is_refused() {
        let p = params(&[("azure_ad_token", "eyJ0"), ("api_version", "2024-10-21")]);
        let r = build(&Azure, Endpoint::Chat, "https://r", Some("k1"), "d", &p).unwrap();
        assert_eq!(r.headers["authorization"], "Bearer eyJ0");
        assert!(!r.headers.contains_key("api-key"));
        // The env token is the last resort, after the key.
        let env = params(&[("azure_ad_token_env", "eyJenv")]);
        let r = build(&Azure, Endpoint::Chat, "https://r", Some("k1"), "d", &env).unwrap();
        assert_eq!(r.headers["api-key"], "k1");
        let r = build(&Azure, Endpoint::Chat, "https://r", None, "d", &env).unwrap();
        assert_eq!(r.headers["authorization"], "Bearer eyJenv");
        let e = build(&Azure, Endpoint::Chat, "https://r", None, "d", &NO).unwrap_err();
        assert_eq!(e.kind, Kind::Authentication);
        assert!(e.message.contains("azure_ad_token"));
        let e = build(&AzureAi, Endpoint::Chat, "https://r", None, "m", &NO).unwrap_err();
        assert_eq!(e.kind, Kind::Authentication);
    }

    #[test]
    fn v1_versions_use_the_openai_paths_and_bearer_auth() {
        for v in ["v1", "latest", "preview"] {
            let p = params(&[("api_version", v)]);
            let r = build(
                &Azure,
                Endpoint::Chat,
                "https://r.openai.azure.com",
                Some("k1"),
                "dep",
                &p,
            )
            .unwrap();
            assert_eq!(
                r.url, "https://r.openai.azure.com/openai/v1/chat/completions",
                "{v}"
            );
            assert_eq!(r.headers["authorization"], "Bearer k1");
            assert!(!r.headers.contains_key("api-key"));
        }
        // litellm's v1 client takes the key before a token.
        let p = params(&[("api_version", "v1"), ("azure_ad_token", "eyJ0")]);
        let r = build(&Azure, Endpoint::Chat, "https://r", Some("k1"), "d", &p).unwrap();
        assert_eq!(r.headers["authorization"], "Bearer k1");
        let r = build(&Azure, Endpoint::Chat, "https://r", None, "d", &p).unwrap();
        assert_eq!(r.headers["authorization"], "Bearer eyJ0");
        let p = params(&[("api_version", "v1")]);
        let r = build(
            &Azure,
            Endpoint::Embedding,
            "https://r.openai.azure.com/openai/v1/",
            Some("k"),
            "e",
            &p,
        )
        .unwrap();
        assert_eq!(r.url, "https://r.openai.azure.com/openai/v1/embeddings");
    }

    #[test]
    fn reasoning_deployments_take_max_completion_tokens_by_name_or_base_model() {
        let p = params(&[("api_version", "2024-10-21")]);
        let r = build(
            &Azure,
            Endpoint::Chat,
            "https://r",
            Some("k"),
            "o3-mini",
            &p,
        )
        .unwrap();
        assert!(std::str::from_utf8(&r.body)
            .unwrap()
            .contains("max_completion_tokens"));
        let r = build(&Azure, Endpoint::Chat, "https://r", Some("k"), "prod", &p).unwrap();
        assert!(std::str::from_utf8(&r.body)
            .unwrap()
            .contains("\"max_tokens\""));
        let p = params(&[
            ("api_version", "2024-10-21"),
            ("base_model", "azure/o3-mini"),
        ]);
        let r = build(&Azure, Endpoint::Chat, "https://r", Some("k"), "prod", &p).unwrap();
        assert!(std::str::from_utf8(&r.body)
            .unwrap()
            .contains("max_completion_tokens"));
    }

    #[test]
    fn content_filter_results_become_provider_specific_fields() {
        // learn.microsoft.com/azure/ai-services/openai/concepts/content-filter
        let body = br#"{"id":"c","choices":[{"index":0,"finish_reason":"content_filter","message":{"role":"assistant","content":null},"content_filter_results":{"violence":{"filtered":true,"severity":"medium"}}}],"prompt_filter_results":[{"prompt_index":0,"content_filter_results":{}}]}"#;
        let out: Value =
            serde_json::from_slice(&Azure.response(Endpoint::Chat, "d", body.to_vec()).unwrap())
                .unwrap();
        let choice = &out["choices"][0];
        assert!(choice.get("content_filter_results").is_none());
        assert_eq!(
            choice["provider_specific_fields"]["content_filter_results"]["violence"]["severity"],
            "medium"
        );
        assert_eq!(choice["finish_reason"], "content_filter");
        assert_eq!(out["prompt_filter_results"][0]["prompt_index"], 0);
        let plain = br#"{"id":"c","choices":[]}"#.to_vec();
        assert_eq!(
            Azure.response(Endpoint::Chat, "d", plain.clone()).unwrap(),
            plain
        );
    }

    #[test]
    fn stream_drops_the_prompt_filter_chunk() {
        let mut d = Azure.stream_decoder(Endpoint::Chat);
        let body = concat!(
            "data: {\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\",\"prompt_filter_results\":[{\"prompt_index\":0,\"content_filter_results\":{}}]}\n\n",
            "data: {\"choices\":[{\"content_filter_results\":{\"hate\":{\"filtered\":false}},\"delta\":{\"content\":\"hi\"},\"finish_reason\":null,\"index\":0}],\"id\":\"c1\",\"object\":\"chat.completion.chunk\"}\n\n",
            "data: {\"choices\":[{\"content_filter_offsets\":{},\"content_filter_results\":{},\"finish_reason\":null,\"index\":0}],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\"}\n\n",
            "data: [DONE]\n\n",
        );
        let out = d.feed(body.as_bytes()).unwrap();
        assert_eq!(out.len(), 2);
        let first: Value = serde_json::from_slice(&out[0]).unwrap();
        assert_eq!(first["id"], "c1");
        assert_eq!(
            first["choices"][0]["content_filter_results"]["hate"]["filtered"],
            false
        );
        assert!(d.done());
    }

    #[test]
    fn errors_map_by_code() {
        let cf = br#"{"error":{"message":"The response was filtered due to the prompt triggering Azure OpenAI's content management policy.","type":null,"param":"prompt","code":"content_filter","status":400,"innererror":{"code":"ResponsibleAIPolicyViolation","content_filter_result":{"violence":{"filtered":true,"severity":"medium"}}}}}"#;
        let e = Azure.error(400, cf);
        assert_eq!((e.kind, e.status), (Kind::ContentPolicy, Some(400)));
        let inner_only = br#"{"error":{"message":"m","code":"invalid_request_error","innererror":{"code":"ResponsibleAIPolicyViolation"}}}"#;
        assert_eq!(Azure.error(400, inner_only).kind, Kind::ContentPolicy);
        let nf = br#"{"error":{"code":"DeploymentNotFound","message":"The API deployment for this resource does not exist."}}"#;
        assert_eq!(Azure.error(404, nf).kind, Kind::NotFound);
        let ctx = br#"{"error":{"message":"This model's maximum context length is 128000 tokens.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}"#;
        assert_eq!(Azure.error(400, ctx).kind, Kind::ContextWindowExceeded);
        let auth = br#"{"error":{"code":"401","message":"Access denied due to invalid subscription key or wrong API endpoint."}}"#;
        let e = Azure.error(401, auth);
        assert_eq!(e.kind, Kind::Authentication);
        assert!(e.message.starts_with("Access denied"));
        let gw = br#"{"statusCode":401,"message":"Unauthorized. Access token is missing, invalid, audience is incorrect, or have expired."}"#;
        let e = Azure.error(401, gw);
        assert_eq!(e.kind, Kind::Authentication);
        assert!(e.message.starts_with("Unauthorized."));
        let ver = br#"{"error":{"code":"BadRequest","message":"API version not supported"}}"#;
        assert_eq!(Azure.error(400, ver).kind, Kind::BadRequest);
        assert_eq!(
            Azure
                .error(429, br#"{"error":{"code":"429","message":"Rate limit"}}"#)
                .kind,
            Kind::RateLimit
        );
        assert_eq!(Azure.error(502, b"<html>bad</html>").kind, Kind::BadGateway);
    }
}
