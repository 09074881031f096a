//! The process's resident set size (psutil's `memory_info().rss`), from the OS.

/// Bytes resident now; 0 where the OS does not tell.
pub fn rss_bytes() -> u64 {
    memory_stats::memory_stats().map_or(0, |m| m.physical_mem as u64)
}

/// Mebibytes, memory_profiler's unit.
pub fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}
