//! One Rust type standing for many classes (an interpreter's instances): objgraph's and
//! heapy's names are the classes' (`Trace::fmt_type_name`), not the Rust type's.
#![allow(missing_docs)]

use std::cell::RefCell;

use pymem::{Gc, Trace};
use pymem_tools::{heapy, objgraph};

/// An instance named by its class.
#[derive(Trace)]
#[trace(type_name = by_class)]
struct Instance {
    #[trace(skip)]
    class: &'static str,
    /// A reference field: a container, tracked as objgraph's objects are.
    next: RefCell<Option<Gc<Instance>>>,
}

fn by_class(x: &Instance, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    f.write_str(x.class)
}

fn make(class: &'static str, n: usize) -> Vec<Gc<Instance>> {
    (0..n)
        .map(|_| {
            let next = RefCell::new(None);
            Gc::new(Instance { class, next })
        })
        .collect()
}

#[test]
fn classes_are_counted_and_partitioned_by_their_names() {
    let nodes = make("Node", 7);
    let leaves = make("Leaf", 3);
    // Exact counts: the objects this test made, each of its class.
    assert_eq!(objgraph::count("Node"), 7);
    assert_eq!(objgraph::count("Leaf"), 3);
    assert_eq!(objgraph::count("Instance"), 0);
    assert_eq!(objgraph::by_type("Leaf").len(), 3);
    let stats = objgraph::typestats(true, None);
    assert_eq!((stats.get("Node"), stats.get("Leaf")), (Some(&7), Some(&3)));
    let table = heapy::heap().to_string();
    let kinds: Vec<&str> = table
        .lines()
        .skip(2)
        .filter_map(|l| l.split_whitespace().nth(7))
        .collect();
    assert!(
        kinds.contains(&"Node") && kinds.contains(&"Leaf"),
        "{table}"
    );
    drop((nodes, leaves));
    assert_eq!(objgraph::count("Node"), 0);
}
