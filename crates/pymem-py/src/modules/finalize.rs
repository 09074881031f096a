//! (L3) `weakref.finalize(obj, func, /, *args, **kwargs)` on pymem's finalizers.
//!
//! pymem keeps each registration alive until it runs or is detached, whatever becomes of
//! the Python `finalize` object (CPython's `finalize._registry`); so do the function and
//! its arguments, which the registration's closure owns (a root, as CPython's registry
//! is). The Python object reaches its registration through an attached [`Entry`];
//! [`run_exit_finalizers`] runs the `atexit` ones at interpreter exit.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use pymem::weakref::Finalizer;

use crate::error::{PyResult, type_error};
use crate::obj::{Obj, PyRef};
use crate::types::type_name;
use crate::{call, ops, val};

use super::weakref::weakrefable;
use super::{ClassSpec, Kw, Prop, attach_native, fns, native, new_object, receiver};

/// What the function is called with.
#[derive(Clone)]
struct Call {
    func: PyRef,
    args: Vec<PyRef>,
    kwargs: Vec<(PyRef, PyRef)>,
}

/// A registration: pymem's finalizer, and the call it makes (taken when it runs or is
/// detached, so that it is released then).
struct Entry {
    fin: Finalizer<Obj, Option<PyResult>>,
    call: Rc<RefCell<Option<Call>>>,
    /// Set while the program calls the finalizer: its exception then propagates; when the
    /// referent's death runs it, the exception is reported as unraisable.
    explicit: Rc<Cell<bool>>,
}

thread_local! {
    /// Every registration made on this thread, oldest first, until it is no longer alive.
    static ENTRIES: RefCell<Vec<Rc<Entry>>> = const { RefCell::new(Vec::new()) };
    /// The exit pass ran (CPython's `finalize._shutdown`): from then on a finalizer whose
    /// referent dies, or that is called, only detaches.
    static SHUT_DOWN: Cell<bool> = const { Cell::new(false) };
}

/// `weakref.finalize`.
pub(crate) static FINALIZE: ClassSpec = ClassSpec {
    name: "finalize",
    module: "weakref",
    methods: fns![
        "__call__" => call_finalizer,
        "__init__" => init,
        "detach" => detach,
        "peek" => peek,
        "__repr__" => repr,
    ],
    statics: fns!["__new__" => new],
    props: &[
        Prop::ro("alive", alive),
        Prop::rw("atexit", atexit, set_atexit),
    ],
    slots: &[],
    has_dict: false,
    base: None,
};

/// Runs the call; an exception is reported unless the program made the call. `None` when
/// there is nothing to run, or when pymem's exit pass runs it at thread teardown, too late
/// for Python code.
fn run(call: &RefCell<Option<Call>>, explicit: &Cell<bool>) -> Option<PyResult> {
    if !super::interpreter_alive() {
        return None;
    }
    let c = call.borrow_mut().take()?;
    if SHUT_DOWN.try_with(Cell::get).unwrap_or(true) {
        drop(c); // released, not called: the program is ending
        return None;
    }
    let r = call::call(&c.func, &c.args, &c.kwargs);
    if let (Err(e), false) = (&r, explicit.get()) {
        crate::interp::write_unraisable(e, Some(&c.func));
    }
    Some(r)
}

/// `finalize(obj, func, /, *args, **kwargs)` (`__new__`, called with the class first).
fn new(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let [PyRef::O(cls), obj, func, rest @ ..] = args else {
        return Err(missing(args.len()));
    };
    let target = weakrefable(obj)?;
    let call = Rc::new(RefCell::new(Some(Call {
        func: func.clone(),
        args: rest.to_vec(),
        kwargs: kw.to_vec(),
    })));
    let explicit = Rc::new(Cell::new(false));
    let (c, e) = (call.clone(), explicit.clone());
    let fin = pymem::weakref::finalize(target, move || run(&c, &e));
    let entry = Rc::new(Entry {
        fin,
        call,
        explicit,
    });
    let x = new_object(cls);
    attach_native(&x, entry.clone());
    remember(entry);
    Ok(x)
}

/// Adds a registration to [`ENTRIES`], forgetting those that ran or were detached.
fn remember(entry: Rc<Entry>) {
    let finished = ENTRIES.with(|es| {
        let mut es = es.borrow_mut();
        let finished = es.extract_if(.., |e| !e.fin.alive()).collect::<Vec<_>>();
        es.push(entry);
        finished
    });
    drop(finished); // outside the borrow
}

/// CPython's error for too few arguments to `finalize`.
#[cold]
fn missing(n: usize) -> crate::error::PyErr {
    match n {
        0 | 1 => type_error("finalize.__new__(): not enough arguments"),
        2 => type_error(
            "finalize.__init__() missing 2 required positional arguments: 'obj' and 'func'",
        ),
        _ => type_error("finalize.__init__() missing 1 required positional argument: 'func'"),
    }
}

/// `__init__`: `__new__` did the work.
fn init(_args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    Ok(val::none())
}

/// The registration of the `finalize` object a method was called on.
fn entry(method: &str, args: &[PyRef]) -> PyResult<Rc<Entry>> {
    let x = receiver(&FINALIZE, method, args)?;
    native::<Entry>(x).ok_or_else(|| type_error("finalize object is not initialized"))
}

/// `f()`: runs the function if alive, returning its result; `None` afterwards.
fn call_finalizer(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let e = entry("__call__", args)?;
    e.explicit.set(true);
    let r = e.fin.call().flatten();
    e.explicit.set(false);
    r.unwrap_or_else(|| Ok(val::none()))
}

/// `(obj, func, args, kwargs)` of a live registration.
fn info(obj: PyRef, c: &Call) -> PyRef {
    let kwargs = crate::dict::Dict::new();
    let kwargs = val::dict(kwargs);
    if let Some(d) = kwargs.as_dict() {
        for (k, v) in &c.kwargs {
            let old = crate::types::dict_set_str(&mut d.borrow_mut(), k.clone(), v.clone());
            drop(old);
        }
    }
    val::tuple(vec![
        obj,
        c.func.clone(),
        val::tuple(c.args.clone()),
        kwargs,
    ])
}

/// `f.detach()`: unregisters and returns `(obj, func, args, kwargs)` if alive, else `None`.
fn detach(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let e = entry("detach", args)?;
    let Some((obj, func)) = e.fin.detach() else {
        return Ok(val::none());
    };
    drop(func);
    let c = e.call.borrow_mut().take();
    Ok(c.map_or_else(val::none, |c| info(PyRef::O(obj), &c)))
}

/// `f.peek()`: `(obj, func, args, kwargs)` if alive, else `None`.
fn peek(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let e = entry("peek", args)?;
    let Some(obj) = e.fin.peek() else {
        return Ok(val::none());
    };
    let c = e.call.borrow().clone(); // not borrowed while `info` allocates
    Ok(c.map_or_else(val::none, |c| info(PyRef::O(obj), &c)))
}

/// `f.alive`.
fn alive(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    Ok(val::bool_(entry("alive", args)?.fin.alive()))
}

/// `f.atexit`.
fn atexit(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    Ok(val::bool_(entry("atexit", args)?.fin.atexit()))
}

/// `f.atexit = value`.
fn set_atexit(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let e = entry("atexit", args)?;
    let value = args
        .get(1)
        .ok_or_else(|| type_error("can't delete attribute"))?;
    e.fin.set_atexit(ops::truthy(value)?);
    Ok(val::none())
}

/// `<finalize object at 0x...; for 'Resource' at 0x...>`, or `; dead>`.
fn repr(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let x = receiver(&FINALIZE, "__repr__", args)?;
    let obj = native::<Entry>(x).and_then(|e| e.fin.peek()).map(PyRef::O);
    let what = match obj {
        Some(o) => format!("for '{}' at {:#x}", type_name(&o), o.id()),
        None => "dead".to_owned(),
    };
    Ok(val::string(format!(
        "<finalize object at {:#x}; {what}>",
        x.id()
    )))
}

/// Interpreter exit (CPython's `finalize._exitfunc`): the live finalizers with `atexit`
/// set run, newest first, with automatic collection off, including any registered
/// meanwhile; exceptions are reported and the rest still run. The others never run.
pub(crate) fn run_exit_finalizers() {
    let enabled = pymem::gc::isenabled();
    pymem::gc::disable();
    while let Some(e) = next_due() {
        drop(e.fin.call());
    }
    SHUT_DOWN.with(|s| s.set(true));
    if enabled {
        pymem::gc::enable();
    }
}

/// The newest live registration that runs at exit, if any.
fn next_due() -> Option<Rc<Entry>> {
    let due = |e: &&Rc<Entry>| e.fin.alive() && e.fin.atexit();
    ENTRIES
        .try_with(|es| es.borrow().iter().rev().find(due).cloned())
        .ok()
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::super::class_of;
    use super::*;
    use crate::obj::BuiltinDef;

    thread_local! {
        static CALLS: Cell<usize> = const { Cell::new(0) };
    }

    /// A function that counts its calls.
    fn count(_args: &[PyRef], _kw: Kw<'_>) -> PyResult {
        CALLS.with(|c| c.set(c.get() + 1));
        Ok(val::int(7))
    }

    static COUNT: BuiltinDef = BuiltinDef {
        name: "count",
        func: count,
    };

    fn finalizer(target: &PyRef) -> PyRef {
        let cls = PyRef::O(class_of(&FINALIZE));
        let func = Obj::new(crate::obj::Kind::Builtin(&COUNT, None));
        new(&[cls, target.clone(), func], &[]).unwrap()
    }

    fn target() -> PyRef {
        Obj::new(crate::obj::Kind::Set(
            RefCell::new(crate::dict::Dict::new()),
            false,
        ))
    }

    #[test]
    fn runs_once_at_death() {
        let t = target();
        let f = finalizer(&t);
        let before = CALLS.with(Cell::get);
        assert!(ops::truthy(&alive(std::slice::from_ref(&f), &[]).unwrap()).unwrap());
        drop(t);
        assert_eq!(CALLS.with(Cell::get), before + 1);
        assert!(!ops::truthy(&alive(std::slice::from_ref(&f), &[]).unwrap()).unwrap());
        assert!(call_finalizer(&[f], &[]).unwrap().is_none());
    }

    #[test]
    fn a_call_returns_the_result_and_detach_unregisters() {
        let t = target();
        let f = finalizer(&t);
        assert_eq!(
            call_finalizer(std::slice::from_ref(&f), &[])
                .unwrap()
                .as_i64(),
            Some(7)
        );
        let g = finalizer(&t);
        let info = detach(std::slice::from_ref(&g), &[]).unwrap();
        assert_eq!(info.as_tuple().map(<[PyRef]>::len), Some(4));
        assert!(detach(&[g], &[]).unwrap().is_none());
    }

    #[test]
    fn exit_runs_the_atexit_ones() {
        let t = target();
        let _f = finalizer(&t);
        let quiet = finalizer(&t);
        set_atexit(&[quiet, val::bool_(false)], &[]).unwrap();
        let before = CALLS.with(Cell::get);
        run_exit_finalizers();
        assert_eq!(CALLS.with(Cell::get), before + 1);
    }
}
