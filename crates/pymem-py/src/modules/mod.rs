//! (L3) The built-in modules written in Rust: `sys`, `gc`, `weakref`, `tracemalloc`, `math`,
//! `time`, `os` (with `posixpath` as `os.path`), `random`, and `_pymem` (the hooks under the
//! profiling packages written in Python).
//!
//! Each is a module object made on its first import, whose namespace holds built-in
//! functions, constants, and classes made here ([`ClassSpec`]). The classes' instances are
//! ordinary instances (`Kind::Instance`): what they carry lives in their slots and
//! `__dict__`, so the collector sees it; Rust values that are not Python objects (a
//! tracemalloc snapshot, a finalizer's registration) are attached with [`attach_native`].

pub(crate) mod finalize;
pub(crate) mod frozen;
pub(crate) mod gc;
pub(crate) mod lines;
mod math;
mod math_int;
mod math_sum;
mod os;
mod os_path;
mod random;
mod random_dist;
mod random_seq;
mod random_sha;
mod referents;
mod render;
mod sizeof;
mod snapshot;
mod stdio;
pub(crate) mod sys;
mod time;
pub(crate) mod tracemalloc;
mod weakdict;
pub(crate) mod weakref;
mod weakset;

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use pymem::Gc;

use crate::dict::Dict;
use crate::error::{PyResult, type_error};
use crate::obj::{BuiltinDef, BuiltinFn, Kind, Module, Obj, PyRef, TypeObj};
use crate::types::{BuiltinType, dict_get_str, dict_set_str, type_name, types};
use crate::{call, ops, val};

/// The modules [`builtin_module`] knows (`sys.builtin_module_names` lists those that are
/// built in in CPython too).
pub(crate) const BUILTIN_MODULES: &[&str] = &[
    "gc",
    "math",
    "os",
    "posixpath",
    "random",
    "sys",
    "time",
    "tracemalloc",
    "weakref",
];

/// The built-in modules CPython does not have (not in `sys.builtin_module_names`).
const PYMEM_MODULES: &[&str] = &["_pymem"];

thread_local! {
    /// The module objects made so far on this thread.
    static MODULES: RefCell<Vec<(&'static str, PyRef)>> = const { RefCell::new(Vec::new()) };
    /// The classes made from [`ClassSpec`]s, by the spec's address.
    static CLASSES: RefCell<Vec<(usize, Gc<Obj>)>> = const { RefCell::new(Vec::new()) };
    /// Rust values attached to objects, by object id ([`attach_native`]).
    static NATIVE: RefCell<HashMap<usize, Native>> = RefCell::new(HashMap::new());
}

/// The built-in module `name` (made on the first call; the same object afterwards), or
/// `None` if there is no such built-in module.
pub(crate) fn builtin_module(name: &str) -> Option<PyRef> {
    let name: &'static str = BUILTIN_MODULES
        .iter()
        .chain(PYMEM_MODULES)
        .find(|&&n| n == name)?;
    if let Some(m) = cached_module(name) {
        return Some(m);
    }
    let module = match name {
        "sys" => sys::create(),
        "gc" => gc::create(),
        "weakref" => weakref::create(),
        "math" => math::create(),
        "random" => random::create(),
        "time" => time::create(),
        "os" => os::create(),
        "posixpath" => os_path::create(),
        "_pymem" => lines::create(),
        _ => tracemalloc::create(),
    };
    // Making a module runs no Python code, but look again rather than assume it.
    if let Some(m) = cached_module(name) {
        return Some(m);
    }
    MODULES.with(|m| m.borrow_mut().push((name, module.clone())));
    Some(module)
}

/// Whether this thread's interpreter is still up: false once thread-local destruction has
/// begun, when pymem's teardown frees what is left and no Python code may run (the
/// thread-locals it would use may be gone). The module table is registered after pymem's
/// heap, so it is destroyed before the heap's teardown runs.
pub(crate) fn interpreter_alive() -> bool {
    MODULES.try_with(|_| ()).is_ok()
}

/// The module `name` if it was made already (never makes it).
pub(crate) fn cached_module(name: &str) -> Option<PyRef> {
    MODULES
        .try_with(|m| {
            m.borrow()
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, m)| m.clone())
        })
        .ok()
        .flatten()
}

/// `module.name` for a built-in module already made, read from its namespace (so that
/// assignments such as `sys.stdout = ...` are seen); `None` if absent.
pub(crate) fn module_attr(module: &str, name: &str) -> Option<PyRef> {
    let m = cached_module(module)?;
    let Some(Kind::Module(m)) = m.kind() else {
        return None;
    };
    dict_get_str(&dict_of(&m.dict).borrow(), name)
}

/// The table of a dict object.
pub(crate) fn dict_of(d: &Gc<Obj>) -> &RefCell<Dict> {
    match &d.kind {
        Kind::Dict(t) => t,
        _ => unreachable!("a namespace is a dict"),
    }
}

/// A new module namespace with `__name__` and `__doc__`, and the module object on it.
pub(crate) fn new_module(name: &str, doc: &str) -> (PyRef, Gc<Obj>) {
    let PyRef::O(dict) = val::dict(Dict::new()) else {
        unreachable!("a dict is tracked")
    };
    set_attr(&dict, "__name__", val::str_(name));
    set_attr(&dict, "__doc__", val::str_(doc));
    (Obj::new(Kind::Module(Module { dict: dict.clone() })), dict)
}

/// `namespace[name] = value` for a str key (runs no Python code).
pub(crate) fn set_attr(dict: &Gc<Obj>, name: &str, value: PyRef) {
    let key = val::str_(name);
    let old = dict_set_str(&mut dict_of(dict).borrow_mut(), key, value);
    drop(old);
}

/// Puts each function of `defs` into the namespace as a built-in function object.
pub(crate) fn add_functions(dict: &Gc<Obj>, defs: &'static [BuiltinDef]) {
    for def in defs {
        set_attr(dict, def.name, Obj::new(Kind::Builtin(def, None)));
    }
}

/// A table of built-in functions from `name => function` pairs.
macro_rules! fns {
    ($($name:literal => $f:expr),* $(,)?) => {
        &[$(crate::obj::BuiltinDef { name: $name, func: $f }),*]
    };
}
pub(crate) use fns;

// ---- Arguments ------------------------------------------------------------------------

/// Keyword arguments as the built-ins receive them.
pub(crate) type Kw<'a> = &'a [(PyRef, PyRef)];

/// CPython's error for a function that takes no keyword arguments.
pub(crate) fn no_kw(name: &str, kw: Kw<'_>) -> PyResult<()> {
    match kw.is_empty() {
        true => Ok(()),
        false => Err(type_error(format!("{name}() takes no keyword arguments"))),
    }
}

/// The single argument of a `METH_O` function (`qual` is its qualified name).
pub(crate) fn one_arg<'a>(qual: &str, args: &'a [PyRef], kw: Kw<'_>) -> PyResult<&'a PyRef> {
    no_kw(qual, kw)?;
    match args {
        [x] => Ok(x),
        _ => Err(type_error(format!(
            "{qual}() takes exactly one argument ({} given)",
            args.len()
        ))),
    }
}

/// Checks that a `METH_NOARGS` function got no arguments.
pub(crate) fn no_args(qual: &str, args: &[PyRef], kw: Kw<'_>) -> PyResult<()> {
    no_kw(qual, kw)?;
    match args.is_empty() {
        true => Ok(()),
        false => Err(type_error(format!(
            "{qual}() takes no arguments ({} given)",
            args.len()
        ))),
    }
}

/// Checks an Argument Clinic function's positional count.
pub(crate) fn at_most(name: &str, args: &[PyRef], n: usize) -> PyResult<()> {
    if args.len() <= n {
        return Ok(());
    }
    let s = if n == 1 { "" } else { "s" };
    Err(type_error(format!(
        "{name}() takes at most {n} argument{s} ({} given)",
        args.len()
    )))
}

/// The argument at position `i` or passed as keyword `name` (an error if both).
pub(crate) fn arg(
    fname: &str,
    args: &[PyRef],
    kw: Kw<'_>,
    i: usize,
    name: &str,
) -> PyResult<Option<PyRef>> {
    let by_kw = kw
        .iter()
        .find(|(k, _)| k.as_str() == Some(name))
        .map(|(_, v)| v.clone());
    match (args.get(i), by_kw) {
        (Some(_), Some(_)) => Err(type_error(format!(
            "argument for {fname}() given by name ('{name}') and position ({})",
            i + 1
        ))),
        (Some(a), None) => Ok(Some(a.clone())),
        (None, v) => Ok(v),
    }
}

/// Rejects keyword arguments not in `allowed`.
pub(crate) fn check_kw(fname: &str, kw: Kw<'_>, allowed: &[&str]) -> PyResult<()> {
    for (k, _) in kw {
        let k = k.as_str().unwrap_or_default();
        if !allowed.contains(&k) {
            return Err(type_error(format!(
                "{fname}() got an unexpected keyword argument '{k}'"
            )));
        }
    }
    Ok(())
}

/// An integer argument (`__index__`), with CPython's TypeError for other types.
pub(crate) fn int_arg(x: &PyRef) -> PyResult<i64> {
    ops::index(x)
}

/// The `self` of a method of the class `spec`: an instance of it or of a subclass.
pub(crate) fn receiver<'a>(
    spec: &'static ClassSpec,
    method: &str,
    args: &'a [PyRef],
) -> PyResult<&'a PyRef> {
    let cls = class_of(spec);
    match args.first() {
        Some(x) if crate::types::is_subtype(&crate::types::type_of(x), &cls) => Ok(x),
        Some(x) => Err(type_error(format!(
            "descriptor '{method}' for '{}' objects doesn't apply to a '{}' object",
            spec.name,
            type_name(x)
        ))),
        None => Err(type_error(format!(
            "descriptor '{method}' of '{}' object needs an argument",
            spec.name
        ))),
    }
}

// ---- Classes --------------------------------------------------------------------------

/// A class made in Rust: its methods are built-in functions taking `self` first.
pub(crate) struct ClassSpec {
    pub name: &'static str,
    pub module: &'static str,
    pub methods: &'static [BuiltinDef],
    /// Static methods (`__new__`, called with the class first).
    pub statics: &'static [BuiltinDef],
    pub props: &'static [Prop],
    /// Slot names: where the instances keep their state, traced as any slot.
    pub slots: &'static [&'static str],
    pub has_dict: bool,
    /// The built-in base whose payload instances carry (`tuple` for a struct sequence).
    pub base: Option<BuiltinType>,
}

/// A property of a [`ClassSpec`]: a getter, and a setter if assignable.
pub(crate) struct Prop {
    pub get: BuiltinDef,
    pub set: Option<BuiltinDef>,
}

impl Prop {
    /// A read-only property.
    pub(crate) const fn ro(name: &'static str, get: BuiltinFn) -> Prop {
        Prop {
            get: BuiltinDef { name, func: get },
            set: None,
        }
    }

    /// A property that can be assigned.
    pub(crate) const fn rw(name: &'static str, get: BuiltinFn, set: BuiltinFn) -> Prop {
        Prop {
            get: BuiltinDef { name, func: get },
            set: Some(BuiltinDef { name, func: set }),
        }
    }
}

/// The class of `spec` on this thread (made on first use).
pub(crate) fn class_of(spec: &'static ClassSpec) -> Gc<Obj> {
    let key = spec as *const ClassSpec as usize;
    let found = CLASSES.with(|c| {
        c.borrow()
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, t)| t.clone())
    });
    if let Some(cls) = found {
        return cls;
    }
    let cls = build_class(spec);
    CLASSES.with(|c| c.borrow_mut().push((key, cls.clone())));
    cls
}

/// Makes the type object of `spec`: bases `object` (or its built-in base), its MRO, its
/// dict.
fn build_class(spec: &'static ClassSpec) -> Gc<Obj> {
    let base = spec.base.unwrap_or(BuiltinType::Object);
    let bases = vec![types().get(base).clone()];
    let name: Rc<str> = spec.name.into();
    let ty = TypeObj {
        name: RefCell::new(name.clone()),
        qualname: RefCell::new(name),
        bases: bases.clone().into_boxed_slice(),
        mro: RefCell::new(Box::new([])),
        dict: RefCell::new(class_dict(spec)),
        builtin: None,
        slot_names: spec.slots.iter().map(|s| Rc::from(*s)).collect(),
        has_dict: spec.has_dict,
        has_weakref: true,
        payload: spec.base,
        hooks: Cell::new((0, 0)),
    };
    let cls = Gc::new(Obj {
        kind: Kind::Type(Box::new(ty)),
    });
    let mro = crate::types::compute_mro(&cls, &bases).unwrap_or_default();
    if let Kind::Type(t) = &cls.kind {
        *t.mro.borrow_mut() = mro;
    }
    cls
}

/// The namespace of `spec`'s class: `__module__`, `__doc__`, methods, static methods and
/// properties.
fn class_dict(spec: &'static ClassSpec) -> Dict {
    let mut d = Dict::new();
    let mut put = |name: &str, v: PyRef| drop(dict_set_str(&mut d, val::str_(name), v));
    put("__module__", val::str_(spec.module));
    put("__doc__", val::none());
    for def in spec.methods {
        put(def.name, Obj::new(Kind::Builtin(def, None)));
    }
    for def in spec.statics {
        put(
            def.name,
            Obj::new(Kind::StaticMethod(Obj::new(Kind::Builtin(def, None)))),
        );
    }
    for p in spec.props {
        let get = Obj::new(Kind::Builtin(&p.get, None));
        let set = p.set.as_ref().map(|s| Obj::new(Kind::Builtin(s, None)));
        put(
            p.get.name,
            Obj::new(Kind::Property(Box::new([Some(get), set, None]))),
        );
    }
    d
}

/// A new instance of `cls` (a class of a [`ClassSpec`] or a subclass), without `__init__`.
pub(crate) fn new_object(cls: &Gc<Obj>) -> PyRef {
    call::new_instance(cls, None)
}

/// A new instance of the class of `spec` whose tuple payload holds `items`.
pub(crate) fn new_tuple_object(spec: &'static ClassSpec, items: Vec<PyRef>) -> PyRef {
    call::new_instance(&class_of(spec), Some(val::tuple(items)))
}

/// Sets `x.name` in an instance's `__dict__` (runs no Python code).
pub(crate) fn set_field(x: &PyRef, name: &str, value: PyRef) {
    let Some(dict) = x.as_instance().and_then(|i| i.dict.as_ref()) else {
        return;
    };
    let key = val::str_(name);
    let old = dict_set_str(&mut dict.table().borrow_mut(), key, value);
    crate::types::type_modified();
    drop(old);
}

/// The slot `name` of an instance (`None` if unset or not a slot of its class).
pub(crate) fn slot(x: &PyRef, name: &str) -> Option<PyRef> {
    let inst = x.as_instance()?;
    let i = crate::types::tobj(&inst.cls)
        .slot_names
        .iter()
        .position(|s| &**s == name)?;
    inst.slots[i].borrow().clone()
}

/// Sets the slot `name` of an instance, dropping the old value after the borrow.
pub(crate) fn set_slot(x: &PyRef, name: &str, value: PyRef) {
    let Some(inst) = x.as_instance() else { return };
    let Some(i) = crate::types::tobj(&inst.cls)
        .slot_names
        .iter()
        .position(|s| &**s == name)
    else {
        return;
    };
    let old = inst.slots[i].replace(Some(value));
    drop(old);
}

/// The items of a tuple-payload instance ([`new_tuple_object`]).
pub(crate) fn tuple_items(x: &PyRef) -> &[PyRef] {
    match x.payload() {
        Some(Kind::Tuple(t)) => t,
        _ => &[],
    }
}

/// `<name at 0x...>`, CPython's default-looking repr of a Rust-made object.
pub(crate) fn at_repr(name: &str, x: &PyRef) -> PyRef {
    val::string(format!("<{name} at {:#x}>", x.id()))
}

// ---- Native payloads -----------------------------------------------------------------

/// A Rust value attached to an object, and the weak reference whose callback removes it
/// when the object dies (object ids are reused).
struct Native {
    value: Rc<dyn Any>,
    _watch: pymem::Weak<Obj>,
}

/// Attaches `value` to `obj` until `obj` dies. The value is not traced: it must not hold
/// strong references to Python objects that could form a cycle through `obj`.
pub(crate) fn attach_native(obj: &PyRef, value: Rc<dyn Any>) {
    let Some(gc) = obj.obj() else { return };
    let id = Gc::id(gc);
    let watch = pymem::Weak::with_callback(gc, move |_| {
        // At thread exit the table may already be gone: nothing is left to forget then.
        let old = NATIVE
            .try_with(|n| n.borrow_mut().remove(&id))
            .ok()
            .flatten();
        drop(old);
    });
    let old = NATIVE.with(|n| {
        n.borrow_mut().insert(
            id,
            Native {
                value,
                _watch: watch,
            },
        )
    });
    drop(old);
}

/// The value of type `T` attached to `obj`, if any.
pub(crate) fn native<T: 'static>(obj: &PyRef) -> Option<Rc<T>> {
    let value = NATIVE.with(|n| n.borrow().get(&obj.id()).map(|e| e.value.clone()))?;
    value.downcast::<T>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_modules_are_none() {
        assert!(builtin_module("os_nonexistent").is_none());
        assert!(BUILTIN_MODULES.contains(&"gc"));
    }

    #[test]
    fn modules_are_made_once() {
        let a = builtin_module("gc").unwrap();
        let b = builtin_module("gc").unwrap();
        assert!(a.is(&b));
        assert!(module_attr("gc", "collect").is_some());
    }

    #[test]
    fn native_values_go_with_their_object() {
        let x = val::list(vec![]);
        attach_native(&x, Rc::new(7_u32));
        assert_eq!(native::<u32>(&x).as_deref(), Some(&7));
        let id = x.id();
        drop(x);
        assert!(NATIVE.with(|n| !n.borrow().contains_key(&id)));
    }
}
