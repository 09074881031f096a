//! `float` to text: CPython's `PyOS_double_to_string` over David Gay's `dtoa`, whose digits
//! Rust's own float formatting reproduces (shortest round-trip, or correctly rounded with ties
//! to even on the exact binary value).

use super::FormatError;
use super::spec::{self, FormatSpec, Number, SpecKind};

/// `repr(x)` and `str(x)` for a float: `1.0`, `1e+16`, `1.5e-05`, `-0.0`, `inf`, `nan`.
pub(crate) fn float_repr(x: f64) -> String {
    let flags = DtoaFlags {
        add_dot_0: true,
        ..DtoaFlags::default()
    };
    double_to_string(x, 'r', 0, flags)
}

/// `repr(z)` of a complex (CPython's `complex_repr`): the imaginary part alone when the real
/// part is +0.0, else both in parentheses, the imaginary part always signed (`+nan` too).
pub(crate) fn complex_repr(re: f64, im: f64) -> String {
    let part = |x: f64| double_to_string(x, 'r', 0, DtoaFlags::default());
    if re == 0.0 && re.is_sign_positive() {
        return format!("{}j", part(im));
    }
    let im = part(im);
    let sign = if im.starts_with('-') { "" } else { "+" };
    format!("({}{sign}{im}j)", part(re))
}

/// `format(x, spec)` for a `float` (CPython's `_PyFloat_FormatAdvancedWriter`).
pub(crate) fn format_float(x: f64, spec: &str) -> Result<String, FormatError> {
    if spec.is_empty() {
        return Ok(float_repr(x));
    }
    let spec = spec::parse_spec(spec, SpecKind::Float)?;
    match spec.ty {
        None | Some('e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'n' | '%') => format_float_spec(x, &spec),
        Some(c) => Err(spec::unknown_code(c, "float")),
    }
}

/// `format(z, spec)` for a `complex` (CPython's `format_complex_internal`): each part
/// formatted as a float, the imaginary one always signed unless the real part is left out;
/// without a type, like `str(z)` (parentheses, and no real part when it is +0.0).
pub(crate) fn format_complex(re: f64, im: f64, spec: &str) -> Result<String, FormatError> {
    if spec.is_empty() {
        return Ok(complex_repr(re, im));
    }
    let spec = spec::parse_spec(spec, SpecKind::Float)?;
    let (code, precision) = complex_code(&spec)?;
    let skip_re = spec.ty.is_none() && re == 0.0 && re.is_sign_positive();
    // The parts are laid out unpadded; the width applies to the whole.
    let unpadded = FormatSpec {
        width: None,
        align: '<',
        ..spec.clone()
    };
    let im_spec = FormatSpec {
        sign: if skip_re { spec.sign } else { Some('+') },
        ..unpadded.clone()
    };
    let part = |x: f64, s: &FormatSpec| complex_part(x, code, precision, s);
    let text = match (skip_re, spec.ty) {
        (true, _) => format!("{}j", part(im, &im_spec)),
        (false, None) => format!("({}{}j)", part(re, &unpadded), part(im, &im_spec)),
        (false, Some(_)) => format!("{}{}j", part(re, &unpadded), part(im, &im_spec)),
    };
    Ok(spec::align_text(&text, &spec))
}

/// The float presentation and precision of a complex spec; complex refuses zero padding,
/// `=` alignment and the types float has beyond `e f g n` (`%`).
fn complex_code(spec: &FormatSpec) -> Result<(char, usize), FormatError> {
    if spec.fill == '0' {
        return Err(spec::value(
            "Zero padding is not allowed in complex format specifier",
        ));
    }
    if spec.align == '=' {
        return Err(spec::value(
            "'=' alignment flag is not allowed in complex format specifier",
        ));
    }
    match (spec.ty, spec.precision) {
        (None, None) => Ok(('r', 0)),
        (None | Some('n'), p) => Ok(('g', p.unwrap_or(6))),
        (Some(c @ ('e' | 'E' | 'f' | 'F' | 'g' | 'G')), p) => Ok((c, p.unwrap_or(6))),
        (Some(c), _) => Err(spec::unknown_code(c, "complex")),
    }
}

/// One part of a formatted complex: no `.0` is added, unlike a float's repr.
fn complex_part(x: f64, code: char, precision: usize, spec: &FormatSpec) -> String {
    let flags = DtoaFlags {
        alt: spec.alternate,
        no_neg_zero: spec.no_neg_zero,
        add_dot_0: false,
    };
    let text = double_to_string(x, code, precision, flags);
    spec::layout(&split_number(&text), spec, false)
}

/// CPython's `format_float_internal`, for a spec whose type is already known to be a float one;
/// `format(int, 'e')` comes here too.
pub(crate) fn format_float_spec(x: f64, spec: &FormatSpec) -> Result<String, FormatError> {
    if spec.precision.is_some_and(|p| p > i32::MAX as usize) {
        return Err(spec::value("precision too big"));
    }
    let flags = DtoaFlags {
        alt: spec.alternate,
        no_neg_zero: spec.no_neg_zero,
        // No type: like `repr`, or like `g` with precision, but always with a digit after the point.
        add_dot_0: spec.ty.is_none(),
    };
    let (x, code, precision) = match (spec.ty, spec.precision) {
        (None, None) => (x, 'r', 0),
        (None | Some('n'), p) => (x, 'g', p.unwrap_or(6)),
        (Some('%'), p) => (x * 100.0, 'f', p.unwrap_or(6)),
        (Some(c), p) => (x, c, p.unwrap_or(6)),
    };
    let mut text = double_to_string(x, code, precision, flags);
    if spec.ty == Some('%') {
        text.push('%');
    }
    Ok(spec::layout(&split_number(&text), spec, false))
}

/// CPython's `parse_number`: the sign, the integer digits, and whatever follows the point.
fn split_number(text: &str) -> Number<'_> {
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (digits, rest) = unsigned.split_at(unsigned.bytes().take_while(u8::is_ascii_digit).count());
    let (decimal, remainder) = match rest.strip_prefix('.') {
        Some(rest) => (true, rest),
        None => (false, rest),
    };
    Number {
        negative,
        prefix: "",
        digits,
        decimal,
        remainder,
    }
}

/// The `Py_DTSF_*` flags of `PyOS_double_to_string` that formatting uses.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct DtoaFlags {
    /// `#`: keep a trailing point, and `g`'s trailing zeros.
    pub(crate) alt: bool,
    /// Give integral values a `.0` (and make `g` switch to exponents one digit earlier).
    pub(crate) add_dot_0: bool,
    /// `z`: no minus sign on a value that rounds to zero.
    pub(crate) no_neg_zero: bool,
}

/// CPython's `PyOS_double_to_string` (its `format_float_short`); `code` is one of
/// `e E f F g G r`, upper case giving `E`, `INF` and `NAN`.
pub(crate) fn double_to_string(x: f64, code: char, precision: usize, flags: DtoaFlags) -> String {
    let upper = code.is_ascii_uppercase();
    if !x.is_finite() {
        return non_finite(x, upper);
    }
    let code = code.to_ascii_lowercase();
    let (mode, precision) = match code {
        'e' => (Mode::Significant(precision + 1), precision + 1),
        'f' => (Mode::Fixed(precision), precision),
        'g' => (Mode::Significant(precision.max(1)), precision.max(1)),
        _ => (Mode::Shortest, 0),
    };
    let (digits, decpt) = dtoa(x, mode);
    let shape = Shape::new(code, digits.len() as i64, decpt, precision as i64, flags);
    let rounds_to_zero = digits.bytes().all(|b| b == b'0');
    let negative = x.is_sign_negative() && !(flags.no_neg_zero && rounds_to_zero);
    let mut body = shape.render(&digits);
    if body.ends_with('.') && !flags.alt {
        body.pop();
    }
    let e = if upper { 'E' } else { 'e' };
    let exp = shape.exp.map(|exp| format!("{e}{exp:+03}"));
    format!(
        "{}{body}{}",
        if negative { "-" } else { "" },
        exp.unwrap_or_default()
    )
}

/// `inf`, `-inf` or `nan` (never signed) in the case asked.
fn non_finite(x: f64, upper: bool) -> String {
    let text = match (x.is_nan(), x < 0.0) {
        (true, _) => "nan",
        (false, true) => "-inf",
        (false, false) => "inf",
    };
    if upper {
        text.to_ascii_uppercase()
    } else {
        text.to_owned()
    }
}

/// Where `format_float_short` puts the digits: the slice `vstart..vend` of the digit string
/// padded with zeros on both sides, with the point before index `decpt` (or at the end).
struct Shape {
    vstart: i64,
    vend: i64,
    decpt: i64,
    exp: Option<i64>,
}

impl Shape {
    fn new(code: char, digits_len: i64, decpt: i64, precision: i64, flags: DtoaFlags) -> Shape {
        let (use_exp, vend) = exponent_and_end(code, digits_len, decpt, precision, flags);
        if use_exp {
            return Shape {
                vstart: 0,
                vend: vend.max(1),
                decpt: 1,
                exp: Some(decpt - 1),
            };
        }
        let min_end = decpt + i64::from(flags.add_dot_0);
        Shape {
            vstart: (decpt - 1).min(0),
            vend: vend.max(min_end),
            decpt,
            exp: None,
        }
    }

    fn render(&self, digits: &str) -> String {
        let digits = digits.as_bytes();
        let mut out = String::new();
        for i in self.vstart..self.vend {
            if i == self.decpt {
                out.push('.');
            }
            let digit = usize::try_from(i).ok().and_then(|i| digits.get(i));
            out.push(digit.map_or('0', |&d| char::from(d)));
        }
        if self.vend == self.decpt {
            out.push('.');
        }
        out
    }
}

/// Whether `format_float_short` uses an exponent, and where its digits end before the point
/// is accounted for.
fn exponent_and_end(
    code: char,
    digits_len: i64,
    decpt: i64,
    precision: i64,
    flags: DtoaFlags,
) -> (bool, i64) {
    let g_end = if flags.alt { precision } else { digits_len };
    match code {
        'e' => (true, precision),
        'f' => (false, decpt + precision),
        // With `.0` to add, `g` gives up on fixed notation one digit earlier.
        'g' => (
            decpt <= -4 || decpt > precision - i64::from(flags.add_dot_0),
            g_end,
        ),
        // repr switches to exponents at 1e16, where 17 significant digits would show noise.
        _ => (decpt <= -4 || decpt > 16, digits_len),
    }
}

/// `_Py_dg_dtoa`'s modes: 0 (shortest round-trip), 2 (significant digits), 3 (digits after
/// the point).
#[derive(Clone, Copy)]
enum Mode {
    Shortest,
    Significant(usize),
    Fixed(usize),
}

/// `_Py_dg_dtoa` for a finite `x`: its digits without trailing zeros, and the position of the
/// decimal point relative to them (`0.0123` is `("123", -1)`).
fn dtoa(x: f64, mode: Mode) -> (String, i64) {
    if x == 0.0 {
        return ("0".to_owned(), 1);
    }
    let x = x.abs();
    match mode {
        Mode::Shortest => shortest(x),
        Mode::Significant(n) => from_scientific(&format!("{:.*e}", n - 1, x)),
        Mode::Fixed(n) => from_fixed(&format!("{x:.n$}"), n),
    }
}

/// The shortest digits that read back as `x`, the nearest such when several are as short.
/// When two are equally near, Rust rounds up but dtoa takes the even one, which is then the
/// correctly rounded value of that length: use it whenever it reads back as `x`.
fn shortest(x: f64) -> (String, i64) {
    let (digits, decpt) = from_scientific(&format!("{x:e}"));
    let nearest = format!("{:.*e}", digits.len() - 1, x);
    if nearest.parse::<f64>() == Ok(x) {
        from_scientific(&nearest)
    } else {
        (digits, decpt)
    }
}

fn from_scientific(text: &str) -> (String, i64) {
    let (mantissa, exp) = text.split_once('e').unwrap_or((text, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let exp: i64 = exp.parse().unwrap_or(0);
    (digits.trim_end_matches('0').to_owned(), exp + 1)
}

fn from_fixed(text: &str, precision: usize) -> (String, i64) {
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    let all = format!("{int}{frac}");
    let significant = all.trim_start_matches('0');
    let leading_zeros = (all.len() - significant.len()) as i64;
    let digits = significant.trim_end_matches('0');
    if digits.is_empty() {
        // dtoa's "no digits" answer: the value rounded to zero.
        return (String::new(), -(precision as i64));
    }
    (digits.to_owned(), int.len() as i64 - leading_zeros)
}
