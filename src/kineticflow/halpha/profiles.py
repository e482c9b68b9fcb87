"""The theoretical Hα profile grid: one Lightweaver solution per (P0, F20), stacked and normalised.

The grid is the analogue of Fig. 1 of R. C. Canfield et al., optical imaging spectroscopy of solar
flares (after Canfield, Gunkler & Ricchiazzi 1984, ApJ 282, 296): emergent Hα intensity at disk
centre for FAL-C moved to a coronal pressure P0 (:mod:`kineticflow.halpha.nlte`) and bombarded by a
thick-target beam of flux F20 (:mod:`kineticflow.halpha.beam`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import xarray as xr
from numpy.typing import NDArray

from kineticflow.core.attrs import dim_attrs, variable
from kineticflow.halpha import lines
from kineticflow.halpha.config import Synthesis
from kineticflow.halpha.nlte import Solution

#: ``source`` of the profile datasets.
SOURCE = (
    "Canfield, Gunkler & Ricchiazzi (1984) ApJ 282, 296 (FAL-C at m0 = P0/g; R. C. Canfield et al., optical "
    "imaging spectroscopy of solar flares, Fig. 1); beam rates Emslie (1978) Eq. 16 and Fang, Henoux & Gan "
    "(1993) Eq. 4; NLTE solution by Lightweaver (Osborne & Milic 2021)"
)


#: Attributes of the ``delta_wavelength`` coordinate.
OFFSET_ATTRS = {"units": "angstrom", "long_name": "offset from the Halpha rest wavelength"}


def profile_offsets(synthesis: Synthesis) -> NDArray[np.float64]:
    """Offsets ``Δλ`` [Å] of the synthesis grid: ``±half_range_a`` in steps of ``step_a``.

    Examples
    --------
    >>> profile_offsets(Synthesis(0.2, 0.1)).tolist()
    [-0.2, -0.1, 0.0, 0.1, 0.2]
    """
    half, step = float(synthesis.half_range_a), float(synthesis.step_a)
    n = int(round(half / step))
    return np.asarray(np.arange(-n, n + 1) * step, dtype=np.float64)


def profile_dataset(p0: float, f20: float, delta_wavelength: NDArray[np.float64], sol: Solution) -> xr.Dataset:
    """One profile and its atmosphere as a dataset.

    Parameters
    ----------
    p0, f20 : float
        Coronal pressure [dyn cm⁻²] and beam flux above 20 keV [erg cm⁻² s⁻¹] of the case.
    delta_wavelength : numpy.ndarray, shape (n,)
        Offsets [Å] from the Hα rest wavelength in air at which ``sol.intensity`` was computed.
    sol : kineticflow.halpha.nlte.Solution
        The Lightweaver solution.

    Returns
    -------
    xarray.Dataset
        ``intensity(wavelength)`` at mu = 1 and ``temperature``, ``electron_density``,
        ``beam_ionisation_rate`` on ``depth`` with its ``column_mass``.
    """
    dl = delta_wavelength
    ds = xr.Dataset(
        {
            "intensity": variable(
                sol.intensity,
                "wavelength",
                units="W m-2 sr-1 Hz-1",
                long_name="emergent Halpha specific intensity at disk centre (mu = 1)",
            ),
            "temperature": variable(sol.temperature, "depth", units="K", long_name="temperature"),
            "electron_density": variable(
                sol.electron_density,
                "depth",
                units="cm-3",
                long_name="electron density (charge-conserved NLTE solution)",
            ),
            "beam_ionisation_rate": variable(
                sol.beam_ionisation_rate,
                "depth",
                units="s-1",
                long_name="non-thermal hydrogen ionisation rate by the beam",
                source="Fang, Henoux & Gan (1993) Eq. 4 with Emslie (1978) Eq. 16",
            ),
        },
        coords={
            "wavelength": ("wavelength", lines.HALPHA_AIR_A + dl, dim_attrs("wavelength")),
            "delta_wavelength": ("wavelength", dl, OFFSET_ATTRS),
            "column_mass": ("depth", sol.column_mass, {"units": "g cm-2", "long_name": "column mass"}),
        },
    )
    ds["depth"] = xr.DataArray(np.arange(sol.column_mass.size), dims="depth", attrs=dim_attrs("depth"))
    ds.attrs.update(
        p0_dyn_cm2=float(p0),
        f20_erg_cm2_s=float(f20),
        lightweaver_iterations=sol.iterations,
        atmosphere="FAL-C shifted by P0/g, hydrostatic",
        active_atoms="H (6 levels), Ca II",
        source=SOURCE,
    )
    return ds


#: Variables stacked by :func:`stack_profiles`: (name, dims after (p0, f20), units, long name).
STACKED = (
    ("temperature", "depth", "K", "temperature"),
    ("electron_density", "depth", "cm-3", "electron density"),
    ("beam_ionisation_rate", "depth", "s-1", "non-thermal hydrogen ionisation rate"),
    ("column_mass", "depth", "g cm-2", "column mass"),
)


def stack_profiles(
    cases: Sequence[xr.Dataset], p0: Sequence[float], f20: Sequence[float], quiet: xr.Dataset
) -> xr.Dataset:
    """Stack the grid cases into ``intensity(p0, f20, wavelength)``, normalised to the quiet continuum.

    Parameters
    ----------
    cases : sequence of xarray.Dataset
        :func:`profile_dataset` outputs in ``p0``-major order.
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
        for name in ("intensity", *(s[0] for s in STACKED))
    }
    first = cases[0]
    data = {
        "intensity": variable(
            stack["intensity"] / i_c,
            ("p0", "f20", "wavelength"),
            units="1",
            long_name="Halpha intensity at mu = 1 / quiet-Sun continuum",
        ),
        "quiet_intensity": variable(
            quiet["intensity"].values / i_c,
            "wavelength",
            units="1",
            long_name="FAL-C quiet-Sun Halpha intensity / its continuum",
        ),
        **{
            name: variable(stack[name], ("p0", "f20", dim), units=units, long_name=long_name)
            for name, dim, units, long_name in STACKED
        },
    }
    ds = xr.Dataset(
        data,
        coords={
            "p0": xr.DataArray(np.asarray(p0, float), dims="p0", attrs=dim_attrs("p0")),
            "f20": xr.DataArray(np.asarray(f20, float), dims="f20", attrs=dim_attrs("f20")),
            "wavelength": first["wavelength"],
            "delta_wavelength": first["delta_wavelength"],
            "depth": first["depth"].drop_vars("column_mass"),
        },
    )
    ds.attrs.update(
        continuum_w_m2_sr_hz=i_c,
        continuum_definition="FAL-C intensity at the blue end of the synthesis grid",
        source=SOURCE,
    )
    return ds
