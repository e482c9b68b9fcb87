"""Kernels of a point structure factor, the hologram of a periodic crystal and Eq. 11's a(h), b(h).

Sign convention (fixed here, derived in docs/xfh.md):

* forward model: the physical kernel K_h(k) = ∫d³r e^{i(k_c r − (k−h)·r)}/r
  = 4π / (h² − 2h·k − 2i k_r k_i) (k = k_r k̂ real, k_c = k_r + i k_i, the k_i² term dropped as in
  Eq. 8) and χ(k̂) = 2 Re Σ_h F_h K_h(k) (Eq. 7 with Eq. 6's normalisation);
* reconstruction: the paper's kernel χ̃_h(k) = −1/(h² − 2h·k − 2i k_r k_i) = −K_h/(4π) (Eq. 5).

Then Re G(h) = ⟨χ Re χ̃_h⟩ ≈ −8π a(h) Re F_h = +8π (r_e/V_c) a(h) Re S_h with
a(h) = ⟨(Re χ̃_h)²⟩ > 0 (Eq. 11): positive peaks where the electron-count structure factor S_h is
positive (V), as the paper measured.

All pixel × reflection products are evaluated in chunks of at most ``chunk`` elements.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: Default largest pixel × reflection block (float64 elements, ≈ 32 MB per temporary).
CHUNK = 4_000_000


def denominator(h_vec: ArrayLike, directions: ArrayLike, k_r: float) -> NDArray[np.float64]:
    """Real part A = h² − 2 h·k of the kernel denominator, Å⁻², shape (n_dir, n_h).

    Parameters
    ----------
    h_vec : array_like, shape (n_h, 3)
        Reciprocal vectors, Å⁻¹.
    directions : array_like, shape (n_dir, 3)
        Unit vectors k̂.
    k_r : float
        Real wave number, Å⁻¹.
    """
    h = np.atleast_2d(np.asarray(h_vec, dtype=float))
    d = np.atleast_2d(np.asarray(directions, dtype=float))
    return np.sum(h**2, axis=1)[None, :] - 2 * k_r * (d @ h.T)


def kernel(h_vec: ArrayLike, directions: ArrayLike, k_r: float, k_i: float) -> NDArray[np.complex128]:
    """Physical kernel K_h(k) = 4π / (h² − 2h·k − 2i k_r k_i), Å², shape (n_dir, n_h).

    XFH paper Eqs 5 and 8 (without the paper's −1 and with the 4π of the Fourier integral).
    Use :func:`hologram` for large products (this one is not chunked).
    """
    return np.asarray(4 * np.pi / (denominator(h_vec, directions, k_r) - 2j * k_r * k_i), dtype=np.complex128)


def paper_kernel(h_vec: ArrayLike, directions: ArrayLike, k_r: float, k_i: float) -> NDArray[np.complex128]:
    """Reconstruction kernel χ̃_h(k) = −1/(h² − 2h·k − 2i k_r k_i), Å², shape (n_dir, n_h) (Eq. 5)."""
    return np.asarray(-1.0 / (denominator(h_vec, directions, k_r) - 2j * k_r * k_i), dtype=np.complex128)


def block_rows(n_cols: int, chunk: int) -> int:
    """Rows of a (rows × n_cols) block with at most ``chunk`` elements (at least one row)."""
    return max(1, int(chunk) // max(1, n_cols))


def _blocks(dtype: type, *arrays: NDArray[np.float64]) -> list[np.ndarray]:
    """The arrays in the block precision ``dtype``."""
    return [np.asarray(v, dtype=dtype) for v in arrays]


def hologram(
    f_h: ArrayLike,
    h_vec: ArrayLike,
    directions: ArrayLike,
    k_r: float,
    k_i: float,
    object_term: bool = False,
    chunk: int = CHUNK,
    dtype: type = np.float32,
) -> NDArray[np.float64]:
    r"""Hologram χ(k̂) = 2 Re Σ_h F_h K_h(k) (+ Σ_h |F_h|² |K_h|² with the object term), dimensionless.

    Eqs 7–9 (interference term, with Eq. 8's complex k) and the first sum of Eq. 10 (object term,
    without the cross terms h ≠ h′, which matter only where two Bragg conditions meet):

    .. math:: \chi(\hat k) = 2\,\mathrm{Re} \sum_h F_h K_h(k), \quad K_h = 4\pi / (h^2 - 2 h\cdot k - 2 i k_r k_i)

    Parameters
    ----------
    f_h : array_like of complex, shape (n_h,)
        Fourier coefficients F_h of −r_e ρ(r) = Σ_h F_h e^{ih·r}, Å⁻².
    h_vec : array_like, shape (n_h, 3)
        Reciprocal vectors, Å⁻¹ (h = 0 excluded by the caller: it only adds a constant).
    directions : array_like, shape (n_dir, 3)
        Unit vectors k̂ (inside source: detection direction; inside detector: minus the
        incident direction).
    k_r, k_i : float
        Real and imaginary wave number, Å⁻¹.
    object_term : bool
        Add Σ_h |F_h|² |K_h|².
    chunk : int
        Largest number of direction × reflection elements held at once.
    dtype : numpy float type
        Precision of the blocks (float32 by default: A = h² − 2h·k is then exact to ~1e-7 h²,
        far below B = 2k_rk_i; the sums are accumulated in float64).

    Returns
    -------
    ndarray, shape (n_dir,)

    References
    ----------
    S. Marchesini et al., Eqs 7–10.
    """
    f = np.asarray(f_h, dtype=complex)
    h = np.atleast_2d(np.asarray(h_vec, dtype=float))
    d = np.atleast_2d(np.asarray(directions, dtype=float))
    b = 2 * k_r * k_i
    out = np.empty(len(d))
    step = block_rows(len(h), chunk)
    hm2k: np.ndarray = (-2 * k_r * h.T).astype(dtype)
    h2c, fr, fi, f2 = _blocks(dtype, np.sum(h**2, axis=1), f.real, f.imag, np.abs(f) ** 2)
    for i in range(0, len(d), step):
        a = d[i : i + step].astype(dtype) @ hm2k
        a += h2c
        chi = _chi_block(a, b, fr, fi, f2 if object_term else None, dtype)
        out[i : i + len(chi)] = chi
    return out


def _chi_block(
    a: np.ndarray, b: float, fr: np.ndarray, fi: np.ndarray, f2: np.ndarray | None, dtype: type
) -> NDArray[np.float64]:
    """χ of one block of directions from A = h² − 2h·k (overwritten), Eq. 9; f2: the object term."""
    inv = a * a
    inv += dtype(b * b)
    np.reciprocal(inv, out=inv)  # |K_h|² / (4π)²
    # 2 Re(F K) = 2·4π (Re F · A − Im F · B) / (A² + B²)   (Eq. 9 with K = 4π(A + iB)/(A² + B²))
    chi = 8 * np.pi * ((inv @ fi).astype(float) * -b)
    a *= inv
    chi += 8 * np.pi * (a @ fr).astype(float)
    if f2 is not None:
        chi += 16 * np.pi**2 * (inv @ f2).astype(float)
    return chi


def weighted_mean(values: NDArray[np.float64], weights: NDArray[np.float64]) -> NDArray[np.float64]:
    """⟨v⟩ = Σ w v / Σ w over the first axis (the measured directions)."""
    return np.tensordot(weights, values, axes=(0, 0)) / np.sum(weights)


def normalisation_ab(
    h_vec: ArrayLike,
    directions: ArrayLike,
    weights: ArrayLike,
    k_r: float,
    k_i: float,
    chunk: int = CHUNK,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """a(h) = ⟨(Re χ̃_h)²⟩ and b(h) = ⟨(Im χ̃_h)²⟩ on the measured directions, Å⁴ (Eq. 11).

    Parameters
    ----------
    h_vec : array_like, shape (n_h, 3)
    directions : array_like, shape (n_dir, 3)
    weights : array_like, shape (n_dir,)
        Solid-angle weight of each direction (0 for an unmeasured one).
    k_r, k_i : float
    chunk : int

    Returns
    -------
    a, b : ndarray, shape (n_h,)
    """
    h = np.atleast_2d(np.asarray(h_vec, dtype=float))
    d = np.atleast_2d(np.asarray(directions, dtype=float))
    w = np.asarray(weights, dtype=float)
    bb = 2 * k_r * k_i
    sa, sb = np.zeros(len(h)), np.zeros(len(h))
    step = block_rows(len(h), chunk)
    for i in range(0, len(d), step):
        a = denominator(h, d[i : i + step], k_r)
        inv2 = 1.0 / (a * a + bb * bb) ** 2
        sa += w[i : i + step] @ (a * a * inv2)
        sb += w[i : i + step] @ (bb * bb * inv2)
    return sa / w.sum(), sb / w.sum()


def normalisation_ab_sphere(
    h_norm: ArrayLike, k_r: float, k_i: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """a(h), b(h) of Eq. 11 averaged over the full sphere of k̂, closed form, Å⁴.

    With A = h² − 2 h k_r u (u = cos∠(h, k̂), uniform on [−1, 1]) and B = 2 k_r k_i,
    a = (1/4hk_r) ∫ A²/(A²+B²)² dA and b = (1/4hk_r) ∫ B²/(A²+B²)² dA over
    A ∈ [h² − 2hk_r, h² + 2hk_r], with ∫ x²/(x²+B²)² = atan(x/B)/2B − x/(2(x²+B²)) and
    ∫ B²/(x²+B²)² = atan(x/B)/2B + x/(2(x²+B²)).
    """
    h = np.asarray(h_norm, dtype=float)
    bb = 2 * k_r * k_i
    lo, hi = h**2 - 2 * h * k_r, h**2 + 2 * h * k_r

    def prim(x: NDArray[np.float64], sign: float) -> NDArray[np.float64]:
        return np.arctan(x / bb) / (2 * bb) + sign * x / (2 * (x * x + bb * bb))

    pref = 1.0 / (4 * h * k_r)
    return pref * (prim(hi, -1) - prim(lo, -1)), pref * (prim(hi, 1) - prim(lo, 1))


def kinematic_ratio(f_h: ArrayLike, k_r: float, k_i: float) -> NDArray[np.float64]:
    """|F_h| / (2 k_r k_i): the object-to-reference amplitude at a pole (text after Eq. 10).

    The kinematic (single-scattering) model of Eqs 7–10 holds where this is ≪ 1; at ≥ 1 the
    diffracted wave is as strong as the reference and dynamical theory is needed.
    """
    return np.abs(np.asarray(f_h, dtype=complex)) / (2 * k_r * k_i)
