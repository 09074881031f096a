//! `std::rc::Rc`: the floor. It cannot collect cycles, so the workloads break them by hand.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use super::NoProbe as Probe;

type P<T> = Rc<T>;
type C<T> = RefCell<T>;

const MANUAL: bool = true;
const AUTO_COLLECTS: bool = false;

macro_rules! traced {
    ($t:ident; $($f:ident),*) => {};
}

fn configure() {}

fn collect() {}

thread_local! {
    static GRAPHS: RefCell<Vec<Weak<Graph>>> = const { RefCell::new(Vec::new()) };
}

/// Random graphs (B9) are broken by hand at the end: every node is remembered.
fn remember(g: &P<Graph>) {
    GRAPHS.with_borrow_mut(|all| all.push(Rc::downgrade(g)));
}

fn break_remembered() {
    for g in GRAPHS.take() {
        if let Some(g) = g.upgrade() {
            let edges = std::mem::take(&mut *g.edges.borrow_mut());
            drop(edges);
        }
    }
}

fn weak_roundtrip(target: &P<Node>) -> Option<u64> {
    let w = Rc::downgrade(target);
    Some(w.upgrade()?.v)
}

crate::workloads::workloads!();
