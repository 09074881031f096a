//! (L3) The library modules written in Python (`itertools`, `functools`, `collections`,
//! `contextlib`, and the `_functools`, `_collections` they import): their source is
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
    ("itertools", include_str!("../../lib/itertools.py")),
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
pub(crate) fn hides_frames(filename: &str) -> bool {
    HIDDEN.contains(&filename)
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

    #[test]
    fn only_the_c_stand_ins_hide_frames() {
        assert!(hides_frames(&file_name("itertools")));
        assert!(hides_frames(&file_name("_functools")));
        assert!(!hides_frames(&file_name("contextlib")));
        assert!(!hides_frames("/tmp/itertools.py"));
    }
}
