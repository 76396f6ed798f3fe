//! The report, `results.md`: how it was made, the verdicts (generated from the numbers by the
//! rule of [`Verdict::of`]), then one section per claim with its tables and figures.

use std::fmt::Write;
use std::time::Duration;

use molap_lab::methods::Method;
use molap_lab::perturb::Kind;
use molap_lab::tasks::Task;

use super::experiments::{MethodRun, SeedRun};
use super::measures as ms;
use super::plan::Plan;
use super::stats::{Spread, Verdict, censored_median};

/// A finished reproduction: what was planned, what was measured, and how long it took.
pub struct Run<'a> {
    /// The budgets.
    pub plan: &'a Plan,
    /// One entry per seed, in seed order.
    pub runs: &'a [SeedRun],
    /// Threads the work ran on (the machine's cores).
    pub cores: usize,
    /// Measured wall clock.
    pub elapsed: Duration,
    /// Wall clock estimated before starting.
    pub estimated: Duration,
    /// The command that regenerates the report.
    pub command: String,
}

/// A duration as "1 h 2 min", "3 min 4 s" or "5 s".
pub fn duration(d: Duration) -> String {
    let s = d.as_secs();
    match (s / 3600, (s / 60) % 60, s % 60) {
        (0, 0, s) => format!("{s} s"),
        (0, m, s) => format!("{m} min {s} s"),
        (h, m, _) => format!("{h} h {m} min"),
    }
}

/// The baselines MoLaP is compared with.
pub const BASELINES: [Method; 3] = [
    Method::Monolithic,
    Method::RandomModules,
    Method::PretrainedMonolith,
];

/// The whole report.
pub fn markdown(run: &Run<'_>) -> String {
    let mut md = String::new();
    md += &header(run);
    md += &super::sections::summary(run);
    md += &super::sections::efficiency(run);
    md += &super::sections::robustness(run);
    md += &super::sections::generalisation(run);
    md += &super::sections::ingredients(run);
    md += &super::sections::ablations(run);
    md += &notes(run);
    md
}

/// Title, command, budgets, machine, timing, and how verdicts are reached.
fn header(run: &Run<'_>) -> String {
    let p = run.plan;
    let mut md = String::from("# Does MoLaP deliver its three claims? Measured results\n\n");
    md += "This report is written by the tool; every number and every verdict below comes from \
           the run it describes. To regenerate it, from the repository root:\n\n";
    let _ = writeln!(
        md,
        "```sh\ncargo run --release -- {}\n```\n",
        command_words(run)
    );
    let _ = writeln!(
        md,
        "Preset `{}`, seeds 1 to {} (a seed moves the initial weights, the pre-training and \
         task-stage draws and the perturbation draws; the evaluation batches are always the \
         same 9 × 128 trials). Modules {} units; pre-training {} trials per module and for the \
         monolith; task stage {} trials per method, every task evaluated every {} trials; \
         criterion {:.0}% correct. Learning rates and batches are the tool's defaults.\n",
        p.preset.name(),
        p.seeds,
        join(&p.modules),
        p.pretrain_trials,
        p.task_trials,
        p.eval_every,
        100.0 * p.criterion
    );
    let _ = writeln!(
        md,
        "Timing (the only line that changes between reruns): {} of wall clock on {} cores \
         (estimated {} before starting).\n",
        duration(run.elapsed),
        run.cores,
        duration(run.estimated)
    );
    md += "**How verdicts are reached.** For each measure, MoLaP's values over seeds are \
           compared with a baseline's: a *win* or a *loss* when the difference of the means \
           exceeds the larger of the two standard deviations over seeds, a *tie* otherwise \
           (*undecided* with one seed). This is a coarse rule, not a significance test.\n\n";
    md
}

/// The command after `cargo run --release --`.
fn command_words(run: &Run<'_>) -> String {
    run.command.trim_start_matches("molap ").to_string()
}

/// Numbers joined by commas.
pub fn join(v: &[usize]) -> String {
    v.iter().map(usize::to_string).collect::<Vec<_>>().join(",")
}

/// Early stops and other remarks.
fn notes(run: &Run<'_>) -> String {
    let mut md = String::from("## Notes\n\n");
    let notes: Vec<&String> = run.runs.iter().flat_map(|r| &r.notes).collect();
    if notes.is_empty() {
        md += "No run diverged or stopped early.\n\n";
    }
    for n in notes {
        let _ = writeln!(md, "- {n}");
    }
    md += "\nThe raw numbers are in `results/*.csv` (fractions in [0, 1]; an empty trials cell \
           means the criterion was not reached within the budget).\n";
    md
}

/// A comparison of MoLaP with `other` on values over seeds, as a phrase with the verdict and
/// the difference: "win (+12.3 ± 4.0)". `scale` turns values into the unit shown.
pub fn compare(a: &[f64], b: &[f64], higher: bool, scale: f64, unit: &str) -> (Verdict, String) {
    let verdict = Verdict::of(a, b, higher);
    let (sa, sb) = (Spread::of(a), Spread::of(b));
    let diff = scale * (sa.mean - sb.mean);
    let spread = scale * sa.sd.max(sb.sd);
    (
        verdict,
        format!("{verdict} ({diff:+.1}{unit}, spread {spread:.1}{unit})"),
    )
}

/// For each baseline, MoLaP's verdict on the per-seed measure `f` of the main experiment.
pub fn against_baselines(
    runs: &[SeedRun],
    f: &dyn Fn(&MethodRun) -> f64,
    higher: bool,
    scale: f64,
    unit: &str,
) -> Vec<(Method, Verdict, String)> {
    let molap = ms::per_seed(runs, Method::Molap, f);
    BASELINES
        .iter()
        .map(|&b| {
            let other = ms::per_seed(runs, b, f);
            let (v, text) = compare(&molap, &other, higher, scale, unit);
            (b, v, text)
        })
        .collect()
}

/// "wins against A and B, ties with C": a sentence part from verdicts.
pub fn summarise(verdicts: &[(Method, Verdict, String)]) -> String {
    let group = |v: Verdict| -> Vec<&str> {
        verdicts
            .iter()
            .filter(|x| x.1 == v)
            .map(|x| x.0.label())
            .collect()
    };
    let mut parts = Vec::new();
    for (v, phrase) in [
        (Verdict::Win, "wins against"),
        (Verdict::Tie, "ties with"),
        (Verdict::Loss, "loses to"),
        (Verdict::Undecided, "is undecided against"),
    ] {
        let names = group(v);
        if !names.is_empty() {
            parts.push(format!("{phrase} {}", list(&names)));
        }
    }
    parts.join(", ")
}

/// The median of trials to the criterion with the count of seeds that reached it, as a cell:
/// "3200 (5/5)", "> 6400 (1/5)".
pub fn trials_cell(values: &[Option<usize>], budget: usize) -> String {
    let reached = values.iter().flatten().count();
    let median = censored_median(values).map_or(format!("> {budget}"), |m| format!("{m:.0}"));
    format!("{median} ({reached}/{})", values.len())
}

/// A Markdown table from a header and rows.
pub fn table(header: &[String], rows: &[Vec<String>]) -> String {
    let mut md = format!("| {} |\n", header.join(" | "));
    md += &format!("|{}\n", "---|".repeat(header.len()));
    for row in rows {
        md += &format!("| {} |\n", row.join(" | "));
    }
    md + "\n"
}

/// The header row: a first column then each method's label.
pub fn method_header(first: &str, methods: &[Method]) -> Vec<String> {
    let mut h = vec![first.to_string()];
    h.extend(methods.iter().map(|m| m.label().to_string()));
    h
}

/// The held-out tasks, named.
pub fn held_names(tasks: &[Task]) -> String {
    let names: Vec<&str> = tasks.iter().map(|t| t.short()).collect();
    names.join(", ")
}

/// A perturbation's name for prose, without its unit.
pub fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::RecWeightNoise => "recurrent weight noise",
        Kind::InputWeightNoise => "input weight noise",
        Kind::UnitLoss => "unit loss",
        Kind::ModuleLoss => "module loss",
        Kind::InputNoise => "input noise",
        Kind::RecurrentNoise => "recurrent noise",
        Kind::SynapseLoss => "synapse loss",
    }
}

/// "A", "A and B", "A, B and C".
fn list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
