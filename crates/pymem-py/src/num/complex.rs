//! Complex arithmetic as CPython's `complexobject.c`: the same algorithms (`_Py_c_prod`,
//! Smith's division in `_Py_c_quot`, `c_powi` for small integral exponents, `_Py_c_pow`
//! otherwise) in the same order of operations, so results are bit-identical.
//!
//! CPython 3.13 widens an int or float operand to a complex with a zero imaginary part
//! before any operation (`to_complex`), and so does this module.

use super::Num;
use crate::code::{BinOp, CmpOp};
use crate::error::{PyResult, err, overflow_error};
use crate::obj::Atom;
use crate::val;

/// A complex value: `(real, imag)`.
pub(crate) type C = (f64, f64);

/// Why an operation failed: CPython's `errno` values `EDOM` and `ERANGE`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Errno {
    Dom,
    Range,
}

/// The complex value of a number atom (an int or float widened); `None` for other atoms.
/// OverflowError for an int beyond the float range.
fn of(a: &Atom) -> Option<PyResult<C>> {
    if let Atom::Complex(re, im) = a {
        return Some(Ok((*re, *im)));
    }
    Some(Num::of(a)?.float().map(|re| (re, 0.0)))
}

/// `a op b` when either is a complex and both are numbers; `None` otherwise.
pub(super) fn binary(op: BinOp, a: &Atom, b: &Atom) -> Option<PyResult> {
    if !matches!(a, Atom::Complex(..)) && !matches!(b, Atom::Complex(..)) {
        return None;
    }
    let (x, y) = (of(a)?, of(b)?);
    if !matches!(
        op,
        BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::TrueDiv | BinOp::Pow
    ) {
        return None;
    }
    Some(x.and_then(|x| y.and_then(|y| arith(op, x, y))))
}

/// `x op y` for one of complex's five operators.
fn arith(op: BinOp, x: C, y: C) -> PyResult {
    let r = match op {
        BinOp::Add => (x.0 + y.0, x.1 + y.1),
        BinOp::Sub => (x.0 - y.0, x.1 - y.1),
        BinOp::Mul => prod(x, y),
        BinOp::TrueDiv => quot(x, y).map_err(|_| zero_division("complex division by zero"))?,
        _ => pow(x, y).map_err(pow_error)?,
    };
    Ok(val::complex(r.0, r.1))
}

/// The error of a failed `**`, as `complex_pow` raises it.
fn pow_error(e: Errno) -> crate::error::PyErr {
    match e {
        Errno::Dom => zero_division("0.0 to a negative or complex power"),
        Errno::Range => overflow_error("complex exponentiation"),
    }
}

fn zero_division(msg: &str) -> crate::error::PyErr {
    err("ZeroDivisionError", msg)
}

/// `_Py_c_prod`.
pub(crate) fn prod(a: C, b: C) -> C {
    (a.0 * b.0 - a.1 * b.1, a.0 * b.1 + a.1 * b.0)
}

/// `_Py_c_quot`: Smith's algorithm, dividing through by the larger part of `b`.
pub(crate) fn quot(a: C, b: C) -> Result<C, Errno> {
    let (abs_re, abs_im) = (b.0.abs(), b.1.abs());
    if abs_re >= abs_im {
        if abs_re == 0.0 {
            return Err(Errno::Dom);
        }
        let ratio = b.1 / b.0;
        let denom = b.0 + b.1 * ratio;
        Ok(((a.0 + a.1 * ratio) / denom, (a.1 - a.0 * ratio) / denom))
    } else if abs_im >= abs_re {
        let ratio = b.0 / b.1;
        let denom = b.0 * ratio + b.1;
        Ok(((a.0 * ratio + a.1) / denom, (a.1 * ratio - a.0) / denom))
    } else {
        // A part of `b` is a NaN.
        Ok((f64::NAN, f64::NAN))
    }
}

/// `complex_pow`: `c_powi` for an integral exponent of at most 100 in magnitude (faster
/// and more accurate), `_Py_c_pow` otherwise; an infinite result is an overflow
/// (`_Py_ADJUST_ERANGE2`).
pub(crate) fn pow(a: C, b: C) -> Result<C, Errno> {
    let r = if b.1 == 0.0 && b.0 == b.0.floor() && b.0.abs() <= 100.0 {
        powi(a, b.0 as i64)?
    } else {
        c_pow(a, b)?
    };
    match r.0.is_infinite() || r.1.is_infinite() {
        true => Err(Errno::Range),
        false => Ok(r),
    }
}

/// `_Py_c_pow`: through polar form. Of the C library's `errno`s only EDOM can survive
/// `complex_pow`'s adjustment, and only cos and sin of an infinite phase set it here.
fn c_pow(a: C, b: C) -> Result<C, Errno> {
    if b == (0.0, 0.0) {
        return Ok((1.0, 0.0));
    }
    if a == (0.0, 0.0) {
        return match b.1 != 0.0 || b.0 < 0.0 {
            true => Err(Errno::Dom),
            false => Ok((0.0, 0.0)),
        };
    }
    let vabs = a.0.hypot(a.1);
    let mut len = vabs.powf(b.0);
    let at = a.1.atan2(a.0);
    let mut phase = at * b.0;
    if b.1 != 0.0 {
        len /= (at * b.1).exp();
        phase += b.1 * vabs.ln();
    }
    // C's cos and sin of an infinity set errno to EDOM, which complex_pow reports.
    if phase.is_infinite() {
        return Err(Errno::Dom);
    }
    Ok((len * phase.cos(), len * phase.sin()))
}

/// `c_powi`: a negative power is the reciprocal of the positive one.
fn powi(x: C, n: i64) -> Result<C, Errno> {
    match n > 0 {
        true => Ok(powu(x, n)),
        false => quot((1.0, 0.0), powu(x, -n)),
    }
}

/// `c_powu`: binary exponentiation by squaring.
fn powu(x: C, n: i64) -> C {
    let (mut r, mut p, mut mask) = ((1.0, 0.0), x, 1i64);
    while mask > 0 && n >= mask {
        if n & mask != 0 {
            r = prod(r, p);
        }
        mask <<= 1;
        p = prod(p, p);
    }
    r
}

/// `_Py_c_abs`: an infinite part makes the result infinite even beside a NaN;
/// OverflowError "absolute value too large" when a finite value's modulus overflows.
pub(crate) fn abs(re: f64, im: f64) -> PyResult<f64> {
    if re.is_infinite() || im.is_infinite() {
        return Ok(f64::INFINITY);
    }
    if re.is_nan() || im.is_nan() {
        return Ok(f64::NAN);
    }
    let r = re.hypot(im);
    match r.is_finite() {
        true => Ok(r),
        false => Err(overflow_error("absolute value too large")),
    }
}

/// `a == b` or `a != b` when either is a complex and the other a number (CPython's
/// `complex_richcompare`: an int is compared exactly with the real part); `None` for the
/// orderings, which complex does not implement, and for other pairs.
pub(super) fn compare(a: &Atom, b: &Atom, op: CmpOp) -> Option<bool> {
    let (z, other) = match (a, b) {
        (Atom::Complex(re, im), _) => ((*re, *im), b),
        (_, Atom::Complex(re, im)) => ((*re, *im), a),
        _ => return None,
    };
    if !matches!(op, CmpOp::Eq | CmpOp::Ne) {
        return None;
    }
    let equal = match (other, Num::of(other)) {
        (Atom::Complex(re, im), _) => z.0 == *re && z.1 == *im,
        (_, Some(Num::Float(f))) => z.0 == f && z.1 == 0.0,
        (_, Some(n)) => z.1 == 0.0 && super::num_cmp(Num::Float(z.0), n).is_some_and(|o| o.is_eq()),
        (_, None) => return None,
    };
    Some(equal == (op == CmpOp::Eq))
}

/// `-z` and `+z`.
pub(super) fn unary(op: crate::code::UnOp, re: f64, im: f64) -> Option<PyResult> {
    match op {
        crate::code::UnOp::Neg => Some(Ok(val::complex(-re, -im))),
        crate::code::UnOp::Pos => Some(Ok(val::complex(re, im))),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
