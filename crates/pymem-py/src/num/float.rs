//! Float arithmetic (CPython's `floatobject.c`), int true division correctly rounded
//! (`long_true_divide`), and exact comparison of ints with floats.

use std::cmp::Ordering;

use num_bigint::{BigInt, BigUint, Sign};
use num_integer::Integer;
use num_traits::{ToPrimitive, Zero};

use super::Num;
use crate::code::BinOp;
use crate::error::{PyErr, PyResult, err_args, overflow_error, value_error, zero_division};
use crate::hash::float_parts;
use crate::obj::PyRef;
use crate::val;

/// Bits in a float's significand (`DBL_MANT_DIG`).
const MANT_DIG: i64 = 53;
/// `DBL_MAX_EXP`: floats are below 2**1024.
const MAX_EXP: i64 = 1024;
/// `DBL_MIN_EXP`: normal floats are at least 2**-1022.
const MIN_EXP: i64 = -1021;
/// The largest magnitude up to which every int is exactly a float.
const EXACT_LIMIT: u64 = 1 << MANT_DIG;
/// 2**63: floats below it in magnitude truncate to an i64.
const TWO_TO_63: f64 = (1u64 << 63) as f64;

/// `a op b` where one operand is a float (the other converted, as CPython's
/// `CONVERT_TO_DOUBLE`); `None` for the operators floats lack.
pub(super) fn binary(op: BinOp, x: Num<'_>, y: Num<'_>) -> Option<PyResult> {
    let f: fn(f64, f64) -> PyResult<f64> = match op {
        BinOp::Add => |a, b| Ok(a + b),
        BinOp::Sub => |a, b| Ok(a - b),
        BinOp::Mul => |a, b| Ok(a * b),
        BinOp::TrueDiv => truediv,
        BinOp::FloorDiv => floordiv,
        BinOp::Mod => modulo,
        BinOp::Pow => pow,
        _ => return None,
    };
    Some(x.float().and_then(|a| f(a, y.float()?)).map(val::float))
}

/// The float nearest a big int; OverflowError when it is beyond the float range.
pub(crate) fn big_to_f64(b: &BigInt) -> PyResult<f64> {
    // num-bigint rounds to nearest, ties to even, as CPython's `PyLong_AsDouble`.
    match b.to_f64() {
        Some(f) if f.is_finite() => Ok(f),
        _ => Err(overflow_error("int too large to convert to float")),
    }
}

/// `a / b` for floats.
fn truediv(a: f64, b: f64) -> PyResult<f64> {
    if b == 0.0 {
        return Err(zero_division("float division by zero"));
    }
    Ok(a / b)
}

/// `a // b` for floats.
fn floordiv(a: f64, b: f64) -> PyResult<f64> {
    if b == 0.0 {
        return Err(zero_division("float floor division by zero"));
    }
    Ok(div_mod(a, b).0)
}

/// `a % b` for floats (CPython's `float_rem`): the remainder has the sign of `b`.
fn modulo(a: f64, b: f64) -> PyResult<f64> {
    if b == 0.0 {
        return Err(zero_division("float modulo by zero"));
    }
    Ok(rem(a, b))
}

/// `fmod` adjusted to the sign of `b`; a zero remainder is a zero of `b`'s sign.
fn rem(a: f64, b: f64) -> f64 {
    fix_sign(a % b, b).0
}

/// The remainder `m` of a division by `b` given `b`'s sign, and whether that moved it by
/// `b` (so the quotient is one less).
fn fix_sign(m: f64, b: f64) -> (f64, bool) {
    if m == 0.0 {
        // fmod's sign of zero differs across platforms.
        (0.0f64.copysign(b), false)
    } else if (b < 0.0) != (m < 0.0) {
        (m + b, true)
    } else {
        (m, false)
    }
}

/// CPython's `_float_div_mod`: the floor quotient (snapped to the nearest integral value,
/// as `(a - a % b) / b` is only nearly integral) and the remainder.
fn div_mod(a: f64, b: f64) -> (f64, f64) {
    let m = a % b;
    let div = (a - m) / b;
    let (m, moved) = fix_sign(m, b);
    (snap(if moved { div - 1.0 } else { div }, a / b), m)
}

/// The quotient snapped to an integral value; a zero takes the sign of the true quotient.
fn snap(div: f64, quotient: f64) -> f64 {
    if div == 0.0 {
        return 0.0f64.copysign(quotient);
    }
    let floor = div.floor();
    if div - floor > 0.5 {
        floor + 1.0
    } else {
        floor
    }
}

/// `divmod(a, b)` where one operand is a float.
pub(super) fn divmod(x: Num<'_>, y: Num<'_>) -> PyResult<(PyRef, PyRef)> {
    let (a, b) = (x.float()?, y.float()?);
    if b == 0.0 {
        return Err(zero_division("float divmod()"));
    }
    let (q, r) = div_mod(a, b);
    Ok((val::float(q), val::float(r)))
}

/// Whether a float is an odd integer (CPython's `DOUBLE_IS_ODD_INTEGER`).
fn is_odd_integer(x: f64) -> bool {
    x.abs() % 2.0 == 1.0
}

/// `a ** b` for floats (CPython's `float_pow`): the special cases sorted out before the
/// platform `pow`, which then only sees finite operands and a positive base other than 1.
pub(super) fn pow(a: f64, b: f64) -> PyResult<f64> {
    if b == 0.0 {
        return Ok(1.0);
    }
    if a.is_nan() {
        return Ok(a);
    }
    if b.is_nan() {
        return Ok(if a == 1.0 { 1.0 } else { b });
    }
    if b.is_infinite() {
        return Ok(pow_infinite_exponent(a.abs(), b));
    }
    if a.is_infinite() || a == 0.0 {
        return pow_extreme_base(a, b);
    }
    pow_finite(a, b)
}

/// `a ** ±inf` for `a = |base|`: 0, 1 or inf.
fn pow_infinite_exponent(a: f64, b: f64) -> f64 {
    if a == 1.0 {
        1.0
    } else if (b > 0.0) == (a > 1.0) {
        f64::INFINITY
    } else {
        0.0
    }
}

/// `(±inf) ** b` and `(±0) ** b` (the sign kept for odd integral `b`).
fn pow_extreme_base(a: f64, b: f64) -> PyResult<f64> {
    if a == 0.0 && b < 0.0 {
        return Err(zero_division("0.0 cannot be raised to a negative power"));
    }
    let big = (a == 0.0) == (b < 0.0);
    let magnitude = if big { f64::INFINITY } else { 0.0 };
    Ok(if is_odd_integer(b) {
        magnitude.copysign(a)
    } else {
        magnitude
    })
}

/// `a ** b` for finite non-zero `a` and finite non-zero `b`.
fn pow_finite(a: f64, b: f64) -> PyResult<f64> {
    if a < 0.0 && b != b.floor() {
        // CPython returns a complex number here; this interpreter has no complex type, so it
        // raises the error Python 2 raised.
        return Err(value_error(
            "negative number cannot be raised to a fractional power",
        ));
    }
    let negate = a < 0.0 && is_odd_integer(b);
    let a = a.abs();
    // 1 ** b is 1 even where a libm would mishandle (-1) ** huge.
    let r = if a == 1.0 { 1.0 } else { a.powf(b) };
    if r.is_infinite() {
        return Err(range_error());
    }
    Ok(if negate { -r } else { r })
}

/// CPython's `OverflowError(34, 'Numerical result out of range')` (from `errno` ERANGE).
fn range_error() -> PyErr {
    err_args(
        "OverflowError",
        vec![val::int(34), val::str_("Numerical result out of range")],
    )
}

/// `a / b` for ints that fit in an i64.
pub(super) fn int_truediv_small(a: i64, b: i64) -> PyResult<f64> {
    if b == 0 {
        return Err(zero_division("division by zero"));
    }
    if a.unsigned_abs() <= EXACT_LIMIT && b.unsigned_abs() <= EXACT_LIMIT {
        // Both exact, so the float division is the correctly rounded quotient.
        return Ok(a as f64 / b as f64);
    }
    int_truediv(&a.into(), &b.into())
}

/// `a / b` for ints, correctly rounded.
pub(super) fn int_truediv(a: &BigInt, b: &BigInt) -> PyResult<f64> {
    if b.is_zero() {
        return Err(zero_division("division by zero"));
    }
    ratio_to_f64(a, b)
        .ok_or_else(|| overflow_error("integer division result too large for a float"))
}

/// `a / b` (with `b` non-zero) rounded to the nearest float, ties to even (CPython's
/// `long_true_divide`); `None` when the quotient is beyond the float range.
pub(super) fn ratio_to_f64(a: &BigInt, b: &BigInt) -> Option<f64> {
    let negative = (a.sign() == Sign::Minus) != (b.sign() == Sign::Minus);
    let q = unsigned_ratio(a.magnitude(), b.magnitude())?;
    Some(if negative { -q } else { q })
}

/// [`ratio_to_f64`] of magnitudes.
fn unsigned_ratio(a: &BigUint, b: &BigUint) -> Option<f64> {
    if a.is_zero() {
        return Some(0.0);
    }
    let diff = a.bits() as i64 - b.bits() as i64;
    if diff > MAX_EXP {
        return None;
    }
    if diff < MIN_EXP - MANT_DIG - 1 {
        return Some(0.0);
    }
    // Scale so that the integer quotient has MANT_DIG + 2 or + 3 bits (fewer for subnormal
    // results, whose precision is lower), then round that quotient once.
    let shift = diff.max(MIN_EXP) - MANT_DIG - 2;
    let (q, inexact) = scaled_quotient(a, b, shift);
    round_quotient(q, inexact, shift)
}

/// `a · 2**-shift // b`, and whether any bit was lost (by the shift or the division).
fn scaled_quotient(a: &BigUint, b: &BigUint, shift: i64) -> (u64, bool) {
    let (x, lost) = if shift <= 0 {
        (a << (-shift) as u64, false)
    } else {
        (
            a >> shift as u64,
            a.trailing_zeros().is_some_and(|z| z < shift as u64),
        )
    };
    let (q, r) = x.div_rem(b);
    (
        q.to_u64().expect("the quotient has at most 57 bits"),
        lost || !r.is_zero(),
    )
}

/// Rounds the scaled quotient `q` (with a sticky `inexact` bit) to the float's precision,
/// half to even, and scales it back by `2**shift`.
fn round_quotient(q: u64, inexact: bool, shift: i64) -> Option<f64> {
    let q_bits = 64 - q.leading_zeros() as i64;
    let extra = q_bits.max(MIN_EXP - shift) - MANT_DIG;
    let mask = 1u64 << (extra - 1);
    let low = q | inexact as u64;
    let rounded = if low & mask != 0 && low & (3 * mask - 1) != 0 {
        low + mask
    } else {
        low
    };
    let q = rounded & !(2 * mask - 1);
    let dx = q as f64;
    let carried = dx == 2f64.powi(q_bits as i32);
    if shift + q_bits > MAX_EXP || (shift + q_bits == MAX_EXP && carried) {
        return None;
    }
    Some(ldexp(dx, shift))
}

/// `x · 2**e`, exact when the result is representable: scales in steps that keep every
/// intermediate a normal float (`x` has few significant bits here).
pub(super) fn ldexp(mut x: f64, mut e: i64) -> f64 {
    while e > 1000 {
        x *= pow2(1000);
        e -= 1000;
    }
    while e < -1000 {
        x *= pow2(-1000);
        e += 1000;
    }
    x * pow2(e)
}

/// `2**e` for `-1022 <= e <= 1023`, built from its bits.
fn pow2(e: i64) -> f64 {
    f64::from_bits(((e + 1023) as u64) << 52)
}

/// The exact order of an int and a float (CPython's `float_richcompare`); `None` for NaN.
pub(super) fn int_float_cmp(i: Num<'_>, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    if f.is_infinite() {
        return Some(if f > 0.0 {
            Ordering::Less
        } else {
            Ordering::Greater
        });
    }
    match i {
        Num::Int(i) if i.unsigned_abs() <= EXACT_LIMIT => (i as f64).partial_cmp(&f),
        _ => Some(big_float_cmp(&i.big(), f)),
    }
}

/// The order of a big int and a finite float, compared with the float's floor as an int:
/// an int equal to that floor is below a float with a fractional part.
fn big_float_cmp(i: &BigInt, f: f64) -> Ordering {
    let floor = f.floor();
    match i.cmp(&exact_bigint(floor)) {
        Ordering::Equal if floor != f => Ordering::Less,
        o => o,
    }
}

/// The int equal to an integral finite float.
pub(super) fn exact_bigint(f: f64) -> BigInt {
    let (m, e) = float_parts(f.abs());
    let magnitude = BigInt::from(m);
    let magnitude = if e >= 0 {
        magnitude << e
    } else {
        magnitude >> -e
    };
    if f < 0.0 { -magnitude } else { magnitude }
}

/// `int(x)` for a float: truncated towards zero.
pub(crate) fn float_to_int(x: f64) -> PyResult {
    if x.is_nan() {
        return Err(value_error("cannot convert float NaN to integer"));
    }
    if x.is_infinite() {
        return Err(overflow_error("cannot convert float infinity to integer"));
    }
    let t = x.trunc();
    if t.abs() < TWO_TO_63 {
        return Ok(val::int(t as i64));
    }
    Ok(val::bigint(exact_bigint(t)))
}
