//! Number and string formatting, bit for bit as CPython 3.13 prints it: `repr(float)`,
//! `format(x, spec)` for `int`, `float` and `str`, `hex`/`oct`/`bin`, and `str % args`.
//!
//! Pure functions over Rust values; the interpreter converts objects before calling, and turns
//! a [`FormatError`] into the Python exception of the same name.

mod float;
mod int;
mod percent;
/// The spec mini-language, for formatting a type of one's own the way the built-ins do.
pub(crate) mod spec;
#[cfg(test)]
mod tests;

pub(crate) use self::float::{complex_repr, float_repr, format_complex, format_float};
pub(crate) use self::int::{format_int, int_to_radix};
pub(crate) use self::percent::{PctError, PctSource, PctValue, percent_format};
use self::spec::{FormatSpec, SpecKind, parse_spec};

/// A formatting failure, named by the Python exception it becomes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum FormatError {
    /// `ValueError`, e.g. a malformed spec.
    Value(String),
    /// `TypeError`, e.g. too few `%` arguments.
    Type(String),
    /// `OverflowError`, e.g. an `int` too large for a `float` presentation type.
    Overflow(String),
}

/// `format(s, spec)` for a `str` (CPython's `format_string_internal`).
pub(crate) fn format_str(s: &str, spec: &str) -> Result<String, FormatError> {
    if spec.is_empty() {
        return Ok(s.to_owned());
    }
    let spec = parse_spec(spec, SpecKind::Str)?;
    if let Some(message) = str_refusal(&spec) {
        return Err(message);
    }
    let text = match spec.precision {
        Some(p) => s.chars().take(p).collect(),
        None => s.to_owned(),
    };
    Ok(spec::align_text(&text, &spec))
}

/// What a `str` spec may not hold, checked in CPython's order.
fn str_refusal(spec: &FormatSpec) -> Option<FormatError> {
    let message = match (
        spec.ty,
        spec.sign,
        spec.no_neg_zero,
        spec.alternate,
        spec.align,
    ) {
        (Some('s'), None, false, false, '<' | '>' | '^') => return None,
        (ty, ..) if ty != Some('s') => return Some(spec::unknown_code(ty.unwrap_or('\0'), "str")),
        (_, Some(' '), ..) => "Space not allowed in string format specifier",
        (_, Some(_), ..) => "Sign not allowed in string format specifier",
        (_, _, true, ..) => "Negative zero coercion (z) not allowed in string format specifier",
        (_, _, _, true, _) => "Alternate form (#) not allowed in string format specifier",
        _ => "'=' alignment not allowed in string format specifier",
    };
    Some(FormatError::Value(message.to_owned()))
}
