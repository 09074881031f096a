//! Object-specific free lists (`pymem::freelist`): reuse, capacity, keyed lists, emptying
//! by a full collection and by `clear_all`, statistics in CPython's format, and what
//! tracemalloc, weak references and the collector see. Each test runs on its own thread,
//! so on its own heap.

use crate::support::allocated_blocks;
use pymem::freelist::{FreeList, FreeListSpec, FreeListStats};
use pymem::{Gc, Trace, Weak, gc, sys, tracemalloc};
use std::cell::RefCell;

/// CPython's float: 16 bytes of header and an `f64`, 24 bytes like `PyFloatObject`.
#[derive(Trace)]
#[trace(freelist)]
struct Float(#[trace(skip)] f64);

/// A small capacity, so that the tests can fill the list (CPython's is 100).
const FLOATS: usize = 4;

impl FreeList for Float {
    const LISTS: &'static [FreeListSpec] = &[FreeListSpec::new("PyFloatObject", FLOATS)];
}

/// A tracked container keyed like CPython's tuples: one list per length 1..=2, the empty
/// one and longer ones from the pools.
#[derive(Trace)]
#[trace(freelist)]
struct Tuple(RefCell<Vec<Gc<Tuple>>>);

impl FreeList for Tuple {
    const LISTS: &'static [FreeListSpec] = &[
        FreeListSpec::new("1-sized PyTupleObject", 3),
        FreeListSpec::new("2-sized PyTupleObject", 3),
    ];
    fn free_list(&self) -> Option<usize> {
        self.0.borrow().len().checked_sub(1)
    }
}

fn tuple(items: Vec<Gc<Tuple>>) -> Gc<Tuple> {
    Gc::new(Tuple(RefCell::new(items)))
}

fn free_floats() -> usize {
    sys::freelist_stats::<Float>()[0].count
}

fn free_tuples() -> [usize; 2] {
    let stats = sys::freelist_stats::<Tuple>();
    [stats[0].count, stats[1].count]
}

#[test]
fn a_freed_block_is_reused_by_the_next_object() {
    let a = Gc::new(Float(1.5));
    let id = Gc::id(&a);
    assert_eq!(free_floats(), 0);
    drop(a);
    assert_eq!(free_floats(), 1);
    let b = Gc::new(Float(2.5));
    assert_eq!((Gc::id(&b), b.0, free_floats()), (id, 2.5, 0));
}

#[test]
fn blocks_on_the_list_stay_allocated_and_the_capacity_is_respected() {
    let before = allocated_blocks();
    let floats: Vec<_> = (0..FLOATS + 3).map(|i| Gc::new(Float(i as f64))).collect();
    assert_eq!(allocated_blocks(), before.map(|b| b + FLOATS + 3));
    drop(floats);
    assert_eq!(free_floats(), FLOATS);
    assert_eq!(allocated_blocks(), before.map(|b| b + FLOATS));
}

#[test]
fn a_full_collection_empties_the_lists_and_a_young_one_does_not() {
    let before = allocated_blocks();
    drop((Gc::new(Float(1.0)), Gc::new(Float(2.0))));
    gc::collect_generation(0).unwrap();
    assert_eq!(free_floats(), 2);
    gc::collect();
    assert_eq!(free_floats(), 0);
    assert_eq!(allocated_blocks(), before);
}

#[test]
fn clear_freelists_empties_every_list_and_counts_the_blocks() {
    let before = allocated_blocks();
    drop((Gc::new(Float(1.0)), tuple(vec![])));
    let one = tuple(vec![tuple(vec![])]);
    drop(one);
    assert_eq!((free_floats(), free_tuples()), (1, [1, 0]));
    assert_eq!(gc::clear_freelists(), 2);
    assert_eq!((free_floats(), free_tuples()), (0, [0, 0]));
    assert_eq!(allocated_blocks(), before);
}

#[test]
fn the_list_is_chosen_by_the_value_and_only_its_own_list_serves_it() {
    let empty = || tuple(vec![]);
    let pair = tuple(vec![empty(), empty()]);
    let pair_id = Gc::id(&pair);
    drop(pair); // the pair's block to list 1; its two empty tuples to the pools
    assert_eq!(free_tuples(), [0, 1]);
    let single = tuple(vec![empty()]);
    assert_eq!(free_tuples(), [0, 1]); // a 1-tuple does not take the 2-tuple's block
    assert_ne!(Gc::id(&single), pair_id);
    let pair = tuple(vec![empty(), empty()]);
    assert_eq!((Gc::id(&pair), free_tuples()), (pair_id, [0, 0]));
}

#[test]
fn blocks_on_a_list_are_not_objects_for_the_collector() {
    let before = gc::get_objects(None).unwrap().len();
    let count = gc::get_count().0;
    let t = tuple(vec![tuple(vec![])]);
    assert_eq!(gc::get_count().0, count + 2);
    drop(t);
    assert_eq!(free_tuples(), [1, 0]);
    // The empty tuple's block was freed, the listed one was not (`freelist_counts.rs`).
    assert_eq!(gc::get_count().0, count + 1);
    assert_eq!(gc::get_objects(None).unwrap().len(), before);
    let reused = tuple(vec![tuple(vec![])]);
    assert_eq!(gc::get_count().0, count + 2);
    assert!(gc::is_tracked(&reused));
    assert_eq!(gc::get_objects(None).unwrap().len(), before + 2);
}

#[test]
fn a_cycle_freed_by_the_collector_goes_back_to_the_pools() {
    let a = tuple(vec![]);
    a.0.borrow_mut().push(a.clone());
    drop(a);
    assert_eq!(gc::collect_generation(0).unwrap(), 1);
    assert_eq!(free_tuples(), [0, 0]);
}

#[test]
fn a_weak_reference_to_a_reused_block_stays_dead() {
    let a = Gc::new(Float(1.0));
    let weak: Weak<Float> = Gc::downgrade(&a);
    drop(a);
    let b = Gc::new(Float(2.0));
    assert!(weak.upgrade().is_none());
    assert_eq!(Gc::weak_count(&b), 0);
}

#[test]
fn tracemalloc_sees_blocks_on_a_list_as_allocated_as_in_cpython() {
    tracemalloc::start(1).unwrap();
    let a = Gc::new(Float(1.0));
    let (traced, _) = tracemalloc::get_traced_memory();
    drop(a);
    assert_eq!(tracemalloc::get_traced_memory().0, traced);
    let b = Gc::new(Float(2.0));
    assert_eq!(tracemalloc::get_traced_memory().0, traced);
    drop(b);
    gc::clear_freelists();
    assert_eq!(tracemalloc::get_traced_memory().0, traced - 24);
    tracemalloc::stop();
}

#[test]
fn stats_print_as_cpython_prints_its_free_lists() {
    let floats: Vec<_> = (0..4).map(|i| Gc::new(Float(i as f64))).collect();
    drop(floats);
    let stats = sys::freelist_stats::<Float>();
    assert_eq!(
        (stats[0].count, stats[0].capacity, stats[0].block_size),
        (4, 4, 24)
    );
    // CPython 3.13, `sys._debugmallocstats()` with four free floats.
    let cpython = "           4 free PyFloatObjects * 24 bytes each =                   96\n";
    assert_eq!(stats[0].to_string(), cpython);
    let listed: Vec<_> = sys::all_freelist_stats().iter().map(|s| s.count).collect();
    assert_eq!(listed, [4]);
}

#[test]
fn thousands_are_grouped_as_cpython_groups_them() {
    let stats = FreeListStats {
        type_name: "t",
        name: "1-sized PyTupleObject",
        count: 2000,
        capacity: 2000,
        block_size: 32,
    };
    // CPython's line for 2000 free 1-tuples.
    let cpython = "2000 free 1-sized PyTupleObjects * 32 bytes each =               64,000\n";
    assert_eq!(stats.to_string(), cpython);
}

#[test]
fn debugmallocstats_prints_the_lists_after_the_pools() {
    drop((0..4).map(|i| Gc::new(Float(i as f64))).collect::<Vec<_>>());
    let out = crate::support::capture_stderr(sys::debugmallocstats);
    // CPython 3.13 ends its pool section with a blank line and then lists the free lists.
    let cpython = "\n\n           4 free PyFloatObjects * 24 bytes each =                   96\n";
    assert!(out.ends_with(cpython), "{out}");
}

/// A type whose hand-written `Trace` names another type's free-list hooks (`Float`'s): a
/// mistake the `unsafe impl` makes possible. The hooks check the type they were made for,
/// so `Small` never reaches `Float`'s `free_list` (which would read a `Small` as a
/// `Float`) nor its lists (whose blocks have `Float`'s layout).
struct Small(u8);

// SAFETY: `Small` holds no `Gc`, so tracing nothing is exact; FREE_LISTS names `Float`'s
// hooks on purpose, which this test shows to be harmless.
unsafe impl Trace for Small {
    const TRACKED: bool = false;
    const FREE_LISTS: Option<pymem::__private::FreeListHooks> =
        Some(pymem::__private::FreeListHooks::of::<Float>());
    fn trace(&self, _: &mut pymem::Visitor<'_>) {}
}

#[test]
fn hooks_named_for_another_type_are_never_used() {
    let f = Gc::new(Float(0.5));
    drop(f);
    assert_eq!(free_floats(), 1);
    let s = Gc::new(Small(7));
    assert_eq!((s.0, free_floats()), (7, 1), "Small took no Float block");
    drop(s);
    assert_eq!(free_floats(), 1, "Small's block went back to the pools");
}
