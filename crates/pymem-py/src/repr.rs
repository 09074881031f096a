//! (L2) `repr()` and `str()` of the built-in objects, with CPython's formats.
//!
//! Containers that hold themselves print `[...]` (CPython's `Py_ReprEnter`), and deep nesting
//! is a `RecursionError`, never a Rust stack overflow.

mod exc;
mod printable;
#[cfg(test)]
mod tests;
mod text;

use std::cell::{Cell, RefCell};

use crate::error::{PyResult, err, type_error};
use crate::obj::{Atom, DictIterKind, IterState, Kind, PyRef, TypeObj};
use crate::types::{BUILTIN_TYPES, BuiltinType, dict_get_str, lookup, type_name, type_of};
use crate::{call, dictops, ops};

pub(crate) use exc::{message_of, str_of};
pub(crate) use text::{big_to_decimal, bytes_repr, str_repr};
// For `sys.set_int_max_str_digits`, `str.isprintable` and `ascii()`.
#[allow(unused_imports)]
pub(crate) use {
    printable::is_printable,
    text::{DEFAULT_INT_MAX_STR_DIGITS, ascii_escape, int_max_str_digits, set_int_max_str_digits},
};

/// How deep reprs may nest before `RecursionError` (CPython counts them against its C
/// recursion limit).
const MAX_DEPTH: usize = 1000;

thread_local! {
    static DEPTH: Cell<usize> = const { Cell::new(0) };
    /// The ids of the containers whose repr is being computed.
    static ACTIVE: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

/// One level of repr nesting, released on drop.
struct Depth;

impl Depth {
    fn enter() -> PyResult<Depth> {
        let d = DEPTH.with(Cell::get);
        if d >= MAX_DEPTH {
            return Err(err(
                "RecursionError",
                "maximum recursion depth exceeded while getting the repr of an object",
            ));
        }
        DEPTH.with(|c| c.set(d + 1));
        Ok(Depth)
    }
}

impl Drop for Depth {
    fn drop(&mut self) {
        DEPTH.with(|c| c.set(c.get() - 1));
    }
}

/// A container being repr'd (CPython's `Py_ReprEnter`/`Py_ReprLeave`).
struct Active(usize);

impl Active {
    /// `None` when `x`'s repr is already being computed: it contains itself.
    fn enter(x: &PyRef) -> Option<Active> {
        let id = x.id();
        ACTIVE.with(|a| {
            let mut a = a.borrow_mut();
            (!a.contains(&id)).then(|| a.push(id))
        })?;
        Some(Active(id))
    }
}

impl Drop for Active {
    fn drop(&mut self) {
        ACTIVE.with(|a| {
            let mut a = a.borrow_mut();
            if let Some(i) = a.iter().rposition(|&id| id == self.0) {
                a.remove(i);
            }
        });
    }
}

/// `repr(x)`.
pub(crate) fn repr(x: &PyRef) -> PyResult<String> {
    let _depth = Depth::enter()?;
    // Lists, tuples and dicts nest deepest: their path back here is kept short, so that a
    // thousand levels fit a thread's stack even unoptimized.
    match x {
        PyRef::A(a) => atom_repr(x, a),
        PyRef::O(o) => match &o.kind {
            Kind::List(_) | Kind::Tuple(_) | Kind::Dict(_) => container_repr(x, &o.kind),
            kind => obj_repr(x, kind),
        },
    }
}

/// `ascii(x)`: the repr with non-ASCII characters escaped.
pub(crate) fn ascii(x: &PyRef) -> PyResult<String> {
    Ok(ascii_escape(&repr(x)?))
}

/// `<... at 0x7f...>`: an object's address as CPython's `%p` prints it.
fn addr(x: &PyRef) -> String {
    format!("{:#x}", x.id())
}

fn atom_repr(x: &PyRef, a: &Atom) -> PyResult<String> {
    Ok(match a {
        Atom::None => "None".into(),
        Atom::NotImplemented => "NotImplemented".into(),
        Atom::Ellipsis => "Ellipsis".into(),
        Atom::Bool(b) => if *b { "True" } else { "False" }.into(),
        Atom::Int(i) => i.to_string(),
        Atom::Big(b) => big_to_decimal(b)?,
        Atom::Float(f) => crate::format::float_repr(*f),
        Atom::Complex(re, im) => crate::format::complex_repr(*re, *im),
        Atom::Str(s) => str_repr(&s.s),
        Atom::Bytes(b) => bytes_repr(b),
        Atom::Range(r) if r.step == 1 => format!("range({}, {})", r.start, r.stop),
        Atom::Range(r) => format!("range({}, {}, {})", r.start, r.stop, r.step),
        Atom::RangeIter(_) => format!("<range_iterator object at {}>", addr(x)),
        Atom::Code(c) => {
            format!(
                "<code object {} at {}, file \"{}\", line {}>",
                c.name,
                addr(x),
                c.filename,
                c.firstlineno
            )
        }
    })
}

fn obj_repr(x: &PyRef, kind: &Kind) -> PyResult<String> {
    match kind {
        Kind::Instance(inst) => instance_repr(x, inst),
        Kind::Set(..) | Kind::ByteArray(_) => payload_repr(x, kind, None),
        Kind::DictView(d, k) => view_repr(x, d, *k),
        Kind::Type(t) => match lookup(&type_of(x), "__repr__").filter(|f| !is_builtin(f)) {
            // A metaclass's `__repr__`.
            Some(f) => call_text_method(x, &f, "__repr__"),
            None => Ok(type_repr(t)),
        },
        Kind::Slice(p) => Ok(format!(
            "slice({}, {}, {})",
            repr(&p[0])?,
            repr(&p[1])?,
            repr(&p[2])?
        )),
        Kind::ClassMethod(f) => Ok(format!("<classmethod({})>", repr(f)?)),
        Kind::StaticMethod(f) => Ok(format!("<staticmethod({})>", repr(f)?)),
        Kind::Method(f, s) => Ok(format!(
            "<bound method {} of {}>",
            func_qualname(f),
            repr(s)?
        )),
        _ => Ok(object_repr(x, kind)),
    }
}

/// The reprs that run no Python code: functions, modules, iterators and the like.
fn object_repr(x: &PyRef, kind: &Kind) -> String {
    let at = addr(x);
    match kind {
        Kind::Function(f) => format!("<function {} at {at}>", f.qualname.borrow()),
        Kind::Builtin(def, slf) => builtin_repr(def.name, slf.as_ref()),
        Kind::Cell(c) => match &*c.borrow() {
            Some(v) => format!("<cell at {at}: {} object at {}>", type_name(v), addr(v)),
            None => format!("<cell at {at}: empty>"),
        },
        Kind::Module(m) => module_repr(&m.dict),
        Kind::Generator(g) => format!("<generator object {} at {at}>", g.qualname),
        Kind::Iter(st) => format!("<{} object at {at}>", iter_name(&st.borrow())),
        Kind::Property(_) => format!("<property object at {at}>"),
        Kind::Super(t, obj) => super_repr(t, obj),
        Kind::WeakRef(w) => match w.target.upgrade() {
            Some(o) => weakref_repr(&at, &PyRef::O(o)),
            None => format!("<weakref at {at}; dead>"),
        },
        Kind::Traceback(_) => format!("<traceback object at {at}>"),
        _ => format!("<{} object at {at}>", type_name(x)),
    }
}

/// `<built-in function len>`, or `<built-in method append of list object at 0x...>`.
fn builtin_repr(name: &str, slf: Option<&PyRef>) -> String {
    match slf {
        Some(s) if !matches!(s.kind(), Some(Kind::Module(_))) => {
            format!(
                "<built-in method {name} of {} object at {}>",
                type_name(s),
                addr(s)
            )
        }
        _ => format!("<built-in function {name}>"),
    }
}

/// A callable's `__qualname__` for a bound method's repr, `?` when it has none.
fn func_qualname(f: &PyRef) -> String {
    match f.kind() {
        Some(Kind::Function(func)) => func.qualname.borrow().to_string(),
        Some(Kind::Builtin(def, _)) => def.name.to_owned(),
        _ => ["__qualname__", "__name__"]
            .iter()
            .find_map(|n| {
                crate::attr::getattr_opt(f, n)
                    .ok()
                    .flatten()?
                    .as_str()
                    .map(str::to_owned)
            })
            .unwrap_or_else(|| "?".to_owned()),
    }
}

/// `<module 'sys' (built-in)>` or `<module 'helper' from '/path/helper.py'>`.
fn module_repr(dict: &pymem::Gc<crate::obj::Obj>) -> String {
    let Kind::Dict(d) = &dict.kind else {
        return "<module '?'>".to_owned();
    };
    let d = d.borrow();
    let text = |key: &str| dict_get_str(&d, key).and_then(|v| v.as_str().map(str::to_owned));
    let name = text("__name__").unwrap_or_else(|| "?".to_owned());
    match text("__file__") {
        Some(file) => format!("<module '{name}' from '{file}'>"),
        None => format!("<module '{name}' (built-in)>"),
    }
}

/// `<super: <class 'B'>, <B object>>`.
fn super_repr(t: &PyRef, obj: &PyRef) -> String {
    let start = t
        .as_type()
        .map_or_else(|| "?".to_owned(), |t| t.name.borrow().to_string());
    let of = match obj.as_type() {
        Some(c) => c.name.borrow().to_string(),
        None => type_name(obj).to_string(),
    };
    format!("<super: <class '{start}'>, <{of} object>>")
}

/// `<weakref at 0x...; to 'A' at 0x...>`, with the referent's `__name__` for functions and
/// classes.
fn weakref_repr(at: &str, target: &PyRef) -> String {
    let base = format!(
        "<weakref at {at}; to '{}' at {}",
        type_name(target),
        addr(target)
    );
    match ops::name_of(target) {
        Some(name) => format!("{base} ({name})>"),
        None => format!("{base}>"),
    }
}

/// The type name CPython gives a built-in iterator.
fn iter_name(st: &IterState) -> &'static str {
    match st {
        IterState::Seq(x, _) => match (x.atom(), x.payload()) {
            (Some(Atom::Str(s)), _) if s.is_ascii() => "str_ascii_iterator",
            (Some(Atom::Str(_)), _) => "str_iterator",
            (Some(Atom::Bytes(_)), _) => "bytes_iterator",
            (_, Some(Kind::List(_))) => "list_iterator",
            (_, Some(Kind::Tuple(_))) => "tuple_iterator",
            (_, Some(Kind::ByteArray(_))) => "bytearray_iterator",
            _ => "iterator",
        },
        IterState::Dict(d, _, kind, _) => match (d.payload(), kind) {
            (Some(Kind::Set(..)), _) => "set_iterator",
            (_, DictIterKind::Keys) => "dict_keyiterator",
            (_, DictIterKind::Values) => "dict_valueiterator",
            (_, DictIterKind::Items) => "dict_itemiterator",
        },
        IterState::Reversed(x, _) if matches!(x.payload(), Some(Kind::List(_))) => {
            "list_reverseiterator"
        }
        IterState::Reversed(..) => "reversed",
        IterState::Enumerate(..) => "enumerate",
        IterState::Zip(..) => "zip",
        IterState::Map(..) => "map",
        IterState::Filter(..) => "filter",
        IterState::Callable(..) => "callable_iterator",
        IterState::Done(bt) => BUILTIN_TYPES
            .iter()
            .find(|e| e.0 == *bt)
            .map_or("iterator", |e| e.1),
    }
}

/// `<class 'int'>`, `<class '__main__.Foo'>`.
fn type_repr(t: &TypeObj) -> String {
    let name = match t.builtin {
        Some(BuiltinType::BaseException) | None => t.qualname.borrow().to_string(),
        Some(bt) => BUILTIN_TYPES
            .iter()
            .find(|e| e.0 == bt)
            .map_or("?", |e| e.1)
            .to_owned(),
    };
    let module =
        dict_get_str(&t.dict.borrow(), "__module__").and_then(|m| m.as_str().map(str::to_owned));
    match module {
        Some(m) if m != "builtins" => format!("<class '{m}.{name}'>"),
        _ => format!("<class '{name}'>"),
    }
}

/// Whether a special method found on a type is a built-in one (the native behaviour).
fn is_builtin(f: &PyRef) -> bool {
    matches!(f.kind(), Some(Kind::Builtin(..)))
}

/// Whether the `__repr__` `ty` finds is a Rust-made class's own (`member_descriptor`,
/// `_io.TextIOWrapper`…) rather than a built-in type's, which the caller formats itself.
fn from_rust_class(ty: &pymem::Gc<crate::obj::Obj>) -> bool {
    let mro = crate::types::tobj(ty).mro.borrow().clone();
    let owner = mro
        .iter()
        .find(|c| dict_get_str(&crate::types::tobj(c).dict.borrow(), "__repr__").is_some());
    owner.is_some_and(|c| crate::types::tobj(c).builtin.is_none())
}

/// The str a `__repr__` or `__str__` method returned, checked.
pub(crate) fn call_text_method(x: &PyRef, f: &PyRef, name: &str) -> PyResult<String> {
    let r = call::call_bound(f, x, &[])?;
    match r.as_str() {
        Some(s) => Ok(s.to_owned()),
        None => Err(type_error(format!(
            "{name} returned non-string (type {})",
            type_name(&r)
        ))),
    }
}

fn instance_repr(x: &PyRef, inst: &crate::obj::Instance) -> PyResult<String> {
    let ty = type_of(x);
    if let Some(f) = lookup(&ty, "__repr__").filter(|f| !is_builtin(f) || from_rust_class(&ty)) {
        return call_text_method(x, &f, "__repr__");
    }
    if inst.exc.is_some() {
        return exc::exc_repr(x);
    }
    match &inst.base {
        Some(base) => payload_repr(x, &base.kind, Some(&type_name(x))),
        None => Ok(default_repr(x)),
    }
}

/// `object.__repr__`: `<__main__.A object at 0x...>`.
pub(crate) fn default_repr(x: &PyRef) -> String {
    let ty = type_of(x);
    let t = crate::types::tobj(&ty);
    let module =
        dict_get_str(&t.dict.borrow(), "__module__").and_then(|m| m.as_str().map(str::to_owned));
    match module {
        Some(m) if m != "builtins" => {
            format!("<{m}.{} object at {}>", t.qualname.borrow(), addr(x))
        }
        _ => format!("<{} object at {}>", t.name.borrow(), addr(x)),
    }
}

/// The repr of a built-in payload; `subclass` names a built-in subclass's class, which
/// sets, frozensets and bytearrays show.
fn payload_repr(x: &PyRef, kind: &Kind, subclass: Option<&str>) -> PyResult<String> {
    match kind {
        Kind::ByteArray(b) => {
            let body = bytes_repr(&b.borrow());
            Ok(format!("{}({body})", subclass.unwrap_or("bytearray")))
        }
        Kind::Set(d, frozen) => {
            let name = subclass.unwrap_or(if *frozen { "frozenset" } else { "set" });
            set_repr(x, &dictops::keys(d), name, subclass.is_none() && !*frozen)
        }
        Kind::List(_) | Kind::Tuple(_) | Kind::Dict(_) => container_repr(x, kind),
        _ => Ok(default_repr(x)),
    }
}

/// `[...]`, `(...)`, `{...}`: a list, tuple or dict, or `[...]` where it holds itself.
fn container_repr(x: &PyRef, kind: &Kind) -> PyResult<String> {
    let (open, close) = match kind {
        Kind::List(_) => ("[", "]"),
        Kind::Tuple(_) => ("(", ")"),
        _ => ("{", "}"),
    };
    let Some(_active) = Active::enter(x) else {
        return Ok([open, "...", close].concat());
    };
    let mut out = String::from(open);
    match kind {
        Kind::List(l) => push_list(&mut out, l)?,
        Kind::Tuple(t) => push_items(&mut out, t)?,
        Kind::Dict(d) => push_dict(&mut out, &dictops::items(d))?,
        _ => {}
    }
    if matches!(kind, Kind::Tuple(t) if t.len() == 1) {
        out.push(',');
    }
    out.push_str(close);
    Ok(out)
}

/// A list's items, read afresh at each step as CPython does (a repr may mutate the list).
fn push_list(out: &mut String, l: &RefCell<Vec<PyRef>>) -> PyResult<()> {
    let mut i = 0;
    while let Some(item) = l.borrow().get(i).cloned() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&repr(&item)?);
        i += 1;
    }
    Ok(())
}

/// `items` joined by `, `.
fn push_items(out: &mut String, items: &[PyRef]) -> PyResult<()> {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&repr(item)?);
    }
    Ok(())
}

/// `'a': 1, 'b': 2`.
fn push_dict(out: &mut String, items: &[(PyRef, PyRef)]) -> PyResult<()> {
    for (i, (k, v)) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&repr(k)?);
        out.push_str(": ");
        out.push_str(&repr(v)?);
    }
    Ok(())
}

/// `()`, `(1,)`, `(1, 2)`: a tuple of items that need no recursion guard (exception args).
pub(crate) fn tuple_repr(t: &[PyRef]) -> PyResult<String> {
    let mut out = String::from("(");
    push_items(&mut out, t)?;
    if t.len() == 1 {
        out.push(',');
    }
    out.push(')');
    Ok(out)
}

/// `items` joined by `, `.
fn join_reprs(items: &[PyRef]) -> PyResult<String> {
    let mut out = String::new();
    push_items(&mut out, items)?;
    Ok(out)
}

/// `set()`, `{1, 2}`, `frozenset({1})`, `MySet({1})`.
fn set_repr(x: &PyRef, keys: &[PyRef], name: &str, plain: bool) -> PyResult<String> {
    if keys.is_empty() {
        return Ok(format!("{name}()"));
    }
    let Some(_active) = Active::enter(x) else {
        return Ok(format!("{name}(...)"));
    };
    let body = format!("{{{}}}", join_reprs(keys)?);
    Ok(if plain {
        body
    } else {
        format!("{name}({body})")
    })
}

/// `dict_keys(['a'])`, `dict_values([1])`, `dict_items([('a', 1)])`.
fn view_repr(x: &PyRef, d: &PyRef, kind: DictIterKind) -> PyResult<String> {
    let Some(_active) = Active::enter(x) else {
        return Ok("...".to_owned());
    };
    let name = match kind {
        DictIterKind::Keys => "dict_keys",
        DictIterKind::Values => "dict_values",
        DictIterKind::Items => "dict_items",
    };
    let Some(table) = d.as_dict() else {
        return Ok(format!("{name}([])"));
    };
    let items: Vec<PyRef> = match kind {
        DictIterKind::Keys => dictops::keys(table),
        DictIterKind::Values => dictops::items(table).into_iter().map(|(_, v)| v).collect(),
        DictIterKind::Items => dictops::items(table)
            .into_iter()
            .map(|(k, v)| crate::val::tuple(vec![k, v]))
            .collect(),
    };
    Ok(format!("{name}([{}])", join_reprs(&items)?))
}
