//! `#[derive(Trace)]`: shapes, generics, `skip`, and `TRACKED` for recursive types.

use pymem::{Gc, Object, Trace, Weak, gc};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

#[derive(Trace)]
struct Unit;

#[derive(Trace)]
struct Tuple(u32, Option<Gc<Unit>>);

#[derive(Trace)]
enum Shape {
    Empty,
    Leaf(String),
    Pair {
        left: Gc<Unit>,
        right: Option<Gc<Unit>>,
    },
}

#[derive(Trace)]
struct Plain {
    a: u32,
    b: String,
    c: Vec<(u8, char)>,
    d: HashMap<String, Box<[i64]>>,
}

#[derive(Trace)]
struct Generic<T, U> {
    t: T,
    u: Vec<U>,
}

/// Recursive without `Gc`: the derive must not loop (const cycle) and must say untracked.
#[derive(Trace)]
enum Expr {
    Num(i64),
    Add(Box<Expr>, Box<Self>),
    Many(Vec<Expr>),
}

/// Recursive with `Gc` inside the recursion.
#[derive(Trace)]
enum Tree<T> {
    Leaf(T),
    Node(Vec<Tree<T>>, Gc<Unit>),
}

#[derive(Trace)]
#[trace(tracked)]
struct Forced(u8);

#[derive(Trace)]
struct Skipped {
    #[trace(skip)]
    _hidden: std::rc::Rc<Gc<Unit>>,
}

#[test]
fn tracked_is_computed_from_the_fields() {
    const { assert!(!Unit::TRACKED) };
    const { assert!(Tuple::TRACKED) };
    const { assert!(Shape::TRACKED) };
    const { assert!(!Plain::TRACKED) };
    const { assert!(!Generic::<u8, String>::TRACKED) };
    const { assert!(Generic::<u8, Gc<Unit>>::TRACKED) };
    const { assert!(!Expr::TRACKED, "a recursive type without Gc is untracked") };
    const { assert!(Tree::<u8>::TRACKED) };
    const { assert!(Forced::TRACKED) };
    const { assert!(!Skipped::TRACKED) };
    const { assert!(Weak::<Unit>::TRACKED && Object::TRACKED) };
    const { assert!(!<RefCell<u32>>::TRACKED && <RefCell<Gc<Unit>>>::TRACKED) };
    const { assert!(!<BTreeMap<u8, String>>::TRACKED && <[Option<Gc<Unit>>; 2]>::TRACKED) };
}

#[test]
fn every_traced_field_is_visited_once() {
    let (x, y) = (Gc::new(Unit), Gc::new(Unit));
    let pair = Gc::new(Shape::Pair {
        left: x.clone(),
        right: Some(y.clone()),
    });
    let found = gc::get_referents(&[&pair]);
    assert_eq!(found, [Gc::as_object(&x), Gc::as_object(&y)]);
    drop(found);
    let leaf = Gc::new(Shape::Leaf("s".into()));
    assert!(gc::get_referents(&[&leaf]).is_empty());
    assert!(gc::get_referents(&[&Gc::new(Shape::Empty)]).is_empty());
    let t = Gc::new(Tuple(1, Some(x.clone())));
    assert_eq!(gc::get_referents(&[&t]), [Gc::as_object(&x)]);
    let tree = Gc::new(Tree::Node(
        vec![Tree::Leaf(1), Tree::Node(vec![], y.clone())],
        x.clone(),
    ));
    assert_eq!(
        gc::get_referents(&[&tree]),
        [Gc::as_object(&y), Gc::as_object(&x)]
    );
    let skipped = Gc::new(Skipped {
        _hidden: std::rc::Rc::new(x.clone()),
    });
    assert!(gc::get_referents(&[&skipped]).is_empty());
    assert_eq!(Gc::ref_count(&x), 5, "x, pair, t, tree, skipped");
    let expr = Gc::new(Expr::Add(
        Box::new(Expr::Num(1)),
        Box::new(Expr::Many(vec![])),
    ));
    assert!(!gc::is_tracked(&expr));
}

#[test]
fn generic_cycles_collect() {
    gc::collect();
    #[derive(Trace)]
    struct Cell<T> {
        value: T,
        next: RefCell<Option<Gc<Cell<T>>>>,
    }
    let a = Gc::new(Cell {
        value: String::from("a"),
        next: RefCell::new(None),
    });
    let b = Gc::new(Cell {
        value: String::from("b"),
        next: RefCell::new(Some(a.clone())),
    });
    *a.next.borrow_mut() = Some(b.clone());
    assert_eq!(a.value, "a");
    drop((a, b));
    assert_eq!(gc::collect(), 2);
}
