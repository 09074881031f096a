//! (L3) The cycle collector. **Start here**: [`collect_main`] is the whole pipeline, one call per
//! step, in the order of `docs/design.md` and CPython 3.13's `gc_collect_main`.

mod destroy;
mod reach;
mod teardown;

use std::time::{Duration, Instant};

use crate::heap::{CallbackInfo, DebugFlags, GENERATIONS, Heap, OLDEST, Phase, Scratch, older};
use crate::list::Marks;
use crate::unraisable::{self, write_stderr};
use crate::unwind::{self, FirstPanic};
use crate::vtable::TypeName;

pub(crate) use reach::traverse;
pub(crate) use teardown::at_thread_exit;

/// What one collection found.
struct Outcome {
    /// Unreachable objects destroyed (CPython's `m`).
    collected: usize,
    /// Unreachable objects that could not be destroyed (CPython's `n`; pymem has no
    /// legacy `tp_del` finalizers, so this stays 0).
    uncollectable: usize,
    candidates: usize,
    duration: Duration,
    /// The first `Drop` that panicked while the garbage was destroyed.
    panic: FirstPanic,
}

/// One collection of generation `g`, the steps numbered as in `docs/design.md` ("The
/// collector pipeline"). The caller holds the `collecting` guard and runs the callbacks.
fn collect_main(heap: &Heap, g: usize) -> Outcome {
    let started = Instant::now();
    heap.validate();
    let Scratch {
        young,
        unreachable,
        seen,
        still,
    } = heap.scratch();
    let old = heap.list(older(g));
    if heap.freed_types().is_enabled() {
        heap.freed_types().record(core::iter::empty()); // stays empty if nothing is freed
    }
    // 1. The DEBUG_STATS header; count[g+1] += 1, count[0..=g] = 0.
    // 2. Generations 0..=g into `young` (later allocations go to generation 0).
    debug_stats_start(heap, g);
    heap.gather(g);
    // 3-5. update_refs, subtract_refs, mark_reachable + move_unreachable.
    let reach = heap.with_mark_stack(|stack| {
        reach::deduce_unreachable(young, unreachable, heap.list(g), stack)
    });
    // 6. The survivors to the next generation.
    heap.promote_survivors(g, reach.survivors);
    unreachable.validate(Marks::Collecting);
    // 7. DEBUG_COLLECTABLE: naming objects and writing lines run user code, as finalizers
    //    do (the first panic of a `Drop` it causes is kept for step 12).
    let mut panic = FirstPanic::default();
    let named = debug_collectable(heap, unreachable, seen, &mut panic);
    // 8. Weak references to (and held by) the garbage cleared, then the callbacks due.
    destroy::handle_weakrefs(unreachable, old);
    // 9. Finalizers, once each, on intact objects; a `Drop` run here may panic.
    let finalized = match reach.finalizers_due {
        true => {
            let (ran, dropping) = destroy::finalize_garbage(unreachable, seen);
            panic.absorb(dropping);
            ran
        }
        false => false,
    };
    // 10. If user code ran on the set (steps 7 and 9): reachability again over it;
    //     resurrected objects to `old`.
    match finalized || named {
        true => destroy::handle_resurrected_objects(heap, unreachable, still, old),
        false => still.merge_from(unreachable),
    }
    // 11. Drop the values, then free the blocks whose count reaches zero (DEBUG_SAVEALL:
    //     keep everything in gc.garbage instead); a full collection clears the free lists
    //     (CPython's `_PyGC_ClearAllFreeLists`) and gives the allocator's spare pools back.
    let collected = match heap.debugging(DebugFlags::SAVEALL) {
        true => destroy::save_all(heap, still, old),
        false => {
            let (collected, dropping) = destroy::delete_garbage(heap, still);
            panic.absorb(dropping);
            collected
        }
    };
    heap.validate();
    if g == OLDEST {
        crate::alloc::clear_free_lists(heap);
    }
    // 12. Statistics and the DEBUG_STATS summary (the caller runs the stop callbacks, then
    //     re-raises the kept panic).
    let outcome = Outcome {
        collected,
        uncollectable: 0,
        candidates: reach.candidates,
        duration: started.elapsed(),
        panic,
    };
    heap.record_collection(g, outcome.collected, outcome.uncollectable);
    debug_stats_done(heap, &outcome);
    outcome
}

/// `gc.collect(g)`: a collection with callbacks, or 0 if one is already running.
pub(crate) fn collect(heap: &Heap, g: usize) -> usize {
    if heap.is_collecting() {
        return 0;
    }
    collect_with_callbacks(heap, g)
}

/// The automatic trigger, when `count[0]` passed `threshold[0]` on a tracked allocation:
/// collects the oldest generation whose count exceeds its threshold, skipping a full
/// collection until the objects promoted since the last one reach 25% of the long-lived
/// total (CPython's `gc_collect_generations`).
#[cold]
#[inline(never)]
pub(crate) fn collect_automatic(heap: &Heap) {
    if heap.is_collecting() {
        return;
    }
    if let Some(g) = choose_generation(heap) {
        collect_with_callbacks(heap, g);
    }
}

fn choose_generation(heap: &Heap) -> Option<usize> {
    GENERATIONS
        .into_iter()
        .rev()
        .find(|&g| heap.over_threshold(g) && (g < OLDEST || heap.full_collection_due()))
}

/// Runs the "start" callbacks, the collection and the "stop" callbacks under the
/// `collecting` guard; then re-raises a `Drop` panic caught while destroying garbage.
fn collect_with_callbacks(heap: &Heap, g: usize) -> usize {
    let guard = CollectingGuard::enter(heap);
    let start = CallbackInfo {
        generation: g,
        ..CallbackInfo::default()
    };
    invoke_callbacks(heap, Phase::Start, &start);
    let outcome = collect_main(heap, g);
    let stop = CallbackInfo {
        generation: g,
        collected: outcome.collected,
        uncollectable: outcome.uncollectable,
        candidates: outcome.candidates,
        duration: outcome.duration,
    };
    invoke_callbacks(heap, Phase::Stop, &stop);
    drop(guard);
    outcome.panic.resume();
    outcome.collected + outcome.uncollectable
}

/// Calls each registered callback; one that panics is reported as unraisable and the rest
/// still run. The list is copied first, so callbacks may add or remove callbacks; a
/// callback removed meanwhile is dropped here, with its drop's panic reported too.
fn invoke_callbacks(heap: &Heap, phase: Phase, info: &CallbackInfo) {
    if heap.callbacks().is_empty() {
        return;
    }
    for (id, callback) in heap.callbacks().snapshot() {
        if let Err(panic) = unwind::catch(|| callback(phase, info)) {
            unraisable::report(panic, &format!("<gc callback {}>", id.0));
        }
        unraisable::drop_reporting(callback, || format!("gc callback {}", id.0));
    }
}

/// Sets `collecting`; clears it when the collection returns or unwinds.
struct CollectingGuard<'a>(&'a Heap);

impl<'a> CollectingGuard<'a> {
    fn enter(heap: &'a Heap) -> CollectingGuard<'a> {
        heap.set_collecting(true);
        CollectingGuard(heap)
    }
}

impl Drop for CollectingGuard<'_> {
    fn drop(&mut self) {
        self.0.set_collecting(false);
    }
}

/// `DEBUG_COLLECTABLE`: one line per unreachable object, before anything is destroyed.
///
/// Naming an object (`Trace::fmt_type_name`) and writing the line (to a stderr the program
/// may have replaced) are user code, which may drop or stash references into the set. So
/// each object is handled as `destroy::finalize_garbage` handles finalizers: moved to
/// `seen` (the walk always takes the set's first object, whatever user code freed) and
/// held by a temporary reference while its line is made. Returns whether any line was
/// written: the set may have changed, and step 10 must check its reachability again.
fn debug_collectable(
    heap: &Heap,
    unreachable: &crate::list::GcList,
    seen: &crate::list::GcList,
    panic: &mut FirstPanic,
) -> bool {
    if !heap.debugging(DebugFlags::COLLECTABLE) || unreachable.is_empty() {
        return false;
    }
    while let Some(gc) = unreachable.first() {
        seen.move_in(gc);
        let obj = gc.obj();
        obj.incref();
        let addr = obj.addr();
        // Nothing in the set is destroyed before step 11, and the temporary reference
        // keeps this object alive whatever the user code does: its value is alive.
        write_stderr(format_args!(
            "gc: collectable <{} {addr:#x}>\n",
            TypeName(obj)
        ));
        if obj.decref() == 0 {
            panic.keep_err(unwind::catch(|| crate::object::drop_slow_erased(obj)));
        }
    }
    unreachable.merge_from(seen);
    true
}

fn debug_stats_start(heap: &Heap, g: usize) {
    if !heap.debugging(DebugFlags::STATS) {
        return;
    }
    let [a, b, c] = GENERATIONS.map(|g| heap.list(g).len());
    write_stderr(format_args!(
        "gc: collecting generation {g}...\n\
         gc: objects in each generation: {a} {b} {c}\n\
         gc: objects in permanent generation: {}\n",
        heap.freeze_count()
    ));
}

fn debug_stats_done(heap: &Heap, outcome: &Outcome) {
    if !heap.debugging(DebugFlags::STATS) {
        return;
    }
    write_stderr(format_args!(
        "gc: done, {} unreachable, {} uncollectable, {:.4}s elapsed\n",
        outcome.collected + outcome.uncollectable,
        outcome.uncollectable,
        outcome.duration.as_secs_f64()
    ));
}
