//! Python programs on pymem's heap: a Python 3.13 subset in which every object is a pymem
//! object, so that reference counts, cycles, `gc`, `weakref`, `__del__` and `tracemalloc`
//! behave as on CPython.
//!
//! Layers, bottom up (a module uses its own layer or lower ones):
//! - L0 data: `obj` (the object model), `freelists` (its free lists), `dict` (the table),
//!   `code` (compiled code), `frame`.
//! - L1 values and the compiler: `val` (constructors and singletons), `format` (number and
//!   string formatting), `compile` (source to code).
//! - L2 the runtime, one layer because its parts call each other as CPython's `ceval.c`,
//!   `abstract.c` and the built-in types do: `types`, `error`, `hash`, `ops`, `num`, `seq`,
//!   `repr`, `iter`, `dictops`, `attr`, `special`, `call`, `vm`, `eval`, `methods`,
//!   `builtins`, `modules`, `interp`, `traceback`.
//! - L3 this file: the public API (`Interpreter`, `Limits`, `RunError`).

mod attr;
mod builtins;
mod call;
mod code;
mod compile;
mod dict;
mod dictops;
mod embed;
mod error;
mod eval;
mod format;
mod frame;
mod freelists;
mod hash;
mod interp;
mod iter;
mod methods;
mod modules;
mod num;
mod obj;
mod ops;
mod repr;
mod seq;
mod special;
mod traceback;
mod traced;
mod types;
mod val;
mod vm;

pub use embed::{Exception, Module, Value};
pub use interp::{Interpreter, Limits, RunError};
