//! (L3) Destroying the unreachable set, in CPython's order: weak references (and their
//! callbacks), finalizers, the resurrection check, then the values, then the blocks.

use super::reach::traverse;
use crate::finalize;
use crate::heap::Heap;
use crate::list::{GcList, Marks};
use crate::trace::{Mode, Visitor};
use crate::unwind::{self, FirstPanic};
use crate::weak;

/// CPython's `handle_weakrefs` (3.11–3.13 order):
/// 1. weak references owned by the garbage itself are garbage too: they are cleared and
///    their callbacks never run (gc_weakref.txt), so nothing can reach an outside object
///    through them while the garbage is destroyed (bpo-38006);
/// 2. weak references *to* the garbage are cleared, so that no `upgrade` can reveal an
///    object whose cycle is being destroyed, and the callbacks of those that are still
///    reachable are taken;
/// 3. only then do the callbacks run: before any finalizer of the garbage, and each sees
///    `None` for every weak reference to the garbage.
///
/// With no `Weak` handle alive on the thread nothing could upgrade or call back, and the
/// pass is skipped. If a `Trace` impl panics while the weak edges are gathered (before
/// anything is cleared), the set is put back into `old`, alive and tracked.
pub(crate) fn handle_weakrefs(unreachable: &GcList, old: &GcList) {
    if weak::live_handles() == 0 {
        return;
    }
    let restore = RestoreOnUnwind {
        from: unreachable,
        to: old,
    };
    let mut edges = Vec::new();
    let mut visitor = Visitor::new(Mode::WeakEdges(&mut edges));
    crate::trace::tracing(|| {
        for gc in unreachable.iter() {
            traverse(gc.obj(), &mut visitor);
            visitor.take_untraceable();
        }
    });
    core::mem::forget(restore);
    weak::clear_garbage_nodes(&edges);
    let mut due = weak::Due::none();
    for gc in unreachable.iter() {
        due.append(weak::clear_weakrefs(gc.obj(), weak::Clearing::Collector));
    }
    weak::run_callbacks(due);
}

/// CPython's `finalize_garbage`: each object's finalizer runs once, on the intact object.
/// Objects move to `seen` as they are visited, because finalizers may free objects of the
/// set (a finalizer that breaks its own cycle frees its object right here, by refcount).
/// Returns whether any finalizer ran, and the first panic of a `Drop` run here, kept for
/// the end of the collection (finalizers' own panics are reported as unraisable).
pub(crate) fn finalize_garbage(unreachable: &GcList, seen: &GcList) -> (bool, FirstPanic) {
    let (mut ran, mut panic) = (false, FirstPanic::default());
    while let Some(gc) = unreachable.first() {
        seen.move_in(gc);
        let obj = gc.obj();
        if finalize::run_once(obj) {
            ran = true;
            if obj.decref() == 0 {
                // Its `Drop` may panic: the object is already out of `seen`, and the rest
                // of the set must still be finalized.
                panic.keep_err(unwind::catch(|| crate::object::drop_slow_erased(obj)));
            }
        }
    }
    unreachable.merge_from(seen);
    (ran, panic)
}

/// CPython's `handle_resurrected_objects`: reachability computed again over the unreachable
/// set alone. What a finalizer made reachable from outside (and everything it reaches:
/// resurrection is transitive) moves to `old`, intact; the rest goes to `still`.
pub(crate) fn handle_resurrected_objects(
    heap: &Heap,
    unreachable: &GcList,
    still: &GcList,
    old: &GcList,
) {
    heap.with_mark_stack(|stack| super::reach::deduce_unreachable(unreachable, still, old, stack));
    old.merge_from(unreachable);
}

/// `DEBUG_SAVEALL`: the garbage goes to `gc.garbage` and back to `old`, alive. Returns how
/// many objects were saved.
pub(crate) fn save_all(heap: &Heap, still: &GcList, old: &GcList) -> usize {
    let before = heap.garbage().len();
    for gc in still.iter() {
        gc.clear_collecting();
        heap.garbage().save(gc.obj());
    }
    old.merge_from(still);
    heap.garbage().len() - before
}

/// CPython's `delete_garbage`, for values that cannot be "cleared" in place but only
/// dropped:
/// 1. every object gets a temporary reference (so no block of the set is freed while values
///    are dropped) and the DEAD mark (so a `Drop` that reaches a sibling through a stashed
///    handle panics instead of reading a dropped value);
/// 2. each value is dropped; a panicking `Drop` is caught and the others still run;
/// 3. each object is untracked and its temporary reference released: blocks whose count
///    reaches zero are freed; the rest stay as dead objects until their last handle goes.
///
/// Returns how many objects were destroyed and the first panic, for the caller to resume
/// once the collection is complete; the payloads of the others are dropped here, and a
/// panic of that drop is contained too.
pub(crate) fn delete_garbage(heap: &Heap, still: &GcList) -> (usize, FirstPanic) {
    still.validate(Marks::Collecting);
    if heap.freed_types().is_enabled() {
        // Values are intact here: nothing of `still` has been dropped yet.
        heap.freed_types()
            .record(still.iter().map(|gc| gc.obj().vtable().type_name()));
    }
    let mut count = 0;
    for gc in still.iter() {
        gc.obj().incref();
        gc.obj().set_dead();
        count += 1;
    }
    let panic = drop_values(still);
    release_all(heap, still);
    (count, panic)
}

/// Drops the value of every object of `still` (all DEAD, each with our reference), each
/// under its own `catch_unwind`; returns the first panic. Its own function, so that its
/// loop is not compiled around `release_all`'s registers.
#[inline(never)]
fn drop_values(still: &GcList) -> FirstPanic {
    let mut panic = FirstPanic::default();
    for gc in still.iter() {
        let obj = gc.obj();
        // SAFETY: the value is alive until this call (each object is visited once), the
        // object is DEAD so nothing dereferences it afterwards, and our reference keeps
        // the block allocated.
        panic.keep_err(unwind::catch(|| unsafe { (obj.vtable().drop_value)(obj) }));
    }
    panic
}

/// Untracks every object of `still` and drops the temporary references. The whole list is
/// being emptied, so nodes are marked untracked without relinking their neighbours, and a
/// block whose count reaches zero is freed directly: its value is already dropped, so
/// there is nothing to recurse into and no trashcan is needed.
fn release_all(heap: &Heap, still: &GcList) {
    let mut next = still.first();
    while let Some(gc) = next {
        next = still.after(gc);
        gc.fields().set_untracked();
        let obj = gc.obj();
        if obj.decref() == 0 {
            heap.count_dealloc();
            // Weak references made by a `Drop` after the weakref pass; their callbacks'
            // panics are reported, so nothing unwinds out of this half-emptied list.
            weak::on_death(obj);
            // SAFETY: the count is zero, the object untracked, its value dropped (DEAD) and
            // its weak references cleared.
            unsafe { (obj.vtable().free)(obj) };
        }
    }
    still.init();
}

/// Puts the unreachable set back into `old` if a `Trace` impl panics in the weakref pass.
struct RestoreOnUnwind<'a> {
    from: &'a GcList,
    to: &'a GcList,
}

impl Drop for RestoreOnUnwind<'_> {
    fn drop(&mut self) {
        for gc in self.from.iter() {
            gc.clear_collecting();
        }
        self.to.merge_from(self.from);
    }
}
