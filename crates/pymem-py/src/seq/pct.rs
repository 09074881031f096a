//! `str % args`: the arguments side of CPython's `PyUnicode_Format`, over a tuple, a mapping
//! or a single value; the formatting itself is `format::percent_format`.

use num_bigint::BigInt;

use crate::error::{PyErr, PyResult, err, type_error};
use crate::format::{FormatError, PctError, PctSource, PctValue, percent_format};
use crate::obj::{Atom, Kind, PyRef};
use crate::types::{lookup, type_name, type_of};
use crate::{ops, repr, val};

/// `fmt % args` for a str format.
pub(crate) fn str_percent(fmt: &str, args: &PyRef) -> PyResult {
    let mut src = PctArgs::new(args);
    match percent_format(fmt, &mut src) {
        Ok(s) => Ok(val::string(s)),
        Err(PctError::Source(e)) => Err(e),
        Err(PctError::Format(e)) => Err(format_error(e)),
    }
}

/// `fmt % args` for a bytes or bytearray format (CPython's `_PyBytes_FormatEx`): the format
/// is run as a latin-1 str whose `%s`/`%b` take bytes-like arguments, then encoded back, so
/// every byte round-trips unchanged.
pub(crate) fn bytes_percent(fmt: &[u8], args: &PyRef, bytearray: bool) -> PyResult {
    let text: String = bytes_format_text(fmt);
    let mut src = PctArgs::new(args);
    src.bytes_mode = true;
    let out = match percent_format(&text, &mut src) {
        Ok(s) => s,
        Err(PctError::Source(e)) => return Err(e),
        Err(PctError::Format(e)) => return Err(format_error(e)),
    };
    // Every char is below 256: formats and arguments were latin-1, numbers and reprs ASCII.
    let bytes = out.chars().map(|c| c as u8).collect();
    Ok(if bytearray {
        super::bytearray(bytes)
    } else {
        val::bytes(bytes)
    })
}

/// A bytes format as latin-1 text, with `%b` conversions spelled `%s` (the str formatter
/// knows only `%s`, which means the same for bytes).
fn bytes_format_text(fmt: &[u8]) -> String {
    let mut out = String::with_capacity(fmt.len());
    let mut in_spec = false;
    let mut depth = 0usize;
    for &b in fmt {
        let c = char::from(b);
        if !in_spec {
            in_spec = c == '%';
            out.push(c);
            continue;
        }
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            _ if depth > 0 => {}
            '-' | '+' | ' ' | '#' | '0'..='9' | '.' | '*' => {}
            _ => in_spec = false,
        }
        out.push(if !in_spec && c == 'b' { 's' } else { c });
    }
    out
}

/// The Python exception a formatting failure becomes.
pub(crate) fn format_error(e: FormatError) -> PyErr {
    match e {
        FormatError::Value(m) => err("ValueError", m),
        FormatError::Type(m) => err("TypeError", m),
        FormatError::Overflow(m) => err("OverflowError", m),
    }
}

/// The right side of `%`: positional arguments (a tuple's items, or the one value) and,
/// when it is a mapping, the mapping for `%(key)s`.
struct PctArgs<'a> {
    items: Vec<PyRef>,
    next: usize,
    mapping: Option<&'a PyRef>,
    /// Formatting a bytes object: `%s` takes bytes-like values, `%c` a byte, `%r` is `ascii`.
    bytes_mode: bool,
}

impl<'a> PctArgs<'a> {
    fn new(args: &'a PyRef) -> PctArgs<'a> {
        let items = match args.payload() {
            Some(Kind::Tuple(t)) => t.to_vec(),
            _ => vec![args.clone()],
        };
        PctArgs {
            items,
            next: 0,
            mapping: is_mapping(args).then_some(args),
            bytes_mode: false,
        }
    }

    fn take(&mut self) -> Option<PyRef> {
        let x = self.items.get(self.next)?.clone();
        self.next += 1;
        Some(x)
    }
}

/// CPython's test for `%(key)s` arguments: subscriptable, but not a tuple or a str.
fn is_mapping(x: &PyRef) -> bool {
    match x.payload() {
        Some(Kind::Tuple(_)) => false,
        Some(Kind::List(_) | Kind::Dict(_) | Kind::ByteArray(_)) => true,
        _ => match x.atom() {
            Some(Atom::Str(_)) => false,
            Some(Atom::Bytes(_) | Atom::Range(_)) => true,
            _ => lookup(&type_of(x), "__getitem__").is_some(),
        },
    }
}

impl PctSource for PctArgs<'_> {
    type Error = PyErr;

    fn next_arg(&mut self, conv: char) -> PyResult<Option<PctValue>> {
        match self.take() {
            Some(x) => self.convert(&x, conv).map(Some),
            None => Ok(None),
        }
    }

    fn mapping_arg(&mut self, key: &str, conv: char) -> PyResult<PctValue> {
        let mapping = self
            .mapping
            .ok_or_else(|| type_error("format requires a mapping"))?;
        let key = if self.bytes_mode {
            val::bytes(key.chars().map(|c| c as u8).collect())
        } else {
            val::str_(key)
        };
        let x = ops::getitem(mapping, &key)?;
        self.convert(&x, conv)
    }

    fn next_int(&mut self) -> PyResult<Option<i64>> {
        let Some(x) = self.take() else {
            return Ok(None);
        };
        match x.atom() {
            Some(Atom::Int(_) | Atom::Bool(_)) => Ok(x.as_i64()),
            _ => Err(type_error("* wants int")),
        }
    }

    fn has_remaining(&self) -> bool {
        self.next < self.items.len() && self.mapping.is_none()
    }
}

impl PctArgs<'_> {
    /// One argument converted for `conv`, bytes-style when formatting bytes.
    fn convert(&self, x: &PyRef, conv: char) -> PyResult<PctValue> {
        match (self.bytes_mode, conv) {
            (true, 's') => bytes_arg(x),
            (true, 'r' | 'a') => repr::ascii(x).map(PctValue::Str),
            (true, 'c') => byte_arg(x),
            _ => convert(x, conv),
        }
    }
}

/// Bytes as latin-1 text, so that each byte is one char.
fn latin1(b: &[u8]) -> PctValue {
    PctValue::Str(b.iter().map(|&b| char::from(b)).collect())
}

/// Bytes `%s`/`%b`: a bytes-like object, or what `__bytes__` returns.
fn bytes_arg(x: &PyRef) -> PyResult<PctValue> {
    if let Some(b) = super::bytes_of(x) {
        return Ok(latin1(&b));
    }
    if x.as_instance().is_some()
        && let Some(r) = ops::call_special(x, "__bytes__", &[])?
    {
        return match r.atom() {
            Some(Atom::Bytes(b)) => Ok(latin1(b)),
            _ => Err(type_error(format!(
                "__bytes__ returned non-bytes (type {})",
                type_name(&r)
            ))),
        };
    }
    Err(type_error(format!(
        "%b requires a bytes-like object, or an object that implements __bytes__, not '{}'",
        type_name(x)
    )))
}

/// Bytes `%c`: an int in `range(256)` or a bytes object of length one.
fn byte_arg(x: &PyRef) -> PyResult<PctValue> {
    if let Some(b) = super::bytes_of(x) {
        if b.len() == 1 {
            return Ok(latin1(&b));
        }
    } else if let Some(i) = int_value(x) {
        return match u8::try_from(&i) {
            Ok(b) => Ok(latin1(&[b])),
            Err(_) => Err(err("OverflowError", "%c arg not in range(256)")),
        };
    }
    Err(type_error(
        "%c requires an integer in range(256) or a single byte",
    ))
}

/// One argument converted for conversion `conv`.
fn convert(x: &PyRef, conv: char) -> PyResult<PctValue> {
    match conv {
        's' => ops::str_of(x).map(PctValue::Str),
        'r' => repr::repr(x).map(PctValue::Str),
        'a' => repr::ascii(x).map(PctValue::Str),
        'c' => char_arg(x),
        'd' | 'i' | 'u' => number_arg(x, conv, false),
        'o' | 'x' | 'X' => number_arg(x, conv, true),
        _ => float_arg(x),
    }
}

/// An int as a `BigInt`, if `x` is an int or a bool.
fn int_value(x: &PyRef) -> Option<BigInt> {
    match x.atom()? {
        Atom::Big(b) => Some(b.clone()),
        _ => x.as_i64().map(BigInt::from),
    }
}

/// `%d` takes any real number (truncated), `%x` only integers (`__index__`).
fn number_arg(x: &PyRef, conv: char, integer_only: bool) -> PyResult<PctValue> {
    if let Some(i) = int_value(x) {
        return Ok(PctValue::Int(i));
    }
    if let (Some(Atom::Float(f)), false) = (x.atom(), integer_only) {
        return Ok(PctValue::Float(*f));
    }
    let methods: &[&str] = if integer_only {
        &["__index__"]
    } else {
        &["__index__", "__int__"]
    };
    if let Some(i) = special_int(x, methods)? {
        return Ok(PctValue::Int(i));
    }
    let wanted = if integer_only {
        "an integer"
    } else {
        "a real number"
    };
    Err(type_error(format!(
        "%{conv} format: {wanted} is required, not {}",
        type_name(x)
    )))
}

/// The int an instance's first defined method of `methods` returns.
fn special_int(x: &PyRef, methods: &[&str]) -> PyResult<Option<BigInt>> {
    if x.as_instance().is_none() {
        return Ok(None);
    }
    for name in methods {
        if let Some(r) = ops::call_special(x, name, &[])? {
            let i = int_value(&r);
            let msg = || type_error(format!("{name} returned non-int (type {})", type_name(&r)));
            return i.map(Some).ok_or_else(msg);
        }
    }
    Ok(None)
}

/// `%e %f %g`: a float, or an int (converted by the formatter, which checks the range).
fn float_arg(x: &PyRef) -> PyResult<PctValue> {
    if let Some(Atom::Float(f)) = x.atom() {
        return Ok(PctValue::Float(*f));
    }
    if let Some(i) = int_value(x) {
        return Ok(PctValue::Int(i));
    }
    if x.as_instance().is_some() {
        if let Some(r) = ops::call_special(x, "__float__", &[])? {
            return match r.atom() {
                Some(Atom::Float(f)) => Ok(PctValue::Float(*f)),
                _ => Err(type_error(format!(
                    "{}.__float__ returned non-float (type {})",
                    type_name(x),
                    type_name(&r)
                ))),
            };
        }
        if let Some(i) = special_int(x, &["__index__"])? {
            return Ok(PctValue::Int(i));
        }
    }
    Err(type_error(format!(
        "must be real number, not {}",
        type_name(x)
    )))
}

/// `%c`: an int (a code point) or a one-character str.
fn char_arg(x: &PyRef) -> PyResult<PctValue> {
    let refuse = || type_error("%c requires int or char");
    if let Some(s) = x.as_pystr() {
        return if s.nchars == 1 {
            Ok(PctValue::Str(s.s.to_string()))
        } else {
            Err(refuse())
        };
    }
    if let Some(i) = int_value(x) {
        return Ok(PctValue::Int(i));
    }
    match special_int(x, &["__index__"]) {
        Ok(Some(i)) => Ok(PctValue::Int(i)),
        Ok(None) => Err(refuse()),
        Err(e) if e.is("TypeError") => Err(refuse()),
        Err(e) => Err(e),
    }
}
