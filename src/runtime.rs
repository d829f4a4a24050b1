//! The tokio runtimes and HTTP clients, and the one choke point through which
//! Python waits on Rust futures.
//!
//! Two kinds of runtime, each with its own pooled clients (a client's
//! connections are driven by the runtime that opened them, so a client is only
//! used inside its own runtime):
//! - the process-wide multi-thread runtime ([`core`]) runs async calls and
//!   every stream's reading task;
//! - each Python thread that makes sync calls gets a current-thread runtime
//!   ([`wait`] drives it): the request, the connection and the socket are all
//!   polled on the calling thread, with no hand-off between threads. Measured
//!   on 2 cores, that halves a sync call's latency (most of it was futex and
//!   eventfd wake-ups between the caller and the workers).
//!
//! Everything is built lazily and rebuilt when the process id changes (a
//! forked child inherits the parent's memory but none of its threads or
//! sockets). Sync waits release the GIL and wake every [`TICK`] to run Python's
//! signal handlers, so Ctrl-C raises `KeyboardInterrupt` and drops the request.
//! Async calls are asyncio awaitables ([`crate::asyncio`]), spawned on the
//! process-wide runtime; cancelling the asyncio task drops the Rust future.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pyo3::prelude::*;

use crate::asyncio;
use crate::error::{Error, Kind};
use crate::http::{self, Verify};
use crate::shutdown;

/// How often a blocked sync call wakes to let Python handle signals.
const TICK: Duration = Duration::from_millis(20);

/// The pooled clients of one runtime, one per `ssl_verify` setting, built on first use.
#[derive(Default)]
struct Clients(Mutex<HashMap<Verify, reqwest::Client>>);

impl Clients {
    fn get(&self, verify: &Verify, idle: Duration) -> Result<reqwest::Client, Error> {
        let mut clients = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(c) = clients.get(verify) {
            return Ok(c.clone());
        }
        let c = http::client(verify, idle)?;
        clients.insert(verify.clone(), c.clone());
        Ok(c)
    }
}

/// How long a connection may sit idle in the process-wide pool.
const IDLE: Duration = Duration::from_secs(90);
/// The same for a thread's pool: its connections are only driven while that
/// thread is in a call, so a server's close of an idle connection goes unseen
/// until then; staying under the common 5 s server keep-alive avoids reusing one.
const THREAD_IDLE: Duration = Duration::from_secs(4);

/// The process-wide runtime, its clients, and the one thread that delivers
/// async results into Python ([`asyncio::deliver`]). One thread, because each
/// delivery takes the GIL: more threads only queue for it (measured: 500 calls
/// in flight went from 6.8k to 14k calls/s and 73 to 66 MB peak RSS against
/// tokio's blocking pool, which stays free for DNS lookups).
pub struct Core {
    pid: u32,
    pub runtime: tokio::runtime::Runtime,
    clients: Clients,
    deliver: std::sync::mpsc::Sender<asyncio::Done>,
}

impl Core {
    /// Where a finished async task queues its result for the delivery thread.
    pub fn delivery(&self) -> std::sync::mpsc::Sender<asyncio::Done> {
        self.deliver.clone()
    }
}

/// A Python thread's own runtime and clients, for its sync calls.
struct Local {
    pid: u32,
    runtime: tokio::runtime::Runtime,
    clients: Clients,
}

thread_local! {
    static LOCAL: std::cell::RefCell<Option<Arc<Local>>> = const { std::cell::RefCell::new(None) };
}

/// This thread's runtime, built on first use or after a fork.
fn local() -> Result<Arc<Local>, Error> {
    let pid = std::process::id();
    LOCAL.with(|slot| {
        let mut slot = slot.borrow_mut();
        if let Some(l) = slot.as_ref().filter(|l| l.pid == pid) {
            return Ok(Arc::clone(l));
        }
        if let Some(stale) = slot.take() {
            std::mem::forget(stale);
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::new(Kind::Api, format!("cannot start the tokio runtime: {e}")))?;
        let l = Arc::new(Local {
            pid,
            runtime,
            clients: Clients::default(),
        });
        *slot = Some(Arc::clone(&l));
        Ok(l)
    })
}

/// The pooled client, for a call's `ssl_verify`, of the runtime polling the
/// caller: the thread's own runtime inside [`wait`], else the process-wide one.
pub fn client(verify: &Verify) -> Result<reqwest::Client, Error> {
    use tokio::runtime::{Handle, RuntimeFlavor};
    match Handle::try_current().map(|h| h.runtime_flavor()) {
        Ok(RuntimeFlavor::CurrentThread) => {
            // Inside `wait`, which has just checked this thread's runtime.
            let current = LOCAL.with(|slot| slot.borrow().clone());
            match current {
                Some(l) => l.clients.get(verify, THREAD_IDLE),
                None => local()?.clients.get(verify, THREAD_IDLE),
            }
        }
        _ => core()?.clients.get(verify, IDLE),
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
    let (deliver, done) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("elc-deliver".into())
        .spawn(move || asyncio::deliver(done))
        .map_err(|e| Error::new(Kind::Api, format!("cannot start a thread: {e}")))?;
    let core = Arc::new(Core {
        pid,
        runtime,
        clients: Clients::default(),
        deliver,
    });
    *slot = Some(Arc::clone(&core));
    Ok(core)
}

/// Run `fut` to completion on the calling thread's own runtime with the GIL
/// released, raising `KeyboardInterrupt` (and dropping the future, which
/// closes its connection) if a signal handler raises while waiting.
pub fn wait<F, T>(py: Python<'_>, fut: F) -> PyResult<T>
where
    F: Future<Output = Result<T, Error>> + Send,
    T: Send,
{
    let local = local()?;
    let mut fut = Box::pin(fut);
    loop {
        let (step, entry) = py.detach(|| {
            let step = local.runtime.block_on(async {
                let step = tokio::time::timeout(TICK, fut.as_mut()).await;
                if step.is_ok() {
                    settle().await;
                }
                step
            });
            match shutdown::enter() {
                Some(entry) => (step, entry),
                None => shutdown::park_forever(),
            }
        });
        drop(entry);
        match step {
            Ok(result) => return result.map_err(PyErr::from),
            Err(_elapsed) => {
                if let Err(interrupt) = py.check_signals() {
                    drop(fut);
                    py.detach(|| local.runtime.block_on(settle()));
                    return Err(interrupt);
                }
            }
        }
    }
}

/// Let the thread's runtime run what the finished (or dropped) call left
/// ready: its connection task, which hands the connection back to the pool or,
/// for an abandoned request, closes it. Without this the runtime would sit
/// idle until the thread's next call.
async fn settle() {
    tokio::task::yield_now().await;
}

/// Run `fut` on the process-wide runtime (for work that outlives the call,
/// like a stream's connection) and wait for it from wherever this is awaited;
/// dropping the returned future aborts the task.
pub async fn on_core<F, T>(fut: F) -> Result<T, Error>
where
    F: Future<Output = Result<T, Error>> + Send + 'static,
    T: Send + 'static,
{
    struct AbortOnDrop(tokio::task::AbortHandle);
    impl Drop for AbortOnDrop {
        fn drop(&mut self) {
            self.0.abort();
        }
    }
    let handle = spawn(fut)?;
    let _guard = AbortOnDrop(handle.abort_handle());
    handle
        .await
        .map_err(|e| Error::new(Kind::Api, format!("the native task failed: {e}")))?
}

/// Spawn a background task on the current process's runtime.
pub fn spawn<F>(fut: F) -> Result<tokio::task::JoinHandle<F::Output>, Error>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    Ok(core()?.runtime.spawn(fut))
}
