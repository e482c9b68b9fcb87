"""Formulas of binary ionic mixtures (BIM): units, collision frequency, Eqs 5–6 and the Chapman–Spitzer D₁₂ (plasma paper).

Daligault, PRL 108, 225004 (2012). Two ionic species j = 1, 2 (charge Z_j e, mass m_j, number
fraction x_j, total density n = n₁ + n₂) in a uniform neutralising background.

Reduced units (LAMMPS ``units lj``, as in :mod:`kineticflow.plasma.md`)
-----------------------------------------------------------------
* length: the Wigner–Seitz radius of the mixture, a = (3/(4π n))^{1/3} = 1, so n a³ = 3/(4π);
* charge: e = 1 (the charges are Z₁ and Z₂; Z₁ = 1 in all shipped configs);
* mass: the unit in which m₁, m₂ are given (m₁ = 1 in all shipped configs);
* energy: e²/a, so k_B T = ⟨Z^{5/3}⟩/Γ with the BIM coupling Γ = ⟨Z^{5/3}⟩ e²/(a k_B T)
  (⟨·⟩ = number-weighted average);
* time: τ = √(m a²/e²); the species-1 plasma frequency is ω_{p,1} = √(4π n_e Z₁ e²/m₁)
  = √(3 ⟨Z⟩ Z₁/m₁) per τ (n_e = ⟨Z⟩ n), i.e. ω_{p,1} = √3 for Z₁ = Z₂ = m₁ = 1.

Diffusion coefficients are reported, as in Table II, in units of a₁² ω_{p,1}, where a₁ and
ω_{p,1} are those of a pure species-1 plasma at the same electron density (n₁' = n_e/Z₁):
a₁ = (Z₁/⟨Z⟩)^{1/3} a and ω_{p,1} as above. For isotopic mixtures (Z₁ = Z₂, the Table II case)
a₁ = a and ω_{p,1} = √3 — the OCP units of :mod:`kineticflow.plasma.md` — "independent of m₂ and x₂".
(For Z₁ ≠ Z₂ the paper does not define a₁, ω_{p,1}; this is our convention.) Eq. (6) is written
by the paper in units of a² ω_p with the mixture plasma frequency ω_p = √(4π n ⟨Z⟩² e²/⟨m⟩)
= √(3 ⟨Z⟩²/⟨m⟩); :func:`units_factor` converts.

Collision frequency (Eq. 5 and the Chapman–Spitzer D₁₂)
------------------------------------------------------
The paper prints ν₀ = (4/3) n √(2π) √(μ/⟨m⟩) (⟨m⟩²/(m₁m₂)) q₁²q₂²/(k_BT)^{3/2} (μ = m₁m₂/(m₁+m₂)),
which lacks a factor 1/√⟨m⟩ to be a frequency (it reads as if ⟨m⟩ = 1). The Chapman–Cowling
first approximation for Coulomb collisions, [D₁₂]₁ = 3 k_BT/(16 n μ Ω₁₂^{(1,1)}) with
Ω₁₂^{(1,1)} = ½ √(π/(2μ)) q₁²q₂² ln Λ/(k_BT)^{3/2}, gives
D₁₂ = 3 (k_BT)^{5/2}/(4 √(2π) n √μ q₁²q₂² ln Λ) and, with D₁₂ = (⟨m⟩/(m₁m₂)) k_BT/ν₁₂,

    ν₀ = (4/3) √(2π) n (⟨m⟩ √μ/(m₁ m₂)) q₁² q₂²/(k_B T)^{3/2},

which reduces to the OCP ν₀ = (4/3) √(π/m) n q⁴/(k_BT)^{3/2} of Eq. (2) for m₁ = m₂, q₁ = q₂.
In reduced units (n = 3/(4π)): ν₀ = √(2/π) ⟨m⟩ √μ Z₁²Z₂²/(m₁ m₂ (k_BT)^{3/2}).
The CS interdiffusion coefficient uses ln Λ_CS = ln(C λ_D/r_c), C = 4 (Chapman), with
λ_D = √(k_BT/(4π n ⟨Z²⟩ e²)) and r_c = Z₁Z₂e²/(k_BT): λ_D/r_c = (k_BT)^{3/2}/(√(3⟨Z²⟩) Z₁Z₂).
Eq. (5): D_j = k_BT/(m_j α_j ν₀ ln(1 + C'_j/Γ^{3/2})), with C'_j = C_j Γ^{3/2} λ_D/r_c
= C_j ⟨Z^{5/3}⟩^{3/2}/(√(3⟨Z²⟩) Z₁Z₂) (= C_j/√3 for the OCP: Eq. 2).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True)
class Mixture:
    """One binary ionic mixture: charges Z_j (units of e), masses m_j, number fraction x₂ of species 2."""

    name: str
    z1: float
    z2: float
    m1: float
    m2: float
    x2: float

    def __post_init__(self) -> None:
        for key in ("z1", "z2", "m1", "m2"):
            if not getattr(self, key) > 0:
                raise ValueError(f"mixture '{self.name}': {key} = {getattr(self, key)} must be > 0")
        if not 0 < self.x2 < 1:
            raise ValueError(f"mixture '{self.name}': x2 = {self.x2} must be in (0, 1)")

    @classmethod
    def from_config(cls, entry: Mapping[str, Any]) -> Mixture:
        """Build from a ``plasma.mixtures.mixtures[i]`` config entry (keys name, z1, z2, m1, m2, x2)."""
        return cls(str(entry["name"]), *(float(entry[k]) for k in ("z1", "z2", "m1", "m2", "x2")))

    @property
    def x1(self) -> float:
        """Number fraction x₁ = 1 − x₂ of species 1."""
        return 1.0 - self.x2

    @property
    def m_mean(self) -> float:
        """⟨m⟩ = x₁m₁ + x₂m₂."""
        return self.x1 * self.m1 + self.x2 * self.m2

    @property
    def mu(self) -> float:
        """Reduced mass μ = m₁m₂/(m₁ + m₂)."""
        return self.m1 * self.m2 / (self.m1 + self.m2)

    @property
    def isotopic(self) -> bool:
        """Whether Z₁ = Z₂ (the Table II case)."""
        return self.z1 == self.z2

    def attrs(self) -> dict[str, Any]:
        """The mixture as netCDF attributes (name, z1, z2, m1, m2, x2)."""
        return {"mixture": self.name, "z1": self.z1, "z2": self.z2, "m1": self.m1, "m2": self.m2, "x2": self.x2}


def mixture_coupling(z1: float, z2: float, x2: float) -> dict[str, float]:
    """Number-weighted charge moments of a BIM.

    Returns
    -------
    dict
        ``z53`` = ⟨Z^{5/3}⟩ (Γ = ⟨Z^{5/3}⟩ e²/(a k_BT)), ``z`` = ⟨Z⟩, ``z2`` = ⟨Z²⟩.
    """
    if not 0 <= x2 <= 1:
        raise ValueError(f"x2 = {x2} must be in [0, 1]")
    x1 = 1.0 - x2
    return {
        "z53": x1 * z1 ** (5 / 3) + x2 * z2 ** (5 / 3),
        "z": x1 * z1 + x2 * z2,
        "z2": x1 * z1**2 + x2 * z2**2,
    }


def temperature(mix: Mixture, gamma: float) -> float:
    """k_B T = ⟨Z^{5/3}⟩/Γ in reduced units (e²/a)."""
    if not gamma > 0:
        raise ValueError(f"gamma = {gamma} must be > 0")
    return mixture_coupling(mix.z1, mix.z2, mix.x2)["z53"] / gamma


def units_factor(mix: Mixture) -> dict[str, float]:
    """The reduced-unit scales of a mixture, in LAMMPS units (a = e = 1, masses as given).

    Returns
    -------
    dict
        ``a1`` = (Z₁/⟨Z⟩)^{1/3}, ``omega_p1`` = √(3⟨Z⟩Z₁/m₁), ``omega_p`` = √(3⟨Z⟩²/⟨m⟩) (mixture,
        Eq. 6), ``d_unit`` = a₁² ω_{p,1} (Table II unit of D), ``to_mixture_units`` = a₁²ω_{p,1}/(a²ω_p)
        (multiply a D in a₁²ω_{p,1} by this to get it in a²ω_p).
    """
    c = mixture_coupling(mix.z1, mix.z2, mix.x2)
    a1 = (mix.z1 / c["z"]) ** (1 / 3)
    wp1 = math.sqrt(3.0 * c["z"] * mix.z1 / mix.m1)
    wp = math.sqrt(3.0 * c["z"] ** 2 / mix.m_mean)
    return {"a1": a1, "omega_p1": wp1, "omega_p": wp, "d_unit": a1**2 * wp1, "to_mixture_units": a1**2 * wp1 / wp}


def interdiffusion_d12(d1: npt.ArrayLike, d2: npt.ArrayLike, x2: float) -> np.ndarray:
    """Mixing rule for the interdiffusion coefficient, D₁₂ = x₂ D₁ + x₁ D₂ (paper, after Eq. 6)."""
    if not 0 <= x2 <= 1:
        raise ValueError(f"x2 = {x2} must be in [0, 1]")
    return x2 * np.asarray(d1, float) + (1.0 - x2) * np.asarray(d2, float)


def nu0(mix: Mixture, gamma: npt.ArrayLike) -> np.ndarray:
    """Reference collision frequency ν₀ (per LAMMPS time unit), see the module docstring.

    ν₀ = √(2/π) ⟨m⟩ √μ Z₁²Z₂²/(m₁ m₂ (k_BT)^{3/2}) with k_BT = ⟨Z^{5/3}⟩/Γ.
    """
    g = np.asarray(gamma, float)
    kt = mixture_coupling(mix.z1, mix.z2, mix.x2)["z53"] / g
    return (
        math.sqrt(2.0 / math.pi) * mix.m_mean * math.sqrt(mix.mu) * mix.z1**2 * mix.z2**2 / (mix.m1 * mix.m2 * kt**1.5)
    )


def debye_over_rc(mix: Mixture, gamma: npt.ArrayLike) -> np.ndarray:
    """λ_D/r_c = (k_BT)^{3/2}/(√(3⟨Z²⟩) Z₁Z₂) (λ_D = √(k_BT/(4πn⟨Z²⟩e²)), r_c = Z₁Z₂e²/k_BT)."""
    c = mixture_coupling(mix.z1, mix.z2, mix.x2)
    kt = c["z53"] / np.asarray(gamma, float)
    return kt**1.5 / (math.sqrt(3.0 * c["z2"]) * mix.z1 * mix.z2)


def chapman_spitzer_d12(mix: Mixture, gamma: npt.ArrayLike, c: float = 4.0) -> np.ndarray:
    """Chapman–Spitzer interdiffusion coefficient D₁₂ in units of a₁² ω_{p,1}.

    D₁₂ = (⟨m⟩/(m₁m₂)) k_BT/ν₁₂ with ν₁₂ = ν₀ ln(C λ_D/r_c), C = 4 (paper; Chapman's
    calculation), ν₀ as in the module docstring. Closed form in reduced units:
    D₁₂ = (k_BT)^{5/2}/(√(2/π) √μ Z₁²Z₂² ln(C λ_D/r_c)) / (a₁² ω_{p,1}); for Z₁ = Z₂ = m₁ = m₂ = 1
    this is √(π/3)/(Γ^{5/2} ln(C/(√3 Γ^{3/2}))), the plain CS limit of Eq. (2) with α = 1.

    Returns
    -------
    ndarray
        D₁₂; NaN where ln(C λ_D/r_c) ≤ 0 (CS meaningless, Γ too large).
    """
    g = np.asarray(gamma, float)
    if np.any(~(g > 0)):
        raise ValueError("gamma must be > 0")
    kt = mixture_coupling(mix.z1, mix.z2, mix.x2)["z53"] / g
    lnl = np.log(c * debye_over_rc(mix, g))
    with np.errstate(divide="ignore", invalid="ignore"):
        d = mix.m_mean / (mix.m1 * mix.m2) * kt / (nu0(mix, g) * lnl)
    return np.where(lnl > 0, d / units_factor(mix)["d_unit"], np.nan)


def eq5_d_star(gamma: npt.ArrayLike, alpha: float, c_prime: float, mix: Mixture, species: int) -> np.ndarray:
    """Generalised Chapman–Spitzer self-diffusion of species j (Eq. 5), in units of a₁² ω_{p,1}.

    D_j = k_BT/(m_j α_j ν₀ ln(1 + C'_j/Γ^{3/2})).
    """
    g = np.asarray(gamma, float)
    kt = mixture_coupling(mix.z1, mix.z2, mix.x2)["z53"] / g
    mj = mix.m1 if species == 1 else mix.m2
    d = kt / (mj * alpha * nu0(mix, g) * np.log1p(c_prime / g**1.5))
    return d / units_factor(mix)["d_unit"]


def eq6_d_star(gamma: npt.ArrayLike, a: float, b: float) -> np.ndarray:
    """Eyring (cage) self-diffusion, Eq. (6): D_j/(a² ω_p) = (A_j/Γ) exp(−B_j Γ) (mixture ω_p)."""
    g = np.asarray(gamma, float)
    return a / g * np.exp(-b * g)


def species_counts(n_particles: int, x2: float) -> tuple[int, int]:
    """(N₁, N₂) with N₂ = round(N x₂); each ≥ 1.

    Raises
    ------
    ValueError
        If either species would be empty.
    """
    n2 = int(round(n_particles * x2))
    n1 = n_particles - n2
    if n2 < 1 or n1 < 1:
        raise ValueError(f"n_particles = {n_particles} with x2 = {x2} gives N1 = {n1}, N2 = {n2}; need >= 1 of each")
    return n1, n2
