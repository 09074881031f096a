//! (L1) Symbol tables (CPython's `symtable.c`): which names each scope binds, and whether
//! each name is a fast local, a cell, a free variable, a global, or a namespace name.

use std::collections::{HashMap, HashSet};

use ruff_python_ast::{self as ast, Expr, Stmt};

/// What kind of code a scope compiles to.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum ScopeKind {
    Module,
    Function,
    Class,
    /// A list, set or dict comprehension, inlined into its parent (PEP 709).
    Comprehension,
}

/// Where a name lives, for one scope.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Res {
    Fast,
    Cell,
    Free,
    Global,
    /// Module and class bodies: the namespace dict.
    Name,
}

/// One scope's names.
#[derive(Default, Debug)]
pub(crate) struct Scope {
    pub(crate) kind: Option<ScopeKind>,
    pub(crate) params: Vec<String>,
    pub(crate) bound: HashSet<String>,
    pub(crate) globals: HashSet<String>,
    pub(crate) nonlocals: HashSet<String>,
    pub(crate) used: HashSet<String>,
    pub(crate) children: Vec<usize>,
    pub(crate) parent: Option<usize>,
    /// Names bound here that inner functions use (become cells).
    pub(crate) cells: Vec<String>,
    /// Names this scope takes from enclosing functions.
    pub(crate) frees: Vec<String>,
    pub(crate) is_generator: bool,
    /// Whether a method here uses `super` or `__class__` (the class needs a `__class__` cell).
    pub(crate) needs_class_cell: bool,
}

/// All scopes of a module, found by the address of the node that opens them.
pub(crate) struct Symtable {
    pub(crate) scopes: Vec<Scope>,
    pub(crate) by_node: HashMap<usize, usize>,
}

/// The address of an AST node, as the key of its scope.
pub(crate) fn key<T>(node: &T) -> usize {
    node as *const T as usize
}

impl Symtable {
    /// Builds the table of a module.
    pub(crate) fn build(body: &[Stmt]) -> Symtable {
        let mut t = Symtable {
            scopes: vec![Scope {
                kind: Some(ScopeKind::Module),
                ..Scope::default()
            }],
            by_node: HashMap::new(),
        };
        let mut b = Builder { t: &mut t, cur: 0 };
        b.stmts(body);
        t.analyze(0);
        t
    }

    /// How `name` resolves in scope `s`.
    pub(crate) fn resolve(&self, s: usize, name: &str) -> Res {
        let sc = &self.scopes[s];
        match sc.kind {
            Some(ScopeKind::Comprehension) if !sc.bound.contains(name) => {
                let parent = sc.parent.unwrap_or(0);
                // PEP 709: a comprehension in a class body does not see the class's names.
                match self.resolve(parent, name) {
                    Res::Name if self.scopes[parent].kind == Some(ScopeKind::Class) => Res::Global,
                    r => r,
                }
            }
            _ if sc.globals.contains(name) => Res::Global,
            _ if sc.nonlocals.contains(name) => Res::Free,
            _ if sc.frees.iter().any(|f| f == name) && !sc.bound.contains(name) => Res::Free,
            _ if sc.frees.iter().any(|f| f == name) && sc.kind == Some(ScopeKind::Class) => {
                Res::Name
            }
            Some(ScopeKind::Module) => Res::Global,
            Some(ScopeKind::Class) => Res::Name,
            _ if sc.cells.iter().any(|c| c == name) => Res::Cell,
            _ if sc.bound.contains(name) => Res::Fast,
            _ => Res::Global,
        }
    }

    /// Bottom-up: which names each scope takes from enclosing functions; marks the cells
    /// that provide them. Returns the free names of scope `s`.
    fn analyze(&mut self, s: usize) -> HashSet<String> {
        let children = self.scopes[s].children.clone();
        let mut child_free = HashSet::new();
        for c in children {
            child_free.extend(self.analyze(c));
        }
        let mut kind = self.scopes[s].kind;
        if kind == Some(ScopeKind::Comprehension) {
            if !child_free.iter().any(|n| self.scopes[s].bound.contains(n)) {
                return self.inline_comprehension(s, child_free);
            }
            // A variable captured by a function inside the comprehension needs a cell: the
            // comprehension becomes a function, as before PEP 709.
            let sc = &mut self.scopes[s];
            sc.kind = Some(ScopeKind::Function);
            sc.params = vec![".0".to_owned()];
            sc.bound.insert(".0".to_owned());
            kind = sc.kind;
        }
        let sc = &mut self.scopes[s];
        let mut free: HashSet<String> = sc.nonlocals.clone();
        let candidates: Vec<String> = child_free.into_iter().collect();
        for n in candidates {
            if sc.globals.contains(&n) {
                continue;
            }
            let binds = sc.bound.contains(&n) && !sc.nonlocals.contains(&n);
            match kind {
                Some(ScopeKind::Function) if binds => push_unique(&mut sc.cells, n),
                Some(ScopeKind::Class) if n == "__class__" => sc.needs_class_cell = true,
                _ => {
                    free.insert(n);
                }
            }
        }
        let own: Vec<String> = sc
            .used
            .iter()
            .filter(|n| !sc.bound.contains(*n) && !sc.globals.contains(*n))
            .cloned()
            .collect();
        free.extend(own);
        if kind == Some(ScopeKind::Module) {
            return HashSet::new();
        }
        let mut frees: Vec<String> = free.iter().cloned().collect();
        frees.sort();
        sc.frees = frees;
        self.used_free(s, free)
    }

    /// An inlined comprehension: the names it uses without binding are its parent's uses;
    /// free names of functions inside it pass through.
    fn inline_comprehension(&mut self, s: usize, child_free: HashSet<String>) -> HashSet<String> {
        let sc = &self.scopes[s];
        let uses: Vec<String> = sc
            .used
            .iter()
            .filter(|n| !sc.bound.contains(*n))
            .cloned()
            .collect();
        let passed: HashSet<String> = child_free
            .into_iter()
            .filter(|n| !sc.bound.contains(n))
            .collect();
        let parent = sc.parent.unwrap_or(0);
        self.scopes[parent].used.extend(uses);
        passed
    }

    /// Keeps only the free names some enclosing function binds (others are globals).
    fn used_free(&mut self, s: usize, free: HashSet<String>) -> HashSet<String> {
        let mut kept = HashSet::new();
        for n in free {
            if self.enclosing_binds(s, &n) {
                kept.insert(n);
            } else if let Some(i) = self.scopes[s].frees.iter().position(|f| *f == n) {
                self.scopes[s].frees.remove(i);
            }
        }
        kept
    }

    fn enclosing_binds(&self, s: usize, name: &str) -> bool {
        let mut p = self.scopes[s].parent;
        while let Some(i) = p {
            let sc = &self.scopes[i];
            match sc.kind {
                Some(ScopeKind::Function | ScopeKind::Comprehension)
                    if sc.bound.contains(name) || sc.nonlocals.contains(name) =>
                {
                    return true;
                }
                Some(ScopeKind::Class) if name == "__class__" => return true,
                Some(ScopeKind::Module) => return false,
                _ => {}
            }
            p = sc.parent;
        }
        false
    }
}

fn push_unique(v: &mut Vec<String>, n: String) {
    if !v.contains(&n) {
        v.push(n);
    }
}

/// Pass one: walks the tree recording bindings, uses and scopes.
struct Builder<'a> {
    t: &'a mut Symtable,
    cur: usize,
}

impl Builder<'_> {
    fn sc(&mut self) -> &mut Scope {
        &mut self.t.scopes[self.cur]
    }

    fn bind(&mut self, name: &str) {
        self.sc().bound.insert(name.to_owned());
    }

    fn use_(&mut self, name: &str) {
        self.sc().used.insert(name.to_owned());
    }

    fn open(&mut self, node: usize, kind: ScopeKind) -> usize {
        let id = self.t.scopes.len();
        self.t.scopes.push(Scope {
            kind: Some(kind),
            parent: Some(self.cur),
            ..Scope::default()
        });
        self.t.scopes[self.cur].children.push(id);
        self.t.by_node.insert(node, id);
        std::mem::replace(&mut self.cur, id)
    }

    fn stmts(&mut self, body: &[Stmt]) {
        for s in body {
            self.stmt(s);
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        match s {
            Stmt::FunctionDef(f) => self.function_def(f),
            Stmt::ClassDef(c) => self.class_def(c),
            Stmt::Global(g) => g.names.iter().for_each(|n| {
                self.sc().globals.insert(n.id.to_string());
            }),
            Stmt::Nonlocal(g) => g.names.iter().for_each(|n| {
                self.sc().nonlocals.insert(n.id.to_string());
            }),
            Stmt::Import(i) => i.names.iter().for_each(|a| {
                let n = a.asname.as_ref().map_or_else(
                    || a.name.id.split('.').next().unwrap_or("").to_owned(),
                    |x| x.id.to_string(),
                );
                self.bind(&n);
            }),
            Stmt::ImportFrom(i) => i.names.iter().for_each(|a| {
                let n = a.asname.as_ref().unwrap_or(&a.name);
                if n.id.as_str() != "*" {
                    self.bind(n.id.as_str());
                }
            }),
            Stmt::Try(t) => {
                for h in &t.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    if let Some(n) = &h.name {
                        self.bind(n.id.as_str());
                    }
                }
                self.children_of(s);
            }
            _ => self.children_of(s),
        }
    }

    fn children_of(&mut self, s: &Stmt) {
        use ruff_python_ast::visitor::source_order::{SourceOrderVisitor, walk_stmt};
        struct V<'b, 'c>(&'b mut Builder<'c>);
        impl<'a> SourceOrderVisitor<'a> for V<'_, '_> {
            fn visit_stmt(&mut self, s: &'a Stmt) {
                self.0.stmt(s);
            }
            fn visit_expr(&mut self, e: &'a Expr) {
                self.0.expr(e);
            }
        }
        walk_stmt(&mut V(self), s);
    }

    fn function_def(&mut self, f: &ast::StmtFunctionDef) {
        for d in &f.decorator_list {
            self.expr(&d.expression);
        }
        self.defaults(&f.parameters);
        self.bind(f.name.id.as_str());
        let prev = self.open(key(f), ScopeKind::Function);
        self.params(&f.parameters);
        self.stmts(&f.body);
        self.cur = prev;
    }

    fn class_def(&mut self, c: &ast::StmtClassDef) {
        for d in &c.decorator_list {
            self.expr(&d.expression);
        }
        if let Some(args) = &c.arguments {
            args.args.iter().for_each(|e| self.expr(e));
            args.keywords.iter().for_each(|k| self.expr(&k.value));
        }
        self.bind(c.name.id.as_str());
        let prev = self.open(key(c), ScopeKind::Class);
        self.stmts(&c.body);
        self.cur = prev;
    }

    fn defaults(&mut self, p: &ast::Parameters) {
        for a in p.posonlyargs.iter().chain(&p.args).chain(&p.kwonlyargs) {
            if let Some(d) = &a.default {
                self.expr(d);
            }
        }
    }

    fn params(&mut self, p: &ast::Parameters) {
        let mut names: Vec<String> = p
            .posonlyargs
            .iter()
            .chain(&p.args)
            .map(|a| a.parameter.name.id.to_string())
            .collect();
        names.extend(p.kwonlyargs.iter().map(|a| a.parameter.name.id.to_string()));
        names.extend(p.vararg.iter().map(|a| a.name.id.to_string()));
        names.extend(p.kwarg.iter().map(|a| a.name.id.to_string()));
        for n in &names {
            self.bind(n);
        }
        self.sc().params = names;
    }

    fn target(&mut self, e: &Expr) {
        match e {
            Expr::Name(n) => self.bind(n.id.as_str()),
            Expr::Tuple(t) => t.elts.iter().for_each(|x| self.target(x)),
            Expr::List(t) => t.elts.iter().for_each(|x| self.target(x)),
            Expr::Starred(s) => self.target(&s.value),
            other => self.expr(other),
        }
    }

    fn expr(&mut self, e: &Expr) {
        match e {
            Expr::Name(n) => match n.ctx {
                ast::ExprContext::Load => {
                    self.use_(n.id.as_str());
                    if n.id.as_str() == "super" {
                        self.use_("__class__");
                    }
                }
                _ => self.bind(n.id.as_str()),
            },
            Expr::Lambda(l) => {
                if let Some(p) = &l.parameters {
                    self.defaults(p);
                }
                let prev = self.open(key(l), ScopeKind::Function);
                if let Some(p) = &l.parameters {
                    self.params(p);
                }
                self.expr(&l.body);
                self.cur = prev;
            }
            Expr::ListComp(c) => {
                self.comprehension(key(c), &c.generators, &[&c.elt], ScopeKind::Comprehension)
            }
            Expr::SetComp(c) => {
                self.comprehension(key(c), &c.generators, &[&c.elt], ScopeKind::Comprehension)
            }
            Expr::DictComp(c) => {
                let k = c.key.as_deref();
                let elts: Vec<&Expr> = k.into_iter().chain(std::iter::once(&*c.value)).collect();
                self.comprehension(key(c), &c.generators, &elts, ScopeKind::Comprehension)
            }
            Expr::Generator(g) => {
                self.comprehension(key(g), &g.generators, &[&g.elt], ScopeKind::Function)
            }
            Expr::Named(n) => {
                self.walrus_target(&n.target);
                self.expr(&n.value);
            }
            Expr::Yield(_) | Expr::YieldFrom(_) => {
                self.sc().is_generator = true;
                self.sub_exprs(e);
            }
            _ => self.sub_exprs(e),
        }
    }

    fn walrus_target(&mut self, t: &Expr) {
        let Expr::Name(n) = t else { return };
        let mut s = self.cur;
        while self.t.scopes[s].kind == Some(ScopeKind::Comprehension) {
            s = self.t.scopes[s].parent.unwrap_or(0);
        }
        self.t.scopes[s].bound.insert(n.id.to_string());
    }

    fn sub_exprs(&mut self, e: &Expr) {
        use ruff_python_ast::visitor::source_order::{SourceOrderVisitor, walk_expr};
        struct V<'b, 'c>(&'b mut Builder<'c>);
        impl<'a> SourceOrderVisitor<'a> for V<'_, '_> {
            fn visit_expr(&mut self, e: &'a Expr) {
                self.0.expr(e);
            }
        }
        walk_expr(&mut V(self), e);
    }

    fn comprehension(
        &mut self,
        node: usize,
        gens: &[ast::Comprehension],
        elts: &[&Expr],
        kind: ScopeKind,
    ) {
        self.expr(&gens[0].iter);
        let prev = self.open(node, kind);
        if kind == ScopeKind::Function {
            self.sc().params = vec![".0".to_owned()];
            self.bind(".0");
            self.sc().is_generator = true;
        }
        for (i, g) in gens.iter().enumerate() {
            if i > 0 {
                self.expr(&g.iter);
            }
            self.target(&g.target);
            g.ifs.iter().for_each(|c| self.expr(c));
        }
        elts.iter().for_each(|e| self.expr(e));
        self.cur = prev;
    }
}
