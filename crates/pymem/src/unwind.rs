//! (L0) Panics out of user code that pymem runs on the user's behalf: catching them, keeping
//! the first for later, and dropping payloads, whose own `Drop` is user code too.
//!
//! The rule (`docs/design.md`, "Soundness contract"): no unwind may leave a collector list
//! or a half-done step behind. Every call into user code made while pymem's state is in
//! the middle of a change goes through [`catch`]; what it catches is either reported as
//! unraisable (`unraisable::report`) or kept in a [`FirstPanic`] and resumed once the
//! state is consistent again. Every payload pymem lets go of is dropped with
//! [`drop_payload`], never by a plain `drop`, because a payload's `Drop` may panic again.

use core::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};

/// A caught panic's payload.
pub(crate) type Panic = Box<dyn Any + Send + 'static>;

/// How many payloads deep [`drop_payload`] follows payloads whose drop panics before it
/// forgets the last one.
const NESTED_PAYLOADS: usize = 8;

/// Runs user code, returning its panic instead of unwinding.
#[inline]
pub(crate) fn catch<R>(f: impl FnOnce() -> R) -> Result<R, Panic> {
    catch_unwind(AssertUnwindSafe(f))
}

/// Drops a payload whose `Drop` may panic. The payload of that panic is dropped the same
/// way, up to [`NESTED_PAYLOADS`] deep; one still panicking after that is forgotten (a
/// leak, reported by nothing): each drop could panic again without end.
pub(crate) fn drop_payload(panic: Panic) {
    let mut payload = panic;
    for _ in 0..NESTED_PAYLOADS {
        match catch(move || drop(payload)) {
            Ok(()) => return,
            Err(nested) => payload = nested,
        }
    }
    core::mem::forget(payload);
}

/// Drops a value that user code owns (a closure, a hook, a list of them), catching a
/// panic of its drop; the caller reports it.
pub(crate) fn drop_caught<T>(value: T) -> Result<(), Panic> {
    catch(move || drop(value))
}

/// The first panic of a phase that must run to its end, resumed when the collector is
/// consistent again. Later panics are dropped with [`drop_payload`], and so is the kept
/// one if it is never resumed (its holder unwinds for another reason).
#[derive(Default)]
pub(crate) struct FirstPanic(Option<Panic>);

impl FirstPanic {
    /// Keeps `panic` if it is the first, else drops it.
    pub(crate) fn keep(&mut self, panic: Panic) {
        match self.0 {
            None => self.0 = Some(panic),
            Some(_) => drop_payload(panic),
        }
    }

    /// Keeps the panic of `result`, if any.
    pub(crate) fn keep_err(&mut self, result: Result<(), Panic>) {
        if let Err(panic) = result {
            self.keep(panic);
        }
    }

    /// Moves `other`'s panic in (after this one's, which comes first).
    pub(crate) fn absorb(&mut self, mut other: FirstPanic) {
        if let Some(panic) = other.0.take() {
            self.keep(panic);
        }
    }

    /// Unwinds with the kept panic, if any.
    pub(crate) fn resume(mut self) {
        if let Some(panic) = self.0.take() {
            resume_unwind(panic);
        }
    }

    /// The kept panic, for a caller that reports it instead.
    pub(crate) fn take(mut self) -> Option<Panic> {
        self.0.take()
    }
}

impl Drop for FirstPanic {
    fn drop(&mut self) {
        if let Some(panic) = self.0.take() {
            drop_payload(panic);
        }
    }
}
