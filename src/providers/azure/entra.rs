//! Entra ID (Azure AD) access tokens for Azure OpenAI from a service
//! principal's or a user's credentials, as litellm gets them with
//! azure-identity (`BaseAzureLLM.initialize_azure_sdk_client`,
//! `get_azure_ad_token_from_entra_id`, `..._from_username_password`).
//!
//! Used only when the call has no API key and no Entra ID token of its own
//! (`azure_ad_token`, an `azure_ad_token_provider`'s answer, `AZURE_AD_TOKEN`),
//! in litellm's order:
//! - `tenant_id` + `client_id` + `client_secret` (else `AZURE_TENANT_ID`,
//!   `AZURE_CLIENT_ID`, `AZURE_CLIENT_SECRET`): the client-credentials grant
//!   at `{authority}/{tenant}/oauth2/v2.0/token` (azure-identity's
//!   `ClientSecretCredential`);
//! - `azure_username` + `azure_password` + `client_id` (else `AZURE_USERNAME`,
//!   `AZURE_PASSWORD`): the resource-owner password grant at
//!   `{authority}/organizations/oauth2/v2.0/token` (`UsernamePasswordCredential`,
//!   which litellm builds without a tenant).
//!
//! The scope is `azure_scope` / `AZURE_SCOPE`, else
//! `https://cognitiveservices.azure.com/.default`; the authority is
//! `AZURE_AUTHORITY_HOST` (azure-identity's env var), else
//! `https://login.microsoftonline.com`. Tokens are cached per credentials until
//! [`REFRESH_MARGIN`] before they expire, one exchange for concurrent callers
//! ([`crate::providers::oauth`]). The secret and the password never appear in an
//! error or a debug line.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use crate::error::{Error, Kind};
use crate::providers::oauth::{self, Registry, TokenCache};
use crate::providers::{Exchange, Fetched, Params, TokenSource};

/// The scope litellm asks for when the call names none.
pub const DEFAULT_SCOPE: &str = "https://cognitiveservices.azure.com/.default";
/// azure-identity's default authority (`AzureAuthorityHosts.AZURE_PUBLIC_CLOUD`).
pub const DEFAULT_AUTHORITY: &str = "https://login.microsoftonline.com";
/// A token is refreshed this long before it expires (azure-identity's
/// `DEFAULT_REFRESH_OFFSET`).
pub const REFRESH_MARGIN: Duration = Duration::from_secs(300);
/// The scopes MSAL adds to a user's token request.
const USER_SCOPES: &str = "offline_access openid profile";

/// Loaded credentials by token endpoint, identity, secret and scope.
static PRINCIPALS: Registry<Principal> = Registry::new();

/// One set of Entra ID credentials and its cached access token.
pub struct Principal {
    token_uri: String,
    grant: Grant,
    scope: String,
    cached: TokenCache,
}

enum Grant {
    ClientSecret {
        client_id: String,
        client_secret: String,
    },
    Password {
        client_id: String,
        username: String,
        password: String,
    },
}

impl std::fmt::Debug for Principal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (grant, client_id) = match &self.grant {
            Grant::ClientSecret { client_id, .. } => ("client_credentials", client_id),
            Grant::Password { client_id, .. } => ("password", client_id),
        };
        f.debug_struct("Principal")
            .field("grant", &grant)
            .field("client_id", client_id)
            .field("token_uri", &self.token_uri)
            .finish_non_exhaustive()
    }
}

fn refused(message: impl Into<String>) -> Error {
    Error::new(Kind::Authentication, message)
}

/// The Entra ID credentials of a call with neither `api_key` nor a token of
/// its own, loaded once per set and kept; `None` when it names none (or names
/// a key or a token, which litellm uses instead). A malformed tenant or
/// authority is an `Authentication` error before any I/O.
pub fn token_source(
    params: &Params,
    api_key: Option<&str>,
) -> Result<Option<Arc<dyn TokenSource>>, Error> {
    let has_token = ["azure_ad_token", "azure_ad_token_env"]
        .iter()
        .any(|n| params.get(n).is_some());
    if api_key.is_some_and(|k| !k.is_empty()) || has_token {
        return Ok(None);
    }
    let arg = |name: &str, env: &str| params.get_or_env(name, &[env]);
    let client_id = arg("client_id", "AZURE_CLIENT_ID");
    let (tenant, grant) = match (
        client_id,
        arg("tenant_id", "AZURE_TENANT_ID"),
        arg("client_secret", "AZURE_CLIENT_SECRET"),
    ) {
        (Some(client_id), Some(tenant), Some(client_secret)) => (
            tenant,
            Grant::ClientSecret {
                client_id,
                client_secret,
            },
        ),
        (Some(client_id), _, _) => {
            match (
                arg("azure_username", "AZURE_USERNAME"),
                arg("azure_password", "AZURE_PASSWORD"),
            ) {
                (Some(username), Some(password)) => (
                    "organizations".to_owned(),
                    Grant::Password {
                        client_id,
                        username,
                        password,
                    },
                ),
                _ => return Ok(None),
            }
        }
        (None, _, _) => return Ok(None),
    };
    let scope = arg("azure_scope", "AZURE_SCOPE").unwrap_or_else(|| DEFAULT_SCOPE.to_owned());
    let token_uri = format!(
        "{}/{}/oauth2/v2.0/token",
        authority()?,
        checked_tenant(&tenant)?
    );
    let key = match &grant {
        Grant::ClientSecret {
            client_id,
            client_secret,
        } => format!("cs\0{token_uri}\0{client_id}\0{client_secret}\0{scope}"),
        Grant::Password {
            client_id,
            username,
            password,
        } => format!("pw\0{token_uri}\0{client_id}\0{username}\0{password}\0{scope}"),
    };
    let principal = PRINCIPALS.get_or_load(key, || {
        Ok(Principal {
            token_uri,
            grant,
            scope,
            cached: TokenCache::new(REFRESH_MARGIN),
        })
    })?;
    Ok(Some(principal))
}

/// `AZURE_AUTHORITY_HOST` as azure-identity normalizes it (`https://` when it
/// names no scheme, no trailing `/`), else [`DEFAULT_AUTHORITY`]. azure-identity
/// refuses any authority that is not https; plain http is taken for loopback
/// hosts only (a local test or proxy).
fn authority() -> Result<String, Error> {
    let Some(host) = std::env::var("AZURE_AUTHORITY_HOST")
        .ok()
        .filter(|h| !h.is_empty())
    else {
        return Ok(DEFAULT_AUTHORITY.to_owned());
    };
    let url = if host.contains("://") {
        host.clone()
    } else {
        format!("https://{host}")
    };
    let url = url.trim_end_matches('/').to_owned();
    let parsed = reqwest::Url::parse(&url)
        .map_err(|_| refused(format!("AZURE_AUTHORITY_HOST {host:?} is not a URL")))?;
    let loopback = matches!(parsed.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    match parsed.scheme() {
        "https" => Ok(url),
        "http" if loopback => Ok(url),
        _ => Err(refused(format!(
            "AZURE_AUTHORITY_HOST {host:?} is an invalid authority: it must be a TLS \
             protected (https) URL"
        ))),
    }
}

/// A tenant id as azure-identity accepts it (letters, digits, `-`, `.`).
fn checked_tenant(tenant: &str) -> Result<&str, Error> {
    let ok = !tenant.is_empty()
        && tenant
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.'));
    ok.then_some(tenant).ok_or_else(|| {
        refused(format!(
            "invalid tenant_id {tenant:?}: a tenant id is letters, digits, '-' and '.' \
             (learn.microsoft.com/partner-center/find-ids-and-domain-names)"
        ))
    })
}

impl Principal {
    /// The token request's form body.
    fn grant_form(&self) -> Result<String, Error> {
        match &self.grant {
            Grant::ClientSecret {
                client_id,
                client_secret,
            } => oauth::form(&[
                ("grant_type", "client_credentials"),
                ("client_id", client_id),
                ("client_secret", client_secret),
                ("scope", &self.scope),
            ]),
            Grant::Password {
                client_id,
                username,
                password,
            } => oauth::form(&[
                ("grant_type", "password"),
                ("client_id", client_id),
                ("username", username),
                ("password", password),
                ("scope", &format!("{} {USER_SCOPES}", self.scope)),
                ("client_info", "1"),
            ]),
        }
    }

    /// A cached token, else one exchange (callers arriving meanwhile wait for it).
    async fn access_token(&self, how: &Exchange<'_>) -> Result<String, Error> {
        let uri = self.token_uri.as_str();
        self.cached
            .get(|| async { oauth::exchange(how, uri, self.grant_form()?, &token_error).await })
            .await
    }
}

impl TokenSource for Principal {
    fn token<'a>(
        &'a self,
        how: &'a Exchange<'a>,
    ) -> Pin<Box<dyn Future<Output = Result<Fetched, Error>> + Send + 'a>> {
        Box::pin(async move { self.access_token(how).await.map(Fetched::Bearer) })
    }
}

/// Entra ID's refusal (`{"error", "error_description": "AADSTS…: …", "error_codes", …}`),
/// as litellm reports it (`_entra_rejection`): an `AuthenticationError` with
/// status 401 and `Failed to get Azure AD token: ` + the description's
/// `AADSTS` sentence, ids (GUIDs) redacted. A 429 or 5xx keeps its status's
/// kind (retried).
fn token_error(status: u16, body: &[u8]) -> Error {
    if status == 429 || status >= 500 {
        let detail = redact_guids(&oauth::refusal_detail(body));
        return Error::http(
            Kind::from_status(status),
            status,
            format!("the Entra ID token endpoint is unavailable ({status}): {detail}"),
            b"",
        );
    }
    let description = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|d| {
            d.get("error_description")
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned)
        });
    let reason = description
        .as_deref()
        .and_then(aadsts_sentence)
        .map(str::to_owned)
        .unwrap_or_else(|| oauth::refusal_detail(body));
    let mut e = Error::new(
        Kind::Authentication,
        format!("Failed to get Azure AD token: {}", redact_guids(&reason)),
    );
    e.status = Some(401);
    e
}

/// The description's `AADSTS<digits>` sentence: from the code to the first
/// `.` followed by white space, a quote, a backslash or the end (else to the end of the line).
fn aadsts_sentence(text: &str) -> Option<&str> {
    let start = text.match_indices("AADSTS").find_map(|(i, _)| {
        let rest = &text[i + 6..];
        let boundary = i == 0 || !text.as_bytes()[i - 1].is_ascii_alphanumeric();
        (boundary && rest.starts_with(|c: char| c.is_ascii_digit())).then_some(i)
    })?;
    let tail = &text[start..];
    let line = tail.split(['\r', '\n']).next().unwrap_or(tail);
    let end = line
        .char_indices()
        .find(|&(i, c)| {
            c == '.'
                && line[i + 1..].chars().next().map_or(true, |n| {
                    n.is_whitespace() || matches!(n, '\'' | '"' | '\\')
                })
        })
        .map_or(line.len(), |(i, _)| i + 1);
    Some(&line[..end])
}

/// `text` with every GUID (`8-4-4-4-12` hex digits) as `<redacted>`.
fn redact_guids(text: &str) -> String {
    const SHAPE: [usize; 5] = [8, 4, 4, 4, 12];
    let is_guid = |s: &[u8]| {
        let mut at = 0;
        SHAPE.iter().enumerate().all(|(n, &len)| {
            let group = s[at..at + len].iter().all(u8::is_ascii_hexdigit);
            at += len;
            let dash = n == SHAPE.len() - 1 || s[at] == b'-';
            at += 1;
            group && dash
        })
    };
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        if i + 36 <= bytes.len() && is_guid(&bytes[i..i + 36]) {
            out.push_str("<redacted>");
            i += 36;
        } else {
            let c = text[i..].chars().next().unwrap_or('\u{fffd}');
            out.push(c);
            i += c.len_utf8().max(1);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::providers::test_params as params;

    const SP: &[(&str, &str)] = &[
        ("tenant_id", "contoso.onmicrosoft.com"),
        ("client_id", "app-1"),
        ("client_secret", "s3cr/t+"),
    ];

    #[test]
    fn keys_and_tokens_win_over_credentials() {
        assert!(token_source(&params(SP), None).unwrap().is_some());
        assert!(token_source(&params(SP), Some("key")).unwrap().is_none());
        let mut with_token = SP.to_vec();
        with_token.push(("azure_ad_token", "eyJ"));
        assert!(token_source(&params(&with_token), None).unwrap().is_none());
        // A client id alone is no credential.
        assert!(token_source(&params(&SP[1..2]), None).unwrap().is_none());
        let bad = [("tenant_id", "a/b"), SP[1], SP[2]];
        let e = token_source(&params(&bad), None).err().unwrap();
        assert_eq!(e.kind, Kind::Authentication);
    }

    #[test]
    fn the_grants_forms() {
        let p = Principal {
            token_uri: "u".into(),
            grant: Grant::ClientSecret {
                client_id: "app-1".into(),
                client_secret: "s3cr/t+".into(),
            },
            scope: DEFAULT_SCOPE.into(),
            cached: TokenCache::new(REFRESH_MARGIN),
        };
        assert_eq!(
            p.grant_form().unwrap(),
            "grant_type=client_credentials&client_id=app-1&client_secret=s3cr%2Ft%2B&scope=\
             https%3A%2F%2Fcognitiveservices.azure.com%2F.default"
        );
        assert!(!format!("{p:?}").contains("s3cr"));
        let u = Principal {
            grant: Grant::Password {
                client_id: "app-1".into(),
                username: "u@contoso.com".into(),
                password: "pw!".into(),
            },
            ..p
        };
        let form = u.grant_form().unwrap();
        assert!(form.starts_with(
            "grant_type=password&client_id=app-1&username=u%40contoso.com&password=pw%21&scope="
        ));
        assert!(form.contains("offline_access+openid+profile"));
        assert!(!format!("{u:?}").contains("pw!"));
    }

    #[test]
    fn refusals_are_litellms_entra_rejections() {
        // learn.microsoft.com/entra/identity-platform/reference-error-codes
        let body = br#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '0b5c2a1e-1111-2222-3333-444455556666'.\r\nTrace ID: 9a8b7c6d-1111-2222-3333-444455556666","error_codes":[7000215]}"#;
        let e = token_error(401, body);
        assert_eq!((e.kind, e.status), (Kind::Authentication, Some(401)));
        assert_eq!(
            e.message,
            "Failed to get Azure AD token: AADSTS7000215: Invalid client secret provided."
        );
        let tenant = br#"{"error":"invalid_request","error_description":"AADSTS90002: Tenant '0b5c2a1e-1111-2222-3333-444455556666' not found. Check to make sure you have the correct tenant ID"}"#;
        let e = token_error(400, tenant);
        assert_eq!(e.status, Some(401));
        assert_eq!(
            e.message,
            "Failed to get Azure AD token: AADSTS90002: Tenant '<redacted>' not found."
        );
        let plain = token_error(400, br#"{"error":"invalid_scope"}"#);
        assert_eq!(plain.message, "Failed to get Azure AD token: invalid_scope");
        assert_eq!(token_error(503, b"busy").kind, Kind::ServiceUnavailable);
        assert_eq!(token_error(429, b"{}").kind, Kind::RateLimit);
    }
}
