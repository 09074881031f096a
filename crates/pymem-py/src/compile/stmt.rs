//! (L1) Statements to instructions.

use std::rc::Rc;

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use super::unit::{CResult, FBlock, Unit};
use crate::code::Op;
use crate::val;

impl Unit<'_> {
    /// A module's statements, then `return None`.
    pub(crate) fn module_body(&mut self, body: &[Stmt]) -> CResult {
        if let Some(doc) = super::docstring(body) {
            self.load_const(val::str_(doc));
            self.store_name("__doc__");
        }
        self.stmts(body)?;
        self.load_const(val::none());
        self.emit(Op::Return);
        Ok(())
    }

    /// A function's body, then `return None`.
    pub(crate) fn function_body(&mut self, body: &[Stmt]) -> CResult {
        if self.flags.generator {
            self.emit(Op::GenStart);
        }
        self.stmts(body)?;
        self.load_const(val::none());
        self.emit(Op::Return);
        Ok(())
    }

    pub(crate) fn stmts(&mut self, body: &[Stmt]) -> CResult {
        body.iter().try_for_each(|s| self.stmt(s))
    }

    fn stmt(&mut self, s: &Stmt) -> CResult {
        self.at(s);
        match s {
            Stmt::FunctionDef(f) => self.function_def(f),
            Stmt::ClassDef(c) => self.class_def(c),
            Stmt::Return(r) => self.return_(r.value.as_deref()),
            Stmt::Delete(d) => d.targets.iter().try_for_each(|t| self.delete(t)),
            Stmt::Assign(a) => self.assign(a),
            Stmt::AugAssign(a) => self.aug_assign(a),
            Stmt::AnnAssign(a) => self.ann_assign(a),
            Stmt::For(f) if !f.is_async => self.for_(f),
            Stmt::While(w) => self.while_(w),
            Stmt::If(i) => self.if_(i),
            Stmt::With(w) if !w.is_async => self.with(&w.items, &w.body),
            Stmt::Raise(r) => self.raise(r),
            Stmt::Try(t) if !t.is_star => self.try_(t),
            Stmt::Assert(a) => self.assert(a),
            Stmt::Import(i) => self.import(i),
            Stmt::ImportFrom(i) => self.import_from(i),
            Stmt::Global(_) | Stmt::Nonlocal(_) | Stmt::Pass(_) => Ok(()),
            Stmt::Expr(e) => self.expr_stmt(&e.value),
            Stmt::Break(_) => self.break_(s),
            Stmt::Continue(_) => self.continue_(s),
            Stmt::Try(_) => Err(self.ctx.unsupported(s, "'except*'")),
            Stmt::Match(_) => Err(self.ctx.unsupported(s, "'match'")),
            Stmt::TypeAlias(_) => Err(self.ctx.unsupported(s, "'type' alias")),
            _ => Err(self.ctx.unsupported(s, "'async'")),
        }
    }

    fn expr_stmt(&mut self, e: &Expr) -> CResult {
        if let Expr::StringLiteral(_) | Expr::NumberLiteral(_) | Expr::EllipsisLiteral(_) = e
            && !self.ctx.single
        {
            return Ok(());
        }
        self.expr(e)?;
        let single = self.ctx.single && self.is_module();
        self.emit(if single { Op::PrintExpr } else { Op::Pop });
        Ok(())
    }

    fn function_def(&mut self, f: &ast::StmtFunctionDef) -> CResult {
        if f.is_async {
            return Err(self.ctx.unsupported(f, "'async def'"));
        }
        for d in &f.decorator_list {
            self.at(d);
            self.expr(&d.expression)?;
        }
        let scope = super::scope_of(self.ctx, f);
        let line = self.ctx.pos(f.name.range()).line;
        self.at(f);
        self.make_function(scope, f.name.id.as_str(), &f.parameters, line, |u| {
            if let Some(doc) = super::docstring(&f.body) {
                u.konst(val::str_(doc));
            } else {
                u.konst(val::none());
            }
            u.function_body(&f.body)
        })?;
        for _ in &f.decorator_list {
            self.emit(Op::Call(1));
        }
        self.store_name(f.name.id.as_str());
        Ok(())
    }

    fn class_def(&mut self, c: &ast::StmtClassDef) -> CResult {
        if c.type_params.is_some() {
            return Err(self.ctx.unsupported(c, "generic class syntax"));
        }
        for d in &c.decorator_list {
            self.at(d);
            self.expr(&d.expression)?;
        }
        self.at(c);
        self.emit(Op::LoadBuildClass);
        let scope = super::scope_of(self.ctx, c);
        let name = c.name.id.as_str();
        let line = self.ctx.pos(c.name.range()).line;
        let qual = self.child_qualname(name);
        let mut body = Unit::new(self.ctx, scope, name.into(), qual.clone(), line);
        body.at(c);
        body.load_name("__name__");
        body.store_name("__module__");
        body.load_const(val::str_(&qual));
        body.store_name("__qualname__");
        if let Some(doc) = super::docstring(&c.body) {
            body.load_const(val::str_(doc));
            body.store_name("__doc__");
        }
        body.stmts(&c.body)?;
        if body.cellvars.iter().any(|c| &**c == "__class__") {
            body.load_closure("__class__");
        } else {
            body.load_const(val::none());
        }
        body.emit(Op::Return);
        let frees = body.freevars.clone();
        let code = Rc::new(body.finish(self.ctx));
        self.push_closure_and_code(code, &frees, 0);
        self.load_const(val::str_(name));
        let (nargs, kw) = match &c.arguments {
            Some(a) => (a.args.len(), &a.keywords[..]),
            None => (0, &[][..]),
        };
        if let Some(a) = &c.arguments {
            for b in a.args.iter() {
                self.expr(b)?;
            }
        }
        self.call_tail(2 + nargs, kw, c)?;
        for _ in &c.decorator_list {
            self.emit(Op::Call(1));
        }
        self.store_name(name);
        Ok(())
    }

    fn return_(&mut self, value: Option<&Expr>) -> CResult {
        match value {
            Some(v) => self.expr(v)?,
            None => self.load_const(val::none()),
        }
        self.unwind_blocks(true, None)?;
        self.emit(Op::Return);
        Ok(())
    }

    /// Emits the cleanup of every block from the innermost out to (not including) the
    /// loop at `stop` (all of them for `return`); a value being returned stays on top.
    fn unwind_blocks(&mut self, has_value: bool, stop: Option<usize>) -> CResult {
        let saved = self.fblocks.clone();
        let mut i = saved.len();
        while i > stop.map_or(0, |s| s + 1) {
            i -= 1;
            self.fblocks.truncate(i);
            self.unwind_one(&saved[i], has_value)?;
        }
        self.fblocks = saved;
        Ok(())
    }

    fn unwind_one(&mut self, b: &FBlock, has_value: bool) -> CResult {
        match b {
            FBlock::Loop { is_for: true, .. } => {
                if has_value {
                    self.emit(Op::Swap(2));
                }
                self.emit(Op::Pop);
            }
            FBlock::Loop { .. } => {}
            FBlock::Try => {
                self.emit(Op::PopBlock);
            }
            FBlock::Finally(body) => {
                self.emit(Op::PopBlock);
                self.stmts(body)?;
            }
            FBlock::With => {
                self.emit(Op::PopBlock);
                if has_value {
                    self.emit(Op::Swap(2));
                }
                self.emit(Op::ExitWith);
            }
            FBlock::FinallyEnd => {
                if has_value {
                    self.emit(Op::Swap(2));
                }
                self.emit(Op::Pop);
                self.emit(Op::PopExcept);
            }
            FBlock::Handler(name) => {
                if name.is_some() {
                    self.emit(Op::PopBlock);
                }
                self.emit(Op::PopExcept);
                if let Some(n) = name {
                    self.load_const(val::none());
                    self.store_name(n);
                    self.delete_name(n);
                }
            }
        }
        Ok(())
    }

    fn innermost_loop(&self) -> Option<usize> {
        self.fblocks
            .iter()
            .rposition(|b| matches!(b, FBlock::Loop { .. }))
    }

    fn break_(&mut self, s: &Stmt) -> CResult {
        let Some(l) = self.innermost_loop() else {
            return Err(self.ctx.error(s, "'break' outside loop"));
        };
        self.unwind_blocks(false, Some(l))?;
        if let FBlock::Loop { is_for: true, .. } = self.fblocks[l] {
            self.emit(Op::Pop);
        }
        let j = self.emit(Op::Jump(0));
        if let FBlock::Loop { breaks, .. } = &mut self.fblocks[l] {
            breaks.push(j);
        }
        Ok(())
    }

    fn continue_(&mut self, s: &Stmt) -> CResult {
        let Some(l) = self.innermost_loop() else {
            return Err(self.ctx.error(s, "'continue' not properly in loop"));
        };
        self.unwind_blocks(false, Some(l))?;
        if let FBlock::Loop { cont, .. } = self.fblocks[l] {
            self.emit(Op::Jump(cont as u32));
        }
        Ok(())
    }

    fn delete(&mut self, t: &Expr) -> CResult {
        self.at(t);
        match t {
            Expr::Name(n) => self.delete_name(n.id.as_str()),
            Expr::Attribute(a) => {
                self.expr(&a.value)?;
                let i = self.name(a.attr.id.as_str());
                self.emit(Op::DeleteAttr(i));
            }
            Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.expr(&s.slice)?;
                self.emit(Op::DeleteSubscr);
            }
            Expr::Tuple(x) => x.elts.iter().try_for_each(|e| self.delete(e))?,
            Expr::List(x) => x.elts.iter().try_for_each(|e| self.delete(e))?,
            _ => return Err(self.ctx.error(t, "cannot delete expression")),
        }
        Ok(())
    }

    fn assign(&mut self, a: &ast::StmtAssign) -> CResult {
        self.expr(&a.value)?;
        for (i, t) in a.targets.iter().enumerate() {
            if i + 1 < a.targets.len() {
                self.emit(Op::Copy(1));
            }
            self.store(t)?;
        }
        Ok(())
    }

    /// `x: T = v`: module and class bodies record `T` in `__annotations__` (functions do
    /// not evaluate annotations at all).
    fn ann_assign(&mut self, a: &ast::StmtAnnAssign) -> CResult {
        if let Some(v) = &a.value {
            self.expr(v)?;
            self.store(&a.target)?;
        }
        if let (Expr::Name(n), true) = (&*a.target, self.flags.uses_namespace && a.simple) {
            self.emit(Op::SetupAnnotations);
            self.expr(&a.annotation)?;
            self.load_name("__annotations__");
            self.load_const(val::str_(n.id.as_str()));
            self.emit(Op::StoreSubscr);
        }
        Ok(())
    }

    fn aug_assign(&mut self, a: &ast::StmtAugAssign) -> CResult {
        let op = crate::compile::expr::binop(a.op);
        match &*a.target {
            Expr::Name(n) => {
                self.load_name(n.id.as_str());
                self.expr(&a.value)?;
                self.at(a);
                self.emit(Op::InPlace(op));
                self.store_name(n.id.as_str());
            }
            Expr::Attribute(t) => {
                self.expr(&t.value)?;
                self.emit(Op::Copy(1));
                let i = self.name(t.attr.id.as_str());
                self.emit(Op::LoadAttr(i));
                self.expr(&a.value)?;
                self.at(a);
                self.emit(Op::InPlace(op));
                self.emit(Op::Swap(2));
                self.emit(Op::StoreAttr(i));
            }
            Expr::Subscript(t) => {
                self.expr(&t.value)?;
                self.expr(&t.slice)?;
                self.emit(Op::Copy(2));
                self.emit(Op::Copy(2));
                self.emit(Op::BinarySubscr);
                self.expr(&a.value)?;
                self.at(a);
                self.emit(Op::InPlace(op));
                self.emit(Op::Swap(3));
                self.emit(Op::Swap(2));
                self.emit(Op::StoreSubscr);
            }
            t => {
                return Err(self.ctx.error(
                    t,
                    "'expression' is an illegal expression for augmented assignment",
                ));
            }
        }
        Ok(())
    }

    /// Stores the top of the stack into a target.
    pub(crate) fn store(&mut self, t: &Expr) -> CResult {
        match t {
            Expr::Name(n) => self.store_name(n.id.as_str()),
            Expr::Attribute(a) => {
                self.expr(&a.value)?;
                self.at(t);
                let i = self.name(a.attr.id.as_str());
                self.emit(Op::StoreAttr(i));
            }
            Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.expr(&s.slice)?;
                self.at(t);
                self.emit(Op::StoreSubscr);
            }
            Expr::Tuple(x) => self.store_seq(&x.elts, t)?,
            Expr::List(x) => self.store_seq(&x.elts, t)?,
            _ => return Err(self.ctx.error(t, "cannot assign to expression")),
        }
        Ok(())
    }

    fn store_seq(&mut self, elts: &[Expr], t: &Expr) -> CResult {
        self.at(t);
        match elts.iter().position(|e| matches!(e, Expr::Starred(_))) {
            Some(i) => {
                let after = elts.len() - i - 1;
                self.emit(Op::UnpackEx(i as u16, after as u16));
            }
            None => {
                self.emit(Op::UnpackSequence(elts.len() as u32));
            }
        }
        for e in elts {
            match e {
                Expr::Starred(s) => self.store(&s.value)?,
                e => self.store(e)?,
            }
        }
        Ok(())
    }

    fn for_(&mut self, f: &ast::StmtFor) -> CResult {
        self.expr(&f.iter)?;
        self.at(&*f.iter);
        self.emit(Op::GetIter);
        let top = self.here();
        let jump = self.emit(Op::ForIter(0));
        self.store(&f.target)?;
        self.fblocks.push(FBlock::Loop {
            cont: top,
            breaks: vec![],
            is_for: true,
        });
        self.stmts(&f.body)?;
        self.emit(Op::Jump(top as u32));
        let Some(FBlock::Loop { breaks, .. }) = self.fblocks.pop() else {
            unreachable!()
        };
        let end = self.here();
        self.patch(jump, end);
        self.stmts(&f.orelse)?;
        let after = self.here();
        breaks.iter().for_each(|&b| self.patch(b, after));
        Ok(())
    }

    fn while_(&mut self, w: &ast::StmtWhile) -> CResult {
        let top = self.here();
        self.expr(&w.test)?;
        let exit = self.emit(Op::PopJumpIfFalse(0));
        self.fblocks.push(FBlock::Loop {
            cont: top,
            breaks: vec![],
            is_for: false,
        });
        self.stmts(&w.body)?;
        self.emit(Op::Jump(top as u32));
        let Some(FBlock::Loop { breaks, .. }) = self.fblocks.pop() else {
            unreachable!()
        };
        let end = self.here();
        self.patch(exit, end);
        self.stmts(&w.orelse)?;
        let after = self.here();
        breaks.iter().for_each(|&b| self.patch(b, after));
        Ok(())
    }

    fn if_(&mut self, i: &ast::StmtIf) -> CResult {
        self.expr(&i.test)?;
        let mut next = self.emit(Op::PopJumpIfFalse(0));
        self.stmts(&i.body)?;
        let mut ends = vec![self.emit(Op::Jump(0))];
        for clause in &i.elif_else_clauses {
            let here = self.here();
            self.patch(next, here);
            match &clause.test {
                Some(t) => {
                    self.at(t);
                    self.expr(t)?;
                    next = self.emit(Op::PopJumpIfFalse(0));
                }
                None => next = usize::MAX,
            }
            self.stmts(&clause.body)?;
            ends.push(self.emit(Op::Jump(0)));
        }
        let end = self.here();
        if next != usize::MAX {
            self.patch(next, end);
        }
        ends.iter().for_each(|&j| self.patch(j, end));
        Ok(())
    }

    fn with(&mut self, items: &[ast::WithItem], body: &[Stmt]) -> CResult {
        let Some((first, rest)) = items.split_first() else {
            return self.stmts(body);
        };
        self.expr(&first.context_expr)?;
        self.at(&first.context_expr);
        self.emit(Op::BeforeWith);
        match &first.optional_vars {
            Some(t) => self.store(t)?,
            None => {
                self.emit(Op::Pop);
            }
        }
        let setup = self.emit(Op::SetupWith(0));
        self.fblocks.push(FBlock::With);
        self.with(rest, body)?;
        self.fblocks.pop();
        self.at(&first.context_expr);
        self.emit(Op::PopBlock);
        self.emit(Op::ExitWith);
        let end_jump = self.emit(Op::Jump(0));
        let handler = self.here();
        self.patch(setup, handler);
        let suppress = self.emit(Op::WithExcept(0));
        self.emit(Op::Reraise);
        let s = self.here();
        self.patch(suppress, s);
        self.emit(Op::Pop);
        self.emit(Op::PopExcept);
        self.emit(Op::Pop);
        let end = self.here();
        self.patch(end_jump, end);
        Ok(())
    }

    fn raise(&mut self, r: &ast::StmtRaise) -> CResult {
        let mut n = 0;
        if let Some(e) = &r.exc {
            self.expr(e)?;
            n = 1;
            if let Some(c) = &r.cause {
                self.expr(c)?;
                n = 2;
            }
        }
        self.at(r);
        self.emit(Op::Raise(n));
        Ok(())
    }

    fn try_(&mut self, t: &ast::StmtTry) -> CResult {
        if t.finalbody.is_empty() {
            return self.try_except(t);
        }
        let body = Rc::new(t.finalbody.to_vec());
        let setup = self.emit(Op::SetupFinally(0));
        self.fblocks.push(FBlock::Finally(body.clone()));
        if t.handlers.is_empty() {
            self.stmts(&t.body)?;
        } else {
            self.try_except(t)?;
        }
        self.fblocks.pop();
        self.emit(Op::PopBlock);
        self.stmts(&t.finalbody)?;
        let end_jump = self.emit(Op::Jump(0));
        let handler = self.here();
        self.patch(setup, handler);
        self.fblocks.push(FBlock::FinallyEnd);
        self.stmts(&t.finalbody)?;
        self.fblocks.pop();
        self.emit(Op::Reraise);
        let end = self.here();
        self.patch(end_jump, end);
        Ok(())
    }

    fn try_except(&mut self, t: &ast::StmtTry) -> CResult {
        let setup = self.emit(Op::SetupExcept(0));
        self.fblocks.push(FBlock::Try);
        self.stmts(&t.body)?;
        self.fblocks.pop();
        self.emit(Op::PopBlock);
        self.stmts(&t.orelse)?;
        let mut ends = vec![self.emit(Op::Jump(0))];
        let handler = self.here();
        self.patch(setup, handler);
        for h in &t.handlers {
            let ast::ExceptHandler::ExceptHandler(h) = h;
            self.at(h);
            let next = match &h.type_ {
                Some(ty) => {
                    self.expr(ty)?;
                    self.emit(Op::CheckExcMatch);
                    Some(self.emit(Op::PopJumpIfFalse(0)))
                }
                None => None,
            };
            ends.push(self.handler_body(h)?);
            if let Some(n) = next {
                let here = self.here();
                self.patch(n, here);
            }
        }
        self.emit(Op::Reraise);
        let end = self.here();
        ends.iter().for_each(|&j| self.patch(j, end));
        Ok(())
    }

    /// One `except` clause's body, with the exception on the stack; returns the jump to the
    /// end of the statement.
    fn handler_body(&mut self, h: &ast::ExceptHandlerExceptHandler) -> CResult<usize> {
        let Some(name) = &h.name else {
            self.emit(Op::Pop);
            self.fblocks.push(FBlock::Handler(None));
            self.stmts(&h.body)?;
            self.fblocks.pop();
            self.emit(Op::PopExcept);
            return Ok(self.emit(Op::Jump(0)));
        };
        let name = name.id.as_str();
        self.store_name(name);
        let cleanup = self.emit(Op::SetupFinally(0));
        self.fblocks.push(FBlock::Handler(Some(name.to_owned())));
        self.stmts(&h.body)?;
        self.fblocks.pop();
        self.emit(Op::PopBlock);
        self.emit(Op::PopExcept);
        self.clear_name(name);
        let end = self.emit(Op::Jump(0));
        let c = self.here();
        self.patch(cleanup, c);
        self.clear_name(name);
        self.emit(Op::Reraise);
        Ok(end)
    }

    fn clear_name(&mut self, name: &str) {
        self.load_const(val::none());
        self.store_name(name);
        self.delete_name(name);
    }

    fn assert(&mut self, a: &ast::StmtAssert) -> CResult {
        self.expr(&a.test)?;
        let ok = self.emit(Op::PopJumpIfTrue(0));
        self.at(a);
        self.emit(Op::LoadAssertionError);
        if let Some(m) = &a.msg {
            self.expr(m)?;
            self.at(a);
            self.emit(Op::Call(1));
        }
        self.emit(Op::Raise(1));
        let end = self.here();
        self.patch(ok, end);
        Ok(())
    }

    fn import(&mut self, i: &ast::StmtImport) -> CResult {
        for a in &i.names {
            let full = a.name.id.as_str();
            let n = self.name(full);
            // ImportName gives the named module itself, its parents imported first.
            self.emit(Op::ImportName(n));
            match (&a.asname, full.split_once('.')) {
                (Some(alias), _) => self.store_name(alias.id.as_str()),
                (None, Some((top, _))) => {
                    self.emit(Op::Pop);
                    let t = self.name(top);
                    self.emit(Op::ImportName(t));
                    self.store_name(top);
                }
                (None, None) => self.store_name(full),
            }
        }
        Ok(())
    }

    fn import_from(&mut self, i: &ast::StmtImportFrom) -> CResult {
        if i.level > 0 {
            return Err(self.ctx.unsupported(i, "relative import"));
        }
        let module = i.module.as_ref().map_or("", |m| m.id.as_str());
        let n = self.name(module);
        self.emit(Op::ImportName(n));
        if i.names.iter().any(|a| a.name.id.as_str() == "*") {
            self.emit(Op::ImportStar);
            return Ok(());
        }
        for a in &i.names {
            let n = self.name(a.name.id.as_str());
            self.emit(Op::ImportFrom(n));
            self.store_name(a.asname.as_ref().unwrap_or(&a.name).id.as_str());
        }
        self.emit(Op::Pop);
        Ok(())
    }
}
