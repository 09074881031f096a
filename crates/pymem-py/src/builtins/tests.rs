//! Unit tests of the pure pieces: unpacking, `except` matching, number parsing,
//! constructing built-in types, making classes, sorting and rounding.

use num_bigint::BigInt;
use pymem::Gc;

use super::*;
use crate::error::{PyErr, exc_args};
use crate::obj::{Atom, Kind, Obj, PyRef};
use crate::types::{BuiltinType as B, tobj, type_name};

fn s(x: &str) -> PyRef {
    val::str_(x)
}

fn ints(v: &[i64]) -> Vec<PyRef> {
    v.iter().map(|&i| val::int(i)).collect()
}

/// The message of an error, and its class name.
fn message(e: PyErr) -> (String, String) {
    let msg = exc_args(&e.0)
        .first()
        .and_then(|a| a.as_str().map(str::to_owned))
        .unwrap_or_default();
    (type_name(&e.0).to_string(), msg)
}

fn error_of<T>(r: crate::error::PyResult<T>) -> (String, String) {
    match r {
        Ok(_) => panic!("expected an error"),
        Err(e) => message(e),
    }
}

fn as_ints(v: &[PyRef]) -> Vec<i64> {
    v.iter().map(|x| x.as_i64().expect("an int")).collect()
}

#[test]
fn unpack_exact() {
    let t = val::tuple(ints(&[1, 2, 3]));
    assert_eq!(as_ints(&unpack_items(&t, 3, None).unwrap()), [1, 2, 3]);
    let e = error_of(unpack_items(&t, 2, None));
    assert_eq!(
        e,
        (
            "ValueError".into(),
            "too many values to unpack (expected 2)".into()
        )
    );
    let e = error_of(unpack_items(&t, 4, None));
    assert_eq!(e.1, "not enough values to unpack (expected 4, got 3)");
}

#[test]
fn unpack_starred() {
    let l = val::list(ints(&[1, 2, 3, 4, 5]));
    let items = unpack_items(&l, 1, Some(2)).unwrap();
    assert_eq!(items.len(), 4);
    assert_eq!(items[0].as_i64(), Some(1));
    assert_eq!(as_ints(&items[1].as_list().unwrap().borrow()), [2, 3]);
    assert_eq!(as_ints(&items[2..]), [4, 5]);
    let e = error_of(unpack_items(&val::list(ints(&[1, 2])), 2, Some(1)));
    assert_eq!(
        e.1,
        "not enough values to unpack (expected at least 3, got 2)"
    );
}

#[test]
fn unpack_non_iterable() {
    let e = error_of(unpack_items(&val::int(1), 2, None));
    assert_eq!(
        e,
        (
            "TypeError".into(),
            "cannot unpack non-iterable int object".into()
        )
    );
}

#[test]
fn except_matching() {
    let t = types();
    let exc = crate::error::new_exception(t.exc("KeyError"), vec![]);
    let lookup = PyRef::O(t.exc("LookupError").clone());
    let value = PyRef::O(t.exc("ValueError").clone());
    assert!(exception_matches(&exc, &lookup).unwrap());
    assert!(!exception_matches(&exc, &value).unwrap());
    assert!(exception_matches(&exc, &val::tuple(vec![value.clone(), lookup.clone()])).unwrap());
    let bad = val::tuple(vec![lookup, val::int(5)]);
    let e = error_of(exception_matches(&exc, &bad));
    assert_eq!(
        e.1,
        "catching classes that do not inherit from BaseException is not allowed"
    );
    let e = error_of(exception_matches(&exc, &PyRef::O(t.get(B::Int).clone())));
    assert_eq!(e.0, "TypeError");
}

#[test]
fn raise_non_exception() {
    let e = error_of(make_exception(&val::int(5)));
    assert_eq!(e.1, "exceptions must derive from BaseException");
    let exc = crate::error::new_exception(types().exc("ValueError"), vec![]);
    assert!(make_exception(&exc).unwrap().is(&exc));
    set_cause(&exc, val::none()).unwrap();
    assert!(exc.exc().unwrap().suppress_context.get());
}

#[test]
fn int_from_strings() {
    let int = |x: &str| construct(B::Int, &[s(x)], &[]).map(|v| v.as_i64().unwrap());
    assert_eq!(int("42").unwrap(), 42);
    assert_eq!(int("  -7\n").unwrap(), -7);
    assert_eq!(int("1_000").unwrap(), 1000);
    assert_eq!(int("٣").unwrap(), 3);
    assert_eq!(int("१२").unwrap(), 12);
    for bad in ["", "abc", "1.5", "0x10", "1__0", "_1", "1_", "--1", "1 2"] {
        let e = error_of(int(bad));
        assert_eq!(e.0, "ValueError", "{bad:?}");
        assert!(
            e.1.starts_with("invalid literal for int() with base 10: "),
            "{}",
            e.1
        );
    }
}

#[test]
fn int_with_bases() {
    let int =
        |x: &str, b: i64| construct(B::Int, &[s(x), val::int(b)], &[]).map(|v| v.as_i64().unwrap());
    assert_eq!(int("-0x10", 16).unwrap(), -16);
    assert_eq!(int("0b11", 2).unwrap(), 3);
    assert_eq!(int("z", 36).unwrap(), 35);
    assert_eq!(int("0x_1f", 0).unwrap(), 31);
    assert_eq!(int("0_0", 0).unwrap(), 0);
    assert_eq!(error_of(int("010", 0)).0, "ValueError");
    assert_eq!(
        error_of(int("12", 2)).1,
        "invalid literal for int() with base 2: '12'"
    );
    assert_eq!(
        error_of(int("10", 1)).1,
        "int() base must be >= 2 and <= 36, or 0"
    );
    let e = error_of(construct(B::Int, &[val::int(1), val::int(10)], &[]));
    assert_eq!(e.1, "int() can't convert non-string with explicit base");
}

#[test]
fn int_from_other_types() {
    assert_eq!(
        construct(B::Int, &[val::float(-3.99)], &[])
            .unwrap()
            .as_i64(),
        Some(-3)
    );
    let big = construct(B::Int, &[val::float(1e20)], &[]).unwrap();
    assert!(matches!(big.atom(), Some(Atom::Big(b)) if *b == BigInt::from(10u64.pow(19)) * 10));
    let e = error_of(construct(B::Int, &[val::list(vec![])], &[]));
    assert_eq!(
        e.1,
        "int() argument must be a string, a bytes-like object or a real number, not 'list'"
    );
    assert_eq!(
        error_of(construct(B::Int, &[val::float(f64::NAN)], &[])).1,
        "cannot convert float NaN to integer"
    );
    assert_eq!(
        error_of(construct(B::Int, &[val::float(f64::INFINITY)], &[])).0,
        "OverflowError"
    );
}

#[test]
fn float_from_strings() {
    let float = |x: &str| match construct(B::Float, &[s(x)], &[]).ok()?.atom() {
        Some(Atom::Float(f)) => Some(*f),
        _ => None,
    };
    assert_eq!(float("1.5"), Some(1.5));
    assert_eq!(float(" -1e3 "), Some(-1000.0));
    assert_eq!(float(".5"), Some(0.5));
    assert_eq!(float("1_0.5"), Some(10.5));
    assert_eq!(float("-inf"), Some(f64::NEG_INFINITY));
    assert_eq!(float("Infinity"), Some(f64::INFINITY));
    assert!(float("nan").unwrap().is_nan());
    assert_eq!(float("١.٥"), Some(1.5));
    for bad in [
        "", "abc", "1.2.3", "1e", "inf inf", "0x10", "1_", "+-1", "1__0",
    ] {
        assert_eq!(float(bad), None, "{bad:?}");
    }
    let e = error_of(construct(B::Float, &[s("x")], &[]));
    assert_eq!(
        e,
        (
            "ValueError".into(),
            "could not convert string to float: 'x'".into()
        )
    );
    let e = error_of(construct(B::Float, &[val::list(vec![])], &[]));
    assert_eq!(
        e.1,
        "float() argument must be a string or a real number, not 'list'"
    );
}

#[test]
fn str_and_containers() {
    assert_eq!(construct(B::Str, &[], &[]).unwrap().as_str(), Some(""));
    assert_eq!(
        construct(B::Str, &[s("ab")], &[]).unwrap().as_str(),
        Some("ab")
    );
    let e = error_of(construct(B::Str, &[val::int(1), s("utf-8")], &[]));
    assert_eq!(e.1, "decoding to str: need a bytes-like object, int found");
    let r = construct(B::Range, &[val::int(1), val::int(2), val::int(0)], &[]);
    assert_eq!(error_of(r).1, "range() arg 3 must not be zero");
    assert_eq!(
        error_of(construct(B::List, &[val::int(1), val::int(2)], &[])).1,
        "list expected at most 1 argument, got 2"
    );
    let t = val::tuple(ints(&[1]));
    assert!(
        construct(B::Tuple, std::slice::from_ref(&t), &[])
            .unwrap()
            .is(&t)
    );
    let e = error_of(construct(B::Bytes, &[val::int(-1)], &[]));
    assert_eq!(e.1, "negative count");
    let b = construct(B::Bytes, &[val::list(ints(&[1, 2]))], &[]).unwrap();
    assert!(matches!(b.atom(), Some(Atom::Bytes(b)) if **b == [1, 2]));
}

#[test]
fn exceptions_are_made_of_their_class() {
    let cls = PyRef::O(types().exc("KeyError").clone());
    let e = crate::call::call(&cls, &[s("k")], &[]).unwrap();
    assert_eq!(&*type_name(&e), "KeyError");
    assert_eq!(exc_args(&e).len(), 1);
    let raised = make_exception(&cls).unwrap();
    assert_eq!(&*type_name(&raised), "KeyError");
}

fn ns() -> PyRef {
    val::dict(crate::dict::Dict::new())
}

fn class(name: &str, bases: &[&PyRef]) -> PyRef {
    let bases = bases.iter().map(|b| b.obj().unwrap().clone()).collect();
    new_class(name, bases, ns()).unwrap()
}

fn mro_names(c: &PyRef) -> Vec<String> {
    c.as_type()
        .unwrap()
        .mro
        .borrow()
        .iter()
        .map(|c| tobj(c).name.borrow().to_string())
        .collect()
}

#[test]
fn class_mro() {
    let a = class("A", &[]);
    let b = class("B", &[&a]);
    let c = class("C", &[&a]);
    let d = class("D", &[&b, &c]);
    assert_eq!(mro_names(&d), ["D", "B", "C", "A", "object"]);
    let bases = vec![a.obj().unwrap().clone(), b.obj().unwrap().clone()];
    let e = error_of(new_class("E", bases, ns()));
    assert_eq!(
        e.1,
        "Cannot create a consistent method resolution order (MRO) for bases A, B"
    );
    let bases = vec![a.obj().unwrap().clone(), a.obj().unwrap().clone()];
    assert_eq!(
        error_of(new_class("F", bases, ns())).1,
        "duplicate base class A"
    );
    let boolean = PyRef::O(types().get(B::Bool).clone());
    let e = error_of(new_class("G", vec![boolean.obj().unwrap().clone()], ns()));
    assert_eq!(e.1, "type 'bool' is not an acceptable base type");
}

/// A class with `__slots__ = slots` and `bases`.
fn slotted(name: &str, bases: &[&PyRef], slots: &[&str]) -> crate::error::PyResult {
    let mut d = crate::dict::Dict::new();
    let items = val::tuple(slots.iter().map(|x| s(x)).collect());
    crate::types::dict_set_str(&mut d, s("__slots__"), items);
    new_class(
        name,
        bases.iter().map(|b| b.obj().unwrap().clone()).collect(),
        val::dict(d),
    )
}

#[test]
fn class_slots() {
    let a = slotted("A", &[], &["x", "__y"]).unwrap();
    let t = a.as_type().unwrap();
    assert_eq!(
        t.slot_names
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>(),
        ["x", "_A__y"]
    );
    assert!(!t.has_dict && !t.has_weakref);
    let b = slotted("B", &[&a], &["z", "__dict__"]).unwrap();
    let tb = b.as_type().unwrap();
    assert_eq!(tb.slot_names.len(), 3);
    assert!(tb.has_dict && !tb.has_weakref);
    let c = class("C", &[&a]);
    assert!(c.as_type().unwrap().has_dict && c.as_type().unwrap().has_weakref);
    let other = slotted("O", &[], &["w"]).unwrap();
    assert_eq!(
        error_of(slotted("D", &[&a, &other], &[])).1,
        "multiple bases have instance lay-out conflict"
    );
    assert_eq!(
        error_of(slotted("E", &[&b], &["__dict__"])).1,
        "__dict__ slot disallowed: we already got one"
    );
}

#[test]
fn class_payload_and_implicit_wrappers() {
    let list = PyRef::O(types().get(B::List).clone());
    let l = class("L", &[&list]);
    assert_eq!(l.as_type().unwrap().payload, Some(B::List));
    let plain = class("P", &[]);
    assert_eq!(plain.as_type().unwrap().payload, None);
    let exc = class("E", &[&PyRef::O(types().exc("Exception").clone())]);
    assert_eq!(exc.as_type().unwrap().payload, Some(B::BaseException));
    let f = Obj::new(Kind::StaticMethod(val::none()));
    let mut d = crate::dict::Dict::new();
    crate::types::dict_set_str(&mut d, s("__new__"), f);
    let c = new_class("N", vec![], val::dict(d)).unwrap();
    let t = c.as_type().unwrap();
    assert!(
        crate::types::dict_get_str(&t.dict.borrow(), "__doc__")
            .unwrap()
            .is_none()
    );
    assert!(Gc::ptr_eq(&t.bases[0], types().get(B::Object)));
}

#[test]
fn type_call_forms() {
    let t = type_call(&[val::int(1)], &[]).unwrap();
    assert!(t.obj().is_some_and(|c| Gc::ptr_eq(c, types().get(B::Int))));
    assert_eq!(
        error_of(type_call(&[], &[])).1,
        "type() takes 1 or 3 arguments"
    );
    let e = error_of(type_call(&[val::int(5), val::tuple(vec![]), ns()], &[]));
    assert_eq!(e.1, "type.__new__() argument 1 must be str, not int");
    let c = type_call(&[s("X"), val::tuple(vec![]), ns()], &[]).unwrap();
    assert_eq!(&**c.as_type().unwrap().name.borrow(), "X");
}

#[test]
fn sorting_is_stable() {
    let pairs: Vec<PyRef> = [(2, 0), (1, 1), (2, 2), (1, 3)]
        .iter()
        .map(|&(k, i)| val::tuple(ints(&[k, i])))
        .collect();
    let key = builtin_fn(&FIRST);
    let mut v = pairs.clone();
    sort_values(&mut v, Some(&key), false).unwrap();
    let second = |v: &[PyRef]| {
        v.iter()
            .map(|t| t.as_tuple().unwrap()[1].as_i64().unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(second(&v), [1, 3, 0, 2]);
    let mut v = pairs;
    sort_values(&mut v, Some(&key), true).unwrap();
    assert_eq!(second(&v), [0, 2, 1, 3]);
}

/// `lambda t: t[0]`.
static FIRST: crate::obj::BuiltinDef = crate::obj::BuiltinDef {
    name: "first",
    func: |a, _| Ok(a[0].as_tuple().unwrap()[0].clone()),
};

#[test]
fn rounding() {
    let round = |x: PyRef, n: Option<i64>| {
        let mut args = vec![x];
        args.extend(n.map(val::int));
        let f = lookup_builtin("round").unwrap();
        crate::call::call(&f, &args, &[]).unwrap()
    };
    let f = |x: PyRef| match x.atom() {
        Some(Atom::Float(f)) => *f,
        _ => panic!("not a float"),
    };
    assert_eq!(f(round(val::float(2.675), Some(2))), 2.67);
    assert_eq!(f(round(val::float(0.125), Some(2))), 0.12);
    assert_eq!(f(round(val::float(0.375), Some(2))), 0.38);
    assert_eq!(f(round(val::float(1234.5678), Some(-2))), 1200.0);
    assert_eq!(round(val::float(2.5), None).as_i64(), Some(2));
    assert_eq!(round(val::float(-0.5), None).as_i64(), Some(0));
    assert_eq!(round(val::int(1250), Some(-2)).as_i64(), Some(1200));
    assert_eq!(round(val::int(1350), Some(-2)).as_i64(), Some(1400));
    assert_eq!(round(val::int(-1250), Some(-2)).as_i64(), Some(-1200));
}

#[test]
fn builtins_namespace() {
    for name in [
        "print",
        "len",
        "int",
        "ValueError",
        "None",
        "__build_class__",
        "open",
        "sorted",
    ] {
        assert!(lookup_builtin(name).is_some(), "{name}");
    }
    assert!(lookup_builtin("no_such_builtin").is_none());
    assert!(lookup_builtin("True").unwrap().is(&val::bool_(true)));
}
