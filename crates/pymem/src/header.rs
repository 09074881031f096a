//! (L0) Object headers: the only file that masks or shifts header bits.
//!
//! Every object is one block. A tracked object (its type can hold `Gc` edges) carries CPython's
//! `PyGC_Head` in front of the object header; an untracked one does not:
//!
//! ```text
//!             tracked object                       untracked object
//!   block -> +---------------------+
//!            | next   (Links)      |  8
//!            | prev   (Links)      |  8
//!   Gc<T> -> +---------------------+      block, Gc<T> -> +---------------------+
//!            | refcnt (Head)       |  8                  | refcnt (Head)       |  8
//!            | meta   (Head)       |  8                  | meta   (Head)       |  8
//!            +---------------------+                     +---------------------+
//!            | value: T            |                     | value: T            |
//!            +---------------------+                     +---------------------+
//!                     32 bytes of header                         16 bytes
//! ```
//! (`T` with an alignment above 16 gets padding in front of `Links` so that `Links` stays
//! exactly 16 bytes before `Head`; see `object::BoxLayout`.)
//!
//! `meta` is a pointer to the type's [`VTable`] (16-aligned) or, once the object has weak
//! references, to its [`RecordHead`] (which holds the vtable pointer), with four flag bits:
//!
//! | bit | name       | set by                                   | cleared by                  |
//! |-----|------------|------------------------------------------|-----------------------------|
//! | 0   | `DEAD`     | `delete_garbage` before dropping values  | never (block is freed)      |
//! | 1   | `FINALIZED`| before a finalizer runs (PEP 442: once); at allocation for types without one | never |
//! | 2   | `WEAKREFS` | the first `Gc::downgrade`                | clearing weakrefs at death  |
//! | 3   | `TRACKED_TYPE` | `Head::new` for types with `TRACKED` | never                   |
//!
//! `Links` is CPython's `PyGC_Head`, with the same two tricks:
//! * `next == 0` means untracked; otherwise it is the address of the next `Links` in the
//!   object's list. (CPython also borrows bit 0 of `next` during `move_unreachable`;
//!   pymem marks reachable objects with an explicit stack instead, see `collect/reach.rs`.)
//! * `prev` is the address of the previous `Links` between collections; during a collection
//!   it holds `gc_refs << 2 | COLLECTING << 1` and the list is singly linked until
//!   `mark_reachable`'s scan restores it (`collect/reach.rs`); `move_unreachable` then
//!   relinks both lists with real pointers.

use core::cell::Cell;
use core::ptr::{self, NonNull};

use crate::vtable::VTable;

/// The first field of an object's weakref record (`weak::WeakRecord`, `repr(C)`), which
/// `meta` points to once the object has weak references: the type's vtable, still one
/// load away. The rest of the record is `weak.rs`'s.
#[repr(C, align(16))]
pub(crate) struct RecordHead {
    pub(crate) vtable: &'static VTable,
}

const DEAD: usize = 1;
const FINALIZED: usize = 2;
const WEAKREFS: usize = 4;
const TRACKED_TYPE: usize = 8;
const META_FLAGS: usize = 0b1111;

/// `prev` bit: the object belongs to the set being collected.
const PREV_COLLECTING: usize = 0b10;
/// `prev` bits below the `gc_refs` field.
const PREV_SHIFT: u32 = 2;
const PREV_FLAGS: usize = (1 << PREV_SHIFT) - 1;
/// The largest `gc_refs` `update_refs` stores (see [`ObjLinks::reset_refs`]).
const MAX_GC_REFS: usize = usize::MAX >> (PREV_SHIFT + 1);

/// The header every object starts with (CPython's `PyObject_HEAD`).
#[repr(C)]
pub(crate) struct Head {
    refcnt: Cell<usize>,
    /// `&'static VTable` or `&RecordHead`, tagged with the flag bits via `map_addr`.
    meta: Cell<*mut ()>,
}

/// The list links in front of a tracked object's [`Head`] (CPython's `PyGC_Head`); also the
/// type of a list head. Both words are pointers so that tag bits keep provenance.
#[repr(C)]
pub(crate) struct Links {
    next: Cell<*mut Links>,
    prev: Cell<*mut Links>,
}
/// Bytes from a tracked object's `Links` to its `Head`.
pub(crate) const LINKS_SIZE: usize = size_of::<Links>();

const _: () = assert!(LINKS_SIZE == 16 && size_of::<Head>() == 16);
const _: () = assert!(align_of::<VTable>() > META_FLAGS && align_of::<RecordHead>() > META_FLAGS);

impl Head {
    /// A header for a fresh object: one strong reference; `TRACKED_TYPE` if the type has
    /// links; `FINALIZED` if it has no finalizer (so that "is a finalizer pending?" is one
    /// header test on the dealloc path).
    pub(crate) fn new(vtable: &'static VTable) -> Head {
        let tracked = if vtable.tracked { TRACKED_TYPE } else { 0 };
        let finalized = if vtable.finalizer.is_none() {
            FINALIZED
        } else {
            0
        };
        let flags = tracked | finalized;
        let meta = (vtable as *const VTable)
            .cast_mut()
            .cast::<()>()
            .map_addr(|a| a | flags);
        Head {
            refcnt: Cell::new(1),
            meta: Cell::new(meta),
        }
    }
}

impl Links {
    /// Links of an untracked object (`next == null`).
    pub(crate) const fn untracked() -> Links {
        Links {
            next: Cell::new(ptr::null_mut()),
            prev: Cell::new(ptr::null_mut()),
        }
    }
}

/// A pointer to the [`Head`] of some object, of any type.
///
/// Invariant: the block it points to is allocated (not yet freed). Holders either own a
/// strong reference or work inside a phase (a collection, a dealloc) that keeps the block
/// allocated; each such place says which.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[repr(transparent)]
pub(crate) struct ObjPtr(NonNull<Head>);

impl ObjPtr {
    /// # Safety
    /// `head` must point to the `Head` of an allocated block, and stay so while the
    /// returned value (or copies of it) is used.
    #[inline]
    pub(crate) const unsafe fn new(head: NonNull<Head>) -> ObjPtr {
        ObjPtr(head)
    }

    #[inline]
    pub(crate) fn as_ptr(self) -> NonNull<Head> {
        self.0
    }

    /// CPython's `id()`: the object's address.
    #[inline]
    pub(crate) fn addr(self) -> usize {
        self.0.as_ptr().addr()
    }

    #[inline]
    fn head(&self) -> &Head {
        // SAFETY: by the type invariant the block, and so its `Head`, is allocated.
        unsafe { self.0.as_ref() }
    }

    #[inline]
    pub(crate) fn refcnt(self) -> usize {
        self.head().refcnt.get()
    }

    #[inline]
    pub(crate) fn set_refcnt(self, n: usize) {
        self.head().refcnt.set(n)
    }

    /// Adds a strong reference. Overflow aborts: it needs `usize::MAX` leaked handles, and
    /// wrapping would free a live object (std's `Rc` makes the same choice).
    /// Budget: 3 instructions and a never-taken branch.
    #[inline]
    pub(crate) fn incref(self) {
        let n = self.refcnt().wrapping_add(1);
        self.set_refcnt(n);
        if n == 0 {
            refcount_overflow();
        }
    }

    /// Adds `n` strong references at once (`__private::forget_clones`). Overflow aborts, as
    /// in [`incref`](ObjPtr::incref).
    pub(crate) fn incref_by(self, n: usize) {
        match self.refcnt().checked_add(n) {
            Some(count) => self.set_refcnt(count),
            None => refcount_overflow(),
        }
    }

    /// Drops a strong reference and returns the new count. The caller handles zero.
    #[inline]
    pub(crate) fn decref(self) -> usize {
        let n = self.refcnt();
        debug_assert!(n > 0, "decref of an object whose count is already zero");
        self.set_refcnt(n - 1);
        n - 1
    }

    #[inline]
    fn flags(self) -> usize {
        self.head().meta.get().addr() & META_FLAGS
    }

    #[inline]
    fn set_flag(self, flag: usize) {
        let meta = self.head().meta.get();
        self.head().meta.set(meta.map_addr(|a| a | flag));
    }

    /// The type's slots, wherever `meta` points.
    #[inline]
    pub(crate) fn vtable(self) -> &'static VTable {
        let meta = self.head().meta.get();
        let untagged = meta.map_addr(|a| a & !META_FLAGS);
        if meta.addr() & WEAKREFS != 0 {
            // SAFETY: with WEAKREFS set, `meta` points to the object's live weakref record,
            // which starts with a `RecordHead` (`weak.rs` frees it only after
            // `remove_weak_record`).
            unsafe { (*untagged.cast::<RecordHead>()).vtable }
        } else {
            // SAFETY: without WEAKREFS, `meta` holds the `&'static VTable` given to `Head::new`.
            unsafe { &*untagged.cast::<VTable>() }
        }
    }

    /// Whether the collector dropped this object's value (a handle outlived its cycle).
    #[inline]
    pub(crate) fn is_dead(self) -> bool {
        self.flags() & DEAD != 0
    }

    pub(crate) fn set_dead(self) {
        self.set_flag(DEAD)
    }

    /// PEP 442's persistent "finalizer has run" bit, also set for types without a finalizer
    /// (`gc.is_finalized` asks the vtable too).
    #[inline]
    pub(crate) fn is_finalized(self) -> bool {
        self.flags() & FINALIZED != 0
    }

    pub(crate) fn set_finalized(self) {
        self.set_flag(FINALIZED)
    }

    /// The object's weakref record, while it has one.
    #[inline]
    pub(crate) fn weak_record(self) -> Option<NonNull<RecordHead>> {
        let meta = self.head().meta.get();
        if meta.addr() & WEAKREFS == 0 {
            return None;
        }
        NonNull::new(meta.map_addr(|a| a & !META_FLAGS).cast::<RecordHead>())
    }

    /// Points `meta` at a weakref record (which carries the vtable) and sets `WEAKREFS`.
    pub(crate) fn install_weak_record(self, record: NonNull<RecordHead>) {
        debug_assert!(self.weak_record().is_none());
        let flags = self.flags() | WEAKREFS;
        self.head()
            .meta
            .set(record.as_ptr().cast::<()>().map_addr(|a| a | flags));
    }

    /// Points `meta` back at the vtable and clears `WEAKREFS`; the caller frees the record.
    pub(crate) fn remove_weak_record(self) {
        let vtable = (self.vtable() as *const VTable).cast_mut().cast::<()>();
        let flags = self.flags() & !WEAKREFS;
        self.head().meta.set(vtable.map_addr(|a| a | flags));
    }

    /// Whether the object's type is tracked, i.e. its block has `Links` (one header load,
    /// no vtable access: this runs for every edge the collector visits).
    #[inline]
    pub(crate) fn has_links(self) -> bool {
        self.flags() & TRACKED_TYPE != 0
    }

    /// The links of a tracked-type object.
    ///
    /// # Safety
    /// The object's type must be tracked (`has_links`): only those blocks have `Links`.
    #[inline]
    pub(crate) unsafe fn links(self) -> ObjLinks {
        debug_assert!(self.has_links());
        // SAFETY: tracked blocks place `Links` exactly LINKS_SIZE bytes before `Head` in the
        // same allocation (`object::BoxLayout`).
        let links = unsafe { self.0.cast::<u8>().sub(LINKS_SIZE).cast::<Links>() };
        ObjLinks(links)
    }

    /// The links, if the object's type is tracked.
    #[inline]
    pub(crate) fn links_if_tracked(self) -> Option<ObjLinks> {
        // SAFETY: checked that the type is tracked.
        self.has_links().then(|| unsafe { self.links() })
    }
}

/// Aborts: a wrapped count would free a live object. Writes to the process's stderr
/// directly: `eprintln!` would panic if stderr is closed, and unwinding from here would
/// leave the wrapped count behind.
#[cold]
#[inline(never)]
fn refcount_overflow() -> ! {
    use std::io::Write;
    let _ = std::io::stderr().write_all(b"pymem: reference count overflow; aborting\n");
    std::process::abort()
}

/// The [`Links`] of a tracked object (never a list head).
///
/// Invariant: as for [`ObjPtr`], the block is allocated, and its type is tracked.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct ObjLinks(NonNull<Links>);

impl ObjLinks {
    /// # Safety
    /// `links` must be the `Links` of an allocated, tracked-type block (not a list head).
    #[inline]
    pub(crate) const unsafe fn from_ptr(links: NonNull<Links>) -> ObjLinks {
        ObjLinks(links)
    }

    #[inline]
    pub(crate) fn as_ptr(self) -> NonNull<Links> {
        self.0
    }

    #[inline]
    pub(crate) fn fields(&self) -> &Links {
        // SAFETY: by the type invariant the block, and so its `Links`, is allocated.
        unsafe { self.0.as_ref() }
    }

    #[inline]
    pub(crate) fn obj(self) -> ObjPtr {
        // SAFETY: `Head` follows `Links` by LINKS_SIZE bytes in the same allocated block.
        unsafe { ObjPtr::new(self.0.cast::<u8>().add(LINKS_SIZE).cast::<Head>()) }
    }

    /// CPython's `_PyObject_GC_IS_TRACKED`: linked into some list.
    #[inline]
    pub(crate) fn is_tracked(self) -> bool {
        !self.fields().next.get().is_null()
    }

    // ---- collection-time fields in `prev` -------------------------------------------------

    #[inline]
    fn prev_word(self) -> usize {
        self.fields().prev.get().addr()
    }

    /// Stores a non-pointer value in `prev` (it is never dereferenced while it holds one).
    #[inline]
    fn set_prev_word(self, word: usize) {
        self.fields().prev.set(ptr::without_provenance_mut(word));
    }

    /// CPython's `gc_reset_refs`: `gc_refs = refs` and mark COLLECTING (update_refs).
    ///
    /// `gc_refs` has `PREV_SHIFT` bits fewer than a count, so a count of `2^62` (leaked
    /// handles; nothing bounds them) would wrap to 0 and make a referenced object look
    /// unreachable. It is capped at [`MAX_GC_REFS`] instead, which stays above the edges that
    /// can point at one object (each lives in memory, 8 bytes or more) and leaves room for
    /// `subtract_refs`' pin (+1): an object with such a count always survives, as it must.
    #[inline]
    pub(crate) fn reset_refs(self, refs: usize) {
        let refs = refs.min(MAX_GC_REFS);
        self.set_prev_word((refs << PREV_SHIFT) | PREV_COLLECTING);
    }

    #[inline]
    pub(crate) fn gc_refs(self) -> usize {
        self.prev_word() >> PREV_SHIFT
    }

    /// Keeps the flag bits, replaces `gc_refs`.
    #[inline]
    pub(crate) fn set_gc_refs(self, refs: usize) {
        let flags = self.prev_word() & PREV_FLAGS;
        self.set_prev_word((refs << PREV_SHIFT) | flags);
    }

    /// `gc_refs -= n`, or false if that would go below zero (a `Trace` impl reported an
    /// edge twice, CPython's "refcount is too small"); the caller decides what that means.
    #[inline]
    pub(crate) fn try_subtract_gc_refs(self, n: usize) -> bool {
        let word = self.prev_word();
        if word >> PREV_SHIFT < n {
            return false;
        }
        self.set_prev_word(word - (n << PREV_SHIFT));
        true
    }

    #[inline]
    pub(crate) fn is_collecting(self) -> bool {
        self.prev_word() & PREV_COLLECTING != 0
    }

    #[inline]
    pub(crate) fn clear_collecting(self) {
        let prev = self.fields().prev.get();
        self.fields()
            .prev
            .set(prev.map_addr(|a| a & !PREV_COLLECTING));
    }
}

// ---- raw link words: used by `list.rs` only ------------------------------------------------

impl Links {
    #[inline]
    pub(crate) fn next_ptr(&self) -> NonNull<Links> {
        let next = self.next.get();
        debug_assert!(!next.is_null(), "next of an untracked object");
        // SAFETY: a linked `next` word holds the non-null address of a `Links`.
        unsafe { NonNull::new_unchecked(next) }
    }

    #[inline]
    pub(crate) fn prev_ptr(&self) -> NonNull<Links> {
        let prev = self.prev.get().map_addr(|a| a & !PREV_FLAGS);
        debug_assert!(!prev.is_null(), "prev of an untracked object");
        // SAFETY: between collections (and for list heads always) `prev` holds the non-null
        // address of a `Links`.
        unsafe { NonNull::new_unchecked(prev) }
    }

    /// Stores a next pointer.
    #[inline]
    pub(crate) fn set_next(&self, next: NonNull<Links>) {
        self.next.set(next.as_ptr());
    }

    #[cfg(feature = "expensive-checks")]
    pub(crate) fn prev_has_flags(&self) -> bool {
        self.prev.get().addr() & PREV_FLAGS != 0
    }

    /// Stores a prev pointer, keeping this node's flag bits (CPython's `_PyGCHead_SET_PREV`).
    #[inline]
    pub(crate) fn set_prev_keep_flags(&self, prev: NonNull<Links>) {
        let flags = self.prev.get().addr() & PREV_FLAGS;
        self.prev.set(prev.as_ptr().map_addr(|a| a | flags));
    }

    /// Stores a plain prev pointer (no flags): list heads, and objects between collections.
    #[inline]
    pub(crate) fn set_prev(&self, prev: NonNull<Links>) {
        self.prev.set(prev.as_ptr());
    }

    /// Marks the node untracked (the tail of CPython's `gc_list_remove`).
    #[inline]
    pub(crate) fn set_untracked(&self) {
        self.next.set(ptr::null_mut());
        self.prev.set(ptr::null_mut());
    }
}
