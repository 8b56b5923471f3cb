"""``simpact explore``: the local web explorer of a results file or a spec."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from simpact.base.constants import DEFAULT_SEED
from simpact.base.errors import SimpactError
from simpact.cli.app import DrawsOpt, Lang, LangOpt, SeedOpt, app, err


@app.command()
def explore(
    target: Annotated[
        str,
        typer.Argument(
            help="A results.nc written by `simpact run`, or a model spec (appraised first)."
        ),
    ],
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="Port on 127.0.0.1.")
    ] = 5006,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Serve only; do not open a browser.")
    ] = False,
    lang: LangOpt = Lang.en,
    seed: SeedOpt = DEFAULT_SEED,
    draws: DrawsOpt = None,
) -> None:
    """Explore assumptions, fund terms and scenarios in a local web page (127.0.0.1 only).

    Numbers come from the saved posterior (no refit), with the report's own summary functions;
    nothing leaves the machine. A spec is appraised first (`simpact run` at --seed); a results
    file keeps its own seed.
    """
    from simpact.explore.page import serve
    from simpact.explore.scenario import Scenario

    path = Path(target)
    if path.suffix == ".nc":
        from simpact.base import storage

        if not path.is_file():
            raise SimpactError("file not found", source=path)
        tree = storage.load(path)
        if "fit" not in tree.children or "cashflows" not in tree.children:
            raise SimpactError("not a simpact results file: no 'fit' group", source=path)
    else:
        from simpact.pipeline import run

        err.print(f"Appraising {target} (seed {seed}) ...", highlight=False)
        tree = run(target, random_seed=seed).sim
    scenario = Scenario.from_results(tree, draws=draws)
    err.print(f"Serving the explorer on http://127.0.0.1:{port}/ (Ctrl-C stops)", highlight=False)
    serve(
        scenario,
        tree["fit"] if "fit" in tree.children else None,
        lang=lang.value,
        port=port,
        show=not no_browser,
        results_path=str(path),
    )
