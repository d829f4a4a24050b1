//! One provider call, resolved: the adapter, model id, key, base URL and
//! options, and the async operations that run it.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::options::{Options, Verify};
use super::shape::{self, Shaper};
use super::stream::{Batch, Item};
use crate::error::{Error, Kind};
use crate::http::{self, HttpRequest};
use crate::multipart::Upload;
use crate::providers::{
    self, batch, responses_bridge, Endpoint, Exchange, Fetched, Params, Provider, Spec,
    StreamDecoder, Target, TokenSource,
};
use crate::runtime;
use crate::trace::Trace;

/// How many decoded batches a stream buffers ahead of the Python consumer.
const STREAM_BUFFER: usize = 1;
/// How much of a stream's first read is decoded before its chunks are handed over (bytes).
const FIRST_SLICE: usize = 2048;
/// Decoded chunk JSON that all streams together may hold ahead of their consumers
/// before each decodes only [`SLICE`] of a read at a time (bytes).
const AHEAD_BUDGET: usize = 1 << 20;
/// How much of a read a stream decodes at a time once [`AHEAD_BUDGET`] is reached (bytes).
const SLICE: usize = 4096;

/// Everything one request needs, with the configuration already resolved
/// (per-call argument → environment variable → provider default; Python
/// applied the module globals before calling in).
pub struct Call {
    spec: &'static Spec,
    /// The registry row's adapter, or its variant for this model.
    adapter: &'static dyn Provider,
    /// Where the bearer token comes from when it is fetched before each request.
    tokens: Option<Arc<dyn TokenSource>>,
    model: String,
    api_key: Option<String>,
    base: String,
    timeout: Option<Duration>,
    num_retries: u32,
    headers: Vec<(String, String)>,
    ssl_verify: Verify,
    log: Trace,
    uploads: Vec<Upload>,
    params: Params,
}

/// `e` without the secrets of what a token source fetched.
fn redact_fetched(e: Error, fetched: Option<&Fetched>) -> Error {
    fetched
        .map(Fetched::secrets)
        .unwrap_or_default()
        .into_iter()
        .fold(e, |e, s| e.redact(Some(s)))
}

impl Call {
    /// Resolve a call, refusing it before any I/O when the provider is
    /// unknown, the timeout is not a positive number, no base URL can be found,
    /// or the key is missing for a provider's public endpoint.
    pub fn new(provider: &str, model: String, options: Options) -> Result<Call, Error> {
        let Options {
            api_key,
            api_base,
            timeout,
            num_retries,
            headers,
            ssl_verify,
            debug,
            params,
        } = options;
        let params = Params::new(params.unwrap_or_default());
        let spec = providers::spec(provider).ok_or_else(|| {
            Error::new(Kind::BadRequest, format!("unknown provider {provider:?}"))
        })?;
        let env = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| std::env::var(n).ok().filter(|v| !v.is_empty()))
        };
        let api_key = api_key
            .filter(|k| !k.is_empty())
            .or_else(|| env(spec.key_env));
        let fail =
            |kind, message: String| Err(Error::new(kind, message).context(spec.name, &model));
        let custom_base = api_base
            .filter(|b| !b.is_empty())
            .or_else(|| env(spec.base_env));
        // A key is required only by the provider's own endpoint: a server the
        // caller points us at (llama.cpp, vLLM, a gateway) may need none.
        if spec.key_required && api_key.is_none() && custom_base.is_none() {
            return fail(
                Kind::Authentication,
                format!(
                    "no API key for provider {}: pass api_key=..., set litellm.api_key, or set {}",
                    spec.name,
                    spec.key_env.join(" / ")
                ),
            );
        }
        let adapter = spec.adapter.variant(&model).unwrap_or(spec.adapter);
        let base = match custom_base {
            Some(b) => b,
            None => match adapter.base(&params) {
                Ok(computed) => computed.unwrap_or_else(|| spec.default_base.to_owned()),
                Err(e) => return Err(e.context(spec.name, &model)),
            },
        };
        if base.is_empty() {
            return fail(
                Kind::BadRequest,
                format!(
                    "no api_base for provider {}: pass api_base=... or set {}",
                    spec.name,
                    spec.base_env.join(" / ")
                ),
            );
        }
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return fail(
                Kind::BadRequest,
                format!("api_base must be an http:// or https:// URL, got {base:?}"),
            );
        }
        let timeout = match timeout {
            None => None,
            Some(t) if t.is_finite() && t > 0.0 => Some(Duration::from_secs_f64(t)),
            Some(t) => {
                return fail(
                    Kind::BadRequest,
                    format!("timeout must be a positive number of seconds, got {t}"),
                )
            }
        };
        let tokens = adapter
            .token_source(&params, api_key.as_deref())
            .map_err(|e| e.context(spec.name, &model))?;
        Ok(Call {
            spec,
            adapter,
            tokens,
            model,
            api_key,
            base,
            timeout,
            num_retries,
            headers: headers.unwrap_or_default(),
            ssl_verify,
            log: Trace::new(debug),
            uploads: Vec::new(),
            params,
        })
    }

    /// Send `uploads` as multipart files with the body's fields.
    pub fn with_uploads(mut self, uploads: Vec<Upload>) -> Call {
        self.uploads = uploads;
        self
    }

    fn deadline(&self) -> Option<Instant> {
        self.timeout.map(|t| Instant::now() + t)
    }

    /// The adapter's request, or the refusal of an endpoint the provider's
    /// registry row does not list (no I/O has happened yet).
    /// `token` is what the adapter's token source fetched for this request.
    fn build(
        &self,
        endpoint: Endpoint,
        body: Vec<u8>,
        token: Option<&Fetched>,
    ) -> Result<HttpRequest, Error> {
        if !self.spec.serves(endpoint) {
            return Err(providers::unsupported(endpoint, self.spec.name));
        }
        let target = Target {
            base: &self.base,
            api_key: self.api_key.as_deref(),
            token: token.and_then(Fetched::bearer),
            model: &self.model,
            uploads: &self.uploads,
            params: &self.params,
            fetched: token,
        };
        let mut req = self.adapter.request(endpoint, &target, body)?;
        req.extra_headers(&self.headers)?;
        Ok(req)
    }

    /// The secret of the adapter's token source, if it has one (cached,
    /// else fetched within the call's deadline and retries).
    async fn token(
        &self,
        client: &reqwest::Client,
        deadline: Option<Instant>,
    ) -> Result<Option<Fetched>, Error> {
        let Some(source) = &self.tokens else {
            return Ok(None);
        };
        let how = Exchange {
            client,
            deadline,
            num_retries: self.num_retries,
            log: self.log,
        };
        source.token(&how).await.map(Some)
    }

    /// Attach provider/model and strip the key and the secret provider params from an error.
    fn finish(&self, e: Error) -> Error {
        let e = e
            .context(self.spec.name, &self.model)
            .redact(self.api_key.as_deref());
        self.params.secrets().fold(e, |e, v| e.redact(Some(v)))
    }

    /// The adapter's error mapping, as `http` wants it.
    fn mapper(&self) -> impl Fn(u16, &reqwest::header::HeaderMap, &[u8]) -> Error + Sync {
        let adapter = self.adapter;
        move |status: u16, headers: &reqwest::header::HeaderMap, body: &[u8]| {
            adapter.error_with_headers(status, headers, body)
        }
    }

    /// No HTTP answer at all: let the adapter say which server is down.
    fn unreachable(&self, e: Error) -> Error {
        match (e.kind, e.status) {
            (Kind::Connection, None) => self.adapter.unreachable(&self.base, e),
            _ => e,
        }
    }

    /// A whole (non-streamed) call: OpenAI-shaped response JSON bytes. An
    /// embeddings `input` longer than the adapter's batch size is sent as
    /// several requests, one after another, and their answers merged.
    pub async fn json(self, endpoint: Endpoint, body: Vec<u8>) -> Result<Vec<u8>, Error> {
        let run = async {
            let client = runtime::client(&self.ssl_verify)?;
            let deadline = self.deadline();
            if self.bridged(endpoint) {
                let req = responses_bridge::request(&body)?;
                let chat = responses_bridge::to_chat(&req)?;
                let answer = self.once(&client, Endpoint::Chat, chat, deadline).await?;
                return responses_bridge::from_chat(&req, &answer);
            }
            let batches = match (endpoint, self.adapter.embedding_batch_size(&self.model)) {
                (Endpoint::Embedding, Some(size)) => batch::split(&body, size)?,
                _ => None,
            };
            let Some(bodies) = batches else {
                return self.once(&client, endpoint, body, deadline).await;
            };
            let mut answers = Vec::with_capacity(bodies.len());
            for b in bodies {
                answers.push(self.once(&client, endpoint, b, deadline).await?);
            }
            batch::merge(answers)
        };
        run.await.map_err(|e| self.finish(e))
    }

    /// A Responses call to a provider without `/responses`: sent as chat
    /// completions and translated back (`providers::responses_bridge`).
    fn bridged(&self, endpoint: Endpoint) -> bool {
        endpoint == Endpoint::Responses
            && !self.spec.serves(Endpoint::Responses)
            && self.spec.serves(Endpoint::Chat)
    }

    /// One request (with retries) and its translated answer.
    async fn once(
        &self,
        client: &reqwest::Client,
        endpoint: Endpoint,
        body: Vec<u8>,
        deadline: Option<Instant>,
    ) -> Result<Vec<u8>, Error> {
        let token = self.token(client, deadline).await?;
        let req = self.build(endpoint, body, token.as_ref())?;
        let bytes = http::fetch(
            client,
            &req,
            deadline,
            self.num_retries,
            &self.mapper(),
            self.log,
        )
        .await
        .map_err(|e| redact_fetched(self.unreachable(e), token.as_ref()))?;
        self.adapter.response(endpoint, &self.model, bytes.to_vec())
    }

    /// Open a streamed call (chat, or the Responses API): returns once the provider answered with a
    /// success status; a background task then decodes the body into `Item`s.
    /// `timeout` bounds the wait for the response head and each later gap
    /// between reads.
    pub async fn stream(
        self,
        endpoint: Endpoint,
        body: Vec<u8>,
        shaper: Option<Shaper>,
    ) -> Result<(mpsc::Receiver<Item>, tokio::task::AbortHandle), Error> {
        let opened = async {
            let client = runtime::client(&self.ssl_verify)?;
            let deadline = self.deadline();
            let token = self.token(&client, deadline).await?;
            let token = token.as_ref();
            let (req, decoder) = if self.bridged(endpoint) {
                let responses = responses_bridge::request(&body)?;
                let chat = responses_bridge::to_chat(&responses)?;
                let inner = self.adapter.stream_decoder(Endpoint::Chat);
                let decoder = responses_bridge::EventStream::boxed(inner, responses);
                (self.build(Endpoint::Chat, chat, token)?, decoder)
            } else {
                (
                    self.build(endpoint, body, token)?,
                    self.adapter.stream_decoder(endpoint),
                )
            };
            http::send(
                &client,
                &req,
                deadline,
                self.num_retries,
                &self.mapper(),
                self.log,
            )
            .await
            .map(|resp| (resp, decoder))
            .map_err(|e| redact_fetched(self.unreachable(e), token))
        };
        let (resp, decoder) = opened.await.map_err(|e| self.finish(e))?;
        let (tx, rx) = mpsc::channel(STREAM_BUFFER);
        let task = runtime::spawn(self.pump(decoder, shaper, resp, tx))?;
        Ok((rx, task.abort_handle()))
    }

    /// Read the body, decode it, shape chat chunks as litellm does (`shaper`, on
    /// this task rather than the consumer's thread), and push batches to the consumer.
    /// Nothing more is read or decoded until the channel has room, so a consumer
    /// that is behind leaves the rest of the body in the socket; a read is decoded
    /// whole while all streams together hold less than [`AHEAD_BUDGET`] of decoded
    /// chunks, else [`SLICE`] of it at a time. Ends when the consumer is gone, the
    /// provider ends the stream, or a fault occurs (delivered as `Item::Failed` after
    /// every chunk before it).
    async fn pump(
        self,
        mut decoder: Box<dyn StreamDecoder>,
        mut shaper: Option<Shaper>,
        resp: reqwest::Response,
        tx: mpsc::Sender<Item>,
    ) {
        let mut body = resp.bytes_stream();
        // What is left of the last read, decoded after the part before it was handed over.
        let mut carry: Option<bytes::Bytes> = None;
        let mut first = true;
        let outcome = loop {
            let Ok(room) = tx.reserve().await else {
                return;
            };
            let read = match carry.take() {
                Some(rest) => Some(Ok(rest)),
                None => match self.timeout {
                    Some(idle) => match tokio::time::timeout(idle, body.next()).await {
                        Ok(read) => read,
                        Err(_) => {
                            break Err(Error::new(
                                Kind::Timeout,
                                format!(
                                    "the stream sent nothing for {} s (timeout)",
                                    idle.as_secs_f64()
                                ),
                            ))
                        }
                    },
                    None => body.next().await,
                },
            };
            let decoded = match read {
                Some(Ok(mut bytes)) => {
                    // The first chunk reaches the caller once decoded, not after a
                    // whole first read (up to thousands of chunks) is.
                    // (Measured: copying the rest out of hyper's buffer instead of
                    // keeping a slice of it took more memory, not less.)
                    let limit = match (first, super::stream::ahead() >= AHEAD_BUDGET) {
                        (true, _) => FIRST_SLICE,
                        (false, true) => SLICE,
                        (false, false) => usize::MAX,
                    };
                    if bytes.len() > limit {
                        carry = Some(bytes.split_off(limit));
                    }
                    first = false;
                    decoder.feed(&bytes)
                }
                Some(Err(e)) => break Err(Error::transport(&e)),
                None => match decoder
                    .finish()
                    .map(|chunks| shape::batch(shaper.as_mut(), chunks))
                {
                    Ok(chunks) if chunks.is_empty() => break Ok(()),
                    Ok(chunks) => {
                        room.send(Item::Chunks(Batch::new(chunks)));
                        break Ok(());
                    }
                    Err(e) => break Err(e),
                },
            };
            match decoded.map(|chunks| shape::batch(shaper.as_mut(), chunks)) {
                Ok(chunks) if chunks.is_empty() => {}
                Ok(chunks) => room.send(Item::Chunks(Batch::new(chunks))),
                Err(e) => break Err(e),
            }
            if decoder.done() {
                break Ok(());
            }
        };
        let last = match outcome {
            Ok(()) => Item::Done,
            Err(e) => Item::Failed(self.finish(e)),
        };
        let _ = tx.send(last).await;
    }
}
