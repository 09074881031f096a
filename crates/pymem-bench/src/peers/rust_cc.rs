//! rust-cc 0.6.2: automatic collection (default config) over a candidate buffer.

use std::cell::RefCell;

use rust_cc::Cc;

use super::PollingProbe;

type P<T> = Cc<T>;
type C<T> = RefCell<T>;

const MANUAL: bool = false;
const AUTO_COLLECTS: bool = true;

macro_rules! traced {
    ($t:ident; $($f:ident),*) => {
        // SAFETY: reports each field that can hold a `Cc` once; touches no `Cc` otherwise.
        unsafe impl rust_cc::Trace for $t {
            fn trace(&self, ctx: &mut rust_cc::Context<'_>) {
                $(rust_cc::Trace::trace(&self.$f, ctx);)*
            }
        }
        impl rust_cc::Finalize for $t {}
    };
}

fn configure() {}

fn collect() {
    rust_cc::collect_cycles();
}

fn remember(_: &P<Graph>) {}

fn break_remembered() {}

fn weak_roundtrip(target: &P<Node>) -> Option<u64> {
    let w = target.downgrade();
    Some(w.upgrade()?.v)
}

fn collections() -> u64 {
    rust_cc::state::executions_count().map_or(0, |n| n as u64)
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
