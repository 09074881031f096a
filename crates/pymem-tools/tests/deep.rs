//! A million-long chain: every walk is iterative, so none overflows the stack.

mod support;

use std::cell::RefCell;

use pymem::{Gc, Trace, gc};
use pymem_tools::heapy::{self, Dominators};
use pymem_tools::objgraph;

#[derive(Trace)]
struct Link {
    next: RefCell<Option<Gc<Link>>>,
}

const LENGTH: usize = 1_000_000;

#[test]
fn a_million_long_list_is_walked_without_recursion() {
    let tail = Gc::new(Link {
        next: RefCell::new(None),
    });
    let mut head = tail.clone();
    for _ in 1..LENGTH {
        head = Gc::new(Link {
            next: RefCell::new(Some(head)),
        });
    }
    let why = pymem_tools::why_alive(&tail);
    assert_eq!(why.chains().len(), 1);
    assert_eq!(why.chains()[0].links.len(), LENGTH);
    assert_eq!(why.chains()[0].links[0].object.id(), Gc::id(&head));
    drop(why);

    let is_head = |o: &pymem::Object| o.id() == Gc::id(&head);
    assert_eq!(
        objgraph::find_backref_chain(&tail, &is_head, LENGTH).len(),
        LENGTH
    );

    let tree = Dominators::new();
    let total = heapy::partition(tree.graph()).size;
    let link = total / LENGTH;
    // The test's handle makes `tail` a root of its own: `head` retains all but it.
    assert_eq!(tree.retained_size_of(&head), Some(total - link));
    assert_eq!(tree.retained_size_of(&tail), Some(link));
    drop(tree);
    drop((head, tail));
    assert_eq!(gc::collect(), 0);
}
