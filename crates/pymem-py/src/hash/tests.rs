//! The hashes against what CPython 3.13 printed for `hash(x)` (each expected value was
//! obtained by running `python3.13` once).

use num_bigint::BigInt;

use super::*;
use crate::obj::{PyStr, Range};
use crate::val;

/// `hash(x)` as the signed number Python prints.
fn h(x: &PyRef) -> i64 {
    crate::ops::hash(x).expect("hashable") as i64
}

/// `2**k` (negated for `negative`) as a value.
fn pow2(k: u32, negative: bool) -> PyRef {
    let v = BigInt::from(1) << k;
    val::bigint(if negative { -v } else { v })
}

/// `10**k` (negated for `negative`) as a value.
fn pow10(k: u32, negative: bool) -> PyRef {
    let v = BigInt::from(10).pow(k);
    val::bigint(if negative { -v } else { v })
}

/// A frozenset of `items`.
fn frozenset(items: Vec<PyRef>) -> PyRef {
    let mut d = Dict::new();
    for x in items {
        d.insert_new(crate::ops::hash(&x).expect("hashable"), x, val::none());
    }
    crate::obj::Obj::new(crate::obj::Kind::Set(std::cell::RefCell::new(d), true))
}

/// A range object.
fn range(start: i64, stop: i64, step: i64) -> PyRef {
    PyRef::A(pymem::Gc::new(Atom::Range(Range { start, stop, step })))
}

#[test]
fn ints_match_cpython() {
    assert_eq!(h(&val::int(-1)), -2);
    assert_eq!(h(&val::int(0)), 0);
    assert_eq!(h(&val::int(123456789)), 123456789);
    assert_eq!(h(&pow2(61, false)), 1);
    assert_eq!(h(&val::int((1 << 61) - 1)), 0);
    assert_eq!(h(&pow2(63, false)), 4);
    assert_eq!(h(&pow2(63, true)), -4);
    assert_eq!(h(&pow2(64, false)), 8);
    assert_eq!(h(&pow2(64, true)), -8);
    assert_eq!(h(&pow2(100, false)), 549755813888);
    assert_eq!(h(&pow2(1000, false)), 16777216);
    assert_eq!(h(&pow2(1000, true)), -16777216);
    assert_eq!(h(&pow10(30, false)), 465258685558744706);
    assert_eq!(h(&pow10(30, true)), -465258685558744706);
}

#[test]
fn big_and_small_paths_agree() {
    for i in [
        0,
        1,
        -1,
        -2,
        i64::MAX,
        i64::MIN,
        i64::MIN + 1,
        (1 << 61) - 1,
        1 << 61,
        -(1 << 61),
    ] {
        assert_eq!(big_hash(&BigInt::from(i)), int_hash(i), "{i}");
    }
}

#[test]
fn floats_match_cpython() {
    let cases: &[(f64, i64)] = &[
        (1.5, 1152921504606846977),
        (-0.0, 0),
        (0.1, 230584300921369408),
        (1e300, 1224995262755759164),
        (-2.5, -1152921504606846978),
        (f64::INFINITY, 314159),
        (f64::NEG_INFINITY, -314159),
        (5e-324, 16777216),
        (123456789.0, 123456789),
        (1e-300, 482449582752280463),
        (2f64.powi(61), 1),
        (2f64.powi(70), 512),
        (-1.0, -2),
        (0.5, 1152921504606846976),
    ];
    for &(x, want) in cases {
        assert_eq!(h(&val::float(x)), want, "hash({x})");
    }
}

#[test]
fn equal_numbers_hash_alike() {
    assert_eq!(h(&val::float(1.0)), h(&val::int(1)));
    assert_eq!(h(&val::bool_(true)), h(&val::int(1)));
    assert_eq!(h(&val::bool_(false)), 0);
    assert_eq!(h(&val::float(2f64.powi(64))), h(&pow2(64, false)));
    assert_eq!(h(&val::float(-(2f64.powi(63)))), h(&val::int(i64::MIN)));
    assert_eq!(
        h(&val::float(1e300)),
        h(&crate::num::float_to_int(1e300).unwrap())
    );
}

#[test]
fn singletons_and_text() {
    assert_eq!(h(&val::none()), 4238894112);
    assert_eq!(h(&val::str_("")), 0);
    assert_eq!(h(&val::bytes(vec![])), 0);
    assert_eq!(h(&val::str_("abc")), str_hash("abc") as i64);
    // The cached hash is the computed one.
    let s = PyStr::new("hello".into());
    assert_eq!(cached_str_hash(&s), str_hash("hello"));
    assert_eq!(s.hash.get(), str_hash("hello"));
}

#[test]
fn nan_hashes_by_identity() {
    let nan = val::float(f64::NAN);
    assert_eq!(h(&nan), h(&nan));
    assert_eq!(float_hash(f64::NAN), 0);
}

#[test]
fn tuples_match_cpython() {
    let t = val::tuple;
    let (one, two) = (val::int(1), val::int(2));
    assert_eq!(h(&t(vec![one.clone(), two.clone()])), -3550055125485641917);
    assert_eq!(h(&t(vec![])), 5740354900026072187);
    assert_eq!(h(&t(vec![val::none()])), 9181102132670838864u64 as i64);
    assert_eq!(h(&t(vec![val::int(-1)])), 8078679518589016365);
    assert_eq!(
        h(&t(vec![one.clone(), two.clone(), val::int(3)])),
        529344067295497451
    );
    let nested = t(vec![t(vec![one, two]), val::float(3.5)]);
    assert_eq!(h(&nested), 8011440717425436011);
    let mixed = t(vec![val::float(1.5), val::bool_(true), val::none()]);
    assert_eq!(h(&mixed), 1459589673684206136);
}

#[test]
fn frozensets_match_cpython() {
    let ints = |v: &[i64]| v.iter().map(|&i| val::int(i)).collect::<Vec<_>>();
    assert_eq!(h(&frozenset(ints(&[1, 2, 3]))), -272375401224217160);
    assert_eq!(h(&frozenset(ints(&[3, 1, 2]))), -272375401224217160);
    assert_eq!(h(&frozenset(vec![])), 133146708735736);
    assert_eq!(h(&frozenset(ints(&[-1, 0, 1]))), 8868930259606097796);
    assert_eq!(h(&frozenset(vec![frozenset(vec![])])), -6993584179861130285);
}

#[test]
fn ranges_match_cpython() {
    assert_eq!(h(&range(0, 0, 1)), 2676694398852732306);
    assert_eq!(h(&range(0, 5, 1)), 5795932985296280846);
    assert_eq!(h(&range(3, 4, 1)), 3985224588053030672);
    assert_eq!(h(&range(1, 10, 2)), -8580228179051518038);
    // Equal ranges hash alike: range(0, 10, 3) == range(0, 11, 3); range(5, 0) == range(0).
    assert_eq!(h(&range(0, 10, 3)), h(&range(0, 11, 3)));
    assert_eq!(h(&range(5, 0, 1)), h(&range(0, 0, 1)));
    assert_eq!(h(&range(3, 4, 7)), h(&range(3, 4, 1)));
}

#[test]
fn no_hash_is_minus_one() {
    assert_ne!(int_hash(-1), u64::MAX);
    assert_ne!(float_hash(-1.0), u64::MAX);
    assert_ne!(big_hash(&BigInt::from(-1)), u64::MAX);
    assert_eq!(pointer_hash(usize::MAX), MINUS_TWO);
}
