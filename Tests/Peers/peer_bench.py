#!/usr/bin/env python3
"""The same CT training step as `cm bench`, in NumPy, PyTorch and JAX, timed beside `cm bench`.

One step, as Sources/CMTraining (CTStep.swift, ConsistencyUpdate.swift, Trainer.swift) with the
toy default of TrainingConfig.swift:

  data      B = 256 points of ring8 (8 Gaussians on a circle, standardised to σ_data = 0.5)
  N(k)      ⌈√(k/K·((s₁+1)² − s₀²) + s₀²)⌉, s₀ = 2, s₁ = 40, K = 30 000;  μ(k) = exp(s₀ ln μ₀ / N), μ₀ = 0.9
  grid      Karras: t_i = (ε^{1/ρ} + i/(N−1)·(T^{1/ρ} − ε^{1/ρ}))^ρ, ε = 0.002, T = 80, ρ = 7
  pair      n ~ U{0, …, N−2}, z ~ N(0, I);  x_{t_{n+1}} = x + t_{n+1} z,  x_{t_n} = x + t_n z
  f_θ       c_skip(t)·x + c_out(t)·F_θ(c_in(t)·x, c_noise(t)), F_θ an MLP 3 → 128 → 128 → 128 → 2
            with SiLU, c_skip = σ_d²/((t−ε)² + σ_d²), c_out = σ_d(t−ε)/√(σ_d² + t²),
            c_in = 1/√(t² + σ_d²), c_noise = ¼ ln t
  loss      (1/B) Σ_b λ_b·(√(‖f_θ(x_{t_{n+1}}) − f_θ⁻(x_{t_n})‖² + c²) − c), c = 0.00054·√2,
            λ_b = 1/(t_{n+1} − t_n) (iCT); θ⁻ is a constant of the loss
  update    Adam (η = 5e-4, β = 0.9, 0.999, ε = 1e-8); θ⁻ ← μθ⁻ + (1−μ)θ;
            θ_ema ← βθ_ema + (1−β)θ, β = min(0.999, (1+k)/(10+k))

The network runs in float32, as `cm` trains. Each implementation runs in its own process,
limited to one thread (and, with --cpu, pinned to one core), warmed up (JIT compiled), then timed
over --steps steps. `--impl` runs one implementation and prints one JSON line; without it the
script runs every implementation and `cm bench` (CT and CD with the oracle teacher) in --rounds
interleaved rounds and prints a table of steps/s and ratios to JAX jit + lax.scan.
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time

B = 256
WIDTHS = [3, 128, 128, 128, 2]
SIGMA_MIN, SIGMA_MAX, SIGMA_DATA, RHO = 0.002, 80.0, 0.5, 7.0
S0, S1, MU0, K_TOTAL = 2, 40, 0.9, 30_000
HUBER_C = 0.00054 * math.sqrt(2)
LR, BETA1, BETA2, ADAM_EPS = 5e-4, 0.9, 0.999, 1e-8
EMA_DECAY = 0.999
SCAN_LENGTH = 100
IMPLS = ["numpy", "torch", "jax-jit", "jax-scan"]


def ring8():
    """The means and the std of ring8's components (CMData/Ring8.swift)."""
    radius, s = 2.0, 0.05
    c = SIGMA_DATA / math.sqrt(radius * radius / 2 + s * s)
    means = [[c * radius * math.cos(2 * math.pi * k / 8), c * radius * math.sin(2 * math.pi * k / 8)] for k in range(8)]
    return means, c * s


def grid_size(k):
    """N(k), the CT curriculum (the step counter goes past K in long benchmarks: capped)."""
    k = min(k, K_TOTAL)
    return math.ceil(math.sqrt(k / K_TOTAL * ((S1 + 1) ** 2 - S0 * S0) + S0 * S0))


def limit_threads(cpu):
    """One thread for every library (set before it is imported), and one core if asked."""
    for name in ["OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS"]:
        os.environ[name] = "1"
    os.environ["XLA_FLAGS"] = "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
    os.environ["JAX_PLATFORMS"] = "cpu"
    if cpu is not None:
        os.sched_setaffinity(0, {cpu})


def init_params(rng, np):
    """PyTorch's nn.Linear initialisation U(±1/√fan_in) for every W and b, float32."""
    params = []
    for d_in, d_out in zip(WIDTHS[:-1], WIDTHS[1:]):
        bound = 1 / math.sqrt(d_in)
        params.append(rng.uniform(-bound, bound, (d_out, d_in)).astype(np.float32))
        params.append(rng.uniform(-bound, bound, (d_out,)).astype(np.float32))
    return params


# ----------------------------------------------------------------------------------------------
# NumPy, with a hand-written backward pass


def run_numpy(steps, warmup):
    import numpy as np

    rng = np.random.default_rng(0)
    means, std = ring8()
    means = np.array(means, dtype=np.float32)
    theta = init_params(rng, np)
    shapes = [p.shape for p in theta]
    sizes = [p.size for p in theta]
    flat = np.concatenate([p.ravel() for p in theta])
    theta_minus, theta_ema = flat.copy(), flat.copy()
    m, v = np.zeros_like(flat), np.zeros_like(flat)

    def views(vector):
        out, offset = [], 0
        for shape, size in zip(shapes, sizes):
            out.append(vector[offset : offset + size].reshape(shape))
            offset += size
        return out

    eps_root, t_root = SIGMA_MIN ** (1 / RHO), SIGMA_MAX ** (1 / RHO)
    grad = np.zeros_like(flat)
    grads = views(grad)

    def consistency(params, x, t, keep):
        """f_θ(x, t) and, if keep, what the backward pass needs."""
        c_skip = SIGMA_DATA**2 / ((t - SIGMA_MIN) ** 2 + SIGMA_DATA**2)
        c_out = SIGMA_DATA * (t - SIGMA_MIN) / np.sqrt(SIGMA_DATA**2 + t * t)
        c_in = 1 / np.sqrt(t * t + SIGMA_DATA**2)
        h = np.concatenate([c_in[:, None] * x, 0.25 * np.log(t)[:, None]], axis=1).astype(np.float32)
        saved = [h]
        for layer in range(len(WIDTHS) - 1):
            w, b = params[2 * layer], params[2 * layer + 1]
            z = h @ w.T + b
            if layer < len(WIDTHS) - 2:
                sigma = 1 / (1 + np.exp(-z))
                h = z * sigma
                saved.append((h, sigma))
            else:
                h = z
        f = c_skip[:, None] * x + c_out[:, None] * h
        return f, (saved, c_out)

    def step(k):
        nonlocal theta_minus, theta_ema
        N = grid_size(k)
        mu = math.exp(S0 * math.log(MU0) / N)
        comp = rng.integers(0, 8, B)
        x = (means[comp] + std * rng.standard_normal((B, 2), dtype=np.float32)).astype(np.float32)
        n = rng.integers(0, N - 1, B)
        t_n = (eps_root + n / (N - 1) * (t_root - eps_root)) ** RHO
        t_n1 = (eps_root + (n + 1) / (N - 1) * (t_root - eps_root)) ** RHO
        t_n, t_n1 = t_n.astype(np.float32), t_n1.astype(np.float32)
        z = rng.standard_normal((B, 2), dtype=np.float32)
        online, (saved, c_out) = consistency(params, x + t_n1[:, None] * z, t_n1, True)
        target, _ = consistency(views(theta_minus), x + t_n[:, None] * z, t_n, False)
        lam = 1 / (t_n1 - t_n)
        diff = online - target
        sq = np.sum(diff * diff, axis=1)
        root = np.sqrt(sq + HUBER_C * HUBER_C)
        loss = float(np.mean(lam * (root - HUBER_C)))
        # backward: ∂L/∂f, through c_out, then the layers last to first
        d = ((lam / B / root)[:, None] * diff * c_out[:, None]).astype(np.float32)
        for layer in range(len(WIDTHS) - 2, -1, -1):
            h_in = saved[layer][0] if layer > 0 else saved[0]
            grads[2 * layer][...] = d.T @ h_in
            grads[2 * layer + 1][...] = d.sum(axis=0)
            if layer > 0:
                s, sigma = saved[layer]
                d = (d @ params[2 * layer]) * (sigma + s * (1 - sigma))
        # Adam, then the two EMAs
        nonlocal m, v
        m *= BETA1
        m += (1 - BETA1) * grad
        v *= BETA2
        v += (1 - BETA2) * grad * grad
        c1 = 1 / (1 - BETA1 ** (k + 1))
        c2 = 1 / (1 - BETA2 ** (k + 1))
        flat[...] -= LR * (m * c1) / (np.sqrt(v * c2) + ADAM_EPS)
        theta_minus *= mu
        theta_minus += (1 - mu) * flat
        beta = min(EMA_DECAY, (1 + k) / (10 + k))
        theta_ema *= beta
        theta_ema += (1 - beta) * flat
        return loss

    params = views(flat)
    for k in range(warmup):
        first_loss = step(k)
    start = time.perf_counter()
    for k in range(warmup, warmup + steps):
        loss = step(k)
    seconds = time.perf_counter() - start
    try:
        from threadpoolctl import threadpool_info

        blas = [f"{i.get('internal_api')} {i.get('version')} {i.get('architecture')} threads={i.get('num_threads')}" for i in threadpool_info()]
    except Exception as error:  # threadpoolctl is optional
        blas = [f"threadpoolctl: {error}"]
    return steps / seconds, first_loss, loss, {"numpy": np.__version__, "blas": blas}


# ----------------------------------------------------------------------------------------------
# PyTorch eager, autograd


def run_torch(steps, warmup):
    import numpy as np
    import torch

    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)
    means, std = ring8()
    means = torch.tensor(means, dtype=torch.float32)
    params = [torch.nn.Parameter(torch.from_numpy(p)) for p in init_params(np.random.default_rng(0), np)]
    target = [p.detach().clone() for p in params]
    ema = [p.detach().clone() for p in params]
    optimizer = torch.optim.Adam(params, lr=LR, betas=(BETA1, BETA2), eps=ADAM_EPS)
    eps_root, t_root = SIGMA_MIN ** (1 / RHO), SIGMA_MAX ** (1 / RHO)

    def consistency(ps, x, t):
        c_skip = SIGMA_DATA**2 / ((t - SIGMA_MIN) ** 2 + SIGMA_DATA**2)
        c_out = SIGMA_DATA * (t - SIGMA_MIN) / torch.sqrt(SIGMA_DATA**2 + t * t)
        c_in = 1 / torch.sqrt(t * t + SIGMA_DATA**2)
        h = torch.cat([c_in[:, None] * x, 0.25 * torch.log(t)[:, None]], dim=1)
        for layer in range(len(WIDTHS) - 1):
            h = torch.nn.functional.linear(h, ps[2 * layer], ps[2 * layer + 1])
            if layer < len(WIDTHS) - 2:
                h = torch.nn.functional.silu(h)
        return c_skip[:, None] * x + c_out[:, None] * h

    def step(k):
        N = grid_size(k)
        mu = math.exp(S0 * math.log(MU0) / N)
        comp = torch.randint(0, 8, (B,))
        x = means[comp] + std * torch.randn(B, 2)
        n = torch.randint(0, N - 1, (B,)).to(torch.float32)
        t_n = (eps_root + n / (N - 1) * (t_root - eps_root)) ** RHO
        t_n1 = (eps_root + (n + 1) / (N - 1) * (t_root - eps_root)) ** RHO
        z = torch.randn(B, 2)
        online = consistency(params, x + t_n1[:, None] * z, t_n1)
        with torch.no_grad():
            tgt = consistency(target, x + t_n[:, None] * z, t_n)
        lam = 1 / (t_n1 - t_n)
        loss = torch.mean(lam * (torch.sqrt(torch.sum((online - tgt) ** 2, dim=1) + HUBER_C**2) - HUBER_C))
        optimizer.zero_grad(set_to_none=False)
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            torch._foreach_mul_(target, mu)
            torch._foreach_add_(target, params, alpha=1 - mu)
            beta = min(EMA_DECAY, (1 + k) / (10 + k))
            torch._foreach_mul_(ema, beta)
            torch._foreach_add_(ema, params, alpha=1 - beta)
        return loss.detach()

    for k in range(warmup):
        first_loss = float(step(k))
    start = time.perf_counter()
    for k in range(warmup, warmup + steps):
        loss = step(k)
    loss = float(loss)
    seconds = time.perf_counter() - start
    return steps / seconds, first_loss, loss, {"torch": torch.__version__, "threads": torch.get_num_threads()}


# ----------------------------------------------------------------------------------------------
# JAX: one jitted step per call, or lax.scan over SCAN_LENGTH steps per call


def make_jax_step():
    import jax
    import jax.numpy as jnp

    means, std = ring8()
    means = jnp.array(means, dtype=jnp.float32)
    eps_root, t_root = SIGMA_MIN ** (1 / RHO), SIGMA_MAX ** (1 / RHO)

    def consistency(ps, x, t):
        c_skip = SIGMA_DATA**2 / ((t - SIGMA_MIN) ** 2 + SIGMA_DATA**2)
        c_out = SIGMA_DATA * (t - SIGMA_MIN) / jnp.sqrt(SIGMA_DATA**2 + t * t)
        c_in = 1 / jnp.sqrt(t * t + SIGMA_DATA**2)
        h = jnp.concatenate([c_in[:, None] * x, 0.25 * jnp.log(t)[:, None]], axis=1)
        for layer in range(len(WIDTHS) - 1):
            h = h @ ps[2 * layer].T + ps[2 * layer + 1]
            if layer < len(WIDTHS) - 2:
                h = jax.nn.silu(h)
        return c_skip[:, None] * x + c_out[:, None] * h

    def step(state, _):
        params, target, ema, m, v, k, key = state
        key, k_comp, k_x, k_n, k_z = jax.random.split(key, 5)
        kf = jnp.minimum(k, K_TOTAL).astype(jnp.float32)
        N = jnp.ceil(jnp.sqrt(kf / K_TOTAL * ((S1 + 1) ** 2 - S0 * S0) + S0 * S0))
        mu = jnp.exp(S0 * math.log(MU0) / N)
        comp = jax.random.randint(k_comp, (B,), 0, 8)
        x = means[comp] + std * jax.random.normal(k_x, (B, 2))
        n = jax.random.randint(k_n, (B,), 0, N.astype(jnp.int32) - 1).astype(jnp.float32)
        t_n = (eps_root + n / (N - 1) * (t_root - eps_root)) ** RHO
        t_n1 = (eps_root + (n + 1) / (N - 1) * (t_root - eps_root)) ** RHO
        z = jax.random.normal(k_z, (B, 2))
        tgt = jax.lax.stop_gradient(consistency(target, x + t_n[:, None] * z, t_n))
        lam = 1 / (t_n1 - t_n)

        def loss_fn(ps):
            online = consistency(ps, x + t_n1[:, None] * z, t_n1)
            return jnp.mean(lam * (jnp.sqrt(jnp.sum((online - tgt) ** 2, axis=1) + HUBER_C**2) - HUBER_C))

        loss, grads = jax.value_and_grad(loss_fn)(params)
        t = (k + 1).astype(jnp.float32)
        c1, c2 = 1 / (1 - BETA1**t), 1 / (1 - BETA2**t)
        m = [BETA1 * mi + (1 - BETA1) * g for mi, g in zip(m, grads)]
        v = [BETA2 * vi + (1 - BETA2) * g * g for vi, g in zip(v, grads)]
        params = [p - LR * (mi * c1) / (jnp.sqrt(vi * c2) + ADAM_EPS) for p, mi, vi in zip(params, m, v)]
        target = [mu * tp + (1 - mu) * p for tp, p in zip(target, params)]
        beta = jnp.minimum(EMA_DECAY, (1 + kf) / (10 + kf))
        ema = [beta * e + (1 - beta) * p for e, p in zip(ema, params)]
        return (params, target, ema, m, v, k + 1, key), loss

    return step


def run_jax(steps, warmup, scan):
    import jax
    import jax.numpy as jnp
    import numpy as np

    step = make_jax_step()
    initial = init_params(np.random.default_rng(0), np)
    # Distinct buffers for every part of the state (the jitted call donates them).
    copies = lambda: [jnp.array(p, copy=True) for p in initial]  # noqa: E731
    zeros = lambda: [jnp.zeros(p.shape, jnp.float32) for p in initial]  # noqa: E731
    state = (copies(), copies(), copies(), zeros(), zeros(), jnp.int32(0), jax.random.PRNGKey(0))
    if scan:
        run = jax.jit(lambda s: jax.lax.scan(step, s, None, length=SCAN_LENGTH), donate_argnums=0)
        calls, warm_calls = max(steps // SCAN_LENGTH, 1), max(warmup // SCAN_LENGTH, 1)
        per_call = SCAN_LENGTH
    else:
        run = jax.jit(lambda s: step(s, None), donate_argnums=0)
        calls, warm_calls, per_call = steps, warmup, 1
    for _ in range(warm_calls):
        state, loss = run(state)
    first_loss = float(jnp.ravel(loss)[0])
    jax.block_until_ready(state)
    start = time.perf_counter()
    for _ in range(calls):
        state, loss = run(state)
    jax.block_until_ready(state)
    seconds = time.perf_counter() - start
    return calls * per_call / seconds, first_loss, float(jnp.ravel(loss)[-1]), {"jax": jax.__version__}


# ----------------------------------------------------------------------------------------------
# The driver: interleaved rounds, one process per measurement


def measure_peer(impl, steps, cpu):
    env = dict(os.environ)
    if impl == "numpy":
        # The machine may set these for old OpenBLAS builds; they slow a current NumPy. Unset in
        # this command only (never in tests or CI); the JSON line says which kernels ran.
        env.pop("OPENBLAS_CORETYPE", None)
        env.pop("OPENBLAS_L2_SIZE", None)
    command = [sys.executable, __file__, "--impl", impl, "--steps", str(steps)]
    if cpu is not None:
        command += ["--cpu", str(cpu)]
    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def measure_cm(cm, method, steps, cpu):
    command = [cm, "bench", "--method", method, "--steps", str(steps), "--runs", "3", "--no-peak"]
    if cpu is not None:
        command = ["taskset", "-c", str(cpu)] + command
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--impl", choices=IMPLS, help="run one implementation and print one JSON line")
    parser.add_argument("--steps", type=int, default=1000, help="timed steps per measurement (default 1000)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    parser.add_argument("--cpu", type=int, default=None, help="pin every measurement to this core")
    parser.add_argument("--cm", default=".build/release/cm", help="the cm executable")
    parser.add_argument("--json", default=None, help="also write the rounds and medians to this file")
    args = parser.parse_args()
    if args.steps < 1 or args.rounds < 1:
        parser.error("--steps and --rounds must be at least 1")

    if args.impl:
        limit_threads(args.cpu)
        warmup = 200 if args.impl == "jax-scan" else 50
        if args.impl == "numpy":
            rate, first, last, info = run_numpy(args.steps, warmup)
        elif args.impl == "torch":
            rate, first, last, info = run_torch(args.steps, warmup)
        else:
            rate, first, last, info = run_jax(args.steps, warmup, scan=args.impl == "jax-scan")
        print(json.dumps({"impl": args.impl, "steps_per_second": rate, "loss_after_warmup": first, "loss_last": last, **info}))
        return

    if not os.access(args.cm, os.X_OK):
        parser.error(f"--cm {args.cm}: not an executable (build it: swift build -c release --product cm)")
    rows = ["cm ct", "cm cd-oracle"] + IMPLS
    rates = {row: [] for row in rows}
    details = {}
    for r in range(args.rounds):
        for row in rows:
            if row.startswith("cm "):
                result = measure_cm(args.cm, row[3:], args.steps, args.cpu)
                rates[row].append(result["steps_per_second_median"])
            else:
                result = measure_peer(row, args.steps, args.cpu)
                rates[row].append(result["steps_per_second"])
            details[row] = result
            print(f"round {r + 1}: {row:13s} {rates[row][-1]:8.1f} steps/s", file=sys.stderr, flush=True)
    medians = {row: statistics.median(v) for row, v in rates.items()}
    reference = medians["jax-scan"]
    cpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    model = next((line.split(":", 1)[1].strip() for line in cpu.splitlines() if line.startswith("Model name")), "?")
    print(f"CPU: {model}; one thread each{'' if args.cpu is None else f', pinned to core {args.cpu}'}; "
          f"batch {B}, MLP 3→128→128→128→2 SiLU, float32; {args.steps} timed steps per measurement")
    print(f"kernels: cm {details['cm ct'].get('kernels')} ({details['cm ct'].get('kernels_reason')}); "
          f"numpy BLAS: {'; '.join(details['numpy'].get('blas', []))}")
    header = "| implementation | " + " | ".join(f"round {r + 1}" for r in range(args.rounds)) + " | median | ÷ JAX jit+scan CT |"
    print(header)
    print("|" + "---|" * (args.rounds + 3))
    names = {"cm ct": "`cm bench` CT", "cm cd-oracle": "`cm bench --method cd-oracle` (CD, Heun)",
             "numpy": "NumPy, hand-written backward (CT)", "torch": "PyTorch eager (CT)",
             "jax-jit": "JAX jit (CT)", "jax-scan": f"JAX jit + lax.scan over {SCAN_LENGTH} steps (CT)"}
    for row in rows:
        cells = " | ".join(f"{x:,.0f}" for x in rates[row])
        print(f"| {names[row]} | {cells} | {medians[row]:,.0f} | {medians[row] / reference:.2f}× |")
    if args.json:
        with open(args.json + ".tmp", "w") as f:
            json.dump({"cpu": model, "rates": rates, "medians": medians, "details": details}, f, indent=1)
        os.replace(args.json + ".tmp", args.json)


if __name__ == "__main__":
    main()
