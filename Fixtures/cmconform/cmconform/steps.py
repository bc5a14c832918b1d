"""The steps the kit checks: for each, the signature the user's adapter must have, the fixture
cases (inputs, expected output, the known variants' values on the same inputs) and, where
`cm inspect` has the formula, random cases.

Every step is one function ``cases(ctx)`` returning a list of `Case`; `check.py` runs them.
"""

import inspect
import json
import math
import subprocess

import numpy as np

from . import formulas as fm


class Case:
    """One check: ``call(fn)`` runs the user's function on this case's inputs.

    expected  the golden value (array, float, int, or a tuple of arrays)
    accept    other values that also pass, by convention name (e.g. c_noise 'official')
    variants  the value each known variant gives on these inputs
    """

    def __init__(self, source, inputs, expected, call, variants=None, accept=None, integer=False):
        self.source = source
        self.inputs = inputs
        self.expected = expected
        self.call = call
        self.variants = variants or {}
        self.accept = accept or {}
        self.integer = integer


def positional_arity(fn):
    """How many positional arguments fn takes (a large number for *args; None if unknown)."""
    try:
        parameters = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return None
    count = 0
    for p in parameters:
        if p.kind == p.VAR_POSITIONAL:
            return 1 << 30
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            count += 1
    return count


def A(v):
    return np.asarray(v, dtype=np.float64)


# ------------------------------------------------------------------------------- cm inspect

class CMError(Exception):
    pass


def cm_inspect(ctx, subcommand, arguments):
    command = [ctx.cm, "inspect", subcommand, *arguments]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    except OSError as error:
        raise CMError(f"--cm {ctx.cm!r} cannot be run: {error}") from None
    if result.returncode != 0:
        raise CMError(f"{' '.join(command)} failed: {result.stderr.strip()}")
    return json.loads(result.stdout)


def r(v):
    return repr(float(v))


def csv(values):
    return ",".join(repr(float(v)) for v in values)


def random_grid(rng):
    N = int(rng.integers(2, 300))
    eps = float(rng.uniform(5e-4, 0.02))
    T = float(rng.uniform(1, 200))
    rho = float(rng.uniform(1.5, 12))
    return N, eps, T, rho, ["--count", str(N), "--sigma-min", r(eps), "--sigma-max", r(T), "--rho", r(rho)]


# ------------------------------------------------------------------------------- the steps

STEPS = {}


def step(name, signature, summary, randomised=False):
    def register(function):
        STEPS[name] = {"name": name, "signature": signature, "summary": summary,
                       "cases": function, "random": randomised}
        return function
    return register


# Karras grid -------------------------------------------------------------------------------

def karras_case(ctx, source, N, eps, T, rho, sigmas):
    ascending = A(sigmas)
    descending_declared = ctx.options.get("karras_order", "ascending") == "descending"
    expected = ascending[::-1].copy() if descending_declared else ascending
    other = ascending if descending_declared else ascending[::-1].copy()
    name = "ascending_grid" if descending_declared else "descending_grid"
    return Case(source, {"N": N, "sigma_min": eps, "sigma_max": T, "rho": rho}, expected,
                lambda f: f(N, eps, T, rho), variants={name: other} if N > 1 else {})


@step("karras", "karras(N, sigma_min, sigma_max, rho) -> (N,) noise levels",
      "EDM Eq. 5 grid, ascending (or descending with options karras_order='descending')", True)
def karras_cases(ctx):
    cases = [karras_case(ctx, f"karras_sigmas.json case {i}", c["N"], c["sigma_min"], c["sigma_max"],
                         c["rho"], c["sigmas"])
             for i, c in enumerate(ctx.fixtures("karras_sigmas")["cases"])]
    for i in range(ctx.random):
        N, eps, T, rho, arguments = random_grid(ctx.rng)
        out = cm_inspect(ctx, "karras", arguments)
        cases.append(karras_case(ctx, f"cm inspect karras (random {i})", N, eps, T, rho, out["sigmas"]))
    return cases


# Curricula ---------------------------------------------------------------------------------

@step("ct_curriculum", "ct_curriculum(k, K, s0, s1) -> int N(k)", "CM App. C", True)
def ct_curriculum_cases(ctx):
    cases = []
    for i, c in enumerate(ctx.fixtures("curriculum_ct")["cases"]):
        k, K, s0, s1 = c["k"], c["K"], c["s0"], c["s1"]
        accept = {"binary64 at an exact square": c["N_binary64"]} if "N_binary64" in c else {}
        cases.append(Case(f"curriculum_ct.json case {i}", {"k": k, "K": K, "s0": s0, "s1": s1}, c["N"],
                          lambda f, a=(k, K, s0, s1): f(*a), integer=True, accept=accept,
                          variants={"ct_curriculum_s1_squared": fm.ct_curriculum_s1_squared(k, K, s0, s1)}))
    for i in range(ctx.random):
        s0 = int(ctx.rng.integers(2, 20))
        s1 = int(ctx.rng.integers(s0, 400))
        K = int(ctx.rng.integers(1, 2_000_000))
        k = int(ctx.rng.integers(0, K + 1))
        out = cm_inspect(ctx, "curriculum", ["--step", str(k), "--total-steps", str(K), "--s0", str(s0),
                                             "--s1", str(s1), "--schedule", "ct"])
        cases.append(Case(f"cm inspect curriculum (random {i})", {"k": k, "K": K, "s0": s0, "s1": s1},
                          out["N"], lambda f, a=(k, K, s0, s1): f(*a), integer=True,
                          variants={"ct_curriculum_s1_squared": fm.ct_curriculum_s1_squared(k, K, s0, s1)}))
    return cases


@step("ict_curriculum", "ict_curriculum(k, K, s0, s1) -> int N(k)", "iCT §3.4", True)
def ict_curriculum_cases(ctx):
    cases = []
    for i, c in enumerate(ctx.fixtures("curriculum_ict")["cases"]):
        a = (c["k"], c["K"], c["s0"], c["s1"])
        cases.append(Case(f"curriculum_ict.json case {i}", dict(zip(["k", "K", "s0", "s1"], a)), c["N"],
                          lambda f, a=a: f(*a), integer=True))
    for i in range(ctx.random):
        s0 = int(ctx.rng.integers(1, 40))
        s1 = int(ctx.rng.integers(s0, 5000))
        K = int(ctx.rng.integers(1000, 2_000_000))
        k = int(ctx.rng.integers(0, K + 1))
        out = cm_inspect(ctx, "curriculum", ["--step", str(k), "--total-steps", str(K), "--s0", str(s0),
                                             "--s1", str(s1), "--schedule", "ict"])
        a = (k, K, s0, s1)
        cases.append(Case(f"cm inspect curriculum --schedule ict (random {i})",
                          dict(zip(["k", "K", "s0", "s1"], a)), out["N"], lambda f, a=a: f(*a), integer=True))
    return cases


# μ(k) --------------------------------------------------------------------------------------

def mu_value(N, s0, mu0, denominator_minus_one):
    return math.exp(s0 * math.log(mu0) / (N - 1 if denominator_minus_one else N))


def mu_variants(ctx, N, s0, mu0):
    if ctx.options.get("mu_form", "paper") == "official":
        return {"mu_n_not_n_minus_1": mu_value(N, s0, mu0, False)}
    return {"mu_n_minus_1": mu_value(N, s0, mu0, True)} if N > 1 else {}


@step("mu", "mu(k, K, s0, s1, mu0) -> float μ(k) through the CT curriculum N(k)",
      "CM App. C, paper form (or options mu_form='official': N(k) − 1)", True)
def mu_cases(ctx):
    form = ctx.options.get("mu_form", "paper")
    cases = []
    for i, c in enumerate(ctx.fixtures("ema_decay")["cases"]["by_k"]):
        if c["variant"] != form:
            continue
        a = (c["k"], c["K"], c["s0"], c["s1"], c["mu0"])
        cases.append(Case(f"ema_decay.json by_k case {i}", dict(zip(["k", "K", "s0", "s1", "mu0"], a)),
                          c["mu"], lambda f, a=a: f(*a), variants=mu_variants(ctx, c["N"], c["s0"], c["mu0"])))
    if form == "official":
        for i, c in enumerate(ctx.fixtures("ema_decay_official_code")["cases"]):
            a = (c["k"], c["K"], c["s0"], c["s1"], c["mu0"])
            accept = {"exact N(k)": c["mu_exact_N"]} if "mu_exact_N" in c else {}
            cases.append(Case(f"ema_decay_official_code.json case {i}",
                              dict(zip(["k", "K", "s0", "s1", "mu0"], a)), c["mu"], lambda f, a=a: f(*a),
                              accept=accept, variants=mu_variants(ctx, c["N"], c["s0"], c["mu0"])))
    for i in range(ctx.random):
        s0 = int(ctx.rng.integers(2, 20))
        s1 = int(ctx.rng.integers(s0, 400))
        K = int(ctx.rng.integers(1, 2_000_000))
        k = int(ctx.rng.integers(0, K + 1))
        mu0 = float(ctx.rng.uniform(0.5, 0.999))
        out = cm_inspect(ctx, "ema-decay", ["--step", str(k), "--total-steps", str(K), "--s0", str(s0),
                                            "--s1", str(s1), "--mu0", r(mu0), "--variant", form])
        a = (k, K, s0, s1, mu0)
        cases.append(Case(f"cm inspect ema-decay (random {i})", dict(zip(["k", "K", "s0", "s1", "mu0"], a)),
                          out["mu"], lambda f, a=a: f(*a), variants=mu_variants(ctx, out["N"], s0, mu0)))
    return cases


@step("mu_from_N", "mu_from_N(N, s0, mu0) -> float μ for a grid of N points",
      "CM App. C, paper form (or options mu_form='official')")
def mu_from_N_cases(ctx):
    form = ctx.options.get("mu_form", "paper")
    cases = []
    for i, c in enumerate(ctx.fixtures("ema_decay")["cases"]["by_N"]):
        if c["variant"] != form:
            continue
        a = (c["N"], c["s0"], c["mu0"])
        cases.append(Case(f"ema_decay.json by_N case {i}", dict(zip(["N", "s0", "mu0"], a)), c["mu"],
                          lambda f, a=a: f(*a), variants=mu_variants(ctx, *a)))
    return cases


# Scalings ----------------------------------------------------------------------------------

def random_scalings(ctx, i):
    t = float(np.exp(ctx.rng.uniform(np.log(1e-3), np.log(200))))
    sigma_data = float(ctx.rng.uniform(0.1, 2))
    eps = float(ctx.rng.uniform(1e-4, min(0.01, t)))
    out = cm_inspect(ctx, "scalings", ["--sigma", r(t), "--sigma-data", r(sigma_data), "--sigma-min", r(eps)])
    return f"cm inspect scalings (random {i})", t, sigma_data, eps, out


def scalings_cases(ctx, key):
    rows = [(f"boundary_scalings.json case {i}", c["t"], c["sigma_data"], c["sigma_min"], c)
            for i, c in enumerate(ctx.fixtures("boundary_scalings")["cases"])]
    rows += [random_scalings(ctx, i) for i in range(ctx.random)]
    cases = []
    for source, t, sd, eps, values in rows:
        unshifted = fm.scalings(t, sd, eps, shifted=False)
        if key == "c_skip":
            cases.append(Case(source, {"t": t, "sigma_data": sd, "sigma_min": eps}, values["c_skip"],
                              lambda f, a=(t, sd, eps): f(*a),
                              variants={"c_skip_no_sigma_min_shift": unshifted[0]}))
        elif key == "c_out":
            cases.append(Case(source, {"t": t, "sigma_data": sd, "sigma_min": eps}, values["c_out"],
                              lambda f, a=(t, sd, eps): f(*a),
                              variants={"c_out_no_sigma_min_shift": unshifted[1]}))
        else:
            cases.append(Case(source, {"t": t, "sigma_data": sd}, values["c_in"], lambda f, a=(t, sd): f(*a)))
    return cases


@step("c_skip", "c_skip(t, sigma_data, sigma_min) -> float", "CM Eq. 5 / App. C (shifted by ε)", True)
def c_skip_cases(ctx):
    return scalings_cases(ctx, "c_skip")


@step("c_out", "c_out(t, sigma_data, sigma_min) -> float", "CM Eq. 5 / App. C (shifted by ε)", True)
def c_out_cases(ctx):
    return scalings_cases(ctx, "c_out")


@step("c_in", "c_in(t, sigma_data) -> float", "EDM Table 1", True)
def c_in_cases(ctx):
    return scalings_cases(ctx, "c_in")


@step("c_noise", "c_noise(t) -> float", "EDM ¼·ln t, or the official code's 1000·¼·ln t (both accepted)", True)
def c_noise_cases(ctx):
    cases = [Case(f"c_noise.json case {i}", {"t": c["t"]}, c["edm"], lambda f, t=c["t"]: f(t),
                  accept={"official code, 1000·¼·ln t": c["official"]})
             for i, c in enumerate(ctx.fixtures("c_noise")["cases"])]
    for i in range(ctx.random):
        source, t, _, _, out = random_scalings(ctx, i)
        cases.append(Case(source, {"t": t}, out["c_noise"], lambda f, t=t: f(t),
                          accept={"official code, 1000·¼·ln t": 1000.0 * out["c_noise"]}))
    return cases


# Consistency function and the target's prediction -------------------------------------------

def c_noise_scale(ctx):
    return 1000.0 if ctx.options.get("c_noise") == "official" else 1.0


@step("consistency_function", "consistency_function(x, t, F, sigma_data, sigma_min) -> (D,) f(x, t)",
      "CM Eq. 5 with a given network F(u, c_noise) (the kit's fixed network)")
def consistency_function_cases(ctx):
    cases = []
    for i, c in enumerate(ctx.fixtures("consistency_function")["cases"]):
        F = fm.fixed_network(c["W"], c["b"], c["a"], c_noise_scale(ctx))
        F_edm = fm.fixed_network(c["W"], c["b"], c["a"])
        x, t, sd, eps = A(c["x"]), c["t"], c["sigma_data"], c["sigma_min"]
        s_skip, s_out, c_in, c_noise = fm.scalings(t, sd, eps)
        u_skip, u_out, _, _ = fm.scalings(t, sd, eps, shifted=False)
        Fx = F_edm(c_in * x, c_noise)
        cases.append(Case(f"consistency_function.json case {i}",
                          {"x": x, "t": t, "sigma_data": sd, "sigma_min": eps, "F": "fixed tanh network of the case"},
                          A(c["f"]), lambda f, a=(x, t, F, sd, eps): f(*a),
                          variants={"c_out_no_sigma_min_shift": s_skip * x + u_out * Fx,
                                    "unshifted_scalings": u_skip * x + u_out * Fx}))
    return cases


@step("target_prediction",
      "target_prediction(x_t_n, t_n, t_n_plus_1, F, sigma_data, sigma_min) -> (D,) f_θ⁻(x̂_{t_n}, t_n)",
      "CM Algs. 2–3: the target network's output, evaluated at t_n")
def target_prediction_cases(ctx):
    cases = []
    for i, c in enumerate(ctx.fixtures("target_prediction")["cases"]):
        F = fm.fixed_network(c["W"], c["b"], c["a"], c_noise_scale(ctx))
        a = (A(c["x_t_n"]), c["t_n"], c["t_n_plus_1"], F, c["sigma_data"], c["sigma_min"])
        cases.append(Case(f"target_prediction.json case {i}",
                          {"x_t_n": a[0], "t_n": a[1], "t_n_plus_1": a[2], "F": "fixed tanh network of the case",
                           "sigma_data": a[4], "sigma_min": a[5]},
                          A(c["f"]), lambda f, a=a: f(*a),
                          variants={"next_sigmas_typo": A(c["f_network_at_t_n_plus_1"])}))
    return cases


# Distances, λ, lognormal pairs -------------------------------------------------------------

def distance_case(source, x, y, c, expected, metric, with_c, elementwise=None):
    D = x.size
    variants = {}
    if metric in ("squared_l2", "l1"):
        variants[f"{'l2' if metric == 'squared_l2' else 'l1'}_sum_over_dimensions"] = D * expected
    else:
        variants["elementwise_pseudo_huber"] = (elementwise if elementwise is not None
                                                else fm.pseudo_huber_elementwise(x, y, c))
    inputs = {"x": x, "y": y}
    if with_c:
        inputs["c"] = c
        call = lambda f: f(x, y, c)
    else:
        call = lambda f: f(x, y)
    return Case(source, inputs, expected, call, variants=variants if D > 1 or metric == "pseudo_huber" else {})


def distance_cases(ctx, metric):
    fn = ctx.adapter.get(metric)
    with_c = metric == "pseudo_huber" and (positional_arity(fn) or 0) >= 3
    cases = []
    for i, c in enumerate(ctx.fixtures("distance")["cases"]):
        x, y, D = A(c["x"]), A(c["y"]), c["D"]
        if metric == "pseudo_huber" and not with_c and c["c"] != 0.00054 * math.sqrt(D):
            continue  # the user's function has its own c: only the c = 0.00054·√D cases apply
        cases.append(distance_case(f"distance.json case {i}", x, y, c["c"], c[metric], metric, with_c,
                                   c["pseudo_huber_elementwise_mean"]))
    for i in range(ctx.random):
        D = int(ctx.rng.integers(1, 8))
        x = ctx.rng.normal(size=D) * ctx.rng.uniform(0.1, 10)
        y = x + ctx.rng.normal(size=D) * (10.0 ** ctx.rng.uniform(-4, 1))
        name = {"squared_l2": "l2", "l1": "l1", "pseudo_huber": "pseudo-huber"}[metric]
        arguments = ["--x", csv(x), "--y", csv(y), "--metric", name]
        c = 0.00054 * math.sqrt(D)
        if with_c:
            c = float(ctx.rng.uniform(1e-4, 2))
            arguments += ["--c", r(c)]
        out = cm_inspect(ctx, "distance", arguments)
        cases.append(distance_case(f"cm inspect distance (random {i})", x, y, c, out["distance"], metric, with_c))
    return cases


@step("squared_l2", "squared_l2(x, y) -> float for one sample x, y of shape (D,)",
      "mean over the D dimensions of (x − y)²", True)
def squared_l2_cases(ctx):
    return distance_cases(ctx, "squared_l2")


@step("l1", "l1(x, y) -> float", "mean over the D dimensions of |x − y|", True)
def l1_cases(ctx):
    return distance_cases(ctx, "l1")


@step("pseudo_huber", "pseudo_huber(x, y) -> float with your own c, or pseudo_huber(x, y, c)",
      "iCT §3.3 on the per-sample norm, c = 0.00054·√D", True)
def pseudo_huber_cases(ctx):
    return distance_cases(ctx, "pseudo_huber")


def lognormal_rows(ctx):
    rows = []
    for i, c in enumerate(ctx.fixtures("pair_index")["cases"]["lognormal"]):
        rows.append((f"pair_index.json lognormal case {i}", c["sigmas"], c["P_mean"], c["P_std"],
                     c["probabilities"], c["weights"]))
    for i in range(ctx.random):
        N, eps, T, rho, arguments = random_grid(ctx.rng)
        p_mean = float(ctx.rng.uniform(-3, 2))
        p_std = float(ctx.rng.uniform(0.3, 3))
        out = cm_inspect(ctx, "lognormal", arguments + ["--p-mean", r(p_mean), "--p-std", r(p_std)])
        sigmas = cm_inspect(ctx, "karras", arguments)["sigmas"]
        rows.append((f"cm inspect lognormal (random {i})", sigmas, p_mean, p_std, out["probabilities"],
                     out["weights"]))
    return rows


@step("lognormal_probabilities", "lognormal_probabilities(sigmas, P_mean, P_std) -> (N−1,) p(n)",
      "iCT §3.5 discretised lognormal over the pairs of an ascending grid", True)
def lognormal_cases(ctx):
    cases = []
    for source, sigmas, p_mean, p_std, p, _ in lognormal_rows(ctx):
        s = A(sigmas)
        cases.append(Case(source, {"sigmas": s, "P_mean": p_mean, "P_std": p_std}, A(p),
                          lambda f, a=(s, p_mean, p_std): f(*a),
                          variants={"lognormal_p_mean_sign": fm.lognormal_probabilities(s, -p_mean, p_std)}))
    return cases


@step("ict_lambda", "ict_lambda(t_n, t_n_plus_1) -> λ, element-wise on arrays of shape (N−1,)",
      "iCT §3.1: λ(t_n) = 1/(t_{n+1} − t_n)", True)
def ict_lambda_cases(ctx):
    cases, seen = [], set()
    for source, sigmas, _, _, _, weights in lognormal_rows(ctx):
        key = tuple(sigmas)
        if key in seen:
            continue
        seen.add(key)
        s = A(sigmas)
        cases.append(Case(source, {"t_n": s[:-1], "t_n_plus_1": s[1:]}, A(weights),
                          lambda f, a=(s[:-1].copy(), s[1:].copy()): f(*a)))
    return cases


# Target EMA ---------------------------------------------------------------------------------

@step("target_ema", "target_ema(theta_minus, theta, mu) -> new θ⁻ (flat vectors)", "CM Eq. 8")
def target_ema_cases(ctx):
    cases = []
    for i, c in enumerate(ctx.fixtures("target_ema")["cases"]):
        tm, th, mu = A(c["theta_minus"]), A(c["theta"]), c["mu"]
        cases.append(Case(f"target_ema.json case {i}", {"theta_minus": tm, "theta": th, "mu": mu},
                          A(c["result"]), lambda f, a=(tm, th, mu): f(*a),
                          variants={"swapped_ema": mu * th + (1.0 - mu) * tm}))
    return cases


# ODE steps and the noisy pair ---------------------------------------------------------------

def ode_rows(ctx):
    rows = []
    data = ctx.fixtures("ode_steps")["cases"]
    for i, c in enumerate(data["gaussian"]):
        rows.append((f"ode_steps.json gaussian case {i}", A(c["x"]), c["t_n_plus_1"], c["t_n"],
                     fm.gaussian_denoiser(c["mean"], c["std"]), f"Gaussian N({c['mean']}, {c['std']}²I)",
                     A(c["euler"]), A(c["heun"])))
    for i, c in enumerate(data["one_sample"]):
        rows.append((f"ode_steps.json one_sample case {i}", A(c["x"]), c["t_n_plus_1"], c["t_n"],
                     (lambda x0: (lambda x, t: x0))(A(c["data"])), f"one-sample D := {c['data']}",
                     A(c["euler"]), A(c["heun"])))
    return rows


def random_pair(ctx, i, teacher, solver):
    N, eps, T, rho, arguments = random_grid(ctx.rng)
    n = int(ctx.rng.integers(0, N - 1))
    D = int(ctx.rng.integers(1, 5))
    x, z = ctx.rng.normal(size=D), ctx.rng.normal(size=D)
    m, s = ctx.rng.normal(size=D) * 0.5, float(ctx.rng.uniform(0.1, 2))
    out = cm_inspect(ctx, "pair", arguments + ["--x", csv(x), "--z", csv(z), "--index", str(n), "--teacher", teacher,
                                               "--solver", solver, "--teacher-mean", csv(m), "--teacher-std", r(s)])
    return x, z, m, s, out


def ode_cases(ctx, solver):
    cases = []
    for source, x, t_from, t_to, D, teacher, euler, heun in ode_rows(ctx):
        variants = {"heun_without_correction": euler} if solver == "heun" else {}
        cases.append(Case(source, {"x": x, "t_n_plus_1": t_from, "t_n": t_to, "denoiser": teacher},
                          euler if solver == "euler" else heun, lambda f, a=(x, t_from, t_to, D): f(*a),
                          variants=variants))
    for i in range(ctx.random):
        _, _, m, s, out = random_pair(ctx, i, "gaussian", solver)
        x, t_from, t_to, D = A(out["x_t_n_plus_1"]), out["t_n_plus_1"], out["t_n"], fm.gaussian_denoiser(m, s)
        variants = {"heun_without_correction": fm.euler(x, t_from, t_to, D)} if solver == "heun" else {}
        cases.append(Case(f"cm inspect pair --teacher gaussian --solver {solver} (random {i})",
                          {"x": x, "t_n_plus_1": t_from, "t_n": t_to, "denoiser": f"Gaussian N({list(m)}, {s}²I)"},
                          A(out["x_target"]), lambda f, a=(x, t_from, t_to, D): f(*a), variants=variants))
    return cases


@step("euler", "euler(x, t_n_plus_1, t_n, denoiser) -> (D,), denoiser(x, t) -> (D,) given by the kit",
      "one Euler step of the probability-flow ODE from t_{n+1} down to t_n (CM Alg. 2)", True)
def euler_cases(ctx):
    return ode_cases(ctx, "euler")


@step("heun", "heun(x, t_n_plus_1, t_n, denoiser) -> (D,)",
      "one Heun step (EDM Alg. 1, CM Alg. 2)", True)
def heun_cases(ctx):
    return ode_cases(ctx, "heun")


@step("noisy_pair", "noisy_pair(x, z, t_n, t_n_plus_1) -> (x_t_n, x_t_n_plus_1)",
      "CM Alg. 3: x + t_n·z and x + t_{n+1}·z with the same z", True)
def noisy_pair_cases(ctx):
    cases = []
    for i, c in enumerate(ctx.fixtures("noisy_pair")["cases"]):
        a = (A(c["x"]), A(c["z"]), c["t_n"], c["t_n_plus_1"])
        expected = (A(c["x_t_n"]), A(c["x_t_n_plus_1"]))
        cases.append(Case(f"noisy_pair.json case {i}", dict(zip(["x", "z", "t_n", "t_n_plus_1"], a)), expected,
                          lambda f, a=a: f(*a), variants={"noisy_pair_swapped": expected[::-1]}))
    for i in range(ctx.random):
        x, z, _, _, out = random_pair(ctx, i, "data", "euler")
        a = (A(x), A(z), out["t_n"], out["t_n_plus_1"])
        expected = (A(out["x_target"]), A(out["x_t_n_plus_1"]))
        cases.append(Case(f"cm inspect pair --teacher data (random {i})", dict(zip(["x", "z", "t_n", "t_n_plus_1"], a)),
                          expected, lambda f, a=a: f(*a), variants={"noisy_pair_swapped": expected[::-1]}))
    return cases


# The whole loss ----------------------------------------------------------------------------

KNOWN_WRONG_C = {"0.00054 (√D forgotten)": lambda D: 0.00054, "0.00054·D": lambda D: 0.00054 * D,
                 "0.03 (iCT's CIFAR-10 value, 0.00054·√3072)": lambda D: 0.00054 * math.sqrt(3072)}


@step("loss", "loss(online, target, t_n, t_n_plus_1) -> float, online/target of shape (B, D)",
      "L = (1/B) Σ λ_b d(online_b, target_b); options loss_metric (squared_l2, l1, pseudo_huber) and "
      "loss_weighting (uniform, ict)")
def loss_cases(ctx):
    metric = ctx.options.get("loss_metric", "squared_l2")
    weighting = ctx.options.get("loss_weighting", "uniform")
    cases = []
    for i, c in enumerate(ctx.fixtures("loss")["cases"]):
        if c["metric"] != metric or c["weighting"] != weighting:
            continue
        on, ta, tn, tn1, D = A(c["online"]), A(c["target"]), A(c["t_n"]), A(c["t_n_plus_1"]), c["D"]
        cc = 0.00054 * math.sqrt(D)
        other = "uniform" if weighting == "ict" else "ict"
        variants = {"ict_lambda_missing" if weighting == "ict" else "ict_lambda_applied":
                    fm.loss(on, ta, tn, tn1, metric, other, cc)}
        if metric == "pseudo_huber":
            variants["elementwise_pseudo_huber"] = fm.loss(on, ta, tn, tn1, "pseudo_huber_elementwise", weighting, cc)
            for label, wrong in KNOWN_WRONG_C.items():
                variants[f"wrong_pseudo_huber_c: c = {label}"] = fm.loss(on, ta, tn, tn1, metric, weighting, wrong(D))
        if metric in ("squared_l2", "l1") and D > 1:
            variants[f"{'l2' if metric == 'squared_l2' else 'l1'}_sum_over_dimensions"] = D * c["loss"]
        cases.append(Case(f"loss.json case {i}", {"online": on, "target": ta, "t_n": tn, "t_n_plus_1": tn1},
                          c["loss"], lambda f, a=(on, ta, tn, tn1): f(*a), variants=variants))
    return cases


STEP_NAMES = list(STEPS)
