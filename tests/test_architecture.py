"""ARCHITECTURE.md stays true: its modules and registries exist, and it names every module."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEXT = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")


def test_every_module_is_documented_and_exists():
    named = {
        n.removesuffix("/__init__") for n in re.findall(r"`simpact/([\w/]+?)(?:\.py|/)`", TEXT)
    }
    present = {
        p.relative_to(ROOT / "simpact").with_suffix("").as_posix()
        for p in (ROOT / "simpact").rglob("*.py")
        if p.name != "__init__.py" and "__pycache__" not in p.parts
    }
    present |= {
        p.parent.relative_to(ROOT / "simpact").as_posix()
        for p in (ROOT / "simpact").rglob("__init__.py")
        if p.parent != ROOT / "simpact"
    }
    assert named - present == set(), "ARCHITECTURE.md names modules that do not exist"
    undocumented = {m for m in present if not any(m == n or m.startswith(n + "/") for n in named)}
    assert undocumented == set(), "modules missing from ARCHITECTURE.md"


def test_every_registry_named_exists_and_is_a_dict():
    rows = re.findall(r"\| `([A-Z_]+)` \| `simpact/([\w/]+)\.py` \|", TEXT)
    assert len(rows) >= 6
    for name, module in rows:
        module = module.removesuffix("/__init__").replace("/", ".")
        registry = getattr(importlib.import_module(f"simpact.{module}"), name)
        assert isinstance(registry, dict) and registry, f"{module}.{name}"


def test_dims_contract_is_what_the_simulation_uses(nata_sim):
    dims = set(re.search(r"\*\*Dims\*\*(.*?)\n\n", TEXT, re.S).group(1).split("`")[1::2])
    used = {d for node in nata_sim.subtree for d in node.dims}
    assert used - {"cell"} <= dims


def test_import_linter_contracts_are_kept():
    """The layers import only downward and no package has an import circle (pyproject.toml)."""
    from importlinter.cli import lint_imports

    assert lint_imports(str(ROOT / "pyproject.toml"), no_cache=True) == 0, "see lint-imports"


def test_no_module_imports_the_package_face():
    """``simpact/__init__.py`` is the users' face; the package's own modules never import it."""
    import grimp

    graph = grimp.build_graph("simpact")
    assert graph.find_modules_that_directly_import("simpact") - {"simpact.__main__"} == set()


MODULE_LINES = 400
FUNCTION_LINES = 60


def _body_lines(node) -> int:
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring does not count
    return body[-1].end_lineno - body[0].lineno + 1 if body else 0


def test_modules_and_functions_a_newcomer_can_read():
    """No module over ~400 lines, no function over ~60 lines of body (its docstring aside)."""
    long_modules, long_functions = [], []
    for path in sorted((ROOT / "simpact").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(ROOT).as_posix()
        if len(text.splitlines()) > MODULE_LINES:
            long_modules.append(name)
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                if _body_lines(node) > FUNCTION_LINES:
                    long_functions.append(f"{name}:{node.name}")
    assert long_modules == [] and long_functions == []


def test_no_private_name_is_imported_across_modules():
    """``from simpact.x import _y`` would tie a module to another's internals."""
    offenders = []
    for path in sorted((ROOT / "simpact").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("simpact"):
                offenders += [
                    f"{path.name}: {node.module}.{a.name}"
                    for a in node.names
                    if a.name.startswith("_") and a.name != "__version__"
                ]
    assert offenders == []
