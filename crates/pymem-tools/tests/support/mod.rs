//! Shared by the pymem-tools tests: the Python oracle (`PYMEM_TOOLS_PY`, made by
//! `ci/tools-venv.sh`), Graphviz's `dot` where installed, and a test node type.

#![allow(unreachable_pub, dead_code)] // each test file uses part of it

use std::cell::RefCell;
use std::process::Command;

use pymem::{Gc, Object, Trace};

/// A node with any number of outgoing references.
#[derive(Trace)]
pub struct Node {
    /// The objects it references.
    pub out: RefCell<Vec<Object>>,
}

impl Node {
    /// A node referencing nothing.
    pub fn new() -> Gc<Node> {
        Gc::new(Node {
            out: RefCell::new(Vec::new()),
        })
    }
}

/// A second node type, so that tables have more than one row.
#[derive(Trace)]
pub struct Edge {
    /// The node it points to.
    pub to: RefCell<Option<Gc<Node>>>,
}

/// Runs `source` under the oracle Python and returns its stdout, or `None` (with a printed
/// "skipped" line) when `PYMEM_TOOLS_PY` is unset.
pub fn python(source: &str) -> Option<String> {
    let Ok(python) = std::env::var("PYMEM_TOOLS_PY") else {
        eprintln!(
            "skipped: PYMEM_TOOLS_PY is unset (export PYMEM_TOOLS_PY=$(bash ci/tools-venv.sh))"
        );
        return None;
    };
    let output = Command::new(python)
        .arg("-c")
        .arg(source)
        .output()
        .expect("run the oracle Python");
    assert!(
        output.status.success(),
        "oracle failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(String::from_utf8(output.stdout).unwrap())
}

/// Graphviz's `dot -Tsvg` on `dot`: `Some(svg)`, or `None` (with a printed "skipped" line)
/// when `dot` is not installed. Panics with dot's message when dot rejects the text.
pub fn graphviz_svg(source: &str) -> Option<String> {
    use std::io::Write;
    let child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        eprintln!("skipped: Graphviz's dot is not installed (apt-get install graphviz)");
        return None;
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(source.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stderr.is_empty(),
        "dot rejected the graph: {stderr}\n{source}"
    );
    Some(String::from_utf8(output.stdout).unwrap())
}
