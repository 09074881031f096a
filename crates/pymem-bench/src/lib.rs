//! `pymem-bench`: the benchmark suite of `docs/benchmarks.md` (B1–B13), with every workload
//! written once (the `workloads!` macro) and instantiated for each peer: `std::rc::Rc`
//! (cycles broken by hand: the floor), gcmodule, rust-cc, dumpster, bacon_rajan_cc, gc, and
//! pymem. CPython runs the same programs from `python/workloads.py`.
//!
//! Every workload returns an [`Outcome`] with a checksum of the work it did; all peers must
//! agree on it, and on the number of objects allocated and freed, so that no peer can be fast
//! by doing less (`tests/smoke.rs` checks this at tiny sizes).

mod alloc_mix;
pub mod count;
pub mod outcome;
pub mod peers;
pub mod prng;
mod workloads;

pub use outcome::Outcome;
pub use peers::{Peer, run};

/// The workloads of `docs/benchmarks.md`, by id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Workload {
    /// B1: new node, drop at once.
    Churn,
    /// B2: nodes held in a Vec, clone+drop each, drop all.
    Bulk,
    /// B3: 2-node cycles, dropped, then one collection.
    Cycles,
    /// B4: pyperformance create_gc_cycles: 100 rings × 21 nodes; the collection is timed.
    Rings,
    /// B5: pyperformance gc_traversal: levels of lists, all live; the collection is timed.
    Traverse,
    /// B6: Benchmarks Game binary-trees.
    BinaryTrees,
    /// B7: rust-cc's binary trees with parent pointers (every tree is cyclic).
    ParentTrees,
    /// B8: Boehm's GCBench (top-down and bottom-up trees).
    GcBench,
    /// B9a: rust-cc's stress test (random graph, roots dropped in steps).
    Stress,
    /// B9b: dumpster's Multiref (random create / link / drop operations).
    Multiref,
    /// B10: a large long-lived tree plus steady cyclic garbage; pause times.
    Pause,
    /// B11: small-object mixes on the raw allocator (pymalloc against malloc).
    Alloc,
    /// B11 on every core at once (two threads here): the global allocators' thread safety,
    /// and one `PyMalloc` per thread as pymem's heaps use them.
    AllocThreads,
    /// B13: weak references created, upgraded and dropped.
    Weak,
    /// B12a: B1 churn, on the rows that compare tracing off and on.
    TraceChurn,
    /// B12b: B2 bulk, on the rows that compare tracing off and on.
    TraceBulk,
    /// B12c: B6 binary-trees, on the rows that compare tracing off and on.
    TraceBinaryTrees,
}

impl Workload {
    /// Every workload, in table order.
    pub const ALL: [Workload; 17] = [
        Workload::Churn,
        Workload::Bulk,
        Workload::Cycles,
        Workload::Rings,
        Workload::Traverse,
        Workload::BinaryTrees,
        Workload::ParentTrees,
        Workload::GcBench,
        Workload::Stress,
        Workload::Multiref,
        Workload::Pause,
        Workload::Alloc,
        Workload::AllocThreads,
        Workload::TraceChurn,
        Workload::TraceBulk,
        Workload::TraceBinaryTrees,
        Workload::Weak,
    ];

    /// Whether the workload measures a raw allocator (B11) rather than a memory manager.
    pub fn is_allocator_only(self) -> bool {
        matches!(self, Workload::Alloc | Workload::AllocThreads)
    }

    /// Whether the workload is one of B12's: B1, B2 or B6 on the rows that compare tracing
    /// off and on (tracing rows run nothing else).
    pub fn is_traced(self) -> bool {
        self != self.base()
    }

    /// The workload a B12 workload runs (itself for the others).
    pub fn base(self) -> Workload {
        match self {
            Workload::TraceChurn => Workload::Churn,
            Workload::TraceBulk => Workload::Bulk,
            Workload::TraceBinaryTrees => Workload::BinaryTrees,
            other => other,
        }
    }

    /// Threads the workload runs on.
    pub const THREADS: usize = 2;

    /// The name used on command lines, in CSV files and by `python/workloads.py`.
    pub fn name(self) -> &'static str {
        match self {
            Workload::Churn => "churn",
            Workload::Bulk => "bulk",
            Workload::Cycles => "cycles",
            Workload::Rings => "rings",
            Workload::Traverse => "traverse",
            Workload::BinaryTrees => "bintrees",
            Workload::ParentTrees => "parenttrees",
            Workload::GcBench => "gcbench",
            Workload::Stress => "stress",
            Workload::Multiref => "multiref",
            Workload::Pause => "pause",
            Workload::Alloc => "alloc",
            Workload::AllocThreads => "alloc-mt",
            Workload::Weak => "weak",
            Workload::TraceChurn => "trace-churn",
            Workload::TraceBulk => "trace-bulk",
            Workload::TraceBinaryTrees => "trace-bintrees",
        }
    }

    /// The id in `docs/benchmarks.md`.
    pub fn id(self) -> &'static str {
        match self {
            Workload::Churn => "B1",
            Workload::Bulk => "B2",
            Workload::Cycles => "B3",
            Workload::Rings => "B4",
            Workload::Traverse => "B5",
            Workload::BinaryTrees => "B6",
            Workload::ParentTrees => "B7",
            Workload::GcBench => "B8",
            Workload::Stress => "B9a",
            Workload::Multiref => "B9b",
            Workload::Pause => "B10",
            Workload::Alloc => "B11",
            Workload::AllocThreads => "B11mt",
            Workload::Weak => "B13",
            Workload::TraceChurn => "B12a",
            Workload::TraceBulk => "B12b",
            Workload::TraceBinaryTrees => "B12c",
        }
    }

    /// Parses [`Workload::name`].
    pub fn from_name(name: &str) -> Option<Workload> {
        Workload::ALL.into_iter().find(|w| w.name() == name)
    }

    /// What `n` means for this workload, for the tables.
    pub fn size_meaning(self) -> &'static str {
        match self {
            Workload::Churn | Workload::Multiref | Workload::Weak => "operations",
            Workload::Bulk => "live nodes",
            Workload::Cycles => "2-node cycles",
            Workload::Rings => "collections of 100 rings x 21 nodes",
            Workload::Traverse => "levels (edges = n(n-1)/2)",
            Workload::BinaryTrees | Workload::ParentTrees | Workload::GcBench => "max depth",
            Workload::Stress => "nodes (and random edges)",
            Workload::Pause => "long-lived tree depth (2^(n+1) - 1 nodes)",
            Workload::Alloc => "block allocations (LIFO, FIFO, random: a third each)",
            Workload::AllocThreads => "block allocations per thread, 2 threads",
            Workload::TraceChurn => "operations",
            Workload::TraceBulk => "live nodes",
            Workload::TraceBinaryTrees => "max depth",
        }
    }
}
