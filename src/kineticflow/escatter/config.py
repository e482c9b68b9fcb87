"""Cross-key checks of the ``escatter:`` config section (the schema checks each key alone)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kineticflow.config import ConfigError
from kineticflow.escatter.theory import ENERGY_RANGE_EV

DATA_DIR = Path(__file__).resolve().parent / "data"


def resolve_file(name: str, workdir: str | os.PathLike[str] = ".") -> Path:
    """A data or structure file: a path as given, else relative to ``workdir``, else package data."""
    p = Path(name)
    for cand in (p, Path(workdir) / p, DATA_DIR / p):
        if cand.is_file():
            return cand
    return p


def check_escatter(section: Mapping[str, Any], workdir: str | os.PathLike[str] = ".") -> None:
    """Energies inside the model's range, the data and structure files present, known elements.

    Raises
    ------
    ConfigError
        One line naming the key, the value and what is allowed.
    """
    from kineticflow.escatter.molecule import GeometryError, read_xyz  # noqa: PLC0415
    from kineticflow.escatter.potentials import ABSORPTION_MODELS, ATOMS, absorption_model  # noqa: PLC0415

    lo, hi = ENERGY_RANGE_EV
    for e in section.get("energies_ev", []):
        if not lo <= float(e) <= hi:
            raise ConfigError(
                f"config key 'escatter.energies_ev' = {e} eV is outside what the optical-potential model supports; allowed: {lo:g}-{hi:g} eV"
            )
    if "absorption" in section:
        try:
            absorption_model(section["absorption"])
        except ValueError:
            raise ConfigError(
                f"config key 'escatter.absorption' = {section['absorption']!r} is not a model; allowed: {', '.join(ABSORPTION_MODELS)} (or true/false = quasi_free/none)"
            ) from None
    for key in ("data_file", "molecule"):
        if key in section and not resolve_file(section[key], workdir).is_file():
            raise ConfigError(
                f"config key 'escatter.{key}' = {section[key]!r}: no such file (as a path, under the workflow folder, or as shipped package data)"
            )
    if "molecule" in section:
        try:
            geom = read_xyz(resolve_file(section["molecule"], workdir))
        except GeometryError as exc:
            raise ConfigError(f"config key 'escatter.molecule': {exc}") from None
        unknown = sorted(set(geom.symbols) - set(ATOMS))
        if unknown:
            raise ConfigError(
                f"config key 'escatter.molecule' = {section['molecule']!r} has element(s) {', '.join(unknown)} without optical-potential parameters; known: {', '.join(ATOMS)}"
            )


def check(section: Mapping[str, Any], config: Mapping[str, Any], workdir: str | os.PathLike[str] = ".") -> None:
    """The branch's config check as :mod:`kineticflow.branches` calls it (``config``: the whole config).

    Raises
    ------
    ConfigError
        One line naming key, value and allowed range.
    """
    check_escatter(section, workdir)
