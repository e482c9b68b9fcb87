"""The shipped example hologram: simulated V counts on a regular (θ, φ) grid, as text triplets.

``resources/xfh_hologram_example.txt`` is written by :func:`write_example` (deterministic: fixed
grid, configuration and seed) and read like a user's file by
:func:`kineticflow.xfh.observation.read_hologram`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from kineticflow.xfh import crystals as cr
from kineticflow.xfh import instrument as ins
from kineticflow.xfh import processing as pr
from kineticflow.xfh.config import WaveParams
from kineticflow.xfh.kernels import hologram
from kineticflow.xfh.observation import make_hologram
from kineticflow.xfh.wave import scattered_wave

#: The example: V inside detector at 6.3 keV, (111) surface, θ ≤ 80°, 2.5° grid, 10⁶ counts per direction.
EXAMPLE: dict[str, Any] = {
    "crystal": "V",
    "step_deg": 2.5,
    "polar_max_deg": 80.0,
    "counts_per_direction": 1.0e6,
    "reference_modulation": 0.3,
    "seed": 2026,
}
#: The ``xfh`` config entries the example is simulated with (those of config/config.yaml).
EXAMPLE_SECTION: dict[str, Any] = {
    "k_i_over_k_r": 0.01,
    "object_term": False,
    "crystals": {
        "V": {
            "lattice_constant": 3.03,
            "mode": "inside_detector",
            "energy_kev": 6.3,
            "surface_normal": [1, 1, 1],
            "h_max_over_2k": 1.5,
        }
    },
}


def grid_chi(name: str, section: Mapping[str, Any], polar_deg: np.ndarray, azimuth_deg: np.ndarray) -> np.ndarray:
    """χ(k̂) (Eqs 7–10) of a configured crystal on sample-frame directions, as ``simulate_hologram``.

    Parameters
    ----------
    name : str
        Crystal of ``section["crystals"]``.
    section : mapping
        ``xfh`` config entries: ``k_i_over_k_r``, ``object_term``, the crystal's
        ``lattice_constant``, ``mode``, ``energy_kev``, ``surface_normal``, ``h_max_over_2k``.
    polar_deg, azimuth_deg : ndarray, shape (n,)
        Directions in the sample frame, degrees.

    Returns
    -------
    ndarray, shape (n,)
    """
    c = section["crystals"][name]
    crystal, energy, k_r, k_i = scattered_wave(WaveParams(**WaveParams.wave_fields(section, name)))
    hkl = cr.reciprocal_lattice(crystal, c["h_max_over_2k"] * 2 * k_r)
    coeff = cr.structure_factor_f(cr.structure_factor_s(crystal, -hkl, energy), crystal.volume)
    dirs = pr.unit_vectors(np.radians(polar_deg), np.radians(azimuth_deg)) @ ins.sample_rotation(c["surface_normal"]).T
    return hologram(coeff, cr.h_vectors(crystal, hkl), dirs, k_r, k_i, section["object_term"])


def example_observation() -> xr.Dataset:
    """The example as the hologram contract: Poisson counts N̄ I_ref(θ)(1 + χ) on a 2.5° grid.

    Returns
    -------
    xarray.Dataset
        The contract (:mod:`kineticflow.xfh.observation`), 32 × 144 directions in C order of
        (polar, azimuth), ``counts`` and ``counts_stderr`` = √max(N, 1).
    """
    e = EXAMPLE
    step = float(e["step_deg"])
    polar = (np.arange(round(e["polar_max_deg"] / step)) + 0.5) * step
    azimuth = (np.arange(round(360 / step)) + 0.5) * step
    pp, aa = (x.ravel() for x in np.meshgrid(polar, azimuth, indexing="ij"))
    chi = grid_chi(str(e["crystal"]), EXAMPLE_SECTION, pp, aa)
    mean = ins.expected_counts(chi, np.radians(pp), e["counts_per_direction"], e["reference_modulation"])
    counts = ins.poisson_counts(mean, int(e["seed"]))
    c = EXAMPLE_SECTION["crystals"][e["crystal"]]
    return make_hologram(
        pp,
        aa,
        {"counts": counts, "counts_stderr": np.sqrt(np.maximum(counts, 1.0))},
        crystal=e["crystal"],
        emitter="V",
        energy_kev=c["energy_kev"],
        geometry=c["mode"],
        surface_normal=c["surface_normal"],
        layout=f"regular grid {polar.size} x {azimuth.size}",
    )


def write_example(path: str | os.PathLike[str]) -> Path:
    """Write the example as text (angles with 10 digits, integer counts, σ with 8 digits).

    Parameters
    ----------
    path : str or path
        Target file (``resources/xfh_hologram_example.txt`` in the repository).

    Returns
    -------
    pathlib.Path
    """
    obs = example_observation()
    e = EXAMPLE
    head = [
        "# Example XFH hologram (simulated, kineticflow.xfh.observation_example.write_example): V (bcc, a = 3.03 A),",
        f"# inside detector at 6.3 keV, (111) surface; Poisson counts {e['counts_per_direction']:g} I_ref(theta)"
        f" (1 + chi), I_ref = 1 - {e['reference_modulation']:g} sin^2 theta, seed {e['seed']}.",
        "# Replace with a measured hologram: one row per direction, angles in degrees in the sample frame.",
        *(f"# {k}: {obs.attrs[k]}" for k in ("crystal", "emitter", "energy_kev", "geometry")),
        f"# surface_normal: {' '.join(f'{x:g}' for x in obs.attrs['surface_normal'])}",
        "theta_deg, phi_deg, counts, sigma",
    ]
    rows = [
        f"{t:.10g}, {p:.10g}, {n:.0f}, {s:.8g}"
        for t, p, n, s in zip(
            obs["polar"].values, obs["azimuth"].values, obs["counts"].values, obs["counts_stderr"].values, strict=True
        )
    ]
    path = Path(path)
    path.write_text("\n".join(head + rows) + "\n")
    return path
