//! Deallocation when a count reaches zero (CPython's `_Py_Dealloc`), with the trashcan that
//! keeps deep chains from overflowing the stack.

use core::cell::{Cell, RefCell};
use core::mem::ManuallyDrop;

use crate::finalize;
use crate::header::{GcObj, ObjPtr};
use crate::heap::{self, Heap};

/// Deallocations nested deeper than this are queued and run when the outermost one
/// returns (CPython's trashcan uses a similar small headroom).
const TRASHCAN_LIMIT: usize = 50;

/// CPython's trashcan: the nesting depth of deallocations and the "delete later" queue.
///
/// Invariant: every queued object has a zero count and is untracked, so no collection and
/// no weak reference can reach it before it is destroyed. Its finalizer may not have run
/// yet: as in CPython's `subtype_dealloc`, a finalizer runs inside the trashcan, so that a
/// chain of finalizers each releasing the next link is bounded too ([`dealloc`]).
///
/// The outermost deallocation drains the queue when it returns **or unwinds**, so a
/// panicking `Drop` (which propagates to whoever dropped the handle) leaves nothing queued.
/// While the thread unwinds, a second panic must not escape (the process would abort), so
/// a queued deallocation that panics then is reported through `sys.unraisablehook`.
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
        if self.depth.get() >= TRASHCAN_LIMIT {
            self.later.borrow_mut().push(obj);
            self.queued.set(self.queued.get() + 1);
            return;
        }
        // Leaving the outermost level, the guard drains the queue.
        let _nested = DepthGuard::enter(self);
        // SAFETY: `on_zero`'s caller saw the count reach zero and the object is untracked.
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
        while let Some(obj) = self.pop() {
            // SAFETY: queued objects have a zero count and are untracked (type invariant).
            unsafe { dealloc(obj) };
        }
    }

    /// [`drain`](Trashcan::drain) while the thread unwinds: each panic is caught and
    /// reported, since a second one escaping a drop would abort the process.
    fn drain_contained(&self) {
        while let Some(obj) = self.pop() {
            let (vtable, addr) = (obj.vtable(), obj.addr());
            // SAFETY: queued objects have a zero count and are untracked (type invariant).
            let destroyed = crate::unwind::catch(|| unsafe { dealloc(obj) });
            if let Err(panic) = destroyed {
                let what = format!("<drop of {} object at {addr:#x}>", vtable.type_name());
                crate::unraisable::report(panic, &what);
            }
        }
    }

    fn pop(&self) -> Option<ObjPtr> {
        let obj = self.later.borrow_mut().pop()?;
        self.queued.set(self.queued.get() - 1);
        Some(obj)
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

/// The count of `obj` just reached zero: untrack it (tracked types), then destroy it through
/// the heap's trashcan, or without a live heap (after thread teardown) through [`LATE`].
/// Budget without a finalizer due: one header test, the untracking, the trashcan's depth.
#[inline(always)]
pub(crate) fn on_zero(obj: ObjPtr, tracked: bool, destroy: unsafe fn(ObjPtr)) {
    if finalize::pending(obj) {
        return on_zero_finalizing(obj, tracked);
    }
    let heap = heap::current_live();
    if tracked {
        // SAFETY: the caller passes the type's TRACKED, so the block has links.
        heap::forget_tracked_in(heap, unsafe { obj.gc() });
    }
    match heap {
        Some(heap) => trashcan(heap).run(obj, destroy),
        None => destroy_without_heap(obj, destroy),
    }
}

/// [`on_zero`] for an object whose finalizer is due. CPython's `subtype_dealloc`: untrack,
/// enter the trashcan, then finalize inside it, so that each finalizer that releases the
/// next link of a chain is one level deeper in the trashcan, not in the stack. The
/// deallocation is counted (`count[0] -= 1`) only once the finalizer has not resurrected
/// the object.
#[cold]
#[inline(never)]
fn on_zero_finalizing(obj: ObjPtr, tracked: bool) {
    if tracked {
        // SAFETY: the caller passes the type's TRACKED, so the block has links.
        crate::list::untrack(unsafe { obj.gc() });
    }
    match heap::current_live() {
        Some(heap) => trashcan(heap).run(obj, dealloc),
        None => destroy_without_heap(obj, dealloc),
    }
}

/// Destroys an object the trashcan let through: its finalizer first, if due (which may
/// resurrect it), then its value and block.
///
/// # Safety
/// The count is zero and the object is untracked; nothing else refers to it.
unsafe fn dealloc(obj: ObjPtr) {
    if finalize::pending(obj) {
        if finalize_at_zero(obj) {
            return;
        }
        if obj.has_links()
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
        trashcan.run(obj, destroy);
    });
}

/// Frees the late trashcan's queue buffer once the outermost deallocation is done (it has
/// drained the queue by then), since the thread-local has no destructor to do it.
struct FreeQueue<'a>(&'a Trashcan);

impl Drop for FreeQueue<'_> {
    fn drop(&mut self) {
        if self.0.depth.get() == 0 {
            drop(self.0.later.take());
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
fn retrack_young(obj: ObjPtr) -> Option<GcObj> {
    let heap = heap::current_live()?;
    // SAFETY: the type is tracked (`has_links`), so the block has links.
    let gc = obj.has_links().then(|| unsafe { obj.gc() })?;
    debug_assert!(
        !gc.is_tracked(),
        "finalizing a tracked object at refcount death"
    );
    heap.track_new(gc);
    Some(gc)
}

fn trashcan(heap: &Heap) -> &Trashcan {
    &heap.trashcan
}
