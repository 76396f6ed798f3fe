//! One trial against time: the inputs the network received, and its outputs beside the targets,
//! with the epochs shaded and the steps the cost mask ignores hatched grey.

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use crate::analysis::TrialView;
use crate::plots::{
    DrawError, DrawResult, FONT, Key, LEGEND_WIDTH, LegendKey, PlotSpot, side_legend,
};

type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Light fills of the epochs, in turn.
const EPOCH_FILLS: [RGBColor; 2] = [RGBColor(238, 242, 250), RGBColor(252, 246, 232)];
/// Colour of the steps the cost mask does not score.
const UNSCORED: RGBColor = RGBColor(150, 150, 150);
const GOOD: RGBColor = RGBColor(20, 120, 50);
const BAD: RGBColor = RGBColor(190, 30, 30);

/// Where the data of a trial view goes: the verdict's position and the three rows' spots.
#[derive(Clone)]
pub struct TrialSpots {
    verdict: (i32, i32),
    rows: Vec<PlotSpot>,
}

/// The input series: name, channel and colour.
const INPUTS: [(&str, usize, RGBColor); 5] = [
    ("fixation cue", 0, RGBColor(0, 0, 0)),
    ("mod. 1 sin", 1, RGBColor(36, 86, 199)),
    ("mod. 1 cos", 2, RGBColor(120, 160, 240)),
    ("mod. 2 sin", 3, RGBColor(200, 90, 20)),
    ("mod. 2 cos", 4, RGBColor(240, 170, 110)),
];

/// The output channels of the fixation row, then of the response row, with their colours.
const OUTPUTS: [(usize, usize, RGBColor, &str); 3] = [
    (1, 0, RGBColor(0, 0, 0), "fixation"),
    (2, 1, RGBColor(36, 86, 199), "sin"),
    (2, 2, RGBColor(200, 90, 20), "cos"),
];

/// Draws the trial `view` under the heading `title` (which names the trial).
pub fn draw_trial<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &TrialView,
    title: &str,
) -> DrawResult<DB> {
    let spots = draw_trial_frame(area, view, title)?;
    draw_trial_data(area, view, &spots)?;
    area.present()
}

/// Everything that depends only on the task and the trial, not on the network: title, axes,
/// epochs, unscored steps, targets and legends. Returns the spots for [`draw_trial_data`].
pub fn draw_trial_frame<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &TrialView,
    title: &str,
) -> Result<TrialSpots, DrawError<DB>> {
    area.fill(&WHITE)?;
    let area = area.titled(title, (FONT, 20))?;
    let (top, rest) = area.split_vertically(28);
    let (x, y) = top.get_pixel_range();
    let rows = rest.split_evenly((3, 1));
    let end = view.inputs.len() as f64 * view.dt_ms;

    // Inputs: the fixation cue and both modalities.
    let chart = row(&rows[0], view, end, -1.3..1.6, "input", false)?;
    let mut spots = vec![PlotSpot::of(&chart)];
    let keys: Vec<LegendKey> = INPUTS
        .iter()
        .map(|&(name, _, colour)| (name.to_string(), colour, Key::Solid))
        .collect();
    side_legend(&rows[0], 12, &keys)?;

    // Fixation output, then the response outputs, against their targets.
    let mut chart = row(&rows[1], view, end, -0.2..1.1, "fixation", false)?;
    let keys = target(&mut chart, view, OUTPUTS[0])?;
    spots.push(PlotSpot::of(&chart));
    side_legend(&rows[1], 12, &keys)?;
    let mut chart = row(&rows[2], view, end, -1.3..1.3, "response", true)?;
    let mut keys = target(&mut chart, view, OUTPUTS[1])?;
    keys.extend(target(&mut chart, view, OUTPUTS[2])?);
    keys.push(("not scored".into(), UNSCORED, Key::Pale));
    spots.push(PlotSpot::of(&chart));
    side_legend(&rows[2], 12, &keys)?;
    Ok(TrialSpots {
        verdict: (x.start + 64, y.start + 4),
        rows: spots,
    })
}

/// What the network did: the verdict, the noisy inputs it received and its outputs.
pub fn draw_trial_data<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &TrialView,
    spots: &TrialSpots,
) -> DrawResult<DB> {
    let colour = if view.correct { GOOD } else { BAD };
    let bold = (FONT, 18).into_font().style(FontStyle::Bold);
    let (x, y) = spots.verdict;
    let (rx, ry) = area.get_pixel_range();
    area.draw(&Text::new(
        verdict(view),
        (x - rx.start, y - ry.start),
        TextStyle::from(bold).color(&colour),
    ))?;
    let inputs = spots.rows[0].on(area);
    for (_, c, colour) in INPUTS {
        let points = times(view).zip(view.inputs.iter().map(move |v| f64::from(v[c])));
        inputs.draw(&PathElement::new(
            points.collect::<Vec<_>>(),
            colour.stroke_width(1),
        ))?;
    }
    for (row, c, colour, _) in OUTPUTS {
        let output = times(view).zip(view.outputs.iter().map(|v| f64::from(v[c])));
        spots.rows[row].on(area).draw(&PathElement::new(
            output.collect::<Vec<_>>(),
            colour.stroke_width(2),
        ))?;
    }
    Ok(())
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
        .x_label_area_size(if last { 44 } else { 26 })
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

/// The target (dashed) of output channel `c`; returns the keys of the target and the output
/// (solid, the same colour, drawn by [`draw_trial_data`]).
fn target<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    view: &TrialView,
    (_, c, colour, name): (usize, usize, RGBColor, &str),
) -> Result<Vec<LegendKey>, DrawingAreaErrorKind<DB::ErrorType>> {
    let value = |v: &[f32; 3]| f64::from(v[c]);
    let target: Vec<(f64, f64)> = times(view).zip(view.targets.iter().map(value)).collect();
    let style = colour.mix(0.8).stroke_width(2);
    chart.draw_series(DashedLineSeries::new(target, 6, 4, style))?;
    Ok(vec![
        (format!("{name} target"), colour, Key::Dashed),
        (format!("{name} output"), colour, Key::Solid),
    ])
}
