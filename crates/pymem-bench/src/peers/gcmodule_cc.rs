//! gcmodule 0.3.3: CPython's algorithm over all tracked objects, collected manually.

use std::cell::RefCell;

use gcmodule::Cc;

use super::NoProbe as Probe;

type P<T> = Cc<T>;
type C<T> = RefCell<T>;

const MANUAL: bool = false;
const AUTO_COLLECTS: bool = false;

// gcmodule's derive recurses forever in `is_type_tracked` on self-referential types
// (docs/benchmarks.md), so the impls are written out.
macro_rules! traced {
    ($t:ident; $($f:ident),*) => {
        impl gcmodule::Trace for $t {
            fn trace(&self, tracer: &mut gcmodule::Tracer) {
                $(gcmodule::Trace::trace(&self.$f, tracer);)*
            }
            fn is_type_tracked() -> bool {
                true
            }
        }
    };
}

fn configure() {}

fn collect() {
    gcmodule::collect_thread_cycles();
}

fn remember(_: &P<Graph>) {}

fn break_remembered() {}

/// gcmodule 0.3.3 (the published version) has no weak references.
fn weak_roundtrip(_: &P<Node>) -> Option<u64> {
    None
}

crate::workloads::workloads!();
