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
fn nested_prompt_destruction_runs_each_drop_once_in_order() {
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
fn dropping_a_million_long_chain_does_not_overflow_the_stack() {
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
fn try_unwrap_and_get_mut_refuse_while_shared() {
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
