//! `Lab`: the page's simulator state behind one JS object — the model's networks (with any
//! weights trained in the page), the current perturbation, the fitted trajectory axes and the
//! numbers of the summary panels — with one coarse call per repaint, evaluation or export.
//! The model file stays as loaded, so a method trained in the page can be put back
//! ([`Lab::restore`]).
//!
//! The same object serves the evaluation worker (which only evaluates and sweeps); drawing
//! calls are made on the main thread only (plotters measures text through the document).

use js_sys::{Float32Array, Float64Array};
use serde::Deserialize;
use wasm_bindgen::prelude::*;

use super::layers::{Backdrop, canvas_area, draw_layered};
use super::{js_error, parse_json};
use crate::analysis::{self, Projector, Trajectories, TrialView};
use crate::eval::EvalSet;
use crate::methods::{Method, parameter_counts};
use crate::model::{CRITERION, Model, SavedNetwork};
use crate::network::{Connectivity, Network, NetworkConfig, Trace};
use crate::perturb::{Kind, Perturbation};
use crate::plots::{PlotSpot, efficiency, learning, performance, robustness, trajectories, trial};
use crate::report::{self, Efficiency, LearningCurve, MethodPerformance, Robustness};
use crate::sweep;
use crate::tasks::Task;

/// Trials per task used by robustness sweeps: fewer than the full evaluation batch so a whole
/// curve fits in the background within seconds.
const SWEEP_TRIALS: usize = 32;

/// The simulator's state for the page (see the module docs).
#[wasm_bindgen]
pub struct Lab {
    model: Model,
    networks: Vec<(Method, Network<f32>)>,
    perturbation: Perturbation,
    method: Method,
    task: Task,
    trial: usize,
    projector: Option<(Method, Projector)>,
    current: Option<(Trajectories, Trace<f32>)>,
    performance: Vec<MethodPerformance>,
    learning: Vec<LearningCurve>,
    robustness: Option<Robustness>,
    eval: Option<EvalSet>,
    sweep_eval: Option<EvalSet>,
    /// Counts refits of the trajectory axes: a backdrop drawn for an older fit is stale.
    fits: u64,
    trajectories_backdrop: Option<Backdrop<Vec<PlotSpot>>>,
    trial_backdrop: Option<Backdrop<trial::TrialSpots>>,
    /// The run trained in the page while it is shown, and an earlier run kept for comparison.
    runs: LearningRuns,
}

/// The page's own training runs as the learning panel shows them.
#[derive(Debug, Default, Deserialize)]
struct LearningRuns {
    /// The run shown now: the x axis spans its budget.
    run: Option<RunView>,
    /// An earlier run, drawn dashed and faded.
    earlier: Option<EarlierRun>,
}

/// The run trained in the page.
#[derive(Debug, Deserialize)]
struct RunView {
    method: Method,
    /// Where it started ("the pre-trained modules", "scratch").
    from: String,
    /// Its task stage's trial budget.
    span: usize,
}

/// A run kept for comparison.
#[derive(Debug, Deserialize)]
struct EarlierRun {
    from: String,
    curve: LearningCurve,
}

#[wasm_bindgen]
impl Lab {
    /// Reads a model file; a bad file gives an error saying what is wrong with it.
    #[wasm_bindgen(constructor)]
    pub fn new(bytes: &[u8]) -> Result<Lab, JsError> {
        let model = Model::from_bytes(bytes).map_err(js_error)?;
        let networks = model
            .networks
            .iter()
            .map(|t| Ok((t.method, t.network.to_network()?)))
            .collect::<crate::Result<Vec<_>>>()
            .map_err(js_error)?;
        let Some(&(method, _)) = networks.first() else {
            return Err(JsError::new("the model file holds no trained network"));
        };
        let learning = model
            .networks
            .iter()
            .map(|t| LearningCurve {
                method: Some(t.method),
                loss: t.history.clone(),
                performance: t.curve.clone(),
            })
            .collect();
        Ok(Lab {
            model,
            networks,
            perturbation: Perturbation::default(),
            method,
            task: Task::MemoryPro,
            trial: 0,
            projector: None,
            current: None,
            performance: Vec::new(),
            learning,
            robustness: None,
            eval: None,
            sweep_eval: None,
            fits: 0,
            trajectories_backdrop: None,
            trial_backdrop: None,
            runs: LearningRuns::default(),
        })
    }

    /// What the page needs to build its controls, as JSON: methods, tasks, module count,
    /// parameter counts and the file's saved performance.
    pub fn info(&self) -> String {
        let methods: Vec<_> = self
            .networks
            .iter()
            .map(|(m, _)| serde_json::json!({ "name": m.name(), "label": m.label() }))
            .collect();
        let tasks: Vec<_> = Task::ALL
            .iter()
            .map(|t| serde_json::json!({ "name": t.short(), "label": t.name() }))
            .collect();
        let saved: Vec<_> = self
            .model
            .networks
            .iter()
            .map(|t| MethodPerformance {
                method: t.method,
                per_task: t.performance.clone(),
            })
            .collect();
        serde_json::json!({
            "methods": methods,
            "tasks": tasks,
            "modules": self.model.config.network.modules,
            "efficiency": self.efficiency(),
            "saved_performance": saved,
            "trajectory_trials": analysis::N_TRIALS,
        })
        .to_string()
    }

    /// Chooses the method, task and trial shown by the trajectory and trial panels.
    #[wasm_bindgen(js_name = setView)]
    pub fn set_view(&mut self, method: &str, task: &str, trial: usize) -> Result<(), JsError> {
        let method: Method = method.parse().map_err(js_error)?;
        let task: Task = task.parse().map_err(js_error)?;
        self.network(method)?;
        if trial >= analysis::N_TRIALS {
            return Err(JsError::new(&format!(
                "trial {trial} does not exist: there are {} trials",
                analysis::N_TRIALS
            )));
        }
        if (method, task) != (self.method, self.task) {
            self.projector = None;
        }
        (self.method, self.task, self.trial) = (method, task, trial);
        self.refresh()
    }

    /// Sets the perturbation from JSON (the fields of `Perturbation`; missing ones default).
    #[wasm_bindgen(js_name = setPerturbation)]
    pub fn set_perturbation(&mut self, json: &str) -> Result<(), JsError> {
        let p: Perturbation = parse_json(json, "perturbation")?;
        p.validate(self.model.config.network.modules.len())
            .map_err(js_error)?;
        self.perturbation = p;
        if self.projector.is_some() {
            self.current = None;
        }
        Ok(())
    }

    /// Draws `panel` ("trajectories", "trial", "performance", "learning", "robustness",
    /// "efficiency") on the canvas with id `canvas_id`.
    pub fn draw(&mut self, panel: &str, canvas_id: &str) -> Result<(), JsError> {
        match panel {
            "trajectories" => return self.draw_trajectories(canvas_id),
            "trial" => return self.draw_trial(canvas_id),
            _ => {}
        }
        let area = canvas_area(canvas_id)?;
        let drawn = match panel {
            "performance" => {
                let rows: Vec<_> = self
                    .performance
                    .iter()
                    .map(|p| performance::MethodPerformance {
                        method: p.method,
                        per_task: p.per_task.clone(),
                    })
                    .collect();
                performance::draw_performance(&area, &Task::ALL, &rows)
            }
            "learning" => {
                let (series, view) = self.learning_view();
                learning::draw_learning_view(&area, &series, &view)
            }
            "robustness" => match &self.robustness {
                Some(r) => {
                    let series: Vec<_> = r
                        .curves
                        .iter()
                        .map(|c| robustness::RobustnessSeries {
                            method: c.method,
                            points: c.points.clone(),
                        })
                        .collect();
                    robustness::draw_robustness_over(
                        &area,
                        r.kind,
                        &series,
                        r.current,
                        Some(r.range),
                    )
                }
                None => return Err(JsError::new("no robustness curve yet")),
            },
            "efficiency" => {
                let counts: Vec<_> = self
                    .efficiency()
                    .iter()
                    .map(|e| efficiency::ParameterCount {
                        method: e.method,
                        trained: e.trained,
                        total: e.total,
                    })
                    .collect();
                efficiency::draw_efficiency_panel(&area, &counts, &self.speed(), CRITERION)
            }
            other => return Err(JsError::new(&format!("no panel called `{other}`"))),
        };
        drawn.map_err(|e| JsError::new(&format!("drawing {panel} failed: {e}")))
    }

    /// The data of `panel` as CSV text.
    pub fn csv(&mut self, panel: &str) -> Result<String, JsError> {
        Ok(match panel {
            "trajectories" => {
                self.ensure_current()?;
                let (current, _) = self.current.as_ref().expect("computed");
                let (_, projector) = self.projector.as_ref().expect("fitted");
                analysis::trajectories_csv(current, &projector.reference)
            }
            "trial" => analysis::trial_csv(&self.trial_view()?),
            "performance" => report::performance_csv(&self.performance),
            "learning" => {
                let mut rows: Vec<_> = self
                    .learning
                    .iter()
                    .map(|c| {
                        let this = self
                            .runs
                            .run
                            .as_ref()
                            .is_some_and(|r| c.method == Some(r.method));
                        (if this { "this run" } else { "saved" }, c)
                    })
                    .collect();
                if let Some(e) = &self.runs.earlier {
                    rows.push(("earlier run", &e.curve));
                }
                report::learning_runs_csv(&rows)
            }
            "robustness" => self
                .robustness
                .as_ref()
                .map_or_else(String::new, report::robustness_csv),
            "efficiency" => report::efficiency_csv(&self.efficiency(), &self.speed()),
            other => return Err(JsError::new(&format!("no panel called `{other}`"))),
        })
    }

    /// Whether the shown trial is correct, with its answer, as JSON (for the page's text).
    #[wasm_bindgen(js_name = trialSummary)]
    pub fn trial_summary(&mut self) -> Result<String, JsError> {
        let view = self.trial_view()?;
        Ok(serde_json::json!({
            "correct": view.correct,
            "response_deg": view.response.to_degrees(),
            "answer_deg": view.answer.map(f64::to_degrees),
        })
        .to_string())
    }

    /// Replaces the performance table (JSON list of `{method, per_task}`) the bars show.
    #[wasm_bindgen(js_name = setPerformance)]
    pub fn set_performance(&mut self, json: &str) -> Result<(), JsError> {
        self.performance = parse_json(json, "performance")?;
        Ok(())
    }

    /// Replaces one method's learning curve (JSON `{method, loss, performance}`).
    #[wasm_bindgen(js_name = setLearningCurve)]
    pub fn set_learning_curve(&mut self, json: &str) -> Result<(), JsError> {
        let curve: LearningCurve = parse_json(json, "learning curve")?;
        self.learning.retain(|c| c.method != curve.method);
        self.learning.push(curve);
        self.learning
            .sort_by_key(|c| c.method.map(|m| Method::ALL.iter().position(|&a| a == m)));
        Ok(())
    }

    /// `method`'s learning curve, as JSON `{method, loss, performance}`.
    #[wasm_bindgen(js_name = learningCurve)]
    pub fn learning_curve(&self, method: &str) -> Result<String, JsError> {
        let method: Method = method.parse().map_err(js_error)?;
        let curve = self.learning.iter().find(|c| c.method == Some(method));
        let curve = curve.cloned().unwrap_or(LearningCurve {
            method: Some(method),
            ..LearningCurve::default()
        });
        serde_json::to_string(&curve).map_err(|e| JsError::new(&e.to_string()))
    }

    /// Sets the page's runs the learning panel shows, as JSON `{run, earlier}`: `run`
    /// (`{method, from, span}` or null) is the run trained now, whose budget `span` the x axis
    /// spans (every curve cut there); `earlier` (`{from, curve}` or null) is an earlier run's
    /// learning curve, drawn dashed and faded.
    #[wasm_bindgen(js_name = setLearningRuns)]
    pub fn set_learning_runs(&mut self, json: &str) -> Result<(), JsError> {
        self.runs = parse_json(json, "learning runs")?;
        Ok(())
    }

    /// The learning panel's x span in trials (what its axes run to).
    #[wasm_bindgen(js_name = learningSpan)]
    pub fn learning_span(&self) -> f64 {
        let (series, view) = self.learning_view();
        learning::span_of(&series, &view) as f64
    }

    /// Puts `method`'s network and learning curve back as the model file holds them (undoing
    /// any training in the page).
    pub fn restore(&mut self, method: &str) -> Result<(), JsError> {
        let method: Method = method.parse().map_err(js_error)?;
        let saved = self.model.networks.iter().find(|t| t.method == method);
        let saved = saved.ok_or_else(|| JsError::new("the model has no such method"))?;
        let network = saved.network.to_network().map_err(js_error)?;
        let curve = LearningCurve {
            method: Some(method),
            loss: saved.history.clone(),
            performance: saved.curve.clone(),
        };
        if let Some((_, slot)) = self.networks.iter_mut().find(|(m, _)| *m == method) {
            *slot = network;
        }
        self.learning.retain(|c| c.method != Some(method));
        self.learning.push(curve);
        self.learning
            .sort_by_key(|c| c.method.map(|m| Method::ALL.iter().position(|&a| a == m)));
        if method == self.method {
            self.projector = None;
            self.current = None;
        }
        Ok(())
    }

    /// `method`'s network configuration, as JSON `NetworkConfig` (what `setWeights` takes).
    #[wasm_bindgen(js_name = networkConfig)]
    pub fn network_config(&self, method: &str) -> Result<String, JsError> {
        let method: Method = method.parse().map_err(js_error)?;
        serde_json::to_string(self.network(method)?.config())
            .map_err(|e| JsError::new(&e.to_string()))
    }

    /// Replaces the robustness curves (JSON of `Robustness`).
    #[wasm_bindgen(js_name = setRobustness)]
    pub fn set_robustness(&mut self, json: &str) -> Result<(), JsError> {
        self.robustness = Some(parse_json(json, "robustness")?);
        Ok(())
    }

    /// Performance on every task of `method`'s network under the current perturbation
    /// (the full evaluation batches).
    pub fn evaluate(&mut self, method: &str) -> Result<Float64Array, JsError> {
        let method: Method = method.parse().map_err(js_error)?;
        let dt = self.model.config.network.dt_ms;
        let eval = match &self.eval {
            Some(e) => e,
            None => self.eval.insert(EvalSet::all(dt).map_err(js_error)?),
        };
        let network = self
            .networks
            .iter()
            .find(|(m, _)| *m == method)
            .map(|(_, n)| n);
        let network = network.ok_or_else(|| JsError::new("the model has no such method"))?;
        let values = eval
            .evaluate(network, &self.perturbation)
            .map_err(js_error)?;
        Ok(Float64Array::from(values.as_slice()))
    }

    /// One point of a robustness curve (JSON `SweepPoint`): `method` under perturbation `kind`
    /// at `magnitude`, averaged over `draws` draws from seed `seed`, on a subset of trials.
    #[wasm_bindgen(js_name = sweepPoint)]
    pub fn sweep_point(
        &mut self,
        method: &str,
        kind: &str,
        magnitude: f64,
        draws: usize,
        seed: u32,
    ) -> Result<String, JsError> {
        let method: Method = method.parse().map_err(js_error)?;
        let kind = Kind::from_name(kind).map_err(js_error)?;
        self.ensure_sweep_eval()?;
        let eval = self.sweep_eval.as_ref().expect("just made");
        let network = self.network(method)?;
        let point = sweep::sweep_point(network, eval, kind, magnitude, draws, u64::from(seed))
            .map_err(js_error)?;
        serde_json::to_string(&point).map_err(|e| JsError::new(&e.to_string()))
    }

    /// The magnitudes of `kind`'s robustness curve.
    pub fn magnitudes(&self, kind: &str) -> Result<Float64Array, JsError> {
        let kind = Kind::from_name(kind).map_err(js_error)?;
        let n_modules = self.model.config.network.modules.len();
        Ok(Float64Array::from(
            sweep::default_magnitudes(kind, n_modules).as_slice(),
        ))
    }

    /// Replaces `method`'s weights (as `TrainerHandle::weights` exports them) and refits the
    /// trajectory axes if that method is shown. With `config` (JSON `NetworkConfig`, as
    /// `TrainerHandle::networkConfig` gives it) the network takes that shape, e.g. another
    /// number of units per module.
    #[wasm_bindgen(js_name = setWeights)]
    pub fn set_weights(
        &mut self,
        method: &str,
        weights: &[f32],
        config: Option<String>,
    ) -> Result<(), JsError> {
        let method: Method = method.parse().map_err(js_error)?;
        let slot = self.networks.iter_mut().find(|(m, _)| *m == method);
        let (_, network) = slot.ok_or_else(|| JsError::new("the model has no such method"))?;
        let template = match config {
            Some(json) => {
                let config: NetworkConfig = parse_json(&json, "network configuration")?;
                Network::random(&config, 0).map_err(js_error)?
            }
            None => network.clone(),
        };
        *network = super::unflatten(&template, weights)?;
        if method == self.method {
            self.projector = None;
            self.current = None;
        }
        Ok(())
    }

    /// `method`'s current weights, flattened.
    pub fn weights(&self, method: &str) -> Result<Float32Array, JsError> {
        let method: Method = method.parse().map_err(js_error)?;
        Ok(super::flatten(self.network(method)?))
    }

    /// The model file with the current weights (and the current performance table), to save.
    #[wasm_bindgen(js_name = modelBytes)]
    pub fn model_bytes(&self) -> Result<Vec<u8>, JsError> {
        let mut model = self.model.clone();
        for trained in &mut model.networks {
            if let Some((_, network)) = self.networks.iter().find(|(m, _)| *m == trained.method) {
                trained.network = SavedNetwork::from_network(network);
            }
            if let Some(p) = self.performance.iter().find(|p| p.method == trained.method) {
                if p.per_task.iter().all(|v| v.is_finite()) {
                    trained.performance = p.per_task.clone();
                }
            }
            if let Some(curve) = self
                .learning
                .iter()
                .find(|c| c.method == Some(trained.method))
            {
                trained.history = curve.loss.clone();
                trained.curve = curve.performance.clone();
                trained.trials = curve.loss.last().map_or(trained.trials, |p| p.trials);
            }
        }
        model.to_bytes().map_err(js_error)
    }
}

impl Lab {
    /// The trajectory panel: axes, key and faded unperturbed paths as a backdrop kept until
    /// the axes are refitted; only the current paths are drawn at each repaint.
    fn draw_trajectories(&mut self, canvas_id: &str) -> Result<(), JsError> {
        let title = self.title();
        self.ensure_current()?;
        let (current, _) = self.current.as_ref().expect("computed");
        let (_, projector) = self.projector.as_ref().expect("fitted");
        let parts = match self.method.connectivity() {
            Connectivity::Modular => trajectories::Parts::Modules,
            Connectivity::Monolithic => trajectories::Parts::Groups,
        };
        let key = format!("{}|{title}", self.fits);
        draw_layered(
            &mut self.trajectories_backdrop,
            canvas_id,
            &key,
            |area| {
                trajectories::draw_trajectories_frame(
                    area,
                    &projector.reference,
                    &projector.ranges,
                    &title,
                    parts,
                )
            },
            |area, spots| trajectories::draw_trajectory_paths(area, current, spots),
        )
    }

    /// The trial panel: everything but the network's inputs, outputs and verdict as a
    /// backdrop kept while the task and trial stay the same.
    fn draw_trial(&mut self, canvas_id: &str) -> Result<(), JsError> {
        let title = format!(
            "{} — trial {} of {}",
            self.task.name(),
            self.trial + 1,
            analysis::N_TRIALS
        );
        let view = self.trial_view()?;
        let key = format!("{}|{title}", self.fits);
        draw_layered(
            &mut self.trial_backdrop,
            canvas_id,
            &key,
            |area| trial::draw_trial_frame(area, &view, &title),
            |area, spots| trial::draw_trial_data(area, &view, spots),
        )
    }

    fn network(&self, method: Method) -> Result<&Network<f32>, JsError> {
        self.networks
            .iter()
            .find(|(m, _)| *m == method)
            .map(|(_, n)| n)
            .ok_or_else(|| JsError::new(&format!("the model has no {} network", method.label())))
    }

    fn title(&self) -> String {
        let p = &self.perturbation;
        let perturbed = *p
            != Perturbation {
                seed: p.seed,
                ..Perturbation::default()
            };
        let state = if perturbed {
            "perturbed (bold) over unperturbed (faded)"
        } else {
            "unperturbed"
        };
        format!(
            "{}, {}: {} trials, {state}",
            self.method.label(),
            self.task.name(),
            analysis::N_TRIALS
        )
    }

    /// The learning panel's curves and view: the x axis spans the run trained in the page
    /// while it is shown, and an earlier run is drawn for comparison.
    fn learning_view(&self) -> (Vec<learning::LearningSeries>, learning::LearningView) {
        let series_of = |c: &LearningCurve| {
            Some(learning::LearningSeries {
                method: c.method?,
                curve: c.performance.clone(),
                history: c.loss.clone(),
            })
        };
        let series: Vec<_> = self.learning.iter().filter_map(series_of).collect();
        let earlier = self.runs.earlier.as_ref();
        let run = self.runs.run.as_ref();
        let title = match (run, earlier) {
            (Some(r), Some(e)) => format!(
                "Learning curves: this run from {}, earlier run from {}",
                r.from, e.from
            ),
            (Some(r), None) => format!(
                "Learning curves: this run from {}, {} trials",
                r.from,
                report::thousands(r.span)
            ),
            (None, Some(e)) => format!("Learning curves (dashed: an earlier run from {})", e.from),
            (None, None) => "Learning curves".to_string(),
        };
        let view = learning::LearningView {
            task: Some(self.task),
            span: run.map(|r| r.span),
            run: run.map(|r| r.method),
            earlier: earlier.and_then(|e| series_of(&e.curve)),
            title: Some(title),
        };
        (series, view)
    }

    /// Trials to the criterion per task of every method with a learning curve.
    fn speed(&self) -> Vec<efficiency::TrialsToCriterion> {
        self.learning
            .iter()
            .filter(|c| !c.performance.is_empty())
            .filter_map(|c| Some(report::trials_to_criterion(c.method?, &c.performance)))
            .collect()
    }

    fn efficiency(&self) -> Vec<Efficiency> {
        self.networks
            .iter()
            .map(|(method, network)| {
                let (trained, total) = parameter_counts(*method, network);
                Efficiency {
                    method: *method,
                    trained,
                    total,
                }
            })
            .collect()
    }

    fn ensure_sweep_eval(&mut self) -> Result<(), JsError> {
        if self.sweep_eval.is_none() {
            let full = EvalSet::all(self.model.config.network.dt_ms).map_err(js_error)?;
            let picked: Vec<usize> = (0..SWEEP_TRIALS).collect();
            let batches = full
                .batches
                .iter()
                .map(|(task, b)| (*task, analysis::select_trials(b, &picked)))
                .collect();
            self.sweep_eval = Some(EvalSet { batches });
        }
        Ok(())
    }

    /// Fits the axes if needed and recomputes the current trajectories.
    fn refresh(&mut self) -> Result<(), JsError> {
        self.current = None;
        self.ensure_current()
    }

    /// Fits the axes and computes the current trajectories and trace, when missing.
    fn ensure_current(&mut self) -> Result<(), JsError> {
        if self.projector.is_none() {
            let projector =
                Projector::fit(self.network(self.method)?, self.task).map_err(js_error)?;
            self.projector = Some((self.method, projector));
            self.current = None;
            self.fits += 1;
        }
        if self.current.is_none() {
            let method = self.method;
            let network = self.networks.iter().find(|(m, _)| *m == method);
            let (_, network) =
                network.ok_or_else(|| JsError::new("the model has no such method"))?;
            let (_, projector) = self.projector.as_mut().expect("just fitted");
            let p = &self.perturbation;
            let unperturbed = Perturbation {
                seed: p.seed,
                ..Perturbation::default()
            };
            // Unperturbed (a seed alone draws nothing): the reference is the answer.
            self.current = Some(if *p == unperturbed {
                let reference = &projector.reference;
                (reference.clone(), projector.reference_trace.clone())
            } else {
                let trace = projector.run(network, p).map_err(js_error)?;
                (projector.project(&trace, &network.modules()), trace)
            });
        }
        Ok(())
    }

    fn trial_view(&mut self) -> Result<TrialView, JsError> {
        let (task, trial) = (self.task, self.trial);
        self.ensure_current()?;
        let (_, trace) = self.current.as_ref().expect("computed");
        let (_, projector) = self.projector.as_ref().expect("fitted");
        analysis::trial_view(task, &projector.batch, trace, trial).map_err(js_error)
    }
}
