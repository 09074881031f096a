//! `x[key]`, `x[key] = value` and `del x[key]` for the built-in containers.

use std::cell::RefCell;

use crate::error::{PyResult, index_error, key_error, type_error};
use crate::obj::{Atom, Kind, Obj, PyRef};
use crate::types::{lookup, type_name, type_of};
use crate::{call, dictops, ops, val};

use super::slice::{self, as_slice, has_index, index_overflow, span};

/// An integer key as an i64: ints, bools and objects with `__index__`; `None` for others.
fn index_key(key: &PyRef) -> PyResult<Option<i64>> {
    match key.atom() {
        Some(Atom::Int(_) | Atom::Bool(_)) => Ok(key.as_i64()),
        Some(Atom::Big(_)) => Err(index_overflow()),
        _ if has_index(key) => ops::index(key).map(Some),
        _ => Ok(None),
    }
}

/// A possibly negative index into a sequence of `len` items, if in bounds.
fn position(i: i64, len: usize) -> Option<usize> {
    let i = if i < 0 { i + len as i64 } else { i };
    usize::try_from(i).ok().filter(|&i| i < len)
}

/// The `TypeError` for a key that is neither an integer nor a slice.
fn bad_key(what: &str, key: &PyRef) -> crate::error::PyErr {
    type_error(format!(
        "{what} indices must be integers or slices, not {}",
        type_name(key)
    ))
}

/// `x[key]` for a built-in; `None` if it is not subscriptable.
pub(crate) fn native_getitem(x: &PyRef, key: &PyRef) -> PyResult<Option<PyRef>> {
    match x {
        PyRef::A(a) => atom_getitem(x, a, key),
        PyRef::O(_) => match x.payload() {
            Some(Kind::List(l)) => list_getitem(l, key).map(Some),
            Some(Kind::Tuple(t)) => tuple_getitem(x, t, key).map(Some),
            Some(Kind::Dict(d)) => dict_getitem(x, d, key).map(Some),
            Some(Kind::ByteArray(b)) => bytearray_getitem(b, key).map(Some),
            _ => Ok(None),
        },
    }
}

fn atom_getitem(x: &PyRef, a: &Atom, key: &PyRef) -> PyResult<Option<PyRef>> {
    let r = match a {
        Atom::Str(s) => str_getitem(x, s, key),
        Atom::Bytes(b) => bytes_getitem(x, b, key),
        Atom::Range(r) => range_getitem(r, key),
        _ => return Ok(None),
    };
    r.map(Some)
}

fn list_getitem(l: &RefCell<Vec<PyRef>>, key: &PyRef) -> PyResult {
    if let Some(parts) = as_slice(key) {
        let sp = span(parts, l.borrow().len())?;
        // `__index__` of the bounds may have shrunk the list: clamp to what is left.
        let items = l.borrow();
        let sp = slice::Span {
            len: sp.len.min(fit_len(&sp, items.len())),
            ..sp
        };
        return Ok(val::list(slice::pick(&items, sp)));
    }
    let i = index_key(key)?.ok_or_else(|| bad_key("list", key))?;
    let items = l.borrow();
    let pos = position(i, items.len()).ok_or_else(|| index_error("list index out of range"))?;
    Ok(items[pos].clone())
}

/// How many items of a span fit in a sequence of `len` items.
fn fit_len(sp: &slice::Span, len: usize) -> usize {
    sp.positions().take_while(|&i| i < len).count()
}

fn tuple_getitem(x: &PyRef, t: &[PyRef], key: &PyRef) -> PyResult {
    if let Some(parts) = as_slice(key) {
        let sp = span(parts, t.len())?;
        if sp.is_whole(t.len()) && x.as_tuple().is_some() {
            return Ok(x.clone());
        }
        return Ok(val::tuple(slice::pick(t, sp)));
    }
    let i = index_key(key)?.ok_or_else(|| bad_key("tuple", key))?;
    let pos = position(i, t.len()).ok_or_else(|| index_error("tuple index out of range"))?;
    Ok(t[pos].clone())
}

fn str_getitem(x: &PyRef, s: &crate::obj::PyStr, key: &PyRef) -> PyResult {
    if let Some(parts) = as_slice(key) {
        return slice::str_slice(x, s, parts);
    }
    let Some(i) = index_key(key)? else {
        return Err(type_error(format!(
            "string indices must be integers, not '{}'",
            type_name(key)
        )));
    };
    let pos = position(i, s.nchars).ok_or_else(|| index_error("string index out of range"))?;
    if s.is_ascii() {
        return Ok(val::str_(&s.s[pos..pos + 1]));
    }
    let c = s.s.chars().nth(pos).unwrap_or_default();
    Ok(val::str_(c.encode_utf8(&mut [0; 4])))
}

fn bytes_getitem(x: &PyRef, b: &[u8], key: &PyRef) -> PyResult {
    if let Some(parts) = as_slice(key) {
        return slice::bytes_slice(x, b, parts);
    }
    let i = index_key(key)?.ok_or_else(|| bad_key("byte", key))?;
    let pos = position(i, b.len()).ok_or_else(|| index_error("index out of range"))?;
    Ok(val::int(b[pos] as i64))
}

fn bytearray_getitem(b: &crate::traced::TracedBytes, key: &PyRef) -> PyResult {
    if let Some(parts) = as_slice(key) {
        let sp = span(parts, b.borrow().len())?;
        let bytes = b.borrow();
        let sp = slice::Span {
            len: sp.len.min(fit_len(&sp, bytes.len())),
            ..sp
        };
        return Ok(Obj::new(Kind::ByteArray(crate::traced::TracedBytes::new(
            slice::pick(&bytes, sp),
        ))));
    }
    let i = index_key(key)?.ok_or_else(|| bad_key("bytearray", key))?;
    let bytes = b.borrow();
    let pos =
        position(i, bytes.len()).ok_or_else(|| index_error("bytearray index out of range"))?;
    Ok(val::int(bytes[pos] as i64))
}

fn range_getitem(r: &crate::obj::Range, key: &PyRef) -> PyResult {
    if let Some(parts) = as_slice(key) {
        return slice::range_slice(r, parts);
    }
    let i = index_key(key)?.ok_or_else(|| bad_key("range", key))?;
    let len = slice::range_len(r)?;
    let pos = position(i, len).ok_or_else(|| index_error("range object index out of range"))?;
    Ok(slice::range_item(r, pos))
}

/// `d[key]`, calling a dict subclass's `__missing__` for an absent key.
fn dict_getitem(x: &PyRef, d: &RefCell<crate::dict::Dict>, key: &PyRef) -> PyResult {
    if let Some(v) = dictops::get(d, key)? {
        return Ok(v);
    }
    if x.as_instance().is_some()
        && let Some(f) = lookup(&type_of(x), "__missing__")
    {
        return call::call_bound(&f, x, std::slice::from_ref(key));
    }
    Err(key_error(key.clone()))
}

/// `x[key] = value` for a built-in; false if it does not support item assignment.
pub(crate) fn native_setitem(x: &PyRef, key: &PyRef, value: PyRef) -> PyResult<bool> {
    match x.payload() {
        Some(Kind::List(l)) => list_setitem(l, key, value).map(|_| true),
        Some(Kind::Dict(d)) => dictops::set(d, key.clone(), value).map(|_| true),
        Some(Kind::ByteArray(b)) => bytearray_setitem(b, key, &value).map(|_| true),
        _ => Ok(false),
    }
}

fn list_setitem(l: &RefCell<Vec<PyRef>>, key: &PyRef, value: PyRef) -> PyResult<()> {
    if let Some(parts) = as_slice(key) {
        let sp = span(parts, l.borrow().len())?;
        let seq = assigned_items(l, &value)?;
        slice::check_extended_size(sp, seq.len())?;
        let old = slice::assign_slice(&mut l.borrow_mut(), sp, seq);
        drop(old);
        return Ok(());
    }
    let i = index_key(key)?.ok_or_else(|| bad_key("list", key))?;
    let len = l.borrow().len();
    let pos = position(i, len).ok_or_else(|| index_error("list assignment index out of range"))?;
    let old = std::mem::replace(&mut l.borrow_mut()[pos], value);
    drop(old);
    Ok(())
}

/// The items of the right side of a list slice assignment (a copy when it is the list).
fn assigned_items(l: &RefCell<Vec<PyRef>>, value: &PyRef) -> PyResult<Vec<PyRef>> {
    if value.as_list().is_some_and(|v| std::ptr::eq(v, l)) {
        return Ok(l.borrow().clone());
    }
    let refuse = |e: crate::error::PyErr| match e.is("TypeError") {
        true => type_error("must assign iterable to extended slice"),
        false => e,
    };
    let it = ops::iter(value).map_err(refuse)?;
    let mut out = Vec::new();
    while let Some(v) = ops::next(&it)? {
        out.push(v);
    }
    Ok(out)
}

fn bytearray_setitem(b: &crate::traced::TracedBytes, key: &PyRef, value: &PyRef) -> PyResult<()> {
    if let Some(parts) = as_slice(key) {
        let sp = span(parts, b.borrow().len())?;
        let data = slice::assign_bytes_source(value)?;
        return slice::assign_bytes(&mut b.borrow_mut(), sp, data);
    }
    let i = index_key(key)?.ok_or_else(|| bad_key("bytearray", key))?;
    let byte = slice::byte_value(value)?;
    let len = b.borrow().len();
    let pos = position(i, len).ok_or_else(|| index_error("bytearray index out of range"))?;
    b.borrow_mut()[pos] = byte;
    Ok(())
}

/// `del x[key]` for a built-in; false if it does not support item deletion.
pub(crate) fn native_delitem(x: &PyRef, key: &PyRef) -> PyResult<bool> {
    match x.payload() {
        Some(Kind::List(l)) => list_delitem(l, key).map(|_| true),
        Some(Kind::Dict(d)) => match dictops::remove(d, key)? {
            Some(entry) => {
                drop(entry);
                Ok(true)
            }
            None => Err(key_error(key.clone())),
        },
        Some(Kind::ByteArray(b)) => bytearray_delitem(b, key).map(|_| true),
        _ => Ok(false),
    }
}

fn list_delitem(l: &RefCell<Vec<PyRef>>, key: &PyRef) -> PyResult<()> {
    if let Some(parts) = as_slice(key) {
        let sp = span(parts, l.borrow().len())?;
        let old = slice::delete_slice(&mut l.borrow_mut(), sp);
        drop(old);
        return Ok(());
    }
    let i = index_key(key)?.ok_or_else(|| bad_key("list", key))?;
    let len = l.borrow().len();
    let pos = position(i, len).ok_or_else(|| index_error("list assignment index out of range"))?;
    let old = l.borrow_mut().remove(pos);
    drop(old);
    Ok(())
}

fn bytearray_delitem(b: &crate::traced::TracedBytes, key: &PyRef) -> PyResult<()> {
    if let Some(parts) = as_slice(key) {
        let sp = span(parts, b.borrow().len())?;
        slice::delete_slice(&mut b.borrow_mut(), sp);
        return Ok(());
    }
    let i = index_key(key)?.ok_or_else(|| bad_key("bytearray", key))?;
    let len = b.borrow().len();
    let pos = position(i, len).ok_or_else(|| index_error("bytearray index out of range"))?;
    b.borrow_mut().remove(pos);
    Ok(())
}
