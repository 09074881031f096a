//! `mprof plot`: a recording's memory over time as an SVG or PNG chart, with every
//! collection marked on the time axis and the peak as a dashed line.
//!
//! Text is laid out (and, in a PNG, drawn) with DejaVu Sans Mono, embedded in the binary
//! (`assets/DejaVuSansMono.ttf`, Bitstream Vera licence), so no system font is needed.

use std::sync::Once;
use std::time::SystemTime;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};

use crate::mprof::unix_seconds;
use crate::rss::mib;
use crate::sampler::Recording;

static FONT: &[u8] = include_bytes!("../assets/DejaVuSansMono.ttf");
const FAMILY: &str = "sans-serif";
/// Colours of the collection marks for generations 0, 1, 2.
const GEN_COLOURS: [RGBColor; 3] = [
    RGBColor(46, 160, 44),
    RGBColor(255, 127, 14),
    RGBColor(148, 103, 189),
];

/// A plotting error (plotters' message).
#[derive(Debug)]
pub struct PlotError(pub String);

impl std::fmt::Display for PlotError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "plot: {}", self.0)
    }
}

impl std::error::Error for PlotError {}

fn err(e: impl std::fmt::Display) -> PlotError {
    PlotError(e.to_string())
}

/// The chart as SVG text, `size` pixels.
pub fn svg(recording: &Recording, title: &str, size: (u32, u32)) -> Result<String, PlotError> {
    let mut out = String::new();
    draw(
        SVGBackend::with_string(&mut out, size).into_drawing_area(),
        recording,
        title,
    )?;
    Ok(out)
}

/// The chart as PNG bytes, `size` pixels.
pub fn png(recording: &Recording, title: &str, size: (u32, u32)) -> Result<Vec<u8>, PlotError> {
    let mut rgb = vec![0; size.0 as usize * size.1 as usize * 3];
    draw(
        BitMapBackend::with_buffer(&mut rgb, size).into_drawing_area(),
        recording,
        title,
    )?;
    encode_png(&rgb, size)
}

fn encode_png(rgb: &[u8], (width, height): (u32, u32)) -> Result<Vec<u8>, PlotError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(err)?;
    writer.write_image_data(rgb).map_err(err)?;
    writer.finish().map_err(err)?;
    Ok(out)
}

/// Seconds since the first sample, and MiB, of each sample.
fn series(
    recording: &Recording,
    t0: SystemTime,
    f: impl Fn(&crate::sampler::Sample) -> u64,
) -> Vec<(f64, f64)> {
    let t = |at| unix_seconds(at) - unix_seconds(t0);
    recording
        .samples
        .iter()
        .map(|s| (t(s.at), mib(f(s))))
        .collect()
}

/// Registers the embedded font, which both backends lay text out with.
fn register_embedded_font() {
    static REGISTER: Once = Once::new();
    REGISTER.call_once(|| {
        let registered = register_font(FAMILY, FontStyle::Normal, FONT);
        registered.unwrap_or_else(|_| panic!("the embedded font parses"));
    });
}

fn draw<DB: DrawingBackend>(
    area: DrawingArea<DB, Shift>,
    recording: &Recording,
    title: &str,
) -> Result<(), PlotError> {
    register_embedded_font();
    area.fill(&WHITE).map_err(err)?;
    let t0 = recording
        .samples
        .first()
        .map_or(SystemTime::UNIX_EPOCH, |s| s.at);
    let rss = series(recording, t0, |s| s.rss);
    let heap = series(recording, t0, |s| s.heap_bytes);
    let t_end = rss.last().map_or(1.0, |p| p.0).max(1e-3);
    let peak = rss.iter().chain(&heap).map(|p| p.1).fold(0.0, f64::max);
    let mut chart = ChartBuilder::on(&area)
        .caption(title, (FAMILY, 20))
        .margin(10)
        .x_label_area_size(35)
        .y_label_area_size(60)
        .build_cartesian_2d(0.0..t_end, 0.0..(peak * 1.1).max(1.0))
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc("time (in seconds)")
        .y_desc("memory used (in MiB)")
        .label_style((FAMILY, 12))
        .draw()
        .map_err(err)?;
    chart
        .draw_series(LineSeries::new(rss, &BLACK))
        .map_err(err)?
        .label("RSS")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], BLACK));
    chart
        .draw_series(LineSeries::new(heap, &BLUE))
        .map_err(err)?
        .label("pymem heap")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], BLUE));
    let peak_line = DashedLineSeries::new([(0.0, peak), (t_end, peak)], 6, 4, RED.into());
    chart.draw_series(peak_line).map_err(err)?;
    let marks = recording.collections.iter().map(|c| {
        let x = unix_seconds(c.at) - unix_seconds(t0);
        PathElement::new(
            [(x, 0.0), (x, peak * 0.05)],
            GEN_COLOURS[c.generation.min(2)].stroke_width(1),
        )
    });
    chart
        .draw_series(marks)
        .map_err(err)?
        .label("collections")
        .legend(|(x, y)| PathElement::new([(x + 10, y - 5), (x + 10, y + 5)], GEN_COLOURS[0]));
    chart
        .configure_series_labels()
        .label_font((FAMILY, 12))
        .background_style(WHITE)
        .border_style(BLACK)
        .draw()
        .map_err(err)?;
    area.present().map_err(err)
}
