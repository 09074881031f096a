//! Builds one `bench-cell` per global allocator and finds the CPython interpreters.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root (this crate is `crates/pymem-bench`).
pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

/// Builds `bench-cell` with the `bench-release` profile for `alloc` and copies it to
/// `target/pymem-bench/bench-cell-<alloc>`.
pub(crate) fn build_cell(alloc: &str) -> Result<PathBuf, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(root()).args([
        "build",
        "--quiet",
        "--profile",
        "bench-release",
        "-p",
        "pymem-bench",
        "--bin",
        "bench-cell",
    ]);
    if alloc != "glibc" {
        cmd.args(["--features", alloc]);
    }
    let status = cmd.status().map_err(|e| format!("cargo: {e}"))?;
    if !status.success() {
        return Err(format!("building bench-cell for {alloc} failed"));
    }
    let dir = root().join("target/pymem-bench");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let dest = dir.join(format!("bench-cell-{alloc}"));
    std::fs::copy(root().join("target/bench-release/bench-cell"), &dest)
        .map_err(|e| e.to_string())?;
    Ok(dest)
}

/// A CPython found on this machine.
pub(crate) struct Python {
    /// "3.11", "3.12", "3.13".
    pub(crate) minor: String,
    /// Full version as printed by the interpreter.
    pub(crate) version: String,
    pub(crate) program: String,
    pub(crate) env: Vec<(String, String)>,
}

/// CPython 3.11, 3.12 and 3.13, through pyenv when it has them, else `python3.X` on PATH.
/// Missing versions are reported and skipped.
pub(crate) fn pythons() -> Vec<Python> {
    let pyenv = Command::new("pyenv")
        .args(["versions", "--bare"])
        .output()
        .ok();
    let installed = pyenv
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    ["3.11", "3.12", "3.13"]
        .iter()
        .filter_map(|minor| find_python(minor, &installed))
        .collect()
}

fn find_python(minor: &str, pyenv_versions: &str) -> Option<Python> {
    let full = pyenv_versions
        .lines()
        .map(str::trim)
        .find(|v| v.starts_with(&format!("{minor}.")));
    let env: Vec<(String, String)> = full
        .map(|v| vec![("PYENV_VERSION".into(), v.into())])
        .unwrap_or_default();
    let launcher = format!("python{minor}");
    let probe = Command::new(&launcher)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .args([
            "-c",
            "import sys; print(sys.version.split()[0]); print(sys.executable)",
        ])
        .output();
    match probe {
        Ok(out) if out.status.success() => {
            let text = String::from_utf8_lossy(&out.stdout).into_owned();
            let mut lines = text.lines().map(str::trim);
            let version = lines.next().unwrap_or_default().to_string();
            // The interpreter itself, not pyenv's shim (a shell script, which valgrind
            // would measure instead of Python).
            let program = lines.next().filter(|p| !p.is_empty()).unwrap_or(&launcher);
            Some(Python {
                minor: minor.into(),
                version,
                program: program.to_string(),
                env,
            })
        }
        _ => {
            eprintln!("skipped: CPython {minor} is not installed on this machine");
            None
        }
    }
}
