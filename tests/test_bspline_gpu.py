"""GPU B-spline kernels: the simulator runs them on NumPy arrays and must match the CPU kernels;
on a real device (``SPLINEKIT_REAL_GPU=1``, marked ``gpu``) the public API runs on CuPy arrays."""

import numpy as np
import pytest

import splinekit as sk
from splinekit import _backend
from splinekit._kernels.cpu import bspline as cpu
from splinekit.basis import span_table, uniform_inv_h

pytestmark = pytest.mark.cudasim


def _case(rng, k, uniform):
    t = sk.knots.uniform(0, 1, 6, k) if uniform else np.sort(rng.uniform(0, 1, 2 * k + 8))
    return t, len(t) - k - 1


@pytest.mark.parametrize("k", [0, 1, 3, 5])
@pytest.mark.parametrize("uniform", [False, True])
def test_gpu_evaluate_matches_cpu_under_simulator(gpu_kernels, rng, k, uniform):
    gpu = gpu_kernels("bspline")
    t, n = _case(rng, k, uniform)
    c = rng.standard_normal((n, 2))
    x = np.r_[rng.uniform(t[0] - 0.2, t[-1] + 0.2, 37), np.nan, t[k], t[n]]
    inv_h, table = uniform_inv_h(t, k), span_table(t, k)
    for nu in (0, 1, k + 1):
        for mode in (0, 1, 2):
            o_cpu = np.empty((x.size, 2))
            o_gpu = np.empty((x.size, 2))
            cpu.evaluate(t, c, k, x, nu, mode, inv_h, table, o_cpu)
            gpu.evaluate(t, c, k, x, nu, mode, inv_h, table, o_gpu)
            # same scalar code; the GPU scratch is float64 like the CPU's here: bitwise equal
            np.testing.assert_array_equal(o_gpu, o_cpu)


def test_gpu_basis_matches_cpu_under_simulator(gpu_kernels, rng):
    gpu = gpu_kernels("bspline")
    k = 3
    t, n = _case(rng, k, False)
    x = rng.uniform(t[k], t[n], 29)
    outs = []
    for mod in (cpu, gpu):
        out = np.empty((3, x.size, k + 1))
        first = np.empty(x.size, dtype=np.int64)
        mod.basis(t, k, x, 0, 0, 0.0, out, first)
        outs.append((out, first))
    np.testing.assert_array_equal(outs[0][0], outs[1][0])
    np.testing.assert_array_equal(outs[0][1], outs[1][1])


@pytest.mark.gpu
def test_cupy_in_cupy_out_real_device(rng):
    cp = pytest.importorskip("cupy")
    t = sk.knots.uniform(0, 1, 100, 3)
    c = rng.standard_normal(103)
    x = rng.random(10_000)
    s_cpu = sk.BSpline(t, c, 3)
    s_gpu = sk.BSpline(cp.asarray(t), cp.asarray(c), 3)
    y = s_gpu(cp.asarray(x), nu=1)
    assert isinstance(y, cp.ndarray)
    np.testing.assert_allclose(cp.asnumpy(y), s_cpu(x, nu=1), rtol=1e-12, atol=1e-10)
    A = sk.design_matrix(cp.asarray(x[:100]), cp.asarray(t), 3)
    np.testing.assert_allclose(A.toarray().get(), sk.design_matrix(x[:100], t, 3).toarray())
    s32 = sk.BSpline(cp.asarray(t), cp.asarray(c, dtype=cp.float32), 3)
    assert s32(cp.asarray(x, dtype=cp.float32)).dtype == cp.float32
    assert _backend.gpu_available()
