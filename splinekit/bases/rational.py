r"""Rational functions ``F = P / Q`` with pole-free denominators (PAU / KAT activations).

One canonical definition, with the denominator named by ``kind``:

.. math::

    F(x) = \frac{P(x)}{Q(x)}, \qquad P(x) = \sum_{i=0}^{m} a_i x^i,

============  ==========================================  =====================================
``kind``      ``Q(x)``                                    used by
============  ==========================================  =====================================
``"safe"``    :math:`1 + |\sum_{j=1}^{n} b_j x^j|`           KAT paper, its ``fit.py``/``gain.py``;
                                                          safe PAU; rational_activations "B"
``"abs"``     :math:`1 + \sum_{j=1}^{n} |b_j|\,|x|^j`        KAT's CUDA/Triton kernels, FlashKAT;
                                                          rational_activations "A"
``"square"``  :math:`1 + (\sum_{j=1}^{n} b_j x^j)^2`         smooth everywhere (no kinks)
``"offset"``  :math:`0.1 + |\sum_{j=0}^{n} b_j x^j|`         rational_activations "C" (``b_0..b_n``)
============  ==========================================  =====================================

Every kind has ``Q >= 1`` (``>= 0.1`` for ``"offset"``), so ``F`` has no pole for any
coefficients.  Deliberately absent: ``1 + \sum |b_j| x^j`` (KAT's CPU fallback, signed powers:
it vanishes, e.g. at ``x = -1`` for ``b = (0, 0, 1, 0)``) and the unsafe ``1 + \sum b_j x^j``.

Derivatives are analytic: ``F' = (P' - F Q') / Q``, ``dF/da_i = x^i / Q``,
``dF/db_j = -(F / Q) dQ/db_j`` with ``dQ/db_j = s x^j`` (``"safe"``/``"offset"``,
``s = sign(sum b_j x^j)``), ``sign(b_j) |x|^j`` (``"abs"``), ``2 (sum b_j x^j) x^j``
(``"square"``).  At a kink of ``|u|`` (``u = 0``) the subgradient ``sign(0) = 0`` is used -- the
midpoint of the one-sided derivatives, as ``torch.abs`` does -- so e.g. for ``"abs"``
``F'(0) = a_1``.

:class:`GroupRational` is KAT's grouped form: the numerator shared by every group, one
denominator per group, channel ``c`` of ``C`` in group ``c // (C / G)``.
"""

from __future__ import annotations

import math

import numpy as np

from .. import _backend, _checks

__all__ = ["KINDS", "GroupRational", "Rational"]

KINDS = {"safe": 0, "abs": 1, "square": 2, "offset": 3}
_C0 = {"safe": 1.0, "abs": 1.0, "square": 1.0, "offset": 0.1}
_FORMULA = {
    "safe": "Q = 1 + |sum_{j=1..n} b_j x^j|",
    "abs": "Q = 1 + sum_{j=1..n} |b_j| |x|^j",
    "square": "Q = 1 + (sum_{j=1..n} b_j x^j)^2",
    "offset": "Q = 0.1 + |sum_{j=0..n} b_j x^j|",
}


def check_kind(kind):
    """The validated ``kind`` string."""
    if kind not in KINDS:
        raise ValueError(
            f"kind must be one of {sorted(KINDS)} (pole-free denominators); got {kind!r}"
        )
    return kind


def _coefficients(v, name, ndim):
    arr = _checks.as_float_array(_backend.to_numpy(v), name, np, dtype=np.float64)
    if arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-dimensional; got shape {tuple(arr.shape)}")
    return _checks.check_finite(arr, name)


def _check_denominator_length(nb, kind, name):
    if kind == "offset" and nb < 1:
        raise ValueError(
            f"{name} for kind='offset' holds b_0..b_n, so it needs at least 1 coefficient; got 0"
        )


class _RationalBase:
    """Shared machinery: coefficient storage, dtype policy, kernel calls."""

    def _setup(self, a, b, kind):
        self.kind = check_kind(kind)
        self._a, self._b = a, b
        if a.shape[0] < 1:
            raise ValueError("numerator must hold at least one coefficient (a_0); got 0")
        _check_denominator_length(b.shape[1], kind, "denominator")

    @property
    def m(self):
        """Numerator degree."""
        return self._a.shape[0] - 1

    @property
    def n(self):
        """Denominator degree (``b_1..b_n``; ``b_0..b_n`` for ``"offset"``)."""
        nb = self._b.shape[1]
        return nb - 1 if self.kind == "offset" else nb

    @property
    def numerator(self):
        """``a_0..a_m`` (float64 copy)."""
        return self._a.copy()

    @property
    def formula(self):
        """The denominator of this ``kind``, in words."""
        return _FORMULA[self.kind]

    def _args(self, x, name="x"):
        xp = _backend.array_namespace(x)
        x = _checks.as_float_array(x, name, xp)
        if _backend.is_cupy_namespace(xp):
            from .._kernels.scalar.rational import MAXM, MAXNB

            if self.m > MAXM or self._b.shape[1] > MAXNB:
                raise NotImplementedError(
                    f"rational of degree (m={self.m}, {self._b.shape[1]} denominator "
                    f"coefficients) has no GPU kernel yet (the GPU supports m <= {MAXM} and "
                    f"<= {MAXNB} denominator coefficients)"
                )
        dt = x.dtype
        a = xp.asarray(self._a.astype(dt))
        b = xp.ascontiguousarray(xp.asarray(self._b.astype(dt)))
        return xp, x, a, b, dt.type(1.0), dt.type(_C0[self.kind])

    def _eval(self, x, lg_of, nu):
        xp, x, a, b, one, c0 = self._args(x)
        lg = lg_of(x)
        xf = x.ravel()
        out = xp.empty_like(xf)
        if xf.shape[0]:
            _backend.kernels_for(xp, "rational").evaluate(
                xf, a, b, KINDS[self.kind], lg, nu, one, c0, out
            )
        return out.reshape(x.shape)

    def _grad(self, x, grad_out, lg_of):
        xp, x, a, b, one, c0 = self._args(x)
        gy = _checks.as_float_array(grad_out, "grad_out", xp, dtype=x.dtype)
        if gy.shape != x.shape:
            raise ValueError(
                f"grad_out must have the shape of x {tuple(x.shape)}; got {tuple(gy.shape)}"
            )
        lg = lg_of(x)
        xf, gf = x.ravel(), gy.ravel()
        gx = xp.empty_like(xf)
        ga = xp.zeros(a.shape[0], dtype=np.float64)
        gb = xp.zeros(b.shape, dtype=np.float64)
        if xf.shape[0]:
            _backend.kernels_for(xp, "rational").gradients(
                xf, gf, a, b, KINDS[self.kind], lg, one, c0, gx, ga, gb
            )
        return gx.reshape(x.shape), ga.astype(x.dtype), gb.astype(x.dtype)


class Rational(_RationalBase):
    r"""The rational function ``F(x) = P(x) / Q(x)`` with a pole-free denominator.

    ``P(x) = sum_{i=0}^{m} a_i x^i``; ``Q`` is named by ``kind`` (see the module docstring):
    ``"safe"`` ``1 + |sum_{j=1}^n b_j x^j|``, ``"abs"`` ``1 + sum_j |b_j| |x|^j``, ``"square"``
    ``1 + (sum_j b_j x^j)^2``, ``"offset"`` ``0.1 + |sum_{j=0}^n b_j x^j|``.

    Parameters
    ----------
    numerator : array_like, shape (m + 1,)
        ``a_0..a_m``, finite.
    denominator : array_like, shape (n,) (``(n + 1,)`` for ``"offset"``)
        ``b_1..b_n`` (``b_0..b_n``), finite; may be empty (``Q = 1``) except for ``"offset"``.
    kind : {"safe", "abs", "square", "offset"}

    Notes
    -----
    Coefficients are kept as float64 host arrays.  Evaluation follows ``x``: float32 ``x``
    is computed in float32 (coefficients rounded to float32), NumPy on the CPU kernel, CuPy
    on the GPU kernel.  ``x`` is not checked for NaN (an activation is a hot path); a NaN
    gives NaN at that point only.

    Raises
    ------
    ValueError
        Unknown ``kind``, coefficient arrays of the wrong dimension or length, non-finite
        coefficients.

    References
    ----------
    A. Molina, P. Schramowski, K. Kersting, "Padé Activation Units", ICLR 2020
    (arXiv:1907.06732).  X. Yang, X. Wang, "Kolmogorov-Arnold Transformer", ICLR 2025
    (arXiv:2409.10594).

    Examples
    --------
    >>> import numpy as np
    >>> from splinekit.bases import Rational
    >>> F = Rational([0.0, 1.0, 0.5], [0.5], kind="safe")      # (x + x^2/2) / (1 + |x/2|)
    >>> float(F(np.array(2.0)))
    2.0
    >>> gx, ga, gb = F.gradients(np.array([2.0]), np.array([1.0]))
    >>> ga.tolist()        # x^i / Q at x = 2
    [0.5, 1.0, 2.0]
    """

    def __init__(self, numerator, denominator, kind="safe"):
        a = _coefficients(numerator, "numerator", 1)
        b = _coefficients(denominator, "denominator", 1)
        self._setup(a, b.reshape(1, -1), kind)

    @property
    def denominator(self):
        """``b_1..b_n`` (``b_0..b_n`` for ``"offset"``), float64 copy."""
        return self._b[0].copy()

    def __repr__(self):
        return (
            f"Rational(m={self.m}, n={self.n}, kind={self.kind!r}; "
            f"{self.formula}; a={self._a.tolist()}, b={self._b[0].tolist()})"
        )

    @staticmethod
    def _lg(x):
        return max(1, int(math.prod(x.shape)))

    def __call__(self, x):
        """``F(x)``, elementwise, same shape and array type as ``x``."""
        return self._eval(x, self._lg, 0)

    def derivative(self, x):
        """``F'(x) = (P'(x) - F(x) Q'(x)) / Q(x)`` (subgradient 0 at the kinks of ``|.|``)."""
        return self._eval(x, self._lg, 1)

    def gradients(self, x, grad_out):
        """Backward pass: ``(grad_x, grad_numerator, grad_denominator)``.

        ``grad_x = grad_out * F'(x)`` (shape of ``x``); ``grad_numerator[i] = sum grad_out *
        dF/da_i`` (m+1,); ``grad_denominator[j] = sum grad_out * dF/db_j``.  The sums are
        deterministic two-stage reductions (no atomics) with float64 partial sums across
        chunks; results have ``x``'s dtype.
        """
        gx, ga, gb = self._grad(x, grad_out, self._lg)
        return gx, ga, gb[0]

    def jacobian(self, x):
        """``J[i, c] = dF/dcoef_c(x_i)`` for 1-D ``x``: columns ``a_0..a_m`` then the ``b``."""
        xp, x, a, b, one, c0 = self._args(x)
        if x.ndim != 1:
            raise ValueError(f"x must be 1-dimensional; got shape {tuple(x.shape)}")
        out = xp.empty((x.shape[0], a.shape[0] + b.shape[1]), dtype=x.dtype)
        _backend.kernels_for(xp, "rational").jacobian(x, a, b, KINDS[self.kind], one, c0, out)
        return out

    def to_group(self, groups):
        """This numerator and ``groups`` copies of this denominator, as a :class:`GroupRational`."""
        groups = _checks.check_nonneg_int(groups, "groups", minimum=1)
        return GroupRational(self._a, np.repeat(self._b, groups, axis=0), self.kind)

    @classmethod
    def preset(cls, name, m=5, n=4, kind="safe"):
        """A stored fit of a standard activation, generated from this class's definition.

        ``name`` in ``identity, relu, leaky_relu, gelu, silu`` (alias ``swish``), ``tanh``,
        ``sigmoid``; fitted on ``[-3, 3]`` by :func:`splinekit.bases.fit_rational`; each entry's
        provenance and measured max error are in ``Rational.preset_info(...)``.
        """
        from .presets import lookup

        entry = lookup(name, m, n, kind)
        return cls(entry["numerator"], entry["denominator"], kind)

    @staticmethod
    def preset_info(name, m=5, n=4, kind="safe"):
        """The stored record of a preset: coefficients, interval, max error, gain, provenance."""
        from .presets import lookup

        return dict(lookup(name, m, n, kind))


class GroupRational(_RationalBase):
    r"""KAT's group rational: shared numerator, one denominator per group of channels.

    For ``x`` with ``C`` channels along ``channel_axis`` and ``G`` groups, channel ``c`` uses
    group ``g(c) = c // (C / G)`` (KAT's ``KAT_Group``; ``C`` must be divisible by ``G``):

    .. math::  F_{g(c)}(x) = \frac{\sum_{i=0}^m a_i x^i}{Q_{g(c)}(x)},

    with ``Q_g`` built from ``denominators[g]`` as in :class:`Rational` (same ``kind``\s).

    Parameters
    ----------
    numerator : array_like, shape (m + 1,)
        Shared ``a_0..a_m``.
    denominators : array_like, shape (G, n) (``(G, n + 1)`` for ``"offset"``)
    kind : {"safe", "abs", "square", "offset"}

    Raises
    ------
    ValueError
        As :class:`Rational`; and at call time, ``C`` not divisible by ``G``.

    Examples
    --------
    >>> import numpy as np
    >>> from splinekit.bases import GroupRational
    >>> F = GroupRational([0.0, 1.0], [[0.0], [1.0]], kind="abs")   # x  and  x / (1 + |x|)
    >>> F(np.array([[1.0, 1.0, 1.0, 1.0]])).tolist()                 # 4 channels, 2 groups
    [[1.0, 1.0, 0.5, 0.5]]
    """

    def __init__(self, numerator, denominators, kind="safe"):
        a = _coefficients(numerator, "numerator", 1)
        b = _coefficients(denominators, "denominators", 2)
        if b.shape[0] < 1:
            raise ValueError("denominators must hold at least one group (one row); got 0")
        self._setup(a, np.ascontiguousarray(b), kind)

    @property
    def groups(self):
        """Number of groups ``G``."""
        return self._b.shape[0]

    @property
    def denominators(self):
        """``(G, nb)`` float64 copy."""
        return self._b.copy()

    def __repr__(self):
        return (
            f"GroupRational(groups={self.groups}, m={self.m}, n={self.n}, "
            f"kind={self.kind!r}; {self.formula})"
        )

    def group_of_channel(self, channels):
        """``g(c) = c // (C / G)`` for ``c = 0..C-1`` (KAT's map), as an int array."""
        channels = _checks.check_nonneg_int(channels, "channels", minimum=1)
        self._check_channels(channels)
        return np.arange(channels) // (channels // self.groups)

    def _check_channels(self, C):
        if C % self.groups:
            raise ValueError(
                f"the number of channels ({C}) must be divisible by the number of groups "
                f"({self.groups}); channel c uses group c // (C / G)"
            )

    def _lg_of(self, channel_axis):
        def lg(x):
            if x.ndim == 0:
                raise ValueError("x must have a channel axis; got a 0-d array")
            if not -x.ndim <= channel_axis < x.ndim:
                raise ValueError(
                    f"channel_axis={channel_axis} is out of range for x of shape {tuple(x.shape)}"
                )
            ax = channel_axis % x.ndim
            self._check_channels(x.shape[ax])
            return max(1, (x.shape[ax] // self.groups) * int(math.prod(x.shape[ax + 1 :])))

        return lg

    def __call__(self, x, channel_axis=-1):
        """``F_{g(c)}(x)`` elementwise, for ``x`` with its ``C`` channels on ``channel_axis``."""
        return self._eval(x, self._lg_of(channel_axis), 0)

    def derivative(self, x, channel_axis=-1):
        """``dF_{g(c)}/dx`` elementwise."""
        return self._eval(x, self._lg_of(channel_axis), 1)

    def gradients(self, x, grad_out, channel_axis=-1):
        """Backward pass: ``(grad_x, grad_numerator (m+1,), grad_denominators (G, nb))``.

        ``grad_numerator`` sums over every element, ``grad_denominators[g]`` over the elements of
        group ``g``; deterministic two-stage reductions (see :meth:`Rational.gradients`).
        """
        return self._grad(x, grad_out, self._lg_of(channel_axis))

    @classmethod
    def preset(cls, name, groups=8, m=5, n=4, kind="safe"):
        """``groups`` copies of ``Rational.preset(name, m, n, kind)``'s denominator."""
        return Rational.preset(name, m, n, kind).to_group(groups)

    @classmethod
    def from_kat(cls, weight_numerator, weight_denominator):
        """From KAT's ``KAT_Group`` parameters, with the denominator its CUDA kernel computes.

        ``weight_numerator`` (1, m+1) or (m+1,), ``weight_denominator`` (G, n); the result has
        ``kind="abs"`` (``1 + sum |b_j| |x|^j``), which is what KAT's CUDA/Triton kernels
        evaluate (its paper and ``fit.py`` use ``"safe"``; see docs/bases.md).
        """
        a = np.asarray(_backend.to_numpy(weight_numerator), dtype=np.float64).reshape(-1)
        return cls(a, _backend.to_numpy(weight_denominator), kind="abs")
