//! `list`'s methods. They work on `x.as_list()`, so that instances of list subclasses get
//! them on their payload. No borrow is held while items are compared, called or dropped.

use std::cell::RefCell;

use super::{
    Kw, Params, adjust, between, defs, int_arg, noargs, one, parse, recv, rich_compare,
    slice_index_not_none, slot, slot1,
};
use crate::code::{BinOp, CmpOp};
use crate::error::{PyErr, PyResult, index_error, type_error, value_error};
use crate::obj::{BuiltinDef, IterState, PyRef};
use crate::{call, iter, ops, seq, val};

/// The methods of `list`.
pub(crate) static METHODS: &[BuiltinDef] = defs![
    "append" => append, "extend" => extend, "insert" => insert, "pop" => pop, "remove" => remove,
    "index" => index, "count" => count, "clear" => clear, "copy" => copy, "reverse" => reverse,
    "sort" => sort,
    "__len__" => len, "__getitem__" => getitem, "__setitem__" => setitem, "__delitem__" => delitem,
    "__contains__" => contains, "__iter__" => iter_, "__reversed__" => reversed,
    "__add__" => |a, k| binary("list.__add__", a, k, BinOp::Add),
    "__mul__" => |a, k| binary("list.__mul__", a, k, BinOp::Mul),
    "__rmul__" => |a, k| binary("list.__rmul__", a, k, BinOp::Mul),
    "__iadd__" => |a, k| inplace("list.__iadd__", a, k, BinOp::Add),
    "__imul__" => |a, k| inplace("list.__imul__", a, k, BinOp::Mul),
    "__eq__" => |a, k| rich_compare("list.__eq__", a, k, CmpOp::Eq, is_list),
    "__ne__" => |a, k| rich_compare("list.__ne__", a, k, CmpOp::Ne, is_list),
    "__lt__" => |a, k| rich_compare("list.__lt__", a, k, CmpOp::Lt, is_list),
    "__le__" => |a, k| rich_compare("list.__le__", a, k, CmpOp::Le, is_list),
    "__gt__" => |a, k| rich_compare("list.__gt__", a, k, CmpOp::Gt, is_list),
    "__ge__" => |a, k| rich_compare("list.__ge__", a, k, CmpOp::Ge, is_list),
    "__repr__" => repr, "__init__" => init,
];

/// Whether `x` is a list or an instance of a list subclass.
fn is_list(x: &PyRef) -> bool {
    x.as_list().is_some()
}

/// The receiver's list.
fn this<'a>(q: &str, args: &'a [PyRef]) -> PyResult<&'a RefCell<Vec<PyRef>>> {
    recv(q, args, PyRef::as_list)
}

/// The receiver itself, checked to be a list.
fn this_obj<'a>(q: &str, args: &'a [PyRef]) -> PyResult<&'a PyRef> {
    recv(q, args, |x| is_list(x).then_some(x))
}

/// A snapshot of the items (to compare or call without a borrow held).
fn items(l: &RefCell<Vec<PyRef>>) -> Vec<PyRef> {
    l.borrow().clone()
}

/// Item `i`, if the list still has it.
fn item(l: &RefCell<Vec<PyRef>>, i: usize) -> Option<PyRef> {
    l.borrow().get(i).cloned()
}

/// `l.append(x)`.
fn append(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let l = this("list.append", args)?;
    let x = one("list.append", args, kw)?;
    l.borrow_mut().push(x.clone());
    Ok(val::none())
}

/// `l.extend(iterable)`.
fn extend(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let l = this("list.extend", args)?;
    let new = ops::collect(one("list.extend", args, kw)?)?;
    l.borrow_mut().extend(new);
    Ok(val::none())
}

/// `l.insert(index, x)`: the index clamped to the list.
fn insert(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let l = this("list.insert", args)?;
    let a = between("list.insert", args, kw, 2, 2)?;
    let i = int_arg(&a[0])?;
    let len = l.borrow().len() as i64;
    let pos = if i < 0 { (i + len).max(0) } else { i.min(len) };
    l.borrow_mut().insert(pos as usize, a[1].clone());
    Ok(val::none())
}

/// `l.pop(index=-1)`.
fn pop(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let l = this("list.pop", args)?;
    let a = between("list.pop", args, kw, 0, 1)?;
    let i = a.first().map(int_arg).transpose()?.unwrap_or(-1);
    let len = l.borrow().len();
    if len == 0 {
        return Err(index_error("pop from empty list"));
    }
    let pos = if i < 0 { i + len as i64 } else { i };
    let pos = usize::try_from(pos)
        .ok()
        .filter(|&p| p < len)
        .ok_or_else(|| index_error("pop index out of range"))?;
    Ok(l.borrow_mut().remove(pos))
}

/// The first position in `lo..hi` (bounded by the current length, which comparisons may
/// change) whose item is or equals `x`.
pub(crate) fn position(
    get: impl Fn(usize) -> Option<PyRef>,
    x: &PyRef,
    lo: usize,
    hi: usize,
) -> PyResult<Option<usize>> {
    for i in lo..hi {
        let Some(v) = get(i) else { break };
        if seq::same(&v, x)? {
            return Ok(Some(i));
        }
    }
    Ok(None)
}

/// `l.remove(x)`.
fn remove(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let l = this("list.remove", args)?;
    let x = one("list.remove", args, kw)?;
    let len = l.borrow().len();
    let Some(i) = position(|i| item(l, i), x, 0, len)? else {
        return Err(value_error("list.remove(x): x not in list"));
    };
    let still_there = i < l.borrow().len();
    let old = still_there.then(|| l.borrow_mut().remove(i));
    drop(old);
    Ok(val::none())
}

/// `l.index(x[, start[, stop]])`.
fn index(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let l = this("list.index", args)?;
    let a = between("list.index", args, kw, 1, 3)?;
    let (start, stop) = (
        slice_index_not_none(a.get(1))?,
        slice_index_not_none(a.get(2))?,
    );
    let (lo, hi) = adjust(start, stop, l.borrow().len());
    match position(|i| item(l, i), &a[0], lo, hi)? {
        Some(i) => Ok(val::int(i as i64)),
        None => Err(value_error(format!("{} is not in list", ops::repr(&a[0])?))),
    }
}

/// How many items are or equal `x`.
pub(crate) fn count_in(get: impl Fn(usize) -> Option<PyRef>, x: &PyRef) -> PyResult<usize> {
    let mut n = 0;
    let mut i = 0;
    while let Some(v) = get(i) {
        n += usize::from(seq::same(&v, x)?);
        i += 1;
    }
    Ok(n)
}

/// `l.count(x)`.
fn count(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let l = this("list.count", args)?;
    let x = one("list.count", args, kw)?;
    Ok(val::int(count_in(|i| item(l, i), x)? as i64))
}

/// `l.clear()`: the items are dropped once the borrow is released.
fn clear(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let l = this("list.clear", args)?;
    noargs("list.clear", args, kw)?;
    let old = std::mem::take(&mut *l.borrow_mut());
    drop_reversed(old);
    Ok(val::none())
}

/// Drops a list's former items last first, as CPython's `_list_clear` does (their
/// `__del__` methods run in that order).
fn drop_reversed(mut items: Vec<PyRef>) {
    while let Some(x) = items.pop() {
        drop(x);
    }
}

/// `l.copy()`.
fn copy(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let l = this("list.copy", args)?;
    noargs("list.copy", args, kw)?;
    Ok(val::list(items(l)))
}

/// `l.reverse()`.
fn reverse(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let l = this("list.reverse", args)?;
    noargs("list.reverse", args, kw)?;
    l.borrow_mut().reverse();
    Ok(val::none())
}

/// `l.sort(*, key=None, reverse=False)`: stable, by `<` only. As in CPython, the list is
/// empty while it sorts, and changing it meanwhile is an error.
fn sort(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    const P: Params = Params {
        name: "sort",
        names: &["key", "reverse"],
        posonly: 0,
        maxpos: 0,
        required: 0,
    };
    let l = this("list.sort", args)?;
    let a = parse(&P, args, kw)?;
    let key = a[0].clone().filter(|k| !k.is_none());
    let rev = a[1].as_ref().map(ops::truthy).transpose()?.unwrap_or(false);
    let mut work = std::mem::take(&mut *l.borrow_mut());
    let result = sort_values(&mut work, key.as_ref(), rev);
    let intruders = std::mem::replace(&mut *l.borrow_mut(), work);
    let modified = !intruders.is_empty();
    drop(intruders);
    result?;
    if modified {
        return Err(value_error("list modified during sort"));
    }
    Ok(val::none())
}

/// Sorts `v` in place by `key(item) < key(other)`, stably, reversed when `rev` (equal items
/// keep their order either way). On an error from `key` the order is unchanged; on one
/// from a comparison it is some permutation.
pub(crate) fn sort_values(v: &mut Vec<PyRef>, key: Option<&PyRef>, rev: bool) -> PyResult<()> {
    let keys = match key {
        Some(f) => v
            .iter()
            .map(|x| call::call(f, std::slice::from_ref(x), &[]))
            .collect::<PyResult<Vec<_>>>()?,
        None => v.clone(),
    };
    let mut order: Vec<usize> = (0..v.len()).collect();
    if rev {
        order.reverse();
    }
    let mut error: Option<PyErr> = None;
    let mut less = |a: usize, b: usize| -> bool {
        if error.is_some() {
            return false;
        }
        match ops::compare(&keys[a], &keys[b], CmpOp::Lt).and_then(|r| ops::truthy(&r)) {
            Ok(r) => r,
            Err(e) => {
                error = Some(e);
                false
            }
        }
    };
    merge_sort(&mut order, &mut less);
    if rev {
        order.reverse();
    }
    let sorted: Vec<PyRef> = order.iter().map(|&i| v[i].clone()).collect();
    *v = sorted;
    drop(keys);
    error.map_or(Ok(()), Err)
}

/// A stable merge sort that asks only `less(a, b)`, and never panics whatever it answers.
fn merge_sort(v: &mut [usize], less: &mut impl FnMut(usize, usize) -> bool) {
    let n = v.len();
    let mut buf = v.to_vec();
    let mut width = 1;
    while width < n {
        for lo in (0..n).step_by(2 * width) {
            let mid = (lo + width).min(n);
            let hi = (lo + 2 * width).min(n);
            merge(&v[lo..mid], &v[mid..hi], &mut buf[lo..hi], less);
        }
        v.copy_from_slice(&buf);
        width *= 2;
    }
}

/// Merges two sorted runs into `out`, taking from the right run only when strictly less.
fn merge(
    left: &[usize],
    right: &[usize],
    out: &mut [usize],
    less: &mut impl FnMut(usize, usize) -> bool,
) {
    let (mut i, mut j) = (0, 0);
    for slot in out.iter_mut() {
        let take_right = j < right.len() && (i >= left.len() || less(right[j], left[i]));
        if take_right {
            *slot = right[j];
            j += 1;
        } else {
            *slot = left[i];
            i += 1;
        }
    }
}

/// `list.__len__`.
fn len(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let l = this("list.__len__", args)?;
    slot("list.__len__", args, kw, 0)?;
    Ok(val::int(l.borrow().len() as i64))
}

/// `list.__getitem__`.
fn getitem(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this_obj("list.__getitem__", args)?;
    let key = one("list.__getitem__", args, kw)?;
    seq::native_getitem(x, key)?.ok_or_else(|| type_error("list is not subscriptable"))
}

/// `list.__setitem__`.
fn setitem(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this_obj("list.__setitem__", args)?;
    let a = slot("list.__setitem__", args, kw, 2)?;
    seq::native_setitem(x, &a[0], a[1].clone())?;
    Ok(val::none())
}

/// `list.__delitem__`.
fn delitem(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this_obj("list.__delitem__", args)?;
    seq::native_delitem(x, slot1("list.__delitem__", args, kw)?)?;
    Ok(val::none())
}

/// `list.__contains__`.
fn contains(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let l = this("list.__contains__", args)?;
    let x = slot1("list.__contains__", args, kw)?;
    let len = l.borrow().len();
    Ok(val::bool_(position(|i| item(l, i), x, 0, len)?.is_some()))
}

/// `list.__iter__`: a live iterator over the list.
fn iter_(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this_obj("list.__iter__", args)?;
    slot("list.__iter__", args, kw, 0)?;
    Ok(iter::make_iter(IterState::Seq(x.clone(), 0)))
}

/// `list.__reversed__`.
fn reversed(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this_obj("list.__reversed__", args)?;
    noargs("list.__reversed__", args, kw)?;
    let n = x.as_list().map_or(0, |l| l.borrow().len());
    Ok(iter::make_iter(IterState::Reversed(x.clone(), n)))
}

/// The repetition count of `*`: an integer, or the TypeError of a non-integer.
fn check_count(op: BinOp, y: &PyRef) -> PyResult<()> {
    let is_int = y.as_i64().is_some() || matches!(y.atom(), Some(crate::obj::Atom::Big(_)));
    if op == BinOp::Mul && !is_int && y.as_instance().is_none() {
        return Err(type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            crate::types::type_name(y)
        )));
    }
    Ok(())
}

/// `__add__`, `__mul__`, `__rmul__`.
fn binary(q: &str, args: &[PyRef], kw: Kw<'_>, op: BinOp) -> PyResult {
    let x = this_obj(q, args)?;
    let y = slot1(q, args, kw)?;
    check_count(op, y)?;
    if op == BinOp::Add && !is_list(y) {
        let t = crate::types::type_name(y);
        return Err(type_error(format!(
            "can only concatenate list (not \"{t}\") to list"
        )));
    }
    super::or_not_implemented(seq::native_binary(op, x, y)?)
}

/// `__iadd__` (extends by any iterable) and `__imul__`.
fn inplace(q: &str, args: &[PyRef], kw: Kw<'_>, op: BinOp) -> PyResult {
    let x = this_obj(q, args)?;
    let y = slot1(q, args, kw)?;
    check_count(op, y)?;
    super::or_not_implemented(seq::native_inplace(op, x, y)?)
}

/// `list.__repr__`: the repr of the items (a subclass's payload shows as a list).
fn repr(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this_obj("list.__repr__", args)?;
    slot("list.__repr__", args, kw, 0)?;
    let plain = match x.as_instance() {
        Some(_) => val::list(x.as_list().map(items).unwrap_or_default()),
        None => x.clone(),
    };
    ops::repr(&plain).map(val::string)
}

/// `list.__init__(iterable=())`: empties the list, then extends it (so `l.__init__(l)`
/// leaves it empty, as in CPython).
fn init(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let l = this("list.__init__", args)?;
    if !kw.is_empty() {
        return Err(type_error("list() takes no keyword arguments"));
    }
    let a = between("list", args, &[], 0, 1)?;
    let old = std::mem::take(&mut *l.borrow_mut());
    drop_reversed(old);
    if let Some(src) = a.first() {
        let new = ops::collect(src)?;
        l.borrow_mut().extend(new);
    }
    Ok(val::none())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_sort_is_stable() {
        let keys = [3, 1, 2, 1, 3, 0];
        let mut v: Vec<usize> = (0..keys.len()).collect();
        merge_sort(&mut v, &mut |a, b| keys[a] < keys[b]);
        assert_eq!(v, [5, 1, 3, 2, 0, 4]);
        let mut w: Vec<usize> = (0..7).collect();
        merge_sort(&mut w, &mut |_, _| true);
        assert_eq!(w.len(), 7);
    }
}
