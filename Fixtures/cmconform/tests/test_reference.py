"""The repository's NumPy reference (generate_fixtures.py) passes every check, and the accepted
conventions (official μ, official c_noise, a declared descending grid, binary64 N(k)) pass too."""

import math

import numpy as np

import cmconform
import reference_adapter as ra
from reference_adapter import gf


def test_reference_passes_every_step():
    report = cmconform.check(ra.adapter())
    assert report.ok, str(report)
    assert {r.name for r in report.results} == set(cmconform.STEPS)
    assert all(r.status == "pass" and r.cases > 0 for r in report.results)
    assert report.probe.verdict == "CT"


def test_every_fixture_case_is_checked():
    report = cmconform.check(ra.adapter(), steps=["karras", "target_ema", "noisy_pair"])
    folder = cmconform.locate()
    import json
    count = lambda name: len(json.load(open(folder / (name + ".json")))["cases"])
    assert report["karras"].cases == count("karras_sigmas")
    assert report["target_ema"].cases == count("target_ema")
    assert report["noisy_pair"].cases == count("noisy_pair")


def test_official_mu_form_is_accepted_when_declared():
    adapter = ra.adapter()
    adapter["mu"] = lambda k, K, s0, s1, mu0: gf.ema_decay(gf.ct_steps_exact(k, K, s0, s1), s0, mu0, "official")
    adapter["mu_from_N"] = lambda N, s0, mu0: gf.ema_decay(N, s0, mu0, "official")
    adapter["options"] = {"mu_form": "official"}
    report = cmconform.check(adapter, steps=["mu", "mu_from_N"])
    assert report.ok, str(report)
    assert report["mu"].cases > 300  # ema_decay_official_code.json is included


def test_official_c_noise_convention_is_accepted_and_named():
    adapter = ra.adapter()
    adapter["c_noise"] = lambda t: 1000 * 0.25 * np.log(t + 1e-44)
    report = cmconform.check(adapter, steps=["c_noise"])
    assert report.ok, str(report)
    assert any("official" in name for name in report["c_noise"].conventions)


def test_official_c_noise_network_in_the_consistency_function():
    adapter = ra.adapter()

    def f(x, t, F, sd, eps):
        c_skip, c_out, c_in, _ = gf.scalings(np.float64(t), sd, eps)
        return c_skip * x + c_out * F(c_in * x, 1000 * 0.25 * math.log(t))

    adapter["consistency_function"] = f
    adapter["options"] = {"c_noise": "official"}
    assert cmconform.check(adapter, steps=["consistency_function"]).ok


def test_declared_descending_grid_passes():
    adapter = ra.adapter()
    adapter["karras"] = lambda N, a, b, rho: gf.karras(N, a, b, rho)[::-1]
    adapter["options"] = {"karras_order": "descending"}
    assert cmconform.check(adapter, steps=["karras"]).ok


def test_binary64_curriculum_is_accepted_at_exact_squares():
    adapter = ra.adapter()
    adapter["ct_curriculum"] = gf.ct_steps_float
    report = cmconform.check(adapter, steps=["ct_curriculum"])
    assert report.ok, str(report)
    assert report["ct_curriculum"].conventions  # the exact squares, accepted by name


def test_batched_outputs_of_one_row_are_accepted():
    adapter = {"target_ema": lambda tm, th, mu: (mu * tm + (1 - mu) * th)[None, :]}
    assert cmconform.check(adapter).ok
