#!/usr/bin/env python3
"""Cross-check `cm inspect` against an independent reference written from REFERENCE.md.

Usage:  python3 Fixtures/crosscheck_inspect.py [path/to/cm] [--cases 60] [--seed 2023]

A developer tool, not part of `swift test`. For every `cm inspect` subcommand it draws random
inputs (NumPy, seeded; values that appear in no fixture), runs the built `cm`, and compares each
printed number with a reference evaluated from the formulas of REFERENCE.md:

  * real-valued formulas in mpmath at 50 significant digits (so the reference is the exact
    value and the difference measures `cm`'s own rounding); if mpmath is missing, in NumPy
    float64 (then the difference also contains the reference's rounding);
  * the curricula N(k) in exact integer arithmetic: N(k) = ⌈√(k/K·((s₁+1)² − s₀²) + s₀²) − 1⌉ + 1
    equals the least m with K·m² ≥ k·((s₁+1)² − s₀²) + K·s₀², which needs no square root.

The inputs are printed with repr(), the shortest round-trip form, so `cm` reads the same float64.
A value passes when |cm − ref| ≤ 1e-12·|ref| + 1e-12; integers must be equal. The script prints
the largest relative and absolute difference per subcommand and exits 1 if any value fails.

Nothing here is translated from the Swift sources.
"""

import json
import math
import subprocess
import sys

import numpy as np

try:
    import mpmath

    mpmath.mp.dps = 50
    HIGH_PRECISION = True
except ImportError:  # pragma: no cover
    mpmath = None
    HIGH_PRECISION = False

RELATIVE, ABSOLUTE = 1e-12, 1e-12


# ---------------------------------------------------------------- arithmetic of the reference
# R(x) lifts a float64 exactly into the reference's number type; the functions below are the
# elementary functions of that type.

def R(x):
    return mpmath.mpf(float(x)) if HIGH_PRECISION else float(x)


def R_decimal(text):
    """A decimal constant of the papers (0.00054), exact in mpmath."""
    return mpmath.mpf(text) if HIGH_PRECISION else float(text)


sqrt = (lambda v: mpmath.sqrt(v)) if HIGH_PRECISION else math.sqrt
log = (lambda v: mpmath.log(v)) if HIGH_PRECISION else math.log
exp = (lambda v: mpmath.exp(v)) if HIGH_PRECISION else math.exp
erf = (lambda v: mpmath.erf(v)) if HIGH_PRECISION else math.erf
log2 = (lambda v: mpmath.log(v, 2)) if HIGH_PRECISION else math.log2
floor = (lambda v: int(mpmath.floor(v))) if HIGH_PRECISION else math.floor


# ---------------------------------------------------------------- REFERENCE.md, formula by formula

def karras(N, eps, T, rho):
    """t_i = (ε^{1/ρ} + (i−1)/(N−1)·(T^{1/ρ} − ε^{1/ρ}))^ρ, i = 1…N."""
    eps, T, rho = R(eps), R(T), R(rho)
    lo, hi = eps ** (1 / rho), T ** (1 / rho)
    return [(lo + R(i) / (N - 1) * (hi - lo)) ** rho for i in range(N)]


def ct_curriculum(k, K, s0, s1):
    """N(k) = ⌈√(k/K·((s₁+1)² − s₀²) + s₀²) − 1⌉ + 1 = ⌈√(A/K)⌉, A = k((s₁+1)² − s₀²) + K s₀²."""
    A = k * ((s1 + 1) ** 2 - s0**2) + K * s0**2
    m = math.isqrt(A // K)
    while K * m * m < A:
        m += 1
    while m > 0 and K * (m - 1) ** 2 >= A:
        m -= 1
    return m


def ict_curriculum(k, K, s0, s1):
    """K′ = ⌊K/(log₂⌊s₁/s₀⌋ + 1)⌋, N(k) = min(s₀·2^{⌊k/K′⌋}, s₁) + 1.

    The library takes K′ = 1 where the formula gives 0 (K too small to divide); the random
    inputs below keep K large, so that convention is not what is tested.
    """
    K_prime = max(floor(R(K) / (log2(R(s1 // s0)) + 1)), 1)
    return min(s0 * 2 ** (k // K_prime), s1) + 1


def ema_decay(N, s0, mu0, variant):
    """μ = exp(s₀·ln μ₀ / N) (paper) or exp(s₀·ln μ₀ / (N − 1)) (official code)."""
    denominator = N if variant == "paper" else N - 1
    return exp(s0 * log(R(mu0)) / denominator)


def scalings(t, sigma_data, eps):
    t, sd, eps = R(t), R(sigma_data), R(eps)
    return {
        "c_skip": sd**2 / ((t - eps) ** 2 + sd**2),
        "c_out": sd * (t - eps) / sqrt(sd**2 + t**2),
        "c_in": 1 / sqrt(t**2 + sd**2),
        "c_noise": log(t) / 4,
    }


def distance(x, y, metric, c=None):
    """Per sample: squared L2 and L1 averaged over dimensions; pseudo-Huber on the norm."""
    diff = [R(a) - R(b) for a, b in zip(x, y)]
    D = len(diff)
    if metric == "l2":
        return sum(d * d for d in diff) / D
    if metric == "l1":
        return sum(abs(d) for d in diff) / D
    c = R(c) if c is not None else R_decimal("0.00054") * sqrt(R(D))
    return sqrt(sum(d * d for d in diff) + c * c) - c


def lognormal(sigmas, p_mean, p_std):
    """p(n) ∝ erf((ln t_{n+1} − P_mean)/(√2 P_std)) − erf((ln t_n − P_mean)/(√2 P_std)); λ = 1/Δt."""
    weights = [1 / (sigmas[n + 1] - sigmas[n]) for n in range(len(sigmas) - 1)]
    if not HIGH_PRECISION:  # float64: the tail masses lose their digits (see below)
        cdf = [erf((log(t) - p_mean) / (math.sqrt(2) * p_std)) for t in sigmas]
        masses = [cdf[n + 1] - cdf[n] for n in range(len(sigmas) - 1)]
        return {"probabilities": [m / sum(masses) for m in masses], "weights": weights}
    # The formula as written, a difference of two erf values, in enough digits: in the tails
    # erf(a) = 1 − O(e^{−a²}), so a² / ln 10 digits cancel before the mass appears.
    with mpmath.workdps(400):
        p_mean, p_std = R(p_mean), R(p_std)
        cdf = [erf((log(t) - p_mean) / (sqrt(R(2)) * p_std)) for t in sigmas]
        assert max(((log(t) - p_mean) / (sqrt(R(2)) * p_std)) ** 2 for t in sigmas) < 700
        masses = [cdf[n + 1] - cdf[n] for n in range(len(sigmas) - 1)]
        total = sum(masses)
        return {"probabilities": [+(m / total) for m in masses], "weights": weights}


def gaussian_denoiser(x, t, m, s):
    """D(x, t) = m + s²/(s² + t²)·(x − m), the ideal denoiser of N(m, s²I)."""
    return [mi + s * s / (s * s + t * t) * (xi - mi) for xi, mi in zip(x, m)]


def pair(x, z, sigmas, n, teacher, solver, m, s):
    t_n, t_n1 = sigmas[n], sigmas[n + 1]
    x, z = [R(v) for v in x], [R(v) for v in z]
    x_next = [xi + t_n1 * zi for xi, zi in zip(x, z)]
    if teacher == "data":
        target = [xi + t_n * zi for xi, zi in zip(x, z)]  # CT: x + t_n z
    else:
        m, s = [R(v) for v in m], R(s)
        slope = lambda y, t: [(yi - Di) / t for yi, Di in zip(y, gaussian_denoiser(y, t, m, s))]
        h = t_n - t_n1
        d = slope(x_next, t_n1)
        x1 = [yi + h * di for yi, di in zip(x_next, d)]  # Euler
        if solver == "euler":
            target = x1
        else:  # Heun: x + h·(d + d′)/2 with d′ the slope at (x₁, t_n)
            d_prime = slope(x1, t_n)
            target = [yi + h * (di + dpi) / 2 for yi, di, dpi in zip(x_next, d, d_prime)]
    return {"t_n": t_n, "t_n_plus_1": t_n1, "x_t_n_plus_1": x_next, "x_target": target}


# ---------------------------------------------------------------- running cm and comparing

class Tally:
    def __init__(self):
        self.cases = self.values = self.failures = self.integer_mismatches = 0
        self.max_relative = self.max_absolute = 0.0
        self.worst = ""

    def compare(self, got, ref, where):
        if isinstance(ref, int):
            self.values += 1
            if got != ref:
                self.integer_mismatches += 1
                self.failures += 1
                self.worst = f"{where}: got {got}, reference {ref}"
            return
        if isinstance(ref, list):
            if len(got) != len(ref):
                self.failures += 1
                self.worst = f"{where}: length {len(got)} ≠ {len(ref)}"
                return
            for i, (g, r) in enumerate(zip(got, ref)):
                self.compare(g, r, f"{where}[{i}]")
            return
        self.values += 1
        absolute = float(abs(R(got) - ref))
        relative = absolute / float(abs(ref)) if ref != 0 else (0.0 if absolute == 0 else math.inf)
        self.max_absolute = max(self.max_absolute, absolute)
        if relative > self.max_relative:
            self.max_relative = relative
            self.worst = f"{where}: cm {got!r}, reference {float(ref)!r}"
        if absolute > RELATIVE * float(abs(ref)) + ABSOLUTE:
            self.failures += 1


def run(cm, name, arguments):
    result = subprocess.run([cm, "inspect", name, *arguments], capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"cm inspect {name} {' '.join(arguments)} failed: {result.stderr.strip()}")
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and result.stdout.endswith("\n"), result.stdout
    return json.loads(result.stdout)


def text(values):
    return ",".join(repr(float(v)) for v in values)


def check(cm, name, arguments, reference, tally):
    output = run(cm, name, arguments)
    assert list(output) == list(reference), f"{name}: keys {list(output)} ≠ {list(reference)}"
    tally.cases += 1
    for key, ref in reference.items():
        tally.compare(output[key], ref, f"{name} {' '.join(arguments)} → {key}")


def main():
    args = sys.argv[1:]
    options = {"--cases": "60", "--seed": "2023"}
    positional = []
    while args:
        a = args.pop(0)
        if a in options:
            options[a] = args.pop(0)
        else:
            positional.append(a)
    cm = positional[0] if positional else ".build/debug/cm"
    cases = int(options["--cases"])
    rng = np.random.default_rng(int(options["--seed"]))
    tallies = {name: Tally() for name in
               ["karras", "curriculum", "curriculum*", "ema-decay", "scalings", "distance", "lognormal", "pair"]}

    def grid_arguments():
        N = int(rng.integers(2, 300))
        eps = float(rng.uniform(5e-4, 0.02))
        T = float(rng.uniform(1, 200))
        rho = float(rng.uniform(1.5, 12))
        arguments = ["--count", str(N), "--sigma-min", repr(eps), "--sigma-max", repr(T), "--rho", repr(rho)]
        return arguments, karras(N, eps, T, rho)

    for _ in range(cases):
        # karras
        arguments, sigmas = grid_arguments()
        check(cm, "karras", arguments, {"sigmas": sigmas}, tallies["karras"])

        # curriculum: random steps, and steps where k/K·((s₁+1)² − s₀²) + s₀² is a perfect square
        # (there ⌈·⌉ is decided by the last bit of a floating-point square root).
        schedule = "ct" if rng.random() < 0.5 else "ict"
        if schedule == "ct":
            s0 = int(rng.integers(2, 20))
            s1 = int(rng.integers(s0, 400))
            exact_square = rng.random() >= 0.5
            if not exact_square:
                K = int(rng.integers(1, 2_000_000))
                k = int(rng.integers(0, K + 1))
            else:
                span = (s1 + 1) ** 2 - s0**2
                r = int(rng.integers(1, 40))
                K = span * r if span > 0 else r
                square = int(rng.integers(s0, s1 + 2))
                k = r * (square**2 - s0**2)
            N = ct_curriculum(k, K, s0, s1)
        else:
            exact_square = False
            s0 = int(rng.integers(1, 40))
            s1 = int(rng.integers(s0, 5000))
            K = int(rng.integers(1000, 2_000_000))
            k = int(rng.integers(0, K + 1))
            N = ict_curriculum(k, K, s0, s1)
        arguments = ["--step", str(k), "--total-steps", str(K), "--s0", str(s0), "--s1", str(s1),
                     "--schedule", schedule]
        name = "curriculum*" if exact_square else "curriculum"
        check(cm, "curriculum", arguments, {"N": N}, tallies[name])

        # ema-decay
        s0 = int(rng.integers(2, 20))
        s1 = int(rng.integers(s0, 400))
        K = int(rng.integers(1, 2_000_000))
        k = int(rng.integers(0, K + 1))
        mu0 = float(rng.uniform(0.5, 0.999))
        variant = "paper" if rng.random() < 0.5 else "official"
        N = ct_curriculum(k, K, s0, s1)
        arguments = ["--step", str(k), "--total-steps", str(K), "--s0", str(s0), "--s1", str(s1),
                     "--mu0", repr(mu0), "--variant", variant]
        check(cm, "ema-decay", arguments, {"mu": ema_decay(N, s0, mu0, variant), "N": N},
              tallies["ema-decay"])

        # scalings, t spread over the whole grid range on a log scale
        t = float(np.exp(rng.uniform(np.log(1e-3), np.log(200))))
        sigma_data = float(rng.uniform(0.1, 2))
        eps = float(rng.uniform(1e-4, 0.01))
        arguments = ["--sigma", repr(t), "--sigma-data", repr(sigma_data), "--sigma-min", repr(eps)]
        check(cm, "scalings", arguments, scalings(t, sigma_data, eps), tallies["scalings"])

        # distance, including differences far below c (where √(‖·‖² + c²) − c cancels)
        D = int(rng.integers(1, 8))
        x = rng.normal(size=D) * rng.uniform(0.1, 10)
        y = x + rng.normal(size=D) * (10.0 ** rng.uniform(-7, 1))
        for metric in ["l2", "l1", "pseudo-huber"]:
            arguments = ["--x", text(x), "--y", text(y), "--metric", metric]
            c = None
            if metric == "pseudo-huber" and rng.random() < 0.5:
                c = float(rng.uniform(1e-4, 2))
                arguments += ["--c", repr(c)]
            check(cm, "distance", arguments, {"distance": distance(x, y, metric, c)}, tallies["distance"])

        # lognormal
        arguments, sigmas = grid_arguments()
        p_mean = float(rng.uniform(-3, 2))
        p_std = float(rng.uniform(0.3, 3))
        arguments += ["--p-mean", repr(p_mean), "--p-std", repr(p_std)]
        check(cm, "lognormal", arguments, lognormal(sigmas, p_mean, p_std), tallies["lognormal"])

        # pair: CT (data teacher) and CD (Gaussian teacher, Euler and Heun)
        arguments, sigmas = grid_arguments()
        n = int(rng.integers(0, len(sigmas) - 1))
        D = int(rng.integers(1, 5))
        x, z = rng.normal(size=D), rng.normal(size=D)
        m, s = rng.normal(size=D) * 0.5, float(rng.uniform(0.1, 2))
        for teacher, solver in [("data", "heun"), ("gaussian", "euler"), ("gaussian", "heun")]:
            full = arguments + ["--x", text(x), "--z", text(z), "--index", str(n), "--teacher", teacher,
                                "--solver", solver, "--teacher-mean", text(m), "--teacher-std", repr(s)]
            check(cm, "pair", full, pair(x, z, sigmas, n, teacher, solver, m, s), tallies["pair"])

    print(f"reference: {'mpmath, 50 digits' if HIGH_PRECISION else 'NumPy float64'}; "
          f"tolerance {RELATIVE:g} relative + {ABSOLUTE:g} absolute; cm = {cm}")
    print(f"{'subcommand':<12} {'runs':>5} {'values':>7} {'max rel diff':>13} {'max abs diff':>13} {'fail':>5}")
    failed = False
    for name, t in tallies.items():
        print(f"{name:<12} {t.cases:>5} {t.values:>7} {t.max_relative:>13.3e} {t.max_absolute:>13.3e} "
              f"{t.failures:>5}")
        failed |= t.failures > 0
    print("  curriculum* = ct steps where k/K·((s₁+1)² − s₀²) + s₀² is a perfect square m²,")
    print("  so N(k) = m exactly and ⌈·⌉ hangs on the last bit of the floating-point evaluation")
    for name, t in tallies.items():
        if t.worst:
            print(f"  worst {name}: {t.worst[:200]}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
