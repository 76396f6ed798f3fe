//! One trial against time: the inputs the network received, and its outputs beside the targets,
//! with the epochs shaded and the steps the cost mask ignores hatched grey.

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use crate::analysis::TrialView;
use crate::plots::{DrawResult, FONT};

type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Light fills of the epochs, in turn.
const EPOCH_FILLS: [RGBColor; 2] = [RGBColor(238, 242, 250), RGBColor(252, 246, 232)];
/// Colour of the steps the cost mask does not score.
const UNSCORED: RGBColor = RGBColor(150, 150, 150);
const GOOD: RGBColor = RGBColor(20, 120, 50);
const BAD: RGBColor = RGBColor(190, 30, 30);

/// Draws the trial `view` under the heading `title` (which names the trial).
pub fn draw_trial<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &TrialView,
    title: &str,
) -> DrawResult<DB> {
    area.fill(&WHITE)?;
    let verdict = verdict(view);
    let colour = if view.correct { GOOD } else { BAD };
    let area = area.titled(title, (FONT, 20))?;
    let (top, rest) = area.split_vertically(28);
    top.draw(&Text::new(
        verdict,
        (60, 4),
        TextStyle::from((FONT, 18).into_font().style(FontStyle::Bold)).color(&colour),
    ))?;
    let rows = rest.split_evenly((3, 1));
    let end = view.inputs.len() as f64 * view.dt_ms;

    // Inputs: the fixation cue and both modalities.
    let mut chart = row(&rows[0], view, end, -1.2..1.2, "input", false)?;
    let series: [(&str, usize, RGBColor); 5] = [
        ("fixation cue", 0, RGBColor(0, 0, 0)),
        ("mod. 1 sin", 1, RGBColor(36, 86, 199)),
        ("mod. 1 cos", 2, RGBColor(120, 160, 240)),
        ("mod. 2 sin", 3, RGBColor(200, 90, 20)),
        ("mod. 2 cos", 4, RGBColor(240, 170, 110)),
    ];
    for (name, c, colour) in series {
        let points = times(view).zip(view.inputs.iter().map(move |v| f64::from(v[c])));
        line(&mut chart, points.collect(), colour, 1, name)?;
    }
    legend(&mut chart)?;

    // Fixation output against its target.
    let mut chart = row(&rows[1], view, end, -0.2..1.1, "fixation", false)?;
    output_pair(&mut chart, view, 0, RGBColor(0, 0, 0), "fixation")?;
    legend(&mut chart)?;

    // Response outputs against their targets.
    let mut chart = row(&rows[2], view, end, -1.3..1.3, "response", true)?;
    output_pair(&mut chart, view, 1, RGBColor(36, 86, 199), "sin")?;
    output_pair(&mut chart, view, 2, RGBColor(200, 90, 20), "cos")?;
    chart
        .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())?
        .label("not scored (cost mask 0)")
        .legend(|(x, y)| {
            Rectangle::new([(x, y - 5), (x + 16, y + 5)], UNSCORED.mix(0.35).filled())
        });
    legend(&mut chart)?;
    area.present()
}

/// "correct" or "wrong", with the answer against the wanted direction.
fn verdict(view: &TrialView) -> String {
    let wanted = view.response.to_degrees();
    match view.answer {
        Some(answer) if view.correct => {
            format!(
                "correct: answered {:.0}°, wanted {wanted:.0}°",
                answer.to_degrees()
            )
        }
        Some(answer) => format!(
            "wrong: answered {:.0}°, wanted {wanted:.0}°",
            answer.to_degrees()
        ),
        None => format!("wrong: still fixating at the end, wanted {wanted:.0}°"),
    }
}

/// The time (ms) of each step's value.
fn times(view: &TrialView) -> impl Iterator<Item = f64> + '_ {
    (0..view.inputs.len()).map(|t| (t + 1) as f64 * view.dt_ms)
}

/// One row: its axes, the shaded epochs (named in the first row) and the unscored steps.
fn row<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    view: &TrialView,
    end: f64,
    y: std::ops::Range<f64>,
    y_name: &str,
    last: bool,
) -> Result<Chart<'a, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
    let mut chart = ChartBuilder::on(area)
        .margin_left(8)
        .margin_right(180)
        .x_label_area_size(if last { 40 } else { 18 })
        .y_label_area_size(56)
        .build_cartesian_2d(0.0..end, y.clone())?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .disable_y_mesh()
        .x_desc(if last { "time (ms)" } else { "" })
        .y_desc(format!("{y_name} (a.u.)"))
        .x_labels(10)
        .y_labels(3)
        .label_style((FONT, 13))
        .axis_desc_style((FONT, 14))
        .draw()?;
    let dt = view.dt_ms;
    for (k, epoch) in view.epochs.iter().enumerate() {
        let (a, b) = (epoch.start as f64 * dt, epoch.end as f64 * dt);
        let fill = EPOCH_FILLS[k % 2].filled();
        chart.draw_series(std::iter::once(Rectangle::new(
            [(a, y.start), (b, y.end)],
            fill,
        )))?;
        if y_name == "input" {
            let style = TextStyle::from((FONT, 13)).color(&RGBColor(60, 60, 60));
            chart.draw_series(std::iter::once(Text::new(
                epoch.name.clone(),
                (a + dt, y.end - 0.05),
                style,
            )))?;
        }
    }
    for (t, &m) in view.mask.iter().enumerate() {
        if m == 0.0 {
            let (a, b) = (t as f64 * dt, (t + 1) as f64 * dt);
            let fill = UNSCORED.mix(0.35).filled();
            chart.draw_series(std::iter::once(Rectangle::new(
                [(a, y.start), (b, y.start + 0.12 * (y.end - y.start))],
                fill,
            )))?;
        }
    }
    Ok(chart)
}

/// Output channel `c` (solid) and its target (dashed) in one colour.
fn output_pair<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    view: &TrialView,
    c: usize,
    colour: RGBColor,
    name: &str,
) -> DrawResult<DB> {
    let target: Vec<(f64, f64)> = times(view)
        .zip(view.targets.iter().map(|v| f64::from(v[c])))
        .collect();
    chart
        .draw_series(DashedLineSeries::new(
            target,
            6,
            4,
            colour.mix(0.7).stroke_width(2),
        ))?
        .label(format!("{name} target"))
        .legend(move |(x, y)| {
            PathElement::new(
                vec![(x, y), (x + 6, y), (x + 10, y), (x + 16, y)],
                colour.mix(0.5).stroke_width(2),
            )
        });
    let output: Vec<(f64, f64)> = times(view)
        .zip(view.outputs.iter().map(|v| f64::from(v[c])))
        .collect();
    line(chart, output, colour, 2, &format!("{name} output"))
}

/// A labelled line.
fn line<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    points: Vec<(f64, f64)>,
    colour: RGBColor,
    width: u32,
    name: &str,
) -> DrawResult<DB> {
    chart
        .draw_series(LineSeries::new(points, colour.stroke_width(width)))?
        .label(name)
        .legend(move |(x, y)| {
            PathElement::new(vec![(x, y), (x + 16, y)], colour.stroke_width(width))
        });
    Ok(())
}

/// The row's legend, outside the plot on the right.
fn legend<'a, DB: DrawingBackend + 'a>(chart: &mut Chart<'a, DB>) -> DrawResult<DB> {
    let (width, _) = chart.plotting_area().dim_in_pixel();
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::Coordinate(width as i32 + 8, 0))
        .label_font((FONT, 13))
        .margin(2)
        .legend_area_size(22)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.2))
        .draw()?;
    Ok(())
}
