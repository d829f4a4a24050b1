//! `_elc_core`: the Rust network path of edgequake_litellm.
//!
//! Python owns the litellm-shaped surface; this module owns HTTP, retries,
//! SSE decoding and provider translation. See `DESIGN.md` in the team docs.

pub mod asyncio;
mod bindings;
pub mod error;
pub mod eventstream;
pub mod http;
pub mod multipart;
pub mod ndjson;
pub mod providers;
pub mod runtime;
pub mod shutdown;
pub mod sigv4;
pub mod sse;
pub mod tokenizer;
pub mod trace;
pub mod trust;
pub mod version;

use pyo3::prelude::*;

#[pymodule]
fn _elc_core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", version::pep440(env!("CARGO_PKG_VERSION")))?;
    m.add("ProviderError", m.py().get_type::<error::ProviderError>())?;
    m.add_function(wrap_pyfunction!(shutdown::shutdown, m)?)?;
    m.add_function(wrap_pyfunction!(trace::take_debug_events, m)?)?;
    m.add_class::<tokenizer::Tokenizer>()?;
    bindings::register(m)
}
