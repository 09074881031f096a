//! The methods of generators: `send`, `throw`, `close`, and the iterator protocol.

use super::{Kw, between, defs, noargs, one, recv, slot};
use crate::error::{PyErr, PyResult, type_error};
use crate::obj::{BuiltinDef, Kind, PyRef};
use crate::types::{is_subtype, type_name, types};
use crate::{call, val, vm};

/// The methods of `generator`.
pub(crate) static METHODS: &[BuiltinDef] = defs![
    "send" => send, "throw" => throw, "close" => close, "__iter__" => iter, "__next__" => next,
];

/// The receiver, checked to be a generator.
fn this<'a>(q: &str, args: &'a [PyRef]) -> PyResult<&'a PyRef> {
    recv(q, args, |x| {
        matches!(x.kind(), Some(Kind::Generator(_))).then_some(x)
    })
}

/// `gen.send(value)`.
fn send(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let g = this("generator.send", args)?;
    let v = one("generator.send", args, kw)?;
    vm::gen_send(g, v.clone())
}

/// `gen.throw(exc)`, or the deprecated `gen.throw(type[, value[, traceback]])`.
fn throw(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let g = this("generator.throw", args)?;
    let a = between("generator.throw", args, kw, 1, 3)?;
    let value = a.get(1).filter(|v| !v.is_none());
    let exc = make_exception(&a[0], value)?;
    if let Some(tb) = a.get(2).filter(|t| !t.is_none()) {
        let Some(Kind::Traceback(_)) = tb.kind() else {
            return Err(type_error(
                "throw() third argument must be a traceback object",
            ));
        };
        if let Some(st) = exc.exc() {
            let old = st.traceback.replace(Some(tb.clone()));
            drop(old);
        }
    }
    vm::gen_throw(g, PyErr(exc))
}

/// The exception `throw` raises: an instance as given, or a class instantiated with the
/// value (an instance of the class as is, a tuple as the arguments).
fn make_exception(typ: &PyRef, value: Option<&PyRef>) -> PyResult {
    let base = types().exc("BaseException");
    if let Some(cls) = typ
        .obj()
        .filter(|c| typ.as_type().is_some() && is_subtype(c, base))
    {
        return match value {
            Some(v) if is_subtype(&crate::types::type_of(v), cls) => Ok(v.clone()),
            Some(v) => match v.as_tuple() {
                Some(items) => call::call(typ, items, &[]),
                None => call::call(typ, std::slice::from_ref(v), &[]),
            },
            None => call::call(typ, &[], &[]),
        };
    }
    if typ.exc().is_some() {
        return match value {
            Some(_) => Err(type_error(
                "instance exception may not have a separate value",
            )),
            None => Ok(typ.clone()),
        };
    }
    Err(type_error(format!(
        "exceptions must be classes or instances deriving from BaseException, not {}",
        type_name(typ)
    )))
}

/// `gen.close()`.
fn close(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let g = this("generator.close", args)?;
    noargs("generator.close", args, kw)?;
    vm::gen_close(g)?;
    Ok(val::none())
}

/// `gen.__iter__()`: the generator itself.
fn iter(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let g = this("generator.__iter__", args)?;
    slot("generator.__iter__", args, kw, 0)?;
    Ok(g.clone())
}

/// `gen.__next__()`: StopIteration carries the return value.
fn next(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let g = this("generator.__next__", args)?;
    slot("generator.__next__", args, kw, 0)?;
    vm::gen_send(g, val::none())
}
