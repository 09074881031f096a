//! Making classes: `__build_class__` (the `class` statement) and `type(name, bases,
//! dict)` (CPython's `type_new`): the MRO, the instance layout (`__slots__`, `__dict__`,
//! `__weakref__`, a built-in base's payload), the implicit class and static methods,
//! `__set_name__` and `__init_subclass__`.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use pymem::Gc;

use super::args::kwarg;
use crate::call::Kwargs;
use crate::dict::Dict;
use crate::error::{PyErr, PyResult, type_error, value_error};
use crate::frame::Frame;
use crate::obj::{BuiltinDef, Kind, Obj, PyRef, TypeObj};
use crate::types::{
    BuiltinType, compute_mro, dict_get_str, dict_set_str, lookup, tobj, type_name, type_of, types,
};
use crate::{call, dictops, ops, val};

thread_local! {
    /// Every class made here, weakly, for `__subclasses__()`.
    static CLASSES: RefCell<Vec<pymem::Weak<Obj>>> = const { RefCell::new(Vec::new()) };
}

/// The classes made here whose direct bases include `cls`, in the order they were made
/// (`cls.__subclasses__()`); forgets the classes that have died.
pub(crate) fn subclasses(cls: &Gc<Obj>) -> Vec<PyRef> {
    let live: Vec<Gc<Obj>> = CLASSES.with(|c| {
        let mut c = c.borrow_mut();
        c.retain(|w| w.strong_count() > 0);
        c.iter().filter_map(pymem::Weak::upgrade).collect()
    });
    let direct = |c: &Gc<Obj>| tobj(c).bases.iter().any(|b| Gc::ptr_eq(b, cls));
    live.into_iter().filter(direct).map(PyRef::O).collect()
}

/// The functions of this module, by Python name.
pub(super) const FUNCS: &[BuiltinDef] = &[BuiltinDef {
    name: "__build_class__",
    func: build_class,
}];

/// The `__build_class__` built-in (what `LoadBuildClass` pushes).
pub(crate) fn build_class_fn() -> PyRef {
    super::builtin_fn(&FUNCS[0])
}

/// `__build_class__(func, name, *bases, metaclass=None, **kwds)`: runs the class body in
/// a fresh namespace, makes the class, and fills the body's `__class__` cell.
fn build_class(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    let [func, name, bases @ ..] = args else {
        return Err(type_error("__build_class__: not enough arguments"));
    };
    let Some(Kind::Function(f)) = func.kind() else {
        return Err(type_error("__build_class__: func must be a function"));
    };
    let Some(name) = name.as_str() else {
        return Err(type_error("__build_class__: name is not a string"));
    };
    let ns = body_namespace(f);
    let cell = run_body(f, &ns)?;
    let cls = make_class(name, bases, ns, kwargs)?;
    if let Some(Kind::Cell(c)) = cell.kind() {
        let old = c.replace(Some(cls.clone()));
        drop(old);
    }
    Ok(cls)
}

/// Makes the class of a `class` statement once its body has run: here, or by calling the
/// metaclass.
fn make_class(name: &str, bases: &[PyRef], ns: PyRef, kwargs: Kwargs<'_>) -> PyResult {
    let meta = kwarg(kwargs, "metaclass");
    let rest: Vec<(PyRef, PyRef)> = kwargs
        .iter()
        .filter(|(k, _)| k.as_str() != Some("metaclass"))
        .cloned()
        .collect();
    match explicit_metaclass(meta, bases) {
        Some(m) => call::call(
            &m,
            &[val::str_(name), val::tuple(bases.to_vec()), ns],
            &rest,
        ),
        None => {
            let classes = bases.iter().filter_map(|b| b.obj().cloned()).collect();
            new_class_kw(name, classes, ns, &rest)
        }
    }
}

/// The metaclass to call instead of making the class here: one given other than `type`,
/// or the type of a base that is not a class (CPython derives the metaclass from it, and
/// calling it reports the error).
fn explicit_metaclass(meta: Option<PyRef>, bases: &[PyRef]) -> Option<PyRef> {
    let ty = PyRef::O(types().get(BuiltinType::Type).clone());
    if let Some(m) = meta.filter(|m| !m.is(&ty)) {
        return Some(m);
    }
    bases
        .iter()
        .find(|b| b.as_type().is_none())
        .map(|b| PyRef::O(type_of(b)))
}

/// The class body's namespace, with `__module__` and `__qualname__` set.
fn body_namespace(f: &crate::obj::Func) -> PyRef {
    let mut d = Dict::new();
    dict_set_str(&mut d, val::str_("__module__"), f.module.borrow().clone());
    dict_set_str(
        &mut d,
        val::str_("__qualname__"),
        val::str_(&f.qualname.borrow()),
    );
    val::dict(d)
}

/// Runs the class body with `ns` as its locals: returns the `__class__` cell or None.
fn run_body(f: &crate::obj::Func, ns: &PyRef) -> PyResult {
    let code = f.code.clone();
    let mut frame = Frame::new(code.clone(), f.globals.clone(), Some(ns.clone()));
    for _ in 0..code.cellvars.len() {
        frame.cells.push(Obj::new(Kind::Cell(RefCell::new(None))));
    }
    frame.cells.extend(f.closure.iter().cloned());
    call::with_depth(|| crate::vm::run_function(&mut frame))
}

/// `type(x)` and `type(name, bases, dict, **kwds)`.
pub(crate) fn type_call(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    match args {
        [x] if kwargs.is_empty() => Ok(PyRef::O(type_of(x))),
        [name, bases, ns] => {
            let name = name.as_str().ok_or_else(|| type_arg(1, "str", name))?;
            let bases = bases
                .as_tuple()
                .ok_or_else(|| type_arg(2, "tuple", bases))?;
            if ns.as_dict().is_none() {
                return Err(type_arg(3, "dict", ns));
            }
            let classes: Vec<Gc<Obj>> = bases
                .iter()
                .filter_map(|b| b.obj().filter(|_| b.as_type().is_some()).cloned())
                .collect();
            if classes.len() != bases.len() {
                return Err(type_error("type() argument 2 must be a tuple of types"));
            }
            new_class_kw(name, classes, ns.clone(), kwargs)
        }
        _ => Err(type_error("type() takes 1 or 3 arguments")),
    }
}

#[cold]
fn type_arg(i: usize, what: &str, got: &PyRef) -> PyErr {
    type_error(format!(
        "type.__new__() argument {i} must be {what}, not {}",
        type_name(got)
    ))
}

/// `type(name, bases, ns)`: a new class.
#[allow(dead_code)] // for `type.__new__` (and the tests)
pub(crate) fn new_class(name: &str, bases: Vec<Gc<Obj>>, ns: PyRef) -> PyResult {
    new_class_kw(name, bases, ns, &[])
}

/// [`new_class`] with the keywords of the class statement, for `__init_subclass__`.
fn new_class_kw(name: &str, bases: Vec<Gc<Obj>>, ns: PyRef, kwargs: Kwargs<'_>) -> PyResult {
    let bases = match bases.is_empty() {
        true => vec![types().get(BuiltinType::Object).clone()],
        false => bases,
    };
    let mut dict = copy_namespace(&ns)?;
    let qualname = take_qualname(&mut dict, name)?;
    let layout = Layout::new(&bases, name, &dict)?;
    check_duplicates(&bases)?;
    prepare_dict(&mut dict);
    let members = layout.add_members(&mut dict);
    let cls = Gc::new(Obj {
        kind: Kind::Type(Box::new(layout.into_type(name, qualname, &bases, dict))),
    });
    for d in &members {
        super::member::set_owner(d, PyRef::O(cls.clone()));
    }
    let mro = compute_mro(&cls, &bases).ok_or_else(|| mro_error(&bases))?;
    *tobj(&cls).mro.borrow_mut() = mro;
    CLASSES.with(|c| c.borrow_mut().push(Gc::downgrade(&cls)));
    let cls_ref = PyRef::O(cls.clone());
    set_names(&cls_ref)?;
    init_subclass(&cls, kwargs)?;
    Ok(cls_ref)
}

/// The class dict: a copy of the namespace's entries with str keys (type dicts hold no
/// others here: a deviation from CPython), with `__module__` from the caller when absent.
fn copy_namespace(ns: &PyRef) -> PyResult<Dict> {
    let items = match ns.as_dict() {
        Some(d) => dictops::items(d),
        None => super::mapping_items(ns)?,
    };
    let mut dict = Dict::new();
    for (k, v) in items.into_iter().filter(|(k, _)| k.as_str().is_some()) {
        drop(dict_set_str(&mut dict, k, v));
    }
    if dict_get_str(&dict, "__module__").is_none()
        && let Some(m) = caller_module()
    {
        dict_set_str(&mut dict, val::str_("__module__"), m);
    }
    Ok(dict)
}

/// The running frame's module name (`type()` sets `__module__` from it).
fn caller_module() -> Option<PyRef> {
    let (g, _) = super::current_namespace()?;
    match &g.kind {
        Kind::Dict(d) => dict_get_str(&d.borrow(), "__name__"),
        _ => None,
    }
}

/// Removes `name` from a dict of str keys, returning its value.
pub(super) fn dict_remove_str(d: &mut Dict, name: &str) -> Option<PyRef> {
    let pos = d.find(crate::hash::str_hash(name), |k| k.as_str() == Some(name))?;
    d.remove_at(pos).map(|e| e.value)
}

/// `__qualname__` from the namespace (removed from it, as CPython does), or the name.
fn take_qualname(dict: &mut Dict, name: &str) -> PyResult<Rc<str>> {
    match dict_remove_str(dict, "__qualname__") {
        None => Ok(name.into()),
        Some(q) => match q.as_str() {
            Some(s) => Ok(s.into()),
            None => Err(type_error(format!(
                "type __qualname__ must be a str, not {}",
                type_name(&q)
            ))),
        },
    }
}

/// CPython's implicit conversions (`__new__` is a static method, `__init_subclass__` and
/// `__class_getitem__` class methods) and the default `__doc__`.
fn prepare_dict(dict: &mut Dict) {
    type Wrap = fn(PyRef) -> Kind;
    let wraps: [(&str, Wrap); 3] = [
        ("__new__", Kind::StaticMethod),
        ("__init_subclass__", Kind::ClassMethod),
        ("__class_getitem__", Kind::ClassMethod),
    ];
    for (name, wrap) in wraps {
        if let Some(f) =
            dict_get_str(dict, name).filter(|f| matches!(f.kind(), Some(Kind::Function(_))))
        {
            drop(dict_set_str(dict, val::str_(name), Obj::new(wrap(f))));
        }
    }
    if dict_get_str(dict, "__doc__").is_none() {
        dict_set_str(dict, val::str_("__doc__"), val::none());
    }
    // Equality without hashing makes instances unhashable, as CPython's `type_new` does.
    if dict_get_str(dict, "__eq__").is_some() && dict_get_str(dict, "__hash__").is_none() {
        dict_set_str(dict, val::str_("__hash__"), val::none());
    }
}

/// What instances of the new class are made of.
struct Layout {
    payload: Option<BuiltinType>,
    slot_names: Vec<Rc<str>>,
    /// How many of `slot_names` the bases contribute (the rest are the class's own).
    inherited: usize,
    has_dict: bool,
    has_weakref: bool,
}

impl Layout {
    /// The layout from the bases (the "solid base" they must agree on) and `__slots__`.
    fn new(bases: &[Gc<Obj>], name: &str, dict: &Dict) -> PyResult<Layout> {
        let solid = solid_base(bases)?;
        let st = tobj(solid);
        let payload = st.payload.filter(|p| *p != BuiltinType::Object);
        let (base_dict, base_weak) = (
            bases.iter().any(|b| tobj(b).has_dict),
            bases.iter().any(|b| tobj(b).has_weakref),
        );
        let mut layout = Layout {
            payload,
            slot_names: st.slot_names.to_vec(),
            inherited: st.slot_names.len(),
            has_dict: true,
            has_weakref: true,
        };
        // CPython cannot add a weakref list to variable-size objects (int, tuple, bytes).
        let var_size = matches!(
            payload,
            Some(BuiltinType::Int | BuiltinType::Tuple | BuiltinType::Bytes)
        );
        let Some(slots) = own_slots(dict, name)? else {
            layout.has_weakref = !var_size || base_weak;
            return Ok(layout);
        };
        (layout.has_dict, layout.has_weakref) = (base_dict, base_weak);
        for s in slots {
            layout.add_slot(s, dict)?;
        }
        Ok(layout)
    }

    /// One name of `__slots__` (already mangled).
    fn add_slot(&mut self, s: Rc<str>, dict: &Dict) -> PyResult<()> {
        match &*s {
            "__dict__" if self.has_dict => {
                return Err(type_error("__dict__ slot disallowed: we already got one"));
            }
            "__dict__" => self.has_dict = true,
            "__weakref__" if self.has_weakref => {
                return Err(type_error(
                    "__weakref__ slot disallowed: we already got one",
                ));
            }
            "__weakref__" => self.has_weakref = true,
            _ if dict_get_str(dict, &s).is_some() => {
                return Err(value_error(format!(
                    "'{s}' in __slots__ conflicts with class variable"
                )));
            }
            _ => self.slot_names.push(s),
        }
        Ok(())
    }

    /// Puts a `member_descriptor` for each of the class's own slots into its dict; returns
    /// them, to be told their class once it exists.
    fn add_members(&self, dict: &mut Dict) -> Vec<PyRef> {
        let own = &self.slot_names[self.inherited..];
        let mut out = Vec::with_capacity(own.len());
        for s in own {
            let d = super::member::new_member(s);
            drop(dict_set_str(dict, val::str_(s), d.clone()));
            out.push(d);
        }
        out
    }

    fn into_type(self, name: &str, qualname: Rc<str>, bases: &[Gc<Obj>], dict: Dict) -> TypeObj {
        TypeObj {
            name: RefCell::new(name.into()),
            qualname: RefCell::new(qualname),
            bases: bases.into(),
            mro: RefCell::new(Box::new([])),
            dict: RefCell::new(dict),
            builtin: None,
            slot_names: self.slot_names.into_boxed_slice(),
            has_dict: self.has_dict,
            has_weakref: self.has_weakref,
            payload: self.payload,
            hooks: Cell::new((0, 0)),
        }
    }
}

/// The base whose layout every other base's is a prefix of (CPython's `best_base`).
fn solid_base(bases: &[Gc<Obj>]) -> PyResult<&Gc<Obj>> {
    for b in bases {
        check_acceptable(b)?;
    }
    let weight = |b: &Gc<Obj>| {
        let t = tobj(b);
        (
            t.payload.is_some_and(|p| p != BuiltinType::Object),
            t.slot_names.len(),
        )
    };
    let solid = bases
        .iter()
        .max_by_key(|b| weight(b))
        .expect("at least one base");
    let st = tobj(solid);
    for b in bases {
        let t = tobj(b);
        let payload_ok =
            matches!(t.payload, None | Some(BuiltinType::Object)) || t.payload == st.payload;
        if !payload_ok || !st.slot_names.starts_with(&t.slot_names) {
            return Err(type_error("multiple bases have instance lay-out conflict"));
        }
    }
    Ok(solid)
}

/// Refuses the built-in types CPython does not allow to be subclassed.
fn check_acceptable(b: &Gc<Obj>) -> PyResult<()> {
    use BuiltinType as B;
    let t = tobj(b);
    let final_type = matches!(
        t.builtin,
        Some(
            B::Bool
                | B::NoneType
                | B::NotImplementedType
                | B::Ellipsis
                | B::Range
                | B::Slice
                | B::Function
                | B::Method
                | B::BuiltinFunction
                | B::Cell
                | B::Generator
                | B::Code
                | B::Traceback
                | B::Iterator
                | B::RangeIterator
                | B::Enumerate
                | B::Zip
                | B::Map
                | B::Filter
                | B::Reversed
                | B::DictKeys
                | B::DictValues
                | B::DictItems
        )
    );
    match final_type {
        true => Err(type_error(format!(
            "type '{}' is not an acceptable base type",
            t.name.borrow()
        ))),
        false => Ok(()),
    }
}

/// The class's own `__slots__` (mangled), if it defines them.
fn own_slots(dict: &Dict, class_name: &str) -> PyResult<Option<Vec<Rc<str>>>> {
    let Some(slots) = dict_get_str(dict, "__slots__") else {
        return Ok(None);
    };
    let items = match slots.as_str() {
        Some(_) => vec![slots.clone()],
        None => ops::collect(&slots)?,
    };
    let mut out = Vec::with_capacity(items.len());
    for item in &items {
        let Some(s) = item.as_str() else {
            return Err(type_error(format!(
                "__slots__ items must be strings, not '{}'",
                type_name(item)
            )));
        };
        if !is_identifier(s) {
            return Err(type_error("__slots__ must be identifiers"));
        }
        out.push(mangle(class_name, s));
    }
    Ok(Some(out))
}

/// Whether `s` is a Python identifier (approximately: Unicode letters, digits, `_`).
fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c == '_' || c.is_alphabetic())
        && chars.all(|c| c == '_' || c.is_alphanumeric())
}

/// Private name mangling: `__x` in class `Cls` is `_Cls__x`.
fn mangle(class_name: &str, s: &str) -> Rc<str> {
    let stripped = class_name.trim_start_matches('_');
    match s.starts_with("__") && !s.ends_with("__") && !stripped.is_empty() {
        true => format!("_{stripped}{s}").into(),
        false => s.into(),
    }
}

/// "duplicate base class A".
fn check_duplicates(bases: &[Gc<Obj>]) -> PyResult<()> {
    for (i, b) in bases.iter().enumerate() {
        if bases[..i].iter().any(|o| Gc::ptr_eq(o, b)) {
            return Err(type_error(format!(
                "duplicate base class {}",
                tobj(b).name.borrow()
            )));
        }
    }
    Ok(())
}

/// The error for bases with no consistent MRO, naming the heads the merge was stuck on.
#[cold]
fn mro_error(bases: &[Gc<Obj>]) -> PyErr {
    let mut seqs: Vec<Vec<Gc<Obj>>> = bases
        .iter()
        .map(|b| tobj(b).mro.borrow().to_vec())
        .collect();
    seqs.push(bases.to_vec());
    loop {
        seqs.retain(|s| !s.is_empty());
        let in_tail = |h: &Gc<Obj>| seqs.iter().any(|s| s[1..].iter().any(|x| Gc::ptr_eq(x, h)));
        let Some(head) = seqs.iter().map(|s| s[0].clone()).find(|h| !in_tail(h)) else {
            break;
        };
        for s in &mut seqs {
            if Gc::ptr_eq(&s[0], &head) {
                s.remove(0);
            }
        }
    }
    let mut heads: Vec<Gc<Obj>> = Vec::new();
    for h in seqs.iter().map(|s| &s[0]) {
        if !heads.iter().any(|x| Gc::ptr_eq(x, h)) {
            heads.push(h.clone());
        }
    }
    let names: Vec<String> = heads
        .iter()
        .map(|h| tobj(h).name.borrow().to_string())
        .collect();
    type_error(format!(
        "Cannot create a consistent method resolution order (MRO) for bases {}",
        names.join(", ")
    ))
}

/// Calls `__set_name__(cls, name)` on the class attributes that define it.
fn set_names(cls: &PyRef) -> PyResult<()> {
    let items: Vec<(PyRef, PyRef)> = match cls.as_type() {
        Some(t) => t
            .dict
            .borrow()
            .iter()
            .map(|e| (e.key.clone(), e.value.clone()))
            .collect(),
        None => Vec::new(),
    };
    for (k, v) in items {
        if let Some(f) = lookup(&type_of(&v), "__set_name__") {
            call::call_bound(&f, &v, &[cls.clone(), k])?;
        }
    }
    Ok(())
}

/// Calls the first `__init_subclass__` after the class in its MRO with the class
/// statement's keywords (`object`'s takes none).
fn init_subclass(cls: &Gc<Obj>, kwargs: Kwargs<'_>) -> PyResult<()> {
    let object = types().get(BuiltinType::Object);
    let found = {
        let mro = tobj(cls).mro.borrow();
        mro.iter()
            .skip(1)
            .take_while(|c| !Gc::ptr_eq(c, object))
            .find_map(|c| dict_get_str(&tobj(c).dict.borrow(), "__init_subclass__"))
    };
    let cls_ref = PyRef::O(cls.clone());
    match found.as_ref().map(|f| (f, f.kind())) {
        Some((_, Some(Kind::ClassMethod(f)))) => call::call(f, &[cls_ref], kwargs).map(drop),
        Some((f, _)) => call::call(f, &[cls_ref], kwargs).map(drop),
        None if kwargs.is_empty() => Ok(()),
        None => Err(type_error(format!(
            "{}.__init_subclass__() takes no keyword arguments",
            tobj(cls).qualname.borrow()
        ))),
    }
}
