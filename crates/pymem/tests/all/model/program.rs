//! Programs over a shadow graph (docs/reliability.md), shared by the proptest suite
//! (`tests/all/model.rs`) and the cargo-fuzz target `fuzz/fuzz_targets/graph_ops.rs`, which
//! includes this file with `#[path]`: both run the same operations against the same oracles.
//!
//! A program allocates objects of six kinds (plain; with a finalizer; with a finalizer
//! that resurrects its object on its first run, by storing it in a side list the harness
//! treats as roots; with a finalizer that releases the object's edges; and two hostile
//! ones: a `Drop` that panics, with a payload whose own drop panics for even ids, and a
//! finalizer that panics so), clones and drops roots, adds and removes edges, makes weak
//! references with callbacks (held by the harness, or moved into an object; some of them
//! panic), collects, and turns hostile hooks on and off (an unraisable hook or a
//! `sys.stderr` writer or a `gc` callback that panic).
//!
//! pymem reports what happened as a log of events: a gc callback logs the start of each
//! collection with the objects of the generations collected, finalizers, `Drop`s, weakref
//! callbacks and the drops of weak references held by objects log themselves. The model
//! replays the log in order and checks each event against CPython 3.13's rules, as pymem
//! documents them (`Weak::with_callback`, `Finalize`, `docs/design.md`):
//! * the collector frees exactly the unreachable part of the generations collected,
//!   except what a finalizer resurrected and what that reaches;
//! * a `Drop` runs once per object, never while the object is reachable, after its
//!   finalizer; a finalizer runs at most once, only when the object's count is zero or the
//!   collector found it unreachable;
//! * a weakref's callback runs exactly once if its referent dies (or is found unreachable)
//!   while the weakref is alive, never otherwise; at refcount death the callbacks of an
//!   object run newest first, just before its `Drop`; in a collection they run before any
//!   finalizer, and not for weakrefs held by the garbage itself (which are cleared);
//! * after every operation each live object's count is its roots plus its in-edges,
//!   weak references upgrade exactly while their referent lives and was never found
//!   unreachable, and after a collection the heap's objects are the model's live ones;
//! * an operation panics exactly when an object whose `Drop` panics died outside a
//!   finalizer (inside one, the finalizer's panic is reported instead), and every
//!   panicking finalizer or weakref callback was reported as unraisable once.

use pymem::gc::{self, CallbackId, Phase};
use pymem::{Finalize, Gc, Object, Trace, Weak, sys};
use std::cell::{Cell, RefCell};
use std::panic::{AssertUnwindSafe, catch_unwind, panic_any};
use std::rc::Rc;

use super::hostile::{
    Bomb, LoudWriter, PANIC_DROP_MESSAGE, classify, guarded, quiet_provoked_panics,
};
use super::shadow::{Check, Event, Holder, Model, WeakState, ensure};

/// What `New` allocates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// No finalizer (the collector's and `Drop`'s fast paths).
    Plain,
    /// A finalizer that only logs.
    Finalized,
    /// A finalizer that resurrects the object the first (and only) time it runs.
    Resurrecting,
    /// A finalizer that releases the object's edges, last first (its neighbours may die
    /// inside it, also in the middle of a collection's finalizer pass).
    Releasing,
    /// No finalizer; its `Drop` panics (unless the thread is unwinding already).
    PanicDrop,
    /// A finalizer that panics with a payload whose drop panics.
    PanicFinal,
}

impl Kind {
    /// Whether it has a finalizer (an `FNode`).
    pub(crate) fn finalizes(self) -> bool {
        !matches!(self, Kind::Plain | Kind::PanicDrop)
    }
}

/// One operation. Indices are taken modulo the length of what they index; an operation
/// on an empty list does nothing.
#[derive(Clone, Copy, Debug)]
pub enum Op {
    New(Kind),
    CloneRoot(usize),
    DropRoot(usize),
    /// `roots[a].edges.push(roots[b])`
    Link(usize, usize),
    /// remove edge `k` of `roots[a]`
    Unlink(usize, usize),
    /// make the target of edge `k` of `roots[a]` a root
    Follow(usize, usize),
    /// `weakref.ref(roots[a], callback)`, held by the harness
    WeakRef(usize),
    /// move the harness's weakref `w` into `roots[a]`
    StoreWeak(usize, usize),
    /// drop the harness's weakref `w`
    DropWeak(usize),
    Collect(usize),
    /// `WeakRef` whose callback panics (with a payload whose drop panics)
    WeakRefPanicking(usize),
    /// switch the hostile hooks: 0 none, 1 an unraisable hook that panics, 2 a
    /// `sys.stderr` that panics (under the default hook), 3 a `gc` callback that panics
    Hostile(usize),
}

impl Op {
    /// Three bytes to an operation: the first picks it (the ranges are the weights), the
    /// others are its arguments. The fuzzer and proptest both generate programs this way.
    pub fn from_bytes([tag, a, b]: [u8; 3]) -> Op {
        let (a, b) = (usize::from(a), usize::from(b));
        match tag % 28 {
            0..=2 => Op::New(Kind::Plain),
            3 => Op::New(Kind::Finalized),
            4 => Op::New(Kind::Resurrecting),
            5 => Op::New(Kind::Releasing),
            6 => Op::New(Kind::PanicDrop),
            7 => Op::New(Kind::PanicFinal),
            8 => Op::CloneRoot(a),
            9..=11 => Op::DropRoot(a),
            12..=16 => Op::Link(a, b),
            17 => Op::Unlink(a, b),
            18 | 19 => Op::Follow(a, b),
            20 | 21 => Op::WeakRef(a),
            22 => Op::WeakRefPanicking(a),
            23 => Op::StoreWeak(a, b),
            24 => Op::DropWeak(a),
            25 => Op::Hostile(a % 4),
            _ => Op::Collect(b % 3),
        }
    }

    /// Whether CPython can run it as well (the differential oracle's programs): panics
    /// in `Drop` and hostile hooks have no Python counterpart.
    // The fuzz target includes this file and does not call it.
    #[allow(dead_code)]
    pub fn in_cpython(&self) -> bool {
        !matches!(
            self,
            Op::New(Kind::PanicDrop | Kind::PanicFinal) | Op::WeakRefPanicking(_) | Op::Hostile(_)
        )
    }
}

/// How collections happen while a program runs.
#[derive(Clone, Copy, Debug)]
pub enum Mode {
    /// Automatic collection off: only `Collect` collects.
    Explicit,
    /// Automatic collection on, with these (small) thresholds.
    Automatic(usize, usize, usize),
}

impl Mode {
    /// 0 is `Explicit`; other bytes spread over thresholds 1..=19, 1..=4, 1..=4.
    pub fn from_byte(b: u8) -> Mode {
        let b = usize::from(b);
        match b {
            0 => Mode::Explicit,
            _ => Mode::Automatic(1 + b % 19, 1 + b / 19 % 4, 1 + b / 76 % 4),
        }
    }
}

/// Runs `ops` under `mode` and checks every oracle; restores the default thresholds.
pub fn run(mode: Mode, ops: &[Op]) -> Check {
    run_logged(mode, ops).0
}

/// What one step did (an operation, or the teardown at the end), in no particular order:
/// what the differential oracle (`model/python.rs`) compares with CPython.
// The fuzz target includes this file and does not read the log.
#[allow(dead_code)]
#[derive(Debug, Default)]
pub struct Step {
    pub finalized: Vec<usize>,
    pub dropped: Vec<usize>,
    /// The numbers of the weakrefs whose callbacks ran.
    pub callbacks: Vec<usize>,
    /// What `Collect` returned.
    pub collected: Option<usize>,
}

/// `run`, also returning one `Step` per operation and one for the teardown.
pub fn run_logged(mode: Mode, ops: &[Op]) -> (Check, Vec<Step>) {
    match mode {
        Mode::Explicit => gc::disable(),
        Mode::Automatic(t0, t1, t2) => {
            gc::set_threshold(t0, t1, t2).unwrap();
            gc::enable();
        }
    }
    gc::collect();
    let mut harness = Harness::new();
    let result = harness.run(ops);
    let steps = std::mem::take(&mut harness.steps);
    drop(harness);
    gc::set_threshold(2000, 10, 10).unwrap();
    gc::enable();
    (result, steps)
}

// ---- What pymem does: the objects, their weak references, and the event log ----------

/// State shared by one harness and its objects.
#[derive(Default)]
struct Shared {
    events: RefCell<Vec<Event>>,
    /// Where resurrecting finalizers store their object (the harness's roots).
    side: RefCell<Vec<Handle>>,
    /// Whether the unraisable hook counting reports is the one installed.
    counting: Cell<bool>,
}

impl Shared {
    fn log(&self, event: Event) {
        self.events.borrow_mut().push(event);
    }
}

/// The fields of both object types.
#[derive(Trace)]
#[trace(tracked)]
struct Core {
    #[trace(skip)]
    id: usize,
    #[trace(skip)]
    kind: Kind,
    // Dropped before `slots`: a referent freed by the cascade sees its weakrefs alive.
    edges: RefCell<Vec<Handle>>,
    slots: RefCell<Vec<Slot>>,
    #[trace(skip)]
    shared: Rc<Shared>,
}

impl Drop for Core {
    fn drop(&mut self) {
        self.shared.log(Event::Drop(self.id));
        // Last edge first, as CPython's `list_dealloc` and `list_clear` release a list's
        // items (a `Vec` drops its first element first): the order decides whether a
        // weakref held by one target is still alive when another target dies.
        let edges = self.edges.get_mut();
        while let Some(edge) = edges.pop() {
            drop(edge);
        }
        // Not while unwinding: a second panic escaping a drop aborts, as in any Rust code.
        if self.kind == Kind::PanicDrop && !std::thread::panicking() {
            if self.id.is_multiple_of(2) {
                panic_any(Bomb);
            }
            panic!("{PANIC_DROP_MESSAGE} ({})", self.id);
        }
    }
}

/// Logs the end of a releasing finalizer, also when a neighbour's `Drop` unwinds it.
struct Released<'a>(&'a Core);

impl Drop for Released<'_> {
    fn drop(&mut self) {
        self.0.shared.log(Event::Released(self.0.id));
    }
}

/// An object without a finalizer.
#[derive(Trace)]
struct PNode(Core);

/// An object with a finalizer.
#[derive(Trace)]
#[trace(finalize)]
struct FNode(Core);

impl Finalize for FNode {
    fn finalize(this: &Gc<Self>) {
        let core = &this.0;
        core.shared.log(Event::Final(core.id));
        match core.kind {
            Kind::Resurrecting => core.shared.side.borrow_mut().push(Handle::F(this.clone())),
            Kind::Releasing => {
                let _end = Released(core);
                // Every edge goes, as the model says, even when a neighbour's `Drop`
                // panics: the first panic leaves the finalizer once they are all gone.
                let mut first = None;
                loop {
                    let edge = core.edges.borrow_mut().pop();
                    let Some(edge) = edge else { break };
                    if let Err(payload) = catch_unwind(AssertUnwindSafe(|| drop(edge))) {
                        match first {
                            None => first = Some(payload),
                            Some(_) => drop(classify(payload)),
                        }
                    }
                }
                if let Some(payload) = first {
                    std::panic::resume_unwind(payload);
                }
            }
            Kind::PanicFinal => panic_any(Bomb),
            _ => {}
        }
    }
}

/// `$body` with `$x` bound to what either variant of `$value` holds (and the result
/// wrapped in the same variant of `$to`, if given): the two types differ only in `Finalize`.
macro_rules! either {
    ($value:expr, $from:ident, $x:ident => $body:expr) => {
        match $value {
            $from::P($x) => $body,
            $from::F($x) => $body,
        }
    };
    ($value:expr, $from:ident => $to:ident, $x:ident => $body:expr) => {
        match $value {
            $from::P($x) => $to::P($body),
            $from::F($x) => $to::F($body),
        }
    };
}

/// A strong reference to either type.
#[derive(Trace, Clone)]
enum Handle {
    P(Gc<PNode>),
    F(Gc<FNode>),
}

impl Handle {
    fn new(core: Core) -> Handle {
        if core.kind.finalizes() {
            Handle::F(Gc::new(FNode(core)))
        } else {
            Handle::P(Gc::new(PNode(core)))
        }
    }

    fn core(&self) -> &Core {
        either!(self, Handle, g => &g.0)
    }

    fn id(&self) -> usize {
        self.core().id
    }

    fn from_object(object: Object) -> Option<Handle> {
        match object.into_gc::<PNode>() {
            Ok(p) => Some(Handle::P(p)),
            Err(object) => object.into_gc::<FNode>().ok().map(Handle::F),
        }
    }

    fn ref_count(&self) -> usize {
        either!(self, Handle, g => Gc::ref_count(g))
    }

    fn downgrade(&self) -> WeakHandle {
        either!(self, Handle => WeakHandle, g => Gc::downgrade(g))
    }

    /// A weakref whose callback logs its number, and whether it could still upgrade; then
    /// panics if `panics`.
    fn with_callback(&self, weak: usize, panics: bool) -> WeakHandle {
        let shared = self.core().shared.clone();
        either!(self, Handle => WeakHandle, g => Weak::with_callback(g, callback(shared, weak, panics)))
    }
}

fn callback<T: 'static>(
    shared: Rc<Shared>,
    weak: usize,
    panics: bool,
) -> impl FnOnce(&Weak<T>) + 'static {
    move |w| {
        let upgraded = w.upgrade().is_some();
        shared.log(Event::Callback { weak, upgraded });
        if panics {
            panic_any(Bomb);
        }
    }
}

/// A weak reference to either type.
#[derive(Trace)]
enum WeakHandle {
    P(Weak<PNode>),
    F(Weak<FNode>),
}

impl WeakHandle {
    fn upgrades(&self) -> bool {
        either!(self, WeakHandle, w => w.upgrade().is_some())
    }

    fn has_callback(&self) -> bool {
        either!(self, WeakHandle, w => w.has_callback())
    }

    fn strong_count(&self) -> usize {
        either!(self, WeakHandle, w => w.strong_count())
    }
}

/// A weakref held by an object; logs when the object's value drops it.
#[derive(Trace)]
struct Slot {
    #[trace(skip)]
    weak: usize,
    handle: WeakHandle,
    #[trace(skip)]
    shared: Rc<Shared>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.shared.log(Event::WeakGone(self.weak));
    }
}

/// The model's objects in the generations `0..=generation` (called from the gc callback).
fn collected_ids(shared: &Rc<Shared>, generation: usize) -> Vec<usize> {
    let objects = (0..=generation).flat_map(|g| gc::get_objects(Some(g)).unwrap());
    ids_of(shared, objects).map(|h| h.id()).collect()
}

/// The handles, among `objects`, of the objects of the harness that owns `shared`.
fn ids_of(
    shared: &Rc<Shared>,
    objects: impl Iterator<Item = Object>,
) -> impl Iterator<Item = Handle> {
    let ours = |h: &Handle| Rc::ptr_eq(&h.core().shared, shared);
    objects.filter_map(Handle::from_object).filter(ours)
}

// ---- The harness: the real heap, driven in step with the model ------------------------

struct Harness {
    model: Model,
    shared: Rc<Shared>,
    roots: Vec<Handle>,
    /// One callback-less weakref per object, by id (renewed after a collection clears it).
    plain: Vec<WeakHandle>,
    /// The weakrefs with callbacks that the harness holds, with their numbers.
    held: Vec<(usize, WeakHandle)>,
    callback: CallbackId,
    /// `Hostile(3)`'s gc callback, while on.
    hostile_callback: Option<CallbackId>,
    /// Whether the last operation collected.
    collected: bool,
    steps: Vec<Step>,
}

impl Harness {
    fn new() -> Harness {
        quiet_provoked_panics();
        let shared = Rc::<Shared>::default();
        let log = Rc::downgrade(&shared);
        let callback = gc::add_callback(move |phase, info| {
            let Some(shared) = log.upgrade() else { return };
            let event = match phase {
                Phase::Start => Event::GcStart(collected_ids(&shared, info.generation)),
                Phase::Stop => Event::GcStop,
            };
            shared.log(event);
        });
        let harness = Harness {
            model: Model::default(),
            shared,
            roots: Vec::new(),
            plain: Vec::new(),
            held: Vec::new(),
            callback,
            hostile_callback: None,
            collected: false,
            steps: Vec::new(),
        };
        harness.count_unraisable();
        harness
    }

    /// Installs the unraisable hook that logs each report.
    fn count_unraisable(&self) {
        let log = Rc::downgrade(&self.shared);
        sys::set_unraisablehook(move |_| {
            if let Some(shared) = log.upgrade() {
                shared.log(Event::Unraisable);
            }
        });
        self.shared.counting.set(true);
    }

    fn run(&mut self, ops: &[Op]) -> Check {
        for &op in ops {
            self.steps.push(Step::default());
            let counting = self.shared.counting.get();
            let panicked = guarded(|| self.apply(op));
            let counting = counting && self.shared.counting.get();
            self.settle(panicked, counting)?;
            self.check(matches!(op, Op::Collect(2)))?;
        }
        self.finish()
    }

    fn apply(&mut self, op: Op) {
        let (n, w) = (self.roots.len(), self.held.len());
        match op {
            Op::New(kind) => self.alloc(kind),
            Op::CloneRoot(r) if n > 0 => self.push_root(self.roots[r % n].clone()),
            Op::DropRoot(r) if n > 0 => self.drop_root(r % n),
            Op::Link(a, b) if n > 0 => self.link(a % n, b % n),
            Op::Unlink(a, k) if n > 0 => self.unlink(a % n, k),
            Op::Follow(a, k) if n > 0 => self.follow(a % n, k),
            Op::WeakRef(a) if n > 0 => self.weakref(a % n, false),
            Op::WeakRefPanicking(a) if n > 0 => self.weakref(a % n, true),
            Op::Hostile(mode) => self.hostile(mode),
            Op::StoreWeak(a, k) if n > 0 && w > 0 => self.store_weak(a % n, k % w),
            Op::DropWeak(k) if w > 0 => self.drop_weak(k % w),
            Op::Collect(g) => self.step().collected = gc::collect_generation(g).ok(),
            _ => {}
        }
    }

    fn step(&mut self) -> &mut Step {
        self.steps.last_mut().expect("a step in progress")
    }

    /// Notes in the current step what `events` did.
    fn log(&mut self, events: &[Event]) {
        let step = self.step();
        for event in events {
            match *event {
                Event::Final(id) => step.finalized.push(id),
                Event::Drop(id) => step.dropped.push(id),
                Event::Callback { weak, .. } => step.callbacks.push(weak),
                _ => {}
            }
        }
    }

    fn alloc(&mut self, kind: Kind) {
        // The model first: an automatic collection inside `Gc::new` replays against it.
        let id = self.model.new_object(kind);
        let core = Core {
            id,
            kind,
            edges: RefCell::default(),
            slots: RefCell::default(),
            shared: self.shared.clone(),
        };
        match catch_unwind(AssertUnwindSafe(|| Handle::new(core))) {
            Ok(node) => {
                self.plain.push(node.downgrade());
                self.roots.push(node);
            }
            Err(payload) => {
                // The automatic collection re-raised a `Drop`'s panic; the value was
                // dropped on the way out, never an object.
                self.model.abandon(id);
                self.plain.push(WeakHandle::P(Weak::new()));
                std::panic::resume_unwind(payload);
            }
        }
    }

    /// `Hostile(mode)`: undoes the last mode, then installs this one.
    fn hostile(&mut self, mode: usize) {
        drop(sys::reset_stderr());
        if let Some(id) = self.hostile_callback.take() {
            gc::remove_callback(id);
        }
        self.shared.counting.set(false);
        match mode {
            1 => sys::set_unraisablehook(|_| panic_any(Bomb)),
            2 => {
                sys::reset_unraisablehook(); // the default hook writes to the writer
                sys::set_stderr(Box::new(LoudWriter));
            }
            3 => {
                self.count_unraisable();
                self.hostile_callback = Some(gc::add_callback(|_, _| panic_any(Bomb)));
            }
            _ => self.count_unraisable(),
        }
    }

    fn push_root(&mut self, node: Handle) {
        self.model.add_root(node.id());
        self.roots.push(node);
    }

    fn drop_root(&mut self, at: usize) {
        self.model.remove_root(at);
        drop(self.roots.swap_remove(at));
    }

    fn link(&mut self, a: usize, b: usize) {
        let (a, b) = (&self.roots[a], self.roots[b].clone());
        self.model.link(a.id(), b.id());
        a.core().edges.borrow_mut().push(b);
    }

    fn unlink(&mut self, a: usize, k: usize) {
        let a = self.roots[a].clone();
        let len = a.core().edges.borrow().len();
        if len > 0 {
            self.model.unlink(a.id(), k % len);
            let removed = a.core().edges.borrow_mut().remove(k % len);
            drop(removed);
        }
    }

    fn follow(&mut self, a: usize, k: usize) {
        let edges = self.roots[a].core().edges.borrow();
        let target = (!edges.is_empty()).then(|| edges[k % edges.len()].clone());
        drop(edges);
        if let Some(target) = target {
            self.push_root(target);
        }
    }

    fn weakref(&mut self, a: usize, panics: bool) {
        let k = self.model.new_weak(self.roots[a].id(), panics);
        self.held.push((k, self.roots[a].with_callback(k, panics)));
    }

    fn store_weak(&mut self, a: usize, at: usize) {
        let (weak, handle) = self.held.swap_remove(at);
        let holder = self.roots[a].core();
        self.model.weaks[weak].holder = Holder::Object(holder.id);
        let shared = self.shared.clone();
        let slot = Slot {
            weak,
            handle,
            shared,
        };
        holder.slots.borrow_mut().push(slot);
    }

    fn drop_weak(&mut self, at: usize) {
        let (weak, handle) = self.held.swap_remove(at);
        self.model.weak_dropped(weak);
        drop(handle);
    }

    /// Replays what the operation did, checks its panic (`panicked`: what `guarded`
    /// found) and, if the counting hook was in place throughout, its reports; then takes
    /// the resurrected objects as roots (the model added them when it replayed their
    /// finalizers, in the same order), sorted by id: the order finalizers run in is not
    /// CPython's, and the differential oracle needs the same roots on both sides.
    fn settle(&mut self, panicked: Option<Result<(), String>>, counting: bool) -> Check {
        self.model.reachable = self.model.reach();
        let events = self.shared.events.take();
        self.collected = events.iter().any(|e| matches!(e, Event::GcStart(_)));
        self.log(&events);
        for event in events {
            self.model.event(event)?;
        }
        let tally = std::mem::take(&mut self.model.tally);
        if let Some(Err(message)) = &panicked {
            return Err(format!("an unexpected panic: {message}"));
        }
        ensure!(
            panicked.is_some() == (tally.loose_panics > 0),
            "panicked: {}, though {tally:?}",
            panicked.is_some()
        );
        if counting {
            let gc_callback = 2 * tally.collections * usize::from(self.hostile_callback.is_some());
            let sure = tally.sure_reports + gc_callback;
            let reports = sure..=sure + tally.releasing;
            ensure!(reports.contains(&tally.reports), "reports: {tally:?}");
        }
        let mut side = self.shared.side.take();
        side.sort_by_key(Handle::id);
        let tail = self.model.roots.len() - side.len();
        self.model.roots[tail..].sort_unstable();
        self.roots.append(&mut side);
        self.model.settled()
    }

    fn check(&mut self, after_full_collection: bool) -> Check {
        let reachable = self.model.reach();
        for (id, o) in self.model.objs.iter().enumerate() {
            let (live, plain) = (!o.dropped, &self.plain[id]);
            ensure!(
                plain.upgrades() == (live && !o.cleared),
                "weak upgrade of {id}: {o:?}"
            );
            if live && !o.cleared {
                ensure!(plain.strong_count() == o.count, "count of {id}: {o:?}");
            }
            if after_full_collection {
                ensure!(live == reachable[id], "{id} after a full collection: {o:?}");
            }
        }
        self.check_held()?;
        if self.collected {
            self.audit_heap()?;
        }
        Ok(())
    }

    /// The weakrefs the harness holds upgrade while armed, and keep their callbacks while
    /// armed and after a collection ran them.
    fn check_held(&self) -> Check {
        for (k, handle) in &self.held {
            let weak = &self.model.weaks[*k];
            let armed = weak.state == WeakState::Armed;
            ensure!(handle.upgrades() == armed, "upgrade of weakref {k}");
            let attached = armed || weak.keeps_callback;
            ensure!(handle.has_callback() == attached, "callback of weakref {k}");
        }
        Ok(())
    }

    /// The heap's objects are the model's live ones, with the model's counts; objects whose
    /// weakrefs a collection cleared get a fresh one, so that later clearing shows too.
    fn audit_heap(&mut self) -> Check {
        let objects = gc::get_objects(None).unwrap().into_iter();
        let mut found = vec![false; self.model.objs.len()];
        for node in ids_of(&self.shared, objects) {
            let (id, o) = (node.id(), &mut self.model.objs[node.id()]);
            ensure!(!o.dropped && !found[id], "the heap has {id}: {o:?}");
            ensure!(node.ref_count() == o.count + 1, "count of {id}: {o:?}");
            found[id] = true;
            if std::mem::take(&mut o.cleared) {
                self.plain[id] = node.downgrade();
            }
        }
        let missing = self
            .model
            .objs
            .iter()
            .zip(&found)
            .position(|(o, f)| !o.dropped && !f);
        ensure!(
            missing.is_none(),
            "live object {missing:?} is in no generation"
        );
        Ok(())
    }

    /// Drops every root and collects, again while finalizers resurrect objects: each does
    /// at most once, but one may keep another's finalizer from running until it dies, so
    /// a chain of them takes a round each. Then everything must be freed, no callback due.
    fn finish(&mut self) -> Check {
        self.steps.push(Step::default());
        let counting = self.shared.counting.get();
        for _ in 0..=self.model.objs.len() {
            // Every root goes before the resurrected ones join them (settle), as in the
            // script; each drop's panic is caught so that the rest still go.
            let mut panicked = None;
            while !self.roots.is_empty() {
                let this = guarded(|| self.drop_root(self.roots.len() - 1));
                panicked = match (panicked, this) {
                    (Some(Err(first)), _) => Some(Err(first)),
                    (_, Some(this)) => Some(this),
                    (before, None) => before,
                };
            }
            self.settle(panicked, counting)?;
            let panicked = guarded(|| {
                gc::collect();
            });
            self.settle(panicked, counting)?;
            if self.roots.is_empty() {
                break;
            }
        }
        self.check(true)?;
        let left = self.model.objs.iter().position(|o| !o.dropped);
        ensure!(left.is_none(), "object {left:?} is still alive at the end");
        let armed = self
            .model
            .weaks
            .iter()
            .position(|w| w.state == WeakState::Armed);
        ensure!(
            armed.is_none(),
            "weakref {armed:?} is still armed at the end"
        );
        Ok(())
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        gc::remove_callback(self.callback);
        if let Some(id) = self.hostile_callback.take() {
            gc::remove_callback(id);
        }
        drop(sys::reset_stderr());
        sys::reset_unraisablehook();
    }
}
