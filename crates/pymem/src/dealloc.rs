//! (L2) Deallocation when a count reaches zero (CPython's `_Py_Dealloc` and
//! `subtype_dealloc`), through the trashcan that keeps deep chains from overflowing the
//! stack.

use core::mem::ManuallyDrop;

use crate::finalize;
use crate::header::{ObjLinks, ObjPtr};
use crate::heap;
use crate::trashcan::Trashcan;

/// The count of `obj` just reached zero: untrack it (tracked types), then destroy it through
/// the heap's trashcan, or without a live heap (after thread teardown) through [`LATE`].
/// Budget without a finalizer due: one header test, the untracking (for a tracked type with
/// one vtable load: does it have free lists?), the trashcan's depth.
#[inline(always)]
pub(crate) fn on_zero(obj: ObjPtr, tracked: bool, destroy: unsafe fn(ObjPtr)) {
    if finalize::pending(obj) {
        return on_zero_finalizing(obj, tracked);
    }
    let heap = heap::current_live();
    if tracked {
        untrack_dying(heap, obj);
    }
    match heap {
        // SAFETY: the count is zero and the object untracked; `destroy` is its type's.
        Some(heap) => unsafe { heap.trashcan().run(obj, destroy) },
        None => destroy_without_heap(obj, destroy),
    }
}

/// Unlinks a dying object of a tracked type and counts its deallocation (`count[0] -= 1`
/// if positive), unless its type has free lists: CPython counts in `PyObject_GC_Del`, which
/// a block kept on a free list never reaches, so `destroy` counts those when it frees the
/// block. One vtable load (the type-erased path cannot see `T::FREE_LISTS`).
#[inline(always)]
fn untrack_dying(heap: Option<&heap::Heap>, obj: ObjPtr) {
    // SAFETY: the caller passes the type's TRACKED, so the block has links.
    let links = unsafe { obj.links() };
    match obj.vtable().free_lists {
        None => heap::untrack_leaving_in(heap, links),
        Some(_) => crate::list::untrack(links),
    }
}

/// [`on_zero`] for an object whose finalizer is due. CPython's `subtype_dealloc`: untrack,
/// enter the trashcan, then finalize inside it, so that each finalizer that releases the
/// next link of a chain is one level deeper in the trashcan, not in the stack. The
/// deallocation is counted (`count[0] -= 1`) only once the finalizer has not resurrected
/// the object (for a type with free lists, by `destroy` when it frees the block).
#[cold]
#[inline(never)]
fn on_zero_finalizing(obj: ObjPtr, tracked: bool) {
    if tracked {
        // SAFETY: the caller passes the type's TRACKED, so the block has links.
        crate::list::untrack(unsafe { obj.links() });
    }
    match heap::current_live() {
        // SAFETY: the count is zero and the object untracked.
        Some(heap) => unsafe { heap.trashcan().run(obj, dealloc) },
        None => destroy_without_heap(obj, dealloc),
    }
}

/// Destroys an object the trashcan let through (its `Destroy` when a finalizer is due): its finalizer first, if due (which may
/// resurrect it), then its value and block.
///
/// # Safety
/// The count is zero and the object is untracked; nothing else refers to it.
pub(crate) unsafe fn dealloc(obj: ObjPtr) {
    if finalize::pending(obj) {
        if finalize_at_zero(obj) {
            return;
        }
        if obj.has_links()
            && obj.vtable().free_lists.is_none()
            && let Some(heap) = heap::current_live()
        {
            heap.count_dealloc();
        }
    }
    // SAFETY: the caller's contract, and the finalizer (if any) did not resurrect it.
    unsafe { (obj.vtable().destroy)(obj) }
}

thread_local! {
    /// The trashcan of deallocations with no live heap: objects that outlived their thread's
    /// heap (held by another thread-local) and die in a later thread-local destructor, where
    /// a long chain would otherwise recurse once per link. `ManuallyDrop` leaves it without
    /// a destructor, so it is usable in every destructor; [`FreeQueue`] frees its buffer.
    static LATE: ManuallyDrop<Trashcan> = const { ManuallyDrop::new(Trashcan::new()) };
}

/// `on_zero` without a live heap: as with one, through a trashcan (count zero, untracked).
#[cold]
#[inline(never)]
fn destroy_without_heap(obj: ObjPtr, destroy: unsafe fn(ObjPtr)) {
    LATE.with(|trashcan| {
        let _free = FreeQueue(trashcan);
        // SAFETY: as in `on_zero`, whose caller passes the object's destroy function.
        unsafe { trashcan.run(obj, destroy) };
    });
}

/// Frees the late trashcan's queue buffer once the outermost deallocation is done (it has
/// drained the queue by then), since the thread-local has no destructor to do it.
struct FreeQueue<'a>(&'a Trashcan);

impl Drop for FreeQueue<'_> {
    fn drop(&mut self) {
        if self.0.is_idle() {
            self.0.release_buffer();
        }
    }
}

/// PEP 442 at refcount death: the untracked object is tracked again at the tail of
/// generation 0 and its finalizer runs with a temporary reference (CPython's
/// `subtype_dealloc` and `PyObject_CallFinalizerFromDealloc`). Returns true if it
/// resurrected the object: the count is above zero again and the object lives on,
/// finalized and young (in generation 0, whatever generation or running collection's set
/// it was in, or where a collection run by the finalizer moved it). Otherwise the object
/// is untracked again.
fn finalize_at_zero(obj: ObjPtr) -> bool {
    let gc = retrack_young(obj);
    let resurrected = finalize::run_once(obj) && obj.decref() > 0;
    if !resurrected && let Some(gc) = gc {
        crate::list::untrack(gc);
    }
    resurrected
}

/// Links an untracked object of a tracked type at the tail of generation 0 (nothing
/// without a live heap: objects that outlive the heap stay untracked).
fn retrack_young(obj: ObjPtr) -> Option<ObjLinks> {
    let heap = heap::current_live()?;
    // SAFETY: the type is tracked (`has_links`), so the block has links.
    let gc = obj.has_links().then(|| unsafe { obj.links() })?;
    debug_assert!(
        !gc.is_tracked(),
        "finalizing a tracked object at refcount death"
    );
    heap.track_new(gc);
    Some(gc)
}
