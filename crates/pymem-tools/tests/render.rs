//! DOT validity (Graphviz's `dot` where installed) and our SVG rendering (well-formed XML with
//! a node and an edge per object and reference).

#![cfg(feature = "svg")]

mod support;

use pymem::AsObject;
use pymem_tools::dot::{GraphOptions, show_backrefs, show_refs};
use support::Node;

/// Boxes (`rect`) and edges (`path`) in a well-formed SVG document.
fn svg_elements(svg: &str) -> (usize, usize) {
    let doc = roxmltree::Document::parse(svg).expect("well-formed XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    let count = |tag: &str| {
        doc.descendants()
            .filter(|n| n.tag_name().name() == tag)
            .count()
    };
    (count("rect"), count("path"))
}

/// Each label line (layout-rs writes one `tspan` a line).
fn texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.tag_name().name() == "tspan")
        .map(|n| n.text().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn show_refs_renders_to_svg_with_a_box_per_object() {
    let a = Node::new();
    let b = Node::new();
    b.out.borrow_mut().push(a.as_object());
    a.out.borrow_mut().push(b.as_object()); // a cycle
    let graph = show_refs(&[&a], &GraphOptions::default());
    assert_eq!(graph.nodes, 2);
    support::graphviz_svg(&graph.dot);
    let svg = pymem_tools::render_svg(&graph.dot).unwrap();
    let (boxes, edges) = svg_elements(&svg);
    let texts = texts(&svg);
    assert_eq!(
        texts.iter().filter(|t| *t == "Node").count(),
        2,
        "{texts:?}"
    );
    let repr = format!("<Node object at {:#x}>", pymem::Gc::id(&b));
    assert!(texts.contains(&repr), "{texts:?}");
    assert_eq!(
        (boxes, edges),
        (2, 2),
        "a box per object, a path per reference"
    );
    drop((a, b));
    assert_eq!(pymem::gc::collect(), 2, "the snapshot let the cycle go");
}

#[test]
fn too_many_box_and_why_alive_render() {
    let a = Node::new();
    let holders: Vec<_> = (0..4).map(|_| Node::new()).collect();
    holders
        .iter()
        .for_each(|h| h.out.borrow_mut().push(a.as_object()));
    let options = GraphOptions {
        too_many: 2,
        ..GraphOptions::default()
    };
    let graph = show_backrefs(&[&a], &options);
    support::graphviz_svg(&graph.dot);
    let svg = pymem_tools::render_svg(&graph.dot).unwrap();
    assert!(texts(&svg).contains(&"2 more backreferences".to_string()));
    // The object, two holders, the "more" box; an edge from each holder and from the box.
    assert_eq!(svg_elements(&svg), (4, 3));
    let why = pymem_tools::why_alive(&a);
    assert_eq!(why.chains().len(), 4);
    support::graphviz_svg(&why.to_dot());
    let svg = pymem_tools::render_svg(&why.to_dot()).unwrap();
    assert_eq!(svg_elements(&svg), (5, 4));
}

#[test]
fn render_svg_reports_bad_dot() {
    let error = pymem_tools::render_svg("digraph { a -> ").unwrap_err();
    assert!(
        matches!(error, pymem_tools::RenderError::Parse(_)),
        "{error}"
    );
}
