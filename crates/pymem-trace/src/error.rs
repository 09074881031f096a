//! [`TracemallocError`]: CPython's exceptions as one error type, with CPython's messages.

use std::fmt;

/// What `tracemalloc` refuses, with the message CPython's exception carries.
#[derive(Debug)]
pub enum TracemallocError {
    /// `start(n)` with `n` outside `1..=65535` (CPython: `ValueError`).
    InvalidFrameCount(usize),
    /// A snapshot, `track` or `untrack` while not tracing (CPython: `RuntimeError`; -2 from
    /// the C API).
    NotTracing,
    /// `statistics` or `compare_to` with a key other than `lineno`, `filename`,
    /// `traceback` (CPython: `ValueError`).
    UnknownKeyType(String),
    /// `cumulative` with the `traceback` key (CPython: `ValueError`).
    CumulativeTraceback,
    /// Reading or writing a dump file failed.
    Io(std::io::Error),
    /// A dump file that is not a snapshot, or is damaged or truncated.
    BadDump(String),
}

impl fmt::Display for TracemallocError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TracemallocError::InvalidFrameCount(_) => {
                write!(f, "the number of frames must be in range [1; 65535]")
            }
            TracemallocError::NotTracing => write!(
                f,
                "the tracemalloc module must be tracing memory allocations to take a snapshot"
            ),
            TracemallocError::UnknownKeyType(key) => write!(f, "unknown key_type: '{key}'"),
            TracemallocError::CumulativeTraceback => write!(
                f,
                "cumulative mode cannot by used with key type 'traceback'"
            ),
            TracemallocError::Io(e) => write!(f, "{e}"),
            TracemallocError::BadDump(why) => write!(f, "not a valid snapshot dump: {why}"),
        }
    }
}

impl std::error::Error for TracemallocError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TracemallocError::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl From<std::io::Error> for TracemallocError {
    fn from(e: std::io::Error) -> TracemallocError {
        TracemallocError::Io(e)
    }
}
