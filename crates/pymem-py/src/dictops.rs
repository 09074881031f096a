//! (L2) Dict and set operations with Python's key equality: hashing and `__eq__` may run
//! Python code, so no borrow of the table is held while they run.

use std::cell::RefCell;

use crate::dict::{Dict, Entry};
use crate::error::PyResult;
use crate::obj::{Atom, PyRef};
use crate::ops;

/// Equality that runs no Python code, when the answer is known without it.
#[inline]
fn fast_eq(a: &PyRef, b: &PyRef) -> Option<bool> {
    if a.is(b) {
        return Some(true);
    }
    match (a.atom()?, b.atom()?) {
        (Atom::Str(x), Atom::Str(y)) => Some(x.s == y.s),
        (Atom::Int(x), Atom::Int(y)) => Some(x == y),
        (Atom::Str(_), Atom::Int(_)) | (Atom::Int(_), Atom::Str(_)) => Some(false),
        _ => None,
    }
}

/// The position of `key` in `d`, comparing with `__eq__` where needed.
pub(crate) fn find(d: &RefCell<Dict>, key: &PyRef, hash: u64) -> PyResult<Option<usize>> {
    let mut slow = false;
    let pos = d.borrow().find(hash, |k| {
        fast_eq(k, key).unwrap_or_else(|| {
            slow = true;
            false
        })
    });
    if pos.is_some() || !slow {
        return Ok(pos);
    }
    for pos in d.borrow().candidates(hash) {
        let Some(k) = d.borrow().entry_at(pos).map(|e| e.key.clone()) else {
            continue;
        };
        if ops::eq(&k, key)? {
            return Ok(Some(pos));
        }
    }
    Ok(None)
}

/// `d.get(key)`.
pub(crate) fn get(d: &RefCell<Dict>, key: &PyRef) -> PyResult<Option<PyRef>> {
    let hash = ops::hash(key)?;
    let pos = find(d, key, hash)?;
    Ok(pos.and_then(|p| d.borrow().entry_at(p).map(|e| e.value.clone())))
}

/// `d[key] = value`.
pub(crate) fn set(d: &RefCell<Dict>, key: PyRef, value: PyRef) -> PyResult<()> {
    let hash = ops::hash(&key)?;
    set_hashed(d, key, hash, value)
}

/// `d[key] = value` with the key's hash known.
pub(crate) fn set_hashed(d: &RefCell<Dict>, key: PyRef, hash: u64, value: PyRef) -> PyResult<()> {
    let old = match find(d, &key, hash)? {
        Some(pos) => d.borrow_mut().replace_at(pos, value),
        None => {
            d.borrow_mut().insert_new(hash, key, value);
            None
        }
    };
    drop(old);
    Ok(())
}

/// Removes `key`, returning its entry (None when absent).
pub(crate) fn remove(d: &RefCell<Dict>, key: &PyRef) -> PyResult<Option<Entry>> {
    let hash = ops::hash(key)?;
    let Some(pos) = find(d, key, hash)? else {
        return Ok(None);
    };
    let entry = d.borrow_mut().remove_at(pos);
    Ok(entry)
}

/// Whether `key` is in `d`.
pub(crate) fn contains(d: &RefCell<Dict>, key: &PyRef) -> PyResult<bool> {
    let hash = ops::hash(key)?;
    Ok(find(d, key, hash)?.is_some())
}

/// Removes every entry, dropping them after the borrow ends (their `__del__` may touch
/// the dict).
pub(crate) fn clear(d: &RefCell<Dict>) {
    let old = d.borrow_mut().take_all();
    drop(old);
}

/// The keys, in order, as a snapshot.
pub(crate) fn keys(d: &RefCell<Dict>) -> Vec<PyRef> {
    d.borrow().iter().map(|e| e.key.clone()).collect()
}

/// The (key, value) pairs, in order, as a snapshot.
pub(crate) fn items(d: &RefCell<Dict>) -> Vec<(PyRef, PyRef)> {
    d.borrow()
        .iter()
        .map(|e| (e.key.clone(), e.value.clone()))
        .collect()
}

/// A copy of the table (the same key and value objects).
pub(crate) fn copy(d: &RefCell<Dict>) -> Dict {
    let mut out = Dict::new();
    for e in d.borrow().iter() {
        out.insert_new(e.hash, e.key.clone(), e.value.clone());
    }
    out
}

/// `d.update(other)` from another table.
pub(crate) fn update(d: &RefCell<Dict>, other: &RefCell<Dict>) -> PyResult<()> {
    let entries: Vec<(PyRef, u64, PyRef)> = other
        .borrow()
        .iter()
        .map(|e| (e.key.clone(), e.hash, e.value.clone()))
        .collect();
    for (k, h, v) in entries {
        set_hashed(d, k, h, v)?;
    }
    Ok(())
}
