"""Molecular elastic cross sections from atomic amplitudes: IAM, IAM-SCAR and IAM-SCAR+I.

* IAM with interference (Mott & Massey; paper Sec. 3): dσ/dΩ = Σ_ij f_i f_j* sin(q r_ij)/(q r_ij),
  q = 2k sin(θ/2); the additivity rule (AR) integral is σ = Σ_i σ_i.
* SCAR, the screening-corrected additivity rule of Blanco & García, Phys. Lett. A 317, 458 (2003):
  σ_mol = Σ_i s_i σ_i with
  s_i = 1 − ε_i^{(2)}/2! + ε_i^{(3)}/3! − … ± ε_i^{(N)}/N!,
  ε_i^{(1)} = 1, ε_i^{(k)} = [(N − k + 1)/(N − 1)] Σ_{j≠i} α_j ε_j^{(k−1)} / α_ij,
  α_i = σ_i/(4π), α_ij = max(r_ij², α_i, α_j): α_j/α_ij is the fraction of the sphere of radius
  r_ij around atom i that atom j's cross section shadows (capped at 1).
* IAM-SCAR DCS (Blanco & García, Phys. Lett. A 330, 230 (2004)): dσ/dΩ = Σ_i s_i |f_i|² without
  interference; with it (+I; Blanco, Ellis-Gibbings & García, Chem. Phys. Lett. 645, 71 (2016))
  the cross terms f_i f_j* sin(q r_ij)/(q r_ij) weighted by s_i s_j (our default) or by √(s_i s_j)
  (each amplitude scaled by √s_i; config ``escatter.interference``, where ``none`` leaves them out:
  IAM-SCAR). The exact weighting of the 2016
  paper could not be checked against the original here; both are offered. Why ``product`` is the
  default: amplitude weights w_i give σ_tot = (4π/k) Im Σ w_i f_i(0) = Σ w_i σ_tot,i (optical
  theorem), which equals the SCAR total only for w_i = s_i, the ``product`` cross terms; √s_i
  overshoots it by 8–27 % at 50–300 eV for isoflurane. Neither variant is unitary as a whole
  (docs/escatter.md, Sec. 3).
* Checked: the SCAR recursion against its limits (N atoms on one site → s_i = 1/N, far apart →
  1, the N = 2 closed form s_i = 1 − α_j/(2α_ij)); not against the 2003 original (no copy here).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import periodictable
from numpy.typing import ArrayLike, NDArray

from kineticflow.core.data import data_file

#: Weightings of the IAM-SCAR+I interference terms (config ``escatter.interference``): ``none``
#: (no cross terms, IAM-SCAR), ``sqrt`` (√(s_i s_j)), ``product`` (s_i s_j, the default)
INTERFERENCE = ("none", "sqrt", "product")


class GeometryError(ValueError):
    """A malformed .xyz structure file."""


@dataclass(frozen=True)
class Geometry:
    """Atoms of one molecule.

    Attributes
    ----------
    symbols : tuple of str
    coords : ndarray, shape (N, 3)
        Positions in Å.
    comment : str
        The .xyz comment line (the structure's source).
    """

    symbols: tuple[str, ...]
    coords: NDArray[np.float64]
    comment: str

    def distances(self) -> NDArray[np.float64]:
        """Interatomic distances r_ij in Å, shape (N, N)."""
        d = self.coords[:, None, :] - self.coords[None, :, :]
        return np.sqrt(np.sum(d * d, axis=-1))


def read_xyz(path: str | os.PathLike[str]) -> Geometry:
    """Read an .xyz file (count, comment, then ``symbol x y z`` in Å); a bare name is package data.

    Raises
    ------
    GeometryError
        Naming the file and line of a malformed entry.
    """
    p = Path(path)
    if not p.exists() and p.parent == Path("."):
        text = data_file("kineticflow.escatter.data", str(path)).read_text(encoding="utf-8")
    else:
        text = p.read_text(encoding="utf-8")
    lines = text.splitlines()
    try:
        n = int(lines[0].split()[0])
    except (IndexError, ValueError):
        raise GeometryError(f"{path}: line 1 must be the atom count") from None
    symbols, coords = [], []
    for i, line in enumerate(lines[2 : 2 + n], start=3):
        parts = line.split()
        try:
            symbols.append(parts[0].capitalize())
            coords.append([float(v) for v in parts[1:4]])
        except (IndexError, ValueError):
            raise GeometryError(f"{path}: line {i} is not 'symbol x y z': {line!r}") from None
        if len(coords[-1]) != 3:
            raise GeometryError(f"{path}: line {i} is not 'symbol x y z': {line!r}")
    if len(symbols) != n:
        raise GeometryError(f"{path}: {n} atoms announced, {len(symbols)} found")
    return Geometry(tuple(symbols), np.array(coords, dtype=float), lines[1].strip() if len(lines) > 1 else "")


def atom_labels(geom: Geometry) -> list[str]:
    """Names of the atoms, element symbol and index in the structure file: ``["F0", "C1", ...]``.

    Examples
    --------
    >>> atom_labels(Geometry(("C", "O"), np.zeros((2, 3)), ""))
    ['C0', 'O1']
    """
    return [f"{s}{i}" for i, s in enumerate(geom.symbols)]


def scar_coefficients(sigma: ArrayLike, r: ArrayLike) -> NDArray[np.float64]:
    r"""SCAR screening coefficients s_i of the screening-corrected additivity rule.

    .. math::

        s_i = 1 - \frac{\varepsilon_i^{(2)}}{2!} + \frac{\varepsilon_i^{(3)}}{3!} - \dots
        \pm \frac{\varepsilon_i^{(N)}}{N!},\quad
        \varepsilon_i^{(k)} = \frac{N - k + 1}{N - 1}\sum_{j \ne i}
        \frac{\alpha_j \varepsilon_j^{(k-1)}}{\alpha_{ij}},\quad \varepsilon_i^{(1)} = 1,

    α_i = σ_i/4π, α_ij = max(r_ij², α_i, α_j).

    Parameters
    ----------
    sigma : array_like, shape (N,)
        Atomic cross sections (area units, e.g. Å²; B&G use the total, elastic + absorption).
    r : array_like, shape (N, N)
        Interatomic distances in the same length unit.

    Returns
    -------
    ndarray, shape (N,)
        s_i in (0, 1]; 1 for a lone atom.

    References
    ----------
    Blanco & García, Phys. Lett. A 317, 458 (2003).

    Examples
    --------
    Two atoms, the closed form s_i = 1 − α_j/(2α_ij):

    >>> s = scar_coefficients([4 * np.pi, 4 * np.pi], [[0.0, 2.0], [2.0, 0.0]])
    >>> bool(np.allclose(s, 1 - 1 / (2 * 4.0)))
    True
    """
    sig = np.asarray(sigma, dtype=float)
    n = sig.size
    if n == 1:
        return np.ones(1)
    al = sig / (4.0 * np.pi)
    aij = np.maximum(np.asarray(r, dtype=float) ** 2, np.maximum(al[:, None], al[None, :]))
    ratio = al[None, :] / aij  # α_j / α_ij
    np.fill_diagonal(ratio, 0.0)
    eps = np.ones(n)
    s = np.ones(n)
    for k in range(2, n + 1):
        eps = (n - k + 1) / (n - 1) * (ratio @ eps)
        s = s + (-1) ** (k + 1) * eps / math.factorial(k)
    return s


def momentum_transfer(k: float, angle_deg: ArrayLike) -> NDArray[np.float64]:
    """Momentum transfer q = 2k sin(θ/2), in the unit of k.

    Parameters
    ----------
    k : float
        Wavenumber.
    angle_deg : array_like, shape (n,)
        Scattering angles, degrees.

    Returns
    -------
    ndarray, shape (n,)

    Examples
    --------
    >>> momentum_transfer(1.0, [0.0, 180.0]).tolist()
    [0.0, 2.0]
    """
    return 2.0 * k * np.sin(np.deg2rad(np.asarray(angle_deg, dtype=float)) / 2.0)


def interference_dcs(f: ArrayLike, r: ArrayLike, q: ArrayLike, weights: ArrayLike | None = None) -> NDArray[np.float64]:
    r"""The independent-atom-model DCS with interference.

    .. math::

        \frac{d\sigma}{d\Omega} = \sum_{ij} w_i w_j f_i f_j^* \frac{\sin q r_{ij}}{q r_{ij}}

    Parameters
    ----------
    f : array_like, complex, shape (N, n)
        Atomic amplitudes at n angles (length unit L).
    r : array_like, shape (N, N)
        Distances (unit 1/[q]).
    q : array_like, shape (n,)
    weights : array_like, shape (N,), optional
        Amplitude weights (√s_i for IAM-SCAR+I); 1 by default.

    Returns
    -------
    ndarray, shape (n,)
        DCS in L² per sr.

    References
    ----------
    Mott & Massey, The Theory of Atomic Collisions; Phys. Chem. Chem. Phys. 26, 985 (2024), Sec. 3.
    """
    fa = np.asarray(f, dtype=complex)
    if weights is not None:
        fa = fa * np.asarray(weights, dtype=float)[:, None]
    qr = np.asarray(r, dtype=float)[:, :, None] * np.asarray(q, dtype=float)[None, None, :]
    j0 = np.sinc(qr / np.pi)  # sin(x)/x with j0(0) = 1
    return np.real(np.einsum("in,jn,ijn->n", fa, fa.conj(), j0))


def scar_interference_dcs(
    f: ArrayLike, r: ArrayLike, q: ArrayLike, s: ArrayLike, weights: str = "product"
) -> NDArray[np.float64]:
    r"""IAM-SCAR+I DCS: the SCAR sum plus screened interference terms.

    .. math::

        \frac{d\sigma}{d\Omega} = \sum_i s_i |f_i|^2
        + \sum_{i \ne j} w_{ij} f_i f_j^* \frac{\sin q r_{ij}}{q r_{ij}}

    ``weights = "none"``: w_ij = 0 (IAM-SCAR); ``"sqrt"``: w_ij = √(s_i s_j), i.e. every amplitude
    scaled by √s_i (the diagonal is then the SCAR sum); ``"product"``: w_ij = s_i s_j (the
    interference screened by both atoms' coefficients, a stronger reduction of the coherent forward
    peak).

    Parameters
    ----------
    f : array_like, complex, shape (N, n)
        Atomic amplitudes (length unit L).
    r : array_like, shape (N, N)
        Distances (unit 1/[q]).
    q : array_like, shape (n,)
    s : array_like, shape (N,)
        SCAR coefficients (:func:`scar_coefficients`).
    weights : {"product", "sqrt", "none"}
        ``"none"``: no interference terms, the IAM-SCAR DCS (:func:`scar_dcs`).

    Returns
    -------
    ndarray, shape (n,)
        DCS in L² per sr.

    Raises
    ------
    ValueError
        For an unknown ``weights``.

    References
    ----------
    Blanco, Ellis-Gibbings & García, Chem. Phys. Lett. 645, 71 (2016) (the weighting could not be
    checked against it; docs/escatter.md Sec. 3).
    """
    sa = np.asarray(s, dtype=float)
    if weights == "none":
        return scar_dcs(f, sa)
    if weights == "sqrt":
        return interference_dcs(f, r, q, weights=np.sqrt(sa))
    if weights == "product":
        fa = np.asarray(f)
        return interference_dcs(fa, r, q, weights=sa) - np.einsum("i,in->n", sa**2, np.abs(fa) ** 2) + scar_dcs(fa, sa)
    raise ValueError(f"interference weights {weights!r} unknown; choose one of {', '.join(INTERFERENCE)}")


def scar_dcs(f: ArrayLike, s: ArrayLike) -> NDArray[np.float64]:
    """IAM-SCAR DCS without interference, Σ_i s_i |f_i|² (L² sr⁻¹ for f in L).

    Parameters
    ----------
    f : array_like, complex, shape (N, n)
    s : array_like, shape (N,)

    Returns
    -------
    ndarray, shape (n,)

    References
    ----------
    Blanco & García, Phys. Lett. A 330, 230 (2004).
    """
    return np.einsum("i,in->n", np.asarray(s, dtype=float), np.abs(np.asarray(f)) ** 2)


def integrate_dcs(dcs: ArrayLike, angle_deg: ArrayLike) -> float:
    """Integral cross section 2π ∫ dσ/dΩ sin θ dθ on the given angle grid (trapezoid rule).

    Parameters
    ----------
    dcs : array_like, shape (n,)
        DCS (L² sr⁻¹).
    angle_deg : array_like, shape (n,)
        Angles, degrees, 0–180 for the full integral.

    Returns
    -------
    float
        L².

    Examples
    --------
    An isotropic DCS of 1 integrates to 4π:

    >>> round(integrate_dcs(np.ones(3601), np.linspace(0, 180, 3601)), 5)
    12.56637
    """
    th = np.deg2rad(np.asarray(angle_deg, dtype=float))
    return float(2.0 * np.pi * np.trapezoid(np.asarray(dcs) * np.sin(th), th))


def rotational_constant(geom: Geometry) -> float:
    """Geometric mean of the three rotational constants, (ABC)^{1/3}, in hartree.

    From the principal moments of inertia of the rigid structure (masses of the most abundant
    isotopes would shift it by < 1 %; standard atomic weights are used).
    """
    amu_me = 1822.888486209
    m = np.array([getattr(periodictable, s).mass for s in geom.symbols]) * amu_me
    x = geom.coords / 0.529177210903
    x = x - (m[:, None] * x).sum(0) / m.sum()
    inertia = np.sum(m) * 0.0 + np.einsum("i,ij,ik->jk", m, x, x)
    tensor = np.trace(inertia) * np.eye(3) - inertia
    moments = np.linalg.eigvalsh(tensor)
    return float(np.prod(1.0 / (2.0 * moments)) ** (1.0 / 3.0))
