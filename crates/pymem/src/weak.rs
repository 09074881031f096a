//! Weak references (CPython's `weakref.ref`): per-object lists of weakref nodes, cleared
//! when the referent dies.
//!
//! ```text
//!  object Head.meta ──WEAKREFS──> WeakRecord { vtable, first ─> node ─> node ─> … }
//!                                                 shared ─┘ (the callback-less node)
//!  Weak<T> handles ──> WeakNode { referent, handles, next, prev }
//! ```
//! A node lives while `Weak` handles point to it. Clearing (death of the referent, or the
//! collector finding the referent unreachable) sets `referent` to `None` and unlinks the
//! node; the handles then upgrade to `None`. The record exists only while nodes are
//! registered, so objects that were never weakly referenced pay nothing.

use core::cell::Cell;
use core::fmt;
use core::marker::PhantomData;
use core::ptr::NonNull;

use crate::header::ObjPtr;
use crate::object::Gc;
use crate::trace::{Trace, Tracer};
use crate::vtable::VTable;

/// An object's weakref list (CPython's `tp_weaklistoffset` slot). 16-aligned so that
/// `Head::meta` can point here with its flag bits.
#[repr(C, align(16))]
pub(crate) struct WeakRecord {
    /// The object's vtable, which `meta` no longer points to directly.
    pub(crate) vtable: &'static VTable,
    first: Cell<Option<NonNull<WeakNode>>>,
    /// The shared callback-less node, reused by every `downgrade` (`ref(o) is ref(o)`).
    shared: Cell<Option<NonNull<WeakNode>>>,
}

/// One weak reference object.
///
/// Invariant: `referent` is `Some` exactly while the node is linked into that object's
/// record; clearing happens before the referent's block is freed, so `referent` always
/// points to an allocated block.
pub(crate) struct WeakNode {
    referent: Cell<Option<ObjPtr>>,
    /// `Weak` handles pointing here; the node is freed when this reaches zero.
    handles: Cell<usize>,
    next: Cell<Option<NonNull<WeakNode>>>,
    prev: Cell<Option<NonNull<WeakNode>>>,
    /// Scratch for the collector's weakref pass: handles found inside unreachable objects.
    gc_visits: Cell<usize>,
}

thread_local! {
    /// `Weak` handles alive on this thread (on registered nodes): while there are none,
    /// nothing can upgrade, and the collector skips its weakref pass.
    static LIVE_HANDLES: Cell<usize> = const { Cell::new(0) };
}

/// Number of `Weak` handles on registered nodes alive on this thread.
pub(crate) fn live_handles() -> usize {
    LIVE_HANDLES.get()
}

fn node_ref<'a>(node: NonNull<WeakNode>) -> &'a WeakNode {
    // SAFETY: nodes are freed only when their last handle goes (`release`), and every
    // caller holds a handle or reached the node through a record that links it.
    unsafe { node.as_ref() }
}

fn record_ref<'a>(record: NonNull<WeakRecord>) -> &'a WeakRecord {
    // SAFETY: a record is freed only after `remove_weak_record` unhooks it from its object,
    // and callers reach it through that object's live `meta`.
    unsafe { record.as_ref() }
}

/// The record of `obj`, created on first use.
fn record_of<'a>(obj: ObjPtr) -> &'a WeakRecord {
    let record = obj.weak_record().unwrap_or_else(|| {
        let record = WeakRecord {
            vtable: obj.vtable(),
            first: Cell::new(None),
            shared: Cell::new(None),
        };
        let record = NonNull::from(Box::leak(Box::new(record)));
        obj.install_weak_record(record);
        record
    });
    record_ref(record)
}

fn new_node(obj: ObjPtr, record: &WeakRecord) -> NonNull<WeakNode> {
    let node = WeakNode {
        referent: Cell::new(Some(obj)),
        handles: Cell::new(0),
        next: Cell::new(record.first.get()),
        prev: Cell::new(None),
        gc_visits: Cell::new(0),
    };
    let node = NonNull::from(Box::leak(Box::new(node)));
    if let Some(first) = record.first.get() {
        node_ref(first).prev.set(Some(node));
    }
    record.first.set(Some(node));
    node
}

/// `Gc::downgrade`: one more handle on the object's shared node.
pub(crate) fn downgrade(obj: ObjPtr) -> NonNull<WeakNode> {
    let record = record_of(obj);
    let node = record.shared.get().unwrap_or_else(|| {
        let node = new_node(obj, record);
        record.shared.set(Some(node));
        node
    });
    add_handle(node);
    node
}

fn add_handle(node: NonNull<WeakNode>) {
    let n = node_ref(node);
    let count = n
        .handles
        .get()
        .checked_add(1)
        .unwrap_or_else(|| std::process::abort());
    n.handles.set(count);
    LIVE_HANDLES.set(LIVE_HANDLES.get() + 1);
}

/// One handle fewer. The last one frees the node, except an object's shared node, which
/// stays registered (idle) until the object dies, so that the next `downgrade` costs a
/// count and not two allocations (`Rc::downgrade` is a count too).
fn release(node: NonNull<WeakNode>) {
    let n = node_ref(node);
    n.handles.set(n.handles.get() - 1);
    LIVE_HANDLES.set(LIVE_HANDLES.get() - 1);
    if n.handles.get() > 0 {
        return;
    }
    match n.referent.get() {
        Some(obj) if is_shared(obj, node) => {}
        Some(obj) => {
            unlink(obj, node);
            free_node(node);
        }
        None => free_node(node),
    }
}

fn is_shared(obj: ObjPtr, node: NonNull<WeakNode>) -> bool {
    obj.weak_record()
        .is_some_and(|r| record_ref(r).shared.get() == Some(node))
}

fn free_node(node: NonNull<WeakNode>) {
    // SAFETY: the node came from `Box::leak`, has no handles, and no record links it.
    drop(unsafe { Box::from_raw(node.as_ptr()) });
}

/// Takes `node` out of `obj`'s record; the record goes when it has no nodes left.
fn unlink(obj: ObjPtr, node: NonNull<WeakNode>) {
    let Some(record_ptr) = obj.weak_record() else {
        return;
    };
    let record = record_ref(record_ptr);
    let n = node_ref(node);
    match n.prev.get() {
        Some(prev) => node_ref(prev).next.set(n.next.get()),
        None => record.first.set(n.next.get()),
    }
    if let Some(next) = n.next.get() {
        node_ref(next).prev.set(n.prev.get());
    }
    if record.shared.get() == Some(node) {
        record.shared.set(None);
    }
    n.referent.set(None);
    n.next.set(None);
    n.prev.set(None);
    if record.first.get().is_none() {
        free_record(obj, record_ptr);
    }
}

fn free_record(obj: ObjPtr, record: NonNull<WeakRecord>) {
    obj.remove_weak_record();
    // SAFETY: the record came from `Box::leak` and `obj.meta` no longer points to it.
    drop(unsafe { Box::from_raw(record.as_ptr()) });
}

/// Clears every weak reference to `obj` (its death, or the collector found it unreachable):
/// each node forgets its referent (an idle one, with no handles, is freed), and the record
/// is freed.
pub(crate) fn clear_weakrefs(obj: ObjPtr) {
    let Some(record_ptr) = obj.weak_record() else {
        return;
    };
    let mut node = record_ref(record_ptr).first.get();
    while let Some(current) = node {
        let n = node_ref(current);
        node = n.next.get();
        n.referent.set(None);
        n.next.set(None);
        n.prev.set(None);
        if n.handles.get() == 0 {
            free_node(current);
        }
    }
    free_record(obj, record_ptr);
}

/// Number of `Weak` handles to `obj`.
pub(crate) fn weak_count(obj: ObjPtr) -> usize {
    nodes(obj).map(|node| node_ref(node).handles.get()).sum()
}

/// The nodes registered on `obj`, in list order (newest first, the shared node where it was
/// created).
fn nodes(obj: ObjPtr) -> impl Iterator<Item = NonNull<WeakNode>> {
    let first = obj.weak_record().and_then(|r| record_ref(r).first.get());
    core::iter::successors(first, |&node| node_ref(node).next.get())
}

/// The collector's weakref pass, step 1: `edges` are the weak handles found inside
/// unreachable objects. A node all of whose handles are among them is itself garbage
/// (CPython: a weakref in the unreachable set) and is cleared, so nothing can reach a
/// reachable object through it while the garbage is destroyed (bpo-38006).
pub(crate) fn clear_garbage_nodes(edges: &[NonNull<WeakNode>]) {
    for &node in edges {
        let n = node_ref(node);
        n.gc_visits.set(n.gc_visits.get() + 1);
    }
    for &node in edges {
        let n = node_ref(node);
        if n.gc_visits.get() == n.handles.get()
            && let Some(obj) = n.referent.get()
        {
            unlink(obj, node);
        }
    }
    for &node in edges {
        node_ref(node).gc_visits.set(0);
    }
}

/// A weak reference to a [`Gc`] object (CPython's `weakref.ref`).
///
/// It does not keep the object alive. [`Weak::upgrade`] returns a new `Gc` while the object
/// lives and `None` from the moment it starts dying: at refcount death, or as soon as the
/// collector finds it unreachable (before any value of its cycle is dropped).
pub struct Weak<T> {
    node: Option<NonNull<WeakNode>>,
    _target: PhantomData<Gc<T>>,
}

impl<T> Weak<T> {
    /// A weak reference to nothing; `upgrade` always returns `None`.
    pub const fn new() -> Weak<T> {
        Weak {
            node: None,
            _target: PhantomData,
        }
    }

    pub(crate) fn from_node(node: NonNull<WeakNode>) -> Weak<T> {
        Weak {
            node: Some(node),
            _target: PhantomData,
        }
    }

    fn referent(&self) -> Option<ObjPtr> {
        self.node.and_then(|node| node_ref(node).referent.get())
    }

    /// A strong reference, if the object is still alive (calling a CPython weakref).
    pub fn upgrade(&self) -> Option<Gc<T>> {
        let obj = self.referent()?;
        if obj.refcnt() == 0 || obj.is_dead() {
            return None;
        }
        obj.incref();
        // SAFETY: the node was created by `Gc::<T>::downgrade`, so the referent is a `T`,
        // and we just counted the reference we hand over.
        Some(unsafe { Gc::from_obj(obj) })
    }

    /// Strong references to the referent (0 once it is gone).
    pub fn strong_count(&self) -> usize {
        self.referent().map_or(0, |obj| obj.refcnt())
    }

    /// `Weak` handles to the referent (0 once it is gone).
    pub fn weak_count(&self) -> usize {
        self.referent().map_or(0, weak_count)
    }

    /// Whether both are the same weak reference object (share a registration).
    pub fn ptr_eq(a: &Weak<T>, b: &Weak<T>) -> bool {
        a.node == b.node
    }
}

impl<T> Default for Weak<T> {
    fn default() -> Weak<T> {
        Weak::new()
    }
}

impl<T> Clone for Weak<T> {
    fn clone(&self) -> Weak<T> {
        if let Some(node) = self.node {
            add_handle(node);
        }
        Weak {
            node: self.node,
            _target: PhantomData,
        }
    }
}

impl<T> Drop for Weak<T> {
    fn drop(&mut self) {
        if let Some(node) = self.node {
            release(node);
        }
    }
}

impl<T> fmt::Debug for Weak<T> {
    /// CPython's repr: `<weakref at 0x…; to 'T' at 0x…>` or `<weakref at 0x…; dead>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = self.node.map_or(0, |n| n.as_ptr().addr());
        match self.referent() {
            Some(obj) if obj.refcnt() > 0 && !obj.is_dead() => write!(
                f,
                "<weakref at {at:#x}; to '{}' at {:#x}>",
                obj.vtable().type_name(),
                obj.addr()
            ),
            _ => write!(f, "<weakref at {at:#x}; dead>"),
        }
    }
}

// SAFETY: a `Weak` owns one weak edge and no strong one; it reports exactly that.
unsafe impl<T> Trace for Weak<T> {
    /// Tracked so that weak references held by garbage are found by the weakref pass.
    const TRACKED: bool = true;

    fn trace(&self, tracer: &mut Tracer<'_>) {
        if let Some(node) = self.node {
            tracer.weak_edge(node);
        }
    }
}
