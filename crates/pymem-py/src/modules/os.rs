//! (L3) The `os` module (POSIX): the process (`getpid`, `getcwd`, `environ`, `getenv`),
//! a few file-system calls (`listdir`, `remove`, `mkdir`, `rmdir`), and the constants.
//!
//! `os.environ` is an instance of `os._Environ`, a dict subclass read from the process
//! environment when the module is made; assignments check for str keys and values as
//! CPython's do but change only the mapping (pymem starts no child processes that would
//! see them). `os.path` is the `posixpath` module of [`super::os_path`].

use std::fs;

use crate::dict::Dict;
use crate::error::{PyResult, type_error};
use crate::obj::{BuiltinDef, Kind, PyRef};
use crate::types::type_name;
use crate::{dictops, ops, val};

use super::{
    ClassSpec, Kw, add_functions, at_most, check_kw, fns, new_module, no_args, one_arg, receiver,
    set_attr,
};

/// The module's functions.
static FUNCTIONS: &[BuiltinDef] = fns![
    "getpid" => getpid, "getcwd" => getcwd, "getenv" => getenv, "listdir" => listdir,
    "remove" => remove, "unlink" => unlink, "mkdir" => mkdir, "rmdir" => rmdir,
];

/// Makes the `os` module, with `os.path` (the `posixpath` module) as an attribute.
pub(crate) fn create() -> PyRef {
    let (module, d) = new_module(
        "os",
        "OS routines for NT or Posix depending on what system we're on.",
    );
    add_functions(&d, FUNCTIONS);
    let constants = [
        ("name", "posix"),
        ("sep", "/"),
        ("extsep", "."),
        ("pathsep", ":"),
        ("linesep", "\n"),
        ("curdir", "."),
        ("pardir", ".."),
        ("devnull", "/dev/null"),
    ];
    for (name, v) in constants {
        set_attr(&d, name, val::str_(v));
    }
    set_attr(&d, "altsep", val::none());
    set_attr(&d, "environ", environ());
    if let Some(path) = super::builtin_module("posixpath") {
        set_attr(&d, "path", path.clone());
        register("posixpath", &path);
        register("os.path", &path);
    }
    module
}

/// `sys.modules[name] = module`, as CPython's `os` registers `os.path`.
fn register(name: &str, module: &PyRef) {
    if let Some(d) = super::sys::modules_dict().as_dict() {
        let _ = dictops::set(d, val::str_(name), module.clone());
    }
}

/// The OSError subclass for an I/O error on `path`.
pub(super) fn os_error(e: &std::io::Error, path: &str) -> crate::error::PyErr {
    crate::builtins::os_error(e, path)
}

/// A path argument of `fname`: a str (bytes and path-like objects are not supported).
pub(super) fn path_arg(fname: &str, x: &PyRef) -> PyResult<String> {
    match x.as_str() {
        Some(s) => Ok(s.to_owned()),
        None => Err(type_error(format!(
            "{fname}: path should be string, bytes, os.PathLike or integer, not {}",
            type_name(x)
        ))),
    }
}

/// `os.getpid()`.
fn getpid(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    no_args("getpid", args, kw)?;
    Ok(val::int(std::process::id() as i64))
}

/// The current directory as a str.
pub(super) fn cwd() -> PyResult<String> {
    let dir = std::env::current_dir().map_err(|e| os_error(&e, "."))?;
    Ok(dir.to_string_lossy().into_owned())
}

/// `os.getcwd()`.
fn getcwd(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    no_args("getcwd", args, kw)?;
    Ok(val::string(cwd()?))
}

/// `os.getenv(key, default=None)`: `os.environ.get(key, default)`.
fn getenv(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    check_kw("getenv", kw, &["key", "default"])?;
    let key = super::arg("getenv", args, kw, 0, "key")?;
    let Some(key) = key else {
        return Err(type_error(
            "getenv() missing 1 required positional argument: 'key'",
        ));
    };
    let default = super::arg("getenv", args, kw, 1, "default")?.unwrap_or_else(val::none);
    str_expected(&key)?;
    let env = super::module_attr("os", "environ").unwrap_or_else(val::none);
    Ok(ops::getitem(&env, &key).unwrap_or(default))
}

/// `os.environ.get(key)` when `os` was imported (writes to it are seen), else the
/// process environment's value.
pub(super) fn env_get(key: &str) -> Option<String> {
    let Some(env) = super::module_attr("os", "environ") else {
        return std::env::var(key).ok();
    };
    let v = ops::getitem(&env, &val::str_(key)).ok()?;
    v.as_str().map(str::to_owned)
}

/// CPython's TypeError for a non-str environment key or value.
fn str_expected(x: &PyRef) -> PyResult<()> {
    match x.as_str() {
        Some(_) => Ok(()),
        None => Err(type_error(format!("str expected, not {}", type_name(x)))),
    }
}

/// `os.listdir(path='.')`: the names in a directory, in the order the system gives them.
fn listdir(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    check_kw("listdir", kw, &["path"])?;
    at_most("listdir", args, 1)?;
    let path = match super::arg("listdir", args, kw, 0, "path")? {
        Some(p) if !p.is_none() => path_arg("listdir", &p)?,
        _ => ".".to_owned(),
    };
    let entries = fs::read_dir(&path).map_err(|e| os_error(&e, &path))?;
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| os_error(&e, &path))?;
        names.push(val::string(
            entry.file_name().to_string_lossy().into_owned(),
        ));
    }
    Ok(val::list(names))
}

/// Runs a file-system call on the single path argument of `fname`.
fn path_call(
    fname: &str,
    args: &[PyRef],
    kw: Kw<'_>,
    f: fn(&str) -> std::io::Result<()>,
) -> PyResult {
    let path = path_arg(fname, one_arg(fname, args, kw)?)?;
    f(&path).map_err(|e| os_error(&e, &path))?;
    Ok(val::none())
}

/// `os.remove(path)`.
fn remove(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    path_call("remove", args, kw, |p| fs::remove_file(p))
}

/// `os.unlink(path)`.
fn unlink(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    path_call("unlink", args, kw, |p| fs::remove_file(p))
}

/// `os.mkdir(path)` (the mode argument is not supported).
fn mkdir(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    path_call("mkdir", args, kw, |p| fs::create_dir(p))
}

/// `os.rmdir(path)`.
fn rmdir(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    path_call("rmdir", args, kw, |p| fs::remove_dir(p))
}

// ---- os.environ ------------------------------------------------------------------------

/// `os._Environ`: a dict of str to str.
static ENVIRON: ClassSpec = ClassSpec {
    name: "_Environ",
    module: "os",
    methods: fns![
        "__setitem__" => environ_setitem,
        "__repr__" => environ_repr,
        "copy" => environ_copy,
    ],
    statics: &[],
    props: &[],
    slots: &[],
    has_dict: true,
    base: Some(crate::types::BuiltinType::Dict),
};

/// A new `os.environ` with this process's environment.
fn environ() -> PyRef {
    let d = std::cell::RefCell::new(Dict::new());
    for (k, v) in std::env::vars_os() {
        let (k, v) = (k.to_string_lossy(), v.to_string_lossy());
        let _ = dictops::set(&d, val::str_(&k), val::str_(&v));
    }
    crate::call::new_instance(&super::class_of(&ENVIRON), Some(val::dict(d.into_inner())))
}

/// The dict an `os.environ` carries.
fn environ_dict<'a>(args: &'a [PyRef], method: &str) -> PyResult<&'a std::cell::RefCell<Dict>> {
    let x = receiver(&ENVIRON, method, args)?;
    match x.payload() {
        Some(Kind::Dict(d)) => Ok(d),
        _ => Err(type_error("_Environ without a dict")),
    }
}

/// `environ[key] = value`: both must be str.
fn environ_setitem(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let d = environ_dict(args, "__setitem__")?;
    let [_, key, value] = args else {
        return Err(type_error("expected 2 arguments"));
    };
    str_expected(key)?;
    str_expected(value)?;
    dictops::set(d, key.clone(), value.clone())?;
    Ok(val::none())
}

/// `environ({'KEY': 'value', ...})`.
fn environ_repr(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let d = environ_dict(args, "__repr__")?;
    let copy = val::dict(dictops::copy(d));
    Ok(val::string(format!("environ({})", ops::repr(&copy)?)))
}

/// `environ.copy()`: a plain dict.
fn environ_copy(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let d = environ_dict(args, "copy")?;
    Ok(val::dict(dictops::copy(d)))
}
