//! (L0) CPython 3.13's object-specific free lists on pymem's (`pymem::freelist`): floats
//! among the [`Atom`]s; dicts, lists and tuples of length 1..=20 among the [`Obj`]s, with
//! CPython's capacities; and their section of `sys._debugmallocstats()`.
//!
//! What differs from CPython, and why:
//! * One Rust type holds several Python types, so one `Gc<Atom>` (or `Gc<Obj>`) block
//!   size serves every list of the type: a 1-tuple's block and a 20-tuple's are the same
//!   size (the items live in a separate buffer), and the keyed lists only do CPython's
//!   bookkeeping (which list, its capacity, its count). The sizes printed are ours.
//! * pymem-py's dict has no separate keys object, so there is no `PyDictKeysObject` list
//!   and no line for it.
//! * Objects freed by the collector (cycles) go back to the pools, where CPython's
//!   `tp_dealloc` would put them on a list; free lists fill from reference-count deaths.

use pymem::freelist::{FreeList, FreeListSpec};
use pymem::sys;

use crate::obj::{Atom, Kind, Obj};

/// CPython's `PyTuple_MAXSAVESIZE`: tuples of length 1..=20 have lists.
const TUPLE_LISTS: usize = 20;

/// CPython's capacities (`pycore_freelist.h`).
const FLOATS: usize = 100;
const TUPLES: usize = 2000;
const LISTS: usize = 80;
const DICTS: usize = 80;

/// `Obj`'s lists: dict, list, then the tuples by length.
const DICT_LIST: usize = 0;
const LIST_LIST: usize = 1;
const FIRST_TUPLE_LIST: usize = 2;

const fn tuple(name: &'static str) -> FreeListSpec {
    FreeListSpec::new(name, TUPLES)
}

impl FreeList for Atom {
    const LISTS: &'static [FreeListSpec] = &[FreeListSpec::new("PyFloatObject", FLOATS)];

    fn free_list(&self) -> Option<usize> {
        matches!(self, Atom::Float(_)).then_some(0)
    }
}

impl FreeList for Obj {
    const LISTS: &'static [FreeListSpec] = &[
        FreeListSpec::new("PyDictObject", DICTS),
        FreeListSpec::new("PyListObject", LISTS),
        tuple("1-sized PyTupleObject"),
        tuple("2-sized PyTupleObject"),
        tuple("3-sized PyTupleObject"),
        tuple("4-sized PyTupleObject"),
        tuple("5-sized PyTupleObject"),
        tuple("6-sized PyTupleObject"),
        tuple("7-sized PyTupleObject"),
        tuple("8-sized PyTupleObject"),
        tuple("9-sized PyTupleObject"),
        tuple("10-sized PyTupleObject"),
        tuple("11-sized PyTupleObject"),
        tuple("12-sized PyTupleObject"),
        tuple("13-sized PyTupleObject"),
        tuple("14-sized PyTupleObject"),
        tuple("15-sized PyTupleObject"),
        tuple("16-sized PyTupleObject"),
        tuple("17-sized PyTupleObject"),
        tuple("18-sized PyTupleObject"),
        tuple("19-sized PyTupleObject"),
        tuple("20-sized PyTupleObject"),
    ];

    fn free_list(&self) -> Option<usize> {
        match &self.kind {
            Kind::Dict(_) => Some(DICT_LIST),
            Kind::List(_) => Some(LIST_LIST),
            Kind::Tuple(items) if (1..=TUPLE_LISTS).contains(&items.len()) => {
                Some(FIRST_TUPLE_LIST + items.len() - 1)
            }
            _ => None,
        }
    }
}

/// The free-list lines of `sys._debugmallocstats()` in CPython 3.13's order (its
/// `_PyObject_DebugTypeStats`: dicts, dict keys, floats, lists, tuples by length).
pub(crate) fn debug_stats() -> String {
    let objs = sys::freelist_stats::<Obj>();
    let floats = sys::freelist_stats::<Atom>();
    let (dict, list, tuples) = (
        &objs[DICT_LIST],
        &objs[LIST_LIST],
        &objs[FIRST_TUPLE_LIST..],
    );
    let ordered = [dict, &floats[0], list].into_iter().chain(tuples);
    ordered.map(ToString::to_string).collect()
}

#[cfg(test)]
mod tests {
    use crate::Interpreter;

    /// The program whose `sys._debugmallocstats()` the test compares with CPython's.
    const PROGRAM: &str = "\
import gc, sys
gc.collect()
a = [i + 0.5 for i in range(10)]
t = [(i,) for i in range(5)]
p = [(i, i) for i in range(3)]
d = [{} for i in range(4)]
del a, t, p, d
sys._debugmallocstats()
";

    /// "N free NAMEs" of each free-list line (the sizes are ours).
    fn counts(out: &str) -> Vec<String> {
        let lines = out.lines().filter(|l| l.contains(" free "));
        lines
            .map(|l| l.split(" * ").next().unwrap().trim().to_owned())
            .collect()
    }

    #[test]
    fn debugmallocstats_counts_the_lists_as_cpython_does() {
        let mut interp = Interpreter::new();
        interp.set_output_captured(true);
        interp.run_source(PROGRAM, "freelists.py").unwrap();
        // CPython 3.13.0 running PROGRAM, less its `PyDictKeysObjects` line (no such
        // objects here): 4 dicts, 10 floats, 4 lists, 5 1-tuples, 3 2-tuples, no others.
        let mut cpython = vec!["4 free PyDictObjects", "10 free PyFloatObjects"];
        cpython.extend(["4 free PyListObjects", "5 free 1-sized PyTupleObjects"]);
        let others = (3..=20).map(|n| format!("0 free {n}-sized PyTupleObjects"));
        let mut expected: Vec<String> = cpython.into_iter().map(str::to_owned).collect();
        expected.push("3 free 2-sized PyTupleObjects".to_owned());
        expected.extend(others);
        assert_eq!(counts(&interp.take_output()), expected);
    }
}
