"""ARCHITECTURE.md stays true: its modules and registries exist, and it names every module."""

from __future__ import annotations

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
