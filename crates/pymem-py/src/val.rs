//! (L1) Making Python values: the singletons, the small-int cache, and constructors.

use std::cell::OnceCell;
use std::rc::Rc;

use num_bigint::BigInt;
use num_traits::ToPrimitive;
use pymem::Gc;

use crate::dict::Dict;
use crate::obj::{Atom, Kind, Obj, PyRef, PyStr};

/// CPython caches the ints −5..=256; `is` and `sys.getrefcount` show it.
const SMALL_MIN: i64 = -5;
const SMALL_MAX: i64 = 256;

/// The immortal objects, one set per interpreter thread.
struct Singletons {
    none: Gc<Atom>,
    true_: Gc<Atom>,
    false_: Gc<Atom>,
    not_implemented: Gc<Atom>,
    ellipsis: Gc<Atom>,
    empty_str: Gc<Atom>,
    null: Gc<Atom>,
    small: Vec<Gc<Atom>>,
    chars: Vec<Gc<Atom>>,
}

thread_local! {
    static SINGLETONS: OnceCell<Singletons> = const { OnceCell::new() };
}

fn make_singletons() -> Singletons {
    let small = (SMALL_MIN..=SMALL_MAX)
        .map(|i| Gc::new(Atom::Int(i)))
        .collect();
    let chars = (0u8..128)
        .map(|c| Gc::new(Atom::Str(PyStr::new((c as char).to_string().into()))))
        .collect();
    Singletons {
        none: Gc::new(Atom::None),
        true_: Gc::new(Atom::Bool(true)),
        false_: Gc::new(Atom::Bool(false)),
        not_implemented: Gc::new(Atom::NotImplemented),
        ellipsis: Gc::new(Atom::Ellipsis),
        empty_str: Gc::new(Atom::Str(PyStr::new("".into()))),
        null: Gc::new(Atom::None),
        small,
        chars,
    }
}

#[inline]
fn with<R>(f: impl FnOnce(&Singletons) -> R) -> R {
    SINGLETONS.with(|s| f(s.get_or_init(make_singletons)))
}

/// Whether `x` is one of the immortal singletons (`sys.getrefcount` reports them as CPython
/// 3.12+ does, with the immortal count).
pub(crate) fn is_immortal(x: &PyRef) -> bool {
    let Some(a) = x.atom() else { return false };
    match a {
        Atom::Int(i) => {
            (SMALL_MIN..=SMALL_MAX).contains(i)
                && with(|s| Gc::ptr_eq(&s.small[(i - SMALL_MIN) as usize], x.as_atom_gc()))
        }
        Atom::None | Atom::Bool(_) | Atom::NotImplemented | Atom::Ellipsis => true,
        Atom::Str(s) => s.s.len() <= 1 && s.is_ascii(),
        _ => false,
    }
}

/// `None`.
#[inline]
pub(crate) fn none() -> PyRef {
    with(|s| PyRef::A(s.none.clone()))
}

/// `True` or `False`.
#[inline]
pub(crate) fn bool_(b: bool) -> PyRef {
    with(|s| PyRef::A(if b { s.true_.clone() } else { s.false_.clone() }))
}

/// The marker `LoadMethod` pushes where no `self` goes (CPython's NULL on the stack); never
/// visible to Python code.
#[inline]
pub(crate) fn null() -> PyRef {
    with(|s| PyRef::A(s.null.clone()))
}

/// `NotImplemented`.
pub(crate) fn not_implemented() -> PyRef {
    with(|s| PyRef::A(s.not_implemented.clone()))
}

/// `...`.
pub(crate) fn ellipsis() -> PyRef {
    with(|s| PyRef::A(s.ellipsis.clone()))
}

/// An `int`.
#[inline]
pub(crate) fn int(i: i64) -> PyRef {
    if (SMALL_MIN..=SMALL_MAX).contains(&i) {
        return with(|s| PyRef::A(s.small[(i - SMALL_MIN) as usize].clone()));
    }
    PyRef::A(Gc::new(Atom::Int(i)))
}

/// An `int` from a big integer, normalized to the i64 form when it fits.
pub(crate) fn bigint(b: BigInt) -> PyRef {
    match b.to_i64() {
        Some(i) => int(i),
        None => PyRef::A(Gc::new(Atom::Big(b))),
    }
}

/// A `complex`.
#[inline]
pub(crate) fn complex(real: f64, imag: f64) -> PyRef {
    PyRef::A(Gc::new(Atom::Complex(real, imag)))
}

/// A `float`.
#[inline]
pub(crate) fn float(f: f64) -> PyRef {
    PyRef::A(Gc::new(Atom::Float(f)))
}

/// A `str`; the empty string and one-character ASCII strings are shared, as in CPython.
pub(crate) fn str_(s: &str) -> PyRef {
    match s.as_bytes() {
        [] => with(|x| PyRef::A(x.empty_str.clone())),
        [c] if c.is_ascii() => with(|x| PyRef::A(x.chars[*c as usize].clone())),
        _ => PyRef::A(Gc::new(Atom::Str(PyStr::new(s.into())))),
    }
}

/// A `str` from an owned string.
pub(crate) fn string(s: String) -> PyRef {
    if s.len() <= 1 {
        return str_(&s);
    }
    PyRef::A(Gc::new(Atom::Str(PyStr::new(s.into_boxed_str()))))
}

/// A `bytes`.
pub(crate) fn bytes(b: Vec<u8>) -> PyRef {
    PyRef::A(Gc::new(Atom::Bytes(b.into_boxed_slice())))
}

/// A `tuple`.
pub(crate) fn tuple(items: Vec<PyRef>) -> PyRef {
    Obj::new(Kind::Tuple(items.into_boxed_slice()))
}

/// A `list`.
pub(crate) fn list(items: Vec<PyRef>) -> PyRef {
    Obj::new(Kind::List(std::cell::RefCell::new(items)))
}

/// A `dict`.
pub(crate) fn dict(d: Dict) -> PyRef {
    Obj::new(Kind::Dict(std::cell::RefCell::new(d)))
}

/// A code object as a Python value.
pub(crate) fn code(c: Rc<crate::code::Code>) -> PyRef {
    PyRef::A(Gc::new(Atom::Code(c)))
}

impl PyRef {
    /// The atom handle; only called on atoms.
    fn as_atom_gc(&self) -> &Gc<Atom> {
        match self {
            PyRef::A(a) => a,
            PyRef::O(_) => unreachable!("checked by the caller"),
        }
    }
}
