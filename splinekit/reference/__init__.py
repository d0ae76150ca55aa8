"""High-precision (mpmath) reference implementations used as oracles by tests and validation.

Imported only where needed (never by ``import splinekit``).  Every routine takes ``dps`` (decimal
digits) and works inside ``with mpmath.mp.workdps(dps):`` so the caller's precision is untouched.
Inputs are converted exactly (``mpf(float)`` is exact); outputs are mpmath numbers.

Modules: ``bspline`` (Cox-de Boor, derivatives, integrals), ``fractional`` (Riesz derivatives of
B-splines by two independent routes), ``rational`` (rational activations and their gradients),
``truncated_power`` (truncated-power bases).
"""
