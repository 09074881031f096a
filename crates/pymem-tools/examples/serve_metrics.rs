//! Serves a pymem heap's metrics for Prometheus while it churns objects and cycles:
//! `cargo run -p pymem-tools --example serve_metrics -- 127.0.0.1:9187 [seconds]`.

use std::cell::RefCell;
use std::sync::Arc;
use std::time::{Duration, Instant};

use pymem::{Gc, Trace};
use pymem_tools::published::{Gauges, Publisher};

#[derive(Trace)]
struct Node {
    next: RefCell<Option<Gc<Node>>>,
}

fn churn(keep: &mut Vec<Gc<Node>>) {
    for _ in 0..5_000 {
        let a = Gc::new(Node {
            next: RefCell::new(None),
        });
        let b = Gc::new(Node {
            next: RefCell::new(Some(a.clone())),
        });
        *a.next.borrow_mut() = Some(b.clone());
        if keep.len() < 50_000 {
            keep.push(b);
        }
    }
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:9187".into());
    let seconds: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(60);
    pymem::tracemalloc::start(1).expect("tracemalloc starts");
    let publisher = Publisher::install(Arc::new(Gauges::default()));
    let exporter = pymem_tools::exporter::serve(publisher.gauges().clone(), &addr)?;
    println!("serving http://{}/metrics for {seconds} s", exporter.addr());
    let (start, mut keep) = (Instant::now(), Vec::new());
    while start.elapsed() < Duration::from_secs(seconds) {
        churn(&mut keep);
        pymem::gc::collect();
        publisher.publish();
        publisher.publish_tracked();
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(())
}
