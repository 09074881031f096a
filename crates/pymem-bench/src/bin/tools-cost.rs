//! What pymem-tools costs the program it watches (docs/observability.md, "Costs"):
//! `tools-cost [rounds]`, or `tools-cost once <workload> <n> on|off` under callgrind.
//!
//! 1. The sampler at one sample per 100 ms (with its `Publisher`, whose gc callback runs
//!    after every collection) on B1 churn and B6 bintrees: wall-clock, interleaved rounds,
//!    with / without; min and median ratios.
//! 2. A Prometheus scrape of a 1M-object heap's metrics against one full collection of that
//!    heap, and the safe point (`Publisher::publish`, a walk of the pool headers).

use std::cell::RefCell;
use std::sync::Arc;
use std::time::{Duration, Instant};

use pymem::{Gc, Trace};
use pymem_bench::{Peer, Workload, run};
use pymem_tools::metrics::{registry, render};
use pymem_tools::published::{Gauges, Publisher};
use pymem_tools::sampler::Sampler;

fn timed(f: impl FnOnce()) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}

fn run_once(workload: Workload, n: usize, sampled: bool) -> Duration {
    let watch = sampled.then(|| {
        let publisher = Publisher::install(Arc::new(Gauges::default()));
        let sampler = Sampler::start(publisher.gauges().clone(), Duration::from_millis(100), "");
        (publisher, sampler)
    });
    let elapsed = timed(|| {
        std::hint::black_box(run(Peer::Pymem, workload, n));
    });
    if let Some((publisher, sampler)) = watch {
        let recording = sampler.stop();
        std::hint::black_box(recording.samples.len());
        drop(publisher);
    }
    elapsed
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn sampler_cost(name: &str, workload: Workload, n: usize, rounds: usize) {
    let (mut off, mut on) = (Vec::new(), Vec::new());
    run_once(workload, n, false); // warm-up: the heap's pools and arenas
    for round in 0..rounds {
        let order = if round % 2 == 0 {
            [false, true]
        } else {
            [true, false]
        };
        for sampled in order {
            let t = run_once(workload, n, sampled).as_secs_f64() * 1e3;
            if sampled { on.push(t) } else { off.push(t) }
        }
    }
    let min = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
    let (min_off, min_on) = (min(&off), min(&on));
    let (med_off, med_on) = (median(off), median(on));
    println!(
        "| {name} n={n} | {min_off:.2} | {min_on:.2} | {:+.2}% | {med_off:.2} | {med_on:.2} | {:+.2}% |",
        (min_on / min_off - 1.0) * 100.0,
        (med_on / med_off - 1.0) * 100.0
    );
}

#[derive(Trace)]
struct Node {
    next: RefCell<Option<Gc<Node>>>,
}

fn scrape_cost(objects: usize, rounds: usize) {
    let publisher = Publisher::install(Arc::new(Gauges::default()));
    let registry = registry(publisher.gauges().clone());
    let heap: Vec<Gc<Node>> = (0..objects)
        .map(|_| {
            Gc::new(Node {
                next: RefCell::new(None),
            })
        })
        .collect();
    pymem::gc::collect();
    let best = |f: &mut dyn FnMut()| {
        (0..rounds)
            .map(|_| timed(&mut *f))
            .min()
            .unwrap_or_default()
    };
    let collect = best(&mut || {
        pymem::gc::collect();
    });
    let publish = best(&mut || publisher.publish());
    let mut bytes = 0;
    let scrape = best(&mut || bytes = render(&registry).len());
    let pct = |d: Duration| d.as_secs_f64() / collect.as_secs_f64() * 100.0;
    println!(
        "| full collection of {} tracked objects | {:.3} ms | 100% |",
        heap.len(),
        collect.as_secs_f64() * 1e3
    );
    println!(
        "| scrape (render of {bytes} bytes of OpenMetrics) | {:.3} ms | {:.3}% |",
        scrape.as_secs_f64() * 1e3,
        pct(scrape)
    );
    println!(
        "| safe point (`Publisher::publish`) | {:.3} ms | {:.3}% |",
        publish.as_secs_f64() * 1e3,
        pct(publish)
    );
}

/// `tools-cost once <workload> <n> on|off`: one run, for callgrind's instruction counts.
fn once(args: &[String]) -> Option<()> {
    let [workload, n, sampled] = args else {
        return None;
    };
    let workload = Workload::from_name(workload)?;
    run_once(workload, n.parse().ok()?, sampled == "on");
    Some(())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("once") {
        return once(&args[1..]).expect("usage: tools-cost once <workload> <n> on|off");
    }
    let rounds: usize = args.first().and_then(|r| r.parse().ok()).unwrap_or(7);
    println!("### The sampler (100 ms) on B1 and B6 (wall ms, {rounds} interleaved rounds)\n");
    println!("| workload | min off | min on | min ratio | median off | median on | median ratio |");
    println!("|---|---|---|---|---|---|---|");
    sampler_cost("B1 churn", Workload::Churn, 3_000_000, rounds);
    sampler_cost("B6 bintrees", Workload::BinaryTrees, 16, rounds);
    println!("\n### A scrape of a 1M-object heap (best of {rounds})\n");
    println!("| what | time | of a full collection |");
    println!("|---|---|---|");
    scrape_cost(1_000_000, rounds);
}
