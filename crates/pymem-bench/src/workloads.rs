//! The workloads, written once. `workloads!()` expands inside a peer module, where these
//! names must be in scope:
//!
//! * `P<T>`: the strong pointer (`new`, `Clone`, `Deref`) and `C<T>`: the cell
//!   (`new`, `borrow`, `borrow_mut`); `traced!(Type; field, ...)` implements the peer's
//!   tracing trait for a node type;
//! * `MANUAL`: the peer cannot collect cycles, so workloads break them by hand (`Rc`: the
//!   floor, as `docs/benchmarks.md` defines it);
//! * `configure()` (the peer's automatic-collection policy, reported in the docs),
//!   `collect()` (one full collection), `remember(&P<Graph>)` / `break_remembered()` (break
//!   random graphs by hand at the end; no-ops for collectors);
//! * `AUTO_COLLECTS`: the peer collects cycles on its own (B10 runs only then), and `Probe`
//!   (`start()`, `op(f)`, `finish() -> Vec<Duration>`): how each automatic collection is
//!   seen and timed;
//! * `weak_roundtrip(&P<Node>) -> Option<u64>`: downgrade, upgrade, read (B13); `None` if the
//!   peer has no weak references.
//!
//! The Python twin of each workload is in `python/workloads.py`; keep them in step.

macro_rules! workloads {
    () => {
        use std::hint::black_box;
        use std::time::{Duration, Instant};
        use $crate::count;
        use $crate::prng::SplitMix64;
        use $crate::{Outcome, Workload};

        /// B1, B2, B3, B10, B13: a value and one link.
        struct Node {
            v: u64,
            next: C<Option<P<Node>>>,
        }
        traced!(Node; next);
        impl Drop for Node {
            fn drop(&mut self) {
                count::freed();
            }
        }

        fn node(v: u64) -> P<Node> {
            count::allocated();
            P::new(Node { v, next: C::new(None) })
        }

        /// B6, B10: an immutable binary tree, built bottom-up.
        struct Tree {
            l: Option<P<Tree>>,
            r: Option<P<Tree>>,
        }
        traced!(Tree; l, r);
        impl Drop for Tree {
            fn drop(&mut self) {
                count::freed();
            }
        }

        fn tree(depth: usize) -> P<Tree> {
            let (l, r) = if depth == 0 { (None, None) } else { (Some(tree(depth - 1)), Some(tree(depth - 1))) };
            count::allocated();
            P::new(Tree { l, r })
        }

        fn check(t: &Tree) -> u64 {
            1 + t.l.as_deref().map_or(0, check) + t.r.as_deref().map_or(0, check)
        }

        /// B4: a doubly linked ring node.
        struct Ring {
            next: C<Option<P<Ring>>>,
            prev: C<Option<P<Ring>>>,
        }
        traced!(Ring; next, prev);
        impl Drop for Ring {
            fn drop(&mut self) {
                count::freed();
            }
        }

        /// B5: a list whose items are all the previous level.
        struct Level {
            items: Vec<P<Level>>,
        }
        traced!(Level; items);
        impl Drop for Level {
            fn drop(&mut self) {
                count::freed();
            }
        }

        /// B7: a tree node with a strong parent pointer.
        struct PTree {
            parent: C<Option<P<PTree>>>,
            left: Option<P<PTree>>,
            right: Option<P<PTree>>,
        }
        traced!(PTree; parent, left, right);
        impl Drop for PTree {
            fn drop(&mut self) {
                count::freed();
            }
        }

        /// B8: GCBench's mutable node.
        struct GNode {
            left: C<Option<P<GNode>>>,
            right: C<Option<P<GNode>>>,
        }
        traced!(GNode; left, right);
        impl Drop for GNode {
            fn drop(&mut self) {
                count::freed();
            }
        }

        /// B9: a node of a random graph.
        struct Graph {
            edges: C<Vec<P<Graph>>>,
        }
        traced!(Graph; edges);
        impl Drop for Graph {
            fn drop(&mut self) {
                count::freed();
            }
        }

        fn graph() -> P<Graph> {
            count::allocated();
            let g = P::new(Graph { edges: C::new(Vec::new()) });
            remember(&g);
            g
        }

        /// Runs `w` at size `n`; `None` if this peer cannot run it (no weak references, or
        /// no automatic collection for B10).
        pub(super) fn run(w: Workload, n: usize) -> Option<Outcome> {
            configure();
            count::reset();
            let started = Instant::now();
            let mut outcome = match w.base() {
                Workload::Churn => churn(n),
                Workload::Bulk => bulk(n),
                Workload::Cycles => cycles(n),
                Workload::Rings => rings(n),
                Workload::Traverse => traverse(n),
                Workload::BinaryTrees => bintrees(n),
                Workload::ParentTrees => parenttrees(n),
                Workload::GcBench => gcbench(n),
                Workload::Stress => stress(n),
                Workload::Multiref => multiref(n),
                Workload::Pause => pause(n)?,
                Workload::Weak => weak(n)?,
                Workload::Alloc | Workload::AllocThreads => return None,
                Workload::TraceChurn | Workload::TraceBulk | Workload::TraceBinaryTrees => {
                    unreachable!("base() maps B12 to B1, B2, B6")
                }
            };
            collect();
            outcome.phases.push(("total", started.elapsed()));
            (outcome.allocated, outcome.freed) = count::totals();
            Some(outcome)
        }

        fn outcome(checksum: u64, phases: Vec<(&'static str, Duration)>) -> Outcome {
            Outcome { checksum, phases, ..Outcome::default() }
        }

        fn churn(n: usize) -> Outcome {
            let mut sum = 0u64;
            for i in 0..n {
                let x = node(i as u64);
                sum = sum.wrapping_add(black_box(&x).v);
            }
            outcome(sum, vec![])
        }

        fn bulk(n: usize) -> Outcome {
            let all: Vec<P<Node>> = (0..n).map(|i| node(i as u64)).collect();
            let mut sum = 0u64;
            for x in &all {
                let y = black_box(x.clone());
                sum = sum.wrapping_add(y.v);
            }
            drop(all);
            outcome(sum, vec![])
        }

        fn cycles(n: usize) -> Outcome {
            let t = Instant::now();
            let mut sum = 0u64;
            for i in 0..n as u64 {
                let (a, b) = (node(i), node(i + 1));
                *a.next.borrow_mut() = Some(b.clone());
                *b.next.borrow_mut() = Some(a.clone());
                sum = sum.wrapping_add(a.v + b.v);
                if MANUAL {
                    a.next.borrow_mut().take();
                }
            }
            let build = t.elapsed();
            let t = Instant::now();
            collect();
            outcome(sum, vec![("build", build), ("collect", t.elapsed())])
        }

        fn ring_node() -> P<Ring> {
            count::allocated();
            P::new(Ring { next: C::new(None), prev: C::new(None) })
        }

        /// pyperformance's `create_cycle(node, 20)`: 21 nodes linked both ways.
        fn ring() -> P<Ring> {
            let first = ring_node();
            let mut current = first.clone();
            for _ in 0..20 {
                let next = ring_node();
                *current.next.borrow_mut() = Some(next.clone());
                *next.prev.borrow_mut() = Some(current.clone());
                current = next;
            }
            *current.next.borrow_mut() = Some(first.clone());
            *first.prev.borrow_mut() = Some(current);
            first
        }

        fn break_ring(first: &P<Ring>) {
            let mut current = first.clone();
            loop {
                current.prev.borrow_mut().take();
                let next = current.next.borrow().clone().expect("ring");
                if std::ptr::eq(&*next, &**first) {
                    break;
                }
                current = next;
            }
            first.next.borrow_mut().take();
        }

        fn rings(n: usize) -> Outcome {
            let mut collecting = Duration::ZERO;
            for _ in 0..n {
                let all: Vec<P<Ring>> = (0..100).map(|_| ring()).collect();
                if MANUAL {
                    all.iter().for_each(break_ring);
                }
                drop(all);
                let t = Instant::now();
                collect();
                collecting += t.elapsed();
            }
            outcome(2100 * n as u64, vec![("collect", collecting)])
        }

        fn level(items: Vec<P<Level>>) -> P<Level> {
            count::allocated();
            P::new(Level { items })
        }

        /// Clones and drops a handle to every level (collectors that scan only objects whose
        /// count dropped then scan them all), and counts the edges on the way.
        fn touch_levels(top: &P<Level>) -> u64 {
            let (mut edges, mut current) = (0, top.clone());
            loop {
                edges += current.items.len() as u64;
                let next = current.items.first().cloned();
                match next {
                    Some(next) => current = next,
                    None => return edges,
                }
            }
        }

        fn traverse(n: usize) -> Outcome {
            let t = Instant::now();
            let mut top = level(Vec::new());
            for k in 0..n {
                // Level k holds k references to level k - 1 (level 0 is empty and frees the
                // starting list, as pyperformance's `[None] * 0` does).
                top = level(vec![top; k]);
            }
            let build = t.elapsed();
            let mut edges = 0;
            let mut best = Duration::MAX;
            for _ in 0..9 {
                edges = touch_levels(&top);
                let t = Instant::now();
                collect();
                best = best.min(t.elapsed());
            }
            drop(top);
            outcome(edges, vec![("build", build), ("collect", best)])
        }

        fn bintrees(n: usize) -> Outcome {
            let (min_depth, max_depth) = (4, n.max(6));
            let mut sum = check(&tree(max_depth + 1));
            let long_lived = tree(max_depth);
            for d in (min_depth..=max_depth).step_by(2) {
                for _ in 0..1u64 << (max_depth - d + min_depth) {
                    sum += check(&tree(d));
                }
            }
            sum += check(&long_lived);
            outcome(sum, vec![])
        }

        fn ptree(depth: usize) -> P<PTree> {
            count::allocated();
            if depth == 0 {
                return P::new(PTree { parent: C::new(None), left: None, right: None });
            }
            let (left, right) = (ptree(depth - 1), ptree(depth - 1));
            let me = P::new(PTree { parent: C::new(None), left: Some(left), right: Some(right) });
            for child in [&me.left, &me.right].into_iter().flatten() {
                if child.left.is_some() {
                    *child.parent.borrow_mut() = Some(me.clone());
                }
            }
            me
        }

        fn pcheck(t: &PTree) -> u64 {
            1 + t.left.as_deref().map_or(0, pcheck) + t.right.as_deref().map_or(0, pcheck)
        }

        fn unparent(t: &PTree) {
            t.parent.borrow_mut().take();
            t.left.as_deref().into_iter().chain(t.right.as_deref()).for_each(unparent);
        }

        fn parenttrees(n: usize) -> Outcome {
            let mut sum = 0;
            for depth in (4..n).step_by(2) {
                let mut check = 0;
                for _ in 1..=1u64 << (n - depth + 4) {
                    let t = ptree(depth);
                    check += pcheck(&t);
                    if MANUAL {
                        unparent(&t);
                    }
                }
                sum += check;
            }
            outcome(sum, vec![])
        }

        fn gnode() -> P<GNode> {
            count::allocated();
            P::new(GNode { left: C::new(None), right: C::new(None) })
        }

        fn populate(depth: usize, node: &P<GNode>) {
            if depth > 0 {
                let (l, r) = (gnode(), gnode());
                *node.left.borrow_mut() = Some(l.clone());
                *node.right.borrow_mut() = Some(r.clone());
                populate(depth - 1, &l);
                populate(depth - 1, &r);
            }
        }

        fn make_gtree(depth: usize) -> P<GNode> {
            let node = gnode();
            if depth > 0 {
                *node.left.borrow_mut() = Some(make_gtree(depth - 1));
                *node.right.borrow_mut() = Some(make_gtree(depth - 1));
            }
            node
        }

        fn tree_size(depth: usize) -> u64 {
            (1 << (depth + 1)) - 1
        }

        /// Boehm's GCBench with kLongLivedTreeDepth = n, kStretchTreeDepth = n + 2,
        /// kMinTreeDepth = 4, kArraySize = 500000.
        fn gcbench(n: usize) -> Outcome {
            let (stretch, long_depth, min_depth) = (n + 2, n, 4);
            drop(make_gtree(stretch));
            let long_lived = gnode();
            populate(long_depth, &long_lived);
            let mut array = vec![0.0_f64; 500_000];
            for (i, x) in array.iter_mut().enumerate().take(250_000).skip(1) {
                *x = 1.0 / i as f64;
            }
            let mut nodes = tree_size(stretch) + tree_size(long_depth);
            for d in (min_depth..=n).step_by(2) {
                let iters = 2 * tree_size(stretch) / tree_size(d);
                for _ in 0..iters {
                    let t = gnode();
                    populate(d, &t);
                }
                for _ in 0..iters {
                    drop(make_gtree(d));
                }
                nodes += 2 * iters * tree_size(d);
            }
            assert!(long_lived.left.borrow().is_some() || long_depth == 0);
            assert_eq!(array[1000], 1.0 / 1000.0);
            outcome(nodes, vec![])
        }

        /// rust-cc's stress test: n + 1 rooted nodes, n + 1 random edges, then the roots are
        /// truncated in 32 steps with a collection after each.
        fn stress(n: usize) -> Outcome {
            let mut rng = SplitMix64::new(0xCAFE);
            let mut nodes: Vec<P<Graph>> = (0..=n).map(|_| graph()).collect();
            for _ in 0..=n {
                let a = rng.below(nodes.len());
                let b = rng.below(nodes.len());
                let b = nodes[b].clone();
                nodes[a].edges.borrow_mut().push(b);
            }
            let step = (n / 32).max(1);
            let mut sum = 0u64;
            for i in (0..n).step_by(step) {
                nodes.truncate(n - i);
                collect();
                sum += nodes.len() as u64;
            }
            drop(nodes);
            break_remembered();
            outcome(sum, vec![])
        }

        /// dumpster's Multiref: 50 nodes, then n random operations (create, link, drop a
        /// root, drop an edge).
        fn multiref(n: usize) -> Outcome {
            let mut rng = SplitMix64::new(12345);
            let mut gcs: Vec<P<Graph>> = (0..50).map(|_| graph()).collect();
            let mut sum = 0u64;
            for _ in 0..n {
                let kind = if gcs.is_empty() { 0 } else { rng.below(4) };
                match kind {
                    0 => gcs.push(graph()),
                    1 if gcs.len() > 1 => {
                        let (from, to) = (rng.below(gcs.len()), rng.below(gcs.len()));
                        let new = gcs[to].clone();
                        gcs[from].edges.borrow_mut().push(new);
                    }
                    1 => {}
                    2 => drop(gcs.swap_remove(rng.below(gcs.len()))),
                    _ => {
                        let from = rng.below(gcs.len());
                        let mut edges = gcs[from].edges.borrow_mut();
                        if !edges.is_empty() {
                            let at = rng.below(edges.len());
                            let removed = edges.swap_remove(at);
                            drop(edges);
                            drop(removed);
                        }
                    }
                }
                sum = sum.wrapping_mul(31).wrapping_add(kind as u64 + gcs.len() as u64);
            }
            drop(gcs);
            break_remembered();
            outcome(sum, vec![])
        }

        /// B10: a tree of 2^(n+1) - 1 long-lived nodes, then as many 2-node garbage cycles;
        /// each automatic collection of the steady phase is a pause. Ends with one timed
        /// full collection with the tree alive.
        fn pause(n: usize) -> Option<Outcome> {
            if !AUTO_COLLECTS {
                return None;
            }
            let long_lived = tree(n);
            collect();
            let mut sum = check(&long_lived);
            let mut probe = Probe::start();
            let t = Instant::now();
            for i in 0..tree_size(n) {
                sum = sum.wrapping_add(probe.op(|| {
                    let (a, b) = (node(i), node(i + 1));
                    *a.next.borrow_mut() = Some(b.clone());
                    *b.next.borrow_mut() = Some(a.clone());
                    if MANUAL {
                        a.next.borrow_mut().take();
                    }
                    a.v + b.v
                }));
            }
            let steady = t.elapsed();
            let pauses = probe.finish();
            let t = Instant::now();
            collect();
            let full = t.elapsed();
            drop(long_lived);
            let mut out = outcome(sum, vec![("steady", steady), ("full_collect", full)]);
            out.pauses = pauses;
            out.pauses_measured = true;
            Some(out)
        }

        fn weak(n: usize) -> Option<Outcome> {
            let target = node(7);
            weak_roundtrip(&target)?;
            let mut sum = 0u64;
            for _ in 0..n {
                sum = sum.wrapping_add(weak_roundtrip(black_box(&target)).unwrap_or(0));
            }
            drop(target);
            Some(outcome(sum, vec![]))
        }
    };
}

pub(crate) use workloads;
