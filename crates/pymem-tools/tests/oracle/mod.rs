//! Running the Python oracles: CPython 3.13 in a venv with memory_profiler 0.61, psutil and
//! prometheus-client, found through `PYMEM_TOOLS_PY` (see docs/observability.md).

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The venv's python, or `None` after printing why the caller skips; with
/// `PYMEM_REQUIRE_PYTHON=1` (which `.ci/run` sets) a missing venv fails instead.
pub(crate) fn python() -> Option<String> {
    match std::env::var("PYMEM_TOOLS_PY") {
        Ok(py) if !py.is_empty() => Some(py),
        _ => {
            let required = std::env::var("PYMEM_REQUIRE_PYTHON").is_ok_and(|v| v == "1");
            assert!(
                !required,
                "PYMEM_REQUIRE_PYTHON=1 but PYMEM_TOOLS_PY is not set"
            );
            println!("skipped: PYMEM_TOOLS_PY is not set (the venv of ci/tools-venv.sh)");
            None
        }
    }
}

/// Runs `python -c code` with `stdin` as input (and `args`); its stdout. Panics with stderr.
pub(crate) fn run(py: &str, code: &str, args: &[&str], stdin: &str) -> String {
    let mut child = Command::new(py)
        .arg("-c")
        .arg(code)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "python failed: {stderr}");
    String::from_utf8(out.stdout).unwrap()
}

/// A fresh scratch directory for one test (not every test file uses it).
#[allow(dead_code)]
pub(crate) fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pymem-tools-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
