"""The attributed variables of the XFH result files: units, long names and sources (paper, equation).

Helpers of :mod:`kineticflow.xfh.steps`: each builds the variables of one part of a result
dataset with :func:`kineticflow.core.attrs.variable`.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from kineticflow.core.attrs import variable
from kineticflow.xfh import PAPER
from kineticflow.xfh import crystals as cr
from kineticflow.xfh import processing as pr
from kineticflow.xfh.kernels import kinematic_ratio, normalisation_ab, normalisation_ab_sphere
from kineticflow.xfh.phases import background_points
from kineticflow.xfh.reconstruction import reconstruct_reciprocal


def structure_vars(dim: str, s_h: np.ndarray, f_h: np.ndarray, k_r: float, k_i: float) -> dict[str, xr.DataArray]:
    """Re, Im of S_h and F_h and the kinematic ratio |F_h|/(2k_rk_i) along ``dim``."""
    eq = f"{PAPER}, text above Eq. 7"
    return {
        "s_re": variable(s_h.real, dim, units="electron", long_name="Re S_h", source=eq),
        "s_im": variable(s_h.imag, dim, units="electron", long_name="Im S_h", source=eq),
        "f_re": variable(f_h.real, dim, units="1/angstrom^2", long_name="Re F_h = -(r_e/V_c) Re S_h", source=eq),
        "f_im": variable(f_h.imag, dim, units="1/angstrom^2", long_name="Im F_h", source=eq),
        "kinematic_ratio": variable(
            kinematic_ratio(f_h, k_r, k_i),
            dim,
            units="1",
            long_name="|F_h|/(2 k_r k_i); kinematics needs << 1",
            source=f"{PAPER}, text after Eq. 10",
        ),
    }


def grid_average_inputs(meas: xr.Dataset, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """χ, directions and solid-angle weights (0 where unmeasured) of the symmetrised grid, flattened."""
    grid = pr.SphereGrid(float(meas["grid_polar"].values[1] - meas["grid_polar"].values[0]))
    w = (meas["solid_angle"].values * (meas["hits"].values > 0)).ravel()
    return meas[name].values.ravel(), grid.directions().reshape(-1, 3), w


def lattice_g(
    meas: xr.Dataset, hv: np.ndarray, offset: float, k_r: float, k_i: float, chunk: int
) -> dict[str, xr.DataArray]:
    """Re G, Im G at each family and the mean and spread of Re G at its six background points."""
    pts = np.vstack([hv, background_points(hv, offset).reshape(-1, 3)])
    eq4 = f"{PAPER}, Eq. 4"
    data: dict[str, xr.DataArray] = {}
    for label in ("", "_noise_free"):
        chi, dirs, w = grid_average_inputs(meas, "chi_symmetrised" + label)
        g = reconstruct_reciprocal(chi, dirs, w, pts, k_r, k_i, chunk).reshape(7, -1)
        bg = g[1:].real
        data["re_g" + label] = variable(
            g[0].real, "family", units="angstrom^2", long_name="Re G(h) at the lattice vector", source=eq4
        )
        data["im_g" + label] = variable(g[0].imag, "family", units="angstrom^2", long_name="Im G(h)", source=eq4)
        data["background" + label] = variable(
            bg.mean(axis=0),
            "family",
            units="angstrom^2",
            long_name=f"mean Re G at h +- {offset:.3g}/angstrom along x, y, z",
        )
        data["background_std" + label] = variable(
            bg.std(axis=0, ddof=1), "family", units="angstrom^2", long_name="std of those six"
        )
    return data


def family_vars(
    crystal: cr.Crystal, reps: np.ndarray, mult: np.ndarray, energy: float, k_r: float, k_i: float
) -> dict[str, xr.DataArray]:
    """Miller indices, |h|, Bragg accessibility, 2θ_B, S_h, F_h and |F_h|/(2k_rk_i) per family."""
    hn = np.linalg.norm(cr.h_vectors(crystal, reps), axis=1)
    s_h = cr.structure_factor_s(crystal, reps, energy)
    f_h = cr.structure_factor_f(s_h, crystal.volume)
    two_theta = np.degrees(2 * cr.bragg_angle(hn, k_r))
    return {
        "miller": variable(
            reps, ("family", "xyz"), units="1", long_name="Miller indices h >= k >= l >= 0 of the family"
        ),
        "multiplicity": variable(mult, "family", units="1", long_name="members of the family within the sphere"),
        "h_norm": variable(hn, "family", units="1/angstrom", long_name="|h|"),
        "bragg_accessible": variable(hn < 2 * k_r, "family", units="1", long_name="|h| < 2k: meets a Bragg condition"),
        "two_theta_bragg": variable(
            np.nan_to_num(two_theta, nan=-1.0),
            "family",
            units="degree",
            long_name="Kossel cone angle 2 theta_B (-1: none)",
        ),
        **structure_vars("family", s_h, f_h, k_r, k_i),
    }


def normalisation_vars(
    hv: np.ndarray, dirs: np.ndarray, w: np.ndarray, k_r: float, k_i: float, chunk: int
) -> dict[str, xr.DataArray]:
    """a(h), b(h) of Eq. 11 on the measured directions and over the full sphere (closed form)."""
    a_m, b_m = normalisation_ab(hv, dirs, w, k_r, k_i, chunk)
    a_s, b_s = normalisation_ab_sphere(np.linalg.norm(hv, axis=1), k_r, k_i)
    eq = f"{PAPER}, Eq. 11"
    return {
        "a_measured": variable(
            a_m, "family", units="angstrom^4", long_name="a(h) on the measured directions", source=eq
        ),
        "b_measured": variable(
            b_m, "family", units="angstrom^4", long_name="b(h) on the measured directions", source=eq
        ),
        "a_sphere": variable(
            a_s, "family", units="angstrom^4", long_name="a(h) over the full sphere, closed form", source=eq
        ),
        "b_sphere": variable(
            b_s, "family", units="angstrom^4", long_name="b(h) over the full sphere, closed form", source=eq
        ),
    }


def map_vars(g_plane: np.ndarray, u_real: np.ndarray) -> dict[str, xr.DataArray]:
    """G(h′) on the (1−10) plane (Eq. 4) and U(r′) along the real-space lines (Eq. 3)."""
    plane, lines = ("plane_u", "plane_v"), ("line", "radius")
    return {
        "re_g_plane": variable(
            g_plane.real, plane, units="angstrom^2", long_name="Re G(h') on the (1-10) plane", source=f"{PAPER}, Eq. 4"
        ),
        "im_g_plane": variable(
            g_plane.imag, plane, units="angstrom^2", long_name="Im G(h') on the (1-10) plane", source=f"{PAPER}, Eq. 4"
        ),
        "u_real": variable(u_real.real, lines, units="1/angstrom", long_name="Re U(r')", source=f"{PAPER}, Eq. 3"),
        "u_abs": variable(np.abs(u_real), lines, units="1/angstrom", long_name="|U(r')|", source=f"{PAPER}, Eq. 3"),
    }


def phase_vars(
    re_g_bs: np.ndarray,
    re_g_bs_nf: np.ndarray,
    sign_true: np.ndarray,
    signs: tuple[np.ndarray, np.ndarray],
    a_re_f: np.ndarray,
    im_g: np.ndarray,
    im_g_expected: np.ndarray,
) -> dict[str, xr.DataArray]:
    """The per-family variables that rule ``fit_phases`` adds to the reconstruction's (Eq. 11)."""
    eq = f"{PAPER}, Eq. 11"
    return {
        "re_g_background_subtracted": variable(
            re_g_bs, "family", units="angstrom^2", long_name="Re G(h) - local background"
        ),
        "re_g_background_subtracted_noise_free": variable(
            re_g_bs_nf, "family", units="angstrom^2", long_name="same, noise-free"
        ),
        "sign_true": variable(sign_true, "family", units="1", long_name="sign of Re F_h"),
        "sign_recovered": variable(signs[0], "family", units="1", long_name="-sign(Re G - background)", source=eq),
        "sign_recovered_noise_free": variable(signs[1], "family", units="1", long_name="same, noise-free"),
        "a_re_f": variable(a_re_f, "family", units="angstrom^2", long_name="a(h) Re F_h", source=eq),
        "im_g": variable(im_g, "family", units="angstrom^2", long_name="Im G(h)", source=f"{PAPER}, Eq. 4"),
        "im_g_expected": variable(
            im_g_expected,
            "family",
            units="angstrom^2",
            long_name="-8 pi b(h) [Im F_h - 2 pi |F_h|^2/(2 k_r k_i) (object term)]",
            source=eq,
        ),
    }
