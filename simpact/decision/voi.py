"""Value of information: EVPI, EVPPI (regression method) and EVSI for a longer follow-up.

All functions take a net-benefit ``xarray.DataArray`` with a ``scenario`` dim (the
alternatives) and sample dims: either ``(chain, draw)`` or a single ``draw`` dim; any other dim
(e.g. ``wtp``) is carried through. Parameter draws come as an ``xarray.Dataset`` (such as the
``inputs`` group of a simulation) or a DataArray, with the same sample dims; every non-sample
coordinate of a variable is one parameter (``unit_cost[placement]``).

Definitions (``domain.md``), for net benefit ``NB[draw, scenario]``:

* EVPI = mean over draws of the row maximum − maximum over scenarios of the column mean;
* EVPPI(θ) = the same formula on the fitted values of a flexible regression of the incremental
  net benefit on θ (Strong, Oakley & Brennan 2014, *Med Decis Making* 34:311). The regression
  here is a ridge-penalised natural-cubic-spline basis: a 6-df spline per parameter (knots at
  its own quantiles), 3×3-df tensor products for every pair (products of the centred
  parameters in groups larger than :data:`MAX_PAIRS`) and products of the centred parameters
  for every triple (groups of up to :data:`MAX_TRIPLES`); the penalty is chosen per
  alternative by generalised cross-validation. Within those sizes adding a parameter to a
  group only adds columns, so the fit for a larger group nests the smaller one's. A parameter
  with at most 7 distinct values gets indicator columns instead of a spline.
* EVSI for a study of ``n`` more units (pupils, pupil-years) informing one parameter θ: the
  Gaussian approximation of Jalal & Alarid-Escudero (2018, *Med Decis Making* 38:174): the
  preposterior mean of θ is ``E θ + (θ − E θ) √(n / (n + n0))`` with ``n0 = sd_unit² / Var θ``
  the prior's effective sample size, and EVSI is the EVPPI formula on the regression evaluated
  there. For a normal θ and linear net benefit it is the exact normal-normal preposterior.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import xarray as xr

from simpact.base.errors import SimpactError

SAMPLE_DIMS = ("chain", "draw")
MAX_PAIRS = 15
"""Pairwise spline tensor products for groups of up to this many parameters (beyond: products
of the centred parameters)."""
MAX_TRIPLES = 8
"""Three-way products are used for groups of up to this many parameters."""


def sample_dims(x: xr.DataArray | xr.Dataset, name: str = "nb") -> tuple[str, ...]:
    """The sample dims of ``x``: ``("chain", "draw")`` or ``("draw",)``.

    Examples
    --------
    >>> sample_dims(xr.DataArray(np.zeros(3), dims="draw"))
    ('draw',)
    """
    if "draw" not in x.dims:
        raise SimpactError(
            f"{name} needs sample dims ('chain', 'draw') or ('draw',); it has {tuple(x.dims)}",
            field=name,
        )
    return ("chain", "draw") if "chain" in x.dims else ("draw",)


def flat_draws(x: xr.DataArray, dims: tuple[str, ...]) -> xr.DataArray:
    """Stack the sample dims into one ``sample`` dim placed first."""
    for d in ("chain", "draw"):
        if d in x.coords:
            x = x.drop_vars(d)
    return x.stack(sample=dims, create_index=False).transpose("sample", ...)


def check_nb(nb: xr.DataArray) -> tuple[str, ...]:
    if not isinstance(nb, xr.DataArray):
        raise SimpactError(f"nb must be an xarray.DataArray, not {type(nb).__name__}", field="nb")
    dims = sample_dims(nb)
    if "scenario" not in nb.dims:
        raise SimpactError(
            f"nb needs a 'scenario' dim (the alternatives compared); it has {tuple(nb.dims)}",
            field="nb",
        )
    if nb.sizes["scenario"] < 2:
        raise SimpactError("nb needs at least two scenarios to compare", field="nb.scenario")
    if not np.isfinite(nb.to_numpy()).all():
        raise SimpactError("nb contains NaN or infinite values", field="nb")
    return dims


def evpi(nb: xr.DataArray) -> xr.DataArray:
    """Expected value of perfect information.

    Parameters
    ----------
    nb
        Net benefit with a ``scenario`` dim and sample dims ``(chain, draw)`` or ``(draw,)``.

    Returns
    -------
    xarray.DataArray
        EVPI (in the units of ``nb``) over any remaining dims.

    Examples
    --------
    >>> nb = xr.DataArray([[1.0, 0.0], [-1.0, 0.0]], dims=("draw", "scenario"))
    >>> float(evpi(nb))
    0.5
    """
    dims = check_nb(nb)
    out = nb.max("scenario").mean(dims) - nb.mean(dims).max("scenario")
    return out.assign_attrs(units=nb.attrs.get("units", ""), description="EVPI")


# ------------------------------------------------------------------------ parameter draws


def parameters(inputs: xr.Dataset | xr.DataArray) -> xr.DataArray:
    """Parameter draws as one DataArray ``(sample dims..., parameter)``.

    Every non-sample coordinate of a variable becomes a parameter named ``var[coord]``;
    columns that are constant or contain NaN (unused inputs) are dropped, and so is a column
    identical to an earlier one (one shared draw stored under several names, e.g. a retention
    shared by every outcome), which keeps its first name.

    Examples
    --------
    >>> ds = xr.Dataset({"a": ("draw", [1.0, 2.0]), "b": (("draw", "k"), [[1, 3], [1, 4.0]])},
    ...                 coords={"k": ["x", "y"]})
    >>> parameters(ds)["parameter"].values.tolist()
    ['a', 'b[y]']
    """
    if isinstance(inputs, xr.DataArray) and set(inputs.dims) == {"sample", "parameter"}:
        return inputs.transpose("sample", "parameter")  # already flat
    if isinstance(inputs, xr.DataArray):
        inputs = (
            inputs.to_dataset(name=inputs.name or "theta")
            if "parameter" not in inputs.dims
            else xr.Dataset(
                {str(p): inputs.sel(parameter=p, drop=True) for p in inputs["parameter"].to_numpy()}
            )
        )
    if not isinstance(inputs, xr.Dataset):
        raise SimpactError("inputs must be an xarray Dataset or DataArray", field="inputs")
    dims = sample_dims(inputs, "inputs")
    cols, names, seen = [], [], set()
    for var, da in inputs.data_vars.items():
        other = [d for d in da.dims if d not in dims]
        if not set(dims) <= set(da.dims):
            raise SimpactError(f"input {var!r} lacks the sample dims {dims}", field=f"inputs.{var}")
        flat = flat_draws(da, dims)
        if other:
            flat = flat.stack(_col=other, create_index=False)
            labels = [
                ",".join(
                    str(da[d].to_numpy()[i]) if d in da.coords else str(i)
                    for d, i in zip(other, idx, strict=True)
                )
                for idx in np.ndindex(*[da.sizes[d] for d in other])
            ]
            values = flat.transpose("sample", "_col").to_numpy()
            col_names = [f"{var}[{lab}]" for lab in labels]
        else:
            values, col_names = flat.to_numpy()[:, None], [str(var)]
        for j, name in enumerate(col_names):
            v = np.ascontiguousarray(values[:, j], dtype=float)
            if np.isfinite(v).all() and np.ptp(v) > 0 and v.tobytes() not in seen:
                seen.add(v.tobytes())
                cols.append(v)
                names.append(name)
    if not cols:
        raise SimpactError("no input varies across draws; nothing to analyse", field="inputs")
    out = xr.DataArray(
        np.stack(cols, axis=1), dims=("sample", "parameter"), coords={"parameter": names}
    )
    return out


def _groups(
    params: xr.DataArray, groups: Mapping[str, Sequence[str]] | Sequence[str] | None
) -> dict[str, list[str]]:
    names = [str(p) for p in params["parameter"].to_numpy()]

    def expand(key: str) -> list[str]:
        hit = [n for n in names if n == key or n.startswith(f"{key}[")]
        if not hit:
            raise SimpactError(
                f"unknown parameter {key!r}; expected one of {', '.join(names)}", field="groups"
            )
        return hit

    if groups is None:
        out: dict[str, list[str]] = {}
        for n in names:
            out.setdefault(n.split("[")[0], []).append(n)
        return out
    if not isinstance(groups, Mapping):
        groups = {str(g): [g] for g in groups}
    return {g: [n for key in keys for n in expand(key)] for g, keys in groups.items()}


# ------------------------------------------------------------------------ the regression


def _ns_basis(x: np.ndarray, knots: np.ndarray) -> np.ndarray:
    """Natural cubic spline basis without intercept (Hastie et al., ESL eq. 5.4–5.5)."""
    if len(knots) < 3:
        return x[:, None]

    def d(k: int) -> np.ndarray:
        return (np.clip(x - knots[k], 0, None) ** 3 - np.clip(x - knots[-1], 0, None) ** 3) / (
            knots[-1] - knots[k]
        )

    last = d(len(knots) - 2)
    return np.column_stack([x] + [d(k) - last for k in range(len(knots) - 2)])


@dataclass(frozen=True)
class _Term:
    """One parameter's scaling and knots, so a basis can be rebuilt at new values."""

    centre: float
    scale: float
    knots: np.ndarray
    levels: np.ndarray | None  # few distinct values: indicator columns instead of a spline

    @classmethod
    def fit(cls, x: np.ndarray, df: int) -> _Term:
        centre, scale = float(x.mean()), float(x.std()) or 1.0
        z = (x - centre) / scale
        levels = np.unique(z)
        if len(levels) <= df + 1:
            return cls(centre, scale, np.array([]), levels)
        knots = np.unique(np.quantile(z, np.linspace(0.0, 1.0, df + 1)))
        return cls(centre, scale, knots, None)

    def linear(self, x: np.ndarray) -> np.ndarray:
        return (x - self.centre) / self.scale

    def basis(self, x: np.ndarray) -> np.ndarray:
        z = self.linear(x)
        if self.levels is not None:
            return (np.isclose(z[:, None], self.levels[None, 1:])).astype(float)
        return _ns_basis(z, self.knots)


@dataclass(frozen=True)
class _Fit:
    """A fitted penalised regression: predicts each response column at new parameter values."""

    main: list[_Term]
    pair: list[_Term]
    col_mean: np.ndarray
    col_scale: np.ndarray
    coef: np.ndarray
    y_mean: np.ndarray

    def design(self, x: np.ndarray) -> np.ndarray:
        blocks = [t.basis(x[:, j]) for j, t in enumerate(self.main)]
        d = x.shape[1]
        lin = [t.linear(x[:, j]) for j, t in enumerate(self.main)]
        # pairs: spline tensor products, or (large groups) products of the centred parameters
        small = [t.basis(x[:, j]) for j, t in enumerate(self.pair)] if d <= MAX_PAIRS else lin
        for i, j in combinations(range(d), 2):
            a, b = small[i].reshape(len(x), -1), small[j].reshape(len(x), -1)
            blocks.append((a[:, :, None] * b[:, None, :]).reshape(len(x), -1))
        for i, j, k in combinations(range(d), 3) if d <= MAX_TRIPLES else ():
            blocks.append((lin[i] * lin[j] * lin[k])[:, None])
        return np.column_stack(blocks)

    def predict(self, x: np.ndarray) -> np.ndarray:
        b = (self.design(x) - self.col_mean) / self.col_scale
        return self.y_mean + b @ self.coef


def _unfitted(x: np.ndarray, *, df: int = 6, pair_df: int = 3) -> _Fit:
    """The basis (knots and scaling) for parameters ``x``, before any coefficients."""
    main = [_Term.fit(x[:, j], df) for j in range(x.shape[1])]
    pair = [_Term.fit(x[:, j], pair_df) for j in range(x.shape[1])]
    return _Fit(main, pair, np.zeros(1), np.ones(1), np.zeros((1, 1)), np.zeros(1))


def _fit(x: np.ndarray, y: np.ndarray, *, df: int = 6, pair_df: int = 3) -> _Fit:
    """Ridge regression of each column of ``y`` on the spline design of ``x``, GCV per column."""
    proto = _unfitted(x, df=df, pair_df=pair_df)
    main, pair = proto.main, proto.pair
    b = proto.design(x)
    col_mean = b.mean(axis=0)
    col_scale = b.std(axis=0)
    keep = col_scale > 1e-12
    col_scale = np.where(keep, col_scale, 1.0)
    bs = (b - col_mean) / col_scale * keep
    y_mean = y.mean(axis=0)
    yc = y - y_mean
    u, s, vt = np.linalg.svd(bs, full_matrices=False)
    n = len(y)
    uty = u.T @ yc  # (p, k)
    resid0 = (yc**2).sum(axis=0) - (uty**2).sum(axis=0)  # outside the column space
    s2 = s**2
    lambdas = s2.max() * np.logspace(-10, 1, 45) if s2.max() > 0 else np.array([1.0])
    coef = np.zeros((bs.shape[1], y.shape[1]))
    for k in range(y.shape[1]):
        best = None
        for lam in lambdas:
            shrink = s2 / (s2 + lam)
            rss = resid0[k] + (((1 - shrink) * uty[:, k]) ** 2).sum()
            gcv = n * rss / max(n - shrink.sum(), 1.0) ** 2
            if best is None or gcv < best[0]:
                best = (gcv, lam)
        lam = best[1]
        coef[:, k] = vt.T @ (s / (s2 + lam) * uty[:, k])
    coef = coef * keep[:, None]
    return _Fit(main, pair, col_mean, col_scale, coef, y_mean)


def _incremental(nb: xr.DataArray, dims: tuple[str, ...]) -> tuple[np.ndarray, list, list]:
    """Incremental net benefit vs the first scenario: ``(sample, rest, scenario-1)``."""
    flat = flat_draws(nb, dims)
    rest = [d for d in flat.dims if d not in ("sample", "scenario")]
    flat = flat.transpose("sample", *rest, "scenario")
    v = flat.to_numpy()
    inc = v[..., 1:] - v[..., :1]
    return inc.reshape(len(v), -1), rest, [flat.sizes[d] for d in rest]


def _value(fitted: np.ndarray, n_scen: int, shape: list[int]) -> np.ndarray:
    """The EVPPI formula on fitted incremental net benefit ``(sample, rest*(scenario-1))``."""
    g = fitted.reshape(len(fitted), int(np.prod(shape, dtype=int)), n_scen - 1)
    g = np.concatenate([np.zeros((*g.shape[:-1], 1)), g], axis=-1)
    val = g.max(axis=-1).mean(axis=0) - g.mean(axis=0).max(axis=-1)
    return np.maximum(val, 0.0).reshape(shape)  # >= 0 by Jensen; clears rounding noise


def evppi(
    nb: xr.DataArray,
    inputs: xr.Dataset | xr.DataArray,
    *,
    groups: Mapping[str, Sequence[str]] | Sequence[str] | None = None,
) -> xr.DataArray:
    """Expected value of partial perfect information per parameter group (regression method).

    Parameters
    ----------
    nb
        Net benefit with a ``scenario`` dim and sample dims ``(chain, draw)`` or ``(draw,)``.
    inputs
        Parameter draws with the same sample dims (e.g. ``sim["inputs"].to_dataset()``).
    groups
        ``{"name": ["var", "var[coord]", ...]}`` or a list of parameter names, each its own
        group; a variable name stands for all its columns. Default: one group per variable.

    Returns
    -------
    xarray.DataArray
        EVPPI over dim ``group`` (plus any other dims of ``nb``), in the units of ``nb``.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> t = rng.normal(size=(2, 4000))
    >>> nb = xr.DataArray(np.stack([t.sum(0), 0 * t[0]], 1), dims=("draw", "scenario"))
    >>> th = xr.Dataset({"t1": ("draw", t[0]), "t2": ("draw", t[1])})
    >>> round(float(evppi(nb, th, groups=["t1"]).sel(group="t1")), 1)   # closed form 0.399
    0.4
    """
    dims = check_nb(nb)
    params = parameters(inputs)
    n = int(np.prod([nb.sizes[d] for d in dims]))
    if params.sizes["sample"] != n:
        raise SimpactError(
            f"inputs have {params.sizes['sample']} draws, nb has {n}; they must be the same joint "
            "draws",
            field="inputs",
        )
    inc, rest, shape = _incremental(nb, dims)
    out = []
    group_map = _groups(params, groups)
    for cols in group_map.values():
        x = params.sel(parameter=cols).to_numpy()
        fitted = _fit(x, inc).predict(x)
        out.append(_value(fitted, nb.sizes["scenario"], shape))
    coords = {d: nb[d] for d in rest if d in nb.coords}
    res = xr.DataArray(
        np.array(out), dims=("group", *rest), coords={"group": list(group_map), **coords}
    )
    res.attrs.update(units=nb.attrs.get("units", ""), description="EVPPI (regression)")
    res.attrs["parameters"] = {g: c for g, c in group_map.items()}.__repr__()
    return res


def evsi(
    nb: xr.DataArray,
    theta: xr.DataArray,
    *,
    n: Sequence[float] | float,
    sd_unit: float,
    cost_fixed: float = 0.0,
    cost_per_unit: float = 0.0,
) -> xr.Dataset:
    """Expected value of sample information of a study of ``n`` more units informing ``theta``.

    Answers "is it worth following up longer / more pupils before deciding?": ``n`` is the
    number of extra units of information the evaluation collects (pupils, or pupil-years:
    extending the follow-up of ``k`` pupils by ``m`` years is ``n = k·m`` for a rate outcome).
    The value is set against the evaluation's cost ``cost_fixed + cost_per_unit · n``.

    Parameters
    ----------
    nb
        Net benefit with a ``scenario`` dim and sample dims ``(chain, draw)`` or ``(draw,)``.
    theta
        Draws of the parameter the study informs (e.g. the effect), same sample dims.
    n
        Extra sample sizes to evaluate (>= 0).
    sd_unit
        Standard deviation of one unit's contribution to the estimate of ``theta``, so the
        study's estimate has variance ``sd_unit² / n``. For a risk difference with ``n`` pupils
        in each arm: ``sqrt(p1 (1 − p1) + p0 (1 − p0))``.
    cost_fixed, cost_per_unit
        The evaluation's cost (SEK).

    Returns
    -------
    xarray.Dataset
        ``evsi``, ``cost`` and ``enbs = evsi − cost`` over dim ``n``; attrs ``evppi`` (the limit
        as ``n → ∞``), ``n0`` (the prior's effective sample size) and ``best_n``.

    Examples
    --------
    >>> rng = np.random.default_rng(2)
    >>> t = xr.DataArray(rng.normal(size=4000), dims="draw")
    >>> nb = xr.concat([t, 0 * t], "scenario")
    >>> r = evsi(nb, t, n=[0, 1e9], sd_unit=1.0)
    >>> [round(float(v), 1) for v in r["evsi"]]    # 0 and EVPPI = 0.40
    [0.0, 0.4]
    """
    dims = check_nb(nb)
    if sample_dims(theta, "theta") != dims or any(theta.sizes[d] != nb.sizes[d] for d in dims):
        raise SimpactError("theta must have the same sample dims and draws as nb", field="theta")
    if not sd_unit > 0:
        raise SimpactError(f"sd_unit must be > 0, got {sd_unit}", field="sd_unit")
    n_arr = np.atleast_1d(np.asarray(n, dtype=float))
    if (n_arr < 0).any() or not np.isfinite(n_arr).all():
        raise SimpactError("sample sizes n must be finite and >= 0", field="n")
    if cost_fixed < 0 or cost_per_unit < 0:
        raise SimpactError("evaluation costs cannot be negative", field="cost")
    th = flat_draws(theta, dims)
    if th.ndim != 1:
        raise SimpactError(f"theta must be one parameter; it has dims {theta.dims}", field="theta")
    x = th.to_numpy().astype(float)[:, None]
    inc, rest, shape = _incremental(nb, dims)
    fit = _fit(x, inc)
    n0 = sd_unit**2 / float(x.var())
    k = nb.sizes["scenario"]
    values = []
    for size in n_arr:
        shrink = np.sqrt(size / (size + n0)) if size > 0 else 0.0
        x_pre = x.mean() + (x - x.mean()) * shrink
        values.append(_value(fit.predict(x_pre), k, shape))
    units = nb.attrs.get("units", "")
    coords = {"n": n_arr, **{d: nb[d] for d in rest if d in nb.coords}}
    ev = xr.DataArray(np.array(values), dims=("n", *rest), coords=coords, attrs={"units": units})
    cost = xr.DataArray(
        cost_fixed + cost_per_unit * n_arr, dims="n", coords={"n": n_arr}, attrs={"units": units}
    )
    cost = cost.where(n_arr > 0, 0.0)
    out = xr.Dataset({"evsi": ev, "cost": cost, "enbs": ev - cost})
    out["enbs"].attrs["units"] = units
    out.attrs.update(
        evppi_limit=float(_value(fit.predict(x), k, shape).max()),
        n0=n0,
        best_n=float(n_arr[int(np.argmax(out["enbs"].max(rest).to_numpy()))]),
        method="Gaussian approximation (Jalal & Alarid-Escudero 2018)",
    )
    return out
