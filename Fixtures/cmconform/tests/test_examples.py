"""The README's PyTorch example (examples/): the user's module with two planted mistakes is
diagnosed, the corrected copy passes (skipped where torch is not installed)."""

from pathlib import Path

import pytest

import cmconform
from cmconform.cli import load_adapter

pytest.importorskip("torch")
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_the_users_module_is_diagnosed():
    report = cmconform.check(load_adapter(str(EXAMPLES / "check_my_cm.py"), "adapter"))
    assert not report.ok
    assert report.diagnosed() == {"c_out_no_sigma_min_shift", "elementwise_pseudo_huber"}
    assert report.probe.verdict == "CT"


def test_the_corrected_module_passes():
    report = cmconform.check(load_adapter(str(EXAMPLES / "check_my_cm_fixed.py"), "adapter"))
    assert report.ok, str(report)
