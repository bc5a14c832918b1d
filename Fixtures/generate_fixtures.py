#!/usr/bin/env python3
"""Golden values for CMCore, from an independent NumPy reference.

Every formula below is written from the papers and from /work/shared/REFERENCE.md, not from the
Swift sources:

  CM   Song, Dhariwal, Chen, Sutskever, "Consistency Models", ICML 2023 (arXiv 2303.01469)
  iCT  Song & Dhariwal, "Improved Techniques for Training Consistency Models", ICLR 2024
  EDM  Karras et al., "Elucidating the Design Space of Diffusion-Based Generative Models", 2022

One JSON file is written per step of the seed pseudocode (schedule, grid, generator, pair index,
noisy pair, scalings, consistency function, distance, EMA decay, target EMA, ODE steps, exact
Gaussian answers). Each file records the generator, the NumPy version, a description, the formula
in Unicode, the inputs, and a list of cases (inputs + expected outputs).

Run from the repository root:

    python3 Fixtures/generate_fixtures.py

The output is deterministic: keys are sorted, floats are written by Python's shortest round-trip
repr, and every random input comes from the seeded generator re-implemented below (integer
arithmetic only for the inputs), never from NumPy's own generators, whose streams may change
between NumPy versions.
"""

import json
import math
import os

import numpy as np

GENERATOR = "Fixtures/generate_fixtures.py"
HERE = os.path.dirname(os.path.abspath(__file__))
MASK64 = (1 << 64) - 1

# The grid sizes the fixtures cover: the seed's coarse start (2, 3), CM CD's 18 (CIFAR-10) and
# 40 (ImageNet-64), CM CT's final 151, and iCT's final 1281.
GRID_SIZES = [2, 3, 10, 18, 40, 151, 1281]


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------

def clean(value):
    """Turns NumPy scalars and arrays into plain Python values; refuses non-finite floats."""
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    if isinstance(value, np.ndarray):
        return [clean(v) for v in value.tolist()]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        f = float(value)
        if not math.isfinite(f):
            raise ValueError("non-finite value in a fixture")
        return f
    return value


def write_fixture(name, description, formula, inputs, cases):
    document = {
        "generator": GENERATOR,
        "numpy_version": np.__version__,
        "description": description,
        "formula": formula,
        "inputs": inputs,
        "cases": cases,
    }
    text = json.dumps(clean(document), sort_keys=True, indent=1, ensure_ascii=False) + "\n"
    with open(os.path.join(HERE, name + ".json"), "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


# ---------------------------------------------------------------------------------------------
# The seeded generator: SplitMix64 seeding, xoshiro256**, uniform, Lemire integers, polar Gaussians
# ---------------------------------------------------------------------------------------------

def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & MASK64


class Xoshiro:
    """xoshiro256** (Blackman & Vigna 2018) seeded by four SplitMix64 outputs (Steele et al. 2014),
    written with Python's unbounded integers masked to 64 bits."""

    def __init__(self, seed):
        self.splitmix_state = seed & MASK64
        self.s = [self._splitmix64() for _ in range(4)]
        self.spare = None  # the second value of the last polar-method pair

    def _splitmix64(self):
        self.splitmix_state = (self.splitmix_state + 0x9E3779B97F4A7C15) & MASK64
        z = self.splitmix_state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def next(self):
        s0, s1, s2, s3 = self.s
        result = (rotl((s1 * 5) & MASK64, 7) * 9) & MASK64
        t = (s1 << 17) & MASK64
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        self.s = [s0, s1, s2, s3]
        return result

    def uniform(self):
        # The top 53 bits as an integer, times 2⁻⁵³: exact in binary64.
        return float(self.next() >> 11) * 2.0 ** -53

    def int_below(self, m):
        """Lemire (2019): the high word of next()·m, rejecting low words below 2⁶⁴ mod m."""
        assert 0 < m < (1 << 63)
        product = self.next() * m
        if (product & MASK64) < m:
            threshold = (1 << 64) % m
            while (product & MASK64) < threshold:
                product = self.next() * m
        return product >> 64

    def gaussian(self):
        """Marsaglia's polar method; the second value of each accepted pair is kept for the next
        call, whatever other draws happen in between."""
        if self.spare is not None:
            z, self.spare = self.spare, None
            return z
        while True:
            u = 2.0 * self.uniform() - 1.0
            v = 2.0 * self.uniform() - 1.0
            s = u * u + v * v
            if 0.0 < s < 1.0:
                factor = math.sqrt(-2.0 * math.log(s) / s)
                self.spare = v * factor
                return u * factor

    def uniform_in(self, a, b, count):
        """Inputs for the other fixtures: a + (b − a)·U, no transcendental function involved."""
        return [a + (b - a) * self.uniform() for _ in range(count)]


# ---------------------------------------------------------------------------------------------
# 1. Curricula N(k)
# ---------------------------------------------------------------------------------------------

def ct_steps_exact(k, K, s0, s1):
    """CM App. C: N(k) = ⌈√(k/K·((s₁+1)² − s₀²) + s₀²) − 1⌉ + 1, evaluated exactly.

    ⌈r − 1⌉ + 1 = ⌈r⌉, and ⌈√(A/K)⌉ with A = k·((s₁+1)² − s₀²) + K·s₀² is the least integer m with
    m²·K ≥ A: integer arithmetic, no rounding at all.
    """
    A = k * ((s1 + 1) ** 2 - s0 * s0) + K * s0 * s0
    m = math.isqrt(A // K)
    while m * m * K < A:
        m += 1
    return m


def ct_steps_float(k, K, s0, s1):
    """The same formula evaluated in binary64 as written (a cross-check of the exact one)."""
    r = math.sqrt(k / K * ((s1 + 1) ** 2 - s0 ** 2) + s0 ** 2)
    return int(math.ceil(r - 1)) + 1


def fixture_curriculum_ct():
    cases = []

    def add(k, K, s0, s1, note=""):
        n = ct_steps_exact(k, K, s0, s1)
        case = {"k": k, "K": K, "s0": s0, "s1": s1, "N": n}
        n_float = ct_steps_float(k, K, s0, s1)
        if n_float != n:
            # Only where the real √ is an integer: k/K is rounded, the sum lands an ulp above the
            # square, and the ceiling goes up by one. Recorded so that a test can say so.
            assert note.startswith("exact square"), (k, K, s0, s1)
            case["N_binary64"] = n_float
            note += "; the binary64 evaluation of the formula as written gives N_binary64 = N + 1"
        if note:
            case["note"] = note
        cases.append(case)

    # The checks of REFERENCE.md.
    for k in [0, 1, 1000, 100000, 800000]:
        add(k, 800000, 2, 150, "REFERENCE.md check")
    settings = [(800000, 2, 150), (600000, 2, 200), (100000, 2, 150), (1000, 2, 18), (1000, 3, 40),
                (12345, 5, 17), (7, 2, 2), (1, 2, 150), (10, 10, 1280), (400000, 10, 1280)]
    for K, s0, s1 in settings:
        ks = sorted(set([0, 1, 2, K // 100, K // 10, K // 4, K // 3, K // 2, 2 * K // 3, 3 * K // 4,
                         9 * K // 10, K - 1, K]))
        for k in ks:
            if 0 <= k <= K:
                add(k, K, s0, s1)
    # Every step of a short schedule, and the steps where √ is an exact integer (where a careless
    # floating-point evaluation could round the ceiling up by one).
    for k in range(0, 101):
        add(k, 100, 2, 10)
    # K = (s₁+1)² − s₀² makes k = m² − s₀² an exact square for every m.
    for K, s0, s1 in [(117, 2, 10), (357, 2, 18), (1677, 2, 40), (22797, 2, 150), (1000, 2, 18)]:
        for k in range(K + 1):
            A = k * ((s1 + 1) ** 2 - s0 * s0) + K * s0 * s0
            if A % K == 0 and math.isqrt(A // K) ** 2 == A // K and 0 < k < K:
                add(k, K, s0, s1, "exact square: √ is an integer")
                if k + 1 <= K:
                    add(k + 1, K, s0, s1, "one step after an exact square")
    write_fixture(
        "curriculum_ct",
        "The CT discretization curriculum N(k) of CM Appendix C (timestep_schedule in the seed "
        "pseudocode). Computed exactly with integers: N = least m with m²·K ≥ k·((s₁+1)² − s₀²) + "
        "K·s₀², and cross-checked against the binary64 evaluation of the formula.",
        "N(k) = ⌈ √( k/K · ((s₁ + 1)² − s₀²) + s₀² ) − 1 ⌉ + 1",
        {"settings (K, s0, s1)": settings, "reference_checks": "K=800000, s0=2, s1=150: N(0)=2, "
         "N(1)=3, N(1000)=6, N(100000)=54, N(800000)=151"},
        cases)


def ict_k_prime(K, s0, s1):
    return int(math.floor(K / (math.log2(s1 // s0) + 1)))


def fixture_curriculum_ict():
    cases = []
    settings = [(400000, 10, 1280), (800000, 10, 1280), (1000, 10, 1280), (400000, 10, 1000),
                (100000, 3, 100), (5000, 7, 50), (1000, 2, 150), (90, 10, 20), (64, 1, 64),
                (100, 5, 5), (400000, 20, 1280)]
    for K, s0, s1 in settings:
        kp = ict_k_prime(K, s0, s1)
        assert kp >= 1
        ks = set([0, 1, K // 2, K - 1, K])
        for j in range(0, K // kp + 2):
            for k in (j * kp - 1, j * kp, j * kp + 1):
                ks.add(k)
        for k in sorted(ks):
            if 0 <= k <= K:
                n = min(s0 * 2 ** (k // kp), s1) + 1  # Python integers: no overflow to worry about
                cases.append({"k": k, "K": K, "s0": s0, "s1": s1, "K_prime": kp, "N": n})
    write_fixture(
        "curriculum_ict",
        "The exponential discretization curriculum of iCT §3.4: the number of intervals doubles "
        "every K′ steps from s₀, capped at s₁. Includes s₁/s₀ that are not powers of two (then the "
        "cap, not the doubling, sets N(K)).",
        "K′ = ⌊ K / (log₂⌊s₁/s₀⌋ + 1) ⌋,   N(k) = min(s₀ · 2^⌊k/K′⌋, s₁) + 1",
        {"settings (K, s0, s1)": settings},
        cases)


# ---------------------------------------------------------------------------------------------
# 2. Karras grid
# ---------------------------------------------------------------------------------------------

KARRAS_SETTINGS = [(0.002, 80.0, 7.0), (0.002, 80.0, 3.0), (0.01, 50.0, 7.0), (0.002, 1.0, 1.0),
                   (0.001, 100.0, 10.0)]


def karras(N, sigma_min, sigma_max, rho):
    """EDM Eq. 5, ascending: t_i = (ε^{1/ρ} + (i−1)/(N−1)·(T^{1/ρ} − ε^{1/ρ}))^ρ, i = 1…N."""
    ramp = np.arange(N, dtype=np.float64) / np.float64(N - 1)
    lo = sigma_min ** (1.0 / rho)
    hi = sigma_max ** (1.0 / rho)
    return (lo + ramp * (hi - lo)) ** rho


def fixture_karras():
    cases = []
    for sigma_min, sigma_max, rho in KARRAS_SETTINGS:
        for N in GRID_SIZES:
            cases.append({"N": N, "sigma_min": sigma_min, "sigma_max": sigma_max, "rho": rho,
                          "sigmas": karras(N, sigma_min, sigma_max, rho)})
    write_fixture(
        "karras_sigmas",
        "The noise grid of EDM Eq. 5 (karras_schedule in the seed pseudocode), ascending, 0-based "
        "(sigmas[0] = t₁). The ends are not pinned to ε and T: this is the direct evaluation of the "
        "formula, so they may be an ulp or so away.",
        "t_i = ( ε^{1/ρ} + (i − 1)/(N − 1) · (T^{1/ρ} − ε^{1/ρ}) )^ρ,   i = 1 … N",
        {"N": GRID_SIZES, "settings (sigma_min, sigma_max, rho)": KARRAS_SETTINGS},
        cases)


# ---------------------------------------------------------------------------------------------
# 3. The generator
# ---------------------------------------------------------------------------------------------

GENERATOR_SEEDS = [0, 1, 42, 2026, 0x9E3779B97F4A7C15, MASK64]
INT_BOUNDS = [1, 2, 3, 7, 10, 100, 149, 1280, 2 ** 31 - 1, 2 ** 62 + 1, 6148914691236517206,
              2 ** 63 - 1]


def fixture_generator():
    cases = []
    for seed in GENERATOR_SEEDS:
        g = Xoshiro(seed)
        state = [str(w) for w in g.s]
        raw = [str(g.next()) for _ in range(20)]
        g = Xoshiro(seed)
        uniforms = [g.uniform() for _ in range(20)]
        ints = {}
        for m in INT_BOUNDS:
            g = Xoshiro(seed)
            draws = [g.int_below(m) for _ in range(20)]
            ints[str(m)] = {"values": [str(v) for v in draws],
                            "next_raw_after": str(g.next())}
        g = Xoshiro(seed)
        gaussians = [g.gaussian() for _ in range(20)]
        # An interleaved sequence: the spare Gaussian survives the draws made in between.
        g = Xoshiro(seed)
        mixed = []
        for op in ["gaussian", "uniform", "gaussian", "int:10", "gaussian", "gaussian", "raw",
                   "gaussian", "uniform", "int:1000", "gaussian", "gaussian"]:
            if op == "gaussian":
                mixed.append({"op": op, "value": g.gaussian()})
            elif op == "uniform":
                mixed.append({"op": op, "value": g.uniform()})
            elif op == "raw":
                mixed.append({"op": op, "value": str(g.next())})
            else:
                m = int(op.split(":")[1])
                mixed.append({"op": op, "value": str(g.int_below(m))})
        cases.append({"seed": str(seed), "state_after_seeding": state, "raw": raw,
                      "uniforms": uniforms, "ints_below": ints, "gaussians": gaussians,
                      "mixed": mixed})
    write_fixture(
        "generator",
        "The seeded generator: SplitMix64 seeding of xoshiro256**, the first 20 raw outputs "
        "(UInt64 as decimal strings), uniforms, integers below several bounds by Lemire's "
        "multiply-shift with rejection (each list from a fresh generator, with the raw output "
        "that follows it), Gaussians by Marsaglia's polar method, and an interleaved sequence in "
        "which the spare Gaussian is kept across other draws. The Gaussians use Python's math.log, "
        "so they match a portable log only to an ulp or two.",
        "seed: SplitMix64(seed) → s₀, s₁, s₂, s₃;  next() = rotl(s₁·5, 7)·9, then "
        "t = s₁ ≪ 17; s₂ ^= s₀; s₃ ^= s₁; s₁ ^= s₂; s₀ ^= s₃; s₂ ^= t; s₃ = rotl(s₃, 45);  "
        "U = (next() ≫ 11)·2⁻⁵³;  n = ⌊next()·m / 2⁶⁴⌋ rejecting (next()·m mod 2⁶⁴) < 2⁶⁴ mod m;  "
        "u, v = 2U − 1, 2U′ − 1 until 0 < s = u² + v² < 1, z₁ = u·√(−2 ln s / s), "
        "z₂ = v·√(−2 ln s / s) kept for the next Gaussian",
        {"seeds": [str(s) for s in GENERATOR_SEEDS], "int_bounds": [str(m) for m in INT_BOUNDS]},
        cases)


# ---------------------------------------------------------------------------------------------
# 4. Pair index
# ---------------------------------------------------------------------------------------------

def erf_difference(a, b):
    """erf(b) − erf(a). Where both arguments have the same sign the difference is taken between the
    erfc values of the tails, erfc(a) − erfc(b) (or erfc(−b) − erfc(−a)): mathematically the same
    formula, but it does not lose digits to two erf values both close to ±1."""
    if a >= 0 and b >= 0:
        return math.erfc(a) - math.erfc(b)
    if a <= 0 and b <= 0:
        return math.erfc(-b) - math.erfc(-a)
    return math.erf(b) - math.erf(a)


def lognormal_probabilities(sigmas, p_mean, p_std):
    """iCT §3.5: p(n) ∝ erf((ln t_{n+1} − P_mean)/(√2 P_std)) − erf((ln t_n − P_mean)/(√2 P_std))."""
    arguments = (np.log(np.asarray(sigmas)) - p_mean) / (math.sqrt(2.0) * p_std)
    masses = [erf_difference(float(arguments[n]), float(arguments[n + 1]))
              for n in range(len(sigmas) - 1)]
    total = math.fsum(masses)
    return [m / total for m in masses]


def sample_from(probabilities, g):
    """Inverse CDF: the first n with p(0) + … + p(n) > U; a rounding excess lands on the last."""
    u = g.uniform()
    cumulative = 0.0
    for n, p in enumerate(probabilities):
        cumulative += p
        if u < cumulative:
            return n
    return len(probabilities) - 1


def fixture_pair_index():
    uniform_cases = []
    for seed in [0, 1, 42]:
        for N in GRID_SIZES:
            g = Xoshiro(seed)
            # n ~ U{1, …, N−1} 1-based (CM Alg. 3) = U{0, …, N−2} 0-based: an integer below N − 1.
            uniform_cases.append({"seed": str(seed), "N": N,
                                  "indices": [g.int_below(N - 1) for _ in range(20)]})
    lognormal_cases = []
    for p_mean, p_std, note in [(-1.1, 2.0, "iCT"), (-1.2, 1.2, "EDM's training distribution"),
                                (1.1, 2.0, "the README sign typo, for contrast")]:
        for grid_number, (sigma_min, sigma_max, rho) in enumerate(KARRAS_SETTINGS[:3]):
            # The 1281-point grid only for the default (ε, T, ρ), to keep the file small.
            for N in GRID_SIZES if grid_number == 0 else GRID_SIZES[:-1]:
                sigmas = karras(N, sigma_min, sigma_max, rho).tolist()
                p = lognormal_probabilities(sigmas, p_mean, p_std)
                g = Xoshiro(7)
                draws = [sample_from(p, g) for _ in range(20)]
                lognormal_cases.append({
                    "P_mean": p_mean, "P_std": p_std, "note": note, "sigmas": sigmas,
                    "probabilities": p,
                    "weights": [1.0 / (sigmas[n + 1] - sigmas[n]) for n in range(N - 1)],
                    "sample_seed": "7", "sampled_indices": draws})
    write_fixture(
        "pair_index",
        "Which pair (t_n, t_{n+1}) an example uses. uniform: CM Alg. 3, 20 draws of an integer "
        "below N − 1 from a fresh seeded generator (0-based n ∈ {0, …, N−2}). lognormal: iCT §3.5 "
        "probabilities on the given grid (normalised with an exactly rounded sum), iCT's λ weights "
        "1/(t_{n+1} − t_n), and 20 indices drawn from those probabilities by inverting the "
        "cumulative sum with the uniforms of a generator seeded with 7. erf(b) − erf(a) is taken as "
        "a difference of erfc tails where both arguments have the same sign (same formula, no "
        "cancellation).",
        "uniform: n = ⌊next()·(N−1) / 2⁶⁴⌋ (Lemire);  "
        "p(n) ∝ erf((ln t_{n+1} − P_mean)/(√2·P_std)) − erf((ln t_n − P_mean)/(√2·P_std));  "
        "λ(t_n) = 1/(t_{n+1} − t_n);  n = min{n : p(0) + … + p(n) > U}",
        {"N": GRID_SIZES, "uniform_seeds": ["0", "1", "42"],
         "lognormal (P_mean, P_std)": [[-1.1, 2.0], [-1.2, 1.2], [1.1, 2.0]],
         "grids (sigma_min, sigma_max, rho)": KARRAS_SETTINGS[:3],
         "note": "N = 1281 only on the first grid"},
        {"uniform": uniform_cases, "lognormal": lognormal_cases})


# ---------------------------------------------------------------------------------------------
# 5. Noisy pair
# ---------------------------------------------------------------------------------------------

SIGMAS_ACROSS = [0.002, 0.0021, 0.005, 0.01, 0.05, 0.1, 0.3, 0.5, 1.0, 2.5152189761471590, 5.0,
                 10.0, 20.0, 40.0, 79.9, 80.0]


def fixture_noisy_pair():
    g = Xoshiro(11)
    cases = []
    grid = karras(18, 0.002, 80.0, 7.0)
    pairs = [(float(grid[n]), float(grid[n + 1])) for n in (0, 1, 5, 9, 16)]
    pairs += [(0.1, 0.3), (0.002, 0.0021), (40.0, 80.0)]
    for D in [1, 2, 3, 5]:
        for tN, tNPlus1 in pairs:
            x = np.array(g.uniform_in(-2.0, 2.0, D))
            z = np.array(g.uniform_in(-3.0, 3.0, D))
            cases.append({"x": x, "z": z, "t_n": tN, "t_n_plus_1": tNPlus1,
                          "x_t_n": x + tN * z, "x_t_n_plus_1": x + tNPlus1 * z})
    cases.append({"x": [1.0, -1.0], "z": [0.5, 2.0], "t_n": 0.1, "t_n_plus_1": 0.3,
                  "x_t_n": np.array([1.0, -1.0]) + 0.1 * np.array([0.5, 2.0]),
                  "x_t_n_plus_1": np.array([1.0, -1.0]) + 0.3 * np.array([0.5, 2.0])})
    write_fixture(
        "noisy_pair",
        "The CT pair of CM Alg. 3 (current_noisy_data and next_noisy_data in the seed "
        "pseudocode): the same data point x and the same noise z at two neighbouring noise levels.",
        "x_{t_n} = x + t_n·z,   x_{t_{n+1}} = x + t_{n+1}·z",
        {"dimensions": [1, 2, 3, 5], "pairs (t_n, t_n_plus_1)": pairs,
         "x": "uniform in [−2, 2) from seed 11", "z": "uniform in [−3, 3) from seed 11"},
        cases)


# ---------------------------------------------------------------------------------------------
# 6. Boundary scalings
# ---------------------------------------------------------------------------------------------

def scalings(t, sigma_data, eps):
    """CM Eq. 5 / App. C (c_skip, c_out shifted by ε) and EDM Table 1 (c_in, c_noise)."""
    c_skip = sigma_data ** 2 / ((t - eps) ** 2 + sigma_data ** 2)
    c_out = sigma_data * (t - eps) / np.sqrt(sigma_data ** 2 + t ** 2)
    c_in = 1.0 / np.sqrt(t ** 2 + sigma_data ** 2)
    c_noise = 0.25 * np.log(t)
    return float(c_skip), float(c_out), float(c_in), float(c_noise)


def fixture_boundary_scalings():
    cases = []
    settings = [(0.5, 0.002), (1.0, 0.002), (0.5, 0.01), (0.25, 0.002)]
    for sigma_data, eps in settings:
        ts = sorted(set([eps] + [t for t in SIGMAS_ACROSS if t >= eps]))
        for t in ts:
            c_skip, c_out, c_in, c_noise = scalings(np.float64(t), sigma_data, eps)
            cases.append({"t": t, "sigma_data": sigma_data, "sigma_min": eps, "c_skip": c_skip,
                          "c_out": c_out, "c_in": c_in, "c_noise": c_noise})
    write_fixture(
        "boundary_scalings",
        "The boundary scalings (skip_scaling and output_scaling in the seed pseudocode) and EDM's "
        "input and noise scalings, over σ from ε to 80. At t = ε, c_skip = 1 and c_out = 0 exactly.",
        "c_skip(t) = σ_data² / ((t − ε)² + σ_data²);  c_out(t) = σ_data·(t − ε) / √(σ_data² + t²);  "
        "c_in(t) = 1 / √(t² + σ_data²);  c_noise(t) = ¼·ln t",
        {"settings (sigma_data, sigma_min)": settings, "t": SIGMAS_ACROSS},
        cases)


# ---------------------------------------------------------------------------------------------
# 7. Consistency function with a fixed network
# ---------------------------------------------------------------------------------------------

def fixed_network_weights(D, g):
    W = np.array(g.uniform_in(-1.0, 1.0, D * D)).reshape(D, D)
    b = np.array(g.uniform_in(-0.5, 0.5, D))
    a = np.array(g.uniform_in(-1.0, 1.0, D))
    return W, b, a


def fixed_network(u, c, W, b, a):
    """F(u, c)ᵢ = tanh( Σⱼ Wᵢⱼ·uⱼ + bᵢ + aᵢ·c ): an affine map of (u, c) followed by tanh."""
    return np.tanh(W @ u + b + a * c)


def fixture_consistency_function():
    g = Xoshiro(5)
    cases = []
    for D in [1, 2, 3, 5]:
        W, b, a = fixed_network_weights(D, g)
        for sigma_data, eps in [(0.5, 0.002), (1.0, 0.01)]:
            for t in [eps, 0.003, 0.05, 0.5, 1.0, 2.5, 10.0, 80.0]:
                x = np.array(g.uniform_in(-3.0, 3.0, D))
                c_skip, c_out, c_in, c_noise = scalings(np.float64(t), sigma_data, eps)
                F = fixed_network(c_in * x, c_noise, W, b, a)
                f = c_skip * x + c_out * F
                cases.append({"D": D, "W": W, "b": b, "a": a, "sigma_data": sigma_data,
                              "sigma_min": eps, "t": t, "x": x, "F": F, "f": f})
    write_fixture(
        "consistency_function",
        "The consistency function of CM Eq. 5 with a fixed small network F (an affine map of the "
        "scaled input and c_noise followed by tanh, weights W (row-major, W[i][j]), b, a recorded "
        "in each case). 'F' is the network's output, 'f' the consistency function. At t = ε, f = x.",
        "f(x, t) = c_skip(t)·x + c_out(t)·F(c_in(t)·x, c_noise(t)),   "
        "F(u, c)ᵢ = tanh( Σⱼ Wᵢⱼ·uⱼ + bᵢ + aᵢ·c )",
        {"dimensions": [1, 2, 3, 5], "weights": "uniform from seed 5 (W, b, a, then x per case)"},
        cases)


# ---------------------------------------------------------------------------------------------
# 8. Distances
# ---------------------------------------------------------------------------------------------

def distances(x, y, c):
    """Per-sample distances (CM Eq. 6; iCT §3.3) and their gradients with respect to x."""
    D = x.size
    diff = x - y
    squared_norm = math.fsum((diff * diff).tolist())
    root = math.sqrt(squared_norm + c * c)
    # √(‖x − y‖² + c²) − c, written as ‖x − y‖² / (√(‖x − y‖² + c²) + c): the same number (multiply
    # and divide by the conjugate), without the cancellation of the direct form when ‖x − y‖ ≪ c.
    pseudo_huber = squared_norm / (root + c)
    elementwise = np.mean(np.sqrt(diff * diff + c * c) - c)
    return {
        "squared_l2": squared_norm / D,
        "l1": math.fsum(np.abs(diff).tolist()) / D,
        "pseudo_huber": pseudo_huber,
        "pseudo_huber_elementwise_mean": float(elementwise),
        "gradient_squared_l2": 2.0 * diff / D,
        "gradient_l1": np.sign(diff) / D,
        "gradient_pseudo_huber": diff / root,
    }


def fixture_distance():
    g = Xoshiro(13)
    cases = []
    for D in [1, 2, 3, 5]:
        for scale in [1.0, 1e-2, 1e-5]:
            x = np.array(g.uniform_in(-1.0, 1.0, D))
            y = x + scale * np.array(g.uniform_in(-1.0, 1.0, D))
            for c in [0.00054 * math.sqrt(D), 1.0]:
                case = {"D": D, "x": x, "y": y, "c": c}
                case.update(distances(x, y, c))
                cases.append(case)
        x = np.array(g.uniform_in(-1.0, 1.0, D))
        case = {"D": D, "x": x, "y": x.copy(), "c": 0.00054 * math.sqrt(D)}
        case.update(distances(x, x.copy(), 0.00054 * math.sqrt(D)))
        cases.append(case)
    x, y = np.array([1.0, 2.0]), np.array([0.0, 0.0])
    case = {"D": 2, "x": x, "y": y, "c": 1.0}
    case.update(distances(x, y, 1.0))
    cases.append(case)
    write_fixture(
        "distance",
        "Per-sample distances: squared L2 and L1 averaged over the D dimensions, pseudo-Huber on "
        "the per-sample Euclidean norm (iCT §3.3, c = 0.00054·√D or c = 1), and their gradients "
        "with respect to x (y is the stop-gradient target; sign(0) = 0). "
        "'pseudo_huber_elementwise_mean' is the element-by-element variant of one public "
        "implementation, recorded only for contrast: it is not what the library computes.",
        "squared L2 = (1/D) Σᵢ (xᵢ − yᵢ)²;  L1 = (1/D) Σᵢ |xᵢ − yᵢ|;  "
        "pseudo-Huber = √(‖x − y‖₂² + c²) − c;  ∇ₓ: (2/D)(x − y), (1/D) sign(x − y), "
        "(x − y)/√(‖x − y‖₂² + c²)",
        {"dimensions": [1, 2, 3, 5], "difference scales": [1.0, 1e-2, 1e-5],
         "c": "0.00054·√D and 1"},
        cases)


# ---------------------------------------------------------------------------------------------
# 9. EMA decay rate
# ---------------------------------------------------------------------------------------------

def ema_decay(N, s0, mu0, variant):
    """CM App. C: μ = exp(s₀·ln μ₀ / N) (paper); the official code divides by N − 1."""
    denominator = N if variant == "paper" else N - 1
    return math.exp(s0 * math.log(mu0) / denominator)


def fixture_ema_decay():
    by_N = []
    for variant in ["paper", "official"]:
        for s0 in [2, 3, 10]:
            for mu0 in [0.9, 0.95, 0.99, 0.5]:
                for N in sorted(set([2, s0, s0 + 1] + GRID_SIZES)):
                    by_N.append({"N": N, "s0": s0, "mu0": mu0, "variant": variant,
                                 "mu": ema_decay(N, s0, mu0, variant)})
    by_k = []
    for variant in ["paper", "official"]:
        for (K, s0, s1, mu0) in [(800000, 2, 150, 0.9), (600000, 2, 200, 0.95), (1000, 2, 18, 0.9)]:
            for k in sorted(set([0, 1, 1000, K // 8, K // 2, K - 1, K])):
                if k <= K:
                    N = ct_steps_exact(k, K, s0, s1)
                    by_k.append({"k": k, "K": K, "s0": s0, "s1": s1, "mu0": mu0,
                                 "variant": variant, "N": N, "mu": ema_decay(N, s0, mu0, variant)})
    write_fixture(
        "ema_decay",
        "The target network's EMA decay rate (ema_decay_schedule in the seed pseudocode), as a "
        "function of the grid size N and of the training step k through N(k) (CM App. C). "
        "'paper' divides by N, 'official' (the official code) by N − 1.",
        "μ = exp( s₀·ln μ₀ / N )  (paper);   μ = exp( s₀·ln μ₀ / (N − 1) )  (official);   "
        "μ(k) = μ(N(k))",
        {"reference_checks": "paper, K=800000, s0=2, s1=150, mu0=0.9: μ(0)=0.9, "
         "μ(1)=0.93216975…, μ(800000)=0.99860547…"},
        {"by_N": by_N, "by_k": by_k})


# ---------------------------------------------------------------------------------------------
# 10. Target EMA update
# ---------------------------------------------------------------------------------------------

def fixture_target_ema():
    g = Xoshiro(17)
    cases = []
    for D in [1, 2, 3, 5, 17]:
        for mu in [0.0, 0.5, 0.75, 0.9, 0.999, 1.0]:
            theta_minus = np.array(g.uniform_in(-2.0, 2.0, D))
            theta = np.array(g.uniform_in(-2.0, 2.0, D))
            cases.append({"theta_minus": theta_minus, "theta": theta, "mu": mu,
                          "result": mu * theta_minus + (1.0 - mu) * theta})
    cases.append({"theta_minus": [1.0, 2.0], "theta": [3.0, 0.0], "mu": 0.75,
                  "result": 0.75 * np.array([1.0, 2.0]) + 0.25 * np.array([3.0, 0.0])})
    write_fixture(
        "target_ema",
        "The target network update of CM Eq. 8 on flat parameter vectors (the teacher_model_params "
        "update of the seed pseudocode): θ⁻ follows θ.",
        "θ⁻ ← μ·θ⁻ + (1 − μ)·θ",
        {"dimensions": [1, 2, 3, 5, 17], "mu": [0.0, 0.5, 0.75, 0.9, 0.999, 1.0]},
        cases)


# ---------------------------------------------------------------------------------------------
# 11. Probability-flow ODE steps, 12. exact Gaussian answers
# ---------------------------------------------------------------------------------------------

def gaussian_denoiser(x, t, m, s):
    """Data N(m, s²I): D(x, t) = E[x₀ | x_t = x] = m + s²/(s² + t²)·(x − m)."""
    return m + s * s / (s * s + t * t) * (x - m)


def gaussian_f_star(x, t, m, s, eps):
    """The probability-flow ODE dx/dt = t(x − m)/(s² + t²) keeps (x − m)/√(s² + t²) constant, so
    the solution from (x, t) at time ε is m + (x − m)·√((s² + ε²)/(s² + t²))."""
    return m + (x - m) * math.sqrt((s * s + eps * eps) / (s * s + t * t))


def euler(x, t_from, t_to, D):
    d = (x - D(x, t_from)) / t_from
    return x + (t_to - t_from) * d


def heun(x, t_from, t_to, D):
    h = t_to - t_from
    d = (x - D(x, t_from)) / t_from
    x1 = x + h * d
    d_prime = (x1 - D(x1, t_to)) / t_to
    return x + h * (d + d_prime) / 2.0


def fixture_ode_steps():
    g = Xoshiro(19)
    gaussian_cases = []
    pairs = []
    for N in [18, 40, 151]:
        grid = karras(N, 0.002, 80.0, 7.0)
        for n in [0, 1, N // 2, N - 2]:
            pairs.append((float(grid[n]), float(grid[n + 1])))
    pairs += [(0.5, 1.0), (1.0, 80.0)]
    for D in [1, 2, 3, 5]:
        for s in [0.5, 2.0]:
            m = np.array(g.uniform_in(-1.0, 1.0, D))
            for tN, tNPlus1 in pairs:
                x = np.array(g.uniform_in(-3.0, 3.0, D)) * math.sqrt(s * s + tNPlus1 * tNPlus1)
                denoiser = lambda v, t, m=m, s=s: gaussian_denoiser(v, t, m, s)
                gaussian_cases.append({
                    "mean": m, "std": s, "x": x, "t_n": tN, "t_n_plus_1": tNPlus1,
                    # The slope in closed form, t(x − m)/(s² + t²): the same value as
                    # (x − D(x, t))/t without its cancellation at small t.
                    "slope": tNPlus1 * (x - m) / (s * s + tNPlus1 * tNPlus1),
                    "euler": euler(x, tNPlus1, tN, denoiser),
                    "heun": heun(x, tNPlus1, tN, denoiser),
                    "exact": m + (x - m) * math.sqrt((s * s + tN * tN) / (s * s + tNPlus1 * tNPlus1)),
                })
    one_sample_cases = []
    for D in [1, 2, 3, 5]:
        for tN, tNPlus1 in pairs[:6] + pairs[-2:]:
            x0 = np.array(g.uniform_in(-2.0, 2.0, D))
            z = np.array(g.uniform_in(-3.0, 3.0, D))
            x = x0 + tNPlus1 * z
            denoiser = lambda v, t, x0=x0: x0
            one_sample_cases.append({"data": x0, "z": z, "t_n": tN, "t_n_plus_1": tNPlus1,
                                     "x": x, "euler": euler(x, tNPlus1, tN, denoiser),
                                     "heun": heun(x, tNPlus1, tN, denoiser),
                                     "ct_target": x0 + tN * z})
    write_fixture(
        "ode_steps",
        "One Euler and one Heun step of the probability-flow ODE from t_{n+1} down to t_n (CM "
        "Alg. 2; EDM Alg. 1). 'gaussian': the exact denoiser of N(mean, std²I) as D, with its "
        "closed-form slope and the exact ODE transport for comparison. 'one_sample': the one-sample "
        "denoiser D := data, with which the Euler step gives the CT target x + t_n·z in real "
        "arithmetic ('ct_target'; the step's own floating-point value is 'euler').",
        "d = (x − D(x, t_{n+1}))/t_{n+1};  Euler: x̂ = x + (t_n − t_{n+1})·d;  "
        "Heun: x₁ = x + (t_n − t_{n+1})·d, d′ = (x₁ − D(x₁, t_n))/t_n, "
        "x̂ = x + (t_n − t_{n+1})·(d + d′)/2;  Gaussian D(x, t) = m + s²/(s² + t²)·(x − m)",
        {"pairs (t_n, t_n_plus_1)": pairs, "dimensions": [1, 2, 3, 5], "std": [0.5, 2.0]},
        {"gaussian": gaussian_cases, "one_sample": one_sample_cases})


def fixture_gaussian_exact():
    g = Xoshiro(23)
    cases = []
    for D in [1, 2, 3, 5]:
        for s in [0.1, 0.5, 2.0]:
            m = np.array(g.uniform_in(-1.0, 1.0, D))
            for eps in [0.002, 0.01]:
                for t in [eps, 0.003, 0.1, 0.5, 1.0, 5.0, 80.0]:
                    if t < eps:
                        continue
                    x = np.array(g.uniform_in(-3.0, 3.0, D))
                    cases.append({"mean": m, "std": s, "sigma_min": eps, "t": t, "x": x,
                                  "denoiser": gaussian_denoiser(x, t, m, s),
                                  "f_star": gaussian_f_star(x, t, m, s, eps)})
    cases.append({"mean": [0.0, 0.0], "std": 0.5, "sigma_min": 0.002, "t": 0.5, "x": [1.0, -2.0],
                  "denoiser": gaussian_denoiser(np.array([1.0, -2.0]), 0.5, np.zeros(2), 0.5),
                  "f_star": gaussian_f_star(np.array([1.0, -2.0]), 0.5, np.zeros(2), 0.5, 0.002)})
    write_fixture(
        "gaussian_exact",
        "Exact answers for Gaussian data N(mean, std²I): the ideal denoiser E[x₀ | x_t] and the "
        "exact consistency function (the probability-flow ODE solved in closed form to time ε).",
        "D(x, t) = m + s²/(s² + t²)·(x − m);   f*(x, t) = m + (x − m)·√((s² + ε²)/(s² + t²))",
        {"dimensions": [1, 2, 3, 5], "std": [0.1, 0.5, 2.0], "sigma_min": [0.002, 0.01]},
        cases)


# ---------------------------------------------------------------------------------------------
# 13. One full CT training step (CM Alg. 3): network, loss, gradient, Adam, target EMA
# ---------------------------------------------------------------------------------------------
#
# Everything below is written from the papers and the documented conventions (the MLP's θ layout
# and initialisation, Adam of Kingma & Ba 2015 Alg. 1), in float64, with the backward pass derived
# by hand and checked against central finite differences before anything is written.

def mlp_widths(D, hidden):
    """F_θ reads [c_in·x₁, …, c_in·x_D, c_noise] and returns D numbers: widths d₀ = D + 1, …, d_L = D."""
    return [D + 1] + list(hidden) + [D]


def mlp_unpack(theta, widths):
    """θ = [W₁ (d₁ × d₀, row by row), b₁, W₂, b₂, …, W_L, b_L] → [(W_l, b_l)]."""
    layers, offset = [], 0
    for d_in, d_out in zip(widths[:-1], widths[1:]):
        W = np.asarray(theta[offset:offset + d_out * d_in], dtype=np.float64).reshape(d_out, d_in)
        offset += d_out * d_in
        b = np.asarray(theta[offset:offset + d_out], dtype=np.float64)
        offset += d_out
        layers.append((W, b))
    assert offset == len(theta)
    return layers


def mlp_init(widths, seed):
    """PyTorch's nn.Linear default: every entry of W_l and b_l ~ U(−1/√d_{l−1}, 1/√d_{l−1}), drawn in
    θ order (W_l row by row, then b_l) as bound·(2U − 1) from the seeded generator."""
    g = Xoshiro(seed)
    theta = []
    for d_in, d_out in zip(widths[:-1], widths[1:]):
        bound = 1.0 / math.sqrt(d_in)
        theta += [bound * (2.0 * g.uniform() - 1.0) for _ in range((d_in + 1) * d_out)]
    return np.array(theta)


def sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def mlp_forward(theta, widths, X):
    """h₀ = X;  a_l = h_{l−1} W_lᵀ + b_l,  h_l = SiLU(a_l) = a_l·σ(a_l)  (l < L);  Y = h_{L−1} W_Lᵀ + b_L.
    Returns Y and the (h_{l−1}, a_l) of every layer for the backward pass."""
    layers = mlp_unpack(theta, widths)
    h, saved = X, []
    for l, (W, b) in enumerate(layers):
        a = h @ W.T + b
        saved.append((h, a))
        h = a if l == len(layers) - 1 else a * sigmoid(a)
    return h, saved


def mlp_backward(theta, widths, saved, dY):
    """By the chain rule, last layer first, with dA = ∂L/∂a_l:
    ∂L/∂W_l = dAᵀ h_{l−1},  ∂L/∂b_l = Σ_rows dA,  ∂L/∂h_{l−1} = dA W_l,
    ∂L/∂a_{l−1} = ∂L/∂h_{l−1} ⊙ SiLU′(a_{l−1}),  SiLU′(a) = σ(a)·(1 + a·(1 − σ(a)))."""
    layers = mlp_unpack(theta, widths)
    grads = [None] * len(layers)
    dA = dY
    for l in range(len(layers) - 1, -1, -1):
        W, _ = layers[l]
        h, _ = saved[l]
        grads[l] = (dA.T @ h, dA.sum(axis=0))
        if l > 0:
            a_prev = saved[l - 1][1]
            s = sigmoid(a_prev)
            dA = (dA @ W) * (s * (1.0 + a_prev * (1.0 - s)))
    return np.concatenate([np.concatenate([dW.ravel(), db]) for dW, db in grads])


def consistency_f(theta, widths, x, t, sigma_data, eps):
    """CM Eq. 5, row by row: f = c_skip(t)·x + c_out(t)·F_θ([c_in(t)·x, c_noise(t)])."""
    rows = [scalings(np.float64(tb), sigma_data, eps) for tb in t]
    c_skip = np.array([r[0] for r in rows])[:, None]
    c_out = np.array([r[1] for r in rows])[:, None]
    c_in = np.array([r[2] for r in rows])[:, None]
    c_noise = np.array([r[3] for r in rows])[:, None]
    X = np.hstack([c_in * x, c_noise])
    F, saved = mlp_forward(theta, widths, X)
    return c_skip * x + c_out * F, c_out, saved


def ct_loss_and_gradient(theta, theta_minus, widths, x, z, tN, tNPlus1, metric, c, weighting,
                         sigma_data, eps):
    """L = (1/B) Σ_b λ_b · d(f_θ(x_b + t_{n+1}z_b, t_{n+1}), f_θ⁻(x_b + t_n z_b, t_n)) and ∇_θ L
    (θ⁻ is a constant: stop-gradient)."""
    xTNPlus1 = x + tNPlus1[:, None] * z
    xTN = x + tN[:, None] * z
    return consistency_loss_and_gradient(theta, theta_minus, widths, xTNPlus1, xTN, tN, tNPlus1,
                                         metric, c, weighting, sigma_data, eps)


def consistency_loss_and_gradient(theta, theta_minus, widths, xTNPlus1, xTN, tN, tNPlus1, metric,
                                  c, weighting, sigma_data, eps):
    """What CT and CD share once the two noisy inputs exist (CM Algs. 2 and 3, after line 6):
    L = (1/B) Σ_b λ_b · d(f_θ(x_{t_{n+1}}, t_{n+1}), f_θ⁻(x̂_{t_n}, t_n)) and ∇_θ L."""
    B, D = xTNPlus1.shape
    online, c_out, saved = consistency_f(theta, widths, xTNPlus1, tNPlus1, sigma_data, eps)
    target, _, _ = consistency_f(theta_minus, widths, xTN, tN, sigma_data, eps)
    lam = np.ones(B) if weighting == "uniform" else 1.0 / (tNPlus1 - tN)
    d = np.zeros(B)
    dLdf = np.zeros((B, D))
    for b in range(B):
        r = distances(online[b], target[b], 1.0 if c is None else c)  # c matters for Huber only
        key = "squared_l2" if metric == "squared_l2" else "pseudo_huber"
        d[b] = r[key]
        dLdf[b] = lam[b] / B * r["gradient_" + key]
    loss = math.fsum((lam * d).tolist()) / B
    # ∂L/∂F = c_out·∂L/∂f (c_skip·x does not depend on θ), then back through F_θ.
    grad = mlp_backward(theta, widths, saved, c_out * dLdf)
    return {"x_t_n_plus_1": xTNPlus1, "x_t_n": xTN, "online": online, "target": target,
            "lambda": lam, "d": d, "loss": loss, "grad": grad}


def adam_first_step(theta, g, alpha, beta1=0.9, beta2=0.999, eps=1e-8):
    """Kingma & Ba (2015) Alg. 1 from m₀ = v₀ = 0, t = 1: m = β₁m + (1 − β₁)g, v = β₂v + (1 − β₂)g²,
    m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ), θ ← θ − α·m̂/(√v̂ + ε)."""
    t = 1
    m = beta1 * 0.0 + (1.0 - beta1) * g
    v = beta2 * 0.0 + (1.0 - beta2) * g * g
    m_hat = m / (1.0 - beta1 ** t)
    v_hat = v / (1.0 - beta2 ** t)
    return theta - alpha * m_hat / (np.sqrt(v_hat) + eps)


CT_STEP_CONFIG = {"seed": 2026, "k": 3, "K": 10, "B": 8, "D": 2, "hidden_widths": [16, 16],
                  "learning_rate": 1e-3, "sigma_min": 0.002, "sigma_max": 80.0, "sigma_data": 0.5,
                  "rho": 7.0, "s0": 2, "s1": 150, "mu0": 0.9, "mu_variant": "paper",
                  "theta_minus_seed": 4242, "x_seed": 31}


def fixture_ct_step():
    cfg = CT_STEP_CONFIG
    B, D = cfg["B"], cfg["D"]
    widths = mlp_widths(D, cfg["hidden_widths"])
    theta = mlp_init(widths, cfg["seed"])
    theta_minus = mlp_init(widths, cfg["theta_minus_seed"])
    # The batch: a fixed set of points, uniform in [−1.5, 1.5)², from its own generator.
    x = np.array(Xoshiro(cfg["x_seed"]).uniform_in(-1.5, 1.5, B * D)).reshape(B, D)
    N = ct_steps_exact(cfg["k"], cfg["K"], cfg["s0"], cfg["s1"])
    sigmas = karras(N, cfg["sigma_min"], cfg["sigma_max"], cfg["rho"])
    # CM Alg. 3 with the training generator seeded config.seed + 1: n ~ U{0, …, N − 2} for each row
    # in order (Lemire), then z: B·D polar Gaussians in row-major order.
    g = Xoshiro(cfg["seed"] + 1)
    n = [g.int_below(N - 1) for _ in range(B)]
    z = np.array([g.gaussian() for _ in range(B * D)]).reshape(B, D)
    tN = np.array([sigmas[i] for i in n])
    tNPlus1 = np.array([sigmas[i + 1] for i in n])
    mu = ema_decay(N, cfg["s0"], cfg["mu0"], cfg["mu_variant"])
    cases = []
    for metric, c, weighting in [("squared_l2", None, "uniform"),
                                 ("pseudo_huber", 0.00054 * math.sqrt(D), "ict")]:
        r = ct_loss_and_gradient(theta, theta_minus, widths, x, z, tN, tNPlus1, metric, c,
                                 weighting, cfg["sigma_data"], cfg["sigma_min"])
        # Check the hand-written backward pass against central differences of the loss.
        h = 1e-6
        for i in range(theta.size):
            plus, minus = theta.copy(), theta.copy()
            plus[i] += h
            minus[i] -= h
            numeric = (ct_loss_and_gradient(plus, theta_minus, widths, x, z, tN, tNPlus1, metric,
                                            c, weighting, cfg["sigma_data"], cfg["sigma_min"])["loss"]
                       - ct_loss_and_gradient(minus, theta_minus, widths, x, z, tN, tNPlus1, metric,
                                              c, weighting, cfg["sigma_data"],
                                              cfg["sigma_min"])["loss"]) / (2 * h)
            assert abs(numeric - r["grad"][i]) <= 1e-6 * (abs(numeric) + 1e-3 * abs(r["loss"])), \
                (metric, i, numeric, r["grad"][i])
        theta_after = adam_first_step(theta, r["grad"], cfg["learning_rate"])
        theta_minus_after = mu * theta_minus + (1.0 - mu) * theta_after
        cases.append({
            "metric": metric, "c": c, "weighting": weighting,
            "lambda": r["lambda"], "student_model_prediction": r["online"],
            "teacher_model_prediction": r["target"], "distances": r["d"], "loss": r["loss"],
            "grad_theta": r["grad"], "theta_after_adam": theta_after,
            "theta_minus_after_ema": theta_minus_after,
        })
    inputs = dict(cfg)
    inputs.update({
        "widths": widths, "parameter_count": int(theta.size), "adam": {
            "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "step": 1,
            "note": "fresh moments (m = v = 0): this is Adam's first, bias-corrected step"},
        "target_noise_level": "t_n (CM Alg. 3)",
        "x": x, "theta": theta, "theta_minus": theta_minus,
        "N": N, "sigmas": sigmas, "n": n, "z": z, "t_n": tN, "t_n_plus_1": tNPlus1,
        "x_t_n_plus_1": x + tNPlus1[:, None] * z, "x_t_n": x + tN[:, None] * z, "mu": mu,
    })
    write_fixture(
        "ct_step",
        "One full Consistency Training step (CM Algorithm 3; the seed pseudocode's training loop "
        "body) on a small F_θ (widths " + str(widths) + ", SiLU between the linear layers). "
        "'inputs' holds the shared part: the configuration, the batch x (uniform in [−1.5, 1.5)² "
        "from a generator seeded x_seed), θ (PyTorch-style init from a generator seeded 'seed') "
        "and θ⁻ (the same init seeded theta_minus_seed, so the target differs from θ), N(k), the "
        "Karras grid, the pair indices n (0-based, Lemire integers below N − 1, one per row) and "
        "then z (B·D polar Gaussians, row-major), both from a generator seeded seed + 1, the noisy "
        "inputs and μ(k). Each case is one (distance, weighting): the online prediction "
        "f_θ(x + t_{n+1}z, t_{n+1}), the target f_θ⁻(x + t_n z, t_n), per-sample distances, the "
        "loss, ∇_θ L (backward pass by hand, checked against central differences), θ after one "
        "Adam step from fresh moments, and θ⁻ after the EMA with that new θ. The network's inputs "
        "are [c_in·x₁, c_in·x₂, c_noise]; θ is [W₁ row by row, b₁, W₂, b₂, W₃, b₃].",
        "N = N(k) (CM App. C);  t = Karras grid (EDM Eq. 5);  n_b ~ U{0, …, N − 2};  z ~ N(0, I);  "
        "f_θ(x, t) = c_skip(t)·x + c_out(t)·F_θ(c_in(t)·x, c_noise(t));  "
        "L = (1/B) Σ_b λ_b · d( f_θ(x_b + t_{n_b+1}z_b, t_{n_b+1}), f_θ⁻(x_b + t_{n_b}z_b, t_{n_b}) );  "
        "d = (1/D)‖·‖² with λ ≡ 1, or √(‖·‖² + c²) − c with c = 0.00054·√D and "
        "λ = 1/(t_{n+1} − t_n);  Adam (t = 1): θ ← θ − α·m̂/(√v̂ + ε);  "
        "μ = exp(s₀ ln μ₀ / N);  θ⁻ ← μθ⁻ + (1 − μ)θ",
        inputs,
        cases)


# ---------------------------------------------------------------------------------------------
# 14. One full CD training step (CM Alg. 2) with an exact Gaussian teacher
# ---------------------------------------------------------------------------------------------

CD_STEP_CONFIG = {"seed": 2026, "k": 3, "K": 10, "B": 8, "D": 2, "hidden_widths": [16, 16],
                  "learning_rate": 1e-3, "sigma_min": 0.002, "sigma_max": 80.0, "sigma_data": 0.5,
                  "rho": 7.0, "N": 18, "mu": 0.95, "teacher_mean": [0.3, -0.2],
                  "teacher_std": 0.5, "theta_minus_seed": 4242, "x_seed": 31}


def batch_solver_step(solver, x, t_from, t_to, D):
    """One Euler or Heun step (CM Alg. 2; EDM Alg. 1), row b from t_from[b] down to t_to[b]."""
    return np.array([(heun if solver == "heun" else euler)(x[b], t_from[b], t_to[b], D)
                     for b in range(x.shape[0])])


def fixture_cd_step():
    cfg = CD_STEP_CONFIG
    B, D = cfg["B"], cfg["D"]
    widths = mlp_widths(D, cfg["hidden_widths"])
    theta = mlp_init(widths, cfg["seed"])
    theta_minus = mlp_init(widths, cfg["theta_minus_seed"])
    x = np.array(Xoshiro(cfg["x_seed"]).uniform_in(-1.5, 1.5, B * D)).reshape(B, D)
    N = cfg["N"]
    sigmas = karras(N, cfg["sigma_min"], cfg["sigma_max"], cfg["rho"])
    # The same draws as the CT step: n ~ U{0, …, N − 2} per row (Lemire), then z row-major.
    g = Xoshiro(cfg["seed"] + 1)
    n = [g.int_below(N - 1) for _ in range(B)]
    z = np.array([g.gaussian() for _ in range(B * D)]).reshape(B, D)
    tN = np.array([sigmas[i] for i in n])
    tNPlus1 = np.array([sigmas[i + 1] for i in n])
    xTNPlus1 = x + tNPlus1[:, None] * z
    m, s = np.array(cfg["teacher_mean"]), cfg["teacher_std"]
    teacher = lambda v, t: gaussian_denoiser(v, t, m, s)
    mu = cfg["mu"]
    cases = []
    for solver, metric, c, weighting in [("heun", "pseudo_huber", 0.00054 * math.sqrt(D), "ict"),
                                         ("euler", "squared_l2", None, "uniform")]:
        xTN = batch_solver_step(solver, xTNPlus1, tNPlus1, tN, teacher)
        r = consistency_loss_and_gradient(theta, theta_minus, widths, xTNPlus1, xTN, tN, tNPlus1,
                                          metric, c, weighting, cfg["sigma_data"], cfg["sigma_min"])
        h = 1e-6
        for i in range(theta.size):
            plus, minus = theta.copy(), theta.copy()
            plus[i] += h
            minus[i] -= h
            loss = lambda th: consistency_loss_and_gradient(
                th, theta_minus, widths, xTNPlus1, xTN, tN, tNPlus1, metric, c, weighting,
                cfg["sigma_data"], cfg["sigma_min"])["loss"]
            numeric = (loss(plus) - loss(minus)) / (2 * h)
            assert abs(numeric - r["grad"][i]) <= 1e-6 * (abs(numeric) + 1e-3 * abs(r["loss"])), \
                (solver, i, numeric, r["grad"][i])
        theta_after = adam_first_step(theta, r["grad"], cfg["learning_rate"])
        cases.append({
            "solver": solver, "metric": metric, "c": c, "weighting": weighting,
            "x_t_n": xTN,
            # How far the solver step is from the exact ODE transport of the Gaussian teacher.
            "x_t_n_exact": m + (xTNPlus1 - m) * np.sqrt((s * s + tN * tN) / (s * s + tNPlus1 * tNPlus1))[:, None],
            "lambda": r["lambda"], "student_model_prediction": r["online"],
            "teacher_model_prediction": r["target"], "distances": r["d"], "loss": r["loss"],
            "grad_theta": r["grad"], "theta_after_adam": theta_after,
            "theta_minus_after_ema": mu * theta_minus + (1.0 - mu) * theta_after,
        })
    inputs = dict(cfg)
    inputs.update({
        "widths": widths, "parameter_count": int(theta.size),
        "target_noise_level": "t_n (CM Alg. 2)",
        "x": x, "theta": theta, "theta_minus": theta_minus, "sigmas": sigmas, "n": n, "z": z,
        "t_n": tN, "t_n_plus_1": tNPlus1, "x_t_n_plus_1": xTNPlus1,
    })
    write_fixture(
        "cd_step",
        "One full Consistency Distillation step (CM Algorithm 2) on the same small F_θ, batch, θ, "
        "θ⁻ and random draws as ct_step, with a fixed grid of N = 18 points (CM's CIFAR-10 CD) and μ = 0.95 (its ImageNet-64 CD), "
        "and as the frozen teacher φ the exact denoiser of N(teacher_mean, teacher_std²I). The "
        "only change from ct_step is the target input: x̂_{t_n} is one Euler or Heun step of the "
        "teacher's probability-flow ODE from x_{t_{n+1}} = x + t_{n+1}z down to t_n, instead of "
        "x + t_n z. Each case is one (solver, distance, weighting); 'x_t_n_exact' is the exact ODE "
        "transport for comparison (not used by the step).",
        "x_{t_{n+1}} = x + t_{n+1}z;  d = (x_{t_{n+1}} − D_φ(x_{t_{n+1}}, t_{n+1}))/t_{n+1};  "
        "Euler: x̂ = x_{t_{n+1}} + (t_n − t_{n+1})·d;  Heun: x₁ = x_{t_{n+1}} + (t_n − t_{n+1})·d, "
        "d′ = (x₁ − D_φ(x₁, t_n))/t_n, x̂ = x_{t_{n+1}} + (t_n − t_{n+1})·(d + d′)/2;  "
        "D_φ(x, t) = m + s²/(s² + t²)·(x − m);  then L, ∇_θ L, Adam and θ⁻ ← μθ⁻ + (1 − μ)θ as in "
        "ct_step",
        inputs,
        cases)


# ---------------------------------------------------------------------------------------------
# 15. Fixtures for the Python conformance kit (Fixtures/cmconform): conventions and whole-loss
#     values that the files above do not hold, and ring8's exact denoiser for the CD-or-CT probe
# ---------------------------------------------------------------------------------------------

def fixture_c_noise():
    cases = []
    for t in SIGMAS_ACROSS + [0.0025, 0.7, 3.0, 60.0]:
        cases.append({"t": t,
                      # EDM Table 1.
                      "edm": 0.25 * math.log(t),
                      # The official CM code: 1000·¼·ln(t + 1e-44) before a sinusoidal embedding.
                      "official": 1000.0 * 0.25 * math.log(t + 1e-44)})
    write_fixture(
        "c_noise",
        "The network's noise input c_noise(t) in its two known conventions: EDM Table 1 (¼·ln t, "
        "what CMCore uses) and the official consistency-models code (1000·¼·ln(t + 10⁻⁴⁴), fed to "
        "a sinusoidal embedding). Both are monotone reparameterisations of t; a network trained "
        "with one is not interchangeable with the other.",
        "edm: c_noise(t) = ¼·ln t;   official: c_noise(t) = 1000·¼·ln(t + 10⁻⁴⁴)",
        {"t": SIGMAS_ACROSS + [0.0025, 0.7, 3.0, 60.0]},
        cases)


def fixture_ema_decay_official_code():
    """μ(k) as the official code writes it: N(k) − 1 = max(⌈√(k/K·((s₁+1)² − s₀²) + s₀²) − 1⌉, 1)
    evaluated in binary64, c = −ln μ₀·s₀, μ = exp(−c/(N(k) − 1))."""
    cases = []
    settings = [(800000, 2, 150, 0.9), (800000, 2, 200, 0.95), (1000, 2, 18, 0.9),
                (117, 2, 10, 0.9), (5000, 3, 40, 0.99)]
    for K, s0, s1, mu0 in settings:
        ks = set([0, 1, 2, 10, 1000, K // 8, K // 4, K // 2, 3 * K // 4, K - 1, K])
        ks.update(range(0, min(K, 60) + 1))
        for k in sorted(ks):
            if not 0 <= k <= K:
                continue
            N = ct_steps_exact(k, K, s0, s1)
            scales = max(int(np.ceil(np.sqrt(k / K * ((s1 + 1) ** 2 - s0 ** 2) + s0 ** 2) - 1)), 1)
            c = -math.log(mu0) * s0
            case = {"k": k, "K": K, "s0": s0, "s1": s1, "mu0": mu0, "N": N,
                    "N_minus_1_binary64": scales, "mu": math.exp(-c / scales)}
            if scales != N - 1:
                # Only where the real √ is an integer (see curriculum_ct.json): there the binary64
                # evaluation is one above the exact N − 1. Recorded so a check can accept both.
                case["mu_exact_N"] = ema_decay(N, s0, mu0, "official")
                case["note"] = "exact square: binary64 N(k) − 1 is one above the exact value"
            cases.append(case)
    write_fixture(
        "ema_decay_official_code",
        "μ(k) in the official consistency-models code's form, evaluated as that code writes it: "
        "the number of intervals N(k) − 1 from the curriculum in binary64 (floored at 1), and "
        "μ = exp(−c/(N(k) − 1)) with c = −s₀·ln μ₀. It divides by N(k) − 1 where CM App. C divides "
        "by N(k) (ema_decay.json holds both forms with the exact N(k)). Where binary64 and the "
        "exact N(k) differ, 'mu_exact_N' is the same form with the exact N(k).",
        "N(k) − 1 = max(⌈√(k/K·((s₁+1)² − s₀²) + s₀²) − 1⌉, 1);   μ(k) = exp( s₀·ln μ₀ / (N(k) − 1) )",
        {"settings (K, s0, s1, mu0)": settings},
        cases)


def fixture_target_prediction():
    """f_θ⁻(x̂_{t_n}, t_n) with a fixed network, and for contrast the seed pseudocode's typo."""
    g = Xoshiro(29)
    cases = []
    pairs = []
    for N in [18, 40]:
        grid = karras(N, 0.002, 80.0, 7.0)
        for n in [0, 1, N // 3, N // 2, N - 2]:
            pairs.append((float(grid[n]), float(grid[n + 1])))
    for D in [1, 2, 3, 5]:
        W, b, a = fixed_network_weights(D, g)
        for sigma_data, eps in [(0.5, 0.002)]:
            for tN, tNPlus1 in pairs:
                x = np.array(g.uniform_in(-3.0, 3.0, D))
                c_skip, c_out, c_in, c_noise = scalings(np.float64(tN), sigma_data, eps)
                f = c_skip * x + c_out * fixed_network(c_in * x, c_noise, W, b, a)
                # teacher_model(current_noisy_data, next_sigmas): the network's own input scaling
                # and noise input at t_{n+1}, the boundary scalings at t_n.
                _, _, c_in_next, c_noise_next = scalings(np.float64(tNPlus1), sigma_data, eps)
                typo = c_skip * x + c_out * fixed_network(c_in_next * x, c_noise_next, W, b, a)
                cases.append({"D": D, "W": W, "b": b, "a": a, "sigma_data": sigma_data,
                              "sigma_min": eps, "t_n": tN, "t_n_plus_1": tNPlus1, "x_t_n": x,
                              "f": f, "f_network_at_t_n_plus_1": typo})
    write_fixture(
        "target_prediction",
        "The target network's prediction f_θ⁻(x̂_{t_n}, t_n) (teacher_model_prediction in the "
        "seed pseudocode) with the fixed network of consistency_function.json. "
        "'f_network_at_t_n_plus_1' is the seed pseudocode's typo teacher_model(current_noisy_data, "
        "next_sigmas), for contrast only: the boundary scalings at t_n but the network's c_in and "
        "c_noise at t_{n+1}. CM Algs. 2 and 3 evaluate the target at t_n.",
        "f(x̂, t_n) = c_skip(t_n)·x̂ + c_out(t_n)·F(c_in(t_n)·x̂, c_noise(t_n)),   "
        "F(u, c)ᵢ = tanh( Σⱼ Wᵢⱼ·uⱼ + bᵢ + aᵢ·c )",
        {"pairs (t_n, t_n_plus_1)": pairs, "dimensions": [1, 2, 3, 5],
         "weights": "uniform from seed 29 (W, b, a, then x per case)"},
        cases)


def fixture_loss():
    g = Xoshiro(37)
    grid = karras(18, 0.002, 80.0, 7.0)
    cases = []
    for D in [1, 2, 3, 5]:
        c = 0.00054 * math.sqrt(D)
        for B in [1, 4, 8]:
            for scale in [1.0, 1e-3]:
                n = [g.int_below(17) for _ in range(B)]
                tN = np.array([grid[i] for i in n])
                tNPlus1 = np.array([grid[i + 1] for i in n])
                target = np.array(g.uniform_in(-1.5, 1.5, B * D)).reshape(B, D)
                online = target + scale * np.array(g.uniform_in(-1.0, 1.0, B * D)).reshape(B, D)
                for metric in ["squared_l2", "l1", "pseudo_huber"]:
                    for weighting in ["uniform", "ict"]:
                        lam = np.ones(B) if weighting == "uniform" else 1.0 / (tNPlus1 - tN)
                        d = np.array([distances(online[i], target[i], c)[metric] for i in range(B)])
                        cases.append({"D": D, "B": B, "metric": metric, "weighting": weighting,
                                      "c": c if metric == "pseudo_huber" else None,
                                      "online": online, "target": target, "t_n": tN,
                                      "t_n_plus_1": tNPlus1, "lambda": lam, "distances": d,
                                      "loss": math.fsum((lam * d).tolist()) / B})
    write_fixture(
        "loss",
        "The whole consistency loss for given predictions (loss in the seed pseudocode, before "
        "backward): per-sample distances d(f_θ, f_θ⁻) (squared L2 or L1 averaged over the D "
        "dimensions, or pseudo-Huber on the per-sample norm with c = 0.00054·√D), weighted by "
        "λ ≡ 1 (CM) or iCT's λ = 1/(t_{n+1} − t_n), averaged over the batch. 'online' is "
        "f_θ(x_{t_{n+1}}, t_{n+1}), 'target' f_θ⁻(x̂_{t_n}, t_n); t_n, t_{n+1} are pairs of the "
        "18-point Karras grid, indices drawn below 17 from a generator seeded 37, which also draws "
        "the predictions.",
        "L = (1/B) Σ_b λ_b · d(online_b, target_b);   λ ≡ 1 or λ_b = 1/(t_{n+1,b} − t_{n,b})",
        {"dimensions": [1, 2, 3, 5], "batch sizes": [1, 4, 8], "difference scales": [1.0, 1e-3],
         "grid": "karras(18, 0.002, 80, 7)"},
        cases)


RING8 = {"radius": 2.0, "component_std": 0.05, "sigma_data": 0.5}


def ring8_mixture():
    """ring8: eight equal Gaussians on a circle of radius R, std s, scaled by c = σ_data/√(R²/2 + s²)
    so that every coordinate has standard deviation σ_data (Var = R²/2 + s² before scaling)."""
    R, s, sd = RING8["radius"], RING8["component_std"], RING8["sigma_data"]
    c = sd / math.sqrt(R * R / 2 + s * s)
    means = np.array([[c * R * math.cos(2 * math.pi * k / 8), c * R * math.sin(2 * math.pi * k / 8)]
                      for k in range(8)])
    return np.full(8, 1.0 / 8), means, np.full(8, c * s)


def mixture_denoiser(x, t, weights, means, stds):
    """REFERENCE.md: D(x, t) = Σ_k r_k(x, t)·(m_k + s_k²/(s_k² + t²)·(x − m_k)), r_k the posterior of
    component k under N(m_k, (s_k² + t²)I), by a softmax of the log joints (no underflow)."""
    d = x.size
    v = stds * stds + t * t
    log_joint = np.log(weights) - d / 2 * np.log(2 * math.pi * v) - ((x - means) ** 2).sum(axis=1) / (2 * v)
    e = np.exp(log_joint - log_joint.max())
    r = e / e.sum()
    return (r[:, None] * (means + (stds * stds / v)[:, None] * (x - means))).sum(axis=0)


def fixture_ring8_denoiser():
    weights, means, stds = ring8_mixture()
    D = lambda v, t: mixture_denoiser(v, t, weights, means, stds)
    g = Xoshiro(41)
    denoiser_cases = []
    for t in [0.002, 0.01, 0.05, 0.2, 0.5, 1.0, 2.0, 5.0, 20.0, 80.0]:
        for scale in [0.5, 2.0]:
            x = np.array(g.uniform_in(-1.0, 1.0, 2)) * scale * math.sqrt(0.25 + t * t)
            denoiser_cases.append({"x": x, "t": t, "denoiser": D(x, t)})
    probe_cases = []
    for N in [18, 40]:
        grid = karras(N, 0.002, 80.0, 7.0)
        for n in [0, 2, N // 3, N // 2, 2 * N // 3, N - 2]:
            tN, tNPlus1 = float(grid[n]), float(grid[n + 1])
            k = g.int_below(8)
            x = means[k] + stds[k] * np.array([g.gaussian(), g.gaussian()])  # a ring8 data point
            z = np.array([g.gaussian(), g.gaussian()])
            x_next = x + tNPlus1 * z
            probe_cases.append({"x": x, "z": z, "t_n": tN, "t_n_plus_1": tNPlus1,
                                "x_t_n_plus_1": x_next, "ct": x + tN * z,
                                "cd_euler": euler(x_next, tNPlus1, tN, D),
                                "cd_heun": heun(x_next, tNPlus1, tN, D)})
    write_fixture(
        "ring8_denoiser",
        "ring8 (eight equal Gaussians on a circle, each coordinate of standard deviation σ_data) and "
        "its exact denoiser E[x₀ | x_t = x], the ideal CD teacher. 'mixture' holds the parameters "
        "(from radius, component_std, sigma_data); 'denoiser' sample values to check an "
        "implementation of D; 'probe' the three candidate target inputs x̂_{t_n} for a data point "
        "x of ring8 (a component drawn below 8, then polar Gaussians) and noise z: CT x + t_n·z, "
        "and one Euler and one Heun step of the probability-flow ODE with the exact denoiser from "
        "x_{t_{n+1}} = x + t_{n+1}·z (CM Alg. 2). Used by the conformance kit's CD-or-CT check.",
        "c = σ_data/√(R²/2 + s²), m_k = c·R·(cos 2πk/8, sin 2πk/8), s_k = c·s, w_k = 1/8;  "
        "D(x, t) = Σ_k r_k(x, t)·(m_k + s_k²/(s_k² + t²)·(x − m_k)),  "
        "r_k ∝ w_k·N(x; m_k, (s_k² + t²)I);  CT: x + t_n z;  Euler/Heun as in ode_steps.json",
        {"ring8": RING8, "grids": "karras(18) and karras(40), ε = 0.002, T = 80, ρ = 7",
         "seed": 41},
        {"mixture": {"weights": weights, "means": means, "stds": stds},
         "denoiser": denoiser_cases, "probe": probe_cases})

# ---------------------------------------------------------------------------------------------
# 16. The iCT options of the CT step (iCT §3.1–3.5), one at a time and together
# ---------------------------------------------------------------------------------------------

# CM's CT (the `cm` preset) and iCT's value of each of the five options iCT changes.
ICT_OPTION_VALUES = {
    "weighting": ("uniform", "ict"),          # λ ≡ 1 (CM) or 1/(t_{n+1} − t_n) (iCT §3.1)
    "target": ("ema", "stopgrad"),            # μ(k) from μ₀ = 0.9 (CM) or μ = 0 (iCT §3.2)
    "distance": ("squared_l2", "pseudo_huber"),  # CM's L2 stand-in, or iCT §3.3
    "curriculum": ("cm", "ict"),              # √ growth s₀ = 2, s₁ = 150, or exponential 10 → 1280 (§3.4)
    "pairs": ("uniform", "lognormal"),        # U{0, …, N − 2}, or lognormal −1.1, 2.0 (iCT §3.5)
}
ICT_OPTION_ORDER = ["weighting", "target", "distance", "curriculum", "pairs"]


def ict_option_cases():
    """The ablation's ladder (CM's CT, then iCT's changes added in the paper's order, the last
    being iCT), then each change alone on CM's CT (those not already on the ladder)."""
    cases = []
    current = {o: ICT_OPTION_VALUES[o][0] for o in ICT_OPTION_ORDER}
    cases.append(("cm", dict(current)))
    for o in ICT_OPTION_ORDER:
        current[o] = ICT_OPTION_VALUES[o][1]
        cases.append(("cm + " + ", ".join(x for x in ICT_OPTION_ORDER
                                          if current[x] == ICT_OPTION_VALUES[x][1]), dict(current)))
    cases[-1] = ("ict", cases[-1][1])
    for o in ICT_OPTION_ORDER[1:]:
        alone = {x: ICT_OPTION_VALUES[x][0] for x in ICT_OPTION_ORDER}
        alone[o] = ICT_OPTION_VALUES[o][1]
        cases.append(("cm + " + o + " alone", alone))
    return cases


def fixture_ct_step_options():
    cfg = dict(CT_STEP_CONFIG)
    cfg.update({"cm_curriculum": {"s0": 2, "s1": 150, "mu0": 0.9},
                "ict_curriculum": {"s0": 10, "s1": 1280},
                "lognormal": {"P_mean": -1.1, "P_std": 2.0}})
    B, D = cfg["B"], cfg["D"]
    widths = mlp_widths(D, cfg["hidden_widths"])
    theta = mlp_init(widths, cfg["seed"])
    theta_minus = mlp_init(widths, cfg["theta_minus_seed"])
    x = np.array(Xoshiro(cfg["x_seed"]).uniform_in(-1.5, 1.5, B * D)).reshape(B, D)
    k, K = cfg["k"], cfg["K"]
    cases = []
    for name, options in ict_option_cases():
        # N(k): CM App. C, or iCT §3.4 (N(0) = s₀ + 1).
        if options["curriculum"] == "cm":
            s0, s1 = cfg["cm_curriculum"]["s0"], cfg["cm_curriculum"]["s1"]
            N = ct_steps_exact(k, K, s0, s1)
            N0 = s0
        else:
            s0, s1 = cfg["ict_curriculum"]["s0"], cfg["ict_curriculum"]["s1"]
            N = min(s0 * 2 ** (k // max(ict_k_prime(K, s0, s1), 1)), s1) + 1
            N0 = s0 + 1
        # μ(k) = μ₀^{N(0)/N(k)} (CM App. C, with iCT's grid N(0) = s₀ + 1), or μ = 0 (iCT §3.2).
        mu = 0.0 if options["target"] == "stopgrad" else ema_decay(N, N0, cfg["cm_curriculum"]["mu0"], "paper")
        sigmas = karras(N, cfg["sigma_min"], cfg["sigma_max"], cfg["rho"])
        g = Xoshiro(cfg["seed"] + 1)
        if options["pairs"] == "uniform":
            n = [g.int_below(N - 1) for _ in range(B)]
            p = None
        else:
            p = lognormal_probabilities(sigmas.tolist(), cfg["lognormal"]["P_mean"], cfg["lognormal"]["P_std"])
            n = [sample_from(p, g) for _ in range(B)]
        z = np.array([g.gaussian() for _ in range(B * D)]).reshape(B, D)
        tN = np.array([sigmas[i] for i in n])
        tNPlus1 = np.array([sigmas[i + 1] for i in n])
        metric = options["distance"]
        c = 0.00054 * math.sqrt(D) if metric == "pseudo_huber" else None
        weighting = options["weighting"]
        loss_of = lambda th: ct_loss_and_gradient(th, theta_minus, widths, x, z, tN, tNPlus1, metric, c,
                                                  weighting, cfg["sigma_data"], cfg["sigma_min"])
        r = loss_of(theta)
        h = 1e-6
        for i in range(theta.size):
            plus, minus = theta.copy(), theta.copy()
            plus[i] += h
            minus[i] -= h
            numeric = (loss_of(plus)["loss"] - loss_of(minus)["loss"]) / (2 * h)
            assert abs(numeric - r["grad"][i]) <= 1e-6 * (abs(numeric) + 1e-3 * abs(r["loss"])), \
                (name, i, numeric, r["grad"][i])
        theta_after = adam_first_step(theta, r["grad"], cfg["learning_rate"])
        cases.append({
            "name": name, "options": options, "N": N, "sigmas": sigmas,
            "pair_probabilities": p, "n": n, "z": z, "t_n": tN, "t_n_plus_1": tNPlus1,
            "x_t_n_plus_1": r["x_t_n_plus_1"], "x_t_n": r["x_t_n"], "c": c,
            "lambda": r["lambda"], "student_model_prediction": r["online"],
            "teacher_model_prediction": r["target"], "distances": r["d"], "loss": r["loss"],
            "grad_theta": r["grad"], "mu": mu, "theta_after_adam": theta_after,
            "theta_minus_after_ema": mu * theta_minus + (1.0 - mu) * theta_after,
        })
    inputs = dict(cfg)
    inputs.update({"widths": widths, "parameter_count": int(theta.size), "x": x, "theta": theta,
                   "theta_minus": theta_minus, "option_values (CM, iCT)": ICT_OPTION_VALUES,
                   "option_order": ICT_OPTION_ORDER})
    write_fixture(
        "ct_step_options",
        "One full CT step (CM Algorithm 3) under each of the five options iCT changes, on the "
        "small F_θ, batch x, θ and θ⁻ of ct_step (k = 3 of K = 10). The cases are the ablation's "
        "ladder, CM's CT ('cm': squared L2 averaged over D, λ ≡ 1, n uniform, CM's √ curriculum "
        "with s₀ = 2, s₁ = 150, target EMA with μ(k) from μ₀ = 0.9), then iCT's changes added one "
        "at a time in the paper's order (weighting §3.1, target μ = 0 §3.2, pseudo-Huber §3.3, "
        "exponential curriculum §3.4, lognormal pairs §3.5; the last is 'ict'), then each change "
        "alone on CM's CT. The training generator is seeded seed + 1: the B pair indices come "
        "first (a Lemire integer below N − 1 each, or one uniform each inverted through the "
        "lognormal pair probabilities of the grid), then z (B·D polar Gaussians, row-major). μ(k) "
        "= μ₀^{N(0)/N(k)}: CM's App. C form, whose N(0) = s₀, carried to iCT's grid, whose "
        "N(0) = s₀ + 1; μ = 0 for the stop-gradient target. ∇_θ L is checked against central "
        "differences; θ after one Adam step from fresh moments, θ⁻ after the EMA with that θ.",
        "N(k): ⌈√(k/K·((s₁+1)² − s₀²) + s₀²) − 1⌉ + 1 or min(s₀·2^⌊k/K′⌋, s₁) + 1;  "
        "p(n) ∝ erf((ln t_{n+1} − P_mean)/(√2·P_std)) − erf((ln t_n − P_mean)/(√2·P_std));  "
        "L = (1/B) Σ_b λ_b · d(f_θ(x_b + t_{n_b+1}z_b, t_{n_b+1}), f_θ⁻(x_b + t_{n_b}z_b, t_{n_b}));  "
        "μ = μ₀^{N(0)/N(k)} or 0;  θ⁻ ← μθ⁻ + (1 − μ)θ",
        inputs,
        cases)


def main():
    fixture_curriculum_ct()
    fixture_curriculum_ict()
    fixture_karras()
    fixture_generator()
    fixture_pair_index()
    fixture_noisy_pair()
    fixture_boundary_scalings()
    fixture_consistency_function()
    fixture_distance()
    fixture_ema_decay()
    fixture_target_ema()
    fixture_ode_steps()
    fixture_gaussian_exact()
    fixture_ct_step()
    fixture_cd_step()
    fixture_c_noise()
    fixture_ema_decay_official_code()
    fixture_target_prediction()
    fixture_loss()
    fixture_ring8_denoiser()
    fixture_ct_step_options()


if __name__ == "__main__":
    main()
