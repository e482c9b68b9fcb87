"""From a hologram contract to the symmetrised hologram the reconstruction reads.

:func:`measured_from_observation` is the ``measure_hologram`` rule for measured data: the same
reference subtraction and m-3m symmetrisation (:mod:`kineticflow.xfh.processing`), applied to
the contract's directions instead of the simulated spiral; its output has the variables of the
rule's ``measured.nc``, so :func:`kineticflow.xfh.steps.reconstruct_hologram` runs on it unchanged.
:func:`observation_from_simulation` turns the simulated spiral into the contract (the default
simulated observation of the round-trip tests).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike

from kineticflow.core.attrs import coord, variable
from kineticflow.core.io import observation_error
from kineticflow.xfh import instrument as ins
from kineticflow.xfh import processing as pr
from kineticflow.xfh.observation import make_hologram

#: Attributes of the contract that must agree with the configured wave (``wave_attrs``).
_AGREE = {"crystal": "crystal", "emitter": "emitter", "geometry": "mode"}


def observation_from_simulation(holo: xr.Dataset, meas: xr.Dataset, surface_normal: ArrayLike) -> xr.Dataset:
    """The default simulated observation: the spiral's counts (``measure_hologram``) as the contract.

    Parameters
    ----------
    holo : xarray.Dataset
        ``simulate_hologram`` output (``polar``, ``azimuth`` in degrees, shape (pixel,); attributes
        ``crystal``, ``emitter``, ``energy_kev``, ``mode``).
    meas : xarray.Dataset
        ``measure_hologram`` output (``counts``, shape (pixel,)).
    surface_normal : array_like, shape (3,)
        The crystal's ``surface_normal`` of the config.

    Returns
    -------
    xarray.Dataset
        The contract with ``counts`` and the Poisson ``counts_stderr`` = √max(N, 1).
    """
    counts = meas["counts"].values
    return make_hologram(
        holo["polar"].values,
        holo["azimuth"].values,
        {"counts": counts, "counts_stderr": np.sqrt(np.maximum(counts, 1.0))},
        crystal=holo.attrs["crystal"],
        emitter=holo.attrs["emitter"],
        energy_kev=holo.attrs["energy_kev"],
        geometry=holo.attrs["mode"],
        surface_normal=list(np.asarray(surface_normal, dtype=float)),
    )


def check_wave(obs: xr.Dataset, wave_attrs: Mapping[str, Any], rtol: float = 1e-6) -> None:
    """The contract's crystal, emitter, geometry and energy against the configured wave.

    Raises
    ------
    ObservationError
        One line naming the attribute that disagrees with ``wave_attrs``.
    """
    where = obs.attrs.get("source_file") or "hologram"
    for key, wkey in _AGREE.items():
        if wkey in wave_attrs and str(obs.attrs[key]) != str(wave_attrs[wkey]):
            raise observation_error(
                where, f"attribute '{key}'", f"{obs.attrs[key]!r}", f"{wave_attrs[wkey]!r} as configured"
            )
    if "energy_kev" in wave_attrs:
        e_obs, e_cfg = float(obs.attrs["energy_kev"]), float(wave_attrs["energy_kev"])
        if abs(e_obs / e_cfg - 1) > rtol:
            raise observation_error(where, "attribute 'energy_kev'", f"{e_obs:g} keV", f"{e_cfg:g} keV as configured")


def measured_from_observation(
    obs: xr.Dataset,
    *,
    grid_step_deg: float,
    reference_degree: int,
    wave_attrs: Mapping[str, Any] | None = None,
) -> xr.Dataset:
    """Reference subtraction and m-3m symmetrisation of a hologram contract (``measure_hologram``).

    Directions: k̂ = R (sinθ cosφ′, sinθ sinφ′, cosθ) with φ′ = φ − ``azimuth_offset_deg`` and R
    of :func:`kineticflow.xfh.instrument.sample_rotation` (the surface normal). Counts become
    χ = N/I_fit − 1 (:func:`~kineticflow.xfh.processing.subtract_reference`, polynomial of
    ``reference_degree`` in cosθ); a χ contract is used as it is. Then
    :func:`~kineticflow.xfh.processing.symmetrise` onto a ``grid_step_deg`` grid.

    Parameters
    ----------
    obs : xarray.Dataset
        The contract (:func:`kineticflow.xfh.observation.make_hologram`), n pixels.
    grid_step_deg : float
        Step of the symmetrised grid, degrees (``xfh.measurement.grid_step_deg``).
    reference_degree : int
        Degree of the reference polynomial (``xfh.measurement.reference_degree``).
    wave_attrs : mapping, optional
        Attributes of the configured wave (those of ``simulate_hologram``: ``crystal``,
        ``emitter``, ``mode``, ``energy_kev``, ``k_r_inv_angstrom``, ``k_i_inv_angstrom``,
        ``object_term``, …), checked against the contract and copied to the result, where
        :func:`kineticflow.xfh.steps.fit_phases` reads them.

    Returns
    -------
    xarray.Dataset
        The variables of ``measure_hologram``: ``counts`` (counts only) and ``chi_measured``
        (pixel,); ``chi_symmetrised``, ``chi_symmetrised_noise_free`` (data have no noise-free
        twin: a copy of ``chi_symmetrised``), ``hits``, ``solid_angle`` on (grid_polar,
        grid_azimuth).

    Raises
    ------
    ObservationError
        If the contract disagrees with ``wave_attrs`` (crystal, emitter, geometry, energy).
    """
    if wave_attrs is not None:
        check_wave(obs, wave_attrs)
    polar = np.radians(obs["polar"].values)
    phi = obs["azimuth"].values
    offset = float(obs.attrs.get("azimuth_offset_deg", 0.0))
    azimuth = np.radians(phi - offset if offset else phi)
    dirs = pr.unit_vectors(polar, azimuth) @ ins.sample_rotation(obs.attrs["surface_normal"]).T
    counts = obs["counts"].values if "counts" in obs else None
    chi = pr.subtract_reference(counts, polar, reference_degree) if counts is not None else obs["chi"].values
    grid = pr.SphereGrid(grid_step_deg)
    sym, hits = pr.symmetrise(chi, dirs, pr.point_group_m3m(), grid)
    dims = ("grid_polar", "grid_azimuth")
    data = {"chi_measured": variable(chi, "pixel", units="1", long_name="N / I_ref_fit - 1 on the measured directions")}
    if counts is not None:
        data["counts"] = variable(counts, "pixel", units="count", long_name="counts per direction (the observation)")
    data["chi_symmetrised"] = variable(
        sym, dims, units="1", long_name="m-3m average, (100) orientation; 0 where unmeasured"
    )
    data["chi_symmetrised_noise_free"] = variable(
        sym, dims, units="1", long_name="measured data have no noise-free twin: a copy of chi_symmetrised"
    )
    data["hits"] = variable(hits, dims, units="1", long_name="direction images averaged in each cell (0 = unmeasured)")
    data["solid_angle"] = variable(grid.solid_angle(), dims, units="sr", long_name="solid angle of each cell")
    coords = {
        "grid_polar": coord("grid_polar", np.degrees(grid.polar)),
        "grid_azimuth": coord("grid_azimuth", np.degrees(grid.azimuth)),
    }
    ds = xr.Dataset(data, coords=coords)
    ds.attrs.update({k: v for k, v in obs.attrs.items() if k != "geometry"})
    ds.attrs["mode"] = obs.attrs["geometry"]
    ds.attrs.update(dict(wave_attrs or {}))
    ds.attrs["empty_cell_fraction"] = float(np.mean(hits == 0))
    if counts is not None:
        ds.attrs["mean_counts_per_pixel"] = float(counts.mean())
    return ds
