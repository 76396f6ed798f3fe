"""The benchmark's training iteration in PyTorch, for comparison with the Rust core.

Reads the batch and constants that `cargo run --release --example bench -- --batch-json F`
writes, and times, on one CPU thread, the same iteration as `Trainer::step_on`: noisy inputs
and recurrent noise, leaky-tanh Euler dynamics over every step, the masked mean squared error,
backpropagation through time, global-norm clipping at 1 and an Adam step of the trainable
groups only. Prints the rows as JSON (the format of `molap_lab::bench::Measurement`).

Usage: python bench_torch.py BATCH_JSON [--warmup 5] [--reps 15]
"""

import argparse
import json
import statistics
import time

import torch


def quantile(sorted_values, q):
    pos = q * (len(sorted_values) - 1)
    lo, hi = int(pos), min(int(pos) + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def stats(samples):
    s = sorted(samples)
    return {
        "reps": len(s),
        "median_ms": statistics.median(s),
        "q1_ms": quantile(s, 0.25),
        "q3_ms": quantile(s, 0.75),
        "min_ms": s[0],
        "max_ms": s[-1],
    }


def network(spec, monolithic, generator):
    """Parameters shaped like the core's: w_in (n, n_in), w_rec (n, n), b, w_out, b_out."""
    n_in, n_out, modules = spec["n_in"], spec["n_out"], spec["modules"]
    n = sum(modules)
    w_rec = torch.zeros(n, n)
    blocks = [(0, n)] if monolithic else []
    start = 0
    for k in modules if not monolithic else []:
        blocks.append((start, start + k))
        start += k
    for s, e in blocks:
        k = e - s
        w_rec[s:e, s:e] = torch.randn(k, k, generator=generator) * spec["gain"] / k**0.5
    return {
        "w_in": torch.randn(n, n_in, generator=generator) / n_in**0.5,
        "w_rec": w_rec,
        "b": torch.zeros(n),
        "w_out": torch.randn(n_out, n, generator=generator) / n**0.5,
        "b_out": torch.zeros(n_out),
    }


def iteration(params, trained, optimizer, x, target, mask, spec):
    steps, batch, _ = x.shape
    n = params["w_rec"].shape[0]
    alpha = spec["alpha"]
    noisy = x + spec["input_noise_std"] * torch.randn_like(x)
    current = noisy @ params["w_in"].T + params["b"]
    current = current + spec["recurrent_noise_std"] * torch.randn(steps, batch, n)
    r = torch.zeros(batch, n)
    w_rec_t = params["w_rec"].T
    rates = []
    for t in range(steps):
        h = current[t] + r @ w_rec_t
        r = (1 - alpha) * r + alpha * torch.tanh(h)
        rates.append(r)
    y = torch.stack(rates) @ params["w_out"].T + params["b_out"]
    loss = ((mask * (y - target)) ** 2).mean()
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(trained, spec["clip_norm"])
    optimizer.step()
    return loss.item()


def time_method(method, spec, x, target, mask, warmup, reps):
    generator = torch.Generator().manual_seed(2024)
    params = network(spec, method["name"] == "monolithic", generator)
    trained = []
    for name in method["trainable"]:
        params[name].requires_grad_(True)
        trained.append(params[name])
    optimizer = torch.optim.Adam(trained, lr=spec["lr"], betas=(0.9, 0.999), eps=1e-8)
    for _ in range(warmup):
        iteration(params, trained, optimizer, x, target, mask, spec)
    samples = []
    for _ in range(reps):
        start = time.perf_counter()
        iteration(params, trained, optimizer, x, target, mask, spec)
        samples.append((time.perf_counter() - start) * 1e3)
    return {
        "name": f"iteration/{method['name']}",
        "detail": f"{spec['n_steps']} steps x {spec['batch_size']} trials of {spec['task']}",
        "stats": stats(samples),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("batch_json")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--reps", type=int, default=15)
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(2024)
    with open(args.batch_json) as f:
        spec = json.load(f)
    shape_in = (spec["n_steps"], spec["batch_size"], spec["n_in"])
    shape_out = (spec["n_steps"], spec["batch_size"], spec["n_out"])
    x = torch.tensor(spec["inputs"], dtype=torch.float32).reshape(shape_in)
    target = torch.tensor(spec["targets"], dtype=torch.float32).reshape(shape_out)
    mask = torch.tensor(spec["mask"], dtype=torch.float32).reshape(shape_out)
    rows = [
        time_method(m, spec, x, target, mask, args.warmup, args.reps) for m in spec["methods"]
    ]
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "rows": rows}))


if __name__ == "__main__":
    main()
