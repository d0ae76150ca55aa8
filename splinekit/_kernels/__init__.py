"""Kernels: scalar math written once (``scalar/``), compiled for the CPU (``cpu``, Numba) and the
GPU (``gpu``, numba-cuda).  See ``docs/architecture.md``."""
