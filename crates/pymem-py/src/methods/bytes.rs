//! The methods of `bytes` and `bytearray`. The two share their read-only methods (each
//! returning its own type), and bytearray adds the mutating ones.

use super::bytesops as bo;
use super::codec::{codec_args, decode};
use super::{
    Kw, Params, adjust, between, defs, int_arg, noargs, one, parse, recv, slice_index, slot, slot1,
};
use crate::code::{BinOp, CmpOp};
use crate::error::{PyResult, index_error, type_error, value_error};
use crate::obj::{Atom, BuiltinDef, Kind, PyRef};
use crate::types::type_name;
use crate::{call, ops, seq, val};

/// The methods both types have, each qualified by the type's name `$t`, then `$extra`.
macro_rules! byte_table {
    ($t:literal; $($extra:tt)*) => {
        defs![
            "decode" => |a, k| decode_method(concat!($t, ".decode"), a, k),
            "hex" => |a, k| hex(concat!($t, ".hex"), a, k),
            "join" => |a, k| join(concat!($t, ".join"), a, k),
            "split" => |a, k| split(concat!($t, ".split"), a, k, false),
            "rsplit" => |a, k| split(concat!($t, ".rsplit"), a, k, true),
            "splitlines" => |a, k| splitlines(concat!($t, ".splitlines"), a, k),
            "strip" => |a, k| strip(concat!($t, ".strip"), a, k, true, true),
            "lstrip" => |a, k| strip(concat!($t, ".lstrip"), a, k, true, false),
            "rstrip" => |a, k| strip(concat!($t, ".rstrip"), a, k, false, true),
            "startswith" => |a, k| tailmatch(concat!($t, ".startswith"), a, k, false),
            "endswith" => |a, k| tailmatch(concat!($t, ".endswith"), a, k, true),
            "find" => |a, k| find(concat!($t, ".find"), a, k, false).map(val::int),
            "rfind" => |a, k| find(concat!($t, ".rfind"), a, k, true).map(val::int),
            "index" => |a, k| index(concat!($t, ".index"), a, k, false),
            "rindex" => |a, k| index(concat!($t, ".rindex"), a, k, true),
            "count" => |a, k| count(concat!($t, ".count"), a, k),
            "replace" => |a, k| replace(concat!($t, ".replace"), a, k),
            "partition" => |a, k| partition(concat!($t, ".partition"), a, k, false),
            "rpartition" => |a, k| partition(concat!($t, ".rpartition"), a, k, true),
            "removeprefix" => |a, k| remove_affix(concat!($t, ".removeprefix"), a, k, false),
            "removesuffix" => |a, k| remove_affix(concat!($t, ".removesuffix"), a, k, true),
            "center" => |a, k| justify(concat!($t, ".center"), a, k, 0),
            "ljust" => |a, k| justify(concat!($t, ".ljust"), a, k, -1),
            "rjust" => |a, k| justify(concat!($t, ".rjust"), a, k, 1),
            "zfill" => |a, k| zfill(concat!($t, ".zfill"), a, k),
            "upper" => |a, k| map(concat!($t, ".upper"), a, k, |b| b.to_ascii_uppercase()),
            "lower" => |a, k| map(concat!($t, ".lower"), a, k, |b| b.to_ascii_lowercase()),
            "swapcase" => |a, k| map(concat!($t, ".swapcase"), a, k, bo::swapcase),
            "capitalize" => |a, k| map(concat!($t, ".capitalize"), a, k, bo::capitalize),
            "title" => |a, k| map(concat!($t, ".title"), a, k, bo::title),
            "isdigit" => |a, k| test(concat!($t, ".isdigit"), a, k, |b| all(b, u8::is_ascii_digit)),
            "isalpha" => |a, k| {
                test(concat!($t, ".isalpha"), a, k, |b| all(b, u8::is_ascii_alphabetic))
            },
            "isalnum" => |a, k| {
                test(concat!($t, ".isalnum"), a, k, |b| all(b, u8::is_ascii_alphanumeric))
            },
            "isspace" => |a, k| test(concat!($t, ".isspace"), a, k, |b| all(b, bo::is_space)),
            "isascii" => |a, k| test(concat!($t, ".isascii"), a, k, <[u8]>::is_ascii),
            "isupper" => |a, k| test(concat!($t, ".isupper"), a, k, bo::is_upper),
            "islower" => |a, k| test(concat!($t, ".islower"), a, k, bo::is_lower),
            "istitle" => |a, k| test(concat!($t, ".istitle"), a, k, bo::is_title),
            "__len__" => |a, k| len(concat!($t, ".__len__"), a, k),
            "__getitem__" => |a, k| getitem(concat!($t, ".__getitem__"), a, k),
            "__contains__" => |a, k| contains(concat!($t, ".__contains__"), a, k),
            "__iter__" => |a, k| iter(concat!($t, ".__iter__"), a, k),
            "__add__" => |a, k| binary(concat!($t, ".__add__"), a, k, BinOp::Add),
            "__mul__" => |a, k| binary(concat!($t, ".__mul__"), a, k, BinOp::Mul),
            "__rmul__" => |a, k| binary(concat!($t, ".__rmul__"), a, k, BinOp::Mul),
            "__mod__" => |a, k| modulo(concat!($t, ".__mod__"), a, k),
            "__eq__" => |a, k| compare(concat!($t, ".__eq__"), a, k, CmpOp::Eq),
            "__ne__" => |a, k| compare(concat!($t, ".__ne__"), a, k, CmpOp::Ne),
            "__lt__" => |a, k| compare(concat!($t, ".__lt__"), a, k, CmpOp::Lt),
            "__le__" => |a, k| compare(concat!($t, ".__le__"), a, k, CmpOp::Le),
            "__gt__" => |a, k| compare(concat!($t, ".__gt__"), a, k, CmpOp::Gt),
            "__ge__" => |a, k| compare(concat!($t, ".__ge__"), a, k, CmpOp::Ge),
            "__repr__" => |a, k| repr(concat!($t, ".__repr__"), a, k),
            $($extra)*
        ]
    };
}

/// The methods of `bytes`.
pub(crate) static BYTES: &[BuiltinDef] = byte_table!["bytes";
    "__hash__" => hash, "fromhex" => |a, k| fromhex("bytes.fromhex", a, k),
];

/// The methods of `bytearray`.
pub(crate) static BYTEARRAY: &[BuiltinDef] = byte_table!["bytearray";
    "append" => append, "extend" => extend, "pop" => pop, "insert" => insert, "remove" => remove,
    "clear" => clear, "copy" => copy, "reverse" => reverse,
    "__setitem__" => setitem, "__delitem__" => delitem, "__iadd__" => iadd,
    "fromhex" => |a, k| fromhex("bytearray.fromhex", a, k),
];

/// Whether the method named `q` is bytearray's.
fn is_array(q: &str) -> bool {
    q.starts_with("bytearray")
}

/// Whether `x` is of the method's type (a bytearray subclass included).
fn is_own(q: &str, x: &PyRef) -> bool {
    match is_array(q) {
        true => matches!(x.payload(), Some(Kind::ByteArray(_))),
        false => matches!(x.atom(), Some(Atom::Bytes(_))),
    }
}

/// The receiver's bytes (a copy: no borrow is kept while Python code may run).
fn this(q: &str, args: &[PyRef]) -> PyResult<Vec<u8>> {
    recv(
        q,
        args,
        |x| if is_own(q, x) { seq::bytes_of(x) } else { None },
    )
}

/// The bytearray the receiver holds.
fn cell<'a>(q: &str, args: &'a [PyRef]) -> PyResult<&'a crate::traced::TracedBytes> {
    recv(q, args, |x| match x.payload() {
        Some(Kind::ByteArray(b)) => Some(b),
        _ => None,
    })
}

/// A result of the method's type.
fn make(q: &str, v: Vec<u8>) -> PyRef {
    if is_array(q) {
        seq::bytearray(v)
    } else {
        val::bytes(v)
    }
}

/// A bytes-like argument's bytes.
fn bytes_arg(x: &PyRef) -> PyResult<Vec<u8>> {
    seq::bytes_of(x).ok_or_else(|| {
        type_error(format!(
            "a bytes-like object is required, not '{}'",
            type_name(x)
        ))
    })
}

/// A byte value (0..=255) from an integer.
fn byte_value(x: &PyRef) -> PyResult<u8> {
    let i = match x.atom() {
        Some(Atom::Big(_)) => -1,
        _ => ops::index(x)?,
    };
    u8::try_from(i).map_err(|_| value_error("byte must be in range(0, 256)"))
}

/// The needle of `find`, `count`, `index`: a byte value or bytes-like.
fn needle(x: &PyRef) -> PyResult<Vec<u8>> {
    if let Some(b) = seq::bytes_of(x) {
        return Ok(b);
    }
    if x.as_i64().is_some() || matches!(x.atom(), Some(Atom::Big(_))) || x.as_instance().is_some() {
        return byte_value(x).map(|b| vec![b]);
    }
    Err(type_error(format!(
        "argument should be integer or bytes-like object, not '{}'",
        type_name(x)
    )))
}

/// Whether every byte satisfies `f`, and there is one.
fn all(b: &[u8], f: fn(&u8) -> bool) -> bool {
    !b.is_empty() && b.iter().all(f)
}

/// A transformation taking no arguments.
fn map(q: &str, args: &[PyRef], kw: Kw<'_>, f: impl FnOnce(&[u8]) -> Vec<u8>) -> PyResult {
    let b = this(q, args)?;
    noargs(q, args, kw)?;
    Ok(make(q, f(&b)))
}

/// A predicate taking no arguments.
fn test(q: &str, args: &[PyRef], kw: Kw<'_>, f: impl FnOnce(&[u8]) -> bool) -> PyResult {
    let b = this(q, args)?;
    noargs(q, args, kw)?;
    Ok(val::bool_(f(&b)))
}

/// `b.decode(encoding='utf-8', errors='strict')`.
fn decode_method(q: &str, args: &[PyRef], kw: Kw<'_>) -> PyResult {
    const P: Params = Params {
        name: "decode",
        names: &["encoding", "errors"],
        posonly: 0,
        maxpos: 2,
        required: 0,
    };
    let b = this(q, args)?;
    let (codec, errors) = codec_args(&P, args, kw)?;
    Ok(val::string(decode(&b, codec, &errors)?))
}

/// `b.hex(sep=None, bytes_per_sep=1)`.
fn hex(q: &str, args: &[PyRef], kw: Kw<'_>) -> PyResult {
    const P: Params = Params {
        name: "hex",
        names: &["sep", "bytes_per_sep"],
        posonly: 0,
        maxpos: 2,
        required: 0,
    };
    let b = this(q, args)?;
    let a = parse(&P, args, kw)?;
    let sep = match &a[0] {
        Some(s) => Some(hex_sep(s)?),
        None => None,
    };
    let per = a[1].as_ref().map(int_arg).transpose()?.unwrap_or(1);
    Ok(val::string(bo::hex(&b, sep, per)))
}

/// The separator of `hex`: one ASCII character, given as str or bytes.
fn hex_sep(s: &PyRef) -> PyResult<char> {
    let text: Vec<char> = match (s.as_str(), seq::bytes_of(s)) {
        (Some(t), _) => t.chars().collect(),
        (_, Some(b)) => b.iter().map(|&x| x as char).collect(),
        _ => {
            return Err(type_error(format!(
                "object of type '{}' has no len()",
                type_name(s)
            )));
        }
    };
    match text[..] {
        [c] if c.is_ascii() => Ok(c),
        [_] => Err(value_error("sep must be ASCII.")),
        _ => Err(value_error("sep must be length 1.")),
    }
}

/// `bytes.fromhex(string)`, `bytearray.fromhex(string)`, class methods.
fn fromhex(q: &str, args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let bt = if is_array(q) {
        crate::types::BuiltinType::ByteArray
    } else {
        crate::types::BuiltinType::Bytes
    };
    let args = &super::class_args(args, bt)[..];
    let s = one(q, args, kw)?;
    let Some(text) = s.as_str() else {
        return Err(type_error(format!(
            "fromhex() argument must be str, not {}",
            type_name(s)
        )));
    };
    let data = bo::fromhex(text).map_err(|i| {
        value_error(format!(
            "non-hexadecimal number found in fromhex() arg at position {i}"
        ))
    })?;
    let cls = &args[0];
    let base = crate::types::types().get(bt);
    match cls.obj() {
        Some(c) if !pymem::Gc::ptr_eq(c, base) && cls.as_type().is_some() => {
            call::call(cls, &[make(q, data)], &[])
        }
        _ => Ok(make(q, data)),
    }
}

/// `sep.join(iterable)`.
fn join(q: &str, args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let sep = this(q, args)?;
    let it = ops::iter(one(q, args, kw)?).map_err(|e| {
        if e.is("TypeError") {
            type_error("can only join an iterable")
        } else {
            e
        }
    })?;
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(x) = ops::next(&it)? {
        let Some(b) = seq::bytes_of(&x) else {
            return Err(type_error(format!(
                "sequence item {i}: expected a bytes-like object, {} found",
                type_name(&x)
            )));
        };
        if i > 0 {
            out.extend_from_slice(&sep);
        }
        out.extend_from_slice(&b);
        i += 1;
    }
    Ok(make(q, out))
}

/// A list of results of the method's type.
fn parts(q: &str, v: Vec<&[u8]>) -> PyRef {
    val::list(v.into_iter().map(|p| make(q, p.to_vec())).collect())
}

/// `b.split(sep=None, maxsplit=-1)` and `rsplit`.
fn split(q: &str, args: &[PyRef], kw: Kw<'_>, rev: bool) -> PyResult {
    let name = if rev { "rsplit" } else { "split" };
    let p = Params {
        name,
        names: &["sep", "maxsplit"],
        posonly: 0,
        maxpos: 2,
        required: 0,
    };
    let b = this(q, args)?;
    let a = parse(&p, args, kw)?;
    let sep = a[0]
        .as_ref()
        .filter(|x| !x.is_none())
        .map(bytes_arg)
        .transpose()?;
    let max = a[1].as_ref().map(int_arg).transpose()?.unwrap_or(-1);
    Ok(match sep {
        Some(s) if s.is_empty() => return Err(value_error("empty separator")),
        Some(s) => parts(q, bo::split(&b, &s, max, rev)),
        None => parts(q, bo::split_ws(&b, max, rev)),
    })
}

/// `b.splitlines(keepends=False)`.
fn splitlines(q: &str, args: &[PyRef], kw: Kw<'_>) -> PyResult {
    const P: Params = Params {
        name: "splitlines",
        names: &["keepends"],
        posonly: 0,
        maxpos: 1,
        required: 0,
    };
    let b = this(q, args)?;
    let a = parse(&P, args, kw)?;
    let keep = a[0].as_ref().map(ops::truthy).transpose()?.unwrap_or(false);
    Ok(parts(q, bo::splitlines(&b, keep)))
}

/// `b.strip(bytes=None)` and its one-sided forms.
fn strip(q: &str, args: &[PyRef], kw: Kw<'_>, left: bool, right: bool) -> PyResult {
    let b = this(q, args)?;
    let chars = between(q, args, kw, 0, 1)?
        .first()
        .filter(|x| !x.is_none())
        .map(bytes_arg)
        .transpose()?;
    Ok(make(
        q,
        bo::strip(&b, chars.as_deref(), left, right).to_vec(),
    ))
}

/// The receiver's bytes, the needle and the adjusted bounds of a search.
type Search = (Vec<u8>, Vec<u8>, (usize, usize));

/// The receiver, needle and adjusted bounds of `find`, `count`, `index`…
fn search_args(q: &str, args: &[PyRef], kw: Kw<'_>) -> PyResult<Search> {
    let b = this(q, args)?;
    let a = between(q, args, kw, 1, 3)?;
    let sub = needle(&a[0])?;
    let bounds = adjust(slice_index(a.get(1))?, slice_index(a.get(2))?, b.len());
    Ok((b, sub, bounds))
}

/// `b.find(sub[, start[, end]])` and `rfind`.
fn find(q: &str, args: &[PyRef], kw: Kw<'_>, rev: bool) -> PyResult<i64> {
    let (b, sub, bounds) = search_args(q, args, kw)?;
    Ok(bo::find(&b, &sub, bounds, rev))
}

/// `b.index(sub[, start[, end]])` and `rindex`.
fn index(q: &str, args: &[PyRef], kw: Kw<'_>, rev: bool) -> PyResult {
    match find(q, args, kw, rev)? {
        -1 => Err(value_error("subsection not found")),
        i => Ok(val::int(i)),
    }
}

/// `b.count(sub[, start[, end]])`.
fn count(q: &str, args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let (b, sub, bounds) = search_args(q, args, kw)?;
    Ok(val::int(bo::count(&b, &sub, bounds) as i64))
}

/// `b.startswith(prefix[, start[, end]])` and `endswith`; the prefix may be a tuple.
fn tailmatch(q: &str, args: &[PyRef], kw: Kw<'_>, suffix: bool) -> PyResult {
    let b = this(q, args)?;
    let a = between(q, args, kw, 1, 3)?;
    let bounds = adjust(slice_index(a.get(1))?, slice_index(a.get(2))?, b.len());
    let subs = match (a[0].as_tuple(), seq::bytes_of(&a[0])) {
        (Some(items), _) => items.to_vec(),
        (None, Some(_)) => vec![a[0].clone()],
        _ => {
            let (name, t) = (super::short(q), type_name(&a[0]));
            return Err(type_error(format!(
                "{name} first arg must be bytes or a tuple of bytes, not {t}"
            )));
        }
    };
    for s in subs {
        if bo::tailmatch(&b, &bytes_arg(&s)?, bounds, suffix) {
            return Ok(val::bool_(true));
        }
    }
    Ok(val::bool_(false))
}

/// `b.replace(old, new, count=-1, /)`.
fn replace(q: &str, args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let b = this(q, args)?;
    let a = between(q, args, kw, 2, 3)?;
    let (old, new) = (bytes_arg(&a[0])?, bytes_arg(&a[1])?);
    let count = a.get(2).map(int_arg).transpose()?.unwrap_or(-1);
    Ok(make(q, bo::replace(&b, &old, &new, count)))
}

/// `b.partition(sep)` and `rpartition`.
fn partition(q: &str, args: &[PyRef], kw: Kw<'_>, rev: bool) -> PyResult {
    let b = this(q, args)?;
    let sep = bytes_arg(one(q, args, kw)?)?;
    if sep.is_empty() {
        return Err(value_error("empty separator"));
    }
    let found = bo::find(&b, &sep, (0, b.len()), rev);
    let (x, y, z) = match usize::try_from(found) {
        Ok(i) => (&b[..i], &sep[..], &b[i + sep.len()..]),
        Err(_) if rev => (&b[..0], &b[..0], &b[..]),
        Err(_) => (&b[..], &b[..0], &b[..0]),
    };
    Ok(val::tuple(vec![
        make(q, x.to_vec()),
        make(q, y.to_vec()),
        make(q, z.to_vec()),
    ]))
}

/// `b.removeprefix(prefix)` and `removesuffix`.
fn remove_affix(q: &str, args: &[PyRef], kw: Kw<'_>, suffix: bool) -> PyResult {
    let b = this(q, args)?;
    let affix = bytes_arg(one(q, args, kw)?)?;
    let cut = if suffix {
        b.strip_suffix(&affix[..])
    } else {
        b.strip_prefix(&affix[..])
    };
    Ok(make(q, cut.unwrap_or(&b).to_vec()))
}

/// `b.center(width, fillchar=b' ')` (`how` 0), `ljust` (-1), `rjust` (1).
fn justify(q: &str, args: &[PyRef], kw: Kw<'_>, how: i8) -> PyResult {
    let b = this(q, args)?;
    let a = between(q, args, kw, 1, 2)?;
    let width = int_arg(&a[0])?.clamp(0, 1 << 40) as usize;
    let fill = match a.get(1) {
        Some(f) => match seq::bytes_of(f).as_deref() {
            Some(&[c]) => c,
            _ => {
                let (name, t) = (super::short(q), type_name(f));
                return Err(type_error(format!(
                    "{name}() argument 2 must be a byte string of length 1, not {t}"
                )));
            }
        },
        None => b' ',
    };
    let marg = width.saturating_sub(b.len());
    let (l, r) = match how {
        -1 => (0, marg),
        1 => (marg, 0),
        _ => super::strops::center_margins(b.len(), width),
    };
    Ok(make(q, [vec![fill; l], b, vec![fill; r]].concat()))
}

/// `b.zfill(width)`.
fn zfill(q: &str, args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let b = this(q, args)?;
    let width = int_arg(one(q, args, kw)?)?.clamp(0, 1 << 40) as usize;
    let fill = width.saturating_sub(b.len());
    let sign = usize::from(matches!(b.first(), Some(b'+' | b'-')) && fill > 0);
    Ok(make(
        q,
        [&b[..sign], &vec![b'0'; fill], &b[sign..]].concat(),
    ))
}

/// `__len__`.
fn len(q: &str, args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let b = this(q, args)?;
    slot(q, args, kw, 0)?;
    Ok(val::int(b.len() as i64))
}

/// The receiver itself, type-checked (for the dunders the native protocol implements).
fn this_obj<'a>(q: &str, args: &'a [PyRef]) -> PyResult<&'a PyRef> {
    recv(q, args, |x| is_own(q, x).then_some(x))
}

/// `__getitem__`.
fn getitem(q: &str, args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this_obj(q, args)?;
    let key = one(q, args, kw)?;
    seq::native_getitem(x, key)?.ok_or_else(|| type_error("not subscriptable"))
}

/// `__contains__`.
fn contains(q: &str, args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this_obj(q, args)?;
    let item = slot1(q, args, kw)?;
    Ok(val::bool_(seq::native_contains(x, item)?.unwrap_or(false)))
}

/// `__iter__`.
fn iter(q: &str, args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this_obj(q, args)?;
    slot(q, args, kw, 0)?;
    Ok(crate::iter::make_iter(crate::obj::IterState::Seq(
        x.clone(),
        0,
    )))
}

/// `__add__`, `__mul__`, `__rmul__`: the native operation.
fn binary(q: &str, args: &[PyRef], kw: Kw<'_>, op: BinOp) -> PyResult {
    let x = this_obj(q, args)?;
    let y = slot1(q, args, kw)?;
    if op == BinOp::Mul && seq::bytes_of(y).is_some() {
        return Err(type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            type_name(y)
        )));
    }
    super::or_not_implemented(seq::native_binary(op, x, y)?)
}

/// `__mod__`: printf-style formatting, where the native protocol has it.
fn modulo(q: &str, args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this_obj(q, args)?;
    let y = slot1(q, args, kw)?;
    super::or_not_implemented(seq::native_binary(BinOp::Mod, x, y)?)
}

/// The rich comparisons: bytes with bytes (bytearray with any bytes-like).
fn compare(q: &str, args: &[PyRef], kw: Kw<'_>, op: CmpOp) -> PyResult {
    let b = this(q, args)?;
    let y = slot1(q, args, kw)?;
    let other = if is_array(q) || matches!(y.atom(), Some(Atom::Bytes(_))) {
        seq::bytes_of(y)
    } else {
        None
    };
    match other {
        Some(o) => Ok(val::bool_(super::cmp_holds(b.cmp(&o), op))),
        None => super::not_implemented(),
    }
}

/// `__repr__`.
fn repr(q: &str, args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let b = this(q, args)?;
    slot(q, args, kw, 0)?;
    let text = crate::repr::bytes_repr(&b);
    Ok(val::string(if is_array(q) {
        format!("bytearray({text})")
    } else {
        text
    }))
}

/// `bytes.__hash__`.
fn hash(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this_obj("bytes.__hash__", args)?;
    slot("bytes.__hash__", args, kw, 0)?;
    Ok(val::int(ops::hash(x)? as i64))
}

/// `ba.append(item)`.
fn append(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let b = cell("bytearray.append", args)?;
    let v = byte_value(one("bytearray.append", args, kw)?)?;
    b.borrow_mut().push(v);
    Ok(val::none())
}

/// `ba.extend(iterable_of_ints)`.
fn extend(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let b = cell("bytearray.extend", args)?;
    let src = one("bytearray.extend", args, kw)?;
    let data = match seq::bytes_of(src) {
        Some(d) => d,
        None if src.as_str().is_some() => {
            return Err(type_error("expected iterable of integers; got: 'str'"));
        }
        None => extend_items(src)?,
    };
    b.borrow_mut().extend_from_slice(&data);
    Ok(val::none())
}

/// The byte values an iterable yields.
fn extend_items(src: &PyRef) -> PyResult<Vec<u8>> {
    let it = ops::iter(src).map_err(|e| match e.is("TypeError") {
        true => type_error(format!("can't extend bytearray with {}", type_name(src))),
        false => e,
    })?;
    let mut out = Vec::new();
    while let Some(x) = ops::next(&it)? {
        out.push(byte_value(&x)?);
    }
    Ok(out)
}

/// `ba.pop(index=-1)`.
fn pop(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let b = cell("bytearray.pop", args)?;
    let a = between("bytearray.pop", args, kw, 0, 1)?;
    let i = a.first().map(int_arg).transpose()?.unwrap_or(-1);
    let len = b.borrow().len();
    if len == 0 {
        return Err(index_error("pop from empty bytearray"));
    }
    let pos = if i < 0 { i + len as i64 } else { i };
    let pos = usize::try_from(pos)
        .ok()
        .filter(|&p| p < len)
        .ok_or_else(|| index_error("pop index out of range"))?;
    Ok(val::int(b.borrow_mut().remove(pos) as i64))
}

/// `ba.insert(index, item)`.
fn insert(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let b = cell("bytearray.insert", args)?;
    let a = between("bytearray.insert", args, kw, 2, 2)?;
    let i = int_arg(&a[0])?;
    let v = byte_value(&a[1])?;
    let len = b.borrow().len() as i64;
    let pos = if i < 0 { (i + len).max(0) } else { i.min(len) };
    b.borrow_mut().insert(pos as usize, v);
    Ok(val::none())
}

/// `ba.remove(value)`.
fn remove(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let b = cell("bytearray.remove", args)?;
    let v = byte_value(one("bytearray.remove", args, kw)?)?;
    let pos = b.borrow().iter().position(|&x| x == v);
    match pos {
        Some(p) => {
            b.borrow_mut().remove(p);
            Ok(val::none())
        }
        None => Err(value_error("value not found in bytearray")),
    }
}

/// `ba.clear()`.
fn clear(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let b = cell("bytearray.clear", args)?;
    noargs("bytearray.clear", args, kw)?;
    b.borrow_mut().clear();
    Ok(val::none())
}

/// `ba.copy()`.
fn copy(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let b = cell("bytearray.copy", args)?;
    noargs("bytearray.copy", args, kw)?;
    Ok(seq::bytearray(b.borrow().clone()))
}

/// `ba.reverse()`.
fn reverse(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let b = cell("bytearray.reverse", args)?;
    noargs("bytearray.reverse", args, kw)?;
    b.borrow_mut().reverse();
    Ok(val::none())
}

/// `bytearray.__setitem__`.
fn setitem(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this_obj("bytearray.__setitem__", args)?;
    let a = slot("bytearray.__setitem__", args, kw, 2)?;
    seq::native_setitem(x, &a[0], a[1].clone())?;
    Ok(val::none())
}

/// `bytearray.__delitem__`.
fn delitem(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this_obj("bytearray.__delitem__", args)?;
    let key = slot1("bytearray.__delitem__", args, kw)?;
    seq::native_delitem(x, key)?;
    Ok(val::none())
}

/// `bytearray.__iadd__`.
fn iadd(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this_obj("bytearray.__iadd__", args)?;
    let y = slot1("bytearray.__iadd__", args, kw)?;
    super::or_not_implemented(seq::native_inplace(BinOp::Add, x, y)?)
}
