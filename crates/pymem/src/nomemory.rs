//! (L0) Fault injection for object allocations (the `fault-injection` feature): CPython's
//! `_testcapi.set_nomemory(start, stop)` and `remove_mem_hooks()`, plus a periodic variant.
//! [`crate::sys`] re-exports the functions.
//!
//! The state is one thread-local: a counter of the object allocations asked for since the
//! hook was installed, and the rule that says which of them fail. `alloc::try_allocate`
//! asks [`fails`] first, before the heap or the pools are touched, so an injected failure
//! changes nothing but the counter.

use core::cell::Cell;

/// Which allocations fail: number `n` (counted from 1 since the hook was installed) fails
/// when `start < n`, `stop == 0 || n <= stop`, and `n` is a multiple of `every`.
#[derive(Clone, Copy)]
struct Hook {
    count: usize,
    start: usize,
    stop: usize,
    /// 0: no hook installed.
    every: usize,
}

const NO_HOOK: Hook = Hook {
    count: 0,
    start: 0,
    stop: 0,
    every: 0,
};

thread_local! {
    /// Const-initialised with no destructor: usable during and after thread teardown.
    static HOOK: Cell<Hook> = const { Cell::new(NO_HOOK) };
}

impl Hook {
    fn fails(&self) -> bool {
        let n = self.count;
        n > self.start && (self.stop == 0 || n <= self.stop) && n.is_multiple_of(self.every)
    }
}

/// Counts one object allocation; whether it must fail. Cold: the hook is installed only in
/// tests; without it this costs a TLS load and a test.
#[inline]
pub(crate) fn fails() -> bool {
    let hook = HOOK.get();
    hook.every != 0 && count_and_test(hook)
}

#[cold]
#[inline(never)]
fn count_and_test(mut hook: Hook) -> bool {
    hook.count += 1;
    HOOK.set(hook);
    hook.fails()
}

/// `_testcapi.set_nomemory(start, stop)`: on this thread, object allocations fail after
/// `start` of them succeed, until `stop` have been asked for in all (`stop == 0`: failures
/// never stop), counting from this call. `set_nomemory(0, 0)` makes every allocation fail;
/// `set_nomemory(k - 1, k)` makes only the k-th fail.
///
/// A failing allocation makes [`Gc::try_new`](crate::Gc::try_new) return a
/// [`MemoryError`](crate::MemoryError) holding the value, and makes
/// [`Gc::new`](crate::Gc::new) call [`handle_alloc_error`](std::alloc::handle_alloc_error)
/// (which aborts the process), as `Box::new` does when the allocator fails. Only object
/// blocks count: the collector's own bookkeeping and other Rust allocations are not
/// affected. Replaces any earlier hook; [`remove_mem_hooks`] removes it.
///
/// Available with the `fault-injection` cargo feature only, so that allocations pay
/// nothing for it otherwise.
///
/// ```
/// use pymem::{Gc, sys};
///
/// sys::set_nomemory(1, 2); // the second allocation fails
/// let first = Gc::try_new(1).unwrap();
/// let error = Gc::try_new(2).unwrap_err();
/// let third = Gc::try_new(3).unwrap();
/// sys::remove_mem_hooks();
/// assert_eq!((*first, error.into_inner(), *third), (1, 2, 3));
/// ```
pub fn set_nomemory(start: usize, stop: usize) {
    HOOK.set(Hook {
        start,
        stop,
        every: 1,
        ..NO_HOOK
    });
}

/// On this thread, every `k`-th object allocation fails (the k-th, the 2k-th, … counting
/// from this call), with the effects [`set_nomemory`] describes. `k == 1` makes every
/// allocation fail. Replaces any earlier hook; [`remove_mem_hooks`] removes it. Available
/// with the `fault-injection` cargo feature only.
///
/// # Panics
/// If `k` is 0.
///
/// ```
/// use pymem::{Gc, sys};
///
/// sys::set_nomemory_every(3);
/// let failed: Vec<bool> = (0..6).map(|i| Gc::try_new(i).is_err()).collect();
/// sys::remove_mem_hooks();
/// assert_eq!(failed, [false, false, true, false, false, true]);
/// ```
pub fn set_nomemory_every(k: usize) {
    assert!(k > 0, "set_nomemory_every(0): k must be at least 1");
    HOOK.set(Hook {
        every: k,
        ..NO_HOOK
    });
}

/// `_testcapi.remove_mem_hooks()`: allocations on this thread stop failing. Available with
/// the `fault-injection` cargo feature only.
pub fn remove_mem_hooks() {
    HOOK.set(NO_HOOK);
}
