//! `Gc::get_mut` on a tracked object: while the `&mut` lives, no collection or
//! introspection may read the value (under Miri an aliasing violation would show here).

use crate::support::{Node, link, node};
use pymem::{Gc, gc};
use std::cell::RefCell;

fn generation_of(obj: &Gc<Node>) -> Option<usize> {
    let me = Gc::as_object(obj);
    (0..3).find(|&g| gc::get_objects(Some(g)).unwrap().contains(&me))
}

#[test]
fn get_mut_takes_the_object_out_of_the_collectors_reach() {
    gc::disable();
    gc::collect();
    let mut a = node();
    gc::collect_generation(1).unwrap();
    assert_eq!(generation_of(&a), Some(2));
    let other = node();
    let id = Gc::id(&a);
    {
        let mut value = Gc::get_mut(&mut a).expect("sole handle");
        *value.next.get_mut() = Some(Gc::as_object(&other));
        // Collections and introspection while the borrow lives do not see the object...
        assert!(!gc::get_objects(None).unwrap().iter().any(|o| o.id() == id));
        assert_eq!(gc::collect(), 0);
        assert!(gc::get_referrers(&[&other]).is_empty());
        gc::set_threshold(1, 1, 1).unwrap();
        gc::enable();
        let garbage: Vec<Gc<Node>> = (0..10).map(|_| node()).collect();
        drop(garbage); // automatic collections ran during those allocations
        gc::disable();
        gc::set_threshold(2000, 10, 10).unwrap();
        // ...and the value is still ours to write.
        *value.next.get_mut() = Some(Gc::as_object(&other));
    }
    // Dropping the guard links it back, into generation 0.
    assert_eq!(generation_of(&a), Some(0));
    assert_eq!(gc::get_referrers(&[&other]).len(), 1);
    // A cycle made through the borrow is found by the collector as usual.
    link(&other, a.clone());
    drop((a, other));
    assert_eq!(gc::collect(), 2);
}

#[test]
fn get_mut_refuses_shared_and_weakly_referenced_objects() {
    gc::disable();
    let mut a = Gc::new(RefCell::new(vec![node()]));
    let b = a.clone();
    assert!(Gc::get_mut(&mut a).is_none());
    drop(b);
    let w = Gc::downgrade(&a);
    assert!(Gc::get_mut(&mut a).is_none());
    drop(w);
    Gc::get_mut(&mut a).unwrap().get_mut().push(node());
    assert_eq!(a.borrow().len(), 2);
    assert!(gc::is_tracked(&a), "tracked again after the borrow");
}

#[test]
fn a_frozen_object_borrowed_mutably_returns_to_generation_0() {
    gc::disable();
    gc::collect();
    let mut a = node();
    gc::freeze();
    assert_eq!(generation_of(&a), None);
    let frozen = gc::get_freeze_count();
    drop(Gc::get_mut(&mut a).unwrap());
    assert_eq!(gc::get_freeze_count(), frozen - 1);
    assert_eq!(generation_of(&a), Some(0));
    gc::unfreeze();
}
