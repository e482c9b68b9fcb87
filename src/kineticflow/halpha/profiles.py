"""Rule-level functions for the theoretical Hα profile grid (rule ``synthesise_profiles`` and its collection)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import xarray as xr

from kineticflow.core.attrs import dim_attrs
from kineticflow.halpha import lines, nlte
from kineticflow.halpha.dataset import var


def profile_offsets(section: Mapping[str, Any]) -> np.ndarray:
    """Offsets ``Δλ`` [Å] of the synthesis grid: ``±profile_half_range_a`` in steps of ``profile_step_a``."""
    half, step = float(section["profile_half_range_a"]), float(section["profile_step_a"])
    n = int(round(half / step))
    return np.arange(-n, n + 1) * step


def synthesise_profile(p0: float, f20: float, section: Mapping[str, Any], n_threads: int = 1) -> xr.Dataset:
    """One NLTE Hα profile and its atmosphere for ``(P0, F20)``; ``P0 = 0`` is FAL-C itself.

    Parameters
    ----------
    p0 : float
        Coronal pressure [dyn cm⁻²] (0: unshifted FAL-C, the quiet-Sun reference).
    f20 : float
        Beam energy flux above 20 keV [erg cm⁻² s⁻¹] (0: no beam).
    section : mapping
        The ``halpha`` config section (grid, beam and solver keys).
    n_threads : int
        Threads for Lightweaver's formal solution.

    Returns
    -------
    xarray.Dataset
        ``intensity(wavelength)`` at mu = 1 and ``temperature``, ``electron_density``,
        ``beam_ionisation_rate`` on ``depth`` with its ``column_mass``.

    Raises
    ------
    kineticflow.halpha.nlte.NotConvergedError
        If Lightweaver does not converge (nothing is returned).
    """
    dl = profile_offsets(section)
    beam_cfg, solver = section["beam"], section["solver"]
    sol = nlte.synthesise(
        p0,
        f20,
        nlte.HALPHA_VACUUM_NM + dl / 10.0,
        delta=float(beam_cfg["delta"]),
        coronal_column_cm2=float(beam_cfg["coronal_column_cm2"]),
        max_iterations=int(solver["max_iterations"]),
        j_tol=float(solver["j_tol"]),
        pops_tol=float(solver["pops_tol"]),
        n_threads=n_threads,
    )
    wl = xr.DataArray(lines.HALPHA_AIR_A + dl, dims="wavelength", attrs=dim_attrs("wavelength"))
    ds = xr.Dataset(
        {
            "intensity": var(
                sol.intensity,
                "wavelength",
                "W m-2 sr-1 Hz-1",
                "emergent Halpha specific intensity at disk centre (mu = 1)",
            ),
            "temperature": var(sol.temperature, "depth", "K", "temperature"),
            "electron_density": var(
                sol.electron_density, "depth", "cm-3", "electron density (charge-conserved NLTE solution)"
            ),
            "beam_ionisation_rate": var(
                sol.beam_ionisation_rate, "depth", "s-1", "non-thermal hydrogen ionisation rate by the beam"
            ),
        },
        coords={
            "wavelength": wl,
            "delta_wavelength": var(dl, "wavelength", "angstrom", "offset from the Halpha rest wavelength"),
            "column_mass": var(sol.column_mass, "depth", "g cm-2", "column mass"),
        },
    )
    ds["depth"] = xr.DataArray(np.arange(sol.column_mass.size), dims="depth", attrs=dim_attrs("depth"))
    ds.attrs.update(
        p0_dyn_cm2=float(p0),
        f20_erg_cm2_s=float(f20),
        lightweaver_iterations=sol.iterations,
        atmosphere="FAL-C shifted by P0/g, hydrostatic",
        active_atoms="H (6 levels), Ca II",
    )
    return ds


def collect_profiles(
    cases: Sequence[xr.Dataset], p0: Sequence[float], f20: Sequence[float], quiet: xr.Dataset
) -> xr.Dataset:
    """Stack the grid cases into ``intensity(p0, f20, wavelength)``, normalised to the quiet continuum.

    Parameters
    ----------
    cases : sequence of xarray.Dataset
        :func:`synthesise_profile` outputs in ``p0``-major order.
    p0, f20 : sequence of float
        Grid values [dyn cm⁻²], [erg cm⁻² s⁻¹].
    quiet : xarray.Dataset
        The FAL-C (``P0 = 0, F20 = 0``) case; its intensity at the far blue end is ``I_c``.

    Returns
    -------
    xarray.Dataset
        ``intensity`` and ``quiet_intensity`` in units of ``I_c``, the atmospheres on ``depth``.
    """
    i_c = float(quiet["intensity"].values[0])
    n_p, n_f = len(p0), len(f20)
    stack = {
        name: np.stack([c[name].values for c in cases]).reshape(n_p, n_f, -1)
        for name in ("intensity", "temperature", "electron_density", "beam_ionisation_rate", "column_mass")
    }
    first = cases[0]
    ds = xr.Dataset(
        {
            "intensity": var(
                stack["intensity"] / i_c,
                ("p0", "f20", "wavelength"),
                "1",
                "Halpha intensity at mu = 1 / quiet-Sun continuum",
            ),
            "quiet_intensity": var(
                quiet["intensity"].values / i_c, "wavelength", "1", "FAL-C quiet-Sun Halpha intensity / its continuum"
            ),
            "temperature": var(stack["temperature"], ("p0", "f20", "depth"), "K", "temperature"),
            "electron_density": var(stack["electron_density"], ("p0", "f20", "depth"), "cm-3", "electron density"),
            "beam_ionisation_rate": var(
                stack["beam_ionisation_rate"], ("p0", "f20", "depth"), "s-1", "non-thermal hydrogen ionisation rate"
            ),
            "column_mass": var(stack["column_mass"], ("p0", "f20", "depth"), "g cm-2", "column mass"),
        },
        coords={
            "p0": xr.DataArray(np.asarray(p0, float), dims="p0", attrs=dim_attrs("p0")),
            "f20": xr.DataArray(np.asarray(f20, float), dims="f20", attrs=dim_attrs("f20")),
            "wavelength": first["wavelength"],
            "delta_wavelength": first["delta_wavelength"],
            "depth": first["depth"].drop_vars("column_mass"),
        },
    )
    ds.attrs.update(
        continuum_w_m2_sr_hz=i_c, continuum_definition="FAL-C intensity at the blue end of the synthesis grid"
    )
    return ds
