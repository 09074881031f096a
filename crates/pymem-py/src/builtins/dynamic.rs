//! `exec()` and `eval()`: running source text (or a code object) in a namespace.
//!
//! The compiler makes module code only, so `eval(expr)` runs `<result name> = (expr)` in
//! the namespace and takes the value out again (a SyntaxError then shows that line).
//! Module code reads and binds names in its globals, so separate locals are merged into a
//! copy of them for the run.

use std::cell::RefCell;

use pymem::Gc;

use super::args::{Sig, bind, opt};
use crate::call::Kwargs;
use crate::error::{PyResult, err, type_error};
use crate::obj::{Atom, Kind, Obj, PyRef};
use crate::types::{dict_get_str, dict_set_str, type_name};
use crate::{call, dictops, ops, val};

/// The functions of this module, by Python name.
pub(super) const FUNCS: &[crate::obj::BuiltinDef] = &[
    crate::obj::BuiltinDef {
        name: "exec",
        func: exec,
    },
    crate::obj::BuiltinDef {
        name: "eval",
        func: eval,
    },
];

/// Where `eval` leaves its value.
const RESULT: &str = "__pymem_eval_result__";

/// `exec(source, globals=None, locals=None)`.
fn exec(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    const SIG: Sig = Sig {
        name: "exec",
        names: &["source", "globals", "locals"],
        posonly: 1,
        required: 1,
    };
    let a = bind(&SIG, args, kwargs)?;
    let source = a[0].clone().expect("required");
    let (globals, locals) = namespaces("exec", &a)?;
    run(&source, &globals, locals, "exec")?;
    Ok(val::none())
}

/// `eval(source, globals=None, locals=None)`.
fn eval(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    const SIG: Sig = Sig {
        name: "eval",
        names: &["source", "globals", "locals"],
        posonly: 1,
        required: 1,
    };
    let a = bind(&SIG, args, kwargs)?;
    let source = a[0].clone().expect("required");
    let (globals, locals) = namespaces("eval", &a)?;
    let Some(text) = source.as_str() else {
        return run(&source, &globals, locals, "eval").map(|()| val::none());
    };
    let wrapped = val::string(format!(
        "{RESULT} = ({})",
        text.trim_start_matches([' ', '\t'])
    ));
    run(&wrapped, &globals, locals.clone(), "eval")?;
    // The compiler may store a module-level name in the globals even with other locals.
    let key = val::str_(RESULT);
    for ns in locals.into_iter().chain([PyRef::O(globals)]) {
        if let Some(d) = ns.as_dict()
            && let Some(e) = dictops::remove(d, &key)?
        {
            return Ok(e.value);
        }
    }
    Err(err("SystemError", "eval() produced no value"))
}

/// The globals (a dict object) and locals of the call: the caller's when not given.
fn namespaces(name: &str, a: &[Option<PyRef>]) -> PyResult<(Gc<Obj>, Option<PyRef>)> {
    let (cur_globals, cur_locals) = match super::current_namespace() {
        Some(ns) => ns,
        None => return Err(err("SystemError", format!("{name}(): no frame is running"))),
    };
    let globals = match opt(&a[1]) {
        Some(PyRef::O(g)) if matches!(g.kind, Kind::Dict(_)) => g.clone(),
        Some(g) => {
            return Err(type_error(format!(
                "{name}() globals must be a dict, not {}",
                type_name(g)
            )));
        }
        None => cur_globals,
    };
    let locals = match (opt(&a[2]), opt(&a[1])) {
        (Some(l), _) => Some(l.clone()),
        (None, Some(_)) => None,
        (None, None) => cur_locals,
    };
    if let Kind::Dict(d) = &globals.kind
        && dict_get_str(&d.borrow(), "__builtins__").is_none()
    {
        dict_set_str(
            &mut d.borrow_mut(),
            val::str_("__builtins__"),
            super::builtins_dict(),
        );
    }
    Ok((globals, locals))
}

/// Runs a source string or a code object.
fn run(source: &PyRef, globals: &Gc<Obj>, locals: Option<PyRef>, name: &str) -> PyResult<()> {
    if let Some(Atom::Code(code)) = source.atom() {
        return call::run_code(code.clone(), globals.clone(), locals).map(drop);
    }
    let Some(text) = source.as_str() else {
        return Err(type_error(format!(
            "{name}() arg 1 must be a string, bytes or code object"
        )));
    };
    let separate = locals.filter(|l| !l.obj().is_some_and(|o| Gc::ptr_eq(o, globals)));
    match separate {
        Some(l) => run_with_locals(text, globals, &l),
        None => crate::interp::exec_source(text, "<string>", globals, false),
    }
}

/// Runs `text` with separate locals. Module code keeps its names in the globals, so it
/// runs in a copy of the globals updated with the locals, and what it bound is copied
/// into the locals afterwards (the globals stay as they were, even for names declared
/// `global`: a deviation).
fn run_with_locals(text: &str, globals: &Gc<Obj>, locals: &PyRef) -> PyResult<()> {
    let Kind::Dict(g) = &globals.kind else {
        return Err(type_error("globals must be a dict"));
    };
    let merged = RefCell::new(dictops::copy(g));
    for (k, v) in super::mapping_items(locals)? {
        dictops::set(&merged, k, v)?;
    }
    let PyRef::O(m) = val::dict(merged.into_inner()) else {
        unreachable!("a dict is tracked")
    };
    let r = crate::interp::exec_source(text, "<string>", &m, false);
    let Kind::Dict(md) = &m.kind else {
        unreachable!("made as a dict")
    };
    for (k, v) in dictops::items(md) {
        if !dictops::get(g, &k)?.is_some_and(|old| old.is(&v)) {
            ops::setitem(locals, &k, v)?;
        }
    }
    r
}
