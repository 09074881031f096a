//! (L2) Python exceptions as Rust errors: every fallible operation returns [`PyResult`],
//! whose error is the exception object being raised.

use std::cell::{Cell, RefCell};

use pymem::Gc;

use crate::obj::{ExcState, Instance, Kind, Obj, PyRef};
use crate::types::{tobj, types};
use crate::val;

pub(crate) use crate::obj::{PyErr, PyResult};

impl std::fmt::Debug for PyErr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PyErr({})", crate::types::type_name(&self.0))
    }
}

/// A new instance of exception class `cls` with `args`, without running Python code.
pub(crate) fn new_exception(cls: &Gc<Obj>, args: Vec<PyRef>) -> PyRef {
    let t = tobj(cls);
    let slots = t.slot_names.iter().map(|_| RefCell::new(None)).collect();
    Obj::new(Kind::Instance(Instance {
        cls: cls.clone(),
        dict: t.has_dict.then(crate::obj::InstanceDict::new),
        slots,
        exc: Some(Box::new(ExcState {
            args: RefCell::new(val::tuple(args)),
            traceback: RefCell::new(None),
            cause: RefCell::new(None),
            context: RefCell::new(None),
            suppress_context: Cell::new(false),
        })),
        base: None,
    }))
}

/// An error of the built-in exception class `name` with one message argument.
#[cold]
pub(crate) fn err(name: &str, msg: impl Into<String>) -> PyErr {
    let cls = types().exc(name);
    PyErr(new_exception(cls, vec![val::string(msg.into())]))
}

/// `raise new from cause`: `new` with `cause` as its `__cause__` and `__context__`, the
/// context suppressed (how PEP 479 turns a generator's StopIteration into RuntimeError).
pub(crate) fn raise_from(new: PyErr, cause: PyErr) -> PyErr {
    if let Some(exc) = new.0.as_instance().and_then(|i| i.exc.as_deref()) {
        *exc.cause.borrow_mut() = Some(cause.0.clone());
        *exc.context.borrow_mut() = Some(cause.0);
        exc.suppress_context.set(true);
    }
    new
}

/// An error of the built-in exception class `name` with the given arguments.
#[cold]
pub(crate) fn err_args(name: &str, args: Vec<PyRef>) -> PyErr {
    PyErr(new_exception(types().exc(name), args))
}

/// `TypeError(msg)`.
#[cold]
pub(crate) fn type_error(msg: impl Into<String>) -> PyErr {
    err("TypeError", msg)
}

/// `ValueError(msg)`.
#[cold]
pub(crate) fn value_error(msg: impl Into<String>) -> PyErr {
    err("ValueError", msg)
}

/// `IndexError(msg)`.
#[cold]
pub(crate) fn index_error(msg: impl Into<String>) -> PyErr {
    err("IndexError", msg)
}

/// `KeyError(key)`.
#[cold]
pub(crate) fn key_error(key: PyRef) -> PyErr {
    err_args("KeyError", vec![key])
}

/// `AttributeError(msg)`.
#[cold]
pub(crate) fn attribute_error(msg: impl Into<String>) -> PyErr {
    err("AttributeError", msg)
}

/// `ZeroDivisionError(msg)`.
#[cold]
pub(crate) fn zero_division(msg: impl Into<String>) -> PyErr {
    err("ZeroDivisionError", msg)
}

/// `OverflowError(msg)`.
#[cold]
pub(crate) fn overflow_error(msg: impl Into<String>) -> PyErr {
    err("OverflowError", msg)
}

/// `StopIteration(value)`, or with no arguments for `None`.
pub(crate) fn stop_iteration(value: PyRef) -> PyErr {
    let args = if value.is_none() { vec![] } else { vec![value] };
    err_args("StopIteration", args)
}

impl PyErr {
    /// Whether the exception is an instance of the built-in class `name` or a subclass.
    pub(crate) fn is(&self, name: &str) -> bool {
        crate::types::is_subtype(&crate::types::type_of(&self.0), types().exc(name))
    }

    /// The exception's state (every raised object is an exception instance).
    pub(crate) fn state(&self) -> &ExcState {
        self.0
            .exc()
            .expect("a raised object is an exception instance")
    }
}

/// The `args` of an exception.
pub(crate) fn exc_args(exc: &PyRef) -> Vec<PyRef> {
    match exc.exc() {
        Some(st) => st
            .args
            .borrow()
            .as_tuple()
            .map(<[PyRef]>::to_vec)
            .unwrap_or_default(),
        None => Vec::new(),
    }
}
