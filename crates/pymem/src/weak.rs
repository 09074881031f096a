//! (L2) Weak references (CPython's `weakref.ref`): per-object lists of weakref nodes, cleared
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

use crate::header::{ObjPtr, RecordHead};
use crate::object::Gc;
use crate::trace::{Trace, Visitor, WeakEdge};

/// An object's weakref list (CPython's `tp_weaklistoffset` slot). 16-aligned so that
/// `Head::meta` can point here with its flag bits; `repr(C)` with the [`RecordHead`] first,
/// so that the header reads the vtable through it.
#[repr(C, align(16))]
pub(crate) struct WeakRecord {
    /// The object's vtable, which `meta` no longer points to directly.
    head: RecordHead,
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
    /// `__callback__`: taken (so it runs at most once) when the referent dies.
    callback: Cell<Option<Callback>>,
    /// The collector took the callback (a cyclic death): CPython's `handle_weakrefs`
    /// leaves `wr_callback` set, so `__callback__` is still not `None` afterwards, where
    /// a death by refcount (`PyObject_ClearWeakRefs`) clears it first.
    callback_kept: Cell<bool>,
}

/// Who is clearing an object's weak references.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Clearing {
    /// The object's count reached zero (or `Gc::try_unwrap` took its value).
    Death,
    /// The collector found it unreachable.
    Collector,
}

/// A weakref callback, type-erased. It receives the node with one handle counted for it,
/// which it takes over (as a `Weak<T>` it lends to the user's closure, then drops).
type Callback = Box<dyn FnOnce(NonNull<WeakNode>)>;

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

/// `obj`'s weakref record, if it has one: the header knows it as its [`RecordHead`].
fn record_ptr(obj: ObjPtr) -> Option<NonNull<WeakRecord>> {
    obj.weak_record().map(NonNull::cast)
}

/// The record of `obj`, created on first use.
fn record_of<'a>(obj: ObjPtr) -> &'a WeakRecord {
    let record = record_ptr(obj).unwrap_or_else(|| {
        let record = WeakRecord {
            head: RecordHead {
                vtable: obj.vtable(),
            },
            first: Cell::new(None),
            shared: Cell::new(None),
        };
        let record = NonNull::from(Box::leak(Box::new(record)));
        obj.install_weak_record(record.cast());
        record
    });
    record_ref(record)
}

/// A new node linked into `record` after `after` (or first): CPython keeps the shared
/// callback-less ref first and puts each newer ref right after it, so callbacks run newest
/// first.
fn new_node(
    obj: ObjPtr,
    record: &WeakRecord,
    after: Option<NonNull<WeakNode>>,
    callback: Option<Callback>,
) -> NonNull<WeakNode> {
    let next = after.map_or(record.first.get(), |a| node_ref(a).next.get());
    let node = WeakNode {
        referent: Cell::new(Some(obj)),
        handles: Cell::new(0),
        next: Cell::new(next),
        prev: Cell::new(after),
        gc_visits: Cell::new(0),
        callback: Cell::new(callback),
        callback_kept: Cell::new(false),
    };
    let node = NonNull::from(Box::leak(Box::new(node)));
    if let Some(next) = next {
        node_ref(next).prev.set(Some(node));
    }
    match after {
        Some(a) => node_ref(a).next.set(Some(node)),
        None => record.first.set(Some(node)),
    }
    node
}

/// `Gc::downgrade`: one more handle on the object's shared node.
pub(crate) fn downgrade(obj: ObjPtr) -> NonNull<WeakNode> {
    let record = record_of(obj);
    let node = record.shared.get().unwrap_or_else(|| {
        let node = new_node(obj, record, None, None);
        record.shared.set(Some(node));
        node
    });
    add_handle(node);
    node
}

/// `weakref.ref(obj, callback)`: a node of its own (never shared), with one handle.
pub(crate) fn with_callback(obj: ObjPtr, callback: Callback) -> NonNull<WeakNode> {
    let record = record_of(obj);
    let node = new_node(obj, record, record.shared.get(), Some(callback));
    add_handle(node);
    node
}

fn add_handle(node: NonNull<WeakNode>) {
    add_handles(node, 1);
}

/// `n` more handles on `node`. Overflow of its count, or of the thread's total, aborts:
/// a wrapped count would free the node while handles point to it, and a wrapped total
/// would make the collector skip its weakref pass while handles can upgrade.
pub(crate) fn add_handles(node: NonNull<WeakNode>, n: usize) {
    let node = node_ref(node);
    let (Some(count), Some(live)) = (
        node.handles.get().checked_add(n),
        LIVE_HANDLES.get().checked_add(n),
    ) else {
        weak_count_overflow()
    };
    node.handles.set(count);
    LIVE_HANDLES.set(live);
}

/// Aborts, writing to the process's stderr directly (see `header::refcount_overflow`).
#[cold]
#[inline(never)]
fn weak_count_overflow() -> ! {
    use std::io::Write;
    let _ = std::io::stderr().write_all(b"pymem: weak reference count overflow; aborting\n");
    std::process::abort()
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
    record_ptr(obj).is_some_and(|r| record_ref(r).shared.get() == Some(node))
}

fn free_node(node: NonNull<WeakNode>) {
    // SAFETY: the node came from `Box::leak`, has no handles, and no record links it.
    drop(unsafe { Box::from_raw(node.as_ptr()) });
}

/// Takes `node` out of `obj`'s record; the record goes when it has no nodes left.
fn unlink(obj: ObjPtr, node: NonNull<WeakNode>) {
    let Some(record_ptr) = record_ptr(obj) else {
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

/// Callbacks due after weak references were cleared, in list order, each holding a handle
/// on its node (CPython's `wrcb_to_call`, which holds a reference to each weakref).
#[must_use = "the callbacks must be run (run_callbacks) or dropped"]
pub(crate) struct Due(Vec<(NonNull<WeakNode>, Callback)>);

impl Due {
    pub(crate) const fn none() -> Due {
        Due(Vec::new())
    }

    pub(crate) fn append(&mut self, mut other: Due) {
        self.0.append(&mut other.0);
    }
}

impl Drop for Due {
    /// Callbacks that are not run give their handles back; a callback whose drop panics
    /// is reported, and the rest still go.
    fn drop(&mut self) {
        for (node, callback) in self.0.drain(..) {
            crate::unraisable::drop_reporting(callback, || "a weakref callback".into());
            release(node);
        }
    }
}

/// Clears every weak reference to `obj` (its death, or the collector found it unreachable):
/// each node forgets its referent (an idle one, with no handles, is freed), the record is
/// freed, and the callbacks of nodes that still have handles are taken out and returned.
pub(crate) fn clear_weakrefs(obj: ObjPtr, by: Clearing) -> Due {
    let Some(record_ptr) = record_ptr(obj) else {
        return Due::none();
    };
    let mut due = Due::none();
    let mut node = record_ref(record_ptr).first.get();
    while let Some(current) = node {
        let n = node_ref(current);
        node = n.next.get();
        n.referent.set(None);
        n.next.set(None);
        n.prev.set(None);
        if n.handles.get() == 0 {
            free_node(current);
        } else if let Some(callback) = n.callback.take() {
            n.callback_kept.set(by == Clearing::Collector);
            add_handle(current);
            due.0.push((current, callback));
        }
    }
    free_record(obj, record_ptr);
    due
}

/// An object is being destroyed: clear its weak references and run their callbacks.
/// Budget without weak references: one header test.
#[inline]
pub(crate) fn on_death(obj: ObjPtr) {
    if record_ptr(obj).is_some() {
        on_death_slow(obj);
    }
}

#[cold]
#[inline(never)]
fn on_death_slow(obj: ObjPtr) {
    run_callbacks(clear_weakrefs(obj, Clearing::Death));
}

/// Runs due callbacks in order. Inside each, every weak reference to the dead object
/// upgrades to `None`. A panicking callback is reported as unraisable and the rest run.
pub(crate) fn run_callbacks(mut due: Due) {
    for (node, callback) in std::mem::take(&mut due.0) {
        if let Err(panic) = crate::unwind::catch(|| callback(node)) {
            let what = format!("<weakref callback at {:#x}>", node.as_ptr().addr());
            crate::unraisable::report(panic, &what);
        }
    }
}

/// Number of weak reference objects to `obj` that have handles (`weakref.getweakrefcount`).
pub(crate) fn weakref_count(obj: ObjPtr) -> usize {
    nodes(obj)
        .filter(|&node| node_ref(node).handles.get() > 0)
        .count()
}

/// The weak reference objects to `obj`, each with one new handle (`weakref.getweakrefs`),
/// in list order.
pub(crate) fn weakrefs(obj: ObjPtr) -> Vec<NonNull<WeakNode>> {
    let live = nodes(obj).filter(|&node| node_ref(node).handles.get() > 0);
    live.inspect(|&node| add_handle(node)).collect()
}

/// Number of `Weak` handles to `obj`.
pub(crate) fn weak_count(obj: ObjPtr) -> usize {
    nodes(obj).map(|node| node_ref(node).handles.get()).sum()
}

/// The nodes registered on `obj`, in list order (newest first, the shared node where it was
/// created).
fn nodes(obj: ObjPtr) -> impl Iterator<Item = NonNull<WeakNode>> {
    let first = record_ptr(obj).and_then(|r| record_ref(r).first.get());
    core::iter::successors(first, |&node| node_ref(node).next.get())
}

/// The collector's weakref pass, step 1: `edges` are the weak handles found inside
/// unreachable objects. A node all of whose handles are among them is itself garbage
/// (CPython: a weakref in the unreachable set) and is cleared, so nothing can reach a
/// reachable object through it while the garbage is destroyed (bpo-38006).
pub(crate) fn clear_garbage_nodes(edges: &[WeakEdge]) {
    let edges = || edges.iter().map(|edge| edge.0.cast::<WeakNode>());
    for node in edges() {
        let n = node_ref(node);
        n.gc_visits.set(n.gc_visits.get() + 1);
    }
    for node in edges() {
        let n = node_ref(node);
        if n.gc_visits.get() == n.handles.get()
            && let Some(obj) = n.referent.get()
        {
            unlink(obj, node);
        }
    }
    for node in edges() {
        node_ref(node).gc_visits.set(0);
    }
}

/// A weak reference to a [`Gc`] object (CPython's `weakref.ref`).
///
/// It does not keep the object alive. [`Weak::upgrade`] returns a new `Gc` while the object
/// lives and `None` from the moment it starts dying: at refcount death, or as soon as the
/// collector finds it unreachable (before any value of its cycle is dropped).
///
/// ```
/// use pymem::{Gc, Weak};
///
/// let obj = Gc::new(String::from("cached"));
/// let weak = Gc::downgrade(&obj);
/// assert_eq!(weak.upgrade().as_deref().map(String::as_str), Some("cached"));
/// let called = std::rc::Rc::new(std::cell::Cell::new(false));
/// let flag = called.clone();
/// let watched = Weak::with_callback(&obj, move |_| flag.set(true));
/// drop(obj); // the last strong reference: the callback runs, weak references go dead
/// assert!(called.get() && weak.upgrade().is_none() && watched.upgrade().is_none());
/// ```
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

    /// The weak reference object this handle counts on, if any (`Weak::new` has none).
    pub(crate) fn node(&self) -> Option<NonNull<WeakNode>> {
        self.node
    }

    pub(crate) fn from_node(node: NonNull<WeakNode>) -> Weak<T> {
        Weak {
            node: Some(node),
            _target: PhantomData,
        }
    }

    /// A weak reference whose `callback` runs once when the object dies, if this weak
    /// reference (or a clone of it) is still alive then (CPython's `weakref.ref(obj,
    /// callback)`). Inside the callback every weak reference to the object upgrades to
    /// `None`. Callbacks of one object run newest first; at refcount death they run after
    /// the object's finalizer and before its value is dropped; for cyclic garbage they run
    /// before any finalizer of the cycle. A callback whose weak reference is itself part of
    /// the garbage never runs.
    pub fn with_callback(target: &Gc<T>, callback: impl FnOnce(&Weak<T>) + 'static) -> Weak<T>
    where
        T: 'static,
    {
        let erased: Callback = Box::new(move |node| {
            let weak = Weak::<T>::from_node(node); // takes over the handle counted for us
            callback(&weak);
        });
        Weak::from_node(with_callback(target.obj(), erased))
    }

    /// CPython's `__callback__ is not None`: whether a callback is attached. It is until
    /// the object dies by refcount (then `None`, also inside the callback). When the
    /// collector frees the object instead, CPython leaves the callback attached after it
    /// ran (and while it runs), and so does this (checked against CPython 3.13 in
    /// `tests/all/pep442.rs`, scenario 54).
    pub fn has_callback(&self) -> bool {
        self.node.is_some_and(|node| {
            let n = node_ref(node);
            let callback = n.callback.take();
            let has = callback.is_some() || n.callback_kept.get();
            n.callback.set(callback);
            has
        })
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

    /// Whether the referent is alive (`upgrade` would succeed), without a count change.
    pub(crate) fn is_alive(&self) -> bool {
        self.referent()
            .is_some_and(|obj| obj.refcnt() > 0 && !obj.is_dead())
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

    fn trace(&self, visitor: &mut Visitor<'_>) {
        if let Some(node) = self.node {
            visitor.weak_edge(WeakEdge(node.cast()));
        }
    }
}
