//! Random programs against a reference reachability model (reliability plan §3.3).
//!
//! A program is a list of operations on a graph of `MNode`s: allocate, clone or drop a
//! root, add or remove an edge, collect a generation. The model keeps the same graph as
//! plain vectors. After every operation: nothing was dropped while the model says it is
//! reachable, nothing was dropped twice, every live object's count equals its roots plus
//! its in-edges from live objects, and weak references upgrade exactly for live objects.
//! After every full collection the live set equals the model's reachable set.

use proptest::prelude::*;
use pymem::{Gc, Trace, Weak, gc};
use std::cell::RefCell;
use std::rc::Rc;

#[derive(Trace)]
struct MNode {
    #[trace(skip)]
    id: usize,
    edges: RefCell<Vec<Gc<MNode>>>,
    #[trace(skip)]
    log: Rc<RefCell<Vec<usize>>>,
}

impl Drop for MNode {
    fn drop(&mut self) {
        self.log.borrow_mut().push(self.id);
    }
}

#[derive(Clone, Debug)]
enum Op {
    New,
    CloneRoot(usize),
    DropRoot(usize),
    /// `roots[a].edges.push(roots[b])`
    Link(usize, usize),
    /// remove edge `k` of `roots[a]`
    Unlink(usize, usize),
    /// make the target of edge `k` of `roots[a]` a root
    Follow(usize, usize),
    Collect(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => Just(Op::New),
        1 => any::<usize>().prop_map(Op::CloneRoot),
        3 => any::<usize>().prop_map(Op::DropRoot),
        5 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Op::Link(a, b)),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, k)| Op::Unlink(a, k)),
        2 => (any::<usize>(), any::<usize>()).prop_map(|(a, k)| Op::Follow(a, k)),
        1 => (0..3_usize).prop_map(Op::Collect),
    ]
}

/// The shadow graph.
#[derive(Default)]
struct Model {
    edges: Vec<Vec<usize>>,
    dropped: Vec<bool>,
    roots: Vec<usize>,
}

impl Model {
    fn reachable(&self) -> Vec<bool> {
        let mut seen = vec![false; self.edges.len()];
        let mut stack = self.roots.clone();
        while let Some(id) = stack.pop() {
            if !std::mem::replace(&mut seen[id], true) {
                stack.extend(&self.edges[id]);
            }
        }
        seen
    }

    /// Expected strong count of each object: its roots plus its in-edges from live objects.
    fn expected_counts(&self) -> Vec<usize> {
        let mut counts = vec![0; self.edges.len()];
        let live = (0..self.edges.len()).filter(|&o| !self.dropped[o]);
        for target in self.roots.iter().chain(live.flat_map(|o| &self.edges[o])) {
            counts[*target] += 1;
        }
        counts
    }
}

/// The real heap, driven in step with the model.
struct Harness {
    model: Model,
    roots: Vec<Gc<MNode>>,
    weaks: Vec<Weak<MNode>>,
    log: Rc<RefCell<Vec<usize>>>,
}

impl Harness {
    fn new() -> Harness {
        Harness {
            model: Model::default(),
            roots: vec![],
            weaks: vec![],
            log: Rc::default(),
        }
    }

    fn apply(&mut self, op: &Op) {
        let n = self.roots.len();
        match *op {
            Op::New => self.alloc(),
            Op::CloneRoot(r) if n > 0 => self.push_root(self.roots[r % n].clone()),
            Op::DropRoot(r) if n > 0 => {
                self.model.roots.swap_remove(r % n);
                self.roots.swap_remove(r % n);
            }
            Op::Link(a, b) if n > 0 => {
                let (a, b) = (self.roots[a % n].clone(), self.roots[b % n].clone());
                self.model.edges[a.id].push(b.id);
                a.edges.borrow_mut().push(b);
            }
            Op::Unlink(a, k) if n > 0 => {
                let a = self.roots[a % n].clone();
                let len = a.edges.borrow().len();
                if len > 0 {
                    self.model.edges[a.id].remove(k % len);
                    let removed = a.edges.borrow_mut().remove(k % len);
                    drop(removed);
                }
            }
            Op::Follow(a, k) if n > 0 => {
                let target = {
                    let edges = self.roots[a % n].edges.borrow();
                    (!edges.is_empty()).then(|| edges[k % edges.len()].clone())
                };
                if let Some(target) = target {
                    self.push_root(target);
                }
            }
            Op::Collect(g) => {
                gc::collect_generation(g).unwrap();
            }
            _ => {}
        }
    }

    fn alloc(&mut self) {
        let id = self.model.edges.len();
        self.model.edges.push(Vec::new());
        self.model.dropped.push(false);
        let node = Gc::new(MNode {
            id,
            edges: RefCell::default(),
            log: self.log.clone(),
        });
        self.weaks.push(Gc::downgrade(&node));
        self.push_root(node);
    }

    fn push_root(&mut self, node: Gc<MNode>) {
        self.model.roots.push(node.id);
        self.roots.push(node);
    }

    /// Applies the drops the heap performed, checking each against the model.
    fn check(&mut self, after_full_collection: bool) -> Result<(), TestCaseError> {
        let reachable = self.model.reachable();
        for id in self.log.take() {
            prop_assert!(!self.model.dropped[id], "object {id} dropped twice");
            prop_assert!(!reachable[id], "object {id} dropped while reachable");
            self.model.dropped[id] = true;
        }
        let counts = self.model.expected_counts();
        for (id, &reachable) in reachable.iter().enumerate() {
            let live = !self.model.dropped[id];
            prop_assert_eq!(
                self.weaks[id].upgrade().is_some(),
                live,
                "weak upgrade of {}",
                id
            );
            if live {
                prop_assert_eq!(self.weaks[id].strong_count(), counts[id]);
            }
            if after_full_collection {
                prop_assert_eq!(live, reachable, "object {} after a full collection", id);
            }
        }
        Ok(())
    }

    fn run(mut self, ops: &[Op]) -> Result<(), TestCaseError> {
        for op in ops {
            self.apply(op);
            self.check(matches!(op, Op::Collect(2)))?;
        }
        self.roots.clear();
        self.model.roots.clear();
        gc::collect();
        self.check(true)?;
        prop_assert!(
            self.model.dropped.iter().all(|&d| d),
            "everything is freed at the end"
        );
        Ok(())
    }
}

fn config() -> ProptestConfig {
    let cases = if cfg!(miri) { 6 } else { 512 };
    let cases = std::env::var("PYMEM_MODEL_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn program() -> impl Strategy<Value = Vec<Op>> {
    // About a quarter of the operations allocate: up to ~300 objects per program.
    let max = if cfg!(miri) { 60 } else { 1200 };
    proptest::collection::vec(op(), 0..max)
}

proptest! {
    #![proptest_config(config())]

    /// Explicit collections only.
    #[test]
    fn model_explicit_collections(ops in program()) {
        gc::disable();
        gc::collect();
        Harness::new().run(&ops)?;
    }

    /// Automatic collections as well, with small thresholds so that they happen often.
    #[test]
    fn model_automatic_collections(ops in program(), t in (1..20_usize, 1..5_usize, 1..5_usize)) {
        gc::set_threshold(t.0, t.1, t.2).unwrap();
        gc::enable();
        let result = Harness::new().run(&ops);
        gc::set_threshold(2000, 10, 10).unwrap();
        result?;
    }
}
