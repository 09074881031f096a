//! The format-spec mini-language and the padding and digit grouping that `format()` shares
//! across types (CPython's `Python/formatter_unicode.c`).

use super::FormatError;

/// Which built-in type a spec is for: each has its own default type, alignment and error wording.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SpecKind {
    /// `int` (and `bool`, which CPython formats as an `int`).
    Int,
    /// `float`.
    Float,
    /// `str`.
    Str,
}

impl SpecKind {
    fn type_name(self) -> &'static str {
        match self {
            SpecKind::Int => "int",
            SpecKind::Float => "float",
            SpecKind::Str => "str",
        }
    }

    fn default_type(self) -> Option<char> {
        match self {
            SpecKind::Int => Some('d'),
            SpecKind::Float => None,
            SpecKind::Str => Some('s'),
        }
    }

    fn default_align(self) -> char {
        if self == SpecKind::Str { '<' } else { '>' }
    }
}

/// A parsed `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`, with CPython's
/// defaults already applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FormatSpec {
    /// The padding character: `' '`, or `'0'` after a bare `0` flag, or the one given.
    pub(crate) fill: char,
    /// One of `< > ^ =`.
    pub(crate) align: char,
    /// `'+'`, `'-'` or `' '` when given.
    pub(crate) sign: Option<char>,
    /// `z`: print a negative zero as zero.
    pub(crate) no_neg_zero: bool,
    /// `#`: the alternate form.
    pub(crate) alternate: bool,
    /// The minimum field width, in characters.
    pub(crate) width: Option<usize>,
    /// `','` or `'_'`.
    pub(crate) grouping: Option<char>,
    /// Digits after the point (`f`), significant digits (`g`), or characters kept (`s`).
    pub(crate) precision: Option<usize>,
    /// The presentation type; `None` only for a `float` spec without one.
    pub(crate) ty: Option<char>,
}

/// CPython's `parse_internal_render_format_spec`: parses `spec` for a value of `kind`.
pub(crate) fn parse_spec(spec: &str, kind: SpecKind) -> Result<FormatSpec, FormatError> {
    let chars: Vec<char> = spec.chars().collect();
    let mut cur = Cursor {
        chars: &chars,
        pos: 0,
    };
    let (fill, align) = cur.fill_and_align();
    let sign = cur.eat_any(&['+', '-', ' ']);
    let no_neg_zero = cur.eat('z');
    let alternate = cur.eat('#');
    // A bare `0` flag means zero fill; after an explicit fill it is just part of the width.
    let zero = fill.is_none() && cur.eat('0');
    let (fill, align) = default_fill_and_align(fill, align, zero, kind);
    let width = cur.integer()?;
    let grouping = cur.grouping()?;
    let precision = cur.precision()?;
    let ty = cur.presentation_type(spec, kind)?;
    check_grouping(grouping, ty)?;
    Ok(FormatSpec {
        fill,
        align,
        sign,
        no_neg_zero,
        alternate,
        width,
        grouping,
        precision,
        ty,
    })
}

/// Zero fill puts the zeros after the sign (`=`) for numbers, but does not change a string's
/// alignment.
fn default_fill_and_align(
    fill: Option<char>,
    align: Option<char>,
    zero: bool,
    kind: SpecKind,
) -> (char, char) {
    let default_align = match kind.default_align() {
        '>' if zero => '=',
        other => other,
    };
    (
        fill.unwrap_or(if zero { '0' } else { ' ' }),
        align.unwrap_or(default_align),
    )
}

/// Grouping is only defined for decimal types, and `_` also for the power-of-two bases (PEP 515).
fn check_grouping(grouping: Option<char>, ty: Option<char>) -> Result<(), FormatError> {
    let Some(sep) = grouping else { return Ok(()) };
    match ty {
        None | Some('d' | 'e' | 'f' | 'g' | 'E' | 'G' | '%' | 'F') => Ok(()),
        Some('b' | 'o' | 'x' | 'X') if sep == '_' => Ok(()),
        Some(c) => Err(value(&format!(
            "Cannot specify '{sep}' with {}.",
            quote_code(c)
        ))),
    }
}

/// The "Unknown format code" error CPython raises for a presentation type the type lacks.
pub(crate) fn unknown_code(ty: char, type_name: &str) -> FormatError {
    let code = quote_code(ty);
    value(&format!(
        "Unknown format code {code} for object of type '{type_name}'"
    ))
}

/// `'x'` for a printable ASCII code, else CPython's `'\x..'` escape.
fn quote_code(c: char) -> String {
    if (33..128).contains(&u32::from(c)) {
        format!("'{c}'")
    } else {
        format!("'\\x{:x}'", u32::from(c))
    }
}

/// A `ValueError`.
pub(crate) fn value(message: &str) -> FormatError {
    FormatError::Value(message.to_owned())
}

struct Cursor<'a> {
    chars: &'a [char],
    pos: usize,
}

impl Cursor<'_> {
    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        self.eat_any(&[c]).is_some()
    }

    fn eat_any(&mut self, set: &[char]) -> Option<char> {
        let c = self.peek_at(0).filter(|c| set.contains(c))?;
        self.pos += 1;
        Some(c)
    }

    fn fill_and_align(&mut self) -> (Option<char>, Option<char>) {
        const ALIGNS: [char; 4] = ['<', '>', '=', '^'];
        match (self.peek_at(0), self.peek_at(1)) {
            (Some(fill), Some(align)) if ALIGNS.contains(&align) => {
                self.pos += 2;
                (Some(fill), Some(align))
            }
            (Some(align), _) if ALIGNS.contains(&align) => {
                self.pos += 1;
                (None, Some(align))
            }
            _ => (None, None),
        }
    }

    /// CPython's `get_integer`: `None` when there are no digits; the value must fit `Py_ssize_t`.
    fn integer(&mut self) -> Result<Option<usize>, FormatError> {
        let start = self.pos;
        let mut n: i64 = 0;
        while let Some(d) = self.peek_at(0).and_then(|c| c.to_digit(10)) {
            n = n
                .checked_mul(10)
                .and_then(|n| n.checked_add(i64::from(d)))
                .ok_or_else(|| value("Too many decimal digits in format string"))?;
            self.pos += 1;
        }
        Ok((self.pos > start).then_some(n as usize))
    }

    fn precision(&mut self) -> Result<Option<usize>, FormatError> {
        if !self.eat('.') {
            return Ok(None);
        }
        let missing = || value("Format specifier missing precision");
        Ok(Some(self.integer()?.ok_or_else(missing)?))
    }

    /// The one character left, or the kind's default when none is.
    fn presentation_type(&self, spec: &str, kind: SpecKind) -> Result<Option<char>, FormatError> {
        match &self.chars[self.pos..] {
            [] => Ok(kind.default_type()),
            [c] => Ok(Some(*c)),
            _ => {
                let name = kind.type_name();
                Err(value(&format!(
                    "Invalid format specifier '{spec}' for object of type '{name}'"
                )))
            }
        }
    }

    fn grouping(&mut self) -> Result<Option<char>, FormatError> {
        let both = || value("Cannot specify both ',' and '_'.");
        let mut grouping = self.eat(',').then_some(',');
        if self.peek_at(0) == Some('_') {
            if grouping.is_some() {
                return Err(both());
            }
            self.pos += 1;
            grouping = Some('_');
        }
        if grouping == Some('_') && self.peek_at(0) == Some(',') {
            return Err(both());
        }
        Ok(grouping)
    }
}

/// A number cut up as CPython's `calc_number_widths` sees it:
/// `<sign><prefix><digits>[.]<remainder>`, where only `digits` is grouped and zero-padded.
#[derive(Default)]
pub(crate) struct Number<'a> {
    /// Whether a `-` is shown.
    pub(crate) negative: bool,
    /// `0x` and friends.
    pub(crate) prefix: &'a str,
    /// The integer-part digits, without separators.
    pub(crate) digits: &'a str,
    /// Whether a decimal point follows the digits.
    pub(crate) decimal: bool,
    /// Everything after the point: fraction, exponent, `%`, or all of `inf`.
    pub(crate) remainder: &'a str,
}

/// CPython's `calc_number_widths` + `fill_number`: sign, padding, grouping and case.
pub(crate) fn layout(n: &Number<'_>, spec: &FormatSpec, upper: bool) -> String {
    let sign = sign_char(spec.sign, n.negative);
    let mut head: String = sign.into_iter().chain(n.prefix.chars()).collect();
    let ungrouped = head.len() + usize::from(n.decimal) + n.remainder.chars().count();
    let mut digits = padded_digits(n.digits, spec, ungrouped);
    if upper {
        digits.make_ascii_uppercase();
        head.make_ascii_uppercase();
    }
    let padding = spec
        .width
        .unwrap_or(0)
        .saturating_sub(ungrouped + digits.len());
    let [left, middle, right] = split_padding(padding, spec.align).map(|n| fill(spec.fill, n));
    let point = if n.decimal { "." } else { "" };
    format!("{left}{head}{middle}{digits}{point}{}{right}", n.remainder)
}

/// The digits, grouped. Zero padding goes inside them, so that it is grouped too:
/// `format(1234, '08,')` is `0,001,234`.
fn padded_digits(digits: &str, spec: &FormatSpec, ungrouped: usize) -> String {
    if digits.is_empty() {
        return String::new();
    }
    let zero_pad = spec.fill == '0' && spec.align == '=';
    let min_width = if zero_pad {
        spec.width.unwrap_or(0).saturating_sub(ungrouped)
    } else {
        0
    };
    group_digits(digits, min_width, separator(spec))
}

fn fill(c: char, count: usize) -> String {
    std::iter::repeat_n(c, count).collect()
}

/// The sign shown: `-` for negatives, and `+` or a space for the rest if the spec asks.
fn sign_char(sign: Option<char>, negative: bool) -> Option<char> {
    match (sign, negative) {
        (_, true) => Some('-'),
        (Some(c @ ('+' | ' ')), false) => Some(c),
        _ => None,
    }
}

/// The separator and group size: `_` groups hex, octal and binary digits by four.
fn separator(spec: &FormatSpec) -> Option<(char, usize)> {
    let sep = spec.grouping?;
    let four = sep == '_' && matches!(spec.ty, Some('b' | 'o' | 'x' | 'X'));
    Some((sep, if four { 4 } else { 3 }))
}

/// Left, sign-side (`=`) and right padding for `align`; `^` puts the odd one on the right.
fn split_padding(padding: usize, align: char) -> [usize; 3] {
    match align {
        '<' => [0, 0, padding],
        '^' => [padding / 2, 0, padding - padding / 2],
        '=' => [0, padding, 0],
        _ => [padding, 0, 0],
    }
}

/// CPython's `_PyUnicode_InsertThousandsGrouping`: groups `digits` from the right, left-padding
/// with zeros (which get separators too) until the result is at least `min_width` long.
fn group_digits(digits: &str, min_width: usize, separator: Option<(char, usize)>) -> String {
    let mut remaining = digits.len();
    let mut min_width = min_width as i64;
    let mut groups: Vec<String> = Vec::new();
    loop {
        let wanted = remaining.max(min_width.max(1) as usize);
        let len = separator.map_or(wanted, |(_, size)| size.min(wanted));
        let n_chars = remaining.min(len);
        let mut group = "0".repeat(len - n_chars);
        group.push_str(&digits[remaining - n_chars..remaining]);
        groups.push(group);
        remaining -= n_chars;
        min_width -= len as i64;
        if separator.is_none() || (remaining == 0 && min_width <= 0) {
            break;
        }
        min_width -= 1;
    }
    groups.reverse();
    groups.join(&separator.map_or(String::new(), |(sep, _)| sep.to_string()))
}

/// CPython's `calc_padding` for strings: pads `text` to the spec's width.
pub(crate) fn align_text(text: &str, spec: &FormatSpec) -> String {
    let padding = spec.width.unwrap_or(0).saturating_sub(text.chars().count());
    let [left, _, right] = split_padding(padding, spec.align).map(|n| fill(spec.fill, n));
    format!("{left}{text}{right}")
}
