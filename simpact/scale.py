"""Scale-out: the summary simulation, and sweeps over scenarios, on a dask cluster.

The blocks of :mod:`simpact.simulation` are independent tasks whose random streams depend only
on the seed and the block's index, so a dask run gives *the same numbers* as the in-process run
at the same seed, however the blocks are scheduled. By default a
``dask.distributed.LocalCluster`` (one worker process per CPU) is started and closed; pass
``address=`` to use a running scheduler, or ``client=`` to reuse a client.

A sweep runs several specs (scenarios, or the same intervention in several municipalities) with
the same seed, i.e. with common random numbers: the differences between scenarios are not Monte
Carlo noise of the inputs they share.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from pathlib import Path

import xarray as xr

from simpact.base import rng
from simpact.config.loading import load_model
from simpact.config.spec import ModelSpec
from simpact.simulation import summary
from simpact.simulation.plan import Plan, compile_plan


@contextmanager
def cluster_client(client=None, address: str | None = None, workers: int | None = None) -> Iterator:
    """A ``dask.distributed.Client``: ``client`` itself, one connected to the scheduler at
    ``address``, or one on a ``LocalCluster`` of ``workers`` single-threaded processes (default
    one per CPU) started for the ``with`` block and closed after it.

    This is what a command line's ``--scheduler ADDRESS`` / ``--workers N`` map onto.
    """
    if client is not None:
        yield client
        return
    from dask.distributed import Client, LocalCluster

    if address is not None:
        with Client(address) as c:
            yield c
        return
    workers = workers or os.cpu_count() or 1
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True) as cluster:
        with Client(cluster) as c:
            yield c


def _plans(scenarios: Mapping, posterior, draws, mode) -> dict[str, Plan]:
    by_name = isinstance(posterior, Mapping) and not isinstance(posterior, xr.DataTree)
    return {
        name: compile_plan(
            load_model(spec), posterior.get(name) if by_name else posterior, draws=draws, mode=mode
        )
        for name, spec in scenarios.items()
    }


def _submit(client, plan: Plan, seed) -> Callable[[Iterable[int]], Iterator[dict]]:
    """Send every block of ``plan`` to the cluster; a mapper yielding their results in order."""
    shared = client.scatter(plan, broadcast=True)
    futures = client.map(
        summary.summary_block,
        [shared] * plan.n_blocks,
        [seed] * plan.n_blocks,
        list(range(plan.n_blocks)),
        pure=False,
    )
    return lambda blocks: (f.result() for f in futures)


def sweep(
    scenarios: Mapping[str, ModelSpec | dict | str | Path],
    posterior: xr.DataTree | Mapping[str, xr.DataTree | None] | None,
    *,
    random_seed: rng.SeedLike = None,
    draws: int | None = None,
    mode: str | None = None,
    quantiles: tuple[float, ...] = summary.QUANTILES,
    fund: bool = False,
    local: bool = False,
    client=None,
    address: str | None = None,
    workers: int | None = None,
) -> xr.DataTree:
    """Summary simulations of several scenarios, stacked along a ``scenario`` dim.

    Parameters
    ----------
    scenarios
        Scenario name -> spec (``ModelSpec``, dict, path or bundled name).
    posterior
        One effect fit for all scenarios, a mapping scenario -> fit, or ``None`` (effect priors).
    random_seed, draws, mode, quantiles, fund
        As for :func:`simpact.simulation.simulate_summary`; every scenario gets the same seed.
    local
        Run in this process (threads) instead of on dask: the reference the dask run equals.
    client, address, workers
        A ``dask.distributed.Client`` to use, or a scheduler address; by default a
        ``LocalCluster`` of ``workers`` processes (default one per CPU) is started for the
        call (see :func:`cluster_client`).

    Returns
    -------
    xarray.DataTree
        The groups of :func:`~simpact.simulation.simulate_summary`, each with a leading
        ``scenario`` dim (actors missing in a scenario are NaN).

    Examples
    --------
    >>> import simpact as sp
    >>> from simpact.components.distributions import as_dist
    >>> spec = sp.load_model("nata")
    >>> prior = spec.model_copy(update={"outcomes": [
    ...     o.model_copy(update={"effect": "difference", "effect_prior": as_dist(
    ...         {"dist": "normal", "mean": -0.05, "sd": 0.02})}) for o in spec.outcomes]})
    >>> out = sweep({"a": prior}, None, random_seed=1, draws=500, local=True)
    >>> out["npv"]["npv"].sizes["scenario"]
    1
    """
    seed = rng.seed_sequence(random_seed)
    plans = _plans(scenarios, posterior, draws, mode)
    with (
        ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool,
        nullcontext() if local else cluster_client(client, address, workers) as c,
    ):
        # every scenario's blocks are on the cluster before the first is collected
        mappers = {name: None if local else _submit(c, plan, seed) for name, plan in plans.items()}
        trees = {
            name: summary.assemble(
                plan,
                summary.run_blocks(plan, seed, pool, mapper=mappers[name]),
                seed,
                pool,
                quantiles=quantiles,
                fund=fund,
            )
            for name, plan in plans.items()
        }
    return _stack(trees)


def _stack(trees: Mapping[str, xr.DataTree]) -> xr.DataTree:
    names = list(trees)
    first = trees[names[0]]
    groups = {}
    for group in first.children:
        groups[group] = xr.concat(
            [trees[n][group].to_dataset() for n in names],
            dim="scenario",
            join="outer",
            combine_attrs="drop_conflicts",
        ).assign_coords(scenario=names)
    out = xr.DataTree.from_dict(groups)
    out.attrs.update(
        {k: v for k, v in first.attrs.items() if k not in ("intervention", "intervention_name")}
    )
    out.attrs["scenarios"] = names
    return out


def simulate_summary(
    spec: ModelSpec | dict | str | Path,
    posterior: xr.DataTree | None,
    *,
    random_seed: rng.SeedLike = None,
    draws: int | None = None,
    mode: str | None = None,
    quantiles: tuple[float, ...] = summary.QUANTILES,
    fund: bool = False,
    client=None,
    address: str | None = None,
    workers: int | None = None,
) -> xr.DataTree:
    """:func:`simpact.simulation.simulate_summary` with its blocks run on dask.

    Same arguments, plus ``client`` / ``address`` / ``workers`` (see :func:`sweep`); same
    numbers at the same seed, whatever the scheduler or the number of workers.

    Examples
    --------
    >>> from dask.distributed import Client, LocalCluster     # doctest: +SKIP
    >>> with LocalCluster(processes=False) as cluster, Client(cluster) as client:  # doctest: +SKIP
    ...     out = simulate_summary("nata", post, random_seed=1, draws=10**6, client=client)
    """
    out = sweep(
        {"run": spec},
        posterior,
        random_seed=random_seed,
        draws=draws,
        mode=mode,
        quantiles=quantiles,
        fund=fund,
        client=client,
        address=address,
        workers=workers,
    )
    groups = {g: out[g].to_dataset().isel(scenario=0, drop=True) for g in out.children}
    tree = xr.DataTree.from_dict(groups)
    tree.attrs.update({k: v for k, v in out.attrs.items() if k != "scenarios"})
    spec = load_model(spec)
    tree.attrs.update(
        intervention=spec.intervention.id,
        intervention_name=spec.intervention.name,
        scheduler="dask",
    )
    return tree
