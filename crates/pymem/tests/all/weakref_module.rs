//! `pymem::weakref`: weak containers and `finalize`, with the semantics of CPython's
//! `Lib/weakref.py` and `Lib/_weakrefset.py` (test_weakref.py shapes 25-27).

use crate::support::{Node, link, node};
use pymem::weakref::{self, WeakKeyDictionary, WeakSet, WeakValueDictionary};
use pymem::{Gc, gc};
use std::cell::RefCell;
use std::rc::Rc;

#[test]
fn weak_value_dictionary_entries_vanish_with_their_values() {
    gc::disable();
    gc::collect();
    let d: WeakValueDictionary<&str, Node> = WeakValueDictionary::new();
    let (a, b) = (node(), node());
    assert!(d.insert("a", &a).is_none());
    d.insert("b", &b);
    assert_eq!((d.len(), d.contains_key(&"a")), (2, true));
    assert!(Gc::ptr_eq(&d.get(&"a").unwrap(), &a));
    drop(a);
    assert_eq!(
        (d.len(), d.get(&"a").is_none()),
        (1, true),
        "refcount death removed it"
    );
    let cyc = node();
    link(&cyc, cyc.clone());
    d.insert("cycle", &cyc);
    drop(cyc);
    assert_eq!(d.len(), 2, "a cycle lives until collected");
    gc::collect();
    assert_eq!(d.keys(), vec!["b"]);
    let c = node();
    assert!(Gc::ptr_eq(&d.setdefault("b", &c), &b));
    assert!(Gc::ptr_eq(&d.setdefault("c", &c), &c));
    assert!(Gc::ptr_eq(&d.remove(&"c").unwrap(), &c));
    assert_eq!(d.values().len(), 1);
    d.clear();
    assert!(d.is_empty());
    assert!(format!("{d:?}").starts_with("<WeakValueDictionary at 0x"));
}

#[test]
fn weak_value_dictionary_survives_deaths_while_in_use() {
    // A snapshot (`items()`, pymem's iteration) keeps the values alive, so entries stay
    // while it is in use; when it is dropped the values die, outside any operation on the
    // dictionary, and their callbacks remove the entries at once. Deaths inside an
    // operation are `weak_containers_defer_removals_while_in_use`.
    let d: Rc<WeakValueDictionary<u32, RefCell<Option<Gc<Node>>>>> =
        Rc::new(WeakValueDictionary::new());
    let keep: Vec<_> = (0..10)
        .map(|i| {
            let v = Gc::new(RefCell::new(None));
            d.insert(i, &v);
            v
        })
        .collect();
    let items = d.items();
    drop(keep);
    assert_eq!(d.len(), 10, "items() holds them");
    drop(items);
    assert_eq!(d.len(), 0);
}

#[test]
fn weak_containers_defer_removals_while_in_use() {
    // test_weakref's "destroy while iterating": a key dies inside `with_value`, while the
    // map is borrowed; its callback finds the map busy and defers the removal to the next
    // operation, which drops the entry and its value. Nothing is lost or dropped inside
    // the borrow.
    gc::disable();
    gc::collect();
    let dropped = Rc::new(RefCell::new(Vec::new()));
    struct Value(&'static str, Rc<RefCell<Vec<&'static str>>>);
    impl Drop for Value {
        fn drop(&mut self) {
            self.1.borrow_mut().push(self.0);
        }
    }
    let d: WeakKeyDictionary<Node, Value> = WeakKeyDictionary::new();
    let (k1, k2) = (node(), node());
    d.insert(&k1, Value("one", dropped.clone()));
    d.insert(&k2, Value("two", dropped.clone()));
    let mut k2 = Some(k2);
    let name = d.with_value(&k1, |v| {
        drop(k2.take()); // the last reference to k2: it dies here, inside the borrow
        v.0
    });
    assert_eq!(name, Some("one"));
    assert!(dropped.borrow().is_empty(), "the removal was deferred");
    assert_eq!(d.len(), 1, "and done by the next operation");
    assert_eq!(*dropped.borrow(), ["two"]);
    assert_eq!(d.with_value(&k1, |v| v.0), Some("one"));
    drop(k1);
    assert_eq!(
        *dropped.borrow(),
        ["two", "one"],
        "an idle map removes at once"
    );
    assert!(d.is_empty());
}

#[test]
fn weak_key_dictionary_is_keyed_by_identity() {
    gc::disable();
    gc::collect();
    let d: WeakKeyDictionary<Node, String> = WeakKeyDictionary::new();
    let (k1, k2) = (node(), node());
    d.insert(&k1, "one".into());
    d.insert(&k2, "two".into());
    assert_eq!(d.insert(&k1, "uno".into()), Some("one".into()));
    assert_eq!((d.get(&k1), d.len()), (Some("uno".into()), 2));
    assert_eq!(d.with_value(&k2, String::len), Some(3));
    drop(k1);
    assert_eq!((d.len(), d.keys().len()), (1, 1));
    assert!(Gc::ptr_eq(&d.keys()[0], &k2));
    assert_eq!(d.items()[0].1, "two");
    assert_eq!(d.remove(&k2), Some("two".into()));
    assert!(d.is_empty() && !d.contains_key(&k2));
}

#[test]
fn weak_key_dictionary_values_are_dropped_with_their_key() {
    let dropped = Rc::new(RefCell::new(0));
    struct Counted(Rc<RefCell<u32>>);
    impl Drop for Counted {
        fn drop(&mut self) {
            *self.0.borrow_mut() += 1;
        }
    }
    let d: WeakKeyDictionary<Node, Counted> = WeakKeyDictionary::new();
    let k = node();
    d.insert(&k, Counted(dropped.clone()));
    drop(k);
    assert_eq!(*dropped.borrow(), 1);
}

#[test]
fn weak_set_holds_members_weakly() {
    gc::disable();
    gc::collect();
    let s: WeakSet<Node> = WeakSet::new();
    let (a, b) = (node(), node());
    s.add(&a);
    s.add(&a);
    s.add(&b);
    assert_eq!((s.len(), s.contains(&a)), (2, true));
    drop(a);
    assert_eq!(s.len(), 1);
    assert!(s.discard(&b) && !s.discard(&b));
    let c = node();
    link(&c, c.clone());
    s.add(&c);
    drop(c);
    assert_eq!(s.to_vec().len(), 1);
    gc::collect();
    assert!(s.is_empty());
}

#[test]
fn finalize_runs_once_on_death_or_call_and_reports_its_state() {
    gc::disable();
    gc::collect();
    let log = Rc::new(RefCell::new(Vec::new()));
    let obj = node();
    let l = log.clone();
    let f = weakref::finalize(&obj, move || {
        l.borrow_mut().push("f");
        42
    });
    assert!(f.alive() && f.atexit());
    assert!(Gc::ptr_eq(&f.peek().unwrap(), &obj));
    assert_eq!(f.call(), Some(42));
    assert_eq!(
        (f.call(), f.alive(), f.peek().is_none()),
        (None, false, true)
    );
    drop(obj);
    assert_eq!(*log.borrow(), ["f"], "not called again at death");
}

#[test]
fn finalizers_of_one_object_run_newest_first_and_detach_prevents_the_call() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let obj = node();
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let l = log.clone();
            weakref::finalize(&obj, move || l.borrow_mut().push(i))
        })
        .collect();
    let (back, func) = handles[1].detach().unwrap();
    assert!(Gc::ptr_eq(&back, &obj) && !handles[1].alive());
    drop((back, func, handles)); // the registry keeps the others alive
    drop(obj);
    assert_eq!(*log.borrow(), [3, 2, 0]);
}

#[test]
fn finalize_with_atexit_runs_at_thread_exit() {
    let out = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let o = out.clone();
    std::thread::spawn(move || {
        // Self-cycles: still alive at exit, freed only by the final collection, which runs
        // after the atexit finalizers.
        let keep: Vec<Gc<Node>> = (0..4).map(|_| node()).collect();
        keep.iter().for_each(|n| link(n, n.clone()));
        let fs: Vec<_> = keep
            .iter()
            .enumerate()
            .map(|(i, obj)| {
                let o = o.clone();
                weakref::finalize(obj, move || o.lock().unwrap().push(i))
            })
            .collect();
        fs[1].set_atexit(false);
        drop((keep, fs));
    })
    .join()
    .unwrap();
    // CPython's `finalize._exitfunc`: newest first, atexit=False skipped, and no finalizer
    // runs after that (`finalize._shutdown`), not even when the final collection frees the
    // objects.
    assert_eq!(*out.lock().unwrap(), [3, 2, 0]);
}

#[test]
fn getweakrefcount_of_an_untracked_object() {
    let s = Gc::new(String::from("x"));
    assert_eq!(weakref::getweakrefcount(&s), 0);
    let w = weakref::r#ref(&s);
    assert_eq!(weakref::getweakrefcount(&s), 1);
    assert!(weakref::getweakrefs(&s)[0].upgrade().is_some());
    drop(w);
    assert_eq!(weakref::getweakrefcount(&s), 0);
}

/// Scenario 52: `WeakKeyDictionary::with_value` re-entered from its closure. Reads work
/// (nested `with_value` too), a key that dies meanwhile leaves once the closure returns,
/// and a change is refused with `InUse` (`try_insert`, `try_remove`) or a panic with its
/// message (`insert`, `remove`), never a `RefCell` "already borrowed" panic.
#[test]
fn s52_with_value_reentered_from_its_closure() {
    use pymem::weakref::InUse;
    let d = WeakKeyDictionary::<Node, String>::new();
    let (a, b) = (node(), node());
    d.insert(&a, "a".into());
    d.insert(&b, "b".into());
    let mut b = Some(b);
    let seen = d.with_value(&a, |value| {
        let nested = d.with_value(&a, |again| again.clone());
        let reads = (d.len(), d.contains_key(&a), d.get(&a), nested);
        drop(b.take()); // b dies while the dictionary lends a value out
        let c = node();
        assert_eq!(d.try_insert(&c, "c".into()), Err(InUse));
        assert_eq!(d.try_remove(&a), Err(InUse));
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            d.insert(&c, "c".into());
        }));
        let message = panicked.unwrap_err().downcast::<String>().unwrap();
        assert_eq!(*message, InUse.to_string());
        (value.clone(), reads)
    });
    let expected = (
        "a".to_string(),
        (2, true, Some("a".to_string()), Some("a".into())),
    );
    assert_eq!(seen, Some(expected));
    assert_eq!(d.len(), 1, "b's entry went once the closure returned");
    assert_eq!(d.try_remove(&a), Ok(Some("a".into())));
    assert!(d.is_empty());
    assert!(
        InUse
            .to_string()
            .starts_with("the weak container is in use")
    );
}
