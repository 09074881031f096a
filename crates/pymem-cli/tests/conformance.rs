//! The conformance suite: every `conformance/*.py` program (except the `modhelper_*` modules)
//! runs under CPython 3.13 and under `pymem run`, and the two must agree on stdout, stderr and
//! exit status. The only normalisation is the `@vary ` rule: a stdout line that starts with
//! `@vary ` is compared up to and including its first `:`.
//!
//! `conformance/expected_failures.txt` lists the programs pymem does not yet run identically. A
//! program outside the list that differs fails the test; so does a listed program that now
//! matches ("now passes: remove it from expected_failures.txt"), which keeps the list honest.
//!
//! Environment:
//! - `PYMEM_REQUIRE_PYTHON=1`: fail (instead of skipping) when `python3.13` cannot be run.
//! - `PYMEM_CONFORMANCE_WRITE=1`: rewrite `expected_failures.txt` (keeping its header) with the
//!   programs that currently differ, and pass.
//! - `PYMEM_CONFORMANCE_ONLY=a,b`: run only the programs whose file name contains one of the
//!   comma-separated substrings, and print the diff of every mismatch, expected or not.
//! - `PYMEM_CONFORMANCE_TIMEOUT=secs`: the per-run timeout (default 60 s; the run is killed).
//!
//! See the summary with `cargo test -p pymem-cli --test conformance -- --nocapture`.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

/// The oracle: pyenv's CPython 3.13.
const PYTHON: &str = "python3.13";
const PYENV_VERSION: &str = "3.13.0";
/// Each run of each program is killed after this long (`PYMEM_CONFORMANCE_TIMEOUT`, seconds).
const DEFAULT_TIMEOUT_SECS: u64 = 60;
/// How many differing lines of one stream a mismatch report shows.
const DIFF_LINES: usize = 10;
/// The `@vary ` marker: such a stdout line is compared up to and including its first `:`.
const VARY: &str = "@vary ";
/// The stdout lines between these two marker lines (printed by the program) are compared by
/// shape: each number (optionally signed, with its decimals) becomes `#` and each run of
/// spaces one space, so that columns of bytes and RSS may differ and the words, the number
/// of columns and the order of lines may not.
const NUMBERS_VARY: &[u8] = b"@numbers vary\n";
const NUMBERS_SAME: &[u8] = b"@numbers same\n";
/// The programs that use the profiling packages: run under `PYMEM_TOOLS_PY` (the venv of
/// `ci/tools-venv.sh`: CPython 3.13 with memory_profiler, psutil, objgraph and guppy3).
const TOOLS_MARK: &str = "_tools_";
const EXPECTED_FAILURES: &str = "expected_failures.txt";
/// Environment variables that would change how either interpreter runs a program: removed.
const CLEARED_ENV: &[&str] = &[
    "PYTHONPATH",
    "PYTHONHOME",
    "PYTHONSAFEPATH",
    "PYTHONWARNINGS",
    "PYTHONDEVMODE",
    "PYTHONTRACEMALLOC",
    "PYTHONMALLOC",
    "PYTHONINSPECT",
    "PYTHONSTARTUP",
    "PYTHONHASHSEED",
    "PYTHONOPTIMIZE",
    "PYTHONVERBOSE",
    "PYTHONDEBUG",
];

/// What one interpreter did with one program.
struct Run {
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    /// `ExitStatus`'s Display ("exit status: 1"), or why there is none (timeout, spawn error).
    status: String,
}

/// The comparison of one program's two runs.
struct Outcome {
    name: String,
    /// The streams that differ, in the order stdout, stderr, status; empty when identical.
    differ: Vec<&'static str>,
    /// The report of the first differing lines of each differing stream.
    diff: String,
}

fn conformance_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../conformance");
    dir.canonicalize()
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
}

/// The programs, sorted by file name: `*.py` except the `modhelper_*` modules they import.
fn programs(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("read_dir entry").file_name())
        .filter_map(|name| name.into_string().ok())
        .filter(|name| name.ends_with(".py") && !name.starts_with("modhelper_"))
        .collect();
    names.sort();
    names
}

/// A command with the environment both interpreters get.
fn command(program: &str, dir: &Path) -> Command {
    let mut cmd = Command::new(program);
    cmd.current_dir(dir)
        .env("PYENV_VERSION", PYENV_VERSION)
        // CPython would otherwise write __pycache__/ for the imported helpers into the source tree.
        .env("PYTHONDONTWRITEBYTECODE", "1")
        // The programs print non-ASCII text: the same bytes whatever the locale.
        .env("PYTHONIOENCODING", "utf-8")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for var in CLEARED_ENV {
        cmd.env_remove(var);
    }
    cmd
}

/// Reads a child's pipe to its end on a thread; the bytes arrive on the returned channel.
fn drain(pipe: Option<impl Read + Send + 'static>) -> mpsc::Receiver<Vec<u8>> {
    let (tx, rx) = mpsc::channel();
    if let Some(mut pipe) = pipe {
        thread::spawn(move || {
            let mut bytes = Vec::new();
            // A read error ends the stream; what was read so far is still reported.
            let _ = pipe.read_to_end(&mut bytes);
            let _ = tx.send(bytes);
        });
    }
    rx
}

fn timeout() -> Duration {
    let secs = std::env::var("PYMEM_CONFORMANCE_TIMEOUT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_TIMEOUT_SECS);
    Duration::from_secs(secs)
}

/// Runs `cmd` to completion or until the timeout, when it is killed.
fn run(mut cmd: Command) -> Run {
    let mut child: Child = match cmd.spawn() {
        Ok(child) => child,
        Err(e) => {
            return Run {
                stdout: Vec::new(),
                stderr: Vec::new(),
                status: format!("failed to start {:?}: {e}", cmd.get_program()),
            };
        }
    };
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let timeout = timeout();
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status.to_string(),
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                break format!("killed after the {} s timeout", timeout.as_secs());
            }
            Ok(None) => thread::sleep(Duration::from_millis(5)),
            Err(e) => break format!("wait failed: {e}"),
        }
    };
    // The pipes close when the child exits; the grace period only matters if the child left a
    // process behind that holds them open.
    let collect =
        |rx: mpsc::Receiver<Vec<u8>>| rx.recv_timeout(Duration::from_secs(5)).unwrap_or_default();
    Run {
        stdout: collect(stdout),
        stderr: collect(stderr),
        status,
    }
}

/// The `@vary ` and `@numbers vary` rules, applied to each stdout line; the bytes are
/// otherwise left as they are.
fn normalize_stdout(stdout: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(stdout.len());
    let mut shape_only = false;
    for line in stdout.split_inclusive(|&b| b == b'\n') {
        if line == NUMBERS_VARY || line == NUMBERS_SAME {
            shape_only = line == NUMBERS_VARY;
            out.extend_from_slice(line);
            continue;
        }
        match line.iter().position(|&b| b == b':') {
            _ if shape_only => out.extend_from_slice(&shape(line)),
            Some(colon) if line.starts_with(VARY.as_bytes()) => {
                out.extend_from_slice(&line[..=colon]);
                if line.ends_with(b"\n") {
                    out.push(b'\n');
                }
            }
            _ => out.extend_from_slice(line),
        }
    }
    out
}

/// A line with each number replaced by `#` and each run of spaces by one space.
fn shape(line: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(line.len());
    let mut i = 0;
    while i < line.len() {
        let signed =
            matches!(line[i], b'-' | b'+') && line.get(i + 1).is_some_and(u8::is_ascii_digit);
        if line[i].is_ascii_digit() || signed {
            i += 1;
            while i < line.len() && (line[i].is_ascii_digit() || line[i] == b'.') {
                i += 1;
            }
            out.push(b'#');
        } else if line[i] == b' ' {
            while i < line.len() && line[i] == b' ' {
                i += 1;
            }
            out.push(b' ');
        } else {
            out.push(line[i]);
            i += 1;
        }
    }
    out
}

/// Whether `name` uses the profiling packages (its CPython run needs `PYMEM_TOOLS_PY`).
fn is_tools_program(name: &str) -> bool {
    name.starts_with('2') && name.contains(TOOLS_MARK)
}

/// The Python of the tools' venv, from `PYMEM_TOOLS_PY`.
fn tools_python() -> Option<String> {
    std::env::var("PYMEM_TOOLS_PY")
        .ok()
        .filter(|p| !p.is_empty())
}

/// The first differing lines of one stream, diff-style: `-` CPython, `+` pymem.
fn diff_lines(stream: &str, cpython: &[u8], pymem: &[u8], out: &mut String) {
    let (cpython, pymem) = (
        String::from_utf8_lossy(cpython),
        String::from_utf8_lossy(pymem),
    );
    let a: Vec<&str> = cpython.lines().collect();
    let b: Vec<&str> = pymem.lines().collect();
    let start = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    // Lines equal at the end are left out too, so the report shows the difference only.
    let common_end = a[start..]
        .iter()
        .rev()
        .zip(b[start..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a_diff, b_diff) = (
        &a[start..a.len() - common_end],
        &b[start..b.len() - common_end],
    );
    let _ = writeln!(
        out,
        "    @@ {stream}, line {}: CPython has {} line(s), pymem {} @@",
        start + 1,
        a.len(),
        b.len()
    );
    for line in a_diff.iter().take(DIFF_LINES) {
        let _ = writeln!(out, "    -{line}");
    }
    if a_diff.len() > DIFF_LINES {
        let _ = writeln!(out, "    -… {} more", a_diff.len() - DIFF_LINES);
    }
    for line in b_diff.iter().take(DIFF_LINES) {
        let _ = writeln!(out, "    +{line}");
    }
    if b_diff.len() > DIFF_LINES {
        let _ = writeln!(out, "    +… {} more", b_diff.len() - DIFF_LINES);
    }
    if a_diff.is_empty() && b_diff.is_empty() {
        // Same lines, different bytes: a final newline, a `\r`, or bytes that are not UTF-8.
        let _ = writeln!(
            out,
            "    (the lines agree as text; the bytes differ: CPython {} bytes ending {:?}, pymem {} bytes ending {:?})",
            cpython.len(),
            cpython.chars().last(),
            pymem.len(),
            pymem.chars().last()
        );
    }
}

fn compare(name: &str, cpython: &Run, pymem: &Run) -> Outcome {
    let mut differ = Vec::new();
    let mut diff = String::new();
    let (a_out, b_out) = (
        normalize_stdout(&cpython.stdout),
        normalize_stdout(&pymem.stdout),
    );
    if a_out != b_out {
        differ.push("stdout");
        diff_lines("stdout", &a_out, &b_out, &mut diff);
    }
    if cpython.stderr != pymem.stderr {
        differ.push("stderr");
        diff_lines("stderr", &cpython.stderr, &pymem.stderr, &mut diff);
    }
    if cpython.status != pymem.status {
        differ.push("status");
        let _ = writeln!(
            diff,
            "    @@ status @@\n    -{}\n    +{}",
            cpython.status, pymem.status
        );
    }
    Outcome {
        name: name.to_owned(),
        differ,
        diff,
    }
}

/// `Some(version line)` when `python3.13` runs and is a 3.13.
fn python_version(dir: &Path) -> Option<String> {
    let mut cmd = command(PYTHON, dir);
    cmd.arg("--version");
    let run = run(cmd);
    let version = String::from_utf8_lossy(&run.stdout).trim().to_owned();
    (run.status == "exit status: 0" && version.starts_with("Python 3.13")).then_some(version)
}

/// The expected-failures file: its header (the comment and blank lines before the first
/// entry) and its entries (file names; `#` starts a comment).
fn read_expected(path: &Path) -> (String, Vec<String>) {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut header = String::new();
    let mut entries = Vec::new();
    for line in text.lines() {
        let entry = line.split('#').next().unwrap_or("").trim();
        if entry.is_empty() {
            if entries.is_empty() {
                header.push_str(line);
                header.push('\n');
            }
        } else {
            entries.push(entry.to_owned());
        }
    }
    (header, entries)
}

fn env_flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| v == "1")
}

/// Runs the programs on 2-4 threads; the outcomes come back in the programs' order.
fn run_all(dir: &Path, names: &[String], tools: Option<&str>) -> Vec<Outcome> {
    let pymem = env!("CARGO_BIN_EXE_pymem");
    let threads = thread::available_parallelism()
        .map_or(2, usize::from)
        .clamp(2, 4);
    let next = AtomicUsize::new(0);
    let outcomes: Mutex<Vec<Option<Outcome>>> = Mutex::new(names.iter().map(|_| None).collect());
    thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(name) = names.get(i) else { break };
                    let oracle = match tools {
                        Some(py) if is_tools_program(name) => py,
                        _ => PYTHON,
                    };
                    let mut cpython = command(oracle, dir);
                    cpython.arg(name);
                    let mut ours = command(pymem, dir);
                    ours.arg("run").arg(name);
                    let outcome = compare(name, &run(cpython), &run(ours));
                    outcomes.lock().expect("outcomes lock")[i] = Some(outcome);
                }
            });
        }
    });
    outcomes
        .into_inner()
        .expect("outcomes lock")
        .into_iter()
        .map(|o| o.expect("every program ran"))
        .collect()
}

#[test]
fn conformance_with_cpython_3_13() {
    let dir = conformance_dir();
    let Some(version) = python_version(&dir) else {
        assert!(
            !env_flag("PYMEM_REQUIRE_PYTHON"),
            "{PYTHON} (PYENV_VERSION={PYENV_VERSION}) cannot be run, and PYMEM_REQUIRE_PYTHON=1"
        );
        println!("skipped: {PYTHON} not found");
        return;
    };
    let expected_path = dir.join(EXPECTED_FAILURES);
    let (header, expected_list) = read_expected(&expected_path);
    let expected: BTreeSet<String> = expected_list.iter().cloned().collect();
    let all = programs(&dir);
    let only: Option<Vec<String>> = std::env::var("PYMEM_CONFORMANCE_ONLY")
        .ok()
        .map(|v| v.split(',').map(|s| s.trim().to_owned()).collect());
    let names: Vec<String> = match &only {
        Some(filters) => all
            .iter()
            .filter(|n| filters.iter().any(|f| n.contains(f.as_str())))
            .cloned()
            .collect(),
        None => all.clone(),
    };
    println!(
        "conformance: {} programs in {} against {version}",
        names.len(),
        dir.display()
    );

    let tools = tools_python();
    let mut problems = Vec::new();
    let names: Vec<String> = match &tools {
        Some(_) => names,
        None => names
            .into_iter()
            .filter(|n| {
                let skip = is_tools_program(n);
                if skip {
                    println!("skipped: {n} (PYMEM_TOOLS_PY is not set: run ci/tools-venv.sh)");
                    if env_flag("PYMEM_REQUIRE_PYTHON") {
                        problems.push(format!(
                            "{n}: PYMEM_TOOLS_PY not set and PYMEM_REQUIRE_PYTHON=1"
                        ));
                    }
                }
                !skip
            })
            .collect(),
    };
    let outcomes = run_all(&dir, &names, tools.as_deref());

    let mut identical = 0;
    for o in &outcomes {
        let listed = expected.contains(&o.name);
        if o.differ.is_empty() {
            identical += 1;
            if listed {
                println!(
                    "PASS {} (now passes: remove it from {EXPECTED_FAILURES})",
                    o.name
                );
                problems.push(format!(
                    "{}: now passes: remove it from {EXPECTED_FAILURES}",
                    o.name
                ));
            } else {
                println!("PASS {}", o.name);
            }
        } else {
            let what = format!("({} differ)", o.differ.join(", "));
            if listed {
                println!("FAIL {} {what} [expected failure]", o.name);
            } else {
                println!("FAIL {} {what}", o.name);
                problems.push(format!("{}: {what}", o.name));
            }
            if !listed || only.is_some() {
                print!("{}", o.diff);
            }
        }
    }
    if only.is_none() {
        for name in expected.iter().filter(|n| !all.contains(n)) {
            problems.push(format!(
                "{name}: listed in {EXPECTED_FAILURES}, but no such program"
            ));
        }
    }
    println!(
        "{identical} of {} programs identical to CPython 3.13",
        outcomes.len()
    );

    if env_flag("PYMEM_CONFORMANCE_WRITE") {
        assert!(
            only.is_none(),
            "PYMEM_CONFORMANCE_WRITE=1 needs the whole suite: unset PYMEM_CONFORMANCE_ONLY"
        );
        let mut text = header;
        for o in outcomes.iter().filter(|o| !o.differ.is_empty()) {
            text.push_str(&o.name);
            text.push('\n');
        }
        fs::write(&expected_path, text)
            .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
        println!(
            "rewrote {} with {} entries",
            expected_path.display(),
            outcomes.len() - identical
        );
        return;
    }
    assert!(
        problems.is_empty(),
        "{} conformance problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn numbers_vary_blocks_compare_by_shape() {
    let cpython = b"a 1\n@numbers vary\nNode    100  23.5 MiB  -0.8\n@numbers same\nb 2\n";
    let pymem = b"a 1\n@numbers vary\nNode 100 11.6 MiB +12\n@numbers same\nb 2\n";
    assert_eq!(normalize_stdout(cpython), normalize_stdout(pymem));
    assert_eq!(
        normalize_stdout(cpython),
        b"a 1\n@numbers vary\nNode # # MiB #\n@numbers same\nb 2\n"
    );
    // Outside the block, and for words inside it, every byte counts.
    assert_ne!(normalize_stdout(b"b 2\n"), normalize_stdout(b"b 3\n"));
    assert_ne!(
        normalize_stdout(b"@numbers vary\nNode 1\n"),
        normalize_stdout(b"@numbers vary\nLeaf 1\n")
    );
    assert_ne!(
        normalize_stdout(b"@numbers vary\nNode 1\n"),
        normalize_stdout(b"@numbers vary\nNode 1 2\n")
    );
}

#[test]
fn tools_programs_are_named_2xx_tools() {
    assert!(is_tools_program("200_tools_psutil.py"));
    assert!(!is_tools_program("060_tools_like.py"));
    assert!(!is_tools_program("200_gc.py"));
}

#[test]
fn vary_lines_compare_up_to_their_first_colon() {
    assert_eq!(
        normalize_stdout(b"a: 1\n@vary id: 140\n@vary x: y: z\n@vary no colon\n@vary end: 7"),
        b"a: 1\n@vary id:\n@vary x:\n@vary no colon\n@vary end:"
    );
    assert_eq!(normalize_stdout(b" @vary id: 1\n"), b" @vary id: 1\n");
    assert_eq!(normalize_stdout(b"@vary: 1\n"), b"@vary: 1\n");
    assert_eq!(normalize_stdout(b"@vary id: \xff\n"), b"@vary id:\n");
    assert_eq!(normalize_stdout(b"x \xff\n"), b"x \xff\n");
    assert_eq!(
        normalize_stdout(b"@vary id: 1\n"),
        normalize_stdout(b"@vary id: 2\n")
    );
}
