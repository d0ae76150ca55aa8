"""GPU (numba-cuda) launchers, one module per kernel family; names mirror ``_kernels.cpu``.

Importing a module here imports ``numba.cuda``; only ``_backend.kernels_for`` does that, and only
for CuPy inputs or under the simulator.
"""
