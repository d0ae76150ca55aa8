"""Grouped rational P5/Q4, 8 groups, 4096 x 256 float32, forward and gradients (x, a, b).

Peer: the same formula (kind "safe", KAT paper form) in plain NumPy, forward and analytic
backward with the coefficient reductions as ``sum`` over the group axes.  Also reported:
elements per second and the fraction of the machine's copy bandwidth, measured in the same run
on large arrays (bytes moved: read + write), as the larger of ``numpy.copyto`` (one thread) and
a Numba ``prange`` copy on every thread (the kernels use every thread too).  Fused traffic
counted per element: forward reads x and writes y (8 B), backward reads x, grad_out and writes
grad_x (12 B)."""

from __future__ import annotations

import time

import numpy as np
from _timing import best_time


def _best(f, repeat):
    return best_time(f, repeat, warmup=True)[0]


def copy_bandwidth(nbytes=256 * 2**20, repeat=5):
    """Bytes per second of the faster copy: ``numpy.copyto`` or a parallel Numba loop."""
    from numba import njit, prange

    @njit(parallel=True)
    def parallel_copy(dst, src):
        for i in prange(src.shape[0]):
            dst[i] = src[i]

    src = np.ones(nbytes // 4, dtype=np.float32)
    dst = np.empty_like(src)
    t = min(
        _best(lambda: np.copyto(dst, src), repeat), _best(lambda: parallel_copy(dst, src), repeat)
    )
    return 2 * src.nbytes / t


def numpy_forward_backward(x, gy, a, b):
    """KAT's safe form in NumPy: x (B, C) -> y, and (gx, ga, gb) for grad_out gy."""
    B, C = x.shape
    G, n = b.shape
    xg = x.reshape(B, G, C // G)
    gg = gy.reshape(B, G, C // G)
    P = np.zeros_like(xg)
    dP = np.zeros_like(xg)
    for ai in a[::-1]:
        dP = dP * xg + P
        P = P * xg + ai
    bb = b[None, :, None, :]
    A = np.zeros_like(xg)
    dA = np.zeros_like(xg)
    for j in range(n - 1, -1, -1):
        dA = dA * xg + A
        A = A * xg + bb[..., j]
    dA = A + xg * dA
    A = A * xg
    s = np.sign(A)
    Q = 1 + np.abs(A)
    y = P / Q
    w = gg / Q
    gx = w * (dP - y * s * dA)
    pw = np.ones_like(xg)
    ga = np.empty(a.size, dtype=np.float32)
    for i in range(a.size):
        ga[i] = np.sum(w * pw)
        pw = pw * xg
    z = -w * y * s
    gb = np.empty(b.shape, dtype=np.float32)
    pw = xg.copy()
    for j in range(n):
        gb[:, j] = np.sum(z * pw, axis=(0, 2))
        pw = pw * xg
    return y.reshape(B, C), gx.reshape(B, C), ga, gb


def run(quick):
    import numba

    from splinekit.bases import GroupRational

    B, C, G = (1024 if quick else 4096), 256, 8
    rng = np.random.default_rng(0)
    F = GroupRational.preset("gelu", groups=G, kind="safe")
    x = rng.standard_normal((B, C)).astype(np.float32)
    gy = rng.standard_normal((B, C)).astype(np.float32)
    a32, b32 = F.numerator.astype(np.float32), F.denominators.astype(np.float32)
    repeat = 5 if quick else 50  # the 2-core machines are noisy: best of many
    t0 = time.perf_counter()
    F(x)
    F.gradients(x, gy)
    warm = time.perf_counter() - t0
    t_fwd = _best(lambda: F(x), repeat)
    t_bwd = _best(lambda: F.gradients(x, gy), repeat)
    t_np = _best(lambda: numpy_forward_backward(x, gy, a32, b32), max(3, repeat // 4))
    bw = copy_bandwidth(64 * 2**20 if quick else 256 * 2**20)
    N = B * C
    frac = (20 * N / (t_fwd + t_bwd)) / bw
    # check the two compute the same thing (float32; relative to the largest value)
    y, gx, ga, gb = numpy_forward_backward(x, gy, a32, b32)
    gx2, ga2, gb2 = F.gradients(x, gy)
    agree = max(float(np.max(np.abs(F(x) - y))), float(np.max(np.abs(gx2 - gx))))
    threads = numba.get_num_threads()
    return [
        {
            "name": f"GroupRational P5/Q4 G=8 {B}x{C} f32 forward",
            "splinekit_s": t_fwd,
            "peer": "numpy fwd+bwd",
            "peer_s": None,
            "target": "",
            "extra": f"{N / t_fwd / 1e9:.2f} Gelem/s; {8 * N / t_fwd / 1e9:.1f} GB/s",
        },
        {
            "name": f"GroupRational P5/Q4 G=8 {B}x{C} f32 gradients(x,a,b)",
            "splinekit_s": t_bwd,
            "peer": "numpy fwd+bwd",
            "peer_s": None,
            "target": "",
            "extra": f"{N / t_bwd / 1e9:.2f} Gelem/s; {12 * N / t_bwd / 1e9:.1f} GB/s",
        },
        {
            "name": f"GroupRational P5/Q4 G=8 {B}x{C} f32 forward+gradients",
            "splinekit_s": t_fwd + t_bwd,
            "peer": "numpy fwd+bwd",
            "peer_s": t_np,
            "target": "large fraction of memory bandwidth; ratio to plain NumPy",
            "extra": f"{N / (t_fwd + t_bwd) / 1e9:.2f} Gelem/s; {frac:.1%} of copy bandwidth "
            f"{bw / 1e9:.1f} GB/s (20 B/elem); numba threads {threads}; first call "
            f"(JIT/cache load) {warm:.2f} s; "
            f"max |diff| vs numpy {agree:.1e}",
        },
    ]
