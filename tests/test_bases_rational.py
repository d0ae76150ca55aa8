"""Rational functions P/Q: values, derivatives and gradients against mpmath, laws, presets."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import erf, expit

from splinekit.bases import GroupRational, Rational, fit_rational, gain
from splinekit.bases.presets import records
from splinekit.reference import rational as ref

EPS = np.finfo(np.float64).eps
TARGETS = {  # stated here again, independently of the generator script
    "identity": lambda x: x,
    "relu": lambda x: np.maximum(x, 0.0),
    "leaky_relu": lambda x: np.where(x >= 0, x, 0.01 * x),
    "gelu": lambda x: 0.5 * x * (1 + erf(x / np.sqrt(2))),
    "silu": lambda x: x * expit(x),
    "tanh": np.tanh,
    "sigmoid": expit,
}
KIND_LIST = ["safe", "abs", "square", "offset"]


def _random(kind, rng, m=5, n=4):
    nb = n + 1 if kind == "offset" else n
    return rng.standard_normal(m + 1), 0.7 * rng.standard_normal(nb)


def _scale(F, x):
    # rounding scale of P/Q and its derivative: every Horner step rounds once, so the error is
    # a few ulps of sum |a_i||x|^i / Q plus |F| times sum |b_j||x|^j / Q (and their derivatives)
    a, b = np.abs(F.numerator), np.abs(F.denominator)
    ax = np.abs(x)[:, None]
    sa = (a * ax ** np.arange(a.size)).sum(1) + (
        a[1:] * np.arange(1, a.size) * ax ** np.arange(a.size - 1)
    ).sum(1)
    sb = (b * ax ** np.arange(b.size)).sum(1) * (1 + ax[:, 0]) ** 2
    q = F.kind == "offset" and 0.1 or 1.0
    return (sa + np.abs(F(x)) * sb + sb) / q


@pytest.mark.parametrize("kind", KIND_LIST)
def test_values_and_derivative_match_mpmath(kind, rng):
    a, b = _random(kind, rng)
    F = Rational(a, b, kind)
    x = np.concatenate([rng.uniform(-4, 4, 40), [0.0, -1.0, 1.0]])
    v = np.array([float(ref.value(xi, a, b, kind)) for xi in x])
    d = np.array([float(ref.derivative(xi, a, b, kind)) for xi in x])
    s = _scale(F, x)
    # 16 ulps of the scale: (m + n) rounded Horner steps ~ 10, headroom for the division
    assert np.all(np.abs(F(x) - v) <= 16 * EPS * s)
    assert np.all(np.abs(F.derivative(x) - d) <= 16 * EPS * s * (1 + np.abs(x)))


@pytest.mark.parametrize("kind", KIND_LIST)
def test_gradients_match_mpmath(kind, rng):
    a, b = _random(kind, rng)
    F = Rational(a, b, kind)
    x = rng.uniform(-3, 3, 30)
    gy = rng.standard_normal(30)
    gx, ga, gb = F.gradients(x, gy)
    G = np.array([[float(v) for v in ref.coefficient_gradient(xi, a, b, kind)] for xi in x])
    want = gy @ G
    d = np.array([float(ref.derivative(xi, a, b, kind)) for xi in x])
    tol = 64 * EPS * (np.abs(gy) @ np.abs(G)) * 30  # 30 terms summed, each a few ulps off
    assert np.all(np.abs(np.concatenate([ga, gb]) - want) <= tol + 1e-300)
    np.testing.assert_allclose(gx, gy * d, rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("kind", KIND_LIST)
def test_reference_gradients_agree_with_mpmath_diff(kind):
    import mpmath

    a, b = [0.3, -1.2, 0.5, 0.1], [0.4, -0.3, 0.2]
    if kind == "offset":
        b = [0.2] + b
    x0 = 0.83  # away from every kink of |.|
    with mpmath.mp.workdps(30):
        g = ref.coefficient_gradient(x0, a, b, kind, dps=60)
        for i in range(len(a)):
            fd = mpmath.diff(
                lambda v, i=i: ref.value(x0, a[:i] + [v] + a[i + 1 :], b, kind, 60), a[i]
            )
            assert abs(fd - g[i]) < 1e-20
        for j in range(len(b)):
            fd = mpmath.diff(
                lambda v, j=j: ref.value(x0, a, b[:j] + [v] + b[j + 1 :], kind, 60), b[j]
            )
            assert abs(fd - g[len(a) + j]) < 1e-20


def test_jacobian_is_the_adjoint_of_the_coefficient_gradients(rng):
    for kind in KIND_LIST:
        F = Rational(*_random(kind, rng), kind)
        x, gy = rng.uniform(-3, 3, 50), rng.standard_normal(50)
        _, ga, gb = F.gradients(x, gy)
        np.testing.assert_allclose(
            F.jacobian(x).T @ gy, np.concatenate([ga, gb]), rtol=1e-12, atol=1e-12
        )


def test_subgradient_at_the_kinks_is_the_midpoint():
    a = [0.0, 2.0, 1.0]
    F = Rational(a, [3.0, 1.0], "abs")  # |x| kink at 0: one-sided slopes a1 -/+ ...; midpoint a1
    assert float(F.derivative(np.array([0.0]))[0]) == 2.0
    _, _, gb = F.gradients(np.array([0.0, 1.0]), np.array([1.0, 0.0]))
    assert gb.tolist() == [0.0, 0.0]
    G = Rational(a, [1.0, -1.0], "safe")  # A = x - x^2 vanishes at 0 and 1: sign(0) = 0
    assert G.derivative(np.array([0.0, 1.0])).tolist() == [2.0, 4.0]  # P'(x) / 1
    assert Rational(a, [0.0, 1.0], "abs").gradients(np.array([1.0]), np.array([1.0]))[2][0] == 0


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), kind=st.sampled_from(KIND_LIST))
def test_no_pole_for_any_coefficients(seed, kind):
    rng = np.random.default_rng(seed)
    a, b = _random(kind, rng)
    F = Rational(a, 50 * b, kind)
    x = np.concatenate([rng.uniform(-1e3, 1e3, 200), np.linspace(-2, 2, 201)])
    for out in (F(x), F.derivative(x), *F.gradients(x, np.ones_like(x))):
        assert np.all(np.isfinite(out))


def test_float32_stays_float32_and_is_close(rng):
    F = Rational.preset("gelu")
    x = rng.standard_normal(1000).astype(np.float32)
    y = F(x)
    assert y.dtype == np.float32
    np.testing.assert_allclose(y, F(x.astype(np.float64)), rtol=0, atol=2e-6)
    gx, ga, gb = F.gradients(x, np.ones_like(x))
    assert gx.dtype == ga.dtype == gb.dtype == np.float32
    _, ga64, gb64 = F.gradients(x.astype(np.float64), np.ones(1000))
    np.testing.assert_allclose(ga, ga64, rtol=1e-4)


def test_group_rational_maps_channels_like_kat(rng):
    a = rng.standard_normal(6)
    b = 0.5 * rng.standard_normal((4, 4))
    G = GroupRational(a, b, "safe")
    assert G.group_of_channel(8).tolist() == [0, 0, 1, 1, 2, 2, 3, 3]
    x, gy = rng.standard_normal((5, 8)), rng.standard_normal((5, 8))
    y = G(x)
    gx, ga, gb = G.gradients(x, gy)
    ga_ref, gb_ref = np.zeros(6), np.zeros((4, 4))
    for c in range(8):
        F = Rational(a, b[c // 2], "safe")
        np.testing.assert_allclose(y[:, c], F(x[:, c]), rtol=1e-15)
        gxc, gac, gbc = F.gradients(x[:, c], gy[:, c])
        np.testing.assert_allclose(gx[:, c], gxc, rtol=1e-15)
        ga_ref += gac
        gb_ref[c // 2] += gbc
    # the sums cancel (an entry can be 1e-3 of the others): tolerance relative to the largest
    np.testing.assert_allclose(ga, ga_ref, rtol=0, atol=1e-13 * np.abs(ga_ref).max())
    np.testing.assert_allclose(gb, gb_ref, rtol=0, atol=1e-13 * np.abs(gb_ref).max())


def test_group_rational_channel_first_layout(rng):
    G = GroupRational.preset("silu", groups=2, kind="abs")
    x = rng.standard_normal((2, 4, 3, 3))
    y = G(x, channel_axis=1)
    np.testing.assert_allclose(y, G(np.moveaxis(x, 1, -1)).transpose(0, 3, 1, 2), rtol=1e-15)


def test_gradients_are_deterministic_and_thread_independent(rng):
    import numba

    G = GroupRational(rng.standard_normal(6), 0.5 * rng.standard_normal((8, 4)), "safe")
    x = rng.standard_normal((160, 256))  # 40960 points: the parallel (generic) path
    gy = rng.standard_normal(x.shape)
    first = G.gradients(x, gy)
    old = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = G.gradients(x, gy)
    finally:
        numba.set_num_threads(old)
    for u, v, w in zip(first, G.gradients(x, gy), one, strict=True):
        assert np.array_equal(u, v) and np.array_equal(u, w)


@pytest.mark.parametrize("walk", ["columns", "runs"])
def test_specialised_loops_agree_with_generic(rng, walk, monkeypatch):
    from splinekit._kernels.cpu import rational as K

    if walk == "runs":
        monkeypatch.setattr(K, "PERIOD_MAX", 0)

    a, b = rng.standard_normal(3), 0.5 * rng.standard_normal((2, 1))
    F = GroupRational(a, b, "abs")
    x = rng.standard_normal((K.SPECIALISE_ABOVE // 32, 32))
    gy = rng.standard_normal(x.shape)
    y, (gx, ga, gb) = F(x), F.gradients(x, gy)
    half = x.shape[0] // 2  # below the threshold: generic loops, same chunks
    y0 = np.concatenate([F(x[:half]), F(x[half:])])
    g0, g1 = F.gradients(x[:half], gy[:half]), F.gradients(x[half:], gy[half:])
    # LLVM fuses multiply-adds (FMA) differently in the unrolled and the generic loops: the two
    # differ by a rounding or two of the terms (|P'|, |F Q'| ~ max|F'|), not bit for bit
    gx0 = np.concatenate([g0[0], g1[0]])
    np.testing.assert_allclose(y, y0, rtol=0, atol=8 * EPS * np.abs(y).max())
    np.testing.assert_allclose(gx, gx0, rtol=0, atol=8 * EPS * np.abs(gx).max())
    np.testing.assert_allclose(ga, g0[1] + g1[1], rtol=1e-12)
    np.testing.assert_allclose(gb, g0[2] + g1[2], rtol=1e-12)


def test_from_kat_uses_the_kernel_denominator():
    G = GroupRational.from_kat(np.array([[0.0, 1.0, 0.0]]), np.array([[0.0, 1.0], [0.0, 0.0]]))
    assert G.kind == "abs"
    assert G(np.array([[-2.0, 3.0]])).tolist() == [[-2.0 / 5.0, 3.0]]


@pytest.mark.parametrize(
    "rec", records()["presets"], ids=lambda r: f"{r['name']}-{r['m']}{r['n']}-{r['kind']}"
)
def test_presets_reproduce_their_target_within_the_stored_error(rec):
    F = Rational.preset(rec["name"], rec["m"], rec["n"], rec["kind"])
    x = np.linspace(*rec["interval"], 4001)
    err = np.max(np.abs(F(x) - TARGETS[rec["name"]](x)))
    assert err <= rec["max_error"] * (1 + 1e-9) + 1e-15  # stored on a finer (100001) grid
    if rec["name"] in ("identity", "silu", "sigmoid") and rec["m"] == 5:
        assert rec["max_error"] < 1e-5


def test_swish_is_silu_and_unknown_presets_say_what_exists():
    assert Rational.preset("swish").numerator.tolist() == Rational.preset("silu").numerator.tolist()
    with pytest.raises(ValueError, match="no rational preset 'elu'.*names:.*gelu"):
        Rational.preset("elu")
    assert Rational.preset_info("gelu")["max_error"] < 2e-3


def test_gain_two_ways_and_exact_cases():
    assert gain(Rational([0.0, 1.0], [])) == pytest.approx(1.0, abs=1e-13)
    assert gain(Rational([0.0, 0.0, 1.0], [])) == pytest.approx(3.0, abs=1e-12)  # E[x^4]
    for name in ("gelu", "silu", "relu"):
        for kind in ("safe", "abs"):
            F = Rational.preset(name, kind=kind)
            q, h = gain(F, "quad"), gain(F, "hermite")
            # Gauss-Hermite converges slowly across the kinks of |.|: measured < 2e-5 relative
            assert abs(q - h) <= 5e-5 * q
    G = GroupRational.preset("gelu", groups=3)
    np.testing.assert_allclose(gain(G), [gain(Rational.preset("gelu"))] * 3, rtol=1e-12)


def test_fit_recovers_a_representable_rational():
    F0 = Rational([0.1, 1.0, -0.3], [0.5, 0.2], "square")
    F = fit_rational(F0, m=2, n=2, kind="square", interval=(-2, 2))
    x = np.linspace(-2, 2, 101)
    assert np.max(np.abs(F(x) - F0(x))) < 1e-9


def test_fit_escapes_the_tanh_square_local_minimum():
    # the old fit stopped at 1.6e-2 max error (worse than its own (3, 2) fit, 3.6e-3); the
    # nested start reaches 1.34e-4 on 2001 points (1.30e-4 on the 501 used here, for speed); no
    # better minimum found from 40 random starts. Bound: 1.5x the measured value.
    F, info = fit_rational(np.tanh, m=5, n=4, kind="square", n_points=501, return_info=True)
    x = np.linspace(-3, 3, 4001)
    assert np.max(np.abs(F(x) - np.tanh(x))) < 2e-4
    # won by one of the new starts (which one depends on roundings: two reach the same minimum)
    assert info["start"] not in {"linearised", "abs(linearised)", "polynomial", "safe fit"}


def test_fit_error_is_monotone_in_degree():
    # the (m-1, n-1) fit padded with zeros is a start, so the least-squares error cannot rise
    # along the diagonal; gelu/"square" has a distinct minimum at every level
    x = np.linspace(-3, 3, 401)
    sse = []
    for k in range(4):
        F = fit_rational(TARGETS["gelu"], m=1 + k, n=k, kind="square", n_points=401)
        sse.append(float(np.sum((F(x) - TARGETS["gelu"](x)) ** 2)))
    assert all(b <= a for a, b in zip(sse[:-1], sse[1:], strict=True)), sse
    assert sse[-1] < 1e-3 * sse[0]


def test_fit_is_deterministic_and_offset_contains_safe():
    f = TARGETS["silu"]
    F1 = fit_rational(f, m=3, n=2, kind="offset", n_points=301)
    F2 = fit_rational(f, m=3, n=2, kind="offset", n_points=301)
    assert F1.numerator.tolist() == F2.numerator.tolist()
    assert F1.denominator.tolist() == F2.denominator.tolist()
    S = fit_rational(f, m=3, n=2, kind="safe", n_points=301)
    x = np.linspace(-3, 3, 301)
    # 1 + |B| = 10 (0.1 + |B / 10|): the safe fit is a start of the offset fit
    assert np.sum((F1(x) - f(x)) ** 2) <= np.sum((S(x) - f(x)) ** 2) * (1 + 1e-12)


def test_fit_with_weight_and_info():
    F, info = fit_rational(np.tanh, m=3, n=2, weight=lambda x: np.exp(-x * x / 2), return_info=True)
    assert info["max_error"] < 0.05
    assert info["start"] in ("linearised", "abs(linearised)", "polynomial", "nested") or info[
        "start"
    ].startswith("random ")


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        (dict(interval=(1.0, -1.0)), ValueError, "a < b; got \\(1.0, -1.0\\)"),
        (dict(kind="pau"), ValueError, "kind must be one of"),
        (dict(weight=lambda x: -np.ones_like(x)), ValueError, "weight must be >= 0"),
        (dict(weight=3.0), TypeError, "weight must be callable"),
        (dict(m=-1), ValueError, "m must be >= 0"),
    ],
)
def test_fit_bad_arguments(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        fit_rational(np.tanh, **kwargs)


def test_fit_rejects_non_finite_targets():
    with pytest.raises(ValueError, match="f returned a non-finite value: f\\(x=0.0\\)"):
        with np.errstate(divide="ignore"):
            fit_rational(lambda x: 1.0 / x, interval=(-1, 1), n_points=101)
    with pytest.raises(TypeError, match="f must be callable"):
        fit_rational(3.0)


def test_bad_coefficients_and_arguments():
    with pytest.raises(ValueError, match="numerator must be finite; numerator\\[1\\] is nan"):
        Rational([0.0, np.nan], [1.0])
    with pytest.raises(ValueError, match="denominator must be 1-dimensional"):
        Rational([0.0, 1.0], [[1.0]])
    with pytest.raises(ValueError, match="kind must be one of"):
        Rational([0.0, 1.0], [1.0], kind="kat_cpu")
    with pytest.raises(ValueError, match="kind='offset' holds b_0..b_n"):
        Rational([1.0], [], kind="offset")
    with pytest.raises(ValueError, match="numerator must hold at least one coefficient"):
        Rational([], [1.0])
    F = Rational([0.0, 1.0], [1.0])
    with pytest.raises(
        ValueError, match="grad_out must have the shape of x \\(3,\\); got \\(2,\\)"
    ):
        F.gradients(np.zeros(3), np.zeros(2))
    G = GroupRational([0.0, 1.0], np.ones((3, 1)))
    with pytest.raises(
        ValueError, match="channels \\(4\\) must be divisible by the number of groups \\(3\\)"
    ):
        G(np.zeros((2, 4)))
    with pytest.raises(ValueError, match="denominators must be 2-dimensional"):
        GroupRational([0.0, 1.0], [1.0])


@pytest.mark.parametrize("kind", KIND_LIST)
@pytest.mark.parametrize("shape", [(40, 24), (3, 700)])  # lg = 3 (runs shorter than a block), 175
def test_columns_and_runs_walks_agree(kind, shape, rng, monkeypatch):
    """The two CPU walks (column table; run by run) compute the same values and sums."""
    from splinekit._kernels.cpu import rational as K

    a, b = _random(kind, rng, m=4, n=3)
    F = GroupRational(a, np.stack([b, 0.5 * b, -b, b[::-1]]), kind)
    x, gy = rng.standard_normal(shape), rng.standard_normal(shape)
    assert K.columns_layout(x.size, 4, shape[1] // 4)
    cols = F(x), F.derivative(x), *F.gradients(x, gy)
    monkeypatch.setattr(K, "PERIOD_MAX", 0)  # every layout now takes the runs walk
    assert not K.columns_layout(x.size, 4, shape[1] // 4)
    runs = F(x), F.derivative(x), *F.gradients(x, gy)
    for u, v in zip(cols[:3], runs[:3], strict=True):
        np.testing.assert_array_equal(u, v)  # the same scalar code on every point
    for u, v in zip(cols[3:], runs[3:], strict=True):  # sums in two orders: ulps of the largest
        np.testing.assert_allclose(u, v, rtol=0, atol=1e-14 * np.abs(v).max())
    ref_ga = sum(Rational(a, F.denominators[c * 4 // shape[1]], kind).gradients(
        x[:, c], gy[:, c])[1] for c in range(shape[1]))  # fmt: skip
    np.testing.assert_allclose(cols[3], ref_ga, rtol=0, atol=1e-13 * np.abs(ref_ga).max())


def test_tiny_periods_keep_float32_lane_sums_short(rng):
    """G * lg = 2: the row is the period repeated to a block, so a lane sums <= 256 terms."""
    from splinekit._kernels.cpu import rational as K

    F = GroupRational(rng.standard_normal(6), 0.5 * rng.standard_normal((2, 4)), "safe")
    x = rng.standard_normal((2**16, 2)).astype(np.float32)
    gy = rng.standard_normal(x.shape).astype(np.float32)
    assert K.row_width(x.size, 2, 1) == 256 and K.rows_per_chunk(256) == 128
    _, ga, gb = F.gradients(x, gy)
    _, ga64, gb64 = F.gradients(x.astype(np.float64), gy.astype(np.float64))
    # inputs rounded alike; the float32 terms carry ~1e-7 relative error each and the float32
    # partial sums <= 256 terms (random-walk growth ~16 eps32): far below 1e-5 of the largest
    np.testing.assert_allclose(ga, ga64, rtol=0, atol=1e-5 * np.abs(ga64).max())
    np.testing.assert_allclose(gb, gb64, rtol=0, atol=1e-5 * np.abs(gb64).max())


def test_columns_walk_when_the_repeated_row_does_not_tile(rng):
    """N a multiple of the period but not of the repeated row: rows of one period."""
    from splinekit._kernels.cpu import rational as K

    F = GroupRational(rng.standard_normal(4), 0.5 * rng.standard_normal((4, 2)), "abs")
    x, gy = rng.standard_normal((7, 24)), rng.standard_normal((7, 24))
    assert K.columns_layout(x.size, 4, 6) and K.row_width(x.size, 4, 6) == 24
    y, (gx, ga, gb) = F(x), F.gradients(x, gy)
    ga_ref, gb_ref = np.zeros(4), np.zeros((4, 2))
    for c in range(24):
        Fc = Rational(F.numerator, F.denominators[c // 6], "abs")
        gxc, gac, gbc = Fc.gradients(x[:, c], gy[:, c])
        np.testing.assert_allclose(y[:, c], Fc(x[:, c]), rtol=0, atol=8e-15)
        np.testing.assert_allclose(gx[:, c], gxc, atol=1e-14)
        ga_ref += gac
        gb_ref[c // 6] += gbc
    np.testing.assert_allclose(ga, ga_ref, rtol=0, atol=1e-13 * np.abs(ga_ref).max())
    np.testing.assert_allclose(gb, gb_ref, rtol=0, atol=1e-13 * np.abs(gb_ref).max())
