//! Reliability-plan scenarios that no other file holds (11, 16 and 46), by number.

use crate::support::{Counted, DropToken, Drops, allocated_blocks, counted, node};
use pymem::{Finalize, Gc, MemoryError, Trace, Visitor, gc, sys, tracemalloc};
use std::cell::{Cell, RefCell};
use std::panic::{AssertUnwindSafe, catch_unwind};

fn fresh() {
    gc::disable();
    gc::collect();
}

/// Reports its edge on every other call: breaks rule 2 of the `Trace` contract (the same
/// edges on every call during a collection) on purpose.
struct Flickering {
    next: Gc<Counted>,
    calls: Cell<usize>,
}

// SAFETY: deliberately wrong (the edge set changes between calls), to check that the
// collector still frees no block that is referenced.
unsafe impl Trace for Flickering {
    fn trace(&self, visitor: &mut Visitor<'_>) {
        let call = self.calls.get();
        self.calls.set(call + 1);
        if call.is_multiple_of(2) {
            self.next.trace(visitor);
        }
    }
}

/// Scenario 11: whichever call hides the edge (the one that subtracts references or the
/// one that marks), the target's block stays allocated while the holder refers to it: the
/// target is intact, or dead (its deref panics); it is dropped once and freed once.
#[test]
fn s11_a_trace_that_changes_its_edges_between_calls_frees_no_referenced_block() {
    let mut dead_once = false;
    for first_call in 0..2 {
        fresh();
        let drops = Drops::default();
        let holder = Gc::new(Flickering {
            next: counted(&drops),
            calls: Cell::new(first_call),
        });
        let target = Gc::downgrade(&holder.next);
        let result = catch_unwind(gc::collect);
        assert!(
            result.is_ok() || cfg!(debug_assertions),
            "release builds never panic"
        );
        assert_eq!(
            Gc::ref_count(&holder.next),
            1,
            "the block is still referenced"
        );
        let value = catch_unwind(AssertUnwindSafe(|| holder.next.next.borrow().is_none()));
        match value {
            Ok(intact) => assert!(intact && target.upgrade().is_some() && drops.count() == 0),
            Err(_) => {
                assert!(Gc::as_object(&holder.next).is_dead() && drops.count() == 1);
                dead_once = true;
            }
        }
        drop(holder);
        assert_eq!(drops.count(), 1, "dropped exactly once");
        assert!(target.upgrade().is_none());
        let pair = (counted(&drops), counted(&drops));
        *pair.0.next.borrow_mut() = Some(pair.1.clone());
        *pair.1.next.borrow_mut() = Some(pair.0.clone());
        drop(pair);
        assert_eq!(gc::collect(), 2, "the collector still works");
    }
    // One trace per phase: starting at call 0, the edge is subtracted but not marked.
    assert!(dead_once, "one of the two runs hid the edge from marking");
}

thread_local! {
    static NESTED: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

/// Calls `gc::collect()` from its `Drop`.
#[derive(Trace)]
struct Collector {
    next: RefCell<Option<Gc<Collector>>>,
}

impl Drop for Collector {
    fn drop(&mut self) {
        NESTED.with_borrow_mut(|found| found.push(gc::collect()));
    }
}

/// Scenario 16: `collect()` from a `Drop` run while the collector clears garbage returns 0
/// and leaves the lists intact: the outer collection's count and the next collection agree.
#[test]
fn s16_collect_called_from_drop_during_a_collection_returns_zero() {
    fresh();
    let ring: Vec<Gc<Collector>> = (0..5)
        .map(|_| {
            Gc::new(Collector {
                next: RefCell::new(None),
            })
        })
        .collect();
    for (i, c) in ring.iter().enumerate() {
        *c.next.borrow_mut() = Some(ring[(i + 1) % ring.len()].clone());
    }
    let live = node(); // a survivor the nested calls must not disturb
    drop(ring);
    assert_eq!(gc::collect(), 5);
    assert_eq!(
        NESTED.take(),
        vec![0; 5],
        "each nested collect() was a no-op"
    );
    assert!(gc::is_tracked(&live));
    assert_eq!(gc::get_objects(None).unwrap().len(), 1, "only the survivor");
    assert_eq!(gc::collect(), 0);
}

/// A numbered value whose drop is counted; `next` links it to an older one.
#[derive(Trace)]
struct Payload {
    serial: usize,
    next: RefCell<Option<Gc<Payload>>>,
    token: DropToken,
}

fn try_payload(serial: usize, next: Option<Gc<Payload>>, drops: &Drops) -> TryPayload {
    Gc::try_new(Payload {
        serial,
        next: RefCell::new(next),
        token: drops.token(),
    })
}

type TryPayload = Result<Gc<Payload>, MemoryError<Payload>>;

/// Everything a failed allocation must leave as it was.
#[derive(Debug, PartialEq)]
struct Counters {
    count: (usize, usize, usize),
    stats: [gc::GenerationStats; 3],
    objects: usize,
    blocks: Option<usize>,
    pools: Option<String>,
    traced: (usize, usize),
}

fn counters() -> Counters {
    Counters {
        count: gc::get_count(),
        stats: gc::get_stats(),
        objects: gc::get_objects(None).unwrap().len(),
        blocks: allocated_blocks(),
        pools: sys::mallocstats().map(|stats| stats.to_string()),
        traced: tracemalloc::get_traced_memory(),
    }
}

/// Allocations per run: small under Miri.
const ALLOCATIONS: usize = if cfg!(miri) { 8 } else { 40 };

/// One run of scenario 46 with every `k`-th allocation failing (automatic collections on,
/// threshold 3, tracemalloc on): returns the objects made, each linked to the one before.
fn allocate_every_kth_failing(k: usize, drops: &Drops) -> Vec<Gc<Payload>> {
    let mut made: Vec<Gc<Payload>> = Vec::new();
    sys::set_nomemory_every(k);
    for serial in 0..ALLOCATIONS {
        let before = counters();
        let result = try_payload(serial, made.last().cloned(), drops);
        let due = (serial + 1).is_multiple_of(k);
        assert_eq!(result.is_err(), due, "allocation {serial}, k = {k}");
        match result {
            Ok(gc) => made.push(gc),
            Err(error) => assert_failed_cleanly(error, serial, &made, before, drops),
        }
    }
    sys::remove_mem_hooks();
    made
}

/// The value came back intact, nothing was counted, traced or collected, and dropping the
/// value gives its reference to the previous object back.
fn assert_failed_cleanly(
    error: MemoryError<Payload>,
    serial: usize,
    made: &[Gc<Payload>],
    before: Counters,
    drops: &Drops,
) {
    let dropped = drops.count();
    assert_eq!(counters(), before, "a failed allocation changed a count");
    assert!(error.to_string().starts_with("memory allocation of "));
    let size = error.layout().size();
    assert!(made.first().is_none_or(|gc| sys::getsizeof(gc) == size));
    let value = error.into_inner();
    assert_eq!(value.serial, serial);
    assert_eq!(drops.count(), dropped, "the value is intact");
    let previous = value.next.borrow().clone();
    drop(value);
    assert_eq!(drops.count(), dropped + 1, "dropped once, by its owner");
    if let Some(previous) = previous {
        assert!(Gc::ptr_eq(&previous, made.last().unwrap()));
        assert_eq!(
            Gc::ref_count(&previous),
            2,
            "made, previous: the value's clone is gone"
        );
    }
}

/// Scenario 46: with every k-th allocation failing, `Gc::try_new` returns `Err` on exactly
/// those, with the value back; a failure leaks nothing and counts nothing (gc counts and
/// stats, live objects, pool blocks and statistics, traced memory); the collector then
/// frees the objects made, as a ring, with an exact count.
#[test]
fn s46_every_kth_allocation_fails_and_try_new_returns_the_value_leaking_nothing() {
    let thresholds = gc::get_threshold();
    for k in [1, 2, 3, 7] {
        fresh();
        gc::set_threshold(3, 10, 10).unwrap();
        gc::enable();
        tracemalloc::start(1).unwrap();
        let drops = Drops::default();
        let made = allocate_every_kth_failing(k, &drops);
        let failed = ALLOCATIONS / k;
        assert_eq!((made.len(), drops.count()), (ALLOCATIONS - failed, failed));
        if let (Some(first), Some(last)) = (made.first(), made.last()) {
            *first.next.borrow_mut() = Some(last.clone()); // close the ring
        }
        let ring = made.len();
        drop(made);
        gc::disable();
        assert_eq!(gc::collect(), ring, "k = {k}: the whole ring");
        assert_eq!(
            drops.count(),
            ALLOCATIONS,
            "every value dropped exactly once"
        );
        assert_eq!(
            tracemalloc::get_traced_memory().0,
            0,
            "no block left traced"
        );
        tracemalloc::stop();
        assert_eq!(gc::get_objects(None).unwrap().len(), 0);
    }
    gc::set_threshold(thresholds.0, thresholds.1, thresholds.2).unwrap();
}

thread_local! {
    static ATTEMPTS: RefCell<Vec<Result<usize, usize>>> = const { RefCell::new(Vec::new()) };
    static KEPT: RefCell<Vec<Gc<Payload>>> = const { RefCell::new(Vec::new()) };
}

/// Makes two objects, links each to the other through `next`, and drops both: a garbage
/// 2-cycle that only a collection frees.
fn drop_two_cycle<T: Trace + 'static>(
    make: impl Fn() -> T,
    next: fn(&T) -> &RefCell<Option<Gc<T>>>,
) {
    let pair = [(); 2].map(|()| Gc::new(make()));
    *next(&pair[0]).borrow_mut() = Some(pair[1].clone());
    *next(&pair[1]).borrow_mut() = Some(pair[0].clone());
}

/// Allocates from its finalizer and from its `Drop`, during a collection.
#[derive(Trace)]
#[trace(finalize)]
struct Allocating {
    next: RefCell<Option<Gc<Allocating>>>,
    #[trace(skip)]
    drops: Drops,
}

impl Finalize for Allocating {
    fn finalize(this: &Gc<Self>) {
        attempt(&this.drops);
    }
}

impl Drop for Allocating {
    fn drop(&mut self) {
        attempt(&self.drops);
    }
}

/// Records `Ok(serial)` and keeps the object as a self-cycle, or records `Err(serial)`
/// with the serial read from the value handed back.
fn attempt(drops: &Drops) {
    let serial = ATTEMPTS.with_borrow(Vec::len);
    let result = match try_payload(serial, None, drops) {
        Ok(gc) => {
            *gc.next.borrow_mut() = Some(gc.clone());
            KEPT.with_borrow_mut(|kept| kept.push(gc));
            Ok(serial)
        }
        Err(error) => Err(error.into_inner().serial),
    };
    ATTEMPTS.with_borrow_mut(|attempts| attempts.push(result));
}

/// Scenario 46, inside a collection: in a 2-cycle whose finalizers and `Drop`s allocate
/// (finalizers first, PEP 442), the second and third allocations fail. The collection
/// completes with its exact count; the failed values are dropped by their owners; the two
/// objects made meanwhile are sound self-cycles that the next collection frees.
#[test]
fn s46_allocations_failing_in_finalizers_and_drops_leave_the_collector_usable() {
    fresh();
    let drops = Drops::default();
    drop_two_cycle(
        || Allocating {
            next: RefCell::new(None),
            drops: drops.clone(),
        },
        |a| &a.next,
    );
    sys::set_nomemory(1, 3);
    let collected = gc::collect();
    sys::remove_mem_hooks();
    assert_eq!(collected, 2);
    assert_eq!(ATTEMPTS.take(), [Ok(0), Err(1), Err(2), Ok(3)]);
    assert_eq!(drops.count(), 2, "the two failed values, dropped once each");
    let kept = KEPT.take();
    assert!(
        kept.iter()
            .all(|gc| gc::is_tracked(gc) && Gc::ref_count(gc) == 2)
    );
    assert_eq!(kept.iter().map(|gc| gc.serial).collect::<Vec<_>>(), [0, 3]);
    drop(kept);
    assert_eq!(gc::collect(), 2, "the objects made during the collection");
    assert_eq!(drops.count(), 4);
    assert_eq!(gc::get_objects(None).unwrap().len(), 0);
}

/// Panics in its `Drop`, after its token counted the drop.
#[derive(Trace)]
struct Exploding {
    next: RefCell<Option<Gc<Exploding>>>,
    _token: DropToken,
}

impl Drop for Exploding {
    fn drop(&mut self) {
        panic!("boom");
    }
}

/// Scenario 46, the other way an allocation can fail: the automatic collection that a
/// successful allocation starts unwinds (a garbage `Drop` panicked). The new block, which
/// holds no value yet, is freed; the value is dropped once by the unwinding; nothing is
/// left allocated, traced or tracked, and the collector still works.
#[test]
fn s46_a_collection_unwinding_inside_try_new_frees_the_new_block() {
    fresh();
    let blocks = allocated_blocks();
    tracemalloc::start(1).unwrap();
    let drops = Drops::default();
    drop_two_cycle(
        || Exploding {
            next: RefCell::new(None),
            _token: drops.token(),
        },
        |e| &e.next,
    );
    let thresholds = gc::get_threshold();
    gc::set_threshold(gc::get_count().0, 10, 10).unwrap();
    gc::enable();
    let result = catch_unwind(AssertUnwindSafe(|| try_payload(7, None, &drops)));
    let Err(panic) = result else {
        panic!("the automatic collection did not run");
    };
    gc::disable();
    gc::set_threshold(thresholds.0, thresholds.1, thresholds.2).unwrap();
    assert_eq!(*panic.downcast::<&str>().unwrap(), "boom");
    assert_eq!(drops.count(), 3, "the pair and the value, once each");
    assert_eq!(allocated_blocks(), blocks, "the new block was freed too");
    assert_eq!(tracemalloc::get_traced_memory().0, 0);
    tracemalloc::stop();
    assert_eq!(gc::get_objects(None).unwrap().len(), 0);
    let drops = Drops::default();
    let a = counted(&drops);
    *a.next.borrow_mut() = Some(a.clone());
    drop(a);
    assert_eq!(gc::collect(), 1, "the collector is usable");
    assert_eq!(drops.count(), 1);
}
