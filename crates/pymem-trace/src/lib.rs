//! # pymem-trace: CPython's tracemalloc for Rust allocators
//!
//! ```text
//!   program --alloc--> Traced<A> ----> A (any RawAlloc: pymalloc pools, System, ...)
//!                         |
//!                      Tracer: address -> (size, traceback id)   (while tracing)
//!                         |        interned tracebacks: a #[track_caller] location,
//!                         |        unwound instruction pointers, or a FrameProvider's frames
//!                         v
//!                      Snapshot --> statistics("lineno" | "filename" | "traceback")
//!                                   compare_to(old), filter_traces, dump / load
//! ```
//!
//! [`Traced`] wraps any [`RawAlloc`](pymem_alloc::RawAlloc). While its [`Tracer`] traces,
//! each allocation records its size and where it came from; each free forgets it. A
//! [`Snapshot`] copies the traces and answers what CPython's `tracemalloc.Snapshot` does,
//! with CPython's text forms (`a.py:5: size=5002 B (+5000 B), count=2 (+1), average=2501 B`).
//!
//! Where an allocation came from costs what the traceback limit asks: with one frame, the
//! caller's `#[track_caller]` location (interned by address); with more, the stack is
//! unwound and its instruction pointers interned, symbolized only when a snapshot needs them.
//! A [`FrameProvider`] lets a language runtime report its own program's frames instead.
//!
//! Not tracing costs one load and one branch per allocation and per free. The crate knows
//! nothing about objects; `pymem::tracemalloc` applies it to pymem's heap.

mod blocks;
mod capture;
mod dump;
mod error;
mod filter;
mod format;
mod frame;
mod snapshot;
mod table;
mod traced;
mod tracer;

pub use capture::FrameProvider;
pub use dump::DUMP_VERSION;
pub use error::TracemallocError;
pub use filter::{DomainFilter, Filter, TraceFilter, fnmatch};
pub use format::format_size;
pub use frame::{Frame, Traceback};
pub use snapshot::{BlockTrace, KeyType, Snapshot, Statistic, StatisticDiff};
pub use traced::Traced;
pub use tracer::{DEFAULT_DOMAIN, MAX_NFRAME, Tracer};

/// The README's example, compiled and run as a doctest so that it stays true.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
