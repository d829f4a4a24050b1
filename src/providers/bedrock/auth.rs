//! Bedrock's credentials, region and request signing, in litellm's order
//! (`BaseAWSLLM.get_credentials` / `_get_aws_region_name` in
//! `litellm/llms/bedrock/base_aws_llm.py`, boto3's default chain for the rest):
//!
//! - a Bedrock API key (`api_key=` or `AWS_BEARER_TOKEN_BEDROCK`) is sent as
//!   `Authorization: Bearer …` and nothing is signed;
//! - else SigV4 with: the profile `aws_profile_name` (or `AWS_PROFILE_NAME`)
//!   from the shared files; else `aws_access_key_id` + `aws_secret_access_key`
//!   (+ `aws_session_token`), each falling back to `AWS_ACCESS_KEY_ID` /
//!   `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN`; else the profile
//!   `AWS_PROFILE` (else `default`) from the shared files
//!   (`AWS_SHARED_CREDENTIALS_FILE`, default `~/.aws/credentials`, sections
//!   `[name]`; `AWS_CONFIG_FILE`, default `~/.aws/config`, sections
//!   `[profile name]` / `[default]`).
//!
//! No STS, SSO, IMDS or container-credential lookups are made (they need the
//! network): such setups must export keys. Region: `aws_region_name`, else the
//! region of an ARN model id, else `AWS_REGION_NAME`, `AWS_REGION`,
//! `AWS_DEFAULT_REGION`, the profile's `region` in the config file, else
//! `us-west-2` (litellm's fallback).

use std::path::PathBuf;
use std::time::SystemTime;

use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE};

use super::super::Params;
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

/// litellm's arguments that make it fetch credentials from STS (AssumeRole, web
/// identity); its companions (`aws_session_name`, `aws_sts_endpoint`,
/// `aws_external_id`) mean nothing without them and are ignored.
const STS_PARAMS: &[&str] = &["aws_role_name", "aws_web_identity_token"];

/// The call's authentication, or an `AuthenticationError` naming what to set
/// (a `BadRequestError` for litellm's STS arguments, which need network lookups).
pub fn resolve(params: &Params, api_key: Option<&str>) -> Result<Auth, Error> {
    if let Some(name) = STS_PARAMS.iter().find(|n| params.get(n).is_some()) {
        return Err(Error::new(
            Kind::BadRequest,
            format!(
                "{name} is not supported for bedrock: credentials are never fetched from STS \
                 (AssumeRole / web identity); pass the role's keys as aws_access_key_id / \
                 aws_secret_access_key / aws_session_token or use a profile with keys"
            ),
        ));
    }
    if let Some(token) = api_key.filter(|k| !k.is_empty()) {
        return Ok(Auth::Bearer(token.to_owned()));
    }
    let explicit_profile = params.get_or_env("aws_profile_name", &["AWS_PROFILE_NAME"]);
    if let Some(profile) = explicit_profile {
        return from_files(&profile).ok_or_else(|| {
            missing(&format!(
                "profile {profile:?} has no aws_access_key_id/aws_secret_access_key in the shared \
                 credentials or config file"
            ))
        });
    }
    let key = params.get_or_env("aws_access_key_id", &["AWS_ACCESS_KEY_ID"]);
    let secret = params.get_or_env("aws_secret_access_key", &["AWS_SECRET_ACCESS_KEY"]);
    if let (Some(access_key_id), Some(secret_access_key)) = (key, secret) {
        return Ok(Auth::SigV4(Credentials {
            access_key_id,
            secret_access_key,
            session_token: params.get_or_env("aws_session_token", &["AWS_SESSION_TOKEN"]),
        }));
    }
    from_files(&profile_name(params)).ok_or_else(|| {
        missing(
            "pass aws_access_key_id= and aws_secret_access_key= (or aws_profile_name=), set \
             AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, AWS_PROFILE or a [default] profile in \
             ~/.aws/credentials, or pass a Bedrock API key as api_key= / AWS_BEARER_TOKEN_BEDROCK \
             (no STS, SSO or instance-metadata lookups are made)",
        )
    })
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
    let get = |k: &str| {
        section
            .iter()
            .find(|(n, v)| n == k && !v.is_empty())
            .map(|(_, v)| v.clone())
    };
    Some(Credentials {
        access_key_id: get("aws_access_key_id")?,
        secret_access_key: get("aws_secret_access_key")?,
        session_token: get("aws_session_token"),
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
        Auth::SigV4(creds) => sign(req, creds, region, SystemTime::now()),
    }
}

fn sign(
    req: &mut HttpRequest,
    creds: &Credentials,
    region: &str,
    now: SystemTime,
) -> Result<(), Error> {
    let url = reqwest::Url::parse(&req.url)
        .map_err(|e| Error::new(Kind::BadRequest, format!("invalid Bedrock URL ({e})")))?;
    let host = match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_owned(),
        (None, _) => return Err(Error::new(Kind::BadRequest, "the Bedrock URL has no host")),
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
        SERVICE,
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
    use std::collections::BTreeMap;

    fn params(pairs: &[(&str, &str)]) -> Params {
        Params::new(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect::<BTreeMap<_, _>>(),
        )
    }

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
        sign(&mut req, &creds, "us-east-1", t).unwrap();
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
