//! (L0) The table behind `dict`, `set`, class namespaces and instance attributes: CPython's
//! compact dict (entries in insertion order, an index of open-addressed slots).
//!
//! Comparing keys may run Python code (`__eq__`), which may mutate the very dict being
//! searched, so the table never compares keys itself: [`Dict::candidates`] hands out the
//! entries whose hash matches, and the caller compares them with no borrow held.
//!
//! A set's table has CPython's set layout instead ([`set_layout`]), so that sets iterate in
//! CPython's order; the operations below dispatch on it.

mod set_layout;

use pymem::Trace;

use crate::obj::PyRef;

const EMPTY: u32 = u32::MAX;
const DUMMY: u32 = u32::MAX - 1;

/// One key/value pair with the key's hash.
#[derive(Trace)]
pub(crate) struct Entry {
    #[trace(skip)]
    pub(crate) hash: u64,
    pub(crate) key: PyRef,
    pub(crate) value: PyRef,
}

/// An insertion-ordered hash table of Python objects.
#[derive(Trace, Default)]
pub(crate) struct Dict {
    /// Insertion order; `None` where an entry was deleted.
    entries: Vec<Option<Entry>>,
    /// Open-addressed slots holding entry positions, `EMPTY` or `DUMMY`.
    #[trace(skip)]
    indices: Vec<u32>,
    #[trace(skip)]
    used: usize,
    /// Bumped on every insertion or deletion, so that iterators notice changes of size.
    #[trace(skip)]
    version: u64,
    /// `Some` for a table in set layout (`entries` is then the slot table).
    #[trace(skip)]
    set: Option<Box<set_layout::SetMeta>>,
}

impl Dict {
    /// An empty table.
    pub(crate) fn new() -> Dict {
        Dict::default()
    }

    /// The number of live entries.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.used
    }

    /// Whether there are no entries.
    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        self.used == 0
    }

    /// The entry at position `i` of the insertion order, if live.
    #[inline]
    pub(crate) fn entry_at(&self, i: usize) -> Option<&Entry> {
        self.entries.get(i)?.as_ref()
    }

    /// One past the last position [`entry_at`](Self::entry_at) can hold.
    #[inline]
    pub(crate) fn capacity_end(&self) -> usize {
        self.entries.len()
    }

    /// The live entries in insertion order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().flatten()
    }

    /// The positions of entries whose hash is `hash`, in probe order.
    pub(crate) fn candidates(&self, hash: u64) -> Vec<usize> {
        let mut out = Vec::new();
        self.probe(hash, |pos, e| {
            if e.hash == hash {
                out.push(pos);
            }
            false
        });
        out
    }

    /// The position of the entry whose key satisfies `same` (a comparison that runs no
    /// Python code: identity, or str and int equality).
    #[inline]
    pub(crate) fn find(&self, hash: u64, mut same: impl FnMut(&PyRef) -> bool) -> Option<usize> {
        let mut found = None;
        self.probe(hash, |pos, e| {
            let hit = e.hash == hash && same(&e.key);
            if hit {
                found = Some(pos);
            }
            hit
        });
        found
    }

    /// Walks the probe sequence of `hash` until `visit` returns true or an empty slot.
    fn probe(&self, hash: u64, mut visit: impl FnMut(usize, &Entry) -> bool) {
        if self.set.is_some() {
            return self.set_probe(hash, visit);
        }
        if self.indices.is_empty() {
            return;
        }
        let mask = self.indices.len() - 1;
        let mut i = hash as usize & mask;
        let mut perturb = hash;
        loop {
            match self.indices[i] {
                EMPTY => return,
                DUMMY => {}
                pos => {
                    if let Some(e) = &self.entries[pos as usize]
                        && visit(pos as usize, e)
                    {
                        return;
                    }
                }
            }
            perturb >>= 5;
            i = (i * 5 + 1 + perturb as usize) & mask;
        }
    }

    /// Replaces the value at `pos`, returning the old one.
    pub(crate) fn replace_at(&mut self, pos: usize, value: PyRef) -> Option<PyRef> {
        let e = self.entries[pos].as_mut()?;
        Some(std::mem::replace(&mut e.value, value))
    }

    /// Appends a key known to be absent.
    pub(crate) fn insert_new(&mut self, hash: u64, key: PyRef, value: PyRef) {
        if self.set.is_some() {
            return self.set_insert(Entry { hash, key, value });
        }
        if (self.entries.len() + 1) * 3 > self.indices.len() * 2 {
            self.resize();
        }
        let pos = self.entries.len() as u32;
        self.entries.push(Some(Entry { hash, key, value }));
        let slot = self.free_slot(hash);
        self.indices[slot] = pos;
        self.used += 1;
        self.version += 1;
    }

    /// Removes the entry at `pos`, returning it (the caller drops it after releasing its
    /// borrow: dropping may run `__del__`).
    pub(crate) fn remove_at(&mut self, pos: usize) -> Option<Entry> {
        if self.set.is_some() {
            return self.set_remove(pos);
        }
        let e = self.entries.get_mut(pos)?.take()?;
        let slot = self.slot_of(e.hash, pos);
        self.indices[slot] = DUMMY;
        self.used -= 1;
        self.version += 1;
        Some(e)
    }

    /// Removes every entry, returning them to be dropped outside the borrow.
    pub(crate) fn take_all(&mut self) -> Vec<Option<Entry>> {
        if self.set.is_some() {
            return self.set_take_all();
        }
        self.indices.clear();
        self.used = 0;
        self.version += 1;
        std::mem::take(&mut self.entries)
    }

    /// The last live entry's position (`popitem`).
    pub(crate) fn last_pos(&self) -> Option<usize> {
        self.entries.iter().rposition(Option::is_some)
    }

    fn slot_of(&self, hash: u64, pos: usize) -> usize {
        let mask = self.indices.len() - 1;
        let mut i = hash as usize & mask;
        let mut perturb = hash;
        while self.indices[i] != pos as u32 {
            perturb >>= 5;
            i = (i * 5 + 1 + perturb as usize) & mask;
        }
        i
    }

    fn free_slot(&self, hash: u64) -> usize {
        let mask = self.indices.len() - 1;
        let mut i = hash as usize & mask;
        let mut perturb = hash;
        while self.indices[i] < DUMMY {
            perturb >>= 5;
            i = (i * 5 + 1 + perturb as usize) & mask;
        }
        i
    }

    /// Compacts the entries and rebuilds the index at a size with room to grow.
    #[cold]
    fn resize(&mut self) {
        self.entries.retain(Option::is_some);
        let size = (self.used * 3 + 8).next_power_of_two();
        self.indices = vec![EMPTY; size];
        for pos in 0..self.entries.len() {
            let hash = self.entries[pos].as_ref().map_or(0, |e| e.hash);
            let slot = self.free_slot(hash);
            self.indices[slot] = pos as u32;
        }
    }
}
