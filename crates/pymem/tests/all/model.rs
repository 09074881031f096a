//! Random programs against a reference reachability model (reliability plan §3.3): the
//! operations and the harness are in `model/program.rs`, the shadow graph and its oracles in
//! `model/shadow.rs`, both shared with the fuzz target `fuzz/fuzz_targets/graph_ops.rs`;
//! this file generates the programs with proptest.

mod program;
mod shadow;

use program::{Mode, Op};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    let cases = if cfg!(miri) { 6 } else { 512 };
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
