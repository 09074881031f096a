//! (L0) Python objects as pymem objects: the two Rust types every Python value is.
//!
//! CPython keeps objects that cannot hold references (int, float, str, bytes, range) out of
//! the collector, and `gc.get_count()`, `gc.is_tracked` and the thresholds show it. pymem
//! decides tracking per Rust type, so those objects are [`Atom`]s (untracked) and every
//! container, instance, type and function is an [`Obj`] (tracked). A [`PyRef`] is one strong
//! reference to either.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use num_bigint::BigInt;
use pymem::{Gc, Trace, Weak};

use crate::code::Code;
use crate::dict::Dict;
use crate::frame::Frame;

/// One strong reference to a Python object.
#[derive(Clone, Trace)]
#[trace(tracked)]
pub(crate) enum PyRef {
    /// An object the collector does not track.
    A(Gc<Atom>),
    /// A container: tracked by the collector.
    O(Gc<Obj>),
}

/// The objects that hold no references (CPython allocates them untracked).
#[derive(Trace)]
#[trace(freelist)]
pub(crate) enum Atom {
    None,
    NotImplemented,
    Ellipsis,
    Bool(#[trace(skip)] bool),
    Int(#[trace(skip)] i64),
    Big(#[trace(skip)] BigInt),
    Float(#[trace(skip)] f64),
    /// A `complex`: `(real, imag)`.
    Complex(#[trace(skip)] f64, #[trace(skip)] f64),
    Str(#[trace(skip)] PyStr),
    Bytes(#[trace(skip)] Box<[u8]>),
    Range(#[trace(skip)] Range),
    /// A range iterator: `(next, stop, step)`. It holds no references, so CPython allocates
    /// it untracked; an atom, it counts toward no generation either.
    RangeIter(#[trace(skip)] Cell<(i64, i64, i64)>),
    /// A code object (`f.__code__`); shared with the functions made from it.
    Code(#[trace(skip)] Rc<Code>),
}

/// `range(start, stop, step)` over machine integers.
#[derive(Clone, Copy)]
pub(crate) struct Range {
    pub(crate) start: i64,
    pub(crate) stop: i64,
    pub(crate) step: i64,
}

impl Range {
    /// The number of values, as `len(range)`.
    pub(crate) fn len(&self) -> i64 {
        let (lo, hi, step) = if self.step > 0 {
            (self.start, self.stop, self.step)
        } else {
            (self.stop, self.start, -self.step)
        };
        if lo >= hi {
            0
        } else {
            (hi - lo - 1) / step + 1
        }
    }
}

impl Drop for PyStr {
    fn drop(&mut self) {
        crate::traced::untrack(self.s.as_ptr(), self.s.len());
    }
}

/// A Python `str`: UTF-8 with its length in code points kept, so that indexing an ASCII
/// string is O(1).
pub(crate) struct PyStr {
    pub(crate) s: Box<str>,
    pub(crate) nchars: usize,
    /// The cached hash, 0 until computed (as CPython's `-1`).
    pub(crate) hash: Cell<u64>,
}

impl PyStr {
    /// Wraps `s`, counting its code points once.
    pub(crate) fn new(s: Box<str>) -> PyStr {
        let nchars = if s.is_ascii() {
            s.len()
        } else {
            s.chars().count()
        };
        crate::traced::track(s.as_ptr(), s.len());
        PyStr {
            s,
            nchars,
            hash: Cell::new(0),
        }
    }

    /// Whether one byte is one character.
    pub(crate) fn is_ascii(&self) -> bool {
        self.nchars == self.s.len()
    }
}

/// The objects the collector tracks. Two hooks of the runtime hang on it, as pymem asks of
/// the type: `Finalize` (`__del__`, in `interp`) and the name pymem's `gc` reports give an
/// object (its class's, in `types`).
#[derive(Trace)]
#[trace(tracked, finalize, freelist, type_name = crate::types::fmt_type_name)]
pub(crate) struct Obj {
    pub(crate) kind: Kind,
}

/// What an [`Obj`] is.
#[derive(Trace)]
#[trace(tracked)]
pub(crate) enum Kind {
    List(RefCell<Vec<PyRef>>),
    Tuple(Box<[PyRef]>),
    Dict(RefCell<Dict>),
    /// A set or frozenset: a dict whose values are `None`.
    Set(RefCell<Dict>, #[trace(skip)] bool),
    Instance(Instance),
    Type(Box<TypeObj>),
    Function(Box<Func>),
    /// A bound method: `obj.method` for a Python function.
    Method(PyRef, PyRef),
    /// A built-in function, bound to its `self` when it is a method.
    Builtin(#[trace(skip)] &'static BuiltinDef, Option<PyRef>),
    Cell(RefCell<Option<PyRef>>),
    Module(Module),
    Generator(Generator),
    Iter(RefCell<IterState>),
    /// `d.keys()`, `d.values()`, `d.items()`.
    DictView(PyRef, #[trace(skip)] DictIterKind),
    Property(Box<[Option<PyRef>; 3]>),
    ClassMethod(PyRef),
    StaticMethod(PyRef),
    /// `super(type, obj)`: where the lookup starts, and the object.
    Super(PyRef, PyRef),
    Slice(Box<[PyRef; 3]>),
    /// `weakref.ref(obj[, callback])`.
    WeakRef(WeakRefObj),
    Traceback(Box<TbEntry>),
    ByteArray(#[trace(skip)] crate::traced::TracedBytes),
}

/// An instance of a class written in Python (exceptions included).
#[derive(Trace)]
#[trace(tracked)]
pub(crate) struct Instance {
    pub(crate) cls: Gc<Obj>,
    /// The instance's `__dict__`, absent when the class has `__slots__` only.
    pub(crate) dict: Option<InstanceDict>,
    pub(crate) slots: Box<[RefCell<Option<PyRef>>]>,
    pub(crate) exc: Option<Box<ExcState>>,
    /// The payload of a built-in base (`class Stack(list)`).
    pub(crate) base: Option<Box<Obj>>,
}

/// An instance's attributes. They live in a table inside the instance, with no dict object
/// (as CPython 3.13 keeps them inline), until a program asks for `__dict__`: from then on
/// they live in a dict object that the instance and the program share, so writes through
/// either are seen by both.
///
/// Invariant: `object`, when set, holds an object whose [`PyRef::as_dict`] is `Some`, and
/// `inline` is empty.
#[derive(Trace)]
pub(crate) struct InstanceDict {
    inline: RefCell<Dict>,
    object: RefCell<Option<PyRef>>,
}

/// Where an instance's attributes are now: borrowed from the instance, or a counted
/// reference to its dict object (so a `__dict__` replaced meanwhile stays alive).
pub(crate) enum DictCell<'a> {
    Inline(&'a RefCell<Dict>),
    Object(PyRef),
}

impl std::ops::Deref for DictCell<'_> {
    type Target = RefCell<Dict>;

    #[inline]
    fn deref(&self) -> &RefCell<Dict> {
        match self {
            DictCell::Inline(d) => d,
            DictCell::Object(o) => o.as_dict().expect("an instance's __dict__ is a dict"),
        }
    }
}

impl InstanceDict {
    /// An empty table, with no dict object.
    pub(crate) fn new() -> Self {
        InstanceDict {
            inline: RefCell::new(Dict::new()),
            object: RefCell::new(None),
        }
    }

    /// The table the attributes are in now.
    #[inline]
    pub(crate) fn table(&self) -> DictCell<'_> {
        match &*self.object.borrow() {
            None => DictCell::Inline(&self.inline),
            Some(o) => DictCell::Object(o.clone()),
        }
    }

    /// The dict object, made from the inline table on the first call (`x.__dict__`).
    pub(crate) fn materialize(&self, make: impl FnOnce(Dict) -> PyRef) -> PyRef {
        if let Some(o) = &*self.object.borrow() {
            return o.clone();
        }
        let d = make(std::mem::take(&mut *self.inline.borrow_mut()));
        *self.object.borrow_mut() = Some(d.clone());
        d
    }

    /// `x.__dict__ = d`: `d` (which must be a dict) becomes the table; `del x.__dict__`
    /// (`None`): an empty inline table. Returns what was there before, for the caller to
    /// drop once no borrow is held.
    pub(crate) fn replace(&self, d: Option<PyRef>) -> (Dict, Option<PyRef>) {
        debug_assert!(d.as_ref().is_none_or(|d| d.as_dict().is_some()));
        let old = self.object.replace(d);
        (std::mem::take(&mut *self.inline.borrow_mut()), old)
    }
}

/// What an exception instance carries besides its attributes.
#[derive(Trace)]
pub(crate) struct ExcState {
    pub(crate) args: RefCell<PyRef>,
    pub(crate) traceback: RefCell<Option<PyRef>>,
    pub(crate) cause: RefCell<Option<PyRef>>,
    pub(crate) context: RefCell<Option<PyRef>>,
    #[trace(skip)]
    pub(crate) suppress_context: Cell<bool>,
}

/// One entry of a traceback: where a frame was when the exception passed through it.
#[derive(Trace)]
pub(crate) struct TbEntry {
    #[trace(skip)]
    pub(crate) code: Rc<Code>,
    #[trace(skip)]
    pub(crate) pc: usize,
    pub(crate) next: RefCell<Option<PyRef>>,
    /// The frame object, which keeps the frame's locals alive once the frame has ended.
    pub(crate) frame: Option<PyRef>,
}

/// A class.
#[derive(Trace)]
pub(crate) struct TypeObj {
    #[trace(skip)]
    pub(crate) name: RefCell<Rc<str>>,
    #[trace(skip)]
    pub(crate) qualname: RefCell<Rc<str>>,
    pub(crate) bases: Box<[Gc<Obj>]>,
    pub(crate) mro: RefCell<Box<[Gc<Obj>]>>,
    pub(crate) dict: RefCell<Dict>,
    #[trace(skip)]
    pub(crate) builtin: Option<BuiltinType>,
    /// Slot names in layout order, inherited ones first.
    #[trace(skip)]
    pub(crate) slot_names: Box<[Rc<str>]>,
    #[trace(skip)]
    pub(crate) has_dict: bool,
    #[trace(skip)]
    pub(crate) has_weakref: bool,
    /// The built-in type whose payload instances carry (`list` for `class S(list)`).
    #[trace(skip)]
    pub(crate) payload: Option<BuiltinType>,
    /// Which attribute hooks (`__getattribute__`, `__setattr__`, `__delattr__`) the class
    /// has as Python functions, as bits, valid while the method cache's epoch is the first
    /// number (0: never computed).
    #[trace(skip)]
    pub(crate) hooks: Cell<(u64, u8)>,
}

/// A function written in Python.
#[derive(Trace)]
pub(crate) struct Func {
    #[trace(skip)]
    pub(crate) code: Rc<Code>,
    pub(crate) globals: Gc<Obj>,
    pub(crate) defaults: RefCell<Option<PyRef>>,
    pub(crate) kwdefaults: RefCell<Option<PyRef>>,
    pub(crate) closure: Box<[PyRef]>,
    pub(crate) dict: RefCell<Dict>,
    #[trace(skip)]
    pub(crate) name: RefCell<Rc<str>>,
    #[trace(skip)]
    pub(crate) qualname: RefCell<Rc<str>>,
    /// `__module__`, from the globals' `__name__` at creation.
    pub(crate) module: RefCell<PyRef>,
    pub(crate) doc: RefCell<PyRef>,
}

/// A module: its namespace.
#[derive(Trace)]
pub(crate) struct Module {
    pub(crate) dict: Gc<Obj>,
}

/// A generator: its suspended frame, absent while it runs or once it has finished.
#[derive(Trace)]
pub(crate) struct Generator {
    pub(crate) frame: RefCell<Option<Box<Frame>>>,
    #[trace(skip)]
    pub(crate) running: Cell<bool>,
    #[trace(skip)]
    pub(crate) code: Rc<Code>,
    #[trace(skip)]
    pub(crate) name: Rc<str>,
    #[trace(skip)]
    pub(crate) qualname: Rc<str>,
}

/// A weak reference object.
#[derive(Trace)]
pub(crate) struct WeakRefObj {
    pub(crate) target: Weak<Obj>,
    /// The callback, dropped once it has run.
    pub(crate) callback: RefCell<Option<PyRef>>,
    #[trace(skip)]
    pub(crate) hash: Cell<Option<u64>>,
}

/// The state of a built-in iterator.
#[derive(Trace)]
pub(crate) enum IterState {
    /// Over a sequence (list, tuple, str, bytes) by index.
    Seq(PyRef, #[trace(skip)] usize),
    /// Over a dict's or set's entries by position, yielding keys, values or items.
    Dict(
        PyRef,
        #[trace(skip)] usize,
        #[trace(skip)] DictIterKind,
        #[trace(skip)] usize,
    ),
    /// `seq[len-1], …, seq[0]`.
    Reversed(PyRef, #[trace(skip)] usize),
    Enumerate(PyRef, PyRef),
    Zip(Box<[PyRef]>, #[trace(skip)] bool),
    Map(PyRef, Box<[PyRef]>),
    Filter(PyRef, PyRef),
    /// `iter(callable, sentinel)`.
    Callable(PyRef, PyRef),
    /// Exhausted; keeps the iterator's type (`enumerate`, `zip`…) once its state is dropped.
    Done(#[trace(skip)] BuiltinType),
}

/// What a dict iterator yields.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum DictIterKind {
    Keys,
    Values,
    Items,
}

/// A raised exception: the exception instance.
pub(crate) struct PyErr(pub PyRef);

/// What every fallible operation returns.
pub(crate) type PyResult<T = PyRef> = Result<T, PyErr>;

/// A function implemented in Rust.
pub(crate) struct BuiltinDef {
    pub(crate) name: &'static str,
    pub(crate) func: BuiltinFn,
}

/// The signature of every built-in: positional arguments (the bound `self` first, for a
/// method) and keyword arguments.
pub(crate) type BuiltinFn = fn(&[PyRef], &[(PyRef, PyRef)]) -> PyResult;

impl PyRef {
    /// The object's identity (`id()`), its address.
    #[inline]
    pub(crate) fn id(&self) -> usize {
        match self {
            PyRef::A(a) => Gc::id(a),
            PyRef::O(o) => Gc::id(o),
        }
    }

    /// `self is other`.
    #[inline]
    pub(crate) fn is(&self, other: &PyRef) -> bool {
        self.id() == other.id()
    }

    /// The atom, if this is one.
    #[inline]
    pub(crate) fn atom(&self) -> Option<&Atom> {
        match self {
            PyRef::A(a) => Some(a),
            PyRef::O(_) => None,
        }
    }

    /// The tracked object's kind, if this is one.
    #[inline]
    pub(crate) fn kind(&self) -> Option<&Kind> {
        match self {
            PyRef::A(_) => None,
            PyRef::O(o) => Some(&o.kind),
        }
    }

    /// The tracked object, if this is one.
    #[inline]
    pub(crate) fn obj(&self) -> Option<&Gc<Obj>> {
        match self {
            PyRef::A(_) => None,
            PyRef::O(o) => Some(o),
        }
    }

    /// The current reference count.
    pub(crate) fn ref_count(&self) -> usize {
        match self {
            PyRef::A(a) => Gc::ref_count(a),
            PyRef::O(o) => Gc::ref_count(o),
        }
    }

    /// The string, if this is a `str`.
    #[inline]
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self.atom() {
            Some(Atom::Str(s)) => Some(&s.s),
            _ => None,
        }
    }

    /// The `str` payload, if this is one.
    #[inline]
    pub(crate) fn as_pystr(&self) -> Option<&PyStr> {
        match self.atom() {
            Some(Atom::Str(s)) => Some(s),
            _ => None,
        }
    }

    /// The value, if this is an `int` (or `bool`) that fits in an i64.
    #[inline]
    pub(crate) fn as_i64(&self) -> Option<i64> {
        match self.atom() {
            Some(Atom::Int(i)) => Some(*i),
            Some(Atom::Bool(b)) => Some(*b as i64),
            _ => None,
        }
    }

    /// The tuple's items, if this is a tuple (not a subclass).
    #[inline]
    pub(crate) fn as_tuple(&self) -> Option<&[PyRef]> {
        match self.kind() {
            Some(Kind::Tuple(t)) => Some(t),
            _ => None,
        }
    }

    /// The list, if this is a list or a subclass's payload.
    #[inline]
    pub(crate) fn as_list(&self) -> Option<&RefCell<Vec<PyRef>>> {
        match self.payload() {
            Some(Kind::List(l)) => Some(l),
            _ => None,
        }
    }

    /// The dict, if this is a dict or a subclass's payload.
    #[inline]
    pub(crate) fn as_dict(&self) -> Option<&RefCell<Dict>> {
        match self.payload() {
            Some(Kind::Dict(d)) => Some(d),
            _ => None,
        }
    }

    /// The built-in kind this object carries: its own, or a built-in base's payload.
    #[inline]
    pub(crate) fn payload(&self) -> Option<&Kind> {
        match self.kind()? {
            Kind::Instance(inst) => inst.base.as_deref().map(|b| &b.kind),
            kind => Some(kind),
        }
    }

    /// The instance, if this is an instance of a Python class.
    #[inline]
    pub(crate) fn as_instance(&self) -> Option<&Instance> {
        match self.kind() {
            Some(Kind::Instance(i)) => Some(i),
            _ => None,
        }
    }

    /// The class, if this is one.
    #[inline]
    pub(crate) fn as_type(&self) -> Option<&TypeObj> {
        match self.kind() {
            Some(Kind::Type(t)) => Some(t),
            _ => None,
        }
    }

    /// The exception state, if this is an exception.
    #[inline]
    pub(crate) fn exc(&self) -> Option<&ExcState> {
        self.as_instance()?.exc.as_deref()
    }

    /// Whether this is `None`.
    #[inline]
    pub(crate) fn is_none(&self) -> bool {
        matches!(self.atom(), Some(Atom::None))
    }
}

impl Obj {
    /// A new tracked object of `kind`.
    #[inline]
    // Objects are only ever handed out behind a `PyRef`, so that is what `new` makes.
    #[allow(clippy::new_ret_no_self)]
    pub(crate) fn new(kind: Kind) -> PyRef {
        PyRef::O(Gc::new(Obj { kind }))
    }
}

/// The built-in types, each with a fixed type object.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u8)]
pub(crate) enum BuiltinType {
    Object,
    Type,
    NoneType,
    NotImplementedType,
    Ellipsis,
    Int,
    Bool,
    Float,
    Complex,
    Str,
    Bytes,
    ByteArray,
    List,
    Tuple,
    Dict,
    Set,
    FrozenSet,
    Range,
    Slice,
    Function,
    Method,
    BuiltinFunction,
    Cell,
    Module,
    Generator,
    Property,
    ClassMethod,
    StaticMethod,
    Super,
    WeakRef,
    Traceback,
    Code,
    Iterator,
    RangeIterator,
    DictKeys,
    DictValues,
    DictItems,
    Enumerate,
    Zip,
    Map,
    Filter,
    Reversed,
    BaseException,
}
