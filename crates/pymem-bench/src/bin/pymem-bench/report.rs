//! Per-workload tables, target checks and CSV rows.

use std::fmt::Write as _;
use std::time::Duration;

use pymem_bench::Workload;

use crate::cells::{Cell, Record};

/// Everything measured for one cell on one workload.
pub(crate) struct Row<'a> {
    pub(crate) cell: &'a Cell,
    pub(crate) instructions: Option<Result<u64, String>>,
    pub(crate) runs: Vec<Record>,
    pub(crate) error: Option<String>,
    pub(crate) unsupported: bool,
}

/// The wall-clock quantity a workload is judged by.
fn primary_phase(w: Workload) -> &'static str {
    match w {
        Workload::Rings | Workload::Traverse => "collect",
        Workload::Pause => "steady",
        _ => "total",
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn median(mut v: Vec<Duration>) -> Option<Duration> {
    v.sort();
    v.get(v.len() / 2).copied()
}

impl Row<'_> {
    fn phase_all(&self, phase: &str) -> Vec<Duration> {
        self.runs.iter().filter_map(|r| r.phase(phase)).collect()
    }

    pub(crate) fn wall_min(&self, w: Workload) -> Option<Duration> {
        self.phase_all(primary_phase(w)).into_iter().min()
    }

    fn wall_median(&self, w: Workload) -> Option<Duration> {
        median(self.phase_all(primary_phase(w)))
    }

    fn rss_kib(&self) -> Option<u64> {
        let mut v: Vec<u64> = self.runs.iter().filter_map(Record::hwm_kib).collect();
        v.sort();
        v.get(v.len() / 2).copied()
    }

    pub(crate) fn ir(&self) -> Option<u64> {
        self.instructions.as_ref()?.as_ref().ok().copied()
    }

    /// Pauses of the run with the median steady phase (B10).
    pub(crate) fn pauses(&self) -> Option<PauseStats> {
        let mut runs: Vec<&Record> = self.runs.iter().filter(|r| r.pauses().is_some()).collect();
        runs.sort_by_key(|r| r.phase("steady"));
        let run = runs.get(runs.len() / 2)?;
        PauseStats::of(
            run.pauses()?,
            run.phase("steady")?,
            run.phase("full_collect"),
        )
    }

    pub(crate) fn checksum(&self) -> Option<u64> {
        self.runs.first().and_then(Record::checksum)
    }
}

/// B10's figures for one run.
pub(crate) struct PauseStats {
    pub(crate) count: usize,
    pub(crate) p50: Duration,
    pub(crate) p99: Duration,
    pub(crate) max: Duration,
    /// Time in collections / steady-phase time.
    pub(crate) share: f64,
    pub(crate) full_collect: Option<Duration>,
}

impl PauseStats {
    fn of(
        mut pauses: Vec<Duration>,
        steady: Duration,
        full_collect: Option<Duration>,
    ) -> Option<PauseStats> {
        pauses.sort();
        let at = |q: f64| {
            pauses
                .get(((pauses.len() as f64 - 1.0) * q).round() as usize)
                .copied()
                .unwrap_or_default()
        };
        let total: Duration = pauses.iter().sum();
        Some(PauseStats {
            count: pauses.len(),
            p50: at(0.5),
            p99: at(0.99),
            max: pauses.last().copied().unwrap_or_default(),
            share: total.as_secs_f64() / steady.as_secs_f64().max(1e-12),
            full_collect,
        })
    }
}

fn best<T: PartialOrd + Copy>(values: impl Iterator<Item = Option<T>>) -> Option<T> {
    values.flatten().fold(None, |b, v| match b {
        Some(b) if b <= v => Some(b),
        _ => Some(v),
    })
}

fn ratio(value: Option<f64>, best: Option<f64>) -> String {
    match (value, best) {
        (Some(v), Some(b)) if b > 0.0 => format!("{:.2}", v / b),
        _ => "-".into(),
    }
}

fn fmt_ir(ir: &Option<Result<u64, String>>) -> String {
    match ir {
        None => "-".into(),
        Some(Ok(v)) => format!("{:.1}M", *v as f64 / 1e6),
        Some(Err(_)) => "error".into(),
    }
}

fn fmt_ms(d: Option<Duration>) -> String {
    d.map_or("-".into(), |d| format!("{:.3}", ms(d)))
}

/// The table for one workload.
pub(crate) fn table(w: Workload, n: usize, cg_n: usize, rows: &[Row<'_>]) -> String {
    let mut out = String::new();
    let phase = primary_phase(w);
    let _ = writeln!(
        out,
        "\n### {} {} (n = {n} {}; callgrind n = {cg_n}; wall = {phase} phase, ms)\n",
        w.id(),
        w.name(),
        w.size_meaning()
    );
    let best_ir = best(rows.iter().map(|r| r.ir().map(|v| v as f64)));
    let best_wall = best(rows.iter().map(|r| r.wall_min(w).map(ms)));
    let best_rss = best(rows.iter().map(|r| r.rss_kib().map(|v| v as f64)));
    let _ = writeln!(
        out,
        "| peer | allocator | instructions | ×best | wall min | wall median | ×best | peak RSS MiB | ×best |{}",
        if w == Workload::Pause {
            " pauses | p50 ms | p99 ms | max ms | GC share | full collect ms |"
        } else {
            ""
        }
    );
    let _ = writeln!(
        out,
        "|---|---|---|---|---|---|---|---|---|{}",
        if w == Workload::Pause {
            "---|---|---|---|---|---|"
        } else {
            ""
        }
    );
    for row in rows {
        let name = if row.cell.is_pymem() {
            format!("**{}**", row.cell.peer)
        } else {
            row.cell.peer.clone()
        };
        if row.unsupported {
            let _ = writeln!(
                out,
                "| {name} | {} | n/a (not supported by this peer) |",
                row.cell.alloc
            );
            continue;
        }
        if let Some(err) = &row.error {
            let _ = writeln!(out, "| {name} | {} | error: {err} |", row.cell.alloc);
            continue;
        }
        let rss = row.rss_kib().map(|k| k as f64);
        let _ = write!(
            out,
            "| {name} | {} | {} | {} | {} | {} | {} | {} | {} |",
            row.cell.alloc,
            fmt_ir(&row.instructions),
            ratio(row.ir().map(|v| v as f64), best_ir),
            fmt_ms(row.wall_min(w)),
            fmt_ms(row.wall_median(w)),
            ratio(row.wall_min(w).map(ms), best_wall),
            rss.map_or("-".into(), |k| format!("{:.1}", k / 1024.0)),
            ratio(rss, best_rss),
        );
        if w == Workload::Pause {
            match row.pauses() {
                Some(p) => {
                    let _ = write!(
                        out,
                        " {} | {:.3} | {:.3} | {:.3} | {:.1}% | {} |",
                        p.count,
                        ms(p.p50),
                        ms(p.p99),
                        ms(p.max),
                        p.share * 100.0,
                        fmt_ms(p.full_collect)
                    );
                }
                None => out.push_str(" - | - | - | - | - | - |"),
            }
        }
        out.push('\n');
    }
    out
}

/// CSV rows (`workload,peer,allocator,metric,value`) for one workload.
pub(crate) fn csv(w: Workload, rows: &[Row<'_>]) -> String {
    let mut out = String::new();
    let best_ir = best(rows.iter().map(|r| r.ir().map(|v| v as f64)));
    let best_wall = best(rows.iter().map(|r| r.wall_min(w).map(ms)));
    for row in rows.iter().filter(|r| !r.unsupported && r.error.is_none()) {
        let mut put = |metric: &str, value: String| {
            let _ = writeln!(
                out,
                "{},{},{},{metric},{value}",
                w.name(),
                row.cell.peer,
                row.cell.alloc
            );
        };
        if let Some(ir) = row.ir() {
            put("instructions", ir.to_string());
            put(
                "instructions_ratio_to_best",
                ratio(Some(ir as f64), best_ir),
            );
        }
        if let Some(min) = row.wall_min(w) {
            put("wall_min_ms", format!("{:.6}", ms(min)));
            put("wall_ratio_to_best", ratio(Some(ms(min)), best_wall));
        }
        if let Some(med) = row.wall_median(w) {
            put("wall_median_ms", format!("{:.6}", ms(med)));
        }
        if let Some(kib) = row.rss_kib() {
            put("peak_rss_kib", kib.to_string());
        }
        if let Some(sum) = row.checksum() {
            put("checksum", sum.to_string());
        }
        for phase in ["build", "collect", "full_collect"] {
            if let Some(d) = row.phase_all(phase).into_iter().min() {
                put(&format!("{phase}_min_ms"), format!("{:.6}", ms(d)));
            }
        }
        if let Some(p) = row.pauses() {
            put("pause_count", p.count.to_string());
            put("pause_p50_ms", format!("{:.6}", ms(p.p50)));
            put("pause_p99_ms", format!("{:.6}", ms(p.p99)));
            put("pause_max_ms", format!("{:.6}", ms(p.max)));
            put("gc_share", format!("{:.4}", p.share));
        }
    }
    out
}
