//! The raw allocators of B11: the global allocator and pymem's pools.

use std::time::Instant;

use super::Peer;
use crate::Outcome;
use crate::alloc_mix::{self, Global};

/// Runs B11 at size `n` on `peer` (`Malloc` or `PyMalloc`).
pub(super) fn run(peer: Peer, n: usize) -> Option<Outcome> {
    let started = Instant::now();
    let mut outcome = match peer {
        Peer::Malloc => alloc_mix::run(&Global, n),
        Peer::PyMalloc => alloc_mix::run(&pymem_alloc::PyMalloc::new(), n),
        _ => return None,
    };
    outcome.phases.push(("total", started.elapsed()));
    Some(outcome)
}
