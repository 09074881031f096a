//! (L2) PEP 442 finalizers (CPython's `tp_finalize`, Python's `__del__`): the [`Finalize`]
//! trait, and running a finalizer at most once, on an intact object.

use core::any::TypeId;
use core::mem::ManuallyDrop;

use crate::header::ObjPtr;
use crate::object::Gc;
use crate::trace::Trace;
use crate::vtable::FinalizeFn;
use crate::{unraisable, unwind};

/// A finalizer: code that runs once before an object is destroyed (Python's `__del__`,
/// with PEP 442's rules).
///
/// Opt in with `#[derive(Trace)]` plus `#[trace(finalize)]` on the type, and implement this
/// trait; no `unsafe` is involved. The attribute is what connects the finalizer to the
/// object's type, so implementing `Finalize` without it is a compile error (see below)
/// rather than a finalizer that silently never runs.
///
/// * It runs **at most once** per object, whether the object dies by its count reaching zero
///   or as cyclic garbage; [`gc::is_finalized`](crate::gc::is_finalized) tells whether it ran.
/// * It runs on an **intact** object: in a garbage cycle, every finalizer of the cycle runs
///   before any value of the cycle is dropped.
/// * It may **resurrect** the object by storing a clone of `this` somewhere reachable; the
///   collector then keeps the object (and everything it reaches) alive, with its weak
///   references already cleared, as CPython does. It is not finalized again.
/// * A panic is reported through [`sys::set_unraisablehook`](crate::sys::set_unraisablehook)
///   and destruction goes on.
///
/// ```
/// use pymem::{Finalize, Gc, Trace, gc};
/// use std::cell::RefCell;
///
/// #[derive(Trace)]
/// #[trace(finalize)]
/// struct Resource {
///     me: RefCell<Option<Gc<Resource>>>,
/// }
///
/// impl Finalize for Resource {
///     fn finalize(this: &Gc<Self>) {
///         println!("closing the resource at {:#x}", Gc::id(this));
///     }
/// }
///
/// let r = Gc::new(Resource { me: RefCell::new(None) });
/// *r.me.borrow_mut() = Some(r.clone()); // a self-cycle
/// drop(r);
/// assert_eq!(gc::collect(), 1); // the finalizer ran first, then the cycle was freed
/// ```
///
/// Without `#[trace(finalize)]` the impl does not compile ("the finalizer of `Forgotten`
/// is not enabled … add #[trace(finalize)] next to #[derive(Trace)]"):
///
/// ```compile_fail,E0277
/// use pymem::{Finalize, Gc, Trace};
///
/// #[derive(Trace)]
/// struct Forgotten;
///
/// impl Finalize for Forgotten {
///     fn finalize(_: &Gc<Self>) {}
/// }
/// ```
pub trait Finalize: Trace + FinalizeEnabled + Sized + 'static {
    /// Called once, with a strong reference to the object.
    fn finalize(this: &Gc<Self>);
}

/// Implemented by `#[derive(Trace)]` for the types marked `#[trace(finalize)]`, whose
/// `Trace::FINALIZER` it sets, and only for them. As a supertrait of [`Finalize`] it turns
/// a forgotten attribute, which would leave the finalizer unconnected to the vtable and
/// never called, into a compile error. Hand-written `Trace` impls that set `FINALIZER`
/// implement it too; it is safe, since all it can do wrongly is fail to run a finalizer.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "the finalizer of `{Self}` is not enabled: `Finalize` needs `#[trace(finalize)]`",
    label = "this type's `#[derive(Trace)]` lacks `#[trace(finalize)]`",
    note = "add #[trace(finalize)] next to #[derive(Trace)]"
)]
pub trait FinalizeEnabled {}

impl FinalizeFn {
    /// The finalizer of `T`.
    pub const fn of<T: Finalize>() -> FinalizeFn {
        FinalizeFn {
            call: call_finalizer::<T>,
            type_id: TypeId::of::<T>,
        }
    }
}

/// # Safety
/// `obj` must be a live `T` object whose count includes a reference held by the caller.
unsafe fn call_finalizer<T: Finalize>(obj: ObjPtr) {
    // SAFETY: the caller holds a counted reference to this `T`; the `Gc` only borrows it.
    let this = ManuallyDrop::new(unsafe { Gc::<T>::from_obj(obj) });
    T::finalize(&this);
}

/// Whether `obj` has a finalizer that has not run yet (one header test).
#[inline]
pub(crate) fn pending(obj: ObjPtr) -> bool {
    !obj.is_finalized()
}

/// `gc.is_finalized`: the object's finalizer ran (false for types without one).
pub(crate) fn has_run(obj: ObjPtr) -> bool {
    obj.is_finalized() && obj.vtable().finalizer.is_some()
}

/// Runs `obj`'s finalizer if it has one that has not run: sets FINALIZED first, holds a
/// temporary reference during the call (released by the caller, who handles a count that
/// then reaches zero), and reports a panic as unraisable. Returns whether it ran; if so the
/// caller owns one extra reference.
pub(crate) fn run_once(obj: ObjPtr) -> bool {
    let vtable = obj.vtable();
    let Some(finalizer) = vtable.finalizer.filter(|_| pending(obj)) else {
        return false;
    };
    assert!(
        (finalizer.type_id)() == vtable.type_id(),
        "Trace::FINALIZER of {} names another type's finalizer",
        vtable.type_name()
    );
    obj.set_finalized();
    obj.incref();
    // SAFETY: `obj` is a live object of the finalizer's type (checked above), and we hold
    // the reference counted just now.
    let result = unwind::catch(|| unsafe { (finalizer.call)(obj) });
    if let Err(panic) = result {
        let what = format!(
            "<finalizer of {} object at {:#x}>",
            vtable.type_name(),
            obj.addr()
        );
        unraisable::report(panic, &what);
    }
    true
}
