//! The provider registry: which adapter serves a `provider/model` string, with
//! the provider's default base URL and the environment variables it reads.
//!
//! Prefixes, env var names and default bases follow litellm's provider docs
//! (docs.litellm.ai/docs/providers/*) and `litellm.get_llm_provider`.

pub mod anthropic;
pub mod azure;
pub mod batch;
pub mod bedrock;
pub mod body;
pub mod framed;
pub mod gemini;
pub mod imagen;
pub mod oauth;
pub mod ollama;
pub mod openai;
pub mod responses_bridge;
pub mod vertex;

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use tokio::time::Instant;

use crate::error::{Error, Kind};
use crate::http::HttpRequest;
use crate::multipart::Upload;
use crate::sigv4::Credentials;
use crate::trace::Trace;

/// Where a call goes: the resolved base URL, key and provider model id, and
/// the call options an adapter may act on.
pub struct Target<'a> {
    pub base: &'a str,
    /// The call's API key (per call, else the registry row's env vars).
    pub api_key: Option<&'a str>,
    /// The bearer token the adapter's [`Provider::token_source`] fetched for
    /// this request; `None` when the adapter has no token source for the call.
    pub token: Option<&'a str>,
    pub model: &'a str,
    /// Files sent as `multipart/form-data` with the body's fields (transcription).
    pub uploads: &'a [Upload],
    /// The provider-specific call arguments.
    pub params: &'a Params,
    /// What the adapter's [`Provider::token_source`] fetched for this request
    /// (a bearer token also arrives as `token`); `None` without a token source.
    pub fetched: Option<&'a Fetched>,
}

/// Provider-specific call arguments, by litellm's keyword names
/// (`api_version`, `azure_ad_token`, `vertex_project`, `vertex_credentials`,
/// `aws_region_name`, `aws_secret_access_key`, ...), as strings (Python
/// serializes dicts to JSON). Python collects them from the call's keyword
/// arguments and litellm's module globals; environment variables are the
/// adapter's to read ([`Params::get_or_env`]). Several hold secrets: `Debug`
/// shows the names only, and every value is stripped from errors.
#[derive(Clone, Default)]
pub struct Params(BTreeMap<String, String>);

/// No provider-specific arguments.
pub static NO_PARAMS: Params = Params(BTreeMap::new());

/// Params from `(name, value)` pairs, for the adapters' unit tests.
#[cfg(test)]
pub fn test_params(pairs: &[(&str, &str)]) -> Params {
    Params::new(
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
    )
}

impl Params {
    pub fn new(map: BTreeMap<String, String>) -> Params {
        Params(map)
    }

    /// The argument `name`, if given and not empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// The argument `name`, else the first of the `env` variables that is set and not empty.
    pub fn get_or_env(&self, name: &str, env: &[&str]) -> Option<String> {
        self.get(name).map(str::to_owned).or_else(|| {
            env.iter()
                .find_map(|n| std::env::var(n).ok().filter(|v| !v.is_empty()))
        })
    }

    /// The values of the secret arguments (names with `token`, `secret`,
    /// `credential`, `key` or `password` in them), to strip from errors.
    pub fn secrets(&self) -> impl Iterator<Item = &str> {
        self.0
            .iter()
            .filter(|(k, _)| {
                ["token", "secret", "credential", "key", "password"]
                    .iter()
                    .any(|w| k.contains(w))
            })
            .map(|(_, v)| v.as_str())
    }
}

impl std::fmt::Debug for Params {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

/// What a request is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    Chat,
    Embedding,
    /// OpenAI's Responses API: create (`POST /responses`).
    Responses,
    /// Retrieve a stored response; the body is `{"response_id": ...}`.
    ResponsesGet,
    /// Delete a stored response; the body is `{"response_id": ...}`.
    ResponsesDelete,
    ImageGeneration,
    Moderation,
    /// Cohere-compatible `/rerank` (Cohere, Jina, Voyage, vLLM, llama.cpp).
    Rerank,
    /// `/audio/transcriptions`: the body's fields plus one uploaded file, as multipart.
    Transcription,
    /// `/audio/speech`: the answer is the audio bytes, passed through.
    Speech,
    /// OpenAI's legacy `/completions` (instruct models such as gpt-3.5-turbo-instruct).
    TextCompletion,
}

impl Endpoint {
    /// The name Python calls the endpoint by (`_elc_core.call(name, ...)`).
    pub fn name(self) -> &'static str {
        match self {
            Endpoint::Chat => "chat",
            Endpoint::Embedding => "embedding",
            Endpoint::Responses => "responses",
            Endpoint::ResponsesGet => "responses_get",
            Endpoint::ResponsesDelete => "responses_delete",
            Endpoint::ImageGeneration => "image_generation",
            Endpoint::Moderation => "moderation",
            Endpoint::Rerank => "rerank",
            Endpoint::Transcription => "transcription",
            Endpoint::Speech => "speech",
            Endpoint::TextCompletion => "text_completion",
        }
    }

    /// The endpoint called `name`.
    pub fn from_name(name: &str) -> Option<Endpoint> {
        ALL_ENDPOINTS.iter().copied().find(|e| e.name() == name)
    }
}

const ALL_ENDPOINTS: &[Endpoint] = &[
    Endpoint::Chat,
    Endpoint::Embedding,
    Endpoint::Responses,
    Endpoint::ResponsesGet,
    Endpoint::ResponsesDelete,
    Endpoint::ImageGeneration,
    Endpoint::Moderation,
    Endpoint::Rerank,
    Endpoint::Transcription,
    Endpoint::Speech,
    Endpoint::TextCompletion,
];

/// The refusal of an endpoint a provider does not serve, before any I/O
/// (litellm raises a `BadRequestError` for these too).
pub fn unsupported(endpoint: Endpoint, provider: &str) -> Error {
    Error::new(
        Kind::BadRequest,
        format!(
            "provider {provider} does not support the {} endpoint; see the README's \
             endpoint table for the providers that do",
            endpoint.name()
        ),
    )
}

/// How a token is fetched before a request: the call's pooled client, its
/// deadline (the fetch counts against the call's timeout), its retries and its
/// debug events.
pub struct Exchange<'a> {
    pub client: &'a reqwest::Client,
    pub deadline: Option<Instant>,
    pub num_retries: u32,
    pub log: Trace,
}

/// A secret a [`TokenSource`] fetched for one request.
#[derive(Clone)]
pub enum Fetched {
    /// An OAuth2 bearer access token (Vertex AI, Azure Entra ID), also `Target::token`.
    Bearer(String),
    /// AWS temporary credentials (Bedrock: STS, the container endpoint) the
    /// adapter signs the request with.
    Aws(Credentials),
}

impl Fetched {
    /// The bearer token, if that is what was fetched.
    pub fn bearer(&self) -> Option<&str> {
        match self {
            Fetched::Bearer(t) => Some(t),
            Fetched::Aws(_) => None,
        }
    }

    /// Every secret value in it, to strip from errors.
    pub fn secrets(&self) -> Vec<&str> {
        match self {
            Fetched::Bearer(t) => vec![t],
            Fetched::Aws(c) => {
                let mut out = vec![c.secret_access_key.as_str()];
                out.extend(c.session_token.as_deref());
                out
            }
        }
    }
}

impl std::fmt::Debug for Fetched {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Fetched::Bearer(_) => f.write_str("Bearer(..)"),
            Fetched::Aws(c) => f.debug_tuple("Aws").field(c).finish(),
        }
    }
}

/// A secret fetched over the network before the request it authorizes (an
/// OAuth2 access token, AWS temporary credentials), cached and refreshed by
/// the source itself.
pub trait TokenSource: Send + Sync {
    /// A secret valid for the request about to be sent: cached, or fetched
    /// through `how` (once for concurrent callers). A refusal by the token
    /// endpoint is an `Authentication` (or `PermissionDenied`) error with the
    /// endpoint's error text.
    fn token<'a>(
        &'a self,
        how: &'a Exchange<'a>,
    ) -> Pin<Box<dyn Future<Output = Result<Fetched, Error>> + Send + 'a>>;
}

/// One wire format. Requests arrive as OpenAI-shaped JSON bytes and responses
/// leave as OpenAI-shaped JSON bytes; everything in between is the adapter's.
pub trait Provider: Sync {
    /// Build the HTTP request for an OpenAI-shaped `body`.
    fn request(
        &self,
        endpoint: Endpoint,
        target: &Target,
        body: Vec<u8>,
    ) -> Result<HttpRequest, Error>;
    /// The most embedding inputs one request to `model` (the provider's model
    /// id) may carry: a longer `input` list is sent as several requests whose
    /// answers are merged. Default: no limit.
    fn embedding_batch_size(&self, model: &str) -> Option<usize> {
        let _ = model;
        None
    }
    /// The base URL to use when the call gives no `api_base` and no env var
    /// in the registry row's `base_env` is set, computed from the call's
    /// `params` (a cloud region or location). Default: none, so the row's
    /// `default_base` applies.
    fn base(&self, params: &Params) -> Result<Option<String>, Error> {
        let _ = params;
        Ok(None)
    }
    /// The adapter serving `model` when one registry row covers several wire
    /// formats by model family (Vertex AI: Gemini, and Claude on the
    /// Anthropic publisher). Default: none, this adapter serves every model.
    fn variant(&self, model: &str) -> Option<&'static dyn Provider> {
        let _ = model;
        None
    }
    /// Where the request's bearer token comes from when it must be fetched
    /// over the network first, resolved before any I/O from the call's
    /// `params` and `api_key`; credentials that are missing or unreadable are
    /// refused here. Awaited before each request is built; what it fetched
    /// reaches the adapter as `Target::fetched` (a bearer token as
    /// `Target::token` too). Default: none (the key is sent as given).
    fn token_source(
        &self,
        params: &Params,
        api_key: Option<&str>,
    ) -> Result<Option<Arc<dyn TokenSource>>, Error> {
        let _ = (params, api_key);
        Ok(None)
    }
    /// Reword a failure to reach the server at `base` (connection refused,
    /// DNS, reset before any answer), e.g. to say which server is down.
    /// Default: unchanged.
    fn unreachable(&self, base: &str, err: Error) -> Error {
        let _ = base;
        err
    }
    /// Turn a success body of a call to `model` (the provider's model id, for
    /// wire formats whose body does not name it) into OpenAI-shaped JSON bytes.
    fn response(&self, endpoint: Endpoint, model: &str, body: Vec<u8>) -> Result<Vec<u8>, Error>;
    /// A fresh decoder for one streamed response of `endpoint` (chat, or
    /// the Responses API where the adapter serves it).
    fn stream_decoder(&self, endpoint: Endpoint) -> Box<dyn StreamDecoder>;
    /// Map an error status and body to an [`Error`] (by status and the
    /// provider's error type/code, never by message text).
    fn error(&self, status: u16, body: &[u8]) -> Error;
    /// [`Provider::error`] for a provider whose error type travels in a
    /// response header (Bedrock's `x-amzn-ErrorType`). Default: the body only.
    fn error_with_headers(
        &self,
        status: u16,
        headers: &reqwest::header::HeaderMap,
        body: &[u8],
    ) -> Error {
        let _ = headers;
        self.error(status, body)
    }
}

/// Turns a streamed body into OpenAI `chat.completion.chunk` JSON documents.
pub trait StreamDecoder: Send {
    /// Decode the bytes of one read; returns the chunks they complete.
    fn feed(&mut self, bytes: &[u8]) -> Result<Vec<Vec<u8>>, Error>;
    /// The body ended: return any last chunks.
    fn finish(&mut self) -> Result<Vec<Vec<u8>>, Error>;
    /// The provider signalled the end of the stream (e.g. `data: [DONE]`).
    fn done(&self) -> bool;
}

/// A registry entry.
pub struct Spec {
    /// litellm's `custom_llm_provider` name, also the model prefix.
    pub name: &'static str,
    /// Used when neither `api_base` nor an env var gives one; empty = required.
    pub default_base: &'static str,
    /// Env vars holding the key, in lookup order.
    pub key_env: &'static [&'static str],
    /// Env vars holding the base URL, in lookup order.
    pub base_env: &'static [&'static str],
    /// litellm module globals holding the key (e.g. `litellm.openai_key`), read by Python.
    pub key_globals: &'static [&'static str],
    /// A call without a key is refused before any I/O.
    pub key_required: bool,
    /// The endpoints the provider serves (its API docs); a call to any other
    /// is refused before any I/O.
    pub endpoints: &'static [Endpoint],
    pub adapter: &'static dyn Provider,
}

impl Spec {
    /// Whether calls to `endpoint` may be sent to this provider.
    pub fn serves(&self, endpoint: Endpoint) -> bool {
        self.endpoints.contains(&endpoint)
    }
}

use Endpoint::*;

static SPECS: &[Spec] = &[
    Spec {
        name: "openai",
        default_base: "https://api.openai.com/v1",
        key_env: &["OPENAI_API_KEY"],
        base_env: &["OPENAI_BASE_URL", "OPENAI_API_BASE"],
        key_globals: &["openai_key"],
        key_required: true,
        endpoints: &[
            Chat,
            Embedding,
            Responses,
            ResponsesGet,
            ResponsesDelete,
            ImageGeneration,
            Moderation,
            Transcription,
            Speech,
            TextCompletion,
        ],
        adapter: &openai::OPENAI,
    },
    Spec {
        name: "xai",
        default_base: "https://api.x.ai/v1",
        key_env: &["XAI_API_KEY"],
        base_env: &["XAI_API_BASE"],
        key_globals: &[],
        key_required: true,
        endpoints: &[
            Chat,
            Responses,
            ResponsesGet,
            ResponsesDelete,
            ImageGeneration,
        ],
        adapter: &openai::COMPATIBLE,
    },
    Spec {
        name: "openrouter",
        default_base: "https://openrouter.ai/api/v1",
        key_env: &["OPENROUTER_API_KEY", "OR_API_KEY"],
        base_env: &["OPENROUTER_API_BASE"],
        key_globals: &["openrouter_key"],
        key_required: true,
        endpoints: &[Chat, Embedding, Responses],
        adapter: &openai::OPENROUTER,
    },
    Spec {
        name: "mistral",
        default_base: "https://api.mistral.ai/v1",
        key_env: &["MISTRAL_API_KEY"],
        base_env: &["MISTRAL_API_BASE"],
        key_globals: &[],
        key_required: true,
        endpoints: &[Chat, Embedding],
        adapter: &openai::MISTRAL,
    },
    Spec {
        name: "lm_studio",
        default_base: "http://localhost:1234/v1",
        key_env: &["LM_STUDIO_API_KEY"],
        base_env: &["LM_STUDIO_API_BASE"],
        key_globals: &[],
        key_required: false,
        endpoints: &[Chat, Embedding, Responses],
        adapter: &openai::COMPATIBLE,
    },
    Spec {
        name: "hosted_vllm",
        default_base: "",
        key_env: &["HOSTED_VLLM_API_KEY"],
        base_env: &["HOSTED_VLLM_API_BASE"],
        key_globals: &[],
        key_required: false,
        endpoints: &[
            Chat,
            Embedding,
            Responses,
            ResponsesGet,
            Rerank,
            Transcription,
        ],
        adapter: &openai::COMPATIBLE,
    },
    Spec {
        name: "groq",
        default_base: "https://api.groq.com/openai/v1",
        key_env: &["GROQ_API_KEY"],
        base_env: &["GROQ_API_BASE"],
        key_globals: &["groq_key"],
        key_required: true,
        endpoints: &[Chat, Responses, Transcription, Speech],
        adapter: &openai::COMPATIBLE,
    },
    Spec {
        name: "deepseek",
        default_base: "https://api.deepseek.com/beta",
        key_env: &["DEEPSEEK_API_KEY"],
        base_env: &["DEEPSEEK_API_BASE"],
        key_globals: &[],
        key_required: true,
        endpoints: &[Chat],
        adapter: &openai::COMPATIBLE,
    },
    Spec {
        name: "together_ai",
        default_base: "https://api.together.xyz/v1",
        key_env: &[
            "TOGETHERAI_API_KEY",
            "TOGETHER_AI_API_KEY",
            "TOGETHER_API_KEY",
        ],
        base_env: &["TOGETHER_AI_API_BASE", "TOGETHERAI_API_BASE"],
        key_globals: &["togetherai_api_key"],
        key_required: true,
        endpoints: &[Chat, Embedding, ImageGeneration, Rerank],
        adapter: &openai::COMPATIBLE,
    },
    Spec {
        name: "cohere",
        default_base: "https://api.cohere.com",
        key_env: &["COHERE_API_KEY", "CO_API_KEY"],
        base_env: &["COHERE_API_BASE"],
        key_globals: &["cohere_key"],
        key_required: true,
        // Cohere's chat API is its own wire format, not served here.
        endpoints: &[Rerank],
        adapter: &openai::COHERE,
    },
    Spec {
        name: "jina_ai",
        default_base: "https://api.jina.ai/v1",
        key_env: &["JINA_AI_API_KEY"],
        base_env: &["JINA_AI_API_BASE"],
        key_globals: &[],
        key_required: true,
        endpoints: &[Embedding, Rerank],
        adapter: &openai::COMPATIBLE,
    },
    Spec {
        name: "ollama",
        default_base: "http://localhost:11434",
        key_env: &["OLLAMA_API_KEY"],
        base_env: &["OLLAMA_API_BASE"],
        key_globals: &["ollama_key"],
        key_required: false,
        endpoints: &[Chat, Embedding],
        adapter: &ollama::GENERATE,
    },
    Spec {
        name: "ollama_chat",
        default_base: "http://localhost:11434",
        key_env: &["OLLAMA_API_KEY"],
        base_env: &["OLLAMA_API_BASE"],
        key_globals: &["ollama_key"],
        key_required: false,
        endpoints: &[Chat, Embedding],
        adapter: &ollama::CHAT,
    },
    Spec {
        name: "gemini",
        default_base: "https://generativelanguage.googleapis.com",
        key_env: &["GEMINI_API_KEY", "GOOGLE_API_KEY"],
        base_env: &["GEMINI_API_BASE"],
        key_globals: &["gemini_key"],
        key_required: true,
        endpoints: &[Chat, Embedding, ImageGeneration],
        adapter: &gemini::Gemini,
    },
    Spec {
        name: "anthropic",
        default_base: "https://api.anthropic.com",
        key_env: &["ANTHROPIC_API_KEY"],
        base_env: &["ANTHROPIC_API_BASE", "ANTHROPIC_BASE_URL"],
        key_globals: &["anthropic_key"],
        key_required: true,
        endpoints: &[Chat],
        adapter: &anthropic::Anthropic,
    },
    Spec {
        name: "vertex_ai",
        // The host follows vertex_location (the adapter's `base`); this is the default's.
        default_base: "https://us-central1-aiplatform.googleapis.com",
        // An OAuth2 token from the credentials (vertex::auth), not a key from the env.
        key_env: &[],
        base_env: &["VERTEXAI_API_BASE", "VERTEX_API_BASE"],
        key_globals: &[],
        key_required: false,
        endpoints: &[Chat, Embedding],
        adapter: &vertex::Google,
    },
    // The OpenAI-compatible long tail (litellm's provider docs: prefix,
    // default base, key env vars); each speaks OpenAI's wire format unchanged.
    Spec {
        name: "fireworks_ai",
        default_base: "https://api.fireworks.ai/inference/v1",
        key_env: &[
            "FIREWORKS_API_KEY",
            "FIREWORKS_AI_API_KEY",
            "FIREWORKSAI_API_KEY",
            "FIREWORKS_AI_TOKEN",
        ],
        base_env: &["FIREWORKS_API_BASE"],
        key_globals: &[],
        key_required: true,
        adapter: &openai::COMPATIBLE,
        endpoints: &[Chat, Embedding],
    },
    Spec {
        name: "perplexity",
        default_base: "https://api.perplexity.ai",
        key_env: &["PERPLEXITYAI_API_KEY", "PERPLEXITY_API_KEY"],
        base_env: &["PERPLEXITY_API_BASE"],
        key_globals: &[],
        key_required: true,
        adapter: &openai::COMPATIBLE,
        endpoints: &[Chat],
    },
    Spec {
        name: "deepinfra",
        default_base: "https://api.deepinfra.com/v1/openai",
        key_env: &["DEEPINFRA_API_KEY"],
        base_env: &["DEEPINFRA_API_BASE"],
        key_globals: &[],
        key_required: true,
        adapter: &openai::COMPATIBLE,
        endpoints: &[Chat, Embedding],
    },
    Spec {
        name: "cerebras",
        default_base: "https://api.cerebras.ai/v1",
        key_env: &["CEREBRAS_API_KEY"],
        base_env: &["CEREBRAS_API_BASE"],
        key_globals: &[],
        key_required: true,
        adapter: &openai::COMPATIBLE,
        endpoints: &[Chat],
    },
    Spec {
        name: "sambanova",
        default_base: "https://api.sambanova.ai/v1",
        key_env: &["SAMBANOVA_API_KEY"],
        base_env: &["SAMBANOVA_API_BASE"],
        key_globals: &[],
        key_required: true,
        adapter: &openai::COMPATIBLE,
        endpoints: &[Chat],
    },
    Spec {
        name: "nvidia_nim",
        default_base: "https://integrate.api.nvidia.com/v1",
        key_env: &["NVIDIA_NIM_API_KEY"],
        base_env: &["NVIDIA_NIM_API_BASE"],
        key_globals: &[],
        key_required: true,
        adapter: &openai::COMPATIBLE,
        endpoints: &[Chat, Embedding],
    },
    Spec {
        name: "huggingface",
        default_base: "https://router.huggingface.co/v1",
        key_env: &["HF_TOKEN", "HUGGINGFACE_API_KEY"],
        base_env: &["HF_API_BASE", "HUGGINGFACE_API_BASE"],
        key_globals: &[],
        key_required: true,
        adapter: &openai::COMPATIBLE,
        endpoints: &[Chat],
    },
    Spec {
        name: "nebius",
        default_base: "https://api.studio.nebius.ai/v1",
        key_env: &["NEBIUS_API_KEY"],
        base_env: &["NEBIUS_API_BASE"],
        key_globals: &[],
        key_required: true,
        adapter: &openai::COMPATIBLE,
        endpoints: &[Chat, Embedding],
    },
    Spec {
        name: "novita",
        default_base: "https://api.novita.ai/v3/openai",
        key_env: &["NOVITA_API_KEY"],
        base_env: &["NOVITA_API_BASE"],
        key_globals: &[],
        key_required: true,
        adapter: &openai::COMPATIBLE,
        endpoints: &[Chat],
    },
    Spec {
        name: "dashscope",
        default_base: "https://dashscope.aliyuncs.com/compatible-mode/v1",
        key_env: &["DASHSCOPE_API_KEY"],
        base_env: &["DASHSCOPE_API_BASE"],
        key_globals: &[],
        key_required: true,
        adapter: &openai::COMPATIBLE,
        endpoints: &[Chat],
    },
    Spec {
        name: "moonshot",
        default_base: "https://api.moonshot.ai/v1",
        key_env: &["MOONSHOT_API_KEY"],
        base_env: &["MOONSHOT_API_BASE"],
        key_globals: &[],
        key_required: true,
        adapter: &openai::COMPATIBLE,
        endpoints: &[Chat],
    },
    Spec {
        name: "github",
        default_base: "https://models.inference.ai.azure.com",
        key_env: &["GITHUB_API_KEY"],
        base_env: &["GITHUB_API_BASE"],
        key_globals: &[],
        key_required: true,
        adapter: &openai::COMPATIBLE,
        endpoints: &[Chat],
    },
    Spec {
        name: "vercel_ai_gateway",
        default_base: "https://ai-gateway.vercel.sh/v1",
        key_env: &["VERCEL_AI_GATEWAY_API_KEY", "VERCEL_OIDC_TOKEN"],
        base_env: &["VERCEL_AI_GATEWAY_API_BASE"],
        key_globals: &[],
        key_required: true,
        adapter: &openai::COMPATIBLE,
        endpoints: &[Chat, Embedding],
    },
    // Azure OpenAI and Azure AI Foundry (litellm's `azure` / `azure_ai`): the
    // base is the caller's resource; the key (or an Entra ID token) is checked
    // by the adapter, which accepts either.
    Spec {
        name: "azure",
        default_base: "",
        key_env: &["AZURE_OPENAI_API_KEY", "AZURE_API_KEY"],
        base_env: &["AZURE_API_BASE", "AZURE_OPENAI_ENDPOINT"],
        key_globals: &["azure_key"],
        key_required: false,
        endpoints: &[Chat, Embedding, ImageGeneration, Transcription, Speech],
        adapter: &azure::Azure,
    },
    Spec {
        // litellm's Azure legacy completions (instruct deployments); chat is sent as a prompt.
        name: "azure_text",
        default_base: "",
        key_env: &["AZURE_OPENAI_API_KEY", "AZURE_API_KEY"],
        base_env: &["AZURE_API_BASE", "AZURE_OPENAI_ENDPOINT"],
        key_globals: &["azure_key"],
        key_required: false,
        endpoints: &[Chat, TextCompletion],
        adapter: &azure::AzureText,
    },
    Spec {
        name: "azure_ai",
        default_base: "",
        key_env: &["AZURE_AI_API_KEY"],
        base_env: &["AZURE_AI_API_BASE"],
        key_globals: &[],
        key_required: false,
        endpoints: &[Chat, Embedding],
        adapter: &azure::AzureAi,
    },
    // AWS Bedrock: SigV4 from params / env / shared files, or a Bedrock API
    // key as a bearer token; the base is the region's bedrock-runtime host
    // (the adapter's `base`, which also reads `aws_bedrock_runtime_endpoint`).
    Spec {
        name: "bedrock",
        default_base: "",
        key_env: &["AWS_BEARER_TOKEN_BEDROCK"],
        base_env: &[],
        key_globals: &[],
        key_required: false,
        adapter: &bedrock::Bedrock,
        endpoints: &[Chat, Embedding],
    },
];

/// Bare model names litellm sends to OpenAI without a prefix.
const OPENAI_BARE_PREFIXES: &[&str] = &[
    "gpt-",
    "chatgpt-",
    "o1",
    "o3",
    "o4",
    "text-embedding-",
    "davinci",
    "babbage",
    "omni-moderation",
    "text-moderation",
    "dall-e",
    "gpt-image",
    "whisper",
    "tts-",
];

/// The spec registered under `name`.
pub fn spec(name: &str) -> Option<&'static Spec> {
    SPECS.iter().find(|s| s.name == name)
}

/// Resolve `model` (and litellm's optional `custom_llm_provider`) to a spec and
/// the provider's model id. A prefix is split on the first `/` only, so
/// `openrouter/meta-llama/llama-3-8b` → (`openrouter`, `meta-llama/llama-3-8b`).
pub fn route<'m>(model: &'m str, custom: Option<&str>) -> Result<(&'static Spec, &'m str), Error> {
    if let Some(name) = custom.filter(|c| !c.is_empty()) {
        let s = spec(name).ok_or_else(|| unknown(model, Some(name)))?;
        let id = model
            .strip_prefix(name)
            .and_then(|m| m.strip_prefix('/'))
            .unwrap_or(model);
        return Ok((s, id));
    }
    if let Some((prefix, id)) = model.split_once('/') {
        if let Some(s) = spec(prefix) {
            return Ok((s, id));
        }
    } else if OPENAI_BARE_PREFIXES.iter().any(|p| model.starts_with(p)) {
        return Ok((&SPECS[0], model));
    } else if model.starts_with("claude-") {
        // litellm routes bare Claude model names to Anthropic.
        if let Some(s) = spec("anthropic") {
            return Ok((s, model));
        }
    }
    Err(unknown(model, None))
}

fn unknown(model: &str, custom: Option<&str>) -> Error {
    let known: Vec<&str> = SPECS.iter().map(|s| s.name).collect();
    let what = match custom {
        Some(c) => format!("custom_llm_provider={c:?} is not a supported provider"),
        None => format!("LLM Provider NOT provided for model={model:?}"),
    };
    Error::new(
        Kind::BadRequest,
        format!(
            "{what}. Pass the provider as a prefix, e.g. model=\"openai/{model}\"; supported providers: {}",
            known.join(", ")
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_split_on_the_first_slash() {
        let (s, id) = route("openrouter/meta-llama/llama-3-8b", None).unwrap();
        assert_eq!((s.name, id), ("openrouter", "meta-llama/llama-3-8b"));
        let (s, id) = route("xai/grok-4", None).unwrap();
        assert_eq!((s.name, id), ("xai", "grok-4"));
    }

    #[test]
    fn bare_openai_names_and_custom_provider() {
        for m in ["gpt-4o", "o3-mini", "text-embedding-3-small"] {
            assert_eq!(route(m, None).unwrap().0.name, "openai", "{m}");
        }
        let (s, id) = route("tiny", Some("hosted_vllm")).unwrap();
        assert_eq!((s.name, id), ("hosted_vllm", "tiny"));
        let (s, id) = route("groq/llama3", Some("groq")).unwrap();
        assert_eq!((s.name, id), ("groq", "llama3"));
        let (s, id) = route("claude-3-5-haiku-latest", None).unwrap();
        assert_eq!((s.name, id), ("anthropic", "claude-3-5-haiku-latest"));
        let (s, id) = route("anthropic/claude-sonnet-4-5", None).unwrap();
        assert_eq!((s.name, id), ("anthropic", "claude-sonnet-4-5"));
    }

    #[test]
    fn long_tail_rows_have_a_base_and_a_key_env() {
        for name in [
            "fireworks_ai",
            "perplexity",
            "nvidia_nim",
            "huggingface",
            "github",
            "vercel_ai_gateway",
        ] {
            let model = format!("{name}/org/m");
            let (s, id) = route(&model, None).unwrap();
            assert_eq!((s.name, id), (name, "org/m"));
            assert!(
                s.default_base.starts_with("https://") && !s.key_env.is_empty(),
                "{name}"
            );
        }
    }

    #[test]
    fn params_hide_their_values_and_name_their_secrets() {
        let p = Params::new(BTreeMap::from([
            ("api_version".to_owned(), "2024-10-21".to_owned()),
            (
                "aws_secret_access_key".to_owned(),
                "s3cr3t-value".to_owned(),
            ),
            ("azure_ad_token".to_owned(), "eyJtoken".to_owned()),
            ("aws_region_name".to_owned(), String::new()),
        ]));
        assert_eq!(
            format!("{p:?}"),
            r#"{"api_version", "aws_region_name", "aws_secret_access_key", "azure_ad_token"}"#
        );
        assert_eq!(p.get("api_version"), Some("2024-10-21"));
        assert_eq!(p.get("aws_region_name"), None, "empty is absent");
        let secrets: Vec<&str> = p.secrets().collect();
        assert_eq!(secrets, ["s3cr3t-value", "eyJtoken"]);
    }

    #[test]
    fn unknown_providers_are_refused() {
        let e = route("nosuch/model", None).err().unwrap();
        assert_eq!(e.kind, Kind::BadRequest);
        assert!(e.message.contains("nosuch/model"));
        assert!(route("llama-3", None).is_err());
        assert!(route("gpt-4o", Some("nosuch")).is_err());
    }
}
