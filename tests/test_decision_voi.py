"""Value of information against closed forms (domain.md) and hand-computed matrices."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr
from scipy.stats import norm

from simpact import decision
from simpact.base.errors import SimpactError

PHI0 = 1 / np.sqrt(2 * np.pi)  # 0.3989: E max(Z, 0) for a standard normal Z


def normal_evpi(mu: float, sigma: float) -> float:
    """EVPI of a Normal(mu, sigma²) incremental net benefit against doing nothing (domain.md)."""
    return sigma * norm.pdf(mu / sigma) - abs(mu) * norm.cdf(-abs(mu) / sigma)


def grid_normal(n: int = 100_000) -> np.ndarray:
    """Stratified standard-normal points: sample means equal expectations to ~1e-5."""
    return norm.ppf((np.arange(n) + 0.5) / n)


def against_nothing(inb: np.ndarray | xr.DataArray, dims=("draw",)) -> xr.DataArray:
    inb = inb if isinstance(inb, xr.DataArray) else xr.DataArray(inb, dims=dims)
    return xr.concat([inb, xr.zeros_like(inb)], "scenario").assign_coords(scenario=["do", "not"])


def test_closed_form_constants():
    assert normal_evpi(0, 1) == pytest.approx(0.3989, abs=1e-4)
    assert normal_evpi(0, np.sqrt(2)) == pytest.approx(0.5642, abs=1e-4)


@pytest.mark.parametrize(("mu", "sigma"), [(0.0, 1.0), (0.5, 2.0), (-1.0, 0.7), (3.0, 1.0)])
def test_evpi_of_a_normal_incremental_net_benefit(mu, sigma):
    nb = against_nothing(mu + sigma * grid_normal())
    assert float(decision.evpi(nb)) == pytest.approx(normal_evpi(mu, sigma), abs=2e-4)


def test_evpi_of_a_hand_computed_matrix():
    # row maxima 2, 3, 5 (mean 10/3); column means 4/3, 2, 1 (max 2): EVPI = 4/3
    nb = xr.DataArray([[1, 0, 2], [3, 1, 0], [0, 5, 1]], dims=("draw", "scenario"))
    assert float(decision.evpi(nb)) == pytest.approx(4 / 3)


def test_chain_and_draw_dims_give_the_same_answer_as_one_draw_dim():
    rng = np.random.default_rng(3)
    v = rng.normal(size=(4, 500, 3))
    nb4 = xr.DataArray(v, dims=("chain", "draw", "scenario"))
    nb1 = xr.DataArray(v.reshape(2000, 3), dims=("draw", "scenario"))
    assert float(decision.evpi(nb4)) == pytest.approx(float(decision.evpi(nb1)))
    theta = xr.Dataset({"a": (("chain", "draw"), v[..., 1] - v[..., 0])})
    flat = xr.Dataset({"a": ("draw", (v[..., 1] - v[..., 0]).ravel())})
    assert float(decision.evppi(nb4, theta)[0]) == pytest.approx(
        float(decision.evppi(nb1, flat)[0]), rel=1e-9
    )


@pytest.fixture(scope="module")
def sum_of_normals():
    rng = np.random.default_rng(20251123)
    t = rng.normal(size=(3, 20_000))
    return t, xr.Dataset({f"t{i + 1}": ("draw", t[i]) for i in range(3)})


def test_evppi_of_one_term_of_a_sum(sum_of_normals):
    """NB = θ1 + θ2 against 0: EVPPI(θ1) = 0.3989, EVPI = 0.5642 (domain.md)."""
    t, inputs = sum_of_normals
    nb = against_nothing(t[0] + t[1])
    mc = 4 * 0.6 / np.sqrt(t.shape[1])  # four Monte Carlo standard errors
    assert float(decision.evpi(nb)) == pytest.approx(normal_evpi(0, np.sqrt(2)), abs=mc)
    ev = decision.evppi(nb, inputs, groups={"one": ["t1"], "both": ["t1", "t2"], "noise": ["t3"]})
    assert float(ev.sel(group="one")) == pytest.approx(PHI0, abs=mc)
    assert float(ev.sel(group="both")) == pytest.approx(float(decision.evpi(nb)), abs=1e-3)
    assert float(ev.sel(group="noise")) == pytest.approx(0, abs=0.01)


def test_evppi_captures_an_interaction():
    """NB = θ1 θ2, θ1 ~ N(0, 1), θ2 ~ N(1, 0.5²): E[NB | θ1] = θ1, E[NB | θ2] = 0.

    EVPPI(θ1) = φ(0) E θ2 = 0.3989; EVPPI(θ2) = 0; EVPPI(θ1, θ2) = EVPI = φ(0) E|θ2| with
    E|θ2| the folded-normal mean.
    """
    rng = np.random.default_rng(7)
    n = 20_000
    t1, t2 = rng.normal(size=n), rng.normal(1.0, 0.5, n)
    nb = against_nothing(t1 * t2)
    inputs = xr.Dataset({"t1": ("draw", t1), "t2": ("draw", t2)})
    folded = 0.5 * np.sqrt(2 / np.pi) * np.exp(-2) + 1 - 2 * norm.cdf(-2)
    ev = decision.evppi(nb, inputs, groups={"t1": ["t1"], "t2": ["t2"], "both": ["t1", "t2"]})
    mc = 0.02
    assert float(ev.sel(group="t1")) == pytest.approx(PHI0, abs=mc)
    assert float(ev.sel(group="t2")) == pytest.approx(0, abs=mc / 2)
    assert float(ev.sel(group="both")) == pytest.approx(PHI0 * folded, abs=mc)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_evppi_never_exceeds_evpi_nor_falls_when_a_parameter_is_added(seed):
    rng = np.random.default_rng(seed)
    n = 5000
    t = rng.normal(size=(4, n))
    c = rng.uniform(-1, 1, 6)
    inb = c[0] + t[0] + c[1] * t[1] + c[2] * t[0] * t[2] + c[3] * np.exp(0.5 * t[3]) + c[4]
    other = c[5] * t[1] - t[2]
    nb = xr.DataArray(np.stack([inb, other, np.zeros(n)], 1), dims=("draw", "scenario"))
    inputs = xr.Dataset({f"t{i}": ("draw", t[i]) for i in range(4)})
    nested = {f"first{k}": [f"t{i}" for i in range(k)] for k in range(1, 5)}
    ev = decision.evppi(nb, inputs, groups=nested).to_numpy()
    total = float(decision.evpi(nb))
    slack = 0.01 * total
    assert (ev <= total + slack).all()
    assert (np.diff(ev) >= -slack).all()
    assert ev[-1] == pytest.approx(total, rel=0.02)  # all parameters: NB is a function of them


def test_evppi_default_groups_are_the_input_variables():
    rng = np.random.default_rng(5)
    n = 3000
    cost = xr.DataArray(
        rng.gamma(5, 1, (n, 2)), dims=("draw", "outcome"), coords={"outcome": ["care", "school"]}
    )
    effect = xr.DataArray(rng.normal(0.1, 0.1, n), dims="draw")
    fixed = xr.DataArray(np.ones(n), dims="draw")  # constant: dropped
    inb = effect * cost.sum("outcome") * 10 - 5
    ev = decision.evppi(
        against_nothing(inb), xr.Dataset({"unit_cost": cost, "effect": effect, "fixed": fixed})
    )
    assert ev["group"].values.tolist() == ["unit_cost", "effect"]
    params = decision.parameters(xr.Dataset({"unit_cost": cost, "fixed": fixed}))
    assert params["parameter"].values.tolist() == ["unit_cost[care]", "unit_cost[school]"]


def test_evppi_over_a_willingness_to_pay_dim():
    rng = np.random.default_rng(9)
    t = rng.normal(size=(2, 4000))
    money = against_nothing(t[0] - 1)
    outcome = against_nothing(t[1] + 1)
    nb = decision.net_benefit(money, outcome, wtp=[0.0, 1.0])
    ev = decision.evppi(nb, xr.Dataset({"t1": ("draw", t[0]), "t2": ("draw", t[1])}))
    assert set(ev.dims) == {"group", "wtp"}
    # at wtp 0 only θ1 matters: INB = θ1 − 1 ~ N(−1, 1)
    assert float(ev.sel(group="t1", wtp=0.0)) == pytest.approx(normal_evpi(-1, 1), abs=0.02)
    assert float(ev.sel(group="t2", wtp=0.0)) == pytest.approx(0, abs=0.005)


def normal_evsi(mu, sigma, n, n0):
    return 0.0 if n == 0 else normal_evpi(mu, sigma * np.sqrt(n / (n + n0)))


@pytest.mark.parametrize(("mu", "sigma", "sd_unit"), [(0.5, 2.0, 2.0), (-0.3, 1.0, 5.0)])
def test_evsi_is_the_normal_normal_preposterior(mu, sigma, sd_unit):
    """θ ~ N(μ, σ²), INB = θ, a study of n units each with sd ``sd_unit``: the preposterior
    mean is Normal(μ, σ² n / (n + n0)) with n0 = sd_unit² / σ², so EVSI is the normal EVPI at
    that spread; it is 0 at n = 0 and tends to EVPPI = EVPI as n → ∞."""
    theta = xr.DataArray(mu + sigma * grid_normal(50_000), dims="draw")
    nb = against_nothing(theta)
    sizes = [0, 1, 4, 25, 100, 1e9]
    r = decision.evsi(nb, theta, n=sizes, sd_unit=sd_unit, cost_fixed=0.01, cost_per_unit=1e-4)
    n0 = sd_unit**2 / sigma**2
    expected = [normal_evsi(mu, sigma, n, n0) for n in sizes]
    np.testing.assert_allclose(r["evsi"].to_numpy(), expected, atol=2e-3)
    assert r.attrs["n0"] == pytest.approx(n0, rel=1e-3)
    assert float(r["evsi"].sel(n=1e9)) == pytest.approx(normal_evpi(mu, sigma), abs=2e-3)
    assert (np.diff(r["evsi"].to_numpy()) >= -1e-9).all()
    assert float(r["cost"].sel(n=0)) == 0  # no study, no cost
    np.testing.assert_allclose(r["enbs"], r["evsi"] - r["cost"])
    assert r.attrs["best_n"] == sizes[int(np.argmax(r["enbs"].to_numpy()))]


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda nb, th: decision.evpi(nb.isel(scenario=0)), "scenario"),
        (lambda nb, th: decision.evpi(nb.isel(scenario=[0])), "at least two"),
        (lambda nb, th: decision.evpi(nb.rename(draw="sample")), "sample dims"),
        (lambda nb, th: decision.evpi(nb.where(nb > 0)), "NaN"),
        (lambda nb, th: decision.evppi(nb, th.isel(draw=slice(0, 5))), "same joint draws"),
        (lambda nb, th: decision.evppi(nb, th, groups=["nope"]), "unknown parameter"),
        (lambda nb, th: decision.evsi(nb, th["a"], n=[10], sd_unit=0.0), "sd_unit"),
        (lambda nb, th: decision.evsi(nb, th["a"], n=[-1], sd_unit=1.0), ">= 0"),
    ],
)
def test_bad_input_gets_a_clear_error(make, match):
    rng = np.random.default_rng(0)
    a = rng.normal(size=50)
    nb = against_nothing(a)
    with pytest.raises(SimpactError, match=match):
        make(nb, xr.Dataset({"a": ("draw", a)}))
