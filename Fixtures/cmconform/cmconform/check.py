"""Running the user's functions on every case of each step, and diagnosing what fails."""

import math
import os
import shutil
import traceback

import numpy as np

from . import formulas as fm
from .fixtures import Fixtures
from .steps import STEPS, CMError
from .variants import KNOWN

FLOAT64 = (1e-9, 1e-12)  # rtol, atol: float64 code that orders operations differently passes
FLOAT32 = (1e-5, 1e-6)   # for float32 code (PyTorch's default dtype)
OPTIONS = {"karras_order": ("ascending", "descending"), "mu_form": ("paper", "official"),
           "c_noise": ("edm", "official"), "loss_metric": ("squared_l2", "l1", "pseudo_huber"),
           "loss_weighting": ("uniform", "ict"), "target": ("ct", "cd-euler", "cd-heun")}


class UsageError(Exception):
    """A bad argument: the message names the parameter and what is allowed."""


class Context:
    def __init__(self, adapter, fixtures, options, rtol, atol, random, seed, cm):
        self.adapter, self.fixtures, self.options = adapter, fixtures, options
        self.rtol, self.atol, self.random, self.cm = rtol, atol, random, cm
        self.rng = np.random.default_rng(seed)


def normalise(raw, expected):
    """The user's output as float64 arrays shaped like the expected value (a (1, D) batch of one
    is accepted for (D,)); a ValueError says what does not fit."""
    if isinstance(expected, tuple):
        if not isinstance(raw, (tuple, list)) or len(raw) != len(expected):
            raise ValueError(f"expected a tuple of {len(expected)} arrays, got {type(raw).__name__}")
        return tuple(normalise(g, e) for g, e in zip(raw, expected))
    got = fm.as_array(raw)
    shape = np.shape(expected)
    if got.shape != shape:
        if got.size != int(np.prod(shape)):
            raise ValueError(f"expected shape {shape}, got shape {got.shape}")
        got = got.reshape(shape)
    return got


def close(got, value, rtol, atol, integer=False):
    if isinstance(value, tuple):
        return all(close(g, v, rtol, atol, integer) for g, v in zip(got, value))
    value = np.asarray(value, dtype=np.float64)
    if got.shape != value.shape or not np.all(np.isfinite(got)):
        return False
    if integer:
        return bool(np.array_equal(got, value))
    return bool(np.all(np.abs(got - value) <= atol + rtol * np.abs(value)))


def fmt(value, limit=8):
    if isinstance(value, tuple):
        return "(" + ", ".join(fmt(v, limit) for v in value) + ")"
    if isinstance(value, str):
        return value
    a = np.asarray(value)
    if a.ndim == 0:
        return repr(a.item())
    flat = a.ravel()
    text = "[" + ", ".join(repr(v.item()) for v in flat[:limit])
    text += f", … ({flat.size} values)]" if flat.size > limit else "]"
    return text if a.ndim == 1 else f"{text} (shape {a.shape})"


def first_difference(got, expected):
    """Index, got and expected of the first differing entry, for long arrays."""
    if isinstance(expected, tuple):
        for k, (g, e) in enumerate(zip(got, expected)):
            if not np.array_equal(g, np.asarray(e)):
                index, gv, ev = first_difference(g, e)
                return f"[{k}]{index}", gv, ev
        return "", None, None
    g, e = np.ravel(got), np.ravel(np.asarray(expected, dtype=np.float64))
    if g.size <= 1:
        return "", None, None
    differing = np.nonzero(g != e)[0]
    i = int(differing[0]) if differing.size else 0
    return f"[{i}]", g[i], e[i]


class StepResult:
    def __init__(self, name):
        self.name = name
        self.status = "pass"        # pass, fail, error, skipped
        self.cases = 0
        self.failed = 0
        self.conventions = {}       # accepted alternative name -> number of cases
        self.diagnoses = []         # (variant name, detail)
        self.first_failure = None   # (case, got)
        self.error = None           # text
        self.note = ""

    def lines(self):
        head = {"pass": "PASS", "fail": "FAIL", "error": "ERROR", "skipped": "SKIP"}[self.status]
        text = f"{head:5} {self.name}"
        if self.status in ("pass", "fail"):
            text += f"  ({self.cases} cases" + (f", {self.failed} differ" if self.failed else "") + ")"
        if self.note:
            text += f"  {self.note}"
        out = [text]
        for name, count in self.conventions.items():
            out.append(f"      accepted convention: {name} ({count} cases)")
        if self.error:
            out += ["      " + line for line in self.error.splitlines()]
        for name, detail in self.diagnoses:
            base = name.split(":")[0]
            meaning, paper = KNOWN[base]
            out.append(f"      diagnosis: {name}")
            if detail:
                out.append(f"        {detail}")
            out.append(f"        what it means: {meaning}")
            out.append(f"        the paper: {paper}")
        if self.status == "fail" and not self.diagnoses and self.first_failure:
            case, got = self.first_failure
            out.append("      no known variant matches; first differing case: " + case.source)
            for key, value in case.inputs.items():
                out.append(f"        {key} = {fmt(value)}")
            out.append(f"        expected = {fmt(case.expected)}")
            out.append(f"        got      = {fmt(got)}")
            index, g, e = first_difference(got, case.expected)
            if index and g is not None:
                out.append(f"        first difference at {index}: got {float(g)!r}, expected {float(e)!r}")
        return out


def infer_pseudo_huber_c(results, rtol):
    """If every failing pseudo-Huber value is √(‖x − y‖² + ĉ²) − ĉ for one ĉ per dimension D,
    solve for ĉ: v = √(n² + c²) − c ⇔ c = (n² − v²)/(2v)."""
    by_D = {}
    for case, got in results:
        x, y = case.inputs["x"], case.inputs["y"]
        n2, v = float(np.sum((x - y) ** 2)), float(got)
        if v > 0 and n2 > 1e-8:
            by_D.setdefault(x.size, []).append((n2 - v * v) / (2 * v))
    if not by_D:
        return None
    c_hat = {D: float(np.median(values)) for D, values in by_D.items()}
    for case, got in results:
        D = case.inputs["x"].size
        if D not in c_hat or c_hat[D] <= 0:
            return None
        if abs(fm.pseudo_huber(case.inputs["x"], case.inputs["y"], c_hat[D]) - float(got)) > 1e-6 * abs(float(got)) + 1e-15:
            return None
    return c_hat


def name_c(c, D):
    for label, wrong in {"0.00054·√D (right)": lambda D: 0.00054 * math.sqrt(D),
                         "0.00054 (√D forgotten)": lambda D: 0.00054,
                         "0.00054·D": lambda D: 0.00054 * D,
                         "0.03 (iCT's CIFAR-10 value)": lambda D: 0.00054 * math.sqrt(3072)}.items():
        if abs(c - wrong(D)) <= 1e-4 * wrong(D):
            return label
    return "not a known value"


def run_step(name, fn, ctx):
    result = StepResult(name)
    try:
        cases = STEPS[name]["cases"](ctx)
    except CMError as error:
        result.status, result.error = "error", f"--random: {error}"
        return result
    outputs = []
    for case in cases:
        try:
            got = normalise(case.call(fn), case.expected)
        except Exception as error:  # the user's code: report, with the inputs that broke it
            result.status = "error"
            lines = [f"{case.source}: your function raised {type(error).__name__}: {error}"]
            lines += [f"  {k} = {fmt(v)}" for k, v in case.inputs.items()]
            lines += ["  " + l for l in traceback.format_exc().rstrip().splitlines()[-3:]]
            result.error = "\n".join(lines)
            result.cases = len(cases)
            return result
        outputs.append((case, got))
    result.cases = len(cases)
    failing = []
    for case, got in outputs:
        if close(got, case.expected, ctx.rtol, ctx.atol, case.integer):
            continue
        accepted = [k for k, v in case.accept.items() if close(got, v, ctx.rtol, ctx.atol, case.integer)]
        if accepted:
            result.conventions[accepted[0]] = result.conventions.get(accepted[0], 0) + 1
            continue
        failing.append((case, got))
    result.failed = len(failing)
    if not failing:
        return result
    result.status = "fail"
    result.first_failure = failing[0]
    names = set().union(*(case.variants for case, _ in failing))
    for variant in sorted(names):
        if all(variant in case.variants for case, _ in failing) and all(
                close(got, case.variants[variant], ctx.rtol, ctx.atol, case.integer)
                for case, got in outputs if variant in case.variants):
            result.diagnoses.append((variant, ""))
    if name == "pseudo_huber" and not any(n == "elementwise_pseudo_huber" for n, _ in result.diagnoses):
        c_hat = infer_pseudo_huber_c(outputs, ctx.rtol)
        if c_hat:
            detail = "; ".join(f"D = {D}: your c = {c:.6g}, iCT's 0.00054·√D = {0.00054 * math.sqrt(D):.6g} "
                               f"[{name_c(c, D)}]" for D, c in sorted(c_hat.items())
                               if name_c(c, D) != "0.00054·√D (right)")
            result.diagnoses.append(("wrong_pseudo_huber_c", detail))
    return result


class Report:
    def __init__(self, results, probe=None, fixtures_folder=None):
        self.results, self.probe, self.fixtures_folder = results, probe, fixtures_folder

    @property
    def ok(self):
        return all(r.status in ("pass", "skipped") for r in self.results) and (
            self.probe is None or self.probe.ok)

    def diagnosed(self, step=None):
        """The variant names diagnosed (for one step, or all), e.g. {'swapped_ema'}."""
        return {n.split(":")[0] for r in self.results if step in (None, r.name) for n, _ in r.diagnoses}

    def __getitem__(self, name):
        return next(r for r in self.results if r.name == name)

    def __str__(self):
        lines = [f"cmconform: fixtures in {self.fixtures_folder}"]
        for r in self.results:
            lines += r.lines()
        if self.probe is not None:
            lines += self.probe.lines()
        passed = sum(r.status == "pass" for r in self.results)
        failed = sum(r.status in ("fail", "error") for r in self.results)
        skipped = sum(r.status == "skipped" for r in self.results)
        tail = f"steps: {passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else "")
        if self.probe is not None:
            tail += f"; CD or CT: {self.probe.verdict}"
        return "\n".join(lines + [tail])


def adapter_dict(adapter):
    if isinstance(adapter, dict):
        return dict(adapter)
    return {k: getattr(adapter, k) for k in dir(adapter) if not k.startswith("_")}


def validate(adapter, steps, options, rtol, atol, random, cm):
    known = set(STEPS) | {"target_input", "options"}
    unknown = sorted(k for k in adapter if k not in known)
    if unknown:
        raise UsageError(f"adapter: unknown step(s) {', '.join(unknown)}; the steps are "
                         f"{', '.join(list(STEPS) + ['target_input'])}")
    for key, value in adapter.items():
        if key != "options" and not callable(value):
            raise UsageError(f"adapter[{key!r}] must be a function, got {type(value).__name__}")
    for key, value in options.items():
        if key not in OPTIONS:
            raise UsageError(f"options: unknown option {key!r}; the options are {', '.join(OPTIONS)}")
        if value not in OPTIONS[key]:
            raise UsageError(f"options[{key!r}] = {value!r}; allowed: {', '.join(OPTIONS[key])}")
    for step in steps or []:
        if step not in STEPS and step != "target_input":
            raise UsageError(f"steps: unknown step {step!r}; the steps are {', '.join(list(STEPS) + ['target_input'])}")
    if not (isinstance(rtol, (int, float)) and 0 <= rtol < 1 and math.isfinite(rtol)):
        raise UsageError(f"rtol = {rtol!r}; allowed: 0 ≤ rtol < 1")
    if not (isinstance(atol, (int, float)) and 0 <= atol < 1 and math.isfinite(atol)):
        raise UsageError(f"atol = {atol!r}; allowed: 0 ≤ atol < 1")
    if not (isinstance(random, int) and 0 <= random <= 100000):
        raise UsageError(f"random = {random!r}; allowed: an integer 0 … 100000")


def find_cm(cm):
    """`cm` from the argument, $CMCONFORM_CM, or PATH; None if none."""
    for candidate in [cm, os.environ.get("CMCONFORM_CM"), shutil.which("cm")]:
        if candidate:
            return candidate
    return None


def check(adapter, steps=None, fixtures=None, options=None, rtol=None, atol=None, float32=False,
          random=0, seed=2023, cm=None):
    """Check each step the adapter maps (or those named in ``steps``) on every fixture case.

    adapter   dict: step name → your function (see `cmconform steps`), and optionally
              'options': {'karras_order', 'mu_form', 'c_noise', 'loss_metric', 'loss_weighting',
              'target'}; 'target_input' runs the CD-or-CT probe
    fixtures  the repository's Fixtures folder (default: found, see cmconform.fixtures)
    rtol/atol tolerances (default 1e-9/1e-12, or 1e-5/1e-6 with float32=True)
    random    also check this many random inputs per step against `cm inspect` (needs cm)
    Returns a Report; ``print(report)``, ``report.ok``, ``report.diagnosed()``.
    """
    from .probe import probe as run_probe

    adapter = adapter_dict(adapter)
    options = dict(adapter.pop("options", {}) or {})
    default_rtol, default_atol = FLOAT32 if float32 else FLOAT64
    rtol = default_rtol if rtol is None else rtol
    atol = default_atol if atol is None else atol
    validate(adapter, steps, options, rtol, atol, random, cm)
    cm_path = find_cm(cm)
    if random and cm_path is None:
        raise UsageError("random: needs the cm tool (build it with swift build --product cm), on PATH, "
                         "or given by --cm PATH / cm= / CMCONFORM_CM")
    context = Context(adapter, fixtures if isinstance(fixtures, Fixtures) else Fixtures(fixtures), options, rtol, atol, random, seed, cm_path)
    wanted = steps or [s for s in list(STEPS) + ["target_input"] if s in adapter]
    if not wanted:
        raise UsageError(f"adapter maps no step; the steps are {', '.join(list(STEPS) + ['target_input'])}")
    results = []
    for name in wanted:
        if name == "target_input":
            continue
        if name not in adapter:
            r = StepResult(name)
            r.status, r.note = "skipped", "(not in the adapter)"
            results.append(r)
            continue
        r = run_step(name, adapter[name], context)
        if random and STEPS[name]["random"]:
            r.note = f"(with {random} random cases from cm inspect)"
        elif random:
            r.note = "(cm inspect has no subcommand for this step: fixture cases only)"
        results.append(r)
    probe_result = None
    if "target_input" in wanted:
        if "target_input" not in adapter:
            raise UsageError("steps: target_input named but the adapter has no 'target_input'")
        probe_result = run_probe(adapter["target_input"], fixtures=context.fixtures,
                                 expect=options.get("target"), float32=float32)
    return Report(results, probe_result, context.fixtures.folder)

