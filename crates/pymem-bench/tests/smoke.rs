//! Every workload on every peer at a tiny size: all peers must report the same checksum,
//! allocate the same number of objects, and have freed all of them by the end. No timing.

use pymem_bench::{Peer, Workload, run};

fn tiny(w: Workload) -> usize {
    match w {
        Workload::Churn | Workload::Bulk | Workload::Weak => 200,
        Workload::Cycles => 50,
        Workload::Rings => 2,
        Workload::Traverse => 40,
        Workload::BinaryTrees | Workload::ParentTrees => 6,
        Workload::GcBench => 4,
        Workload::Stress => 64,
        Workload::Multiref => 2000,
        Workload::Pause => 6,
        Workload::Alloc | Workload::AllocThreads => 3000,
        Workload::TraceChurn | Workload::TraceBulk => 200,
        Workload::TraceBinaryTrees => 6,
    }
}

fn check(w: Workload) {
    let n = tiny(w);
    let mut reference: Option<(Peer, u64, u64)> = None;
    for peer in Peer::ALL {
        let Some(out) = run(peer, w, n) else { continue };
        assert_eq!(
            out.freed,
            out.allocated,
            "{}: {} left objects alive",
            w.name(),
            peer.name()
        );
        assert!(
            out.allocated > 0 || w == Workload::Weak,
            "{} allocated nothing",
            peer.name()
        );
        match reference {
            None => reference = Some((peer, out.checksum, out.allocated)),
            Some((first, checksum, allocated)) => {
                let what = format!("{} on {} vs {}", w.name(), peer.name(), first.name());
                assert_eq!(out.checksum, checksum, "checksum of {what}");
                assert_eq!(out.allocated, allocated, "allocations of {what}");
            }
        }
    }
    assert!(reference.is_some(), "no peer ran {}", w.name());
}

macro_rules! smoke {
    ($($name:ident => $w:expr),* $(,)?) => {$(
        #[test]
        fn $name() {
            check($w);
        }
    )*};
}

smoke! {
    b1_churn => Workload::Churn,
    b2_bulk => Workload::Bulk,
    b3_cycles => Workload::Cycles,
    b4_rings => Workload::Rings,
    b5_traverse => Workload::Traverse,
    b6_binary_trees => Workload::BinaryTrees,
    b7_parent_trees => Workload::ParentTrees,
    b8_gcbench => Workload::GcBench,
    b9a_stress => Workload::Stress,
    b9b_multiref => Workload::Multiref,
    b10_pause => Workload::Pause,
    b11_alloc => Workload::Alloc,
    b11mt_alloc_threads => Workload::AllocThreads,
    b12a_trace_churn => Workload::TraceChurn,
    b12b_trace_bulk => Workload::TraceBulk,
    b12c_trace_bintrees => Workload::TraceBinaryTrees,
    b13_weak => Workload::Weak,
}

#[test]
fn every_workload_runs_on_the_expected_peers() {
    let weak: Vec<&str> = Peer::ALL
        .into_iter()
        .filter(|&p| run(p, Workload::Weak, 10).is_some())
        .map(Peer::name)
        .collect();
    assert_eq!(weak, ["rc", "pymem", "rust-cc", "bacon_rajan_cc"]);
    let alloc: Vec<&str> = Peer::ALL
        .into_iter()
        .filter(|&p| run(p, Workload::Alloc, 30).is_some())
        .map(Peer::name)
        .collect();
    assert_eq!(alloc, ["malloc", "pymalloc"]);
    assert!(run(Peer::Malloc, Workload::Churn, 10).is_none());
    let pause: Vec<&str> = Peer::ALL
        .into_iter()
        .filter(|&p| run(p, Workload::Pause, 4).is_some())
        .map(Peer::name)
        .collect();
    assert_eq!(pause, ["pymem", "rust-cc", "dumpster", "gc"]);
}

/// CPython runs `python/workloads.py`: at tiny sizes its checksums and allocation counts
/// must equal the Rust peers' (skipped, with a message, when `python3` is missing).
#[test]
fn cpython_does_the_same_work() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/python/workloads.py");
    let probe = std::process::Command::new("python3")
        .arg("--version")
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: python3 is not installed");
        return;
    }
    // B11 measures raw allocators, which Python cannot drive.
    for w in Workload::ALL.into_iter().filter(|w| !w.is_allocator_only()) {
        let n = tiny(w);
        let out = std::process::Command::new("python3")
            .env("PYMEM_BENCH_COUNT", "1")
            .args([script, w.name(), &n.to_string()])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}: {}",
            w.name(),
            String::from_utf8_lossy(&out.stderr)
        );
        let line = String::from_utf8_lossy(&out.stdout);
        let field = |key: &str| {
            line.split_whitespace()
                .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('=')?.parse::<u64>().ok())
        };
        let rust = run(Peer::Pymem, w, n).expect("pymem runs every workload");
        assert_eq!(
            field("checksum"),
            Some(rust.checksum),
            "{}: CPython's checksum",
            w.name()
        );
        assert_eq!(
            field("allocated"),
            Some(rust.allocated),
            "{}: CPython's allocations",
            w.name()
        );
    }
}
