"""The few formulas the kit evaluates itself, in NumPy float64.

Golden values always come from the fixtures (or from ``cm inspect``). What is here serves two other
purposes: the callables handed to the user's functions (the fixed network F, the Gaussian and ring8
denoisers), and the *known variants*, the wrong-but-plausible formulas that a failing output is
compared with for the diagnosis.
"""

import math

import numpy as np


def as_array(value):
    """A float64 array from NumPy, PyTorch (also with requires_grad, or on a GPU), JAX or lists."""
    if hasattr(value, "detach"):  # torch.Tensor: leave the graph and the device first
        value = value.detach()
        if hasattr(value, "cpu"):
            value = value.cpu()
    return np.asarray(value, dtype=np.float64)


# ----------------------------------------------------------------------- callables for the user

def fixed_network(W, b, a, c_noise_scale=1.0):
    """F(u, c)ᵢ = tanh(Σⱼ Wᵢⱼ uⱼ + bᵢ + aᵢ c) of consistency_function.json, for one sample (u of
    shape (D,)) or a batch ((B, D) with c of shape (B,) or (B, 1)). ``c_noise_scale`` undoes a
    c_noise convention: the official code's c_noise is 1000 times EDM's, so its F divides by 1000."""
    W, b, a = (np.asarray(v, dtype=np.float64) for v in (W, b, a))

    def F(u, c):
        u = as_array(u)
        c = as_array(c) / c_noise_scale
        if u.ndim == 1:
            return np.tanh(W @ u + b + a * c.reshape(()))
        return np.tanh(u @ W.T + b + a * c.reshape(-1, 1))

    return F


def gaussian_denoiser(mean, std):
    """D(x, t) = m + s²/(s² + t²)·(x − m), the exact denoiser of N(m, s²I)."""
    m, s = np.asarray(mean, dtype=np.float64), float(std)

    def D(x, t):
        return m + s * s / (s * s + float(as_array(t).reshape(-1)[0]) ** 2) * (as_array(x) - m)

    return D


def mixture_denoiser(weights, means, stds):
    """D(x, t) = Σ_k r_k(x, t)·(m_k + s_k²/(s_k² + t²)·(x − m_k)), r_k ∝ w_k N(x; m_k, (s_k² + t²)I),
    the responsibilities by a softmax of the log joints (no underflow far from every centre).
    Accepts one point (D,) or a batch (B, D) with one t or one t per row."""
    w = np.asarray(weights, dtype=np.float64)
    m = np.asarray(means, dtype=np.float64)
    s = np.asarray(stds, dtype=np.float64)

    def one(x, t):
        v = s * s + t * t
        log_joint = np.log(w) - x.size / 2 * np.log(2 * math.pi * v) - ((x - m) ** 2).sum(axis=1) / (2 * v)
        e = np.exp(log_joint - log_joint.max())
        r = e / e.sum()
        return (r[:, None] * (m + (s * s / v)[:, None] * (x - m))).sum(axis=0)

    def D(x, t):
        x, t = as_array(x), as_array(t).reshape(-1)
        if x.ndim == 1:
            return one(x, float(t[0]))
        ts = np.broadcast_to(t, (x.shape[0],))
        return np.stack([one(x[i], float(ts[i])) for i in range(x.shape[0])])

    return D


# ----------------------------------------------------------------------- formulas for variants

def scalings(t, sigma_data, eps, shifted=True):
    """c_skip, c_out (CM Eq. 5 / App. C, shifted by ε; unshifted = EDM's denoiser), c_in, c_noise."""
    e = eps if shifted else 0.0
    c_skip = sigma_data ** 2 / ((t - e) ** 2 + sigma_data ** 2)
    c_out = sigma_data * (t - e) / math.sqrt(sigma_data ** 2 + t ** 2)
    return c_skip, c_out, 1.0 / math.sqrt(t ** 2 + sigma_data ** 2), 0.25 * math.log(t)


def pseudo_huber(x, y, c):
    n2 = float(np.sum((x - y) ** 2))
    return n2 / (math.sqrt(n2 + c * c) + c)


def pseudo_huber_elementwise(x, y, c):
    return float(np.mean(np.sqrt((x - y) ** 2 + c * c) - c))


def distance(x, y, metric, c):
    if metric == "squared_l2":
        return float(np.mean((x - y) ** 2))
    if metric == "l1":
        return float(np.mean(np.abs(x - y)))
    if metric == "pseudo_huber_elementwise":
        return pseudo_huber_elementwise(x, y, c)
    return pseudo_huber(x, y, c)


def loss(online, target, t_n, t_n_plus_1, metric, weighting, c):
    lam = np.ones(len(t_n)) if weighting == "uniform" else 1.0 / (t_n_plus_1 - t_n)
    d = np.array([distance(online[i], target[i], metric, c) for i in range(len(t_n))])
    return float(np.sum(lam * d) / len(t_n))


def lognormal_probabilities(sigmas, p_mean, p_std):
    """iCT §3.5 (as erf differences; diagnosis only, so no care for the tails' cancellation)."""
    cdf = np.array([math.erf((math.log(t) - p_mean) / (math.sqrt(2.0) * p_std)) for t in sigmas])
    masses = np.diff(cdf)
    return masses / masses.sum()


def ct_curriculum_s1_squared(k, K, s0, s1):
    """The known bug of one public implementation: s₁² where CM App. C has (s₁ + 1)²."""
    return int(math.ceil(math.sqrt(k / K * (s1 ** 2 - s0 ** 2) + s0 ** 2) - 1)) + 1


def euler(x, t_from, t_to, D):
    return x + (t_to - t_from) * (x - D(x, t_from)) / t_from


def heun(x, t_from, t_to, D):
    h = t_to - t_from
    d = (x - D(x, t_from)) / t_from
    x1 = x + h * d
    return x + h * (d + (x1 - D(x1, t_to)) / t_to) / 2.0
