//! objgraph's functions over a pymem heap: type counts, growth between two points, objects by
//! type, leaking objects and reference chains, with objgraph's text formats. The graph
//! drawings (`show_refs`, `show_backrefs`) are in [`crate::dot`].
//!
//! As in objgraph, only tracked objects are counted (`gc.get_objects`); names are short
//! (`Node`) unless `shortnames` is off, and a name with `::` matches the full Rust path.

use std::collections::{HashMap, VecDeque};
use std::io;

use pymem::{AsObject, Object, gc};

use crate::heap_graph::{HeapGraph, object_id};
use crate::names::{matches, short_name};

/// A predicate on objects (objgraph's `filter=` and `predicate=` arguments).
pub type Predicate<'a> = &'a dyn Fn(&Object) -> bool;

/// The name objgraph would print for `obj`: short (`Node`) or full, from the name the value
/// gives its type ([`Object::display_type_name`]: an interpreter's instance says its class;
/// by default the Rust type's path).
pub fn type_name(obj: &Object, shortnames: bool) -> String {
    let name = obj.display_type_name();
    if shortnames { short_name(&name) } else { name }
}

/// `objgraph.count(typename)`: tracked objects whose type is `typename` (short name, or full
/// path when it contains `::`).
///
/// ```
/// use pymem::{Gc, Trace};
/// use std::cell::RefCell;
///
/// #[derive(Trace)]
/// struct Node { next: RefCell<Option<Gc<Node>>> }
///
/// let nodes: Vec<_> = (0..3).map(|_| Gc::new(Node { next: RefCell::new(None) })).collect();
/// assert_eq!(pymem_tools::objgraph::count("Node"), 3);
/// ```
pub fn count(typename: &str) -> usize {
    let objects = gc::get_objects(None).unwrap_or_default();
    objects
        .iter()
        .filter(|o| matches(typename, &o.display_type_name()))
        .count()
}

/// Type counts in first-seen order (objgraph's dict keeps insertion order).
fn ordered_stats(shortnames: bool, filter: Option<Predicate<'_>>) -> Vec<(String, usize)> {
    let objects = gc::get_objects(None).unwrap_or_default();
    let mut order: Vec<(String, usize)> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    for obj in objects.iter().filter(|o| filter.is_none_or(|f| f(o))) {
        let name = type_name(obj, shortnames);
        let slot = *at.entry(name.clone()).or_insert_with(|| {
            order.push((name, 0));
            order.len() - 1
        });
        order[slot].1 += 1;
    }
    order
}

/// `objgraph.typestats()`: tracked objects counted by type name.
pub fn typestats(shortnames: bool, filter: Option<Predicate<'_>>) -> HashMap<String, usize> {
    ordered_stats(shortnames, filter).into_iter().collect()
}

/// `objgraph.most_common_types(limit)`: the `limit` most numerous types, most first (ties in
/// the order first seen); `limit == 0` means all.
pub fn most_common_types(
    limit: usize,
    shortnames: bool,
    filter: Option<Predicate<'_>>,
) -> Vec<(String, usize)> {
    let mut stats = ordered_stats(shortnames, filter);
    stats.sort_by_key(|s| std::cmp::Reverse(s.1));
    truncate(&mut stats, limit);
    stats
}

fn truncate<T>(rows: &mut Vec<T>, limit: usize) {
    if limit > 0 {
        rows.truncate(limit);
    }
}

/// `objgraph.show_most_common_types(limit)`: one line per type, `'%-*s %i'`, the names
/// padded to the longest:
///
/// ```text
/// Node 300
/// Edge 120
/// ```
pub fn show_most_common_types(
    limit: usize,
    filter: Option<Predicate<'_>>,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let stats = most_common_types(limit, true, filter);
    let width = stats.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    for (name, count) in stats {
        writeln!(out, "{name:<width$} {count}")?;
    }
    Ok(())
}

/// The highest count seen per type name, which [`growth`] compares against and updates
/// (objgraph's `peak_stats` dict).
#[derive(Clone, Debug, Default)]
pub struct PeakStats(HashMap<String, usize>);

impl PeakStats {
    /// No peaks yet: the first [`growth`] reports every type.
    pub fn new() -> PeakStats {
        PeakStats::default()
    }

    /// The peak recorded for `name`.
    pub fn get(&self, name: &str) -> usize {
        self.0.get(name).copied().unwrap_or(0)
    }
}

/// `objgraph.growth(limit, peak_stats)`: after a full collection, the types whose count
/// exceeds its peak, as `(name, count, increase over the peak)`, biggest increase first; the
/// peaks are raised. `limit == 0` means all.
pub fn growth(
    limit: usize,
    peak: &mut PeakStats,
    filter: Option<Predicate<'_>>,
) -> Vec<(String, usize, usize)> {
    gc::collect();
    let mut rows = Vec::new();
    for (name, count) in ordered_stats(true, filter) {
        let old = peak.get(&name);
        if count > old {
            peak.0.insert(name.clone(), count);
            rows.push((name, count, count - old));
        }
    }
    rows.sort_by_key(|r| std::cmp::Reverse(r.2));
    truncate(&mut rows, limit);
    rows
}

/// `objgraph.show_growth(limit, peak_stats)`: [`growth`] printed as `'%-*s%9d %+9d'`
/// (name padded to the longest, count, signed increase); nothing when nothing grew.
///
/// ```
/// use pymem::{Gc, Trace};
/// use std::cell::RefCell;
/// use pymem_tools::objgraph::{PeakStats, show_growth};
///
/// #[derive(Trace)]
/// struct Node { next: RefCell<Option<Gc<Node>>> }
///
/// let mut peak = PeakStats::new();
/// show_growth(10, &mut peak, None, &mut std::io::sink()).unwrap();
/// let nodes: Vec<_> = (0..50).map(|_| Gc::new(Node { next: RefCell::new(None) })).collect();
/// let mut out = Vec::new();
/// show_growth(10, &mut peak, None, &mut out).unwrap();
/// assert_eq!(String::from_utf8(out).unwrap(), "Node       50       +50\n");
/// ```
pub fn show_growth(
    limit: usize,
    peak: &mut PeakStats,
    filter: Option<Predicate<'_>>,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let rows = growth(limit, peak, filter);
    let width = rows.iter().map(|(n, _, _)| n.len()).max().unwrap_or(0);
    for (name, count, delta) in rows {
        writeln!(out, "{name:<width$}{count:>9} {:>+9}", delta as i64)?;
    }
    Ok(())
}

/// `objgraph.by_type(typename)`: the tracked objects of that type.
pub fn by_type(typename: &str) -> Vec<Object> {
    let objects = gc::get_objects(None).unwrap_or_default();
    objects
        .into_iter()
        .filter(|o| matches(typename, &o.display_type_name()))
        .collect()
}

/// `objgraph.get_leaking_objects()`: after a full collection, the tracked objects no other
/// object references (held only from outside the heap: often a leak, or a root).
pub fn get_leaking_objects() -> Vec<Object> {
    gc::collect();
    let graph = HeapGraph::snapshot();
    let referrers = graph.referrers();
    (0..graph.tracked_len())
        .filter(|&at| referrers[at].is_empty())
        .map(|at| graph.object(at).clone())
        .collect()
}

/// `objgraph.find_backref_chain(obj, predicate, max_depth)`: a shortest chain of references
/// from an object satisfying `predicate` down to `obj`, breadth first over referrers; the
/// chain starts at that object and ends at `obj`. `[obj]` when none is found within
/// `max_depth` links.
///
/// ```
/// use pymem::{Gc, Object, Trace};
/// use std::cell::RefCell;
///
/// #[derive(Trace)]
/// struct Node { next: RefCell<Option<Gc<Node>>> }
///
/// let a = Gc::new(Node { next: RefCell::new(None) });
/// let b = Gc::new(Node { next: RefCell::new(Some(a.clone())) });
/// let is_b = |o: &Object| o.id() == Gc::id(&b);
/// let chain = pymem_tools::objgraph::find_backref_chain(&a, &is_b, 20);
/// assert_eq!(chain.iter().map(|o| o.id()).collect::<Vec<_>>(), [Gc::id(&b), Gc::id(&a)]);
/// ```
pub fn find_backref_chain(
    obj: &dyn AsObject,
    predicate: Predicate<'_>,
    max_depth: usize,
) -> Vec<Object> {
    gc::collect();
    let graph = HeapGraph::snapshot_including(&[obj]);
    let referrers = graph.referrers();
    find_chain(&graph, obj, predicate, max_depth, |at| &referrers[at])
}

/// `objgraph.find_ref_chain(obj, predicate, max_depth)`: a shortest chain of references from
/// `obj` to an object satisfying `predicate`, breadth first over referents; it starts at
/// `obj`. `[obj]` when none is found within `max_depth` links.
pub fn find_ref_chain(
    obj: &dyn AsObject,
    predicate: Predicate<'_>,
    max_depth: usize,
) -> Vec<Object> {
    gc::collect();
    let graph = HeapGraph::snapshot_including(&[obj]);
    let mut chain = find_chain(&graph, obj, predicate, max_depth, |at| graph.referents(at));
    chain.reverse();
    chain
}

/// objgraph's `_find_chain`: breadth first from `obj` along `next`, the chain from the first
/// node satisfying `predicate` back to `obj`.
fn find_chain<'g>(
    graph: &'g HeapGraph,
    obj: &dyn AsObject,
    predicate: Predicate<'_>,
    max_depth: usize,
    next: impl Fn(usize) -> &'g [usize],
) -> Vec<Object> {
    let start = graph
        .index_of_id(object_id(obj))
        .expect("snapshot includes obj");
    let mut parent: HashMap<usize, (Option<usize>, usize)> = HashMap::from([(start, (None, 0))]);
    let mut queue = VecDeque::from([start]);
    while let Some(at) = queue.pop_front() {
        if predicate(graph.object(at)) {
            return walk_parents(graph, &parent, at);
        }
        let depth = parent[&at].1;
        if depth >= max_depth {
            continue;
        }
        for &source in next(at) {
            parent.entry(source).or_insert_with(|| {
                queue.push_back(source);
                (Some(at), depth + 1)
            });
        }
    }
    vec![obj.as_object()]
}

fn walk_parents(
    graph: &HeapGraph,
    parent: &HashMap<usize, (Option<usize>, usize)>,
    mut at: usize,
) -> Vec<Object> {
    let mut chain = vec![graph.object(at).clone()];
    while let Some(up) = parent[&at].0 {
        chain.push(graph.object(up).clone());
        at = up;
    }
    chain
}
