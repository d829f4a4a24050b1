//! Rust futures as asyncio awaitables, with results delivered in batches.
//!
//! [`awaitable`] makes an `asyncio.Future` on the running loop and spawns the
//! Rust future on the process-wide runtime. When it finishes, its result is
//! queued for the one delivery thread ([`deliver`]), which takes the GIL once
//! for everything queued meanwhile, and hands each event loop its share with
//! one `call_soon_threadsafe` (one self-pipe write, one loop wake-up) instead
//! of one per result. Under load (hundreds of calls in flight) that is most of
//! the cost of crossing into Python.
//!
//! Cancelling the asyncio future (or the task awaiting it) aborts the Rust
//! task, which drops the request and closes its connection. A task that
//! panics or is dropped unfinished resolves its future with an error, so no
//! awaiter hangs; a future already done (cancelled) is left alone.

use std::sync::mpsc::Receiver;

use pyo3::prelude::*;
use pyo3::types::PyList;
use pyo3::IntoPyObjectExt;

use crate::error::{Error, Kind};
use crate::{runtime, shutdown};

/// Turns a finished call's output into the Python value (or exception) its
/// future resolves with; run on the delivery thread, holding the GIL.
type Outcome = Box<dyn FnOnce(Python<'_>) -> PyResult<Py<PyAny>> + Send>;

/// A finished task's result, waiting for the delivery thread.
pub struct Done {
    event_loop: Py<PyAny>,
    future: Py<PyAny>,
    outcome: Outcome,
}

/// Resolves the future with an error if the task ends without a result
/// (it panicked, or was aborted: then the future is already cancelled).
struct Resolver {
    target: Option<(Py<PyAny>, Py<PyAny>)>,
    queue: std::sync::mpsc::Sender<Done>,
}

impl Resolver {
    fn send(&mut self, outcome: Outcome) {
        if let Some((event_loop, future)) = self.target.take() {
            let _ = self.queue.send(Done {
                event_loop,
                future,
                outcome,
            });
        }
    }
}

impl Drop for Resolver {
    fn drop(&mut self) {
        self.send(Box::new(|_py| {
            Err(Error::new(Kind::Api, "the native task ended without a result").into())
        }));
    }
}

/// Turn `fut` into an `asyncio.Future` of the running loop (`RuntimeError`
/// when none is running), resolved with `fut`'s output converted to Python,
/// or its error raised as the mapped exception.
pub fn awaitable<'py, F, T>(py: Python<'py>, fut: F) -> PyResult<Bound<'py, PyAny>>
where
    F: std::future::Future<Output = Result<T, Error>> + Send + 'static,
    T: for<'a> IntoPyObject<'a> + Send + 'static,
{
    let core = runtime::core()?;
    let asyncio = py.import(pyo3::intern!(py, "asyncio"))?;
    let event_loop = asyncio.call_method0(pyo3::intern!(py, "get_running_loop"))?;
    let future = event_loop.call_method0(pyo3::intern!(py, "create_future"))?;
    let mut resolver = Resolver {
        target: Some((event_loop.unbind(), future.clone().unbind())),
        queue: core.delivery(),
    };
    let task = core.runtime.spawn(async move {
        let out = fut.await;
        resolver.send(Box::new(move |py| match out {
            Ok(value) => value.into_py_any(py),
            Err(e) => Err(e.into()),
        }));
    });
    future.call_method1(
        pyo3::intern!(py, "add_done_callback"),
        (AbortOnCancel(task.abort_handle()),),
    )?;
    Ok(future)
}

/// An `asyncio.Future` of the running loop (`RuntimeError` when none is
/// running) already resolved with `result`, for a value known without waiting.
pub fn ready<'py, T>(py: Python<'py>, result: Result<T, Error>) -> PyResult<Bound<'py, PyAny>>
where
    T: IntoPyObject<'py>,
{
    let asyncio = py.import(pyo3::intern!(py, "asyncio"))?;
    let event_loop = asyncio.call_method0(pyo3::intern!(py, "get_running_loop"))?;
    let future = event_loop.call_method0(pyo3::intern!(py, "create_future"))?;
    match result {
        Ok(value) => future.call_method1(pyo3::intern!(py, "set_result"), (value,))?,
        Err(e) => {
            let e: PyErr = e.into();
            future.call_method1(pyo3::intern!(py, "set_exception"), (e.into_value(py),))?
        }
    };
    Ok(future)
}

/// The future's done-callback: a cancelled future aborts its Rust task.
#[pyclass(frozen)]
struct AbortOnCancel(tokio::task::AbortHandle);

#[pymethods]
impl AbortOnCancel {
    fn __call__(&self, future: &Bound<'_, PyAny>) -> PyResult<()> {
        if future
            .call_method0(pyo3::intern!(future.py(), "cancelled"))?
            .is_truthy()?
        {
            self.0.abort();
        }
        Ok(())
    }
}

/// Run on the event loop: resolve each `(future, ok, value)` of the batch
/// whose future is not done yet.
#[pyclass(frozen)]
struct Resolve;

#[pymethods]
impl Resolve {
    fn __call__(&self, batch: &Bound<'_, PyList>) -> PyResult<()> {
        let py = batch.py();
        for item in batch.iter() {
            let (future, ok, value): (Bound<'_, PyAny>, bool, Bound<'_, PyAny>) = item.extract()?;
            if future
                .call_method0(pyo3::intern!(py, "done"))?
                .is_truthy()?
            {
                continue;
            }
            let method = match ok {
                true => pyo3::intern!(py, "set_result"),
                false => pyo3::intern!(py, "set_exception"),
            };
            future.call_method1(method, (value,))?;
        }
        Ok(())
    }
}

/// The delivery thread's body: for each wake-up, everything queued so far is
/// converted under one GIL hold and handed to its loop in one call.
pub fn deliver(queue: Receiver<Done>) {
    while let Ok(first) = queue.recv() {
        let mut batch = vec![first];
        batch.extend(queue.try_iter());
        let Some(_entry) = shutdown::enter() else {
            // The interpreter is exiting: nobody will await these.
            std::mem::forget(batch);
            continue;
        };
        // A panic must not take the delivery thread (and every later result) with it.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            Python::attach(|py| hand_over(py, batch))
        }));
    }
}

/// Group `batch` by event loop and schedule each group's resolution there.
fn hand_over(py: Python<'_>, batch: Vec<Done>) {
    let mut loops: Vec<(Py<PyAny>, Vec<Py<PyAny>>)> = Vec::new();
    for done in batch {
        let (ok, value) = match (done.outcome)(py) {
            Ok(v) => (true, v),
            Err(e) => (false, e.into_value(py).into_any()),
        };
        let Ok(item) = (done.future, ok, value).into_py_any(py) else {
            continue;
        };
        match loops
            .iter_mut()
            .find(|(l, _)| l.as_ptr() == done.event_loop.as_ptr())
        {
            Some((_, items)) => items.push(item),
            None => loops.push((done.event_loop, vec![item])),
        }
    }
    for (event_loop, items) in loops {
        let Ok(list) = PyList::new(py, items) else {
            continue;
        };
        // Fails only once the loop is closed: then nothing awaits these.
        let _ = event_loop.call_method1(
            py,
            pyo3::intern!(py, "call_soon_threadsafe"),
            (Resolve, list),
        );
    }
}
