//! The TLS trust store, read once per process and shared by every client.
//!
//! Reading the system store (`SSL_CERT_FILE` / `SSL_CERT_DIR` when set, else
//! the platform's bundle and directory, as `rustls-native-certs` finds them)
//! and parsing its ~150 roots took most of a process's first call (76 ms of
//! it, measured). Each runtime needs its own pooled client, so the parsed
//! roots are kept here, one certificate verifier per `ssl_verify` setting,
//! and every client built afterwards only wraps the shared verifier in a TLS
//! configuration of its own (its own session cache, so nothing mutable is
//! shared across threads or a fork).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use rustls::RootCertStore;

use crate::error::{Error, Kind};

/// What a client needs of a trust setting: the verifier of a server's chain.
type Verifier = Arc<WebPkiServerVerifier>;

static VERIFIERS: OnceLock<Mutex<HashMap<Option<String>, Verifier>>> = OnceLock::new();

/// The crypto provider reqwest itself would pick: one installed by the
/// application as the process default, else `ring`.
fn provider() -> Arc<CryptoProvider> {
    CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()))
}

/// A TLS configuration trusting the system store plus, when given, the PEM
/// bundle at `ca_file` (litellm's `ssl_verify="/path/ca.pem"`), offering
/// HTTP/1.1 by ALPN as reqwest does for an HTTP/1-only client.
///
/// Errors (`BadRequest`): `ca_file` cannot be read or holds no valid
/// certificate; `Api`: the system store has certificates but none is valid.
pub fn config(ca_file: Option<&str>) -> Result<rustls::ClientConfig, Error> {
    let verifier = verifier(ca_file)?;
    let provider = provider();
    let mut tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(rustls::ALL_VERSIONS)
        .map_err(|e| Error::new(Kind::Api, format!("TLS versions: {e}")))?
        .with_webpki_verifier(verifier)
        .with_no_client_auth();
    tls.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(tls)
}

/// The shared verifier for `ca_file`, built on first use.
fn verifier(ca_file: Option<&str>) -> Result<Verifier, Error> {
    let cache = VERIFIERS.get_or_init(Mutex::default);
    let key = ca_file.map(str::to_owned);
    if let Some(v) = cache.lock().unwrap_or_else(|p| p.into_inner()).get(&key) {
        return Ok(Arc::clone(v));
    }
    // Built outside the lock: two threads racing here both read the store
    // once, and one result is kept.
    let mut roots = system_roots()?.clone();
    if let Some(path) = ca_file {
        add_bundle(&mut roots, path)?;
    }
    let built = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider())
        .build()
        .map_err(|e| Error::new(Kind::Api, format!("cannot build the TLS verifier: {e}")))?;
    let mut map = cache.lock().unwrap_or_else(|p| p.into_inner());
    Ok(Arc::clone(map.entry(key).or_insert(built)))
}

/// The system store, parsed once. Certificates that do not parse are skipped
/// (system stores carry a few ancient ones), as reqwest does.
fn system_roots() -> Result<&'static RootCertStore, Error> {
    static ROOTS: OnceLock<Result<RootCertStore, String>> = OnceLock::new();
    let loaded = ROOTS.get_or_init(|| {
        let found = rustls_native_certs::load_native_certs();
        let mut roots = RootCertStore::empty();
        let (valid, invalid) = roots.add_parsable_certificates(found.certs);
        if valid == 0 && invalid > 0 {
            let why: Vec<String> = found.errors.iter().map(|e| e.to_string()).collect();
            return Err(format!(
                "no valid certificate in the system trust store: {}",
                why.join("; ")
            ));
        }
        Ok(roots)
    });
    loaded
        .as_ref()
        .map_err(|e| Error::new(Kind::Api, e.clone()))
}

/// Add every certificate of the PEM bundle at `path` to `roots`.
fn add_bundle(roots: &mut RootCertStore, path: &str) -> Result<(), Error> {
    let bad = |why: String| Error::new(Kind::BadRequest, format!("ssl_verify: {path:?} {why}"));
    let pem = std::fs::read(path).map_err(|e| bad(format!("cannot be read: {e}")))?;
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<_, _>>()
        .map_err(|e| bad(format!("is not a PEM bundle: {e}")))?;
    if certs.is_empty() {
        return Err(bad("holds no PEM certificate".into()));
    }
    for cert in certs {
        roots
            .add(cert)
            .map_err(|e| bad(format!("holds an invalid certificate: {e}")))?;
    }
    Ok(())
}
