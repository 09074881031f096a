//! `repr()` and `str()` against what CPython 3.13 prints (noted beside each case).

use num_bigint::BigInt;

use crate::error::{err, err_args};
use crate::obj::{Kind, Obj, PyRef, Range};
use crate::val;

use super::{repr, str_of};

fn show(x: &PyRef) -> String {
    repr(x).expect("repr")
}

fn s(x: &str) -> PyRef {
    val::str_(x)
}

#[test]
fn atoms() {
    assert_eq!(show(&val::none()), "None");
    assert_eq!(show(&val::bool_(true)), "True");
    assert_eq!(show(&val::int(-42)), "-42");
    assert_eq!(
        show(&val::bigint(BigInt::from(1) << 64)),
        "18446744073709551616"
    );
    assert_eq!(
        show(&val::bigint(-(BigInt::from(1) << 70u32))),
        "-1180591620717411303424"
    );
    assert_eq!(show(&val::float(1e16)), "1e+16");
    assert_eq!(show(&val::ellipsis()), "Ellipsis");
    assert_eq!(show(&val::not_implemented()), "NotImplemented");
    let range = |start, stop, step| crate::seq::range_obj(Range { start, stop, step });
    assert_eq!(show(&range(0, 3, 1)), "range(0, 3)");
    assert_eq!(show(&range(0, 10, 2)), "range(0, 10, 2)");
}

#[test]
fn int_digit_limit() {
    let big = val::bigint(BigInt::from(10).pow(4300));
    let e = repr(&big).expect_err("4301 digits");
    assert_eq!(
        crate::repr::message_of(&e),
        "Exceeds the limit (4300 digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit"
    );
    let ok = val::bigint(BigInt::from(10).pow(4299));
    assert_eq!(show(&ok).len(), 4300);
}

#[test]
fn strings() {
    assert_eq!(show(&s("it's")), r#""it's""#);
    assert_eq!(show(&s("say \"hi\"")), r#"'say "hi"'"#);
    assert_eq!(show(&s("both ' and \"")), r#"'both \' and "'"#);
    let odd = s("\x00\x7f\u{80}\u{a0}\u{ad}\u{2028}\u{e000}\u{1f600} é\t\n\r\\");
    assert_eq!(
        show(&odd),
        r"'\x00\x7f\x80\xa0\xad\u2028\ue000😀 é\t\n\r\\'"
    );
    assert_eq!(show(&s("\u{378}")), r"'\u0378'");
    assert_eq!(show(&s("\u{e0001}")), r"'\U000e0001'");
    assert_eq!(
        super::ascii(&s("é😀\u{85}")).expect("ascii"),
        r"'\xe9\U0001f600\x85'"
    );
    assert_eq!(
        show(&val::bytes(b"it's \x00\xff\\".to_vec())),
        r#"b"it's \x00\xff\\""#
    );
    assert_eq!(
        show(&crate::seq::bytearray(b"ab".to_vec())),
        "bytearray(b'ab')"
    );
}

#[test]
fn containers() {
    assert_eq!(show(&val::list(vec![val::int(1), s("a")])), "[1, 'a']");
    assert_eq!(show(&val::tuple(vec![])), "()");
    assert_eq!(show(&val::tuple(vec![val::int(1)])), "(1,)");
    assert_eq!(
        show(&val::tuple(vec![val::int(1), val::none()])),
        "(1, None)"
    );
    let d = val::dict(crate::dict::Dict::new());
    assert_eq!(show(&d), "{}");
    crate::ops::setitem(&d, &s("a"), val::int(1)).expect("setitem");
    assert_eq!(show(&d), "{'a': 1}");
    let empty = crate::seq::new_set(crate::dict::Dict::new(), false);
    assert_eq!(show(&empty), "set()");
    let frozen = crate::seq::new_set(crate::dict::Dict::new(), true);
    assert_eq!(show(&frozen), "frozenset()");
    let one = crate::seq::to_set(&val::list(vec![val::int(1)])).expect("set");
    assert_eq!(show(&one), "{1}");
    let slice = Obj::new(Kind::Slice(Box::new([
        val::int(1),
        val::int(2),
        val::none(),
    ])));
    assert_eq!(show(&slice), "slice(1, 2, None)");
}

#[test]
fn recursive_containers() {
    let l = val::list(vec![]);
    l.as_list().expect("list").borrow_mut().push(l.clone());
    assert_eq!(show(&l), "[[...]]");
    l.as_list().expect("list").borrow_mut().clear();
    let d = val::dict(crate::dict::Dict::new());
    crate::ops::setitem(&d, &s("a"), d.clone()).expect("setitem");
    assert_eq!(show(&d), "{'a': {...}}");
    crate::dictops::clear(d.as_dict().expect("dict"));
}

#[test]
fn deep_nesting_is_a_recursion_error() {
    let mut x = val::list(vec![]);
    for _ in 0..5000 {
        x = val::list(vec![x]);
    }
    let e = repr(&x).expect_err("too deep");
    assert!(e.is("RecursionError"));
    assert_eq!(
        crate::repr::message_of(&e),
        "maximum recursion depth exceeded while getting the repr of an object"
    );
    // Unwind the nesting by hand: dropping it recursively could overflow the test's stack.
    while let Some(inner) = x.as_list().and_then(|l| l.borrow_mut().pop()) {
        x = inner;
    }
}

#[test]
fn exceptions() {
    assert_eq!(show(&err("ValueError", "x").0), "ValueError('x')");
    assert_eq!(show(&err_args("Exception", vec![]).0), "Exception()");
    assert_eq!(
        show(&err_args("TypeError", vec![val::int(1), val::int(2)]).0),
        "TypeError(1, 2)"
    );
    let key = err_args("KeyError", vec![s("k")]);
    assert_eq!(str_of(&key.0).expect("str"), "'k'");
    assert_eq!(show(&key.0), "KeyError('k')");
    assert_eq!(str_of(&err_args("Exception", vec![]).0).expect("str"), "");
    assert_eq!(
        str_of(&err_args("Exception", vec![val::int(1), s("a")]).0).expect("str"),
        "(1, 'a')"
    );
    let os = err_args("OSError", vec![val::int(2), s("No such"), s("f")]);
    assert_eq!(str_of(&os.0).expect("str"), "[Errno 2] No such: 'f'");
    let details = val::tuple(vec![s("/a/f.py"), val::int(3), val::int(1), s("x")]);
    let syntax = err_args("SyntaxError", vec![s("msg"), details]);
    assert_eq!(str_of(&syntax.0).expect("str"), "msg (f.py, line 3)");
}

#[test]
fn builtin_types() {
    let types = crate::types::types();
    let ty = |bt| PyRef::O(types.get(bt).clone());
    assert_eq!(show(&ty(crate::types::BuiltinType::Int)), "<class 'int'>");
    assert_eq!(
        show(&ty(crate::types::BuiltinType::WeakRef)),
        "<class 'weakref.ReferenceType'>"
    );
    assert_eq!(
        show(&PyRef::O(types.exc("ValueError").clone())),
        "<class 'ValueError'>"
    );
}
