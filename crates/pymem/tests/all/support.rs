//! Shared fixtures: the `Node` of the CPython scenarios, drop counters, and the recorded
//! CPython output.

use pymem::{Gc, Object, Trace};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

/// CPython's `class Node: __slots__ = ("next",)`: one object with one reference slot.
#[derive(Trace, Default)]
pub struct Node {
    pub next: RefCell<Option<Object>>,
}

/// A Python list: `Gc<List>`.
pub type List = RefCell<Vec<Object>>;

pub fn node() -> Gc<Node> {
    Gc::new(Node::default())
}

pub fn list(items: Vec<Object>) -> Gc<List> {
    Gc::new(RefCell::new(items))
}

/// `a.next = b`.
pub fn link(a: &Gc<Node>, b: impl Into<Object>) {
    *a.next.borrow_mut() = Some(b.into());
}

/// `n` nodes in a ring; returns the first.
pub fn ring(n: usize) -> Gc<Node> {
    let nodes: Vec<Gc<Node>> = (0..n).map(|_| node()).collect();
    for (i, a) in nodes.iter().enumerate() {
        link(a, nodes[(i + 1) % n].clone());
    }
    nodes[0].clone()
}

/// Counts drops, and records when each one happened.
#[derive(Clone, Default)]
pub struct Drops(Rc<Cell<usize>>);

impl Drops {
    pub fn count(&self) -> usize {
        self.0.get()
    }

    pub fn token(&self) -> DropToken {
        DropToken(self.clone())
    }
}

/// Increments its `Drops` when dropped; traces nothing.
pub struct DropToken(Drops);

impl Drop for DropToken {
    fn drop(&mut self) {
        let c = &(self.0).0;
        c.set(c.get() + 1);
    }
}

// SAFETY: owns no Gc.
unsafe impl Trace for DropToken {
    const TRACKED: bool = false;
    fn trace(&self, _: &mut pymem::Visitor<'_>) {}
}

/// A node that counts its drop.
#[derive(Trace)]
pub struct Counted {
    pub next: RefCell<Option<Gc<Counted>>>,
    pub token: DropToken,
}

pub fn counted(drops: &Drops) -> Gc<Counted> {
    Gc::new(Counted {
        next: RefCell::new(None),
        token: drops.token(),
    })
}

/// The `key: value` lines CPython 3.13 printed for one of `tests/cpython/*.py`.
pub struct Recorded(HashMap<String, String>);

impl Recorded {
    pub fn parse(text: &str) -> Recorded {
        let lines = text.lines().filter_map(|l| l.split_once(": "));
        Recorded(lines.map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    pub fn get(&self, key: &str) -> &str {
        self.0
            .get(key)
            .unwrap_or_else(|| panic!("no recorded CPython value for {key}"))
    }

    pub fn usize(&self, key: &str) -> usize {
        self.get(key)
            .parse()
            .unwrap_or_else(|_| panic!("{key} is not an integer"))
    }
}

/// Captures this thread's `sys.stderr` while `f` runs.
pub fn capture_stderr(f: impl FnOnce()) -> String {
    #[derive(Clone, Default)]
    struct Sink(Rc<RefCell<Vec<u8>>>);
    impl std::io::Write for Sink {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let sink = Sink::default();
    let previous = pymem::sys::set_stderr(Box::new(sink.clone()));
    f();
    pymem::sys::reset_stderr();
    if let Some(previous) = previous {
        pymem::sys::set_stderr(previous);
    }
    String::from_utf8(sink.0.take()).unwrap()
}

/// Object blocks allocated on this thread (`sys.getallocatedblocks()`), or `None` with the
/// `system-alloc` feature, where nothing counts them. A leak leaves it above a baseline; a
/// double free takes it below.
pub fn allocated_blocks() -> Option<usize> {
    (!cfg!(feature = "system-alloc")).then(pymem::sys::getallocatedblocks)
}

/// The address in a `Weak`'s repr (`<weakref at 0x…; …>`), which reports name it by.
pub fn weakref_addr<T>(weak: &pymem::Weak<T>) -> String {
    let repr = format!("{weak:?}");
    let rest = repr.strip_prefix("<weakref at ").unwrap();
    rest[..rest.find(';').unwrap()].to_string()
}
