//! (L1) Where object blocks come from: this thread's allocator (`Heap::pools`), a
//! [`Traced`](pymem_trace::Traced) wrapper (tracemalloc) around one of
//! * pymalloc's pools (the default);
//! * the pools behind CPython's debug hooks (`debug-alloc`, `PYTHONMALLOC=pymalloc_debug`):
//!   fresh blocks filled with 0xCD, freed ones with 0xDD and held in a quarantine, guard
//!   bytes on both sides checked at free; damage panics with a report naming the block;
//! * the system allocator (`system-alloc`, `PYTHONMALLOC=malloc`), so that Miri, ASan and
//!   valgrind see every block.
//!
//! A block must go back to the allocator it came from, including blocks freed after the
//! heap's teardown (objects referenced from other thread-locals). The rule:
//! * while the heap lives, its allocator serves and takes back every block;
//! * at teardown, if pool blocks are still allocated, the heap (with its pools) is kept as
//!   the thread's *orphan pools*, which serve and take back every block until the last one
//!   is freed, and are then released;
//! * otherwise (no heap, no orphan pools, or `system-alloc`), the system allocator does.
//!
//! Blocks are never allocated from one and freed to another, because each case holds from
//! allocation to free: the orphan pools exist exactly while blocks from the pools do.

use core::alloc::Layout;
use core::cell::Cell;
use core::panic::Location;
use core::ptr::{self, NonNull};

use pymem_alloc::{PyMalloc, RawAlloc, System};
use pymem_trace::Traced;

use crate::heap::{self, Heap};

/// What a heap's blocks come from, under the tracer.
#[cfg(not(any(feature = "debug-alloc", feature = "system-alloc")))]
pub(crate) type Inner = PyMalloc;
/// What a heap's blocks come from, under the tracer: the pools behind the debug hooks.
#[cfg(all(feature = "debug-alloc", not(feature = "system-alloc")))]
pub(crate) type Inner = pymem_alloc::DebugAlloc<PyMalloc>;
/// What a heap's blocks come from, under the tracer: the system allocator.
#[cfg(feature = "system-alloc")]
pub(crate) type Inner = System;

/// A heap's allocator.
pub(crate) type Pools = Traced<Inner>;

/// Whether blocks come from pools (which must outlive their last block).
const POOLED: bool = !cfg!(feature = "system-alloc");

/// The pools, for statistics (`None` with `system-alloc`).
fn pymalloc(pools: &Pools) -> Option<&PyMalloc> {
    #[cfg(not(any(feature = "debug-alloc", feature = "system-alloc")))]
    return Some(pools.inner());
    #[cfg(all(feature = "debug-alloc", not(feature = "system-alloc")))]
    return Some(pools.inner().inner());
    #[cfg(feature = "system-alloc")]
    return {
        let _ = pools;
        None
    };
}

/// Object blocks allocated from the pools (not counting blocks in the debug quarantine).
fn outstanding(pools: &Pools) -> usize {
    #[cfg(all(feature = "debug-alloc", not(feature = "system-alloc")))]
    let quarantined = pools.inner().quarantined();
    #[cfg(not(all(feature = "debug-alloc", not(feature = "system-alloc"))))]
    let quarantined = 0;
    pymalloc(pools).map_or(0, |p| p.allocated_blocks() - quarantined)
}

/// Untraces a block and gives it back to the heap's allocator.
///
/// # Safety
/// As [`RawAlloc::dealloc`] on `pools`, with a pointer never narrowed by a reference.
#[inline(always)]
unsafe fn free_to(pools: &Pools, ptr: NonNull<u8>, layout: Layout) {
    if pools.tracer().is_tracing() {
        untrace(pools, ptr);
    }
    #[cfg(not(any(feature = "debug-alloc", feature = "system-alloc")))]
    // SAFETY: the caller's contract is `dealloc_derived`'s.
    unsafe {
        pools.inner().dealloc_derived(ptr, layout)
    }
    #[cfg(any(feature = "debug-alloc", feature = "system-alloc"))]
    // SAFETY: the caller's contract.
    unsafe {
        pools.inner().dealloc(ptr, layout)
    }
}

thread_local! {
    /// The torn-down heap whose pools still hold blocks (null: none).
    static ORPHAN: Cell<*mut Heap> = const { Cell::new(ptr::null_mut()) };
}

/// The allocator in use on this thread, if any. Creates the heap on first use.
#[inline]
fn pools<'a>() -> Option<&'a Pools> {
    match heap::current() {
        Some(heap) => Some(heap.pools()),
        None => orphan(),
    }
}

#[cold]
fn orphan<'a>() -> Option<&'a Pools> {
    let heap = ORPHAN.get();
    // SAFETY: a non-null orphan is a leaked heap box, freed only by `release_orphan` after
    // its last block, when no caller uses it any more.
    (!heap.is_null()).then(|| unsafe { (*heap).pools() })
}

/// The layout of the blocks of a type, as a constant of the type: the traced allocation,
/// out of line, is compiled once per layout, with the size class and the size folded in.
pub(crate) trait BlockLayout {
    const LAYOUT: Layout;
    /// Blocks of a tracked type, whose allocation `count[0]` counts.
    const TRACKED: bool;
}

/// A block of layout `L::LAYOUT` for an object allocated at `caller` (what tracemalloc
/// records), whose allocation the caller has counted already (`Gc::new`). Aborts when
/// memory is exhausted (as `Box` does).
///
/// If tracemalloc's frame provider panics, the block is freed (and, for a tracked type,
/// the count given back, as `PyObject_GC_Del` would) before the panic goes on.
#[inline(always)]
pub(crate) fn allocate<L: BlockLayout>(caller: &'static Location<'static>) -> NonNull<u8> {
    allocate_in::<L, true>(caller).unwrap_or_else(|| std::alloc::handle_alloc_error(L::LAYOUT))
}

/// A block for an object allocated at `caller`, or `None` when memory is exhausted (or
/// `sys::set_nomemory` says this allocation fails). A failure leaves no trace: nothing is
/// traced and the pools' counts are those before the call. Budget (pools, not tracing):
/// the TLS read of the heap, one tracing test, and the pool fast path; with the
/// `fault-injection` feature, a TLS load and a test before them. A frame provider that
/// panics leaves no trace either: the block is freed before the panic goes on.
#[inline(always)]
pub(crate) fn try_allocate<L: BlockLayout>(
    caller: &'static Location<'static>,
) -> Option<NonNull<u8>> {
    allocate_in::<L, false>(caller)
}

/// [`try_allocate`]; `COUNTED`: the caller counted the allocation before it.
#[inline(always)]
fn allocate_in<L: BlockLayout, const COUNTED: bool>(
    caller: &'static Location<'static>,
) -> Option<NonNull<u8>> {
    #[cfg(feature = "fault-injection")]
    if crate::nomemory::fails() {
        return None;
    }
    match pools() {
        Some(pools) if pools.tracer().is_tracing() => allocate_traced::<L, COUNTED>(pools, caller),
        Some(pools) => pools.inner().alloc(L::LAYOUT),
        None => System.alloc(L::LAYOUT),
    }
}

/// The allocation while tracing: out of line, so that not tracing costs one test. Its
/// common case (a block from a used pool, a trace in the page used last) is made of leaves
/// and ends in tail calls, so that it saves no registers. Budget: about 40 instructions.
#[cold]
#[inline(never)]
fn allocate_traced<L: BlockLayout, const COUNTED: bool>(
    pools: &Pools,
    caller: &'static Location<'static>,
) -> Option<NonNull<u8>> {
    let uncount = COUNTED && L::TRACKED;
    let Some(block) = alloc_leaf(pools, L::LAYOUT) else {
        return allocate_traced_slow(pools, L::LAYOUT, caller, uncount);
    };
    let addr = block.as_ptr().addr();
    if !pools
        .tracer()
        .try_record_caller(addr, L::LAYOUT.size(), caller)
    {
        return record_after(pools, block, L::LAYOUT, caller, uncount);
    }
    Some(block)
}

/// The pools' leaf fast path for a small layout (see [`PyMalloc::alloc_small_leaf`]);
/// `None` when it does not apply.
#[inline(always)]
fn alloc_leaf(pools: &Pools, layout: Layout) -> Option<NonNull<u8>> {
    #[cfg(not(any(feature = "debug-alloc", feature = "system-alloc")))]
    if PyMalloc::is_small(layout) {
        return pools.inner().alloc_small_leaf(layout.size());
    }
    let _ = (pools, layout);
    None
}

#[cold]
#[inline(never)]
fn allocate_traced_slow(
    pools: &Pools,
    layout: Layout,
    caller: &'static Location<'static>,
    uncount: bool,
) -> Option<NonNull<u8>> {
    let block = pools.inner().alloc(layout)?;
    record_after(pools, block, layout, caller, uncount)
}

/// Records a block the fast path did not. This is where tracemalloc's frame provider
/// (user code) runs: if it panics, the block goes back to the pools, untraced (the
/// trace is added only after the provider returns), and with `uncount` `count[0]` is
/// decremented as for a freed object.
#[cold]
#[inline(never)]
fn record_after(
    pools: &Pools,
    block: NonNull<u8>,
    layout: Layout,
    caller: &'static Location<'static>,
    uncount: bool,
) -> Option<NonNull<u8>> {
    struct FreeOnUnwind<'a>(&'a Pools, NonNull<u8>, Layout, bool);
    impl Drop for FreeOnUnwind<'_> {
        fn drop(&mut self) {
            let FreeOnUnwind(pools, block, layout, uncount) = *self;
            // SAFETY: the block came from `pools.inner()` with `layout` just now, holds no
            // value and was not recorded; nothing else refers to it.
            unsafe { pools.inner().dealloc(block, layout) };
            if let Some(heap) = heap::current_live().filter(|_| uncount) {
                heap.count_dealloc();
            }
        }
    }
    let on_unwind = FreeOnUnwind(pools, block, layout, uncount);
    let addr = block.as_ptr().addr();
    pools
        .tracer()
        .record_now(pymem_trace::DEFAULT_DOMAIN, addr, layout.size(), caller);
    core::mem::forget(on_unwind);
    Some(block)
}

#[cold]
#[inline(never)]
fn untrace(pools: &Pools, ptr: NonNull<u8>) {
    let addr = ptr.as_ptr().addr();
    pools.tracer().forget_now(pymem_trace::DEFAULT_DOMAIN, addr);
}

/// Gives a block back to where it came from.
///
/// # Safety
/// `ptr` must come from [`allocate`] on this thread with `layout`, and not be freed since.
#[inline]
pub(crate) unsafe fn deallocate(ptr: NonNull<u8>, layout: Layout) {
    match heap::current_live() {
        // SAFETY: while the heap lives, its allocator served every block, and object
        // pointers are raw pointers derived from the block pointer (never narrowed).
        Some(heap) => unsafe { free_to(heap.pools(), ptr, layout) },
        // SAFETY: after teardown, the rule above: orphan pools or the system.
        None => unsafe { deallocate_after_teardown(ptr, layout) },
    }
}

/// # Safety
/// As for [`deallocate`], after this thread's heap was torn down.
#[cold]
unsafe fn deallocate_after_teardown(ptr: NonNull<u8>, layout: Layout) {
    let Some(pools) = orphan() else {
        // SAFETY: no pools outlived the heap, so the block came from `System` (directly, or
        // as the heap's allocator with `system-alloc`).
        return unsafe { System.dealloc(ptr, layout) };
    };
    // SAFETY: the orphan pools served every block still allocated, and object pointers
    // keep the block pointer's provenance.
    unsafe { free_to(pools, ptr, layout) };
    if outstanding(pools) == 0 {
        release_orphan();
    }
}

fn release_orphan() {
    let heap = ORPHAN.replace(ptr::null_mut());
    // SAFETY: `heap` is the box `keep_as_orphan` leaked; its last block was just freed.
    drop(unsafe { Box::from_raw(heap) });
}

/// Heap teardown: whether the heap box must outlive the heap because its pools still hold
/// blocks. If so it becomes the orphan pools and the caller must not free it. Tracing
/// stops: the objects that outlive the heap are not traced any more.
pub(crate) fn keep_as_orphan(heap: *mut Heap) -> bool {
    // SAFETY: the caller passes the live heap it is tearing down.
    let pools = unsafe { (*heap).pools() };
    pools.tracer().stop();
    let busy = POOLED && outstanding(pools) > 0;
    if busy {
        ORPHAN.set(heap);
    }
    busy
}

/// Empties the heap's object free lists into its allocator, then gives the pools' spare
/// pools back (after a full collection, CPython's `_PyGC_ClearAllFreeLists`; at thread
/// exit; `gc::clear_freelists`). Returns the blocks freed. Each block of a tracked type
/// counts as a deallocation (`count[0] -= 1` if positive), as CPython frees them with
/// `PyObject_GC_Del`.
pub(crate) fn clear_free_lists(heap: &Heap) -> usize {
    let blocks = heap.free_lists().take_all();
    for &(block, layout, tracked) in &blocks {
        if tracked {
            heap.count_dealloc();
        }
        // SAFETY: the free lists' invariant: each block was allocated on this thread with
        // `layout` by `allocate` while this heap lived (so by its allocator), holds no
        // value, and nothing refers to it; `take_all` removed it from the lists.
        unsafe { free_to(heap.pools(), block, layout) };
    }
    if let Some(pools) = pymalloc(heap.pools()) {
        pools.trim();
    }
    blocks.len()
}

/// Keeps the block of a dead object on its type's free list `index` instead of freeing
/// it; returns false (the caller frees it) when there is no live heap or the list is full.
///
/// # Safety
/// `block` was allocated on this thread by [`allocate`] with `key.layout`, holds no value
/// and is referenced by nothing, as a freed block: `clear_free_lists` frees it and
/// `Gc::new` writes a new object into it on that word.
pub(crate) unsafe fn keep_free(
    block: NonNull<u8>,
    key: crate::freelist::Key,
    index: usize,
) -> bool {
    heap::current_live().is_some_and(|heap| {
        // SAFETY: the caller's contract is `push`'s.
        unsafe { heap.free_lists().push(key, index, block) }.is_none()
    })
}

/// A block from `T`'s free list `index`, if the heap lives and the list has one.
#[inline]
pub(crate) fn take_free(type_id: core::any::TypeId, index: usize) -> Option<NonNull<u8>> {
    heap::current_live()?.free_lists().pop(type_id, index)
}

/// This thread's pool statistics (`sys._debugmallocstats`), if pools are in use.
pub(crate) fn stats() -> Option<pymem_alloc::Stats> {
    pools().and_then(pymalloc).map(PyMalloc::stats)
}

/// Blocks allocated on this thread, from pools and from the system through the pools
/// (`sys.getallocatedblocks`); `None` with `system-alloc`.
pub(crate) fn allocated_blocks() -> Option<usize> {
    let pools = pools()?;
    pymalloc(pools).map(|_| outstanding(pools))
}

/// This thread's tracer (`pymem::tracemalloc`); `None` after the heap's teardown.
pub(crate) fn tracer<'a>() -> Option<&'a pymem_trace::Tracer> {
    heap::current().map(|heap| heap.pools().tracer())
}
