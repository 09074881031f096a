//! Rich comparison of the built-in objects (CPython's `list_richcompare`, `tuplerichcompare`,
//! `dict_richcompare`, `set_richcompare`, `range_richcompare`…).

use std::cell::RefCell;
use std::cmp::Ordering;

use crate::code::CmpOp;
use crate::dict::Dict;
use crate::error::PyResult;
use crate::obj::{Atom, DictIterKind, Kind, PyRef, Range};
use crate::{dictops, ops};

use super::with_bytes;

/// `a op b` for two built-in objects (or the payloads of built-in subclasses); `None` if the
/// types do not compare natively.
pub(crate) fn native_compare(a: &PyRef, b: &PyRef, op: CmpOp) -> PyResult<Option<bool>> {
    if let (PyRef::A(x), PyRef::A(y)) = (a, b) {
        if let Some(r) = crate::num::compare(x, y, op) {
            return Ok(Some(r));
        }
        return Ok(atom_compare(x, y, op));
    }
    if let Some(r) = with_bytes(a, |x| with_bytes(b, |y| ordered(x.cmp(y), op))).flatten() {
        return Ok(Some(r));
    }
    match (a.payload(), b.payload()) {
        (Some(x), Some(y)) => kind_compare(x, y, op),
        _ => Ok(None),
    }
}

/// Whether an ordering satisfies `op`.
pub(crate) fn ordered(ord: Ordering, op: CmpOp) -> bool {
    match op {
        CmpOp::Lt => ord.is_lt(),
        CmpOp::Le => ord.is_le(),
        CmpOp::Eq => ord.is_eq(),
        CmpOp::Ne => ord.is_ne(),
        CmpOp::Gt => ord.is_gt(),
        CmpOp::Ge => ord.is_ge(),
    }
}

/// Atoms `num::compare` leaves: strs and bytes (lexicographic), ranges (as sequences).
fn atom_compare(a: &Atom, b: &Atom, op: CmpOp) -> Option<bool> {
    match (a, b) {
        (Atom::Str(x), Atom::Str(y)) => Some(ordered(x.s.cmp(&y.s), op)),
        (Atom::Bytes(x), Atom::Bytes(y)) => Some(ordered(x.cmp(y), op)),
        (Atom::Range(x), Atom::Range(y)) => equality(op, range_eq(x, y)),
        _ => None,
    }
}

/// The answer of an `==`-only comparison: `None` (unsupported) for ordering operators.
fn equality(op: CmpOp, eq: bool) -> Option<bool> {
    match op {
        CmpOp::Eq => Some(eq),
        CmpOp::Ne => Some(!eq),
        _ => None,
    }
}

/// Ranges are equal when they hold the same values (CPython's `range_equals`).
fn range_eq(a: &Range, b: &Range) -> bool {
    let (la, lb) = (super::slice::range_count(a), super::slice::range_count(b));
    la == lb && (la == 0 || (a.start == b.start && (la == 1 || a.step == b.step)))
}

fn kind_compare(a: &Kind, b: &Kind, op: CmpOp) -> PyResult<Option<bool>> {
    match (a, b) {
        (Kind::List(x), Kind::List(y)) => {
            let (x, y) = (x.borrow().clone(), y.borrow().clone());
            items_compare(&x, &y, op).map(Some)
        }
        (Kind::Tuple(x), Kind::Tuple(y)) => items_compare(x, y, op).map(Some),
        (Kind::Slice(x), Kind::Slice(y)) => items_compare(&x[..], &y[..], op).map(Some),
        (Kind::Dict(x), Kind::Dict(y)) => match op {
            CmpOp::Eq | CmpOp::Ne => Ok(equality(op, dict_eq(x, y)?)),
            _ => Ok(None),
        },
        (Kind::Method(f1, s1), Kind::Method(f2, s2)) => {
            Ok(equality(op, s1.is(s2) && ops::eq(f1, f2)?))
        }
        (Kind::Builtin(d1, s1), Kind::Builtin(d2, s2)) => {
            Ok(equality(op, builtin_eq(d1, s1, d2, s2)))
        }
        (Kind::WeakRef(x), Kind::WeakRef(y)) => weakref_compare(x, y, op),
        _ => match (SetLike::of(a), SetLike::of(b)) {
            (Some(x), Some(y)) => set_compare(x, y, op).map(Some),
            _ => Ok(None),
        },
    }
}

/// Two bound built-in methods are equal when they are the same function on the same object.
fn builtin_eq(
    d1: &crate::obj::BuiltinDef,
    s1: &Option<PyRef>,
    d2: &crate::obj::BuiltinDef,
    s2: &Option<PyRef>,
) -> bool {
    let same_self = match (s1, s2) {
        (Some(a), Some(b)) => a.is(b),
        (None, None) => true,
        _ => false,
    };
    std::ptr::eq(d1, d2) && same_self
}

/// Live weak references compare their referents; dead ones compare by identity (`None`).
fn weakref_compare(
    a: &crate::obj::WeakRefObj,
    b: &crate::obj::WeakRefObj,
    op: CmpOp,
) -> PyResult<Option<bool>> {
    let (Some(x), Some(y)) = (a.target.upgrade(), b.target.upgrade()) else {
        return Ok(None);
    };
    match op {
        CmpOp::Eq | CmpOp::Ne => Ok(equality(op, ops::eq(&PyRef::O(x), &PyRef::O(y))?)),
        _ => Ok(None),
    }
}

/// Lexicographic comparison of two sequences (CPython's `list_richcompare`): the first pair
/// of items that differ decides, else the lengths.
pub(crate) fn items_compare(a: &[PyRef], b: &[PyRef], op: CmpOp) -> PyResult<bool> {
    if a.len() != b.len() && matches!(op, CmpOp::Eq | CmpOp::Ne) {
        return Ok(op == CmpOp::Ne);
    }
    let mut i = 0;
    while i < a.len() && i < b.len() && same(&a[i], &b[i])? {
        i += 1;
    }
    if i == a.len() || i == b.len() {
        return Ok(ordered(a.len().cmp(&b.len()), op));
    }
    match op {
        CmpOp::Eq => Ok(false),
        CmpOp::Ne => Ok(true),
        _ => ops::truthy(&ops::compare(&a[i], &b[i], op)?),
    }
}

/// Item equality as containers see it (CPython's `PyObject_RichCompareBool`): identity first,
/// so that a NaN equals itself.
pub(crate) fn same(a: &PyRef, b: &PyRef) -> PyResult<bool> {
    Ok(a.is(b) || ops::eq(a, b)?)
}

/// Two dicts are equal when they have the same keys with equal values.
fn dict_eq(a: &RefCell<Dict>, b: &RefCell<Dict>) -> PyResult<bool> {
    if a.borrow().len() != b.borrow().len() {
        return Ok(false);
    }
    let entries: Vec<(PyRef, u64, PyRef)> = a
        .borrow()
        .iter()
        .map(|e| (e.key.clone(), e.hash, e.value.clone()))
        .collect();
    for (k, h, v) in entries {
        let Some(pos) = dictops::find(b, &k, h)? else {
            return Ok(false);
        };
        let Some(w) = b.borrow().entry_at(pos).map(|e| e.value.clone()) else {
            return Ok(false);
        };
        if !same(&v, &w)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// An operand of set comparisons and set algebra: a set's table, or a dict view.
#[derive(Clone, Copy)]
pub(crate) enum SetLike<'a> {
    /// A set, a frozenset, or a dict's keys.
    Keys(&'a RefCell<Dict>),
    /// A dict's items: `(key, value)` pairs.
    Items(&'a RefCell<Dict>),
}

impl<'a> SetLike<'a> {
    /// The set-like view of a set, frozenset, `dict.keys()` or `dict.items()`.
    pub(crate) fn of(kind: &'a Kind) -> Option<SetLike<'a>> {
        match kind {
            Kind::Set(d, _) => Some(SetLike::Keys(d)),
            Kind::DictView(d, DictIterKind::Keys) => d.as_dict().map(SetLike::Keys),
            Kind::DictView(d, DictIterKind::Items) => d.as_dict().map(SetLike::Items),
            _ => None,
        }
    }

    /// The number of members.
    pub(crate) fn len(self) -> usize {
        match self {
            SetLike::Keys(d) | SetLike::Items(d) => d.borrow().len(),
        }
    }

    /// The members with their hashes where known, as a snapshot.
    pub(crate) fn members(self) -> Vec<(PyRef, Option<u64>)> {
        match self {
            SetLike::Keys(d) => d
                .borrow()
                .iter()
                .map(|e| (e.key.clone(), Some(e.hash)))
                .collect(),
            SetLike::Items(d) => dictops::items(d)
                .into_iter()
                .map(|(k, v)| (crate::val::tuple(vec![k, v]), None))
                .collect(),
        }
    }

    /// Whether `x` (whose hash may be known) is a member.
    pub(crate) fn has(self, x: &PyRef, hash: Option<u64>) -> PyResult<bool> {
        match self {
            SetLike::Keys(d) => {
                let h = match hash {
                    Some(h) => h,
                    None => ops::hash(x)?,
                };
                Ok(dictops::find(d, x, h)?.is_some())
            }
            SetLike::Items(d) => items_has(d, x),
        }
    }
}

/// `(k, v) in d.items()`: `k` is a key whose value equals `v`.
pub(crate) fn items_has(d: &RefCell<Dict>, x: &PyRef) -> PyResult<bool> {
    let Some([k, v]) = x.as_tuple().and_then(|t| <&[PyRef; 2]>::try_from(t).ok()) else {
        return Ok(false);
    };
    match dictops::get(d, k)? {
        Some(w) => same(&w, v),
        None => Ok(false),
    }
}

/// Whether every member of `a` is in `b`.
fn subset(a: SetLike<'_>, b: SetLike<'_>) -> PyResult<bool> {
    if a.len() > b.len() {
        return Ok(false);
    }
    for (x, h) in a.members() {
        if !b.has(&x, h)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Set comparison: equality, and subset/superset ordering.
fn set_compare(a: SetLike<'_>, b: SetLike<'_>, op: CmpOp) -> PyResult<bool> {
    let (la, lb) = (a.len(), b.len());
    Ok(match op {
        CmpOp::Eq => la == lb && subset(a, b)?,
        CmpOp::Ne => !(la == lb && subset(a, b)?),
        CmpOp::Le => subset(a, b)?,
        CmpOp::Lt => la < lb && subset(a, b)?,
        CmpOp::Ge => subset(b, a)?,
        CmpOp::Gt => lb < la && subset(b, a)?,
    })
}
