//! The peers: one module per memory manager, each instantiating the workloads.

mod allocators;
mod bacon;
mod dumpster_unsync;
mod gc_tracing;
mod gcmodule_cc;
mod pymem_freelist;
mod pymem_gc;
mod rc;
mod rust_cc;

use std::time::{Duration, Instant};

use crate::{Outcome, Workload};

/// A memory manager under test.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Peer {
    /// `std::rc::Rc`, cycles broken by hand: the floor.
    Rc,
    /// This project.
    Pymem,
    /// gcmodule 0.3.3 (CPython's algorithm, one generation, manual collection).
    Gcmodule,
    /// rust-cc 0.6.2 (Lins/Bacon-Rajan candidate buffer, automatic collection).
    RustCc,
    /// dumpster 2.1.0, `unsync` (dirty set, automatic collection).
    Dumpster,
    /// bacon_rajan_cc 0.4.0 (synchronous Bacon-Rajan, manual collection).
    BaconRajan,
    /// gc 0.5.1 (tracing mark-sweep; no prompt destruction).
    Gc,
    /// B12: pymem with tracemalloc tracing, one frame per traceback (B1, B2, B6 only).
    PymemTrace1,
    /// B12: pymem with tracemalloc tracing, 25 frames per traceback (B1, B2, B6 only).
    PymemTrace25,
    /// pymem with object free lists on its node types (B1, B2, B6 only), against `Pymem`,
    /// the pools alone.
    PymemFreeList,
    /// B11 only: the binary's global allocator (glibc, mimalloc or jemalloc).
    Malloc,
    /// B11 only: `pymem_alloc::PyMalloc`, the pools under pymem's heap.
    PyMalloc,
}

impl Peer {
    /// Every peer, in table order.
    pub const ALL: [Peer; 12] = [
        Peer::Rc,
        Peer::Pymem,
        Peer::PymemTrace1,
        Peer::PymemTrace25,
        Peer::PymemFreeList,
        Peer::Gcmodule,
        Peer::RustCc,
        Peer::Dumpster,
        Peer::BaconRajan,
        Peer::Gc,
        Peer::Malloc,
        Peer::PyMalloc,
    ];

    /// Command-line and CSV name.
    pub fn name(self) -> &'static str {
        match self {
            Peer::Rc => "rc",
            Peer::Pymem => "pymem",
            Peer::Gcmodule => "gcmodule",
            Peer::RustCc => "rust-cc",
            Peer::Dumpster => "dumpster",
            Peer::BaconRajan => "bacon_rajan_cc",
            Peer::Gc => "gc",
            Peer::PymemTrace1 => "pymem-trace1",
            Peer::PymemTrace25 => "pymem-trace25",
            Peer::PymemFreeList => "pymem-freelist",
            Peer::Malloc => "malloc",
            Peer::PyMalloc => "pymalloc",
        }
    }

    /// Whether the peer is a raw allocator (runs only B11) rather than a memory manager.
    pub fn is_allocator(self) -> bool {
        matches!(self, Peer::Malloc | Peer::PyMalloc)
    }

    /// Whether the suite runs `w` on this peer: allocators run B11, memory managers the
    /// rest (some of which a peer may still report unsupported, e.g. B13 without weak
    /// references).
    pub fn runs(self, w: Workload) -> bool {
        match self {
            Peer::PymemTrace1 | Peer::PymemTrace25 => w.is_traced(),
            Peer::PymemFreeList => {
                matches!(w, Workload::Churn | Workload::Bulk | Workload::BinaryTrees)
            }
            // Untraced pymem is B12's reference row.
            Peer::Pymem => !w.is_allocator_only(),
            _ => !w.is_traced() && self.is_allocator() == w.is_allocator_only(),
        }
    }

    /// Parses [`Peer::name`].
    pub fn from_name(name: &str) -> Option<Peer> {
        Peer::ALL.into_iter().find(|p| p.name() == name)
    }

    /// The collection policy the suite runs the peer with (documented with the results).
    pub fn policy(self) -> &'static str {
        match self {
            Peer::Rc => "cycles broken by hand",
            Peer::Pymem => "automatic, thresholds (2000, 10, 10), plus explicit collects",
            Peer::Gcmodule => "manual collect_thread_cycles() only (no automatic trigger)",
            Peer::RustCc => "auto-collect on (default config), plus explicit collects",
            Peer::Dumpster => "default collect condition, plus explicit collects",
            Peer::BaconRajan => "manual collect_cycles() only (no automatic trigger)",
            Peer::Gc => "default threshold, plus explicit force_collect()",
            Peer::PymemTrace1 => "B12 only: pymem with tracemalloc.start(1)",
            Peer::PymemTrace25 => "B12 only: pymem with tracemalloc.start(25)",
            Peer::PymemFreeList => {
                "B1, B2, B6 only: pymem, node types on free lists of 80 (as pymem)"
            }
            Peer::Malloc => "B11 only: std::alloc, i.e. the binary's global allocator",
            Peer::PyMalloc => "B11 only: pymem_alloc::PyMalloc, arenas from the system allocator",
        }
    }
}

/// Runs `workload` at size `n` on `peer`; `None` when the peer cannot run it.
pub fn run(peer: Peer, workload: Workload, n: usize) -> Option<Outcome> {
    if !peer.runs(workload) {
        return None;
    }
    match peer {
        Peer::Rc => rc::run(workload, n),
        Peer::Pymem => pymem_gc::run(workload, n),
        Peer::PymemTrace1 => pymem_gc::run_traced(workload, n, 1),
        Peer::PymemTrace25 => pymem_gc::run_traced(workload, n, 25),
        Peer::PymemFreeList => pymem_freelist::run(workload, n),
        Peer::Gcmodule => gcmodule_cc::run(workload, n),
        Peer::RustCc => rust_cc::run(workload, n),
        Peer::Dumpster => dumpster_unsync::run(workload, n),
        Peer::BaconRajan => bacon::run(workload, n),
        Peer::Gc => gc_tracing::run(workload, n),
        Peer::Malloc | Peer::PyMalloc => allocators::run(peer, workload, n),
    }
}

/// For peers that never collect on their own: B10 does not run them.
struct NoProbe;

#[allow(dead_code)]
impl NoProbe {
    fn start() -> NoProbe {
        NoProbe
    }
    fn op<R>(&mut self, f: impl FnOnce() -> R) -> R {
        f()
    }
    fn finish(self) -> Vec<Duration> {
        Vec::new()
    }
}

/// Times each operation and keeps the durations of those during which the peer's count of
/// collections moved (for peers with no collection callbacks). Two clock reads per
/// operation are added to the steady phase; the pauses themselves are exact.
struct PollingProbe {
    collections: fn() -> u64,
    pauses: Vec<Duration>,
}

impl PollingProbe {
    fn new(collections: fn() -> u64) -> PollingProbe {
        PollingProbe {
            collections,
            pauses: Vec::new(),
        }
    }

    fn op<R>(&mut self, f: impl FnOnce() -> R) -> R {
        let before = (self.collections)();
        let t = Instant::now();
        let r = f();
        let elapsed = t.elapsed();
        if (self.collections)() != before {
            self.pauses.push(elapsed);
        }
        r
    }
}
