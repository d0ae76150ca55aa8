"""Fitting kernels: banded LU / Cholesky / selected inverse against dense linear algebra, and
every GPU launcher (numba-cuda simulator) against its CPU twin; real-device end-to-end tests."""

import numpy as np
import pytest
import scipy.linalg as sla

from splinekit._kernels.cpu import fitting as K

EPS = np.finfo(np.float64).eps


def _spd_band(rng, n, p):
    """Random SPD band matrix: lower form (n, p+1) and dense."""
    A = np.zeros((n, n))
    for d in range(p + 1):
        v = rng.standard_normal(n - d)
        A += np.diag(v, -d) + (np.diag(v, d) if d else 0)
    A += np.eye(n) * (np.abs(A).sum(1).max() + 1.0)  # diagonally dominant: SPD
    low = np.zeros((n, p + 1))
    for d in range(p + 1):
        low[: n - d, d] = np.diag(A, -d)
    return low, A


@pytest.mark.parametrize("kl,ku", [(1, 1), (3, 3), (2, 4), (5, 5)])
def test_band_lu_matches_dense(rng, kl, ku):
    n = 30
    A = np.zeros((n, n))
    for d in range(-kl, ku + 1):
        A += np.diag(rng.standard_normal(n - abs(d)), d)
    a = np.zeros((n, 2 * kl + ku + 1))
    for j in range(n):
        for i in range(max(0, j - ku), min(n, j + kl + 1)):
            a[j, kl + ku + i - j] = A[i, j]
    b = rng.standard_normal((n, 2))
    ipiv = np.empty(n, dtype=np.int64)
    assert K.lu_factor(a, kl, ku, ipiv) == 0
    x = b.copy()
    K.lu_solve(a, kl, ku, ipiv, x)
    ref = np.linalg.solve(A, b)
    # partial pivoting is backward stable: error ~ cond(A) eps
    assert np.abs(x - ref).max() <= 100 * np.linalg.cond(A) * EPS * np.abs(ref).max()


def test_band_lu_reports_zero_pivot():
    a = np.zeros((4, 4))  # kl = ku = 1: a zero matrix
    assert K.lu_factor(a, 1, 1, np.empty(4, dtype=np.int64)) == 1


@pytest.mark.parametrize("p", [1, 3, 5])
def test_cholesky_and_selected_inverse(rng, p):
    n = 25
    low, A = _spd_band(rng, n, p)
    L = low.copy()
    assert K.cholesky(L, p) == 0
    ref = sla.cholesky_banded(low.T.copy(), lower=True)  # LAPACK pbtrf, (p+1, n) layout
    np.testing.assert_allclose(L.T, ref, rtol=0, atol=100 * EPS * np.abs(ref).max())
    b = rng.standard_normal((n, 3))
    x = b.copy()
    K.cholesky_solve(L, p, x)
    assert np.abs(A @ x - b).max() <= 100 * EPS * np.abs(A).max() * np.abs(x).max()
    Z = np.empty_like(L)
    K.selected_inverse(L, p, Z)
    Ainv = np.linalg.inv(A)
    for d in range(p + 1):
        np.testing.assert_allclose(
            Z[: n - d, d], np.diag(Ainv, -d), rtol=0, atol=100 * EPS * np.abs(Ainv).max()
        )
        assert (Z[n - d :, d] == 0).all()  # corner entries zeroed
    assert K.cholesky(-low, p) == 1  # not positive definite: the first column fails


# -- GPU launchers under the simulator -----------------------------------------------------------
def _packed(rng, m, n, k):
    first = np.sort(rng.integers(0, n - k, m)).astype(np.int64)
    return rng.random((m, k + 1)), first


def test_gpu_gram_matches_cpu(rng, gpu_kernels):
    G = gpu_kernels("fitting")
    k, n = 2, 9
    Ba, first = _packed(rng, 40, n, k)
    Bb = rng.random(Ba.shape)
    w = rng.random(40)
    a, b = np.zeros((n, 2 * k + 1)), np.zeros((n, 2 * k + 1))
    K.gram(Ba, Bb, first, w, a)
    G.gram(Ba, Bb, first, w, b)
    np.testing.assert_allclose(b, a, rtol=0, atol=64 * EPS * np.abs(a).max())


def test_gpu_normal_equations_match_cpu(rng, gpu_kernels):
    G = gpu_kernels("fitting")
    k = 3
    t = np.r_[[0.0] * 4, 0.2, 0.45, 0.7, [1.0] * 4]
    n = t.size - k - 1
    x = rng.random(50)  # unsorted: the device launcher sorts by span
    w = rng.random(50)
    y = rng.standard_normal((50, 2))
    a, ra = np.zeros((n, k + 1)), np.zeros((n, 2))
    b, rb = np.zeros((n, k + 1)), np.zeros((n, 2))
    K.normal_equations(t, k, x, 0.0, w, y, a, ra)
    G.normal_equations(t, k, x, 0.0, w, y, b, rb)
    np.testing.assert_allclose(b, a, rtol=0, atol=64 * EPS * np.abs(a).max())
    np.testing.assert_allclose(rb, ra, rtol=0, atol=64 * EPS * np.abs(ra).max())


def test_gpu_factorizations_match_cpu(rng, gpu_kernels):
    G = gpu_kernels("fitting")
    p, n = 3, 12
    low, _ = _spd_band(rng, n, p)
    La, Lb = low.copy(), low.copy()
    assert K.cholesky(La, p) == 0 and G.cholesky(Lb, p) == 0
    np.testing.assert_allclose(Lb, La, rtol=0, atol=16 * EPS * np.abs(La).max())
    b = rng.standard_normal((n, 2))
    xa, xb = b.copy(), b.copy()
    K.cholesky_solve(La, p, xa)
    G.cholesky_solve(Lb, p, xb)
    np.testing.assert_allclose(xb, xa, rtol=0, atol=16 * EPS * np.abs(xa).max())
    Za, Zb = np.empty_like(La), np.empty_like(La)
    K.selected_inverse(La, p, Za)
    G.selected_inverse(Lb, p, Zb)
    np.testing.assert_allclose(Zb, Za, rtol=0, atol=16 * EPS * np.abs(Za).max())
    assert G.cholesky(-low, p) == 1


def test_gpu_fitted_matches_cpu(rng, gpu_kernels):
    G = gpu_kernels("fitting")
    B, first = _packed(rng, 30, 8, 3)
    c = rng.standard_normal((8, 2))
    a, b = np.empty((30, 2)), np.empty((30, 2))
    K.fitted(B, first, c, a)
    G.fitted(B, first, c, b)
    np.testing.assert_allclose(b, a, rtol=0, atol=16 * EPS * np.abs(a).max())


# -- real device, end to end (skipped without one) -----------------------------------------------
@pytest.mark.gpu
def test_device_fits_match_host(rng):
    import cupy

    from splinekit.fitting import galerkin_matrix, make_lsq_spline, make_pspline

    x = rng.random(5000)
    y = np.sin(5 * x) + 0.1 * rng.standard_normal(5000)
    t = np.r_[[0.0] * 4, np.linspace(0.05, 0.95, 30), [1.0] * 4]
    h = make_lsq_spline(x, y, t)
    d = make_lsq_spline(cupy.asarray(x), cupy.asarray(y), cupy.asarray(t))
    assert isinstance(d.c, cupy.ndarray)
    np.testing.assert_allclose(d.c.get(), h.c, atol=1e-10)
    hp = make_pspline(x, y, lam=1.0)
    dp = make_pspline(cupy.asarray(x), cupy.asarray(y), lam=1.0)
    np.testing.assert_allclose(dp.c.get(), hp.c, atol=1e-8)
    np.testing.assert_allclose(
        galerkin_matrix(cupy.asarray(t), 3).get().toarray(),
        galerkin_matrix(t, 3).toarray(),
        atol=1e-13,
    )
