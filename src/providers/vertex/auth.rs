//! Google OAuth2 access tokens for Vertex AI, from the credentials litellm
//! takes (`vertex_llm_base.py` `load_auth`, `credentials_source.py`).
//!
//! Where the credentials come from, in litellm's order: the call's
//! `vertex_credentials` (a file path, a JSON string, `base64:` + base64 JSON;
//! Python sends a dict as JSON), `VERTEXAI_CREDENTIALS`, then Application
//! Default Credentials without the network: `GOOGLE_APPLICATION_CREDENTIALS`
//! (a path) or gcloud's `application_default_credentials.json`.
//!
//! - `service_account`: a JWT signed RS256 with the key's `private_key`
//!   (claims `iss` = `client_email`, `scope` = cloud-platform, `aud` =
//!   Google's token endpoint whatever `token_uri` says, as google-auth sends it,
//!   `iat`, `exp` = `iat` + 1 h) is exchanged at `token_uri`
//!   with `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`
//!   (developers.google.com/identity/protocols/oauth2/service-account).
//! - `authorized_user` (gcloud's ADC file): a `refresh_token` grant at
//!   `token_uri` (default `https://oauth2.googleapis.com/token`).
//!
//! A token is cached per credentials until [`REFRESH_MARGIN`] before it
//! expires (google-auth's `REFRESH_THRESHOLD`); concurrent callers wait for
//! one exchange ([`crate::providers::oauth`]). The private key, the refresh
//! token and the client secret never appear in an error or a debug line.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use ring::rand::SystemRandom;
use ring::signature::{RsaKeyPair, RSA_PKCS1_SHA256};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::PrivateKeyDer;
use serde_json::{json, Map, Value};

use crate::error::{Error, Kind};
use crate::providers::oauth::{self, Registry, TokenCache};
use crate::providers::{Exchange, Fetched, Params, TokenSource};

/// The OAuth2 scope litellm asks for.
pub const SCOPE: &str = "https://www.googleapis.com/auth/cloud-platform";
/// Google's token endpoint: the JWT's audience (google-auth's
/// `_GOOGLE_OAUTH2_TOKEN_ENDPOINT`), and the `token_uri` of credentials that name none.
pub const DEFAULT_TOKEN_URI: &str = "https://oauth2.googleapis.com/token";
const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/// How long a signed assertion is valid (Google's maximum).
const ASSERTION_LIFETIME: u64 = 3600;
/// A token is refreshed this long before it expires (google-auth's `REFRESH_THRESHOLD`).
pub const REFRESH_MARGIN: Duration = Duration::from_secs(225);

/// Loaded credentials, by their source (the JSON text or `path:` + the path).
static ACCOUNTS: Registry<Account> = Registry::new();

/// One set of credentials and its cached access token.
pub struct Account {
    grant: Grant,
    token_uri: String,
    project_id: Option<String>,
    cached: TokenCache,
}

enum Grant {
    ServiceAccount {
        email: String,
        key_id: Option<String>,
        key: Box<RsaKeyPair>,
    },
    AuthorizedUser {
        client_id: String,
        client_secret: String,
        refresh_token: String,
    },
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match &self.grant {
            Grant::ServiceAccount { .. } => "service_account",
            Grant::AuthorizedUser { .. } => "authorized_user",
        };
        f.debug_struct("Account")
            .field("type", &kind)
            .field("token_uri", &self.token_uri)
            .finish_non_exhaustive()
    }
}

fn refused(message: impl Into<String>) -> Error {
    Error::new(Kind::Authentication, message)
}

/// Where the call's credentials come from, if anywhere (no I/O).
enum Source {
    /// `vertex_credentials` / `VERTEXAI_CREDENTIALS`: JSON, base64 JSON or a path.
    Given(String),
    /// Application Default Credentials: a file path.
    File(String),
}

fn source(params: &Params) -> Option<Source> {
    if let Some(given) = params.get_or_env("vertex_credentials", &["VERTEXAI_CREDENTIALS"]) {
        return Some(Source::Given(given));
    }
    let env = |n: &str| std::env::var(n).ok().filter(|v| !v.is_empty());
    if let Some(path) = env("GOOGLE_APPLICATION_CREDENTIALS") {
        return Some(Source::File(path));
    }
    // gcloud's well-known file (`gcloud auth application-default login`).
    let dir =
        env("CLOUDSDK_CONFIG").or_else(|| env("HOME").map(|h| format!("{h}/.config/gcloud")))?;
    let path = format!("{dir}/application_default_credentials.json");
    std::path::Path::new(&path)
        .is_file()
        .then_some(Source::File(path))
}

/// The call's credentials, loaded once per source and kept; `None` when the
/// call names none. Unreadable or unusable credentials are an
/// `Authentication` error naming the problem, never their content.
pub fn account(params: &Params) -> Result<Option<Arc<Account>>, Error> {
    let Some(source) = source(params) else {
        return Ok(None);
    };
    let key = match &source {
        Source::Given(text) if looks_inline(text) => text.clone(),
        Source::Given(text) | Source::File(text) => format!("path:{text}"),
    };
    let load = || {
        let doc = match source {
            Source::Given(text) if looks_inline(&text) => parse_inline(&text)?,
            Source::Given(path) | Source::File(path) => read_file(&path)?,
        };
        Account::from_json(&doc)
    };
    ACCOUNTS.get_or_load(key, load).map(Some)
}

/// JSON (after whitespace, quotes or a byte-order mark) or `base64:`.
fn looks_inline(text: &str) -> bool {
    let t = text.trim_start_matches([' ', '\t', '\r', '\n', '\u{feff}', '"', '\'']);
    t.starts_with('{') || t.starts_with("base64:")
}

fn parse_inline(text: &str) -> Result<Map<String, Value>, Error> {
    let t = text.trim().trim_start_matches('\u{feff}');
    if let Some(encoded) = t.strip_prefix("base64:") {
        let compact: String = encoded.split_whitespace().collect();
        let raw = STANDARD
            .decode(compact.trim_matches(['"', '\'']))
            .map_err(|_| refused("vertex_credentials: the base64: value is not valid base64"))?;
        return object(&raw, "vertex_credentials (base64)");
    }
    object(t.trim_matches(['"', '\'']).as_bytes(), "vertex_credentials")
}

fn read_file(path: &str) -> Result<Map<String, Value>, Error> {
    let raw = std::fs::read(path).map_err(|e| {
        refused(format!(
            "cannot read the Vertex AI credentials file {path:?}: {}",
            e.kind()
        ))
    })?;
    object(&raw, &format!("the Vertex AI credentials file {path:?}"))
}

/// A JSON object; the parser's error names the line and column only.
fn object(raw: &[u8], what: &str) -> Result<Map<String, Value>, Error> {
    match serde_json::from_slice::<Value>(raw) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(refused(format!(
            "{what} is JSON but not a JSON object (quoted or encoded twice?)"
        ))),
        Err(e) => Err(refused(format!(
            "{what} is not a file path nor valid JSON (line {}, column {}); check for \
             unescaped newlines in private_key",
            e.line(),
            e.column()
        ))),
    }
}

fn field(doc: &Map<String, Value>, name: &str) -> Option<String> {
    doc.get(name)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

impl Account {
    /// Credentials of `type` `service_account` or `authorized_user`.
    pub fn from_json(doc: &Map<String, Value>) -> Result<Account, Error> {
        let kind = doc.get("type").and_then(Value::as_str).unwrap_or("");
        let need = |name: &str| {
            field(doc, name).ok_or_else(|| {
                refused(format!(
                    "the Vertex AI {kind} credentials have no {name:?} field"
                ))
            })
        };
        let grant = match kind {
            "service_account" => Grant::ServiceAccount {
                email: need("client_email")?,
                key_id: field(doc, "private_key_id"),
                key: Box::new(signing_key(&need("private_key")?)?),
            },
            "authorized_user" => Grant::AuthorizedUser {
                client_id: need("client_id")?,
                client_secret: need("client_secret")?,
                refresh_token: need("refresh_token")?,
            },
            other => {
                return Err(refused(format!(
                    "Vertex AI credentials of type {other:?} are not supported: use a \
                     service_account key or authorized_user credentials (gcloud auth \
                     application-default login)"
                )))
            }
        };
        let token_uri = field(doc, "token_uri").unwrap_or_else(|| DEFAULT_TOKEN_URI.to_owned());
        if !(token_uri.starts_with("https://") || token_uri.starts_with("http://")) {
            return Err(refused(format!(
                "the credentials' token_uri must be an http(s) URL, got {token_uri:?}"
            )));
        }
        Ok(Account {
            grant,
            token_uri,
            // authorized_user credentials carry a quota project instead (as litellm reads them).
            project_id: field(doc, "project_id").or_else(|| field(doc, "quota_project_id")),
            cached: TokenCache::new(REFRESH_MARGIN),
        })
    }

    /// The project the credentials belong to, if they name one.
    pub fn project_id(&self) -> Option<&str> {
        self.project_id.as_deref()
    }

    /// The token request's form body.
    fn grant_form(&self, now: u64) -> Result<String, Error> {
        match &self.grant {
            Grant::ServiceAccount { email, key_id, key } => oauth::form(&[
                ("grant_type", JWT_BEARER),
                ("assertion", &assertion(email, key_id.as_deref(), key, now)?),
            ]),
            Grant::AuthorizedUser {
                client_id,
                client_secret,
                refresh_token,
            } => oauth::form(&[
                ("grant_type", "refresh_token"),
                ("client_id", client_id),
                ("client_secret", client_secret),
                ("refresh_token", refresh_token),
            ]),
        }
    }

    /// A cached token, else one exchange at `token_uri` (callers arriving
    /// meanwhile wait for it).
    async fn access_token(&self, how: &Exchange<'_>) -> Result<String, Error> {
        let uri = self.token_uri.as_str();
        let refused = move |status: u16, body: &[u8]| token_error(uri, status, body);
        self.cached
            .get(|| async {
                oauth::exchange(how, uri, self.grant_form(unix_now())?, &refused).await
            })
            .await
    }
}

impl TokenSource for Account {
    fn token<'a>(
        &'a self,
        how: &'a Exchange<'a>,
    ) -> Pin<Box<dyn Future<Output = Result<Fetched, Error>> + Send + 'a>> {
        Box::pin(async move { self.access_token(how).await.map(Fetched::Bearer) })
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The RSA key of a PEM `private_key` (PKCS#8, as Google issues them, or PKCS#1).
fn signing_key(pem: &str) -> Result<RsaKeyPair, Error> {
    let bad = || refused("the service account's private_key is not a PEM RSA private key");
    let der = PrivateKeyDer::from_pem_slice(pem.as_bytes()).map_err(|_| bad())?;
    match der {
        PrivateKeyDer::Pkcs8(k) => RsaKeyPair::from_pkcs8(k.secret_pkcs8_der()),
        PrivateKeyDer::Pkcs1(k) => RsaKeyPair::from_der(k.secret_pkcs1_der()),
        _ => return Err(bad()),
    }
    .map_err(|_| bad())
}

/// The signed JWT a service account exchanges for an access token.
fn assertion(
    email: &str,
    key_id: Option<&str>,
    key: &RsaKeyPair,
    now: u64,
) -> Result<String, Error> {
    let mut header = json!({"alg": "RS256", "typ": "JWT"});
    if let Some(kid) = key_id {
        header["kid"] = Value::from(kid);
    }
    let claims = json!({
        "iss": email,
        "scope": SCOPE,
        "aud": DEFAULT_TOKEN_URI,
        "iat": now,
        "exp": now + ASSERTION_LIFETIME,
    });
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let mut signature = vec![0; key.public().modulus_len()];
    key.sign(
        &RSA_PKCS1_SHA256,
        &SystemRandom::new(),
        signing_input.as_bytes(),
        &mut signature,
    )
    .map_err(|_| Error::new(Kind::Api, "signing the service account's JWT failed"))?;
    Ok(format!(
        "{signing_input}.{}",
        URL_SAFE_NO_PAD.encode(signature)
    ))
}

/// A token endpoint's refusal (RFC 6749 §5.2 `{"error", "error_description"}`):
/// `Authentication` for a 4xx, the status's kind (retried) for a 5xx.
fn token_error(uri: &str, status: u16, body: &[u8]) -> Error {
    let detail = oauth::refusal_detail(body);
    let kind = match status {
        400..=499 => Kind::Authentication,
        _ => Kind::from_status(status),
    };
    Error::http(
        kind,
        status,
        format!("the Vertex AI token endpoint {uri} refused the credentials ({status}): {detail}"),
        body,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    // The RS256 JWT is verified against a key generated by the test itself in
    // tests/test_vertex.py (no private key is committed); here, what needs none.

    fn service_account() -> Map<String, Value> {
        let Value::Object(m) = json!({
            "type": "service_account",
            "project_id": "proj-1",
            "private_key": "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1ieXRlcw==\n-----END PRIVATE KEY-----\n",
            "client_email": "sa@proj-1.iam.gserviceaccount.com",
        }) else {
            unreachable!()
        };
        m
    }

    #[test]
    fn refresh_token_credentials_and_unsupported_types() {
        let Value::Object(user) = json!({
            "type": "authorized_user", "client_id": "cid", "client_secret": "cs/+",
            "refresh_token": "rt", "quota_project_id": "qp",
        }) else {
            unreachable!()
        };
        let account = Account::from_json(&user).unwrap();
        assert_eq!(account.token_uri, DEFAULT_TOKEN_URI);
        assert_eq!(account.project_id(), Some("qp"));
        assert_eq!(
            account.grant_form(0).unwrap(),
            "grant_type=refresh_token&client_id=cid&client_secret=cs%2F%2B&refresh_token=rt"
        );
        let Value::Object(ext) = json!({"type": "external_account"}) else {
            unreachable!()
        };
        let e = Account::from_json(&ext).unwrap_err();
        assert_eq!(e.kind, Kind::Authentication);
        assert!(e.message.contains("external_account"), "{}", e.message);
    }

    #[test]
    fn a_bad_key_or_json_is_refused_without_its_content() {
        let e = Account::from_json(&service_account()).unwrap_err();
        assert_eq!(e.kind, Kind::Authentication);
        assert!(!e.message.contains("c2VjcmV0"), "{}", e.message);
        let e = parse_inline("{\"private_key\": \"sec\nret\"}").unwrap_err();
        assert!(!e.message.contains("sec"), "{}", e.message);
        assert!(e.message.contains("line "), "{}", e.message);
        let encoded = format!(
            "base64:{}",
            STANDARD.encode(Value::Object(service_account()).to_string())
        );
        assert!(looks_inline(&encoded));
        assert_eq!(
            parse_inline(&encoded).unwrap()["client_email"],
            "sa@proj-1.iam.gserviceaccount.com"
        );
    }

    #[test]
    fn token_endpoint_errors_name_the_endpoints_text() {
        let e = token_error(
            "https://oauth2.googleapis.com/token",
            400,
            br#"{"error":"invalid_grant","error_description":"Invalid JWT Signature."}"#,
        );
        assert_eq!((e.kind, e.status), (Kind::Authentication, Some(400)));
        assert!(e.message.contains("invalid_grant: Invalid JWT Signature."));
        assert_eq!(
            token_error("u", 503, b"down").kind,
            Kind::ServiceUnavailable
        );
    }
}
