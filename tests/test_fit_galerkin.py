"""galerkin_matrix: exactness against an independent quadrature of evaluated splines, symmetry,
transpose law, partition-of-unity laws, formats, bad input."""

import numpy as np
import pytest

from splinekit import BSpline
from splinekit.fitting import galerkin_matrix

EPS = np.finfo(np.float64).eps


def _knots(rng, k):
    inner = np.sort(rng.uniform(0.0, 1.0, 7))
    inner[3] = inner[2]  # a double knot
    return np.r_[[0.0] * (k + 1), inner, [1.0] * (k + 1)]


def _dense_reference(t, k, a, b):
    """u^T G v = int S_u^(a) S_v^(b): unit vectors, evaluated splines, 12-point Gauss per span
    (independent of the kernel's k+1 nodes and of its gram loop)."""
    n = t.size - k - 1
    xi, wi = np.polynomial.legendre.leggauss(12)
    br = np.unique(t[k : n + 1])
    mid, half = 0.5 * (br[1:] + br[:-1]), 0.5 * (br[1:] - br[:-1])
    xq = (mid[:, None] + half[:, None] * xi).ravel()
    wq = (half[:, None] * wi).ravel()
    E = np.eye(n)
    Va = BSpline(t, E, k)(xq, nu=a)  # (nq, n): column j is B_j^(a)
    Vb = BSpline(t, E, k)(xq, nu=b)
    return Va.T @ (wq[:, None] * Vb)


@pytest.mark.parametrize("k", [0, 1, 2, 3, 5])
@pytest.mark.parametrize("ab", [(0, 0), (1, 1), (2, 2), (0, 1), (1, 0), (0, 2)])
def test_exact_against_fine_quadrature(rng, k, ab):
    if max(ab) > k:
        pytest.skip("derivative above the degree is zero")
    t = _knots(rng, k)
    G = galerkin_matrix(t, k, ab).toarray()
    R = _dense_reference(t, k, *ab)
    # entries scale like h^(1-a-b) with h >= min span; rounding ~ (k+1) terms of that size
    assert np.abs(G - R).max() <= 200 * EPS * np.abs(R).max()


def test_laws(rng):
    k = 3
    t = _knots(rng, k)
    n = t.size - k - 1
    M = galerkin_matrix(t, k).toarray()
    K = galerkin_matrix(t, k, (1, 1)).toarray()
    A = galerkin_matrix(t, k, (0, 1)).toarray()
    At = galerkin_matrix(t, k, (1, 0)).toarray()
    np.testing.assert_array_equal(M, M.T)
    np.testing.assert_allclose(A, At.T, rtol=0, atol=64 * EPS * np.abs(A).max())
    # sum_j B_j = 1: row sums of M are int B_i = (t[i+k+1] - t[i]) / (k+1)
    np.testing.assert_allclose(M.sum(1), (t[k + 1 :] - t[:n]) / (k + 1), rtol=0, atol=16 * EPS)
    assert abs(M.sum() - 1.0) <= 64 * EPS
    # constants have zero derivative: K 1 = 0 and A 1 = 0; 1^T A 1... int B_i B_j' summed
    assert np.abs(K @ np.ones(n)).max() <= 1e3 * EPS * np.abs(K).max()
    # integration by parts: A + A^T = [B_i B_j] at the ends (clamped: only corner entries)
    S = A + A.T
    S[0, 0] += 1.0
    S[-1, -1] -= 1.0
    assert np.abs(S).max() <= 1e3 * EPS * np.abs(A).max()
    # positive definite mass matrix, positive semi-definite stiffness
    assert np.linalg.eigvalsh(M).min() > 0
    assert np.linalg.eigvalsh(K).min() > -1e3 * EPS * np.abs(K).max()


def test_formats_and_example():
    t = [0, 0, 1, 2, 2]
    G = galerkin_matrix(t, 1)
    np.testing.assert_allclose(G.toarray() * 6, [[2, 1, 0], [1, 4, 1], [0, 1, 2]], atol=1e-14)
    D = galerkin_matrix(t, 1, format="banded")
    assert D.shape == (3, 3)
    np.testing.assert_allclose(D[1], [1 / 6, 4 / 6, 1 / 6])
    assert D[0, 0] == 0.0 and D[2, 2] == 0.0


def test_errors():
    t = np.r_[[0.0] * 4, 0.5, [1.0] * 4]
    with pytest.raises(ValueError, match="format must be 'csr' or 'banded'"):
        galerkin_matrix(t, 3, format="dense")
    with pytest.raises(ValueError, match=r"derivatives\[1\] must be >= 0"):
        galerkin_matrix(t, 3, (0, -1))
    with pytest.raises(ValueError, match="derivatives must be a pair"):
        galerkin_matrix(t, 3, 2)
    with pytest.raises(ValueError, match="knots must be non-decreasing"):
        galerkin_matrix(t[::-1], 3)
