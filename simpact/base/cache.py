"""simpact's on-disk cache of compiled code: one folder, safe to delete at any time.

The folder is ``$SIMPACT_CACHE`` if set, else ``$XDG_CACHE_HOME/simpact`` (``~/.cache/simpact``;
``%LOCALAPPDATA%\\simpact`` on Windows). Entries are keyed by what they were compiled from and by
the library versions, so a stale entry is never used; deleting the folder only costs the next
run its compilation.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir(*parts: str) -> Path:
    """The cache folder (or a sub-folder of it), created if missing.

    Examples
    --------
    >>> import os, tempfile
    >>> os.environ["SIMPACT_CACHE"] = tempfile.mkdtemp()
    >>> cache_dir("numba").name
    'numba'
    >>> del os.environ["SIMPACT_CACHE"]
    """
    root = os.environ.get("SIMPACT_CACHE")
    if not root:
        if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
            root = Path(os.environ["LOCALAPPDATA"]) / "simpact"
        else:
            base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
            root = Path(base) / "simpact"
    path = Path(root, *parts)
    path.mkdir(parents=True, exist_ok=True)
    return path


def numba_cache_dir() -> Path | None:
    """Point Numba's on-disk cache at ``cache_dir("numba")`` unless ``NUMBA_CACHE_DIR`` is set.

    Numba keys each entry by the function's source, its argument types, the CPU and the Numba
    version. Returns the folder used (``None``: the user's ``NUMBA_CACHE_DIR``, or no writable
    folder, in which case Numba compiles in memory).
    """
    if os.environ.get("NUMBA_CACHE_DIR"):
        return None
    try:
        path = cache_dir("numba")
    except OSError:
        return None
    os.environ["NUMBA_CACHE_DIR"] = str(path)
    import numba

    numba.config.CACHE_DIR = str(path)
    return path
