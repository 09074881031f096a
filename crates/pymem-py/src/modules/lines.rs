//! (L3) The `_pymem` module (pymem's hooks for the profiling modules written in Python): line
//! events for chosen code objects, what memory_profiler's `@profile` needs (CPython gives it
//! `sys.settrace`; here only the profiled code pays), and [`super::render`]'s SVG drawing.
//!
//! The evaluator asks [`on`] before each instruction: one thread-local load while no hook is
//! set. With hooks set, [`event`] calls a code object's callback with the line number each
//! time a new line starts in it, or the same line is entered again by a backward jump (a
//! loop's header), as CPython's `line` events do.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::code::Code;
use crate::error::{PyResult, type_error};
use crate::frame::Frame;
use crate::obj::{Atom, BuiltinDef, PyRef};
use crate::{call, val};

use super::{Kw, add_functions, fns, new_module, no_kw};

/// A hooked code object, its callback and where its last event was (pc, line).
struct Hook {
    code: Rc<Code>,
    callback: PyRef,
    last: Cell<(usize, u32)>,
}

thread_local! {
    /// Whether any hook is set (the evaluator's only cost when none is).
    static ON: Cell<bool> = const { Cell::new(false) };
    static HOOKS: RefCell<Vec<Rc<Hook>>> = const { RefCell::new(Vec::new()) };
}

/// The module's functions.
static FUNCTIONS: &[BuiltinDef] = fns![
    "set_line_hook" => set_line_hook,
];

/// Makes the `_pymem` module.
pub(crate) fn create() -> PyRef {
    let (module, d) = new_module("_pymem", "pymem's hooks for the profiling modules.");
    add_functions(&d, FUNCTIONS);
    add_functions(&d, super::render::FUNCTIONS);
    module
}

/// Whether a line hook is set on this thread.
#[inline(always)]
pub(crate) fn on() -> bool {
    ON.with(Cell::get)
}

/// The instruction at `f.pc` is about to run: a line event if its code is hooked and a
/// line starts.
pub(crate) fn event(f: &Frame) -> PyResult<()> {
    let hook = HOOKS.with(|h| {
        h.borrow()
            .iter()
            .find(|k| Rc::ptr_eq(&k.code, &f.code))
            .cloned()
    });
    let Some(hook) = hook else { return Ok(()) };
    let line = f.code.line_of(f.pc);
    let (last_pc, last_line) = hook.last.replace((f.pc, line));
    if line == last_line && f.pc > last_pc {
        return Ok(());
    }
    call::call(&hook.callback, &[val::int(line as i64)], &[]).map(drop)
}

/// `_pymem.set_line_hook(code, callback)`: `callback(lineno)` at each line of `code`;
/// `callback=None` removes the hook.
fn set_line_hook(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    no_kw("set_line_hook", kw)?;
    let [code, callback] = args else {
        return Err(type_error("set_line_hook() takes exactly 2 arguments"));
    };
    let PyRef::A(a) = code else {
        return Err(type_error("set_line_hook() needs a code object"));
    };
    let Atom::Code(code) = &**a else {
        return Err(type_error("set_line_hook() needs a code object"));
    };
    let old = HOOKS.with(|h| {
        let mut h = h.borrow_mut();
        let old: Vec<_> = h.extract_if(.., |k| Rc::ptr_eq(&k.code, code)).collect();
        if !callback.is_none() {
            let last = Cell::new((usize::MAX, 0));
            let (code, callback) = (code.clone(), callback.clone());
            h.push(Rc::new(Hook {
                code,
                callback,
                last,
            }));
        }
        ON.with(|on| on.set(!h.is_empty()));
        old
    });
    drop(old);
    Ok(val::none())
}

#[cfg(test)]
mod tests {
    /// What `source` prints, run on a fresh interpreter with its output captured.
    fn output_of(source: &str) -> String {
        let mut py = crate::Interpreter::new();
        py.set_output_captured(true);
        let _ = py.run_source(source, "<test>");
        py.take_output()
    }

    const LOOP: &str = "import _pymem\ndef f(n):\n    t = 0\n    for i in range(n):\n        \
                        t += i\n    if t > 100:\n        t = 0\n    return t\nseen = []\n";

    /// The expected lines are the `line` events CPython 3.13's `sys.settrace` reports for
    /// `f(3)`: a loop's header once per iteration and once more at its end.
    #[test]
    fn line_events_are_cpythons() {
        let src = format!(
            "{LOOP}_pymem.set_line_hook(f.__code__, seen.append)\nf(3)\n\
             _pymem.set_line_hook(f.__code__, None)\nf(3)\nprint(seen)\n"
        );
        assert_eq!(output_of(&src), "[3, 4, 5, 4, 5, 4, 5, 4, 6, 8]\n");
        assert!(!super::on(), "the last hook removed turns the check off");
    }

    #[test]
    fn a_failing_callback_raises_in_the_hooked_code() {
        let src = format!(
            "{LOOP}def bad(n):\n    raise KeyError(n)\n_pymem.set_line_hook(f.__code__, bad)\n\
             try:\n    f(3)\nexcept KeyError as e:\n    print('KeyError', e)\n\
             _pymem.set_line_hook(f.__code__, None)\n"
        );
        assert_eq!(output_of(&src), "KeyError 3\n");
    }

    /// The chain is the program's own structure: the global `cache`, its key, the list index
    /// and the attribute that hold the object.
    #[test]
    fn why_alive_names_each_hop() {
        let src = "import pymem\nclass Node:\n    def __init__(self):\n        self.kids = []\n\
                   cache = {'items': [Node()]}\ncache['items'][0].kids.append(Node())\n\
                   t = pymem.why_alive(cache['items'][0].kids[0], file=open('/dev/null', 'w'))\n\
                   print(t)\n";
        assert_eq!(
            output_of(src),
            "Node is alive because:\n  module __main__.__dict__ -> dict\n  dict['cache'] -> dict\n  \
             dict['items'] -> list\n  list[0] -> Node\n  Node.kids -> list\n  list[0] -> Node\n"
        );
    }
}
