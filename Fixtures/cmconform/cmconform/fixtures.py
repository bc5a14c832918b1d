"""Finding and reading the repository's Fixtures/*.json (no copy is shipped with the kit).

Where the fixtures are looked for, in order:

1. the folder given explicitly (``fixtures=`` in the API, ``--fixtures`` on the command line);
2. the environment variable ``CMCONFORM_FIXTURES``;
3. the folder above this package's source (``Fixtures/`` when the kit is used from the
   repository, or installed with ``pip install -e``);
4. ``Fixtures/`` in the current directory or any parent (a non-editable ``pip install`` run
   from inside the repository).

A folder counts only if it holds ``generate_fixtures.py`` and ``karras_sigmas.json``.
"""

import json
import os
from pathlib import Path

ENV = "CMCONFORM_FIXTURES"


class FixtureError(Exception):
    """The fixtures cannot be found or read."""


def _is_fixtures(folder):
    folder = Path(folder)
    return (folder / "generate_fixtures.py").is_file() and (folder / "karras_sigmas.json").is_file()


def locate(explicit=None):
    """The Fixtures folder, by the rules of the module docstring; FixtureError if none."""
    if explicit is not None:
        if not _is_fixtures(explicit):
            raise FixtureError(
                f"--fixtures / fixtures= {str(explicit)!r} is not the repository's Fixtures folder "
                "(it must hold generate_fixtures.py and karras_sigmas.json)")
        return Path(explicit).resolve()
    if os.environ.get(ENV):
        if not _is_fixtures(os.environ[ENV]):
            raise FixtureError(
                f"{ENV}={os.environ[ENV]!r} is not the repository's Fixtures folder "
                "(it must hold generate_fixtures.py and karras_sigmas.json)")
        return Path(os.environ[ENV]).resolve()
    beside_source = Path(__file__).resolve().parents[2]
    if _is_fixtures(beside_source):
        return beside_source
    here = Path.cwd().resolve()
    for folder in [here, *here.parents]:
        if _is_fixtures(folder / "Fixtures"):
            return folder / "Fixtures"
    raise FixtureError(
        "cannot find the repository's Fixtures/*.json: this installed copy of cmconform is not "
        f"inside the repository ({Path(__file__).resolve().parent}), and neither the current "
        f"directory ({here}) nor any parent holds Fixtures/generate_fixtures.py. Run from inside "
        f"the ConsistencyModels repository, set {ENV}=/path/to/repository/Fixtures, or pass "
        "--fixtures /path/to/repository/Fixtures (fixtures= in the API)")


class Fixtures:
    """The JSON files of one Fixtures folder, each read once."""

    def __init__(self, folder=None):
        self.folder = locate(folder)
        self._cache = {}

    def __call__(self, name):
        if name not in self._cache:
            path = self.folder / (name + ".json")
            try:
                with open(path, encoding="utf-8") as f:
                    self._cache[name] = json.load(f)
            except FileNotFoundError:
                raise FixtureError(
                    f"{path} is missing: regenerate with python3 Fixtures/generate_fixtures.py "
                    "from the repository root") from None
            except json.JSONDecodeError as error:
                raise FixtureError(f"{path} is not valid JSON ({error})") from None
        return self._cache[name]
