//! (L2) Numbers: int (i64 with BigInt overflow), bool, float and complex arithmetic with
//! CPython's semantics and messages.
//!
//! Ints take an i64 fast path whose checked operations overflow into `BigInt`; results go
//! through [`val::bigint`], which returns to the i64 form whenever the value fits. Floats
//! follow `floatobject.c` (Python's sign rules for `//` and `%`, `pow`'s special cases), and
//! mixed comparisons are exact, as CPython's `float_richcompare`.

use std::borrow::Cow;
use std::cmp::Ordering;

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Signed, Zero};

use crate::code::{BinOp, CmpOp, UnOp};
use crate::error::{PyResult, err_args, type_error, value_error};
use crate::obj::{Atom, PyRef};
use crate::val;

mod complex;
mod float;
mod int;
mod parse;
mod round;
#[cfg(test)]
mod tests;

pub(crate) use complex::abs as complex_abs;
pub(crate) use float::float_to_int;
#[allow(unused_imports)] // until `int()` and `float()` call them
pub(crate) use parse::{complex_from_str, float_from_str, int_from_str};
pub(crate) use round::{round_float, round_int};

/// What `x.__float__()` returned, `r`, as an f64: CPython's TypeError when it is not a
/// float (for `float()` and the `math` functions alike).
pub(crate) fn float_result(x: &PyRef, r: &PyRef) -> PyResult<f64> {
    match r.atom() {
        Some(Atom::Float(f)) => Ok(*f),
        _ => Err(type_error(format!(
            "{}.__float__ returned non-float (type {})",
            crate::types::type_name(x),
            crate::types::type_name(r)
        ))),
    }
}

/// A numeric operand, borrowed from its atom; bools are ints.
#[derive(Clone, Copy)]
enum Num<'a> {
    Int(i64),
    Big(&'a BigInt),
    Float(f64),
}

impl<'a> Num<'a> {
    /// The number an atom holds, if it is one.
    fn of(a: &'a Atom) -> Option<Num<'a>> {
        match a {
            Atom::Int(i) => Some(Num::Int(*i)),
            Atom::Bool(b) => Some(Num::Int(*b as i64)),
            Atom::Big(b) => Some(Num::Big(b)),
            Atom::Float(f) => Some(Num::Float(*f)),
            _ => None,
        }
    }

    /// An int as a big integer (borrowed when it is one); not called on floats.
    fn big(self) -> Cow<'a, BigInt> {
        match self {
            Num::Int(i) => Cow::Owned(BigInt::from(i)),
            Num::Big(b) => Cow::Borrowed(b),
            Num::Float(_) => unreachable!("ints only"),
        }
    }

    /// The value as a float; OverflowError for an int beyond the float range.
    fn float(self) -> PyResult<f64> {
        match self {
            Num::Int(i) => Ok(i as f64),
            Num::Big(b) => float::big_to_f64(b),
            Num::Float(f) => Ok(f),
        }
    }

    /// Whether this is a float.
    fn is_float(self) -> bool {
        matches!(self, Num::Float(_))
    }
}

/// `a op b` when both are numbers (int, bool, float, complex); `None` otherwise, and for
/// operators the operands do not support (`@`, shifts and bitwise operators of floats,
/// `//` and `%` of complex numbers).
pub(crate) fn binary(op: BinOp, a: &Atom, b: &Atom) -> Option<PyResult> {
    if is_complex(a) || is_complex(b) {
        return complex::binary(op, a, b);
    }
    if let (Atom::Bool(x), Atom::Bool(y)) = (a, b)
        && let Some(r) = bool_bitwise(op, *x, *y)
    {
        return Some(Ok(val::bool_(r)));
    }
    let (x, y) = (Num::of(a)?, Num::of(b)?);
    match (x, y) {
        _ if x.is_float() || y.is_float() => float::binary(op, x, y),
        (Num::Int(i), Num::Int(j)) => int::small(op, i, j),
        _ => int::big(op, &x.big(), &y.big()),
    }
}

/// `&`, `|` and `^` of two bools are bools.
fn bool_bitwise(op: BinOp, a: bool, b: bool) -> Option<bool> {
    match op {
        BinOp::And => Some(a & b),
        BinOp::Or => Some(a | b),
        BinOp::Xor => Some(a ^ b),
        _ => None,
    }
}

/// `-a`, `+a`, `~a` for a number (a bool gives an int); `None` otherwise (and for `~` of a
/// float, and `not`, which the caller handles).
pub(crate) fn unary(op: UnOp, a: &Atom) -> Option<PyResult> {
    if let Atom::Complex(re, im) = a {
        return complex::unary(op, *re, *im);
    }
    let r = match (Num::of(a)?, op) {
        (Num::Int(i), UnOp::Neg) => i
            .checked_neg()
            .map_or_else(|| val::bigint(-BigInt::from(i)), val::int),
        (Num::Int(i), UnOp::Pos) => val::int(i),
        (Num::Int(i), UnOp::Invert) => val::int(!i),
        (Num::Big(b), UnOp::Neg) => val::bigint(-b),
        (Num::Big(b), UnOp::Pos) => val::bigint(b.clone()),
        (Num::Big(b), UnOp::Invert) => val::bigint(!b),
        (Num::Float(f), UnOp::Neg) => val::float(-f),
        (Num::Float(f), UnOp::Pos) => val::float(f),
        _ => return None,
    };
    Some(Ok(r))
}

/// `a op b` when both are numbers (compared exactly, as CPython does for int against float),
/// both strs (by code point) or both bytes; `None` for any other pair.
pub(crate) fn compare(a: &Atom, b: &Atom, op: CmpOp) -> Option<bool> {
    let ord = match (a, b) {
        // UTF-8 orders as code points do.
        (Atom::Str(x), Atom::Str(y)) => Some(x.s.cmp(&y.s)),
        (Atom::Bytes(x), Atom::Bytes(y)) => Some(x.cmp(y)),
        (Atom::Complex(..), _) | (_, Atom::Complex(..)) => return complex::compare(a, b, op),
        _ => num_cmp(Num::of(a)?, Num::of(b)?),
    };
    Some(holds(ord, op))
}

/// Whether `op` holds for an ordering; `None` (a NaN was compared) satisfies only `!=`.
fn holds(ord: Option<Ordering>, op: CmpOp) -> bool {
    let Some(o) = ord else { return op == CmpOp::Ne };
    match op {
        CmpOp::Lt => o.is_lt(),
        CmpOp::Le => o.is_le(),
        CmpOp::Eq => o.is_eq(),
        CmpOp::Ne => o.is_ne(),
        CmpOp::Gt => o.is_gt(),
        CmpOp::Ge => o.is_ge(),
    }
}

/// The exact order of two numbers; `None` when a NaN is involved.
fn num_cmp(x: Num<'_>, y: Num<'_>) -> Option<Ordering> {
    match (x, y) {
        (Num::Int(i), Num::Int(j)) => Some(i.cmp(&j)),
        (Num::Float(f), Num::Float(g)) => f.partial_cmp(&g),
        (Num::Float(f), _) => float::int_float_cmp(y, f).map(Ordering::reverse),
        (_, Num::Float(f)) => float::int_float_cmp(x, f),
        _ => Some(x.big().cmp(&y.big())),
    }
}

/// The value of an int (or bool) as a big integer; `None` for anything else.
pub(crate) fn to_bigint(a: &Atom) -> Option<BigInt> {
    match Num::of(a)? {
        Num::Float(_) => None,
        n => Some(n.big().into_owned()),
    }
}

/// The value of a number as a float (`float(x)`); `None` if `a` is not a number, and
/// OverflowError "int too large to convert to float" beyond the float range.
#[allow(dead_code)] // until the builtins call it instead of their own copy
pub(crate) fn to_f64(a: &Atom) -> PyResult<Option<f64>> {
    Num::of(a).map(Num::float).transpose()
}

/// `divmod(a, b)` as a tuple when both are numbers; `None` otherwise.
#[allow(dead_code)] // until the builtins call it instead of their own copy
pub(crate) fn divmod(a: &Atom, b: &Atom) -> Option<PyResult> {
    let (x, y) = (Num::of(a)?, Num::of(b)?);
    let pair = match (x, y) {
        _ if x.is_float() || y.is_float() => float::divmod(x, y),
        _ => int::divmod(&x.big(), &y.big()),
    };
    Some(pair.map(|(q, r)| val::tuple(vec![q, r])))
}

/// `pow(a, b, m)`: modular exponentiation of ints; a negative exponent uses the modular
/// inverse of the base (Python 3.8+).
#[allow(dead_code)] // until the builtins call it instead of their own copy
pub(crate) fn pow3(a: &PyRef, b: &PyRef, m: &PyRef) -> PyResult {
    let ints = [a, b, m].map(|x| x.atom().and_then(to_bigint));
    let [Some(base), Some(exp), Some(modulus)] = ints else {
        return Err(pow3_type_error(a, b, m));
    };
    if modulus.is_zero() {
        return Err(value_error("pow() 3rd argument cannot be 0"));
    }
    if modulus.abs().is_one() {
        return Ok(val::int(0));
    }
    let base = if exp.is_negative() {
        invert(&base, &modulus)?
    } else {
        base
    };
    Ok(val::bigint(base.modpow(&exp.abs(), &modulus)))
}

/// The inverse of `a` modulo `|m|`, for a negative exponent.
fn invert(a: &BigInt, m: &BigInt) -> PyResult<BigInt> {
    let m = m.abs();
    match a.mod_floor(&m).modinv(&m) {
        Some(x) => Ok(x),
        None => Err(value_error("base is not invertible for the given modulus")),
    }
}

/// The error of a three-argument `pow` with an argument that is not an int, from the slots
/// CPython tries in argument order: float's refuses any modulus before looking at the
/// operands; complex's refuses it once the base and exponent are numbers (and returns
/// NotImplemented otherwise); when no slot answers, no type supports the operation.
fn pow3_type_error(a: &PyRef, b: &PyRef, m: &PyRef) -> crate::error::PyErr {
    let is_num = |x: &PyRef| {
        x.atom()
            .is_some_and(|x| is_complex(x) || Num::of(x).is_some())
    };
    for x in [a, b, m].iter().filter_map(|x| x.atom()) {
        match x {
            Atom::Float(_) => {
                return type_error(
                    "pow() 3rd argument not allowed unless all arguments are integers",
                );
            }
            Atom::Complex(..) if is_num(a) && is_num(b) => return value_error("complex modulo"),
            _ => {}
        }
    }
    let names = [a, b, m].map(|x| format!("'{}'", crate::types::type_name(x)));
    type_error(format!(
        "unsupported operand type(s) for ** or pow(): {}",
        names.join(", ")
    ))
}

/// Whether an atom is a complex.
fn is_complex(a: &Atom) -> bool {
    matches!(a, Atom::Complex(..))
}

/// `MemoryError()`: what CPython raises for an int too large to allocate.
fn memory_error() -> crate::error::PyErr {
    err_args("MemoryError", vec![])
}
