//! `pymem-bench`: runs the suite of `docs/benchmarks.md` on pymem, its Rust peers (on
//! glibc, mimalloc and jemalloc) and CPython, and prints one table per workload. See
//! `docs/benchmarks.md` for the method, `--help` for the options.

mod build;
mod cells;
mod config;
mod report;
mod targets;

use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use pymem_bench::{Peer, Workload};

use cells::{Cell, Runner};
use config::Config;
use report::Row;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match Config::parse(&args) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    match run(&config) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(message) => {
            eprintln!("pymem-bench: {message}");
            ExitCode::from(2)
        }
    }
}

/// Runs everything; `Ok(false)` when checksums disagreed.
fn run(config: &Config) -> Result<bool, String> {
    let started = Instant::now();
    let cells = make_cells(config)?;
    println!("{}", header(config, &cells));
    let mut csv = String::from("workload,peer,allocator,metric,value\n");
    let (mut agreed, mut target_lines) = (true, Vec::new());
    for &w in &config.workloads {
        let rows = measure(config, &cells, w);
        agreed &= verify(w, &rows);
        println!(
            "{}",
            report::table(
                w,
                config.size(w),
                config::callgrind_size(w, config.quick),
                &rows
            )
        );
        target_lines.extend(targets::check(w, &rows));
        csv.push_str(&report::csv(w, &rows));
    }
    println!("\n### Targets (issue 3)\n");
    target_lines.iter().for_each(|l| println!("- {l}"));
    write_csv(&config.csv, &csv)?;
    println!(
        "\nCSV: {}\nDuration: {:.0} s",
        config.csv,
        started.elapsed().as_secs_f64()
    );
    Ok(agreed)
}

fn make_cells(config: &Config) -> Result<Vec<Cell>, String> {
    let mut cells = Vec::new();
    for alloc in &config.allocators {
        eprintln!("building bench-cell for {alloc} ...");
        let binary = build::build_cell(alloc)?;
        // The pools take their arenas from the system allocator whatever the global one is:
        // one row is enough.
        // The global-pymalloc binary is there for the allocator rows only.
        let peers = config.peers.iter().filter(|p| match *alloc {
            "glibc" => true,
            "pymalloc" => **p == Peer::Malloc,
            _ => **p != Peer::PyMalloc,
        });
        for &peer in peers {
            cells.push(Cell {
                peer: peer.name().into(),
                alloc: (*alloc).into(),
                runner: Runner::Rust {
                    peer,
                    binary: binary.clone(),
                },
                version: None,
            });
        }
    }
    if config.cpython {
        let script = build::root().join("crates/pymem-bench/python/workloads.py");
        for py in build::pythons() {
            // gc on and off; for 3.13 also tracemalloc at 1 and 25 frames (B12).
            let traced: &[_] = if py.minor == "3.13" {
                &[Some(1), Some(25)]
            } else {
                &[]
            };
            let variants = [(false, None), (true, None)]
                .into_iter()
                .chain(traced.iter().map(|&tm| (false, tm)));
            for (nogc, tracemalloc) in variants {
                let suffix = match (nogc, tracemalloc) {
                    (true, _) => "-nogc".to_string(),
                    (false, Some(n)) => format!("-tm{n}"),
                    (false, None) => String::new(),
                };
                let peer = format!("cpython-{}{suffix}", py.minor);
                let runner = Runner::Python {
                    program: py.program.clone(),
                    env: py.env.clone(),
                    script: script.clone(),
                    nogc,
                    tracemalloc,
                };
                cells.push(Cell {
                    peer,
                    alloc: "pymalloc".into(),
                    runner,
                    version: Some(py.version.clone()),
                });
            }
        }
    }
    Ok(cells)
}

/// Callgrind counts, then interleaved wall-clock rounds (shuffled order in each round).
fn measure<'c>(config: &Config, cells: &'c [Cell], w: Workload) -> Vec<Row<'c>> {
    let mut rows: Vec<Row<'c>> = cells
        .iter()
        .filter(|cell| cell.runs(w))
        .map(|cell| Row {
            cell,
            instructions: None,
            runs: Vec::new(),
            error: None,
            unsupported: false,
        })
        .collect();
    let timeout = Duration::from_secs(if config.quick { 120 } else { 900 });
    if config.callgrind {
        let cg_n = config::callgrind_size(w, config.quick);
        for row in rows
            .iter_mut()
            .filter(|r| r.cell.is_rust() || !config.quick)
        {
            eprintln!(
                "callgrind {} {}/{} n={cg_n}",
                w.name(),
                row.cell.peer,
                row.cell.alloc
            );
            row.instructions = row.cell.instructions(w, cg_n, timeout).transpose();
        }
    }
    let n = config.size(w);
    for round in 0..config.rounds {
        eprintln!(
            "{} {} round {}/{}",
            w.id(),
            w.name(),
            round + 1,
            config.rounds
        );
        for i in shuffled(rows.len(), round as u64 + 1) {
            let row = &mut rows[i];
            let python_done = !row.cell.is_rust() && round >= 3; // CPython: at most 3 rounds
            if row.unsupported || row.error.is_some() || python_done {
                continue;
            }
            match row.cell.run(w, n, timeout) {
                Ok(Some(record)) => row.runs.push(record),
                Ok(None) => row.unsupported = true,
                Err(e) => row.error = Some(e),
            }
        }
    }
    rows
}

/// A fixed pseudo-random permutation of `0..len` per round.
fn shuffled(len: usize, seed: u64) -> Vec<usize> {
    let mut rng = pymem_bench::prng::SplitMix64::new(seed);
    let mut order: Vec<usize> = (0..len).collect();
    for i in (1..len).rev() {
        order.swap(i, rng.below(i + 1));
    }
    order
}

/// All cells that ran must agree on the checksum; Rust cells also on allocations, and on
/// having freed everything.
fn verify(w: Workload, rows: &[Row<'_>]) -> bool {
    let mut ok = true;
    let reference = rows.iter().find_map(|r| {
        r.runs
            .first()
            .map(|run| (r, run.checksum(), run.allocated()))
    });
    let Some((first, checksum, allocated)) = reference else {
        return true;
    };
    for row in rows {
        for run in &row.runs {
            // Timed CPython runs do not count allocations (the smoke test checks those).
            let counts_ok =
                !row.cell.is_rust() || (run.allocated() == allocated && run.freed() == allocated);
            if run.checksum() != checksum || !counts_ok {
                eprintln!(
                    "CHECKSUM MISMATCH on {}: {} {} vs {} {}",
                    w.name(),
                    row.cell.peer,
                    row.cell.alloc,
                    first.cell.peer,
                    first.cell.alloc
                );
                ok = false;
            }
        }
    }
    ok
}

fn write_csv(path: &str, csv: &str) -> Result<(), String> {
    let path = build::root().join(path);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    }
    std::fs::write(&path, csv).map_err(|e| format!("{}: {e}", path.display()))
}

fn shell(cmd: &str) -> String {
    let out = Command::new("sh").args(["-c", cmd]).output();
    out.map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

fn header(config: &Config, cells: &[Cell]) -> String {
    let mut pythons: Vec<String> = cells.iter().filter_map(|c| c.version.clone()).collect();
    pythons.dedup();
    let peers: Vec<String> = Peer::ALL
        .iter()
        .map(|p| format!("{} ({})", p.name(), p.policy()))
        .collect();
    format!(
        "## pymem-bench {} run\n\n- date: {}\n- machine: {}, {} cores, {}\n- load before the run: {}\n- rustc: {}\n- valgrind: {}\n- allocators: {}\n- peers: {}\n- CPython: {}\n- rounds: {} (CPython at most 3); each wall-clock figure is a fresh process",
        if config.quick { "--quick" } else { "full" },
        shell("date -u '+%Y-%m-%d %H:%M UTC'"),
        shell("uname -sm"),
        shell("nproc"),
        shell("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"),
        shell("cut -d' ' -f1-3 /proc/loadavg"),
        shell("rustc --version"),
        shell("valgrind --version"),
        config.allocators.join(", "),
        peers.join("; "),
        if pythons.is_empty() {
            "none found".into()
        } else {
            pythons.join(", ")
        },
        config.rounds,
    )
}
