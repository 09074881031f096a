//! (L4) `gc.get_objects`, `gc.get_referents`, `gc.get_referrers`, `gc.is_tracked`.

use crate::collect::traverse;
use crate::erased::{AsObject, Object};
use crate::header::ObjPtr;
use crate::heap::{self, GENERATIONS, NUM_GENERATIONS, OLDEST};
use crate::trace::{Labels, Mode, Visitor};

use super::GcError;

/// `gc.get_objects(generation)`: the tracked objects of one generation, or of all three
/// (`None`); never those of the permanent generation (`gc.freeze`).
///
/// ```
/// use pymem::{Gc, gc};
/// use std::cell::RefCell;
///
/// gc::collect();
/// let list = Gc::new(RefCell::new(Vec::<Gc<String>>::new()));
/// let young = gc::get_objects(Some(0)).unwrap();
/// assert!(young.iter().any(|o| o.id() == Gc::id(&list)));
/// assert!(gc::get_objects(Some(3)).is_err());
/// ```
pub fn get_objects(generation: Option<usize>) -> Result<Vec<Object>, GcError> {
    let generations = match generation {
        Some(g) if g >= NUM_GENERATIONS => return Err(GcError::GenerationOutOfRange(g)),
        Some(g) => g..=g,
        None => 0..=OLDEST,
    };
    let Some(heap) = heap::current() else {
        return Ok(Vec::new());
    };
    let lists = generations.map(|g| heap.list(g));
    Ok(lists
        .flat_map(|list| list.iter())
        .map(|gc| Object::new(gc.obj()))
        .collect())
}

/// Whether the value can be traced now: a tracked type whose value was not dropped.
fn traceable(obj: ObjPtr) -> bool {
    obj.vtable().tracked && !obj.is_dead()
}

/// `gc.get_referents(*objs)`: every object the arguments' `Trace` impls report, in
/// traversal order (untracked targets included, as CPython includes ints and strs).
/// Objects of untracked types have no edges and contribute nothing.
///
/// ```
/// use pymem::{Gc, gc};
/// use std::cell::RefCell;
///
/// let text = Gc::new(String::from("leaf"));
/// let list = Gc::new(RefCell::new(vec![text.clone()]));
/// let referents = gc::get_referents(&[&list]);
/// assert_eq!(referents.len(), 1);
/// assert_eq!(referents[0].id(), Gc::id(&text));
/// ```
pub fn get_referents(objs: &[&dyn AsObject]) -> Vec<Object> {
    let mut found = Vec::new();
    let mut visitor = Visitor::new(Mode::Referents(&mut found));
    crate::trace::tracing(|| {
        for obj in objs.iter().map(|o| o.obj_ptr()).filter(|&o| traceable(o)) {
            traverse(obj, &mut visitor);
            visitor.take_untraceable();
        }
    });
    found.into_iter().map(Object::new).collect()
}

/// [`get_referents`] of one object, each with the place that holds it (`.next`,
/// `.children[3]`), as its [`Trace::trace_labelled`](crate::Trace::trace_labelled) says; an
/// empty string where the impl does not say (hand-written impls that predate labels). No
/// CPython function does this; pymem-tools' `why_alive` prints these places.
///
/// ```
/// use pymem::{Gc, Trace, gc};
/// use std::cell::RefCell;
///
/// #[derive(Trace)]
/// struct Pair { left: Gc<String>, right: RefCell<Option<Gc<String>>> }
///
/// let text = Gc::new(String::from("x"));
/// let pair = Gc::new(Pair { left: text.clone(), right: RefCell::new(Some(text)) });
/// let places: Vec<String> =
///     gc::get_referents_labelled(&pair).into_iter().map(|(_, place)| place).collect();
/// assert_eq!(places, [".left", ".right"]);
/// ```
pub fn get_referents_labelled(obj: &dyn AsObject) -> Vec<(Object, String)> {
    let obj = obj.obj_ptr();
    if !traceable(obj) {
        return Vec::new();
    }
    let mut labels = Labels::default();
    let mut visitor = Visitor::new(Mode::Labelled(&mut labels));
    crate::trace::tracing(|| {
        // SAFETY: `traceable` checked that the value was not dropped.
        unsafe { (obj.vtable().trace_labelled)(obj, &mut visitor) }
    });
    labels
        .edges
        .into_iter()
        .map(|(target, place)| (Object::new(target), place))
        .collect()
}

/// `gc.get_referrers(*objs)`: the objects in generations 0–2 whose `Trace` impls report an
/// edge to any argument. Frozen objects are not searched, as in CPython. Expensive: it
/// traces every tracked object.
///
/// ```
/// use pymem::{Gc, gc};
/// use std::cell::RefCell;
///
/// let text = Gc::new(String::from("leaf"));
/// let list = Gc::new(RefCell::new(vec![text.clone()]));
/// let referrers = gc::get_referrers(&[&text]);
/// assert!(referrers.iter().any(|o| o.id() == Gc::id(&list)));
/// ```
pub fn get_referrers(objs: &[&dyn AsObject]) -> Vec<Object> {
    let targets: Vec<ObjPtr> = objs.iter().map(|o| o.obj_ptr()).collect();
    let Some(heap) = heap::current() else {
        return Vec::new();
    };
    let mut found = Vec::new();
    crate::trace::tracing(|| {
        for list in GENERATIONS.map(|g| heap.list(g)) {
            for gc in list.iter() {
                if refers_to(gc.obj(), &targets) {
                    found.push(gc.obj());
                }
            }
        }
    });
    found.into_iter().map(Object::new).collect()
}

fn refers_to(obj: ObjPtr, targets: &[ObjPtr]) -> bool {
    let mut visitor = Visitor::new(Mode::Referrers {
        targets,
        hit: false,
    });
    traverse(obj, &mut visitor);
    matches!(visitor.mode(), Mode::Referrers { hit: true, .. })
}

/// `gc.is_tracked(obj)`: whether the object is linked into a generation (or the permanent
/// one). Always `false` for untracked types, like CPython's atomic objects.
///
/// ```
/// use pymem::{Gc, gc};
/// use std::cell::RefCell;
///
/// assert!(!gc::is_tracked(&Gc::new(42_i64))); // atomic, as CPython's int
/// assert!(gc::is_tracked(&Gc::new(RefCell::new(Vec::<Gc<i64>>::new()))));
/// ```
pub fn is_tracked(obj: &dyn AsObject) -> bool {
    obj.obj_ptr()
        .links_if_tracked()
        .is_some_and(|gc| gc.is_tracked())
}
