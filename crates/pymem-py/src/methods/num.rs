//! The methods of `int` (and so `bool`), `float` and `complex`. Arithmetic dunders
//! delegate to `num::binary` for operands of the types CPython's slot accepts (int with
//! int; float with int or float; complex with any of them), returning NotImplemented
//! otherwise.

use num_bigint::{BigInt, Sign};
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};

use super::{Kw, Params, between, defs, noargs, one, parse, recv, slot, slot1};
use crate::code::{BinOp, CmpOp, UnOp};
use crate::error::{PyResult, overflow_error, type_error, value_error};
use crate::obj::{Atom, BuiltinDef, PyRef};
use crate::types::type_name;
use crate::{call, ops, val};

/// The arithmetic and comparison dunders of a numeric type `$t`, checked by `$own`
/// (operands the type's slots accept).
macro_rules! number_table {
    ($t:literal, $own:expr; $($extra:tt)*) => {
        defs![
            "__add__" => |a, k| arith(concat!($t, ".__add__"), a, k, BinOp::Add, false, $own),
            "__radd__" => |a, k| arith(concat!($t, ".__radd__"), a, k, BinOp::Add, true, $own),
            "__sub__" => |a, k| arith(concat!($t, ".__sub__"), a, k, BinOp::Sub, false, $own),
            "__rsub__" => |a, k| arith(concat!($t, ".__rsub__"), a, k, BinOp::Sub, true, $own),
            "__mul__" => |a, k| arith(concat!($t, ".__mul__"), a, k, BinOp::Mul, false, $own),
            "__rmul__" => |a, k| arith(concat!($t, ".__rmul__"), a, k, BinOp::Mul, true, $own),
            "__truediv__" => |a, k| {
                arith(concat!($t, ".__truediv__"), a, k, BinOp::TrueDiv, false, $own)
            },
            "__rtruediv__" => |a, k| {
                arith(concat!($t, ".__rtruediv__"), a, k, BinOp::TrueDiv, true, $own)
            },
            "__floordiv__" => |a, k| {
                arith(concat!($t, ".__floordiv__"), a, k, BinOp::FloorDiv, false, $own)
            },
            "__rfloordiv__" => |a, k| {
                arith(concat!($t, ".__rfloordiv__"), a, k, BinOp::FloorDiv, true, $own)
            },
            "__mod__" => |a, k| arith(concat!($t, ".__mod__"), a, k, BinOp::Mod, false, $own),
            "__rmod__" => |a, k| arith(concat!($t, ".__rmod__"), a, k, BinOp::Mod, true, $own),
            "__divmod__" => |a, k| divmod(concat!($t, ".__divmod__"), a, k, false, $own),
            "__rdivmod__" => |a, k| divmod(concat!($t, ".__rdivmod__"), a, k, true, $own),
            "__pow__" => |a, k| pow(concat!($t, ".__pow__"), a, k, false, $own),
            "__rpow__" => |a, k| pow(concat!($t, ".__rpow__"), a, k, true, $own),
            "__eq__" => |a, k| compare(concat!($t, ".__eq__"), a, k, CmpOp::Eq, $own),
            "__ne__" => |a, k| compare(concat!($t, ".__ne__"), a, k, CmpOp::Ne, $own),
            "__lt__" => |a, k| compare(concat!($t, ".__lt__"), a, k, CmpOp::Lt, $own),
            "__le__" => |a, k| compare(concat!($t, ".__le__"), a, k, CmpOp::Le, $own),
            "__gt__" => |a, k| compare(concat!($t, ".__gt__"), a, k, CmpOp::Gt, $own),
            "__ge__" => |a, k| compare(concat!($t, ".__ge__"), a, k, CmpOp::Ge, $own),
            "__neg__" => |a, k| unary(concat!($t, ".__neg__"), a, k, UnOp::Neg),
            "__pos__" => |a, k| unary(concat!($t, ".__pos__"), a, k, UnOp::Pos),
            "__bool__" => |a, k| unary(concat!($t, ".__bool__"), a, k, UnOp::Not),
            "__hash__" => |a, k| hash(concat!($t, ".__hash__"), a, k),
            "__repr__" => |a, k| repr(concat!($t, ".__repr__"), a, k),
            $($extra)*
        ]
    };
}

/// The methods of `int`.
pub(crate) static INT: &[BuiltinDef] = number_table!["int", is_int;
    "__lshift__" => |a, k| arith("int.__lshift__", a, k, BinOp::LShift, false, is_int),
    "__rlshift__" => |a, k| arith("int.__rlshift__", a, k, BinOp::LShift, true, is_int),
    "__rshift__" => |a, k| arith("int.__rshift__", a, k, BinOp::RShift, false, is_int),
    "__rrshift__" => |a, k| arith("int.__rrshift__", a, k, BinOp::RShift, true, is_int),
    "__and__" => |a, k| arith("int.__and__", a, k, BinOp::And, false, is_int),
    "__rand__" => |a, k| arith("int.__rand__", a, k, BinOp::And, true, is_int),
    "__or__" => |a, k| arith("int.__or__", a, k, BinOp::Or, false, is_int),
    "__ror__" => |a, k| arith("int.__ror__", a, k, BinOp::Or, true, is_int),
    "__xor__" => |a, k| arith("int.__xor__", a, k, BinOp::Xor, false, is_int),
    "__rxor__" => |a, k| arith("int.__rxor__", a, k, BinOp::Xor, true, is_int),
    "__invert__" => |a, k| unary("int.__invert__", a, k, UnOp::Invert),
    "__abs__" => |a, k| int_map("int.__abs__", a, k, |i| i.abs()),
    "__index__" => |a, k| int_map("int.__index__", a, k, |i| i),
    "__int__" => |a, k| int_map("int.__int__", a, k, |i| i),
    "__trunc__" => |a, k| int_map("int.__trunc__", a, k, |i| i),
    "__floor__" => |a, k| int_map("int.__floor__", a, k, |i| i),
    "__ceil__" => |a, k| int_map("int.__ceil__", a, k, |i| i),
    "conjugate" => |a, k| int_map("int.conjugate", a, k, |i| i),
    "__float__" => int_float, "__round__" => int_round, "__format__" => int_format,
    "bit_length" => |a, k| int_map("int.bit_length", a, k, |i| BigInt::from(i.bits())),
    "bit_count" => |a, k| {
        int_map("int.bit_count", a, k, |i| BigInt::from(i.magnitude().count_ones()))
    },
    "as_integer_ratio" => as_integer_ratio, "is_integer" => int_is_integer, "to_bytes" => to_bytes,
    "from_bytes" => from_bytes,
];

/// The methods of `float`.
pub(crate) static FLOAT: &[BuiltinDef] = number_table!["float", is_real;
    "__abs__" => |a, k| float_map("float.__abs__", a, k, f64::abs),
    "__float__" => |a, k| float_map("float.__float__", a, k, |f| f),
    "conjugate" => |a, k| float_map("float.conjugate", a, k, |f| f),
    "__int__" => |a, k| float_to_int("float.__int__", a, k, f64::trunc),
    "__trunc__" => |a, k| float_to_int("float.__trunc__", a, k, f64::trunc),
    "__floor__" => |a, k| float_to_int("float.__floor__", a, k, f64::floor),
    "__ceil__" => |a, k| float_to_int("float.__ceil__", a, k, f64::ceil),
    "__round__" => float_round, "__format__" => float_format,
    "is_integer" => float_is_integer, "as_integer_ratio" => float_ratio, "hex" => float_hex,
    "fromhex" => fromhex,
];

/// The methods of `complex`: no `//`, `%`, `divmod` or orderings, as CPython's.
pub(crate) static COMPLEX: &[BuiltinDef] = defs![
    "__add__" => |a, k| arith("complex.__add__", a, k, BinOp::Add, false, is_number),
    "__radd__" => |a, k| arith("complex.__radd__", a, k, BinOp::Add, true, is_number),
    "__sub__" => |a, k| arith("complex.__sub__", a, k, BinOp::Sub, false, is_number),
    "__rsub__" => |a, k| arith("complex.__rsub__", a, k, BinOp::Sub, true, is_number),
    "__mul__" => |a, k| arith("complex.__mul__", a, k, BinOp::Mul, false, is_number),
    "__rmul__" => |a, k| arith("complex.__rmul__", a, k, BinOp::Mul, true, is_number),
    "__truediv__" => |a, k| arith("complex.__truediv__", a, k, BinOp::TrueDiv, false, is_number),
    "__rtruediv__" => |a, k| arith("complex.__rtruediv__", a, k, BinOp::TrueDiv, true, is_number),
    "__pow__" => |a, k| pow("complex.__pow__", a, k, false, is_number),
    "__rpow__" => |a, k| pow("complex.__rpow__", a, k, true, is_number),
    "__eq__" => |a, k| compare("complex.__eq__", a, k, CmpOp::Eq, is_number),
    "__ne__" => |a, k| compare("complex.__ne__", a, k, CmpOp::Ne, is_number),
    "__neg__" => |a, k| unary("complex.__neg__", a, k, UnOp::Neg),
    "__pos__" => |a, k| unary("complex.__pos__", a, k, UnOp::Pos),
    "__bool__" => |a, k| unary("complex.__bool__", a, k, UnOp::Not),
    "__hash__" => |a, k| hash("complex.__hash__", a, k),
    "__repr__" => |a, k| repr("complex.__repr__", a, k),
    "__abs__" => complex_abs, "conjugate" => conjugate, "__complex__" => dunder_complex,
    "__getnewargs__" => getnewargs, "__format__" => complex_format,
];

/// Whether `x` is an int (or bool).
fn is_int(x: &PyRef) -> bool {
    matches!(x.atom(), Some(Atom::Int(_) | Atom::Big(_) | Atom::Bool(_)))
}

/// Whether `x` is an int, bool or float (what float's slots accept).
fn is_real(x: &PyRef) -> bool {
    is_int(x) || matches!(x.atom(), Some(Atom::Float(_)))
}

/// Whether `x` is a float.
fn is_float(x: &PyRef) -> bool {
    matches!(x.atom(), Some(Atom::Float(_)))
}

/// Whether `x` is a complex.
fn is_complex(x: &PyRef) -> bool {
    matches!(x.atom(), Some(Atom::Complex(..)))
}

/// Whether `x` is an int, bool, float or complex (what complex's slots accept).
fn is_number(x: &PyRef) -> bool {
    is_real(x) || is_complex(x)
}

/// The receiver of a method of `q`'s type (`int.…`, `float.…` or `complex.…`).
fn this<'a>(q: &str, args: &'a [PyRef]) -> PyResult<&'a PyRef> {
    let receiver = if q.starts_with("int.") {
        is_int
    } else if q.starts_with("complex.") {
        is_complex
    } else {
        is_float
    };
    recv(q, args, |x| receiver(x).then_some(x))
}

/// An int's value as a big integer.
pub(crate) fn big(x: &PyRef) -> Option<BigInt> {
    match x.atom()? {
        Atom::Int(i) => Some(BigInt::from(*i)),
        Atom::Bool(b) => Some(BigInt::from(*b as i64)),
        Atom::Big(b) => Some(b.clone()),
        _ => None,
    }
}

/// A float's value.
fn float_of(x: &PyRef) -> f64 {
    match x.atom() {
        Some(Atom::Float(f)) => *f,
        _ => 0.0,
    }
}

/// The two atoms of a binary operation.
fn atoms<'a>(a: &'a PyRef, b: &'a PyRef) -> Option<(&'a Atom, &'a Atom)> {
    Some((a.atom()?, b.atom()?))
}

/// `self op other` (or `other op self` when `reflected`) for an operand the type takes.
fn arith(
    q: &str,
    args: &[PyRef],
    kw: Kw<'_>,
    op: BinOp,
    reflected: bool,
    own: fn(&PyRef) -> bool,
) -> PyResult {
    let x = this(q, args)?;
    let y = slot1(q, args, kw)?;
    if !own(y) {
        return super::not_implemented();
    }
    let (a, b) = if reflected { (y, x) } else { (x, y) };
    binop(op, a, b)
}

/// The numeric binary operation, NotImplemented if `num` has none.
fn binop(op: BinOp, a: &PyRef, b: &PyRef) -> PyResult {
    match atoms(a, b).and_then(|(x, y)| crate::num::binary(op, x, y)) {
        Some(r) => r,
        None => super::not_implemented(),
    }
}

/// `__divmod__` and `__rdivmod__`: `(a // b, a % b)`.
fn divmod(
    q: &str,
    args: &[PyRef],
    kw: Kw<'_>,
    reflected: bool,
    own: fn(&PyRef) -> bool,
) -> PyResult {
    let x = this(q, args)?;
    let y = slot1(q, args, kw)?;
    if !own(y) {
        return super::not_implemented();
    }
    let (a, b) = if reflected { (y, x) } else { (x, y) };
    Ok(val::tuple(vec![
        binop(BinOp::FloorDiv, a, b)?,
        binop(BinOp::Mod, a, b)?,
    ]))
}

/// `__pow__(other, mod=None)` and `__rpow__`.
fn pow(q: &str, args: &[PyRef], kw: Kw<'_>, reflected: bool, own: fn(&PyRef) -> bool) -> PyResult {
    let x = this(q, args)?;
    let a = between(q, args, kw, 1, 2)?;
    let y = &a[0];
    if !own(y) {
        return super::not_implemented();
    }
    let (base, exp) = if reflected { (y, x) } else { (x, y) };
    match a.get(1).filter(|m| !m.is_none()) {
        None => binop(BinOp::Pow, base, exp),
        Some(m) if is_int(base) && is_int(exp) && is_int(m) => modpow(base, exp, m),
        Some(_) if is_complex(x) => Err(value_error("complex modulo")),
        Some(m) if is_real(m) => Err(type_error(
            "pow() 3rd argument not allowed unless all arguments are integers",
        )),
        Some(_) => super::not_implemented(),
    }
}

/// `pow(base, exp, m)` for ints; a negative exponent uses the modular inverse.
fn modpow(base: &PyRef, exp: &PyRef, m: &PyRef) -> PyResult {
    let (b, e, m) = (
        big(base).unwrap_or_default(),
        big(exp).unwrap_or_default(),
        big(m).unwrap_or_default(),
    );
    if m.is_zero() {
        return Err(value_error("pow() 3rd argument cannot be 0"));
    }
    let b = if e.is_negative() { inverse(&b, &m)? } else { b };
    Ok(val::bigint(b.modpow(&e.abs(), &m)))
}

/// The inverse of `b` modulo `m` (extended Euclid).
fn inverse(b: &BigInt, m: &BigInt) -> PyResult<BigInt> {
    let ma = m.abs();
    let g = b.mod_floor(&ma).extended_gcd(&ma);
    if !g.gcd.is_one() {
        return Err(value_error("base is not invertible for the given modulus"));
    }
    Ok(g.x.mod_floor(&ma))
}

/// The rich comparisons, for operands the type takes.
fn compare(q: &str, args: &[PyRef], kw: Kw<'_>, op: CmpOp, own: fn(&PyRef) -> bool) -> PyResult {
    let x = this(q, args)?;
    let y = slot1(q, args, kw)?;
    if !own(y) {
        return super::not_implemented();
    }
    let r = crate::seq::native_compare(x, y, op)?;
    super::or_not_implemented(r.map(val::bool_))
}

/// `__neg__`, `__pos__`, `__invert__`, and `__bool__` (as `Not` negated).
fn unary(q: &str, args: &[PyRef], kw: Kw<'_>, op: UnOp) -> PyResult {
    let x = this(q, args)?;
    slot(q, args, kw, 0)?;
    if op == UnOp::Not {
        return ops::truthy(x).map(val::bool_);
    }
    match x.atom().and_then(|a| crate::num::unary(op, a)) {
        Some(r) => r,
        None => ops::unary(op, x),
    }
}

/// `__hash__`.
fn hash(q: &str, args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this(q, args)?;
    slot(q, args, kw, 0)?;
    Ok(val::int(ops::hash(x)? as i64))
}

/// `__repr__`.
fn repr(q: &str, args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this(q, args)?;
    slot(q, args, kw, 0)?;
    ops::repr(x).map(val::string)
}

/// An int method taking no arguments and returning an int computed from the value.
fn int_map(q: &str, args: &[PyRef], kw: Kw<'_>, f: impl FnOnce(BigInt) -> BigInt) -> PyResult {
    let x = this(q, args)?;
    noargs(q, args, kw)?;
    Ok(val::bigint(f(big(x).unwrap_or_default())))
}

/// An int as a float, or OverflowError.
fn to_float(i: &BigInt) -> PyResult<f64> {
    let f = i.to_f64().unwrap_or(f64::INFINITY);
    match f.is_finite() {
        true => Ok(f),
        false => Err(overflow_error("int too large to convert to float")),
    }
}

/// `int.__float__`.
fn int_float(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this("int.__float__", args)?;
    slot("int.__float__", args, kw, 0)?;
    to_float(&big(x).unwrap_or_default()).map(val::float)
}

/// `int.__round__(ndigits=None)`.
fn int_round(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this("int.__round__", args)?;
    let a = between("int.__round__", args, kw, 0, 1)?;
    let nd = a.first().map(ops::index).transpose()?.unwrap_or(0);
    crate::num::round_int(x.atom().expect("an int is an atom"), nd)
}

/// `int.__format__(spec)`: a bool with an empty spec is `str(self)`.
fn int_format(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this("int.__format__", args)?;
    let spec = format_spec(one("int.__format__", args, kw)?)?;
    if spec.is_empty() {
        return ops::to_str(x);
    }
    let s = crate::format::format_int(&big(x).unwrap_or_default(), &spec)
        .map_err(super::format_error)?;
    Ok(val::string(s))
}

/// The spec argument of `__format__`.
fn format_spec(s: &PyRef) -> PyResult<String> {
    match s.as_str() {
        Some(t) => Ok(t.to_owned()),
        None => Err(type_error(format!(
            "__format__() argument must be str, not {}",
            type_name(s)
        ))),
    }
}

/// `int.as_integer_ratio()`.
fn as_integer_ratio(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this("int.as_integer_ratio", args)?;
    noargs("int.as_integer_ratio", args, kw)?;
    Ok(val::tuple(vec![
        val::bigint(big(x).unwrap_or_default()),
        val::int(1),
    ]))
}

/// `int.is_integer()`.
fn int_is_integer(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    this("int.is_integer", args)?;
    noargs("int.is_integer", args, kw)?;
    Ok(val::bool_(true))
}

/// The `byteorder` argument of `to_bytes`/`from_bytes`: true for little-endian.
fn little_endian(x: Option<&PyRef>, f: &str) -> PyResult<bool> {
    let Some(x) = x else { return Ok(false) };
    match x.as_str() {
        Some("little") => Ok(true),
        Some("big") => Ok(false),
        Some(_) => Err(value_error("byteorder must be either 'little' or 'big'")),
        None => Err(type_error(format!(
            "{f}() argument 'byteorder' must be str, not {}",
            type_name(x)
        ))),
    }
}

/// `int.to_bytes(length=1, byteorder='big', *, signed=False)`.
fn to_bytes(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    const P: Params = Params {
        name: "to_bytes",
        names: &["length", "byteorder", "signed"],
        posonly: 0,
        maxpos: 2,
        required: 0,
    };
    let x = this("int.to_bytes", args)?;
    let a = parse(&P, args, kw)?;
    let len = a[0].as_ref().map(super::int_arg).transpose()?.unwrap_or(1);
    let little = little_endian(a[1].as_ref(), "to_bytes")?;
    let signed = a[2].as_ref().map(ops::truthy).transpose()?.unwrap_or(false);
    let len =
        usize::try_from(len).map_err(|_| value_error("length argument must be non-negative"))?;
    let v = big(x).unwrap_or_default();
    if !signed && v.is_negative() {
        return Err(overflow_error("can't convert negative int to unsigned"));
    }
    let mut bytes = if signed {
        v.to_signed_bytes_le()
    } else {
        v.magnitude().to_bytes_le()
    };
    if v.is_zero() {
        bytes.clear();
    }
    if bytes.len() > len {
        return Err(overflow_error("int too big to convert"));
    }
    let fill = if v.is_negative() { 0xff } else { 0 };
    bytes.resize(len, fill);
    if !little {
        bytes.reverse();
    }
    Ok(val::bytes(bytes))
}

/// `int.from_bytes(bytes, byteorder='big', *, signed=False)`, a class method.
fn from_bytes(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let args = &super::class_args(args, crate::types::BuiltinType::Int)[..];
    const P: Params = Params {
        name: "from_bytes",
        names: &["bytes", "byteorder", "signed"],
        posonly: 0,
        maxpos: 2,
        required: 1,
    };
    let a = parse(&P, args, kw)?;
    let src = a[0].as_ref().expect("required");
    let data = bytes_source(src)?;
    let little = little_endian(a[1].as_ref(), "from_bytes")?;
    let signed = a[2].as_ref().map(ops::truthy).transpose()?.unwrap_or(false);
    let v = match (little, signed) {
        (true, true) => BigInt::from_signed_bytes_le(&data),
        (true, false) => BigInt::from_bytes_le(Sign::Plus, &data),
        (false, true) => BigInt::from_signed_bytes_be(&data),
        (false, false) => BigInt::from_bytes_be(Sign::Plus, &data),
    };
    let cls = &args[0];
    let plain = cls.obj().is_none_or(|c| {
        pymem::Gc::ptr_eq(c, crate::types::types().get(crate::types::BuiltinType::Int))
    });
    match plain {
        true => Ok(val::bigint(v)),
        false => call::call(cls, &[val::bigint(v)], &[]),
    }
}

/// The bytes of `from_bytes`' argument: bytes-like, or an iterable of byte values.
fn bytes_source(src: &PyRef) -> PyResult<Vec<u8>> {
    if let Some(b) = crate::seq::bytes_of(src) {
        return Ok(b);
    }
    if src.as_str().is_some() || is_real(src) {
        return Err(type_error(format!(
            "cannot convert '{}' object to bytes",
            type_name(src)
        )));
    }
    let mut out = Vec::new();
    for x in ops::collect(src)? {
        let i = ops::index(&x)?;
        out.push(u8::try_from(i).map_err(|_| value_error("bytes must be in range(0, 256)"))?);
    }
    Ok(out)
}

/// A float method taking no arguments and returning a float.
fn float_map(q: &str, args: &[PyRef], kw: Kw<'_>, f: fn(f64) -> f64) -> PyResult {
    let x = this(q, args)?;
    noargs(q, args, kw)?;
    Ok(val::float(f(float_of(x))))
}

/// `__int__`, `__trunc__`, `__floor__`, `__ceil__`.
fn float_to_int(q: &str, args: &[PyRef], kw: Kw<'_>, f: fn(f64) -> f64) -> PyResult {
    let x = this(q, args)?;
    noargs(q, args, kw)?;
    crate::num::float_to_int(f(float_of(x)))
}

/// `float.__round__(ndigits=None)`: to an int half to even, or to a float correctly
/// rounded at `ndigits` decimal places.
fn float_round(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this("float.__round__", args)?;
    let a = between("float.__round__", args, kw, 0, 1)?;
    let nd = a
        .first()
        .filter(|n| !n.is_none())
        .map(ops::index)
        .transpose()?;
    crate::num::round_float(float_of(x), nd)
}

/// `float.__format__(spec)`.
fn float_format(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this("float.__format__", args)?;
    let spec = format_spec(one("float.__format__", args, kw)?)?;
    let s = crate::format::format_float(float_of(x), &spec).map_err(super::format_error)?;
    Ok(val::string(s))
}

/// `float.is_integer()`.
fn float_is_integer(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this("float.is_integer", args)?;
    noargs("float.is_integer", args, kw)?;
    let f = float_of(x);
    Ok(val::bool_(f.is_finite() && f.fract() == 0.0))
}

/// A finite float as an exact fraction in lowest terms (numerator, denominator).
fn float_ratio_parts(f: f64) -> PyResult<(BigInt, BigInt)> {
    if f.is_nan() {
        return Err(value_error("cannot convert NaN to integer ratio"));
    }
    if f.is_infinite() {
        return Err(overflow_error("cannot convert Infinity to integer ratio"));
    }
    let bits = f.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1 << 52) - 1);
    let (mut m, mut e) = if exp == 0 {
        (frac, -1074)
    } else {
        (frac | (1 << 52), exp - 1075)
    };
    while m != 0 && m & 1 == 0 && e < 0 {
        m >>= 1;
        e += 1;
    }
    let sign = if f.is_sign_negative() { -1 } else { 1 };
    let n = BigInt::from(m) * sign;
    Ok(match e >= 0 {
        true => (n << e as usize, BigInt::one()),
        false => (n, BigInt::one() << (-e) as usize),
    })
}

/// `float.as_integer_ratio()`.
fn float_ratio(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this("float.as_integer_ratio", args)?;
    noargs("float.as_integer_ratio", args, kw)?;
    let (n, d) = float_ratio_parts(float_of(x))?;
    Ok(val::tuple(vec![val::bigint(n), val::bigint(d)]))
}

/// `float.fromhex(string)`, a class method.
fn fromhex(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let args = &super::class_args(args, crate::types::BuiltinType::Float)[..];
    let s = one("float.fromhex", args, kw)?;
    let Some(text) = s.as_str() else {
        return Err(type_error("bad argument type for built-in operation"));
    };
    let f = super::floathex::parse(text)?;
    let cls = &args[0];
    let float = crate::types::types().get(crate::types::BuiltinType::Float);
    match cls.obj().is_some_and(|c| !pymem::Gc::ptr_eq(c, float)) {
        true => call::call(cls, &[val::float(f)], &[]),
        false => Ok(val::float(f)),
    }
}

/// `float.hex()`.
fn float_hex(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this("float.hex", args)?;
    noargs("float.hex", args, kw)?;
    Ok(val::string(super::floathex::hex_of(float_of(x))))
}

/// A complex's parts.
fn parts(x: &PyRef) -> (f64, f64) {
    match x.atom() {
        Some(Atom::Complex(re, im)) => (*re, *im),
        _ => (0.0, 0.0),
    }
}

/// `complex.__abs__`: the modulus, as `abs()`.
fn complex_abs(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let (re, im) = parts(this("complex.__abs__", args)?);
    slot("complex.__abs__", args, kw, 0)?;
    crate::num::complex_abs(re, im).map(val::float)
}

/// `complex.conjugate()`.
fn conjugate(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let (re, im) = parts(this("complex.conjugate", args)?);
    noargs("complex.conjugate", args, kw)?;
    Ok(val::complex(re, -im))
}

/// `complex.__complex__()`: the number itself.
fn dunder_complex(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = this("complex.__complex__", args)?;
    noargs("complex.__complex__", args, kw)?;
    Ok(x.clone())
}

/// `complex.__getnewargs__()`: `(real, imag)`.
fn getnewargs(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let (re, im) = parts(this("complex.__getnewargs__", args)?);
    noargs("complex.__getnewargs__", args, kw)?;
    Ok(val::tuple(vec![val::float(re), val::float(im)]))
}

/// `complex.__format__(spec)`.
fn complex_format(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let (re, im) = parts(this("complex.__format__", args)?);
    let spec = format_spec(one("complex.__format__", args, kw)?)?;
    let s = crate::format::format_complex(re, im, &spec).map_err(super::format_error)?;
    Ok(val::string(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_ratio_matches_cpython() {
        let (n, d) = float_ratio_parts(0.1).ok().unwrap_or_default();
        assert_eq!(
            (n.to_string(), d.to_string()),
            (
                "3602879701896397".to_owned(),
                "36028797018963968".to_owned()
            )
        );
        let (n, d) = float_ratio_parts(-1.5).ok().unwrap_or_default();
        assert_eq!(
            (n.to_string(), d.to_string()),
            ("-3".to_owned(), "2".to_owned())
        );
        assert!(float_ratio_parts(f64::NAN).is_err() && float_ratio_parts(f64::INFINITY).is_err());
    }
}
