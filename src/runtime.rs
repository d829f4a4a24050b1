//! The process-wide tokio runtime and HTTP client, and the one choke point
//! through which Python waits on Rust futures.
//!
//! Both are built lazily on first use and rebuilt when the process id changes
//! (a forked child inherits the parent's memory but none of its threads or
//! sockets). Sync waits release the GIL and wake every [`TICK`] to run Python's
//! signal handlers, so Ctrl-C raises `KeyboardInterrupt` and drops the request.
//! Async calls are asyncio awaitables through `pyo3-async-runtimes`, spawned on
//! the same runtime; cancelling the asyncio task drops the Rust future.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pyo3::prelude::*;
use pyo3_async_runtimes::generic::{ContextExt, JoinError, Runtime as AsyncRuntime};
use pyo3_async_runtimes::TaskLocals;

use crate::error::{Error, Kind};
use crate::http::{self, Verify};
use crate::shutdown;

/// How often a blocked sync call wakes to let Python handle signals.
const TICK: Duration = Duration::from_millis(20);

/// The runtime and pooled clients of one process.
pub struct Core {
    pid: u32,
    pub runtime: tokio::runtime::Runtime,
    /// The client of every call with the default `ssl_verify=True`.
    default_client: reqwest::Client,
    /// Clients for other `ssl_verify` values, built on first use.
    other_clients: Mutex<HashMap<Verify, reqwest::Client>>,
}

impl Core {
    /// The pooled client for a call's `ssl_verify` setting.
    pub fn client(&self, verify: &Verify) -> Result<reqwest::Client, Error> {
        if *verify == Verify::Flag(true) {
            return Ok(self.default_client.clone());
        }
        let mut clients = self
            .other_clients
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(c) = clients.get(verify) {
            return Ok(c.clone());
        }
        let c = http::client(verify)?;
        clients.insert(verify.clone(), c.clone());
        Ok(c)
    }
}

static CORE: Mutex<Option<Arc<Core>>> = Mutex::new(None);

/// The current process's core, building it on first use or after a fork.
pub fn core() -> Result<Arc<Core>, Error> {
    let pid = std::process::id();
    let mut slot = CORE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(core) = slot.as_ref().filter(|c| c.pid == pid) {
        return Ok(Arc::clone(core));
    }
    // A core inherited from the parent owns threads that do not exist here:
    // dropping it would join them, so it is leaked instead.
    if let Some(stale) = slot.take() {
        std::mem::forget(stale);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("elc-worker")
        .enable_all()
        .build()
        .map_err(|e| Error::new(Kind::Api, format!("cannot start the tokio runtime: {e}")))?;
    let core = Arc::new(Core {
        pid,
        runtime,
        default_client: http::client(&Verify::Flag(true))?,
        other_clients: Mutex::new(HashMap::new()),
    });
    *slot = Some(Arc::clone(&core));
    Ok(core)
}

/// Run `fut` to completion on the calling thread with the GIL released,
/// raising `KeyboardInterrupt` (and dropping the future, which closes its
/// connection) if a signal handler raises while waiting.
pub fn wait<F, T>(py: Python<'_>, fut: F) -> PyResult<T>
where
    F: Future<Output = Result<T, Error>> + Send,
    T: Send,
{
    let core = core()?;
    let mut fut = std::pin::pin!(fut);
    loop {
        let (step, entry) = py.detach(|| {
            let step = core
                .runtime
                .block_on(async { tokio::time::timeout(TICK, fut.as_mut()).await });
            match shutdown::enter() {
                Some(entry) => (step, entry),
                None => shutdown::park_forever(),
            }
        });
        drop(entry);
        match step {
            Ok(result) => return result.map_err(PyErr::from),
            Err(_elapsed) => py.check_signals()?,
        }
    }
}

/// Turn `fut` into an asyncio awaitable running on the core's runtime.
pub fn awaitable<'py, F, T>(py: Python<'py>, fut: F) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = Result<T, Error>> + Send + 'static,
    T: for<'a> IntoPyObject<'a> + Send + 'static,
{
    core()?;
    pyo3_async_runtimes::generic::future_into_py::<Elc, _, T>(py, async move {
        fut.await.map_err(PyErr::from)
    })
}

/// Spawn a background task on the current process's runtime.
pub fn spawn<F>(fut: F) -> Result<tokio::task::JoinHandle<F::Output>, Error>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    Ok(core()?.runtime.spawn(fut))
}

/// `pyo3-async-runtimes`' view of our runtime: spawns on the fork-aware core.
struct Elc;

tokio::task_local! {
    static TASK_LOCALS: TaskLocals;
}

/// A join error for a task that could not be spawned at all.
pub struct SpawnFailed(Option<tokio::task::JoinError>);

impl JoinError for SpawnFailed {
    fn is_panic(&self) -> bool {
        self.0.as_ref().is_some_and(|e| e.is_panic())
    }
    fn into_panic(self) -> Box<dyn std::any::Any + Send + 'static> {
        match self.0 {
            Some(e) if e.is_panic() => e.into_panic(),
            _ => Box::new("task was not run"),
        }
    }
}

impl AsyncRuntime for Elc {
    type JoinError = SpawnFailed;
    type JoinHandle = Pin<Box<dyn Future<Output = Result<(), SpawnFailed>> + Send>>;

    fn spawn<F>(fut: F) -> Self::JoinHandle
    where
        F: Future<Output = ()> + Send + 'static,
    {
        match spawn(fut) {
            Ok(handle) => Box::pin(async move { handle.await.map_err(|e| SpawnFailed(Some(e))) }),
            Err(_) => Box::pin(async { Err(SpawnFailed(None)) }),
        }
    }

    /// Runs `f`, which delivers a result into Python, unless the interpreter
    /// is exiting (then `f` is dropped unrun: see `shutdown`).
    fn spawn_blocking<F>(f: F) -> Self::JoinHandle
    where
        F: FnOnce() + Send + 'static,
    {
        let guarded = move || {
            if let Some(_entry) = shutdown::enter() {
                f();
            }
        };
        match core() {
            Ok(core) => {
                let handle = core.runtime.spawn_blocking(guarded);
                Box::pin(async move { handle.await.map_err(|e| SpawnFailed(Some(e))) })
            }
            Err(_) => Box::pin(async { Err(SpawnFailed(None)) }),
        }
    }
}

impl ContextExt for Elc {
    fn scope<F, R>(locals: TaskLocals, fut: F) -> Pin<Box<dyn Future<Output = R> + Send>>
    where
        F: Future<Output = R> + Send + 'static,
    {
        Box::pin(TASK_LOCALS.scope(locals, fut))
    }

    fn get_task_locals() -> Option<TaskLocals> {
        TASK_LOCALS.try_with(|l| l.clone()).ok()
    }
}
