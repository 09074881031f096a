//! Deallocation when a count reaches zero (CPython's `_Py_Dealloc`), with the trashcan that
//! keeps deep chains from overflowing the stack.

use core::cell::{Cell, RefCell};

use crate::finalize;
use crate::header::ObjPtr;
use crate::heap::{self, Heap};

/// Deallocations nested deeper than this are queued and run when the outermost one
/// returns (CPython's trashcan uses a similar small headroom).
const TRASHCAN_LIMIT: usize = 50;

/// CPython's trashcan: the nesting depth of deallocations and the "delete later" queue.
///
/// Invariant: every queued object has a zero count and is untracked, so no collection and
/// no weak reference can reach it before it is destroyed.
pub(crate) struct Trashcan {
    depth: Cell<usize>,
    later: RefCell<Vec<ObjPtr>>,
    /// `later.len()`, readable without a `RefCell` borrow on the hot path.
    queued: Cell<usize>,
}

impl Trashcan {
    pub(crate) const fn new() -> Trashcan {
        Trashcan {
            depth: Cell::new(0),
            later: RefCell::new(Vec::new()),
            queued: Cell::new(0),
        }
    }

    /// Destroys `obj` now, or queues it when nested too deep. Always inlined, so that the
    /// monomorphic `destroy` is called directly from each `drop_slow::<T>`.
    #[inline(always)]
    fn run(&self, obj: ObjPtr, destroy: unsafe fn(ObjPtr)) {
        let depth = self.depth.get();
        if depth >= TRASHCAN_LIMIT {
            self.later.borrow_mut().push(obj);
            self.queued.set(self.queued.get() + 1);
            return;
        }
        let _nested = DepthGuard::enter(&self.depth);
        // SAFETY: `on_zero`'s caller saw the count reach zero and the object is untracked.
        unsafe { destroy(obj) };
        if depth == 0 && self.queued.get() != 0 {
            self.drain();
        }
    }

    /// Runs queued deallocations at depth 1; each may queue more, at most `TRASHCAN_LIMIT`
    /// frames deep.
    #[cold]
    fn drain(&self) {
        while let Some(obj) = self.pop() {
            // SAFETY: queued objects have a zero count and are untracked (type invariant).
            unsafe { (obj.vtable().destroy)(obj) };
        }
    }

    /// Runs whatever a panicking `Drop` left queued (thread teardown).
    pub(crate) fn flush(&self) {
        let _nested = DepthGuard::enter(&self.depth);
        self.drain();
    }

    fn pop(&self) -> Option<ObjPtr> {
        let obj = self.later.borrow_mut().pop()?;
        self.queued.set(self.queued.get() - 1);
        Some(obj)
    }
}

/// Restores the depth when a destroy returns or unwinds.
struct DepthGuard<'a>(&'a Cell<usize>);

impl<'a> DepthGuard<'a> {
    fn enter(depth: &'a Cell<usize>) -> DepthGuard<'a> {
        depth.set(depth.get() + 1);
        DepthGuard(depth)
    }
}

impl Drop for DepthGuard<'_> {
    fn drop(&mut self) {
        self.0.set(self.0.get() - 1);
    }
}

/// The count of `obj` just reached zero: untrack it (tracked types), then destroy it through
/// the trashcan. Without a live heap (thread teardown) it is destroyed directly.
#[inline(always)]
pub(crate) fn on_zero(obj: ObjPtr, tracked: bool, destroy: unsafe fn(ObjPtr)) {
    if finalize::pending(obj) && finalize_at_zero(obj) {
        return;
    }
    let heap = heap::current_live();
    if tracked {
        // SAFETY: the caller passes the type's TRACKED, so the block has links.
        heap::forget_tracked_in(heap, unsafe { obj.gc() });
    }
    match heap {
        Some(heap) => trashcan(heap).run(obj, destroy),
        // SAFETY: the count is zero and the object untracked.
        None => unsafe { destroy(obj) },
    }
}

/// PEP 442 at refcount death: the finalizer runs first, on the still-tracked object, with
/// a temporary reference. Returns true if it resurrected the object (the count is then
/// above zero again and the object lives on, finalized).
#[cold]
#[inline(never)]
fn finalize_at_zero(obj: ObjPtr) -> bool {
    finalize::run_once(obj) && obj.decref() > 0
}

fn trashcan(heap: &Heap) -> &Trashcan {
    &heap.trashcan
}
