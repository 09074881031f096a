//! The allocator model of `crates/pymem-alloc/tests/model/program.rs` on fuzzer input:
//! every three bytes one operation. An oracle that fails panics (a crash to libFuzzer).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../crates/pymem-alloc/tests/model/program.rs"]
mod program;

use program::Op;

/// As many operations as the proptest programs have at most.
const MAX_OPS: usize = 2000;

fuzz_target!(|data: &[u8]| {
    let ops = data.chunks_exact(3).take(MAX_OPS);
    let ops: Vec<Op> = ops.map(|c| Op::from_bytes([c[0], c[1], c[2]])).collect();
    program::run(&ops);
});
