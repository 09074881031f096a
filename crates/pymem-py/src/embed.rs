//! (L3) Embedding: built-in modules written in Rust, and the Python values their functions
//! take and return.
//!
//! A [`Module`] names functions (Rust closures) and constants; [`Interpreter::add_module`]
//! makes it a module object and puts it in `sys.modules`, so that `import name` finds it.
//! Each function is a `builtin_function_or_method` (`<built-in function name>`), bound
//! to a hidden module object that carries the closure.
//!
//! [`Interpreter::add_module`]: crate::Interpreter::add_module

use std::fmt;
use std::rc::Rc;

use crate::error::{PyResult, err};
use crate::obj::{Atom, BuiltinDef, Kind, Obj, PyRef};
use crate::{modules, ops, types, val};

/// A Python object, as a function written in Rust receives or returns it. It lives on this
/// thread's pymem heap: cloning it adds a reference, dropping it removes one.
#[derive(Clone)]
pub struct Value(PyRef);

impl Value {
    /// `None`.
    pub fn none() -> Value {
        Value(val::none())
    }

    /// An `int`.
    pub fn int(i: i64) -> Value {
        Value(val::int(i))
    }

    /// A `float`.
    pub fn float(f: f64) -> Value {
        Value(val::float(f))
    }

    /// A `bool`.
    pub fn bool(b: bool) -> Value {
        Value(val::bool_(b))
    }

    /// A `str`.
    pub fn str(s: &str) -> Value {
        Value(val::str_(s))
    }

    /// A `list` of the values.
    pub fn list(items: Vec<Value>) -> Value {
        Value(val::list(items.into_iter().map(|v| v.0).collect()))
    }

    /// A `tuple` of the values.
    pub fn tuple(items: Vec<Value>) -> Value {
        Value(val::tuple(items.into_iter().map(|v| v.0).collect()))
    }

    /// The value of an `int` (or `bool`) that fits an `i64`.
    pub fn as_int(&self) -> Option<i64> {
        match self.0.atom()? {
            Atom::Int(i) => Some(*i),
            Atom::Bool(b) => Some(i64::from(*b)),
            _ => None,
        }
    }

    /// The value of a `float`, or of an `int` that fits an `i64`, as a float.
    pub fn as_float(&self) -> Option<f64> {
        match self.0.atom()? {
            Atom::Float(f) => Some(*f),
            _ => self.as_int().map(|i| i as f64),
        }
    }

    /// The text of a `str`.
    pub fn as_str(&self) -> Option<&str> {
        self.0.as_str()
    }

    /// Whether this is `None`.
    pub fn is_none(&self) -> bool {
        self.0.is_none()
    }

    /// The items of a list or tuple.
    pub fn items(&self) -> Option<Vec<Value>> {
        match self.0.payload()? {
            Kind::List(l) => Some(l.borrow().iter().cloned().map(Value).collect()),
            Kind::Tuple(t) => Some(t.iter().cloned().map(Value).collect()),
            _ => None,
        }
    }

    /// The name of the value's type (`int`, `list`, a class's name).
    pub fn type_name(&self) -> String {
        types::type_name(&self.0).to_string()
    }

    /// `repr(value)` (which may run Python code, and so fail).
    pub fn repr(&self) -> Result<String, Exception> {
        ops::repr(&self.0).map_err(Exception::from_py)
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.repr() {
            Ok(r) => f.write_str(&r),
            Err(_) => write!(f, "<{} object>", self.type_name()),
        }
    }
}

/// A Python exception, raised by a function written in Rust (or met by [`Value::repr`]):
/// the name of a built-in exception type and the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exception {
    kind: String,
    message: String,
}

impl Exception {
    /// `kind(message)`, where `kind` names a built-in exception (`"ValueError"`,
    /// `"TypeError"`…). An unknown name is raised as `SystemError`, naming it.
    pub fn new(kind: &str, message: impl Into<String>) -> Exception {
        Exception {
            kind: kind.to_owned(),
            message: message.into(),
        }
    }

    /// The exception type's name.
    pub fn kind(&self) -> &str {
        &self.kind
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }

    fn from_py(e: crate::error::PyErr) -> Exception {
        let kind = types::type_name(&e.0).to_string();
        let message = crate::repr::message_of(&e);
        let message = message
            .split_once(": ")
            .map_or(String::new(), |(_, m)| m.to_owned());
        Exception { kind, message }
    }

    fn into_py(self) -> crate::error::PyErr {
        let known = types::types().exceptions().any(|(n, _)| n == self.kind);
        match known {
            true => err(&self.kind, self.message),
            false => err(
                "SystemError",
                format!("unknown exception type {}: {}", self.kind, self.message),
            ),
        }
    }
}

impl fmt::Display for Exception {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind, self.message)
    }
}

impl std::error::Error for Exception {}

/// A function written in Rust, callable from Python with positional arguments.
type NativeFn = dyn Fn(&[Value]) -> Result<Value, Exception>;

/// A built-in module written in Rust: its functions and constants, added to an
/// interpreter with [`Interpreter::add_module`](crate::Interpreter::add_module).
///
/// ```
/// use pymem_py::{Exception, Interpreter, Module, Value};
///
/// let mut py = Interpreter::new();
/// py.add_module(
///     Module::new("geometry")
///         .constant("UNIT", Value::float(1.0))
///         .function("area", |args| match args {
///             [w, h] => match (w.as_float(), h.as_float()) {
///                 (Some(w), Some(h)) => Ok(Value::float(w * h)),
///                 _ => Err(Exception::new("TypeError", "area() takes two numbers")),
///             },
///             _ => Err(Exception::new("TypeError", "area() takes 2 arguments")),
///         }),
/// );
/// py.run_source("import geometry\nprint(geometry.area(3, 4.5))", "<embed>").unwrap();
/// ```
pub struct Module {
    name: String,
    doc: String,
    functions: Vec<(String, Rc<NativeFn>)>,
    constants: Vec<(String, Value)>,
}

impl Module {
    /// An empty module called `name`.
    pub fn new(name: &str) -> Module {
        Module {
            name: name.to_owned(),
            doc: String::new(),
            functions: Vec::new(),
            constants: Vec::new(),
        }
    }

    /// Sets the module's `__doc__`.
    pub fn doc(mut self, doc: &str) -> Module {
        doc.clone_into(&mut self.doc);
        self
    }

    /// Adds a function: Python calls `f` with the positional arguments (a keyword
    /// argument is a `TypeError`); its `Err` is raised as that exception.
    pub fn function(
        mut self,
        name: &str,
        f: impl Fn(&[Value]) -> Result<Value, Exception> + 'static,
    ) -> Module {
        self.functions.push((name.to_owned(), Rc::new(f)));
        self
    }

    /// Adds a constant.
    pub fn constant(mut self, name: &str, value: Value) -> Module {
        self.constants.push((name.to_owned(), value));
        self
    }
}

/// Makes the module object and puts it in `sys.modules` (replacing a module of that name).
pub(crate) fn install(m: Module) {
    let (module, dict) = modules::new_module(&m.name, &m.doc);
    for (name, value) in m.constants {
        modules::set_attr(&dict, &name, value.0);
    }
    for (name, f) in m.functions {
        modules::set_attr(&dict, &name, native_function(&name, &m.name, f));
    }
    if let Some(d) = modules::sys::modules_dict().as_dict() {
        // Fails only if hashing a str failed, which it cannot.
        let _ = crate::dictops::set(d, val::str_(&m.name), module);
    }
}

/// A `builtin_function_or_method` that calls `f`. Its definition is leaked (one per
/// function an embedder adds, for the program's life): built-ins name a `'static`
/// definition. The closure rides on the hidden module object it is bound to, so the
/// function's repr is `<built-in function name>`, as for a module's functions.
fn native_function(name: &str, module: &str, f: Rc<NativeFn>) -> PyRef {
    let name: &'static str = Box::leak(name.to_owned().into_boxed_str());
    let def: &'static BuiltinDef = Box::leak(Box::new(BuiltinDef {
        name,
        func: call_native,
    }));
    let (carrier, _) = modules::new_module(module, "");
    modules::attach_native(&carrier, Rc::new(f));
    Obj::new(Kind::Builtin(def, Some(carrier)))
}

/// The built-in every native function calls through: `args[0]` is the carrier.
fn call_native(args: &[PyRef], kwargs: &[(PyRef, PyRef)]) -> PyResult {
    let f = args
        .first()
        .and_then(modules::native::<Rc<NativeFn>>)
        .ok_or_else(|| err("SystemError", "a native function lost its closure"))?;
    if !kwargs.is_empty() {
        return Err(err(
            "TypeError",
            "functions written in Rust take no keyword arguments",
        ));
    }
    let values: Vec<Value> = args[1..].iter().cloned().map(Value).collect();
    f(&values).map(|v| v.0).map_err(Exception::into_py)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Interpreter;

    /// What `source` prints, with `module` added.
    fn run_with(module: Module, source: &str) -> String {
        let mut py = Interpreter::new();
        py.add_module(module);
        py.set_output_captured(true);
        let result = py.run_source(source, "<embed-test>");
        let out = py.take_output();
        assert!(result.is_ok(), "{out}");
        out
    }

    fn counter() -> Module {
        let calls = std::cell::Cell::new(0);
        Module::new("native")
            .doc("made in Rust")
            .constant("ANSWER", Value::int(42))
            .function("count", move |_| {
                calls.set(calls.get() + 1);
                Ok(Value::int(calls.get()))
            })
            .function("pair", |args| {
                let items: Vec<Value> = args.iter().rev().cloned().collect();
                Ok(Value::tuple(items))
            })
            .function("fail", |args| {
                let what = args.first().and_then(Value::as_str).unwrap_or("?");
                Err(Exception::new("ValueError", format!("bad {what}")))
            })
    }

    #[test]
    fn python_calls_rust_functions_and_reads_constants() {
        let out = run_with(
            counter(),
            "import native\n\
             print(native.ANSWER, native.count(), native.count(), native.pair(1, 'b'))\n\
             print(native.__doc__, native.count)\n\
             try:\n    native.fail('input')\nexcept ValueError as e:\n    print('caught', e)\n\
             try:\n    native.count(x=1)\nexcept TypeError as e:\n    print('caught', e)\n",
        );
        assert_eq!(
            out,
            "42 1 2 ('b', 1)\nmade in Rust <built-in function count>\ncaught bad input\n\
             caught functions written in Rust take no keyword arguments\n"
        );
    }

    #[test]
    fn values_convert_both_ways() {
        assert_eq!(Value::int(7).as_int(), Some(7));
        assert_eq!(Value::bool(true).as_int(), Some(1));
        assert_eq!(Value::int(3).as_float(), Some(3.0));
        assert_eq!(Value::str("hé").as_str(), Some("hé"));
        assert!(Value::none().is_none());
        let l = Value::list(vec![Value::int(1), Value::str("x")]);
        assert_eq!(l.repr().unwrap(), "[1, 'x']");
        assert_eq!(l.items().map(|v| v.len()), Some(2));
        assert_eq!(l.type_name(), "list");
        assert_eq!(format!("{:?}", Value::float(0.1)), "0.1");
    }

    #[test]
    fn an_unknown_exception_name_is_a_system_error() {
        let out = run_with(
            Module::new("odd").function("f", |_| Err(Exception::new("NoSuchError", "boom"))),
            "import odd\ntry:\n    odd.f()\nexcept SystemError as e:\n    print(e)\n",
        );
        assert_eq!(out, "unknown exception type NoSuchError: boom\n");
    }
}
