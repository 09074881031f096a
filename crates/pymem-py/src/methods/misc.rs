//! The methods of the smaller built-in types: `range`, `slice`, `property`, the dict views
//! and the built-in iterators.

use super::{Kw, between, defs, noargs, one, recv, slot, slot1};
use crate::code::{BinOp, CmpOp};
use crate::error::{PyResult, attribute_error, stop_iteration, type_error, value_error};
use crate::obj::{Atom, BuiltinDef, DictIterKind, IterState, Kind, Obj, PyRef, Range};
use crate::types::type_name;
use crate::{call, dictops, iter, ops, seq, val};

/// The methods of `range`.
pub(crate) static RANGE: &[BuiltinDef] = defs![
    "index" => range_index, "count" => range_count,
    "__len__" => |a, k| native("range.__len__", a, k, is_range, |x, _| len_of(x)),
    "__getitem__" => |a, k| native1("range.__getitem__", a, k, is_range, getitem),
    "__contains__" => |a, k| native1("range.__contains__", a, k, is_range, contains),
    "__iter__" => |a, k| native("range.__iter__", a, k, is_range, |x, _| ops::iter(x)),
    "__reversed__" => range_reversed,
    "__eq__" => |a, k| super::rich_compare("range.__eq__", a, k, CmpOp::Eq, is_range),
    "__ne__" => |a, k| super::rich_compare("range.__ne__", a, k, CmpOp::Ne, is_range),
    "__hash__" => |a, k| {
        native("range.__hash__", a, k, is_range, hash_of)
    },
    "__repr__" => |a, k| {
        native("range.__repr__", a, k, is_range, repr_of)
    },
];

/// The methods of `slice`.
pub(crate) static SLICE: &[BuiltinDef] = defs!["indices" => slice_indices];

/// The methods of `property`.
pub(crate) static PROPERTY: &[BuiltinDef] = defs![
    "getter" => |a, k| property_with("property.getter", a, k, 0),
    "setter" => |a, k| property_with("property.setter", a, k, 1),
    "deleter" => |a, k| property_with("property.deleter", a, k, 2),
    "__get__" => property_get, "__set__" => property_set, "__delete__" => property_delete,
];

/// The view methods that keys and items views share (`$t` qualifies their names).
macro_rules! set_view_table {
    ($t:literal) => {
        defs![
            "__len__" => |a, k| native(concat!($t, ".__len__"), a, k, is_view, |x, _| len_of(x)),
            "__iter__" => |a, k| {
                native(concat!($t, ".__iter__"), a, k, is_view, |x, _| view_iter(x))
            },
            "__reversed__" => |a, k| view_reversed(concat!($t, ".__reversed__"), a, k),
            "__contains__" => |a, k| native1(concat!($t, ".__contains__"), a, k, is_view, contains),
            "__and__" => |a, k| view_op(concat!($t, ".__and__"), a, k, BinOp::And, false),
            "__or__" => |a, k| view_op(concat!($t, ".__or__"), a, k, BinOp::Or, false),
            "__sub__" => |a, k| view_op(concat!($t, ".__sub__"), a, k, BinOp::Sub, false),
            "__xor__" => |a, k| view_op(concat!($t, ".__xor__"), a, k, BinOp::Xor, false),
            "__rand__" => |a, k| view_op(concat!($t, ".__rand__"), a, k, BinOp::And, true),
            "__ror__" => |a, k| view_op(concat!($t, ".__ror__"), a, k, BinOp::Or, true),
            "__rsub__" => |a, k| view_op(concat!($t, ".__rsub__"), a, k, BinOp::Sub, true),
            "__rxor__" => |a, k| view_op(concat!($t, ".__rxor__"), a, k, BinOp::Xor, true),
            "__eq__" => |a, k| {
                super::rich_compare(concat!($t, ".__eq__"), a, k, CmpOp::Eq, is_view)
            },
            "__ne__" => |a, k| {
                super::rich_compare(concat!($t, ".__ne__"), a, k, CmpOp::Ne, is_view)
            },
            "__lt__" => |a, k| {
                super::rich_compare(concat!($t, ".__lt__"), a, k, CmpOp::Lt, is_view)
            },
            "__le__" => |a, k| {
                super::rich_compare(concat!($t, ".__le__"), a, k, CmpOp::Le, is_view)
            },
            "__gt__" => |a, k| {
                super::rich_compare(concat!($t, ".__gt__"), a, k, CmpOp::Gt, is_view)
            },
            "__ge__" => |a, k| {
                super::rich_compare(concat!($t, ".__ge__"), a, k, CmpOp::Ge, is_view)
            },
            "isdisjoint" => |a, k| isdisjoint(concat!($t, ".isdisjoint"), a, k),
            "__repr__" => |a, k| {
                native(concat!($t, ".__repr__"), a, k, is_view, repr_of)
            },
        ]
    };
}

/// The methods of `dict_keys`.
pub(crate) static DICT_KEYS: &[BuiltinDef] = set_view_table!("dict_keys");

/// The methods of `dict_items`.
pub(crate) static DICT_ITEMS: &[BuiltinDef] = set_view_table!("dict_items");

/// The methods of `dict_values`.
pub(crate) static DICT_VALUES: &[BuiltinDef] = defs![
    "__len__" => |a, k| native("dict_values.__len__", a, k, is_view, |x, _| len_of(x)),
    "__iter__" => |a, k| native("dict_values.__iter__", a, k, is_view, |x, _| view_iter(x)),
    "__reversed__" => |a, k| view_reversed("dict_values.__reversed__", a, k),
    "__repr__" => |a, k| {
        native("dict_values.__repr__", a, k, is_view, repr_of)
    },
];

/// The methods of the built-in iterators.
pub(crate) static ITERATOR: &[BuiltinDef] = defs![
    "__iter__" => |a, k| native("iterator.__iter__", a, k, is_iter, |x, _| Ok(x.clone())),
    "__next__" => iterator_next,
];

/// Whether `x` is a range.
fn is_range(x: &PyRef) -> bool {
    matches!(x.atom(), Some(Atom::Range(_)))
}

/// Whether `x` is a dict view.
fn is_view(x: &PyRef) -> bool {
    matches!(x.kind(), Some(Kind::DictView(..)))
}

/// Whether `x` is a built-in iterator.
fn is_iter(x: &PyRef) -> bool {
    matches!(x.kind(), Some(Kind::Iter(_))) || matches!(x.atom(), Some(Atom::RangeIter(_)))
}

/// A slot wrapper without arguments running `f` on the receiver (checked by `is_self`).
fn native(
    q: &str,
    args: &[PyRef],
    kw: Kw<'_>,
    is_self: fn(&PyRef) -> bool,
    f: fn(&PyRef, ()) -> PyResult,
) -> PyResult {
    let x = recv(q, args, |x| is_self(x).then_some(x))?;
    slot(q, args, kw, 0)?;
    f(x, ())
}

/// A slot wrapper with one argument running `f` on the receiver and it.
fn native1(
    q: &str,
    args: &[PyRef],
    kw: Kw<'_>,
    is_self: fn(&PyRef) -> bool,
    f: fn(&PyRef, &PyRef) -> PyResult,
) -> PyResult {
    let x = recv(q, args, |x| is_self(x).then_some(x))?;
    f(x, slot1(q, args, kw)?)
}

/// `repr(x)` as a str object.
fn repr_of(x: &PyRef, _: ()) -> PyResult {
    ops::repr(x).map(val::string)
}

/// `hash(x)` as an int.
fn hash_of(x: &PyRef, _: ()) -> PyResult {
    Ok(val::int(ops::hash(x)? as i64))
}

/// `len(x)` for a built-in.
fn len_of(x: &PyRef) -> PyResult {
    Ok(val::int(ops::len(x)? as i64))
}

/// `x[key]` for a built-in.
fn getitem(x: &PyRef, key: &PyRef) -> PyResult {
    seq::native_getitem(x, key)?
        .ok_or_else(|| type_error(format!("'{}' object is not subscriptable", type_name(x))))
}

/// `item in x` for a built-in.
fn contains(x: &PyRef, item: &PyRef) -> PyResult {
    ops::contains(x, item).map(val::bool_)
}

/// The range of a receiver.
fn range_of(q: &str, args: &[PyRef]) -> PyResult<Range> {
    recv(q, args, |x| match x.atom() {
        Some(Atom::Range(r)) => Some(*r),
        _ => None,
    })
}

/// The position of int `i` in `r`, if there.
fn range_position(r: &Range, i: i64) -> Option<i64> {
    let (i, start, step) = (i as i128, r.start as i128, r.step as i128);
    let off = i - start;
    let n = seq::range_len(r).ok()? as i128;
    (off % step == 0 && (0..n).contains(&(off / step))).then(|| (off / step) as i64)
}

/// `r.index(x)`: arithmetic for ints, comparison for other values.
fn range_index(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let r = range_of("range.index", args)?;
    let x = one("range.index", args, kw)?;
    if let (Some(i), false) = (x.as_i64(), matches!(x.atom(), Some(Atom::Bool(_)))) {
        return range_position(&r, i)
            .map(val::int)
            .ok_or_else(|| value_error(format!("{i} is not in range")));
    }
    let it = ops::iter(&args[0])?;
    let mut k = 0;
    while let Some(v) = ops::next(&it)? {
        if seq::same(&v, x)? {
            return Ok(val::int(k));
        }
        k += 1;
    }
    Err(value_error("sequence.index(x): x not in sequence"))
}

/// `r.count(x)`.
fn range_count(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let r = range_of("range.count", args)?;
    let x = one("range.count", args, kw)?;
    if let (Some(i), false) = (x.as_i64(), matches!(x.atom(), Some(Atom::Bool(_)))) {
        return Ok(val::int(range_position(&r, i).is_some() as i64));
    }
    let it = ops::iter(&args[0])?;
    let mut n = 0;
    while let Some(v) = ops::next(&it)? {
        n += seq::same(&v, x)? as i64;
    }
    Ok(val::int(n))
}

/// `range.__reversed__`: the values from the last to the first.
fn range_reversed(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let r = range_of("range.__reversed__", args)?;
    noargs("range.__reversed__", args, kw)?;
    // Raises CPython's OverflowError for a range too long for a length.
    seq::range_len(&r)?;
    Ok(iter::reversed_range(&args[0], &r))
}

/// `slice.indices(length)`: `(start, stop, step)` clipped to the length.
fn slice_indices(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let parts = recv("slice.indices", args, seq::as_slice)?;
    let n = ops::index(one("slice.indices", args, kw)?)?;
    let n = usize::try_from(n).map_err(|_| value_error("length should not be negative"))?;
    let (start, stop, step, _) = seq::slice_indices(&parts[0], &parts[1], &parts[2], n)?;
    Ok(val::tuple(vec![
        val::int(start as i64),
        val::int(stop as i64),
        val::int(step as i64),
    ]))
}

/// A property's three functions.
fn property_of<'a>(q: &str, args: &'a [PyRef]) -> PyResult<&'a [Option<PyRef>; 3]> {
    recv(q, args, |x| match x.kind() {
        Some(Kind::Property(p)) => Some(&**p),
        _ => None,
    })
}

/// `prop.getter(f)` (slot 0), `setter` (1), `deleter` (2): a copy with one function replaced.
fn property_with(q: &str, args: &[PyRef], kw: Kw<'_>, i: usize) -> PyResult {
    let p = property_of(q, args)?;
    let f = one(q, args, kw)?;
    let mut parts = p.clone();
    parts[i] = (!f.is_none()).then(|| f.clone());
    Ok(Obj::new(Kind::Property(Box::new(parts))))
}

/// The AttributeError of a property without the function `what`.
fn no_function(obj: &PyRef, what: &str) -> crate::error::PyErr {
    attribute_error(format!(
        "property of '{}' object has no {what}",
        type_name(obj)
    ))
}

/// `prop.__get__(obj, type=None)`: the property itself when `obj` is None.
fn property_get(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let p = property_of("property.__get__", args)?;
    let a = between("property.__get__", args, kw, 1, 2)?;
    if a[0].is_none() {
        return Ok(args[0].clone());
    }
    match &p[0] {
        Some(f) => call::call(f, &a[..1], &[]),
        None => Err(no_function(&a[0], "getter")),
    }
}

/// `prop.__set__(obj, value)`.
fn property_set(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let p = property_of("property.__set__", args)?;
    let a = slot("property.__set__", args, kw, 2)?;
    match &p[1] {
        Some(f) => call::call(f, a, &[]).map(|_| val::none()),
        None => Err(no_function(&a[0], "setter")),
    }
}

/// `prop.__delete__(obj)`.
fn property_delete(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let p = property_of("property.__delete__", args)?;
    let obj = slot1("property.__delete__", args, kw)?;
    match &p[2] {
        Some(f) => call::call(f, std::slice::from_ref(obj), &[]).map(|_| val::none()),
        None => Err(no_function(obj, "deleter")),
    }
}

/// The dict a view shows and what it yields.
fn view_parts(x: &PyRef) -> Option<(&PyRef, DictIterKind)> {
    match x.kind() {
        Some(Kind::DictView(d, kind)) => Some((d, *kind)),
        _ => None,
    }
}

/// `iter(view)`: live over the dict.
fn view_iter(x: &PyRef) -> PyResult {
    let (d, kind) = view_parts(x).ok_or_else(|| type_error("not a dict view"))?;
    let n = d.as_dict().map_or(0, |t| t.borrow().len());
    Ok(iter::make_iter(IterState::Dict(d.clone(), 0, kind, n)))
}

/// `reversed(view)`: over a snapshot, last entry first.
fn view_reversed(q: &str, args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let (d, kind) = recv(q, args, view_parts)?;
    noargs(q, args, kw)?;
    let Some(t) = d.as_dict() else {
        return ops::iter(&val::list(Vec::new()));
    };
    let mut out: Vec<PyRef> = match kind {
        DictIterKind::Keys => dictops::keys(t),
        DictIterKind::Values => dictops::items(t).into_iter().map(|(_, v)| v).collect(),
        DictIterKind::Items => dictops::items(t)
            .into_iter()
            .map(|(k, v)| val::tuple(vec![k, v]))
            .collect(),
    };
    out.reverse();
    ops::iter(&val::list(out))
}

/// `view op other` (or reflected): the native set operation on any iterable.
fn view_op(q: &str, args: &[PyRef], kw: Kw<'_>, op: BinOp, reflected: bool) -> PyResult {
    let x = recv(q, args, |x| is_view(x).then_some(x))?;
    let y = slot1(q, args, kw)?;
    if ops::iter(y).is_err() {
        return super::not_implemented();
    }
    let (a, b) = if reflected { (y, x) } else { (x, y) };
    super::or_not_implemented(seq::native_binary(op, a, b)?)
}

/// `view.isdisjoint(iterable)`.
fn isdisjoint(q: &str, args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = recv(q, args, |x| is_view(x).then_some(x))?;
    let it = ops::iter(one(q, args, kw)?)?;
    while let Some(item) = ops::next(&it)? {
        if ops::contains(x, &item)? {
            return Ok(val::bool_(false));
        }
    }
    Ok(val::bool_(true))
}

/// `it.__next__()`: StopIteration at the end.
fn iterator_next(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let it = recv("iterator.__next__", args, |x| is_iter(x).then_some(x))?;
    slot("iterator.__next__", args, kw, 0)?;
    iter::next(it)?.ok_or_else(|| stop_iteration(val::none()))
}
