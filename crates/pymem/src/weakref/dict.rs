//! (L4) `weakref.WeakValueDictionary` and `weakref.WeakKeyDictionary`.

use std::hash::Hash;
use std::rc::Rc;

use super::table::{Entry, InUse, Table, remover};
use crate::object::Gc;
use crate::weak::Weak;

/// `weakref.WeakValueDictionary`: a map whose values are held weakly; an entry disappears
/// when its value dies.
pub struct WeakValueDictionary<K, V: 'static> {
    table: Rc<Table<K, Weak<V>>>,
}

impl<K: Eq + Hash + Clone + 'static, V: 'static> WeakValueDictionary<K, V> {
    /// An empty dictionary.
    pub fn new() -> WeakValueDictionary<K, V> {
        WeakValueDictionary {
            table: Table::new(),
        }
    }

    /// `d[key] = value`; returns the previous value if it was alive.
    pub fn insert(&self, key: K, value: &Gc<V>) -> Option<Gc<V>> {
        let weak = Weak::with_callback(value, remover(&self.table, key.clone()));
        let old = self.table.with(|m| m.insert(key, weak));
        old.and_then(|w| w.upgrade())
    }

    /// `d.get(key)`.
    pub fn get(&self, key: &K) -> Option<Gc<V>> {
        self.table.read(|m| m.get(key).and_then(Weak::upgrade))
    }

    /// `d.pop(key, None)`.
    pub fn remove(&self, key: &K) -> Option<Gc<V>> {
        let removed = self.table.with(|m| m.remove(key));
        removed.and_then(|w| w.upgrade())
    }

    /// `key in d`.
    pub fn contains_key(&self, key: &K) -> bool {
        self.table
            .read(|m| m.get(key).is_some_and(|w| w.is_alive()))
    }

    /// `d.setdefault(key, default)`: the live value of `key`, or `default`, inserted.
    pub fn setdefault(&self, key: K, default: &Gc<V>) -> Gc<V> {
        match self.get(&key) {
            Some(value) => value,
            None => {
                self.insert(key, default);
                default.clone()
            }
        }
    }

    /// `len(d)`: entries whose value is alive.
    pub fn len(&self) -> usize {
        self.table
            .read(|m| m.values().filter(|w| w.is_alive()).count())
    }

    /// `not d`.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `list(d.items())`: a snapshot of the live entries.
    pub fn items(&self) -> Vec<(K, Gc<V>)> {
        self.table.read(|m| {
            m.iter()
                .filter_map(|(k, w)| Some((k.clone(), w.upgrade()?)))
                .collect()
        })
    }

    /// `list(d.keys())`.
    pub fn keys(&self) -> Vec<K> {
        self.items().into_iter().map(|(k, _)| k).collect()
    }

    /// `list(d.values())`.
    pub fn values(&self) -> Vec<Gc<V>> {
        self.items().into_iter().map(|(_, v)| v).collect()
    }

    /// `d.clear()`.
    pub fn clear(&self) {
        let all = self.table.with(std::mem::take);
        drop(all);
    }
}

impl<K: Eq + Hash + Clone + 'static, V: 'static> Default for WeakValueDictionary<K, V> {
    fn default() -> Self {
        WeakValueDictionary::new()
    }
}

impl<K: Eq + Hash + Clone + 'static, V: 'static> std::fmt::Debug for WeakValueDictionary<K, V> {
    /// CPython's repr: `<WeakValueDictionary at 0x…>`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<WeakValueDictionary at {:p}>", Rc::as_ptr(&self.table))
    }
}

/// An entry of a [`WeakKeyDictionary`]: the key held weakly, the value strongly.
pub(crate) struct KeyEntry<K, V> {
    key: Weak<K>,
    value: V,
}

impl<K, V> Entry for KeyEntry<K, V> {
    fn is_alive(&self) -> bool {
        self.key.is_alive()
    }
}

/// `weakref.WeakKeyDictionary`: a map from objects, held weakly and compared by identity,
/// to values; an entry (and its value) goes when its key dies.
pub struct WeakKeyDictionary<K: 'static, V: 'static> {
    table: Rc<Table<usize, KeyEntry<K, V>>>,
}

impl<K: 'static, V: 'static> WeakKeyDictionary<K, V> {
    /// An empty dictionary.
    pub fn new() -> WeakKeyDictionary<K, V> {
        WeakKeyDictionary {
            table: Table::new(),
        }
    }

    /// `d[key] = value`; returns the previous value if its key was alive.
    ///
    /// # Panics
    /// With [`InUse`]'s message when called from inside [`with_value`]'s closure;
    /// [`try_insert`](Self::try_insert) returns the error instead.
    ///
    /// [`with_value`]: Self::with_value
    pub fn insert(&self, key: &Gc<K>, value: V) -> Option<V> {
        self.try_insert(key, value)
            .unwrap_or_else(|in_use| panic!("{in_use}"))
    }

    /// [`insert`](Self::insert), or [`InUse`] (and `value` dropped) while the dictionary
    /// lends a value out.
    pub fn try_insert(&self, key: &Gc<K>, value: V) -> Result<Option<V>, InUse> {
        let id = Gc::id(key);
        let weak = Weak::with_callback(key, remover(&self.table, id));
        let old = self
            .table
            .write(|m| m.insert(id, KeyEntry { key: weak, value }))?;
        Ok(old.filter(|e| e.is_alive()).map(|e| e.value))
    }

    /// `d.get(key)`, by a clone of the value.
    pub fn get(&self, key: &Gc<K>) -> Option<V>
    where
        V: Clone,
    {
        self.with_value(key, V::clone)
    }

    /// Calls `f` with the value of `key`, if any (no clone needed).
    ///
    /// `f` may read this dictionary (`get`, `contains_key`, `with_value`, …), and keys may
    /// die meanwhile (their entries go once `f` returns); but the dictionary cannot change
    /// while `f` holds a reference into it: `insert`, `remove` and `clear` panic with
    /// [`InUse`]'s message there, and `try_insert` and `try_remove` return it.
    pub fn with_value<R>(&self, key: &Gc<K>, f: impl FnOnce(&V) -> R) -> Option<R> {
        self.table.read(|m| {
            m.get(&Gc::id(key))
                .filter(|e| e.is_alive())
                .map(|e| f(&e.value))
        })
    }

    /// `d.pop(key, None)`.
    ///
    /// # Panics
    /// With [`InUse`]'s message inside [`with_value`](Self::with_value)'s closure;
    /// [`try_remove`](Self::try_remove) returns the error instead.
    pub fn remove(&self, key: &Gc<K>) -> Option<V> {
        self.try_remove(key)
            .unwrap_or_else(|in_use| panic!("{in_use}"))
    }

    /// [`remove`](Self::remove), or [`InUse`] while the dictionary lends a value out.
    pub fn try_remove(&self, key: &Gc<K>) -> Result<Option<V>, InUse> {
        let removed = self.table.write(|m| m.remove(&Gc::id(key)))?;
        Ok(removed.filter(|e| e.is_alive()).map(|e| e.value))
    }

    /// `key in d`.
    pub fn contains_key(&self, key: &Gc<K>) -> bool {
        self.table
            .read(|m| m.get(&Gc::id(key)).is_some_and(|e| e.is_alive()))
    }

    /// `len(d)`: entries whose key is alive.
    pub fn len(&self) -> usize {
        self.table
            .read(|m| m.values().filter(|e| e.is_alive()).count())
    }

    /// `not d`.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `list(d.keys())`: strong references to the live keys.
    pub fn keys(&self) -> Vec<Gc<K>> {
        self.table
            .read(|m| m.values().filter_map(|e| e.key.upgrade()).collect())
    }

    /// `list(d.items())`, by clones of the values.
    pub fn items(&self) -> Vec<(Gc<K>, V)>
    where
        V: Clone,
    {
        self.table.read(|m| {
            m.values()
                .filter_map(|e| Some((e.key.upgrade()?, e.value.clone())))
                .collect()
        })
    }

    /// `d.clear()`.
    pub fn clear(&self) {
        let all = self.table.with(std::mem::take);
        drop(all);
    }
}

impl<K: 'static, V: 'static> Default for WeakKeyDictionary<K, V> {
    fn default() -> Self {
        WeakKeyDictionary::new()
    }
}

impl<K: 'static, V: 'static> std::fmt::Debug for WeakKeyDictionary<K, V> {
    /// CPython's repr: `<WeakKeyDictionary at 0x…>`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<WeakKeyDictionary at {:p}>", Rc::as_ptr(&self.table))
    }
}
