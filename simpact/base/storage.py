"""Saved results: a simulation tree as netCDF, with its provenance, written atomically.

netCDF attributes hold only numbers, strings and flat arrays, so booleans are stored as 0/1 and
dicts or lists of strings as JSON text (with a ``json:`` prefix, decoded again by :func:`load`).
Files are written to a temporary name beside the target and renamed, so a failed run never
leaves a half-written file.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import xarray as xr

from simpact.base.folders import file_mode

_JSON = "json:"


@contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` only on success.

    The file gets the permissions the umask gives a new file (``mkstemp`` alone gives 0600).
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, file_mode())
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _encode(value):
    if isinstance(value, bool | np.bool_):
        return int(value)
    if isinstance(value, dict) or (
        isinstance(value, list | tuple) and not all(isinstance(v, int | float) for v in value)
    ):
        return _JSON + json.dumps(value, ensure_ascii=False, default=str)
    if value is None:
        return ""
    return value


def _decode(value):
    if isinstance(value, str) and value.startswith(_JSON):
        return json.loads(value[len(_JSON) :])
    return value


def _map_attrs(tree: xr.DataTree, fn) -> xr.DataTree:
    out = tree.copy()
    for node in out.subtree:
        node.attrs = {k: fn(v) for k, v in node.attrs.items()}
        for name in node.data_vars:
            node[name].attrs = {k: fn(v) for k, v in node[name].attrs.items()}
    return out


def save(tree: xr.DataTree, path: str | Path) -> Path:
    """Write a results tree to netCDF (h5netcdf engine), atomically.

    Examples
    --------
    >>> import tempfile, xarray as xr
    >>> t = xr.DataTree(xr.Dataset({"x": ("year", [1.0, 2.0])}))
    >>> t.attrs["ok"] = True
    >>> p = save(t, tempfile.mkdtemp() + "/r.nc")
    >>> bool(load(p).attrs["ok"])
    True
    """
    path = Path(path)
    with atomic_path(path) as tmp:
        _map_attrs(tree, _encode).to_netcdf(tmp, engine="h5netcdf")
    return path


def load(path: str | Path) -> xr.DataTree:
    """Read a results tree written by :func:`save` (fully into memory)."""
    tree = xr.open_datatree(path, engine="h5netcdf").load()
    return _map_attrs(tree, _decode)
