//! Calling `complex` (CPython's `complex_new`): from text, from numbers and from objects
//! with `__complex__`, `__float__` or `__index__`, with CPython's messages.

use super::args::{Sig, bind};
use super::convert::float_of;
use crate::call::Kwargs;
use crate::error::{PyResult, type_error};
use crate::obj::{Atom, PyRef};
use crate::types::{lookup, type_name, type_of};
use crate::{ops, val};

/// `complex(real=0, imag=0)`.
pub(super) fn complex_new(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    const SIG: Sig = Sig {
        name: "complex",
        names: &["real", "imag"],
        posonly: 0,
        required: 0,
    };
    let a = bind(&SIG, args, kwargs)?;
    let (r, i) = (a[0].clone().unwrap_or_else(|| val::int(0)), a[1].as_ref());
    if i.is_none() && matches!(r.atom(), Some(Atom::Complex(..))) {
        return Ok(r);
    }
    if let Some(s) = r.as_str() {
        return from_string(s, i.is_some());
    }
    if i.is_some_and(|i| i.as_str().is_some()) {
        return Err(type_error("complex() second arg can't be a string"));
    }
    from_numbers(&dunder_complex(r)?, i)
}

/// `complex(s)`: text takes no imaginary part beside it.
fn from_string(s: &str, with_imag: bool) -> PyResult {
    if with_imag {
        return Err(type_error(
            "complex() can't take second arg if first is a string",
        ));
    }
    crate::num::complex_from_str(s).map(|(re, im)| val::complex(re, im))
}

/// `complex(r, i)` for numbers: `r + i*1j` computed as CPython does, so that complex
/// arguments combine (`complex(1j, 1j) == -1+1j`).
fn from_numbers(r: &PyRef, i: Option<&PyRef>) -> PyResult {
    check_numbers(r, i)?;
    let ((re, im), cr_is_complex) = parts(r)?;
    let Some(i) = i else {
        return Ok(val::complex(re, im));
    };
    let ((ci_re, ci_im), ci_is_complex) = parts(i)?;
    let re = if ci_is_complex { re - ci_im } else { re };
    let im = if cr_is_complex { ci_re + im } else { ci_re };
    Ok(val::complex(re, im))
}

/// The TypeError of an argument that is not a number.
fn check_numbers(r: &PyRef, i: Option<&PyRef>) -> PyResult<()> {
    if !is_number(r) {
        return Err(type_error(format!(
            "complex() first argument must be a string or a number, not '{}'",
            type_name(r)
        )));
    }
    match i.filter(|i| !is_number(i)) {
        Some(i) => Err(type_error(format!(
            "complex() second argument must be a number, not '{}'",
            type_name(i)
        ))),
        None => Ok(()),
    }
}

/// A number's value as a complex, and whether it was one (else it went through `float()`).
fn parts(x: &PyRef) -> PyResult<((f64, f64), bool)> {
    match x.atom() {
        Some(Atom::Complex(re, im)) => Ok(((*re, *im), true)),
        _ => Ok(((float_of(x)?, 0.0), false)),
    }
}

/// `x.__complex__()` when `x`'s class defines it (which must return a complex), else `x`.
fn dunder_complex(x: PyRef) -> PyResult {
    if x.as_instance().is_none() {
        return Ok(x);
    }
    match ops::call_special(&x, "__complex__", &[])? {
        Some(c) if matches!(c.atom(), Some(Atom::Complex(..))) => Ok(c),
        Some(c) => Err(type_error(format!(
            "__complex__ returned non-complex (type {})",
            type_name(&c)
        ))),
        None => Ok(x),
    }
}

/// Whether `x` is a number to `complex()`: a complex, or anything with `__float__` or
/// `__index__` (CPython's `nb_float` and `nb_index` slots).
fn is_number(x: &PyRef) -> bool {
    match x.atom() {
        Some(Atom::Int(_) | Atom::Big(_) | Atom::Bool(_) | Atom::Float(_) | Atom::Complex(..)) => {
            true
        }
        Some(_) => false,
        None => ["__float__", "__index__"]
            .iter()
            .any(|m| lookup(&type_of(x), m).is_some()),
    }
}
