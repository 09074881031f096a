//! (L3) The `sys` module: reference counts and sizes, the recursion limit, `exit`,
//! `intern`, the exception being handled, the standard streams, `argv`, `path`,
//! `modules`, version information and `unraisablehook`.

use std::cell::RefCell;
use std::collections::HashMap;

use pymem::Gc;

use crate::error::{PyErr, PyResult, err_args, type_error, value_error};
use crate::obj::{Atom, BuiltinDef, Kind, PyRef};
use crate::types::type_name;
use crate::{call, ops, val};

pub(crate) use super::stdio::{try_write_stdout, write_stderr, write_stdout};
use super::{
    BUILTIN_MODULES, ClassSpec, Kw, Prop, add_functions, builtin_module, class_of, fns, int_arg,
    module_attr, new_module, new_object, new_tuple_object, no_args, no_kw, one_arg, receiver,
    set_attr, set_field, tuple_items,
};

/// CPython 3.13.0's `sys.version_info` and `sys.hexversion`.
const VERSION: (i64, i64, i64, &str, i64) = (3, 13, 0, "final", 0);
/// `sys.hexversion` of CPython 3.13.0 final.
const HEXVERSION: i64 = 0x030d_00f0;

/// What `sys.getrefcount` reports for an immortal object (CPython 3.12+).
const IMMORTAL_REFCNT: i64 = 4_294_967_295;

thread_local! {
    /// `sys.modules`, `sys.argv`, `sys.path`: the objects the interpreter uses even if a
    /// program rebinds the names.
    static STATE: RefCell<Option<[PyRef; 3]>> = const { RefCell::new(None) };
    /// `sys.intern`'s table. Weak, as CPython 3.13's interned dict does not count its
    /// references to mortal strings (`getrefcount(intern(s))` is 2).
    static INTERNED: RefCell<HashMap<Box<str>, pymem::Weak<Atom>>> = RefCell::new(HashMap::new());
}

/// The module's functions.
static FUNCTIONS: &[BuiltinDef] = fns![
    "getrefcount" => getrefcount,
    "getsizeof" => super::sizeof::getsizeof,
    "getrecursionlimit" => getrecursionlimit,
    "setrecursionlimit" => setrecursionlimit,
    "exit" => exit,
    "_getframe" => getframe,
    "intern" => intern,
    "exc_info" => exc_info,
    "exception" => exception,
    "getallocatedblocks" => getallocatedblocks,
    "_debugmallocstats" => debugmallocstats,
    "getdefaultencoding" => getdefaultencoding,
    "getfilesystemencoding" => getdefaultencoding,
    "unraisablehook" => unraisablehook,
];

/// Makes the `sys` module; pymem's own reports (`gc.DEBUG_*`) go to `sys.stderr` from now on.
pub(crate) fn create() -> PyRef {
    let (module, d) = new_module(
        "sys",
        "This module provides access to some objects used or maintained by the\ninterpreter and to functions that interact strongly with the interpreter.",
    );
    add_functions(&d, FUNCTIONS);
    let hook = module_fn(&d, "unraisablehook");
    set_attr(&d, "__unraisablehook__", hook);
    add_state(&d, &module);
    add_streams(&d);
    add_constants(&d);
    let previous = pymem::sys::set_stderr(Box::new(super::stdio::SysStderr));
    drop(previous);
    module
}

/// `sys.modules` (holding `sys` itself), `sys.argv`, `sys.path`, also kept in [`STATE`].
fn add_state(d: &Gc<crate::obj::Obj>, module: &PyRef) {
    let state = [
        val::dict(crate::dict::Dict::new()),
        val::list(vec![]),
        val::list(vec![val::str_("")]),
    ];
    for (name, x) in ["modules", "argv", "path"].into_iter().zip(&state) {
        set_attr(d, name, x.clone());
    }
    if let Some(m) = state[0].as_dict() {
        let old = crate::types::dict_set_str(&mut m.borrow_mut(), val::str_("sys"), module.clone());
        drop(old);
    }
    let old = STATE.with(|s| s.borrow_mut().replace(state));
    drop(old);
}

/// A function of the namespace being built.
fn module_fn(d: &Gc<crate::obj::Obj>, name: &str) -> PyRef {
    crate::types::dict_get_str(&super::dict_of(d).borrow(), name).unwrap_or_else(val::none)
}

/// `sys.stdin`, `sys.stdout`, `sys.stderr`, also kept as `__stdin__`, `__stdout__`, `__stderr__`.
fn add_streams(d: &Gc<crate::obj::Obj>) {
    for (fd, name) in [(0, "stdin"), (1, "stdout"), (2, "stderr")] {
        let stream = super::stdio::new_stream(fd);
        set_attr(d, name, stream.clone());
        set_attr(d, &format!("__{name}__"), stream);
    }
}

/// The version, platform and size constants.
fn add_constants(d: &Gc<crate::obj::Obj>) {
    let (major, minor, micro, ..) = VERSION;
    set_attr(
        d,
        "version",
        val::string(format!("{major}.{minor}.{micro} (pymem)")),
    );
    set_attr(d, "version_info", version_info());
    set_attr(d, "hexversion", val::int(HEXVERSION));
    set_attr(d, "implementation", implementation());
    set_attr(d, "platform", val::str_(platform()));
    set_attr(
        d,
        "byteorder",
        val::str_(if cfg!(target_endian = "little") {
            "little"
        } else {
            "big"
        }),
    );
    set_attr(d, "maxsize", val::int(isize::MAX as i64));
    set_attr(d, "executable", val::string(executable()));
    // CPython's `math` is an extension module and `os`, `posixpath`, `random` are source
    // modules: they are not in its `builtin_module_names`.
    let mut names: Vec<PyRef> = BUILTIN_MODULES
        .iter()
        .filter(|n| !["math", "os", "posixpath", "random"].contains(n))
        .map(|n| val::str_(n))
        .collect();
    names.insert(0, val::str_("builtins"));
    set_attr(d, "builtin_module_names", val::tuple(names));
}

/// `sys.platform`: CPython's names for the OS.
fn platform() -> &'static str {
    match std::env::consts::OS {
        "macos" => "darwin",
        "windows" => "win32",
        os => os,
    }
}

/// `sys.executable`: this program's path.
fn executable() -> String {
    std::env::current_exe()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_else(|_| "pymem".to_owned())
}

/// One of the objects the interpreter keeps (`modules`, `argv`, `path`), making `sys`
/// first if needed.
fn state(i: usize) -> PyRef {
    if let Some(x) = STATE.with(|s| s.borrow().as_ref().map(|st| st[i].clone())) {
        return x;
    }
    builtin_module("sys");
    STATE
        .with(|s| s.borrow().as_ref().map(|st| st[i].clone()))
        .unwrap_or_else(val::none)
}

/// `sys.modules`: the dict the import machinery caches modules in.
pub(crate) fn modules_dict() -> PyRef {
    state(0)
}

/// Sets `sys.argv`, and `sys.path[0]` to the directory of the script (`argv[0]`).
pub(crate) fn set_argv(argv: Vec<String>) {
    let dir = argv.first().map(|a| script_dir(a)).unwrap_or_default();
    replace_list(&state(1), argv.iter().map(|a| val::str_(a)).collect());
    let path = state(2);
    if let Some(l) = path.as_list() {
        let old = match l.borrow_mut().first_mut() {
            Some(first) => Some(std::mem::replace(first, val::string(dir))),
            None => None,
        };
        drop(old);
    }
}

/// CPython's `sys.path[0]`: the script's directory made absolute; `''` without a script.
fn script_dir(script: &str) -> String {
    let path = std::path::Path::new(script);
    if script.is_empty() || script == "-c" || script == "-m" {
        return String::new();
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let abs = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    abs.to_string_lossy().into_owned()
}

/// Replaces a list's items, dropping the old ones after the borrow.
fn replace_list(list: &PyRef, items: Vec<PyRef>) {
    if let Some(l) = list.as_list() {
        let old = std::mem::replace(&mut *l.borrow_mut(), items);
        drop(old);
    }
}

// ---- Functions ------------------------------------------------------------------------

/// `sys.getrefcount(obj)`: the count, which includes the reference the call's argument
/// holds, as CPython's does; immortal objects report CPython's immortal count.
fn getrefcount(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = one_arg("sys.getrefcount", args, kw)?;
    if crate::val::is_immortal(x) {
        return Ok(val::int(IMMORTAL_REFCNT));
    }
    Ok(val::int(x.ref_count() as i64))
}

/// `sys.getrecursionlimit()`.
fn getrecursionlimit(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    no_args("getrecursionlimit", args, kw)?;
    Ok(val::int(call::recursion_limit() as i64))
}

/// `sys.setrecursionlimit(limit)`.
fn setrecursionlimit(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let n = int_arg(one_arg("setrecursionlimit", args, kw)?)?;
    if n < 1 {
        return Err(value_error(
            "recursion limit must be greater or equal than 1",
        ));
    }
    call::set_recursion_limit(n.min(i32::MAX as i64) as usize);
    Ok(val::none())
}

/// `sys._getframe([depth])`: the frame object of a running frame, linked by `f_back` to
/// its callers' (made as needed).
fn getframe(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    no_kw("_getframe", kw)?;
    if args.len() > 1 {
        return Err(type_error(format!(
            "_getframe expected at most 1 argument, got {}",
            args.len()
        )));
    }
    let depth = args.first().map(int_arg).transpose()?.unwrap_or(0);
    let not_deep = || value_error("call stack is not deep enough");
    // CPython walks `depth` callers out while depth > 0: a negative depth is 0.
    let depth = usize::try_from(depth.max(0)).map_err(|_| not_deep())?;
    let frame = crate::vm::frame_object_at(depth, None).ok_or_else(not_deep)?;
    link_back(&frame, depth);
    Ok(frame)
}

/// Sets `f_back` of the frame object at `depth` and of its callers', outwards until one is
/// already linked.
fn link_back(frame: &PyRef, depth: usize) {
    let mut cur = frame.clone();
    for d in depth + 1.. {
        let linked = super::slot(&cur, "f_back").is_some_and(|b| !b.is_none());
        let Some(parent) = crate::vm::frame_object_at(d, None).filter(|_| !linked) else {
            return;
        };
        super::set_slot(&cur, "f_back", parent.clone());
        cur = parent;
    }
}

/// `sys.exit([status])`: raises `SystemExit(status)` (no arguments for `None`).
fn exit(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    no_kw("exit", kw)?;
    if args.len() > 1 {
        return Err(type_error(format!(
            "exit expected at most 1 argument, got {}",
            args.len()
        )));
    }
    let args = args.iter().filter(|a| !a.is_none()).cloned().collect();
    Err(err_args("SystemExit", args))
}

/// `sys.intern(s)`: the first string interned with this value.
fn intern(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = one_arg("intern", args, kw)?;
    let (PyRef::A(a), Some(s)) = (x, x.as_str()) else {
        return Err(type_error(format!(
            "intern() argument must be str, not {}",
            type_name(x)
        )));
    };
    if let Some(first) = INTERNED.with(|t| t.borrow().get(s).and_then(pymem::Weak::upgrade)) {
        return Ok(PyRef::A(first));
    }
    let weak = Gc::downgrade(a);
    let old = INTERNED.with(|t| {
        let mut t = t.borrow_mut();
        let old = prune_interned(&mut t);
        (t.insert(s.into(), weak), old)
    });
    drop(old);
    Ok(x.clone())
}

/// Forgets the strings that died, when the table has doubled since the last time.
fn prune_interned(t: &mut HashMap<Box<str>, pymem::Weak<Atom>>) -> Vec<pymem::Weak<Atom>> {
    if t.len() < 64 || !t.len().is_power_of_two() {
        return Vec::new();
    }
    let dead: Vec<Box<str>> = t
        .iter()
        .filter(|(_, w)| w.strong_count() == 0)
        .map(|(k, _)| k.clone())
        .collect();
    dead.iter().filter_map(|k| t.remove(k)).collect()
}

/// `sys.exc_info()`: `(type, value, traceback)` of the exception being handled.
fn exc_info(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    no_args("exc_info", args, kw)?;
    let Some(e) = crate::vm::current_exception() else {
        return Ok(val::tuple(vec![val::none(), val::none(), val::none()]));
    };
    let tb = e
        .exc()
        .and_then(|st| st.traceback.borrow().clone())
        .unwrap_or_else(val::none);
    Ok(val::tuple(vec![PyRef::O(crate::types::type_of(&e)), e, tb]))
}

/// `sys.exception()`: the exception being handled, or `None`.
fn exception(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    no_args("exception", args, kw)?;
    Ok(crate::vm::current_exception().unwrap_or_else(val::none))
}

/// `sys.getallocatedblocks()`.
fn getallocatedblocks(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    no_args("getallocatedblocks", args, kw)?;
    Ok(val::int(pymem::sys::getallocatedblocks() as i64))
}

/// `sys._debugmallocstats()`: pymalloc's statistics, then the object free lists, on
/// stderr, as CPython 3.13 prints them.
fn debugmallocstats(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    no_args("_debugmallocstats", args, kw)?;
    let pools = match pymem::sys::mallocstats() {
        Some(stats) => stats.to_string(),
        None => "pymalloc is not in use: every block comes from the system allocator\n".into(),
    };
    write_stderr(&format!("{pools}\n{}", crate::freelists::debug_stats()));
    Ok(val::none())
}

/// `sys.getdefaultencoding()`.
fn getdefaultencoding(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    no_args("getdefaultencoding", args, kw)?;
    Ok(val::str_("utf-8"))
}

// ---- unraisablehook -------------------------------------------------------------------

/// `sys.UnraisableHookArgs`: what `sys.unraisablehook` receives.
static UNRAISABLE_ARGS: ClassSpec = ClassSpec {
    name: "UnraisableHookArgs",
    module: "sys",
    methods: &[],
    statics: &[],
    props: &[],
    slots: &[],
    has_dict: true,
    base: None,
};

/// Calls a `sys.unraisablehook` the program installed, for an exception that cannot
/// propagate; false when the default hook is in place (the caller prints the report).
/// An exception from the hook itself is reported the default way.
pub(crate) fn call_unraisablehook(e: &PyErr, obj: Option<&PyRef>) -> bool {
    let Some(hook) = module_attr("sys", "unraisablehook") else {
        return false;
    };
    if is_default_hook(&hook) {
        return false;
    }
    let args = hook_args(e, None, obj);
    if let Err(e2) = call::call(&hook, &[args], &[]) {
        print_unraisable(
            &e2.0,
            Some("Exception ignored in sys.unraisablehook"),
            Some(&hook),
        );
    }
    true
}

/// Whether `hook` is our default `sys.unraisablehook`.
fn is_default_hook(hook: &PyRef) -> bool {
    match hook.kind() {
        Some(Kind::Builtin(def, None)) => FUNCTIONS
            .iter()
            .any(|d| d.name == "unraisablehook" && std::ptr::eq(*def, d)),
        _ => false,
    }
}

/// The `UnraisableHookArgs` object for an exception.
fn hook_args(e: &PyErr, err_msg: Option<&str>, obj: Option<&PyRef>) -> PyRef {
    let args = new_object(&class_of(&UNRAISABLE_ARGS));
    let tb =
        e.0.exc()
            .and_then(|st| st.traceback.borrow().clone())
            .unwrap_or_else(val::none);
    set_field(&args, "exc_type", PyRef::O(crate::types::type_of(&e.0)));
    set_field(&args, "exc_value", e.0.clone());
    set_field(&args, "exc_traceback", tb);
    set_field(&args, "err_msg", err_msg.map_or_else(val::none, val::str_));
    set_field(&args, "object", obj.cloned().unwrap_or_else(val::none));
    args
}

/// `sys.unraisablehook(unraisable)` (also `sys.__unraisablehook__`): the default report.
fn unraisablehook(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let u = one_arg("sys.unraisablehook", args, kw)?;
    let exc = ops::getattr_str(u, "exc_value")?;
    let msg = ops::getattr_str(u, "err_msg")?;
    let obj = ops::getattr_str(u, "object")?;
    let msg = msg.as_str().map(str::to_owned);
    let obj = (!obj.is_none()).then_some(obj);
    print_unraisable(&exc, msg.as_deref(), obj.as_ref());
    Ok(val::none())
}

/// CPython's `write_unraisable_exc_file`: the message and object, then the exception.
fn print_unraisable(exc: &PyRef, err_msg: Option<&str>, obj: Option<&PyRef>) {
    let head = match (err_msg, obj) {
        (msg, Some(o)) => {
            let r = ops::repr(o).unwrap_or_else(|_| "<object repr() failed>".to_owned());
            format!("{}: {r}\n", msg.unwrap_or("Exception ignored in"))
        }
        (Some(msg), None) => format!("{msg}:\n"),
        (None, None) => String::new(),
    };
    write_stderr(&head);
    if exc.exc().is_some() {
        crate::traceback::print_exception(exc);
    }
}

// ---- version_info and implementation --------------------------------------------------

/// `sys.version_info`: a tuple with named fields.
static VERSION_INFO: ClassSpec = ClassSpec {
    name: "version_info",
    module: "sys",
    methods: fns!["__repr__" => version_repr],
    statics: &[],
    props: &[
        Prop::ro("major", field_0),
        Prop::ro("minor", field_1),
        Prop::ro("micro", field_2),
        Prop::ro("releaselevel", field_3),
        Prop::ro("serial", field_4),
    ],
    slots: &[],
    has_dict: false,
    base: Some(crate::types::BuiltinType::Tuple),
};

/// A new `sys.version_info` object.
fn version_info() -> PyRef {
    let (major, minor, micro, level, serial) = VERSION;
    let items = vec![
        val::int(major),
        val::int(minor),
        val::int(micro),
        val::str_(level),
        val::int(serial),
    ];
    new_tuple_object(&VERSION_INFO, items)
}

/// Field `i` of a `version_info`.
fn field(args: &[PyRef], i: usize) -> PyResult {
    let x = receiver(&VERSION_INFO, "field", args)?;
    Ok(tuple_items(x).get(i).cloned().unwrap_or_else(val::none))
}

/// `version_info.major`.
fn field_0(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    field(args, 0)
}

/// `version_info.minor`.
fn field_1(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    field(args, 1)
}

/// `version_info.micro`.
fn field_2(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    field(args, 2)
}

/// `version_info.releaselevel`.
fn field_3(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    field(args, 3)
}

/// `version_info.serial`.
fn field_4(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    field(args, 4)
}

/// `sys.version_info(major=3, minor=13, micro=0, releaselevel='final', serial=0)`.
fn version_repr(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let x = receiver(&VERSION_INFO, "__repr__", args)?;
    let names = ["major", "minor", "micro", "releaselevel", "serial"];
    let mut parts = Vec::new();
    for (name, v) in names.iter().zip(tuple_items(x)) {
        parts.push(format!("{name}={}", ops::repr(v)?));
    }
    Ok(val::string(format!(
        "sys.version_info({})",
        parts.join(", ")
    )))
}

/// `types.SimpleNamespace`, for `sys.implementation`.
static NAMESPACE: ClassSpec = ClassSpec {
    name: "SimpleNamespace",
    module: "types",
    methods: fns!["__repr__" => namespace_repr],
    statics: &[],
    props: &[],
    slots: &[],
    has_dict: true,
    base: None,
};

/// `sys.implementation`.
fn implementation() -> PyRef {
    let ns = new_object(&class_of(&NAMESPACE));
    set_field(&ns, "name", val::str_("pymem"));
    set_field(&ns, "cache_tag", val::none());
    set_field(&ns, "version", version_info());
    set_field(&ns, "hexversion", val::int(HEXVERSION));
    ns
}

/// `namespace(name='pymem', ...)`.
fn namespace_repr(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let x = receiver(&NAMESPACE, "__repr__", args)?;
    let items = x
        .as_instance()
        .and_then(|i| i.dict.as_ref())
        .map(|d| crate::dictops::items(&d.table()))
        .unwrap_or_default();
    let mut parts = Vec::new();
    for (k, v) in items {
        parts.push(format!("{}={}", ops::str_of(&k)?, ops::repr(&v)?));
    }
    Ok(val::string(format!("namespace({})", parts.join(", "))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call_sys(name: &str, args: &[PyRef]) -> PyResult {
        let f = module_attr("sys", name).expect("sys function");
        call::call(&f, args, &[])
    }

    #[test]
    fn recursion_limit_round_trips() {
        builtin_module("sys");
        let old = call::recursion_limit();
        call_sys("setrecursionlimit", &[val::int(321)]).unwrap();
        assert_eq!(
            call_sys("getrecursionlimit", &[]).unwrap().as_i64(),
            Some(321)
        );
        assert!(call_sys("setrecursionlimit", &[val::int(0)]).is_err());
        call::set_recursion_limit(old);
    }

    #[test]
    fn immortals_report_cpythons_count() {
        builtin_module("sys");
        assert_eq!(
            call_sys("getrefcount", &[val::none()]).unwrap().as_i64(),
            Some(IMMORTAL_REFCNT)
        );
        let x = val::list(vec![]);
        let args = [x.clone()]; // the variable and the argument, as in CPython
        assert_eq!(call_sys("getrefcount", &args).unwrap().as_i64(), Some(2));
    }

    #[test]
    fn intern_returns_the_first() {
        builtin_module("sys");
        let a = val::string("interned-key".to_owned());
        let b = val::string("interned-key".to_owned());
        let ia = call_sys("intern", std::slice::from_ref(&a)).unwrap();
        let ib = call_sys("intern", &[b]).unwrap();
        assert!(ia.is(&a) && ib.is(&a));
    }

    #[test]
    fn modules_holds_sys() {
        let m = modules_dict();
        let sys = crate::ops::dict_lookup(&m, &val::str_("sys")).unwrap();
        assert!(sys.is_some());
    }
}
