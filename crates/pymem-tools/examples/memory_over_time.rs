//! Memory over time for a pymem program, the memory_profiler way:
//! `cargo run -p pymem-tools --example memory_over_time -- [out-dir]` records a run with the
//! sampler, prints a line-by-line table for `build` and one line per collection, and writes
//! `mprofile.dat`, `memory.svg` and `memory.png` to `out-dir` (default: the temp dir).

use std::cell::RefCell;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use pymem::{Gc, Trace};
use pymem_tools::line_profile::{Backend, LineProfiler};
use pymem_tools::published::{Gauges, Publisher};
use pymem_tools::report::Reporter;
use pymem_tools::sampler::Sampler;
use pymem_tools::{mprof, plot};

#[derive(Trace)]
struct Node {
    next: RefCell<Option<Gc<Node>>>,
    payload: [u64; 6],
}

fn node(next: Option<Gc<Node>>) -> Gc<Node> {
    Gc::new(Node {
        next: RefCell::new(next),
        payload: [0; 6],
    })
}

/// Builds a list, a pile of cycles, then drops the cycles: the table shows each line's share
/// (from the `fn` line to `p.finish()`, 7 lines below it).
#[rustfmt::skip] // one statement per line: the table shows them by line
fn build() -> (Vec<Gc<Node>>, LineProfiler) {
    let mut p = LineProfiler::new(file!(), SOURCE, line!() - 1, line!() + 6, Backend::Heap);
    p.line(line!()); let list: Vec<_> = (0..50_000).map(|_| node(None)).collect();
    p.line(line!()); let cycles: Vec<_> = (0..30_000).map(|_| node(None)).collect();
    p.line(line!()); cycles.iter().for_each(|n| *n.next.borrow_mut() = Some(n.clone()));
    p.line(line!()); drop(cycles);
    p.line(line!()); pymem::gc::collect();
    p.finish();
    (list, p)
}

const SOURCE: &str = include_str!("memory_over_time.rs");

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .map_or_else(std::env::temp_dir, PathBuf::from);
    let publisher = Publisher::install(Arc::new(Gauges::default()));
    let _reporter = Reporter::to_stderr();
    let sampler = Sampler::start(
        publisher.gauges().clone(),
        Duration::from_millis(10),
        "memory_over_time",
    );
    let (kept, profiler) = sampler.profile("memory_over_time.build", build);
    publisher.publish();
    std::thread::sleep(Duration::from_millis(30));
    let recording = sampler.stop();
    print!("{}", profiler.report(3));
    std::fs::write(dir.join("mprofile.dat"), mprof::to_dat(&recording))?;
    std::fs::write(
        dir.join("memory.svg"),
        plot::svg(&recording, "memory_over_time", (900, 500))?,
    )?;
    std::fs::write(
        dir.join("memory.png"),
        plot::png(&recording, "memory_over_time", (900, 500))?,
    )?;
    println!(
        "{} samples, {} collections, {} kept; wrote {}",
        recording.samples.len(),
        recording.collections.len(),
        kept.len(),
        dir.display()
    );
    Ok(())
}
