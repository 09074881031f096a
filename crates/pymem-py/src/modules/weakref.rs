//! (L3) The `weakref` module: `ref` objects on pymem's weak references, their counts,
//! and the weak containers and `finalize` (in `weakdict`, `weakset`, `finalize`).
//!
//! A `ref` object (`Kind::WeakRef`) holds a `pymem::Weak` to its referent. The
//! callback-less ref of the exact type shares pymem's shared node, so `ref(o) is ref(o)`
//! and `getweakrefcount` counts it once; every other ref (with a callback, or of a
//! subclass) has a node of its own whose pymem callback calls the Python callback with the
//! ref object. That closure holds the ref object weakly: a strong handle would be a
//! reference the collector cannot see. pymem's nodes do not point back to our ref objects,
//! so a table by referent id remembers them, for `getweakrefs` and for the sharing.

use std::cell::{Cell, OnceCell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use pymem::Gc;

use crate::error::{PyResult, type_error};
use crate::obj::{BuiltinDef, Kind, Obj, PyRef, WeakRefObj};
use crate::types::{BuiltinType, tobj, type_name, types};
use crate::{call, val};

use super::{Kw, add_functions, class_of, fns, new_module, one_arg, set_attr};

thread_local! {
    /// The ref objects made by `ref()`, by the id of their referent. Entries whose ref
    /// died are dropped as the table is used; a referent's id may be reused after it
    /// died, so lookups also check that the ref still points to the object asked about.
    static REFS: RefCell<HashMap<usize, Vec<pymem::Weak<Obj>>>> = RefCell::new(HashMap::new());
    /// The ref objects whose callbacks are due, by the id of their dead referent, held
    /// until their callbacks ran ([`hold_due`]).
    static DUE: RefCell<HashMap<usize, Vec<Gc<Obj>>>> = RefCell::new(HashMap::new());
    /// Ref objects freed as their callbacks, run by the collector, ended (for `gc.collect`).
    static FREED_AFTER_CALLBACK: Cell<usize> = const { Cell::new(0) };
    /// The table's size after its last full pruning.
    static PRUNED_AT: Cell<usize> = const { Cell::new(64) };
}

/// The module's functions.
static FUNCTIONS: &[BuiltinDef] = fns![
    "getweakrefcount" => getweakrefcount,
    "getweakrefs" => getweakrefs,
];

/// The methods of `weakref.ReferenceType`, for its type dict (each stored as
/// `Kind::Builtin(&def, None)`): calling a ref, and `__init__` (which has nothing left to
/// do once `__new__` made the ref).
pub(crate) static REF_METHODS: &[BuiltinDef] = fns![
    "__call__" => ref_call,
    "__init__" => ref_init,
];

/// The static methods of `weakref.ReferenceType` (each stored as
/// `Kind::StaticMethod(Kind::Builtin(&def, None))`): `__new__`, which makes refs of the
/// type and of its subclasses.
pub(crate) static REF_STATIC_METHODS: &[BuiltinDef] = fns!["__new__" => ref_new];

/// `ref.__callback__`, a property of `weakref.ReferenceType`.
static CALLBACK: BuiltinDef = BuiltinDef {
    name: "__callback__",
    func: ref_callback,
};

/// Makes the `weakref` module, and gives `weakref.ReferenceType` its methods if the
/// interpreter has not already.
pub(crate) fn create() -> PyRef {
    let (module, d) = new_module(
        "weakref",
        "Support for weak references and weak dictionaries.",
    );
    add_functions(&d, FUNCTIONS);
    install_ref_methods();
    let ref_type = PyRef::O(types().get(BuiltinType::WeakRef).clone());
    set_attr(&d, "ref", ref_type.clone());
    set_attr(&d, "ReferenceType", ref_type);
    let classes = [
        ("finalize", &super::finalize::FINALIZE),
        ("WeakValueDictionary", &super::weakdict::WEAK_VALUE_DICT),
        ("WeakKeyDictionary", &super::weakdict::WEAK_KEY_DICT),
        ("WeakSet", &super::weakset::WEAK_SET),
    ];
    for (name, spec) in classes {
        set_attr(&d, name, PyRef::O(class_of(spec)));
    }
    module
}

/// Puts [`REF_METHODS`], [`REF_STATIC_METHODS`] and `__callback__` into the dict of
/// `weakref.ReferenceType` (each unless already there).
fn install_ref_methods() {
    let t = tobj(types().get(BuiltinType::WeakRef));
    put_missing(t, "__callback__", || {
        let getter = Obj::new(Kind::Builtin(&CALLBACK, None));
        Obj::new(Kind::Property(Box::new([Some(getter), None, None])))
    });
    for def in REF_METHODS {
        put_missing(t, def.name, || Obj::new(Kind::Builtin(def, None)));
    }
    for def in REF_STATIC_METHODS {
        put_missing(t, def.name, || {
            Obj::new(Kind::StaticMethod(Obj::new(Kind::Builtin(def, None))))
        });
    }
}

/// `t.name = make()` unless the type already has `name`.
fn put_missing(t: &crate::obj::TypeObj, name: &str, make: impl FnOnce() -> PyRef) {
    if crate::types::dict_get_str(&t.dict.borrow(), name).is_some() {
        return;
    }
    let value = make();
    let old = crate::types::dict_set_str(&mut t.dict.borrow_mut(), val::str_(name), value);
    crate::types::type_modified();
    drop(old);
}

/// The object itself if it can be weakly referenced: functions, classes, sets, generators,
/// methods, modules, and instances of classes that have `__weakref__` (no `__slots__`, or
/// `__weakref__` among them). Otherwise CPython's TypeError.
pub(crate) fn weakrefable(x: &PyRef) -> PyResult<&Gc<Obj>> {
    let ok = match x.kind() {
        Some(Kind::Instance(i)) => tobj(&i.cls).has_weakref,
        Some(
            Kind::Type(_)
            | Kind::Function(_)
            | Kind::Set(..)
            | Kind::Generator(_)
            | Kind::Method(..)
            | Kind::Builtin(..)
            | Kind::Module(_),
        ) => true,
        _ => false,
    };
    match (ok, x.obj()) {
        (true, Some(o)) => Ok(o),
        _ => Err(type_error(format!(
            "cannot create weak reference to '{}' object",
            type_name(x)
        ))),
    }
}

/// The weak reference a ref object (or an instance of a subclass of `ref`) carries.
pub(crate) fn payload(w: &PyRef) -> Option<&WeakRefObj> {
    match w.payload() {
        Some(Kind::WeakRef(r)) => Some(r),
        _ => None,
    }
}

/// Calling a ref: the referent, or `None` once it is dead.
pub(crate) fn call_weakref(w: &PyRef) -> PyRef {
    payload(w)
        .and_then(|r| r.target.upgrade())
        .map_or_else(val::none, PyRef::O)
}

/// Whether the ref's referent is alive, without touching its count.
pub(crate) fn is_alive(w: &PyRef) -> bool {
    payload(w).is_some_and(|r| r.target.strong_count() > 0)
}

/// `ref.__callback__`: the callback, `None` if there is none or once the referent died by
/// its count reaching zero; `None` (no such attribute) for other objects.
pub(crate) fn callback_attr(w: &PyRef) -> Option<PyRef> {
    let r = payload(w)?;
    Some(r.callback.borrow().clone().unwrap_or_else(val::none))
}

/// `obj.__weakref__`: the first weak reference to `obj` (the shared callback-less one if it
/// exists), or `None`.
pub(crate) fn weakref_attr(obj: &PyRef) -> PyRef {
    refs_to(obj).into_iter().next().unwrap_or_else(val::none)
}

/// `cls.__weakref__` for a class whose instances are weakly referenceable: a property
/// (standing in for CPython's getset descriptor) whose getter is [`weakref_attr`].
pub(crate) fn weakref_descriptor() -> PyRef {
    let getter = Obj::new(Kind::Builtin(&WEAKREF_GETTER, None));
    Obj::new(Kind::Property(Box::new([Some(getter), None, None])))
}

/// The getter of [`weakref_descriptor`].
static WEAKREF_GETTER: BuiltinDef = BuiltinDef {
    name: "__weakref__",
    func: weakref_getter,
};

/// `obj.__weakref__` through the class's descriptor.
fn weakref_getter(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    match args.first() {
        Some(obj) => Ok(weakref_attr(obj)),
        None => Err(type_error("descriptor '__weakref__' needs an argument")),
    }
}

/// `ref(obj[, callback])` for the exact type, or for a subclass `cls`: the shared ref when
/// there is no callback and `cls` is `ref` itself.
pub(crate) fn new_ref(cls: &Gc<Obj>, target: &Gc<Obj>, callback: Option<PyRef>) -> PyRef {
    let exact = Gc::ptr_eq(cls, types().get(BuiltinType::WeakRef));
    let shared = exact && callback.is_none();
    if shared && let Some(r) = shared_ref(target) {
        return r;
    }
    let this: Rc<OnceCell<pymem::Weak<Obj>>> = Rc::default();
    let weak = match shared {
        true => Gc::downgrade(target),
        false => pymem::Weak::with_callback(target, on_death(this.clone(), Gc::id(target))),
    };
    let obj = match exact {
        true => ref_object(weak, callback),
        false => call::new_instance(cls, Some(ref_object(weak, callback))),
    };
    if let Some(o) = obj.obj() {
        let _ = this.set(Gc::downgrade(o));
        register(target, o);
    }
    obj
}

/// A ref object for the weak containers: no Python callback, its own pymem node, and
/// `on_death` run when the referent dies (while the ref object lives). Not listed by
/// `getweakrefs`, but counted by `getweakrefcount`, as CPython counts the containers'
/// refs.
pub(crate) fn internal_ref(target: &Gc<Obj>, on_death: impl FnOnce() + 'static) -> PyRef {
    ref_object(
        pymem::Weak::with_callback(target, move |_| on_death()),
        None,
    )
}

/// A new ref object (of the exact type) over `target`.
fn ref_object(target: pymem::Weak<Obj>, callback: Option<PyRef>) -> PyRef {
    let w = WeakRefObj {
        target,
        callback: RefCell::new(callback),
        hash: Cell::new(None),
    };
    Obj::new(Kind::WeakRef(w))
}

/// The pymem callback of a ref with its own node: the Python callback, called with the
/// ref object if that is still alive (CPython skips the callbacks of dead refs). The refs
/// whose callbacks are due with it are held until theirs ran ([`hold_due`]).
fn on_death(
    this: Rc<OnceCell<pymem::Weak<Obj>>>,
    target_id: usize,
) -> impl FnOnce(&pymem::Weak<Obj>) + 'static {
    move |node| {
        if !super::interpreter_alive() {
            return; // freed at thread teardown, when no Python code may run
        }
        let keep = node.has_callback();
        let me = this.get().and_then(pymem::Weak::upgrade);
        let released = hold_due(target_id, keep, me.as_ref());
        let Some(wr) = me else { return };
        let wr = PyRef::O(wr);
        run_callback(&wr, keep);
        drop(released);
        if keep && wr.obj().is_some_and(|o| Gc::ref_count(o) == 1) {
            // CPython's `handle_weakrefs` counts a ref freed as its callback ends.
            FREED_AFTER_CALLBACK.with(|n| n.set(n.get() + 1));
        }
    }
}

/// Runs a collection (`collect`) and returns its result and the number of ref objects
/// freed when their callbacks, run by it, ended (CPython counts those as collected).
pub(crate) fn counting_freed_refs<T>(collect: impl FnOnce() -> T) -> (T, usize) {
    let outer = FREED_AFTER_CALLBACK.with(|n| n.replace(0));
    let found = collect();
    let freed = FREED_AFTER_CALLBACK.with(|n| n.replace(outer));
    (found, freed)
}

/// CPython calls a dead object's callbacks from a list that holds each ref, so a callback
/// that drops another ref of the same referent does not stop that ref's callback. pymem
/// keeps only the nodes; this keeps the ref objects. The first callback of `target_id`
/// to run holds the other due refs; each later one lets its own go (returned, to be
/// dropped outside the table's borrow). `keep`: the collector took the callbacks, so a
/// due node still reports a callback (at a death by count it reports none).
fn hold_due(target_id: usize, keep: bool, me: Option<&Gc<Obj>>) -> Vec<Gc<Obj>> {
    let is_me = |o: &Gc<Obj>| me.is_some_and(|m| Gc::ptr_eq(m, o));
    let held = DUE.with(|d| {
        let mut d = d.borrow_mut();
        let list = d.get_mut(&target_id)?;
        let mine: Vec<Gc<Obj>> = list.extract_if(.., |o| is_me(o)).collect();
        if list.is_empty() {
            d.remove(&target_id);
        }
        Some(mine)
    });
    if let Some(mine) = held {
        return mine;
    }
    let (due, rest): (Vec<Gc<Obj>>, Vec<Gc<Obj>>) = take_dead_refs(target_id)
        .into_iter()
        .partition(|o| !is_me(o) && is_due(o, keep));
    if !due.is_empty() {
        // There was no entry (checked above): nothing is replaced, so nothing is dropped
        // inside the borrow.
        let replaced = DUE.with(|d| d.borrow_mut().insert(target_id, due));
        drop(replaced);
    }
    rest
}

/// Whether the ref object `o`, whose referent just died, has a callback still to run.
fn is_due(o: &Gc<Obj>, keep: bool) -> bool {
    let Kind::WeakRef(w) = &o.kind else {
        return false;
    };
    w.callback.borrow().is_some() && w.target.has_callback() == keep
}

/// Takes out of the table the live ref objects registered under `target_id` whose
/// referent is dead (so that a later object with the same id does not meet them).
fn take_dead_refs(target_id: usize) -> Vec<Gc<Obj>> {
    let handles = REFS.with(|t| {
        let mut t = t.borrow_mut();
        let refs = t.get_mut(&target_id)?;
        let dead: Vec<_> = refs
            .extract_if(.., |w| w.upgrade().is_none_or(|o| !is_alive(&PyRef::O(o))))
            .collect();
        Some(dead)
    });
    handles
        .unwrap_or_default()
        .iter()
        .filter_map(pymem::Weak::upgrade)
        .collect()
}

/// Calls a ref's callback. At death by count CPython clears `__callback__` first; when the
/// collector frees the referent it leaves it set (`keep`).
fn run_callback(wr: &PyRef, keep: bool) {
    let Some(w) = payload(wr) else { return };
    let cb = match keep {
        true => w.callback.borrow().clone(),
        false => w.callback.borrow_mut().take(),
    };
    let Some(cb) = cb else { return };
    if let Err(e) = call::call(&cb, std::slice::from_ref(wr), &[]) {
        crate::interp::write_unraisable(&e, Some(&cb));
    }
}

// ---- The table of ref objects ---------------------------------------------------------

/// Remembers `wr` as a ref to `target`, dropping the entries of refs that died.
fn register(target: &Gc<Obj>, wr: &Gc<Obj>) {
    let handle = Gc::downgrade(wr);
    let dropped = REFS.with(|t| {
        let mut t = t.borrow_mut();
        let refs = t.entry(Gc::id(target)).or_default();
        let dead = refs
            .extract_if(.., |w| w.strong_count() == 0)
            .collect::<Vec<_>>();
        refs.push(handle);
        (dead, prune(&mut t))
    });
    drop(dropped);
}

/// Drops the referents whose refs all died, each time the table doubled.
fn prune(t: &mut HashMap<usize, Vec<pymem::Weak<Obj>>>) -> Vec<Vec<pymem::Weak<Obj>>> {
    if t.len() < 2 * PRUNED_AT.get() {
        return Vec::new();
    }
    let dead: Vec<usize> = t
        .iter()
        .filter(|(_, v)| v.iter().all(|w| w.strong_count() == 0))
        .map(|(k, _)| *k)
        .collect();
    let removed = dead.iter().filter_map(|k| t.remove(k)).collect();
    PRUNED_AT.set(t.len().max(64));
    removed
}

/// The live ref objects made by `ref()` whose referent is `target`, in creation order.
fn registered(target: &Gc<Obj>) -> Vec<PyRef> {
    let handles = REFS.with(|t| t.borrow().get(&Gc::id(target)).cloned().unwrap_or_default());
    let refs = handles
        .iter()
        .filter_map(pymem::Weak::upgrade)
        .map(PyRef::O);
    refs.filter(|r| {
        payload(r)
            .and_then(|w| w.target.upgrade())
            .is_some_and(|o| Gc::ptr_eq(&o, target))
    })
    .collect()
}

/// The shared callback-less ref to `target`, if one is alive.
fn shared_ref(target: &Gc<Obj>) -> Option<PyRef> {
    let exact =
        |r: &PyRef| matches!(r.kind(), Some(Kind::WeakRef(w)) if w.callback.borrow().is_none());
    registered(target).into_iter().find(exact)
}

/// The ref objects to `obj` in CPython's list order (the shared one first, then the
/// newest); `[]` for an object that cannot be weakly referenced.
fn refs_to(obj: &PyRef) -> Vec<PyRef> {
    let Ok(target) = weakrefable(obj) else {
        return Vec::new();
    };
    let ours = registered(target);
    let nodes = pymem::weakref::getweakrefs(target);
    let same = |r: &PyRef, n: &pymem::Weak<Obj>| {
        payload(r).is_some_and(|w| pymem::Weak::ptr_eq(&w.target, n))
    };
    nodes
        .iter()
        .filter_map(|n| ours.iter().find(|r| same(r, n)).cloned())
        .collect()
}

// ---- Functions ------------------------------------------------------------------------

/// `weakref.getweakrefcount(obj)`: the weak reference objects to `obj` (0 for an object
/// that cannot be weakly referenced).
fn getweakrefcount(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = one_arg("_weakref.getweakrefcount", args, kw)?;
    let n = weakrefable(x).map_or(0, |o| pymem::weakref::getweakrefcount(o));
    Ok(val::int(n as i64))
}

/// `weakref.getweakrefs(obj)`: the ref objects to `obj`.
fn getweakrefs(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = one_arg("_weakref.getweakrefs", args, kw)?;
    Ok(val::list(refs_to(x)))
}

/// `ref.__new__(cls, obj[, callback])`.
fn ref_new(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let Some((cls, rest)) = args.split_first() else {
        return Err(type_error("ref.__new__(): not enough arguments"));
    };
    let Some(PyRef::O(cls)) = cls.as_type().map(|_| cls) else {
        return Err(type_error(format!(
            "ref.__new__(X): X is not a type object ({})",
            type_name(cls)
        )));
    };
    if Gc::ptr_eq(cls, types().get(BuiltinType::WeakRef)) {
        super::no_kw("ref", kw)?;
    }
    let (target, callback) = match rest {
        [t] => (t, None),
        [t, cb] => (t, Some(cb.clone()).filter(|cb| !cb.is_none())),
        [] => return Err(type_error("__new__ expected at least 1 argument, got 0")),
        _ => {
            return Err(type_error(format!(
                "__new__ expected at most 2 arguments, got {}",
                rest.len()
            )));
        }
    };
    Ok(new_ref(cls, weakrefable(target)?, callback))
}

/// `ref.__init__`: `__new__` did the work.
fn ref_init(_args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    Ok(val::none())
}

/// `ref.__callback__` (the property's getter).
fn ref_callback(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    match args.first().and_then(callback_attr) {
        Some(cb) => Ok(cb),
        None => Err(type_error(
            "descriptor '__callback__' requires a 'weakref.ReferenceType' object",
        )),
    }
}

/// `ref()`: the referent or `None`.
fn ref_call(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    super::no_kw("weakref", kw)?;
    match args {
        [w] if payload(w).is_some() => Ok(call_weakref(w)),
        [_] => Err(type_error(
            "descriptor '__call__' requires a 'weakref.ReferenceType' object",
        )),
        _ => Err(type_error(format!(
            "weakref() takes no arguments ({} given)",
            args.len().saturating_sub(1)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target() -> Gc<Obj> {
        match Obj::new(Kind::Set(RefCell::new(crate::dict::Dict::new()), false)) {
            PyRef::O(o) => o,
            PyRef::A(_) => unreachable!(),
        }
    }

    fn ref_type() -> Gc<Obj> {
        types().get(BuiltinType::WeakRef).clone()
    }

    #[test]
    fn plain_refs_are_shared_and_die_with_the_referent() {
        let t = target();
        let a = new_ref(&ref_type(), &t, None);
        let b = new_ref(&ref_type(), &t, None);
        assert!(a.is(&b));
        assert!(call_weakref(&a).is(&PyRef::O(t.clone())));
        assert_eq!(pymem::weakref::getweakrefcount(&t), 1);
        drop(t);
        assert!(call_weakref(&a).is_none());
    }

    #[test]
    fn refs_with_callbacks_are_listed_newest_first() {
        let t = target();
        let plain = new_ref(&ref_type(), &t, None);
        let noop = Obj::new(Kind::Builtin(&REF_METHODS[1], None));
        let c1 = new_ref(&ref_type(), &t, Some(noop.clone()));
        let c2 = new_ref(&ref_type(), &t, Some(noop));
        let listed = refs_to(&PyRef::O(t.clone()));
        assert_eq!(listed.len(), 3);
        assert!(listed[0].is(&plain) && listed[1].is(&c2) && listed[2].is(&c1));
    }

    thread_local! {
        static CALLS: Cell<usize> = const { Cell::new(0) };
        static VICTIM: RefCell<Option<PyRef>> = const { RefCell::new(None) };
    }

    /// A callback that counts its calls and drops the ref in `VICTIM`.
    fn drop_victim(_args: &[PyRef], _kw: Kw<'_>) -> PyResult {
        CALLS.with(|c| c.set(c.get() + 1));
        let victim = VICTIM.with(|v| v.borrow_mut().take());
        drop(victim);
        Ok(val::none())
    }

    static DROP_VICTIM: BuiltinDef = BuiltinDef {
        name: "drop_victim",
        func: drop_victim,
    };

    #[test]
    fn a_callback_dropping_a_due_ref_does_not_cancel_its_callback() {
        let t = target();
        let cb = Obj::new(Kind::Builtin(&DROP_VICTIM, None));
        let older = new_ref(&ref_type(), &t, Some(cb.clone()));
        let newer = new_ref(&ref_type(), &t, Some(cb));
        VICTIM.with(|v| *v.borrow_mut() = Some(older));
        drop(t); // the newer callback runs first and drops the older ref
        assert_eq!(CALLS.with(Cell::get), 2);
        assert!(DUE.with(|d| d.borrow().is_empty()));
        drop(newer);
    }

    #[test]
    fn lists_are_not_weakly_referenceable() {
        assert!(weakrefable(&val::list(vec![])).is_err());
        assert!(weakrefable(&val::int(5)).is_err());
    }
}
