//! why_alive and the dominator tree against brute force on random graphs: random edges among
//! random nodes, some held from outside; brute force is breadth-first search over the model.

mod support;

use std::collections::{HashMap, VecDeque};

use proptest::prelude::*;
use pymem::{AsObject, Gc, gc};
use pymem_tools::heapy::Dominators;
use pymem_tools::{HeapGraph, why_alive_with};
use support::Node;

/// A random heap: `nodes` objects, `edges` (with repeats), and how often each node is held
/// from outside (0 for most).
#[derive(Clone, Debug)]
struct Model {
    nodes: usize,
    edges: Vec<(usize, usize)>,
    held: Vec<usize>,
}

fn model() -> impl Strategy<Value = Model> {
    (1..40usize).prop_flat_map(|nodes| {
        let edges = proptest::collection::vec((0..nodes, 0..nodes), 0..nodes * 3);
        let held = proptest::collection::vec(prop_oneof![6 => Just(0usize), 1 => 1..3usize], nodes);
        (Just(nodes), edges, held).prop_map(|(nodes, edges, held)| Model { nodes, edges, held })
    })
}

impl Model {
    fn successors(&self, at: usize) -> impl Iterator<Item = usize> + '_ {
        self.edges.iter().filter(move |e| e.0 == at).map(|e| e.1)
    }

    /// Nodes reachable from the held ones without entering `removed`.
    fn reachable(&self, removed: &[usize]) -> Vec<bool> {
        let mut seen = vec![false; self.nodes];
        let mut queue: VecDeque<usize> = (0..self.nodes)
            .filter(|&n| self.held[n] > 0 && !removed.contains(&n))
            .collect();
        queue.iter().for_each(|&n| seen[n] = true);
        while let Some(at) = queue.pop_front() {
            for next in self.successors(at) {
                if !seen[next] && !removed.contains(&next) {
                    seen[next] = true;
                    queue.push_back(next);
                }
            }
        }
        seen
    }

    /// Links on a shortest path from `from` to `to`.
    fn distance(&self, from: usize, to: usize) -> Option<usize> {
        let mut distance = vec![None; self.nodes];
        distance[from] = Some(0);
        let mut queue = VecDeque::from([from]);
        while let Some(at) = queue.pop_front() {
            for next in self.successors(at) {
                if distance[next].is_none() {
                    distance[next] = distance[at].map(|d| d + 1);
                    queue.push_back(next);
                }
            }
        }
        distance[to]
    }

    /// Builds the heap: returns the handles held from outside and each node's id.
    fn build(&self) -> (Vec<Gc<Node>>, Vec<usize>) {
        let all: Vec<Gc<Node>> = (0..self.nodes).map(|_| Node::new()).collect();
        for &(from, to) in &self.edges {
            all[from].out.borrow_mut().push(all[to].as_object());
        }
        let ids = all.iter().map(Gc::id).collect();
        let held = (0..self.nodes)
            .flat_map(|n| std::iter::repeat_n(all[n].clone(), self.held[n]))
            .collect();
        drop(all);
        gc::collect();
        (held, ids)
    }
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// The snapshot finds exactly the held nodes as roots, and the surviving nodes.
    #[test]
    fn roots_are_the_nodes_held_from_outside(model in model()) {
        let (held, ids) = model.build();
        let alive = model.reachable(&[]);
        let graph = HeapGraph::snapshot();
        prop_assert_eq!(graph.len(), alive.iter().filter(|&&a| a).count());
        for n in (0..model.nodes).filter(|&n| alive[n]) {
            let at = graph.index_of_id(ids[n]).unwrap();
            prop_assert_eq!(graph.external_refs(at), model.held[n]);
        }
        drop(graph);
        drop(held);
    }

    /// Retained sizes: for each object, the bytes that become unreachable without it; for
    /// the set of objects held from outside (all roots), everything.
    #[test]
    fn retained_sizes_match_brute_force(model in model()) {
        let node_size = Node::new().as_object().size();
        let (held, ids) = model.build();
        let alive = model.reachable(&[]);
        let tree = Dominators::new();
        let index: HashMap<usize, usize> = (0..model.nodes).filter(|&n| alive[n]).map(|n| (n, tree.graph().index_of_id(ids[n]).unwrap())).collect();
        for (&n, &at) in &index {
            let without = model.reachable(&[n]);
            let freed = (0..model.nodes).filter(|&m| alive[m] && !without[m]).count();
            prop_assert_eq!(tree.retained_size(at), freed * node_size, "node {}", n);
        }
        let set: Vec<usize> = index.values().copied().step_by(2).collect();
        let removed: Vec<usize> = index.iter().filter(|(_, at)| set.contains(at)).map(|(&n, _)| n).collect();
        let without = model.reachable(&removed);
        let freed = (0..model.nodes).filter(|&m| alive[m] && !without[m]).count();
        prop_assert_eq!(tree.retained_size_of_set(&set), freed * node_size);
        let by_type = tree.by_type();
        prop_assert_eq!(by_type.total, index.len() * node_size);
        // One type: freeing all its objects frees the whole heap.
        let rows: Vec<(usize, usize)> = by_type.rows.iter().map(|r| (r.count, r.retained)).collect();
        let expected: Vec<(usize, usize)> = if index.is_empty() { vec![] } else { vec![(index.len(), by_type.total)] };
        prop_assert_eq!(rows, expected);
        drop(tree);
        drop(held);
    }

    /// why_alive: one chain per root that reaches the object, each a real path of shortest
    /// length, shortest first.
    #[test]
    fn why_alive_matches_brute_force(model in model(), pick in any::<prop::sample::Index>()) {
        let (held, ids) = model.build();
        let alive = model.reachable(&[]);
        let survivors: Vec<usize> = (0..model.nodes).filter(|&n| alive[n]).collect();
        prop_assume!(!survivors.is_empty());
        let target = *pick.get(&survivors);
        let graph = HeapGraph::snapshot();
        let handle = graph.object(graph.index_of_id(ids[target]).unwrap()).clone();
        drop(graph);
        let why = why_alive_with(&handle, usize::MAX);
        let node_of: HashMap<usize, usize> = ids.iter().enumerate().map(|(n, &id)| (id, n)).collect();
        let mut expected: Vec<(usize, usize)> = (0..model.nodes)
            .filter(|&r| r != target && model.held[r] > 0)
            .filter_map(|r| model.distance(r, target).map(|d| (d, r)))
            .collect();
        expected.sort();
        let mut found: Vec<(usize, usize)> = Vec::new();
        for chain in why.chains() {
            let path: Vec<usize> = chain.links.iter().map(|l| node_of[&l.object.id()]).collect();
            prop_assert_eq!(*path.last().unwrap(), target);
            for (pair, link) in path.windows(2).zip(&chain.links[1..]) {
                prop_assert!(model.edges.contains(&(pair[0], pair[1])), "no edge {:?}", pair);
                // The place: the index of the first such reference in the holder's `out`.
                let index = model.successors(pair[0]).position(|to| to == pair[1]).unwrap();
                prop_assert_eq!(link.via.clone(), Some(format!(".out[{index}]")));
            }
            prop_assert_eq!(&chain.links[0].via, &None);
            for (link, &n) in chain.links.iter().zip(&path) {
                prop_assert_eq!(link.external_refs, model.held[n] + usize::from(n == target));
            }
            found.push((path.len() - 1, path[0]));
        }
        let lengths: Vec<usize> = found.iter().map(|f| f.0).collect();
        prop_assert!(lengths.windows(2).all(|w| w[0] <= w[1]));
        found.sort();
        prop_assert_eq!(found, expected);
        prop_assert_eq!(why.reaching_roots(), why.chains().len());
        prop_assert_eq!(why.external_refs(), model.held[target] + 1);
        drop(why);
        drop(handle);
        drop(held);
    }
}
