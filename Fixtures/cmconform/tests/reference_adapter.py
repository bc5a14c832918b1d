"""The repository's NumPy reference (Fixtures/generate_fixtures.py) as a cmconform adapter: every
step mapped to the generator's own functions, so the kit can be checked against the code that
wrote the fixtures. Also used by the tests as the 'copy of the reference' in which each known
mistake is planted."""

import importlib.util
import math

import numpy as np

import cmconform


def load_generator():
    path = cmconform.locate() / "generate_fixtures.py"
    spec = importlib.util.spec_from_file_location("generate_fixtures", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gf = load_generator()


def consistency_function(x, t, F, sigma_data, sigma_min):
    c_skip, c_out, c_in, c_noise = gf.scalings(np.float64(t), sigma_data, sigma_min)
    return c_skip * x + c_out * F(c_in * x, c_noise)


def loss(online, target, t_n, t_n_plus_1, metric="squared_l2", weighting="uniform"):
    B, D = online.shape
    lam = np.ones(B) if weighting == "uniform" else 1.0 / (t_n_plus_1 - t_n)
    d = [gf.distances(online[b], target[b], 0.00054 * math.sqrt(D))[metric] for b in range(B)]
    return math.fsum((lam * np.array(d)).tolist()) / B


def adapter():
    """A fresh dict each call, so a test can plant a mistake in its own copy."""
    return {
        "karras": gf.karras,
        "ct_curriculum": gf.ct_steps_exact,
        "ict_curriculum": lambda k, K, s0, s1: min(s0 * 2 ** (k // gf.ict_k_prime(K, s0, s1)), s1) + 1,
        "mu": lambda k, K, s0, s1, mu0: gf.ema_decay(gf.ct_steps_exact(k, K, s0, s1), s0, mu0, "paper"),
        "mu_from_N": lambda N, s0, mu0: gf.ema_decay(N, s0, mu0, "paper"),
        "c_skip": lambda t, sd, eps: gf.scalings(np.float64(t), sd, eps)[0],
        "c_out": lambda t, sd, eps: gf.scalings(np.float64(t), sd, eps)[1],
        "c_in": lambda t, sd: gf.scalings(np.float64(t), sd, 0.002)[2],
        "c_noise": lambda t: gf.scalings(np.float64(t), 0.5, 0.002)[3],
        "consistency_function": consistency_function,
        "target_prediction": lambda x, t_n, t_n_plus_1, F, sd, eps: consistency_function(x, t_n, F, sd, eps),
        "squared_l2": lambda x, y: gf.distances(x, y, 1.0)["squared_l2"],
        "l1": lambda x, y: gf.distances(x, y, 1.0)["l1"],
        "pseudo_huber": lambda x, y, c: gf.distances(x, y, c)["pseudo_huber"],
        "lognormal_probabilities": gf.lognormal_probabilities,
        "ict_lambda": lambda t_n, t_n_plus_1: 1.0 / (t_n_plus_1 - t_n),
        "target_ema": lambda theta_minus, theta, mu: mu * theta_minus + (1.0 - mu) * theta,
        "euler": gf.euler,
        "heun": gf.heun,
        "noisy_pair": lambda x, z, t_n, t_n_plus_1: (x + t_n * z, x + t_n_plus_1 * z),
        "loss": loss,
        "target_input": lambda x, z, t_n, t_n_plus_1: x + t_n * z,  # CT (CM Alg. 3)
    }
