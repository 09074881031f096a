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

/// A new set or frozenset over `table` (put in set layout if it is not: its entries added
/// in order, as CPython's set would have received them).
pub(crate) fn new_set(table: Dict, frozen: bool) -> PyRef {
    Obj::new(Kind::Set(RefCell::new(table.into_set_layout()), frozen))
}

/// A copy of a set's table, made as CPython's `set_copy` makes it (`set_merge` into an
/// empty set), so that it iterates in CPython's order.
pub(crate) fn copy_set_table(d: &RefCell<Dict>) -> PyResult<Dict> {
    let out = RefCell::new(Dict::new_set());
    merge(&out, SetLike::Keys(d))?;
    Ok(out.into_inner())
}

/// `set(iterable)`.
pub(crate) fn to_set(x: &PyRef) -> PyResult {
    Ok(new_set(set_table_of(x)?, false))
}

/// `set_update_internal` of a set from `items`: a set's or dict view's table merged, else
/// the items added one by one.
pub(crate) fn merge_into(d: &RefCell<Dict>, items: &PyRef) -> PyResult<()> {
    match items.payload().and_then(SetLike::of) {
        Some(s) => merge(d, s),
        None => {
            for item in ops::collect(items)? {
                dictops::set(d, item, val::none())?;
            }
            Ok(())
        }
    }
}

/// The table `set(x)` gets: `x`'s members added to an empty set as CPython's
/// `set_update_internal` adds them.
pub(crate) fn set_table_of(x: &PyRef) -> PyResult<Dict> {
    let table = RefCell::new(Dict::new_set());
    if let Some(s) = x.payload().and_then(SetLike::of) {
        merge(&table, s)?;
    } else {
        for item in ops::collect(x)? {
            dictops::set(&table, item, val::none())?;
        }
    }
    Ok(table.into_inner())
}

/// The table of `a op b`, built in the steps of CPython's `set_or`, `set_intersection`,
/// `set_difference` and `set_symmetric_difference`, so that it iterates in CPython's order.
fn combine(op: BinOp, a: SetLike<'_>, b: SetLike<'_>) -> PyResult<Dict> {
    let out = RefCell::new(Dict::new_set());
    match op {
        BinOp::Or => {
            merge(&out, a)?;
            merge(&out, b)?;
        }
        // CPython walks the smaller set, so the result holds its objects.
        BinOp::And if b.len() > a.len() => keep(&out, a, b, true)?,
        BinOp::And => keep(&out, b, a, true)?,
        // `set_copy_and_difference` when `a` is over four times `b`'s size.
        BinOp::Sub if a.len() >> 2 > b.len() => {
            merge(&out, a)?;
            discard_all(&out, b)?;
        }
        BinOp::Sub => keep(&out, a, b, false)?,
        _ => {
            merge(&out, b)?;
            toggle_all(&out, a)?;
        }
    }
    Ok(out.into_inner())
}

/// `set_update_internal` with a set or a dict's keys (`set_merge`): one resize up front and
/// the fast copies where the target is empty, else adds.
fn merge(out: &RefCell<Dict>, s: SetLike<'_>) -> PyResult<()> {
    if let SetLike::Keys(d) = s {
        if std::ptr::eq(out, d) {
            return Ok(());
        }
        if out.borrow_mut().set_merge_fast(&d.borrow()) {
            return Ok(());
        }
    }
    add_all(out, s)
}

/// `set_intersection(a, other)` for any iterable `other`: a set operand's smaller side is
/// walked; an iterable's items are kept in their order when `a` holds them.
pub(crate) fn intersection(a: &RefCell<Dict>, other: &PyRef) -> PyResult<Dict> {
    if let Some(s) = other.payload().and_then(SetLike::of) {
        return combine(BinOp::And, SetLike::Keys(a), s);
    }
    let out = RefCell::new(Dict::new_set());
    for x in ops::collect(other)? {
        let h = ops::hash(&x)?;
        if dictops::find(a, &x, h)?.is_some() {
            add(&out, x, Some(h))?;
        }
    }
    Ok(out.into_inner())
}

/// `set_difference(a, other)` for any iterable `other` (an iterable's items are discarded
/// from a copy, as `set_copy_and_difference` does).
pub(crate) fn difference(a: &RefCell<Dict>, other: &PyRef) -> PyResult<Dict> {
    if let Some(s) = other.payload().and_then(SetLike::of) {
        return combine(BinOp::Sub, SetLike::Keys(a), s);
    }
    let out = RefCell::new(copy_set_table(a)?);
    difference_update(&out, other)?;
    Ok(out.into_inner())
}

/// `set_difference_update_internal(d, other)` for any iterable `other`.
pub(crate) fn difference_update(d: &RefCell<Dict>, other: &PyRef) -> PyResult<()> {
    if let Some(s) = other.payload().and_then(SetLike::of) {
        return discard_all(d, s);
    }
    for x in ops::collect(other)? {
        if let Some(pos) = dictops::find(d, &x, ops::hash(&x)?)? {
            remove_at(d, pos);
        }
    }
    d.borrow_mut().set_purge_dummies();
    Ok(())
}

/// `set_symmetric_difference(a, other)` for any iterable `other`: a new set of `other`'s
/// members, toggled by each member of `a`.
pub(crate) fn symmetric_difference(a: &RefCell<Dict>, other: &PyRef) -> PyResult<Dict> {
    let out = RefCell::new(set_table_of(other)?);
    toggle_all(&out, SetLike::Keys(a))?;
    Ok(out.into_inner())
}

/// `set_difference_update_internal`: discards `s`'s members, then resizes the dummies away
/// if they are over a quarter of the table.
fn discard_all(out: &RefCell<Dict>, s: SetLike<'_>) -> PyResult<()> {
    for (x, h) in s.members() {
        if let Some(pos) = dictops::find(out, &x, known_hash(&x, h)?)? {
            remove_at(out, pos);
        }
    }
    out.borrow_mut().set_purge_dummies();
    Ok(())
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
        BinOp::Or => merge(a, other),
        BinOp::Xor | BinOp::Sub if std::ptr::eq(a, b) => {
            dictops::clear(a);
            Ok(())
        }
        BinOp::Xor => toggle_all(a, other),
        BinOp::Sub => discard_all(a, other),
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
