//! (L3) `_pymem.render_svg(dot)`: a DOT text drawn as SVG by pymem-tools (layout-rs, no
//! Graphviz needed), for objgraph's `show_refs`/`show_backrefs(filename="x.svg")`.

use crate::error::{PyResult, type_error, value_error};
use crate::obj::{BuiltinDef, PyRef};
use crate::val;

use super::{Kw, fns, one_arg};

/// The functions this file adds to `_pymem`.
pub(crate) static FUNCTIONS: &[BuiltinDef] = fns![
    "render_svg" => render_svg,
];

/// `_pymem.render_svg(dot)`: the SVG document; ValueError if the DOT cannot be drawn.
fn render_svg(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let dot = one_arg("render_svg", args, kw)?;
    let Some(text) = dot.as_str() else {
        return Err(type_error("render_svg() argument must be str"));
    };
    match pymem_tools::render_svg(text) {
        Ok(svg) => Ok(val::string(svg)),
        Err(e) => Err(value_error(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    /// What `source` prints, run on a fresh interpreter with its output captured.
    fn output_of(source: &str) -> String {
        let mut py = crate::Interpreter::new();
        py.set_output_captured(true);
        let _ = py.run_source(source, "<test>");
        py.take_output()
    }

    /// objgraph 3.7's lines (CPython's objgraph prints the same for this graph: 2 nodes); the
    /// SVG draws the object and the list holding it.
    #[test]
    fn show_backrefs_writes_an_svg() {
        let dir = std::env::temp_dir().join(format!("pymem-render-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let svg = dir.join("x.svg");
        let src = format!(
            "import objgraph\nclass Node: pass\nroot = [Node()]\n\
             objgraph.show_backrefs(root[0], max_depth=1, filename={:?})\n",
            svg.display().to_string()
        );
        let out = output_of(&src);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 2, "{out}");
        assert!(
            lines[0].starts_with("Graph written to /tmp/objgraph-"),
            "{out}"
        );
        assert!(lines[0].ends_with(".dot (2 nodes)"), "{out}");
        assert_eq!(lines[1], format!("Image generated as {}", svg.display()));
        let text = std::fs::read_to_string(&svg).unwrap();
        assert!(text.contains("<svg"), "{text}");
        assert!(text.contains("Node") && text.contains("list"), "{text}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
