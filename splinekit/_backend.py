"""Array namespaces, device detection and kernel dispatch.

This is the only module that names CuPy.  Nothing here imports CuPy or numba.cuda at import
time: a NumPy caller never pays for (or sees) the GPU stack.

* :func:`array_namespace` returns ``numpy`` or ``cupy`` for the given arrays (CuPy arrays are
  recognised by their type's module, so CuPy is never imported to answer the question).
* :func:`kernels_for` returns the kernel module of a family (``"bspline"``, ...) for that
  namespace: ``_kernels.cpu.<family>`` (Numba) or ``_kernels.gpu.<family>`` (numba-cuda on CuPy
  arrays).  Both expose the same names and signatures.
* :func:`gpu_available` detects a usable CUDA device once, lazily, and caches the answer.
"""

from __future__ import annotations

import functools
import importlib
import os

import numpy as np

__all__ = ["array_namespace", "gpu_available", "kernels_for", "simulator_enabled", "to_numpy"]


def _is_cupy(a) -> bool:
    return type(a).__module__.split(".", 1)[0] == "cupy"


def array_namespace(*arrays):
    """Return the array module (``numpy`` or ``cupy``) of ``arrays``.

    Python scalars, lists and ``None`` count as NumPy.  Mixing NumPy and CuPy arrays raises
    ``TypeError``: splinekit never copies between host and device behind the caller's back.
    """
    kinds = {_is_cupy(a) for a in arrays if a is not None and hasattr(a, "shape")}
    if kinds == {True}:
        import cupy

        return cupy
    if kinds == {True, False}:
        raise TypeError(
            "arrays must all be NumPy or all be CuPy; got a mix (move them with cupy.asarray "
            "or cupy.asnumpy first)"
        )
    return np


def is_cupy_namespace(xp) -> bool:
    return getattr(xp, "__name__", "") == "cupy"


def simulator_enabled() -> bool:
    """True when numba-cuda's simulator is switched on (``NUMBA_ENABLE_CUDASIM=1``)."""
    return os.environ.get("NUMBA_ENABLE_CUDASIM", "0") == "1"


@functools.lru_cache(maxsize=1)
def gpu_available() -> bool:
    """True when CuPy is installed and can allocate on a CUDA device (checked once)."""
    try:
        import cupy

        cupy.zeros(1)
        return cupy.cuda.runtime.getDeviceCount() > 0
    except Exception:
        return False


def kernels_for(xp, family: str = "bspline"):
    """Kernel module of ``family`` for the namespace ``xp``.

    ``splinekit._kernels.cpu.<family>`` for NumPy, ``splinekit._kernels.gpu.<family>`` for CuPy;
    the two modules expose the same launcher names and signatures.
    """
    side = "gpu" if is_cupy_namespace(xp) else "cpu"
    return importlib.import_module(f"splinekit._kernels.{side}.{family}")


def to_numpy(a):
    """Host copy of a NumPy or CuPy array (explicit, for the few host-only steps)."""
    if _is_cupy(a):
        return a.get()
    return np.asarray(a)
