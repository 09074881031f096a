//! (L4) The machinery of the weak containers: a map whose entries a weakref callback removes
//! when their object dies, deferred while the map is in use; and [`WeakSet`].

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::hash::Hash;
use std::rc::Rc;

use crate::object::Gc;
use crate::weak::Weak;

/// An entry that holds something weakly.
pub(crate) trait Entry {
    fn is_alive(&self) -> bool;
}

impl<T> Entry for Weak<T> {
    fn is_alive(&self) -> bool {
        Weak::is_alive(self)
    }
}

/// The shared state of a weak container. Values leave the map only outside a borrow, so
/// their `Drop` may use the container.
pub(crate) struct Table<K, E> {
    map: RefCell<HashMap<K, E>>,
    /// A callback found the map busy: purge dead entries at the next operation.
    pending: Cell<bool>,
}

impl<K: Eq + Hash, E: Entry> Table<K, E> {
    pub(crate) fn new() -> Rc<Table<K, E>> {
        Rc::new(Table {
            map: RefCell::new(HashMap::new()),
            pending: Cell::new(false),
        })
    }

    /// Runs `f` on the map, after any deferred removals; `InUse` while the map is lent
    /// out (a `with_value` closure, a key's `Hash` or `Eq`). What `f` returns is dropped by
    /// the caller, after the borrow ends.
    pub(crate) fn write<R>(&self, f: impl FnOnce(&mut HashMap<K, E>) -> R) -> Result<R, InUse> {
        self.purge();
        let mut map = self.map.try_borrow_mut().map_err(|_| InUse)?;
        Ok(f(&mut map))
    }

    /// [`Table::write`] for the methods that panic when the map is in use.
    pub(crate) fn with<R>(&self, f: impl FnOnce(&mut HashMap<K, E>) -> R) -> R {
        self.write(f).unwrap_or_else(|in_use| panic!("{in_use}"))
    }

    /// Runs `f` on the map, shared: other reads may run inside it (a `with_value` closure
    /// that reads the container). Panics with [`InUse`]'s message inside a change (a
    /// key's `Hash` or `Eq` reading the container it is being inserted into).
    pub(crate) fn read<R>(&self, f: impl FnOnce(&HashMap<K, E>) -> R) -> R {
        self.purge();
        let map = self.map.try_borrow().unwrap_or_else(|_| panic!("{InUse}"));
        f(&map)
    }

    /// The removals deferred while the map was in use, if it is free now; the dead
    /// entries are dropped after the borrow ends, so their `Drop` may use the container.
    fn purge(&self) {
        if !self.pending.get() {
            return;
        }
        let Ok(mut map) = self.map.try_borrow_mut() else {
            return;
        };
        self.pending.set(false);
        let dead: Vec<(K, E)> = map.extract_if(|_, e| !e.is_alive()).collect();
        drop(map);
        drop(dead);
    }

    /// A weakref callback: the object of `key`'s entry died.
    pub(crate) fn on_death(&self, key: &K) {
        let Ok(mut map) = self.map.try_borrow_mut() else {
            self.pending.set(true);
            return;
        };
        let removed = if map.get(key).is_some_and(|e| !e.is_alive()) {
            map.remove(key)
        } else {
            None
        };
        drop(map);
        drop(removed);
    }
}

/// A weak container was asked to change while it was in use: from inside
/// [`WeakKeyDictionary::with_value`](super::WeakKeyDictionary::with_value)'s closure (which
/// holds a reference into it), or from a key's `Hash` or `Eq` while it inserts or looks up
/// that key. Reads work there; changes do not. The `try_` methods return it; the others
/// panic with its message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InUse;

impl std::fmt::Display for InUse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(
            "the weak container is in use: it cannot change while with_value's closure \
             or a key's Hash or Eq runs",
        )
    }
}

impl std::error::Error for InUse {}

/// A weak callback that tells `table` that `key`'s object died.
pub(crate) fn remover<K, E, T>(table: &Rc<Table<K, E>>, key: K) -> impl FnOnce(&Weak<T>) + 'static
where
    K: Eq + Hash + 'static,
    E: Entry + 'static,
{
    let table = Rc::downgrade(table);
    move |_| {
        if let Some(table) = table.upgrade() {
            table.on_death(&key);
        }
    }
}

/// `weakref.WeakSet`: a set of objects held weakly, compared by identity. A member leaves
/// the set when it dies.
pub struct WeakSet<T: 'static> {
    table: Rc<Table<usize, Weak<T>>>,
}

impl<T: 'static> WeakSet<T> {
    /// An empty set.
    pub fn new() -> WeakSet<T> {
        WeakSet {
            table: Table::new(),
        }
    }

    /// `s.add(item)`.
    pub fn add(&self, item: &Gc<T>) {
        let id = Gc::id(item);
        if self.contains(item) {
            return;
        }
        let weak = Weak::with_callback(item, remover(&self.table, id));
        let replaced = self.table.with(|m| m.insert(id, weak));
        drop(replaced);
    }

    /// `s.discard(item)`: whether it was a member.
    pub fn discard(&self, item: &Gc<T>) -> bool {
        let removed = self.table.with(|m| m.remove(&Gc::id(item)));
        removed.is_some_and(|w| w.is_alive())
    }

    /// `item in s`.
    pub fn contains(&self, item: &Gc<T>) -> bool {
        self.table
            .read(|m| m.get(&Gc::id(item)).is_some_and(|w| w.is_alive()))
    }

    /// `len(s)`: live members.
    pub fn len(&self) -> usize {
        self.table
            .read(|m| m.values().filter(|w| w.is_alive()).count())
    }

    /// `not s`.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `list(s)`: strong references to the live members (a snapshot; CPython's iteration
    /// guard makes iteration safe, a snapshot makes it trivially so).
    pub fn to_vec(&self) -> Vec<Gc<T>> {
        self.table
            .read(|m| m.values().filter_map(Weak::upgrade).collect())
    }

    /// `s.clear()`.
    pub fn clear(&self) {
        let all = self.table.with(std::mem::take);
        drop(all);
    }
}

impl<T: 'static> Default for WeakSet<T> {
    fn default() -> WeakSet<T> {
        WeakSet::new()
    }
}

impl<T: 'static> std::fmt::Debug for WeakSet<T> {
    /// CPython's repr shows the live members; this shows their number.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "<WeakSet of {} at {:p}>",
            self.len(),
            Rc::as_ptr(&self.table)
        )
    }
}
