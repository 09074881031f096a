//! `int(s, base)`, `float(s)` and `complex(s)` from strings (CPython's
//! `PyLong_FromUnicodeObject`, `PyFloat_FromString` and `complex_subtype_from_string`):
//! surrounding whitespace, signs, base prefixes, single underscores between digits, and the
//! decimal digits of every script.

use std::borrow::Cow;

use num_bigint::BigInt;

use crate::error::{PyErr, PyResult, value_error};
use crate::repr::{int_max_str_digits, str_repr};
use crate::val;

/// The zero of every run of Unicode decimal digits beyond ASCII (Unicode 15.1, as Python
/// 3.13's database); each run holds the digits 0 to 9 in order.
const DECIMAL_ZEROS: [u32; 67] = [
    0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66, 0xde6,
    0xe50, 0xed0, 0xf20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90, 0x1b50,
    0x1bb0, 0x1c40, 0x1c50, 0xa620, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10,
    0x104a0, 0x10d30, 0x11066, 0x110f0, 0x11136, 0x111d0, 0x112f0, 0x11450, 0x114d0, 0x11650,
    0x116c0, 0x11730, 0x118e0, 0x11950, 0x11c50, 0x11d50, 0x11da0, 0x11f50, 0x16a60, 0x16ac0,
    0x16b50, 0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140, 0x1e2f0, 0x1e4f0, 0x1e950,
    0x1fbf0,
];

/// How much of the repr of a bad literal `int()`'s message shows (its `%.200R`).
const MAX_REPR_CHARS: usize = 200;

/// `int(s, base)`; `base` 0 reads the base from a `0x`, `0o` or `0b` prefix.
#[allow(dead_code)] // until `int()` and `float()` call it
pub(crate) fn int_from_str(s: &str, base: u32) -> PyResult {
    if base == 1 || base > 36 {
        return Err(value_error("int() base must be >= 2 and <= 36, or 0"));
    }
    let ascii = to_ascii(s);
    match parse_int(ascii.trim_matches(is_space), base) {
        Some(r) => r,
        None => Err(invalid_int(s, base)),
    }
}

/// `float(s)`.
#[allow(dead_code)] // until `int()` and `float()` call it
pub(crate) fn float_from_str(s: &str) -> PyResult<f64> {
    let ascii = to_ascii(s);
    parse_float(ascii.trim_matches(is_space)).ok_or_else(|| {
        value_error(format!(
            "could not convert string to float: {}",
            str_repr(s)
        ))
    })
}

/// The ValueError of a string that is no int literal.
fn invalid_int(s: &str, base: u32) -> PyErr {
    let shown: String = str_repr(s).chars().take(MAX_REPR_CHARS).collect();
    value_error(format!(
        "invalid literal for int() with base {base}: {shown}"
    ))
}

/// The ASCII text CPython parses (`_PyUnicode_TransformDecimalAndSpaceToASCII`): non-ASCII
/// decimal digits become ASCII digits, non-ASCII spaces become `' '`, and any other
/// non-ASCII character `'?'`, which no number contains.
fn to_ascii(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.chars().map(ascii_equivalent).collect())
}

/// One character of [`to_ascii`].
fn ascii_equivalent(c: char) -> char {
    if c.is_ascii() {
        c
    } else if c.is_whitespace() {
        // Rust's White_Space and Python's isspace() agree beyond ASCII.
        ' '
    } else {
        decimal_value(c).map_or('?', |d| (b'0' + d) as char)
    }
}

/// The value of a non-ASCII decimal digit.
fn decimal_value(c: char) -> Option<u8> {
    let c = c as u32;
    let zero = DECIMAL_ZEROS[DECIMAL_ZEROS.partition_point(|&z| z <= c).checked_sub(1)?];
    (c - zero < 10).then_some((c - zero) as u8)
}

/// CPython's `Py_ISSPACE`: the ASCII whitespace (with `\v`, unlike Rust's).
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')
}

/// The int an ASCII literal (trimmed) denotes; `None` if it is not one, an error if it has
/// more digits than `sys.get_int_max_str_digits()` allows.
fn parse_int(t: &str, base: u32) -> Option<PyResult> {
    let (negative, t) = split_sign(t);
    let (base, body, zeros_only) = split_prefix(t, base);
    let digits = strip_underscores(body)?;
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(base)) {
        return None;
    }
    // Base 0 refuses C's octal literals ("017"), but "00" is zero.
    if zeros_only && digits.bytes().any(|d| d != b'0') {
        return None;
    }
    Some(int_value(&digits, base, negative))
}

/// The sign, and the text after it.
fn split_sign(t: &str) -> (bool, &str) {
    match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    }
}

/// The base, the digits after a prefix that matches it (and one underscore that may follow
/// the prefix), and whether only zeros are allowed (base 0 without a prefix, leading `0`).
fn split_prefix(t: &str, base: u32) -> (u32, &str, bool) {
    let b = t.as_bytes();
    let prefixed = match b.get(1).map(u8::to_ascii_lowercase) {
        Some(b'x') => 16,
        Some(b'o') => 8,
        Some(b'b') => 2,
        _ => 0,
    };
    if b.first() == Some(&b'0') && prefixed != 0 && (base == 0 || base == prefixed) {
        let rest = &t[2..];
        return (prefixed, rest.strip_prefix('_').unwrap_or(rest), false);
    }
    match base {
        0 => (10, t, b.first() == Some(&b'0')),
        _ => (base, t, false),
    }
}

/// The digits without their underscores, which must each sit between two digits.
fn strip_underscores(body: &str) -> Option<Cow<'_, str>> {
    if body.starts_with('_') || body.ends_with('_') || body.contains("__") {
        return None;
    }
    Some(if body.contains('_') {
        Cow::Owned(body.replace('_', ""))
    } else {
        Cow::Borrowed(body)
    })
}

/// The int of valid `digits` in `base`.
fn int_value(digits: &str, base: u32, negative: bool) -> PyResult {
    check_digit_limit(digits.len(), base)?;
    if let Some(i) = u64::from_str_radix(digits, base)
        .ok()
        .and_then(|u| i64::try_from(u).ok())
    {
        return Ok(val::int(if negative { -i } else { i }));
    }
    let b = BigInt::parse_bytes(digits.as_bytes(), base).expect("validated digits");
    Ok(val::bigint(if negative { -b } else { b }))
}

/// CPython's limit on the digits of a decimal (any non-power-of-two base) conversion,
/// which guards against its quadratic cost.
fn check_digit_limit(n: usize, base: u32) -> PyResult<()> {
    let limit = int_max_str_digits();
    if base.is_power_of_two() || limit == 0 || n <= limit {
        return Ok(());
    }
    Err(value_error(format!(
        "Exceeds the limit ({limit} digits) for integer string conversion: value has {n} digits; use sys.set_int_max_str_digits() to increase the limit"
    )))
}

/// The float an ASCII literal (trimmed) denotes: Rust's grammar is Python's (signs, `inf`,
/// `infinity` and `nan` in any case, `1.`, `.5`, exponents), less the underscores.
fn parse_float(t: &str) -> Option<f64> {
    if !underscores_between_digits(t.as_bytes()) {
        return None;
    }
    t.replace('_', "").parse().ok()
}

/// Whether every underscore has a digit on each side.
fn underscores_between_digits(b: &[u8]) -> bool {
    let digit_at = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    (0..b.len()).all(|i| b[i] != b'_' || (i > 0 && digit_at(i - 1) && digit_at(i + 1)))
}

/// `complex(s)` as `(real, imag)`: `<float>`, `<float>j` or `<float><signed-float>j`, with
/// the legacy `j`, `<sign>j` and `<float><sign>j`, optionally in parentheses.
pub(crate) fn complex_from_str(s: &str) -> PyResult<(f64, f64)> {
    let ascii = to_ascii(s);
    if !underscores_between_digits(ascii.as_bytes()) {
        return Err(value_error(format!(
            "could not convert string to complex: {}",
            str_repr(s)
        )));
    }
    parse_complex(&ascii.replace('_', ""))
        .ok_or_else(|| value_error("complex() arg is a malformed string"))
}

/// CPython's `complex_from_string_inner` on text without underscores.
fn parse_complex(t: &str) -> Option<(f64, f64)> {
    let t = t.trim_matches(is_space);
    match t.strip_prefix('(') {
        Some(inner) => complex_body(inner.strip_suffix(')')?.trim_matches(is_space)),
        None => complex_body(t),
    }
}

/// The complex an unbracketed, trimmed literal denotes.
fn complex_body(t: &str) -> Option<(f64, f64)> {
    let Some((z, rest)) = float_prefix(t) else {
        // The legacy `j` and `<sign>j`.
        let (y, rest) = unit_sign(t);
        return is_j(rest).then_some((0.0, y));
    };
    if rest.is_empty() {
        return Some((z, 0.0));
    }
    if is_j(rest) {
        return Some((0.0, z));
    }
    if !rest.starts_with(['+', '-']) {
        return None;
    }
    let (y, rest) = float_prefix(rest).unwrap_or_else(|| unit_sign(rest));
    is_j(rest).then_some((z, y))
}

/// A legacy sign without digits (`+j`, `-j`) as ±1.0, and the text after it.
fn unit_sign(t: &str) -> (f64, &str) {
    match t.as_bytes().first() {
        Some(b'-') => (-1.0, &t[1..]),
        Some(b'+') => (1.0, &t[1..]),
        _ => (1.0, t),
    }
}

/// Whether the rest of a literal is the imaginary unit alone.
fn is_j(t: &str) -> bool {
    t == "j" || t == "J"
}

/// The longest float literal that starts `t` (CPython's `PyOS_string_to_double` with an end
/// pointer): a sign, then `inf`, `infinity`, `nan` or digits with an optional point and
/// exponent; an exponent without digits is not part of it.
fn float_prefix(t: &str) -> Option<(f64, &str)> {
    let b = t.as_bytes();
    let start = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let end = start + special_len(&t[start..]).or_else(|| decimal_len(&b[start..]))?;
    Some((t[..end].parse().ok()?, &t[end..]))
}

/// The length of `infinity`, `inf` or `nan` (in any case) at the start of `t`.
fn special_len(t: &str) -> Option<usize> {
    let starts = |w: &str| t.get(..w.len()).is_some_and(|p| p.eq_ignore_ascii_case(w));
    ["infinity", "inf", "nan"]
        .into_iter()
        .find(|w| starts(w))
        .map(str::len)
}

/// The length of the decimal number at the start of `b` (`None` without a digit).
fn decimal_len(b: &[u8]) -> Option<usize> {
    let digits = |i: usize| b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    let int = digits(0);
    let mut i = int;
    let mut frac = 0;
    if b.get(i) == Some(&b'.') {
        frac = digits(i + 1);
        i += 1 + frac;
    }
    if int + frac == 0 {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(b.get(i + 1), Some(b'+' | b'-')));
        let exp = digits(i + 1 + sign);
        if exp > 0 {
            i += 1 + sign + exp;
        }
    }
    Some(i)
}
