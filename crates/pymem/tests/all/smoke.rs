use pymem::{Gc, Trace, gc};
use std::cell::RefCell;

#[derive(Trace)]
struct Node {
    next: RefCell<Option<Gc<Node>>>,
}

#[test]
fn self_cycle_is_collected() {
    gc::collect();
    let a = Gc::new(Node {
        next: RefCell::new(None),
    });
    *a.next.borrow_mut() = Some(a.clone());
    drop(a);
    assert_eq!(gc::collect(), 1);
    assert_eq!(gc::collect(), 0);
}
