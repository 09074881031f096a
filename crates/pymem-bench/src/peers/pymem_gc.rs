//! pymem: automatic collection with CPython 3.13's thresholds.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use pymem::{Gc, gc};

type P<T> = Gc<T>;
type C<T> = RefCell<T>;

const MANUAL: bool = false;
const AUTO_COLLECTS: bool = true;

macro_rules! traced {
    ($t:ident; $($f:ident),*) => {
        // SAFETY: reports each field that can hold a `Gc` once, through its own impl.
        unsafe impl pymem::Trace for $t {
            fn trace(&self, visitor: &mut pymem::Visitor<'_>) {
                $(pymem::Trace::trace(&self.$f, visitor);)*
            }
        }
    };
}

pub(super) fn configure() {
    gc::enable();
    gc::set_threshold(2000, 10, 10).expect("default thresholds");
}

pub(super) fn collect() {
    gc::collect();
}

fn remember(_: &P<Graph>) {}

fn break_remembered() {}

fn weak_roundtrip(target: &P<Node>) -> Option<u64> {
    let w = Gc::downgrade(target);
    Some(w.upgrade()?.v)
}

/// Pauses from `gc` callbacks: start to stop of each collection.
pub(super) struct Probe {
    id: gc::CallbackId,
    pauses: Rc<RefCell<Vec<Duration>>>,
}

impl Probe {
    pub(super) fn start() -> Probe {
        let pauses: Rc<RefCell<Vec<Duration>>> = Rc::default();
        let started = Cell::new(None);
        let log = pauses.clone();
        let id = gc::add_callback(move |phase, _| match phase {
            gc::Phase::Start => started.set(Some(Instant::now())),
            gc::Phase::Stop => {
                if let Some(t) = started.take() {
                    log.borrow_mut().push(t.elapsed());
                }
            }
        });
        Probe { id, pauses }
    }

    pub(super) fn op<R>(&mut self, f: impl FnOnce() -> R) -> R {
        f()
    }

    pub(super) fn finish(self) -> Vec<Duration> {
        gc::remove_callback(self.id);
        self.pauses.take()
    }
}

/// B12: the workload with tracemalloc tracing, `frames` frames per traceback. Tracing starts
/// before the workload's clock does and stops after it.
pub(super) fn run_traced(w: Workload, n: usize, frames: usize) -> Option<Outcome> {
    pymem::tracemalloc::start(frames).expect("a valid frame count");
    let outcome = run(w, n);
    pymem::tracemalloc::stop();
    outcome
}

crate::workloads::workloads!();
