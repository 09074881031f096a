//! (L4) `weakref.finalize`: call a function when an object dies, at most once.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::heap::{self, AtExit};
use crate::object::Gc;
use crate::weak::Weak;

/// The function a [`Finalizer`] runs.
pub type FinalizerFn<R> = Box<dyn FnOnce() -> R>;

struct State<T: 'static, R: 'static> {
    /// The weak reference whose callback fires the finalizer; `None` once dead or detached.
    weak: RefCell<Option<Weak<T>>>,
    func: RefCell<Option<FinalizerFn<R>>>,
    atexit: Cell<bool>,
}

impl<T: 'static, R: 'static> State<T, R> {
    /// Takes the function (so it runs at most once) and unregisters the finalizer.
    fn take(&self) -> Option<FinalizerFn<R>> {
        let func = self.func.borrow_mut().take()?;
        let weak = self.weak.borrow_mut().take();
        unregister(self as *const Self as *const ());
        drop(weak);
        Some(func)
    }
}

// The registry (CPython's `finalize._registry`) is the heap's `AtExitRegistry`:
// registered finalizers stay alive there even when the program drops its `Finalizer`
// handle, and the heap's teardown runs the exit pass before anything else.
impl<T: 'static, R: 'static> AtExit for State<T, R> {
    fn runs_at_exit(&self) -> bool {
        self.atexit.get() && self.func.borrow().is_some()
    }

    fn fire(&self) {
        if heap::current_live().is_none_or(|heap| heap.at_exit().is_shut_down()) {
            return; // `finalize._shutdown`
        }
        if let Some(func) = self.take() {
            drop(func());
        }
    }
}

fn unregister(state: *const ()) {
    let Some(heap) = heap::current_live() else {
        return;
    };
    let removed = heap.at_exit().unregister(state);
    drop(removed); // outside the registry's borrow
}

/// `weakref.finalize(obj, func)`: `func` runs once, when `obj` dies, or when the finalizer
/// is called, or at thread exit (if [`atexit`](Finalizer::atexit) is still set), whichever
/// comes first. Finalizers of one object run newest first. A panic in `func` is reported
/// through [`sys::set_unraisablehook`](crate::sys::set_unraisablehook).
pub fn finalize<T: 'static, R: 'static>(
    obj: &Gc<T>,
    func: impl FnOnce() -> R + 'static,
) -> Finalizer<T, R> {
    let state = Rc::new(State {
        weak: RefCell::new(None),
        func: RefCell::new(Some(Box::new(func))),
        atexit: Cell::new(true),
    });
    let handle = Rc::downgrade(&state);
    let weak = Weak::with_callback(obj, move |_| {
        if let Some(state) = handle.upgrade() {
            state.fire();
        }
    });
    *state.weak.borrow_mut() = Some(weak);
    if let Some(heap) = heap::current() {
        heap.at_exit().register(state.clone());
    }
    Finalizer { state }
}

/// A handle on a [`finalize`] registration.
pub struct Finalizer<T: 'static, R: 'static = ()> {
    state: Rc<State<T, R>>,
}

impl<T: 'static, R: 'static> Finalizer<T, R> {
    /// `f()`: runs the function now if the finalizer is alive, returning its result;
    /// `None` if it already ran or was detached.
    pub fn call(&self) -> Option<R> {
        let func = self.state.take()?;
        Some(func())
    }

    /// `f.detach()`: if alive, unregisters without running and returns the object and the
    /// function; `None` otherwise.
    pub fn detach(&self) -> Option<(Gc<T>, FinalizerFn<R>)> {
        let obj = self.peek()?;
        Some((obj, self.state.take()?))
    }

    /// `f.peek()`: the object, if the finalizer is alive (CPython also returns the function
    /// and its arguments, which Rust cannot share).
    pub fn peek(&self) -> Option<Gc<T>> {
        self.state.weak.borrow().as_ref()?.upgrade()
    }

    /// `f.alive`: whether the function has neither run nor been detached.
    pub fn alive(&self) -> bool {
        self.state.func.borrow().is_some()
    }

    /// `f.atexit`: whether it runs at thread exit if still alive (default true).
    pub fn atexit(&self) -> bool {
        self.state.atexit.get()
    }

    /// `f.atexit = value`.
    pub fn set_atexit(&self, value: bool) {
        self.state.atexit.set(value);
    }
}
