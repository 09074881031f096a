//! Text encodings (`str.encode`, `bytes.decode`: UTF-8, ASCII and Latin-1 with the error
//! handlers `strict`, `ignore`, `replace`, `backslashreplace` and `xmlcharrefreplace`) and
//! character translation (`str.maketrans`, `str.translate`).

use std::fmt::Write;

use super::string::{ps, str_view, want_str};
use super::{Kw, Params, between, one, parse, recv};
use crate::error::{PyErr, PyResult, err, type_error, value_error};
use crate::obj::{Atom, PyRef};
use crate::{dictops, ops, val};

/// The encodings this interpreter knows.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Codec {
    Utf8,
    Ascii,
    Latin1,
}

impl Codec {
    /// The name error messages give.
    fn name(self) -> &'static str {
        match self {
            Codec::Utf8 => "utf-8",
            Codec::Ascii => "ascii",
            Codec::Latin1 => "latin-1",
        }
    }

    /// The highest code point + 1 the encoding represents in one byte.
    fn limit(self) -> u32 {
        match self {
            Codec::Ascii => 0x80,
            _ => 0x100,
        }
    }
}

/// Looks an encoding name up as CPython's `encodings.search_function` does (case, `-`,
/// `_` and spaces are insignificant), or raises LookupError.
pub(crate) fn lookup(name: &str) -> PyResult<Codec> {
    let norm: String = name
        .trim()
        .chars()
        .map(|c| {
            if c == '-' || c == ' ' {
                '_'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect();
    match norm.as_str() {
        "utf_8" | "utf8" | "u8" | "utf" | "cp65001" => Ok(Codec::Utf8),
        "ascii" | "us_ascii" | "646" | "us" | "iso646_us" | "ansi_x3.4_1968" => Ok(Codec::Ascii),
        "latin_1" | "latin1" | "latin" | "l1" | "iso_8859_1" | "iso8859_1" | "8859" | "cp819"
        | "iso_ir_100" => Ok(Codec::Latin1),
        _ => Err(err("LookupError", format!("unknown encoding: {name}"))),
    }
}

/// The LookupError for an error handler that does not exist.
fn unknown_handler(errors: &str) -> PyErr {
    err(
        "LookupError",
        format!("unknown error handler name '{errors}'"),
    )
}

/// `'\xe9'`, `'\u20ac'`: how codec errors show a character.
fn escape_char(c: char) -> String {
    match c as u32 {
        n if n < 0x100 => format!("'\\x{n:02x}'"),
        n if n < 0x10000 => format!("'\\u{n:04x}'"),
        n => format!("'\\U{n:08x}'"),
    }
}

/// Encodes `s` (`str.encode`).
pub(crate) fn encode(s: &str, codec: Codec, errors: &str) -> PyResult<Vec<u8>> {
    if codec == Codec::Utf8 || s.is_ascii() {
        return Ok(s.as_bytes().to_vec());
    }
    let limit = codec.limit();
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        if (chars[i] as u32) < limit {
            out.push(chars[i] as u8);
            i += 1;
            continue;
        }
        let end = i + chars[i..]
            .iter()
            .take_while(|&&c| c as u32 >= limit)
            .count();
        encode_error(&chars[i..end], i, codec, errors, &mut out)?;
        i = end;
    }
    Ok(out)
}

/// Applies the error handler to the unencodable run `bad` at position `pos`.
fn encode_error(
    bad: &[char],
    pos: usize,
    codec: Codec,
    errors: &str,
    out: &mut Vec<u8>,
) -> PyResult<()> {
    let mut text = String::new();
    for &c in bad {
        match errors {
            "strict" => return Err(encode_strict(bad, pos, codec)),
            "ignore" => {}
            "replace" => text.push('?'),
            "backslashreplace" => text.push_str(escape_char(c).trim_matches('\'')),
            "xmlcharrefreplace" => {
                let _ = write!(text, "&#{};", c as u32);
            }
            _ => return Err(unknown_handler(errors)),
        }
    }
    out.extend_from_slice(text.as_bytes());
    Ok(())
}

/// The UnicodeEncodeError for the unencodable run `bad` at `pos`.
#[cold]
fn encode_strict(bad: &[char], pos: usize, codec: Codec) -> PyErr {
    let (name, limit) = (codec.name(), codec.limit());
    let what = match bad {
        [c] => format!("character {} in position {pos}", escape_char(*c)),
        _ => format!("characters in position {pos}-{}", pos + bad.len() - 1),
    };
    err(
        "UnicodeEncodeError",
        format!("'{name}' codec can't encode {what}: ordinal not in range({limit})"),
    )
}

/// Decodes `b` (`bytes.decode`).
pub(crate) fn decode(b: &[u8], codec: Codec, errors: &str) -> PyResult<String> {
    match codec {
        Codec::Utf8 => decode_utf8(b, errors),
        Codec::Latin1 => Ok(b.iter().map(|&x| x as char).collect()),
        Codec::Ascii => decode_ascii(b, errors),
    }
}

/// ASCII decoding: bytes above 127 go to the error handler.
fn decode_ascii(b: &[u8], errors: &str) -> PyResult<String> {
    let mut out = String::with_capacity(b.len());
    for (i, &x) in b.iter().enumerate() {
        if x.is_ascii() {
            out.push(x as char);
        } else {
            decode_error(
                &[x],
                i,
                "ascii",
                "ordinal not in range(128)",
                errors,
                &mut out,
            )?;
        }
    }
    Ok(out)
}

/// UTF-8 decoding: each maximal invalid subsequence goes to the error handler, with
/// CPython's reasons (invalid start byte, invalid continuation byte, unexpected end).
fn decode_utf8(b: &[u8], errors: &str) -> PyResult<String> {
    let mut out = String::with_capacity(b.len());
    let mut pos = 0;
    loop {
        let e = match std::str::from_utf8(&b[pos..]) {
            Ok(s) => {
                out.push_str(s);
                return Ok(out);
            }
            Err(e) => e,
        };
        let start = pos + e.valid_up_to();
        out.push_str(std::str::from_utf8(&b[pos..start]).unwrap_or_default());
        let n = e.error_len().unwrap_or(b.len() - start);
        let reason = match (e.error_len(), b[start]) {
            (None, _) => "unexpected end of data",
            (_, 0x80..=0xc1 | 0xf5..=0xff) => "invalid start byte",
            _ => "invalid continuation byte",
        };
        decode_error(
            &b[start..start + n],
            start,
            "utf-8",
            reason,
            errors,
            &mut out,
        )?;
        pos = start + n;
    }
}

/// Applies the error handler to the undecodable bytes `bad` at position `pos`.
fn decode_error(
    bad: &[u8],
    pos: usize,
    codec: &str,
    reason: &str,
    errors: &str,
    out: &mut String,
) -> PyResult<()> {
    match errors {
        "strict" => {
            let what = match bad {
                [x] => format!("byte 0x{x:02x} in position {pos}"),
                _ => format!("bytes in position {pos}-{}", pos + bad.len() - 1),
            };
            Err(err(
                "UnicodeDecodeError",
                format!("'{codec}' codec can't decode {what}: {reason}"),
            ))
        }
        "ignore" => Ok(()),
        "replace" => {
            out.push('\u{fffd}');
            Ok(())
        }
        "backslashreplace" => {
            bad.iter().for_each(|x| {
                let _ = write!(out, "\\x{x:02x}");
            });
            Ok(())
        }
        _ => Err(unknown_handler(errors)),
    }
}

/// The `encoding` and `errors` arguments of `encode`/`decode`, checked as CPython does.
pub(crate) fn codec_args(p: &Params, args: &[PyRef], kw: Kw<'_>) -> PyResult<(Codec, String)> {
    let a = parse(p, args, kw)?;
    let name = p.name;
    let text = |x: &Option<PyRef>, arg: &str, default: &str| -> PyResult<String> {
        match x {
            Some(x) => want_str(x, |t| {
                format!("{name}() argument '{arg}' must be str, not {t}")
            })
            .map(|s| ps(&s).s.to_string()),
            None => Ok(default.to_owned()),
        }
    };
    let encoding = text(&a[0], "encoding", "utf-8")?;
    let errors = text(&a[1], "errors", "strict")?;
    Ok((lookup(&encoding)?, errors))
}

/// `s.encode(encoding='utf-8', errors='strict')`.
pub(crate) fn str_encode(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    const P: Params = Params {
        name: "encode",
        names: &["encoding", "errors"],
        posonly: 0,
        maxpos: 2,
        required: 0,
    };
    let s = recv("str.encode", args, str_view)?;
    let (codec, errors) = codec_args(&P, args, kw)?;
    Ok(val::bytes(encode(&ps(&s).s, codec, &errors)?))
}

/// `str.maketrans(x[, y[, z]])`: a dict from code points to code points, strings or None.
/// A static method: there is no receiver, so the arguments start at index 0.
pub(crate) fn maketrans(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let padded = prepend_none(args);
    let a = between("str.maketrans", &padded, kw, 1, 3)?;
    let table = val::dict(crate::dict::Dict::new());
    let d = table.as_dict().expect("a new dict");
    if a.len() == 1 {
        let Some(src) = a[0].as_dict() else {
            return Err(type_error(
                "if you give only one argument to maketrans it must be a dict",
            ));
        };
        for (k, v) in dictops::items(src) {
            dictops::set(d, translate_key(&k)?, v)?;
        }
        return Ok(table);
    }
    let argn = |i: usize| {
        want_str(&a[i], |t| {
            format!("maketrans() argument {} must be str, not {t}", i + 1)
        })
    };
    let (x, y) = (argn(0)?, argn(1)?);
    if ps(&x).nchars != ps(&y).nchars {
        return Err(value_error(
            "the first two maketrans arguments must have equal length",
        ));
    }
    for (c, r) in ps(&x).s.chars().zip(ps(&y).s.chars()) {
        dictops::set(d, val::int(c as i64), val::int(r as i64))?;
    }
    if a.len() == 3 {
        for c in ps(&argn(2)?).s.chars() {
            dictops::set(d, val::int(c as i64), val::none())?;
        }
    }
    Ok(table)
}

/// The arguments of a static method with a placeholder receiver in front, so that the
/// method helpers (which skip `args[0]`) count them right.
fn prepend_none(args: &[PyRef]) -> Vec<PyRef> {
    let mut v = vec![val::none()];
    v.extend_from_slice(args);
    v
}

/// A key of a one-argument `maketrans` dict: a code point.
fn translate_key(k: &PyRef) -> PyResult<PyRef> {
    if let Some(s) = k.as_pystr() {
        let mut chars = s.s.chars();
        return match (chars.next(), chars.next()) {
            (Some(c), None) => Ok(val::int(c as i64)),
            _ => Err(value_error(
                "string keys in translate table must be of length 1",
            )),
        };
    }
    match k.atom() {
        Some(Atom::Int(_) | Atom::Big(_) | Atom::Bool(_)) => Ok(k.clone()),
        _ => Err(type_error(
            "keys in translate table must be strings or integers",
        )),
    }
}

/// `s.translate(table)`: each character looked up in the table by code point.
pub(crate) fn translate(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let s = recv("str.translate", args, str_view)?;
    let table = one("str.translate", args, kw)?;
    let mut out = String::with_capacity(ps(&s).s.len());
    for c in ps(&s).s.chars() {
        match ops::getitem(table, &val::int(c as i64)) {
            Ok(v) => translate_push(&v, &mut out)?,
            Err(e) if e.is("LookupError") => out.push(c),
            Err(e) => return Err(e),
        }
    }
    Ok(val::string(out))
}

/// Appends what a translation table mapped a character to.
fn translate_push(v: &PyRef, out: &mut String) -> PyResult<()> {
    if v.is_none() {
        return Ok(());
    }
    if let Some(s) = str_view(v) {
        out.push_str(&ps(&s).s);
        return Ok(());
    }
    let code = match v.atom() {
        Some(Atom::Int(_) | Atom::Bool(_)) => v.as_i64(),
        Some(Atom::Big(_)) => Some(-1),
        _ => {
            return Err(type_error(
                "character mapping must return integer, None or str",
            ));
        }
    };
    let c = code
        .and_then(|n| u32::try_from(n).ok())
        .and_then(char::from_u32);
    out.push(c.ok_or_else(|| value_error("character mapping must be in range(0x110000)"))?);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_match_cpython() {
        assert_eq!(
            encode("aé", Codec::Latin1, "strict").ok(),
            Some(vec![b'a', 0xe9])
        );
        assert_eq!(
            encode("aé", Codec::Ascii, "replace").ok(),
            Some(b"a?".to_vec())
        );
        assert_eq!(
            encode("aé", Codec::Ascii, "xmlcharrefreplace").ok(),
            Some(b"a&#233;".to_vec())
        );
        assert_eq!(
            encode("a€", Codec::Ascii, "backslashreplace").ok(),
            Some(b"a\\u20ac".to_vec())
        );
        assert_eq!(
            decode(b"a\xffb", Codec::Utf8, "replace").ok().as_deref(),
            Some("a\u{fffd}b")
        );
        assert_eq!(
            decode(b"a\xe2\x82", Codec::Utf8, "backslashreplace")
                .ok()
                .as_deref(),
            Some("a\\xe2\\x82")
        );
        assert_eq!(
            decode(b"\xff", Codec::Latin1, "strict").ok().as_deref(),
            Some("ÿ")
        );
        assert_eq!(lookup("UTF8").ok(), Some(Codec::Utf8));
        assert_eq!(lookup("Latin_1").ok(), Some(Codec::Latin1));
    }
}
