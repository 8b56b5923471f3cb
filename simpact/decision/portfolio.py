"""The summary of a revolving fund of several projects: solvency year by year, with bands."""

from __future__ import annotations

import xarray as xr

from simpact.decision.rows import Rows, probability_row, quantity_row, table_of
from simpact.decision.summary import Summary


def summarize_portfolio(pf: xr.Dataset) -> Summary:
    """Summarise a revolving fund from :func:`simpact.fund.portfolio`: solvency with bands.

    Rows (scope = fund year): ``balance`` (mean, P5–P95 band, quantile MCSE),
    ``p_capital_intact`` (nothing lost so far), ``p_cannot_pay`` (the fund has failed to pay a
    committed draw by then, so the board had to top it up), ``outstanding``; and for scope
    ``"fund"`` at the last year: ``written_off``, ``topup`` (total top-ups).

    Examples
    --------
    >>> import numpy as np
    >>> from simpact import fund
    >>> s = xr.DataArray([[0, 0, 0, 0, 1e6, 1e6], [0] * 6], dims=("draw", "year"),
    ...                  coords={"year": np.arange(1, 7)})
    >>> pf = fund.portfolio([fund.Project("a", s, drawn={1: 2e6})], allocations={1: 2e6})
    >>> summarize_portfolio(pf).value("p_capital_intact", "6")
    0.5
    """
    units = pf["balance"].attrs.get("units", "SEK")
    rows: Rows = {}
    for year in pf["year"].to_numpy():
        at = pf.sel(year=year)
        scope = str(int(year))
        rows[("balance", scope)] = quantity_row(at["balance"], units)
        rows[("outstanding", scope)] = quantity_row(at["outstanding"], units)
        rows[("p_capital_intact", scope)] = probability_row(at["capital_intact"])
        rows[("p_cannot_pay", scope)] = probability_row(at["cannot_pay"])
    rows[("written_off", "fund")] = quantity_row(pf.isel(year=-1)["written_off"], units)
    rows[("topup", "fund")] = quantity_row(pf["topup"].sum("year"), units)
    return Summary(table=table_of(rows), text=[], draws=pf)
