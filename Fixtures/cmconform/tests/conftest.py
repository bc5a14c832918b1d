import sys
from pathlib import Path

# The tests import reference_adapter.py from this folder; cmconform itself is the installed package
# (or, without an install, the source folder beside this one).
sys.path.insert(0, str(Path(__file__).resolve().parent))
try:
    import cmconform  # noqa: F401
except ImportError:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
