//! (L3) The `gc` module: pymem's collector as CPython's `gc` presents it.
//!
//! `gc.callbacks` and `gc.garbage` are Python lists, as in CPython. One pymem callback,
//! registered when the module is made, serves both: after every collection it moves what
//! `DEBUG_SAVEALL` kept from pymem's list into `gc.garbage` (which then owns it, so that
//! `gc.garbage.clear()` releases it), and at each phase it calls the callables in
//! `gc.callbacks`, re-reading the list by index as CPython does.

use std::cell::RefCell;

use pymem::Object;
use pymem::gc::{CallbackInfo, DebugFlags, GcError, Phase};

use crate::dict::Dict;
use crate::error::{PyErr, PyResult, err, type_error, value_error};
use crate::obj::{Atom, BuiltinDef, Obj, PyRef};
use crate::{call, ops, types, val};

use super::referents::{Tracking, from_object, referents};
use super::{
    Kw, add_functions, arg, at_most, check_kw, fns, int_arg, new_module, no_args, one_arg, set_attr,
};

thread_local! {
    /// `gc.garbage` and `gc.callbacks`: the list objects the collector reports through,
    /// whatever the names are later bound to (CPython's `gcstate->garbage`, `->callbacks`).
    static LISTS: RefCell<Option<[PyRef; 2]>> = const { RefCell::new(None) };
    /// Saved garbage that is not a Python object, kept alive as `DEBUG_SAVEALL` asks.
    static OTHER_GARBAGE: RefCell<Vec<Object>> = const { RefCell::new(Vec::new()) };
}

/// The module's functions.
static FUNCTIONS: &[BuiltinDef] = fns![
    "collect" => collect,
    "enable" => enable,
    "disable" => disable,
    "isenabled" => isenabled,
    "get_count" => get_count,
    "get_threshold" => get_threshold,
    "set_threshold" => set_threshold,
    "get_stats" => get_stats,
    "get_objects" => get_objects,
    "get_referents" => get_referents,
    "get_referrers" => get_referrers,
    "is_tracked" => is_tracked,
    "is_finalized" => is_finalized,
    "freeze" => freeze,
    "unfreeze" => unfreeze,
    "get_freeze_count" => get_freeze_count,
    "set_debug" => set_debug,
    "get_debug" => get_debug,
];

/// Makes the `gc` module and registers its collector callback.
pub(crate) fn create() -> PyRef {
    let (module, d) = new_module(
        "gc",
        "This module provides access to the garbage collector for reference cycles.",
    );
    add_functions(&d, FUNCTIONS);
    let lists = [val::list(vec![]), val::list(vec![])];
    set_attr(&d, "garbage", lists[0].clone());
    set_attr(&d, "callbacks", lists[1].clone());
    add_flags(&d);
    let old = LISTS.with(|l| l.borrow_mut().replace(lists));
    drop(old);
    pymem::gc::add_callback(on_phase);
    module
}

/// The `DEBUG_*` constants.
fn add_flags(d: &pymem::Gc<Obj>) {
    let flags = [
        ("DEBUG_STATS", pymem::gc::DEBUG_STATS),
        ("DEBUG_COLLECTABLE", pymem::gc::DEBUG_COLLECTABLE),
        ("DEBUG_UNCOLLECTABLE", pymem::gc::DEBUG_UNCOLLECTABLE),
        ("DEBUG_SAVEALL", pymem::gc::DEBUG_SAVEALL),
        ("DEBUG_LEAK", pymem::gc::DEBUG_LEAK),
    ];
    for (name, flag) in flags {
        set_attr(d, name, val::int(flag.bits() as i64));
    }
}

/// `gc.garbage` (0) or `gc.callbacks` (1), if the module was made on this thread.
fn list(i: usize) -> Option<PyRef> {
    LISTS
        .try_with(|l| l.borrow().as_ref().map(|ls| ls[i].clone()))
        .ok()
        .flatten()
}

/// pymem's collection callback: the garbage first (the stop callbacks may look at it),
/// then `gc.callbacks`.
fn on_phase(phase: Phase, info: &CallbackInfo) {
    if !super::interpreter_alive() {
        return; // collections at thread teardown run without callbacks, as CPython's
    }
    if phase == Phase::Stop {
        sync_garbage();
        if info.generation == 2 {
            super::referents::forget_tracked_dicts();
        }
    }
    run_callbacks(phase, info);
}

/// Moves what `DEBUG_SAVEALL` saved from pymem's list to the end of `gc.garbage`.
fn sync_garbage() {
    let saved = pymem::gc::garbage();
    let Some(garbage) = list(0).filter(|_| !saved.is_empty()) else {
        return;
    };
    pymem::gc::clear_garbage(); // our snapshot holds every object: nothing is freed here
    let mut objs = Vec::new();
    let mut other = Vec::new();
    for o in saved {
        match o.into_gc::<Obj>() {
            Ok(gc) => objs.push(PyRef::O(gc)),
            Err(o) => other.push(o),
        }
    }
    if let Some(l) = garbage.as_list() {
        l.borrow_mut().extend(objs);
    }
    OTHER_GARBAGE.with(|g| g.borrow_mut().extend(other));
}

/// Calls each callable of `gc.callbacks` with `(phase, info)`; an exception is reported as
/// unraisable and the rest still run.
fn run_callbacks(phase: Phase, info: &CallbackInfo) {
    let Some(callbacks) = list(1) else { return };
    let Some(l) = callbacks.as_list() else { return };
    if l.borrow().is_empty() {
        return;
    }
    let args = [val::str_(phase.as_str()), info_dict(info)];
    for i in 0.. {
        // Read by index each time, with no borrow held while the callback runs: it may
        // change the list.
        let cb = l.borrow().get(i).cloned();
        let Some(cb) = cb else { break };
        if let Err(e) = call::call(&cb, &args, &[]) {
            crate::interp::write_unraisable(&e, Some(&cb));
        }
    }
}

/// The `info` dict: one object shared by a phase's callbacks, as in CPython.
fn info_dict(info: &CallbackInfo) -> PyRef {
    str_dict(&[
        ("generation", info.generation),
        ("collected", info.collected),
        ("uncollectable", info.uncollectable),
    ])
}

/// A dict of str keys and int values, in order.
fn str_dict(items: &[(&str, usize)]) -> PyRef {
    let mut d = Dict::new();
    for &(k, v) in items {
        drop(types::dict_set_str(
            &mut d,
            val::str_(k),
            val::int(v as i64),
        ));
    }
    val::dict(d)
}

/// Empties `gc.garbage` and `gc.callbacks` for the next program (`Interpreter::reset`): what
/// one program saved or registered must not outlive it.
pub(crate) fn reset() {
    sync_garbage();
    for i in 0..2 {
        let Some(l) = list(i) else { continue };
        let old = l.as_list().map(|l| std::mem::take(&mut *l.borrow_mut()));
        drop(old); // outside the borrow: dropping may run `__del__`
    }
    let other = OTHER_GARBAGE.with(|g| std::mem::take(&mut *g.borrow_mut()));
    drop(other);
}

/// What CPython prints at shutdown about `gc.garbage` (`_PyGC_DumpShutdownStats`), to be
/// called by the interpreter at exit: nothing under `DEBUG_SAVEALL` or with the list
/// empty; the `ResourceWarning` is ignored by CPython's default warning filters, so only
/// `DEBUG_UNCOLLECTABLE`'s listing of the objects shows.
pub(crate) fn shutdown_report() {
    sync_garbage();
    let Some(garbage) = list(0) else { return };
    let flags = pymem::gc::get_debug();
    let empty = garbage.as_list().is_none_or(|l| l.borrow().is_empty());
    if empty || flags.contains(DebugFlags::SAVEALL) || !flags.contains(DebugFlags::UNCOLLECTABLE) {
        return;
    }
    if let Ok(r) = ops::repr(&garbage) {
        super::sys::write_stderr(&format!("      {r}\n"));
    }
}

/// CPython's exception for a pymem `gc` error.
fn gc_error(e: GcError) -> PyErr {
    match e {
        GcError::ThresholdOverflow(_) => err("OverflowError", e.to_string()),
        _ => value_error(e.to_string()),
    }
}

// ---- Functions ------------------------------------------------------------------------

/// `gc.collect(generation=2)`: the number of unreachable objects found.
fn collect(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    check_kw("collect", kw, &["generation"])?;
    at_most("collect", args, 1)?;
    let g = match arg("collect", args, kw, 0, "generation")? {
        Some(g) => int_arg(&g)?,
        None => 2,
    };
    if !(0..=2).contains(&g) {
        return Err(value_error("invalid generation"));
    }
    let (found, freed_refs) =
        super::weakref::counting_freed_refs(|| pymem::gc::collect_generation(g as usize));
    let n = found.map_err(gc_error)?;
    sync_garbage();
    Ok(val::int((n + freed_refs) as i64))
}

/// `gc.enable()`.
fn enable(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    no_args("enable", args, kw)?;
    pymem::gc::enable();
    Ok(val::none())
}

/// `gc.disable()`.
fn disable(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    no_args("disable", args, kw)?;
    pymem::gc::disable();
    Ok(val::none())
}

/// `gc.isenabled()`.
fn isenabled(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    no_args("isenabled", args, kw)?;
    Ok(val::bool_(pymem::gc::isenabled()))
}

/// A tuple of three ints (`get_count`, `get_threshold`).
fn triple((a, b, c): (usize, usize, usize)) -> PyRef {
    val::tuple(vec![
        val::int(a as i64),
        val::int(b as i64),
        val::int(c as i64),
    ])
}

/// `gc.get_count()`.
fn get_count(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    no_args("get_count", args, kw)?;
    Ok(triple(pymem::gc::get_count()))
}

/// `gc.get_threshold()`.
fn get_threshold(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    no_args("get_threshold", args, kw)?;
    Ok(triple(pymem::gc::get_threshold()))
}

/// `gc.set_threshold(threshold0[, threshold1[, threshold2]])`: the thresholds not given
/// keep their values.
fn set_threshold(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    super::no_kw("set_threshold", kw)?;
    if args.is_empty() || args.len() > 3 {
        return Err(type_error("gc.set_threshold requires 1 to 3 arguments"));
    }
    let (t0, t1, t2) = pymem::gc::get_threshold();
    let mut t = [t0, t1, t2];
    for (slot, a) in t.iter_mut().zip(args) {
        *slot = threshold(a)?;
    }
    pymem::gc::set_threshold(t[0], t[1], t[2]).map_err(gc_error)?;
    Ok(val::none())
}

/// A threshold as a C `int`: too large is CPython's OverflowError; a negative one acts as
/// zero (CPython stores it, and never reaches it).
fn threshold(x: &PyRef) -> PyResult<usize> {
    let n = match x.atom() {
        Some(Atom::Big(_)) => return Err(gc_error(GcError::ThresholdOverflow(usize::MAX))),
        _ => int_arg(x)?,
    };
    Ok(n.max(0) as usize)
}

/// `gc.get_stats()`: one dict per generation.
fn get_stats(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    no_args("get_stats", args, kw)?;
    let stats = pymem::gc::get_stats().map(|s| {
        str_dict(&[
            ("collections", s.collections),
            ("collected", s.collected),
            ("uncollectable", s.uncollectable),
        ])
    });
    Ok(val::list(stats.into()))
}

/// `gc.get_objects(generation=None)`: the Python objects the collector tracks.
fn get_objects(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    check_kw("get_objects", kw, &["generation"])?;
    at_most("get_objects", args, 1)?;
    let g = match arg("get_objects", args, kw, 0, "generation")? {
        Some(g) if !g.is_none() => int_arg(&g)?,
        _ => -1,
    };
    if g < -1 {
        return Err(value_error("generation parameter cannot be negative"));
    }
    let generation = (g >= 0).then_some(g as usize);
    let objs = pymem::gc::get_objects(generation).map_err(gc_error)?;
    let found: Vec<PyRef> = objs
        .into_iter()
        .filter(|o| o.is::<Obj>())
        .filter_map(from_object)
        .collect();
    Ok(val::list(found))
}

/// `gc.get_referents(*objs)`.
fn get_referents(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    super::no_kw("get_referents", kw)?;
    let mut out = Vec::new();
    for x in args {
        referents(x, &mut out);
    }
    Ok(val::list(out))
}

/// `gc.get_referrers(*objs)`: the tracked objects that refer to any argument. Frames are
/// not heap objects here, so a function's locals do not show up as a referrer.
fn get_referrers(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    super::no_kw("get_referrers", kw)?;
    let targets: Vec<&dyn pymem::AsObject> = args.iter().map(as_object).collect();
    let found = pymem::gc::get_referrers(&targets);
    Ok(val::list(
        found.into_iter().filter_map(from_object).collect(),
    ))
}

/// The pymem object behind a Python object.
fn as_object(x: &PyRef) -> &dyn pymem::AsObject {
    match x {
        PyRef::A(a) => a,
        PyRef::O(o) => o,
    }
}

/// `gc.is_tracked(obj)`, with CPython's untracking of tuples and dicts that hold no
/// containers (see `referents::Tracking`).
fn is_tracked(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = one_arg("gc.is_tracked", args, kw)?;
    Ok(val::bool_(Tracking::default().is_tracked(x)))
}

/// `gc.is_finalized(obj)`: whether `__del__` (PEP 442) already ran for it.
fn is_finalized(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = one_arg("gc.is_finalized", args, kw)?;
    Ok(val::bool_(
        x.obj().is_some_and(|o| pymem::gc::is_finalized(o)),
    ))
}

/// `gc.freeze()`.
fn freeze(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    no_args("freeze", args, kw)?;
    pymem::gc::freeze();
    Ok(val::none())
}

/// `gc.unfreeze()`.
fn unfreeze(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    no_args("unfreeze", args, kw)?;
    pymem::gc::unfreeze();
    Ok(val::none())
}

/// `gc.get_freeze_count()`.
fn get_freeze_count(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    no_args("get_freeze_count", args, kw)?;
    Ok(val::int(pymem::gc::get_freeze_count() as i64))
}

/// `gc.set_debug(flags)`: the bits pymem knows are kept (CPython keeps any int).
fn set_debug(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let flags = int_arg(one_arg("set_debug", args, kw)?)?;
    pymem::gc::set_debug(DebugFlags::from_bits_truncate(flags as u32));
    Ok(val::none())
}

/// `gc.get_debug()`.
fn get_debug(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    no_args("get_debug", args, kw)?;
    Ok(val::int(pymem::gc::get_debug().bits() as i64))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gc_fn(name: &str, args: &[PyRef]) -> PyResult {
        super::super::builtin_module("gc");
        let f = super::super::module_attr("gc", name).expect("gc function");
        call::call(&f, args, &[])
    }

    #[test]
    fn thresholds_are_a_tuple() {
        let t = gc_fn("get_threshold", &[]).unwrap();
        assert_eq!(t.as_tuple().map(<[PyRef]>::len), Some(3));
        gc_fn("set_threshold", &[val::int(500)]).unwrap();
        let t = gc_fn("get_threshold", &[]).unwrap();
        assert_eq!(t.as_tuple().unwrap()[0].as_i64(), Some(500));
        assert!(gc_fn("set_threshold", &[]).is_err());
        gc_fn(
            "set_threshold",
            &[val::int(2000), val::int(10), val::int(10)],
        )
        .unwrap();
    }

    #[test]
    fn collect_finds_a_self_cycle() {
        gc_fn("collect", &[]).unwrap();
        let l = val::list(vec![]);
        l.as_list().unwrap().borrow_mut().push(l.clone());
        drop(l);
        assert_eq!(gc_fn("collect", &[]).unwrap().as_i64(), Some(1));
        assert!(gc_fn("collect", &[val::int(3)]).is_err());
    }

    #[test]
    fn saveall_moves_garbage_to_the_python_list() {
        gc_fn("collect", &[]).unwrap();
        gc_fn("set_debug", &[val::int(32)]).unwrap();
        let l = val::list(vec![]);
        l.as_list().unwrap().borrow_mut().push(l.clone());
        drop(l);
        gc_fn("collect", &[]).unwrap();
        gc_fn("set_debug", &[val::int(0)]).unwrap();
        let garbage = list(0).unwrap();
        assert_eq!(garbage.as_list().unwrap().borrow().len(), 1);
        assert!(pymem::gc::garbage().is_empty());
        let old = std::mem::take(&mut *garbage.as_list().unwrap().borrow_mut());
        drop(old);
        assert_eq!(gc_fn("collect", &[]).unwrap().as_i64(), Some(1));
    }

    #[test]
    fn stats_have_cpythons_keys() {
        let s = gc_fn("get_stats", &[]).unwrap();
        let first = s.as_list().unwrap().borrow()[0].clone();
        let keys = crate::dictops::keys(first.as_dict().unwrap());
        let names: Vec<&str> = keys.iter().filter_map(PyRef::as_str).collect();
        assert_eq!(names, ["collections", "collected", "uncollectable"]);
    }
}
