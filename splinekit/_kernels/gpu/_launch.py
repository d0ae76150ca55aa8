"""Launch helpers shared by every GPU kernel family: CuPy's stream and the grid size."""

from __future__ import annotations

import math

from numba import cuda

THREADS = 128  # threads per block for one-thread-per-item kernels


def stream():
    """CuPy's current stream as a numba-cuda stream (the default stream under the simulator)."""
    from ..._backend import simulator_enabled

    if simulator_enabled():
        return cuda.default_stream()
    import cupy

    return cuda.external_stream(cupy.cuda.get_current_stream().ptr)


def blocks(m, threads=THREADS):
    """Blocks needed for ``m`` items at ``threads`` per block (at least one)."""
    return max(1, math.ceil(m / threads))
