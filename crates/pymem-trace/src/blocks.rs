//! [`BlockTraces`]: the traces of the default domain's live blocks, by address, in pages
//! of direct-mapped slots, so that tracing an allocation or a free is an index into the
//! page used last, with no hashing and no probing.
//!
//! A page covers 4 KiB of address space with one slot per 16-byte granule. Two
//! live blocks never start at the same address, so two 16-aligned blocks never share a
//! slot whatever their sizes. Blocks that are not 16-aligned, or too large for a 32-bit
//! size, go to an [`AddressTable`] beside the pages. Pages left empty are freed by a sweep
//! when the page count doubles, so the traced paths keep no per-page counts.

use std::collections::HashMap;

use crate::table::{AddressHasherBuilder, AddressTable, Entry};

const GRANULE_SHIFT: u32 = 4;
const PAGE_SHIFT: u32 = 12;
/// Address space one page covers.
#[cfg(test)]
pub(crate) const PAGE_BYTES: usize = 1 << PAGE_SHIFT;
const SLOTS: usize = 1 << (PAGE_SHIFT - GRANULE_SHIFT);
/// No page has this key (keys are addresses shifted right by [`PAGE_SHIFT`]).
const NO_PAGE: usize = usize::MAX;

/// A block's size and `traceback + 1`; 0 marks an empty slot.
#[derive(Clone, Copy, Default)]
struct Slot {
    size: u32,
    traceback: u32,
}

impl Slot {
    fn is_empty(self) -> bool {
        self.traceback == 0
    }

    fn entry(self) -> Entry {
        Entry {
            size: self.size as usize,
            traceback: self.traceback - 1,
        }
    }
}

struct Page {
    key: usize,
    slots: [Slot; SLOTS],
}

impl Page {
    fn is_empty(&self) -> bool {
        self.slots.iter().all(|slot| slot.is_empty())
    }
}

/// Traces by block address.
///
/// Invariants: `index` maps each page's key to its position in `pages`; `last` is
/// `(NO_PAGE, 0)` or a page's key and position; an address is in a page or in `odd`, never
/// both; `pages.len() <= sweep_at`, which is at least [`FIRST_SWEEP`] and twice the pages
/// the last sweep kept.
pub(crate) struct BlockTraces {
    // Boxed: a page is 2 KiB, and the traced paths' index into `pages` measured cheaper
    // through a pointer than through a multiply (callgrind, B12a: 4 instructions per block).
    #[allow(clippy::vec_box)]
    pages: Vec<Box<Page>>,
    index: HashMap<usize, usize, AddressHasherBuilder>,
    last: (usize, usize),
    sweep_at: usize,
    /// Blocks that do not fit the pages.
    odd: AddressTable,
}

/// Pages made before the first sweep (so that a few pages emptied and filled again in a
/// loop are not freed and made again each time).
const FIRST_SWEEP: usize = 64;

impl Default for BlockTraces {
    fn default() -> BlockTraces {
        BlockTraces {
            pages: Vec::new(),
            index: HashMap::default(),
            last: (NO_PAGE, 0),
            sweep_at: FIRST_SWEEP,
            odd: AddressTable::default(),
        }
    }
}

/// What [`BlockTraces::try_insert`] could not do without allocating.
pub(crate) struct NeedsRoom;

/// Whether `addr` starts a granule (only such blocks live in pages).
#[inline]
fn starts_granule(addr: usize) -> bool {
    addr & ((1 << GRANULE_SHIFT) - 1) == 0
}

impl BlockTraces {
    /// The slot contents for a block, if it fits a page.
    #[inline]
    fn slot_for(addr: usize, entry: Entry) -> Option<Slot> {
        debug_assert!(entry.traceback < u32::MAX, "TracebackId's bound");
        let fits = starts_granule(addr) && entry.size <= u32::MAX as usize;
        fits.then(|| Slot {
            size: entry.size as u32,
            traceback: entry.traceback + 1,
        })
    }

    #[inline]
    fn slot_index(addr: usize) -> usize {
        (addr >> GRANULE_SHIFT) & (SLOTS - 1)
    }

    /// The position of the page with `key`, if there is one. Budget when it is the page
    /// used last: a compare.
    #[inline]
    fn find_page(&mut self, key: usize) -> Option<usize> {
        if self.last.0 == key {
            return Some(self.last.1);
        }
        self.find_page_slow(key)
    }

    #[cold]
    fn find_page_slow(&mut self, key: usize) -> Option<usize> {
        let position = *self.index.get(&key)?;
        self.last = (key, position);
        Some(position)
    }

    /// The page used last, if it has `key`. For the leaves: a compare and an index.
    #[inline(always)]
    fn last_page(&mut self, key: usize) -> Option<&mut Page> {
        if self.last.0 != key {
            return None;
        }
        Some(&mut self.pages[self.last.1])
    }

    /// [`BlockTraces::try_insert`]'s common case alone, as a leaf: inserts or replaces a
    /// block that fits a slot of the page used last, unless `odd` holds entries (one might
    /// be at this address). `Err` changes nothing; the caller then takes `insert`.
    #[inline(always)]
    pub(crate) fn try_insert_leaf(
        &mut self,
        addr: usize,
        entry: Entry,
    ) -> Result<Option<Entry>, NeedsRoom> {
        let new = Self::slot_for(addr, entry).ok_or(NeedsRoom)?;
        let odd_is_empty = self.odd.is_empty();
        let page = self.last_page(addr >> PAGE_SHIFT).ok_or(NeedsRoom)?;
        let slot = &mut page.slots[Self::slot_index(addr)];
        let old = *slot;
        if old.is_empty() && !odd_is_empty {
            return Err(NeedsRoom);
        }
        *slot = new;
        Ok((!old.is_empty()).then(|| old.entry()))
    }

    /// [`BlockTraces::remove`]'s common case alone, as a leaf: a 16-aligned block of the
    /// page used last, with `odd` empty or the entry found in the page. `Err` changes
    /// nothing; the caller then takes `remove`.
    #[inline(always)]
    pub(crate) fn try_remove_leaf(&mut self, addr: usize) -> Result<Option<Entry>, NeedsRoom> {
        if !starts_granule(addr) {
            return Err(NeedsRoom);
        }
        let odd_is_empty = self.odd.is_empty();
        let page = self.last_page(addr >> PAGE_SHIFT).ok_or(NeedsRoom)?;
        let old = std::mem::take(&mut page.slots[Self::slot_index(addr)]);
        match (old.is_empty(), odd_is_empty) {
            (false, _) => Ok(Some(old.entry())),
            (true, true) => Ok(None),
            (true, false) => Err(NeedsRoom),
        }
    }

    /// Inserts or replaces, unless that needs memory (a new page, or room in `odd`);
    /// returns the replaced entry. Budget on the page used last: a compare, an index, a
    /// store.
    #[inline]
    pub(crate) fn try_insert(
        &mut self,
        addr: usize,
        entry: Entry,
    ) -> Result<Option<Entry>, NeedsRoom> {
        let Some(new) = Self::slot_for(addr, entry) else {
            return self.odd_insert(addr, entry);
        };
        let position = self.find_page(addr >> PAGE_SHIFT).ok_or(NeedsRoom)?;
        let old = std::mem::replace(&mut self.pages[position].slots[Self::slot_index(addr)], new);
        if !old.is_empty() {
            return Ok(Some(old.entry()));
        }
        if self.odd.is_empty() {
            return Ok(None);
        }
        Ok(self.odd_remove(addr)) // an odd entry at this address is replaced
    }

    /// Out of line, so that the paged paths stay leaves that need no saved registers.
    #[cold]
    #[inline(never)]
    fn odd_remove(&mut self, addr: usize) -> Option<Entry> {
        self.odd.remove(addr)
    }

    #[cold]
    fn odd_insert(&mut self, addr: usize, entry: Entry) -> Result<Option<Entry>, NeedsRoom> {
        if self.odd.is_full() {
            return Err(NeedsRoom);
        }
        let in_page = self.take_from_page(addr); // a page entry at this address is replaced
        let old = self.odd.insert(addr, entry);
        Ok(in_page.or(old))
    }

    /// Inserts or replaces, making room first (allocates: the caller guards against
    /// tracing its own allocations).
    #[cold]
    pub(crate) fn insert(&mut self, addr: usize, entry: Entry) -> Option<Entry> {
        if Self::slot_for(addr, entry).is_some() {
            self.add_page(addr >> PAGE_SHIFT);
        } else {
            self.odd.reserve_one();
        }
        match self.try_insert(addr, entry) {
            Ok(old) => old,
            Err(NeedsRoom) => unreachable!("room was made"),
        }
    }

    /// Makes sure the page with `key` exists, sweeping empty pages first when the page
    /// count has doubled since the last sweep (so a sweep's cost, linear in the pages, is
    /// paid once per as many new pages).
    fn add_page(&mut self, key: usize) {
        if self.find_page(key).is_some() {
            return;
        }
        if self.pages.len() >= self.sweep_at {
            self.sweep();
            self.sweep_at = (2 * self.pages.len()).max(FIRST_SWEEP);
        }
        self.index.insert(key, self.pages.len());
        self.last = (key, self.pages.len());
        self.pages.push(Box::new(Page {
            key,
            slots: [Slot::default(); SLOTS],
        }));
    }

    /// Frees the empty pages.
    fn sweep(&mut self) {
        self.pages.retain(|page| !page.is_empty());
        self.index.clear();
        for (position, page) in self.pages.iter().enumerate() {
            self.index.insert(page.key, position);
        }
        self.last = (NO_PAGE, 0);
    }

    /// Removes `addr`'s entry. Budget on the page used last: a compare, an index, a
    /// store.
    #[inline]
    pub(crate) fn remove(&mut self, addr: usize) -> Option<Entry> {
        if let Some(old) = self.take_from_page(addr) {
            return Some(old);
        }
        if self.odd.is_empty() {
            return None;
        }
        self.odd_remove(addr)
    }

    /// Removes `addr`'s entry from its page, if it has one there.
    #[inline]
    fn take_from_page(&mut self, addr: usize) -> Option<Entry> {
        if !starts_granule(addr) {
            return None;
        }
        let position = self.find_page(addr >> PAGE_SHIFT)?;
        let old = std::mem::take(&mut self.pages[position].slots[Self::slot_index(addr)]);
        (!old.is_empty()).then(|| old.entry())
    }

    pub(crate) fn get(&self, addr: usize) -> Option<Entry> {
        let in_page = starts_granule(addr)
            .then(|| self.index.get(&(addr >> PAGE_SHIFT)))
            .flatten()
            .map(|&position| self.pages[position].slots[Self::slot_index(addr)])
            .filter(|slot| !slot.is_empty());
        match in_page {
            Some(slot) => Some(slot.entry()),
            None => self.odd.get(addr),
        }
    }

    /// Every `(address, entry)`, in no particular order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (usize, Entry)> + '_ {
        let paged = self.pages.iter().flat_map(|page| {
            let base = page.key << PAGE_SHIFT;
            let slots = page.slots.iter().enumerate();
            slots
                .filter(|(_, slot)| !slot.is_empty())
                .map(move |(i, slot)| (base + (i << GRANULE_SHIFT), slot.entry()))
        });
        paged.chain(self.odd.iter())
    }

    /// Entries (O(pages)).
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.iter().count()
    }

    /// Bytes the traces hold: pages, their index, and the odd table.
    pub(crate) fn bytes(&self) -> usize {
        let index_entry = size_of::<(usize, usize)>() + 1;
        self.pages.len() * size_of::<Page>()
            + self.pages.capacity() * size_of::<Box<Page>>()
            + self.index.capacity() * index_entry
            + self.odd.bytes()
    }

    /// Checks every invariant (O(pages)).
    #[cfg(test)]
    pub(crate) fn validate(&self) {
        assert_eq!(self.index.len(), self.pages.len());
        for (position, page) in self.pages.iter().enumerate() {
            assert_eq!(self.index[&page.key], position);
        }
        assert!(self.pages.len() <= self.sweep_at && self.sweep_at >= FIRST_SWEEP);
        assert!(self.last.0 == NO_PAGE || self.index[&self.last.0] == self.last.1);
        for (addr, _) in self.odd.iter() {
            let in_page = self.index.get(&(addr >> PAGE_SHIFT)).is_some_and(|&p| {
                starts_granule(addr) && !self.pages[p].slots[Self::slot_index(addr)].is_empty()
            });
            assert!(!in_page, "{addr:#x} in a page and in odd");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{BlockTraces, Entry, PAGE_BYTES};
    use crate::table::tests::xorshift;
    use std::collections::HashMap;

    fn entry(size: usize, traceback: u32) -> Entry {
        Entry { size, traceback }
    }

    /// The traced paths' order: the leaf, then `try_insert`, then `insert`. A leaf or a
    /// `try_insert` that fails must change nothing, or the model sees it.
    fn insert(t: &mut BlockTraces, addr: usize, e: Entry) -> Option<Entry> {
        let tried = t
            .try_insert_leaf(addr, e)
            .or_else(|_| t.try_insert(addr, e));
        tried.unwrap_or_else(|_| t.insert(addr, e))
    }

    fn remove(t: &mut BlockTraces, addr: usize) -> Option<Entry> {
        t.try_remove_leaf(addr).unwrap_or_else(|_| t.remove(addr))
    }

    #[test]
    fn agrees_with_a_hash_map_over_random_operations() {
        let mut traces = BlockTraces::default();
        let mut model = HashMap::new();
        let mut state: u64 = 0x9876_5432;
        for step in 0..if cfg!(miri) { 3_000 } else { 300_000 } {
            let x = xorshift(&mut state);
            // Mostly 16-aligned addresses over a few hundred pages; some odd ones and some
            // huge sizes, which go to the odd table.
            let granule = (x % (300 * PAGE_BYTES as u64 / 16)) as usize;
            let addr = 16 + 16 * granule + if x.is_multiple_of(17) { 8 } else { 0 };
            let size = if x.is_multiple_of(31) {
                1 << 33
            } else {
                (x % 600) as usize + 1
            };
            let e = entry(size, step as u32);
            match x % 5 {
                0 | 1 => assert_eq!(insert(&mut traces, addr, e), model.insert(addr, e)),
                _ => assert_eq!(remove(&mut traces, addr), model.remove(&addr)),
            }
            if step % 4999 == 0 {
                traces.validate();
                for (&a, &e) in &model {
                    assert_eq!(traces.get(a), Some(e));
                }
            }
        }
        traces.validate();
        assert_eq!(traces.len(), model.len());
        let mut all: Vec<_> = traces.iter().collect();
        let mut expected: Vec<_> = model.into_iter().collect();
        all.sort_by_key(|&(a, _)| a);
        expected.sort_by_key(|&(a, _)| a);
        assert_eq!(all, expected);
    }

    #[test]
    fn empty_pages_are_swept_once_they_outnumber_the_live_ones() {
        let mut traces = BlockTraces::default();
        // One block in each of 1000 pages, each freed at once: a page per block if never swept.
        for page in 1..=1000 {
            let addr = page * PAGE_BYTES;
            insert(&mut traces, addr, entry(32, 0));
            assert_eq!(traces.remove(addr), Some(entry(32, 0)));
        }
        traces.validate();
        assert!(
            traces.pages.len() <= super::FIRST_SWEEP,
            "{}",
            traces.pages.len()
        );
        // Live pages are never swept.
        for page in 1..=1000 {
            insert(&mut traces, page * PAGE_BYTES, entry(16, 1));
        }
        traces.validate();
        assert_eq!(traces.pages.len(), 1000);
        assert_eq!(traces.len(), 1000);
    }

    #[test]
    fn an_address_moves_between_pages_and_odd_when_its_entry_changes() {
        let mut traces = BlockTraces::default();
        assert_eq!(insert(&mut traces, 0x1000, entry(8, 1)), None); // fits: a page
        assert_eq!(
            insert(&mut traces, 0x1000, entry(1 << 40, 2)), // huge: moves to odd
            Some(entry(8, 1))
        );
        traces.validate();
        assert_eq!(
            insert(&mut traces, 0x1000, entry(1 << 40, 3)), // huge again: replaced in odd
            Some(entry(1 << 40, 2))
        );
        assert_eq!(
            insert(&mut traces, 0x1000, entry(64, 4)), // fits: the odd entry is replaced
            Some(entry(1 << 40, 3))
        );
        traces.validate();
        assert_eq!(traces.len(), 1);
        assert_eq!(traces.get(0x1000), Some(entry(64, 4)));
        assert_eq!(traces.remove(0x1000), Some(entry(64, 4)));
        assert_eq!(traces.remove(0x1000), None);
        assert_eq!(traces.len(), 0);
    }

    #[test]
    fn the_leaves_refuse_what_they_cannot_do_alone_and_change_nothing() {
        let mut traces = BlockTraces::default();
        assert!(
            traces.try_insert_leaf(0x1000, entry(8, 1)).is_err(),
            "no page yet"
        );
        insert(&mut traces, 0x1000, entry(8, 1));
        assert_eq!(traces.try_insert_leaf(0x1010, entry(8, 2)).ok(), Some(None));
        assert_eq!(traces.try_remove_leaf(0x1010).ok(), Some(Some(entry(8, 2))));
        assert!(
            traces.try_insert_leaf(0x1008, entry(8, 3)).is_err(),
            "not 16-aligned"
        );
        assert!(
            traces.try_insert_leaf(0x1020, entry(1 << 40, 3)).is_err(),
            "too large"
        );
        insert(&mut traces, 0x5000, entry(8, 4)); // the page used last is now 0x5000's
        assert!(
            traces.try_insert_leaf(0x1020, entry(8, 5)).is_err(),
            "not the last page"
        );
        assert!(traces.try_remove_leaf(0x1000).is_err(), "not the last page");
        insert(&mut traces, 0x5008, entry(8, 6)); // odd
        assert!(
            traces.try_insert_leaf(0x5010, entry(8, 7)).is_err(),
            "odd may hold it"
        );
        assert!(traces.try_remove_leaf(0x5010).is_err(), "odd may hold it");
        // A slot that holds the block is replaced or emptied even with odd entries.
        assert_eq!(traces.try_remove_leaf(0x5000).ok(), Some(Some(entry(8, 4))));
        traces.validate();
        let mut all: Vec<_> = traces.iter().collect();
        all.sort_by_key(|&(a, _)| a);
        assert_eq!(all, [(0x1000, entry(8, 1)), (0x5008, entry(8, 6))]);
    }
}
