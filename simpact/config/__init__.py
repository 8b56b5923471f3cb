"""The config layer: TOML reading (:mod:`.toml`), the priors library (:mod:`.entries`,
:mod:`.priors`), the model spec (:mod:`.spec`, :mod:`.checks`, :mod:`.loading`) and checking
files one by one (:mod:`.files`).

The bundled ``models/`` and ``priors/`` are data (TOML), never code. In a source checkout they sit
beside the package; in an installed wheel they are shipped inside it as ``simpact/_library/``.
"""

from simpact.config.entries import (
    KINDS,
    Actor,
    DiscountRate,
    EffectSize,
    Heterogeneity,
    Label,
    Persistence,
    UnitCost,
)
from simpact.config.files import toml_files, validate_file, validate_paths
from simpact.config.loading import PRIOR_REFERENCES, load_model
from simpact.config.priors import (
    PRIORS_PATH_ENV,
    actors,
    cpi,
    discount_rates,
    effect_sizes,
    file_kind,
    heterogeneity,
    persistence,
    price_factor,
    priors_path,
    unit_costs,
)
from simpact.config.spec import ModelSpec
from simpact.config.toml import SCHEMA_VERSION, check_schema_version, library_dir, read_toml

__all__ = [
    "KINDS",
    "PRIORS_PATH_ENV",
    "PRIOR_REFERENCES",
    "SCHEMA_VERSION",
    "Actor",
    "DiscountRate",
    "EffectSize",
    "Heterogeneity",
    "Label",
    "ModelSpec",
    "Persistence",
    "UnitCost",
    "actors",
    "check_schema_version",
    "cpi",
    "discount_rates",
    "effect_sizes",
    "file_kind",
    "heterogeneity",
    "library_dir",
    "load_model",
    "persistence",
    "price_factor",
    "priors_path",
    "read_toml",
    "toml_files",
    "unit_costs",
    "validate_file",
    "validate_paths",
]
