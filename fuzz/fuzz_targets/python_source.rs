//! Python source text, compiled and run by pymem-py: the oracle is that nothing panics, no
//! sanitizer fires and the stack never overflows. Programs that never end are cut off by an
//! instruction budget and sequences are capped in size, so that every input ends quickly;
//! the interpreter is reset between inputs so that one input's state (gc disabled,
//! tracemalloc on, globals) does not leak into the next.
#![no_main]

use std::cell::RefCell;

use libfuzzer_sys::fuzz_target;

thread_local! {
    static PY: RefCell<pymem_py::Interpreter> = RefCell::new(pymem_py::Interpreter::new());
}

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else { return };
    PY.with(|py| {
        let mut py = py.borrow_mut();
        py.set_limits(pymem_py::Limits { instructions: Some(50_000), max_sequence_len: Some(20_000) });
        py.set_output_captured(true);
        let _ = py.run_source(source, "<fuzz>");
        py.reset();
        drop(py.take_output());
    });
});
