//! `round()` of floats and ints, half to even, with CPython's results: a float is rounded
//! exactly as the decimal value it holds (what CPython's `double_round` gets from
//! `_Py_dg_dtoa` mode 3 and `_Py_dg_strtod`), so `round(2.675, 2)` is 2.67.

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, ToPrimitive};

use super::float::{float_to_int, ratio_to_f64};
use crate::error::{PyResult, overflow_error, type_error};
use crate::hash::float_parts;
use crate::obj::Atom;
use crate::val;

/// CPython's `NDIGITS_MAX`: with more decimal places every float rounds to itself.
const NDIGITS_MAX: i64 = 323;
/// CPython's `NDIGITS_MIN`: with fewer, every float rounds to a zero.
const NDIGITS_MIN: i64 = -308;

/// `round(x)` (an int) or `round(x, ndigits)` (a float) for a float.
pub(crate) fn round_float(x: f64, ndigits: Option<i64>) -> PyResult {
    let Some(n) = ndigits else {
        return float_to_int(x.round_ties_even());
    };
    if !x.is_finite() || n > NDIGITS_MAX {
        return Ok(val::float(x));
    }
    if n < NDIGITS_MIN {
        return Ok(val::float(0.0 * x));
    }
    decimal_round(x, n).map(val::float)
}

/// A finite `x` rounded to `n` decimal places, keeping its sign even when the result is 0.
fn decimal_round(x: f64, n: i64) -> PyResult<f64> {
    let (m, e) = float_parts(x.abs());
    let (num, den) = scaled(m, e, n);
    let rounded = back_to_float(div_round_half_even(&num, &den), n);
    let r = rounded.ok_or_else(|| overflow_error("rounded value too large to represent"))?;
    Ok(r.copysign(x))
}

/// `m · 2**e · 10**n` as a fraction.
fn scaled(m: u64, e: i32, n: i64) -> (BigInt, BigInt) {
    let (mut num, mut den) = (BigInt::from(m), BigInt::one());
    if e >= 0 {
        num <<= e;
    } else {
        den <<= -e;
    }
    let p = pow10(n.unsigned_abs());
    if n >= 0 {
        (num * p, den)
    } else {
        (num, den * p)
    }
}

/// The float nearest `y · 10**-n`; `None` beyond the float range.
fn back_to_float(y: BigInt, n: i64) -> Option<f64> {
    if n >= 0 {
        return ratio_to_f64(&y, &pow10(n as u64));
    }
    (y * pow10(n.unsigned_abs()))
        .to_f64()
        .filter(|f| f.is_finite())
}

/// `10**k`.
fn pow10(k: u64) -> BigInt {
    BigInt::from(10u32).pow(u32::try_from(k).expect("callers bound the exponent"))
}

/// `num / den` rounded to the nearest int, ties to the even one (`den` positive).
fn div_round_half_even(num: &BigInt, den: &BigInt) -> BigInt {
    let (q, r) = num.div_mod_floor(den);
    let twice: BigInt = r << 1u32;
    match twice.cmp(den) {
        std::cmp::Ordering::Greater => q + 1,
        std::cmp::Ordering::Equal if q.is_odd() => q + 1,
        _ => q,
    }
}

/// `round(x, ndigits)` for an int (or bool, giving an int): unchanged for `ndigits >= 0`,
/// else rounded to a multiple of `10**-ndigits`, half to even.
pub(crate) fn round_int(x: &Atom, ndigits: i64) -> PyResult {
    let Some(v) = super::to_bigint(x) else {
        return Err(type_error("round_int: not an int"));
    };
    if ndigits >= 0 {
        return Ok(val::bigint(v));
    }
    let k = ndigits.unsigned_abs();
    // 10**k > 2·|v| rounds to 0: no need for the (possibly enormous) power.
    if k > v.bits() {
        return Ok(val::int(0));
    }
    let p = pow10(k);
    Ok(val::bigint(div_round_half_even(&v, &p) * p))
}
