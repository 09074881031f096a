//! (L2) `Gc<T>`: the strong, refcounted pointer. Clone increments, Drop decrements, and at zero
//! the object is destroyed at once, as CPython does.

use core::alloc::Layout;
use core::any::{TypeId, type_name};
use core::borrow::Borrow;
use core::cmp::Ordering;
use core::fmt;
use core::hash::{Hash, Hasher};
use core::marker::PhantomData;
use core::mem::ManuallyDrop;
use core::ops::{Deref, DerefMut};
use core::panic::Location;
use core::ptr::{self, NonNull};

use crate::dealloc;
use crate::erased::{AsObject, Object};
use crate::header::{Head, LINKS_SIZE, Links, ObjLinks, ObjPtr};
use crate::heap;
use crate::list;
use crate::memory_error::MemoryError;
use crate::trace::{Trace, Visitor};
use crate::vtable::VTable;
use crate::weak::{self, Weak};

/// The object header followed by the value. `Gc<T>` points here.
#[repr(C)]
pub(crate) struct GcBox<T> {
    head: Head,
    value: T,
}

/// Where the parts of a `T` block go: `Links` (tracked types only) end exactly where the
/// `GcBox` starts, and the `GcBox` keeps its own alignment.
pub(crate) struct BoxLayout<T>(PhantomData<T>);

impl<T> BoxLayout<T> {
    const BOX_ALIGN: usize = align_of::<GcBox<T>>();

    /// Offset of the `GcBox` in the block: links only for tracked types.
    pub(crate) const fn prefix(tracked: bool) -> usize {
        match (tracked, Self::BOX_ALIGN > LINKS_SIZE) {
            (false, _) => 0,
            (true, false) => LINKS_SIZE,
            (true, true) => Self::BOX_ALIGN,
        }
    }

    /// The block's layout. `tracked` is `T::TRACKED` where the bound is available, else the
    /// header's `has_links` bit, which `Head::new` sets from the same constant.
    pub(crate) const fn layout(tracked: bool) -> Layout {
        match Layout::from_size_align(
            Self::prefix(tracked) + size_of::<GcBox<T>>(),
            Self::BOX_ALIGN,
        ) {
            Ok(layout) => layout,
            Err(_) => panic!("Gc<T>: value too large"),
        }
    }
}

/// A strong, reference-counted pointer to a value in this thread's heap (CPython's
/// `PyObject*` with its reference).
///
/// * **Prompt destruction.** When the last `Gc` to an object is dropped, the value is
///   dropped and its memory freed immediately, as with `Rc`.
/// * **Cycles.** If `T` can hold `Gc`s ([`Trace::TRACKED`]), the object is linked into
///   generation 0 and [`gc::collect`](crate::gc::collect) (or the automatic trigger) frees
///   unreachable cycles.
/// * **One heap per thread.** `Gc` is neither `Send` nor `Sync`.
/// * **Dead objects.** If a `Drop` impl stashes a handle to an object of its own garbage
///   cycle, that object's value is dropped anyway; dereferencing the stashed handle panics
///   (in release builds too) instead of reading freed memory.
///
/// ```
/// use pymem::{Gc, Trace};
/// use std::cell::RefCell;
///
/// #[derive(Trace)]
/// struct Node { next: RefCell<Option<Gc<Node>>> }
///
/// let a = Gc::new(Node { next: RefCell::new(None) });
/// *a.next.borrow_mut() = Some(a.clone()); // a self-cycle
/// assert_eq!(Gc::ref_count(&a), 2);
/// drop(a);
/// assert_eq!(pymem::gc::collect(), 1);
/// ```
#[repr(transparent)]
pub struct Gc<T> {
    ptr: NonNull<GcBox<T>>,
    _owns: PhantomData<T>,
}

impl<T: Trace + 'static> crate::alloc::BlockLayout for Gc<T> {
    const LAYOUT: Layout = BoxLayout::<T>::layout(T::TRACKED);
    const TRACKED: bool = T::TRACKED;
}

impl<T: Trace + 'static> Gc<T> {
    const VTABLE: VTable = VTable {
        type_name_fn: type_name::<T>,
        type_id: TypeId::of::<T>(),
        block_size: BoxLayout::<T>::layout(T::TRACKED).size(),
        block_offset: BoxLayout::<T>::prefix(T::TRACKED),
        tracked: T::TRACKED,
        finalizer: T::FINALIZER,
        free_lists: T::FREE_LISTS,
        trace: trace_value::<T>,
        trace_labelled: trace_labelled_value::<T>,
        fmt_name: fmt_name::<T>,
        drop_value: drop_value::<T>,
        destroy: destroy::<T>,
        free: free_block::<T>,
    };

    /// The block's layout.
    const LAYOUT: Layout = <Self as crate::alloc::BlockLayout>::LAYOUT;

    /// Moves `value` into a new object with a count of one. For a tracked type this counts
    /// as a tracked allocation and may run an automatic collection first (CPython 3.11's
    /// `_PyObject_GC_Link`), then the block is allocated, the value moves in and the object
    /// is linked into generation 0. (CPython allocates before it counts, as
    /// [`Gc::try_new`] does; here a failure aborts, so counting first changes nothing
    /// observable but the collection's place, and keeps the block out of the registers a
    /// collection must save: 5 instructions per object on B1.)
    ///
    /// Budget (tracked): one TLS load, a count and a compare, the allocation, four link
    /// stores.
    ///
    /// The caller's file and line are where `tracemalloc` says the object was allocated.
    /// If no block can be allocated, this calls
    /// [`handle_alloc_error`](std::alloc::handle_alloc_error), as `Box::new` does;
    /// [`Gc::try_new`] returns an error instead.
    ///
    /// A block reused from `T`'s free list (`freelist.rs`) is not an allocation: it is not
    /// counted and runs no collection, as CPython's `_Py_FREELIST_POP` bypasses
    /// `_PyObject_GC_Link`.
    #[track_caller]
    pub fn new(value: T) -> Gc<T> {
        crate::trace::assert_not_tracing("create");
        let heap = if T::TRACKED { heap::current() } else { None };
        if let Some(block) = Self::take_free(&value) {
            return Self::link(heap, block, value);
        }
        if let Some(heap) = heap {
            heap.note_tracked_alloc();
        }
        let block = crate::alloc::allocate::<Self>(Location::caller());
        Self::link(heap, block, value)
    }

    /// A block from the free list `value`'s kind uses (`freelist.rs`), if `T` has free
    /// lists and that one is not empty. Free for other types: `T::FREE_LISTS` is a constant.
    #[inline(always)]
    fn take_free(value: &T) -> Option<NonNull<u8>> {
        let hooks = T::FREE_LISTS?;
        // SAFETY: `value` is a live `T`.
        let index = unsafe { hooks.index(TypeId::of::<T>(), ptr::from_ref(value).cast()) }?;
        crate::alloc::take_free(TypeId::of::<T>(), index)
    }

    /// As [`Gc::new`], but a failed allocation returns a [`MemoryError`] that holds `value`
    /// (CPython's `MemoryError`) instead of aborting. A failure leaves everything as it
    /// was: no count changes (`gc.get_count()`, the pools' statistics, tracemalloc's traced
    /// memory) and no collection runs, because CPython counts an allocation only once its
    /// `malloc` succeeded. The `fault-injection` feature's
    /// [`sys::set_nomemory`](crate::sys) makes allocations fail on purpose, to test the
    /// error paths.
    ///
    /// ```
    /// use pymem::Gc;
    ///
    /// match Gc::try_new(String::from("node")) {
    ///     Ok(gc) => assert_eq!(*gc, "node"),
    ///     Err(error) => {
    ///         eprintln!("{error}"); // "memory allocation of … bytes failed (a Gc<…String>)"
    ///         let value: String = error.into_inner(); // nothing is lost
    ///         assert_eq!(value, "node");
    ///     }
    /// }
    ///
    /// // The error converts into a `Box<dyn Error>` whatever the value's type.
    /// fn make() -> Result<Gc<Vec<u8>>, Box<dyn std::error::Error>> {
    ///     Ok(Gc::try_new(vec![1, 2, 3])?)
    /// }
    /// assert_eq!(make().unwrap().len(), 3);
    /// ```
    #[track_caller]
    pub fn try_new(value: T) -> Result<Gc<T>, MemoryError<T>> {
        crate::trace::assert_not_tracing("create");
        if let Some(block) = Self::take_free(&value) {
            let heap = if T::TRACKED { heap::current() } else { None };
            return Ok(Self::link(heap, block, value));
        }
        let Some(block) = crate::alloc::try_allocate::<Self>(Location::caller()) else {
            return Err(MemoryError::new(value, Self::LAYOUT));
        };
        let heap = if T::TRACKED { heap::current() } else { None };
        if let Some(heap) = heap {
            count_tracked_alloc(heap, block, Self::LAYOUT);
        }
        Ok(Self::link(heap, block, value))
    }

    /// The end of `PyObject_GC_New` once the block is allocated and counted: the value
    /// moves in, and a tracked object is linked (`PyObject_GC_Track`); `heap` is `Some`
    /// exactly for tracked types.
    #[inline(always)]
    fn link(heap: Option<&heap::Heap>, block: NonNull<u8>, value: T) -> Gc<T> {
        let gc = Self::init(block, value);
        if let Some(heap) = heap {
            // SAFETY: T is tracked, so the block has links.
            heap.track_new(unsafe { gc.obj().links() });
        }
        gc
    }

    /// Writes the header, the value and (tracked types) untracked links into `block`: the
    /// whole object, so a block from a free list keeps nothing of its last object.
    #[inline(always)]
    fn init(block: NonNull<u8>, value: T) -> Gc<T> {
        // SAFETY: `block` was allocated with `LAYOUT` (by `alloc`, or earlier for a `T` that
        // died and left it on `T`'s free list, unreferenced): prefix +
        // size_of::<GcBox<T>>() == LAYOUT.size(), so both writes are in bounds, and the
        // prefix keeps GcBox<T>'s alignment.
        unsafe {
            let gcbox = block
                .add(BoxLayout::<T>::prefix(T::TRACKED))
                .cast::<GcBox<T>>();
            gcbox.write(GcBox {
                head: Head::new(&Self::VTABLE),
                value,
            });
            if T::TRACKED {
                gcbox
                    .cast::<u8>()
                    .sub(LINKS_SIZE)
                    .cast::<Links>()
                    .write(Links::untracked());
            }
            Gc {
                ptr: gcbox,
                _owns: PhantomData,
            }
        }
    }

    /// The value, if this is the only reference and no weak reference exists (as
    /// [`Rc::try_unwrap`](std::rc::Rc::try_unwrap), but weak references also refuse,
    /// since Python code holding them expects a callback on death). The object is
    /// untracked and freed without dropping the value.
    pub fn try_unwrap(this: Gc<T>) -> Result<T, Gc<T>> {
        let obj = this.obj();
        if obj.refcnt() != 1 || obj.is_dead() || weak::weak_count(obj) > 0 {
            return Err(this);
        }
        let this = ManuallyDrop::new(this);
        drop(weak::clear_weakrefs(obj, weak::Clearing::Death)); // an idle shared node, if any
        if T::TRACKED {
            // SAFETY: T is tracked, so the block has links.
            heap::untrack_leaving(unsafe { obj.links() });
        }
        // SAFETY: the only reference is ours (count 1, no weak references), the value is
        // alive (not DEAD), and `free_block` does not drop it: it is read out exactly once.
        unsafe {
            let value = ptr::read(&(*this.ptr.as_ptr()).value);
            free_block::<T>(obj);
            Ok(value)
        }
    }
}

impl<T> Gc<T> {
    #[inline]
    pub(crate) fn obj(&self) -> ObjPtr {
        // SAFETY: a `Gc` owns a strong reference, so its block is allocated.
        unsafe { ObjPtr::new(self.ptr.cast()) }
    }

    /// Takes over one strong reference already counted in `obj`.
    ///
    /// # Safety
    /// `obj` must be a `T` object whose count includes a reference the caller gives up.
    pub(crate) unsafe fn from_obj(obj: ObjPtr) -> Gc<T> {
        Gc {
            ptr: obj.as_ptr().cast(),
            _owns: PhantomData,
        }
    }

    /// Number of strong references (`Gc` handles and [`Object`]s).
    pub fn ref_count(this: &Gc<T>) -> usize {
        this.obj().refcnt()
    }

    /// Number of [`Weak`] handles to this object.
    pub fn weak_count(this: &Gc<T>) -> usize {
        weak::weak_count(this.obj())
    }

    /// A weak reference (CPython's `weakref.ref(obj)`); callback-less weak references to one
    /// object share one registration, as `ref(o) is ref(o)` in CPython.
    pub fn downgrade(this: &Gc<T>) -> Weak<T> {
        Weak::from_node(weak::downgrade(this.obj()))
    }

    /// Whether both point to the same object (Python's `is`).
    pub fn ptr_eq(a: &Gc<T>, b: &Gc<T>) -> bool {
        a.ptr == b.ptr
    }

    /// CPython's `id()`: the object's address, unique among live objects.
    pub fn id(this: &Gc<T>) -> usize {
        this.obj().addr()
    }

    /// A type-erased strong handle to the same object.
    pub fn as_object(this: &Gc<T>) -> Object {
        Object::new(this.obj())
    }

    /// A mutable borrow of the value, if this is the only reference and no weak reference
    /// exists (as [`Rc::get_mut`](std::rc::Rc::get_mut)).
    ///
    /// While the borrow lives the object is out of its generation, so that no collection
    /// (which any `Gc::new` may start) traces the value being mutated; dropping the guard
    /// links it back into generation 0. A guard that is leaked leaves the object
    /// untracked: a cycle through it then leaks, nothing worse.
    pub fn get_mut(this: &mut Gc<T>) -> Option<GcMut<'_, T>> {
        let obj = this.obj();
        if obj.refcnt() != 1 || obj.is_dead() || weak::weak_count(obj) > 0 {
            return None;
        }
        let retrack = obj.links_if_tracked().filter(|gc| gc.is_tracked());
        if let Some(gc) = retrack {
            list::untrack(gc);
        }
        Some(GcMut { gc: this, retrack })
    }
}

/// The mutable borrow [`Gc::get_mut`] returns; it derefs to the value.
pub struct GcMut<'a, T> {
    gc: &'a mut Gc<T>,
    /// The object's links, if it left a generation for the borrow.
    retrack: Option<ObjLinks>,
}

impl<T> Deref for GcMut<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.gc
    }
}

impl<T> DerefMut for GcMut<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: `get_mut` checked that `self.gc` is the only handle and that the value is
        // alive; the object is untracked, so the collector cannot reach the value either,
        // and `&mut self` makes this borrow exclusive.
        unsafe { &mut (*self.gc.ptr.as_ptr()).value }
    }
}

impl<T> Drop for GcMut<'_, T> {
    fn drop(&mut self) {
        // After the heap's teardown the object stays untracked, as all objects then are.
        if let (Some(gc), Some(heap)) = (self.retrack, heap::current_live()) {
            heap.track_new(gc);
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for GcMut<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

#[cold]
#[inline(never)]
fn dead_object_deref(obj: ObjPtr) -> ! {
    panic!(
        "dereferenced a Gc<{}> whose value the cycle collector already dropped \
         (a Drop impl kept a handle to its own garbage)",
        obj.vtable().type_name()
    )
}

impl<T> Deref for Gc<T> {
    type Target = T;

    /// Budget: one header load and one never-taken branch beyond `Rc` (the dead-object
    /// check; only tracked types can ever be dead, but checking the bit is as cheap as
    /// asking the type).
    #[inline]
    fn deref(&self) -> &T {
        crate::trace::assert_not_tracing("dereference");
        if self.obj().is_dead() {
            dead_object_deref(self.obj());
        }
        // SAFETY: the block is allocated (we hold a reference) and the value is alive (not
        // DEAD); only shared references to it are handed out, except by `GcMut`, which
        // borrows this, the sole handle, mutably.
        unsafe { &(*self.ptr.as_ptr()).value }
    }
}

impl<T> Clone for Gc<T> {
    #[inline]
    fn clone(&self) -> Gc<T> {
        crate::trace::assert_not_tracing("clone");
        self.obj().incref();
        Gc {
            ptr: self.ptr,
            _owns: PhantomData,
        }
    }
}

impl<T> Drop for Gc<T> {
    /// Budget: a decrement and a compare; reaching zero calls the out-of-line dealloc.
    #[inline]
    fn drop(&mut self) {
        crate::trace::assert_not_tracing("drop");
        if self.obj().decref() == 0 {
            drop_slow::<T>(self.obj());
        }
    }
}

/// `_PyObject_GC_Link`'s count of a tracked allocation, which may run an automatic
/// collection. A collection that unwinds (a `Drop` panicked) frees the new `block`, which
/// holds no value yet; the caller still owns the value, and unwinding drops it.
#[inline(always)]
fn count_tracked_alloc(heap: &heap::Heap, block: NonNull<u8>, layout: Layout) {
    struct FreeOnUnwind(NonNull<u8>, Layout);
    impl Drop for FreeOnUnwind {
        #[cold]
        fn drop(&mut self) {
            // SAFETY: the block came from `alloc::allocate` on this thread with this layout,
            // holds no value, and nothing else refers to it.
            unsafe { crate::alloc::deallocate(self.0, self.1) }
        }
    }
    let on_unwind = FreeOnUnwind(block, layout);
    heap.note_tracked_alloc();
    core::mem::forget(on_unwind);
}

/// The count of a `T` reached zero. Monomorphic without needing `T: Trace`: the layout
/// follows from `size_of`/`align_of` and the header's links bit.
#[inline(never)]
fn drop_slow<T>(obj: ObjPtr) {
    dealloc::on_zero(obj, obj.has_links(), destroy::<T>);
}

/// The count of an object of unknown type reached zero (`Object`): through its vtable.
#[inline(never)]
pub(crate) fn drop_slow_erased(obj: ObjPtr) {
    dealloc::on_zero(obj, obj.has_links(), obj.vtable().destroy);
}

/// Block address from the `GcBox` address.
fn block_of<T>(obj: ObjPtr) -> *mut u8 {
    // SAFETY: the GcBox sits `prefix` bytes into its block.
    unsafe {
        obj.as_ptr()
            .cast::<u8>()
            .sub(BoxLayout::<T>::prefix(obj.has_links()))
            .as_ptr()
    }
}

/// # Safety
/// `obj` must be a `T` object whose value is no longer used; the block is freed.
#[inline(always)]
unsafe fn free_block<T>(obj: ObjPtr) {
    let layout = BoxLayout::<T>::layout(obj.has_links());
    // SAFETY: the block was allocated by `alloc::allocate` or `alloc::try_allocate` with
    // exactly this layout (`Gc::new`, `Gc::try_new`), and holds
    // the header, so it is not null.
    unsafe { crate::alloc::deallocate(NonNull::new_unchecked(block_of::<T>(obj)), layout) }
}

/// # Safety
/// `obj` must be a `T` object (the vtable slot is only installed for `T`).
unsafe fn value_ptr<T>(obj: ObjPtr) -> *mut T {
    let gcbox = obj.as_ptr().cast::<GcBox<T>>().as_ptr();
    // SAFETY: `gcbox` points into an allocated block; no reference is created.
    unsafe { &raw mut (*gcbox).value }
}

/// `VTable::trace` for `T`.
///
/// # Safety
/// As the slot: a live `T` value.
unsafe fn trace_value<T: Trace>(obj: ObjPtr, visitor: &mut Visitor<'_>) {
    // SAFETY: the slot's contract: the value is alive; tracing only reads it.
    unsafe { (*value_ptr::<T>(obj)).trace(visitor) }
}

/// `VTable::trace_labelled` for `T`.
///
/// # Safety
/// As the slot: a live `T` value.
unsafe fn trace_labelled_value<T: Trace>(obj: ObjPtr, visitor: &mut Visitor<'_>) {
    // SAFETY: the slot's contract: the value is alive; tracing only reads it.
    unsafe { (*value_ptr::<T>(obj)).trace_labelled(visitor) }
}

/// `VTable::fmt_name` for `T`.
///
/// # Safety
/// As the slot: a live `T` value.
unsafe fn fmt_name<T: Trace>(obj: ObjPtr, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
    // SAFETY: the slot's contract: the value is alive; naming only reads it.
    unsafe { (*value_ptr::<T>(obj)).fmt_type_name(f) }
}

/// `VTable::drop_value` for `T`.
///
/// # Safety
/// As the slot: the value is alive and never used again.
unsafe fn drop_value<T>(obj: ObjPtr) {
    // SAFETY: the slot's contract.
    unsafe { ptr::drop_in_place(value_ptr::<T>(obj)) }
}

/// `VTable::destroy` for `T`.
///
/// # Safety
/// As the slot: count zero, untracked; the block is freed.
#[inline(always)]
unsafe fn destroy<T>(obj: ObjPtr) {
    weak::on_death(obj);
    if let Some(hooks) = obj.vtable().free_lists.as_ref() {
        // SAFETY: the caller's contract; the vtable is `T`'s, so are its hooks.
        return unsafe { destroy_listed::<T>(obj, hooks) };
    }
    if !obj.is_dead() {
        let on_unwind = FreeOnUnwind::<T>(obj, PhantomData);
        // SAFETY: the value is alive and, with the count at zero, unreachable.
        unsafe { drop_value::<T>(obj) };
        core::mem::forget(on_unwind);
    }
    // SAFETY: as above; the value is dropped (or was, by the collector).
    unsafe { free_block::<T>(obj) }
}

/// Frees the block if the value's `Drop` panics (std's `Rc` does the same); only the
/// unwinding path runs it, so the normal path frees inline.
struct FreeOnUnwind<T>(ObjPtr, PhantomData<T>);

impl<T> Drop for FreeOnUnwind<T> {
    #[cold]
    fn drop(&mut self) {
        // SAFETY: `destroy`'s contract: nothing refers to the block any more.
        unsafe { free_block_counted::<T>(self.0) }
    }
}

/// [`destroy`] for a type with free lists: the block goes on the value's list (asked
/// before the drop) if that has room, and is freed otherwise. A dying object of such a
/// type was not counted as a deallocation when it was untracked (`dealloc.rs`): it is
/// counted here, only if its block is freed, as CPython's `PyObject_GC_Del` (a listed
/// block never reaches it).
///
/// # Safety
/// As [`destroy`]; `hooks` are `T`'s.
#[inline(always)]
unsafe fn destroy_listed<T>(obj: ObjPtr, hooks: &crate::freelist::FreeListHooks) {
    let mut free_list = None;
    if !obj.is_dead() {
        let on_unwind = FreeOnUnwind::<T>(obj, PhantomData);
        // SAFETY: the value is alive (asked before it is dropped); the hooks are `T`'s.
        free_list = unsafe { free_list_of::<T>(obj, hooks) };
        // SAFETY: the value is alive and, with the count at zero, unreachable.
        unsafe { drop_value::<T>(obj) };
        core::mem::forget(on_unwind);
    }
    if let Some((key, index)) = free_list {
        // The block holds no value now and nothing refers to it (count zero, weak
        // references cleared), so it may wait on a free list as if freed.
        // SAFETY: the GcBox sits in its block, which is not null.
        let block = unsafe { NonNull::new_unchecked(block_of::<T>(obj)) };
        // SAFETY: allocated by `alloc::allocate` on this thread with `T`'s block layout, which
        // is `key.layout`; the value is dropped and nothing refers to the block (above).
        if unsafe { crate::alloc::keep_free(block, key, index) } {
            return;
        }
    }
    // SAFETY: as above; the value is dropped (or was, by the collector).
    unsafe { free_block_counted::<T>(obj) }
}

/// Frees the block of a dying object whose deallocation is counted with the block (a type
/// with free lists): `count[0] -= 1` if positive for a tracked type, then the free.
///
/// # Safety
/// As [`free_block`].
unsafe fn free_block_counted<T>(obj: ObjPtr) {
    let listed = obj.vtable().free_lists.is_some();
    if listed
        && obj.has_links()
        && let Some(heap) = heap::current_live()
    {
        heap.count_dealloc();
    }
    // SAFETY: the caller's contract.
    unsafe { free_block::<T>(obj) }
}

/// The free list a dying `T`'s block goes to, if any: the key of its type and the list's
/// index.
///
/// # Safety
/// `obj` is a `T` object whose value is alive; `hooks` are `T`'s.
#[inline(always)]
unsafe fn free_list_of<T>(
    obj: ObjPtr,
    hooks: &crate::freelist::FreeListHooks,
) -> Option<(crate::freelist::Key, usize)> {
    let vtable = obj.vtable();
    // SAFETY: the caller's contract: `obj` holds a live `T`, the type of its vtable.
    let index = unsafe { hooks.index(vtable.type_id(), value_ptr::<T>(obj).cast_const().cast()) }?;
    let key = crate::freelist::Key {
        type_id: vtable.type_id(),
        type_name: vtable.type_name_fn,
        specs: hooks.specs,
        layout: BoxLayout::<T>::layout(obj.has_links()),
        tracked: obj.has_links(),
    };
    Some((key, index))
}

/// Bytes per block of a `T` object (`sys.getsizeof`).
pub(crate) fn block_size<T: Trace + 'static>() -> usize {
    Gc::<T>::LAYOUT.size()
}

// SAFETY: a `Gc` owns exactly one strong edge, reported once; `edge` does not touch it.
unsafe impl<T> Trace for Gc<T> {
    #[inline]
    fn trace(&self, visitor: &mut Visitor<'_>) {
        visitor.edge(self.obj());
    }

    #[inline]
    fn trace_slice(items: &[Gc<T>], visitor: &mut Visitor<'_>) {
        // SAFETY: `Gc<T>` is `repr(transparent)` over a pointer to its `GcBox<T>`, whose
        // first field is the `Head` (`repr(C)`), and `ObjPtr` is `repr(transparent)` over a
        // pointer to that `Head`: the slices have the same layout, element for element, and
        // every `Gc` holds a strong reference, as `ObjPtr`'s invariant asks.
        let objs =
            unsafe { core::slice::from_raw_parts(items.as_ptr().cast::<ObjPtr>(), items.len()) };
        visitor.edges(objs);
    }
}

impl<T> AsObject for Gc<T> {
    fn as_object(&self) -> Object {
        Gc::as_object(self)
    }
}

#[allow(private_interfaces)]
impl<T> crate::erased::sealed::Sealed for Gc<T> {
    fn obj_ptr(&self) -> ObjPtr {
        self.obj()
    }
}

impl<T> From<Gc<T>> for Object {
    fn from(gc: Gc<T>) -> Object {
        let gc = ManuallyDrop::new(gc);
        // SAFETY: the reference owned by `gc` moves into the Object.
        unsafe { Object::from_owned(gc.obj()) }
    }
}

// ---- std trait forwarding, as `Rc` does ---------------------------------------------------

impl<T: Trace + Default + 'static> Default for Gc<T> {
    #[track_caller]
    fn default() -> Gc<T> {
        Gc::new(T::default())
    }
}

impl<T: Trace + 'static> From<T> for Gc<T> {
    #[track_caller]
    fn from(value: T) -> Gc<T> {
        Gc::new(value)
    }
}

impl<T> AsRef<T> for Gc<T> {
    fn as_ref(&self) -> &T {
        self
    }
}

impl<T> Borrow<T> for Gc<T> {
    fn borrow(&self) -> &T {
        self
    }
}

impl<T: fmt::Debug> fmt::Debug for Gc<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: fmt::Display> fmt::Display for Gc<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}

impl<T> fmt::Pointer for Gc<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Pointer::fmt(&self.ptr, f)
    }
}

impl<T: PartialEq> PartialEq for Gc<T> {
    fn eq(&self, other: &Gc<T>) -> bool {
        **self == **other
    }
}

impl<T: Eq> Eq for Gc<T> {}

impl<T: PartialOrd> PartialOrd for Gc<T> {
    fn partial_cmp(&self, other: &Gc<T>) -> Option<Ordering> {
        (**self).partial_cmp(&**other)
    }
}

impl<T: Ord> Ord for Gc<T> {
    fn cmp(&self, other: &Gc<T>) -> Ordering {
        (**self).cmp(&**other)
    }
}

impl<T: Hash> Hash for Gc<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (**self).hash(state)
    }
}
