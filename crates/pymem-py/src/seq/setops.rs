//! Set algebra (`| & - ^` on sets, frozensets and dict views, in place too) and `dict | dict`.

use std::cell::RefCell;

use crate::code::BinOp;
use crate::dict::Dict;
use crate::error::{PyResult, type_error, value_error};
use crate::obj::{DictIterKind, Kind, Obj, PyRef};
use crate::{dictops, ops, val};

use super::compare::SetLike;

/// `a op b` for the set operators; `None` when the operands are not sets.
pub(crate) fn set_binary(op: BinOp, a: &PyRef, b: &PyRef) -> PyResult<Option<PyRef>> {
    let (ka, kb) = (a.payload(), b.payload());
    if let (Some(Kind::Set(x, frozen)), Some(Kind::Set(y, _))) = (ka, kb) {
        let table = combine(op, SetLike::Keys(x), SetLike::Keys(y))?;
        return Ok(Some(new_set(table, *frozen)));
    }
    if is_view(ka) || is_view(kb) {
        return view_binary(op, a, b).map(Some);
    }
    Ok(None)
}

/// Whether a kind is a keys or items view (which combine with any iterable).
fn is_view(k: Option<&Kind>) -> bool {
    matches!(
        k,
        Some(Kind::DictView(_, DictIterKind::Keys | DictIterKind::Items))
    )
}

/// `view op iterable` (either side): both made sets first, as CPython's `dictviews_or`.
fn view_binary(op: BinOp, a: &PyRef, b: &PyRef) -> PyResult {
    let (x, y) = (to_set(a)?, to_set(b)?);
    let (Some(Kind::Set(x, _)), Some(Kind::Set(y, _))) = (x.kind(), y.kind()) else {
        unreachable!("made above")
    };
    Ok(new_set(
        combine(op, SetLike::Keys(x), SetLike::Keys(y))?,
        false,
    ))
}

/// A new set or frozenset over `table`.
pub(crate) fn new_set(table: Dict, frozen: bool) -> PyRef {
    Obj::new(Kind::Set(RefCell::new(table), frozen))
}

/// `set(iterable)`.
pub(crate) fn to_set(x: &PyRef) -> PyResult {
    let table = RefCell::new(Dict::new());
    if let Some(s) = x.payload().and_then(SetLike::of) {
        add_all(&table, s)?;
    } else {
        for item in ops::collect(x)? {
            dictops::set(&table, item, val::none())?;
        }
    }
    Ok(new_set(table.into_inner(), false))
}

/// The table of `a op b`.
fn combine(op: BinOp, a: SetLike<'_>, b: SetLike<'_>) -> PyResult<Dict> {
    let out = RefCell::new(Dict::new());
    match op {
        BinOp::Or => {
            add_all(&out, a)?;
            add_all(&out, b)?;
        }
        // CPython walks the smaller set, so the result holds its objects.
        BinOp::And if b.len() > a.len() => keep(&out, a, b, true)?,
        BinOp::And => keep(&out, b, a, true)?,
        BinOp::Sub => keep(&out, a, b, false)?,
        _ => {
            add_all(&out, a)?;
            toggle_all(&out, b)?;
        }
    }
    Ok(out.into_inner())
}

/// Adds every member of `s` to `out`.
fn add_all(out: &RefCell<Dict>, s: SetLike<'_>) -> PyResult<()> {
    for (x, h) in s.members() {
        add(out, x, h)?;
    }
    Ok(())
}

/// The hash of `x`, computed unless already known.
fn known_hash(x: &PyRef, hash: Option<u64>) -> PyResult<u64> {
    match hash {
        Some(h) => Ok(h),
        None => ops::hash(x),
    }
}

/// Removes the entry at `pos`, dropping it once the borrow has ended (it may run `__del__`).
fn remove_at(d: &RefCell<Dict>, pos: usize) {
    let entry = d.borrow_mut().remove_at(pos);
    drop(entry);
}

/// Adds `x` (its hash maybe known) to a set's table.
fn add(out: &RefCell<Dict>, x: PyRef, hash: Option<u64>) -> PyResult<()> {
    let h = known_hash(&x, hash)?;
    if dictops::find(out, &x, h)?.is_none() {
        out.borrow_mut().insert_new(h, x, val::none());
    }
    Ok(())
}

/// Adds the members of `a` that are (`wanted`) or are not in `b`.
fn keep(out: &RefCell<Dict>, a: SetLike<'_>, b: SetLike<'_>, wanted: bool) -> PyResult<()> {
    for (x, h) in a.members() {
        if b.has(&x, h)? == wanted {
            add(out, x, h)?;
        }
    }
    Ok(())
}

/// Adds the members of `s` missing from `out` and removes those present (`^=`).
fn toggle_all(out: &RefCell<Dict>, s: SetLike<'_>) -> PyResult<()> {
    for (x, h) in s.members() {
        let h = known_hash(&x, h)?;
        match dictops::find(out, &x, h)? {
            Some(pos) => remove_at(out, pos),
            None => out.borrow_mut().insert_new(h, x, val::none()),
        }
    }
    Ok(())
}

/// `a op= b` for a (mutable) set `a` and a set or frozenset `b`.
pub(crate) fn set_inplace(op: BinOp, a: &RefCell<Dict>, b: &RefCell<Dict>) -> PyResult<()> {
    let other = SetLike::Keys(b);
    match op {
        BinOp::Or => add_all(a, other),
        BinOp::Xor | BinOp::Sub if std::ptr::eq(a, b) => {
            dictops::clear(a);
            Ok(())
        }
        BinOp::Xor => toggle_all(a, other),
        BinOp::Sub => {
            for (x, h) in other.members() {
                if let Some(pos) = dictops::find(a, &x, known_hash(&x, h)?)? {
                    remove_at(a, pos);
                }
            }
            Ok(())
        }
        _ => {
            let table = combine(BinOp::And, SetLike::Keys(a), other)?;
            let old = std::mem::replace(&mut *a.borrow_mut(), table);
            drop(old);
            Ok(())
        }
    }
}

/// `a | b` for two dicts: a new dict with `b`'s entries over `a`'s.
pub(crate) fn dict_or(a: &RefCell<Dict>, b: &RefCell<Dict>) -> PyResult {
    let out = RefCell::new(dictops::copy(a));
    dictops::update(&out, b)?;
    Ok(val::dict(out.into_inner()))
}

/// `d.update(other)` and `d |= other`: from a dict, a mapping with `keys()`, or an
/// iterable of pairs (CPython's `dict_update_arg`).
pub(crate) fn dict_update_from(d: &RefCell<Dict>, other: &PyRef) -> PyResult<()> {
    if let Some(o) = other.as_dict() {
        return dictops::update(d, o);
    }
    if let Some(keys) = crate::attr::getattr_opt(other, "keys")? {
        for k in ops::collect(&crate::call::call(&keys, &[], &[])?)? {
            let v = ops::getitem(other, &k)?;
            dictops::set(d, k, v)?;
        }
        return Ok(());
    }
    for (i, item) in ops::collect(other)?.iter().enumerate() {
        let (k, v) = update_pair(i, item)?;
        dictops::set(d, k, v)?;
    }
    Ok(())
}

/// Element `i` of a dict update sequence as a key and a value.
fn update_pair(i: usize, item: &PyRef) -> PyResult<(PyRef, PyRef)> {
    let refuse = |e: crate::error::PyErr| match e.is("TypeError") {
        true => type_error(format!(
            "cannot convert dictionary update sequence element #{i} to a sequence"
        )),
        false => e,
    };
    let it = ops::iter(item).map_err(refuse)?;
    let mut pair = Vec::with_capacity(2);
    while let Some(x) = ops::next(&it)? {
        pair.push(x);
    }
    match <[PyRef; 2]>::try_from(pair) {
        Ok([k, v]) => Ok((k, v)),
        Err(pair) => Err(value_error(format!(
            "dictionary update sequence element #{i} has length {}; 2 is required",
            pair.len()
        ))),
    }
}
