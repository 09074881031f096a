//! The per-collection report: exact freed counts by type against the garbage the test
//! made, and the line's format.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use pymem::{Gc, Trace, gc};
use pymem_tools::report::{CollectionReport, Reporter, short_type_name, thousands};

#[derive(Trace)]
struct Node(RefCell<Vec<Gc<Edge>>>);

#[derive(Trace)]
struct Edge(RefCell<Option<Gc<Node>>>);

/// `nodes` nodes, each in a cycle with `edges` edges of its own; all garbage.
fn garbage(nodes: usize, edges: usize) {
    for _ in 0..nodes {
        let node = Gc::new(Node(RefCell::new(Vec::new())));
        for _ in 0..edges {
            node.0
                .borrow_mut()
                .push(Gc::new(Edge(RefCell::new(Some(node.clone())))));
        }
    }
}

#[test]
fn each_collection_is_reported_with_its_garbage_by_type() {
    gc::disable();
    let reports = Rc::new(RefCell::new(Vec::new()));
    let sink = reports.clone();
    let reporter = Reporter::install(move |r| sink.borrow_mut().push(r.clone()));
    garbage(598, 1);
    garbage(2, 3);
    assert_eq!(gc::collect_generation(0).unwrap(), 1_204);
    gc::collect();
    drop(reporter);
    gc::collect();
    let reports = reports.borrow();
    assert_eq!(
        reports.len(),
        2,
        "the collection after the drop is not reported"
    );
    let first = &reports[0];
    assert_eq!(
        (first.generation, first.collected, first.uncollectable),
        (0, 1_204, 0)
    );
    assert_eq!(
        first.freed,
        [("Edge".to_owned(), 604), ("Node".to_owned(), 600)]
    );
    assert_eq!((reports[1].generation, reports[1].collected), (2, 0));
    assert!(reports[1].freed.is_empty());
    assert!(gc::get_freed_types().is_empty(), "counting is off again");
    gc::enable();
}

#[test]
fn the_line_reads_like_the_issue_asks() {
    let report = CollectionReport {
        generation: 0,
        collected: 1_204,
        uncollectable: 0,
        pause: Duration::from_micros(80),
        freed: vec![("Edge".into(), 604), ("Node".into(), 600)],
    };
    assert_eq!(
        report.to_string(),
        "gen 0: 1,204 freed (604 Edge, 600 Node) in 0.08 ms"
    );
    let empty = CollectionReport {
        generation: 2,
        collected: 0,
        uncollectable: 3,
        pause: Duration::from_millis(12),
        freed: vec![],
    };
    assert_eq!(
        empty.to_string(),
        "gen 2: 0 freed, 3 uncollectable in 12.00 ms"
    );
}

#[test]
fn helpers() {
    assert_eq!(
        [0, 999, 1_000, 1_234_567].map(thousands),
        ["0", "999", "1,000", "1,234,567"]
    );
    assert_eq!(short_type_name("alloc::vec::Vec<app::Node>"), "Vec<Node>");
    assert_eq!(short_type_name("report::Edge"), "Edge");
    assert_eq!(short_type_name("(a::B, &c::D<e::F>)"), "(B, &D<F>)");
}
