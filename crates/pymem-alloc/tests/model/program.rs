//! Allocator programs (docs/reliability.md, "Oracles"), shared by the proptest
//! suite (`tests/model.rs`) and the cargo-fuzz target `fuzz/fuzz_targets/alloc_ops.rs`, which
//! includes this file with `#[path]`. A program of alloc/realloc/free over sizes 1..=4096 is
//! checked against a map of live blocks: no two live blocks overlap, alignment holds,
//! contents survive realloc (each block is filled with its own byte), the block count
//! matches, the structures validate, and freeing everything (and trimming the spare pools)
//! returns the arenas.

use pymem_alloc::{PyMalloc, RawAlloc};
use std::alloc::Layout;
use std::collections::BTreeMap;
use std::ptr::NonNull;

/// One operation; indices are taken modulo the number of live blocks, and do nothing
/// when there are none.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Op {
    Alloc(usize),
    Free(usize),
    Realloc(usize, usize),
}

/// Sizes in pymalloc's range mostly, some beyond it (the system allocator's), and the
/// size-class boundaries.
const EDGES: [usize; 5] = [16, 32, 48, 64, 512];

impl Op {
    /// Three bytes to an operation: the first picks it (5 alloc : 3 free : 2 realloc) and
    /// the size's range (6 small : 1 large : 1 boundary), the others are the argument.
    pub(crate) fn from_bytes([tag, a, b]: [u8; 3]) -> Op {
        let arg = usize::from(u16::from_le_bytes([a, b]));
        let size = match tag / 10 % 8 {
            0..=5 => 1 + arg % 512,
            6 => 513 + arg % (4096 - 512),
            _ => EDGES[arg % EDGES.len()],
        };
        match tag % 10 {
            0..=4 => Op::Alloc(size),
            5..=7 => Op::Free(arg),
            _ => Op::Realloc(arg, size),
        }
    }
}

struct Live {
    ptr: NonNull<u8>,
    layout: Layout,
    fill: u8,
}

impl Live {
    fn check(&self, len: usize) {
        // SAFETY: the block is live and at least `len` bytes long.
        let data = unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), len) };
        assert!(
            data.iter().all(|&b| b == self.fill),
            "contents of a live block changed"
        );
    }

    fn fill(&self) {
        // SAFETY: the block is live and `layout.size()` bytes long.
        unsafe { self.ptr.as_ptr().write_bytes(self.fill, self.layout.size()) };
    }
}

/// Live blocks by start address, to check for overlap.
#[derive(Default)]
struct Map(BTreeMap<usize, usize>);

impl Map {
    fn insert(&mut self, ptr: NonNull<u8>, size: usize) {
        let (start, end) = (ptr.as_ptr().addr(), ptr.as_ptr().addr() + size);
        let before = self.0.range(..=start).next_back();
        assert!(
            before.is_none_or(|(_, &e)| e <= start),
            "overlaps the block before"
        );
        let after = self.0.range(start..).next();
        assert!(
            after.is_none_or(|(&s, _)| s >= end),
            "overlaps the block after"
        );
        self.0.insert(start, end);
    }

    fn remove(&mut self, ptr: NonNull<u8>) {
        assert!(self.0.remove(&ptr.as_ptr().addr()).is_some());
    }
}

/// Runs `ops` on a fresh `PyMalloc`, panicking when an oracle fails.
/// Every other small allocation tries the leaf fast path first, which must either serve
/// the block as `alloc` would or change nothing (the counts and `validate` check it).
fn alloc(a: &PyMalloc, layout: Layout, leaf_first: bool) -> NonNull<u8> {
    let leaf = leaf_first && PyMalloc::is_small(layout);
    let block = leaf.then(|| a.alloc_small_leaf(layout.size())).flatten();
    block.or_else(|| a.alloc(layout)).expect("memory")
}

pub(crate) fn run(ops: &[Op]) {
    let a = PyMalloc::new();
    // One arena is kept even when empty (bpo-37257): the baseline includes it.
    let warm = a.alloc(Layout::from_size_align(16, 16).unwrap()).unwrap();
    // SAFETY: just allocated with this layout.
    unsafe { a.dealloc(warm, Layout::from_size_align(16, 16).unwrap()) };
    a.trim();
    let baseline = a.arenas();
    let (mut live, mut map, mut next_fill) = (Vec::<Live>::new(), Map::default(), 1u8);
    for op in ops {
        match *op {
            Op::Alloc(size) => {
                let layout = Layout::from_size_align(size, 16).unwrap();
                let ptr = alloc(&a, layout, next_fill % 2 == 1);
                assert_eq!(ptr.as_ptr().addr() % 16, 0, "alignment");
                map.insert(ptr, size);
                let block = Live {
                    ptr,
                    layout,
                    fill: next_fill,
                };
                next_fill = next_fill.wrapping_add(1).max(1);
                block.fill();
                live.push(block);
            }
            Op::Free(i) if !live.is_empty() => {
                let block = live.swap_remove(i % live.len());
                block.check(block.layout.size());
                map.remove(block.ptr);
                // SAFETY: a live block of `a` with its layout.
                unsafe { a.dealloc(block.ptr, block.layout) };
            }
            Op::Realloc(i, size) if !live.is_empty() => {
                let at = i % live.len();
                let old = &live[at];
                old.check(old.layout.size());
                map.remove(old.ptr);
                // SAFETY: a live block of `a` with its layout; `size` is non-zero.
                let ptr = unsafe { a.realloc(old.ptr, old.layout, size) }.expect("memory");
                let block = Live {
                    ptr,
                    layout: Layout::from_size_align(size, 16).unwrap(),
                    fill: old.fill,
                };
                block.check(old.layout.size().min(size));
                map.insert(ptr, size);
                block.fill();
                live[at] = block;
            }
            _ => {}
        }
        assert_eq!(a.allocated_blocks(), live.len(), "blocks counted");
        if cfg!(feature = "expensive-checks") || cfg!(miri) {
            a.validate();
        }
    }
    for block in live.drain(..) {
        block.check(block.layout.size());
        // SAFETY: a live block of `a` with its layout.
        unsafe { a.dealloc(block.ptr, block.layout) };
    }
    a.validate();
    a.trim();
    a.validate();
    assert_eq!(
        (a.allocated_blocks(), a.arenas()),
        (0, baseline),
        "arenas returned"
    );
}
