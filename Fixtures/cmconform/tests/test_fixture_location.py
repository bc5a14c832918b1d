"""Where the kit finds Fixtures/*.json: beside its source, from the current directory when installed
elsewhere, from CMCONFORM_FIXTURES or --fixtures, and a clear error otherwise."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import cmconform
from cmconform.fixtures import ENV, FixtureError, locate

SOURCE = Path(cmconform.__file__).resolve().parent


def repository_fixtures():
    return locate()


def installed_copy(tmp_path):
    """A copy of the package outside the repository, as a non-editable install leaves it."""
    site = tmp_path / "site-packages"
    shutil.copytree(SOURCE, site / "cmconform", ignore=shutil.ignore_patterns("__pycache__"))
    return site


def where(site, cwd, env):
    environment = {k: v for k, v in os.environ.items() if k != ENV}
    environment.update(env)
    environment["PYTHONPATH"] = str(site)
    return subprocess.run([sys.executable, "-m", "cmconform", "where"], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=60)


def test_found_in_the_repository():
    folder = repository_fixtures()
    assert (folder / "generate_fixtures.py").is_file() and (folder / "karras_sigmas.json").is_file()


def test_installed_copy_run_from_inside_the_repository(tmp_path):
    folder = repository_fixtures()
    result = where(installed_copy(tmp_path), folder.parent / "Sources", {})
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()) == folder


def test_installed_copy_outside_the_repository_says_what_to_do(tmp_path):
    result = where(installed_copy(tmp_path), tmp_path, {})
    assert result.returncode == 2
    assert "cannot find the repository's Fixtures/*.json" in result.stderr and ENV in result.stderr


def test_environment_variable(tmp_path):
    folder = repository_fixtures()
    result = where(installed_copy(tmp_path), tmp_path, {ENV: str(folder)})
    assert result.returncode == 0 and Path(result.stdout.strip()) == folder


def test_bad_environment_variable_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV, str(tmp_path))
    with pytest.raises(FixtureError, match=ENV):
        locate()


def test_explicit_folder_wins_and_a_bad_one_is_named(tmp_path):
    folder = repository_fixtures()
    assert locate(folder) == folder
    with pytest.raises(FixtureError, match="--fixtures"):
        locate(tmp_path)


def test_missing_or_broken_fixture_file(tmp_path):
    folder = repository_fixtures()
    copy = tmp_path / "Fixtures"
    copy.mkdir()
    for name in ["generate_fixtures.py", "karras_sigmas.json"]:
        shutil.copy(folder / name, copy / name)
    (copy / "target_ema.json").write_text("{not json")
    fixtures = cmconform.Fixtures(copy)
    with pytest.raises(FixtureError, match="not valid JSON"):
        fixtures("target_ema")
    with pytest.raises(FixtureError, match="regenerate"):
        fixtures("loss")
