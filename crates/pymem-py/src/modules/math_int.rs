//! (L3) `math`'s integer functions: exact on ints of any size, as CPython's.

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};

use crate::error::{PyResult, overflow_error, type_error, value_error};
use crate::obj::PyRef;
use crate::types::type_name;
use crate::{num, val};

use super::Kw;
use super::math::{exactly, special};

/// An integer argument (`__index__`), of any size.
pub(super) fn index_big(x: &PyRef) -> PyResult<BigInt> {
    if let Some(b) = x.atom().and_then(num::to_bigint) {
        return Ok(b);
    }
    if let Some(r) = special(x, "__index__")? {
        return index_big(&r);
    }
    Err(type_error(format!(
        "'{}' object cannot be interpreted as an integer",
        type_name(x)
    )))
}

/// All arguments as ints (no keywords).
fn all_ints(name: &str, args: &[PyRef], kw: Kw<'_>) -> PyResult<Vec<BigInt>> {
    super::no_kw(name, kw)?;
    args.iter().map(index_big).collect()
}

/// `math.gcd(*integers)`.
pub(super) fn gcd(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let ints = all_ints("gcd", args, kw)?;
    let g = ints.iter().fold(BigInt::zero(), |g, x| g.gcd(x));
    Ok(val::bigint(g))
}

/// `math.lcm(*integers)`.
pub(super) fn lcm(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let ints = all_ints("lcm", args, kw)?;
    let l = ints.iter().fold(BigInt::one(), |l, x| match l.is_zero() {
        true => l,
        false => l.lcm(x),
    });
    Ok(val::bigint(l.abs()))
}

/// A non-negative count argument that fits an i64: CPython's errors for the others.
fn count(x: &BigInt, what: &str) -> PyResult<u64> {
    if x.is_negative() {
        return Err(value_error(format!(
            "{what} must be a non-negative integer"
        )));
    }
    x.to_u64()
        .filter(|&v| v <= i64::MAX as u64)
        .ok_or_else(|| overflow_error(format!("{what} must not exceed {}", i64::MAX)))
}

/// The product of the ints in `lo..=hi` (1 if empty), by halves so the operands stay
/// balanced.
fn range_product(lo: u64, hi: u64) -> BigInt {
    match hi.checked_sub(lo) {
        None => BigInt::one(),
        Some(0) => BigInt::from(lo),
        Some(1) => BigInt::from(lo) * hi,
        Some(d) => {
            let mid = lo + d / 2;
            range_product(lo, mid) * range_product(mid + 1, hi)
        }
    }
}

/// `math.factorial(n)`.
pub(super) fn factorial(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = &exactly("factorial", args, kw, 1)?[0];
    if let Some(crate::obj::Atom::Float(_)) = x.atom() {
        return Err(type_error(
            "'float' object cannot be interpreted as an integer",
        ));
    }
    let n = index_big(x)?;
    if n.is_negative() {
        return Err(value_error("factorial() not defined for negative values"));
    }
    let Some(n) = n.to_u64().filter(|&v| v <= i64::MAX as u64) else {
        return Err(overflow_error(format!(
            "factorial() argument should not exceed {}",
            i64::MAX
        )));
    };
    Ok(val::bigint(range_product(1, n)))
}

/// `math.comb(n, k)`.
pub(super) fn comb(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let a = exactly("comb", args, kw, 2)?;
    let (n, k) = (index_big(&a[0])?, index_big(&a[1])?);
    if !choosable(&n, &k)? {
        return Ok(val::int(0));
    }
    let k = (&n - &k).min(k);
    let k = count(&k, "min(n - k, k)")?;
    Ok(val::bigint(falling(&n, k) / range_product(1, k)))
}

/// `comb`'s and `perm`'s argument checks: CPython's ValueError for a negative `n` or `k`;
/// false when `k > n` (the answer is then 0).
fn choosable(n: &BigInt, k: &BigInt) -> PyResult<bool> {
    if n.is_negative() {
        return Err(value_error("n must be a non-negative integer"));
    }
    if k.is_negative() {
        return Err(value_error("k must be a non-negative integer"));
    }
    Ok(k <= n)
}

/// `n * (n-1) * ... * (n-k+1)` for a big `n`.
fn falling(n: &BigInt, k: u64) -> BigInt {
    match n.to_u64() {
        Some(n) => range_product(n - k + 1, n),
        None => (0..k).fold(BigInt::one(), |p, i| p * (n - i)),
    }
}

/// `math.perm(n, k=None)`.
pub(super) fn perm(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    super::no_kw("perm", kw)?;
    super::at_most("perm", args, 2)?;
    let Some(n) = args.first() else {
        return Err(type_error("perm expected at least 1 argument, got 0"));
    };
    let n = index_big(n)?;
    let k = match args.get(1).filter(|k| !k.is_none()) {
        Some(k) => index_big(k)?,
        None => n.clone(),
    };
    if !choosable(&n, &k)? {
        return Ok(val::int(0));
    }
    let k = count(&k, "k")?;
    Ok(val::bigint(falling(&n, k)))
}

/// `math.isqrt(n)`.
pub(super) fn isqrt(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let n = index_big(&exactly("isqrt", args, kw, 1)?[0])?;
    if n.is_negative() {
        return Err(value_error("isqrt() argument must be nonnegative"));
    }
    Ok(val::bigint(n.sqrt()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_products_are_factorials() {
        assert_eq!(range_product(1, 0), BigInt::one());
        assert_eq!(range_product(1, 5), BigInt::from(120));
        assert_eq!(range_product(3, 4), BigInt::from(12));
    }
}
