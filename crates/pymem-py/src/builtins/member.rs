//! `member_descriptor`: what `__slots__` puts in the class dict for each slot, so that
//! `C.__dict__["x"]` and `C.x` show the slot as CPython does.

use crate::call::Kwargs;
use crate::error::{PyResult, attribute_error, type_error};
use crate::modules::{ClassSpec, class_of, new_object, set_slot, slot};
use crate::obj::{BuiltinDef, PyRef};
use crate::types::{tobj, type_name};
use crate::val;

/// The class of slot descriptors.
static MEMBER: ClassSpec = ClassSpec {
    name: "member_descriptor",
    module: "builtins",
    methods: &[
        BuiltinDef {
            name: "__get__",
            func: member_get,
        },
        BuiltinDef {
            name: "__set__",
            func: member_set,
        },
        BuiltinDef {
            name: "__delete__",
            func: member_delete,
        },
        BuiltinDef {
            name: "__repr__",
            func: member_repr,
        },
    ],
    statics: &[],
    props: &[],
    slots: &["__name__", "__objclass__"],
    has_dict: false,
    base: None,
};

/// A descriptor for the slot `name` of the class `owner` (set once the class exists).
pub(super) fn new_member(name: &str) -> PyRef {
    let d = new_object(&class_of(&MEMBER));
    set_slot(&d, "__name__", val::str_(name));
    d
}

/// Records the class a descriptor belongs to (`__objclass__`).
pub(super) fn set_owner(d: &PyRef, owner: PyRef) {
    set_slot(d, "__objclass__", owner);
}

/// Whether `d` is a slot descriptor (which attribute access reads the slot for directly).
pub(crate) fn is_member(d: &PyRef) -> bool {
    d.as_instance()
        .is_some_and(|i| pymem::Gc::ptr_eq(&i.cls, &class_of(&MEMBER)))
}

/// The descriptor's slot name and the instance it is applied to, checked.
fn parts<'a>(args: &'a [PyRef], method: &str) -> PyResult<(String, &'a PyRef)> {
    let (Some(d), Some(obj)) = (args.first(), args.get(1)) else {
        return Err(type_error(format!(
            "expected at least 1 argument to {method}"
        )));
    };
    let name = slot(d, "__name__")
        .and_then(|n| n.as_str().map(str::to_owned))
        .unwrap_or_default();
    Ok((name, obj))
}

/// The index of slot `name` in `obj`'s storage.
fn slot_index(obj: &PyRef, name: &str) -> PyResult<usize> {
    obj.as_instance()
        .and_then(|i| tobj(&i.cls).slot_names.iter().position(|s| &**s == name))
        .ok_or_else(|| {
            type_error(format!(
                "descriptor '{name}' doesn't apply to a '{}' object",
                type_name(obj)
            ))
        })
}

#[cold]
fn missing(obj: &PyRef, name: &str) -> crate::error::PyErr {
    attribute_error(format!(
        "'{}' object has no attribute '{name}'",
        type_name(obj)
    ))
}

/// `d.__get__(obj, type=None)`: the slot's value; the descriptor itself through the class.
fn member_get(args: &[PyRef], _kwargs: Kwargs<'_>) -> PyResult {
    let (name, obj) = parts(args, "__get__")?;
    if obj.is_none() {
        return Ok(args[0].clone());
    }
    let i = slot_index(obj, &name)?;
    let inst = obj.as_instance().expect("checked by slot_index");
    let value = inst.slots[i].borrow().clone();
    value.ok_or_else(|| missing(obj, &name))
}

/// `d.__set__(obj, value)`.
fn member_set(args: &[PyRef], _kwargs: Kwargs<'_>) -> PyResult {
    let (name, obj) = parts(args, "__set__")?;
    let value = args.get(2).cloned();
    store(obj, &name, value)
}

/// `d.__delete__(obj)`: empties the slot; AttributeError if it was empty.
fn member_delete(args: &[PyRef], _kwargs: Kwargs<'_>) -> PyResult {
    let (name, obj) = parts(args, "__delete__")?;
    store(obj, &name, None)
}

/// Sets or clears the slot, dropping the old value once the borrow has ended.
fn store(obj: &PyRef, name: &str, value: Option<PyRef>) -> PyResult {
    let i = slot_index(obj, name)?;
    let inst = obj.as_instance().expect("checked by slot_index");
    let deleting = value.is_none();
    let old = inst.slots[i].replace(value);
    if deleting && old.is_none() {
        return Err(missing(obj, name));
    }
    drop(old);
    Ok(val::none())
}

/// `<member 'x' of 'P' objects>`.
fn member_repr(args: &[PyRef], _kwargs: Kwargs<'_>) -> PyResult {
    let d = args
        .first()
        .ok_or_else(|| type_error("descriptor '__repr__' needs an argument"))?;
    let name = slot(d, "__name__").and_then(|n| n.as_str().map(str::to_owned));
    let owner = slot(d, "__objclass__").and_then(|c| c.as_type().map(|t| t.name.borrow().clone()));
    Ok(val::string(format!(
        "<member '{}' of '{}' objects>",
        name.unwrap_or_default(),
        owner.as_deref().unwrap_or("?")
    )))
}
