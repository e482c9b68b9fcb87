"""Rule-level functions of the XFH branch: each returns one xarray Dataset.

simulate → measure → reconstruct → fit_phases (workflow/rules/xfh.smk). ``section`` is the
validated ``xfh`` config section.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import xarray as xr

from kineticflow.core.attrs import coord
from kineticflow.core.io import with_attrs
from kineticflow.core.noise import stable_seed
from kineticflow.xfh import crystals as cr
from kineticflow.xfh import measurement as ms
from kineticflow.xfh.kernels import CHUNK, hologram, kinematic_ratio, normalisation_ab, normalisation_ab_sphere
from kineticflow.xfh.phases import background_points, families
from kineticflow.xfh.reconstruction import reconstruct_real_line, reconstruct_reciprocal

#: Plane of the G(h′) map: normal [1 −1 0], axes u ∥ [001] and v ∥ [110] (holds 110, 002, 112, 220).
PLANE_AXES = (np.array([0.0, 0.0, 1.0]), np.array([1.0, 1.0, 0.0]) / np.sqrt(2))
#: Directions of the real-space lines of U(r′).
REAL_LINES = {"100": (1, 0, 0), "110": (1, 1, 0), "111": (1, 1, 1)}


def scattering_energy(name: str, section: Mapping[str, Any]) -> float:
    """Energy of the wave that scatters, keV.

    The incident energy (inside detector) or the emitter's Kα line unless ``energy_kev`` is
    given (inside source).
    """
    c = section["crystals"][name]
    if c["mode"] == "inside_source" and c.get("energy_kev") is None:
        return cr.k_alpha_kev(cr.make_crystal(name, c["lattice_constant"]).emitter)
    return float(c["energy_kev"])


def _wave(name: str, section: Mapping[str, Any]) -> tuple[cr.Crystal, float, float, float]:
    c = section["crystals"][name]
    crystal = cr.make_crystal(name, c["lattice_constant"])
    energy = scattering_energy(name, section)
    k_r = float(cr.wavenumber(energy))
    return crystal, energy, k_r, section["k_i_over_k_r"] * k_r


def simulate(name: str, section: Mapping[str, Any]) -> xr.Dataset:
    """χ(k̂) on the spiral pixels and the structure factors that made it (Eqs 7–10)."""
    c = section["crystals"][name]
    crystal, energy, k_r, k_i = _wave(name, section)
    hkl = cr.reciprocal_lattice(crystal, c["h_max_over_2k"] * 2 * k_r)
    s_h = cr.structure_factor_s(crystal, hkl, energy)
    f_h = cr.structure_factor_f(s_h, crystal.volume)
    # Fourier coefficient of −r_e ρ at h is F_{−h} (S_h carries e^{+ih·r}); equal here (centrosymmetric)
    coeff = cr.structure_factor_f(cr.structure_factor_s(crystal, -hkl, energy), crystal.volume)
    s = section["scan"]
    spiral = ms.spiral_scan(s["polar_max_deg"], s["polar_rate_deg_s"], s["azimuth_rate_deg_s"], c["n_pixels"])
    dirs = ms.unit_vectors(spiral.polar, spiral.azimuth) @ ms.sample_rotation(c["surface_normal"]).T
    chi = hologram(
        coeff, cr.h_vectors(crystal, hkl), dirs, k_r, k_i, section["object_term"], section.get("chunk_elements", CHUNK)
    )
    h_norm = np.linalg.norm(cr.h_vectors(crystal, hkl), axis=1)
    ds = xr.Dataset(
        {
            "chi": with_attrs(xr.DataArray(chi, dims="pixel"), "1", "hologram chi = (I - I_ref)/I_ref (Eqs 7-10)"),
            "polar": with_attrs(
                xr.DataArray(np.degrees(spiral.polar), dims="pixel"), "degree", "polar angle from the surface normal"
            ),
            "azimuth": with_attrs(
                xr.DataArray(np.degrees(spiral.azimuth), dims="pixel"), "degree", "azimuth about the surface normal"
            ),
            "direction": with_attrs(
                xr.DataArray(dirs, dims=("pixel", "xyz")), "1", "unit vector k/|k| in the crystal's cubic axes"
            ),
            "miller": with_attrs(xr.DataArray(hkl, dims=("reflection", "xyz")), "1", "Miller indices h k l"),
            "h_norm": with_attrs(xr.DataArray(h_norm, dims="reflection"), "1/angstrom", "|h| = 2 pi sqrt(h2+k2+l2)/a"),
            "s_re": with_attrs(xr.DataArray(s_h.real, dims="reflection"), "electron", "Re S_h"),
            "s_im": with_attrs(xr.DataArray(s_h.imag, dims="reflection"), "electron", "Im S_h"),
            "f_re": with_attrs(xr.DataArray(f_h.real, dims="reflection"), "1/angstrom^2", "Re F_h = -(r_e/V_c) Re S_h"),
            "f_im": with_attrs(xr.DataArray(f_h.imag, dims="reflection"), "1/angstrom^2", "Im F_h"),
            "kinematic_ratio": with_attrs(
                xr.DataArray(kinematic_ratio(f_h, k_r, k_i), dims="reflection"),
                "1",
                "|F_h|/(2 k_r k_i); kinematics needs << 1",
            ),
        }
    )
    ds.attrs.update(_wave_attrs(name, section, crystal, energy, k_r, k_i))
    return ds


def _wave_attrs(
    name: str, section: Mapping[str, Any], crystal: cr.Crystal, energy: float, k_r: float, k_i: float
) -> dict[str, Any]:
    return {
        "crystal": name,
        "emitter": crystal.emitter,
        "lattice_constant_angstrom": crystal.a,
        "mode": section["crystals"][name]["mode"],
        "energy_kev": energy,
        "k_r_inv_angstrom": k_r,
        "k_i_inv_angstrom": k_i,
        "k_i_absorption_inv_angstrom": cr.absorption_k_i(crystal, energy),
        "object_term": int(section["object_term"]),
    }


def measure(holo: xr.Dataset, section: Mapping[str, Any]) -> xr.Dataset:
    """Counts with Poisson noise, reference subtraction, m-3m symmetrisation onto the (100) grid."""
    name = holo.attrs["crystal"]
    m, s = section["measurement"], section["scan"]
    n_pix = holo.sizes["pixel"]
    dwell = s["polar_max_deg"] / s["polar_rate_deg_s"] / n_pix
    mean_counts = m["count_rate_hz"] * dwell * m["n_patterns"]
    polar = np.radians(holo["polar"].values)
    lam = ms.expected_counts(holo["chi"].values, polar, mean_counts, m["reference_modulation"])
    counts = ms.poisson_counts(lam, stable_seed(section["seed"], {"crystal": name})) if m["noise"] else lam
    grid = ms.SphereGrid(m["grid_step_deg"])
    ops = ms.point_group_m3m()
    dirs = holo["direction"].values
    chi_meas = [ms.subtract_reference(n, polar, m["reference_degree"]) for n in (counts, lam)]
    sym, hits = ms.symmetrise(np.array(chi_meas), dirs, ops, grid)
    out = {"": (chi_meas[0], sym[0], hits), "_noise_free": (chi_meas[1], sym[1], hits)}
    dims = ("grid_polar", "grid_azimuth")
    ds = xr.Dataset(
        {
            "counts": with_attrs(
                xr.DataArray(counts, dims="pixel"), "count", "counts per pixel summed over the patterns"
            ),
            "chi_measured": with_attrs(xr.DataArray(out[""][0], dims="pixel"), "1", "N / I_ref_fit - 1 on the spiral"),
            "chi_symmetrised": with_attrs(
                xr.DataArray(out[""][1], dims=dims), "1", "m-3m average, (100) orientation; 0 where unmeasured"
            ),
            "chi_symmetrised_noise_free": with_attrs(
                xr.DataArray(out["_noise_free"][1], dims=dims), "1", "same without counting noise"
            ),
            "hits": with_attrs(
                xr.DataArray(out[""][2], dims=dims), "1", "pixel images averaged in each cell (0 = unmeasured)"
            ),
            "solid_angle": with_attrs(xr.DataArray(grid.solid_angle(), dims=dims), "sr", "solid angle of each cell"),
        },
        coords={
            "grid_polar": coord("grid_polar", np.degrees(grid.polar)),
            "grid_azimuth": coord("grid_azimuth", np.degrees(grid.azimuth)),
        },
    )
    ds.attrs.update(holo.attrs)
    ds.attrs.update(mean_counts_per_pixel=mean_counts, empty_cell_fraction=float(np.mean(out[""][2] == 0)))
    return ds


def plane_points(a: float, k_r: float, section: Mapping[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """u, v coordinates (Å⁻¹) of the G-map nodes; lattice vectors (m m n) fall on nodes.

    The node spacing along [001] is 2π/a divided by round(2π/a / plane_step), so it is close to
    ``plane_step_inv_angstrom``; along [110] it is √2 times that.
    """
    r = section["reconstruction"]
    sub = max(1, round(2 * np.pi / a / r["plane_step_inv_angstrom"]))
    ext = r["plane_extent_over_2k"] * 2 * k_r
    du, dv = 2 * np.pi / a / sub, 2 * np.pi * np.sqrt(2) / a / sub
    u = du * np.arange(-int(ext / du), int(ext / du) + 1)
    v = dv * np.arange(-int(ext / dv), int(ext / dv) + 1)
    return u, v


def _grid_average_inputs(meas: xr.Dataset, variable: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    grid = ms.SphereGrid(float(meas["grid_polar"].values[1] - meas["grid_polar"].values[0]))
    w = (meas["solid_angle"].values * (meas["hits"].values > 0)).ravel()
    return meas[variable].values.ravel(), grid.directions().reshape(-1, 3), w


def plane_map(
    chi: np.ndarray, dirs: np.ndarray, w: np.ndarray, u: np.ndarray, v: np.ndarray, k_r: float, k_i: float, chunk: int
) -> np.ndarray:
    """G(h′) on the (1−10) plane nodes (u, v), shape (n_u, n_v), Å².

    The symmetrised χ is invariant under m-3m, which holds the mirrors z → −z ((u, v) → (−u, v))
    and the inversion; so G(±u, ±v) = G(|u|, |v|) and only the quadrant u, v ≥ 0 is computed
    (u and v are symmetric about 0 by construction).
    """
    iu, iv = np.flatnonzero(u >= 0), np.flatnonzero(v >= 0)
    uu, vv = np.meshgrid(u[iu], v[iv], indexing="ij")
    plane = uu.ravel()[:, None] * PLANE_AXES[0] + vv.ravel()[:, None] * PLANE_AXES[1]
    quad = reconstruct_reciprocal(chi, dirs, w, plane, k_r, k_i, chunk).reshape(uu.shape)
    ju = np.searchsorted(u[iu], np.abs(u) - 1e-9 * np.abs(u).max())
    jv = np.searchsorted(v[iv], np.abs(v) - 1e-9 * np.abs(v).max())
    return quad[np.ix_(ju, jv)]


def _lattice_g(
    meas: xr.Dataset, hv: np.ndarray, offset: float, k_r: float, k_i: float, chunk: int
) -> dict[str, xr.DataArray]:
    """Re G, Im G at each family and the mean and spread of Re G at its six background points."""
    pts = np.vstack([hv, background_points(hv, offset).reshape(-1, 3)])
    data: dict[str, xr.DataArray] = {}
    for label in ("", "_noise_free"):
        chi, dirs, w = _grid_average_inputs(meas, "chi_symmetrised" + label)
        g = reconstruct_reciprocal(chi, dirs, w, pts, k_r, k_i, chunk).reshape(7, -1)
        bg = g[1:].real
        data["re_g" + label] = with_attrs(
            xr.DataArray(g[0].real, dims="family"), "angstrom2", "Re G(h) at the lattice vector (Eq. 4)"
        )
        data["im_g" + label] = with_attrs(xr.DataArray(g[0].imag, dims="family"), "angstrom2", "Im G(h)")
        data["background" + label] = with_attrs(
            xr.DataArray(bg.mean(axis=0), dims="family"),
            "angstrom2",
            f"mean Re G at h +- {offset:.3g}/angstrom along x, y, z",
        )
        data["background_std" + label] = with_attrs(
            xr.DataArray(bg.std(axis=0, ddof=1), dims="family"), "angstrom2", "std of those six"
        )
    return data


def _family_vars(
    crystal: cr.Crystal, reps: np.ndarray, mult: np.ndarray, energy: float, k_r: float, k_i: float
) -> dict[str, xr.DataArray]:
    """Miller indices, |h|, Bragg accessibility, 2θ_B, S_h, F_h and |F_h|/(2k_rk_i) per family."""
    hn = np.linalg.norm(cr.h_vectors(crystal, reps), axis=1)
    s_h = cr.structure_factor_s(crystal, reps, energy)
    f_h = cr.structure_factor_f(s_h, crystal.volume)
    two_theta = np.degrees(2 * cr.bragg_angle(hn, k_r))
    return {
        "miller": with_attrs(
            xr.DataArray(reps, dims=("family", "xyz")), "1", "Miller indices h >= k >= l >= 0 of the family"
        ),
        "multiplicity": with_attrs(xr.DataArray(mult, dims="family"), "1", "members of the family within the sphere"),
        "h_norm": with_attrs(xr.DataArray(hn, dims="family"), "1/angstrom", "|h|"),
        "bragg_accessible": with_attrs(
            xr.DataArray(hn < 2 * k_r, dims="family"), "1", "|h| < 2k: meets a Bragg condition"
        ),
        "two_theta_bragg": with_attrs(
            xr.DataArray(np.nan_to_num(two_theta, nan=-1.0), dims="family"),
            "degree",
            "Kossel cone angle 2 theta_B (-1: none)",
        ),
        "s_re": with_attrs(xr.DataArray(s_h.real, dims="family"), "electron", "Re S_h"),
        "s_im": with_attrs(xr.DataArray(s_h.imag, dims="family"), "electron", "Im S_h"),
        "f_re": with_attrs(xr.DataArray(f_h.real, dims="family"), "1/angstrom^2", "Re F_h"),
        "f_im": with_attrs(xr.DataArray(f_h.imag, dims="family"), "1/angstrom^2", "Im F_h"),
        "kinematic_ratio": with_attrs(
            xr.DataArray(kinematic_ratio(f_h, k_r, k_i), dims="family"), "1", "|F_h|/(2 k_r k_i)"
        ),
    }


def _normalisation_vars(
    hv: np.ndarray, dirs: np.ndarray, w: np.ndarray, k_r: float, k_i: float, chunk: int
) -> dict[str, xr.DataArray]:
    """a(h), b(h) of Eq. 11 on the measured directions and over the full sphere (closed form)."""
    a_m, b_m = normalisation_ab(hv, dirs, w, k_r, k_i, chunk)
    a_s, b_s = normalisation_ab_sphere(np.linalg.norm(hv, axis=1), k_r, k_i)
    return {
        "a_measured": with_attrs(
            xr.DataArray(a_m, dims="family"), "angstrom4", "a(h) on the measured directions (Eq. 11)"
        ),
        "b_measured": with_attrs(
            xr.DataArray(b_m, dims="family"), "angstrom4", "b(h) on the measured directions (Eq. 11)"
        ),
        "a_sphere": with_attrs(xr.DataArray(a_s, dims="family"), "angstrom4", "a(h) over the full sphere, closed form"),
        "b_sphere": with_attrs(xr.DataArray(b_s, dims="family"), "angstrom4", "b(h) over the full sphere, closed form"),
    }


def reconstruct(meas: xr.Dataset, section: Mapping[str, Any]) -> xr.Dataset:
    """G(h′) at the lattice families (with local backgrounds), on the (1−10) plane, and U(r′) (Eqs 3–5, 11)."""
    name = meas.attrs["crystal"]
    r = section["reconstruction"]
    chunk = section.get("chunk_elements", CHUNK)
    crystal, energy, k_r, k_i = _wave(name, section)
    reps, mult = families(cr.reciprocal_lattice(crystal, r["h_max_over_2k"] * 2 * k_r))
    hv = cr.h_vectors(crystal, reps)
    offset = r["background_offset_fraction"] * float(
        np.linalg.norm(cr.h_vectors(crystal, cr.reciprocal_lattice(crystal, 2 * np.pi * 2 / crystal.a)[:1]))
    )
    data = _lattice_g(meas, hv, offset, k_r, k_i, chunk)
    chi, dirs, w = _grid_average_inputs(meas, "chi_symmetrised")
    u, v = plane_points(crystal.a, k_r, section)
    g_plane = plane_map(chi, dirs, w, u, v, k_r, k_i, chunk)
    radius = np.linspace(r["r_min_angstrom"], r["r_max_angstrom"], r["n_r"])
    u_real = np.array([reconstruct_real_line(chi, dirs, w, d, radius, k_r) for d in REAL_LINES.values()])
    fam = _family_vars(crystal, reps, mult, energy, k_r, k_i)
    fam.update(_normalisation_vars(hv, dirs, w, k_r, k_i, chunk))
    ds = xr.Dataset(
        {
            **fam,
            **data,
            "re_g_plane": with_attrs(
                xr.DataArray(g_plane.real, dims=("plane_u", "plane_v")), "angstrom2", "Re G(h') on the (1-10) plane"
            ),
            "im_g_plane": with_attrs(
                xr.DataArray(g_plane.imag, dims=("plane_u", "plane_v")), "angstrom2", "Im G(h') on the (1-10) plane"
            ),
            "u_real": with_attrs(xr.DataArray(u_real.real, dims=("line", "radius")), "1/angstrom", "Re U(r') (Eq. 3)"),
            "u_abs": with_attrs(xr.DataArray(np.abs(u_real), dims=("line", "radius")), "1/angstrom", "|U(r')| (Eq. 3)"),
        },
        coords={
            "plane_u": coord("plane_u", u),
            "plane_v": coord("plane_v", v),
            "radius": coord("radius", radius),
            "line": coord("line", list(REAL_LINES)),
        },
    )
    ds.attrs.update(meas.attrs)
    ds.attrs["background_offset_inv_angstrom"] = offset
    return ds
