"""Calling the user's ``f``: budget, fault handling, and a record of every evaluation.

Nothing is lost: every value ``f`` returned is kept in :class:`Evaluator` (``xs``, ``ys``), and
an exception leaving :func:`autoknots` carries them as ``exc.partial = (x, y)`` (sorted).
"""

from __future__ import annotations

import numpy as np

__all__ = ["Evaluator"]


def _where(xs):
    if xs.shape[0] == 1:
        return f"x = {float(xs[0])!r}"
    return f"the {xs.shape[0]} points x in [{float(xs.min())!r}, {float(xs.max())!r}]"


def _add_context(exc, text):
    """Append ``text`` to ``exc``'s message in place (type and traceback are kept)."""
    if len(exc.args) == 1 and isinstance(exc.args[0], str):
        exc.args = (f"{exc.args[0]} ({text})",)
    elif not exc.args:
        exc.args = (text,)
    else:
        exc.add_note(text)


class Evaluator:
    """Evaluates ``f`` on arrays of points, scalar by scalar or in one vectorized call.

    Parameters
    ----------
    f : callable
        ``f(x, *args) -> float`` (or an array of the shape of ``x`` when ``vectorized``).
    vectorized : bool
    args : tuple
    max_evals : int
        Hard budget; :meth:`remaining` tells the algorithms how many calls are left.
    """

    def __init__(self, f, vectorized, args, max_evals):
        self.f, self.vectorized, self.args, self.max_evals = f, vectorized, tuple(args), max_evals
        self._xs: list[np.ndarray] = []
        self._ys: list[np.ndarray] = []
        self.count = 0

    def remaining(self) -> int:
        return self.max_evals - self.count

    def __call__(self, xs):
        xs = np.ascontiguousarray(xs, dtype=np.float64)
        if xs.shape[0] == 0:  # never call f with nothing to do
            return np.empty(0)
        if xs.shape[0] > self.remaining():  # the algorithms plan within the budget
            raise AssertionError("autoknots internal error: evaluation budget overshot")
        ys = self._vector(xs) if self.vectorized else self._scalar(xs)
        self._record(xs, ys)
        bad = ~np.isfinite(ys)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            more = f" (and at {int(bad.sum()) - 1} more points)" if bad.sum() > 1 else ""
            exc = ValueError(
                f"f must be finite; f(x) = {float(ys[i])!r} at x = {float(xs[i])!r}{more}"
            )
            raise self.attach(exc)
        return ys

    def _record(self, xs, ys):
        self._xs.append(xs)
        self._ys.append(ys)
        self.count += xs.shape[0]

    def _scalar(self, xs):
        ys = np.empty_like(xs)
        for i, x in enumerate(xs.tolist()):
            try:
                v = self.f(x, *self.args)
            except Exception as exc:
                self._record(xs[:i], ys[:i])
                _add_context(exc, f"raised while evaluating f at x = {x!r}")
                raise self.attach(exc) from None
            ys[i] = _real_scalar(v, x)
        return ys

    def _vector(self, xs):
        try:
            v = self.f(xs, *self.args)
        except Exception as exc:
            _add_context(exc, f"raised while evaluating f (vectorized) at {_where(xs)}")
            raise self.attach(exc) from None
        v = np.asarray(v)
        if v.shape != xs.shape:
            v_shape = v.shape
            if v.ndim == 0 and xs.shape[0] == 1:
                v = v.reshape(1)
            else:
                raise ValueError(
                    f"f with vectorized=True must return an array of shape {xs.shape} for "
                    f"{_where(xs)}; got shape {v_shape}"
                )
        if np.iscomplexobj(v) or v.dtype.kind not in "fiub":
            raise TypeError(f"f must return real numbers; got dtype {v.dtype} at {_where(xs)}")
        return v.astype(np.float64)

    def attach(self, exc):
        """Attach every evaluation made so far to ``exc`` as ``exc.partial = (x, y)``."""
        x, y = self.samples()
        keep = np.isfinite(y)
        x, y = x[keep], y[keep]
        try:
            exc.partial = (x, y)
        except AttributeError:  # exception types with __slots__
            pass
        return exc

    def samples(self):
        """All evaluations so far, sorted by ``x``: ``(x, y)``."""
        if not self._xs:
            return np.empty(0), np.empty(0)
        x, y = np.concatenate(self._xs), np.concatenate(self._ys)
        order = np.argsort(x, kind="stable")
        return x[order], y[order]


def _real_scalar(v, x):
    try:
        if isinstance(v, complex) or np.iscomplexobj(v):
            raise TypeError
        return float(v)
    except TypeError:
        raise TypeError(
            f"f must return a real number; got {type(v).__name__} {v!r} at x = {x!r}"
        ) from None
