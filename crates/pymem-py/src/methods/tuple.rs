//! `tuple`'s methods, on a tuple or a tuple subclass's payload.

use super::list::{count_in, position};
use super::{
    Kw, adjust, between, defs, one, recv, rich_compare, slice_index_not_none, slot, slot1,
};
use pymem::Gc;

use crate::code::{BinOp, CmpOp};
use crate::error::{PyResult, type_error, value_error};
use crate::obj::{BuiltinDef, IterState, Kind, PyRef};
use crate::types::{BuiltinType, is_subtype, tobj, type_name, types};
use crate::{iter, seq, val};

/// The methods of `tuple`.
pub(crate) static METHODS: &[BuiltinDef] = defs![
    "index" => index, "count" => count,
    "__len__" => len, "__getitem__" => getitem, "__contains__" => contains, "__iter__" => iter_,
    "__add__" => add,
    "__mul__" => |a, k| mul("tuple.__mul__", a, k),
    "__rmul__" => |a, k| mul("tuple.__rmul__", a, k),
    "__eq__" => |a, k| rich_compare("tuple.__eq__", a, k, CmpOp::Eq, is_tuple),
    "__ne__" => |a, k| rich_compare("tuple.__ne__", a, k, CmpOp::Ne, is_tuple),
    "__lt__" => |a, k| rich_compare("tuple.__lt__", a, k, CmpOp::Lt, is_tuple),
    "__le__" => |a, k| rich_compare("tuple.__le__", a, k, CmpOp::Le, is_tuple),
    "__gt__" => |a, k| rich_compare("tuple.__gt__", a, k, CmpOp::Gt, is_tuple),
    "__ge__" => |a, k| rich_compare("tuple.__ge__", a, k, CmpOp::Ge, is_tuple),
    "__hash__" => hash, "__repr__" => repr, "__new__" => new,
];

/// The items of a tuple or of a tuple subclass's payload.
fn items_of(x: &PyRef) -> Option<&[PyRef]> {
    match x.payload() {
        Some(Kind::Tuple(t)) => Some(t),
        _ => None,
    }
}

/// Whether `x` is a tuple or an instance of a tuple subclass.
fn is_tuple(x: &PyRef) -> bool {
    items_of(x).is_some()
}

/// The receiver's items.
fn this<'a>(q: &str, args: &'a [PyRef]) -> PyResult<&'a [PyRef]> {
    recv(q, args, items_of)
}

/// The receiver itself, checked to be a tuple.
fn this_obj<'a>(q: &str, args: &'a [PyRef]) -> PyResult<&'a PyRef> {
    recv(q, args, |x| is_tuple(x).then_some(x))
}

/// `t.index(x[, start[, stop]])`.
fn index(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let t = this("tuple.index", args)?;
    let a = between("tuple.index", args, kw, 1, 3)?;
    let (lo, hi) = adjust(
        slice_index_not_none(a.get(1))?,
        slice_index_not_none(a.get(2))?,
        t.len(),
    );
    match position(|i| t.get(i).cloned(), &a[0], lo, hi)? {
        Some(i) => Ok(val::int(i as i64)),
        None => Err(value_error("tuple.index(x): x not in tuple")),
    }
}

/// `t.count(x)`.
fn count(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let t = this("tuple.count", args)?;
    let x = one("tuple.count", args, kw)?;
    Ok(val::int(count_in(|i| t.get(i).cloned(), x)? as i64))
}

/// `tuple.__len__`.
fn len(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let t = this("tuple.__len__", args)?;
    slot("tuple.__len__", args, kw, 0)?;
    Ok(val::int(t.len() as i64))
}

/// `tuple.__getitem__`.
fn getitem(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this_obj("tuple.__getitem__", args)?;
    let key = one("tuple.__getitem__", args, kw)?;
    seq::native_getitem(x, key)?.ok_or_else(|| type_error("tuple is not subscriptable"))
}

/// `tuple.__contains__`.
fn contains(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let t = this("tuple.__contains__", args)?;
    let x = slot1("tuple.__contains__", args, kw)?;
    Ok(val::bool_(
        position(|i| t.get(i).cloned(), x, 0, t.len())?.is_some(),
    ))
}

/// `tuple.__iter__`.
fn iter_(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this_obj("tuple.__iter__", args)?;
    slot("tuple.__iter__", args, kw, 0)?;
    Ok(iter::make_iter(IterState::Seq(x.clone(), 0)))
}

/// `tuple.__add__`: only tuples concatenate with tuples.
fn add(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let t = this("tuple.__add__", args)?;
    let y = slot1("tuple.__add__", args, kw)?;
    let Some(u) = items_of(y) else {
        return Err(type_error(format!(
            "can only concatenate tuple (not \"{}\") to tuple",
            type_name(y)
        )));
    };
    Ok(val::tuple([t, u].concat()))
}

/// `tuple.__mul__`, `__rmul__`.
fn mul(q: &str, args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this_obj(q, args)?;
    let y = slot1(q, args, kw)?;
    if y.as_i64().is_none()
        && y.as_instance().is_none()
        && !matches!(y.atom(), Some(crate::obj::Atom::Big(_)))
    {
        return Err(type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            type_name(y)
        )));
    }
    let plain = if x.as_instance().is_some() {
        val::tuple(items_of(x).unwrap_or_default().to_vec())
    } else {
        x.clone()
    };
    super::or_not_implemented(seq::native_binary(BinOp::Mul, &plain, y)?)
}

/// `tuple.__hash__`.
fn hash(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let t = this("tuple.__hash__", args)?;
    slot("tuple.__hash__", args, kw, 0)?;
    Ok(val::int(crate::hash::tuple_hash(t)? as i64))
}

/// `tuple.__repr__`.
fn repr(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let t = this("tuple.__repr__", args)?;
    slot("tuple.__repr__", args, kw, 0)?;
    crate::repr::tuple_repr(t).map(val::string)
}

/// `tuple.__new__(cls, iterable=())`: a tuple, or an instance of the tuple subclass `cls`
/// carrying a fresh tuple as its payload (how `namedtuple` classes make their instances).
fn new(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let cls = super::object::class_arg("tuple.__new__", args)?;
    let tuple_type = types().get(BuiltinType::Tuple);
    if !is_subtype(cls, tuple_type) {
        let name = tobj(cls).name.borrow().clone();
        return Err(type_error(format!(
            "tuple.__new__({name}): {name} is not a subtype of tuple"
        )));
    }
    let t = crate::builtins::construct(BuiltinType::Tuple, &args[1..], kw)?;
    if Gc::ptr_eq(cls, tuple_type) {
        return Ok(t);
    }
    // A payload of its own: `construct` may return the argument tuple itself.
    let items = items_of(&t).unwrap_or_default().to_vec();
    Ok(crate::call::new_instance(cls, Some(val::tuple(items))))
}
