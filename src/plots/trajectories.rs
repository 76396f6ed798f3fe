//! Module trajectories: one sub-panel per module, each trial's path through the module's own
//! plane of its first two principal components, coloured by the trial's stimulus direction.
//! The unperturbed paths are drawn faded underneath; epoch starts are marked on the current
//! paths; a colour wheel and a marker key sit on the right.

use std::f64::consts::TAU;
use std::ops::Range;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::HSLColor;

use crate::analysis::Trajectories;
use crate::plots::{DataArea, DrawError, DrawResult, FONT, PlotSpot};

/// Width of the key on the right, pixels.
const KEY_WIDTH: u32 = 150;

/// The colour of a direction (radians) on a circular hue map: equal angles, equal hues.
pub fn direction_colour(theta: f64) -> HSLColor {
    HSLColor(theta.rem_euclid(TAU) / TAU, 0.85, 0.45)
}

/// How the sub-panels are named: modules of a modular network, or groups of units of one
/// monolithic network (drawn the same way, but not modules).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parts {
    /// Each block of units is a module.
    Modules,
    /// The network is one whole; each block is only a group of its units.
    Groups,
}

/// Caption size of each sub-panel, px.
const CAPTION_SIZE: u32 = 16;

/// The heading of sub-panel `m`, over `units` (0-based, end exclusive), for a sub-panel
/// `width` pixels wide: a group's heading says it is not a module, briefly when narrow (the
/// key then says it in full).
pub fn part_caption(parts: Parts, m: usize, units: &Range<usize>, width: u32) -> String {
    let (a, b) = (units.start + 1, units.end);
    match parts {
        Parts::Modules => format!("Module {} (units {a}–{b})", m + 1),
        Parts::Groups => {
            let full = format!("units {a}–{b} (a group, not a module)");
            // Text is estimated at 0.55 em per character.
            let needed = full.chars().count() as f64 * 0.55 * f64::from(CAPTION_SIZE) + 16.0;
            if needed <= f64::from(width) {
                full
            } else {
                format!("units {a}–{b} (a group)")
            }
        }
    }
}

/// Draws the trajectories `current` over the faded `reference` ones, with the fixed axis
/// `ranges` of each module (from the unperturbed network).
pub fn draw_trajectories<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    current: &Trajectories,
    reference: &Trajectories,
    ranges: &[(Range<f64>, Range<f64>)],
    title: &str,
    parts: Parts,
) -> DrawResult<DB> {
    let spots = draw_trajectories_frame(area, reference, ranges, title, parts)?;
    draw_trajectory_paths(area, current, &spots)?;
    area.present()
}

/// Everything but the current paths: title, each module's axes and faded `reference` paths,
/// and the key. Returns each module's plot spot for [`draw_trajectory_paths`].
pub fn draw_trajectories_frame<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    reference: &Trajectories,
    ranges: &[(Range<f64>, Range<f64>)],
    title: &str,
    parts: Parts,
) -> Result<Vec<PlotSpot>, DrawError<DB>> {
    area.fill(&WHITE)?;
    let area = area.titled(title, (FONT, 20))?;
    let (width, _) = area.dim_in_pixel();
    let (plots, key) = area.split_horizontally(width.saturating_sub(KEY_WIDTH));
    let panels = plots.split_evenly((1, reference.modules.len().max(1)));
    let mut spots = Vec::new();
    for (m, panel) in panels.iter().enumerate() {
        let Some(range) = ranges.get(m) else { continue };
        spots.push(draw_module_frame(panel, m, reference, range, parts)?);
    }
    draw_key(&key, reference, parts)?;
    Ok(spots)
}

/// The current paths of every module, with their epoch marks, on the `spots` of the frame.
pub fn draw_trajectory_paths<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    current: &Trajectories,
    spots: &[PlotSpot],
) -> DrawResult<DB> {
    for (module, spot) in current.modules.iter().zip(spots) {
        let plot = spot.on(area);
        for (b, points) in module.trials.iter().enumerate() {
            let colour = direction_colour(current.directions[b]);
            plot.draw(&PathElement::new(points.clone(), colour.stroke_width(2)))?;
            draw_epoch_marks(&plot, points, current, colour)?;
        }
    }
    Ok(())
}

/// One module's sub-panel without its current paths: axes and the faded reference paths.
fn draw_module_frame<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    m: usize,
    reference: &Trajectories,
    (x, y): &(Range<f64>, Range<f64>),
    parts: Parts,
) -> Result<PlotSpot, DrawError<DB>> {
    let module = &reference.modules[m];
    let caption = part_caption(parts, m, &module.units, area.dim_in_pixel().0);
    let mut chart = ChartBuilder::on(area)
        .caption(caption, (FONT, CAPTION_SIZE))
        .margin(8)
        .x_label_area_size(40)
        .y_label_area_size(52)
        .build_cartesian_2d(x.clone(), y.clone())?;
    chart
        .configure_mesh()
        .x_desc("PC1 (a.u.)")
        .y_desc("PC2 (a.u.)")
        .x_labels(5)
        .y_labels(5)
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 15))
        .light_line_style(WHITE.mix(0.0))
        .draw()?;
    for (b, points) in module.trials.iter().enumerate() {
        let colour = direction_colour(reference.directions[b]).mix(0.25);
        chart.draw_series(LineSeries::new(
            points.iter().copied(),
            colour.stroke_width(1),
        ))?;
    }
    Ok(PlotSpot::of(&chart))
}

/// Marks where each epoch after fixation starts on one path, and the end point.
fn draw_epoch_marks<DB: DrawingBackend>(
    plot: &DataArea<DB>,
    points: &[(f64, f64)],
    current: &Trajectories,
    colour: HSLColor,
) -> DrawResult<DB> {
    for (k, epoch) in current.epochs.iter().enumerate().skip(1) {
        if let Some(&p) = points.get(epoch.start) {
            draw_marker(plot, k, p, colour)?;
        }
    }
    if let Some(&p) = points.last() {
        plot.draw(&Circle::new(p, 3, BLACK.filled()))?;
    }
    Ok(())
}

/// The marker of epoch `k` (its start) at `p`, in the trial's colour with a dark outline: a
/// circle, a square, a triangle, a diamond, a downward triangle, then a cross, so that every
/// epoch of a task (at most six) has its own shape.
fn draw_marker<DB: DrawingBackend, C: CoordTranslate>(
    area: &DrawingArea<DB, C>,
    k: usize,
    p: C::From,
    colour: HSLColor,
) -> DrawResult<DB>
where
    C::From: Clone,
{
    let at = || EmptyElement::at(p.clone());
    let outlined = |points: Vec<(i32, i32)>| {
        let mut outline = points.clone();
        outline.push(points[0]);
        at() + Polygon::new(points, colour.filled()) + PathElement::new(outline, BLACK)
    };
    match k % 6 {
        1 => area.draw(
            &(at() + Circle::new((0, 0), 5, colour.filled()) + Circle::new((0, 0), 5, BLACK)),
        ),
        2 => area.draw(
            &(at()
                + Rectangle::new([(-4, -4), (4, 4)], colour.filled())
                + Rectangle::new([(-4, -4), (4, 4)], BLACK)),
        ),
        3 => area.draw(&outlined(vec![(0, -6), (6, 4), (-6, 4)])),
        4 => area.draw(&outlined(vec![(0, -6), (6, 0), (0, 6), (-6, 0)])),
        5 => area.draw(&outlined(vec![(0, 6), (6, -4), (-6, -4)])),
        _ => area.draw(&(at() + Cross::new((0, 0), 5, BLACK.stroke_width(2)))),
    }
}

/// The key: a colour wheel of stimulus directions and the epoch markers.
fn draw_key<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    current: &Trajectories,
    parts: Parts,
) -> DrawResult<DB> {
    let style = TextStyle::from((FONT, 14)).color(&BLACK);
    area.draw(&Text::new("stimulus direction", (6, 20), style.clone()))?;
    let (cx, cy, r) = (70, 112, 44);
    for i in 0..72 {
        let theta = i as f64 / 72.0 * TAU;
        let at = |rad: f64| {
            (
                cx + (rad * theta.cos()).round() as i32,
                cy - (rad * theta.sin()).round() as i32,
            )
        };
        area.draw(&PathElement::new(
            vec![at(r as f64 - 14.0), at(r as f64)],
            direction_colour(theta).stroke_width(5),
        ))?;
    }
    for (deg, dx, dy) in [
        (0, r + 4, -6),
        (90, -10, -r - 20),
        (180, -r - 30, -6),
        (270, -14, r + 4),
    ] {
        area.draw(&Text::new(
            format!("{deg}°"),
            (cx + dx, cy + dy),
            style.clone(),
        ))?;
    }

    let mut y = 190;
    area.draw(&Text::new("marks on each path", (6, y), style.clone()))?;
    for (k, epoch) in current.epochs.iter().enumerate().skip(1) {
        y += 20;
        draw_marker(area, k, (16, y + 7), HSLColor(0.0, 0.0, 0.35))?;
        area.draw(&Text::new(
            format!("{} starts", epoch.name),
            (30, y),
            style.clone(),
        ))?;
    }
    y += 20;
    area.draw(&Circle::new((16, y + 7), 3, BLACK.filled()))?;
    area.draw(&Text::new("end of trial", (30, y), style.clone()))?;
    y += 20;
    area.draw(&PathElement::new(
        vec![(6, y + 7), (26, y + 7)],
        BLACK.mix(0.25).stroke_width(1),
    ))?;
    area.draw(&Text::new("unperturbed", (30, y), style.clone()))?;
    if parts == Parts::Groups {
        let note = TextStyle::from((FONT, 13)).color(&BLACK);
        for line in ["boxes: groups of units", "of one network, not", "modules"] {
            y += 15;
            area.draw(&Text::new(line, (6, y + 6), note.clone()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_of_a_monolith_are_not_called_modules() {
        let units = 32..64;
        assert_eq!(
            part_caption(Parts::Modules, 1, &units, 200),
            "Module 2 (units 33–64)"
        );
        let group = part_caption(Parts::Groups, 1, &units, 400);
        assert_eq!(group, "units 33–64 (a group, not a module)");
        assert_eq!(
            part_caption(Parts::Groups, 1, &units, 220),
            "units 33–64 (a group)"
        );
    }
}
