//! (L0) Compiled code: the compact form the evaluator runs (CPython's code objects).

use std::rc::Rc;

use crate::obj::PyRef;

/// Where an instruction came from: lines and byte columns, 1-based lines, as CPython's
/// `co_positions` (columns are byte offsets into the line).
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub(crate) struct Pos {
    pub(crate) line: u32,
    pub(crate) end_line: u32,
    pub(crate) col: u32,
    pub(crate) end_col: u32,
}

/// Binary operators, in CPython's `NB_*` order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BinOp {
    Add,
    Sub,
    Mul,
    MatMul,
    TrueDiv,
    FloorDiv,
    Mod,
    Pow,
    LShift,
    RShift,
    And,
    Or,
    Xor,
}

/// Rich comparisons.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CmpOp {
    Lt,
    Le,
    Eq,
    Ne,
    Gt,
    Ge,
}

/// Unary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum UnOp {
    Neg,
    Pos,
    Invert,
    Not,
}

/// One instruction. Operands index the code's tables (`consts`, `names`, locals, cells) or
/// are jump targets (instruction indices).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    LoadConst(u32),
    LoadFast(u32),
    StoreFast(u32),
    DeleteFast(u32),
    /// Empties a local slot, bound or not (an inlined comprehension's variables at its end).
    ClearFast(u32),
    /// Cells: the code's cell variables, then its free variables.
    LoadDeref(u32),
    StoreDeref(u32),
    DeleteDeref(u32),
    /// Pushes the cell object itself (to build a closure).
    LoadClosure(u32),
    LoadGlobal(u32),
    StoreGlobal(u32),
    DeleteGlobal(u32),
    /// Module and class bodies: the frame's namespace, then globals, then builtins.
    LoadName(u32),
    StoreName(u32),
    DeleteName(u32),
    LoadAttr(u32),
    StoreAttr(u32),
    DeleteAttr(u32),
    /// Pushes `[method, self]` for an unbound function found on the type, or
    /// `[NULL-marker, bound]`, so that calling a method allocates no bound method.
    LoadMethod(u32),
    /// Calls what `LoadMethod` pushed, with this many positional arguments.
    CallMethod(u32),
    BinarySubscr,
    StoreSubscr,
    DeleteSubscr,
    BuildSlice(u32),
    Pop,
    /// Pushes a copy of the item `n` below the top (1 = the top).
    Copy(u32),
    /// Swaps the top with the item `n` below it (2 = the one under the top).
    Swap(u32),
    Unary(UnOp),
    Binary(BinOp),
    InPlace(BinOp),
    Compare(CmpOp),
    Is(bool),
    In(bool),
    Jump(u32),
    PopJumpIfFalse(u32),
    PopJumpIfTrue(u32),
    JumpIfFalseOrPop(u32),
    JumpIfTrueOrPop(u32),
    GetIter,
    /// Pushes the next item, or pops the iterator and jumps when it is exhausted.
    ForIter(u32),
    BuildTuple(u32),
    BuildList(u32),
    BuildSet(u32),
    /// A set display of more than two constants: CPython 3.13 builds a frozenset constant
    /// of them and updates an empty set from it (`BUILD_SET 0; LOAD_CONST; SET_UPDATE`),
    /// which gives the set its layout, so its iteration order.
    BuildConstSet(u32),
    BuildMap(u32),
    BuildString(u32),
    /// Comprehensions: appends the top to the container `n` below it.
    ListAppend(u32),
    SetAdd(u32),
    MapAdd(u32),
    ListExtend(u32),
    SetUpdate(u32),
    DictUpdate(u32),
    /// `**mapping` in a call: like `DictUpdate`, but duplicate keys are a TypeError.
    DictMerge(u32),
    ListToTuple,
    UnpackSequence(u32),
    /// `a, *b, c = …`: before and after the starred target.
    UnpackEx(u16, u16),
    /// f-string field: conversion (0, b's', b'r', b'a') and whether a spec is on the stack.
    FormatValue(u8, bool),
    /// Positional arguments only.
    Call(u32),
    /// The top is a tuple of keyword names, for that many last arguments.
    CallKw(u32),
    /// `f(*args, **kwargs)`: a tuple and, if the flag is set, a dict.
    CallEx(bool),
    /// Builds a function from the code constant on top; flags say what lies under it:
    /// 1 defaults tuple, 2 kw-defaults dict, 8 closure tuple.
    MakeFunction(u8),
    LoadBuildClass,
    Return,
    YieldValue,
    /// `yield from`: sends the top to the iterator under it; jumps when it is exhausted.
    Send(u32),
    /// Entering `try`: where the handler starts.
    SetupExcept(u32),
    /// Entering `try … finally`.
    SetupFinally(u32),
    /// Entering a `with` body (stack: `__exit__`, then the `__enter__` result).
    SetupWith(u32),
    PopBlock,
    /// Leaving an `except` clause: restores the exception being handled before it.
    PopExcept,
    /// Raises the exception on top again, keeping its traceback.
    Reraise,
    /// `raise`, `raise exc`, `raise exc from cause`.
    Raise(u8),
    /// Pops a type, tests the exception under it: pushes a bool.
    CheckExcMatch,
    /// `with`: pops the manager, pushes its bound `__exit__` and `__enter__()`'s result.
    BeforeWith,
    /// Normal exit of a `with` body: pops `__exit__` and calls it with three `None`s.
    ExitWith,
    /// Exceptional exit: calls `__exit__` (under the exception) with the exception; jumps
    /// to the target when it returns true (suppressed), else falls through to `Reraise`.
    WithExcept(u32),
    ImportName(u32),
    ImportFrom(u32),
    ImportStar,
    LoadAssertionError,
    /// The REPL: prints the value's repr unless it is `None`, and sets `_`.
    PrintExpr,
    /// Generators: the first instruction, before which nothing may be sent.
    GenStart,
    /// `__class__` cell for zero-argument `super()`: stores the class being built.
    SetupAnnotations,
}

/// A compiled function, class body or module (CPython's `PyCodeObject`).
pub(crate) struct Code {
    pub(crate) name: Rc<str>,
    pub(crate) qualname: Rc<str>,
    pub(crate) filename: Rc<str>,
    pub(crate) ops: Vec<Op>,
    pub(crate) pos: Vec<Pos>,
    pub(crate) consts: Vec<PyRef>,
    /// Names for globals, attributes and imports, as `str` objects (their hashes cached).
    pub(crate) names: Vec<PyRef>,
    pub(crate) varnames: Vec<Rc<str>>,
    pub(crate) cellvars: Vec<Rc<str>>,
    pub(crate) freevars: Vec<Rc<str>>,
    /// For each cell variable that is also an argument, the argument's local slot.
    pub(crate) cell2arg: Vec<Option<u32>>,
    pub(crate) argcount: u32,
    pub(crate) posonlyargcount: u32,
    pub(crate) kwonlyargcount: u32,
    pub(crate) flags: CodeFlags,
    pub(crate) firstlineno: u32,
    /// The source, for tracebacks (shared by every code object of a file).
    pub(crate) source: Rc<str>,
}

/// What kind of code this is.
#[derive(Clone, Copy, Default, Debug)]
pub(crate) struct CodeFlags {
    pub(crate) varargs: bool,
    pub(crate) varkw: bool,
    pub(crate) generator: bool,
    /// Module or class body: names live in a dict, not in slots.
    pub(crate) uses_namespace: bool,
}

impl Op {
    /// The target of a `Send` (where the `yield from` continues once its iterator is done).
    pub(crate) fn jump_target(op: &Op) -> Option<usize> {
        match op {
            Op::Send(t) => Some(*t as usize),
            _ => None,
        }
    }
}

impl Code {
    /// The number of local slots.
    pub(crate) fn nlocals(&self) -> usize {
        self.varnames.len()
    }

    /// The line an instruction came from.
    pub(crate) fn line_of(&self, pc: usize) -> u32 {
        self.pos.get(pc).map_or(self.firstlineno, |p| p.line)
    }
}
