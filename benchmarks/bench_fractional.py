"""Speed of splinekit.fractional: assembly, FFT matvec, tau-preconditioned GMRES, dense assembly.

Peers, timed in the same run (best of several repeats, JIT warm-up excluded and reported):
* dense assembly: the naive ``O(N^2)`` evaluation of every entry by its own kernel call;
* GMRES: ``scipy.sparse.linalg.gmres`` on the same operator with the same tau preconditioner;
* matvec: the dense BLAS product with the same matrix.
"""

from __future__ import annotations

import time

import numpy as np
from _timing import best_time


def _best(f, repeat=3):
    return best_time(f, repeat)


def run(quick):
    from scipy.sparse.linalg import LinearOperator
    from scipy.sparse.linalg import gmres as scipy_gmres

    from splinekit.fractional import collocation_matrix, solve
    from splinekit.fractional import matrix as M
    from splinekit.fractional import solver as S

    t0 = time.perf_counter()
    collocation_matrix(1.5, 3, 8192, format="operator")  # JIT (or cache load) of all launchers
    warm = time.perf_counter() - t0
    rows = []

    n_big = 10**5 if quick else 10**6
    t_asm, op = _best(lambda: collocation_matrix(1.5, 3, n_big, format="operator"), 2)
    rows.append(
        dict(
            name=f"operator assembly p=3 n={n_big:.0e}",
            splinekit_s=t_asm,
            peer="-",
            peer_s=None,
            target="issue: n=1e6 in under a few seconds",
            extra=f"{op.nbytes / 1e6:.0f} MB stored; JIT/cache warm-up {warm:.1f} s",
        )
    )
    v = np.random.default_rng(0).standard_normal(op.N)
    t_mv, _ = _best(lambda: op @ v, 5)
    rows.append(
        dict(
            name=f"FFT matvec p=3 N={op.N:.2e}",
            splinekit_s=t_mv,
            peer="-",
            peer_s=None,
            target="O(N log N)",
            extra="",
        )
    )

    n_d = 500 if quick else 2000
    t_dense, A = _best(lambda: collocation_matrix(1.5, 3, n_d), 3)
    t_naive, An = _best(lambda: M.dense_naive(1.5, 3, n_d), 1 if not quick else 2)
    diff = float(np.abs(A - An).max() / np.abs(A).max())
    rows.append(
        dict(
            name=f"dense assembly p=3 n={n_d}",
            splinekit_s=t_dense,
            peer="naive N^2 entries",
            peer_s=t_naive,
            target="issue: ratio vs naive O(N^2) evaluation",
            extra=f"max rel. difference {diff:.1e}",
        )
    )
    vd = v[: A.shape[0]]
    opd = collocation_matrix(1.5, 3, n_d, format="operator")
    t_fmv, _ = _best(lambda: opd @ vd, 20)
    t_dmv, _ = _best(lambda: A @ vd, 20)
    rows.append(
        dict(
            name=f"matvec N={A.shape[0]}: FFT operator vs dense",
            splinekit_s=t_fmv,
            peer="dense BLAS",
            peer_s=t_dmv,
            target="",
            extra="",
        )
    )

    n_s = 2 * 10**4 if quick else 10**5
    tol = max(1e-10, np.finfo(np.float64).eps * n_s**1.5)  # solve's default: the round-off floor
    t_solve, (spl, info) = _best(
        lambda: solve(1.0, 1.5, 3, n_s, method="gmres", precond="tau", tol=tol), 2
    )
    op_s = collocation_matrix(1.5, 3, n_s, format="operator")
    pre = S._TauPreconditioner(1.5, 3, op_s.N, op_s.scale, np)
    b = np.ones(op_s.N)
    lin = op_s.aslinearoperator()
    Mlin = LinearOperator(lin.shape, matvec=pre, dtype=np.float64)
    its = []

    def peer():
        its.clear()
        return scipy_gmres(
            lin,
            b,
            M=Mlin,
            rtol=tol,
            restart=100,
            maxiter=5,
            callback=lambda r: its.append(r),
            callback_type="pr_norm",
        )

    t_peer_solve, _ = _best(peer, 2)
    t_asm_s, _ = _best(lambda: collocation_matrix(1.5, 3, n_s, format="operator"), 1)
    rows.append(
        dict(
            name=f"tau-GMRES solve p=3 alpha=1.5 n={n_s:.0e}",
            splinekit_s=t_solve,
            peer="scipy gmres",
            peer_s=t_peer_solve + t_asm_s,
            target="issue: n=1e5 in seconds on 2 cores",
            extra=f"{info.iterations} its (scipy {len(its)}), residual "
            f"{info.residual:.1e} (tol {tol:.0e}); peer time includes the same assembly",
        )
    )
    return rows


if __name__ == "__main__":
    for r in run(quick=True):
        print(r)
