//! The modules of `crates/pymem/src` form a stack (`docs/design.md`, "Layers"): a module
//! uses modules of its own layer or of lower ones, never of a higher one, with one
//! documented exception, the heap asking the collector to run. This test reads the
//! sources and fails on any other upward use, naming it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Each top-level module and its layer; `lib` sits above them all.
const LAYERS: &[(&str, u8)] = &[
    // L0 mechanism
    ("unwind", 0),
    ("unraisable", 0),
    ("header", 0),
    ("vtable", 0),
    ("list", 0),
    ("trace", 0),
    ("trace_impls", 0),
    ("trashcan", 0),
    ("memory_error", 0),
    ("nomemory", 0),
    ("freelist", 0),
    // L1 the heap
    ("heap", 1),
    ("alloc", 1),
    // L2 objects
    ("object", 2),
    ("erased", 2),
    ("weak", 2),
    ("finalize", 2),
    ("dealloc", 2),
    // L3 the collector
    ("collect", 3),
    // L4 the Python-named modules
    ("gc", 4),
    ("sys", 4),
    ("weakref", 4),
    ("tracemalloc", 4),
    ("lib", 5),
];

/// The one upward use allowed: `_PyObject_GC_Link`'s automatic collection and the final
/// collections at thread exit, both the heap asking the collector to run.
const UPCALLS: &[(&str, &str)] = &[("heap", "collect")];

fn layer(module: &str) -> u8 {
    LAYERS
        .iter()
        .find(|(name, _)| *name == module)
        .unwrap_or_else(|| panic!("module `{module}` has no layer in tests/layers.rs"))
        .1
}

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a source file belongs to.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// The code of a file without comments (doc links name modules they do not use).
fn code(text: &str) -> String {
    text.lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules a piece of code names through `crate::`, including
/// `use crate::{a, b::c}` groups.
fn uses(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name = item.trim().split("::").next().unwrap_or("").trim();
                found.insert(name.to_string());
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            found.insert(name);
        }
    }
    found.retain(|name| !name.is_empty() && name != "self");
    found
}

#[test]
#[cfg_attr(miri, ignore = "reads the source files")]
fn no_module_uses_a_higher_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    let mut upward = Vec::new();
    for file in &files {
        let module = module_of(&src, file);
        let text = std::fs::read_to_string(file).unwrap();
        for used in uses(&code(&text)) {
            if LAYERS.iter().all(|(name, _)| *name != used) {
                continue; // an item of lib.rs (a macro, a re-export), not a module
            }
            let allowed = UPCALLS.contains(&(module.as_str(), used.as_str()));
            if layer(&used) > layer(&module) && !allowed {
                let path = file.strip_prefix(&src).unwrap().display();
                upward.push(format!(
                    "{path}: `{module}` (L{}) uses `{used}` (L{})",
                    layer(&module),
                    layer(&used)
                ));
            }
        }
    }
    assert!(upward.is_empty(), "upward uses:\n{}", upward.join("\n"));
}

#[test]
#[cfg_attr(miri, ignore = "reads the source files")]
fn every_module_has_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    for file in &files {
        layer(&module_of(&src, file));
    }
}
