//! (L1) Source to code: parses with ruff's parser, resolves names with [`scope`], and emits
//! the evaluator's instructions ([`crate::code::Op`]) with CPython's line positions.

mod expr;
mod scope;
mod stmt;
mod unit;

use std::rc::Rc;

use ruff_python_ast::Stmt;
use ruff_source_file::LineIndex;
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::code::{Code, Pos};
use scope::Symtable;
pub(crate) use unit::Unit;

/// A compile-time error: Python's SyntaxError, with where it happened.
#[derive(Debug)]
pub(crate) struct CompileError {
    pub(crate) msg: String,
    pub(crate) line: u32,
    /// 1-based column of the offending character, as CPython's `offset`.
    pub(crate) col: u32,
    pub(crate) end_col: u32,
}

/// Compiles a module's source (`mode` "exec"), or a REPL line ("single": expression
/// statements print their value).
pub(crate) fn compile(
    source: &str,
    filename: &str,
    single: bool,
) -> Result<Rc<Code>, CompileError> {
    // The parser, the compiler and the syntax tree's drop recurse once per nesting level:
    // they run on a stack sized for the source, so that no input can overflow it.
    let size = (STACK_BASE + STACK_PER_BYTE.saturating_mul(source.len())).min(STACK_MAX);
    stacker::grow(size, || compile_on_stack(source, filename, single))
}

const STACK_BASE: usize = 64 << 20;
/// Generous for one nesting level per byte of source: the parser's and the compiler's
/// frames for one level, which unoptimized and sanitizer builds make several times larger.
const STACK_PER_BYTE: usize = if cfg!(debug_assertions) {
    32 << 10
} else {
    4 << 10
};
const STACK_MAX: usize = 8 << 30;

fn compile_on_stack(source: &str, filename: &str, single: bool) -> Result<Rc<Code>, CompileError> {
    let parsed = ruff_python_parser::parse_module(source).map_err(|e| {
        let msg = syntax_message(&e.error.to_string());
        error_at(source, e.location, msg)
    })?;
    let body = &parsed.syntax().body;
    let table = Symtable::build(body);
    let ctx = Ctx {
        source: Rc::from(source),
        filename: Rc::from(filename),
        index: LineIndex::from_source_text(source),
        table,
        single,
    };
    let mut unit = Unit::new(&ctx, 0, "<module>".into(), "<module>".into(), 1);
    unit.module_body(body)?;
    Ok(Rc::new(unit.finish(&ctx)))
}

/// CPython words some parse errors differently from ruff; the common ones are mapped.
fn syntax_message(ruff: &str) -> String {
    if ruff.starts_with("Expected an indented block") {
        return "expected an indented block".into();
    }
    if ruff.contains("unexpected EOF") || ruff.contains("Unexpected EOF") {
        return "unexpected EOF while parsing".into();
    }
    "invalid syntax".into()
}

fn error_at(source: &str, range: TextRange, msg: String) -> CompileError {
    let index = LineIndex::from_source_text(source);
    let lc = index.line_column(range.start(), source);
    let end = index.line_column(range.end(), source);
    CompileError {
        msg,
        line: lc.line.get() as u32,
        col: lc.column.get() as u32,
        end_col: end.column.get() as u32,
    }
}

/// What every unit of one compilation shares.
pub(crate) struct Ctx {
    pub(crate) source: Rc<str>,
    pub(crate) filename: Rc<str>,
    pub(crate) index: LineIndex,
    pub(crate) table: Symtable,
    pub(crate) single: bool,
}

impl Ctx {
    /// CPython's position of a node: lines 1-based, columns as byte offsets in the line.
    pub(crate) fn pos(&self, range: TextRange) -> Pos {
        let (line, col) = self.line_col(range.start());
        let (end_line, end_col) = self.line_col(range.end());
        Pos {
            line,
            end_line,
            col,
            end_col,
        }
    }

    fn line_col(&self, at: TextSize) -> (u32, u32) {
        let line = self.index.line_index(at);
        let start = self.index.line_start(line, &self.source);
        (line.get() as u32, u32::from(at - start))
    }

    /// A SyntaxError at a node.
    pub(crate) fn error(&self, node: &impl Ranged, msg: impl Into<String>) -> CompileError {
        let p = self.pos(node.range());
        let col = self.source[..usize::from(node.range().start())]
            .rsplit('\n')
            .next()
            .map_or(0, |l| l.chars().count()) as u32
            + 1;
        CompileError {
            msg: msg.into(),
            line: p.line,
            col,
            end_col: col + 1,
        }
    }

    /// "X is not supported by pymem", at a node.
    pub(crate) fn unsupported(&self, node: &impl Ranged, what: &str) -> CompileError {
        self.error(node, format!("{what} is not supported by pymem"))
    }
}

/// The scope a statement or expression node opened.
pub(crate) fn scope_of<T>(ctx: &Ctx, node: &T) -> usize {
    ctx.table
        .by_node
        .get(&scope::key(node))
        .copied()
        .unwrap_or(0)
}

/// Whether a statement list starts with a docstring.
pub(crate) fn docstring(body: &[Stmt]) -> Option<&str> {
    let Stmt::Expr(e) = body.first()? else {
        return None;
    };
    match &*e.value {
        ruff_python_ast::Expr::StringLiteral(s) => Some(s.value.to_str()),
        _ => None,
    }
}
