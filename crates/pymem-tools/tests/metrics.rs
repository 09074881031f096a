//! The exporter's output: parsed by prometheus-client's strict OpenMetrics parser (Python),
//! with every figure equal to what pymem reports through its own API.

mod oracle;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;

use pymem::{Gc, Trace};
use pymem_tools::metrics::{registry, render};
use pymem_tools::published::{Gauges, Publisher};

#[derive(Trace)]
struct Node {
    next: RefCell<Option<Gc<Node>>>,
}

/// `n` two-object cycles, dropped; and `kept` objects still alive.
fn cycles(n: usize, kept: &mut Vec<Gc<Node>>) {
    for _ in 0..n {
        let a = Gc::new(Node {
            next: RefCell::new(None),
        });
        let b = Gc::new(Node {
            next: RefCell::new(Some(a.clone())),
        });
        *a.next.borrow_mut() = Some(b);
        kept.push(Gc::new(Node {
            next: RefCell::new(None),
        }));
    }
}

const PARSE: &str = "
import sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
for f in text_string_to_metric_families(sys.stdin.read()):
    for s in f.samples:
        labels = ','.join(f'{k}={v}' for k, v in sorted(s.labels.items()))
        print(f.type, f.unit or '-', s.name, labels or '-', repr(s.value))
";

/// `sample name{labels}` -> value, from the strict parser; also checks each family's type.
fn parsed(py: &str, text: &str) -> BTreeMap<String, f64> {
    let out = oracle::run(py, PARSE, &[], text);
    out.lines()
        .map(|line| {
            let f: Vec<&str> = line.split(' ').collect();
            (format!("{}{{{}}}", f[2], f[3]), f[4].parse().unwrap())
        })
        .collect()
}

fn generation(g: usize) -> String {
    format!("generation={g}")
}

#[test]
fn strict_parser_reads_figures_equal_to_pymems_own() {
    let Some(py) = oracle::python() else { return };
    let publisher = Publisher::install(Arc::new(Gauges::default()));
    let mut kept = Vec::new();
    cycles(3_000, &mut kept);
    pymem::gc::collect_generation(1).unwrap();
    pymem::gc::collect();
    publisher.publish();
    publisher.publish_tracked();
    let samples = parsed(&py, &render(&registry(publisher.gauges().clone())));
    for g in 0..3 {
        let tracked = pymem::gc::get_objects(Some(g)).unwrap().len();
        assert_eq!(
            samples[&format!("pymem_gc_tracked_objects{{{}}}", generation(g))],
            tracked as f64
        );
    }
    assert_eq!(
        samples["pymem_gc_tracked_objects{generation=2}"], 3_000.0,
        "the kept objects"
    );
    let stats = pymem::gc::get_stats();
    for (g, s) in stats.iter().enumerate() {
        let get = |name: &str| samples[&format!("{name}{{{}}}", generation(g))];
        assert_eq!(get("pymem_gc_collections_total"), s.collections as f64);
        assert_eq!(get("pymem_gc_objects_collected_total"), s.collected as f64);
        assert_eq!(
            get("pymem_gc_objects_uncollectable_total"),
            s.uncollectable as f64
        );
        assert_eq!(get("pymem_gc_pause_seconds_count"), s.collections as f64);
        let inf = samples[&format!("pymem_gc_pause_seconds_bucket{{{},le=+Inf}}", generation(g))];
        assert_eq!(inf, s.collections as f64);
    }
    assert_eq!(
        stats[2].collected,
        2 * 3_000 - stats[0].collected - stats[1].collected
    );
    let (c0, c1, c2) = pymem::gc::get_count();
    for (g, c) in [c0, c1, c2].into_iter().enumerate() {
        assert_eq!(
            samples[&format!("pymem_gc_count{{{}}}", generation(g))],
            c as f64
        );
    }
    let malloc = pymem::sys::mallocstats().unwrap();
    assert_eq!(
        samples["pymem_heap_allocated_bytes{-}"],
        malloc.allocated_bytes() as f64
    );
    assert_eq!(
        samples["pymem_heap_arenas{-}"],
        malloc.arenas_current as f64
    );
    assert_eq!(
        samples["pymem_heap_blocks_allocated{-}"],
        pymem::sys::getallocatedblocks() as f64
    );
    for (i, class) in malloc.classes.iter().enumerate() {
        let key = format!("pymem_heap_class_blocks{{size_class={}}}", 16 * (i + 1));
        assert_eq!(samples[&key], class.blocks_in_use as f64);
    }
    assert!(samples["process_resident_memory_bytes{-}"] > 0.0);
    assert_eq!(kept.len(), 3_000);
}

#[test]
fn traced_memory_is_tracemallocs() {
    let Some(py) = oracle::python() else { return };
    pymem::tracemalloc::start(1).unwrap();
    let publisher = Publisher::install(Arc::new(Gauges::default()));
    cycles(100, &mut Vec::new());
    publisher.publish();
    let (current, peak) = pymem::tracemalloc::get_traced_memory();
    pymem::tracemalloc::stop();
    let samples = parsed(&py, &render(&registry(publisher.gauges().clone())));
    assert_eq!(samples["pymem_traced_current_bytes{-}"], current as f64);
    assert_eq!(samples["pymem_traced_peak_bytes{-}"], peak as f64);
    assert!(peak > 0);
}

#[test]
fn a_full_collection_refreshes_the_allocator_figures() {
    let publisher = Publisher::install(Arc::new(Gauges::default()));
    let mut kept = Vec::new();
    cycles(1_000, &mut kept);
    let gauges = publisher.gauges();
    pymem::gc::collect_generation(0).unwrap();
    let stale = Gauges::get(&gauges.heap_bytes);
    pymem::gc::collect();
    let malloc = pymem::sys::mallocstats().unwrap();
    assert_eq!(
        Gauges::get(&gauges.heap_bytes),
        malloc.allocated_bytes() as u64
    );
    assert_eq!(Gauges::get(&gauges.arenas), malloc.arenas_current as u64);
    assert_ne!(
        stale,
        malloc.allocated_bytes() as u64,
        "a young collection left it as it was"
    );
    assert_eq!(kept.len(), 1_000);
}

fn get(addr: std::net::SocketAddr, path: &str) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

#[test]
fn the_server_answers_metrics_and_404() {
    let publisher = Publisher::install(Arc::new(Gauges::default()));
    pymem::gc::collect();
    let exporter = pymem_tools::exporter::serve(publisher.gauges().clone(), "127.0.0.1:0").unwrap();
    let response = get(exporter.addr(), "/metrics");
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"));
    assert!(head.contains("Content-Type: application/openmetrics-text; version=1.0.0"));
    assert!(head.contains(&format!("Content-Length: {}\r\n", body.len())));
    // Equal to a render but for RSS, which the OS changes between the two.
    let without_rss = |text: &str| {
        text.lines()
            .filter(|l| !l.starts_with("process_resident_memory_bytes "))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        without_rss(body),
        without_rss(&render(&registry(publisher.gauges().clone())))
    );
    assert!(body.contains("pymem_gc_collections_total{generation=\"2\"} 1\n"));
    assert!(get(exporter.addr(), "/").starts_with("HTTP/1.1 404 Not Found\r\n"));
}
