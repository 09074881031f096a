//! (L1) Python's hash functions: ints modulo 2**61 − 1, floats, tuples (xxHash-based) as
//! CPython computes them; strs with a fixed hash (CPython's are randomized per process).
//!
//! Hashes are `u64`s holding the bits of CPython's signed `Py_hash_t`; `u64::MAX` (−1) is
//! never a hash, as in CPython where −1 signals an error.

use num_bigint::{BigInt, BigUint, Sign};

use crate::dict::Dict;
use crate::error::PyResult;
use crate::obj::{Atom, PyRef, Range};

/// CPython's `_PyHASH_MODULUS`: numbers hash to their value modulo this prime, so that equal
/// ints, floats and bools hash alike.
const MODULUS: u64 = (1 << 61) - 1;
/// `_PyHASH_BITS`.
const BITS: u32 = 61;
/// `_PyHASH_INF`: the hash of `inf` (and its negation that of `-inf`).
const INF: u64 = 314159;
/// `hash(None)` since CPython 3.12 (`0xFCA86420`), no longer the object's address.
const NONE: u64 = 0xFCA8_6420;
/// `_PyHASH_IMAG`: the multiplier of a complex's imaginary part's hash.
const IMAG: u64 = 1000003;
/// xxHash's first prime (`_PyHASH_XXPRIME_1`), which multiplies each round of CPython's
/// `tuplehash`.
const XXPRIME_1: u64 = 11400714785074694791;
/// xxHash's second prime (`_PyHASH_XXPRIME_2`), which multiplies each item's hash.
const XXPRIME_2: u64 = 14029467366897019727;
/// xxHash's fifth prime (`_PyHASH_XXPRIME_5`), the accumulator's seed.
const XXPRIME_5: u64 = 2870177450012600261;

/// The hash CPython returns instead of −1 (its error value) for numbers.
const MINUS_TWO: u64 = -2i64 as u64;

/// `hash(s)` for a str: FNV-1a over the UTF-8 bytes; `hash('') == 0` as in CPython.
pub(crate) fn str_hash(s: &str) -> u64 {
    bytes_hash(s.as_bytes())
}

/// `hash(b)` for bytes: FNV-1a (CPython's is randomized per process, as for str); `b''` is 0.
pub(crate) fn bytes_hash(b: &[u8]) -> u64 {
    if b.is_empty() {
        return 0;
    }
    let mut h: u64 = 0xcbf29ce484222325;
    for &c in b {
        h = (h ^ c as u64).wrapping_mul(0x100000001b3);
    }
    if h == u64::MAX { 1 } else { h }
}

/// Negates `x` when `negative` and replaces −1 by −2 (CPython's numeric hashes).
fn signed(x: u64, negative: bool) -> u64 {
    let h = if negative { x.wrapping_neg() } else { x };
    if h == u64::MAX { MINUS_TWO } else { h }
}

/// `hash(i)`: `i` modulo 2**61 − 1 with `i`'s sign; `hash(-1) == -2`.
pub(crate) fn int_hash(i: i64) -> u64 {
    signed(i.unsigned_abs() % MODULUS, i < 0)
}

/// `hash(big)`, equal to [`int_hash`] for values that fit in an i64.
pub(crate) fn big_hash(b: &BigInt) -> u64 {
    signed(mod_modulus(b.magnitude()), b.sign() == Sign::Minus)
}

/// `u` modulo 2**61 − 1, folding 64-bit digits from the most significant.
fn mod_modulus(u: &BigUint) -> u64 {
    let digits = u.to_u64_digits();
    digits.iter().rev().fold(0u64, |acc, &d| {
        ((((acc as u128) << 64) | d as u128) % MODULUS as u128) as u64
    })
}

/// A finite, non-negative float as `m · 2**e` with an integer `m < 2**53`.
pub(crate) fn float_parts(f: f64) -> (u64, i32) {
    let bits = f.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1 << 52) - 1);
    // Subnormals have no implicit leading bit and the exponent of the smallest normal.
    if exp == 0 {
        (frac, -1074)
    } else {
        (frac | (1 << 52), exp - 1075)
    }
}

/// `x · 2**e` modulo 2**61 − 1 for `x` < 2**61 − 1: as 2**61 ≡ 1, a rotation of 61 bits.
fn rotate(x: u64, e: i32) -> u64 {
    let e = e.rem_euclid(BITS as i32) as u32;
    ((x << e) & MODULUS) | (x >> (BITS - e))
}

/// `hash(x)` for a float (CPython's `_Py_HashDouble`): an integral float hashes as the equal
/// int, infinities as ±314159. A NaN hashes by identity in CPython, which this function
/// cannot see: it returns 0, and [`atom_hash`] hashes NaN objects by address.
pub(crate) fn float_hash(x: f64) -> u64 {
    if x.is_nan() {
        return 0;
    }
    if x.is_infinite() {
        return signed(INF, x < 0.0);
    }
    let (m, e) = float_parts(x.abs());
    signed(rotate(m % MODULUS, e), x < 0.0)
}

/// CPython's `_Py_HashPointer`: the address rotated right by 4 bits (the alignment's zeros).
pub(crate) fn pointer_hash(addr: usize) -> u64 {
    let h = (addr as u64).rotate_right(4);
    if h == u64::MAX { MINUS_TWO } else { h }
}

/// CPython's `complex_hash`: `hash(real) + 1000003 * hash(imag)`, so that a complex with a
/// zero imaginary part hashes as its real part; a NaN part hashes by identity, as a float's.
fn complex_hash(a: &Atom, re: f64, im: f64) -> u64 {
    let part = |x: f64| match x.is_nan() {
        true => pointer_hash(a as *const Atom as usize),
        false => float_hash(x),
    };
    let h = part(re).wrapping_add(IMAG.wrapping_mul(part(im)));
    if h == u64::MAX { MINUS_TWO } else { h }
}

/// `hash(x)` for an atom.
pub(crate) fn atom_hash(a: &Atom) -> u64 {
    match a {
        Atom::None => NONE,
        Atom::Bool(b) => *b as u64,
        Atom::Int(i) => int_hash(*i),
        Atom::Big(b) => big_hash(b),
        Atom::Float(f) if f.is_nan() => pointer_hash(a as *const Atom as usize),
        Atom::Float(f) => float_hash(*f),
        Atom::Complex(re, im) => complex_hash(a, *re, *im),
        Atom::Str(s) => cached_str_hash(s),
        Atom::Bytes(b) => bytes_hash(b),
        Atom::Range(r) => range_hash(r),
        // Hashed by identity in CPython too.
        Atom::NotImplemented | Atom::Ellipsis | Atom::Code(_) | Atom::RangeIter(_) => {
            pointer_hash(a as *const Atom as usize)
        }
    }
}

/// The hash of a name (an attribute or variable name, a str): the str's cached hash, so that
/// a name probed again and again is hashed once.
#[inline]
pub(crate) fn name_hash(name: &PyRef) -> u64 {
    match name.atom() {
        Some(Atom::Str(s)) => cached_str_hash(s),
        _ => str_hash(name.as_str().unwrap_or_default()),
    }
}

/// A str's hash, computed once and kept in the str (0 means not yet computed).
fn cached_str_hash(s: &crate::obj::PyStr) -> u64 {
    match s.hash.get() {
        0 => {
            let h = str_hash(&s.s);
            s.hash.set(h);
            h
        }
        h => h,
    }
}

/// `hash(range)` (CPython's `range_hash`): the hash of `(len, start, step)`, with `None` for
/// the start of an empty range and the step of a range of one value, so that equal ranges
/// hash alike.
fn range_hash(r: &Range) -> u64 {
    let len = range_len(r);
    let start = if len == 0 { NONE } else { int_hash(r.start) };
    let step = if len <= 1 { NONE } else { int_hash(r.step) };
    let lanes = [wide_int_hash(len), start, step];
    xx_finish(lanes.iter().fold(XXPRIME_5, |acc, &h| xx_round(acc, h)), 3)
}

/// The number of values of a range, in i128 so that no i64 range overflows it.
fn range_len(r: &Range) -> i128 {
    let (start, stop, step) = (r.start as i128, r.stop as i128, r.step as i128);
    let (lo, hi, step) = if step > 0 {
        (start, stop, step)
    } else {
        (stop, start, -step)
    };
    if lo >= hi {
        0
    } else {
        (hi - lo - 1) / step + 1
    }
}

/// `hash(n)` for a non-negative i128.
fn wide_int_hash(n: i128) -> u64 {
    signed((n.unsigned_abs() % MODULUS as u128) as u64, n < 0)
}

/// One round of CPython's tuple hash: mixes the hash of one item into the accumulator.
fn xx_round(acc: u64, lane: u64) -> u64 {
    acc.wrapping_add(lane.wrapping_mul(XXPRIME_2))
        .rotate_left(31)
        .wrapping_mul(XXPRIME_1)
}

/// The end of CPython's tuple hash: adds the length, mangled to keep `hash(())`'s historical
/// value, and avoids −1.
fn xx_finish(acc: u64, len: usize) -> u64 {
    let h = acc.wrapping_add(len as u64 ^ (XXPRIME_5 ^ 3527539));
    if h == u64::MAX { 1546275796 } else { h }
}

/// `hash(tuple)` (CPython 3.8+'s xxHash-based `tuplehash`).
pub(crate) fn tuple_hash(items: &[PyRef]) -> PyResult<u64> {
    let mut acc = XXPRIME_5;
    for x in items {
        acc = xx_round(acc, crate::ops::hash(x)?);
    }
    Ok(xx_finish(acc, items.len()))
}

/// CPython's `_shuffle_bits`: spreads an entry's hash before the xor of a frozenset's hash.
fn shuffle_bits(h: u64) -> u64 {
    ((h ^ 89869747) ^ (h << 16)).wrapping_mul(3644798167)
}

/// `hash(frozenset)` (CPython's `frozenset_hash`): independent of order, dispersed so that
/// nested frozensets do not collide.
pub(crate) fn frozenset_hash(d: &Dict) -> u64 {
    let mut h = d.iter().fold(0, |h, e| h ^ shuffle_bits(e.hash));
    h ^= (d.len() as u64 + 1).wrapping_mul(1927868237);
    h ^= (h >> 11) ^ (h >> 25);
    h = h.wrapping_mul(69069).wrapping_add(907133923);
    if h == u64::MAX { 590923713 } else { h }
}

#[cfg(test)]
mod tests;
