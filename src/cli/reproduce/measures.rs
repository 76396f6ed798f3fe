//! The measures the report compares, each one number per seed (or per seed and task), taken
//! from the raw results of [`super::experiments`].

use molap_lab::eval;
use molap_lab::methods::Method;
use molap_lab::model::{PerformancePoint, trials_to_criterion};
use molap_lab::perturb::Kind;
use molap_lab::sweep::{self, SweepPoint};
use molap_lab::tasks::Task;

use super::experiments::{MethodRun, SeedRun};
use super::stats::curve_area;
use crate::cli::transfer::HeldOutOutcome;

/// The main experiment's run of `method` with seed `run`.
pub fn method(run: &SeedRun, method: Method) -> Option<&MethodRun> {
    run.methods.iter().find(|m| m.method == method)
}

/// One value per seed of `f` applied to `method`'s run (seeds lacking it are skipped).
pub fn per_seed(runs: &[SeedRun], m: Method, f: &dyn Fn(&MethodRun) -> f64) -> Vec<f64> {
    runs.iter().filter_map(|r| method(r, m)).map(f).collect()
}

/// Final performance, mean over tasks.
pub fn final_mean(m: &MethodRun) -> f64 {
    eval::mean(&m.performance)
}

/// The learning curve's mean height (mean over tasks, against trials): learning speed and
/// level in one number.
pub fn learning_area(curve: &[PerformancePoint]) -> f64 {
    let points: Vec<(usize, f64)> = curve
        .iter()
        .map(|p| (p.trials, eval::mean(&p.per_task)))
        .collect();
    curve_area(&points)
}

/// After each check of the curve, how many tasks had reached `criterion` at least once.
pub fn tasks_reached_curve(curve: &[PerformancePoint], criterion: f64) -> Vec<(usize, f64)> {
    let reached = trials_to_criterion(curve, criterion);
    curve
        .iter()
        .map(|p| {
            let n = reached.iter().flatten().filter(|&&t| t <= p.trials).count();
            (p.trials, n as f64)
        })
        .collect()
}

/// Trials to `criterion` of task `t`, one entry per seed (`None`: not within the budget).
pub fn trials_to(runs: &[SeedRun], m: Method, t: usize, criterion: f64) -> Vec<Option<usize>> {
    runs.iter()
        .filter_map(|r| method(r, m))
        .map(|mr| trials_to_criterion(&mr.curve, criterion)[t])
        .collect()
}

/// The mean of tasks' trials to `criterion`, a task not reaching it counted at the budget (a
/// lower bound on its true cost).
pub fn censored_trials(curve: &[PerformancePoint], criterion: f64, budget: usize) -> f64 {
    let reached = trials_to_criterion(curve, criterion);
    let sum: usize = reached.iter().map(|r| r.unwrap_or(budget)).sum();
    sum as f64 / reached.len().max(1) as f64
}

/// The robustness curve of `kind` in a method's run.
pub fn curve_of(m: &MethodRun, kind: Kind) -> &[SweepPoint] {
    m.robustness
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or(&[], |(_, p)| p.as_slice())
}

/// One number per curve: the area under it over its magnitude range (`molap sweep`'s area);
/// for module loss, whose magnitudes name modules rather than measure anything, the plain mean
/// over the modules lost.
pub fn robustness_area(kind: Kind, points: &[SweepPoint]) -> f64 {
    sweep::summary(kind, points)
}

/// The area as a fraction of the unperturbed performance: how much of its skill a method keeps
/// on average over the range, whatever its level.
pub fn retention(m: &MethodRun, kind: Kind) -> f64 {
    let unperturbed = final_mean(m);
    if unperturbed <= 0.0 {
        return 0.0;
    }
    robustness_area(kind, curve_of(m, kind)) / unperturbed
}

/// The outcome of `method` on held-out `task` in a seed's run.
pub fn held_out(run: &SeedRun, task: Task, method: Method) -> Option<&HeldOutOutcome> {
    let r = run.held_out.iter().find(|h| h.task == task)?;
    r.outcomes.iter().find(|o| o.method == method)
}

/// One value per seed of `f` on the held-out outcome of `method` on `task`.
pub fn held_per_seed(
    runs: &[SeedRun],
    task: Task,
    m: Method,
    f: &dyn Fn(&HeldOutOutcome) -> f64,
) -> Vec<f64> {
    runs.iter()
        .filter_map(|r| held_out(r, task, m))
        .map(f)
        .collect()
}

/// Held-out trials to the criterion, counted at the budget when not reached.
pub fn held_trials(o: &HeldOutOutcome, budget: usize) -> f64 {
    o.trials_to_criterion.unwrap_or(budget) as f64
}

/// The held-out learning curve's mean height over the whole budget (a run that stopped at the
/// criterion is held at its last value to the budget, as if it kept its level).
pub fn held_area(o: &HeldOutOutcome, budget: usize) -> f64 {
    let mut points = o.curve.clone();
    if let Some(&(last, v)) = points.last()
        && last < budget
    {
        points.push((budget, v));
    }
    curve_area(&points)
}
