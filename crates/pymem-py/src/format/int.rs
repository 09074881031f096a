//! `int` to text: `format(int, spec)` and `hex`/`oct`/`bin`.

use num_bigint::BigInt;
use num_traits::{Signed, ToPrimitive};

use super::FormatError;
use super::float::format_float_spec;
use super::spec::{self, FormatSpec, Number, SpecKind};

/// `format(x, spec)` for an `int` (CPython's `_PyLong_FormatAdvancedWriter`).
pub(crate) fn format_int(x: &BigInt, spec: &str) -> Result<String, FormatError> {
    if spec.is_empty() {
        return Ok(x.to_string());
    }
    let spec = spec::parse_spec(spec, SpecKind::Int)?;
    match spec.ty.unwrap_or('d') {
        'b' | 'c' | 'd' | 'o' | 'x' | 'X' | 'n' => format_long(x, &spec),
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%' => format_float_spec(int_to_f64(x)?, &spec),
        c => Err(spec::unknown_code(c, "int")),
    }
}

/// `hex(x)`, `oct(x)`, `bin(x)` (radix 16, 8, 2) and `str(x)` (radix 10), with the `0x`-style
/// prefix when `prefix` is set: `-0x1f`, `0o17`, `0b101`.
pub(crate) fn int_to_radix(x: &BigInt, radix: u32, prefix: bool) -> String {
    let marker = match (prefix, radix) {
        (true, 2) => "0b",
        (true, 8) => "0o",
        (true, 16) => "0x",
        _ => "",
    };
    let sign = if x.is_negative() { "-" } else { "" };
    format!("{sign}{marker}{}", x.magnitude().to_str_radix(radix))
}

/// `float(x)`, correctly rounded, or CPython's `OverflowError`.
pub(crate) fn int_to_f64(x: &BigInt) -> Result<f64, FormatError> {
    x.to_f64()
        .filter(|f| f.is_finite())
        .ok_or_else(|| FormatError::Overflow("int too large to convert to float".to_owned()))
}

/// The code point `x` as a `char`, as `%c` and `format(x, 'c')` take it.
pub(crate) fn code_point(x: &BigInt) -> Result<char, FormatError> {
    let x = x
        .to_u32()
        .filter(|&x| x <= 0x10ffff)
        .ok_or_else(|| FormatError::Overflow("%c arg not in range(0x110000)".to_owned()))?;
    // Python can hold a lone surrogate in a str; a Rust `String` cannot.
    char::from_u32(x)
        .ok_or_else(|| spec::value(&format!("lone surrogate U+{x:04X} is not supported")))
}

/// CPython's `format_long_internal`: the integer presentation types.
fn format_long(x: &BigInt, spec: &FormatSpec) -> Result<String, FormatError> {
    if let Some(message) = int_refusal(spec) {
        return Err(spec::value(message));
    }
    let ty = spec.ty.unwrap_or('d');
    let (radix, prefix) = match ty {
        'c' => return format_char(x, spec),
        'b' => (2, "0b"),
        'o' => (8, "0o"),
        'x' | 'X' => (16, "0x"),
        _ => (10, ""),
    };
    let digits = x.magnitude().to_str_radix(radix);
    let prefix = if spec.alternate { prefix } else { "" };
    let number = Number {
        negative: x.is_negative(),
        prefix,
        digits: &digits,
        ..Number::default()
    };
    Ok(spec::layout(&number, spec, ty == 'X'))
}

/// What an integer spec may not hold, checked in CPython's order.
fn int_refusal(spec: &FormatSpec) -> Option<&'static str> {
    let c = spec.ty == Some('c');
    Some(
        match (
            spec.precision,
            spec.no_neg_zero,
            c && spec.sign.is_some(),
            c && spec.alternate,
        ) {
            (Some(_), ..) => "Precision not allowed in integer format specifier",
            (_, true, ..) => "Negative zero coercion (z) not allowed in integer format specifier",
            (_, _, true, _) => "Sign not allowed with integer format specifier 'c'",
            (_, _, _, true) => "Alternate form (#) not allowed with integer format specifier 'c'",
            _ => return None,
        },
    )
}

/// `format(x, 'c')`: the character, laid out as a number with no digits.
fn format_char(x: &BigInt, spec: &FormatSpec) -> Result<String, FormatError> {
    // `format` converts to a C long first, so a huge int fails differently from `%c`.
    if x.to_i64().is_none() {
        let message = "Python int too large to convert to C long";
        return Err(FormatError::Overflow(message.to_owned()));
    }
    let c = code_point(x)?.to_string();
    Ok(spec::layout(
        &Number {
            remainder: &c,
            ..Number::default()
        },
        spec,
        false,
    ))
}
