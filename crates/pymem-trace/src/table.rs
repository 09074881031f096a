//! [`AddressTable`]: traces by address in an open-addressing hash table with linear
//! probing and backward-shift deletion (no tombstones), for the blocks the pages of
//! [`BlockTraces`](crate::blocks::BlockTraces) cannot hold; and the hasher of the tracer's
//! maps keyed by address.

use std::hash::{BuildHasherDefault, Hasher};

/// Block addresses are 16-aligned and spread over few pages: a multiply mixes them well
/// enough, for a fraction of SipHash's cost (this runs on every traced allocation).
#[derive(Default)]
pub(crate) struct AddressHasher(u64);

impl Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.0 = (self.0 ^ n as u64)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .rotate_left(29);
    }

    fn write_u32(&mut self, n: u32) {
        self.write_usize(n as usize);
    }
}

/// Builds [`AddressHasher`]s.
pub(crate) type AddressHasherBuilder = BuildHasherDefault<AddressHasher>;

/// What a live traced block records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) size: usize,
    pub(crate) traceback: u32,
}

#[derive(Clone, Copy)]
struct Slot {
    /// The block's address; 0 marks an empty slot (no block lives at address 0).
    addr: usize,
    entry: Entry,
}

const EMPTY: Slot = Slot {
    addr: 0,
    entry: Entry {
        size: 0,
        traceback: 0,
    },
};

/// Traces by block address.
///
/// Invariants: `slots.len()` is 0 or a power of two, at most half full; `shift` is
/// `64 - log2(slots.len())`; every entry sits at or after its home slot (wrapping) with no
/// empty slot in between.
#[derive(Default)]
pub(crate) struct AddressTable {
    slots: Vec<Slot>,
    len: usize,
    shift: u32,
}

impl AddressTable {
    /// Home slot of `addr`: Fibonacci hashing of the address without its alignment bits.
    /// Only called with slots present.
    #[inline]
    fn home(&self, addr: usize) -> usize {
        let h = ((addr >> 4) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (h >> self.shift) as usize
    }

    #[inline]
    fn mask(&self) -> usize {
        self.slots.len() - 1
    }

    /// The slot at `i & mask`, which is always in bounds.
    #[inline]
    fn at(&self, i: usize) -> &Slot {
        let i = i & self.mask();
        // SAFETY: `slots.len()` is a non-zero power of two (callers check it is not empty),
        // so `i & (len - 1) < len`.
        unsafe { self.slots.get_unchecked(i) }
    }

    #[inline]
    fn at_mut(&mut self, i: usize) -> &mut Slot {
        let i = i & self.mask();
        // SAFETY: as in `at`.
        unsafe { self.slots.get_unchecked_mut(i) }
    }

    /// The index of `addr`'s slot, if present.
    #[inline]
    fn find(&self, addr: usize) -> Option<usize> {
        if self.slots.is_empty() {
            return None;
        }
        let mut i = self.home(addr);
        loop {
            match self.at(i).addr {
                0 => return None,
                a if a == addr => return Some(i & self.mask()),
                _ => i += 1,
            }
        }
    }

    /// Inserts or replaces; returns the replaced entry.
    #[inline]
    pub(crate) fn insert(&mut self, addr: usize, entry: Entry) -> Option<Entry> {
        debug_assert!(addr != 0);
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let mut i = self.home(addr);
        loop {
            let slot = self.at_mut(i);
            if slot.addr == 0 {
                *slot = Slot { addr, entry };
                self.len += 1;
                return None;
            }
            if slot.addr == addr {
                return Some(std::mem::replace(&mut slot.entry, entry));
            }
            i += 1;
        }
    }

    /// Removes `addr`'s entry, shifting later entries of its run back into the hole.
    #[inline]
    pub(crate) fn remove(&mut self, addr: usize) -> Option<Entry> {
        let mut hole = self.find(addr)?;
        let removed = self.at(hole).entry;
        let mut i = hole;
        loop {
            i = (i + 1) & self.mask();
            let next = *self.at(i);
            if next.addr == 0 {
                break;
            }
            // `next` may move into the hole unless its home lies cyclically in (hole, i].
            let home = self.home(next.addr);
            let stays = if hole <= i {
                hole < home && home <= i
            } else {
                hole < home || home <= i
            };
            if !stays {
                *self.at_mut(hole) = next;
                hole = i;
            }
        }
        *self.at_mut(hole) = EMPTY;
        self.len -= 1;
        Some(removed)
    }

    #[inline]
    pub(crate) fn get(&self, addr: usize) -> Option<Entry> {
        self.find(addr).map(|i| self.at(i).entry)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether the next insert of a new address would grow the table (allocate).
    pub(crate) fn is_full(&self) -> bool {
        (self.len + 1) * 2 > self.slots.len()
    }

    /// Grows now if the next insert would.
    pub(crate) fn reserve_one(&mut self) {
        if self.is_full() {
            self.grow();
        }
    }

    #[cold]
    fn grow(&mut self) {
        let capacity = (self.slots.len() * 2).max(64);
        let old = std::mem::replace(&mut self.slots, vec![EMPTY; capacity]);
        self.shift = 64 - capacity.trailing_zeros();
        self.len = 0;
        for slot in old.into_iter().filter(|s| s.addr != 0) {
            self.insert(slot.addr, slot.entry);
        }
    }

    /// Every `(address, entry)`, in no particular order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (usize, Entry)> + '_ {
        self.slots
            .iter()
            .filter(|s| s.addr != 0)
            .map(|s| (s.addr, s.entry))
    }

    /// Bytes the table holds.
    pub(crate) fn bytes(&self) -> usize {
        self.slots.capacity() * size_of::<Slot>()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::{AddressTable, Entry};
    use std::collections::HashMap;

    /// Marsaglia's xorshift64: the tables' random programs, reproducible without a crate.
    pub(crate) fn xorshift(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    fn entry(size: usize) -> Entry {
        Entry {
            size,
            traceback: size as u32,
        }
    }

    #[test]
    fn agrees_with_a_hash_map_over_random_operations() {
        let mut table = AddressTable::default();
        let mut model = HashMap::new();
        let mut state: u64 = 0x1234_5678;
        for step in 0..if cfg!(miri) { 2_000 } else { 200_000 } {
            let x = xorshift(&mut state);
            // Few distinct addresses, so runs collide and wrap; 16-aligned like blocks.
            let addr = 16 + 16 * (x % 3000) as usize;
            match x % 3 {
                0 | 1 => assert_eq!(
                    table.insert(addr, entry(step)),
                    model.insert(addr, entry(step))
                ),
                _ => assert_eq!(table.remove(addr), model.remove(&addr)),
            }
            if step % 997 == 0 {
                for (&a, &e) in &model {
                    assert_eq!(table.get(a), Some(e));
                }
                assert_eq!(table.iter().count(), model.len());
            }
        }
        assert_eq!(table.len, model.len());
    }
}
