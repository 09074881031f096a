//! (L2) The instruction loop: one `match` over [`Op`], the evaluator's hot path. Budget: an
//! instruction that touches only the stack and locals allocates nothing and runs no
//! Python code; errors leave through `?` to [`vm::run`](crate::vm::run), which unwinds.

use crate::code::{Op, UnOp};
use crate::error::{PyErr, PyResult, err, type_error};
use crate::frame::{Block, BlockKind, Frame};
use crate::obj::{Kind, Obj, PyRef};
use crate::types::{dict_get_hashed, type_of};
use crate::vm::{self, Exit};
use crate::{attr, builtins, call, dictops, interp, ops, val};

/// Runs instructions until the frame returns or yields, or an exception is raised.
pub(crate) fn execute(f: &mut Frame, pc: &std::cell::Cell<usize>) -> PyResult<Exit> {
    let code = f.code.clone();
    loop {
        pc.set(f.pc);
        if crate::modules::lines::on() {
            crate::modules::lines::event(f)?;
        }
        let op = code.ops[f.pc];
        f.pc += 1;
        match op {
            Op::SetupAnnotations => setup_annotations(f)?,
            Op::LoadConst(i) => f.stack.push(code.consts[i as usize].clone()),
            Op::LoadFast(i) => match &f.fast[i as usize] {
                Some(v) => f.stack.push(v.clone()),
                None => return Err(unbound_local(&code.varnames[i as usize])),
            },
            Op::StoreFast(i) => {
                let v = f.pop();
                let old = f.fast[i as usize].replace(v);
                drop(old);
            }
            Op::DeleteFast(i) => match f.fast[i as usize].take() {
                Some(old) => drop(old),
                None => return Err(unbound_local(&code.varnames[i as usize])),
            },
            Op::LoadDeref(i) => {
                let v = cell_get(&f.cells[i as usize]);
                f.stack.push(v.ok_or_else(|| free_unbound(f, i))?);
            }
            Op::StoreDeref(i) => {
                let v = f.pop();
                let old = cell_set(&f.cells[i as usize], Some(v));
                drop(old);
            }
            Op::DeleteDeref(i) => {
                let old = cell_set(&f.cells[i as usize], None);
                if old.is_none() {
                    return Err(free_unbound(f, i));
                }
            }
            Op::ClearFast(i) => drop(f.fast[i as usize].take()),
            Op::LoadClosure(i) => f.stack.push(f.cells[i as usize].clone()),
            Op::LoadGlobal(i) => {
                let v = load_global(f, &code.names[i as usize])?;
                f.stack.push(v);
            }
            Op::StoreGlobal(i) => {
                let v = f.pop();
                store_in(
                    &PyRef::O(f.globals.clone()),
                    code.names[i as usize].clone(),
                    v,
                )?;
            }
            Op::DeleteGlobal(i) => {
                delete_in(&PyRef::O(f.globals.clone()), &code.names[i as usize])?
            }
            Op::LoadName(i) => {
                let v = load_name(f, &code.names[i as usize])?;
                f.stack.push(v);
            }
            Op::StoreName(i) => {
                let v = f.pop();
                let ns = f
                    .locals
                    .clone()
                    .unwrap_or_else(|| PyRef::O(f.globals.clone()));
                store_in(&ns, code.names[i as usize].clone(), v)?;
            }
            Op::DeleteName(i) => {
                let ns = f
                    .locals
                    .clone()
                    .unwrap_or_else(|| PyRef::O(f.globals.clone()));
                delete_in(&ns, &code.names[i as usize])?;
            }
            Op::LoadAttr(i) => {
                let obj = f.pop();
                f.stack.push(attr::getattr(&obj, &code.names[i as usize])?);
            }
            Op::StoreAttr(i) => {
                let obj = f.pop();
                let v = f.pop();
                attr::setattr(&obj, &code.names[i as usize], v)?;
            }
            Op::DeleteAttr(i) => {
                let obj = f.pop();
                attr::delattr(&obj, &code.names[i as usize])?;
            }
            Op::LoadMethod(i) => vm::load_method(f, &code.names[i as usize])?,
            Op::CallMethod(n) => {
                let r = vm::call_method(f, n as usize)?;
                f.stack.push(r);
            }
            Op::BinarySubscr => {
                let k = f.pop();
                let x = f.pop();
                f.stack.push(ops::getitem(&x, &k)?);
            }
            Op::StoreSubscr => {
                let k = f.pop();
                let x = f.pop();
                let v = f.pop();
                ops::setitem(&x, &k, v)?;
            }
            Op::DeleteSubscr => {
                let k = f.pop();
                let x = f.pop();
                ops::delitem(&x, &k)?;
            }
            Op::BuildSlice(n) => {
                let step = if n == 3 { f.pop() } else { val::none() };
                let stop = f.pop();
                let start = f.pop();
                f.stack
                    .push(Obj::new(Kind::Slice(Box::new([start, stop, step]))));
            }
            Op::Pop => drop(f.pop()),
            Op::Copy(n) => f.stack.push(f.peek(n as usize - 1).clone()),
            Op::Swap(n) => {
                let len = f.stack.len();
                f.stack.swap(len - 1, len - n as usize);
            }
            Op::Unary(UnOp::Not) => {
                let x = f.pop();
                f.stack.push(val::bool_(!ops::truthy(&x)?));
            }
            Op::Unary(u) => {
                let x = f.pop();
                f.stack.push(ops::unary(u, &x)?);
            }
            Op::Binary(b) => {
                let rhs = f.pop();
                let lhs = f.pop();
                f.stack.push(ops::binary(b, &lhs, &rhs)?);
            }
            Op::InPlace(b) => {
                let rhs = f.pop();
                let lhs = f.pop();
                f.stack.push(ops::inplace(b, &lhs, &rhs)?);
            }
            Op::Compare(c) => {
                let rhs = f.pop();
                let lhs = f.pop();
                f.stack.push(ops::compare(&lhs, &rhs, c)?);
            }
            Op::Is(neg) => {
                let rhs = f.pop();
                let lhs = f.pop();
                f.stack.push(val::bool_(lhs.is(&rhs) != neg));
            }
            Op::In(neg) => {
                let rhs = f.pop();
                let lhs = f.pop();
                f.stack.push(val::bool_(ops::contains(&rhs, &lhs)? != neg));
            }
            Op::Jump(t) => {
                if (t as usize) < f.pc {
                    interp::tick()?;
                }
                f.pc = t as usize;
            }
            Op::PopJumpIfFalse(t) => {
                let x = f.pop();
                if !truth(&x)? {
                    f.pc = t as usize;
                }
            }
            Op::PopJumpIfTrue(t) => {
                let x = f.pop();
                if truth(&x)? {
                    f.pc = t as usize;
                }
            }
            Op::JumpIfFalseOrPop(t) => {
                if !truth(f.peek(0))? {
                    f.pc = t as usize;
                } else {
                    drop(f.pop());
                }
            }
            Op::JumpIfTrueOrPop(t) => {
                if truth(f.peek(0))? {
                    f.pc = t as usize;
                } else {
                    drop(f.pop());
                }
            }
            Op::GetIter => {
                let x = f.pop();
                f.stack.push(ops::iter(&x)?);
            }
            Op::ForIter(t) => match ops::next(f.peek(0))? {
                Some(v) => f.stack.push(v),
                None => {
                    drop(f.pop());
                    f.pc = t as usize;
                }
            },
            Op::BuildTuple(n) => {
                let items = take(f, n);
                f.stack.push(val::tuple(items));
            }
            Op::BuildList(n) => {
                let items = take(f, n);
                f.stack.push(val::list(items));
            }
            Op::BuildSet(n) => {
                let items = take(f, n);
                f.stack.push(builtins::make_set(items, false)?);
            }
            Op::BuildConstSet(n) => {
                let items = take(f, n);
                f.stack.push(builtins::make_const_set(items)?);
            }
            Op::BuildMap(n) => {
                let items = take(f, 2 * n);
                f.stack.push(build_map(items)?);
            }
            Op::BuildString(n) => {
                let items = take(f, n);
                let s: String = items.iter().filter_map(PyRef::as_str).collect();
                f.stack.push(val::string(s));
            }
            Op::ListAppend(n) => {
                let v = f.pop();
                if let Some(l) = f.peek(n as usize - 1).as_list() {
                    l.borrow_mut().push(v);
                }
            }
            Op::SetAdd(n) => {
                let v = f.pop();
                builtins::set_add(f.peek(n as usize - 1), v)?;
            }
            Op::MapAdd(n) => {
                let v = f.pop();
                let k = f.pop();
                if let Some(d) = f.peek(n as usize - 1).as_dict() {
                    dictops::set(d, k, v)?;
                }
            }
            Op::ListExtend(n) => {
                let it = f.pop();
                let items = ops::collect(&it)?;
                if let Some(l) = f.peek(n as usize - 1).as_list() {
                    l.borrow_mut().extend(items);
                }
            }
            Op::SetUpdate(n) => {
                let it = f.pop();
                builtins::set_update(f.peek(n as usize - 1), &it)?;
            }
            Op::DictUpdate(n) | Op::DictMerge(n) => {
                let other = f.pop();
                dict_update(
                    f.peek(n as usize - 1),
                    &other,
                    matches!(op, Op::DictMerge(_)),
                )?;
            }
            Op::ListToTuple => {
                let l = f.pop();
                let items = l.as_list().map(|l| l.borrow().clone()).unwrap_or_default();
                f.stack.push(val::tuple(items));
            }
            Op::UnpackSequence(n) => unpack(f, n as usize, None)?,
            Op::UnpackEx(before, after) => unpack(f, before as usize, Some(after as usize))?,
            Op::FormatValue(conv, has_spec) => {
                let spec = if has_spec { Some(f.pop()) } else { None };
                let v = f.pop();
                f.stack
                    .push(builtins::format_value(&v, conv, spec.as_ref())?);
            }
            Op::Call(n) => {
                let base = f.stack.len() - n as usize - 1;
                let (callee, args) = f.stack[base..]
                    .split_first_mut()
                    .expect("the callable is on the stack");
                let r = call::call_move(callee, args, &[]);
                f.stack.truncate(base);
                f.stack.push(r?);
            }
            Op::CallKw(n) => {
                let r = vm::call_kw(f, n as usize)?;
                f.stack.push(r);
            }
            Op::CallEx(kw) => {
                let r = vm::call_ex(f, kw)?;
                f.stack.push(r);
            }
            Op::MakeFunction(flags) => {
                let func = interp::make_function(f, flags)?;
                f.stack.push(func);
            }
            Op::LoadBuildClass => f.stack.push(builtins::build_class_fn()),
            Op::Return => return Ok(Exit::Return(f.pop())),
            Op::YieldValue => return Ok(Exit::Yield(f.pop())),
            Op::GenStart => drop(f.pop()),
            Op::Send(t) => send(f, t)?,
            Op::SetupExcept(h) | Op::SetupFinally(h) | Op::SetupWith(h) => {
                f.blocks.push(Block {
                    kind: BlockKind::Setup,
                    handler: h,
                    depth: f.stack.len() as u32,
                });
            }
            Op::PopBlock => {
                f.blocks.pop();
            }
            Op::PopExcept => vm::pop_except(f),
            Op::Reraise => {
                let exc = f.pop();
                f.reraising = true;
                return Err(PyErr(exc));
            }
            Op::Raise(n) => return Err(raise(f, n)?),
            Op::CheckExcMatch => {
                let ty = f.pop();
                let m = builtins::exception_matches(f.peek(0), &ty)?;
                f.stack.push(val::bool_(m));
            }
            Op::BeforeWith => before_with(f)?,
            Op::ExitWith => {
                let exit = f.pop();
                let none = val::none();
                call::call(&exit, &[none.clone(), none.clone(), none], &[])?;
            }
            Op::WithExcept(t) => {
                let exc = f.peek(0).clone();
                let exit = f.peek(1).clone();
                let tb = exc
                    .exc()
                    .and_then(|s| s.traceback.borrow().clone())
                    .unwrap_or_else(val::none);
                let r = call::call(&exit, &[PyRef::O(type_of(&exc)), exc, tb], &[])?;
                if ops::truthy(&r)? {
                    f.pc = t as usize;
                }
            }
            Op::ImportName(i) => {
                let m = interp::import(&code.names[i as usize], &f.globals)?;
                f.stack.push(m);
            }
            Op::ImportFrom(i) => {
                let v = interp::import_from(f.peek(0), &code.names[i as usize])?;
                f.stack.push(v);
            }
            Op::ImportStar => {
                let m = f.pop();
                interp::import_star(&m, f)?;
            }
            Op::LoadAssertionError => f.stack.push(PyRef::O(
                crate::types::types().exc("AssertionError").clone(),
            )),
            Op::PrintExpr => {
                let v = f.pop();
                interp::print_expr(&v)?;
            }
        }
    }
}

/// Makes `__annotations__` in a module's or class's namespace on its first annotation.
fn setup_annotations(f: &Frame) -> PyResult<()> {
    let ns = f
        .locals
        .clone()
        .unwrap_or_else(|| PyRef::O(f.globals.clone()));
    let key = val::str_("__annotations__");
    match ns.as_dict() {
        Some(d) if !dictops::contains(d, &key)? => {
            dictops::set(d, key, val::dict(crate::dict::Dict::new()))
        }
        _ => Ok(()),
    }
}

#[inline]
fn truth(x: &PyRef) -> PyResult<bool> {
    match x.atom() {
        Some(crate::obj::Atom::Bool(b)) => Ok(*b),
        _ => ops::truthy(x),
    }
}

fn take(f: &mut Frame, n: u32) -> Vec<PyRef> {
    let at = f.stack.len() - n as usize;
    f.stack.split_off(at)
}

#[cold]
fn unbound_local(name: &str) -> PyErr {
    err(
        "UnboundLocalError",
        format!("cannot access local variable '{name}' where it is not associated with a value"),
    )
}

#[cold]
fn free_unbound(f: &Frame, i: u32) -> PyErr {
    let code = &f.code;
    let i = i as usize;
    match code.cellvars.get(i) {
        Some(name) => unbound_local(name),
        None => err(
            "NameError",
            format!(
                "cannot access free variable '{}' where it is not associated with a value in enclosing scope",
                code.freevars[i - code.cellvars.len()]
            ),
        ),
    }
}

fn cell_get(c: &PyRef) -> Option<PyRef> {
    match c.kind() {
        Some(Kind::Cell(v)) => v.borrow().clone(),
        _ => None,
    }
}

fn cell_set(c: &PyRef, v: Option<PyRef>) -> Option<PyRef> {
    match c.kind() {
        Some(Kind::Cell(cell)) => cell.replace(v),
        _ => None,
    }
}

fn load_global(f: &Frame, name: &PyRef) -> PyResult {
    let s = name.as_str().unwrap_or_default();
    if let Kind::Dict(d) = &f.globals.kind
        && let Some(v) = dict_get_hashed(&d.borrow(), s, crate::hash::name_hash(name))
    {
        return Ok(v);
    }
    builtins::lookup_builtin(s).ok_or_else(|| name_error(s))
}

#[cold]
fn name_error(name: &str) -> PyErr {
    err("NameError", format!("name '{name}' is not defined"))
}

fn load_name(f: &Frame, name: &PyRef) -> PyResult {
    if let Some(ns) = &f.locals
        && let Some(v) = ops::dict_lookup(ns, name)?
    {
        return Ok(v);
    }
    load_global(f, name)
}

fn store_in(ns: &PyRef, name: PyRef, v: PyRef) -> PyResult<()> {
    match ns.as_dict() {
        Some(d) => dictops::set(d, name, v),
        None => ops::setitem(ns, &name, v),
    }
}

fn delete_in(ns: &PyRef, name: &PyRef) -> PyResult<()> {
    let Some(d) = ns.as_dict() else {
        return ops::delitem(ns, name);
    };
    match dictops::remove(d, name)? {
        Some(entry) => {
            drop(entry);
            Ok(())
        }
        None => Err(name_error(name.as_str().unwrap_or_default())),
    }
}

fn build_map(items: Vec<PyRef>) -> PyResult {
    let d = std::cell::RefCell::new(crate::dict::Dict::new());
    let mut it = items.into_iter();
    while let (Some(k), Some(v)) = (it.next(), it.next()) {
        dictops::set(&d, k, v)?;
    }
    Ok(val::dict(d.into_inner()))
}

fn dict_update(target: &PyRef, other: &PyRef, merge: bool) -> PyResult<()> {
    let Some(d) = target.as_dict() else {
        return Ok(());
    };
    let pairs = match other.as_dict() {
        Some(o) => dictops::items(o),
        None => builtins::mapping_items(other)?,
    };
    for (k, v) in pairs {
        if merge && dictops::contains(d, &k)? {
            let k = ops::repr(&k)?;
            return Err(type_error(format!(
                "got multiple values for keyword argument {k}"
            )));
        }
        dictops::set(d, k, v)?;
    }
    Ok(())
}

fn unpack(f: &mut Frame, before: usize, after: Option<usize>) -> PyResult<()> {
    let seq = f.pop();
    if after.is_none() && unpack_exact(f, &seq, before) {
        return Ok(());
    }
    let items = builtins::unpack_items(&seq, before, after)?;
    f.stack.extend(items.into_iter().rev());
    Ok(())
}

/// `a, b = t` for a tuple or list of exactly the targets' length: the items go straight onto
/// the stack, with no vector in between (the common case; the rest, and every error, take
/// `unpack_items`). Cloning a reference runs no Python code, so the list stays borrowed.
#[inline]
fn unpack_exact(f: &mut Frame, seq: &PyRef, n: usize) -> bool {
    let push = |stack: &mut Vec<PyRef>, items: &[PyRef]| {
        items.len() == n && {
            stack.extend(items.iter().rev().cloned());
            true
        }
    };
    match seq.kind() {
        Some(Kind::Tuple(t)) => push(&mut f.stack, t),
        Some(Kind::List(l)) => push(&mut f.stack, &l.borrow()),
        _ => false,
    }
}

fn raise(f: &mut Frame, n: u8) -> PyResult<PyErr> {
    if n == 0 {
        let cur = vm::current_exception()
            .ok_or_else(|| err("RuntimeError", "No active exception to reraise"))?;
        f.reraising = true;
        return Ok(PyErr(cur));
    }
    let cause = if n == 2 { Some(f.pop()) } else { None };
    let exc = builtins::make_exception(&f.pop())?;
    if let Some(cause) = cause {
        builtins::set_cause(&exc, cause)?;
    }
    if let Some(st) = exc.exc() {
        let old = st.traceback.borrow_mut().take();
        drop(old);
    }
    vm::set_context(&exc);
    Ok(PyErr(exc))
}

fn before_with(f: &mut Frame) -> PyResult<()> {
    let mgr = f.pop();
    let ty = type_of(&mgr);
    let (Some(enter), Some(exit)) = (
        crate::types::lookup(&ty, "__enter__"),
        crate::types::lookup(&ty, "__exit__"),
    ) else {
        let tn = crate::types::type_name(&mgr);
        let missing = if crate::types::lookup(&ty, "__enter__").is_none() {
            ""
        } else {
            " (missed __exit__ method)"
        };
        return Err(type_error(format!(
            "'{tn}' object does not support the context manager protocol{missing}"
        )));
    };
    let exit = Obj::new(Kind::Method(exit, mgr.clone()));
    f.stack.push(exit);
    let r = call::call_bound(&enter, &mgr, &[])?;
    f.stack.push(r);
    Ok(())
}

/// `Send(target)`: one step of `yield from`.
fn send(f: &mut Frame, target: u32) -> PyResult<()> {
    let v = f.pop();
    let it = f.peek(0).clone();
    let r = match it.kind() {
        Some(Kind::Generator(_)) => match vm::gen_resume(&it, vm::Resume::Value(v))? {
            vm::GenStep::Yield(y) => Ok(Some(y)),
            vm::GenStep::Return(r) => Err(r),
        },
        _ if v.is_none() => match ops::next(&it)? {
            Some(y) => Ok(Some(y)),
            None => Err(val::none()),
        },
        _ => match attr::getattr(&it, &val::str_("send")).and_then(|m| call::call(&m, &[v], &[])) {
            Ok(y) => Ok(Some(y)),
            Err(e) if e.is("StopIteration") => Err(builtins::stop_value(&e)),
            Err(e) => return Err(e),
        },
    };
    match r {
        Ok(Some(y)) => f.stack.push(y),
        Ok(None) => {}
        Err(ret) => {
            drop(f.pop());
            f.stack.push(ret);
            f.pc = target as usize;
        }
    }
    Ok(())
}
