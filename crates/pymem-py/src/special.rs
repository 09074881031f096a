//! (L2) The attributes every object of a built-in kind has without a dict entry:
//! `__class__`, `__dict__`, `__name__`, `__mro__`, an exception's `args` and
//! `__traceback__`, a function's `__code__` and `__defaults__`, a method's `__self__`…;
//! the writable ones ([`set_attr`]); and attribute lookup through `super` objects.
//!
//! Deviation: an instance's (and a function's) `__dict__` lives inline in the object, so
//! `x.__dict__` is a new dict holding a copy of the entries: writes to it do not reach
//! the object (CPython returns the object's own dict). A class's `__dict__` is such a copy
//! too, standing in for the read-only `mappingproxy`.

use std::cell::RefCell;
use std::rc::Rc;

use num_bigint::BigInt;

use crate::code::Code;
use crate::dict::Dict;
use crate::error::{PyResult, type_error, value_error};
use crate::modules::weakref::{weakref_attr, weakref_descriptor};
use crate::modules::{ClassSpec, class_of, new_object, set_slot};
use crate::obj::{Atom, BuiltinDef, Func, Generator, Kind, Obj, PyRef, TbEntry, TypeObj};
use crate::types::{tobj, type_name, type_of, types};
use crate::{attr, val};

mod exc;
mod superobj;
#[cfg(test)]
mod tests;

pub(crate) use exc::{module_not_found, os_error_class};
pub(crate) use superobj::super_getattr;

/// The special attribute `name` of `x`, if it has one.
pub(crate) fn attr(x: &PyRef, name: &str) -> PyResult<Option<PyRef>> {
    if name == "__class__" {
        return Ok(Some(PyRef::O(type_of(x))));
    }
    let found = match x {
        PyRef::A(a) => atom_attr(a, name),
        PyRef::O(o) => obj_attr(x, &o.kind, name)?,
    };
    // Every object has a `__doc__`; what is not found elsewhere has none.
    Ok(found.or_else(|| (name == "__doc__").then(val::none)))
}

/// The special attributes of tracked objects.
fn obj_attr(x: &PyRef, kind: &Kind, name: &str) -> PyResult<Option<PyRef>> {
    Ok(match kind {
        Kind::Type(t) => type_attr(x, t, name),
        Kind::Function(f) => function_attr(f, name),
        Kind::Method(f, slf) => return method_attr(f, slf, name),
        Kind::Builtin(def, slf) => builtin_attr(def, slf.as_ref(), name),
        Kind::Instance(inst) => match (name, &inst.dict, x.exc()) {
            ("__dict__", Some(d), _) => Some(d.materialize(val::dict)),
            ("__weakref__", ..) if tobj(&inst.cls).has_weakref => Some(weakref_attr(x)),
            (_, _, Some(st)) => exc::attr(x, st, name)?,
            _ => None,
        },
        Kind::Module(m) => (name == "__dict__").then(|| PyRef::O(m.dict.clone())),
        Kind::Generator(g) => generator_attr(g, name),
        Kind::Property(p) => superobj::property_attr(x, p, name)?,
        Kind::ClassMethod(f) | Kind::StaticMethod(f) => return wrapper_attr(f, name),
        Kind::Super(start, obj) => return superobj::lookup(start, obj, name),
        Kind::WeakRef(w) => {
            (name == "__callback__").then(|| w.callback.borrow().clone().unwrap_or_else(val::none))
        }
        Kind::Slice(s) => slice_attr(s, name),
        Kind::Cell(c) => return cell_attr(c, name),
        Kind::Traceback(tb) => traceback_attr(tb, name),
        _ => None,
    })
}

/// A new dict object with a copy of `d`'s entries.
fn dict_copy(d: &RefCell<Dict>) -> PyRef {
    val::dict(crate::dictops::copy(d))
}

/// A tuple of classes.
fn class_tuple<'a>(classes: impl Iterator<Item = &'a pymem::Gc<Obj>>) -> PyRef {
    val::tuple(classes.map(|c| PyRef::O(c.clone())).collect())
}

/// `cls.__name__`, `cls.__mro__`, … (what `type_getattr` finds in no class dict).
fn type_attr(cls: &PyRef, t: &TypeObj, name: &str) -> Option<PyRef> {
    match name {
        "__name__" => Some(val::str_(&t.name.borrow())),
        "__qualname__" => Some(val::str_(&t.qualname.borrow())),
        "__module__" => Some(val::str_("builtins")),
        "__mro__" => Some(class_tuple(t.mro.borrow().iter())),
        "__bases__" => Some(class_tuple(t.bases.iter())),
        "__base__" => Some(
            t.bases
                .first()
                .map_or_else(val::none, |b| PyRef::O(b.clone())),
        ),
        "__dict__" => Some(dict_copy(&t.dict)),
        "__weakref__" if t.has_weakref && t.builtin.is_none() => Some(weakref_descriptor()),
        "__annotations__" => Some(val::dict(Dict::new())),
        _ => TYPE_METHODS
            .iter()
            .find(|d| d.name == name)
            .map(|d| Obj::new(Kind::Builtin(d, Some(cls.clone())))),
    }
}

/// The methods of `type` kept here: `cls.__subclasses__()` and `cls.mro()`.
const TYPE_METHODS: &[BuiltinDef] = &[
    BuiltinDef {
        name: "__subclasses__",
        func: type_subclasses,
    },
    BuiltinDef {
        name: "mro",
        func: type_mro,
    },
];

/// The class a method of `type` is bound to.
fn receiver_class(name: &str, args: &[PyRef]) -> PyResult<pymem::Gc<Obj>> {
    match args.first() {
        Some(PyRef::O(c)) if args[0].as_type().is_some() => Ok(c.clone()),
        _ => Err(type_error(format!(
            "descriptor '{name}' requires a 'type' object"
        ))),
    }
}

/// `cls.__subclasses__()`.
fn type_subclasses(args: &[PyRef], _kwargs: crate::call::Kwargs<'_>) -> PyResult {
    let cls = receiver_class("__subclasses__", args)?;
    Ok(val::list(crate::builtins::subclasses(&cls)))
}

/// `cls.mro()`: the MRO as a list.
fn type_mro(args: &[PyRef], _kwargs: crate::call::Kwargs<'_>) -> PyResult {
    let cls = receiver_class("mro", args)?;
    let mro = tobj(&cls)
        .mro
        .borrow()
        .iter()
        .map(|c| PyRef::O(c.clone()))
        .collect();
    Ok(val::list(mro))
}

/// A function's `__name__`, `__code__`, `__defaults__`, ….
fn function_attr(f: &Func, name: &str) -> Option<PyRef> {
    let opt = |v: &RefCell<Option<PyRef>>| v.borrow().clone().unwrap_or_else(val::none);
    match name {
        "__name__" => Some(val::str_(&f.name.borrow())),
        "__qualname__" => Some(val::str_(&f.qualname.borrow())),
        "__module__" => Some(f.module.borrow().clone()),
        "__doc__" => Some(f.doc.borrow().clone()),
        "__code__" => Some(val::code(f.code.clone())),
        "__defaults__" => Some(opt(&f.defaults)),
        "__kwdefaults__" => Some(opt(&f.kwdefaults)),
        "__closure__" if f.closure.is_empty() => Some(val::none()),
        "__closure__" => Some(val::tuple(f.closure.to_vec())),
        "__globals__" => Some(PyRef::O(f.globals.clone())),
        "__builtins__" => Some(crate::builtins::builtins_dict()),
        "__dict__" => Some(dict_copy(&f.dict)),
        "__annotations__" => Some(val::dict(Dict::new())),
        "__type_params__" => Some(val::tuple(Vec::new())),
        _ => None,
    }
}

/// A bound method's `__self__` and `__func__`; other attributes are the function's.
fn method_attr(f: &PyRef, slf: &PyRef, name: &str) -> PyResult<Option<PyRef>> {
    match name {
        "__self__" => Ok(Some(slf.clone())),
        "__func__" => Ok(Some(f.clone())),
        _ => attr::generic_getattr(f, name),
    }
}

/// A built-in function's or method's attributes.
fn builtin_attr(def: &BuiltinDef, slf: Option<&PyRef>, name: &str) -> Option<PyRef> {
    match name {
        "__name__" => Some(val::str_(def.name)),
        "__qualname__" => Some(match slf.filter(|s| s.as_type().is_none()) {
            Some(s) => val::string(format!("{}.{}", type_name(s), def.name)),
            None => val::str_(def.name),
        }),
        "__self__" => Some(slf.cloned().unwrap_or_else(val::none)),
        "__module__" => Some(if slf.is_none() {
            val::str_("builtins")
        } else {
            val::none()
        }),
        "__text_signature__" => Some(val::none()),
        _ => None,
    }
}

/// A generator's `__name__`, `gi_running`, `gi_frame`, `gi_code`.
fn generator_attr(g: &Generator, name: &str) -> Option<PyRef> {
    let state = g
        .frame
        .borrow()
        .as_ref()
        .map(|f| (f.pc, PyRef::O(f.globals.clone())));
    match name {
        "__name__" => Some(val::str_(&g.name)),
        "__qualname__" => Some(val::str_(&g.qualname)),
        "gi_running" => Some(val::bool_(g.running.get())),
        "gi_suspended" => Some(val::bool_(state.is_some_and(|(pc, _)| pc > 0))),
        "gi_code" => Some(val::code(g.code.clone())),
        // `gi_frame is None` tells that the generator has finished.
        "gi_frame" => match (state, g.running.get()) {
            (Some((pc, globals)), _) => Some(frame_object(&g.code, pc, Some(globals))),
            (None, true) => Some(frame_object(&g.code, 0, None)),
            (None, false) => Some(val::none()),
        },
        "gi_yieldfrom" => Some(val::none()),
        _ => None,
    }
}

/// The class of the stand-ins for frame objects (which the VM does not make).
static FRAME: ClassSpec = ClassSpec {
    name: "frame",
    module: "builtins",
    methods: &[],
    statics: &[],
    props: &[],
    slots: &[
        "f_code",
        "f_lineno",
        "f_lasti",
        "f_back",
        "f_globals",
        "f_locals",
    ],
    has_dict: false,
    base: None,
};

/// A stand-in for the frame of `code` stopped at instruction `pc`: its `f_code`,
/// `f_lineno`, `f_lasti`, `f_globals` (None when unknown) and `f_back` (None).
pub(crate) fn frame_object(code: &Rc<Code>, pc: usize, globals: Option<PyRef>) -> PyRef {
    let f = new_object(&class_of(&FRAME));
    set_slot(&f, "f_code", val::code(code.clone()));
    set_slot(&f, "f_lineno", val::int(code.line_of(pc) as i64));
    set_slot(&f, "f_lasti", val::int(pc as i64 * 2));
    set_slot(&f, "f_back", val::none());
    set_slot(&f, "f_globals", globals.unwrap_or_else(val::none));
    set_slot(&f, "f_locals", val::none());
    f
}

/// A finished frame's local variables move into its frame object (kept alive by the
/// tracebacks that name it, as CPython's frame objects keep their locals).
pub(crate) fn frame_set_locals(frame_obj: &PyRef, locals: PyRef) {
    set_slot(frame_obj, "f_locals", locals);
}

/// `classmethod`/`staticmethod`: `__func__` and what they copy from the function.
fn wrapper_attr(f: &PyRef, name: &str) -> PyResult<Option<PyRef>> {
    match name {
        "__func__" | "__wrapped__" => Ok(Some(f.clone())),
        "__isabstractmethod__" => Ok(Some(val::bool_(false))),
        "__name__" | "__qualname__" | "__doc__" | "__module__" => attr::generic_getattr(f, name),
        _ => Ok(None),
    }
}

/// `slice.start`, `.stop`, `.step`.
fn slice_attr(s: &[PyRef; 3], name: &str) -> Option<PyRef> {
    let i = ["start", "stop", "step"].iter().position(|n| *n == name)?;
    Some(s[i].clone())
}

/// `cell.cell_contents`.
fn cell_attr(c: &RefCell<Option<PyRef>>, name: &str) -> PyResult<Option<PyRef>> {
    if name != "cell_contents" {
        return Ok(None);
    }
    c.borrow()
        .clone()
        .map(Some)
        .ok_or_else(|| value_error("Cell is empty"))
}

/// A traceback entry's `tb_next`, `tb_lineno`, `tb_lasti`, `tb_frame` (a stand-in).
fn traceback_attr(tb: &TbEntry, name: &str) -> Option<PyRef> {
    match name {
        "tb_next" => Some(tb.next.borrow().clone().unwrap_or_else(val::none)),
        "tb_lineno" => Some(val::int(tb.code.line_of(tb.pc) as i64)),
        "tb_lasti" => Some(val::int(tb.pc as i64 * 2)),
        "tb_frame" => Some(match &tb.frame {
            Some(f) => f.clone(),
            None => frame_object(&tb.code, tb.pc, None),
        }),
        _ => None,
    }
}

/// The attributes of untracked objects: numbers' `real`/`imag`, ranges' bounds, code
/// objects' `co_*`.
fn atom_attr(a: &Atom, name: &str) -> Option<PyRef> {
    match a {
        Atom::Int(_) | Atom::Bool(_) | Atom::Big(_) => int_attr(a, name),
        Atom::Float(f) => match name {
            "real" => Some(val::float(*f)),
            "imag" => Some(val::float(0.0)),
            _ => None,
        },
        Atom::Complex(re, im) => match name {
            "real" => Some(val::float(*re)),
            "imag" => Some(val::float(*im)),
            _ => None,
        },
        Atom::Range(r) => match name {
            "start" => Some(val::int(r.start)),
            "stop" => Some(val::int(r.stop)),
            "step" => Some(val::int(r.step)),
            _ => None,
        },
        Atom::Code(c) => code_attr(c, name),
        _ => None,
    }
}

/// `int.real`, `.imag`, `.numerator`, `.denominator` (a bool's are ints).
fn int_attr(a: &Atom, name: &str) -> Option<PyRef> {
    let value = || match a {
        Atom::Big(b) => val::bigint(b.clone()),
        Atom::Int(i) => val::int(*i),
        Atom::Bool(b) => val::int(*b as i64),
        _ => val::bigint(BigInt::default()),
    };
    match name {
        "real" | "numerator" => Some(value()),
        "imag" => Some(val::int(0)),
        "denominator" => Some(val::int(1)),
        _ => None,
    }
}

/// A code object's `co_*` attributes.
fn code_attr(c: &crate::code::Code, name: &str) -> Option<PyRef> {
    let strs = |v: &[std::rc::Rc<str>]| val::tuple(v.iter().map(|s| val::str_(s)).collect());
    Some(match name {
        "co_name" => val::str_(&c.name),
        "co_qualname" => val::str_(&c.qualname),
        "co_filename" => val::str_(&c.filename),
        "co_firstlineno" => val::int(c.firstlineno as i64),
        "co_varnames" => strs(&c.varnames),
        "co_cellvars" => strs(&c.cellvars),
        "co_freevars" => strs(&c.freevars),
        "co_names" => val::tuple(c.names.clone()),
        "co_consts" => val::tuple(c.consts.clone()),
        "co_argcount" => val::int(c.argcount as i64),
        "co_posonlyargcount" => val::int(c.posonlyargcount as i64),
        "co_kwonlyargcount" => val::int(c.kwonlyargcount as i64),
        "co_nlocals" => val::int(c.nlocals() as i64),
        "co_flags" => val::int(code_flags(c)),
        _ => return None,
    })
}

/// CPython's `co_flags` bits for what our code objects record.
fn code_flags(c: &crate::code::Code) -> i64 {
    let f = c.flags;
    let optimized = if f.uses_namespace { 0 } else { 0x1 | 0x2 };
    optimized | (f.varargs as i64) << 2 | (f.varkw as i64) << 3 | (f.generator as i64) << 5
}

/// `x.name = value` (or `del x.name` for `None`) for the special attributes that are
/// writable: an exception's `args`, `__cause__`, …; a function's `__name__`,
/// `__defaults__`, …; an instance's `__dict__`. Returns false when `name` is not one of
/// them (the caller then stores the attribute as usual). `attr::generic_setattr` calls it
/// before storing.
pub(crate) fn set_attr(x: &PyRef, name: &str, value: Option<PyRef>) -> PyResult<bool> {
    match x.kind() {
        Some(Kind::Instance(inst)) => {
            if name == "__dict__"
                && let Some(d) = &inst.dict
            {
                return replace_instance_dict(d, value).map(|()| true);
            }
            match x.exc() {
                Some(st) => exc::set_attr(st, name, value),
                None => Ok(false),
            }
        }
        Some(Kind::Function(f)) => set_function_attr(f, name, value),
        Some(Kind::Type(t)) => set_type_attr(t, name, value),
        _ => Ok(false),
    }
}

/// The built-in types are immutable; a class's `__name__` and `__qualname__` live in the
/// type object, not its dict.
fn set_type_attr(t: &TypeObj, name: &str, value: Option<PyRef>) -> PyResult<bool> {
    if t.builtin.is_some() {
        let tn = t.name.borrow().clone();
        return Err(type_error(format!(
            "cannot set '{name}' attribute of immutable type '{tn}'"
        )));
    }
    if name != "__name__" && name != "__qualname__" {
        return Ok(false);
    }
    let Some(v) = value else {
        return Err(type_error(format!("cannot delete '{name}' attribute")));
    };
    set_type_name(t, name, &v)?;
    Ok(true)
}

/// Sets `__name__` or `__qualname__` of a class to the str `v`.
fn set_type_name(t: &TypeObj, name: &str, v: &PyRef) -> PyResult<()> {
    let Some(s) = v.as_str() else {
        let tn = t.name.borrow().clone();
        return Err(type_error(format!(
            "can only assign string to {tn}.{name}, not '{}'",
            type_name(v)
        )));
    };
    let cell = if name == "__name__" {
        &t.name
    } else {
        &t.qualname
    };
    *cell.borrow_mut() = s.into();
    Ok(())
}

/// `x.__dict__ = d`: the instance's attributes become a copy of `d`'s.
fn replace_dict(d: &RefCell<Dict>, value: Option<PyRef>) -> PyResult<()> {
    let new = crate::dictops::copy(new_dict(value)?.as_dict().expect("checked"));
    let old = d.replace(new);
    drop(old);
    Ok(())
}

/// `x.__dict__ = d`: the instance keeps `d` itself, as CPython does; `del x.__dict__`
/// leaves it no attributes.
fn replace_instance_dict(d: &crate::obj::InstanceDict, value: Option<PyRef>) -> PyResult<()> {
    let new = match value {
        Some(v) => Some(new_dict(Some(v))?),
        None => None,
    };
    let old = d.replace(new);
    drop(old);
    Ok(())
}

/// The value assigned to a `__dict__`, which must be a dict.
fn new_dict(value: Option<PyRef>) -> PyResult {
    let Some(v) = value else {
        return Err(type_error("cannot delete __dict__"));
    };
    if v.as_dict().is_none() {
        return Err(type_error(format!(
            "__dict__ must be set to a dictionary, not a '{}'",
            type_name(&v)
        )));
    }
    Ok(v)
}

/// The writable attributes of a function.
fn set_function_attr(f: &Func, name: &str, value: Option<PyRef>) -> PyResult<bool> {
    let Some(v) = value else {
        return delete_function_attr(f, name);
    };
    match name {
        "__name__" | "__qualname__" => {
            let s = v
                .as_str()
                .ok_or_else(|| type_error(format!("{name} must be set to a string object")))?;
            let cell = if name == "__name__" {
                &f.name
            } else {
                &f.qualname
            };
            *cell.borrow_mut() = s.into();
        }
        "__doc__" => drop(f.doc.replace(v)),
        "__module__" => drop(f.module.replace(v)),
        "__defaults__" => set_checked(
            &f.defaults,
            v,
            v_is_tuple,
            "__defaults__ must be set to a tuple object",
        )?,
        "__kwdefaults__" => set_checked(
            &f.kwdefaults,
            v,
            v_is_dict,
            "__kwdefaults__ must be set to a dict object",
        )?,
        "__dict__" => replace_dict(&f.dict, Some(v))?,
        _ => return Ok(false),
    }
    Ok(true)
}

/// `del f.name` for the special attributes of a function.
fn delete_function_attr(f: &Func, name: &str) -> PyResult<bool> {
    match name {
        "__defaults__" | "__kwdefaults__" => set_function_attr(f, name, Some(val::none())),
        "__name__" | "__qualname__" | "__doc__" | "__module__" | "__code__" | "__dict__" => {
            Err(type_error(format!("cannot delete {name}")))
        }
        _ => Ok(false),
    }
}

/// Whether `v` is a tuple (`__defaults__`).
fn v_is_tuple(v: &PyRef) -> bool {
    v.as_tuple().is_some()
}

/// Whether `v` is a dict (`__kwdefaults__`).
fn v_is_dict(v: &PyRef) -> bool {
    v.as_dict().is_some()
}

/// Stores `v` (None clears) if it passes `ok`.
fn set_checked(
    cell: &RefCell<Option<PyRef>>,
    v: PyRef,
    ok: fn(&PyRef) -> bool,
    msg: &str,
) -> PyResult<()> {
    let new = match v.is_none() {
        true => None,
        false if ok(&v) => Some(v),
        false => return Err(type_error(msg.to_owned())),
    };
    let old = cell.replace(new);
    drop(old);
    Ok(())
}

/// Keeps a class's derived state right after `cls.name = value` or `del cls.name`:
/// `__name__` and `__qualname__` move from the dict into the type object (when the
/// assignment did not go through [`set_attr`]).
pub(crate) fn after_type_setattr(cls: &PyRef, name: &str) -> PyResult<()> {
    let Some(t) = cls.as_type() else {
        return Ok(());
    };
    if name != "__name__" && name != "__qualname__" {
        return Ok(());
    }
    let Some(v) = remove_entry(t, name) else {
        return Ok(());
    };
    set_type_name(t, name, &v)
}

/// Removes `name` from a class's dict, returning its value (to be dropped by the caller).
fn remove_entry(t: &TypeObj, name: &str) -> Option<PyRef> {
    crate::types::type_modified();
    let mut d = t.dict.borrow_mut();
    let pos = d.find(crate::hash::str_hash(name), |k| k.as_str() == Some(name))?;
    d.remove_at(pos).map(|e| e.value)
}

/// Whether `x`'s class derives from the built-in exception `name`.
fn is_exc(x: &PyRef, name: &str) -> bool {
    crate::types::is_subtype(&type_of(x), types().exc(name))
}
