//! Argument checking for the built-in functions, with the messages of CPython's calling
//! conventions: `METH_O` ("len() takes exactly one argument (0 given)"), positional-only
//! Argument Clinic functions ("getattr expected at least 2 arguments, got 1") and those
//! accepting keywords ("round() missing required argument 'number' (pos 1)").

use crate::call::Kwargs;
use crate::error::{PyResult, type_error};
use crate::obj::PyRef;

/// Refuses keyword arguments.
pub(super) fn no_kwargs(name: &str, kwargs: Kwargs<'_>) -> PyResult<()> {
    match kwargs.is_empty() {
        true => Ok(()),
        false => Err(type_error(format!("{name}() takes no keyword arguments"))),
    }
}

/// Checks a `METH_O` call and returns its one argument.
pub(super) fn one<'a>(name: &str, args: &'a [PyRef], kwargs: Kwargs<'_>) -> PyResult<&'a PyRef> {
    no_kwargs(name, kwargs)?;
    match args {
        [x] => Ok(x),
        _ => Err(type_error(format!(
            "{name}() takes exactly one argument ({} given)",
            args.len()
        ))),
    }
}

/// Checks that a positional-only call has `min..=max` arguments.
pub(super) fn count(name: &str, args: &[PyRef], min: usize, max: usize) -> PyResult<()> {
    let (bound, what) = match args.len() {
        n if n < min => (min, "at least "),
        n if n > max => (max, "at most "),
        _ => return Ok(()),
    };
    let what = if min == max { "" } else { what };
    let s = if bound == 1 { "" } else { "s" };
    Err(type_error(format!(
        "{name} expected {what}{bound} argument{s}, got {}",
        args.len()
    )))
}

/// [`count`] with no keyword arguments allowed.
pub(super) fn positional(
    name: &str,
    args: &[PyRef],
    kwargs: Kwargs<'_>,
    min: usize,
    max: usize,
) -> PyResult<()> {
    no_kwargs(name, kwargs)?;
    count(name, args, min, max)
}

/// The keyword argument `key`, if given.
pub(super) fn kwarg(kwargs: Kwargs<'_>, key: &str) -> Option<PyRef> {
    kwargs
        .iter()
        .find(|(k, _)| k.as_str() == Some(key))
        .map(|(_, v)| v.clone())
}

/// Refuses keyword arguments other than `allowed`.
pub(super) fn only_kwargs(name: &str, kwargs: Kwargs<'_>, allowed: &[&str]) -> PyResult<()> {
    for (k, _) in kwargs {
        let key = k.as_str().unwrap_or_default();
        if !allowed.contains(&key) {
            return Err(type_error(format!(
                "{name}() got an unexpected keyword argument '{key}'"
            )));
        }
    }
    Ok(())
}

/// The parameters of a function that takes keywords (`names`, of which the first
/// `posonly` are positional-only and the first `required` required).
pub(super) struct Sig {
    pub name: &'static str,
    pub names: &'static [&'static str],
    pub posonly: usize,
    pub required: usize,
}

/// Binds a call to `sig`: one slot per parameter, `None` where not given.
pub(super) fn bind(sig: &Sig, args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult<Vec<Option<PyRef>>> {
    let (name, max) = (sig.name, sig.names.len());
    if args.len() + kwargs.len() > max {
        let s = if max == 1 { "" } else { "s" };
        let n = args.len() + kwargs.len();
        return Err(type_error(format!(
            "{name}() takes at most {max} argument{s} ({n} given)"
        )));
    }
    let mut out: Vec<Option<PyRef>> = args.iter().cloned().map(Some).collect();
    out.resize(max, None);
    for (k, v) in kwargs {
        bind_keyword(sig, &mut out, args.len(), k.as_str().unwrap_or_default(), v)?;
    }
    match (0..sig.required).find(|&i| out[i].is_none()) {
        Some(i) => Err(type_error(format!(
            "{name}() missing required argument '{}' (pos {})",
            sig.names[i],
            i + 1
        ))),
        None => Ok(out),
    }
}

/// Puts keyword argument `key` into its parameter's slot.
fn bind_keyword(
    sig: &Sig,
    out: &mut [Option<PyRef>],
    npos: usize,
    key: &str,
    v: &PyRef,
) -> PyResult<()> {
    let name = sig.name;
    match sig.names.iter().position(|n| *n == key) {
        Some(i) if i < sig.posonly => Err(type_error(format!(
            "'{key}' is an invalid keyword argument for {name}()"
        ))),
        Some(i) if i < npos => Err(type_error(format!(
            "argument for {name}() given by name ('{key}') and position ({})",
            i + 1
        ))),
        Some(i) => {
            out[i] = Some(v.clone());
            Ok(())
        }
        None => Err(type_error(format!(
            "{name}() got an unexpected keyword argument '{key}'"
        ))),
    }
}

/// The argument, or `None` when it is absent or Python's `None`.
pub(super) fn opt(x: &Option<PyRef>) -> Option<&PyRef> {
    x.as_ref().filter(|v| !v.is_none())
}

/// A `str` argument, or the TypeError `what` must be str.
pub(super) fn str_arg<'a>(x: &'a PyRef, what: &str) -> PyResult<&'a str> {
    x.as_str().ok_or_else(|| {
        type_error(format!(
            "{what} must be str, not {}",
            crate::types::type_name(x)
        ))
    })
}
