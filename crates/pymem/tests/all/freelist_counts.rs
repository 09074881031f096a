//! `gc::get_count()` with free lists, by CPython 3.13's rule: `count[0]` goes up only when
//! a tracked object's block is allocated (`_PyObject_GC_Link`) and down, if positive, only
//! when one is freed (`PyObject_GC_Del`). A block kept on a free list is not freed and one
//! reused from it is not allocated, so neither moves the count, and reuse starts no
//! automatic collection. The exact counts are those of CPython's list free list
//! (`conformance/122_freelist_counts.py` checks them against CPython itself). Each test
//! runs on its own thread, so on its own heap, with counts from 0.

use pymem::freelist::{FreeList, FreeListSpec};
use pymem::{Finalize, Gc, Trace, gc, sys};
use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// A tracked type with one small free list (CPython's list has 80).
#[derive(Trace)]
#[trace(freelist)]
struct List(RefCell<Vec<Gc<List>>>);

const LISTED: usize = 3;

impl FreeList for List {
    const LISTS: &'static [FreeListSpec] = &[FreeListSpec::new("PyListObject", LISTED)];
}

fn list() -> Gc<List> {
    Gc::new(List(RefCell::new(Vec::new())))
}

fn lists(n: usize) -> Vec<Gc<List>> {
    (0..n).map(|_| list()).collect()
}

/// An untracked type with a free list (CPython's float).
#[derive(Trace)]
#[trace(freelist)]
struct Float;

impl FreeList for Float {
    const LISTS: &'static [FreeListSpec] = &[FreeListSpec::new("PyFloatObject", LISTED)];
}

fn count() -> usize {
    gc::get_count().0
}

fn listed<T: FreeList>() -> usize {
    sys::freelist_stats::<T>()[0].count
}

#[test]
fn a_listed_block_is_not_freed_and_a_reused_one_is_not_allocated() {
    gc::disable();
    let a = list();
    assert_eq!(count(), 1);
    drop(a);
    assert_eq!((count(), listed::<List>()), (1, 1));
    let b = list();
    assert_eq!((count(), listed::<List>()), (1, 0));
    drop(b);
    assert_eq!(count(), 1);
}

#[test]
fn a_full_list_refuses_blocks_and_those_are_counted_as_freed() {
    gc::disable();
    drop(lists(5));
    assert_eq!((count(), listed::<List>()), (5 - 2, LISTED));
    let again = lists(5); // three reused, two allocated
    assert_eq!((count(), listed::<List>()), (5, 0));
    drop(again);
    assert_eq!(count(), 3);
}

#[test]
fn a_count_at_zero_stays_at_zero_and_reuse_does_not_raise_it() {
    gc::disable();
    let survivors = lists(5);
    gc::collect();
    assert_eq!(count(), 0);
    drop(survivors); // two freed: `count > 0` keeps it at 0
    assert_eq!((count(), listed::<List>()), (0, LISTED));
    let reused = lists(LISTED);
    assert_eq!(count(), 0);
    let allocated = list();
    assert_eq!(count(), 1);
    drop((reused, allocated));
}

#[test]
fn emptying_the_lists_counts_each_tracked_block_freed() {
    gc::disable();
    let kept = lists(4);
    drop(lists(LISTED));
    drop((Gc::new(Float), Gc::new(Float)));
    assert_eq!((count(), listed::<List>(), listed::<Float>()), (7, 3, 2));
    assert_eq!(gc::clear_freelists(), 5);
    assert_eq!(count(), 7 - LISTED); // floats are untracked: never counted
    drop(kept); // three listed, one freed
    assert_eq!(count(), 3);
    gc::collect_generation(0).unwrap(); // the count to 0, the lists kept
    assert_eq!((count(), listed::<List>()), (0, LISTED));
    assert_eq!((gc::clear_freelists(), count()), (LISTED, 0)); // down to 0, not below
}

#[test]
fn a_full_collection_frees_the_listed_blocks_down_to_zero() {
    gc::disable();
    drop(lists(LISTED));
    assert_eq!(count(), LISTED);
    gc::collect();
    assert_eq!((count(), listed::<List>()), (0, 0));
    drop(lists(LISTED));
    assert_eq!(gc::collect_generation(0).unwrap(), 0);
    assert_eq!((count(), listed::<List>()), (0, LISTED));
}

#[test]
fn a_reused_block_starts_no_automatic_collection() {
    gc::set_threshold(LISTED, 10, 10).unwrap();
    gc::enable();
    drop(lists(LISTED));
    let collections = || gc::get_stats()[0].collections;
    let before = collections();
    assert_eq!(count(), LISTED);
    let reused = lists(LISTED); // the count would pass the threshold if they counted
    assert_eq!((collections(), count()), (before, LISTED));
    let allocated = list(); // `count[0]` is 4 > 3: a collection, which zeroes it
    assert_eq!((collections(), count()), (before + 1, 0));
    drop((reused, allocated));
}

#[test]
fn try_new_reuses_a_listed_block_without_counting_it() {
    gc::disable();
    drop(list());
    let reused = Gc::try_new(List(RefCell::new(Vec::new()))).ok().unwrap();
    assert_eq!((count(), listed::<List>()), (1, 0));
    let allocated = Gc::try_new(List(RefCell::new(Vec::new()))).ok().unwrap();
    assert_eq!(count(), 2);
    drop((reused, allocated));
    assert_eq!((count(), listed::<List>()), (2, 2));
}

#[test]
fn the_trashcan_counts_only_the_blocks_it_frees() {
    gc::disable();
    let mut chain = list();
    for _ in 0..299 {
        chain = Gc::new(List(RefCell::new(vec![chain])));
    }
    assert_eq!(count(), 300);
    drop(chain);
    assert_eq!((count(), listed::<List>()), (LISTED, LISTED));
}

#[test]
fn try_unwrap_frees_the_block_and_counts_it() {
    gc::disable();
    let a = list();
    assert!(Gc::try_unwrap(a).is_ok());
    assert_eq!((count(), listed::<List>()), (0, 0));
}

/// A tracked, listed type whose `Drop` panics.
#[derive(Trace)]
#[trace(tracked, freelist)]
struct Bomb;

impl FreeList for Bomb {
    const LISTS: &'static [FreeListSpec] = &[FreeListSpec::new("Bomb", LISTED)];
}

impl Drop for Bomb {
    fn drop(&mut self) {
        panic!("bomb");
    }
}

#[test]
fn a_panicking_drop_frees_the_block_and_counts_it() {
    gc::disable();
    let bomb = Gc::new(Bomb);
    assert_eq!(count(), 1);
    assert!(catch_unwind(AssertUnwindSafe(|| drop(bomb))).is_err());
    assert_eq!((count(), listed::<Bomb>()), (0, 0));
}

/// A tracked, listed type with a finalizer that may resurrect it (PEP 442).
#[derive(Trace)]
#[trace(finalize, freelist)]
struct Fin(RefCell<Vec<Gc<List>>>, #[trace(skip)] bool);

impl FreeList for Fin {
    const LISTS: &'static [FreeListSpec] = &[FreeListSpec::new("Fin", LISTED)];
}

thread_local! {
    static RESURRECTED: RefCell<Vec<Gc<Fin>>> = const { RefCell::new(Vec::new()) };
}

impl Finalize for Fin {
    fn finalize(this: &Gc<Self>) {
        if this.1 {
            RESURRECTED.with_borrow_mut(|r| r.push(this.clone()));
        }
    }
}

fn fin(resurrect: bool) -> Gc<Fin> {
    Gc::new(Fin(RefCell::new(Vec::new()), resurrect))
}

#[test]
fn a_finalized_object_is_counted_only_when_its_block_is_freed() {
    gc::disable();
    drop((0..5).map(|_| fin(false)).collect::<Vec<_>>());
    assert_eq!((count(), listed::<Fin>()), (LISTED, LISTED));
    let resurrected = fin(true); // a reused block: not counted
    drop(resurrected);
    assert_eq!((count(), listed::<Fin>()), (LISTED, LISTED - 1));
    RESURRECTED.with_borrow_mut(Vec::clear); // finalized already: straight to the list
    assert_eq!((count(), listed::<Fin>()), (LISTED, LISTED));
}
