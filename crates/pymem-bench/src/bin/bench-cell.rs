//! Runs one workload on one peer in this process and prints one `key=value` line:
//! `bench-cell <peer> <workload> <n>`. The driver (`pymem-bench`) runs it as a fresh process
//! per measurement, under callgrind for instruction counts. Built once per global allocator
//! (features `mimalloc`, `jemalloc`, `pymalloc` for pymem-alloc's `GlobalPyMalloc`; glibc's
//! malloc otherwise).

#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(feature = "jemalloc")]
#[global_allocator]
static ALLOC: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[cfg(feature = "pymalloc")]
#[global_allocator]
static ALLOC: pymem_alloc::GlobalPyMalloc = pymem_alloc::GlobalPyMalloc::new();

use pymem_bench::{Peer, Workload, run};
use std::process::ExitCode;

/// The allocator this binary was built with.
fn allocator() -> &'static str {
    if cfg!(feature = "mimalloc") {
        "mimalloc"
    } else if cfg!(feature = "jemalloc") {
        "jemalloc"
    } else if cfg!(feature = "pymalloc") {
        "pymalloc"
    } else {
        "glibc"
    }
}

/// Peak resident set size in KiB (`VmHWM`), or 0 where /proc is unavailable.
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .unwrap_or("");
    line.split_whitespace()
        .nth(1)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let parsed = (args.len() == 4)
        .then(|| {
            Some((
                Peer::from_name(&args[1])?,
                Workload::from_name(&args[2])?,
                args[3].parse().ok()?,
            ))
        })
        .flatten();
    let Some((peer, workload, n)) = parsed else {
        eprintln!("usage: bench-cell <peer> <workload> <n>");
        return ExitCode::from(2);
    };
    match run(peer, workload, n) {
        Some(out) => {
            let line = out.to_line();
            println!("alloc={} {line} hwm_kib={}", allocator(), peak_rss_kib());
            ExitCode::SUCCESS
        }
        None => {
            println!("unsupported");
            ExitCode::SUCCESS
        }
    }
}
