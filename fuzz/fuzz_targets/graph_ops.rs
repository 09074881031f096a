//! The graph model of `crates/pymem/tests/all/model/` (`program.rs`, `shadow.rs`) on fuzzer input: the first
//! byte picks explicit or automatic collection (and the thresholds), every next three bytes
//! one operation. An oracle that fails aborts the process, which libFuzzer reports as a
//! crash.
//!
//! The programs panic on purpose (the hostile kinds, callbacks and hooks), and the harness
//! catches those panics, so the panic hook that libfuzzer-sys installs, which aborts on
//! every panic, is replaced by a silent one. A panic nothing catches still aborts: the
//! fuzz_target wrapper turns it into an abort.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../crates/pymem/tests/all/model/hostile.rs"]
mod hostile;
#[path = "../../crates/pymem/tests/all/model/program.rs"]
mod program;
#[path = "../../crates/pymem/tests/all/model/shadow.rs"]
mod shadow;

use program::{Mode, Op};

/// As many operations as the proptest programs have at most.
const MAX_OPS: usize = 1200;

fuzz_target!(init: std::panic::set_hook(Box::new(|_| {})), |data: &[u8]| {
    let Some((&mode, bytes)) = data.split_first() else {
        return;
    };
    let ops = bytes.chunks_exact(3).take(MAX_OPS);
    let ops: Vec<Op> = ops.map(|c| Op::from_bytes([c[0], c[1], c[2]])).collect();
    if let Err(failure) = program::run(Mode::from_byte(mode), &ops) {
        eprintln!("oracle failed: {failure}");
        std::process::abort();
    }
});
