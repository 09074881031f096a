//! Reliability-plan scenarios 21-36: finalizers (PEP 442) and weak references under
//! hostile use. The shapes shared with CPython's own tests are compared with CPython in
//! `finalize.rs`; these check the rest, against what CPython 3.13 printed for the same
//! shape (`tests/cpython/finalization.py`) where there is a Python equivalent.

use crate::support::{DropToken, Drops, Recorded, allocated_blocks, weakref_addr};
use pymem::{Finalize, Gc, Object, Trace, TraceDyn, Weak, gc};
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
fn s34_a_hidden_callback_weakref_in_garbage_finds_the_garbage_cleared() {
    fresh();
    // This time the weak reference with the callback is hidden too, so the collector cannot
    // know that it belongs to the garbage: its callback runs when X dies, in the middle of
    // dropping the garbage (X is declared, and so dropped, before the weak reference). By
    // then, and at every `Drop` of the garbage, every weak reference to the garbage is
    // already cleared: nothing can reach a half-destroyed object.
    thread_local! {
        static TO_GARBAGE: RefCell<Vec<Weak<H>>> = const { RefCell::new(Vec::new()) };
        static SEEN: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    }
    fn alive() -> usize {
        TO_GARBAGE.with_borrow(|ws| ws.iter().filter_map(Weak::upgrade).count())
    }
    #[derive(Trace)]
    struct H {
        next: RefCell<Option<Gc<H>>>,
        #[trace(skip)]
        _x: Option<Gc<u64>>,
        #[trace(skip)]
        _weak_x: Option<Weak<u64>>,
        #[trace(skip)]
        name: &'static str,
    }
    impl Drop for H {
        fn drop(&mut self) {
            let seen = format!("drop {}: {} alive", self.name, alive());
            SEEN.with_borrow_mut(|s| s.push(seen));
        }
    }
    let baseline = allocated_blocks();
    let x = Gc::new(7_u64);
    let weak_x = Weak::with_callback(&x, |w| {
        let seen = format!("callback: {} alive, x {:?}", alive(), w.upgrade());
        SEEN.with_borrow_mut(|s| s.push(seen));
    });
    let h = |name, x, weak_x| {
        Gc::new(H {
            next: RefCell::new(None),
            _x: x,
            _weak_x: weak_x,
            name,
        })
    };
    let (a, b, c) = (
        h("a", Some(x), Some(weak_x)),
        h("b", None, None),
        h("c", None, None),
    );
    for (from, to) in [(&a, &b), (&b, &c), (&c, &a)] {
        *from.next.borrow_mut() = Some(to.clone());
    }
    TO_GARBAGE.set([&a, &b, &c].map(Gc::downgrade).into());
    drop((a, b, c));
    assert_eq!(gc::collect(), 3);
    assert_eq!(
        SEEN.take(),
        [
            "drop a: 0 alive",
            "callback: 0 alive, x None",
            "drop b: 0 alive",
            "drop c: 0 alive"
        ]
    );
    TO_GARBAGE.take();
    assert_eq!(allocated_blocks(), baseline, "X and the garbage were freed");
}

fn cpython() -> Recorded {
    Recorded::parse(include_str!("../cpython/finalization.out"))
}

/// `sys.unraisablehook` reports: `(err_msg, message, object)`.
type Reports = Rc<RefCell<Vec<(Option<String>, String, String)>>>;

fn record_unraisable() -> Reports {
    let reports = Reports::default();
    let r = reports.clone();
    pymem::sys::set_unraisablehook(move |args| {
        let err_msg = args.err_msg.map(str::to_string);
        let report = (err_msg, args.message.to_string(), args.object.to_string());
        r.borrow_mut().push(report);
    });
    reports
}

/// What [`hostile_callbacks`] saw, as finalization.py's `hostile_callbacks` prints it.
struct Hostile {
    /// `(log, reports` of the Python tuple.
    printed: String,
    /// The collection after the death, and the one after that.
    collected: (usize, usize),
    reports: Vec<(Option<String>, String, String)>,
    /// The address of the newest (panicking) callback's weak reference.
    newest: String,
}

/// finalization.py's `hostile_callbacks`: five callbacks on one object, created 0-4, run
/// newest first. 4 panics; 3 drops the weak reference of callback 1, which is already
/// queued (it still runs: CPython's queue holds a reference to each weakref, pymem's a
/// handle); 2 makes and drops a weak reference; 1 collects; 0 makes a ring of garbage.
fn hostile_callbacks(cyclic: bool) -> Hostile {
    fresh();
    let baseline = allocated_blocks();
    let (log, drops) = (Rc::default(), Drops::default());
    let x = probe("x", false, &log, &drops);
    if cyclic {
        link(&x, &x);
    }
    let other = crate::support::node();
    let ran: Rc<RefCell<Vec<String>>> = Rc::default();
    let weaks: Rc<RefCell<Vec<Option<Weak<Probe>>>>> = Rc::default();
    for i in 0..5 {
        let (ran, all, other) = (ran.clone(), Rc::downgrade(&weaks), other.clone());
        let weak = Weak::with_callback(&x, move |_| {
            ran.borrow_mut().push(i.to_string());
            match i {
                0 => drop(crate::support::ring(3)),
                1 => {
                    let n = gc::collect();
                    ran.borrow_mut().push(format!("('collect', {n})"));
                }
                2 => drop(Gc::downgrade(&other)),
                3 => {
                    let queued = all.upgrade().unwrap().borrow_mut()[1].take();
                    drop(queued);
                }
                _ => panic!("callback failed"),
            }
        });
        weaks.borrow_mut().push(Some(weak));
    }
    let newest = weakref_addr(weaks.borrow()[4].as_ref().unwrap());
    let reports = record_unraisable();
    drop(x);
    let collected = gc::collect();
    pymem::sys::reset_unraisablehook();
    let then = gc::collect();
    assert_eq!(drops.count(), 1, "x dropped once");
    drop((weaks, other));
    assert_eq!(
        allocated_blocks(),
        baseline,
        "x, other and the ring were freed"
    );
    let reports = reports.take();
    let py_reports: Vec<String> = reports
        .iter()
        .map(|(err_msg, message, _)| {
            let err_msg = err_msg.as_ref().map_or("None".into(), |m| format!("'{m}'"));
            format!("({err_msg}, '{message}')")
        })
        .collect();
    let printed = format!(
        "([{}], [{}]",
        ran.borrow().join(", "),
        py_reports.join(", ")
    );
    Hostile {
        printed,
        collected: (collected, then),
        reports,
        newest,
    }
}

#[test]
fn s35_hostile_callbacks_on_cyclic_trash_the_newest_panicking() {
    let h = hostile_callbacks(true);
    let (collected, then) = h.collected;
    // CPython also counts the weakref object of callback 1, freed after its callback: 2.
    assert_eq!(
        format!("{}, {}, {then})", h.printed, collected + 1),
        cpython().get("callbacks.hostile.cyclic")
    );
    assert_eq!(
        (collected, then),
        (1, 3),
        "x, then the ring callback 0 made"
    );
    // The panic is reported, naming the weakref callback, and the older callbacks ran
    // after it (the log starts with 4).
    let object = format!("<weakref callback at {}>", h.newest);
    assert_eq!(h.reports, [(None, "callback failed".into(), object)]);
}

#[test]
fn s35_hostile_callbacks_on_refcount_death_the_newest_panicking() {
    let h = hostile_callbacks(false);
    let (collected, then) = h.collected;
    assert_eq!(
        format!("{}, {collected}, {then})", h.printed),
        cpython().get("callbacks.hostile.refcount")
    );
    let object = format!("<weakref callback at {}>", h.newest);
    assert_eq!(h.reports, [(None, "callback failed".into(), object)]);
}

#[test]
fn s35_a_weak_dropped_before_its_object_dies_never_calls_back() {
    // y's callback drops the only handle to the weak reference to z; then z dies. As in
    // CPython, where a dead weakref object's callback never runs.
    let log: Rc<RefCell<Vec<&str>>> = Rc::default();
    let (y, z) = (crate::support::node(), crate::support::node());
    let l = log.clone();
    let holder = Rc::new(RefCell::new(vec![Weak::with_callback(&z, move |_| {
        l.borrow_mut().push("z")
    })]));
    let (l, h) = (log.clone(), holder.clone());
    let wy = Weak::with_callback(&y, move |_| {
        l.borrow_mut().push("y");
        h.borrow_mut().clear();
    });
    drop(y);
    drop(z);
    let quoted: Vec<String> = log.borrow().iter().map(|s| format!("'{s}'")).collect();
    assert_eq!(
        format!("[{}]", quoted.join(", ")),
        cpython().get("callbacks.dead_weakref_never_calls_back")
    );
    drop((wy, holder));
}

#[test]
fn s35_the_default_unraisable_hook_prints_the_failing_callback() {
    pymem::sys::reset_unraisablehook();
    let x = crate::support::node();
    let w = Weak::with_callback(&x, |_| panic!("callback failed"));
    let addr = weakref_addr(&w);
    let printed = crate::support::capture_stderr(|| drop(x));
    assert_eq!(
        printed,
        format!("Exception ignored in: <weakref callback at {addr}>\npanicked: callback failed\n")
    );
    // CPython names the function and prints a traceback; the head of the line is the same.
    let head = cpython();
    let head = head.get("unraisable.default_head");
    assert_eq!(head, "Exception ignored in: <function failing at 0x…>");
    assert_eq!(printed.split('<').next(), head.split('<').next());
    drop(w);
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

#[test]
fn s36_a_weak_to_a_type_erased_object_outlives_it() {
    fresh();
    let baseline = allocated_blocks();
    let drops = Drops::default();
    // rust-cc #33 read a dyn-coerced object's metadata after freeing it. Here the value is
    // a `Box<dyn TraceDyn>` and its last strong reference an `Object`, so it is destroyed
    // through the type-erased path.
    let boxed: Box<dyn TraceDyn> = Box::new(crate::support::counted(&drops));
    let strong = Gc::new(boxed);
    let weak = Gc::downgrade(&strong);
    let fired = Rc::new(Cell::new(None));
    let f = fired.clone();
    let with_cb = Weak::with_callback(&strong, move |w| f.set(Some(w.upgrade().is_none())));
    let erased: Object = Gc::as_object(&strong);
    drop(strong);
    assert!(erased.is::<Box<dyn TraceDyn>>());
    drop(erased);
    assert_eq!(
        fired.get(),
        Some(true),
        "the callback saw its referent gone"
    );
    assert!(weak.upgrade().is_none() && with_cb.upgrade().is_none());
    assert_eq!((weak.strong_count(), weak.weak_count()), (0, 0));
    assert_eq!(drops.count(), 1);
    assert!(format!("{weak:?}").ends_with("; dead>"));
    // The same through the collector: the boxed value is part of a cycle.
    let n = crate::support::node();
    let outer: Gc<Box<dyn TraceDyn>> = Gc::new(Box::new(n.clone()));
    crate::support::link(&n, Gc::as_object(&outer));
    let weak_outer = Gc::downgrade(&outer);
    let f = fired.clone();
    let cb_outer = Weak::with_callback(&outer, move |w| f.set(Some(w.upgrade().is_none())));
    fired.set(None);
    let erased = Gc::as_object(&outer);
    drop((outer, n));
    drop(erased);
    assert_eq!(gc::collect(), 2);
    assert_eq!(fired.get(), Some(true));
    assert!(weak_outer.upgrade().is_none() && cb_outer.upgrade().is_none());
    assert_eq!(weak_outer.strong_count(), 0);
    let copy = weak_outer.clone();
    drop((weak, with_cb, weak_outer, cb_outer));
    assert!(copy.upgrade().is_none());
    drop(copy);
    assert_eq!(allocated_blocks(), baseline, "both objects were freed once");
}

/// CPython's `subtype_dealloc` tracks an object again before its finalizer runs at refcount
/// death, so one that resurrects is young again, whatever generation it was in, and a young
/// collection frees it once it is garbage. (The differential oracle found pymem keeping it
/// in its old generation: `n2 g0 d0 l0,0 d0 g0` in `model::python`'s notation.)
#[test]
fn an_object_resurrected_at_refcount_death_is_young_again() {
    fresh();
    let (log, drops) = (Rc::default(), Drops::default());
    let p = probe("p", true, &log, &drops);
    let generation_of = |p: &Gc<Probe>| {
        let object = Gc::as_object(p);
        (0..3).find(|&g| gc::get_objects(Some(g)).unwrap().contains(&object))
    };
    gc::collect_generation(0).unwrap();
    assert_eq!(generation_of(&p), Some(1), "a survivor moves on");
    drop(p); // count zero: the finalizer resurrects it into SAVED
    let p = SAVED.with_borrow_mut(Vec::pop).expect("resurrected");
    assert_eq!(generation_of(&p), Some(0), "young again, as in CPython");
    link(&p, &p);
    drop(p);
    assert_eq!(
        gc::collect_generation(0),
        Ok(1),
        "a young collection frees it"
    );
    assert_eq!(*log.borrow(), ["finalize p -> None", "drop p"]);
    assert_eq!(drops.count(), 1);
}

/// Scenario 54: `Weak::has_callback` is CPython's `__callback__ is not None`, inside the
/// callback and after it: false once the referent died by refcount, still true when the
/// collector freed it (`finalization.py`'s `callbacks.attached`).
#[test]
fn s54_has_callback_after_a_death_by_refcount_and_by_the_collector() {
    let attached = |cyclic: bool| {
        fresh();
        let (log, drops) = (Rc::default(), Drops::default());
        let x = probe("x", false, &log, &drops);
        if cyclic {
            link(&x, &x);
        }
        let seen = Rc::new(Cell::new(None));
        let inside = seen.clone();
        let w = Weak::with_callback(&x, move |w| inside.set(Some(w.has_callback())));
        drop(x);
        gc::collect();
        let py = |b: bool| if b { "True" } else { "False" };
        format!("({}, {})", py(seen.get().unwrap()), py(w.has_callback()))
    };
    let both = format!("({}, {})", attached(false), attached(true));
    assert_eq!(both, cpython().get("callbacks.attached"));
}
