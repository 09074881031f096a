//! Random programs against a reference reachability model (docs/reliability.md): the
//! operations and the harness are in `model/program.rs`, the shadow graph and its oracles in
//! `model/shadow.rs`, both shared with the fuzz target `fuzz/fuzz_targets/graph_ops.rs`;
//! this file generates the programs with proptest. `model/python.rs` runs the same kind of
//! programs in CPython and compares (the differential oracle).

mod hostile;
mod program;
mod python;
mod shadow;

use program::{Mode, Op};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    let cases = if cfg!(miri) { 4 } else { 512 };
    let cases = std::env::var("PYMEM_MODEL_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Programs decoded from bytes as the fuzzer's are, so that both draw from the same
/// weights. About a quarter of the operations allocate: up to ~300 objects per program.
fn program() -> impl Strategy<Value = Vec<Op>> {
    let max = if cfg!(miri) { 60 } else { 1200 };
    proptest::collection::vec(any::<[u8; 3]>().prop_map(Op::from_bytes), 0..max)
}

proptest! {
    #![proptest_config(config())]

    /// Explicit collections only.
    #[test]
    fn model_explicit_collections(ops in program()) {
        program::run(Mode::Explicit, &ops).map_err(TestCaseError::fail)?;
    }

    /// Automatic collections as well, with small thresholds so that they happen often.
    #[test]
    fn model_automatic_collections(ops in program(), mode in 1..=u8::MAX) {
        program::run(Mode::from_byte(mode), &ops).map_err(TestCaseError::fail)?;
    }
}

/// The differential oracle: programs run by pymem and by CPython (`PYMEM_PYTHON`, else
/// `python3`) agree on what was finalized, freed, called back and counted, step by step.
/// Without an interpreter the test passes with "skipped", unless `PYMEM_REQUIRE_PYTHON=1`.
#[test]
#[cfg_attr(miri, ignore = "spawns a Python process")]
fn model_matches_cpython() {
    let Some(python) = python_or_skip() else {
        return;
    };
    let count = env_number("PYMEM_DIFF_PROGRAMS", 1000);
    let seed = env_number("PYMEM_DIFF_SEED", 1) as u64;
    let programs = python::programs(seed, count, 400);
    let store = python::Store::Renew;
    let report = python::differential(&python, store, &programs).unwrap();
    let (major, minor) = python.version;
    eprintln!(
        "differential oracle, CPython {major}.{minor}: {} programs, {} operations, {} mismatches",
        report.programs,
        report.ops,
        report.mismatches.len()
    );
    assert_eq!(report.model_failures, Vec::<String>::new());
    let shown: Vec<&String> = report.mismatches.iter().take(5).collect();
    let mismatches = report.mismatches.len();
    assert!(
        mismatches == 0,
        "{mismatches} mismatches, the first: {shown:#?}"
    );
}

/// The first bug this oracle found, fixed since: an object resurrected by its finalizer
/// at refcount death is young again (CPython's `subtype_dealloc` tracks it anew in
/// generation 0), so a young collection frees it once it is garbage. pymem kept it in
/// its generation, where only an older collection found it.
#[test]
#[cfg_attr(miri, ignore = "spawns a Python process")]
fn resurrected_at_refcount_death_is_young_again_as_in_cpython() {
    let Some(python) = python_or_skip() else {
        return;
    };
    let ops = python::parse_line("n2 g0 d0 l0,0 d0 g0").unwrap();
    let report = python::differential(&python, python::Store::Renew, &[ops]).unwrap();
    assert_eq!(report.mismatches, Vec::<String>::new());
}

/// Scenario 53 as a program: a releasing finalizer (object 0) frees a resurrecting
/// object (2) by refcount in the middle of a collection's finalizers.
/// Resurrected there, it is young again in CPython (generation 0), so the young
/// collection at the end frees it; pymem kept it with the set's survivors (generation 2)
/// before `dealloc::finalize_at_zero` tracked it anew.
#[test]
#[cfg_attr(miri, ignore = "spawns a Python process")]
fn resurrected_inside_a_collection_is_young_again_as_in_cpython() {
    let Some(python) = python_or_skip() else {
        return;
    };
    let ops = python::parse_line("n3 n1 n2 l0,2 l2,1 l1,0 d0 d0 d0 g2 l0,0 d0 g0").unwrap();
    let report = python::differential(&python, python::Store::Renew, &[ops]).unwrap();
    assert_eq!(report.model_failures, Vec::<String>::new());
    assert_eq!(report.mismatches, Vec::<String>::new());
}

/// Shrinks a program on which pymem and CPython differ: `PYMEM_DIFF_PROGRAM="n0 n1 l0,1 …"`
/// (a line from the report above), `PYMEM_DIFF_STORE=move` for the other `StoreWeak`.
#[test]
#[ignore = "a tool: needs PYMEM_DIFF_PROGRAM"]
fn minimize_cpython_mismatch() {
    let line = std::env::var("PYMEM_DIFF_PROGRAM").expect("PYMEM_DIFF_PROGRAM");
    let ops = python::parse_line(&line).unwrap();
    let python = python::Python::find().expect("a Python interpreter");
    let store = match std::env::var("PYMEM_DIFF_STORE").as_deref() {
        Ok("move") => python::Store::Move,
        _ => python::Store::Renew,
    };
    eprintln!("{}", python::minimize(&python, store, ops).unwrap());
}

/// The interpreter, or `None` after printing "skipped" (a failure instead under
/// `PYMEM_REQUIRE_PYTHON=1`, which `.ci/run` sets).
fn python_or_skip() -> Option<python::Python> {
    let python = python::Python::find();
    if python.is_none() {
        let required = std::env::var("PYMEM_REQUIRE_PYTHON").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "PYMEM_REQUIRE_PYTHON=1 but no Python interpreter runs"
        );
        eprintln!("skipped: python3 not found");
    }
    python
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Shrinks a program on which pymem's own model oracles fail: `PYMEM_MODEL_PROGRAM="n0 n1
/// l0,1 …"` (`python::script_line`'s tokens), `PYMEM_MODEL_MODE=<byte>` for automatic
/// collections (`Mode::from_byte`; default explicit). Removes chunks of operations while
/// the program still fails, halving the chunk size when none can go.
#[test]
#[ignore = "a tool: needs PYMEM_MODEL_PROGRAM"]
fn minimize_model_failure() {
    let line = std::env::var("PYMEM_MODEL_PROGRAM").expect("PYMEM_MODEL_PROGRAM");
    let mode = Mode::from_byte(env_number("PYMEM_MODEL_MODE", 0) as u8);
    let mut ops = python::parse_line(&line).unwrap();
    let mut failure = program::run(mode, &ops).expect_err("the program fails");
    let mut size = ops.len().div_ceil(2);
    while size > 0 {
        let smaller = (0..ops.len()).step_by(size).find_map(|at| {
            let mut fewer = ops.clone();
            fewer.drain(at..(at + size).min(ops.len()));
            program::run(mode, &fewer).err().map(|f| (f, fewer))
        });
        match smaller {
            Some((f, fewer)) => (failure, ops) = (f, fewer),
            None => size /= 2,
        }
        size = size.min(ops.len());
    }
    eprintln!("{failure}\n  program: {}", python::script_line(&ops));
}
