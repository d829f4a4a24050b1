//! AWS Bedrock runtime (`bedrock/…`), as litellm calls it
//! (`litellm/llms/bedrock/`): chat through the Converse API
//! (`POST {base}/model/{modelId}/converse` and `/converse-stream`) or, for
//! Anthropic Claude, through InvokeModel (`/invoke`,
//! `/invoke-with-response-stream`) with the Messages body; embeddings for
//! Titan and Cohere through `/invoke`. Streams are AWS's binary event stream
//! ([`crate::eventstream`]). Requests are SigV4-signed, or carry a Bedrock API
//! key as a bearer token ([`auth`]); temporary credentials (STS roles, web
//! identities, container credentials) are fetched first by the adapter's
//! token source ([`temporary`]).
//!
//! Routing (litellm's `BedrockModelInfo.get_bedrock_route`): `converse/…`
//! forces Converse, `invoke/…` forces InvokeModel; an application inference
//! profile ARN goes to Converse; a model litellm lists as a Converse model
//! (Claude, Nova, Llama 3/4, Jamba, Mistral Large/Small 24.02+, DeepSeek,
//! gpt-oss, Qwen 3, Writer, …) goes to Converse; any other id that names an
//! InvokeModel provider (amazon., cohere., meta., mistral., …) goes to
//! InvokeModel, which is served here for Anthropic Claude only (others are
//! refused before any I/O, pointing at `bedrock/converse/`); everything else
//! goes to Converse. The model id is percent-encoded in the path (`:` and `/`
//! too), so inference-profile ids and ARNs work.

mod auth;
mod container;
mod converse;
mod embed;
mod error;
mod invoke;
mod reply;
mod sts;
mod temporary;

use bytes::Bytes;
use serde_json::{Map, Value};

use std::sync::Arc;

use super::{Endpoint, Fetched, Params, Provider, StreamDecoder, Target, TokenSource};
use crate::error::{Error, Kind};
use crate::http::HttpRequest;
use crate::sigv4::uri_encode;

/// The Bedrock runtime adapter.
pub struct Bedrock;

/// Which bedrock-runtime API a chat call uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Converse,
    Invoke,
}

/// litellm's cross-region inference-profile prefixes (`us.anthropic.claude-…`).
const REGION_PREFIXES: &[&str] = &["global", "us", "eu", "apac", "jp", "au", "us-gov", "in"];

/// Families litellm lists as Converse models (`BEDROCK_CONVERSE_MODELS` and
/// its model map's `bedrock_converse` rows), by base-model prefix.
const CONVERSE_FAMILIES: &[&str] = &[
    "anthropic.claude",
    "amazon.nova",
    "meta.llama3",
    "meta.llama4",
    "ai21.jamba",
    "deepseek.v3",
    "deepseek.r1",
    "mistral.mistral-large-2402",
    "mistral.mistral-large-2407",
    "mistral.mistral-small-2402",
    "mistral.mistral-large-3",
    "mistral.devstral",
    "mistral.magistral",
    "mistral.ministral",
    "mistral.pixtral",
    "mistral.voxtral",
    "openai.gpt",
    "qwen.qwen3",
    "writer.",
    "minimax.",
    "moonshotai.",
    "moonshot.kimi",
    "nvidia.nemotron",
    "google.gemma",
    "zai.",
    "xai.",
];

/// litellm's `BEDROCK_INVOKE_PROVIDERS_LITERAL`: an id naming one of these
/// (and not listed for Converse) goes to InvokeModel.
const INVOKE_PROVIDERS: &[&str] = &[
    "cohere",
    "anthropic",
    "mistral",
    "amazon",
    "meta",
    "llama",
    "ai21",
    "nova",
    "deepseek_r1",
    "qwen3",
    "qwen2",
    "twelvelabs",
    "openai",
    "stability",
    "moonshot",
];

/// The model id without routing prefix, ARN path or cross-region prefix
/// (litellm's `get_bedrock_base_model`): `us.anthropic.claude-3-5-sonnet-…`
/// → `anthropic.claude-3-5-sonnet-…`.
pub fn base_model(id: &str) -> &str {
    let id = id
        .strip_prefix("converse/")
        .or_else(|| id.strip_prefix("invoke/"))
        .unwrap_or(id);
    let id = if id.contains("arn:") {
        id.rsplit('/').next().unwrap_or(id)
    } else {
        id
    };
    match id.split_once('.') {
        Some((region, rest)) if REGION_PREFIXES.contains(&region) => rest,
        _ => id,
    }
}

/// The API a chat call to `model` (the id after `bedrock/`) uses, and the
/// model id sent (without the route prefix).
pub fn route(model: &str) -> (Route, &str) {
    if let Some(id) = model.strip_prefix("converse/") {
        return (Route::Converse, id);
    }
    if let Some(id) = model.strip_prefix("invoke/") {
        return (Route::Invoke, id);
    }
    if model.contains(":application-inference-profile/") {
        return (Route::Converse, model);
    }
    let base = base_model(model);
    if CONVERSE_FAMILIES.iter().any(|f| base.starts_with(f)) {
        return (Route::Converse, model);
    }
    let lowered = model.to_ascii_lowercase();
    if INVOKE_PROVIDERS.iter().any(|p| lowered.contains(p)) {
        (Route::Invoke, model)
    } else {
        (Route::Converse, model)
    }
}

/// Whether `model` (a base model id) is an Anthropic Claude model.
pub fn is_claude(model: &str) -> bool {
    base_model(model).starts_with("anthropic.")
}

/// `https://bedrock-runtime.{region}.amazonaws.com` (`.com.cn` in China).
fn regional_base(region: &str) -> String {
    let suffix = if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    };
    format!("https://bedrock-runtime.{region}.{suffix}")
}

/// The base a request goes to: the call's `base`, except that the base
/// computed from the params' region (`computed`, i.e. no endpoint was given)
/// follows `region`, the region the call is signed for (an ARN model id's).
fn request_base(base: &str, computed: Option<&str>, region: &str) -> String {
    if computed == Some(base) {
        regional_base(region)
    } else {
        base.to_owned()
    }
}

fn custom_endpoint(params: &Params) -> Option<String> {
    params.get_or_env(
        "aws_bedrock_runtime_endpoint",
        &["AWS_BEDROCK_RUNTIME_ENDPOINT"],
    )
}

fn bad(message: impl Into<String>) -> Error {
    Error::new(Kind::BadRequest, message)
}

fn parse(body: &[u8]) -> Result<Map<String, Value>, Error> {
    serde_json::from_slice(body).map_err(|e| bad(format!("the request is not a JSON object ({e})")))
}

fn encode(v: &Value) -> Result<Bytes, Error> {
    serde_json::to_vec(v)
        .map(Bytes::from)
        .map_err(|e| Error::new(Kind::Api, format!("cannot encode the request ({e})")))
}

/// `{base}/model/{percent-encoded id}/{action}`.
fn model_url(base: &str, id: &str, action: &str) -> String {
    format!(
        "{}/model/{}/{action}",
        base.trim_end_matches('/'),
        uri_encode(id, false)
    )
}

impl Provider for Bedrock {
    fn request(
        &self,
        endpoint: Endpoint,
        target: &Target,
        body: Vec<u8>,
    ) -> Result<HttpRequest, Error> {
        let openai = parse(&body)?;
        let region = auth::region(target.params, target.model)?;
        let computed = match custom_endpoint(target.params) {
            Some(_) => None,
            None => auth::region(target.params, "")
                .ok()
                .map(|r| regional_base(&r)),
        };
        let base = request_base(target.base, computed.as_deref(), &region);
        let stream = openai.get("stream").and_then(Value::as_bool) == Some(true);
        let (url, out) = match endpoint {
            Endpoint::Chat => match route(target.model) {
                (Route::Converse, id) => {
                    let out = converse::build(&openai, base_model(id))?;
                    let action = if stream {
                        "converse-stream"
                    } else {
                        "converse"
                    };
                    (model_url(&base, id, action), out)
                }
                (Route::Invoke, id) => {
                    let out = invoke::build(&openai, id)?;
                    let action = if stream {
                        "invoke-with-response-stream"
                    } else {
                        "invoke"
                    };
                    (model_url(&base, id, action), out)
                }
            },
            Endpoint::Embedding => {
                let id = target.model.strip_prefix("invoke/").unwrap_or(target.model);
                (model_url(&base, id, "invoke"), embed::build(&openai, id)?)
            }
            other => return Err(super::unsupported(other, "bedrock")),
        };
        let credentials = match target.fetched {
            Some(Fetched::Aws(fetched)) => auth::Auth::SigV4(fetched.clone()),
            _ => auth::resolve(target.params, target.api_key)?,
        };
        let mut req = HttpRequest::post_json(url, encode(&out)?);
        auth::apply(&mut req, &credentials, &region)?;
        Ok(req)
    }

    /// Titan takes one text per request (litellm sends one request per input);
    /// Cohere takes the whole list (`texts`), as litellm sends it.
    fn embedding_batch_size(&self, model: &str) -> Option<usize> {
        embed::batch_size(model)
    }

    /// STS roles, web identities and container credentials ([`auth::resolve`]).
    fn token_source(
        &self,
        params: &Params,
        api_key: Option<&str>,
    ) -> Result<Option<Arc<dyn TokenSource>>, Error> {
        Ok(match auth::resolve(params, api_key)? {
            auth::Auth::Temporary(source) => Some(source),
            _ => None,
        })
    }

    fn base(&self, params: &Params) -> Result<Option<String>, Error> {
        if let Some(e) = custom_endpoint(params) {
            return Ok(Some(e));
        }
        Ok(Some(regional_base(&auth::region(params, "")?)))
    }

    fn response(&self, endpoint: Endpoint, model: &str, body: Vec<u8>) -> Result<Vec<u8>, Error> {
        let v: Value = super::body::parse_body(&body)?;
        let out = match endpoint {
            Endpoint::Embedding => {
                embed::response(&v, model.strip_prefix("invoke/").unwrap_or(model))?
            }
            _ => match route(model) {
                (Route::Converse, id) => reply::response(&v, id)?,
                (Route::Invoke, _) => invoke::response(&v, &body)?,
            },
        };
        serde_json::to_vec(&out)
            .map_err(|e| Error::new(Kind::Api, format!("cannot encode the response ({e})")))
    }

    fn stream_decoder(&self, _endpoint: Endpoint) -> Box<dyn StreamDecoder> {
        reply::decoder()
    }

    fn error(&self, status: u16, body: &[u8]) -> Error {
        error::map(status, None, body)
    }

    fn error_with_headers(
        &self,
        status: u16,
        headers: &reqwest::header::HeaderMap,
        body: &[u8],
    ) -> Error {
        let etype = headers
            .get("x-amzn-errortype")
            .and_then(|v| v.to_str().ok());
        error::map(status, etype, body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_as_litellm() {
        let cases = [
            ("anthropic.claude-3-5-sonnet-20240620-v1:0", Route::Converse),
            (
                "us.anthropic.claude-3-5-sonnet-20240620-v1:0",
                Route::Converse,
            ),
            ("amazon.nova-lite-v1:0", Route::Converse),
            ("meta.llama3-1-8b-instruct-v1:0", Route::Converse),
            ("mistral.mistral-7b-instruct-v0:2", Route::Invoke),
            ("amazon.titan-text-express-v1", Route::Invoke),
            ("cohere.command-r-v1:0", Route::Invoke),
            (
                "invoke/anthropic.claude-3-5-sonnet-20240620-v1:0",
                Route::Invoke,
            ),
            ("converse/cohere.command-r-v1:0", Route::Converse),
            (
                "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc",
                Route::Converse,
            ),
            ("some-custom-model", Route::Converse),
        ];
        for (m, want) in cases {
            assert_eq!(route(m).0, want, "{m}");
        }
        assert_eq!(route("invoke/x.y").1, "x.y");
        assert_eq!(
            base_model("converse/us.anthropic.claude-3-haiku-20240307-v1:0"),
            "anthropic.claude-3-haiku-20240307-v1:0"
        );
        assert_eq!(
            model_url(
                "https://bedrock-runtime.us-east-1.amazonaws.com/",
                "arn:aws:bedrock:us-east-1:1:application-inference-profile/a b",
                "converse"
            ),
            "https://bedrock-runtime.us-east-1.amazonaws.com/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A1%3Aapplication-inference-profile%2Fa%20b/converse"
        );
        assert_eq!(
            regional_base("cn-north-1"),
            "https://bedrock-runtime.cn-north-1.amazonaws.com.cn"
        );
    }

    #[test]
    fn a_computed_base_follows_the_arn_region() {
        let west = regional_base("us-west-2");
        assert_eq!(
            request_base(&west, Some(&west), "eu-central-1"),
            "https://bedrock-runtime.eu-central-1.amazonaws.com"
        );
        assert_eq!(
            request_base("http://127.0.0.1:9", Some(&west), "eu-central-1"),
            "http://127.0.0.1:9"
        );
        assert_eq!(request_base(&west, None, "eu-central-1"), west);
    }

    #[test]
    fn bases_from_the_region_or_a_custom_endpoint() {
        let p = |pairs: &[(&str, &str)]| {
            Params::new(
                pairs
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect(),
            )
        };
        let regional = Bedrock
            .base(&p(&[("aws_region_name", "eu-west-1")]))
            .unwrap();
        assert_eq!(
            regional.as_deref(),
            Some("https://bedrock-runtime.eu-west-1.amazonaws.com")
        );
        let custom = p(&[
            ("aws_region_name", "eu-west-1"),
            (
                "aws_bedrock_runtime_endpoint",
                "https://vpce-1.bedrock-runtime.example",
            ),
        ]);
        assert_eq!(
            Bedrock.base(&custom).unwrap().as_deref(),
            Some("https://vpce-1.bedrock-runtime.example")
        );
        let bad = Bedrock.base(&p(&[("aws_region_name", "EU WEST")]));
        assert_eq!(bad.unwrap_err().kind, Kind::BadRequest);
    }
}
