"""Each known mistake, planted in a copy of the reference, is diagnosed by name; an unknown one is
shown with its first differing case."""

import math

import numpy as np
import pytest

import cmconform
import reference_adapter as ra
from reference_adapter import gf


def diagnose(step, broken, **options):
    adapter = ra.adapter()
    adapter[step] = broken
    if options:
        adapter["options"] = options
    report = cmconform.check(adapter, steps=[step])
    assert not report.ok
    return report, report.diagnosed(step)


def elementwise(x, y, c):
    return float(np.mean(np.sqrt((x - y) ** 2 + c * c) - c))


def test_elementwise_pseudo_huber():
    report, names = diagnose("pseudo_huber", elementwise)
    assert names == {"elementwise_pseudo_huber"}
    text = str(report)
    assert "diagnosis: elementwise_pseudo_huber" in text and "iCT §3.3" in text


def test_elementwise_pseudo_huber_in_the_loss():
    def loss(online, target, t_n, t_n_plus_1):
        c = 0.00054 * math.sqrt(online.shape[1])
        return float(np.mean(np.sqrt((online - target) ** 2 + c * c) - c))

    _, names = diagnose("loss", loss, loss_metric="pseudo_huber", loss_weighting="uniform")
    assert names == {"elementwise_pseudo_huber"}


@pytest.mark.parametrize("c_of_D, label", [(lambda D: 0.00054, "√D forgotten"),
                                            (lambda D: 0.03, "CIFAR-10"),
                                            (lambda D: 0.2, "not a known value")])
def test_wrong_pseudo_huber_c_is_inferred(c_of_D, label):
    def pseudo_huber(x, y):  # the user's own c, no c argument
        c = c_of_D(x.size)
        return math.sqrt(float(np.sum((x - y) ** 2)) + c * c) - c

    report, names = diagnose("pseudo_huber", pseudo_huber)
    assert names == {"wrong_pseudo_huber_c"}
    assert label in str(report)


def test_wrong_pseudo_huber_c_in_the_loss():
    def loss(online, target, t_n, t_n_plus_1):
        d = np.sqrt(np.sum((online - target) ** 2, axis=1) + 0.00054 ** 2) - 0.00054
        return float(np.mean(d / (t_n_plus_1 - t_n)))

    _, names = diagnose("loss", loss, loss_metric="pseudo_huber", loss_weighting="ict")
    assert names == {"wrong_pseudo_huber_c"}


def test_swapped_ema():
    _, names = diagnose("target_ema", lambda theta_minus, theta, mu: mu * theta + (1 - mu) * theta_minus)
    assert names == {"swapped_ema"}


def test_next_sigmas_typo():
    def target_prediction(x, t_n, t_n_plus_1, F, sd, eps):
        c_skip, c_out, _, _ = gf.scalings(np.float64(t_n), sd, eps)
        _, _, c_in, c_noise = gf.scalings(np.float64(t_n_plus_1), sd, eps)  # teacher_model(…, next_sigmas)
        return c_skip * x + c_out * F(c_in * x, c_noise)

    _, names = diagnose("target_prediction", target_prediction)
    assert names == {"next_sigmas_typo"}


def test_c_out_without_sigma_min_shift():
    _, names = diagnose("c_out", lambda t, sd, eps: sd * t / math.sqrt(sd * sd + t * t))
    assert names == {"c_out_no_sigma_min_shift"}


def test_c_out_without_shift_inside_the_consistency_function():
    def f(x, t, F, sd, eps):
        c_skip, _, c_in, c_noise = gf.scalings(np.float64(t), sd, eps)
        return c_skip * x + sd * t / math.sqrt(sd * sd + t * t) * F(c_in * x, c_noise)

    _, names = diagnose("consistency_function", f)
    assert names == {"c_out_no_sigma_min_shift"}


def test_edm_scalings_in_the_consistency_function():
    def f(x, t, F, sd, eps):
        c_in = 1 / math.sqrt(t * t + sd * sd)
        return sd * sd / (t * t + sd * sd) * x + sd * t / math.sqrt(sd * sd + t * t) * F(c_in * x, 0.25 * math.log(t))

    _, names = diagnose("consistency_function", f)
    assert names == {"unshifted_scalings"}


def test_c_skip_without_shift():
    _, names = diagnose("c_skip", lambda t, sd, eps: sd * sd / (t * t + sd * sd))
    assert names == {"c_skip_no_sigma_min_shift"}


def test_descending_grid():
    _, names = diagnose("karras", lambda N, a, b, rho: gf.karras(N, a, b, rho)[::-1])
    assert names == {"descending_grid"}


def test_ascending_grid_where_descending_was_declared():
    _, names = diagnose("karras", gf.karras, karras_order="descending")
    assert names == {"ascending_grid"}


def test_n_minus_1_in_mu():
    _, names = diagnose("mu", lambda k, K, s0, s1, mu0: gf.ema_decay(gf.ct_steps_exact(k, K, s0, s1), s0, mu0, "official"))
    assert names == {"mu_n_minus_1"}
    _, names = diagnose("mu_from_N", lambda N, s0, mu0: math.exp(s0 * math.log(mu0) / (N - 1)))
    assert names == {"mu_n_minus_1"}


def test_paper_mu_where_official_was_declared():
    _, names = diagnose("mu", lambda k, K, s0, s1, mu0: gf.ema_decay(gf.ct_steps_exact(k, K, s0, s1), s0, mu0, "paper"),
                        mu_form="official")
    assert names == {"mu_n_not_n_minus_1"}


def test_s1_squared_curriculum():
    _, names = diagnose("ct_curriculum", lambda k, K, s0, s1: math.ceil(math.sqrt(k / K * (s1 ** 2 - s0 ** 2) + s0 ** 2) - 1) + 1)
    assert names == {"ct_curriculum_s1_squared"}


def test_missing_ict_lambda_in_the_loss():
    def loss(online, target, t_n, t_n_plus_1):
        return float(np.mean(np.mean((online - target) ** 2, axis=1)))

    _, names = diagnose("loss", loss, loss_metric="squared_l2", loss_weighting="ict")
    assert names == {"ict_lambda_missing"}


def test_lognormal_sign_typo():
    _, names = diagnose("lognormal_probabilities", lambda s, m, sd: gf.lognormal_probabilities(s, -m, sd))
    assert names == {"lognormal_p_mean_sign"}


def test_heun_without_correction():
    def heun(x, t_from, t_to, D):
        return x + (t_to - t_from) * (x - D(x, t_from)) / t_from

    _, names = diagnose("heun", heun)
    assert names == {"heun_without_correction"}


def test_unknown_mismatch_prints_the_first_differing_case():
    report, names = diagnose("c_in", lambda t, sd: 1.0 / (t * t + sd * sd))  # √ forgotten
    assert names == set()
    text = str(report)
    assert "no known variant matches; first differing case: boundary_scalings.json case" in text
    assert "t = " in text and "expected = " in text and "got      = " in text


def test_unknown_mismatch_in_an_array_names_the_first_differing_entry():
    report, _ = diagnose("karras", lambda N, a, b, rho: np.concatenate([gf.karras(N, a, b, rho)[:-1], [1.01 * b]]))
    text = str(report)
    assert "first difference at [" in text


def test_an_exception_in_user_code_is_reported_with_its_inputs():
    def broken(theta_minus, theta, mu):
        raise RuntimeError("shape mismatch in my code")

    report = cmconform.check({"target_ema": broken})
    assert not report.ok and report["target_ema"].status == "error"
    assert "RuntimeError: shape mismatch in my code" in str(report) and "mu = " in str(report)


def test_wrong_shape_is_an_error_not_a_crash():
    report = cmconform.check({"noisy_pair": lambda x, z, a, b: x + a * z})
    assert report["noisy_pair"].status == "error" and "tuple of 2" in str(report)
