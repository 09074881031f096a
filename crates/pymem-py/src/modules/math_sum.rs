//! (L3) `math`'s sums and norms: `fsum` (Shewchuk's exact partials, as CPython's
//! `math_fsum`), `prod`, and `hypot`/`dist` (CPython's `vector_norm`).

use crate::code::BinOp;
use crate::error::{PyResult, err, overflow_error, type_error, value_error};
use crate::obj::PyRef;
use crate::types::type_name;
use crate::{ops, val};

use super::math::{exactly, frexp_f64, real};
use super::{Kw, check_kw};

/// Adds `x` to the non-overlapping partials (Shewchuk's `grow-expansion`, zeros dropped).
fn add_partial(partials: &mut Vec<f64>, mut x: f64) -> f64 {
    let mut i = 0;
    for j in 0..partials.len() {
        let mut y = partials[j];
        if x.abs() < y.abs() {
            std::mem::swap(&mut x, &mut y);
        }
        let hi = x + y;
        let lo = y - (hi - x);
        if lo != 0.0 {
            partials[i] = lo;
            i += 1;
        }
        x = hi;
    }
    partials.truncate(i);
    x
}

/// `math.fsum(iterable)`: the correctly rounded sum.
pub(super) fn fsum(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let items = ops::collect(&exactly("fsum", args, kw, 1)?[0])?;
    let mut partials = Vec::new();
    let (mut special, mut inf_sum) = (0.0_f64, 0.0_f64);
    for item in &items {
        let xsave = real(item)?;
        let x = add_partial(&mut partials, xsave);
        if x == 0.0 {
            continue;
        }
        if x.is_finite() {
            partials.push(x);
            continue;
        }
        if xsave.is_finite() {
            return Err(overflow_error("intermediate overflow in fsum"));
        }
        if xsave.is_infinite() {
            inf_sum += xsave;
        }
        special += xsave;
        partials.clear();
    }
    if special != 0.0 {
        if inf_sum.is_nan() {
            return Err(value_error("-inf + inf in fsum"));
        }
        return Ok(val::float(special));
    }
    Ok(val::float(round_partials(&partials)))
}

/// The sum of the partials, rounded half-even as CPython's final loop does.
fn round_partials(p: &[f64]) -> f64 {
    let mut n = p.len();
    if n == 0 {
        return 0.0;
    }
    n -= 1;
    let mut hi = p[n];
    let mut lo = 0.0;
    while n > 0 {
        let x = hi;
        n -= 1;
        let y = p[n];
        hi = x + y;
        lo = y - (hi - x);
        if lo != 0.0 {
            break;
        }
    }
    if n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) || (lo > 0.0 && p[n - 1] > 0.0)) {
        let y = lo * 2.0;
        let x = hi + y;
        if y == x - hi {
            hi = x;
        }
    }
    hi
}

/// `math.prod(iterable, /, *, start=1)`.
pub(super) fn prod(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    check_kw("prod", kw, &["start"])?;
    let [iterable] = args else {
        return Err(type_error(format!(
            "prod() takes exactly 1 positional argument ({} given)",
            args.len()
        )));
    };
    let start = kw.first().map_or_else(|| val::int(1), |(_, v)| v.clone());
    ops::collect(iterable)?
        .iter()
        .try_fold(start, |acc, x| ops::binary(BinOp::Mul, &acc, x))
}

/// `hi + lo == a * b` exactly.
fn dl_mul(a: f64, b: f64) -> (f64, f64) {
    let hi = a * b;
    (hi, a.mul_add(b, -hi))
}

/// `hi + lo == a + b` exactly, for `|a| >= |b|`.
fn dl_fast_sum(a: f64, b: f64) -> (f64, f64) {
    let hi = a + b;
    (hi, (a - hi) + b)
}

/// CPython's `vector_norm`: the Euclidean norm of `|vec|` (whose largest is `max`), with
/// lossless scaling and a differential correction of the square root.
fn vector_norm(vec: &mut [f64], max: f64, found_nan: bool) -> f64 {
    if max.is_infinite() {
        return max;
    }
    if found_nan {
        return f64::NAN;
    }
    if max == 0.0 || vec.len() <= 1 {
        return max;
    }
    let (_, max_e) = frexp_f64(max);
    if max_e < -1023 {
        vec.iter_mut().for_each(|x| *x /= f64::MIN_POSITIVE);
        return f64::MIN_POSITIVE * vector_norm(vec, max / f64::MIN_POSITIVE, found_nan);
    }
    let scale = super::math::ldexp_f64(1.0, -max_e);
    let (mut csum, mut frac1, mut frac2) = (1.0_f64, 0.0_f64, 0.0_f64);
    for &x in vec.iter() {
        let x = x * scale;
        let pr = dl_mul(x, x);
        let sm = dl_fast_sum(csum, pr.0);
        csum = sm.0;
        frac1 += pr.1;
        frac2 += sm.1;
    }
    let mut h = (csum - 1.0 + (frac1 + frac2)).sqrt();
    let pr = dl_mul(-h, h);
    let sm = dl_fast_sum(csum, pr.0);
    csum = sm.0;
    frac1 += pr.1;
    frac2 += sm.1;
    let x = csum - 1.0 + (frac1 + frac2);
    h += x / (2.0 * h);
    h / scale
}

/// The absolute values of `xs`, their largest, and whether one is a NaN.
fn magnitudes(xs: impl Iterator<Item = PyResult<f64>>) -> PyResult<(Vec<f64>, f64, bool)> {
    let (mut vec, mut max, mut nan) = (Vec::new(), 0.0_f64, false);
    for x in xs {
        let x = x?.abs();
        nan |= x.is_nan();
        if x > max {
            max = x;
        }
        vec.push(x);
    }
    Ok((vec, max, nan))
}

/// `math.hypot(*coordinates)`.
pub(super) fn hypot(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    super::no_kw("hypot", kw)?;
    let (mut vec, max, nan) = magnitudes(args.iter().map(real))?;
    Ok(val::float(vector_norm(&mut vec, max, nan)))
}

/// `math.dist(p, q)`: the distance between two points given as sequences.
pub(super) fn dist(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let a = exactly("dist", args, kw, 2)?;
    let points = [point(&a[0], 1)?, point(&a[1], 2)?];
    if points[0].len() != points[1].len() {
        return Err(value_error(
            "both points must have the same number of dimensions",
        ));
    }
    let diffs = points[0].iter().zip(&points[1]).map(|(p, q)| {
        let (p, q) = (real(p)?, real(q)?);
        Ok(p - q)
    });
    let (mut vec, max, nan) = magnitudes(diffs)?;
    Ok(val::float(vector_norm(&mut vec, max, nan)))
}

/// The coordinates of a point argument (a tuple, or any sequence in 3.13).
fn point(x: &PyRef, pos: usize) -> PyResult<Vec<PyRef>> {
    if let Some(t) = x.as_tuple() {
        return Ok(t.to_vec());
    }
    if let Some(l) = x.as_list() {
        return Ok(l.borrow().clone());
    }
    Err(err(
        "TypeError",
        format!(
            "dist() argument {pos} must be a sequence, not {}",
            type_name(x)
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partials_sum_exactly() {
        let mut p = Vec::new();
        for x in [1e100, 1.0, -1e100, 1e-100] {
            let r = add_partial(&mut p, x);
            if r != 0.0 {
                p.push(r);
            }
        }
        assert_eq!(round_partials(&p), 1.0);
    }
}
