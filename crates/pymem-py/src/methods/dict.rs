//! `dict`'s methods, on a dict or a dict subclass's payload. Keys are compared with
//! `dictops` (which holds no borrow while `__eq__` runs); removed entries are dropped after
//! the borrow ends.

use std::cell::RefCell;

use super::{Kw, between, defs, noargs, one, recv, rich_compare, slot, slot1};
use crate::code::{BinOp, CmpOp};
use crate::dict::Dict;
use crate::error::{PyResult, err, key_error};
use crate::obj::{BuiltinDef, DictIterKind, IterState, Kind, Obj, PyRef};
use crate::types::{BuiltinType, types};
use crate::{call, dictops, iter, ops, seq, val};

/// The methods of `dict`.
pub(crate) static METHODS: &[BuiltinDef] = defs![
    "get" => get, "setdefault" => setdefault, "pop" => pop, "popitem" => popitem,
    "keys" => |a, k| view("dict.keys", a, k, DictIterKind::Keys),
    "values" => |a, k| view("dict.values", a, k, DictIterKind::Values),
    "items" => |a, k| view("dict.items", a, k, DictIterKind::Items),
    "update" => update, "clear" => clear, "copy" => copy,
    "__contains__" => contains, "__getitem__" => getitem, "__setitem__" => setitem,
    "__delitem__" => delitem, "__len__" => len, "__iter__" => iter_, "__reversed__" => reversed,
    "__eq__" => |a, k| rich_compare("dict.__eq__", a, k, CmpOp::Eq, is_dict),
    "__ne__" => |a, k| rich_compare("dict.__ne__", a, k, CmpOp::Ne, is_dict),
    "__lt__" => |a, k| rich_compare("dict.__lt__", a, k, CmpOp::Lt, is_dict),
    "__le__" => |a, k| rich_compare("dict.__le__", a, k, CmpOp::Le, is_dict),
    "__gt__" => |a, k| rich_compare("dict.__gt__", a, k, CmpOp::Gt, is_dict),
    "__ge__" => |a, k| rich_compare("dict.__ge__", a, k, CmpOp::Ge, is_dict),
    "__or__" => or, "__ror__" => ror, "__ior__" => ior, "__repr__" => repr, "__init__" => init,
    "fromkeys" => fromkeys,
];

/// Whether `x` is a dict or an instance of a dict subclass.
fn is_dict(x: &PyRef) -> bool {
    x.as_dict().is_some()
}

/// The receiver's table.
fn this<'a>(q: &str, args: &'a [PyRef]) -> PyResult<&'a RefCell<Dict>> {
    recv(q, args, PyRef::as_dict)
}

/// The receiver itself, checked to be a dict.
fn this_obj<'a>(q: &str, args: &'a [PyRef]) -> PyResult<&'a PyRef> {
    recv(q, args, |x| is_dict(x).then_some(x))
}

/// `d.get(key, default=None)`.
fn get(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let d = this("dict.get", args)?;
    let a = between("dict.get", args, kw, 1, 2)?;
    let v = dictops::get(d, &a[0])?;
    Ok(v.or_else(|| a.get(1).cloned()).unwrap_or_else(val::none))
}

/// `d.setdefault(key, default=None)`.
fn setdefault(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let d = this("dict.setdefault", args)?;
    let a = between("dict.setdefault", args, kw, 1, 2)?;
    if let Some(v) = dictops::get(d, &a[0])? {
        return Ok(v);
    }
    let default = a.get(1).cloned().unwrap_or_else(val::none);
    dictops::set(d, a[0].clone(), default.clone())?;
    Ok(default)
}

/// `d.pop(key[, default])`.
fn pop(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let d = this("dict.pop", args)?;
    let a = between("dict.pop", args, kw, 1, 2)?;
    match dictops::remove(d, &a[0])? {
        Some(entry) => Ok(entry.value),
        None => a.get(1).cloned().ok_or_else(|| key_error(a[0].clone())),
    }
}

/// `d.popitem()`: the last entry inserted.
fn popitem(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let d = this("dict.popitem", args)?;
    noargs("dict.popitem", args, kw)?;
    let pos = d.borrow().last_pos();
    let entry = pos.and_then(|p| d.borrow_mut().remove_at(p));
    match entry {
        Some(e) => Ok(val::tuple(vec![e.key, e.value])),
        None => Err(err("KeyError", "popitem(): dictionary is empty")),
    }
}

/// `d.keys()`, `d.values()`, `d.items()`.
fn view(q: &str, args: &[PyRef], kw: Kw<'_>, kind: DictIterKind) -> PyResult {
    let d = this_obj(q, args)?;
    noargs(q, args, kw)?;
    Ok(Obj::new(Kind::DictView(d.clone(), kind)))
}

/// Adds the keyword arguments of `update` or `dict()` to `d`.
fn add_keywords(d: &RefCell<Dict>, kw: Kw<'_>) -> PyResult<()> {
    for (k, v) in kw {
        dictops::set(d, k.clone(), v.clone())?;
    }
    Ok(())
}

/// `d.update([other], **kwargs)`.
fn update(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let d = this("dict.update", args)?;
    let a = between("dict.update", args, &[], 0, 1)?;
    if let Some(other) = a.first() {
        seq::dict_update_from(d, other)?;
    }
    add_keywords(d, kw)?;
    Ok(val::none())
}

/// `d.clear()`.
fn clear(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let d = this("dict.clear", args)?;
    noargs("dict.clear", args, kw)?;
    dictops::clear(d);
    Ok(val::none())
}

/// `d.copy()`: a plain dict, even for a subclass.
fn copy(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let d = this("dict.copy", args)?;
    noargs("dict.copy", args, kw)?;
    Ok(val::dict(dictops::copy(d)))
}

/// `dict.fromkeys(iterable, value=None)`, a class method.
fn fromkeys(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let args = &super::class_args(args, BuiltinType::Dict)[..];
    let a = between("dict.fromkeys", args, kw, 1, 2)?;
    let value = a.get(1).cloned().unwrap_or_else(val::none);
    let cls = &args[0];
    let plain = cls
        .obj()
        .is_some_and(|c| pymem::Gc::ptr_eq(c, types().get(BuiltinType::Dict)));
    let out = if plain {
        val::dict(Dict::new())
    } else {
        call::call(cls, &[], &[])?
    };
    let keys = ops::collect(&a[0])?;
    match out.as_dict() {
        Some(d) if plain => keys
            .into_iter()
            .try_for_each(|k| dictops::set(d, k, value.clone()))?,
        _ => keys
            .iter()
            .try_for_each(|k| ops::setitem(&out, k, value.clone()))?,
    }
    Ok(out)
}

/// `dict.__contains__`.
fn contains(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let d = this("dict.__contains__", args)?;
    let key = one("dict.__contains__", args, kw)?;
    dictops::contains(d, key).map(val::bool_)
}

/// `dict.__getitem__` (a subclass's `__missing__` answers for absent keys).
fn getitem(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this_obj("dict.__getitem__", args)?;
    let key = one("dict.__getitem__", args, kw)?;
    seq::native_getitem(x, key)?.ok_or_else(|| key_error(key.clone()))
}

/// `dict.__setitem__`.
fn setitem(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let d = this("dict.__setitem__", args)?;
    let a = slot("dict.__setitem__", args, kw, 2)?;
    dictops::set(d, a[0].clone(), a[1].clone())?;
    Ok(val::none())
}

/// `dict.__delitem__`.
fn delitem(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let d = this("dict.__delitem__", args)?;
    let key = slot1("dict.__delitem__", args, kw)?;
    match dictops::remove(d, key)? {
        Some(entry) => {
            drop(entry);
            Ok(val::none())
        }
        None => Err(key_error(key.clone())),
    }
}

/// `dict.__len__`.
fn len(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let d = this("dict.__len__", args)?;
    slot("dict.__len__", args, kw, 0)?;
    Ok(val::int(d.borrow().len() as i64))
}

/// `dict.__iter__`: the keys, live.
fn iter_(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this_obj("dict.__iter__", args)?;
    slot("dict.__iter__", args, kw, 0)?;
    let n = x.as_dict().map_or(0, |d| d.borrow().len());
    Ok(iter::make_iter(IterState::Dict(
        x.clone(),
        0,
        DictIterKind::Keys,
        n,
    )))
}

/// `dict.__reversed__`: the keys, last first (over a snapshot).
fn reversed(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let d = this("dict.__reversed__", args)?;
    noargs("dict.__reversed__", args, kw)?;
    let mut keys = dictops::keys(d);
    keys.reverse();
    ops::iter(&val::list(keys))
}

/// `dict.__or__`: a new dict, the other's entries over ours.
fn or(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let d = this("dict.__or__", args)?;
    let Some(o) = slot1("dict.__or__", args, kw)?.as_dict() else {
        return super::not_implemented();
    };
    dict_or(d, o)
}

/// `a | b`: a new dict with `b`'s entries over `a`'s.
fn dict_or(a: &RefCell<Dict>, b: &RefCell<Dict>) -> PyResult {
    let out = RefCell::new(dictops::copy(a));
    dictops::update(&out, b)?;
    Ok(val::dict(out.into_inner()))
}

/// `dict.__ror__`: `other | self`.
fn ror(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let d = this("dict.__ror__", args)?;
    let Some(o) = slot1("dict.__ror__", args, kw)?.as_dict() else {
        return super::not_implemented();
    };
    dict_or(o, d)
}

/// `dict.__ior__`: updates from any mapping or iterable of pairs.
fn ior(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this_obj("dict.__ior__", args)?;
    let other = slot1("dict.__ior__", args, kw)?;
    super::or_not_implemented(seq::native_inplace(BinOp::Or, x, other)?)
}

/// `dict.__repr__` (a subclass's payload shows as a dict).
fn repr(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this_obj("dict.__repr__", args)?;
    slot("dict.__repr__", args, kw, 0)?;
    let plain = match (x.as_instance(), x.as_dict()) {
        (Some(_), Some(d)) => val::dict(dictops::copy(d)),
        _ => x.clone(),
    };
    ops::repr(&plain).map(val::string)
}

/// `dict.__init__([other], **kwargs)`: updates the dict.
fn init(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let d = this("dict.__init__", args)?;
    let a = between("dict", args, &[], 0, 1)?;
    if let Some(other) = a.first() {
        seq::dict_update_from(d, other)?;
    }
    add_keywords(d, kw)?;
    Ok(val::none())
}
