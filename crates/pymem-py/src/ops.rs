//! (L2) The abstract object protocol (CPython's `abstract.c` and `object.c`): truth, repr,
//! hashing, comparison, arithmetic dispatch, length, items, iteration.
//!
//! Built-in kinds are handled natively; instances go through their class's special
//! methods, looked up on the type as CPython does.

use std::rc::Rc;

use crate::code::{BinOp, CmpOp};
use crate::error::{PyErr, PyResult, type_error};
use crate::obj::{Atom, Kind, PyRef};
use crate::types::{lookup, type_name, type_of};
use crate::{attr, call, dictops, hash, iter, num, repr, seq, val};

/// Calls the special method `name` of `x`'s type with `x` and `args`; `None` if the type
/// does not define it.
pub(crate) fn call_special(x: &PyRef, name: &str, args: &[PyRef]) -> PyResult<Option<PyRef>> {
    let Some(f) = lookup(&type_of(x), name) else {
        return Ok(None);
    };
    call::call_bound(&f, x, args).map(Some)
}

/// Whether `x` is an instance of a Python class (so special methods may be overridden).
#[inline]
fn is_instance_obj(x: &PyRef) -> bool {
    matches!(x.kind(), Some(Kind::Instance(_)))
}

/// `bool(x)`.
pub(crate) fn truthy(x: &PyRef) -> PyResult<bool> {
    match x {
        PyRef::A(a) => Ok(match &**a {
            Atom::None => false,
            Atom::Bool(b) => *b,
            Atom::Int(i) => *i != 0,
            Atom::Big(_) => true,
            Atom::Float(f) => *f != 0.0,
            Atom::Complex(re, im) => *re != 0.0 || *im != 0.0,
            Atom::Str(s) => !s.s.is_empty(),
            Atom::Bytes(b) => !b.is_empty(),
            Atom::Range(r) => r.len() != 0,
            _ => true,
        }),
        PyRef::O(o) => match &o.kind {
            Kind::Instance(_) => instance_truthy(x),
            Kind::List(l) => Ok(!l.borrow().is_empty()),
            Kind::Tuple(t) => Ok(!t.is_empty()),
            Kind::Dict(d) | Kind::Set(d, _) => Ok(!d.borrow().is_empty()),
            Kind::ByteArray(b) => Ok(!b.borrow().is_empty()),
            Kind::DictView(..) => Ok(len(x)? != 0),
            _ => Ok(true),
        },
    }
}

fn instance_truthy(x: &PyRef) -> PyResult<bool> {
    if let Some(r) = call_special(x, "__bool__", &[])? {
        return match r.atom() {
            Some(Atom::Bool(b)) => Ok(*b),
            _ => Err(type_error(format!(
                "__bool__ should return bool, returned {}",
                type_name(&r)
            ))),
        };
    }
    if lookup(&type_of(x), "__len__").is_some() || x.payload().is_some() {
        return Ok(len(x)? != 0);
    }
    Ok(true)
}

/// `repr(x)` as a Rust string.
pub(crate) fn repr(x: &PyRef) -> PyResult<String> {
    repr::repr(x)
}

/// `str(x)` as a Rust string.
pub(crate) fn str_of(x: &PyRef) -> PyResult<String> {
    if let Some(s) = x.as_str() {
        return Ok(s.to_owned());
    }
    repr::str_of(x)
}

/// `str(x)` as a Python object (the same object for a str).
pub(crate) fn to_str(x: &PyRef) -> PyResult<PyRef> {
    if x.as_str().is_some() && !is_instance_obj(x) {
        return Ok(x.clone());
    }
    Ok(val::string(str_of(x)?))
}

/// `hash(x)`, as the 64 bits of CPython's `Py_hash_t`.
pub(crate) fn hash(x: &PyRef) -> PyResult<u64> {
    match x {
        PyRef::A(a) => Ok(hash::atom_hash(a)),
        PyRef::O(o) => match &o.kind {
            Kind::Tuple(items) => hash::tuple_hash(items),
            Kind::Set(d, true) => Ok(hash::frozenset_hash(&d.borrow())),
            Kind::Instance(_) => instance_hash(x),
            Kind::List(_) | Kind::Dict(_) | Kind::Set(..) | Kind::ByteArray(_) | Kind::Slice(_) => {
                Err(type_error(format!("unhashable type: '{}'", type_name(x))))
            }
            Kind::WeakRef(w) => weakref_hash(w),
            _ => Ok(x.id() as u64 >> 4),
        },
    }
}

fn instance_hash(x: &PyRef) -> PyResult<u64> {
    match crate::types::lookup_override(&type_of(x), "__hash__") {
        Some(f) if f.is_none() => Err(type_error(format!("unhashable type: '{}'", type_name(x)))),
        Some(f) => {
            let r = call::call_bound(&f, x, &[])?;
            match r.as_i64() {
                Some(i) => Ok(hash::int_hash(i)),
                None => match r.atom() {
                    Some(Atom::Big(b)) => Ok(hash::big_hash(b)),
                    _ => Err(type_error("__hash__ method should return an integer")),
                },
            }
        }
        _ => match x.payload() {
            Some(Kind::Instance(_)) | None => Ok(x.id() as u64 >> 4),
            Some(Kind::Tuple(items)) => hash::tuple_hash(items),
            Some(Kind::Set(d, true)) => Ok(hash::frozenset_hash(&d.borrow())),
            Some(_) => Err(type_error(format!("unhashable type: '{}'", type_name(x)))),
        },
    }
}

fn weakref_hash(w: &crate::obj::WeakRefObj) -> PyResult<u64> {
    if let Some(h) = w.hash.get() {
        return Ok(h);
    }
    let target = w
        .target
        .upgrade()
        .ok_or_else(|| type_error("weak object has gone away"))?;
    let h = hash(&PyRef::O(target))?;
    w.hash.set(Some(h));
    Ok(h)
}

/// `a == b` as a bool.
pub(crate) fn eq(a: &PyRef, b: &PyRef) -> PyResult<bool> {
    if a.is(b) && !matches!(a.atom(), Some(Atom::Float(_) | Atom::Complex(..))) {
        return Ok(true);
    }
    let r = compare(a, b, CmpOp::Eq)?;
    truthy(&r)
}

/// The rich comparison `a op b` (CPython's `PyObject_RichCompare`): the reflected method of
/// a subclass first, then `a`'s, then `b`'s reflection, then identity for `==`/`!=`.
pub(crate) fn compare(a: &PyRef, b: &PyRef, op: CmpOp) -> PyResult<PyRef> {
    if !is_instance_obj(a) && !is_instance_obj(b) {
        if let Some(r) = seq::native_compare(a, b, op)? {
            return Ok(val::bool_(r));
        }
    } else if let Some(r) = instance_compare(a, b, op)? {
        return Ok(r);
    }
    match op {
        CmpOp::Eq => Ok(val::bool_(a.is(b))),
        CmpOp::Ne => Ok(val::bool_(!a.is(b))),
        _ => Err(type_error(format!(
            "'{}' not supported between instances of '{}' and '{}'",
            cmp_symbol(op),
            type_name(a),
            type_name(b)
        ))),
    }
}

fn instance_compare(a: &PyRef, b: &PyRef, op: CmpOp) -> PyResult<Option<PyRef>> {
    let (ta, tb) = (type_of(a), type_of(b));
    let reflected_first = !pymem::Gc::ptr_eq(&ta, &tb) && crate::types::is_subtype(&tb, &ta);
    let calls = [(a, b, op), (b, a, reflect(op))];
    let order: &[usize] = if reflected_first { &[1, 0] } else { &[0, 1] };
    for &i in order {
        let (x, y, o) = calls[i];
        if let Some(r) = try_compare_method(x, y, o)? {
            return Ok(Some(r));
        }
    }
    if let Some(r) = seq::native_compare_payload(a, b, op)? {
        return Ok(Some(val::bool_(r)));
    }
    Ok(None)
}

fn try_compare_method(x: &PyRef, y: &PyRef, op: CmpOp) -> PyResult<Option<PyRef>> {
    if !is_instance_obj(x) {
        return Ok(None);
    }
    let Some(f) = crate::types::lookup_override(&type_of(x), cmp_dunder(op)) else {
        return negated_eq(x, y, op);
    };
    let r = call::call_bound(&f, x, std::slice::from_ref(y))?;
    Ok((!matches!(r.atom(), Some(Atom::NotImplemented))).then_some(r))
}

/// `x != y` without an overriding `__ne__`: the negation of `__eq__` (object.__ne__).
fn negated_eq(x: &PyRef, y: &PyRef, op: CmpOp) -> PyResult<Option<PyRef>> {
    if op != CmpOp::Ne {
        return Ok(None);
    }
    match try_compare_method(x, y, CmpOp::Eq)? {
        Some(r) => Ok(Some(val::bool_(!truthy(&r)?))),
        None => Ok(None),
    }
}

/// The operator a comparison becomes when its operands swap.
pub(crate) fn reflect(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Lt => CmpOp::Gt,
        CmpOp::Le => CmpOp::Ge,
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::Ge => CmpOp::Le,
        o => o,
    }
}

/// `__lt__` and friends.
pub(crate) fn cmp_dunder(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Lt => "__lt__",
        CmpOp::Le => "__le__",
        CmpOp::Eq => "__eq__",
        CmpOp::Ne => "__ne__",
        CmpOp::Gt => "__gt__",
        CmpOp::Ge => "__ge__",
    }
}

/// `<` and friends.
pub(crate) fn cmp_symbol(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Lt => "<",
        CmpOp::Le => "<=",
        CmpOp::Eq => "==",
        CmpOp::Ne => "!=",
        CmpOp::Gt => ">",
        CmpOp::Ge => ">=",
    }
}

/// The operator's method names: (`__add__`, `__radd__`, `__iadd__`) and its symbol.
pub(crate) fn binop_names(op: BinOp) -> (&'static str, &'static str, &'static str, &'static str) {
    match op {
        BinOp::Add => ("__add__", "__radd__", "__iadd__", "+"),
        BinOp::Sub => ("__sub__", "__rsub__", "__isub__", "-"),
        BinOp::Mul => ("__mul__", "__rmul__", "__imul__", "*"),
        BinOp::MatMul => ("__matmul__", "__rmatmul__", "__imatmul__", "@"),
        BinOp::TrueDiv => ("__truediv__", "__rtruediv__", "__itruediv__", "/"),
        BinOp::FloorDiv => ("__floordiv__", "__rfloordiv__", "__ifloordiv__", "//"),
        BinOp::Mod => ("__mod__", "__rmod__", "__imod__", "%"),
        BinOp::Pow => ("__pow__", "__rpow__", "__ipow__", "** or pow()"),
        BinOp::LShift => ("__lshift__", "__rlshift__", "__ilshift__", "<<"),
        BinOp::RShift => ("__rshift__", "__rrshift__", "__irshift__", ">>"),
        BinOp::And => ("__and__", "__rand__", "__iand__", "&"),
        BinOp::Or => ("__or__", "__ror__", "__ior__", "|"),
        BinOp::Xor => ("__xor__", "__rxor__", "__ixor__", "^"),
    }
}

/// `a op b` (CPython's `binary_op1`): numbers and sequences natively, then `__op__` and the
/// reflected `__rop__` (the subclass's first).
pub(crate) fn binary(op: BinOp, a: &PyRef, b: &PyRef) -> PyResult {
    if let (PyRef::A(x), PyRef::A(y)) = (a, b)
        && let Some(r) = num::binary(op, x, y)
    {
        return r;
    }
    if !is_instance_obj(a) && !is_instance_obj(b) {
        if let Some(r) = seq::native_binary(op, a, b)? {
            return Ok(r);
        }
    } else if let Some(r) = instance_binary(op, a, b)? {
        return Ok(r);
    }
    let (_, _, _, sym) = binop_names(op);
    Err(type_error(format!(
        "unsupported operand type(s) for {sym}: '{}' and '{}'",
        type_name(a),
        type_name(b)
    )))
}

fn instance_binary(op: BinOp, a: &PyRef, b: &PyRef) -> PyResult<Option<PyRef>> {
    let (name, rname, _, _) = binop_names(op);
    let (ta, tb) = (type_of(a), type_of(b));
    let same = pymem::Gc::ptr_eq(&ta, &tb);
    let rfirst = !same && crate::types::is_subtype(&tb, &ta) && lookup(&tb, rname).is_some();
    let tries: [(&PyRef, &PyRef, &str); 2] = [(a, b, name), (b, a, rname)];
    let order: &[usize] = if rfirst {
        &[1, 0]
    } else if same {
        &[0]
    } else {
        &[0, 1]
    };
    for &i in order {
        let (x, y, m) = tries[i];
        if let Some(r) = try_method(x, m, y)? {
            return Ok(Some(r));
        }
    }
    seq::native_binary(op, &native_view(a), &native_view(b))
}

/// An instance of a built-in subclass seen as its payload, for the built-in operation.
fn native_view(x: &PyRef) -> PyRef {
    seq::payload_value(x).unwrap_or_else(|| x.clone())
}

fn try_method(x: &PyRef, name: &str, y: &PyRef) -> PyResult<Option<PyRef>> {
    let Some(f) = crate::types::lookup_override(&type_of(x), name) else {
        return Ok(None);
    };
    let r = call::call_bound(&f, x, std::slice::from_ref(y))?;
    Ok((!matches!(r.atom(), Some(Atom::NotImplemented))).then_some(r))
}

/// `a op= b`: `__iop__` first, then the binary operation; lists extend in place.
pub(crate) fn inplace(op: BinOp, a: &PyRef, b: &PyRef) -> PyResult {
    if is_instance_obj(a) {
        let (_, _, iname, _) = binop_names(op);
        if let Some(r) = try_method(a, iname, b)? {
            return Ok(r);
        }
    }
    if let Some(r) = seq::native_inplace(op, a, b)? {
        return Ok(r);
    }
    binary(op, a, b).map_err(|e| inplace_message(e, op, a, b))
}

fn inplace_message(e: PyErr, op: BinOp, a: &PyRef, b: &PyRef) -> PyErr {
    if !e.is("TypeError") || !repr::message_of(&e).starts_with("unsupported operand") {
        return e;
    }
    let (_, _, _, sym) = binop_names(op);
    let sym = if op == BinOp::Pow {
        "**=".to_owned()
    } else {
        format!("{sym}=")
    };
    type_error(format!(
        "unsupported operand type(s) for {sym}: '{}' and '{}'",
        type_name(a),
        type_name(b)
    ))
}

/// `-x`, `+x`, `~x`.
pub(crate) fn unary(op: crate::code::UnOp, x: &PyRef) -> PyResult {
    use crate::code::UnOp;
    if op == UnOp::Not {
        return Ok(val::bool_(!truthy(x)?));
    }
    if let PyRef::A(a) = x
        && let Some(r) = num::unary(op, a)
    {
        return r;
    }
    let (name, sym) = match op {
        UnOp::Neg => ("__neg__", "unary -"),
        UnOp::Pos => ("__pos__", "unary +"),
        _ => ("__invert__", "unary ~"),
    };
    if is_instance_obj(x)
        && let Some(r) = call_special(x, name, &[])?
    {
        return Ok(r);
    }
    Err(type_error(format!(
        "bad operand type for {sym}: '{}'",
        type_name(x)
    )))
}

/// `len(x)`.
pub(crate) fn len(x: &PyRef) -> PyResult<usize> {
    if is_instance_obj(x)
        && let Some(r) = call_special(x, "__len__", &[])?
    {
        return len_result(&r);
    }
    seq::native_len(x)?
        .ok_or_else(|| type_error(format!("object of type '{}' has no len()", type_name(x))))
}

fn len_result(r: &PyRef) -> PyResult<usize> {
    match r.as_i64() {
        Some(n) if n >= 0 && !matches!(r.atom(), Some(Atom::Bool(_))) => Ok(n as usize),
        Some(n) if n >= 0 => Ok(n as usize),
        Some(_) => Err(crate::error::value_error("__len__() should return >= 0")),
        None => Err(type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            type_name(r)
        ))),
    }
}

/// `x[key]`.
pub(crate) fn getitem(x: &PyRef, key: &PyRef) -> PyResult {
    if is_instance_obj(x)
        && let Some(r) = call_special(x, "__getitem__", std::slice::from_ref(key))?
    {
        return Ok(r);
    }
    if let Some(r) = seq::native_getitem(x, key)? {
        return Ok(r);
    }
    if let Some(t) = x.as_type() {
        let found = x.obj().and_then(|c| lookup(c, "__class_getitem__"));
        if let Some(f) = found {
            let f = match f.kind() {
                Some(Kind::ClassMethod(inner)) => inner.clone(),
                _ => f,
            };
            return call::call(&f, &[x.clone(), key.clone()], &[]);
        }
        return Err(type_error(format!(
            "type '{}' is not subscriptable",
            t.name.borrow()
        )));
    }
    Err(type_error(format!(
        "'{}' object is not subscriptable",
        type_name(x)
    )))
}

/// `x[key] = value`.
pub(crate) fn setitem(x: &PyRef, key: &PyRef, value: PyRef) -> PyResult<()> {
    if is_instance_obj(x)
        && let Some(f) = crate::types::lookup_override(&type_of(x), "__setitem__")
    {
        return call::call_bound(&f, x, &[key.clone(), value]).map(drop);
    }
    match seq::native_setitem(x, key, value)? {
        true => Ok(()),
        false => Err(type_error(format!(
            "'{}' object does not support item assignment",
            type_name(x)
        ))),
    }
}

/// `del x[key]`.
pub(crate) fn delitem(x: &PyRef, key: &PyRef) -> PyResult<()> {
    if is_instance_obj(x)
        && let Some(f) = crate::types::lookup_override(&type_of(x), "__delitem__")
    {
        return call::call_bound(&f, x, std::slice::from_ref(key)).map(drop);
    }
    match seq::native_delitem(x, key)? {
        true => Ok(()),
        false => Err(type_error(format!(
            "'{}' object doesn't support item deletion",
            type_name(x)
        ))),
    }
}

/// `item in container`.
pub(crate) fn contains(container: &PyRef, item: &PyRef) -> PyResult<bool> {
    if is_instance_obj(container)
        && let Some(r) = call_special(container, "__contains__", std::slice::from_ref(item))?
    {
        return truthy(&r);
    }
    if let Some(r) = seq::native_contains(container, item)? {
        return Ok(r);
    }
    let it = iter(container).map_err(|_| {
        type_error(format!(
            "argument of type '{}' is not iterable",
            type_name(container)
        ))
    })?;
    while let Some(x) = next(&it)? {
        if eq(&x, item)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// `iter(x)`.
pub(crate) fn iter(x: &PyRef) -> PyResult {
    iter::get_iter(x)
}

/// `next(it)`, with `None` for exhaustion (StopIteration without a value).
pub(crate) fn next(it: &PyRef) -> PyResult<Option<PyRef>> {
    iter::next(it)
}

/// Collects an iterable into a vector.
pub(crate) fn collect(x: &PyRef) -> PyResult<Vec<PyRef>> {
    if let Some(t) = x.as_tuple() {
        return Ok(t.to_vec());
    }
    if let (Some(l), false) = (x.as_list(), is_instance_obj(x)) {
        return Ok(l.borrow().clone());
    }
    let it = iter(x)?;
    let mut out = Vec::new();
    while let Some(v) = next(&it)? {
        out.push(v);
        crate::interp::check_len(out.len())?;
    }
    Ok(out)
}

/// `operator.index(x)` as an i64 (OverflowError beyond).
pub(crate) fn index(x: &PyRef) -> PyResult<i64> {
    if let Some(i) = x.as_i64() {
        return Ok(i);
    }
    if let Some(Atom::Big(_)) = x.atom() {
        return Err(crate::error::err(
            "IndexError",
            "cannot fit 'int' into an index-sized integer",
        ));
    }
    if is_instance_obj(x)
        && let Some(r) = call_special(x, "__index__", &[])?
    {
        return index(&r);
    }
    Err(type_error(format!(
        "'{}' object cannot be interpreted as an integer",
        type_name(x)
    )))
}

/// `getattr(x, "name")`.
pub(crate) fn getattr_str(x: &PyRef, name: &str) -> PyResult {
    attr::getattr(x, &val::str_(name))
}

/// The name of a type or function as `Rc<str>`.
pub(crate) fn name_of(x: &PyRef) -> Option<Rc<str>> {
    match x.kind()? {
        Kind::Type(t) => Some(t.name.borrow().clone()),
        Kind::Function(f) => Some(f.name.borrow().clone()),
        Kind::Builtin(d, _) => Some(d.name.into()),
        _ => None,
    }
}

/// The result of `dictops::get` on a dict object (`None` if `x` is not a dict).
pub(crate) fn dict_lookup(x: &PyRef, key: &PyRef) -> PyResult<Option<PyRef>> {
    match x.as_dict() {
        Some(d) => dictops::get(d, key),
        None => Ok(None),
    }
}
