//! Bedrock's credentials, region and request signing, in litellm's order
//! (`BaseAWSLLM.get_credentials` / `_get_aws_region_name` in
//! `litellm/llms/bedrock/base_aws_llm.py`, boto3's default chain for the rest):
//!
//! - a Bedrock API key (`api_key=` or `AWS_BEARER_TOKEN_BEDROCK`) is sent as
//!   `Authorization: Bearer …` and nothing is signed;
//! - else SigV4, with the first credentials [`resolve`] finds: temporary ones
//!   fetched before the request (STS roles and web identities, [`super::sts`];
//!   container credentials, [`super::container`]; cached in
//!   [`super::temporary`]), a profile of the shared files
//!   (`AWS_SHARED_CREDENTIALS_FILE`, default `~/.aws/credentials`, sections
//!   `[name]`; `AWS_CONFIG_FILE`, default `~/.aws/config`, sections
//!   `[profile name]` / `[default]`), or keys from the call or the
//!   environment. No SSO, `credential_process` or instance metadata (IMDS).
//!
//! Region: `aws_region_name`, else the region of an ARN model id, else
//! `AWS_REGION_NAME`, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's
//! `region` in the config file, else `us-west-2` (litellm's fallback).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::SystemTime;

use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE};

use super::super::Params;
use super::container;
use super::sts::{self, AssumeRole, SessionName, TokenFrom, WebIdentity};
use super::temporary::{Base, Fetch, Temporary, BOTOCORE_MARGIN, LITELLM_MARGIN};
use crate::error::{Error, Kind};
use crate::http::HttpRequest;
use crate::sigv4::{self, Credentials};

/// litellm's region when nothing names one.
pub const DEFAULT_REGION: &str = "us-west-2";
/// The SigV4 service name of bedrock-runtime.
const SERVICE: &str = "bedrock";

/// How a request is authenticated.
pub enum Auth {
    Bearer(String),
    SigV4(Credentials),
    /// Temporary credentials fetched before each request (the adapter's token source).
    Temporary(Arc<Temporary>),
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// The region of an ARN model id (`arn:aws:bedrock:REGION:…`).
fn arn_region(model: &str) -> Option<&str> {
    let i = model.find("arn:")?;
    let mut parts = model[i..].split(':');
    let region = parts.nth(3)?;
    valid_region(region).then_some(region)
}

fn valid_region(r: &str) -> bool {
    !r.is_empty()
        && r.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The region a call to `model` is signed for and (without a custom endpoint) sent to.
pub fn region(params: &Params, model: &str) -> Result<String, Error> {
    if let Some(r) = params.get("aws_region_name") {
        return checked_region(r);
    }
    if let Some(r) = arn_region(model) {
        return Ok(r.to_owned());
    }
    let found = ["AWS_REGION_NAME", "AWS_REGION", "AWS_DEFAULT_REGION"]
        .iter()
        .find_map(|n| env(n))
        .or_else(|| {
            let profile = profile_name(params);
            config_value(&profile, "region")
        });
    match found {
        Some(r) => checked_region(&r),
        None => Ok(DEFAULT_REGION.to_owned()),
    }
}

fn checked_region(r: &str) -> Result<String, Error> {
    if valid_region(r) {
        Ok(r.to_owned())
    } else {
        Err(Error::new(
            Kind::BadRequest,
            format!(
                "Invalid AWS region format: {r:?}. Region names must contain only lowercase \
                 letters, digits, and hyphens."
            ),
        ))
    }
}

/// The profile the shared files are read for.
fn profile_name(params: &Params) -> String {
    params
        .get_or_env("aws_profile_name", &["AWS_PROFILE_NAME", "AWS_PROFILE"])
        .unwrap_or_else(|| "default".to_owned())
}

/// The value of `key` in a profile section, if set and not empty.
fn get(section: &[(String, String)], key: &str) -> Option<String> {
    section
        .iter()
        .find(|(n, v)| n == key && !v.is_empty())
        .map(|(_, v)| v.clone())
}

/// The call's authentication, in litellm's order (`get_credentials`), or an
/// `AuthenticationError` naming what to set; sources fetched over the network
/// (STS, the container endpoint) are an [`Auth::Temporary`], resolved here
/// without I/O (a bad setting is refused now).
///
/// 1. a Bedrock API key;
/// 2. `aws_web_identity_token` + `aws_role_name` + `aws_session_name` (each
///    also `AWS_WEB_IDENTITY_TOKEN`, `AWS_ROLE_NAME`, `AWS_SESSION_NAME`):
///    AssumeRoleWithWebIdentity;
/// 3. `aws_role_name` (+ `aws_session_name`, `aws_external_id`, `aws_session_tags`):
///    AssumeRole signed with the keys of the call or the
///    environment, else with the default chain's credentials (in EKS with
///    `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN`: the pod's web identity,
///    used as is when `AWS_ROLE_ARN` is the role asked for);
/// 4. `aws_profile_name`: the profile (its `role_arn` first, then its keys);
/// 5. the keys of the call or the environment;
/// 6. botocore's default chain: the profile `AWS_PROFILE` / `default` with a
///    `role_arn`, the environment's web identity (`AWS_WEB_IDENTITY_TOKEN_FILE`
///    and `AWS_ROLE_ARN`), the profile's keys, the container endpoint
///    (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` or `_FULL_URI`). No instance
///    metadata (IMDS) and no SSO.
pub fn resolve(params: &Params, api_key: Option<&str>) -> Result<Auth, Error> {
    if let Some(token) = api_key.filter(|k| !k.is_empty()) {
        return Ok(Auth::Bearer(token.to_owned()));
    }
    let region = region(params, "")?;
    let role = params.get_or_env("aws_role_name", &["AWS_ROLE_NAME"]);
    let session = params.get_or_env("aws_session_name", &["AWS_SESSION_NAME"]);
    let web = params.get_or_env("aws_web_identity_token", &["AWS_WEB_IDENTITY_TOKEN"]);
    if let (Some(token), Some(role), Some(session)) = (&web, &role, &session) {
        let web = WebIdentity {
            sts: sts::Endpoint::resolve(params, &region)?,
            role_arn: role.clone(),
            session: SessionName {
                given: Some(session.clone()),
                prefix: LITELLM_SESSION,
            },
            token: TokenFrom::reference(token)?,
            litellm: true,
        };
        return temporary(Fetch::WebIdentity(web), LITELLM_MARGIN);
    }
    if let Some(role) = role {
        return assume_role(params, &region, role, session);
    }
    let explicit_profile = params.get_or_env("aws_profile_name", &["AWS_PROFILE_NAME"]);
    if let Some(profile) = explicit_profile {
        if let Some(auth) = profile_role(params, &profile, &region, 0)? {
            return Ok(auth);
        }
        return from_files(&profile).ok_or_else(|| {
            missing(&format!(
                "profile {profile:?} has no aws_access_key_id/aws_secret_access_key nor role_arn \
                 in the shared credentials or config file"
            ))
        });
    }
    if let Some(keys) = static_keys(params) {
        return Ok(Auth::SigV4(keys));
    }
    default_chain(params, &region)?.ok_or_else(|| {
        missing(
            "pass aws_access_key_id= and aws_secret_access_key= (or aws_profile_name=, \
             aws_role_name=), set AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, AWS_PROFILE or a \
             [default] profile in ~/.aws/credentials, AWS_WEB_IDENTITY_TOKEN_FILE + \
             AWS_ROLE_ARN, AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI, or pass a Bedrock \
             API key as api_key= / AWS_BEARER_TOKEN_BEDROCK (no SSO or instance-metadata \
             lookups are made)",
        )
    })
}

/// litellm's session name prefix for the roles it assumes.
const LITELLM_SESSION: &str = "litellm-session";
/// botocore's session name prefix.
const BOTOCORE_SESSION: &str = "botocore-session";
/// How deep `source_profile` chains are followed.
const MAX_PROFILE_DEPTH: usize = 5;

fn temporary(fetch: Fetch, margin: std::time::Duration) -> Result<Auth, Error> {
    Temporary::shared(fetch, margin).map(Auth::Temporary)
}

/// `aws_access_key_id` + `aws_secret_access_key` (+ `aws_session_token`), each
/// falling back to its `AWS_*` variable.
fn static_keys(params: &Params) -> Option<Credentials> {
    let key = params.get_or_env("aws_access_key_id", &["AWS_ACCESS_KEY_ID"])?;
    let secret = params.get_or_env("aws_secret_access_key", &["AWS_SECRET_ACCESS_KEY"])?;
    Some(Credentials {
        access_key_id: key,
        secret_access_key: secret,
        session_token: params.get_or_env("aws_session_token", &["AWS_SESSION_TOKEN"]),
    })
}

/// The web identity of the environment: `AWS_WEB_IDENTITY_TOKEN_FILE` and
/// `AWS_ROLE_ARN`, with the session name `session` (else `{prefix}-{time}`).
/// Returns the role and its source.
fn env_web_identity(
    params: &Params,
    region: &str,
    session: Option<String>,
    prefix: &'static str,
) -> Result<Option<(String, Fetch)>, Error> {
    let (Some(file), Some(role)) = (env("AWS_WEB_IDENTITY_TOKEN_FILE"), env("AWS_ROLE_ARN")) else {
        return Ok(None);
    };
    let web = WebIdentity {
        sts: sts::Endpoint::resolve(params, region)?,
        role_arn: role.clone(),
        session: SessionName {
            given: session,
            prefix,
        },
        token: TokenFrom::File(PathBuf::from(file)),
        litellm: false,
    };
    Ok(Some((role, Fetch::WebIdentity(web))))
}

/// botocore's web identity from the environment (session name `AWS_ROLE_SESSION_NAME`).
fn botocore_web_identity(params: &Params, region: &str) -> Result<Option<(String, Fetch)>, Error> {
    env_web_identity(
        params,
        region,
        env("AWS_ROLE_SESSION_NAME"),
        BOTOCORE_SESSION,
    )
}

/// litellm's `aws_role_name` path (`_resolve_role_credentials`, `_auth_with_aws_role`).
fn assume_role(
    params: &Params,
    region: &str,
    role: String,
    session: Option<String>,
) -> Result<Auth, Error> {
    let base = match static_keys(params) {
        Some(keys) => Base::Static(keys),
        None => match env_web_identity(params, region, session.clone(), LITELLM_SESSION)? {
            // Already running as the role (litellm's IRSA fast path): botocore's own web identity.
            Some((irsa, _)) if irsa == role => {
                let (_, fetch) = botocore_web_identity(params, region)?
                    .ok_or_else(|| missing("the web identity environment changed"))?;
                return temporary(fetch, BOTOCORE_MARGIN);
            }
            Some((_, fetch)) => Base::Temporary(Temporary::shared(fetch, LITELLM_MARGIN)?),
            None => match default_chain(params, region)? {
                Some(Auth::SigV4(keys)) => Base::Static(keys),
                Some(Auth::Temporary(t)) => Base::Temporary(t),
                _ => {
                    return Err(missing(&format!(
                        "aws_role_name={role:?} needs base credentials to call sts:AssumeRole: \
                         pass aws_access_key_id= / aws_secret_access_key=, or set them, a \
                         profile, a web identity or container credentials in the environment"
                    )))
                }
            },
        },
    };
    let assume = AssumeRole {
        sts: sts::Endpoint::resolve(params, region)?,
        role_arn: role,
        session: SessionName {
            given: session,
            prefix: LITELLM_SESSION,
        },
        external_id: params.get_or_env("aws_external_id", &["AWS_EXTERNAL_ID"]),
        duration: None,
        tags: sts::session_tags(params.get("aws_session_tags"))?,
    };
    temporary(Fetch::AssumeRole(assume, base), LITELLM_MARGIN)
}

/// botocore's chain after the environment's keys (see [`resolve`]).
fn default_chain(params: &Params, region: &str) -> Result<Option<Auth>, Error> {
    let profile = profile_name(params);
    if let Some(auth) = profile_role(params, &profile, region, 0)? {
        return Ok(Some(auth));
    }
    if let Some((_, fetch)) = botocore_web_identity(params, region)? {
        return temporary(fetch, BOTOCORE_MARGIN).map(Some);
    }
    if let Some(auth) = from_files(&profile) {
        return Ok(Some(auth));
    }
    container::Endpoint::from_env()?
        .map(|endpoint| temporary(Fetch::Container(endpoint), BOTOCORE_MARGIN))
        .transpose()
}

/// A profile's settings: its credentials-file section, then its config-file section.
fn profile_section(profile: &str) -> Vec<(String, String)> {
    let read =
        |var: &str, rel: &str| home_file(var, rel).and_then(|p| std::fs::read_to_string(p).ok());
    let mut out = read("AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials")
        .map(|t| ini_section(&t, profile))
        .unwrap_or_default();
    if let Some(text) = read("AWS_CONFIG_FILE", ".aws/config") {
        out.extend(config_section(&text, profile));
    }
    out
}

/// botocore's assume-role profile: `role_arn` with `source_profile` (its keys,
/// or its own role), `credential_source` (`Environment`, `EcsContainer`) or
/// `web_identity_token_file`; `role_session_name`, `external_id`,
/// `duration_seconds`. `None` when the profile has no `role_arn`.
fn profile_role(
    params: &Params,
    profile: &str,
    region: &str,
    depth: usize,
) -> Result<Option<Auth>, Error> {
    let section = profile_section(profile);
    let Some(role) = get(&section, "role_arn") else {
        return Ok(None);
    };
    let bad =
        |what: String| Error::new(Kind::BadRequest, format!("AWS profile {profile:?}: {what}"));
    if depth >= MAX_PROFILE_DEPTH {
        return Err(bad("the source_profile chain is too long (a loop?)".into()));
    }
    if get(&section, "mfa_serial").is_some() {
        return Err(bad(
            "mfa_serial (an MFA code prompt) is not supported".into()
        ));
    }
    let sts_region = get(&section, "region").unwrap_or_else(|| region.to_owned());
    let session = SessionName {
        given: get(&section, "role_session_name"),
        prefix: BOTOCORE_SESSION,
    };
    if let Some(file) = get(&section, "web_identity_token_file") {
        let web = WebIdentity {
            sts: sts::Endpoint::resolve(params, &sts_region)?,
            role_arn: role,
            session,
            token: TokenFrom::File(PathBuf::from(file)),
            litellm: false,
        };
        return temporary(Fetch::WebIdentity(web), BOTOCORE_MARGIN).map(Some);
    }
    let base = match (get(&section, "source_profile"), get(&section, "credential_source")) {
        (Some(source), _) => {
            let own_keys = || match from_files(&source) {
                Some(Auth::SigV4(c)) => Some(Base::Static(c)),
                _ => None,
            };
            let chained = if source == profile {
                None
            } else {
                profile_role(params, &source, region, depth + 1)?
            };
            match chained {
                Some(Auth::Temporary(t)) => Base::Temporary(t),
                _ => own_keys().ok_or_else(|| {
                    missing(&format!(
                        "source_profile {source:?} of profile {profile:?} has no keys"
                    ))
                })?,
            }
        }
        (None, Some(source)) => match source.as_str() {
            "Environment" => Base::Static(static_keys(&Params::default()).ok_or_else(|| {
                missing("credential_source = Environment but AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY are not set")
            })?),
            "EcsContainer" => match container::Endpoint::from_env()? {
                Some(endpoint) => {
                    Base::Temporary(Temporary::shared(Fetch::Container(endpoint), BOTOCORE_MARGIN)?)
                }
                None => {
                    return Err(missing(
                        "credential_source = EcsContainer but no AWS_CONTAINER_CREDENTIALS_* variable is set",
                    ))
                }
            },
            other => {
                return Err(bad(format!(
                    "credential_source = {other} is not supported (no instance metadata lookups)"
                )))
            }
        },
        (None, None) => {
            return Err(bad(
                "role_arn needs source_profile, credential_source or web_identity_token_file".into(),
            ))
        }
    };
    let assume = AssumeRole {
        sts: sts::Endpoint::resolve(params, &sts_region)?,
        role_arn: role,
        session,
        external_id: get(&section, "external_id"),
        duration: get(&section, "duration_seconds"),
        tags: Vec::new(),
    };
    temporary(Fetch::AssumeRole(assume, base), BOTOCORE_MARGIN).map(Some)
}

fn missing(what: &str) -> Error {
    Error::new(
        Kind::Authentication,
        format!("no AWS credentials for bedrock: {what}"),
    )
}

fn home_file(var: &str, rel: &str) -> Option<PathBuf> {
    if let Some(p) = env(var) {
        return Some(PathBuf::from(p));
    }
    env("HOME").map(|h| PathBuf::from(h).join(rel))
}

/// The profile's keys: the credentials file's `[profile]` section, else the
/// config file's `[profile profile]` (`[default]` for `default`).
fn from_files(profile: &str) -> Option<Auth> {
    let creds = home_file("AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials")
        .and_then(|p| std::fs::read_to_string(p).ok())
        .and_then(|text| keys(&ini_section(&text, profile)));
    creds
        .or_else(|| {
            let text =
                std::fs::read_to_string(home_file("AWS_CONFIG_FILE", ".aws/config")?).ok()?;
            keys(&config_section(&text, profile))
        })
        .map(Auth::SigV4)
}

fn keys(section: &[(String, String)]) -> Option<Credentials> {
    Some(Credentials {
        access_key_id: get(section, "aws_access_key_id")?,
        secret_access_key: get(section, "aws_secret_access_key")?,
        session_token: get(section, "aws_session_token"),
    })
}

fn config_section(text: &str, profile: &str) -> Vec<(String, String)> {
    let named = ini_section(text, &format!("profile {profile}"));
    if named.is_empty() && profile == "default" {
        ini_section(text, "default")
    } else {
        named
    }
}

fn config_value(profile: &str, key: &str) -> Option<String> {
    let text = std::fs::read_to_string(home_file("AWS_CONFIG_FILE", ".aws/config")?).ok()?;
    config_section(&text, profile)
        .into_iter()
        .find(|(k, v)| k == key && !v.is_empty())
        .map(|(_, v)| v)
}

/// The `key = value` lines of INI section `[name]` (whitespace around names,
/// keys and values ignored; `#` and `;` start comment lines; later sections
/// of the same name add to it).
pub fn ini_section(text: &str, name: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(head) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let head = head.split_whitespace().collect::<Vec<_>>().join(" ");
            inside = head == name;
            continue;
        }
        if inside {
            if let Some((k, v)) = line.split_once('=') {
                out.push((k.trim().to_owned(), v.trim().to_owned()));
            }
        }
    }
    out
}

/// Authenticate `req` (whose body is final): a bearer header, or SigV4 over
/// `content-type`, `host`, `x-amz-content-sha256`, `x-amz-date` and (with a
/// session token) `x-amz-security-token`.
pub fn apply(req: &mut HttpRequest, auth: &Auth, region: &str) -> Result<(), Error> {
    match auth {
        Auth::Bearer(token) => req.secret_header(AUTHORIZATION, &format!("Bearer {token}")),
        Auth::SigV4(creds) => sign(req, creds, region, SERVICE, SystemTime::now()),
        Auth::Temporary(_) => Err(Error::new(
            Kind::Api,
            "the temporary AWS credentials were not fetched before the request",
        )),
    }
}

/// SigV4-sign `req` (whose body is final) for `service` in `region`.
pub fn sign(
    req: &mut HttpRequest,
    creds: &Credentials,
    region: &str,
    service: &str,
    now: SystemTime,
) -> Result<(), Error> {
    let url = reqwest::Url::parse(&req.url)
        .map_err(|e| Error::new(Kind::BadRequest, format!("invalid AWS URL ({e})")))?;
    let host = match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_owned(),
        (None, _) => return Err(Error::new(Kind::BadRequest, "the AWS URL has no host")),
    };
    let date = sigv4::amz_date(now);
    let payload_hash = sigv4::sha256_hex(&req.body);
    let content_type = req
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/json")
        .to_owned();
    let mut headers: Vec<(&str, &str)> = vec![
        ("content-type", &content_type),
        ("host", &host),
        ("x-amz-content-sha256", &payload_hash),
        ("x-amz-date", &date),
    ];
    if let Some(t) = &creds.session_token {
        headers.push(("x-amz-security-token", t));
    }
    let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let query: Vec<(&str, &str)> = query
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let signed = sigv4::sign(
        &sigv4::Request {
            method: req.method.as_str(),
            path: url.path(),
            query: &query,
            headers: &headers,
            payload: &req.body,
        },
        creds,
        region,
        service,
        &date,
    );
    let plain = |v: &str| {
        HeaderValue::from_str(v).map_err(|_| {
            Error::new(
                Kind::BadRequest,
                "an AWS credential contains characters not allowed in an HTTP header",
            )
        })
    };
    req.headers.insert(
        HeaderName::from_static("x-amz-content-sha256"),
        plain(&payload_hash)?,
    );
    req.headers
        .insert(HeaderName::from_static("x-amz-date"), plain(&date)?);
    if let Some(t) = &creds.session_token {
        req.secret_header(HeaderName::from_static("x-amz-security-token"), t)?;
    }
    req.secret_header(AUTHORIZATION, &signed.authorization)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::providers::test_params as params;

    #[test]
    fn ini_sections_and_profiles() {
        let text = "# c\n[default]\naws_access_key_id = AK1\n aws_secret_access_key=SK1 \n\
                    [profile  dev]\n; note\nregion = eu-west-1\naws_access_key_id=AK2\n[dev]\nx=1\n";
        assert_eq!(
            ini_section(text, "default"),
            vec![
                ("aws_access_key_id".to_owned(), "AK1".to_owned()),
                ("aws_secret_access_key".to_owned(), "SK1".to_owned())
            ]
        );
        assert_eq!(config_section(text, "dev").len(), 2);
        assert_eq!(ini_section(text, "dev"), vec![("x".into(), "1".into())]);
        assert!(keys(&config_section(text, "dev")).is_none(), "no secret");
        assert_eq!(
            keys(&ini_section(text, "default")).unwrap().access_key_id,
            "AK1"
        );
    }

    #[test]
    fn regions_from_params_and_arns() {
        let arn = "arn:aws:bedrock:eu-central-1:123456789012:application-inference-profile/x";
        assert_eq!(
            region(&params(&[("aws_region_name", "ap-south-1")]), arn).unwrap(),
            "ap-south-1"
        );
        assert_eq!(region(&params(&[]), arn).unwrap(), "eu-central-1");
        let bad = region(&params(&[("aws_region_name", "us-east-1/../x")]), "m").unwrap_err();
        assert_eq!(bad.kind, Kind::BadRequest);
    }

    #[test]
    fn bearer_keys_win_and_sigv4_signs_what_it_sends() {
        let p = params(&[
            ("aws_access_key_id", "AKIDEXAMPLE"),
            (
                "aws_secret_access_key",
                "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            ),
            ("aws_session_token", "tok"),
        ]);
        assert!(matches!(
            resolve(&p, Some("bedrock-api-key")).unwrap(),
            Auth::Bearer(_)
        ));
        let Auth::SigV4(creds) = resolve(&p, None).unwrap() else {
            panic!("expected SigV4")
        };
        let mut req = HttpRequest::post_json(
            "http://127.0.0.1:8080/model/m%3A0/converse".into(),
            bytes::Bytes::from_static(b"{}"),
        );
        let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_440_938_160);
        sign(&mut req, &creds, "us-east-1", SERVICE, t).unwrap();
        let auth = req.headers[AUTHORIZATION].to_str().unwrap();
        assert!(auth.starts_with(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/bedrock/aws4_request, \
             SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature="
        ));
        assert!(req.headers[AUTHORIZATION].is_sensitive());
        assert_eq!(req.headers["x-amz-date"], "20150830T123600Z");
        assert_eq!(req.headers["x-amz-security-token"], "tok");
        assert!(!format!("{creds:?}").contains("wJalr"));
    }
}
