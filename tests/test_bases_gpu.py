"""GPU kernels of the truncated-power and rational families, run under the CUDA simulator
(tests/conftest.py) on small NumPy arrays and compared with the CPU kernels; and the same public
calls on CuPy arrays on a real device (``gpu`` mark)."""

import numpy as np
import pytest

from splinekit._kernels.cpu import rational as cpu_rational
from splinekit._kernels.cpu import truncated_power as cpu_tp

EPS = np.finfo(np.float64).eps


def test_truncated_power_design_kernel_matches_cpu(gpu_kernels, rng):
    gpu = gpu_kernels("truncated_power")
    x = rng.uniform(-1.5, 1.5, 12)
    tau = np.array([-0.5, 0.0, 0.5])
    for nu in (0, 2, 4):
        a, b = np.empty((12, 7)), np.empty((12, 7))
        cpu_tp.design(x, tau, 3, nu, a)
        gpu.design(x, tau, 3, nu, b)
        np.testing.assert_array_equal(a, b)  # same scalar code, same operation order


@pytest.mark.parametrize("kind", [0, 1, 2, 3])
def test_rational_kernels_match_cpu(gpu_kernels, rng, kind):
    gpu = gpu_kernels("rational")
    G, lg, R = 2, 3, 2  # 12 points, 2 groups of channels
    N = G * lg * R
    x, gy = rng.standard_normal(N), rng.standard_normal(N)
    a, b = rng.standard_normal(4), 0.5 * rng.standard_normal((G, 3))
    c0 = 0.1 if kind == 3 else 1.0
    for nu in (0, 1):
        o1, o2 = np.empty(N), np.empty(N)
        cpu_rational.evaluate(x, a, b, kind, lg, nu, 1.0, c0, o1)
        gpu.evaluate(x, a, b, kind, lg, nu, 1.0, c0, o2)
        # same scalar code; the CPU loops fuse multiply-adds (FMA), the simulator does not:
        # a rounding or two of the Horner terms (bounded by the largest value here)
        np.testing.assert_allclose(o2, o1, rtol=0, atol=16 * EPS * np.abs(o1).max())
    r = [np.empty(N), np.zeros(4), np.zeros((G, 3))]
    q = [np.empty(N), np.zeros(4), np.zeros((G, 3))]
    cpu_rational.gradients(x, gy, a, b, kind, lg, 1.0, c0, *r)
    gpu.gradients(x, gy, a, b, kind, lg, 1.0, c0, *q)
    np.testing.assert_allclose(q[0], r[0], rtol=0, atol=16 * EPS * np.abs(r[0]).max())
    # the two reductions sum in different orders: a few ulps of the sum of magnitudes
    for u, v in zip(r[1:], q[1:], strict=True):
        np.testing.assert_allclose(v, u, rtol=0, atol=1e-14 * (1 + np.abs(u).max()))
    J1, J2 = np.empty((N, 7)), np.empty((N, 7))
    cpu_rational.jacobian(x, a, b[:1].copy(), kind, 1.0, c0, J1)
    gpu.jacobian(x, a, b[:1].copy(), kind, 1.0, c0, J2)
    np.testing.assert_array_equal(J1, J2)


@pytest.mark.gpu
def test_public_calls_on_cupy_arrays(rng):
    import cupy

    from splinekit.bases import GroupRational, TruncatedPowerBasis

    G = GroupRational.preset("gelu", groups=8)
    x = rng.standard_normal((64, 256)).astype(np.float32)
    gy = rng.standard_normal(x.shape).astype(np.float32)
    xd, gd = cupy.asarray(x), cupy.asarray(gy)
    y = G(xd)
    assert isinstance(y, cupy.ndarray)
    np.testing.assert_allclose(y.get(), G(x), rtol=1e-5, atol=1e-6)
    for u, v in zip(G.gradients(xd, gd), G.gradients(x, gy), strict=True):
        np.testing.assert_allclose(u.get(), v, rtol=1e-4, atol=1e-4 * float(np.abs(v).max()))
    tp = TruncatedPowerBasis(np.linspace(-0.5, 0.5, 4), 3)
    np.testing.assert_allclose(tp.design_matrix(cupy.asarray(x[0])).get(), tp.design_matrix(x[0]))
