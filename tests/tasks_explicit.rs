#![cfg(not(target_arch = "wasm32"))]
//! The task list and its names, explicit batches built from a `TrialSpec`, the errors of
//! invalid specs, scoring of hand-made outputs, and the fixed evaluation batches.

use molap_lab::Error;
use molap_lab::batch::Batch;
use molap_lab::tasks::{self, Modality, N_IN, N_OUT, N_TASKS, Stimuli, Task, Timing};
use molap_lab::tasks::{TrialSpec, build};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::f64::consts::{PI, TAU};

const DT: f64 = 20.0;

fn input(b: &Batch, t: usize, trial: usize, c: usize) -> f32 {
    b.inputs[b.index(t, trial, c, N_IN)]
}

fn timing(durations: [f64; 6]) -> Timing {
    let [
        fixation_ms,
        stimulus1_ms,
        delay1_ms,
        stimulus2_ms,
        delay2_ms,
        response_ms,
    ] = durations;
    Timing {
        fixation_ms,
        stimulus1_ms,
        delay1_ms,
        stimulus2_ms,
        delay2_ms,
        response_ms,
    }
}

fn delay_timing() -> Timing {
    timing([400.0, 600.0, 0.0, 0.0, 0.0, 500.0])
}

fn decision_timing() -> Timing {
    timing([300.0, 400.0, 500.0, 400.0, 200.0, 400.0])
}

/// The field named by an `InvalidConfig` error.
fn field_of(r: molap_lab::Result<Batch>) -> String {
    match r {
        Err(Error::InvalidConfig { field, .. }) => field,
        other => panic!("expected InvalidConfig, got {other:?}"),
    }
}

#[test]
fn task_list_names_and_channels() {
    assert_eq!((N_IN, N_OUT, N_TASKS), (14, 3, 9));
    assert_eq!(
        (
            tasks::IN_FIXATION,
            tasks::IN_MOD1,
            tasks::IN_MOD2,
            tasks::IN_RULE
        ),
        (0, 1, 3, 5)
    );
    assert_eq!((tasks::OUT_FIXATION, tasks::OUT_RESPONSE), (0, 1));
    let shorts: Vec<&str> = "delaypro delayanti memorypro memoryanti memorydm1 memorydm2 \
        ctxmemorydm1 ctxmemorydm2 multimemorydm"
        .split_whitespace()
        .collect();
    for (k, task) in Task::ALL.into_iter().enumerate() {
        assert_eq!(task.index(), k);
        assert_eq!(task.short(), shorts[k]);
        assert_eq!(shorts[k].parse::<Task>().unwrap(), task);
        assert_eq!(
            serde_json::to_string(&task).unwrap(),
            format!("\"{}\"", shorts[k])
        );
        assert_eq!(
            serde_json::from_str::<Task>(&format!("\"{}\"", shorts[k])).unwrap(),
            task
        );
        assert!(!task.name().is_empty() && task.name() != task.short());
    }
    let err = "delaygo".parse::<Task>().unwrap_err().to_string();
    assert!(
        err.contains("delaygo") && shorts.iter().all(|s| err.contains(s)),
        "{err}"
    );
}

#[test]
fn explicit_delay_trial_is_built_as_asked() {
    let spec = TrialSpec {
        timing: delay_timing(),
        trials: vec![
            Stimuli::single(1.0, Modality::Two, 0.5),
            Stimuli::single(-PI / 2.0, Modality::One, 1.0),
        ],
    };
    let b = build(Task::DelayAnti, &spec, DT).unwrap();
    assert_eq!((b.n_steps, b.go_step, b.batch_size), (75, 50, 2));
    for t in 0..b.n_steps {
        let on = t >= 20;
        let want = if on {
            [(0.5 * 1f64.sin()) as f32, (0.5 * 1f64.cos()) as f32]
        } else {
            [0.0; 2]
        };
        assert_eq!([input(&b, t, 0, 3), input(&b, t, 0, 4)], want, "t {t}");
        assert_eq!([input(&b, t, 0, 1), input(&b, t, 0, 2)], [0.0, 0.0]);
        assert_eq!(input(&b, t, 0, tasks::IN_RULE + 1), 1.0);
    }
    assert!((b.trials[0].response as f64 - (1.0 + PI)).abs() < 1e-6);
    // A negative direction is taken modulo 2π.
    assert!((b.trials[1].theta1 as f64 - 1.5 * PI).abs() < 1e-6);
    assert!((b.trials[1].response as f64 - 0.5 * PI).abs() < 1e-6);
}

#[test]
fn each_duration_is_floored_separately() {
    // 430 ms is 21.5 steps: two such epochs make 21 + 21 steps, not floor(43).
    let spec = TrialSpec {
        timing: timing([430.0, 430.0, 0.0, 0.0, 0.0, 310.0]),
        trials: vec![Stimuli::single(0.0, Modality::One, 1.0)],
    };
    let b = build(Task::DelayPro, &spec, DT).unwrap();
    assert_eq!((b.epochs[1].start, b.go_step, b.n_steps), (21, 42, 57));
}

#[test]
fn explicit_decision_trials_answer_by_the_task_rule() {
    // Modality 1 favours stimulus 1, modality 2 favours stimulus 2 by more.
    let s = Stimuli::pair(0.5, 3.0, [1.1, 0.9], [0.6, 1.3]);
    let cases = [
        (Task::CtxMemoryDm1, 0.5),
        (Task::CtxMemoryDm2, 3.0),
        (Task::MultiMemoryDm, 3.0),
    ];
    for (task, want) in cases {
        let b = build(
            task,
            &TrialSpec {
                timing: decision_timing(),
                trials: vec![s],
            },
            DT,
        )
        .unwrap();
        assert!((b.trials[0].response as f64 - want).abs() < 1e-6, "{task}");
        assert_eq!(b.epochs[3].name, "stimulus 2");
        let t = b.epochs[3].start;
        assert_eq!(input(&b, t, 0, 3), (1.3 * 3f64.sin()) as f32);
        assert_eq!(input(&b, t - 1, 0, 3), 0.0, "delay 1 carries no stimulus");
    }
    let dm2 = Stimuli::pair(0.5, 3.0, [0.0, 0.0], [1.2, 0.7]);
    let b = build(
        Task::MemoryDm2,
        &TrialSpec {
            timing: decision_timing(),
            trials: vec![dm2],
        },
        DT,
    );
    assert!((b.unwrap().trials[0].response - 0.5).abs() < 1e-6);
}

#[test]
fn invalid_timings_name_their_field() {
    let one = vec![Stimuli::single(0.0, Modality::One, 1.0)];
    let with = |d: [f64; 6]| TrialSpec {
        timing: timing(d),
        trials: one.clone(),
    };
    let cases = [
        (
            with([-1.0, 600.0, 0.0, 0.0, 0.0, 500.0]),
            "timing.fixation_ms",
        ),
        (
            with([400.0, f64::NAN, 0.0, 0.0, 0.0, 500.0]),
            "timing.stimulus1_ms",
        ),
        (
            with([400.0, 600.0, 100.0, 0.0, 0.0, 500.0]),
            "timing.delay1_ms",
        ),
        (
            with([400.0, 10.0, 0.0, 0.0, 0.0, 500.0]),
            "timing.stimulus1_ms",
        ),
        (
            with([400.0, 600.0, 0.0, 0.0, 0.0, f64::INFINITY]),
            "timing.response_ms",
        ),
        (
            with([400.0, 600.0, 0.0, 0.0, 0.0, 0.0]),
            "timing.response_ms",
        ),
    ];
    for (spec, field) in cases {
        assert_eq!(field_of(build(Task::DelayPro, &spec, DT)), field);
    }
    let good = with([400.0, 600.0, 0.0, 0.0, 0.0, 500.0]);
    for dt in [0.0, -20.0, f64::NAN, 500.0] {
        assert_eq!(field_of(build(Task::DelayPro, &good, dt)), "dt_ms");
    }
    let empty = TrialSpec {
        timing: delay_timing(),
        trials: vec![],
    };
    assert_eq!(field_of(build(Task::DelayPro, &empty, DT)), "trials");
    let no_stim2 = TrialSpec {
        trials: one.clone(),
        ..good.clone()
    };
    assert_eq!(
        field_of(build(Task::MemoryDm1, &no_stim2, DT)),
        "timing.stimulus2_ms"
    );
}

#[test]
fn invalid_stimuli_name_their_field() {
    let cases = [
        (
            Task::DelayPro,
            Stimuli::single(f64::NAN, Modality::One, 1.0),
            "trials[1].theta1",
        ),
        (
            Task::DelayPro,
            Stimuli::single(0.0, Modality::One, -1.0),
            "trials[1].strength[0][0]",
        ),
        (
            Task::DelayPro,
            Stimuli::pair(0.0, 0.0, [1.0, 0.0], [1.0, 0.0]),
            "trials[1]",
        ),
        (
            Task::DelayPro,
            Stimuli::pair(0.0, 0.0, [1.0, 0.5], [0.0, 0.0]),
            "trials[1]",
        ),
        (
            Task::DelayPro,
            Stimuli::single(0.0, Modality::Two, 0.0),
            "trials[1]",
        ),
        (
            Task::MemoryDm1,
            Stimuli::pair(0.0, 2.0, [1.0, 0.9], [0.1, 0.0]),
            "trials[1]",
        ),
        (
            Task::MemoryDm1,
            Stimuli::pair(0.0, 2.0, [1.0, 1.0], [0.0, 0.0]),
            "trials[1]",
        ),
        (
            Task::CtxMemoryDm2,
            Stimuli::pair(0.0, 2.0, [1.0, 0.9], [1.0, 1.0]),
            "trials[1]",
        ),
        (
            Task::MultiMemoryDm,
            Stimuli::pair(0.0, 2.0, [1.0, 0.9], [0.9, 1.0]),
            "trials[1]",
        ),
        (
            Task::MultiMemoryDm,
            Stimuli::pair(0.0, f64::INFINITY, [1.0, 0.9], [0.9, 0.8]),
            "trials[1].theta2",
        ),
    ];
    for (task, bad, field) in cases {
        let timing = if task.family() == tasks::Family::Decision {
            decision_timing()
        } else {
            delay_timing()
        };
        let good = match task {
            Task::DelayPro => Stimuli::single(0.0, Modality::One, 1.0),
            Task::MemoryDm1 => Stimuli::pair(0.0, 2.0, [1.0, 0.8], [0.0, 0.0]),
            _ => Stimuli::pair(0.0, 2.0, [1.0, 0.8], [0.9, 0.7]),
        };
        let spec = TrialSpec {
            timing,
            trials: vec![good, bad],
        };
        assert_eq!(field_of(build(task, &spec, DT)), field, "{task} {bad:?}");
    }
    let zero = tasks::generate_seeded(Task::DelayPro, 0, DT, 1);
    assert_eq!(field_of(zero), "batch_size");
    // A refused request leaves the generator where it was.
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    assert!(tasks::generate(Task::MemoryDm1, 4, f64::NAN, &mut rng).is_err());
    assert_eq!(rng, ChaCha8Rng::seed_from_u64(9));
}

#[test]
fn hand_made_outputs_are_scored() {
    let at = |phi: f64| (phi.sin() as f32, phi.cos() as f32);
    let r = 1.0f32;
    let (x, y) = at(1.0);
    assert!(tasks::trial_correct(0.0, x, y, r), "exact answer");
    assert!(
        tasks::trial_correct(0.5, x, y, r),
        "0.5 is not above the threshold"
    );
    assert!(!tasks::trial_correct(0.51, x, y, r), "still fixating");
    assert!(!tasks::trial_correct(f32::NAN, x, y, r), "NaN fixation");
    let (x, y) = at(1.0 + 0.19 * PI);
    assert!(
        tasks::trial_correct(0.1, 3.0 * x, 3.0 * y, r),
        "within 0.2π, any amplitude"
    );
    let (x, y) = at(1.0 - 0.21 * PI);
    assert!(!tasks::trial_correct(0.1, x, y, r), "beyond 0.2π");
    let (x, y) = at(1.0 + PI);
    assert!(!tasks::trial_correct(0.0, x, y, r), "opposite direction");
    // Wrap-around at 0 / 2π, both ways.
    let (x, y) = at(TAU - 0.1);
    assert!(tasks::trial_correct(0.0, x, y, 0.05));
    let (x, y) = at(0.1);
    assert!(tasks::trial_correct(0.0, x, y, (TAU - 0.05) as f32));
    assert!(!tasks::trial_correct(0.0, x, y, (TAU - 0.6) as f32));
}

/// Last-step outputs pointing at each trial's answer rotated by `shift`, fixation `fix`.
fn outputs(b: &Batch, shift: f64, fix: impl Fn(usize) -> f32) -> Vec<f32> {
    let mut out = Vec::with_capacity(b.batch_size * N_OUT);
    for (i, info) in b.trials.iter().enumerate() {
        let phi = info.response as f64 + shift;
        out.extend([fix(i), phi.sin() as f32, phi.cos() as f32]);
    }
    out
}

#[test]
fn performance_counts_correct_trials() {
    for task in Task::ALL {
        let b = tasks::generate_seeded(task, 32, DT, 11).unwrap();
        let last = b.targets_at(b.n_steps - 1).to_vec();
        assert_eq!(
            tasks::performance(&last, &b),
            1.0,
            "{task}: the targets score 1"
        );
        assert_eq!(tasks::performance(&outputs(&b, 0.1, |_| 0.0), &b), 1.0);
        assert_eq!(tasks::performance(&outputs(&b, PI, |_| 0.0), &b), 0.0);
        let half = outputs(&b, 0.0, |i| if i % 2 == 0 { 0.9 } else { 0.1 });
        assert_eq!(
            tasks::performance(&half, &b),
            0.5,
            "{task}: fixating trials fail"
        );
        let quarter = outputs(&b, 0.0, |i| if i % 4 == 0 { 0.1 } else { 0.8 });
        assert_eq!(tasks::performance(&quarter, &b), 0.25);
    }
}

#[test]
fn random_batches_use_the_explicit_builder() {
    for task in Task::ALL {
        let spec = tasks::draw_spec(task, 8, &mut ChaCha8Rng::seed_from_u64(5));
        let built = build(task, &spec, DT).unwrap();
        let drawn = tasks::generate(task, 8, DT, &mut ChaCha8Rng::seed_from_u64(5)).unwrap();
        assert_eq!(built, drawn, "{task}");
    }
}

#[test]
fn evaluation_batches_are_fixed() {
    assert_eq!(tasks::EVAL_BATCH_SIZE, 128);
    let mut firsts = Vec::new();
    for task in Task::ALL {
        let a = tasks::eval_batch(task, DT).unwrap();
        assert_eq!(a, tasks::eval_batch(task, DT).unwrap(), "{task}");
        assert_eq!(a.batch_size, tasks::EVAL_BATCH_SIZE);
        assert_eq!(
            tasks::eval_seed(task),
            tasks::EVAL_SEED_BASE + task.index() as u64
        );
        let same = tasks::generate_seeded(task, 128, DT, tasks::eval_seed(task)).unwrap();
        assert_eq!(a, same);
        firsts.push(a.trials[0].theta1);
    }
    firsts.dedup();
    assert_eq!(firsts.len(), 9, "each task has its own seed");
    assert!(tasks::eval_batch(Task::DelayPro, 0.0).is_err());
}
