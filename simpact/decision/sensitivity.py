"""Sensitivity from the Monte Carlo sample itself: no extra model runs.

Both measures use the joint draws already made (output ``y`` and the input draws, e.g. the
``inputs`` group of a simulation), sorted into equal-count bins of each input in turn:

* :func:`tornado`: the mean of ``y`` among draws where an input is low (its bottom bin, around
  P5) and high (top bin, around P95) -- a one-way sensitivity by conditional means;
* :func:`sobol_first`: the first-order (main-effect) Sobol index ``Var(E[y | x_i]) / Var(y)``
  by the given-data binning estimator (Plischke 2010; Strong, Oakley & Chilcott 2012), with
  the between-bin variance corrected for the noise of each bin mean.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from simpact.base.errors import SimpactError
from simpact.decision.voi import flat_draws, parameters, sample_dims


def _prepare(y: xr.DataArray, inputs: xr.Dataset | xr.DataArray) -> tuple[np.ndarray, xr.DataArray]:
    if not isinstance(y, xr.DataArray):
        raise SimpactError("y must be an xarray.DataArray", field="y")
    dims = sample_dims(y, "y")
    flat = flat_draws(y, dims)
    if flat.ndim != 1:
        raise SimpactError(
            f"y must have only sample dims; it has {tuple(y.dims)} (select one scenario/actor)",
            field="y",
        )
    values = flat.to_numpy().astype(float)
    if not np.isfinite(values).all():
        raise SimpactError("y contains NaN or infinite values", field="y")
    params = parameters(inputs)
    if params.sizes["sample"] != len(values):
        raise SimpactError(
            f"inputs have {params.sizes['sample']} draws, y has {len(values)}", field="inputs"
        )
    return values, params


def _bins(x: np.ndarray, bins: int) -> np.ndarray:
    """Equal-count bin index of each draw (ties broken by draw order, stable)."""
    order = np.argsort(x, kind="stable")
    index = np.empty(len(x), dtype=int)
    index[order] = np.arange(len(x)) * bins // len(x)
    return index


def tornado(y: xr.DataArray, inputs: xr.Dataset | xr.DataArray, *, bins: int = 10) -> xr.Dataset:
    """One-way sensitivity of ``y`` to each input, from the sample (conditional means).

    Parameters
    ----------
    y
        The output (e.g. total NPV), sample dims only.
    inputs
        Input draws, same sample dims (see :func:`simpact.decision.voi.parameters`).
    bins
        Equal-count bins per input; ``low``/``high`` are the means of ``y`` in the bottom and
        top bin (10 bins: draws below P10 and above P90, centred on P5 and P95).

    Returns
    -------
    xarray.Dataset
        Over dim ``parameter``, sorted by ``swing`` (largest first): ``low``, ``high``,
        ``swing = |high − low|``, ``swing_mcse`` (the Monte Carlo error of the swing, from the
        spread of ``y`` within the two bins, draws taken as independent), ``input_low``,
        ``input_high`` (P5 and P95 of the input) and ``base`` (the mean of ``y``).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> u = rng.uniform(size=(2, 1000))
    >>> x = xr.Dataset({"a": ("draw", u[0]), "b": ("draw", u[1])})
    >>> t = tornado(3 * x["a"] + x["b"], x)
    >>> t["parameter"].values.tolist()
    ['a', 'b']
    """
    values, params = _prepare(y, inputs)
    if not 2 <= bins <= len(values) // 2:
        raise SimpactError(f"bins must lie in 2–{len(values) // 2}, got {bins}", field="bins")
    x = params.to_numpy()
    low, high, x_lo, x_hi, se = [], [], [], [], []
    for j in range(x.shape[1]):
        b = _bins(x[:, j], bins)
        bottom, top = values[b == 0], values[b == bins - 1]
        low.append(bottom.mean())
        high.append(top.mean())
        se.append(np.sqrt(bottom.var(ddof=1) / len(bottom) + top.var(ddof=1) / len(top)))
        x_lo.append(np.quantile(x[:, j], 0.05))
        x_hi.append(np.quantile(x[:, j], 0.95))
    units = y.attrs.get("units", "")
    out = xr.Dataset(
        {
            "low": ("parameter", np.array(low), {"units": units}),
            "high": ("parameter", np.array(high), {"units": units}),
            "input_low": ("parameter", np.array(x_lo)),
            "input_high": ("parameter", np.array(x_hi)),
        },
        coords={"parameter": params["parameter"].to_numpy()},
    )
    out["swing"] = abs(out["high"] - out["low"]).assign_attrs(units=units)
    out["swing_mcse"] = ("parameter", np.array(se), {"units": units})
    out["base"] = xr.DataArray(values.mean(), attrs={"units": units})
    return out.isel(parameter=np.argsort(-out["swing"].to_numpy(), kind="stable"))


def beyond_noise(t: xr.Dataset, *, z: float = 2.0) -> xr.Dataset:
    """The inputs of a :func:`tornado` whose swing exceeds ``z`` times its Monte Carlo error:
    the bars that are not noise of the sample (an input that cannot move the output has a
    swing of the order of its Monte Carlo error and is left out).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> u = rng.uniform(size=(2, 4000))
    >>> x = xr.Dataset({"a": ("draw", u[0]), "b": ("draw", u[1])})
    >>> beyond_noise(tornado(3 * x["a"], x))["parameter"].values.tolist()
    ['a']
    """
    keep = (t["swing"] > z * t["swing_mcse"]) & (t["swing"] > 0)
    return t.isel(parameter=np.flatnonzero(keep.to_numpy()))


def sobol_first(
    y: xr.DataArray, inputs: xr.Dataset | xr.DataArray, *, bins: int | None = None
) -> xr.DataArray:
    """First-order Sobol indices of ``y`` from the sample (given-data binning estimator).

    ``S_i = Var(E[y | x_i]) / Var(y)``: the share of the output's variance that fixing input
    ``i`` alone would remove. The estimate of ``Var(E[y | x_i])`` is the variance of the bin
    means minus the mean within-bin variance divided by the bin size (the noise a bin mean
    carries); it is reported as is (it can dip just below 0 for an irrelevant input).

    Parameters
    ----------
    y
        The output, sample dims only.
    inputs
        Input draws, same sample dims.
    bins
        Equal-count bins per input (default ``clip(sqrt(n), 5, 100)``).

    Returns
    -------
    xarray.DataArray
        Over dim ``parameter`` (units ``1``).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> z = rng.normal(size=(2, 20000))
    >>> x = xr.Dataset({"a": ("draw", z[0]), "b": ("draw", z[1])})
    >>> s = sobol_first(x["a"] + 2 * x["b"], x)      # exact: 1/5 and 4/5
    >>> [round(float(v), 1) for v in s]
    [0.2, 0.8]
    """
    values, params = _prepare(y, inputs)
    n = len(values)
    bins = bins or int(np.clip(np.sqrt(n), 5, 100))
    if not 2 <= bins <= n // 2:
        raise SimpactError(f"bins must lie in 2–{n // 2}, got {bins}", field="bins")
    total = values.var()
    if total == 0:
        raise SimpactError("y does not vary; its variance cannot be apportioned", field="y")
    x = params.to_numpy()
    out = []
    for j in range(x.shape[1]):
        b = _bins(x[:, j], bins)
        counts = np.bincount(b, minlength=bins)
        means = np.bincount(b, weights=values, minlength=bins) / counts
        within = np.bincount(b, weights=(values - means[b]) ** 2, minlength=bins) / (counts - 1)
        between = np.average((means - values.mean()) ** 2, weights=counts)
        noise = np.average(within / counts, weights=counts)
        out.append((between - noise) / total)
    return xr.DataArray(
        np.array(out),
        dims="parameter",
        coords={"parameter": params["parameter"].to_numpy()},
        attrs={"units": "1", "description": "first-order Sobol index (given-data)"},
    )
