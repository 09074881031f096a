//! (L3) The cycle collector. **Start here**: [`collect_main`] is the whole pipeline, one call per
//! step, in the order of `docs/design.md` and CPython 3.13's `gc_collect_main`.

mod destroy;
mod reach;
mod teardown;

use std::time::{Duration, Instant};

use crate::heap::{CallbackInfo, DebugFlags, GenerationStats, Phase};
use crate::heap::{Heap, NUM_GENERATIONS};
use crate::list::Marks;
use crate::unraisable::{self, write_stderr};
use crate::unwind::{self, FirstPanic};
use destroy::RestoreOnUnwind;

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

/// One collection of generation `g` (0..=2). The caller holds the `collecting` guard.
fn collect_main(heap: &Heap, g: usize) -> Outcome {
    let started = Instant::now();
    debug_stats_start(heap, g);
    heap.validate();
    bump_counts(heap, g);
    // Merge the younger generations into a scratch list: objects allocated from here on
    // (by Drop impls) land in generation 0, never in the set being collected.
    let young = &heap.young;
    for generation in &heap.generations[..=g] {
        young.merge_from(&generation.list);
    }
    let old = &heap.generations[(g + 1).min(NUM_GENERATIONS - 1)].list;
    let unreachable = &heap.unreachable;
    // 1-3. update_refs, subtract_refs, move_unreachable.
    let home = &heap.generations[g].list;
    let reach =
        heap.with_mark_stack(|stack| reach::deduce_unreachable(young, unreachable, home, stack));
    // Survivors move to the next generation (stay in 2 after a full collection).
    promote_survivors(heap, g, reach.survivors);
    let restore = RestoreOnUnwind {
        from: unreachable,
        to: old,
    };
    unreachable.validate(Marks::Collecting);
    debug_collectable(heap, unreachable);
    // 4. Clear weak references to (and held by) the garbage, then run the callbacks due.
    destroy::handle_weakrefs(unreachable);
    core::mem::forget(restore);
    // 5. Finalizers (PEP 442), once each, on intact objects.
    // 6. If any ran: reachability again over the set; resurrected objects move to `old`.
    //    A `Drop` run here (a finalizer freed its own object) may panic: the first panic
    //    is kept for the end, the rest of the pipeline runs.
    let still = &heap.still;
    let (finalized, mut panic) = if reach.finalizers_due {
        destroy::finalize_garbage(unreachable, &heap.seen)
    } else {
        (false, FirstPanic::default())
    };
    if finalized {
        destroy::handle_resurrected_objects(heap, unreachable, still, old);
    } else {
        still.merge_from(unreachable);
    }
    // 7. Drop the values, then free the blocks whose count reaches zero (DEBUG_SAVEALL:
    //    keep everything in gc.garbage instead).
    let collected = if heap.debug.get().contains(DebugFlags::SAVEALL) {
        destroy::save_all(heap, still, old)
    } else {
        let (collected, dropping) = destroy::delete_garbage(heap, still);
        panic.absorb(dropping);
        collected
    };
    heap.validate();
    // A full collection clears the free lists (CPython's `_PyGC_ClearAllFreeLists`): here,
    // the allocator's spare pools.
    if g == NUM_GENERATIONS - 1 {
        crate::alloc::clear_freelists(heap);
    }
    let outcome = Outcome {
        collected,
        uncollectable: 0,
        candidates: reach.candidates,
        duration: started.elapsed(),
        panic,
    };
    // 8. Statistics and the DEBUG_STATS summary.
    record_stats(heap, g, &outcome);
    debug_stats_done(heap, &outcome);
    outcome
}

/// `count[g+1] += 1` and `count[0..=g] = 0`, before the collection (as CPython).
fn bump_counts(heap: &Heap, g: usize) {
    if g + 1 < NUM_GENERATIONS {
        let next = &heap.generation(g + 1).count;
        next.set(next.get() + 1);
    }
    for generation in &heap.generations[..=g] {
        generation.count.set(0);
    }
}

/// Moves `young` (the survivors) into the next generation and keeps the long-lived
/// counts that gate full collections.
fn promote_survivors(heap: &Heap, g: usize, survivors: usize) {
    match g {
        0 => {}
        1 => heap
            .long_lived_pending
            .set(heap.long_lived_pending.get() + survivors),
        _ => {
            heap.long_lived_pending.set(0);
            heap.long_lived_total.set(survivors);
        }
    }
    let old = &heap.generation((g + 1).min(NUM_GENERATIONS - 1)).list;
    old.merge_from(&heap.young);
}

fn record_stats(heap: &Heap, g: usize, outcome: &Outcome) {
    let cell = &heap.stats[g];
    let old = cell.get();
    cell.set(GenerationStats {
        collections: old.collections + 1,
        collected: old.collected + outcome.collected,
        uncollectable: old.uncollectable + outcome.uncollectable,
    });
}

/// `gc.collect(g)`: a collection with callbacks, or 0 if one is already running.
pub(crate) fn collect(heap: &Heap, g: usize) -> usize {
    if heap.collecting.get() {
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
    if heap.collecting.get() {
        return;
    }
    if let Some(g) = choose_generation(heap) {
        collect_with_callbacks(heap, g);
    }
}

fn choose_generation(heap: &Heap) -> Option<usize> {
    (0..NUM_GENERATIONS).rev().find(|&g| {
        let generation = heap.generation(g);
        let over = generation.count.get() > generation.threshold.get();
        let full_due = heap.long_lived_pending.get() >= heap.long_lived_total.get() / 4;
        over && (g < NUM_GENERATIONS - 1 || full_due)
    })
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
    if heap.callbacks.borrow().is_empty() {
        return;
    }
    let callbacks = heap.callbacks.borrow().clone();
    for (id, callback) in callbacks {
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
        heap.collecting.set(true);
        CollectingGuard(heap)
    }
}

impl Drop for CollectingGuard<'_> {
    fn drop(&mut self) {
        self.0.collecting.set(false);
    }
}

/// `DEBUG_COLLECTABLE`: one line per unreachable object, before anything is destroyed.
fn debug_collectable(heap: &Heap, unreachable: &crate::list::GcList) {
    if !heap.debug.get().contains(DebugFlags::COLLECTABLE) {
        return;
    }
    for gc in unreachable.iter() {
        let (name, addr) = (gc.obj().vtable().type_name(), gc.obj().addr());
        write_stderr(format_args!("gc: collectable <{name} {addr:#x}>\n"));
    }
}

fn debug_stats_start(heap: &Heap, g: usize) {
    if !heap.debug.get().contains(DebugFlags::STATS) {
        return;
    }
    let [a, b, c] = [0, 1, 2].map(|i| heap.generation(i).list.len());
    write_stderr(format_args!(
        "gc: collecting generation {g}...\n\
         gc: objects in each generation: {a} {b} {c}\n\
         gc: objects in permanent generation: {}\n",
        heap.permanent.len()
    ));
}

fn debug_stats_done(heap: &Heap, outcome: &Outcome) {
    if !heap.debug.get().contains(DebugFlags::STATS) {
        return;
    }
    write_stderr(format_args!(
        "gc: done, {} unreachable, {} uncollectable, {:.4}s elapsed\n",
        outcome.collected + outcome.uncollectable,
        outcome.uncollectable,
        outcome.duration.as_secs_f64()
    ));
}
