#!/usr/bin/env python3
"""The training step `cm bench` times (iCT on ring8), in NumPy, PyTorch and JAX, timed beside it.

`cm bench` (method ct) runs `TrainingConfig.preset(.default, method: .ct)`, which is
`TrainingConfig()` with `apply(.ict)`, through the trainer (`TrainingState.train(steps:)`) in
Float. Its config is built in Sources/CMBench/StepBenchmark.swift (`makeState`). One step is
Trainer.swift + CTStep.swift + ConsistencyUpdate.swift:

  data      B = 256 points of ring8 (8 Gaussians on a circle, standardised to σ_data = 0.5)
  N(k)      iCT §3.4: K′ = ⌊K / (log₂⌊s₁/s₀⌋ + 1)⌋, N(k) = min(s₀·2^⌊k/K′⌋, s₁) + 1, s₀ = 10,
            s₁ = 1280. K is the benchmark's own: `cm bench --steps S --runs R` sets K = S·(R + 1),
            warms up for max(S/10, 10) steps and times R runs of S steps, so over a benchmark N
            goes 11, 21, 41, … (641 at S = 1000). The peers run the same K, warm-up and runs.
  grid      Karras: t_i = (ε^{1/ρ} + i/(N−1)·(T^{1/ρ} − ε^{1/ρ}))^ρ, ε = 0.002, T = 80, ρ = 7
  pair      iCT §3.5: n ~ p(n) ∝ erf((ln t_{n+1} − P_mean)/(√2 P_std)) − erf((ln t_n − P_mean)/(√2 P_std)),
            P_mean = −1.1, P_std = 2.0 (the erfc form where both arguments share a sign, as
            CMCore). As cm, the running sums of p are made once per grid in float64 (NumPy and
            PyTorch when N changes; JAX for all 8 grids before the first step, stored in
            float32, since jit wants fixed shapes) and each sample is one uniform U and a binary
            search for the first sum above U (clamped to the last pair).
            z ~ N(0, I); x_{t_{n+1}} = x + t_{n+1} z, x_{t_n} = x + t_n z.
  f_θ       c_skip(t)·x + c_out(t)·F_θ(c_in(t)·x, c_noise(t)), F_θ an MLP 3 → 128 → 128 → 128 → 2
            with SiLU, c_skip = σ_d²/((t−ε)² + σ_d²), c_out = σ_d(t−ε)/√(σ_d² + t²),
            c_in = 1/√(t² + σ_d²), c_noise = ¼ ln t
  loss      (1/B) Σ_b λ_b·(√(‖f_θ(x_{t_{n+1}}) − f_θ⁻(x_{t_n})‖² + c²) − c), c = 0.00054·√2, written
            as λ·s/(√(s + c²) + c) as cm does; λ_b = 1/(t_{n+1} − t_n) (iCT §3.1, from the float64
            grid); θ⁻ is a constant of the loss
  target    iCT §3.2: μ = 0, θ⁻ = stopgrad θ. cm still runs θ⁻ ← μθ⁻ + (1−μ)θ with μ = 0 after
            Adam (one pass over the 33 794 parameters that copies θ bit for bit); the target
            forward pass of the next step therefore sees the θ that the online pass sees. The
            peers evaluate the target with θ itself under stop-gradient / no_grad, which is the
            same number with no copy (the cheapest honest equivalent, a little less work than cm).
  update    Adam (η = 5e-4, β = 0.9, 0.999, ε = 1e-8, bias-corrected), then θ_ema ← βθ_ema + (1−β)θ,
            β = min(0.999, (1+k)/(10+k)): the trainer's loop updates the evaluation EMA after
            every step, also in `cm bench` (Trainer.swift `updateEvaluationEMA`), so the peers do.

The network runs in float32, as `cm` trains (cm computes the scalings, noise and data in Double;
the peers in float32, except the grid, the λ table and the pair probabilities). Each
implementation runs in its own process, limited to one thread (and, with --cpu, pinned to one
core), warmed up (JIT compiled), then times R = 3 runs and reports their median, as `cm bench
--runs 3` does. JAX jit+scan runs whole scans of 100 steps (warm-up and runs rounded up to 100).
`--impl` runs one implementation and prints one JSON line; `--check` evaluates the loss and
∇_θ L of every implementation on one fixed θ, batch, pair indices and noise and asserts that
they agree (and compares the curriculum and pair probabilities with `cm inspect`); without
either, the script runs every implementation and `cm bench` (CT and CD with the oracle teacher)
in --rounds interleaved rounds and prints a table of steps/s and ratios to JAX jit + lax.scan.
"""
import argparse
import functools
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
S0, S1 = 10, 1280  # iCT curriculum
P_MEAN, P_STD = -1.1, 2.0  # iCT lognormal pair sampling
HUBER_C = 0.00054 * math.sqrt(2)
LR, BETA1, BETA2, ADAM_EPS = 5e-4, 0.9, 0.999, 1e-8
EMA_DECAY = 0.999
SCAN_LENGTH = 100
CM_RUNS = 3  # `cm bench --runs` here, and the peers' timed runs
IMPLS = ["numpy", "torch", "jax-jit", "jax-scan"]


def ring8():
    """The means and the std of ring8's components (CMData/Ring8.swift)."""
    radius, s = 2.0, 0.05
    c = SIGMA_DATA / math.sqrt(radius * radius / 2 + s * s)
    means = [[c * radius * math.cos(2 * math.pi * k / 8), c * radius * math.sin(2 * math.pi * k / 8)] for k in range(8)]
    return means, c * s


def total_steps(steps):
    """K of `cm bench --steps steps --runs CM_RUNS` (StepBenchmark.makeState: steps·(runs + 1))."""
    return steps * (CM_RUNS + 1)


def warmup_steps(steps):
    """`cm bench`'s warm-up: max(steps/10, 10) steps."""
    return max(steps // 10, 10)


def k_prime(K):
    """iCT's K′ = ⌊K / (log₂⌊s₁/s₀⌋ + 1)⌋, at least 1 (CMCore/Curriculum.swift)."""
    return max(int(K / (math.log2(S1 // S0) + 1)), 1)


def grid_levels():
    """The grid sizes N the iCT curriculum takes, in order: min(s₀·2^d, s₁) + 1, d = 0, 1, …"""
    sizes, intervals = [S0 + 1], S0
    while intervals < S1:
        intervals *= 2
        sizes.append(min(intervals, S1) + 1)
    return sizes


def level(k, K):
    """Which entry of grid_levels() N(k) is (k capped at K, as the trainer does)."""
    return min(min(k, K) // k_prime(K), len(grid_levels()) - 1)


def grid_size(k, K):
    """N(k) of the iCT curriculum."""
    return grid_levels()[level(k, K)]


@functools.lru_cache(maxsize=None)
def pair_table(N):
    """For the N-point Karras grid, in float64 (as cm): the grid t, the running sums of the
    lognormal pair probabilities (added in the order cm adds them) and λ = 1/(t_{n+1} − t_n)."""
    import numpy as np

    eps_root, t_root = SIGMA_MIN ** (1 / RHO), SIGMA_MAX ** (1 / RHO)
    sigmas = [(eps_root + i / (N - 1) * (t_root - eps_root)) ** RHO for i in range(N)]
    scale = math.sqrt(2) * P_STD

    def erf_difference(a, b):
        if a >= 0 and b >= 0:
            return math.erfc(a) - math.erfc(b)
        if a <= 0 and b <= 0:
            return math.erfc(-b) - math.erfc(-a)
        return math.erf(b) - math.erf(a)

    p = [erf_difference((math.log(sigmas[n]) - P_MEAN) / scale, (math.log(sigmas[n + 1]) - P_MEAN) / scale) for n in range(N - 1)]
    total = sum(p)
    p = [x / total for x in p]
    cumulative, running = [], 0.0
    for x in p:
        running += x
        cumulative.append(running)
    lam = [1 / (sigmas[n + 1] - sigmas[n]) for n in range(N - 1)]
    return np.array(sigmas), np.array(p), np.array(cumulative), np.array(lam)


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


def timed_runs(step_block, steps, warmup, block=1):
    """Warm up, then CM_RUNS timed runs of `steps` steps; `step_block(k, count)` runs `count`
    steps from k (a multiple of `block`) and returns the last loss. Returns the median steps/s,
    the loss after the warm-up, the last loss and the steps per run."""
    round_up = lambda n: max(-(-n // block) * block, block)  # noqa: E731
    warmup, steps = round_up(warmup), round_up(steps)
    first_loss = float(step_block(0, warmup))
    k, rates = warmup, []
    for _ in range(CM_RUNS):
        start = time.perf_counter()
        loss = step_block(k, steps)
        loss = float(loss)  # waits for the last step (JAX dispatches asynchronously)
        rates.append(steps / (time.perf_counter() - start))
        k += steps
    return statistics.median(rates), first_loss, loss, steps


# ----------------------------------------------------------------------------------------------
# NumPy, with a hand-written backward pass


class NumpyPeer:
    def __init__(self, np, params):
        self.np = np
        self.shapes = [p.shape for p in params]
        self.sizes = [p.size for p in params]
        self.flat = np.concatenate([p.ravel() for p in params]).astype(np.float32)
        self.params = self.views(self.flat)
        self.ema = self.flat.copy()
        self.m, self.v = np.zeros_like(self.flat), np.zeros_like(self.flat)
        self.grad = np.zeros_like(self.flat)
        self.grads = self.views(self.grad)
        self.tables = {}

    def views(self, vector):
        out, offset = [], 0
        for shape, size in zip(self.shapes, self.sizes):
            out.append(vector[offset : offset + size].reshape(shape))
            offset += size
        return out

    def table(self, N):
        """The grid, the running sums and λ, made once per N (the grid depends on N alone)."""
        if N not in self.tables:
            sigmas, _, cumulative, lam = pair_table(N)
            self.tables[N] = (sigmas.astype(self.np.float32), cumulative, lam.astype(self.np.float32))
        return self.tables[N]

    def pairs(self, u, N):
        """The pair index of each uniform u: the first running sum above u (the last pair if none)."""
        _, cumulative, _ = self.table(N)
        return self.np.minimum(self.np.searchsorted(cumulative, u, side="right"), N - 2)

    def consistency(self, x, t, keep):
        """f_θ(x, t) and, if keep, what the backward pass needs."""
        np = self.np
        c_skip = SIGMA_DATA**2 / ((t - SIGMA_MIN) ** 2 + SIGMA_DATA**2)
        c_out = SIGMA_DATA * (t - SIGMA_MIN) / np.sqrt(SIGMA_DATA**2 + t * t)
        c_in = 1 / np.sqrt(t * t + SIGMA_DATA**2)
        h = np.concatenate([c_in[:, None] * x, 0.25 * np.log(t)[:, None]], axis=1)
        saved = [(h, None)]
        for layer in range(len(WIDTHS) - 1):
            z = h @ self.params[2 * layer].T
            z += self.params[2 * layer + 1]
            if layer < len(WIDTHS) - 2:
                sigma = 1 / (1 + np.exp(-z))
                h = z * sigma
                if keep:
                    saved.append((h, sigma))
            else:
                h = z
        return c_skip[:, None] * x + c_out[:, None] * h, saved, c_out

    def loss_and_grad(self, x, t_n, t_n1, lam, z):
        """L at θ (θ⁻ = θ, a constant) and ∇_θ L into self.grad."""
        np = self.np
        online, saved, c_out = self.consistency(x + t_n1[:, None] * z, t_n1, True)
        target, _, _ = self.consistency(x + t_n[:, None] * z, t_n, False)
        diff = online - target
        sq = np.sum(diff * diff, axis=1)
        root = np.sqrt(sq + np.float32(HUBER_C * HUBER_C))
        loss = np.mean(lam * sq / (root + np.float32(HUBER_C)))
        # backward: ∂L/∂f = λ/B·diff/root, through c_out, then the layers last to first
        d = (lam / B / root * c_out)[:, None] * diff
        for layer in range(len(WIDTHS) - 2, -1, -1):
            h_in = saved[layer][0]
            np.matmul(d.T, h_in, out=self.grads[2 * layer])
            np.sum(d, axis=0, out=self.grads[2 * layer + 1])
            if layer > 0:
                s, sigma = saved[layer]
                d = (d @ self.params[2 * layer]) * (sigma + s * (1 - sigma))
        return loss

    def update(self, k):
        """Adam on self.grad (step k, 0-based), then θ_ema."""
        m, v, g = self.m, self.v, self.grad
        m *= BETA1
        m += (1 - BETA1) * g
        v *= BETA2
        v += (1 - BETA2) * g * g
        c1 = 1 / (1 - BETA1 ** (k + 1))
        c2 = 1 / (1 - BETA2 ** (k + 1))
        f32 = self.np.float32
        self.flat -= f32(LR * c1) * m / (self.np.sqrt(v * f32(c2)) + f32(ADAM_EPS))
        beta = min(EMA_DECAY, (1 + k) / (10 + k))
        self.ema *= f32(beta)
        self.ema += f32(1 - beta) * self.flat


def run_numpy(steps):
    import numpy as np

    rng = np.random.default_rng(0)
    means, std = ring8()
    means = np.array(means, dtype=np.float32)
    std = np.float32(std)
    peer = NumpyPeer(np, init_params(rng, np))
    K = total_steps(steps)

    def step(k):
        N = grid_size(k, K)
        sigmas, _, lam_table = peer.table(N)
        comp = rng.integers(0, 8, B)
        x = means[comp] + std * rng.standard_normal((B, 2), dtype=np.float32)
        n = peer.pairs(rng.random(B), N)
        t_n, t_n1, lam = sigmas[n], sigmas[n + 1], lam_table[n]
        z = rng.standard_normal((B, 2), dtype=np.float32)
        loss = peer.loss_and_grad(x, t_n, t_n1, lam, z)
        peer.update(k)
        return loss

    def block(k, count):
        for i in range(k, k + count):
            loss = step(i)
        return loss

    rate, first, last, per_run = timed_runs(block, steps, warmup_steps(steps))
    try:
        from threadpoolctl import threadpool_info

        blas = [f"{i.get('internal_api')} {i.get('version')} {i.get('architecture')} threads={i.get('num_threads')}" for i in threadpool_info()]
    except Exception as error:  # threadpoolctl is optional
        blas = [f"threadpoolctl: {error}"]
    return rate, first, last, per_run, {"numpy": np.__version__, "blas": blas}


# ----------------------------------------------------------------------------------------------
# PyTorch eager, autograd


class TorchPeer:
    def __init__(self, torch, params):
        self.torch = torch
        self.params = [torch.nn.Parameter(torch.from_numpy(p.copy())) for p in params]
        self.ema = [p.detach().clone() for p in self.params]
        # fused: one C++ kernel over every tensor (measured the fastest of the three on CPU here)
        self.optimizer = torch.optim.Adam(self.params, lr=LR, betas=(BETA1, BETA2), eps=ADAM_EPS, fused=True)
        self.tables = {}

    def table(self, N):
        if N not in self.tables:
            sigmas, _, cumulative, lam = pair_table(N)
            t = self.torch
            self.tables[N] = (t.tensor(sigmas, dtype=t.float32), t.tensor(cumulative, dtype=t.float64), t.tensor(lam, dtype=t.float32))
        return self.tables[N]

    def pairs(self, u, N):
        _, cumulative, _ = self.table(N)
        return self.torch.clamp_max(self.torch.searchsorted(cumulative, u, right=True), N - 2)

    def consistency(self, x, t):
        torch = self.torch
        c_skip = SIGMA_DATA**2 / ((t - SIGMA_MIN) ** 2 + SIGMA_DATA**2)
        c_out = SIGMA_DATA * (t - SIGMA_MIN) / torch.sqrt(SIGMA_DATA**2 + t * t)
        c_in = 1 / torch.sqrt(t * t + SIGMA_DATA**2)
        h = torch.cat([c_in[:, None] * x, 0.25 * torch.log(t)[:, None]], dim=1)
        for layer in range(len(WIDTHS) - 1):
            h = torch.nn.functional.linear(h, self.params[2 * layer], self.params[2 * layer + 1])
            if layer < len(WIDTHS) - 2:
                h = torch.nn.functional.silu(h)
        return c_skip[:, None] * x + c_out[:, None] * h

    def loss_and_grad(self, x, t_n, t_n1, lam, z):
        """L at θ (θ⁻ = θ under no_grad) and ∇_θ L into the parameters' .grad."""
        torch = self.torch
        online = self.consistency(x + t_n1[:, None] * z, t_n1)
        with torch.no_grad():
            target = self.consistency(x + t_n[:, None] * z, t_n)
        sq = torch.sum((online - target) ** 2, dim=1)
        loss = torch.mean(lam * sq / (torch.sqrt(sq + HUBER_C**2) + HUBER_C))
        for p in self.params:
            p.grad = None
        loss.backward()
        return loss.detach()

    def update(self, k):
        """Adam on the parameters' .grad (its own step count is k + 1), then θ_ema."""
        self.optimizer.step()
        with self.torch.no_grad():
            beta = min(EMA_DECAY, (1 + k) / (10 + k))
            self.torch._foreach_lerp_(self.ema, self.params, 1 - beta)


def run_torch(steps):
    import numpy as np
    import torch

    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)
    means, std = ring8()
    means = torch.tensor(means, dtype=torch.float32)
    peer = TorchPeer(torch, init_params(np.random.default_rng(0), np))
    K = total_steps(steps)

    def step(k):
        N = grid_size(k, K)
        sigmas, _, lam_table = peer.table(N)
        comp = torch.randint(0, 8, (B,))
        x = means[comp] + std * torch.randn(B, 2)
        n = peer.pairs(torch.rand(B, dtype=torch.float64), N)
        t_n, t_n1, lam = sigmas[n], sigmas[n + 1], lam_table[n]
        z = torch.randn(B, 2)
        loss = peer.loss_and_grad(x, t_n, t_n1, lam, z)
        peer.update(k)
        return loss

    def block(k, count):
        for i in range(k, k + count):
            loss = step(i)
        return loss

    rate, first, last, per_run = timed_runs(block, steps, warmup_steps(steps))
    return rate, first, last, per_run, {"torch": torch.__version__, "threads": torch.get_num_threads()}


# ----------------------------------------------------------------------------------------------
# JAX: one jitted step per call, or lax.scan over SCAN_LENGTH steps per call


def jax_tables():
    """Every grid of the curriculum in padded float32 arrays, one row per level: the grid, the
    running sums (padded with +∞, never found), λ, and the last pair index N − 2."""
    import numpy as np

    sizes = grid_levels()
    width = max(sizes)
    sig = np.zeros((len(sizes), width), np.float32)
    cum = np.full((len(sizes), width - 1), np.inf, np.float32)
    lam = np.zeros((len(sizes), width - 1), np.float32)
    for i, N in enumerate(sizes):
        sigmas, _, cumulative, weights = pair_table(N)
        sig[i, :N], sig[i, N:] = sigmas, sigmas[-1]
        cum[i, : N - 1] = cumulative
        lam[i, : N - 1] = weights
    return sig, cum, lam, np.array([N - 2 for N in sizes], np.int32)


def make_jax(K):
    """The JAX pieces: the loss, the pair draw, the update and the whole step."""
    import jax
    import jax.numpy as jnp

    means, std = ring8()
    means = jnp.array(means, dtype=jnp.float32)
    sig_table, cum_table, lam_table, last_pair = (jnp.asarray(a) for a in jax_tables())
    levels, kp = len(grid_levels()), k_prime(K)

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

    def loss_fn(ps, x, t_n, t_n1, lam, z):
        """L at θ, the target f_θ⁻ = stopgrad f_θ (θ⁻ = θ)."""
        online = consistency(ps, x + t_n1[:, None] * z, t_n1)
        target = jax.lax.stop_gradient(consistency(ps, x + t_n[:, None] * z, t_n))
        sq = jnp.sum((online - target) ** 2, axis=1)
        return jnp.mean(lam * sq / (jnp.sqrt(sq + HUBER_C**2) + HUBER_C))

    def pairs(u, lv):
        """The pair index of each uniform u on the grid of level lv, and t_n, t_{n+1}, λ."""
        n = jnp.minimum(jnp.searchsorted(cum_table[lv], u, side="right"), last_pair[lv])
        return n, sig_table[lv, n], sig_table[lv, n + 1], lam_table[lv, n]

    def update(params, grads, ema, m, v, k):
        """Adam (step k, 0-based), then θ_ema."""
        t = (k + 1).astype(jnp.float32)
        c1, c2 = 1 / (1 - BETA1**t), 1 / (1 - BETA2**t)
        m = [BETA1 * mi + (1 - BETA1) * g for mi, g in zip(m, grads)]
        v = [BETA2 * vi + (1 - BETA2) * g * g for vi, g in zip(v, grads)]
        params = [p - LR * (mi * c1) / (jnp.sqrt(vi * c2) + ADAM_EPS) for p, mi, vi in zip(params, m, v)]
        kf = k.astype(jnp.float32)
        beta = jnp.minimum(EMA_DECAY, (1 + kf) / (10 + kf))
        ema = [beta * e + (1 - beta) * p for e, p in zip(ema, params)]
        return params, ema, m, v

    def step(state, _):
        params, ema, m, v, k, key = state
        key, k_comp, k_x, k_u, k_z = jax.random.split(key, 5)
        lv = jnp.minimum(jnp.minimum(k, K) // kp, levels - 1)
        comp = jax.random.randint(k_comp, (B,), 0, 8)
        x = means[comp] + std * jax.random.normal(k_x, (B, 2))
        _, t_n, t_n1, lam = pairs(jax.random.uniform(k_u, (B,)), lv)
        z = jax.random.normal(k_z, (B, 2))
        loss, grads = jax.value_and_grad(loss_fn)(params, x, t_n, t_n1, lam, z)
        params, ema, m, v = update(params, grads, ema, m, v, k)
        return (params, ema, m, v, k + 1, key), loss

    return loss_fn, pairs, update, step


def run_jax(steps, scan):
    import jax
    import jax.numpy as jnp
    import numpy as np

    _, _, _, step = make_jax(total_steps(steps))
    initial = init_params(np.random.default_rng(0), np)
    # Distinct buffers for every part of the state (the jitted call donates them).
    copies = lambda: [jnp.array(p, copy=True) for p in initial]  # noqa: E731
    zeros = lambda: [jnp.zeros(p.shape, jnp.float32) for p in initial]  # noqa: E731
    state = [(copies(), copies(), zeros(), zeros(), jnp.int32(0), jax.random.PRNGKey(0))]
    if scan:
        run = jax.jit(lambda s: jax.lax.scan(step, s, None, length=SCAN_LENGTH), donate_argnums=0)
    else:
        run = jax.jit(lambda s: step(s, None), donate_argnums=0)
    per_call = SCAN_LENGTH if scan else 1

    def block(k, count):
        for _ in range(count // per_call):
            state[0], loss = run(state[0])
        return jnp.ravel(loss)[-1]

    rate, first, last, per_run = timed_runs(block, steps, warmup_steps(steps), block=per_call)
    return rate, first, last, per_run, {"jax": jax.__version__}


# ----------------------------------------------------------------------------------------------
# --check: the same loss, gradient, pair draw and update in every implementation


def check(cm):
    """One fixed θ, batch x, uniforms u (so pair indices n) and noise z, on the grid N = 41:
    every implementation's pair indices must be equal, its loss and ∇_θ L (float32) within
    1e-4 relative of NumPy's, and its θ and θ_ema after one Adam + EMA update from the same
    gradient within 1e-5 relative. With an executable cm, N(k) and the pair probabilities and
    λ are compared with `cm inspect curriculum` / `cm inspect lognormal`."""
    import numpy as np
    import torch
    import jax
    import jax.numpy as jnp

    torch.set_num_threads(1)
    rng = np.random.default_rng(12345)
    N, K, k = 41, 4000, 1000  # k = 2K′: level 2, N = 41
    assert grid_size(k, K) == N
    initial = init_params(rng, np)
    means, std = ring8()
    comp = rng.integers(0, 8, B)
    x = (np.array(means)[comp] + std * rng.standard_normal((B, 2))).astype(np.float32)
    u = rng.random(B).astype(np.float32).astype(np.float64)  # float32-exact, for JAX too
    z = rng.standard_normal((B, 2)).astype(np.float32)
    failures = []

    def agree(name, value, reference, tolerance):
        error = float(np.linalg.norm(np.ravel(value) - np.ravel(reference)) / np.linalg.norm(np.ravel(reference)))
        ok = error <= tolerance
        if not ok:
            failures.append(f"{name}: relative error {error:.3g} > {tolerance:g}")
        return error

    # NumPy: the reference of the comparison
    npeer = NumpyPeer(np, initial)
    sigmas, _, lam_table = npeer.table(N)
    n = npeer.pairs(u, N)
    t_n, t_n1, lam = sigmas[n], sigmas[n + 1], lam_table[n]
    results = {"numpy": (float(npeer.loss_and_grad(x, t_n, t_n1, lam, z)), npeer.grad.copy())}
    reference_grad = results["numpy"][1]
    npeer.update(k)
    updated = {"numpy": (npeer.flat.copy(), npeer.ema.copy())}

    # PyTorch
    tpeer = TorchPeer(torch, initial)
    n_torch = tpeer.pairs(torch.tensor(u), N).numpy()
    loss = tpeer.loss_and_grad(torch.from_numpy(x), *(torch.from_numpy(a) for a in (t_n, t_n1, lam, z)))
    results["torch"] = (float(loss), np.concatenate([p.grad.numpy().ravel() for p in tpeer.params]))
    # the update from the reference gradient, at step k (Adam's own count set to k before it)
    offset = 0
    for p in tpeer.params:
        p.grad = torch.from_numpy(reference_grad[offset : offset + p.numel()].reshape(p.shape).copy())
        offset += p.numel()
        tpeer.optimizer.state[p] = {"step": torch.tensor(float(k)), "exp_avg": torch.zeros_like(p), "exp_avg_sq": torch.zeros_like(p)}
    tpeer.update(k)
    flat = lambda ts: np.concatenate([np.asarray(t.detach() if hasattr(t, "detach") else t).ravel() for t in ts])  # noqa: E731
    updated["torch"] = (flat(tpeer.params), flat(tpeer.ema))

    # JAX (jitted, as the benchmark runs it)
    loss_fn, pairs, update, _ = make_jax(K)
    ps = [jnp.asarray(p) for p in initial]
    n_jax, *_ = jax.jit(pairs)(jnp.asarray(u, jnp.float32), jnp.int32(level(k, K)))
    loss, grads = jax.jit(jax.value_and_grad(loss_fn))(ps, *(jnp.asarray(a) for a in (x, t_n, t_n1, lam, z)))
    results["jax"] = (float(loss), flat(grads))
    g, offset = [], 0
    for p in initial:
        g.append(jnp.asarray(reference_grad[offset : offset + p.size].reshape(p.shape)))
        offset += p.size
    zeros = [jnp.zeros(p.shape, jnp.float32) for p in initial]
    new_ps, new_ema, _, _ = jax.jit(update)(ps, g, ps, zeros, zeros, jnp.int32(k))
    updated["jax"] = (flat(new_ps), flat(new_ema))

    print(f"pair indices of {B} uniforms on the N = {N} grid: numpy {np.bincount(n, minlength=N - 1)[:8].tolist()}… (counts of n = 0…7)")
    for name, other in [("torch", n_torch), ("jax", np.asarray(n_jax))]:
        if not np.array_equal(other, n):
            failures.append(f"pair indices: {name} differs from numpy in {int(np.sum(other != n))} of {B}")
    print(f"{'implementation':15s} {'loss':>16s} {'‖∇θ L‖':>16s} {'rel. err. of ∇θ L':>18s} {'θ after update':>15s} {'θ_ema':>10s}")
    reference_loss = results["numpy"][0]
    for name, (loss, grad) in results.items():
        agree(f"{name} loss", loss, reference_loss, 1e-4)
        grad_error = agree(f"{name} ∇θ L", grad, reference_grad, 1e-4)
        agree(f"{name} ‖∇θ L‖", np.linalg.norm(grad), np.linalg.norm(reference_grad), 1e-4)
        theta_error = agree(f"{name} θ after the update", updated[name][0], updated["numpy"][0], 1e-5)
        ema_error = agree(f"{name} θ_ema after the update", updated[name][1], updated["numpy"][1], 1e-5)
        print(f"{name:15s} {loss:16.9g} {float(np.linalg.norm(grad)):16.9g} {grad_error:18.3g} {theta_error:15.3g} {ema_error:10.3g}")

    if cm and os.access(cm, os.X_OK):
        def inspect(*arguments):
            out = subprocess.run([cm, "inspect", *arguments], check=True, capture_output=True, text=True).stdout
            return json.loads(out)

        for steps in [100, 1000]:
            K_bench = total_steps(steps)
            for kk in sorted({0, 1, k_prime(K_bench) - 1, k_prime(K_bench), 3 * k_prime(K_bench) + 7, warmup_steps(steps) + CM_RUNS * steps - 1}):
                theirs = inspect("curriculum", "--schedule", "ict", "--step", str(kk), "--total-steps", str(K_bench))["N"]
                if theirs != grid_size(kk, K_bench):
                    failures.append(f"N({kk}) with K = {K_bench}: cm {theirs}, peers {grid_size(kk, K_bench)}")
        worst = 0.0
        for size in grid_levels():
            theirs = inspect("lognormal", "--count", str(size))
            _, p, _, lam_ours = pair_table(size)
            worst = max(worst, agree(f"p on N = {size}", p, theirs["probabilities"], 1e-12), agree(f"λ on N = {size}", lam_ours, theirs["weights"], 1e-12))
        print(f"cm inspect: N(k) agrees at the checked steps; pair probabilities and λ on every grid "
              f"{grid_levels()} within {worst:.2g} relative")
    else:
        print(f"cm inspect: skipped (no executable at {cm})")
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures))
        sys.exit(1)
    print("check passed: every implementation computes the same step")


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
    command = [cm, "bench", "--method", method, "--steps", str(steps), "--runs", str(CM_RUNS), "--no-peak"]
    if cpu is not None:
        command = ["taskset", "-c", str(cpu)] + command
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--impl", choices=IMPLS, help="run one implementation and print one JSON line")
    parser.add_argument("--check", action="store_true", help="check that every implementation computes the same step, and exit")
    parser.add_argument("--steps", type=int, default=1000, help="timed steps per run (default 1000), as cm bench --steps")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    parser.add_argument("--cpu", type=int, default=None, help="pin every measurement to this core")
    parser.add_argument("--cm", default=".build/release/cm", help="the cm executable")
    parser.add_argument("--json", default=None, help="also write the rounds and medians to this file")
    args = parser.parse_args()
    if args.steps < 1 or args.rounds < 1:
        parser.error("--steps and --rounds must be at least 1")
    if args.cpu is not None and args.cpu not in os.sched_getaffinity(0):
        parser.error(f"--cpu {args.cpu}: not one of this process's cores {sorted(os.sched_getaffinity(0))}")

    if args.check:
        limit_threads(args.cpu)
        check(args.cm)
        return

    if args.impl:
        limit_threads(args.cpu)
        if args.impl == "numpy":
            rate, first, last, per_run, info = run_numpy(args.steps)
        elif args.impl == "torch":
            rate, first, last, per_run, info = run_torch(args.steps)
        else:
            rate, first, last, per_run, info = run_jax(args.steps, scan=args.impl == "jax-scan")
        print(json.dumps({"impl": args.impl, "steps_per_second": rate, "steps_per_run": per_run, "runs": CM_RUNS,
                          "loss_after_warmup": first, "loss_last": last, **info}))
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
          f"batch {B}, MLP 3→128→128→128→2 SiLU, float32; each cell the median of {CM_RUNS} runs of "
          f"{args.steps} steps after a warm-up, K = {total_steps(args.steps)}")
    print(f"kernels: cm {details['cm ct'].get('kernels')} ({details['cm ct'].get('kernels_reason')}); "
          f"numpy BLAS: {'; '.join(details['numpy'].get('blas', []))}")
    header = "| implementation | " + " | ".join(f"round {r + 1}" for r in range(args.rounds)) + " | median | ÷ JAX jit+scan CT |"
    print(header)
    print("|" + "---|" * (args.rounds + 3))
    names = {"cm ct": "`cm bench` CT (iCT)", "cm cd-oracle": "`cm bench --method cd-oracle` (CD, Heun)",
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
