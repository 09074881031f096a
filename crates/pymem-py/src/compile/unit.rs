//! (L1) One code object under construction: its instruction list, tables, and the stack of
//! blocks (`fblock`s) that `break`, `continue` and `return` must unwind.

use std::collections::HashMap;
use std::rc::Rc;

use ruff_text_size::{Ranged, TextRange};

use super::scope::{Res, ScopeKind};
use super::{CompileError, Ctx};
use crate::code::{Code, CodeFlags, Op, Pos};
use crate::obj::PyRef;
use crate::val;

/// A block the compiler is inside (CPython's `fblockinfo`).
#[derive(Clone)]
pub(crate) enum FBlock {
    /// A loop: where `continue` and `break` jump; `for` keeps its iterator on the stack.
    Loop {
        cont: usize,
        breaks: Vec<usize>,
        is_for: bool,
    },
    /// `try` body with a `finally`: the final body is compiled again at each exit.
    Finally(Rc<Vec<ruff_python_ast::Stmt>>),
    /// `try … except` body (a `SetupExcept` block to pop).
    Try,
    /// `with` body: `__exit__` is on the stack.
    With,
    /// Inside an `except` clause; the name bound by `as`, to delete on exit.
    Handler(Option<String>),
    /// A `finally` body run for an exception (on the stack, and being handled): leaving it
    /// by `return`, `break` or `continue` drops the exception (CPython's `FINALLY_END`).
    FinallyEnd,
}

/// The result of compiling a statement list: `Err` is a SyntaxError.
pub(crate) type CResult<T = ()> = Result<T, CompileError>;

/// A code object being compiled.
pub(crate) struct Unit<'c> {
    pub(crate) ctx: &'c Ctx,
    pub(crate) scope: usize,
    pub(crate) ops: Vec<Op>,
    pub(crate) pos: Vec<Pos>,
    pub(crate) cur: Pos,
    consts: Vec<PyRef>,
    names: Vec<PyRef>,
    name_index: HashMap<String, u32>,
    pub(crate) varnames: Vec<Rc<str>>,
    local_index: HashMap<String, u32>,
    pub(crate) cellvars: Vec<Rc<str>>,
    pub(crate) freevars: Vec<Rc<str>>,
    pub(crate) fblocks: Vec<FBlock>,
    pub(crate) name: Rc<str>,
    pub(crate) qualname: Rc<str>,
    pub(crate) firstlineno: u32,
    pub(crate) flags: CodeFlags,
    pub(crate) argcount: u32,
    pub(crate) posonly: u32,
    pub(crate) kwonly: u32,
    /// Comprehension scopes being inlined, innermost last, with their slot renames.
    pub(crate) inlined: Vec<(usize, HashMap<String, u32>)>,
}

impl<'c> Unit<'c> {
    /// A unit for scope `scope`.
    pub(crate) fn new(
        ctx: &'c Ctx,
        scope: usize,
        name: Rc<str>,
        qualname: Rc<str>,
        firstlineno: u32,
    ) -> Unit<'c> {
        let sc = &ctx.table.scopes[scope];
        let mut u = Unit {
            ctx,
            scope,
            ops: Vec::new(),
            pos: Vec::new(),
            cur: Pos {
                line: firstlineno,
                end_line: firstlineno,
                col: 0,
                end_col: 0,
            },
            consts: Vec::new(),
            names: Vec::new(),
            name_index: HashMap::new(),
            varnames: Vec::new(),
            local_index: HashMap::new(),
            cellvars: sc.cells.iter().map(|c| Rc::from(c.as_str())).collect(),
            freevars: sc.frees.iter().map(|c| Rc::from(c.as_str())).collect(),
            fblocks: Vec::new(),
            name,
            qualname,
            firstlineno,
            flags: CodeFlags::default(),
            argcount: 0,
            posonly: 0,
            kwonly: 0,
            inlined: Vec::new(),
        };
        if sc.kind == Some(ScopeKind::Class) && sc.needs_class_cell {
            u.cellvars.push("__class__".into());
        }
        for p in &sc.params {
            u.local(p);
        }
        u.flags.generator = sc.is_generator;
        u.flags.uses_namespace = matches!(sc.kind, Some(ScopeKind::Module | ScopeKind::Class));
        u
    }

    /// Emits an instruction at the current position; returns its index.
    pub(crate) fn emit(&mut self, op: Op) -> usize {
        self.ops.push(op);
        self.pos.push(self.cur);
        self.ops.len() - 1
    }

    /// The index the next instruction will have.
    pub(crate) fn here(&self) -> usize {
        self.ops.len()
    }

    /// Points the jump at `at` to `target`.
    pub(crate) fn patch(&mut self, at: usize, target: usize) {
        let t = target as u32;
        self.ops[at] = match self.ops[at] {
            Op::Jump(_) => Op::Jump(t),
            Op::PopJumpIfFalse(_) => Op::PopJumpIfFalse(t),
            Op::PopJumpIfTrue(_) => Op::PopJumpIfTrue(t),
            Op::JumpIfFalseOrPop(_) => Op::JumpIfFalseOrPop(t),
            Op::JumpIfTrueOrPop(_) => Op::JumpIfTrueOrPop(t),
            Op::ForIter(_) => Op::ForIter(t),
            Op::SetupExcept(_) => Op::SetupExcept(t),
            Op::SetupFinally(_) => Op::SetupFinally(t),
            Op::SetupWith(_) => Op::SetupWith(t),
            Op::Send(_) => Op::Send(t),
            Op::WithExcept(_) => Op::WithExcept(t),
            other => other,
        };
    }

    /// Sets the position of the instructions emitted next.
    pub(crate) fn at(&mut self, node: &impl Ranged) -> Pos {
        let p = self.ctx.pos(node.range());
        std::mem::replace(&mut self.cur, p)
    }

    /// Sets the position from a range.
    pub(crate) fn at_range(&mut self, r: TextRange) -> Pos {
        let p = self.ctx.pos(r);
        std::mem::replace(&mut self.cur, p)
    }

    /// The index of a constant.
    pub(crate) fn konst(&mut self, v: PyRef) -> u32 {
        if let Some(i) = self.consts.iter().position(|c| same_const(c, &v)) {
            return i as u32;
        }
        self.consts.push(v);
        (self.consts.len() - 1) as u32
    }

    /// Emits `LoadConst` of `v`.
    pub(crate) fn load_const(&mut self, v: PyRef) {
        let i = self.konst(v);
        self.emit(Op::LoadConst(i));
    }

    /// The index of a name in the names table.
    pub(crate) fn name(&mut self, n: &str) -> u32 {
        if let Some(&i) = self.name_index.get(n) {
            return i;
        }
        self.names.push(val::str_(n));
        let i = (self.names.len() - 1) as u32;
        self.name_index.insert(n.to_owned(), i);
        i
    }

    /// The slot of a local variable, created on first use.
    pub(crate) fn local(&mut self, n: &str) -> u32 {
        if let Some(&i) = self.local_index.get(n) {
            return i;
        }
        self.new_slot(n)
    }

    /// A fresh slot (for inlined comprehension variables and hidden temporaries).
    pub(crate) fn new_slot(&mut self, display: &str) -> u32 {
        self.varnames.push(display.into());
        let i = (self.varnames.len() - 1) as u32;
        self.local_index.entry(display.to_owned()).or_insert(i);
        i
    }

    fn cell_index(&self, n: &str) -> u32 {
        if let Some(i) = self.cellvars.iter().position(|c| &**c == n) {
            return i as u32;
        }
        let f = self.freevars.iter().position(|c| &**c == n).unwrap_or(0);
        (self.cellvars.len() + f) as u32
    }

    /// Where `n` lives from here, with inlined comprehensions' renames first.
    fn resolve(&self, n: &str) -> Result<u32, Res> {
        for (_, renames) in self.inlined.iter().rev() {
            if let Some(&slot) = renames.get(n) {
                return Ok(slot);
            }
        }
        let scope = self.inlined.last().map_or(self.scope, |(s, _)| *s);
        Err(self.ctx.table.resolve(scope, n))
    }

    /// Emits the load of a name.
    pub(crate) fn load_name(&mut self, n: &str) {
        let op = match self.resolve(n) {
            Ok(slot) => Op::LoadFast(slot),
            Err(Res::Fast) => Op::LoadFast(self.local(n)),
            Err(Res::Cell | Res::Free) => Op::LoadDeref(self.cell_index(n)),
            Err(Res::Global) if self.flags.uses_namespace && !self.is_module() => {
                Op::LoadGlobal(self.name(n))
            }
            Err(Res::Global) => Op::LoadGlobal(self.name(n)),
            Err(Res::Name) => Op::LoadName(self.name(n)),
        };
        self.emit(op);
    }

    /// Emits the store of a name.
    pub(crate) fn store_name(&mut self, n: &str) {
        let op = match self.resolve(n) {
            Ok(slot) => Op::StoreFast(slot),
            Err(Res::Fast) => Op::StoreFast(self.local(n)),
            Err(Res::Cell | Res::Free) => Op::StoreDeref(self.cell_index(n)),
            Err(Res::Global) => Op::StoreGlobal(self.name(n)),
            Err(Res::Name) => Op::StoreName(self.name(n)),
        };
        self.emit(op);
    }

    /// Emits the deletion of a name.
    pub(crate) fn delete_name(&mut self, n: &str) {
        let op = match self.resolve(n) {
            Ok(slot) => Op::DeleteFast(slot),
            Err(Res::Fast) => Op::DeleteFast(self.local(n)),
            Err(Res::Cell | Res::Free) => Op::DeleteDeref(self.cell_index(n)),
            Err(Res::Global) => Op::DeleteGlobal(self.name(n)),
            Err(Res::Name) => Op::DeleteName(self.name(n)),
        };
        self.emit(op);
    }

    /// Pushes the cell of `n` (building a closure).
    pub(crate) fn load_closure(&mut self, n: &str) {
        let i = self.cell_index(n);
        self.emit(Op::LoadClosure(i));
    }

    /// Whether this is the module's unit.
    pub(crate) fn is_module(&self) -> bool {
        self.ctx.table.scopes[self.scope].kind == Some(ScopeKind::Module)
    }

    /// Whether this is a class body.
    pub(crate) fn is_class(&self) -> bool {
        self.ctx.table.scopes[self.scope].kind == Some(ScopeKind::Class)
    }

    /// The finished code object.
    pub(crate) fn finish(self, ctx: &Ctx) -> Code {
        let cell2arg = self
            .cellvars
            .iter()
            .map(|c| {
                self.varnames[..self.total_params()]
                    .iter()
                    .position(|v| v == c)
                    .map(|i| i as u32)
            })
            .collect();
        Code {
            name: self.name,
            qualname: self.qualname,
            filename: ctx.filename.clone(),
            ops: self.ops,
            pos: self.pos,
            consts: self.consts,
            names: self.names,
            varnames: self.varnames,
            cellvars: self.cellvars,
            freevars: self.freevars,
            cell2arg,
            argcount: self.argcount,
            posonlyargcount: self.posonly,
            kwonlyargcount: self.kwonly,
            flags: self.flags,
            firstlineno: self.firstlineno,
            source: ctx.source.clone(),
        }
    }

    fn total_params(&self) -> usize {
        ((self.argcount + self.kwonly) as usize
            + self.flags.varargs as usize
            + self.flags.varkw as usize)
            .min(self.varnames.len())
    }
}

/// Constants are shared when they are the same value of the same type (1 and 1.0 and True
/// stay apart).
fn same_const(a: &PyRef, b: &PyRef) -> bool {
    use crate::obj::Atom;
    match (a.atom(), b.atom()) {
        (Some(Atom::Int(x)), Some(Atom::Int(y))) => x == y,
        (Some(Atom::Str(x)), Some(Atom::Str(y))) => x.s == y.s,
        (Some(Atom::None), Some(Atom::None)) => true,
        (Some(Atom::Bool(x)), Some(Atom::Bool(y))) => x == y,
        (Some(Atom::Float(x)), Some(Atom::Float(y))) => x.to_bits() == y.to_bits(),
        (Some(Atom::Complex(a, b)), Some(Atom::Complex(c, d))) => {
            (a.to_bits(), b.to_bits()) == (c.to_bits(), d.to_bits())
        }
        _ => a.is(b),
    }
}
