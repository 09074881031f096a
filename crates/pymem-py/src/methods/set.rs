//! The methods of `set` and `frozenset` (a table whose values are `None`). The two share
//! the non-mutating methods; set adds the mutating ones. Set algebra goes through the
//! native protocol in `seq`, which works on payloads.

use std::cell::RefCell;

use super::{Kw, between, defs, no_kw, noargs, one, recv, rich_compare, slot, slot1};
use crate::code::{BinOp, CmpOp};
use crate::dict::Dict;
use crate::error::{PyResult, err, key_error, type_error};
use crate::obj::{BuiltinDef, DictIterKind, IterState, Kind, PyRef};
use crate::types::type_name;
use crate::{dictops, iter, ops, seq, val};

/// The methods both types have, each qualified by the type's name `$t`, then `$extra`.
macro_rules! set_table {
    ($t:literal; $($extra:tt)*) => {
        defs![
            "copy" => |a, k| copy(concat!($t, ".copy"), a, k),
            "union" => |a, k| combine(concat!($t, ".union"), a, k, BinOp::Or),
            "intersection" => |a, k| combine(concat!($t, ".intersection"), a, k, BinOp::And),
            "difference" => |a, k| combine(concat!($t, ".difference"), a, k, BinOp::Sub),
            "symmetric_difference" => |a, k| {
                symmetric_difference(concat!($t, ".symmetric_difference"), a, k)
            },
            "issubset" => |a, k| relation(concat!($t, ".issubset"), a, k, CmpOp::Le),
            "issuperset" => |a, k| relation(concat!($t, ".issuperset"), a, k, CmpOp::Ge),
            "isdisjoint" => |a, k| isdisjoint(concat!($t, ".isdisjoint"), a, k),
            "__len__" => |a, k| len(concat!($t, ".__len__"), a, k),
            "__contains__" => |a, k| contains(concat!($t, ".__contains__"), a, k),
            "__iter__" => |a, k| iter_(concat!($t, ".__iter__"), a, k),
            "__or__" => |a, k| operator(concat!($t, ".__or__"), a, k, BinOp::Or, false),
            "__and__" => |a, k| operator(concat!($t, ".__and__"), a, k, BinOp::And, false),
            "__sub__" => |a, k| operator(concat!($t, ".__sub__"), a, k, BinOp::Sub, false),
            "__xor__" => |a, k| operator(concat!($t, ".__xor__"), a, k, BinOp::Xor, false),
            "__ror__" => |a, k| operator(concat!($t, ".__ror__"), a, k, BinOp::Or, true),
            "__rand__" => |a, k| operator(concat!($t, ".__rand__"), a, k, BinOp::And, true),
            "__rsub__" => |a, k| operator(concat!($t, ".__rsub__"), a, k, BinOp::Sub, true),
            "__rxor__" => |a, k| operator(concat!($t, ".__rxor__"), a, k, BinOp::Xor, true),
            "__eq__" => |a, k| rich_compare(concat!($t, ".__eq__"), a, k, CmpOp::Eq, is_set_like),
            "__ne__" => |a, k| rich_compare(concat!($t, ".__ne__"), a, k, CmpOp::Ne, is_set_like),
            "__lt__" => |a, k| rich_compare(concat!($t, ".__lt__"), a, k, CmpOp::Lt, is_set_like),
            "__le__" => |a, k| rich_compare(concat!($t, ".__le__"), a, k, CmpOp::Le, is_set_like),
            "__gt__" => |a, k| rich_compare(concat!($t, ".__gt__"), a, k, CmpOp::Gt, is_set_like),
            "__ge__" => |a, k| rich_compare(concat!($t, ".__ge__"), a, k, CmpOp::Ge, is_set_like),
            "__repr__" => |a, k| repr(concat!($t, ".__repr__"), a, k),
            $($extra)*
        ]
    };
}

/// The methods of `set`.
pub(crate) static SET: &[BuiltinDef] = set_table!["set";
    "add" => add, "discard" => discard, "remove" => remove, "pop" => pop, "clear" => clear,
    "update" => |a, k| update("set.update", a, k, BinOp::Or),
    "intersection_update" => |a, k| update("set.intersection_update", a, k, BinOp::And),
    "difference_update" => |a, k| update("set.difference_update", a, k, BinOp::Sub),
    "symmetric_difference_update" => symmetric_difference_update,
    "__ior__" => |a, k| inplace("set.__ior__", a, k, BinOp::Or),
    "__iand__" => |a, k| inplace("set.__iand__", a, k, BinOp::And),
    "__isub__" => |a, k| inplace("set.__isub__", a, k, BinOp::Sub),
    "__ixor__" => |a, k| inplace("set.__ixor__", a, k, BinOp::Xor),
    "__init__" => init,
];

/// The methods of `frozenset`.
pub(crate) static FROZENSET: &[BuiltinDef] = set_table!["frozenset"; "__hash__" => hash];

/// Whether `x` is a set or frozenset (or an instance of a subclass).
fn is_set_like(x: &PyRef) -> bool {
    matches!(x.payload(), Some(Kind::Set(..)))
}

/// The receiver, checked to be of the method's type (`set.…` or `frozenset.…`).
fn this_obj<'a>(q: &str, args: &'a [PyRef]) -> PyResult<&'a PyRef> {
    let frozen = q.starts_with("frozenset");
    recv(q, args, |x| {
        matches!(x.payload(), Some(Kind::Set(_, f)) if *f == frozen).then_some(x)
    })
}

/// The receiver's table.
fn this<'a>(q: &str, args: &'a [PyRef]) -> PyResult<&'a RefCell<Dict>> {
    table(this_obj(q, args)?).ok_or_else(|| type_error("not a set"))
}

/// The table of a set or frozenset.
fn table(x: &PyRef) -> Option<&RefCell<Dict>> {
    match x.payload() {
        Some(Kind::Set(d, _)) => Some(d),
        _ => None,
    }
}

/// `x` as a set operand: itself if set-like, else a new set of its items.
fn as_set(x: &PyRef) -> PyResult {
    if is_set_like(x) {
        Ok(x.clone())
    } else {
        seq::to_set(x)
    }
}

/// The key to look a set member up by: a (unhashable) set is looked up as the frozenset
/// of its items, as CPython does.
fn lookup_key(x: &PyRef) -> PyRef {
    match x.payload() {
        Some(Kind::Set(d, false)) => seq::new_set(dictops::copy(d), true),
        _ => x.clone(),
    }
}

/// A plain copy of a set-like object, of the given kind.
fn plain_copy(x: &PyRef, frozen: bool) -> PyResult {
    let t = match table(x) {
        Some(d) => seq::copy_set_table(d)?,
        None => crate::dict::Dict::new_set(),
    };
    Ok(seq::new_set(t, frozen))
}

/// `s.copy()`.
fn copy(q: &str, args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this_obj(q, args)?;
    noargs(q, args, kw)?;
    plain_copy(x, q.starts_with("frozenset"))
}

/// `s.union(*others)`, `intersection`, `difference`: a new set of the receiver's kind,
/// made in the steps of CPython's `set_union`, `set_intersection_multi` and
/// `set_difference_multi` (so that it iterates in CPython's order).
fn combine(q: &str, args: &[PyRef], kw: Kw<'_>, op: BinOp) -> PyResult {
    let d = this(q, args)?;
    no_kw(q, kw)?;
    let others = &args[1..];
    let table = match (op, others.split_first()) {
        (_, None) => seq::copy_set_table(d)?,
        (BinOp::Or, _) => {
            let t = RefCell::new(seq::copy_set_table(d)?);
            others.iter().try_for_each(|o| seq::merge_into(&t, o))?;
            t.into_inner()
        }
        (BinOp::Sub, Some((first, rest))) => {
            let t = RefCell::new(seq::difference(d, first)?);
            rest.iter()
                .try_for_each(|o| seq::difference_update(&t, o))?;
            t.into_inner()
        }
        (_, Some((first, rest))) => {
            let mut t = seq::intersection(d, first)?;
            for o in rest {
                t = seq::intersection(&RefCell::new(t), o)?;
            }
            t
        }
    };
    Ok(seq::new_set(table, q.starts_with("frozenset")))
}

/// `s.symmetric_difference(other)`.
fn symmetric_difference(q: &str, args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let d = this(q, args)?;
    let other = one(q, args, kw)?;
    let table = seq::symmetric_difference(d, other)?;
    Ok(seq::new_set(table, q.starts_with("frozenset")))
}

/// `s.issubset(other)` (`<=`) and `issuperset` (`>=`), for any iterable.
fn relation(q: &str, args: &[PyRef], kw: Kw<'_>, op: CmpOp) -> PyResult {
    let x = this_obj(q, args)?;
    let o = as_set(one(q, args, kw)?)?;
    Ok(val::bool_(seq::native_compare(x, &o, op)?.unwrap_or(false)))
}

/// `s.isdisjoint(other)`: no item of `other` is in `s`.
fn isdisjoint(q: &str, args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let d = this(q, args)?;
    let it = ops::iter(one(q, args, kw)?)?;
    while let Some(item) = ops::next(&it)? {
        if dictops::contains(d, &lookup_key(&item))? {
            return Ok(val::bool_(false));
        }
    }
    Ok(val::bool_(true))
}

/// `__len__`.
fn len(q: &str, args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let d = this(q, args)?;
    slot(q, args, kw, 0)?;
    Ok(val::int(d.borrow().len() as i64))
}

/// `__contains__`.
fn contains(q: &str, args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this_obj(q, args)?;
    let item = slot1(q, args, kw)?;
    Ok(val::bool_(seq::native_contains(x, item)?.unwrap_or(false)))
}

/// `__iter__`.
fn iter_(q: &str, args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this_obj(q, args)?;
    slot(q, args, kw, 0)?;
    let n = table(x).map_or(0, |d| d.borrow().len());
    Ok(iter::make_iter(IterState::Dict(
        x.clone(),
        0,
        DictIterKind::Keys,
        n,
    )))
}

/// The operators `| & - ^` and their reflections: sets only, else NotImplemented.
fn operator(q: &str, args: &[PyRef], kw: Kw<'_>, op: BinOp, reflected: bool) -> PyResult {
    let x = this_obj(q, args)?;
    let y = slot1(q, args, kw)?;
    if !is_set_like(y) {
        return super::not_implemented();
    }
    let (a, b) = if reflected { (y, x) } else { (x, y) };
    super::or_not_implemented(seq::native_binary(op, a, b)?)
}

/// `__repr__`: `{1, 2}`, `set()`, and `S({1})` for a subclass.
fn repr(q: &str, args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this_obj(q, args)?;
    slot(q, args, kw, 0)?;
    if x.as_instance().is_none() {
        return ops::repr(x).map(val::string);
    }
    let inner = plain_copy(x, false)?;
    let name = type_name(x);
    Ok(val::string(
        match table(x).is_some_and(|d| d.borrow().is_empty()) {
            true => format!("{name}()"),
            false => format!("{name}({})", ops::repr(&inner)?),
        },
    ))
}

/// `frozenset.__hash__`.
fn hash(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let d = this("frozenset.__hash__", args)?;
    slot("frozenset.__hash__", args, kw, 0)?;
    Ok(val::int(crate::hash::frozenset_hash(&d.borrow()) as i64))
}

/// `s.add(x)`.
fn add(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let d = this("set.add", args)?;
    let x = one("set.add", args, kw)?;
    let h = ops::hash(x)?;
    if dictops::find(d, x, h)?.is_none() {
        d.borrow_mut().insert_new(h, x.clone(), val::none());
    }
    Ok(val::none())
}

/// Removes `x`; whether it was there.
fn take(d: &RefCell<Dict>, x: &PyRef) -> PyResult<bool> {
    let entry = dictops::remove(d, &lookup_key(x))?;
    let found = entry.is_some();
    drop(entry);
    Ok(found)
}

/// `s.discard(x)`.
fn discard(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let d = this("set.discard", args)?;
    take(d, one("set.discard", args, kw)?)?;
    Ok(val::none())
}

/// `s.remove(x)`: KeyError when absent.
fn remove(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let d = this("set.remove", args)?;
    let x = one("set.remove", args, kw)?;
    match take(d, x)? {
        true => Ok(val::none()),
        false => Err(key_error(x.clone())),
    }
}

/// `s.pop()`: the first member in iteration order.
fn pop(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let d = this("set.pop", args)?;
    noargs("set.pop", args, kw)?;
    let pos = {
        let mut t = d.borrow_mut();
        match t.is_set_layout() {
            true => t.set_pop_pos(),
            false => (0..t.capacity_end()).find(|&i| t.entry_at(i).is_some()),
        }
    };
    let entry = pos.and_then(|p| d.borrow_mut().remove_at(p));
    match entry {
        Some(e) => Ok(e.key),
        None => Err(err("KeyError", "pop from an empty set")),
    }
}

/// `s.clear()`.
fn clear(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let d = this("set.clear", args)?;
    noargs("set.clear", args, kw)?;
    dictops::clear(d);
    Ok(val::none())
}

/// `s.update(*others)` and the `_update` forms of `&` and `-`.
fn update(q: &str, args: &[PyRef], kw: Kw<'_>, op: BinOp) -> PyResult {
    let d = this(q, args)?;
    no_kw(q, kw)?;
    for other in &args[1..] {
        // CPython's `set_update_internal`, `set_intersection_update` and
        // `set_difference_update_internal` take any iterable as it is: making a set of
        // its items first would change the result's layout.
        match op {
            BinOp::Or => seq::merge_into(d, other)?,
            BinOp::Sub => seq::difference_update(d, other)?,
            _ => {
                let t = seq::intersection(d, other)?;
                let old = std::mem::replace(&mut *d.borrow_mut(), t);
                drop(old);
            }
        }
    }
    Ok(val::none())
}

/// `s.symmetric_difference_update(other)`.
fn symmetric_difference_update(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let q = "set.symmetric_difference_update";
    let x = this_obj(q, args)?;
    let o = as_set(one(q, args, kw)?)?;
    seq::native_inplace(BinOp::Xor, x, &o)?;
    Ok(val::none())
}

/// `|=`, `&=`, `-=`, `^=` with another set (else NotImplemented).
fn inplace(q: &str, args: &[PyRef], kw: Kw<'_>, op: BinOp) -> PyResult {
    let x = this_obj(q, args)?;
    let y = slot1(q, args, kw)?;
    if !is_set_like(y) {
        return super::not_implemented();
    }
    super::or_not_implemented(seq::native_inplace(op, x, y)?)
}

/// `set.__init__(iterable=())`: empties the set, then adds the items.
fn init(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let d = this("set.__init__", args)?;
    if !kw.is_empty() {
        return Err(type_error("set() takes no keyword arguments"));
    }
    let a = between("set", args, &[], 0, 1)?;
    // CPython empties the set first, so `s.__init__(s)` leaves it empty.
    dictops::clear(d);
    if let Some(src) = a.first() {
        seq::merge_into(d, src)?;
    }
    Ok(val::none())
}
