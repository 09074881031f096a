//! Integration tests, one binary (bumpalo's layout): each module is one area.
#![allow(unreachable_pub, missing_docs)]

mod collect;
#[cfg(feature = "debug-alloc")]
mod debug_alloc;
mod derive;
mod finalize;
mod freelist;
mod freelist_counts;
mod gc_api;
mod hostile;
mod model;
mod mutation;
mod pep442;
mod refcount;
mod scenarios;
mod std_impls;
mod support;
mod teardown;
mod threads;
mod tracemalloc;
mod weakref_module;
