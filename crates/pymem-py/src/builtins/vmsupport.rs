//! What the evaluator calls for statements whose work is library code in CPython: set
//! displays, `**mapping`, `except`, `raise … from …`, unpacking, `yield from`'s result.

use std::cell::RefCell;

use crate::dict::Dict;
use crate::error::{PyErr, PyResult, exc_args, type_error, value_error};
use crate::obj::{Kind, Obj, PyRef};
use crate::types::{is_subtype, type_name, type_of, types};
use crate::{attr, call, dictops, ops, val};

/// A new set (or frozenset) of `items`.
pub(crate) fn make_set(items: Vec<PyRef>, frozen: bool) -> PyResult {
    let d = RefCell::new(Dict::new_set());
    for x in items {
        dictops::set(&d, x, val::none())?;
    }
    Ok(Obj::new(Kind::Set(d, frozen)))
}

/// `set.add(v)` on a set (or a set subclass's payload).
pub(crate) fn set_add(set: &PyRef, v: PyRef) -> PyResult<()> {
    match set.payload() {
        Some(Kind::Set(d, _)) => dictops::set(d, v, val::none()),
        _ => Err(type_error(format!(
            "'{}' object is not a set",
            type_name(set)
        ))),
    }
}

/// A set display of constants as CPython 3.13 builds it: the compiler's frozenset of the
/// items, which its constant merging rebuilds from its own iteration order
/// (`merge_consts_recursive`), then an empty set updated from that (`SET_UPDATE`).
pub(crate) fn make_const_set(items: Vec<PyRef>) -> PyResult {
    let folded = make_set(items, true)?;
    let merged = make_set(ops::collect(&folded)?, true)?;
    crate::seq::to_set(&merged)
}

/// `SET_UPDATE`: `set_update_internal`, merging a set's table (CPython's `set_merge`) or
/// adding an iterable's items one by one.
pub(crate) fn set_update(set: &PyRef, items: &PyRef) -> PyResult<()> {
    if let (Some(Kind::Set(d, _)), Some(Kind::Set(..))) = (set.payload(), items.payload()) {
        return crate::seq::merge_into(d, items);
    }
    for v in ops::collect(items)? {
        set_add(set, v)?;
    }
    Ok(())
}

/// The (key, value) pairs of a mapping: a dict's entries, or `keys()` then `x[key]`.
pub(crate) fn mapping_items(x: &PyRef) -> PyResult<Vec<(PyRef, PyRef)>> {
    if let (Some(d), None) = (x.as_dict(), x.as_instance()) {
        return Ok(dictops::items(d));
    }
    let keys = match attr::getattr_opt(x, "keys")? {
        Some(k) => call::call(&k, &[], &[])?,
        None => {
            return Err(type_error(format!(
                "'{}' object is not a mapping",
                type_name(x)
            )));
        }
    };
    let mut out = Vec::new();
    for k in ops::collect(&keys)? {
        let v = ops::getitem(x, &k)?;
        out.push((k, v));
    }
    Ok(out)
}

/// `except ty:` — whether the exception `exc` is an instance of the class (or one of the
/// tuple of classes) `ty`. Every class of a tuple is checked before matching, as CPython
/// does.
pub(crate) fn exception_matches(exc: &PyRef, ty: &PyRef) -> PyResult<bool> {
    let classes = match ty.as_tuple() {
        Some(items) => items.to_vec(),
        None => vec![ty.clone()],
    };
    let base = types().exc("BaseException");
    let valid =
        |c: &PyRef| matches!(c, PyRef::O(o) if c.as_type().is_some() && is_subtype(o, base));
    if !classes.iter().all(valid) {
        return Err(type_error(
            "catching classes that do not inherit from BaseException is not allowed",
        ));
    }
    let t = type_of(exc);
    Ok(classes
        .iter()
        .any(|c| c.obj().is_some_and(|o| is_subtype(&t, o))))
}

/// Whether `x` is a class deriving from BaseException.
fn is_exception_class(x: &PyRef) -> bool {
    matches!(x, PyRef::O(o) if x.as_type().is_some() && is_subtype(o, types().exc("BaseException")))
}

/// Whether `x` is an exception instance.
fn is_exception_instance(x: &PyRef) -> bool {
    is_subtype(&type_of(x), types().exc("BaseException"))
}

/// `raise x`: an exception instance as is, a class instantiated without arguments.
pub(crate) fn make_exception(x: &PyRef) -> PyResult<PyRef> {
    instantiate(x, "exceptions must derive from BaseException")
}

/// An exception class instantiated, or an exception instance itself; TypeError `refusal`
/// for anything else.
fn instantiate(x: &PyRef, refusal: &str) -> PyResult<PyRef> {
    // A built-in exception class runs no Python code when called without arguments.
    if let (true, PyRef::O(cls)) = (is_exception_class(x), x)
        && crate::types::tobj(cls).builtin.is_some()
    {
        return Ok(crate::error::new_exception(cls, Vec::new()));
    }
    if is_exception_class(x) {
        let e = call::call(x, &[], &[])?;
        if !is_exception_instance(&e) {
            return Err(type_error(format!(
                "calling {} should have returned an instance of BaseException, not {}",
                ops::repr(x)?,
                type_name(&e)
            )));
        }
        return Ok(e);
    }
    match is_exception_instance(x) {
        true => Ok(x.clone()),
        false => Err(type_error(refusal.to_owned())),
    }
}

/// `raise exc from cause`: sets `__cause__` (None, an instance, or a class instantiated)
/// and `__suppress_context__`.
pub(crate) fn set_cause(exc: &PyRef, cause: PyRef) -> PyResult<()> {
    let cause = match cause.is_none() {
        true => None,
        false => Some(instantiate(
            &cause,
            "exception causes must derive from BaseException",
        )?),
    };
    let Some(st) = exc.exc() else { return Ok(()) };
    let old = st.cause.replace(cause);
    st.suppress_context.set(true);
    drop(old);
    Ok(())
}

/// The items of `seq` for an unpacking assignment, in order: exactly `before` of them, or
/// with `after = Some(a)`, `before` items, a list of the middle ones, then `a` items.
pub(crate) fn unpack_items(
    seq: &PyRef,
    before: usize,
    after: Option<usize>,
) -> PyResult<Vec<PyRef>> {
    if let Some(items) = exact_sequence(seq) {
        return split_items(items, before, after);
    }
    let it = ops::iter(seq).map_err(|e| not_iterable(e, seq))?;
    let mut items = Vec::with_capacity(before + after.unwrap_or(0));
    while items.len() < before {
        match ops::next(&it)? {
            Some(v) => items.push(v),
            None => return Err(too_few(items.len(), before, after)),
        }
    }
    match after {
        None if ops::next(&it)?.is_some() => Err(value_error(format!(
            "too many values to unpack (expected {before})"
        ))),
        None => Ok(items),
        Some(_) => {
            while let Some(v) = ops::next(&it)? {
                items.push(v);
            }
            split_items(items, before, after)
        }
    }
}

/// The items of a plain tuple or list, copied without running Python code.
fn exact_sequence(seq: &PyRef) -> Option<Vec<PyRef>> {
    match seq.kind()? {
        Kind::Tuple(t) => Some(t.to_vec()),
        Kind::List(l) => Some(l.borrow().clone()),
        _ => None,
    }
}

/// Splits all the items of the unpacked sequence per the targets.
fn split_items(mut items: Vec<PyRef>, before: usize, after: Option<usize>) -> PyResult<Vec<PyRef>> {
    let Some(a) = after else {
        return match items.len() {
            n if n < before => Err(too_few(n, before, None)),
            n if n > before => Err(value_error(format!(
                "too many values to unpack (expected {before})"
            ))),
            _ => Ok(items),
        };
    };
    if items.len() < before + a {
        return Err(too_few(items.len(), before, after));
    }
    let tail = items.split_off(items.len() - a);
    let middle = items.split_off(before);
    items.push(val::list(middle));
    items.extend(tail);
    Ok(items)
}

#[cold]
fn too_few(got: usize, before: usize, after: Option<usize>) -> PyErr {
    match after {
        None => value_error(format!(
            "not enough values to unpack (expected {before}, got {got})"
        )),
        Some(a) => value_error(format!(
            "not enough values to unpack (expected at least {}, got {got})",
            before + a
        )),
    }
}

/// CPython's message when the value is not iterable at all.
fn not_iterable(e: PyErr, seq: &PyRef) -> PyErr {
    let t = type_of(seq);
    let iterable = ["__iter__", "__getitem__"]
        .iter()
        .any(|m| crate::types::lookup(&t, m).is_some());
    match e.is("TypeError") && !iterable {
        true => type_error(format!(
            "cannot unpack non-iterable {} object",
            type_name(seq)
        )),
        false => e,
    }
}

/// A StopIteration's value: its first argument, or None.
pub(crate) fn stop_value(e: &PyErr) -> PyRef {
    exc_args(&e.0).into_iter().next().unwrap_or_else(val::none)
}
