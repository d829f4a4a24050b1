//! The Python-facing functions. Each takes the request as OpenAI-shaped JSON
//! bytes plus the call options, and does all I/O with the GIL released.

mod call;
mod chunk_log;
mod options;
mod shape;
mod stream;

use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::error::{Error, Kind};
use crate::multipart::Upload;
use crate::providers::{self, Endpoint};
use crate::{asyncio, runtime};
use call::Call;
use options::Options;
use shape::Shaper;
pub use stream::{shape_chunks, Stream};

/// Response JSON bytes, handed to Python as `bytes`.
pub struct Body(Vec<u8>);

impl<'py> IntoPyObject<'py> for Body {
    type Target = PyBytes;
    type Output = Bound<'py, PyBytes>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        Ok(PyBytes::new(py, &self.0))
    }
}

/// `route(model, custom_llm_provider)` → `(provider, model_id, key_globals)`.
#[pyfunction]
#[pyo3(signature = (model, custom_llm_provider=None))]
fn route(
    model: &str,
    custom_llm_provider: Option<&str>,
) -> PyResult<(&'static str, String, Vec<&'static str>)> {
    let (spec, id) = providers::route(model, custom_llm_provider)?;
    Ok((spec.name, id.to_owned(), spec.key_globals.to_vec()))
}

fn endpoint(name: &str) -> Result<Endpoint, Error> {
    Endpoint::from_name(name)
        .ok_or_else(|| Error::new(Kind::BadRequest, format!("unknown endpoint {name:?}")))
}

/// A file to upload: `(field, filename, content_type, data)`.
type File = (String, String, String, Vec<u8>);

fn prepared(
    endpoint_name: &str,
    provider: &str,
    model: String,
    options: Options,
    files: Option<Vec<File>>,
) -> Result<(Endpoint, Call), Error> {
    let ep = endpoint(endpoint_name)?;
    let uploads = files
        .unwrap_or_default()
        .into_iter()
        .map(|(field, filename, content_type, data)| Upload {
            field,
            filename,
            content_type,
            data,
        })
        .collect();
    Ok((
        ep,
        Call::new(provider, model, options)?.with_uploads(uploads),
    ))
}

/// Blocking call: returns the response body as `bytes` (OpenAI-shaped JSON;
/// the audio itself for `speech`). `files` are sent as multipart uploads.
#[pyfunction]
#[pyo3(name = "call", signature = (endpoint_name, provider, model, body, options, files=None))]
fn py_call(
    py: Python<'_>,
    endpoint_name: &str,
    provider: &str,
    model: String,
    body: Vec<u8>,
    options: Options,
    files: Option<Vec<File>>,
) -> PyResult<Body> {
    let (ep, c) = prepared(endpoint_name, provider, model, options, files)?;
    runtime::wait(py, async move { c.json(ep, body).await.map(Body) })
}

/// Awaitable form of `call`.
#[pyfunction]
#[pyo3(name = "acall", signature = (endpoint_name, provider, model, body, options, files=None))]
fn py_acall<'py>(
    py: Python<'py>,
    endpoint_name: &str,
    provider: &str,
    model: String,
    body: Vec<u8>,
    options: Options,
    files: Option<Vec<File>>,
) -> PyResult<Bound<'py, PyAny>> {
    let (ep, c) = prepared(endpoint_name, provider, model, options, files)?;
    asyncio::awaitable(py, async move { c.json(ep, body).await.map(Body) })
}

/// How to shape a chat stream's chunks as litellm's `CustomStreamWrapper` does
/// (`shape.rs`): `(model, include_usage)`, the model id without provider prefix
/// and the caller's `stream_options["include_usage"]`.
type Shape = Option<(String, bool)>;

fn shaper(shape: Shape) -> Option<Shaper> {
    shape.map(|(model, include_usage)| Shaper::new(model, include_usage))
}

/// Blocking open of a streamed call (`"chat"` or `"responses"`); returns
/// once the provider answered. `shape` is given for chat streams.
#[pyfunction]
#[pyo3(name = "stream", signature = (endpoint_name, provider, model, body, options, shape=None))]
fn py_stream(
    py: Python<'_>,
    endpoint_name: &str,
    provider: &str,
    model: String,
    body: Vec<u8>,
    options: Options,
    shape: Shape,
) -> PyResult<Stream> {
    let (ep, c) = prepared(endpoint_name, provider, model, options, None)?;
    let (rx, task) = runtime::wait(py, runtime::on_core(c.stream(ep, body, shaper(shape))))?;
    Ok(Stream::new(rx, task))
}

/// Awaitable form of `stream`.
#[pyfunction]
#[pyo3(name = "astream", signature = (endpoint_name, provider, model, body, options, shape=None))]
fn py_astream<'py>(
    py: Python<'py>,
    endpoint_name: &str,
    provider: &str,
    model: String,
    body: Vec<u8>,
    options: Options,
    shape: Shape,
) -> PyResult<Bound<'py, PyAny>> {
    let (ep, c) = prepared(endpoint_name, provider, model, options, None)?;
    let shaper = shaper(shape);
    asyncio::awaitable(py, async move {
        let (rx, task) = c.stream(ep, body, shaper).await?;
        Ok(Stream::new(rx, task))
    })
}

/// Register the functions and classes on the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(route, m)?)?;
    m.add_function(wrap_pyfunction!(py_call, m)?)?;
    m.add_function(wrap_pyfunction!(py_acall, m)?)?;
    m.add_function(wrap_pyfunction!(py_stream, m)?)?;
    m.add_function(wrap_pyfunction!(py_astream, m)?)?;
    m.add_function(wrap_pyfunction!(shape_chunks, m)?)?;
    m.add_class::<Stream>()?;
    m.add_class::<chunk_log::ChunkLog>()?;
    Ok(())
}
