//! Readable type names: `Node` for `my_app::graph::Node`, as objgraph's short names.

/// The type name without module paths, generic arguments kept and shortened too:
/// `core::cell::RefCell<alloc::vec::Vec<my::Node>>` becomes `RefCell<Vec<Node>>`.
///
/// ```
/// assert_eq!(pymem_tools::names::short_name("my_app::graph::Node"), "Node");
/// assert_eq!(
///     pymem_tools::names::short_name("core::cell::RefCell<alloc::vec::Vec<my::Node>>"),
///     "RefCell<Vec<Node>>"
/// );
/// ```
pub fn short_name(long: &str) -> String {
    let mut out = String::with_capacity(long.len());
    let mut segment_start = 0;
    for (i, c) in long.char_indices() {
        if c.is_alphanumeric() || c == '_' || c == ':' {
            continue;
        }
        out.push_str(last_segment(&long[segment_start..i]));
        out.push(c);
        segment_start = i + c.len_utf8();
    }
    out.push_str(last_segment(&long[segment_start..]));
    out
}

fn last_segment(path: &str) -> &str {
    path.rsplit("::").next().unwrap_or(path)
}

/// Whether `typename` names `long`: a name with `::` must equal the full path, one without
/// the short name (objgraph's rule for names with and without a module).
pub(crate) fn matches(typename: &str, long: &str) -> bool {
    if typename.contains("::") {
        typename == long
    } else {
        typename == short_name(long)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortens_every_path_in_a_generic_type() {
        assert_eq!(short_name("i64"), "i64");
        assert_eq!(short_name("(a::B, [c::D; 3])"), "(B, [D; 3])");
        assert_eq!(short_name("&dyn a::b::T"), "&dyn T");
    }

    #[test]
    fn matches_long_names_only_with_a_path() {
        assert!(matches("Node", "app::Node"));
        assert!(matches("app::Node", "app::Node"));
        assert!(!matches("other::Node", "app::Node"));
    }
}
