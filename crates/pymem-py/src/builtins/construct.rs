//! Calling a built-in type (CPython's `tp_new` of each): the containers, `range`,
//! `slice`, `object`, the descriptors (`property`, `classmethod`, `staticmethod`,
//! `super`), and exceptions; the scalars are in [`super::convert`].

use std::cell::RefCell;

use pymem::Gc;

use super::args::{Sig, bind, count, no_kwargs, positional};
use super::convert;
use crate::call::Kwargs;
use crate::dict::Dict;
use crate::error::{PyResult, err, new_exception, overflow_error, type_error, value_error};
use crate::obj::{Atom, Kind, Module, Obj, PyRef, Range};
use crate::types::{BuiltinType, is_subtype, tobj, type_name, type_of, types};
use crate::{dictops, ops, val};

/// Calls the built-in type `bt` (`int("12")`, `list(x)`, `range(3)`…).
pub(crate) fn construct(bt: BuiltinType, args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    use BuiltinType as B;
    match bt {
        B::Object => object_new(args, kwargs),
        B::Type => super::type_call(args, kwargs),
        B::NoneType => singleton("NoneType", args, kwargs, val::none()),
        B::NotImplementedType => {
            singleton("NotImplementedType", args, kwargs, val::not_implemented())
        }
        B::Ellipsis => singleton("ellipsis", args, kwargs, val::ellipsis()),
        B::Int => convert::int_new(args, kwargs),
        B::Bool => bool_new(args, kwargs),
        B::Float => convert::float_new(args, kwargs),
        B::Complex => super::complex::complex_new(args, kwargs),
        B::Str => convert::str_new(args, kwargs),
        B::Bytes => convert::bytes_new(args, kwargs),
        B::ByteArray => convert::bytearray_new(args, kwargs),
        B::List => list_new(args, kwargs),
        B::Tuple => tuple_new(args, kwargs),
        B::Dict => dict_new(args, kwargs),
        B::Set => set_new("set", args, kwargs, false),
        B::FrozenSet => set_new("frozenset", args, kwargs, true),
        B::Range => range_new(args, kwargs),
        B::Slice => slice_new(args, kwargs),
        B::Property => property_new(args, kwargs),
        B::ClassMethod => wrapper_new("classmethod", args, kwargs, Kind::ClassMethod),
        B::StaticMethod => wrapper_new("staticmethod", args, kwargs, Kind::StaticMethod),
        B::Super => super_new(args, kwargs),
        B::Cell => cell_new(args, kwargs),
        B::Module => module_new(args, kwargs),
        B::Enumerate => super::iterfuncs::enumerate(args, kwargs),
        B::Zip => super::iterfuncs::zip(args, kwargs),
        B::Map => super::iterfuncs::map(args, kwargs),
        B::Filter => super::iterfuncs::filter(args, kwargs),
        B::Reversed => super::iterfuncs::reversed(args, kwargs),
        B::BaseException => exception_new(types().exc("BaseException"), args, kwargs),
        _ => Err(cannot_create(bt)),
    }
}

#[cold]
fn cannot_create(bt: BuiltinType) -> crate::error::PyErr {
    let name = tobj(types().get(bt)).name.borrow().clone();
    type_error(format!("cannot create '{name}' instances"))
}

/// `NoneType()`, `NotImplementedType()`, `ellipsis()`: the singleton.
fn singleton(name: &str, args: &[PyRef], kwargs: Kwargs<'_>, v: PyRef) -> PyResult {
    match args.is_empty() && kwargs.is_empty() {
        true => Ok(v),
        false => Err(type_error(format!("{name} takes no arguments"))),
    }
}

/// `object()`.
fn object_new(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    if !args.is_empty() || !kwargs.is_empty() {
        return Err(type_error("object() takes no arguments"));
    }
    Ok(crate::call::new_instance(
        types().get(BuiltinType::Object),
        None,
    ))
}

/// An exception of class `cls` with `args` (CPython's `BaseException.__new__`).
fn exception_new(cls: &Gc<Obj>, args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    if !kwargs.is_empty() {
        return Err(type_error(format!(
            "{}() takes no keyword arguments",
            tobj(cls).name.borrow()
        )));
    }
    Ok(new_exception(cls, args.to_vec()))
}

/// `bool(x=False)`.
fn bool_new(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    positional("bool", args, kwargs, 0, 1)?;
    match args.first() {
        Some(x) => Ok(val::bool_(ops::truthy(x)?)),
        None => Ok(val::bool_(false)),
    }
}

/// `list(iterable=())`.
fn list_new(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    positional("list", args, kwargs, 0, 1)?;
    match args.first() {
        Some(x) => Ok(val::list(ops::collect(x)?)),
        None => Ok(val::list(Vec::new())),
    }
}

/// `tuple(iterable=())`; a tuple is returned as is.
fn tuple_new(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    positional("tuple", args, kwargs, 0, 1)?;
    match args.first() {
        Some(x) if x.as_tuple().is_some() => Ok(x.clone()),
        Some(x) => Ok(val::tuple(ops::collect(x)?)),
        None => Ok(val::tuple(Vec::new())),
    }
}

/// `dict(mapping_or_iterable=(), **kwargs)`.
fn dict_new(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    count("dict", args, 0, 1)?;
    let d = RefCell::new(Dict::new());
    if let Some(x) = args.first() {
        dict_merge(&d, x)?;
    }
    for (k, v) in kwargs {
        dictops::set(&d, k.clone(), v.clone())?;
    }
    Ok(val::dict(d.into_inner()))
}

/// `d.update(x)`: from a mapping (a dict, or anything with `keys()`), or from an iterable of
/// key/value pairs.
pub(crate) fn dict_merge(d: &RefCell<Dict>, x: &PyRef) -> PyResult<()> {
    let is_mapping = x.as_dict().is_some() || crate::attr::getattr_opt(x, "keys")?.is_some();
    if is_mapping {
        for (k, v) in super::mapping_items(x)? {
            dictops::set(d, k, v)?;
        }
        return Ok(());
    }
    let it = ops::iter(x)?;
    let mut i = 0;
    while let Some(item) = ops::next(&it)? {
        let (k, v) = pair(&item, i)?;
        dictops::set(d, k, v)?;
        i += 1;
    }
    Ok(())
}

/// Element `i` of a sequence of pairs given to `dict()`.
fn pair(item: &PyRef, i: usize) -> PyResult<(PyRef, PyRef)> {
    let kv = ops::collect(item).map_err(|e| match e.is("TypeError") {
        true => type_error(format!(
            "cannot convert dictionary update sequence element #{i} to a sequence"
        )),
        false => e,
    })?;
    match <[PyRef; 2]>::try_from(kv) {
        Ok([k, v]) => Ok((k, v)),
        Err(kv) => Err(value_error(format!(
            "dictionary update sequence element #{i} has length {}; 2 is required",
            kv.len()
        ))),
    }
}

/// `set(iterable=())` and `frozenset(iterable=())`.
fn set_new(name: &str, args: &[PyRef], kwargs: Kwargs<'_>, frozen: bool) -> PyResult {
    positional(name, args, kwargs, 0, 1)?;
    match args.first() {
        Some(x) if frozen && matches!(x.kind(), Some(Kind::Set(_, true))) => Ok(x.clone()),
        Some(x) if matches!(x.payload(), Some(Kind::Set(..))) => {
            Ok(crate::seq::new_set(crate::seq::set_table_of(x)?, frozen))
        }
        Some(x) => super::make_set(ops::collect(x)?, frozen),
        None => super::make_set(Vec::new(), frozen),
    }
}

/// A range bound: an int fitting a machine word.
fn range_arg(x: &PyRef) -> PyResult<i64> {
    match x.atom() {
        Some(Atom::Big(_)) => Err(overflow_error(
            "Python int too large to convert to C ssize_t",
        )),
        _ => ops::index(x),
    }
}

/// `range(stop)` and `range(start, stop[, step])`.
fn range_new(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    positional("range", args, kwargs, 1, 3)?;
    let v = args.iter().map(range_arg).collect::<PyResult<Vec<i64>>>()?;
    let (start, stop, step) = match v[..] {
        [stop] => (0, stop, 1),
        [start, stop] => (start, stop, 1),
        [start, stop, step] => (start, stop, step),
        _ => unreachable!("checked by positional()"),
    };
    if step == 0 {
        return Err(value_error("range() arg 3 must not be zero"));
    }
    Ok(PyRef::A(Gc::new(Atom::Range(Range { start, stop, step }))))
}

/// `slice(stop)` and `slice(start, stop[, step])`.
fn slice_new(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    positional("slice", args, kwargs, 1, 3)?;
    let none = val::none;
    let parts = match args {
        [stop] => [none(), stop.clone(), none()],
        [start, stop] => [start.clone(), stop.clone(), none()],
        [start, stop, step] => [start.clone(), stop.clone(), step.clone()],
        _ => unreachable!("checked by positional()"),
    };
    Ok(Obj::new(Kind::Slice(Box::new(parts))))
}

/// `property(fget=None, fset=None, fdel=None, doc=None)`.
fn property_new(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    const SIG: Sig = Sig {
        name: "property",
        names: &["fget", "fset", "fdel", "doc"],
        posonly: 0,
        required: 0,
    };
    let a = bind(&SIG, args, kwargs)?;
    let get = |i: usize| a[i].clone().filter(|f| !f.is_none());
    let prop = Obj::new(Kind::Property(Box::new([get(0), get(1), get(2)])));
    if let Some(doc) = a[3].as_ref().and_then(PyRef::as_str) {
        crate::modules::attach_native(&prop, std::rc::Rc::new(PropertyDoc(doc.into())));
    }
    Ok(prop)
}

/// The `doc` given to `property()`, kept beside the property object (whose three slots
/// are its accessors).
pub(crate) struct PropertyDoc(pub(crate) Box<str>);

/// `classmethod(f)` and `staticmethod(f)`.
fn wrapper_new(
    name: &str,
    args: &[PyRef],
    kwargs: Kwargs<'_>,
    wrap: fn(PyRef) -> Kind,
) -> PyResult {
    positional(name, args, kwargs, 1, 1)?;
    Ok(Obj::new(wrap(args[0].clone())))
}

/// `super(type, obj)` (the compiler turns `super()` into `super(__class__, self)`).
fn super_new(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    no_kwargs("super", kwargs)?;
    count("super", args, 0, 2)?;
    let Some(ty) = args.first() else {
        return Err(err("RuntimeError", "super(): no arguments"));
    };
    let Some(t) = ty.obj().filter(|_| ty.as_type().is_some()) else {
        return Err(type_error(format!(
            "super() argument 1 must be a type, not {}",
            type_name(ty)
        )));
    };
    let Some(obj) = args.get(1).filter(|o| !o.is_none()) else {
        return Err(type_error(
            "super(type) without a second argument is not supported",
        ));
    };
    let fits = match obj.obj().filter(|_| obj.as_type().is_some()) {
        Some(c) => is_subtype(c, t),
        None => false,
    } || is_subtype(&type_of(obj), t);
    if !fits {
        return Err(type_error(format!(
            "super(type, obj): obj ({} {}) is not an instance or subtype of type ({}).",
            if obj.as_type().is_some() {
                "type"
            } else {
                "instance of"
            },
            obj.as_type()
                .map_or_else(|| type_name(obj), |c| c.name.borrow().clone()),
            tobj(t).name.borrow()
        )));
    }
    Ok(Obj::new(Kind::Super(ty.clone(), obj.clone())))
}

/// `cell([contents])` (`types.CellType`).
fn cell_new(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    positional("cell", args, kwargs, 0, 1)?;
    Ok(Obj::new(Kind::Cell(RefCell::new(args.first().cloned()))))
}

/// `module(name, doc=None)` (`types.ModuleType`).
fn module_new(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    const SIG: Sig = Sig {
        name: "module",
        names: &["name", "doc"],
        posonly: 0,
        required: 1,
    };
    let a = bind(&SIG, args, kwargs)?;
    let name = a[0].clone().expect("required");
    if name.as_str().is_none() {
        return Err(type_error(format!(
            "module.__init__() argument 'name' must be str, not {}",
            type_name(&name)
        )));
    }
    let mut d = Dict::new();
    crate::types::dict_set_str(&mut d, val::str_("__name__"), name);
    crate::types::dict_set_str(
        &mut d,
        val::str_("__doc__"),
        a[1].clone().unwrap_or_else(val::none),
    );
    let PyRef::O(dict) = val::dict(d) else {
        unreachable!("a dict is a tracked object")
    };
    Ok(Obj::new(Kind::Module(Module { dict })))
}
