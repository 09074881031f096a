//! `float.hex()` and `float.fromhex()`: floats as hexadecimal strings, rounded correctly
//! (half to even) when a string holds more precision than a float.

use num_bigint::BigInt;
use num_traits::{One, ToPrimitive, Zero};

use crate::error::{PyResult, overflow_error, value_error};

/// `float.hex()`: `[-]0x1.<13 hex digits>p<exp>` (`0x0.` for subnormals).
pub(crate) fn hex_of(f: f64) -> String {
    if f.is_nan() {
        return "nan".to_owned();
    }
    let sign = if f.is_sign_negative() { "-" } else { "" };
    if f.is_infinite() {
        return format!("{sign}inf");
    }
    if f == 0.0 {
        return format!("{sign}0x0.0p+0");
    }
    let bits = f.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1 << 52) - 1);
    let (lead, e) = if exp == 0 {
        (0, -1022)
    } else {
        (1, exp - 1023)
    };
    format!("{sign}0x{lead}.{frac:013x}p{e:+}")
}

/// The ValueError of a malformed string.
fn invalid() -> crate::error::PyErr {
    value_error("invalid hexadecimal floating-point string")
}

/// `float.fromhex(text)`: `[sign]['0x']digits['.'digits]['p'exponent]`, `inf`, `nan`,
/// with surrounding whitespace.
pub(crate) fn parse(text: &str) -> PyResult<f64> {
    let s = text.trim_matches(|c: char| c.is_ascii_whitespace());
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let sign = if neg { -1.0 } else { 1.0 };
    match body.to_ascii_lowercase().as_str() {
        "inf" | "infinity" => return Ok(sign * f64::INFINITY),
        "nan" => return Ok(f64::NAN),
        _ => {}
    }
    let body = body
        .strip_prefix("0x")
        .or_else(|| body.strip_prefix("0X"))
        .unwrap_or(body);
    let (mantissa, exp) = match body.find(['p', 'P']) {
        Some(i) => (&body[..i], exponent(&body[i + 1..])?),
        None => (body, 0),
    };
    let (m, frac_digits) = hex_mantissa(mantissa)?;
    Ok(sign * round_to_float(&m, exp.saturating_sub(4 * frac_digits))?)
}

/// A decimal exponent, clamped far beyond any float's range.
fn exponent(s: &str) -> PyResult<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    let n = digits.parse::<i64>().unwrap_or(1 << 40).min(1 << 40);
    Ok(if s.starts_with('-') { -n } else { n })
}

/// The hex digits around an optional point, as an integer and the count of digits after
/// the point.
fn hex_mantissa(s: &str) -> PyResult<(BigInt, i64)> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits = [int, frac].concat();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(invalid());
    }
    let m = BigInt::parse_bytes(digits.as_bytes(), 16).ok_or_else(invalid)?;
    Ok((m, frac.len() as i64))
}

/// `m * 2**e` as the nearest float (ties to even); OverflowError beyond the largest.
fn round_to_float(m: &BigInt, e: i64) -> PyResult<f64> {
    if m.is_zero() {
        return Ok(0.0);
    }
    let top = m.bits() as i64 + e;
    if top < -1100 {
        return Ok(0.0);
    }
    if top > 1024 {
        return Err(too_large());
    }
    let mut lsb = (top - 53).max(-1074);
    let drop = lsb - e;
    let mut mant = match drop {
        ..=0 => m << (-drop) as usize,
        _ => round_shift(m, drop as usize),
    };
    if mant.bits() > 53 {
        mant >>= 1;
        lsb += 1;
    }
    if lsb + mant.bits() as i64 > 1024 {
        return Err(too_large());
    }
    Ok(mant.to_f64().unwrap_or(f64::INFINITY) * pow2(lsb))
}

/// `m >> n`, rounded half to even.
fn round_shift(m: &BigInt, n: usize) -> BigInt {
    let q: BigInt = m >> n;
    let rem = m - (&q << n);
    let half = BigInt::one() << (n - 1);
    if rem > half || (rem == half && (&q & BigInt::one()).is_one()) {
        q + 1
    } else {
        q
    }
}

/// `2**k` for `k` in the range of floats (subnormal powers included).
fn pow2(k: i64) -> f64 {
    match k {
        -1022.. => f64::from_bits(((k + 1023) as u64) << 52),
        _ => f64::from_bits(1u64 << (k + 1074)),
    }
}

/// The OverflowError of a value beyond the largest float.
fn too_large() -> crate::error::PyErr {
    overflow_error("hexadecimal value too large to represent as a float")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_as_cpython() {
        assert_eq!(hex_of(1.0), "0x1.0000000000000p+0");
        assert_eq!(hex_of(0.1), "0x1.999999999999ap-4");
        assert_eq!(hex_of(-0.0), "-0x0.0p+0");
        assert_eq!(hex_of(5e-324), "0x0.0000000000001p-1022");
        assert_eq!(parse(" -0x1.8p1 ").ok(), Some(-3.0));
        assert_eq!(parse("0x.8").ok(), Some(0.5));
        assert_eq!(parse("0X1P+2").ok(), Some(4.0));
        assert_eq!(parse("1").ok(), Some(1.0));
        assert_eq!(parse("0x1p-1075").ok(), Some(0.0));
        assert_eq!(parse("0x1.00000000000008p0").ok(), Some(1.0));
        assert_eq!(
            parse("0x1.00000000000018p0").ok(),
            Some(1.0 + 2.0 * f64::EPSILON)
        );
        assert_eq!(parse("0x0.0000000000001p-1022").ok(), Some(5e-324));
        assert_eq!(parse("0x1.999999999999ap-4").ok(), Some(0.1));
        assert_eq!(parse("0x1.fffffffffffffp1023").ok(), Some(f64::MAX));
        assert!(parse("0x1.fffffffffffff8p1023").is_err());
        assert!(parse("0x1p1024").is_err() && parse("0x").is_err() && parse("zz").is_err());
        assert_eq!(parse("Infinity").ok(), Some(f64::INFINITY));
    }
}
