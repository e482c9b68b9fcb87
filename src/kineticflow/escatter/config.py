"""The ``escatter:`` config section: cross-key checks and the rules' parameters.

The schema (``workflow/schemas/escatter.schema.yaml``) checks each key alone; :func:`check` the
rest, before any job starts: the energies against the model's range, the data file's content
against the energies, the structure's elements against the tabulated atoms. :class:`Params` is
the one place besides the schema that knows the section's nesting.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kineticflow.config import ConfigError
from kineticflow.escatter import observation, theory
from kineticflow.escatter.molecule import GeometryError, read_xyz
from kineticflow.escatter.potentials import ABSORPTION_MODELS, ATOMS, absorption_model
from kineticflow.escatter.targets import resolve_file


@dataclass(frozen=True)
class Params:
    """Parameters of the e-scattering rules (units in the names; config/README.md).

    Attributes
    ----------
    energies_ev : tuple of float
        Theory energies, eV.
    angle_step_deg : float
        Step of the theory grid 0–180°.
    absorption : str
        Absorption model (``lda``, ``quasi_free``, ``none``; the boolean setting normalised).
    r_max_bohr, l_total, log_step : float, int, float
        Partial-wave numerics.
    dipole_debye, temperature_k : float
        Rotational Born term.
    interference : str
        IAM-SCAR+I cross-term weights of the reported theory (``product``, ``sqrt`` or ``none``;
        ics.csv carries the ICS of all three).
    resolution_fwhm_deg : float
        Angular resolution (FWHM).
    fit_exclude_notes : tuple of str
        Note tags of points left out of the fits.
    match_deg : float
        Width of the extrapolation end windows (``extrapolation_match_deg``).
    """

    energies_ev: tuple[float, ...]
    angle_step_deg: float
    absorption: str
    r_max_bohr: float
    l_total: int
    log_step: float
    dipole_debye: float
    temperature_k: float
    interference: str
    resolution_fwhm_deg: float
    fit_exclude_notes: tuple[str, ...]
    match_deg: float

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> Params:
        """The parameters of a checked ``escatter`` section (defaults filled in)."""
        n = section["numerics"]
        return cls(
            energies_ev=tuple(float(e) for e in section["energies_ev"]),
            angle_step_deg=float(section["angle_step_deg"]),
            absorption=absorption_model(section["absorption"]),
            r_max_bohr=float(n["r_max_bohr"]),
            l_total=int(n["l_total"]),
            log_step=float(n["log_step"]),
            dipole_debye=float(section["dipole_debye"]),
            temperature_k=float(section["temperature_k"]),
            interference=str(section["interference"]),
            resolution_fwhm_deg=float(section["resolution_fwhm_deg"]),
            fit_exclude_notes=tuple(str(t) for t in section["fit_exclude_notes"]),
            match_deg=float(section["extrapolation_match_deg"]),
        )


def _check_files(section: Mapping[str, Any], workdir: str | os.PathLike[str]) -> None:
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


def check_data_file(section: Mapping[str, Any], workdir: str | os.PathLike[str] = ".") -> None:
    """Read and check the measured-DCS table now, as the first job would.

    Every row as :func:`observation.read_table` checks it, and every energy against the model's
    range and ``energies_ev`` (:func:`observation.check_energies`).

    Raises
    ------
    ConfigError
        One line naming the key, the file, the line, the column and what was expected.
    """
    try:
        table = observation.read_table(resolve_file(section["data_file"], workdir))
        if "energies_ev" in section:
            observation.check_energies(table, section["energies_ev"], theory.ENERGY_RANGE_EV)
    except observation.DataFileError as exc:
        raise ConfigError(f"config key 'escatter.data_file': {exc}") from None


def check_escatter(section: Mapping[str, Any], workdir: str | os.PathLike[str] = ".") -> None:
    """Energies inside the model's range, known absorption model, files present and well formed.

    The data file's content is checked only when the branch is enabled (``enabled`` missing
    counts as on, the schema default).

    Raises
    ------
    ConfigError
        One line naming the key, the value and what is allowed.
    """
    try:
        theory.check_energies(section.get("energies_ev", []))
    except theory.EnergyRangeError as exc:
        raise ConfigError(f"config key {exc}") from None
    if "absorption" in section:
        try:
            absorption_model(section["absorption"])
        except ValueError:
            raise ConfigError(
                f"config key 'escatter.absorption' = {section['absorption']!r} is not a model; allowed: {', '.join(ABSORPTION_MODELS)} (or true/false = quasi_free/none)"
            ) from None
    _check_files(section, workdir)
    if section.get("enabled", True) and "data_file" in section:
        check_data_file(section, workdir)


def check(section: Mapping[str, Any], config: Mapping[str, Any], workdir: str | os.PathLike[str] = ".") -> None:
    """The branch's config check as :mod:`kineticflow.branches` calls it (``config``: the whole config).

    Raises
    ------
    ConfigError
        One line naming key, value and allowed range.
    """
    check_escatter(section, workdir)
