//! heapy's heap summary: the heap partitioned by type in guppy's table layout, and retained
//! sizes (what would be freed with an object, or with all objects of a type) from a dominator
//! tree.

use std::collections::{HashMap, VecDeque};
use std::fmt;

use petgraph::algo::dominators::simple_fast;
use petgraph::graph::{DiGraph, NodeIndex};
use pymem::{AsObject, Object};

use crate::heap_graph::{HeapGraph, object_id};
use crate::objgraph::type_name;

/// Rows heapy prints before `<N more rows. …>`.
const SHOWN_ROWS: usize = 10;

/// A set of objects partitioned by type (heapy's `Partition` of `hpy().heap().bytype`).
#[derive(Clone, Debug)]
pub struct Partition {
    /// One row per type, largest total size first, ties by name (as heapy).
    pub rows: Vec<Row>,
    /// Objects in the set.
    pub count: usize,
    /// Their total size in bytes.
    pub size: usize,
}

/// One type's objects in a [`Partition`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The type's short name.
    pub kind: String,
    /// The type's full Rust path.
    pub path: &'static str,
    /// Objects of this type.
    pub count: usize,
    /// Their bytes.
    pub size: usize,
}

/// heapy's `hpy().heap()`: every object the heap graph holds (the tracked objects and the
/// untracked ones they reference), by type, largest total size first.
///
/// ```
/// use pymem::{Gc, Trace};
/// use std::cell::RefCell;
///
/// #[derive(Trace)]
/// struct Node { next: RefCell<Option<Gc<Node>>> }
///
/// let nodes: Vec<_> = (0..300).map(|_| Gc::new(Node { next: RefCell::new(None) })).collect();
/// let table = pymem_tools::heapy::heap().to_string();
/// assert!(table.starts_with("Partition of a set of 300 objects."));
/// ```
pub fn heap() -> Partition {
    partition(&HeapGraph::snapshot())
}

/// The partition of a snapshot's objects by type.
pub fn partition(graph: &HeapGraph) -> Partition {
    let mut rows: Vec<Row> = Vec::new();
    // By the name the value gives its type: one Rust type may stand for many classes.
    let mut at: HashMap<String, usize> = HashMap::new();
    for obj in graph.objects() {
        let slot = *at.entry(obj.display_type_name()).or_insert_with(|| {
            rows.push(Row {
                kind: type_name(obj, true),
                path: obj.type_name(),
                count: 0,
                size: 0,
            });
            rows.len() - 1
        });
        rows[slot].count += 1;
        rows[slot].size += obj.size();
    }
    rows.sort_by(|a, b| b.size.cmp(&a.size).then_with(|| a.kind.cmp(&b.kind)));
    Partition {
        count: graph.len(),
        size: rows.iter().map(|r| r.size).sum(),
        rows,
    }
}

/// heapy's percentages: `int('%.0f' % (part * 100.0 / whole))`, rounding ties to even.
fn percent(part: usize, whole: usize) -> usize {
    if whole == 0 {
        return 0;
    }
    (part as f64 * 100.0 / whole as f64).round_ties_even() as usize
}

impl fmt::Display for Partition {
    /// guppy's `SetFormat`: a label line, the header, `'%6d %6d %3d %8d %3d %9d %3d '` and
    /// the kind per row, ten rows, then `<N more rows. Type e.g. '_.more' to view.>`:
    ///
    /// ```text
    /// Partition of a set of 602 objects. Total size = 41104 bytes.
    ///  Index  Count   %     Size   % Cumulative  % Type
    ///      0    300  50    24000  58     24000  58 Node
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = if self.count == 1 { "" } else { "s" };
        writeln!(
            f,
            "Partition of a set of {} object{s}. Total size = {} bytes.",
            self.count, self.size
        )?;
        writeln!(f, " Index  Count   %     Size   % Cumulative  % Type")?;
        let mut cumulative = 0;
        for (index, row) in self.rows.iter().enumerate().take(SHOWN_ROWS) {
            cumulative += row.size;
            writeln!(
                f,
                "{index:>6} {:>6} {:>3} {:>8} {:>3} {cumulative:>9} {:>3} {}",
                row.count,
                percent(row.count, self.count),
                row.size,
                percent(row.size, self.size),
                percent(cumulative, self.size),
                row.kind
            )?;
        }
        if self.rows.len() > SHOWN_ROWS {
            let more = self.rows.len() - SHOWN_ROWS;
            writeln!(f, "<{more} more rows. Type e.g. '_.more' to view.>")?;
        }
        Ok(())
    }
}

/// The dominator tree of a heap snapshot, rooted at a virtual node that references every root
/// (every object referenced from outside the heap): an object dominates another when every
/// chain from the roots to the other passes through it, so its retained size (heapy's
/// `domisize`) is the total size of the objects it dominates, itself included.
///
/// Objects no root reaches (garbage awaiting collection) are outside the tree and retain 0.
///
/// ```
/// use pymem::{Gc, Trace};
/// use std::cell::RefCell;
///
/// #[derive(Trace)]
/// struct Node { next: RefCell<Option<Gc<Node>>> }
///
/// let leaf = Node { next: RefCell::new(None) };
/// let head = Gc::new(Node { next: RefCell::new(Some(Gc::new(leaf))) });
/// let tree = pymem_tools::heapy::Dominators::new();
/// let one = tree.graph().size(0);
/// assert_eq!(tree.retained_size_of(&head), Some(2 * one)); // itself and the leaf
/// print!("{}", tree.by_type());
/// ```
pub struct Dominators {
    graph: HeapGraph,
    idom: Vec<Option<usize>>,
    retained: Vec<usize>,
}

impl Dominators {
    /// Builds the tree over a new snapshot (petgraph's `simple_fast`, Cooper–Harvey–Kennedy).
    pub fn new() -> Dominators {
        Dominators::of(HeapGraph::snapshot())
    }

    /// Builds the tree over `graph`.
    pub fn of(graph: HeapGraph) -> Dominators {
        let idom = immediate_dominators(&graph);
        let retained = retained_sizes(&graph, &idom);
        Dominators {
            graph,
            idom,
            retained,
        }
    }

    /// The snapshot the tree is built on.
    pub fn graph(&self) -> &HeapGraph {
        &self.graph
    }

    /// The node's immediate dominator; `None` for a node whose only dominator is the virtual
    /// root (every root, for one), or that no root reaches.
    pub fn immediate_dominator(&self, at: usize) -> Option<usize> {
        self.idom[at].filter(|&d| d != self.graph.len())
    }

    /// Whether any root reaches the node.
    pub fn is_reachable(&self, at: usize) -> bool {
        self.idom[at].is_some()
    }

    /// Bytes freed if the node were freed: the sizes of the nodes it dominates, its own too.
    pub fn retained_size(&self, at: usize) -> usize {
        self.retained[at]
    }

    /// Bytes freed with `obj`; `None` if it is not in the snapshot.
    pub fn retained_size_of(&self, obj: &dyn AsObject) -> Option<usize> {
        self.graph
            .index_of_id(object_id(obj))
            .map(|at| self.retained[at])
    }

    /// The `limit` objects that retain most, largest first, as `(object, retained bytes)`.
    pub fn largest(&self, limit: usize) -> Vec<(Object, usize)> {
        let mut order: Vec<usize> = (0..self.graph.len()).collect();
        order.sort_by(|&a, &b| self.retained[b].cmp(&self.retained[a]));
        order
            .into_iter()
            .take(limit)
            .map(|at| (self.graph.object(at).clone(), self.retained[at]))
            .collect()
    }

    /// Bytes freed if every object in `set` were freed: the reachable nodes that no root
    /// reaches without passing through `set`. One breadth-first walk.
    pub fn retained_size_of_set(&self, set: &[usize]) -> usize {
        let mut blocked = vec![false; self.graph.len()];
        set.iter().for_each(|&at| blocked[at] = true);
        let seen = reach(&self.graph, &blocked);
        (0..self.graph.len())
            .filter(|&at| self.is_reachable(at) && !seen[at])
            .map(|at| self.graph.size(at))
            .sum()
    }

    /// Retained sizes by type: for each type, what freeing all its objects would free, in a
    /// table sorted by that size. One walk of the heap per type.
    pub fn by_type(&self) -> RetainedTable {
        let mut members: Vec<(String, Vec<usize>, usize)> = Vec::new();
        for row in partition(&self.graph).rows {
            members.push((row.kind, Vec::new(), row.size));
        }
        let kinds: HashMap<String, usize> = members
            .iter()
            .enumerate()
            .map(|(i, m)| (m.0.clone(), i))
            .collect();
        for (at, obj) in self.graph.objects().iter().enumerate() {
            members[kinds[&type_name(obj, true)]].1.push(at);
        }
        let mut rows: Vec<RetainedRow> = members
            .into_iter()
            .map(|(kind, set, size)| RetainedRow {
                retained: self.retained_size_of_set(&set),
                count: set.len(),
                size,
                kind,
            })
            .collect();
        rows.sort_by(|a, b| b.retained.cmp(&a.retained).then(b.size.cmp(&a.size)));
        let reachable = (0..self.graph.len()).filter(|&at| self.is_reachable(at));
        RetainedTable {
            total: reachable.map(|at| self.graph.size(at)).sum(),
            rows,
        }
    }
}

impl Default for Dominators {
    fn default() -> Self {
        Dominators::new()
    }
}

/// Which nodes the roots reach without entering a `blocked` node (breadth first).
fn reach(graph: &HeapGraph, blocked: &[bool]) -> Vec<bool> {
    let mut seen = vec![false; graph.len()];
    let mut queue: VecDeque<usize> = graph.roots().into_iter().filter(|&r| !blocked[r]).collect();
    queue.iter().for_each(|&r| seen[r] = true);
    while let Some(at) = queue.pop_front() {
        for &next in graph.referents(at) {
            if !seen[next] && !blocked[next] {
                seen[next] = true;
                queue.push_back(next);
            }
        }
    }
    seen
}

/// Each node's immediate dominator, the virtual root being `graph.len()`; `None` when
/// unreachable.
fn immediate_dominators(graph: &HeapGraph) -> Vec<Option<usize>> {
    let root = graph.len();
    let mut g: DiGraph<(), ()> = DiGraph::with_capacity(root + 1, root);
    (0..=root).for_each(|_| {
        g.add_node(());
    });
    for r in graph.roots() {
        g.add_edge(NodeIndex::new(root), NodeIndex::new(r), ());
    }
    for at in 0..root {
        for &next in graph.referents(at) {
            g.add_edge(NodeIndex::new(at), NodeIndex::new(next), ());
        }
    }
    let tree = simple_fast(&g, NodeIndex::new(root));
    (0..root)
        .map(|at| {
            tree.immediate_dominator(NodeIndex::new(at))
                .map(|d| d.index())
        })
        .collect()
}

/// Subtree sizes of the dominator tree, children summed before parents (no recursion).
fn retained_sizes(graph: &HeapGraph, idom: &[Option<usize>]) -> Vec<usize> {
    let root = graph.len();
    let mut children = vec![Vec::new(); root + 1];
    for (at, parent) in idom.iter().enumerate() {
        if let Some(p) = parent {
            children[*p].push(at);
        }
    }
    let mut preorder = Vec::with_capacity(root + 1);
    let mut stack = vec![root];
    while let Some(at) = stack.pop() {
        preorder.push(at);
        stack.extend(&children[at]);
    }
    let mut retained = vec![0; root + 1];
    for &at in preorder.iter().rev().filter(|&&at| at != root) {
        retained[at] += graph.size(at);
        if let Some(p) = idom[at] {
            retained[p] += retained[at];
        }
    }
    retained.truncate(root);
    retained
}

/// Retained sizes by type, largest first.
#[derive(Clone, Debug)]
pub struct RetainedTable {
    /// One row per type.
    pub rows: Vec<RetainedRow>,
    /// Bytes of all objects the roots reach.
    pub total: usize,
}

/// What freeing all objects of one type would free.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetainedRow {
    /// The type's short name.
    pub kind: String,
    /// Objects of the type.
    pub count: usize,
    /// Their own bytes.
    pub size: usize,
    /// Bytes freed with them: theirs and everything only they keep reachable.
    pub retained: usize,
}

impl fmt::Display for RetainedTable {
    /// heapy's columns with a retained-size column:
    ///
    /// ```text
    /// Retained sizes of 3 types. Total reachable size = 41104 bytes.
    ///  Index  Count     Size   Retained   % Type
    ///      0      1     2520      40920 100 Vec<Gc<Node>>
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.rows.len();
        writeln!(
            f,
            "Retained sizes of {n} types. Total reachable size = {} bytes.",
            self.total
        )?;
        writeln!(f, " Index  Count     Size   Retained   % Type")?;
        for (index, row) in self.rows.iter().enumerate() {
            let pct = percent(row.retained, self.total);
            writeln!(
                f,
                "{index:>6} {:>6} {:>8} {:>10} {pct:>3} {}",
                row.count, row.size, row.retained, row.kind
            )?;
        }
        Ok(())
    }
}
