//! `mprof plot`: a recording's memory over time as an SVG or PNG chart, with every
//! collection marked on the time axis and the peak as a dashed line.
//!
//! Text is laid out (and, in a PNG, drawn) with DejaVu Sans Mono, embedded in the binary
//! (`assets/DejaVuSansMono.ttf`, Bitstream Vera licence), so no system font is needed.

use std::sync::Once;
use std::time::SystemTime;

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};

use crate::mprof::unix_seconds;
use crate::rss::mib;
use crate::sampler::{FuncSpan, Recording};

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

/// The figures a chart is drawn from: time from the first sample (s) and MiB.
struct Data {
    rss: Vec<(f64, f64)>,
    heap: Vec<(f64, f64)>,
    /// Collections: time and generation.
    collections: Vec<(f64, usize)>,
    /// Profiled functions (mprof's `FUNC`): name, start and end time, memory at exit.
    funcs: Vec<(String, f64, f64, f64)>,
    t_end: f64,
    peak: f64,
}

impl Data {
    fn new(recording: &Recording) -> Data {
        let t0 = recording
            .samples
            .first()
            .map_or(SystemTime::UNIX_EPOCH, |s| s.at);
        let rss = series(recording, t0, |s| s.rss);
        let heap = series(recording, t0, |s| s.heap_bytes);
        let since = |at| unix_seconds(at) - unix_seconds(t0);
        let collections = recording
            .collections
            .iter()
            .map(|c| (since(c.at), c.generation.min(2)))
            .collect();
        let span = |f: &FuncSpan| (f.name.clone(), since(f.start.1), since(f.end.1), f.end.0);
        let funcs = recording.funcs.iter().map(span).collect();
        let t_end = rss.last().map_or(1.0, |p| p.0).max(1e-3);
        let peak = rss.iter().chain(&heap).map(|p| p.1).fold(0.0, f64::max);
        Data {
            rss,
            heap,
            collections,
            funcs,
            t_end,
            peak,
        }
    }
}

type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

fn draw<DB: DrawingBackend>(
    area: DrawingArea<DB, Shift>,
    recording: &Recording,
    title: &str,
) -> Result<(), PlotError> {
    register_embedded_font();
    area.fill(&WHITE).map_err(err)?;
    let data = Data::new(recording);
    let mut chart = ChartBuilder::on(&area)
        .caption(title, (FAMILY, 20))
        .margin(10)
        .x_label_area_size(35)
        .y_label_area_size(60)
        .build_cartesian_2d(0.0..data.t_end, 0.0..(data.peak * 1.1).max(1.0))
        .map_err(err)?;
    axes(&mut chart)?;
    lines(&mut chart, &data)?;
    marks(&mut chart, &data)?;
    brackets(&mut chart, &data)?;
    legend(&mut chart)?;
    area.present().map_err(err)
}

fn axes<DB: DrawingBackend>(chart: &mut Chart<'_, DB>) -> Result<(), PlotError> {
    let mut mesh = chart.configure_mesh();
    mesh.x_desc("time (in seconds)")
        .y_desc("memory used (in MiB)");
    mesh.label_style((FAMILY, 12)).draw().map_err(err)
}

fn line_legend(colour: RGBColor) -> impl Fn((i32, i32)) -> PathElement<(i32, i32)> {
    move |(x, y)| PathElement::new([(x, y), (x + 20, y)], colour.stroke_width(2))
}

/// RSS, the heap, and the peak as mprof's dashed red line.
fn lines<DB: DrawingBackend>(chart: &mut Chart<'_, DB>, data: &Data) -> Result<(), PlotError> {
    for (points, colour, label) in [(&data.rss, BLACK, "RSS"), (&data.heap, BLUE, "pymem heap")] {
        let series = LineSeries::new(points.iter().copied(), colour.stroke_width(1));
        chart
            .draw_series(series)
            .map_err(err)?
            .label(label)
            .legend(line_legend(colour));
    }
    let peak = [(0.0, data.peak), (data.t_end, data.peak)];
    chart
        .draw_series(DashedLineSeries::new(peak, 6, 4, RED.into()))
        .map_err(err)?;
    Ok(())
}

/// A tick on the time axis per collection, coloured by generation.
fn marks<DB: DrawingBackend>(chart: &mut Chart<'_, DB>, data: &Data) -> Result<(), PlotError> {
    let height = data.peak.max(1.0) * 0.05;
    let tick = |&(x, g): &(f64, usize)| {
        PathElement::new([(x, 0.0), (x, height)], GEN_COLOURS[g].stroke_width(1))
    };
    let series = chart
        .draw_series(data.collections.iter().map(tick))
        .map_err(err)?;
    series
        .label("collections")
        .legend(|(x, y)| PathElement::new([(x + 10, y - 5), (x + 10, y + 5)], GEN_COLOURS[0]));
    Ok(())
}

/// A bracket over each profiled function's run, at its memory on exit (`mprof plot`'s).
fn brackets<DB: DrawingBackend>(chart: &mut Chart<'_, DB>, data: &Data) -> Result<(), PlotError> {
    let colour = RGBColor(31, 119, 180);
    for (name, t0, t1, mem) in &data.funcs {
        let drop = data.peak.max(1.0) * 0.02;
        let path = [
            (*t0, mem - drop),
            (*t0, *mem),
            (*t1, *mem),
            (*t1, mem - drop),
        ];
        chart
            .draw_series([PathElement::new(path, colour.stroke_width(2))])
            .map_err(err)?;
        let label = Text::new(
            name.clone(),
            (*t0, mem + drop),
            (FAMILY, 11).into_font().color(&colour),
        );
        chart.draw_series([label]).map_err(err)?;
    }
    Ok(())
}

fn legend<'a, DB: DrawingBackend + 'a>(chart: &mut Chart<'a, DB>) -> Result<(), PlotError> {
    let mut labels = chart.configure_series_labels();
    labels
        .label_font((FAMILY, 12))
        .background_style(WHITE)
        .border_style(BLACK);
    labels.draw().map_err(err)
}
