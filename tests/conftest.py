"""Test configuration.

GPU kernels run under numba-cuda's simulator unless ``SPLINEKIT_REAL_GPU=1`` (set on a machine
with a CUDA device to run the ``gpu``-marked tests on the real thing).  The switch must be set
before numba is imported, hence here, at the top.
"""

import os

if os.environ.get("SPLINEKIT_REAL_GPU") != "1":
    os.environ.setdefault("NUMBA_ENABLE_CUDASIM", "1")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

# CI draws the same examples every run (a red CI is then reproducible); local runs explore.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

from splinekit import _backend  # noqa: E402


def pytest_collection_modifyitems(config, items):
    if _backend.simulator_enabled() or not _backend.gpu_available():
        skip = pytest.mark.skip(reason="needs a real CUDA device (set SPLINEKIT_REAL_GPU=1)")
        for item in items:
            if "gpu" in item.keywords:
                item.add_marker(skip)


@pytest.fixture
def rng():
    return np.random.default_rng(20261203)


@pytest.fixture
def gpu_kernels():
    """The GPU kernel modules, run under the simulator on NumPy arrays (skip if unavailable)."""
    if not _backend.simulator_enabled():
        pytest.skip("simulator not enabled")
    pytest.importorskip("numba.cuda")
    import importlib

    return lambda family: importlib.import_module(f"splinekit._kernels.gpu.{family}")
