//! One heap per thread: isolation, and teardown at thread exit (scenarios 38-39).

use crate::support::{Counted, counted};
use pymem::{Gc, Trace, gc};
use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Counts drops across threads.
#[derive(Trace)]
struct Tally {
    next: RefCell<Option<Gc<Tally>>>,
    #[trace(skip)]
    drops: Arc<AtomicUsize>,
}

impl Drop for Tally {
    fn drop(&mut self) {
        self.drops.fetch_add(1, Ordering::SeqCst);
    }
}

fn tally(drops: &Arc<AtomicUsize>) -> Gc<Tally> {
    Gc::new(Tally {
        next: RefCell::new(None),
        drops: drops.clone(),
    })
}

#[test]
fn each_thread_has_its_own_heap() {
    gc::disable();
    gc::collect();
    let here = counted(&Default::default());
    let other = std::thread::spawn(|| {
        assert!(gc::isenabled(), "a fresh heap starts enabled");
        assert_eq!(gc::get_count(), (0, 0, 0));
        let _n: Gc<Counted> = counted(&Default::default());
        gc::get_count().0
    });
    assert_eq!(other.join().unwrap(), 1);
    assert!(!gc::isenabled());
    assert_eq!(gc::get_count().0, 1);
    drop(here);
}

#[test]
fn s39_thread_exit_frees_cycles() {
    let drops = Arc::new(AtomicUsize::new(0));
    let d = drops.clone();
    std::thread::spawn(move || {
        gc::disable();
        let a = tally(&d);
        *a.next.borrow_mut() = Some(a.clone());
        let (b, c) = (tally(&d), tally(&d));
        *b.next.borrow_mut() = Some(c.clone());
        *c.next.borrow_mut() = Some(b.clone());
        drop((a, b, c));
        assert_eq!(d.load(Ordering::SeqCst), 0, "nothing collected before exit");
    })
    .join()
    .unwrap();
    assert_eq!(
        drops.load(Ordering::SeqCst),
        3,
        "the final collection freed both cycles"
    );
}

thread_local! {
    static LATE: RefCell<Option<Gc<Tally>>> = const { RefCell::new(None) };
}

#[test]
fn s38_a_gc_in_a_thread_local_that_outlives_the_heap() {
    let drops = Arc::new(AtomicUsize::new(0));
    let d = drops.clone();
    std::thread::spawn(move || {
        // Registered before the heap exists, so destroyed after the heap's teardown.
        LATE.with(|_| ());
        let a = tally(&d);
        *a.next.borrow_mut() = Some(tally(&d));
        LATE.set(Some(a));
    })
    .join()
    .unwrap();
    // The heap was torn down first (the objects were detached, not freed); the
    // thread-local's destructor then dropped the handle and freed both, once.
    assert_eq!(drops.load(Ordering::SeqCst), 2);
}

/// `Gc`, `Weak` and `Object` hold raw pointers, which makes them `!Send` and `!Sync`: each
/// thread's heap is unsynchronised, and the type system plays the role of the GIL.
#[test]
fn handles_are_neither_send_nor_sync() {
    trait AmbiguousIfSend<A> {
        fn check() {}
    }
    impl<T: ?Sized> AmbiguousIfSend<()> for T {}
    impl<T: ?Sized + Send> AmbiguousIfSend<u8> for T {}
    trait AmbiguousIfSync<A> {
        fn check() {}
    }
    impl<T: ?Sized> AmbiguousIfSync<()> for T {}
    impl<T: ?Sized + Sync> AmbiguousIfSync<u8> for T {}
    // Each call is ambiguous, and fails to compile, if the type is Send (Sync).
    <Gc<u8> as AmbiguousIfSend<_>>::check();
    <Gc<u8> as AmbiguousIfSync<_>>::check();
    <pymem::Weak<u8> as AmbiguousIfSend<_>>::check();
    <pymem::Weak<u8> as AmbiguousIfSync<_>>::check();
    <pymem::Object as AmbiguousIfSend<_>>::check();
    <pymem::Object as AmbiguousIfSync<_>>::check();
}

thread_local! {
    static LATE_CHAIN: RefCell<Option<Gc<Tally>>> = const { RefCell::new(None) };
}

#[test]
fn a_million_long_chain_freed_after_teardown_does_not_overflow_the_stack() {
    // No heap means no heap trashcan: deallocations then go through a trashcan of their own
    // (dealloc.rs), or this chain would recurse once per link on a 2 MiB thread stack.
    let n = if cfg!(miri) { 500 } else { 1_000_000 };
    let drops = Arc::new(AtomicUsize::new(0));
    let d = drops.clone();
    std::thread::spawn(move || {
        // Registered before the heap exists, so destroyed after the heap's teardown.
        LATE_CHAIN.with(|_| ());
        gc::disable();
        let head = tally(&d);
        let mut tail = head.clone();
        for _ in 1..n {
            let next = tally(&d);
            *tail.next.borrow_mut() = Some(next.clone());
            tail = next;
        }
        drop(tail);
        LATE_CHAIN.set(Some(head));
    })
    .join()
    .unwrap();
    assert_eq!(drops.load(Ordering::SeqCst), n, "every link dropped once");
}

/// What [`LateRegistrar`] saw when it ran after its thread's heap was torn down.
#[derive(Debug, Default, PartialEq)]
struct LateRegistration {
    isenabled: bool,
    callback_dropped: bool,
    removed: bool,
    collected: usize,
}

/// Counts its drop.
struct CountOnDrop(Arc<AtomicUsize>);

impl Drop for CountOnDrop {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// Calls `gc::add_callback` from its destructor, which runs after the heap's teardown.
struct LateRegistrar(Arc<std::sync::Mutex<Option<LateRegistration>>>);

impl Drop for LateRegistrar {
    fn drop(&mut self) {
        let dropped = Arc::new(AtomicUsize::new(0));
        let guard = CountOnDrop(dropped.clone());
        let id = gc::add_callback(move |_, _| {
            let _keep = &guard;
            panic!("a callback registered after teardown ran");
        });
        let seen = LateRegistration {
            isenabled: gc::isenabled(),
            callback_dropped: dropped.load(Ordering::SeqCst) == 1,
            removed: gc::remove_callback(id),
            collected: gc::collect(),
        };
        *self.0.lock().unwrap() = Some(seen);
    }
}

thread_local! {
    static LATE_REGISTRAR: RefCell<Option<LateRegistrar>> = const { RefCell::new(None) };
}

#[test]
fn add_callback_during_teardown_is_a_no_op() {
    let seen = Arc::new(std::sync::Mutex::new(None));
    let slot = seen.clone();
    std::thread::spawn(move || {
        // Registered before the heap exists, so destroyed after the heap's teardown.
        LATE_REGISTRAR.set(Some(LateRegistrar(slot)));
        assert!(gc::isenabled(), "the heap exists now");
    })
    .join()
    .unwrap();
    let expected = LateRegistration {
        isenabled: false,
        callback_dropped: true,
        removed: false,
        collected: 0,
    };
    assert_eq!(seen.lock().unwrap().take(), Some(expected));
}
