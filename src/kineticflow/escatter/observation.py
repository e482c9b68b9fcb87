"""The observation: a measured absolute DCS table (CSV) read, checked row by row, as a Dataset.

CSV columns: ``energy_ev, angle_deg, dcs, uncertainty, note`` (``#`` starts a comment line), DCS
and uncertainty in Å² sr⁻¹. A row with ``angle_deg = ICS`` carries a published integral cross
section (Å²) at that energy. The shipped default is Table 1 of the e-scattering paper (elastic
electron scattering from isoflurane, Phys. Chem. Chem. Phys. 26, 985 (2024)); a user's file of
another gas replaces it (config ``escatter.data_file``).

Every problem raises :class:`DataFileError` with one line naming the file, the line, the column
and what was expected. The workflow runs the same checks when it checks the config
(:func:`kineticflow.escatter.config.check`), before any job starts.
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np
import xarray as xr

from kineticflow.core.attrs import dim_attrs, variable
from kineticflow.core.data import data_file

COLUMNS = ("energy_ev", "angle_deg", "dcs", "uncertainty", "note")
#: Variables of :func:`observation_dataset` that hold NaN where the table has no point (an angle
#: not measured at one energy, an energy without an ICS row); passed to ``write_dataset``.
MAY_BE_NAN = ("dcs", "dcs_uncertainty", "ics_paper", "ics_paper_uncertainty")


class DataFileError(ValueError):
    """A malformed or incomplete measured-DCS file; the message names file, line and column."""


class Row(NamedTuple):
    """One checked row of the table (``angle_deg`` is NaN on an ICS row)."""

    line: int
    energy_ev: float
    angle_deg: float
    dcs: float
    uncertainty: float
    note: str


@dataclass
class Table:
    """The checked table: DCS rows in file order and the ICS rows by energy."""

    path: str
    rows: list[Row] = field(default_factory=list)
    ics: dict[float, Row] = field(default_factory=dict)


def _read_text(path: str | os.PathLike[str]) -> str:
    p = Path(path)
    if p.exists():
        return p.read_text(encoding="utf-8")
    if p.parent == Path("."):
        try:
            return data_file("kineticflow.escatter.data", str(path)).read_text(encoding="utf-8")
        except FileNotFoundError:
            pass
    raise DataFileError(f"{path}: measured-DCS file not found")


def _number(value: str, what: str, where: str) -> float:
    if value == "":
        raise DataFileError(f"{where}: {what} is empty; expected a number")
    try:
        x = float(value)
    except ValueError:
        raise DataFileError(f"{where}: {what} = {value!r} is not a number") from None
    if not math.isfinite(x):
        raise DataFileError(f"{where}: {what} = {value!r} is not finite")
    return x


def _header(path: str, lines: list[tuple[int, str]]) -> dict[str, int]:
    if not lines:
        raise DataFileError(f"{path}: no header line and no data; expected the columns {', '.join(COLUMNS)}")
    no, header = lines[0]
    cols = [c.strip() for c in next(csv.reader(io.StringIO(header)))]
    missing = [c for c in COLUMNS[:4] if c not in cols]
    if missing:
        raise DataFileError(f"{path}: line {no}: missing column(s) {', '.join(missing)}; need {', '.join(COLUMNS)}")
    return {c: cols.index(c) for c in cols}


def _row(no: int, line: str, idx: dict[str, int], where: str) -> Row:
    cells = [c.strip() for c in next(csv.reader(io.StringIO(line)))]
    if len(cells) < len(idx) - ("note" in idx):
        raise DataFileError(f"{where}: {len(cells)} fields; the header has {len(idx)}")
    get = {c: (cells[i] if i < len(cells) else "") for c, i in idx.items()}
    energy = _number(get["energy_ev"], "energy_ev", where)
    value = _number(get["dcs"], "dcs", where)
    unc = _number(get["uncertainty"], "uncertainty", where)
    if energy <= 0:
        raise DataFileError(f"{where}: energy_ev = {energy:g} must be > 0 (eV)")
    if value < 0:
        raise DataFileError(f"{where}: dcs = {value:g} must be >= 0")
    if unc <= 0:
        raise DataFileError(f"{where}: uncertainty = {unc:g} must be > 0")
    if get["angle_deg"].upper() == "ICS":
        return Row(no, energy, math.nan, value, unc, get.get("note", ""))
    angle = _number(get["angle_deg"], "angle_deg", where)
    if not 0.0 <= angle <= 180.0:
        raise DataFileError(f"{where}: angle_deg = {angle:g} must be within 0-180 (degrees) or ICS")
    return Row(no, energy, angle, value, unc, get.get("note", ""))


def read_table(path: str | os.PathLike[str]) -> Table:
    """Parse and check the file: every DCS row and the ICS rows.

    Parameters
    ----------
    path : str or path
        The CSV; a bare name not found as a path is a file shipped in ``kineticflow.escatter.data``.

    Returns
    -------
    Table
        DCS rows in file order and ``{energy: ICS row}``.

    Raises
    ------
    DataFileError
        A missing column; a missing, non-numeric or non-finite value; a negative DCS; a
        non-positive uncertainty or energy; an angle outside 0–180°; a repeated (energy, angle)
        or ICS row; an ICS row at an energy without DCS rows; no DCS rows. One line naming the
        file, the line and the column.
    """
    name = str(path)
    lines = [
        (i, ln)
        for i, ln in enumerate(_read_text(path).splitlines(), start=1)
        if ln.strip() and not ln.lstrip().startswith("#")
    ]
    idx = _header(name, lines)
    table = Table(name)
    seen: set[tuple[float, float]] = set()
    for no, ln in lines[1:]:
        where = f"{name}: line {no}"
        row = _row(no, ln, idx, where)
        if math.isnan(row.angle_deg):
            if row.energy_ev in table.ics:
                raise DataFileError(f"{where}: a second ICS row at energy_ev = {row.energy_ev:g}")
            table.ics[row.energy_ev] = row
            continue
        if (row.energy_ev, row.angle_deg) in seen:
            raise DataFileError(f"{where}: repeated point energy {row.energy_ev:g} eV, angle {row.angle_deg:g} deg")
        seen.add((row.energy_ev, row.angle_deg))
        table.rows.append(row)
    if not table.rows:
        raise DataFileError(f"{name}: no DCS rows")
    with_dcs = {r.energy_ev for r in table.rows}
    for e, row in table.ics.items():
        if e not in with_dcs:
            raise DataFileError(f"{name}: line {row.line}: ICS row at energy_ev = {e:g} has no DCS rows at that energy")
    return table


def check_energies(table: Table, energies_ev: Sequence[float], model_range_ev: tuple[float, float]) -> None:
    """Refuse a row whose energy the theory does not cover.

    Parameters
    ----------
    table : Table
    energies_ev : sequence of float
        The theory energies (config ``escatter.energies_ev``), eV.
    model_range_ev : (float, float)
        Energies the optical-potential model supports, eV.

    Raises
    ------
    DataFileError
        The first row (DCS or ICS) at an energy outside ``model_range_ev`` or not among
        ``energies_ev`` (within ``numpy.isclose``), naming file, line and energy.
    """
    lo, hi = model_range_ev
    theory = np.asarray(energies_ev, dtype=float)
    listed = ", ".join(f"{e:g}" for e in theory)
    for row in sorted([*table.rows, *table.ics.values()]):
        where = f"{table.path}: line {row.line}"
        if not lo <= row.energy_ev <= hi:
            raise DataFileError(
                f"{where}: energy_ev = {row.energy_ev:g} eV is outside what the optical-potential model supports ({lo:g}-{hi:g} eV)"
            )
        if not np.any(np.isclose(theory, row.energy_ev)):
            raise DataFileError(
                f"{where}: energy_ev = {row.energy_ev:g} eV is not in escatter.energies_ev [{listed}]; the theory must cover every data energy"
            )


def _grid(table: Table) -> tuple[np.ndarray, ...]:
    """Energies, angles and the DCS, uncertainty and note arrays on their grid (NaN, "" where absent)."""
    energies = np.array(sorted({r.energy_ev for r in table.rows}))
    angles = np.array(sorted({r.angle_deg for r in table.rows}))
    shape = (energies.size, angles.size)
    dcs, unc = np.full(shape, np.nan), np.full(shape, np.nan)
    note = np.full(shape, "", dtype=object)
    for r in table.rows:
        i, j = int(np.searchsorted(energies, r.energy_ev)), int(np.searchsorted(angles, r.angle_deg))
        dcs[i, j], unc[i, j], note[i, j] = r.dcs, r.uncertainty, r.note
    return energies, angles, dcs, unc, note


def observation_dataset(table: Table) -> xr.Dataset:
    """The measured DCS on the (energy, angle) grid of the file, NaN where a point is absent.

    Parameters
    ----------
    table : Table
        From :func:`read_table`.

    Returns
    -------
    xarray.Dataset
        ``dcs``, ``dcs_uncertainty`` (energy, angle; Å² sr⁻¹), ``note`` (string, "" if none),
        ``measured`` (1 where the table has a point), ``ics_paper`` and ``ics_paper_uncertainty``
        (energy; Å², NaN without an ICS row). NaN only in :data:`MAY_BE_NAN`.
    """
    energies, angles, dcs, unc, note = _grid(table)
    ics = [table.ics.get(e) for e in energies]
    d2 = ("energy", "angle")
    dcs_units = "angstrom^2/sr"
    ds = xr.Dataset(
        {
            "dcs": variable(dcs, d2, units=dcs_units, long_name="measured absolute quasi-elastic DCS"),
            "dcs_uncertainty": variable(
                unc,
                d2,
                units=dcs_units,
                long_name="absolute uncertainty of the DCS (one standard deviation, as tabulated)",
            ),
            "note": variable(
                note.astype(str),
                d2,
                units="1",
                long_name="transcription note (print glitch, distrusted point, systematic)",
            ),
            "ics_paper": variable(
                [r.dcs if r else np.nan for r in ics],
                "energy",
                units="angstrom^2",
                long_name="published integral cross section",
            ),
            "ics_paper_uncertainty": variable(
                [r.uncertainty if r else np.nan for r in ics],
                "energy",
                units="angstrom^2",
                long_name="uncertainty of the published integral cross section",
            ),
        },
        coords={
            "energy": xr.DataArray(energies, dims="energy", attrs=dim_attrs("energy")),
            "angle": xr.DataArray(angles, dims="angle", attrs=dim_attrs("angle")),
        },
    )
    ds["measured"] = variable(
        np.isfinite(dcs).astype(np.int8), d2, units="1", long_name="1 where the table has a point"
    )
    return ds


def points_per_energy(measured: xr.Dataset) -> xr.DataArray:
    """Number of measured angles (finite DCS) at each energy, shape (energy,), integer."""
    return measured["dcs"].notnull().sum("angle").astype(np.int64)


def missing_angles(measured: xr.Dataset) -> dict[float, list[float]]:
    """``{energy: [angles of the table's grid without a point at that energy]}``, energies with gaps only."""
    out: dict[float, list[float]] = {}
    angles = measured["angle"].values
    for e in measured["energy"].values:
        gap = ~np.isfinite(measured["dcs"].sel(energy=e).values)
        if gap.any():
            out[float(e)] = [float(a) for a in angles[gap]]
    return out
