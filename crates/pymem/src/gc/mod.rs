//! (L4) CPython's `gc` module: control of and introspection into this thread's cycle collector.
//!
//! Names, arguments, results and errors follow CPython 3.13 (`docs/cpython-map.md` maps
//! each function to its C implementation). Differences come only from Rust: integers are
//! `usize`, errors are [`GcError`] values, objects are [`Object`] handles, and
//! `gc.callbacks` is [`add_callback`]/[`remove_callback`].

mod debug;
mod introspect;

use crate::collect;
use crate::erased::{AsObject, Object};
use crate::heap::{self, Heap, NUM_GENERATIONS};

pub use crate::heap::{CallbackId, CallbackInfo, GenerationStats, Phase};
pub use debug::{
    DEBUG_COLLECTABLE, DEBUG_LEAK, DEBUG_SAVEALL, DEBUG_STATS, DEBUG_UNCOLLECTABLE, DebugFlags,
    get_debug, set_debug,
};
pub use introspect::{
    get_objects, get_referents, get_referents_labelled, get_referrers, is_tracked,
};

/// Errors of the `gc` functions, with CPython's messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GcError {
    /// `collect_generation(g)` with `g > 2` (CPython: `ValueError`).
    InvalidGeneration(usize),
    /// `get_objects(Some(g))` with `g > 2` (CPython: `ValueError`).
    GenerationOutOfRange(usize),
    /// A threshold that does not fit CPython's C `int` (CPython: `OverflowError`).
    ThresholdOverflow(usize),
}

impl core::fmt::Display for GcError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            GcError::InvalidGeneration(_) => f.write_str("invalid generation"),
            GcError::GenerationOutOfRange(_) => f.write_str(
                "generation parameter must be less than the number of available generations (3)",
            ),
            GcError::ThresholdOverflow(_) => f.write_str("signed integer is greater than maximum"),
        }
    }
}

impl std::error::Error for GcError {}

fn heap<'a>() -> Option<&'a Heap> {
    heap::current()
}

/// `gc.collect()`: a full collection. Returns the number of unreachable objects found
/// (destroyed plus uncollectable); 0 when called from inside a collection (a `Drop`, a
/// callback), as CPython does.
///
/// A `Drop` impl that panicked while garbage was destroyed is re-raised here, after the
/// collection completed and every other value was dropped.
///
/// ```
/// use pymem::{Gc, Trace, gc};
/// use std::cell::RefCell;
///
/// #[derive(Trace)]
/// struct Node { next: RefCell<Option<Gc<Node>>> }
///
/// let a = Gc::new(Node { next: RefCell::new(None) });
/// *a.next.borrow_mut() = Some(a.clone()); // a self-cycle
/// drop(a);
/// assert_eq!(gc::collect(), 1);
/// assert_eq!(gc::collect(), 0, "nothing left");
/// ```
pub fn collect() -> usize {
    heap().map_or(0, |heap| collect::collect(heap, NUM_GENERATIONS - 1))
}

/// `gc.collect(generation)`: collects generations `0..=generation`.
///
/// ```
/// use pymem::gc::{self, GcError};
///
/// assert_eq!(gc::collect_generation(0), Ok(0));
/// assert_eq!(gc::collect_generation(3), Err(GcError::InvalidGeneration(3)));
/// ```
pub fn collect_generation(generation: usize) -> Result<usize, GcError> {
    if generation >= NUM_GENERATIONS {
        return Err(GcError::InvalidGeneration(generation));
    }
    Ok(heap().map_or(0, |heap| collect::collect(heap, generation)))
}

/// Empties this thread's object free lists ([`freelist`](crate::freelist)) into the pools,
/// as every full collection does (CPython's `_PyGC_ClearAllFreeLists`, which `gc.collect()`
/// calls; CPython has no Python-level call for it alone). Returns the blocks freed.
pub fn clear_freelists() -> usize {
    heap::current_live().map_or(0, crate::alloc::clear_free_lists)
}

/// `gc.enable()`: turns automatic collection on.
///
/// ```
/// use pymem::gc;
///
/// gc::disable();
/// assert!(!gc::isenabled());
/// gc::enable();
/// assert!(gc::isenabled());
/// ```
pub fn enable() {
    if let Some(heap) = heap() {
        heap.set_enabled(true)
    }
}

/// `gc.disable()`: turns automatic collection off; [`collect`] still works.
///
/// ```
/// use pymem::{Gc, gc};
/// use std::cell::RefCell;
///
/// gc::disable(); // no automatic collection from here on
/// gc::collect(); // start counting from zero
/// let cells: Vec<_> = (0..5).map(|_| Gc::new(RefCell::new(Vec::<Gc<String>>::new()))).collect();
/// assert_eq!(gc::get_count().0, 5);
/// gc::enable();
/// ```
pub fn disable() {
    if let Some(heap) = heap() {
        heap.set_enabled(false)
    }
}

/// `gc.isenabled()`.
///
/// ```
/// assert!(pymem::gc::isenabled()); // on by default, as in CPython
/// ```
pub fn isenabled() -> bool {
    heap().is_some_and(Heap::isenabled)
}

/// `gc.get_count()`: tracked allocations minus deallocations since the last generation-0
/// collection, and the collections of generations 0 and 1 since the last collection of
/// the next one.
///
/// ```
/// use pymem::{Gc, gc};
/// use std::cell::RefCell;
///
/// gc::collect();
/// assert_eq!(gc::get_count().0, 0);
/// let list = Gc::new(RefCell::new(Vec::<Gc<String>>::new())); // tracked: counted
/// let text = Gc::new(String::from("untracked")); // atomic: not counted
/// assert_eq!(gc::get_count().0, 1);
/// drop((list, text));
/// assert_eq!(gc::get_count().0, 0);
/// ```
pub fn get_count() -> (usize, usize, usize) {
    let [a, b, c] = heap().map_or([0; 3], Heap::counts);
    (a, b, c)
}

/// `gc.get_threshold()`.
///
/// ```
/// assert_eq!(pymem::gc::get_threshold(), (2000, 10, 10)); // CPython 3.13's defaults
/// ```
pub fn get_threshold() -> (usize, usize, usize) {
    let thresholds = heap().map_or([0; 3], Heap::thresholds);
    (thresholds[0], thresholds[1], thresholds[2])
}

/// `gc.set_threshold(t0, t1, t2)`, with CPython's rules: `t0 == 0` turns automatic
/// collection off; `t1 == 0` (`t2 == 0`) collects generation 1 (2) whenever its count is
/// non-zero, i.e. at every automatic collection (measured on CPython 3.13: the older
/// generation is not disabled). Values beyond a C `int` are CPython's `OverflowError`.
///
/// ```
/// use pymem::gc::{self, GcError};
///
/// gc::set_threshold(700, 10, 10).unwrap();
/// assert_eq!(gc::get_threshold(), (700, 10, 10));
/// let too_big = 1usize << 31;
/// assert_eq!(gc::set_threshold(too_big, 10, 10), Err(GcError::ThresholdOverflow(too_big)));
/// gc::set_threshold(2000, 10, 10).unwrap();
/// ```
pub fn set_threshold(t0: usize, t1: usize, t2: usize) -> Result<(), GcError> {
    let thresholds = [t0, t1, t2];
    if let Some(&bad) = thresholds.iter().find(|&&t| t > i32::MAX as usize) {
        return Err(GcError::ThresholdOverflow(bad));
    }
    if let Some(heap) = heap() {
        heap.set_thresholds(thresholds);
    }
    Ok(())
}

/// `gc.get_stats()`: one entry per generation.
///
/// ```
/// use pymem::gc;
///
/// let before = gc::get_stats()[2].collections;
/// gc::collect();
/// assert_eq!(gc::get_stats()[2].collections, before + 1);
/// ```
pub fn get_stats() -> [GenerationStats; 3] {
    heap().map_or([GenerationStats::default(); 3], Heap::stats)
}

/// `gc.freeze()`: moves every tracked object into the permanent generation, which is never
/// collected (for pre-fork servers), and zeroes the counts.
///
/// ```
/// use pymem::{Gc, gc};
/// use std::cell::RefCell;
///
/// let config = Gc::new(RefCell::new(Vec::<Gc<String>>::new()));
/// gc::freeze(); // e.g. before fork: collections no longer scan it
/// assert_eq!(gc::get_freeze_count(), 1);
/// assert!(gc::get_objects(None).unwrap().is_empty());
/// gc::unfreeze();
/// assert_eq!(gc::get_freeze_count(), 0);
/// drop(config);
/// ```
pub fn freeze() {
    if let Some(heap) = heap() {
        heap.freeze();
    }
}

/// `gc.unfreeze()`: moves the permanent generation into generation 2.
///
/// ```
/// use pymem::{Gc, gc};
/// use std::cell::RefCell;
///
/// let kept = Gc::new(RefCell::new(Vec::<Gc<String>>::new()));
/// gc::freeze();
/// gc::unfreeze(); // the frozen objects join the oldest generation
/// assert_eq!(gc::get_objects(Some(2)).unwrap().len(), 1);
/// drop(kept);
/// ```
pub fn unfreeze() {
    if let Some(heap) = heap() {
        heap.unfreeze();
    }
}

/// `gc.get_freeze_count()`: objects in the permanent generation.
///
/// ```
/// assert_eq!(pymem::gc::get_freeze_count(), 0);
/// ```
pub fn get_freeze_count() -> usize {
    heap().map_or(0, Heap::freeze_count)
}

/// `gc.is_finalized(obj)`: whether the object's finalizer (PEP 442) has run. Always false
/// for types without a finalizer.
///
/// ```
/// use pymem::{Finalize, Gc, Trace, gc};
///
/// #[derive(Trace)]
/// #[trace(finalize)]
/// struct File;
///
/// impl Finalize for File {
///     fn finalize(_: &Gc<Self>) {}
/// }
///
/// let file = Gc::new(File);
/// assert!(!gc::is_finalized(&file));
/// ```
pub fn is_finalized(obj: &dyn AsObject) -> bool {
    crate::finalize::has_run(obj.obj_ptr())
}

/// `gc.garbage`: the objects kept by [`DEBUG_SAVEALL`] (pymem has no legacy finalizers, so
/// nothing else lands here). A snapshot; the list itself lives in the collector.
///
/// ```
/// use pymem::{Gc, Trace, gc};
/// use std::cell::RefCell;
///
/// #[derive(Trace)]
/// struct Node { next: RefCell<Option<Gc<Node>>> }
///
/// gc::set_debug(gc::DEBUG_SAVEALL); // keep the garbage for inspection
/// let a = Gc::new(Node { next: RefCell::new(None) });
/// *a.next.borrow_mut() = Some(a.clone());
/// drop(a);
/// gc::collect();
/// gc::set_debug(gc::DebugFlags::empty());
/// assert_eq!(gc::garbage().len(), 1);
/// assert!(gc::garbage()[0].type_name().ends_with("Node"));
/// assert_eq!(gc::clear_garbage(), 1);
/// assert_eq!(gc::collect(), 1, "released, it is garbage again");
/// ```
pub fn garbage() -> Vec<Object> {
    let listed = heap().map_or_else(Vec::new, |heap| heap.garbage().snapshot());
    listed.into_iter().map(Object::new).collect()
}

/// Empties `gc.garbage` (`del gc.garbage[:]`), releasing its references; returns how many
/// objects it held.
///
/// ```
/// assert_eq!(pymem::gc::clear_garbage(), 0); // nothing saved without DEBUG_SAVEALL
/// ```
pub fn clear_garbage() -> usize {
    let taken = heap().map(crate::erased::take_garbage).unwrap_or_default();
    taken.len() // dropped after the list let go: a `Drop` may use `gc.garbage`
}

/// Registers `callback` in `gc.callbacks`: it is called with [`Phase::Start`] before and
/// [`Phase::Stop`] after every collection, automatic or explicit. A callback that panics is
/// reported through [`sys::unraisablehook`](crate::sys::set_unraisablehook) and the others
/// still run. The list is copied before a phase's callbacks are called, so a callback
/// added or removed by a callback takes effect from the next phase (CPython re-reads
/// `gc.callbacks` by index, so there an added one already runs in the same phase).
///
/// During thread teardown (from a thread-local's destructor, once this thread's heap is
/// gone) no collection will run on the thread again: the callback is dropped at once,
/// unregistered, and the id returned is one [`remove_callback`] does not know.
///
/// ```
/// use pymem::gc::{self, Phase};
/// use std::cell::RefCell;
/// use std::rc::Rc;
///
/// let seen = Rc::new(RefCell::new(Vec::new()));
/// let log = seen.clone();
/// let id = gc::add_callback(move |phase, info| log.borrow_mut().push((phase, info.generation)));
/// gc::collect();
/// assert!(gc::remove_callback(id));
/// assert_eq!(*seen.borrow(), [(Phase::Start, 2), (Phase::Stop, 2)]);
/// ```
pub fn add_callback(callback: impl Fn(Phase, &CallbackInfo) + 'static) -> CallbackId {
    let Some(heap) = heap() else {
        return CallbackId(crate::heap::UNREGISTERED);
    };
    heap.callbacks().add(std::rc::Rc::new(callback))
}

/// Removes a callback (CPython's `gc.callbacks.remove`); `false` if it was not registered.
///
/// ```
/// use pymem::gc;
///
/// let id = gc::add_callback(|_, _| {});
/// assert!(gc::remove_callback(id));
/// assert!(!gc::remove_callback(id), "already gone");
/// ```
pub fn remove_callback(id: CallbackId) -> bool {
    let Some(heap) = heap() else { return false };
    let removed = heap.callbacks().remove(id);
    !removed.is_empty() // dropped outside the registry's borrow
}

/// Removes every callback (CPython's `gc.callbacks.clear()`).
///
/// ```
/// use pymem::gc;
///
/// gc::add_callback(|_, _| {});
/// gc::clear_callbacks();
/// ```
pub fn clear_callbacks() {
    if let Some(heap) = heap() {
        let all = heap.callbacks().take();
        drop(all); // outside the borrow: a closure's drop may use `gc`
    }
}

/// pymem extension: while `enabled`, every collection counts the types of the objects it
/// frees, before their values are dropped, for [`get_freed_types`] (a per-collection
/// report's "600 Node, 604 Edge"). Costs one walk of the garbage per collection while on;
/// nothing while off. Turning it on or off clears the last tally.
///
/// ```
/// use pymem::{Gc, Trace, gc};
/// use std::cell::RefCell;
///
/// #[derive(Trace)]
/// struct Node(RefCell<Option<Gc<Node>>>);
///
/// gc::set_count_freed_types(true);
/// let a = Gc::new(Node(RefCell::new(None)));
/// *a.0.borrow_mut() = Some(a.clone());
/// drop(a);
/// assert_eq!(gc::collect(), 1);
/// assert_eq!(gc::get_freed_types(), [(std::any::type_name::<Node>(), 1)]);
/// ```
pub fn set_count_freed_types(enabled: bool) {
    if let Some(heap) = heap() {
        heap.freed_types().set_enabled(enabled);
    }
}

/// The types of the objects the last collection freed (type name, objects), in the order
/// the collector met them; empty unless [`set_count_freed_types`] is on. Read it from a
/// [`Phase::Stop`] callback to report each collection.
pub fn get_freed_types() -> Vec<(&'static str, usize)> {
    heap().map_or_else(Vec::new, |heap| heap.freed_types().last())
}
