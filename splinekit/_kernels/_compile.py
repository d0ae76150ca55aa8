"""Compile the plain-Python scalar routines twice: once for the CPU, once for the GPU.

The scalar modules under ``_kernels/scalar`` are plain Python.  A routine there calls its
siblings by their global names.  :func:`compile_module` copies each function with a fresh
globals dictionary in which every sibling name is bound to its *compiled* twin, then compiles
it with the given decorator.  So ``numba.njit`` and ``numba.cuda.jit(device=True)`` see the same
source text and each sees only compiled callees.

JIT options live here and only here.
"""

from __future__ import annotations

import functools
import os
import types

# CPU: released GIL, on-disk cache; fastmath off (tests compare to a few ulps).
CPU_OPTIONS = dict(nogil=True, cache=True, fastmath=False, error_model="numpy")
CPU_PARALLEL_OPTIONS = dict(CPU_OPTIONS, parallel=True)
# The rational family's loops also let LLVM fuse a * b + c into one FMA (no other fast-math
# flag: no reassociation, NaN/inf kept): 20% faster on the grouped-rational gradients, one
# rounding fewer per Horner step; the real GPU contracts the same way by default.
CPU_FMA_OPTIONS = dict(CPU_OPTIONS, fastmath={"contract"})
CPU_FMA_PARALLEL_OPTIONS = dict(CPU_FMA_OPTIONS, parallel=True)


def compile_module(module, decorator):
    """Return a namespace of ``module``'s public functions compiled with ``decorator``."""
    funcs = {
        name: obj
        for name, obj in vars(module).items()
        if isinstance(obj, types.FunctionType)
        and obj.__module__ == module.__name__
        and not name.startswith("_")
    }
    ns = dict(vars(module))  # constants (MAXK, ...) and imports (math) stay visible
    compiled = {}
    for name, f in funcs.items():
        g = types.FunctionType(f.__code__, ns, name, f.__defaults__, f.__closure__)
        g.__qualname__ = f.__qualname__
        g.__module__ = f.__module__
        compiled[name] = decorator(g)
    ns.update(compiled)
    return types.SimpleNamespace(**compiled)


def specialize(func, decorator, suffix, **constants):
    """Compile a copy of ``func`` whose globals also bind ``constants``.

    Numba freezes global ints as compile-time constants, so a launcher that starts with
    ``if _K >= 0: k = _K`` becomes, in the copy with ``_K=3``, a cubic kernel whose inner loops
    LLVM unrolls (about 2x faster on the CPU than a runtime degree, measured).  The copy gets
    its own ``__qualname__`` so that each has its own on-disk cache entry.
    """
    ns = dict(func.__globals__)
    ns.update(constants)
    g = types.FunctionType(
        func.__code__, ns, func.__name__ + suffix, func.__defaults__, func.__closure__
    )
    g.__qualname__ = func.__qualname__ + suffix
    g.__module__ = func.__module__
    return decorator(g)


class DegreeSpecialized:
    """Launcher twins specialised for the common cases, a degree ``k <= kmax`` and a derivative
    order ``nu <= numax`` (both frozen: the Cox-de Boor loops then run a known ``k - nu`` and
    ``nu`` times and LLVM unrolls them), compiled lazily on first use and cached on disk, plus
    the generic twin for everything else; ``self[k, nu]`` returns the right one.  Measured on
    the cubic uniform case, the frozen twin is about 2.5x faster than the generic one.  The
    bounds keep the number of compilations small (each costs about a second, once).

    The plain-extrapolation mode (0) is frozen too (``_MODE``): the periodic and NaN branches
    then vanish from the loop (about 25% on the cubic uniform case, measured); other modes
    share a twin with a runtime mode.

    The launcher source must start with ``if _K >= 0: k = _K; nu = _NU`` and
    ``if _MODE >= 0: mode = _MODE``.
    """

    def __init__(self, func, options, kmax=3, numax=1):
        from numba import njit

        self._func, self._options, self._kmax, self._numax = func, options, kmax, numax
        self._compiled = {}
        self._generic = specialize(func, njit(**options), "_kany", _K=-1, _NU=-1, _MODE=-1)

    @property
    def generic(self):
        return self._generic

    def __getitem__(self, key):
        k, nu, mode = key
        if k > self._kmax or nu > min(k, self._numax):
            return self._generic
        frozen = 0 if mode == 0 else -1
        f = self._compiled.get((k, nu, frozen))
        if f is None:
            from numba import njit

            suffix = f"_k{k}_nu{nu}" + ("_m0" if frozen == 0 else "")
            f = specialize(self._func, njit(**self._options), suffix, _K=k, _NU=nu, _MODE=frozen)
            self._compiled[k, nu, frozen] = f
        return f


def cpu_compile(module, inline="always"):
    """Scalar routines as Numba CPU functions.

    ``inline="always"`` (default) inlines them into the launchers at Numba's IR level, which the
    B-spline launchers need for speed; ``inline="never"`` leaves inlining to LLVM and compiles
    much faster for large routines called from many places (the fractional family).
    """
    from numba import njit

    # No cache here: the cached launchers carry their inlined callees.
    return compile_module(
        module, njit(nogil=True, fastmath=False, error_model="numpy", inline=inline)
    )


def gpu_compile(module):
    """Scalar routines as CUDA device functions (numba-cuda; the simulator when enabled)."""
    from numba import cuda

    return compile_module(module, cuda.jit(device=True))


@functools.cache
def _sources_stamp(family):
    """(name, mtime, size) of the sources a launcher of ``family`` inlines: its family's scalar,
    CPU and GPU files, the shared B-spline scalar routines and this file.  Numba's own stamp
    covers only the launcher's file, so an edit to a scalar routine would leave stale machine
    code in the cache; an edit in another family does not invalidate this one."""
    root = os.path.dirname(os.path.abspath(__file__))
    names = ["_compile.py", "scalar/bspline.py", "gpu/_launch.py"]
    names += [f"{side}/{family}.py" for side in ("scalar", "cpu", "gpu")]
    stamp = []
    for name in sorted(set(names)):
        path = os.path.join(root, name)
        if os.path.exists(path):
            st = os.stat(path)
            stamp.append((name, st.st_mtime, st.st_size))
    return tuple(stamp)


def _install_cache_locator():
    """Put a locator for splinekit's kernels first in Numba's list (applies to nothing else)."""
    from numba.core import caching

    base = getattr(caching, "InTreeCacheLocator", None) or caching._InTreeCacheLocator
    root = os.path.dirname(os.path.abspath(__file__))

    class SplinekitKernelLocator(base):
        @classmethod
        def from_function(cls, py_func, py_file):
            if not os.path.abspath(py_file).startswith(root):
                return None
            return super().from_function(py_func, py_file)

        def get_source_stamp(self):
            return _sources_stamp(os.path.splitext(os.path.basename(self._py_file))[0])

    impl = getattr(caching, "CacheImpl", None) or caching._CacheImpl
    if not any(c.__name__ == "SplinekitKernelLocator" for c in impl._locator_classes):
        impl._locator_classes = [SplinekitKernelLocator, *impl._locator_classes]


_install_cache_locator()
