//! The native side of a streamed response: one object serving both sync
//! (`next_batch`, a blocking wait with the GIL released) and async
//! (`anext_batch`, an asyncio awaitable) consumers. Dropping or closing it
//! aborts the reading task, which drops the response and its connection.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList};
use tokio::sync::{mpsc, Mutex};

use super::shape::{self, Shaper};
use crate::error::{Error, Kind};
use crate::{asyncio, runtime};

/// What the reading task hands to the consumer.
pub enum Item {
    /// OpenAI chunk JSON documents decoded from (part of) one read.
    Chunks(Batch),
    /// The provider ended the stream normally.
    Done,
    /// The stream broke; every chunk before it was delivered.
    Failed(Error),
}

/// Bytes of chunk JSON decoded by every stream of the process and not yet
/// handed to Python (see [`ahead`]).
static AHEAD: AtomicUsize = AtomicUsize::new(0);

/// How many bytes of chunk JSON all streams together have decoded ahead of
/// their consumers. A stream's reading task decodes whole reads while this is
/// under its budget (one stream, or a few, as fast as they come) and small
/// slices once it is over (a thousand streams whose consumers are behind hold
/// a few KB each rather than their whole bodies).
pub fn ahead() -> usize {
    AHEAD.load(Ordering::Relaxed)
}

/// A batch of chunk JSON documents, handed to Python as `list[bytes]`; counted
/// in [`ahead`] until then.
pub struct Batch {
    docs: Vec<Vec<u8>>,
    counted: usize,
}

impl Batch {
    /// A batch counted in [`ahead`] until it reaches Python or is dropped.
    pub fn new(docs: Vec<Vec<u8>>) -> Self {
        let counted = docs.iter().map(Vec::len).sum();
        AHEAD.fetch_add(counted, Ordering::Relaxed);
        Batch { docs, counted }
    }

    /// How many documents the batch holds.
    fn len(&self) -> usize {
        self.docs.len()
    }
}

impl Drop for Batch {
    fn drop(&mut self) {
        AHEAD.fetch_sub(self.counted, Ordering::Relaxed);
    }
}

impl<'py> IntoPyObject<'py> for Batch {
    type Target = PyList;
    type Output = Bound<'py, PyList>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, self.docs.iter().map(|c| PyBytes::new(py, c)))
    }
}

struct Shared {
    /// The consumer's end of the reading task's channel.
    rx: Mutex<mpsc::Receiver<Item>>,
    /// `Done` or `Failed` was handed out: later reads return `None`.
    ended: AtomicBool,
    /// Chunks handed to async reads since (and including) the last that went
    /// through the event loop.
    streak: AtomicUsize,
}

/// Async reads are answered from a queued batch without yielding to the event
/// loop until this many chunks were consumed since the last yield; the next
/// read goes through the loop, so a stream whose reading task keeps ahead does
/// not starve the loop's other tasks (at most this many chunks plus one batch
/// between two yields).
const STREAK: usize = 256;

impl Shared {
    /// The next batch (never empty), `None` at the end, or the stream's error.
    async fn next(&self) -> Result<Option<Batch>, Error> {
        if self.ended.load(Ordering::Acquire) {
            return Ok(None);
        }
        let item = self.rx.lock().await.recv().await;
        self.settle(item)
    }

    /// What [`Shared::next`] would return, if that is known without waiting:
    /// the stream ended, or the reading task has a batch (or the end) queued.
    fn ready(&self) -> Option<Result<Option<Batch>, Error>> {
        if self.ended.load(Ordering::Acquire) {
            return Some(Ok(None));
        }
        // Another read is waiting on the channel: this one queues behind it.
        let mut rx = self.rx.try_lock().ok()?;
        match rx.try_recv() {
            Ok(item) => Some(self.settle(Some(item))),
            Err(mpsc::error::TryRecvError::Empty) => None,
            Err(mpsc::error::TryRecvError::Disconnected) => Some(self.settle(None)),
        }
    }

    /// Count a batch handed to an async read towards [`STREAK`].
    fn counted(&self, next: &Result<Option<Batch>, Error>) {
        let chunks = next
            .as_ref()
            .map_or(0, |b| b.as_ref().map_or(0, Batch::len));
        self.streak.fetch_add(chunks, Ordering::Relaxed);
    }

    /// The consumer's view of what the channel gave (`None`: the reading task is gone).
    fn settle(&self, item: Option<Item>) -> Result<Option<Batch>, Error> {
        match item {
            Some(Item::Chunks(c)) => Ok(Some(c)),
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
/// stream shaped as a native chat stream's are (for streams made in Python,
/// such as `mock_response`'s and cache replays).
#[pyfunction]
pub fn shape_chunks(model: String, include_usage: bool, chunks: Vec<Vec<u8>>) -> Batch {
    Batch::new(shape::batch(
        Some(&mut Shaper::new(model, include_usage)),
        chunks,
    ))
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
                rx: Mutex::new(rx),
                ended: AtomicBool::new(false),
                streak: AtomicUsize::new(0),
            }),
            task,
        }
    }
}

#[pymethods]
impl Stream {
    /// Block (GIL released, Ctrl-C honoured) for the next batch of chunk JSON
    /// documents; `None` when the stream ended; raises the stream's error.
    /// A batch already queued is returned at once, without leaving the GIL.
    fn next_batch(&self, py: Python<'_>) -> PyResult<Option<Batch>> {
        if let Some(ready) = self.shared.ready() {
            return ready.map_err(PyErr::from);
        }
        let shared = Arc::clone(&self.shared);
        runtime::wait(py, async move { shared.next().await })
    }

    /// Awaitable form of `next_batch`. A batch already queued comes as a future
    /// that is already done (awaiting it does not go through the event loop, as
    /// reading a line aiohttp has buffered does not), for [`STREAK`] chunks at a time.
    fn anext_batch<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        if self.shared.streak.load(Ordering::Relaxed) < STREAK {
            if let Some(ready) = self.shared.ready() {
                self.shared.counted(&ready);
                return asyncio::ready(py, ready);
            }
        }
        // This read goes through the loop; the chunks it brings count towards the next.
        self.shared.streak.store(0, Ordering::Relaxed);
        let shared = Arc::clone(&self.shared);
        asyncio::awaitable(py, async move {
            let next = shared.next().await;
            shared.counted(&next);
            next
        })
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
