//! (L3) `sys.getsizeof`: the sizes CPython 3.13 reports on a 64-bit build.
//!
//! Our objects are laid out differently (a Rust enum per object, a Rust `Vec` or table for a
//! container's items), so their true block sizes would make programs that print
//! `getsizeof` disagree with CPython for no useful reason. For the common types this
//! computes CPython's size from the object's contents instead, with CPython's struct sizes
//! (`object` 16, the GC pre-header 16, the managed-dict pre-header 16, …); the formulas
//! are exact for what they model and approximate where CPython's size depends on history
//! (a list's over-allocation follows our `Vec`'s capacity; a dict's table is the smallest
//! that holds its items). Other objects report pymem's block size
//! (`pymem::sys::getsizeof`). A class's own `__sizeof__` is honoured, as in CPython.

use num_traits::Signed;

use crate::call;
use crate::error::{PyResult, err, type_error, value_error};
use crate::obj::{Atom, Kind, PyRef};
use crate::types::{lookup, tobj, type_of};

use super::{Kw, arg, check_kw};

/// The GC pre-header (CPython's `PyGC_Head`).
const GC_HEAD: usize = 16;
/// The pre-header of types with a managed `__dict__` or `__weakref__`.
const MANAGED: usize = 16;

/// `sys.getsizeof(object[, default])`.
pub(crate) fn getsizeof(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    check_kw("getsizeof", kw, &["object", "default"])?;
    if args.len() > 2 {
        return Err(type_error(format!(
            "getsizeof() takes at most 2 arguments ({} given)",
            args.len()
        )));
    }
    let Some(x) = arg("getsizeof", args, kw, 0, "object")? else {
        return Err(type_error(
            "getsizeof() missing required argument 'object' (pos 1)",
        ));
    };
    let default = arg("getsizeof", args, kw, 1, "default")?;
    match size_of(&x) {
        Ok(n) => Ok(crate::val::int(n as i64)),
        Err(e) if e.is("TypeError") && default.is_some() => {
            Ok(default.unwrap_or_else(crate::val::none))
        }
        Err(e) => Err(e),
    }
}

/// The size `getsizeof` reports for `x`.
pub(crate) fn size_of(x: &PyRef) -> PyResult<usize> {
    if let Some(n) = user_sizeof(x)? {
        return Ok(n);
    }
    Ok(match x {
        PyRef::A(a) => atom_size(a).unwrap_or_else(|| pymem::sys::getsizeof(a)),
        PyRef::O(o) => match &o.kind {
            Kind::Instance(_) => instance_size(x),
            kind => kind_size(kind).unwrap_or_else(|| pymem::sys::getsizeof(o)),
        },
    })
}

/// A `__sizeof__` written in Python, plus the pre-headers CPython adds to its result.
fn user_sizeof(x: &PyRef) -> PyResult<Option<usize>> {
    let Some(f) = lookup(&type_of(x), "__sizeof__") else {
        return Ok(None);
    };
    if !matches!(f.kind(), Some(Kind::Function(_))) {
        return Ok(None);
    }
    let r = call::call_bound(&f, x, &[])?;
    let n = match r.atom() {
        Some(Atom::Int(i)) => *i,
        Some(Atom::Big(b)) if b.is_negative() => -1,
        Some(Atom::Big(_)) => {
            return Err(err(
                "OverflowError",
                "Python int too large to convert to C ssize_t",
            ));
        }
        _ => return Err(type_error("an integer is required")),
    };
    if n < 0 {
        return Err(value_error("__sizeof__() should return >= 0"));
    }
    Ok(Some(n as usize + GC_HEAD + managed(x)))
}

/// The managed pre-header of an instance whose class has a `__dict__` or `__weakref__`
/// without a slot for it.
fn managed(x: &PyRef) -> usize {
    match x.as_instance() {
        Some(i) if tobj(&i.cls).has_dict || tobj(&i.cls).has_weakref => MANAGED,
        _ => 0,
    }
}

/// CPython's size of an untracked object (`None` for a code object).
fn atom_size(a: &Atom) -> Option<usize> {
    Some(match a {
        Atom::None | Atom::NotImplemented | Atom::Ellipsis => 16,
        Atom::Bool(_) => 28,
        Atom::Int(i) => int_size(64 - i.unsigned_abs().leading_zeros() as u64),
        Atom::Big(b) => int_size(b.bits()),
        Atom::Float(_) => 24,
        Atom::Complex(..) => 32,
        Atom::Str(s) => str_size(&s.s, s.nchars),
        Atom::Bytes(b) => 33 + b.len(),
        Atom::Range(_) => 48,
        Atom::RangeIter(_) => 40,
        Atom::Code(_) => return None,
    })
}

/// An int: a 24-byte header and 30-bit digits, at least one.
fn int_size(bits: u64) -> usize {
    24 + 4 * bits.div_ceil(30).max(1) as usize
}

/// A compact str: ASCII in 40 bytes plus the characters and a NUL; otherwise 56 bytes plus
/// (n + 1) code units of 1, 2 or 4 bytes (the UTF-8 cache CPython may add is not counted).
fn str_size(s: &str, nchars: usize) -> usize {
    if s.len() == nchars {
        return 41 + nchars;
    }
    let unit = match s.chars().map(u32::from).max().unwrap_or(0) {
        0..=0xff => 1,
        0x100..=0xffff => 2,
        _ => 4,
    };
    56 + (nchars + 1) * unit
}

/// CPython's size of a built-in container or object kind (`None`: use pymem's).
fn kind_size(kind: &Kind) -> Option<usize> {
    Some(match kind {
        Kind::List(l) => 56 + 8 * l.borrow().capacity(),
        Kind::Tuple(t) => 40 + 8 * t.len(),
        Kind::Dict(d) => dict_size(&d.borrow()),
        Kind::Set(d, _) => set_size(d.borrow().len()),
        Kind::ByteArray(b) => 56 + b.borrow().len() + usize::from(!b.borrow().is_empty()),
        Kind::Function(_) => 160,
        Kind::Method(..) => 64,
        Kind::Builtin(..) | Kind::Module(_) => 72,
        Kind::WeakRef(_) | Kind::Property(_) => 80,
        Kind::Slice(_) | Kind::Traceback(_) | Kind::Super(..) => 56,
        Kind::Iter(_) | Kind::ClassMethod(_) | Kind::StaticMethod(_) => 48,
        Kind::Cell(_) | Kind::DictView(..) => 40,
        Kind::Generator(_) => 176,
        _ => return None,
    })
}

/// A dict: 64 bytes, plus (when not empty) its keys object: a 32-byte header, an index of
/// 1-byte slots (for tables up to 128), and entries of 16 bytes (all keys str) or 24.
fn dict_size(d: &crate::dict::Dict) -> usize {
    if d.is_empty() {
        return 64;
    }
    let mut size = 8usize;
    while size * 2 / 3 < d.len() {
        size *= 2;
    }
    let index = size * index_width(size);
    let entry = if d.iter().all(|e| e.key.as_str().is_some()) {
        16
    } else {
        24
    };
    64 + 32 + index + size * 2 / 3 * entry
}

/// Bytes per slot of a dict's index for a table of `size` slots.
fn index_width(size: usize) -> usize {
    match size {
        0..=128 => 1,
        129..=0xffff => 2,
        0x1_0000..=0xffff_ffff => 4,
        _ => 8,
    }
}

/// A set: 200 bytes with an inline table of 8 entries, plus a table of 16-byte entries
/// once it outgrows that, grown as `set_add` grows it when items are added one by one.
fn set_size(n: usize) -> usize {
    let mut table = 8usize;
    for fill in 1..=n {
        if fill * 5 >= (table - 1) * 3 {
            let minused = if fill > 50_000 { fill * 2 } else { fill * 4 };
            table = (minused + 1).next_power_of_two().max(8);
        }
    }
    let external = if table > 8 { 16 * table } else { 0 };
    200 + GC_HEAD + external
}

/// An instance of a Python class: `object`'s 16 bytes, 8 per slot, the GC pre-header and
/// the managed one; an exception's 72-byte base; a built-in base's own size.
fn instance_size(x: &PyRef) -> usize {
    let Some(inst) = x.as_instance() else {
        return 16;
    };
    let t = tobj(&inst.cls);
    let slots = 8 * t.slot_names.len();
    if inst.exc.is_some() {
        return 72 + GC_HEAD + slots + managed_exc(x);
    }
    match inst.base.as_deref().and_then(|b| kind_size(&b.kind)) {
        Some(base) => base + slots + managed(x),
        None => 16 + slots + GC_HEAD + managed(x),
    }
}

/// Built-in exception classes have their own dict slot; their Python subclasses add a
/// managed `__weakref__`.
fn managed_exc(x: &PyRef) -> usize {
    match x.as_instance() {
        Some(i) if tobj(&i.cls).builtin.is_none() => MANAGED,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::val;

    fn sizes(xs: &[PyRef]) -> Vec<usize> {
        xs.iter().map(|x| size_of(x).unwrap()).collect()
    }

    #[test]
    fn atoms_match_cpython() {
        let xs = [
            val::none(),
            val::int(0),
            val::int(1 << 40),
            val::float(1.0),
            val::str_(""),
            val::str_("ab"),
            val::complex(0.0, 1.0),
        ];
        assert_eq!(sizes(&xs), [16, 28, 32, 24, 41, 43, 32]);
        assert_eq!(str_size("éé", 2), 59);
        assert_eq!(str_size("€€€", 3), 64);
    }

    #[test]
    fn containers_match_cpython() {
        assert_eq!(
            sizes(&[val::tuple(vec![]), val::tuple(vec![val::int(1)])]),
            [40, 48]
        );
        assert_eq!(dict_size(&crate::dict::Dict::new()), 64);
        assert_eq!(set_size(0), 216);
        assert_eq!(set_size(4), 216);
        assert_eq!(set_size(5), 728);
        assert_eq!(set_size(10), 728);
    }
}
