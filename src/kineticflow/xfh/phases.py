"""Reflection families, local backgrounds of G and the sign and scale of Re F_h (Eq. 11)."""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike, NDArray

from kineticflow.core.fitting import FitResult, weighted_fit
from kineticflow.core.io import with_attrs

#: The six background offsets ±x̂, ±ŷ, ±ẑ (unit length; scaled by the configured distance).
BACKGROUND_OFFSETS = np.vstack([np.eye(3), -np.eye(3)])


def families(hkl: ArrayLike) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Representatives (h ≥ k ≥ l ≥ 0) of the m-3m families among ``hkl`` and their multiplicities.

    Parameters
    ----------
    hkl : array_like of int, shape (n, 3)

    Returns
    -------
    reps : ndarray of int, shape (n_fam, 3)
        In order of first appearance.
    multiplicity : ndarray of int, shape (n_fam,)
    """
    canon = -np.sort(-np.abs(np.asarray(hkl, dtype=int)), axis=1)
    reps, first, counts = np.unique(canon, axis=0, return_index=True, return_counts=True)
    order = np.argsort(first)
    return reps[order], counts[order]


def background_points(h_vec: ArrayLike, offset: float) -> NDArray[np.float64]:
    """Six off-lattice points h ± offset·ê (ê = x̂, ŷ, ẑ) per h, shape (6, n, 3), Å⁻¹."""
    h = np.atleast_2d(np.asarray(h_vec, dtype=float))
    return h[None, :, :] + offset * BACKGROUND_OFFSETS[:, None, :]


def recovered_sign(re_g_background_subtracted: ArrayLike) -> NDArray[np.int64]:
    """Sign of Re F_h read from Re G: Re G(h) ≈ −8π a(h) Re F_h with a(h) > 0, so sign F = −sign G.

    (With F_h = −(r_e/V_c) S_h this is sign S_h = +sign G: positive peaks for V, where every
    S_h > 0, as the paper measured.)
    """
    return -np.sign(np.asarray(re_g_background_subtracted, dtype=float)).astype(int)


def proportional(x: NDArray[np.float64], scale: float) -> NDArray[np.float64]:
    """Model Re G = scale · a(h) Re F_h (Eq. 11; expected scale −8π with this project's kernels)."""
    return scale * x


def fit_scale(a_re_f: ArrayLike, re_g: ArrayLike, sigma: ArrayLike) -> FitResult:
    """Weighted lmfit fit of Re G = c · a(h) Re F_h over the Bragg-accessible reflections.

    Parameters
    ----------
    a_re_f : array_like, shape (n,)
        a(h)·Re F_h, Å².
    re_g : array_like, shape (n,)
        Background-subtracted Re G(h), Å².
    sigma : array_like, shape (n,)
        Uncertainty of each Re G (the spread of its local background), Å².

    Returns
    -------
    FitResult
        ``values["scale"]``, dimensionless.
    """
    x = np.asarray(a_re_f, dtype=float)
    y = np.asarray(re_g, dtype=float)
    c0 = float(np.sum(x * y) / np.sum(x * x)) if np.any(x) else -8 * np.pi
    return weighted_fit(proportional, x, y, sigma, {"scale": c0})


def im_g_expected(b: ArrayLike, f_h: ArrayLike, k_r: float, k_i: float, object_term: bool) -> NDArray[np.float64]:
    """Im G(h) ≈ −8π b(h) [Im F_h − 2π |F_h|²/(2 k_r k_i)] (Eq. 11 in this project's convention).

    The object term (Eq. 10) adds +16π² |F_h|² b/(2k_rk_i); without it only −8π b Im F_h remains.
    The paper prints the object part with a minus sign; with Eq. 8's Im χ̃ = −2k_rk_i |χ̃|² and
    I_obj ≥ 0 it is positive (docs/xfh.md).
    """
    f = np.asarray(f_h, dtype=complex)
    bb = np.asarray(b, dtype=float)
    out = -8 * np.pi * bb * f.imag
    if object_term:
        out = out + 16 * np.pi**2 * np.abs(f) ** 2 * bb / (2 * k_r * k_i)
    return out


def phase_table(rec: xr.Dataset) -> xr.Dataset:
    """Sign of Re F_h from Re G (background subtracted) against the truth, per family (Eq. 11)."""
    re_g_bs = rec["re_g"].values - rec["background"].values
    re_g_bs_nf = rec["re_g_noise_free"].values - rec["background_noise_free"].values
    x = rec["a_measured"].values * rec["f_re"].values
    acc = rec["bragg_accessible"].values
    sigma = np.maximum(rec["background_std"].values, 1e-3 * np.max(np.abs(re_g_bs)))
    fit = fit_scale(x[acc], re_g_bs[acc], sigma[acc])
    fit_raw = fit_scale(x[acc], rec["re_g"].values[acc], sigma[acc])
    sign_true = np.sign(rec["f_re"].values).astype(int)
    ds = rec[
        [
            "miller",
            "multiplicity",
            "h_norm",
            "bragg_accessible",
            "two_theta_bragg",
            "s_re",
            "f_re",
            "f_im",
            "kinematic_ratio",
            "a_measured",
            "a_sphere",
            "re_g",
            "background",
        ]
    ].copy()
    ds["re_g_background_subtracted"] = with_attrs(
        xr.DataArray(re_g_bs, dims="family"), "angstrom2", "Re G(h) - local background"
    )
    ds["re_g_background_subtracted_noise_free"] = with_attrs(
        xr.DataArray(re_g_bs_nf, dims="family"), "angstrom2", "same, noise-free"
    )
    ds["sign_true"] = with_attrs(xr.DataArray(sign_true, dims="family"), "1", "sign of Re F_h")
    ds["sign_recovered"] = with_attrs(
        xr.DataArray(recovered_sign(re_g_bs), dims="family"), "1", "-sign(Re G - background)"
    )
    ds["sign_recovered_noise_free"] = with_attrs(
        xr.DataArray(recovered_sign(re_g_bs_nf), dims="family"), "1", "same, noise-free"
    )
    ds["a_re_f"] = with_attrs(xr.DataArray(x, dims="family"), "angstrom2", "a(h) Re F_h")
    f_h = rec["f_re"].values + 1j * rec["f_im"].values
    k_r, k_i = rec.attrs["k_r_inv_angstrom"], rec.attrs["k_i_inv_angstrom"]
    im_exp = im_g_expected(rec["b_measured"].values, f_h, k_r, k_i, bool(rec.attrs["object_term"]))
    ds["im_g"] = with_attrs(xr.DataArray(rec["im_g"].values, dims="family"), "angstrom2", "Im G(h)")
    ds["im_g_expected"] = with_attrs(
        xr.DataArray(im_exp, dims="family"),
        "angstrom2",
        "-8 pi b(h) [Im F_h - 2 pi |F_h|^2/(2 k_r k_i) (object term)] (Eq. 11)",
    )
    ok = (ds["sign_recovered"].values == sign_true)[acc]
    ok_nf = (ds["sign_recovered_noise_free"].values == sign_true)[acc]
    ds.attrs.update(rec.attrs)
    ds.attrs.update(
        scale=fit.values["scale"],
        scale_error=fit.stderr["scale"],
        scale_raw=fit_raw.values["scale"],
        scale_raw_error=fit_raw.stderr["scale"],
        scale_expected=-8 * np.pi,
        scale_redchi=fit.redchi,
        sign_fraction_correct=float(ok.mean()),
        sign_fraction_correct_noise_free=float(ok_nf.mean()),
        n_accessible=int(acc.sum()),
    )
    return ds


def table_rows(ph: xr.Dataset) -> list[dict[str, Any]]:
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
