//! `#[derive(Trace)]`: shapes, generics, `skip`, and `TRACKED` for recursive types.

use pymem::{Finalize, Gc, Object, Trace, Weak, gc};
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

/// A type named like the one derived below, in another module: tracked (it holds an
/// `Object`), and not the derived type, although its last path segment is `Node`.
mod other_mod {
    use pymem::{Object, Trace};
    use std::cell::RefCell;

    #[derive(Trace, Default)]
    pub struct Node(pub RefCell<Option<Object>>);
}

#[derive(Trace, Default)]
struct Node {
    inner: other_mod::Node,
    children: Vec<Node>,
}

#[test]
fn a_field_of_another_type_with_the_same_name_is_not_self() {
    // The derive takes `Node` and `Self` for the recursion, not `other_mod::Node`, whose
    // TRACKED it asks: were it taken for `Self`, `Node` would be untracked and the cycle
    // below would leak.
    const { assert!(Node::TRACKED && other_mod::Node::TRACKED) };
    gc::disable();
    gc::collect();
    let n = Gc::new(Node::default());
    assert!(gc::is_tracked(&n));
    *n.inner.0.borrow_mut() = Some(Gc::as_object(&n));
    assert_eq!(n.children.len(), 0);
    drop(n);
    assert_eq!(gc::collect(), 1);
}

/// A generic type with a finalizer: the derive bounds its parameters by `'static`, which
/// `Finalize` needs. (The `Finalize` impl must be as general as the derived `Trace` impl,
/// whose vtable entry names it.)
#[derive(Trace)]
#[trace(finalize)]
struct Finalized<T> {
    value: T,
    me: RefCell<Option<Gc<Finalized<T>>>>,
}

thread_local! {
    static FINALIZED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

impl<T: Trace + 'static> Finalize for Finalized<T> {
    fn finalize(this: &Gc<Self>) {
        let seen = format!(
            "{} {}",
            std::any::type_name::<T>(),
            size_of_val(&this.value)
        );
        FINALIZED.with_borrow_mut(|f| f.push(seen));
    }
}

#[test]
fn a_generic_type_can_have_a_finalizer() {
    gc::disable();
    gc::collect();
    let f = Gc::new(Finalized {
        value: 5_u8,
        me: RefCell::new(None),
    });
    *f.me.borrow_mut() = Some(f.clone());
    drop(f);
    assert_eq!(gc::collect(), 1);
    assert_eq!(FINALIZED.take(), ["u8 1"]);
}

/// `trace_labelled` (only introspection calls it): the derive names fields, std containers
/// add indices, `RefCell`, `Option` and `Box` pass labels through, and a hand-written impl
/// without an override reports the same edges with empty places.
#[test]
fn labelled_referents_name_fields_and_indices() {
    #[derive(Trace)]
    struct Holder {
        items: RefCell<Vec<Option<Gc<Unit>>>>,
        boxed: Box<[Gc<Unit>; 2]>,
        #[trace(skip)]
        _tag: u8,
    }
    struct ByHand(Gc<Unit>);
    // SAFETY: reports its one `Gc` once and touches nothing.
    unsafe impl Trace for ByHand {
        fn trace(&self, visitor: &mut pymem::Visitor<'_>) {
            self.0.trace(visitor);
        }
    }
    let (x, y) = (Gc::new(Unit), Gc::new(Unit));
    let holder = Gc::new(Holder {
        items: RefCell::new(vec![None, Some(x.clone())]),
        boxed: Box::new([y.clone(), x.clone()]),
        _tag: 0,
    });
    let labelled = gc::get_referents_labelled(&holder);
    let places: Vec<&str> = labelled.iter().map(|(_, p)| p.as_str()).collect();
    assert_eq!(places, [".items[1]", ".boxed[0]", ".boxed[1]"]);
    let targets: Vec<Object> = labelled.iter().map(|(o, _)| o.clone()).collect();
    assert_eq!(targets, gc::get_referents(&[&holder]));
    let pair = Gc::new(Shape::Pair {
        left: x.clone(),
        right: Some(y.clone()),
    });
    let places: Vec<String> = gc::get_referents_labelled(&pair)
        .into_iter()
        .map(|(_, p)| p)
        .collect();
    assert_eq!(places, [".left", ".right"]);
    let tuple = Gc::new(Tuple(1, Some(y)));
    assert_eq!(gc::get_referents_labelled(&tuple)[0].1, ".1");
    let by_hand = Gc::new(ByHand(x));
    let places: Vec<String> = gc::get_referents_labelled(&by_hand)
        .into_iter()
        .map(|(_, p)| p)
        .collect();
    assert_eq!(places, [""]);
    let borrowed = holder.items.borrow_mut();
    assert_eq!(
        gc::get_referents_labelled(&holder).len(),
        2,
        "a borrowed cell reports nothing"
    );
    drop(borrowed);
}
