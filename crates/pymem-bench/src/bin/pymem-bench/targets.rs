//! The targets of issue 3, checked on each run: each line says met or MISSED, with the
//! figures it compared.

use std::time::Duration;

use pymem_bench::{Peer, Workload};

use crate::report::Row;

fn find<'r, 'c>(rows: &'r [Row<'c>], peer: &str, alloc: &str) -> Option<&'r Row<'c>> {
    rows.iter()
        .find(|r| r.cell.peer == peer && r.cell.alloc == alloc)
}

fn verdict(ok: bool) -> &'static str {
    if ok { "met" } else { "MISSED" }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Target lines for workload `w` (empty where issue 3 sets none).
pub(crate) fn check(w: Workload, rows: &[Row<'_>]) -> Vec<String> {
    let pymem = find(rows, "pymem", "glibc");
    let rc = find(rows, "rc", "glibc");
    match w {
        Workload::Churn | Workload::BinaryTrees => at_most_rc(w, pymem, rc),
        Workload::TraceChurn | Workload::TraceBulk | Workload::TraceBinaryTrees => tracing(w, rows),
        Workload::Cycles => cycles(pymem, rows),
        Workload::Traverse => traverse(pymem, rows),
        Workload::Pause => pause(pymem, find(rows, "cpython-3.13", "pymalloc")),
        Workload::Alloc => alloc(rows),
        Workload::AllocThreads => global_lock(rows),
        _ => Vec::new(),
    }
}

fn at_most_rc(w: Workload, pymem: Option<&Row<'_>>, rc: Option<&Row<'_>>) -> Vec<String> {
    let (Some(p), Some(r)) = (pymem.and_then(Row::ir), rc.and_then(Row::ir)) else {
        return vec![];
    };
    vec![format!(
        "{} {}: pymem instructions <= Rc's on glibc: {} ({:.1}M vs {:.1}M, {:.2}x)",
        w.id(),
        w.name(),
        verdict(p <= r),
        p as f64 / 1e6,
        r as f64 / 1e6,
        p as f64 / r as f64
    )]
}

/// The best collector other than pymem and the hand-breaking `Rc` floor.
fn best_other<'r, 'c>(
    rows: &'r [Row<'c>],
    key: impl Fn(&Row<'c>) -> Option<f64>,
) -> Option<(f64, &'r str)> {
    let others = rows.iter().filter(|r| {
        r.cell.is_rust()
            && !r.cell.is_pymem()
            && r.cell.peer != Peer::Rc.name()
            && r.cell.alloc == "glibc"
    });
    others
        .filter_map(|r| Some((key(r)?, r.cell.peer.as_str())))
        .min_by(|a, b| a.0.total_cmp(&b.0))
}

fn cycles(pymem: Option<&Row<'_>>, rows: &[Row<'_>]) -> Vec<String> {
    let Some(p) = pymem.and_then(Row::ir) else {
        return vec![];
    };
    let Some((best, name)) = best_other(rows, |r| r.ir().map(|v| v as f64)) else {
        return vec![];
    };
    let ratio = p as f64 / best;
    vec![format!(
        "B3 cycles: pymem instructions <= 0.7x the best collector's on glibc ({name}): {} ({ratio:.2}x)",
        verdict(ratio <= 0.7)
    )]
}

fn traverse(pymem: Option<&Row<'_>>, rows: &[Row<'_>]) -> Vec<String> {
    let Some(p) = pymem.and_then(|r| r.wall_min(Workload::Traverse)) else {
        return vec![];
    };
    let Some((best, name)) = best_other(rows, |r| r.wall_min(Workload::Traverse).map(ms)) else {
        return vec![];
    };
    vec![format!(
        "B5 traverse: pymem's collection below every peer's on glibc: {} ({:.3} ms vs {name} {best:.3} ms)",
        verdict(ms(p) < best),
        ms(p)
    )]
}

fn pause(pymem: Option<&Row<'_>>, cpython: Option<&Row<'_>>) -> Vec<String> {
    let Some(p) = pymem.and_then(Row::pauses) else {
        return vec![];
    };
    let mut lines = Vec::new();
    if let Some(full) = p.full_collect {
        lines.push(format!(
            "B10 full collection of the long-lived heap <= 15 ms: {} ({:.2} ms)",
            verdict(ms(full) <= 15.0),
            ms(full)
        ));
    }
    if let Some(c) = cpython.and_then(Row::pauses) {
        lines.push(format!(
            "B10 young pauses: pymem p99 <= CPython 3.13's: {} ({:.3} ms vs {:.3} ms)",
            verdict(p.p99 <= c.p99),
            ms(p.p99),
            ms(c.p99)
        ));
        lines.push(format!(
            "B10 share of time in the collector below CPython 3.13's: {} ({:.1}% vs {:.1}%)",
            verdict(p.share < c.share),
            p.share * 100.0,
            c.share * 100.0
        ));
    }
    lines
}

/// Issue 5's B11 targets: pymalloc at least 1.5x faster than glibc's malloc and within
/// 1.1x of mimalloc, in instructions and in wall-clock minimum.
fn alloc(rows: &[Row<'_>]) -> Vec<String> {
    let Some(pool) = find(rows, "pymalloc", "glibc") else {
        return vec![];
    };
    let mut lines = Vec::new();
    for (what, key) in [
        (
            "instructions",
            &(|r: &Row<'_>| r.ir().map(|v| v as f64)) as &dyn Fn(&Row<'_>) -> Option<f64>,
        ),
        ("wall min", &|r: &Row<'_>| {
            r.wall_min(Workload::Alloc).map(ms)
        }),
    ] {
        let Some(p) = key(pool) else { continue };
        for (alloc, bound, rule) in [
            ("glibc", 1.0 / 1.5, "<= 1/1.5x"),
            ("mimalloc", 1.1, "<= 1.1x"),
        ] {
            let Some(m) = find(rows, "malloc", alloc).and_then(key) else {
                continue;
            };
            let ratio = p / m;
            lines.push(format!(
                "B11 alloc: pymalloc {what} {rule} malloc/{alloc}'s: {} ({ratio:.2}x)",
                verdict(ratio <= bound)
            ));
        }
    }
    lines
}

/// Issue 5: the global adapter's lock must not make threaded programs slower than glibc
/// without the table saying so; this line says it either way.
fn global_lock(rows: &[Row<'_>]) -> Vec<String> {
    let wall =
        |alloc: &str| find(rows, "malloc", alloc).and_then(|r| r.wall_min(Workload::AllocThreads));
    let (Some(global), Some(glibc)) = (wall("pymalloc"), wall("glibc")) else {
        return vec![];
    };
    let ratio = global.as_secs_f64() / glibc.as_secs_f64();
    vec![format!(
        "B11mt: GlobalPyMalloc (one lock) on {} threads vs glibc, wall min: {ratio:.2}x ({})",
        Workload::THREADS,
        if ratio <= 1.0 {
            "not slower"
        } else {
            "SLOWER: documented in docs/benchmarks.md"
        }
    )]
}

/// Issue 6's B12 target: tracing at one frame costs at most 1.5x the untraced run (on
/// churn and binary-trees); 25 frames and CPython's own ratios reported beside it.
fn tracing(w: Workload, rows: &[Row<'_>]) -> Vec<String> {
    let ratio = |traced: &str, plain: &str, alloc: &str, key: &dyn Fn(&Row<'_>) -> Option<f64>| {
        let t = find(rows, traced, alloc).and_then(key)?;
        let p = find(rows, plain, alloc).and_then(key)?;
        Some(t / p)
    };
    let ir = |r: &Row<'_>| r.ir().map(|v| v as f64);
    let wall = |r: &Row<'_>| r.wall_min(w).map(ms);
    let mut lines = Vec::new();
    for (what, key) in [
        ("instructions", &ir as &dyn Fn(&Row<'_>) -> Option<f64>),
        ("wall min", &wall),
    ] {
        let cases = [
            ("pymem-trace1", "pymem", "glibc"),
            ("pymem-trace25", "pymem", "glibc"),
            ("cpython-3.13-tm1", "cpython-3.13", "pymalloc"),
            ("cpython-3.13-tm25", "cpython-3.13", "pymalloc"),
        ];
        let shown: Vec<String> = cases
            .iter()
            .filter_map(|&(t, p, a)| Some(format!("{t} {:.2}x", ratio(t, p, a, key)?)))
            .collect();
        if shown.is_empty() {
            continue;
        }
        let gate = ratio("pymem-trace1", "pymem", "glibc", key);
        let verdict_text = match gate {
            Some(r) if w != Workload::TraceBulk => format!("{}: ", verdict(r <= 1.5)),
            _ => String::new(),
        };
        lines.push(format!(
            "B12 on {} {}: tracing costs (traced / untraced, {what}): {verdict_text}{}",
            w.id(),
            w.name(),
            shown.join(", ")
        ));
    }
    lines
}
