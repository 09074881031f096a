//! Each text format against the real tool: the same shapes built in CPython 3.13 (objgraph
//! 3.7.0, guppy3) and in Rust print the same layout, and the counts of what the programs made
//! agree.

mod support;

use std::cell::RefCell;

use pymem::{AsObject, Gc, Object, gc};
use pymem_tools::dot::{GraphOptions, show_backrefs, show_refs};
use pymem_tools::heapy;
use pymem_tools::objgraph::{self, PeakStats};
use support::{Edge, Node, python};

const OBJGRAPH_CLASSES: &str = "
import objgraph, sys
class Node:
    __slots__ = ('out',)
    def __init__(self): self.out = []
class Edge:
    __slots__ = ('to',)
    def __init__(self): self.to = None
mine = lambda o: type(o).__name__ in ('Node', 'Edge')
";

fn text(write: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> String {
    let mut out = Vec::new();
    write(&mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn mine(obj: &Object) -> bool {
    obj.is::<Node>() || obj.is::<Edge>()
}

fn edges(n: usize) -> Vec<Gc<Edge>> {
    (0..n)
        .map(|_| {
            Gc::new(Edge {
                to: RefCell::new(None),
            })
        })
        .collect()
}

#[test]
fn show_most_common_types_matches_objgraph() {
    let expected = python(&format!(
        "{OBJGRAPH_CLASSES}
nodes = [Node() for _ in range(300)]
edges = [Edge() for _ in range(120)]
objgraph.show_most_common_types(limit=5, filter=mine)"
    ));
    let nodes: Vec<Gc<Node>> = (0..300).map(|_| Node::new()).collect();
    let edges = edges(120);
    let ours = text(|out| objgraph::show_most_common_types(5, Some(&mine), out));
    assert_eq!(ours, "Node 300\nEdge 120\n");
    if let Some(expected) = expected {
        assert_eq!(ours, expected);
    }
    assert_eq!(objgraph::count("Node"), nodes.len());
    assert_eq!(objgraph::by_type("Edge").len(), edges.len());
}

#[test]
fn show_growth_matches_objgraph() {
    let expected = python(&format!(
        "{OBJGRAPH_CLASSES}
peak = {{}}
objgraph.show_growth(peak_stats=peak, filter=mine)
print('--')
nodes = [Node() for _ in range(300)]
edges = [Edge() for _ in range(120)]
objgraph.show_growth(peak_stats=peak, filter=mine)
print('--')
nodes += [Node() for _ in range(50)]
objgraph.show_growth(peak_stats=peak, filter=mine)
print('--')
del edges
objgraph.show_growth(peak_stats=peak, filter=mine)"
    ));
    let mut peak = PeakStats::new();
    let mut ours = text(|out| objgraph::show_growth(10, &mut peak, Some(&mine), out));
    ours.push_str("--\n");
    let mut nodes: Vec<Gc<Node>> = (0..300).map(|_| Node::new()).collect();
    let edges = edges(120);
    ours += &text(|out| objgraph::show_growth(10, &mut peak, Some(&mine), out));
    ours.push_str("--\n");
    nodes.extend((0..50).map(|_| Node::new()));
    ours += &text(|out| objgraph::show_growth(10, &mut peak, Some(&mine), out));
    ours.push_str("--\n");
    drop(edges);
    ours += &text(|out| objgraph::show_growth(10, &mut peak, Some(&mine), out));
    assert_eq!(
        ours,
        "--\nNode      300      +300\nEdge      120      +120\n--\nNode      350       +50\n--\n"
    );
    if let Some(expected) = expected {
        assert_eq!(ours, expected);
    }
    assert_eq!(nodes.len(), 350);
}

#[test]
fn find_backref_chain_matches_objgraph() {
    let expected = python(&format!(
        "{OBJGRAPH_CLASSES}
a = Node(); b = Node(); b.out.append(a); c = Node(); c.out.append(b)
chain = objgraph.find_backref_chain(a, lambda o: o is c)
print([type(o).__name__ for o in chain if type(o).__name__ == 'Node'])
print(len(objgraph.find_ref_chain(c, lambda o: o is a)))"
    ));
    let (a, b, c) = (Node::new(), Node::new(), Node::new());
    b.out.borrow_mut().push(a.as_object());
    c.out.borrow_mut().push(b.as_object());
    let is_c = |o: &Object| o.id() == Gc::id(&c);
    let chain = objgraph::find_backref_chain(&a, &is_c, 20);
    let ids: Vec<usize> = chain.iter().map(Object::id).collect();
    assert_eq!(ids, [Gc::id(&c), Gc::id(&b), Gc::id(&a)]);
    let is_a = |o: &Object| o.id() == Gc::id(&a);
    let forward: Vec<usize> = objgraph::find_ref_chain(&c, &is_a, 20)
        .iter()
        .map(Object::id)
        .collect();
    assert_eq!(forward, ids);
    if let Some(expected) = expected {
        // Python's chain also passes through each Node's `out` list: 3 Nodes, 5 links.
        assert_eq!(expected, "['Node', 'Node', 'Node']\n5\n");
    }
}

/// Replaces node ids (`o123`) and label texts, which differ by nature, and drops edge labels
/// (ours name fields, objgraph's only `__dict__` entries, which `__slots__` classes lack),
/// keeping the rest.
fn normalise(dot: &str) -> String {
    let mut out = String::new();
    for line in dot.lines() {
        let mut line = line.to_string();
        if let Some(start) = line.find(" [label=").filter(|_| line.contains(" -> ")) {
            line.replace_range(start..line.len() - 1, "");
        }
        if let Some(start) = line.find("[label=\"").filter(|_| !line.contains("more ")) {
            let end = line.rfind("\"]").unwrap();
            line.replace_range(start + 8..end, "…");
        }
        out.push_str(&replace_ids(&line));
        out.push('\n');
    }
    out
}

fn replace_ids(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars().peekable();
    let mut previous = ' ';
    while let Some(c) = chars.next() {
        out.push(c);
        if c == 'o' && !previous.is_alphanumeric() && chars.peek().is_some_and(char::is_ascii_digit)
        {
            out.push('N');
            while chars.peek().is_some_and(char::is_ascii_digit) {
                chars.next();
            }
        }
        previous = c;
    }
    out
}

#[test]
fn show_refs_writes_objgraphs_dot() {
    let expected = python(&format!(
        "{OBJGRAPH_CLASSES}
a = Node(); b = Node(); b.out.append(a); c = [b]
objgraph.show_refs([c], output=sys.stdout, filter=lambda o: type(o).__name__ in ('Node', 'list'))"
    ));
    let a = Node::new();
    let b = Node::new();
    b.out.borrow_mut().push(a.as_object());
    let c = Node::new();
    c.out.borrow_mut().push(b.as_object());
    let graph = show_refs(&[&c], &GraphOptions::default());
    assert_eq!(graph.nodes, 3);
    let edge = format!(
        "  o{} -> o{} [label=\".out[0]\",weight=10];\n",
        Gc::id(&c),
        Gc::id(&b)
    );
    assert!(graph.dot.contains(&edge), "{}", graph.dot);
    assert!(graph.dot.contains("[label=\"Node\\n<Node object at 0x"));
    support::graphviz_svg(&graph.dot);
    if let Some(expected) = expected {
        // Python's `a` holds an empty list (`out`), drawn too: one node more.
        let ours = normalise(&graph.dot);
        let theirs = normalise(&expected);
        let with_extra_list = |s: &str| s.lines().count();
        assert_eq!(
            with_extra_list(&theirs),
            with_extra_list(&ours) + 4,
            "{theirs}\n{ours}"
        );
        assert!(
            theirs.starts_with(&ours[..ours.len() - 2]),
            "ours:\n{ours}\ntheirs:\n{theirs}"
        );
    }
}

#[test]
fn show_backrefs_writes_objgraphs_too_many_box() {
    let expected = python(&format!(
        "{OBJGRAPH_CLASSES}
a = Node(); l1 = [a]; l2 = [a]; l3 = [a]
objgraph.show_backrefs([a], too_many=1, output=sys.stdout, filter=lambda o: type(o).__name__ in ('Node', 'list'))"
    ));
    let a = Node::new();
    let holders: Vec<Gc<Node>> = (0..3).map(|_| Node::new()).collect();
    holders
        .iter()
        .for_each(|h| h.out.borrow_mut().push(a.as_object()));
    let options = GraphOptions {
        too_many: 1,
        ..GraphOptions::default()
    };
    let graph = show_backrefs(&[&a], &options);
    assert_eq!(graph.nodes, 2);
    assert!(graph.dot.contains("[label=\"2 more backreferences\",shape=box,height=0.25,color=red,fillcolor=\"0,1,0.766667\",fontsize=6];"));
    support::graphviz_svg(&graph.dot);
    if let Some(expected) = expected {
        assert_eq!(normalise(&graph.dot), normalise(&expected));
    }
}

const HEAPY_CLASSES: &str = "
from guppy import hpy
h = hpy()
classes = [type('K%d' % i, (), {'__slots__': ('x',)}) for i in range(12)]
h.setrelheap()
";

/// Each row's statistics columns, checked against guppy's `'%6d %6d %3d %8d %3d %9d %3d '`.
fn columns(row: &str) -> Vec<usize> {
    let widths = [6, 6, 3, 8, 3, 9, 3];
    let mut at = 0;
    let mut values = Vec::new();
    for width in widths {
        let field = &row[at..at + width];
        assert!(
            field.starts_with(' ') || width == 6 && at == 0 || field.trim().len() == width,
            "{row}"
        );
        values.push(
            field
                .trim()
                .parse()
                .unwrap_or_else(|_| panic!("column in {row:?}")),
        );
        assert_eq!(&row[at + width..at + width + 1], " ", "{row}");
        at += width + 1;
    }
    values
}

macro_rules! kinds {
    ($($k:ident)*) => {{
        $(#[derive(pymem::Trace)] struct $k { _x: RefCell<Option<Object>> })*
        vec![$(|| Gc::new($k { _x: RefCell::new(None) }).as_object()),*]
    }};
}

#[test]
fn heap_prints_heapys_partition() {
    let expected = python(&format!(
        "{HEAPY_CLASSES}
keep = [classes[i % 12]() for i in range(300)]
print(h.heap().bytype)"
    ));
    let kinds: Vec<fn() -> Object> = kinds!(K0 K1 K2 K3 K4 K5 K6 K7 K8 K9 K10 K11);
    let keep = Node::new();
    keep.out
        .borrow_mut()
        .extend((0..300).map(|i| kinds[i % 12]()));
    let partition = heapy::heap();
    let ours = partition.to_string();
    let lines: Vec<&str> = ours.lines().collect();
    let label = format!(
        "Partition of a set of 301 objects. Total size = {} bytes.",
        partition.size
    );
    assert_eq!(lines[0], label);
    assert_eq!(
        lines[1],
        " Index  Count   %     Size   % Cumulative  % Type"
    );
    let rows: Vec<Vec<usize>> = lines[2..12].iter().map(|r| columns(r)).collect();
    assert!(rows.iter().all(|r| r[1] == 25 && r[2] == 8), "{ours}");
    assert_eq!(lines[12], "<3 more rows. Type e.g. '_.more' to view.>");
    let order: Vec<&str> = lines[2..12].iter().map(|r| &r[45..]).collect();
    assert_eq!(
        order,
        ["K0", "K1", "K10", "K11", "K2", "K3", "K4", "K5", "K6", "K7"]
    );
    if let Some(expected) = expected {
        let theirs: Vec<&str> = expected.lines().collect();
        assert!(
            theirs[0].starts_with("Partition of a set of 302 objects. Total size = "),
            "{expected}"
        );
        assert_eq!(theirs[1], lines[1]);
        let their_rows: Vec<Vec<usize>> = theirs[2..12].iter().map(|r| columns(r)).collect();
        // Theirs: the list first (ours, a Node, is the smallest row), then K0, K1, K10, …
        assert_eq!(their_rows[0][1], 1);
        assert!(
            their_rows[1..].iter().all(|r| r[1] == 25 && r[2] == 8),
            "{expected}"
        );
        let their_order: Vec<&str> = theirs[3..12].iter().map(|r| &r[r.len() - 2..]).collect();
        let ours_short: Vec<&str> = order[..9].iter().map(|k| &k[k.len() - 2..]).collect();
        assert_eq!(their_order, ours_short);
        assert_eq!(theirs[12], "<4 more rows. Type e.g. '_.more' to view.>");
    }
    drop(keep);
    gc::collect();
}

#[test]
fn highlight_extra_info_and_max_depth_as_objgraph() {
    let expected = python(&format!(
        "{OBJGRAPH_CLASSES}
a = Node(); b = Node(); b.out.append(a); c = Node(); c.out.append(b)
objgraph.show_backrefs([a], output=sys.stdout, max_depth=4, extra_info=lambda o: 'extra',
    highlight=lambda o: o is b, filter=lambda o: type(o).__name__ in ('Node', 'list'))"
    ));
    let (a, b, c) = (Node::new(), Node::new(), Node::new());
    b.out.borrow_mut().push(a.as_object());
    c.out.borrow_mut().push(b.as_object());
    let is_b = |o: &Object| o.id() == Gc::id(&b);
    let extra = |_: &Object| String::from("extra");
    let options = GraphOptions {
        max_depth: 2,
        highlight: Some(&is_b),
        extra_info: Some(&extra),
        ..GraphOptions::default()
    };
    let graph = show_backrefs(&[&a], &options);
    assert!(graph.dot.contains(&format!(
        "  o{}[fillcolor=\"0.6,0.6,0.825\"];\n",
        Gc::id(&b)
    )));
    assert!(graph.dot.contains("<Node object at 0x"));
    assert!(graph.dot.contains("\\nextra\"];"));
    assert_eq!(graph.nodes, 3);
    support::graphviz_svg(&graph.dot);
    if let Some(expected) = expected {
        // Python's chain a <- a.out list <- b <- b.out list <- c is twice as long: at twice the
        // depth, the same gradient and highlight colours appear on the Nodes.
        let colour = |dot: &str, depth_lines: &[&str]| depth_lines.iter().all(|l| dot.contains(l));
        assert!(
            colour(
                &expected,
                &[
                    "[fillcolor=\"0.6,0.6,0.825\"]",
                    "[fillcolor=\"0,0,0.3\"]",
                    "\\nextra\"]"
                ]
            ),
            "{expected}"
        );
        assert!(colour(
            &graph.dot,
            &["[fillcolor=\"0.6,0.6,0.825\"]", "[fillcolor=\"0,0,0.3\"]"]
        ));
    }
}
