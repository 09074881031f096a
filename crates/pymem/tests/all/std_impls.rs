//! `Trace` for std types, edge by edge: a cycle through each container is collected with
//! the exact count, a held one survives every generation, and `gc::get_referents` lists
//! each edge exactly once. `Cell<T>` is traced in place, so `Cell<Option<Gc<T>>>` works.

use crate::support::{DropToken, Drops};
use pymem::{Gc, Object, Trace, gc};
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};

/// A key for sets and maps: compared, ordered and hashed by `id`. `next` closes a cycle
/// through the container that holds it.
#[derive(Trace)]
struct Keyed {
    #[trace(skip)]
    id: u32,
    next: RefCell<Option<Object>>,
}

impl PartialEq for Keyed {
    fn eq(&self, other: &Keyed) -> bool {
        self.id == other.id
    }
}

impl Eq for Keyed {}

impl PartialOrd for Keyed {
    fn partial_cmp(&self, other: &Keyed) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Keyed {
    fn cmp(&self, other: &Keyed) -> std::cmp::Ordering {
        self.id.cmp(&other.id)
    }
}

impl Hash for Keyed {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.id.hash(state)
    }
}

fn keyed(id: u32) -> Gc<Keyed> {
    Gc::new(Keyed {
        id,
        next: RefCell::new(None),
    })
}

/// Puts `fill(a, b)` in an object, links `a` and `b` back to it, and checks that the value
/// reports exactly `edges` (0 is `a`, 1 is `b`; repeats are separate edges):
/// * `gc::get_referents` lists each of them once;
/// * held through `a`, the cycle survives collections of every generation (an edge
///   reported twice would make it look unreachable);
/// * released, it is collected with the exact count: the holder and each key it reports
///   (an edge not reported would make it look referenced from outside). A key it does not
///   report is freed by its count, outside the cycle.
fn check_edges<C: Trace + 'static>(
    what: &str,
    edges: &[usize],
    fill: impl FnOnce(&Gc<Keyed>, &Gc<Keyed>) -> C,
) {
    gc::disable();
    gc::collect();
    let (a, b) = (keyed(1), keyed(2));
    let holder = Gc::new(fill(&a, &b));
    assert!(
        gc::is_tracked(&holder),
        "{what}: a container of Gc is tracked"
    );
    for key in [&a, &b] {
        *key.next.borrow_mut() = Some(Gc::as_object(&holder));
    }
    let ids = [Gc::id(&a), Gc::id(&b)];
    let mut reported: Vec<usize> = gc::get_referents(&[&holder])
        .iter()
        .map(Object::id)
        .collect();
    let mut expected: Vec<usize> = edges.iter().map(|&i| ids[i]).collect();
    reported.sort_unstable();
    expected.sort_unstable();
    assert_eq!(reported, expected, "{what}: get_referents");
    drop((holder, b));
    for g in [0, 1, 2] {
        let found = gc::collect_generation(g).unwrap();
        assert_eq!(found, 0, "{what}: held through a, generation {g}");
    }
    let keys_in_cycle = [0, 1].iter().filter(|i| edges.contains(i)).count();
    let in_cycle = if edges.is_empty() {
        0
    } else {
        1 + keys_in_cycle
    };
    drop(a);
    assert_eq!(gc::collect(), in_cycle, "{what}: released");
}

#[test]
fn sets_report_each_member_once() {
    check_edges("HashSet", &[0, 1], |a, b| {
        HashSet::from([a.clone(), b.clone()])
    });
    check_edges("BTreeSet", &[0, 1], |a, b| {
        BTreeSet::from([a.clone(), b.clone()])
    });
}

#[test]
fn maps_report_each_key_and_each_value_once() {
    check_edges("HashMap", &[0, 1, 1, 0], |a, b| {
        HashMap::from([(a.clone(), b.clone()), (b.clone(), a.clone())])
    });
    check_edges("BTreeMap", &[0, 1, 1, 0], |a, b| {
        BTreeMap::from([(a.clone(), b.clone()), (b.clone(), a.clone())])
    });
    check_edges("HashMap with Gc keys", &[0, 1], |a, b| {
        HashMap::from([(a.clone(), 1_u32), (b.clone(), 2)])
    });
    check_edges("BTreeMap with Gc values", &[1, 1], |_, b| {
        BTreeMap::from([(1_u32, b.clone()), (2, b.clone())])
    });
    check_edges("a key that is its own value", &[0, 0], |a, _| {
        HashMap::from([(a.clone(), a.clone())])
    });
}

#[test]
fn results_options_tuples_and_boxed_slices_report_each_edge_once() {
    check_edges("Ok", &[0], |a, _| Ok::<_, Gc<Keyed>>(a.clone()));
    check_edges("Err", &[1], |_, b| Err::<Gc<Keyed>, _>(b.clone()));
    check_edges("Some", &[0], |a, _| Some(a.clone()));
    check_edges("None", &[], |_, _| None::<Gc<Keyed>>);
    check_edges("pair", &[0, 1], |a, b| (a.clone(), b.clone()));
    check_edges("pair of one", &[0, 0], |a, _| (a.clone(), a.clone()));
    check_edges("mixed tuple", &[0, 1], |a, b| {
        (a.clone(), 7_u32, String::from("x"), Some(b.clone()))
    });
    check_edges("nested tuple", &[1, 0], |a, b| ((b.clone(),), [a.clone()]));
    check_edges("Box<[Gc]>", &[0, 1, 0], |a, b| {
        Box::<[Gc<Keyed>]>::from([a.clone(), b.clone(), a.clone()])
    });
    check_edges("Box<[Option<Gc>]>", &[1], |_, b| {
        vec![None, Some(b.clone())].into_boxed_slice()
    });
    check_edges("Option<Result<(Gc, Gc), u8>>", &[0, 1], |a, b| {
        Some(Ok::<_, u8>((a.clone(), b.clone())))
    });
}

/// A ring node linked through a `Cell`.
#[derive(Trace)]
struct CellNode {
    next: Cell<Option<Gc<CellNode>>>,
    #[trace(skip)]
    _token: DropToken,
}

#[test]
fn a_cycle_through_a_cell_is_collected_with_the_exact_count() {
    gc::disable();
    gc::collect();
    let drops = Drops::default();
    let ring: Vec<Gc<CellNode>> = (0..3)
        .map(|_| {
            Gc::new(CellNode {
                next: Cell::new(None),
                _token: drops.token(),
            })
        })
        .collect();
    for (i, n) in ring.iter().enumerate() {
        n.next.set(Some(ring[(i + 1) % 3].clone()));
    }
    assert!(gc::is_tracked(&ring[0]));
    assert_eq!(
        gc::get_referents(&[&ring[0]]),
        [Gc::as_object(&ring[1])],
        "the cell's one edge, once"
    );
    let first = ring[0].clone();
    drop(ring);
    for g in [0, 1, 2] {
        assert_eq!(
            gc::collect_generation(g).unwrap(),
            0,
            "held, generation {g}"
        );
    }
    assert_eq!(drops.count(), 0);
    drop(first);
    assert_eq!(gc::collect(), 3);
    assert_eq!(drops.count(), 3);

    // The value is read in place at each collection: what `set` put there last counts.
    let a = Gc::new(CellNode {
        next: Cell::new(None),
        _token: drops.token(),
    });
    a.next.set(Some(a.clone()));
    let cycle = a.next.take().unwrap(); // the cycle is broken: nothing for the collector
    a.next.set(Some(cycle)); // and closed again
    drop(a);
    assert_eq!(gc::collect(), 1);
    assert_eq!(drops.count(), 4);
}

#[test]
fn cells_in_containers_and_of_edge_free_types() {
    check_edges("Cell<Option<Gc>>", &[0], |a, _| Cell::new(Some(a.clone())));
    check_edges("Vec<Cell<Gc>>", &[0, 1], |a, b| {
        vec![Cell::new(a.clone()), Cell::new(b.clone())]
    });
    check_edges("RefCell<Cell<(Gc, Gc)>>", &[1, 0], |a, b| {
        RefCell::new(Cell::new((b.clone(), a.clone())))
    });
    // A cell of values that own no `Gc` stays untracked, as before.
    assert!(!gc::is_tracked(&Gc::new(Cell::new(5_u32))));
    assert!(!gc::is_tracked(&Gc::new(Cell::new(String::new()))));
}
