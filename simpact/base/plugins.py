"""Plug-ins: third-party effect designs, effect links, repayment rules and distributions.

simpact's components live in small dict registries (name -> object). A separately installed
Python package can add entries to them through entry points, without touching simpact:

=========================  ==============================================  =================
entry-point group          registry it extends                             what the object is
=========================  ==============================================  =================
``simpact.effects``        ``simpact.effects.DESIGNS``                     an effect design
``simpact.links``          ``simpact.components.links.EFFECT_LINKS``       an effect link
``simpact.rules``          ``simpact.components.rules.RULES``              a repayment rule
``simpact.distributions``  ``simpact.components.distributions.DISTRIBUTIONS``  a ``Distribution``
=========================  ==============================================  =================

The object must have the same shape as the built-in entries of that registry (read them in the
module named above). A spec then selects it by name, exactly as a built-in one
(``design = "my_design"``); specs stay data and never name an import path.

Writing a plug-in
-----------------
In the plug-in package's ``pyproject.toml``::

    [project]
    name = "simpact-mydesign"
    dependencies = ["simpact"]

    [project.entry-points."simpact.effects"]
    my_design = "simpact_mydesign:MyDesign"

    [project.entry-points."simpact.distributions"]
    lognormal_ci = "simpact_mydesign:LogNormalFromInterval"

``pip install simpact-mydesign`` and the names are available. A distribution plug-in subclasses
:class:`simpact.components.distributions.Distribution` with a ``dist: Literal["lognormal_ci"]``
field and implements ``mean``, ``bounds`` and ``draw(rng, size)``. Names must not clash with built-
in entries or other plug-ins: a clash, or an entry point that fails to import, stops simpact with
one :class:`PluginError` naming the plug-in package."""

from __future__ import annotations

from importlib.metadata import EntryPoint, entry_points

from simpact.base.errors import SimpactError

GROUPS: tuple[str, ...] = (
    "simpact.effects",
    "simpact.links",
    "simpact.rules",
    "simpact.distributions",
)
"""The entry-point groups simpact reads."""


class PluginError(SimpactError):
    """A plug-in could not be loaded or clashes with another component."""


def _package(ep: EntryPoint) -> str:
    dist = getattr(ep, "dist", None)
    if dist is not None:
        return f"{dist.name} {dist.version}"
    return ep.value.split(":")[0]


def load(group: str) -> dict[str, object]:
    """Load every plug-in registered under an entry-point ``group``.

    Parameters
    ----------
    group
        One of :data:`GROUPS`.

    Returns
    -------
    dict
        Plug-in name -> the loaded object.

    Raises
    ------
    PluginError
        An unknown group, an entry point that fails to import, or two plug-in packages using
        the same name (the message names the packages).

    Examples
    --------
    >>> load("simpact.rules")  # nothing installed
    {}
    """
    return {name: obj for name, (obj, _) in _entries(group).items()}


def _entries(group: str) -> dict[str, tuple[object, str]]:
    """Plug-in name -> (loaded object, "package version")."""
    if group not in GROUPS:
        raise PluginError(f"unknown plug-in group {group!r}; expected one of {', '.join(GROUPS)}")
    loaded: dict[str, object] = {}
    owner: dict[str, str] = {}
    for ep in entry_points(group=group):
        package = _package(ep)
        if ep.name in loaded:
            raise PluginError(
                f"plug-in name {ep.name!r} is registered by both {owner[ep.name]} and {package}; "
                "uninstall one of them",
                source=group,
                field=ep.name,
            )
        try:
            loaded[ep.name] = ep.load()
        except Exception as exc:
            raise PluginError(
                f"plug-in {ep.name!r} from package {package} failed to import "
                f"({ep.value}): {type(exc).__name__}: {exc}",
                source=group,
                field=ep.name,
            ) from None
        owner[ep.name] = package
    return {name: (obj, owner[name]) for name, obj in loaded.items()}


def register[T: dict](registry: T, group: str) -> T:
    """Merge the plug-ins of ``group`` into ``registry`` (in place) and return it.

    A plug-in may add names, never replace one: a name already in ``registry`` is refused.

    Examples
    --------
    >>> DESIGNS = {"did": object}
    >>> register(DESIGNS, "simpact.effects") is DESIGNS
    True
    """
    plugins = _entries(group)
    clashes = sorted(set(plugins) & set(registry))
    if clashes:
        name = clashes[0]
        raise PluginError(
            f"plug-in {name!r} from package {plugins[name][1]} clashes with a built-in entry of "
            "the same name; the plug-in must choose another name",
            source=group,
            field=name,
        )
    registry.update({name: obj for name, (obj, _) in plugins.items()})
    return registry
