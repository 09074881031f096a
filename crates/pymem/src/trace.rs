//! (L0) The [`Trace`] contract (CPython's `tp_traverse`) and the [`Visitor`] the collector passes
//! to it.

use core::cell::Cell;
use core::ptr::NonNull;

use crate::header::ObjLinks;
use crate::header::ObjPtr;

/// A type whose values can tell the collector which [`Gc`](crate::Gc) pointers they own
/// (CPython's `tp_traverse`).
///
/// Write `#[derive(Trace)]`; it implements this trait correctly for structs and enums, so
/// you never write `unsafe`. Implement it by hand only for a container the derive cannot
/// see into, and then follow the contract below.
///
/// # Safety
///
/// The cycle collector computes `gc_refs = refcount − edges seen from inside the set`, so an
/// edge reported twice can make a live object look unreachable and get freed, while an edge
/// not reported only makes its target look referenced from outside (a leak, never unsafety).
/// An implementation must therefore:
///
/// 1. Report through `trace` each `Gc` and `Weak` the value owns **at most once** per call,
///    by calling `trace` on it (or on the field, element or variant that holds it). Values
///    shared through `Rc`, `Arc` or references are not owned and must not be reported; this
///    crate provides no `Trace` for those types for that reason.
/// 2. Report the **same set** on every call made during one collection (a subset is allowed
///    only when the call panics). Reading through `RefCell::try_borrow` is fine: while a
///    cell is mutably borrowed its `Trace` reports it as untraceable instead.
/// 3. **Never create, clone, drop or dereference a `Gc`, and mutate nothing** inside
///    `trace` (no `Cell::set`, no `RefCell::borrow_mut`, no write through a pointer; the
///    shared borrow of `RefCell::try_borrow` is fine), and run no code that could (no user
///    callbacks, no `Default`, `Hash` or `Ord` calls). The `Cell<T>` impl relies on this: it
///    reads the cell's value in place, which is sound only while nothing can `set` it.
///    Debug builds panic with "while tracing" when a `Gc` is touched.
/// 4. Set [`TRACKED`](Trace::TRACKED) to `false` only if values of the type can never own a
///    `Gc` or `Weak`. Such types are never linked into a generation and cost what `Rc` costs.
///
/// Panicking inside `trace` is allowed: the collection stops, the collector's lists are
/// restored, and the objects involved stay alive.
///
/// Derived, for the types you write:
///
/// ```
/// use pymem::{Gc, Trace, gc};
/// use std::cell::RefCell;
///
/// #[derive(Trace)]
/// enum Tree {
///     Leaf(#[trace(skip)] u32),
///     Node(RefCell<Vec<Gc<Tree>>>),
/// }
///
/// let leaf = Gc::new(Tree::Leaf(1));
/// let root = Gc::new(Tree::Node(RefCell::new(vec![leaf])));
/// assert_eq!(gc::get_referents(&[&root]).len(), 1);
/// ```
///
/// By hand, for a container the derive cannot see into (here a fixed pair):
///
/// ```
/// use pymem::{Gc, Trace, Visitor};
///
/// struct Pair {
///     left: Gc<String>,
///     right: Gc<String>,
/// }
///
/// // SAFETY: reports each owned `Gc` once, the same on every call, and touches nothing.
/// unsafe impl Trace for Pair {
///     fn trace(&self, visitor: &mut Visitor<'_>) {
///         self.left.trace(visitor);
///         self.right.trace(visitor);
///     }
/// }
///
/// let text = Gc::new(String::from("x"));
/// let pair = Gc::new(Pair { left: text.clone(), right: text });
/// assert_eq!(pymem::gc::get_referents(&[&pair]).len(), 2);
/// ```
pub unsafe trait Trace {
    /// Whether values can own edges; `false` makes the type untracked (CPython's atomic
    /// objects, decided at compile time). Defaults to `true`, the conservative answer.
    const TRACKED: bool = true;

    /// The type's finalizer; `#[derive(Trace)]` with `#[trace(finalize)]` sets it to the
    /// type's [`Finalize`](crate::Finalize) impl. Leave it alone in hand-written impls.
    #[doc(hidden)]
    const FINALIZER: Option<crate::vtable::FinalizeFn> = None;

    /// The type's free lists; `#[derive(Trace)]` with `#[trace(freelist)]` sets it from the
    /// type's [`FreeList`](crate::freelist::FreeList) impl. Leave it alone in hand-written
    /// impls.
    #[doc(hidden)]
    const FREE_LISTS: Option<crate::freelist::FreeListHooks> = None;

    /// Reports every owned `Gc`/`Weak` once, by calling `trace` on the fields that hold them.
    fn trace(&self, visitor: &mut Visitor<'_>);

    /// The name `gc.DEBUG_COLLECTABLE`'s lines give this object, where CPython prints
    /// `Py_TYPE(op)->tp_name`. Defaults to the Rust type's name; override it (or derive with
    /// `#[trace(type_name = path)]`) when one Rust type stands for many kinds of object, as
    /// an interpreter's instances, named by their class.
    ///
    /// It is called during a collection, with the value alive and held by a temporary
    /// reference, as a finalizer is: it may run any code (drop or keep references into the
    /// garbage; the collector then checks the set's reachability again), and a panic is
    /// caught and the Rust type's name written in its place.
    fn fmt_type_name(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(core::any::type_name::<Self>())
    }

    /// As [`trace`](Trace::trace), and also says where each edge is held: call
    /// [`Visitor::at`] around each field or element. Only introspection calls it
    /// ([`gc::get_referents_labelled`](crate::gc::get_referents_labelled), and through it
    /// pymem-tools' `why_alive`); the collector calls `trace`, so labels cost collection
    /// nothing. The default says nothing (the edges get no label), which is right for every
    /// impl written before labels existed. `#[derive(Trace)]` names fields, and the std
    /// impls of `Vec`, `VecDeque`, slices, arrays, `Option`, `Box` and `RefCell` pass labels
    /// through (elements by index). An override must report the same edges as `trace`.
    ///
    /// ```
    /// use pymem::{Gc, Trace, gc};
    /// use std::cell::RefCell;
    ///
    /// #[derive(Trace)]
    /// struct Node { children: RefCell<Vec<Gc<Node>>> }
    ///
    /// let leaf = Gc::new(Node { children: RefCell::new(vec![]) });
    /// let root = Gc::new(Node { children: RefCell::new(vec![leaf.clone(), leaf]) });
    /// let places: Vec<String> =
    ///     gc::get_referents_labelled(&root).into_iter().map(|(_, place)| place).collect();
    /// assert_eq!(places, [".children[0]", ".children[1]"]);
    /// ```
    #[inline]
    fn trace_labelled(&self, visitor: &mut Visitor<'_>) {
        self.trace(visitor)
    }

    /// Traces each element of `items`; containers that hold their elements in slices
    /// (`Vec`, `VecDeque`, arrays, boxed slices) call it. `Gc` overrides it with the
    /// collector's batch loop (CPython's `list_traverse` is one tight loop too). Leave it
    /// alone in hand-written impls: the default traces each item once, as rule 1 asks.
    #[doc(hidden)]
    #[inline]
    fn trace_slice(items: &[Self], visitor: &mut Visitor<'_>)
    where
        Self: Sized,
    {
        items.iter().for_each(|item| item.trace(visitor));
    }
}

/// The object-safe face of [`Trace`], so that `Box<dyn TraceDyn>` can hold any traced value.
///
/// Implemented for every `T: Trace` and sealed: it cannot be implemented by hand, so the
/// [`Trace`] contract is all that backs it. To put your own trait objects in a `Gc`, make
/// your trait extend `TraceDyn` and write
/// `unsafe impl Trace for Box<dyn MyTrait> { fn trace(&self, t: &mut Visitor<'_>) { (**self).trace_dyn(t) } }`.
pub trait TraceDyn: sealed::Sealed {
    /// Calls [`Trace::trace`].
    fn trace_dyn(&self, visitor: &mut Visitor<'_>);
}

mod sealed {
    pub trait Sealed {}
    impl<T: super::Trace + ?Sized> Sealed for T {}
}

impl<T: Trace + ?Sized> TraceDyn for T {
    #[inline]
    fn trace_dyn(&self, visitor: &mut Visitor<'_>) {
        self.trace(visitor)
    }
}

/// What a [`Trace::trace`] call reports to. Only the collector and the `gc` introspection
/// functions create one; implementations just pass it on.
pub struct Visitor<'a> {
    mode: Mode<'a>,
    untraceable: bool,
    /// `mark_reachable`: objects marked so far.
    marked: usize,
}

/// The passes that trace objects, each with what its visit needs.
pub(crate) enum Mode<'a> {
    /// `subtract_refs`: each edge into the collected set lowers the target's `gc_refs`.
    SubtractRefs,
    /// `mark_reachable`: edges mark their targets reachable (clear COLLECTING) and stack
    /// them for tracing.
    Mark(&'a mut Vec<ObjLinks>),
    /// `gc.get_referents`: every edge, tracked target or not, in traversal order.
    Referents(&'a mut Vec<ObjPtr>),
    /// `gc.get_referrers`: whether any edge points at one of `targets`.
    Referrers { targets: &'a [ObjPtr], hit: bool },
    /// The weakref pass: weak edges owned by unreachable objects, counted per node.
    WeakEdges(&'a mut Vec<WeakEdge>),
    /// `gc.get_referents_labelled`: every edge with the place that holds it.
    Labelled(&'a mut Labels),
}

/// What [`Mode::Labelled`] collects: each edge with its place, and the places entered.
#[derive(Default)]
pub(crate) struct Labels {
    pub(crate) edges: Vec<(ObjPtr, String)>,
    path: Vec<Place>,
}

/// Where, inside a traced value, an edge is held (see [`Visitor::at`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// A named field (`next`) or a tuple field (`0`).
    Field(&'static str),
    /// An element of a sequence.
    Index(usize),
}

/// `.children[3]` for `[Field("children"), Index(3)]`.
fn render(path: &[Place]) -> String {
    let mut out = String::new();
    for place in path {
        match place {
            Place::Field(name) => out.push_str(&format!(".{name}")),
            Place::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// A weak edge as the visitor carries it: the address of the weak reference object a `Weak`
/// handle counts on (`weak::WeakNode`), opaque here; `weak.rs` turns it back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct WeakEdge(pub(crate) NonNull<()>);

/// A `gc_refs` this large marks an object that must survive: a `Trace` impl reported more
/// edges into it than it has references (release builds; debug builds panic).
const PINNED_REFS: usize = usize::MAX >> 4;

impl<'a> Visitor<'a> {
    pub(crate) fn new(mode: Mode<'a>) -> Visitor<'a> {
        Visitor {
            mode,
            untraceable: false,
            marked: 0,
        }
    }

    pub(crate) fn mode(&self) -> &Mode<'a> {
        &self.mode
    }

    /// Reports that part of the value could not be traced (a mutably borrowed `RefCell`).
    /// The collector then treats the object as reachable from outside, which is always safe.
    pub fn mark_untraceable(&mut self) {
        self.untraceable = true;
    }

    /// Runs `trace` with `place` added to where the edges it reports are held. Call it from
    /// [`Trace::trace_labelled`] only: the labels exist for introspection, and outside it
    /// this just runs `trace`.
    #[inline]
    pub fn at(&mut self, place: Place, trace: impl FnOnce(&mut Visitor<'a>)) {
        if let Mode::Labelled(labels) = &mut self.mode {
            labels.path.push(place);
            trace(self);
            if let Mode::Labelled(labels) = &mut self.mode {
                labels.path.pop();
            }
        } else {
            trace(self)
        }
    }

    /// `mark_reachable`: one more object marked (and traced).
    pub(crate) fn count_marked(&mut self) {
        self.marked += 1;
    }

    /// `mark_reachable`: the number of objects marked.
    pub(crate) fn take_marked(&mut self) -> usize {
        core::mem::take(&mut self.marked)
    }

    /// `mark_reachable`: the next marked object to trace.
    pub(crate) fn pop_reached(&mut self) -> Option<ObjLinks> {
        match &mut self.mode {
            Mode::Mark(stack) => stack.pop(),
            _ => None,
        }
    }

    /// Returns and resets the untraceable flag for the object just traced.
    pub(crate) fn take_untraceable(&mut self) -> bool {
        core::mem::take(&mut self.untraceable)
    }

    /// One strong edge to `obj`. The collector's two passes are inlined into every `Trace`
    /// impl; introspection goes out of line.
    /// Budget in `SubtractRefs`: a mode test, two header loads, two tests and a store.
    #[inline(always)]
    pub(crate) fn edge(&mut self, obj: ObjPtr) {
        match &mut self.mode {
            Mode::SubtractRefs => {
                if obj.has_links() {
                    subtract_ref(obj)
                }
            }
            Mode::Mark(stack) => {
                if obj.has_links() {
                    mark(obj, stack)
                }
            }
            _ => self.edge_slow(obj),
        }
    }

    /// Strong edges to each object of `objs`, in order (a slice of `Gc` or `Object`): the
    /// mode is matched once per slice, and a run of edges to one object is handled once (one
    /// `gc_refs` store, one mark test), which keeps `[x] * n`-shaped lists from serialising
    /// on that object's header. Budget per edge inside a run: one compare, eight at a time;
    /// at a run's end, the `edge` budget.
    #[inline]
    pub(crate) fn edges(&mut self, objs: &[ObjPtr]) {
        match &mut self.mode {
            Mode::SubtractRefs => for_each_run(objs, subtract_run),
            Mode::Mark(stack) => for_each_run(objs, |obj, _| {
                if obj.has_links() {
                    mark(obj, stack);
                }
            }),
            _ => objs.iter().for_each(|&obj| self.edge_slow(obj)),
        }
    }

    #[inline(never)]
    fn edge_slow(&mut self, obj: ObjPtr) {
        match &mut self.mode {
            Mode::Referents(out) => out.push(obj),
            Mode::Referrers { targets, hit } => *hit |= targets.contains(&obj),
            Mode::Labelled(labels) => {
                let place = render(&labels.path);
                labels.edges.push((obj, place));
            }
            _ => {}
        }
    }

    /// One weak edge (a `Weak` handle owned by the value).
    #[inline]
    pub(crate) fn weak_edge(&mut self, edge: WeakEdge) {
        if let Mode::WeakEdges(out) = &mut self.mode {
            out.push(edge);
        }
    }
}

/// CPython's `visit_decref`.
#[inline]
fn subtract_ref(obj: ObjPtr) {
    // SAFETY: `edge` checked `has_links`.
    let gc = unsafe { obj.links() };
    if gc.is_collecting() && !gc.try_subtract_gc_refs(1) {
        refs_underflow(gc);
    }
}

/// Calls `f(target, n)` for each run of `n` consecutive edges to one target.
#[inline]
fn for_each_run(objs: &[ObjPtr], mut f: impl FnMut(ObjPtr, usize)) {
    let mut rest = objs;
    while let Some(&target) = rest.first() {
        let run = run_length(rest, target);
        f(target, run);
        rest = &rest[run..];
    }
}

/// How many edges at the start of `objs` point to `target` (at least one: `objs[0]`).
/// Compares eight at a time, without early exit inside a chunk, so that the compiler can
/// vectorise it.
#[inline]
fn run_length(objs: &[ObjPtr], target: ObjPtr) -> usize {
    let mut n = 1;
    while let Some(chunk) = objs.get(n..n + 8) {
        if !chunk.iter().fold(true, |same, &obj| same & (obj == target)) {
            break;
        }
        n += 8;
    }
    n + objs[n..].iter().take_while(|&&obj| obj == target).count()
}

#[inline]
fn subtract_run(obj: ObjPtr, run: usize) {
    if let Some(gc) = obj.links_if_tracked()
        && gc.is_collecting()
        && !gc.try_subtract_gc_refs(run)
    {
        refs_underflow(gc);
    }
}

#[cold]
#[inline(never)]
fn refs_underflow(gc: crate::header::ObjLinks) {
    if cfg!(debug_assertions) {
        panic!(
            "gc_refs underflow for a {} object: a Trace impl reported an edge more than once \
             (CPython: \"refcount is too small\")",
            gc.obj().vtable().type_name()
        );
    }
    gc.set_gc_refs(PINNED_REFS);
}

/// `mark_reachable`'s visit (CPython's `visit_reachable`): a target still in the set
/// becomes reachable and will be traced in turn.
#[inline]
fn mark(obj: ObjPtr, stack: &mut Vec<ObjLinks>) {
    // SAFETY: `edge` checked `has_links`.
    let gc = unsafe { obj.links() };
    if gc.is_collecting() {
        gc.clear_collecting();
        stack.push(gc);
    }
}

thread_local! {
    /// Set while the collector or introspection runs `Trace` impls (debug contract checks).
    static TRACING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` with the `TRACING` flag set (debug builds check it in `Gc` operations).
pub(crate) fn tracing<R>(f: impl FnOnce() -> R) -> R {
    struct Reset(bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            TRACING.set(self.0);
        }
    }
    let _reset = Reset(TRACING.replace(true));
    f()
}

/// Debug builds: panics if a `Gc` is touched from inside a `Trace` impl (contract rule 3).
#[inline(always)]
pub(crate) fn assert_not_tracing(what: &str) {
    if cfg!(debug_assertions) && TRACING.get() {
        tracing_violation(what);
    }
}

#[cold]
#[inline(never)]
fn tracing_violation(what: &str) -> ! {
    TRACING.set(false);
    panic!("Trace contract broken: tried to {what} a Gc while tracing");
}
