//! pymem with object free lists (`pymem::freelist`): every node type keeps up to
//! [`CAPACITY`] dead blocks per thread, CPython's capacity for lists and dicts, against
//! `pymem_gc`, the same heap with the pools alone. Same collection policy.

use std::cell::RefCell;

use pymem::Gc;
use pymem::freelist::{FreeList, FreeListSpec};

use super::pymem_gc::{Probe, collect, configure};

type P<T> = Gc<T>;
type C<T> = RefCell<T>;

const MANUAL: bool = false;
const AUTO_COLLECTS: bool = true;

/// Blocks each node type keeps (CPython's `Py_lists_MAX_FREELIST`).
const CAPACITY: usize = 80;

/// `#[derive(Trace)]` with `#[trace(freelist)]` writes the same three items; the workload
/// types are declared by the shared macro, so they are written here by hand.
macro_rules! traced {
    ($t:ident; $($f:ident),*) => {
        // SAFETY: reports each field that can hold a `Gc` once, through its own impl.
        unsafe impl pymem::Trace for $t {
            const FREE_LISTS: Option<pymem::__private::FreeListHooks> =
                Some(pymem::__private::FreeListHooks::of::<Self>());
            fn trace(&self, visitor: &mut pymem::Visitor<'_>) {
                $(pymem::Trace::trace(&self.$f, visitor);)*
            }
        }
        impl pymem::__private::FreeListEnabled for $t {}
        impl FreeList for $t {
            const LISTS: &'static [FreeListSpec] =
                &[FreeListSpec::new(stringify!($t), CAPACITY)];
        }
    };
}

fn remember(_: &P<Graph>) {}

fn break_remembered() {}

fn weak_roundtrip(target: &P<Node>) -> Option<u64> {
    let w = Gc::downgrade(target);
    Some(w.upgrade()?.v)
}

crate::workloads::workloads!();
