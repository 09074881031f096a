//! Reliability scenarios 47 and 48 (soundness, round 2): hostile user code that the
//! collector runs, attacked through safe Rust only.
//!
//! * 47: a panic whose payload's own `Drop` panics, at every place where the collector or
//!   a deallocation runs user code (values' `Drop`, finalizers, weakref callbacks, `gc`
//!   callbacks, `Trace`, the unraisable hook, the `sys.stderr` writer, thread teardown).
//!   Each test fails without the containment of `unwind.rs` (a double drop, a leak, a
//!   panic escaping a half-done step, or an abort) and must leave every count exact.
//! * 48: chains of a million objects released by finalizers, weakref callbacks and weak
//!   dictionary entries, on threads with 2 MiB stacks: the trashcan bounds the depth.

use crate::support::{DropToken, Drops, allocated_blocks, capture_stderr};
use pymem::weakref::WeakValueDictionary;
use pymem::{Finalize, Gc, Trace, Visitor, Weak, gc, sys};
use std::any::Any;
use std::cell::{Cell, RefCell};
use std::hash::{Hash, Hasher};
use std::panic::{AssertUnwindSafe, catch_unwind, panic_any};
use std::rc::Rc;

fn fresh() {
    gc::disable();
    gc::collect();
}

/// A panic payload whose own `Drop` panics, every time (inside `catch_unwind` a panic
/// while unwinding is allowed; escaping a drop run by the unwinder, it aborts).
struct Bomb;

impl Drop for Bomb {
    fn drop(&mut self) {
        panic!("a panic payload's drop panicked");
    }
}

/// Takes a payload the test caught without dropping a `Bomb` (a zero-sized box: nothing
/// leaks); whether it was one.
fn defuse(payload: Box<dyn Any + Send>) -> bool {
    match payload.downcast::<Bomb>() {
        Ok(bomb) => {
            std::mem::forget(bomb);
            true
        }
        Err(other) => {
            drop(other);
            false
        }
    }
}

/// Calls `f`, which must panic with a `Bomb`.
fn expect_bomb(f: impl FnOnce()) {
    let payload = catch_unwind(AssertUnwindSafe(f)).expect_err("a panic");
    assert!(defuse(payload), "the panic is the first Bomb");
}

/// Counts unraisable reports (and keeps their objects' names) while installed.
fn count_unraisable() -> Rc<RefCell<Vec<String>>> {
    let reports: Rc<RefCell<Vec<String>>> = Rc::default();
    let r = reports.clone();
    sys::set_unraisablehook(move |args| r.borrow_mut().push(args.object.to_string()));
    reports
}

/// A node whose `Drop` panics with a `Bomb`: the reproducer.
#[derive(Trace)]
struct Loud {
    next: RefCell<Option<Gc<Loud>>>,
    #[trace(skip)]
    _token: DropToken,
}

impl Drop for Loud {
    fn drop(&mut self) {
        panic_any(Bomb)
    }
}

fn loud_pair(drops: &Drops) -> Weak<Loud> {
    let make = || {
        Gc::new(Loud {
            next: RefCell::new(None),
            _token: drops.token(),
        })
    };
    let (a, b) = (make(), make());
    *a.next.borrow_mut() = Some(b.clone());
    *b.next.borrow_mut() = Some(a.clone());
    Gc::downgrade(&a)
}

#[test]
fn s47_a_second_payload_that_panics_in_delete_garbage_is_contained() {
    fresh();
    let baseline = allocated_blocks();
    let drops = Drops::default();
    let watch = loud_pair(&drops);
    // Both values panic while the garbage is destroyed: the first payload is re-raised
    // from gc.collect, the second is dropped by the collector, and its drop panics.
    expect_bomb(|| {
        gc::collect();
    });
    assert_eq!(drops.count(), 2, "each value was dropped once");
    assert!(watch.upgrade().is_none());
    assert_eq!(gc::collect(), 0, "nothing is left to drop a second time");
    assert_eq!(drops.count(), 2);
    assert!(gc::get_objects(None).unwrap().is_empty());
    drop(watch);
    assert_eq!(allocated_blocks(), baseline, "both blocks were freed, once");
}

thread_local! {
    static KEPT: RefCell<Vec<Weak<Later>>> = const { RefCell::new(Vec::new()) };
}

/// Its `Drop` makes a weak reference with a panicking callback to the next object of its
/// garbage cycle, after the collector's weakref pass: the callback runs when that block
/// is released.
#[derive(Trace)]
struct Later {
    next: RefCell<Option<Gc<Later>>>,
    #[trace(skip)]
    _token: DropToken,
}

impl Drop for Later {
    fn drop(&mut self) {
        if let Some(next) = self.next.borrow().as_ref() {
            let weak = Weak::with_callback(next, |_| panic_any(Bomb));
            KEPT.with_borrow_mut(|kept| kept.push(weak));
        }
    }
}

#[test]
fn s47_a_callback_panicking_while_the_garbage_is_released_is_contained() {
    fresh();
    let baseline = allocated_blocks();
    let (drops, reports) = (Drops::default(), count_unraisable());
    let make = || {
        Gc::new(Later {
            next: RefCell::new(None),
            _token: drops.token(),
        })
    };
    let (a, b) = (make(), make());
    *a.next.borrow_mut() = Some(b.clone());
    *b.next.borrow_mut() = Some(a.clone());
    drop((a, b));
    assert_eq!(gc::collect(), 2);
    sys::reset_unraisablehook();
    assert_eq!(drops.count(), 2);
    assert_eq!(reports.borrow().len(), 2, "both callbacks were reported");
    KEPT.with_borrow_mut(Vec::clear);
    assert_eq!(allocated_blocks(), baseline);
}

/// A finalizer that panics with a `Bomb`, or breaks its own cycle (its `Drop` then runs
/// inside `finalize_garbage`, and panics).
#[derive(Trace)]
#[trace(finalize)]
struct Fin {
    me: RefCell<Option<Gc<Fin>>>,
    #[trace(skip)]
    breaks_cycle: bool,
    #[trace(skip)]
    finalized: Rc<Cell<usize>>,
    #[trace(skip)]
    _token: DropToken,
}

impl Finalize for Fin {
    fn finalize(this: &Gc<Self>) {
        this.finalized.set(this.finalized.get() + 1);
        if this.breaks_cycle {
            drop(this.me.take());
        } else {
            panic_any(Bomb)
        }
    }
}

impl Drop for Fin {
    fn drop(&mut self) {
        if self.breaks_cycle {
            panic_any(Bomb)
        }
    }
}

fn self_cycles(n: usize, breaks_cycle: bool, drops: &Drops) -> Rc<Cell<usize>> {
    let finalized = Rc::new(Cell::new(0));
    for _ in 0..n {
        let f = Gc::new(Fin {
            me: RefCell::new(None),
            breaks_cycle,
            finalized: finalized.clone(),
            _token: drops.token(),
        });
        *f.me.borrow_mut() = Some(f.clone());
    }
    finalized
}

#[test]
fn s47_finalizers_panicking_with_payloads_that_panic_are_contained() {
    fresh();
    let baseline = allocated_blocks();
    let (drops, reports) = (Drops::default(), count_unraisable());
    let finalized = self_cycles(3, false, &drops);
    assert_eq!(gc::collect(), 3);
    sys::reset_unraisablehook();
    assert_eq!((finalized.get(), drops.count()), (3, 3));
    assert_eq!(reports.borrow().len(), 3);
    assert!(reports.borrow()[0].starts_with("<finalizer of "));
    assert_eq!(allocated_blocks(), baseline);
}

#[test]
fn s47_a_drop_run_inside_finalize_garbage_panics_and_the_collection_completes() {
    fresh();
    let baseline = allocated_blocks();
    let drops = Drops::default();
    // Each finalizer frees its own object by refcount; each Drop then panics, in the
    // middle of the finalizer pass. The first payload comes out of gc.collect once the
    // collection is complete; the others are dropped (their drops panic, contained).
    let finalized = self_cycles(3, true, &drops);
    expect_bomb(|| {
        gc::collect();
    });
    assert_eq!((finalized.get(), drops.count()), (3, 3));
    assert_eq!(gc::collect(), 0);
    assert!(gc::get_objects(None).unwrap().is_empty());
    assert_eq!(allocated_blocks(), baseline);
}

#[derive(Trace)]
struct Plain {
    next: RefCell<Option<Gc<Plain>>>,
    #[trace(skip)]
    _token: DropToken,
}

fn plain(drops: &Drops) -> Gc<Plain> {
    Gc::new(Plain {
        next: RefCell::new(None),
        _token: drops.token(),
    })
}

fn plain_pair(drops: &Drops) -> Gc<Plain> {
    let (a, b) = (plain(drops), plain(drops));
    *a.next.borrow_mut() = Some(b.clone());
    *b.next.borrow_mut() = Some(a.clone());
    a
}

#[test]
fn s47_weakref_callbacks_with_payloads_that_panic_are_contained() {
    fresh();
    let baseline = allocated_blocks();
    let (drops, reports) = (Drops::default(), count_unraisable());
    // Cyclic garbage: the callback runs in the collector's weakref pass.
    let a = plain_pair(&drops);
    let cyclic = Weak::with_callback(&a, |_| panic_any(Bomb));
    drop(a);
    assert_eq!(gc::collect(), 2);
    assert_eq!((reports.borrow().len(), drops.count()), (1, 2));
    // Refcount death: the callback runs before the value is dropped.
    let x = plain(&drops);
    let at_death = Weak::with_callback(&x, |_| panic_any(Bomb));
    drop(x);
    sys::reset_unraisablehook();
    assert_eq!((reports.borrow().len(), drops.count()), (2, 3));
    drop((cyclic, at_death));
    assert_eq!(
        allocated_blocks(),
        baseline,
        "the value was dropped, the block freed"
    );
}

#[test]
fn s47_gc_callbacks_with_payloads_that_panic_are_contained() {
    fresh();
    let (drops, reports) = (Drops::default(), count_unraisable());
    let id = gc::add_callback(|_, _| panic_any(Bomb));
    drop(plain_pair(&drops));
    assert_eq!(
        gc::collect(),
        2,
        "the collection ran between the two phases"
    );
    gc::remove_callback(id);
    sys::reset_unraisablehook();
    assert_eq!(reports.borrow().len(), 2, "start and stop were reported");
    assert_eq!(drops.count(), 2);
}

/// Panics in its drop: the collector lets go of a gc callback that owns one.
struct LoudClosure;

impl Drop for LoudClosure {
    fn drop(&mut self) {
        panic_any(Bomb)
    }
}

#[test]
fn s47_a_gc_callback_whose_drop_panics_when_the_collector_releases_it() {
    fresh();
    let reports = count_unraisable();
    let own: Rc<Cell<Option<gc::CallbackId>>> = Rc::default();
    let me = own.clone();
    let bomb = LoudClosure;
    // It removes itself while the collector holds the phase's copy of the list: the
    // collector's copy is the last owner, and dropping it drops the bomb.
    let id = gc::add_callback(move |_, _| {
        let _owned = &bomb;
        if let Some(id) = me.get() {
            gc::remove_callback(id);
        }
    });
    own.set(Some(id));
    assert_eq!(gc::collect(), 0);
    sys::reset_unraisablehook();
    assert_eq!(
        reports.borrow().len(),
        1,
        "the drop was reported: {reports:?}"
    );
    assert_eq!(gc::collect(), 0, "the callback is gone");
}

#[test]
fn s47_an_unraisable_hook_that_panics_with_a_payload_that_panics() {
    fresh();
    let drops = Drops::default();
    sys::set_unraisablehook(|_| panic_any(Bomb));
    let finalized = self_cycles(2, false, &drops);
    let printed = capture_stderr(|| assert_eq!(gc::collect(), 2));
    sys::reset_unraisablehook();
    assert_eq!((finalized.get(), drops.count()), (2, 2));
    assert_eq!(
        printed
            .matches("Exception ignored in sys.unraisablehook")
            .count(),
        2,
        "{printed}"
    );
}

/// A `sys.stderr` that panics with a `Bomb` on every write.
struct LoudWriter;

impl std::io::Write for LoudWriter {
    fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
        panic_any(Bomb)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn s47_a_stderr_writer_that_panics_while_reporting_and_under_debug_flags() {
    fresh();
    let drops = Drops::default();
    sys::reset_unraisablehook();
    let previous = sys::set_stderr(Box::new(LoudWriter));
    // The default hook writes the finalizers' reports to the writer, which panics.
    let finalized = self_cycles(2, false, &drops);
    assert_eq!(gc::collect(), 2);
    // DEBUG_STATS and DEBUG_COLLECTABLE write from inside the collection.
    gc::set_debug(gc::DEBUG_STATS | gc::DEBUG_COLLECTABLE);
    drop(plain_pair(&drops));
    assert_eq!(gc::collect(), 2);
    gc::set_debug(gc::DebugFlags::empty());
    sys::debugmallocstats();
    drop(sys::reset_stderr());
    if let Some(previous) = previous {
        sys::set_stderr(previous);
    }
    assert_eq!((finalized.get(), drops.count()), (2, 4));
}

/// A chain link whose `Drop` panics: with `String` at the head, with a `Bomb` deeper.
#[derive(Trace)]
struct Link {
    next: RefCell<Option<Gc<Link>>>,
    #[trace(skip)]
    panics: Option<bool>,
    #[trace(skip)]
    _token: DropToken,
}

impl Drop for Link {
    fn drop(&mut self) {
        match self.panics {
            Some(true) => panic_any(Bomb),
            Some(false) => panic!("the head's drop failed"),
            None => {}
        }
    }
}

#[test]
fn s47_the_trashcan_drained_while_unwinding_contains_a_payload_that_panics() {
    fresh();
    let baseline = allocated_blocks();
    let (drops, reports) = (Drops::default(), count_unraisable());
    // Links 60 and 120 sit beyond the trashcan's depth, and more than its depth apart:
    // each is destroyed from the queue while the head's panic unwinds, where its panic is
    // reported and its payload dropped. (Two panicking drops fewer than 50 links apart
    // abort the process, as in any Rust drop glue: `docs/design.md`.)
    // (Miri: 115 links, bombs at 55 and 110, the same shape.)
    let (links, bombs) = if cfg!(miri) {
        (115, [55, 110])
    } else {
        (200, [60, 120])
    };
    let mut head: Option<Gc<Link>> = None;
    for i in (0..links).rev() {
        let panics = match i {
            0 => Some(false),
            _ if bombs.contains(&i) => Some(true),
            _ => None,
        };
        head = Some(Gc::new(Link {
            next: RefCell::new(head.take()),
            panics,
            _token: drops.token(),
        }));
    }
    let payload = catch_unwind(AssertUnwindSafe(|| drop(head))).unwrap_err();
    sys::reset_unraisablehook();
    assert_eq!(
        *payload.downcast::<&str>().unwrap(),
        "the head's drop failed"
    );
    assert_eq!(drops.count(), links, "every link was dropped, once");
    assert_eq!(reports.borrow().len(), 2, "{reports:?}");
    assert_eq!(allocated_blocks(), baseline);
}

thread_local! {
    static TRACE_BOMB_AFTER: Cell<usize> = const { Cell::new(usize::MAX) };
}

/// Its `Trace` panics with a `Bomb` on the n-th call after being armed.
struct Brittle {
    next: RefCell<Option<Gc<Brittle>>>,
    _keep: Weak<Brittle>,
}

// SAFETY: reports its one `Gc` edge and its `Weak`, the same on every call (the panic
// aside, which the contract allows).
unsafe impl Trace for Brittle {
    const TRACKED: bool = true;
    fn trace(&self, visitor: &mut Visitor<'_>) {
        let left = TRACE_BOMB_AFTER.get();
        if left == 0 {
            TRACE_BOMB_AFTER.set(usize::MAX);
            panic_any(Bomb);
        }
        TRACE_BOMB_AFTER.set(left.saturating_sub(1));
        self.next.trace(visitor);
        self._keep.trace(visitor);
    }
}

#[test]
fn s47_a_trace_panicking_with_a_payload_that_panics_in_each_pass() {
    // Two objects are traced in subtract_refs (calls 0-1), in the marking (none: both are
    // garbage) and in the weakref pass (calls 2-3): a panic at any call leaves both tracked.
    for at in 0..4 {
        fresh();
        let make = || {
            Gc::new(Brittle {
                next: RefCell::new(None),
                _keep: Weak::new(),
            })
        };
        let (a, b) = (make(), make());
        *a.next.borrow_mut() = Some(b.clone());
        *b.next.borrow_mut() = Some(a.clone());
        let watch = Gc::downgrade(&a);
        drop((a, b));
        TRACE_BOMB_AFTER.set(at);
        expect_bomb(|| {
            gc::collect();
        });
        TRACE_BOMB_AFTER.set(usize::MAX);
        assert_eq!(
            gc::get_objects(None).unwrap().len(),
            2,
            "panic at call {at}"
        );
        if let Some(a) = watch.upgrade() {
            assert!(gc::is_tracked(&a));
        }
        assert_eq!(gc::collect(), 2, "the next collection frees both");
    }
}

#[test]
fn s47_thread_teardown_contains_every_payload_that_panics() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let dropped = Arc::new(AtomicUsize::new(0));
    let seen = dropped.clone();
    let thread = std::thread::spawn(move || {
        struct Count(Arc<AtomicUsize>);
        impl Drop for Count {
            fn drop(&mut self) {
                self.0.fetch_add(1, Ordering::Relaxed);
            }
        }
        #[derive(Trace)]
        struct Kept {
            me: RefCell<Option<Gc<Kept>>>,
            #[trace(skip)]
            _count: Count,
        }
        impl Drop for Kept {
            fn drop(&mut self) {
                panic_any(Bomb)
            }
        }
        // A gc callback whose drop panics, garbage saved in gc.garbage whose drop panics,
        // a stderr writer that panics on the shutdown warning, and an atexit finalizer
        // that panics: all released by the heap's teardown.
        let bomb = LoudClosure;
        gc::add_callback(move |_, _| {
            let _owned = &bomb;
        });
        gc::set_debug(gc::DEBUG_SAVEALL);
        let kept = Gc::new(Kept {
            me: RefCell::new(None),
            _count: Count(seen),
        });
        *kept.me.borrow_mut() = Some(kept.clone());
        let finalizer = pymem::weakref::finalize(&kept, || panic_any(Bomb));
        drop(kept);
        gc::collect();
        gc::set_debug(gc::DebugFlags::empty());
        assert_eq!(gc::garbage().len(), 1);
        sys::set_stderr(Box::new(LoudWriter));
        sys::set_unraisablehook(|_| panic_any(Bomb));
        drop(finalizer); // the registry keeps it: it still runs at exit
    });
    assert!(thread.join().is_ok(), "the thread exited without aborting");
    assert_eq!(
        dropped.load(Ordering::Relaxed),
        1,
        "the saved object was freed"
    );
}

#[test]
fn s52_debug_saveall_set_by_a_drop_during_thread_teardown_frees_the_new_garbage() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let dropped = Arc::new(AtomicUsize::new(0));
    let seen = dropped.clone();
    std::thread::spawn(move || {
        #[derive(Trace)]
        struct Maker {
            me: RefCell<Option<Gc<Maker>>>,
            #[trace(skip)]
            drops: Arc<AtomicUsize>,
            #[trace(skip)]
            makes: bool,
        }
        impl Drop for Maker {
            fn drop(&mut self) {
                self.drops.fetch_add(1, Ordering::Relaxed);
                if self.makes {
                    // Turns DEBUG_SAVEALL on and leaves a new cycle for the next
                    // teardown collection, which must free it, not save it.
                    gc::set_debug(gc::DEBUG_SAVEALL);
                    cycle(&self.drops, false);
                }
            }
        }
        fn cycle(drops: &Arc<AtomicUsize>, makes: bool) {
            let m = Gc::new(Maker {
                me: RefCell::new(None),
                drops: drops.clone(),
                makes,
            });
            *m.me.borrow_mut() = Some(m.clone());
        }
        cycle(&seen, true);
    })
    .join()
    .unwrap();
    assert_eq!(dropped.load(Ordering::Relaxed), 2, "both cycles were freed");
}

// ---- Scenario 48: deep chains released by user code, on 2 MiB stacks ------------------

/// Chain length: a million links; fewer under Miri, and `PYMEM_CHAIN_LINKS` under
/// valgrind (`ci/valgrind.sh`), where each link costs fifty times as much.
fn chain_links() -> usize {
    let default = if cfg!(miri) { 100 } else { 1_000_000 };
    let links = std::env::var("PYMEM_CHAIN_LINKS").ok();
    links.and_then(|n| n.parse().ok()).unwrap_or(default)
}

/// Runs `f` on a thread with a 2 MiB stack (the default for spawned threads, stated).
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .expect("the chain was freed without overflowing the stack");
}

/// A link whose finalizer releases the next link; `back` closes a cycle.
#[derive(Trace)]
#[trace(finalize)]
struct Releasing {
    next: RefCell<Option<Gc<Releasing>>>,
    back: RefCell<Option<Gc<Releasing>>>,
    #[trace(skip)]
    finalized: Rc<Cell<usize>>,
}

impl Finalize for Releasing {
    fn finalize(this: &Gc<Self>) {
        this.finalized.set(this.finalized.get() + 1);
        drop(this.next.take());
    }
}

fn releasing(next: Option<Gc<Releasing>>, finalized: &Rc<Cell<usize>>) -> Gc<Releasing> {
    Gc::new(Releasing {
        next: RefCell::new(next),
        back: RefCell::new(None),
        finalized: finalized.clone(),
    })
}

fn releasing_chain(n: usize, finalized: &Rc<Cell<usize>>) -> Gc<Releasing> {
    let mut head = None;
    for _ in 0..n {
        head = Some(releasing(head.take(), finalized));
    }
    head.unwrap()
}

#[test]
fn s48_a_million_finalizers_each_releasing_the_next_link() {
    on_small_stack(|| {
        let n = chain_links();
        gc::disable();
        let finalized = Rc::new(Cell::new(0));
        drop(releasing_chain(n, &finalized));
        assert_eq!(finalized.get(), n);
        assert!(gc::get_objects(None).unwrap().is_empty());
    });
}

#[test]
fn s48_a_million_finalizers_hanging_off_a_garbage_cycle() {
    on_small_stack(|| {
        let n = chain_links();
        gc::disable();
        let finalized = Rc::new(Cell::new(0));
        // A self-cycle allocated before the chain it holds: its finalizer runs first in
        // the collection and releases the chain's head, whose finalizer releases the next.
        let hub = releasing(None, &finalized);
        *hub.back.borrow_mut() = Some(hub.clone());
        *hub.next.borrow_mut() = Some(releasing_chain(n, &finalized));
        drop(hub);
        assert!(gc::collect() >= 1);
        assert_eq!(finalized.get(), n + 1);
        assert!(gc::get_objects(None).unwrap().is_empty());
    });
}

/// A link released by the callback of a weak reference to the link before it.
#[derive(Trace)]
struct Quiet {
    #[trace(skip)]
    _token: DropToken,
}

#[test]
fn s48_a_million_weakref_callbacks_each_releasing_the_next_object() {
    on_small_stack(|| {
        let n = chain_links();
        let drops = Drops::default();
        let mut weaks = Vec::with_capacity(n);
        let mut next: Option<Gc<Quiet>> = None;
        for _ in 0..n {
            let link = Gc::new(Quiet {
                _token: drops.token(),
            });
            let held = next.take();
            weaks.push(Weak::with_callback(&link, move |_| drop(held)));
            next = Some(link);
        }
        drop(next);
        assert_eq!(drops.count(), n);
        assert!(weaks.iter().all(|w| w.upgrade().is_none()));
    });
}

/// A key that owns the next value of its dictionary; hashed and compared by number.
#[derive(Clone)]
struct ChainKey(usize, #[allow(dead_code)] Option<Gc<Quiet>>);

impl PartialEq for ChainKey {
    fn eq(&self, other: &ChainKey) -> bool {
        self.0 == other.0
    }
}

impl Eq for ChainKey {}

impl Hash for ChainKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

#[test]
fn s48_a_million_weak_value_dictionary_entries_releasing_each_other() {
    on_small_stack(|| {
        let n = chain_links();
        let drops = Drops::default();
        let dict = WeakValueDictionary::<ChainKey, Quiet>::new();
        // Entry i maps to value i; its key owns value i + 1. Value 0 dies, its entry goes,
        // its key releases value 1, whose entry goes, and so on.
        let first = Gc::new(Quiet {
            _token: drops.token(),
        });
        let mut value = first.clone();
        for i in 0..n {
            let next = (i + 1 < n).then(|| {
                Gc::new(Quiet {
                    _token: drops.token(),
                })
            });
            dict.insert(ChainKey(i, next.clone()), &value);
            if let Some(next) = next {
                value = next;
            }
        }
        drop(value);
        assert_eq!(dict.len(), n);
        drop(first);
        assert_eq!(drops.count(), n);
        assert_eq!(dict.len(), 0);
        assert!(dict.keys().is_empty());
    });
}
