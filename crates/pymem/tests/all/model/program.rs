//! Programs over a shadow graph (reliability plan §3.3), shared by the proptest suite
//! (`tests/all/model.rs`) and the cargo-fuzz target `fuzz/fuzz_targets/graph_ops.rs`, which
//! includes this file with `#[path]`: both run the same operations against the same oracles.
//!
//! A program allocates objects of three kinds (plain; with a finalizer; with a finalizer
//! that resurrects its object on its first run, by storing it in a side list the harness
//! treats as roots), clones and drops roots, adds and removes edges, makes weak references
//! with callbacks (held by the harness, or moved into an object), and collects.
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
//!   unreachable, and after a collection the heap's objects are the model's live ones.

use pymem::gc::{self, CallbackId, Phase};
use pymem::{Finalize, Gc, Object, Trace, Weak};
use std::cell::RefCell;
use std::rc::Rc;

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
}

impl Op {
    /// Three bytes to an operation: the first picks it (the ranges are the weights), the
    /// others are its arguments. The fuzzer and proptest both generate programs this way.
    pub fn from_bytes([tag, a, b]: [u8; 3]) -> Op {
        let (a, b) = (usize::from(a), usize::from(b));
        match tag % 22 {
            0..=2 => Op::New(Kind::Plain),
            3 => Op::New(Kind::Finalized),
            4 => Op::New(Kind::Resurrecting),
            5 => Op::CloneRoot(a),
            6..=8 => Op::DropRoot(a),
            9..=13 => Op::Link(a, b),
            14 => Op::Unlink(a, b),
            15 | 16 => Op::Follow(a, b),
            17 | 18 => Op::WeakRef(a),
            19 => Op::StoreWeak(a, b),
            20 => Op::DropWeak(a),
            _ => Op::Collect(b % 3),
        }
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
        if core.kind == Kind::Resurrecting {
            core.shared.side.borrow_mut().push(Handle::F(this.clone()));
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
        match core.kind {
            Kind::Plain => Handle::P(Gc::new(PNode(core))),
            _ => Handle::F(Gc::new(FNode(core))),
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

    /// A weakref whose callback logs its number, and whether it could still upgrade.
    fn with_callback(&self, weak: usize) -> WeakHandle {
        let shared = self.core().shared.clone();
        either!(self, Handle => WeakHandle, g => Weak::with_callback(g, callback(shared, weak)))
    }
}

fn callback<T: 'static>(shared: Rc<Shared>, weak: usize) -> impl FnOnce(&Weak<T>) + 'static {
    move |w| {
        let upgraded = w.upgrade().is_some();
        shared.log(Event::Callback { weak, upgraded });
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
    /// Whether the last operation collected.
    collected: bool,
    steps: Vec<Step>,
}

impl Harness {
    fn new() -> Harness {
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
        Harness {
            model: Model::default(),
            shared,
            roots: Vec::new(),
            plain: Vec::new(),
            held: Vec::new(),
            callback,
            collected: false,
            steps: Vec::new(),
        }
    }

    fn run(&mut self, ops: &[Op]) -> Check {
        for &op in ops {
            self.steps.push(Step::default());
            self.apply(op);
            self.settle()?;
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
            Op::WeakRef(a) if n > 0 => self.weakref(a % n),
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
        let node = Handle::new(Core {
            id,
            kind,
            edges: RefCell::default(),
            slots: RefCell::default(),
            shared: self.shared.clone(),
        });
        self.plain.push(node.downgrade());
        self.roots.push(node);
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

    fn weakref(&mut self, a: usize) {
        let k = self.model.new_weak(self.roots[a].id());
        self.held.push((k, self.roots[a].with_callback(k)));
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

    /// Replays what the operation did, then takes the resurrected objects as roots (the
    /// model added them when it replayed their finalizers, in the same order), sorted by
    /// id: the order finalizers run in is not CPython's, and the differential oracle needs
    /// the same roots on both sides.
    fn settle(&mut self) -> Check {
        self.model.reachable = self.model.reach();
        let events = self.shared.events.take();
        self.collected = events.iter().any(|e| matches!(e, Event::GcStart(_)));
        self.log(&events);
        for event in events {
            self.model.event(event)?;
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

    /// The weakrefs the harness holds upgrade, and keep their callbacks, while armed.
    fn check_held(&self) -> Check {
        for (k, handle) in &self.held {
            let armed = self.model.weaks[*k].state == WeakState::Armed;
            ensure!(handle.upgrades() == armed, "upgrade of weakref {k}");
            ensure!(handle.has_callback() == armed, "callback of weakref {k}");
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
        for _ in 0..=self.model.objs.len() {
            while !self.roots.is_empty() {
                self.drop_root(self.roots.len() - 1);
            }
            self.settle()?;
            gc::collect();
            self.settle()?;
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
    }
}
