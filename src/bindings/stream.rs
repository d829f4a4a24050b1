//! The native side of a streamed response: one object serving both sync
//! (`next_batch`, a blocking wait with the GIL released) and async
//! (`anext_batch`, an asyncio awaitable) consumers. Dropping or closing it
//! aborts the reading task, which drops the response and its connection.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList};
use tokio::sync::{mpsc, Mutex};

use super::shape::Shaper;
use crate::error::{Error, Kind};
use crate::{asyncio, runtime};

/// What the reading task hands to the consumer.
pub enum Item {
    /// The OpenAI chunk JSON documents decoded from one read.
    Chunks(Vec<Vec<u8>>),
    /// The provider ended the stream normally.
    Done,
    /// The stream broke; every chunk before it was delivered.
    Failed(Error),
}

/// A batch of chunk JSON documents, handed to Python as `list[bytes]`.
pub struct Batch(Vec<Vec<u8>>);

impl<'py> IntoPyObject<'py> for Batch {
    type Target = PyList;
    type Output = Bound<'py, PyList>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, self.0.iter().map(|c| PyBytes::new(py, c)))
    }
}

/// The consumer's end: the reading task's channel and the chunk shaping.
struct Reader {
    rx: mpsc::Receiver<Item>,
    shaper: Option<Shaper>,
}

struct Shared {
    reader: Mutex<Reader>,
    /// `Done` or `Failed` was handed out: later reads return `None`.
    ended: AtomicBool,
}

impl Shared {
    /// The next batch (shaped, when [`Stream::shape`] was called; never
    /// empty), `None` at the end, or the stream's error.
    async fn next(&self) -> Result<Option<Batch>, Error> {
        if self.ended.load(Ordering::Acquire) {
            return Ok(None);
        }
        let mut reader = self.reader.lock().await;
        let item = loop {
            let item = reader.rx.recv().await;
            match (item, reader.shaper.as_mut()) {
                (Some(Item::Chunks(c)), Some(shaper)) => {
                    let shaped: Vec<Vec<u8>> =
                        c.into_iter().filter_map(|c| shaper.shape(c)).collect();
                    if !shaped.is_empty() {
                        break Some(Item::Chunks(shaped));
                    }
                }
                (item, _) => break item,
            }
        };
        drop(reader);
        match item {
            Some(Item::Chunks(c)) => Ok(Some(Batch(c))),
            Some(Item::Done) => {
                self.ended.store(true, Ordering::Release);
                Ok(None)
            }
            Some(Item::Failed(e)) => {
                self.ended.store(true, Ordering::Release);
                Err(e)
            }
            None if self.ended.load(Ordering::Acquire) => Ok(None),
            None => {
                self.ended.store(true, Ordering::Release);
                Err(Error::new(
                    Kind::Api,
                    "the stream was closed before the provider finished it",
                ))
            }
        }
    }
}

/// `shape_chunks(model, include_usage, chunks)`: the chunks of one whole
/// stream shaped as [`Stream::shape`] shapes a native stream's (for streams
/// made in Python, such as `mock_response`'s).
#[pyfunction]
pub fn shape_chunks(model: String, include_usage: bool, chunks: Vec<Vec<u8>>) -> Batch {
    let mut shaper = Shaper::new(model, include_usage);
    Batch(chunks.into_iter().filter_map(|c| shaper.shape(c)).collect())
}

/// A streamed chat response. Python's `CustomStreamWrapper` drives it.
#[pyclass(module = "edgequake_litellm._elc_core", frozen)]
pub struct Stream {
    shared: Arc<Shared>,
    task: tokio::task::AbortHandle,
}

impl Stream {
    pub fn new(rx: mpsc::Receiver<Item>, task: tokio::task::AbortHandle) -> Self {
        Stream {
            shared: Arc::new(Shared {
                reader: Mutex::new(Reader { rx, shaper: None }),
                ended: AtomicBool::new(false),
            }),
            task,
        }
    }
}

#[pymethods]
impl Stream {
    /// Block (GIL released, Ctrl-C honoured) for the next batch of chunk JSON
    /// documents; `None` when the stream ended; raises the stream's error.
    fn next_batch(&self, py: Python<'_>) -> PyResult<Option<Batch>> {
        let shared = Arc::clone(&self.shared);
        runtime::wait(py, async move { shared.next().await })
    }

    /// Awaitable form of `next_batch`.
    fn anext_batch<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let shared = Arc::clone(&self.shared);
        asyncio::awaitable(py, async move { shared.next().await })
    }

    /// From now on, shape chunks as litellm's `CustomStreamWrapper` does
    /// (see `shape.rs`) for `model` (no provider prefix) and the caller's
    /// `stream_options["include_usage"]`. Raises `RuntimeError` while a read
    /// is in progress.
    fn shape(&self, model: String, include_usage: bool) -> PyResult<()> {
        let mut reader =
            self.shared.reader.try_lock().map_err(|_| {
                pyo3::exceptions::PyRuntimeError::new_err("the stream is being read")
            })?;
        reader.shaper = Some(Shaper::new(model, include_usage));
        Ok(())
    }

    /// Stop reading and close the connection. Idempotent.
    fn close(&self) {
        self.task.abort();
        self.shared.ended.store(true, Ordering::Release);
    }
}

impl Drop for Stream {
    fn drop(&mut self) {
        self.task.abort();
    }
}
