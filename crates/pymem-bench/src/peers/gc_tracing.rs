//! gc 0.5.1: thread-local mark-sweep, collecting when allocated bytes pass a threshold.

use gc::{Gc, GcCell};

use super::PollingProbe;

type P<T> = Gc<T>;
type C<T> = GcCell<T>;

const MANUAL: bool = false;
const AUTO_COLLECTS: bool = true;

macro_rules! traced {
    ($t:ident; $($f:ident),*) => {
        impl gc::Finalize for $t {}
        // SAFETY: marks each field that can hold a `Gc` once.
        unsafe impl gc::Trace for $t {
            gc::custom_trace!(this, {
                // SAFETY: custom_trace!'s `mark` on each of our own fields, as it requires
                // (unsafe in trace/root/unroot, a no-op wrapper in finalize_glue).
                unsafe {
                    $(mark(&this.$f);)*
                }
            });
        }
    };
}

fn configure() {}

fn collect() {
    gc::force_collect();
}

fn remember(_: &P<Graph>) {}

fn break_remembered() {}

/// gc 0.5.1 has no weak references.
fn weak_roundtrip(_: &P<Node>) -> Option<u64> {
    None
}

fn collections() -> u64 {
    gc::stats().collections_performed as u64
}

struct Probe(PollingProbe);

impl Probe {
    fn start() -> Probe {
        Probe(PollingProbe::new(collections))
    }
    fn op<R>(&mut self, f: impl FnOnce() -> R) -> R {
        self.0.op(f)
    }
    fn finish(self) -> Vec<Duration> {
        self.0.pauses
    }
}

crate::workloads::workloads!();
