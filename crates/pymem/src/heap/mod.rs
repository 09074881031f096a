//! (L1) The per-thread heap (CPython's `GCState`): generation lists, counts and thresholds,
//! collector flags and statistics. Created on first use; torn down when the thread exits.

use core::cell::{Cell, RefCell};
use core::ptr;
use std::rc::Rc;

use crate::header::ObjPtr;
mod callbacks;
mod debug_flags;

use crate::header::GcObj;
use crate::list::{self, GcList};
use crate::trashcan::Trashcan;
pub(crate) use callbacks::{Callback, UNREGISTERED};
pub use callbacks::{CallbackId, CallbackInfo, Phase};
pub use debug_flags::DebugFlags;

/// Number of generations (CPython's `NUM_GENERATIONS`).
pub(crate) const NUM_GENERATIONS: usize = 3;

/// CPython 3.13's default thresholds.
pub(crate) const DEFAULT_THRESHOLDS: [usize; NUM_GENERATIONS] = [2000, 10, 10];

/// One generation: its list, threshold and count (CPython's `gc_generation`).
pub(crate) struct Generation {
    pub(crate) list: GcList,
    pub(crate) threshold: Cell<usize>,
    /// Gen 0: tracked allocations minus deallocations since its last collection (never
    /// below 0). Gen 1 and 2: collections of the next younger generation since their last.
    pub(crate) count: Cell<usize>,
}

/// Per-generation totals since the thread's heap was created (one of `gc.get_stats()`'s
/// dicts).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GenerationStats {
    /// Collections of this generation.
    pub collections: usize,
    /// Unreachable objects destroyed by them.
    pub collected: usize,
    /// Unreachable objects they could not destroy.
    pub uncollectable: usize,
}

/// `gc.garbage`: the objects `DEBUG_SAVEALL` kept, each with a counted reference that the
/// list owns. Only the layers above turn them into `Object`s (taking the reference over
/// with [`Garbage::take`], or counting their own with [`Garbage::snapshot`]).
pub(crate) struct Garbage(RefCell<Vec<ObjPtr>>);

impl Garbage {
    /// Adds `obj`, counting a reference for the list.
    pub(crate) fn save(&self, obj: ObjPtr) {
        obj.incref();
        self.0.borrow_mut().push(obj);
    }

    pub(crate) fn len(&self) -> usize {
        self.0.borrow().len()
    }

    /// The objects, uncounted: valid while the list holds them.
    pub(crate) fn snapshot(&self) -> Vec<ObjPtr> {
        self.0.borrow().clone()
    }

    /// Empties the list; the caller now owns one counted reference to each object.
    pub(crate) fn take(&self) -> Vec<ObjPtr> {
        self.0.take()
    }
}

/// A `weakref.finalize` registration as the heap keeps it (CPython's
/// `finalize._registry`): the exit pass asks each whether it runs at exit, and fires it.
pub(crate) trait AtExit {
    fn runs_at_exit(&self) -> bool;
    fn fire(&self);
}

/// The collector state of one thread.
///
/// Invariant: boxed and never moved after `Heap::create`, because list heads point to
/// themselves and objects point to list heads.
pub(crate) struct Heap {
    pub(crate) generations: [Generation; NUM_GENERATIONS],
    /// `gc.freeze()`'s permanent generation: never scanned, acts as a root.
    pub(crate) permanent: GcList,
    /// Scratch lists of the running collection (collections never nest).
    pub(crate) young: GcList,
    pub(crate) unreachable: GcList,
    pub(crate) seen: GcList,
    pub(crate) still: GcList,
    /// `mark_reachable`'s stack, kept between collections so it is allocated once.
    pub(crate) mark_stack: Cell<Vec<GcObj>>,
    /// `gc.garbage`: objects kept by `DEBUG_SAVEALL`.
    pub(crate) garbage: Garbage,
    /// `weakref.finalize`'s registry, oldest first.
    pub(crate) finalizers: RefCell<Vec<Rc<dyn AtExit>>>,
    /// The exit pass of `weakref.finalize` ran: no finalizer runs any more.
    pub(crate) finalizers_shut_down: Cell<bool>,
    /// `count[0]` above this triggers an automatic collection: `threshold[0]` while enabled
    /// and non-zero, else `usize::MAX`. Folds three CPython tests into one compare.
    auto_limit: Cell<usize>,
    enabled: Cell<bool>,
    /// Re-entrancy guard: a collection is running (CPython's `gcstate->collecting`).
    pub(crate) collecting: Cell<bool>,
    pub(crate) debug: Cell<DebugFlags>,
    pub(crate) stats: [Cell<GenerationStats>; NUM_GENERATIONS],
    /// Objects in generation 2 after the last full collection.
    pub(crate) long_lived_total: Cell<usize>,
    /// Objects promoted into generation 2 since the last full collection.
    pub(crate) long_lived_pending: Cell<usize>,
    pub(crate) callbacks: RefCell<Vec<(CallbackId, Callback)>>,
    pub(crate) next_callback_id: Cell<u64>,
    pub(crate) trashcan: Trashcan,
    /// This thread's pymalloc pools: every object block comes from here (`alloc.rs`).
    pub(crate) pools: crate::alloc::Pools,
}

thread_local! {
    /// Null before the heap exists, `DEAD_HEAP` after teardown, else the live heap.
    /// Const-initialised with no destructor, so reading it is a plain TLS load.
    static HEAP: Cell<*mut Heap> = const { Cell::new(ptr::null_mut()) };
    /// Its destructor tears the heap down at thread exit.
    static TEARDOWN: Teardown = const { Teardown };
}

const DEAD_HEAP: *mut Heap = ptr::without_provenance_mut(1);

impl Heap {
    fn new() -> Heap {
        let generation = |threshold| Generation {
            list: GcList::new(),
            threshold: Cell::new(threshold),
            count: Cell::new(0),
        };
        Heap {
            generations: DEFAULT_THRESHOLDS.map(generation),
            permanent: GcList::new(),
            young: GcList::new(),
            unreachable: GcList::new(),
            seen: GcList::new(),
            still: GcList::new(),
            mark_stack: Cell::new(Vec::new()),
            garbage: Garbage(RefCell::new(Vec::new())),
            finalizers: RefCell::new(Vec::new()),
            finalizers_shut_down: Cell::new(false),
            auto_limit: Cell::new(DEFAULT_THRESHOLDS[0]),
            enabled: Cell::new(true),
            collecting: Cell::new(false),
            debug: Cell::new(DebugFlags::empty()),
            stats: Default::default(),
            long_lived_total: Cell::new(0),
            long_lived_pending: Cell::new(0),
            callbacks: RefCell::new(Vec::new()),
            next_callback_id: Cell::new(1),
            trashcan: Trashcan::new(),
            pools: crate::alloc::Pools::default(),
        }
    }

    fn lists(&self) -> impl Iterator<Item = &GcList> {
        let generations = self.generations.iter().map(|g| &g.list);
        let scratch = [&self.young, &self.unreachable, &self.seen, &self.still];
        generations.chain([&self.permanent]).chain(scratch)
    }

    /// Runs `f` with the mark stack (taken out of the heap meanwhile).
    pub(crate) fn with_mark_stack<R>(&self, f: impl FnOnce(&mut Vec<GcObj>) -> R) -> R {
        let mut stack = self.mark_stack.take();
        let result = f(&mut stack);
        stack.clear();
        self.mark_stack.set(stack);
        result
    }

    pub(crate) fn generation(&self, g: usize) -> &Generation {
        &self.generations[g]
    }

    /// Counts a tracked allocation and runs an automatic collection when `count[0]` passes
    /// the limit. Budget: a load, an add, a store, a compare.
    #[inline]
    pub(crate) fn note_tracked_alloc(&self) {
        let count = &self.generations[0].count;
        count.set(count.get() + 1);
        if count.get() > self.auto_limit.get() {
            crate::collect::collect_automatic(self);
        }
    }

    /// A tracked-type block was freed: `count[0] -= 1` if positive (`PyObject_GC_Del`).
    #[inline]
    pub(crate) fn count_dealloc(&self) {
        let count = &self.generations[0].count;
        count.set(count.get().saturating_sub(1));
    }

    /// Links a new object at the tail of generation 0 (`_PyObject_GC_TRACK`).
    #[inline]
    pub(crate) fn track_new(&self, obj: GcObj) {
        self.generations[0].list.append(obj);
    }

    pub(crate) fn isenabled(&self) -> bool {
        self.enabled.get()
    }

    pub(crate) fn set_enabled(&self, enabled: bool) {
        self.enabled.set(enabled);
        self.update_auto_limit();
    }

    pub(crate) fn set_thresholds(&self, thresholds: [usize; NUM_GENERATIONS]) {
        for (generation, t) in self.generations.iter().zip(thresholds) {
            generation.threshold.set(t);
        }
        self.update_auto_limit();
    }

    fn update_auto_limit(&self) {
        let t0 = self.generations[0].threshold.get();
        let on = self.enabled.get() && t0 != 0;
        self.auto_limit.set(if on { t0 } else { usize::MAX });
    }

    pub(crate) fn counts(&self) -> [usize; NUM_GENERATIONS] {
        [0, 1, 2].map(|g| self.generations[g].count.get())
    }

    /// Checks that every list is consistent (expensive checks only).
    #[cfg(feature = "expensive-checks")]
    pub(crate) fn validate(&self) {
        for list in self.lists() {
            list.validate(list::Marks::None);
        }
    }

    /// Checks nothing unless the `expensive-checks` feature is on.
    #[cfg(not(feature = "expensive-checks"))]
    #[inline(always)]
    pub(crate) fn validate(&self) {}
}

/// The live heap of this thread, created on first use; `None` after teardown.
#[inline]
pub(crate) fn current<'a>() -> Option<&'a Heap> {
    let heap = HEAP.get();
    if heap.addr() > DEAD_HEAP.addr() {
        // SAFETY: a non-sentinel pointer is the boxed heap, freed only by `Teardown::drop`,
        // which runs when no code of this thread holds a reference into it.
        return Some(unsafe { &*heap });
    }
    current_slow(heap)
}

#[cold]
fn current_slow<'a>(heap: *mut Heap) -> Option<&'a Heap> {
    if heap.is_null() { create() } else { None }
}

/// The live heap without creating one.
#[inline]
pub(crate) fn current_live<'a>() -> Option<&'a Heap> {
    let heap = HEAP.get();
    // SAFETY: as in `current`.
    (heap.addr() > DEAD_HEAP.addr()).then(|| unsafe { &*heap })
}

fn create<'a>() -> Option<&'a Heap> {
    // Registering the teardown can fail only while this thread's TLS destructors run; a
    // heap created then would never be torn down, so objects made then stay untracked.
    TEARDOWN.try_with(|_| ()).ok()?;
    // The raw pointer from `into_raw` keeps the box's permissions for `Teardown`'s
    // `from_raw`; shared references are derived from it on each access.
    let raw = Box::into_raw(Box::new(Heap::new()));
    HEAP.set(raw);
    let heap = current_live()?;
    for list in heap.lists() {
        list.init();
    }
    Some(heap)
}

/// An object is going away or leaving the heap (count zero, `try_unwrap`): unlink it and
/// count a deallocation (CPython's `PyObject_GC_Del` decrements `count[0]` if positive).
#[inline]
pub(crate) fn forget_tracked(gc: GcObj) {
    forget_tracked_in(current_live(), gc)
}

/// [`forget_tracked`] with the heap already looked up (`None` after teardown).
#[inline]
pub(crate) fn forget_tracked_in(heap: Option<&Heap>, gc: GcObj) {
    list::untrack(gc);
    if let Some(heap) = heap {
        heap.count_dealloc();
    }
}

/// Runs at thread exit: frees what can be freed, leaks the rest, never frees twice.
struct Teardown;

impl Drop for Teardown {
    fn drop(&mut self) {
        let Some(heap) = current_live() else { return };
        // The heap's one call up the layers besides the automatic collection: the
        // collector's exit pass (`collect::teardown`).
        crate::collect::at_thread_exit(heap);
        retire(heap);
    }
}

/// The end of the heap, after the collector's exit pass: what is still tracked is
/// referenced from outside the heap (another thread-local, a leaked handle) and is
/// detached, so that its later drop never touches freed lists; then the heap is freed,
/// unless its pools still hold blocks (they become the orphan pools, `alloc.rs`).
fn retire(heap: &Heap) {
    for list in heap.lists() {
        while let Some(obj) = list.first() {
            list::untrack(obj);
        }
    }
    let raw = HEAP.replace(DEAD_HEAP);
    if crate::alloc::keep_as_orphan(raw) {
        return;
    }
    // SAFETY: `raw` came from `Box::into_raw` in `create`; `HEAP` no longer hands it out,
    // no list links point into it, and `heap` is not used again.
    drop(unsafe { Box::from_raw(raw) });
}
