//! (L0) Object-specific free lists (CPython's `pycore_freelist.h`): a type that opts in
//! keeps the blocks of its dead objects on per-thread lists and takes new objects' blocks
//! from them before the pools, as CPython does for `float`, `tuple`, `list` and `dict`.
//!
//! # The model
//!
//! * **Opting in.** `#[derive(Trace)]` with `#[trace(freelist)]` and an `impl FreeList`
//!   naming the type's lists ([`FreeList::LISTS`]: a name and a capacity each) and which
//!   list a value uses ([`FreeList::free_list`]: CPython keys tuples by length). Types that
//!   do not opt in pay nothing: the test is on a constant.
//! * **Where a block goes.** When an object's count reaches zero, its weak references are
//!   cleared and its value dropped as always; then, if the value's list (asked before the
//!   drop) has room, the block goes on that list instead of back to the pools. A block
//!   on a free list is not an object: no handle points to it, it is in no generation, and
//!   the collector and `gc.get_objects` do not see it. Its header is rewritten when the
//!   block is reused, so nothing of the dead object survives.
//! * **`gc.get_count()` counts blocks**, as CPython 3.13 does: `count[0]` goes up when a
//!   tracked object's block is allocated (`_PyObject_GC_Link`) and down, if positive, when
//!   one is freed (`PyObject_GC_Del`). A block put on a list is not freed and one taken from
//!   it is not allocated: neither changes the count, and a reuse runs no automatic
//!   collection. A block that a full list refuses, and every block freed when the lists
//!   are emptied, counts as freed. So a type with free lists counts its deaths in
//!   `destroy`, where the block's fate is known, not when the object is untracked (a flag
//!   of the vtable, `free_lists`, tells the type-erased path; other types are unchanged).
//! * **What is not put on a list.** Blocks freed by the collector (their values were
//!   dropped by `tp_clear` before the list could be asked), by `Gc::try_unwrap`, by a
//!   panicking `Drop` go back to the pools; after the thread's heap is gone, to the orphan
//!   pools or the system allocator, as every block freed then.
//! * **tracemalloc.** As in CPython, a block on a free list is still allocated: it stays
//!   traced (with its first allocation's traceback, which the next object in it inherits),
//!   and `sys.getallocatedblocks` counts it.
//! * **Per thread.** The lists live in the thread's heap, as the pools do.
//! * **Emptied** by every full collection (CPython's `_PyGC_ClearAllFreeLists`), by
//!   [`gc::clear_freelists`](crate::gc::clear_freelists), and at thread exit; the blocks
//!   go back to the pools.
//! * **Statistics**: [`sys::freelist_stats`](crate::sys::freelist_stats) for one type,
//!   [`sys::all_freelist_stats`](crate::sys::all_freelist_stats) for every type used, and
//!   [`sys::debugmallocstats`](crate::sys::debugmallocstats) prints them after the pools,
//!   one [`FreeListStats`] line each, in CPython's format.
//!
//! The lists live in the heap (`heap`), blocks are freed to the pools by `alloc`, and
//! `object` takes and gives blocks in `Gc::new` and the deallocation; this module is the
//! lists' data and the opt-in.
//!
//! ```
//! use pymem::freelist::{FreeList, FreeListSpec};
//! use pymem::{Gc, Trace, gc, sys};
//!
//! #[derive(Trace)]
//! #[trace(freelist)]
//! struct Point(#[trace(skip)] f64, #[trace(skip)] f64);
//!
//! impl FreeList for Point {
//!     const LISTS: &'static [FreeListSpec] = &[FreeListSpec::new("Point", 100)];
//! }
//!
//! let a = Gc::new(Point(1.0, 2.0));
//! let id = Gc::id(&a);
//! drop(a); // the block goes on Point's free list...
//! assert_eq!(sys::freelist_stats::<Point>()[0].count, 1);
//! let b = Gc::new(Point(3.0, 4.0)); // ...and comes back from it
//! assert_eq!(Gc::id(&b), id);
//! drop(b);
//! assert_eq!(gc::clear_freelists(), 1);
//! assert_eq!(sys::freelist_stats::<Point>()[0].count, 0);
//! ```
//!
//! `gc.get_count()` for a tracked type, as CPython counts its lists:
//!
//! ```
//! use pymem::freelist::{FreeList, FreeListSpec};
//! use pymem::{Gc, Trace, gc};
//! use std::cell::RefCell;
//!
//! #[derive(Trace)]
//! #[trace(freelist)]
//! struct List(RefCell<Vec<Gc<List>>>);
//!
//! impl FreeList for List {
//!     const LISTS: &'static [FreeListSpec] = &[FreeListSpec::new("PyListObject", 80)];
//! }
//!
//! gc::disable();
//! let count = || gc::get_count().0;
//! let new = || Gc::new(List(RefCell::new(Vec::new())));
//! let start = count();
//! drop(new()); // allocated (+1), then kept on the list: not freed
//! assert_eq!(count(), start + 1);
//! let reused = new(); // from the list: not allocated
//! assert_eq!(count(), start + 1);
//! drop(reused);
//! gc::clear_freelists(); // now freed
//! assert_eq!(count(), start);
//! ```

use core::alloc::Layout;
use core::any::TypeId;
use core::cell::RefCell;
use core::fmt;
use core::ptr::NonNull;

use crate::trace::Trace;

/// One free list of a type: what `sys._debugmallocstats` calls it (CPython's block name,
/// e.g. `"PyFloatObject"`, printed with an `s`) and how many blocks it keeps at most.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FreeListSpec {
    /// The block name in statistics.
    pub name: &'static str,
    /// Blocks kept at most (CPython 3.13: float 100, tuple 2000 per length, list 80, dict 80).
    pub capacity: usize,
}

impl FreeListSpec {
    /// A list called `name` that keeps at most `capacity` blocks.
    pub const fn new(name: &'static str, capacity: usize) -> FreeListSpec {
        FreeListSpec { name, capacity }
    }
}

/// A type whose dead objects' blocks are kept for reuse. Needs `#[trace(freelist)]` on its
/// `#[derive(Trace)]` (which connects it to `Gc::new` and the deallocation; an impl without
/// it does not compile).
pub trait FreeList: Trace + FreeListEnabled + Sized + 'static {
    /// The type's lists; [`free_list`](FreeList::free_list) indexes them.
    const LISTS: &'static [FreeListSpec];

    /// The list whose blocks a value of this kind uses, or `None` for the pools (CPython's
    /// tuples: one list per length 1..=20, the empty tuple and longer ones none). Asked
    /// when a value is created and again when it dies, before its value is dropped; an
    /// index out of [`LISTS`](FreeList::LISTS) means the pools. Should not panic: a panic
    /// when the value dies frees its block and leaks the value's resources; one in
    /// `Gc::new` drops the value and goes on unwinding (both sound).
    fn free_list(&self) -> Option<usize> {
        Some(0)
    }
}

/// Implemented by `#[derive(Trace)]` for types marked `#[trace(freelist)]`; as a supertrait
/// of [`FreeList`] it turns a forgotten attribute into a compile error.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "the free lists of `{Self}` are not enabled: `FreeList` needs `#[trace(freelist)]`",
    label = "this type's `#[derive(Trace)]` lacks `#[trace(freelist)]`",
    note = "add #[trace(freelist)] next to #[derive(Trace)]"
)]
pub trait FreeListEnabled {}

/// One list's state, as [`sys::freelist_stats`](crate::sys::freelist_stats) reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FreeListStats {
    /// `std::any::type_name` of the object type.
    pub type_name: &'static str,
    /// The list's name ([`FreeListSpec::name`]).
    pub name: &'static str,
    /// Blocks on the list now.
    pub count: usize,
    /// Blocks it keeps at most.
    pub capacity: usize,
    /// Bytes per block (header included, as `sys.getsizeof`).
    pub block_size: usize,
}

impl fmt::Display for FreeListStats {
    /// CPython's `_PyDebugAllocatorStats` line: `"{count} free {name}s * {size} bytes
    /// each"` right-aligned in 48 columns, ` =`, the bytes with thousands separators
    /// right-aligned in 21.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = format!(
            "{} free {}s * {} bytes each",
            self.count, self.name, self.block_size
        );
        let bytes = grouped(self.count * self.block_size);
        writeln!(f, "{what:>48} ={bytes:>21}")
    }
}

/// `n` with thousands separators, as CPython's `printone`.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// One type's lists in a heap.
struct TypeLists {
    type_id: TypeId,
    type_name: &'static str,
    specs: &'static [FreeListSpec],
    layout: Layout,
    /// The type is tracked: freeing one of its blocks counts as a deallocation.
    tracked: bool,
    /// One stack of blocks per spec; blocks hold no value, are untracked and unreferenced.
    blocks: Vec<Vec<NonNull<u8>>>,
}

/// What a type pushing a block tells the lists about itself.
#[derive(Clone, Copy)]
pub(crate) struct Key {
    pub(crate) type_id: TypeId,
    /// `std::any::type_name` of the type, asked only when its lists are registered (the
    /// key is built on every death).
    pub(crate) type_name: fn() -> &'static str,
    pub(crate) specs: &'static [FreeListSpec],
    pub(crate) layout: Layout,
    pub(crate) tracked: bool,
}

/// A type's free lists as its vtable and `Gc::new` see them; `#[derive(Trace)]` writes
/// `const FREE_LISTS: Option<FreeListHooks> = Some(FreeListHooks::of::<Self>())` for
/// `#[trace(freelist)]`, and nothing else should build one.
#[doc(hidden)]
#[derive(Clone, Copy)]
pub struct FreeListHooks {
    pub(crate) specs: &'static [FreeListSpec],
    /// [`FreeList::free_list`]. Safety: a pointer to a live value of the hooks' type.
    index: unsafe fn(*const ()) -> Option<usize>,
    /// The type the hooks were made for: a hand-written `Trace` impl could name another
    /// type's hooks, and `index` must never see a value of the wrong type.
    type_id: TypeId,
}

impl FreeListHooks {
    /// The hooks of `T`.
    pub const fn of<T: FreeList>() -> FreeListHooks {
        FreeListHooks {
            specs: T::LISTS,
            index: index_of::<T>,
            type_id: TypeId::of::<T>(),
        }
    }

    /// The list `value` uses, if any; none when these hooks were made for another type
    /// than `value`'s, `type_id` (only a hand-written `Trace` impl can pair them so).
    ///
    /// # Safety
    /// `value` must point to a live value of the type `type_id` identifies.
    #[inline]
    pub(crate) unsafe fn index(&self, type_id: TypeId, value: *const ()) -> Option<usize> {
        if self.type_id != type_id {
            return None;
        }
        // SAFETY: the hooks were made by `of::<U>()` for the `U` whose id is `type_id`, so
        // `index` is `index_of::<U>`, and the caller's contract gives it a live `U`.
        unsafe { (self.index)(value) }.filter(|&i| i < self.specs.len())
    }
}

/// # Safety
/// `value` points to a live `T`.
unsafe fn index_of<T: FreeList>(value: *const ()) -> Option<usize> {
    // SAFETY: the caller's contract; only a shared borrow for the call.
    unsafe { &*value.cast::<T>() }.free_list()
}

/// The free lists of one heap. Blocks are addresses here; `alloc.rs` frees them and
/// `object.rs` writes new objects into them, trusting the invariant below, which
/// [`push`](Self::push) (an `unsafe fn`) asks its callers to keep.
///
/// Invariant: every block on a list of `type_id` was allocated on this thread with that
/// type's `layout`, holds no live value, is untracked and referenced by nothing; each list
/// holds at most its capacity, and a block is on at most one list once.
#[derive(Default)]
pub(crate) struct FreeLists {
    types: RefCell<Vec<TypeLists>>,
}

impl FreeLists {
    /// A block of the type's list `index`, if it has one.
    #[inline]
    pub(crate) fn pop(&self, type_id: TypeId, index: usize) -> Option<NonNull<u8>> {
        let mut types = self.types.borrow_mut();
        let lists = types.iter_mut().find(|t| t.type_id == type_id)?;
        lists.blocks.get_mut(index)?.pop()
    }

    /// Keeps `block` on list `index` of `key`'s type; gives it back if that list is full
    /// or does not exist.
    ///
    /// # Safety
    /// `block` was allocated on this thread with `key.layout`, holds no value and is
    /// referenced by nothing (the lists' invariant, which freeing and reusing rely on).
    pub(crate) unsafe fn push(
        &self,
        key: Key,
        index: usize,
        block: NonNull<u8>,
    ) -> Option<NonNull<u8>> {
        let capacity = key.specs.get(index).map_or(0, |spec| spec.capacity);
        let mut types = self.types.borrow_mut();
        let lists = match types.iter().position(|t| t.type_id == key.type_id) {
            Some(i) => &mut types[i],
            None => register(&mut types, key),
        };
        let list = lists.blocks.get_mut(index).filter(|l| l.len() < capacity);
        let Some(list) = list else {
            return Some(block);
        };
        list.push(block);
        None
    }

    /// Takes every block off every list, with its layout and whether its type is tracked.
    pub(crate) fn take_all(&self) -> Vec<(NonNull<u8>, Layout, bool)> {
        let mut taken = Vec::new();
        for lists in self.types.borrow_mut().iter_mut() {
            let (layout, tracked) = (lists.layout, lists.tracked);
            for list in &mut lists.blocks {
                taken.extend(list.drain(..).map(|block| (block, layout, tracked)));
            }
        }
        taken
    }

    /// Blocks on each of the type's lists (none before its first free).
    pub(crate) fn counts(&self, type_id: TypeId) -> Vec<usize> {
        let types = self.types.borrow();
        let lists = types.iter().find(|t| t.type_id == type_id);
        lists.map_or_else(Vec::new, |t| t.blocks.iter().map(Vec::len).collect())
    }

    /// Every list of every type, types in the order of their first free.
    pub(crate) fn stats(&self) -> Vec<FreeListStats> {
        let types = self.types.borrow();
        let per_type = types.iter().flat_map(|t| {
            let stat = |(spec, list): (&FreeListSpec, &Vec<_>)| FreeListStats {
                type_name: t.type_name,
                name: spec.name,
                count: list.len(),
                capacity: spec.capacity,
                block_size: t.layout.size(),
            };
            t.specs.iter().zip(&t.blocks).map(stat)
        });
        per_type.collect()
    }

    /// Checks the invariant's countable parts: capacities, alignment, no block twice.
    #[cfg(feature = "expensive-checks")]
    pub(crate) fn validate(&self) {
        let types = self.types.borrow();
        let mut seen = std::collections::HashSet::new();
        for t in types.iter() {
            for (spec, list) in t.specs.iter().zip(&t.blocks) {
                assert!(list.len() <= spec.capacity, "free list over capacity");
                for block in list {
                    assert!(block.as_ptr().addr() % t.layout.align() == 0, "misaligned");
                    assert!(seen.insert(block.as_ptr().addr()), "block listed twice");
                }
            }
        }
    }
}

#[cold]
fn register(types: &mut Vec<TypeLists>, key: Key) -> &mut TypeLists {
    types.push(TypeLists {
        type_id: key.type_id,
        type_name: (key.type_name)(),
        specs: key.specs,
        layout: key.layout,
        tracked: key.tracked,
        blocks: key.specs.iter().map(|_| Vec::new()).collect(),
    });
    types.last_mut().expect("just pushed")
}
