"""“Is my loop CD or CT?”: probe a function that builds the target input x̂_{t_n}.

The builder is called as ``build(x, z, t_n, t_n_plus_1)`` or, if it takes a fifth argument,
``build(x, z, t_n, t_n_plus_1, denoiser)``. It returns x̂_{t_n}, or the pair
``(x̂_{t_n}, t)`` with t the noise level at which it then calls the target network.

It is handed ring8's exact denoiser, which is *not* the data point, so the three answers differ:

  CT        x̂ = x + t_n·z                                   (CM Alg. 3)
  CD-Euler  one Euler step of dx/dt = (x − D(x, t))/t from x + t_{n+1}·z down to t_n (CM Alg. 2)
  CD-Heun   one Heun step of the same ODE

CT is CD-Euler with the one-sample denoiser D := x, so with that denoiser they would coincide.

The seed pseudocode's typo, teacher_model(current_noisy_data, next_sigmas), changes only the noise
level at which the target network is called, not x̂: it is visible only if the builder returns
(x̂, t), or in the target_prediction step.
"""

import inspect

import numpy as np

from . import formulas as fm
from .fixtures import Fixtures, FixtureError

LABELS = {"ct": "CT", "cd_euler": "CD-Euler", "cd_heun": "CD-Heun"}
EXPECT = {"ct": "CT", "cd-euler": "CD-Euler", "cd-heun": "CD-Heun"}


def ring8_denoiser(fixtures):
    """ring8's exact denoiser from the fixture's mixture parameters, itself checked against the
    fixture's sample values before use."""
    data = fixtures("ring8_denoiser")["cases"]
    m = data["mixture"]
    D = fm.mixture_denoiser(m["weights"], m["means"], m["stds"])
    for i, c in enumerate(data["denoiser"]):
        got, want = D(np.asarray(c["x"]), c["t"]), np.asarray(c["denoiser"])
        if not np.all(np.abs(got - want) <= 1e-12 + 1e-12 * np.abs(want)):
            raise FixtureError(f"ring8_denoiser.json denoiser case {i}: the kit's mixture denoiser gives "
                               f"{got.tolist()}, the generator {want.tolist()}")
    return D


def takes_denoiser(build):
    try:
        parameters = list(inspect.signature(build).parameters.values())
    except (TypeError, ValueError):
        return None
    if any(p.kind == p.VAR_POSITIONAL for p in parameters):
        return True
    return sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in parameters) >= 5


class ProbeResult:
    def __init__(self):
        self.verdict = "none of these"
        self.distances = {}      # candidate -> largest relative difference over the cases
        self.separation = 0.0    # smallest, over candidate pairs, of their largest difference
        self.noise_level = None  # "t_n", "t_n_plus_1", "other" or None (builder returned x̂ only)
        self.uses_denoiser = False
        self.cases = 0
        self.expect = None
        self.tolerance = 0.0
        self.error = None        # what went wrong calling the builder, with the inputs

    @property
    def ok(self):
        if self.error:
            return False
        return self.expect is None or (self.verdict.split(",")[0] == EXPECT[self.expect]
                                       and self.noise_level in (None, "t_n"))

    def lines(self):
        if self.error:
            return ["ERROR target_input: " + self.error.splitlines()[0]] + ["      " + l for l in self.error.splitlines()[1:]]
        head = "CD?" if self.expect is None else ("PASS" if self.ok else "FAIL")
        out = [f"{head:5} target_input  ({self.cases} probes with ring8's exact denoiser): {self.verdict}"]
        out.append("      largest relative difference from each candidate x̂_{t_n} "
                   f"(tolerance {self.tolerance:g}; the candidates differ from each other by ≥ {self.separation:.3g}):")
        for name, value in self.distances.items():
            out.append(f"        {LABELS[name]:9} {value:.3e}")
        if not self.uses_denoiser:
            out.append("      your builder takes no denoiser (4 arguments): it cannot be CD")
        if self.noise_level is None:
            out.append("      the seed typo (teacher at next_sigmas) changes the noise level of the target network, "
                       "not x̂: return (x̂, t) from the builder, or check the target_prediction step, to test it")
        elif self.noise_level == "t_n":
            out.append("      target network called at t_n, as CM Algs. 2–3")
        elif self.noise_level == "t_n_plus_1":
            out.append("      target network called at t_{n+1}: the seed pseudocode's typo "
                       "teacher_model(current_noisy_data, next_sigmas); CM Algs. 2–3 call it at t_n")
        else:
            out.append("      target network called at a noise level that is neither t_n nor t_{n+1}")
        if self.expect is not None and not self.ok:
            out.append(f"      options target={self.expect!r} declared {EXPECT[self.expect]}")
        return out

    def __str__(self):
        return "\n".join(self.lines())


def probe(build, fixtures=None, expect=None, float32=False):
    """Classify the target-input builder as CT, CD-Euler, CD-Heun or none of these (see module doc).
    An exception raised by the builder, or an output of the wrong shape, is reported in the result
    (verdict 'error', ok False) with the inputs of the probe that caused it."""
    try:
        return classify(build, fixtures, expect, float32)
    except FixtureError:
        raise
    except _BuilderError as failure:
        result = ProbeResult()
        result.expect = expect
        result.verdict = "error"
        result.error = str(failure)
        return result


class _BuilderError(Exception):
    pass


def call_builder(build, arguments, case_number):
    try:
        return build(*arguments)
    except TypeError:
        raise
    except Exception as error:
        names = ["x", "z", "t_n", "t_n_plus_1", "denoiser"]
        inputs = "\n".join(f"  {n} = {a if n != 'denoiser' else 'ring8 exact denoiser'}"
                            for n, a in zip(names, arguments))
        raise _BuilderError(f"probe {case_number}: your builder raised {type(error).__name__}: {error}\n{inputs}") from None


def classify(build, fixtures, expect, float32):
    fixtures = fixtures if isinstance(fixtures, Fixtures) else Fixtures(fixtures)
    D = ring8_denoiser(fixtures)
    cases = fixtures("ring8_denoiser")["cases"]["probe"]
    result = ProbeResult()
    result.expect = expect
    result.tolerance = 1e-5 if float32 else 1e-9
    with_denoiser = takes_denoiser(build)
    result.uses_denoiser = bool(with_denoiser)
    largest = {name: 0.0 for name in LABELS}
    levels = set()
    for number, c in enumerate(cases):
        x, z = np.asarray(c["x"]), np.asarray(c["z"])
        arguments = (x, z, c["t_n"], c["t_n_plus_1"])
        try:
            if with_denoiser is None:  # no signature to read: try with the denoiser, then without
                try:
                    out = call_builder(build, arguments + (D,), number)
                    result.uses_denoiser = True
                except TypeError:
                    out = call_builder(build, arguments, number)
            else:
                out = call_builder(build, arguments + (D,) if with_denoiser else arguments, number)
        except TypeError as error:
            raise _BuilderError(f"probe {number}: calling your builder raised TypeError: {error}") from None
        if isinstance(out, (tuple, list)) and len(out) == 2 and np.size(fm.as_array(out[1])) == 1:
            x_hat, t = fm.as_array(out[0]).reshape(-1), float(fm.as_array(out[1]).reshape(-1)[0])
            levels.add("t_n" if abs(t - c["t_n"]) <= 1e-12 * c["t_n"] else
                       "t_n_plus_1" if abs(t - c["t_n_plus_1"]) <= 1e-12 * c["t_n_plus_1"] else "other")
        else:
            x_hat = fm.as_array(out).reshape(-1)
            levels.add(None)
        for name in LABELS:
            want = np.asarray(c[name])
            if x_hat.shape != want.shape:
                raise _BuilderError(f"probe {number}: your builder returned shape {x_hat.shape}; "
                                    f"expected x̂ of shape {want.shape} (or the pair (x̂, t))")
            largest[name] = max(largest[name], float(np.max(np.abs(x_hat - want)) / max(1.0, np.max(np.abs(want)))))
        result.cases += 1
    result.distances = largest
    result.separation = min(
        max(float(np.max(np.abs(np.asarray(c[a]) - np.asarray(c[b]))) / max(1.0, np.max(np.abs(np.asarray(c[b])))))
            for c in cases)
        for a in LABELS for b in LABELS if a < b)
    result.noise_level = levels.pop() if len(levels) == 1 else "other"
    matches = [name for name, value in largest.items() if value <= result.tolerance]
    if matches:
        result.verdict = LABELS[min(matches, key=lambda n: largest[n])]
        if result.noise_level == "t_n_plus_1":
            result.verdict += ", with the seed typo (target network at next_sigmas)"
    else:
        nearest = min(largest, key=largest.get)
        result.verdict = f"none of these (nearest: {LABELS[nearest]}, {largest[nearest]:.3g} away)"
    return result
