"""Sensitivity from the sample: SALib-style known answers (Ishigami) and a linear tornado."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from simpact import decision
from simpact.base.errors import SimpactError


def ishigami_first_order(a: float = 7.0, b: float = 0.1) -> np.ndarray:
    """Analytic first-order indices of the Ishigami function, x_i ~ U(−π, π).

    V = a²/8 + b π⁴/5 + b² π⁸/18 + 1/2, V1 = (1 + b π⁴/5)² / 2, V2 = a²/8, V3 = 0
    (Ishigami & Homma 1990; Sobol' & Levitan 1999).
    """
    v = a**2 / 8 + b * np.pi**4 / 5 + b**2 * np.pi**8 / 18 + 0.5
    return np.array([0.5 * (1 + b * np.pi**4 / 5) ** 2, a**2 / 8, 0.0]) / v


def test_ishigami_reference_values():
    np.testing.assert_allclose(ishigami_first_order(), [0.3139, 0.4424, 0.0], atol=1e-4)


def test_sobol_first_order_of_the_ishigami_function():
    rng = np.random.default_rng(2024)
    x = rng.uniform(-np.pi, np.pi, size=(3, 20_000))
    y = np.sin(x[0]) + 7 * np.sin(x[1]) ** 2 + 0.1 * x[2] ** 4 * np.sin(x[0])
    inputs = xr.Dataset({f"x{i + 1}": ("draw", x[i]) for i in range(3)})
    s = decision.sobol_first(xr.DataArray(y, dims="draw"), inputs)
    np.testing.assert_allclose(s.to_numpy(), ishigami_first_order(), atol=0.02)


def test_sobol_of_a_linear_model_with_chains():
    # y = x1 + 2 x2 + 0 x3 with independent standard normals: S = 1/5, 4/5, 0
    rng = np.random.default_rng(1)
    x = rng.normal(size=(3, 4, 5000))
    inputs = xr.Dataset({f"x{i + 1}": (("chain", "draw"), x[i]) for i in range(3)})
    y = xr.DataArray(x[0] + 2 * x[1], dims=("chain", "draw"))
    s = decision.sobol_first(y, inputs)
    np.testing.assert_allclose(s.to_numpy(), [0.2, 0.8, 0.0], atol=0.02)


def test_tornado_of_a_linear_model():
    # y = 3 x1 − x2, x ~ U(0, 1): the bottom decile of x1 has mean 0.05, the top 0.95, so
    # y swings by 3 × 0.9 = 2.7 through x1 and 0.9 through x2 (in the opposite direction)
    rng = np.random.default_rng(3)
    u = rng.uniform(size=(2, 50_000))
    inputs = xr.Dataset({"x2": ("draw", u[1]), "x1": ("draw", u[0])})
    t = decision.tornado(xr.DataArray(3 * u[0] - u[1], dims="draw", attrs={"units": "SEK"}), inputs)
    assert t["parameter"].values.tolist() == ["x1", "x2"]  # sorted by swing
    np.testing.assert_allclose(t["swing"], [2.7, 0.9], atol=0.02)
    assert float(t["high"].sel(parameter="x1")) > float(t["low"].sel(parameter="x1"))
    assert float(t["high"].sel(parameter="x2")) < float(t["low"].sel(parameter="x2"))
    np.testing.assert_allclose(t["input_low"], [0.05, 0.05], atol=0.01)
    assert t["low"].attrs["units"] == "SEK"


def test_tornado_bars_equal_a_one_at_a_time_evaluation_of_a_linear_model():
    # y = f(x) = 2 + 3 x1 − x2 + 0 x3, inputs uniform on their ranges: each bar is f with that
    # input at its P5 (low) and P95 (high), every other input at its reference value (its mean)
    rng = np.random.default_rng(4)
    lo, hi = np.array([0.0, 10.0, -1.0]), np.array([1.0, 30.0, 1.0])
    x = lo[:, None] + (hi - lo)[:, None] * rng.uniform(size=(3, 80_000))

    def f(x1, x2, x3):
        return 2 + 3 * x1 - x2 + 0 * x3

    inputs = xr.Dataset({f"x{i + 1}": ("draw", x[i]) for i in range(3)})
    t = decision.beyond_noise(decision.tornado(xr.DataArray(f(*x), dims="draw"), inputs))
    assert t["parameter"].values.tolist() == ["x2", "x1"]  # x3 cannot move y: no bar
    reference = (lo + hi) / 2
    for i, name in ((0, "x1"), (1, "x2")):
        at = {}
        for bound, q in (("low", 0.05), ("high", 0.95)):
            point = reference.copy()
            point[i] = lo[i] + q * (hi[i] - lo[i])
            at[bound] = f(*point)
        sel = t.sel(parameter=name)
        mc = 4 * float(sel["swing_mcse"])
        assert abs(float(sel["low"]) - at["low"]) < mc, name
        assert abs(float(sel["high"]) - at["high"]) < mc, name


def test_bars_within_monte_carlo_noise_are_left_out():
    rng = np.random.default_rng(5)
    x = xr.Dataset({"a": ("draw", rng.uniform(size=2000)), "b": ("draw", rng.uniform(size=2000))})
    noise = rng.normal(size=2000)
    t = decision.tornado(xr.DataArray(0.5 * x["a"].values + noise, dims="draw"), x)
    assert float(t.sel(parameter="b")["swing"]) < 3 * float(t.sel(parameter="b")["swing_mcse"])
    assert "b" not in decision.beyond_noise(t)["parameter"].values


def test_bad_input():
    x = xr.Dataset({"a": ("draw", np.arange(10.0))})
    with pytest.raises(SimpactError, match="only sample dims"):
        decision.tornado(xr.DataArray(np.zeros((10, 2)), dims=("draw", "scenario")), x)
    with pytest.raises(SimpactError, match="does not vary"):
        decision.sobol_first(xr.DataArray(np.zeros(10), dims="draw"), x)
    with pytest.raises(SimpactError, match="draws"):
        decision.sobol_first(xr.DataArray(np.arange(12.0), dims="draw"), x)
    with pytest.raises(SimpactError, match="no input varies"):
        decision.tornado(
            xr.DataArray(np.arange(10.0), dims="draw"), xr.Dataset({"a": ("draw", np.ones(10))})
        )
