"""The command line: a passing and a failing adapter file, exit codes, and bad inputs named."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import cmconform

HERE = Path(__file__).resolve().parent


def run(*arguments, cwd=HERE, env=None):
    environment = dict(os.environ)
    package_parent = str(Path(cmconform.__file__).resolve().parents[1])
    environment["PYTHONPATH"] = package_parent + os.pathsep + environment.get("PYTHONPATH", "")
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "cmconform", *arguments], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=120)


def write(tmp_path, text):
    path = tmp_path / "my_adapter.py"
    path.write_text(text)
    return str(path)


def test_reference_adapter_passes_from_the_command_line():
    result = run("check", "reference_adapter.py", "--attribute", "adapter")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "steps: 21 passed, 0 failed; CD or CT: CT" in result.stdout


def test_failing_adapter_exits_1_with_the_diagnosis(tmp_path):
    path = write(tmp_path, "adapter = {'target_ema': lambda tm, th, mu: mu * th + (1 - mu) * tm}\n")
    result = run("check", path)
    assert result.returncode == 1
    assert "FAIL  target_ema" in result.stdout and "diagnosis: swapped_ema" in result.stdout


def test_option_override_on_the_command_line(tmp_path):
    path = write(tmp_path, "import math\nadapter = {'mu_from_N': lambda N, s0, mu0: math.exp(s0 * math.log(mu0) / (N - 1))}\n")
    assert run("check", path).returncode == 1
    assert run("check", path, "--option", "mu_form=official").returncode == 0


def test_probe_command(tmp_path):
    path = write(tmp_path, "adapter = {'target_input': lambda x, z, t_n, t_n1: x + t_n * z}\n")
    result = run("probe", path)
    assert result.returncode == 0 and ": CT" in result.stdout


@pytest.mark.parametrize("arguments, message", [
    (["check", "no_such_file.py"], "no such file"),
    (["check", "reference_adapter.py", "--attribute", "nope"], "no attribute 'nope'"),
    (["check", "reference_adapter.py", "--steps", "karras,nope"], "unknown step 'nope'"),
    (["check", "reference_adapter.py", "--option", "mu_form=sometimes"], "allowed: paper, official"),
    (["check", "reference_adapter.py", "--option", "colour=red"], "unknown option 'colour'"),
    (["check", "reference_adapter.py", "--option", "mu_form"], "write KEY=VALUE"),
    (["check", "reference_adapter.py", "--rtol", "-1"], "0 ≤ rtol < 1"),
    (["check", "reference_adapter.py", "--random", "-3"], "an integer 0 … 100000"),
    (["check", "reference_adapter.py", "--fixtures", "/"], "is not the repository's Fixtures folder"),
])
def test_bad_inputs_are_named_and_exit_2(arguments, message):
    result = run(*arguments)
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_random_without_cm_is_a_clear_error(tmp_path):
    path = write(tmp_path, "adapter = {'c_in': lambda t, sd: (t * t + sd * sd) ** -0.5}\n")
    env = {"PATH": "/nonexistent", "CMCONFORM_CM": ""}
    result = subprocess.run([sys.executable, "-m", "cmconform", "check", path, "--random", "3"],
                            cwd=HERE, capture_output=True, text=True,
                            env={**os.environ, **env, "PYTHONPATH": str(Path(cmconform.__file__).resolve().parents[1])})
    assert result.returncode == 2 and "needs the cm tool" in result.stderr


def test_adapter_that_is_not_a_dict(tmp_path):
    path = write(tmp_path, "adapter = 3\n")
    result = run("check", path)
    assert result.returncode == 2 and "must be a dict" in result.stderr


def test_adapter_entry_that_is_not_a_function(tmp_path):
    path = write(tmp_path, "adapter = {'c_in': 0.5}\n")
    result = run("check", path)
    assert result.returncode == 2 and "adapter['c_in'] must be a function" in result.stderr


def test_steps_and_variants_lists():
    steps = run("steps")
    assert steps.returncode == 0 and all(name in steps.stdout for name in cmconform.STEPS)
    variants = run("variants")
    for name in ["elementwise_pseudo_huber", "swapped_ema", "next_sigmas_typo", "c_out_no_sigma_min_shift",
                 "descending_grid", "mu_n_minus_1", "wrong_pseudo_huber_c"]:
        assert name in variants.stdout


def test_console_script_where_installed(tmp_path):
    script = shutil.which("cmconform") or str(Path(sys.executable).parent / "cmconform")
    if not Path(script).is_file():
        pytest.skip("the kit is not pip-installed here (no cmconform console script)")
    path = write(tmp_path, "adapter = {'c_in': lambda t, sd: (t * t + sd * sd) ** -0.5}\n")
    result = subprocess.run([script, "check", path], cwd=HERE, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "PASS  c_in" in result.stdout


def test_adapter_file_that_fails_to_load(tmp_path):
    path = write(tmp_path, "import no_such_module_for_cmconform\nadapter = {}\n")
    result = run("check", path)
    assert result.returncode == 2 and "raised ModuleNotFoundError while loading" in result.stderr
    assert "Traceback" not in result.stderr
