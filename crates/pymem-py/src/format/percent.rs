//! printf-style `str % args` (CPython's `PyUnicode_Format`).

use num_bigint::BigInt;
use num_traits::{FromPrimitive, Signed};

use super::FormatError;
use super::float::{DtoaFlags, double_to_string, float_repr};
use super::int::{code_point, int_to_f64};

/// An argument converted for one `%` conversion.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum PctValue {
    /// For `d i u o x X`, and a code point for `c`.
    Int(BigInt),
    /// For `e E f F g G`.
    Float(f64),
    /// `str(x)`, `repr(x)` or `ascii(x)` for `s r a`, and a one-character string for `c`.
    Str(String),
}

/// The right-hand side of `%`: a tuple, a single value, or a mapping.
pub(crate) trait PctSource {
    /// The interpreter's exception type.
    type Error;
    /// The next positional argument converted for `conv` (one of `s r a d i o u x X e E f F g G
    /// c`): for `s`/`r`/`a` `Str(str(x))`/`Str(repr(x))`/`Str(ascii(x))`; for integer
    /// conversions `Int` (the source raises `TypeError "%d format: a real number is required,
    /// not str"` and the like itself); for float conversions `Float`; for `c` either `Int` (a
    /// code point) or `Str` (one character). `None` when no arguments are left.
    fn next_arg(&mut self, conv: char) -> Result<Option<PctValue>, Self::Error>;
    /// `%(key)s` style: `mapping[key]` converted as above; raises `TypeError "format requires a
    /// mapping"` when the arguments are not a mapping.
    fn mapping_arg(&mut self, key: &str, conv: char) -> Result<PctValue, Self::Error>;
    /// `*` width or precision: the next argument as an integer (the source raises `TypeError
    /// "* wants int"`); `None` when no arguments are left.
    fn next_int(&mut self) -> Result<Option<i64>, Self::Error>;
    /// Whether positional arguments remain unconverted (for "not all arguments converted during
    /// string formatting").
    fn has_remaining(&self) -> bool;
}

/// A `%` formatting failure: the source's own exception, or one raised by the formatting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PctError<E> {
    /// Raised by the [`PctSource`].
    Source(E),
    /// Raised by the formatting itself.
    Format(FormatError),
}

impl<E> From<FormatError> for PctError<E> {
    fn from(e: FormatError) -> Self {
        PctError::Format(e)
    }
}

/// `fmt % args` for a `str` format: flags `-+ #0`, width, precision (`*` for either), `%%`,
/// `%(key)` and the conversions `s r a d i u o x X e E f F g G c`.
pub(crate) fn percent_format<S: PctSource>(fmt: &str, src: &mut S) -> PctResult<String, S> {
    let chars: Vec<char> = fmt.chars().collect();
    let mut cur = Cursor {
        chars: &chars,
        pos: 0,
    };
    let mut out = String::with_capacity(fmt.len());
    while let Some(c) = cur.peek() {
        cur.pos += 1;
        if c != '%' {
            out.push(c);
        } else if cur.peek() == Some('%') {
            cur.pos += 1;
            out.push('%');
        } else {
            let conversion = parse_conversion(&mut cur, src)?;
            conversion.format(src, &mut out)?;
        }
    }
    if src.has_remaining() {
        return Err(type_error("not all arguments converted during string formatting").into());
    }
    Ok(out)
}

fn type_error(message: &str) -> FormatError {
    FormatError::Type(message.to_owned())
}

fn not_enough<E>() -> PctError<E> {
    type_error("not enough arguments for format string").into()
}

struct Cursor<'a> {
    chars: &'a [char],
    pos: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    /// The next character of a conversion, which must not be cut off.
    fn next(&mut self) -> Result<char, FormatError> {
        let c = self
            .peek()
            .ok_or_else(|| FormatError::Value("incomplete format".to_owned()))?;
        self.pos += 1;
        Ok(c)
    }

    /// The `key` of `%(key)`, which may itself hold balanced parentheses; `(` is consumed.
    fn key(&mut self) -> Result<String, FormatError> {
        let start = self.pos;
        let mut depth = 1;
        while depth > 0 {
            let c = self
                .peek()
                .ok_or_else(|| FormatError::Value("incomplete format key".to_owned()))?;
            self.pos += 1;
            depth += match c {
                '(' => 1,
                ')' => -1,
                _ => 0,
            };
        }
        Ok(self.chars[start..self.pos - 1].iter().collect())
    }

    /// Decimal digits after `first`, as CPython reads a width or precision.
    fn number(
        &mut self,
        first: char,
        limit: i64,
        too_big: &str,
    ) -> Result<(usize, char), FormatError> {
        let mut n = i64::from(first.to_digit(10).unwrap_or(0));
        loop {
            let c = self.next()?;
            let Some(d) = c.to_digit(10) else {
                return Ok((n as usize, c));
            };
            n = n
                .checked_mul(10)
                .and_then(|n| n.checked_add(i64::from(d)))
                .filter(|&n| n <= limit)
                .ok_or_else(|| FormatError::Value(too_big.to_owned()))?;
        }
    }
}

/// One parsed `%[(key)][flags][width][.precision][length]conv`.
#[derive(Default)]
struct Conversion {
    key: Option<String>,
    ljust: bool,
    plus: bool,
    blank: bool,
    alt: bool,
    zero: bool,
    width: usize,
    prec: Option<usize>,
    conv: char,
    /// Where `conv` is, in characters, for the "unsupported format character" message.
    index: usize,
}

type PctResult<T, S> = Result<T, PctError<<S as PctSource>::Error>>;

/// Parses after the `%`, taking `*` arguments from `src` in CPython's order.
fn parse_conversion<S: PctSource>(cur: &mut Cursor<'_>, src: &mut S) -> PctResult<Conversion, S> {
    let mut conv = Conversion::default();
    if cur.peek() == Some('(') {
        cur.pos += 1;
        conv.key = Some(cur.key()?);
    }
    let mut c = conv.parse_flags(cur)?;
    c = conv.parse_width(c, cur, src)?;
    c = conv.parse_precision(c, cur, src)?;
    // C's length modifiers mean nothing in Python: `%ld` is `%d`.
    if matches!(c, 'h' | 'l' | 'L') {
        c = cur.next()?;
    }
    conv.conv = c;
    conv.index = cur.pos - 1;
    Ok(conv)
}

fn next_int<S: PctSource>(src: &mut S) -> PctResult<i64, S> {
    src.next_int()
        .map_err(PctError::Source)?
        .ok_or_else(not_enough)
}

impl Conversion {
    /// Sets the flags and returns the character after them.
    fn parse_flags(&mut self, cur: &mut Cursor<'_>) -> Result<char, FormatError> {
        loop {
            let c = cur.next()?;
            let flag = match c {
                '-' => &mut self.ljust,
                '+' => &mut self.plus,
                ' ' => &mut self.blank,
                '#' => &mut self.alt,
                '0' => &mut self.zero,
                _ => return Ok(c),
            };
            *flag = true;
        }
    }

    /// Reads a width starting at `c`; a negative `*` width means left-justified.
    fn parse_width<S: PctSource>(
        &mut self,
        c: char,
        cur: &mut Cursor<'_>,
        src: &mut S,
    ) -> PctResult<char, S> {
        if c == '*' {
            let width = next_int(src)?;
            self.ljust |= width < 0;
            self.width = usize::try_from(width.unsigned_abs()).unwrap_or(usize::MAX);
            return Ok(cur.next()?);
        }
        if !c.is_ascii_digit() {
            return Ok(c);
        }
        let (width, next) = cur.number(c, i64::MAX, "width too big")?;
        self.width = width;
        Ok(next)
    }

    /// Reads `.precision` if `c` is the point; a negative `*` precision means zero.
    fn parse_precision<S: PctSource>(
        &mut self,
        c: char,
        cur: &mut Cursor<'_>,
        src: &mut S,
    ) -> PctResult<char, S> {
        if c != '.' {
            return Ok(c);
        }
        self.prec = Some(0);
        let c = cur.next()?;
        if c == '*' {
            let too_big =
                || FormatError::Overflow("Python int too large to convert to C int".to_owned());
            let prec = i32::try_from(next_int(src)?).map_err(|_| too_big())?;
            self.prec = Some(prec.max(0) as usize);
            return Ok(cur.next()?);
        }
        if !c.is_ascii_digit() {
            return Ok(c);
        }
        let (prec, next) = cur.number(c, i64::from(i32::MAX), "precision too big")?;
        self.prec = Some(prec);
        Ok(next)
    }

    /// CPython's `unicode_format_arg_format` + `unicode_format_arg_output`.
    fn format<S: PctSource>(&self, src: &mut S, out: &mut String) -> PctResult<(), S> {
        let numeric = matches!(
            self.conv,
            'd' | 'i' | 'u' | 'o' | 'x' | 'X' | 'e' | 'E' | 'f' | 'F' | 'g' | 'G'
        );
        if !numeric && !matches!(self.conv, 's' | 'r' | 'a' | 'c') {
            // CPython takes the argument before looking at the conversion.
            if self.key.is_none() && !src.has_remaining() {
                return Err(not_enough());
            }
            return Err(self.unsupported().into());
        }
        let value = match &self.key {
            Some(key) => src.mapping_arg(key, self.conv).map_err(PctError::Source)?,
            None => src
                .next_arg(self.conv)
                .map_err(PctError::Source)?
                .ok_or_else(not_enough)?,
        };
        let body = self.convert(value)?;
        self.output(&body, numeric, out);
        Ok(())
    }

    fn unsupported(&self) -> FormatError {
        let c = self.conv;
        let shown = if ('\x1f'..='~').contains(&c) { c } else { '?' };
        let code = u32::from(c);
        let index = self.index;
        FormatError::Value(format!(
            "unsupported format character '{shown}' (0x{code:x}) at index {index}"
        ))
    }

    /// The converted text before padding (sign and `0x` included).
    fn convert(&self, value: PctValue) -> Result<String, FormatError> {
        match self.conv {
            's' | 'r' | 'a' => Ok(match value {
                PctValue::Str(s) => s,
                PctValue::Int(i) => i.to_string(),
                PctValue::Float(f) => float_repr(f),
            }),
            'c' => Ok(char_arg(value)?.to_string()),
            'e' | 'E' | 'f' | 'F' | 'g' | 'G' => {
                let flags = DtoaFlags {
                    alt: self.alt,
                    ..DtoaFlags::default()
                };
                Ok(double_to_string(
                    float_arg(value)?,
                    self.conv,
                    self.prec.unwrap_or(6),
                    flags,
                ))
            }
            _ => Ok(self.format_long(&self.int_arg(value)?)),
        }
    }

    fn int_arg(&self, value: PctValue) -> Result<BigInt, FormatError> {
        match value {
            PctValue::Int(i) => Ok(i),
            PctValue::Float(f) if f.is_nan() => Err(FormatError::Value(
                "cannot convert float NaN to integer".to_owned(),
            )),
            PctValue::Float(f) => BigInt::from_f64(f.trunc()).ok_or_else(|| {
                FormatError::Overflow("cannot convert float infinity to integer".to_owned())
            }),
            PctValue::Str(_) => {
                let wanted = if matches!(self.conv, 'o' | 'x' | 'X') {
                    "an integer"
                } else {
                    "a real number"
                };
                Err(type_error(&format!(
                    "%{} format: {wanted} is required, not str",
                    self.conv
                )))
            }
        }
    }

    /// CPython's `_PyUnicode_FormatLong`: digits zero-extended to the precision, `0x` kept
    /// only for `#`.
    fn format_long(&self, x: &BigInt) -> String {
        let (radix, prefix) = match self.conv {
            'o' => (8, "0o"),
            'x' => (16, "0x"),
            'X' => (16, "0X"),
            _ => (10, ""),
        };
        let mut digits = x.magnitude().to_str_radix(radix);
        if self.conv == 'X' {
            digits.make_ascii_uppercase();
        }
        let zeros = "0".repeat(self.prec.unwrap_or(0).saturating_sub(digits.len()));
        let sign = if x.is_negative() { "-" } else { "" };
        let prefix = if self.alt { prefix } else { "" };
        format!("{sign}{prefix}{zeros}{digits}")
    }

    /// CPython's `unicode_format_arg_output`: truncation, sign, zero or space padding.
    fn output(&self, body: &str, numeric: bool, out: &mut String) {
        let mut chars: Vec<char> = body.chars().collect();
        if let (Some(prec), 's' | 'r' | 'a') = (self.prec, self.conv) {
            chars.truncate(prec);
        }
        let (sign, rest) = match chars.split_first() {
            Some((&c @ ('-' | '+'), rest)) if numeric => (Some(c), rest),
            _ if numeric && self.plus => (Some('+'), &chars[..]),
            _ if numeric && self.blank => (Some(' '), &chars[..]),
            _ => (None, &chars[..]),
        };
        let prefix_len = if self.alt && matches!(self.conv, 'o' | 'x' | 'X') {
            2
        } else {
            0
        };
        let (prefix, digits) = rest.split_at(prefix_len);
        let head: String = sign.into_iter().chain(prefix.iter().copied()).collect();
        self.pad(&head, digits, numeric && self.zero, out);
    }

    /// Pads to the width: zeros go between the sign and `0x` and the digits, spaces before
    /// them, or after everything when left-justified.
    fn pad(&self, head: &str, digits: &[char], zero: bool, out: &mut String) {
        let padding = self
            .width
            .saturating_sub(head.chars().count() + digits.len());
        let (left, right) = if self.ljust {
            (0, padding)
        } else {
            (padding, 0)
        };
        let fill = |c, n| String::from_iter(std::iter::repeat_n(c, n));
        let (before, after) = if zero {
            (String::new(), fill('0', left))
        } else {
            (fill(' ', left), String::new())
        };
        out.push_str(&format!("{before}{head}{after}"));
        out.extend(digits);
        out.push_str(&fill(' ', right));
    }
}

fn float_arg(value: PctValue) -> Result<f64, FormatError> {
    match value {
        PctValue::Float(f) => Ok(f),
        PctValue::Int(i) => int_to_f64(&i),
        PctValue::Str(_) => Err(type_error("must be real number, not str")),
    }
}

/// CPython's `formatchar`: a code point, or a string of exactly one character.
fn char_arg(value: PctValue) -> Result<char, FormatError> {
    let wrong = || type_error("%c requires int or char");
    match value {
        PctValue::Int(i) => code_point(&i),
        PctValue::Str(s) => {
            let mut chars = s.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => Ok(c),
                _ => Err(wrong()),
            }
        }
        PctValue::Float(_) => Err(wrong()),
    }
}
