//! The raw numbers of a reproduction as CSV files, one row per observation, fractions in
//! `[0, 1]` and trial counts as integers (an empty cell: the criterion was not reached).
//! Numbers are written in Rust's shortest exact form, so equal results give equal bytes.

use anyhow::{Context, Result};
use molap_lab::eval;
use molap_lab::model::trials_to_criterion;
use molap_lab::tasks::Task;

use super::measures;
use super::report::Run;

/// A CSV file's name and bytes.
pub type Table = (&'static str, Vec<u8>);

/// Every table of the report.
pub fn all(run: &Run<'_>) -> Result<Vec<Table>> {
    let mut tables = vec![
        ("parameters.csv", parameters(run)?),
        ("task_stage.csv", task_stage(run)?),
        ("learning_curves.csv", learning_curves(run)?),
        ("robustness.csv", robustness(run)?),
        ("robustness_summary.csv", robustness_summary(run)?),
        ("generalisation.csv", generalisation(run)?),
        ("generalisation_curves.csv", generalisation_curves(run)?),
    ];
    if run.plan.ablations {
        tables.push(("ablations.csv", ablations(run)?));
    }
    Ok(tables)
}

/// A CSV writer into memory with `header`.
fn writer(header: &[&str]) -> Result<csv::Writer<Vec<u8>>> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(header)?;
    Ok(out)
}

/// The bytes written.
fn finish(out: csv::Writer<Vec<u8>>) -> Result<Vec<u8>> {
    out.into_inner().context("cannot finish the CSV data")
}

/// An optional trial count: the number, or an empty cell.
fn trials(v: Option<usize>) -> String {
    v.map_or(String::new(), |t| t.to_string())
}

/// Trained, frozen and total parameters per method (the same for every seed).
fn parameters(run: &Run<'_>) -> Result<Vec<u8>> {
    let mut out = writer(&["method", "trained", "frozen", "total"])?;
    if let Some(first) = run.runs.first() {
        for m in &first.methods {
            let frozen = m.total_params - m.trained_params;
            let row = [m.trained_params, frozen, m.total_params].map(|v| v.to_string());
            out.write_record([m.method.name(), &row[0], &row[1], &row[2]])?;
        }
    }
    finish(out)
}

/// Per seed, method and task: final performance and trials to the criterion.
fn task_stage(run: &Run<'_>) -> Result<Vec<u8>> {
    let header = [
        "seed",
        "method",
        "task",
        "performance",
        "trials_to_criterion",
    ];
    let mut out = writer(&header)?;
    for r in run.runs {
        for m in &r.methods {
            let reached = trials_to_criterion(&m.curve, run.plan.criterion);
            for (i, task) in Task::ALL.iter().enumerate() {
                out.write_record([
                    r.seed.to_string(),
                    m.method.name().to_string(),
                    task.short().to_string(),
                    m.performance[i].to_string(),
                    trials(reached.get(i).copied().flatten()),
                ])?;
            }
        }
    }
    finish(out)
}

/// Per seed, method and check of the task stage: each task's performance and their mean.
fn learning_curves(run: &Run<'_>) -> Result<Vec<u8>> {
    let mut header = vec!["seed", "method", "trials", "mean"];
    header.extend(Task::ALL.iter().map(|t| t.short()));
    let mut out = writer(&header)?;
    for r in run.runs {
        for m in &r.methods {
            for p in &m.curve {
                let mut row = vec![
                    r.seed.to_string(),
                    m.method.name().to_string(),
                    p.trials.to_string(),
                    eval::mean(&p.per_task).to_string(),
                ];
                row.extend(p.per_task.iter().map(f64::to_string));
                out.write_record(row)?;
            }
        }
    }
    finish(out)
}

/// Per seed, method, perturbation and magnitude: the mean over draws (of the mean over
/// tasks), its s.d. over draws, and each task's mean over draws.
fn robustness(run: &Run<'_>) -> Result<Vec<u8>> {
    let mut header = vec![
        "seed",
        "method",
        "perturbation",
        "magnitude",
        "mean",
        "sd_draws",
    ];
    header.extend(Task::ALL.iter().map(|t| t.short()));
    let mut out = writer(&header)?;
    for r in run.runs {
        for m in &r.methods {
            for (kind, points) in &m.robustness {
                for p in points {
                    let mut row = vec![
                        r.seed.to_string(),
                        m.method.name().to_string(),
                        kind.name().to_string(),
                        p.magnitude.to_string(),
                        p.mean.to_string(),
                        p.spread.to_string(),
                    ];
                    row.extend(p.per_task.iter().map(f64::to_string));
                    out.write_record(row)?;
                }
            }
        }
    }
    finish(out)
}

/// Per seed, method and perturbation: the curve's area and retention.
fn robustness_summary(run: &Run<'_>) -> Result<Vec<u8>> {
    let header = [
        "seed",
        "method",
        "perturbation",
        "area",
        "unperturbed",
        "retention",
    ];
    let mut out = writer(&header)?;
    for r in run.runs {
        for m in &r.methods {
            for (kind, points) in &m.robustness {
                out.write_record([
                    r.seed.to_string(),
                    m.method.name().to_string(),
                    kind.name().to_string(),
                    measures::robustness_area(*kind, points).to_string(),
                    measures::final_mean(m).to_string(),
                    measures::retention(m, *kind).to_string(),
                ])?;
            }
        }
    }
    finish(out)
}

/// Per seed, held-out task and method: the held-out stage's outcome.
fn generalisation(run: &Run<'_>) -> Result<Vec<u8>> {
    let header = [
        "seed",
        "held_out",
        "method",
        "before",
        "after",
        "trials_to_criterion",
        "trials",
        "curve_area",
        "others_before",
        "others_after",
    ];
    let mut out = writer(&header)?;
    let budget = run.plan.transfer_trials;
    for r in run.runs {
        for h in &r.held_out {
            for o in &h.outcomes {
                out.write_record([
                    r.seed.to_string(),
                    h.task.short().to_string(),
                    o.method.name().to_string(),
                    o.before.to_string(),
                    o.after.to_string(),
                    trials(o.trials_to_criterion),
                    o.trials.to_string(),
                    measures::held_area(o, budget).to_string(),
                    o.others_before.to_string(),
                    o.others_after.to_string(),
                ])?;
            }
        }
    }
    finish(out)
}

/// Per seed, held-out task, method and check: the held-out task's performance.
fn generalisation_curves(run: &Run<'_>) -> Result<Vec<u8>> {
    let mut out = writer(&["seed", "held_out", "method", "trials", "performance"])?;
    for r in run.runs {
        for h in &r.held_out {
            for o in &h.outcomes {
                for (t, p) in &o.curve {
                    out.write_record([
                        r.seed.to_string(),
                        h.task.short().to_string(),
                        o.method.name().to_string(),
                        t.to_string(),
                        p.to_string(),
                    ])?;
                }
            }
        }
    }
    finish(out)
}

/// Per seed and ablation variant of MoLaP: final performance, learning-curve area and the
/// recurrent-weight-noise area.
fn ablations(run: &Run<'_>) -> Result<Vec<u8>> {
    let header = [
        "seed",
        "variant",
        "modules",
        "performance",
        "learning_area",
        "rec_noise_area",
    ];
    let mut out = writer(&header)?;
    for r in run.runs {
        for v in &r.variants {
            let modules = v.variant.modules(&run.plan.modules);
            let modules: Vec<String> = modules.iter().map(usize::to_string).collect();
            out.write_record([
                r.seed.to_string(),
                v.variant.name().to_string(),
                modules.join(" "),
                eval::mean(&v.performance).to_string(),
                measures::learning_area(&v.curve).to_string(),
                molap_lab::sweep::area(&v.robustness).to_string(),
            ])?;
        }
    }
    finish(out)
}
