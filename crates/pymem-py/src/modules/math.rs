//! (L3) The `math` module: CPython's `mathmodule.c` for floats, with its errors.
//!
//! A function of one float follows CPython's `math_1`: the C result decides the error, a
//! NaN out of a non-NaN argument is "math domain error" (ValueError), an infinity out of a
//! finite argument is "math range error" (OverflowError) where the function can overflow.
//! The integer functions are in [`super::math_int`], the sums and norms in
//! [`super::math_sum`].

use num_bigint::BigInt;
use num_traits::{Signed, ToPrimitive, Zero};

use crate::error::{PyErr, PyResult, err, overflow_error, type_error, value_error};
use crate::obj::{Atom, BuiltinDef, PyRef};
use crate::types::{lookup, type_name, type_of};
use crate::{call, num, val};

use super::{Kw, add_functions, arg, check_kw, fns, new_module, no_kw, set_attr};

/// The module's functions.
static FUNCTIONS: &[BuiltinDef] = fns![
    "sqrt" => sqrt, "exp" => exp, "expm1" => expm1, "log" => log, "log2" => log2,
    "log10" => log10, "log1p" => log1p, "sin" => sin, "cos" => cos, "tan" => tan,
    "asin" => asin, "acos" => acos, "atan" => atan, "atan2" => atan2, "sinh" => sinh,
    "cosh" => cosh, "tanh" => tanh, "asinh" => asinh, "acosh" => acosh, "atanh" => atanh,
    "fabs" => fabs, "copysign" => copysign, "fmod" => fmod, "modf" => modf, "frexp" => frexp,
    "ldexp" => ldexp, "pow" => pow, "degrees" => degrees, "radians" => radians,
    "isfinite" => isfinite, "isinf" => isinf, "isnan" => isnan, "isclose" => isclose,
    "floor" => floor, "ceil" => ceil, "trunc" => trunc, "exp2" => exp2, "erf" => erf, "erfc" => erfc,
    "nextafter" => nextafter, "ulp" => ulp,
    "gcd" => super::math_int::gcd, "lcm" => super::math_int::lcm,
    "factorial" => super::math_int::factorial, "comb" => super::math_int::comb,
    "perm" => super::math_int::perm, "isqrt" => super::math_int::isqrt,
    "fsum" => super::math_sum::fsum, "prod" => super::math_sum::prod,
    "hypot" => super::math_sum::hypot, "dist" => super::math_sum::dist,
];

/// Makes the `math` module.
pub(crate) fn create() -> PyRef {
    let (module, d) = new_module(
        "math",
        "This module provides access to the mathematical functions\ndefined by the C standard.",
    );
    add_functions(&d, FUNCTIONS);
    let constants = [
        ("pi", std::f64::consts::PI),
        ("e", std::f64::consts::E),
        ("tau", std::f64::consts::TAU),
        ("inf", f64::INFINITY),
        ("nan", f64::NAN),
    ];
    for (name, v) in constants {
        set_attr(&d, name, val::float(v));
    }
    module
}

// ---- Arguments and errors ----------------------------------------------------------------

/// "math domain error".
pub(super) fn domain_error() -> PyErr {
    value_error("math domain error")
}

/// "math range error".
pub(super) fn range_error() -> PyErr {
    overflow_error("math range error")
}

/// A float argument as `PyFloat_AsDouble` reads it: int, float, `__float__`, `__index__`.
pub(super) fn real(x: &PyRef) -> PyResult<f64> {
    if let Some(f) = x.atom().map(num::to_f64).transpose()?.flatten() {
        return Ok(f);
    }
    if let Some(r) = special(x, "__float__")? {
        return num::float_result(x, &r);
    }
    if let Some(r) = special(x, "__index__")? {
        return real(&r);
    }
    Err(type_error(format!(
        "must be real number, not {}",
        type_name(x)
    )))
}

/// Calls the special method `name` of an instance's class, if it has one (built-in types'
/// numbers are handled before this is reached).
pub(super) fn special(x: &PyRef, name: &str) -> PyResult<Option<PyRef>> {
    if x.atom().is_some() {
        return Ok(None);
    }
    match lookup(&type_of(x), name) {
        Some(f) => call::call_bound(&f, x, &[]).map(Some),
        None => Ok(None),
    }
}

/// The exact arguments of a function of `n` positional arguments.
pub(super) fn exactly<'a>(
    name: &str,
    args: &'a [PyRef],
    kw: Kw<'_>,
    n: usize,
) -> PyResult<&'a [PyRef]> {
    no_kw(name, kw)?;
    if args.len() == n {
        return Ok(args);
    }
    Err(type_error(match n {
        1 => format!(
            "math.{name}() takes exactly one argument ({} given)",
            args.len()
        ),
        _ => format!("{name} expected {n} arguments, got {}", args.len()),
    }))
}

/// The single float argument of `math.name`.
fn one_real(name: &str, args: &[PyRef], kw: Kw<'_>) -> PyResult<f64> {
    real(&exactly(name, args, kw, 1)?[0])
}

/// CPython's `math_1`: `f(x)` with the domain and range errors decided from the result.
fn math_1(
    name: &str,
    args: &[PyRef],
    kw: Kw<'_>,
    f: fn(f64) -> f64,
    can_overflow: bool,
) -> PyResult {
    let x = one_real(name, args, kw)?;
    let r = f(x);
    if r.is_nan() && !x.is_nan() {
        return Err(domain_error());
    }
    if r.is_infinite() && x.is_finite() {
        return Err(if can_overflow {
            range_error()
        } else {
            domain_error()
        });
    }
    Ok(val::float(r))
}

/// Defines `math.name` as [`math_1`] of a Rust function.
macro_rules! math_1 {
    ($($name:ident => $f:expr, $ovf:expr;)*) => {$(
        fn $name(args: &[PyRef], kw: Kw<'_>) -> PyResult {
            math_1(stringify!($name), args, kw, $f, $ovf)
        }
    )*};
}

math_1! {
    exp => f64::exp, true;
    expm1 => f64::exp_m1, true;
    exp2 => f64::exp2, true;
    sin => sin_checked, false;
    cos => cos_checked, false;
    tan => tan_checked, false;
    asin => f64::asin, false;
    acos => f64::acos, false;
    atan => f64::atan, false;
    sinh => f64::sinh, true;
    cosh => f64::cosh, true;
    tanh => f64::tanh, false;
    asinh => |x| libm::asinh(x), false;
    acosh => |x| libm::acosh(x), false;
    atanh => atanh_checked, false;
    fabs => f64::abs, false;
    erf => |x| libm::erf(x), false;
    erfc => |x| libm::erfc(x), false;
}

/// The C library's functions where Rust's own differ from it in the last bit (Rust
/// computes `asinh` and `acosh` itself, overflowing early); CPython calls the C library.
mod libm {
    // SAFETY: these are the C99 <math.h> declarations: one double in, one double out,
    // no pointers and no global state beyond errno, so calling them is safe.
    unsafe extern "C" {
        pub(super) safe fn asinh(x: f64) -> f64;
        pub(super) safe fn acosh(x: f64) -> f64;
        pub(super) safe fn atanh(x: f64) -> f64;
        pub(super) safe fn erf(x: f64) -> f64;
        pub(super) safe fn erfc(x: f64) -> f64;
    }
}

/// `sin` with C's NaN for an infinite argument (Rust's may differ by platform).
fn sin_checked(x: f64) -> f64 {
    if x.is_infinite() { f64::NAN } else { x.sin() }
}

/// `cos` with NaN for an infinite argument.
fn cos_checked(x: f64) -> f64 {
    if x.is_infinite() { f64::NAN } else { x.cos() }
}

/// `tan` with NaN for an infinite argument.
fn tan_checked(x: f64) -> f64 {
    if x.is_infinite() { f64::NAN } else { x.tan() }
}

/// `atanh` whose poles (±1) are domain errors, as C's errno makes them in CPython.
fn atanh_checked(x: f64) -> f64 {
    if x.abs() >= 1.0 {
        f64::NAN
    } else {
        libm::atanh(x)
    }
}

/// `math.sqrt(x)`.
fn sqrt(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = one_real("sqrt", args, kw)?;
    if x < 0.0 {
        return Err(domain_error());
    }
    Ok(val::float(x.sqrt()))
}

/// `math.degrees(x)`.
fn degrees(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = one_real("degrees", args, kw)?;
    Ok(val::float(x * (180.0 / std::f64::consts::PI)))
}

/// `math.radians(x)`.
fn radians(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = one_real("radians", args, kw)?;
    Ok(val::float(x * (std::f64::consts::PI / 180.0)))
}

/// `math.isfinite(x)`.
fn isfinite(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    Ok(val::bool_(one_real("isfinite", args, kw)?.is_finite()))
}

/// `math.isinf(x)`.
fn isinf(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    Ok(val::bool_(one_real("isinf", args, kw)?.is_infinite()))
}

/// `math.isnan(x)`.
fn isnan(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    Ok(val::bool_(one_real("isnan", args, kw)?.is_nan()))
}

/// Two float arguments.
fn two_reals(name: &str, args: &[PyRef], kw: Kw<'_>) -> PyResult<(f64, f64)> {
    let a = exactly(name, args, kw, 2)?;
    Ok((real(&a[0])?, real(&a[1])?))
}

/// `math.atan2(y, x)`.
fn atan2(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let (y, x) = two_reals("atan2", args, kw)?;
    Ok(val::float(y.atan2(x)))
}

/// `math.copysign(x, y)`.
fn copysign(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let (x, y) = two_reals("copysign", args, kw)?;
    Ok(val::float(x.copysign(y)))
}

/// `math.fmod(x, y)`: C's fmod; an infinite `x` or a zero `y` is a domain error.
fn fmod(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let (x, y) = two_reals("fmod", args, kw)?;
    if y.is_infinite() && x.is_finite() {
        return Ok(val::float(x));
    }
    let r = x % y;
    if r.is_nan() && !x.is_nan() && !y.is_nan() {
        return Err(domain_error());
    }
    Ok(val::float(r))
}

/// `math.modf(x)`: the fractional and integer parts, both with the sign of `x`.
fn modf(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = one_real("modf", args, kw)?;
    let (frac, int) = match x {
        _ if x.is_infinite() => (0.0_f64.copysign(x), x),
        _ => (x - x.trunc(), x.trunc()),
    };
    Ok(val::tuple(vec![
        val::float(frac.copysign(x)),
        val::float(int),
    ]))
}

/// C's `frexp`: `x == m * 2**e` with `0.5 <= |m| < 1` (`m == x` for 0, inf, nan).
pub(super) fn frexp_f64(x: f64) -> (f64, i64) {
    if x == 0.0 || !x.is_finite() {
        return (x, 0);
    }
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    if exp == 0 {
        // Subnormal: scale into the normal range first.
        let (m, e) = frexp_f64(x * 2f64.powi(64));
        return (m, e - 64);
    }
    let m = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    (m, exp - 1022)
}

/// `math.frexp(x)`.
fn frexp(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let (m, e) = frexp_f64(one_real("frexp", args, kw)?);
    Ok(val::tuple(vec![val::float(m), val::int(e)]))
}

/// C's `ldexp` for any exponent: `x * 2**e`, correctly rounded.
pub(super) fn ldexp_f64(x: f64, e: i64) -> f64 {
    let mut e = e.clamp(-2200, 2200);
    let mut x = x;
    // Steps that keep the factor representable; the last one rounds once.
    while e > 1000 {
        x *= 2f64.powi(1000);
        e -= 1000;
    }
    while e < -1000 {
        x *= 2f64.powi(-1000);
        e += 1000;
        if x == 0.0 {
            return x;
        }
    }
    scale_once(x, e as i32)
}

/// `x * 2**e` for `|e| <= 1000` with a single rounding (two steps when the factor would be
/// subnormal).
fn scale_once(x: f64, e: i32) -> f64 {
    if e >= -1022 {
        return x * 2f64.powi(e);
    }
    let (m, xe) = frexp_f64(x);
    let total = xe + e as i64;
    if total >= -1021 {
        return m * 2f64.powi(total as i32);
    }
    // Subnormal result: one multiplication by an exact power rounds correctly.
    (m * 2f64.powi(53)) * 2f64.powi((total - 53) as i32)
}

/// `math.ldexp(x, i)`.
fn ldexp(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let a = exactly("ldexp", args, kw, 2)?;
    let x = real(&a[0])?;
    let Some(e) = a[1].atom().and_then(num::to_bigint) else {
        return Err(type_error("Expected an int as second argument to ldexp."));
    };
    if x == 0.0 || !x.is_finite() {
        return Ok(val::float(x));
    }
    let e = e
        .to_i64()
        .unwrap_or(if e.is_negative() { i64::MIN } else { i64::MAX });
    let r = ldexp_f64(x, e);
    if r.is_infinite() {
        return Err(range_error());
    }
    Ok(val::float(r))
}

/// `math.pow(x, y)`: C99's `pow` with CPython's errors.
fn pow(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let (x, y) = two_reals("pow", args, kw)?;
    let r = x.powf(y);
    if !x.is_finite() || !y.is_finite() {
        return Ok(val::float(if x.is_nan() && y == 0.0 { 1.0 } else { r }));
    }
    if r.is_nan() {
        return Err(domain_error());
    }
    if r.is_infinite() {
        return Err(if x == 0.0 {
            domain_error()
        } else {
            range_error()
        });
    }
    Ok(val::float(r))
}

/// C's `nextafter`: the next float after `x` towards `y`.
fn next_after(x: f64, y: f64) -> f64 {
    if x.is_nan() || y.is_nan() {
        return x + y;
    }
    if x == y {
        return y;
    }
    if x == 0.0 {
        return f64::from_bits(1).copysign(y);
    }
    let up = (y > x) == (x > 0.0);
    let bits = x.to_bits();
    f64::from_bits(if up { bits + 1 } else { bits - 1 })
}

/// `math.nextafter(x, y)` (the `steps` keyword is not supported).
fn nextafter(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let (x, y) = two_reals("nextafter", args, kw)?;
    Ok(val::float(next_after(x, y)))
}

/// `math.ulp(x)`: the value of the least significant bit of `x`.
fn ulp(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = one_real("ulp", args, kw)?.abs();
    if !x.is_finite() {
        return Ok(val::float(x));
    }
    let up = next_after(x, f64::INFINITY);
    match up.is_infinite() {
        true => Ok(val::float(x - next_after(x, f64::NEG_INFINITY))),
        false => Ok(val::float(up - x)),
    }
}

/// `math.isclose(a, b, *, rel_tol=1e-09, abs_tol=0.0)`.
fn isclose(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    check_kw("isclose", kw, &["a", "b", "rel_tol", "abs_tol"])?;
    let get = |i, name| arg("isclose", &args[..args.len().min(2)], kw, i, name);
    if args.len() > 2 {
        return Err(type_error(format!(
            "isclose() takes exactly 2 positional arguments ({} given)",
            args.len()
        )));
    }
    let a = get(0, "a")?.ok_or_else(|| missing_arg("a", 1))?;
    let b = get(1, "b")?.ok_or_else(|| missing_arg("b", 2))?;
    let tol = |name| {
        kw.iter()
            .find(|(k, _)| k.as_str() == Some(name))
            .map(|(_, v)| real(v))
    };
    let rel = tol("rel_tol").transpose()?.unwrap_or(1e-9);
    let abs = tol("abs_tol").transpose()?.unwrap_or(0.0);
    Ok(val::bool_(is_close(real(&a)?, real(&b)?, rel, abs)?))
}

/// Argument Clinic's error for a missing required argument.
fn missing_arg(name: &str, pos: usize) -> PyErr {
    type_error(format!(
        "isclose() missing required argument '{name}' (pos {pos})"
    ))
}

/// CPython's `math_isclose_impl`.
fn is_close(a: f64, b: f64, rel: f64, abs: f64) -> PyResult<bool> {
    if rel < 0.0 || abs < 0.0 {
        return Err(value_error("tolerances must be non-negative"));
    }
    if a == b {
        return Ok(true);
    }
    if a.is_infinite() || b.is_infinite() {
        return Ok(false);
    }
    let diff = (b - a).abs();
    Ok((diff <= (rel * b).abs()) || (diff <= (rel * a).abs()) || (diff <= abs))
}

// ---- floor, ceil, trunc ------------------------------------------------------------------

/// `math.floor(x)`: ints as they are, floats rounded down, else `__floor__`.
fn floor(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    rounding("floor", "__floor__", args, kw, f64::floor)
}

/// `math.ceil(x)`.
fn ceil(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    rounding("ceil", "__ceil__", args, kw, f64::ceil)
}

/// `math.trunc(x)`: `__trunc__`, which instances must define.
fn trunc(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = &exactly("trunc", args, kw, 1)?[0];
    if let Some(r) = int_or_float(x, f64::trunc) {
        return r;
    }
    match special(x, "__trunc__")? {
        Some(r) => Ok(r),
        None => Err(type_error(format!(
            "type {} doesn't define __trunc__ method",
            type_name(x)
        ))),
    }
}

/// floor and ceil: the built-in numbers directly, then the special method, then the value
/// as a float.
fn rounding(name: &str, dunder: &str, args: &[PyRef], kw: Kw<'_>, f: fn(f64) -> f64) -> PyResult {
    let x = &exactly(name, args, kw, 1)?[0];
    if let Some(r) = int_or_float(x, f) {
        return r;
    }
    match special(x, dunder)? {
        Some(r) => Ok(r),
        None => num::float_to_int(f(real(x)?)),
    }
}

/// The rounding of a built-in int (itself, as an int) or float; `None` for anything else.
fn int_or_float(x: &PyRef, f: fn(f64) -> f64) -> Option<PyResult> {
    match x.atom()? {
        Atom::Float(v) => Some(num::float_to_int(f(*v))),
        a => num::to_bigint(a).map(|b| Ok(val::bigint(b))),
    }
}

// ---- Logarithms -------------------------------------------------------------------------

/// A logarithm argument: a positive float, or an int of any size as `(mantissa, exponent)`
/// so that big ints beyond the float range still have a logarithm (CPython's `loghelper`).
fn log_arg(x: &PyRef) -> PyResult<(f64, i64)> {
    let big = match x.atom() {
        Some(Atom::Float(_)) | None => None,
        Some(a) => num::to_bigint(a),
    };
    let Some(b) = big else {
        return Ok((real(x)?, 0));
    };
    if !b.is_positive() {
        return Err(domain_error());
    }
    Ok(big_frexp(&b))
}

/// A big positive int as a float if it is in range, else as `m * 2**e` with `m` in
/// `[0.5, 1)` (CPython's `_PyLong_Frexp`).
fn big_frexp(b: &BigInt) -> (f64, i64) {
    if let Some(f) = b.to_f64().filter(|f| f.is_finite()) {
        return (f, 0);
    }
    let shift = b.bits() as i64 - 64;
    let top: BigInt = b >> shift as usize;
    // Round to odd so that the conversion of 64 bits to 53 rounds as the whole int would.
    let sticky = !(b - (&top << shift as usize)).is_zero();
    let top = top.to_u64().unwrap_or(u64::MAX) | sticky as u64;
    let (m, e) = frexp_f64(top as f64);
    (m, e + shift)
}

/// A logarithm of `(m, e)` in base `e` (`ln`), 2 or 10, with C's domain for floats.
fn log_of(x: (f64, i64), f: fn(f64) -> f64, ln_two: f64) -> PyResult<f64> {
    let (m, e) = x;
    if m.is_nan() {
        return Ok(m);
    }
    if m <= 0.0 {
        return Err(domain_error());
    }
    Ok(if e == 0 {
        f(m)
    } else {
        f(m) + ln_two * e as f64
    })
}

/// `math.log(x[, base])`.
fn log(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    no_kw("log", kw)?;
    let ln = |x: &PyRef| log_of(log_arg(x)?, f64::ln, std::f64::consts::LN_2);
    match args {
        [x] => Ok(val::float(ln(x)?)),
        [x, base] => {
            let (num, den) = (ln(x)?, ln(base)?);
            if den == 0.0 {
                return Err(err("ZeroDivisionError", "float division by zero"));
            }
            Ok(val::float(num / den))
        }
        [] => Err(type_error("log expected at least 1 argument, got 0")),
        _ => Err(type_error(format!(
            "log expected at most 2 arguments, got {}",
            args.len()
        ))),
    }
}

/// `math.log2(x)`.
fn log2(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = &exactly("log2", args, kw, 1)?[0];
    Ok(val::float(log_of(log_arg(x)?, f64::log2, 1.0)?))
}

/// `math.log10(x)`.
fn log10(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = &exactly("log10", args, kw, 1)?[0];
    Ok(val::float(log_of(
        log_arg(x)?,
        f64::log10,
        std::f64::consts::LOG10_2,
    )?))
}

/// `math.log1p(x)`.
fn log1p(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = one_real("log1p", args, kw)?;
    if x <= -1.0 {
        return Err(domain_error());
    }
    Ok(val::float(x.ln_1p()))
}
