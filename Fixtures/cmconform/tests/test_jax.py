"""JAX arrays through the adapters (skipped where jax is not installed)."""

import pytest

import cmconform

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)  # float64, so the default tolerances apply
import jax.numpy as jnp  # noqa: E402


def test_jax_functions_pass():
    adapter = {
        "c_out": lambda t, sd, eps: sd * (t - eps) / jnp.sqrt(sd ** 2 + jnp.asarray(t) ** 2),
        "target_ema": lambda tm, th, mu: mu * jnp.asarray(tm) + (1 - mu) * jnp.asarray(th),
        "noisy_pair": lambda x, z, t_n, t_n1: (jnp.asarray(x) + t_n * z, jnp.asarray(x) + t_n1 * z),
    }
    report = cmconform.check(adapter)
    assert report.ok, str(report)


def test_jax_mistakes_are_diagnosed():
    adapter = {
        "target_ema": lambda tm, th, mu: mu * jnp.asarray(th) + (1 - mu) * jnp.asarray(tm),
        "pseudo_huber": lambda x, y, c: jnp.mean(jnp.sqrt((jnp.asarray(x) - y) ** 2 + c * c) - c),
    }
    assert cmconform.check(adapter).diagnosed() == {"swapped_ema", "elementwise_pseudo_huber"}
