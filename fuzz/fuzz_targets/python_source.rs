//! Python source text, compiled and run by pymem-py: the oracle is that nothing panics and
//! no sanitizer fires. Programs that never end are cut off by an instruction budget, and
//! sequences are capped in size, so that every input finishes quickly.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else { return };
    let mut py = pymem_py::Interpreter::new();
    py.set_limits(pymem_py::Limits { instructions: Some(200_000), max_sequence_len: Some(100_000) });
    py.set_output_captured(true);
    let _ = py.run_source(source, "<fuzz>");
});
