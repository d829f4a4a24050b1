//! The call options Python passes with every request, as one dict.

use std::collections::BTreeMap;

use pyo3::prelude::*;

pub use crate::http::Verify;

/// `{"api_key", "api_base", "timeout", "num_retries", "headers",
/// "ssl_verify", "debug", "params"}`, resolved by Python from the per-call
/// arguments and litellm's module globals (env vars and provider defaults
/// are applied here, in `Call::new`).
#[derive(Debug, FromPyObject)]
#[pyo3(from_item_all)]
pub struct Options {
    pub api_key: Option<String>,
    pub api_base: Option<String>,
    /// Seconds.
    pub timeout: Option<f64>,
    pub num_retries: u32,
    pub headers: Option<Vec<(String, String)>>,
    pub ssl_verify: Verify,
    /// Non-zero: record debug events under this tag (`take_debug_events`).
    pub debug: u64,
    /// Provider-specific arguments as strings (`api_version`, `vertex_project`,
    /// `aws_region_name`, ...): see [`crate::providers::Params`].
    pub params: Option<BTreeMap<String, String>>,
}
