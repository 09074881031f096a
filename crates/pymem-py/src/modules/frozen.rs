//! (L3) The library modules written in Python (`itertools`, `functools`, `collections`,
//! `contextlib`, the profiling tools `psutil`, `objgraph`, `guppy` and `memory_profiler`, `pymem` (`why_alive`, `heap_report`), and the `_functools`, `_collections` they import): their source is
//! bundled in the binary from `crates/pymem-py/lib/` and run on first import like a `.py`
//! file beside the script, with `__file__` set to `<frozen NAME>`.
//!
//! What CPython writes in C (`itertools`, `_functools`, `_collections`) leaves no frames
//! in CPython's tracebacks; [`hides_frames`] says which of ours tracebacks leave out.

/// The frozen modules, by name.
const FROZEN: &[(&str, &str)] = &[
    ("_collections", include_str!("../../lib/_collections.py")),
    ("_functools", include_str!("../../lib/_functools.py")),
    ("collections", include_str!("../../lib/collections.py")),
    ("contextlib", include_str!("../../lib/contextlib.py")),
    ("functools", include_str!("../../lib/functools.py")),
    ("guppy", include_str!("../../lib/guppy.py")),
    ("itertools", include_str!("../../lib/itertools.py")),
    (
        "memory_profiler",
        include_str!("../../lib/memory_profiler.py"),
    ),
    ("objgraph", include_str!("../../lib/objgraph.py")),
    ("psutil", include_str!("../../lib/psutil.py")),
    ("pymem", include_str!("../../lib/pymem.py")),
];

/// The source of the frozen module `name`, if there is one.
pub(crate) fn source(name: &str) -> Option<&'static str> {
    FROZEN.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

/// The `__file__` of a frozen module: a name no file has, as CPython's frozen modules'
/// `co_filename` is.
pub(crate) fn file_name(name: &str) -> String {
    format!("<frozen {name}>")
}

/// The frozen modules that stand for C code in CPython: their frames are not printed.
const HIDDEN: &[&str] = &[
    "<frozen _collections>",
    "<frozen _functools>",
    "<frozen itertools>",
];

/// Whether a printed traceback leaves out frames of code from `filename`.
#[inline]
pub(crate) fn hides_frames(filename: &str) -> bool {
    filename.starts_with("<frozen ") && HIDDEN.contains(&filename)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_frozen_module_compiles() {
        for (name, src) in FROZEN {
            let file = file_name(name);
            assert!(crate::compile::compile(src, &file, false).is_ok(), "{name}");
        }
    }

    /// What `source` prints, run on a fresh interpreter with its output captured.
    fn output_of(source: &str) -> String {
        let mut py = crate::Interpreter::new();
        py.set_output_captured(true);
        let _ = py.run_source(source, "<test>");
        py.take_output()
    }

    /// The expected lines are CPython 3.13's output for the same source.
    #[test]
    fn a_namedtuple_is_a_tuple_subclass() {
        let src = "import collections\nP = collections.namedtuple('P', 'x y')\np = P(1, y=2)\n\
                   print(p, isinstance(p, tuple), p == (1, 2), hash(p) == hash((1, 2)), p._asdict())\n";
        assert_eq!(
            output_of(src),
            "P(x=1, y=2) True True True {'x': 1, 'y': 2}\n"
        );
    }

    #[test]
    fn tuple_new_makes_subclass_instances_and_checks_its_class() {
        let src = "class T(tuple): pass\nt = tuple.__new__(T, [1, 2])\n\
                   print(type(t).__name__, t, tuple.__new__(tuple, 'ab'))\n\
                   try:\n    tuple.__new__(int)\nexcept TypeError as e:\n    print(e)\n";
        assert_eq!(
            output_of(src),
            "T (1, 2) ('a', 'b')\ntuple.__new__(int): int is not a subtype of tuple\n"
        );
    }

    #[test]
    fn only_the_c_stand_ins_hide_frames() {
        assert!(hides_frames(&file_name("itertools")));
        assert!(hides_frames(&file_name("_functools")));
        assert!(!hides_frames(&file_name("contextlib")));
        assert!(!hides_frames("/tmp/itertools.py"));
    }
}
