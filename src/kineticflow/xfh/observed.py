"""The ``xfh.observations`` entries: a user's measured hologram in place of the simulated spiral.

``xfh.observations: {<name>: {path, crystal, format, …}}``; each name is a value of the
``{observation}`` wildcard and its results go under ``results/xfh/observed/<name>/`` with the
file names and columns of the simulated path (``measured.nc``, ``reconstruction.nc``,
``phases.nc``, ``phases.csv``, ``figures/*.png``) and ``provenance.csv`` (file, sha256, reader).
The reader is :func:`kineticflow.xfh.observation.read_hologram`; the file is read and checked
against the configured wave when the config is checked, before any job.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kineticflow.config import ConfigError
from kineticflow.core.io import DataFileError
from kineticflow.xfh.observation import read_hologram

#: Keys of an ``xfh.observations`` entry handed to :func:`read_hologram` as they are.
READER_KEYS = ("format", "variables", "angle_unit", "quantity", "interpolation", "grid_step_deg")
#: Keys that give or override the hologram's global attributes.
ATTRIBUTE_KEYS = ("emitter", "energy_kev", "geometry", "surface_normal", "azimuth_offset_deg")


def resolve_path(name: str | os.PathLike[str], basedir: str | os.PathLike[str] = ".") -> Path:
    """A configured file: the path as given if it exists, else relative to ``basedir`` (the workflow folder)."""
    p = Path(name)
    return p if p.is_file() or p.is_absolute() else Path(basedir) / p


def reader_options(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The keyword arguments of :func:`read_hologram` from one ``xfh.observations`` entry.

    Parameters
    ----------
    entry : mapping
        ``format``, ``variables``, ``angle_unit``, ``quantity``, ``interpolation``,
        ``grid_step_deg`` (degree), the attribute overrides of :data:`ATTRIBUTE_KEYS` and ``crystal``.

    Returns
    -------
    dict
        Plain values (a rule's ``params:``); keys absent or null in the entry are left out.
    """
    keys = (*READER_KEYS, *ATTRIBUTE_KEYS, "crystal")
    return {k: entry[k] for k in keys if entry.get(k) is not None}


def check_observations(section: Mapping[str, Any], wave_attrs: Any, workdir: str | os.PathLike[str] = ".") -> None:
    """Read every configured hologram and compare it with its crystal's wave (config time).

    Parameters
    ----------
    section : mapping
        The validated ``xfh`` section.
    wave_attrs : callable
        ``wave_attrs(crystal)`` → the attributes of the configured wave of that crystal.
    workdir : str or path
        Folder that relative paths are resolved against.

    Raises
    ------
    ConfigError
        One line: an unknown crystal, or the file, the variable and what was expected.
    """
    from kineticflow.xfh.observation_measure import check_wave  # noqa: PLC0415

    for name, entry in (section.get("observations") or {}).items():
        key = f"xfh.observations.{name}"
        crystal = entry["crystal"]
        if crystal not in section.get("crystals", {}):
            raise ConfigError(
                f"config key '{key}.crystal' = {crystal!r} is not an xfh.crystals entry; "
                f"allowed: {', '.join(section.get('crystals', {}))}"
            )
        path = resolve_path(entry["path"], workdir)
        if not path.is_file():
            raise ConfigError(f"config key '{key}.path': {path}: file does not exist; expected a hologram file")
        try:
            obs = read_hologram(path, **reader_options(entry))
            check_wave(obs, wave_attrs(crystal))
        except DataFileError as exc:
            raise ConfigError(f"config key '{key}': {exc}") from None
