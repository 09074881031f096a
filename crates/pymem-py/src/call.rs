//! (L2) Calling objects (CPython's `PyObject_Vectorcall`): functions, bound methods,
//! built-ins, classes, and instances with `__call__`; binding arguments to parameters.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use pymem::Gc;

use crate::code::Code;
use crate::dict::Dict;
use crate::error::{PyResult, err, type_error};
use crate::frame::Frame;
use crate::obj::{Func, Instance, Kind, Obj, PyRef};
use crate::types::{BuiltinType, lookup, tobj, type_name, type_of, types};
use crate::{dictops, val, vm};

/// Keyword arguments: (name, value) pairs, names as `str` objects.
pub(crate) type Kwargs<'a> = &'a [(PyRef, PyRef)];

thread_local! {
    static DEPTH: Cell<usize> = const { Cell::new(0) };
    static LIMIT: Cell<usize> = const { Cell::new(1000) };
}

/// `sys.getrecursionlimit()`.
pub(crate) fn recursion_limit() -> usize {
    LIMIT.with(Cell::get)
}

/// `sys.setrecursionlimit(n)`.
pub(crate) fn set_recursion_limit(n: usize) {
    LIMIT.with(|l| l.set(n));
}

/// Counts one level of Python call depth for the duration of `f` (CPython's
/// `Py_EnterRecursiveCall`), so that runaway recursion is a `RecursionError`, never a
/// Rust stack overflow.
#[inline]
pub(crate) fn with_depth<R>(f: impl FnOnce() -> PyResult<R>) -> PyResult<R> {
    crate::interp::tick()?;
    let depth = DEPTH.with(|d| d.get());
    if depth >= recursion_limit() {
        return Err(err("RecursionError", "maximum recursion depth exceeded"));
    }
    DEPTH.with(|d| d.set(depth + 1));
    let r = guard_stack(f);
    DEPTH.with(|d| d.set(depth));
    r
}

/// [`with_depth`] for running `code`, except code that stands for C code in CPython (the
/// frozen `itertools`, `_functools`, `_collections`): CPython's C versions take no Python
/// recursion depth, so that an `lru_cache`'d function recurses as deep as on CPython.
#[inline]
pub(crate) fn with_depth_of<R>(code: &Code, f: impl FnOnce() -> PyResult<R>) -> PyResult<R> {
    if crate::modules::frozen::hides_frames(&code.filename) {
        return guard_stack(f);
    }
    with_depth(f)
}

/// Runs `f` with at least [`RED_ZONE`] bytes of Rust stack left, moving to a new stack
/// segment when the thread's is nearly used up: however deep Python code recurses (up to
/// the recursion limit), the Rust stack never overflows, whatever thread the interpreter
/// runs on. Budget on the fast path: one comparison of the stack pointer.
#[inline]
pub(crate) fn guard_stack<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(RED_ZONE, STACK_SEGMENT, f)
}

/// The stack a Python frame may need before the next check: the evaluator's frame and the
/// operations it calls, sanitizer builds included.
const RED_ZONE: usize = 256 << 10;
/// The size of each new stack segment.
const STACK_SEGMENT: usize = 16 << 20;

/// `f(*args, **kwargs)`.
pub(crate) fn call(f: &PyRef, args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    let PyRef::O(o) = f else {
        return Err(not_callable(f));
    };
    match &o.kind {
        Kind::Function(func) => call_function(func, args, kwargs),
        Kind::Builtin(def, None) => (def.func)(args, kwargs),
        Kind::Builtin(def, Some(slf)) => (def.func)(&prepend(slf, args), kwargs),
        Kind::Method(func, slf) => call_move(func, &mut prepend(slf, args), kwargs),
        Kind::Type(_) => call_type(o, args, kwargs),
        _ => call_instance(f, args, kwargs),
    }
}

/// Calls `f` as a method of `slf` found on its type: binds it as attribute access would.
pub(crate) fn call_bound(f: &PyRef, slf: &PyRef, args: &[PyRef]) -> PyResult {
    match f.kind() {
        Some(Kind::Function(_)) | Some(Kind::Builtin(_, None)) => {
            call_move(f, &mut prepend(slf, args), &[])
        }
        Some(Kind::StaticMethod(inner)) => call(inner, args, &[]),
        Some(Kind::ClassMethod(inner)) => {
            call_move(inner, &mut prepend(&PyRef::O(type_of(slf)), args), &[])
        }
        _ => call(f, args, &[]),
    }
}

fn prepend(first: &PyRef, rest: &[PyRef]) -> Vec<PyRef> {
    let mut v = Vec::with_capacity(rest.len() + 1);
    v.push(first.clone());
    v.extend_from_slice(rest);
    v
}

#[cold]
fn not_callable(f: &PyRef) -> crate::error::PyErr {
    type_error(format!("'{}' object is not callable", type_name(f)))
}

fn call_instance(f: &PyRef, args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    let Some(m) = lookup(&type_of(f), "__call__") else {
        return Err(not_callable(f));
    };
    call(&m, &prepend(f, args), kwargs)
}

/// Calls a Python function: binds the arguments into a new frame and runs it (or makes a
/// generator).
pub(crate) fn call_function(func: &Func, args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    call_python(func, Args::Borrowed(args), kwargs)
}

/// `f(*args)` from the evaluator's stack: a Python function's parameters take the
/// arguments over instead of counting new references, as CPython moves them into the new
/// frame (so `sys.getrefcount` of an argument inside the callee matches CPython's).
pub(crate) fn call_move(f: &PyRef, args: &mut [PyRef], kwargs: Kwargs<'_>) -> PyResult {
    match f.kind() {
        Some(Kind::Function(func)) => call_python(func, Args::Moved(args), kwargs),
        _ => call(f, args, kwargs),
    }
}

/// Positional arguments, borrowed (cloned into the frame) or moved from the caller.
enum Args<'a> {
    Borrowed(&'a [PyRef]),
    Moved(&'a mut [PyRef]),
}

impl Args<'_> {
    fn len(&self) -> usize {
        match self {
            Args::Borrowed(a) => a.len(),
            Args::Moved(a) => a.len(),
        }
    }

    fn take(&mut self, i: usize) -> PyRef {
        match self {
            Args::Borrowed(a) => a[i].clone(),
            Args::Moved(a) => std::mem::replace(&mut a[i], val::null()),
        }
    }
}

/// Binds the arguments into a new frame and runs it, or makes a generator of it. The frame
/// stays where it is made and is lent to the evaluator (a `Frame` is some 200 bytes: moving it
/// through results and closures cost four `memcpy` calls per Python call).
fn call_python(func: &Func, args: Args<'_>, kwargs: Kwargs<'_>) -> PyResult {
    let mut frame = Frame::new(func.code.clone(), func.globals.clone(), None);
    bind(func, &mut frame, args, kwargs)?;
    if func.code.flags.generator {
        return Ok(vm::make_generator(frame, func));
    }
    with_depth_of(&func.code, || vm::run_function(&mut frame))
}

/// Fills a call's new frame: parameters from positional and keyword arguments, defaults,
/// `*args`, `**kwargs`, and the cells.
fn bind(func: &Func, frame: &mut Frame, mut args: Args<'_>, kwargs: Kwargs<'_>) -> PyResult<()> {
    let code = &func.code;
    let npos = code.argcount as usize;
    let n = args.len();
    let given = n.min(npos);
    if n > npos && !code.flags.varargs {
        return Err(too_many_positional(func, n, kwargs));
    }
    for i in 0..given {
        frame.fast[i] = Some(args.take(i));
    }
    if code.flags.varargs {
        let extra = (given..n).map(|i| args.take(i)).collect();
        frame.fast[code.argcount as usize + code.kwonlyargcount as usize] = Some(val::tuple(extra));
    }
    bind_keywords(func, frame, kwargs)?;
    fill_defaults(func, frame)?;
    make_cells(func, frame);
    Ok(())
}

fn bind_keywords(func: &Func, frame: &mut Frame, kwargs: Kwargs<'_>) -> PyResult<()> {
    let code = &func.code;
    let nkw = (code.argcount + code.kwonlyargcount) as usize;
    let varkw_slot = nkw + code.flags.varargs as usize;
    let extra = RefCell::new(Dict::new());
    for (k, v) in kwargs {
        let name = k.as_str().unwrap_or_default();
        let pos = (code.posonlyargcount as usize..nkw).find(|&i| &*code.varnames[i] == name);
        match pos {
            Some(i) if frame.fast[i].is_some() => {
                return Err(type_error(format!(
                    "{}() got multiple values for argument '{name}'",
                    qualname(func)
                )));
            }
            Some(i) => frame.fast[i] = Some(v.clone()),
            None if code.flags.varkw => dictops::set(&extra, k.clone(), v.clone())?,
            None => return Err(unexpected_keyword(func, name)),
        }
    }
    if code.flags.varkw {
        frame.fast[varkw_slot] = Some(val::dict(extra.into_inner()));
    }
    Ok(())
}

#[cold]
fn unexpected_keyword(func: &Func, name: &str) -> crate::error::PyErr {
    let code = &func.code;
    if code.varnames[..code.posonlyargcount as usize]
        .iter()
        .any(|n| &**n == name)
    {
        return type_error(format!(
            "{}() got some positional-only arguments passed as keyword arguments: '{name}'",
            qualname(func)
        ));
    }
    type_error(format!(
        "{}() got an unexpected keyword argument '{name}'",
        qualname(func)
    ))
}

fn qualname(func: &Func) -> Rc<str> {
    func.qualname.borrow().clone()
}

fn fill_defaults(func: &Func, frame: &mut Frame) -> PyResult<()> {
    let code = &func.code;
    let npos = code.argcount as usize;
    let defaults = func
        .defaults
        .borrow()
        .as_ref()
        .and_then(|d| d.as_tuple().map(<[PyRef]>::to_vec))
        .unwrap_or_default();
    let first_default = npos - defaults.len().min(npos);
    let mut missing = Vec::new();
    for i in 0..npos {
        if frame.fast[i].is_none() {
            match i.checked_sub(first_default) {
                Some(d) => frame.fast[i] = Some(defaults[d].clone()),
                None => missing.push(code.varnames[i].clone()),
            }
        }
    }
    if !missing.is_empty() {
        return Err(missing_args(func, "positional", &missing));
    }
    fill_kwdefaults(func, frame)
}

fn fill_kwdefaults(func: &Func, frame: &mut Frame) -> PyResult<()> {
    let code = &func.code;
    let kwd = func.kwdefaults.borrow().clone();
    let mut missing = Vec::new();
    for i in code.argcount as usize..(code.argcount + code.kwonlyargcount) as usize {
        if frame.fast[i].is_some() {
            continue;
        }
        let name = &code.varnames[i];
        let default = match kwd.as_ref().and_then(|d| d.as_dict()) {
            Some(d) => crate::types::dict_get_str(&d.borrow(), name),
            None => None,
        };
        match default {
            Some(v) => frame.fast[i] = Some(v),
            None => missing.push(name.clone()),
        }
    }
    if !missing.is_empty() {
        return Err(missing_args(func, "keyword-only", &missing));
    }
    Ok(())
}

#[cold]
fn missing_args(func: &Func, what: &str, names: &[Rc<str>]) -> crate::error::PyErr {
    let quoted: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    let list = match quoted.len() {
        1 => quoted[0].clone(),
        2 => format!("{} and {}", quoted[0], quoted[1]),
        n => format!("{}, and {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    };
    let s = if names.len() == 1 { "" } else { "s" };
    type_error(format!(
        "{}() missing {} required {what} argument{s}: {list}",
        qualname(func),
        names.len()
    ))
}

#[cold]
fn too_many_positional(func: &Func, given: usize, kwargs: Kwargs<'_>) -> crate::error::PyErr {
    let code = &func.code;
    let npos = code.argcount as usize;
    let ndef = func
        .defaults
        .borrow()
        .as_ref()
        .and_then(|d| d.as_tuple().map(<[PyRef]>::len))
        .unwrap_or(0);
    let takes = if ndef > 0 {
        format!("from {} to {npos}", npos - ndef)
    } else {
        npos.to_string()
    };
    let s = if npos == 1 && ndef == 0 { "" } else { "s" };
    let was = if given == 1 { "was" } else { "were" };
    let nkw = kwargs.len();
    let kw = if nkw > 0 {
        format!(
            " (and {nkw} keyword-only argument{})",
            if nkw == 1 { "" } else { "s" }
        )
    } else {
        String::new()
    };
    let _ = kw;
    type_error(format!(
        "{}() takes {takes} positional argument{s} but {given} {was} given",
        qualname(func)
    ))
}

fn make_cells(func: &Func, frame: &mut Frame) {
    let code = &func.code;
    if code.cellvars.is_empty() && code.freevars.is_empty() {
        return;
    }
    for arg in &code.cell2arg {
        let init = arg.and_then(|a| frame.fast[a as usize].clone());
        frame.cells.push(Obj::new(Kind::Cell(RefCell::new(init))));
    }
    frame.cells.extend(func.closure.iter().cloned());
}

/// Calls a class: `type(x)`, the built-in constructors, or `__new__` then `__init__`.
fn call_type(cls: &Gc<Obj>, args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    let t = tobj(cls);
    if Gc::ptr_eq(cls, types().get(BuiltinType::Type)) {
        return crate::builtins::type_call(args, kwargs);
    }
    if let Some(f) = user_new(cls) {
        let obj = call(&f, &prepend(&PyRef::O(cls.clone()), args), kwargs)?;
        return init_if_instance(cls, obj, args, kwargs);
    }
    if is_exception(cls) {
        let made = crate::special::os_error_class(cls, args);
        let obj = crate::error::new_exception(&made, args.to_vec());
        return init_if_instance(cls, obj, args, kwargs);
    }
    if let (Some(bt), None) = (t.payload, t.builtin) {
        let has_init = matches!(
            lookup(cls, "__init__").as_ref().and_then(PyRef::kind),
            Some(Kind::Function(_))
        );
        let base = if has_init {
            crate::builtins::construct(bt, &[], &[])?
        } else {
            crate::builtins::construct(bt, args, kwargs)?
        };
        let obj = new_instance(cls, Some(base));
        return init_if_instance(cls, obj, args, kwargs);
    }
    if let Some(bt) = t.builtin {
        return crate::builtins::construct(bt, args, kwargs);
    }
    let obj = new_instance(cls, None);
    init_if_instance(cls, obj, args, kwargs)
}

/// A `__new__` written in Python somewhere in the class's MRO.
fn user_new(cls: &Gc<Obj>) -> Option<PyRef> {
    match lookup(cls, "__new__")?.kind() {
        Some(Kind::StaticMethod(f)) => Some(f.clone()),
        Some(Kind::Function(_)) => lookup(cls, "__new__"),
        _ => None,
    }
}

fn init_if_instance(cls: &Gc<Obj>, obj: PyRef, args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    if !crate::types::is_subtype(&type_of(&obj), cls) {
        return Ok(obj);
    }
    match crate::types::lookup_override(cls, "__init__") {
        Some(init) => {
            let r = call(&init, &prepend(&obj, args), kwargs)?;
            if !r.is_none() {
                return Err(type_error(format!(
                    "__init__() should return None, not '{}'",
                    type_name(&r)
                )));
            }
            Ok(obj)
        }
        // object.__init__ rejects arguments unless `__new__` was overridden to take them.
        None if (!args.is_empty() || !kwargs.is_empty())
            && tobj(cls).payload.is_none()
            && user_new(cls).is_none() =>
        {
            Err(type_error(format!(
                "{}() takes no arguments",
                tobj(cls).name.borrow()
            )))
        }
        None => Ok(obj),
    }
}

fn is_exception(cls: &Gc<Obj>) -> bool {
    crate::types::is_subtype(cls, types().exc("BaseException"))
}

/// A new instance of the Python class `cls` (CPython's `object.__new__`), carrying `base`
/// as its payload when the class derives from a built-in container.
pub(crate) fn new_instance(cls: &Gc<Obj>, base: Option<PyRef>) -> PyRef {
    let t = tobj(cls);
    if is_exception(cls) {
        return crate::error::new_exception(cls, Vec::new());
    }
    let slots = t.slot_names.iter().map(|_| RefCell::new(None)).collect();
    let base = base.and_then(|b| match b {
        PyRef::O(o) => Gc::try_unwrap(o).ok().map(Box::new),
        PyRef::A(_) => None,
    });
    Obj::new(Kind::Instance(Instance {
        cls: cls.clone(),
        dict: t.has_dict.then(crate::obj::InstanceDict::new),
        slots,
        exc: None,
        base,
    }))
}

/// Runs a code object with its own namespace (module bodies, `exec`).
pub(crate) fn run_code(code: Rc<Code>, globals: Gc<Obj>, locals: Option<PyRef>) -> PyResult {
    let mut frame = Frame::new(code, globals, locals);
    with_depth(|| vm::run_function(&mut frame))
}
