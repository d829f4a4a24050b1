//! Interpreter exit with native work in flight.
//!
//! When Python finalizes, a native thread that re-enters the interpreter
//! (a sync call's thread waking up, or a tokio thread delivering an async
//! result) is killed inside `PyEval_RestoreThread`, which crashes a Rust
//! thread. So an `atexit` hook ([`shutdown`]) raises a flag before the
//! interpreter starts finalizing and waits, with the GIL released, for threads
//! already re-entering to finish. After that, threads other than the one that
//! ran the hook never re-enter: a sync caller parks for good (the process is
//! exiting) and an async result is dropped.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use pyo3::prelude::*;

static FINALIZING: AtomicBool = AtomicBool::new(false);
/// Native threads between deciding to re-enter Python and having left it.
static ENTERING: AtomicUsize = AtomicUsize::new(0);
/// The thread that ran the exit hook, which may keep calling in (later atexit hooks).
static EXIT_THREAD: AtomicU64 = AtomicU64::new(0);

/// How long the exit hook waits for in-progress re-entries.
const DRAIN: Duration = Duration::from_secs(2);

/// A non-zero number identifying the current thread.
fn thread_key() -> u64 {
    use std::hash::BuildHasher;
    std::hash::BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default()
        .hash_one(std::thread::current().id())
        | 1
}

/// A permit to re-enter Python, released by dropping it once back in.
pub struct Entry(());

impl Drop for Entry {
    fn drop(&mut self) {
        ENTERING.fetch_sub(1, Ordering::AcqRel);
    }
}

/// `Some` if this thread may re-enter the interpreter now.
pub fn enter() -> Option<Entry> {
    ENTERING.fetch_add(1, Ordering::AcqRel);
    let entry = Entry(());
    if FINALIZING.load(Ordering::Acquire) && EXIT_THREAD.load(Ordering::Acquire) != thread_key() {
        return None;
    }
    Some(entry)
}

/// Block this native thread for the rest of the process's life.
pub fn park_forever() -> ! {
    loop {
        std::thread::park();
    }
}

/// The `atexit` hook: stop native threads from re-entering the interpreter and
/// wait (up to 2 s, GIL released) for those already on their way in.
#[pyfunction]
pub fn shutdown(py: Python<'_>) {
    EXIT_THREAD.store(thread_key(), Ordering::Release);
    FINALIZING.store(true, Ordering::Release);
    py.detach(|| {
        let start = Instant::now();
        while ENTERING.load(Ordering::Acquire) > 0 && start.elapsed() < DRAIN {
            std::thread::sleep(Duration::from_millis(1));
        }
    });
}
