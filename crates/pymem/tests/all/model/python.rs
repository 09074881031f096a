//! The differential oracle against CPython (docs/reliability.md): the programs of the
//! model test, run by pymem (`program::run_logged`) and by a CPython interpreter
//! (`oracle.py`, which mirrors the Rust harness: the same lists, `swap_remove`s, modulo
//! indices and no-ops on empty lists), compared step by step as sets: the objects
//! finalized, the objects freed, the weakref callbacks that ran, the survivors before the
//! teardown, and for each `Collect` the count of objects destroyed.
//!
//! The count is compared as the equivalent quantity: CPython's `gc.collect` counts every GC
//! object of the garbage, and besides the nodes (one GC object each, a `list` subclass
//! holding its weakrefs and edges) that is the weakref objects the garbage holds and a
//! marker cycle that each `Collect` adds; pymem counts its objects only (`docs/design.md`,
//! "Where pymem differs"). So the script reports `N/raw/R` (nodes destroyed, what
//! `gc.collect` returned, weakref objects among the garbage) and the comparison checks `N`
//! against pymem's count and `raw == 1 + N + R`.
//!
//! Only explicit collections: the automatic thresholds count different things (CPython
//! counts its lists and weakrefs as allocations, and 3.12+ collects at the next
//! eval-breaker check rather than inside the allocation).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write as _};
use std::process::{Command, Stdio};

use super::program::{self, Kind, Mode, Op, Step};

const SCRIPT: &str = include_str!("oracle.py");

/// A CPython interpreter.
pub struct Python {
    path: String,
    /// `(major, minor)`, from `sys.version_info`.
    pub version: (u32, u32),
}

impl Python {
    /// `PYMEM_PYTHON`, else `python3` from `PATH`; `None` if it does not run.
    pub fn find() -> Option<Python> {
        let path = std::env::var("PYMEM_PYTHON").unwrap_or_else(|_| "python3".into());
        let probe = "import sys; print(sys.version_info[0], sys.version_info[1])";
        let out = Command::new(&path).args(["-c", probe]).output().ok()?;
        let text = String::from_utf8(out.stdout).ok()?;
        let mut parts = text.split_whitespace().map(str::parse);
        let version = (parts.next()?.ok()?, parts.next()?.ok()?);
        out.status.success().then_some(Python { path, version })
    }

    /// Runs every program in one interpreter; one output line per program.
    fn run(&self, store: Store, programs: &[Vec<Op>]) -> io::Result<Vec<String>> {
        let mut child = Command::new(&self.path)
            .args(["-c", SCRIPT, store.arg()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let input: String = programs.iter().map(|ops| script_line(ops) + "\n").collect();
        let mut stdin = child.stdin.take().expect("piped stdin");
        // Written from another thread: the script answers while it reads.
        let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
        let out = child.wait_with_output()?;
        writer.join().expect("the writer thread")?;
        if !out.status.success() {
            return Err(io::Error::other(format!(
                "python exited with {}",
                out.status
            )));
        }
        let text = String::from_utf8(out.stdout).map_err(io::Error::other)?;
        Ok(text.lines().map(str::to_owned).collect())
    }
}

/// What the script does with `StoreWeak`; see `renew` in `oracle.py`.
#[derive(Clone, Copy, Debug)]
pub enum Store {
    /// A fresh weakref for the holder, so that it is never older than its holder, as a
    /// pymem `Weak` inside an object is part of it. What the test compares.
    Renew,
    /// The weakref object itself, with its own generation (differs from pymem; see
    /// `docs/reliability.md`).
    Move,
}

impl Store {
    fn arg(self) -> &'static str {
        match self {
            Store::Renew => "renew",
            Store::Move => "move",
        }
    }
}

/// A program as the script reads it: one token per operation, raw arguments (the script
/// takes the moduli, as the harness does).
pub fn script_line(ops: &[Op]) -> String {
    let tokens: Vec<String> = ops.iter().map(token).collect();
    tokens.join(" ")
}

fn token(op: &Op) -> String {
    match *op {
        Op::New(kind) => format!("n{}", kind_number(kind)),
        Op::CloneRoot(r) => format!("c{r}"),
        Op::DropRoot(r) => format!("d{r}"),
        Op::Link(a, b) => format!("l{a},{b}"),
        Op::Unlink(a, k) => format!("u{a},{k}"),
        Op::Follow(a, k) => format!("f{a},{k}"),
        Op::WeakRef(a) => format!("w{a}"),
        Op::StoreWeak(a, k) => format!("s{a},{k}"),
        Op::DropWeak(k) => format!("x{k}"),
        Op::Collect(g) => format!("g{g}"),
        Op::WeakRefPanicking(a) => format!("p{a}"),
        Op::Hostile(m) => format!("h{m}"),
    }
}

fn kind_number(kind: Kind) -> u8 {
    match kind {
        Kind::Plain => 0,
        Kind::Finalized => 1,
        Kind::Resurrecting => 2,
        Kind::Releasing => 3,
        Kind::PanicDrop => 4,
        Kind::PanicFinal => 5,
    }
}

// ---- What each side observed --------------------------------------------------------

/// One step's sets (sorted), and a `Collect`'s count.
#[derive(Debug, Default, PartialEq, Eq)]
struct Observed {
    finalized: Vec<usize>,
    freed: Vec<usize>,
    callbacks: Vec<usize>,
    count: Option<Count>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Count {
    Pymem(usize),
    /// Nodes destroyed, `gc.collect`'s result, weakref objects among the garbage.
    Cpython {
        nodes: usize,
        raw: usize,
        weakrefs: usize,
    },
}

/// A whole program: the steps that did something, by index (the teardown is the step
/// after the last operation), and the objects alive before and after the teardown.
#[derive(Debug, Default)]
struct Outcome {
    steps: BTreeMap<usize, Observed>,
    survivors: Vec<usize>,
    leaked: Vec<usize>,
}

fn sorted(mut ids: Vec<usize>) -> Vec<usize> {
    ids.sort_unstable();
    ids
}

fn from_pymem(ops: &[Op], steps: Vec<Step>) -> Outcome {
    let objects = ops.iter().filter(|op| matches!(op, Op::New(_))).count();
    let mut alive = vec![true; objects];
    let mut outcome = Outcome::default();
    let last = steps.len().saturating_sub(1);
    for (at, step) in steps.into_iter().enumerate() {
        if at == last {
            outcome.survivors = (0..objects).filter(|&id| alive[id]).collect();
        }
        step.dropped.iter().for_each(|&id| alive[id] = false);
        let observed = observed_by_pymem(step);
        if observed != Observed::default() {
            outcome.steps.insert(at, observed);
        }
    }
    outcome.leaked = (0..objects).filter(|&id| alive[id]).collect();
    outcome
}

fn observed_by_pymem(step: Step) -> Observed {
    Observed {
        finalized: sorted(step.finalized),
        freed: sorted(step.dropped),
        callbacks: sorted(step.callbacks),
        count: step.collected.map(Count::Pymem),
    }
}

/// Parses a line of `oracle.py` (its format is in the script's docstring).
fn from_cpython(line: &str) -> Result<Outcome, String> {
    let mut outcome = Outcome::default();
    for field in line.split_whitespace() {
        let (key, value) = field.split_once(':').ok_or(format!("field {field:?}"))?;
        match key {
            "S" => outcome.survivors = ids(value)?,
            "L" => outcome.leaked = ids(value)?,
            _ => {
                let at = number(key)?;
                outcome.steps.insert(at, parse_step(value)?);
            }
        }
    }
    Ok(outcome)
}

fn parse_step(value: &str) -> Result<Observed, String> {
    let parts: Vec<&str> = value.split('|').collect();
    let [finalized, freed, callbacks, count] = parts[..] else {
        return Err(format!("step {value:?}"));
    };
    Ok(Observed {
        finalized: ids(finalized)?,
        freed: ids(freed)?,
        callbacks: ids(callbacks)?,
        count: parse_count(count)?,
    })
}

fn parse_count(value: &str) -> Result<Option<Count>, String> {
    if value == "-" {
        return Ok(None);
    }
    let parts = ids(&value.replace('/', ","))?;
    let [nodes, raw, weakrefs] = parts[..] else {
        return Err(format!("count {value:?}"));
    };
    Ok(Some(Count::Cpython {
        nodes,
        raw,
        weakrefs,
    }))
}

fn ids(list: &str) -> Result<Vec<usize>, String> {
    let items = list.split(',').filter(|s| !s.is_empty());
    items.map(number).collect()
}

fn number(text: &str) -> Result<usize, String> {
    text.parse().map_err(|_| format!("not a number: {text:?}"))
}

// ---- The comparison -----------------------------------------------------------------

/// The differences between pymem's outcome and CPython's, one line each.
fn compare(pymem: &Outcome, cpython: &Outcome) -> Vec<String> {
    let mut diffs = Vec::new();
    let none = Observed::default();
    let keys = pymem.steps.keys().chain(cpython.steps.keys());
    let mut keys: Vec<usize> = keys.copied().collect();
    keys.sort_unstable();
    keys.dedup();
    for at in keys {
        let ours = pymem.steps.get(&at).unwrap_or(&none);
        let theirs = cpython.steps.get(&at).unwrap_or(&none);
        compare_step(at, ours, theirs, &mut diffs);
    }
    let sets = [
        ("survivors", &pymem.survivors, &cpython.survivors),
        ("leaked", &pymem.leaked, &cpython.leaked),
    ];
    for (what, ours, theirs) in sets {
        if ours != theirs {
            diffs.push(format!("{what}: pymem {ours:?}, CPython {theirs:?}"));
        }
    }
    diffs
}

fn compare_step(at: usize, ours: &Observed, theirs: &Observed, diffs: &mut Vec<String>) {
    let sets = [
        ("finalized", &ours.finalized, &theirs.finalized),
        ("freed", &ours.freed, &theirs.freed),
        ("callbacks", &ours.callbacks, &theirs.callbacks),
    ];
    for (what, ours, theirs) in sets {
        if ours != theirs {
            diffs.push(format!(
                "step {at}: {what}: pymem {ours:?}, CPython {theirs:?}"
            ));
        }
    }
    if let Err(diff) = compare_count(ours.count, theirs.count) {
        diffs.push(format!("step {at}: count: {diff}"));
    }
}

fn compare_count(ours: Option<Count>, theirs: Option<Count>) -> Result<(), String> {
    match (ours, theirs) {
        (None, None) => Ok(()),
        (
            Some(Count::Pymem(n)),
            Some(Count::Cpython {
                nodes,
                raw,
                weakrefs,
            }),
        ) => {
            let expected = 1 + nodes + weakrefs;
            if raw != expected {
                return Err(format!(
                    "gc.collect returned {raw}, not 1 + {nodes} + {weakrefs}"
                ));
            }
            (n == nodes)
                .then_some(())
                .ok_or(format!("pymem {n}, CPython {nodes} nodes"))
        }
        _ => Err(format!("pymem {ours:?}, CPython {theirs:?}")),
    }
}

// ---- The programs and the run -------------------------------------------------------

/// A seeded xorshift64: the same programs on every run and every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn byte(&mut self) -> u8 {
        self.next().to_le_bytes()[0]
    }
}

/// `count` programs of up to `max_len` operations, decoded by `Op::from_bytes` as the
/// proptest and fuzz programs are, without the operations CPython has no counterpart for
/// (`Op::in_cpython`).
pub fn programs(seed: u64, count: usize, max_len: usize) -> Vec<Vec<Op>> {
    let mut rng = Rng(seed | 1);
    let mut program = |_| {
        let len = usize::try_from(rng.next()).unwrap_or(0) % (max_len + 1);
        let bytes = |_| [rng.byte(), rng.byte(), rng.byte()];
        let ops = (0..len).map(bytes).map(Op::from_bytes);
        ops.filter(Op::in_cpython).collect::<Vec<_>>()
    };
    (0..count).map(&mut program).collect()
}

/// What a differential run found.
#[derive(Debug, Default)]
pub struct Report {
    pub programs: usize,
    pub ops: usize,
    /// Programs on which pymem's own model oracles failed.
    pub model_failures: Vec<String>,
    /// Programs whose outcomes differ, with the program and the first differences.
    pub mismatches: Vec<String>,
}

/// Runs `programs` in pymem and in `python`, and compares them.
pub fn differential(python: &Python, store: Store, programs: &[Vec<Op>]) -> io::Result<Report> {
    let mut report = Report {
        programs: programs.len(),
        ops: programs.iter().map(Vec::len).sum(),
        ..Report::default()
    };
    for verdict in verdicts(python, store, programs)? {
        match verdict {
            Verdict::Agree => {}
            Verdict::ModelFailure(failure) => report.model_failures.push(failure),
            Verdict::Mismatch(diffs) => report.mismatches.push(diffs),
        }
    }
    Ok(report)
}

/// How one program went.
#[derive(Debug)]
enum Verdict {
    Agree,
    /// pymem's own model oracles failed (the text says how).
    ModelFailure(String),
    /// The program and its first differences.
    Mismatch(String),
}

fn verdicts(python: &Python, store: Store, programs: &[Vec<Op>]) -> io::Result<Vec<Verdict>> {
    let lines = python.run(store, programs)?;
    if lines.len() != programs.len() {
        let got = lines.len();
        return Err(io::Error::other(format!(
            "{got} lines for {} programs",
            programs.len()
        )));
    }
    Ok(programs
        .iter()
        .zip(&lines)
        .map(|(ops, line)| judge(ops, line))
        .collect())
}

fn judge(ops: &[Op], line: &str) -> Verdict {
    let (check, steps) = program::run_logged(Mode::Explicit, ops);
    if let Err(failure) = check {
        return Verdict::ModelFailure(format!("{failure}\n  program: {}", script_line(ops)));
    }
    let diffs = match from_cpython(line) {
        Ok(cpython) => compare(&from_pymem(ops, steps), &cpython),
        Err(bad) => vec![format!("unreadable output: {bad}")],
    };
    if diffs.is_empty() {
        return Verdict::Agree;
    }
    let mut text = format!("program: {}", script_line(ops));
    for diff in diffs.iter().take(6) {
        let _ = write!(text, "\n  {diff}");
    }
    Verdict::Mismatch(text)
}

/// A short program on which pymem and CPython still differ, with its differences:
/// removes chunks of operations, halving the chunk size when none can go (each round's
/// candidates run in one interpreter).
pub fn minimize(python: &Python, store: Store, mut ops: Vec<Op>) -> io::Result<String> {
    let mut last = match verdicts(python, store, std::slice::from_ref(&ops))?.pop() {
        Some(Verdict::Mismatch(text)) => text,
        other => return Ok(format!("not a mismatch: {other:?}")),
    };
    let mut size = ops.len().div_ceil(2);
    while size > 0 {
        let starts = (0..ops.len()).step_by(size);
        let candidates: Vec<Vec<Op>> = starts.map(|at| without(&ops, at, size)).collect();
        let verdicts = verdicts(python, store, &candidates)?;
        let found = verdicts
            .into_iter()
            .zip(candidates)
            .find_map(|(v, c)| match v {
                Verdict::Mismatch(text) => Some((text, c)),
                _ => None,
            });
        match found {
            Some((text, smaller)) => (last, ops) = (text, smaller),
            None => size /= 2,
        }
        size = size.min(ops.len());
    }
    Ok(last)
}

fn without(ops: &[Op], at: usize, len: usize) -> Vec<Op> {
    let mut fewer = ops.to_vec();
    fewer.drain(at..(at + len).min(ops.len()));
    fewer
}

/// The inverse of `script_line`, for programs pasted from a report.
pub fn parse_line(line: &str) -> Result<Vec<Op>, String> {
    line.split_whitespace().map(parse_token).collect()
}

fn parse_token(token: &str) -> Result<Op, String> {
    let (tag, args) = token.split_at(1.min(token.len()));
    let args = ids(args)?;
    let op = match (tag, &args[..]) {
        ("n", &[0]) => Op::New(Kind::Plain),
        ("n", &[1]) => Op::New(Kind::Finalized),
        ("n", &[2]) => Op::New(Kind::Resurrecting),
        ("n", &[3]) => Op::New(Kind::Releasing),
        ("n", &[4]) => Op::New(Kind::PanicDrop),
        ("n", &[5]) => Op::New(Kind::PanicFinal),
        ("p", &[a]) => Op::WeakRefPanicking(a),
        ("h", &[m]) => Op::Hostile(m),
        ("c", &[r]) => Op::CloneRoot(r),
        ("d", &[r]) => Op::DropRoot(r),
        ("l", &[a, b]) => Op::Link(a, b),
        ("u", &[a, k]) => Op::Unlink(a, k),
        ("f", &[a, k]) => Op::Follow(a, k),
        ("w", &[a]) => Op::WeakRef(a),
        ("s", &[a, k]) => Op::StoreWeak(a, k),
        ("x", &[k]) => Op::DropWeak(k),
        ("g", &[g]) if g < 3 => Op::Collect(g),
        _ => return Err(format!("operation {token:?}")),
    };
    Ok(op)
}
