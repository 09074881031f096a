//! `GlobalPyMalloc` as this test binary's global allocator, from several threads.

use pymem_alloc::GlobalPyMalloc;

#[global_allocator]
static GLOBAL: GlobalPyMalloc = GlobalPyMalloc::new();

#[test]
fn threads_allocate_and_free_across_each_other() {
    // Miri runs every allocation through the global allocator's slow checks: fewer rounds there.
    const ROUNDS: usize = if cfg!(miri) { 4 } else { 50 };
    const BATCH: usize = if cfg!(miri) { 40 } else { 200 };
    let (tx, rx) = std::sync::mpsc::channel::<Vec<Box<[u8; 24]>>>();
    let producer = std::thread::spawn(move || {
        for round in 0..ROUNDS {
            tx.send(
                (0..BATCH)
                    .map(|i| Box::new([(round + i) as u8; 24]))
                    .collect(),
            )
            .unwrap();
        }
    });
    let mut checked = 0;
    for batch in rx {
        // Freed on this thread, allocated on the other one.
        for b in batch {
            assert!(b.iter().all(|&x| x == b[0]));
            checked += 1;
        }
    }
    producer.join().unwrap();
    assert_eq!(checked, ROUNDS * BATCH);
    let mut s = String::new();
    for i in 0..300 {
        s.push_str(&i.to_string()); // realloc through growing sizes, crossing 512 bytes
    }
    assert!(s.len() > 512);
    let stats = GLOBAL.stats();
    assert!(stats.arenas_current >= 1 && stats.small_blocks > 0);
}
