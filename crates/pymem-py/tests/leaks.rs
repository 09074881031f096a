//! Leak oracle: a program run again on the same interpreter, after `Interpreter::reset`, must
//! leave exactly what the run before it left: the same tracked objects and the same object
//! blocks. (The first run may leave more: imported modules stay loaded, caches fill.) A
//! reference a run forgets to release — an exception left "handled", garbage kept in
//! `gc.garbage` — grows the heap by the same amount at every run, which this catches long
//! before a sanitizer's exit check does.

use std::path::{Path, PathBuf};

use pymem_py::{Interpreter, Limits};

const UNLOAD_HELPERS: &str = "import sys\nfor k in [k for k in sys.modules if k.startswith('modhelper')]: del sys.modules[k]\n";

/// What a run leaves behind after a full collection.
fn residue(py: &mut Interpreter, program: &Path) -> (usize, usize) {
    py.set_limits(Limits {
        instructions: Some(2_000_000),
        max_sequence_len: Some(1_000_000),
    });
    py.set_output_captured(true);
    let _ = py.run_file(program);
    // Imported modules stay loaded across runs, and their state may grow by design (046
    // appends to a helper module's registry): the helpers are unloaded as a new process would
    // start without them.
    py.run_source(UNLOAD_HELPERS, "<leaks>")
        .expect("sys.modules edited");
    py.reset();
    drop(py.take_output());
    pymem::gc::collect();
    let objects = pymem::gc::get_objects(None)
        .expect("every generation")
        .len();
    (objects, pymem::sys::getallocatedblocks())
}

fn conformance_programs() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../conformance");
    let mut programs: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("the conformance directory")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .filter(|p| {
            !p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("modhelper")
        })
        .collect();
    programs.sort();
    programs
}

#[test]
#[cfg_attr(miri, ignore = "runs every conformance program three times")]
fn a_program_run_again_leaves_nothing_more_behind() {
    let mut py = Interpreter::new();
    let mut leaks = Vec::new();
    let programs = conformance_programs();
    assert!(programs.len() >= 80, "found {} programs", programs.len());
    for p in &programs {
        residue(&mut py, p);
        let second = residue(&mut py, p);
        let third = residue(&mut py, p);
        if second != third {
            leaks.push(format!("{}: {second:?} then {third:?}", p.display()));
        }
    }
    assert!(
        leaks.is_empty(),
        "(objects, blocks) grew:\n{}",
        leaks.join("\n")
    );
}
