//! Unit tests of the special attributes: exceptions' state, numbers, ranges, classes.

use super::*;
use crate::error::new_exception;

fn get(x: &PyRef, name: &str) -> PyRef {
    attr(x, name)
        .unwrap()
        .unwrap_or_else(|| panic!("no {name}"))
}

#[test]
fn exception_state_attributes() {
    let e = new_exception(types().exc("StopIteration"), vec![val::int(7)]);
    assert_eq!(get(&e, "value").as_i64(), Some(7));
    assert!(get(&e, "__cause__").is_none());
    assert!(set_attr(&e, "args", Some(val::tuple(vec![val::int(1), val::int(2)]))).unwrap());
    assert_eq!(get(&e, "args").as_tuple().unwrap().len(), 2);
    let cause = new_exception(types().exc("KeyError"), vec![]);
    assert!(set_attr(&e, "__cause__", Some(cause.clone())).unwrap());
    assert!(get(&e, "__cause__").is(&cause));
    assert!(matches!(
        get(&e, "__suppress_context__").atom(),
        Some(Atom::Bool(true))
    ));
    assert!(set_attr(&e, "__context__", Some(val::int(5))).is_err());
    assert!(!set_attr(&e, "other", Some(val::none())).unwrap());
}

#[test]
fn system_exit_and_os_error() {
    let e = new_exception(types().exc("SystemExit"), vec![]);
    assert!(get(&e, "code").is_none());
    let e = new_exception(types().exc("OSError"), vec![val::int(2), val::str_("gone")]);
    assert_eq!(get(&e, "errno").as_i64(), Some(2));
    assert_eq!(get(&e, "strerror").as_str(), Some("gone"));
    assert!(get(&e, "filename").is_none());
}

#[test]
fn numbers_and_ranges() {
    assert_eq!(get(&val::bool_(true), "real").as_i64(), Some(1));
    assert_eq!(get(&val::int(5), "denominator").as_i64(), Some(1));
    let r =
        crate::builtins::construct(crate::types::BuiltinType::Range, &[val::int(3)], &[]).unwrap();
    assert_eq!(get(&r, "stop").as_i64(), Some(3));
    assert!(attr(&val::int(5), "nothing").unwrap().is_none());
}

#[test]
fn class_attributes() {
    let int = PyRef::O(types().get(crate::types::BuiltinType::Int).clone());
    assert_eq!(get(&int, "__name__").as_str(), Some("int"));
    assert_eq!(get(&int, "__module__").as_str(), Some("builtins"));
    assert_eq!(get(&int, "__mro__").as_tuple().unwrap().len(), 2);
    assert!(set_attr(&int, "x", Some(val::none())).is_err());
    assert!(get(&int, "__class__").as_type().is_some());
}
