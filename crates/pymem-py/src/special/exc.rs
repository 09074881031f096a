//! The attributes of exceptions kept in their [`ExcState`] (`args`, `__traceback__`,
//! `__cause__`, `__context__`, `__suppress_context__`) and those CPython's exception
//! classes derive from their arguments (`StopIteration.value`, `SystemExit.code`,
//! `OSError.errno`, `SyntaxError.lineno`, …).

use crate::error::{PyResult, exc_args, type_error};
use crate::obj::{ExcState, Kind, PyRef};
use crate::{ops, val};

use super::is_exc;

/// The exception attribute `name` of `x`, if it has one.
pub(super) fn attr(x: &PyRef, st: &ExcState, name: &str) -> PyResult<Option<PyRef>> {
    let opt =
        |v: &std::cell::RefCell<Option<PyRef>>| Some(v.borrow().clone().unwrap_or_else(val::none));
    Ok(match name {
        "args" => Some(st.args.borrow().clone()),
        "__traceback__" => opt(&st.traceback),
        "__cause__" => opt(&st.cause),
        "__context__" => opt(&st.context),
        "__suppress_context__" => Some(val::bool_(st.suppress_context.get())),
        _ => derived(x, name),
    })
}

/// The attributes a built-in exception class computes from its arguments.
fn derived(x: &PyRef, name: &str) -> Option<PyRef> {
    let args = exc_args(x);
    let arg = |i: usize| args.get(i).cloned().unwrap_or_else(val::none);
    match name {
        "value" if is_exc(x, "StopIteration") => Some(arg(0)),
        "code" if is_exc(x, "SystemExit") => Some(match args.len() {
            0 | 1 => arg(0),
            _ => val::tuple(args.clone()),
        }),
        "errno" | "strerror" | "filename" | "filename2" if is_exc(x, "OSError") => {
            os_error_field(&args, name)
        }
        "name" | "obj" if is_exc(x, "AttributeError") => Some(val::none()),
        "name" if is_exc(x, "NameError") => Some(val::none()),
        "name" | "path" if is_exc(x, "ImportError") => Some(val::none()),
        "msg" if is_exc(x, "ImportError") => Some(arg(0)),
        "msg" | "filename" | "lineno" | "offset" | "text" | "end_lineno" | "end_offset"
            if is_exc(x, "SyntaxError") =>
        {
            Some(syntax_error_field(&args, name))
        }
        "print_file_and_line" if is_exc(x, "SyntaxError") => Some(val::none()),
        _ => None,
    }
}

/// `errno`, `strerror`, `filename`, `filename2`: set when there are 2 to 5 arguments.
fn os_error_field(args: &[PyRef], name: &str) -> Option<PyRef> {
    let i = ["errno", "strerror", "filename", "", "filename2"]
        .iter()
        .position(|n| *n == name)?;
    let field = (2..=5)
        .contains(&args.len())
        .then(|| args.get(i).cloned())
        .flatten();
    Some(field.unwrap_or_else(val::none))
}

/// `SyntaxError(msg, (filename, lineno, offset, text, end_lineno, end_offset))`.
fn syntax_error_field(args: &[PyRef], name: &str) -> PyRef {
    if name == "msg" {
        return args.first().cloned().unwrap_or_else(val::none);
    }
    let i = [
        "filename",
        "lineno",
        "offset",
        "text",
        "end_lineno",
        "end_offset",
    ]
    .iter()
    .position(|n| *n == name);
    let details = args.get(1).and_then(|d| d.as_tuple());
    details
        .zip(i)
        .and_then(|(d, i)| d.get(i).cloned())
        .unwrap_or_else(val::none)
}

/// The attributes [`set_attr`] writes.
const STATE: [&str; 5] = [
    "args",
    "__traceback__",
    "__cause__",
    "__context__",
    "__suppress_context__",
];

/// Writes one of the [`ExcState`] attributes; false for any other name.
pub(super) fn set_attr(st: &ExcState, name: &str, value: Option<PyRef>) -> PyResult<bool> {
    if !STATE.contains(&name) {
        return Ok(false);
    }
    match value {
        Some(v) => store(st, name, v).map(|()| true),
        None => Err(type_error(format!("{name} may not be deleted"))),
    }
}

/// Stores `v` as the state attribute `name`, checking its type as CPython does.
fn store(st: &ExcState, name: &str, v: PyRef) -> PyResult<()> {
    const CAUSE: &str = "exception cause must be None or derive from BaseException";
    const CONTEXT: &str = "exception context must be None or derive from BaseException";
    match name {
        "args" => drop(st.args.replace(val::tuple(ops::collect(&v)?))),
        "__traceback__" => drop(st.traceback.replace(traceback_or_none(v)?)),
        "__cause__" => {
            drop(st.cause.replace(exception_or_none(v, CAUSE)?));
            st.suppress_context.set(true);
        }
        "__context__" => drop(st.context.replace(exception_or_none(v, CONTEXT)?)),
        _ => match v.atom() {
            Some(crate::obj::Atom::Bool(b)) => st.suppress_context.set(*b),
            _ => return Err(type_error("attribute value type must be bool")),
        },
    }
    Ok(())
}

/// The value of `__traceback__`: None or a traceback.
fn traceback_or_none(v: PyRef) -> PyResult<Option<PyRef>> {
    match (v.is_none(), v.kind()) {
        (true, _) => Ok(None),
        (false, Some(Kind::Traceback(_))) => Ok(Some(v)),
        _ => Err(type_error("__traceback__ must be a traceback or None")),
    }
}

/// The value of `__cause__`/`__context__`: None or an exception instance.
fn exception_or_none(v: PyRef, msg: &str) -> PyResult<Option<PyRef>> {
    if v.is_none() {
        return Ok(None);
    }
    match v.exc() {
        Some(_) => Ok(Some(v)),
        None => Err(type_error(msg.to_owned())),
    }
}

/// The class `OSError(errno, strerror, ...)` really makes: CPython picks the subclass for
/// the error number when `OSError` itself is called with two or more arguments.
pub(crate) fn os_error_class(
    cls: &pymem::Gc<crate::obj::Obj>,
    args: &[PyRef],
) -> pymem::Gc<crate::obj::Obj> {
    let types = crate::types::types();
    let os_error = types.exc("OSError");
    if !pymem::Gc::ptr_eq(cls, os_error) || args.len() < 2 {
        return cls.clone();
    }
    let errno = match args[0].atom() {
        Some(crate::obj::Atom::Int(n)) => *n,
        _ => return cls.clone(),
    };
    match errno_class(errno) {
        Some(name) => types.exc(name).clone(),
        None => cls.clone(),
    }
}

/// The OSError subclass for a (Linux) error number, as CPython's `errnomap`.
fn errno_class(errno: i64) -> Option<&'static str> {
    Some(match errno {
        11 | 114 | 115 => "BlockingIOError",
        10 => "ChildProcessError",
        32 | 108 => "BrokenPipeError",
        103 => "ConnectionAbortedError",
        111 => "ConnectionRefusedError",
        104 => "ConnectionResetError",
        17 => "FileExistsError",
        2 => "FileNotFoundError",
        21 => "IsADirectoryError",
        20 => "NotADirectoryError",
        4 => "InterruptedError",
        1 | 13 => "PermissionError",
        3 => "ProcessLookupError",
        110 => "TimeoutError",
        _ => return None,
    })
}

/// `ModuleNotFoundError("No module named 'name'")` with its `name` attribute set, as the
/// import system raises it.
pub(crate) fn module_not_found(name: &str) -> crate::error::PyErr {
    let e = crate::error::err_args(
        "ModuleNotFoundError",
        vec![val::string(format!("No module named '{name}'"))],
    );
    // A fresh exception has a dict, so this cannot fail.
    let _ = crate::attr::generic_setattr(&e.0, &val::str_("name"), Some(val::str_(name)));
    e
}
