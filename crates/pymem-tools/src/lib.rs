//! # pymem-tools: watching a pymem heap
//!
//! The tools Python programmers use to understand memory, built on what only the memory
//! manager knows: every object, its type, its referents, every collection and every traced
//! allocation. Each module reproduces one tool's functions and output format.
//!
//! * [`objgraph`]: type counts, growth, objects by type, leaking objects, reference chains;
//!   [`dot`]: `show_refs` / `show_backrefs` as objgraph's DOT; `render_svg`: DOT to SVG (feature `svg`).
//! * [`why_alive`]: the shortest chains of references from the roots to an object.
//! * [`heapy`]: the heap partitioned by type, and retained sizes from a dominator tree.
//! * [`sampler`], [`mprof`], [`line_profile`], [`plot`], [`rss`]: memory over time (mprof's
//!   `.dat`, memory_profiler's line table, `mprof plot` as SVG and PNG).
//! * [`flame`]: a tracemalloc snapshot as folded stacks and a flame graph (memray's report).
//! * [`published`], [`metrics`], [`exporter`]: figures published at safe points, and a
//!   Prometheus endpoint that reads them without walking the heap.
//! * [`report`]: one line per collection (generation, pause, what it freed by type).
//! * [`HeapGraph`]: the snapshot the object-graph tools work on. `docs/observability.md` shows each one's
//!   output and how it differs from the Python tool.
//!
//! Like CPython's `gc` module and objgraph, the object-graph tools see the *tracked* objects
//! (those whose type can hold `Gc`s) and the untracked ones they reference; an untracked
//! object (an atom such as `Gc<String>`) held only from outside the heap is invisible.

pub mod dot;
pub mod exporter;
pub mod flame;
mod heap_graph;
pub mod heapy;
pub mod line_profile;
pub mod metrics;
pub mod mprof;
pub mod names;
pub mod objgraph;
pub mod plot;
pub mod published;
pub mod report;
pub mod rss;
pub mod sampler;
#[cfg(feature = "svg")]
mod svg;
mod why_alive;

pub use heap_graph::HeapGraph;
#[cfg(feature = "svg")]
pub use svg::{RenderError, render_svg};
pub use why_alive::{Chain, Link, WhyAlive, why_alive, why_alive_with};
