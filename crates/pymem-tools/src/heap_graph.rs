//! A snapshot of the object graph: every tracked object, the untracked objects they
//! reference, the edges between them, and how many references come from outside the heap.

use std::collections::HashMap;

use pymem::{AsObject, Object, gc};

/// The objects of this thread's heap and their references, taken at one moment.
///
/// Nodes are the tracked objects of generations 0–2 (`gc::get_objects(None)`, so not frozen
/// ones) followed by the untracked objects (atoms such as `Gc<String>`) they reference.
/// Untracked objects referenced only from outside the heap are invisible, as they are to
/// CPython's `gc` module and to objgraph.
///
/// The snapshot holds one reference to each node; counts it reports subtract it. While it
/// lives, nothing in it can be freed, so build it, ask, and drop it. A `RefCell` borrowed
/// mutably while the snapshot is taken reports no references (it cannot be read), so what it
/// holds looks referenced from outside: a root, as the collector would treat it.
pub struct HeapGraph {
    objects: Vec<Object>,
    tracked: usize,
    index: HashMap<usize, usize>,
    edges: Vec<Vec<usize>>,
    in_degree: Vec<usize>,
}

impl HeapGraph {
    /// Snapshots the heap as it is (no collection first; call [`gc::collect`] for that).
    ///
    /// ```
    /// use pymem::Gc;
    /// use std::cell::RefCell;
    ///
    /// let text = Gc::new(String::from("leaf"));
    /// let list = Gc::new(RefCell::new(vec![text.clone()]));
    /// let graph = pymem_tools::HeapGraph::snapshot();
    /// let at = graph.index_of(&list).unwrap();
    /// assert_eq!(graph.referents(at).len(), 1);
    /// assert_eq!(graph.external_refs(at), 1); // `list` itself
    /// ```
    pub fn snapshot() -> HeapGraph {
        HeapGraph::snapshot_including(&[])
    }

    /// As [`HeapGraph::snapshot`], with `extra` objects as nodes even when they are not in
    /// a generation (an untracked object the caller holds, a frozen one); they are not
    /// traced.
    pub fn snapshot_including(extra: &[&dyn AsObject]) -> HeapGraph {
        let objects = gc::get_objects(None).unwrap_or_default();
        let tracked = objects.len();
        let index = objects
            .iter()
            .enumerate()
            .map(|(i, o)| (o.id(), i))
            .collect();
        let mut graph = HeapGraph {
            objects,
            tracked,
            index,
            edges: Vec::new(),
            in_degree: Vec::new(),
        };
        for obj in extra {
            graph.intern(obj.as_object());
        }
        graph.trace_all();
        graph
    }

    /// Traces each tracked object once, appending the untracked targets it meets as nodes.
    fn trace_all(&mut self) {
        for at in 0..self.tracked {
            let targets = gc::get_referents(&[&self.objects[at]]);
            let targets = targets.into_iter().map(|t| self.intern(t)).collect();
            self.edges.push(targets);
        }
        self.edges.resize(self.objects.len(), Vec::new());
        self.in_degree = vec![0; self.objects.len()];
        for &target in self.edges.iter().flatten() {
            self.in_degree[target] += 1;
        }
    }

    fn intern(&mut self, object: Object) -> usize {
        let next = self.objects.len();
        let at = *self.index.entry(object.id()).or_insert(next);
        if at == next {
            self.objects.push(object);
        }
        at
    }

    /// The number of nodes.
    pub fn len(&self) -> usize {
        self.objects.len()
    }

    /// Whether the heap holds no tracked object.
    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }

    /// The number of tracked nodes; they come first, at indices `0..tracked_len()`.
    pub fn tracked_len(&self) -> usize {
        self.tracked
    }

    /// The node at `at`.
    pub fn object(&self, at: usize) -> &Object {
        &self.objects[at]
    }

    /// All nodes, tracked ones first.
    pub fn objects(&self) -> &[Object] {
        &self.objects
    }

    /// The node of `obj`, if it is in the snapshot.
    pub fn index_of(&self, obj: &dyn AsObject) -> Option<usize> {
        self.index_of_id(object_id(obj))
    }

    /// The node whose object has this id.
    pub fn index_of_id(&self, id: usize) -> Option<usize> {
        self.index.get(&id).copied()
    }

    /// The nodes `at` references, in traversal order, once per reference.
    pub fn referents(&self, at: usize) -> &[usize] {
        &self.edges[at]
    }

    /// For each node, the nodes that reference it, once per reference, in node order.
    pub fn referrers(&self) -> Vec<Vec<usize>> {
        let mut back = vec![Vec::new(); self.len()];
        for (source, targets) in self.edges.iter().enumerate() {
            for &target in targets {
                back[target].push(source);
            }
        }
        back
    }

    /// The object's strong count, without the snapshot's own reference.
    pub fn ref_count(&self, at: usize) -> usize {
        self.objects[at].ref_count() - 1
    }

    /// References to the node from outside the heap: its count minus the references other
    /// nodes hold, as the collector's `subtract_refs` computes. A node with any is a root.
    pub fn external_refs(&self, at: usize) -> usize {
        self.ref_count(at).saturating_sub(self.in_degree[at])
    }

    /// The roots: nodes referenced from outside the heap, in node order.
    pub fn roots(&self) -> Vec<usize> {
        (0..self.len())
            .filter(|&at| self.external_refs(at) > 0)
            .collect()
    }

    /// The node's bytes (`sys.getsizeof`).
    pub fn size(&self, at: usize) -> usize {
        self.objects[at].size()
    }
}

/// The id of whatever handle the caller holds (a `Gc` or an `Object`).
pub(crate) fn object_id(obj: &dyn AsObject) -> usize {
    obj.as_object().id()
}
