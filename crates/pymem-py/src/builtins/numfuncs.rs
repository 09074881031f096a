//! The numeric built-ins (`abs`, `round`, `divmod`, `pow`) and `format`, with the
//! f-string field formatting the evaluator calls.

use num_bigint::BigInt;
use num_traits::{Signed, ToPrimitive};

use super::args::{Sig, bind, count, no_kwargs, one};
use crate::call::Kwargs;
use crate::code::BinOp;
use crate::error::{PyErr, PyResult, err, overflow_error, type_error, value_error};
use crate::format::FormatError;
use crate::obj::{Atom, BuiltinDef, Kind, PyRef};
use crate::types::{lookup, type_name, type_of};
use crate::{call, ops, val};

/// The functions of this module, by Python name.
pub(super) const FUNCS: &[BuiltinDef] = &[
    BuiltinDef {
        name: "abs",
        func: abs,
    },
    BuiltinDef {
        name: "round",
        func: round,
    },
    BuiltinDef {
        name: "divmod",
        func: divmod,
    },
    BuiltinDef {
        name: "pow",
        func: pow,
    },
    BuiltinDef {
        name: "format",
        func: format,
    },
];

/// An int or bool as a BigInt, `None` for anything else.
fn int_value(x: &PyRef) -> Option<BigInt> {
    match x.atom()? {
        Atom::Big(b) => Some(b.clone()),
        _ => x.as_i64().map(BigInt::from),
    }
}

/// `abs(x)`.
fn abs(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    let x = one("abs", args, kwargs)?;
    if let Some(Atom::Float(f)) = x.atom() {
        return Ok(val::float(f.abs()));
    }
    if let Some(Atom::Complex(re, im)) = x.atom() {
        return crate::num::complex_abs(*re, *im).map(val::float);
    }
    if let Some(b) = int_value(x) {
        return Ok(val::bigint(b.abs()));
    }
    match special(x, "__abs__", &[])? {
        Some(r) => Ok(r),
        None => Err(type_error(format!(
            "bad operand type for abs(): '{}'",
            type_name(x)
        ))),
    }
}

/// Calls a special method an instance's class defines in Python.
fn special(x: &PyRef, name: &str, args: &[PyRef]) -> PyResult<Option<PyRef>> {
    if x.as_instance().is_none() {
        return Ok(None);
    }
    match lookup(&type_of(x), name) {
        Some(f) if !matches!(f.kind(), Some(Kind::Builtin(..))) => {
            call::call_bound(&f, x, args).map(Some)
        }
        _ => Ok(None),
    }
}

/// `round(number, ndigits=None)`.
fn round(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    const SIG: Sig = Sig {
        name: "round",
        names: &["number", "ndigits"],
        posonly: 0,
        required: 1,
    };
    let a = bind(&SIG, args, kwargs)?;
    let x = a[0].as_ref().expect("required");
    let nd = a[1].as_ref().filter(|n| !n.is_none());
    if let Some(r) = special(
        x,
        "__round__",
        nd.map(std::slice::from_ref).unwrap_or_default(),
    )? {
        return Ok(r);
    }
    let nd = nd.map(ndigits).transpose()?;
    match x.atom() {
        Some(Atom::Float(f)) => crate::num::round_float(*f, nd),
        Some(a) if int_value(x).is_some() => crate::num::round_int(a, nd.unwrap_or(0)),
        _ => Err(type_error(format!(
            "type {} doesn't define __round__ method",
            type_name(x)
        ))),
    }
}

/// The `ndigits` argument, clamped to the i64 range.
fn ndigits(n: &PyRef) -> PyResult<i64> {
    let b = super::funcs::to_bigint(n)?;
    Ok(b.to_i64()
        .unwrap_or(if b.is_negative() { i64::MIN } else { i64::MAX }))
}

/// `divmod(a, b)`.
fn divmod(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    no_kwargs("divmod", kwargs)?;
    count("divmod", args, 2, 2)?;
    let (a, b) = (&args[0], &args[1]);
    if let Some(r) = reflected(a, b, "__divmod__", "__rdivmod__")? {
        return Ok(r);
    }
    if let (Some(x), Some(y)) = (a.atom(), b.atom())
        && let Some(r) = crate::num::divmod(x, y)
    {
        return r;
    }
    Err(type_error(format!(
        "unsupported operand type(s) for divmod(): '{}' and '{}'",
        type_name(a),
        type_name(b)
    )))
}

/// `a.__op__(b)`, then `b.__rop__(a)`, for instances; `None` when neither answers.
fn reflected(a: &PyRef, b: &PyRef, op: &str, rop: &str) -> PyResult<Option<PyRef>> {
    let answered = |r: Option<PyRef>| r.filter(|v| !matches!(v.atom(), Some(Atom::NotImplemented)));
    if let Some(r) = answered(special(a, op, std::slice::from_ref(b))?) {
        return Ok(Some(r));
    }
    Ok(answered(special(b, rop, std::slice::from_ref(a))?))
}

/// `pow(base, exp, mod=None)`.
fn pow(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    const SIG: Sig = Sig {
        name: "pow",
        names: &["base", "exp", "mod"],
        posonly: 0,
        required: 2,
    };
    let a = bind(&SIG, args, kwargs)?;
    let (base, exp) = (
        a[0].as_ref().expect("required"),
        a[1].as_ref().expect("required"),
    );
    match a[2].as_ref().filter(|m| !m.is_none()) {
        None => ops::binary(BinOp::Pow, base, exp),
        Some(m) => pow3(base, exp, m),
    }
}

/// Three-argument `pow`: modular exponentiation of ints.
fn pow3(base: &PyRef, exp: &PyRef, m: &PyRef) -> PyResult {
    if let Some(r) = special(base, "__pow__", &[exp.clone(), m.clone()])?
        && !matches!(r.atom(), Some(Atom::NotImplemented))
    {
        return Ok(r);
    }
    crate::num::pow3(base, exp, m)
}

/// `format(value, format_spec='')`.
fn format(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    no_kwargs("format", kwargs)?;
    count("format", args, 1, 2)?;
    let spec = match args.get(1) {
        Some(s) => s.as_str().ok_or_else(|| {
            type_error(format!(
                "format() argument 2 must be str, not {}",
                type_name(s)
            ))
        })?,
        None => "",
    };
    format_obj(&args[0], spec)
}

/// `format(v, spec)`: an instance's `__format__`, the built-in formats of int, float and
/// str, and `str(v)` for an empty spec otherwise.
pub(crate) fn format_obj(v: &PyRef, spec: &str) -> PyResult {
    if let Some(r) = special(v, "__format__", &[val::str_(spec)])? {
        return match r.as_str() {
            Some(_) => Ok(r),
            None => Err(type_error(format!(
                "__format__ must return a str, not {}",
                type_name(&r)
            ))),
        };
    }
    let text = match v.atom() {
        Some(Atom::Bool(_)) if spec.is_empty() => return ops::to_str(v),
        Some(Atom::Float(f)) => crate::format::format_float(*f, spec),
        Some(Atom::Complex(re, im)) => crate::format::format_complex(*re, *im, spec),
        Some(Atom::Str(s)) => crate::format::format_str(&s.s, spec),
        _ => match int_value(v) {
            Some(b) => crate::format::format_int(&b, spec),
            None if spec.is_empty() => return ops::to_str(v),
            None => {
                let t = type_name(v);
                return Err(type_error(format!(
                    "unsupported format string passed to {t}.__format__"
                )));
            }
        },
    };
    text.map(val::string).map_err(format_error)
}

/// The Python exception for a formatting failure.
pub(crate) fn format_error(e: FormatError) -> PyErr {
    match e {
        FormatError::Value(m) => value_error(m),
        FormatError::Type(m) => type_error(m),
        FormatError::Overflow(m) => overflow_error(m),
    }
}

/// An f-string field `{v!conv:spec}`: the conversion (`s`, `r`, `a` or none), then
/// `format(value, spec)`.
pub(crate) fn format_value(v: &PyRef, conv: u8, spec: Option<&PyRef>) -> PyResult {
    let v = match conv {
        b's' => ops::to_str(v)?,
        b'r' => val::string(ops::repr(v)?),
        b'a' => val::string(super::funcs::ascii_of(v)?),
        _ => v.clone(),
    };
    let spec = match spec {
        Some(s) => s
            .as_str()
            .ok_or_else(|| err("SystemError", "format spec is not a str"))?,
        None => "",
    };
    if spec.is_empty() && v.as_str().is_some() {
        return Ok(v);
    }
    format_obj(&v, spec)
}
