//! Container credentials (ECS task roles, EKS Pod Identity), as botocore's
//! `ContainerProvider` fetches them: `GET` of
//! `http://169.254.170.2{AWS_CONTAINER_CREDENTIALS_RELATIVE_URI}`, else of
//! `AWS_CONTAINER_CREDENTIALS_FULL_URI` (https, or http to a loopback
//! address or the ECS / EKS link-local hosts), with
//! `Authorization: <token>` from the file `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`
//! (read at each fetch) or `AWS_CONTAINER_AUTHORIZATION_TOKEN`; the answer is
//! `{"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}`. Used only when
//! one of the URI variables is set: no instance metadata (IMDS) is probed.

use std::net::IpAddr;
use std::path::PathBuf;

use reqwest::header::{HeaderValue, ACCEPT, AUTHORIZATION};
use serde_json::Value;

use super::temporary::{parse_time, Expiring};
use crate::error::{Error, Kind};
use crate::http::{self, HttpRequest};
use crate::providers::Exchange;
use crate::sigv4::Credentials;

/// The ECS credentials host a relative URI is under.
const ECS_HOST: &str = "http://169.254.170.2";
/// Hosts botocore allows over plain http besides loopback (ECS, EKS Pod Identity).
const ALLOWED_HOSTS: &[&str] = &["169.254.170.2", "169.254.170.23", "fd00:ec2::23"];

/// Where the authorization token comes from.
enum Token {
    File(PathBuf),
    Value(String),
}

/// A container credentials endpoint.
pub struct Endpoint {
    url: String,
    token: Option<Token>,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn refused(message: impl Into<String>) -> Error {
    Error::new(Kind::Authentication, message)
}

impl Endpoint {
    /// The endpoint the environment names, if any; a full URI to a host
    /// botocore does not allow is refused.
    pub fn from_env() -> Result<Option<Endpoint>, Error> {
        let url = if let Some(rel) = env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            format!("{ECS_HOST}{rel}")
        } else if let Some(full) = env("AWS_CONTAINER_CREDENTIALS_FULL_URI") {
            check_full_uri(&full)?;
            full
        } else {
            return Ok(None);
        };
        let token = match env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            Some(path) => Some(Token::File(PathBuf::from(path))),
            None => env("AWS_CONTAINER_AUTHORIZATION_TOKEN").map(Token::Value),
        };
        Ok(Some(Endpoint { url, token }))
    }

    /// The whole configuration, for the source cache's key (holds secrets: never printed).
    pub fn key(&self) -> String {
        let token = match &self.token {
            Some(Token::File(p)) => format!("file:{}", p.display()),
            Some(Token::Value(v)) => format!("value:{v}"),
            None => String::new(),
        };
        format!("{}\u{0}{token}", self.url)
    }

    /// One fetch of the credentials (the token file read now). Errors: the
    /// endpoint's refusal ([`error`]), `Authentication` for an unreadable token
    /// file or an answer without credentials, transport errors as `http::fetch` maps them.
    pub async fn fetch(&self, how: &Exchange<'_>) -> Result<Expiring, Error> {
        let mut req = HttpRequest::bodiless(reqwest::Method::GET, self.url.clone());
        req.headers
            .insert(ACCEPT, HeaderValue::from_static("application/json"));
        let token = match &self.token {
            Some(Token::File(path)) => Some(
                std::fs::read_to_string(path)
                    .map_err(|e| {
                        refused(format!(
                            "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE {}: {}",
                            path.display(),
                            e.kind()
                        ))
                    })?
                    .trim()
                    .to_owned(),
            ),
            Some(Token::Value(v)) => Some(v.clone()),
            None => None,
        };
        if let Some(t) = &token {
            req.secret_header(AUTHORIZATION, t)?;
        }
        let url = self.url.as_str();
        let mapper = move |status: u16, _: &reqwest::header::HeaderMap, body: &[u8]| {
            error(url, status, body)
        };
        let body = http::fetch(
            how.client,
            &req,
            how.deadline,
            how.num_retries,
            &mapper,
            how.log,
        )
        .await
        .map_err(|e| e.redact(token.as_deref()))?;
        parse(&body).ok_or_else(|| {
            refused(format!(
                "the container credentials endpoint {url} answered without credentials"
            ))
        })
    }
}

/// botocore's rule for a full URI: https anywhere, http only to loopback or
/// the ECS / EKS credential hosts.
fn check_full_uri(full: &str) -> Result<(), Error> {
    let url = reqwest::Url::parse(full).map_err(|_| {
        Error::new(
            Kind::BadRequest,
            "AWS_CONTAINER_CREDENTIALS_FULL_URI is not a URL",
        )
    })?;
    let host = url.host_str().unwrap_or("").trim_matches(['[', ']']);
    let loopback = host == "localhost" || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
    match url.scheme() {
        "https" => Ok(()),
        "http" if loopback || ALLOWED_HOSTS.contains(&host) => Ok(()),
        _ => Err(Error::new(
            Kind::BadRequest,
            format!(
                "Unsupported host {host:?} in AWS_CONTAINER_CREDENTIALS_FULL_URI: over http it \
                 must be a loopback address or one of {}",
                ALLOWED_HOSTS.join(", ")
            ),
        )),
    }
}

fn parse(body: &[u8]) -> Option<Expiring> {
    let doc: Value = serde_json::from_slice(body).ok()?;
    let text = |k: &str| {
        doc.get(k)
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    Some(Expiring {
        credentials: Credentials {
            access_key_id: text("AccessKeyId")?,
            secret_access_key: text("SecretAccessKey")?,
            session_token: text("Token"),
        },
        expires: text("Expiration").and_then(|t| parse_time(&t)),
    })
}

/// A refusal (`{"code", "message"}` when the endpoint says more):
/// `Authentication` for a 4xx, the status's kind (retried) for a 5xx.
fn error(url: &str, status: u16, body: &[u8]) -> Error {
    let doc: Option<Value> = serde_json::from_slice(body).ok();
    let field = |names: [&str; 2]| {
        let d = doc.as_ref()?;
        names
            .iter()
            .find_map(|k| d.get(*k).and_then(Value::as_str))
            .map(str::to_owned)
    };
    let detail = match (field(["code", "Code"]), field(["message", "Message"])) {
        (Some(c), Some(m)) => format!("{c}: {m}"),
        (None, Some(m)) => m,
        (Some(c), None) => c,
        _ => String::from_utf8_lossy(&body[..body.len().min(300)]).into_owned(),
    };
    let kind = match status {
        400..=499 => Kind::Authentication,
        _ => Kind::from_status(status),
    };
    Error::http(
        kind,
        status,
        format!("the container credentials endpoint {url} refused ({status}): {detail}"),
        body,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_uris_as_botocore_allows_them() {
        for ok in [
            "https://creds.example/x",
            "http://127.0.0.1:9/creds",
            "http://localhost/creds",
            "http://[::1]:8/c",
            "http://169.254.170.23/v1/credentials",
        ] {
            assert!(check_full_uri(ok).is_ok(), "{ok}");
        }
        let e = check_full_uri("http://10.0.0.1/creds").unwrap_err();
        assert_eq!(e.kind, Kind::BadRequest);
    }

    #[test]
    fn a_relative_uri_is_under_the_ecs_host_and_wins() {
        // The only test reading these variables (no other test races it).
        std::env::set_var(
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            "/v2/credentials/t-1",
        );
        std::env::set_var(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "http://10.0.0.1/creds",
        );
        std::env::set_var("AWS_CONTAINER_AUTHORIZATION_TOKEN", "tok");
        let found = Endpoint::from_env();
        for v in [
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN",
        ] {
            std::env::remove_var(v);
        }
        let endpoint = found.unwrap().unwrap();
        assert_eq!(endpoint.url, "http://169.254.170.2/v2/credentials/t-1");
        assert!(matches!(endpoint.token, Some(Token::Value(ref t)) if t == "tok"));
        assert!(Endpoint::from_env().unwrap().is_none());
    }

    #[test]
    fn answers_and_refusals() {
        let got = parse(
            br#"{"AccessKeyId":"ASIA1","SecretAccessKey":"s","Token":"t","Expiration":"2015-08-30T12:36:00Z"}"#,
        )
        .unwrap();
        assert_eq!(got.credentials.session_token.as_deref(), Some("t"));
        assert_eq!(got.expires, Some(1_440_938_160));
        assert!(parse(br#"{"AccessKeyId":"ASIA1"}"#).is_none());
        let e = error(
            "u",
            401,
            br#"{"code":"AccessDenied","message":"bad token"}"#,
        );
        assert_eq!(e.kind, Kind::Authentication);
        assert!(e.message.contains("AccessDenied: bad token"));
        assert_eq!(error("u", 500, b"").kind, Kind::InternalServer);
    }
}
