//! (L2) The built-in containers' native protocol: comparison, concatenation and repetition,
//! length, items and slices, membership, for str, bytes, list, tuple, dict, set and range.
//!
//! Instances of built-in subclasses (`class Stack(list)`) carry a payload; everything here
//! works on `x.payload()`, so the subclass gets the built-in behaviour it does not override.

mod compare;
mod item;
mod pct;
mod setops;
mod slice;
#[cfg(test)]
mod tests;

use std::cell::RefCell;

use crate::code::{BinOp, CmpOp};
use crate::error::{PyResult, err, err_args, overflow_error, type_error, value_error};
use crate::obj::{Atom, DictIterKind, Kind, Obj, PyRef};
use crate::types::type_name;
use crate::{dictops, ops, val};

pub(crate) use compare::{native_compare, same};
pub(crate) use item::{native_delitem, native_getitem, native_setitem};
pub(crate) use pct::str_percent;
pub(crate) use setops::{
    copy_set_table, dict_update_from, difference, difference_update, intersection, merge_into,
    new_set, set_table_of, symmetric_difference,
};
pub(crate) use slice::range_len;
// For the methods and builtins (`list.sort`, `str.__getitem__`, `set()`, `slice.indices`…).
#[allow(unused_imports)]
pub(crate) use {
    compare::{items_compare, ordered},
    pct::format_error,
    setops::to_set,
    slice::{Span, as_slice, range_obj, slice_indices, span},
};

/// As [`native_compare`], on the payloads of built-in subclasses.
pub(crate) fn native_compare_payload(a: &PyRef, b: &PyRef, op: CmpOp) -> PyResult<Option<bool>> {
    native_compare(a, b, op)
}

/// Runs `f` on the bytes of a bytes or bytearray object.
pub(crate) fn with_bytes<R>(x: &PyRef, f: impl FnOnce(&[u8]) -> R) -> Option<R> {
    match (x.atom(), x.payload()) {
        (Some(Atom::Bytes(b)), _) => Some(f(b)),
        (_, Some(Kind::ByteArray(b))) => Some(f(&b.borrow())),
        _ => None,
    }
}

/// A copy of the bytes of a bytes or bytearray object.
pub(crate) fn bytes_of(x: &PyRef) -> Option<Vec<u8>> {
    with_bytes(x, <[u8]>::to_vec)
}

/// A new bytearray.
pub(crate) fn bytearray(b: Vec<u8>) -> PyRef {
    Obj::new(Kind::ByteArray(crate::traced::TracedBytes::new(b)))
}

/// `a op b` for built-in sequences (`+`, `*`, `%` on str, set algebra, `dict | dict`);
/// `None` if not supported.
pub(crate) fn native_binary(op: BinOp, a: &PyRef, b: &PyRef) -> PyResult<Option<PyRef>> {
    match op {
        BinOp::Add => concat(a, b),
        BinOp::Mul => multiply(a, b),
        BinOp::Mod => match a.as_str() {
            Some(fmt) => str_percent(fmt, b).map(Some),
            None => match bytes_of(a) {
                Some(fmt) => pct::bytes_percent(&fmt, b, a.payload().is_some()).map(Some),
                None => Ok(None),
            },
        },
        BinOp::Or | BinOp::And | BinOp::Sub | BinOp::Xor => {
            if let (BinOp::Or, Some(x), Some(y)) = (op, a.as_dict(), b.as_dict()) {
                return setops::dict_or(x, y).map(Some);
            }
            setops::set_binary(op, a, b)
        }
        _ => Ok(None),
    }
}

/// `a + b` for two sequences of the same type; the left operand's `TypeError` otherwise
/// (CPython's `sq_concat`).
fn concat(a: &PyRef, b: &PyRef) -> PyResult<Option<PyRef>> {
    if let Some(r) = concat_atoms(a, b)? {
        return Ok(Some(r));
    }
    match (a.payload(), b.payload()) {
        (Some(Kind::List(x)), Some(Kind::List(y))) => {
            let mut items = x.borrow().clone();
            items.extend(y.borrow().iter().cloned());
            Ok(Some(val::list(items)))
        }
        (Some(Kind::Tuple(x)), Some(Kind::Tuple(y))) => {
            Ok(Some(val::tuple([&x[..], &y[..]].concat())))
        }
        (Some(Kind::ByteArray(x)), _) => match with_bytes(b, |y| [&x.borrow()[..], y].concat()) {
            Some(v) => Ok(Some(bytearray(v))),
            None => Err(cant_concat(b, "bytearray")),
        },
        (Some(Kind::List(_)), _) => Err(only_concat("list", b)),
        (Some(Kind::Tuple(_)), _) => Err(only_concat("tuple", b)),
        _ => Ok(None),
    }
}

fn concat_atoms(a: &PyRef, b: &PyRef) -> PyResult<Option<PyRef>> {
    match a.atom() {
        Some(Atom::Str(x)) => match b.as_str() {
            Some("") => Ok(Some(a.clone())),
            Some(_) if x.s.is_empty() => Ok(Some(b.clone())),
            Some(y) => Ok(Some(val::string([&x.s[..], y].concat()))),
            None => Err(only_concat("str", b)),
        },
        Some(Atom::Bytes(x)) => match with_bytes(b, |y| [&x[..], y].concat()) {
            Some(v) => Ok(Some(val::bytes(v))),
            None => Err(cant_concat(b, "bytes")),
        },
        _ => Ok(None),
    }
}

/// `TypeError: can only concatenate list (not "int") to list`.
fn only_concat(what: &str, other: &PyRef) -> crate::error::PyErr {
    type_error(format!(
        "can only concatenate {what} (not \"{}\") to {what}",
        type_name(other)
    ))
}

/// `TypeError: can't concat str to bytes`.
fn cant_concat(other: &PyRef, what: &str) -> crate::error::PyErr {
    type_error(format!("can't concat {} to {what}", type_name(other)))
}

/// Whether `x` is a sequence that `*` repeats.
fn repeatable(x: &PyRef) -> bool {
    matches!(x.atom(), Some(Atom::Str(_) | Atom::Bytes(_)))
        || matches!(
            x.payload(),
            Some(Kind::List(_) | Kind::Tuple(_) | Kind::ByteArray(_))
        )
}

/// `seq * n` and `n * seq` (CPython's `sequence_repeat`).
fn multiply(a: &PyRef, b: &PyRef) -> PyResult<Option<PyRef>> {
    let (seq, n) = match (repeatable(a), repeatable(b)) {
        (true, _) => (a, b),
        (false, true) => (b, a),
        _ => return Ok(None),
    };
    match repeat_count(n)? {
        Some(n) => repeat(seq, n).map(Some),
        None => Err(type_error(format!(
            "can't multiply sequence by non-int of type '{}'",
            type_name(n)
        ))),
    }
}

/// The count of a repetition: an int or an object with `__index__`.
fn repeat_count(n: &PyRef) -> PyResult<Option<i64>> {
    match n.atom() {
        Some(Atom::Int(_) | Atom::Bool(_)) => Ok(n.as_i64()),
        Some(Atom::Big(_)) => Err(overflow_error(
            "cannot fit 'int' into an index-sized integer",
        )),
        _ if slice::has_index(n) => ops::index(n).map(Some),
        _ => Ok(None),
    }
}

/// `MemoryError()`.
fn memory_error() -> crate::error::PyErr {
    err_args("MemoryError", vec![])
}

/// `len * n` items, or the error CPython gives for a result too large to allocate.
fn repeat_size(len: usize, n: usize, too_long: Option<&str>) -> PyResult<usize> {
    match len.checked_mul(n).filter(|&t| t <= isize::MAX as usize) {
        Some(total) => Ok(total),
        None => Err(match too_long {
            Some(msg) if len > 1 => overflow_error(msg),
            _ => memory_error(),
        }),
    }
}

/// `items * n` as a vector, failing with `MemoryError` rather than aborting.
fn repeat_vec<T: Clone>(items: &[T], n: usize, too_long: Option<&str>) -> PyResult<Vec<T>> {
    let total = repeat_size(items.len(), n, too_long)?;
    let mut out = Vec::new();
    out.try_reserve_exact(total).map_err(|_| memory_error())?;
    if !items.is_empty() {
        (0..n).for_each(|_| out.extend_from_slice(items));
    }
    Ok(out)
}

/// `seq * n` for a repeatable `seq`.
fn repeat(seq: &PyRef, n: i64) -> PyResult {
    let n = n.max(0) as usize;
    // An immutable sequence of the exact type repeats once as itself.
    let exact = seq.as_instance().is_none();
    if n == 1 && exact && (seq.atom().is_some() || seq.as_tuple().is_some()) {
        return Ok(seq.clone());
    }
    match seq.atom() {
        Some(Atom::Str(s)) => {
            let bytes = repeat_vec(s.s.as_bytes(), n, Some("repeated string is too long"))?;
            Ok(val::string(String::from_utf8(bytes).unwrap_or_default()))
        }
        Some(Atom::Bytes(b)) => Ok(val::bytes(repeat_vec(
            b,
            n,
            Some("repeated bytes are too long"),
        )?)),
        _ => repeat_payload(seq, n),
    }
}

/// `seq * n` for a tuple, list or bytearray (or a subclass's payload).
fn repeat_payload(seq: &PyRef, n: usize) -> PyResult {
    match seq.payload() {
        Some(Kind::Tuple(t)) => Ok(val::tuple(repeat_vec(t, n, None)?)),
        Some(Kind::List(l)) => {
            let items = l.borrow().clone();
            Ok(val::list(repeat_vec(&items, n, None)?))
        }
        Some(Kind::ByteArray(b)) => {
            let bytes = b.borrow().clone();
            Ok(bytearray(repeat_vec(&bytes, n, None)?))
        }
        _ => Err(type_error(format!(
            "'{}' object can't be repeated",
            type_name(seq)
        ))),
    }
}

/// `a op= b` where the built-in mutates in place (`list += …`, `list *= n`, `set |= …`,
/// `dict |= …`, `bytearray += …`); `None` when the operation is not an in-place one.
pub(crate) fn native_inplace(op: BinOp, a: &PyRef, b: &PyRef) -> PyResult<Option<PyRef>> {
    match (op, a.payload()) {
        (BinOp::Add, Some(Kind::List(l))) => list_extend(l, b)?,
        (BinOp::Mul, Some(Kind::List(l))) => list_repeat_in_place(l, b)?,
        (BinOp::Add, Some(Kind::ByteArray(x))) => match bytes_of(b) {
            Some(y) => x.borrow_mut().extend_from_slice(&y),
            None => return Err(cant_concat(b, "bytearray")),
        },
        (BinOp::Mul, Some(Kind::ByteArray(x))) => match repeat_count(b)? {
            Some(n) => {
                let bytes = x.borrow().clone();
                *x.borrow_mut() = repeat_vec(&bytes, n.max(0) as usize, None)?;
            }
            None => return Ok(None),
        },
        (BinOp::Or | BinOp::And | BinOp::Sub | BinOp::Xor, Some(Kind::Set(x, false))) => {
            match b.payload() {
                Some(Kind::Set(y, _)) => setops::set_inplace(op, x, y)?,
                _ => return Ok(None),
            }
        }
        (BinOp::Or, Some(Kind::Dict(d))) => dict_update_from(d, b)?,
        _ => return Ok(None),
    }
    Ok(Some(a.clone()))
}

/// `l += iterable`.
fn list_extend(l: &RefCell<Vec<PyRef>>, b: &PyRef) -> PyResult<()> {
    let items = ops::collect(b)?;
    l.borrow_mut().extend(items);
    Ok(())
}

/// `l *= n`; `None` when `n` is not an integer.
fn list_repeat_in_place(l: &RefCell<Vec<PyRef>>, b: &PyRef) -> PyResult<()> {
    let Some(n) = repeat_count(b)? else {
        return Err(type_error(format!(
            "can't multiply sequence by non-int of type '{}'",
            type_name(b)
        )));
    };
    let items = l.borrow().clone();
    let new = repeat_vec(&items, n.max(0) as usize, None)?;
    drop(items);
    let old = std::mem::replace(&mut *l.borrow_mut(), new);
    drop(old);
    Ok(())
}

/// `len(x)` for a built-in; `None` if it has no length.
pub(crate) fn native_len(x: &PyRef) -> PyResult<Option<usize>> {
    if let Some(a) = x.atom() {
        return match a {
            Atom::Str(s) => Ok(Some(s.nchars)),
            Atom::Bytes(b) => Ok(Some(b.len())),
            Atom::Range(r) => range_len(r).map(Some),
            _ => Ok(None),
        };
    }
    Ok(match x.payload() {
        Some(Kind::List(l)) => Some(l.borrow().len()),
        Some(Kind::Tuple(t)) => Some(t.len()),
        Some(Kind::Dict(d) | Kind::Set(d, _)) => Some(d.borrow().len()),
        Some(Kind::ByteArray(b)) => Some(b.borrow().len()),
        Some(Kind::DictView(d, _)) => d.as_dict().map(|d| d.borrow().len()),
        _ => None,
    })
}

/// `item in x` for a built-in; `None` to fall back to iteration.
pub(crate) fn native_contains(x: &PyRef, item: &PyRef) -> PyResult<Option<bool>> {
    if let Some(a) = x.atom() {
        return atom_contains(a, item);
    }
    match x.payload() {
        Some(Kind::List(l)) => list_contains(l, item).map(Some),
        Some(Kind::Tuple(t)) => any_same(t, item).map(Some),
        Some(Kind::Dict(d)) => dictops::contains(d, item).map(Some),
        Some(Kind::Set(d, _)) => set_contains(d, item).map(Some),
        Some(Kind::ByteArray(b)) => {
            let bytes = b.borrow().clone();
            bytes_contains(&bytes, item).map(Some)
        }
        Some(Kind::DictView(d, kind)) => view_contains(d, *kind, item),
        _ => Ok(None),
    }
}

/// `item in l`, reading the list afresh at each step (an `__eq__` may mutate it).
fn list_contains(l: &RefCell<Vec<PyRef>>, item: &PyRef) -> PyResult<bool> {
    let mut i = 0;
    while let Some(x) = l.borrow().get(i).cloned() {
        if same(&x, item)? {
            return Ok(true);
        }
        i += 1;
    }
    Ok(false)
}

/// Whether any item is `item` or equals it.
fn any_same(items: &[PyRef], item: &PyRef) -> PyResult<bool> {
    for x in items {
        if same(x, item)? {
            return Ok(true);
        }
    }
    Ok(false)
}

fn atom_contains(a: &Atom, item: &PyRef) -> PyResult<Option<bool>> {
    match a {
        Atom::Str(s) => match item.as_str() {
            Some(sub) => Ok(Some(s.s.contains(sub))),
            None => Err(type_error(format!(
                "'in <string>' requires string as left operand, not {}",
                type_name(item)
            ))),
        },
        Atom::Bytes(b) => bytes_contains(b, item).map(Some),
        Atom::Range(r) => Ok(item.as_i64().map(|i| range_contains(r, i))),
        _ => Ok(None),
    }
}

/// `i in range(...)` by arithmetic.
fn range_contains(r: &crate::obj::Range, i: i64) -> bool {
    let (i, start, stop, step) = (i as i128, r.start as i128, r.stop as i128, r.step as i128);
    let inside = if step > 0 {
        start <= i && i < stop
    } else {
        stop < i && i <= start
    };
    inside && (i - start) % step == 0
}

/// `item in b` for bytes: a byte value or a bytes-like substring.
fn bytes_contains(b: &[u8], item: &PyRef) -> PyResult<bool> {
    if let Some(sub) = bytes_of(item) {
        return Ok(sub.is_empty() || b.windows(sub.len()).any(|w| w == sub));
    }
    if item.as_i64().is_some()
        || matches!(item.atom(), Some(Atom::Big(_)))
        || slice::has_index(item)
    {
        let i = ops::index(item).map_err(|_| value_error("byte must be in range(0, 256)"))?;
        let byte = u8::try_from(i).map_err(|_| value_error("byte must be in range(0, 256)"))?;
        return Ok(b.contains(&byte));
    }
    Err(type_error(format!(
        "a bytes-like object is required, not '{}'",
        type_name(item)
    )))
}

/// `item in s` for a set; an unhashable set is looked up as the frozenset of its items.
fn set_contains(d: &RefCell<crate::dict::Dict>, item: &PyRef) -> PyResult<bool> {
    match dictops::contains(d, item) {
        Err(e) if e.is("TypeError") && matches!(item.payload(), Some(Kind::Set(_, false))) => {
            let Some(Kind::Set(s, _)) = item.payload() else {
                return Err(e);
            };
            let frozen = new_set(dictops::copy(s), true);
            dictops::contains(d, &frozen)
        }
        r => r,
    }
}

/// `item in view`: keys and items views look up the dict; values views iterate.
fn view_contains(d: &PyRef, kind: DictIterKind, item: &PyRef) -> PyResult<Option<bool>> {
    let Some(table) = d.as_dict() else {
        return Ok(None);
    };
    match kind {
        DictIterKind::Keys => dictops::contains(table, item).map(Some),
        DictIterKind::Items => compare::items_has(table, item).map(Some),
        DictIterKind::Values => Ok(None),
    }
}

/// The payload of an instance of a built-in subclass as a plain built-in object sharing
/// the items, for operations the subclass does not override.
pub(crate) fn payload_value(x: &PyRef) -> Option<PyRef> {
    x.as_instance()?;
    Some(match x.payload()? {
        Kind::List(l) => val::list(l.borrow().clone()),
        Kind::Tuple(t) => val::tuple(t.to_vec()),
        Kind::Dict(d) => val::dict(dictops::copy(d)),
        Kind::Set(d, frozen) => new_set(dictops::copy(d), *frozen),
        Kind::ByteArray(b) => bytearray(b.borrow().clone()),
        _ => return None,
    })
}

/// `RuntimeError` helper for callers iterating a container that changed.
pub(crate) fn changed_size(what: &str) -> crate::error::PyErr {
    err(
        "RuntimeError",
        format!("{what} changed size during iteration"),
    )
}
