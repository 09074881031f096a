//! (L2) The built-in types and exception classes, classes made by `class` statements, and
//! attribute lookup along the MRO.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use pymem::Gc;

use crate::dict::Dict;
use crate::obj::{Kind, Obj, PyRef, TypeObj};

pub(crate) use crate::obj::BuiltinType;

use BuiltinType as B;

/// Every built-in type with its Python name, in declaration order.
pub(crate) const BUILTIN_TYPES: &[(BuiltinType, &str)] = &[
    (B::Object, "object"),
    (B::Type, "type"),
    (B::NoneType, "NoneType"),
    (B::NotImplementedType, "NotImplementedType"),
    (B::Ellipsis, "ellipsis"),
    (B::Int, "int"),
    (B::Bool, "bool"),
    (B::Float, "float"),
    (B::Complex, "complex"),
    (B::Str, "str"),
    (B::Bytes, "bytes"),
    (B::ByteArray, "bytearray"),
    (B::List, "list"),
    (B::Tuple, "tuple"),
    (B::Dict, "dict"),
    (B::Set, "set"),
    (B::FrozenSet, "frozenset"),
    (B::Range, "range"),
    (B::Slice, "slice"),
    (B::Function, "function"),
    (B::Method, "method"),
    (B::BuiltinFunction, "builtin_function_or_method"),
    (B::Cell, "cell"),
    (B::Module, "module"),
    (B::Generator, "generator"),
    (B::Property, "property"),
    (B::ClassMethod, "classmethod"),
    (B::StaticMethod, "staticmethod"),
    (B::Super, "super"),
    (B::WeakRef, "weakref.ReferenceType"),
    (B::Traceback, "traceback"),
    (B::Code, "code"),
    (B::Iterator, "iterator"),
    (B::RangeIterator, "range_iterator"),
    (B::DictKeys, "dict_keys"),
    (B::DictValues, "dict_values"),
    (B::DictItems, "dict_items"),
    (B::Enumerate, "enumerate"),
    (B::Zip, "zip"),
    (B::Map, "map"),
    (B::Filter, "filter"),
    (B::Reversed, "reversed"),
    (B::BaseException, "BaseException"),
];

/// The built-in exception classes and their bases (CPython's hierarchy), base first.
pub(crate) const EXCEPTIONS: &[(&str, &str)] = &[
    ("BaseException", ""),
    ("BaseExceptionGroup", "BaseException"),
    ("GeneratorExit", "BaseException"),
    ("KeyboardInterrupt", "BaseException"),
    ("SystemExit", "BaseException"),
    ("Exception", "BaseException"),
    ("ArithmeticError", "Exception"),
    ("FloatingPointError", "ArithmeticError"),
    ("OverflowError", "ArithmeticError"),
    ("ZeroDivisionError", "ArithmeticError"),
    ("AssertionError", "Exception"),
    ("AttributeError", "Exception"),
    ("BufferError", "Exception"),
    ("EOFError", "Exception"),
    ("ImportError", "Exception"),
    ("ModuleNotFoundError", "ImportError"),
    ("LookupError", "Exception"),
    ("IndexError", "LookupError"),
    ("KeyError", "LookupError"),
    ("MemoryError", "Exception"),
    ("NameError", "Exception"),
    ("UnboundLocalError", "NameError"),
    ("OSError", "Exception"),
    ("BlockingIOError", "OSError"),
    ("ChildProcessError", "OSError"),
    ("ConnectionError", "OSError"),
    ("BrokenPipeError", "ConnectionError"),
    ("ConnectionAbortedError", "ConnectionError"),
    ("ConnectionRefusedError", "ConnectionError"),
    ("ConnectionResetError", "ConnectionError"),
    ("FileExistsError", "OSError"),
    ("FileNotFoundError", "OSError"),
    ("IsADirectoryError", "OSError"),
    ("NotADirectoryError", "OSError"),
    ("InterruptedError", "OSError"),
    ("PermissionError", "OSError"),
    ("ProcessLookupError", "OSError"),
    ("TimeoutError", "OSError"),
    ("ReferenceError", "Exception"),
    ("RuntimeError", "Exception"),
    ("NotImplementedError", "RuntimeError"),
    ("RecursionError", "RuntimeError"),
    ("PythonFinalizationError", "RuntimeError"),
    ("StopAsyncIteration", "Exception"),
    ("StopIteration", "Exception"),
    ("SyntaxError", "Exception"),
    ("IndentationError", "SyntaxError"),
    ("TabError", "IndentationError"),
    ("SystemError", "Exception"),
    ("TypeError", "Exception"),
    ("ValueError", "Exception"),
    ("UnicodeError", "ValueError"),
    ("UnicodeDecodeError", "UnicodeError"),
    ("UnicodeEncodeError", "UnicodeError"),
    ("UnicodeTranslateError", "UnicodeError"),
    ("Warning", "Exception"),
    ("DeprecationWarning", "Warning"),
    ("RuntimeWarning", "Warning"),
    ("UserWarning", "Warning"),
    ("ResourceWarning", "Warning"),
    ("PendingDeprecationWarning", "Warning"),
    ("SyntaxWarning", "Warning"),
    ("FutureWarning", "Warning"),
    ("ImportWarning", "Warning"),
    ("UnicodeWarning", "Warning"),
    ("BytesWarning", "Warning"),
    ("EncodingWarning", "Warning"),
];

/// The type objects of the built-in types and exceptions. Immortal: created once per
/// interpreter thread and never freed, as CPython's static types.
pub(crate) struct Types {
    builtin: Vec<Gc<Obj>>,
    exceptions: Vec<Gc<Obj>>,
}

thread_local! {
    static TYPES: Cell<Option<&'static Types>> = const { Cell::new(None) };
}

/// This thread's built-in types (created on first use).
#[inline]
pub(crate) fn types() -> &'static Types {
    TYPES.with(|t| match t.get() {
        Some(types) => types,
        None => init(t),
    })
}

#[cold]
fn init(cell: &Cell<Option<&'static Types>>) -> &'static Types {
    let object = new_builtin_type("object", &[], B::Object);
    let mut builtin = vec![object.clone()];
    for &(bt, name) in &BUILTIN_TYPES[1..] {
        let base = match bt {
            B::Bool => builtin[B::Int as usize].clone(),
            _ => object.clone(),
        };
        builtin.push(new_builtin_type(name, &[base], bt));
    }
    let mut exceptions: Vec<Gc<Obj>> = Vec::new();
    for &(name, base) in EXCEPTIONS {
        let ty = match EXCEPTIONS.iter().position(|&(n, _)| n == base) {
            None => builtin[B::BaseException as usize].clone(),
            Some(i) => new_builtin_type(name, &[exceptions[i].clone()], B::BaseException),
        };
        exceptions.push(ty);
    }
    let types: &'static Types = Box::leak(Box::new(Types {
        builtin,
        exceptions,
    }));
    cell.set(Some(types));
    types
}

/// A type object for a built-in type or exception.
fn new_builtin_type(name: &str, bases: &[Gc<Obj>], bt: BuiltinType) -> Gc<Obj> {
    let name: Rc<str> = name.rsplit('.').next().unwrap_or(name).into();
    let ty = TypeObj {
        name: RefCell::new(name.clone()),
        qualname: RefCell::new(name),
        bases: bases.into(),
        mro: RefCell::new(Box::new([])),
        dict: RefCell::new(Dict::new()),
        builtin: (bt != B::BaseException
            || bases.len() == 1 && tobj(&bases[0]).builtin == Some(B::Object))
        .then_some(bt),
        slot_names: Box::new([]),
        has_dict: bt == B::BaseException || bt == B::Function || bt == B::Module,
        has_weakref: false,
        payload: Some(bt),
        hooks: Cell::new((0, 0)),
    };
    let obj = Gc::new(Obj {
        kind: Kind::Type(Box::new(ty)),
    });
    let mro = compute_mro(&obj, bases).unwrap_or_default();
    if let Kind::Type(t) = &obj.kind {
        *t.mro.borrow_mut() = mro;
    }
    obj
}

impl Types {
    /// The type object of `bt`.
    #[inline]
    pub(crate) fn get(&self, bt: BuiltinType) -> &Gc<Obj> {
        &self.builtin[bt as usize]
    }

    /// The exception class named `name` (one of [`EXCEPTIONS`]).
    pub(crate) fn exc(&self, name: &str) -> &Gc<Obj> {
        let i = EXCEPTIONS.iter().position(|&(n, _)| n == name);
        &self.exceptions[i.unwrap_or_else(|| panic!("no built-in exception {name}"))]
    }

    /// All exception classes with their names.
    pub(crate) fn exceptions(&self) -> impl Iterator<Item = (&'static str, &Gc<Obj>)> {
        EXCEPTIONS.iter().map(|e| e.0).zip(self.exceptions.iter())
    }
}

/// The type object of a type.
#[inline]
pub(crate) fn tobj(ty: &Gc<Obj>) -> &TypeObj {
    match &ty.kind {
        Kind::Type(t) => t,
        _ => unreachable!("a class is always a type object"),
    }
}

/// C3 linearization (CPython's `mro_internal`): the class, then the merge of its bases'
/// MROs and the bases themselves. `None` when no consistent order exists.
pub(crate) fn compute_mro(cls: &Gc<Obj>, bases: &[Gc<Obj>]) -> Option<Box<[Gc<Obj>]>> {
    let mut seqs: Vec<Vec<Gc<Obj>>> = bases
        .iter()
        .map(|b| tobj(b).mro.borrow().to_vec())
        .collect();
    seqs.push(bases.to_vec());
    let mut out = vec![cls.clone()];
    loop {
        seqs.retain(|s| !s.is_empty());
        if seqs.is_empty() {
            return Some(out.into());
        }
        let head = seqs
            .iter()
            .map(|s| &s[0])
            .find(|h| !in_tail(&seqs, h))?
            .clone();
        for s in &mut seqs {
            if Gc::ptr_eq(&s[0], &head) {
                s.remove(0);
            }
        }
        out.push(head);
    }
}

fn in_tail(seqs: &[Vec<Gc<Obj>>], h: &Gc<Obj>) -> bool {
    seqs.iter().any(|s| s[1..].iter().any(|x| Gc::ptr_eq(x, h)))
}

/// Looks `name` up in the dicts along `ty`'s MRO (CPython's `_PyType_Lookup`). Type dicts
/// hold str keys only, so the lookup runs no Python code.
pub(crate) fn lookup(ty: &Gc<Obj>, name: &str) -> Option<PyRef> {
    let (at, pos) = lookup_place(ty, name)?;
    let mro = tobj(ty).mro.borrow();
    let d = tobj(mro.get(at)?).dict.borrow();
    d.entry_at(pos).map(|e| e.value.clone())
}

/// Where `name` is along `ty`'s MRO: the class's index and the entry's position in its
/// dict. Answers come from the method cache (CPython's `type_cache`) when they can: a hit
/// costs a hash of the type and the name's address, and one string comparison.
fn lookup_place(ty: &Gc<Obj>, name: &str) -> Option<(usize, usize)> {
    let key = cache_key(ty, name);
    let epoch = EPOCH.with(Cell::get);
    let hit = MCACHE.with(|c| {
        let c = c.borrow();
        let e = c.get(key % CACHE_SIZE)?;
        (e.epoch == epoch && e.ty == Gc::id(ty) && *e.name == *name).then_some(e.place)
    });
    if let Some(place) = hit {
        return place;
    }
    let place = walk_mro(ty, name);
    let entry = CacheEntry {
        epoch,
        ty: Gc::id(ty),
        name: name.into(),
        place,
    };
    let old = MCACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.is_empty() {
            c.resize_with(CACHE_SIZE, CacheEntry::default);
        }
        std::mem::replace(&mut c[key % CACHE_SIZE], entry)
    });
    drop(old);
    place
}

fn walk_mro(ty: &Gc<Obj>, name: &str) -> Option<(usize, usize)> {
    let hash = crate::hash::str_hash(name);
    let mro = tobj(ty).mro.borrow();
    mro.iter().enumerate().find_map(|(i, c)| {
        let d = tobj(c).dict.borrow();
        d.find(hash, |k| k.as_str() == Some(name))
            .map(|pos| (i, pos))
    })
}

fn cache_key(ty: &Gc<Obj>, name: &str) -> usize {
    let h = (Gc::id(ty) as u64 >> 4) ^ (name.as_ptr() as u64).rotate_left(17) ^ name.len() as u64;
    (h.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40) as usize
}

const CACHE_SIZE: usize = 4096;

/// One method-cache slot: valid while `epoch` is current.
#[derive(Default)]
struct CacheEntry {
    epoch: u64,
    ty: usize,
    name: Box<str>,
    place: Option<(usize, usize)>,
}

thread_local! {
    static MCACHE: std::cell::RefCell<Vec<CacheEntry>> = const { std::cell::RefCell::new(Vec::new()) };
    /// Bumped by every change to a class's dict or MRO and every class's death, which makes
    /// every cached answer stale at once (CPython versions each type instead).
    static EPOCH: Cell<u64> = const { Cell::new(1) };
}

/// Invalidates the method cache: call after writing to any class's dict.
pub(crate) fn type_modified() {
    let _ = EPOCH.try_with(|e| e.set(e.get() + 1));
}

/// The attribute hooks [`python_hook`] knows, as bits of `TypeObj::hooks`.
pub(crate) const HOOK_GETATTRIBUTE: u8 = 1;
pub(crate) const HOOK_SETATTR: u8 = 2;
pub(crate) const HOOK_DELATTR: u8 = 4;
const HOOK_NAMES: [(u8, &str); 3] = [
    (HOOK_GETATTRIBUTE, "__getattribute__"),
    (HOOK_SETATTR, "__setattr__"),
    (HOOK_DELATTR, "__delattr__"),
];

/// Whether `ty` has the attribute hook `hook` as a Python function, which then replaces
/// the generic attribute access. Budget: one epoch comparison while no class changed; the
/// three MRO lookups run once per class and epoch.
#[inline]
pub(crate) fn python_hook(ty: &Gc<Obj>, hook: u8) -> bool {
    let t = tobj(ty);
    let epoch = EPOCH.with(Cell::get);
    let (at, bits) = t.hooks.get();
    let bits = if at == epoch {
        bits
    } else {
        compute_hooks(ty, epoch)
    };
    bits & hook != 0
}

#[cold]
fn compute_hooks(ty: &Gc<Obj>, epoch: u64) -> u8 {
    let is_function = |f: PyRef| matches!(f.kind(), Some(Kind::Function(_)));
    let bits = HOOK_NAMES
        .iter()
        .filter(|(_, name)| lookup(ty, name).is_some_and(is_function))
        .fold(0, |acc, (bit, _)| acc | bit);
    tobj(ty).hooks.set((epoch, bits));
    bits
}

/// As [`lookup`], but `None` when the first class defining `name` is a built-in type: the
/// special method is then the built-in behaviour, which callers run natively.
pub(crate) fn lookup_override(ty: &Gc<Obj>, name: &str) -> Option<PyRef> {
    let (at, pos) = lookup_place(ty, name)?;
    let mro = tobj(ty).mro.borrow();
    let ct = tobj(mro.get(at)?);
    if ct.builtin.is_some() {
        return None;
    }
    let d = ct.dict.borrow();
    d.entry_at(pos).map(|e| e.value.clone())
}

/// `d[name]` for a str key, without running Python code (str keys compare natively).
pub(crate) fn dict_get_str(d: &Dict, name: &str) -> Option<PyRef> {
    dict_get_hashed(d, name, crate::hash::str_hash(name))
}

/// [`dict_get_str`] with the name's hash known (see [`crate::hash::name_hash`]).
#[inline]
pub(crate) fn dict_get_hashed(d: &Dict, name: &str, hash: u64) -> Option<PyRef> {
    let pos = d.find(hash, |k| k.as_str() == Some(name))?;
    d.entry_at(pos).map(|e| e.value.clone())
}

/// `d[name] = value` for a str key; returns the value it replaced, to be dropped by the
/// caller once the borrow is released.
pub(crate) fn dict_set_str(d: &mut Dict, key: PyRef, value: PyRef) -> Option<PyRef> {
    let name = key.as_str().unwrap_or_default();
    let hash = crate::hash::name_hash(&key);
    match d.find(hash, |k| k.as_str() == Some(name)) {
        Some(pos) => d.replace_at(pos, value),
        None => {
            d.insert_new(hash, key, value);
            None
        }
    }
}

/// Whether `sub` is `sup` or derives from it.
pub(crate) fn is_subtype(sub: &Gc<Obj>, sup: &Gc<Obj>) -> bool {
    Gc::ptr_eq(sub, sup) || tobj(sub).mro.borrow().iter().any(|c| Gc::ptr_eq(c, sup))
}

/// The built-in type an object's kind belongs to (instances excluded).
pub(crate) fn kind_type(kind: &Kind) -> BuiltinType {
    match kind {
        Kind::List(_) => B::List,
        Kind::Tuple(_) => B::Tuple,
        Kind::Dict(_) => B::Dict,
        Kind::Set(_, false) => B::Set,
        Kind::Set(_, true) => B::FrozenSet,
        Kind::Instance(_) => B::Object,
        Kind::Type(_) => B::Type,
        Kind::Function(_) => B::Function,
        Kind::Method(..) => B::Method,
        Kind::Builtin(..) => B::BuiltinFunction,
        Kind::Cell(_) => B::Cell,
        Kind::Module(_) => B::Module,
        Kind::Generator(_) => B::Generator,
        Kind::Iter(st) => st.try_borrow().map_or(B::Iterator, |st| iter_type(&st)),
        Kind::DictView(_, k) => match k {
            crate::obj::DictIterKind::Keys => B::DictKeys,
            crate::obj::DictIterKind::Values => B::DictValues,
            crate::obj::DictIterKind::Items => B::DictItems,
        },
        Kind::Property(_) => B::Property,
        Kind::ClassMethod(_) => B::ClassMethod,
        Kind::StaticMethod(_) => B::StaticMethod,
        Kind::Super(..) => B::Super,
        Kind::Slice(_) => B::Slice,
        Kind::WeakRef(_) => B::WeakRef,
        Kind::Traceback(_) => B::Traceback,
        Kind::ByteArray(_) => B::ByteArray,
    }
}

/// The type of a built-in iterator: the lazy builtins are types of their own.
pub(crate) fn iter_type(st: &crate::obj::IterState) -> BuiltinType {
    use crate::obj::IterState as S;
    match st {
        S::Enumerate(..) => B::Enumerate,
        S::Zip(..) => B::Zip,
        S::Map(..) => B::Map,
        S::Filter(..) => B::Filter,
        S::Reversed(x, _) if !matches!(x.payload(), Some(Kind::List(_))) => B::Reversed,
        S::Done(bt) => *bt,
        _ => B::Iterator,
    }
}

/// `type(x)`.
pub(crate) fn type_of(x: &PyRef) -> Gc<Obj> {
    use crate::obj::Atom;
    let bt = match x {
        PyRef::O(o) => match &o.kind {
            Kind::Instance(i) => return i.cls.clone(),
            kind => kind_type(kind),
        },
        PyRef::A(a) => match &**a {
            Atom::None => B::NoneType,
            Atom::NotImplemented => B::NotImplementedType,
            Atom::Ellipsis => B::Ellipsis,
            Atom::Bool(_) => B::Bool,
            Atom::Int(_) | Atom::Big(_) => B::Int,
            Atom::Float(_) => B::Float,
            Atom::Complex(..) => B::Complex,
            Atom::Str(_) => B::Str,
            Atom::Bytes(_) => B::Bytes,
            Atom::Range(_) => B::Range,
            Atom::RangeIter(_) => B::RangeIterator,
            Atom::Code(_) => B::Code,
        },
    };
    types().get(bt).clone()
}

/// The name pymem's `gc.DEBUG_COLLECTABLE` lines give an object: its type's `__name__`, as
/// CPython prints `tp_name` (the class's name for an instance, not the Rust type's).
pub(crate) fn fmt_type_name(o: &Obj, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    let name = match &o.kind {
        Kind::Instance(i) => tobj(&i.cls).name.borrow().clone(),
        kind => tobj(types().get(kind_type(kind))).name.borrow().clone(),
    };
    f.write_str(&name)
}

/// The name of `x`'s type, as error messages show it.
pub(crate) fn type_name(x: &PyRef) -> Rc<str> {
    tobj(&type_of(x)).name.borrow().clone()
}

impl Drop for Obj {
    /// CPython's `list_dealloc` and `tuple_dealloc` release items last to first; the order
    /// in which `__del__` methods of the items run shows it.
    fn drop(&mut self) {
        match &mut self.kind {
            Kind::List(items) => drop_reversed(std::mem::take(items.get_mut())),
            Kind::Tuple(items) => drop_reversed(std::mem::take(items).into_vec()),
            // A dead class's address may be reused: the method cache must forget it.
            Kind::Type(_) => type_modified(),
            _ => {}
        }
    }
}

fn drop_reversed(mut items: Vec<PyRef>) {
    while let Some(x) = items.pop() {
        drop(x);
    }
}
