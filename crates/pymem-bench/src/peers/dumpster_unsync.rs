//! dumpster 2.1.0, `unsync`: collects when a condition on drop counts holds.

use std::cell::{Cell, RefCell};

use dumpster::unsync::{self, CollectInfo, Gc};

use super::PollingProbe;

type P<T> = Gc<T>;
type C<T> = RefCell<T>;

const MANUAL: bool = false;
const AUTO_COLLECTS: bool = true;

macro_rules! traced {
    ($t:ident; $($f:ident),*) => {
        // SAFETY: visits each field that can hold a `Gc` once, in a fixed order.
        unsafe impl<V: dumpster::Visitor> dumpster::TraceWith<V> for $t {
            fn accept(&self, visitor: &mut V) -> Result<(), ()> {
                $(dumpster::TraceWith::accept(&self.$f, visitor)?;)*
                Ok(())
            }
        }
    };
}

fn configure() {
    unsync::set_collect_condition(unsync::default_collect_condition);
}

fn collect() {
    unsync::collect();
}

fn remember(_: &P<Graph>) {}

fn break_remembered() {}

/// dumpster has no user-visible weak references.
fn weak_roundtrip(_: &P<Node>) -> Option<u64> {
    None
}

thread_local! {
    static COLLECTIONS: Cell<u64> = const { Cell::new(0) };
}

/// The default condition, counting the times it says "collect".
fn counting_condition(info: &CollectInfo) -> bool {
    let go = unsync::default_collect_condition(info);
    if go {
        COLLECTIONS.set(COLLECTIONS.get() + 1);
    }
    go
}

fn collections() -> u64 {
    COLLECTIONS.get()
}

struct Probe(PollingProbe);

impl Probe {
    fn start() -> Probe {
        unsync::set_collect_condition(counting_condition);
        Probe(PollingProbe::new(collections))
    }
    fn op<R>(&mut self, f: impl FnOnce() -> R) -> R {
        self.0.op(f)
    }
    fn finish(self) -> Vec<Duration> {
        unsync::set_collect_condition(unsync::default_collect_condition);
        self.0.pauses
    }
}

crate::workloads::workloads!();
