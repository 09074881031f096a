//! B11: single-threaded small-object mixes on a raw allocator, the pool allocator alone
//! against the process's global allocator (glibc, mimalloc or jemalloc, one binary each).
//!
//! Sizes are 8..=504 bytes in steps of 16 (32 sizes, one per pymalloc size class), drawn
//! from SplitMix64, in three patterns of a third of the operations each:
//! * **LIFO**: batches of 64 blocks, freed in reverse (stack-like temporaries);
//! * **FIFO**: a window of 1024 live blocks, the oldest freed as each new one comes;
//! * **random**: 1024 slots, each operation frees a random slot and refills it.
//!
//! Every block gets its first and last byte written at allocation; both are read back at
//! free into the checksum, so every peer touches the same memory and does the same work.
//! The random choices are drawn once, before the timed part, into tables the operations
//! cycle through, so that the harness adds little to what the allocators do.

use std::alloc::Layout;
use std::ptr::NonNull;

use pymem_alloc::{PyMalloc, RawAlloc};

use crate::Outcome;
use crate::prng::SplitMix64;

/// A block allocator as B11 drives it.
pub(crate) trait Raw {
    fn get(&self, layout: Layout) -> NonNull<u8>;
    /// # Safety
    /// `ptr` must come from `get` with `layout` and not be freed since.
    unsafe fn put(&self, ptr: NonNull<u8>, layout: Layout);
}

/// The binary's `#[global_allocator]` (glibc's malloc unless built with a feature).
pub(crate) struct Global;

impl Raw for Global {
    #[inline]
    fn get(&self, layout: Layout) -> NonNull<u8> {
        // SAFETY: B11's layouts have non-zero sizes.
        let p = unsafe { std::alloc::alloc(layout) };
        NonNull::new(p).unwrap_or_else(|| std::alloc::handle_alloc_error(layout))
    }

    #[inline]
    unsafe fn put(&self, ptr: NonNull<u8>, layout: Layout) {
        // SAFETY: the caller's contract.
        unsafe { std::alloc::dealloc(ptr.as_ptr(), layout) }
    }
}

impl Raw for PyMalloc {
    #[inline]
    fn get(&self, layout: Layout) -> NonNull<u8> {
        self.alloc(layout)
            .unwrap_or_else(|| std::alloc::handle_alloc_error(layout))
    }

    #[inline]
    unsafe fn put(&self, ptr: NonNull<u8>, layout: Layout) {
        // SAFETY: the caller's contract.
        unsafe { self.dealloc(ptr, layout) }
    }
}

/// A live block and the byte written at both of its ends.
struct Block {
    ptr: NonNull<u8>,
    layout: Layout,
}

/// Entries in the tables of sizes and slots (a power of two).
const TABLE: usize = 4096;
/// Live blocks in the FIFO window and the random slots (a power of two).
const LIVE: usize = 1024;

/// Allocation and free counts and the checksum of one run.
struct Mix<'a, A: Raw> {
    raw: &'a A,
    /// Sizes, 8..=504 by 16, drawn from SplitMix64.
    sizes: Vec<usize>,
    /// Slots `0..LIVE` for the random pattern.
    slots: Vec<usize>,
    allocated: u64,
    freed: u64,
    checksum: u64,
}

// `alloc` and `free` are inlined for every allocator: left to the inliner, they were inlined
// for the global allocators (a call each) but not for `PyMalloc` (whose fast paths come
// inline), and the `Block` returned through the stack was reloaded right after two 8-byte
// stores, a store-forwarding stall per operation that only that row paid.
impl<A: Raw> Mix<'_, A> {
    #[inline(always)]
    fn alloc(&mut self) -> Block {
        let size = self.sizes[self.allocated as usize % TABLE];
        let layout = Layout::from_size_align(size, 8).expect("B11 layout");
        let ptr = self.raw.get(layout);
        let tag = self.allocated as u8;
        // SAFETY: the block is `size >= 8` bytes long and ours.
        unsafe {
            ptr.as_ptr().write(tag);
            ptr.as_ptr().add(size - 1).write(tag ^ 0x5A);
        }
        self.allocated += 1;
        Block { ptr, layout }
    }

    #[inline(always)]
    fn free(&mut self, block: Block) {
        let size = block.layout.size();
        // SAFETY: the block is live and `size` bytes long; it goes back with its layout.
        let (first, last) = unsafe {
            let bytes = (
                block.ptr.as_ptr().read(),
                block.ptr.as_ptr().add(size - 1).read(),
            );
            self.raw.put(block.ptr, block.layout);
            bytes
        };
        self.freed += 1;
        self.checksum = self
            .checksum
            .wrapping_mul(31)
            .wrapping_add(u64::from(first) + u64::from(last) + size as u64);
    }

    fn lifo(&mut self, ops: usize) {
        let mut batch = Vec::with_capacity(64);
        for _ in 0..ops.div_ceil(64) {
            batch.extend((0..64).map(|_| self.alloc()));
            while let Some(block) = batch.pop() {
                self.free(block);
            }
        }
    }

    fn fifo(&mut self, ops: usize) {
        let mut window: Vec<Option<Block>> = (0..LIVE).map(|_| None).collect();
        for i in 0..ops {
            let block = self.alloc();
            if let Some(old) = window[i % LIVE].replace(block) {
                self.free(old); // the oldest: allocated LIVE operations ago
            }
        }
        // The rest, oldest first.
        let (newer, older) = window.split_at_mut(ops % LIVE);
        for slot in older.iter_mut().chain(newer) {
            if let Some(b) = slot.take() {
                self.free(b);
            }
        }
    }

    fn random(&mut self, ops: usize) {
        let mut slots: Vec<Option<Block>> = (0..LIVE).map(|_| None).collect();
        for i in 0..ops {
            let at = self.slots[i % TABLE];
            if let Some(old) = slots[at].take() {
                self.free(old);
            }
            slots[at] = Some(self.alloc());
        }
        slots.into_iter().flatten().for_each(|b| self.free(b));
    }
}

/// Runs the three patterns, `n / 3` operations each, on `raw`.
pub(crate) fn run(raw: &impl Raw, n: usize) -> Outcome {
    let mut rng = SplitMix64::new(0xB11);
    let mut mix = Mix {
        raw,
        sizes: (0..TABLE).map(|_| 8 + 16 * rng.below(32)).collect(),
        slots: (0..TABLE).map(|_| rng.below(LIVE)).collect(),
        allocated: 0,
        freed: 0,
        checksum: 0,
    };
    mix.lifo(n / 3);
    mix.fifo(n / 3);
    mix.random(n / 3);
    Outcome {
        checksum: mix.checksum,
        allocated: mix.allocated,
        freed: mix.freed,
        ..Outcome::default()
    }
}
