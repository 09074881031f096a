//! Counters of arenas, pools and blocks, and their report in the layout of CPython's
//! `sys._debugmallocstats()` (`_PyObject_DebugMallocStats`).

use core::fmt;

use crate::arena::Arenas;
use crate::config::{
    ARENA_SIZE, NB_SMALL_SIZE_CLASSES, POOL_HEADER_SIZE, POOL_SIZE, SMALL_REQUEST_THRESHOLD,
    blocks_per_pool, class_size,
};
use crate::pool::PoolHeader;

/// The pools of one size class that have blocks allocated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClassStats {
    /// Pools with at least one block allocated.
    pub pools: usize,
    /// Blocks allocated.
    pub blocks_in_use: usize,
    /// Blocks those pools could still hand out.
    pub blocks_available: usize,
}

/// A snapshot of an allocator's state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Per size class (class `i` holds blocks of `16 * (i + 1)` bytes).
    pub classes: [ClassStats; NB_SMALL_SIZE_CLASSES],
    /// Arenas ever requested from the system.
    pub arenas_allocated_total: usize,
    /// Arenas given back to the system.
    pub arenas_reclaimed: usize,
    /// Most arenas held at once.
    pub arenas_highwater: usize,
    /// Arenas held now.
    pub arenas_current: usize,
    /// Pools not in use: empty, or never carved.
    pub unused_pools: usize,
    /// Blocks allocated from pools.
    pub small_blocks: usize,
    /// Blocks allocated from the system (requests over 512 bytes).
    pub raw_blocks: usize,
}

impl Stats {
    /// Walks every carved pool of every arena, as CPython does; `spares` has each class's
    /// spare pool (or null).
    pub(crate) fn collect(
        arenas: &Arenas,
        spares: &[*mut PoolHeader; NB_SMALL_SIZE_CLASSES],
        small_blocks: usize,
        raw_blocks: usize,
    ) -> Stats {
        let mut stats = Stats {
            arenas_allocated_total: arenas.allocated_total,
            arenas_reclaimed: arenas.allocated_total - arenas.currently_allocated,
            arenas_highwater: arenas.highwater,
            arenas_current: arenas.currently_allocated,
            small_blocks,
            raw_blocks,
            ..Stats::default()
        };
        for arena in arenas
            .all
            .as_slice()
            .iter()
            .filter(|a| !a.address.is_null())
        {
            stats.unused_pools += arena.nfreepools as usize;
            let carved = (arena.pool_address.addr() - arena.address.addr()) / POOL_SIZE;
            for i in 1..carved {
                // SAFETY: carved pools of a live arena have an initialised header, in slot
                // `i` of the arena's header pool.
                let pool = unsafe { arena.address.add(i * POOL_HEADER_SIZE).cast::<PoolHeader>() };
                // SAFETY: as above.
                let header = unsafe { &*pool };
                // An empty pool is counted only if it is its class's spare (in `usedpools`),
                // not when it waits in its arena's free pools.
                let spare = spares.get(header.szidx as usize) == Some(&pool);
                if header.count > 0 || spare {
                    stats.count_pool(header);
                }
            }
        }
        stats
    }

    fn count_pool(&mut self, pool: &PoolHeader) {
        let class = pool.szidx as usize;
        let c = &mut self.classes[class];
        c.pools += 1;
        c.blocks_in_use += pool.count as usize;
        c.blocks_available += blocks_per_pool(class) - pool.count as usize;
    }

    /// Pools that serve blocks (allocated ones or a spare) in all classes.
    pub fn pools_in_use(&self) -> usize {
        self.sum(|_, c| c.pools)
    }

    fn sum(&self, f: impl Fn(usize, &ClassStats) -> usize) -> usize {
        self.classes.iter().enumerate().map(|(i, c)| f(i, c)).sum()
    }

    /// Bytes in allocated blocks.
    pub fn allocated_bytes(&self) -> usize {
        self.sum(|i, c| c.blocks_in_use * class_size(i))
    }

    /// Bytes in blocks the used pools could still hand out.
    pub fn available_bytes(&self) -> usize {
        self.sum(|i, c| c.blocks_available * class_size(i))
    }

    fn quantization_bytes(&self) -> usize {
        self.sum(|i, c| c.pools * (POOL_SIZE % class_size(i)))
    }
}

/// One `printone` line: the label padded to 35 columns, `=`, the value right-aligned in 21
/// columns with thousands separators.
fn printone(f: &mut fmt::Formatter<'_>, label: &str, value: usize) -> fmt::Result {
    let digits = value.to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    writeln!(f, "{label:<35}={grouped:>21}")
}

impl fmt::Display for Stats {
    /// Sections 1–3 of CPython's `_debugmallocstats` (size classes, arenas, bytes). Its
    /// radix-tree section has no counterpart (pymem finds a block's owner from its size), nor
    /// do its per-type free lists. "Bytes lost to pool headers" is each arena's header pool
    /// (the first 16 KiB, which holds every pool header of the arena).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Small block threshold = {SMALL_REQUEST_THRESHOLD}, in {NB_SMALL_SIZE_CLASSES} size classes.\n"
        )?;
        writeln!(f, "class   size   num pools   blocks in use  avail blocks")?;
        writeln!(f, "-----   ----   ---------   -------------  ------------")?;
        for (i, c) in self.classes.iter().enumerate().filter(|(_, c)| c.pools > 0) {
            let size = class_size(i);
            writeln!(
                f,
                "{i:5} {size:6} {:11} {:15} {:13}",
                c.pools, c.blocks_in_use, c.blocks_available
            )?;
        }
        writeln!(f)?;
        printone(f, "# arenas allocated total", self.arenas_allocated_total)?;
        printone(f, "# arenas reclaimed", self.arenas_reclaimed)?;
        printone(f, "# arenas highwater mark", self.arenas_highwater)?;
        printone(f, "# arenas allocated current", self.arenas_current)?;
        let arena_bytes = self.arenas_current * ARENA_SIZE;
        printone(
            f,
            &format!("{} arenas * {ARENA_SIZE} bytes/arena", self.arenas_current),
            arena_bytes,
        )?;
        writeln!(f)?;
        let parts = [
            (
                "# bytes in allocated blocks".to_string(),
                self.allocated_bytes(),
            ),
            (
                "# bytes in available blocks".to_string(),
                self.available_bytes(),
            ),
            (
                format!("{} unused pools * {POOL_SIZE} bytes", self.unused_pools),
                self.unused_pools * POOL_SIZE,
            ),
            (
                "# bytes lost to pool headers".to_string(),
                self.arenas_current * POOL_SIZE,
            ),
            (
                "# bytes lost to quantization".to_string(),
                self.quantization_bytes(),
            ),
            ("# bytes lost to arena alignment".to_string(), 0),
        ];
        for (label, value) in &parts {
            printone(f, label, *value)?;
        }
        printone(f, "Total", parts.iter().map(|(_, v)| v).sum())
    }
}
