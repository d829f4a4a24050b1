//! AWS STS (Query API, `Version=2011-06-15`) as litellm and botocore call it
//! for Bedrock credentials (docs.aws.amazon.com/STS/latest/APIReference/):
//!
//! - `AssumeRole`, SigV4-signed (service `sts`) with the base credentials:
//!   `RoleArn`, `RoleSessionName`, `ExternalId`, `DurationSeconds`;
//! - `AssumeRoleWithWebIdentity`, unsigned: `RoleArn`, `RoleSessionName`,
//!   `WebIdentityToken` (+ litellm's `DurationSeconds=3600` and its Bedrock
//!   session `Policy` for `aws_web_identity_token=`).
//!
//! Both are a form POST answered by XML whose `<Credentials>` hold
//! `AccessKeyId`, `SecretAccessKey`, `SessionToken`, `Expiration`; a refusal
//! is `<ErrorResponse><Error><Code>…</Code><Message>…</Message>`.
//!
//! The endpoint: `aws_sts_endpoint` (`AWS_STS_ENDPOINT`, litellm's), else
//! botocore's `AWS_ENDPOINT_URL_STS` / `AWS_ENDPOINT_URL`, else the regional
//! `https://sts.{region}.amazonaws.com` (botocore's default). The signing region
//! (litellm's `_resolve_sts_region`): the endpoint's `sts.{region}.` host
//! label, else `AWS_REGION`, `AWS_DEFAULT_REGION`, else the call's region.

use std::path::PathBuf;
use std::time::SystemTime;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use bytes::Bytes;
use reqwest::header::HeaderValue;
use serde_json::Value;

use super::auth;
use super::temporary::{parse_time, unix_now, Expiring};
use crate::error::{Error, Kind};
use crate::http::{self, HttpRequest};
use crate::providers::{Exchange, Params};
use crate::sigv4::Credentials;

const VERSION: &str = "2011-06-15";

/// The Bedrock statement of litellm's web-identity session policy
/// (`BEDROCK_SESSION_POLICY`, `web_identity_session_policy.py`): the role's
/// permissions are capped to these actions, over TLS only.
pub const BEDROCK_POLICY: &str = concat!(
    r#"{"Version":"2012-10-17","Statement":[{"Sid":"BedrockLiteLLM","Effect":"Allow","#,
    r#""Action":["bedrock:InvokeModel","bedrock:InvokeModelWithResponseStream","#,
    r#""bedrock:CountTokens","bedrock:Rerank","bedrock:Retrieve","bedrock:ListKnowledgeBases","#,
    r#""bedrock:InvokeAgent","bedrock:ApplyGuardrail","bedrock:GetGuardrail","#,
    r#""bedrock:ListGuardrails"],"Resource":"*","#,
    r#""Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}"#
);

/// Where STS calls go and the region they are signed for.
pub struct Endpoint {
    pub url: String,
    pub region: String,
}

impl Endpoint {
    /// The endpoint for a call whose Bedrock region is `region` (see the module docs).
    pub fn resolve(params: &Params, region: &str) -> Result<Endpoint, Error> {
        let env = |n: &str| std::env::var(n).ok().filter(|v| !v.is_empty());
        let given = params.get_or_env(
            "aws_sts_endpoint",
            &[
                "AWS_STS_ENDPOINT",
                "AWS_ENDPOINT_URL_STS",
                "AWS_ENDPOINT_URL",
            ],
        );
        if let Some(url) = &given {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(Error::new(
                    Kind::BadRequest,
                    format!("aws_sts_endpoint must be an http(s) URL, got {url:?}"),
                ));
            }
        }
        let region = given
            .as_deref()
            .and_then(region_of_host)
            .or_else(|| env("AWS_REGION"))
            .or_else(|| env("AWS_DEFAULT_REGION"))
            .unwrap_or_else(|| region.to_owned());
        let url = given.unwrap_or_else(|| {
            let suffix = if region.starts_with("cn-") {
                "amazonaws.com.cn"
            } else {
                "amazonaws.com"
            };
            format!("https://sts.{region}.{suffix}")
        });
        Ok(Endpoint { url, region })
    }

    fn key(&self) -> String {
        format!("{}\u{0}{}", self.url, self.region)
    }
}

/// The region in an STS host name: `sts.{region}.amazonaws.com`,
/// `sts-fips.{region}.…`, `vpce-….sts.{region}.vpce.amazonaws.com`.
fn region_of_host(url: &str) -> Option<String> {
    let host = reqwest::Url::parse(url).ok()?.host_str()?.to_owned();
    let labels: Vec<&str> = host.split('.').collect();
    let i = labels
        .iter()
        .position(|l| *l == "sts" || *l == "sts-fips")?;
    let region = labels.get(i + 1)?;
    let rest = labels[i + 2..].join(".");
    let aws = ["amazonaws.com", "amazonaws.com.cn", "vpce.amazonaws.com"];
    (aws.contains(&rest.as_str()) && !region.is_empty()).then(|| (*region).to_owned())
}

/// A role session name: the given one, else `{prefix}-{unix time}` (litellm's
/// `litellm-session-…`, botocore's `botocore-session-…`), made when fetched.
pub struct SessionName {
    pub given: Option<String>,
    pub prefix: &'static str,
}

impl SessionName {
    fn now(&self) -> String {
        self.given
            .clone()
            .unwrap_or_else(|| format!("{}-{}", self.prefix, unix_now()))
    }

    fn key(&self) -> String {
        format!(
            "{}\u{0}{}",
            self.given.as_deref().unwrap_or(""),
            self.prefix
        )
    }
}

/// `AssumeRole` with the base credentials.
pub struct AssumeRole {
    pub sts: Endpoint,
    pub role_arn: String,
    pub session: SessionName,
    pub external_id: Option<String>,
    pub duration: Option<String>,
    /// Session tags (`Key`, `Value`), sorted by key.
    pub tags: Vec<(String, String)>,
}

impl AssumeRole {
    /// The whole configuration, for the source cache's key (holds secrets: never printed).
    pub fn key(&self) -> String {
        let tags: Vec<String> = self.tags.iter().map(|(k, v)| format!("{k}={v}")).collect();
        format!(
            "{}\u{1}{}\u{1}{}\u{1}{}\u{1}{}\u{1}{}",
            self.sts.key(),
            self.role_arn,
            self.session.key(),
            self.external_id.as_deref().unwrap_or(""),
            self.duration.as_deref().unwrap_or(""),
            tags.join("\u{0}")
        )
    }

    /// One `AssumeRole` call signed with `base`: the temporary credentials and
    /// their expiry, or STS's refusal ([`error`]).
    pub async fn fetch(&self, how: &Exchange<'_>, base: &Credentials) -> Result<Expiring, Error> {
        let mut form = vec![
            ("Action", "AssumeRole".to_owned()),
            ("Version", VERSION.to_owned()),
            ("RoleArn", self.role_arn.clone()),
            ("RoleSessionName", self.session.now()),
        ];
        if let Some(id) = &self.external_id {
            form.push(("ExternalId", id.clone()));
        }
        if let Some(d) = &self.duration {
            form.push(("DurationSeconds", d.clone()));
        }
        let names: Vec<(String, String)> = (1..=self.tags.len())
            .map(|i| {
                (
                    format!("Tags.member.{i}.Key"),
                    format!("Tags.member.{i}.Value"),
                )
            })
            .collect();
        for ((key, value), (k, v)) in names.iter().zip(&self.tags) {
            form.push((key, k.clone()));
            form.push((value, v.clone()));
        }
        let mut req = post(&self.sts.url, &form)?;
        auth::sign(&mut req, base, &self.sts.region, "sts", SystemTime::now())?;
        call(how, &req, "AssumeRole", None).await
    }
}

/// litellm's `aws_session_tags` (a JSON list of `{"Key", "Value"}` strings),
/// sorted by key as litellm canonicalizes them; anything else is refused.
pub fn session_tags(json: Option<&str>) -> Result<Vec<(String, String)>, Error> {
    let Some(text) = json else {
        return Ok(Vec::new());
    };
    let bad = || {
        Error::new(
            Kind::BadRequest,
            "Invalid 'aws_session_tags' value. Expected a list of {'Key': <str>, 'Value': <str>} \
             dicts, e.g. [{'Key': 'team', 'Value': 'genai'}].",
        )
    };
    let list: Vec<Value> = serde_json::from_str(text).map_err(|_| bad())?;
    let mut tags = list
        .iter()
        .map(|t| {
            let o = t.as_object().filter(|o| o.len() == 2).ok_or_else(bad)?;
            let s = |k: &str| o.get(k).and_then(Value::as_str).map(str::to_owned);
            Ok((s("Key").ok_or_else(bad)?, s("Value").ok_or_else(bad)?))
        })
        .collect::<Result<Vec<_>, Error>>()?;
    tags.sort();
    Ok(tags)
}

/// Where a web identity token is read, each time one is needed (it rotates).
pub enum TokenFrom {
    File(PathBuf),
    Env(String),
}

impl TokenFrom {
    fn read(&self) -> Result<String, Error> {
        let token = match self {
            TokenFrom::File(path) => std::fs::read_to_string(path).map_err(|e| {
                refused(format!(
                    "cannot read the web identity token file {}: {}",
                    path.display(),
                    e.kind()
                ))
            })?,
            TokenFrom::Env(var) => std::env::var(var).map_err(|_| {
                refused(format!("the web identity token variable {var} is not set"))
            })?,
        };
        let token = token.trim().to_owned();
        if token.is_empty() {
            return Err(refused("the web identity token is empty"));
        }
        Ok(token)
    }

    fn key(&self) -> String {
        match self {
            TokenFrom::File(p) => format!("file:{}", p.display()),
            TokenFrom::Env(v) => format!("env:{v}"),
        }
    }

    /// litellm's `aws_web_identity_token`: a secret reference, never the token
    /// itself (`get_secret`): `oidc/file/<absolute path>` under
    /// `LITELLM_OIDC_ALLOWED_CREDENTIAL_DIRS` (default `/var/run/secrets`,
    /// `/run/secrets`), `oidc/env/<VAR>`, `oidc/env_path/<VAR>` (a file path in
    /// `VAR`), `oidc/circleci/`, `oidc/circleci_v2/`, `oidc/azure/…` with
    /// `AZURE_FEDERATED_TOKEN_FILE`. References that need a network call
    /// (`oidc/google/`, `oidc/github/`, secret managers) are refused.
    pub fn reference(value: &str) -> Result<TokenFrom, Error> {
        let env = |n: &str| std::env::var(n).ok().filter(|v| !v.is_empty());
        let Some(rest) = value.strip_prefix("oidc/") else {
            if value.starts_with("os.environ/") || env(value).is_some() {
                return Err(Error::new(
                    Kind::BadRequest,
                    "Invalid web identity token reference.",
                ));
            }
            return Err(refused(
                "OIDC token could not be retrieved from secret manager. aws_web_identity_token \
                 names where the token is (oidc/file/<path>, oidc/env/<VAR>, \
                 oidc/env_path/<VAR>, oidc/circleci_v2/, ...), as in litellm",
            ));
        };
        let (kind, arg) = rest.split_once('/').unwrap_or((rest, ""));
        let need_env = |var: &str| {
            env(var).ok_or_else(|| refused(format!("Environment variable {var} not found")))
        };
        Ok(match kind {
            "file" => TokenFrom::File(allowed_file(arg)?),
            "env" => {
                need_env(arg)?;
                TokenFrom::Env(arg.to_owned())
            }
            "env_path" => TokenFrom::File(PathBuf::from(need_env(arg)?)),
            "circleci" => TokenFrom::Env("CIRCLE_OIDC_TOKEN".to_owned()),
            "circleci_v2" => TokenFrom::Env("CIRCLE_OIDC_TOKEN_V2".to_owned()),
            "azure" => TokenFrom::File(PathBuf::from(need_env("AZURE_FEDERATED_TOKEN_FILE")?)),
            other => {
                return Err(Error::new(
                    Kind::BadRequest,
                    format!(
                        "aws_web_identity_token oidc/{other}/ is not supported for bedrock (it \
                         needs a network call); use oidc/file/, oidc/env/ or oidc/env_path/"
                    ),
                ))
            }
        })
    }
}

/// An `oidc/file/` path: absolute, and inside an allowed credential directory.
fn allowed_file(path: &str) -> Result<PathBuf, Error> {
    let bad = |m: &str| Error::new(Kind::BadRequest, m.to_owned());
    if !path.starts_with('/') {
        return Err(bad(
            "oidc/file path must be absolute. Use the format 'oidc/file//<absolute path>'",
        ));
    }
    let resolved = std::fs::canonicalize(path).unwrap_or_else(|_| PathBuf::from(path));
    let dirs = std::env::var("LITELLM_OIDC_ALLOWED_CREDENTIAL_DIRS")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .map_or_else(
            || vec!["/var/run/secrets".to_owned(), "/run/secrets".to_owned()],
            |v| {
                v.split(',')
                    .map(|d| d.trim().to_owned())
                    .filter(|d| !d.is_empty())
                    .collect()
            },
        );
    let inside = dirs.iter().any(|d| {
        let dir = std::fs::canonicalize(d).unwrap_or_else(|_| PathBuf::from(d));
        resolved.starts_with(dir)
    });
    if inside {
        Ok(resolved)
    } else {
        Err(bad(
            "oidc/file path is outside the allowed credential directories. Set \
             LITELLM_OIDC_ALLOWED_CREDENTIAL_DIRS to extend the allowlist.",
        ))
    }
}

/// `AssumeRoleWithWebIdentity` (unsigned).
pub struct WebIdentity {
    pub sts: Endpoint,
    pub role_arn: String,
    pub session: SessionName,
    pub token: TokenFrom,
    /// litellm's `DurationSeconds` and session `Policy` (none for botocore's form).
    pub litellm: bool,
}

impl WebIdentity {
    /// The whole configuration, for the source cache's key (holds secrets: never printed).
    pub fn key(&self) -> String {
        format!(
            "{}\u{1}{}\u{1}{}\u{1}{}\u{1}{}",
            self.sts.key(),
            self.role_arn,
            self.session.key(),
            self.token.key(),
            self.litellm
        )
    }

    /// One `AssumeRoleWithWebIdentity` call with the token read now: the
    /// temporary credentials and their expiry, or STS's refusal ([`error`]),
    /// the token stripped from it.
    pub async fn fetch(&self, how: &Exchange<'_>) -> Result<Expiring, Error> {
        let token = self.token.read()?;
        let mut form = vec![
            ("Action", "AssumeRoleWithWebIdentity".to_owned()),
            ("Version", VERSION.to_owned()),
            ("RoleArn", self.role_arn.clone()),
            ("RoleSessionName", self.session.now()),
            ("WebIdentityToken", token.clone()),
        ];
        if self.litellm {
            form.push(("DurationSeconds", "3600".to_owned()));
            form.push(("Policy", BEDROCK_POLICY.to_owned()));
        }
        let req = post(&self.sts.url, &form)?;
        call(how, &req, "AssumeRoleWithWebIdentity", Some(&token))
            .await
            .map_err(|e| e.redact(Some(&token)))
    }
}

fn refused(message: impl Into<String>) -> Error {
    Error::new(Kind::Authentication, message)
}

fn post(url: &str, form: &[(&str, String)]) -> Result<HttpRequest, Error> {
    let body = serde_urlencoded::to_string(form)
        .map_err(|e| Error::new(Kind::Api, format!("cannot encode the STS request: {e}")))?;
    Ok(HttpRequest::post(
        url.to_owned(),
        Bytes::from(body),
        HeaderValue::from_static("application/x-www-form-urlencoded; charset=utf-8"),
    ))
}

/// Send one STS request and read its credentials. `token`: the web identity
/// token, whose public `aud`/`iss` claims a refusal names (as litellm does).
async fn call(
    how: &Exchange<'_>,
    req: &HttpRequest,
    action: &'static str,
    token: Option<&str>,
) -> Result<Expiring, Error> {
    let claims = token.and_then(audience);
    let mapper = move |status: u16, _: &reqwest::header::HeaderMap, body: &[u8]| {
        error(action, status, body, claims.as_deref())
    };
    let body = http::fetch(
        how.client,
        req,
        how.deadline,
        how.num_retries,
        &mapper,
        how.log,
    )
    .await?;
    credentials(&String::from_utf8_lossy(&body))
        .ok_or_else(|| refused(format!("AWS STS {action} answered without credentials")))
}

/// The `<Credentials>` of an STS answer.
fn credentials(xml: &str) -> Option<Expiring> {
    let section = xml_text(xml, "Credentials")?;
    Some(Expiring {
        credentials: Credentials {
            access_key_id: unescape(&xml_text(&section, "AccessKeyId")?),
            secret_access_key: unescape(&xml_text(&section, "SecretAccessKey")?),
            session_token: xml_text(&section, "SessionToken").map(|t| unescape(&t)),
        },
        expires: xml_text(&section, "Expiration").and_then(|t| parse_time(&t)),
    })
    .filter(|e| !e.credentials.access_key_id.is_empty())
}

/// The raw content of the first `<tag>…</tag>` (attributes allowed on the
/// opening tag), trimmed.
fn xml_text(xml: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}");
    let mut from = 0;
    let start = loop {
        let i = from + xml[from..].find(&open)?;
        let after = i + open.len();
        match xml[after..].chars().next() {
            Some('>') => break after + 1,
            Some(c) if c.is_whitespace() => break after + xml[after..].find('>')? + 1,
            _ => from = after,
        }
    };
    let end = start + xml[start..].find(&format!("</{tag}>"))?;
    Some(xml[start..end].trim().to_owned())
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&")
}

/// A JWT's public `aud` and `iss` claims, unverified (no secret is read).
fn audience(token: &str) -> Option<String> {
    let mut parts = token.split('.');
    let payload = parts.nth(1)?;
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
    let aud = claims.get("aud").map(Value::to_string);
    let iss = claims.get("iss").map(Value::to_string);
    if aud.is_none() && iss.is_none() {
        return None;
    }
    Some(format!(
        "aud={}, iss={}",
        aud.as_deref().unwrap_or("None"),
        iss.as_deref().unwrap_or("None")
    ))
}

/// An STS refusal: `PermissionDenied` for `AccessDenied` (the role's trust
/// policy or the caller's permissions), `RateLimit` for `Throttling`, the
/// status's kind for a 5xx, `Authentication` for any other 4xx
/// (`InvalidClientTokenId`, `SignatureDoesNotMatch`, `ExpiredToken`,
/// `InvalidIdentityToken`, ...). The message names AWS's code and message.
fn error(action: &str, status: u16, body: &[u8], claims: Option<&str>) -> Error {
    let text = String::from_utf8_lossy(body);
    let code = xml_text(&text, "Code").map(|c| unescape(&c));
    let message = xml_text(&text, "Message").map(|m| unescape(&m));
    let kind = match (code.as_deref(), status) {
        (Some("AccessDenied"), _) => Kind::PermissionDenied,
        (Some("Throttling"), _) => Kind::RateLimit,
        (_, 500..=599) => Kind::from_status(status),
        _ => Kind::Authentication,
    };
    let detail = match (&code, &message) {
        (Some(c), Some(m)) => format!("{c}: {m}"),
        (Some(c), None) => c.clone(),
        _ => text.chars().take(300).collect(),
    };
    let mut msg = format!("AWS STS {action} failed ({status}) {detail}");
    if code.as_deref() == Some("InvalidIdentityToken") {
        msg = format!("AWS STS rejected the web identity token: {detail}.");
        if let Some(c) = claims {
            msg.push_str(&format!(" Token {c}"));
        }
    }
    Error::http(kind, status, msg, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANSWER: &str = r#"<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/demo/s</Arn></AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>
      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
      <SessionToken>AQoDYXdzEPT//////////wEXAMPLE&amp;x</SessionToken>
      <Expiration>2019-11-09T13:34:41Z</Expiration>
    </Credentials>
    <PackedPolicySize>6</PackedPolicySize>
  </AssumeRoleResult>
</AssumeRoleResponse>"#;

    #[test]
    fn credentials_from_the_documented_answer() {
        let e = credentials(ANSWER).unwrap();
        assert_eq!(e.credentials.access_key_id, "ASIAIOSFODNN7EXAMPLE");
        assert_eq!(
            e.credentials.secret_access_key,
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
        );
        assert_eq!(
            e.credentials.session_token.as_deref(),
            Some("AQoDYXdzEPT//////////wEXAMPLE&x")
        );
        assert_eq!(e.expires, parse_time("2019-11-09T13:34:41Z"));
        assert!(credentials("<ErrorResponse/>").is_none());
    }

    #[test]
    fn errors_by_code() {
        let body = br#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>AccessDenied</Code>
  <Message>User: arn:aws:iam::1:user/u is not authorized to perform: sts:AssumeRole</Message></Error>
  <RequestId>r</RequestId></ErrorResponse>"#;
        let e = error("AssumeRole", 403, body, None);
        assert_eq!(e.kind, Kind::PermissionDenied);
        assert!(e
            .message
            .contains("AccessDenied: User: arn:aws:iam::1:user/u is not authorized"));
        let bad = b"<ErrorResponse><Error><Code>InvalidIdentityToken</Code><Message>No OpenIDConnect provider found</Message></Error></ErrorResponse>";
        let e = error(
            "AssumeRoleWithWebIdentity",
            400,
            bad,
            Some("aud=\"sts\", iss=\"x\""),
        );
        assert_eq!(e.kind, Kind::Authentication);
        assert!(e
            .message
            .starts_with("AWS STS rejected the web identity token: InvalidIdentityToken"));
        assert!(e.message.ends_with("Token aud=\"sts\", iss=\"x\""));
        assert_eq!(
            error("AssumeRole", 503, b"", None).kind,
            Kind::ServiceUnavailable
        );
    }

    #[test]
    fn session_tags_as_litellm_takes_them() {
        let tags = session_tags(Some(
            r#"[{"Key":"team","Value":"a"},{"Key":"env","Value":"p"}]"#,
        ));
        assert_eq!(
            tags.unwrap(),
            [("env".into(), "p".into()), ("team".into(), "a".into())]
        );
        assert!(session_tags(None).unwrap().is_empty());
        for bad in [
            r#"{"Key":"a"}"#,
            r#"[{"Key":"a"}]"#,
            r#"[{"Key":1,"Value":"v"}]"#,
        ] {
            assert_eq!(session_tags(Some(bad)).unwrap_err().kind, Kind::BadRequest);
        }
    }

    #[test]
    fn sts_regions_from_hosts() {
        let r = |u: &str| region_of_host(u);
        assert_eq!(
            r("https://sts.eu-west-1.amazonaws.com").as_deref(),
            Some("eu-west-1")
        );
        assert_eq!(
            r("https://vpce-1a.sts.us-east-2.vpce.amazonaws.com").as_deref(),
            Some("us-east-2")
        );
        assert_eq!(
            r("https://sts-fips.us-east-1.amazonaws.com").as_deref(),
            Some("us-east-1")
        );
        assert_eq!(r("https://sts.amazonaws.com"), None);
        assert_eq!(r("http://127.0.0.1:9/"), None);
        let jwt = format!(
            "h.{}.s",
            URL_SAFE_NO_PAD.encode(br#"{"aud":"sts.amazonaws.com","iss":"https://oidc"}"#)
        );
        assert_eq!(
            audience(&jwt).as_deref(),
            Some(r#"aud="sts.amazonaws.com", iss="https://oidc""#)
        );
    }
}
