//! The text forms of the atoms: quoted strs and bytes, `ascii()`, and ints in decimal under
//! CPython's digit limit.

use std::cell::Cell;
use std::fmt::Write;

use num_bigint::BigInt;

use crate::error::{PyResult, value_error};

use super::printable::is_printable;

/// CPython's default `sys.get_int_max_str_digits()`.
pub(crate) const DEFAULT_INT_MAX_STR_DIGITS: usize = 4300;

thread_local! {
    static INT_MAX_STR_DIGITS: Cell<usize> = const { Cell::new(DEFAULT_INT_MAX_STR_DIGITS) };
}

/// `sys.get_int_max_str_digits()`: 0 means no limit.
pub(crate) fn int_max_str_digits() -> usize {
    INT_MAX_STR_DIGITS.with(Cell::get)
}

/// `sys.set_int_max_str_digits(n)` (the caller checks `n` is 0 or at least 640).
#[allow(dead_code)] // until the sys module offers it
pub(crate) fn set_int_max_str_digits(n: usize) {
    INT_MAX_STR_DIGITS.with(|c| c.set(n));
}

/// The `ValueError` of converting an int with more digits than the limit.
fn too_many_digits(limit: usize) -> crate::error::PyErr {
    value_error(format!(
        "Exceeds the limit ({limit} digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit"
    ))
}

/// `str(i)` for a big int.
pub(crate) fn big_to_decimal(b: &BigInt) -> PyResult<String> {
    let limit = int_max_str_digits();
    // A number of `bits` bits has at least (bits - 1)·log10(2) + 1 digits: reject the huge
    // ones without the quadratic conversion.
    if limit > 0 && (b.bits().saturating_sub(1)) as f64 * std::f64::consts::LOG10_2 >= limit as f64
    {
        return Err(too_many_digits(limit));
    }
    let s = b.to_string();
    let digits = s.len() - usize::from(s.starts_with('-'));
    if limit > 0 && digits > limit {
        return Err(too_many_digits(limit));
    }
    Ok(s)
}

/// The quote `repr` puts around a str or bytes: `'`, unless the text has a `'` and no `"`.
fn quote_for(has_single: bool, has_double: bool) -> char {
    if has_single && !has_double { '"' } else { '\'' }
}

/// `repr(s)` for a str (CPython's `unicode_repr`).
pub(crate) fn str_repr(s: &str) -> String {
    let quote = quote_for(s.contains('\''), s.contains('"'));
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if is_printable(c) => out.push(c),
            c => push_escape(&mut out, c),
        }
    }
    out.push(quote);
    out
}

/// `\xhh`, `\uhhhh` or `\Uhhhhhhhh`, the shortest that holds `c`.
fn push_escape(out: &mut String, c: char) {
    let n = c as u32;
    let _ = match n {
        0..=0xff => write!(out, "\\x{n:02x}"),
        0x100..=0xffff => write!(out, "\\u{n:04x}"),
        _ => write!(out, "\\U{n:08x}"),
    };
}

/// `ascii(x)` from `repr(x)`: every non-ASCII character escaped.
pub(crate) fn ascii_escape(repr: &str) -> String {
    if repr.is_ascii() {
        return repr.to_owned();
    }
    let mut out = String::with_capacity(repr.len() + 8);
    for c in repr.chars() {
        if c.is_ascii() {
            out.push(c)
        } else {
            push_escape(&mut out, c)
        }
    }
    out
}

/// `repr(b)` for bytes (CPython's `PyBytes_Repr`): `b'...'`.
pub(crate) fn bytes_repr(b: &[u8]) -> String {
    let quote = quote_for(b.contains(&b'\''), b.contains(&b'"'));
    let mut out = String::with_capacity(b.len() + 3);
    out.push('b');
    out.push(quote);
    for &byte in b {
        match byte {
            b'\\' => out.push_str("\\\\"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            c if c == quote as u8 => {
                out.push('\\');
                out.push(c as char);
            }
            0x20..0x7f => out.push(byte as char),
            _ => push_escape(&mut out, byte as char),
        }
    }
    out.push(quote);
    out
}
