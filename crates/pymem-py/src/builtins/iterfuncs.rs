//! The built-in functions over iterables: the lazy iterators' constructors (`enumerate`, `zip`, `map`,
//! `filter`, `reversed`), and `sorted`, `min`/`max`, `sum`, `any`/`all`.

use super::args::{Sig, bind, count, kwarg, no_kwargs, only_kwargs, positional};
use crate::call::Kwargs;
use crate::code::{BinOp, CmpOp};
use crate::error::{PyResult, type_error, value_error};
use crate::iter::make_iter;
use crate::obj::{Atom, BuiltinDef, IterState, Kind, PyRef};
use crate::types::{lookup, type_name, type_of};
use crate::{call, ops, val};

/// The functions of this module, by Python name.
pub(super) const FUNCS: &[BuiltinDef] = &[
    BuiltinDef {
        name: "sorted",
        func: sorted,
    },
    BuiltinDef {
        name: "min",
        func: min,
    },
    BuiltinDef {
        name: "max",
        func: max,
    },
    BuiltinDef {
        name: "sum",
        func: sum,
    },
    BuiltinDef {
        name: "any",
        func: any,
    },
    BuiltinDef {
        name: "all",
        func: all,
    },
];

/// `enumerate(iterable, start=0)`.
pub(super) fn enumerate(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    const SIG: Sig = Sig {
        name: "enumerate",
        names: &["iterable", "start"],
        posonly: 0,
        required: 1,
    };
    let a = bind(&SIG, args, kwargs)?;
    let it = ops::iter(a[0].as_ref().expect("required"))?;
    let start = match &a[1] {
        Some(s) => val::bigint(super::funcs::to_bigint(s)?),
        None => val::int(0),
    };
    Ok(make_iter(IterState::Enumerate(it, start)))
}

/// `zip(*iterables, strict=False)`.
pub(super) fn zip(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    only_kwargs("zip", kwargs, &["strict"])?;
    let strict = match kwarg(kwargs, "strict") {
        Some(s) => ops::truthy(&s)?,
        None => false,
    };
    let iters = args.iter().map(ops::iter).collect::<PyResult<Vec<_>>>()?;
    Ok(make_iter(IterState::Zip(iters.into_boxed_slice(), strict)))
}

/// `map(function, iterable, *iterables)`.
pub(super) fn map(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    no_kwargs("map", kwargs)?;
    if args.len() < 2 {
        return Err(type_error("map() must have at least two arguments."));
    }
    let iters = args[1..]
        .iter()
        .map(ops::iter)
        .collect::<PyResult<Vec<_>>>()?;
    Ok(make_iter(IterState::Map(
        args[0].clone(),
        iters.into_boxed_slice(),
    )))
}

/// `filter(function or None, iterable)`.
pub(super) fn filter(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    positional("filter", args, kwargs, 2, 2)?;
    Ok(make_iter(IterState::Filter(
        args[0].clone(),
        ops::iter(&args[1])?,
    )))
}

/// `reversed(sequence)`.
pub(super) fn reversed(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    positional("reversed", args, kwargs, 1, 1)?;
    let x = &args[0];
    if let Some(Atom::Range(r)) = x.atom() {
        return Ok(crate::iter::reversed_range(x, r));
    }
    match x.payload() {
        Some(Kind::Dict(d)) => return reversed_seq(&val::list(crate::dictops::keys(d))),
        Some(Kind::DictView(..)) => return reversed_seq(&val::list(ops::collect(x)?)),
        _ => {}
    }
    if let Some(r) = user_reversed(x)? {
        return Ok(r);
    }
    reversed_seq(x)
}

/// `__reversed__` of an instance's class, if it defines one in Python (`None` there means
/// "not reversible").
fn user_reversed(x: &PyRef) -> PyResult<Option<PyRef>> {
    if x.as_instance().is_none() {
        return Ok(None);
    }
    match lookup(&type_of(x), "__reversed__") {
        Some(f) if f.is_none() => Err(not_reversible(x)),
        Some(f) if !matches!(f.kind(), Some(Kind::Builtin(..))) => {
            call::call_bound(&f, x, &[]).map(Some)
        }
        _ => Ok(None),
    }
}

/// `reversed()` over a sequence: by index from `len(x) - 1` down.
fn reversed_seq(x: &PyRef) -> PyResult {
    let indexable = match x.payload() {
        Some(Kind::List(_) | Kind::Tuple(_) | Kind::ByteArray(_)) => true,
        Some(_) => false,
        None => matches!(x.atom(), Some(Atom::Str(_) | Atom::Bytes(_))) || has_sequence_methods(x),
    };
    if !indexable {
        return Err(not_reversible(x));
    }
    Ok(make_iter(IterState::Reversed(x.clone(), ops::len(x)?)))
}

/// Whether an instance's class has `__len__` and `__getitem__` (the sequence protocol).
fn has_sequence_methods(x: &PyRef) -> bool {
    let t = type_of(x);
    x.as_instance().is_some()
        && lookup(&t, "__len__").is_some()
        && lookup(&t, "__getitem__").is_some()
}

#[cold]
fn not_reversible(x: &PyRef) -> crate::error::PyErr {
    type_error(format!("'{}' object is not reversible", type_name(x)))
}

/// `sorted(iterable, /, *, key=None, reverse=False)`.
fn sorted(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    count("sorted", args, 1, 1)?;
    only_kwargs("sort", kwargs, &["key", "reverse"])?;
    let key = kwarg(kwargs, "key").filter(|k| !k.is_none());
    let reverse = match kwarg(kwargs, "reverse") {
        Some(r) => ops::truthy(&r)?,
        None => false,
    };
    let mut items = ops::collect(&args[0])?;
    sort_values(&mut items, key.as_ref(), reverse)?;
    Ok(val::list(items))
}

/// Sorts `items` stably by `<` on their keys (CPython's `list.sort`): a merge sort of our
/// own, as Rust's may panic when Python's `<` is no total order; no borrow is held while
/// `<` or the key function runs. With `reverse`, equal items keep their order, as CPython
/// gets by reversing before and after sorting.
pub(crate) fn sort_values(
    items: &mut Vec<PyRef>,
    key: Option<&PyRef>,
    reverse: bool,
) -> PyResult<()> {
    let keys = match key {
        Some(f) => items
            .iter()
            .map(|x| call::call(f, std::slice::from_ref(x), &[]))
            .collect::<PyResult<Vec<_>>>()?,
        None => items.clone(),
    };
    let mut pairs: Vec<(PyRef, PyRef)> = keys.into_iter().zip(items.drain(..)).collect();
    if reverse {
        pairs.reverse();
    }
    let sorted = merge_sort(pairs)?;
    items.extend(sorted.into_iter().map(|(_, v)| v));
    if reverse {
        items.reverse();
    }
    Ok(())
}

/// `a < b` for sorting, with the fast paths for ints and strs.
fn less(a: &PyRef, b: &PyRef) -> PyResult<bool> {
    match (a.atom(), b.atom()) {
        (Some(Atom::Int(x)), Some(Atom::Int(y))) => Ok(x < y),
        (Some(Atom::Str(x)), Some(Atom::Str(y))) => Ok(x.s < y.s),
        _ => ops::truthy(&ops::compare(a, b, CmpOp::Lt)?),
    }
}

/// A stable top-down merge sort by [`less`] on the first of each pair.
fn merge_sort(mut v: Vec<(PyRef, PyRef)>) -> PyResult<Vec<(PyRef, PyRef)>> {
    if v.len() <= 1 {
        return Ok(v);
    }
    let right = v.split_off(v.len() / 2);
    let (left, right) = (merge_sort(v)?, merge_sort(right)?);
    let mut out = Vec::with_capacity(left.len() + right.len());
    let (mut l, mut r) = (left.into_iter().peekable(), right.into_iter().peekable());
    while let (Some(a), Some(b)) = (l.peek(), r.peek()) {
        // Take from the right only when strictly less: equal items keep their order.
        let item = if less(&b.0, &a.0)? {
            r.next()
        } else {
            l.next()
        };
        out.extend(item);
    }
    out.extend(l);
    out.extend(r);
    Ok(out)
}

/// `min(iterable, *[, default, key])` and `min(a, b, *args[, key])`.
fn min(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    min_max("min", args, kwargs, CmpOp::Lt)
}

/// `max(iterable, *[, default, key])` and `max(a, b, *args[, key])`.
fn max(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    min_max("max", args, kwargs, CmpOp::Gt)
}

/// `min` and `max`: the first item that beats all others by `op`.
fn min_max(name: &str, args: &[PyRef], kwargs: Kwargs<'_>, op: CmpOp) -> PyResult {
    only_kwargs(name, kwargs, &["key", "default"])?;
    count(name, args, 1, usize::MAX)?;
    let key = kwarg(kwargs, "key").filter(|k| !k.is_none());
    let default = kwarg(kwargs, "default");
    if args.len() > 1 && default.is_some() {
        return Err(type_error(format!(
            "Cannot specify a default for {name}() with multiple positional arguments"
        )));
    }
    let items = match args {
        [it] => ops::collect(it)?,
        _ => args.to_vec(),
    };
    match best(items, key.as_ref(), op)? {
        Some(v) => Ok(v),
        None => default.ok_or_else(|| value_error(format!("{name}() iterable argument is empty"))),
    }
}

/// The first item whose key beats every other's by `op`.
fn best(items: Vec<PyRef>, key: Option<&PyRef>, op: CmpOp) -> PyResult<Option<PyRef>> {
    let mut best: Option<(PyRef, PyRef)> = None;
    for x in items {
        let k = match key {
            Some(f) => call::call(f, std::slice::from_ref(&x), &[])?,
            None => x.clone(),
        };
        let better = match &best {
            None => true,
            Some((bk, _)) => ops::truthy(&ops::compare(&k, bk, op)?)?,
        };
        if better {
            best = Some((k, x));
        }
    }
    Ok(best.map(|(_, v)| v))
}

/// `sum(iterable, /, start=0)`.
fn sum(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    const SIG: Sig = Sig {
        name: "sum",
        names: &["iterable", "start"],
        posonly: 1,
        required: 1,
    };
    let a = bind(&SIG, args, kwargs)?;
    let start = a[1].clone().unwrap_or_else(|| val::int(0));
    refuse_text_start(&start)?;
    let it = ops::iter(a[0].as_ref().expect("required"))?;
    let mut acc = Acc::of(start);
    while let Some(x) = ops::next(&it)? {
        acc = acc.add(x)?;
    }
    Ok(acc.finish())
}

/// `sum` refuses a str, bytes or bytearray start, pointing at `join`.
fn refuse_text_start(start: &PyRef) -> PyResult<()> {
    let (what, join) = match (start.atom(), start.payload()) {
        (Some(Atom::Str(_)), _) => ("strings", "''"),
        (Some(Atom::Bytes(_)), _) => ("bytes", "b''"),
        (_, Some(Kind::ByteArray(_))) => ("bytearray", "b''"),
        _ => return Ok(()),
    };
    Err(type_error(format!(
        "sum() can't sum {what} [use {join}.join(seq) instead]"
    )))
}

/// `sum`'s accumulator, with CPython's fast paths: machine ints while they fit, then
/// floats with Neumaier's compensated summation, then generic `+`.
enum Acc {
    Int(i64),
    Float(f64, f64),
    Obj(PyRef),
}

impl Acc {
    fn of(x: PyRef) -> Acc {
        match x.atom() {
            Some(Atom::Int(i)) => Acc::Int(*i),
            Some(Atom::Float(f)) => Acc::Float(*f, 0.0),
            _ => Acc::Obj(x),
        }
    }

    fn add(self, x: PyRef) -> PyResult<Acc> {
        match (self, x.atom()) {
            (Acc::Int(i), Some(Atom::Int(_) | Atom::Bool(_))) => {
                match i.checked_add(x.as_i64().unwrap_or(0)) {
                    Some(s) => Ok(Acc::Int(s)),
                    None => Ok(Acc::Obj(ops::binary(BinOp::Add, &val::int(i), &x)?)),
                }
            }
            (Acc::Int(i), _) => Ok(Acc::of(ops::binary(BinOp::Add, &val::int(i), &x)?)),
            (Acc::Float(f, c), Some(Atom::Float(y))) => Ok(neumaier(f, c, *y)),
            (Acc::Float(f, c), Some(Atom::Int(_) | Atom::Bool(_))) => {
                Ok(Acc::Float(f + x.as_i64().unwrap_or(0) as f64, c))
            }
            (acc @ Acc::Float(..), _) => Ok(Acc::Obj(ops::binary(BinOp::Add, &acc.finish(), &x)?)),
            (Acc::Obj(o), _) => Ok(Acc::Obj(ops::binary(BinOp::Add, &o, &x)?)),
        }
    }

    fn finish(self) -> PyRef {
        match self {
            Acc::Int(i) => val::int(i),
            // The compensation is left out when it is not finite, so that an infinite or
            // overflowed sum does not become NaN.
            Acc::Float(f, c) if c != 0.0 && c.is_finite() => val::float(f + c),
            Acc::Float(f, _) => val::float(f),
            Acc::Obj(o) => o,
        }
    }
}

/// One step of Neumaier's improved Kahan–Babuška summation, as CPython's `sum` does it.
fn neumaier(f: f64, c: f64, x: f64) -> Acc {
    let t = f + x;
    let c = if f.abs() >= x.abs() {
        c + ((f - t) + x)
    } else {
        c + ((x - t) + f)
    };
    Acc::Float(t, c)
}

/// `any(iterable)`.
fn any(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    let x = super::args::one("any", args, kwargs)?;
    Ok(val::bool_(find_truth(x, true)?))
}

/// `all(iterable)`.
fn all(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    let x = super::args::one("all", args, kwargs)?;
    Ok(val::bool_(!find_truth(x, false)?))
}

/// Whether some item's truth is `want`, stopping at the first.
fn find_truth(x: &PyRef, want: bool) -> PyResult<bool> {
    let it = ops::iter(x)?;
    while let Some(v) = ops::next(&it)? {
        if ops::truthy(&v)? == want {
            return Ok(true);
        }
    }
    Ok(false)
}
