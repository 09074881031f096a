//! (L1) Expressions to instructions, with CPython's constant folding of literals, tuples of
//! constants and unary minus.

use std::collections::HashMap;
use std::rc::Rc;

use ruff_python_ast::{self as ast, Expr, Number};
use ruff_text_size::Ranged;

use super::unit::{CResult, Unit};
use crate::code::{BinOp, CmpOp, Code, Op, UnOp};
use crate::obj::PyRef;
use crate::val;

/// The evaluator's operator for an AST operator.
pub(crate) fn binop(op: ast::Operator) -> BinOp {
    use ast::Operator as O;
    match op {
        O::Add => BinOp::Add,
        O::Sub => BinOp::Sub,
        O::Mult => BinOp::Mul,
        O::MatMult => BinOp::MatMul,
        O::Div => BinOp::TrueDiv,
        O::FloorDiv => BinOp::FloorDiv,
        O::Mod => BinOp::Mod,
        O::Pow => BinOp::Pow,
        O::LShift => BinOp::LShift,
        O::RShift => BinOp::RShift,
        O::BitAnd => BinOp::And,
        O::BitOr => BinOp::Or,
        O::BitXor => BinOp::Xor,
    }
}

impl Unit<'_> {
    /// Compiles an expression that leaves one value on the stack.
    pub(crate) fn expr(&mut self, e: &Expr) -> CResult {
        if let Some(c) = self.constant(e) {
            self.load_const(c);
            return Ok(());
        }
        let saved = self.at(e);
        self.expr_inner(e)?;
        self.cur = saved;
        Ok(())
    }

    fn expr_inner(&mut self, e: &Expr) -> CResult {
        match e {
            Expr::Name(n) => self.load_name(n.id.as_str()),
            Expr::BoolOp(b) => self.bool_op(b)?,
            Expr::BinOp(b) => {
                self.expr(&b.left)?;
                self.expr(&b.right)?;
                self.at(e);
                self.emit(Op::Binary(binop(b.op)));
            }
            Expr::UnaryOp(u) => {
                self.expr(&u.operand)?;
                self.at(e);
                self.emit(Op::Unary(match u.op {
                    ast::UnaryOp::Not => UnOp::Not,
                    ast::UnaryOp::USub => UnOp::Neg,
                    ast::UnaryOp::UAdd => UnOp::Pos,
                    ast::UnaryOp::Invert => UnOp::Invert,
                }));
            }
            Expr::Compare(c) => self.compare(c)?,
            Expr::Call(c) => self.call(c)?,
            Expr::Attribute(a) => {
                self.expr(&a.value)?;
                self.at(e);
                let i = self.name(a.attr.id.as_str());
                self.emit(Op::LoadAttr(i));
            }
            Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.expr(&s.slice)?;
                self.at(e);
                self.emit(Op::BinarySubscr);
            }
            Expr::Slice(s) => self.slice(s)?,
            Expr::Tuple(t) => self.sequence(&t.elts, Seq::Tuple)?,
            Expr::List(t) => self.sequence(&t.elts, Seq::List)?,
            Expr::Set(t) => self.sequence(&t.elts, Seq::Set)?,
            Expr::Dict(d) => self.dict(d)?,
            Expr::If(i) => {
                self.expr(&i.test)?;
                let else_ = self.emit(Op::PopJumpIfFalse(0));
                self.expr(&i.body)?;
                let end = self.emit(Op::Jump(0));
                let h = self.here();
                self.patch(else_, h);
                self.expr(&i.orelse)?;
                let h = self.here();
                self.patch(end, h);
            }
            Expr::Lambda(l) => self.lambda(l)?,
            Expr::Named(n) => {
                self.expr(&n.value)?;
                self.emit(Op::Copy(1));
                self.store(&n.target)?;
            }
            Expr::FString(f) => self.fstring(f)?,
            Expr::ListComp(c) => self.inline_comp(
                super::scope_of(self.ctx, c),
                &c.generators,
                Comp::List(&c.elt),
            )?,
            Expr::SetComp(c) => self.inline_comp(
                super::scope_of(self.ctx, c),
                &c.generators,
                Comp::Set(&c.elt),
            )?,
            Expr::DictComp(c) => {
                let Some(k) = &c.key else {
                    return Err(self.ctx.unsupported(e, "dict unpacking in a comprehension"));
                };
                self.inline_comp(
                    super::scope_of(self.ctx, c),
                    &c.generators,
                    Comp::Dict(k, &c.value),
                )?
            }
            Expr::Generator(g) => self.genexp(g)?,
            Expr::Yield(y) => {
                match &y.value {
                    Some(v) => self.expr(v)?,
                    None => self.load_const(val::none()),
                }
                self.at(e);
                self.emit(Op::YieldValue);
            }
            Expr::YieldFrom(y) => {
                self.expr(&y.value)?;
                self.at(e);
                self.emit(Op::GetIter);
                self.load_const(val::none());
                let top = self.emit(Op::Send(0));
                self.emit(Op::YieldValue);
                self.emit(Op::Jump(top as u32));
                let end = self.here();
                self.patch(top, end);
            }
            Expr::Starred(_) => return Err(self.ctx.error(e, "can't use starred expression here")),
            Expr::Await(_) => return Err(self.ctx.unsupported(e, "'await'")),
            Expr::TString(_) => return Err(self.ctx.unsupported(e, "template strings")),
            _ => return Err(self.ctx.unsupported(e, "this expression")),
        }
        Ok(())
    }

    /// The value of a literal, or of a tuple of them, as CPython folds them.
    fn constant(&mut self, e: &Expr) -> Option<PyRef> {
        match e {
            Expr::NumberLiteral(n) => match &n.value {
                Number::Int(i) => Some(match i.as_i64() {
                    Some(v) => val::int(v),
                    None => val::bigint(
                        i.to_string()
                            .replace('_', "")
                            .parse()
                            .ok()
                            .or_else(|| parse_prefixed(&i.to_string()))?,
                    ),
                }),
                Number::Float(f) => Some(val::float(*f)),
                Number::Complex { real, imag } => Some(val::complex(*real, *imag)),
            },
            Expr::StringLiteral(s) => Some(val::str_(s.value.to_str())),
            Expr::BytesLiteral(b) => Some(val::bytes(b.value.bytes().collect())),
            Expr::BooleanLiteral(b) => Some(val::bool_(b.value)),
            Expr::NoneLiteral(_) => Some(val::none()),
            Expr::EllipsisLiteral(_) => Some(val::ellipsis()),
            Expr::UnaryOp(u) if u.op == ast::UnaryOp::USub => {
                let Expr::NumberLiteral(_) = &*u.operand else {
                    return None;
                };
                negated(self.constant(&u.operand)?)
            }
            Expr::Tuple(t) if !t.elts.is_empty() => {
                let items: Option<Vec<PyRef>> = t.elts.iter().map(|x| self.constant(x)).collect();
                Some(val::tuple(items?))
            }
            Expr::Tuple(_) => Some(val::tuple(vec![])),
            _ => None,
        }
    }

    fn bool_op(&mut self, b: &ast::ExprBoolOp) -> CResult {
        let mut jumps = Vec::new();
        for (i, v) in b.values.iter().enumerate() {
            self.expr(v)?;
            if i + 1 < b.values.len() {
                jumps.push(self.emit(match b.op {
                    ast::BoolOp::And => Op::JumpIfFalseOrPop(0),
                    ast::BoolOp::Or => Op::JumpIfTrueOrPop(0),
                }));
            }
        }
        let end = self.here();
        jumps.iter().for_each(|&j| self.patch(j, end));
        Ok(())
    }

    fn compare(&mut self, c: &ast::ExprCompare) -> CResult {
        self.expr(&c.left)?;
        let n = c.ops.len();
        let mut cleanups = Vec::new();
        for (i, (op, right)) in c.ops.iter().zip(c.comparators.iter()).enumerate() {
            self.expr(right)?;
            if i + 1 < n {
                self.emit(Op::Swap(2));
                self.emit(Op::Copy(2));
            }
            self.at(c);
            self.emit(cmp_op(*op));
            if i + 1 < n {
                cleanups.push(self.emit(Op::JumpIfFalseOrPop(0)));
            }
        }
        if !cleanups.is_empty() {
            let end = self.emit(Op::Jump(0));
            let cleanup = self.here();
            cleanups.iter().for_each(|&j| self.patch(j, cleanup));
            self.emit(Op::Swap(2));
            self.emit(Op::Pop);
            let h = self.here();
            self.patch(end, h);
        }
        Ok(())
    }

    fn call(&mut self, c: &ast::ExprCall) -> CResult {
        if let Some(()) = self.super_call(c)? {
            return Ok(());
        }
        let simple = c.arguments.args.iter().all(|a| !a.is_starred_expr())
            && c.arguments.keywords.iter().all(|k| k.arg.is_some());
        if let (Expr::Attribute(a), true, true) =
            (&*c.func, simple, c.arguments.keywords.is_empty())
        {
            self.expr(&a.value)?;
            self.at_range(a.range());
            let i = self.name(a.attr.id.as_str());
            self.emit(Op::LoadMethod(i));
            for x in c.arguments.args.iter() {
                self.expr(x)?;
            }
            self.at(c);
            self.emit(Op::CallMethod(c.arguments.args.len() as u32));
            return Ok(());
        }
        self.expr(&c.func)?;
        for x in c.arguments.args.iter().filter(|_| simple) {
            self.expr(x)?;
        }
        if simple {
            return self.call_tail(c.arguments.args.len(), &c.arguments.keywords, c);
        }
        self.call_ex(&c.arguments, c)
    }

    /// `super()` in a method: compiled as `super(__class__, <first argument>)`.
    fn super_call(&mut self, c: &ast::ExprCall) -> CResult<Option<()>> {
        let Expr::Name(n) = &*c.func else {
            return Ok(None);
        };
        if n.id.as_str() != "super"
            || !c.arguments.is_empty()
            || !self.freevars.iter().any(|f| &**f == "__class__")
        {
            return Ok(None);
        }
        let Some(first) = self.varnames.first().cloned() else {
            return Ok(None);
        };
        self.load_name("super");
        self.load_name("__class__");
        self.load_name(&first);
        self.at(c);
        self.emit(Op::Call(2));
        Ok(Some(()))
    }

    /// After the callable and `npos` positional arguments: the keywords and the call.
    pub(crate) fn call_tail(
        &mut self,
        npos: usize,
        kw: &[ast::Keyword],
        node: &impl Ranged,
    ) -> CResult {
        if kw.iter().any(|k| k.arg.is_none()) {
            return Err(self.ctx.unsupported(node, "'**' in a class statement"));
        }
        if kw.is_empty() {
            self.at(node);
            self.emit(Op::Call(npos as u32));
            return Ok(());
        }
        let mut names = Vec::new();
        for k in kw {
            self.expr(&k.value)?;
            names.push(val::str_(k.arg.as_ref().map_or("", |a| a.id.as_str())));
        }
        self.load_const(val::tuple(names));
        self.at(node);
        self.emit(Op::CallKw((npos + kw.len()) as u32));
        Ok(())
    }

    /// A call with `*args` or `**kwargs`: builds the tuple and the dict.
    fn call_ex(&mut self, a: &ast::Arguments, node: &impl Ranged) -> CResult {
        self.emit(Op::BuildList(0));
        for x in a.args.iter() {
            match x {
                Expr::Starred(s) => {
                    self.expr(&s.value)?;
                    self.emit(Op::ListExtend(1));
                }
                x => {
                    self.expr(x)?;
                    self.emit(Op::ListAppend(1));
                }
            }
        }
        self.emit(Op::ListToTuple);
        let has_kw = !a.keywords.is_empty();
        if has_kw {
            self.emit(Op::BuildMap(0));
            for k in a.keywords.iter() {
                match &k.arg {
                    Some(name) => {
                        self.load_const(val::str_(name.id.as_str()));
                        self.expr(&k.value)?;
                        self.emit(Op::BuildMap(1));
                        self.emit(Op::DictMerge(1));
                    }
                    None => {
                        self.expr(&k.value)?;
                        self.emit(Op::DictMerge(1));
                    }
                }
            }
        }
        self.at(node);
        self.emit(Op::CallEx(has_kw));
        Ok(())
    }

    fn slice(&mut self, s: &ast::ExprSlice) -> CResult {
        for part in [&s.lower, &s.upper] {
            match part {
                Some(x) => self.expr(x)?,
                None => self.load_const(val::none()),
            }
        }
        match &s.step {
            Some(x) => {
                self.expr(x)?;
                self.emit(Op::BuildSlice(3));
            }
            None => {
                self.emit(Op::BuildSlice(2));
            }
        }
        Ok(())
    }

    fn sequence(&mut self, elts: &[Expr], kind: Seq) -> CResult {
        if elts.iter().any(|e| matches!(e, Expr::Starred(_))) {
            return self.starred_sequence(elts, kind);
        }
        elts.iter().try_for_each(|e| self.expr(e))?;
        let n = elts.len() as u32;
        let consts = n > 2 && elts.iter().all(|e| self.constant(e).is_some());
        self.emit(match kind {
            Seq::Tuple => Op::BuildTuple(n),
            Seq::List => Op::BuildList(n),
            Seq::Set if consts => Op::BuildConstSet(n),
            Seq::Set => Op::BuildSet(n),
        });
        Ok(())
    }

    fn starred_sequence(&mut self, elts: &[Expr], kind: Seq) -> CResult {
        let set = kind == Seq::Set;
        self.emit(if set {
            Op::BuildSet(0)
        } else {
            Op::BuildList(0)
        });
        for e in elts {
            match e {
                Expr::Starred(s) => {
                    self.expr(&s.value)?;
                    self.emit(if set {
                        Op::SetUpdate(1)
                    } else {
                        Op::ListExtend(1)
                    });
                }
                e => {
                    self.expr(e)?;
                    self.emit(if set {
                        Op::SetAdd(1)
                    } else {
                        Op::ListAppend(1)
                    });
                }
            }
        }
        if kind == Seq::Tuple {
            self.emit(Op::ListToTuple);
        }
        Ok(())
    }

    fn dict(&mut self, d: &ast::ExprDict) -> CResult {
        self.emit(Op::BuildMap(0));
        for item in &d.items {
            match &item.key {
                Some(k) => {
                    self.expr(k)?;
                    self.expr(&item.value)?;
                    self.emit(Op::MapAdd(1));
                }
                None => {
                    self.expr(&item.value)?;
                    self.emit(Op::DictUpdate(1));
                }
            }
        }
        Ok(())
    }

    fn fstring(&mut self, f: &ast::ExprFString) -> CResult {
        let mut n = 0;
        for part in f.value.iter() {
            match part {
                ast::FStringPart::Literal(s) => {
                    self.load_const(val::str_(&s.value));
                    n += 1;
                }
                ast::FStringPart::FString(fs) => {
                    for el in fs.elements.iter() {
                        self.fstring_element(el)?;
                        n += 1;
                    }
                }
            }
        }
        self.emit(Op::BuildString(n));
        Ok(())
    }

    fn fstring_element(&mut self, el: &ast::InterpolatedStringElement) -> CResult {
        match el {
            ast::InterpolatedStringElement::Literal(l) => self.load_const(val::str_(&l.value)),
            ast::InterpolatedStringElement::Interpolation(i) => {
                if let Some(d) = &i.debug_text {
                    let text = &self.ctx.source[usize::from(i.expression.range().start())
                        ..usize::from(i.expression.range().end())];
                    self.load_const(val::string(format!(
                        "{}{}{}",
                        d.leading(),
                        text,
                        d.trailing()
                    )));
                    self.emit(Op::Swap(1));
                }
                self.expr(&i.expression)?;
                let conv = match i.conversion {
                    ast::ConversionFlag::None
                        if i.debug_text.is_some() && i.format_spec.is_none() =>
                    {
                        b'r'
                    }
                    ast::ConversionFlag::None => 0,
                    ast::ConversionFlag::Str => b's',
                    ast::ConversionFlag::Repr => b'r',
                    ast::ConversionFlag::Ascii => b'a',
                };
                let has_spec = i.format_spec.is_some();
                if let Some(spec) = &i.format_spec {
                    for el in spec.elements.iter() {
                        self.fstring_element(el)?;
                    }
                    self.emit(Op::BuildString(spec.elements.len() as u32));
                }
                self.emit(Op::FormatValue(conv, has_spec));
                if i.debug_text.is_some() {
                    self.emit(Op::BuildString(2));
                }
            }
        }
        Ok(())
    }

    /// The qualified name of a function or class defined in this unit.
    pub(crate) fn child_qualname(&self, name: &str) -> Rc<str> {
        if self.is_module() {
            return name.into();
        }
        if self.is_class() {
            return format!("{}.{name}", self.qualname).into();
        }
        format!("{}.<locals>.{name}", self.qualname).into()
    }

    /// Compiles a function body in its own unit and emits `MakeFunction` with its defaults
    /// and closure.
    pub(crate) fn make_function(
        &mut self,
        scope: usize,
        name: &str,
        params: &ast::Parameters,
        line: u32,
        body: impl FnOnce(&mut Unit<'_>) -> CResult,
    ) -> CResult {
        let flags = self.defaults(params)?;
        let qual = self.child_qualname(name);
        let mut u = Unit::new(self.ctx, scope, name.into(), qual, line);
        u.argcount = (params.posonlyargs.len() + params.args.len()) as u32;
        u.posonly = params.posonlyargs.len() as u32;
        u.kwonly = params.kwonlyargs.len() as u32;
        u.flags.varargs = params.vararg.is_some();
        u.flags.varkw = params.kwarg.is_some();
        body(&mut u)?;
        let frees = u.freevars.clone();
        let code = Rc::new(u.finish(self.ctx));
        self.push_closure_and_code(code, &frees, flags);
        Ok(())
    }

    fn defaults(&mut self, p: &ast::Parameters) -> CResult<u8> {
        let mut flags = 0;
        let pos: Vec<&Expr> = p
            .posonlyargs
            .iter()
            .chain(&p.args)
            .filter_map(|a| a.default.as_deref())
            .collect();
        if !pos.is_empty() {
            for d in &pos {
                self.expr(d)?;
            }
            self.emit(Op::BuildTuple(pos.len() as u32));
            flags |= 1;
        }
        let kw: Vec<&ast::ParameterWithDefault> = p
            .kwonlyargs
            .iter()
            .filter(|a| a.default.is_some())
            .collect();
        if !kw.is_empty() {
            for a in &kw {
                self.load_const(val::str_(a.parameter.name.id.as_str()));
                if let Some(d) = &a.default {
                    self.expr(d)?;
                }
            }
            self.emit(Op::BuildMap(kw.len() as u32));
            flags |= 2;
        }
        Ok(flags)
    }

    /// Pushes the closure tuple (if the code has free variables) and the code.
    pub(crate) fn push_closure_and_code(
        &mut self,
        code: Rc<Code>,
        frees: &[Rc<str>],
        mut flags: u8,
    ) {
        if !frees.is_empty() {
            for f in frees {
                self.load_closure(f);
            }
            self.emit(Op::BuildTuple(frees.len() as u32));
            flags |= 8;
        }
        self.load_const(val::code(code));
        self.emit(Op::MakeFunction(flags));
    }

    fn lambda(&mut self, l: &ast::ExprLambda) -> CResult {
        let scope = super::scope_of(self.ctx, l);
        let empty = ast::Parameters::default();
        let params = l.parameters.as_deref().unwrap_or(&empty);
        let line = self.cur.line;
        self.make_function(scope, "<lambda>", params, line, |u| {
            u.konst(val::none());
            if u.flags.generator {
                u.emit(Op::GenStart);
            }
            u.expr(&l.body)?;
            u.emit(Op::Return);
            Ok(())
        })
    }

    fn genexp(&mut self, g: &ast::ExprGenerator) -> CResult {
        let scope = super::scope_of(self.ctx, g);
        let line = self.cur.line;
        let flags = 0;
        let qual = self.child_qualname("<genexpr>");
        let mut u = Unit::new(self.ctx, scope, "<genexpr>".into(), qual, line);
        u.argcount = 1;
        u.emit(Op::GenStart);
        u.comp_loops(&g.generators, 0, true, &Comp::Gen(&g.elt))?;
        u.load_const(val::none());
        u.emit(Op::Return);
        let frees = u.freevars.clone();
        let code = Rc::new(u.finish(self.ctx));
        self.push_closure_and_code(code, &frees, flags);
        self.expr(&g.generators[0].iter)?;
        self.emit(Op::GetIter);
        self.emit(Op::Call(1));
        Ok(())
    }

    /// A list, set or dict comprehension inlined into this unit (PEP 709): its variables
    /// get fresh slots, invisible outside it.
    fn inline_comp(
        &mut self,
        scope: usize,
        gens: &[ast::Comprehension],
        comp: Comp<'_>,
    ) -> CResult {
        if self.ctx.table.scopes[scope].kind == Some(super::scope::ScopeKind::Function) {
            return self.function_comp(scope, gens, comp);
        }
        let names: Vec<String> = self.ctx.table.scopes[scope].bound.iter().cloned().collect();
        let renames: HashMap<String, u32> = names
            .iter()
            .map(|n| (n.clone(), self.new_slot(n)))
            .collect();
        self.emit(match comp {
            Comp::List(_) => Op::BuildList(0),
            Comp::Set(_) => Op::BuildSet(0),
            _ => Op::BuildMap(0),
        });
        self.expr(&gens[0].iter)?;
        self.emit(Op::GetIter);
        let slots: Vec<u32> = renames.values().copied().collect();
        self.inlined.push((scope, renames));
        let r = self.comp_loops(gens, 0, false, &comp);
        self.inlined.pop();
        // PEP 709: the comprehension's variables do not outlive it (nor keep objects alive).
        for slot in slots {
            self.emit(Op::ClearFast(slot));
        }
        r
    }

    /// A comprehension compiled as a function called at once (its variables are cells).
    fn function_comp(
        &mut self,
        scope: usize,
        gens: &[ast::Comprehension],
        comp: Comp<'_>,
    ) -> CResult {
        let name = match comp {
            Comp::List(_) => "<listcomp>",
            Comp::Set(_) => "<setcomp>",
            _ => "<dictcomp>",
        };
        let qual = self.child_qualname(name);
        let mut u = Unit::new(self.ctx, scope, name.into(), qual, self.cur.line);
        u.argcount = 1;
        u.emit(match comp {
            Comp::List(_) => Op::BuildList(0),
            Comp::Set(_) => Op::BuildSet(0),
            _ => Op::BuildMap(0),
        });
        u.comp_loops(gens, 0, true, &comp)?;
        u.emit(Op::Return);
        let frees = u.freevars.clone();
        let code = Rc::new(u.finish(self.ctx));
        self.push_closure_and_code(code, &frees, 0);
        self.expr(&gens[0].iter)?;
        self.emit(Op::GetIter);
        self.emit(Op::Call(1));
        Ok(())
    }

    /// The nested loops of a comprehension; for the first generator the iterator is
    /// already on the stack (the `.0` argument for generator expressions).
    fn comp_loops(
        &mut self,
        gens: &[ast::Comprehension],
        i: usize,
        genexp: bool,
        comp: &Comp<'_>,
    ) -> CResult {
        let g = &gens[i];
        if g.is_async {
            return Err(self.ctx.unsupported(g, "'async for' in a comprehension"));
        }
        if i == 0 && genexp {
            self.emit(Op::LoadFast(0));
        } else if i > 0 {
            self.expr(&g.iter)?;
            self.emit(Op::GetIter);
        }
        let top = self.here();
        let exit = self.emit(Op::ForIter(0));
        self.store(&g.target)?;
        let mut skips = Vec::new();
        for c in &g.ifs {
            self.expr(c)?;
            skips.push(self.emit(Op::PopJumpIfFalse(0)));
        }
        if i + 1 < gens.len() {
            self.comp_loops(gens, i + 1, genexp, comp)?;
        } else {
            self.comp_element(comp, i + 2)?;
        }
        skips.iter().for_each(|&s| self.patch(s, top));
        self.emit(Op::Jump(top as u32));
        let end = self.here();
        self.patch(exit, end);
        Ok(())
    }

    fn comp_element(&mut self, comp: &Comp<'_>, depth: usize) -> CResult {
        let d = depth as u32;
        match comp {
            Comp::List(e) => {
                self.expr(e)?;
                self.emit(Op::ListAppend(d));
            }
            Comp::Set(e) => {
                self.expr(e)?;
                self.emit(Op::SetAdd(d));
            }
            Comp::Dict(k, v) => {
                self.expr(k)?;
                self.expr(v)?;
                self.emit(Op::MapAdd(d));
            }
            Comp::Gen(e) => {
                self.expr(e)?;
                self.emit(Op::YieldValue);
                self.emit(Op::Pop);
            }
        }
        Ok(())
    }
}

/// What a comprehension builds.
enum Comp<'a> {
    List(&'a Expr),
    Set(&'a Expr),
    Dict(&'a Expr, &'a Expr),
    Gen(&'a Expr),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Seq {
    Tuple,
    List,
    Set,
}

fn cmp_op(op: ast::CmpOp) -> Op {
    use ast::CmpOp as C;
    match op {
        C::Eq => Op::Compare(CmpOp::Eq),
        C::NotEq => Op::Compare(CmpOp::Ne),
        C::Lt => Op::Compare(CmpOp::Lt),
        C::LtE => Op::Compare(CmpOp::Le),
        C::Gt => Op::Compare(CmpOp::Gt),
        C::GtE => Op::Compare(CmpOp::Ge),
        C::Is => Op::Is(false),
        C::IsNot => Op::Is(true),
        C::In => Op::In(false),
        C::NotIn => Op::In(true),
    }
}

/// The folded `-literal` (an int, float or imaginary literal; CPython folds the others too, but
/// they do not occur after a unary minus without an operator in between).
fn negated(v: PyRef) -> Option<PyRef> {
    match v.atom()? {
        crate::obj::Atom::Int(i) => Some(
            i.checked_neg()
                .map_or_else(|| val::bigint(-num_bigint::BigInt::from(*i)), val::int),
        ),
        crate::obj::Atom::Big(b) => Some(val::bigint(-b.clone())),
        crate::obj::Atom::Float(f) => Some(val::float(-f)),
        crate::obj::Atom::Complex(re, im) => Some(val::complex(-re, -im)),
        _ => None,
    }
}

/// Parses an int literal with a base prefix (`0x…`, `0o…`, `0b…`) too large for i64.
fn parse_prefixed(s: &str) -> Option<num_bigint::BigInt> {
    let s = s.replace('_', "").to_ascii_lowercase();
    let (radix, digits) = match s.get(..2) {
        Some("0x") => (16, &s[2..]),
        Some("0o") => (8, &s[2..]),
        Some("0b") => (2, &s[2..]),
        _ => (10, &s[..]),
    };
    num_bigint::BigInt::parse_bytes(digits.as_bytes(), radix)
}
