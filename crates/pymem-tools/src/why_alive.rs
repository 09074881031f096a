//! `why_alive(obj)`: the shortest chains of references from the heap's roots (objects
//! referenced from outside the heap) to an object, as text and as DOT.

use std::collections::{BTreeSet, VecDeque};
use std::fmt;

use pymem::{AsObject, Object, gc};

use crate::dot::quote;
use crate::heap_graph::{HeapGraph, object_id};
use crate::objgraph::type_name;

/// Why an object is alive: the chains that hold it, shortest first.
pub struct WhyAlive {
    target: Object,
    /// References to the target from outside the heap (the caller's handle among them).
    target_external: usize,
    /// Roots other than the target from which it is reachable.
    reaching_roots: usize,
    chains: Vec<Chain>,
}

/// One chain of references: `links[0]` is a root, the last link the object asked about.
#[derive(Clone, Debug)]
pub struct Chain {
    /// The objects along the chain, root first.
    pub links: Vec<Link>,
}

/// One object on a chain.
#[derive(Clone, Debug)]
pub struct Link {
    /// The object.
    pub object: Object,
    /// References to it from outside the heap (non-zero for a root).
    pub external_refs: usize,
    /// Where the previous object holds it (`.next`, `.children[3]`), as
    /// [`Trace::trace_labelled`](pymem::Trace::trace_labelled) says; `None` for the root and
    /// where the `Trace` impl does not say.
    pub via: Option<String>,
}

/// The shortest chains (up to 10) from the heap's roots to `obj`; see [`why_alive_with`].
///
/// ```
/// use pymem::{Gc, Trace};
/// use std::cell::RefCell;
///
/// #[derive(Trace)]
/// struct Node { next: RefCell<Option<Gc<Node>>> }
///
/// let leaf = Gc::new(Node { next: RefCell::new(None) });
/// let root = Gc::new(Node { next: RefCell::new(Some(leaf.clone())) });
/// let why = pymem_tools::why_alive(&leaf);
/// assert_eq!(why.chains().len(), 1);
/// assert_eq!(why.chains()[0].links[0].object.id(), Gc::id(&root));
/// println!("{why}");
/// ```
pub fn why_alive(obj: &dyn AsObject) -> WhyAlive {
    why_alive_with(obj, 10)
}

/// The chains that keep `obj` alive: for each root (an object whose count exceeds the
/// references other objects hold, as the collector's `subtract_refs` finds) from which `obj`
/// is reachable, one shortest chain; the `limit` shortest of those, ties in heap order. The
/// object itself is not a chain's start, though the caller's handle makes it a root.
///
/// No collection runs first: an object that no root reaches is garbage awaiting the collector,
/// and the report says so. Walks are breadth first and iterative (a million-long chain is
/// fine).
pub fn why_alive_with(obj: &dyn AsObject, limit: usize) -> WhyAlive {
    let graph = HeapGraph::snapshot_including(&[obj]);
    let target = graph
        .index_of_id(object_id(obj))
        .expect("snapshot includes obj");
    // Counts first: each `Link` below holds one more reference.
    let external: Vec<usize> = (0..graph.len()).map(|at| graph.external_refs(at)).collect();
    let distance = distances_to(&graph, target);
    let mut roots: Vec<usize> = graph
        .roots()
        .into_iter()
        .filter(|&r| r != target && distance[r].is_some())
        .collect();
    roots.sort_by_key(|&r| distance[r]);
    let reaching_roots = roots.len();
    let chains = roots
        .into_iter()
        .take(limit)
        .map(|root| chain_from(&graph, &distance, &external, root))
        .collect();
    WhyAlive {
        target: graph.object(target).clone(),
        target_external: external[target],
        reaching_roots,
        chains,
    }
}

/// Links from each node to `target` (breadth first over referrers), `None` if it cannot reach
/// it.
fn distances_to(graph: &HeapGraph, target: usize) -> Vec<Option<usize>> {
    let referrers = graph.referrers();
    let mut distance = vec![None; graph.len()];
    distance[target] = Some(0);
    let mut queue = VecDeque::from([target]);
    while let Some(at) = queue.pop_front() {
        let next = distance[at].map(|d| d + 1);
        for &source in &referrers[at] {
            if distance[source].is_none() {
                distance[source] = next;
                queue.push_back(source);
            }
        }
    }
    distance
}

/// A shortest chain from `root`: each step goes to the first referent one link closer.
fn chain_from(
    graph: &HeapGraph,
    distance: &[Option<usize>],
    external: &[usize],
    root: usize,
) -> Chain {
    let link = |at: usize, via: Option<String>| Link {
        object: graph.object(at).clone(),
        external_refs: external[at],
        via,
    };
    let mut at = root;
    let mut links = vec![link(at, None)];
    while let Some(d) = distance[at].filter(|&d| d > 0) {
        let next = *graph
            .referents(at)
            .iter()
            .find(|&&next| distance[next] == Some(d - 1))
            .expect("a node at distance d has a referent at d - 1");
        links.push(link(next, place(graph.object(at), graph.object(next))));
        at = next;
    }
    Chain { links }
}

/// Where `holder` holds `held`: the first labelled referent that is `held`, if labelled.
fn place(holder: &Object, held: &Object) -> Option<String> {
    gc::get_referents_labelled(holder)
        .into_iter()
        .find(|(target, _)| target.id() == held.id())
        .map(|(_, place)| place)
        .filter(|place| !place.is_empty())
}

impl WhyAlive {
    /// The chains found, shortest first.
    pub fn chains(&self) -> &[Chain] {
        &self.chains
    }

    /// How many roots (other than the object itself) reach the object; more than
    /// `chains().len()` when the limit cut the list.
    pub fn reaching_roots(&self) -> usize {
        self.reaching_roots
    }

    /// References to the object from outside the heap, the caller's handle included.
    pub fn external_refs(&self) -> usize {
        self.target_external
    }

    /// The chains as a Graphviz graph: roots in red, the object in blue, each edge once.
    pub fn to_dot(&self) -> String {
        let mut dot =
            String::from("digraph WhyAlive {\n  node[shape=box, style=filled, fillcolor=white];\n");
        for (id, label) in self.dot_nodes() {
            dot.push_str(&format!("  o{id}[label=\"{}\"];\n", quote(&label)));
        }
        for root in self.chains.iter().map(|c| c.links[0].object.id()) {
            dot.push_str(&format!("  o{root}[color=red, fontcolor=red];\n"));
        }
        let target = self.target.id();
        dot.push_str(&format!("  o{target}[fillcolor=\"0.6,0.6,1\"];\n"));
        for (from, to, via) in self.dot_edges() {
            let label = match via.as_str() {
                "" => String::new(),
                via => format!(" [label=\"{}\"]", quote(via)),
            };
            dot.push_str(&format!("  o{from} -> o{to}{label};\n"));
        }
        dot.push_str("}\n");
        dot
    }

    /// Each object on a chain once, by id, with its label.
    fn dot_nodes(&self) -> BTreeSet<(usize, String)> {
        let links = self.chains.iter().flat_map(|c| &c.links);
        let mut nodes: BTreeSet<_> = links.map(|l| (l.object.id(), describe(l))).collect();
        nodes.insert((self.target.id(), self.target_line()));
        nodes
    }

    /// Each reference on a chain once: holder, held, place.
    fn dot_edges(&self) -> BTreeSet<(usize, usize, String)> {
        let pairs = self.chains.iter().flat_map(|c| c.links.windows(2));
        pairs
            .map(|p| {
                (
                    p[0].object.id(),
                    p[1].object.id(),
                    p[1].via.clone().unwrap_or_default(),
                )
            })
            .collect()
    }

    fn target_line(&self) -> String {
        format!(
            "{} at {:#x}",
            type_name(&self.target, true),
            self.target.id()
        )
    }
}

/// `Node at 0x…`, with `(root: N references from outside the heap)` for a root.
fn describe(link: &Link) -> String {
    let name = format!(
        "{} at {:#x}",
        type_name(&link.object, true),
        link.object.id()
    );
    match link.external_refs {
        0 => name,
        n => format!("{name} (root: {n} from outside the heap)"),
    }
}

impl fmt::Display for WhyAlive {
    /// One chain per paragraph, one link a line, root first:
    ///
    /// ```text
    /// why_alive: Node at 0x5566aa10 (1 reference from outside the heap)
    /// 1 root reaches it:
    /// chain 1, 2 links:
    ///     Registry at 0x5566ab00 (root: 1 from outside the heap)
    ///  -> .entries[1]: Node at 0x5566ab40
    ///  -> .children[7]: Node at 0x5566aa10
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let refs = plural(self.target_external, "reference");
        let target = self.target_line();
        writeln!(f, "why_alive: {target} ({refs} from outside the heap)")?;
        if self.reaching_roots == 0 {
            return self.fmt_unreached(f);
        }
        let shown = match self.chains.len() {
            n if n < self.reaching_roots => format!(" (the {n} shortest chains)"),
            _ => String::new(),
        };
        let verb = if self.reaching_roots == 1 {
            "reaches"
        } else {
            "reach"
        };
        let roots = plural(self.reaching_roots, "root");
        writeln!(f, "{roots} {verb} it{shown}:")?;
        for (i, chain) in self.chains.iter().enumerate() {
            fmt_chain(f, i + 1, chain)?;
        }
        Ok(())
    }
}

/// `chain N, L links:`, then the links, root first, each with the place that holds it.
fn fmt_chain(f: &mut fmt::Formatter<'_>, number: usize, chain: &Chain) -> fmt::Result {
    let links = plural(chain.links.len() - 1, "link");
    writeln!(f, "chain {number}, {links}:")?;
    for (j, link) in chain.links.iter().enumerate() {
        let arrow = match (j, &link.via) {
            (0, _) => "    ".to_string(),
            (_, Some(via)) => format!(" -> {via}: "),
            (_, None) => " -> ".to_string(),
        };
        writeln!(f, "{arrow}{}", describe(link))?;
    }
    Ok(())
}

impl WhyAlive {
    fn fmt_unreached(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.target_external > 0 {
            writeln!(
                f,
                "no other root reaches it: only references from outside the heap hold it"
            )
        } else {
            writeln!(
                f,
                "no root reaches it: garbage that the next collection frees"
            )
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    let s = if n == 1 { "" } else { "s" };
    format!("{n} {word}{s}")
}
