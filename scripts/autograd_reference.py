"""Reference loss and gradients for MoLaP Lab's network, computed with JAX autograd.

This is an oracle independent of the Rust code: it re-implements the leaky dynamics and the
masked loss from the specification (docs of `src/network/mod.rs`, `tasks.md`) and lets JAX
differentiate them in float64. The Rust test `tests/autograd_agreement.rs` compares the crate's
hand-written backward pass with the values written here.

Regenerate (from the crate root; Python 3.10+, `pip install jax` for the CPU build):

    cargo run --example dump_autograd_case        # writes tests/fixtures/autograd_case.json
    python scripts/autograd_reference.py          # writes tests/fixtures/autograd_reference.json

then commit both files. The tests never need Python.
"""

import json
import sys
from pathlib import Path

import jax

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "fixtures" / "autograd_case.json"
OUT = ROOT / "tests" / "fixtures" / "autograd_reference.json"

ACTIVATIONS = {
    "tanh": jnp.tanh,
    "relu": lambda h: jnp.maximum(h, 0.0),
    "softplus": jax.nn.softplus,
}


def structural_mask(modules, connectivity):
    """1 where a recurrent weight may exist: inside each module's block, or everywhere."""
    n = sum(modules)
    if connectivity == "monolithic":
        return jnp.ones((n, n))
    mask = jnp.zeros((n, n))
    start = 0
    for k in modules:
        mask = mask.at[start:start + k, start:start + k].set(1.0)
        start += k
    return mask


def as_f32_exact(values):
    """The float32 values Rust holds, widened exactly to float64."""
    return jnp.array(values, dtype=jnp.float32).astype(jnp.float64)


def make_loss(case):
    """The loss as a function of the parameter dictionary, for this case's batch."""
    cfg, batch = case["config"], case["batch"]
    steps, nb = batch["n_steps"], batch["batch_size"]
    n_in, n_out = batch["n_in"], batch["n_out"]
    alpha = cfg["dt_ms"] / cfg["tau_ms"]
    assert abs(alpha - case["alpha"]) < 1e-15
    f = ACTIVATIONS[cfg["activation"]]
    n = sum(cfg["modules"])
    keep = jnp.ones(n).at[jnp.array(case["silenced"], dtype=int)].set(0.0)
    mask_rec = structural_mask(cfg["modules"], cfg["connectivity"])
    # Buffers are time-major: value (t, b, c) at (t * nb + b) * channels + c. They are f32 in
    # Rust, written as their shortest decimal: parse to f32 first to get the exact same value.
    x = as_f32_exact(batch["inputs"]).reshape(steps, nb, n_in)
    target = as_f32_exact(batch["targets"]).reshape(steps, nb, n_out)
    cost = as_f32_exact(batch["mask"]).reshape(steps, nb, n_out)

    def loss(p):
        w_rec = p["w_rec"] * mask_rec

        def step(r, xs):
            x_t, target_t, cost_t = xs  # (nb, n_in), (nb, n_out), (nb, n_out)
            h = r @ w_rec.T + x_t @ p["w_in"].T + p["b"]
            r = keep * ((1.0 - alpha) * r + alpha * f(h))
            y = r @ p["w_out"].T + p["b_out"]  # read after consuming input t
            return r, jnp.sum((cost_t * (y - target_t)) ** 2)

        _, per_step = jax.lax.scan(step, jnp.zeros((nb, n)), (x, target, cost))
        return jnp.sum(per_step) / (steps * nb * n_out)

    return loss


def reference(case):
    params = {k: jnp.array(v, dtype=jnp.float64) for k, v in case["params"].items()}
    value, grads = jax.value_and_grad(make_loss(case))(params)
    lists = {k: jnp.asarray(g).tolist() for k, g in grads.items()}
    return {"name": case["name"], "loss": float(value), "grads": lists}


def main():
    cases = json.loads(CASES.read_text())
    out = {
        "generator": f"scripts/autograd_reference.py, JAX {jax.__version__}, float64, CPU",
        "cases": [reference(c) for c in cases],
    }
    OUT.write_text(json.dumps(out))
    print(f"wrote {len(cases)} cases to {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
