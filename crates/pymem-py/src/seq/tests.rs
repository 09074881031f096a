//! The native protocol against results CPython 3.13 gives (noted beside each case).

use crate::code::{BinOp, CmpOp};
use crate::obj::{Kind, Obj, PyRef};
use crate::{ops, val};

fn s(x: &str) -> PyRef {
    val::str_(x)
}

fn opt(x: Option<i64>) -> PyRef {
    x.map_or_else(val::none, val::int)
}

fn slice(a: Option<i64>, b: Option<i64>, c: Option<i64>) -> PyRef {
    Obj::new(Kind::Slice(Box::new([opt(a), opt(b), opt(c)])))
}

fn strs(items: &[&str]) -> Vec<PyRef> {
    items.iter().map(|x| s(x)).collect()
}

fn show(x: &PyRef) -> String {
    ops::repr(x).expect("repr")
}

fn message(r: crate::error::PyResult<impl Sized>) -> String {
    match r {
        Ok(_) => "ok".to_owned(),
        Err(e) => format!(
            "{}: {}",
            crate::types::type_name(&e.0),
            crate::repr::message_of(&e)
        ),
    }
}

#[test]
fn slice_indices_match_cpython() {
    // slice(a, b, c).indices(n) and len(range(*that)).
    let cases = [
        ((None, None, None, 5), (0, 5, 1, 5)),
        ((Some(1), Some(3), None, 5), (1, 3, 1, 2)),
        ((Some(-2), None, None, 5), (3, 5, 1, 2)),
        ((None, None, Some(-1), 5), (4, -1, -1, 5)),
        ((Some(10), Some(-10), Some(-2), 5), (4, -1, -2, 3)),
        ((Some(-100), Some(100), Some(3), 7), (0, 7, 3, 3)),
        ((Some(3), Some(1), None, 5), (3, 1, 1, 0)),
        ((None, None, Some(2), 0), (0, 0, 2, 0)),
        ((Some(4), None, Some(-3), 10), (4, -1, -3, 2)),
        ((None, Some(2), Some(-1), 5), (4, 2, -1, 2)),
    ];
    for ((a, b, c, n), want) in cases {
        let got = super::slice_indices(&opt(a), &opt(b), &opt(c), n).expect("indices");
        assert_eq!(got, want, "slice({a:?}, {b:?}, {c:?}).indices({n})");
    }
    let zero = super::slice_indices(&val::none(), &val::none(), &val::int(0), 3);
    assert_eq!(message(zero), "ValueError: slice step cannot be zero");
}

#[test]
fn slicing_sequences() {
    let letters = strs(&["a", "b", "c", "d", "e", "f", "g"]);
    let list = val::list(letters.clone());
    let tuple = val::tuple(letters);
    let text = s("abcdefg");
    let range = super::range_obj(crate::obj::Range {
        start: 10,
        stop: 30,
        step: 3,
    });
    let cases = [
        (
            (Some(1), Some(5), Some(2)),
            ["['b', 'd']", "('b', 'd')", "'bd'", "range(13, 25, 6)"],
        ),
        (
            (None, None, Some(-2)),
            [
                "['g', 'e', 'c', 'a']",
                "('g', 'e', 'c', 'a')",
                "'geca'",
                "range(28, 7, -6)",
            ],
        ),
        (
            (Some(-3), None, None),
            [
                "['e', 'f', 'g']",
                "('e', 'f', 'g')",
                "'efg'",
                "range(22, 31, 3)",
            ],
        ),
        (
            (Some(5), Some(1), Some(-1)),
            [
                "['f', 'e', 'd', 'c']",
                "('f', 'e', 'd', 'c')",
                "'fedc'",
                "range(25, 13, -3)",
            ],
        ),
    ];
    for ((a, b, c), want) in cases {
        let key = slice(a, b, c);
        for (seq, want) in [&list, &tuple, &text, &range].into_iter().zip(want) {
            assert_eq!(show(&ops::getitem(seq, &key).expect("slice")), want);
        }
    }
    assert!(
        ops::getitem(&tuple, &slice(None, None, None))
            .expect("t[:]")
            .is(&tuple)
    );
}

#[test]
fn slicing_non_ascii_str() {
    let text = s("héllo wörld");
    let get = |k: &PyRef| ops::getitem(&text, k).expect("getitem");
    assert_eq!(get(&slice(Some(1), Some(4), None)).as_str(), Some("éll"));
    assert_eq!(get(&slice(None, None, Some(-2))).as_str(), Some("drwolh"));
    assert_eq!(get(&slice(Some(-3), None, None)).as_str(), Some("rld"));
    assert_eq!(get(&val::int(4)).as_str(), Some("o"));
    assert_eq!(get(&val::int(-4)).as_str(), Some("ö"));
}

#[test]
fn index_errors() {
    let list = val::list(strs(&["a"]));
    assert_eq!(
        message(ops::getitem(&list, &val::int(5))),
        "IndexError: list index out of range"
    );
    assert_eq!(
        message(ops::getitem(&list, &s("a"))),
        "TypeError: list indices must be integers or slices, not str"
    );
    let text = s("a");
    assert_eq!(
        message(ops::getitem(&text, &val::int(5))),
        "IndexError: string index out of range"
    );
    assert_eq!(
        message(ops::getitem(&text, &s("a"))),
        "TypeError: string indices must be integers, not 'str'"
    );
    let big = val::bigint(num_bigint::BigInt::from(1) << 100);
    assert_eq!(
        message(ops::getitem(&list, &big)),
        "IndexError: cannot fit 'int' into an index-sized integer"
    );
}

#[test]
fn list_slice_assignment() {
    let list = val::list(strs(&["a", "b", "c"]));
    ops::setitem(
        &list,
        &slice(Some(1), Some(1), None),
        val::list(strs(&["x", "y"])),
    )
    .expect("insert");
    assert_eq!(show(&list), "['a', 'x', 'y', 'b', 'c']");
    let r = ops::setitem(&list, &slice(None, None, Some(2)), val::list(strs(&["z"])));
    assert_eq!(
        message(r),
        "ValueError: attempt to assign sequence of size 1 to extended slice of size 3"
    );
    ops::setitem(&list, &slice(None, None, Some(-1)), list.clone()).expect("reverse");
    assert_eq!(show(&list), "['c', 'b', 'y', 'x', 'a']");
    ops::delitem(&list, &slice(None, None, Some(2))).expect("del");
    assert_eq!(show(&list), "['b', 'x']");
    let r = ops::setitem(&list, &slice(Some(0), Some(1), None), val::int(5));
    assert_eq!(
        message(r),
        "TypeError: must assign iterable to extended slice"
    );
}

#[test]
fn comparisons() {
    let cmp = |a: &PyRef, b: &PyRef, op| super::native_compare(a, b, op).expect("compare");
    let ab = val::list(strs(&["a", "b"]));
    let ac = val::list(strs(&["a", "c"]));
    let a = val::list(strs(&["a"]));
    assert_eq!(cmp(&ab, &ac, CmpOp::Lt), Some(true));
    assert_eq!(cmp(&a, &ab, CmpOp::Lt), Some(true));
    assert_eq!(cmp(&ab, &ab, CmpOp::Eq), Some(true));
    assert_eq!(cmp(&ab, &val::int(1), CmpOp::Lt), None);
    let mixed = val::tuple(vec![val::int(1), s("a")]);
    let ints = val::tuple(vec![val::int(1), val::int(2)]);
    let r = super::native_compare(&mixed, &ints, CmpOp::Lt);
    assert_eq!(
        message(r),
        "TypeError: '<' not supported between instances of 'str' and 'int'"
    );
}

#[test]
fn set_and_dict_comparisons() {
    let set = |items: &[&str]| super::to_set(&val::list(strs(items))).expect("set");
    let cmp = |a: &PyRef, b: &PyRef, op| super::native_compare(a, b, op).expect("compare");
    assert_eq!(cmp(&set(&["a"]), &set(&["a", "b"]), CmpOp::Lt), Some(true));
    assert_eq!(
        cmp(&set(&["a", "b"]), &set(&["b", "a"]), CmpOp::Eq),
        Some(true)
    );
    assert_eq!(cmp(&set(&["a", "b"]), &set(&["a"]), CmpOp::Le), Some(false));
    let d1 = dict(&[("a", "x"), ("b", "y")]);
    let d2 = dict(&[("b", "y"), ("a", "x")]);
    assert_eq!(cmp(&d1, &d2, CmpOp::Eq), Some(true));
    assert_eq!(cmp(&d1, &d2, CmpOp::Lt), None);
}

fn dict(pairs: &[(&str, &str)]) -> PyRef {
    let d = val::dict(crate::dict::Dict::new());
    for (k, v) in pairs {
        ops::setitem(&d, &s(k), s(v)).expect("setitem");
    }
    d
}

#[test]
fn concatenation_and_repetition() {
    let bin = |op, a: &PyRef, b: &PyRef| super::native_binary(op, a, b);
    let r = bin(BinOp::Add, &s("ab"), &s("cd"))
        .expect("add")
        .expect("str");
    assert_eq!(r.as_str(), Some("abcd"));
    let r = bin(BinOp::Mul, &val::int(3), &s("ab"))
        .expect("mul")
        .expect("str");
    assert_eq!(r.as_str(), Some("ababab"));
    let r = bin(BinOp::Mul, &val::list(strs(&["a"])), &val::int(-2))
        .expect("mul")
        .expect("list");
    assert_eq!(show(&r), "[]");
    let r = bin(
        BinOp::Add,
        &val::tuple(strs(&["a"])),
        &val::tuple(strs(&["b"])),
    )
    .expect("add")
    .expect("tuple");
    assert_eq!(show(&r), "('a', 'b')");
    let r = bin(BinOp::Add, &val::list(vec![]), &val::tuple(vec![]));
    assert_eq!(
        message(r),
        "TypeError: can only concatenate list (not \"tuple\") to list"
    );
    let r = bin(BinOp::Mul, &s("ab"), &val::int(1 << 62));
    assert_eq!(message(r), "OverflowError: repeated string is too long");
    let r = bin(BinOp::Mul, &val::list(vec![]), &s("x"));
    assert_eq!(
        message(r),
        "TypeError: can't multiply sequence by non-int of type 'str'"
    );
}

#[test]
fn percent_format() {
    let fmt = |f: &str, args: PyRef| super::str_percent(f, &args).map(|r| show(&r));
    let args = val::tuple(vec![
        s("a"),
        val::int(42),
        val::int(42),
        val::float(1.23456),
    ]);
    assert_eq!(
        fmt("%s %5d|%-4x|%.2f", args).expect("format"),
        "'a    42|2a  |1.23'"
    );
    assert_eq!(fmt("%r", s("x")).expect("format"), "\"'x'\"");
    assert_eq!(fmt("%(k)s!", dict(&[("k", "v")])).expect("format"), "'v!'");
    assert_eq!(
        message(fmt("%d", s("x"))),
        "TypeError: %d format: a real number is required, not str"
    );
    assert_eq!(
        message(fmt("x", val::int(5))),
        "TypeError: not all arguments converted during string formatting"
    );
    assert_eq!(fmt("x", val::list(vec![])).expect("format"), "'x'");
    let r = fmt("%s %s", val::tuple(vec![s("a")]));
    assert_eq!(
        message(r),
        "TypeError: not enough arguments for format string"
    );
}

#[test]
fn membership() {
    let has = |x: &PyRef, item: &PyRef| super::native_contains(x, item);
    assert_eq!(has(&s("hello"), &s("ell")).expect("in"), Some(true));
    let r = has(&s("hello"), &val::int(1));
    assert_eq!(
        message(r),
        "TypeError: 'in <string>' requires string as left operand, not int"
    );
    let range = super::range_obj(crate::obj::Range {
        start: 0,
        stop: 10,
        step: 3,
    });
    assert_eq!(has(&range, &val::int(9)).expect("in"), Some(true));
    assert_eq!(has(&range, &val::int(10)).expect("in"), Some(false));
    assert_eq!(
        has(&val::bytes(b"abc".to_vec()), &val::int(98)).expect("in"),
        Some(true)
    );
    assert_eq!(has(&dict(&[("k", "v")]), &s("k")).expect("in"), Some(true));
}

#[test]
fn set_algebra() {
    // Small ints hash to themselves, so these sets iterate in CPython's order by value
    // (strs would iterate in an order that depends on CPython's hash seed).
    let set = |items: &[i64]| {
        let items = items.iter().map(|&i| val::int(i)).collect();
        super::to_set(&val::list(items)).expect("set")
    };
    let bin = |op, a: &PyRef, b: &PyRef| super::native_binary(op, a, b).expect("op").expect("set");
    let (ab, bc) = (set(&[2, 1]), set(&[3, 2]));
    assert_eq!(show(&bin(BinOp::Or, &ab, &bc)), "{1, 2, 3}");
    assert_eq!(show(&bin(BinOp::And, &ab, &bc)), "{2}");
    assert_eq!(show(&bin(BinOp::Sub, &ab, &bc)), "{1}");
    assert_eq!(show(&bin(BinOp::Xor, &ab, &bc)), "{1, 3}");
    let frozen = super::new_set(super::copy_set_table(set_table(&ab)).expect("copy"), true);
    assert_eq!(show(&bin(BinOp::Or, &frozen, &bc)), "frozenset({1, 2, 3})");
    super::native_inplace(BinOp::Sub, &ab, &bc).expect("-=");
    assert_eq!(show(&ab), "{1}");
}

#[test]
fn sets_iterate_in_cpythons_slot_order() {
    // Oracle, CPython 3.13: `print({1000000, -1, -2, 7})` prints `{1000000, -2, -1, 7}`
    // (a display of constants: a folded frozenset, rebuilt from its own order, merged into
    // a new set), and `print(set([1000000, -1, -2, 7]))` prints `{1000000, 7, -1, -2}`
    // (one add each). -1 and -2 share the hash -2, so the order of adds moves them.
    let items = || [1_000_000, -1, -2, 7].map(val::int).to_vec();
    let display = crate::builtins::make_const_set(items()).expect("set");
    assert_eq!(show(&display), "{1000000, -2, -1, 7}");
    let added = super::to_set(&val::list(items())).expect("set");
    assert_eq!(show(&added), "{1000000, 7, -1, -2}");
}

fn set_table(x: &PyRef) -> &std::cell::RefCell<crate::dict::Dict> {
    match x.kind() {
        Some(Kind::Set(d, _)) => d,
        _ => panic!("not a set"),
    }
}
