//! (L3) The `builtins` namespace: the built-in functions, the built-in types under their
//! Python names, the exception classes and the constants; and the runtime support the
//! evaluator calls for statements that are library work in CPython (`class`, `raise`,
//! `except`, unpacking, f-string fields, set displays).
//!
//! Layout: [`args`] checks arguments with CPython's messages; [`funcs`] the general
//! functions, [`iterfuncs`] the iteration ones, [`numfuncs`] the numeric ones and
//! `format`; [`class`] `__build_class__` and `type(name, bases, dict)`; [`dynamic`] `exec`/`eval`; [`construct`] and
//! [`convert`] calling a built-in type; [`vmsupport`] what the
//! evaluator calls; [`file`] `open()`.

use std::cell::OnceCell;

use pymem::Gc;

use crate::dict::Dict;
use crate::obj::{BuiltinDef, Kind, Obj, PyRef};
use crate::types::{BuiltinType, dict_get_str, dict_set_str, types};
use crate::val;

mod args;
mod class;
mod complex;
mod construct;
mod convert;
mod dynamic;
mod file;
mod funcs;
mod iterfuncs;
mod member;
mod numfuncs;
#[cfg(test)]
mod tests;
mod vmsupport;

#[allow(unused_imports)] // for `type.__new__` (and the tests)
pub(crate) use class::new_class;
pub(crate) use class::{build_class_fn, subclasses, type_call};
pub(crate) use construct::{PropertyDoc, construct};
pub(crate) use file::os_error;
pub(crate) use iterfuncs::sort_values;
pub(crate) use member::is_member;
#[allow(unused_imports)] // for `format()`-like methods
pub(crate) use numfuncs::format_obj;
pub(crate) use numfuncs::format_value;
pub(crate) use vmsupport::{
    exception_matches, make_const_set, make_exception, make_set, mapping_items, set_add, set_cause,
    set_update, stop_value, unpack_items,
};

/// The built-in types that are visible in `builtins` under their own names.
const VISIBLE_TYPES: &[BuiltinType] = {
    use BuiltinType as B;
    &[
        B::Object,
        B::Type,
        B::Enumerate,
        B::Zip,
        B::Map,
        B::Filter,
        B::Reversed,
        B::Int,
        B::Bool,
        B::Float,
        B::Complex,
        B::Str,
        B::Bytes,
        B::ByteArray,
        B::List,
        B::Tuple,
        B::Dict,
        B::Set,
        B::FrozenSet,
        B::Range,
        B::Slice,
        B::Property,
        B::ClassMethod,
        B::StaticMethod,
        B::Super,
    ]
};

thread_local! {
    /// The `builtins` namespace, made on first use.
    static BUILTINS: OnceCell<PyRef> = const { OnceCell::new() };
}

/// The `builtins` module's dict.
pub(crate) fn builtins_dict() -> PyRef {
    BUILTINS.with(|b| b.get_or_init(make_namespace).clone())
}

/// Looks a name up in `builtins` (the last step of `LoadGlobal` and `LoadName`).
pub(crate) fn lookup_builtin(name: &str) -> Option<PyRef> {
    BUILTINS.with(|b| {
        let d = b.get_or_init(make_namespace);
        dict_get_str(&d.as_dict()?.borrow(), name)
    })
}

/// Builds the namespace: functions, types, exceptions and constants.
fn make_namespace() -> PyRef {
    let mut d = Dict::new();
    let mut put = |name: &str, v: PyRef| drop(dict_set_str(&mut d, val::str_(name), v));
    for defs in [
        funcs::FUNCS,
        iterfuncs::FUNCS,
        numfuncs::FUNCS,
        file::FUNCS,
        class::FUNCS,
        dynamic::FUNCS,
    ] {
        for def in defs {
            put(def.name, builtin_fn(def));
        }
    }
    for &bt in VISIBLE_TYPES {
        let ty = types().get(bt);
        put(
            &crate::types::tobj(ty).name.borrow().clone(),
            PyRef::O(ty.clone()),
        );
    }
    for (name, cls) in types().exceptions() {
        put(name, PyRef::O(cls.clone()));
    }
    // Aliases CPython keeps for compatibility.
    for alias in ["IOError", "EnvironmentError"] {
        put(alias, PyRef::O(types().exc("OSError").clone()));
    }
    put("None", val::none());
    put("True", val::bool_(true));
    put("False", val::bool_(false));
    put("Ellipsis", val::ellipsis());
    put("NotImplemented", val::not_implemented());
    put("__name__", val::str_("builtins"));
    put("__doc__", val::none());
    put("__debug__", val::bool_(true));
    val::dict(d)
}

/// A built-in function object for `def`, unbound.
pub(crate) fn builtin_fn(def: &'static BuiltinDef) -> PyRef {
    Obj::new(Kind::Builtin(def, None))
}

/// The innermost running frame's globals and locals (if the VM reported any): a class or
/// module body's namespace, or for a function a new empty dict, as its variables live in
/// slots the VM does not expose (CPython returns a snapshot of them: a deviation).
pub(crate) fn current_namespace() -> Option<(Gc<Obj>, Option<PyRef>)> {
    let (globals, locals, function) = crate::vm::current_namespace()?;
    let locals = if function {
        Some(val::dict(Dict::new()))
    } else {
        locals
    };
    Some((globals, locals))
}
