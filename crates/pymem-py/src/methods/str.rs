//! `str`'s methods. The receiver is viewed as a plain str (a str subclass's payload);
//! indices count code points.

use super::strchar as ch;
use super::strops as so;
use super::{
    Kw, Params, adjust, between, defs, int_arg, noargs, one, parse, recv, slice_index, slot, slot1,
};
use crate::code::CmpOp;
use crate::error::{PyResult, type_error, value_error};
use crate::obj::{BuiltinDef, PyRef, PyStr};
use crate::types::type_name;
use crate::{ops, val};

/// The methods of `str`.
pub(crate) static METHODS: &[BuiltinDef] = defs![
    "join" => join, "split" => split, "rsplit" => rsplit, "splitlines" => splitlines,
    "strip" => |a, k| strip("str.strip", a, k, true, true),
    "lstrip" => |a, k| strip("str.lstrip", a, k, true, false),
    "rstrip" => |a, k| strip("str.rstrip", a, k, false, true),
    "replace" => replace,
    "find" => |a, k| find("str.find", a, k, false).map(val::int),
    "rfind" => |a, k| find("str.rfind", a, k, true).map(val::int),
    "index" => |a, k| index("str.index", a, k, false),
    "rindex" => |a, k| index("str.rindex", a, k, true),
    "count" => count,
    "startswith" => |a, k| tailmatch("str.startswith", a, k, false),
    "endswith" => |a, k| tailmatch("str.endswith", a, k, true),
    "upper" => |a, k| map("str.upper", a, k, str::to_uppercase),
    "lower" => |a, k| map("str.lower", a, k, str::to_lowercase),
    "capitalize" => |a, k| map("str.capitalize", a, k, ch::capitalize),
    "title" => |a, k| map("str.title", a, k, ch::title),
    "swapcase" => |a, k| map("str.swapcase", a, k, ch::swapcase),
    "casefold" => |a, k| map("str.casefold", a, k, ch::casefold),
    "isdigit" => |a, k| test("str.isdigit", a, k, |s| ch::all_chars(s, ch::is_digit)),
    "isdecimal" => |a, k| test("str.isdecimal", a, k, |s| ch::all_chars(s, ch::is_decimal)),
    "isnumeric" => |a, k| test("str.isnumeric", a, k, |s| ch::all_chars(s, ch::is_numeric)),
    "isalpha" => |a, k| test("str.isalpha", a, k, |s| ch::all_chars(s, ch::is_alpha)),
    "isalnum" => |a, k| test("str.isalnum", a, k, |s| ch::all_chars(s, ch::is_alnum)),
    "isspace" => |a, k| test("str.isspace", a, k, |s| ch::all_chars(s, ch::is_space)),
    "isascii" => |a, k| test("str.isascii", a, k, str::is_ascii),
    "isprintable" => |a, k| test("str.isprintable", a, k, |s| s.chars().all(ch::is_printable)),
    "isupper" => |a, k| test("str.isupper", a, k, ch::is_upper),
    "islower" => |a, k| test("str.islower", a, k, ch::is_lower),
    "istitle" => |a, k| test("str.istitle", a, k, ch::is_title),
    "isidentifier" => |a, k| test("str.isidentifier", a, k, ch::is_identifier),
    "center" => |a, k| justify("str.center", a, k, Justify::Center),
    "ljust" => |a, k| justify("str.ljust", a, k, Justify::Left),
    "rjust" => |a, k| justify("str.rjust", a, k, Justify::Right),
    "zfill" => zfill, "expandtabs" => expandtabs,
    "partition" => |a, k| partition("str.partition", a, k, false),
    "rpartition" => |a, k| partition("str.rpartition", a, k, true),
    "removeprefix" => |a, k| remove_affix("str.removeprefix", a, k, false),
    "removesuffix" => |a, k| remove_affix("str.removesuffix", a, k, true),
    "format" => super::strfmt::format, "format_map" => super::strfmt::format_map,
    "encode" => super::codec::str_encode, "translate" => super::codec::translate,
    "__len__" => len, "__getitem__" => getitem, "__contains__" => contains, "__iter__" => iter,
    "__add__" => add,
    "__mul__" => |a, k| mul("str.__mul__", a, k),
    "__rmul__" => |a, k| mul("str.__rmul__", a, k),
    "__mod__" => modulo, "__rmod__" => rmodulo,
    "__eq__" => |a, k| compare("str.__eq__", a, k, CmpOp::Eq),
    "__ne__" => |a, k| compare("str.__ne__", a, k, CmpOp::Ne),
    "__lt__" => |a, k| compare("str.__lt__", a, k, CmpOp::Lt),
    "__le__" => |a, k| compare("str.__le__", a, k, CmpOp::Le),
    "__gt__" => |a, k| compare("str.__gt__", a, k, CmpOp::Gt),
    "__ge__" => |a, k| compare("str.__ge__", a, k, CmpOp::Ge),
    "__hash__" => hash, "__str__" => to_str, "__repr__" => repr, "__format__" => format_dunder,
    "maketrans" => super::codec::maketrans,
];

/// `x` as a plain str: itself, or a str subclass instance's payload.
pub(crate) fn str_view(x: &PyRef) -> Option<PyRef> {
    if x.as_pystr().is_some() {
        return Some(x.clone());
    }
    x.as_instance()?;
    crate::seq::payload_value(x).filter(|v| v.as_pystr().is_some())
}

/// The str payload of a value [`str_view`] returned.
pub(crate) fn ps(x: &PyRef) -> &PyStr {
    x.as_pystr().expect("a str view holds a str")
}

/// The receiver as a plain str.
fn this(q: &str, args: &[PyRef]) -> PyResult<PyRef> {
    recv(q, args, str_view)
}

/// A str argument, or TypeError with `msg(type name)`.
pub(crate) fn want_str(x: &PyRef, msg: impl FnOnce(&str) -> String) -> PyResult<PyRef> {
    str_view(x).ok_or_else(|| type_error(msg(&type_name(x))))
}

/// A str argument numbered `n` of `f`: "f() argument n must be str, not int".
fn str_argn(x: &PyRef, f: &str, n: usize) -> PyResult<PyRef> {
    want_str(x, |t| format!("{f}() argument {n} must be str, not {t}"))
}

/// A transformation taking no arguments.
fn map(q: &str, args: &[PyRef], kw: Kw<'_>, f: impl FnOnce(&str) -> String) -> PyResult {
    let s = this(q, args)?;
    noargs(q, args, kw)?;
    Ok(val::string(f(&ps(&s).s)))
}

/// A predicate taking no arguments.
fn test(q: &str, args: &[PyRef], kw: Kw<'_>, f: impl FnOnce(&str) -> bool) -> PyResult {
    let s = this(q, args)?;
    noargs(q, args, kw)?;
    Ok(val::bool_(f(&ps(&s).s)))
}

/// A list of str objects.
fn str_list<'a>(parts: impl IntoIterator<Item = &'a str>) -> PyRef {
    val::list(parts.into_iter().map(val::str_).collect())
}

/// `sep.join(iterable)`.
fn join(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let sep = this("str.join", args)?;
    let it = one("str.join", args, kw)?;
    let it = ops::iter(it).map_err(|e| {
        if e.is("TypeError") {
            type_error("can only join an iterable")
        } else {
            e
        }
    })?;
    let mut out = String::new();
    let mut i = 0;
    while let Some(x) = ops::next(&it)? {
        let Some(s) = str_view(&x) else {
            return Err(type_error(format!(
                "sequence item {i}: expected str instance, {} found",
                type_name(&x)
            )));
        };
        if i > 0 {
            out.push_str(&ps(&sep).s);
        }
        out.push_str(&ps(&s).s);
        i += 1;
    }
    Ok(val::string(out))
}

/// The parameters of `split` and `rsplit`.
const fn split_params(name: &'static str) -> Params {
    Params {
        name,
        names: &["sep", "maxsplit"],
        posonly: 0,
        maxpos: 2,
        required: 0,
    }
}

/// The separator (None for whitespace) and the limit of `split`/`rsplit`.
fn split_args(
    q: &str,
    args: &[PyRef],
    kw: Kw<'_>,
    p: &Params,
) -> PyResult<(PyRef, Option<PyRef>, i64)> {
    let s = this(q, args)?;
    let a = parse(p, args, kw)?;
    let sep = match a[0].as_ref().filter(|x| !x.is_none()) {
        Some(x) => Some(want_str(x, |t| format!("must be str or None, not {t}"))?),
        None => None,
    };
    if sep.as_ref().is_some_and(|x| ps(x).s.is_empty()) {
        return Err(value_error("empty separator"));
    }
    let max = a[1].as_ref().map(int_arg).transpose()?.unwrap_or(-1);
    Ok((s, sep, max))
}

/// `s.split(sep=None, maxsplit=-1)`.
fn split(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let (s, sep, max) = split_args("str.split", args, kw, &split_params("split"))?;
    let s = &ps(&s).s;
    Ok(match sep {
        Some(sep) => str_list(so::split_sep(s, &ps(&sep).s, max)),
        None => str_list(so::split_ws(s, max)),
    })
}

/// `s.rsplit(sep=None, maxsplit=-1)`.
fn rsplit(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let (s, sep, max) = split_args("str.rsplit", args, kw, &split_params("rsplit"))?;
    let s = &ps(&s).s;
    Ok(match sep {
        Some(sep) => str_list(so::rsplit_sep(s, &ps(&sep).s, max)),
        None => str_list(so::rsplit_ws(s, max)),
    })
}

/// `s.splitlines(keepends=False)`.
fn splitlines(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    const P: Params = Params {
        name: "splitlines",
        names: &["keepends"],
        posonly: 0,
        maxpos: 1,
        required: 0,
    };
    let s = this("str.splitlines", args)?;
    let a = parse(&P, args, kw)?;
    let keep = a[0].as_ref().map(ops::truthy).transpose()?.unwrap_or(false);
    Ok(str_list(so::splitlines(&ps(&s).s, keep)))
}

/// `s.strip(chars=None)` and its one-sided forms.
fn strip(q: &str, args: &[PyRef], kw: Kw<'_>, left: bool, right: bool) -> PyResult {
    let s = this(q, args)?;
    let chars = match between(q, args, kw, 0, 1)?.first().filter(|x| !x.is_none()) {
        Some(c) => Some(want_str(c, |_| {
            format!("{} arg must be None or str", super::short(q))
        })?),
        None => None,
    };
    let out = so::strip(&ps(&s).s, chars.as_ref().map(|c| &*ps(c).s), left, right);
    Ok(if out.len() == ps(&s).s.len() {
        s.clone()
    } else {
        val::str_(out)
    })
}

/// `s.replace(old, new, /, count=-1)`.
fn replace(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    const P: Params = Params {
        name: "replace",
        names: &["old", "new", "count"],
        posonly: 2,
        maxpos: 3,
        required: 2,
    };
    let s = this("str.replace", args)?;
    let a = parse(&P, args, kw)?;
    let old = str_argn(a[0].as_ref().expect("required"), "replace", 1)?;
    let new = str_argn(a[1].as_ref().expect("required"), "replace", 2)?;
    let count = a[2].as_ref().map(int_arg).transpose()?.unwrap_or(-1);
    Ok(val::string(so::replace(
        &ps(&s).s,
        &ps(&old).s,
        &ps(&new).s,
        count,
    )))
}

/// The receiver, the substring and the adjusted bounds of `find`, `count`, `index`…
fn search_args(q: &str, args: &[PyRef], kw: Kw<'_>) -> PyResult<(PyRef, PyRef, (usize, usize))> {
    let s = this(q, args)?;
    let a = between(q, args, kw, 1, 3)?;
    let sub = str_argn(&a[0], super::short(q), 1)?;
    let (start, end) = (slice_index(a.get(1))?, slice_index(a.get(2))?);
    let bounds = adjust(start, end, ps(&s).nchars);
    Ok((s, sub, bounds))
}

/// `s.find(sub[, start[, end]])` and `rfind`.
fn find(q: &str, args: &[PyRef], kw: Kw<'_>, rev: bool) -> PyResult<i64> {
    let (s, sub, bounds) = search_args(q, args, kw)?;
    Ok(so::find(ps(&s), &ps(&sub).s, bounds, rev))
}

/// `s.index(sub[, start[, end]])` and `rindex`.
fn index(q: &str, args: &[PyRef], kw: Kw<'_>, rev: bool) -> PyResult {
    match find(q, args, kw, rev)? {
        -1 => Err(value_error("substring not found")),
        i => Ok(val::int(i)),
    }
}

/// `s.count(sub[, start[, end]])`.
fn count(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let (s, sub, bounds) = search_args("str.count", args, kw)?;
    Ok(val::int(so::count(ps(&s), &ps(&sub).s, bounds) as i64))
}

/// `s.startswith(prefix[, start[, end]])` and `endswith`; the prefix may be a tuple.
fn tailmatch(q: &str, args: &[PyRef], kw: Kw<'_>, suffix: bool) -> PyResult {
    let s = this(q, args)?;
    let a = between(q, args, kw, 1, 3)?;
    let bounds = adjust(
        slice_index(a.get(1))?,
        slice_index(a.get(2))?,
        ps(&s).nchars,
    );
    let name = super::short(q);
    if let Some(items) = a[0].as_tuple() {
        for x in items {
            let sub = want_str(x, |t| {
                format!("tuple for {name} must only contain str, not {t}")
            })?;
            if so::tailmatch(ps(&s), ps(&sub), bounds, suffix) {
                return Ok(val::bool_(true));
            }
        }
        return Ok(val::bool_(false));
    }
    let sub = want_str(&a[0], |t| {
        format!("{name} first arg must be str or a tuple of str, not {t}")
    })?;
    Ok(val::bool_(so::tailmatch(ps(&s), ps(&sub), bounds, suffix)))
}

/// Where `center`, `ljust` and `rjust` put the text.
#[derive(Clone, Copy)]
enum Justify {
    Left,
    Right,
    Center,
}

/// A width argument; widths beyond any possible string fail as CPython's allocation does.
fn width_arg(x: &PyRef) -> PyResult<usize> {
    let w = int_arg(x)?;
    if w > (1 << 40) {
        return Err(crate::error::err("MemoryError", ""));
    }
    Ok(w.max(0) as usize)
}

/// `s.center(width, fillchar=' ')`, `ljust`, `rjust`.
fn justify(q: &str, args: &[PyRef], kw: Kw<'_>, how: Justify) -> PyResult {
    let s = this(q, args)?;
    let a = between(q, args, kw, 1, 2)?;
    let width = width_arg(&a[0])?;
    let fill = match a.get(1) {
        Some(f) => fill_char(f)?,
        None => ' ',
    };
    let n = ps(&s).nchars;
    if n >= width {
        return Ok(s.clone());
    }
    let (l, r) = match how {
        Justify::Left => (0, width - n),
        Justify::Right => (width - n, 0),
        Justify::Center => so::center_margins(n, width),
    };
    Ok(val::string(so::pad(&ps(&s).s, l, r, fill)))
}

/// The fill character of `center` and friends.
fn fill_char(f: &PyRef) -> PyResult<char> {
    let f = want_str(f, |t| {
        format!("The fill character must be a unicode character, not {t}")
    })?;
    let mut chars = ps(&f).s.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Ok(c),
        _ => Err(type_error(
            "The fill character must be exactly one character long",
        )),
    }
}

/// `s.zfill(width)`.
fn zfill(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let s = this("str.zfill", args)?;
    let width = width_arg(one("str.zfill", args, kw)?)?;
    let p = ps(&s);
    if p.nchars >= width {
        return Ok(s.clone());
    }
    Ok(val::string(so::zfill(&p.s, p.nchars, width)))
}

/// `s.expandtabs(tabsize=8)`.
fn expandtabs(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    const P: Params = Params {
        name: "expandtabs",
        names: &["tabsize"],
        posonly: 0,
        maxpos: 1,
        required: 0,
    };
    let s = this("str.expandtabs", args)?;
    let a = parse(&P, args, kw)?;
    let tab = a[0].as_ref().map(int_arg).transpose()?.unwrap_or(8);
    Ok(val::string(so::expandtabs(&ps(&s).s, tab)))
}

/// `s.partition(sep)` and `rpartition`.
fn partition(q: &str, args: &[PyRef], kw: Kw<'_>, rev: bool) -> PyResult {
    let s = this(q, args)?;
    let sep = want_str(one(q, args, kw)?, |t| format!("must be str, not {t}"))?;
    let (text, seps) = (&ps(&s).s, &ps(&sep).s);
    if seps.is_empty() {
        return Err(value_error("empty separator"));
    }
    let found = if rev {
        text.rfind(&**seps)
    } else {
        text.find(&**seps)
    };
    let empty = val::str_("");
    let parts = match found {
        Some(i) => vec![
            val::str_(&text[..i]),
            sep.clone(),
            val::str_(&text[i + seps.len()..]),
        ],
        None if rev => vec![empty.clone(), empty, s.clone()],
        None => vec![s.clone(), empty.clone(), empty],
    };
    Ok(val::tuple(parts))
}

/// `s.removeprefix(prefix)` and `removesuffix`.
fn remove_affix(q: &str, args: &[PyRef], kw: Kw<'_>, suffix: bool) -> PyResult {
    let s = this(q, args)?;
    let name = super::short(q);
    let a = want_str(one(q, args, kw)?, |t| {
        format!("{name}() argument must be str, not {t}")
    })?;
    let (text, affix) = (&ps(&s).s, &*ps(&a).s);
    let cut = if suffix {
        text.strip_suffix(affix)
    } else {
        text.strip_prefix(affix)
    };
    Ok(match cut {
        Some(rest) if !affix.is_empty() => val::str_(rest),
        _ => s.clone(),
    })
}

/// `str.__len__`.
fn len(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let s = this("str.__len__", args)?;
    slot("str.__len__", args, kw, 0)?;
    Ok(val::int(ps(&s).nchars as i64))
}

/// `str.__getitem__`.
fn getitem(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let s = this("str.__getitem__", args)?;
    ops::getitem(&s, one("str.__getitem__", args, kw)?)
}

/// `str.__contains__`.
fn contains(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let s = this("str.__contains__", args)?;
    let x = slot1("str.__contains__", args, kw)?;
    ops::contains(&s, x).map(val::bool_)
}

/// `str.__iter__`.
fn iter(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let s = this("str.__iter__", args)?;
    slot("str.__iter__", args, kw, 0)?;
    ops::iter(&s)
}

/// `str.__add__`: only str concatenates with str.
fn add(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let s = this("str.__add__", args)?;
    let x = slot1("str.__add__", args, kw)?;
    let o = want_str(x, |t| {
        format!("can only concatenate str (not \"{t}\") to str")
    })?;
    Ok(val::string(format!("{}{}", ps(&s).s, ps(&o).s)))
}

/// `str.__mul__` and `__rmul__`: repetition by an integer.
fn mul(q: &str, args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let s = this(q, args)?;
    let x = slot1(q, args, kw)?;
    let n = int_arg(x)?.max(0) as usize;
    let text = &ps(&s).s;
    if n.checked_mul(text.len())
        .is_none_or(|total| total > (1 << 40))
    {
        return Err(crate::error::overflow_error("repeated string is too long"));
    }
    Ok(val::string(text.repeat(n)))
}

/// `str.__mod__`: printf-style formatting.
fn modulo(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let s = this("str.__mod__", args)?;
    let x = slot1("str.__mod__", args, kw)?;
    match crate::seq::native_binary(crate::code::BinOp::Mod, &s, x)? {
        Some(r) => Ok(r),
        None => super::not_implemented(),
    }
}

/// `str.__rmod__`: `other % self` when `other` is a str.
fn rmodulo(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let s = this("str.__rmod__", args)?;
    let x = slot1("str.__rmod__", args, kw)?;
    match str_view(x) {
        Some(fmt) => crate::seq::native_binary(crate::code::BinOp::Mod, &fmt, &s)?
            .map_or_else(super::not_implemented, Ok),
        None => super::not_implemented(),
    }
}

/// The rich comparisons: code point order against another str, else NotImplemented.
fn compare(q: &str, args: &[PyRef], kw: Kw<'_>, op: CmpOp) -> PyResult {
    let s = this(q, args)?;
    let x = slot1(q, args, kw)?;
    let Some(o) = str_view(x) else {
        return super::not_implemented();
    };
    Ok(val::bool_(super::cmp_holds(ps(&s).s.cmp(&ps(&o).s), op)))
}

/// `str.__hash__`.
fn hash(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let s = this("str.__hash__", args)?;
    slot("str.__hash__", args, kw, 0)?;
    Ok(val::int(ops::hash(&s)? as i64))
}

/// `str.__str__`: the plain str.
fn to_str(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let s = this("str.__str__", args)?;
    slot("str.__str__", args, kw, 0)?;
    Ok(s)
}

/// `str.__repr__`.
fn repr(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let s = this("str.__repr__", args)?;
    slot("str.__repr__", args, kw, 0)?;
    ops::repr(&s).map(val::string)
}

/// `str.__format__(spec)`.
fn format_dunder(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let s = this("str.__format__", args)?;
    let spec = want_str(one("str.__format__", args, kw)?, |t| {
        format!("__format__() argument must be str, not {t}")
    })?;
    let out = crate::format::format_str(&ps(&s).s, &ps(&spec).s).map_err(super::format_error)?;
    Ok(val::string(out))
}
