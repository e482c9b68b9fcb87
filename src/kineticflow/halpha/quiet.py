"""The quiet-Sun reference: intensity in units of the quiet continuum I_c, the reference recorded."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import xarray as xr

from kineticflow.core.attrs import variable
from kineticflow.halpha.observation_contract import fail

#: Intensity units counted as photons (``continuum_counts`` follows from the quiet level).
COUNT_UNITS = ("count", "counts", "ct", "photon", "photons", "ph")


def _region(obs: xr.Dataset, quiet: Mapping[str, Any], source: str) -> tuple[xr.DataArray, str]:
    """Intensity of the quiet region (scan and/or box) and its description."""
    unknown = set(quiet) - {"scan", "box"}
    if unknown or not quiet:
        raise fail(
            source, "quiet", f"keys {sorted(quiet)}", "{'scan': n}, {'box': [y0, y1, x0, x1]}, both, or {'level': L}"
        )
    sel: dict[str, Any] = {}
    words = []
    if "scan" in quiet:
        s = int(quiet["scan"])
        if not 0 <= s < obs.sizes["scan"]:
            raise fail(source, "quiet scan", f"{s}", f"a scan index in 0..{obs.sizes['scan'] - 1}")
        sel["scan"] = [s]
        words.append(f"scan {s}")
    if "box" in quiet:
        y0, y1, x0, x1 = (int(v) for v in quiet["box"])
        if not (0 <= y0 < y1 <= obs.sizes["y"] and 0 <= x0 < x1 <= obs.sizes["x"]):
            raise fail(
                source,
                "quiet box",
                f"{[y0, y1, x0, x1]}",
                f"0 <= y0 < y1 <= {obs.sizes['y']}, 0 <= x0 < x1 <= {obs.sizes['x']}",
            )
        sel.update(y=slice(y0, y1), x=slice(x0, x1))
        words.append(f"box y {y0}:{y1} x {x0}:{x1}" + ("" if "scan" in quiet else " of every scan"))
    return obs["intensity"].isel(sel), ", ".join(words)


def _continuum_counts(obs: xr.Dataset, level: float, level_ic: float, given: float | None, source: str) -> float:
    """Photons per spectral pixel at I_c: given, from the file, or the quiet level of a count unit."""
    if given is not None:
        return float(given)
    if "continuum_counts" in obs.attrs:
        return float(obs.attrs["continuum_counts"])
    unit = str(obs.attrs.get("intensity_unit_read", "")).strip()
    if unit.lower() in COUNT_UNITS:
        return level / level_ic
    raise fail(
        source,
        "continuum_counts",
        f"intensity unit {unit!r} is not photon counts",
        "continuum_counts= (photons per spectral pixel at the quiet continuum) for the counting noise",
    )


def _wing(obs: xr.Dataset, wing_a: float | None) -> float:
    """Reference points ``|Δλ| ≥ wing`` [Å]: ``wing_a``, default ``0.9 min(|Δλ_first|, |Δλ_last|)``."""
    dl = obs["delta_wavelength"].values
    return 0.9 * min(abs(float(dl[0])), abs(float(dl[-1]))) if wing_a is None else float(wing_a)


def check_reference(
    obs: xr.Dataset,
    quiet: Mapping[str, Any] | None,
    *,
    wing_a: float | None = None,
    level_ic: float = 1.0,
    continuum_counts: float | None = None,
) -> None:
    """Raise unless :func:`normalise` can use this quiet reference on ``obs``, without reading intensities.

    What a file's header decides: the keys of ``quiet``, the scan and box inside the data, reference
    points inside the wavelength range, a positive level, a unit that needs no reference when
    ``quiet`` is None, and a way to the counting noise (``continuum_counts`` given, in the file, or
    an intensity in photon counts). The config check runs this before any job.

    Parameters
    ----------
    obs : xarray.Dataset
        The contract as read (``intensity`` may be a placeholder).
    quiet, wing_a, level_ic, continuum_counts
        As in :func:`normalise`.

    Raises
    ------
    ObservationError
        What :func:`normalise` would refuse before computing the reference level.
    """
    source = str(obs.attrs.get("source_file", "observation")) or "observation"
    unit = str(obs.attrs.get("intensity_unit_read", obs["intensity"].attrs.get("units", ""))).strip()
    if quiet is None:
        if unit not in ("", "1"):
            raise fail(
                source, "intensity", f"unit {unit!r} as read", "quiet={'scan': n} | {'box': [...]} | {'level': L}"
            )
    elif set(quiet) == {"level"}:
        if not (np.isfinite(float(quiet["level"])) and float(quiet["level"]) > 0):
            raise fail(source, "quiet level", f"{quiet['level']!r}", "a positive finite level")
    else:
        _region(obs, quiet, source)
        dl, wing = obs["delta_wavelength"].values, _wing(obs, wing_a)
        if not (np.abs(dl) >= wing).any():
            raise fail(source, "quiet wing_a", f"{wing} Å beyond the range ±{np.max(np.abs(dl))} Å", "reference points")
    if not (np.isfinite(level_ic) and level_ic > 0):
        raise fail(source, "quiet level_ic", f"{level_ic!r}", "a positive quiet intensity in units of I_c")
    if continuum_counts is None and "continuum_counts" not in obs.attrs:
        _continuum_counts(obs, 1.0, 1.0, None, source)  # raises unless the unit is photon counts


def normalise(
    obs: xr.Dataset,
    quiet: Mapping[str, Any] | None,
    *,
    wing_a: float | None = None,
    level_ic: float = 1.0,
    continuum_counts: float | None = None,
) -> xr.Dataset:
    """Intensity in units of the quiet-Sun continuum I_c, the reference recorded.

    The quiet region's spectra are averaged into the reference spectrum ``Q(λ)``; its level ``L``
    is the mean of ``Q`` over the outer wavelengths ``|Δλ| ≥ wing_a`` (continuum, or line wing of a
    narrow line scan whose quiet intensity ``level_ic`` is known in units of I_c, e.g. from an
    atlas); then ``I / I_c = I_read / (L / level_ic)`` — for the simulation ``counts /
    continuum_counts`` exactly (``{"level": continuum_counts}``).

    Parameters
    ----------
    obs : xarray.Dataset
        The contract as read (``intensity`` in ``intensity_unit_read``).
    quiet : mapping or None
        ``{"scan": n}``, ``{"box": [y0, y1, x0, x1]}`` (pixel index ranges, half-open), both, or
        ``{"level": L}`` (in the file's unit); None when the file is already normalised
        (dimensionless intensity).
    wing_a : float, optional
        Reference points ``|Δλ| ≥ wing_a`` [Å]; default ``0.9 min(|Δλ_first|, |Δλ_last|)``.
    level_ic : float
        Quiet-Sun intensity at the reference points in units of I_c.
    continuum_counts : float, optional
        Photons per spectral pixel at I_c; default: the file's, or ``L / level_ic`` for counts.

    Returns
    -------
    xarray.Dataset
        ``intensity`` in ``1`` (dtype kept), ``quiet_spectrum`` for a scan/box reference, and the
        attributes ``quiet_*`` and ``continuum_counts``.

    Raises
    ------
    ObservationError
        An unknown ``quiet`` key, an index outside the data, a non-positive level, a dimensional
        intensity without a reference, or a non-count unit without ``continuum_counts``.
    """
    check_reference(obs, quiet, wing_a=wing_a, level_ic=level_ic, continuum_counts=continuum_counts)
    source = str(obs.attrs.get("source_file", "observation")) or "observation"
    unit = str(obs.attrs.get("intensity_unit_read", obs["intensity"].attrs.get("units", "")))
    out = obs.copy()
    dl = obs["delta_wavelength"].values
    wing = _wing(obs, wing_a)
    if quiet is None:
        level, what = 1.0, "none (the file's intensity is already in units of I_c)"
    elif set(quiet) == {"level"}:
        level, what = float(quiet["level"]), "level"
    else:
        region, what = _region(obs, quiet, source)
        outer = np.abs(dl) >= wing
        reference = region.astype(np.float64).mean(dim=[d for d in region.dims if d != "wavelength"]).values
        level = float(np.mean(reference[outer]))
        out["quiet_spectrum"] = variable(
            reference / (level / level_ic), "wavelength", units="1", long_name="quiet-Sun reference spectrum / I_c"
        )
    if not (np.isfinite(level) and level > 0):
        raise fail(source, "quiet level", f"{level!r}", "a positive finite level")
    n_c = _continuum_counts(obs, level, level_ic, continuum_counts, source)
    scale = level / level_ic
    out["intensity"] = variable(obs["intensity"] / scale, units="1", long_name="observed intensity / quiet continuum")
    out.attrs.update(
        intensity_unit_read=unit,
        quiet_reference=what,
        quiet_level=level,
        quiet_level_ic=float(level_ic),
        quiet_wing_a=wing if quiet is not None and set(quiet) != {"level"} else float("nan"),
        continuum_counts=n_c,
    )
    return out
