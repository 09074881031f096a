//! (L3) The methods of the built-in types, as tables of built-in functions.
//!
//! Every method receives its bound `self` as `args[0]`. The helpers here check the receiver
//! and the arguments with the messages of CPython's calling conventions, which differ:
//! `METH_O` and `METH_NOARGS` methods ("list.append() takes exactly one argument"),
//! Argument Clinic's positional-only methods ("pop expected at most 1 argument"), Argument
//! Clinic's keyword-accepting ones ("split() takes at most 2 arguments") and the slot
//! wrappers of dunders ("expected 1 argument, got 0").

use crate::code::CmpOp;
use crate::error::{PyErr, PyResult, type_error};
use crate::obj::{Atom, BuiltinDef, PyRef};
use crate::types::{BuiltinType, type_name};

mod bytes;
mod bytesops;
mod codec;
mod dict;
mod floathex;
// `gen` is a reserved word in edition 2024.
#[path = "gen.rs"]
mod generator;
mod list;
mod misc;
mod num;
mod object;
mod set;
// Named apart from the primitive type `str`, which a module `str` would shadow here.
mod strchar;
mod strfmt;
#[path = "str.rs"]
mod string;
mod strops;
#[cfg(test)]
mod tests;
mod tuple;

/// Keyword arguments as the built-ins receive them.
pub(crate) type Kw<'a> = &'a [(PyRef, PyRef)];

/// A table of built-in functions from `name => function` pairs.
macro_rules! defs {
    ($($name:literal => $f:expr),* $(,)?) => {
        &[$(crate::obj::BuiltinDef { name: $name, func: $f }),*]
    };
}
pub(crate) use defs;

/// The methods the type object of `bt` carries in its dict, each to be stored as
/// `Kind::Builtin(&def, None)`.
///
/// The class methods among them (`dict.fromkeys`, `int.from_bytes`, `bytes.fromhex`) take
/// the class first when stored wrapped in `Kind::ClassMethod`, and work unwrapped too when
/// called on the class (see [`class_args`]); `str.maketrans` is a static method.
pub(crate) fn table(bt: BuiltinType) -> &'static [BuiltinDef] {
    use BuiltinType as B;
    match bt {
        B::Object => object::OBJECT,
        B::Type => object::TYPE,
        B::BaseException => object::EXCEPTION,
        B::Int => num::INT,
        B::Float => num::FLOAT,
        B::Complex => num::COMPLEX,
        B::Str => string::METHODS,
        B::Bytes => bytes::BYTES,
        B::ByteArray => bytes::BYTEARRAY,
        B::List => list::METHODS,
        B::Tuple => tuple::METHODS,
        B::Dict => dict::METHODS,
        B::Set => set::SET,
        B::FrozenSet => set::FROZENSET,
        B::Generator => generator::METHODS,
        B::Range => misc::RANGE,
        B::Slice => misc::SLICE,
        B::Property => misc::PROPERTY,
        B::DictKeys => misc::DICT_KEYS,
        B::DictValues => misc::DICT_VALUES,
        B::DictItems => misc::DICT_ITEMS,
        B::Iterator
        | B::RangeIterator
        | B::Enumerate
        | B::Zip
        | B::Map
        | B::Filter
        | B::Reversed => misc::ITERATOR,
        _ => &[],
    }
}

/// The arguments of a class method with the class first: as given when the method was
/// bound to a class (stored as a class method), else with the built-in class `bt` put in
/// front (stored as a plain built-in and called on the class).
pub(crate) fn class_args(args: &[PyRef], bt: BuiltinType) -> Vec<PyRef> {
    if args.first().is_some_and(|c| c.as_type().is_some()) {
        return args.to_vec();
    }
    let mut v = vec![PyRef::O(crate::types::types().get(bt).clone())];
    v.extend_from_slice(args);
    v
}

/// The type part of a qualified method name (`"list"` of `"list.append"`).
fn owner(q: &str) -> &str {
    q.split('.').next().unwrap_or(q)
}

/// The method part of a qualified method name (`"append"` of `"list.append"`).
pub(crate) fn short(q: &str) -> &str {
    q.rsplit('.').next().unwrap_or(q)
}

/// The positional arguments after `self`.
#[inline]
fn rest(args: &[PyRef]) -> &[PyRef] {
    args.get(1..).unwrap_or_default()
}

/// The receiver `args[0]` seen through `view`, or the error CPython's descriptors raise when
/// a method of `q`'s type is called on something else (`list.append(5, 1)`).
pub(crate) fn recv<'a, T>(
    q: &str,
    args: &'a [PyRef],
    view: impl FnOnce(&'a PyRef) -> Option<T>,
) -> PyResult<T> {
    let (ty, name) = (owner(q), short(q));
    let dunder = name.starts_with("__");
    let Some(x) = args.first() else {
        return Err(type_error(if dunder {
            format!("descriptor '{name}' of '{ty}' object needs an argument")
        } else {
            format!("unbound method {q}() needs an argument")
        }));
    };
    view(x).ok_or_else(|| {
        let got = type_name(x);
        type_error(if dunder {
            format!("descriptor '{name}' requires a '{ty}' object but received a '{got}'")
        } else {
            format!("descriptor '{name}' for '{ty}' objects doesn't apply to a '{got}' object")
        })
    })
}

/// Refuses keyword arguments, as every positional-only built-in does.
pub(crate) fn no_kw(q: &str, kw: Kw<'_>) -> PyResult<()> {
    match kw.is_empty() {
        true => Ok(()),
        false => Err(type_error(format!("{q}() takes no keyword arguments"))),
    }
}

/// Checks a `METH_NOARGS` call.
pub(crate) fn noargs(q: &str, args: &[PyRef], kw: Kw<'_>) -> PyResult<()> {
    no_kw(q, kw)?;
    match rest(args).len() {
        0 => Ok(()),
        n => Err(type_error(format!("{q}() takes no arguments ({n} given)"))),
    }
}

/// Checks a `METH_O` call and returns its argument.
pub(crate) fn one<'a>(q: &str, args: &'a [PyRef], kw: Kw<'_>) -> PyResult<&'a PyRef> {
    no_kw(q, kw)?;
    match rest(args) {
        [x] => Ok(x),
        r => Err(type_error(format!(
            "{q}() takes exactly one argument ({} given)",
            r.len()
        ))),
    }
}

/// Checks a positional-only Argument Clinic call taking `min..=max` arguments and returns
/// them (`self` excluded).
pub(crate) fn between<'a>(
    q: &str,
    args: &'a [PyRef],
    kw: Kw<'_>,
    min: usize,
    max: usize,
) -> PyResult<&'a [PyRef]> {
    no_kw(q, kw)?;
    let r = rest(args);
    let (bound, what) = match r.len() {
        n if n < min => (min, "at least "),
        n if n > max => (max, "at most "),
        _ => return Ok(r),
    };
    let what = if min == max { "" } else { what };
    let s = if bound == 1 { "" } else { "s" };
    Err(type_error(format!(
        "{} expected {what}{bound} argument{s}, got {}",
        short(q),
        r.len()
    )))
}

/// Checks a call of a dunder's slot wrapper taking exactly `n` arguments.
pub(crate) fn slot<'a>(q: &str, args: &'a [PyRef], kw: Kw<'_>, n: usize) -> PyResult<&'a [PyRef]> {
    if !kw.is_empty() {
        return Err(type_error(format!(
            "wrapper {}() takes no keyword arguments",
            short(q)
        )));
    }
    let r = rest(args);
    if r.len() != n {
        let s = if n == 1 { "" } else { "s" };
        // Two-argument wrappers unpack with an empty function name: hence CPython's space.
        let lead = if n == 2 { " " } else { "" };
        return Err(type_error(format!(
            "{lead}expected {n} argument{s}, got {}",
            r.len()
        )));
    }
    Ok(r)
}

/// The parameters of an Argument Clinic function that accepts keywords.
pub(crate) struct Params {
    /// The function's name as messages show it (`"split"`).
    pub name: &'static str,
    /// Every parameter's name, in order.
    pub names: &'static [&'static str],
    /// How many leading parameters are positional-only.
    pub posonly: usize,
    /// How many parameters may be given by position (the rest are keyword-only).
    pub maxpos: usize,
    /// How many leading parameters are required.
    pub required: usize,
}

/// Binds a call of a keyword-accepting Argument Clinic function (CPython's
/// `_PyArg_UnpackKeywords`): one slot per parameter, `None` where not given.
pub(crate) fn parse(p: &Params, args: &[PyRef], kw: Kw<'_>) -> PyResult<Vec<Option<PyRef>>> {
    let pos = rest(args);
    check_counts(p, pos.len(), kw.len())?;
    let mut out: Vec<Option<PyRef>> = pos.iter().cloned().map(Some).collect();
    out.resize(p.names.len(), None);
    for (k, v) in kw {
        let key = k.as_str().unwrap_or_default();
        let slot = p.names[p.posonly..]
            .iter()
            .position(|n| *n == key)
            .map(|i| i + p.posonly);
        match slot {
            Some(i) if i < pos.len() => {
                return Err(type_error(format!(
                    "argument for {}() given by name ('{key}') and position ({})",
                    p.name,
                    i + 1
                )));
            }
            Some(i) => out[i] = Some(v.clone()),
            None => return Err(unexpected_keyword(p, key)),
        }
    }
    if let Some(i) = (0..p.required).find(|&i| out[i].is_none()) {
        return Err(type_error(format!(
            "{}() missing required argument '{}' (pos {})",
            p.name,
            p.names[i],
            i + 1
        )));
    }
    Ok(out)
}

/// The counts CPython checks before binding, with its messages.
fn check_counts(p: &Params, npos: usize, nkw: usize) -> PyResult<()> {
    let (name, maxargs) = (p.name, p.names.len());
    if npos + nkw > maxargs {
        let kwd = if npos == 0 { "keyword " } else { "" };
        let s = if maxargs == 1 { "" } else { "s" };
        return Err(type_error(format!(
            "{name}() takes at most {maxargs} {kwd}argument{s} ({} given)",
            npos + nkw
        )));
    }
    if npos > p.maxpos {
        if p.maxpos == 0 {
            return Err(type_error(format!(
                "{name}() takes no positional arguments"
            )));
        }
        let how = if p.required.min(p.posonly) < p.maxpos {
            "at most"
        } else {
            "exactly"
        };
        let s = if p.maxpos == 1 { "" } else { "s" };
        return Err(type_error(format!(
            "{name}() takes {how} {} positional argument{s} ({npos} given)",
            p.maxpos
        )));
    }
    let minpos = p.required.min(p.posonly);
    if npos < minpos {
        let how = if minpos < p.maxpos {
            "at least"
        } else {
            "exactly"
        };
        let s = if minpos == 1 { "" } else { "s" };
        return Err(type_error(format!(
            "{name}() takes {how} {minpos} positional argument{s} ({npos} given)"
        )));
    }
    Ok(())
}

/// The TypeError for an unknown keyword, with CPython's "Did you mean" suggestion.
#[cold]
fn unexpected_keyword(p: &Params, key: &str) -> PyErr {
    if p.names[..p.posonly].contains(&key) {
        return type_error(format!(
            "'{key}' is an invalid keyword argument for {}()",
            p.name
        ));
    }
    let hint = suggest(key, &p.names[p.posonly..])
        .map(|s| format!(". Did you mean '{s}'?"))
        .unwrap_or_default();
    type_error(format!(
        "{}() got an unexpected keyword argument '{key}'{hint}",
        p.name
    ))
}

/// CPython's `_Py_CalculateSuggestions`: the candidate closest to `name` by an edit
/// distance where a case change costs half a substitution, if close enough.
pub(crate) fn suggest<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let mut best: Option<(&str, usize)> = None;
    for &c in candidates {
        if c == name {
            continue;
        }
        let mut max = (name.len() + c.len() + 3) * 2 / 6;
        if let Some((_, d)) = best {
            max = max.min(d.saturating_sub(1));
        }
        let d = levenshtein(name.as_bytes(), c.as_bytes());
        if d <= max && best.is_none_or(|(_, bd)| d < bd) {
            best = Some((c, d));
        }
    }
    best.map(|(c, _)| c)
}

/// The edit distance with moves costing 2, case-only substitutions 1.
fn levenshtein(a: &[u8], b: &[u8]) -> usize {
    let cost = |x: u8, y: u8| match (x, y) {
        _ if x == y => 0,
        _ if x.eq_ignore_ascii_case(&y) => 1,
        _ => 2,
    };
    if a.is_empty() || b.is_empty() {
        return (a.len() + b.len()) * 2;
    }
    let mut row: Vec<usize> = (1..=a.len()).map(|i| i * 2).collect();
    let mut result = 0;
    for (bi, &bc) in b.iter().enumerate() {
        let mut diag = bi * 2;
        result = diag;
        for (ai, &ac) in a.iter().enumerate() {
            let sub = diag + cost(bc, ac);
            diag = row[ai];
            result = (result.min(diag) + 2).min(sub);
            row[ai] = result;
        }
    }
    result
}

/// A slice bound given to `find`, `count`, `index`… (CPython's `_PyEval_SliceIndex`): an
/// integer (clamped to the i64 range) or `None`.
pub(crate) fn slice_index(x: Option<&PyRef>) -> PyResult<Option<i64>> {
    let Some(x) = x.filter(|x| !x.is_none()) else {
        return Ok(None);
    };
    if let Some(Atom::Big(b)) = x.atom() {
        return Ok(Some(if b.sign() == num_bigint::Sign::Minus {
            i64::MIN
        } else {
            i64::MAX
        }));
    }
    if x.as_i64().is_none() && !has_index(x) {
        return Err(type_error(
            "slice indices must be integers or None or have an __index__ method",
        ));
    }
    crate::ops::index(x).map(Some)
}

/// A `start`/`stop` bound of `list.index` and `tuple.index` (CPython's
/// `_PyEval_SliceIndexNotNone`: None is refused).
pub(crate) fn slice_index_not_none(x: Option<&PyRef>) -> PyResult<Option<i64>> {
    match x {
        Some(v)
            if v.is_none()
                || (v.as_i64().is_none()
                    && !matches!(v.atom(), Some(Atom::Big(_)))
                    && !has_index(v)) =>
        {
            Err(type_error(
                "slice indices must be integers or have an __index__ method",
            ))
        }
        _ => slice_index(x),
    }
}

/// Whether `x` is an instance whose class defines `__index__`.
fn has_index(x: &PyRef) -> bool {
    x.as_instance().is_some()
        && crate::types::lookup(&crate::types::type_of(x), "__index__").is_some()
}

/// CPython's `ADJUST_INDICES`: `start` and `end` of a search in a sequence of `len` items,
/// negative ones counted from the end, clamped at 0 and `end` at `len`.
pub(crate) fn adjust(start: Option<i64>, end: Option<i64>, len: usize) -> (usize, usize) {
    let len = len as i64;
    let fix = |i: i64| if i < 0 { (i + len).max(0) } else { i };
    let start = fix(start.unwrap_or(0));
    let end = fix(end.unwrap_or(len)).min(len);
    (start as usize, end as usize)
}

/// An integer argument (`__index__` honoured) that must fit an i64, with CPython's
/// OverflowError for larger ones.
pub(crate) fn int_arg(x: &PyRef) -> PyResult<i64> {
    match x.atom() {
        Some(Atom::Big(_)) => Err(crate::error::overflow_error(
            "Python int too large to convert to C ssize_t",
        )),
        _ => crate::ops::index(x),
    }
}

/// `NotImplemented`, which binary dunders return for operands they do not handle.
pub(crate) fn not_implemented() -> PyResult {
    Ok(crate::val::not_implemented())
}

/// A binary dunder's result: the native operation's, or `NotImplemented` where it has none.
pub(crate) fn or_not_implemented(r: Option<PyRef>) -> PyResult {
    Ok(r.unwrap_or_else(crate::val::not_implemented))
}

/// Whether an ordering satisfies the comparison `op`.
pub(crate) fn cmp_holds(ord: std::cmp::Ordering, op: CmpOp) -> bool {
    crate::seq::ordered(ord, op)
}

/// A rich comparison dunder of a container type (`q` names it): the native comparison of
/// the receiver (checked by `is_self`) with any object, `NotImplemented` where the types
/// do not compare.
pub(crate) fn rich_compare(
    q: &str,
    args: &[PyRef],
    kw: Kw<'_>,
    op: CmpOp,
    is_self: fn(&PyRef) -> bool,
) -> PyResult {
    let x = recv(q, args, |x| is_self(x).then_some(x))?;
    let y = slot1(q, args, kw)?;
    let r = crate::seq::native_compare(x, y, op)?;
    or_not_implemented(r.map(crate::val::bool_))
}

/// A formatting error as the Python exception it names.
pub(crate) fn format_error(e: crate::format::FormatError) -> PyErr {
    crate::seq::format_error(e)
}

/// The one argument of a slot wrapper taking one.
pub(crate) fn slot1<'a>(q: &str, args: &'a [PyRef], kw: Kw<'_>) -> PyResult<&'a PyRef> {
    Ok(&slot(q, args, kw, 1)?[0])
}
