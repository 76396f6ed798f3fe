//! The response of one leaky unit to a step input: the simplest picture of what `tau` does.
//!
//! A unit obeys `r[t+1] = (1 - alpha) r[t] + alpha * tanh(u)` with `alpha = dt / tau`; after the
//! input switches on it approaches `tanh(u)` with time constant `tau` (ms).

use plotters::coord::Shift;
use plotters::prelude::*;

/// Euler-integrates one leaky unit driven by a unit step that switches on at `step_on_ms`.
///
/// Returns `(time in ms, rate)` pairs for `duration_ms` at step `dt_ms`.
pub fn leaky_step_response(
    tau_ms: f64,
    dt_ms: f64,
    step_on_ms: f64,
    duration_ms: f64,
) -> Vec<(f64, f64)> {
    let alpha = (dt_ms / tau_ms).min(1.0);
    let n_steps = (duration_ms / dt_ms).floor() as usize;
    let mut r = 0.0_f64;
    let mut out = Vec::with_capacity(n_steps + 1);
    for t in 0..=n_steps {
        let time = t as f64 * dt_ms;
        out.push((time, r));
        let u = if time >= step_on_ms { 1.0 } else { 0.0 };
        r = (1.0 - alpha) * r + alpha * libm::tanh(u);
    }
    out
}

/// Draws the step response of a leaky unit with time constant `tau_ms` (dt = 20 ms), with the
/// input step and the unit's asymptote for reference.
pub fn draw_leaky_response<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    tau_ms: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (step_on, duration) = (200.0, 1500.0);
    let curve = leaky_step_response(tau_ms, 20.0, step_on, duration);
    area.fill(&WHITE)?;

    let mut chart = ChartBuilder::on(area)
        .caption(
            format!("One leaky unit, tau = {tau_ms:.0} ms"),
            ("sans-serif", 18),
        )
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(48)
        .build_cartesian_2d(0.0..duration, -0.05..1.05)?;
    chart
        .configure_mesh()
        .x_desc("time (ms)")
        .y_desc("rate (a.u.)")
        .draw()?;

    let input = [(0.0, 0.0), (step_on, 0.0), (step_on, 1.0), (duration, 1.0)];
    chart
        .draw_series(LineSeries::new(input, BLACK.mix(0.4)))?
        .label("input step")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], BLACK.mix(0.4)));
    let target = libm::tanh(1.0);
    chart
        .draw_series(LineSeries::new(
            [(0.0, target), (duration, target)],
            RED.mix(0.3),
        ))?
        .label("tanh(1), the asymptote")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], RED.mix(0.3)));
    chart
        .draw_series(LineSeries::new(curve, BLUE.stroke_width(2)))?
        .label("unit rate")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], BLUE.stroke_width(2)));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK.mix(0.3))
        .draw()?;
    area.present()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_reaches_63_percent_after_one_tau() {
        let tau = 100.0;
        let curve = leaky_step_response(tau, 1.0, 0.0, 1000.0);
        let at_tau = curve.iter().find(|(t, _)| *t >= tau).unwrap().1;
        let fraction = at_tau / libm::tanh(1.0);
        assert!(
            (fraction - 0.632).abs() < 0.01,
            "fraction after one tau: {fraction}"
        );
    }

    #[test]
    fn slower_unit_lags_faster_unit() {
        let fast = leaky_step_response(50.0, 20.0, 200.0, 1000.0);
        let slow = leaky_step_response(400.0, 20.0, 200.0, 1000.0);
        assert!(slow[20].1 < fast[20].1);
    }
}
