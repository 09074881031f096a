//! (L3) `random.Random`'s real-valued distributions, computed in the order and with the
//! float operations of `Lib/random.py`, so that a seed gives CPython's values.

use crate::error::{PyResult, err};
use crate::obj::PyRef;
use crate::val;

use super::Kw;
use super::math::real;
use super::random::{gen_of, params, required};

/// `Random.uniform(self, a, b)`: `a + (b - a) * random()`.
pub(super) fn uniform(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let p = params("uniform", args, kw, &["a", "b"])?;
    let a = real(&required("uniform", p[0].clone(), "a")?)?;
    let b = real(&required("uniform", p[1].clone(), "b")?)?;
    let g = gen_of(args, "uniform")?;
    let r = g.borrow_mut().random();
    Ok(val::float(a + (b - a) * r))
}

/// `mu` and `sigma` of `gauss` and `normalvariate` (defaults 0.0 and 1.0).
fn mu_sigma(fname: &str, args: &[PyRef], kw: Kw<'_>) -> PyResult<(f64, f64)> {
    let p = params(fname, args, kw, &["mu", "sigma"])?;
    let mu = p[0].as_ref().map(real).transpose()?.unwrap_or(0.0);
    let sigma = p[1].as_ref().map(real).transpose()?.unwrap_or(1.0);
    Ok((mu, sigma))
}

/// `Random.gauss(self, mu=0.0, sigma=1.0)`: two values per pair of draws, the second kept.
pub(super) fn gauss(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let (mu, sigma) = mu_sigma("gauss", args, kw)?;
    let g = gen_of(args, "gauss")?;
    let mut g = g.borrow_mut();
    let z = match g.gauss_next.take() {
        Some(z) => z,
        None => {
            let x2pi = g.random() * std::f64::consts::TAU;
            let g2rad = (-2.0 * (1.0 - g.random()).ln()).sqrt();
            g.gauss_next = Some(x2pi.sin() * g2rad);
            x2pi.cos() * g2rad
        }
    };
    Ok(val::float(mu + z * sigma))
}

/// `Random.normalvariate(self, mu=0.0, sigma=1.0)`: Kinderman and Monahan's method.
pub(super) fn normalvariate(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let (mu, sigma) = mu_sigma("normalvariate", args, kw)?;
    let z = normal(args, "normalvariate")?;
    Ok(val::float(mu + z * sigma))
}

/// A standard normal deviate by Kinderman and Monahan's ratio of uniforms.
fn normal(args: &[PyRef], method: &str) -> PyResult<f64> {
    let g = gen_of(args, method)?;
    let magic = 4.0 * (-0.5f64).exp() / 2.0f64.sqrt();
    let mut g = g.borrow_mut();
    Ok(loop {
        let u1 = g.random();
        let u2 = 1.0 - g.random();
        let z = magic * (u1 - 0.5) / u2;
        if z * z / 4.0 <= -u2.ln() {
            break z;
        }
    })
}

/// Two required float parameters of `fname`.
fn two_floats(fname: &str, args: &[PyRef], kw: Kw<'_>, names: [&str; 2]) -> PyResult<(f64, f64)> {
    let p = params(fname, args, kw, &names)?;
    let a = real(&required(fname, p[0].clone(), names[0])?)?;
    let b = real(&required(fname, p[1].clone(), names[1])?)?;
    Ok((a, b))
}

/// `x ** y` for floats, with Python's errors for the cases that have one.
fn float_pow(x: f64, y: f64) -> PyResult<f64> {
    if x == 0.0 && y < 0.0 {
        return Err(err("ZeroDivisionError", "zero to a negative power"));
    }
    let r = x.powf(y);
    if r.is_nan() && !x.is_nan() && !y.is_nan() {
        return Err(err(
            "ValueError",
            "negative number cannot be raised to a fractional power",
        ));
    }
    Ok(r)
}

/// `a / b` for floats, ZeroDivisionError for a zero `b`.
fn divide(a: f64, b: f64) -> PyResult<f64> {
    match b == 0.0 {
        true => Err(err("ZeroDivisionError", "float division by zero")),
        false => Ok(a / b),
    }
}

/// `Random.lognormvariate(self, mu, sigma)`: `exp(normalvariate(mu, sigma))`.
pub(super) fn lognormvariate(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let (mu, sigma) = two_floats("lognormvariate", args, kw, ["mu", "sigma"])?;
    let z = normal(args, "lognormvariate")?;
    Ok(val::float((mu + z * sigma).exp()))
}

/// `Random.triangular(self, low=0.0, high=1.0, mode=None)`.
pub(super) fn triangular(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let p = params("triangular", args, kw, &["low", "high", "mode"])?;
    let low_obj = p[0].clone().unwrap_or_else(|| val::float(0.0));
    let (mut low, mut high) = (
        real(&low_obj)?,
        p[1].as_ref().map(real).transpose()?.unwrap_or(1.0),
    );
    let mut u = gen_of(args, "triangular")?.borrow_mut().random();
    let mut c = match p[2].as_ref().filter(|m| !m.is_none()) {
        None => 0.5,
        Some(_) if high == low => return Ok(low_obj),
        Some(m) => (real(m)? - low) / (high - low),
    };
    if u > c {
        u = 1.0 - u;
        c = 1.0 - c;
        std::mem::swap(&mut low, &mut high);
    }
    Ok(val::float(low + (high - low) * (u * c).sqrt()))
}

/// `Random.expovariate(self, lambd=1.0)`.
pub(super) fn expovariate(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let p = params("expovariate", args, kw, &["lambd"])?;
    let lambd = p[0].as_ref().map(real).transpose()?.unwrap_or(1.0);
    let r = gen_of(args, "expovariate")?.borrow_mut().random();
    Ok(val::float(divide(-(1.0 - r).ln(), lambd)?))
}

/// `Random.paretovariate(self, alpha)`.
pub(super) fn paretovariate(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let p = params("paretovariate", args, kw, &["alpha"])?;
    let alpha = real(&required("paretovariate", p[0].clone(), "alpha")?)?;
    let u = 1.0 - gen_of(args, "paretovariate")?.borrow_mut().random();
    Ok(val::float(float_pow(u, divide(-1.0, alpha)?)?))
}

/// `Random.weibullvariate(self, alpha, beta)`.
pub(super) fn weibullvariate(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let (alpha, beta) = two_floats("weibullvariate", args, kw, ["alpha", "beta"])?;
    let u = 1.0 - gen_of(args, "weibullvariate")?.borrow_mut().random();
    Ok(val::float(alpha * float_pow(-u.ln(), divide(1.0, beta)?)?))
}
