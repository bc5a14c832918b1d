"""cmconform: check your own consistency-model code (PyTorch, JAX, NumPy) against the golden
values of the ConsistencyModels repository, and have each mismatch diagnosed.

    import cmconform
    report = cmconform.check({"c_out": my_c_out, "target_ema": my_ema})
    print(report)

See `python -m cmconform steps` for every step's signature, and README.md.
"""

from .check import UsageError, check
from .fixtures import FixtureError, Fixtures, locate
from .probe import probe as cd_or_ct
from .steps import STEPS
from .variants import KNOWN as KNOWN_VARIANTS

__all__ = ["check", "cd_or_ct", "locate", "Fixtures", "FixtureError", "UsageError", "STEPS",
           "KNOWN_VARIANTS"]
__version__ = "0.1.0"
