//! (L3) `weakref.WeakSet`: a set whose members are held weakly and compared by identity.
//!
//! As the weak dictionaries (`weakdict`), an instance keeps a table in its `data` slot:
//! each member's id maps to a ref to it, whose pymem callback removes the entry when the
//! member dies.

use std::collections::HashSet;

use pymem::Gc;

use crate::error::{PyResult, key_error, type_error};
use crate::obj::{Obj, PyRef};
use crate::types::{is_subtype, type_of};
use crate::{dictops, ops, val};

use super::weakdict::{DATA, count_live, entry_ref, id_remover, referent, table_of};
use super::weakref::{internal_ref, weakrefable};
use super::{ClassSpec, Kw, dict_of, fns, new_object, receiver};

/// `weakref.WeakSet`.
pub(crate) static WEAK_SET: ClassSpec = ClassSpec {
    name: "WeakSet",
    module: "weakref",
    methods: fns![
        "__init__" => init,
        "add" => add,
        "discard" => discard,
        "remove" => remove,
        "pop" => pop,
        "update" => update,
        "clear" => clear,
        "copy" => copy,
        "__contains__" => contains,
        "__len__" => len,
        "__iter__" => iter,
        "__repr__" => repr,
        "__eq__" => eq,
        "__ne__" => ne,
        "issubset" => issubset,
        "__le__" => issubset,
        "issuperset" => issuperset,
        "__ge__" => issuperset,
        "__lt__" => lt,
        "__gt__" => gt,
        "union" => union,
        "__or__" => union,
        "intersection" => intersection,
        "__and__" => intersection,
        "difference" => difference,
        "__sub__" => difference,
    ],
    statics: fns!["__new__" => new],
    props: &[],
    slots: &[DATA],
    has_dict: true,
    base: None,
};

/// The receiver's table and the other arguments.
fn recv<'a>(method: &str, args: &'a [PyRef]) -> PyResult<(PyRef, Gc<Obj>, &'a [PyRef])> {
    let this = receiver(&WEAK_SET, method, args)?;
    Ok((this.clone(), table_of(this), &args[1..]))
}

/// The one argument after `self`.
fn one<'a>(method: &str, rest: &'a [PyRef]) -> PyResult<&'a PyRef> {
    match rest {
        [x] => Ok(x),
        _ => Err(type_error(format!(
            "WeakSet.{method}() takes exactly one argument ({} given)",
            rest.len()
        ))),
    }
}

/// The ref to `item` in the table, if `item` is a member.
fn find(t: &Gc<Obj>, item: &Gc<Obj>) -> Option<PyRef> {
    let wr = dictops::get(dict_of(t), &val::int(Gc::id(item) as i64))
        .ok()
        .flatten()?;
    referent(&wr)
        .is_some_and(|r| r.is(&PyRef::O(item.clone())))
        .then_some(wr)
}

/// Adds `item` to the table unless it is a member.
fn add_item(t: &Gc<Obj>, item: &PyRef) -> PyResult<()> {
    let o = weakrefable(item)?;
    if find(t, o).is_some() {
        return Ok(());
    }
    let id = Gc::id(o);
    let wr = internal_ref(o, id_remover(t, id));
    dictops::set(dict_of(t), val::int(id as i64), wr)
}

/// The live members, in insertion order.
fn members(t: &Gc<Obj>) -> Vec<PyRef> {
    dictops::items(dict_of(t))
        .iter()
        .filter_map(|(_, wr)| referent(entry_ref(wr)))
        .collect()
}

/// The ids of `items`, each of which must be weakly referenceable (CPython makes a ref to
/// each).
fn ids(items: &[PyRef]) -> PyResult<HashSet<usize>> {
    items.iter().map(|x| weakrefable(x).map(Gc::id)).collect()
}

/// A new set of the receiver's class holding `items`.
fn new_like(this: &PyRef, items: &[PyRef]) -> PyResult {
    let x = new_object(&type_of(this));
    let t = table_of(&x);
    for item in items {
        add_item(&t, item)?;
    }
    Ok(x)
}

/// `__new__(cls, data=None)`.
fn new(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let Some(PyRef::O(cls)) = args.first().filter(|c| c.as_type().is_some()) else {
        return Err(type_error("WeakSet.__new__(X): X is not a type object"));
    };
    let x = new_object(cls);
    let t = table_of(&x);
    if let Some(data) = args.get(1).filter(|d| !d.is_none()) {
        for item in ops::collect(data)? {
            add_item(&t, &item)?;
        }
    }
    Ok(x)
}

/// `__init__`: `__new__` did the work.
fn init(_args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    Ok(val::none())
}

/// `s.add(item)`.
fn add(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let (_, t, rest) = recv("add", args)?;
    add_item(&t, one("add", rest)?)?;
    Ok(val::none())
}

/// Removes `item`; whether it was a member.
fn take(t: &Gc<Obj>, item: &PyRef) -> PyResult<bool> {
    let o = weakrefable(item)?;
    if find(t, o).is_none() {
        return Ok(false);
    }
    let entry = dictops::remove(dict_of(t), &val::int(Gc::id(o) as i64))?;
    Ok(entry.is_some())
}

/// `s.discard(item)`.
fn discard(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let (_, t, rest) = recv("discard", args)?;
    take(&t, one("discard", rest)?)?;
    Ok(val::none())
}

/// `s.remove(item)`: KeyError if it is not a member.
fn remove(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let (_, t, rest) = recv("remove", args)?;
    let item = one("remove", rest)?;
    match take(&t, item)? {
        true => Ok(val::none()),
        false => Err(key_error(item.clone())),
    }
}

/// `s.pop()`: some member, removed.
fn pop(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let (_, t, _) = recv("pop", args)?;
    let Some(item) = members(&t).pop() else {
        return Err(key_error(val::str_("pop from empty WeakSet")));
    };
    take(&t, &item)?;
    Ok(item)
}

/// `s.update(iterable)`.
fn update(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let (_, t, rest) = recv("update", args)?;
    for item in ops::collect(one("update", rest)?)? {
        add_item(&t, &item)?;
    }
    Ok(val::none())
}

/// `s.clear()`.
fn clear(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let (_, t, _) = recv("clear", args)?;
    dictops::clear(dict_of(&t));
    Ok(val::none())
}

/// `s.copy()`.
fn copy(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let (this, t, _) = recv("copy", args)?;
    new_like(&this, &members(&t))
}

/// `item in s`: false for an object that cannot be weakly referenced.
fn contains(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let (_, t, rest) = recv("__contains__", args)?;
    let found = weakrefable(one("__contains__", rest)?).is_ok_and(|o| find(&t, o).is_some());
    Ok(val::bool_(found))
}

/// `len(s)`: the live members.
fn len(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let (_, t, _) = recv("__len__", args)?;
    Ok(val::int(count_live(&t) as i64))
}

/// `iter(s)`: over a snapshot of the members.
fn iter(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let (_, t, _) = recv("__iter__", args)?;
    ops::iter(&val::list(members(&t)))
}

/// `repr(s)`: the set of refs, as CPython's `repr(self.data)`.
fn repr(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let (_, t, _) = recv("__repr__", args)?;
    let refs: Vec<PyRef> = dictops::items(dict_of(&t))
        .into_iter()
        .map(|(_, wr)| wr)
        .collect();
    if refs.is_empty() {
        return Ok(val::str_("set()"));
    }
    let parts: Vec<String> = refs.iter().map(ops::repr).collect::<PyResult<_>>()?;
    Ok(val::string(format!("{{{}}}", parts.join(", "))))
}

/// The member ids of the receiver and of the other argument's items.
fn both(method: &str, args: &[PyRef]) -> PyResult<(HashSet<usize>, HashSet<usize>)> {
    let (_, t, rest) = recv(method, args)?;
    let mine = ids(&members(&t))?;
    let theirs = ids(&ops::collect(one(method, rest)?)?)?;
    Ok((mine, theirs))
}

/// Whether the other argument is a set of the receiver's class (`__eq__` compares only
/// with those).
fn same_class(args: &[PyRef]) -> bool {
    match args {
        [a, b] => is_subtype(&type_of(b), &type_of(a)),
        _ => false,
    }
}

/// `s == other`.
fn eq(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    recv("__eq__", args)?;
    if !same_class(args) {
        return Ok(val::not_implemented());
    }
    let (a, b) = both("__eq__", args)?;
    Ok(val::bool_(a == b))
}

/// `s != other`.
fn ne(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    recv("__ne__", args)?;
    if !same_class(args) {
        return Ok(val::not_implemented());
    }
    let (a, b) = both("__ne__", args)?;
    Ok(val::bool_(a != b))
}

/// `s.issubset(other)`, `s <= other`.
fn issubset(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let (a, b) = both("issubset", args)?;
    Ok(val::bool_(a.is_subset(&b)))
}

/// `s.issuperset(other)`, `s >= other`.
fn issuperset(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let (a, b) = both("issuperset", args)?;
    Ok(val::bool_(a.is_superset(&b)))
}

/// `s < other`.
fn lt(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let (a, b) = both("__lt__", args)?;
    Ok(val::bool_(a.is_subset(&b) && a != b))
}

/// `s > other`.
fn gt(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let (a, b) = both("__gt__", args)?;
    Ok(val::bool_(a.is_superset(&b) && a != b))
}

/// `s.union(other)`, `s | other`.
fn union(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let (this, t, rest) = recv("union", args)?;
    let mut items = members(&t);
    items.extend(ops::collect(one("union", rest)?)?);
    new_like(&this, &items)
}

/// `s.intersection(other)`, `s & other`.
fn intersection(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let (this, t, rest) = recv("intersection", args)?;
    let theirs = ids(&ops::collect(one("intersection", rest)?)?)?;
    let items: Vec<PyRef> = members(&t)
        .into_iter()
        .filter(|m| theirs.contains(&m.id()))
        .collect();
    new_like(&this, &items)
}

/// `s.difference(other)`, `s - other`.
fn difference(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let (this, t, rest) = recv("difference", args)?;
    let theirs = ids(&ops::collect(one("difference", rest)?)?)?;
    let items: Vec<PyRef> = members(&t)
        .into_iter()
        .filter(|m| !theirs.contains(&m.id()))
        .collect();
    new_like(&this, &items)
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::super::class_of;

    #[test]
    fn members_vanish_with_their_object() {
        let s = new(&[PyRef::O(class_of(&WEAK_SET))], &[]).unwrap();
        let m = Obj::new(crate::obj::Kind::Set(
            std::cell::RefCell::new(crate::dict::Dict::new()),
            false,
        ));
        add(&[s.clone(), m.clone()], &[]).unwrap();
        add(&[s.clone(), m.clone()], &[]).unwrap();
        assert_eq!(
            len(std::slice::from_ref(&s), &[]).unwrap().as_i64(),
            Some(1)
        );
        assert!(add(&[s.clone(), val::int(5)], &[]).is_err());
        drop(m);
        assert_eq!(
            len(std::slice::from_ref(&s), &[]).unwrap().as_i64(),
            Some(0)
        );
        assert!(pop(&[s], &[]).is_err());
    }
}
