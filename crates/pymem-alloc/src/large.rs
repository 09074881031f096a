//! The blocks [`PyMalloc`](crate::PyMalloc) passes on to the system allocator (over 512
//! bytes, aligned above 16, or zero-size): the set of their addresses. With it `dealloc`
//! knows a large block is its own before it frees or counts it, as the arena lookup tells
//! it for a small one, and `sys.getallocatedblocks` counts exactly the large blocks it
//! served.
//!
//! An open-addressing hash set of addresses with linear probing; its buffer comes from
//! the system allocator ([`SysVec`]), since `PyMalloc` may be the global allocator.

use crate::sysvec::SysVec;

/// A free slot.
const EMPTY: usize = 0;
/// A slot whose address was removed; probes go on past it.
const GONE: usize = 1;

/// The addresses of the large blocks allocated and not yet freed.
///
/// Invariant: `slots.len()` is 0 or a power of two; `live` slots hold addresses (never
/// `EMPTY` or `GONE`: system blocks are at least 16-aligned and not null), `gone` slots
/// hold `GONE`, and `live + gone` stays at or below half the slots, so every probe meets
/// an `EMPTY` slot.
pub(crate) struct LargeBlocks {
    slots: SysVec<usize>,
    live: usize,
    gone: usize,
}

impl LargeBlocks {
    pub(crate) const fn new() -> LargeBlocks {
        LargeBlocks {
            slots: SysVec::new(),
            live: 0,
            gone: 0,
        }
    }

    /// Large blocks allocated and not freed.
    pub(crate) fn len(&self) -> usize {
        self.live
    }

    /// Adds the address of a new block (not in the set).
    pub(crate) fn insert(&mut self, addr: usize) {
        debug_assert!(addr > GONE, "a block at a reserved address");
        if 2 * (self.live + self.gone + 1) > self.slots.len() {
            self.rebuild();
        }
        let at = self.probe(addr, |slot| slot == EMPTY || slot == GONE);
        if self.slots[at] == GONE {
            self.gone -= 1;
        }
        self.slots[at] = addr;
        self.live += 1;
    }

    /// Removes `addr`; false if it is not in the set (not a block of this allocator).
    pub(crate) fn remove(&mut self, addr: usize) -> bool {
        if self.slots.len() == 0 || addr <= GONE {
            return false;
        }
        let at = self.probe(addr, |slot| slot == EMPTY || slot == addr);
        if self.slots[at] != addr {
            return false;
        }
        self.slots[at] = GONE;
        (self.live, self.gone) = (self.live - 1, self.gone + 1);
        true
    }

    /// The first slot from `addr`'s home on that satisfies `stop` (one always does).
    fn probe(&self, addr: usize, stop: impl Fn(usize) -> bool) -> usize {
        let mask = self.slots.len() - 1;
        let mut at = home(addr, self.slots.len());
        while !stop(self.slots[at]) {
            at = (at + 1) & mask;
        }
        at
    }

    /// Re-inserts the live addresses into a table of at least four times as many slots
    /// (at least 16), dropping the `GONE` marks.
    #[cold]
    fn rebuild(&mut self) {
        let size = (4 * (self.live + 1)).next_power_of_two().max(16);
        let old = core::mem::replace(&mut self.slots, SysVec::new());
        for _ in 0..size {
            self.slots.push(EMPTY);
        }
        (self.live, self.gone) = (0, 0);
        for &addr in old.as_slice().iter().filter(|&&a| a > GONE) {
            let at = self.probe(addr, |slot| slot == EMPTY);
            self.slots[at] = addr;
            self.live += 1;
        }
    }

    /// Checks the invariant (expensive checks: O(slots)).
    pub(crate) fn validate(&self) {
        let slots = self.slots.as_slice();
        assert!(
            slots.is_empty() || slots.len().is_power_of_two(),
            "large: table size"
        );
        let live = slots.iter().filter(|&&a| a > GONE).count();
        let gone = slots.iter().filter(|&&a| a == GONE).count();
        assert_eq!((live, gone), (self.live, self.gone), "large: counts");
        assert!(
            slots.is_empty() || 2 * (live + gone) <= slots.len(),
            "large: load"
        );
    }
}

/// Fibonacci hashing of the address without its always-zero low bits.
fn home(addr: usize, slots: usize) -> usize {
    let hash = ((addr >> 4) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (hash >> (64 - slots.trailing_zeros())) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inserts_and_removes_against_a_model() {
        let (mut set, mut model) = (LargeBlocks::new(), std::collections::HashSet::new());
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let rounds = if cfg!(miri) { 300 } else { 20_000 };
        for _ in 0..rounds {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let addr = 16 * (1 + (x % 512) as usize);
            if model.contains(&addr) {
                assert!(set.remove(addr));
                model.remove(&addr);
            } else if x.is_multiple_of(3) {
                assert!(!set.remove(addr), "{addr:#x} is not in the set");
            } else {
                set.insert(addr);
                model.insert(addr);
            }
            assert_eq!(set.len(), model.len());
        }
        set.validate();
        for addr in model {
            assert!(set.remove(addr));
        }
        assert_eq!(set.len(), 0);
        set.validate();
    }
}
