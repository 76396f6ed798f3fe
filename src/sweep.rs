//! Robustness curves: performance against the magnitude of one perturbation, averaged over
//! several perturbation draws.

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::eval::{EvalSet, mean};
use crate::network::Network;
use crate::perturb::{Kind, Perturbation};

/// One point of a robustness curve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepPoint {
    /// The perturbation's magnitude (its unit is the kind's, see [`Kind::label`]).
    pub magnitude: f64,
    /// Performance per task, mean over draws, in the evaluation set's task order.
    pub per_task: Vec<f64>,
    /// Mean over tasks of `per_task`.
    pub mean: f64,
    /// Standard deviation over draws of the mean-over-tasks performance.
    pub spread: f64,
}

/// Evaluates `network` under perturbation `kind` at `magnitude`, once per draw seed
/// `seed, seed + 1, ..., seed + draws - 1`.
pub fn sweep_point(
    network: &Network<f32>,
    eval: &EvalSet,
    kind: Kind,
    magnitude: f64,
    draws: usize,
    seed: u64,
) -> Result<SweepPoint> {
    let draws = draws.max(1);
    let runs = (0..draws as u64)
        .map(|d| eval.evaluate(network, &Perturbation::single(kind, magnitude, seed + d)))
        .collect::<Result<Vec<_>>>()?;
    Ok(summarise(magnitude, &runs))
}

/// Averages per-task performances of several draws into one point.
pub fn summarise(magnitude: f64, runs: &[Vec<f64>]) -> SweepPoint {
    let n_tasks = runs.first().map_or(0, Vec::len);
    let count = runs.len().max(1) as f64;
    let per_task: Vec<f64> = (0..n_tasks)
        .map(|t| runs.iter().map(|r| r[t]).sum::<f64>() / count)
        .collect();
    let means: Vec<f64> = runs.iter().map(|r| mean(r)).collect();
    let centre = mean(&means);
    let spread = (means.iter().map(|m| (m - centre).powi(2)).sum::<f64>() / count).sqrt();
    SweepPoint {
        magnitude,
        mean: mean(&per_task),
        per_task,
        spread,
    }
}

/// A full curve over `magnitudes`.
pub fn sweep(
    network: &Network<f32>,
    eval: &EvalSet,
    kind: Kind,
    magnitudes: &[f64],
    draws: usize,
    seed: u64,
) -> Result<Vec<SweepPoint>> {
    magnitudes
        .iter()
        .map(|&m| sweep_point(network, eval, kind, m, draws, seed))
        .collect()
}

/// The default magnitudes of each kind's curve: eleven evenly spaced steps from none (0) to
/// [`Kind::max_magnitude`], the range of the page's controls; for module loss, none (0) and
/// then each module in turn (1 to `n_modules`).
pub fn default_magnitudes(kind: Kind, n_modules: usize) -> Vec<f64> {
    let max = kind.max_magnitude(n_modules);
    let n = match kind {
        Kind::ModuleLoss => n_modules,
        _ => 10,
    };
    if n == 0 {
        return vec![0.0];
    }
    (0..=n).map(|i| max * i as f64 / n as f64).collect()
}

/// One number per curve of `kind`: its [`area`]; for module loss, whose settings are
/// categories rather than a scale, the mean over the modules lost (the "none" point left out).
pub fn summary(kind: Kind, points: &[SweepPoint]) -> f64 {
    if kind == Kind::ModuleLoss {
        let lost: Vec<f64> = points
            .iter()
            .filter(|p| p.magnitude > 0.0)
            .map(|p| p.mean)
            .collect();
        return mean(&lost);
    }
    area(points)
}

/// The area under a curve, divided by its magnitude range: a curve's mean performance, one
/// number per curve for tables (trapezoid rule).
pub fn area(points: &[SweepPoint]) -> f64 {
    if points.len() < 2 {
        return points.first().map_or(0.0, |p| p.mean);
    }
    let width = points[points.len() - 1].magnitude - points[0].magnitude;
    let sum: f64 = points
        .windows(2)
        .map(|w| (w[1].magnitude - w[0].magnitude) * (w[0].mean + w[1].mean) / 2.0)
        .sum();
    if width > 0.0 {
        sum / width
    } else {
        points[0].mean
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_magnitudes_span_none_to_each_kinds_maximum() {
        for kind in Kind::ALL {
            let m = default_magnitudes(kind, 3);
            assert_eq!(m[0], 0.0, "{kind:?} starts at none");
            assert_eq!(*m.last().unwrap(), kind.max_magnitude(3), "{kind:?}");
            assert!(m.windows(2).all(|w| w[0] < w[1]), "{kind:?} increases");
        }
        assert_eq!(default_magnitudes(Kind::RecWeightNoise, 3).len(), 11);
        assert_eq!(default_magnitudes(Kind::InputNoise, 3)[10], 20.0);
        assert_eq!(
            default_magnitudes(Kind::ModuleLoss, 3),
            vec![0.0, 1.0, 2.0, 3.0]
        );
        assert_eq!(default_magnitudes(Kind::ModuleLoss, 2), vec![0.0, 1.0, 2.0]);
    }

    fn point(magnitude: f64, mean: f64) -> SweepPoint {
        SweepPoint {
            magnitude,
            per_task: vec![mean],
            mean,
            spread: 0.0,
        }
    }

    #[test]
    fn module_loss_summary_is_the_mean_over_modules_lost() {
        let points = [
            point(0.0, 0.9),
            point(1.0, 0.2),
            point(2.0, 0.4),
            point(3.0, 0.6),
        ];
        assert!((summary(Kind::ModuleLoss, &points) - 0.4).abs() < 1e-12);
        // Elsewhere the trapezoid area over the range: (0.55 + 0.3 + 0.5) / 3.
        let area = (0.55 + 0.3 + 0.5) / 3.0;
        assert!((summary(Kind::UnitLoss, &points) - area).abs() < 1e-12);
    }
}
