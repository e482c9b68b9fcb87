"""Reflection families, local backgrounds of G and the sign and scale of Re F_h (Eq. 11)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from kineticflow.core.fitting import FitResult, weighted_fit

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
