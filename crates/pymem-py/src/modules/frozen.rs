//! (L3) The library modules written in Python (`itertools`, `functools`, `collections`,
//! `contextlib`): their source is bundled in the binary from `crates/pymem-py/lib/` and
//! run on first import like a `.py` file beside the script, with `__file__` set to
//! `<frozen NAME>` (there is no file: tracebacks through them show no source line).

/// The frozen modules, by name.
const FROZEN: &[(&str, &str)] = &[
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
}
