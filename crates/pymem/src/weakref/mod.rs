//! (L4) CPython's `weakref` module: weak references with callbacks ([`Weak::with_callback`]),
//! their counts, weak containers, and [`finalize`].
//!
//! The containers keep Python's semantics: an entry disappears when its weakly held object
//! dies, even while the container is in use (the removal is then deferred to its next
//! operation, as CPython's `_IterationGuard` defers it). Keys of [`WeakKeyDictionary`] and
//! members of [`WeakSet`] are compared by identity (CPython's default `__eq__`/`__hash__`).

mod dict;
mod finalizer;
mod table;

pub use crate::weak::Weak;
pub use dict::{WeakKeyDictionary, WeakValueDictionary};
pub use finalizer::{Finalizer, FinalizerFn, finalize};
pub use table::{InUse, WeakSet};

use crate::erased::AsObject;
use crate::object::Gc;
use crate::weak;

/// `weakref.getweakrefcount(obj)`: the weak reference objects to `obj` that are alive (each
/// `Weak` created by [`Weak::with_callback`] is one; all callback-less ones share one).
pub fn getweakrefcount(obj: &dyn AsObject) -> usize {
    weak::weakref_count(obj.obj_ptr())
}

/// `weakref.getweakrefs(obj)`: those weak reference objects, in CPython's list order (the
/// shared callback-less one first, then the newest).
pub fn getweakrefs<T>(obj: &Gc<T>) -> Vec<Weak<T>> {
    weak::weakrefs(obj.obj())
        .into_iter()
        .map(Weak::from_node)
        .collect()
}

/// `weakref.ref(obj)`: the shared callback-less weak reference ([`Gc::downgrade`]).
pub fn r#ref<T>(obj: &Gc<T>) -> Weak<T> {
    Gc::downgrade(obj)
}
