//! Pools: 16 KiB of blocks of one size class. Their headers live apart, in the first pool
//! of their arena, at the pool's index (so a block's header is found from its address).
//!
//! ```text
//!  arena (ARENA_SIZE-aligned, 64 pools)
//!  +---------------------------+--------------------+-----+--------------------+
//!  | header pool: slot i holds | pool 1             | ... | pool 63            |
//!  | pool i's PoolHeader (48 B)| block block ...    |     | never carved yet   |
//!  +---------------------------+--------------------+-----+--------------------+
//!   free blocks are chained through their first word, from `freeblock`;
//!   `nextoffset` is the next virgin block of the pool
//! ```
//!
//! Why not at the start of each pool, as CPython has it: 16 KiB-aligned headers map to the
//! same L1 cache sets, so with a few dozen pools in use (one per size class) their headers
//! evict each other and nearly every allocation and free misses the cache. Packed into one
//! pool they take 3 KiB of contiguous lines.
//!
//! A pool is in exactly one state (CPython's):
//! * **used**: some blocks allocated, some available; linked in `usedpools[class]`;
//! * **full**: every block allocated; in no list;
//! * **empty**: no block allocated; linked in its arena's `freepools` (it keeps its size
//!   class, so reusing it for the same class needs no re-initialisation).

use core::ptr::{self, NonNull};

use crate::config::{ARENA_SIZE, POOL_HEADER_SIZE, POOL_SIZE, class_size};

/// A pool's header, in its arena's header pool (CPython's `struct pool_header`). The two
/// fields the fast paths touch come first: with 48-byte slots they never straddle a cache
/// line.
#[repr(C)]
pub(crate) struct PoolHeader {
    /// Head of the free-block list (null: none; the pool is full or must carve).
    pub(crate) freeblock: *mut u8,
    /// Blocks allocated.
    pub(crate) count: u32,
    /// Size class.
    pub(crate) szidx: u32,
    /// Next/previous pool of the same class in `usedpools` (a circular list), or the next
    /// empty pool in the arena's `freepools` (singly linked).
    pub(crate) nextpool: *mut PoolHeader,
    pub(crate) prevpool: *mut PoolHeader,
    /// Index of the arena descriptor the pool belongs to.
    pub(crate) arenaindex: u32,
    /// Offset of the next never-used block.
    pub(crate) nextoffset: u32,
    /// Largest valid `nextoffset`.
    pub(crate) maxnextoffset: u32,
    _pad: u32,
}

const _: () = assert!(size_of::<PoolHeader>() == POOL_HEADER_SIZE);

/// No size class: a pool never used yet.
pub(crate) const DUMMY_SIZE_IDX: u32 = u32::MAX;

/// The address of the header of the pool holding `addr` (an address inside an arena, not
/// in its header pool): the arena's start plus the pool's index times the header size.
#[inline]
pub(crate) const fn header_addr(addr: usize) -> usize {
    let arena = addr & !(ARENA_SIZE - 1);
    arena + (addr - arena) / POOL_SIZE * POOL_HEADER_SIZE
}

/// The header of the pool a block belongs to, keeping the block pointer's provenance (the
/// whole arena allocation). Budget: a mask, a shift and a multiply-add.
#[inline]
pub(crate) fn header_of(block: NonNull<u8>) -> *mut PoolHeader {
    debug_assert!(
        block.addr().get() % ARENA_SIZE >= POOL_SIZE,
        "a block in a header pool"
    );
    block.as_ptr().map_addr(header_addr).cast()
}

/// The first byte of the pool `header` describes, with the header pointer's provenance.
#[inline]
pub(crate) fn pool_base(header: *mut PoolHeader) -> *mut u8 {
    header.cast::<u8>().map_addr(|a| {
        let arena = a & !(ARENA_SIZE - 1);
        arena + (a - arena) / POOL_HEADER_SIZE * POOL_SIZE
    })
}

/// Reads the free-list link stored in a free block.
///
/// # Safety
/// `block` must be a free block of a live pool (its first word is a link).
#[inline]
pub(crate) unsafe fn next_free(block: *mut u8) -> *mut u8 {
    // SAFETY: free blocks hold their successor in their first word (written by
    // `set_next_free`); blocks are 16-aligned, so the read is aligned.
    unsafe { block.cast::<*mut u8>().read() }
}

/// Stores the free-list link in a free block.
///
/// # Safety
/// `block` must be a block of a live pool that is not allocated.
#[inline]
pub(crate) unsafe fn set_next_free(block: *mut u8, next: *mut u8) {
    // SAFETY: as in `next_free`; the block is ours to write.
    unsafe { block.cast::<*mut u8>().write(next) }
}

impl PoolHeader {
    /// Prepares a pool for class `class` and returns its first block: either its kept free
    /// list (same class as before) or a fresh carve (CPython's `init_pool`).
    ///
    /// # Safety
    /// `pool` must be a pool of a live arena that no list links and no block is allocated
    /// from.
    pub(crate) unsafe fn init(pool: *mut PoolHeader, class: usize, arenaindex: u32) -> NonNull<u8> {
        // SAFETY: the caller's contract: the pool header is ours to read and write.
        let p = unsafe { &mut *pool };
        p.count = 1;
        p.arenaindex = arenaindex;
        if p.szidx == class as u32 && !p.freeblock.is_null() {
            let block = p.freeblock;
            // SAFETY: `block` heads this pool's free list.
            p.freeblock = unsafe { next_free(block) };
            // SAFETY: free-list blocks are never null.
            return unsafe { NonNull::new_unchecked(block) };
        }
        let size = class_size(class);
        p.szidx = class as u32;
        p.nextoffset = (2 * size) as u32;
        p.maxnextoffset = (POOL_SIZE - size) as u32;
        let first = pool_base(pool);
        // SAFETY: both blocks lie inside the pool (2 * 512 <= POOL_SIZE).
        unsafe {
            p.freeblock = first.add(size);
            set_next_free(p.freeblock, ptr::null_mut());
            NonNull::new_unchecked(first)
        }
    }

    /// The free list ran out: carve one more virgin block if the pool has room. Returns
    /// false when the pool is now full.
    ///
    /// # Safety
    /// `pool` must be a live, used pool whose `freeblock` is null.
    #[inline]
    pub(crate) unsafe fn extend(pool: *mut PoolHeader) -> bool {
        // SAFETY: the caller's contract.
        let p = unsafe { &mut *pool };
        if p.nextoffset > p.maxnextoffset {
            return false;
        }
        // SAFETY: `nextoffset <= maxnextoffset` keeps the block inside the pool.
        unsafe {
            p.freeblock = pool_base(pool).add(p.nextoffset as usize);
            set_next_free(p.freeblock, ptr::null_mut());
        }
        p.nextoffset += class_size(p.szidx as usize) as u32;
        true
    }
}
