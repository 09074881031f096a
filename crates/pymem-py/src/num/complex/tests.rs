//! Complex arithmetic, parsing, repr and hashing against what CPython 3.13 printed for the
//! same operations (each expected value was obtained by running `python3.13` once).

use super::*;
use crate::format::complex_repr;
use crate::obj::PyRef;

const NAN: f64 = f64::NAN;
const INF: f64 = f64::INFINITY;

/// A result as CPython prints it: the repr, or the exception's type.
fn show(r: Result<C, Errno>) -> String {
    match r {
        Ok((re, im)) => complex_repr(re, im),
        Err(Errno::Dom) => "ZeroDivisionError".to_owned(),
        Err(Errno::Range) => "OverflowError".to_owned(),
    }
}

#[test]
fn products_quotients_and_powers_match_cpython() {
    #[rustfmt::skip]
    let cases: [(C, C, [&str; 3]); 8] = [
        ((3.0, 4.0), (-1.5, 2.25), ["(-13.5+0.75j)", "(0.6153846153846154-1.7435897435897434j)", "(-0.006802804063069132+0.008774439042001654j)"]),
        ((0.1, 0.3), (0.7, -0.2), ["(0.13+0.19j)", "(0.018867924528301876+0.4339622641509434j)", "(0.257763043111037+0.5122458562191113j)"]),
        ((1.0, 1e-300), (1e300, 1e-300), ["(1e+300+1j)", "(1e-300+0j)", "(0.5403023058681398+0.8414709848078965j)"]),
        ((1e308, 1e308), (2.0, 0.0), ["(inf+infj)", "(5e+307+5e+307j)", "(nan+nanj)"]),
        ((1.0, 2.0), (0.0, 0.0), ["0j", "ZeroDivisionError", "(1+0j)"]),
        ((NAN, 1.0), (1.0, 2.0), ["(nan+nanj)", "(nan+nanj)", "(nan+nanj)"]),
        ((1.0, 2.0), (INF, 1.0), ["(inf+infj)", "0j", "ZeroDivisionError"]),
        ((0.0, 1.0), (0.0, 1.0), ["(-1+0j)", "(1+0j)", "(0.20787957635076193+0j)"]),
    ];
    for (a, b, want) in cases {
        let got = [show(Ok(prod(a, b))), show(quot(a, b)), show(pow(a, b))];
        assert_eq!(got, want, "{a:?} and {b:?}");
    }
}

#[test]
fn power_errors_match_cpython() {
    // 0j ** -1, 0j ** 1j, (3+4j) ** 1e10, (1e200+1e200j) ** 2 (NaN, not an overflow).
    assert_eq!(pow((0.0, 0.0), (-1.0, 0.0)), Err(Errno::Dom));
    assert_eq!(pow((0.0, 0.0), (0.0, 1.0)), Err(Errno::Dom));
    assert_eq!(pow((3.0, 4.0), (1e10, 0.0)), Err(Errno::Range));
    assert_eq!(show(pow((1e200, 1e200), (2.0, 0.0))), "(nan+nanj)");
}

#[test]
fn abs_matches_cpython() {
    let show =
        |r: PyResult<f64>| r.map_or_else(|_| "OverflowError".to_owned(), |f| format!("{f:?}"));
    assert_eq!(show(abs(3.0, 4.0)), "5.0");
    assert_eq!(show(abs(INF, NAN)), "inf");
    assert_eq!(show(abs(NAN, 1.0)), "NaN");
    assert_eq!(show(abs(1.7e308, 1.7e308)), "OverflowError");
    assert_eq!(show(abs(1e308, 1e308)), "1.4142135623730951e308");
}

#[test]
fn repr_matches_cpython() {
    let cases = [
        ((0.0, 2.0), "2j"),
        ((-0.0, -2.0), "(-0-2j)"),
        ((0.0, -0.0), "-0j"),
        ((1.0, 0.0), "(1+0j)"),
        ((NAN, INF), "(nan+infj)"),
        ((-INF, -NAN), "(-inf+nanj)"),
        ((1e16, 1e-7), "(1e+16+1e-07j)"),
        ((0.0, 1e300), "1e+300j"),
    ];
    for ((re, im), want) in cases {
        assert_eq!(complex_repr(re, im), want);
    }
}

#[test]
fn strings_parse_as_cpython() {
    let parse = |s: &str| match crate::num::complex_from_str(s) {
        Ok((re, im)) => complex_repr(re, im),
        Err(e) => crate::repr::message_of(&e),
    };
    let cases = [
        ("1+2j", "(1+2j)"),
        (" ( 3-4J ) ", "(3-4j)"),
        ("-j", "-1j"),
        ("1+j", "(1+1j)"),
        (".5j", "0.5j"),
        ("1E+5J", "100000j"),
        ("infinity-infinityj", "(inf-infj)"),
        ("1_0+2_0j", "(10+20j)"),
        ("\u{661}+\u{662}j", "(1+2j)"),
        ("1e", "complex() arg is a malformed string"),
        ("1 + 2j", "complex() arg is a malformed string"),
        ("((1))", "complex() arg is a malformed string"),
        ("1+-2j", "complex() arg is a malformed string"),
        ("", "complex() arg is a malformed string"),
        ("1__0j", "could not convert string to complex: '1__0j'"),
    ];
    for (s, want) in cases {
        assert_eq!(parse(s), want, "{s:?}");
    }
}

#[test]
fn hashes_match_cpython() {
    let cases = [
        ((0.0, 1.0), 1000003),
        ((1.0, 0.0), 1),
        ((-1.0, 0.0), -2),
        ((-1.0, 1.0), 1000001),
        ((INF, -INF), -314159628318),
        ((3.0, 4.0), 4000015),
        ((0.1, 0.2), 1614090106475185856),
        ((-0.0, -0.0), 0),
    ];
    for ((re, im), want) in cases {
        let h = crate::ops::hash(&crate::val::complex(re, im)).expect("hashable");
        assert_eq!(h as i64, want, "{re} {im}");
    }
}

#[test]
fn mixed_equality_is_exact() {
    let eq = |a: &PyRef, b: &PyRef| compare(a.atom().unwrap(), b.atom().unwrap(), CmpOp::Eq);
    let z = |re: f64, im: f64| crate::val::complex(re, im);
    let big = crate::val::int((1 << 53) + 1);
    // 2**53 + 1 == complex(2**53) is False; 1 + 0j == 1 and 1j == 1j are True.
    assert_eq!(eq(&z(9007199254740992.0, 0.0), &big), Some(false));
    assert_eq!(eq(&z(1.0, 0.0), &crate::val::int(1)), Some(true));
    assert_eq!(eq(&z(0.0, 1.0), &z(0.0, 1.0)), Some(true));
    assert_eq!(eq(&z(NAN, 0.0), &z(NAN, 0.0)), Some(false));
    assert_eq!(
        compare(&Atom::Complex(1.0, 0.0), &Atom::Int(1), CmpOp::Lt),
        None
    );
}
