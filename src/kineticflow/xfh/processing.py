"""From recorded counts to the symmetrised hologram: the analysis applied to simulated and real data.

Reference subtraction (χ = N/I_ref − 1), the 48 operations of the point group m-3m, the
equal-angle (θ, φ) grid of the (100) orientation and the symmetrisation of the measured pixels onto
it (S. Marchesini et al., *Holographic analysis of diffraction structure factors*, experiment
paragraph and Fig. 2; docs/xfh.md "The measurement").
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cache

import numpy as np
from numpy.typing import ArrayLike, NDArray


def unit_vectors(polar: ArrayLike, azimuth: ArrayLike) -> NDArray[np.float64]:
    """(sinθ cosφ, sinθ sinφ, cosθ), shape (…, 3), for angles θ, φ in rad.

    Examples
    --------
    >>> unit_vectors(0.0, 0.0).tolist()
    [0.0, 0.0, 1.0]
    """
    t, p = np.asarray(polar, dtype=float), np.asarray(azimuth, dtype=float)
    return np.stack([np.sin(t) * np.cos(p), np.sin(t) * np.sin(p), np.cos(t)], axis=-1)


def fibonacci_sphere(n: int) -> NDArray[np.float64]:
    """N nearly uniform unit vectors (Fibonacci lattice on the sphere), shape (n, 3).

    Examples
    --------
    >>> bool(np.allclose(np.linalg.norm(fibonacci_sphere(100), axis=1), 1.0))
    True
    """
    i = np.arange(n) + 0.5
    z = 1 - 2 * i / n
    phi = np.pi * (1 + 5**0.5) * i
    return np.stack([np.sqrt(1 - z * z) * np.cos(phi), np.sqrt(1 - z * z) * np.sin(phi), z], axis=1)


def subtract_reference(counts: ArrayLike, polar: ArrayLike, degree: int) -> NDArray[np.float64]:
    """χ_meas = N / I_fit − 1 with I_fit a least-squares polynomial in cosθ of the given degree.

    The smooth fit stands for the reference I_ref of Eq. 1; it also removes the parts of χ that
    are constant on a polar ring and smooth in θ (the usual loss of low frequencies).

    Parameters
    ----------
    counts : array_like, shape (n,)
        Counts N per pixel.
    polar : array_like, shape (n,)
        Polar angle θ of each pixel from the surface normal, rad.
    degree : int
        Degree of the polynomial in cosθ.

    Returns
    -------
    ndarray, shape (n,)
        χ_meas, dimensionless.

    References
    ----------
    S. Marchesini et al., Eq. 1.
    """
    n = np.asarray(counts, dtype=float)
    x = np.cos(np.asarray(polar, dtype=float))
    fit = np.polynomial.Polynomial.fit(x, n, degree)(x)
    return n / fit - 1.0


@cache
def point_group_m3m() -> NDArray[np.float64]:
    """The 48 operations of m-3m: every signed permutation matrix, shape (48, 3, 3).

    Examples
    --------
    >>> point_group_m3m().shape
    (48, 3, 3)
    """
    ops = []
    for perm in itertools.permutations(range(3)):
        for signs in itertools.product((1.0, -1.0), repeat=3):
            m = np.zeros((3, 3))
            m[range(3), perm] = signs
            ops.append(m)
    return np.array(ops)


def covering_polar_angle(normal: ArrayLike, ops: NDArray[np.float64], n_test: int = 20000) -> float:
    """Smallest cap half-angle about ``normal`` whose images under ``ops`` cover the sphere, degrees.

    The largest angular distance from a point of the sphere (Fibonacci grid of ``n_test`` points
    and the 26 directions <100>, <110>, <111>) to the nearest image g·n̂ of the normal.

    Parameters
    ----------
    normal : array_like, shape (3,)
        Surface normal, crystal axes (nonzero).
    ops : ndarray, shape (n_ops, 3, 3)
        Point-group operations.
    n_test : int
        Points of the Fibonacci test grid.

    Returns
    -------
    float
        Half-angle, degree; 54.74° for a (111) or (001) normal under m-3m.
    """
    n = np.asarray(normal, dtype=float)
    n = n / np.linalg.norm(n)
    images = ops @ n
    pts = fibonacci_sphere(n_test)
    # plus the high-symmetry directions <100>, <110>, <111>, where the farthest points usually are
    special = np.array([v for v in itertools.product((-1, 0, 1), repeat=3) if any(v)], dtype=float)
    pts = np.vstack([pts, special / np.linalg.norm(special, axis=1)[:, None]])
    return float(np.degrees(np.arccos(np.clip(np.max(pts @ images.T, axis=1), -1, 1)).max()))


@dataclass(frozen=True)
class SphereGrid:
    """Equal-angle (θ, φ) grid about the crystal's [001] axis ((100) orientation).

    Attributes
    ----------
    step_deg : float
        Cell size in θ and φ, degree.
    """

    step_deg: float

    @property
    def polar(self) -> NDArray[np.float64]:
        """Cell-centre polar angles, rad."""
        return np.radians((np.arange(round(180 / self.step_deg)) + 0.5) * self.step_deg)

    @property
    def azimuth(self) -> NDArray[np.float64]:
        """Cell-centre azimuths, rad."""
        return np.radians((np.arange(round(360 / self.step_deg)) + 0.5) * self.step_deg)

    def solid_angle(self) -> NDArray[np.float64]:
        """Solid angle of each cell, sr, shape (n_polar, n_azimuth); sums to 4π."""
        s = np.radians(self.step_deg)
        t = self.polar
        dom = s * (np.cos(t - s / 2) - np.cos(t + s / 2))
        return np.repeat(dom[:, None], len(self.azimuth), axis=1)

    def directions(self) -> NDArray[np.float64]:
        """Cell-centre unit vectors, shape (n_polar, n_azimuth, 3)."""
        t, p = np.meshgrid(self.polar, self.azimuth, indexing="ij")
        return unit_vectors(t, p)

    def cell_index(self, v: NDArray[np.float64]) -> NDArray[np.int64]:
        """Flat cell index of unit vectors v, shape (n,)."""
        nt, npz = round(180 / self.step_deg), round(360 / self.step_deg)
        t = np.degrees(np.arccos(np.clip(v[:, 2], -1, 1)))
        p = np.degrees(np.arctan2(v[:, 1], v[:, 0])) % 360
        it = np.minimum((t / self.step_deg).astype(int), nt - 1)
        ip = np.minimum((p / self.step_deg).astype(int), npz - 1)
        return it * npz + ip


def symmetrise(
    chi: ArrayLike, directions: ArrayLike, ops: NDArray[np.float64], grid: SphereGrid
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Average χ over the point group onto the (100)-oriented grid.

    Each measured pixel (direction v in crystal axes) is copied to g·v for every operation g and
    binned; a cell holds the mean of the values that land in it.

    Parameters
    ----------
    chi : array_like, shape (n,) or (n_sets, n)
        One or several holograms on the same pixels (binned in one pass), dimensionless.
    directions : array_like, shape (n, 3)
        Measured directions in crystal axes.
    ops : ndarray, shape (n_ops, 3, 3)
        Point-group operations.
    grid : SphereGrid
        Target grid.

    Returns
    -------
    chi_sym : ndarray, shape (n_polar, n_azimuth) or (n_sets, n_polar, n_azimuth)
        0 in cells that nothing reached.
    hits : ndarray of int, shape (n_polar, n_azimuth)
        Number of pixel images per cell (0 = unmeasured).

    References
    ----------
    S. Marchesini et al., Fig. 2 (hologram symmetrised and shown in the (100) orientation).
    """
    c = np.asarray(chi, dtype=float)
    sets = np.atleast_2d(c)
    d = np.asarray(directions, dtype=float)
    shape = (len(grid.polar), len(grid.azimuth))
    size = shape[0] * shape[1]
    total = np.zeros((len(sets), size))
    hits = np.zeros(size, dtype=np.int64)
    for g in ops:
        idx = grid.cell_index(d @ g.T)
        hits += np.bincount(idx, minlength=size)
        for j, values in enumerate(sets):
            total[j] += np.bincount(idx, weights=values, minlength=size)
    mean = total / np.maximum(hits, 1)
    mean[:, hits == 0] = 0.0
    out = mean.reshape((len(sets), *shape))
    return (out if c.ndim == 2 else out[0]), hits.reshape(shape)
