//! The methods of `object` (which every class inherits, so they must suit any instance),
//! `type`, and `BaseException` (which every exception class inherits).

use pymem::Gc;

use super::{Kw, defs, no_kw, noargs, one, recv, slot, slot1};
use crate::dict::Dict;
use crate::error::{PyResult, type_error};
use crate::obj::{Atom, BuiltinDef, Kind, Obj, PyRef};
use crate::types::{BuiltinType, lookup, tobj, type_name, type_of, types};
use crate::{attr, call, dictops, ops, val};

/// The methods of `object`.
pub(crate) static OBJECT: &[BuiltinDef] = defs![
    "__init__" => init, "__new__" => new, "__repr__" => repr, "__str__" => str_,
    "__eq__" => eq, "__ne__" => ne,
    "__lt__" => |a, k| unordered("object.__lt__", a, k),
    "__le__" => |a, k| unordered("object.__le__", a, k),
    "__gt__" => |a, k| unordered("object.__gt__", a, k),
    "__ge__" => |a, k| unordered("object.__ge__", a, k),
    "__hash__" => hash, "__setattr__" => setattr, "__delattr__" => delattr,
    "__getattribute__" => getattribute, "__format__" => format, "__dir__" => dir,
    "__init_subclass__" => init_subclass, "__subclasshook__" => subclasshook,
];

/// The methods of `type`.
pub(crate) static TYPE: &[BuiltinDef] = defs!["mro" => mro, "__repr__" => type_repr];

/// The methods of `BaseException`.
pub(crate) static EXCEPTION: &[BuiltinDef] = defs![
    "__init__" => exc_init, "__new__" => exc_new, "__str__" => exc_str, "__repr__" => exc_repr,
    "with_traceback" => with_traceback, "add_note" => add_note,
];

/// Any object is an `object`.
fn this<'a>(q: &str, args: &'a [PyRef]) -> PyResult<&'a PyRef> {
    recv(q, args, Some)
}

/// Whether `f` (found on a class) is `object`'s own method `name`, not an override.
fn is_object_slot(f: Option<PyRef>, name: &str) -> bool {
    let mine = OBJECT.iter().find(|d| d.name == name);
    match (f.as_ref().and_then(PyRef::kind), mine) {
        (Some(Kind::Builtin(d, _)), Some(m)) => std::ptr::eq(*d, m),
        _ => false,
    }
}

/// `object.__init__`: extra arguments are an error only where CPython's `object_init`
/// finds them (the class overrides neither `__new__` nor, or else only, `__init__`).
fn init(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this("object.__init__", args)?;
    if args.len() > 1 || !kw.is_empty() {
        let ty = type_of(x);
        if !is_object_slot(lookup(&ty, "__init__"), "__init__") {
            return Err(type_error(
                "object.__init__() takes exactly one argument (the instance to initialize)",
            ));
        }
        if is_object_slot(lookup(&ty, "__new__"), "__new__") {
            let name = tobj(&ty).name.borrow().clone();
            return Err(type_error(format!(
                "{name}.__init__() takes exactly one argument (the instance to initialize)"
            )));
        }
    }
    Ok(val::none())
}

/// The class argument of a `__new__`.
pub(super) fn class_arg<'a>(name: &str, args: &'a [PyRef]) -> PyResult<&'a Gc<Obj>> {
    let Some(cls) = args.first() else {
        return Err(type_error(format!("{name}(): not enough arguments")));
    };
    match cls.obj().filter(|_| cls.as_type().is_some()) {
        Some(c) => Ok(c),
        None => Err(type_error(format!(
            "{name}(X): X is not a type object ({})",
            type_name(cls)
        ))),
    }
}

/// `object.__new__(cls, *args)`: a new instance (with an empty payload for a subclass of a
/// built-in container).
fn new(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let cls = class_arg("object.__new__", args)?;
    let t = tobj(cls);
    if args.len() > 1 || !kw.is_empty() {
        if !is_object_slot(lookup(cls, "__new__"), "__new__") {
            return Err(type_error(
                "object.__new__() takes exactly one argument (the type to instantiate)",
            ));
        }
        if is_object_slot(lookup(cls, "__init__"), "__init__") {
            return Err(type_error(format!(
                "{}() takes no arguments",
                t.name.borrow()
            )));
        }
    }
    if let Some(bt) = t
        .builtin
        .filter(|&b| b != BuiltinType::Object && b != BuiltinType::BaseException)
    {
        let name = tobj(types().get(bt)).name.borrow().clone();
        return Err(type_error(format!(
            "object.__new__({name}) is not safe, use {name}.__new__()"
        )));
    }
    Ok(call::new_instance(cls, t.payload.and_then(empty_payload)))
}

/// An empty value of a built-in container type, for a subclass instance's payload.
fn empty_payload(bt: BuiltinType) -> Option<PyRef> {
    use BuiltinType as B;
    match bt {
        B::List => Some(val::list(Vec::new())),
        B::Tuple => Some(val::tuple(Vec::new())),
        B::Dict => Some(val::dict(Dict::new())),
        B::Set | B::FrozenSet => Some(crate::seq::new_set(Dict::new(), bt == B::FrozenSet)),
        B::ByteArray => Some(crate::seq::bytearray(Vec::new())),
        _ => None,
    }
}

/// `object.__repr__`: `<__main__.A object at 0x…>`.
fn repr(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this("object.__repr__", args)?;
    slot("object.__repr__", args, kw, 0)?;
    Ok(val::string(crate::repr::default_repr(x)))
}

/// `object.__str__`: `repr(self)`, which honours the class's `__repr__`.
fn str_(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this("object.__str__", args)?;
    slot("object.__str__", args, kw, 0)?;
    ops::repr(x).map(val::string)
}

/// `object.__eq__`: True for the object itself, else NotImplemented.
fn eq(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this("object.__eq__", args)?;
    let y = slot1("object.__eq__", args, kw)?;
    match x.is(y) {
        true => Ok(val::bool_(true)),
        false => super::not_implemented(),
    }
}

/// `object.__ne__`: the inverse of the class's `__eq__`, unless that is NotImplemented.
fn ne(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this("object.__ne__", args)?;
    let y = slot1("object.__ne__", args, kw)?;
    let r = match lookup(&type_of(x), "__eq__") {
        Some(f) => call::call_bound(&f, x, std::slice::from_ref(y))?,
        None => return super::not_implemented(),
    };
    if matches!(r.atom(), Some(Atom::NotImplemented)) {
        return Ok(r);
    }
    Ok(val::bool_(!ops::truthy(&r)?))
}

/// `object.__lt__` and the other orderings: NotImplemented.
fn unordered(q: &str, args: &[PyRef], kw: Kw<'_>) -> PyResult {
    this(q, args)?;
    slot1(q, args, kw)?;
    super::not_implemented()
}

/// `object.__hash__`: from the identity, as `hash()` computes it for plain objects.
fn hash(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this("object.__hash__", args)?;
    slot("object.__hash__", args, kw, 0)?;
    Ok(val::int((x.id() as u64 >> 4) as i64))
}

/// An attribute name argument.
fn name_arg(x: &PyRef) -> PyResult<&PyRef> {
    match x.as_str() {
        Some(_) => Ok(x),
        None => Err(type_error(format!(
            "attribute name must be string, not '{}'",
            type_name(x)
        ))),
    }
}

/// `object.__setattr__(name, value)`.
fn setattr(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this("object.__setattr__", args)?;
    let a = slot("object.__setattr__", args, kw, 2)?;
    attr::generic_setattr(x, name_arg(&a[0])?, Some(a[1].clone()))?;
    Ok(val::none())
}

/// `object.__delattr__(name)`.
fn delattr(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this("object.__delattr__", args)?;
    let name = slot1("object.__delattr__", args, kw)?;
    attr::generic_setattr(x, name_arg(name)?, None)?;
    Ok(val::none())
}

/// `object.__getattribute__(name)`: the generic lookup, without `__getattr__`.
fn getattribute(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this("object.__getattribute__", args)?;
    let name = name_arg(slot1("object.__getattribute__", args, kw)?)?;
    let s = name.as_str().unwrap_or_default();
    if x.as_type().is_some() {
        return attr::getattr(x, name);
    }
    attr::generic_getattr(x, s)?.ok_or_else(|| attr::no_attribute(x, s))
}

/// `object.__format__(spec)`: `str(self)` for an empty spec, else TypeError.
fn format(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this("object.__format__", args)?;
    let spec = one("object.__format__", args, kw)?;
    match spec.as_str() {
        Some("") => ops::to_str(x),
        Some(_) => Err(type_error(format!(
            "unsupported format string passed to {}.__format__",
            type_name(x)
        ))),
        None => Err(type_error(format!(
            "__format__() argument must be str, not {}",
            type_name(spec)
        ))),
    }
}

/// `object.__dir__()`: the instance's attributes, then its class's along the MRO.
fn dir(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this("object.__dir__", args)?;
    noargs("object.__dir__", args, kw)?;
    let mut names: Vec<PyRef> = Vec::new();
    if let Some(Kind::Instance(inst)) = x.kind()
        && let Some(d) = &inst.dict
    {
        names.extend(dictops::keys(&d.table()));
    }
    let ty = type_of(x);
    let mro = tobj(&ty).mro.borrow().clone();
    for c in mro.iter() {
        names.extend(dictops::keys(&tobj(c).dict));
    }
    let mut seen = std::collections::HashSet::new();
    names.retain(|n| seen.insert(n.as_str().map(str::to_owned).unwrap_or_default()));
    Ok(val::list(names))
}

/// `object.__init_subclass__()`, a class method: nothing, and no arguments (`args[0]` is
/// the class, or an instance when called through one).
fn init_subclass(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    if !kw.is_empty() {
        let name = args
            .first()
            .and_then(PyRef::as_type)
            .map(|t| t.name.borrow().clone());
        return Err(type_error(format!(
            "{}.__init_subclass__() takes no keyword arguments",
            name.as_deref().unwrap_or("object")
        )));
    }
    noargs("object.__init_subclass__", args, kw)?;
    Ok(val::none())
}

/// `object.__subclasshook__(subclass)`: NotImplemented (`args[0]` is the class).
fn subclasshook(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    one("object.__subclasshook__", args, kw)?;
    super::not_implemented()
}

/// `type.mro()`: the class's linearization as a list.
fn mro(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let t = recv("type.mro", args, PyRef::as_type)?;
    noargs("type.mro", args, kw)?;
    let mro = t.mro.borrow().iter().map(|c| PyRef::O(c.clone())).collect();
    Ok(val::list(mro))
}

/// `type.__repr__`: `<class 'A'>`.
fn type_repr(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = recv("type.__repr__", args, |x| x.as_type().map(|_| x))?;
    slot("type.__repr__", args, kw, 0)?;
    ops::repr(x).map(val::string)
}

/// The receiver of a `BaseException` method.
fn exc<'a>(q: &str, args: &'a [PyRef]) -> PyResult<&'a PyRef> {
    recv(q, args, |x| x.exc().map(|_| x))
}

/// Replaces an exception's `args`.
fn set_args(x: &PyRef, args: &[PyRef]) {
    if let Some(st) = x.exc() {
        let old = st.args.replace(val::tuple(args.to_vec()));
        drop(old);
    }
}

/// `BaseException.__init__(*args)`: sets `args`.
fn exc_init(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = exc("BaseException.__init__", args)?;
    no_kw(&type_name(x), kw)?;
    set_args(x, &args[1..]);
    Ok(val::none())
}

/// `BaseException.__new__(cls, *args)`: an exception of `cls` with those `args`.
fn exc_new(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let cls = class_arg("BaseException.__new__", args)?;
    if !crate::types::is_subtype(cls, types().exc("BaseException")) {
        let name = tobj(cls).name.borrow().clone();
        return Err(type_error(format!(
            "BaseException.__new__({name}): {name} is not a subtype of BaseException"
        )));
    }
    let x = call::new_instance(cls, None);
    set_args(&x, &args[1..]);
    Ok(x)
}

/// `BaseException.__str__`: the one argument's str (a KeyError's repr), or the args' repr.
fn exc_str(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = exc("BaseException.__str__", args)?;
    slot("BaseException.__str__", args, kw, 0)?;
    let a = crate::error::exc_args(x);
    let key_error = crate::types::is_subtype(&type_of(x), types().exc("KeyError"));
    Ok(val::string(match &a[..] {
        [] => String::new(),
        [one] if key_error => ops::repr(one)?,
        [one] => ops::str_of(one)?,
        _ => ops::repr(&val::tuple(a.clone()))?,
    }))
}

/// `BaseException.__repr__`: `ValueError('x')`, `E(1, 2)`, `E()`.
fn exc_repr(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = exc("BaseException.__repr__", args)?;
    slot("BaseException.__repr__", args, kw, 0)?;
    let a = crate::error::exc_args(x);
    let name = type_name(x);
    Ok(val::string(match &a[..] {
        [one] => format!("{name}({})", ops::repr(one)?),
        _ => format!("{name}{}", ops::repr(&val::tuple(a.clone()))?),
    }))
}

/// `e.with_traceback(tb)`: sets `__traceback__`, returns `e`.
fn with_traceback(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = exc("BaseException.with_traceback", args)?;
    let tb = one("BaseException.with_traceback", args, kw)?;
    let tb = match tb.kind() {
        _ if tb.is_none() => None,
        Some(Kind::Traceback(_)) => Some(tb.clone()),
        _ => return Err(type_error("__traceback__ must be a traceback or None")),
    };
    if let Some(st) = x.exc() {
        let old = st.traceback.replace(tb);
        drop(old);
    }
    Ok(x.clone())
}

/// `e.add_note(note)`: appends to the `__notes__` list, made on first use.
fn add_note(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = exc("BaseException.add_note", args)?;
    let note = one("BaseException.add_note", args, kw)?;
    if note.as_str().is_none() {
        return Err(type_error(format!(
            "note must be a str, not '{}'",
            type_name(note)
        )));
    }
    let notes = match attr::getattr_opt(x, "__notes__")? {
        Some(n) => n,
        None => {
            let n = val::list(Vec::new());
            attr::setattr(x, &val::str_("__notes__"), n.clone())?;
            n
        }
    };
    let Some(l) = notes.as_list() else {
        return Err(type_error("Cannot add note: __notes__ is not a list"));
    };
    l.borrow_mut().push(note.clone());
    Ok(val::none())
}
