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
  (:mod:`.regression`) is a ridge-penalised natural-cubic-spline basis: a 6-df spline per
  parameter (knots at its own quantiles), 3×3-df tensor products for every pair (products of
  the centred parameters in groups larger than ``MAX_PAIRS``) and products of the centred
  parameters for every triple (groups of up to ``MAX_TRIPLES``); the penalty is chosen per
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

import numpy as np
import xarray as xr

from simpact.base.constants import SAMPLE_DIMS
from simpact.base.errors import SimpactError
from simpact.decision.regression import fit


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
    return SAMPLE_DIMS if "chain" in x.dims else ("draw",)


def flat_draws(x: xr.DataArray, dims: tuple[str, ...]) -> xr.DataArray:
    """Stack the sample dims into one ``sample`` dim placed first."""
    for d in ("chain", "draw"):
        if d in x.coords:
            x = x.drop_vars(d)
    return x.stack(sample=dims, create_index=False).transpose("sample", ...)


def check_nb(nb: xr.DataArray) -> tuple[str, ...]:
    """Check a net-benefit DataArray (sample dims, two or more scenarios, finite); its sample
    dims."""
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


def go_no_go(total: xr.DataArray) -> xr.DataArray:
    """The go / no-go decision as net benefit: ``total`` (e.g. the total NPV per draw) for
    ``"invest"`` against 0 for ``"do_nothing"``, over dim ``scenario``.

    Examples
    --------
    >>> nb = go_no_go(xr.DataArray([1.0, -1.0], dims="draw", attrs={"units": "SEK"}))
    >>> nb["scenario"].values.tolist(), float(evpi(nb))
    (['invest', 'do_nothing'], 0.5)
    """
    return (
        xr.concat([total, xr.zeros_like(total)], "scenario")
        .assign_coords(scenario=["invest", "do_nothing"])
        .assign_attrs(units=total.attrs.get("units", "SEK"))
    )


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
    return xr.DataArray(
        np.stack(cols, axis=1), dims=("sample", "parameter"), coords={"parameter": names}
    )


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


def incremental_benefit(nb: xr.DataArray, dims: tuple[str, ...]) -> tuple[np.ndarray, list, list]:
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
    inc, rest, shape = incremental_benefit(nb, dims)
    out = []
    group_map = _groups(params, groups)
    for cols in group_map.values():
        x = params.sel(parameter=cols).to_numpy()
        fitted = fit(x, inc).predict(x)
        out.append(_value(fitted, nb.sizes["scenario"], shape))
    coords = {d: nb[d] for d in rest if d in nb.coords}
    res = xr.DataArray(
        np.array(out), dims=("group", *rest), coords={"group": list(group_map), **coords}
    )
    res.attrs.update(units=nb.attrs.get("units", ""), description="EVPPI (regression)")
    res.attrs["parameters"] = repr(group_map)
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
    inc, rest, shape = incremental_benefit(nb, dims)
    model = fit(x, inc)
    n0 = sd_unit**2 / float(x.var())
    k = nb.sizes["scenario"]
    values = []
    for size in n_arr:
        shrink = np.sqrt(size / (size + n0)) if size > 0 else 0.0
        x_pre = x.mean() + (x - x.mean()) * shrink
        values.append(_value(model.predict(x_pre), k, shape))
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
        evppi_limit=float(_value(model.predict(x), k, shape).max()),
        n0=n0,
        best_n=float(n_arr[int(np.argmax(out["enbs"].max(rest).to_numpy()))]),
        method="Gaussian approximation (Jalal & Alarid-Escudero 2018)",
    )
    return out
