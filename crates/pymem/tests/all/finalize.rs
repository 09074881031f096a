//! PEP 442 finalizers and weakref callbacks against what CPython 3.13 printed for the same
//! shapes (`tests/cpython/finalization.py`, recorded in `finalization.out`).
//!
//! One model difference shows in collected counts: CPython's weakref objects and callback
//! functions are GC objects too, pymem's `Weak` handles and closures are not.

use crate::support::{Recorded, allocated_blocks};
use pymem::{Finalize, Gc, Object, Trace, Weak, gc, weakref};
use std::cell::{Cell, RefCell};

fn cpython() -> Recorded {
    Recorded::parse(include_str!("../cpython/finalization.out"))
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Simple,
    Resurrect,
    Suicidal,
}

/// CPython's `Simple`, `Resurrector` and `Suicidal` (one slot `ref`, plus a weak slot).
#[derive(Trace)]
#[trace(finalize)]
struct Obj {
    r#ref: RefCell<Option<Object>>,
    weak: RefCell<Option<Weak<Obj>>>,
    #[trace(skip)]
    kind: Kind,
    #[trace(skip)]
    name: String,
}

thread_local! {
    static EVENTS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    static SURVIVORS: RefCell<Vec<Gc<Obj>>> = const { RefCell::new(Vec::new()) };
    /// `Obj` values dropped on this thread (CPython has no such count: it is what shows
    /// that nothing is dropped twice or leaked).
    static DROPPED: Cell<usize> = const { Cell::new(0) };
}

impl Drop for Obj {
    fn drop(&mut self) {
        DROPPED.set(DROPPED.get() + 1);
    }
}

fn event(e: impl Into<String>) {
    EVENTS.with_borrow_mut(|v| v.push(e.into()));
}

fn events() -> Vec<String> {
    EVENTS.with_borrow(|v| v.clone())
}

impl Finalize for Obj {
    fn finalize(this: &Gc<Self>) {
        event(format!("del {}", this.name));
        match this.kind {
            Kind::Simple => {}
            Kind::Resurrect => SURVIVORS.with_borrow_mut(|s| s.push(this.clone())),
            Kind::Suicidal => drop(this.r#ref.borrow_mut().take()),
        }
    }
}

fn obj(kind: Kind, name: &str) -> Gc<Obj> {
    let o = Obj {
        r#ref: RefCell::new(None),
        weak: RefCell::new(None),
        kind,
        name: name.into(),
    };
    Gc::new(o)
}

fn set_ref(a: &Gc<Obj>, b: impl Into<Object>) {
    *a.r#ref.borrow_mut() = Some(b.into());
}

fn reset() {
    gc::disable();
    gc::collect();
    EVENTS.take();
    SURVIVORS.take();
    DROPPED.set(0);
}

/// A ring of the given kinds; returns weak references to all of them.
fn chain(kinds: &[Kind]) -> Vec<Weak<Obj>> {
    let objs: Vec<Gc<Obj>> = kinds
        .iter()
        .enumerate()
        .map(|(i, &k)| obj(k, &i.to_string()))
        .collect();
    for (i, a) in objs.iter().enumerate() {
        set_ref(a, objs[(i + 1) % objs.len()].clone());
    }
    objs.iter().map(Gc::downgrade).collect()
}

/// Besides CPython's numbers, checks what CPython's tests cannot see: after the first
/// collection each object is either dropped (once) or still allocated, not both and not
/// neither; after the second, all were dropped exactly once and their blocks are back
/// (scenario 25: suicidal finalizers that break their own links cause no double free).
fn ring_scenario(py: &Recorded, name: &str, kinds: &[Kind]) {
    reset();
    let baseline = allocated_blocks();
    let weaks = chain(kinds);
    let collected = gc::collect();
    let dels = events().len();
    let alive = weaks.iter().filter(|w| w.upgrade().is_some()).count();
    let held = SURVIVORS.with_borrow(Vec::len);
    let first = format!("({collected}, {dels}, {held}, {alive})");
    assert_eq!(
        first,
        py.get(&format!("{name}.first")),
        "{name} first collection"
    );
    if let (Some(before), Some(now)) = (baseline, allocated_blocks()) {
        let allocated = now - before;
        assert_eq!(
            DROPPED.get() + allocated,
            kinds.len(),
            "{name}: {} dropped, {allocated} still allocated",
            DROPPED.get()
        );
    }
    SURVIVORS.take();
    let collected = gc::collect();
    let second = format!("({collected}, {})", events().len() - dels);
    assert_eq!(
        second,
        py.get(&format!("{name}.second")),
        "{name} second collection"
    );
    drop(weaks);
    assert_eq!(
        DROPPED.get(),
        kinds.len(),
        "{name}: each value dropped once"
    );
    assert_eq!(
        allocated_blocks(),
        baseline,
        "{name}: every block freed once"
    );
}

#[test]
fn s21_s22_s25_s26_rings_of_finalizers_match_cpython() {
    use Kind::*;
    let py = cpython();
    ring_scenario(&py, "self_cycle", &[Simple]);
    ring_scenario(&py, "self_cycle_resurrector", &[Resurrect]);
    ring_scenario(&py, "self_cycle_suicidal", &[Suicidal]);
    for n in 2..=6 {
        for (kind, name) in [
            (Simple, "simple"),
            (Resurrect, "resurrect"),
            (Suicidal, "suicidal"),
        ] {
            ring_scenario(&py, &format!("chain{n}_{name}"), &vec![kind; n]);
        }
        let mixed: Vec<Kind> = (0..n)
            .map(|i| [Simple, Resurrect, Suicidal][i % 3])
            .collect();
        ring_scenario(&py, &format!("chain{n}_mixed"), &mixed);
    }
}

#[test]
fn refcount_death_finalizes_once_and_may_resurrect() {
    let py = cpython();
    reset();
    let s = obj(Kind::Simple, "r");
    let w = Gc::downgrade(&s);
    drop(s);
    let simple = format!("({}, {})", events().len(), py_bool(w.upgrade().is_none()));
    assert_eq!(simple, py.get("refcount.simple"));
    reset();
    let r = obj(Kind::Resurrect, "r");
    let w = Gc::downgrade(&r);
    drop(r);
    let resurrected = (
        events().len(),
        SURVIVORS.with_borrow(Vec::len),
        w.upgrade().is_some(),
    );
    let text = format!(
        "({}, {}, {})",
        resurrected.0,
        resurrected.1,
        py_bool(resurrected.2)
    );
    assert_eq!(text, py.get("refcount.resurrector"));
    let r = SURVIVORS.with_borrow_mut(Vec::pop).unwrap();
    assert!(gc::is_finalized(&r));
    drop(r);
    let again = format!("({}, {})", events().len(), py_bool(w.upgrade().is_none()));
    assert_eq!(again, py.get("refcount.resurrector_again"));
}

fn py_bool(b: bool) -> &'static str {
    if b { "True" } else { "False" }
}

fn py_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("'{s}'")).collect();
    format!("[{}]", quoted.join(", "))
}

#[test]
fn refcount_death_runs_the_finalizer_then_callbacks_cyclic_death_the_reverse() {
    let py = cpython();
    reset();
    let s = obj(Kind::Simple, "x");
    let w = Weak::with_callback(&s, |_| event("callback"));
    drop(s);
    assert_eq!(py_list(&events()), py.get("order.refcount"));
    drop(w);
    reset();
    let s = obj(Kind::Simple, "x");
    set_ref(&s, s.clone());
    let w = Weak::with_callback(&s, |_| event("callback"));
    drop(s);
    gc::collect();
    assert_eq!(py_list(&events()), py.get("order.cyclic"));
    drop(w);
}

#[test]
fn callbacks_run_newest_first_and_see_their_ref_dead() {
    let py = cpython();
    reset();
    let s = obj(Kind::Simple, "x");
    let seen = std::rc::Rc::new(RefCell::new(Vec::new()));
    let refs: Vec<Weak<Obj>> = (0..4)
        .map(|i| {
            let seen = seen.clone();
            Weak::with_callback(&s, move |r| {
                seen.borrow_mut().push((i, r.upgrade().is_none()))
            })
        })
        .collect();
    assert!(refs.iter().all(Weak::has_callback));
    drop(s);
    let text: Vec<String> = seen
        .borrow()
        .iter()
        .map(|(i, dead)| format!("({i}, {})", py_bool(*dead)))
        .collect();
    assert_eq!(
        format!("[{}]", text.join(", ")),
        py.get("callbacks.newest_first")
    );
    assert!(!refs.iter().any(Weak::has_callback), "a callback runs once");
}

#[test]
fn getweakrefcount_and_getweakrefs_follow_cpythons_list() {
    let py = cpython();
    let o = obj(Kind::Simple, "");
    let (plain1, plain2) = (Gc::downgrade(&o), Gc::downgrade(&o));
    assert!(
        Weak::ptr_eq(&plain1, &plain2),
        "the callback-less ref is shared"
    );
    let cb1 = Weak::with_callback(&o, |_| {});
    let cb2 = Weak::with_callback(&o, |_| {});
    assert_eq!(weakref::getweakrefcount(&o), py.usize("weakrefs.count"));
    let refs = weakref::getweakrefs(&o);
    let mut order: Vec<&str> = refs
        .iter()
        .map(|r| py_bool(Weak::ptr_eq(r, &plain1)))
        .collect();
    order.push(py_bool(Weak::ptr_eq(&refs[1], &cb2)));
    assert_eq!(format!("[{}]", order.join(", ")), py.get("weakrefs.order"));
    drop((refs, cb1));
    assert_eq!(
        weakref::getweakrefcount(&o),
        py.usize("weakrefs.count_after_del")
    );
    drop((plain1, plain2, cb2, o));
}

#[test]
fn s31_s32_only_reachable_weakrefs_call_back_for_cyclic_trash() {
    let py = cpython();
    reset();
    let fired = std::rc::Rc::new(RefCell::new(Vec::new()));
    let (a, b, holder) = (
        obj(Kind::Simple, "a"),
        obj(Kind::Simple, "b"),
        obj(Kind::Simple, "holder"),
    );
    let f = fired.clone();
    let outside = Weak::with_callback(&a, move |w| {
        f.borrow_mut().push(format!(
            "outside{}",
            if w.upgrade().is_none() { "" } else { "!" }
        ))
    });
    let f = fired.clone();
    *holder.weak.borrow_mut() = Some(Weak::with_callback(&b, move |_| {
        f.borrow_mut().push("inside".into())
    }));
    set_ref(
        &a,
        Gc::new(RefCell::new(vec![
            Gc::as_object(&b),
            Gc::as_object(&holder),
        ])),
    );
    set_ref(&b, a.clone());
    drop((a, b, holder));
    let collected = gc::collect();
    let (py_fired, py_collected) = py.get("trash.callbacks").split_once("], ").unwrap();
    assert_eq!(
        format!("{}]", py_fired.trim_start_matches('(')),
        py_list(&fired.borrow())
    );
    // CPython also collects the inner weakref object and its lambda: 6.
    assert_eq!(py_collected, "6)");
    assert_eq!(collected, 4);
    drop(outside);
}

#[test]
fn mutual_callback_weakrefs_in_a_cycle_never_fire() {
    let py = cpython();
    reset();
    let fired = std::rc::Rc::new(RefCell::new(Vec::<String>::new()));
    let (c1, c2) = (obj(Kind::Simple, "c1"), obj(Kind::Simple, "c2"));
    for (a, b) in [(&c1, &c2), (&c2, &c1)] {
        set_ref(a, Gc::new(RefCell::new(vec![Gc::as_object(b)])));
        let f = fired.clone();
        let name = format!("{}'s", a.name);
        *a.weak.borrow_mut() = Some(Weak::with_callback(b, move |_| f.borrow_mut().push(name)));
    }
    drop((c1, c2));
    let collected = gc::collect();
    // CPython: ([], 8, 0): its 2 weakref objects and 2 lambdas are garbage too.
    assert_eq!(py.get("trash.mutual_weakrefs"), "([], 8, 0)");
    assert_eq!((fired.borrow().len(), collected, gc::collect()), (0, 4, 0));
}

#[test]
fn saveall_keeps_cyclic_garbage_in_gc_garbage() {
    let py = cpython();
    reset();
    gc::set_debug(gc::DEBUG_SAVEALL);
    let x = obj(Kind::Simple, "saved");
    set_ref(&x, x.clone());
    drop(x);
    let collected = gc::collect();
    gc::set_debug(gc::DebugFlags::empty());
    let garbage = gc::garbage();
    assert_eq!(
        format!("({collected}, {}, {})", garbage.len(), events().len()),
        py.get("saveall")
    );
    assert!(garbage[0].is::<Obj>() && gc::is_tracked(&garbage[0]));
    drop(garbage);
    assert_eq!(gc::clear_garbage(), 1);
    assert_eq!(
        format!("({}, {})", gc::collect(), events().len()),
        py.get("saveall.after_clear")
    );
}

#[test]
fn is_finalized_reports_pep_442s_bit() {
    let py = cpython();
    reset();
    let r = obj(Kind::Resurrect, "f");
    assert_eq!(py_bool(gc::is_finalized(&r)), py.get("is_finalized.before"));
    drop(r);
    let r = SURVIVORS.with_borrow_mut(Vec::pop).unwrap();
    assert_eq!(py_bool(gc::is_finalized(&r)), py.get("is_finalized.after"));
    assert!(
        !gc::is_finalized(&Gc::new(5_u8)),
        "types without a finalizer never are"
    );
}

#[test]
fn debug_collectable_prints_cpythons_line_per_object() {
    let py = cpython();
    let py_err = include_str!("../cpython/finalization.err");
    reset();
    let y = obj(Kind::Simple, "printed");
    set_ref(&y, y.clone());
    let id = Gc::id(&y);
    drop(y);
    let mut collected = 0;
    let ours = crate::support::capture_stderr(|| {
        gc::set_debug(gc::DEBUG_COLLECTABLE);
        collected = gc::collect();
        gc::set_debug(gc::DebugFlags::empty());
    });
    assert_eq!(collected, py.usize("collectable.collected"));
    // CPython: `gc: collectable <Simple 0x7f…>`; pymem names the Rust type.
    assert!(py_err.starts_with("gc: collectable <Simple 0x"), "{py_err}");
    let name = std::any::type_name::<Obj>();
    assert_eq!(ours, format!("gc: collectable <{name} {id:#x}>\n"));
}

/// An object named as an interpreter names its instances: by a class it holds.
#[derive(Trace)]
#[trace(type_name = name_by_class)]
struct Instance {
    #[trace(skip)]
    class: &'static str,
    me: RefCell<Option<Gc<Instance>>>,
}

fn name_by_class(x: &Instance, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    assert_ne!(x.class, "panics", "a naming hook that panics");
    f.write_str(x.class)
}

/// A self-cycle of `class`, collected under `DEBUG_COLLECTABLE`: what it printed, its id.
fn collectable_line(class: &'static str) -> (String, usize) {
    let x = Gc::new(Instance {
        class,
        me: RefCell::new(None),
    });
    *x.me.borrow_mut() = Some(x.clone());
    let id = Gc::id(&x);
    drop(x);
    let ours = crate::support::capture_stderr(|| {
        gc::set_debug(gc::DEBUG_COLLECTABLE);
        gc::collect();
        gc::set_debug(gc::DebugFlags::empty());
    });
    (ours, id)
}

#[test]
fn debug_collectable_names_objects_by_their_fmt_type_name() {
    let py_err = include_str!("../cpython/finalization.err");
    reset();
    let (ours, id) = collectable_line("Simple");
    let cpython_prefix = &py_err[..py_err.find(" 0x").unwrap()];
    assert_eq!(ours, format!("{cpython_prefix} {id:#x}>\n"));
    // A hook that panics: the panic stays inside, the Rust type's name is printed.
    let (ours, id) = collectable_line("panics");
    let rust = std::any::type_name::<Instance>();
    assert_eq!(ours, format!("gc: collectable <{rust} {id:#x}>\n"));
}

/// A naming hook that changes the graph it is asked about: it drops the object's edges.
#[derive(Trace)]
#[trace(type_name = name_and_cut)]
struct Cutter(RefCell<Vec<Gc<Cutter>>>);

fn name_and_cut(x: &Cutter, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    drop(x.0.take());
    f.write_str("Cutter")
}

#[test]
fn a_naming_hook_that_frees_garbage_leaves_the_collector_sound() {
    reset();
    let a = Gc::new(Cutter(RefCell::new(Vec::new())));
    let b = Gc::new(Cutter(RefCell::new(vec![a.clone()])));
    a.0.borrow_mut().push(b.clone());
    let (wa, wb) = (Gc::downgrade(&a), Gc::downgrade(&b));
    drop((a, b));
    let ours = crate::support::capture_stderr(|| {
        gc::set_debug(gc::DEBUG_COLLECTABLE);
        gc::collect();
        gc::set_debug(gc::DebugFlags::empty());
    });
    // The first hook cut the cycle: its partner died at once (no line for it), then the
    // object itself when its temporary reference went; nothing is left.
    assert_eq!(ours.lines().count(), 1, "{ours}");
    assert!(ours.starts_with("gc: collectable <Cutter 0x"), "{ours}");
    assert!(wa.upgrade().is_none() && wb.upgrade().is_none());
}

#[test]
fn display_type_name_asks_the_value_and_keeps_its_panic() {
    reset();
    let simple = Gc::as_object(&Gc::new(Instance {
        class: "Simple",
        me: RefCell::new(None),
    }));
    assert_eq!(simple.display_type_name(), "Simple");
    // As DEBUG_COLLECTABLE's line: a panicking hook gives the Rust type's name.
    let panics = Gc::as_object(&Gc::new(Instance {
        class: "panics",
        me: RefCell::new(None),
    }));
    assert_eq!(
        panics.display_type_name(),
        std::any::type_name::<Instance>()
    );
    assert_eq!(panics.display_type_name(), panics.type_name());
}

#[test]
fn a_naming_hook_that_cuts_a_cycle_leaves_display_type_name_sound() {
    reset();
    let a = Gc::new(Cutter(RefCell::new(Vec::new())));
    let b = Gc::new(Cutter(RefCell::new(vec![a.clone()])));
    a.0.borrow_mut().push(b.clone());
    let (wa, wb) = (Gc::downgrade(&a), Gc::downgrade(&b));
    let object = Gc::as_object(&a);
    drop((a, b));
    // The hook drops a's edge to b, the cycle's only other reference to b: b dies during
    // the call, a stays alive for the handle.
    assert_eq!(object.display_type_name(), "Cutter");
    assert!(wb.upgrade().is_none());
    assert!(wa.upgrade().is_some());
    drop(object);
    assert!(wa.upgrade().is_none());
    assert_eq!(gc::collect(), 0);
}

/// test_gc's `C1055820`: a self-`loop`, and `keep` (the tests' `keep_c0_alive`).
#[derive(Trace, Default)]
struct C1055820 {
    r#loop: RefCell<Option<Object>>,
    keep: RefCell<Option<Object>>,
}

/// test_gc's `D1055820`: `C1055820` with a `__del__` that asks for `c2` through `C2WR`.
#[derive(Trace, Default)]
#[trace(finalize)]
struct D1055820 {
    r#loop: RefCell<Option<Object>>,
}

thread_local! {
    /// The callback-less weak reference to `c2` (the tests' `c2wr`).
    static C2WR: RefCell<Weak<C1055820>> = const { RefCell::new(Weak::new()) };
    /// What the callback or finalizer got from `c2wr()` (the tests' `ouch`).
    static OUCH: RefCell<Vec<&'static str>> = const { RefCell::new(Vec::new()) };
}

/// `ouch.append(c2wr())`, as the repr of the result.
fn ouch() {
    let c2 = C2WR.with_borrow(Weak::upgrade);
    OUCH.with_borrow_mut(|o| o.push(if c2.is_some() { "<C1055820>" } else { "None" }));
}

impl Finalize for D1055820 {
    fn finalize(_: &Gc<Self>) {
        ouch();
    }
}

/// The shared part of bug1055820c/d: `c0`, a self-cycle moved to the oldest generation,
/// is then kept alive only by `c1`; `c1` and `c2` are young self-cycles, and `c2wr` a
/// callback-less weak reference to `c2`. Drops every handle and runs a generation-0
/// collection, in which clearing `c1` frees `c0` by refcount. Returns what it collected
/// and `ouch`.
fn bug1055820<T: Trace + 'static>(
    c0: Gc<T>,
    loop_of: fn(&T) -> &RefCell<Option<Object>>,
) -> (usize, String) {
    OUCH.take();
    *loop_of(&c0).borrow_mut() = Some(Gc::as_object(&c0));
    gc::collect();
    let old = gc::get_objects(Some(2)).unwrap();
    assert!(old.contains(&Gc::as_object(&c0)), "c0 is in generation 2");
    drop(old);
    let c1 = Gc::new(C1055820::default());
    *c1.r#loop.borrow_mut() = Some(Gc::as_object(&c1));
    *c1.keep.borrow_mut() = Some(Gc::as_object(&c0));
    loop_of(&c0).take(); // now only c1 keeps c0 alive
    let c2 = Gc::new(C1055820::default());
    *c2.r#loop.borrow_mut() = Some(Gc::as_object(&c2));
    C2WR.set(Gc::downgrade(&c2));
    drop((c0, c1, c2));
    let collected = gc::collect_generation(0).unwrap();
    C2WR.take();
    (
        collected,
        OUCH.with_borrow(|o| format!("[{}]", o.join(", "))),
    )
}

#[test]
fn s33_bug1055820c_a_callback_of_an_old_object_freed_by_young_garbage_sees_none() {
    let py = cpython();
    reset();
    let c0 = Gc::new(C1055820::default());
    let c0wr = Weak::with_callback(&c0, |_| ouch());
    let (collected, ouch) = bug1055820(c0, |c| &c.r#loop);
    let ours = format!(
        "({ouch}, {collected}, {})",
        py_bool(c0wr.upgrade().is_none())
    );
    assert_eq!(ours, py.get("bug1055820c"));
}

#[test]
fn s33_bug1055820d_a_finalizer_of_an_old_object_freed_by_young_garbage_sees_none() {
    let py = cpython();
    reset();
    let (collected, ouch) = bug1055820(Gc::new(D1055820::default()), |d| &d.r#loop);
    assert_eq!(format!("({ouch}, {collected})"), py.get("bug1055820d"));
}

/// Scenario 53: the ring a -> c -> b -> a of `finalization.py`, whose first finalizer
/// (a, suicidal) releases c while the collector finalizes the ring. c dies by refcount
/// inside the collection's set with its own finalizer still due; that finalizer
/// resurrects it, and CPython's `subtype_dealloc` tracks it anew in generation 0, while
/// a and b, which c keeps alive, move on with the survivors.
#[test]
fn s53_an_object_resurrected_at_refcount_death_inside_a_collection_is_young_again() {
    let py = cpython();
    reset();
    let (a, b, c) = (
        obj(Kind::Suicidal, "a"),
        obj(Kind::Simple, "b"),
        obj(Kind::Resurrect, "c"),
    );
    set_ref(&a, c.clone());
    set_ref(&c, b.clone());
    set_ref(&b, a.clone());
    drop((a, b, c));
    let collected = gc::collect();
    let mut dels = events();
    dels.sort();
    assert_eq!(
        format!("({collected}, {dels:?})").replace('"', "'"),
        py.get("resurrected_in_the_set.collect")
    );
    let c = SURVIVORS.with_borrow_mut(Vec::pop).unwrap();
    let next = |o: &Gc<Obj>| {
        o.r#ref
            .borrow()
            .as_ref()
            .unwrap()
            .downcast::<Obj>()
            .unwrap()
    };
    let b = next(&c);
    let a = next(&b);
    let generation_of = |o: &Gc<Obj>| {
        (0..3).find(|&g| {
            gc::get_objects(Some(g))
                .unwrap()
                .iter()
                .any(|x| x.id() == Gc::id(o))
        })
    };
    let generations = [&a, &b, &c].map(|o| generation_of(o).unwrap());
    assert_eq!(
        format!(
            "({}, {}, {})",
            generations[0], generations[1], generations[2]
        ),
        py.get("resurrected_in_the_set.generations")
    );
    drop((a, b, c));
    assert_eq!(
        gc::collect().to_string(),
        py.get("resurrected_in_the_set.again")
    );
    assert_eq!(DROPPED.get(), 3);
}
