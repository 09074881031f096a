//! (L1) The per-thread heap (CPython's `GCState`): generation lists, counts and thresholds,
//! collector flags and statistics, and what the heap keeps for the layers above (`gc`
//! callbacks, `gc.garbage`, `weakref.finalize`'s registry). Created on first use; retired
//! when the thread exits, after the collector's exit pass. Its fields are private: the
//! other modules change it through methods named for what they do.

mod callbacks;
mod debug_flags;
mod freed_types;
mod kept;

use core::cell::Cell;
use core::ptr;

use crate::header::ObjLinks;
use crate::list::{self, GcList};
use crate::trashcan::Trashcan;
pub use callbacks::{CallbackId, CallbackInfo, Phase};
pub(crate) use callbacks::{Callbacks, UNREGISTERED};
pub use debug_flags::DebugFlags;
pub(crate) use freed_types::FreedTypes;
pub(crate) use kept::{AtExit, AtExitRegistry, Garbage};

/// Number of generations (CPython's `NUM_GENERATIONS`).
pub(crate) const NUM_GENERATIONS: usize = 3;

/// The oldest generation: what a full collection collects.
pub(crate) const OLDEST: usize = NUM_GENERATIONS - 1;

/// Every generation, youngest first.
pub(crate) const GENERATIONS: [usize; NUM_GENERATIONS] = [0, 1, 2];

/// CPython 3.13's default thresholds.
pub(crate) const DEFAULT_THRESHOLDS: [usize; NUM_GENERATIONS] = [2000, 10, 10];

/// Where the survivors of a collection of generation `g` go: the next older generation,
/// or the oldest again.
pub(crate) const fn older(g: usize) -> usize {
    if g < OLDEST { g + 1 } else { OLDEST }
}

/// One generation: its list, threshold and count (CPython's `gc_generation`).
struct Generation {
    list: GcList,
    threshold: Cell<usize>,
    /// Gen 0: tracked allocations minus deallocations since its last collection (never
    /// below 0). Gen 1 and 2: collections of the next younger generation since their last.
    count: Cell<usize>,
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

/// The lists of the running collection (collections never nest): the set being collected
/// (`young`), what it cannot reach (`unreachable`), the objects whose finalizers have been
/// visited (`seen`), and the garbage that stays garbage after the finalizers (`still`).
pub(crate) struct Scratch {
    pub(crate) young: GcList,
    pub(crate) unreachable: GcList,
    pub(crate) seen: GcList,
    pub(crate) still: GcList,
}

/// The collector state of one thread.
///
/// Invariant: boxed and never moved after `Heap::create`, because list heads point to
/// themselves and objects point to list heads.
///
/// `repr(C)` with generation 0 first: its list head is then at the heap's own address,
/// which saves the allocation path an instruction (B1 churn: 0.96M instructions per
/// million objects more when rustc placed it elsewhere), and the fields the allocation
/// and deallocation paths read come next.
#[repr(C)]
pub(crate) struct Heap {
    generations: [Generation; NUM_GENERATIONS],
    /// `count[0]` above this triggers an automatic collection: `threshold[0]` while enabled
    /// and non-zero, else `usize::MAX`. Folds three CPython tests into one compare.
    auto_limit: Cell<usize>,
    trashcan: Trashcan,
    /// This thread's pymalloc pools: every object block comes from here (`alloc.rs`).
    pools: crate::alloc::Pools,
    /// The object-specific free lists (`freelist.rs`).
    free_lists: crate::freelist::FreeLists,
    /// `gc.freeze()`'s permanent generation: never scanned, acts as a root.
    permanent: GcList,
    scratch: Scratch,
    /// `mark_reachable`'s stack, kept between collections so it is allocated once.
    mark_stack: Cell<Vec<ObjLinks>>,
    garbage: Garbage,
    at_exit: AtExitRegistry,
    enabled: Cell<bool>,
    /// Re-entrancy guard: a collection is running (CPython's `gcstate->collecting`).
    collecting: Cell<bool>,
    debug: Cell<DebugFlags>,
    stats: [Cell<GenerationStats>; NUM_GENERATIONS],
    /// Objects in the oldest generation after the last full collection.
    long_lived_total: Cell<usize>,
    /// Objects promoted into the oldest generation since the last full collection.
    long_lived_pending: Cell<usize>,
    callbacks: Callbacks,
    /// The types the last collection freed, when a tool asks (`gc::set_count_freed_types`).
    freed_types: FreedTypes,
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
            scratch: Scratch {
                young: GcList::new(),
                unreachable: GcList::new(),
                seen: GcList::new(),
                still: GcList::new(),
            },
            mark_stack: Cell::new(Vec::new()),
            garbage: Garbage::default(),
            at_exit: AtExitRegistry::new(),
            auto_limit: Cell::new(DEFAULT_THRESHOLDS[0]),
            enabled: Cell::new(true),
            collecting: Cell::new(false),
            debug: Cell::new(DebugFlags::empty()),
            stats: Default::default(),
            long_lived_total: Cell::new(0),
            long_lived_pending: Cell::new(0),
            callbacks: Callbacks::new(),
            freed_types: FreedTypes::default(),
            trashcan: Trashcan::new(),
            pools: crate::alloc::Pools::default(),
            free_lists: crate::freelist::FreeLists::default(),
        }
    }

    fn lists(&self) -> impl Iterator<Item = &GcList> {
        let generations = self.generations.iter().map(|g| &g.list);
        let s = &self.scratch;
        let scratch = [&s.young, &s.unreachable, &s.seen, &s.still];
        generations.chain([&self.permanent]).chain(scratch)
    }

    // ---- the allocation path -------------------------------------------------------

    /// Counts a tracked allocation and runs an automatic collection when `count[0]` passes
    /// the limit. Budget: a load, an add, a store, a compare.
    #[inline]
    pub(crate) fn note_tracked_alloc(&self) {
        let count = &self.generations[0].count;
        count.set(count.get() + 1);
        if count.get() > self.auto_limit.get() {
            // The one call up the layers (docs/design.md, "Layers").
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
    pub(crate) fn track_new(&self, obj: ObjLinks) {
        self.generations[0].list.append(obj);
    }

    // ---- generations: counts, thresholds, the automatic trigger --------------------

    /// Generation `g`'s list.
    pub(crate) fn list(&self, g: usize) -> &GcList {
        &self.generations[g].list
    }

    pub(crate) fn counts(&self) -> [usize; NUM_GENERATIONS] {
        GENERATIONS.map(|g| self.generations[g].count.get())
    }

    pub(crate) fn thresholds(&self) -> [usize; NUM_GENERATIONS] {
        GENERATIONS.map(|g| self.generations[g].threshold.get())
    }

    pub(crate) fn set_thresholds(&self, thresholds: [usize; NUM_GENERATIONS]) {
        for (generation, t) in self.generations.iter().zip(thresholds) {
            generation.threshold.set(t);
        }
        self.update_auto_limit();
    }

    /// Whether generation `g`'s count exceeds its threshold.
    pub(crate) fn over_threshold(&self, g: usize) -> bool {
        let generation = &self.generations[g];
        generation.count.get() > generation.threshold.get()
    }

    /// CPython 3.13's gate on full collections: the objects promoted into the oldest
    /// generation since the last one reach a quarter of those it held then.
    pub(crate) fn full_collection_due(&self) -> bool {
        self.long_lived_pending.get() >= self.long_lived_total.get() / 4
    }

    pub(crate) fn isenabled(&self) -> bool {
        self.enabled.get()
    }

    pub(crate) fn set_enabled(&self, enabled: bool) {
        self.enabled.set(enabled);
        self.update_auto_limit();
    }

    fn update_auto_limit(&self) {
        let t0 = self.generations[0].threshold.get();
        let on = self.enabled.get() && t0 != 0;
        self.auto_limit.set(if on { t0 } else { usize::MAX });
    }

    // ---- one collection ------------------------------------------------------------

    pub(crate) fn is_collecting(&self) -> bool {
        self.collecting.get()
    }

    pub(crate) fn set_collecting(&self, collecting: bool) {
        self.collecting.set(collecting);
    }

    /// The start of a collection of `g`, as CPython counts it: `count[g+1] += 1`,
    /// `count[0..=g] = 0`; then generations `0..=g` are merged into the scratch list
    /// `young` (what is allocated from here on, by `Drop` impls, goes to generation 0).
    pub(crate) fn gather(&self, g: usize) {
        if g < OLDEST {
            let next = &self.generations[g + 1].count;
            next.set(next.get() + 1);
        }
        for generation in &self.generations[..=g] {
            generation.count.set(0);
            self.scratch.young.merge_from(&generation.list);
        }
    }

    /// The survivors left in `young` move to [`older`]`(g)`, and the long-lived counts that
    /// gate full collections note them: promoted by a collection of generation 1, or all
    /// that is left after a full one.
    pub(crate) fn promote_survivors(&self, g: usize, survivors: usize) {
        match g {
            0 => {}
            OLDEST => {
                self.long_lived_pending.set(0);
                self.long_lived_total.set(survivors);
            }
            _ => self
                .long_lived_pending
                .set(self.long_lived_pending.get() + survivors),
        }
        self.list(older(g)).merge_from(&self.scratch.young);
    }

    pub(crate) fn scratch(&self) -> &Scratch {
        &self.scratch
    }

    /// Runs `f` with the mark stack (taken out of the heap meanwhile).
    pub(crate) fn with_mark_stack<R>(&self, f: impl FnOnce(&mut Vec<ObjLinks>) -> R) -> R {
        let mut stack = self.mark_stack.take();
        let result = f(&mut stack);
        stack.clear();
        self.mark_stack.set(stack);
        result
    }

    /// Adds one collection of `g` to `gc.get_stats()`.
    pub(crate) fn record_collection(&self, g: usize, collected: usize, uncollectable: usize) {
        let cell = &self.stats[g];
        let old = cell.get();
        cell.set(GenerationStats {
            collections: old.collections + 1,
            collected: old.collected + collected,
            uncollectable: old.uncollectable + uncollectable,
        });
    }

    pub(crate) fn stats(&self) -> [GenerationStats; NUM_GENERATIONS] {
        self.stats.each_ref().map(Cell::get)
    }

    pub(crate) fn debug_flags(&self) -> DebugFlags {
        self.debug.get()
    }

    pub(crate) fn set_debug_flags(&self, flags: DebugFlags) {
        self.debug.set(flags);
    }

    /// Whether `flag` is among the debug flags.
    pub(crate) fn debugging(&self, flag: DebugFlags) -> bool {
        self.debug.get().contains(flag)
    }

    // ---- gc.freeze -----------------------------------------------------------------

    /// `gc.freeze()`: every generation into the permanent one; counts to zero.
    pub(crate) fn freeze(&self) {
        for generation in &self.generations {
            self.permanent.merge_from(&generation.list);
            generation.count.set(0);
        }
    }

    /// `gc.unfreeze()`: the permanent generation into the oldest.
    pub(crate) fn unfreeze(&self) {
        self.list(OLDEST).merge_from(&self.permanent);
    }

    /// Objects in the permanent generation.
    pub(crate) fn freeze_count(&self) -> usize {
        self.permanent.len()
    }

    // ---- what the heap keeps for the layers above --------------------------------

    pub(crate) fn callbacks(&self) -> &Callbacks {
        &self.callbacks
    }

    pub(crate) fn freed_types(&self) -> &FreedTypes {
        &self.freed_types
    }

    pub(crate) fn garbage(&self) -> &Garbage {
        &self.garbage
    }

    pub(crate) fn at_exit(&self) -> &AtExitRegistry {
        &self.at_exit
    }

    pub(crate) fn trashcan(&self) -> &Trashcan {
        &self.trashcan
    }

    pub(crate) fn pools(&self) -> &crate::alloc::Pools {
        &self.pools
    }

    pub(crate) fn free_lists(&self) -> &crate::freelist::FreeLists {
        &self.free_lists
    }

    /// Checks that every list is consistent (expensive checks only).
    #[cfg(feature = "expensive-checks")]
    pub(crate) fn validate(&self) {
        for list in self.lists() {
            list.validate(list::Marks::None);
        }
        self.free_lists.validate();
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

/// An object is leaving the heap (its count reached zero, or `Gc::try_unwrap` took its
/// value): unlink it from its generation and count a deallocation (CPython's
/// `PyObject_GC_Del` decrements `count[0]` if positive).
#[inline]
pub(crate) fn untrack_leaving(gc: ObjLinks) {
    untrack_leaving_in(current_live(), gc)
}

/// [`untrack_leaving`] with the heap already looked up (`None` after teardown).
#[inline]
pub(crate) fn untrack_leaving_in(heap: Option<&Heap>, gc: ObjLinks) {
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
        detach_survivors(heap);
        crate::alloc::clear_free_lists(heap);
        retire();
    }
}

/// After the collector's exit pass, what is still tracked is referenced from outside the
/// heap (another thread-local, a leaked handle): it is detached, so that its later drop
/// never touches freed lists.
fn detach_survivors(heap: &Heap) {
    for list in heap.lists() {
        while let Some(obj) = list.first() {
            list::untrack(obj);
        }
    }
}

/// The end of the heap: it is freed, unless its pools still hold blocks (they become the
/// orphan pools, `alloc.rs`). Takes no `&Heap`: a reference passed in would be protected
/// for the whole call, and freeing the box under it is undefined behaviour (Miri's
/// Stacked Borrows reported exactly that).
fn retire() {
    let raw = HEAP.replace(DEAD_HEAP);
    if crate::alloc::keep_as_orphan(raw) {
        return;
    }
    // SAFETY: `raw` came from `Box::into_raw` in `create`; `HEAP` no longer hands it out,
    // no list links point into it, and no reference into it is used again.
    drop(unsafe { Box::from_raw(raw) });
}
