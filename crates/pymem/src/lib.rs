//! # pymem: CPython's memory manager for Rust programs
//!
//! `pymem` gives a Rust program the object model CPython's users know:
//!
//! * [`Gc<T>`]: a reference-counted pointer with **prompt destruction**: when the last
//!   handle goes, the value is dropped at once, as in CPython (and as with `Rc`).
//! * **CPython's generational cycle collector** for what reference counting cannot free:
//!   three generations, thresholds `(2000, 10, 10)`, `gc_refs` subtraction, collection
//!   triggered by allocation. Only types that can hold `Gc` pointers are tracked, decided
//!   at compile time by [`Trace::TRACKED`]; the rest cost what `Rc` costs.
//! * [`Weak<T>`]: weak references, with CPython's callbacks ([`Weak::with_callback`]), cleared
//!   before any value of a dead cycle is dropped; the [`weakref`] module has
//!   `getweakrefcount`, `WeakValueDictionary`, `WeakKeyDictionary`, `WeakSet` and `finalize`.
//! * [`Finalize`]: PEP 442 finalizers (`__del__`): run once, on intact objects, before any value
//!   of their cycle is dropped; they may resurrect their object.
//! * The introspection of Python's [`gc`] and [`sys`] modules: `gc.collect`, `get_count`,
//!   `get_objects`, `get_referrers`, `get_stats`, callbacks, `DEBUG_STATS`, `freeze`,
//!   `sys.getrefcount`, `sys.getsizeof`, with CPython 3.13's semantics and messages.
//!
//! ```
//! use pymem::{Gc, Trace, gc};
//! use std::cell::RefCell;
//!
//! #[derive(Trace)]
//! struct Node {
//!     name: String,
//!     edges: RefCell<Vec<Gc<Node>>>,
//! }
//!
//! let a = Gc::new(Node { name: "a".into(), edges: RefCell::new(vec![]) });
//! let b = Gc::new(Node { name: "b".into(), edges: RefCell::new(vec![a.clone()]) });
//! a.edges.borrow_mut().push(b.clone()); // a <-> b
//! drop((a, b));                        // the cycle keeps both alive...
//! assert_eq!(gc::collect(), 2);        // ...until the collector finds it
//! ```
//!
//! ## The model in one page
//!
//! Every `Gc::new` allocates one block: a header (16 bytes, or 32 for tracked types,
//! CPython's `PyObject_HEAD` + `PyGC_Head`) and the value. Tracked objects are linked into
//! generation 0. When tracked allocations minus deallocations exceed `threshold0`, the
//! allocation first runs a collection of the oldest generation that is due. A collection
//! computes, for each object, its count minus the references from inside the generation
//! (`gc_refs`); objects left at zero that nothing reachable points to are garbage. Weak
//! references to the garbage are cleared, then the values are dropped, then the blocks
//! whose count reached zero are freed. Survivors move to the next generation.
//!
//! ## Soundness
//!
//! [`Trace`] is an `unsafe trait`, implemented by `#[derive(Trace)]`; with the derive, no
//! safe code can cause undefined behaviour: a panic in `Drop` or `Trace`, a `RefCell` held
//! across a collection, a `Drop` that stashes a handle to its own garbage, all end in a
//! panic, a leak, or a "dead" object whose dereference panics. `docs/design.md` has the
//! details.
//!
//! ## One heap per thread
//!
//! Each thread has its own heap, created on first use; `Gc` is `!Send` and `!Sync`. When a
//! thread exits, its heap runs a final collection, frees what it can, and leaks the rest
//! (objects still referenced from other thread-locals), never freeing anything twice.

extern crate self as pymem;

mod alloc;
mod collect;
mod dealloc;
mod erased;
mod finalize;
mod header;
mod heap;
mod list;
mod memory_error;
#[cfg(feature = "fault-injection")]
mod nomemory;
mod object;
mod trace;
mod trace_impls;
mod trashcan;
mod unraisable;
mod unwind;
mod vtable;
mod weak;

pub mod freelist;
pub mod gc;
pub mod sys;
pub mod tracemalloc;
pub mod weakref;

pub use erased::{AsObject, Object};
pub use finalize::Finalize;
pub use memory_error::MemoryError;
pub use object::{Gc, GcMut};
pub use pymem_derive::Trace;
pub use trace::{Place, Trace, TraceDyn, Visitor};
pub use weak::Weak;

#[doc(hidden)]
pub mod __private {
    pub use crate::finalize::FinalizeEnabled;
    pub use crate::freelist::{FreeListEnabled, FreeListHooks};
    pub use crate::trace_impls::NoEdges;
    pub use crate::vtable::FinalizeFn;

    /// Test hook: counts `n` more strong references to `gc`'s object, as `n` times
    /// `mem::forget(gc.clone())` would, but in O(1) (the overflow tests need `usize::MAX`
    /// of them). Safe: a count that is too high only leaks the object. Overflow aborts.
    pub fn forget_clones<T>(gc: &crate::Gc<T>, n: usize) {
        gc.obj().incref_by(n);
    }

    /// Test hook: as [`forget_clones`], for `n` clones of a [`Weak`](crate::Weak) handle (a
    /// handle from `Weak::new` has nothing to count on). Overflow aborts.
    pub fn forget_weak_clones<T>(weak: &crate::Weak<T>, n: usize) {
        if let Some(node) = weak.node() {
            crate::weak::add_handles(node, n);
        }
    }
}

/// The README's example, compiled and run as a doctest so that it stays true.
#[doc = include_str!("../../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
