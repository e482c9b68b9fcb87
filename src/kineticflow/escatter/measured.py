"""Measured absolute DCS table (CSV) → Dataset with dims (energy, angle), validated row by row.

CSV columns: ``energy_ev, angle_deg, dcs, uncertainty, note`` (``#`` starts a comment line). A row
with ``angle_deg = ICS`` carries the paper's integral cross section at that energy. Every problem
raises :class:`DataFileError` with one line naming the file and the line number.
"""

from __future__ import annotations

import csv
import io
import math
import os
from pathlib import Path

import numpy as np
import xarray as xr

from kineticflow.core.attrs import dim_attrs
from kineticflow.core.data import data_file
from kineticflow.core.io import with_attrs

COLUMNS = ("energy_ev", "angle_deg", "dcs", "uncertainty", "note")


class DataFileError(ValueError):
    """A malformed or incomplete measured-DCS file; the message names file and line."""


def _read_text(path: str | os.PathLike[str]) -> str:
    p = Path(path)
    if p.exists():
        return p.read_text(encoding="utf-8")
    if p.parent == Path("."):
        return data_file("kineticflow.escatter.data", str(path)).read_text(encoding="utf-8")
    raise DataFileError(f"{path}: measured-DCS file not found")


def _number(value: str, what: str, where: str) -> float:
    try:
        x = float(value)
    except ValueError:
        raise DataFileError(f"{where}: {what} {value!r} is not a number") from None
    if not math.isfinite(x):
        raise DataFileError(f"{where}: {what} {value!r} is not finite")
    return x


def read_table(
    path: str | os.PathLike[str],
) -> tuple[list[tuple[float, float, float, float, str]], dict[float, tuple[float, float, str]]]:
    """Parse and check the file: (DCS rows, {energy: ICS row}).

    Raises
    ------
    DataFileError
        Missing column, missing/negative/non-numeric value, non-positive uncertainty, a repeated
        (energy, angle), or no DCS rows — naming the file and line.
    """
    lines = [
        (i, ln)
        for i, ln in enumerate(_read_text(path).splitlines(), start=1)
        if ln.strip() and not ln.lstrip().startswith("#")
    ]
    if not lines:
        raise DataFileError(f"{path}: no header line and no data")
    header_no, header = lines[0]
    cols = [c.strip() for c in next(csv.reader(io.StringIO(header)))]
    missing = [c for c in COLUMNS[:4] if c not in cols]
    if missing:
        raise DataFileError(
            f"{path}: line {header_no}: missing column(s) {', '.join(missing)}; need {', '.join(COLUMNS)}"
        )
    idx = {c: cols.index(c) for c in cols}
    rows: list[tuple[float, float, float, float, str]] = []
    ics: dict[float, tuple[float, float, str]] = {}
    seen: set[tuple[float, float]] = set()
    for no, ln in lines[1:]:
        where = f"{path}: line {no}"
        cells = [c.strip() for c in next(csv.reader(io.StringIO(ln)))]
        if len(cells) < len(cols) - ("note" in cols):
            raise DataFileError(f"{where}: {len(cells)} fields, header has {len(cols)}")
        get = {c: (cells[i] if i < len(cells) else "") for c, i in idx.items()}
        for c in COLUMNS[:4]:
            if get[c] == "":
                raise DataFileError(f"{where}: missing {c}")
        energy = _number(get["energy_ev"], "energy_ev", where)
        value = _number(get["dcs"], "dcs", where)
        unc = _number(get["uncertainty"], "uncertainty", where)
        if energy <= 0:
            raise DataFileError(f"{where}: energy_ev = {energy} must be > 0")
        if value < 0:
            raise DataFileError(f"{where}: negative dcs {value}")
        if unc <= 0:
            raise DataFileError(f"{where}: uncertainty {unc} must be > 0")
        note = get.get("note", "")
        if get["angle_deg"].upper() == "ICS":
            ics[energy] = (value, unc, note)
            continue
        angle = _number(get["angle_deg"], "angle_deg", where)
        if not 0.0 <= angle <= 180.0:
            raise DataFileError(f"{where}: angle_deg = {angle} outside 0-180")
        if (energy, angle) in seen:
            raise DataFileError(f"{where}: repeated point energy {energy} eV, angle {angle} deg")
        seen.add((energy, angle))
        rows.append((energy, angle, value, unc, note))
    if not rows:
        raise DataFileError(f"{path}: no DCS rows")
    return rows, ics


def load_measured_dcs(path: str | os.PathLike[str]) -> xr.Dataset:
    """The measured DCS on the (energy, angle) grid of the file, NaN where a point is absent.

    Variables: ``dcs``, ``dcs_uncertainty``, ``note`` (string, "" if none), ``measured`` (bool),
    ``ics_paper`` and ``ics_paper_uncertainty`` per energy (NaN without an ICS row).
    """
    rows, ics = read_table(path)
    energies = np.array(sorted({r[0] for r in rows}))
    angles = np.array(sorted({r[1] for r in rows}))
    shape = (energies.size, angles.size)
    dcs, unc = np.full(shape, np.nan), np.full(shape, np.nan)
    note = np.full(shape, "", dtype=object)
    for e, a, v, u, n in rows:
        i, j = int(np.searchsorted(energies, e)), int(np.searchsorted(angles, a))
        dcs[i, j], unc[i, j], note[i, j] = v, u, n
    d2 = ("energy", "angle")
    ds = xr.Dataset(
        {
            "dcs": with_attrs(xr.DataArray(dcs, dims=d2), "1e-20 m2 sr-1", "measured absolute quasi-elastic DCS"),
            "dcs_uncertainty": with_attrs(
                xr.DataArray(unc, dims=d2),
                "1e-20 m2 sr-1",
                "absolute uncertainty of the DCS (one standard deviation, as tabulated)",
            ),
            "note": with_attrs(
                xr.DataArray(note.astype(str), dims=d2),
                "1",
                "transcription note (print glitch, distrusted point, systematic)",
            ),
            "ics_paper": with_attrs(
                xr.DataArray([ics.get(e, (np.nan,))[0] for e in energies], dims="energy"),
                "1e-20 m2",
                "integral cross section of the paper's table",
            ),
            "ics_paper_uncertainty": with_attrs(
                xr.DataArray([ics.get(e, (np.nan, np.nan))[1] for e in energies], dims="energy"),
                "1e-20 m2",
                "uncertainty of the paper's ICS",
            ),
        },
        coords={
            "energy": xr.DataArray(energies, dims="energy", attrs=dim_attrs("energy")),
            "angle": xr.DataArray(angles, dims="angle", attrs=dim_attrs("angle")),
        },
    )
    ds["measured"] = with_attrs(
        xr.DataArray(np.isfinite(dcs).astype(np.int8), dims=d2), "1", "1 where the table has a point"
    )
    ds.attrs["source_file"] = str(path)
    return ds
