//! Destroying the unreachable set, in CPython's order: weak references first, then the
//! values, then the blocks.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};

use super::reach::traverse;
use crate::heap::Heap;
use crate::list::{GcList, Marks};
use crate::trace::{Mode, Tracer};
use crate::weak;

/// The payload of a panic caught while destroying garbage, re-raised once the collector's
/// state is consistent again.
pub(crate) type Panic = Box<dyn Any + Send + 'static>;

/// CPython's `handle_weakrefs` (weak references without callbacks):
/// 1. weak references owned by the garbage itself are garbage too, and are cleared, so that
///    nothing can reach an outside object through them while the garbage is destroyed
///    (bpo-38006);
/// 2. weak references *to* the garbage are cleared, so that no `upgrade` can reveal an
///    object whose cycle is being dropped.
///
/// With no `Weak` handle alive on the thread nothing could upgrade, and the pass is skipped.
pub(crate) fn handle_weakrefs(unreachable: &GcList) {
    if weak::live_handles() == 0 {
        return;
    }
    let mut edges = Vec::new();
    let mut tracer = Tracer::new(Mode::WeakEdges(&mut edges));
    crate::heap::tracing(|| {
        for gc in unreachable.iter() {
            traverse(gc.obj(), &mut tracer);
            tracer.take_untraceable();
        }
    });
    weak::clear_garbage_nodes(&edges);
    for gc in unreachable.iter() {
        weak::clear_weakrefs(gc.obj());
    }
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
/// Returns the first panic, for the caller to resume once the collection is complete.
pub(crate) fn delete_garbage(heap: &Heap, still: &GcList) -> Option<Panic> {
    still.validate(Marks::Collecting);
    for gc in still.iter() {
        gc.obj().incref();
        gc.obj().set_dead();
    }
    let mut first_panic = None;
    for gc in still.iter() {
        let obj = gc.obj();
        // SAFETY: the value is alive until this call (each object is visited once), the
        // object is DEAD so nothing dereferences it afterwards, and our reference keeps
        // the block allocated.
        let dropped = catch_unwind(AssertUnwindSafe(|| unsafe {
            (obj.vtable().drop_value)(obj)
        }));
        if let Err(panic) = dropped {
            first_panic.get_or_insert(panic);
        }
    }
    release_all(heap, still);
    first_panic
}

/// Untracks every object of `still` and drops the temporary references. The whole list is
/// being emptied, so nodes are marked untracked without relinking their neighbours, and a
/// block whose count reaches zero is freed directly: its value is already dropped, so
/// there is nothing to recurse into and no trashcan is needed.
fn release_all(heap: &Heap, still: &GcList) {
    let mut next = still.first();
    while let Some(gc) = next {
        next = still.after(gc);
        gc.links().set_untracked();
        let obj = gc.obj();
        if obj.decref() == 0 {
            heap.count_dealloc();
            // Weak references made by a `Drop` after the weakref pass.
            weak::clear_weakrefs(obj);
            // SAFETY: the count is zero, the object untracked, its value dropped (DEAD) and
            // its weak references cleared.
            unsafe { (obj.vtable().free)(obj) };
        }
    }
    still.init();
}

/// Puts the unreachable set back into `old` if a `Trace` impl panics in the weakref pass.
pub(crate) struct RestoreOnUnwind<'a> {
    pub(crate) from: &'a GcList,
    pub(crate) to: &'a GcList,
}

impl Drop for RestoreOnUnwind<'_> {
    fn drop(&mut self) {
        for gc in self.from.iter() {
            gc.clear_collecting();
        }
        self.to.merge_from(self.from);
    }
}
