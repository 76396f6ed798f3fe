//! One trial against time: the inputs the network received, and its outputs beside the targets,
//! with the epochs shaded and the steps the cost mask ignores hatched grey.

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use crate::analysis::TrialView;
use crate::plots::{DrawResult, FONT, Key, LEGEND_WIDTH, LegendKey, side_legend};

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
    let colour = if view.correct { GOOD } else { BAD };
    let area = area.titled(title, (FONT, 20))?;
    let (top, rest) = area.split_vertically(28);
    let bold = (FONT, 18).into_font().style(FontStyle::Bold);
    top.draw(&Text::new(
        verdict(view),
        (64, 4),
        TextStyle::from(bold).color(&colour),
    ))?;
    let rows = rest.split_evenly((3, 1));
    let end = view.inputs.len() as f64 * view.dt_ms;

    // Inputs: the fixation cue and both modalities.
    let mut chart = row(&rows[0], view, end, -1.3..1.6, "input", false)?;
    let series: [(&str, usize, RGBColor); 5] = [
        ("fixation cue", 0, RGBColor(0, 0, 0)),
        ("mod. 1 sin", 1, RGBColor(36, 86, 199)),
        ("mod. 1 cos", 2, RGBColor(120, 160, 240)),
        ("mod. 2 sin", 3, RGBColor(200, 90, 20)),
        ("mod. 2 cos", 4, RGBColor(240, 170, 110)),
    ];
    let mut keys = Vec::new();
    for (name, c, colour) in series {
        let points = times(view).zip(view.inputs.iter().map(move |v| f64::from(v[c])));
        chart.draw_series(LineSeries::new(points, colour.stroke_width(1)))?;
        keys.push((name.to_string(), colour, Key::Solid));
    }
    side_legend(&rows[0], 12, &keys)?;

    // Fixation output against its target.
    let mut chart = row(&rows[1], view, end, -0.2..1.1, "fixation", false)?;
    let keys = output_pair(&mut chart, view, 0, RGBColor(0, 0, 0), "fixation")?;
    side_legend(&rows[1], 12, &keys)?;

    // Response outputs against their targets.
    let mut chart = row(&rows[2], view, end, -1.3..1.3, "response", true)?;
    let mut keys = output_pair(&mut chart, view, 1, RGBColor(36, 86, 199), "sin")?;
    keys.extend(output_pair(
        &mut chart,
        view,
        2,
        RGBColor(200, 90, 20),
        "cos",
    )?);
    keys.push(("not scored".into(), UNSCORED, Key::Pale));
    side_legend(&rows[2], 12, &keys)?;
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
        .margin_right(LEGEND_WIDTH)
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
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_labels(3)
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 15))
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

/// Output channel `c` (solid) and its target (dashed) in one colour; returns their keys.
fn output_pair<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    view: &TrialView,
    c: usize,
    colour: RGBColor,
    name: &str,
) -> Result<Vec<LegendKey>, DrawingAreaErrorKind<DB::ErrorType>> {
    let value = |v: &[f32; 3]| f64::from(v[c]);
    let target: Vec<(f64, f64)> = times(view).zip(view.targets.iter().map(value)).collect();
    let style = colour.mix(0.8).stroke_width(2);
    chart.draw_series(DashedLineSeries::new(target, 6, 4, style))?;
    let output: Vec<(f64, f64)> = times(view).zip(view.outputs.iter().map(value)).collect();
    chart.draw_series(LineSeries::new(output, colour.stroke_width(2)))?;
    Ok(vec![
        (format!("{name} target"), colour, Key::Dashed),
        (format!("{name} output"), colour, Key::Solid),
    ])
}
