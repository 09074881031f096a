//! Attribute lookup through `super(type, obj)` (CPython's `super_getattro`): the dicts of
//! the MRO of `obj`'s class after `type`, bound to `obj`; with `object`'s methods as a
//! fallback when no class dict holds them. And a property's attributes, with its
//! `getter`/`setter`/`deleter`.

use pymem::Gc;

use crate::builtins::PropertyDoc;
use crate::call::Kwargs;
use crate::error::{PyResult, new_exception, type_error};
use crate::obj::{BuiltinDef, Kind, Obj, PyRef};
use crate::types::{
    BuiltinType, dict_get_str, is_subtype, lookup as type_lookup, tobj, type_name, type_of, types,
};
use crate::{attr, call, val};

/// `sup.name` for a super object `sup`: `None` when no class after the starting one
/// defines `name` (attribute access then raises AttributeError). `attr::getattr` and
/// `attr::load_method` must ask this before looking at `super`'s own type, whose MRO ends
/// in `object`.
pub(crate) fn super_getattr(sup: &PyRef, name: &str) -> PyResult<Option<PyRef>> {
    match sup.kind() {
        Some(Kind::Super(start, obj)) => lookup(start, obj, name),
        _ => Ok(None),
    }
}

/// The lookup of `super(start, obj).name`.
pub(super) fn lookup(start: &PyRef, obj: &PyRef, name: &str) -> PyResult<Option<PyRef>> {
    let obj_type = starting_type(start, obj);
    match name {
        "__thisclass__" => return Ok(Some(start.clone())),
        "__self__" => return Ok(Some(obj.clone())),
        "__self_class__" => return Ok(Some(PyRef::O(obj_type))),
        _ => {}
    }
    match find_after(&obj_type, start, name) {
        Some(d) => bind(d, obj, &obj_type).map(Some),
        None => Ok(fallback(name, obj, &obj_type)),
    }
}

/// The class whose MRO is searched: `obj` itself when it is a subclass of `start` (super
/// in a class method), else `obj`'s class.
fn starting_type(start: &PyRef, obj: &PyRef) -> Gc<Obj> {
    match (obj.obj(), obj.as_type(), start.obj()) {
        (Some(o), Some(_), Some(s)) if is_subtype(o, s) => o.clone(),
        _ => type_of(obj),
    }
}

/// `name` in the dicts of `ty`'s MRO after `start`.
fn find_after(ty: &Gc<Obj>, start: &PyRef, name: &str) -> Option<PyRef> {
    let mro = tobj(ty).mro.borrow().to_vec();
    let s = start.obj()?;
    let i = mro.iter().position(|c| Gc::ptr_eq(c, s))?;
    mro[i + 1..]
        .iter()
        .find_map(|c| dict_get_str(&tobj(c).dict.borrow(), name))
}

/// The descriptor protocol for what super found: bound to `obj`, or unbound when `obj` is
/// the class itself.
fn bind(d: PyRef, obj: &PyRef, obj_type: &Gc<Obj>) -> PyResult {
    let class_level = obj.obj().is_some_and(|o| Gc::ptr_eq(o, obj_type));
    let cls = PyRef::O(obj_type.clone());
    Ok(match d.kind() {
        Some(Kind::Function(_)) if !class_level => Obj::new(Kind::Method(d.clone(), obj.clone())),
        Some(Kind::Builtin(def, None)) if !class_level => {
            Obj::new(Kind::Builtin(def, Some(obj.clone())))
        }
        Some(Kind::ClassMethod(f)) => Obj::new(Kind::Method(f.clone(), cls)),
        Some(Kind::StaticMethod(f)) => f.clone(),
        Some(Kind::Property(p)) if !class_level => match &p[0] {
            Some(fget) => call::call(fget, std::slice::from_ref(obj), &[])?,
            None => return Err(crate::error::attribute_error("property has no getter")),
        },
        Some(Kind::Instance(_)) => match type_lookup(&type_of(&d), "__get__") {
            Some(get) => {
                let inst = if class_level {
                    val::none()
                } else {
                    obj.clone()
                };
                call::call_bound(&get, &d, &[inst, cls])?
            }
            None => d,
        },
        _ => d,
    })
}

/// `object`'s methods, for when the class dicts do not hold them.
fn fallback(name: &str, obj: &PyRef, obj_type: &Gc<Obj>) -> Option<PyRef> {
    let bound = |def: &'static BuiltinDef, slf: PyRef| Obj::new(Kind::Builtin(def, Some(slf)));
    let def = FALLBACKS.iter().find(|d| d.name == name)?;
    Some(match name {
        "__new__" => Obj::new(Kind::Builtin(def, None)),
        "__init_subclass__" => bound(def, PyRef::O(obj_type.clone())),
        _ => bound(def, obj.clone()),
    })
}

/// `object.__init__`, `__new__`, `__init_subclass__`, `__setattr__`, `__delattr__`,
/// `__getattribute__`.
const FALLBACKS: &[BuiltinDef] = &[
    BuiltinDef {
        name: "__init__",
        func: object_init,
    },
    BuiltinDef {
        name: "__new__",
        func: object_new,
    },
    BuiltinDef {
        name: "__init_subclass__",
        func: init_subclass,
    },
    BuiltinDef {
        name: "__setattr__",
        func: object_setattr,
    },
    BuiltinDef {
        name: "__delattr__",
        func: object_delattr,
    },
    BuiltinDef {
        name: "__getattribute__",
        func: object_getattribute,
    },
];

/// `object.__init__(self)`; for an exception, `BaseException.__init__(self, *args)`.
fn object_init(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    let Some(x) = args.first() else {
        return Err(type_error("__init__ needs an argument"));
    };
    if let Some(st) = x.exc() {
        let old = st.args.replace(val::tuple(args[1..].to_vec()));
        drop(old);
        return Ok(val::none());
    }
    if args.len() > 1 || !kwargs.is_empty() {
        return Err(type_error(
            "object.__init__() takes exactly one argument (the instance to initialize)",
        ));
    }
    Ok(val::none())
}

/// `object.__new__(cls)`: an instance of `cls`, with its built-in base's payload.
fn object_new(args: &[PyRef], _kwargs: Kwargs<'_>) -> PyResult {
    let Some(PyRef::O(cls)) = args.first().filter(|c| c.as_type().is_some()) else {
        let got = args.first().map_or_else(|| "nothing".into(), type_name);
        return Err(type_error(format!(
            "object.__new__(X): X is not a type object ({got})"
        )));
    };
    if is_subtype(cls, types().exc("BaseException")) {
        return Ok(new_exception(cls, args[1..].to_vec()));
    }
    let t = tobj(cls);
    let base = match (t.payload, t.builtin) {
        (Some(bt), None) if bt != BuiltinType::Object => {
            Some(crate::builtins::construct(bt, &[], &[])?)
        }
        _ => None,
    };
    Ok(call::new_instance(cls, base))
}

/// `object.__init_subclass__()`: takes no keywords.
fn init_subclass(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    if kwargs.is_empty() {
        return Ok(val::none());
    }
    let name = args
        .first()
        .and_then(|c| c.as_type().map(|t| t.qualname.borrow().clone()))
        .unwrap_or_default();
    Err(type_error(format!(
        "{name}.__init_subclass__() takes no keyword arguments"
    )))
}

/// `object.__setattr__(self, name, value)`.
fn object_setattr(args: &[PyRef], _kwargs: Kwargs<'_>) -> PyResult {
    let [x, name, value] = args else {
        return Err(type_error(format!(
            "expected 2 arguments, got {}",
            args.len().saturating_sub(1)
        )));
    };
    attr::generic_setattr(x, name, Some(value.clone()))?;
    Ok(val::none())
}

/// `object.__delattr__(self, name)`.
fn object_delattr(args: &[PyRef], _kwargs: Kwargs<'_>) -> PyResult {
    let [x, name] = args else {
        return Err(type_error(format!(
            "expected 1 argument, got {}",
            args.len().saturating_sub(1)
        )));
    };
    attr::generic_setattr(x, name, None)?;
    Ok(val::none())
}

/// `object.__getattribute__(self, name)`.
fn object_getattribute(args: &[PyRef], _kwargs: Kwargs<'_>) -> PyResult {
    let [x, name] = args else {
        return Err(type_error(format!(
            "expected 1 argument, got {}",
            args.len().saturating_sub(1)
        )));
    };
    let s = name.as_str().unwrap_or_default();
    attr::generic_getattr(x, s)?.ok_or_else(|| attr::no_attribute(x, s))
}

/// A property's `fget`, `fset`, `fdel`, `__doc__` (its getter's) and its
/// `getter`/`setter`/`deleter`.
pub(super) fn property_attr(
    x: &PyRef,
    p: &[Option<PyRef>; 3],
    name: &str,
) -> PyResult<Option<PyRef>> {
    let slot = |i: usize| p[i].clone().unwrap_or_else(val::none);
    Ok(match name {
        "fget" => Some(slot(0)),
        "fset" => Some(slot(1)),
        "fdel" => Some(slot(2)),
        "__doc__" => match (crate::modules::native::<PropertyDoc>(x), &p[0]) {
            (Some(doc), _) => Some(val::str_(&doc.0)),
            (None, Some(f)) => attr::getattr_opt(f, "__doc__")?,
            (None, None) => Some(val::none()),
        },
        "__isabstractmethod__" => Some(val::bool_(false)),
        _ => PROPERTY_COPIES
            .iter()
            .find(|d| d.name == name)
            .map(|d| Obj::new(Kind::Builtin(d, Some(x.clone())))),
    })
}

/// `prop.getter(f)`, `prop.setter(f)`, `prop.deleter(f)`: a copy with one accessor
/// replaced.
const PROPERTY_COPIES: &[BuiltinDef] = &[
    BuiltinDef {
        name: "getter",
        func: |a, k| property_copy("getter", a, k, 0),
    },
    BuiltinDef {
        name: "setter",
        func: |a, k| property_copy("setter", a, k, 1),
    },
    BuiltinDef {
        name: "deleter",
        func: |a, k| property_copy("deleter", a, k, 2),
    },
];

/// A copy of the property `args[0]` with accessor `i` replaced by `args[1]`.
fn property_copy(name: &str, args: &[PyRef], kwargs: Kwargs<'_>, i: usize) -> PyResult {
    let ([prop, f], true) = (args, kwargs.is_empty()) else {
        return Err(type_error(format!(
            "{name}() takes exactly one argument ({} given)",
            args.len().saturating_sub(1)
        )));
    };
    let Some(Kind::Property(p)) = prop.kind() else {
        return Err(type_error(format!(
            "descriptor '{name}' for 'property' objects doesn't apply to a '{}' object",
            type_name(prop)
        )));
    };
    let mut parts: [Option<PyRef>; 3] = (**p).clone();
    parts[i] = (!f.is_none()).then(|| f.clone());
    let copy = Obj::new(Kind::Property(Box::new(parts)));
    if let Some(doc) = crate::modules::native::<PropertyDoc>(prop) {
        crate::modules::attach_native(&copy, doc);
    }
    Ok(copy)
}
