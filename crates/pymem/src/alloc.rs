//! Where object blocks come from: this thread's pymalloc pools (`Heap::pools`), or the
//! system allocator with the `system-alloc` feature (so that Miri, ASan and valgrind see
//! every block). With the `debug-alloc` feature the pools are wrapped in CPython's debug
//! hooks (`PYTHONMALLOC=pymalloc_debug`): fresh blocks filled with 0xCD, freed ones with
//! 0xDD and held in a quarantine, guard bytes on both sides checked at free; damage panics
//! with a report naming the block.
//!
//! A block must go back to the allocator it came from, including blocks freed after the
//! heap's teardown (objects referenced from other thread-locals). The rule:
//! * while the heap lives, its pools serve and take back every block;
//! * at teardown, if blocks are still allocated, the heap (with its pools) is kept as the
//!   thread's *orphan pools*, which serve and take back every block until the last one is
//!   freed, and are then released;
//! * otherwise (no heap, no orphan pools), the system allocator does.
//!
//! Blocks are never allocated from one and freed to another, because each case holds from
//! allocation to free: the orphan pools exist exactly while blocks from the pools do.

use core::alloc::Layout;
use core::cell::Cell;
use core::ptr::{self, NonNull};

use pymem_alloc::{PyMalloc, RawAlloc, System};

/// A heap's allocator.
#[cfg(not(feature = "debug-alloc"))]
pub(crate) type Pools = PyMalloc;
/// A heap's allocator: the pools behind CPython's debug hooks.
#[cfg(feature = "debug-alloc")]
pub(crate) type Pools = pymem_alloc::DebugAlloc<PyMalloc>;

#[cfg(not(feature = "debug-alloc"))]
fn pymalloc(pools: &Pools) -> &PyMalloc {
    pools
}

#[cfg(feature = "debug-alloc")]
fn pymalloc(pools: &Pools) -> &PyMalloc {
    pools.inner()
}

/// Object blocks allocated from `pools` (not counting blocks in the debug quarantine).
fn outstanding(pools: &Pools) -> usize {
    #[cfg(feature = "debug-alloc")]
    let quarantined = pools.quarantined();
    #[cfg(not(feature = "debug-alloc"))]
    let quarantined = 0;
    pymalloc(pools).allocated_blocks() - quarantined
}

/// # Safety
/// As [`RawAlloc::dealloc`], with a pointer never narrowed by a reference.
#[inline]
unsafe fn free_to(pools: &Pools, ptr: NonNull<u8>, layout: Layout) {
    #[cfg(not(feature = "debug-alloc"))]
    // SAFETY: the caller's contract is `dealloc_derived`'s.
    unsafe {
        pools.dealloc_derived(ptr, layout)
    }
    #[cfg(feature = "debug-alloc")]
    // SAFETY: the caller's contract.
    unsafe {
        pools.dealloc(ptr, layout)
    }
}

use crate::heap::{self, Heap};

thread_local! {
    /// The torn-down heap whose pools still hold blocks (null: none).
    static ORPHAN: Cell<*mut Heap> = const { Cell::new(ptr::null_mut()) };
}

/// The pools in use on this thread, if any. Creates the heap on first use.
#[inline]
fn pools<'a>() -> Option<&'a Pools> {
    if cfg!(feature = "system-alloc") {
        return None;
    }
    match heap::current() {
        Some(heap) => Some(&heap.pools),
        None => orphan(),
    }
}

#[cold]
fn orphan<'a>() -> Option<&'a Pools> {
    let heap = ORPHAN.get();
    // SAFETY: a non-null orphan is a leaked heap box, freed only by `release_orphan` after
    // its last block, when no caller uses it any more.
    (!heap.is_null()).then(|| unsafe { &(*heap).pools })
}

/// A block for an object. Aborts when memory is exhausted (as `Box` does).
/// Budget (pools): the TLS read of the heap and the pool fast path.
#[inline]
pub(crate) fn allocate(layout: Layout) -> NonNull<u8> {
    let block = match pools() {
        Some(pools) => pools.alloc(layout),
        None => System.alloc(layout),
    };
    block.unwrap_or_else(|| std::alloc::handle_alloc_error(layout))
}

/// Gives a block back to where it came from.
///
/// # Safety
/// `ptr` must come from [`allocate`] on this thread with `layout`, and not be freed since.
#[inline]
pub(crate) unsafe fn deallocate(ptr: NonNull<u8>, layout: Layout) {
    if cfg!(feature = "system-alloc") {
        // SAFETY: with `system-alloc` every block came from `System`.
        return unsafe { System.dealloc(ptr, layout) };
    }
    match heap::current_live() {
        // SAFETY: while the heap lives, its pools served every block, and object pointers
        // are raw pointers derived from the block pointer (never narrowed by a reference).
        Some(heap) => unsafe { free_to(&heap.pools, ptr, layout) },
        // SAFETY: after teardown, the rule above: orphan pools or the system.
        None => unsafe { deallocate_after_teardown(ptr, layout) },
    }
}

/// # Safety
/// As for [`deallocate`], after this thread's heap was torn down.
#[cold]
unsafe fn deallocate_after_teardown(ptr: NonNull<u8>, layout: Layout) {
    let Some(pools) = orphan() else {
        // SAFETY: no pools outlived the heap, so the block came from `System`.
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
/// blocks. If so it becomes the orphan pools and the caller must not free it.
pub(crate) fn keep_as_orphan(heap: *mut Heap) -> bool {
    // SAFETY: the caller passes the live heap it is tearing down.
    let busy = outstanding(unsafe { &(*heap).pools }) > 0;
    if busy && !cfg!(feature = "system-alloc") {
        ORPHAN.set(heap);
    }
    busy && !cfg!(feature = "system-alloc")
}

/// Gives the pools' spare pools back (after a full collection, where CPython clears its
/// free lists).
pub(crate) fn clear_freelists(heap: &Heap) {
    if !cfg!(feature = "system-alloc") {
        pymalloc(&heap.pools).trim();
    }
}

/// This thread's pool statistics (`sys._debugmallocstats`), if pools are in use.
pub(crate) fn stats() -> Option<pymem_alloc::Stats> {
    pools().map(|p| pymalloc(p).stats())
}

/// Blocks allocated on this thread, from pools and from the system through the pools
/// (`sys.getallocatedblocks`); `None` with `system-alloc`.
pub(crate) fn allocated_blocks() -> Option<usize> {
    pools().map(outstanding)
}
