"""The ``simpact`` command line.

``simpact run`` does a whole appraisal; ``fit`` and ``simulate`` do its two halves (with the
same seeds, so ``fit`` then ``simulate`` gives the numbers ``run`` gives); ``report`` rewrites a
report from saved results; ``validate`` checks specs; ``demo`` runs the bundled example; ``new``
starts a spec. Exit status 0 on success, 2 on bad input (a malformed or inconsistent spec, a bad
data table, a model that did not converge, a wrong option) with one line naming the file and
field, never a traceback. A genuine bug still shows its traceback.
"""

from __future__ import annotations

import sys

__all__ = ["main"]


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app; bad input becomes one line on stderr and exit status 2.

    Ctrl-C at any point, imports included, ends with one line and exit status 130.
    """
    try:
        _run(argv)
    except KeyboardInterrupt:
        sys.stderr.write("simpact: interrupted\n")
        sys.exit(130)


def _run(argv: list[str] | None) -> None:
    from simpact.base.errors import SimpactError
    from simpact.cli import commands, explore, new  # noqa: F401 (registers the commands)
    from simpact.cli.app import app, err

    try:  # typer >= 0.16 vendors click
        from typer._click.exceptions import NoArgsIsHelpError, UsageError
    except ImportError:  # pragma: no cover - older typer on the click package
        from click.exceptions import NoArgsIsHelpError, UsageError

    try:
        code = app(args=argv, prog_name="simpact", standalone_mode=False)
    except NoArgsIsHelpError as exc:
        exc.show()
        sys.exit(0)
    except UsageError as exc:
        hint = f" (see `{exc.ctx.command_path} --help`)" if exc.ctx is not None else ""
        err.print(
            f"simpact: error: {exc.format_message()}{hint}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        sys.exit(2)
    except SimpactError as exc:
        err.print(f"simpact: error: {exc}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(2)
    if code == _INTERRUPTED:  # typer turns Ctrl-C inside a command into Exit(130), silently
        raise KeyboardInterrupt
    sys.exit(code if isinstance(code, int) else 0)


_INTERRUPTED = 130
