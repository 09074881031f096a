//! (L1) What the heap keeps for the layers above: `gc.garbage`, and the registry of
//! `weakref.finalize` (CPython's `finalize._registry`).

use core::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::header::ObjPtr;

/// `gc.garbage`: the objects `DEBUG_SAVEALL` kept, each with a counted reference that the
/// list owns. Only the layers above turn them into `Object`s (taking the reference over
/// with [`Garbage::take`], or counting their own with [`Garbage::snapshot`]).
pub(crate) struct Garbage(RefCell<Vec<ObjPtr>>);

impl Default for Garbage {
    fn default() -> Garbage {
        Garbage(RefCell::new(Vec::new()))
    }
}

impl Garbage {
    /// Adds `obj`, counting a reference for the list.
    pub(crate) fn save(&self, obj: ObjPtr) {
        obj.incref();
        self.0.borrow_mut().push(obj);
    }

    pub(crate) fn len(&self) -> usize {
        self.0.borrow().len()
    }

    /// The objects, uncounted: valid while the list holds them.
    pub(crate) fn snapshot(&self) -> Vec<ObjPtr> {
        self.0.borrow().clone()
    }

    /// Empties the list; the caller now owns one counted reference to each object.
    pub(crate) fn take(&self) -> Vec<ObjPtr> {
        self.0.take()
    }
}

/// A `weakref.finalize` registration as the heap keeps it (CPython's
/// `finalize._registry`): the exit pass asks each whether it runs at exit, and fires it.
pub(crate) trait AtExit {
    fn runs_at_exit(&self) -> bool;
    fn fire(&self);
}

/// `weakref.finalize`'s registry, oldest first: registered finalizers stay alive here even
/// when the program drops its `Finalizer` handle; the exit pass fires the ones due, newest
/// first, then shuts the registry down.
pub(crate) struct AtExitRegistry {
    entries: RefCell<Vec<Rc<dyn AtExit>>>,
    shut_down: Cell<bool>,
}

impl AtExitRegistry {
    pub(crate) fn new() -> AtExitRegistry {
        AtExitRegistry {
            entries: RefCell::new(Vec::new()),
            shut_down: Cell::new(false),
        }
    }

    pub(crate) fn register(&self, entry: Rc<dyn AtExit>) {
        self.entries.borrow_mut().push(entry);
    }

    /// Unregisters the entry at `addr`; it is the caller's to drop (outside the borrow).
    pub(crate) fn unregister(&self, addr: *const ()) -> Option<Rc<dyn AtExit>> {
        let mut entries = self.entries.borrow_mut();
        let at = entries
            .iter()
            .position(|e| core::ptr::addr_eq(Rc::as_ptr(e), addr))?;
        Some(entries.remove(at))
    }

    /// The newest entry that runs at exit (CPython's `finalize._exitfunc` order).
    pub(crate) fn next_due(&self) -> Option<Rc<dyn AtExit>> {
        let entries = self.entries.borrow();
        entries.iter().rev().find(|e| e.runs_at_exit()).cloned()
    }

    /// After the exit pass: no finalizer runs any more (`finalize._shutdown`).
    pub(crate) fn shut_down(&self) {
        self.shut_down.set(true);
    }

    pub(crate) fn is_shut_down(&self) -> bool {
        self.shut_down.get()
    }

    /// Empties the registry; the entries are the caller's to drop.
    pub(crate) fn take(&self) -> Vec<Rc<dyn AtExit>> {
        self.entries.take()
    }
}
