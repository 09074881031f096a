//! (L3) What `gc.get_referents` and `gc.is_tracked` report, in CPython's terms.
//!
//! pymem traces our objects field by field (a list's items first to last, a dict's keys and
//! values, an instance's class before its attributes). CPython's `tp_traverse` functions
//! visit in other orders, and CPython untracks tuples and dicts that hold no containers;
//! programs print both, so this module reproduces them from the objects' contents, and
//! falls back on pymem's traversal for the kinds whose order nobody depends on.

use std::cell::{OnceCell, RefCell};
use std::collections::{HashMap, HashSet};

use pymem::{Gc, Object};

use crate::obj::{Atom, Kind, Obj, PyRef};

thread_local! {
    /// The dicts `gc.is_tracked` found tracked since the last full collection. CPython
    /// tracks a dict from the insertion of a container until a full collection finds it
    /// holding none; we see only what a dict holds now, so a dict once seen tracked stays
    /// so until then (an approximation: a container inserted and removed unobserved is
    /// missed).
    static STUCK: RefCell<HashMap<usize, pymem::Weak<Obj>>> = RefCell::new(HashMap::new());
}

/// A full collection: CPython untracks the dicts that hold no containers.
pub(crate) fn forget_tracked_dicts() {
    let old = STUCK
        .try_with(|s| std::mem::take(&mut *s.borrow_mut()))
        .ok();
    drop(old);
}

/// Remembers that the dict `o` was seen tracked.
fn stick(o: &Gc<Obj>) {
    let old = STUCK.with(|s| s.borrow_mut().insert(Gc::id(o), Gc::downgrade(o)));
    drop(old);
}

/// Whether the dict `o` was seen tracked since the last full collection.
fn is_stuck(o: &Gc<Obj>) -> bool {
    let w = STUCK.with(|s| s.borrow().get(&Gc::id(o)).cloned());
    w.and_then(|w| w.upgrade())
        .is_some_and(|d| Gc::ptr_eq(&d, o))
}

/// A pymem object as a Python object; `None` for Rust values that are not Python objects.
pub(crate) fn from_object(o: Object) -> Option<PyRef> {
    match o.into_gc::<Obj>() {
        Ok(gc) => Some(PyRef::O(gc)),
        Err(o) => o.into_gc::<Atom>().ok().map(PyRef::A),
    }
}

/// The objects `x` refers to, in the order CPython's `tp_traverse` visits them.
pub(crate) fn referents(x: &PyRef, out: &mut Vec<PyRef>) {
    let PyRef::O(o) = x else { return };
    if !kind_referents(&o.kind, out) {
        let objs: [&dyn pymem::AsObject; 1] = [o];
        let found = pymem::gc::get_referents(&objs);
        out.extend(found.into_iter().filter_map(from_object));
    }
}

/// The referents of the kinds whose order CPython programs see; false for the others.
fn kind_referents(kind: &Kind, out: &mut Vec<PyRef>) -> bool {
    match kind {
        Kind::List(l) => out.extend(l.borrow().iter().rev().cloned()),
        Kind::Tuple(t) => out.extend(t.iter().rev().cloned()),
        Kind::Dict(d) => dict_referents(&d.borrow(), out),
        Kind::Set(d, _) => out.extend(d.borrow().iter().map(|e| e.key.clone())),
        Kind::Instance(inst) => instance_referents(inst, out),
        Kind::ByteArray(_) => {}
        _ => return false,
    }
    true
}

/// A dict visits each value then its key, or only the values when every key is a str
/// (CPython's unicode-keys tables hold no references the collector must follow).
fn dict_referents(d: &crate::dict::Dict, out: &mut Vec<PyRef>) {
    let str_keys = d.iter().all(|e| e.key.as_str().is_some());
    for e in d.iter() {
        out.push(e.value.clone());
        if !str_keys {
            out.push(e.key.clone());
        }
    }
}

/// An instance visits its slots, its attribute values, its class, then what its built-in
/// base holds (an exception's `args`, traceback, context and cause; a payload's items).
fn instance_referents(inst: &crate::obj::Instance, out: &mut Vec<PyRef>) {
    out.extend(inst.slots.iter().filter_map(|s| s.borrow().clone()));
    // CPython 3.13 visits the inline values, even once `__dict__` has made a dict of them.
    if let Some(d) = &inst.dict {
        out.extend(d.table().borrow().iter().map(|e| e.value.clone()));
    }
    out.push(PyRef::O(inst.cls.clone()));
    if let Some(st) = &inst.exc {
        out.push(st.args.borrow().clone());
        let links = [&st.traceback, &st.context, &st.cause];
        out.extend(links.iter().filter_map(|l| l.borrow().clone()));
    }
    if let Some(base) = &inst.base {
        kind_referents(&base.kind, out);
    }
}

/// Answers `gc.is_tracked` as CPython 3.13 would (see the module's documentation).
#[derive(Default)]
pub(crate) struct Tracking {
    /// The ids of generation 0, read once: a tuple there has not been through a collection
    /// yet, so CPython has not had the chance to untrack it.
    young: OnceCell<HashSet<usize>>,
}

impl Tracking {
    /// `gc.is_tracked(x)`: atoms and bytearrays never; an empty tuple never; a tuple while
    /// young or while it holds something that may be tracked; a dict while it holds a key
    /// or value that may be tracked (or held one when last asked, until a full collection);
    /// the built-in types never; every other object while pymem tracks it.
    pub(crate) fn is_tracked(&self, x: &PyRef) -> bool {
        let PyRef::O(o) = x else { return false };
        if !pymem::gc::is_tracked(o) {
            return false;
        }
        match &o.kind {
            // CPython's bytearray is not a container; its static types are immortal and
            // never tracked.
            Kind::ByteArray(_) => false,
            Kind::Type(t) => t.builtin.is_none(),
            Kind::Tuple(t) => {
                !t.is_empty() && (self.is_young(o) || t.iter().any(|i| self.may_be_tracked(i)))
            }
            Kind::Dict(d) => self.dict_tracked(o, &d.borrow()),
            _ => true,
        }
    }

    /// A dict is tracked while it holds something that may be tracked, and afterwards until
    /// a full collection ([`STUCK`]).
    fn dict_tracked(&self, o: &Gc<Obj>, d: &crate::dict::Dict) -> bool {
        let holds = d
            .iter()
            .any(|e| self.may_be_tracked(&e.key) || self.may_be_tracked(&e.value));
        if holds {
            stick(o);
        }
        holds || is_stuck(o)
    }

    /// CPython's `_PyObject_GC_MAY_BE_TRACKED`: a container type, unless it is a tuple that
    /// is not tracked.
    fn may_be_tracked(&self, x: &PyRef) -> bool {
        match x.kind() {
            None | Some(Kind::ByteArray(_)) => false,
            Some(Kind::Tuple(_)) => self.is_tracked(x),
            Some(_) => true,
        }
    }

    /// Whether `o` is in generation 0.
    fn is_young(&self, o: &Gc<Obj>) -> bool {
        let young = self.young.get_or_init(|| {
            let objs = pymem::gc::get_objects(Some(0)).unwrap_or_default();
            objs.iter().map(Object::id).collect()
        });
        young.contains(&Gc::id(o))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::val;

    fn referents_of(x: &PyRef) -> Vec<PyRef> {
        let mut out = Vec::new();
        referents(x, &mut out);
        out
    }

    #[test]
    fn lists_visit_last_item_first() {
        let (a, b) = (val::list(vec![]), val::list(vec![]));
        let r = referents_of(&val::list(vec![a.clone(), b.clone()]));
        assert!(r[0].is(&b) && r[1].is(&a));
    }

    #[test]
    fn dicts_with_str_keys_visit_values_only() {
        let mut d = crate::dict::Dict::new();
        drop(crate::types::dict_set_str(
            &mut d,
            val::str_("k"),
            val::int(1),
        ));
        assert_eq!(referents_of(&val::dict(d)).len(), 1);
    }

    #[test]
    fn tuples_of_atoms_are_untracked_once_old() {
        let t = val::tuple(vec![val::int(1), val::str_("x")]);
        assert!(Tracking::default().is_tracked(&t));
        pymem::gc::collect();
        assert!(!Tracking::default().is_tracked(&t));
        let holder = val::tuple(vec![val::list(vec![])]);
        pymem::gc::collect();
        assert!(Tracking::default().is_tracked(&holder));
        assert!(!Tracking::default().is_tracked(&val::dict(crate::dict::Dict::new())));
    }
}
