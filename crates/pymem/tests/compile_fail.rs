//! Compile-fail tests (reliability-plan scenario 37): what the type system must refuse.
//! The expected errors are in `tests/ui/*.stderr` (regenerate with `TRYBUILD=overwrite`
//! after a toolchain update, and read the diff).

#[test]
#[cfg_attr(miri, ignore)] // runs rustc; nothing for Miri to check
fn the_type_system_refuses_sharing_across_threads_and_safe_trace_impls() {
    trybuild::TestCases::new().compile_fail("tests/ui/*.rs");
}
