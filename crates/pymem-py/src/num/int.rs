//! Int arithmetic (CPython's `longobject.c`): an i64 fast path, `BigInt` beyond it.

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};

use super::{float, memory_error};
use crate::code::BinOp;
use crate::error::{PyResult, value_error, zero_division};
use crate::obj::PyRef;
use crate::val;

/// The largest left shift performed: beyond it the result would take more than 512 MiB,
/// and CPython would fail to allocate it too.
const MAX_SHIFT: u64 = u32::MAX as u64;

/// The ZeroDivisionError message of an int `//` or `divmod` by zero (`%` has its own).
const DIV_BY_ZERO: &str = "integer division or modulo by zero";

/// `a op b` for two ints that fit in an i64; `None` for `@`.
pub(super) fn small(op: BinOp, a: i64, b: i64) -> Option<PyResult> {
    let fast = match op {
        BinOp::Add => a.checked_add(b),
        BinOp::Sub => a.checked_sub(b),
        BinOp::Mul => a.checked_mul(b),
        BinOp::And => Some(a & b),
        BinOp::Or => Some(a | b),
        BinOp::Xor => Some(a ^ b),
        BinOp::TrueDiv => return Some(float::int_truediv_small(a, b).map(val::float)),
        BinOp::FloorDiv => return Some(small_floordiv(a, b)),
        BinOp::Mod => return Some(small_mod(a, b)),
        BinOp::Pow if b < 0 => return Some(float::pow(a as f64, b as f64).map(val::float)),
        BinOp::Pow => u32::try_from(b).ok().and_then(|e| a.checked_pow(e)),
        BinOp::LShift => return Some(small_lshift(a, b)),
        BinOp::RShift => return Some(small_rshift(a, b)),
        BinOp::MatMul => return None,
    };
    match fast {
        Some(r) => Some(Ok(val::int(r))),
        None => big(op, &a.into(), &b.into()),
    }
}

/// `a // b`, rounding towards minus infinity.
fn small_floordiv(a: i64, b: i64) -> PyResult {
    if b == 0 {
        return Err(zero_division(DIV_BY_ZERO));
    }
    // Only i64::MIN // -1 overflows.
    let Some(q) = a.checked_div(b) else {
        return Ok(val::bigint(-BigInt::from(a)));
    };
    let floor = a % b != 0 && (a < 0) != (b < 0);
    Ok(val::int(q - floor as i64))
}

/// `a % b`, with the sign of `b`.
fn small_mod(a: i64, b: i64) -> PyResult {
    if b == 0 {
        return Err(zero_division("integer modulo by zero"));
    }
    // wrapping: i64::MIN % -1 is 0, which Rust's `%` refuses to compute.
    let r = a.wrapping_rem(b);
    Ok(val::int(if r != 0 && (r < 0) != (b < 0) {
        r + b
    } else {
        r
    }))
}

/// `a << b`, staying in an i64 when the bits shifted out were all copies of the sign.
fn small_lshift(a: i64, b: i64) -> PyResult {
    if b < 0 {
        return Err(value_error("negative shift count"));
    }
    if b < 64 && (a << b) >> b == a {
        return Ok(val::int(a << b));
    }
    lshift(&a.into(), &b.into())
}

/// `a >> b`: an arithmetic shift, so rounding towards minus infinity.
fn small_rshift(a: i64, b: i64) -> PyResult {
    if b < 0 {
        return Err(value_error("negative shift count"));
    }
    Ok(val::int(a >> b.min(63)))
}

/// `a op b` for big ints; `None` for `@`.
pub(super) fn big(op: BinOp, a: &BigInt, b: &BigInt) -> Option<PyResult> {
    let r = match op {
        BinOp::Add => a + b,
        BinOp::Sub => a - b,
        BinOp::Mul => a * b,
        BinOp::And => a & b,
        BinOp::Or => a | b,
        BinOp::Xor => a ^ b,
        BinOp::TrueDiv => return Some(float::int_truediv(a, b).map(val::float)),
        BinOp::FloorDiv => {
            return Some(nonzero(b, DIV_BY_ZERO).map(|()| val::bigint(a.div_floor(b))));
        }
        BinOp::Mod => {
            return Some(
                nonzero(b, "integer modulo by zero").map(|()| val::bigint(a.mod_floor(b))),
            );
        }
        BinOp::Pow => return Some(pow(a, b)),
        BinOp::LShift => return Some(lshift(a, b)),
        BinOp::RShift => return Some(rshift(a, b)),
        BinOp::MatMul => return None,
    };
    Some(Ok(val::bigint(r)))
}

/// ZeroDivisionError(`msg`) when `b` is zero.
fn nonzero(b: &BigInt, msg: &str) -> PyResult<()> {
    if b.is_zero() {
        Err(zero_division(msg))
    } else {
        Ok(())
    }
}

/// `divmod(a, b)` for ints: the floor quotient and the remainder with `b`'s sign.
pub(super) fn divmod(a: &BigInt, b: &BigInt) -> PyResult<(PyRef, PyRef)> {
    nonzero(b, DIV_BY_ZERO)?;
    let (q, r) = a.div_mod_floor(b);
    Ok((val::bigint(q), val::bigint(r)))
}

/// `a ** b`: a float for a negative exponent (CPython converts both operands).
fn pow(a: &BigInt, b: &BigInt) -> PyResult {
    if b.is_negative() {
        return float::pow(float::big_to_f64(a)?, float::big_to_f64(b)?).map(val::float);
    }
    match b.to_u32() {
        Some(e) => Ok(val::bigint(a.pow(e))),
        None => huge_pow(a, b),
    }
}

/// `a ** b` for an exponent of 2**32 or more: only 0, 1 and −1 have a result that fits.
fn huge_pow(a: &BigInt, b: &BigInt) -> PyResult {
    if a.is_zero() || a.is_one() {
        return Ok(val::bigint(a.clone()));
    }
    if a.abs().is_one() {
        return Ok(val::int(if b.is_odd() { -1 } else { 1 }));
    }
    Err(memory_error())
}

/// `a << b`.
fn lshift(a: &BigInt, b: &BigInt) -> PyResult {
    if b.is_negative() {
        return Err(value_error("negative shift count"));
    }
    if a.is_zero() {
        return Ok(val::int(0));
    }
    match b.to_u64().filter(|&n| n <= MAX_SHIFT) {
        Some(n) => Ok(val::bigint(a << n)),
        None => Err(memory_error()),
    }
}

/// `a >> b`, rounding towards minus infinity (so −1 stays −1).
fn rshift(a: &BigInt, b: &BigInt) -> PyResult {
    if b.is_negative() {
        return Err(value_error("negative shift count"));
    }
    match b.to_u64() {
        Some(n) => Ok(val::bigint(a >> n)),
        None => Ok(val::int(if a.is_negative() { -1 } else { 0 })),
    }
}
