"""The command line: python -m cmconform (or cmconform) check|probe|steps|variants|where."""

import argparse
import importlib
import importlib.util
import inspect
import sys
from pathlib import Path

from .check import OPTIONS, UsageError, check
from .fixtures import FixtureError, locate
from .probe import probe
from .steps import STEPS
from .variants import KNOWN


def load_adapter(spec, attribute):
    """The adapter dict from a Python file (path/to/my_adapter.py) or an importable module name;
    its attribute `attribute` is a dict, or a function of no arguments that returns one."""
    if spec.endswith(".py") or "/" in spec:
        path = Path(spec)
        if not path.is_file():
            raise UsageError(f"ADAPTER {spec!r}: no such file")
        sys.path.insert(0, str(path.resolve().parent))
        module_spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(module_spec)
        try:
            module_spec.loader.exec_module(module)
        except Exception as error:  # the user's file: say so, without a traceback of the kit
            raise UsageError(f"ADAPTER {spec!r} raised {type(error).__name__} while loading: {error}") from None
    else:
        try:
            module = importlib.import_module(spec)
        except Exception as error:
            raise UsageError(f"ADAPTER {spec!r}: cannot import it ({type(error).__name__}: {error})") from None
    if not hasattr(module, attribute):
        raise UsageError(f"ADAPTER {spec!r} has no attribute {attribute!r} (--attribute): define "
                         f"{attribute} = {{'step name': function, …}}")
    value = getattr(module, attribute)
    if callable(value) and not isinstance(value, dict):
        try:
            required = [p for p in inspect.signature(value).parameters.values()
                        if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        except (TypeError, ValueError):
            required = []
        if not required:
            value = value()
    if not isinstance(value, dict):
        raise UsageError(f"ADAPTER {spec!r}: {attribute} must be a dict of step name → function, "
                         f"got {type(value).__name__}")
    return value


def parse_options(pairs):
    options = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep:
            raise UsageError(f"--option {pair!r}: write KEY=VALUE, e.g. --option mu_form=official")
        options[key] = value
    return options


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="cmconform",
        description="Check your own consistency-model code against the ConsistencyModels golden values.")
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check", help="check every step your adapter maps, on every fixture case")
    c.add_argument("adapter", help="a Python file (my_adapter.py) or module name defining the adapter dict")
    c.add_argument("--attribute", default="adapter", help="the adapter's name in that module (default: adapter)")
    c.add_argument("--steps", help="comma-separated steps to check (default: all the adapter maps)")
    c.add_argument("--option", action="append", metavar="KEY=VALUE",
                   help="override an adapter option: " + "; ".join(f"{k} ∈ {{{', '.join(v)}}}" for k, v in OPTIONS.items()))
    c.add_argument("--fixtures", help="the repository's Fixtures folder (default: found; or CMCONFORM_FIXTURES)")
    c.add_argument("--random", type=int, default=0, metavar="N",
                   help="also check N random inputs per step against `cm inspect` (needs cm)")
    c.add_argument("--seed", type=int, default=2023, help="seed of the random inputs (default 2023)")
    c.add_argument("--cm", help="path to the cm tool (default: $CMCONFORM_CM, then cm on PATH)")
    c.add_argument("--rtol", type=float, help="relative tolerance (default 1e-9, 1e-5 with --float32)")
    c.add_argument("--atol", type=float, help="absolute tolerance (default 1e-12, 1e-6 with --float32)")
    c.add_argument("--float32", action="store_true", help="tolerances for float32 code")
    p = sub.add_parser("probe", help="is your target-input builder CT, CD-Euler or CD-Heun?")
    p.add_argument("adapter")
    p.add_argument("--attribute", default="adapter")
    p.add_argument("--fixtures")
    p.add_argument("--float32", action="store_true")
    sub.add_parser("steps", help="list the steps and the signature each adapter function must have")
    sub.add_parser("variants", help="list the known variants the diagnosis can name")
    w = sub.add_parser("where", help="print the Fixtures folder the kit reads")
    w.add_argument("--fixtures")
    arguments = parser.parse_args(argv)
    try:
        if arguments.command == "steps":
            for name, s in STEPS.items():
                print(f"{name:24} {s['signature']}\n{'':24} {s['summary']}")
            print(f"{'target_input':24} target_input(x, z, t_n, t_n_plus_1[, denoiser]) -> x̂ or (x̂, t)\n"
                  f"{'':24} the CD-or-CT probe (see `cmconform probe`)")
            return 0
        if arguments.command == "variants":
            for name, (meaning, paper) in KNOWN.items():
                print(f"{name}\n  {meaning}\n  the paper: {paper}")
            return 0
        if arguments.command == "where":
            print(locate(arguments.fixtures))
            return 0
        adapter = load_adapter(arguments.adapter, arguments.attribute)
        if arguments.command == "probe":
            if "target_input" not in adapter:
                raise UsageError(f"ADAPTER {arguments.adapter!r} has no 'target_input' function to probe")
            options = adapter.get("options") or {}
            result = probe(adapter["target_input"], fixtures=arguments.fixtures,
                           expect=options.get("target"), float32=arguments.float32)
            print(result)
            return 0 if result.ok else 1
        overrides = parse_options(arguments.option)
        if overrides:
            adapter["options"] = {**(adapter.get("options") or {}), **overrides}
        steps = [s.strip() for s in arguments.steps.split(",") if s.strip()] if arguments.steps else None
        report = check(adapter, steps=steps, fixtures=arguments.fixtures, rtol=arguments.rtol,
                       atol=arguments.atol, float32=arguments.float32, random=arguments.random,
                       seed=arguments.seed, cm=arguments.cm)
        print(report)
        return 0 if report.ok else 1
    except (UsageError, FixtureError) as error:
        print(f"cmconform: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
