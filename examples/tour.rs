//! A guided tour of pymem: CPython's memory management, running in a Rust program.
//!
//! Run it with `cargo run --release --example tour`. Each section prints what it shows and
//! the Python you would write to see the same thing in CPython.

use pymem::{Finalize, Gc, Trace, Weak, gc, sys, tracemalloc, weakref};
use std::cell::RefCell;

/// A graph node, like `class Node: pass` with a `name` and a list of `edges`.
#[derive(Trace)]
struct Node {
    #[trace(skip)]
    name: &'static str,
    edges: RefCell<Vec<Gc<Node>>>,
}

impl Drop for Node {
    fn drop(&mut self) {
        println!("    (Node {:?} dropped)", self.name);
    }
}

/// A silent self-referencing object, for the automatic-collection section.
#[derive(Trace)]
struct Loop {
    me: RefCell<Option<Gc<Loop>>>,
}

/// An object with a finalizer (`__del__`) that resurrects it the first time it dies.
#[derive(Trace)]
#[trace(finalize)]
struct Phoenix {
    me: RefCell<Option<Gc<Phoenix>>>,
    #[trace(skip)]
    feathers: u32,
}

thread_local! {
    static ASHES: RefCell<Option<Gc<Phoenix>>> = const { RefCell::new(None) };
}

impl Finalize for Phoenix {
    fn finalize(this: &Gc<Self>) {
        println!(
            "    (Phoenix.__del__: rising again with {} feathers)",
            this.feathers
        );
        ASHES.set(Some(this.clone())); // resurrection: a new strong reference
    }
}

fn node(name: &'static str) -> Gc<Node> {
    Gc::new(Node {
        name,
        edges: RefCell::new(Vec::new()),
    })
}

fn section(title: &str, python: &str) {
    println!("\n== {title}\n   Python: {python}");
}

fn main() {
    gc::disable(); // automatic collection off until section 5, so counts are exact
    gc::collect();

    section("1. Reference counts rise and fall", "sys.getrefcount(a)");
    let a = node("a");
    println!(
        "  a = Node('a')            refcount = {}",
        sys::getrefcount(&a)
    );
    let alias = a.clone();
    println!(
        "  alias = a                refcount = {}",
        sys::getrefcount(&a)
    );
    drop(alias);
    println!(
        "  del alias                refcount = {}",
        sys::getrefcount(&a)
    );
    println!("  (CPython prints one more: the argument of getrefcount holds a reference)");

    section("2. Prompt destruction", "del a   # __del__ runs at once");
    println!("  del a ...");
    drop(a);
    println!("  ... returned: the value was dropped before `drop` returned");

    section(
        "3. A cycle survives until gc.collect() finds it",
        "a.x = b; b.x = a; del a, b",
    );
    let (a, b) = (node("ring-a"), node("ring-b"));
    a.edges.borrow_mut().push(b.clone());
    b.edges.borrow_mut().push(a.clone());
    let watch = Gc::downgrade(&a);
    drop((a, b));
    println!(
        "  del a, b: alive? {}  (each still referenced by the other)",
        watch.upgrade().is_some()
    );
    println!("  gc.get_count() = {:?}", gc::get_count());
    let found = gc::collect();
    println!("  gc.collect() -> {found} unreachable objects found and freed");
    println!("  alive? {}", watch.upgrade().is_some());

    section("4. Generations", "gc.get_objects(generation)");
    let survivor = node("survivor");
    let me = Gc::as_object(&survivor);
    let generation = || (0..3).find(|&g| gc::get_objects(Some(g)).unwrap().contains(&me));
    println!("  new object in generation {:?}", generation().unwrap());
    gc::collect_generation(0).unwrap();
    println!(
        "  after gc.collect(0): generation {:?}, counts {:?}",
        generation().unwrap(),
        gc::get_count()
    );
    gc::collect_generation(1).unwrap();
    println!(
        "  after gc.collect(1): generation {:?}, counts {:?}",
        generation().unwrap(),
        gc::get_count()
    );
    let untracked = Gc::new(String::from("a string"));
    println!(
        "  gc.is_tracked(node) = {}, gc.is_tracked(str) = {} (no Gc fields: untracked, like CPython's atomic objects)",
        gc::is_tracked(&survivor),
        gc::is_tracked(&untracked)
    );
    drop((me, survivor, untracked));

    section(
        "5. Thresholds and automatic collection",
        "gc.set_threshold(100, 10, 10)",
    );
    println!(
        "  default gc.get_threshold() = {:?} (CPython 3.13)",
        gc::get_threshold()
    );
    gc::set_threshold(100, 10, 10).unwrap();
    gc::enable();
    let before = gc::get_stats();
    for _ in 0..1000 {
        let x = Gc::new(Loop {
            me: RefCell::new(None),
        });
        *x.me.borrow_mut() = Some(x.clone()); // garbage, freed by the automatic runs
    }
    let after = gc::get_stats();
    gc::disable();
    gc::set_threshold(2000, 10, 10).unwrap();
    let runs: Vec<usize> = (0..3)
        .map(|g| after[g].collections - before[g].collections)
        .collect();
    let freed: usize = (0..3)
        .map(|g| after[g].collected - before[g].collected)
        .sum();
    println!(
        "  1000 self-cycles allocated: automatic collections per generation {runs:?}, {freed} objects freed"
    );
    let pending = gc::get_count();
    println!(
        "  gc.get_count() = {pending:?}; gc.collect() -> {} (the object allocated by each \
         triggering call is not counted, as in CPython)",
        gc::collect()
    );

    section("6. gc.get_stats()", "gc.get_stats()");
    for (g, s) in gc::get_stats().iter().enumerate() {
        println!(
            "  generation {g}: collections={}, collected={}, uncollectable={}",
            s.collections, s.collected, s.uncollectable
        );
    }

    section(
        "7. DEBUG_STATS",
        "gc.set_debug(gc.DEBUG_STATS); gc.collect()",
    );
    let cyc = node("debug-cycle");
    cyc.edges.borrow_mut().push(cyc.clone());
    drop(cyc);
    gc::set_debug(gc::DEBUG_STATS);
    gc::collect();
    gc::set_debug(gc::DebugFlags::empty());
    println!("  (the lines above came from the collector, in CPython's format, on stderr)");

    section(
        "8. Weak references with callbacks",
        "weakref.ref(obj, callback)",
    );
    let target = node("watched");
    let plain = Gc::downgrade(&target);
    let watcher = Weak::with_callback(&target, |w| {
        println!(
            "    (callback: the object died; upgrading now gives {:?})",
            w.upgrade().map(|_| ())
        );
    });
    println!(
        "  weakref.getweakrefcount(obj) = {}",
        weakref::getweakrefcount(&target)
    );
    println!("  del obj ...");
    drop(target);
    println!(
        "  plain weakref now: {:?}; the callback ran once: has_callback = {}",
        plain,
        watcher.has_callback()
    );

    section(
        "9. A finalizer that resurrects its object (PEP 442)",
        "def __del__(self): saved.append(self)",
    );
    let p = Gc::new(Phoenix {
        me: RefCell::new(None),
        feathers: 7,
    });
    *p.me.borrow_mut() = Some(p.clone()); // a self-cycle
    let weak = Gc::downgrade(&p);
    drop(p);
    println!(
        "  gc.collect() -> {} (a resurrected object is not counted)",
        gc::collect()
    );
    let back = ASHES.take().expect("resurrected");
    println!(
        "  it is back, intact: feathers = {}, gc.is_finalized = {}; its weakref was cleared first: {:?}",
        back.feathers,
        gc::is_finalized(&back),
        weak.upgrade().map(|_| ())
    );
    drop(back);
    println!(
        "  dropped again: gc.collect() -> {} (no second __del__)",
        gc::collect()
    );

    section(
        "10. gc.garbage and DEBUG_SAVEALL",
        "gc.set_debug(gc.DEBUG_SAVEALL); gc.collect(); gc.garbage",
    );
    let kept = node("kept-for-inspection");
    kept.edges.borrow_mut().push(kept.clone());
    drop(kept);
    gc::set_debug(gc::DEBUG_SAVEALL);
    let found = gc::collect();
    gc::set_debug(gc::DebugFlags::empty());
    println!(
        "  gc.collect() -> {found}; gc.garbage = {:?}",
        gc::garbage()
    );
    println!(
        "  gc.garbage.clear() released {} object(s); the next gc.collect() frees them:",
        gc::clear_garbage()
    );
    let freed = gc::collect();
    println!("  gc.collect() -> {freed}");

    section(
        "11. pymalloc: arenas, pools and blocks",
        "sys._debugmallocstats()",
    );
    let arenas = || sys::mallocstats().map_or(0, |s| s.arenas_current);
    println!(
        "  objects come from 16 KiB pools of one size class in 1 MiB arenas; arenas now: {}",
        arenas()
    );
    let batch: Vec<Gc<Loop>> = (0..100_000)
        .map(|_| {
            Gc::new(Loop {
                me: RefCell::new(None),
            })
        })
        .collect();
    println!(
        "  100,000 small objects later ({} bytes each: size class {}): {} arenas. The report:\n",
        sys::getsizeof(&batch[0]),
        sys::getsizeof(&batch[0]) / 16 - 1,
        arenas()
    );
    sys::debugmallocstats();
    drop(batch);
    gc::collect(); // a full collection also gives back each size class's spare pool
    println!(
        "\n  del batch; gc.collect(): empty pools went back to their arenas, and empty arenas \
         to the system (all but one, as CPython keeps); arenas now: {}. The report again:\n",
        arenas()
    );
    sys::debugmallocstats();

    section(
        "12. tracemalloc: where the memory was allocated",
        "tracemalloc.start(); snapshot.statistics('lineno'); new.compare_to(old, 'lineno')",
    );
    tracemalloc::start(1).expect("a valid frame count");
    let cache = RefCell::new(Vec::new());
    let remember = |n: usize| {
        cache
            .borrow_mut()
            .extend((0..n).map(|i| Gc::new([i as u64; 8])))
    };
    let names: Vec<Gc<String>> = (0..200).map(|i| Gc::new(format!("name {i}"))).collect();
    remember(100);
    let graph: Vec<Gc<Node>> = (0..50).map(|_| node("graph")).collect();
    let first = tracemalloc::take_snapshot().expect("tracing");
    println!("  top lines (tracemalloc's own format):");
    for stat in first
        .statistics("lineno", false)
        .expect("a valid key")
        .iter()
        .take(10)
    {
        println!("    {stat}");
    }
    let (current, peak) = tracemalloc::get_traced_memory();
    println!("  get_traced_memory() = ({current}, {peak})");
    remember(400); // the "leak": a cache that only grows
    let second = tracemalloc::take_snapshot().expect("tracing");
    println!("  what grew since the first snapshot:");
    for diff in second
        .compare_to(&first, "lineno", false)
        .expect("a valid key")
        .iter()
        .take(3)
    {
        println!("    {diff}");
    }
    let tb = tracemalloc::get_object_traceback(&names[0]).expect("traced");
    println!("  get_object_traceback(names[0]) = {tb}");
    tracemalloc::stop();
    std::mem::forget(graph); // quietly: their Drop would print 50 lines
    drop(names);
}
