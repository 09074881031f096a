//! Reliability-plan scenarios that no other file holds (11 and 16), by number.

use crate::support::{Counted, Drops, counted, node};
use pymem::{Gc, Trace, Tracer, gc};
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
    fn trace(&self, tracer: &mut Tracer<'_>) {
        let call = self.calls.get();
        self.calls.set(call + 1);
        if call.is_multiple_of(2) {
            self.next.trace(tracer);
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
