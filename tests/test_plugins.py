"""Third-party plug-ins found through entry points, as an installed package would be.

Each test writes a tiny package (``plugin_pkg``) and its ``*.dist-info`` (METADATA and
entry_points.txt) into a temporary folder put on ``sys.path``: importlib.metadata finds it
exactly as it finds a pip-installed distribution, without installing anything.
"""

from __future__ import annotations

import sys
import textwrap

import numpy as np
import pytest

from simpact.base import plugins
from simpact.components import distributions
from simpact.config.entries import UnitCost

PLUGIN_CODE = """
from typing import Literal

import numpy as np

from simpact.components.distributions import Distribution


class Doubled(Distribution):
    '''Twice a known value: a toy distribution with a closed-form mean.'''

    dist: Literal["doubled"]
    value: float

    def mean(self):
        return 2 * self.value

    def bounds(self):
        return (2 * self.value, 2 * self.value)

    def draw(self, rng, size):
        return np.full(size, 2 * self.value)


def halves(savings):
    '''A toy repayment rule.'''
    return savings / 2
"""


@pytest.fixture
def site(tmp_path, monkeypatch):
    """Return a function that installs a distribution ``name`` with given entry points."""
    root = tmp_path / "site"
    root.mkdir()
    monkeypatch.syspath_prepend(str(root))
    yield lambda *a, **k: _install(root, *a, **k)
    for module in [m for m in sys.modules if m.startswith("plugin_pkg")]:
        del sys.modules[module]


def _install(
    root, entry_points: str, *, name: str = "simpact_demo_plugin", module: str = "plugin_pkg"
):
    package = root / module
    package.mkdir(exist_ok=True)
    (package / "__init__.py").write_text(PLUGIN_CODE)
    info = root / f"{name}-0.1.dist-info"
    info.mkdir()
    dist_name = name.replace("_", "-")
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist_name}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(textwrap.dedent(entry_points))


def test_a_distribution_plugin_is_usable_in_library_files(site, monkeypatch):
    site("[simpact.distributions]\ndoubled = plugin_pkg:Doubled\n")
    monkeypatch.setattr(distributions, "DISTRIBUTIONS", dict(distributions.DISTRIBUTIONS))
    plugins.register(distributions.DISTRIBUTIONS, "simpact.distributions")

    cost = UnitCost.model_validate(
        {
            "label": {"en": "x", "sv": "x"},
            "unit": "SEK",
            "price_year": 2023,
            "cost": {"dist": "doubled", "value": 21},
            "source": "test",
        }
    ).cost
    assert cost.mean() == 42
    assert (cost.draw(np.random.default_rng(0), 3) == 42).all()


def test_load_returns_every_entry_of_the_group(site):
    site(
        """
        [simpact.rules]
        halves = plugin_pkg:halves

        [simpact.distributions]
        doubled = plugin_pkg:Doubled
        """
    )
    rules = plugins.load("simpact.rules")
    assert list(rules) == ["halves"]
    assert rules["halves"](10.0) == 5.0
    assert plugins.load("simpact.links") == {}


def test_a_plugin_that_fails_to_import_names_its_package(site):
    site("[simpact.effects]\nbroken = plugin_pkg.missing:Design\n")
    with pytest.raises(plugins.PluginError) as info:
        plugins.load("simpact.effects")
    message = str(info.value)
    assert "simpact-demo-plugin 0.1" in message
    assert "'broken'" in message and "ModuleNotFoundError" in message


def test_a_name_clash_with_a_builtin_is_refused(site):
    site("[simpact.distributions]\nnormal = plugin_pkg:Doubled\n")
    registry = dict(distributions.DISTRIBUTIONS)
    with pytest.raises(plugins.PluginError) as info:
        plugins.register(registry, "simpact.distributions")
    assert "'normal'" in str(info.value) and "simpact-demo-plugin 0.1" in str(info.value)
    assert registry == distributions.DISTRIBUTIONS  # nothing half-registered


def test_two_packages_with_the_same_name_are_both_named(site):
    site("[simpact.rules]\nhalves = plugin_pkg:halves\n")
    site("[simpact.rules]\nhalves = plugin_pkg:halves\n", name="other_plugin")
    with pytest.raises(plugins.PluginError) as info:
        plugins.load("simpact.rules")
    assert "simpact-demo-plugin 0.1" in str(info.value)
    assert "other-plugin 0.1" in str(info.value)


def test_unknown_group():
    with pytest.raises(plugins.PluginError, match="unknown plug-in group"):
        plugins.load("simpact.effect")
