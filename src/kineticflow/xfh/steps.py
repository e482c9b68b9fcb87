"""One function per rule of ``workflow/rules/xfh.smk``, each named as its rule.

simulate_hologram → measure_hologram → reconstruct_hologram → fit_phases → collect_xfh_phases, and
plot_xfh; for a user's hologram (``xfh.observations``) measure_observed_hologram replaces the first
two and collect_observed_xfh_phases the table. Each takes datasets and the rule's frozen parameters (:mod:`kineticflow.xfh.config`) and
returns what the rule writes; the thin scripts in ``workflow/scripts/xfh/`` read and write files.
``chunk_elements`` (the largest direction × reflection block) sets memory, not physics.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from kineticflow.core.attrs import coord, variable
from kineticflow.core.noise import stable_seed
from kineticflow.xfh import PAPER
from kineticflow.xfh import crystals as cr
from kineticflow.xfh import instrument as ins
from kineticflow.xfh import processing as pr
from kineticflow.xfh import variables as va
from kineticflow.xfh.config import MeasureParams, ReconstructParams, SimulateParams, WaveParams
from kineticflow.xfh.kernels import CHUNK, hologram
from kineticflow.xfh.observation import read_hologram
from kineticflow.xfh.observation_measure import measured_from_observation
from kineticflow.xfh.phases import families, fit_scale, im_g_expected, recovered_sign
from kineticflow.xfh.reconstruction import REAL_LINES, plane_map, plane_points, reconstruct_real_line
from kineticflow.xfh.wave import scattered_wave, wave_attrs

#: Variables of the reconstruction that the phase table carries over.
PHASE_VARIABLES = [
    "miller", "multiplicity", "h_norm", "bragg_accessible", "two_theta_bragg", "s_re", "f_re", "f_im",
    "kinematic_ratio", "a_measured", "a_sphere", "re_g", "background",
]  # fmt: skip


def simulate_hologram(p: SimulateParams, *, chunk_elements: int = CHUNK) -> xr.Dataset:
    """Rule ``simulate_hologram``: χ(k̂) on the spiral pixels and the structure factors (Eqs 7–10).

    Parameters
    ----------
    p : SimulateParams
        Crystal, wave, reflections and spiral scan.
    chunk_elements : int
        Largest direction × reflection block held in memory.

    Returns
    -------
    xarray.Dataset
        ``chi``, ``polar``, ``azimuth``, ``direction`` (dims ``pixel``, ``xyz``) and ``miller``,
        ``h_norm``, S_h, F_h, ``kinematic_ratio`` (dim ``reflection``).
    """
    crystal, energy, k_r, k_i = scattered_wave(p)
    hkl = cr.reciprocal_lattice(crystal, p.h_max_over_2k * 2 * k_r)
    s_h = cr.structure_factor_s(crystal, hkl, energy)
    f_h = cr.structure_factor_f(s_h, crystal.volume)
    # Fourier coefficient of −r_e ρ at h is F_{−h} (S_h carries e^{+ih·r}); equal here (centrosymmetric)
    coeff = cr.structure_factor_f(cr.structure_factor_s(crystal, -hkl, energy), crystal.volume)
    spiral = ins.spiral_scan(p.polar_max_deg, p.polar_rate_deg_s, p.azimuth_rate_deg_s, p.n_pixels)
    dirs = ins.scan_directions(spiral, p.surface_normal)
    chi = hologram(coeff, cr.h_vectors(crystal, hkl), dirs, k_r, k_i, p.object_term, chunk_elements)
    h_norm = np.linalg.norm(cr.h_vectors(crystal, hkl), axis=1)
    ds = xr.Dataset(
        {
            "chi": variable(
                chi, "pixel", units="1", long_name="hologram chi = (I - I_ref)/I_ref", source=f"{PAPER}, Eqs 7-10"
            ),
            "polar": variable(
                np.degrees(spiral.polar), "pixel", units="degree", long_name="polar angle from the surface normal"
            ),
            "azimuth": variable(
                np.degrees(spiral.azimuth), "pixel", units="degree", long_name="azimuth about the surface normal"
            ),
            "direction": variable(
                dirs, ("pixel", "xyz"), units="1", long_name="unit vector k/|k| in the crystal's cubic axes"
            ),
            "miller": variable(hkl, ("reflection", "xyz"), units="1", long_name="Miller indices h k l"),
            "h_norm": variable(h_norm, "reflection", units="1/angstrom", long_name="|h| = 2 pi sqrt(h2+k2+l2)/a"),
            **va.structure_vars("reflection", s_h, f_h, k_r, k_i),
        }
    )
    ds.attrs.update(wave_attrs(p, p.object_term))
    return ds


def measure_hologram(holo: xr.Dataset, p: MeasureParams) -> xr.Dataset:
    """Rule ``measure_hologram``: counts with Poisson noise, reference subtraction, m-3m symmetrisation.

    Parameters
    ----------
    holo : xarray.Dataset
        Output of :func:`simulate_hologram` (``chi``, ``polar``, ``direction``).
    p : MeasureParams
        Counting, reference fit and grid.

    Returns
    -------
    xarray.Dataset
        ``counts``, ``chi_measured`` (dim ``pixel``), the symmetrised χ with and without noise,
        ``hits`` and ``solid_angle`` on the (``grid_polar``, ``grid_azimuth``) grid.
    """
    n_pix = holo.sizes["pixel"]
    dwell = p.polar_max_deg / p.polar_rate_deg_s / n_pix
    mean_counts = ins.mean_counts_per_pixel(p.count_rate_hz, dwell, p.n_patterns)
    polar = np.radians(holo["polar"].values)
    lam = ins.expected_counts(holo["chi"].values, polar, mean_counts, p.reference_modulation)
    counts = ins.poisson_counts(lam, stable_seed(p.seed, {"crystal": holo.attrs["crystal"]})) if p.noise else lam
    grid = pr.SphereGrid(p.grid_step_deg)
    chi_meas = [pr.subtract_reference(n, polar, p.reference_degree) for n in (counts, lam)]
    sym, hits = pr.symmetrise(np.array(chi_meas), holo["direction"].values, pr.point_group_m3m(), grid)
    dims = ("grid_polar", "grid_azimuth")
    ds = xr.Dataset(
        {
            "counts": variable(counts, "pixel", units="count", long_name="counts per pixel summed over the patterns"),
            "chi_measured": variable(
                chi_meas[0], "pixel", units="1", long_name="N / I_ref_fit - 1 on the spiral", source=f"{PAPER}, Eq. 1"
            ),
            "chi_symmetrised": variable(
                sym[0], dims, units="1", long_name="m-3m average, (100) orientation; 0 where unmeasured"
            ),
            "chi_symmetrised_noise_free": variable(sym[1], dims, units="1", long_name="same without counting noise"),
            "hits": variable(hits, dims, units="1", long_name="pixel images averaged in each cell (0 = unmeasured)"),
            "solid_angle": variable(grid.solid_angle(), dims, units="sr", long_name="solid angle of each cell"),
        },
        coords={
            "grid_polar": coord("grid_polar", np.degrees(grid.polar)),
            "grid_azimuth": coord("grid_azimuth", np.degrees(grid.azimuth)),
        },
    )
    ds.attrs.update(holo.attrs)
    ds.attrs.update(mean_counts_per_pixel=mean_counts, empty_cell_fraction=float(np.mean(hits == 0)))
    return ds


def measure_observed_hologram(
    path: str, reader: dict[str, Any], p: MeasureParams, wave: WaveParams, object_term: bool
) -> tuple[xr.Dataset, pd.DataFrame]:
    """Rule ``measure_observed_hologram``: a user's hologram, reference-subtracted and symmetrised.

    :func:`kineticflow.xfh.observation.read_hologram` then
    :func:`kineticflow.xfh.observation_measure.measured_from_observation` with the configured
    wave's attributes (those of :func:`simulate_hologram`), on the grid of ``measure_hologram``.

    Parameters
    ----------
    path : str
        The hologram file.
    reader : dict
        Keyword arguments of ``read_hologram`` (format, variables, angle unit, attributes).
    p : MeasureParams
        ``grid_step_deg`` (degree) and ``reference_degree`` are used.
    wave : WaveParams
        The configured crystal and wave the file must agree with.
    object_term : bool
        Recorded for ``fit_phases`` (Eq. 10).

    Returns
    -------
    measured : xarray.Dataset
        The variables of ``measure_hologram``'s ``measured.nc``.
    provenance : pandas.DataFrame
        One row: ``source_file``, ``source_file_sha256``, ``reader``, ``crystal``, ``layout``, ``regridding``.

    Raises
    ------
    ObservationError
        A bad file or one that disagrees with the configured wave (one line).
    """
    obs = read_hologram(path, **reader)
    meas = measured_from_observation(
        obs,
        grid_step_deg=p.grid_step_deg,
        reference_degree=p.reference_degree,
        wave_attrs=wave_attrs(wave, object_term),
    )
    keys = ("source_file", "source_file_sha256", "reader", "crystal", "layout", "regridding")
    return meas, pd.DataFrame([{k: obs.attrs.get(k, "") for k in keys}])


def reconstruct_hologram(meas: xr.Dataset, p: ReconstructParams, *, chunk_elements: int = CHUNK) -> xr.Dataset:
    """Rule ``reconstruct_hologram``: G(h′) at the families and on the (1−10) plane, U(r′) (Eqs 3–5, 11).

    Parameters
    ----------
    meas : xarray.Dataset
        Output of :func:`measure_hologram` (``chi_symmetrised[_noise_free]``, ``hits``, ``solid_angle``).
    p : ReconstructParams
        Wave, families, background offset, G-map and U(r′) grids.
    chunk_elements : int
        Largest direction × point block held in memory.

    Returns
    -------
    xarray.Dataset
        Per ``family``: Miller indices, S_h, F_h, a(h), b(h), Re/Im G and the local backgrounds;
        ``re_g_plane``, ``im_g_plane`` (``plane_u``, ``plane_v``); ``u_real``, ``u_abs`` (``line``, ``radius``).
    """
    chunk = chunk_elements
    crystal, energy, k_r, k_i = scattered_wave(p)
    reps, mult = families(cr.reciprocal_lattice(crystal, p.h_max_over_2k * 2 * k_r))
    hv = cr.h_vectors(crystal, reps)
    offset = p.background_offset_fraction * float(
        np.linalg.norm(cr.h_vectors(crystal, cr.reciprocal_lattice(crystal, 2 * np.pi * 2 / crystal.a)[:1]))
    )
    data = va.lattice_g(meas, hv, offset, k_r, k_i, chunk)
    chi, dirs, w = va.grid_average_inputs(meas, "chi_symmetrised")
    u, v = plane_points(crystal.a, k_r, p.plane_step_inv_angstrom, p.plane_extent_over_2k)
    g_plane = plane_map(chi, dirs, w, u, v, k_r, k_i, chunk)
    radius = np.linspace(p.r_min_angstrom, p.r_max_angstrom, p.n_r)
    u_real = np.array([reconstruct_real_line(chi, dirs, w, d, radius, k_r) for d in REAL_LINES.values()])
    fam = va.family_vars(crystal, reps, mult, energy, k_r, k_i)
    fam.update(va.normalisation_vars(hv, dirs, w, k_r, k_i, chunk))
    ds = xr.Dataset(
        {**fam, **data, **va.map_vars(g_plane, u_real)},
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


def fit_phases(rec: xr.Dataset) -> xr.Dataset:
    """Rule ``fit_phases``: sign of Re F_h from Re G minus its local background, and the scale fit (Eq. 11).

    Re G = c · a(h) Re F_h is fitted (lmfit, σ = spread of the background points) over the
    Bragg-accessible families, once with the background-subtracted and once with the raw Re G.

    Parameters
    ----------
    rec : xarray.Dataset
        Output of :func:`reconstruct_hologram`.

    Returns
    -------
    xarray.Dataset
        The family table: background-subtracted Re G, true and recovered signs, a(h) Re F_h, Im G
        and its expectation; attributes ``scale``, ``scale_stderr``, ``scale_raw``,
        ``scale_raw_stderr``, ``scale_expected`` (−8π), ``scale_redchi``, ``sign_fraction_correct``
        (``_noise_free``) and ``n_accessible``.
    """
    re_g_bs = rec["re_g"].values - rec["background"].values
    re_g_bs_nf = rec["re_g_noise_free"].values - rec["background_noise_free"].values
    x = rec["a_measured"].values * rec["f_re"].values
    acc = rec["bragg_accessible"].values
    sigma = np.maximum(rec["background_std"].values, 1e-3 * np.max(np.abs(re_g_bs)))
    fit = fit_scale(x[acc], re_g_bs[acc], sigma[acc])
    fit_raw = fit_scale(x[acc], rec["re_g"].values[acc], sigma[acc])
    sign_true = np.sign(rec["f_re"].values).astype(int)
    f_h = rec["f_re"].values + 1j * rec["f_im"].values
    k_r, k_i = rec.attrs["k_r_inv_angstrom"], rec.attrs["k_i_inv_angstrom"]
    im_exp = im_g_expected(rec["b_measured"].values, f_h, k_r, k_i, bool(rec.attrs["object_term"]))
    signs = (recovered_sign(re_g_bs), recovered_sign(re_g_bs_nf))
    ds = rec[PHASE_VARIABLES].copy()
    ds.update(va.phase_vars(re_g_bs, re_g_bs_nf, sign_true, signs, x, rec["im_g"].values, im_exp))
    ok = (signs[0] == sign_true)[acc]
    ok_nf = (signs[1] == sign_true)[acc]
    ds.attrs.update(rec.attrs)
    ds.attrs.update(
        scale=fit.values["scale"],
        scale_stderr=fit.stderr["scale"],
        scale_raw=fit_raw.values["scale"],
        scale_raw_stderr=fit_raw.stderr["scale"],
        scale_expected=-8 * np.pi,
        scale_redchi=fit.redchi,
        sign_fraction_correct=float(ok.mean()),
        sign_fraction_correct_noise_free=float(ok_nf.mean()),
        n_accessible=int(acc.sum()),
    )
    return ds


def _table_rows(ph: xr.Dataset) -> list[dict[str, Any]]:
    """Rows of results/xfh/phases.csv for one crystal."""
    rows = []
    for i in range(ph.sizes["family"]):
        h, k, l = (int(x) for x in ph["miller"].values[i])
        rows.append(
            {
                "crystal": ph.attrs["crystal"],
                "h": h,
                "k": k,
                "l": l,
                "multiplicity": int(ph["multiplicity"].values[i]),
                "h_norm_inv_angstrom": float(ph["h_norm"].values[i]),
                "bragg_accessible": bool(ph["bragg_accessible"].values[i]),
                "two_theta_bragg_deg": float(ph["two_theta_bragg"].values[i]),
                "re_s_true": float(ph["s_re"].values[i]),
                "re_f_true": float(ph["f_re"].values[i]),
                "kinematic_ratio": float(ph["kinematic_ratio"].values[i]),
                "a_h": float(ph["a_measured"].values[i]),
                "re_g": float(ph["re_g"].values[i]),
                "re_g_background_subtracted": float(ph["re_g_background_subtracted"].values[i]),
                "sign_true": int(ph["sign_true"].values[i]),
                "sign_recovered": int(ph["sign_recovered"].values[i]),
                "sign_recovered_noise_free": int(ph["sign_recovered_noise_free"].values[i]),
            }
        )
    return rows


def collect_xfh_phases(phases: Iterable[xr.Dataset]) -> pd.DataFrame:
    """Rule ``collect_xfh_phases``: one row per reflection family and crystal (``results/xfh/phases.csv``).

    Parameters
    ----------
    phases : iterable of xarray.Dataset
        Outputs of :func:`fit_phases`, one per crystal, in table order.

    Returns
    -------
    pandas.DataFrame
        Columns ``crystal, h, k, l, multiplicity, h_norm_inv_angstrom, bragg_accessible, …,
        sign_true, sign_recovered, sign_recovered_noise_free``.
    """
    return pd.DataFrame([row for ph in phases for row in _table_rows(ph)])


def collect_observed_xfh_phases(phases: xr.Dataset) -> pd.DataFrame:
    """Rule ``collect_observed_xfh_phases``: ``phases.csv`` of one observation (columns of :func:`collect_xfh_phases`)."""
    return collect_xfh_phases([phases])


def plot_xfh(measured: xr.Dataset, reconstruction: xr.Dataset, phases: xr.Dataset) -> dict[str, Any]:
    """Rule ``plot_xfh``: the figures of one crystal, ``{output name: matplotlib figure}``.

    ``hologram`` (Fig. 2), ``g_map`` (Fig. 3), ``scale`` (Re G against a(h) Re F_h, Eq. 11) and
    ``real_space`` (U(r′), Eq. 3).
    """
    from kineticflow.xfh import plots  # matplotlib only where figures are made

    return {
        "hologram": plots.hologram_map(measured),
        "g_map": plots.g_map(reconstruction),
        "scale": plots.scale_plot(phases),
        "real_space": plots.real_space(reconstruction),
    }
