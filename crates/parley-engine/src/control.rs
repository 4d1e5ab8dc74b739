//! Thread pools, cancellation and progress reporting for long computations.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::{Error, Result};

/// Builds the engine's thread pool with `n_threads` threads named `parley-engine-N`.
///
/// The engine never uses rayon's global pool: functions that run in parallel take this pool.
/// Results never depend on the number of threads.
pub fn build_thread_pool(n_threads: usize) -> Result<rayon::ThreadPool> {
    if n_threads == 0 {
        return Err(Error::ZeroThreads { n_threads });
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(n_threads)
        .thread_name(|thread_idx| format!("parley-engine-{thread_idx}"))
        .build()
        .map_err(|err| Error::ThreadPool { message: err.to_string() })
}

/// How a caller watches and stops a long computation.
///
/// The cancel flag is polled every few thousand steps; once it is set the computation returns
/// [`Error::Cancelled`]. Progress is reported as `(done, total)` in units that only make sense
/// relative to each other.
#[derive(Clone, Copy, Default)]
pub struct Control<'a> {
    /// Set to `true` to stop the computation.
    pub cancel: Option<&'a AtomicBool>,
    /// Called now and then with `(done, total)`, from any thread.
    pub progress: Option<&'a (dyn Fn(u64, u64) + Sync)>,
}

impl Control<'_> {
    /// A control that never cancels and reports nothing.
    pub fn none() -> Control<'static> {
        Control { cancel: None, progress: None }
    }

    /// Returns [`Error::Cancelled`] once the cancel flag is set.
    pub(crate) fn check(&self) -> Result<()> {
        match self.cancel {
            Some(flag) if flag.load(Ordering::Relaxed) => Err(Error::Cancelled),
            _ => Ok(()),
        }
    }

    pub(crate) fn report(&self, done: u64, total: u64) {
        if let Some(progress) = self.progress {
            progress(done, total);
        }
    }
}

impl std::fmt::Debug for Control<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Control")
            .field("cancel", &self.cancel)
            .field("progress", &self.progress.map(|_| "..."))
            .finish()
    }
}
