"""CPU (Numba) launchers, one module per kernel family; names mirror ``_kernels.gpu``."""
