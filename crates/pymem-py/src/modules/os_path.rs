//! (L3) `os.path` for POSIX: the `posixpath` module (str paths only), its string
//! functions written as `Lib/posixpath.py` and `genericpath.py` write them.

use std::fs;

use crate::error::{PyResult, type_error};
use crate::obj::{BuiltinDef, PyRef};
use crate::types::type_name;
use crate::val;

use super::os::{cwd, os_error, path_arg};
use super::{Kw, add_functions, fns, new_module, no_kw, one_arg, set_attr};

/// The module's functions.
static FUNCTIONS: &[BuiltinDef] = fns![
    "join" => join, "split" => split, "basename" => basename, "dirname" => dirname,
    "splitext" => splitext, "normpath" => normpath, "abspath" => abspath, "isabs" => isabs,
    "exists" => exists, "isfile" => isfile, "isdir" => isdir, "getsize" => getsize,
    "expanduser" => expanduser,
];

/// Makes the `posixpath` module.
pub(crate) fn create() -> PyRef {
    let (module, d) = new_module("posixpath", "Common operations on Posix pathnames.");
    add_functions(&d, FUNCTIONS);
    for (name, v) in [
        ("sep", "/"),
        ("curdir", "."),
        ("pardir", ".."),
        ("extsep", "."),
        ("pathsep", ":"),
        ("devnull", "/dev/null"),
    ] {
        set_attr(&d, name, val::str_(v));
    }
    module
}

/// The str argument of a string function of `fname`.
fn str_arg<'a>(fname: &str, x: &'a PyRef) -> PyResult<&'a str> {
    x.as_str().ok_or_else(|| {
        type_error(format!(
            "{fname}() argument must be str, bytes, or os.PathLike object, not '{}'",
            type_name(x)
        ))
    })
}

/// The single str argument of `fname`.
fn one_str<'a>(fname: &str, args: &'a [PyRef], kw: Kw<'_>) -> PyResult<&'a str> {
    str_arg(fname, one_arg(fname, args, kw)?)
}

/// `posixpath.join(a, *p)`.
fn join(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    no_kw("join", kw)?;
    let Some((first, rest)) = args.split_first() else {
        return Err(type_error(
            "join() missing 1 required positional argument: 'a'",
        ));
    };
    let mut path = str_arg("join", first)?.to_owned();
    for b in rest {
        let b = str_arg("join", b)?;
        if b.starts_with('/') {
            path = b.to_owned();
        } else if path.is_empty() || path.ends_with('/') {
            path.push_str(b);
        } else {
            path.push('/');
            path.push_str(b);
        }
    }
    Ok(val::string(path))
}

/// `(head, tail)` of a path: the tail after the last `/`, the head without trailing
/// slashes unless it is all slashes.
fn split_str(p: &str) -> (&str, &str) {
    let i = p.rfind('/').map_or(0, |i| i + 1);
    let (head, tail) = p.split_at(i);
    if !head.is_empty() && head.bytes().any(|c| c != b'/') {
        return (head.trim_end_matches('/'), tail);
    }
    (head, tail)
}

/// `posixpath.split(p)`.
fn split(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let (head, tail) = split_str(one_str("split", args, kw)?);
    Ok(val::tuple(vec![val::str_(head), val::str_(tail)]))
}

/// `posixpath.basename(p)`.
fn basename(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    Ok(val::str_(split_str(one_str("basename", args, kw)?).1))
}

/// `posixpath.dirname(p)`.
fn dirname(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    Ok(val::str_(split_str(one_str("dirname", args, kw)?).0))
}

/// `genericpath._splitext`: the extension starts at the last dot of the last component,
/// unless that component is only dots before it.
fn splitext_str(p: &str) -> (&str, &str) {
    let sep = p.rfind('/').map_or(0, |i| i + 1);
    if let Some(dot) = p.rfind('.').filter(|&d| d >= sep)
        && p[sep..dot].bytes().any(|c| c != b'.')
    {
        return p.split_at(dot);
    }
    (p, "")
}

/// `posixpath.splitext(p)`.
fn splitext(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let (root, ext) = splitext_str(one_str("splitext", args, kw)?);
    Ok(val::tuple(vec![val::str_(root), val::str_(ext)]))
}

/// `posixpath.normpath`: `.` and empty components dropped, `..` folded where it can be.
fn normpath_str(path: &str) -> String {
    if path.is_empty() {
        return ".".to_owned();
    }
    let initial = match path {
        _ if path.starts_with("//") && !path.starts_with("///") => 2,
        _ if path.starts_with('/') => 1,
        _ => 0,
    };
    let mut comps: Vec<&str> = Vec::new();
    for comp in path.split('/') {
        if comp.is_empty() || comp == "." {
            continue;
        }
        if comp != ".." || (initial == 0 && comps.is_empty()) || comps.last() == Some(&"..") {
            comps.push(comp);
        } else {
            comps.pop();
        }
    }
    let out = "/".repeat(initial) + &comps.join("/");
    if out.is_empty() { ".".to_owned() } else { out }
}

/// `posixpath.normpath(path)`.
fn normpath(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    Ok(val::string(normpath_str(one_str("normpath", args, kw)?)))
}

/// `posixpath.abspath(path)`.
fn abspath(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let p = one_str("abspath", args, kw)?;
    let full = match p.starts_with('/') {
        true => p.to_owned(),
        false => format!("{}/{p}", cwd()?),
    };
    Ok(val::string(normpath_str(&full)))
}

/// `posixpath.isabs(s)`.
fn isabs(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    Ok(val::bool_(one_str("isabs", args, kw)?.starts_with('/')))
}

/// The metadata of the path argument (`os.stat`), or `None` when it cannot be read.
fn stat(args: &[PyRef], kw: Kw<'_>, fname: &str) -> PyResult<Option<fs::Metadata>> {
    let p = path_arg("stat", one_arg(fname, args, kw)?)?;
    Ok(fs::metadata(p).ok())
}

/// `os.path.exists(path)`.
fn exists(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    Ok(val::bool_(stat(args, kw, "exists")?.is_some()))
}

/// `os.path.isfile(path)`.
fn isfile(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    Ok(val::bool_(
        stat(args, kw, "isfile")?.is_some_and(|m| m.is_file()),
    ))
}

/// `os.path.isdir(s)`.
fn isdir(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    Ok(val::bool_(
        stat(args, kw, "isdir")?.is_some_and(|m| m.is_dir()),
    ))
}

/// `os.path.getsize(filename)`.
fn getsize(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let p = path_arg("stat", one_arg("getsize", args, kw)?)?;
    let m = fs::metadata(&p).map_err(|e| os_error(&e, &p))?;
    Ok(val::int(m.len() as i64))
}

/// `posixpath.expanduser(path)`: `~` and `~/...` from `$HOME`; `~user` is left as it is
/// (pymem does not read the password database).
fn expanduser(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let p = one_str("expanduser", args, kw)?;
    let end = p[1.min(p.len())..].find('/').map_or(p.len(), |i| i + 1);
    let home = super::os::env_get("HOME");
    match home {
        Some(home) if p.starts_with('~') && end == 1 => {
            let out = home.trim_end_matches('/').to_owned() + &p[end..];
            Ok(val::string(if out.is_empty() {
                "/".to_owned()
            } else {
                out
            }))
        }
        _ => Ok(val::str_(p)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_strings_as_posixpath() {
        assert_eq!(split_str("/a/b//c"), ("/a/b", "c"));
        assert_eq!(split_str("//x"), ("//", "x"));
        assert_eq!(splitext_str("a/.bashrc"), ("a/.bashrc", ""));
        assert_eq!(splitext_str("a.b/c.tar.gz"), ("a.b/c.tar", ".gz"));
        assert_eq!(normpath_str("/../a/./b/../c//"), "/a/c");
        assert_eq!(normpath_str("../x/.."), "..");
    }
}
