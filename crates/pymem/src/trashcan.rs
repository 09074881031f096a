//! (L0) CPython's trashcan: deallocations nested too deep are queued and run by the
//! outermost one, so that freeing a chain of any length uses bounded stack.

use core::cell::{Cell, RefCell};

use crate::header::ObjPtr;

/// What destroys a queued object (`dealloc::dealloc`, or a type's `destroy`).
pub(crate) type Destroy = unsafe fn(ObjPtr);

/// Deallocations nested deeper than this are queued and run when the outermost one
/// returns (CPython's trashcan uses a similar small headroom).
const TRASHCAN_LIMIT: usize = 50;

/// CPython's trashcan: the nesting depth of deallocations and the "delete later" queue.
///
/// Invariant: every queued object has a zero count and is untracked, so no collection and
/// no weak reference can reach it before it is destroyed; it is queued with the function
/// that destroys it. Its finalizer may not have run yet: as in CPython's
/// `subtype_dealloc`, a finalizer runs inside the trashcan, so that a chain of finalizers
/// each releasing the next link is bounded too (`dealloc::dealloc`).
///
/// The outermost deallocation drains the queue when it returns **or unwinds**, so a
/// panicking `Drop` (which propagates to whoever dropped the handle) leaves nothing queued.
/// While the thread unwinds, a second panic must not escape (the process would abort), so
/// a queued deallocation that panics then is reported through `sys.unraisablehook`.
pub(crate) struct Trashcan {
    depth: Cell<usize>,
    later: RefCell<Vec<(ObjPtr, Destroy)>>,
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
    ///
    /// # Safety
    /// `obj`'s count is zero, it is untracked, and `destroy` may be called on it.
    #[inline(always)]
    pub(crate) unsafe fn run(&self, obj: ObjPtr, destroy: Destroy) {
        if self.depth.get() >= TRASHCAN_LIMIT {
            self.later.borrow_mut().push((obj, destroy));
            self.queued.set(self.queued.get() + 1);
            return;
        }
        // Leaving the outermost level, the guard drains the queue.
        let _nested = DepthGuard::enter(self);
        // SAFETY: the caller's contract.
        unsafe { destroy(obj) };
    }

    /// Runs the queued deallocations at depth 1; each may queue more, at most
    /// `TRASHCAN_LIMIT` frames deep. Called when the outermost deallocation returns or
    /// unwinds, and at thread teardown.
    #[cold]
    #[inline(never)]
    pub(crate) fn flush(&self) {
        // If a deallocation panics, this guard's drop flushes again, with panics contained.
        let _nested = DepthGuard::enter(self);
        if std::thread::panicking() {
            self.drain_contained();
        } else {
            self.drain();
        }
    }

    fn drain(&self) {
        while let Some((obj, destroy)) = self.pop() {
            // SAFETY: queued with its destroy function, a zero count, untracked (invariant).
            unsafe { destroy(obj) };
        }
    }

    /// [`drain`](Trashcan::drain) while the thread unwinds: each panic is caught and
    /// reported, since a second one escaping a drop would abort the process.
    fn drain_contained(&self) {
        while let Some((obj, destroy)) = self.pop() {
            let (vtable, addr) = (obj.vtable(), obj.addr());
            // SAFETY: queued with its destroy function, a zero count, untracked (invariant).
            let destroyed = crate::unwind::catch(|| unsafe { destroy(obj) });
            if let Err(panic) = destroyed {
                let what = format!("<drop of {} object at {addr:#x}>", vtable.type_name());
                crate::unraisable::report(panic, &what);
            }
        }
    }

    fn pop(&self) -> Option<(ObjPtr, Destroy)> {
        let queued = self.later.borrow_mut().pop()?;
        self.queued.set(self.queued.get() - 1);
        Some(queued)
    }

    /// The outermost deallocation is done (depth 0): the queue's buffer may go.
    pub(crate) fn is_idle(&self) -> bool {
        self.depth.get() == 0
    }

    /// Frees the queue's buffer (for a trashcan without a destructor, when idle).
    pub(crate) fn release_buffer(&self) {
        drop(self.later.take());
    }
}

/// One level of deallocation nesting: restores the depth when a destroy returns or
/// unwinds, and back at depth 0 drains what was queued meanwhile.
struct DepthGuard<'a>(&'a Trashcan);

impl<'a> DepthGuard<'a> {
    #[inline(always)]
    fn enter(trashcan: &'a Trashcan) -> DepthGuard<'a> {
        trashcan.depth.set(trashcan.depth.get() + 1);
        DepthGuard(trashcan)
    }
}

impl Drop for DepthGuard<'_> {
    /// Budget: a decrement, and at depth 0 one test of the queue.
    #[inline(always)]
    fn drop(&mut self) {
        let trashcan = self.0;
        let depth = trashcan.depth.get() - 1;
        trashcan.depth.set(depth);
        if depth == 0 && trashcan.queued.get() != 0 {
            trashcan.flush();
        }
    }
}
