//! (L4) CPython's `sys` functions about objects and memory, plus the two hooks the collector
//! reports through: `sys.stderr` and `sys.unraisablehook`.
//!
//! Like the heap, `stderr` and the unraisable hook are per thread: each thread is its own
//! interpreter as far as pymem is concerned.
//!
//! With the `fault-injection` cargo feature, this module also has CPython's allocation
//! failure hooks from `_testcapi` (`set_nomemory`, `remove_mem_hooks`) and a periodic
//! variant (`set_nomemory_every`), which make object allocations on this thread fail so
//! that the error paths of [`Gc::try_new`](crate::Gc::try_new) can be tested.

use core::any::{TypeId, type_name};

use crate::erased::AsObject;
use crate::freelist::{FreeList, FreeListSpec, FreeListStats};
use crate::unraisable::write_stderr;

pub use crate::unraisable::{
    UnraisableHookArgs, default_unraisablehook, reset_stderr, reset_unraisablehook, set_stderr,
    set_unraisablehook,
};

#[cfg(feature = "fault-injection")]
pub use crate::nomemory::{remove_mem_hooks, set_nomemory, set_nomemory_every};

/// `sys.getrefcount(obj)`: the object's reference count.
///
/// CPython's result is one higher than the references the caller sees, because passing
/// the object as an argument adds one; in Rust a borrow adds none, so for
/// `x = object(); sys.getrefcount(x)` (CPython: 2) pymem returns 1.
pub fn getrefcount(obj: &dyn AsObject) -> usize {
    obj.obj_ptr().refcnt()
}

/// `sys.getsizeof(obj)`: bytes of the object's block, header(s) included, as CPython adds
/// the GC pre-header to `__sizeof__`. Memory the value owns elsewhere (a `Vec`'s buffer) is
/// not included, as for CPython objects without a custom `__sizeof__`.
pub fn getsizeof(obj: &dyn AsObject) -> usize {
    obj.obj_ptr().vtable().block_size
}

/// `sys._debugmallocstats()`: writes this thread's pymalloc statistics to [`set_stderr`]'s
/// writer, in CPython's layout (size classes, arenas, bytes), then, after a blank line, one
/// line per object free list ([`all_freelist_stats`], CPython's `_PyObject_DebugTypeStats`
/// lines). With the `system-alloc` feature there are no pools, and it says so instead.
pub fn debugmallocstats() {
    match crate::alloc::stats() {
        Some(stats) => write_stderr(format_args!("{stats}")),
        None => write_stderr(format_args!(
            "pymalloc is not in use: every block comes from the system allocator\n"
        )),
    }
    let lists: String = all_freelist_stats()
        .iter()
        .map(ToString::to_string)
        .collect();
    if !lists.is_empty() {
        write_stderr(format_args!("\n{lists}"));
    }
}

/// The state of `T`'s free lists ([`freelist`](crate::freelist)) on this thread, in
/// [`FreeList::LISTS`] order: counts are 0 before the type's first free and after the
/// heap's teardown.
pub fn freelist_stats<T: FreeList>() -> Vec<FreeListStats> {
    let counts = crate::heap::current_live()
        .map(|heap| heap.free_lists().counts(TypeId::of::<T>()))
        .unwrap_or_default();
    let block_size = crate::object::block_size::<T>();
    let stat = |(i, spec): (usize, &FreeListSpec)| FreeListStats {
        type_name: type_name::<T>(),
        name: spec.name,
        count: counts.get(i).copied().unwrap_or(0),
        capacity: spec.capacity,
        block_size,
    };
    T::LISTS.iter().enumerate().map(stat).collect()
}

/// Every free list of every type that has freed a block on this thread, types in the order
/// of their first free, each type's lists in [`FreeList::LISTS`] order.
pub fn all_freelist_stats() -> Vec<FreeListStats> {
    crate::heap::current_live().map_or_else(Vec::new, |heap| heap.free_lists().stats())
}

/// The statistics [`debugmallocstats`] prints, as data (`None` with `system-alloc`).
pub fn mallocstats() -> Option<pymem_alloc::Stats> {
    crate::alloc::stats()
}

/// `sys.getallocatedblocks()`: object blocks allocated on this thread (from pools, and from
/// the system for objects over 512 bytes); 0 with `system-alloc`, where nothing counts them.
pub fn getallocatedblocks() -> usize {
    crate::alloc::allocated_blocks().unwrap_or(0)
}
