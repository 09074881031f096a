//! # pymem-alloc: CPython's small-object allocator (pymalloc) for Rust
//!
//! ```text
//!   pymem's object heap          any RawAlloc user       #[global_allocator]
//!            \                         |                       |
//!             +---------------- PyMalloc (per thread) ---- GlobalPyMalloc (one lock)
//!                               |             \
//!        usedpools[class] -> pools (16 KiB, one size class) -> blocks (16..512 bytes)
//!                               |
//!        usable_arenas (sorted by free pools) -> arenas (1 MiB, from the system)
//!                                              \-> requests > 512 bytes: System
//! ```
//!
//! Requests of 1..=512 bytes fall into 32 size classes of 16 bytes. Each class allocates
//! from its used pools, popping a free block in a few instructions. Pools come from 1 MiB
//! arenas, carved on demand; an empty pool returns to its arena, and an arena whose pools are
//! all empty returns to the system. Arenas are kept sorted by their number of free pools, so
//! allocation fills the fullest arena first and the emptiest ones can drain (CPython's
//! `Objects/obmalloc.c`, whose names this crate keeps: arena, pool, block, `usedpools`,
//! `usable_arenas`, `nfp2lasta`).
//!
//! Unlike CPython's `free`, [`RawAlloc::dealloc`] is told the layout, so the allocator knows
//! from the size alone whether a block is a pool block: it never reads memory to find out.
//!
//! [`DebugAlloc`] wraps any allocator with CPython's debug hooks: fill patterns, guard bytes,
//! serial numbers, and a quarantine that catches writes after free.

mod arena;
mod config;
mod debug;
mod global;
mod large;
mod pool;
mod pymalloc;
mod raw;
mod stats;
mod sysvec;

pub use config::{
    ALIGNMENT, ARENA_SIZE, NB_SMALL_SIZE_CLASSES, POOL_HEADER_SIZE, POOL_SIZE, POOLS_PER_ARENA,
    SMALL_REQUEST_THRESHOLD, blocks_per_pool, class_size, size_class,
};
pub use debug::{Damage, DebugAlloc, DebugError};
pub use global::GlobalPyMalloc;
pub use pymalloc::PyMalloc;
pub use raw::{RawAlloc, System};
pub use stats::{ClassStats, Stats};

/// The README's example, compiled and run as a doctest so that it stays true.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
