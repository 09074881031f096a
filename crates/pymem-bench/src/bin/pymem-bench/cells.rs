//! A cell is one column of the tables: a Rust peer on one allocator, or one CPython with gc
//! on or off. Each measurement is a fresh process.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use pymem_bench::{Peer, Workload};

/// How a cell's process is started.
pub(crate) enum Runner {
    Rust {
        peer: Peer,
        binary: PathBuf,
    },
    Python {
        program: String,
        env: Vec<(String, String)>,
        script: PathBuf,
        nogc: bool,
        /// `-X tracemalloc=N` (B12).
        tracemalloc: Option<u32>,
    },
}

/// One row of the tables.
pub(crate) struct Cell {
    /// `rc`, `pymem`, …, `cpython-3.13`, `cpython-3.13-nogc`, `cpython-3.13-tm1`.
    pub(crate) peer: String,
    /// `glibc`, `mimalloc`, `jemalloc`, `pymalloc`.
    pub(crate) alloc: String,
    pub(crate) runner: Runner,
    /// The interpreter's full version, for CPython cells.
    pub(crate) version: Option<String>,
}

/// The `key=value` line a cell printed.
pub(crate) struct Record(HashMap<String, String>);

impl Record {
    fn parse(line: &str) -> Record {
        Record(
            line.split_whitespace()
                .filter_map(|kv| kv.split_once('='))
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }

    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    fn number(&self, key: &str) -> Option<u64> {
        self.get(key)?.parse().ok()
    }

    pub(crate) fn checksum(&self) -> Option<u64> {
        self.number("checksum")
    }

    pub(crate) fn allocated(&self) -> Option<u64> {
        self.number("allocated")
    }

    pub(crate) fn freed(&self) -> Option<u64> {
        self.number("freed")
    }

    pub(crate) fn phase(&self, name: &str) -> Option<Duration> {
        self.number(&format!("{name}_ns")).map(Duration::from_nanos)
    }

    pub(crate) fn hwm_kib(&self) -> Option<u64> {
        self.number("hwm_kib").filter(|&k| k > 0)
    }

    /// Pause durations, if the cell measured them.
    pub(crate) fn pauses(&self) -> Option<Vec<Duration>> {
        let list = self.get("pauses_ns")?;
        let parsed = list
            .split(',')
            .filter(|s| *s != "-")
            .map(|s| s.parse().map(Duration::from_nanos));
        parsed.collect::<Result<_, _>>().ok()
    }
}

impl Cell {
    pub(crate) fn is_rust(&self) -> bool {
        matches!(self.runner, Runner::Rust { .. })
    }

    /// Whether this cell takes part in `w`'s table (B11 is for allocators only).
    pub(crate) fn runs(&self, w: Workload) -> bool {
        match &self.runner {
            Runner::Rust { peer, .. } => peer.runs(w),
            Runner::Python {
                tracemalloc: Some(_),
                ..
            } => w.is_traced(),
            // B12 compares 3.13 with itself, tracing off and on.
            Runner::Python { nogc, .. } if w.is_traced() => !nogc && self.peer == "cpython-3.13",
            Runner::Python { .. } => !w.is_allocator_only(),
        }
    }

    pub(crate) fn is_pymem(&self) -> bool {
        matches!(
            self.runner,
            Runner::Rust {
                peer: Peer::Pymem,
                ..
            }
        )
    }

    fn command(&self, w: &str, n: usize) -> Command {
        match &self.runner {
            Runner::Rust { peer, binary } => {
                let mut cmd = Command::new(binary);
                cmd.args([peer.name(), w, &n.to_string()]);
                cmd
            }
            Runner::Python {
                program,
                env,
                script,
                nogc,
                tracemalloc,
            } => {
                let mut cmd = Command::new(program);
                cmd.envs(env.iter().map(|(k, v)| (k, v)));
                if let Some(frames) = tracemalloc {
                    cmd.arg("-X").arg(format!("tracemalloc={frames}"));
                }
                cmd.arg(script).args([w, &n.to_string()]);
                if *nogc {
                    cmd.arg("nogc");
                }
                cmd
            }
        }
    }

    /// Runs `w` at size `n`; `Ok(None)` when the cell does not support it.
    pub(crate) fn run(
        &self,
        w: Workload,
        n: usize,
        timeout: Duration,
    ) -> Result<Option<Record>, String> {
        let out = run_with_timeout(self.command(w.name(), n), timeout)?;
        let line = out.lines().last().unwrap_or("").trim();
        if line == "unsupported" {
            return Ok(None);
        }
        let record = Record::parse(line);
        record.checksum().ok_or(format!(
            "{} {}: no checksum in {line:?}",
            self.peer,
            w.name()
        ))?;
        Ok(Some(record))
    }

    /// Instructions for `w` at size `n` minus those of the empty run (`churn 0`: process
    /// start-up, interpreter start-up for CPython; `trace-churn 0` for the cells that run
    /// only the traced workloads, such as `pymem-trace1`), under callgrind.
    pub(crate) fn instructions(
        &self,
        w: Workload,
        n: usize,
        timeout: Duration,
    ) -> Result<Option<u64>, String> {
        let Some(work) = callgrind(self.command(w.name(), n), timeout)? else {
            return Ok(None);
        };
        let base = match callgrind(self.command("churn", 0), timeout)? {
            Some(base) => base,
            // Until this fell back to 0 for them, the traced cells' start-up counted as work.
            // (`trace-churn 0` allocates nothing; `trace-bintrees 0` would build trees.)
            None => callgrind(self.command("trace-churn", 0), timeout)?.unwrap_or(0),
        };
        Ok(Some(work.saturating_sub(base)))
    }
}

fn run_with_timeout(mut cmd: Command, timeout: Duration) -> Result<String, String> {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{cmd:?}: {e}"))?;
    let started = Instant::now();
    loop {
        match child.try_wait().map_err(|e| e.to_string())? {
            Some(_) => break,
            None if started.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("timed out after {timeout:?}"));
            }
            None => std::thread::sleep(Duration::from_millis(5)),
        }
    }
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(format!(
            "exit {}: {}",
            out.status,
            err.lines().last().unwrap_or("")
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr))
}

/// Total instructions of one run under callgrind; `None` if the cell says "unsupported".
fn callgrind(cmd: Command, timeout: Duration) -> Result<Option<u64>, String> {
    let mut vg = Command::new("valgrind");
    vg.args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
        .arg(cmd.get_program())
        .args(cmd.get_args());
    for (k, v) in cmd.get_envs() {
        if let Some(v) = v {
            vg.env(k, v);
        }
    }
    let out = run_with_timeout(vg, timeout)?;
    if out.lines().any(|l| l.trim() == "unsupported") {
        return Ok(None);
    }
    let collected = out.lines().find_map(|l| l.split("Collected :").nth(1));
    let ir = collected.and_then(|v| v.trim().replace(',', "").parse().ok());
    ir.map(Some)
        .ok_or_else(|| "no callgrind total in valgrind's output".into())
}
