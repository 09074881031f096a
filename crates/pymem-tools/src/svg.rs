//! DOT to SVG in pure Rust (layout-rs), so that object graphs render where Graphviz is not
//! installed.

use std::panic::{AssertUnwindSafe, catch_unwind};

use layout::backends::svg::SVGWriter;
use layout::gv::parser::ast;
use layout::gv::{DotParser, GraphBuilder};

/// Why a DOT text could not be rendered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RenderError {
    /// The text is not DOT that layout-rs parses; the parser's message.
    Parse(String),
    /// layout-rs failed while laying the graph out (it panicked; the panic is caught).
    Layout(String),
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RenderError::Parse(message) => write!(f, "cannot parse DOT: {message}"),
            RenderError::Layout(message) => write!(f, "cannot lay out the graph: {message}"),
        }
    }
}

impl std::error::Error for RenderError {}

/// Renders a Graphviz DOT text as an SVG document. HSV colours (`"0,0,0.65"`, which objgraph
/// and [`crate::dot`] write and layout-rs does not read) are converted to RGB first. Subgraphs
/// and HTML labels are beyond layout-rs.
///
/// ```
/// let svg = pymem_tools::render_svg("digraph { a -> b [label=\"next\"]; }").unwrap();
/// assert!(svg.contains("<svg"));
/// ```
pub fn render_svg(dot: &str) -> Result<String, RenderError> {
    let mut parser = DotParser::new(dot);
    let mut graph = parser.process().map_err(RenderError::Parse)?;
    rgb_colours(&mut graph.list);
    catch_unwind(AssertUnwindSafe(|| layout(&graph))).map_err(|panic| {
        let message = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()));
        RenderError::Layout(message.unwrap_or_else(|| "layout-rs panicked".to_string()))
    })
}

fn layout(graph: &ast::Graph) -> String {
    let mut builder = GraphBuilder::new();
    builder.visit_graph(graph);
    let mut visual = builder.get();
    let mut svg = SVGWriter::new();
    visual.do_it(false, false, false, &mut svg);
    svg.finalize()
}

/// Rewrites every `"h,s,v"` colour attribute in place as `#rrggbb`.
fn rgb_colours(list: &mut ast::StmtList) {
    for stmt in &mut list.list {
        let attributes = match stmt {
            ast::Stmt::Edge(edge) => &mut edge.list,
            ast::Stmt::Node(node) => &mut node.list,
            ast::Stmt::Attribute(attr) => &mut attr.list,
            ast::Stmt::SubGraph(graph) => {
                rgb_colours(&mut graph.list);
                continue;
            }
        };
        for (name, value) in &mut attributes.list {
            if name.ends_with("color")
                && let Some(rgb) = hsv_to_rgb(value)
            {
                *value = rgb;
            }
        }
    }
}

/// Graphviz's `"h,s,v"` (each in 0..=1, commas or spaces) as `#rrggbb`.
fn hsv_to_rgb(text: &str) -> Option<String> {
    let parts: Vec<f64> = text
        .split([',', ' '])
        .filter(|p| !p.is_empty())
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    let [h, s, v] = parts[..] else { return None };
    let sector = (h.clamp(0.0, 1.0) * 6.0).min(5.999_999);
    let f = sector.fract();
    let (p, q, t) = (v * (1.0 - s), v * (1.0 - s * f), v * (1.0 - s * (1.0 - f)));
    let (r, g, b) = match sector as u8 {
        0 => (v, t, p),
        1 => (q, v, p),
        2 => (p, v, t),
        3 => (p, q, v),
        4 => (t, p, v),
        _ => (v, p, q),
    };
    let byte = |x: f64| (x.clamp(0.0, 1.0) * 255.0).round_ties_even() as u8;
    Some(format!("#{:02x}{:02x}{:02x}", byte(r), byte(g), byte(b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hsv_converts_like_pythons_colorsys() {
        // Python: colorsys.hsv_to_rgb, each channel round(x * 255) (ties to even).
        assert_eq!(hsv_to_rgb("0,0,1").as_deref(), Some("#ffffff"));
        assert_eq!(hsv_to_rgb("0,0,0.3").as_deref(), Some("#4c4c4c"));
        assert_eq!(hsv_to_rgb("0.3,1,0.3").as_deref(), Some("#0f4c00"));
        assert_eq!(hsv_to_rgb("0.6,0.6,0.5").as_deref(), Some("#335280"));
        assert_eq!(hsv_to_rgb("red"), None);
    }
}
