//! (L0) Frames: a running function's locals, cells, value stack and block stack (CPython's
//! `_PyInterpreterFrame`). A generator's frame lives in the heap while it is suspended.

use std::cell::RefCell;
use std::rc::Rc;

use pymem::{Gc, Trace};

use crate::code::Code;
use crate::obj::{Obj, PyRef};

/// A `try`, `with` or `except` region the frame is inside.
#[derive(Trace)]
pub(crate) struct Block {
    #[trace(skip)]
    pub(crate) kind: BlockKind,
    #[trace(skip)]
    pub(crate) handler: u32,
    /// The value stack's depth on entry, restored when an exception unwinds to here.
    #[trace(skip)]
    pub(crate) depth: u32,
}

/// What a [`Block`] is for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum BlockKind {
    /// `try … except`, `try … finally` and `with`: unwinding jumps to the handler.
    Setup,
    /// Inside an `except` clause: leaving it restores the exception handled before.
    ExceptHandler,
}

/// One activation of a code object.
#[derive(Trace)]
pub(crate) struct Frame {
    #[trace(skip)]
    pub(crate) code: Rc<Code>,
    pub(crate) globals: Gc<Obj>,
    /// The namespace of a module or class body (`None` in functions).
    pub(crate) locals: Option<PyRef>,
    pub(crate) fast: Vec<Option<PyRef>>,
    /// Cell objects: the code's cell variables, then its free variables.
    pub(crate) cells: Vec<PyRef>,
    pub(crate) stack: Vec<PyRef>,
    pub(crate) blocks: Vec<Block>,
    #[trace(skip)]
    pub(crate) pc: usize,
    /// The frame object tracebacks point to, made at the first exception raised here.
    pub(crate) frame_obj: Option<PyRef>,
    /// Set by `Reraise`: the exception already carries this frame in its traceback.
    #[trace(skip)]
    pub(crate) reraising: bool,
    /// A suspended generator's share of the handled-exception stack: one exception per
    /// `ExceptHandler` block, taken off the thread's stack at `yield` and put back at the
    /// next resumption (CPython's `gi_exc_state`), so that the caller does not see them.
    pub(crate) handled: Vec<PyRef>,
}

impl Frame {
    /// A frame for `code` about to run its first instruction.
    pub(crate) fn new(code: Rc<Code>, globals: Gc<Obj>, locals: Option<PyRef>) -> Frame {
        let (mut fast, stack) = SPARE.with(|s| s.borrow_mut().pop()).unwrap_or_default();
        fast.resize(code.nlocals(), None);
        Frame {
            code,
            globals,
            locals,
            fast,
            cells: Vec::new(),
            stack,
            blocks: Vec::new(),
            pc: 0,
            reraising: false,
            frame_obj: None,
            handled: Vec::new(),
        }
    }

    /// Pops the top of the value stack (the compiler guarantees it is there).
    #[inline]
    pub(crate) fn pop(&mut self) -> PyRef {
        self.stack
            .pop()
            .expect("the compiler balances the value stack")
    }

    /// How many `except` clauses (and exceptional `finally` bodies) the frame is inside.
    pub(crate) fn handlers(&self) -> usize {
        let handler = |b: &&Block| b.kind == BlockKind::ExceptHandler;
        self.blocks.iter().filter(handler).count()
    }

    /// The item `n` below the top (0 = the top).
    #[inline]
    pub(crate) fn peek(&self, n: usize) -> &PyRef {
        &self.stack[self.stack.len() - 1 - n]
    }
}

/// The locals and value-stack vectors of ended frames, empty, kept for the next frames so
/// that a call allocates neither (CPython keeps frames in a per-thread data stack).
type Vectors = (Vec<Option<PyRef>>, Vec<PyRef>);

/// How many ended frames' vectors are kept: enough for a deep recursion's return path to
/// feed the next one, few enough that a burst of recursion leaves little memory behind.
const SPARE_MAX: usize = 64;

thread_local! {
    static SPARE: RefCell<Vec<Vectors>> = const { RefCell::new(Vec::new()) };
}

impl Frame {
    /// Empties the locals, the stack and the cells (in that order, as the fields would
    /// drop), then keeps the vectors for the next frames. A returning call does this inside
    /// its recursion-depth accounting, so that `__del__` methods its locals run are counted
    /// as CPython counts them; the rest of the frame is dropped by its owner.
    pub(crate) fn release(&mut self) {
        let mut fast = std::mem::take(&mut self.fast);
        let mut stack = std::mem::take(&mut self.stack);
        fast.clear();
        stack.clear();
        drop(std::mem::take(&mut self.cells));
        if fast.capacity() == 0 && stack.capacity() == 0 {
            return;
        }
        // Dropping values may run `__del__`, which makes frames: the spare list is
        // borrowed only once they are gone.
        let _ = SPARE.try_with(|s| {
            let mut s = s.borrow_mut();
            if s.len() < SPARE_MAX {
                s.push((fast, stack));
            }
        });
    }
}

impl Drop for Frame {
    fn drop(&mut self) {
        self.release();
    }
}
