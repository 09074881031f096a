//! The methods called as Python calls them, on values built in Rust; the expected results
//! are CPython 3.13's.

use super::{adjust, dict, list, set, string, suggest, table};
use crate::error::{PyErr, PyResult};
use crate::obj::{BuiltinDef, PyRef};
use crate::types::BuiltinType;
use crate::val;

/// Calls method `name` of `methods` with `args` (the receiver first).
fn call(methods: &[BuiltinDef], name: &str, args: &[PyRef]) -> PyResult {
    let def = methods
        .iter()
        .find(|d| d.name == name)
        .unwrap_or_else(|| panic!("no method {name}"));
    (def.func)(args, &[])
}

/// A str object.
fn s(x: &str) -> PyRef {
    val::str_(x)
}

/// The text of a str object.
fn text(x: &PyRef) -> String {
    x.as_str().unwrap_or("<not a str>").to_owned()
}

/// The texts of a list or tuple of str objects.
fn texts(x: &PyRef) -> Vec<String> {
    let items = match x.as_list() {
        Some(l) => l.borrow().clone(),
        None => x.as_tuple().unwrap_or_default().to_vec(),
    };
    items.iter().map(text).collect()
}

/// The type and message of an error.
fn error(e: PyErr) -> String {
    format!(
        "{}: {}",
        crate::types::type_name(&e.0),
        crate::repr::message_of(&e)
    )
}

/// The error a call raised.
fn fails(r: PyResult) -> String {
    match r {
        Ok(_) => "no error".to_owned(),
        Err(e) => error(e),
    }
}

#[test]
fn str_methods_match_cpython() {
    let r = call(string::METHODS, "split", &[s("a,b,,c"), s(",")]);
    assert_eq!(texts(&r.expect("split")), ["a", "b", "", "c"]);
    let r = call(
        string::METHODS,
        "rsplit",
        &[s("a b  c "), val::none(), val::int(1)],
    );
    assert_eq!(texts(&r.expect("rsplit")), ["a b", "c"]);
    let r = call(string::METHODS, "strip", &[s("xxhixx"), s("x")]);
    assert_eq!(text(&r.expect("strip")), "hi");
    let r = call(
        string::METHODS,
        "replace",
        &[s("Hello Hello"), s("Hello"), s("Bye"), val::int(1)],
    );
    assert_eq!(text(&r.expect("replace")), "Bye Hello");
    let r = call(string::METHODS, "find", &[s("héllo"), s("l"), val::int(3)]);
    assert_eq!(r.expect("find").as_i64(), Some(3));
    let r = call(string::METHODS, "partition", &[s("key=value=x"), s("=")]);
    assert_eq!(texts(&r.expect("partition")), ["key", "=", "value=x"]);
    let r = call(string::METHODS, "center", &[s("abc"), val::int(9), s("*")]);
    assert_eq!(text(&r.expect("center")), "***abc***");
}

#[test]
fn str_errors_match_cpython() {
    assert_eq!(
        fails(call(string::METHODS, "index", &[s("abc"), s("z")])),
        "ValueError: substring not found"
    );
    assert_eq!(
        fails(call(string::METHODS, "split", &[s("a"), s("")])),
        "ValueError: empty separator"
    );
    assert_eq!(
        fails(call(
            string::METHODS,
            "join",
            &[s(""), val::list(vec![val::int(1)])]
        )),
        "TypeError: sequence item 0: expected str instance, int found"
    );
    assert_eq!(
        fails(call(string::METHODS, "zfill", &[s("")])),
        "TypeError: str.zfill() takes exactly one argument (0 given)"
    );
    assert_eq!(
        fails(call(string::METHODS, "upper", &[val::int(5)])),
        "TypeError: descriptor 'upper' for 'str' objects doesn't apply to a 'int' object"
    );
}

#[test]
fn format_matches_cpython() {
    let r = call(
        string::METHODS,
        "format",
        &[s("{0}{1}{0}|{{}}"), s("a"), s("b")],
    );
    assert_eq!(text(&r.expect("format")), "aba|{}");
    let r = call(string::METHODS, "format", &[s("{!r}"), s("x")]);
    assert_eq!(text(&r.expect("format")), "'x'");
    assert_eq!(
        fails(call(
            string::METHODS,
            "format",
            &[s("{0}{}"), s("a"), s("b")]
        )),
        "ValueError: cannot switch from manual field specification to automatic field numbering"
    );
    assert_eq!(
        fails(call(string::METHODS, "format", &[s("{1}"), s("a")])),
        "IndexError: Replacement index 1 out of range for positional args tuple"
    );
}

#[test]
fn list_methods_match_cpython() {
    let l = val::list(vec![s("b")]);
    call(list::METHODS, "append", &[l.clone(), s("c")]).expect("append");
    call(list::METHODS, "insert", &[l.clone(), val::int(0), s("a")]).expect("insert");
    call(
        list::METHODS,
        "extend",
        &[l.clone(), val::list(vec![s("a")])],
    )
    .expect("extend");
    assert_eq!(texts(&l), ["a", "b", "c", "a"]);
    assert_eq!(
        call(list::METHODS, "count", &[l.clone(), s("a")])
            .expect("count")
            .as_i64(),
        Some(2)
    );
    assert_eq!(
        call(list::METHODS, "index", &[l.clone(), s("c")])
            .expect("index")
            .as_i64(),
        Some(2)
    );
    call(list::METHODS, "remove", &[l.clone(), s("a")]).expect("remove");
    assert_eq!(texts(&l), ["b", "c", "a"]);
    assert_eq!(
        text(&call(list::METHODS, "pop", std::slice::from_ref(&l)).expect("pop")),
        "a"
    );
    call(list::METHODS, "reverse", std::slice::from_ref(&l)).expect("reverse");
    assert_eq!(texts(&l), ["c", "b"]);
    assert_eq!(
        fails(call(list::METHODS, "remove", &[l.clone(), s("z")])),
        "ValueError: list.remove(x): x not in list"
    );
    assert_eq!(
        fails(call(list::METHODS, "pop", &[val::list(vec![])])),
        "IndexError: pop from empty list"
    );
    assert_eq!(
        fails(call(
            list::METHODS,
            "pop",
            &[l.clone(), val::int(1), val::int(2)]
        )),
        "TypeError: pop expected at most 1 argument, got 2"
    );
    assert_eq!(
        fails(call(list::METHODS, "append", &[l])),
        "TypeError: list.append() takes exactly one argument (0 given)"
    );
}

#[test]
fn list_sort_is_stable_and_reversible() {
    let l = val::list(["pear", "Apple", "fig", "apple"].map(s).to_vec());
    call(list::METHODS, "sort", std::slice::from_ref(&l)).expect("sort");
    assert_eq!(texts(&l), ["Apple", "apple", "fig", "pear"]);
    let sort = list::METHODS
        .iter()
        .find(|d| d.name == "sort")
        .expect("sort");
    (sort.func)(
        std::slice::from_ref(&l),
        &[(s("reverse"), val::bool_(true))],
    )
    .expect("sort reversed");
    assert_eq!(texts(&l), ["pear", "fig", "apple", "Apple"]);
    assert_eq!(
        fails((sort.func)(&[l.clone(), val::none()], &[])),
        "TypeError: sort() takes no positional arguments"
    );
    assert_eq!(
        fails((sort.func)(&[l], &[(s("kee"), val::none())])),
        "TypeError: sort() got an unexpected keyword argument 'kee'. Did you mean 'key'?"
    );
}

#[test]
fn dict_popitem_takes_the_last_entry() {
    let d = val::dict(crate::dict::Dict::new());
    for (k, v) in [("a", 1), ("b", 2), ("c", 3)] {
        call(
            dict::METHODS,
            "__setitem__",
            &[d.clone(), s(k), val::int(v)],
        )
        .expect("setitem");
    }
    let item = call(dict::METHODS, "popitem", std::slice::from_ref(&d)).expect("popitem");
    assert_eq!(
        item.as_tuple().map(|t| (text(&t[0]), t[1].as_i64())),
        Some(("c".to_owned(), Some(3)))
    );
    assert_eq!(
        call(dict::METHODS, "get", &[d.clone(), s("a")])
            .expect("get")
            .as_i64(),
        Some(1)
    );
    assert_eq!(
        call(dict::METHODS, "pop", &[d.clone(), s("z"), val::int(0)])
            .expect("pop")
            .as_i64(),
        Some(0)
    );
    call(dict::METHODS, "clear", std::slice::from_ref(&d)).expect("clear");
    assert_eq!(
        fails(call(dict::METHODS, "popitem", &[d])),
        "KeyError: 'popitem(): dictionary is empty'"
    );
}

#[test]
fn set_operations_match_cpython() {
    let a = crate::seq::to_set(&val::list(["x", "y"].map(s).to_vec())).expect("set");
    let b = val::list(["y", "z"].map(s).to_vec());
    let sorted = |x: PyRef| {
        let mut v = texts(&val::list(crate::dictops::keys(set_table(&x))));
        v.sort();
        v
    };
    assert_eq!(
        sorted(call(set::SET, "union", &[a.clone(), b.clone()]).expect("union")),
        ["x", "y", "z"]
    );
    assert_eq!(
        sorted(call(set::SET, "intersection", &[a.clone(), b.clone()]).expect("and")),
        ["y"]
    );
    assert_eq!(
        sorted(call(set::SET, "difference", &[a.clone(), b.clone()]).expect("sub")),
        ["x"]
    );
    assert_eq!(
        sorted(call(set::SET, "symmetric_difference", &[a.clone(), b]).expect("xor")),
        ["x", "z"]
    );
    assert_eq!(
        fails(call(set::SET, "remove", &[a.clone(), s("q")])),
        "KeyError: 'q'"
    );
    call(set::SET, "clear", std::slice::from_ref(&a)).expect("clear");
    assert_eq!(
        fails(call(set::SET, "pop", &[a])),
        "KeyError: 'pop from an empty set'"
    );
}

/// The table of a set object.
fn set_table(x: &PyRef) -> &std::cell::RefCell<crate::dict::Dict> {
    match x.payload() {
        Some(crate::obj::Kind::Set(d, _)) => d,
        _ => panic!("not a set"),
    }
}

#[test]
fn every_table_has_unique_names() {
    use crate::types::BUILTIN_TYPES;
    for &(bt, name) in BUILTIN_TYPES {
        let t = table(bt);
        let mut names: Vec<&str> = t.iter().map(|d| d.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), t.len(), "duplicate method in {name}");
    }
    assert!(
        table(BuiltinType::Object)
            .iter()
            .any(|d| d.name == "__init_subclass__")
    );
}

#[test]
fn suggestions_follow_cpython() {
    assert_eq!(suggest("kee", &["key", "reverse"]), Some("key"));
    assert_eq!(suggest("seps", &["sep", "maxsplit"]), Some("sep"));
    assert_eq!(suggest("x", &["sep", "maxsplit"]), None);
    assert_eq!(suggest("KEY", &["key"]), Some("key"));
}

#[test]
fn indices_adjust_as_cpython() {
    assert_eq!(adjust(None, None, 5), (0, 5));
    assert_eq!(adjust(Some(-2), Some(99), 5), (3, 5));
    assert_eq!(adjust(Some(-99), Some(-1), 5), (0, 4));
    assert_eq!(adjust(Some(7), None, 5), (7, 5));
}
