//! The page's summary panels: performance bars, learning curves, robustness curves and
//! parameter counts, one method colour throughout.
//!
//! TODO: the shared plot layouts of `plots::{performance, learning, robustness, efficiency}`
//! are being written on another branch for the command-line tool; once merged, the page should
//! draw with them and this file should go, so the page and the tool draw the same figures.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::perturb::Kind;
use crate::plots::{DrawResult, FONT, Key, LEGEND_WIDTH, method_colour, side_legend};
use crate::report::{Efficiency, LearningCurve, MethodPerformance, Robustness};
use crate::tasks::Task;
use crate::train::LossPoint;

/// Short task names that fit under a bar group.
const SHORT: [&str; 9] = [
    "Dly Pro", "Dly Anti", "Mem Pro", "Mem Anti", "Mem DM1", "Mem DM2", "Ctx DM1", "Ctx DM2",
    "Multi DM",
];

/// Grouped bars: one group per task, one bar per method; unknown values (negative) left out.
pub fn draw_performance<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rows: &[MethodPerformance],
) -> DrawResult<DB> {
    area.fill(&WHITE)?;
    let n = Task::ALL.len();
    let mut chart = ChartBuilder::on(area)
        .caption("Performance per task, now", (FONT, 18))
        .margin(10)
        .margin_right(LEGEND_WIDTH as u32)
        .x_label_area_size(36)
        .y_label_area_size(56)
        .build_cartesian_2d(-0.5..(n as f64 - 0.5), 0.0..1.05)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(n)
        .x_label_formatter(&|x| {
            SHORT
                .get(x.round() as usize)
                .copied()
                .unwrap_or("")
                .to_string()
        })
        .y_desc("fraction correct")
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 15))
        .draw()?;
    let width = 0.8 / rows.len().max(1) as f64;
    for (m, row) in rows.iter().enumerate() {
        let colour = method_colour(row.method);
        let bars = row
            .per_task
            .iter()
            .enumerate()
            .filter(|(_, v)| v.is_finite() && **v >= 0.0)
            .map(|(t, &v)| {
                let x0 = t as f64 - 0.4 + m as f64 * width;
                Rectangle::new([(x0, 0.0), (x0 + width * 0.9, v)], colour.filled())
            });
        chart.draw_series(bars)?;
    }
    let keys: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                r.method.label().to_string(),
                method_colour(r.method),
                Key::Block,
            )
        })
        .collect();
    side_legend(area, 50, &keys)?;
    area.present()
}

/// Loss (log scale) and mean performance against trials seen, one line per method.
pub fn draw_learning<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    curves: &[LearningCurve],
) -> DrawResult<DB> {
    area.fill(&WHITE)?;
    let (left, right) = area.split_horizontally(area.dim_in_pixel().0 / 2);
    let max_trials = curves
        .iter()
        .flat_map(|c| {
            c.loss
                .iter()
                .map(|p| p.trials)
                .chain(c.performance.iter().map(|p| p.trials))
        })
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let losses = curves
        .iter()
        .flat_map(|c| c.loss.iter().map(|p| p.loss))
        .filter(|l| *l > 0.0 && l.is_finite());
    let (lo, hi) = losses.fold((f64::INFINITY, 0.0_f64), |(a, b), l| (a.min(l), b.max(l)));
    let (lo, hi) = if lo < hi {
        (lo * 0.8, hi * 1.25)
    } else {
        (1e-3, 1.0)
    };

    let mut chart = ChartBuilder::on(&left)
        .caption("Training loss", (FONT, 18))
        .margin(10)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(0.0..max_trials, (lo..hi).log_scale())?;
    chart
        .configure_mesh()
        .x_desc("trials seen")
        .y_desc("loss (masked MSE)")
        .x_labels(5)
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 15))
        .draw()?;
    for curve in curves {
        let Some(method) = curve.method else { continue };
        let colour = method_colour(method);
        let points = smooth(&curve.loss, Task::ALL.len());
        chart
            .draw_series(LineSeries::new(points, colour.stroke_width(2)))?
            .label(method.label())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 16, y)], colour.stroke_width(2))
            });
    }
    legend(&mut chart, SeriesLabelPosition::UpperRight)?;

    let mut chart = ChartBuilder::on(&right)
        .caption("Mean performance over the nine tasks", (FONT, 18))
        .margin(10)
        .x_label_area_size(40)
        .y_label_area_size(56)
        .build_cartesian_2d(0.0..max_trials, 0.0..1.05)?;
    chart
        .configure_mesh()
        .x_desc("trials seen")
        .y_desc("fraction correct")
        .x_labels(5)
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 15))
        .draw()?;
    for curve in curves {
        let Some(method) = curve.method else { continue };
        let colour = method_colour(method);
        let points: Vec<(f64, f64)> = curve
            .performance
            .iter()
            .map(|p| (p.trials as f64, crate::eval::mean(&p.per_task)))
            .collect();
        chart.draw_series(LineSeries::new(points.clone(), colour.stroke_width(2)))?;
        chart.draw_series(
            points
                .into_iter()
                .map(|p| Circle::new(p, 3, colour.filled())),
        )?;
    }
    if curves.iter().all(|c| c.performance.is_empty()) {
        let style = TextStyle::from((FONT, 15)).color(&RGBColor(90, 90, 90));
        let note = "measured every few seconds while you train";
        chart.draw_series(std::iter::once(Text::new(
            note,
            (max_trials * 0.05, 0.6),
            style,
        )))?;
    }
    area.present()
}

/// Mean performance against the perturbation's magnitude, one line per method (± spread over
/// draws as whiskers), with the current slider value as a dashed vertical line.
pub fn draw_robustness<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    r: &Robustness,
) -> DrawResult<DB> {
    area.fill(&WHITE)?;
    let (a, b) = r.range;
    let b = if b > a { b } else { a + 1.0 };
    let mut chart = ChartBuilder::on(area)
        .caption(format!("Robustness to {}", r.kind.label()), (FONT, 18))
        .margin(10)
        .margin_right(LEGEND_WIDTH as u32)
        .x_label_area_size(40)
        .y_label_area_size(56)
        .build_cartesian_2d(a..b, 0.0..1.05)?;
    let kind = r.kind;
    chart
        .configure_mesh()
        .x_desc(kind.label())
        .x_labels(if kind == Kind::ModuleLoss {
            (b - a).round() as usize + 1
        } else {
            10
        })
        .x_label_formatter(&|x| shown(kind, *x))
        .y_desc("mean fraction correct")
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 15))
        .draw()?;
    for curve in &r.curves {
        let colour = method_colour(curve.method);
        let points: Vec<(f64, f64)> = curve.points.iter().map(|p| (p.magnitude, p.mean)).collect();
        chart.draw_series(LineSeries::new(points.clone(), colour.stroke_width(2)))?;
        chart.draw_series(points.iter().map(|&p| Circle::new(p, 3, colour.filled())))?;
        chart.draw_series(curve.points.iter().filter(|p| p.spread > 0.0).map(|p| {
            PathElement::new(
                vec![
                    (p.magnitude, p.mean - p.spread),
                    (p.magnitude, p.mean + p.spread),
                ],
                colour.mix(0.6),
            )
        }))?;
    }
    let mut keys: Vec<_> = r
        .curves
        .iter()
        .map(|c| {
            (
                c.method.label().to_string(),
                method_colour(c.method),
                Key::Solid,
            )
        })
        .collect();
    if let Some(current) = r.current {
        let now = current.clamp(a, b);
        let dashes = DashedLineSeries::new([(now, 0.0), (now, 1.05)], 6, 4, BLACK.stroke_width(2));
        chart.draw_series(dashes)?;
        keys.push((
            format!("now: {}", shown(r.kind, current)),
            BLACK,
            Key::Dashed,
        ));
    }
    side_legend(area, 50, &keys)?;
    area.present()
}

/// Trained and frozen parameter counts per method, as stacked horizontal bars.
pub fn draw_efficiency<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rows: &[Efficiency],
) -> DrawResult<DB> {
    area.fill(&WHITE)?;
    let max = rows.iter().map(|e| e.total).max().unwrap_or(1).max(1) as f64 * 1.05;
    let n = rows.len().max(1) as f64;
    let mut chart = ChartBuilder::on(area)
        .caption("Parameters per method", (FONT, 18))
        .margin(10)
        .margin_right(LEGEND_WIDTH as u32)
        .x_label_area_size(40)
        .y_label_area_size(150)
        .build_cartesian_2d(0.0..max, -0.5..(n - 0.5))?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(rows.len())
        .y_label_formatter(&|y| {
            // The first method on top.
            let i = rows.len() as f64 - 1.0 - y.round();
            rows.get(i as usize)
                .map_or(String::new(), |e| e.method.label().to_string())
        })
        .x_desc("number of parameters")
        .x_label_formatter(&|x| format!("{x:.0}"))
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 15))
        .draw()?;
    for (k, e) in rows.iter().enumerate() {
        // The first method on top.
        let i = rows.len() - 1 - k;
        let (y0, y1) = (i as f64 - 0.38, i as f64 + 0.02);
        let colour = method_colour(e.method);
        let trained = e.trained as f64;
        chart.draw_series([
            Rectangle::new([(0.0, y0), (trained, y1)], colour.filled()),
            Rectangle::new(
                [(trained, y0), (e.total as f64, y1)],
                colour.mix(0.25).filled(),
            ),
            Rectangle::new([(0.0, y0), (e.total as f64, y1)], colour.stroke_width(1)),
        ])?;
        let text = format!("{} trained / {} frozen", e.trained, e.total - e.trained);
        let style = TextStyle::from((FONT, 14)).color(&BLACK);
        chart.draw_series(std::iter::once(Text::new(
            text,
            (max * 0.005, i as f64 + 0.42),
            style,
        )))?;
    }
    let grey = RGBColor(90, 90, 90);
    let keys = [
        ("trained".to_string(), grey, Key::Block),
        ("frozen".to_string(), grey, Key::Pale),
    ];
    side_legend(area, 50, &keys)?;
    area.present()
}

/// The loss averaged over windows of `width` iterations (one rotation through the tasks, whose
/// losses differ a lot), skipping values that are not positive and finite.
fn smooth(loss: &[LossPoint], width: usize) -> Vec<(f64, f64)> {
    let good: Vec<&LossPoint> = loss
        .iter()
        .filter(|p| p.loss > 0.0 && p.loss.is_finite())
        .collect();
    if good.len() < 4 * width {
        return good.iter().map(|p| (p.trials as f64, p.loss)).collect();
    }
    good.chunks(width)
        .map(|w| {
            let mean = w.iter().map(|p| p.loss).sum::<f64>() / w.len() as f64;
            (w[w.len() - 1].trials as f64, mean)
        })
        .collect()
}

/// A magnitude as the page's controls show it (modules counted from 1).
fn shown(kind: Kind, v: f64) -> String {
    if kind == Kind::ModuleLoss {
        return format!("{}", v.round() + 1.0);
    }
    trim(v)
}

fn trim(v: f64) -> String {
    let s = format!("{v:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn legend<'a, DB: DrawingBackend + 'a, X: Ranged, Y: Ranged>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
    position: SeriesLabelPosition,
) -> DrawResult<DB> {
    chart
        .configure_series_labels()
        .position(position)
        .label_font((FONT, 13))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .draw()?;
    Ok(())
}
