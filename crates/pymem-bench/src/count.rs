//! Objects allocated and freed by the workload's node types, counted per thread. Every
//! node type of every peer counts its `Drop`, so the outcome proves what was freed.

use std::cell::Cell;

thread_local! {
    static ALLOCATED: Cell<u64> = const { Cell::new(0) };
    static FREED: Cell<u64> = const { Cell::new(0) };
}

/// One node allocated.
#[inline]
pub fn allocated() {
    ALLOCATED.set(ALLOCATED.get() + 1);
}

/// One node freed (called from the node types' `Drop`).
#[inline]
pub fn freed() {
    FREED.set(FREED.get() + 1);
}

/// `(allocated, freed)` since the last reset.
pub fn totals() -> (u64, u64) {
    (ALLOCATED.get(), FREED.get())
}

/// Starts counting from zero.
pub fn reset() {
    ALLOCATED.set(0);
    FREED.set(0);
}
