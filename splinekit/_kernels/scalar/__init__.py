"""Scalar math, written once as plain Python and compiled by ``_kernels._compile``.

Rules (so that both ``numba.njit`` and ``numba.cuda.jit(device=True)`` accept the text):
no allocation, no Python objects, no exceptions; scratch arrays come from the caller; float
literals are written as floats.
"""
