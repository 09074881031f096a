//! `str()` of objects, and the reprs and messages of exceptions (CPython's
//! `BaseException_repr`, `BaseException_str`, `KeyError_str`, `OSError_str`…).

use crate::error::{PyErr, PyResult, exc_args};
use crate::obj::{Kind, PyRef};
use crate::types::{is_subtype, type_name, type_of, types};

use super::{call_text_method, repr, tuple_repr};

/// `str(x)` for anything but a str.
pub(crate) fn str_of(x: &PyRef) -> PyResult<String> {
    if let Some(s) = x.as_str() {
        return Ok(s.to_owned());
    }
    if !matches!(x.kind(), Some(Kind::Instance(_) | Kind::Type(_))) {
        return repr(x);
    }
    // A class's own `__str__`, or a metaclass's.
    // (`lookup_override` also finds the `__str__` of classes made in Rust, e.g. tracemalloc's.)
    if let Some(f) = crate::types::lookup_override(&type_of(x), "__str__") {
        return call_text_method(x, &f, "__str__");
    }
    match x.exc().is_some() {
        true => exc_str(x),
        false => repr(x),
    }
}

/// `str(exc)`: the exception's message, never failing (for error reports and tracebacks).
pub(crate) fn message_of(e: &PyErr) -> String {
    str_of(&e.0).unwrap_or_else(|_| "<exception str() failed>".to_owned())
}

/// `ValueError('x')`, `MyErr(1, 2)`, `Exception()`.
pub(crate) fn exc_repr(x: &PyRef) -> PyResult<String> {
    let name = type_name(x);
    match &exc_args(x)[..] {
        [one] => Ok(format!("{name}({})", repr(one)?)),
        args => Ok(format!("{name}{}", tuple_repr(args)?)),
    }
}

/// Whether exception `x` is an instance of the built-in exception class `name`.
fn is_a(x: &PyRef, name: &str) -> bool {
    is_subtype(&type_of(x), types().exc(name))
}

/// `BaseException.__str__` and the overrides of KeyError, OSError and SyntaxError.
pub(crate) fn exc_str(x: &PyRef) -> PyResult<String> {
    let args = exc_args(x);
    if is_a(x, "OSError") && (2..=5).contains(&args.len()) {
        return os_error_str(&args);
    }
    if is_a(x, "SyntaxError")
        && let Some(s) = syntax_error_str(&args)?
    {
        return Ok(s);
    }
    match &args[..] {
        [] => Ok(String::new()),
        [one] if is_a(x, "KeyError") => repr(one),
        [one] => str_of(one),
        args => tuple_repr(args),
    }
}

/// `[Errno 2] No such file or directory: 'x'` (and `-> 'y'` for a second filename).
fn os_error_str(args: &[PyRef]) -> PyResult<String> {
    let mut s = format!("[Errno {}] {}", str_of(&args[0])?, str_of(&args[1])?);
    if let Some(file) = args.get(2) {
        s.push_str(&format!(": {}", repr(file)?));
    }
    if let Some(file2) = args.get(4) {
        s.push_str(&format!(" -> {}", repr(file2)?));
    }
    Ok(s)
}

/// `msg (file.py, line 3)` for `SyntaxError(msg, (filename, lineno, offset, text))`.
fn syntax_error_str(args: &[PyRef]) -> PyResult<Option<String>> {
    let [msg, details] = args else {
        return Ok(None);
    };
    let Some([file, line, ..]) = details.as_tuple() else {
        return Ok(None);
    };
    let msg = str_of(msg)?;
    let base = file
        .as_str()
        .map(|f| f.rsplit('/').next().unwrap_or(f).to_owned());
    Ok(Some(match (base, line.as_i64()) {
        (Some(f), Some(l)) => format!("{msg} ({f}, line {l})"),
        (Some(f), None) => format!("{msg} ({f})"),
        (None, Some(l)) => format!("{msg} (line {l})"),
        (None, None) => msg,
    }))
}
