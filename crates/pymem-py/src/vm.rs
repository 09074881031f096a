//! (L2) The evaluator (CPython's `ceval.c`): runs a frame's instructions, unwinds
//! exceptions through its blocks, and suspends and resumes generators.

use std::cell::RefCell;

use pymem::Gc;

use crate::error::{PyErr, PyResult, err, type_error};
use crate::frame::{Block, BlockKind, Frame};
use crate::obj::{Func, Generator, Kind, Obj, PyRef, TbEntry};
use crate::{attr, call, eval, ops, val};

/// How a frame stopped running.
pub(crate) enum Exit {
    Return(PyRef),
    Yield(PyRef),
}

/// What a resumed frame receives.
pub(crate) enum Resume {
    Value(PyRef),
    Throw(PyErr),
}

/// A running frame as tracebacks, tracemalloc and `globals()` see it: its code, its
/// current instruction, its globals and its namespace (module and class bodies).
struct FrameRecord {
    code: std::rc::Rc<crate::code::Code>,
    pc: std::rc::Rc<std::cell::Cell<usize>>,
    globals: Gc<Obj>,
    locals: Option<PyRef>,
    /// The frame's frame object, if one was made (a traceback or `sys._getframe` asked
    /// for it); it moves back into the `Frame` when the frame stops.
    frame_obj: Option<PyRef>,
}

/// The frames now running, outermost first, and the pc cells of records that ended, kept
/// for reuse so that a call allocates no cell (their number is the deepest recursion's).
struct Running {
    records: Vec<FrameRecord>,
    spare_pcs: Vec<std::rc::Rc<std::cell::Cell<usize>>>,
}

impl Running {
    /// Pushes `f`'s record; returns the cell `f`'s instruction loop keeps its pc in.
    fn push(&mut self, f: &mut Frame) -> std::rc::Rc<std::cell::Cell<usize>> {
        let pc = self.spare_pcs.pop().unwrap_or_default();
        pc.set(f.pc);
        self.records.push(FrameRecord {
            code: f.code.clone(),
            pc: pc.clone(),
            globals: f.globals.clone(),
            locals: f.locals.clone(),
            frame_obj: f.frame_obj.take(),
        });
        pc
    }

    /// Pops the innermost record, keeping its pc cell when nothing else holds it.
    fn pop(&mut self) -> Option<FrameRecord> {
        let r = self.records.pop()?;
        if std::rc::Rc::strong_count(&r.pc) == 1 {
            self.spare_pcs.push(r.pc.clone());
        }
        Some(r)
    }
}

thread_local! {
    static FRAMES: RefCell<Running> = const {
        RefCell::new(Running { records: Vec::new(), spare_pcs: Vec::new() })
    };
    /// The exceptions being handled by `except` clauses, innermost last (`sys.exc_info()`).
    static HANDLED: RefCell<Vec<PyRef>> = const { RefCell::new(Vec::new()) };
}

/// The exception currently being handled, if any (`sys.exception()`).
pub(crate) fn current_exception() -> Option<PyRef> {
    HANDLED.with(|h| h.borrow().last().cloned())
}

fn push_handled(exc: PyRef) {
    HANDLED.with(|h| h.borrow_mut().push(exc));
}

fn pop_handled() {
    let old = HANDLED.with(|h| h.borrow_mut().pop());
    drop(old);
}

/// Runs a function's frame to its return.
pub(crate) fn run_function(frame: &mut Frame) -> PyResult {
    let r = run(frame, None);
    frame.release();
    match r? {
        Exit::Return(v) => Ok(v),
        Exit::Yield(_) => Err(err("SystemError", "yield outside a generator")),
    }
}

/// Runs `f` from its current instruction until it returns or yields; a pending exception
/// (`throw`) is raised first at the instruction where the frame stopped.
pub(crate) fn run(f: &mut Frame, pending: Option<PyErr>) -> PyResult<Exit> {
    if !f.handled.is_empty() {
        HANDLED.with(|h| h.borrow_mut().append(&mut f.handled));
    }
    let pc = FRAMES.with(|fr| fr.borrow_mut().push(f));
    let r = run_loop(f, pending, &pc);
    drop(pc);
    if !f.blocks.is_empty() {
        leave_handlers(f, matches!(r, Ok(Exit::Yield(_))));
    }
    // Dropped after the borrow ends: the record's namespace may hold the last reference.
    let mut old = FRAMES.with(|fr| fr.borrow_mut().pop());
    f.frame_obj = old.as_mut().and_then(|r| r.frame_obj.take());
    drop(old);
    if !matches!(r, Ok(Exit::Yield(_))) {
        keep_locals_in_frame_object(f);
    }
    r
}

/// The frame object of the running frame `depth` calls out from the innermost (made on the
/// first request, stopped at instruction `pc` or, when `None`, where the frame is now), or
/// `None` when fewer frames run.
pub(crate) fn frame_object_at(depth: usize, pc: Option<usize>) -> Option<PyRef> {
    let found = FRAMES.with(|fr| {
        let fr = &fr.borrow().records;
        let r = fr.len().checked_sub(depth + 1).map(|i| &fr[i])?;
        Some(match &r.frame_obj {
            Some(fo) => Ok(fo.clone()),
            None => Err((r.code.clone(), pc.unwrap_or(r.pc.get()), r.globals.clone())),
        })
    })?;
    let (code, pc, globals) = match found {
        Ok(fo) => return Some(fo),
        Err(parts) => parts,
    };
    // Made with no borrow held: allocating may run a collection, and finalizers run frames.
    let fo = crate::special::frame_object(&code, pc, Some(PyRef::O(globals)));
    FRAMES.with(|fr| {
        let fr = &mut fr.borrow_mut().records;
        let i = fr.len().checked_sub(depth + 1)?;
        Some(fr[i].frame_obj.get_or_insert(fo).clone())
    })
}

/// A frame that ends while a traceback names it hands its locals to its frame object, so
/// that they live as long as the traceback (CPython's frame objects outlive their frames).
fn keep_locals_in_frame_object(f: &mut Frame) {
    let Some(fo) = f.frame_obj.take() else { return };
    let mut d = crate::dict::Dict::new();
    let names = f
        .code
        .varnames
        .iter()
        .chain(f.code.cellvars.iter())
        .chain(f.code.freevars.iter());
    let cells = f.cells.iter().map(|c| match c.kind() {
        Some(Kind::Cell(v)) => v.borrow().clone(),
        _ => None,
    });
    let values = std::mem::take(&mut f.fast).into_iter().chain(cells);
    for (name, v) in names.zip(values) {
        if let Some(v) = v {
            crate::types::dict_set_str(&mut d, val::str_(name), v);
        }
    }
    crate::special::frame_set_locals(&fo, val::dict(d));
}

/// The Python frames now running, innermost first: (file, line).
pub(crate) fn current_frames(limit: usize) -> Vec<(std::rc::Rc<str>, u32)> {
    FRAMES.with(|fr| {
        let fr = &fr.borrow().records;
        fr.iter()
            .rev()
            .take(limit)
            .map(|r| (r.code.filename.clone(), r.code.line_of(r.pc.get())))
            .collect()
    })
}

/// The innermost running frame's globals, its namespace (`None` in a function), and whether
/// it is a function's frame; `None` when no Python code runs.
pub(crate) fn current_namespace() -> Option<(Gc<Obj>, Option<PyRef>, bool)> {
    FRAMES.with(|fr| {
        let fr = &fr.borrow().records;
        let r = fr.last()?;
        Some((
            r.globals.clone(),
            r.locals.clone(),
            !r.code.flags.uses_namespace,
        ))
    })
}

fn run_loop(
    f: &mut Frame,
    mut pending: Option<PyErr>,
    pc: &std::cell::Cell<usize>,
) -> PyResult<Exit> {
    loop {
        let result = match pending.take() {
            Some(e) => Err(e),
            None => eval::execute(f, pc),
        };
        match result {
            Ok(exit) => return Ok(exit),
            Err(e) => {
                let e = note_raise(f, e);
                if !unwind(f, &e) {
                    return Err(e);
                }
            }
        }
    }
}

/// Records the frame in the exception's traceback (once per frame it passes through) and
/// sets `__context__` for an exception raised while another is handled.
fn note_raise(f: &mut Frame, e: PyErr) -> PyErr {
    if std::mem::take(&mut f.reraising) {
        return e;
    }
    let st = e.state();
    if st.traceback.borrow().is_none() {
        set_context(&e.0);
    }
    let next = st.traceback.borrow_mut().take();
    let pc = f.pc.saturating_sub(1);
    // `f` runs innermost: its record is on top of FRAMES, holding its frame object.
    let frame = frame_object_at(0, Some(pc));
    let tb = Obj::new(Kind::Traceback(Box::new(TbEntry {
        code: f.code.clone(),
        pc,
        next: RefCell::new(next),
        frame,
    })));
    *st.traceback.borrow_mut() = Some(tb);
    e
}

/// `exc.__context__ = the exception being handled`, unless that would make a cycle.
pub(crate) fn set_context(exc: &PyRef) {
    let Some(handled) = current_exception() else {
        return;
    };
    if handled.is(exc) {
        return;
    }
    let Some(st) = exc.exc() else { return };
    if st.context.borrow().is_some() {
        return;
    }
    break_context_cycle(&handled, exc);
    *st.context.borrow_mut() = Some(handled);
}

fn break_context_cycle(start: &PyRef, exc: &PyRef) {
    let mut cur = start.clone();
    loop {
        let Some(st) = cur.exc() else { return };
        let next = st.context.borrow().clone();
        match next {
            Some(n) if n.is(exc) => {
                let old = st.context.borrow_mut().take();
                drop(old);
                return;
            }
            Some(n) => cur = n,
            None => return,
        }
    }
}

/// A frame stopping inside `except` clauses: at `yield` their exceptions go with the
/// generator (the top entries of the handled stack are this frame's: frames it called have
/// ended); at `return` (the compiler pops every clause first, so only as a safety net) they
/// are dropped. An exception leaving the frame has already popped its clauses in `unwind`.
#[cold]
fn leave_handlers(f: &mut Frame, suspended: bool) {
    let n = f.handlers();
    let mine = HANDLED.with(|h| {
        let mut h = h.borrow_mut();
        let at = h.len().saturating_sub(n);
        h.split_off(at)
    });
    if suspended {
        f.handled = mine;
    } else {
        debug_assert!(mine.is_empty(), "a return left an except clause open");
        f.blocks.clear();
        drop(mine);
    }
}

/// Finds a handler for `e` in the frame's blocks: true with the frame set to run it.
fn unwind(f: &mut Frame, e: &PyErr) -> bool {
    while let Some(block) = f.blocks.pop() {
        match block.kind {
            BlockKind::ExceptHandler => pop_handled(),
            BlockKind::Setup => {
                f.stack.truncate(block.depth as usize);
                f.blocks.push(Block {
                    kind: BlockKind::ExceptHandler,
                    handler: 0,
                    depth: block.depth,
                });
                push_handled(e.0.clone());
                f.stack.push(e.0.clone());
                f.pc = block.handler as usize;
                return true;
            }
        }
    }
    false
}

/// Leaves an `except` clause (the `PopExcept` instruction).
pub(crate) fn pop_except(f: &mut Frame) {
    if let Some(b) = f.blocks.pop() {
        debug_assert_eq!(b.kind, BlockKind::ExceptHandler);
        pop_handled();
    }
}

/// A new generator object for a called generator function's frame.
pub(crate) fn make_generator(frame: Frame, func: &Func) -> PyRef {
    Obj::new(Kind::Generator(Generator {
        frame: RefCell::new(Some(Box::new(frame))),
        running: std::cell::Cell::new(false),
        code: func.code.clone(),
        name: func.name.borrow().clone(),
        qualname: func.qualname.borrow().clone(),
    }))
}

fn generator(g: &PyRef) -> &Generator {
    match g.kind() {
        Some(Kind::Generator(g)) => g,
        _ => unreachable!("the caller checked the kind"),
    }
}

/// Resumes a generator: `Ok(Some(v))` for a yield, `Ok(None)` with the return value in
/// `returned` when it finishes.
pub(crate) fn gen_resume(g: &PyRef, resume: Resume) -> PyResult<GenStep> {
    let gn = generator(g);
    if gn.running.get() {
        return Err(err("ValueError", "generator already executing"));
    }
    let Some(mut frame) = gn.frame.borrow_mut().take() else {
        return match resume {
            Resume::Throw(e) => Err(e),
            Resume::Value(_) => Ok(GenStep::Return(val::none())),
        };
    };
    if frame.pc == 0
        && let Resume::Value(v) = &resume
        && !v.is_none()
    {
        *gn.frame.borrow_mut() = Some(frame);
        return Err(type_error(
            "can't send non-None value to a just-started generator",
        ));
    }
    gn.running.set(true);
    let pending = match resume {
        Resume::Value(v) => {
            frame.stack.push(v);
            None
        }
        Resume::Throw(e) => match yield_from_target(&frame) {
            Some(send_at) => match throw_into_delegate(&mut frame, send_at, e) {
                Delegated::Yielded(y) => {
                    gn.running.set(false);
                    *gn.frame.borrow_mut() = Some(frame);
                    return Ok(GenStep::Yield(y));
                }
                Delegated::Resume => None,
                Delegated::Raise(e) => Some(e),
            },
            None => Some(e),
        },
    };
    let code = frame.code.clone();
    let r = call::with_depth_of(&code, || run(&mut frame, pending));
    gn.running.set(false);
    match r {
        Ok(Exit::Yield(v)) => {
            *gn.frame.borrow_mut() = Some(frame);
            Ok(GenStep::Yield(v))
        }
        Ok(Exit::Return(v)) => Ok(GenStep::Return(v)),
        Err(e) if e.is("StopIteration") => Err(crate::error::raise_from(
            err("RuntimeError", "generator raised StopIteration"),
            e,
        )),
        Err(e) => Err(e),
    }
}

/// Where the `Send` of the `yield from` a suspended frame waits in is, if it waits in one
/// (the frame stopped right after the `YieldValue` that `Send`'s loop jumps back from).
fn yield_from_target(f: &Frame) -> Option<usize> {
    let ops = &f.code.ops;
    match (ops.get(f.pc.checked_sub(1)?), ops.get(f.pc)) {
        (Some(crate::code::Op::YieldValue), Some(crate::code::Op::Jump(t))) => {
            matches!(ops.get(*t as usize), Some(crate::code::Op::Send(_))).then_some(*t as usize)
        }
        _ => None,
    }
}

/// What throwing into the iterator a `yield from` delegates to produced.
enum Delegated {
    /// It yielded: so does the delegating generator.
    Yielded(PyRef),
    /// It returned: the `yield from` expression has that value, and the frame resumes.
    Resume,
    /// The exception to raise in the delegating frame.
    Raise(PyErr),
}

/// CPython's `gen_throw` with a delegate: `GeneratorExit` closes the subiterator first;
/// other exceptions go to its `throw` (a generator's directly).
fn throw_into_delegate(f: &mut Frame, send_at: usize, e: PyErr) -> Delegated {
    let sub = f.peek(0).clone();
    if e.is("GeneratorExit") {
        let closed = match sub.kind() {
            Some(Kind::Generator(_)) => gen_close(&sub),
            _ => close_iterator(&sub),
        };
        return Delegated::Raise(closed.err().unwrap_or(e));
    }
    let r = match sub.kind() {
        Some(Kind::Generator(_)) => gen_throw(&sub, e),
        _ => match attr::getattr_opt(&sub, "throw") {
            Ok(Some(m)) => call::call(&m, std::slice::from_ref(&e.0), &[]),
            Ok(None) => return Delegated::Raise(e),
            Err(err) => Err(err),
        },
    };
    match r {
        Ok(y) => Delegated::Yielded(y),
        Err(stop) if stop.is("StopIteration") => {
            drop(f.pop());
            f.stack.push(crate::builtins::stop_value(&stop));
            f.pc = crate::code::Op::jump_target(&f.code.ops[send_at]).unwrap_or(send_at);
            Delegated::Resume
        }
        Err(other) => Delegated::Raise(other),
    }
}

/// Calls `close()` of an iterator that has one.
fn close_iterator(it: &PyRef) -> PyResult<()> {
    match attr::getattr_opt(it, "close")? {
        Some(m) => call::call(&m, &[], &[]).map(drop),
        None => Ok(()),
    }
}

/// What one resumption of a generator produced.
pub(crate) enum GenStep {
    Yield(PyRef),
    Return(PyRef),
}

/// `next(gen)`: `None` once it has finished.
pub(crate) fn gen_next(g: &PyRef) -> PyResult<Option<PyRef>> {
    match gen_resume(g, Resume::Value(val::none()))? {
        GenStep::Yield(v) => Ok(Some(v)),
        GenStep::Return(_) => Ok(None),
    }
}

/// `gen.send(v)`: the next yielded value, or StopIteration carrying the return value.
pub(crate) fn gen_send(g: &PyRef, v: PyRef) -> PyResult {
    match gen_resume(g, Resume::Value(v))? {
        GenStep::Yield(v) => Ok(v),
        GenStep::Return(r) => Err(crate::error::stop_iteration(r)),
    }
}

/// `gen.throw(exc)`.
pub(crate) fn gen_throw(g: &PyRef, exc: PyErr) -> PyResult {
    match gen_resume(g, Resume::Throw(exc))? {
        GenStep::Yield(v) => Ok(v),
        GenStep::Return(r) => Err(crate::error::stop_iteration(r)),
    }
}

/// `gen.close()`: throws GeneratorExit into a suspended generator.
pub(crate) fn gen_close(g: &PyRef) -> PyResult<()> {
    let started = generator(g)
        .frame
        .borrow()
        .as_ref()
        .is_some_and(|f| f.pc > 0);
    if !started {
        let old = generator(g).frame.borrow_mut().take();
        drop(old);
        return Ok(());
    }
    let exit = crate::error::err_args("GeneratorExit", vec![]);
    match gen_resume(g, Resume::Throw(exit)) {
        Ok(GenStep::Yield(_)) => Err(err("RuntimeError", "generator ignored GeneratorExit")),
        Ok(GenStep::Return(_)) => Ok(()),
        Err(e) if e.is("GeneratorExit") || e.is("StopIteration") => Ok(()),
        Err(e) => Err(e),
    }
}

/// `gen.__del__` (CPython's `_PyGen_Finalize`): a generator suspended inside `try` or
/// `with` is closed so that its `finally` blocks and `__exit__`s run.
pub(crate) fn finalize_generator(g: &Gc<Obj>) {
    let g = PyRef::O(g.clone());
    let in_block = generator(&g)
        .frame
        .borrow()
        .as_ref()
        .is_some_and(|f| !f.blocks.is_empty());
    if in_block && let Err(e) = gen_close(&g) {
        crate::interp::write_unraisable(&e, Some(&g));
    }
}

/// Calls what `LoadMethod` pushed: `[method, self-or-null, args…]` on the stack.
pub(crate) fn call_method(f: &mut Frame, argc: usize) -> PyResult {
    let base = f.stack.len() - argc - 2;
    let null = val::null();
    let skip = if f.stack[base + 1].is(&null) { 2 } else { 1 };
    let (callee, rest) = f.stack[base..]
        .split_first_mut()
        .expect("the method is on the stack");
    let r = call::call_move(callee, &mut rest[skip - 1..], &[]);
    f.stack.truncate(base);
    r
}

/// `LoadMethod`: pushes the function and `self`, or the attribute and the null marker.
pub(crate) fn load_method(f: &mut Frame, name: &PyRef) -> PyResult<()> {
    let obj = f.pop();
    let (m, slf) = attr::load_method(&obj, name)?;
    f.stack.push(m);
    f.stack.push(slf.unwrap_or_else(val::null));
    Ok(())
}

/// Calls with keyword arguments: the top is the tuple of their names.
pub(crate) fn call_kw(f: &mut Frame, argc: usize) -> PyResult {
    let names = f.pop();
    let names = names.as_tuple().unwrap_or_default().to_vec();
    let base = f.stack.len() - argc - 1;
    let npos = argc - names.len();
    let kwargs: Vec<(PyRef, PyRef)> = names
        .into_iter()
        .zip(f.stack[base + 1 + npos..].iter().cloned())
        .collect();
    let (callee, rest) = f.stack[base..]
        .split_first_mut()
        .expect("the callable is on the stack");
    let r = call::call_move(callee, &mut rest[..npos], &kwargs);
    f.stack.truncate(base);
    r
}

/// `f(*args, **kwargs)`.
pub(crate) fn call_ex(f: &mut Frame, has_kwargs: bool) -> PyResult {
    let kwargs = if has_kwargs { Some(f.pop()) } else { None };
    let args = f.pop();
    let func = f.pop();
    let args = ops::collect(&args)?;
    let kw: Vec<(PyRef, PyRef)> = match kwargs.as_ref().and_then(PyRef::as_dict) {
        Some(d) => crate::dictops::items(d),
        None => Vec::new(),
    };
    for (k, _) in &kw {
        if k.as_str().is_none() {
            return Err(type_error("keywords must be strings"));
        }
    }
    call::call(&func, &args, &kw)
}
