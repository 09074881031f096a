//! bacon_rajan_cc 0.4.0: synchronous Bacon-Rajan, collected manually.

use std::cell::RefCell;

use bacon_rajan_cc::Cc;

use super::NoProbe as Probe;

type P<T> = Cc<T>;
type C<T> = RefCell<T>;

const MANUAL: bool = false;
const AUTO_COLLECTS: bool = false;

macro_rules! traced {
    ($t:ident; $($f:ident),*) => {
        impl bacon_rajan_cc::Trace for $t {
            fn trace(&self, tracer: &mut bacon_rajan_cc::Tracer) {
                $(bacon_rajan_cc::Trace::trace(&self.$f, tracer);)*
            }
        }
    };
}

fn configure() {}

fn collect() {
    bacon_rajan_cc::collect_cycles();
}

fn remember(_: &P<Graph>) {}

fn break_remembered() {}

fn weak_roundtrip(target: &P<Node>) -> Option<u64> {
    let w = target.downgrade();
    Some(w.upgrade()?.v)
}

crate::workloads::workloads!();
