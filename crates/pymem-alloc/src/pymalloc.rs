//! `PyMalloc`: CPython's small-object allocator. Requests of 1..=512 bytes (alignment up to
//! 16) come from pools; everything else goes to the system allocator. The size given back
//! at free decides the route, so ownership is never tested by reading memory.

use core::alloc::Layout;
use core::cell::UnsafeCell;
use core::ptr::{self, NonNull};

use crate::arena::{ARENA_LAYOUT, ArenaId, Arenas};
use crate::config::{
    ALIGNMENT, NB_SMALL_SIZE_CLASSES, SMALL_REQUEST_THRESHOLD, class_size, size_class,
};
use crate::large::LargeBlocks;
use crate::pool::{self, PoolHeader, header_of};
use crate::raw::{RawAlloc, System};

/// The allocator state (CPython's `struct _obmalloc_state`), behind an `UnsafeCell`: one
/// thread uses it, no operation re-enters another, and no reference into it outlives a call.
struct State {
    /// Per class: a circular list of used pools (some blocks free), or null.
    usedpools: [*mut PoolHeader; NB_SMALL_SIZE_CLASSES],
    arenas: Arenas,
    /// Blocks currently allocated from pools.
    small_blocks: usize,
    /// Blocks currently allocated from the system (large requests), by address.
    large: LargeBlocks,
}

/// A pymalloc-style allocator for one thread (`!Sync`; see `GlobalPyMalloc` for a
/// process-wide one).
///
/// Budget of the fast paths: allocation pops the head of the first used pool of the size
/// class (about ten instructions and one well-predicted branch); free pushes onto the
/// block's pool, whose header is found from the block's address.
///
/// **Spare pools** (where this differs from CPython): a pool that empties while it is the
/// only used pool of its class stays in `usedpools` instead of going back to its arena, so
/// that allocating and freeing one block at a time never leaves the fast paths (CPython's
/// per-type free lists do that job there). There is at most one spare per class (512 KiB
/// in all); [`PyMalloc::trim`] gives them back, as CPython empties its free lists in a
/// full collection.
pub struct PyMalloc {
    state: UnsafeCell<State>,
}

impl PyMalloc {
    /// An allocator with no arena yet.
    pub const fn new() -> PyMalloc {
        PyMalloc {
            state: UnsafeCell::new(State {
                usedpools: [ptr::null_mut(); NB_SMALL_SIZE_CLASSES],
                arenas: Arenas::new(),
                small_blocks: 0,
                large: LargeBlocks::new(),
            }),
        }
    }

    #[allow(clippy::mut_from_ref)]
    #[inline]
    fn state(&self) -> &mut State {
        // SAFETY: `PyMalloc` is `!Sync`, its methods never call each other while holding
        // this reference, and they call no user code: the reference is unique.
        unsafe { &mut *self.state.get() }
    }

    /// Whether `layout` is served by pools.
    #[inline]
    pub fn is_small(layout: Layout) -> bool {
        layout.size() <= SMALL_REQUEST_THRESHOLD && layout.align() <= ALIGNMENT && layout.size() > 0
    }

    /// A block of `size` bytes (1..=512) from the pools (CPython's `pymalloc_alloc`).
    #[inline]
    pub fn alloc_small(&self, size: usize) -> Option<NonNull<u8>> {
        debug_assert!((1..=SMALL_REQUEST_THRESHOLD).contains(&size));
        let state = self.state();
        let class = size_class(size);
        let pool = state.usedpools[class];
        if pool.is_null() {
            return state.alloc_from_new_pool(class);
        }
        state.small_blocks += 1;
        // SAFETY: a pool in `usedpools` is live and its `freeblock` is a free block.
        unsafe {
            let p = &mut *pool;
            let block = p.freeblock;
            p.count += 1;
            p.freeblock = pool::next_free(block);
            if p.freeblock.is_null() {
                state.free_list_ran_out(pool, class);
            }
            Some(NonNull::new_unchecked(block))
        }
    }

    /// [`PyMalloc::alloc_small`]'s common case alone, as a leaf: the block, if the size
    /// class has a used pool whose free list holds another block after it; otherwise
    /// `None`, having changed nothing, and the caller takes `alloc_small`. For callers out of
    /// line that must stay leaves (pymem's traced allocation): a leaf saves no registers.
    /// Budget: seven loads and stores and two tests.
    #[inline(always)]
    pub fn alloc_small_leaf(&self, size: usize) -> Option<NonNull<u8>> {
        debug_assert!((1..=SMALL_REQUEST_THRESHOLD).contains(&size));
        let state = self.state();
        let pool = state.usedpools[size_class(size)];
        if pool.is_null() {
            return None;
        }
        // SAFETY: a pool in `usedpools` is live and its `freeblock` is a free block, whose
        // first word links the next free block (null: the pool must be extended).
        unsafe {
            let p = &mut *pool;
            let block = p.freeblock;
            let next = pool::next_free(block);
            if next.is_null() {
                return None;
            }
            p.freeblock = next;
            p.count += 1;
            state.small_blocks += 1;
            Some(NonNull::new_unchecked(block))
        }
    }

    /// Frees a block from [`PyMalloc::alloc_small`] (CPython's `pymalloc_free`), given any
    /// pointer to it. The arena is found by looking its address up among the arenas (a
    /// binary search, or the last one found), and the pool header is reached through the
    /// arena's pointer, so that a
    /// pointer narrowed by a reference (a `Box`'s, say) is used only inside its block: the
    /// free-list link is written through it, and the list keeps the block's address with
    /// the arena's provenance, for the next owner.
    ///
    /// # Safety
    /// `block` must come from this allocator's `alloc_small` with the same size class, and
    /// not have been freed since.
    #[inline]
    pub unsafe fn free_small(&self, block: NonNull<u8>) {
        let state = self.state();
        let pool = state
            .arenas
            .pool_of_address(block.as_ptr().addr())
            .expect("free_small: the block is not from this allocator");
        // SAFETY: `pool` has the arena's provenance and the block lies in that pool.
        let listed =
            unsafe { NonNull::new_unchecked(pool.cast::<u8>().with_addr(block.addr().get())) };
        // SAFETY: the caller's contract; `pool` and `listed` carry the arena's provenance,
        // `block` the caller's over the block.
        unsafe { state.free_to_pool(pool, listed, block) }
    }

    /// [`PyMalloc::free_small`] without the arena lookup: the pool header is found from the
    /// block's address, with the block pointer's provenance. Budget: about ten instructions.
    ///
    /// # Safety
    /// As for `free_small`, and `block` must be derived from the pointer `alloc_small`
    /// returned without passing through a reference (pymem's heap keeps raw pointers), so
    /// that it may reach the pool header.
    #[inline]
    pub unsafe fn free_small_derived(&self, block: NonNull<u8>) {
        // SAFETY: the caller's contract: `block` may reach its pool, and so the list's
        // next owner may too.
        unsafe { self.state().free_to_pool(header_of(block), block, block) }
    }

    /// [`RawAlloc::dealloc`] with `free_small_derived` for small blocks.
    ///
    /// # Safety
    /// As for [`RawAlloc::dealloc`], and for a small layout as for `free_small_derived`.
    #[inline]
    pub unsafe fn dealloc_derived(&self, ptr: NonNull<u8>, layout: Layout) {
        if PyMalloc::is_small(layout) {
            // SAFETY: small layouts were served by `alloc_small`; the caller's contract.
            return unsafe { self.free_small_derived(ptr) };
        }
        // SAFETY: the caller's contract.
        unsafe { self.dealloc(ptr, layout) }
    }

    /// Counters: arenas, pools and blocks (what `debugmallocstats` prints).
    pub fn stats(&self) -> crate::stats::Stats {
        let state = self.state();
        crate::stats::Stats::collect(
            &state.arenas,
            &state.spares(),
            state.small_blocks,
            state.large.len(),
        )
    }

    /// Arenas currently allocated.
    pub fn arenas(&self) -> usize {
        self.state().arenas.currently_allocated
    }

    /// Blocks currently allocated, from pools and from the system (`sys.getallocatedblocks`).
    pub fn allocated_blocks(&self) -> usize {
        self.state().small_blocks + self.state().large.len()
    }

    /// Gives the spare pools back to their arenas, and the arenas that are then entirely
    /// free back to the system (but the last, as always). Returns the pools released.
    pub fn trim(&self) -> usize {
        self.state().trim()
    }

    /// Checks the arena and pool structures (O(arenas + pools)); panics on corruption.
    pub fn validate(&self) {
        self.state().validate();
    }

    /// `realloc` of a system block to a system block, keeping the set of large blocks.
    ///
    /// # Safety
    /// As for [`RawAlloc::realloc`], with a layout and a new size that both go to the
    /// system allocator.
    unsafe fn realloc_large(
        &self,
        ptr: NonNull<u8>,
        layout: Layout,
        new_size: usize,
    ) -> Option<NonNull<u8>> {
        let addr = ptr.as_ptr().addr();
        assert!(
            self.state().large.remove(addr),
            "realloc: the block is not from this allocator"
        );
        // SAFETY: system block to system block (the caller's contract; the set had it).
        let moved = unsafe { System.realloc(ptr, layout, new_size) };
        let now = moved.map_or(addr, |new| new.as_ptr().addr());
        self.state().large.insert(now);
        moved
    }
}

impl Default for PyMalloc {
    fn default() -> PyMalloc {
        PyMalloc::new()
    }
}

impl State {
    /// Pushes a block on its pool's free list; the pool may become used again or empty.
    /// `access` writes the link into the block; `listed` is what the list keeps and the next
    /// allocation hands out.
    ///
    /// # Safety
    /// `pool` must be the live pool of the block (an allocated block of this allocator) and
    /// carry provenance over the pool; `listed` and `access` both point to the block,
    /// `listed` with provenance over the pool, `access` with write access to the block.
    #[inline]
    unsafe fn free_to_pool(
        &mut self,
        pool: *mut PoolHeader,
        listed: NonNull<u8>,
        access: NonNull<u8>,
    ) {
        self.small_blocks -= 1;
        // SAFETY: the caller's contract.
        unsafe {
            let p = &mut *pool;
            let lastfree = p.freeblock;
            pool::set_next_free(access.as_ptr(), lastfree);
            p.freeblock = listed.as_ptr();
            p.count -= 1;
            if lastfree.is_null() {
                self.pool_was_full(pool);
            } else if p.count == 0 {
                self.pool_emptied(pool);
            }
        }
    }

    /// The free list of a used pool is empty after an allocation: carve another block, or
    /// the pool is full and leaves `usedpools`.
    #[cold]
    fn free_list_ran_out(&mut self, pool: *mut PoolHeader, class: usize) {
        // SAFETY: `pool` is a live used pool with a null `freeblock`.
        if !unsafe { PoolHeader::extend(pool) } {
            self.unlink_used(pool, class);
        }
    }

    /// No used pool for `class`: take a pool from the fullest usable arena (creating an
    /// arena if there is none) and make it the only used pool of the class.
    #[cold]
    #[inline(never)]
    fn alloc_from_new_pool(&mut self, class: usize) -> Option<NonNull<u8>> {
        if self.arenas.usable.is_none() {
            self.arenas.new_arena()?;
        }
        let (pool, arena) = self.arenas.take_pool();
        // SAFETY: `take_pool` hands out a pool no list links and no block is taken from.
        let block = unsafe { PoolHeader::init(pool, class, arena) };
        self.link_used(pool, class);
        // SAFETY: the pool is live; a reused pool's list may just have run out.
        if unsafe { (*pool).freeblock.is_null() } {
            self.free_list_ran_out(pool, class);
        }
        self.small_blocks += 1;
        Some(block)
    }

    /// A full pool got a free block: it becomes the first used pool of its class (CPython's
    /// `insert_to_usedpool`: recently freed blocks are reused first).
    #[cold]
    fn pool_was_full(&mut self, pool: *mut PoolHeader) {
        // SAFETY: `pool` is live.
        let class = unsafe { (*pool).szidx } as usize;
        self.link_used(pool, class);
    }

    /// A used pool has no allocated block left: it stays as its class's spare if it is the
    /// class's only used pool, else it moves to its arena's free pools.
    #[cold]
    fn pool_emptied(&mut self, pool: *mut PoolHeader) {
        // SAFETY: `pool` is live and in a circular used list.
        if unsafe { (*pool).nextpool } != pool {
            self.release_pool(pool);
        }
    }

    /// An empty used pool leaves `usedpools` for its arena's free pools, and the arena may
    /// go back to the system (CPython's `insert_to_freepool`).
    fn release_pool(&mut self, pool: *mut PoolHeader) {
        // SAFETY: `pool` is live.
        let (class, arena) = unsafe { ((*pool).szidx as usize, (*pool).arenaindex as ArenaId) };
        self.unlink_used(pool, class);
        if let Some(memory) = self.arenas.pool_emptied(pool, arena) {
            // SAFETY: the arena's memory came from `System` with `ARENA_LAYOUT`, and no block
            // in it is allocated.
            unsafe { System.dealloc(memory, ARENA_LAYOUT) };
        }
    }

    /// Links `pool` at the front of the circular list of `class`.
    fn link_used(&mut self, pool: *mut PoolHeader, class: usize) {
        let head = self.usedpools[class];
        // SAFETY: `pool` and the list's pools are live pool headers.
        unsafe {
            if head.is_null() {
                (*pool).nextpool = pool;
                (*pool).prevpool = pool;
            } else {
                let last = (*head).prevpool;
                (*pool).nextpool = head;
                (*pool).prevpool = last;
                (*last).nextpool = pool;
                (*head).prevpool = pool;
            }
        }
        self.usedpools[class] = pool;
    }

    fn unlink_used(&mut self, pool: *mut PoolHeader, class: usize) {
        // SAFETY: `pool` is in the circular list of `class`, whose pools are live.
        unsafe {
            let next = (*pool).nextpool;
            if next == pool {
                self.usedpools[class] = ptr::null_mut();
                return;
            }
            let prev = (*pool).prevpool;
            (*prev).nextpool = next;
            (*next).prevpool = prev;
            if self.usedpools[class] == pool {
                self.usedpools[class] = next;
            }
        }
    }

    fn trim(&mut self) -> usize {
        let spares = self.spares();
        let spares = spares.iter().filter(|pool| !pool.is_null());
        spares.map(|&pool| self.release_pool(pool)).count()
    }

    /// Each class's spare pool (its used pool with no block allocated), or null. A fixed
    /// array: the allocator may be the global one, so its bookkeeping must not allocate.
    fn spares(&self) -> [*mut PoolHeader; NB_SMALL_SIZE_CLASSES] {
        core::array::from_fn(|class| {
            let mut used = self.used_pools(class);
            // SAFETY: pools of the used lists are live.
            let spare = used.find(|&pool| unsafe { (*pool).count == 0 });
            spare.unwrap_or(ptr::null_mut())
        })
    }

    /// The used pools of `class`, from the head.
    fn used_pools(&self, class: usize) -> impl Iterator<Item = *mut PoolHeader> + use<> {
        let head = self.usedpools[class];
        let mut pool = head;
        core::iter::from_fn(move || {
            let current = (!pool.is_null()).then_some(pool)?;
            // SAFETY: pools of the used lists are live.
            let next = unsafe { (*current).nextpool };
            pool = if next == head { ptr::null_mut() } else { next };
            Some(current)
        })
    }

    fn validate(&mut self) {
        self.arenas.validate();
        self.large.validate();
        for class in 0..NB_SMALL_SIZE_CLASSES {
            let mut spares = 0;
            for pool in self.used_pools(class) {
                // SAFETY: pools of the used lists are live.
                let p = unsafe { &*pool };
                assert_eq!(p.szidx as usize, class, "used pool in the wrong class list");
                assert!(!p.freeblock.is_null(), "used pool without a free block");
                spares += usize::from(p.count == 0);
                // SAFETY: as above: the next pool of the list is live too.
                let back = unsafe { (*p.nextpool).prevpool };
                assert_eq!(back, pool, "used pool back link");
            }
            assert!(spares <= 1, "more than one spare pool in class {class}");
        }
    }
}

// SAFETY: pools hand out disjoint 16-aligned blocks of at least the requested size until they
// are freed; other requests go to `System`. The route at free follows the layout, which the
// caller passes back unchanged, so a block always returns to where it came from.
unsafe impl RawAlloc for PyMalloc {
    #[inline]
    fn alloc(&self, layout: Layout) -> Option<NonNull<u8>> {
        if PyMalloc::is_small(layout) {
            return self.alloc_small(layout.size());
        }
        let block = System.alloc(layout)?;
        self.state().large.insert(block.as_ptr().addr());
        Some(block)
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: NonNull<u8>, layout: Layout) {
        if PyMalloc::is_small(layout) {
            // SAFETY: small layouts were served by `alloc_small` (caller's contract).
            return unsafe { self.free_small(ptr) };
        }
        // A block this allocator did not serve is refused before anything is freed or
        // counted, as `free_small` refuses a small one.
        assert!(
            self.state().large.remove(ptr.as_ptr().addr()),
            "dealloc: the block is not from this allocator"
        );
        // SAFETY: other layouts were served by `System` (caller's contract, and the block
        // was in the set of those).
        unsafe { System.dealloc(ptr, layout) }
    }

    /// CPython's `pymalloc_realloc`: a block stays in place if the new size fits its class
    /// and uses more than three quarters of it; otherwise it moves.
    unsafe fn realloc(
        &self,
        ptr: NonNull<u8>,
        layout: Layout,
        new_size: usize,
    ) -> Option<NonNull<u8>> {
        if PyMalloc::is_small(layout) {
            let size = class_size(size_class(layout.size()));
            if new_size <= size && 4 * new_size > 3 * size {
                return Some(ptr);
            }
        } else if new_size > SMALL_REQUEST_THRESHOLD || layout.align() > ALIGNMENT {
            // SAFETY: the caller's contract; both sizes go to the system allocator.
            return unsafe { self.realloc_large(ptr, layout, new_size) };
        }
        // SAFETY: the caller's contract makes the new layout valid; the block moves.
        unsafe {
            let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
            crate::raw::move_block(self, ptr, layout, new_layout)
        }
    }
}

impl Drop for PyMalloc {
    /// Returns every arena to the system, unless blocks are still allocated: then the arenas
    /// are leaked, since freeing them could free memory still in use.
    fn drop(&mut self) {
        let state = self.state.get_mut();
        if state.small_blocks > 0 {
            return;
        }
        for arena in state.arenas.all.as_mut_slice() {
            if let Some(memory) = NonNull::new(arena.address) {
                // SAFETY: the arena's memory came from `System` with `ARENA_LAYOUT` and no
                // block in it is allocated.
                unsafe { System.dealloc(memory, ARENA_LAYOUT) };
                arena.address = ptr::null_mut();
            }
        }
    }
}
