//! (L3) `weakref.WeakValueDictionary` and `weakref.WeakKeyDictionary`.
//!
//! An instance keeps its entries in a dict object in its `data` slot, so the collector
//! traces them as any slot. A `WeakValueDictionary`'s table maps each key to a ref to its
//! value; a `WeakKeyDictionary`'s maps the key's id to `(ref to the key, value)`: keys
//! are compared by identity, as pymem's own weak containers compare them (CPython compares
//! the referents with `==`, which differs only for keys that define `__eq__`). Each ref's
//! pymem callback removes its entry when the referent dies, so `len()` drops at once; the
//! callback holds the table weakly and finds the entry by hash, running no Python code.
//! Both classes share one method table: each method looks at which class `self` is.

use std::cell::RefCell;

use pymem::Gc;

use crate::dict::Dict;
use crate::error::{PyResult, err, key_error, type_error};
use crate::obj::{BuiltinDef, Obj, PyRef};
use crate::types::{is_subtype, type_name, type_of};
use crate::{call, dictops, ops, val};

use super::weakref::{internal_ref, is_alive, weakrefable};
use super::{ClassSpec, Kw, at_repr, class_of, dict_of, fns, new_object, set_slot, slot};

/// The slot holding an instance's table.
pub(crate) const DATA: &str = "data";

/// The methods of both weak dictionaries.
static METHODS: &[BuiltinDef] = fns![
    "__init__" => init,
    "__getitem__" => getitem,
    "__setitem__" => setitem,
    "__delitem__" => delitem,
    "__contains__" => contains,
    "__len__" => len,
    "__iter__" => iter,
    "__repr__" => repr,
    "keys" => keys,
    "values" => values,
    "items" => items,
    "get" => get,
    "pop" => pop,
    "popitem" => popitem,
    "setdefault" => setdefault,
    "update" => update,
    "clear" => clear,
    "copy" => copy,
];

/// `weakref.WeakValueDictionary`.
pub(crate) static WEAK_VALUE_DICT: ClassSpec = ClassSpec {
    name: "WeakValueDictionary",
    module: "weakref",
    methods: METHODS,
    statics: fns!["__new__" => new],
    props: &[],
    slots: &[DATA],
    has_dict: true,
    base: None,
};

/// `weakref.WeakKeyDictionary`.
pub(crate) static WEAK_KEY_DICT: ClassSpec = ClassSpec {
    name: "WeakKeyDictionary",
    module: "weakref",
    methods: METHODS,
    statics: fns!["__new__" => new],
    props: &[],
    slots: &[DATA],
    has_dict: true,
    base: None,
};

/// The table in `x`'s `data` slot, made if the slot is empty.
pub(crate) fn table_of(x: &PyRef) -> Gc<Obj> {
    if let Some(PyRef::O(t)) = slot(x, DATA).filter(|t| t.as_dict().is_some()) {
        return t;
    }
    let PyRef::O(t) = val::dict(Dict::new()) else {
        unreachable!("a dict is tracked")
    };
    set_slot(x, DATA, PyRef::O(t.clone()));
    t
}

/// The ref an entry holds: the entry itself, or the first item of a `(ref, value)` pair.
pub(crate) fn entry_ref(v: &PyRef) -> &PyRef {
    v.as_tuple().and_then(<[PyRef]>::first).unwrap_or(v)
}

/// The referent of a ref, if alive.
pub(crate) fn referent(w: &PyRef) -> Option<PyRef> {
    super::weakref::payload(w)?.target.upgrade().map(PyRef::O)
}

/// The death callback of an entry keyed by its referent's id (`WeakKeyDictionary`,
/// `WeakSet`): removes the entry if its ref is dead.
pub(crate) fn id_remover(table: &Gc<Obj>, id: usize) -> impl FnOnce() + 'static {
    let table = Gc::downgrade(table);
    move || {
        if let Some(t) = table.upgrade() {
            remove_dead(&t, crate::hash::int_hash(id as i64), |k| {
                k.as_i64() == Some(id as i64)
            });
        }
    }
}

/// The death callback of a `WeakValueDictionary` entry: removes the dead entries among
/// those whose key has `hash`.
fn hash_remover(table: &Gc<Obj>, hash: u64) -> impl FnOnce() + 'static {
    let table = Gc::downgrade(table);
    move || {
        if let Some(t) = table.upgrade() {
            remove_dead(&t, hash, |_| true);
        }
    }
}

/// Removes the entries with `hash` whose key passes `key_ok` and whose ref is dead. Runs
/// no Python code; the entries are dropped after the table's borrow. A table in use (never
/// the case: no borrow is held while an object can die) keeps its dead entry, which every
/// operation skips.
fn remove_dead(t: &Gc<Obj>, hash: u64, key_ok: impl Fn(&PyRef) -> bool) {
    let Ok(mut d) = dict_of(t).try_borrow_mut() else {
        return;
    };
    let dead = |d: &Dict, p: usize| {
        d.entry_at(p)
            .is_some_and(|e| key_ok(&e.key) && !is_alive(entry_ref(&e.value)))
    };
    let positions: Vec<usize> = d
        .candidates(hash)
        .into_iter()
        .filter(|&p| dead(&d, p))
        .collect();
    let removed: Vec<_> = positions
        .into_iter()
        .filter_map(|p| d.remove_at(p))
        .collect();
    drop(d);
    drop(removed);
}

/// Live entries of a table.
pub(crate) fn count_live(t: &Gc<Obj>) -> usize {
    dict_of(t)
        .borrow()
        .iter()
        .filter(|e| is_alive(entry_ref(&e.value)))
        .count()
}

/// Which of the two classes a receiver is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Flavor {
    Values,
    Keys,
}

/// A method's receiver: the instance, its flavor and its table.
struct Recv {
    this: PyRef,
    flavor: Flavor,
    table: Gc<Obj>,
}

/// The receiver of a method of either class, and the other arguments.
fn recv<'a>(method: &str, args: &'a [PyRef]) -> PyResult<(Recv, &'a [PyRef])> {
    let Some((this, rest)) = args.split_first() else {
        return Err(type_error(format!(
            "descriptor '{method}' needs an argument"
        )));
    };
    let Some(flavor) = flavor_of(this) else {
        return Err(type_error(format!(
            "descriptor '{method}' doesn't apply to a '{}' object",
            type_name(this)
        )));
    };
    Ok((
        Recv {
            this: this.clone(),
            flavor,
            table: table_of(this),
        },
        rest,
    ))
}

/// Which weak dictionary class `x` is an instance of, if either.
fn flavor_of(x: &PyRef) -> Option<Flavor> {
    let ty = type_of(x);
    if is_subtype(&ty, &class_of(&WEAK_VALUE_DICT)) {
        Some(Flavor::Values)
    } else {
        is_subtype(&ty, &class_of(&WEAK_KEY_DICT)).then_some(Flavor::Keys)
    }
}

impl Recv {
    /// The table.
    fn d(&self) -> &RefCell<Dict> {
        dict_of(&self.table)
    }

    /// The `(ref, value)` entry of a weakly held key, if it is there and alive.
    fn key_entry(&self, key: &Gc<Obj>) -> Option<(PyRef, PyRef)> {
        let e = dictops::get(self.d(), &val::int(Gc::id(key) as i64))
            .ok()
            .flatten()?;
        let [wr, v] = e.as_tuple()? else { return None };
        let same = referent(wr).is_some_and(|r| r.is(&PyRef::O(key.clone())));
        same.then(|| (wr.clone(), v.clone()))
    }

    /// `self[key]` if present.
    fn lookup(&self, key: &PyRef) -> PyResult<Option<PyRef>> {
        match self.flavor {
            Flavor::Values => Ok(dictops::get(self.d(), key)?.and_then(|wr| referent(&wr))),
            Flavor::Keys => Ok(self.key_entry(weakrefable(key)?).map(|(_, v)| v)),
        }
    }

    /// `self[key] = value`.
    fn insert(&self, key: PyRef, value: PyRef) -> PyResult<()> {
        match self.flavor {
            Flavor::Values => {
                let hash = ops::hash(&key)?;
                let wr = internal_ref(weakrefable(&value)?, hash_remover(&self.table, hash));
                dictops::set_hashed(self.d(), key, hash, wr)
            }
            Flavor::Keys => {
                let k = weakrefable(&key)?;
                let id = Gc::id(k);
                let wr = internal_ref(k, id_remover(&self.table, id));
                dictops::set(self.d(), val::int(id as i64), val::tuple(vec![wr, value]))
            }
        }
    }

    /// Removes `key`, returning its value if it was present and alive.
    fn remove(&self, key: &PyRef) -> PyResult<Option<PyRef>> {
        match self.flavor {
            Flavor::Values => Ok(dictops::remove(self.d(), key)?.and_then(|e| referent(&e.value))),
            Flavor::Keys => {
                let k = weakrefable(key)?;
                let Some((_, v)) = self.key_entry(k) else {
                    return Ok(None);
                };
                dictops::remove(self.d(), &val::int(Gc::id(k) as i64))?;
                Ok(Some(v))
            }
        }
    }

    /// The live `(key, value)` pairs, in insertion order.
    fn items(&self) -> Vec<(PyRef, PyRef)> {
        let entries = dictops::items(self.d());
        match self.flavor {
            Flavor::Values => entries
                .into_iter()
                .filter_map(|(k, wr)| Some((k, referent(&wr)?)))
                .collect(),
            Flavor::Keys => entries
                .into_iter()
                .filter_map(|(_, e)| key_pair(&e))
                .collect(),
        }
    }
}

/// A `WeakKeyDictionary` entry as `(key, value)`, if its key is alive.
fn key_pair(e: &PyRef) -> Option<(PyRef, PyRef)> {
    let [wr, v] = e.as_tuple()? else { return None };
    Some((referent(wr)?, v.clone()))
}

/// The pairs of `update`'s argument: a dict, a mapping with `keys()`, or an iterable of
/// pairs.
fn pairs(x: &PyRef) -> PyResult<Vec<(PyRef, PyRef)>> {
    if let (Some(d), None) = (x.as_dict(), x.as_instance()) {
        return Ok(dictops::items(d));
    }
    if let Some(keys) = crate::attr::getattr_opt(x, "keys")? {
        let keys = ops::collect(&call::call(&keys, &[], &[])?)?;
        return keys
            .into_iter()
            .map(|k| Ok((k.clone(), ops::getitem(x, &k)?)))
            .collect();
    }
    ops::collect(x)?.iter().map(pair).collect()
}

/// One item of an iterable of pairs.
fn pair(item: &PyRef) -> PyResult<(PyRef, PyRef)> {
    match ops::collect(item)?.as_slice() {
        [k, v] => Ok((k.clone(), v.clone())),
        other => Err(err(
            "ValueError",
            format!(
                "dictionary update sequence element has length {}; 2 is required",
                other.len()
            ),
        )),
    }
}

/// `update(other, **kwargs)` on a receiver.
fn update_from(r: &Recv, other: Option<&PyRef>, kw: Kw<'_>) -> PyResult<()> {
    if let Some(o) = other.filter(|o| !o.is_none()) {
        for (k, v) in pairs(o)? {
            r.insert(k, v)?;
        }
    }
    for (k, v) in kw {
        r.insert(k.clone(), v.clone())?;
    }
    Ok(())
}

// ---- Methods --------------------------------------------------------------------------

/// `__new__(cls, other=None, /, **kwargs)`: an instance with a table, filled.
fn new(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let Some(PyRef::O(cls)) = args.first().filter(|c| c.as_type().is_some()) else {
        return Err(type_error("__new__(X): X is not a type object"));
    };
    if args.len() > 2 {
        return Err(type_error(format!(
            "expected at most 1 argument, got {}",
            args.len() - 1
        )));
    }
    let x = new_object(cls);
    table_of(&x);
    let (r, _) = recv("__new__", std::slice::from_ref(&x))?;
    update_from(&r, args.get(1), kw)?;
    Ok(x)
}

/// `__init__`: `__new__` did the work.
fn init(_args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    Ok(val::none())
}

/// `d[key]`.
fn getitem(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let (r, rest) = recv("__getitem__", args)?;
    let key = one(rest)?;
    r.lookup(key)?.ok_or_else(|| key_error(key.clone()))
}

/// The one argument after `self`.
fn one(rest: &[PyRef]) -> PyResult<&PyRef> {
    match rest {
        [x] => Ok(x),
        _ => Err(type_error(format!(
            "expected 1 argument, got {}",
            rest.len()
        ))),
    }
}

/// `d[key] = value`.
fn setitem(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let (r, rest) = recv("__setitem__", args)?;
    let [key, value] = rest else {
        return Err(type_error(format!(
            "expected 2 arguments, got {}",
            rest.len()
        )));
    };
    r.insert(key.clone(), value.clone())?;
    Ok(val::none())
}

/// `del d[key]`.
fn delitem(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let (r, rest) = recv("__delitem__", args)?;
    let key = one(rest)?;
    match r.remove(key)? {
        Some(_) => Ok(val::none()),
        None => Err(key_error(key.clone())),
    }
}

/// `key in d`: false for a key that cannot be weakly referenced.
fn contains(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let (r, rest) = recv("__contains__", args)?;
    let key = one(rest)?;
    if r.flavor == Flavor::Keys && weakrefable(key).is_err() {
        return Ok(val::bool_(false));
    }
    Ok(val::bool_(r.lookup(key)?.is_some()))
}

/// `len(d)`: the entries whose weakly held object is alive.
fn len(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let (r, _) = recv("__len__", args)?;
    Ok(val::int(count_live(&r.table) as i64))
}

/// `iter(d)`: over a snapshot of the keys.
fn iter(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let (r, _) = recv("__iter__", args)?;
    ops::iter(&val::list(r.items().into_iter().map(|(k, _)| k).collect()))
}

/// `repr(d)`: `<WeakValueDictionary at 0x...>`.
fn repr(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let (r, _) = recv("__repr__", args)?;
    let name = crate::types::tobj(&type_of(&r.this)).name.borrow().clone();
    Ok(at_repr(&name, &r.this))
}

/// `d.keys()`, as a list.
fn keys(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let (r, _) = recv("keys", args)?;
    Ok(val::list(r.items().into_iter().map(|(k, _)| k).collect()))
}

/// `d.values()`, as a list.
fn values(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let (r, _) = recv("values", args)?;
    Ok(val::list(r.items().into_iter().map(|(_, v)| v).collect()))
}

/// `d.items()`, as a list of pairs.
fn items(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let (r, _) = recv("items", args)?;
    Ok(val::list(
        r.items()
            .into_iter()
            .map(|(k, v)| val::tuple(vec![k, v]))
            .collect(),
    ))
}

/// `d.get(key, default=None)`.
fn get(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let (r, rest) = recv("get", args)?;
    let (key, default) = match rest {
        [k] => (k, val::none()),
        [k, d] => (k, d.clone()),
        _ => {
            return Err(type_error(format!(
                "get expected 1 or 2 arguments, got {}",
                rest.len()
            )));
        }
    };
    Ok(r.lookup(key)?.unwrap_or(default))
}

/// `d.pop(key[, default])`.
fn pop(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let (r, rest) = recv("pop", args)?;
    let (key, default) = match rest {
        [k] => (k, None),
        [k, d] => (k, Some(d.clone())),
        _ => {
            return Err(type_error(format!(
                "pop expected 1 or 2 arguments, got {}",
                rest.len()
            )));
        }
    };
    match (r.remove(key)?, default) {
        (Some(v), _) | (None, Some(v)) => Ok(v),
        (None, None) => Err(key_error(key.clone())),
    }
}

/// `d.popitem()`: the last live pair.
fn popitem(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let (r, _) = recv("popitem", args)?;
    let Some((k, v)) = r.items().pop() else {
        return Err(key_error(val::str_("popitem(): dictionary is empty")));
    };
    r.remove(&k)?;
    Ok(val::tuple(vec![k, v]))
}

/// `d.setdefault(key, default=None)`.
fn setdefault(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let (r, rest) = recv("setdefault", args)?;
    let (key, default) = match rest {
        [k] => (k, val::none()),
        [k, d] => (k, d.clone()),
        _ => {
            return Err(type_error(format!(
                "setdefault expected 1 or 2 arguments, got {}",
                rest.len()
            )));
        }
    };
    if let Some(v) = r.lookup(key)? {
        return Ok(v);
    }
    r.insert(key.clone(), default.clone())?;
    Ok(default)
}

/// `d.update(other=None, /, **kwargs)`.
fn update(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let (r, rest) = recv("update", args)?;
    if rest.len() > 1 {
        return Err(type_error(format!(
            "update expected at most 1 argument, got {}",
            rest.len()
        )));
    }
    update_from(&r, rest.first(), kw)?;
    Ok(val::none())
}

/// `d.clear()`.
fn clear(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let (r, _) = recv("clear", args)?;
    dictops::clear(r.d());
    Ok(val::none())
}

/// `d.copy()`: a new dictionary of the same class with the live entries.
fn copy(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let (r, _) = recv("copy", args)?;
    let x = new_object(&type_of(&r.this));
    let (copy, _) = recv("copy", std::slice::from_ref(&x))?;
    for (k, v) in r.items() {
        copy.insert(k, v)?;
    }
    Ok(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn instance(spec: &'static ClassSpec) -> PyRef {
        new(&[PyRef::O(class_of(spec))], &[]).unwrap()
    }

    fn target() -> PyRef {
        Obj::new(crate::obj::Kind::Set(RefCell::new(Dict::new()), false))
    }

    #[test]
    fn values_vanish_with_their_object() {
        let d = instance(&WEAK_VALUE_DICT);
        let v = target();
        setitem(&[d.clone(), val::str_("k"), v.clone()], &[]).unwrap();
        assert_eq!(
            len(std::slice::from_ref(&d), &[]).unwrap().as_i64(),
            Some(1)
        );
        assert!(getitem(&[d.clone(), val::str_("k")], &[]).unwrap().is(&v));
        drop(v);
        assert_eq!(
            len(std::slice::from_ref(&d), &[]).unwrap().as_i64(),
            Some(0)
        );
        assert_eq!(
            dict_of(&table_of(&d)).borrow().len(),
            0,
            "the entry itself is gone"
        );
        assert!(getitem(&[d, val::str_("k")], &[]).is_err());
    }

    #[test]
    fn keys_vanish_with_their_object() {
        let d = instance(&WEAK_KEY_DICT);
        let k = target();
        setitem(&[d.clone(), k.clone(), val::int(5)], &[]).unwrap();
        assert_eq!(
            getitem(&[d.clone(), k.clone()], &[]).unwrap().as_i64(),
            Some(5)
        );
        assert!(setitem(&[d.clone(), val::str_("s"), val::int(1)], &[]).is_err());
        drop(k);
        assert_eq!(dict_of(&table_of(&d)).borrow().len(), 0);
    }
}
