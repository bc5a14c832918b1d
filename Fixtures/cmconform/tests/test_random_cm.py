"""--random N: random inputs checked against `cm inspect` (runs where the cm tool exists)."""

import os
import shutil
from pathlib import Path

import pytest

import cmconform
import reference_adapter as ra


def find_cm():
    candidates = [os.environ.get("CMCONFORM_CM"), shutil.which("cm"),
                  str(cmconform.locate().parent / ".build" / "debug" / "cm")]
    return next((c for c in candidates if c and Path(c).is_file() and os.access(c, os.X_OK)), None)


CM = find_cm()
needs_cm = pytest.mark.skipif(CM is None, reason="the cm tool is not built (swift build --product cm)")


@needs_cm
def test_reference_passes_random_cases_from_cm():
    report = cmconform.check(ra.adapter(), random=5, cm=CM)
    assert report.ok, str(report)
    assert report["karras"].cases == 35 + 5


@needs_cm
def test_random_cases_diagnose_too():
    adapter = ra.adapter()
    adapter["c_out"] = lambda t, sd, eps: sd * t / (sd * sd + t * t) ** 0.5
    report = cmconform.check(adapter, steps=["c_out"], random=5, cm=CM)
    assert report.diagnosed() == {"c_out_no_sigma_min_shift"}


@needs_cm
def test_a_cm_that_fails_is_reported(tmp_path):
    fake = tmp_path / "cm"
    fake.write_text("#!/bin/sh\necho 'bad option' >&2\nexit 64\n")
    fake.chmod(0o755)
    report = cmconform.check({"karras": ra.gf.karras}, random=1, cm=str(fake))
    assert report["karras"].status == "error" and "bad option" in str(report)
