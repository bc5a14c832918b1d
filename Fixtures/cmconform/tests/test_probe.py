"""“Is my loop CD or CT?” on the seed's loop, CD-Euler and CD-Heun builders, and wrong ones."""

import numpy as np

import cmconform
from cmconform.fixtures import Fixtures
from cmconform.probe import ring8_denoiser
from reference_adapter import gf


def seed_loop_builder(data, noise, current_sigmas, next_sigmas):
    """The seed pseudocode's lines, as written (typo included)."""
    current_noisy_data = data + current_sigmas * noise
    # teacher_model(current_noisy_data, next_sigmas): the target network's input and noise level
    return current_noisy_data, next_sigmas


def test_the_kits_ring8_denoiser_matches_the_generator():
    D = ring8_denoiser(Fixtures())  # raises if any sample value differs
    fx = Fixtures()("ring8_denoiser")["cases"]
    m = fx["mixture"]
    x, t = np.array(fx["denoiser"][3]["x"]), fx["denoiser"][3]["t"]
    assert np.allclose(D(x, t), gf.mixture_denoiser(x, t, np.array(m["weights"]), np.array(m["means"]), np.array(m["stds"])),
                       rtol=1e-13, atol=1e-15)


def test_seed_loop_is_ct():
    result = cmconform.cd_or_ct(lambda x, z, t_n, t_n1: seed_loop_builder(x, z, t_n, t_n1)[0])
    assert result.verdict == "CT"
    assert result.distances["ct"] == 0.0 and result.distances["cd_euler"] > 1e-2


def test_seed_loop_with_its_noise_level_is_ct_with_the_typo():
    result = cmconform.cd_or_ct(seed_loop_builder)
    assert result.verdict.startswith("CT, with the seed typo")
    assert result.noise_level == "t_n_plus_1"
    assert "next_sigmas" in str(result)


def test_ct_builder_that_ignores_a_denoiser_is_ct():
    result = cmconform.cd_or_ct(lambda x, z, t_n, t_n1, D: (x + t_n * z, t_n))
    assert result.verdict == "CT" and result.uses_denoiser and result.noise_level == "t_n"


def test_cd_heun_builder():
    result = cmconform.cd_or_ct(lambda x, z, t_n, t_n1, D: gf.heun(x + t_n1 * z, t_n1, t_n, D))
    assert result.verdict == "CD-Heun", str(result)


def test_cd_euler_builder():
    result = cmconform.cd_or_ct(lambda x, z, t_n, t_n1, D: gf.euler(x + t_n1 * z, t_n1, t_n, D))
    assert result.verdict == "CD-Euler", str(result)


def test_none_of_these():
    result = cmconform.cd_or_ct(lambda x, z, t_n, t_n1: x + t_n1 * z)  # the online input again
    assert result.verdict.startswith("none of these")


def test_declared_target_passes_or_fails():
    heun = lambda x, z, t_n, t_n1, D: gf.heun(x + t_n1 * z, t_n1, t_n, D)
    assert cmconform.check({"target_input": heun, "options": {"target": "cd-heun"}}).ok
    assert not cmconform.check({"target_input": heun, "options": {"target": "ct"}}).ok


def test_a_builder_that_raises_is_reported_not_a_crash():
    def builder(x, z, t_n, t_n1, D):
        raise RuntimeError("teacher not loaded")

    result = cmconform.cd_or_ct(builder)
    assert result.verdict == "error" and not result.ok
    assert "RuntimeError: teacher not loaded" in str(result) and "t_n = " in str(result)
    assert not cmconform.check({"target_input": builder}).ok


def test_a_builder_of_the_wrong_shape_is_reported():
    result = cmconform.cd_or_ct(lambda x, z, t_n, t_n1: (x + t_n * z)[:1])
    assert result.verdict == "error" and "shape" in str(result)
