//! AWS temporary credentials fetched before a Bedrock request is signed
//! (STS AssumeRole, AssumeRoleWithWebIdentity, the container credentials
//! endpoint), cached per source until a margin before they expire; concurrent
//! first callers wait for one fetch.
//!
//! Margins: litellm's own STS calls (`aws_role_name`, `aws_web_identity_token`)
//! keep credentials until [`LITELLM_MARGIN`] before their `Expiration`
//! (`STS_CREDENTIAL_EXPIRY_SAFETY_MARGIN_SECONDS`); the sources botocore
//! drives from the environment and the shared files refresh
//! [`BOTOCORE_MARGIN`] before (its advisory refresh time).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::{container, sts};
use crate::error::{Error, Kind};
use crate::providers::oauth::{Registry, TokenCache};
use crate::providers::{Exchange, Fetched, TokenSource};
use crate::sigv4::Credentials;

/// litellm's safety margin before an STS session expires.
pub const LITELLM_MARGIN: Duration = Duration::from_secs(60);
/// botocore's advisory refresh time before refreshable credentials expire.
pub const BOTOCORE_MARGIN: Duration = Duration::from_secs(15 * 60);
/// Loaded sources by their whole configuration (which may hold secrets: never
/// printed), bounded as the OAuth2 sources are.
static SOURCES: Registry<Temporary> = Registry::new();

/// Credentials a request (an STS call, a Bedrock call) is signed with.
pub enum Base {
    /// Long-term keys, or a session given as is.
    Static(Credentials),
    /// Credentials fetched first (a role assumed with a web identity or container credentials).
    Temporary(Arc<Temporary>),
}

impl Base {
    /// The credentials, fetching them through `how` if needed.
    pub async fn credentials(&self, how: &Exchange<'_>) -> Result<Credentials, Error> {
        match self {
            Base::Static(c) => Ok(c.clone()),
            Base::Temporary(t) => match t.token(how).await? {
                Fetched::Aws(c) => Ok(c),
                Fetched::Bearer(_) => Err(Error::new(Kind::Api, "not AWS credentials")),
            },
        }
    }

    /// A stable description for cache keys (holds the secret).
    fn key(&self) -> String {
        match self {
            Base::Static(c) => format!(
                "static\u{1}{}\u{1}{}\u{1}{}",
                c.access_key_id,
                c.secret_access_key,
                c.session_token.as_deref().unwrap_or("")
            ),
            Base::Temporary(t) => format!("temporary\u{1}{}", t.key),
        }
    }
}

/// How temporary credentials are fetched.
pub enum Fetch {
    AssumeRole(sts::AssumeRole, Base),
    WebIdentity(sts::WebIdentity),
    Container(container::Endpoint),
}

impl Fetch {
    fn key(&self) -> String {
        match self {
            Fetch::AssumeRole(a, base) => format!("role\u{2}{}\u{2}{}", a.key(), base.key()),
            Fetch::WebIdentity(w) => format!("web\u{2}{}", w.key()),
            Fetch::Container(c) => format!("container\u{2}{}", c.key()),
        }
    }
}

/// Fetched credentials and when they expire.
pub struct Expiring {
    pub credentials: Credentials,
    /// Seconds since the Unix epoch; `None` when the answer names no expiry.
    pub expires: Option<u64>,
}

/// One source of temporary credentials and its cache.
pub struct Temporary {
    fetch: Fetch,
    key: String,
    cached: TokenCache<Credentials>,
}

impl std::fmt::Debug for Temporary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match &self.fetch {
            Fetch::AssumeRole(..) => "AssumeRole",
            Fetch::WebIdentity(_) => "AssumeRoleWithWebIdentity",
            Fetch::Container(_) => "container",
        };
        f.debug_struct("Temporary")
            .field("fetch", &kind)
            .finish_non_exhaustive()
    }
}

impl Temporary {
    /// The process-wide source for `fetch` (one cache per configuration),
    /// refreshing `margin` before expiry. No I/O; never fails today (the
    /// registry's loader is fallible in general).
    pub fn shared(fetch: Fetch, margin: Duration) -> Result<Arc<Temporary>, Error> {
        let key = format!("{}\u{3}{}", fetch.key(), margin.as_secs());
        let load = || {
            Ok(Temporary {
                fetch,
                key: key.clone(),
                cached: TokenCache::new(margin),
            })
        };
        SOURCES.get_or_load(key.clone(), load)
    }

    /// Cached credentials while fresh, else one fetch (callers arriving
    /// meanwhile wait for it); a failed fetch caches nothing.
    async fn credentials(&self, how: &Exchange<'_>) -> Result<Credentials, Error> {
        self.cached
            .get(|| async {
                let got = match &self.fetch {
                    Fetch::AssumeRole(role, base) => {
                        role.fetch(how, &base.credentials(how).await?).await?
                    }
                    Fetch::WebIdentity(web) => web.fetch(how).await?,
                    Fetch::Container(endpoint) => endpoint.fetch(how).await?,
                };
                let lifetime = got.expires.map_or(Duration::from_secs(3600), |at| {
                    Duration::from_secs(at.saturating_sub(unix_now()))
                });
                Ok((got.credentials, lifetime))
            })
            .await
    }
}

impl TokenSource for Temporary {
    fn token<'a>(
        &'a self,
        how: &'a Exchange<'a>,
    ) -> Pin<Box<dyn Future<Output = Result<Fetched, Error>> + Send + 'a>> {
        Box::pin(async move { self.credentials(how).await.map(Fetched::Aws) })
    }
}

/// Seconds since the Unix epoch, now.
pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// An ISO 8601 UTC time as AWS sends `Expiration` (`2026-12-02T02:20:37Z`,
/// fractional seconds and a `+00:00` offset accepted), in seconds since the epoch.
pub fn parse_time(text: &str) -> Option<u64> {
    let t = text.trim();
    let (date, time) = t.split_once(['T', 't', ' '])?;
    let mut d = date.split('-');
    let (y, m, day): (i64, i64, i64) = (
        d.next()?.parse().ok()?,
        d.next()?.parse().ok()?,
        d.next()?.parse().ok()?,
    );
    let (clock, offset) = match time.find(['Z', 'z', '+', '-']) {
        Some(i) => time.split_at(i),
        None => (time, ""),
    };
    let offset_secs: i64 = match offset {
        "" | "Z" | "z" => 0,
        o => {
            let sign = if o.starts_with('-') { -1 } else { 1 };
            let (h, mi) = o[1..].split_once(':').unwrap_or((&o[1..], "0"));
            sign * (h.parse::<i64>().ok()? * 3600 + mi.parse::<i64>().ok()? * 60)
        }
    };
    let mut c = clock.split(':');
    let (h, mi): (i64, i64) = (c.next()?.parse().ok()?, c.next()?.parse().ok()?);
    let s: f64 = c.next().unwrap_or("0").parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&day) {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let yy = if m <= 2 { y - 1 } else { y };
    let era = yy.div_euclid(400);
    let yoe = yy - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + h * 3600 + mi * 60 + s as i64 - offset_secs;
    u64::try_from(secs).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_expiration_times() {
        assert_eq!(parse_time("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_time("2015-08-30T12:36:00Z"), Some(1_440_938_160));
        assert_eq!(parse_time("2015-08-30T12:36:00.123Z"), Some(1_440_938_160));
        assert_eq!(parse_time("2015-08-30T14:36:00+02:00"), Some(1_440_938_160));
        assert_eq!(parse_time("2024-02-29T00:00:00Z"), Some(1_709_164_800));
        assert_eq!(parse_time("soon"), None);
        assert_eq!(parse_time("2024-13-01T00:00:00Z"), None);
    }
}
