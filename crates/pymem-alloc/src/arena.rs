//! Arenas: 1 MiB from the system, carved into pools on demand, returned when every pool is
//! empty. Arenas with free pools form `usable_arenas`, sorted by ascending `nfreepools`, so
//! that allocation fills the fullest arenas and nearly empty ones drain and go back to the
//! system (CPython's `arena_object`, `usable_arenas`, `nfp2lasta`).

use core::alloc::Layout;
use core::cell::Cell;
use core::ptr::{self, NonNull};

use crate::config::{ARENA_SIZE, POOL_SIZE, POOLS_PER_ARENA};
use crate::pool::{DUMMY_SIZE_IDX, PoolHeader, header_addr};
use crate::raw::{RawAlloc, System};
use crate::sysvec::SysVec;

/// Index of an arena descriptor. Descriptors live in a growable array (doubling, as
/// CPython's `INITIAL_ARENA_OBJECTS` scheme does), so links are indices.
pub(crate) type ArenaId = u32;

/// An arena descriptor (CPython's `struct arena_object`).
pub(crate) struct ArenaObject {
    /// Start of the arena's memory; null while the descriptor is unused.
    pub(crate) address: *mut u8,
    /// The next pool never carved from this arena.
    pub(crate) pool_address: *mut u8,
    /// Empty pools plus pools never carved.
    pub(crate) nfreepools: u32,
    pub(crate) ntotalpools: u32,
    /// Empty pools, singly linked through `nextpool`.
    pub(crate) freepools: *mut PoolHeader,
    /// Links in `usable_arenas` (doubly) or `unused_arena_objects` (singly, `next` only).
    pub(crate) next: Option<ArenaId>,
    pub(crate) prev: Option<ArenaId>,
}

/// The layout of an arena's memory: arena-aligned, so that a block's arena is its address
/// rounded down, and its pool header is found by address arithmetic alone.
pub(crate) const ARENA_LAYOUT: Layout = match Layout::from_size_align(ARENA_SIZE, ARENA_SIZE) {
    Ok(layout) => layout,
    Err(_) => panic!("arena layout"),
};

/// The arena bookkeeping of one allocator.
///
/// Invariants: `usable` is sorted by ascending `nfreepools`, every member has
/// `nfreepools > 0`; `nfp2lasta[k]` is the last member with exactly `k` free pools (or none);
/// a descriptor is either in use (`address` non-null) or on the `unused` chain.
pub(crate) struct Arenas {
    pub(crate) all: SysVec<ArenaObject>,
    /// `(address, id)` of every arena with memory, sorted by address: finds the arena of a
    /// block whose pointer may not carry the arena's provenance (`PyMalloc::dealloc`), and
    /// tells whether an address is in an arena of ours without reading the address.
    by_address: SysVec<(usize, ArenaId)>,
    /// The arena the last lookup found (`(0, 0)`: none), tried before the search; reset
    /// when that arena goes back to the system.
    last_found: Cell<(usize, ArenaId)>,
    pub(crate) unused: Option<ArenaId>,
    pub(crate) usable: Option<ArenaId>,
    pub(crate) nfp2lasta: [Option<ArenaId>; POOLS_PER_ARENA + 1],
    pub(crate) allocated_total: usize,
    pub(crate) currently_allocated: usize,
    pub(crate) highwater: usize,
}

impl Arenas {
    pub(crate) const fn new() -> Arenas {
        Arenas {
            all: SysVec::new(),
            by_address: SysVec::new(),
            last_found: Cell::new((0, 0)),
            unused: None,
            usable: None,
            nfp2lasta: [None; POOLS_PER_ARENA + 1],
            allocated_total: 0,
            currently_allocated: 0,
            highwater: 0,
        }
    }

    pub(crate) fn get(&mut self, id: ArenaId) -> &mut ArenaObject {
        &mut self.all[id as usize]
    }

    fn nfree(&self, id: Option<ArenaId>) -> Option<u32> {
        id.map(|i| self.all[i as usize].nfreepools)
    }

    /// A descriptor with no memory: from the unused chain, or a new one.
    fn take_descriptor(&mut self) -> ArenaId {
        if let Some(id) = self.unused {
            self.unused = self.all[id as usize].next;
            return id;
        }
        let empty = || ArenaObject {
            address: ptr::null_mut(),
            pool_address: ptr::null_mut(),
            nfreepools: 0,
            ntotalpools: 0,
            freepools: ptr::null_mut(),
            next: None,
            prev: None,
        };
        self.all.push(empty());
        (self.all.len() - 1) as ArenaId
    }

    /// CPython's `new_arena`: 1 MiB from the system, which becomes the only usable arena
    /// (called only when there is none); its first pool holds the pool headers. `None` when
    /// the system is out of memory.
    pub(crate) fn new_arena(&mut self) -> Option<ArenaId> {
        debug_assert!(self.usable.is_none());
        let memory = System.alloc(ARENA_LAYOUT)?;
        let id = self.take_descriptor();
        let arena = self.get(id);
        arena.address = memory.as_ptr();
        // SAFETY: the arena is larger than its header pool.
        arena.pool_address = unsafe { memory.as_ptr().add(POOL_SIZE) };
        arena.nfreepools = POOLS_PER_ARENA as u32;
        arena.ntotalpools = POOLS_PER_ARENA as u32;
        arena.freepools = ptr::null_mut();
        arena.next = None;
        arena.prev = None;
        self.usable = Some(id);
        self.nfp2lasta[POOLS_PER_ARENA] = Some(id);
        let at = self
            .index_of_address(memory.as_ptr().addr())
            .map_or(0, |i| i + 1);
        self.by_address.insert(at, (memory.as_ptr().addr(), id));
        self.allocated_total += 1;
        self.currently_allocated += 1;
        self.highwater = self.highwater.max(self.currently_allocated);
        Some(id)
    }

    /// Takes a pool from the head of `usable` (the fullest arena with a free pool): an empty
    /// one if it has any, else the next never-carved one. Keeps the sort order.
    pub(crate) fn take_pool(&mut self) -> (*mut PoolHeader, ArenaId) {
        let id = self.usable.expect("take_pool needs a usable arena");
        let arena = self.get(id);
        let pool = if arena.freepools.is_null() {
            let pool = arena
                .pool_address
                .map_addr(header_addr)
                .cast::<PoolHeader>();
            // SAFETY: `nfreepools > 0` with no empty pool means an uncarved pool remains
            // inside the arena.
            arena.pool_address = unsafe { arena.pool_address.add(POOL_SIZE) };
            // SAFETY: the pool's header slot is ours and not in use; mark it never used.
            unsafe {
                ptr::addr_of_mut!((*pool).szidx).write(DUMMY_SIZE_IDX);
                ptr::addr_of_mut!((*pool).freeblock).write(ptr::null_mut());
            }
            pool
        } else {
            let pool = arena.freepools;
            // SAFETY: `freepools` links empty pools of this arena.
            arena.freepools = unsafe { (*pool).nextpool };
            pool
        };
        self.one_pool_fewer(id);
        (pool, id)
    }

    /// `nfreepools -= 1` for the head of `usable`, which stays the smallest.
    fn one_pool_fewer(&mut self, id: ArenaId) {
        let nf = self.all[id as usize].nfreepools - 1;
        self.all[id as usize].nfreepools = nf;
        if self.nfp2lasta[nf as usize + 1] == Some(id) {
            self.nfp2lasta[nf as usize + 1] = None;
        }
        if nf > 0 {
            debug_assert!(self.nfp2lasta[nf as usize].is_none());
            self.nfp2lasta[nf as usize] = Some(id);
        } else {
            // Completely allocated: leaves `usable` (it is the head).
            self.usable = self.all[id as usize].next;
            if let Some(next) = self.usable {
                self.all[next as usize].prev = None;
            }
        }
    }

    /// CPython's `insert_to_freepool` tail: `pool` became empty. Returns the arena's memory
    /// if the arena is now entirely free and can go back to the system.
    pub(crate) fn pool_emptied(
        &mut self,
        pool: *mut PoolHeader,
        id: ArenaId,
    ) -> Option<NonNull<u8>> {
        let arena = self.get(id);
        // SAFETY: `pool` is an empty pool of this arena, linked in no list.
        unsafe { (*pool).nextpool = arena.freepools };
        arena.freepools = pool;
        let old = arena.nfreepools;
        let lastnf = self.nfp2lasta[old as usize];
        if lastnf == Some(id) {
            let prev = self.all[id as usize].prev;
            self.nfp2lasta[old as usize] = prev.filter(|&p| self.all[p as usize].nfreepools == old);
        }
        let nf = old + 1;
        self.all[id as usize].nfreepools = nf;
        let arena = &self.all[id as usize];
        if nf == arena.ntotalpools && arena.next.is_some() {
            return Some(self.release(id));
        }
        if nf == 1 {
            self.push_front(id);
        } else {
            self.resort(id, lastnf, nf);
        }
        None
    }

    /// Case 1: every pool is free and another usable arena exists: unlink, recycle the
    /// descriptor and hand back the memory. (The last arena of `usable` is kept even when
    /// empty, to avoid freeing and allocating an arena on every iteration of a loop,
    /// bpo-37257.)
    fn release(&mut self, id: ArenaId) -> NonNull<u8> {
        self.unlink(id);
        let unused = self.unused;
        let arena = self.get(id);
        let memory = NonNull::new(arena.address).expect("released arena has memory");
        arena.address = ptr::null_mut();
        let at = self.index_of_address(memory.as_ptr().addr());
        self.by_address
            .remove(at.expect("released arena is indexed"));
        if self.last_found.get().0 == memory.as_ptr().addr() {
            self.last_found.set((0, 0));
        }
        let arena = self.get(id);
        arena.next = unused;
        self.unused = Some(id);
        self.currently_allocated -= 1;
        memory
    }

    /// Index in `by_address` of the last arena starting at or below `addr`.
    fn index_of_address(&self, addr: usize) -> Option<usize> {
        let bases = self.by_address.as_slice();
        bases
            .partition_point(|&(base, _)| base <= addr)
            .checked_sub(1)
    }

    /// The pool header of the block at `addr`, as a pointer with the provenance of the arena
    /// that holds it; `None` if no arena holds `addr`. Budget: a mask and a compare when the
    /// block is in the same arena as the last one looked up, else a binary search.
    #[inline]
    pub(crate) fn pool_of_address(&self, addr: usize) -> Option<*mut PoolHeader> {
        let base = addr & !(ARENA_SIZE - 1);
        let (cached, id) = self.last_found.get();
        let arena = if cached == base && base != 0 {
            debug_assert_eq!(self.all[id as usize].address.addr(), base);
            self.all[id as usize].address
        } else {
            self.find_arena(base)?
        };
        debug_assert!(addr - base >= POOL_SIZE, "a block in a header pool");
        Some(arena.with_addr(header_addr(addr)).cast())
    }

    /// The arena starting at `base`, remembered for the next lookup.
    #[cold]
    fn find_arena(&self, base: usize) -> Option<*mut u8> {
        let (found, id) = self.by_address.as_slice()[self.index_of_address(base)?];
        if found != base {
            return None;
        }
        self.last_found.set((base, id));
        Some(self.all[id as usize].address)
    }

    fn unlink(&mut self, id: ArenaId) {
        let (prev, next) = (self.all[id as usize].prev, self.all[id as usize].next);
        match prev {
            Some(p) => self.all[p as usize].next = next,
            None => self.usable = next,
        }
        if let Some(n) = next {
            self.all[n as usize].prev = prev;
        }
    }

    /// Case 2: the arena had no free pool, so it was not in `usable`: it goes first.
    fn push_front(&mut self, id: ArenaId) {
        let head = self.usable;
        let arena = self.get(id);
        arena.next = head;
        arena.prev = None;
        if let Some(h) = head {
            self.all[h as usize].prev = Some(id);
        }
        self.usable = Some(id);
        if self.nfp2lasta[1].is_none() {
            self.nfp2lasta[1] = Some(id);
        }
    }

    /// Cases 3 and 4: the arena now has `nf` free pools; move it right, after the last arena
    /// that had its old count (`lastnf`), unless it was that arena.
    fn resort(&mut self, id: ArenaId, lastnf: Option<ArenaId>, nf: u32) {
        if self.nfp2lasta[nf as usize].is_none() {
            self.nfp2lasta[nf as usize] = Some(id);
        }
        let Some(lastnf) = lastnf.filter(|&l| l != id) else {
            return;
        };
        self.unlink(id);
        let after = self.all[lastnf as usize].next;
        let arena = self.get(id);
        arena.prev = Some(lastnf);
        arena.next = after;
        if let Some(a) = after {
            self.all[a as usize].prev = Some(id);
        }
        self.all[lastnf as usize].next = Some(id);
        debug_assert!(
            self.nfree(self.all[id as usize].next)
                .is_none_or(|n| nf <= n)
        );
    }

    /// Checks the sort order and `nfp2lasta` (expensive checks).
    pub(crate) fn validate(&self) {
        let bases = self.by_address.as_slice();
        assert!(
            bases.windows(2).all(|w| w[0].0 < w[1].0),
            "by_address not sorted"
        );
        for &(base, id) in bases {
            assert!(base.is_multiple_of(ARENA_SIZE), "arena alignment");
            assert_eq!(
                self.all[id as usize].address.addr(),
                base,
                "by_address entry"
            );
        }
        assert_eq!(
            bases.len(),
            self.currently_allocated,
            "by_address holds every arena"
        );
        let mut cur = self.usable;
        let mut last = 0;
        let mut prev = None;
        while let Some(id) = cur {
            let arena = &self.all[id as usize];
            assert!(
                !arena.address.is_null() && arena.nfreepools > 0,
                "usable arena state"
            );
            assert!(arena.nfreepools >= last, "usable_arenas not sorted");
            assert_eq!(arena.prev, prev, "usable_arenas back link");
            let is_last_of_count = self.nfree(arena.next) != Some(arena.nfreepools);
            assert_eq!(
                self.nfp2lasta[arena.nfreepools as usize] == Some(id),
                is_last_of_count,
                "nfp2lasta"
            );
            last = arena.nfreepools;
            prev = cur;
            cur = arena.next;
        }
    }
}
