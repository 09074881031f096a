//! (L2) Attribute access (CPython's `PyObject_GenericGetAttr` and `type_getattro`): data
//! descriptors on the type, then the instance's dict and slots, then other descriptors,
//! then `__getattr__`.

use std::cell::RefCell;

use pymem::Gc;

use crate::error::{PyErr, PyResult, attribute_error};
use crate::hash::name_hash;
use crate::obj::{Kind, Obj, PyRef};
use crate::types::{
    HOOK_DELATTR, HOOK_GETATTRIBUTE, HOOK_SETATTR, dict_get_hashed, dict_get_str, dict_set_str,
    lookup, python_hook, tobj, type_name, type_of,
};
use crate::{call, special, val};

/// `x.name`.
pub(crate) fn getattr(x: &PyRef, name: &PyRef) -> PyResult {
    let s = name.as_str().unwrap_or_default();
    match x.kind() {
        Some(Kind::Type(_)) => return type_getattr(x, s),
        Some(Kind::Super(..)) => {
            if let Some(v) = special::super_getattr(x, s)? {
                return Ok(v);
            }
        }
        Some(Kind::Instance(_)) => {
            if let Some(f) = user_getattribute(x) {
                return match call::call(&f, &[x.clone(), name.clone()], &[]) {
                    Err(e) if e.is("AttributeError") => getattr_hook(x, s, e),
                    r => r,
                };
            }
        }
        _ => {}
    }
    match getattr_hashed(x, s, name_hash(name))? {
        Some(v) => Ok(v),
        None => getattr_fallback(x, s),
    }
}

/// Looks `name` up without raising: `None` when absent (no `__getattr__`).
pub(crate) fn generic_getattr(x: &PyRef, name: &str) -> PyResult<Option<PyRef>> {
    getattr_hashed(x, name, crate::hash::str_hash(name))
}

/// [`generic_getattr`] with the name's hash known, for the instance dict's probe.
fn getattr_hashed(x: &PyRef, name: &str, hash: u64) -> PyResult<Option<PyRef>> {
    let ty = type_of(x);
    let desc = lookup(&ty, name);
    if let Some(d) = &desc {
        if let Some(Kind::Property(p)) = d.payload() {
            return property_get(p, x, name).map(Some);
        }
        if let Some(get) = descriptor_method(d, "__get__")
            && is_data_descriptor(d)
        {
            return call_get(&get, d, x, &ty).map(Some);
        }
    }
    if let Some(v) = instance_attr(x, name, hash) {
        return Ok(Some(v));
    }
    if let Some(d) = desc {
        if let Some(get) = descriptor_method(&d, "__get__") {
            return call_get(&get, &d, x, &ty).map(Some);
        }
        if crate::builtins::is_member(&d) {
            // An empty slot: AttributeError (or `__getattr__`).
            return Ok(None);
        }
        return Ok(Some(bind(d, x, &ty)));
    }
    special::attr(x, name)
}

/// The method `name` (`__get__`, `__set__`, `__delete__`) of a class attribute that is an
/// instance of a user class (or a Rust-made one): the descriptor protocol for objects other
/// than functions, properties and the built-in wrappers. Slot descriptors are left out:
/// the instance's slots are read and written directly, which is what they would do.
fn descriptor_method(d: &PyRef, name: &str) -> Option<PyRef> {
    d.as_instance()?;
    if crate::builtins::is_member(d) {
        return None;
    }
    let f = lookup(&type_of(d), name)?;
    // A subclass of `property` and the like: its payload is handled as the built-in is.
    let builtin_payload = d.payload().is_some() && matches!(f.kind(), Some(Kind::Builtin(..)));
    (!builtin_payload).then_some(f)
}

/// A data descriptor (one with `__set__` or `__delete__`) takes precedence over the
/// instance's own attributes.
fn is_data_descriptor(d: &PyRef) -> bool {
    descriptor_method(d, "__set__").is_some() || descriptor_method(d, "__delete__").is_some()
}

/// `type(d).__get__(d, x, ty)`.
fn call_get(get: &PyRef, d: &PyRef, x: &PyRef, ty: &Gc<Obj>) -> PyResult {
    call::call(get, &[d.clone(), x.clone(), PyRef::O(ty.clone())], &[])
}

/// A `__getattribute__` defined in Python on instance `x`'s class, which replaces the
/// generic lookup. Budget: no reference count touched when there is none.
fn user_getattribute(x: &PyRef) -> Option<PyRef> {
    let Some(Kind::Instance(inst)) = x.kind() else {
        return None;
    };
    if !python_hook(&inst.cls, HOOK_GETATTRIBUTE) {
        return None;
    }
    lookup(&inst.cls, "__getattribute__").filter(|f| matches!(f.kind(), Some(Kind::Function(_))))
}

/// After `__getattribute__` raised AttributeError `e`: `__getattr__`, if the class has one.
fn getattr_hook(x: &PyRef, name: &str, e: PyErr) -> PyResult {
    match lookup(&type_of(x), "__getattr__") {
        Some(f) => call::call(&f, &[x.clone(), val::str_(name)], &[]),
        None => Err(e),
    }
}

fn getattr_fallback(x: &PyRef, name: &str) -> PyResult {
    if let Some(f) = lookup(&type_of(x), "__getattr__") {
        return call::call(&f, &[x.clone(), val::str_(name)], &[]);
    }
    Err(no_attribute(x, name))
}

/// The AttributeError for `x.name`, in CPython 3.13's words.
#[cold]
pub(crate) fn no_attribute(x: &PyRef, name: &str) -> PyErr {
    match x.kind() {
        Some(Kind::Module(m)) => {
            let mname = dict_get_str(&module_dict(m).borrow(), "__name__");
            let mname = mname
                .as_ref()
                .and_then(PyRef::as_str)
                .unwrap_or("?")
                .to_owned();
            attribute_error(format!("module '{mname}' has no attribute '{name}'"))
        }
        Some(Kind::Type(t)) => attribute_error(format!(
            "type object '{}' has no attribute '{name}'",
            t.name.borrow()
        )),
        _ => attribute_error(format!(
            "'{}' object has no attribute '{name}'",
            type_name(x)
        )),
    }
}

fn module_dict(m: &crate::obj::Module) -> &RefCell<crate::dict::Dict> {
    match &m.dict.kind {
        Kind::Dict(d) => d,
        _ => unreachable!("a module's namespace is a dict"),
    }
}

/// The value in the instance's own storage: its slots, its `__dict__`, a module's namespace.
fn instance_attr(x: &PyRef, name: &str, hash: u64) -> Option<PyRef> {
    match x.kind()? {
        Kind::Instance(inst) => {
            let t = tobj(&inst.cls);
            if let Some(i) = t.slot_names.iter().position(|s| &**s == name) {
                return inst.slots[i].borrow().clone();
            }
            dict_get_hashed(&inst.dict.as_ref()?.table().borrow(), name, hash)
        }
        Kind::Module(m) => dict_get_hashed(&module_dict(m).borrow(), name, hash),
        Kind::Function(f) => dict_get_hashed(&f.dict.borrow(), name, hash),
        _ => None,
    }
}

/// The descriptor protocol for a class attribute `d` accessed through instance `x`.
fn bind(d: PyRef, x: &PyRef, ty: &Gc<Obj>) -> PyRef {
    match d.kind() {
        Some(Kind::Function(_)) => Obj::new(Kind::Method(d.clone(), x.clone())),
        Some(Kind::Builtin(def, None)) => Obj::new(Kind::Builtin(def, Some(x.clone()))),
        Some(Kind::ClassMethod(f)) => Obj::new(Kind::Method(f.clone(), PyRef::O(ty.clone()))),
        Some(Kind::StaticMethod(f)) => f.clone(),
        _ => d,
    }
}

fn property_get(p: &[Option<PyRef>; 3], x: &PyRef, name: &str) -> PyResult {
    match &p[0] {
        Some(fget) => call::call(fget, std::slice::from_ref(x), &[]),
        None => Err(attribute_error(format!(
            "property '{name}' of '{}' object has no getter",
            type_name(x)
        ))),
    }
}

/// `cls.name` on a class: the MRO's dicts, with functions left unbound and class methods
/// bound to the class; then the metatype's attributes (`__name__`, `__mro__`, …).
fn type_getattr(cls: &PyRef, name: &str) -> PyResult {
    let PyRef::O(c) = cls else {
        unreachable!("checked by the caller")
    };
    if let Some(v) = lookup(c, name) {
        if let Some(get) = descriptor_method(&v, "__get__") {
            return call::call(&get, &[v.clone(), val::none(), cls.clone()], &[]);
        }
        return Ok(match v.kind() {
            Some(Kind::ClassMethod(f)) => Obj::new(Kind::Method(f.clone(), cls.clone())),
            Some(Kind::StaticMethod(f)) => f.clone(),
            _ => v,
        });
    }
    if let Some(v) = special::attr(cls, name)? {
        return Ok(v);
    }
    let meta = type_of(cls);
    match lookup(&meta, name) {
        Some(d) => Ok(bind(d, cls, &meta)),
        None => Err(no_attribute(cls, name)),
    }
}

/// `x.name = value`.
pub(crate) fn setattr(x: &PyRef, name: &PyRef, value: PyRef) -> PyResult<()> {
    let s = name.as_str().unwrap_or_default();
    if let Some(Kind::Type(t)) = x.kind() {
        if special::set_attr(x, s, Some(value.clone()))? {
            return Ok(());
        }
        let old = dict_set_str(&mut t.dict.borrow_mut(), name.clone(), value);
        crate::types::type_modified();
        drop(old);
        return special::after_type_setattr(x, s);
    }
    let ty = type_of(x);
    if python_hook(&ty, HOOK_SETATTR)
        && let Some(f) = lookup(&ty, "__setattr__")
        && matches!(f.kind(), Some(Kind::Function(_)))
    {
        return call::call(&f, &[x.clone(), name.clone(), value], &[]).map(drop);
    }
    generic_setattr(x, name, Some(value))
}

/// `object.__setattr__` (and `__delattr__` when `value` is `None`).
pub(crate) fn generic_setattr(x: &PyRef, name: &PyRef, value: Option<PyRef>) -> PyResult<()> {
    let s = name.as_str().unwrap_or_default();
    let ty = type_of(x);
    if let Some(d) = lookup(&ty, s) {
        if let Some(Kind::Property(p)) = d.payload() {
            return property_set(p, x, s, value);
        }
        if let Some(r) = descriptor_set(&d, x, value.clone()) {
            return r;
        }
    }
    if special::set_attr(x, s, value.clone())? {
        return Ok(());
    }
    store(x, name, s, value)
}

/// `type(d).__set__(d, x, value)` or `type(d).__delete__(d, x)`, if `d` is a data
/// descriptor; `None` otherwise.
fn descriptor_set(d: &PyRef, x: &PyRef, value: Option<PyRef>) -> Option<PyResult<()>> {
    if !is_data_descriptor(d) {
        return None;
    }
    let method = if value.is_some() {
        "__set__"
    } else {
        "__delete__"
    };
    let Some(f) = descriptor_method(d, method) else {
        return Some(Err(attribute_error(method)));
    };
    let mut args = vec![d.clone(), x.clone()];
    args.extend(value);
    Some(call::call(&f, &args, &[]).map(drop))
}

fn property_set(
    p: &[Option<PyRef>; 3],
    x: &PyRef,
    name: &str,
    value: Option<PyRef>,
) -> PyResult<()> {
    let (f, what) = match &value {
        Some(_) => (&p[1], "setter"),
        None => (&p[2], "deleter"),
    };
    let Some(f) = f else {
        return Err(attribute_error(format!(
            "property '{name}' of '{}' object has no {what}",
            type_name(x)
        )));
    };
    let mut args = vec![x.clone()];
    args.extend(value);
    call::call(f, &args, &[]).map(drop)
}

fn store(x: &PyRef, name: &PyRef, s: &str, value: Option<PyRef>) -> PyResult<()> {
    let old = match x.kind() {
        Some(Kind::Instance(inst)) => store_instance(x, inst, name, s, value)?,
        Some(Kind::Module(m)) => store_dict(module_dict(m), x, name, s, value)?,
        Some(Kind::Function(f)) => store_dict(&f.dict, x, name, s, value)?,
        _ => return Err(readonly(x, s)),
    };
    drop(old);
    Ok(())
}

fn store_instance(
    x: &PyRef,
    inst: &crate::obj::Instance,
    name: &PyRef,
    s: &str,
    value: Option<PyRef>,
) -> PyResult<Option<PyRef>> {
    let t = tobj(&inst.cls);
    if let Some(i) = t.slot_names.iter().position(|n| &**n == s) {
        let deleting = value.is_none();
        let old = inst.slots[i].replace(value);
        if deleting && old.is_none() {
            return Err(attribute_error(format!(
                "'{}' object has no attribute '{s}'",
                type_name(x)
            )));
        }
        return Ok(old);
    }
    match &inst.dict {
        Some(d) => store_dict(&d.table(), x, name, s, value),
        None => Err(readonly(x, s)),
    }
}

fn store_dict(
    d: &RefCell<crate::dict::Dict>,
    x: &PyRef,
    name: &PyRef,
    s: &str,
    value: Option<PyRef>,
) -> PyResult<Option<PyRef>> {
    match value {
        Some(v) => Ok(dict_set_str(&mut d.borrow_mut(), name.clone(), v)),
        None => {
            let hash = crate::hash::str_hash(s);
            let pos = d.borrow().find(hash, |k| k.as_str() == Some(s));
            let Some(pos) = pos else {
                return Err(no_attribute(x, s));
            };
            let entry = d.borrow_mut().remove_at(pos);
            Ok(entry.map(|e| e.value))
        }
    }
}

#[cold]
fn readonly(x: &PyRef, name: &str) -> PyErr {
    // CPython's `_PyObject_GenericSetAttrWithDict` with no instance dict, for set and del.
    let t = type_name(x);
    match lookup(&type_of(x), name) {
        Some(_) => attribute_error(format!("'{t}' object attribute '{name}' is read-only")),
        None => attribute_error(format!(
            "'{t}' object has no attribute '{name}' and no __dict__ for setting new attributes"
        )),
    }
}

/// `del x.name`.
pub(crate) fn delattr(x: &PyRef, name: &PyRef) -> PyResult<()> {
    if let Some(Kind::Type(t)) = x.kind() {
        let s = name.as_str().unwrap_or_default();
        let hash = crate::hash::str_hash(s);
        let pos = t.dict.borrow().find(hash, |k| k.as_str() == Some(s));
        let Some(pos) = pos else {
            return Err(no_attribute(x, s));
        };
        let old = t.dict.borrow_mut().remove_at(pos);
        crate::types::type_modified();
        drop(old);
        return Ok(());
    }
    let ty = type_of(x);
    if python_hook(&ty, HOOK_DELATTR)
        && let Some(f) = lookup(&ty, "__delattr__")
        && matches!(f.kind(), Some(Kind::Function(_)))
    {
        return call::call(&f, &[x.clone(), name.clone()], &[]).map(drop);
    }
    generic_setattr(x, name, None)
}

/// `getattr(x, name, default)`: `None` when the attribute is missing (AttributeError).
pub(crate) fn getattr_opt(x: &PyRef, name: &str) -> PyResult<Option<PyRef>> {
    match getattr(x, &val::str_(name)) {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.is("AttributeError") => Ok(None),
        Err(e) => Err(e),
    }
}

/// Loads a method for a call without allocating a bound method: `(function, Some(self))`
/// when `name` is a plain function on the type, else `(bound value, None)`.
pub(crate) fn load_method(x: &PyRef, name: &PyRef) -> PyResult<(PyRef, Option<PyRef>)> {
    let s = name.as_str().unwrap_or_default();
    if let Some(Kind::Super(..)) = x.kind() {
        return Ok((getattr(x, name)?, None));
    }
    // A Python `__getattribute__` must see every lookup, so no shortcut then.
    let generic = x.as_instance().is_none() || user_getattribute(x).is_none();
    if x.as_type().is_none()
        && generic
        && let Some(d) = lookup(&type_of(x), s)
    {
        let plain = matches!(
            d.kind(),
            Some(Kind::Function(_)) | Some(Kind::Builtin(_, None))
        );
        if plain && instance_attr(x, s, name_hash(name)).is_none() {
            return Ok((d, Some(x.clone())));
        }
    }
    Ok((getattr(x, name)?, None))
}

/// What `from module import *` binds: the names in `module.__all__` when it has one (each
/// must exist), else every name of its namespace not starting with `_`.
pub(crate) fn star_names(module: &PyRef) -> PyResult<Vec<(PyRef, PyRef)>> {
    if let Some(all) = getattr_opt(module, "__all__")? {
        let names = crate::ops::collect(&all)?;
        let mut out = Vec::with_capacity(names.len());
        for n in names {
            let v = getattr(module, &n)?;
            out.push((n, v));
        }
        return Ok(out);
    }
    let Some(Kind::Module(m)) = module.kind() else {
        return Ok(Vec::new());
    };
    let Kind::Dict(src) = &m.dict.kind else {
        return Ok(Vec::new());
    };
    let items = crate::dictops::items(src);
    Ok(items
        .into_iter()
        .filter(|(k, _)| k.as_str().is_some_and(|s| !s.starts_with('_')))
        .collect())
}
