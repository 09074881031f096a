//! Command line and sizes.

use std::collections::HashMap;

use pymem_bench::{Peer, Workload};

/// What one invocation measures.
pub(crate) struct Config {
    pub(crate) quick: bool,
    pub(crate) workloads: Vec<Workload>,
    pub(crate) peers: Vec<Peer>,
    pub(crate) allocators: Vec<&'static str>,
    pub(crate) rounds: usize,
    pub(crate) callgrind: bool,
    pub(crate) cpython: bool,
    pub(crate) csv: String,
    sizes: HashMap<Workload, usize>,
}

pub(crate) const USAGE: &str = "usage: pymem-bench [--quick] [--only w1,w2] [--peers p1,p2] \
[--allocators glibc,mimalloc,jemalloc,pymalloc] [--rounds N] [--size workload=n] [--no-callgrind] \
[--no-cpython] [--csv PATH]";

/// Wall-clock sizes: `docs/benchmarks.md`'s (full) and about a tenth of the work (quick).
fn wall_size(w: Workload, quick: bool) -> usize {
    let (full, quick_n) = match w {
        Workload::Churn => (1_000_000, 200_000),
        Workload::Bulk => (1_000_000, 200_000),
        Workload::Cycles => (100_000, 20_000),
        Workload::Rings => (20, 5),
        Workload::Traverse => (1000, 1000),
        Workload::BinaryTrees => (16, 13),
        Workload::ParentTrees => (11, 9),
        Workload::GcBench => (16, 12),
        Workload::Stress => (32_768, 8192),
        Workload::Multiref => (1_000_000, 200_000),
        Workload::Pause => (19, 16),
        Workload::Alloc => (3_000_000, 600_000),
        Workload::AllocThreads => (3_000_000, 600_000),
        // Tracing at 25 frames costs about 150x (unwinding): sizes a run can wait for.
        Workload::TraceChurn => (200_000, 50_000),
        Workload::TraceBulk => (200_000, 50_000),
        Workload::TraceBinaryTrees => (12, 10),
        Workload::Weak => (1_000_000, 200_000),
    };
    if quick { quick_n } else { full }
}

/// Callgrind sizes (`docs/benchmarks.md` §4.2 where it gives one).
pub(crate) fn callgrind_size(w: Workload, quick: bool) -> usize {
    match w {
        Workload::Churn | Workload::Bulk | Workload::Multiref | Workload::Weak => 100_000,
        Workload::Cycles => 20_000,
        Workload::Rings => 2,
        Workload::Traverse => {
            if quick {
                300
            } else {
                1000
            }
        }
        Workload::BinaryTrees => 12,
        Workload::ParentTrees => 8,
        Workload::GcBench => 10,
        Workload::Stress => 4096,
        Workload::Pause => 14,
        Workload::Alloc | Workload::AllocThreads => 300_000,
        Workload::TraceChurn | Workload::TraceBulk => 20_000,
        Workload::TraceBinaryTrees => 8,
    }
}

impl Config {
    pub(crate) fn size(&self, w: Workload) -> usize {
        self.sizes
            .get(&w)
            .copied()
            .unwrap_or_else(|| wall_size(w, self.quick))
    }

    pub(crate) fn parse(args: &[String]) -> Result<Config, String> {
        let quick = args.iter().any(|a| a == "--quick");
        let mut config = Config {
            quick,
            workloads: Workload::ALL.to_vec(),
            peers: Peer::ALL.to_vec(),
            allocators: if quick {
                vec!["glibc"]
            } else {
                vec!["glibc", "mimalloc", "jemalloc", "pymalloc"]
            },
            rounds: if quick { 3 } else { 7 },
            callgrind: true,
            cpython: true,
            csv: String::from("target/pymem-bench/results.csv"),
            sizes: HashMap::new(),
        };
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            let mut value = || it.next().cloned().ok_or(format!("{arg} needs a value"));
            match arg.as_str() {
                "--quick" => {}
                "--no-callgrind" => config.callgrind = false,
                "--no-cpython" => config.cpython = false,
                "--only" => config.workloads = list(&value()?, Workload::from_name)?,
                "--peers" => config.peers = list(&value()?, Peer::from_name)?,
                "--allocators" => config.allocators = list(&value()?, allocator)?,
                "--rounds" => config.rounds = value()?.parse().map_err(|_| "--rounds N")?,
                "--csv" => config.csv = value()?,
                "--size" => config.set_size(&value()?)?,
                "-h" | "--help" => return Err(USAGE.into()),
                other => return Err(format!("unknown argument {other}\n{USAGE}")),
            }
        }
        Ok(config)
    }

    fn set_size(&mut self, spec: &str) -> Result<(), String> {
        let (w, n) = spec.split_once('=').ok_or("--size workload=n")?;
        let w = Workload::from_name(w).ok_or(format!("unknown workload {w}"))?;
        self.sizes
            .insert(w, n.parse().map_err(|_| format!("bad size {n}"))?);
        Ok(())
    }
}

fn allocator(name: &str) -> Option<&'static str> {
    ["glibc", "mimalloc", "jemalloc", "pymalloc"]
        .into_iter()
        .find(|a| *a == name)
}

fn list<T>(csv: &str, parse: impl Fn(&str) -> Option<T>) -> Result<Vec<T>, String> {
    csv.split(',')
        .map(|s| parse(s.trim()).ok_or(format!("unknown name {s}")))
        .collect()
}
