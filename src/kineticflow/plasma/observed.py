"""The ``plasma.observations`` entries: a user's velocities or D* table beside (or instead of) our MD.

``plasma.observations: {<name>: {path, format, …}}``; each name is a value of the
``{observation}`` wildcard, and its results go under ``results/plasma/observed/<name>/`` with the
file names and columns of our path: ``vacf.nc`` (the ``simulate_md`` layout of one run, for
``format: dump`` or ``h5md``), ``diffusion.nc`` (the ``green_kubo`` layout), and for
``format: table`` also ``fits.nc``, ``fits.csv``, ``d_star.csv`` and
``figures/d_star_all_kappa.png``; ``provenance.csv`` holds the file, its sha256 and the reader.
Files are read and checked when the config is checked, before any job.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from kineticflow.config import ConfigError
from kineticflow.core.io import DataFileError
from kineticflow.plasma.observation import VelocitySeries, read_lammps_dump
from kineticflow.plasma.observation_diffusion import read_d_star_table
from kineticflow.plasma.observation_h5md import read_h5md

#: ``format`` values: velocity files (→ VACF → D*) and D* tables (→ the fits).
VELOCITY_FORMATS = ("dump", "h5md")
TABLE_FORMATS = ("table",)
#: Keys of an entry passed to the velocity readers (unit scales).
READER_KEYS = ("timestep", "omega_p", "length_unit")
#: Keys of an entry passed to the correlation (:func:`~kineticflow.plasma.observation_diffusion.correlations_from_velocities`).
CORRELATION_KEYS = ("kappa", "gamma", "n_blocks", "seed", "lag_window_wp", "n_lags")
#: Columns of ``provenance.csv``.
PROVENANCE = ("source_file", "source_file_sha256", "reader")


def resolve_path(name: str | os.PathLike[str], basedir: str | os.PathLike[str] = ".") -> Path:
    """A configured file: the path as given if it exists, else relative to ``basedir`` (the workflow folder)."""
    p = Path(name)
    return p if p.is_file() or p.is_absolute() else Path(basedir) / p


def reader_options(entry: Mapping[str, Any]) -> dict[str, Any]:
    """Keyword arguments of the velocity reader of an entry (``timestep``, ``omega_p``, ``length_unit``, ``group``)."""
    keys = READER_KEYS + (("group",) if entry["format"] == "h5md" else ())
    return {k: entry[k] for k in keys if entry.get(k) is not None}


def correlation_options(entry: Mapping[str, Any]) -> dict[str, Any]:
    """Keyword arguments of the correlation of an entry (κ, Γ, blocks, seed, lag window in 1/ω_p)."""
    return {k: entry[k] for k in CORRELATION_KEYS if entry.get(k) is not None}


def read_velocities(path: str | os.PathLike[str], fmt: str, reader: Mapping[str, Any]) -> VelocitySeries:
    """A LAMMPS dump (``fmt="dump"``) or an H5MD file (``"h5md"``) as a :class:`VelocitySeries`.

    Raises
    ------
    ObservationError
        A bad file (one line: the file, the variable and what was expected).
    """
    if fmt == "h5md":
        return read_h5md(path, **reader)
    return read_lammps_dump(path, **reader)


def provenance(attrs: Mapping[str, Any]) -> pd.DataFrame:
    """One row of ``provenance.csv``: ``source_file``, ``source_file_sha256``, ``reader``."""
    return pd.DataFrame([{k: attrs.get(k, "") for k in PROVENANCE}])


def check_observations(section: Mapping[str, Any], workdir: str | os.PathLike[str] = ".") -> None:
    """Read every configured file (config time): dumps and H5MD files need Γ and κ; tables are read whole.

    Raises
    ------
    ConfigError
        One line: a missing file or key, or the file, the variable and what was expected.
    """
    for name, entry in (section.get("observations") or {}).items():
        key = f"plasma.observations.{name}"
        path = resolve_path(entry["path"], workdir)
        if not path.is_file():
            raise ConfigError(
                f"config key '{key}.path': {path}: file does not exist; expected a {entry['format']} file"
            )
        if entry["format"] in VELOCITY_FORMATS:
            for need in ("kappa", "gamma"):
                if entry.get(need) is None:
                    raise ConfigError(f"config key '{key}.{need}' is missing; required for format {entry['format']}")
        try:
            if entry["format"] in VELOCITY_FORMATS:
                read_velocities(path, entry["format"], reader_options(entry))
            else:
                read_d_star_table(path)
        except DataFileError as exc:
            raise ConfigError(f"config key '{key}': {exc}") from None
