//! (L2) Iteration: `iter()` and `next()` for the built-in iterables, instances with
//! `__iter__`/`__next__` or `__getitem__`, and generators.
//!
//! An iterator's state sits in a `RefCell`; no borrow of it is held while Python code runs
//! (an item's `__getitem__`, `map`'s function…): each step copies what it needs out of the
//! state, computes, then writes the new position back.

use std::cell::{Cell, RefCell};

use crate::error::{PyErr, PyResult, type_error, value_error};
use crate::obj::{Atom, DictIterKind, IterState, Kind, Obj, PyRef};
use crate::types::{lookup, type_name, type_of};
use crate::{call, ops, seq, val};

/// A new built-in iterator over `state`.
///
/// The states: `Seq(x, i)` (the index of the next item; for a str, its byte offset),
/// `Dict(table owner, position, kind, length at creation)`,
/// `Reversed(seq, n)` (`n` items left: the next is `seq[n - 1]`), `Enumerate(iterator,
/// count)`, `Zip(iterators, strict)`, `Map(function, iterators)`, `Filter(function or None,
/// iterator)`, `Callable(function, sentinel)`.
pub(crate) fn make_iter(state: IterState) -> PyRef {
    Obj::new(Kind::Iter(RefCell::new(state)))
}

/// `iter(x)`.
pub(crate) fn get_iter(x: &PyRef) -> PyResult {
    match x.atom() {
        Some(Atom::Range(r)) => return Ok(range_iter(r.start, r.stop, r.step)),
        Some(Atom::RangeIter(_)) => return Ok(x.clone()),
        _ => {}
    }
    if let Some(state) = native_state(x)? {
        return Ok(make_iter(state));
    }
    if matches!(x.kind(), Some(Kind::Iter(_) | Kind::Generator(_))) {
        return Ok(x.clone());
    }
    let ty = type_of(x);
    match lookup(&ty, "__iter__") {
        Some(f) if f.is_none() => Err(not_iterable(x)),
        Some(f) if !is_builtin(&f) || x.payload().is_none() => {
            checked_iter(call::call_bound(&f, x, &[])?)
        }
        _ if lookup(&ty, "__getitem__").is_some_and(|f| !f.is_none()) => {
            Ok(make_iter(IterState::Seq(x.clone(), 0)))
        }
        _ => Err(not_iterable(x)),
    }
}

/// `TypeError: 'int' object is not iterable`.
fn not_iterable(x: &PyRef) -> PyErr {
    type_error(format!("'{}' object is not iterable", type_name(x)))
}

/// Whether a special method found on a type is a built-in one.
fn is_builtin(f: &PyRef) -> bool {
    matches!(f.kind(), Some(Kind::Builtin(..)))
}

/// The iterator state of a built-in iterable (or a built-in subclass that does not
/// override `__iter__`).
fn native_state(x: &PyRef) -> PyResult<Option<IterState>> {
    if x.as_instance().is_some() && lookup(&type_of(x), "__iter__").is_some_and(|f| !is_builtin(&f))
    {
        return Ok(None);
    }
    Ok(match (x.atom(), x.payload()) {
        (Some(Atom::Str(_) | Atom::Bytes(_)), _) => Some(IterState::Seq(x.clone(), 0)),
        (_, Some(Kind::List(_) | Kind::Tuple(_) | Kind::ByteArray(_))) => {
            Some(IterState::Seq(x.clone(), 0))
        }
        (_, Some(Kind::Dict(_) | Kind::Set(..))) => Some(dict_state(x, DictIterKind::Keys)),
        (_, Some(Kind::DictView(d, kind))) => Some(dict_state(d, *kind)),
        _ => None,
    })
}

/// A fresh iteration over a dict's or set's table, remembering its size.
fn dict_state(d: &PyRef, kind: DictIterKind) -> IterState {
    let len = match d.payload() {
        Some(Kind::Dict(t) | Kind::Set(t, _)) => t.borrow().len(),
        _ => 0,
    };
    IterState::Dict(d.clone(), 0, kind, len)
}

/// The result of `__iter__`, which must be an iterator.
fn checked_iter(it: PyRef) -> PyResult {
    let is_iter = matches!(it.kind(), Some(Kind::Iter(_) | Kind::Generator(_)))
        || matches!(it.atom(), Some(Atom::RangeIter(_)))
        || lookup(&type_of(&it), "__next__").is_some_and(|f| !f.is_none());
    match is_iter {
        true => Ok(it),
        false => Err(type_error(format!(
            "iter() returned non-iterator of type '{}'",
            type_name(&it)
        ))),
    }
}

/// `next(it)`: `None` when the iterator is exhausted.
pub(crate) fn next(it: &PyRef) -> PyResult<Option<PyRef>> {
    if let Some(Atom::RangeIter(st)) = it.atom() {
        return Ok(range_step(st));
    }
    match it.kind() {
        Some(Kind::Iter(st)) => advance(st),
        Some(Kind::Generator(_)) => crate::vm::gen_next(it),
        _ => match lookup(&type_of(it), "__next__") {
            Some(f) if !f.is_none() => stop_to_none(call::call_bound(&f, it, &[])),
            _ => Err(type_error(format!(
                "'{}' object is not an iterator",
                type_name(it)
            ))),
        },
    }
}

/// A `__next__` result: StopIteration means exhaustion.
fn stop_to_none(r: PyResult) -> PyResult<Option<PyRef>> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.is("StopIteration") => Ok(None),
        Err(e) => Err(e),
    }
}

/// Ends an iteration: the state is dropped (its references with it) once the borrow ends.
fn finish(st: &RefCell<IterState>) -> PyResult<Option<PyRef>> {
    let bt = crate::types::iter_type(&st.borrow());
    let old = std::mem::replace(&mut *st.borrow_mut(), IterState::Done(bt));
    drop(old);
    Ok(None)
}

/// One step of a built-in iterator.
fn advance(st: &RefCell<IterState>) -> PyResult<Option<PyRef>> {
    let state = snapshot(&st.borrow());
    match state {
        Step::Seq(x, i) => seq_step(st, &x, i),
        Step::Dict(d, pos, kind, len) => dict_step(st, &d, pos, kind, len),
        Step::Reversed(x, n) => reversed_step(st, &x, n),
        Step::Enumerate(it, count) => enumerate_step(st, &it, &count),
        Step::Zip(its, strict) => zip_step(st, &its, strict),
        Step::Map(f, its) => map_step(st, &f, &its),
        Step::Filter(f, it) => filter_step(&f, &it),
        Step::Callable(f, sentinel) => callable_step(st, &f, &sentinel),
        Step::Done => Ok(None),
    }
}

/// A copy of an iterator state, to work on with no borrow held.
enum Step {
    Seq(PyRef, usize),
    Dict(PyRef, usize, DictIterKind, usize),
    Reversed(PyRef, usize),
    Enumerate(PyRef, PyRef),
    Zip(Vec<PyRef>, bool),
    Map(PyRef, Vec<PyRef>),
    Filter(PyRef, PyRef),
    Callable(PyRef, PyRef),
    Done,
}

fn snapshot(st: &IterState) -> Step {
    match st {
        IterState::Seq(x, i) => Step::Seq(x.clone(), *i),
        IterState::Dict(d, p, k, n) => Step::Dict(d.clone(), *p, *k, *n),
        IterState::Reversed(x, n) => Step::Reversed(x.clone(), *n),
        IterState::Enumerate(it, n) => Step::Enumerate(it.clone(), n.clone()),
        IterState::Zip(its, strict) => Step::Zip(its.to_vec(), *strict),
        IterState::Map(f, its) => Step::Map(f.clone(), its.to_vec()),
        IterState::Filter(f, it) => Step::Filter(f.clone(), it.clone()),
        IterState::Callable(f, s) => Step::Callable(f.clone(), s.clone()),
        IterState::Done(_) => Step::Done,
    }
}

/// Stores the next position of a `Seq`, `Dict` or `Reversed` state.
fn set_pos(st: &RefCell<IterState>, pos: usize) {
    match &mut *st.borrow_mut() {
        IterState::Seq(_, i) | IterState::Dict(_, i, ..) | IterState::Reversed(_, i) => *i = pos,
        _ => {}
    }
}

/// The item at `i` of a sequence and the position after it; `None` past the end.
fn seq_item(x: &PyRef, i: usize) -> PyResult<Option<(PyRef, usize)>> {
    if let Some(a) = x.atom() {
        return Ok(match a {
            Atom::Str(s) => s.s.get(i..).and_then(|rest| rest.chars().next()).map(|c| {
                let n = c.len_utf8();
                (val::str_(&s.s[i..i + n]), i + n)
            }),
            Atom::Bytes(b) => b.get(i).map(|&b| (val::int(b as i64), i + 1)),
            _ => None,
        });
    }
    match x.payload() {
        Some(Kind::List(l)) => Ok(l.borrow().get(i).map(|v| (v.clone(), i + 1))),
        Some(Kind::Tuple(t)) => Ok(t.get(i).map(|v| (v.clone(), i + 1))),
        Some(Kind::ByteArray(b)) => Ok(b.borrow().get(i).map(|&b| (val::int(b as i64), i + 1))),
        _ => getitem_item(x, i),
    }
}

/// The old iteration protocol: `x[i]` until IndexError (or StopIteration).
fn getitem_item(x: &PyRef, i: usize) -> PyResult<Option<(PyRef, usize)>> {
    match ops::getitem(x, &val::int(i as i64)) {
        Ok(v) => Ok(Some((v, i + 1))),
        Err(e) if e.is("IndexError") || e.is("StopIteration") => Ok(None),
        Err(e) => Err(e),
    }
}

fn seq_step(st: &RefCell<IterState>, x: &PyRef, i: usize) -> PyResult<Option<PyRef>> {
    match seq_item(x, i)? {
        Some((v, next)) => {
            set_pos(st, next);
            Ok(Some(v))
        }
        None => finish(st),
    }
}

/// A new range iterator yielding `cur, cur + step, …` up to `stop` (excluded).
pub(crate) fn range_iter(cur: i64, stop: i64, step: i64) -> PyRef {
    PyRef::A(pymem::Gc::new(Atom::RangeIter(Cell::new((
        cur, stop, step,
    )))))
}

/// `reversed(range)`: the range backwards, as a range iterator (or, when its bounds do not
/// fit a machine integer backwards, a `reversed` over the range itself).
pub(crate) fn reversed_range(range: &PyRef, r: &crate::obj::Range) -> PyRef {
    let n = r.len();
    if n == 0 {
        return range_iter(0, 0, 1);
    }
    let last = r.start as i128 + (n as i128 - 1) * r.step as i128;
    let stop = r.start as i128 - r.step as i128;
    match (
        i64::try_from(last),
        i64::try_from(stop),
        r.step.checked_neg(),
    ) {
        (Ok(last), Ok(stop), Some(step)) => range_iter(last, stop, step),
        _ => make_iter(IterState::Reversed(range.clone(), n as usize)),
    }
}

fn range_step(st: &Cell<(i64, i64, i64)>) -> Option<PyRef> {
    let (cur, stop, step) = st.get();
    if (step > 0 && cur >= stop) || (step < 0 && cur <= stop) {
        return None;
    }
    // Past i64::MAX the range is over: park the state at the stop.
    st.set((cur.checked_add(step).unwrap_or(stop), stop, step));
    Some(val::int(cur))
}

fn dict_step(
    st: &RefCell<IterState>,
    d: &PyRef,
    pos: usize,
    kind: DictIterKind,
    len: usize,
) -> PyResult<Option<PyRef>> {
    let (table, what) = match d.payload() {
        Some(Kind::Set(t, _)) => (t, "Set"),
        Some(Kind::Dict(t)) => (t, "dictionary"),
        _ => return finish(st),
    };
    let t = table.borrow();
    if t.len() != len {
        // The state stays: every later `next` fails too, as in CPython.
        return Err(seq::changed_size(what));
    }
    let found = (pos..t.capacity_end())
        .find_map(|p| t.entry_at(p).map(|e| (p, e.key.clone(), e.value.clone())));
    drop(t);
    let Some((p, k, v)) = found else {
        return finish(st);
    };
    set_pos(st, p + 1);
    Ok(Some(match kind {
        DictIterKind::Keys => k,
        DictIterKind::Values => v,
        DictIterKind::Items => val::tuple(vec![k, v]),
    }))
}

fn reversed_step(st: &RefCell<IterState>, x: &PyRef, n: usize) -> PyResult<Option<PyRef>> {
    let Some(i) = n.checked_sub(1) else {
        return finish(st);
    };
    let item = match x.payload() {
        Some(Kind::List(l)) => l.borrow().get(i).cloned(),
        Some(Kind::Tuple(t)) => t.get(i).cloned(),
        _ => Some(ops::getitem(x, &val::int(i as i64))?),
    };
    match item {
        Some(v) => {
            set_pos(st, i);
            Ok(Some(v))
        }
        None => finish(st),
    }
}

fn enumerate_step(st: &RefCell<IterState>, it: &PyRef, count: &PyRef) -> PyResult<Option<PyRef>> {
    let Some(item) = next(it)? else {
        return finish(st);
    };
    let after = match count.as_i64().and_then(|c| c.checked_add(1)) {
        Some(c) => val::int(c),
        None => ops::binary(crate::code::BinOp::Add, count, &val::int(1))?,
    };
    let old = match &mut *st.borrow_mut() {
        IterState::Enumerate(_, c) => Some(std::mem::replace(c, after)),
        _ => None,
    };
    drop(old);
    Ok(Some(val::tuple(vec![count.clone(), item])))
}

fn zip_step(st: &RefCell<IterState>, its: &[PyRef], strict: bool) -> PyResult<Option<PyRef>> {
    if its.is_empty() {
        return finish(st);
    }
    let mut items = Vec::with_capacity(its.len());
    for (i, it) in its.iter().enumerate() {
        match next(it)? {
            Some(v) => items.push(v),
            None if strict => return zip_mismatch(st, its, i),
            None => return finish(st),
        }
    }
    Ok(Some(val::tuple(items)))
}

/// `zip(strict=True)` when iterator `i` ran out: an error unless all the others did too.
fn zip_mismatch(st: &RefCell<IterState>, its: &[PyRef], i: usize) -> PyResult<Option<PyRef>> {
    finish(st)?;
    if i > 0 {
        return Err(zip_error(i, "shorter"));
    }
    for (j, it) in its.iter().enumerate().skip(1) {
        if next(it)?.is_some() {
            return Err(zip_error(j, "longer"));
        }
    }
    Ok(None)
}

/// `zip() argument 3 is shorter than arguments 1-2`.
fn zip_error(i: usize, what: &str) -> PyErr {
    let others = if i == 1 {
        " 1".to_owned()
    } else {
        format!("s 1-{i}")
    };
    value_error(format!(
        "zip() argument {} is {what} than argument{others}",
        i + 1
    ))
}

fn map_step(st: &RefCell<IterState>, f: &PyRef, its: &[PyRef]) -> PyResult<Option<PyRef>> {
    let mut args = Vec::with_capacity(its.len());
    for it in its {
        match next(it)? {
            Some(v) => args.push(v),
            None => return finish(st),
        }
    }
    call::call(f, &args, &[]).map(Some)
}

fn filter_step(f: &PyRef, it: &PyRef) -> PyResult<Option<PyRef>> {
    while let Some(item) = next(it)? {
        let keep = match f.is_none() {
            true => ops::truthy(&item)?,
            false => ops::truthy(&call::call(f, std::slice::from_ref(&item), &[])?)?,
        };
        if keep {
            return Ok(Some(item));
        }
    }
    Ok(None)
}

fn callable_step(st: &RefCell<IterState>, f: &PyRef, sentinel: &PyRef) -> PyResult<Option<PyRef>> {
    let v = match call::call(f, &[], &[]) {
        Ok(v) => v,
        Err(e) if e.is("StopIteration") => return finish(st),
        Err(e) => return Err(e),
    };
    if ops::eq(&v, sentinel)? {
        return finish(st);
    }
    Ok(Some(v))
}

#[cfg(test)]
mod tests {
    use super::{get_iter, make_iter, next};
    use crate::obj::{IterState, PyRef, Range};
    use crate::{ops, val};

    fn items(x: &PyRef) -> String {
        let it = get_iter(x).expect("iter");
        let mut out = Vec::new();
        while let Some(v) = next(&it).expect("next") {
            out.push(ops::repr(&v).expect("repr"));
        }
        out.join(" ")
    }

    #[test]
    fn built_in_iterables() {
        assert_eq!(items(&val::str_("hé!")), "'h' 'é' '!'");
        assert_eq!(items(&val::bytes(b"ab".to_vec())), "97 98");
        let range = crate::seq::range_obj(Range {
            start: 10,
            stop: 0,
            step: -4,
        });
        assert_eq!(items(&range), "10 6 2");
        assert_eq!(items(&val::tuple(vec![val::none(), val::int(1)])), "None 1");
    }

    #[test]
    fn dict_changed_size() {
        let d = val::dict(crate::dict::Dict::new());
        ops::setitem(&d, &val::str_("a"), val::int(1)).expect("setitem");
        let it = get_iter(&d).expect("iter");
        ops::setitem(&d, &val::str_("b"), val::int(2)).expect("setitem");
        let Err(e) = next(&it) else {
            panic!("no error")
        };
        assert_eq!(
            crate::repr::message_of(&e),
            "dictionary changed size during iteration"
        );
    }

    #[test]
    fn zip_strict_mismatch() {
        let list = |n: usize| get_iter(&val::list(vec![val::none(); n])).expect("iter");
        let zip = make_iter(IterState::Zip(Box::new([list(2), list(2), list(1)]), true));
        assert!(next(&zip).expect("first").is_some());
        let Err(e) = next(&zip) else {
            panic!("no error")
        };
        assert_eq!(
            crate::repr::message_of(&e),
            "zip() argument 3 is shorter than arguments 1-2"
        );
    }
}
