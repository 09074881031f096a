//! The shadow graph of the model test (`program.rs`): objects, roots, edges and weakrefs as
//! plain vectors, and the replay of pymem's event log against CPython's rules. Shared with
//! the fuzz target `fuzz/fuzz_targets/graph_ops.rs` as `program.rs` is.

use super::program::Kind;

/// A failed oracle, with what went wrong.
pub type Check = Result<(), String>;

macro_rules! ensure {
    ($cond:expr, $($msg:tt)+) => {
        if !$cond {
            return Err(format!($($msg)+));
        }
    };
}
pub(crate) use ensure;

/// What happened, in order.
#[derive(Debug)]
pub(crate) enum Event {
    /// A collection starts; the model's objects in the generations collected.
    GcStart(Vec<usize>),
    GcStop,
    Final(usize),
    Drop(usize),
    Callback {
        weak: usize,
        upgraded: bool,
    },
    /// A weakref held by an object was dropped with it.
    WeakGone(usize),
    /// A releasing finalizer is done (it logged `Final` when it started).
    Released(usize),
    /// The counting unraisable hook was called.
    Unraisable,
}

/// What one operation's events add up to, for the oracles on panics and reports.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    /// `PanicDrop` objects that died outside any finalizer: their panic must come out.
    pub(crate) loose_panics: usize,
    /// Panicking finalizers and weakref callbacks that ran: one report each.
    pub(crate) sure_reports: usize,
    /// Releasing finalizers that ran: each may report one neighbour's panic.
    pub(crate) releasing: usize,
    pub(crate) collections: usize,
    pub(crate) reports: usize,
}

#[derive(Debug)]
pub(crate) struct ObjState {
    pub(crate) kind: Kind,
    pub(crate) edges: Vec<usize>,
    /// Roots plus in-edges from objects not yet dropped.
    pub(crate) count: usize,
    pub(crate) dropped: bool,
    pub(crate) finalized: bool,
    /// Found unreachable by a collection: every weakref made before then is cleared.
    pub(crate) cleared: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Holder {
    Harness,
    Object(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum WeakState {
    /// Alive, referent alive, callback pending.
    Armed,
    Fired,
    /// Gone without its callback (dropped, or cleared as garbage).
    Dead,
}

#[derive(Debug)]
pub(crate) struct WeakRec {
    pub(crate) target: usize,
    pub(crate) holder: Holder,
    pub(crate) state: WeakState,
    /// Its callback panics.
    pub(crate) panics: bool,
    /// The collector ran its callback: `__callback__` stays attached (CPython's
    /// `handle_weakrefs` leaves it; a death by refcount clears it).
    pub(crate) keeps_callback: bool,
}

/// The collection in progress.
struct Collection {
    unreachable: Vec<bool>,
    /// The callbacks due right after the start (CPython's `wrcb_to_call`).
    due: Vec<usize>,
    /// Whether those callbacks are still being logged.
    callbacks_open: bool,
}

/// The shadow graph.
#[derive(Default)]
pub(crate) struct Model {
    pub(crate) objs: Vec<ObjState>,
    pub(crate) roots: Vec<usize>,
    pub(crate) weaks: Vec<WeakRec>,
    /// Reachable from the roots: computed after each operation, extended by resurrection.
    pub(crate) reachable: Vec<bool>,
    /// Callbacks logged since the last other event.
    pending: Vec<usize>,
    gc: Option<Collection>,
    /// Releasing finalizers running (nested at refcount deaths).
    releasing: usize,
    pub(crate) tally: Tally,
}

impl Model {
    pub(crate) fn new_object(&mut self, kind: Kind) -> usize {
        let id = self.objs.len();
        self.objs.push(ObjState {
            kind,
            edges: Vec::new(),
            count: 0,
            dropped: false,
            finalized: false,
            cleared: false,
        });
        self.add_root(id);
        id
    }

    pub(crate) fn add_root(&mut self, id: usize) {
        self.roots.push(id);
        self.objs[id].count += 1;
    }

    pub(crate) fn remove_root(&mut self, at: usize) {
        let id = self.roots.swap_remove(at);
        self.objs[id].count -= 1;
    }

    pub(crate) fn link(&mut self, a: usize, b: usize) {
        self.objs[a].edges.push(b);
        self.objs[b].count += 1;
    }

    pub(crate) fn unlink(&mut self, a: usize, k: usize) {
        let b = self.objs[a].edges.remove(k);
        self.objs[b].count -= 1;
    }

    pub(crate) fn new_weak(&mut self, target: usize, panics: bool) -> usize {
        let (holder, state) = (Holder::Harness, WeakState::Armed);
        self.weaks.push(WeakRec {
            target,
            holder,
            state,
            panics,
            keeps_callback: false,
        });
        self.weaks.len() - 1
    }

    /// `Gc::new` unwound (its automatic collection re-raised a `Drop`'s panic): the value
    /// never became an object. Its root goes; it is dropped (logged) with no finalizer.
    pub(crate) fn abandon(&mut self, id: usize) {
        let at = self.roots.iter().rposition(|&r| r == id).expect("its root");
        self.remove_root(at);
        self.objs[id].finalized = true;
    }

    /// A weakref's last handle went: if its callback had not run, it never will.
    pub(crate) fn weak_dropped(&mut self, weak: usize) {
        let w = &mut self.weaks[weak];
        if w.state == WeakState::Armed {
            w.state = WeakState::Dead;
        }
    }

    pub(crate) fn reach(&self) -> Vec<bool> {
        let mut seen = vec![false; self.objs.len()];
        self.mark(&mut seen, self.roots.clone());
        seen
    }

    fn mark(&self, seen: &mut [bool], mut stack: Vec<usize>) {
        while let Some(id) = stack.pop() {
            if !std::mem::replace(&mut seen[id], true) {
                stack.extend(&self.objs[id].edges);
            }
        }
    }

    fn in_collection(&self, id: usize) -> bool {
        self.gc.as_ref().is_some_and(|gc| gc.unreachable[id])
    }

    // ---- replaying the log ----

    pub(crate) fn event(&mut self, event: Event) -> Check {
        match event {
            Event::Callback { weak, upgraded } => {
                ensure!(!upgraded, "the callback of weakref {weak} could upgrade it");
                self.tally.sure_reports += usize::from(self.weaks[weak].panics);
                self.pending.push(weak);
                return Ok(());
            }
            // A report comes between the callbacks it reports on.
            Event::Unraisable => {
                self.tally.reports += 1;
                return Ok(());
            }
            _ => {}
        }
        self.close_callbacks()?;
        match event {
            Event::GcStart(ids) => self.gc_start(&ids),
            Event::GcStop => self.gc_stop(),
            Event::Final(id) => self.finalized(id),
            Event::Drop(id) => self.dropped(id),
            Event::WeakGone(weak) => self.weak_gone(weak),
            Event::Released(id) => self.released(id),
            Event::Callback { .. } | Event::Unraisable => unreachable!(),
        }
    }

    /// A releasing finalizer is done; the edges it dropped were released at its start.
    fn released(&mut self, id: usize) -> Check {
        ensure!(
            self.releasing > 0,
            "{id} ended a releasing finalizer not running"
        );
        self.releasing -= 1;
        Ok(())
    }

    /// The end of the callbacks that follow a collection's start: exactly the due ones.
    fn close_callbacks(&mut self) -> Check {
        let Some(gc) = self.gc.as_mut().filter(|gc| gc.callbacks_open) else {
            return Ok(());
        };
        gc.callbacks_open = false;
        let (mut ran, mut due) = (std::mem::take(&mut self.pending), gc.due.clone());
        ran.sort_unstable();
        due.sort_unstable();
        ensure!(ran == due, "collection callbacks: ran {ran:?}, due {due:?}");
        self.fire(&due);
        for &k in &due {
            self.weaks[k].keeps_callback = true;
        }
        Ok(())
    }

    fn fire(&mut self, weaks: &[usize]) {
        for &k in weaks {
            self.weaks[k].state = WeakState::Fired;
        }
    }

    fn no_pending(&self, what: &str) -> Check {
        let pending = &self.pending;
        ensure!(
            pending.is_empty(),
            "callbacks {pending:?} ran before {what}"
        );
        Ok(())
    }

    fn gc_start(&mut self, ids: &[usize]) -> Check {
        ensure!(
            self.gc.is_none(),
            "a collection started inside a collection"
        );
        self.no_pending("a collection")?;
        let mut in_set = vec![false; self.objs.len()];
        for &id in ids {
            ensure!(
                !self.objs[id].dropped,
                "freed object {id} is in a generation"
            );
            in_set[id] = true;
        }
        self.tally.collections += 1;
        let unreachable = self.unreachable_in(&in_set)?;
        let due = self.clear_weakrefs(&unreachable);
        self.gc = Some(Collection {
            unreachable,
            due,
            callbacks_open: true,
        });
        Ok(())
    }

    /// CPython's `deduce_unreachable`: what the set cannot reach from the objects that have
    /// references from outside it (roots, or edges from objects not in the set).
    fn unreachable_in(&self, in_set: &[bool]) -> Result<Vec<bool>, String> {
        let mut internal = vec![0; self.objs.len()];
        for (_, o) in self.objs.iter().enumerate().filter(|(id, _)| in_set[*id]) {
            o.edges
                .iter()
                .filter(|&&t| in_set[t])
                .for_each(|&t| internal[t] += 1);
        }
        let mut external = Vec::new();
        for (id, o) in self.objs.iter().enumerate().filter(|(id, _)| in_set[*id]) {
            ensure!(
                o.count >= internal[id],
                "model count of {id} below its in-edges"
            );
            if o.count > internal[id] {
                external.push(id);
            }
        }
        let mut seen = vec![false; self.objs.len()];
        self.mark_within(&mut seen, external, in_set);
        Ok((0..self.objs.len())
            .map(|id| in_set[id] && !seen[id])
            .collect())
    }

    fn mark_within(&self, seen: &mut [bool], mut stack: Vec<usize>, in_set: &[bool]) {
        while let Some(id) = stack.pop() {
            if in_set[id] && !std::mem::replace(&mut seen[id], true) {
                stack.extend(&self.objs[id].edges);
            }
        }
    }

    /// Step 4 of a collection: weakrefs held by the garbage die without their callbacks,
    /// weakrefs to the garbage are cleared; returns the callbacks now due.
    fn clear_weakrefs(&mut self, unreachable: &[bool]) -> Vec<usize> {
        for (o, _) in self.objs.iter_mut().zip(unreachable).filter(|(_, u)| **u) {
            o.cleared = true;
        }
        let mut due = Vec::new();
        for (k, w) in self.weaks.iter_mut().enumerate() {
            let garbage = matches!(w.holder, Holder::Object(h) if unreachable[h]);
            match w.state {
                WeakState::Armed if garbage => w.state = WeakState::Dead,
                WeakState::Armed if unreachable[w.target] => due.push(k),
                _ => {}
            }
        }
        due
    }

    /// The end of a collection: each unreachable object was freed or resurrected, and
    /// finalized first if it has a finalizer.
    fn gc_stop(&mut self) -> Check {
        self.no_pending("a collection's end")?;
        let gc = self
            .gc
            .take()
            .ok_or("a collection ended that did not start")?;
        for (id, _) in gc.unreachable.iter().enumerate().filter(|(_, u)| **u) {
            let o = &self.objs[id];
            ensure!(
                !o.kind.finalizes() || o.finalized,
                "{id} not finalized: {o:?}"
            );
            let (dropped, kept) = (o.dropped, self.reachable[id]);
            ensure!(
                dropped || kept,
                "unreachable {id} was neither freed nor resurrected"
            );
        }
        Ok(())
    }

    fn finalized(&mut self, id: usize) -> Check {
        self.no_pending("a finalizer")?;
        let in_gc = self.in_collection(id);
        let o = &mut self.objs[id];
        ensure!(o.kind.finalizes(), "a finalizer ran for plain object {id}");
        ensure!(!o.finalized, "the finalizer of {id} ran twice");
        ensure!(!o.dropped, "the finalizer of {id} ran after its drop");
        ensure!(
            in_gc || o.count == 0,
            "{id} finalized while referenced: {o:?}"
        );
        o.finalized = true;
        match o.kind {
            Kind::Resurrecting => self.resurrect(id)?,
            Kind::Releasing => self.release_edges(id),
            Kind::PanicFinal => self.tally.sure_reports += 1,
            _ => {}
        }
        Ok(())
    }

    /// A releasing finalizer starts: it drops every edge of `id`, last first (the deaths
    /// that follow are logged, and checked, one by one).
    fn release_edges(&mut self, id: usize) {
        self.releasing += 1;
        self.tally.releasing += 1;
        for t in std::mem::take(&mut self.objs[id].edges) {
            self.objs[t].count -= 1;
        }
        // A resurrected object may have reached others only through these edges.
        self.reachable = self.reach();
    }

    /// The finalizer stored the object in the side list: it and all it reaches live on.
    fn resurrect(&mut self, id: usize) -> Check {
        self.add_root(id);
        let mut seen = std::mem::take(&mut self.reachable);
        let before = seen.clone();
        self.mark(&mut seen, vec![id]);
        self.reachable = seen;
        for (now, o) in self.objs.iter().enumerate().filter(|(o, _)| !before[*o]) {
            let alive = !o.dropped || !self.reachable[now];
            ensure!(alive, "{id} resurrected, reaching {now}, which was freed");
        }
        Ok(())
    }

    fn dropped(&mut self, id: usize) -> Check {
        let o = &self.objs[id];
        ensure!(!o.dropped, "object {id} dropped twice");
        if o.kind == Kind::PanicDrop && self.releasing == 0 {
            self.tally.loose_panics += 1;
        }
        ensure!(!self.reachable[id], "object {id} dropped while reachable");
        ensure!(
            !o.kind.finalizes() || o.finalized,
            "{id} dropped unfinalized"
        );
        if self.in_collection(id) {
            self.no_pending("the collector's drop")?;
        } else {
            self.refcount_death(id)?;
        }
        let o = &mut self.objs[id];
        o.dropped = true;
        for t in o.edges.clone() {
            self.objs[t].count -= 1;
        }
        Ok(())
    }

    /// Death by refcount: the callbacks of the object's live weakrefs ran just before its
    /// `Drop`, newest first.
    fn refcount_death(&mut self, id: usize) -> Check {
        let o = &self.objs[id];
        ensure!(
            o.count == 0,
            "{id} freed by refcount while referenced: {o:?}"
        );
        let armed = |(_, w): &(usize, &WeakRec)| w.target == id && w.state == WeakState::Armed;
        let due: Vec<usize> = self
            .weaks
            .iter()
            .enumerate()
            .rev()
            .filter(armed)
            .map(|x| x.0)
            .collect();
        let ran = std::mem::take(&mut self.pending);
        ensure!(
            ran == due,
            "callbacks at the death of {id}: ran {ran:?}, due {due:?}"
        );
        self.fire(&due);
        Ok(())
    }

    fn weak_gone(&mut self, weak: usize) -> Check {
        self.no_pending("a weakref's drop")?;
        let holder = self.weaks[weak].holder;
        let held = matches!(holder, Holder::Object(h) if self.objs[h].dropped);
        ensure!(
            held,
            "weakref {weak} dropped while its holder ({holder:?}) lives"
        );
        self.weak_dropped(weak);
        Ok(())
    }

    /// After an operation's events: nothing half-done.
    pub(crate) fn settled(&self) -> Check {
        ensure!(self.gc.is_none(), "a collection did not end");
        ensure!(self.releasing == 0, "a releasing finalizer did not end");
        self.no_pending("the end of the operation")
    }
}
