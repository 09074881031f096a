//! objgraph's `show_refs` and `show_backrefs`: the objects around some objects, breadth first
//! to `max_depth`, written as Graphviz DOT in objgraph's layout (node ids `o<id>`, a label of
//! type and short repr, a grey gradient by depth, red start nodes, "N more references" boxes).

use std::collections::{HashMap, VecDeque};
use std::fmt::Write as _;

use pymem::{AsObject, Object, gc};

use crate::heap_graph::{HeapGraph, object_id};
use crate::objgraph::{Predicate, type_name};

/// objgraph's keyword arguments to `show_refs` and `show_backrefs`.
pub struct GraphOptions<'a> {
    /// How many links from the start objects to follow (objgraph's default 3).
    pub max_depth: usize,
    /// Neighbours drawn per object; the rest become one "N more references" box (10).
    pub too_many: usize,
    /// Neighbours for which this is false are neither drawn nor followed.
    pub filter: Option<Predicate<'a>>,
    /// Objects drawn in blue.
    pub highlight: Option<Predicate<'a>>,
    /// A third label line per object.
    pub extra_info: Option<&'a dyn Fn(&Object) -> String>,
    /// Ids of objects never drawn (objgraph's `extra_ignore`).
    pub extra_ignore: Vec<usize>,
    /// Adds ` [count]` to each type name: the strong count, without the tools' own handles.
    pub refcounts: bool,
    /// `Node` rather than the full Rust path.
    pub shortnames: bool,
}

impl Default for GraphOptions<'_> {
    fn default() -> Self {
        GraphOptions {
            max_depth: 3,
            too_many: 10,
            filter: None,
            highlight: None,
            extra_info: None,
            extra_ignore: Vec::new(),
            refcounts: false,
            shortnames: true,
        }
    }
}

/// A drawn graph: the DOT text and how many objects it shows (objgraph prints
/// `Graph written to … (N nodes)`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DotGraph {
    /// The Graphviz source.
    pub dot: String,
    /// Objects drawn (not counting "more references" boxes).
    pub nodes: usize,
}

/// `objgraph.show_refs(objs)`: the objects `objs` reference, and so on to `max_depth`.
/// A full collection runs first, as in objgraph.
///
/// ```
/// use pymem::Gc;
/// use std::cell::RefCell;
/// use pymem_tools::dot::{GraphOptions, show_refs};
///
/// let list = Gc::new(RefCell::new(vec![Gc::new(String::from("a"))]));
/// let graph = show_refs(&[&list], &GraphOptions::default());
/// assert!(graph.dot.starts_with("digraph ObjectGraph {\n"));
/// assert_eq!(graph.nodes, 2);
/// ```
pub fn show_refs(objs: &[&dyn AsObject], options: &GraphOptions<'_>) -> DotGraph {
    gc::collect();
    let graph = HeapGraph::snapshot_including(objs);
    let edges: Vec<Vec<usize>> = (0..graph.len())
        .map(|at| graph.referents(at).to_vec())
        .collect();
    draw(&graph, objs, &edges, Direction::Refs, options)
}

/// `objgraph.show_backrefs(objs)`: the objects that reference `objs`, and so on to
/// `max_depth`: how the start objects are held. A full collection runs first.
pub fn show_backrefs(objs: &[&dyn AsObject], options: &GraphOptions<'_>) -> DotGraph {
    gc::collect();
    let graph = HeapGraph::snapshot_including(objs);
    let edges = graph.referrers();
    draw(&graph, objs, &edges, Direction::Backrefs, options)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    Refs,
    Backrefs,
}

/// objgraph's `_show_graph`, over a snapshot: `edges[at]` are the neighbours followed.
fn draw(
    graph: &HeapGraph,
    objs: &[&dyn AsObject],
    edges: &[Vec<usize>],
    direction: Direction,
    options: &GraphOptions<'_>,
) -> DotGraph {
    let mut dot =
        String::from("digraph ObjectGraph {\n  node[shape=box, style=filled, fillcolor=white];\n");
    let (mut depth, mut queue) = start(&mut dot, graph, objs);
    let mut nodes = 0;
    while let Some(at) = queue.pop_front() {
        nodes += 1;
        let level = depth[&at];
        write_node(&mut dot, graph, at, level, options);
        if level < options.max_depth {
            let drawn = Neighbours {
                graph,
                at,
                level,
                direction,
                options,
            };
            drawn.write(&mut dot, &edges[at], &mut depth, &mut queue);
        }
    }
    dot.push_str("}\n");
    DotGraph { dot, nodes }
}

/// The start objects: a red font each, depth 0, queued in order.
fn start(
    dot: &mut String,
    graph: &HeapGraph,
    objs: &[&dyn AsObject],
) -> (HashMap<usize, usize>, VecDeque<usize>) {
    let mut depth = HashMap::new();
    let mut queue = VecDeque::new();
    for obj in objs {
        let at = graph
            .index_of_id(object_id(*obj))
            .expect("snapshot includes objs");
        let _ = writeln!(dot, "  {}[fontcolor=red];", node_id(graph.object(at)));
        depth.insert(at, 0);
        queue.push_back(at);
    }
    (depth, queue)
}

/// One object's label and colour lines.
fn write_node(
    dot: &mut String,
    graph: &HeapGraph,
    at: usize,
    level: usize,
    options: &GraphOptions<'_>,
) {
    let obj = graph.object(at);
    let id = node_id(obj);
    let _ = writeln!(
        dot,
        "  {id}[label=\"{}\"];",
        quote(&label(graph, at, options))
    );
    let (mut h, mut s, mut v) =
        gradient((0.0, 0.0, 1.0), (0.0, 0.0, 0.3), level, options.max_depth);
    if options.highlight.is_some_and(|f| f(obj)) {
        (h, s, v) = (0.6, 0.6, 0.5 + v * 0.5);
    }
    let _ = writeln!(dot, "  {id}[fillcolor=\"{},{},{}\"];", g(h), g(s), g(v));
    if v < 0.5 {
        let _ = writeln!(dot, "  {id}[fontcolor=white];");
    }
}

/// The neighbours of one drawn object, as objgraph writes them.
struct Neighbours<'g, 'o> {
    graph: &'g HeapGraph,
    at: usize,
    level: usize,
    direction: Direction,
    options: &'g GraphOptions<'o>,
}

impl Neighbours<'_, '_> {
    fn write(
        &self,
        dot: &mut String,
        neighbours: &[usize],
        depth: &mut HashMap<usize, usize>,
        queue: &mut VecDeque<usize>,
    ) {
        let mut drawn = 0;
        let mut skipped = 0;
        let own_places = match self.direction {
            Direction::Refs => places(self.graph.object(self.at)),
            Direction::Backrefs => Vec::new(),
        };
        for &next in neighbours.iter().filter(|&&n| self.shown(n)) {
            if drawn >= self.options.too_many {
                skipped += 1;
                continue;
            }
            self.write_edge(dot, next, &own_places);
            depth.entry(next).or_insert_with(|| {
                queue.push_back(next);
                self.level + 1
            });
            drawn += 1;
        }
        if skipped > 0 {
            self.write_too_many(dot, skipped);
        }
    }

    fn shown(&self, next: usize) -> bool {
        let obj = self.graph.object(next);
        !self.options.extra_ignore.contains(&obj.id()) && self.options.filter.is_none_or(|f| f(obj))
    }

    fn write_edge(&self, dot: &mut String, next: usize, own_places: &[(usize, String)]) {
        let (here, there) = (self.graph.object(self.at), self.graph.object(next));
        let (holder, held, places) = match self.direction {
            Direction::Refs => (here, there, own_places.to_vec()),
            Direction::Backrefs => (there, here, places(there)),
        };
        let label = match places.iter().find(|(id, _)| *id == held.id()) {
            Some((_, place)) if !place.is_empty() => {
                format!(" [label=\"{}\",weight=10]", quote(place))
            }
            _ => String::new(),
        };
        let (from, to) = (node_id(holder), node_id(held));
        let _ = writeln!(dot, "  {from} -> {to}{label};");
    }

    fn write_too_many(&self, dot: &mut String, skipped: usize) {
        let id = node_id(self.graph.object(self.at));
        let (h, s, v) = gradient(
            (0.0, 1.0, 1.0),
            (0.0, 1.0, 0.3),
            self.level + 1,
            self.options.max_depth,
        );
        let (label, edge) = match self.direction {
            Direction::Refs => ("references", format!("{id}->too_many_{id}")),
            Direction::Backrefs => ("backreferences", format!("too_many_{id}->{id}")),
        };
        let _ = writeln!(dot, "  {edge}[color=red,style=dotted,len=0.25,weight=10];");
        let _ = writeln!(
            dot,
            "  too_many_{id}[label=\"{skipped} more {label}\",shape=box,height=0.25,color=red,fillcolor=\"{},{},{}\",fontsize=6];",
            g(h),
            g(s),
            g(v)
        );
        let _ = writeln!(dot, "  too_many_{id}[fontcolor=white];");
    }
}

/// Where `holder` holds each referent (`gc::get_referents_labelled`), by the referent's id:
/// objgraph labels edges with attribute names and dict keys, we with fields and indices.
fn places(holder: &Object) -> Vec<(usize, String)> {
    gc::get_referents_labelled(holder)
        .into_iter()
        .map(|(target, place)| (target.id(), place))
        .collect()
}

/// objgraph's `_obj_node_id`.
fn node_id(obj: &Object) -> String {
    format!("o{}", obj.id())
}

/// Type name (with ` [count]`), a short repr, and the extra line.
fn label(graph: &HeapGraph, at: usize, options: &GraphOptions<'_>) -> String {
    let obj = graph.object(at);
    let mut name = type_name(obj, options.shortnames);
    if options.refcounts {
        let _ = write!(name, " [{}]", graph.ref_count(at));
    }
    let mut label = format!("{name}\n{}", short_repr(obj));
    if let Some(extra) = options.extra_info {
        label.push('\n');
        label.push_str(&extra(obj));
    }
    label
}

/// objgraph's `_short_repr` for objects without a repr of their own: Python's default
/// `<T object at 0x…>`.
fn short_repr(obj: &Object) -> String {
    format!("<{} object at {:#x}>", type_name(obj, true), obj.id())
}

/// objgraph's `_quote`.
pub(crate) fn quote(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
        .replace('\0', "\\\\0")
}

/// objgraph's `_gradient`: a colour `depth / max_depth` of the way from `start` to `end`.
fn gradient(
    start: (f64, f64, f64),
    end: (f64, f64, f64),
    depth: usize,
    max_depth: usize,
) -> (f64, f64, f64) {
    if max_depth == 0 {
        return start;
    }
    let f = depth as f64 / max_depth as f64;
    let mix = |a: f64, b: f64| a * (1.0 - f) + b * f;
    (
        mix(start.0, end.0),
        mix(start.1, end.1),
        mix(start.2, end.2),
    )
}

/// Python's `'%g' % x`: six significant digits, trailing zeros dropped.
pub(crate) fn g(x: f64) -> String {
    if x == 0.0 {
        return "0".to_string();
    }
    let exponent = x.abs().log10().floor() as i32;
    if !(-4..6).contains(&exponent) {
        return format!("{x:e}");
    }
    let decimals = (5 - exponent).max(0) as usize;
    let fixed = format!("{x:.decimals$}");
    let trimmed = if fixed.contains('.') {
        fixed.trim_end_matches('0').trim_end_matches('.')
    } else {
        &fixed
    };
    trimmed.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g_formats_as_python_percent_g() {
        // Python: ['%g' % x for x in (1, 0.766667 approx, .3, .65, 0.5333333, 0.05, 123.456)]
        assert_eq!(g(1.0), "1");
        assert_eq!(g(1.0 * (1.0 - 1.0 / 3.0) + 0.3 / 3.0), "0.766667");
        assert_eq!(g(0.3), "0.3");
        assert_eq!(g(0.65), "0.65");
        assert_eq!(g(1.0 * (1.0 - 2.0 / 3.0) + 0.3 * 2.0 / 3.0), "0.533333");
        assert_eq!(g(0.05), "0.05");
        assert_eq!(g(123.456), "123.456");
    }

    #[test]
    fn quote_escapes_as_objgraph() {
        assert_eq!(quote("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
