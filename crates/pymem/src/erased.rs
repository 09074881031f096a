//! (L2) [`Object`]: a type-erased strong handle, what the `gc` introspection functions return
//! (CPython's `PyObject*` seen without its type).

use core::any::TypeId;
use core::fmt;
use core::hash::{Hash, Hasher};
use core::mem::ManuallyDrop;

use crate::header::ObjPtr;
use crate::object::Gc;
use crate::trace::Trace;

/// A strong reference to an object of any type.
///
/// It keeps the object alive like a `Gc` does, and offers what Python code gets from any
/// object: its type's name, `id()`, size, reference count, and a checked downcast back to
/// `Gc<T>`. Equality and hashing are by identity (Python's `is`).
///
/// ```
/// use pymem::{Gc, Object, gc};
/// use std::cell::RefCell;
///
/// let list = Gc::new(RefCell::new(Vec::<Gc<String>>::new()));
/// let object: Object = Gc::as_object(&list);
/// assert!(object.type_name().ends_with("RefCell<alloc::vec::Vec<pymem::object::Gc<alloc::string::String>>>"));
/// assert_eq!(object.id(), Gc::id(&list));
/// assert!(object.is_tracked() && gc::is_tracked(&object));
/// let back: Gc<RefCell<Vec<Gc<String>>>> = object.downcast().unwrap();
/// assert!(Gc::ptr_eq(&back, &list));
/// assert!(object.downcast::<String>().is_none());
/// ```
#[repr(transparent)]
pub struct Object {
    obj: ObjPtr,
}

impl Object {
    /// A new reference to `obj`.
    pub(crate) fn new(obj: ObjPtr) -> Object {
        obj.incref();
        Object { obj }
    }

    /// Takes over a reference already counted in `obj`.
    ///
    /// # Safety
    /// The caller gives up one counted reference to `obj`.
    pub(crate) unsafe fn from_owned(obj: ObjPtr) -> Object {
        Object { obj }
    }

    /// The Rust type name of the value (`std::any::type_name`), CPython's `tp_name`.
    pub fn type_name(&self) -> &'static str {
        self.obj.vtable().type_name()
    }

    /// The name the value gives its type ([`Trace::fmt_type_name`]: an interpreter's
    /// instance says its class, `Node`; CPython's `Py_TYPE(op)->tp_name`), or
    /// [`type_name`](Object::type_name) when the value was cleared by the collector, or its
    /// naming fails or panics (the naming is user code: the panic is caught and dropped).
    ///
    /// ```
    /// use pymem::{Gc, Trace};
    ///
    /// #[derive(Trace)]
    /// #[trace(type_name = by_class)]
    /// struct Instance { #[trace(skip)] class: &'static str }
    ///
    /// fn by_class(x: &Instance, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
    ///     f.write_str(x.class)
    /// }
    /// let node = Gc::as_object(&Gc::new(Instance { class: "Node" }));
    /// assert_eq!(node.display_type_name(), "Node");
    /// assert!(node.type_name().ends_with("Instance"));
    /// ```
    pub fn display_type_name(&self) -> String {
        if self.obj.is_dead() {
            return self.type_name().to_owned();
        }
        // This handle's counted reference keeps the object allocated and reachable: the
        // collector clears only unreachable values, so the value stays alive through the
        // naming whatever code it runs (`TypeName`'s invariant).
        crate::vtable::TypeName(self.obj).to_string()
    }

    /// CPython's `id()`: the object's address.
    pub fn id(&self) -> usize {
        self.obj.addr()
    }

    /// Bytes of the block: header(s) and value (`sys.getsizeof`).
    pub fn size(&self) -> usize {
        self.obj.vtable().block_size
    }

    /// Strong references, this one included.
    pub fn ref_count(&self) -> usize {
        self.obj.refcnt()
    }

    /// Whether the object is linked into a generation (`gc.is_tracked`).
    pub fn is_tracked(&self) -> bool {
        self.obj
            .links_if_tracked()
            .is_some_and(|gc| gc.is_tracked())
    }

    /// Whether the collector already dropped the value (see [`Gc`]'s "dead objects").
    pub fn is_dead(&self) -> bool {
        self.obj.is_dead()
    }

    /// Whether the value is a `T`.
    pub fn is<T: Trace + 'static>(&self) -> bool {
        self.obj.vtable().type_id() == TypeId::of::<T>()
    }

    /// A `Gc<T>` to the same object, or `None` if the value is not a `T`.
    pub fn downcast<T: Trace + 'static>(&self) -> Option<Gc<T>> {
        self.is::<T>().then(|| {
            self.obj.incref();
            // SAFETY: the type id matches and we counted the reference we hand over.
            unsafe { Gc::from_obj(self.obj) }
        })
    }

    /// Like [`Object::downcast`], consuming the handle (no count traffic).
    pub fn into_gc<T: Trace + 'static>(self) -> Result<Gc<T>, Object> {
        if !self.is::<T>() {
            return Err(self);
        }
        let this = ManuallyDrop::new(self);
        // SAFETY: the type id matches; our counted reference moves into the `Gc`.
        Ok(unsafe { Gc::from_obj(this.obj) })
    }
}

impl Clone for Object {
    fn clone(&self) -> Object {
        Object::new(self.obj)
    }
}

impl Drop for Object {
    fn drop(&mut self) {
        if self.obj.decref() == 0 {
            crate::object::drop_slow_erased(self.obj);
        }
    }
}

impl PartialEq for Object {
    fn eq(&self, other: &Object) -> bool {
        self.obj == other.obj
    }
}

impl Eq for Object {}

impl Hash for Object {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.id().hash(state)
    }
}

impl fmt::Debug for Object {
    /// CPython's default repr: `<TypeName object at 0x…>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} object at {:#x}>", self.type_name(), self.id())
    }
}

// SAFETY: an `Object` owns one strong edge, reported once; `edge` does not touch it.
unsafe impl Trace for Object {
    #[inline]
    fn trace(&self, visitor: &mut crate::trace::Visitor<'_>) {
        visitor.edge(self.obj);
    }

    #[inline]
    fn trace_slice(items: &[Object], visitor: &mut crate::trace::Visitor<'_>) {
        // SAFETY: `Object` is `repr(transparent)` over an `ObjPtr`.
        let objs =
            unsafe { core::slice::from_raw_parts(items.as_ptr().cast::<ObjPtr>(), items.len()) };
        visitor.edges(objs);
    }
}

/// Anything that refers to an object: [`Gc<T>`] and [`Object`]. The `gc` and `sys`
/// functions take `&dyn AsObject`, so `gc::get_referents(&[&a, &b])` mixes types freely.
pub trait AsObject: sealed::Sealed {
    /// A new type-erased strong handle to the object.
    fn as_object(&self) -> Object;
}

pub(crate) mod sealed {
    /// Gives the crate the object's header without a count change. Outside the crate the
    /// result is an opaque value with no accessible methods.
    #[allow(private_interfaces)]
    pub trait Sealed {
        #[doc(hidden)]
        fn obj_ptr(&self) -> crate::header::ObjPtr;
    }
}

impl AsObject for Object {
    fn as_object(&self) -> Object {
        self.clone()
    }
}

#[allow(private_interfaces)]
impl sealed::Sealed for Object {
    fn obj_ptr(&self) -> ObjPtr {
        self.obj
    }
}

/// Empties `gc.garbage`, taking over the reference the list held to each object.
pub(crate) fn take_garbage(heap: &crate::heap::Heap) -> Vec<Object> {
    let owned = heap.garbage().take();
    // SAFETY: the list owned one counted reference to each object; each moves into one
    // `Object`.
    owned
        .into_iter()
        .map(|obj| unsafe { Object::from_owned(obj) })
        .collect()
}
