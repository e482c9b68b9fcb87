"""Holographic reconstructions: reciprocal space G(h′) (Eq. 4) and real space U(r′) (Eq. 3).

S. Marchesini et al., *Holographic analysis of diffraction structure factors*, Eqs 2–5: the
averages over the measured directions, the (1−10) plane of the G map (Fig. 3) and the real-space
lines of U(r′).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from kineticflow.xfh.kernels import CHUNK, block_rows

#: Plane of the G(h′) map: normal [1 −1 0], axes u ∥ [001] and v ∥ [110] (holds 110, 002, 112, 220).
PLANE_AXES = (np.array([0.0, 0.0, 1.0]), np.array([1.0, 1.0, 0.0]) / np.sqrt(2))
#: Directions [uvw] of the real-space lines of U(r′).
REAL_LINES = {"100": (1, 0, 0), "110": (1, 1, 0), "111": (1, 1, 1)}


def _measured(chi: ArrayLike, directions: ArrayLike, weights: ArrayLike) -> tuple[np.ndarray, np.ndarray, float]:
    """The measured directions only: weighted hologram w χ, unit vectors k̂ and the weight sum."""
    c = np.asarray(chi, dtype=float)
    d = np.atleast_2d(np.asarray(directions, dtype=float))
    w = np.asarray(weights, dtype=float)
    keep = w > 0
    return (w * c)[keep], d[keep], float(w[keep].sum())


def reconstruct_reciprocal(
    chi: ArrayLike,
    directions: ArrayLike,
    weights: ArrayLike,
    h_points: ArrayLike,
    k_r: float,
    k_i: float,
    chunk: int = CHUNK,
    dtype: type = np.float32,
) -> NDArray[np.complex128]:
    """G(h′) = ⟨χ(k) χ̃*_{h′}(k)⟩_k with the paper's kernel χ̃ = −1/(h′² − 2h′·k − 2ik_rk_i), Å² (Eqs 4–5).

    Re G = −⟨χ A/(A² + B²)⟩ and Im G = ⟨χ B/(A² + B²)⟩ with A = h′² − 2h′·k, B = 2k_rk_i.

    Parameters
    ----------
    chi : array_like, shape (n_dir,)
        Hologram on the directions (0 where unmeasured).
    directions : array_like, shape (n_dir, 3)
        Unit vectors k̂.
    weights : array_like, shape (n_dir,)
        Solid-angle weights (0 for unmeasured directions); ⟨⟩ divides by their sum.
    h_points : array_like, shape (n_pts, 3)
        Points h′ of reciprocal space, Å⁻¹ (any, not only lattice vectors).
    k_r, k_i : float
        Wave numbers of the reconstruction, Å⁻¹.
    chunk : int
        Largest direction × point block.
    dtype : numpy float type
        Precision of the blocks (sums accumulated in float64).

    Returns
    -------
    ndarray of complex, shape (n_pts,)
    """
    wc, d, w_sum = _measured(chi, directions, weights)
    hp = np.atleast_2d(np.asarray(h_points, dtype=float))
    bb = 2 * k_r * k_i
    re, im = np.zeros(len(hp)), np.zeros(len(hp))
    step = block_rows(len(hp), chunk)
    hm2k: np.ndarray = (-2 * k_r * hp.T).astype(dtype)
    h2 = np.sum(hp**2, axis=1).astype(dtype)
    for i in range(0, len(d), step):
        a = d[i : i + step].astype(dtype) @ hm2k
        a += h2
        inv = a * a
        inv += dtype(bb * bb)
        np.reciprocal(inv, out=inv)
        wci: np.ndarray = wc[i : i + step].astype(dtype)
        im += bb * (wci @ inv).astype(float)
        a *= inv
        re -= (wci @ a).astype(float)
    return np.asarray((re + 1j * im) / w_sum, dtype=np.complex128)


def reconstruct_real_line(
    chi: ArrayLike,
    directions: ArrayLike,
    weights: ArrayLike,
    line: ArrayLike,
    radius: ArrayLike,
    k_r: float,
    n_bins: int = 40000,
) -> NDArray[np.complex128]:
    """U(r′) = ⟨χ(k) χ*_{r′}(k)⟩_k along a line r′ = s û, with χ_r(k) = −e^{i(kr − k·r)}/r, Å⁻¹ (Eqs 2–3).

    Along a line the phase is k_r s (1 − k̂·û), so U is a one-dimensional Fourier sum over the
    weighted distribution of c = 1 − k̂·û ∈ [0, 2], binned into ``n_bins`` bins (phase error
    ≤ k_r s / n_bins rad).

    Parameters
    ----------
    chi, directions, weights : as in :func:`reconstruct_reciprocal`
    line : array_like, shape (3,)
        Direction û of the line (normalised here).
    radius : array_like, shape (n_r,)
        Distances s > 0, Å.
    k_r : float
        Wave number, Å⁻¹.
    n_bins : int

    Returns
    -------
    ndarray of complex, shape (n_r,)
    """
    c = np.asarray(chi, dtype=float)
    d = np.atleast_2d(np.asarray(directions, dtype=float))
    w = np.asarray(weights, dtype=float)
    u = np.asarray(line, dtype=float)
    u = u / np.linalg.norm(u)
    s = np.asarray(radius, dtype=float)
    cos_term = np.clip(1.0 - d @ u, 0.0, 2.0)
    idx = np.minimum((cos_term / 2.0 * n_bins).astype(int), n_bins - 1)
    hist = np.bincount(idx, weights=w * c, minlength=n_bins)
    centres = (np.arange(n_bins) + 0.5) * 2.0 / n_bins
    return -(np.exp(-1j * k_r * s[:, None] * centres[None, :]) @ hist) / s / w.sum()


def reconstruct_real(
    chi: ArrayLike,
    directions: ArrayLike,
    weights: ArrayLike,
    r_points: ArrayLike,
    k_r: float,
    chunk: int = CHUNK,
) -> NDArray[np.complex128]:
    """U(r′) = ⟨χ(k) χ*_{r′}(k)⟩_k with χ_r(k) = −e^{i(kr − k·r)}/r, Å⁻¹ (Eqs 2–3).

    Parameters
    ----------
    chi, directions, weights : as in :func:`reconstruct_reciprocal`
    r_points : array_like, shape (n_pts, 3)
        Real-space points r′ ≠ 0, Å.
    k_r : float
        Wave number, Å⁻¹.
    chunk : int

    Returns
    -------
    ndarray of complex, shape (n_pts,)
    """
    wc, d, w_sum = _measured(chi, directions, weights)
    rp = np.atleast_2d(np.asarray(r_points, dtype=float))
    r = np.linalg.norm(rp, axis=1)
    out = np.zeros(len(rp), dtype=complex)
    step = block_rows(len(rp), chunk)
    for i in range(0, len(d), step):
        phase = k_r * (r[None, :] - d[i : i + step] @ rp.T)
        out += wc[i : i + step] @ np.exp(-1j * phase)
    return -out / r / w_sum


def plane_points(
    a: float, k_r: float, plane_step_inv_angstrom: float, plane_extent_over_2k: float
) -> tuple[np.ndarray, np.ndarray]:
    """u, v coordinates (Å⁻¹) of the G-map nodes on the (1−10) plane; lattice vectors (m m n) fall on nodes.

    The node spacing along [001] is 2π/a divided by round(2π/a / plane_step), so it is close to
    ``plane_step_inv_angstrom``; along [110] it is √2 times that.

    Parameters
    ----------
    a : float
        Cubic lattice constant, Å.
    k_r : float
        Wave number, Å⁻¹.
    plane_step_inv_angstrom : float
        Approximate node spacing along [001], Å⁻¹.
    plane_extent_over_2k : float
        Half-width of the map in units of 2k_r.

    Returns
    -------
    u, v : ndarray, shapes (n_u,), (n_v,)
        Node coordinates along :data:`PLANE_AXES`, symmetric about 0, Å⁻¹.
    """
    sub = max(1, round(2 * np.pi / a / plane_step_inv_angstrom))
    ext = plane_extent_over_2k * 2 * k_r
    du, dv = 2 * np.pi / a / sub, 2 * np.pi * np.sqrt(2) / a / sub
    u = du * np.arange(-int(ext / du), int(ext / du) + 1)
    v = dv * np.arange(-int(ext / dv), int(ext / dv) + 1)
    return u, v


def plane_map(
    chi: NDArray[np.float64],
    dirs: NDArray[np.float64],
    w: NDArray[np.float64],
    u: NDArray[np.float64],
    v: NDArray[np.float64],
    k_r: float,
    k_i: float,
    chunk: int,
) -> NDArray[np.complex128]:
    """G(h′) on the (1−10) plane nodes (u, v), shape (n_u, n_v), Å² (Eq. 4, Fig. 3).

    The symmetrised χ is invariant under m-3m, which holds the mirrors z → −z ((u, v) → (−u, v))
    and the inversion; so G(±u, ±v) = G(|u|, |v|) and only the quadrant u, v ≥ 0 is computed
    (u and v are symmetric about 0 by construction).

    Parameters
    ----------
    chi, dirs, w : ndarray
        Hologram, directions and weights as in :func:`reconstruct_reciprocal`.
    u, v : ndarray, shapes (n_u,), (n_v,)
        Node coordinates of :func:`plane_points`, Å⁻¹.
    k_r, k_i : float
        Wave numbers, Å⁻¹.
    chunk : int
        Largest direction × point block.

    Returns
    -------
    ndarray of complex, shape (n_u, n_v)
    """
    iu, iv = np.flatnonzero(u >= 0), np.flatnonzero(v >= 0)
    uu, vv = np.meshgrid(u[iu], v[iv], indexing="ij")
    plane = uu.ravel()[:, None] * PLANE_AXES[0] + vv.ravel()[:, None] * PLANE_AXES[1]
    quad = reconstruct_reciprocal(chi, dirs, w, plane, k_r, k_i, chunk).reshape(uu.shape)
    ju = np.searchsorted(u[iu], np.abs(u) - 1e-9 * np.abs(u).max())
    jv = np.searchsorted(v[iv], np.abs(v) - 1e-9 * np.abs(v).max())
    return quad[np.ix_(ju, jv)]
