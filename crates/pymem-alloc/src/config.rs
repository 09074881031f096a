//! The tunable settings, with CPython's values (`Objects/obmalloc.c`, 64-bit) and their
//! invariants checked at compile time, as obmalloc's `#error`s do.

/// Every block is aligned to this (CPython's `ALIGNMENT`).
pub const ALIGNMENT: usize = 16;
/// Requests up to this size come from pools; larger ones go to the system allocator.
pub const SMALL_REQUEST_THRESHOLD: usize = 512;
/// Size classes: class `i` holds blocks of `(i + 1) * ALIGNMENT` bytes.
pub const NB_SMALL_SIZE_CLASSES: usize = SMALL_REQUEST_THRESHOLD / ALIGNMENT;
/// A pool: blocks of one size class (16 KiB, as with CPython's radix tree).
pub const POOL_SIZE: usize = 1 << 14;
/// An arena: the unit requested from (and returned to) the system (1 MiB on 64-bit).
pub const ARENA_SIZE: usize = 1 << 20;
/// Pools per arena that hold blocks. Arenas are arena-aligned; the first of their 64 pools
/// holds the other pools' headers (where this differs from CPython, whose headers start
/// each pool: 16 KiB-aligned headers all fall into the same few cache sets, and a mix of
/// size classes then misses the L1 cache on nearly every allocation and free). CPython
/// also gets 63 pools per arena when its `mmap` result is not pool-aligned.
pub const POOLS_PER_ARENA: usize = ARENA_SIZE / POOL_SIZE - 1;
/// Bytes of one pool header in the arena's header pool (CPython's `POOL_OVERHEAD`, which
/// there is the header at the start of each pool; here no block shares a pool with it).
pub const POOL_HEADER_SIZE: usize = 48;

const _: () = assert!(ALIGNMENT.is_power_of_two() && ALIGNMENT >= size_of::<usize>());
const _: () =
    assert!(SMALL_REQUEST_THRESHOLD.is_multiple_of(ALIGNMENT) && SMALL_REQUEST_THRESHOLD <= 512);
const _: () = assert!(POOL_SIZE.is_power_of_two() && ARENA_SIZE.is_multiple_of(POOL_SIZE));
const _: () = assert!(ARENA_SIZE.is_power_of_two() && 2 * SMALL_REQUEST_THRESHOLD <= POOL_SIZE);
const _: () = assert!((POOLS_PER_ARENA + 1) * POOL_HEADER_SIZE <= POOL_SIZE);

/// The size class of a request of `size` bytes (`1..=SMALL_REQUEST_THRESHOLD`).
#[inline]
pub const fn size_class(size: usize) -> usize {
    (size - 1) / ALIGNMENT
}

/// Bytes per block of size class `class`.
#[inline]
pub const fn class_size(class: usize) -> usize {
    (class + 1) * ALIGNMENT
}

/// Blocks in a pool of size class `class`.
pub const fn blocks_per_pool(class: usize) -> usize {
    POOL_SIZE / class_size(class)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_classes_follow_obmallocs_table() {
        // obmalloc.c: "Request in bytes / Size of allocated block / Size class idx".
        for (request, block, class) in [
            (1, 16, 0),
            (16, 16, 0),
            (17, 32, 1),
            (32, 32, 1),
            (497, 512, 31),
            (512, 512, 31),
        ] {
            assert_eq!(
                (class_size(size_class(request)), size_class(request)),
                (block, class)
            );
        }
        assert_eq!(NB_SMALL_SIZE_CLASSES, 32);
        assert_eq!((blocks_per_pool(0), blocks_per_pool(31)), (1024, 32));
    }
}
