//! Thread pools, cancellation, work budgets and progress reporting for long computations.
//!
//! A computation given a [`Control`] with a [`Budget`] stops, with [`Error::OverBudget`],
//! once it has taken more steps than the budget allows, once a set it keeps would need more
//! memory than it allows, or once the caller's deadline has passed; it stops with
//! [`Error::Cancelled`] once the cancel flag is set. Either way it stops within a few
//! thousand steps, and it never hangs: every loop of the engine that can run long takes its
//! steps from the budget.
//!
//! A *step* is one unit of the work an algorithm does: one partial or whole outcome built in
//! a frontier layer, one node of a branch and bound, one outcome enumerated, one set of
//! concessions tried. Steps are counted the same way on every machine and for every number
//! of threads, so a step limit stops a computation at the same point everywhere; a deadline
//! does not, as it depends on the machine's speed. The engine reads no clock: the deadline is
//! a function the caller passes in.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

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

/// The limits of a [`Budget`]: `None` is no limit.
#[derive(Clone, Copy, Default)]
pub struct Limits<'a> {
    /// The most steps (see the [module documentation](self)) the computation may take.
    pub max_steps: Option<u64>,
    /// The most memory, in bytes, the sets the computation keeps may need (an estimate of
    /// the outcomes, utilities and back-pointers it holds at once).
    pub max_bytes: Option<u64>,
    /// Returns `true` once the computation's time is up. Called every few thousand steps,
    /// from any thread; the engine does no I/O, so the caller reads the clock.
    pub out_of_time: Option<&'a (dyn Fn() -> bool + Sync)>,
}

impl Limits<'_> {
    /// No limit at all.
    pub fn unlimited() -> Limits<'static> {
        Limits { max_steps: None, max_bytes: None, out_of_time: None }
    }
}

impl std::fmt::Debug for Limits<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Limits")
            .field("max_steps", &self.max_steps)
            .field("max_bytes", &self.max_bytes)
            .field("out_of_time", &self.out_of_time.map(|_| "..."))
            .finish()
    }
}

/// Which limit of a budget a computation ran into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exceeded {
    /// It took more steps than allowed.
    Steps {
        /// The limit.
        max_steps: u64,
    },
    /// A set it keeps would need more memory than allowed.
    Memory {
        /// The limit, in bytes.
        max_bytes: u64,
        /// The estimate of what was needed, in bytes.
        needed_bytes: u64,
    },
    /// Its time was up.
    Time,
}

impl std::fmt::Display for Exceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Exceeded::Steps { max_steps } => write!(f, "the limit of {max_steps} steps"),
            Exceeded::Memory { max_bytes, needed_bytes } => write!(
                f,
                "the memory limit of {} MiB (its sets needed about {} MiB)",
                max_bytes.div_ceil(1 << 20),
                needed_bytes.div_ceil(1 << 20)
            ),
            Exceeded::Time => write!(f, "the time allowed"),
        }
    }
}

/// A work budget: [`Limits`] and the steps spent so far, shared by every thread of the
/// computation it is given to.
pub struct Budget<'a> {
    limits: Limits<'a>,
    spent: AtomicU64,
}

impl<'a> Budget<'a> {
    /// A fresh budget: no step spent yet.
    pub fn new(limits: Limits<'a>) -> Budget<'a> {
        Budget { limits, spent: AtomicU64::new(0) }
    }

    /// Its limits.
    pub fn limits(&self) -> Limits<'a> {
        self.limits
    }

    /// The steps spent so far.
    pub fn steps_spent(&self) -> u64 {
        self.spent.load(Ordering::Relaxed)
    }

    fn over(&self, exceeded: Exceeded) -> Error {
        Error::OverBudget { exceeded, steps: self.steps_spent() }
    }
}

impl std::fmt::Debug for Budget<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Budget")
            .field("limits", &self.limits)
            .field("spent", &self.steps_spent())
            .finish()
    }
}

/// How a caller watches, bounds and stops a long computation.
///
/// The cancel flag and the deadline are polled every few thousand steps; once the flag is
/// set the computation returns [`Error::Cancelled`], once the budget is spent
/// [`Error::OverBudget`]. Progress is reported as `(done, total)` in units that only make
/// sense relative to each other.
#[derive(Clone, Copy, Default)]
pub struct Control<'a> {
    /// Set to `true` to stop the computation.
    pub cancel: Option<&'a AtomicBool>,
    /// Called now and then with `(done, total)`, from any thread.
    pub progress: Option<&'a (dyn Fn(u64, u64) + Sync)>,
    /// The work the computation may do; `None` is no limit.
    pub budget: Option<&'a Budget<'a>>,
}

impl<'a> Control<'a> {
    /// A control that never cancels, has no limit and reports nothing.
    pub fn none() -> Control<'static> {
        Control { cancel: None, progress: None, budget: None }
    }

    /// This control, stopped by `cancel` too.
    pub fn with_cancel(self, cancel: &'a AtomicBool) -> Control<'a> {
        Control { cancel: Some(cancel), ..self }
    }

    /// This control, bounded by `budget`.
    pub fn with_budget(self, budget: &'a Budget<'a>) -> Control<'a> {
        Control { budget: Some(budget), ..self }
    }

    /// Returns [`Error::Cancelled`] once the cancel flag is set, and [`Error::OverBudget`]
    /// once the deadline has passed.
    pub fn check(&self) -> Result<()> {
        if let Some(flag) = self.cancel
            && flag.load(Ordering::Relaxed)
        {
            return Err(Error::Cancelled);
        }
        if let Some(budget) = self.budget
            && let Some(out_of_time) = budget.limits.out_of_time
            && out_of_time()
        {
            return Err(budget.over(Exceeded::Time));
        }
        Ok(())
    }

    /// Takes `steps` steps from the budget, then [checks](Control::check). Loops call this
    /// every few thousand steps with the steps taken since the last call.
    pub fn spend(&self, steps: u64) -> Result<()> {
        if let Some(budget) = self.budget {
            let spent = budget.spent.fetch_add(steps, Ordering::Relaxed).saturating_add(steps);
            if let Some(max_steps) = budget.limits.max_steps
                && spent > max_steps
            {
                return Err(budget.over(Exceeded::Steps { max_steps }));
            }
        }
        self.check()
    }

    /// Returns [`Error::OverBudget`] if sets of `bytes` bytes in all exceed the memory
    /// limit. Called before a set is allocated and as sets grow, with the estimate of all
    /// the sets the computation keeps at that moment.
    pub fn reserve(&self, bytes: u64) -> Result<()> {
        match self.budget {
            Some(budget) if budget.limits.max_bytes.is_some_and(|max_bytes| bytes > max_bytes) => {
                let max_bytes = budget.limits.max_bytes.unwrap_or(u64::MAX);
                Err(budget.over(Exceeded::Memory { max_bytes, needed_bytes: bytes }))
            }
            _ => Ok(()),
        }
    }

    /// The memory limit, in bytes, when there is one.
    pub fn max_bytes(&self) -> Option<u64> {
        self.budget.and_then(|budget| budget.limits.max_bytes)
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
            .field("budget", &self.budget)
            .finish()
    }
}

/// Counts steps taken in a loop and spends them from the budget every [`Meter::BATCH`].
pub(crate) struct Meter<'a> {
    control: &'a Control<'a>,
    pending: u64,
}

impl<'a> Meter<'a> {
    /// How many steps a loop takes between two calls to [`Control::spend`].
    pub(crate) const BATCH: u64 = 4096;

    pub(crate) fn new(control: &'a Control<'a>) -> Meter<'a> {
        Meter { control, pending: 0 }
    }

    /// Counts `steps` more steps; spends them once a batch is full.
    #[inline]
    pub(crate) fn tick(&mut self, steps: u64) -> Result<()> {
        self.pending += steps;
        if self.pending >= Self::BATCH { self.flush() } else { Ok(()) }
    }

    /// Spends the steps counted so far.
    pub(crate) fn flush(&mut self) -> Result<()> {
        let pending = std::mem::take(&mut self.pending);
        self.control.spend(pending)
    }

    pub(crate) fn control(&self) -> &'a Control<'a> {
        self.control
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_stops_at_its_step_limit_and_says_so() {
        let budget = Budget::new(Limits { max_steps: Some(10), ..Limits::unlimited() });
        let control = Control::none().with_budget(&budget);
        assert_eq!(control.spend(10), Ok(()));
        let err = control.spend(1).unwrap_err();
        assert_eq!(
            err,
            Error::OverBudget { exceeded: Exceeded::Steps { max_steps: 10 }, steps: 11 }
        );
        assert_eq!(
            err.to_string(),
            "the computation ran past the limit of 10 steps (after 11 steps)"
        );
    }

    #[test]
    fn a_deadline_and_a_cancel_flag_are_seen_by_check() {
        let late = AtomicBool::new(false);
        let out_of_time = || late.load(Ordering::Relaxed);
        let budget = Budget::new(Limits { out_of_time: Some(&out_of_time), ..Limits::unlimited() });
        let cancel = AtomicBool::new(false);
        let control = Control::none().with_budget(&budget).with_cancel(&cancel);
        assert_eq!(control.check(), Ok(()));
        late.store(true, Ordering::Relaxed);
        assert!(matches!(control.check(), Err(Error::OverBudget { exceeded: Exceeded::Time, .. })));
        cancel.store(true, Ordering::Relaxed);
        assert_eq!(control.check(), Err(Error::Cancelled));
    }

    #[test]
    fn memory_beyond_the_limit_is_refused() {
        let budget = Budget::new(Limits { max_bytes: Some(1 << 20), ..Limits::unlimited() });
        let control = Control::none().with_budget(&budget);
        assert_eq!(control.reserve(1 << 20), Ok(()));
        let err = control.reserve(3 << 20).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the computation ran past the memory limit of 1 MiB (its sets needed about 3 MiB) (after 0 steps)"
        );
        assert_eq!(Control::none().reserve(u64::MAX), Ok(()));
    }
}
