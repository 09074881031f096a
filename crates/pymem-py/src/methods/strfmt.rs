//! `str.format` and `str.format_map` (CPython's `Objects/stringlib/unicode_format.h`):
//! literal text with `{{`/`}}`, replacement fields `{name.attr[key]!conv:spec}` with
//! automatic or manual numbering, and specs that contain fields themselves.
//!
//! The special characters are ASCII, so the parser walks bytes: a byte of a multi-byte
//! character never equals one of them.

use super::string::{ps, str_view};
use super::{Kw, one, recv};
use crate::error::{PyResult, err, err_args, value_error};
use crate::obj::PyRef;
use crate::{ops, val};

/// How fields have been numbered so far (mixing the two ways is an error).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Numbering {
    Unknown,
    Auto(usize),
    Manual,
}

/// Where named fields come from.
enum Named<'a> {
    /// `format`'s keyword arguments.
    Keywords(Kw<'a>),
    /// `format_map`'s mapping.
    Mapping(&'a PyRef),
}

/// The arguments a format string draws its fields from.
struct Formatter<'a> {
    /// `None` for `format_map`, which has no positional arguments.
    args: Option<&'a [PyRef]>,
    named: Named<'a>,
    numbering: Numbering,
}

/// One replacement field, as parsed.
struct Field<'s> {
    name: &'s str,
    conversion: Option<char>,
    spec: &'s str,
    /// Whether the spec has fields of its own to expand.
    nested: bool,
}

/// `s.format(*args, **kwargs)`.
pub(crate) fn format(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let s = recv("str.format", args, str_view)?;
    let mut f = Formatter {
        args: Some(&args[1..]),
        named: Named::Keywords(kw),
        numbering: Numbering::Unknown,
    };
    f.build(&ps(&s).s, 2).map(val::string)
}

/// `s.format_map(mapping)`.
pub(crate) fn format_map(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let s = recv("str.format_map", args, str_view)?;
    let m = one("str.format_map", args, kw)?;
    let mut f = Formatter {
        args: None,
        named: Named::Mapping(m),
        numbering: Numbering::Unknown,
    };
    f.build(&ps(&s).s, 2).map(val::string)
}

impl Formatter<'_> {
    /// Formats `s`; `depth` bounds the nesting of fields inside specs.
    fn build(&mut self, s: &str, depth: u32) -> PyResult<String> {
        if depth == 0 {
            return Err(value_error("Max string recursion exceeded"));
        }
        let mut out = String::with_capacity(s.len());
        let mut pos = 0;
        while pos < s.len() {
            let (lit, field) = next_markup(s, &mut pos)?;
            out.push_str(lit);
            if let Some(field) = field {
                self.render(&field, depth, &mut out)?;
            }
        }
        Ok(out)
    }

    /// Appends one field: its object, converted, formatted with its (expanded) spec.
    fn render(&mut self, f: &Field<'_>, depth: u32, out: &mut String) -> PyResult<()> {
        let obj = self.field_object(f.name)?;
        let obj = match f.conversion {
            None => obj,
            Some(c) => convert(&obj, c)?,
        };
        let spec = if f.nested {
            self.build(f.spec, depth - 1)?
        } else {
            f.spec.to_owned()
        };
        out.push_str(&render_value(&obj, &spec)?);
        Ok(())
    }

    /// The object a field name designates: an argument, then attributes and items.
    fn field_object(&mut self, name: &str) -> PyResult {
        let split = name.find(['.', '[']).unwrap_or(name.len());
        let (first, mut rest) = name.split_at(split);
        let index = self.index_of(first)?;
        let mut obj = match index {
            Some(i) => self.positional(i)?,
            None => self.named(first)?,
        };
        while !rest.is_empty() {
            let (is_attr, part, next) = next_part(rest)?;
            obj = if is_attr {
                ops::getattr_str(&obj, part)?
            } else {
                match decimal(part)? {
                    Some(i) => ops::getitem(&obj, &val::int(i as i64))?,
                    None => ops::getitem(&obj, &val::str_(part))?,
                }
            };
            rest = next;
        }
        Ok(obj)
    }

    /// The positional index of a field's first part, numbering empty ones automatically.
    fn index_of(&mut self, first: &str) -> PyResult<Option<usize>> {
        let index = decimal(first)?;
        let empty = first.is_empty();
        if !empty && index.is_none() {
            return Ok(None);
        }
        self.numbering = match (self.numbering, empty) {
            (Numbering::Unknown, true) => Numbering::Auto(0),
            (Numbering::Unknown, false) => Numbering::Manual,
            (Numbering::Manual, true) => {
                return Err(value_error(
                    "cannot switch from manual field specification to automatic field numbering",
                ));
            }
            (Numbering::Auto(_), false) => {
                return Err(value_error(
                    "cannot switch from automatic field numbering to manual field specification",
                ));
            }
            (n, _) => n,
        };
        match self.numbering {
            Numbering::Auto(n) => {
                self.numbering = Numbering::Auto(n + 1);
                Ok(Some(n))
            }
            _ => Ok(index),
        }
    }

    /// Positional argument `i`.
    fn positional(&self, i: usize) -> PyResult {
        let Some(args) = self.args else {
            return Err(value_error("Format string contains positional fields"));
        };
        args.get(i).cloned().ok_or_else(|| {
            err(
                "IndexError",
                format!("Replacement index {i} out of range for positional args tuple"),
            )
        })
    }

    /// The named argument `key`.
    fn named(&self, key: &str) -> PyResult {
        match &self.named {
            Named::Mapping(m) => ops::getitem(m, &val::str_(key)),
            Named::Keywords(kw) => kw
                .iter()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(_, v)| v.clone())
                .ok_or_else(|| err_args("KeyError", vec![val::str_(key)])),
        }
    }
}

/// Reads literal text up to the next field from `pos`: the text (with `{{` or `}}` as one
/// brace) and the field, if one follows (CPython's `MarkupIterator_next`).
fn next_markup<'s>(s: &'s str, pos: &mut usize) -> PyResult<(&'s str, Option<Field<'s>>)> {
    let b = s.as_bytes();
    let start = *pos;
    let brace = b[start..].iter().position(|&c| c == b'{' || c == b'}');
    let Some(off) = brace else {
        *pos = b.len();
        return Ok((&s[start..], None));
    };
    let c = b[start + off];
    *pos = start + off + 1;
    let doubled = b.get(*pos) == Some(&c);
    if c == b'}' && !doubled {
        return Err(value_error("Single '}' encountered in format string"));
    }
    if c == b'{' && *pos == b.len() {
        return Err(value_error("Single '{' encountered in format string"));
    }
    if doubled {
        *pos += 1;
        return Ok((&s[start..start + off + 1], None));
    }
    let field = parse_field(s, pos)?;
    Ok((&s[start..start + off], Some(field)))
}

/// Parses a field after its `{` up to its `}` (CPython's `parse_field`).
fn parse_field<'s>(s: &'s str, pos: &mut usize) -> PyResult<Field<'s>> {
    let b = s.as_bytes();
    let start = *pos;
    let mut c = 0;
    while *pos < b.len() {
        c = b[*pos];
        *pos += 1;
        match c {
            b'{' => return Err(value_error("unexpected '{' in field name")),
            b'[' => {
                // A key may contain `:`, `!` and `}`: skip to its `]`.
                *pos += b[*pos..]
                    .iter()
                    .position(|&x| x == b']')
                    .unwrap_or(b.len() - *pos);
            }
            b'}' | b':' | b'!' => break,
            _ => {}
        }
    }
    if !matches!(c, b'}' | b':' | b'!') {
        return Err(value_error("expected '}' before end of string"));
    }
    let mut field = Field {
        name: &s[start..*pos - 1],
        conversion: None,
        spec: "",
        nested: false,
    };
    if c == b'!' {
        let Some(conv) = s[*pos..].chars().next() else {
            return Err(value_error(
                "end of string while looking for conversion specifier",
            ));
        };
        field.conversion = Some(conv);
        *pos += conv.len_utf8();
        if *pos < b.len() {
            c = b[*pos];
            *pos += 1;
            if c == b'}' {
                return Ok(field);
            }
            if c != b':' {
                return Err(value_error("expected ':' after conversion specifier"));
            }
        }
    } else if c == b'}' {
        return Ok(field);
    }
    parse_spec(s, pos, &mut field)?;
    Ok(field)
}

/// Reads a field's spec up to the `}` that closes the field, noting nested fields.
fn parse_spec<'s>(s: &'s str, pos: &mut usize, field: &mut Field<'s>) -> PyResult<()> {
    let b = s.as_bytes();
    let start = *pos;
    let mut depth = 1;
    while *pos < b.len() {
        let c = b[*pos];
        *pos += 1;
        if c == b'{' {
            field.nested = true;
            depth += 1;
        } else if c == b'}' {
            depth -= 1;
            if depth == 0 {
                field.spec = &s[start..*pos - 1];
                return Ok(());
            }
        }
    }
    Err(value_error("unmatched '{' in format spec"))
}

/// Splits `.attr` or `[key]` off a field name's rest: (is an attribute, name, what
/// follows) (CPython's `FieldNameIterator_next`).
fn next_part(rest: &str) -> PyResult<(bool, &str, &str)> {
    let (is_attr, name, next) = match rest.as_bytes()[0] {
        b'.' => {
            let body = &rest[1..];
            let end = body.find(['.', '[']).unwrap_or(body.len());
            (true, &body[..end], &body[end..])
        }
        b'[' => {
            let body = &rest[1..];
            let Some(end) = body.find(']') else {
                return Err(value_error("Missing ']' in format string"));
            };
            (false, &body[..end], &body[end + 1..])
        }
        _ => {
            return Err(value_error(
                "Only '.' or '[' may follow ']' in format field specifier",
            ));
        }
    };
    if name.is_empty() {
        return Err(value_error("Empty attribute in format string"));
    }
    Ok((is_attr, name, next))
}

/// The value of a field name made of decimal digits (any script's), else `None`.
fn decimal(s: &str) -> PyResult<Option<usize>> {
    if s.is_empty() {
        return Ok(None);
    }
    let mut n: usize = 0;
    for c in s.chars() {
        let Some(d) = super::strchar::decimal_value(c) else {
            return Ok(None);
        };
        n = n
            .checked_mul(10)
            .and_then(|n| n.checked_add(d as usize))
            .filter(|&n| n <= i64::MAX as usize)
            .ok_or_else(|| value_error("Too many decimal digits in format string"))?;
    }
    Ok(Some(n))
}

/// Applies a `!r`, `!s` or `!a` conversion.
fn convert(obj: &PyRef, c: char) -> PyResult {
    match c {
        'r' => ops::repr(obj).map(val::string),
        's' => ops::to_str(obj),
        'a' => ops::repr(obj).map(|r| val::string(ascii_escape(&r))),
        ' '..='~' if c != ' ' => Err(value_error(format!("Unknown conversion specifier {c}"))),
        _ => Err(value_error(format!(
            "Unknown conversion specifier \\x{:x}",
            c as u32
        ))),
    }
}

/// `ascii()` of a repr: non-ASCII characters as `\x`, `\u` or `\U` escapes.
pub(crate) fn ascii_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c as u32 {
            0..0x80 => out.push(c),
            n @ 0x80..0x100 => out.push_str(&format!("\\x{n:02x}")),
            n @ 0x100..0x10000 => out.push_str(&format!("\\u{n:04x}")),
            n => out.push_str(&format!("\\U{n:08x}")),
        }
    }
    out
}

/// `format(obj, spec)` as a Rust string.
fn render_value(obj: &PyRef, spec: &str) -> PyResult<String> {
    if spec.is_empty() && obj.as_str().is_some() {
        return Ok(ps(obj).s.to_string());
    }
    let r = crate::builtins::format_value(obj, 0, Some(&val::str_(spec)))?;
    ops::str_of(&r)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A field as (name, conversion, spec).
    type Parsed = (String, Option<char>, String);

    fn fields(s: &str) -> Vec<(String, Option<Parsed>)> {
        let mut pos = 0;
        let mut out = Vec::new();
        while pos < s.len() {
            let (lit, f) = next_markup(s, &mut pos).expect("parses");
            out.push((
                lit.to_owned(),
                f.map(|f| (f.name.to_owned(), f.conversion, f.spec.to_owned())),
            ));
        }
        out
    }

    #[test]
    fn markup_parses_as_cpython() {
        let f = fields("a{{b}}c{0.x[k]!r:>{w}}d");
        assert_eq!(f[0], ("a{".to_owned(), None));
        assert_eq!(f[1], ("b}".to_owned(), None));
        assert_eq!(
            f[2],
            (
                "c".to_owned(),
                Some(("0.x[k]".to_owned(), Some('r'), ">{w}".to_owned()))
            )
        );
        assert_eq!(f[3], ("d".to_owned(), None));
        assert_eq!(
            fields("{a[}]}")[0].1.as_ref().map(|x| x.0.clone()),
            Some("a[}]".to_owned())
        );
        assert_eq!(next_part(".real[0]").ok(), Some((true, "real", "[0]")));
        assert_eq!(next_part("[x]").ok(), Some((false, "x", "")));
        assert_eq!(decimal("12").ok(), Some(Some(12)));
        assert_eq!(decimal("1a").ok(), Some(None));
        assert_eq!(ascii_escape("'é€'"), "'\\xe9\\u20ac'");
    }
}
