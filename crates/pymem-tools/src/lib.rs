//! # pymem-tools: watching a pymem heap
//!
//! The tools Python programmers use to understand memory, built on what only the memory
//! manager knows: every object, its type, its referents, every collection and every traced
//! allocation. Each module reproduces one tool's functions and output format.

pub mod exporter;
pub mod flame;
pub mod line_profile;
pub mod metrics;
pub mod mprof;
pub mod plot;
pub mod published;
pub mod report;
pub mod rss;
pub mod sampler;
