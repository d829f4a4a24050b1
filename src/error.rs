//! The one error type of the native core.
//!
//! Every failure (an HTTP status from a provider, a transport fault, a body we
//! cannot read) becomes an [`Error`] with a [`Kind`]; Python maps the kind to
//! litellm's exception class in one table (`exceptions.py`). Messages are
//! redacted of the API key before they leave this module.

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::PyErr;

create_exception!(
    _elc_core,
    ProviderError,
    PyException,
    "Raised by the native core; args = (kind, status_code, message, llm_provider, model, retry_after, body, attempts). Python re-raises it as litellm's exception class."
);

/// What went wrong, in litellm's exception vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Authentication,
    PermissionDenied,
    NotFound,
    BadRequest,
    /// A parameter the provider has no way to honour (litellm's `UnsupportedParamsError`).
    UnsupportedParams,
    ContextWindowExceeded,
    ContentPolicy,
    UnprocessableEntity,
    RateLimit,
    Timeout,
    Connection,
    ServiceUnavailable,
    InternalServer,
    BadGateway,
    Api,
    ResponseValidation,
}

impl Kind {
    /// The stable name Python's exception table is keyed by.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Authentication => "authentication",
            Kind::PermissionDenied => "permission_denied",
            Kind::NotFound => "not_found",
            Kind::BadRequest => "bad_request",
            Kind::UnsupportedParams => "unsupported_params",
            Kind::ContextWindowExceeded => "context_window_exceeded",
            Kind::ContentPolicy => "content_policy",
            Kind::UnprocessableEntity => "unprocessable_entity",
            Kind::RateLimit => "rate_limit",
            Kind::Timeout => "timeout",
            Kind::Connection => "connection",
            Kind::ServiceUnavailable => "service_unavailable",
            Kind::InternalServer => "internal_server",
            Kind::BadGateway => "bad_gateway",
            Kind::Api => "api_error",
            Kind::ResponseValidation => "response_validation",
        }
    }

    /// The kind an HTTP status means when the provider's body says nothing more
    /// specific (litellm's `exception_type` for OpenAI-compatible providers;
    /// a status it does not list, such as 529, is a plain `APIError`).
    pub fn from_status(status: u16) -> Kind {
        match status {
            400 => Kind::BadRequest,
            401 => Kind::Authentication,
            403 => Kind::PermissionDenied,
            404 => Kind::NotFound,
            408 => Kind::Timeout,
            422 => Kind::UnprocessableEntity,
            429 => Kind::RateLimit,
            500 => Kind::InternalServer,
            502 => Kind::BadGateway,
            503 => Kind::ServiceUnavailable,
            504 => Kind::Timeout,
            _ => Kind::Api,
        }
    }
}

/// A failed call (boxed, so results stay small on the happy path).
#[derive(Debug, Clone)]
pub struct Error(Box<Details>);

/// What a failed call reports: kind, HTTP status, provider, model, redacted
/// message, the provider's raw error body, the server's retry-after (seconds)
/// and how many attempts were made.
#[derive(Debug, Clone)]
pub struct Details {
    pub kind: Kind,
    pub status: Option<u16>,
    pub message: String,
    pub provider: String,
    pub model: String,
    pub retry_after: Option<f64>,
    pub body: Option<String>,
    pub attempts: u32,
}

impl Error {
    pub fn new(kind: Kind, message: impl Into<String>) -> Self {
        Error(Box::new(Details {
            kind,
            status: None,
            message: message.into(),
            provider: String::new(),
            model: String::new(),
            retry_after: None,
            body: None,
            attempts: 1,
        }))
    }

    /// An HTTP error status with the provider's body; `message` is what the
    /// provider said, `kind` what the adapter made of it.
    pub fn http(kind: Kind, status: u16, message: String, body: &[u8]) -> Self {
        let mut e = Error::new(kind, message);
        e.status = Some(status);
        e.body = Some(String::from_utf8_lossy(body).into_owned());
        e
    }

    /// A transport-level failure from reqwest (connect, TLS, DNS, timeout, body read).
    pub fn transport(err: &reqwest::Error) -> Self {
        let kind = if err.is_timeout() {
            Kind::Timeout
        } else if err.is_connect() || err.is_request() || err.is_body() || err.is_decode() {
            Kind::Connection
        } else {
            Kind::Api
        };
        // The full source chain names the cause (refused, DNS, TLS); reqwest's
        // Display prints only the outermost layer.
        let mut message = err.to_string();
        let mut tls = false;
        let mut source = std::error::Error::source(err);
        while let Some(s) = source {
            message.push_str(": ");
            message.push_str(&s.to_string());
            // While connecting, only the TLS layer (tokio-rustls) fails with
            // InvalidData; rustls' own words do not say "TLS".
            tls |= err.is_connect() && s.downcast_ref::<std::io::Error>().is_some_and(invalid_data);
            source = s.source();
        }
        if tls {
            message.insert_str(0, "TLS handshake failed: ");
        }
        Error::new(kind, message)
    }

    /// Attach the provider and model the call was for.
    pub fn context(mut self, provider: &str, model: &str) -> Self {
        if self.provider.is_empty() {
            self.provider = provider.to_owned();
        }
        if self.model.is_empty() {
            self.model = model.to_owned();
        }
        self
    }

    /// Remove every occurrence of `secret` from the message and body.
    pub fn redact(mut self, secret: Option<&str>) -> Self {
        if let Some(s) = secret.filter(|s| s.len() >= 4) {
            self.message = self.message.replace(s, "[REDACTED]");
            self.body = self.body.take().map(|b| b.replace(s, "[REDACTED]"));
        }
        self
    }
}

/// Whether `io` (or an I/O error it wraps, as hyper wraps tokio-rustls') is
/// of kind `InvalidData`.
fn invalid_data(io: &std::io::Error) -> bool {
    io.kind() == std::io::ErrorKind::InvalidData
        || io
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<std::io::Error>())
            .is_some_and(invalid_data)
}

impl std::ops::Deref for Error {
    type Target = Details;
    fn deref(&self) -> &Details {
        &self.0
    }
}

impl std::ops::DerefMut for Error {
    fn deref_mut(&mut self) -> &mut Details {
        &mut self.0
    }
}

impl From<Error> for PyErr {
    fn from(e: Error) -> PyErr {
        let e = *e.0;
        ProviderError::new_err((
            e.kind.as_str(),
            e.status,
            e.message,
            e.provider,
            e.model,
            e.retry_after,
            e.body,
            e.attempts,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_table_matches_litellm() {
        assert_eq!(Kind::from_status(401), Kind::Authentication);
        assert_eq!(Kind::from_status(403), Kind::PermissionDenied);
        assert_eq!(Kind::from_status(404), Kind::NotFound);
        assert_eq!(Kind::from_status(422), Kind::UnprocessableEntity);
        assert_eq!(Kind::from_status(429), Kind::RateLimit);
        assert_eq!(Kind::from_status(500), Kind::InternalServer);
        assert_eq!(Kind::from_status(502), Kind::BadGateway);
        assert_eq!(Kind::from_status(503), Kind::ServiceUnavailable);
        assert_eq!(Kind::from_status(504), Kind::Timeout);
        assert_eq!(Kind::from_status(418), Kind::Api);
        assert_eq!(Kind::from_status(529), Kind::Api);
    }

    #[test]
    fn redaction_removes_the_key_everywhere() {
        let e = Error::http(
            Kind::Authentication,
            401,
            "bad key sk-secret-123".into(),
            b"{\"error\":\"sk-secret-123\"}",
        )
        .redact(Some("sk-secret-123"));
        assert!(!e.message.contains("sk-secret-123"));
        assert!(!e
            .body
            .as_deref()
            .unwrap_or_default()
            .contains("sk-secret-123"));
    }
}
