//! Finding the unreachable objects (CPython's `deduce_unreachable`): `update_refs`,
//! `subtract_refs`, `move_unreachable`. No user code runs here except `Trace` impls.

use crate::header::{GcObj, ObjPtr};
use crate::list::{GcList, Marks};
use crate::trace::{Mode, Tracer};

/// Sizes found by one `deduce_unreachable`.
pub(crate) struct Reach {
    /// Objects examined (CPython 3.15's "candidates").
    pub(crate) candidates: usize,
    /// Objects left in `young`: reachable from outside the set.
    pub(crate) survivors: usize,
}

/// Splits `young` into the objects reachable from outside it (left in `young`, marks
/// cleared) and the rest (moved to `unreachable`, COLLECTING and NEXT_UNREACHABLE set).
///
/// If a `Trace` impl panics, both lists are repaired and merged into `home` before the
/// panic continues, so every object stays tracked and nothing is freed.
pub(crate) fn deduce_unreachable(young: &GcList, unreachable: &GcList, home: &GcList) -> Reach {
    let guard = RepairOnUnwind {
        young,
        unreachable,
        home,
    };
    let candidates = update_refs(young);
    let survivors = crate::heap::tracing(|| {
        subtract_refs(young);
        move_unreachable(young, unreachable)
    });
    core::mem::forget(guard);
    young.validate(Marks::None);
    unreachable.validate(Marks::CollectingUnreachable);
    Reach {
        candidates,
        survivors,
    }
}

/// Calls the object's `Trace` impl.
#[inline]
pub(crate) fn traverse(obj: ObjPtr, tracer: &mut Tracer<'_>) {
    // SAFETY: objects linked into collector lists are never DEAD (`delete_garbage`
    // untracks an object before its value is dropped), so the value is alive.
    unsafe { (obj.vtable().trace)(obj, tracer) }
}

/// `gc_refs = refcount` and COLLECTING for every object in `young`. Returns their number.
fn update_refs(young: &GcList) -> usize {
    let mut candidates = 0;
    for gc in young.iter() {
        let refcnt = gc.obj().refcnt();
        // A listed object with a zero count would be freed twice (CPython asserts this).
        debug_assert!(
            refcnt != 0,
            "tracked object with a zero count in a generation"
        );
        gc.reset_refs(refcnt);
        candidates += 1;
    }
    candidates
}

/// Subtracts internal references: afterwards `gc_refs` counts references from outside
/// `young` only.
fn subtract_refs(young: &GcList) {
    let mut tracer = Tracer::new(Mode::SubtractRefs);
    for gc in young.iter() {
        traverse(gc.obj(), &mut tracer);
        if tracer.take_untraceable() {
            // Its edges could not be seen, so treat it as referenced from outside.
            pin(gc);
        }
    }
}

fn pin(gc: GcObj) {
    gc.set_gc_refs(gc.gc_refs() + 1);
}

/// CPython's `move_unreachable`. Walks `young` from the head; an object with
/// `gc_refs > 0` is reachable and its edges rescue their targets (`visit_reachable`),
/// possibly appending them to `young`'s tail; an object with `gc_refs == 0` is moved,
/// tentatively, to `unreachable`. Returns the number of objects left in `young`.
///
/// Invariant: every object left of `prev` in `young` is reachable from outside the
/// original set, has been traversed, and has its `prev` pointer restored.
fn move_unreachable(young: &GcList, unreachable: &GcList) -> usize {
    let mut tracer = Tracer::new(Mode::Reachable(young));
    let mut prev = young.node();
    let mut survivors = 0;
    // Read `prev.next()` only after the traversal: it may append to young's tail.
    while let Some(gc) = young.obj_at(prev.next()) {
        if gc.gc_refs() > 0 {
            traverse(gc.obj(), &mut tracer);
            tracer.take_untraceable();
            gc.node().set_prev_keep_flags(prev);
            gc.clear_collecting();
            prev = gc.node();
            survivors += 1;
        } else {
            prev.copy_next_word(gc.node());
            unreachable.append_marked(gc);
        }
    }
    young.set_tail(prev);
    unreachable.strip_head_mark();
    survivors
}

/// Restores the lists if a `Trace` impl panics during `deduce_unreachable`.
struct RepairOnUnwind<'a> {
    young: &'a GcList,
    unreachable: &'a GcList,
    home: &'a GcList,
}

impl Drop for RepairOnUnwind<'_> {
    fn drop(&mut self) {
        self.young.repair();
        self.unreachable.repair();
        self.home.merge_from(self.young);
        self.home.merge_from(self.unreachable);
    }
}
