//! Reference counting, prompt destruction, weak references, layout.

use crate::support::{Counted, Drops, Node, counted, link, node};
use pymem::{Gc, Trace, Weak, gc, sys};
use std::cell::RefCell;
use std::rc::Rc;

#[test]
fn counts_rise_and_fall_and_the_last_drop_destroys_at_once() {
    let drops = Drops::default();
    let a = counted(&drops);
    assert_eq!(Gc::ref_count(&a), 1);
    let b = a.clone();
    assert_eq!(Gc::ref_count(&a), 2);
    drop(b);
    assert_eq!(Gc::ref_count(&a), 1);
    assert_eq!(drops.count(), 0);
    drop(a);
    assert_eq!(
        drops.count(),
        1,
        "destroyed as soon as the count reached zero"
    );
}

/// Logs its name when dropped and owns the next link of a chain.
#[derive(Trace)]
struct Named {
    #[trace(skip)]
    name: &'static str,
    #[trace(skip)]
    log: Rc<RefCell<Vec<&'static str>>>,
    next: Option<Gc<Named>>,
}

impl Drop for Named {
    fn drop(&mut self) {
        self.log.borrow_mut().push(self.name);
    }
}

#[test]
fn s03_nested_prompt_destruction_runs_each_drop_once_in_order() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let make = |name, next| {
        Gc::new(Named {
            name,
            log: log.clone(),
            next,
        })
    };
    let c = make("c", None);
    let b = make("b", Some(c));
    let a = make("a", Some(b));
    drop(a);
    assert_eq!(*log.borrow(), ["a", "b", "c"]);
}

#[test]
fn s01_dropping_a_million_long_chain_does_not_overflow_the_stack() {
    let n = if cfg!(miri) { 500 } else { 1_000_000 };
    let drops = Drops::default();
    let head = counted(&drops);
    let mut tail = head.clone();
    for _ in 1..n {
        let next = counted(&drops);
        *tail.next.borrow_mut() = Some(next.clone());
        tail = next;
    }
    drop(tail);
    drop(head);
    assert_eq!(
        drops.count(),
        n,
        "every Drop ran before drop(head) returned"
    );
}

#[test]
fn s04_try_unwrap_and_get_mut_refuse_while_shared() {
    let mut a = Gc::new(String::from("value"));
    let b = a.clone();
    assert!(Gc::get_mut(&mut a).is_none());
    let a = Gc::try_unwrap(a).unwrap_err();
    drop(b);
    let w = Gc::downgrade(&a);
    let mut a = Gc::try_unwrap(a).unwrap_err();
    assert!(Gc::get_mut(&mut a).is_none());
    drop(w);
    Gc::get_mut(&mut a).unwrap().push('!');
    assert_eq!(Gc::try_unwrap(a).unwrap(), "value!");
}

#[test]
fn try_unwrap_untracks_and_counts_a_deallocation() {
    gc::disable();
    gc::collect();
    let n = node();
    assert_eq!(gc::get_count().0, 1);
    let value = Gc::try_unwrap(n).ok().unwrap();
    assert_eq!(gc::get_count().0, 0);
    assert!(value.next.borrow().is_none());
    assert!(gc::get_objects(None).unwrap().is_empty());
}

#[test]
fn weak_references_upgrade_until_death() {
    let a = Gc::new(5_u32);
    let w = Gc::downgrade(&a);
    let w2 = Gc::downgrade(&a);
    assert!(
        Weak::ptr_eq(&w, &w2),
        "callback-less refs share one registration"
    );
    assert_eq!(Gc::weak_count(&a), 2);
    assert_eq!(w.strong_count(), 1);
    assert_eq!(*w.upgrade().unwrap(), 5);
    drop(w2);
    assert_eq!(Gc::weak_count(&a), 1);
    assert!(format!("{w:?}").contains("; to 'u32' at"));
    drop(a);
    assert!(w.upgrade().is_none());
    assert_eq!((w.strong_count(), w.weak_count()), (0, 0));
    assert!(format!("{w:?}").ends_with("; dead>"));
    assert!(Weak::<u32>::new().upgrade().is_none());
}

/// Holds a weak reference and records what upgrading it gives while being dropped.
#[derive(Trace)]
struct Watcher {
    cycle: RefCell<Option<pymem::Object>>,
    target: Weak<Node>,
    #[trace(skip)]
    saw: Rc<RefCell<Vec<bool>>>,
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.saw.borrow_mut().push(self.target.upgrade().is_some());
    }
}

#[test]
fn collector_clears_weakrefs_before_dropping_values() {
    gc::collect();
    let saw = Rc::new(RefCell::new(Vec::new()));
    // Weak reference *to* garbage: a node in the same cycle as the watcher.
    let garbage_node = node();
    let w = Gc::new(Watcher {
        cycle: RefCell::new(None),
        target: Gc::downgrade(&garbage_node),
        saw: saw.clone(),
    });
    *w.cycle.borrow_mut() = Some(Gc::as_object(&garbage_node));
    link(&garbage_node, w.clone());
    // Weak reference *held by* garbage to a live node (CPython clears it too, bpo-38006).
    let live = node();
    let w2 = Gc::new(Watcher {
        cycle: RefCell::new(None),
        target: Gc::downgrade(&live),
        saw: saw.clone(),
    });
    *w2.cycle.borrow_mut() = Some(Gc::as_object(&w2));
    let outside = Gc::downgrade(&garbage_node);
    drop((w, garbage_node, w2));
    assert_eq!(gc::collect(), 3);
    assert_eq!(*saw.borrow(), [false, false]);
    assert!(outside.upgrade().is_none());
    assert_eq!(
        Gc::weak_count(&live),
        0,
        "the garbage's weak ref to it is gone"
    );
}

#[test]
fn a_weak_ref_shared_with_live_code_is_not_cleared_by_garbage() {
    gc::collect();
    let saw = Rc::new(RefCell::new(Vec::new()));
    let live = node();
    let shared = Gc::downgrade(&live);
    let w = Gc::new(Watcher {
        cycle: RefCell::new(None),
        target: shared.clone(),
        saw: saw.clone(),
    });
    *w.cycle.borrow_mut() = Some(Gc::as_object(&w));
    drop(w);
    assert_eq!(gc::collect(), 1);
    assert_eq!(*saw.borrow(), [true], "a reachable weakref keeps working");
    assert!(shared.upgrade().is_some());
}

#[test]
fn header_sizes_are_16_untracked_and_32_tracked() {
    // docs/design.md, "Object layout": CPython's PyObject_HEAD is 16 bytes and PyGC_Head
    // another 16; pymem's headers are the same.
    let untracked = Gc::new(7_u64);
    assert!(!gc::is_tracked(&untracked));
    assert_eq!(sys::getsizeof(&untracked) - size_of::<u64>(), 16);
    let tracked = node();
    assert!(gc::is_tracked(&tracked));
    assert_eq!(sys::getsizeof(&tracked) - size_of::<Node>(), 32);
    #[repr(align(64))]
    #[derive(Trace)]
    struct Wide(Option<Gc<Node>>);
    let wide = Gc::new(Wide(None));
    let value: &Wide = &wide;
    assert_eq!(
        std::ptr::from_ref(value).addr() % 64,
        0,
        "over-aligned values keep their alignment"
    );
    // Links and Head each get padded out to the alignment: 64 + 64 bytes in front.
    assert_eq!(sys::getsizeof(&wide), 64 + 64 + size_of::<Wide>());
    assert_eq!(size_of::<Gc<Node>>(), size_of::<usize>());
    assert_eq!(size_of::<Option<Gc<Node>>>(), size_of::<usize>());
}

#[test]
fn untracked_types_never_touch_the_collector() {
    gc::disable();
    gc::collect();
    let values = (Gc::new(1_i32), Gc::new(String::new()), Gc::new(vec![1_u8]));
    let boxed: Gc<Box<[u8]>> = Gc::new(Box::new([1, 2]));
    assert_eq!(gc::get_count(), (0, 0, 0));
    assert!(gc::get_objects(None).unwrap().is_empty());
    assert!(!gc::is_tracked(&boxed));
    drop((values, boxed));
    let _ = Gc::new(Some(Counted {
        next: RefCell::new(None),
        token: Drops::default().token(),
    }));
    assert_eq!(gc::get_count().0, 0, "allocated and freed: +1 -1");
}

#[test]
fn gc_forwards_std_traits_to_the_value() {
    let a = Gc::new(String::from("a"));
    let b = Gc::new(String::from("b"));
    assert!(a < b && a != b && a == Gc::new(String::from("a")));
    assert_eq!(format!("{a} {a:?}"), "a \"a\"");
    let d: Gc<u8> = Gc::default();
    assert_eq!(*d, 0);
    let from: Gc<u8> = 3.into();
    assert_eq!(*from.as_ref(), 3);
}

#[test]
#[cfg(not(any(feature = "system-alloc", feature = "debug-alloc")))]
fn objects_come_from_the_threads_pools() {
    gc::collect();
    let before = sys::getallocatedblocks();
    let n = if cfg!(miri) { 400 } else { 10_000 };
    let nodes: Vec<Gc<Node>> = (0..n).map(|_| node()).collect();
    assert_eq!(sys::getallocatedblocks(), before + n);
    let stats = sys::mallocstats().unwrap();
    // Node blocks: 32 header + 16 value bytes = 48, size class 2.
    assert_eq!(sys::getsizeof(&nodes[0]), 48);
    assert!(stats.classes[2].blocks_in_use >= n);
    let report = crate::support::capture_stderr(sys::debugmallocstats);
    assert!(report.starts_with("Small block threshold = 512, in 32 size classes.\n"));
    assert!(report.contains("\n    2     48 "), "{report}");
    drop(nodes);
    assert_eq!(sys::getallocatedblocks(), before);
}

// ---- Count overflow aborts -----------------------------------------------------------------

/// Set in the child process a test re-runs itself in, to do what must abort there.
#[cfg(unix)]
const ABORT_CHILD: &str = "PYMEM_TEST_ABORT_CHILD";

/// POSIX's SIGABRT, which `std::process::abort` raises.
#[cfg(unix)]
const SIGABRT: i32 = 6;

/// Re-runs this test binary for just `test` with [`ABORT_CHILD`] set, and returns the
/// signal that ended it and its stderr (the usual way to test an abort).
#[cfg(unix)]
fn run_in_child(test: &str) -> (Option<i32>, String) {
    use std::os::unix::process::ExitStatusExt;
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", test, "--nocapture"])
        .env(ABORT_CHILD, "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.signal(), stderr)
}

#[test]
#[cfg(unix)]
#[cfg_attr(miri, ignore = "spawns a process")]
fn s02_a_strong_count_overflow_aborts_the_process() {
    if std::env::var_os(ABORT_CHILD).is_some() {
        let a = Gc::new(5_u32);
        pymem::__private::forget_clones(&a, usize::MAX - 1);
        assert_eq!(Gc::ref_count(&a), usize::MAX);
        let _wrapped = a.clone(); // the count would wrap to 0 with `a` alive
        unreachable!("the overflowing clone returned");
    }
    let (signal, stderr) = run_in_child("refcount::s02_a_strong_count_overflow_aborts_the_process");
    assert_eq!(signal, Some(SIGABRT), "{stderr}");
    assert!(
        stderr.contains("pymem: reference count overflow; aborting\n"),
        "{stderr}"
    );
}

#[test]
#[cfg(unix)]
#[cfg_attr(miri, ignore = "spawns a process")]
fn s02_a_weak_count_overflow_aborts_the_process() {
    if std::env::var_os(ABORT_CHILD).is_some() {
        let a = Gc::new(5_u32);
        let w = Gc::downgrade(&a);
        pymem::__private::forget_weak_clones(&w, usize::MAX - 1);
        assert_eq!(Gc::weak_count(&a), usize::MAX);
        let _wrapped = w.clone(); // the node's count would wrap to 0 with `w` alive
        unreachable!("the overflowing clone returned");
    }
    let (signal, stderr) = run_in_child("refcount::s02_a_weak_count_overflow_aborts_the_process");
    assert_eq!(signal, Some(SIGABRT), "{stderr}");
    assert!(
        stderr.contains("pymem: weak reference count overflow; aborting\n"),
        "{stderr}"
    );
}

#[test]
#[cfg(target_pointer_width = "64")]
#[cfg_attr(
    miri,
    ignore = "leaks its object: 2^62 references cannot be given back"
)]
fn a_count_wider_than_gc_refs_still_keeps_its_object_alive() {
    gc::disable();
    gc::collect();
    // `gc_refs` has two bits fewer than a count, so 2^62 would read as 0 there: the self
    // edge would then underflow it (a debug panic), or, without it, free a held object.
    let a = node();
    link(&a, a.clone());
    let weak = Gc::downgrade(&a);
    pymem::__private::forget_clones(&a, (1 << 62) - 1);
    drop(a);
    assert_eq!(weak.strong_count(), 1 << 62);
    for g in [0, 1, 2] {
        assert_eq!(gc::collect_generation(g).unwrap(), 0);
    }
    assert!(weak.upgrade().is_some(), "held by the forgotten clones");
}

// ---- Panicking Drop at count zero --------------------------------------------------------

/// One link of a chain; its `Drop` panics if `blows`.
#[derive(Trace)]
struct Fuse {
    next: Option<Gc<Fuse>>,
    #[trace(skip)]
    blows: bool,
    #[trace(skip)]
    _token: crate::support::DropToken,
}

impl Drop for Fuse {
    fn drop(&mut self) {
        if self.blows {
            panic!("fuse blew");
        }
    }
}

/// A chain of `n` links, head first; the links at the indices in `blow` panic when dropped.
fn fuse_chain(n: usize, blow: &[usize], drops: &Drops) -> Gc<Fuse> {
    let mut next = None;
    for i in (0..n).rev() {
        next = Some(Gc::new(Fuse {
            next,
            blows: blow.contains(&i),
            _token: drops.token(),
        }));
    }
    next.unwrap()
}

/// Object blocks allocated on this thread; `None` with `system-alloc`, which counts none.
fn blocks() -> Option<usize> {
    (!cfg!(feature = "system-alloc")).then(sys::getallocatedblocks)
}

#[test]
fn a_panicking_drop_at_count_zero_propagates_and_frees_every_block() {
    gc::disable();
    gc::collect();
    let drops = Drops::default();
    let before = blocks();
    let head = fuse_chain(3, &[0], &drops);
    assert_eq!(blocks(), before.map(|b| b + 3));
    let panic = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(head)));
    assert_eq!(*panic.unwrap_err().downcast::<&str>().unwrap(), "fuse blew");
    assert_eq!(
        drops.count(),
        3,
        "the panicking value's fields, and so the rest of the chain, were dropped too"
    );
    assert_eq!(blocks(), before, "every block was freed, once");
    assert_eq!(
        gc::get_count().0,
        0,
        "three tracked allocations, three frees"
    );
    drop(crate::support::ring(2));
    assert_eq!(gc::collect(), 2, "the heap is still usable");
}

#[test]
fn a_panicking_drop_in_the_trashcan_propagates_and_a_second_is_contained() {
    // A chain drops 50 links deep, then queues the next link (the trashcan) and the
    // outermost drop runs the queue. The first panic propagates; while it unwinds, the
    // trashcan still runs every queued link, and reports the second panic (more than 50
    // links further, so a queued link) as unraisable: a second panic escaping a drop would
    // abort the process.
    let (n, first, second) = if cfg!(miri) {
        (300, 100, 250)
    } else {
        (1000, 600, 800)
    };
    gc::disable();
    gc::collect();
    let reports = Rc::new(RefCell::new(Vec::new()));
    let log = reports.clone();
    sys::set_unraisablehook(move |args| {
        let report = (args.message.to_string(), args.object.to_string());
        log.borrow_mut().push(report);
    });
    let drops = Drops::default();
    let before = blocks();
    let head = fuse_chain(n, &[first, second], &drops);
    let mut second_link = &head;
    for _ in 0..second {
        second_link = second_link.next.as_ref().unwrap();
    }
    let second_object = format!(
        "<drop of {} object at {:#x}>",
        std::any::type_name::<Fuse>(),
        Gc::id(second_link)
    );
    let panic = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(head)));
    sys::reset_unraisablehook();
    assert_eq!(*panic.unwrap_err().downcast::<&str>().unwrap(), "fuse blew");
    assert_eq!(
        *reports.borrow(),
        [("fuse blew".to_string(), second_object)]
    );
    assert_eq!(drops.count(), n, "every link was dropped exactly once");
    assert_eq!(blocks(), before, "every block was freed, once");
    assert_eq!(gc::get_count().0, 0);
    // The trashcan's depth was restored: the next long chain is freed at once.
    drop(fuse_chain(n, &[], &drops));
    assert_eq!(drops.count(), 2 * n);
    assert_eq!(blocks(), before);
    drop(crate::support::ring(2));
    assert_eq!(gc::collect(), 2, "the heap is still usable");
}
