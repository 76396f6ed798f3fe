//! The numbers behind the summary panels (performance, learning, robustness, efficiency), as
//! plain serialisable data with a CSV form each, so the page, the plots and exports agree.

use serde::{Deserialize, Serialize};

use crate::methods::Method;
use crate::model::{self, CRITERION, PerformancePoint};
use crate::perturb::Kind;
use crate::plots::efficiency::TrialsToCriterion;
use crate::sweep::SweepPoint;
use crate::tasks::Task;
use crate::train::LossPoint;

/// Per-task performance of one method (fraction correct in `[0, 1]`; negative while unknown).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MethodPerformance {
    /// The method.
    pub method: Method,
    /// One value per task, in the corpus's order.
    pub per_task: Vec<f64>,
}

/// One method's learning curves: the training loss and the performance against trials seen.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LearningCurve {
    /// The method (`None` only in a default value).
    pub method: Option<Method>,
    /// Loss of the training batches (dimensionless).
    pub loss: Vec<LossPoint>,
    /// Performance per task, measured now and then.
    pub performance: Vec<PerformancePoint>,
}

/// One method's robustness curve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RobustnessCurve {
    /// The method.
    pub method: Method,
    /// The points computed so far, in increasing magnitude.
    pub points: Vec<SweepPoint>,
}

/// Every method's robustness curve for one kind of perturbation, and where the slider is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Robustness {
    /// The perturbation.
    pub kind: Kind,
    /// Its current magnitude (the slider's value); `None` when it is off (module loss "none").
    pub current: Option<f64>,
    /// The range of magnitudes the curves will span.
    pub range: (f64, f64),
    /// One curve per method.
    pub curves: Vec<RobustnessCurve>,
}

/// Parameter counts of one method's network.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Efficiency {
    /// The method.
    pub method: Method,
    /// Parameters the task stage trains.
    pub trained: usize,
    /// Parameters that exist in all (trained and frozen).
    pub total: usize,
}

/// Performance as CSV: one row per method and task.
pub fn performance_csv(rows: &[MethodPerformance]) -> String {
    let mut csv = String::from("method,task,performance\n");
    for row in rows {
        for (task, value) in Task::ALL.iter().zip(&row.per_task) {
            csv += &format!("{},{},{value:.4}\n", row.method.name(), task.short());
        }
    }
    csv
}

/// Learning curves as CSV: loss rows (`task` empty) then performance rows per task.
pub fn learning_csv(curves: &[LearningCurve]) -> String {
    let mut csv = String::from("method,quantity,task,trials,value\n");
    for curve in curves {
        let method = curve.method.map_or("", Method::name);
        for p in &curve.loss {
            csv += &format!("{method},loss,,{},{}\n", p.trials, p.loss);
        }
        for p in &curve.performance {
            for (task, value) in Task::ALL.iter().zip(&p.per_task) {
                csv += &format!(
                    "{method},performance,{},{},{value:.4}\n",
                    task.short(),
                    p.trials
                );
            }
        }
    }
    csv
}

/// Learning curves of several runs as CSV: [`learning_csv`]'s rows, each preceded by the run
/// it belongs to (e.g. "saved", "this run", "earlier run").
pub fn learning_runs_csv(runs: &[(&str, &LearningCurve)]) -> String {
    let mut csv = String::from("run,");
    csv += "method,quantity,task,trials,value\n";
    for (run, curve) in runs {
        let rows = learning_csv(std::slice::from_ref(*curve));
        for line in rows.lines().skip(1) {
            csv += &format!("{run},{line}\n");
        }
    }
    csv
}

/// A count with thousands separated by commas (`20,000`).
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Robustness curves as CSV: one row per method and magnitude; `setting` is the magnitude as
/// the page names it ("none", "module 2" for module loss).
pub fn robustness_csv(r: &Robustness) -> String {
    let mut csv = String::from("perturbation,method,magnitude,setting,mean_performance,spread\n");
    for curve in &r.curves {
        for p in &curve.points {
            csv += &format!(
                "{},{},{},{},{:.4},{:.4}\n",
                r.kind.name(),
                curve.method.name(),
                p.magnitude,
                r.kind.setting(p.magnitude),
                p.mean,
                p.spread
            );
        }
    }
    csv
}

/// The trials `method` needed to reach [`CRITERION`] on each task, read off its learning
/// curve; the budget is the curve's last point.
pub fn trials_to_criterion(method: Method, curve: &[PerformancePoint]) -> TrialsToCriterion {
    TrialsToCriterion {
        method,
        per_task: model::trials_to_criterion(curve, CRITERION),
        budget: curve.last().map_or(0, |p| p.trials),
    }
}

/// Parameter counts as CSV, then the trials to [`CRITERION`] per task of each method in
/// `speed` (empty where a task was not reached).
pub fn efficiency_csv(rows: &[Efficiency], speed: &[TrialsToCriterion]) -> String {
    let mut csv = String::from("method,trained,frozen,total");
    for task in Task::ALL {
        csv += &format!(",trials_to_{:.0}_{}", 100.0 * CRITERION, task.short());
    }
    csv.push('\n');
    for e in rows {
        csv += &format!(
            "{},{},{},{}",
            e.method.name(),
            e.trained,
            e.total - e.trained,
            e.total
        );
        let reached = speed.iter().find(|s| s.method == e.method);
        for t in 0..Task::ALL.len() {
            csv.push(',');
            if let Some(Some(trials)) = reached.and_then(|s| s.per_task.get(t)) {
                csv += &trials.to_string();
            }
        }
        csv.push('\n');
    }
    csv
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_csv_names_the_run_of_every_row() {
        let curve = LearningCurve {
            method: Some(Method::Molap),
            loss: vec![LossPoint {
                trials: 32,
                loss: 0.5,
            }],
            performance: vec![],
        };
        let csv = learning_runs_csv(&[("this run", &curve), ("earlier run", &curve)]);
        let lines: Vec<_> = csv.lines().collect();
        assert_eq!(lines[0], "run,method,quantity,task,trials,value");
        assert_eq!(lines[1], "this run,molap,loss,,32,0.5");
        assert_eq!(lines[2], "earlier run,molap,loss,,32,0.5");
    }

    #[test]
    fn thousands_are_separated_by_commas() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(640), "640");
        assert_eq!(thousands(20_000), "20,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
