//! (L4) Printing exceptions as CPython 3.13's `traceback` module does: the chain of causes
//! and contexts, each frame's source line, and the caret line under the failing expression
//! (with `~` under operands and `^` under the operator, subscript or call).

use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

use crate::code::Pos;
use crate::obj::{Kind, PyRef};
use crate::{modules, ops, types};

/// Prints `exc` with its chain to stderr.
pub(crate) fn print_exception(exc: &PyRef) {
    let mut out = String::new();
    format_chain(exc, &mut out, &mut Vec::new());
    modules::sys::write_stderr(&out);
}

fn format_chain(exc: &PyRef, out: &mut String, seen: &mut Vec<usize>) {
    seen.push(exc.id());
    if let Some(st) = exc.exc() {
        let cause = st.cause.borrow().clone();
        let context = st.context.borrow().clone();
        if let Some(c) = cause.filter(|c| !seen.contains(&c.id())) {
            format_chain(&c, out, seen);
            out.push_str(
                "\nThe above exception was the direct cause of the following exception:\n\n",
            );
        } else if let Some(c) =
            context.filter(|c| !st.suppress_context.get() && !seen.contains(&c.id()))
        {
            format_chain(&c, out, seen);
            out.push_str(
                "\nDuring handling of the above exception, another exception occurred:\n\n",
            );
        }
    }
    format_one(exc, out);
}

fn format_one(exc: &PyRef, out: &mut String) {
    let tb = exc.exc().and_then(|s| s.traceback.borrow().clone());
    if let Some(tb) = tb {
        out.push_str("Traceback (most recent call last):\n");
        format_tb(&tb, out);
    }
    if types::is_subtype(&types::type_of(exc), types::types().exc("SyntaxError")) {
        format_syntax_error(exc, out);
    }
    out.push_str(&exception_line(exc));
    out.push('\n');
}

/// `TypeName: message` (the qualified name for classes outside builtins and `__main__`).
pub(crate) fn exception_line(exc: &PyRef) -> String {
    let ty = types::type_of(exc);
    let t = types::tobj(&ty);
    let module = types::dict_get_str(&t.dict.borrow(), "__module__");
    let module = module
        .as_ref()
        .and_then(PyRef::as_str)
        .unwrap_or("builtins")
        .to_owned();
    let name = t.qualname.borrow().clone();
    let name = if module == "builtins" || module == "__main__" {
        name.to_string()
    } else {
        format!("{module}.{name}")
    };
    let msg = crate::repr::message_of(&crate::error::PyErr(exc.clone()));
    let msg = if types::is_subtype(&ty, types::types().exc("SyntaxError")) {
        syntax_msg(exc)
    } else {
        msg
    };
    if msg.is_empty() {
        name
    } else {
        format!("{name}: {msg}")
    }
}

fn syntax_msg(exc: &PyRef) -> String {
    let args = crate::error::exc_args(exc);
    args.first()
        .and_then(|a| ops::str_of(a).ok())
        .unwrap_or_default()
}

fn format_syntax_error(exc: &PyRef, out: &mut String) {
    let args = crate::error::exc_args(exc);
    let Some(details) = args
        .get(1)
        .and_then(|d| d.as_tuple().map(<[PyRef]>::to_vec))
    else {
        return;
    };
    let get = |i: usize| details.get(i).cloned();
    let file = get(0)
        .and_then(|f| f.as_str().map(str::to_owned))
        .unwrap_or_default();
    let line = get(1).and_then(|l| l.as_i64()).unwrap_or(0);
    let col = get(2).and_then(|l| l.as_i64()).unwrap_or(1).max(1) as usize;
    let text = get(3)
        .and_then(|t| t.as_str().map(str::to_owned))
        .unwrap_or_default();
    out.push_str(&format!("  File \"{file}\", line {line}\n"));
    let stripped = text.trim_end_matches('\n');
    let trimmed = stripped.trim_start();
    let indent = stripped.chars().count() - trimmed.chars().count();
    out.push_str(&format!("    {trimmed}\n"));
    let end = get(5)
        .and_then(|l| l.as_i64())
        .unwrap_or(col as i64 + 1)
        .max(col as i64 + 1) as usize;
    let start = col.saturating_sub(1).saturating_sub(indent);
    out.push_str(&format!(
        "    {}{}\n",
        " ".repeat(start),
        "^".repeat(end - col)
    ));
}

fn format_tb(tb: &PyRef, out: &mut String) {
    let mut cur = Some(tb.clone());
    while let Some(t) = cur {
        let Some(Kind::Traceback(e)) = t.kind() else {
            break;
        };
        cur = e.next.borrow().clone();
        if crate::modules::frozen::hides_frames(&e.code.filename) {
            continue;
        }
        let pos = e.code.pos.get(e.pc).copied().unwrap_or_default();
        out.push_str(&format!(
            "  File \"{}\", line {}, in {}\n",
            e.code.filename, pos.line, e.code.name
        ));
        format_source(&e.code.source, pos, out);
    }
}

fn format_source(source: &str, pos: Pos, out: &mut String) {
    let Some(line) = source.lines().nth(pos.line.saturating_sub(1) as usize) else {
        return;
    };
    let trimmed = line.trim();
    if trimmed.is_empty() {
        return;
    }
    out.push_str(&format!("    {trimmed}\n"));
    if pos.end_line != pos.line || pos.end_col <= pos.col {
        return;
    }
    let (col, end) = (pos.col as usize, (pos.end_col as usize).min(line.len()));
    let Some(segment) = line.get(col..end) else {
        return;
    };
    let anchors = anchors(segment);
    let indent = line.len() - line.trim_start().len();
    let covers_line = col <= indent && end >= line.trim_end().len();
    if anchors.is_none() && covers_line
        || is_plain_call_statement(line.trim(), col - indent.min(col), end - indent.min(col))
    {
        return;
    }
    let pad = line[indent.min(col)..col].chars().count();
    out.push_str(&format!(
        "    {}{}\n",
        " ".repeat(pad),
        carets(segment, anchors)
    ));
}

/// CPython 3.13 shows no carets under `return f(…)` or `x = f(…)` when the call is the
/// whole value (traceback's `_should_show_carets`).
fn is_plain_call_statement(stmt: &str, start: usize, end: usize) -> bool {
    let Ok(parsed) = ruff_python_parser::parse_module(stmt) else {
        return false;
    };
    let value = match parsed.syntax().body.first() {
        Some(Stmt::Return(r)) => r.value.as_deref(),
        Some(Stmt::Assign(a)) if a.targets.len() == 1 && matches!(a.targets[0], Expr::Name(_)) => {
            Some(&*a.value)
        }
        _ => None,
    };
    let Some(Expr::Call(c)) = value else {
        return false;
    };
    matches!(&*c.func, Expr::Name(_))
        && usize::from(c.range().start()) == start
        && usize::from(c.range().end()) == end
}

/// `~` and `^` under a segment: the primary part (`^`) between the anchors.
fn carets(segment: &str, anchors: Option<(usize, usize)>) -> String {
    let (a, b) = anchors.unwrap_or((0, segment.len()));
    segment
        .char_indices()
        .map(|(i, _)| if i >= a && i < b { '^' } else { '~' })
        .collect()
}

/// Where the operator, subscript or call of an expression segment starts and ends (byte
/// offsets), as CPython's `_extract_caret_anchors_from_line_segment` finds them.
fn anchors(segment: &str) -> Option<(usize, usize)> {
    let wrapped = format!("(\n{segment}\n)");
    let parsed = ruff_python_parser::parse_module(&wrapped).ok()?;
    let [Stmt::Expr(e)] = &parsed.syntax().body[..] else {
        return None;
    };
    let off = |x: ruff_text_size::TextSize| usize::from(x).checked_sub(2);
    match &*e.value {
        Expr::BinOp(b) => {
            let left_end = off(b.left.range().end())?;
            let op_start = skip_to_operator(segment, left_end);
            let op_len = b.op.as_str().len();
            Some((op_start, op_start + op_len))
        }
        Expr::Subscript(s) => {
            let start =
                segment[off(s.value.range().end())?..].find('[')? + off(s.value.range().end())?;
            Some((start, off(s.range().end())?))
        }
        Expr::Call(c) => {
            let fend = off(c.func.range().end())?;
            let start = segment[fend..].find('(')? + fend;
            Some((start, off(c.range().end())?))
        }
        _ => None,
    }
}

/// The first character after `at` that is not whitespace, a closing parenthesis, or a
/// comment.
fn skip_to_operator(segment: &str, mut at: usize) -> usize {
    let bytes = segment.as_bytes();
    while at < bytes.len() {
        match bytes[at] {
            b' ' | b'\t' | b'\n' | b'\\' | b')' => at += 1,
            b'#' => at = segment[at..].find('\n').map_or(bytes.len(), |i| at + i),
            _ => break,
        }
    }
    at
}
