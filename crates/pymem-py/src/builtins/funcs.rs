//! The general built-in functions: printing and input, identity and hashing, attribute
//! access, type tests, `vars`/`dir`, characters and radixes, `iter`/`next`, `globals`.

use std::collections::BTreeSet;
use std::io::{BufRead, Write};

use num_bigint::BigInt;
use pymem::Gc;

use super::args::{count, kwarg, no_kwargs, one, only_kwargs, positional};
use crate::call::Kwargs;
use crate::error::{PyResult, err, err_args, type_error, value_error};
use crate::obj::{Atom, BuiltinDef, Kind, Obj, PyRef};
use crate::types::{is_subtype, lookup, tobj, type_name, type_of};
use crate::{attr, call, ops, val};

/// The functions of this module, by Python name.
pub(super) const FUNCS: &[BuiltinDef] = &[
    BuiltinDef {
        name: "print",
        func: print,
    },
    BuiltinDef {
        name: "input",
        func: input,
    },
    BuiltinDef {
        name: "len",
        func: len,
    },
    BuiltinDef {
        name: "repr",
        func: repr,
    },
    BuiltinDef {
        name: "ascii",
        func: ascii,
    },
    BuiltinDef {
        name: "id",
        func: id,
    },
    BuiltinDef {
        name: "hash",
        func: hash,
    },
    BuiltinDef {
        name: "callable",
        func: callable,
    },
    BuiltinDef {
        name: "isinstance",
        func: isinstance,
    },
    BuiltinDef {
        name: "issubclass",
        func: issubclass,
    },
    BuiltinDef {
        name: "getattr",
        func: getattr,
    },
    BuiltinDef {
        name: "setattr",
        func: setattr,
    },
    BuiltinDef {
        name: "hasattr",
        func: hasattr,
    },
    BuiltinDef {
        name: "delattr",
        func: delattr,
    },
    BuiltinDef {
        name: "vars",
        func: vars,
    },
    BuiltinDef {
        name: "dir",
        func: dir,
    },
    BuiltinDef {
        name: "globals",
        func: globals,
    },
    BuiltinDef {
        name: "locals",
        func: locals,
    },
    BuiltinDef {
        name: "chr",
        func: chr,
    },
    BuiltinDef {
        name: "ord",
        func: ord,
    },
    BuiltinDef {
        name: "hex",
        func: hex,
    },
    BuiltinDef {
        name: "oct",
        func: oct,
    },
    BuiltinDef {
        name: "bin",
        func: bin,
    },
    BuiltinDef {
        name: "iter",
        func: iter,
    },
    BuiltinDef {
        name: "next",
        func: next,
    },
    BuiltinDef {
        name: "exit",
        func: exit,
    },
    BuiltinDef {
        name: "quit",
        func: exit,
    },
    BuiltinDef {
        name: "__import__",
        func: import,
    },
];

/// `print(*objects, sep=' ', end='\n', file=None, flush=False)`.
fn print(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    only_kwargs("print", kwargs, &["sep", "end", "file", "flush"])?;
    let sep = text_kwarg(kwargs, "sep", " ")?;
    let end = text_kwarg(kwargs, "end", "\n")?;
    let flush = match kwarg(kwargs, "flush") {
        Some(f) => ops::truthy(&f)?,
        None => false,
    };
    match kwarg(kwargs, "file").filter(|f| !f.is_none()) {
        Some(file) => print_to(&file, args, &sep, &end, flush)?,
        None => print_stdout(args, &sep, &end, flush)?,
    }
    Ok(val::none())
}

/// `sep` and `end`: None or a str.
fn text_kwarg(kwargs: Kwargs<'_>, key: &str, default: &str) -> PyResult<String> {
    match kwarg(kwargs, key).filter(|v| !v.is_none()) {
        None => Ok(default.to_owned()),
        Some(v) => match v.as_str() {
            Some(s) => Ok(s.to_owned()),
            None => Err(type_error(format!(
                "{key} must be None or a string, not {}",
                type_name(&v)
            ))),
        },
    }
}

/// Prints to a file object, one `write` per piece as CPython does.
fn print_to(file: &PyRef, args: &[PyRef], sep: &str, end: &str, flush: bool) -> PyResult<()> {
    let write = attr::getattr(file, &val::str_("write"))?;
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            call::call(&write, &[val::str_(sep)], &[])?;
        }
        call::call(&write, &[ops::to_str(a)?], &[])?;
    }
    call::call(&write, &[val::str_(end)], &[])?;
    if flush {
        call::call(&attr::getattr(file, &val::str_("flush"))?, &[], &[])?;
    }
    Ok(())
}

/// Prints to `sys.stdout`: piecewise through its `write` once `sys` exists (it may have
/// been replaced; `None` discards the output), else as one line to the process's stdout.
fn print_stdout(args: &[PyRef], sep: &str, end: &str, flush: bool) -> PyResult<()> {
    match crate::modules::module_attr("sys", "stdout") {
        Some(f) if f.is_none() => return Ok(()),
        Some(f) => return print_to(&f, args, sep, end, flush),
        None => {}
    }
    let mut line = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            line.push_str(sep);
        }
        line.push_str(&ops::str_of(a)?);
    }
    line.push_str(end);
    crate::modules::sys::try_write_stdout(&line)?;
    if flush {
        std::io::stdout()
            .flush()
            .map_err(|e| err("OSError", e.to_string()))?;
    }
    Ok(())
}

/// `input(prompt='')`: a line of standard input without its newline.
fn input(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    positional("input", args, kwargs, 0, 1)?;
    if let Some(p) = args.first() {
        crate::modules::sys::try_write_stdout(&ops::str_of(p)?)?;
        std::io::stdout()
            .flush()
            .map_err(|e| err("OSError", e.to_string()))?;
    }
    let mut line = String::new();
    let n = std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| err("OSError", e.to_string()))?;
    if n == 0 {
        return Err(err("EOFError", "EOF when reading a line"));
    }
    if line.ends_with('\n') {
        line.pop();
    }
    Ok(val::string(line))
}

/// `len(obj)`.
fn len(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    let x = one("len", args, kwargs)?;
    Ok(val::int(ops::len(x)? as i64))
}

/// `repr(obj)`.
fn repr(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    let x = one("repr", args, kwargs)?;
    Ok(val::string(ops::repr(x)?))
}

/// `ascii(obj)`.
fn ascii(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    let x = one("ascii", args, kwargs)?;
    Ok(val::string(ascii_of(x)?))
}

/// `ascii(x)`: the repr with non-ASCII characters escaped.
pub(super) fn ascii_of(x: &PyRef) -> PyResult<String> {
    let r = ops::repr(x)?;
    if r.is_ascii() {
        return Ok(r);
    }
    let mut out = String::with_capacity(r.len() + 8);
    for c in r.chars() {
        match c as u32 {
            0..=0x7f => out.push(c),
            n @ 0x80..=0xff => out.push_str(&format!("\\x{n:02x}")),
            n @ 0x100..=0xffff => out.push_str(&format!("\\u{n:04x}")),
            n => out.push_str(&format!("\\U{n:08x}")),
        }
    }
    Ok(out)
}

/// `id(obj)`: the object's address.
fn id(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    let x = one("id", args, kwargs)?;
    Ok(val::bigint(BigInt::from(x.id())))
}

/// `hash(obj)`.
fn hash(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    let x = one("hash", args, kwargs)?;
    Ok(val::int(ops::hash(x)? as i64))
}

/// `callable(obj)`.
fn callable(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    let x = one("callable", args, kwargs)?;
    Ok(val::bool_(is_callable(x)))
}

/// Whether calling `x` can work.
pub(super) fn is_callable(x: &PyRef) -> bool {
    match x.kind() {
        Some(
            Kind::Function(_)
            | Kind::Builtin(..)
            | Kind::Method(..)
            | Kind::Type(_)
            | Kind::StaticMethod(_),
        ) => true,
        Some(Kind::Instance(_)) => lookup(&type_of(x), "__call__").is_some(),
        _ => false,
    }
}

/// `isinstance(obj, class_or_tuple)`.
fn isinstance(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    positional("isinstance", args, kwargs, 2, 2)?;
    Ok(val::bool_(is_instance(&args[0], &args[1])?))
}

/// `isinstance(x, cls)` with tuples (nested too) of classes, tested lazily as CPython does.
pub(crate) fn is_instance(x: &PyRef, cls: &PyRef) -> PyResult<bool> {
    if let Some(items) = cls.as_tuple() {
        for c in items {
            if is_instance(x, c)? {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    match cls {
        PyRef::O(c) if cls.as_type().is_some() => Ok(is_subtype(&type_of(x), c)),
        _ => Err(type_error(
            "isinstance() arg 2 must be a type, a tuple of types, or a union",
        )),
    }
}

/// `issubclass(cls, class_or_tuple)`.
fn issubclass(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    positional("issubclass", args, kwargs, 2, 2)?;
    let PyRef::O(c) = &args[0] else {
        return Err(type_error("issubclass() arg 1 must be a class"));
    };
    if args[0].as_type().is_none() {
        return Err(type_error("issubclass() arg 1 must be a class"));
    }
    Ok(val::bool_(is_subclass(c, &args[1])?))
}

/// `issubclass(c, cls)` with tuples (nested too) of classes.
fn is_subclass(c: &Gc<Obj>, cls: &PyRef) -> PyResult<bool> {
    if let Some(items) = cls.as_tuple() {
        for b in items {
            if is_subclass(c, b)? {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    match cls {
        PyRef::O(b) if cls.as_type().is_some() => Ok(is_subtype(c, b)),
        _ => Err(type_error(
            "issubclass() arg 2 must be a class, a tuple of classes, or a union",
        )),
    }
}

/// The attribute name argument, which must be a str.
fn attr_name(x: &PyRef) -> PyResult<&PyRef> {
    match x.as_str() {
        Some(_) => Ok(x),
        None => Err(type_error(format!(
            "attribute name must be string, not '{}'",
            type_name(x)
        ))),
    }
}

/// `getattr(obj, name[, default])`.
fn getattr(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    positional("getattr", args, kwargs, 2, 3)?;
    let name = attr_name(&args[1])?;
    match (attr::getattr(&args[0], name), args.get(2)) {
        (Err(e), Some(default)) if e.is("AttributeError") => Ok(default.clone()),
        (r, _) => r,
    }
}

/// `setattr(obj, name, value)`.
fn setattr(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    positional("setattr", args, kwargs, 3, 3)?;
    attr::setattr(&args[0], attr_name(&args[1])?, args[2].clone())?;
    Ok(val::none())
}

/// `hasattr(obj, name)`.
fn hasattr(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    positional("hasattr", args, kwargs, 2, 2)?;
    match attr::getattr(&args[0], attr_name(&args[1])?) {
        Ok(_) => Ok(val::bool_(true)),
        Err(e) if e.is("AttributeError") => Ok(val::bool_(false)),
        Err(e) => Err(e),
    }
}

/// `delattr(obj, name)`.
fn delattr(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    positional("delattr", args, kwargs, 2, 2)?;
    attr::delattr(&args[0], attr_name(&args[1])?)?;
    Ok(val::none())
}

/// `vars([obj])`: `obj.__dict__`, or the current locals.
fn vars(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    positional("vars", args, kwargs, 0, 1)?;
    let Some(x) = args.first() else {
        return locals(&[], &[]);
    };
    match attr::getattr(x, &val::str_("__dict__")) {
        Err(e) if e.is("AttributeError") => {
            Err(type_error("vars() argument must have __dict__ attribute"))
        }
        r => r,
    }
}

/// `dir([obj])`: the sorted attribute names.
fn dir(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    positional("dir", args, kwargs, 0, 1)?;
    let names = match args.first() {
        None => dict_keys(&locals(&[], &[])?),
        Some(x) => match lookup(&type_of(x), "__dir__")
            .filter(|f| matches!(f.kind(), Some(Kind::Function(_))))
        {
            Some(f) => ops::collect(&call::call_bound(&f, x, &[])?)?,
            None => dir_names(x),
        },
    };
    let mut items = names;
    super::sort_values(&mut items, None, false)?;
    Ok(val::list(items))
}

/// The names `object.__dir__` and `type.__dir__` report: the instance's own attributes,
/// then those of its class and the class's bases.
fn dir_names(x: &PyRef) -> Vec<PyRef> {
    let mut names = BTreeSet::new();
    match x.kind() {
        Some(Kind::Module(m)) => add_keys(&mut names, &PyRef::O(m.dict.clone())),
        Some(Kind::Type(t)) => t.mro.borrow().iter().for_each(|c| add_class(&mut names, c)),
        _ => {
            if let Some(Kind::Instance(inst)) = x.kind()
                && let Some(d) = &inst.dict
            {
                names.extend(
                    d.table()
                        .borrow()
                        .iter()
                        .filter_map(|e| e.key.as_str().map(str::to_owned)),
                );
            }
            let cls = type_of(x);
            tobj(&cls)
                .mro
                .borrow()
                .iter()
                .for_each(|c| add_class(&mut names, c));
        }
    }
    names.into_iter().map(val::string).collect()
}

/// Adds a class's dict keys, slot names, and `__dict__`/`__weakref__` when instances have
/// them.
fn add_class(names: &mut BTreeSet<String>, cls: &Gc<Obj>) {
    let t = tobj(cls);
    names.extend(
        t.dict
            .borrow()
            .iter()
            .filter_map(|e| e.key.as_str().map(str::to_owned)),
    );
    names.extend(t.slot_names.iter().map(|s| s.to_string()));
    // CPython's classes hold descriptors for these; ours keep them in the type object.
    if t.builtin.is_none() {
        let layout = [(t.has_dict, "__dict__"), (t.has_weakref, "__weakref__")];
        names.extend(
            layout
                .iter()
                .filter(|(has, _)| *has)
                .map(|(_, n)| n.to_string()),
        );
    }
}

/// Adds a dict object's str keys.
fn add_keys(names: &mut BTreeSet<String>, d: &PyRef) {
    if let Some(d) = d.as_dict() {
        names.extend(
            d.borrow()
                .iter()
                .filter_map(|e| e.key.as_str().map(str::to_owned)),
        );
    }
}

/// The str keys of a dict object.
fn dict_keys(d: &PyRef) -> Vec<PyRef> {
    d.as_dict().map(crate::dictops::keys).unwrap_or_default()
}

/// `globals()`: the running frame's module namespace.
fn globals(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    positional("globals", args, kwargs, 0, 0)?;
    match super::current_namespace() {
        Some((g, _)) => Ok(PyRef::O(g)),
        None => Err(err("SystemError", "globals(): no frame is running")),
    }
}

/// `locals()`: a class or module body's namespace (the globals at module level); in a
/// function, an empty dict (see [`super::current_namespace`]).
fn locals(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    positional("locals", args, kwargs, 0, 0)?;
    match super::current_namespace() {
        Some((_, Some(l))) => Ok(l),
        Some((g, None)) => Ok(PyRef::O(g)),
        None => Err(err("SystemError", "locals(): no frame is running")),
    }
}

/// `chr(i)`.
fn chr(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    let x = one("chr", args, kwargs)?;
    if let Some(Atom::Big(_)) = x.atom() {
        return Err(crate::error::overflow_error(
            "Python int too large to convert to C int",
        ));
    }
    let i = ops::index(x)?;
    let out_of_range = || value_error("chr() arg not in range(0x110000)");
    let n = u32::try_from(i)
        .ok()
        .filter(|&n| n < 0x110000)
        .ok_or_else(out_of_range)?;
    // A Rust string cannot hold a lone surrogate, which a Python str can.
    let c = char::from_u32(n)
        .ok_or_else(|| value_error(format!("chr() cannot make the lone surrogate {n:#x}")))?;
    Ok(val::string(c.to_string()))
}

/// `ord(c)`.
fn ord(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    let x = one("ord", args, kwargs)?;
    let (n, code) = match (x.as_pystr(), x.atom(), x.payload()) {
        (Some(s), ..) => (s.nchars, s.s.chars().next().map(|c| c as i64)),
        (_, Some(Atom::Bytes(b)), _) => (b.len(), b.first().map(|&c| c as i64)),
        (_, _, Some(Kind::ByteArray(b))) => {
            (b.borrow().len(), b.borrow().first().map(|&c| c as i64))
        }
        _ => {
            return Err(type_error(format!(
                "ord() expected string of length 1, but {} found",
                type_name(x)
            )));
        }
    };
    match (n, code) {
        (1, Some(c)) => Ok(val::int(c)),
        _ => Err(type_error(format!(
            "ord() expected a character, but string of length {n} found"
        ))),
    }
}

/// An integer argument as a BigInt (`__index__` honoured).
pub(super) fn to_bigint(x: &PyRef) -> PyResult<BigInt> {
    match x.atom() {
        Some(Atom::Big(b)) => Ok(b.clone()),
        _ => match x.as_i64() {
            Some(i) => Ok(BigInt::from(i)),
            None => match ops::call_special(x, "__index__", &[])? {
                Some(r) if r.as_i64().is_some() || matches!(r.atom(), Some(Atom::Big(_))) => {
                    to_bigint(&r)
                }
                _ => Err(type_error(format!(
                    "'{}' object cannot be interpreted as an integer",
                    type_name(x)
                ))),
            },
        },
    }
}

/// `hex`, `oct`, `bin`: an integer in `radix` with its prefix.
fn radix(name: &str, args: &[PyRef], kwargs: Kwargs<'_>, radix: u32) -> PyResult {
    let x = to_bigint(one(name, args, kwargs)?)?;
    Ok(val::string(crate::format::int_to_radix(&x, radix, true)))
}

/// `hex(x)`.
fn hex(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    radix("hex", args, kwargs, 16)
}

/// `oct(x)`.
fn oct(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    radix("oct", args, kwargs, 8)
}

/// `bin(x)`.
fn bin(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    radix("bin", args, kwargs, 2)
}

/// `iter(obj)` and `iter(callable, sentinel)`.
fn iter(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    positional("iter", args, kwargs, 1, 2)?;
    match args {
        [x] => ops::iter(x),
        _ if !is_callable(&args[0]) => Err(type_error("iter(v, w): v must be callable")),
        _ => Ok(crate::iter::make_iter(crate::obj::IterState::Callable(
            args[0].clone(),
            args[1].clone(),
        ))),
    }
}

/// `next(iterator[, default])`.
fn next(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    positional("next", args, kwargs, 1, 2)?;
    match (next_value(&args[0]), args.get(1)) {
        (Err(e), Some(default)) if e.is("StopIteration") => Ok(default.clone()),
        (r, _) => r,
    }
}

/// One step of an iterator, raising StopIteration with the value a generator returned or
/// an iterator's `__next__` raised.
fn next_value(it: &PyRef) -> PyResult {
    match it.kind() {
        Some(Kind::Generator(_)) => crate::vm::gen_send(it, val::none()),
        Some(Kind::Instance(_)) => match ops::call_special(it, "__next__", &[])? {
            Some(v) => Ok(v),
            None => Err(type_error(format!(
                "'{}' object is not an iterator",
                type_name(it)
            ))),
        },
        _ => ops::next(it)?.ok_or_else(|| crate::error::stop_iteration(val::none())),
    }
}

/// `exit(code=None)` and `quit(code=None)`: raise SystemExit.
fn exit(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    no_kwargs("exit", kwargs)?;
    count("exit", args, 0, 1)?;
    Err(err_args("SystemExit", args.to_vec()))
}

/// `__import__(name, globals=None, locals=None, fromlist=(), level=0)`: the module.
fn import(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    only_kwargs(
        "__import__",
        kwargs,
        &["name", "globals", "locals", "fromlist", "level"],
    )?;
    let name = args.first().cloned().or_else(|| kwarg(kwargs, "name"));
    let Some(name) = name.filter(|n| n.as_str().is_some()) else {
        return Err(type_error("__import__() argument 1 must be str"));
    };
    let globals = match super::current_namespace() {
        Some((g, _)) => g,
        None => match super::builtins_dict() {
            PyRef::O(o) => o,
            PyRef::A(_) => unreachable!("a dict is a tracked object"),
        },
    };
    crate::interp::import(&name, &globals)
}
