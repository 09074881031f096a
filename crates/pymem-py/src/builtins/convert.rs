//! Calling the scalar types: `int()`, `float()`, `str()`, `bytes()` and `bytearray()`,
//! with CPython's messages (the parsing of numbers from text is `num`'s).

use super::args::{Sig, bind, count, kwarg, no_kwargs, only_kwargs, opt};
use crate::call::Kwargs;
use crate::error::{PyErr, PyResult, overflow_error, type_error, value_error};
use crate::obj::{Atom, Kind, PyRef};
use crate::types::type_name;
use crate::{attr, call, ops, val};

/// `int(x=0)` and `int(x, base=10)`.
pub(super) fn int_new(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    only_kwargs("int", kwargs, &["base"])?;
    count("int", args, 0, 2)?;
    let base = args.get(1).cloned().or_else(|| kwarg(kwargs, "base"));
    match (args.first(), base) {
        (None, None) => Ok(val::int(0)),
        (None, Some(_)) => Err(type_error("int() missing string argument")),
        (Some(x), None) => int_of(x),
        (Some(x), Some(b)) => int_with_base(x, &b),
    }
}

/// `int(x, base)`: only text may be given a base.
fn int_with_base(x: &PyRef, base: &PyRef) -> PyResult {
    let b = ops::index(base)?;
    let Some(b) = u32::try_from(b)
        .ok()
        .filter(|&b| b == 0 || (2..=36).contains(&b))
    else {
        return Err(value_error("int() base must be >= 2 and <= 36, or 0"));
    };
    match text_of(x) {
        Some(s) => parse_int(&s, b, x),
        None => Err(type_error(
            "int() can't convert non-string with explicit base",
        )),
    }
}

/// A str as is, or bytes and bytearray read as Latin-1, for parsing numbers.
fn text_of(x: &PyRef) -> Option<String> {
    match (x.atom(), x.payload()) {
        (Some(Atom::Str(s)), _) => Some(s.s.to_string()),
        (Some(Atom::Bytes(b)), _) => Some(b.iter().map(|&c| c as char).collect()),
        (_, Some(Kind::ByteArray(b))) => Some(b.borrow().iter().map(|&c| c as char).collect()),
        _ => None,
    }
}

/// `int(x)` without a base.
pub(super) fn int_of(x: &PyRef) -> PyResult {
    match x.atom() {
        Some(Atom::Int(i)) => return Ok(val::int(*i)),
        Some(Atom::Bool(b)) => return Ok(val::int(*b as i64)),
        Some(Atom::Big(_)) => return Ok(x.clone()),
        Some(Atom::Float(f)) => return crate::num::float_to_int(*f),
        _ => {}
    }
    if let Some(s) = text_of(x) {
        return parse_int(&s, 10, x);
    }
    for (name, what) in [
        ("__int__", "__int__"),
        ("__index__", "__index__"),
        ("__trunc__", "__trunc__"),
    ] {
        if let Some(r) = special(x, name)? {
            return int_result(&r, what);
        }
    }
    Err(type_error(format!(
        "int() argument must be a string, a bytes-like object or a real number, not '{}'",
        type_name(x)
    )))
}

/// Calls a special method the instance's class defines.
fn special(x: &PyRef, name: &str) -> PyResult<Option<PyRef>> {
    match x.as_instance() {
        Some(_) => ops::call_special(x, name, &[]),
        None => Ok(None),
    }
}

/// The result of `__int__` or `__index__`, which must be an int.
fn int_result(r: &PyRef, what: &str) -> PyResult {
    match r.atom() {
        Some(Atom::Int(_) | Atom::Big(_)) => Ok(r.clone()),
        Some(Atom::Bool(b)) => Ok(val::int(*b as i64)),
        _ => Err(type_error(format!(
            "{what} returned non-int (type {})",
            type_name(r)
        ))),
    }
}

/// `int(s, base)` for the text of a str, bytes or bytearray (`original`): a bad literal
/// of bytes shows as bytes, as CPython's message does.
fn parse_int(s: &str, base: u32, original: &PyRef) -> PyResult {
    match crate::num::int_from_str(s, base) {
        Err(e) if e.is("ValueError") && original.as_str().is_none() => {
            let r = ops::repr(original)?;
            Err(value_error(format!(
                "invalid literal for int() with base {base}: {r}"
            )))
        }
        r => r,
    }
}

/// `float(x=0.0)`.
pub(super) fn float_new(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    no_kwargs("float", kwargs)?;
    count("float", args, 0, 1)?;
    match args.first() {
        None => Ok(val::float(0.0)),
        Some(x) if matches!(x.atom(), Some(Atom::Float(_))) => Ok(x.clone()),
        Some(x) => float_of(x).map(val::float),
    }
}

/// `float(x)` as an f64.
pub(super) fn float_of(x: &PyRef) -> PyResult<f64> {
    if let Some(f) = x.atom().map(crate::num::to_f64).transpose()?.flatten() {
        return Ok(f);
    }
    if let Some(s) = text_of(x) {
        return match crate::num::float_from_str(&s) {
            Err(e) if e.is("ValueError") && x.as_str().is_none() => {
                let r = ops::repr(x)?;
                Err(value_error(format!(
                    "could not convert string to float: {r}"
                )))
            }
            r => r,
        };
    }
    if let Some(r) = special(x, "__float__")? {
        return crate::num::float_result(x, &r);
    }
    if let Some(r) = special(x, "__index__")? {
        return float_of(&int_result(&r, "__index__")?);
    }
    Err(type_error(format!(
        "float() argument must be a string or a real number, not '{}'",
        type_name(x)
    )))
}

/// `str(object='')` and `str(object=b'', encoding='utf-8', errors='strict')`.
pub(super) fn str_new(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    count("str", args, 0, 3)?;
    const SIG: Sig = Sig {
        name: "str",
        names: &["object", "encoding", "errors"],
        posonly: 0,
        required: 0,
    };
    let a = bind(&SIG, args, kwargs)?;
    let Some(x) = &a[0] else {
        return Ok(val::str_(""));
    };
    if a[1].is_none() && a[2].is_none() {
        return ops::to_str(x);
    }
    if text_of(x).is_none() || x.as_str().is_some() {
        return Err(type_error(format!(
            "decoding to str: need a bytes-like object, {} found",
            type_name(x)
        )));
    }
    let decode = attr::getattr(x, &val::str_("decode"))?;
    let encoding = a[1].clone().unwrap_or_else(|| val::str_("utf-8"));
    let errors = a[2].clone().unwrap_or_else(|| val::str_("strict"));
    call::call(&decode, &[encoding, errors], &[])
}

/// `bytes(source=b'', encoding=…, errors=…)`.
pub(super) fn bytes_new(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    if let ([x], true) = (args, kwargs.is_empty())
        && matches!(x.atom(), Some(Atom::Bytes(_)))
    {
        return Ok(x.clone());
    }
    Ok(val::bytes(byte_source("bytes", args, kwargs)?))
}

/// `bytearray(source=b'', encoding=…, errors=…)`.
pub(super) fn bytearray_new(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    let b = byte_source("bytearray", args, kwargs)?;
    Ok(crate::seq::bytearray(b))
}

/// The bytes `bytes()` and `bytearray()` are made of.
fn byte_source(name: &'static str, args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult<Vec<u8>> {
    count(name, args, 0, 3)?;
    let sig = Sig {
        name,
        names: &["source", "encoding", "errors"],
        posonly: 0,
        required: 0,
    };
    let a = bind(&sig, args, kwargs)?;
    let Some(x) = &a[0] else {
        return Ok(Vec::new());
    };
    if let Some(s) = x.as_str() {
        let Some(enc) = opt(&a[1]) else {
            return Err(type_error("string argument without an encoding"));
        };
        let errors = a[2].clone().unwrap_or_else(|| val::str_("strict"));
        let r = call::call(
            &attr::getattr(&val::str_(s), &val::str_("encode"))?,
            &[enc.clone(), errors],
            &[],
        )?;
        return Ok(bytes_of(&r).unwrap_or_default());
    }
    if a[1].is_some() {
        return Err(type_error("encoding without a string argument"));
    }
    bytes_from_object(x)
}

/// The contents of a bytes or bytearray.
fn bytes_of(x: &PyRef) -> Option<Vec<u8>> {
    match (x.atom(), x.payload()) {
        (Some(Atom::Bytes(b)), _) => Some(b.to_vec()),
        (_, Some(Kind::ByteArray(b))) => Some(b.borrow().clone()),
        _ => None,
    }
}

/// `bytes(x)` for a count, a bytes-like object, `__bytes__`, or an iterable of ints.
fn bytes_from_object(x: &PyRef) -> PyResult<Vec<u8>> {
    if let Some(b) = bytes_of(x) {
        return Ok(b);
    }
    match x.atom() {
        Some(Atom::Int(_) | Atom::Bool(_)) => return zeros(ops::index(x)?),
        Some(Atom::Big(_)) => {
            return Err(overflow_error(
                "cannot fit 'int' into an index-sized integer",
            ));
        }
        Some(Atom::Float(_)) => return Err(cannot_convert(x)),
        _ => {}
    }
    if let Some(r) = special(x, "__bytes__")? {
        return bytes_of(&r).ok_or_else(|| {
            type_error(format!(
                "__bytes__ returned non-bytes (type {})",
                type_name(&r)
            ))
        });
    }
    if x.as_instance().is_some()
        && crate::types::lookup(&crate::types::type_of(x), "__index__").is_some()
    {
        return zeros(ops::index(x)?);
    }
    let items = ops::collect(x).map_err(|e| {
        if e.is("TypeError") {
            cannot_convert(x)
        } else {
            e
        }
    })?;
    items.iter().map(byte_value).collect()
}

/// `n` zero bytes.
fn zeros(n: i64) -> PyResult<Vec<u8>> {
    match usize::try_from(n) {
        Ok(n) => Ok(vec![0; n]),
        Err(_) => Err(value_error("negative count")),
    }
}

/// One item of an iterable given to `bytes()`.
fn byte_value(x: &PyRef) -> PyResult<u8> {
    let i = ops::index(x)?;
    u8::try_from(i).map_err(|_| value_error("bytes must be in range(0, 256)"))
}

#[cold]
fn cannot_convert(x: &PyRef) -> PyErr {
    type_error(format!("cannot convert '{}' object to bytes", type_name(x)))
}
