"""PyTorch tensors through the adapters (skipped where torch is not installed)."""

import math

import numpy as np
import pytest

import cmconform

torch = pytest.importorskip("torch")


def T(a):
    return torch.as_tensor(np.asarray(a), dtype=torch.float64)


def test_torch_functions_pass_and_tensors_with_grad_are_accepted():
    def c_out(t, sigma_data, sigma_min):
        t = T(t).requires_grad_()
        return sigma_data * (t - sigma_min) / torch.sqrt(sigma_data ** 2 + t ** 2)

    def target_ema(theta_minus, theta, mu):
        return torch.lerp(T(theta), T(theta_minus), mu)  # θ + μ(θ⁻ − θ) = μθ⁻ + (1 − μ)θ

    def consistency_function(x, t, F, sigma_data, sigma_min):
        x = T(x)[None]  # a batch of one, as a torch module would take it
        t = T([t])
        c_skip = sigma_data ** 2 / ((t - sigma_min) ** 2 + sigma_data ** 2)
        c_out = sigma_data * (t - sigma_min) / torch.sqrt(sigma_data ** 2 + t ** 2)
        c_in = 1 / torch.sqrt(t ** 2 + sigma_data ** 2)
        network = lambda u, c: T(F(u, c))  # the kit's F, wrapped as a torch "module"
        return c_skip[:, None] * x + c_out[:, None] * network(c_in[:, None] * x, 0.25 * torch.log(t))

    report = cmconform.check({"c_out": c_out, "target_ema": target_ema,
                              "consistency_function": consistency_function})
    assert report.ok, str(report)


def test_torch_elementwise_pseudo_huber_is_diagnosed():
    def pseudo_huber(x, y, c):
        return (torch.sqrt((T(x) - T(y)) ** 2 + c ** 2) - c).mean()

    report = cmconform.check({"pseudo_huber": pseudo_huber})
    assert report.diagnosed() == {"elementwise_pseudo_huber"}


def test_float32_torch_passes_with_float32_tolerances():
    def c_skip(t, sigma_data, sigma_min):
        t = torch.tensor(t, dtype=torch.float32)
        return sigma_data ** 2 / ((t - sigma_min) ** 2 + sigma_data ** 2)

    assert not cmconform.check({"c_skip": c_skip}).ok
    assert cmconform.check({"c_skip": c_skip}, float32=True).ok
