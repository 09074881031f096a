//! (L0) Type slots: what the type-erased collector knows about each `T` (CPython's `PyTypeObject`).

use core::any::TypeId;

use crate::header::ObjPtr;
use crate::trace::Visitor;

/// One per `Gc<T>` type, in static memory. 16-aligned so that `Head::meta` can carry flags.
#[repr(C, align(16))]
pub(crate) struct VTable {
    /// `std::any::type_name::<T>()` (a function because it is not yet `const`).
    pub(crate) type_name_fn: fn() -> &'static str,
    /// `TypeId::of::<T>()`, a constant (compared on the free lists' paths).
    pub(crate) type_id: TypeId,
    /// Bytes in the whole block: header(s), padding and value.
    pub(crate) block_size: usize,
    /// Bytes from the start of the block to the object header (links and padding).
    pub(crate) block_offset: usize,
    /// `T::TRACKED`: the block has `Links` and may join generation lists.
    pub(crate) tracked: bool,
    /// `tp_finalize`: `T::FINALIZER` (PEP 442).
    pub(crate) finalizer: Option<FinalizeFn>,
    /// `T::FREE_LISTS`: where the blocks of dead objects go (`freelist.rs`).
    pub(crate) free_lists: Option<crate::freelist::FreeListHooks>,
    /// `tp_traverse`: trace the value.
    ///
    /// # Safety
    /// The object's value must not have been dropped (not `DEAD`).
    pub(crate) trace: unsafe fn(ObjPtr, &mut Visitor<'_>),
    /// `Trace::trace_labelled` of the value (introspection only).
    ///
    /// # Safety
    /// The object's value must not have been dropped (not `DEAD`).
    pub(crate) trace_labelled: unsafe fn(ObjPtr, &mut Visitor<'_>),
    /// `Trace::fmt_type_name` of the value.
    ///
    /// # Safety
    /// The object's value must not have been dropped (not `DEAD`).
    pub(crate) fmt_name: unsafe fn(ObjPtr, &mut core::fmt::Formatter<'_>) -> core::fmt::Result,
    /// `tp_clear`: drop the value in place, leaving the block allocated.
    ///
    /// # Safety
    /// The value must be alive, and is dropped: the caller marks the object `DEAD` first.
    pub(crate) drop_value: unsafe fn(ObjPtr),
    /// `tp_dealloc` after the count reached zero: clear weakrefs, drop the value unless
    /// `DEAD`, free the block.
    ///
    /// # Safety
    /// The count must be zero and the object untracked; the block is freed.
    pub(crate) destroy: unsafe fn(ObjPtr),
    /// Frees the block of an object whose value is already dropped (`delete_garbage`).
    ///
    /// # Safety
    /// The count must be zero, the object untracked, `DEAD`, and without weak references.
    pub(crate) free: unsafe fn(ObjPtr),
}

impl VTable {
    pub(crate) fn type_name(&self) -> &'static str {
        (self.type_name_fn)()
    }

    pub(crate) fn type_id(&self) -> TypeId {
        self.type_id
    }
}

/// A type's finalizer, type-erased for its vtable (CPython's `tp_finalize`).
/// `#[derive(Trace)]` writes `const FINALIZER: Option<FinalizeFn> =
/// Some(FinalizeFn::of::<Self>())` for `#[trace(finalize)]` (`FinalizeFn::of` is in
/// `finalize.rs`, with the trait it needs); nothing else should build one.
#[doc(hidden)]
#[derive(Clone, Copy)]
pub struct FinalizeFn {
    /// Runs the finalizer. Safety: a live object of the finalizer's type, whose count
    /// includes a reference the caller holds.
    pub(crate) call: unsafe fn(ObjPtr),
    pub(crate) type_id: fn() -> TypeId,
}

/// An object's name as its `Trace::fmt_type_name` gives it, or its Rust type's name when
/// that panics or fails (user code: the panic is caught and dropped here, not carried
/// further). Invariant: made only for objects whose value is alive.
pub(crate) struct TypeName(pub(crate) ObjPtr);

/// [`TypeName`]'s call into the vtable; same invariant.
struct Named(ObjPtr);

impl core::fmt::Display for Named {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // SAFETY: `Named` is made only from a `TypeName`, whose object's value is alive.
        unsafe { (self.0.vtable().fmt_name)(self.0, f) }
    }
}

impl core::fmt::Display for TypeName {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let mut text = String::new();
        let named =
            crate::unwind::catch(|| core::fmt::write(&mut text, format_args!("{}", Named(self.0))));
        match named {
            Ok(Ok(())) => f.write_str(&text),
            Ok(Err(_)) => f.write_str(self.0.vtable().type_name()),
            Err(panic) => {
                crate::unwind::drop_payload(panic);
                f.write_str(self.0.vtable().type_name())
            }
        }
    }
}
