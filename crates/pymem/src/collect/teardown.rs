//! (L3) Thread exit, CPython's interpreter shutdown for this thread's heap: the
//! `weakref.finalize` exit pass, the shutdown warning about `gc.garbage`, the release of
//! what user code registered, and full collections until nothing is left. The heap calls
//! [`at_thread_exit`] from its thread-local destructor (its one call up the layers
//! besides the automatic collection), then frees itself.

use super::{CollectingGuard, collect_main};
use crate::erased::Object;
use crate::heap::{DebugFlags, Heap, OLDEST};
use crate::unraisable::{self, drop_reporting, write_stderr};
use crate::unwind;

/// Everything the collector does at thread exit, in CPython's order. A thread-local
/// destructor must not unwind: every panic is reported, and what user code owns goes one
/// item at a time, each drop's panic reported.
pub(crate) fn at_thread_exit(heap: &Heap) {
    run_atexit(heap);
    // After the atexit functions and before gc.garbage goes, as in CPython's
    // `finalize_modules`.
    dump_shutdown_stats(heap);
    for (id, callback) in heap.callbacks().take() {
        drop_reporting(callback, || format!("gc callback {}", id.0));
    }
    for object in crate::erased::take_garbage(heap) {
        drop_reporting(object, || "an object of gc.garbage at thread exit".into());
    }
    for pending in heap.at_exit().take() {
        drop_reporting(pending, || "a weakref.finalize at thread exit".into());
    }
    collect_at_teardown(heap);
    heap.trashcan().flush();
}

/// At thread exit, before the final collection: the live finalizers with `atexit` set run,
/// newest first, including ones registered meanwhile (CPython's `finalize._exitfunc`). A
/// panic is reported and the rest still run. Afterwards no finalizer runs on this thread.
fn run_atexit(heap: &Heap) {
    while let Some(due) = heap.at_exit().next_due() {
        if let Err(panic) = unwind::catch(|| due.fire()) {
            unraisable::report(panic, "<weakref.finalize at exit>");
        }
    }
    heap.at_exit().shut_down();
}

/// Thread exit: full collections without callbacks until one finds nothing (bounded, in
/// case `Drop` impls keep making garbage). Panics are reported, not propagated, since a
/// thread-local destructor must not unwind. `DEBUG_SAVEALL` is dropped first: `gc.garbage`
/// has been released, and garbage saved into it now would never be freed.
fn collect_at_teardown(heap: &Heap) {
    if heap.is_collecting() {
        return;
    }
    let _guard = CollectingGuard::enter(heap);
    for _ in 0..8 {
        // Again before each run: a `Drop` of the last run may have set it.
        heap.set_debug_flags(heap.debug_flags() - DebugFlags::SAVEALL);
        let (collected, panic) = match unwind::catch(|| collect_main(heap, OLDEST)) {
            Ok(outcome) => (outcome.collected, outcome.panic.take()),
            Err(panic) => (usize::MAX, Some(panic)),
        };
        if let Some(panic) = panic {
            unraisable::report(panic, "<gc at thread exit>");
        } else if collected == 0 {
            break;
        }
    }
}

/// Thread exit (CPython: interpreter shutdown) with objects left in `gc.garbage` and
/// `DEBUG_SAVEALL` off: CPython's `ResourceWarning`, as its warnings module prints it, and
/// under `DEBUG_UNCOLLECTABLE` the list itself, indented by 6 (`_PyGC_DumpShutdownStats`).
/// pymem has no warning filters, so the line is always printed (CPython's default filters
/// ignore `ResourceWarning`; `-W default` and `-X dev` show it).
fn dump_shutdown_stats(heap: &Heap) {
    let debug = heap.debug_flags();
    // Formatted under the borrow (an `Object`'s `Debug` runs no user code) and written
    // after it, so that a `Write` impl that calls back into `gc` finds the list free.
    let text = {
        let garbage: Vec<Object> = heap
            .garbage()
            .snapshot()
            .into_iter()
            .map(Object::new)
            .collect();
        if debug.contains(DebugFlags::SAVEALL) || garbage.is_empty() {
            return;
        }
        let listed = debug.contains(DebugFlags::UNCOLLECTABLE);
        let hint = if listed {
            ""
        } else {
            "; use gc.set_debug(gc.DEBUG_UNCOLLECTABLE) to list them"
        };
        let mut text = format!(
            "gc:0: ResourceWarning: gc: {} uncollectable objects at shutdown{hint}\n",
            garbage.len()
        );
        if listed {
            text += &format!("      {garbage:?}\n");
        }
        text
    };
    write_stderr(format_args!("{text}"));
}
