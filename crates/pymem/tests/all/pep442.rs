//! Reliability-plan scenarios 21-36: finalizers (PEP 442) and weak references under
//! hostile use. The shapes shared with CPython's own tests are compared with CPython in
//! `finalize.rs`; these check the rest.

use crate::support::{DropToken, Drops};
use pymem::{Finalize, Gc, Object, Trace, Weak, gc};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

fn fresh() {
    gc::disable();
    gc::collect();
}

/// Records what its finalizer saw, and optionally resurrects itself into `SAVED`.
#[derive(Trace)]
#[trace(finalize)]
struct Probe {
    link: RefCell<Option<Object>>,
    #[trace(skip)]
    label: String,
    #[trace(skip)]
    resurrect: bool,
    #[trace(skip)]
    log: Rc<RefCell<Vec<String>>>,
    #[trace(skip)]
    _token: DropToken,
}

thread_local! {
    static SAVED: RefCell<Vec<Gc<Probe>>> = const { RefCell::new(Vec::new()) };
}

impl Finalize for Probe {
    fn finalize(this: &Gc<Self>) {
        // The object is intact: its fields and its link are readable.
        let linked = this
            .link
            .borrow()
            .as_ref()
            .map(|o| o.type_name().rsplit("::").next().unwrap().to_string());
        this.log
            .borrow_mut()
            .push(format!("finalize {} -> {:?}", this.label, linked));
        if this.resurrect {
            SAVED.with_borrow_mut(|s| s.push(this.clone()));
        }
    }
}

impl Drop for Probe {
    fn drop(&mut self) {
        self.log.borrow_mut().push(format!("drop {}", self.label));
    }
}

fn probe(label: &str, resurrect: bool, log: &Rc<RefCell<Vec<String>>>, drops: &Drops) -> Gc<Probe> {
    Gc::new(Probe {
        link: RefCell::new(None),
        label: label.into(),
        resurrect,
        log: log.clone(),
        _token: drops.token(),
    })
}

fn link(a: &Gc<Probe>, b: &Gc<Probe>) {
    *a.link.borrow_mut() = Some(Gc::as_object(b));
}

#[test]
fn s21_a_self_cycles_finalizer_runs_once_on_a_sane_object() {
    fresh();
    let (log, drops) = (Rc::default(), Drops::default());
    let p = probe("p", false, &log, &drops);
    link(&p, &p);
    drop(p);
    assert_eq!(gc::collect(), 1);
    assert_eq!(*log.borrow(), ["finalize p -> Some(\"Probe\")", "drop p"]);
    assert_eq!(drops.count(), 1);
}

#[test]
fn s22_s23_resurrection_keeps_the_object_and_all_it_reaches_intact() {
    fresh();
    let (log, drops) = (Rc::default(), Drops::default());
    let (a, b) = (
        probe("a", true, &log, &drops),
        probe("b", false, &log, &drops),
    );
    link(&a, &b);
    link(&b, &a);
    let weak_a = Gc::downgrade(&a);
    drop((a, b));
    assert_eq!(gc::collect(), 0, "resurrected objects are not counted");
    assert!(
        weak_a.upgrade().is_none(),
        "weak references to cyclic garbage were cleared first"
    );
    let a = SAVED.with_borrow_mut(Vec::pop).unwrap();
    let b = a
        .link
        .borrow()
        .as_ref()
        .unwrap()
        .downcast::<Probe>()
        .unwrap();
    assert_eq!(
        (b.label.as_str(), drops.count()),
        ("b", 0),
        "B is intact, nothing dropped"
    );
    assert!(gc::is_finalized(&a) && gc::is_finalized(&b));
    drop((a, b));
    assert_eq!(gc::collect(), 2);
    let finalized = log
        .borrow()
        .iter()
        .filter(|l| l.starts_with("finalize"))
        .count();
    assert_eq!(
        (finalized, drops.count()),
        (2, 2),
        "no second finalizer call"
    );
}

#[test]
fn s24_one_resurrector_does_not_shield_other_garbage() {
    fresh();
    let (log, drops) = (Rc::default(), Drops::default());
    for i in 0..100 {
        let p = probe(&format!("plain{i}"), false, &log, &drops);
        link(&p, &p);
    }
    let r = probe("resurrector", true, &log, &drops);
    link(&r, &r);
    drop(r);
    let before = gc::get_stats()[2];
    assert_eq!(gc::collect(), 100);
    let after = gc::get_stats()[2];
    assert_eq!(
        (
            after.collected - before.collected,
            after.uncollectable - before.uncollectable
        ),
        (100, 0)
    );
    assert_eq!(drops.count(), 100);
    SAVED.take();
    assert_eq!(gc::collect(), 1);
    assert_eq!(drops.count(), 101);
}

#[test]
fn s27_a_finalizer_that_links_its_object_into_a_live_root() {
    fresh();
    let (log, drops) = (Rc::default(), Drops::default());
    let root = probe("root", false, &log, &drops);
    // rust-gc #124: the finalizer stores the dying object where the live root can reach it.
    thread_local! {
        static ROOT: RefCell<Option<Gc<Probe>>> = const { RefCell::new(None) };
    }
    #[derive(Trace)]
    #[trace(finalize)]
    struct Linker {
        me: RefCell<Option<Gc<Linker>>>,
        #[trace(skip)]
        value: u64,
    }
    impl Finalize for Linker {
        fn finalize(this: &Gc<Self>) {
            ROOT.with_borrow(|r| {
                *r.as_ref().unwrap().link.borrow_mut() = Some(Gc::as_object(this))
            });
        }
    }
    ROOT.set(Some(root.clone()));
    let l = Gc::new(Linker {
        me: RefCell::new(None),
        value: 42,
    });
    *l.me.borrow_mut() = Some(l.clone());
    drop(l);
    assert_eq!(gc::collect(), 0);
    let l = root
        .link
        .borrow()
        .as_ref()
        .unwrap()
        .downcast::<Linker>()
        .unwrap();
    assert_eq!(l.value, 42, "not freed, usable");
    l.me.borrow_mut().take();
    drop(l);
    root.link.borrow_mut().take();
    ROOT.take();
}

#[test]
fn s28_a_finalizer_that_releases_one_object_per_call_is_bounded() {
    fresh();
    thread_local! {
        static HOARD: RefCell<Vec<Object>> = const { RefCell::new(Vec::new()) };
    }
    #[derive(Trace)]
    #[trace(finalize)]
    struct Popper(RefCell<Option<Gc<Popper>>>);
    impl Finalize for Popper {
        fn finalize(_: &Gc<Self>) {
            HOARD.with_borrow_mut(|h| h.pop());
        }
    }
    let drops = Drops::default();
    for _ in 0..10 {
        let c = crate::support::counted(&drops);
        *c.next.borrow_mut() = Some(c.clone());
        HOARD.with_borrow_mut(|h| h.push(c.into()));
    }
    for _ in 0..10 {
        let p = Gc::new(Popper(RefCell::new(None)));
        *p.0.borrow_mut() = Some(p.clone());
    }
    // Each collection runs each finalizer once: the 10 poppers release the 10 hoarded
    // cycles, which the next collection frees. Nothing loops.
    assert_eq!(gc::collect(), 10);
    assert_eq!(gc::collect(), 10);
    assert_eq!(gc::collect(), 0);
    assert_eq!(drops.count(), 10);
}

#[test]
fn s29_every_finalizer_of_a_set_runs_before_any_drop() {
    fresh();
    let (log, drops) = (Rc::default(), Drops::default());
    let ps: Vec<Gc<Probe>> = (0..5)
        .map(|i| probe(&i.to_string(), false, &log, &drops))
        .collect();
    for (i, p) in ps.iter().enumerate() {
        link(p, &ps[(i + 1) % 5]);
    }
    drop(ps);
    assert_eq!(gc::collect(), 5);
    let log = log.borrow();
    let last_finalize = log.iter().rposition(|l| l.starts_with("finalize")).unwrap();
    let first_drop = log.iter().position(|l| l.starts_with("drop")).unwrap();
    assert!(last_finalize < first_drop, "{log:?}");
}

#[test]
fn s30_a_panicking_finalizer_is_reported_and_the_collection_completes() {
    fresh();
    #[derive(Trace)]
    #[trace(finalize)]
    struct Bad(
        RefCell<Option<Gc<Bad>>>,
        #[trace(skip)]
        #[allow(dead_code)]
        DropToken,
    );
    impl Finalize for Bad {
        fn finalize(_: &Gc<Self>) {
            panic!("finalizer failed");
        }
    }
    let drops = Drops::default();
    let reports = Rc::new(RefCell::new(Vec::new()));
    let r = reports.clone();
    pymem::sys::set_unraisablehook(move |args| {
        r.borrow_mut()
            .push((args.message.to_string(), args.object.to_string()))
    });
    for _ in 0..3 {
        let b = Gc::new(Bad(RefCell::new(None), drops.token()));
        *b.0.borrow_mut() = Some(b.clone());
    }
    assert_eq!(gc::collect(), 3);
    pymem::sys::reset_unraisablehook();
    assert_eq!(drops.count(), 3);
    assert_eq!(reports.borrow().len(), 3);
    assert!(
        reports.borrow()[0].0 == "finalizer failed"
            && reports.borrow()[0].1.contains("finalizer of")
    );
}

#[test]
fn s33_a_callback_upgrading_another_weakref_to_the_garbage_gets_none() {
    fresh();
    let (log, drops) = (Rc::default(), Drops::default());
    let (a, b) = (
        probe("a", false, &log, &drops),
        probe("b", false, &log, &drops),
    );
    link(&a, &b);
    link(&b, &a);
    let weak_b = Gc::downgrade(&b);
    let seen = Rc::new(Cell::new(None));
    let s = seen.clone();
    let w = Weak::with_callback(&a, move |_| s.set(Some(weak_b.upgrade().is_some())));
    drop((a, b));
    gc::collect();
    assert_eq!(seen.get(), Some(false));
    drop(w);
}

#[test]
fn s34_a_callback_weakref_hidden_in_garbage_never_sees_its_referent_die() {
    fresh();
    // bpo-38006: garbage G holds, untraced, the only reference to X, and a weak reference
    // with a callback to X. X dies while G is destroyed; the callback must not run.
    #[derive(Trace)]
    struct G {
        me: RefCell<Option<Gc<G>>>,
        weak: Weak<u64>,
        #[trace(skip)]
        _hidden: Gc<u64>,
    }
    let fired = Rc::new(Cell::new(false));
    let f = fired.clone();
    let x = Gc::new(7_u64);
    let g = Gc::new(G {
        me: RefCell::new(None),
        weak: Weak::with_callback(&x, move |_| f.set(true)),
        _hidden: x,
    });
    *g.me.borrow_mut() = Some(g.clone());
    drop(g);
    assert_eq!(gc::collect(), 1);
    assert!(!fired.get());
}

#[test]
fn s35_callbacks_that_allocate_collect_make_weakrefs_or_panic() {
    fresh();
    let (log, drops) = (Rc::default(), Drops::default());
    let target = probe("t", false, &log, &drops);
    link(&target, &target);
    let ran = Rc::new(Cell::new(0));
    let mut weaks = Vec::new();
    for i in 0..4 {
        let ran = ran.clone();
        let other = crate::support::node();
        weaks.push(Weak::with_callback(&target, move |_| {
            ran.set(ran.get() + 1);
            match i {
                0 => panic!("callback failed"),
                1 => assert_eq!(gc::collect(), 0, "nested collection is a no-op"),
                2 => drop(Gc::downgrade(&other)),
                _ => drop(crate::support::ring(3)),
            }
        }));
    }
    pymem::sys::set_unraisablehook(|_| {});
    drop(target);
    assert_eq!(gc::collect(), 1);
    pymem::sys::reset_unraisablehook();
    assert_eq!(ran.get(), 4, "the others ran after the panicking one");
    assert_eq!(
        gc::collect(),
        3,
        "the ring made by a callback is collectable"
    );
    drop(weaks);
}

#[test]
fn s36_a_weak_that_outlives_its_object() {
    let strong = Gc::new(String::from("short-lived"));
    let weak = Gc::downgrade(&strong);
    let with_cb = Weak::with_callback(&strong, |w| assert!(w.upgrade().is_none()));
    drop(strong);
    assert!(weak.upgrade().is_none() && with_cb.upgrade().is_none());
    assert_eq!((weak.strong_count(), weak.weak_count()), (0, 0));
    assert!(format!("{weak:?}").ends_with("dead>"));
    let copy = weak.clone();
    drop((weak, with_cb));
    assert!(copy.upgrade().is_none());
}
