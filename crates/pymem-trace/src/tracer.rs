//! [`Tracer`]: the state of `tracemalloc` for one traced allocator: whether it traces, the
//! traceback limit, a trace per live block (by domain and address), the traced and peak
//! byte counts, and the interned tracebacks.

use std::cell::{Cell, RefCell, UnsafeCell};
use std::collections::HashMap;
use std::panic::Location;
use std::rc::Rc;
use std::sync::Arc;

use crate::blocks::{BlockTraces, NeedsRoom};
use crate::capture::{self, FrameProvider, Site, Tracebacks};
use crate::error::TracemallocError;
use crate::frame::{Frame, Traceback};
use crate::snapshot::{BlockTrace, Snapshot};
use crate::table::{AddressHasherBuilder, Entry};

/// The domain of the blocks a [`Traced`](crate::Traced) allocator hands out (CPython's
/// domain 0, that of Python's own allocators).
pub const DEFAULT_DOMAIN: u32 = 0;

/// The largest traceback limit (`tracemalloc.start` accepts `1..=65535`).
pub const MAX_NFRAME: usize = 65535;

type AddressMap<K> = HashMap<K, Entry, AddressHasherBuilder>;

/// Traces and counters, guarded by the tracer's `busy` flag.
#[derive(Default)]
struct State {
    /// Blocks of [`DEFAULT_DOMAIN`], by address.
    blocks: BlockTraces,
    /// Blocks of other domains (`track`), by domain and address.
    others: AddressMap<(u32, usize)>,
    tracebacks: Tracebacks,
    current: usize,
    peak: usize,
    /// Scratch buffer for unwinding.
    ips: Vec<usize>,
}

impl State {
    fn map_insert(&mut self, domain: u32, addr: usize, entry: Entry) -> Option<Entry> {
        if domain == DEFAULT_DOMAIN {
            self.blocks.insert(addr, entry)
        } else {
            self.others.insert((domain, addr), entry)
        }
    }

    fn map_remove(&mut self, domain: u32, addr: usize) -> Option<Entry> {
        if domain == DEFAULT_DOMAIN {
            self.blocks.remove(addr)
        } else {
            self.others.remove(&(domain, addr))
        }
    }

    fn add(&mut self, domain: u32, addr: usize, entry: Entry) {
        // Re-tracking an address replaces its trace (CPython's `PyTraceMalloc_Track`).
        let old = self.map_insert(domain, addr, entry);
        self.count(entry.size, old);
    }

    /// Counts a block added in place of `old`.
    #[inline]
    fn count(&mut self, size: usize, old: Option<Entry>) {
        if let Some(old) = old {
            self.current -= old.size;
        }
        self.current += size;
        self.peak = self.peak.max(self.current);
    }

    fn remove(&mut self, domain: u32, addr: usize) {
        if let Some(old) = self.map_remove(domain, addr) {
            self.current -= old.size;
        }
    }
}

/// The tracing state of one allocator (one thread's heap, in pymem).
///
/// Budget when not tracing: one load and one well-predicted branch per allocation and per
/// free. The tracer never traces its own allocations: its tables use the global allocator,
/// and while it runs (a [`FrameProvider`] included) nested allocations are not traced.
///
/// The state's guard is `busy`: a reference into the state exists only while `busy` is up,
/// or inside the two leaf fast paths, which call nothing while they hold it (no user code,
/// no allocation, so nothing can re-enter the tracer). Every other access raises `busy`
/// first (`Busy`), and every entry point tests it. A `RefCell` would check the same thing
/// again on each traced allocation and free, at four instructions a side.
///
/// ```
/// use pymem_trace::{Tracer, TracemallocError};
///
/// let tracer = Tracer::new();
/// assert!(!tracer.is_tracing());
/// assert!(matches!(tracer.take_snapshot(), Err(TracemallocError::NotTracing)));
/// tracer.start(25).unwrap();
/// assert_eq!(tracer.traceback_limit(), 25);
/// assert!(matches!(tracer.start(0), Err(TracemallocError::InvalidFrameCount(0))));
/// tracer.stop();
/// ```
pub struct Tracer {
    tracing: Cell<bool>,
    limit: Cell<usize>,
    /// Set while the tracer runs: allocations made meanwhile are not traced, frees are not
    /// forgotten, and the state is in use.
    busy: Cell<bool>,
    /// Tracing, one caller frame, and not busy: the recording fast path's one test.
    fast: Cell<bool>,
    state: UnsafeCell<State>,
    /// Set while a reference into the state exists (debug builds only): checks the guard.
    in_state: Cell<bool>,
    provider: RefCell<Option<Rc<dyn FrameProvider>>>,
    /// The limit is one frame and no provider is set: tracebacks are the callers'.
    one_caller_frame: Cell<bool>,
    /// Scratch buffer for provided frames.
    scratch: Cell<Vec<Frame>>,
}

/// Holds the re-entrancy guard up, and puts it back as it was when dropped (also when a
/// frame provider panics).
struct Busy<'a> {
    tracer: &'a Tracer,
    was_busy: bool,
}

impl<'a> Busy<'a> {
    fn enter(tracer: &'a Tracer) -> Busy<'a> {
        let was_busy = tracer.busy.replace(true);
        tracer.fast.set(false);
        Busy { tracer, was_busy }
    }
}

impl Drop for Busy<'_> {
    fn drop(&mut self) {
        self.tracer.busy.set(self.was_busy);
        self.tracer.update_fast();
    }
}

/// Marks the state in use in debug builds, so that a second reference panics instead of
/// aliasing; clears the mark when dropped. Release builds do nothing here.
struct InState<'a>(&'a Cell<bool>);

impl<'a> InState<'a> {
    #[inline(always)]
    fn enter(tracer: &'a Tracer) -> InState<'a> {
        if cfg!(debug_assertions) {
            assert!(!tracer.in_state.replace(true), "tracer state used twice");
        }
        InState(&tracer.in_state)
    }
}

impl Drop for InState<'_> {
    #[inline(always)]
    fn drop(&mut self) {
        if cfg!(debug_assertions) {
            self.0.set(false);
        }
    }
}

impl Default for Tracer {
    fn default() -> Tracer {
        Tracer::new()
    }
}

impl Tracer {
    /// A tracer that is not tracing, with a traceback limit of 1.
    pub fn new() -> Tracer {
        Tracer {
            tracing: Cell::new(false),
            limit: Cell::new(1),
            busy: Cell::new(false),
            fast: Cell::new(false),
            state: UnsafeCell::new(State::default()),
            in_state: Cell::new(false),
            provider: RefCell::new(None),
            one_caller_frame: Cell::new(true),
            scratch: Cell::new(Vec::new()),
        }
    }

    /// `tracemalloc.start(nframe)`: starts tracing, keeping up to `nframe` frames per
    /// traceback. Already tracing: only validates (the limit is not changed, as in CPython).
    pub fn start(&self, nframe: usize) -> Result<(), TracemallocError> {
        if !(1..=MAX_NFRAME).contains(&nframe) {
            return Err(TracemallocError::InvalidFrameCount(nframe));
        }
        if !self.tracing.get() {
            self.limit.set(nframe);
            self.tracing.set(true);
            self.update_one_caller_frame();
        }
        Ok(())
    }

    /// `tracemalloc.stop()`: stops tracing and forgets every trace and traceback; the
    /// traceback limit is kept.
    pub fn stop(&self) {
        self.tracing.set(false);
        self.update_fast();
        self.with_state(|state| {
            let ips = std::mem::take(&mut state.ips);
            *state = State {
                ips,
                ..State::default()
            };
        });
    }

    /// `tracemalloc.is_tracing()`.
    #[inline]
    pub fn is_tracing(&self) -> bool {
        self.tracing.get()
    }

    /// `tracemalloc.clear_traces()`: forgets the traces and tracebacks; tracing goes on.
    pub fn clear_traces(&self) {
        let tracing = self.tracing.get();
        self.stop();
        self.tracing.set(tracing);
        self.update_fast();
    }

    /// `tracemalloc.get_traceback_limit()`.
    pub fn traceback_limit(&self) -> usize {
        self.limit.get()
    }

    /// `tracemalloc.get_traced_memory()`: `(current, peak)` bytes of traced blocks, `(0, 0)`
    /// when not tracing.
    pub fn traced_memory(&self) -> (usize, usize) {
        if !self.tracing.get() {
            return (0, 0);
        }
        self.with_state(|s| (s.current, s.peak))
    }

    /// `tracemalloc.reset_peak()`: the peak becomes the current size.
    pub fn reset_peak(&self) {
        self.with_state(|s| s.peak = s.current);
    }

    /// `tracemalloc.get_tracemalloc_memory()`: bytes the tracer's tables use (approximate:
    /// table capacities times entry sizes, plus the interned tracebacks).
    pub fn tracemalloc_memory(&self) -> usize {
        self.with_state(|s| {
            let entry = size_of::<(usize, Entry)>() + 1;
            size_of::<Tracer>()
                + s.blocks.bytes()
                + s.others.capacity() * (entry + 8)
                + s.tracebacks.bytes()
                + s.ips.capacity() * 8
        })
    }

    /// Sets (or, with `None`, removes) the source of frames used instead of Rust's.
    pub fn set_frame_provider(&self, provider: Option<Rc<dyn FrameProvider>>) {
        *self.provider.borrow_mut() = provider;
        self.update_one_caller_frame();
    }

    fn update_one_caller_frame(&self) {
        let one = self.limit.get() == 1 && self.provider.borrow().is_none();
        self.one_caller_frame.set(one);
        self.update_fast();
    }

    fn update_fast(&self) {
        let fast = self.tracing.get() && self.one_caller_frame.get() && !self.busy.get();
        self.fast.set(fast);
    }

    /// The state, for one of the fast paths or a [`Tracer::with_state`] closure.
    ///
    /// # Safety
    /// No other reference into the state may exist while the returned one is used: the
    /// caller has tested that `busy` is down (and holds the reference in a leaf that calls
    /// nothing), or has raised `busy` itself and is the only code that uses the state
    /// until it lowers it again.
    #[allow(clippy::mut_from_ref)]
    #[inline(always)]
    unsafe fn state_mut(&self) -> &mut State {
        // SAFETY: the caller's contract makes this reference the only one.
        unsafe { &mut *self.state.get() }
    }

    /// Records a new block of `size` bytes at `addr` allocated from `caller`, if tracing.
    /// Budget when not tracing: a load and a branch.
    #[inline(always)]
    pub fn record(
        &self,
        domain: u32,
        addr: usize,
        size: usize,
        caller: &'static Location<'static>,
    ) {
        if self.tracing.get() {
            self.record_traced(domain, addr, size, caller);
        }
    }

    #[inline(never)]
    fn record_traced(
        &self,
        domain: u32,
        addr: usize,
        size: usize,
        caller: &'static Location<'static>,
    ) {
        self.record_now(domain, addr, size, caller);
    }

    /// [`Tracer::record`] once the caller knows it is tracing, for a caller that is itself
    /// out of line (so that this one inlines into it): records, unless the tracer is busy.
    /// Budget, one caller frame: the busy and mode tests, a cached interning, an insert.
    #[inline]
    pub fn record_now(
        &self,
        domain: u32,
        addr: usize,
        size: usize,
        caller: &'static Location<'static>,
    ) {
        if domain != DEFAULT_DOMAIN || !self.try_record_caller(addr, size, caller) {
            self.record_other(domain, addr, size, caller);
        }
    }

    /// [`Tracer::record_now`]'s common case alone, for a block of [`DEFAULT_DOMAIN`]: one
    /// frame, the caller's, already interned, and room for the trace in the page used last.
    /// Records and returns true then; otherwise records nothing and returns false, and the
    /// caller takes `record_now`. Calls nothing (no user code runs, nothing allocates), so
    /// that a traced path built of it saves no registers. Records nothing when not tracing.
    #[inline]
    pub fn try_record_caller(
        &self,
        addr: usize,
        size: usize,
        caller: &'static Location<'static>,
    ) -> bool {
        if !self.fast.get() {
            return false;
        }
        let _in_state = InState::enter(self);
        // SAFETY: `fast` implies `busy` is down, so no other reference into the state
        // exists, and nothing below calls out of this function.
        let state = unsafe { self.state_mut() };
        let Some(traceback) = state.tracebacks.last_caller(caller) else {
            return false;
        };
        match state
            .blocks
            .try_insert_leaf(addr, Entry { size, traceback })
        {
            Ok(old) => {
                state.count(size, old);
                true
            }
            Err(NeedsRoom) => false,
        }
    }

    /// What [`Tracer::try_record_caller`] left: a busy tracer (records nothing), another
    /// domain or mode, a new caller, or a trace that needs memory.
    #[cold]
    #[inline(never)]
    fn record_other(
        &self,
        domain: u32,
        addr: usize,
        size: usize,
        caller: &'static Location<'static>,
    ) {
        if self.busy.get() {
            return; // an allocation made by the tracer itself, or by its frame provider
        }
        if domain != DEFAULT_DOMAIN || !self.one_caller_frame.get() {
            return self.record_slow(domain, addr, size, caller);
        }
        self.add_making_room(addr, size, caller);
    }

    /// Adds a block once its traceback or its trace needs memory, with the guard up: on a
    /// traced global allocator, that memory must not be traced (nor the tracer re-entered).
    #[cold]
    fn add_making_room(&self, addr: usize, size: usize, caller: &'static Location<'static>) {
        self.with_state(|state| {
            let traceback = state.tracebacks.intern_caller(caller);
            let old = state.blocks.insert(addr, Entry { size, traceback });
            state.count(size, old);
        });
    }

    #[cold]
    fn record_slow(
        &self,
        domain: u32,
        addr: usize,
        size: usize,
        caller: &'static Location<'static>,
    ) {
        let _busy = Busy::enter(self);
        let limit = self.limit.get();
        let provided = self.provided_frames(limit);
        let _in_state = InState::enter(self);
        // SAFETY: `busy` is up (above), and the frame provider, the only code here that
        // could use the tracer, has returned.
        let state = unsafe { self.state_mut() };
        let traceback = match provided {
            Some((frames, total)) => {
                let id = state.tracebacks.intern(Site::Provided(&frames, total));
                self.scratch.set(frames);
                id
            }
            None if limit == 1 => state.tracebacks.intern(Site::Caller(caller)),
            None => {
                let depth = capture::unwind(limit, &mut state.ips);
                state.tracebacks.intern(Site::Stack(&state.ips, depth))
            }
        };
        state.add(domain, addr, Entry { size, traceback });
    }

    /// The frame provider's frames (at most `limit`, most recent first, never none) and the
    /// stack depth it reports; `None` without a provider. Runs outside the state borrow, so
    /// the provider may call any tracer function.
    fn provided_frames(&self, limit: usize) -> Option<(Vec<Frame>, usize)> {
        let provider = self.provider.borrow().clone()?;
        let mut frames = self.scratch.take();
        frames.clear();
        let total = provider.frames(limit, &mut frames);
        frames.truncate(limit);
        if frames.is_empty() {
            frames.push(Frame::unknown());
        }
        let total = total.max(frames.len());
        Some((frames, total))
    }

    /// Forgets the block at `addr` (freed). Budget when not tracing: a load and a branch.
    #[inline(always)]
    pub fn forget(&self, domain: u32, addr: usize) {
        if self.tracing.get() {
            self.forget_traced(domain, addr);
        }
    }

    #[inline(never)]
    fn forget_traced(&self, domain: u32, addr: usize) {
        self.forget_now(domain, addr);
    }

    /// [`Tracer::forget`] once the caller knows it is tracing (see [`Tracer::record_now`]).
    /// Budget, a block of the page used last: the busy test, a compare, an index, a store,
    /// a subtraction; a leaf, as [`Tracer::try_record_caller`] is, with the rest out of line.
    #[inline]
    pub fn forget_now(&self, domain: u32, addr: usize) {
        if domain != DEFAULT_DOMAIN || self.busy.get() {
            return self.forget_other(domain, addr);
        }
        let _in_state = InState::enter(self);
        // SAFETY: `busy` is down, so no other reference into the state exists, and nothing
        // below calls out of this function.
        let state = unsafe { self.state_mut() };
        if let Ok(old) = state.blocks.try_remove_leaf(addr) {
            if let Some(old) = old {
                state.current -= old.size;
            }
            return;
        }
        drop(_in_state);
        self.forget_other(domain, addr);
    }

    /// What [`Tracer::forget_now`] left: a busy tracer (forgets nothing), another domain, or
    /// a block outside the page used last.
    #[cold]
    #[inline(never)]
    fn forget_other(&self, domain: u32, addr: usize) {
        // Busy: a block the tracer itself frees (its tables on a traced global allocator).
        if !self.busy.get() {
            self.with_state(|state| state.remove(domain, addr));
        }
    }

    /// CPython's `PyTraceMalloc_Track`: traces a block of another `domain` (memory a
    /// runtime manages itself). Fails with [`TracemallocError::NotTracing`] (CPython: -2).
    #[track_caller]
    pub fn track(&self, domain: u32, addr: usize, size: usize) -> Result<(), TracemallocError> {
        if !self.tracing.get() {
            return Err(TracemallocError::NotTracing);
        }
        self.record_traced(domain, addr, size, Location::caller());
        Ok(())
    }

    /// CPython's `PyTraceMalloc_Untrack`; untracking an unknown address does nothing.
    pub fn untrack(&self, domain: u32, addr: usize) -> Result<(), TracemallocError> {
        if !self.tracing.get() {
            return Err(TracemallocError::NotTracing);
        }
        self.forget_traced(domain, addr);
        Ok(())
    }

    /// The traceback of the block at `addr`, if it is traced (`get_object_traceback`).
    pub fn traceback_of(&self, domain: u32, addr: usize) -> Option<Arc<Traceback>> {
        if !self.tracing.get() {
            return None;
        }
        let limit = self.limit.get();
        self.with_state(|state| {
            let entry = if domain == DEFAULT_DOMAIN {
                state.blocks.get(addr)
            } else {
                state.others.get(&(domain, addr)).copied()
            }?;
            Some(state.tracebacks.resolve(entry.traceback, limit))
        })
    }

    /// `tracemalloc.take_snapshot()`: every live trace, its traceback resolved.
    pub fn take_snapshot(&self) -> Result<Snapshot, TracemallocError> {
        if !self.tracing.get() {
            return Err(TracemallocError::NotTracing);
        }
        let limit = self.limit.get();
        let traces = self.with_state(|state| {
            let State {
                blocks,
                others,
                tracebacks,
                ..
            } = state;
            let all = blocks.iter().map(|(a, e)| (DEFAULT_DOMAIN, a, e));
            let all = all.chain(others.iter().map(|(&(d, a), e)| (d, a, *e)));
            let mut traces: Vec<(usize, BlockTrace)> = all
                .map(|(domain, addr, e)| {
                    (
                        addr,
                        BlockTrace::new(domain, e.size, tracebacks.resolve(e.traceback, limit)),
                    )
                })
                .collect();
            // Address order: a snapshot of the same heap lists its traces the same way.
            traces.sort_by_key(|(addr, t)| (t.domain(), *addr));
            traces.into_iter().map(|(_, t)| t).collect()
        });
        Ok(Snapshot::new(traces, limit))
    }

    /// Runs `f` on the state with the re-entrancy guard up, so that allocations it makes
    /// (table growth on a traced global allocator) are not traced.
    fn with_state<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        let _busy = Busy::enter(self);
        let _in_state = InState::enter(self);
        // SAFETY: `busy` is up, so the fast paths keep off the state, and `f` is tracer
        // code that calls no tracer function (what it allocates or frees finds `busy` up).
        f(unsafe { self.state_mut() })
    }
}
