//! Azure AI Foundry model inference (`azure_ai/<model>`, litellm's
//! `AzureAIStudioConfig` for chat and `AzureAIEmbedding` for embeddings):
//! OpenAI's wire format under Foundry's URLs, with Azure's credentials
//! ([`super::credential`], Entra ID included) and error bodies.

use std::sync::Arc;

use reqwest::header::HeaderName;
use reqwest::Url;
use serde_json::Value;

use super::{
    azure_error, choice_fields_kept, contains, credential, entra, key_first, openai_request,
    split_query, with_query, Credential, FilteredStream,
};
use crate::error::{Error, Kind};
use crate::http::HttpRequest;
use crate::providers::openai::OPENAI;
use crate::providers::{
    unsupported, Endpoint, Params, Provider, StreamDecoder, Target, TokenSource,
};

/// Azure AI Foundry model inference: `azure_ai/<model>`.
pub struct AzureAi;

/// `base` joined with `ending` without repeating segments `base` already ends
/// with (litellm's `add_path_to_api_base`: `…/models` + `/models/chat/completions`
/// is `…/models/chat/completions`).
fn add_path(base: &str, ending: &str) -> Result<String, Error> {
    let mut url = Url::parse(base).map_err(|e| {
        Error::new(
            Kind::BadRequest,
            format!("api_base {base:?} is not a valid URL ({e})"),
        )
    })?;
    let have: Vec<String> = url
        .path()
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    let end: Vec<&str> = ending.split('/').filter(|s| !s.is_empty()).collect();
    let overlap = (0..have.len()).find(|&i| {
        let tail = &have[i..];
        tail.len() <= end.len() && tail.iter().zip(&end).all(|(a, b)| a == b)
    });
    let kept = overlap.unwrap_or(have.len());
    let path: Vec<&str> = have[..kept]
        .iter()
        .map(String::as_str)
        .chain(end.iter().copied())
        .collect();
    url.set_path(&format!("/{}", path.join("/")));
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// A base64 `data:` URL among an embedding request's inputs (litellm's
/// `is_base64_encoded` test, which sends those to Foundry's `/images/embeddings`).
fn has_image_input(body: &[u8]) -> bool {
    if !contains(body, b"data:") {
        return false;
    }
    let input = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|d| d.get("input").cloned());
    let items = match input {
        Some(Value::Array(items)) => items,
        Some(one) => vec![one],
        None => return false,
    };
    items.iter().filter_map(Value::as_str).any(|s| {
        s.starts_with("data:")
            && s.split_once(',')
                .is_some_and(|(head, _)| head.ends_with(";base64"))
    })
}

/// Azure AI Foundry embeddings, as litellm's `AzureAIEmbedding` sends text
/// inputs (through the plain OpenAI client): `{api_base}/models/embeddings` on
/// `*.services.ai.azure.com` (not under `/openai/deployments`), else
/// `{api_base}/embeddings`; the key (else the Entra ID token) as bearer; no
/// `api-version` beyond the base's own query. Image (base64 `data:`) inputs are
/// refused before any I/O.
fn foundry_embedding(target: &Target, body: Vec<u8>) -> Result<HttpRequest, Error> {
    let cred = credential(target, "azure_ai", "AZURE_AI_API_KEY")?;
    if has_image_input(&body) {
        return Err(Error::new(
            Kind::BadRequest,
            "azure_ai image embeddings (base64 data: inputs, Foundry's /images/embeddings) \
             are not supported; send text inputs",
        ));
    }
    let (base, pairs) = split_query(target.base)?;
    let foundry = Url::parse(&base).is_ok_and(|u| {
        u.host_str()
            .is_some_and(|h| h.ends_with(".services.ai.azure.com"))
            && !u.path().contains("/openai/deployments")
    });
    let base = match foundry && !base.ends_with("/models") {
        true => format!("{base}/models"),
        false => base,
    };
    let mut req = openai_request(Endpoint::Embedding, target, &base, body)?;
    req.url = with_query(&req.url, &pairs, None)?;
    req.bearer(key_first(&cred, target))?;
    Ok(req)
}

impl Provider for AzureAi {
    fn request(
        &self,
        endpoint: Endpoint,
        target: &Target,
        body: Vec<u8>,
    ) -> Result<HttpRequest, Error> {
        match endpoint {
            Endpoint::Chat => {}
            Endpoint::Embedding => return foundry_embedding(target, body),
            other => return Err(unsupported(other, "azure_ai")),
        }
        let cred = credential(target, "azure_ai", "AZURE_AI_API_KEY")?;
        let (base, pairs) = split_query(target.base)?;
        let host = Url::parse(&base)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_default();
        // The OpenAI adapter appends `/chat/completions` to this base.
        let ending = match host.ends_with(".services.ai.azure.com") {
            true => "/models/chat/completions",
            false => "/chat/completions",
        };
        let full = add_path(&base, ending)?;
        let base = full.strip_suffix("/chat/completions").unwrap_or(&full);
        let mut req = openai_request(endpoint, target, base, body)?;
        req.url = with_query(&req.url, &pairs, target.params.get("api_version"))?;
        let api_key_host = [".services.ai.azure.com", ".openai.azure.com"]
            .iter()
            .any(|s| host.ends_with(s));
        match cred {
            Credential::Key(k) if api_key_host => {
                req.secret_header(HeaderName::from_static("api-key"), k)?
            }
            Credential::Key(k) => req.bearer(k)?,
            Credential::Token(t) => req.bearer(&t)?,
        }
        Ok(req)
    }

    fn token_source(
        &self,
        params: &Params,
        api_key: Option<&str>,
    ) -> Result<Option<Arc<dyn TokenSource>>, Error> {
        // litellm's Foundry chat and embeddings fall back to the same Entra ID credentials.
        entra::token_source(params, api_key)
    }

    fn response(&self, endpoint: Endpoint, model: &str, body: Vec<u8>) -> Result<Vec<u8>, Error> {
        let body = OPENAI.response(endpoint, model, body)?;
        choice_fields_kept(body)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::NO_PARAMS as NO;

    use super::super::tests::build;
    use crate::providers::test_params as params;

    #[test]
    fn foundry_urls_and_auth_by_host() {
        let r = build(
            &AzureAi,
            Endpoint::Chat,
            "https://x.services.ai.azure.com",
            Some("k"),
            "m",
            &NO,
        )
        .unwrap();
        assert_eq!(
            r.url,
            "https://x.services.ai.azure.com/models/chat/completions"
        );
        assert_eq!(r.headers["api-key"], "k");
        let r = build(
            &AzureAi,
            Endpoint::Chat,
            "https://x.services.ai.azure.com/models",
            Some("k"),
            "m",
            &NO,
        )
        .unwrap();
        assert_eq!(
            r.url,
            "https://x.services.ai.azure.com/models/chat/completions"
        );
        let p = params(&[("api_version", "2024-05-01-preview")]);
        let r = build(
            &AzureAi,
            Endpoint::Chat,
            "https://m.eastus2.models.ai.azure.com/",
            Some("k"),
            "m",
            &p,
        )
        .unwrap();
        assert_eq!(
            r.url,
            "https://m.eastus2.models.ai.azure.com/chat/completions?api-version=2024-05-01-preview"
        );
        assert_eq!(r.headers["authorization"], "Bearer k");
        let e = build(&AzureAi, Endpoint::Rerank, "https://m", Some("k"), "m", &NO).unwrap_err();
        assert_eq!(e.kind, Kind::BadRequest);
    }

    #[test]
    fn foundry_embeddings_as_litellms_openai_client_sends_them() {
        let emb = |base: &str, key: Option<&str>, p: &Params| {
            let t = Target {
                base,
                api_key: key,
                token: None,
                model: "embed-v-4-0",
                uploads: &[],
                params: p,
                fetched: None,
            };
            AzureAi.request(
                Endpoint::Embedding,
                &t,
                br#"{"model":"embed-v-4-0","input":["a"]}"#.to_vec(),
            )
        };
        let r = emb("https://x.services.ai.azure.com", Some("k"), &NO).unwrap();
        assert_eq!(r.url, "https://x.services.ai.azure.com/models/embeddings");
        assert_eq!(r.headers["authorization"], "Bearer k");
        assert!(!r.headers.contains_key("api-key"));
        let r = emb("https://x.services.ai.azure.com/models/", Some("k"), &NO).unwrap();
        assert_eq!(r.url, "https://x.services.ai.azure.com/models/embeddings");
        let p = params(&[("api_version", "2024-05-01-preview")]);
        let r = emb("https://m.eastus2.models.ai.azure.com?x=1", Some("k"), &p).unwrap();
        assert_eq!(
            r.url,
            "https://m.eastus2.models.ai.azure.com/embeddings?x=1"
        );
        // The key before a token, as litellm's `api_key or ... or entra token`.
        let p = params(&[("azure_ad_token", "eyJ")]);
        let r = emb("https://m", Some("k"), &p).unwrap();
        assert_eq!(r.headers["authorization"], "Bearer k");
        let r = emb("https://m", None, &p).unwrap();
        assert_eq!(r.headers["authorization"], "Bearer eyJ");
        assert!(has_image_input(
            br#"{"input":["data:image/png;base64,iVBORw0K"]}"#
        ));
        assert!(!has_image_input(br#"{"input":["data: not an image"]}"#));
    }
}
