//! A set's table in CPython's set layout (`Objects/setobject.c`), so that sets iterate in
//! CPython's order: the entries sit at their hash slots (no separate index), with linear
//! probes of up to [`LINEAR_PROBES`] slots before each perturbed jump, dummies left by
//! deletions, a fill of 3/5 that triggers a resize to four times the used count, and
//! `pop`'s search finger.
//!
//! In this layout `entries` is the table itself (its length a power of two, at least
//! [`MIN_SIZE`]), `indices[i]` says whether slot `i` is [`EMPTY`], [`DUMMY`] or active
//! (`0`), and [`SetMeta`] keeps `fill` (active plus dummy slots) and the finger.

use super::{DUMMY, Dict, EMPTY, Entry};

/// CPython's `LINEAR_PROBES`.
const LINEAR_PROBES: usize = 9;
/// CPython's `PySet_MINSIZE`.
pub(super) const MIN_SIZE: usize = 8;
const ACTIVE: u32 = 0;

/// What the set layout keeps besides the table.
#[derive(Default)]
pub(crate) struct SetMeta {
    fill: usize,
    finger: usize,
}

/// CPython's probe sequence from `hash`: each step is a run of slots (the linear probes),
/// then a perturbed jump.
struct Probe {
    i: usize,
    perturb: u64,
    mask: usize,
}

impl Probe {
    fn new(hash: u64, mask: usize) -> Probe {
        Probe {
            i: hash as usize & mask,
            perturb: hash,
            mask,
        }
    }

    /// The slots of the next run.
    fn next_run(&mut self) -> std::ops::RangeInclusive<usize> {
        let i = self.i;
        let probes = if i + LINEAR_PROBES <= self.mask {
            LINEAR_PROBES
        } else {
            0
        };
        self.perturb >>= 5;
        self.i = (i * 5 + 1 + self.perturb as usize) & self.mask;
        i..=i + probes
    }
}

impl Dict {
    /// An empty set table (CPython's `smalltable` of eight slots).
    pub(crate) fn new_set() -> Dict {
        let mut d = Dict {
            set: Some(Box::default()),
            ..Dict::default()
        };
        d.set_reset(MIN_SIZE);
        d
    }

    /// Whether this table has the set layout.
    #[inline]
    pub(crate) fn is_set_layout(&self) -> bool {
        self.set.is_some()
    }

    /// This table's entries added one by one, in order, to a new set table: the layout
    /// CPython's set reaches by the same sequence of adds.
    pub(crate) fn into_set_layout(self) -> Dict {
        if self.is_set_layout() {
            return self;
        }
        let mut out = Dict::new_set();
        for e in self.entries.into_iter().flatten() {
            out.set_insert(e);
        }
        out
    }

    fn set_reset(&mut self, size: usize) {
        self.entries = (0..size).map(|_| None).collect();
        self.indices = vec![EMPTY; size];
        self.used = 0;
        if let Some(m) = &mut self.set {
            m.fill = 0;
        }
    }

    fn mask(&self) -> usize {
        self.entries.len() - 1
    }

    /// `set_lookkey`'s walk: visits active entries along `hash`'s probe sequence until
    /// `visit` returns true or an empty slot ends the search.
    pub(super) fn set_probe(&self, hash: u64, mut visit: impl FnMut(usize, &Entry) -> bool) {
        let mut probe = Probe::new(hash, self.mask());
        loop {
            for i in probe.next_run() {
                match (self.indices[i], &self.entries[i]) {
                    (EMPTY, _) => return,
                    (ACTIVE, Some(e)) if visit(i, e) => return,
                    _ => {}
                }
            }
        }
    }

    /// `set_add_entry` for a key known to be absent: the last dummy on the way, else the
    /// empty slot that ends the walk; resizes at a fill of 3/5.
    pub(super) fn set_insert(&mut self, e: Entry) {
        let mut probe = Probe::new(e.hash, self.mask());
        let mut freeslot = None;
        let slot = 'walk: loop {
            for i in probe.next_run() {
                match self.indices[i] {
                    EMPTY => break 'walk i,
                    DUMMY => freeslot = Some(i),
                    _ => {}
                }
            }
        };
        self.used += 1;
        self.version += 1;
        if let Some(free) = freeslot {
            self.put(free, e);
            return;
        }
        self.put(slot, e);
        let meta = self.set.as_mut().expect("set layout");
        meta.fill += 1;
        if meta.fill * 5 >= self.mask() * 3 {
            let used = self.used;
            self.set_resize(if used > 50000 { used * 2 } else { used * 4 });
        }
    }

    fn put(&mut self, i: usize, e: Entry) {
        self.entries[i] = Some(e);
        self.indices[i] = ACTIVE;
    }

    /// `set_discard_entry`: the slot becomes a dummy.
    pub(super) fn set_remove(&mut self, pos: usize) -> Option<Entry> {
        let e = self.entries.get_mut(pos)?.take()?;
        self.indices[pos] = DUMMY;
        self.used -= 1;
        self.version += 1;
        Some(e)
    }

    /// `set_clear_internal`: back to eight empty slots.
    pub(super) fn set_take_all(&mut self) -> Vec<Option<Entry>> {
        let old = std::mem::take(&mut self.entries);
        self.set_reset(MIN_SIZE);
        self.version += 1;
        old
    }

    /// `set_table_resize`: the smallest table over `minused` slots, the active entries
    /// reinserted in table order.
    #[cold]
    pub(crate) fn set_resize(&mut self, minused: usize) {
        let mut size = MIN_SIZE;
        while size <= minused {
            size <<= 1;
        }
        let fill = self.set.as_ref().map_or(0, |m| m.fill);
        if size == MIN_SIZE && self.entries.len() == MIN_SIZE && fill == self.used {
            return;
        }
        let old = std::mem::take(&mut self.entries);
        let used = self.used;
        self.set_reset(size);
        for e in old.into_iter().flatten() {
            self.insert_clean(e);
        }
        self.used = used;
        if let Some(m) = &mut self.set {
            m.fill = used;
        }
    }

    /// `set_insert_clean`: the first empty slot of the walk (the table has no dummies).
    fn insert_clean(&mut self, e: Entry) {
        let mut probe = Probe::new(e.hash, self.mask());
        loop {
            if let Some(i) = probe.next_run().find(|&i| self.indices[i] == EMPTY) {
                self.put(i, e);
                return;
            }
        }
    }

    /// The part of `set_merge` that compares no keys: one resize up front, then, when this
    /// table is empty, a copy slot for slot (as large, and `other` has no dummies) or a
    /// clean insertion in `other`'s order. Returns false when this table was not empty:
    /// the caller then adds `other`'s keys one by one, comparing them as Python does.
    pub(crate) fn set_merge_fast(&mut self, other: &Dict) -> bool {
        if other.used == 0 {
            return true;
        }
        let fill = self.set.as_ref().map_or(0, |m| m.fill);
        if (fill + other.used) * 5 >= self.mask() * 3 {
            self.set_resize((self.used + other.used) * 2);
        }
        if self.set.as_ref().is_none_or(|m| m.fill != 0) {
            return false;
        }
        let other_fill = other.set.as_ref().map_or(other.used, |m| m.fill);
        let same_size = other.is_set_layout() && self.entries.len() == other.entries.len();
        if same_size && other_fill == other.used {
            for (i, e) in other.entries.iter().enumerate() {
                if let Some(e) = e {
                    self.put(i, e.clone_entry());
                }
            }
        } else {
            other
                .iter()
                .for_each(|e| self.insert_clean(e.clone_entry()));
        }
        self.used = other.used;
        self.version += 1;
        if let Some(m) = &mut self.set {
            m.fill = other.used;
        }
        true
    }

    /// The end of `set_difference_update_internal`: when dummies are over a quarter of the
    /// table, a resize drops them.
    pub(crate) fn set_purge_dummies(&mut self) {
        let Some(fill) = self.set.as_ref().map(|m| m.fill) else {
            return;
        };
        if fill - self.used > self.mask() / 4 {
            let used = self.used;
            self.set_resize(if used > 50000 { used * 2 } else { used * 4 });
        }
    }

    /// `set.pop()`'s slot: the first active one from the finger on, wrapping around.
    pub(crate) fn set_pop_pos(&mut self) -> Option<usize> {
        if self.used == 0 {
            return None;
        }
        let mask = self.mask();
        let meta = self.set.as_mut()?;
        let mut i = meta.finger & mask;
        while self.indices[i] != ACTIVE {
            i = if i == mask { 0 } else { i + 1 };
        }
        meta.finger = i + 1;
        Some(i)
    }
}

impl Entry {
    fn clone_entry(&self) -> Entry {
        Entry {
            hash: self.hash,
            key: self.key.clone(),
            value: self.value.clone(),
        }
    }
}

impl Dict {
    /// Checks the set layout's invariants (O(n); tests call it): a power-of-two table of at
    /// least eight slots whose states match its entries, `used` and `fill` as counted, a
    /// fill below the resize point, and every entry found by its hash's probe walk.
    #[cfg(test)]
    pub(crate) fn validate_set_layout(&self) {
        let size = self.entries.len();
        assert!(
            size >= MIN_SIZE && size.is_power_of_two(),
            "table size {size}"
        );
        let active = (0..size).filter(|&i| self.indices[i] == ACTIVE).count();
        let dummies = (0..size).filter(|&i| self.indices[i] == DUMMY).count();
        for (i, e) in self.entries.iter().enumerate() {
            assert_eq!(e.is_some(), self.indices[i] == ACTIVE, "slot {i}");
        }
        let fill = self.set.as_ref().expect("set layout").fill;
        assert_eq!((self.used, fill), (active, active + dummies));
        assert!(fill < size, "an empty slot ends every walk");
        for (i, e) in self.entries.iter().enumerate() {
            let Some(e) = e else { continue };
            let mut found = None;
            self.set_probe(e.hash, |pos, _| {
                found = (pos == i).then_some(pos);
                found.is_some()
            });
            assert_eq!(found, Some(i), "entry at {i} unreachable from its hash");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::val;

    #[test]
    fn adds_discards_and_resizes_keep_the_layout_valid() {
        let mut d = Dict::new_set();
        let mut live: Vec<i64> = Vec::new();
        // A fixed pseudo-random walk (no dependency): x -> x * 6364136223846793005 + 1.
        let mut x: u64 = 7;
        for step in 0..3000 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
            let k = (x >> 40) as i64 % 500 - 100;
            let hash = crate::hash::atom_hash(val::int(k).atom().expect("atom"));
            let pos = d.find(
                hash,
                |key| matches!(key.atom(), Some(crate::obj::Atom::Int(v)) if *v == k),
            );
            match (pos, step % 3) {
                (Some(p), 0) => {
                    d.remove_at(p);
                    live.retain(|&v| v != k);
                }
                (None, _) => {
                    d.insert_new(hash, val::int(k), val::none());
                    live.push(k);
                }
                _ => {}
            }
            d.validate_set_layout();
        }
        assert_eq!(d.len(), live.len());
        while let Some(p) = d.set_pop_pos() {
            d.remove_at(p);
            d.validate_set_layout();
        }
        assert!(d.is_empty());
    }
}
