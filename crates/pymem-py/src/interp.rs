//! (L4) The interpreter as a library: start-up (the built-in types' methods, `builtins`,
//! `sys`), running source files and strings, imports, `__del__`, and what reaches the top
//! level (tracebacks, `SystemExit`).

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use pymem::Gc;

use crate::code::Code;
use crate::error::{PyErr, PyResult, err};
use crate::frame::Frame;
use crate::obj::{Func, Kind, Module, Obj, PyRef};
use crate::types::{BUILTIN_TYPES, BuiltinType, dict_get_str, dict_set_str, tobj, type_of, types};
use crate::{call, dictops, modules, ops, traceback, val};

/// Why a run ended without finishing normally.
#[derive(Debug)]
pub enum RunError {
    /// The program raised an exception that nothing caught (already printed to stderr), or
    /// called `sys.exit`: the process's exit status.
    Exit(i32),
    /// The source file could not be read.
    Io(std::io::Error),
}

/// Bounds on what a program may do, for running untrusted or generated source (the fuzz
/// target): past a bound the program gets an exception, never a hang or an abort.
#[derive(Clone, Copy, Debug, Default)]
pub struct Limits {
    /// Backward jumps and calls a run may make before `RuntimeError` ("instruction budget
    /// exhausted") is raised.
    pub instructions: Option<u64>,
    /// The most items a container built from an iterable may have (`MemoryError` beyond).
    pub max_sequence_len: Option<usize>,
}

thread_local! {
    static LIMITS: std::cell::Cell<Limits> = const { std::cell::Cell::new(Limits { instructions: None, max_sequence_len: None }) };
    static BUDGET: std::cell::Cell<u64> = const { std::cell::Cell::new(u64::MAX) };
    static CAPTURED: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Counts one backward jump or call against the instruction budget.
#[inline]
pub(crate) fn tick() -> PyResult<()> {
    let left = BUDGET.with(|b| {
        let v = b.get().saturating_sub(1);
        b.set(v);
        v
    });
    if left == 0 {
        return Err(err("RuntimeError", "instruction budget exhausted"));
    }
    Ok(())
}

/// Fails with MemoryError when `n` items exceed the configured bound.
pub(crate) fn check_len(n: usize) -> PyResult<()> {
    match LIMITS.with(std::cell::Cell::get).max_sequence_len {
        Some(max) if n > max => Err(crate::error::err_args("MemoryError", vec![])),
        _ => Ok(()),
    }
}

/// Output that goes to the capture buffer instead of the process's stdout or stderr;
/// false when nothing is being captured.
pub(crate) fn write_captured(s: &str) -> bool {
    let captured = CAPTURED.try_with(|c| match &mut *c.borrow_mut() {
        Some(buf) => {
            buf.push_str(s);
            true
        }
        None => false,
    });
    captured.unwrap_or(false)
}

/// A Python interpreter on this thread's pymem heap.
///
/// ```
/// let mut py = pymem_py::Interpreter::new();
/// py.run_source("print(sum(range(10)))", "<example>").unwrap();
/// ```
pub struct Interpreter {
    _private: (),
}

thread_local! {
    static SCRIPT_DIR: RefCell<Option<PathBuf>> = const { RefCell::new(None) };
    static STARTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    static EXIT_REQUESTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

impl Default for Interpreter {
    fn default() -> Self {
        Interpreter::new()
    }
}

impl Interpreter {
    /// Sets up the built-in types and modules on this thread.
    pub fn new() -> Interpreter {
        start();
        Interpreter { _private: () }
    }

    /// Adds a built-in module written in Rust (see [`Module`](crate::Module)): `import name`
    /// finds it from now on.
    pub fn add_module(&mut self, module: crate::Module) {
        crate::embed::install(module);
    }

    /// Sets `sys.argv`.
    pub fn set_argv(&mut self, argv: Vec<String>) {
        modules::sys::set_argv(argv);
    }

    /// Runs a file as `__main__`; imports of `.py` files look beside it.
    pub fn run_file(&mut self, path: &Path) -> Result<(), RunError> {
        // CPython 3.9+ makes `__main__.__file__` (and so every traceback) absolute.
        let path = &std::path::absolute(path).map_err(RunError::Io)?;
        let source = std::fs::read_to_string(path).map_err(RunError::Io)?;
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        SCRIPT_DIR.with(|d| *d.borrow_mut() = Some(dir));
        self.run_source(&source, &path.to_string_lossy())
    }

    /// Runs source text as `__main__`.
    pub fn run_source(&mut self, source: &str, filename: &str) -> Result<(), RunError> {
        let globals = main_globals(filename);
        report(exec_source(source, filename, &globals, false))
    }

    /// Runs one REPL entry in `__main__` (expression values are printed).
    pub fn run_interactive(&mut self, source: &str) -> Result<(), RunError> {
        let globals = main_globals("<stdin>");
        report(exec_source(source, "<stdin>", &globals, true))
    }

    /// Sets the bounds of the next runs (and refills the instruction budget).
    pub fn set_limits(&mut self, limits: Limits) {
        LIMITS.with(|l| l.set(limits));
        BUDGET.with(|b| b.set(limits.instructions.unwrap_or(u64::MAX)));
    }

    /// Sends `sys.stdout` and `sys.stderr` output to a buffer ([`take_output`]) instead of
    /// the process's streams.
    ///
    /// [`take_output`]: Interpreter::take_output
    pub fn set_output_captured(&mut self, captured: bool) {
        CAPTURED.with(|c| *c.borrow_mut() = captured.then(String::new));
    }

    /// The output captured so far, emptying the buffer.
    pub fn take_output(&mut self) -> String {
        CAPTURED.with(|c| {
            c.borrow_mut()
                .as_mut()
                .map(std::mem::take)
                .unwrap_or_default()
        })
    }

    /// Interpreter shutdown: runs the `weakref.finalize` callbacks still registered with
    /// `atexit` set, then reports what `gc` could not collect, as CPython does at exit.
    pub fn shutdown(&mut self) {
        modules::finalize::run_exit_finalizers();
        clear_main_module();
        pymem::gc::collect();
        modules::gc::shutdown_report();
        use std::io::Write;
        drop(std::io::stdout().flush());
    }

    /// Puts the interpreter back as a new one would be for the next program: `__main__`'s
    /// globals cleared (their objects collected), `gc.garbage` and `gc.callbacks` empty,
    /// collection on with CPython's thresholds and no debug flags, tracemalloc stopped, the
    /// recursion limit at 1000. Built-in modules and imported `.py` modules stay loaded.
    pub fn reset(&mut self) {
        clear_main_module();
        modules::gc::reset();
        let modules = modules::sys::modules_dict();
        if let Some(d) = modules.as_dict() {
            drop(dictops::remove(d, &val::str_("__main__")));
        }
        pymem::tracemalloc::stop();
        pymem::gc::enable();
        let _ = pymem::gc::set_threshold(2000, 10, 10);
        pymem::gc::set_debug(pymem::gc::DebugFlags::empty());
        call::set_recursion_limit(1000);
        pymem::gc::collect();
    }

    /// Whether the last run ended in `SystemExit` (the REPL then stops).
    pub fn exit_requested(&self) -> bool {
        EXIT_REQUESTED.with(std::cell::Cell::get)
    }

    /// Starts tracemalloc with `nframe` frames per traceback (`-X tracemalloc=N`).
    pub fn start_tracemalloc(&mut self, nframe: usize) -> Result<(), String> {
        modules::tracemalloc::start_tracing(nframe).map_err(|e| crate::repr::message_of(&e))
    }

    /// Imports and runs a module as `__main__` (`pymem -m`).
    pub fn run_module(&mut self, name: &str) -> Result<(), RunError> {
        let path = find_module_file(name).ok_or_else(|| {
            RunError::Io(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("No module named {name}"),
            ))
        })?;
        self.run_file(&path)
    }
}

/// CPython's `_PyModule_ClearDict` for `__main__` at exit: names starting with `_` are set
/// to `None` first, then the others (`__builtins__` stays), so that `__del__` methods of
/// objects the program left in globals run while the interpreter still works.
fn clear_main_module() {
    let modules = modules::sys::modules_dict();
    let Ok(Some(main)) = ops::dict_lookup(&modules, &val::str_("__main__")) else {
        return;
    };
    let Some(Kind::Module(m)) = main.kind() else {
        return;
    };
    let Kind::Dict(d) = &m.dict.kind else { return };
    for underscore in [true, false] {
        for (k, _) in dictops::items(d) {
            let Some(name) = k.as_str() else { continue };
            if name.starts_with('_') == underscore && name != "__builtins__" {
                let _ = dictops::set(d, k.clone(), val::none());
            }
        }
    }
}

fn report(r: PyResult<()>) -> Result<(), RunError> {
    match r {
        Ok(()) => Ok(()),
        Err(e) => Err(RunError::Exit(handle_uncaught(e))),
    }
}

/// Prints an uncaught exception (or honours `SystemExit`); returns the exit status.
fn handle_uncaught(e: PyErr) -> i32 {
    if e.is("SystemExit") {
        EXIT_REQUESTED.with(|x| x.set(true));
        return system_exit_status(&e);
    }
    traceback::print_exception(&e.0);
    1
}

fn system_exit_status(e: &PyErr) -> i32 {
    let args = crate::error::exc_args(&e.0);
    let Some(code) = args.first() else { return 0 };
    if code.is_none() {
        return 0;
    }
    if let Some(i) = code.as_i64() {
        return i as i32;
    }
    let text = ops::str_of(code).unwrap_or_default();
    modules::sys::write_stderr(&format!("{text}\n"));
    1
}

/// Compiles and runs source in a namespace.
pub(crate) fn exec_source(
    source: &str,
    filename: &str,
    globals: &Gc<Obj>,
    single: bool,
) -> PyResult<()> {
    let code = crate::compile::compile(source, filename, single)
        .map_err(|c| syntax_error(c, filename, source))?;
    call::run_code(code, globals.clone(), None).map(drop)
}

fn syntax_error(c: crate::compile::CompileError, filename: &str, source: &str) -> PyErr {
    let line = source
        .lines()
        .nth(c.line.saturating_sub(1) as usize)
        .unwrap_or("");
    let details = val::tuple(vec![
        val::str_(filename),
        val::int(c.line as i64),
        val::int(c.col as i64),
        val::string(format!("{line}\n")),
        val::int(c.line as i64),
        val::int(c.end_col as i64),
    ]);
    crate::error::err_args("SyntaxError", vec![val::string(c.msg), details])
}

fn main_globals(filename: &str) -> Gc<Obj> {
    let modules = modules::sys::modules_dict();
    let key = val::str_("__main__");
    if let Some(m) = ops::dict_lookup(&modules, &key).ok().flatten()
        && let Some(Kind::Module(m)) = m.kind()
    {
        return m.dict.clone();
    }
    let globals = new_namespace("__main__", Some(filename));
    let module = Obj::new(Kind::Module(Module {
        dict: globals.clone(),
    }));
    if let Some(d) = modules.as_dict() {
        let _ = dictops::set(d, key, module);
    }
    globals
}

/// A module namespace with `__name__`, `__builtins__` and `__file__`.
fn new_namespace(name: &str, file: Option<&str>) -> Gc<Obj> {
    let mut d = crate::dict::Dict::new();
    dict_set_str(&mut d, val::str_("__name__"), val::str_(name));
    dict_set_str(&mut d, val::str_("__doc__"), val::none());
    dict_set_str(
        &mut d,
        val::str_("__builtins__"),
        crate::builtins::builtins_dict(),
    );
    if let Some(f) = file {
        dict_set_str(&mut d, val::str_("__file__"), val::str_(f));
    }
    match val::dict(d) {
        PyRef::O(o) => o,
        PyRef::A(_) => unreachable!("a dict is a tracked object"),
    }
}

/// Puts each built-in type's methods into its dict (once per thread).
fn start() {
    if STARTED.with(|s| s.replace(true)) {
        return;
    }
    let t = types();
    for &(bt, _) in BUILTIN_TYPES {
        let ty = t.get(bt);
        let mut d = tobj(ty).dict.borrow_mut();
        for def in crate::methods::table(bt) {
            let f = Obj::new(Kind::Builtin(def, None));
            let f = match def.name {
                "fromkeys" | "fromhex" | "from_bytes" => Obj::new(Kind::ClassMethod(f)),
                "maketrans" => Obj::new(Kind::StaticMethod(f)),
                "__new__" if bt == BuiltinType::Tuple => Obj::new(Kind::StaticMethod(f)),
                _ => f,
            };
            dict_set_str(&mut d, val::str_(def.name), f);
        }
        if matches!(
            bt,
            BuiltinType::List | BuiltinType::Dict | BuiltinType::Set | BuiltinType::ByteArray
        ) {
            dict_set_str(&mut d, val::str_("__hash__"), val::none());
        }
    }
    crate::types::type_modified();
    for (_, exc) in t.exceptions() {
        let mut d = tobj(exc).dict.borrow_mut();
        dict_set_str(&mut d, val::str_("__module__"), val::str_("builtins"));
    }
}

/// `MakeFunction`: the code constant on top, then what the flags say lies under it.
pub(crate) fn make_function(f: &mut Frame, flags: u8) -> PyResult {
    let code_obj = f.pop();
    let Some(crate::obj::Atom::Code(code)) = code_obj.atom() else {
        return Err(err("SystemError", "MakeFunction without code"));
    };
    let code: Rc<Code> = code.clone();
    let closure = if flags & 8 != 0 {
        f.pop()
            .as_tuple()
            .map(<[PyRef]>::to_vec)
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let kwdefaults = if flags & 2 != 0 { Some(f.pop()) } else { None };
    let defaults = if flags & 1 != 0 { Some(f.pop()) } else { None };
    let module = match &f.globals.kind {
        Kind::Dict(d) => dict_get_str(&d.borrow(), "__name__").unwrap_or_else(val::none),
        _ => val::none(),
    };
    let doc = code
        .consts
        .first()
        .filter(|c| c.as_str().is_some())
        .cloned()
        .unwrap_or_else(val::none);
    Ok(Obj::new(Kind::Function(Box::new(Func {
        name: RefCell::new(code.name.clone()),
        qualname: RefCell::new(code.qualname.clone()),
        code,
        globals: f.globals.clone(),
        defaults: RefCell::new(defaults),
        kwdefaults: RefCell::new(kwdefaults),
        closure: closure.into_boxed_slice(),
        dict: RefCell::new(crate::dict::Dict::new()),
        module: RefCell::new(module),
        doc: RefCell::new(doc),
    }))))
}

/// `import name`: `sys.modules`, then the built-in modules, then the frozen ones, then
/// `name.py` beside the script.
pub(crate) fn import(name: &PyRef, _globals: &Gc<Obj>) -> PyResult {
    let modules = modules::sys::modules_dict();
    if let Some(m) = ops::dict_lookup(&modules, name)? {
        return Ok(m);
    }
    let s = name.as_str().unwrap_or_default();
    let parent = match s.rsplit_once('.') {
        Some((p, child)) => Some((import(&val::str_(p), _globals)?, child)),
        None => None,
    };
    // Importing the parent may have made the submodule (`os` makes `os.path`).
    if let Some(m) = ops::dict_lookup(&modules, name)? {
        return Ok(m);
    }
    let m = match modules::builtin_module(s) {
        Some(m) => m,
        None => load_source_module(s)?,
    };
    if let Some(d) = modules.as_dict() {
        dictops::set(d, name.clone(), m.clone())?;
    }
    if let Some((p, child)) = parent {
        crate::attr::setattr(&p, &val::str_(child), m.clone())?;
    }
    Ok(m)
}

fn find_module_file(name: &str) -> Option<PathBuf> {
    let dir = SCRIPT_DIR
        .with(|d| d.borrow().clone())
        .unwrap_or_else(|| PathBuf::from("."));
    let path = dir.join(format!("{}.py", name.replace('.', "/")));
    path.is_file().then_some(path)
}

fn load_source_module(name: &str) -> PyResult {
    if let Some(source) = modules::frozen::source(name) {
        return exec_module(name, source, &modules::frozen::file_name(name));
    }
    let Some(path) = find_module_file(name) else {
        return Err(crate::special::module_not_found(name));
    };
    let source = std::fs::read_to_string(&path).map_err(|e| err("OSError", e.to_string()))?;
    exec_module(name, &source, &path.to_string_lossy())
}

/// Runs a module's source in a new namespace registered in `sys.modules` first (so that
/// circular imports see the partly made module).
fn exec_module(name: &str, source: &str, file: &str) -> PyResult {
    let globals = new_namespace(name, Some(file));
    let module = Obj::new(Kind::Module(Module {
        dict: globals.clone(),
    }));
    let modules = modules::sys::modules_dict();
    if let Some(d) = modules.as_dict() {
        dictops::set(d, val::str_(name), module.clone())?;
    }
    exec_source(source, file, &globals, false)?;
    Ok(module)
}

/// `from module import name`.
pub(crate) fn import_from(module: &PyRef, name: &PyRef) -> PyResult {
    match crate::attr::getattr_opt(module, name.as_str().unwrap_or_default())? {
        Some(v) => Ok(v),
        None => {
            let mname = crate::attr::getattr_opt(module, "__name__")?
                .and_then(|n| n.as_str().map(str::to_owned))
                .unwrap_or_default();
            let file = crate::attr::getattr_opt(module, "__file__")?
                .and_then(|n| n.as_str().map(str::to_owned));
            let place = file.unwrap_or_else(|| "unknown location".to_owned());
            Err(crate::error::err(
                "ImportError",
                format!(
                    "cannot import name '{}' from '{mname}' ({place})",
                    name.as_str().unwrap_or_default()
                ),
            ))
        }
    }
}

/// `from module import *`: the public names (or `__all__`).
pub(crate) fn import_star(module: &PyRef, f: &mut Frame) -> PyResult<()> {
    let target = f
        .locals
        .clone()
        .unwrap_or_else(|| PyRef::O(f.globals.clone()));
    for (k, v) in crate::attr::star_names(module)? {
        if let Some(d) = target.as_dict() {
            dictops::set(d, k, v)?;
        }
    }
    Ok(())
}

/// The REPL's expression statement: prints the repr of a value other than `None`.
pub(crate) fn print_expr(v: &PyRef) -> PyResult<()> {
    if v.is_none() {
        return Ok(());
    }
    let r = ops::repr(v)?;
    modules::sys::write_stdout(&format!("{r}\n"));
    Ok(())
}

/// Runs `__del__` of an instance whose class defines one (PEP 442, called by pymem).
pub(crate) fn run_del(obj: &Gc<Obj>) {
    let x = PyRef::O(obj.clone());
    let Some(del) = crate::types::lookup(&type_of(&x), "__del__") else {
        return;
    };
    if let Err(e) = call::call_bound(&del, &x, &[]) {
        write_unraisable(&e, Some(&del));
    }
}

/// Reports an exception that cannot propagate (from `__del__`, a weakref callback, a gc
/// callback), as CPython's default `sys.unraisablehook` prints it.
pub(crate) fn write_unraisable(e: &PyErr, obj: Option<&PyRef>) {
    if modules::sys::call_unraisablehook(e, obj) {
        return;
    }
    let what = obj
        .and_then(|o| ops::repr(o).ok())
        .unwrap_or_else(|| "None".to_owned());
    modules::sys::write_stderr(&format!("Exception ignored in: {what}\n"));
    traceback::print_exception(&e.0);
}

/// The Python frames now running, innermost first, for tracemalloc.
pub(crate) fn current_python_frames(limit: usize) -> Vec<(Rc<str>, u32)> {
    crate::vm::current_frames(limit)
}

impl pymem::Finalize for Obj {
    /// `__del__` for instances, and closing for suspended generators (PEP 442).
    fn finalize(this: &Gc<Self>) {
        // At thread exit the interpreter's thread-locals may already be gone.
        if !modules::interpreter_alive() {
            return;
        }
        match &this.kind {
            Kind::Instance(_) => run_del(this),
            Kind::Generator(_) => crate::vm::finalize_generator(this),
            _ => {}
        }
    }
}
