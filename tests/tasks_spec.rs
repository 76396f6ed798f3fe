#![cfg(not(target_arch = "wasm32"))]
//! Random batches of every task checked against the corpus definition, over many seeds: input
//! channels per epoch, epoch timings, targets, cost mask and the correct answers.

use molap_lab::batch::Batch;
use molap_lab::tasks::{self, Family, N_IN, N_OUT, N_TASKS, Task, generate_seeded};
use std::f64::consts::{PI, TAU};
use std::ops::Range;

const DT: f64 = 20.0;
const SEEDS: u64 = 30;
const TOL: f64 = 1e-5;

fn input(b: &Batch, t: usize, trial: usize, c: usize) -> f32 {
    b.inputs[b.index(t, trial, c, N_IN)]
}

fn target(b: &Batch, t: usize, trial: usize, c: usize) -> f32 {
    b.targets[b.index(t, trial, c, N_OUT)]
}

fn epoch(b: &Batch, name: &str) -> Range<usize> {
    let e = b.epochs.iter().find(|e| e.name == name);
    let e = e.unwrap_or_else(|| panic!("no epoch {name:?} in {:?}", b.epochs));
    e.start..e.end
}

/// Every (task, seed, batch) of the sweep, at `dt` ms.
fn sweep(dt: f64) -> impl Iterator<Item = (Task, u64, Batch)> {
    Task::ALL.into_iter().flat_map(move |task| {
        (0..SEEDS).map(move |seed| (task, seed, generate_seeded(task, 16, dt, seed).unwrap()))
    })
}

fn circ(a: f64, b: f64) -> f64 {
    tasks::angular_distance(a, b)
}

/// The stimulus of trial `trial` in modality `m` (0 or 1) at step `t`: (amplitude, direction).
fn stimulus(b: &Batch, t: usize, trial: usize, m: usize) -> (f64, f64) {
    let c = tasks::IN_MOD1 + 2 * m;
    let (x, y) = (
        input(b, t, trial, c) as f64,
        input(b, t, trial, c + 1) as f64,
    );
    (x.hypot(y), x.atan2(y).rem_euclid(TAU))
}

#[test]
fn fixation_and_rule_inputs() {
    for (task, seed, b) in sweep(DT) {
        let rule = tasks::IN_RULE + task.index();
        for t in 0..b.n_steps {
            for trial in 0..b.batch_size {
                let fix = if t < b.go_step { 1.0 } else { 0.0 };
                assert_eq!(input(&b, t, trial, 0), fix, "{task} seed {seed} t {t}");
                for c in tasks::IN_RULE..N_IN {
                    let want = if c == rule { 1.0 } else { 0.0 };
                    assert_eq!(input(&b, t, trial, c), want, "{task} rule channel {c}");
                }
            }
        }
    }
}

/// Epoch names and duration ranges (ms) of each family, as the corpus defines them.
fn expected_epochs(task: Task) -> Vec<(&'static str, f64, f64)> {
    match task.family() {
        Family::Delay => vec![("fixation", 300., 700.), ("stimulus", 200., 1500.)],
        Family::Memory => {
            vec![
                ("fixation", 300., 700.),
                ("stimulus", 200., 1600.),
                ("delay", 200., 1600.),
            ]
        }
        Family::Decision => vec![
            ("fixation", 200., 600.),
            ("stimulus 1", 200., 1600.),
            ("delay 1", 200., 1600.),
            ("stimulus 2", 200., 1600.),
            ("delay 2", 100., 300.),
        ],
    }
}

#[test]
fn epoch_timings_within_spec_ranges() {
    for dt in [DT, 10.0, 35.0] {
        for (task, seed, b) in sweep(dt) {
            let mut want = expected_epochs(task);
            want.push(("response", 300., 700.));
            let names: Vec<&str> = b.epochs.iter().map(|e| e.name.as_str()).collect();
            let want_names: Vec<&str> = want.iter().map(|w| w.0).collect();
            assert_eq!(names, want_names, "{task}");
            let mut start = 0;
            for (e, &(name, lo, hi)) in b.epochs.iter().zip(&want) {
                let len = e.end - e.start;
                let (lo, hi) = ((lo / dt).floor() as usize, (hi / dt).floor() as usize);
                assert_eq!(
                    e.start, start,
                    "{task} seed {seed}: epochs must tile the trial"
                );
                assert!(
                    lo <= len && len <= hi,
                    "{task} {name} lasts {len} steps at dt {dt}"
                );
                start = e.end;
            }
            assert_eq!(start, b.n_steps);
            assert_eq!(epoch(&b, "response").start, b.go_step);
        }
    }
}

#[test]
fn timing_is_drawn_per_batch() {
    for task in Task::ALL {
        let lens: Vec<usize> = (0..SEEDS)
            .map(|s| generate_seeded(task, 4, DT, s).unwrap().n_steps)
            .collect();
        let distinct = lens.iter().collect::<std::collections::BTreeSet<_>>().len();
        assert!(distinct > SEEDS as usize / 3, "{task}: lengths {lens:?}");
    }
}

#[test]
fn stimulus_channels_single_tasks() {
    let mut seen = [false; 2];
    for (task, seed, b) in sweep(DT).filter(|(t, ..)| t.family() != Family::Decision) {
        let on = match task.family() {
            Family::Delay => epoch(&b, "stimulus").start..b.n_steps,
            _ => epoch(&b, "stimulus"),
        };
        let m = if stimulus(&b, on.start, 0, 0).0 > 0.0 {
            0
        } else {
            1
        };
        seen[m] = true;
        for trial in 0..b.batch_size {
            let theta = b.trials[trial].theta1 as f64;
            assert_eq!(b.trials[trial].theta2, b.trials[trial].theta1);
            for t in 0..b.n_steps {
                let c = tasks::IN_MOD1 + 2 * m;
                let (x, y) = (
                    input(&b, t, trial, c) as f64,
                    input(&b, t, trial, c + 1) as f64,
                );
                let (wx, wy) = if on.contains(&t) {
                    (theta.sin(), theta.cos())
                } else {
                    (0., 0.)
                };
                assert!(
                    (x - wx).abs() < TOL && (y - wy).abs() < TOL,
                    "{task} {seed} t {t}"
                );
                assert_eq!(
                    stimulus(&b, t, trial, 1 - m).0,
                    0.0,
                    "other modality must be 0"
                );
            }
        }
    }
    assert_eq!(
        seen,
        [true, true],
        "both modalities must occur across batches"
    );
}

/// Per trial of a decision batch: amplitudes `a[m][k]` of stimulus `k` in modality `m`, after
/// checking that each stimulus shows only during its epoch with a constant value.
fn decision_amplitudes(task: Task, b: &Batch, trial: usize) -> [[f64; 2]; 2] {
    let info = b.trials[trial];
    let windows = [epoch(b, "stimulus 1"), epoch(b, "stimulus 2")];
    let thetas = [info.theta1 as f64, info.theta2 as f64];
    let a = [0, 1].map(|m| [0, 1].map(|k| stimulus(b, windows[k].start, trial, m).0));
    for (m, a_m) in a.iter().enumerate() {
        for t in 0..b.n_steps {
            let (amp, dir) = stimulus(b, t, trial, m);
            match windows.iter().position(|w| w.contains(&t)) {
                None => assert_eq!(amp, 0.0, "{task}: modality {m} on at step {t}"),
                Some(k) => {
                    assert!(
                        (amp - a_m[k]).abs() < TOL,
                        "{task}: stimulus must be constant"
                    );
                    assert!(
                        amp == 0.0 || circ(dir, thetas[k]) < 1e-4,
                        "{task}: direction"
                    );
                }
            }
        }
    }
    a
}

/// A pair of strengths `m ± c` with `m ∈ [0.8, 1.2]` and `c ∈ [0.005, 0.8]`.
fn assert_pair(task: Task, p: [f64; 2]) {
    let (mean, coh) = ((p[0] + p[1]) / 2.0, (p[0] - p[1]).abs() / 2.0);
    assert!(
        (0.8 - TOL..=1.2 + TOL).contains(&mean),
        "{task}: mean {mean}"
    );
    assert!(
        (0.005 - TOL..=0.8 + TOL).contains(&coh),
        "{task}: coherence {coh}"
    );
}

#[test]
fn decision_stimuli_and_answers() {
    // How often the attended / summed choice differs from the other rule, per task.
    let mut informative = [0usize; N_TASKS];
    for (task, _, b) in sweep(DT).filter(|(t, ..)| t.family() == Family::Decision) {
        for trial in 0..b.batch_size {
            let a = decision_amplitudes(task, &b, trial);
            let info = b.trials[trial];
            let pick = |s: [f64; 2]| {
                if s[0] > s[1] {
                    info.theta1
                } else {
                    info.theta2
                }
            };
            let (by_m1, by_m2) = (pick(a[0]), pick(a[1]));
            let by_sum = pick([a[0][0] + a[1][0], a[0][1] + a[1][1]]);
            let (answer, other) = match task {
                Task::MemoryDm1 => {
                    assert_eq!(a[1], [0.0, 0.0]);
                    assert_pair(task, a[0]);
                    (by_m1, by_m1)
                }
                Task::MemoryDm2 => {
                    assert_eq!(a[0], [0.0, 0.0]);
                    assert_pair(task, a[1]);
                    (by_m2, by_m2)
                }
                Task::CtxMemoryDm1 | Task::CtxMemoryDm2 => {
                    assert_pair(task, a[0]);
                    assert_pair(task, a[1]);
                    if task == Task::CtxMemoryDm1 {
                        (by_m1, by_m2)
                    } else {
                        (by_m2, by_m1)
                    }
                }
                _ => {
                    let g = [(a[0][0] + a[1][0]) / 2.0, (a[0][1] + a[1][1]) / 2.0];
                    assert_pair(task, g);
                    for k in 0..2 {
                        let split = (a[0][k] - a[1][k]).abs() / g[k];
                        assert!((0.005 - TOL..=0.8 + TOL).contains(&split), "split {split}");
                    }
                    (by_sum, by_m1)
                }
            };
            assert_eq!(info.response, answer, "{task}");
            informative[task.index()] += usize::from(answer != other);
        }
    }
    for task in [Task::CtxMemoryDm1, Task::CtxMemoryDm2, Task::MultiMemoryDm] {
        assert!(
            informative[task.index()] > 10,
            "{task}: the rules never disagree"
        );
    }
}

#[test]
fn second_direction_is_opposite_half_circle() {
    let (mut plus, mut minus) = (0, 0);
    for (task, _, b) in sweep(DT).filter(|(t, ..)| t.family() == Family::Decision) {
        for info in &b.trials {
            let d = (info.theta2 as f64 - info.theta1 as f64).rem_euclid(TAU);
            assert!(
                (PI / 2.0 - TOL..=1.5 * PI + TOL).contains(&d),
                "{task}: θ2 - θ1 = {d}"
            );
            if d < PI {
                plus += 1
            } else {
                minus += 1
            }
            assert!((0.0..TAU as f32).contains(&info.theta2));
        }
    }
    assert!(
        plus > 100 && minus > 100,
        "both signs must occur: {plus} {minus}"
    );
}

#[test]
fn coherences_come_from_a_pool_of_100() {
    let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(3);
    let spec = tasks::draw_spec(Task::MemoryDm1, 2000, &mut rng);
    let mut c: Vec<f64> = spec
        .trials
        .iter()
        .map(|s| (s.strength[0][0] - s.strength[0][1]).abs() / 2.0)
        .collect();
    c.sort_by(f64::total_cmp);
    let distinct = 1 + c.windows(2).filter(|w| w[1] - w[0] > 1e-9).count();
    assert!(
        (80..=100).contains(&distinct),
        "{distinct} distinct coherences"
    );
}

#[test]
fn pro_and_anti_answers() {
    for (task, seed, b) in sweep(DT).filter(|(t, ..)| t.family() != Family::Decision) {
        for info in &b.trials {
            let shift = if task.is_anti() { PI } else { 0.0 };
            let d = circ(info.response as f64, info.theta1 as f64 + shift);
            assert!(
                d < TOL,
                "{task} seed {seed}: response {} θ {}",
                info.response,
                info.theta1
            );
            assert!((0.0..TAU as f32).contains(&info.response));
        }
    }
}

#[test]
fn targets_follow_the_go_cue() {
    for (task, seed, b) in sweep(DT) {
        for (trial, info) in b.trials.iter().enumerate() {
            let phi = info.response as f64;
            for t in 0..b.n_steps {
                let got = [0, 1, 2].map(|c| target(&b, t, trial, c) as f64);
                let want = if t < b.go_step {
                    [0.8, 0.0, 0.0]
                } else {
                    [0.0, phi.sin(), phi.cos()]
                };
                for c in 0..3 {
                    assert!((got[c] - want[c]).abs() < 1e-6, "{task} {seed} t {t} c {c}");
                }
            }
        }
    }
}

#[test]
fn cost_mask_per_period() {
    for dt in [DT, 30.0] {
        let grace = (100.0 / dt).floor() as usize;
        for (task, _, b) in sweep(dt) {
            for t in 0..b.n_steps {
                let w = match t {
                    t if t < grace => 0.0,
                    t if t < b.go_step => 1.0,
                    t if t < b.go_step + grace => 0.0,
                    _ => 5.0,
                };
                for trial in 0..b.batch_size {
                    let m = b.mask_at(t);
                    let i = trial * N_OUT;
                    assert_eq!([m[i], m[i + 1], m[i + 2]], [2.0 * w, w, w], "{task} t {t}");
                }
            }
        }
    }
}
