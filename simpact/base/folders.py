"""Output folders: checked before any long work, built aside and swapped in whole, one writer.

* :func:`check_target` finds, in a moment and before any sampling, an output folder that cannot
  be written: a path that is a file, lies under a file, or whose nearest existing folder is
  read-only; and a folder holding files that simpact did not write (it would be replaced).
* :func:`claim` holds a lock beside the folder (``.<name>.lock``) for a whole run, so a second
  run into the same folder is refused with one line instead of both writing and the last winning.
* :func:`staged` yields a temporary sibling folder; on success the finished folder replaces the
  target in one rename (the earlier run's files go with it), on any failure or Ctrl-C the sibling
  is removed, so a finished run leaves exactly its own files and an interrupted one nothing.

Folders and files get the permissions the umask gives (``mkstemp``/``mkdtemp`` alone would give
0600/0700, and colleagues on a shared drive could not open the report).

Examples
--------
>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "run"
>>> with staged(out) as tmp:
...     _ = (tmp / "report.md").write_text("hello")
>>> sorted(p.name for p in out.iterdir())
['report.md']
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from simpact.base.errors import SimpactError

OWN_NAMES = {
    "results.nc",
    "posterior.nc",
    "report.md",
    "report.html",
    "figures",
    *(f"{table}.csv" for table in ("summary", "savings", "effect", "diagnostics")),
    "summary.xlsx",
    "diagnostics.xlsx",
    "summary.json",
    "report.docx",
}
"""What simpact writes into an output folder (``figures/`` holds only ``.png`` files): a folder
holding anything else is not replaced, so a user's own file is never swept away."""

_HELD: set[Path] = set()


def umask() -> int:
    """The process's umask (read by setting it and putting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def file_mode() -> int:
    """Permissions a new file gets under the umask (0644 under the usual 022)."""
    return 0o666 & ~umask()


def folder_mode() -> int:
    """Permissions a new folder gets under the umask (0755 under the usual 022)."""
    return 0o777 & ~umask()


def check_target(target: str | Path) -> Path:
    """Raise one line if ``target`` cannot become an output folder; return it resolved."""
    target = Path(target).absolute()
    if target.exists() and not target.is_dir():
        raise SimpactError("the output folder is a file; choose a folder", source=target)
    existing = target.parent
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise SimpactError(f"the output folder lies under a file ({existing})", source=target)
    for probe in (existing, target) if target.is_dir() else (existing,):
        if not os.access(probe, os.W_OK | os.X_OK) or not _can_create(probe):
            raise SimpactError(f"cannot write here: {probe} is not writable", source=target)
    stranger = foreign(target) if target.is_dir() else None
    if stranger is not None:
        raise SimpactError(
            f"the output folder holds files simpact did not write ({stranger.name}); a run "
            "replaces the whole folder, so choose a new or empty one",
            source=target,
        )
    return target


def _can_create(folder: Path) -> bool:
    try:
        Path(tempfile.mkdtemp(prefix=".simpact-probe.", dir=folder)).rmdir()
    except OSError:
        return False
    return True


def foreign(folder: Path) -> Path | None:
    """The first file in ``folder`` that simpact did not write (``None``: it may be replaced)."""
    for entry in sorted(folder.iterdir()):
        if entry.name not in OWN_NAMES:
            return entry
        if entry.name == "figures":
            if not entry.is_dir():
                return entry
            for figure in sorted(entry.iterdir()):
                if figure.suffix != ".png" or not figure.is_file():
                    return figure
    return None


@contextmanager
def claim(target: str | Path) -> Iterator[Path]:
    """Check ``target`` and hold its lock for the block (re-entrant within one process)."""
    target = check_target(target)
    if target in _HELD:
        yield target
        return
    made = _make_parents(target.parent)
    lock = target.parent / f".{target.name}.lock"
    try:
        _take(lock, target)
    except BaseException:
        _remove_empty(made)
        raise
    _HELD.add(target)
    try:
        yield target
    finally:
        _HELD.discard(target)
        lock.unlink(missing_ok=True)
        _remove_empty(made)  # only those a failed run left empty


def _take(lock: Path, target: Path) -> None:
    for _ in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666)
        except FileExistsError:
            if _alive(lock):
                raise SimpactError(
                    f"another simpact run is writing into this folder (lock {lock}); wait for "
                    "it to finish, or delete the lock file if no run is going",
                    source=target,
                ) from None
            lock.unlink(missing_ok=True)  # left by a run that was killed
            continue
        with os.fdopen(fd, "w") as f:
            f.write(f"{os.getpid()}\n")
        return
    raise SimpactError(f"could not take the lock {lock}", source=target)


def _alive(lock: Path) -> bool:
    try:
        pid = int(lock.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return True  # being written by the other run just now
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def staged(target: str | Path) -> Iterator[Path]:
    """Yield an empty sibling folder; swap it in for ``target`` on success, remove it on failure."""
    with claim(target) as target:
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.new.", dir=target.parent))
        try:
            tmp.chmod(folder_mode())
            yield tmp
            _swap(tmp, target)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise


def _swap(tmp: Path, target: Path) -> None:
    if not target.exists():
        os.replace(tmp, target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
    os.replace(target, old / target.name)
    os.replace(tmp, target)
    shutil.rmtree(old, ignore_errors=True)


def _make_parents(folder: Path) -> list[Path]:
    made = []
    while not folder.exists():
        made.append(folder)
        folder = folder.parent
    for path in reversed(made):
        path.mkdir()
    return list(reversed(made))


def _remove_empty(made: list[Path]) -> None:
    for folder in reversed(made):
        try:
            folder.rmdir()
        except OSError:
            return
